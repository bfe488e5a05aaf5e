//! One module per resource: a handle with a method per action, and a request
//! builder per action that fills a request description and sends it.
//!
//! How a param travels, end to end: [`crate::params`] decides the Rust type
//! its argument or setter takes (`impl Into<String>`, `impl IntoParam<i64>`,
//! a generated enum, a schema type, ...; see [`argument_type`]); the builder
//! stores text params as the text they send ([`into_field`]); the spec's `in:`
//! (path, query, header, body) picks the `Request` call emitted in `send`
//! below (`path_param`, `query`, `header`, `json_body`); the runtime's
//! `Request::url` encodes path and query values, and `Client::execute` puts
//! it all on the wire.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{cell, code_value, doc, sentence};
use super::types::{ident, type_path};
use crate::model::{Action, Location, Origin, Param, ParamType, Resource, Response};
use crate::params::{ParamEnums, ParamRust};
use crate::typegen::{RustType, TypeKind, TypeSpace};

/// The module of one resource.
pub fn module(space: &TypeSpace, enums: &ParamEnums, resource: &Resource) -> TokenStream {
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
    let methods: TokenStream = resource.actions.iter().map(|action| handle_method(space, enums, action)).collect();
    let builders: TokenStream = resource.actions.iter().map(|action| builder(space, enums, resource, action)).collect();
    // A resource whose actions send and return no schema type does not import `types`.
    let uses_types = [&methods, &builders].iter().any(|tokens| tokens.to_string().contains("types ::"));
    let imports = if uses_types {
        quote!(
            use crate::{types, Client, CommonParams, Error};
        )
    } else {
        quote!(
            use crate::{Client, CommonParams, Error};
        )
    };
    quote! {
        #module_doc

        use crate::runtime::{Method, Request};
        #imports

        #handle_doc
        #[derive(Debug, Clone)]
        pub struct #handle {
            client: Client,
        }

        impl #handle {
            pub(crate) fn new(client: Client) -> Self {
                Self { client }
            }

            #methods
        }

        #builders
    }
}

/// `//!` lines for the top of a module file.
fn inner_doc(text: &str) -> TokenStream {
    let lines = super::docs::doc_lines(text);
    quote! { #( #![doc = #lines] )* }
}

/// The method on the resource handle that starts a request.
fn handle_method(space: &TypeSpace, enums: &ParamEnums, action: &Action) -> TokenStream {
    let method = ident(&action.method_name);
    let builder = ident(&action.builder);
    let args = action.required_params().map(|p| {
        let name = ident(&p.rust_name);
        let ty = argument_type(space, enums, p);
        quote!(#name: #ty)
    });
    let values = action.required_params().map(|p| {
        let (name, field) = (ident(&p.rust_name), ident(&p.field_name));
        match enums.rust(p) {
            ParamRust::Declared if name == field => quote!(#name),
            _ => {
                let value = into_field(enums, p, quote!(#name));
                quote!(#field: #value)
            }
        }
    });
    let optional = action.optional_params().filter(|p| p.origin != Origin::Global).map(|p| {
        let field = ident(&p.field_name);
        quote!(#field: None)
    });
    // `&self` and the required params.
    let too_many = (action.required_params().count() + 1 > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let docs = doc(&format!(
        "{}\n\n`{} {}`. Optional params and the full reference: [`{}`].",
        sentence(action.summary.as_deref().unwrap_or(&action.title)),
        action.method,
        action.path,
        action.builder
    ));
    quote! {
        #docs
        #too_many
        pub fn #method(&self, #(#args),*) -> #builder {
            #builder {
                client: self.client.clone(),
                #(#values,)*
                #(#optional,)*
                common: CommonParams::default(),
                options: Default::default(),
            }
        }
    }
}

/// The request builder of one action.
fn builder(space: &TypeSpace, enums: &ParamEnums, resource: &Resource, action: &Action) -> TokenStream {
    let name = ident(&action.builder);
    let method = &action.method;
    let path = &action.path;
    let scopes = &action.scopes;
    let action_id = format!("{}.{}", resource.name, action.name);

    let fields = action.params.iter().filter(|p| p.origin != Origin::Global).map(|p| {
        let field = ident(&p.field_name);
        let ty = field_type(space, p);
        if p.required {
            quote!(#field: #ty,)
        } else {
            quote!(#field: Option<#ty>,)
        }
    });
    let setters = action.optional_params().map(|p| setter(space, enums, p));
    let send = send(space, action);
    let outcome_types = outcome_types(space, action);
    let pager = pager(space, enums, action);
    let send_blocking = send_blocking(space, action);
    let send_with_response = send_with_response(space, action);
    let (output, ..) = outcome(space, action);
    let docs = doc(&builder_doc(space, action));
    quote! {
        #docs
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until `.send()` is awaited"]
        pub struct #name {
            client: Client,
            #(#fields)*
            common: CommonParams,
            options: crate::runtime::RequestOptions,
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

            /// Overrides the client's request timeout for this request.
            pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
                self.options.timeout = Some(timeout);
                self
            }

            /// Overrides the client's [`RetryPolicy`](crate::RetryPolicy) for this request,
            /// e.g. to retry a POST that is safe to send twice.
            pub fn retry(mut self, policy: crate::RetryPolicy) -> Self {
                self.options.retry = Some(policy);
                self
            }

            /// Adds a header to this request, replacing a default of the same name.
            /// A value with CR or LF fails the request with [`Error::InvalidArgument`]
            /// before anything is sent.
            pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.options.headers.push((name.into(), value.into()));
                self
            }

            #send_with_response

            #send

            #send_blocking

            #pager
        }

        impl crate::Endpoint for #name {
            const METHOD: &'static str = #method;
            const PATH: &'static str = #path;
            const ACTION: &'static str = #action_id;
            type Output = #output;
        }

        #outcome_types
    }
}

/// The builder method that sets one optional param.
fn setter(space: &TypeSpace, enums: &ParamEnums, p: &Param) -> TokenStream {
    let name = ident(&p.rust_name);
    let ty = argument_type(space, enums, p);
    let value = into_field(enums, p, quote!(value));
    let field = ident(&p.field_name);
    let target = if p.origin == Origin::Global { quote!(self.common.#field) } else { quote!(self.#field) };
    let mut text = format!("Sets `{}` ({}): {}", p.name, p.location.as_str(), param_description(p));
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
    text.push_str(&takes(enums, p));
    if let Some(field) = &p.reshapes {
        text.push_str(&format!(
            "\n\nThe response decodes the same either way: `{field}` is the same typed list whether the API \
             sends it as a list or, with this set, as an object map (which the client reads back into the list)."
        ));
    }
    let docs = doc(&text);
    let deprecated = p.deprecated.then(|| quote!(#[deprecated = "deprecated by the API"]));
    quote! {
        #docs
        #deprecated
        pub fn #name(mut self, value: #ty) -> Self {
            #target = Some(#value);
            self
        }
    }
}

/// `send`: the request description, in wire order, handed to the runtime,
/// and the decoding of what comes back.
fn send(space: &TypeSpace, action: &Action) -> TokenStream {
    let method = format_ident!("{}", action.method);
    let mut steps = vec![quote!(request.options(self.options);)];
    for p in action.params.iter().filter(|p| p.location == Location::Path) {
        let (wire, field) = (&p.name, ident(&p.field_name));
        let pattern = match &p.pattern {
            Some(pattern) => quote!(Some(#pattern)),
            None => quote!(None),
        };
        steps.push(quote!(request.path_param(#wire, self.#field, #pattern);));
    }
    // The global params go first: the official clients send their defaults
    // (`_actions=false&_links=true&_embedded=true`) before any other query param.
    steps.push(quote!(self.common.write_to(&mut request);));
    for p in action.params.iter().filter(|p| p.origin != Origin::Global) {
        steps.push(write_param(p));
    }
    let (output, finish, returns) = outcome(space, action);
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
            #finish
        }
    }
}

/// The `Request` call that puts one param where the spec says it travels.
fn write_param(p: &Param) -> TokenStream {
    let (wire, field) = (&p.name, ident(&p.field_name));
    let value = if p.required { quote!(Some(self.#field)) } else { quote!(self.#field) };
    let reference = if p.required { quote!(Some(&self.#field)) } else { quote!(self.#field.as_ref()) };
    match p.location {
        Location::Path => quote!(),
        Location::Query if is_structured(p) => {
            quote!(request.query_structured(#wire, #reference)?;)
        }
        Location::Query => quote!(request.query(#wire, #value);),
        Location::Header => quote!(request.header(#wire, #value);),
        Location::Body if p.required => quote!(request.json_body(&self.#field)?;),
        Location::Body => quote! {
            if let Some(body) = &self.#field {
                request.json_body(body)?;
            }
        },
        Location::Multipart if p.ty == Some(ParamType::File) => {
            quote!(request.part_file(#wire, #value);)
        }
        Location::Multipart if is_structured(p) => quote!(request.part_json(#wire, #reference)?;),
        Location::Multipart => quote!(request.part_text(#wire, #value);),
    }
}

/// Whether `send` returns `()`: no success status has a body.
#[cfg(feature = "maintainer")]
pub(super) fn outcome_is_unit(space: &TypeSpace, action: &Action) -> bool {
    outcome(space, action).0.to_string() == "()"
}

/// What `send` returns, the code that produces it, and how its doc says it.
pub(crate) fn outcome(space: &TypeSpace, action: &Action) -> (TokenStream, TokenStream, String) {
    if action.sse_events.is_some() {
        let event = ident(&event_enum_name(action));
        return (
            quote!(crate::EventStream<#event>),
            quote!(self.client.execute_stream(request).await),
            format!("the stream of [`{}`]s", event_enum_name(action)),
        );
    }
    let successes: Vec<&Response> = action.successes().collect();
    let schemas: std::collections::BTreeSet<Option<&str>> = successes.iter().map(|r| r.schema.as_deref()).collect();
    if schemas.len() > 1 {
        let name = response_enum_name(action);
        let enum_ident = ident(&name);
        let arms = successes.iter().map(|r| {
            let status = r.status;
            let variant = ident(&status_variant(status));
            if r.schema.is_some() {
                quote!(#status => response.json().map(#enum_ident::#variant),)
            } else {
                quote!(#status => response.empty().map(|()| #enum_ident::#variant),)
            }
        });
        let finish = quote! {
            let response = self.client.execute(request).await?;
            match response.status() {
                #(#arms)*
                _ => Err(response.unexpected()),
            }
        };
        return (quote!(#enum_ident), finish, format!("a [`{name}`], one variant per success status"));
    }
    match schemas.into_iter().next().flatten().and_then(|s| space.schema_type(s)) {
        Some(ty) => (
            type_path(space, ty, &quote!(types::)),
            quote!(self.client.execute(request).await?.json()),
            format!("the decoded {} body", success_status(action)),
        ),
        None => (quote!(()), quote!(self.client.execute(request).await?.empty()), "nothing".to_string()),
    }
}

/// The types an action needs beside its builder: an enum of its success
/// responses when they differ, an enum of its events when it streams.
fn outcome_types(space: &TypeSpace, action: &Action) -> TokenStream {
    if let Some(events) = &action.sse_events {
        let name = ident(&event_enum_name(action));
        let variants: Vec<proc_macro2::Ident> = events.iter().map(|e| ident(&crate::names::pascal(&e.name))).collect();
        let wires: Vec<&str> = events.iter().map(|e| e.name.as_str()).collect();
        let types = events.iter().map(|e| match e.schema.as_deref().and_then(|s| space.schema_type(s)) {
            Some(ty) => type_path(space, ty, &quote!(types::)),
            None => quote!(serde_json::Value),
        });
        let docs = events
            .iter()
            .map(|e| doc(&format!("`{}`: {}", e.name, e.description.as_deref().map(sentence).unwrap_or_default())));
        let type_doc = doc(&format!("An event on the stream of [`{}`].", action.builder));
        return quote! {
            #type_doc
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            // An event is matched once; boxing the big ones would only add an allocation.
            #[allow(clippy::large_enum_variant)]
            pub enum #name {
                #( #docs #variants(#types), )*
                /// An event the spec does not list, as the server sent it.
                Other {
                    /// The SSE event name.
                    event: String,
                    /// The event's data.
                    data: String,
                },
            }

            impl crate::SseEvent for #name {
                fn from_sse(event: &str, data: &str) -> Result<Self, serde_json::Error> {
                    match event {
                        #( #wires => serde_json::from_slice(data.as_bytes()).map(Self::#variants), )*
                        _ => Ok(Self::Other { event: event.to_string(), data: data.to_string() }),
                    }
                }
            }
        };
    }
    let successes: Vec<&Response> = action.successes().collect();
    let schemas: std::collections::BTreeSet<Option<&str>> = successes.iter().map(|r| r.schema.as_deref()).collect();
    if schemas.len() < 2 {
        return quote!();
    }
    let name = ident(&response_enum_name(action));
    let variants = successes.iter().map(|r| {
        let variant = ident(&status_variant(r.status));
        let docs = doc(&format!("{}: {}", r.status, r.description.as_deref().map(sentence).unwrap_or_default()));
        match r.schema.as_deref().and_then(|s| space.schema_type(s)) {
            Some(ty) => {
                let ty = type_path(space, ty, &quote!(types::));
                quote!(#docs #variant(#ty),)
            }
            None => quote!(#docs #variant,),
        }
    });
    let type_doc = doc(&format!("What [`{}::send`] returns: one variant per success status.", action.builder));
    quote! {
        #type_doc
        #[derive(Debug, Clone, PartialEq)]
        // A response is matched once; boxing the big body would only add an allocation.
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
        }
    }
}

fn success_status(action: &Action) -> String {
    let statuses: Vec<String> = action.successes().map(|r| r.status.to_string()).collect();
    statuses.join("/")
}

/// `send_blocking()`, behind the `blocking` feature; not for event streams,
/// which are async by nature.
fn send_blocking(space: &TypeSpace, action: &Action) -> TokenStream {
    if action.sse_events.is_some() {
        return quote!();
    }
    let (output, ..) = outcome(space, action);
    quote! {
        /// Like [`send`](Self::send), for code that is not async: runs the request
        /// on this thread and blocks until it is done. Cargo feature `blocking`.
        ///
        /// # Errors
        ///
        /// As [`send`](Self::send); [`Error::BlockingInAsync`] when called inside an async runtime.
        #[cfg(feature = "blocking")]
        pub fn send_blocking(self) -> Result<#output, Error> {
            crate::blocking::block_on(Self::ACTION, self.send())
        }
    }
}

/// `send_with_response()`: `send()` with the status and headers. The runtime
/// leaves them in a slot the request carries, so `send` stays the one place
/// that builds and decodes the request.
fn send_with_response(space: &TypeSpace, action: &Action) -> TokenStream {
    let (output, ..) = outcome(space, action);
    // No `let body = ...` of `()` (`clippy::let_unit_value`).
    let (receive, body) = match output.to_string().as_str() {
        "()" => (quote!(self.send().await?;), quote!(())),
        _ => (quote!(let body = self.send().await?;), quote!(body)),
    };
    quote! {
        /// Like [`send`](Self::send), with the status and headers of the response.
        ///
        /// # Errors
        ///
        /// As [`send`](Self::send).
        pub async fn send_with_response(mut self) -> Result<crate::ApiResponse<#output>, Error> {
            let meta = crate::response::MetaSlot::default();
            self.options.meta = Some(meta.clone());
            #receive
            Ok(meta.into_response(#body))
        }
    }
}

/// `items()`, for list actions: a `page` and a `perPage` query param, and a
/// success body with an `items` list (and usually `totalCount`).
pub(crate) fn pager(space: &TypeSpace, enums: &ParamEnums, action: &Action) -> TokenStream {
    let query = |name: &str| action.params.iter().find(|p| p.name == name && p.location == Location::Query);
    let (Some(page), Some(_)) = (query("page"), query("perPage")) else { return quote!() };
    let successes: Vec<&Response> = action.successes().collect();
    let [success] = successes.as_slice() else { return quote!() };
    let Some(RustType::Named(id)) = success.schema.as_deref().and_then(|s| space.schema_type(s)) else {
        return quote!();
    };
    let TypeKind::Struct(fields) = &space.types[*id].kind else { return quote!() };
    let Some(items) = fields.iter().find(|f| f.wire == "items") else { return quote!() };
    let RustType::List(item) = &items.ty else { return quote!() };
    let item = type_path(space, item, &quote!(types::));
    let items_field = ident(&items.rust);
    let items_value =
        if items.required { quote!(body.#items_field) } else { quote!(body.#items_field.unwrap_or_default()) };
    let total = match fields.iter().find(|f| f.wire == "totalCount" && f.ty == RustType::Integer) {
        Some(f) if f.required => {
            let field = ident(&f.rust);
            quote!(Some(body.#field))
        }
        Some(f) => {
            let field = ident(&f.rust);
            quote!(body.#field)
        }
        None => quote!(None),
    };
    let (page_field, page_setter) = (ident(&page.field_name), ident(&page.rust_name));
    // A `page` the spec declares as text is stored as text; an integer one as `i64`.
    let (first, page_value) = match enums.rust(page) {
        ParamRust::Declared => (quote!(self.#page_field.map_or(0, |page| page.max(0) as u64)), quote!(page as i64)),
        ParamRust::Integer => {
            (quote!(self.#page_field.as_deref().and_then(|page| page.parse().ok()).unwrap_or(0)), quote!(page))
        }
        _ => (
            quote!(self.#page_field.as_deref().and_then(|page| page.parse().ok()).unwrap_or(0)),
            quote!(page.to_string()),
        ),
    };
    // The pager sets `page` through its setter, which may be deprecated.
    let deprecated = page.deprecated.then(|| quote!(#[allow(deprecated)]));
    quote! {
        /// Every page, each with its items and `totalCount`, fetched as the stream
        /// is read, from this request's `page` on (the first page unless set);
        /// see [`crate::Pages`].
        #deprecated
        pub fn pages(self) -> crate::Pages<#item> {
            let first = #first;
            crate::paging::pages(Self::ACTION, first, move |page| {
                let request = self.clone().#page_setter(#page_value);
                async move {
                    let body = request.send().await?;
                    Ok(crate::Page::fetched(#items_value, #total))
                }
            })
        }

        /// Every item of every page, fetched page by page as the stream is read,
        /// from this request's `page` on (the first page unless set); see [`crate::Paged`].
        pub fn items(self) -> crate::Paged<#item> {
            crate::paging::items(self.pages())
        }
    }
}

pub(crate) fn response_enum_name(action: &Action) -> String {
    format!("{}Response", crate::names::pascal_words(&action.name))
}

pub(crate) fn event_enum_name(action: &Action) -> String {
    format!("{}Event", crate::names::pascal_words(&action.name))
}

/// `Ok`, `Created`, `Accepted`, `NoContent`, else `Status207`.
pub(crate) fn status_variant(status: u16) -> String {
    match status {
        200 => "Ok".into(),
        201 => "Created".into(),
        202 => "Accepted".into(),
        204 => "NoContent".into(),
        other => format!("Status{other}"),
    }
}

/// The reference on a builder: summary, route, scopes, params, responses.
fn builder_doc(space: &TypeSpace, action: &Action) -> String {
    let mut text = format!("{}\n\n", sentence(action.summary.as_deref().unwrap_or(&action.title)));
    if let Some(description) = &action.description {
        text.push_str(&format!("{}\n\n", sentence(description)));
    }
    text.push_str(&format!("`{} {}`\n\n", action.method, action.path));
    text.push_str("# Authentication\n\n");
    if action.scopes.is_empty() {
        text.push_str("No token needed.\n\n");
    } else {
        let scopes: Vec<String> = action.scopes.iter().map(|s| format!("`{s}`")).collect();
        text.push_str(&format!("The token must have at least one of these scopes: {}.\n\n", scopes.join(", ")));
    }
    text.push_str("# Parameters\n\n| Name | In | Required | Rust | Description | Default | Example |\n| --- | --- | --- | --- | --- | --- | --- |\n");
    for p in &action.params {
        let rust = if p.required && p.origin != Origin::Global {
            format!("`{}` (argument)", p.rust_name)
        } else {
            format!("[`{}`](Self::{})", p.rust_name, crate::names::unraw(&p.rust_name))
        };
        text.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} | {} |\n",
            p.name,
            p.location.as_str(),
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
    if action.responses.iter().any(|r| r.status == 202 && r.schema.as_deref() == Some(JOB_ENQUEUED)) {
        text.push_str(JOB_NOTE);
    }
    text.push_str("\nError statuses come back as [`Error::Api`], with the decoded error body.");
    text
}

/// The schema of a `202` that queued a job (`jobQueued`, `jobId`).
const JOB_ENQUEUED: &str = "jobEnqueuedResult";

/// What a caller can do with a queued job. As of v1.30.0 the API has no way
/// to follow one: its `jobId` (at most 21 characters) is not the 24-hex-digit
/// id `applicationJobLog.get` takes, and `applicationJobLogs.get` cannot
/// filter by it. Say so rather than let callers look for one.
const JOB_NOTE: &str = "\nA `202` means the API queued the work as a job and answered before it ran. \
The API offers no way to follow that job by the `jobId` it returns (it is not the id \
`applicationJobLog.get` takes, and application job logs cannot be filtered by it): \
read the affected resources later to see the outcome.\n";

fn param_description(p: &Param) -> String {
    p.description.as_deref().map(sentence).unwrap_or_default()
}

/// The type a builder stores for a param.
pub(super) fn field_type(space: &TypeSpace, p: &Param) -> TokenStream {
    if let Some(ty) = p.schema.as_deref().and_then(|s| space.schema_type(s)) {
        return type_path(space, ty, &quote!(types::));
    }
    match p.ty {
        Some(ParamType::Boolean) => quote!(bool),
        Some(ParamType::Integer) => quote!(i64),
        Some(ParamType::Number) => quote!(f64),
        Some(ParamType::Object) => quote!(serde_json::Value),
        Some(ParamType::Array) => quote!(Vec<String>),
        Some(ParamType::File) => quote!(crate::FilePart),
        Some(ParamType::String) | None if p.sensitive => quote!(crate::Secret<String>),
        Some(ParamType::String) | None => quote!(String),
    }
}

/// The type a method takes for a param, as [`crate::params`] decides it.
pub(crate) fn argument_type(space: &TypeSpace, enums: &ParamEnums, p: &Param) -> TokenStream {
    match enums.rust(p) {
        ParamRust::Declared => field_type(space, p),
        ParamRust::Text => quote!(impl Into<String>),
        ParamRust::Secret => quote!(impl Into<crate::Secret<String>>),
        ParamRust::Millis => quote!(impl crate::IntoParam<crate::EpochMillis>),
        ParamRust::Integer => quote!(impl crate::IntoParam<i64>),
        ParamRust::Boolean => quote!(impl crate::IntoParam<bool>),
        ParamRust::Enum(e) => {
            let name = ident(&e.name);
            quote!(impl crate::IntoParam<crate::params::#name>)
        }
    }
}

/// The code that turns an argument (`value`) into what the builder stores:
/// the wire text for every param but those of a declared type.
fn into_field(enums: &ParamEnums, p: &Param, value: TokenStream) -> TokenStream {
    match enums.rust(p) {
        ParamRust::Declared => value,
        ParamRust::Text | ParamRust::Secret => quote!(#value.into()),
        ParamRust::Integer | ParamRust::Boolean | ParamRust::Enum(_) | ParamRust::Millis => {
            quote!(#value.into_param_text())
        }
    }
}

/// The end of a setter's doc: what it takes besides text, when that is typed.
fn takes(enums: &ParamEnums, p: &Param) -> String {
    match enums.rust(p) {
        ParamRust::Declared | ParamRust::Text => String::new(),
        ParamRust::Secret => " A credential: kept as a [`Secret`](crate::Secret), never shown by `Debug`.".to_string(),
        ParamRust::Integer => " Takes an integer, or text sent as it is.".to_string(),
        ParamRust::Millis => " In milliseconds since the Unix epoch: takes a `SystemTime`, a [`Timestamp`](crate::Timestamp), a `Duration` since the epoch, an integer of milliseconds, or text sent as it is ([`EpochMillis`](crate::EpochMillis)).".to_string(),
        ParamRust::Boolean => " Takes a `bool`, or text sent as it is.".to_string(),
        ParamRust::Enum(e) => format!(" Takes a [`{0}`](crate::params::{0}), or text sent as it is.", e.name),
    }
}

/// Whether a param is an object or array, which travels flattened or as JSON.
fn is_structured(p: &Param) -> bool {
    p.schema.is_some() || matches!(p.ty, Some(ParamType::Object | ParamType::Array))
}
