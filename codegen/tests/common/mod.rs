//! Helpers shared by the codegen test files.

use std::fs;
use std::path::{Path, PathBuf};

/// Copies a directory tree.
#[allow(dead_code)] // not every test file copies
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The upstream release the bundled spec was imported from (set
/// `LOSANT_API_RELEASE` to use another copy).
#[allow(dead_code)] // not every test file imports
pub fn release() -> PathBuf {
    let path = std::env::var_os("LOSANT_API_RELEASE")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/losant-api/v1.30.0"));
    assert!(path.join("apiInfo.json").is_file(), "no upstream release at {}: set LOSANT_API_RELEASE", path.display());
    path
}

/// The spec bundled with the client.
#[allow(dead_code)] // not every test file reads it
pub fn bundled_spec() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")
}

#[allow(dead_code)] // not every test file fabricates a release
pub mod next_release;
