//! `codegen import` on releases other than the bundled one, and the versions
//! a spec may carry.

mod common;

use std::fs;

#[test]
fn check_rejects_a_version_that_is_not_semver() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::bundled_spec(), dir.path());
    let api_file = dir.path().join("api.yaml");
    let api = fs::read_to_string(&api_file).unwrap();
    let api = api.replace("version: 1.30.0\n", "version: hidden-v1.25.0\n").replace("^1.30.0", "1.30");
    fs::write(&api_file, &api).unwrap();
    let line = |prefix: &str| api.lines().position(|l| l.starts_with(prefix)).unwrap() + 1;
    let errors = codegen::check(dir.path()).unwrap_err().to_string();
    assert!(
        errors.contains(&format!(
            "{}:{}:10: error: version `hidden-v1.25.0` is not a version `X.Y.Z` (at api.version)",
            api_file.display(),
            line("version:")
        )),
        "{errors}"
    );
    assert!(
        errors.contains(&format!(
            "{}:{}:17: error: accept_version `1.30` is not `^X.Y.Z` (at api.accept_version)",
            api_file.display(),
            line("accept_version:")
        )),
        "{errors}"
    );
}
