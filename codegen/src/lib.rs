//! The Losant API client generator.
//!
//! A spec directory (`api.yaml`, `resources/*.yaml`, `schemas/*.yaml`; see
//! `spec/README.md`) goes through four steps, one module each:
//!
//! 1. [`load`]: parse the YAML files into the [`load::spec`] structs, with
//!    where each node starts ([`load::locate`]) for the [`Diagnostic`]s;
//! 2. [`validate`]: check that they fit together and resolve them into the
//!    [`model`], which also owns naming ([`model::names`], the names table)
//!    and the params' Rust types ([`model::params`]);
//! 3. [`typegen`]: turn the JSON Schemas into Rust types, deduplicated and
//!    named ([`typegen::check`] reports what Rust cannot express);
//! 4. [`emit`]: resolve each action once ([`emit::plan`]) and write Rust
//!    source with `quote`, laid out by `prettyplease` or, in the build
//!    script, by a plain printer ([`emit::Layout`]).
//!
//! [`maintainer`] (a feature the build script leaves off) holds what only
//! maintainers run: the importer, the surface diff and its semver verdict,
//! the reference docs.
//!
//! What [`check_types`] (the CLI's `check`) accepts, [`generate`] turns into
//! a client that compiles without warnings: `codegen/tests/hostile.rs`
//! compiles the clients of hostile specs to keep it so.
//!
//! [`generate`] runs all four; the client's `build.rs` and the CLI call it.

pub mod emit;
pub mod load;
#[cfg(feature = "maintainer")]
pub mod maintainer;
pub mod model;
pub mod par;
pub mod typegen;
pub mod validate;

use std::fs;
use std::path::Path;
use std::time::Instant;

pub use emit::GeneratedFile;
pub use load::diagnostic::{Diagnostic, Diagnostics, Severity};

use emit::runtime_uses;
use model::{feature_record, features, names_table, params};

/// The generated client and what it took to make it.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The source files, `api.rs` first.
    pub files: Vec<GeneratedFile>,
    /// Warnings about the spec (generation still succeeded).
    pub warnings: Diagnostics,
    /// The type registry: each type and the schema paths it serves.
    pub registry: String,
    /// The runtime helpers the generated code calls (see [`runtime_uses`]).
    pub runtime_uses: std::collections::BTreeSet<&'static str>,
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

/// Checks a spec as generation sees it: the model (with the feature record
/// of `spec/features.yaml`), its types named by `spec/names.yaml`, and every
/// warning (those of the names table and the record included).
pub fn check_types(spec_dir: &Path) -> Result<(model::Api, typegen::TypeSpace, Diagnostics), Diagnostics> {
    let (mut api, mut warnings) = check(spec_dir)?;
    let table = names_table::read(spec_dir)?;
    let record = feature_record::read(spec_dir)?;
    let mut space = typegen::TypeSpace::build(&api.schemas, table.as_ref().unwrap_or(&names_table::Table::new()));
    space.relate_actions(&api);
    space.mark_map_forms(&api);
    api.feature_record = record.clone().unwrap_or_default();
    let mut problems = names_table::diagnostics(spec_dir, table.as_ref(), &space);
    problems.0.extend(names_table::note_diagnostics(spec_dir, &space).0);
    let enums = params::ParamEnums::build(&api, &space);
    problems.0.extend(names_table::param_diagnostics(spec_dir, table.as_ref(), &enums).0);
    problems.0.extend(typegen::check::diagnostics(&api, &space).0);
    if problems.has_errors() {
        return Err(problems);
    }
    problems
        .0
        .extend(feature_record::diagnostics(spec_dir, record.as_ref(), &feature_record::implied(&api, &space).0).0);
    warnings.0.extend(problems.0);
    Ok((api, space, warnings))
}

/// Runs the whole pipeline on a spec directory: files laid out by
/// prettyplease (with the `pretty` feature; see [`emit::Layout`]).
pub fn generate(spec_dir: &Path) -> Result<Generated, Diagnostics> {
    generate_with(spec_dir, emit::Layout::Pretty)
}

/// [`generate`], with the files in `layout`. The client's build script asks
/// for [`emit::Layout::Plain`]: the same code, without parsing it back.
pub fn generate_with(spec_dir: &Path, layout: emit::Layout) -> Result<Generated, Diagnostics> {
    generate_for(spec_dir, layout, &features::Enabled::All)
}

/// [`generate_with`], leaving out what none of the `enabled` features
/// compiles (see [`emit::files_for`]). The client's build script passes the
/// features cargo enabled, so a build of one resource emits one resource.
pub fn generate_for(
    spec_dir: &Path,
    layout: emit::Layout,
    enabled: &features::Enabled,
) -> Result<Generated, Diagnostics> {
    let started = Instant::now();
    let (api, space, warnings) = check_types(spec_dir)?;
    let files = emit::files_for(&api, &space, layout, enabled)
        .map_err(|message| Diagnostics(vec![Diagnostic::error(spec_dir, message)]))?;
    Ok(Generated {
        runtime_uses: runtime_uses::used(&files),
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

/// What [`update_tables`] did to the two tables `codegen import` and
/// `codegen names` keep.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TablesUpdate {
    /// `spec/names.yaml`.
    pub names: names_table::Update,
    /// `spec/features.yaml`.
    pub features: feature_record::Update,
}

/// Writes `spec/names.yaml` for a spec: keeps every name whose place still
/// holds a type (or takes a param enum), names new places, drops places that
/// are gone; and the feature record (see [`update_tables`]).
pub fn update_names(spec_dir: &Path) -> Result<names_table::Update, Diagnostics> {
    update_tables(spec_dir).map(|update| update.names)
}

/// Writes `spec/names.yaml` (as [`update_names`] says) and then
/// `spec/features.yaml`: each type, by the names just written, with the
/// features it is compiled with (the old record's and its current users');
/// types that are gone are dropped.
pub fn update_tables(spec_dir: &Path) -> Result<TablesUpdate, Diagnostics> {
    let (mut api, _) = check(spec_dir)?;
    let old = names_table::read(spec_dir)?.unwrap_or_default();
    api.feature_record = feature_record::read(spec_dir)?.unwrap_or_default();
    let space = typegen::TypeSpace::build(&api.schemas, &old);
    let enums = params::ParamEnums::build(&api, &space);
    let mut conflicts = names_table::diagnostics(spec_dir, Some(&old), &space);
    conflicts.0.extend(names_table::param_diagnostics(spec_dir, Some(&old), &enums).0);
    if conflicts.has_errors() {
        return Err(conflicts);
    }
    let names = names_table::write(spec_dir, &old, &space, &enums)?;
    let features = feature_record::update(spec_dir, &api, &space)?;
    Ok(TablesUpdate { names, features })
}

impl Generated {
    /// What the client's build script prints for cargo: the cfgs of the
    /// runtime helpers the generated code calls (see [`runtime_uses`]).
    pub fn cargo_directives(&self) -> Vec<String> {
        runtime_uses::cargo_directives(&self.runtime_uses)
    }

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
