//! `spec/features.yaml`: the cargo features each generated type has been
//! compiled with, by Rust name (schema types and param enums alike).
//!
//! A type is compiled with the features of the resources that use it
//! ([`crate::model::features`]). When upstream moves a type's use from one resource
//! to another, a crate that enables only the old resource's feature and names
//! the type would break. The record keeps it from that: generation compiles a
//! type with the union of its recorded features and its current users, and
//! `codegen import` (and `codegen names`) write that union back, so a feature
//! once given is kept while the type exists. A type's line goes only when the
//! type does; a feature goes when its resource does (the feature is gone).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use crate::load::diagnostic::{Diagnostic, Diagnostics};
use crate::model::params::ParamEnums;
use crate::model::Api;
use crate::typegen::TypeSpace;

/// A param enum's key in the record: `params::SortDirection`, apart from a
/// schema type of the same name (`types::SortDirection` is `SortDirection`).
pub fn param_key(name: &str) -> String {
    format!("params::{name}")
}

/// The record's file name in a spec directory.
pub const FILE: &str = "features.yaml";

/// Rust type name → the features it has been compiled with.
pub type Record = BTreeMap<String, BTreeSet<String>>;

const HEADER: &str = "\
# The cargo features each generated type (schema types and param enums, by
# Rust name) has been compiled with. `codegen import` and `codegen names` keep
# it: a type is compiled with every feature listed here as well as those of
# the resources that use it now, so a type whose use moves to another resource
# still comes with the features it came with. A line goes when its type does.
# Not edited by hand: dropping a feature breaks crates that enable only it.
";

/// What a record update did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Update {
    /// Types recorded.
    pub types: usize,
    /// Types compiled with features no resource of which uses them now (kept
    /// by the record): `(type, those features)`.
    pub kept: Vec<(String, Vec<String>)>,
    /// Whether the file changed.
    pub changed: bool,
}

/// The record a spec implies: every type and param enum with the features
/// that compile it (the spec's record included, see [`crate::model::features`]),
/// and the types kept in features no resource of which uses them now.
pub fn implied(api: &Api, space: &TypeSpace) -> (Record, Vec<(String, Vec<String>)>) {
    let enums = ParamEnums::build(api, space);
    let names = space.types.iter().map(|t| t.name.clone()).chain(enums.enums.iter().map(|e| param_key(&e.name)));
    let now = crate::model::features::current_type_users(api, space)
        .into_iter()
        .chain(crate::model::features::current_param_users(&enums));
    let compiled = crate::model::features::type_users(api, space)
        .into_iter()
        .chain(crate::model::features::param_users(api, &enums));
    let mut record = Record::new();
    let mut kept: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for ((name, now), compiled) in names.zip(now).zip(compiled) {
        let beyond: BTreeSet<String> = compiled.difference(&now).cloned().collect();
        if !beyond.is_empty() {
            kept.entry(name.clone()).or_default().extend(beyond);
        }
        record.entry(name).or_default().extend(compiled);
    }
    (record, kept.into_iter().map(|(name, features)| (name, features.into_iter().collect())).collect())
}

/// Writes the record a spec implies into `spec_dir` and says what it keeps.
pub fn update(spec_dir: &Path, api: &Api, space: &TypeSpace) -> Result<Update, Diagnostics> {
    let (record, kept) = implied(api, space);
    let changed = write(spec_dir, &record)?;
    Ok(Update { types: record.len(), kept, changed })
}

/// Reads the record of a spec directory; `None` when it has none.
pub fn read(spec_dir: &Path) -> Result<Option<Record>, Diagnostics> {
    crate::load::optional_yaml(&spec_dir.join(FILE), "`TypeName: [feature, ...]`").map_err(|problems| {
        let hint = "each line is `TypeName: [feature, ...]`; `codegen import` and `codegen names` write it";
        Diagnostics(problems.0.into_iter().map(|d| d.hint(hint)).collect())
    })
}

/// The record's text: the header, then one `TypeName: [feature, ...]` line
/// per type, sorted by name, the features sorted.
pub fn render(record: &Record) -> String {
    let mut text = HEADER.to_string();
    for (name, features) in record {
        let list: Vec<String> = features.iter().map(|f| scalar(f)).collect();
        text.push_str(&format!("{}: [{}]\n", scalar(name), list.join(", ")));
    }
    text
}

/// A name as a YAML scalar: plain when it is an identifier YAML reads as
/// text, else double-quoted.
fn scalar(name: &str) -> String {
    let identifier = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let special = ["true", "false", "null"].contains(&name.to_ascii_lowercase().as_str());
    if identifier && !special {
        name.to_string()
    } else {
        format!("{name:?}")
    }
}

/// Writes `record` into `spec_dir` (only if it changed); whether it did.
pub fn write(spec_dir: &Path, record: &Record) -> Result<bool, Diagnostics> {
    let path = spec_dir.join(FILE);
    let text = render(record);
    if fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
        return Ok(false);
    }
    fs::write(&path, text).map_err(|e| Diagnostics(vec![Diagnostic::error(&path, format!("cannot write: {e}"))]))?;
    Ok(true)
}

/// Problems of the record a spec has against the one `codegen names` would
/// write for it (`wanted`): none (a warning, as for a missing names table),
/// or out of date (a warning: a type compiled with a feature the record
/// does not list yet would lose it at its next move; a line of a type or a
/// feature that is gone stays until the record is rewritten).
pub fn diagnostics(spec_dir: &Path, record: Option<&Record>, wanted: &Record) -> Diagnostics {
    let path = spec_dir.join(FILE);
    let mut out = Diagnostics::default();
    let Some(record) = record else {
        out.push(
            Diagnostic::warning(
                &path,
                "no feature record: a type whose use moves to another resource loses the cargo features it came with",
            )
            .hint("run `codegen names` to write it"),
        );
        return out;
    };
    let missing: Vec<&String> =
        wanted.iter().filter(|(name, features)| record.get(*name) != Some(features)).map(|(name, _)| name).collect();
    let gone: Vec<&String> = record.keys().filter(|name| !wanted.contains_key(*name)).collect();
    if missing.is_empty() && gone.is_empty() {
        return out;
    }
    let mut parts = Vec::new();
    if !missing.is_empty() {
        let what = format!("{} types are compiled with other features than it lists", missing.len());
        parts.push(format!("{what} ({})", some(&missing)));
    }
    if !gone.is_empty() {
        parts.push(format!("{} types it lists are gone ({})", gone.len(), some(&gone)));
    }
    out.push(
        Diagnostic::warning(&path, format!("the feature record is out of date: {}", parts.join("; ")))
            .hint("run `codegen names` to update it"),
    );
    out
}

/// At most five names, quoted.
fn some(names: &[&String]) -> String {
    let mut shown: Vec<String> = names.iter().take(5).map(|n| format!("`{n}`")).collect();
    if names.len() > 5 {
        shown.push(format!("{} more", names.len() - 5));
    }
    shown.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_reads_back_as_written() {
        let mut record = Record::new();
        record.insert("Org".into(), ["org".to_string(), "orgs".to_string()].into());
        record.insert("ErrorBody".into(), BTreeSet::new());
        record.insert("Odd".into(), ["null".to_string(), "a-b".to_string()].into());
        let text = render(&record);
        assert!(text.ends_with("ErrorBody: []\nOdd: [\"a-b\", \"null\"]\nOrg: [org, orgs]\n"), "{text}");
        let dir = tempfile::tempdir().unwrap();
        assert!(write(dir.path(), &record).unwrap());
        assert!(!write(dir.path(), &record).unwrap(), "an unchanged record is not rewritten");
        assert_eq!(read(dir.path()).unwrap(), Some(record));
    }

    #[test]
    fn a_malformed_record_is_an_error_at_its_line() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read(dir.path()).unwrap(), None);
        fs::write(dir.path().join(FILE), "# header\nOrg: [org]\nDevice: device\n").unwrap();
        let problems = read(dir.path()).unwrap_err();
        let problem = &problems.0[0];
        assert!(problem.file.ends_with(FILE), "{problem}");
        assert_eq!(problem.line, Some(3), "{problem}");
        assert!(problem.message.starts_with("expected `TypeName: [feature, ...]` lines"), "{problem}");
    }
}
