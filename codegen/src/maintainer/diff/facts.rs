//! Spec facts that may leave the Rust API as it was: a value that may now be
//! `null`, or a property that is now required, where the Rust type already
//! said so (a field that is `Nullable` because another place of its
//! deduplicated type allows `null`, a response body whose schema allows
//! `null`). Those are reported as docs, so the spec change is not lost; the
//! ones that do change a Rust type are reported by the types comparison,
//! with the fact as their explanation.

use serde_json::Value;

use super::{Changes, Impact};
use crate::maintainer::surface::{FieldSurface, Surface, TypeSurface};
use crate::typegen::is_nullable;

/// Reports the nullability and requiredness changes of the spec that change no Rust type.
pub(super) fn unchanged_nullability(old: &Surface, new: &Surface, out: &mut Changes) {
    let mut facts = Vec::new();
    for (name, schema) in &new.schemas {
        if let Some(was) = old.schemas.get(name) {
            walk(was, schema, name, &mut facts);
        }
    }
    for (path, what) in facts {
        let spec = match path.contains(['.', '[', '{']) {
            true => describe(&path, &what),
            false => format!("schema `{path}` {what}"),
        };
        match (at(old, &path), at(new, &path)) {
            (Some(Place::Field(a, f)), Some(Place::Field(b, g)))
                if a.name == b.name && f.ty == g.ty && f.presence == g.presence =>
            {
                out.push(
                    Impact::Docs,
                    "types",
                    format!("types::{}.{}", b.name, g.rust),
                    format!("the Rust type is unchanged (`{}: {}`)", g.rust, g.ty),
                )
                .because(spec);
            }
            (Some(Place::Type(a)), Some(Place::Type(b))) if a.name == b.name => {
                out.push(Impact::Docs, "types", format!("types::{}", b.name), "the Rust type is unchanged")
                    .because(spec);
            }
            // A Rust change: the types comparison reports it.
            _ => {}
        }
    }
}

/// `property `parentId` of `device` now allows null`, `items of `org.tags` ...`.
fn describe(path: &str, what: &str) -> String {
    let trimmed = path.trim_end_matches("[]").trim_end_matches("{}");
    match trimmed.rsplit_once('.') {
        Some((parent, property)) if trimmed == path => format!("property `{property}` of `{parent}` {what}"),
        _ => format!("the values at `{path}` {what}"),
    }
}

/// What a schema path is in a surface: a field of a struct, or a type.
enum Place<'a> {
    Field(&'a TypeSurface, &'a FieldSurface),
    Type(&'a TypeSurface),
}

/// The field a path is (or is the items or values of), or the type at a schema's root.
fn at<'a>(surface: &'a Surface, path: &str) -> Option<Place<'a>> {
    if !path.contains(['.', '[', '{', '|']) {
        return surface.type_at(path).map(Place::Type);
    }
    let mut field_path = path;
    while let Some(shorter) = field_path.strip_suffix("[]").or_else(|| field_path.strip_suffix("{}")) {
        field_path = shorter;
    }
    let (parent, wire) = field_path.rsplit_once('.')?;
    let ty = surface.type_at(parent)?;
    let crate::maintainer::surface::Shape::Struct(s) = &ty.shape else { return None };
    s.fields.iter().find(|f| f.wire == wire).map(|f| Place::Field(ty, f))
}

/// Walks both schemas along their properties, items and map values (not
/// into refs or unions, whose places are named by other rules), collecting
/// where `null` became allowed or not, and where a property became required or not.
fn walk(old: &Value, new: &Value, path: &str, facts: &mut Vec<(String, String)>) {
    if old == new || old.get("$ref").is_some() || new.get("$ref").is_some() {
        return;
    }
    match (is_nullable(old), is_nullable(new)) {
        (false, true) => facts.push((path.to_string(), "now allows null".into())),
        (true, false) => facts.push((path.to_string(), "no longer allows null".into())),
        _ => {}
    }
    let required = |v: &Value, name: &str| {
        v.get("required").and_then(Value::as_array).is_some_and(|r| r.iter().any(|n| n.as_str() == Some(name)))
    };
    let properties = |v: &Value| v.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
    let (before, after) = (properties(old), properties(new));
    for (name, schema) in &after {
        let Some(was) = before.get(name) else { continue };
        let field = format!("{path}.{name}");
        match (required(old, name), required(new, name)) {
            (false, true) => facts.push((field.clone(), "now required".into())),
            (true, false) => facts.push((field.clone(), "no longer required".into())),
            _ => {}
        }
        walk(was, schema, &field, facts);
    }
    if let (Some(was), Some(now)) = (old.get("items"), new.get("items")) {
        walk(was, now, &format!("{path}[]"), facts);
    }
    if let (Some(was), Some(now)) = (old.get("additionalProperties"), new.get("additionalProperties")) {
        if was.is_object() && now.is_object() {
            walk(was, now, &format!("{path}{{}}"), facts);
        }
    }
}
