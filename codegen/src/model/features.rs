//! Which resources use which types, so each resource can be a cargo feature
//! and a crate that enables only `org` compiles only the types `org` needs.
//!
//! A type is compiled with the features of the resources that use it now and
//! those `spec/features.yaml` records it was compiled with before
//! ([`crate::model::feature_record`]), so it never loses one while it exists.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::feature_record::Record;
use crate::model::params::ParamEnums;
use crate::model::Api;
use crate::typegen::{RustType, TypeId, TypeKind, TypeSpace};

/// For each type (by id), the features that compile it: the modules of the
/// resources that use it, directly or through other types, and the features
/// the spec's record lists for it (see `with_record`).
pub fn type_users(api: &Api, space: &TypeSpace) -> Vec<BTreeSet<String>> {
    with_record(api, space, current_type_users(api, space))
}

/// For each param enum (in the order of `enums`), the features that compile
/// it: the modules of the resources whose actions take it, and those the
/// spec's record lists for it.
pub fn param_users(api: &Api, enums: &ParamEnums) -> Vec<BTreeSet<String>> {
    let known = known_features(api);
    current_param_users(enums)
        .into_iter()
        .zip(&enums.enums)
        .map(|(mut users, e)| {
            users.extend(recorded(&api.feature_record, &crate::model::feature_record::param_key(&e.name), &known));
            users
        })
        .collect()
}

/// For each param enum, the modules of the resources whose actions take it.
pub fn current_param_users(enums: &ParamEnums) -> Vec<BTreeSet<String>> {
    enums.enums.iter().map(|e| e.users.iter().map(|u| u.module.clone()).collect()).collect()
}

/// The features a build can enable: one per resource, and `full`. A
/// recorded feature that is not one any more (its resource is gone) is
/// left out: a `cfg` naming it would name no feature.
fn known_features(api: &Api) -> BTreeSet<&str> {
    api.resources.iter().map(|r| r.module.as_str()).chain([FULL]).collect()
}

/// The features `record` lists for `name` that a build can still enable.
fn recorded<'a>(record: &'a Record, name: &str, known: &'a BTreeSet<&str>) -> impl Iterator<Item = String> + 'a {
    record.get(name).into_iter().flatten().filter(|f| known.contains(f.as_str())).cloned()
}

/// `users` with the features the record lists for each type added to it
/// and to every type it holds (which must compile wherever it does). A type
/// no feature gates (every resource uses it) stays so.
fn with_record(api: &Api, space: &TypeSpace, mut users: Vec<BTreeSet<String>>) -> Vec<BTreeSet<String>> {
    let known = known_features(api);
    for (id, def) in space.types.iter().enumerate() {
        let extra: Vec<String> = recorded(&api.feature_record, &def.name, &known)
            .filter(|f| !users[id].is_empty() && !users[id].contains(f))
            .collect();
        if extra.is_empty() {
            continue;
        }
        let mut seen = BTreeSet::new();
        reach(space, &RustType::Named(id), &mut seen);
        for held in seen {
            if !users[held].is_empty() {
                users[held].extend(extra.iter().cloned());
            }
        }
    }
    users
}

/// For each type (by id), the modules of the resources that use it now,
/// directly or through other types (`full` for those no action uses).
pub fn current_type_users(api: &Api, space: &TypeSpace) -> Vec<BTreeSet<String>> {
    let mut users = vec![BTreeSet::new(); space.types.len()];
    for resource in &api.resources {
        let mut seen = BTreeSet::new();
        let schemas = resource.actions.iter().flat_map(|action| {
            let params = action.params.iter().filter_map(|p| p.schema.as_deref());
            let responses = action.responses.iter().filter_map(|r| r.schema.as_deref());
            let events = action.sse_events.iter().flatten().filter_map(|e| e.schema.as_deref());
            params.chain(responses).chain(events)
        });
        for schema in schemas {
            if let Some(ty) = space.schema_type(schema) {
                reach(space, ty, &mut seen);
            }
        }
        for id in seen {
            users[id].insert(resource.module.clone());
        }
    }
    // Schemas no action uses come with the `full` feature only.
    let mut seen = BTreeSet::new();
    for name in api.schemas.keys() {
        if let Some(ty) = space.schema_type(name) {
            let RustType::Named(id) = ty else { continue };
            if users[*id].is_empty() {
                reach(space, ty, &mut seen);
            }
        }
    }
    for id in seen {
        users[id].insert(FULL.to_string());
    }
    users
}

/// The feature that enables every resource.
pub const FULL: &str = "full";

/// The resource features a build enables. Generation leaves out what none of
/// them compiles, so a build of `org` alone neither emits nor parses the
/// other 98 resources and their types; names and code of what is emitted are
/// the same as in a full build (types are named over the whole spec first).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Enabled {
    /// Every resource (the `full` feature, and what the CLI generates).
    #[default]
    All,
    /// These features (resource modules), and no others.
    Only(BTreeSet<String>),
}

impl Enabled {
    /// The features cargo enabled for the build script that runs this:
    /// `CARGO_FEATURE_<NAME>` for each (cargo upper-cases the name and turns
    /// `-` into `_`; resource features are snake case, so lower-casing gives
    /// the module back). `full` means every resource.
    pub fn from_cargo_env() -> Enabled {
        let names = std::env::vars_os().filter_map(|(key, _)| {
            let feature = key.to_str()?.strip_prefix("CARGO_FEATURE_")?;
            Some(feature.to_ascii_lowercase())
        });
        Enabled::from_features(names)
    }

    /// The selection for these enabled feature names.
    pub fn from_features(names: impl IntoIterator<Item = String>) -> Enabled {
        let names: BTreeSet<String> = names.into_iter().collect();
        if names.contains(FULL) {
            Enabled::All
        } else {
            Enabled::Only(names)
        }
    }

    /// Whether a resource's module is compiled.
    pub fn resource(&self, module: &str) -> bool {
        match self {
            Enabled::All => true,
            Enabled::Only(names) => names.contains(module),
        }
    }

    /// Whether an item with these `users` is emitted: one of them is
    /// enabled. An item without users has no `cfg` and is always emitted. (An
    /// item every resource uses has no `cfg` either, but with none of them
    /// enabled nothing refers to it, so it is left out.)
    pub fn item(&self, users: &BTreeSet<String>) -> bool {
        match self {
            Enabled::All => true,
            Enabled::Only(names) => users.is_empty() || users.iter().any(|user| names.contains(user)),
        }
    }
}

/// Every generated type `ty` holds, itself included, into `seen`. A loop
/// over a stack, not recursion: a chain of thousands of types must not
/// exhaust the build script's stack.
fn reach(space: &TypeSpace, ty: &RustType, seen: &mut BTreeSet<TypeId>) {
    let mut stack: Vec<&RustType> = vec![ty];
    while let Some(ty) = stack.pop() {
        match ty {
            RustType::List(inner) | RustType::Map(inner) | RustType::Nullable(inner) => stack.push(inner),
            RustType::Named(id) => {
                if !seen.insert(*id) {
                    continue;
                }
                match &space.types[*id].kind {
                    TypeKind::Struct(fields) => stack.extend(fields.iter().map(|f| &f.ty)),
                    TypeKind::Union(variants) => stack.extend(variants.iter().map(|v| &v.ty)),
                    TypeKind::Alias(inner) => stack.push(inner),
                    TypeKind::Enum(_) => {}
                }
            }
            _ => {}
        }
    }
}

/// `#[cfg(...)]` for an item the given resources (or `full`) use; nothing
/// when every resource does.
pub fn cfg(users: &BTreeSet<String>, all: usize) -> TokenStream {
    let resources = users.iter().filter(|u| *u != FULL).count();
    match users.len() {
        0 => quote!(),
        _ if resources == all => quote!(),
        1 => {
            let feature = users.iter().next();
            quote!(#[cfg(feature = #feature)])
        }
        _ => {
            let features = users.iter();
            quote!(#[cfg(any(#(feature = #features),*))])
        }
    }
}

/// The `[features]` lines for Cargo.toml: one per resource, `full` for all.
pub fn cargo_features(api: &Api) -> String {
    let modules: Vec<String> = api.resources.iter().map(|r| r.module.clone()).collect();
    cargo_feature_lines(&modules)
}

/// The `[features]` lines for resource modules, in the order given.
pub fn cargo_feature_lines(modules: &[String]) -> String {
    let mut text = format!("default = [\"{FULL}\"]\n");
    text.push_str(&format!("{FULL} = [\n"));
    for module in modules {
        text.push_str(&format!("    \"{module}\",\n"));
    }
    text.push_str("]\n");
    for module in modules {
        text.push_str(&format!("{module} = []\n"));
    }
    text
}
