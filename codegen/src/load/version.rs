//! API version numbers: the `X.Y.Z` a spec describes and where an import
//! takes it from.
//!
//! The version ends up in `api.yaml` and in the `Accept-Version` header every
//! request sends, so it must be a version the server understands, never a
//! folder name that happens to hold a release.

use std::path::Path;

use crate::load::diagnostic::{Diagnostic, Diagnostics};

/// True for a semantic version core, `X.Y.Z`: three dot-separated decimal
/// numbers without leading zeros (`1.30.0`, not `v1.30`, `1.030.0` or `1.30.0-rc1`).
pub fn is_semver(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|part| {
            !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) && (part.len() == 1 || !part.starts_with('0'))
        })
}

/// The trailing `X.Y.Z` of a folder name, optionally `v`-prefixed:
/// `v1.30.0` and `hidden-v1.25.0` give `1.30.0` and `1.25.0`; `latest` and
/// `v1.30.0-rc1` give nothing.
pub fn from_folder_name(name: &str) -> Option<String> {
    // The longest suffix of digits and dots: `1.2.3.4` stays whole and is
    // refused, rather than read as `2.3.4` after a prefix.
    let version_char = |c: char| c.is_ascii_digit() || c == '.';
    let tail = name[name.trim_end_matches(version_char).len()..].trim_start_matches('.');
    is_semver(tail).then(|| tail.to_string())
}

/// The API version of the release in `release`: `flag` (the `--api-version`
/// value, `v` prefix allowed) when given, else the trailing `X.Y.Z` of the
/// folder's name. Anything else is an error naming the folder and the flag.
pub fn of_release(release: &Path, flag: Option<&str>) -> Result<String, Diagnostics> {
    if let Some(flag) = flag {
        let version = flag.strip_prefix('v').unwrap_or(flag);
        return if is_semver(version) {
            Ok(version.to_string())
        } else {
            Err(Diagnostics(vec![Diagnostic::error(
                release,
                format!("--api-version `{flag}` is not a version `X.Y.Z`"),
            )
            .hint("give the release's API version, e.g. --api-version 1.31.0")]))
        };
    }
    // `.` or `../v1.30.0/` still name a folder: ask the file system which.
    let name = release
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .or_else(|| release.canonicalize().ok()?.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    from_folder_name(&name).ok_or_else(|| {
        Diagnostics(vec![Diagnostic::error(
            release,
            format!("cannot tell the API version of the release: the folder name `{name}` does not end in `X.Y.Z`"),
        )
        .hint("name the folder after the release (`v1.31.0`) or pass --api-version 1.31.0")])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semver_cores_only() {
        for good in ["1.30.0", "0.0.0", "10.200.3"] {
            assert!(is_semver(good), "{good}");
        }
        for bad in ["", "v1.30.0", "1.30", "1.30.0.1", "1.030.0", "1.30.0-rc1", "1..0", "hidden-v1.25.0", "1.3a.0"] {
            assert!(!is_semver(bad), "{bad}");
        }
    }

    #[test]
    fn folder_names_end_in_the_version() {
        assert_eq!(from_folder_name("v1.30.0").as_deref(), Some("1.30.0"));
        assert_eq!(from_folder_name("1.30.0").as_deref(), Some("1.30.0"));
        assert_eq!(from_folder_name("hidden-v1.25.0").as_deref(), Some("1.25.0"));
        assert_eq!(from_folder_name("losant-api-2.0.10").as_deref(), Some("2.0.10"));
        assert_eq!(from_folder_name("api.1.2.3").as_deref(), Some("1.2.3"));
        assert_eq!(from_folder_name("version-é1.2.3").as_deref(), Some("1.2.3"));
        for name in ["latest", "v1.30", "v1.30.0-rc1", "1.2.3.4", "v01.2.3", ""] {
            assert_eq!(from_folder_name(name), None, "{name}");
        }
    }

    #[test]
    fn the_flag_wins_and_must_be_a_version() {
        let dir = Path::new("releases/latest");
        assert_eq!(of_release(dir, Some("1.31.0")).unwrap(), "1.31.0");
        assert_eq!(of_release(dir, Some("v1.31.0")).unwrap(), "1.31.0");
        assert_eq!(of_release(Path::new("x/v1.30.0"), Some("1.2.0")).unwrap(), "1.2.0");
        let bad = of_release(dir, Some("latest")).unwrap_err().to_string();
        assert!(bad.starts_with("releases/latest: error: --api-version `latest` is not a version"), "{bad}");
        let unnamed = of_release(dir, None).unwrap_err().to_string();
        assert!(unnamed.contains("the folder name `latest` does not end in `X.Y.Z`"), "{unnamed}");
        assert!(unnamed.contains("--api-version 1.31.0"), "{unnamed}");
        assert_eq!(of_release(Path::new("x/hidden-v1.25.0/"), None).unwrap(), "1.25.0");
    }
}
