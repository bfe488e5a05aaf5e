//! The `types` module: one Rust item per generated type.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::docs::{doc, sentence};
use crate::model::features::Enabled;
use crate::typegen::{EnumValue, Field, RustType, TypeDef, TypeKind, TypeSpace, Variant};

/// How many schema paths a type's doc lists before "and N more".
const USES_SHOWN: usize = 3;

/// The whole `types` module; each type is compiled only with the features of
/// the resources that use it (`users`, by type id, out of `all` resources).
pub fn module(space: &TypeSpace, users: &[std::collections::BTreeSet<String>], all: usize) -> TokenStream {
    module_part(space, users, all, 0..space.types.len(), &Enabled::All)
}

/// The types in `range` (by id), each behind its `cfg`; the piece that starts
/// at the first type also has the module's doc and imports. Formatted apart
/// and joined in order, the pieces make [`module`].
pub fn module_part(
    space: &TypeSpace,
    users: &[std::collections::BTreeSet<String>],
    all: usize,
    range: std::ops::Range<usize>,
    enabled: &Enabled,
) -> TokenStream {
    let head = (range.start == 0).then(|| module_head(space, users, all, enabled));
    let none = std::collections::BTreeSet::new();
    let items = space.types[range.clone()].iter().zip(range).filter_map(|(def, id)| {
        let users = users.get(id).unwrap_or(&none);
        enabled.item(users).then(|| item(space, def, &crate::model::features::cfg(users, all)))
    });
    quote! {
        #head
        #(#items)*
    }
}

fn module_head(
    space: &TypeSpace,
    users: &[std::collections::BTreeSet<String>],
    all: usize,
    enabled: &Enabled,
) -> TokenStream {
    // The serde import is compiled with the emitted types that use it: every
    // kind but aliases, which only name another type.
    let serde_types: Vec<&std::collections::BTreeSet<String>> = space
        .types
        .iter()
        .zip(users)
        .filter(|(def, users)| !matches!(def.kind, TypeKind::Alias(_)) && enabled.item(users))
        .map(|(_, users)| users)
        .collect();
    let serde_users: std::collections::BTreeSet<String> =
        serde_types.iter().flat_map(|users| users.iter().cloned()).collect();
    let import = match serde_types.is_empty() {
        true => quote!(),
        false => {
            let cfg = crate::model::features::cfg(&serde_users, all);
            quote!(#cfg use serde::{Deserialize, Serialize};)
        }
    };
    quote! {
        //! Typed models of the API's JSON bodies, generated from `spec/schemas/`.
        //!
        //! Structs are built with `new` (the required fields, in schema order)
        //! and a setter per optional field; they are `#[non_exhaustive]`, so a
        //! field the API adds does not break code that builds them. Optional
        //! fields are `Option`s, left out of a request when `None`; fields that
        //! may be `null` are [`Nullable`](crate::Nullable)s (`clear_<field>()`
        //! sends `null`). Fields this client does not know are kept in
        //! `unknown_fields` and sent back. String enums keep values this client
        //! does not know in an `Unknown` variant, so a new value on the server
        //! never breaks decoding.

        #import
    }
}

/// The client's root as the code at `module` names it: `crate::` inside the
/// client, `losant_rest::` where generated types are named from outside it
/// (the test-only schema index).
fn runtime_path(module: &TokenStream) -> TokenStream {
    match module.to_string().starts_with("losant_rest") {
        true => quote!(losant_rest::),
        false => quote!(crate::),
    }
}

/// The Rust tokens for a type, as seen from inside the `types` module.
pub fn type_tokens(space: &TypeSpace, ty: &RustType) -> TokenStream {
    type_path(space, ty, &TokenStream::new())
}

/// The Rust tokens for a type, generated types prefixed by `module` (e.g. `types::`).
pub fn type_path(space: &TypeSpace, ty: &RustType, module: &TokenStream) -> TokenStream {
    match ty {
        RustType::String => quote!(String),
        RustType::Secret => {
            let runtime = runtime_path(module);
            quote!(#runtime Secret<String>)
        }
        RustType::Timestamp => {
            let runtime = runtime_path(module);
            quote!(#runtime Timestamp)
        }
        RustType::Bool => quote!(bool),
        RustType::Integer => quote!(i64),
        RustType::Number => quote!(f64),
        RustType::Json => quote!(serde_json::Value),
        RustType::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        RustType::List(inner) => {
            let inner = type_path(space, inner, module);
            quote!(Vec<#inner>)
        }
        RustType::Map(inner) => {
            let inner = type_path(space, inner, module);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        RustType::Nullable(inner) => {
            let inner = type_path(space, inner, module);
            quote!(Option<#inner>)
        }
        RustType::Named(id) => {
            let name = ident(&space.types[*id].name);
            quote!(#module #name)
        }
    }
}

/// Like [`type_tokens`], boxed where the type can contain itself.
pub(crate) fn held_type(space: &TypeSpace, ty: &RustType) -> TokenStream {
    let tokens = type_tokens(space, ty);
    match ty {
        RustType::Named(_) if space.boxed(ty) => quote!(Box<#tokens>),
        _ => tokens,
    }
}

/// An identifier; `r#type` style names become raw identifiers.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The items of one type, each behind `cfg` (an enum and its impls alike).
fn item(space: &TypeSpace, def: &TypeDef, cfg: &TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc(&type_doc(space, def));
    match &def.kind {
        TypeKind::Struct(fields) => struct_item(space, def, fields, cfg),
        TypeKind::Enum(values) => string_enum(&def.name, &type_doc(space, def), values, cfg),
        TypeKind::Union(variants) => {
            let unknown = !variants.iter().all(|v| v.ty.is_scalar());
            let helpers = super::unions::union_helpers(space, def, variants, unknown, cfg);
            let item = union_item(space, def, variants, cfg);
            quote!(#item #helpers)
        }
        TypeKind::Alias(ty) => {
            let ty = type_tokens(space, ty);
            quote! { #cfg #docs pub type #name = #ty; }
        }
    }
}

/// A struct: the fields (optional ones `Option`s left out of the JSON when
/// `None`, nullable ones `Nullable`s), a constructor taking the
/// required fields, a setter per optional field, and the decoder that keeps
/// unknown fields. `#[non_exhaustive]`: a field the API adds later is not a
/// breaking change for code that builds the struct through `new`.
fn struct_item(space: &TypeSpace, def: &TypeDef, fields: &[Field], cfg: &TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc(&type_doc(space, def));
    let needs_rename: Vec<bool> =
        fields.iter().map(|f| !f.flatten && crate::model::names::unraw(&f.rust) != f.wire).collect();
    let camel = needs_rename.iter().any(|r| *r);
    let rename_all = camel.then(|| quote!(#[serde(rename_all = "camelCase")]));
    let traits = derived(&def.kind);
    // A struct without a map of undeclared properties keeps unknown fields in one.
    let unknown = (!fields.iter().any(|f| f.flatten)).then(|| unknown_field(fields));
    let field_items = fields.iter().map(|f| {
        let field_name = ident(&f.rust);
        let mut text = f.doc.as_deref().map(sentence).unwrap_or_else(|| format!("The `{}` field.", f.wire));
        if let Some(form) = &f.map_form {
            text.push_str(&map_form_doc(form));
        }
        let field_docs = doc(&text);
        let ty = held_type(space, &f.ty);
        if f.flatten {
            return quote! { #field_docs #[serde(flatten)] pub #field_name: #ty, };
        }
        let wire = &f.wire;
        let spelled = if camel {
            crate::model::names::serde_camel(&f.rust)
        } else {
            crate::model::names::unraw(&f.rust).to_string()
        };
        let rename = (spelled != f.wire).then(|| quote!(#[serde(rename = #wire)]));
        if f.required {
            quote! { #field_docs #rename pub #field_name: #ty, }
        } else if f.nullable {
            quote! {
                #field_docs
                #rename
                #[serde(skip_serializing_if = "crate::Nullable::is_absent")]
                pub #field_name: crate::Nullable<#ty>,
            }
        } else {
            quote! {
                #field_docs
                #rename
                #[serde(skip_serializing_if = "Option::is_none")]
                pub #field_name: Option<#ty>,
            }
        }
    });
    let unknown_item = unknown.as_ref().map(|field| {
        quote! {
            /// Fields the spec does not declare (newer than this client), as
            /// received; they are sent back when the struct is encoded.
            #[serde(flatten)]
            pub #field: serde_json::Map<String, serde_json::Value>,
        }
    });
    let methods = struct_methods(space, def, fields, unknown.as_ref());
    let decode = struct_deserialize(&name, fields, unknown.as_ref(), cfg);
    quote! {
        #cfg
        #docs
        #[derive(Debug, Clone, PartialEq, #(#traits,)* Serialize)]
        #rename_all
        #[non_exhaustive]
        pub struct #name { #(#field_items)* #unknown_item }

        #cfg
        impl #name { #methods }

        #decode
    }
}

/// What a field's doc adds when it decodes from an object map too.
fn map_form_doc(form: &crate::typegen::MapForm) -> String {
    let params: Vec<String> = form.params.iter().map(|p| format!("`{p}`")).collect();
    let value = match &form.value {
        Some(value) => {
            format!(", a value that is not an object is its `{value}`, and a list of values is one item per value")
        }
        None => String::new(),
    };
    format!(
        "\n\nDecodes from either form the API sends: the list, or (with {params}) an object map of its items \
         by `{key}`, read back into the same list: each key is an item's `{key}`{value}. Always sent as the list.",
        key = form.key,
        params = params.join(" or "),
    )
}

/// How a constructor or setter takes a field's value, and how it stores it:
/// text as `impl Into<String>`, a boxed type unboxed.
pub(crate) fn param(space: &TypeSpace, f: &Field, value: &Ident) -> (TokenStream, TokenStream) {
    match &f.ty {
        RustType::String => (quote!(impl Into<String>), quote!(#value.into())),
        RustType::Secret => (quote!(impl Into<crate::Secret<String>>), quote!(#value.into())),
        RustType::Timestamp => (quote!(impl Into<crate::Timestamp>), quote!(#value.into())),
        RustType::Named(_) if space.boxed(&f.ty) => (type_tokens(space, &f.ty), quote!(Box::new(#value))),
        ty => (type_tokens(space, ty), quote!(#value)),
    }
}

/// The methods of an optional field: its setter (named after it, or
/// `with_<field>` when that name is reserved) and, when it may be `null`,
/// `clear_<field>`.
pub(crate) struct Setters {
    /// The setter.
    pub(crate) set: String,
    /// The method that sets `null`, for a nullable field.
    pub(crate) clear: Option<String>,
}

/// The setters of each field of a struct (`None` for required fields), named
/// so that no two methods clash: a name an earlier method took (`clear_a`
/// beside a nullable `a`) gets `_`, then a number.
pub(crate) fn setters(fields: &[Field]) -> Vec<Option<Setters>> {
    let mut taken: std::collections::HashSet<String> = ["new".to_string()].into();
    let mut claim = |base: String| {
        let name = if taken.contains(&base) {
            crate::model::names::unique(&format!("{}_", crate::model::names::unraw(&base)), "", |n| taken.contains(n))
        } else {
            base
        };
        taken.insert(name.clone());
        name
    };
    fields
        .iter()
        .map(|f| {
            if f.required || f.flatten {
                return None;
            }
            let plain = crate::model::names::unraw(&f.rust);
            let set = if crate::model::names::RESERVED_FIELD_SETTERS.contains(&plain) {
                format!("with_{plain}")
            } else {
                f.rust.clone()
            };
            let set = claim(set);
            let clear = f.nullable.then(|| claim(format!("clear_{plain}")));
            Some(Setters { set, clear })
        })
        .collect()
}

/// For the test-only schema index: a struct's constructor and setters, as
/// `"schemaName", Type, new [(wire, Type)..], set [(wire, setter, Type)..],
/// clear [(wire, clear_setter)..]`, so a test can call each with a value of
/// the declared type. `None` if the type is not a struct.
pub fn constructor_entry(space: &TypeSpace, schema: &str, ty: &RustType) -> Option<String> {
    let fields = struct_fields(space, ty)?;
    let module = quote!(losant_rest::types::);
    let tidy = |tokens: TokenStream| tokens.to_string().replace(" :: ", "::").replace(" < ", "<").replace(" >", ">");
    let spelled = |f: &Field| tidy(type_path(space, &f.ty, &module));
    let declared = || fields.iter().filter(|f| !f.flatten);
    let new: Vec<String> =
        declared().filter(|f| f.required).map(|f| format!("({:?}, {})", f.wire, spelled(f))).collect();
    let named: Vec<(&Field, Setters)> =
        fields.iter().zip(setters(fields)).filter_map(|(f, setters)| Some((f, setters?))).collect();
    let set: Vec<String> =
        named.iter().map(|(f, setters)| format!("({:?}, {}, {})", f.wire, setters.set, spelled(f))).collect();
    let clear: Vec<String> =
        named.iter().filter_map(|(f, setters)| Some(format!("({:?}, {})", f.wire, setters.clear.as_ref()?))).collect();
    Some(format!(
        "{schema:?}, {}, new [{}], set [{}], clear [{}]",
        tidy(type_path(space, ty, &module)),
        new.join(", "),
        set.join(", "),
        clear.join(", ")
    ))
}

/// `new(required fields in schema order)` and one setter per optional field
/// (`clear_<field>` too where the field may be `null`).
fn struct_methods(space: &TypeSpace, def: &TypeDef, fields: &[Field], unknown: Option<&Ident>) -> TokenStream {
    let required: Vec<&Field> = fields.iter().filter(|f| f.required && !f.flatten).collect();
    let args = required.iter().map(|f| {
        let arg = ident(&f.rust);
        let (ty, _) = param(space, f, &arg);
        quote!(#arg: #ty)
    });
    let inits = fields.iter().map(|f| {
        let field = ident(&f.rust);
        if f.flatten {
            quote!(#field: Default::default(),)
        } else if f.required {
            let (_, store) = param(space, f, &field);
            if field == store.to_string() {
                quote!(#field,)
            } else {
                quote!(#field: #store,)
            }
        } else if f.nullable {
            quote!(#field: crate::Nullable::Absent,)
        } else {
            quote!(#field: None,)
        }
    });
    let unknown_init = unknown.map(|field| quote!(#field: serde_json::Map::new(),));
    let new_doc = if required.is_empty() {
        format!("A new `{}` with every field left out; set them with the methods below.", def.name)
    } else {
        let listed: Vec<String> = required.iter().map(|f| format!("`{}`", f.wire)).collect();
        format!(
            "A new `{}` with its required fields ({}); set optional ones with the methods below.",
            def.name,
            listed.join(", ")
        )
    };
    let new_doc = doc(&new_doc);
    let too_many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let setters = fields.iter().zip(setters(fields)).filter_map(|(f, setters)| {
        let Setters { set, clear } = setters?;
        let field = ident(&f.rust);
        let setter = ident(&set);
        let (ty, store) = param(space, f, &ident("value"));
        let wire = &f.wire;
        Some(if let Some(clear) = clear {
            let set_doc = doc(&format!("Sets `{wire}` (which may also be `null`: see `{clear}`)."));
            let clear = ident(&clear);
            let clear_doc = doc(&format!("Sets `{wire}` to `null`, e.g. to clear it with a `PATCH`."));
            quote! {
                #set_doc
                #[must_use]
                pub fn #setter(mut self, value: #ty) -> Self {
                    self.#field = crate::Nullable::Value(#store);
                    self
                }
                #clear_doc
                #[must_use]
                pub fn #clear(mut self) -> Self {
                    self.#field = crate::Nullable::Null;
                    self
                }
            }
        } else {
            let set_doc = doc(&format!("Sets `{wire}`."));
            quote! {
                #set_doc
                #[must_use]
                pub fn #setter(mut self, value: #ty) -> Self {
                    self.#field = Some(#store);
                    self
                }
            }
        })
    });
    quote! {
        #new_doc
        #too_many
        pub fn new(#(#args),*) -> Self {
            Self { #(#inits)* #unknown_init }
        }
        #(#setters)*
    }
}

/// `Deserialize` for a struct: a visitor over the object's keys that keeps
/// the ones the struct does not declare (in `unknown`, or in the struct's map
/// of undeclared properties). Emitted rather than derived: with
/// `#[derive(Deserialize)]` each struct also gets its own key enum, key
/// visitor and sequence visitor; here the key matching is one runtime type
/// shared by all structs (`crate::object::Keys`), and only `visit_map` is
/// per struct. Measured on the client crate (debug, `BENCHMARKS.md`): derived
/// with a `#[serde(flatten)]` map 51 s of CPU and 2.3 GB, this 36 s and 1.5 GB.
fn struct_deserialize(name: &Ident, fields: &[Field], unknown: Option<&Ident>, cfg: &TokenStream) -> TokenStream {
    let local = |i: usize| ident(&format!("v{i}"));
    let declared: Vec<(usize, &Field)> = fields.iter().enumerate().filter(|(_, f)| !f.flatten).collect();
    let wires = declared.iter().map(|(_, f)| f.wire.as_str());
    let starts = fields.iter().enumerate().map(|(i, f)| {
        let v = local(i);
        let start = if f.flatten {
            quote!(Default::default())
        } else if f.nullable {
            quote!(crate::Nullable::Absent)
        } else {
            quote!(None)
        };
        quote!(let mut #v = #start;)
    });
    let arms = declared.iter().enumerate().map(|(k, (i, f))| {
        let v = local(*i);
        let k = proc_macro2::Literal::usize_unsuffixed(k);
        if let Some(form) = &f.map_form {
            // A list the API may send as an object map of its items.
            let key = &form.key;
            let value = match &form.value {
                Some(value) => quote!(Some(#value)),
                None => quote!(None),
            };
            let read = quote!(crate::object::list_or_map(&mut map, #key, #value)?);
            if f.nullable {
                quote!(crate::object::Key::Known(#k) => #v = #read.map_or(crate::Nullable::Null, crate::Nullable::Value),)
            } else {
                quote!(crate::object::Key::Known(#k) => #v = #read,)
            }
        } else if f.required {
            quote!(crate::object::Key::Known(#k) => #v = Some(map.next_value()?),)
        } else {
            quote!(crate::object::Key::Known(#k) => #v = map.next_value()?,)
        }
    });
    // Unknown keys go to the map of undeclared properties if there is one.
    let keep = fields.iter().position(|f| f.flatten).map_or_else(|| ident("unknown"), local);
    let unknown_start = unknown.map(|_| quote!(let mut unknown = serde_json::Map::new();));
    let values = fields.iter().enumerate().map(|(i, f)| {
        let field = ident(&f.rust);
        let v = local(i);
        if f.required && !f.flatten {
            let wire = &f.wire;
            quote!(#field: crate::object::required(#v, #wire)?,)
        } else {
            quote!(#field: #v,)
        }
    });
    let unknown_value = unknown.map(|field| quote!(#field: unknown,));
    let expecting = format!("an object (`{name}`)");
    quote! {
        #cfg
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_map(crate::object::Decoder::<Self>::new())
            }
        }

        #cfg
        impl<'de> serde::de::Visitor<'de> for crate::object::Decoder<#name> {
            type Value = #name;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(#expecting)
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<#name, A::Error> {
                const KEYS: crate::object::Keys = crate::object::Keys(&[#(#wires),*]);
                #(#starts)*
                #unknown_start
                while let Some(key) = map.next_key_seed(KEYS)? {
                    match key {
                        #(#arms)*
                        crate::object::Key::Known(_) => crate::object::skip(&mut map)?,
                        crate::object::Key::Unknown(key) => crate::object::keep(&mut #keep, key, &mut map)?,
                    }
                }
                Ok(#name { #(#values)* #unknown_value })
            }
        }
    }
}

/// A union: an enum with a variant per branch. Unions of scalars are plain
/// untagged enums; unions with objects are `#[non_exhaustive]` and keep what
/// no variant describes in `Unknown`, so a new kind of value on the server
/// never breaks decoding. A tagged union reads its tag to pick the variant;
/// other unions of objects pick by shape.
fn union_item(space: &TypeSpace, def: &TypeDef, variants: &[Variant], cfg: &TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc(&type_doc(space, def));
    let scalars = variants.iter().all(|v| v.ty.is_scalar());
    let traits = derived(&def.kind);
    let tag = variants.first().and_then(|v| v.tag.as_ref()).map(|t| t.property.clone());
    // Constant-tag variants first: serde wants untagged variants last.
    let mut ordered: Vec<&Variant> = variants.iter().collect();
    ordered.sort_by_key(|v| !v.tag.as_ref().is_some_and(|t| t.is_constant()));
    let items = ordered.iter().map(|v| {
        let variant = ident(&v.name);
        let ty = held_type(space, &v.ty);
        let held = match (&v.doc, &v.ty) {
            (Some(format), _) => format!("a `{format}` value"),
            (None, RustType::Named(id)) => {
                let name = &space.types[*id].name;
                let article = if name.starts_with(['A', 'E', 'I', 'O', 'U']) { "an" } else { "a" };
                format!("{article} [`{name}`]")
            }
            (None, _) => format!("a `{}` value", ty.to_string().replace(' ', "")),
        };
        let (what, attr) = match &v.tag {
            Some(t) if t.is_constant() => {
                let value = &t.values[0];
                (format!("`{}: \"{value}\"`: {held}.", t.property), quote!(#[serde(rename = #value)]))
            }
            Some(t) => {
                let values: Vec<String> = t.values.iter().map(|v| format!("`\"{v}\"`")).collect();
                (format!("`{}` one of {}: {held}.", t.property, values.join(", ")), quote!(#[serde(untagged)]))
            }
            None => (format!("{}{}.", held[..1].to_uppercase(), &held[1..]), quote!()),
        };
        let variant_doc = doc(&what);
        quote! { #variant_doc #attr #variant(#ty), }
    });
    if scalars {
        return quote! {
            #cfg
            #docs
            #[derive(Debug, Clone, PartialEq, #(#traits,)* Serialize, Deserialize)]
            #[serde(untagged)]
            pub enum #name { #(#items)* }
        };
    }
    let unknown_attr = tag.as_ref().map(|_| quote!(#[serde(untagged)]));
    let serde_tag = tag.as_ref().map(|t| quote!(#[serde(tag = #t)]));
    let untagged = tag.is_none().then(|| quote!(#[serde(untagged)]));
    // With two or more object variants, serde's untagged decoding would let
    // the first swallow every object; decoding picks by tag or by shape instead.
    let objects = variants
        .iter()
        .filter(|v| struct_fields(space, &v.ty).is_some() || matches!(v.ty, RustType::Map(_) | RustType::JsonObject))
        .count();
    let (derive, decode) = match &tag {
        Some(tag) => (quote!(Serialize), tagged_deserialize(space, &name, tag, variants, cfg)),
        None if objects >= 2 => (quote!(Serialize), union_deserialize(space, &name, variants, cfg)),
        None => (quote!(Serialize, Deserialize), quote!()),
    };
    quote! {
        #cfg
        #docs
        #[derive(Debug, Clone, PartialEq, #derive)]
        #serde_tag
        #untagged
        #[non_exhaustive]
        // Variants hold values as decoded; boxing the big ones would cost an
        // allocation per value and every match a deref, for no gain.
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#items)*
            /// A value no variant describes (a kind newer than this client), as the server sent it.
            #unknown_attr
            Unknown(serde_json::Value),
        }

        #decode
    }
}

/// `Deserialize` for a union of objects: the union keeps the value as the
/// JSON text it was sent as and `from_json` decodes the variant from it, all
/// in one non-generic function per union (`crate::object::union`), so each
/// variant type is decoded by the one decoder the body uses.
fn union_decode_impl(name: &Ident, body: TokenStream, cfg: &TokenStream) -> TokenStream {
    quote! {
        #cfg
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::object::union(deserializer, Self::from_json)
            }
        }

        // `#[inline]`: a function the generic decoder above calls is
        // compiled with this crate, and with it the decoder of every variant
        // and of every type those hold. Inline, it is compiled where a
        // body holding the union is decoded, as the generic decoders are.
        #cfg
        impl #name {
            /// Decodes the union from its JSON text.
            #[inline]
            fn from_json(json: &str) -> Result<Self, serde_json::Error> {
                #body
            }
        }
    }
}

/// `Deserialize` for a tagged union: the tag's value picks the variant; a
/// variant whose tag is constant does not keep it (the union writes it back).
fn tagged_deserialize(
    space: &TypeSpace,
    name: &Ident,
    tag: &str,
    variants: &[Variant],
    cfg: &TokenStream,
) -> TokenStream {
    let arms = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let boxed = space.boxed(&v.ty);
        let wrap = if boxed { quote!(Self::#variant(Box::new(value))) } else { quote!(Self::#variant(value)) };
        let map = if boxed { quote!(|value| #wrap) } else { quote!(Self::#variant) };
        let values = v.tag.as_ref().map(|t| t.values.clone()).unwrap_or_default();
        let ty = type_tokens(space, &v.ty);
        let constant = v.tag.as_ref().is_some_and(|t| t.is_constant());
        match constant.then(|| untagged_map(space, &v.ty)) {
            // The tag lands in the variant's map of fields it does not declare:
            // take it out, keeping the order of the others.
            Some(Some((map, ordered))) => {
                let remove = if ordered { quote!(shift_remove) } else { quote!(remove) };
                quote! {
                    Some(#(#values)|*) => crate::object::variant(json).map(|mut value: #ty| {
                        value.#map.#remove(TAG);
                        #wrap
                    }),
                }
            }
            // A map whose values are typed may not take the tag: decode without it.
            Some(None) => quote! {
                Some(#(#values)|*) => crate::object::variant_without(json, TAG).map(#map),
            },
            None => quote!(Some(#(#values)|*) => crate::object::variant(json).map(#map),),
        }
    });
    let body = quote! {
        const TAG: &str = #tag;
        match crate::object::tag_of(json, TAG).as_deref() {
            #(#arms)*
            _ => crate::object::variant(json).map(Self::Unknown),
        }
    };
    union_decode_impl(name, body, cfg)
}

/// The field of the struct `ty` that keeps the properties it does not
/// declare, if that map takes any JSON value, and whether it keeps their
/// order (a `serde_json::Map`, not a `BTreeMap`).
fn untagged_map(space: &TypeSpace, ty: &RustType) -> Option<(Ident, bool)> {
    let fields = struct_fields(space, ty)?;
    match fields.iter().find(|f| f.flatten) {
        Some(f) => match &f.ty {
            RustType::JsonObject => Some((ident(&f.rust), true)),
            RustType::Map(inner) if **inner == RustType::Json => Some((ident(&f.rust), false)),
            _ => None,
        },
        None => Some((unknown_field(fields), true)),
    }
}

/// The name of the map that keeps a struct's unknown fields (when it has no
/// map of undeclared properties): `unknown_fields`, unless a field has it.
fn unknown_field(fields: &[Field]) -> Ident {
    let mut rust = "unknown_fields".to_string();
    while fields.iter().any(|f| f.rust == rust) {
        rust.push('_');
    }
    ident(&rust)
}

/// The fields of the struct a type is (through aliases), if it is one.
fn struct_fields<'a>(space: &'a TypeSpace, ty: &RustType) -> Option<&'a [crate::typegen::Field]> {
    let last = *space.alias_chain(ty).last()?;
    match &space.types[last].kind {
        TypeKind::Struct(fields) => Some(fields),
        _ => None,
    }
}

/// `Deserialize` for a union of structs: the runtime ranks the variants by
/// how well the value's keys and tag fields fit each, and the first that
/// decodes wins.
fn union_deserialize(
    space: &TypeSpace,
    name: &Ident,
    variants: &[crate::typegen::Variant],
    cfg: &TokenStream,
) -> TokenStream {
    let shapes = variants.iter().map(|v| match struct_fields(space, &v.ty) {
        Some(fields) => {
            let declared: Vec<&crate::typegen::Field> = fields.iter().filter(|f| !f.flatten).collect();
            let wires = declared.iter().map(|f| f.wire.as_str());
            let required = declared.iter().filter(|f| f.required).map(|f| f.wire.as_str());
            let tags: Vec<TokenStream> = declared
                .iter()
                .filter_map(|f| match &f.ty {
                    RustType::Named(id) => match &space.types[*id].kind {
                        TypeKind::Enum(values) => {
                            let wire = &f.wire;
                            let allowed = values.iter().map(|v| v.wire.as_str());
                            Some(quote!((#wire, &[#(#allowed),*])))
                        }
                        _ => None,
                    },
                    _ => None,
                })
                .collect();
            let open = fields.iter().any(|f| f.flatten);
            quote! {
                crate::unions::VariantShape {
                    object: true,
                    fields: &[#(#wires),*],
                    required: &[#(#required),*],
                    tags: &[#(#tags),*],
                    open: #open,
                }
            }
        }
        None if matches!(v.ty, RustType::Map(_) | RustType::JsonObject) => quote!(crate::unions::VariantShape::MAP),
        None => quote!(crate::unions::VariantShape::OTHER),
    });
    let arms = variants.iter().enumerate().map(|(index, v)| {
        let variant = ident(&v.name);
        let boxed = space.boxed(&v.ty);
        let wrap = if boxed { quote!(|value| Self::#variant(Box::new(value))) } else { quote!(Self::#variant) };
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        quote!(#index => crate::object::variant(json).map(#wrap),)
    });
    let body = quote! {
        const SHAPES: &[crate::unions::VariantShape] = &[#(#shapes),*];
        let probe = crate::object::Probe::of(json);
        for index in crate::unions::union_order(&probe, SHAPES) {
            let decoded = match index {
                #(#arms)*
                _ => continue,
            };
            if let Ok(decoded) = decoded {
                return Ok(decoded);
            }
        }
        crate::object::variant(json).map(Self::Unknown)
    };
    union_decode_impl(name, body, cfg)
}

/// A string enum that keeps unknown values: the enum, its wire spelling both
/// ways, and serde impls through that spelling.
pub(super) fn string_enum(name: &str, doc_text: &str, values: &[EnumValue], cfg: &TokenStream) -> TokenStream {
    let name = ident(name);
    let docs = doc(doc_text);
    let variants: Vec<Ident> = values.iter().map(|v| ident(&v.rust)).collect();
    let wires: Vec<&str> = values.iter().map(|v| v.wire.as_str()).collect();
    let variant_docs = wires.iter().map(|w| doc(&format!("`{w}`")));
    let traits = STRING_ENUM_TRAITS.iter().map(|t| ident(t));
    quote! {
        #cfg
        #docs
        #[derive(Debug, Clone, PartialEq, #(#traits,)*)]
        #[non_exhaustive]
        pub enum #name {
            #( #variant_docs #variants, )*
            /// A value this client does not know yet, kept as the server sent it.
            Unknown(String),
        }

        #cfg
        impl #name {
            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #wires, )*
                    Self::Unknown(value) => value,
                }
            }
        }

        #cfg
        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #wires => Self::#variants, )*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        #cfg
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #cfg
        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        #cfg
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(|value| Self::from(value.as_str()))
            }
        }
    }
}

/// The doc of a type: its description, where it is used, and which actions
/// send or return it.
fn type_doc(space: &TypeSpace, def: &TypeDef) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(text) = def.doc.as_deref() {
        parts.push(sentence(text));
    }
    match (&def.schema, &def.parent) {
        (Some(schema), _) => parts.push(format!("The `{schema}` schema.")),
        (None, Some((parent, what))) => {
            let holder = &space.types[*parent];
            let place = match &holder.kind {
                TypeKind::Union(_) => format!("The `{what}` variant of [`{}`]", holder.name),
                _ if what.is_empty() => format!("Used in [`{}`]", holder.name),
                _ => format!("Used in the `{what}` field of [`{}`]", holder.name),
            };
            let more = def.uses.len().saturating_sub(1);
            let elsewhere = match more {
                0 => String::new(),
                1 => " (also used in 1 other place)".to_string(),
                n => format!(" (also used in {n} other places)"),
            };
            parts.push(format!("{place}{elsewhere}."));
        }
        (None, None) => {}
    }
    for (returns, verb) in [(false, "Sent by"), (true, "Returned by")] {
        let actions: Vec<String> =
            def.used_by.iter().filter(|(_, r)| *r == returns).map(|(a, _)| format!("`{a}`")).collect();
        if actions.is_empty() {
            continue;
        }
        let shown = actions.len().min(USES_SHOWN);
        let rest = actions.len() - shown;
        let more = if rest > 0 { format!(" and {rest} more") } else { String::new() };
        parts.push(format!("{verb} {}{more}.", actions[..shown].join(", ")));
    }
    parts.join("\n\n")
}

/// What a string enum derives besides `Debug`, `Clone` and `PartialEq`:
/// it holds text only (a value it does not know is `Unknown(String)`), so no
/// value the API adds can take `Eq` or `Hash` away.
const STRING_ENUM_TRAITS: &[&str] = &["Eq", "Hash"];

/// The traits a type derives besides `Debug`, `Clone`, `PartialEq` and its
/// serde impls, as identifiers (see [`traits`]).
fn derived(kind: &TypeKind) -> impl Iterator<Item = Ident> {
    traits(kind).into_iter().map(ident)
}

/// The traits a type derives besides `Debug`, `Clone`, `PartialEq` and its
/// serde impls, decided so that no compatible change of the spec can take
/// one away (the diff reports a lost trait as breaking):
///
/// - a struct never derives `Eq` or `Hash`: an optional field the API adds
///   may hold an `f64` or a JSON value. It derives `Default` when every field
///   is optional; only adding a required field or requiring an optional one
///   can take that away, and either changes `new`, so is breaking anyway;
/// - a string enum derives `Eq` and `Hash` ([`STRING_ENUM_TRAITS`]);
/// - a union with an object branch derives neither (it may gain branches and
///   keeps unknown values as JSON);
/// - a union of scalars derives `Eq` unless a branch is an `f64`: it is an
///   exhaustive enum, so any branch added or changed is breaking already.
pub(crate) fn traits(kind: &TypeKind) -> Vec<&'static str> {
    match kind {
        TypeKind::Struct(fields) if fields.iter().all(|f| !f.required || f.flatten) => vec!["Default"],
        TypeKind::Struct(_) | TypeKind::Alias(_) => Vec::new(),
        TypeKind::Enum(_) => STRING_ENUM_TRAITS.to_vec(),
        TypeKind::Union(variants) => {
            let scalars = variants.iter().all(|v| v.ty.is_scalar());
            let float = variants.iter().any(|v| v.ty == RustType::Number);
            if scalars && !float {
                vec!["Eq"]
            } else {
                Vec::new()
            }
        }
    }
}
