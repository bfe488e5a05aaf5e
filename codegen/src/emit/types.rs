//! The `types` module: one Rust item per generated type.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::docs::{doc, sentence};
use crate::typegen::{EnumValue, RustType, TypeDef, TypeKind, TypeSpace};

/// How many schema paths a type's doc lists before "and N more".
const USES_SHOWN: usize = 3;

/// The whole `types` module; each type is compiled only with the features of
/// the resources that use it (`users`, by type id, out of `all` resources).
pub fn module(space: &TypeSpace, users: &[std::collections::BTreeSet<String>], all: usize) -> TokenStream {
    let items = space.types.iter().enumerate().map(|(id, def)| {
        let cfg = users.get(id).map(|u| crate::features::cfg(u, all)).unwrap_or_default();
        item(space, def, &cfg)
    });
    quote! {
        //! Typed models of the API's JSON bodies, generated from `spec/schemas/`.
        //!
        //! Optional fields are `Option`s, left out of a request when `None`.
        //! String enums keep values this client does not know in an `Unknown`
        //! variant, so a new value on the server never breaks decoding.

        use serde::{Deserialize, Serialize};

        #(#items)*
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
fn held_type(space: &TypeSpace, ty: &RustType) -> TokenStream {
    let tokens = type_tokens(space, ty);
    match ty {
        RustType::Named(id) if space.recursive.contains(id) => quote!(Box<#tokens>),
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
    let docs = doc(&type_doc(def));
    match &def.kind {
        TypeKind::Struct(fields) => {
            let needs_rename: Vec<bool> =
                fields.iter().map(|f| !f.flatten && crate::names::unraw(&f.rust) != f.wire).collect();
            let camel = needs_rename.iter().any(|r| *r);
            let rename_all = camel.then(|| quote!(#[serde(rename_all = "camelCase")]));
            let all_optional = fields.iter().all(|f| !f.required || f.flatten);
            let default = all_optional.then(|| quote!(Default,));
            let eq = (!mentions_float(space, &def.kind, &mut Vec::new())).then(|| quote!(Eq,));
            let fields = fields.iter().map(|f| {
                let field_name = ident(&f.rust);
                let text = f.doc.as_deref().map(sentence).unwrap_or_else(|| format!("The `{}` field.", f.wire));
                let field_docs = doc(&text);
                let ty = held_type(space, &f.ty);
                if f.flatten {
                    return quote! { #field_docs #[serde(flatten)] pub #field_name: #ty, };
                }
                let wire = &f.wire;
                let spelled =
                    if camel { crate::names::serde_camel(&f.rust) } else { crate::names::unraw(&f.rust).to_string() };
                let rename = (spelled != f.wire).then(|| quote!(#[serde(rename = #wire)]));
                if f.required {
                    quote! { #field_docs #rename pub #field_name: #ty, }
                } else {
                    quote! {
                        #field_docs
                        #rename
                        #[serde(skip_serializing_if = "Option::is_none")]
                        pub #field_name: Option<#ty>,
                    }
                }
            });
            quote! {
                #cfg
                #docs
                #[derive(Debug, Clone, PartialEq, #eq #default Serialize, Deserialize)]
                #rename_all
                pub struct #name { #(#fields)* }
            }
        }
        TypeKind::Enum(values) => string_enum(&def.name, &type_doc(def), values, cfg),
        TypeKind::Union(variants) => {
            let eq = (!mentions_float(space, &def.kind, &mut Vec::new())).then(|| quote!(Eq,));
            // With two or more object variants, serde's untagged decoding would let
            // the first swallow every object; decoding picks by shape instead.
            let objects = variants
                .iter()
                .filter(|v| {
                    struct_fields(space, &v.ty).is_some() || matches!(v.ty, RustType::Map(_) | RustType::JsonObject)
                })
                .count();
            let (derive, decode) = if objects >= 2 {
                (quote!(Serialize), union_deserialize(space, &name, variants, cfg))
            } else {
                (quote!(Serialize, Deserialize), quote!())
            };
            let variants = variants.iter().map(|v| {
                let variant = ident(&v.name);
                let ty = held_type(space, &v.ty);
                let what = match (&v.doc, &v.ty) {
                    (Some(format), _) => format!("A `{format}` value."),
                    (None, RustType::Named(id)) => format!("A [`{}`].", space.types[*id].name),
                    (None, _) => format!("A `{}` value.", ty.to_string().replace(' ', "")),
                };
                let variant_doc = doc(&what);
                quote! { #variant_doc #variant(#ty), }
            });
            quote! {
                #cfg
                #docs
                #[derive(Debug, Clone, PartialEq, #eq #derive)]
                #[serde(untagged)]
                // Variants hold values as decoded; boxing the big ones would cost an
                // allocation per value and every match a deref, for no gain.
                #[allow(clippy::large_enum_variant)]
                pub enum #name { #(#variants)* }

                #decode
            }
        }
        TypeKind::Alias(ty) => {
            let ty = type_tokens(space, ty);
            quote! { #cfg #docs pub type #name = #ty; }
        }
    }
}

/// The fields of the struct a type is (through aliases), if it is one.
fn struct_fields<'a>(space: &'a TypeSpace, ty: &RustType) -> Option<&'a [crate::typegen::Field]> {
    match ty {
        RustType::Named(id) => match &space.types[*id].kind {
            TypeKind::Struct(fields) => Some(fields),
            TypeKind::Alias(inner) => struct_fields(space, inner),
            _ => None,
        },
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
                crate::runtime::VariantShape {
                    object: true,
                    fields: &[#(#wires),*],
                    required: &[#(#required),*],
                    tags: &[#(#tags),*],
                    open: #open,
                }
            }
        }
        None if matches!(v.ty, RustType::Map(_) | RustType::JsonObject) => quote!(crate::runtime::VariantShape::MAP),
        None => quote!(crate::runtime::VariantShape::OTHER),
    });
    let arms = variants.iter().enumerate().map(|(index, v)| {
        let variant = ident(&v.name);
        let boxed = matches!(v.ty, RustType::Named(id) if space.recursive.contains(&id));
        let wrap = if boxed { quote!(|v| Self::#variant(Box::new(v))) } else { quote!(Self::#variant) };
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        quote!(#index => serde_json::from_value(value.clone()).map(#wrap),)
    });
    let type_name = name.to_string();
    quote! {
        #cfg
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                const SHAPES: &[crate::runtime::VariantShape] = &[#(#shapes),*];
                let value = serde_json::Value::deserialize(deserializer)?;
                for index in crate::runtime::union_order(&value, SHAPES) {
                    let decoded = match index {
                        #(#arms)*
                        _ => continue,
                    };
                    if let Ok(decoded) = decoded {
                        return Ok(decoded);
                    }
                }
                Err(serde::de::Error::custom(concat!("the value matches no variant of ", #type_name)))
            }
        }
    }
}

/// A string enum that keeps unknown values: the enum, its wire spelling both
/// ways, and serde impls through that spelling.
pub(super) fn string_enum(name: &str, doc_text: &str, values: &[EnumValue], cfg: &TokenStream) -> TokenStream {
    let name = ident(name);
    let docs = doc(doc_text);
    let variants: Vec<Ident> = values.iter().map(|v| ident(&v.rust)).collect();
    let wires: Vec<&str> = values.iter().map(|v| v.wire.as_str()).collect();
    let variant_docs = wires.iter().map(|w| doc(&format!("`{w}`")));
    quote! {
        #cfg
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
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

/// The doc of a type: its description, then which schema or schema paths it serves.
fn type_doc(def: &TypeDef) -> String {
    let mut text = def.doc.as_deref().map(sentence).unwrap_or_default();
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    match &def.schema {
        Some(schema) => text.push_str(&format!("The `{schema}` schema.")),
        None => {
            let shown: Vec<String> = def.uses.iter().take(USES_SHOWN).map(|u| format!("`{u}`")).collect();
            text.push_str(&format!("Used at {}", shown.join(", ")));
            let more = def.uses.len().saturating_sub(USES_SHOWN);
            if more > 0 {
                text.push_str(&format!(" and {more} more {}", if more == 1 { "place" } else { "places" }));
            }
            text.push('.');
        }
    }
    text
}

/// Whether a type holds an `f64` anywhere (and so cannot derive `Eq`).
fn mentions_float(space: &TypeSpace, kind: &TypeKind, seen: &mut Vec<usize>) -> bool {
    fn walk(space: &TypeSpace, ty: &RustType, seen: &mut Vec<usize>) -> bool {
        match ty {
            RustType::Number | RustType::Json | RustType::JsonObject => true,
            RustType::List(inner) | RustType::Map(inner) | RustType::Nullable(inner) => walk(space, inner, seen),
            RustType::Named(id) => {
                if seen.contains(id) {
                    return false;
                }
                seen.push(*id);
                mentions_float(space, &space.types[*id].kind, seen)
            }
            _ => false,
        }
    }
    match kind {
        TypeKind::Struct(fields) => fields.iter().any(|f| walk(space, &f.ty, seen)),
        TypeKind::Enum(_) => false,
        TypeKind::Union(variants) => variants.iter().any(|v| walk(space, &v.ty, seen)),
        TypeKind::Alias(ty) => walk(space, ty, seen),
    }
}
