//! The crate's version and the bump a release needs, by Cargo's rules.
//!
//! Cargo reads `^x.y.z` as "compatible with": the leftmost non-zero number
//! is the one a breaking change bumps. So for `1.2.3` a breaking change
//! needs `2.0.0`, a compatible one `1.3.0`, a fix `1.2.4`; for `0.1.0` a
//! breaking change needs `0.2.0` and anything compatible `0.1.1` (there is
//! no level for "adds something" below 1.0); for `0.0.3` every release is
//! breaking: `0.0.4`.

use std::fmt;
use std::path::Path;

use serde::Serialize;

use crate::maintainer::diff::Impact;

/// A release version `major.minor.patch` (pre-release and build tags are not supported).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    /// The first number.
    pub major: u64,
    /// The second number.
    pub minor: u64,
    /// The third number.
    pub patch: u64,
}

/// Which number of a version a release bumps, in Cargo's terms for that version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    /// The first number.
    Major,
    /// The second number.
    Minor,
    /// The third number.
    Patch,
    /// None: nothing changed.
    None,
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Bump::Major => "major",
            Bump::Minor => "minor",
            Bump::Patch => "patch",
            Bump::None => "no",
        })
    }
}

impl Version {
    /// Parses `x.y.z`.
    ///
    /// # Errors
    ///
    /// Anything else, in words.
    pub fn parse(text: &str) -> Result<Version, String> {
        let parts: Vec<&str> = text.trim().split('.').collect();
        let number = |part: &str| -> Option<u64> {
            // `01` is not a semver number; `+` and `-` tags are not supported.
            (!part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) && (part == "0" || !part.starts_with('0')))
                .then(|| part.parse().ok())
                .flatten()
        };
        match parts.as_slice() {
            [major, minor, patch] => match (number(major), number(minor), number(patch)) {
                (Some(major), Some(minor), Some(patch)) => Ok(Version { major, minor, patch }),
                _ => Err(format!("`{text}` is not a version `major.minor.patch` (pre-release tags are not supported)")),
            },
            _ => Err(format!("`{text}` is not a version `major.minor.patch`")),
        }
    }

    /// The `[package] version` of a `Cargo.toml`.
    ///
    /// # Errors
    ///
    /// When the file cannot be read, has no `[package]` version, inherits it
    /// from a workspace, or the version is not `x.y.z`.
    pub fn of_manifest(path: &Path) -> Result<Version, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        let mut in_package = false;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or_default().trim();
            if line.starts_with('[') {
                in_package = line == "[package]";
                continue;
            }
            let Some((key, value)) = line.split_once('=') else { continue };
            match key.trim() {
                "version" if in_package => {
                    let value = value.trim().trim_matches(['"', '\'']);
                    return Version::parse(value).map_err(|e| format!("{}: {e}", path.display()));
                }
                "version.workspace" if in_package => {
                    return Err(format!(
                        "{}: the version is inherited from the workspace: pass --crate-version",
                        path.display()
                    ));
                }
                _ => {}
            }
        }
        Err(format!("{}: no `version` in `[package]`", path.display()))
    }

    /// The bump a release with changes of at most this severity needs (see the module doc).
    pub fn needed(self, worst: Option<Impact>) -> Bump {
        match (worst, self.major, self.minor) {
            (None, ..) => Bump::None,
            (Some(_), 0, 0) => Bump::Patch,
            (Some(Impact::Breaking), 0, _) => Bump::Minor,
            (Some(_), 0, _) => Bump::Patch,
            (Some(Impact::Breaking), ..) => Bump::Major,
            (Some(Impact::Compatible), ..) => Bump::Minor,
            (Some(Impact::Docs), ..) => Bump::Patch,
        }
    }

    /// This version bumped.
    pub fn bumped(self, bump: Bump) -> Version {
        let Version { major, minor, patch } = self;
        match bump {
            Bump::Major => Version { major: major + 1, minor: 0, patch: 0 },
            Bump::Minor => Version { major, minor: minor + 1, patch: 0 },
            Bump::Patch => Version { major, minor, patch: patch + 1 },
            Bump::None => self,
        }
    }

    /// Why a change of this severity needs the bump it does, for this version.
    pub fn reason(self, worst: Option<Impact>) -> &'static str {
        match (worst, self.major, self.minor) {
            (None, ..) => "nothing changed",
            (Some(_), 0, 0) => "every release of a 0.0.x crate is breaking",
            (Some(Impact::Breaking), 0, _) => "breaking changes in a 0.x crate",
            (Some(Impact::Compatible), 0, _) => "compatible changes in a 0.x crate",
            (Some(Impact::Breaking), ..) => "breaking changes",
            (Some(Impact::Compatible), ..) => "compatible changes",
            (Some(Impact::Docs), ..) => "docs changes only",
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

impl Serialize for Version {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn next(version: &str, worst: Option<Impact>) -> (Bump, String) {
        let v = Version::parse(version).unwrap();
        let bump = v.needed(worst);
        (bump, v.bumped(bump).to_string())
    }

    #[test]
    fn cargo_rules_for_each_kind_of_version() {
        use Impact::*;
        assert_eq!(next("0.1.0", Some(Breaking)), (Bump::Minor, "0.2.0".into()));
        assert_eq!(next("0.1.3", Some(Compatible)), (Bump::Patch, "0.1.4".into()));
        assert_eq!(next("0.1.3", Some(Docs)), (Bump::Patch, "0.1.4".into()));
        assert_eq!(next("0.0.3", Some(Compatible)), (Bump::Patch, "0.0.4".into()));
        assert_eq!(next("1.2.3", Some(Breaking)), (Bump::Major, "2.0.0".into()));
        assert_eq!(next("1.2.3", Some(Compatible)), (Bump::Minor, "1.3.0".into()));
        assert_eq!(next("1.2.3", Some(Docs)), (Bump::Patch, "1.2.4".into()));
        assert_eq!(next("1.2.3", None), (Bump::None, "1.2.3".into()));
    }

    #[test]
    fn versions_parse_strictly() {
        assert_eq!(Version::parse("10.20.30").unwrap(), Version { major: 10, minor: 20, patch: 30 });
        for bad in ["1.2", "1.2.3.4", "1.02.3", "1.2.3-alpha", "v1.2.3", "", "1..3"] {
            assert!(Version::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_package_version_of_a_manifest() {
        let dir = std::env::temp_dir().join(format!("codegen-version-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("Cargo.toml");
        std::fs::write(
            &path,
            "[workspace]\nversion = \"9.9.9\"\n\n[package]\nname = \"x\"\nversion = \"0.3.1\" # now\n",
        )
        .unwrap();
        assert_eq!(Version::of_manifest(&path).unwrap().to_string(), "0.3.1");
        std::fs::write(&path, "[package]\nname = \"x\"\nversion.workspace = true\n").unwrap();
        assert!(Version::of_manifest(&path).unwrap_err().contains("--crate-version"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
