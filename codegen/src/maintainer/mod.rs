//! What only maintainers run, behind the `maintainer` feature: the client's
//! build script never compiles it. `import` turns an upstream release into
//! the spec (with `overrides`, `repair`s of upstream slips, and `upstream`'s
//! reader); `surface` and `diff` compare two specs as callers see them, and
//! `diff::bump` gives the semver verdict; `docs` writes the reference pages.

pub mod diff;
pub mod docs;
pub mod import;
pub mod overrides;
pub mod repair;
pub mod surface;
pub mod upstream;
