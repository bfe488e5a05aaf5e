//! Checks of the Rust types a spec becomes: what JSON Schema can say and
//! Rust cannot, found after [`crate::typegen`] and reported at the schema
//! file it comes from.
//!
//! - An alias that contains itself with no struct, enum or union in between
//!   (`items: {$ref: self}` at a schema's root, or two schemas that are only
//!   a `$ref` of each other): `type A = Vec<A>` is a cycle rustc rejects,
//!   and boxing does not help (an alias is not a new type). A struct that
//!   holds itself, directly or through aliases, is boxed instead.
//! - Schemas nested deeper than [`MAX_DEPTH`], through their `$ref`s:
//!   conversion stopped there rather than run out of stack.

use std::fs;

use crate::load::diagnostic::{Diagnostic, Diagnostics};
use crate::load::locate::Locations;
use crate::model::Api;
use crate::typegen::{RustType, TypeSpace, MAX_DEPTH};
use crate::validate::shown;

/// Every problem of the types of `space`, the types of `api`'s schemas.
pub fn diagnostics(api: &Api, space: &TypeSpace) -> Diagnostics {
    let mut out = Diagnostics::default();
    for id in space.alias_cycles() {
        let def = &space.types[id];
        let Some(schema) = def.schema.as_deref() else { continue };
        let body = match &def.kind {
            crate::typegen::TypeKind::Alias(ty) => spelled(space, ty),
            _ => continue,
        };
        out.push(
            at_schema(
                api,
                schema,
                format!("schema `{schema}` contains only itself: `type {} = {body};` is no Rust type", def.name),
            )
            .hint("let an object hold the `$ref` (a property), or drop it"),
        );
    }
    if let Some((schema, place)) = &space.too_deep {
        out.push(
            at_schema(
                api,
                schema,
                format!(
                    "schemas nest more than {MAX_DEPTH} deep from `{schema}` (through `$ref`s), at `{}`",
                    shown(place)
                ),
            )
            .hint("a chain of `$ref`s this long is likely a mistake; conversion stopped there"),
        );
    }
    reshapes(api, space, &mut out);
    out
}

/// A param marked `reshapes: F` needs a list of structs `F` in its action's
/// success responses whose items have a required text field for the map's
/// keys: the rule [`TypeSpace::mark_map_forms`] decodes by, asked the same way.
fn reshapes(api: &Api, space: &TypeSpace, out: &mut Diagnostics) {
    for action in api.resources.iter().flat_map(|r| &r.actions) {
        for param in &action.params {
            let Some(reshape) = &param.reshapes else { continue };
            let field = &reshape.field;
            let lists = space.lists_reshaped(action, field);
            if lists.is_empty() {
                let roots: Vec<String> =
                    action.successes().filter_map(|r| r.schema.as_deref()).map(|s| format!("`{s}`")).collect();
                let bodies = if roots.is_empty() {
                    "the action has no success response body".to_string()
                } else {
                    format!("no list of objects named `{field}` is in its success responses ({})", roots.join(", "))
                };
                out.push(
                    reshape.site.error(format!("param `{}` reshapes `{field}`, but {bodies}", param.name))
                        .hint("name the list field the param changes, or delete the mark (an override of `x-reshapes: false` keeps `codegen import` from marking it)"),
                );
            }
            for (holder, _, _) in lists.iter().filter(|(_, _, form)| form.is_none()) {
                out.push(reshape.site.error(format!(
                    "param `{}` reshapes `{}.{field}`, whose items have no required text field to hold the map's keys",
                    param.name, space.types[*holder].name
                )));
            }
        }
    }
}

/// An error at the root of a schema's file.
fn at_schema(api: &Api, schema: &str, message: String) -> Diagnostic {
    let item = format!("schemas.{}", shown(schema));
    match api.schemas.get(schema) {
        Some(s) => {
            let position = fs::read_to_string(&s.file).ok().and_then(|text| Locations::index(&text).find(""));
            Diagnostic::error(&s.file, message).at(position).item(item)
        }
        None => Diagnostic::error("schemas", message).item(item),
    }
}

/// The schema a place is in: `org.members[]` → `org`.
pub fn root_schema(place: &str) -> &str {
    place.split(['.', '[', '|', '{']).next().unwrap_or(place)
}

/// A type as Rust spells it, for messages.
fn spelled(space: &TypeSpace, ty: &RustType) -> String {
    match ty {
        RustType::String => "String".into(),
        RustType::Secret => "Secret<String>".into(),
        RustType::Timestamp => "Timestamp".into(),
        RustType::Bool => "bool".into(),
        RustType::Integer => "i64".into(),
        RustType::Number => "f64".into(),
        RustType::Json => "serde_json::Value".into(),
        RustType::JsonObject => "serde_json::Map<String, serde_json::Value>".into(),
        RustType::List(inner) => format!("Vec<{}>", spelled(space, inner)),
        RustType::Map(inner) => format!("BTreeMap<String, {}>", spelled(space, inner)),
        RustType::Nullable(inner) => format!("Option<{}>", spelled(space, inner)),
        RustType::Named(id) => space.types[*id].name.clone(),
    }
}
