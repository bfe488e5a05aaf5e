//! An upstream API release as read from disk: `apiInfo.json` and the JSON
//! Schemas of `schemas/`, each kept with its text's positions so a warning
//! about a JSON pointer (a repaired slip, a stale override) names its line.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::load::diagnostic::{Diagnostic, Diagnostics};
use crate::load::locate::{pointer_path, Locations};

/// The release's file that describes every resource and action.
pub const API_INFO: &str = "apiInfo.json";

/// One upstream JSON file.
#[derive(Debug, Clone)]
pub struct Document {
    /// Its path on disk, for diagnostics.
    pub file: PathBuf,
    /// Where its nodes start, indexed only when a position is asked for.
    pub locations: Locations,
    /// Its content, as corrected so far.
    pub value: Value,
}

impl Document {
    /// A warning about the node at `pointer`, with its line and column when
    /// the text still has that node (else its closest ancestor's).
    pub fn warning_at(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        let position = self.locations.find(&pointer_path(&self.value, pointer));
        Diagnostic::warning(&self.file, message).at(position).item(if pointer.is_empty() { "/" } else { pointer })
    }
}

/// A release: `apiInfo.json` and its JSON Schemas by name.
#[derive(Debug, Clone)]
pub struct Release {
    /// `apiInfo.json`.
    pub api_info: Document,
    /// `schemas/<name>.json` by name, for each file that is a JSON Schema.
    pub schemas: BTreeMap<String, Document>,
}

impl Release {
    /// Reads the release in `dir`; every file that cannot be read or parsed is a problem.
    pub fn read(dir: &Path, problems: &mut Diagnostics) -> Option<Release> {
        let api_info = read_json(&dir.join(API_INFO), problems);
        let schemas = read_schemas(&dir.join("schemas"), problems);
        Some(Release { api_info: api_info?, schemas: schemas? })
    }

    /// The document a release-relative name (`apiInfo.json`, `schemas/org.json`) names.
    pub fn document(&self, relative: &str) -> Option<&Document> {
        match schema_name(relative) {
            Some(name) => self.schemas.get(name),
            None => (relative == API_INFO).then_some(&self.api_info),
        }
    }

    /// [`Release::document`], to edit.
    pub fn document_mut(&mut self, relative: &str) -> Option<&mut Document> {
        match schema_name(relative) {
            Some(name) => self.schemas.get_mut(name),
            None => (relative == API_INFO).then_some(&mut self.api_info),
        }
    }
}

/// `org` from `schemas/org.json`.
fn schema_name(relative: &str) -> Option<&str> {
    relative.strip_prefix("schemas/")?.strip_suffix(".json")
}

fn read_json(file: &Path, problems: &mut Diagnostics) -> Option<Document> {
    let text = match fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) => {
            problems.push(Diagnostic::error(file, format!("cannot read file: {e}")));
            return None;
        }
    };
    match serde_json::from_str(&text) {
        Ok(value) => Some(Document { file: file.to_path_buf(), locations: Locations::new(&text), value }),
        Err(e) => {
            problems.push(Diagnostic::error(file, format!("invalid JSON: {e}")).at(Some((e.line(), e.column()))));
            None
        }
    }
}

/// Every `schemas/*.json` that is a JSON Schema, by name. A file without
/// `$schema` (such as `apiExamples.json`, a file of examples) is not one.
fn read_schemas(dir: &Path, problems: &mut Diagnostics) -> Option<BTreeMap<String, Document>> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            problems.push(Diagnostic::error(dir, format!("cannot read directory: {e}")));
            return None;
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut schemas = BTreeMap::new();
    for file in files {
        let Some(document) = read_json(&file, problems) else {
            continue;
        };
        if document.value.get("$schema").is_none() {
            continue;
        }
        let name = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        schemas.insert(name, document);
    }
    Some(schemas)
}
