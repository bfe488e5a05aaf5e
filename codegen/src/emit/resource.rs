//! One module per resource: a handle with a method per action, and a request
//! builder per action that fills a request description and sends it.
//!
//! How a param travels, end to end: the spec's `in:` (path, query, header,
//! body) picks the `Request` call emitted in `send` below (`path_param`,
//! `query`, `header`, `json_body`); the runtime's `Request::url` encodes path
//! and query values, and `Client::execute` puts it all on the wire.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{cell, code_value, doc, sentence};
use super::types::{ident, type_path};
use crate::model::{Action, Location, Origin, Param, ParamType, Resource};
use crate::typegen::{RustType, TypeSpace};

/// The module of one resource.
pub fn module(space: &TypeSpace, resource: &Resource) -> TokenStream {
    let handle = ident(&resource.handle);
    let mut about = format!("The {} resource (`{}`).", resource.title, resource.path);
    if let Some(description) = &resource.description {
        about.push_str("\n\n");
        about.push_str(&sentence(description));
    }
    let module_doc = inner_doc(&about);
    let handle_doc = doc(&format!(
        "Actions on the {} resource (`{}`).\n\nGet one with [`Client::{}`](crate::Client::{}).",
        resource.title, resource.path, resource.module, resource.module
    ));
    let methods = resource
        .actions
        .iter()
        .map(|action| handle_method(space, action));
    let builders = resource
        .actions
        .iter()
        .map(|action| builder(space, resource, action));
    quote! {
        #module_doc

        use crate::runtime::{Method, Request};
        use crate::{types, Client, CommonParams, Error};

        #handle_doc
        #[derive(Debug, Clone)]
        pub struct #handle {
            client: Client,
        }

        impl #handle {
            pub(crate) fn new(client: Client) -> Self {
                Self { client }
            }

            #(#methods)*
        }

        #(#builders)*
    }
}

/// `//!` lines for the top of a module file.
fn inner_doc(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        }
    });
    quote! { #( #![doc = #lines] )* }
}

/// The method on the resource handle that starts a request.
fn handle_method(space: &TypeSpace, action: &Action) -> TokenStream {
    let method = ident(&action.method_name);
    let builder = ident(&action.builder);
    let args = action.required_params().map(|p| {
        let name = ident(&p.rust_name);
        let ty = argument_type(space, p);
        quote!(#name: #ty)
    });
    let values = action.required_params().map(|p| {
        let name = ident(&p.rust_name);
        if takes_text(p) {
            quote!(#name: #name.into())
        } else {
            quote!(#name)
        }
    });
    let optional = action
        .optional_params()
        .filter(|p| p.origin != Origin::Global)
        .map(|p| {
            let name = ident(&p.rust_name);
            quote!(#name: None)
        });
    let docs = doc(&format!(
        "{}\n\n`{} {}`. Optional params and the full reference: [`{}`].",
        sentence(action.summary.as_deref().unwrap_or(&action.title)),
        action.method,
        action.path,
        action.builder
    ));
    quote! {
        #docs
        pub fn #method(&self, #(#args),*) -> #builder {
            #builder {
                client: self.client.clone(),
                #(#values,)*
                #(#optional,)*
                common: CommonParams::default(),
            }
        }
    }
}

/// The request builder of one action.
fn builder(space: &TypeSpace, resource: &Resource, action: &Action) -> TokenStream {
    let name = ident(&action.builder);
    let method = &action.method;
    let path = &action.path;
    let scopes = &action.scopes;
    let action_id = format!("{}.{}", resource.name, action.name);

    let fields = action
        .params
        .iter()
        .filter(|p| p.origin != Origin::Global)
        .map(|p| {
            let field = ident(&p.rust_name);
            let ty = field_type(space, p);
            if p.required {
                quote!(#field: #ty,)
            } else {
                quote!(#field: Option<#ty>,)
            }
        });
    let setters = action.optional_params().map(|p| setter(space, p));
    let send = send(space, action);
    let docs = doc(&builder_doc(space, action));
    quote! {
        #docs
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until `.send()` is awaited"]
        pub struct #name {
            client: Client,
            #(#fields)*
            common: CommonParams,
        }

        impl #name {
            /// The HTTP method of this action.
            pub const METHOD: &'static str = #method;
            /// The path template of this action; `{name}` segments are filled from path params.
            pub const PATH: &'static str = #path;
            /// Every token scope that grants this action.
            pub const SCOPES: &'static [&'static str] = &[#(#scopes),*];
            /// `resource.action`, as errors name it.
            pub const ACTION: &'static str = #action_id;

            #(#setters)*

            #send
        }
    }
}

/// The builder method that sets one optional param.
fn setter(space: &TypeSpace, p: &Param) -> TokenStream {
    let name = ident(&p.rust_name);
    let ty = argument_type(space, p);
    let value = if takes_text(p) {
        quote!(value.into())
    } else {
        quote!(value)
    };
    let target = if p.origin == Origin::Global {
        quote!(self.common.#name)
    } else {
        quote!(self.#name)
    };
    let mut text = format!(
        "Sets `{}` ({}): {}",
        p.name,
        location_name(p.location),
        param_description(p)
    );
    if let Some(default) = &p.default {
        text.push_str(&format!(" Default: {}.", code_value(default)));
    }
    if let Some(example) = &p.example {
        text.push_str(&format!(" Example: {}.", code_value(example)));
    }
    if let Some(allowed) = &p.allowed {
        let values: Vec<String> = allowed.iter().map(code_value).collect();
        text.push_str(&format!(" One of {}.", values.join(", ")));
    }
    let docs = doc(&text);
    let deprecated = p
        .deprecated
        .then(|| quote!(#[deprecated = "deprecated by the API"]));
    quote! {
        #docs
        #deprecated
        pub fn #name(mut self, value: #ty) -> Self {
            #target = Some(#value);
            self
        }
    }
}

/// `send`: the request description, in wire order, handed to the runtime.
fn send(space: &TypeSpace, action: &Action) -> TokenStream {
    let method = format_ident!("{}", action.method);
    let mut steps = Vec::new();
    for p in action
        .params
        .iter()
        .filter(|p| p.location == Location::Path)
    {
        let (wire, field) = (&p.name, ident(&p.rust_name));
        steps.push(quote!(request.path_param(#wire, self.#field);));
    }
    // The global params go first: the official clients send their defaults
    // (`_actions=false&_links=true&_embedded=true`) before any other query param.
    steps.push(quote!(self.common.write_to(&mut request);));
    for p in action.params.iter().filter(|p| p.origin != Origin::Global) {
        let (wire, field) = (&p.name, ident(&p.rust_name));
        let value = if p.required {
            quote!(Some(self.#field))
        } else {
            quote!(self.#field)
        };
        match p.location {
            Location::Query => steps.push(quote!(request.query(#wire, #value);)),
            Location::Header => steps.push(quote!(request.header(#wire, #value);)),
            Location::Body if p.required => steps.push(quote!(request.json_body(&self.#field)?;)),
            Location::Body => steps.push(quote! {
                if let Some(body) = &self.#field {
                    request.json_body(body)?;
                }
            }),
            Location::Path | Location::Multipart => {}
        }
    }
    let success = action.successes().next().and_then(|r| r.schema.as_deref());
    let (output, finish, returns) = match success.and_then(|s| space.schema_type(s)) {
        Some(ty) => {
            let ty = type_path(space, ty, &quote!(types::));
            (
                ty,
                quote!(.json()),
                format!("the decoded {} body", success_status(action)),
            )
        }
        None => (quote!(()), quote!(.empty()), "nothing".to_string()),
    };
    let docs = doc(&format!(
        "Sends the request; returns {returns}.\n\n# Errors\n\n[`Error::Api`] when the API answers with an error status; \
         [`Error::InvalidArgument`] when a param cannot be sent; otherwise a transport, timeout or decode error \
         (see [`Error`])."
    ));
    quote! {
        #docs
        pub async fn send(self) -> Result<#output, Error> {
            let mut request = Request::new(Self::ACTION, Method::#method, Self::PATH);
            #(#steps)*
            self.client.execute(request).await?#finish
        }
    }
}

fn success_status(action: &Action) -> String {
    let statuses: Vec<String> = action.successes().map(|r| r.status.to_string()).collect();
    statuses.join("/")
}

/// The reference on a builder: summary, route, scopes, params, responses.
fn builder_doc(space: &TypeSpace, action: &Action) -> String {
    let mut text = format!(
        "{}\n\n`{} {}`\n\n",
        sentence(action.summary.as_deref().unwrap_or(&action.title)),
        action.method,
        action.path
    );
    text.push_str("# Authentication\n\n");
    if action.scopes.is_empty() {
        text.push_str("No token needed.\n\n");
    } else {
        let scopes: Vec<String> = action.scopes.iter().map(|s| format!("`{s}`")).collect();
        text.push_str(&format!(
            "The token must have at least one of these scopes: {}.\n\n",
            scopes.join(", ")
        ));
    }
    text.push_str("# Parameters\n\n| Name | In | Required | Rust | Description | Default | Example |\n| --- | --- | --- | --- | --- | --- | --- |\n");
    for p in &action.params {
        let rust = if p.required && p.origin != Origin::Global {
            format!("`{}` (argument)", p.rust_name)
        } else {
            format!("[`{0}`](Self::{0})", p.rust_name)
        };
        text.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} | {} |\n",
            p.name,
            location_name(p.location),
            if p.required { "yes" } else { "no" },
            rust,
            cell(&param_description(p)),
            p.default.as_ref().map(code_value).unwrap_or_default(),
            p.example.as_ref().map(code_value).unwrap_or_default(),
        ));
    }
    text.push_str("\n# Responses\n\n| Status | Body | Description |\n| --- | --- | --- |\n");
    for r in &action.responses {
        let body = match r.schema.as_deref().and_then(|s| space.schema_type(s)) {
            Some(RustType::Named(id)) => format!("[`{0}`](types::{0})", space.types[*id].name),
            _ => String::new(),
        };
        text.push_str(&format!(
            "| {} | {} | {} |\n",
            r.status,
            body,
            cell(r.description.as_deref().unwrap_or_default())
        ));
    }
    text.push_str("\nError statuses come back as [`Error::Api`], with the decoded error body.");
    text
}

fn param_description(p: &Param) -> String {
    p.description.as_deref().map(sentence).unwrap_or_default()
}

fn location_name(location: Location) -> &'static str {
    match location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
        Location::Body => "body",
        Location::Multipart => "multipart",
    }
}

/// The type a builder stores for a param.
fn field_type(space: &TypeSpace, p: &Param) -> TokenStream {
    if let Some(ty) = p.schema.as_deref().and_then(|s| space.schema_type(s)) {
        return type_path(space, ty, &quote!(types::));
    }
    match p.ty {
        Some(ParamType::Boolean) => quote!(bool),
        Some(ParamType::Integer) => quote!(i64),
        Some(ParamType::Number) => quote!(f64),
        Some(ParamType::Object | ParamType::Array) => quote!(serde_json::Value),
        Some(ParamType::File) => quote!(Vec<u8>),
        Some(ParamType::String) | None => quote!(String),
    }
}

/// The type a method takes for a param: text params take anything string-like.
fn argument_type(space: &TypeSpace, p: &Param) -> TokenStream {
    if takes_text(p) {
        quote!(impl Into<String>)
    } else {
        field_type(space, p)
    }
}

/// Whether a param is text, taken as `impl Into<String>`.
fn takes_text(p: &Param) -> bool {
    p.schema.is_none() && matches!(p.ty, Some(ParamType::String) | None)
}
