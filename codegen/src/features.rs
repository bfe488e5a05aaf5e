//! Which resources use which types, so each resource can be a cargo feature
//! and a crate that enables only `org` compiles only the types `org` needs.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Api;
use crate::typegen::{RustType, TypeId, TypeKind, TypeSpace};

/// For each type (by id), the modules of the resources that use it, directly
/// or through other types.
pub fn type_users(api: &Api, space: &TypeSpace) -> Vec<BTreeSet<String>> {
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
