//! Reading a spec directory: `api.yaml`, `resources/*.yaml`, `schemas/*.yaml`.
//!
//! Files are read in sorted order so everything downstream is deterministic.
//! A file that cannot be read or parsed becomes a diagnostic naming it, its
//! line and column; loading goes on with the other files so all problems are
//! reported in one run.

pub mod diagnostic;
pub mod locate;
pub mod spec;
pub mod version;

use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::load::diagnostic::{Diagnostic, Diagnostics, Site};
use crate::load::locate::Locations;
use crate::load::spec::{ApiFile, ResourceFile};

/// A parsed file, with where it came from and where its nodes start.
#[derive(Debug, Clone)]
pub struct Sourced<T> {
    /// The file's path.
    pub file: PathBuf,
    /// Start positions of its YAML nodes.
    pub locations: Locations,
    /// The parsed content.
    pub value: T,
}

impl<T> Sourced<T> {
    /// An error pinned to the node at `path` (e.g. `actions[1].method`) in this file.
    pub fn error_at(&self, path: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(&self.file, message).at(self.locations.find(path))
    }

    /// Where the node at `path` is, for a check made later about `item`.
    pub fn site(&self, path: &str, item: &str) -> Site {
        Site { file: self.file.clone(), position: self.locations.find(path), item: item.to_string() }
    }
}

/// A named JSON Schema from `schemas/<name>.yaml`.
#[derive(Debug, Clone)]
pub struct SchemaFile {
    /// The schema's name: its file stem, e.g. `orgPatch`.
    pub name: String,
    /// The schema itself.
    pub schema: Value,
}

/// Every file of a spec directory, parsed but not yet checked against each other.
#[derive(Debug, Clone)]
pub struct RawSpec {
    /// The spec directory.
    pub dir: PathBuf,
    /// `api.yaml`.
    pub api: Sourced<ApiFile>,
    /// `resources/*.yaml`, sorted by file name.
    pub resources: Vec<Sourced<ResourceFile>>,
    /// `schemas/*.yaml`, sorted by file name.
    pub schemas: Vec<Sourced<SchemaFile>>,
}

/// Loads the spec in `dir`. Returns every file it could parse, or all the
/// problems when any file could not be read or parsed.
pub fn load(dir: &Path) -> Result<RawSpec, Diagnostics> {
    let mut problems = Diagnostics::default();
    if !dir.is_dir() {
        problems.push(
            Diagnostic::error(dir, "spec directory not found")
                .hint("pass the directory that holds api.yaml, resources/ and schemas/"),
        );
        return Err(problems);
    }
    let api = load_yaml::<ApiFile>(&dir.join("api.yaml"), &mut problems);
    let resource_files = yaml_files(dir, "resources", &mut problems);
    let schema_files = yaml_files(dir, "schemas", &mut problems);
    // Parsing is most of loading and each file is independent: parse them
    // on every core, then take the results (and problems) in file order.
    let resources = crate::par::map(&resource_files, |file| parse_yaml::<ResourceFile>(file))
        .into_iter()
        .filter_map(|parsed| parsed.map_err(|problem| problems.push(*problem)).ok())
        .collect();
    let schemas = crate::par::map(&schema_files, |file| parse_yaml::<Value>(file))
        .into_iter()
        .filter_map(|parsed| parsed.map_err(|problem| problems.push(*problem)).ok())
        .filter_map(|parsed| {
            let name = parsed.file.file_stem()?.to_string_lossy().into_owned();
            Some(Sourced {
                file: parsed.file,
                locations: parsed.locations,
                value: SchemaFile { name, schema: parsed.value },
            })
        })
        .collect();
    match api {
        Some(api) if !problems.has_errors() => Ok(RawSpec { dir: dir.to_path_buf(), api, resources, schemas }),
        _ => Err(problems),
    }
}

/// The `.yaml` files in `dir/sub`, sorted by name.
fn yaml_files(dir: &Path, sub: &str, problems: &mut Diagnostics) -> Vec<PathBuf> {
    let sub_dir = dir.join(sub);
    let entries = match fs::read_dir(&sub_dir) {
        Ok(entries) => entries,
        Err(error) => {
            problems.push(Diagnostic::error(&sub_dir, format!("cannot read directory: {error}")));
            return Vec::new();
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    files.sort();
    files
}

/// Reads and parses one YAML file; problems are recorded, not returned.
fn load_yaml<T: DeserializeOwned>(file: &Path, problems: &mut Diagnostics) -> Option<Sourced<T>> {
    parse_yaml(file).map_err(|problem| problems.push(*problem)).ok()
}

/// Reads and parses one YAML file, or the problem that stopped it.
fn parse_yaml<T: DeserializeOwned>(file: &Path) -> Result<Sourced<T>, Box<Diagnostic>> {
    let text = fs::read_to_string(file)
        .map_err(|error| Box::new(Diagnostic::error(file, format!("cannot read file: {error}"))))?;
    serde_yaml::from_str::<T>(&text)
        .map(|value| Sourced { file: file.to_path_buf(), locations: Locations::new(&text), value })
        .map_err(|error| {
            let position = error.location().map(|at| (at.line(), at.column()));
            Box::new(Diagnostic::error(file, yaml_message(&error)).at(position))
        })
}

/// serde_yaml's message without its trailing "at line N column M", which the
/// diagnostic already shows in front.
fn yaml_message(error: &serde_yaml::Error) -> String {
    let message = error.to_string();
    match message.rfind(" at line ") {
        Some(cut) => message[..cut].to_string(),
        None => message,
    }
}

/// Reads an optional YAML file of the spec directory that codegen keeps
/// (`names.yaml`, `features.yaml`): `None` when it is missing, the empty
/// value when it holds only comments, else what it parses to; a parse error
/// is an error at its line that says what lines the file `expects`.
pub fn optional_yaml<T: DeserializeOwned + Default>(path: &Path, expects: &str) -> Result<Option<T>, Diagnostics> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(Diagnostics(vec![Diagnostic::error(path, format!("cannot read file: {error}"))])),
    };
    if text.lines().all(|line| line.trim().is_empty() || line.trim_start().starts_with('#')) {
        return Ok(Some(T::default()));
    }
    serde_yaml::from_str::<T>(&text).map(Some).map_err(|error| {
        let position = error.location().map(|at| (at.line(), at.column()));
        Diagnostics(vec![Diagnostic::error(path, format!("expected {expects} lines: {error}")).at(position)])
    })
}
