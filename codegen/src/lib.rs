//! The Losant API client generator.
//!
//! A spec directory (`api.yaml`, `resources/*.yaml`, `schemas/*.yaml`; see
//! `spec/README.md`) goes through four steps, one module each:
//!
//! 1. [`load`]: parse the YAML files into the [`spec`] structs;
//! 2. [`validate`]: check that they fit together and resolve them into the [`model`];
//! 3. [`typegen`]: turn the JSON Schemas into Rust types, deduplicated and named;
//! 4. [`emit`]: write Rust source with `quote`, formatted by `prettyplease`.
//!
//! [`generate`] runs all four; the client's `build.rs` and the CLI call it.

pub mod diagnostic;
pub mod diff;
pub mod docs;
pub mod emit;
pub mod features;
pub mod import;
pub mod load;
pub mod locate;
pub mod model;
pub mod names;
pub mod params;
pub mod spec;
pub mod typegen;
pub mod validate;

use std::fs;
use std::path::Path;
use std::time::Instant;

pub use diagnostic::{Diagnostic, Diagnostics, Severity};
pub use emit::GeneratedFile;

/// The generated client and what it took to make it.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The source files, `api.rs` first.
    pub files: Vec<GeneratedFile>,
    /// Warnings about the spec (generation still succeeded).
    pub warnings: Diagnostics,
    /// The type registry: each type and the schema paths it serves.
    pub registry: String,
    /// Counts for the summary line.
    pub stats: Stats,
}

/// What one generation produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Resources.
    pub resources: usize,
    /// Actions.
    pub actions: usize,
    /// Generated types.
    pub types: usize,
    /// Wall-clock milliseconds.
    pub millis: u128,
}

/// Loads and checks a spec: the resolved model and its warnings, or every problem.
pub fn check(spec_dir: &Path) -> Result<(model::Api, Diagnostics), Diagnostics> {
    let raw = load::load(spec_dir)?;
    validate::validate(&raw)
}

/// Runs the whole pipeline on a spec directory.
pub fn generate(spec_dir: &Path) -> Result<Generated, Diagnostics> {
    let started = Instant::now();
    let (api, warnings) = check(spec_dir)?;
    let space = typegen::TypeSpace::build(&api.schemas);
    let files = emit::files(&api, &space).map_err(|message| Diagnostics(vec![Diagnostic::error(spec_dir, message)]))?;
    Ok(Generated {
        files,
        warnings,
        registry: space.registry(),
        stats: Stats {
            resources: api.resources.len(),
            actions: api.resources.iter().map(|r| r.actions.len()).sum(),
            types: space.types.len(),
            millis: started.elapsed().as_millis(),
        },
    })
}

impl Generated {
    /// Writes every file into `dir` (created if needed). A file whose content
    /// is unchanged is not rewritten, so its timestamp stays put.
    pub fn write_to(&self, dir: &Path) -> std::io::Result<()> {
        fs::create_dir_all(dir)?;
        for file in &self.files {
            let path = dir.join(&file.name);
            if fs::read_to_string(&path).ok().as_deref() != Some(file.contents.as_str()) {
                fs::write(&path, &file.contents)?;
            }
        }
        Ok(())
    }
}
