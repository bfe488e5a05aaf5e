//! The public Rust API the generator emits for a spec: what a caller of the
//! client can name, call and match, read off the same model and functions
//! that write the code (never parsed back from it).
//!
//! - per resource: the `Client` accessor and its handle type, and per action
//!   the handle method with its positional arguments, the request builder
//!   with its setters, what `send()` returns (and the enum of responses or
//!   events, if any) and whether `.pages()`/`.items()` exist;
//! - per type of the `types` module: its name, kind, fields (their Rust
//!   types, required / `Option` / `Nullable`), constructor arguments,
//!   setters, variants, derived traits, `#[non_exhaustive]`-ness and the
//!   cargo features that compile it;
//! - the enums of the `params` module, and the client's constants and the
//!   setters every request builder shares.
//!
//! Types are spelled as a caller reads them (`Vec<OrgMember>`,
//! `impl IntoParam<SortDirection>`), module paths left out. [`crate::maintainer::diff`]
//! compares two surfaces.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::emit::plan::{self, Outcome, Role};
use crate::emit::types;
use crate::model::params::ParamEnums;
use crate::model::{Action, Api, Param};
use crate::typegen::{Field, TypeDef, TypeKind, TypeSpace};

/// Everything public a spec's client has.
#[derive(Debug, Clone, Default)]
pub struct Surface {
    /// `API_VERSION`, `ACCEPT_VERSION`, `DEFAULT_BASE_URL` and the shared setters.
    pub client: ClientSurface,
    /// Resources by spec name (`org`).
    pub resources: BTreeMap<String, ResourceSurface>,
    /// The `types` module, by Rust name.
    pub types: BTreeMap<String, TypeSurface>,
    /// The `params` module's enums, by Rust name.
    pub params: BTreeMap<String, TypeSurface>,
    /// Each schema place (`org.members[]`, see [`crate::typegen`]) → the name of the type there.
    pub places: BTreeMap<String, String>,
    /// The named schemas' JSON, for the spec-level facts a change report cites.
    pub schemas: BTreeMap<String, Value>,
    /// The spec's `names.yaml` (place → Rust name), when read from a spec
    /// directory ([`crate::maintainer::diff::diff_specs`]): a rename a maintainer made
    /// there is the cause of the changes it makes.
    pub names: BTreeMap<String, String>,
}

/// The crate-level items every request shares.
#[derive(Debug, Clone, Default)]
pub struct ClientSurface {
    /// The value of `API_VERSION`.
    pub api_version: String,
    /// The value of `ACCEPT_VERSION`: the `Accept-Version` header sent by default.
    pub accept_version: String,
    /// The value of `DEFAULT_BASE_URL`.
    pub base_url: String,
    /// The setters of the global params, on every request builder, by wire name.
    pub setters: BTreeMap<String, Setter>,
    /// The global params, for the facts a change report cites.
    pub spec: Vec<Param>,
}

/// One resource: `Client::<module>()` returning `<module>::<handle>`,
/// compiled with the cargo feature `<module>`.
#[derive(Debug, Clone)]
pub struct ResourceSurface {
    /// Module, accessor and feature name, e.g. `org`.
    pub module: String,
    /// The handle type, e.g. `OrgResource`.
    pub handle: String,
    /// Actions by spec name.
    pub actions: BTreeMap<String, ActionSurface>,
}

/// One action: a handle method and its request builder.
#[derive(Debug, Clone)]
pub struct ActionSurface {
    /// `resource.action`, e.g. `org.get`.
    pub id: String,
    /// The handle method, e.g. `get`.
    pub method: String,
    /// The request builder, e.g. `GetRequest`.
    pub builder: String,
    /// The handle method's arguments after `&self`, in order.
    pub args: Vec<Arg>,
    /// The builder's setters for the action's own optional params, by wire
    /// name (the global params' are in [`ClientSurface::setters`]).
    pub setters: BTreeMap<String, Setter>,
    /// What `send()` returns (`Org`, `ApplyTemplateResponse`, `EventStream<StateStreamEvent>`, `()`).
    pub output: String,
    /// The enum of success responses or of events that `send()` returns, if any.
    pub output_enum: Option<OutputEnum>,
    /// The item type of `.pages()` and `.items()`, when the action has them.
    pub pages: Option<String>,
    /// Whether the builder has `send_blocking()` (every action but event streams).
    pub blocking: bool,
    /// The spec's action, for the facts a change report cites (method,
    /// path, scopes, params, responses, texts).
    pub spec: Action,
}

/// A positional argument of a handle method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    /// The param's wire name.
    pub wire: String,
    /// The argument's name.
    pub name: String,
    /// The type it takes.
    pub ty: String,
}

/// A setter: `name(value: ty)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setter {
    /// The method name.
    pub name: String,
    /// The type its value takes.
    pub ty: String,
    /// Marked `#[deprecated]`.
    pub deprecated: bool,
}

/// The enum `send()` returns for an action with several success bodies (one
/// variant per status; exhaustive), or the event enum of a stream
/// (`#[non_exhaustive]`, with an `Other` variant).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputEnum {
    /// Its name, e.g. `ApplyTemplateResponse`.
    pub name: String,
    /// Variant → the type it holds (`None` for a unit variant).
    pub variants: BTreeMap<String, Option<String>>,
    /// Whether it is `#[non_exhaustive]`.
    pub non_exhaustive: bool,
}

/// One type of the `types` or `params` module.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeSurface {
    /// Its Rust name.
    pub name: String,
    /// What it is.
    pub shape: Shape,
    /// The schema places it serves (for a param enum, the actions whose param it is).
    pub places: Vec<String>,
    /// The named schema it is, if it is one.
    pub schema: Option<String>,
    /// The cargo features that compile it (any one will do); `None` when it is always compiled.
    pub features: Option<BTreeSet<String>>,
    /// Its description from the schema.
    pub doc: Option<String>,
}

/// The kinds of generated types.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// A struct, built with `new(required fields)` and setters.
    Struct(StructSurface),
    /// A string enum: always `#[non_exhaustive]`, values it does not know in `Unknown(String)`.
    StringEnum {
        /// Variant → wire value, in declaration order.
        variants: Vec<(String, String)>,
    },
    /// A `oneOf` union: `#[non_exhaustive]` with an `Unknown` variant unless
    /// it holds only scalars (`NumberOrString`), which is a plain exhaustive enum.
    Union {
        /// Variant → the type it holds.
        variants: BTreeMap<String, String>,
        /// Whether it is `#[non_exhaustive]`.
        non_exhaustive: bool,
        /// The traits it derives that not every union has (`Eq`); all have
        /// `Debug`, `Clone`, `PartialEq`, `Serialize` and `Deserialize`.
        traits: BTreeSet<&'static str>,
    },
    /// `pub type Name = Target;`.
    Alias {
        /// The target type.
        target: String,
    },
}

/// The public parts of a struct.
#[derive(Debug, Clone, PartialEq)]
pub struct StructSurface {
    /// Its fields, in declaration order.
    pub fields: Vec<FieldSurface>,
    /// The arguments of `new`, in order: (name, type).
    pub new_args: Vec<(String, String)>,
    /// Whether it is `#[non_exhaustive]` (every generated struct is).
    pub non_exhaustive: bool,
    /// The traits it derives that not every struct has (`Default`);
    /// all have `Debug`, `Clone`, `PartialEq`, `Serialize` and `Deserialize`.
    pub traits: BTreeSet<&'static str>,
}

/// A struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldSurface {
    /// Its Rust name.
    pub rust: String,
    /// Its name on the wire (empty for the map of undeclared properties).
    pub wire: String,
    /// Its declared type, `Option<..>`/`Nullable<..>` included.
    pub ty: String,
    /// How it may be absent.
    pub presence: Presence,
    /// Its setter (optional fields only).
    pub setter: Option<Setter>,
    /// Its `clear_<field>()` method (nullable fields only).
    pub clear: Option<String>,
    /// Its description, or what the schema says of its values.
    pub doc: Option<String>,
}

/// Whether a field must be given, and how it is left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// A plain `T`, an argument of `new`.
    Required,
    /// `Option<T>`, with a setter.
    Optional,
    /// `Nullable<T>`, with a setter and `clear_<field>()`.
    Nullable,
    /// The flattened map of undeclared properties.
    Extra,
    /// The `unknown_fields` map every struct without `extra` has.
    Unknown,
}

impl Presence {
    /// How a change report says it.
    pub fn describe(self) -> &'static str {
        match self {
            Presence::Required => "required",
            Presence::Optional => "optional",
            Presence::Nullable => "optional and nullable",
            Presence::Extra => "the map of undeclared properties",
            Presence::Unknown => "the map of unknown fields",
        }
    }
}

impl Surface {
    /// The surface of a checked spec and its types (as [`crate::check_types`] returns them).
    pub fn of(api: &Api, space: &TypeSpace) -> Surface {
        let enums = ParamEnums::build(api, space);
        let users = crate::model::features::type_users(api, space);
        let all = api.resources.len();
        let features = |set: &BTreeSet<String>| -> Option<BTreeSet<String>> {
            // Exactly when emit writes no `#[cfg]`, the item is always there.
            (!crate::model::features::cfg(set, all).is_empty()).then(|| set.clone())
        };
        let mut surface = Surface {
            client: ClientSurface {
                api_version: api.version.clone(),
                accept_version: api.accept_version.clone(),
                base_url: api.base_url.clone(),
                setters: api
                    .global_params
                    .iter()
                    .map(|p| (p.name.clone(), setter(&plan::param(space, &enums, p))))
                    .collect(),
                spec: api.global_params.clone(),
            },
            schemas: api.schemas.iter().map(|(name, s)| (name.clone(), s.json.clone())).collect(),
            ..Surface::default()
        };
        for resource in &api.resources {
            let actions = resource
                .actions
                .iter()
                .map(|a| (a.name.clone(), action(space, &enums, &format!("{}.{}", resource.name, a.name), a)))
                .collect();
            surface.resources.insert(
                resource.name.clone(),
                ResourceSurface { module: resource.module.clone(), handle: resource.handle.clone(), actions },
            );
        }
        for (id, def) in space.types.iter().enumerate() {
            let ty = TypeSurface {
                name: def.name.clone(),
                shape: shape(space, def),
                places: def.uses.clone(),
                schema: def.schema.clone(),
                features: users.get(id).and_then(features),
                doc: def.doc.clone(),
            };
            for place in &def.uses {
                surface.places.insert(place.clone(), def.name.clone());
            }
            surface.types.insert(def.name.clone(), ty);
        }
        for (e, modules) in enums.enums.iter().zip(crate::model::features::param_users(api, &enums)) {
            let ty = TypeSurface {
                name: e.name.clone(),
                shape: Shape::StringEnum {
                    variants: e.values.iter().map(|v| (v.rust.clone(), v.wire.clone())).collect(),
                },
                places: e.users.iter().map(|u| format!("{}.params.{}", u.action, e.param)).collect(),
                schema: None,
                features: features(&modules),
                doc: None,
            };
            surface.params.insert(e.name.clone(), ty);
        }
        surface
    }

    /// The type serving a schema place, if any.
    pub fn type_at(&self, place: &str) -> Option<&TypeSurface> {
        self.places.get(place).and_then(|name| self.types.get(name))
    }
}

fn action(space: &TypeSpace, enums: &ParamEnums, id: &str, a: &Action) -> ActionSurface {
    let plan = plan::plan(space, enums, a);
    let args = plan
        .with_role(Role::Argument)
        .map(|p| Arg { wire: p.param.name.clone(), name: p.param.rust_name.clone(), ty: spell(&p.argument) })
        .collect();
    let setters = plan.with_role(Role::Setter).map(|p| (p.param.name.clone(), setter(p))).collect();
    ActionSurface {
        id: id.to_string(),
        method: a.method_name.clone(),
        builder: a.builder.clone(),
        args,
        setters,
        output: spell(&plan.outcome.output()),
        output_enum: output_enum(&plan.outcome),
        pages: plan.pages.as_ref().map(|pages| spell(&pages.item)),
        blocking: !matches!(plan.outcome, Outcome::Stream { .. }),
        spec: a.clone(),
    }
}

fn setter(p: &plan::ParamPlan) -> Setter {
    Setter { name: p.param.rust_name.clone(), ty: spell(&p.argument), deprecated: p.param.deprecated }
}

/// The enum `send()` returns, as `emit::resource` writes it from the plan.
fn output_enum(outcome: &Outcome) -> Option<OutputEnum> {
    match outcome {
        Outcome::Stream { name, events } => {
            let variants = events
                .iter()
                .map(|e| (e.variant.clone(), Some(spell(&e.ty))))
                .chain([("Other".to_string(), Some("{ event: String, data: String }".to_string()))])
                .collect();
            Some(OutputEnum { name: name.clone(), variants, non_exhaustive: true })
        }
        Outcome::Statuses { name, variants } => Some(OutputEnum {
            name: name.clone(),
            variants: variants.iter().map(|v| (v.variant.clone(), v.body.as_ref().map(spell))).collect(),
            non_exhaustive: false,
        }),
        Outcome::Body { .. } | Outcome::Unit => None,
    }
}

fn shape(space: &TypeSpace, def: &TypeDef) -> Shape {
    // The traits beyond those every struct or union derives, as emit decides them.
    let traits: BTreeSet<&'static str> = types::traits(&def.kind).into_iter().collect();
    match &def.kind {
        TypeKind::Struct(fields) => Shape::Struct(structure(space, fields, traits)),
        TypeKind::Enum(values) => {
            Shape::StringEnum { variants: values.iter().map(|v| (v.rust.clone(), v.wire.clone())).collect() }
        }
        TypeKind::Union(variants) => {
            let scalars = variants.iter().all(|v| v.ty.is_scalar());
            Shape::Union {
                variants: variants.iter().map(|v| (v.name.clone(), spell(&types::held_type(space, &v.ty)))).collect(),
                non_exhaustive: !scalars,
                traits,
            }
        }
        TypeKind::Alias(ty) => Shape::Alias { target: spell(&types::type_tokens(space, ty)) },
    }
}

/// A struct as `emit::types::struct_item` writes it.
fn structure(space: &TypeSpace, fields: &[Field], traits: BTreeSet<&'static str>) -> StructSurface {
    let value = crate::emit::types::ident("value");
    let mut out = Vec::new();
    // The setters' names as emit gives them (a clash gets `_`, then a number).
    let names = types::setters(fields);
    for (f, names) in fields.iter().zip(&names) {
        let held = spell(&types::held_type(space, &f.ty));
        let (taken, _) = types::param(space, f, &value);
        let setter = || {
            names.as_ref().map(|n| Setter {
                name: spell(&quote_ident(&crate::emit::types::ident(&n.set))),
                ty: spell(&taken),
                deprecated: false,
            })
        };
        let clear = names.as_ref().and_then(|n| n.clear.clone());
        let (ty, presence, setter, clear) = if f.flatten {
            (held, Presence::Extra, None, None)
        } else if f.required {
            (held, Presence::Required, None, None)
        } else if f.nullable {
            (format!("Nullable<{held}>"), Presence::Nullable, setter(), clear)
        } else {
            (format!("Option<{held}>"), Presence::Optional, setter(), None)
        };
        out.push(FieldSurface {
            rust: f.rust.clone(),
            wire: f.wire.clone(),
            ty,
            presence,
            setter,
            clear,
            doc: f.doc.clone(),
        });
    }
    if !fields.iter().any(|f| f.flatten) {
        let mut rust = "unknown_fields".to_string();
        while fields.iter().any(|f| f.rust == rust) {
            rust.push('_');
        }
        out.push(FieldSurface {
            rust,
            wire: String::new(),
            ty: "serde_json::Map<String, serde_json::Value>".into(),
            presence: Presence::Unknown,
            setter: None,
            clear: None,
            doc: None,
        });
    }
    let new_args = fields
        .iter()
        .filter(|f| f.required && !f.flatten)
        .map(|f| (f.rust.clone(), spell(&types::param(space, f, &value).0)))
        .collect();
    StructSurface { fields: out, new_args, non_exhaustive: true, traits }
}

fn quote_ident(ident: &proc_macro2::Ident) -> TokenStream {
    quote!(#ident)
}

/// Tokens as a caller reads the type: `Vec<OrgMember>`, `impl IntoParam<SortDirection>`,
/// `Nullable<String>`: spaces of the token printer dropped, and the client's
/// own module paths (`crate::`, `types::`, `params::`, `std::collections::`) left out.
pub fn spell(tokens: &TokenStream) -> String {
    let mut text = tokens.to_string();
    for (from, to) in
        [(" :: ", "::"), (":: ", "::"), (" < ", "<"), ("< ", "<"), (" <", "<"), (" >", ">"), (" , ", ", "), (" ,", ",")]
    {
        text = text.replace(from, to);
    }
    for prefix in ["crate::params::", "crate::", "types::", "params::", "std::collections::"] {
        text = text.replace(prefix, "");
    }
    text.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_spelled_as_callers_read_them() {
        assert_eq!(
            spell(&quote!(impl crate::IntoParam<crate::params::SortDirection>)),
            "impl IntoParam<SortDirection>"
        );
        assert_eq!(spell(&quote!(Vec<Vec<types::Org>>)), "Vec<Vec<Org>>");
        assert_eq!(spell(&quote!(std::collections::BTreeMap<String, types::X>)), "BTreeMap<String, X>");
        assert_eq!(spell(&quote!(impl Into<String>)), "impl Into<String>");
        assert_eq!(spell(&quote!(crate::EventStream<StateStreamEvent>)), "EventStream<StateStreamEvent>");
        assert_eq!(spell(&quote!(())), "()");
    }
}
