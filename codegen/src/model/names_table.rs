//! `spec/names.yaml`: the Rust name of the type at each place of the spec.
//!
//! A place is a schema path (`dashboard.blocks[]|graph.config`, see
//! [`crate::typegen`]); a named schema's place is its name. The table is
//! what keeps names put across releases: `codegen import` (and `codegen
//! names`) keep every name whose place still holds a type, give new places
//! new names, and report the names whose place is gone. A maintainer renames
//! a type by editing its line.
//!
//! The enums of params have lines too, one per place:
//! `devices.get(sortField): DevicesGetSortField` (see [`crate::model::params`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use crate::load::diagnostic::{Diagnostic, Diagnostics};
use crate::load::locate::Locations;
use crate::model::params::ParamEnums;
use crate::typegen::{NameConflict, NameNote, TypeSpace};
use crate::validate::shown;

/// The table's file name in a spec directory.
pub const FILE: &str = "names.yaml";

/// Place → Rust type name.
pub type Table = BTreeMap<String, String>;

const HEADER: &str = "\
# The Rust name of the generated type at each place of the spec (a schema
# name, or a path into one: `.field`, `[]` an array item, `{}` a map value,
# `|label` a union branch), or a param's `resource.action(param)` for the
# enums of the `params` module. `codegen import` and `codegen names` keep these
# names, add new places and drop places that are gone; edit a name here to
# rename a type. Renaming is a breaking change for callers.
";

/// What a table update did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Update {
    /// Types the table did not name before: `(place, name)`.
    pub added: Vec<(String, String)>,
    /// Names no type has any more: `(place, name)` as the old table had them.
    pub gone: Vec<(String, String)>,
    /// Names kept.
    pub kept: usize,
    /// Why a new name is not the one its place suggests, or why a place left
    /// the name the table gave it, as `place: what` (see [`NameNote`]).
    pub notes: Vec<String>,
}

/// Reads the table of a spec directory; `None` when it has none.
pub fn read(spec_dir: &Path) -> Result<Option<Table>, Diagnostics> {
    crate::load::optional_yaml(&spec_dir.join(FILE), "`place: TypeName`")
}

/// The table's text: the header, then one `place: Name` line per type, sorted by place.
pub fn render(table: &Table) -> String {
    let body = if table.is_empty() { String::new() } else { serde_yaml::to_string(table).unwrap_or_default() };
    format!("{HEADER}{body}")
}

/// Compares the old table with the one a type space implies. A param enum
/// and a schema type may share a name (they live in different modules), so
/// names are compared within their kind.
pub fn compare(old: &Table, new: &Table) -> Update {
    // Names within their kind (a param enum may share a schema type's name),
    // one entry per name at its first place: a type is listed once, however
    // many places it has.
    let named = |table: &Table| -> BTreeSet<(bool, String)> {
        table.iter().map(|(place, name)| (crate::model::params::is_place(place), name.clone())).collect()
    };
    let (old_names, new_names) = (named(old), named(new));
    let once = |table: &Table, other: &BTreeSet<(bool, String)>| -> Vec<(String, String)> {
        let mut seen: BTreeSet<(bool, &String)> = BTreeSet::new();
        table
            .iter()
            .filter(|(p, n)| {
                let kind = crate::model::params::is_place(p);
                !other.contains(&(kind, (*n).clone())) && seen.insert((kind, *n))
            })
            .map(|(p, n)| (p.clone(), n.clone()))
            .collect()
    };
    Update {
        added: once(new, &old_names),
        gone: once(old, &new_names),
        kept: new_names.intersection(&old_names).count(),
        notes: Vec::new(),
    }
}

/// A note as one line: `` `place` what``.
pub fn note_line(note: &NameNote) -> String {
    format!("`{}` {}", shown(&note.place), note.what)
}

/// Writes the table a type space implies into `spec_dir` (only if it
/// changed) and says what changed.
pub fn write(spec_dir: &Path, old: &Table, space: &TypeSpace, params: &ParamEnums) -> Result<Update, Diagnostics> {
    let mut new = space.names_table();
    new.extend(params.table());
    let path = spec_dir.join(FILE);
    let text = render(&new);
    if fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
        fs::write(&path, text)
            .map_err(|e| Diagnostics(vec![Diagnostic::error(&path, format!("cannot write: {e}"))]))?;
    }
    let mut update = compare(old, &new);
    update.notes = space.notes.iter().map(note_line).collect();
    update.notes.extend(params.renamed.iter().map(renamed_param_note));
    Ok(update)
}

/// Places the table names whose shape cannot be one type with the other
/// places of that name (errors: `codegen names` or `import` gives each a
/// name of its own), and names given by rule instead of the one a new schema
/// wanted (notes).
pub fn note_diagnostics(spec_dir: &Path, space: &TypeSpace) -> Diagnostics {
    let path = spec_dir.join(FILE);
    let text = fs::read_to_string(&path).unwrap_or_default();
    let locations = Locations::index(&text);
    let mut out = Diagnostics::default();
    for note in &space.notes {
        let item = format!("schemas.{}", shown(&note.place));
        out.push(if note.split {
            Diagnostic::error(&path, note_line(note))
                .at(locations.find(&note.place))
                .item(item)
                .hint("run `codegen names` to give the place a name of its own, or edit its line")
        } else {
            Diagnostic::note(&path, note_line(note)).item(item).hint("edit its line in names.yaml to choose another")
        });
    }
    out
}

/// The note for a new param place named by rule because its name was taken.
fn renamed_param_note(renamed: &crate::model::params::Renamed) -> String {
    format!(
        "the param enum at `{}` is named `{}`: `{}` already has the name `{}`",
        renamed.place, renamed.got, renamed.holder, renamed.wanted
    )
}

/// A name that could not be given, at the line that gives it: the table's
/// line for the place, else (a named schema's own name) the schema's file.
fn conflict_diagnostic(
    spec_dir: &Path,
    table: Option<&Table>,
    space: &TypeSpace,
    conflict: &NameConflict,
) -> Diagnostic {
    let holder = space.types.iter().find(|t| t.name == conflict.name).map(|t| crate::typegen::anchor(&t.uses));
    let message = match holder {
        Some(other) => {
            format!("`{}` wants the type name `{}`, which `{other}` has", shown(&conflict.place), conflict.name)
        }
        None => {
            format!("the name `{}` cannot be given to the type at `{}`", shown(&conflict.name), shown(&conflict.place))
        }
    };
    let in_table = table.is_some_and(|t| t.contains_key(&conflict.place));
    let schema = crate::typegen::check::root_schema(&conflict.place);
    let schema_file = spec_dir.join("schemas").join(format!("{schema}.yaml"));
    let (file, hint) = if in_table || schema != conflict.place || !schema_file.is_file() {
        (
            spec_dir.join(FILE),
            "names must be unique UpperCamelCase identifiers that do not shadow `Option`, `Error`, ...; edit the line"
                .to_string(),
        )
    } else {
        (schema_file, format!("name the type in {FILE} (a line `{schema}: <Name>`), or rename the schema"))
    };
    let position = fs::read_to_string(&file).ok().and_then(|text| {
        let locations = Locations::index(&text);
        if in_table {
            locations.find(&conflict.place)
        } else {
            locations.find("")
        }
    });
    Diagnostic::error(&file, message).at(position).item(format!("schemas.{}", shown(&conflict.place))).hint(hint)
}

/// Problems of a table against the types it names: names two types want or
/// that are not type names (errors), places that no longer hold a type, and
/// types it does not name yet (warnings).
pub fn diagnostics(spec_dir: &Path, table: Option<&Table>, space: &TypeSpace) -> Diagnostics {
    let path = spec_dir.join(FILE);
    let mut out = Diagnostics::default();
    for conflict in &space.conflicts {
        out.push(conflict_diagnostic(spec_dir, table, space, conflict));
    }
    let Some(table) = table else {
        out.push(
            Diagnostic::warning(&path, "no names table: type names are derived and may change with the spec")
                .hint("run `codegen names` to write it"),
        );
        return out;
    };
    let places: BTreeSet<&String> = space.types.iter().flat_map(|t| t.uses.iter()).collect();
    let stale: Vec<&String> =
        table.keys().filter(|place| !places.contains(place) && !crate::model::params::is_place(place)).collect();
    if !stale.is_empty() {
        let shown: Vec<String> = stale.iter().take(5).map(|p| format!("`{p}`")).collect();
        out.push(
            Diagnostic::warning(&path, format!("{} places no longer hold a type: {}", stale.len(), shown.join(", ")))
                .hint("run `codegen names` to drop them"),
        );
    }
    let implied = space.names_table();
    let missing = implied.keys().filter(|place| !table.contains_key(*place)).count();
    if missing > 0 {
        out.push(
            Diagnostic::warning(&path, format!("{missing} types have no line yet; their names may change"))
                .hint("run `codegen names` to add them"),
        );
    }
    out
}

/// Problems of the table's param lines: a name a place cannot have (an
/// error, at its line), places that no longer take an enum and enums without
/// lines (warnings), new places named otherwise than they derive (notes).
pub fn param_diagnostics(spec_dir: &Path, table: Option<&Table>, params: &ParamEnums) -> Diagnostics {
    let path = spec_dir.join(FILE);
    let mut out = Diagnostics::default();
    let text = fs::read_to_string(&path).unwrap_or_default();
    let locations = Locations::index(&text);
    for conflict in &params.conflicts {
        let message = match &conflict.holder {
            Some(holder) => format!(
                "`{}` is given the name `{}`, which the table gives `{holder}`, another param's values",
                conflict.place, conflict.name
            ),
            None => format!(
                "the name `{}` cannot be given to the param enum at `{}`",
                shown(&conflict.name),
                conflict.place
            ),
        };
        out.push(
            Diagnostic::error(&path, message)
                .at(locations.find(&conflict.place))
                .item(conflict.place.clone())
                .hint("one name is one param's enum: an UpperCamelCase identifier that does not shadow `Option`, `Error`, ...; edit the line"),
        );
    }
    for renamed in &params.renamed {
        out.push(
            Diagnostic::note(&path, renamed_param_note(renamed))
                .item(renamed.place.clone())
                .hint(format!("edit `{}:` to choose another name", renamed.place)),
        );
    }
    let Some(table) = table else { return out };
    let implied = params.table();
    let stale: Vec<&String> =
        table.keys().filter(|place| crate::model::params::is_place(place) && !implied.contains_key(*place)).collect();
    if !stale.is_empty() {
        let shown: Vec<String> = stale.iter().take(5).map(|p| format!("`{p}`")).collect();
        out.push(
            Diagnostic::warning(
                &path,
                format!("{} param places no longer take an enum: {}", stale.len(), shown.join(", ")),
            )
            .hint("run `codegen names` to drop them"),
        );
    }
    let missing = implied.keys().filter(|place| !table.contains_key(*place)).count();
    if missing > 0 {
        out.push(
            Diagnostic::warning(
                &path,
                format!("{missing} param places have no line yet; their enums' names may change"),
            )
            .hint("run `codegen names` to add them"),
        );
    }
    out
}
