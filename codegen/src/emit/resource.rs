//! One module per resource: a handle with a method per action, and a request
//! builder per action that fills a request description and sends it.
//!
//! Everything about an action comes from its [`ActionPlan`]: the types each
//! param takes and is kept as, how it travels, what `send` returns and
//! whether the action pages. This module only writes the plan out.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{cell, code_value, doc, sentence};
use super::pattern::Patterns;
use super::types::ident;
use crate::emit::plan::{self, ActionPlan, Encoding, Outcome, Pages, ParamPlan, Role};
use crate::model::params::{ParamEnums, ParamRust};
use crate::model::{Param, Resource};
use crate::typegen::{RustType, TypeSpace};

/// The module of one resource.
pub fn module(space: &TypeSpace, enums: &ParamEnums, patterns: &Patterns, resource: &Resource) -> TokenStream {
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
    let plans: Vec<ActionPlan> = resource.actions.iter().map(|action| plan::plan(space, enums, action)).collect();
    let methods: TokenStream = plans.iter().map(handle_method).collect();
    let builders: TokenStream = plans.iter().map(|plan| builder(space, patterns, resource, plan)).collect();
    // A resource whose actions send and return no schema type does not import `types`.
    let imports = if plans.iter().any(|plan| plan.uses_types) {
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

        use crate::request::{Method, Request};
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
fn handle_method(plan: &ActionPlan) -> TokenStream {
    let action = plan.action;
    let method = ident(&action.method_name);
    let builder = ident(&action.builder);
    let args = plan.with_role(Role::Argument).map(|p| {
        let name = ident(&p.param.rust_name);
        let ty = &p.argument;
        quote!(#name: #ty)
    });
    let values = plan.with_role(Role::Argument).map(|p| {
        let (name, field) = (ident(&p.param.rust_name), ident(&p.param.field_name));
        match p.rust {
            ParamRust::Declared if name == field => quote!(#name),
            _ => {
                let value = into_field(p, quote!(#name));
                quote!(#field: #value)
            }
        }
    });
    let optional = plan.with_role(Role::Setter).map(|p| {
        let field = ident(&p.param.field_name);
        quote!(#field: None)
    });
    // `&self` and the required params.
    let too_many =
        (plan.with_role(Role::Argument).count() + 1 > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
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
fn builder(space: &TypeSpace, patterns: &Patterns, resource: &Resource, plan: &ActionPlan) -> TokenStream {
    let action = plan.action;
    let name = ident(&action.builder);
    let method = &action.method;
    let path = &action.path;
    let scopes = &action.scopes;
    let action_id = format!("{}.{}", resource.name, action.name);

    let fields = plan.own().map(|p| {
        let field = ident(&p.param.field_name);
        let ty = &p.stored;
        if p.role == Role::Argument {
            quote!(#field: #ty,)
        } else {
            quote!(#field: Option<#ty>,)
        }
    });
    // The global params' setters come with `request_builder!`.
    let setters = plan.with_role(Role::Setter).map(setter);
    let send = send(patterns, plan);
    let outcome_types = outcome_types(plan);
    let pager = plan.pages.as_ref().map(pager);
    // An event stream is named by its event type: `-> stream StateStreamEvent`.
    let output = match &plan.outcome {
        Outcome::Stream { name, .. } => {
            let event = ident(name);
            quote!(stream #event)
        }
        outcome => outcome.output(),
    };
    let docs = doc(&builder_doc(space, plan));
    quote! {
        #docs
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until `.send()` is awaited"]
        pub struct #name {
            client: Client,
            #(#fields)*
            common: CommonParams,
            options: crate::request::RequestOptions,
        }

        crate::builder::request_builder!(#name -> #output, #method, #path, #action_id, [#(#scopes),*]);

        impl #name {
            #(#setters)*

            #send

            #pager
        }

        #outcome_types
    }
}

/// The builder method that sets one optional param (a global one's goes in
/// `common`).
pub(super) fn setter(plan: &ParamPlan) -> TokenStream {
    let p = plan.param;
    let name = ident(&p.rust_name);
    let ty = &plan.argument;
    let value = into_field(plan, quote!(value));
    let field = ident(&p.field_name);
    let target = if plan.role == Role::Common { quote!(self.common.#field) } else { quote!(self.#field) };
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
    text.push_str(&takes(&plan.rust));
    if let Some(field) = p.reshapes.as_ref().map(|r| &r.field) {
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
fn send(patterns: &Patterns, plan: &ActionPlan) -> TokenStream {
    let method = format_ident!("{}", plan.action.method);
    let mut steps = vec![quote!(request.options(self.options);)];
    for p in &plan.params {
        if let Encoding::Path { pattern } = &p.encoding {
            let (wire, field) = (&p.param.name, ident(&p.param.field_name));
            let pattern = match pattern {
                Some(pattern) => {
                    let name = patterns.name(pattern);
                    quote!(Some(&crate::#name))
                }
                None => quote!(None),
            };
            steps.push(quote!(request.path_param(#wire, self.#field, #pattern);));
        }
    }
    // The global params go first: the official clients send their defaults
    // (`_actions=false&_links=true&_embedded=true`) before any other query param.
    steps.push(quote!(self.common.write_to(&mut request);));
    steps.extend(plan.own().map(write_param));
    let output = plan.outcome.output();
    let (finish, returns) = finish(&plan.outcome);
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

/// The `Request` call that puts one param where its plan says it travels.
fn write_param(plan: &ParamPlan) -> TokenStream {
    let p = plan.param;
    let (wire, field) = (&p.name, ident(&p.field_name));
    let value = if p.required { quote!(Some(self.#field)) } else { quote!(self.#field) };
    let reference = if p.required { quote!(Some(&self.#field)) } else { quote!(self.#field.as_ref()) };
    match plan.encoding {
        Encoding::Path { .. } => quote!(),
        Encoding::QueryJson => quote!(request.query_json(#wire, #reference)?;),
        Encoding::QueryBrackets => quote!(request.query_brackets(#wire, #reference)?;),
        Encoding::Query => quote!(request.query(#wire, #value);),
        Encoding::Header => quote!(request.header(#wire, #value);),
        Encoding::Body if p.required => quote!(request.json_body(&self.#field)?;),
        Encoding::Body => quote! {
            if let Some(body) = &self.#field {
                request.json_body(body)?;
            }
        },
        Encoding::PartFile => quote!(request.part_file(#wire, #value);),
        Encoding::PartJson => quote!(request.part_json(#wire, #reference)?;),
        Encoding::PartText => quote!(request.part_text(#wire, #value);),
    }
}

/// The code that turns the response into what `send` returns, and how its
/// doc says it.
fn finish(outcome: &Outcome) -> (TokenStream, String) {
    match outcome {
        Outcome::Stream { name, .. } => {
            (quote!(self.client.transport.execute_stream(request).await), format!("the stream of [`{name}`]s"))
        }
        Outcome::Statuses { name, variants } => {
            let enum_ident = ident(name);
            let arms = variants.iter().map(|v| {
                let status = v.response.status;
                let variant = ident(&v.variant);
                if v.body.is_some() {
                    quote!(#status => response.json().map(#enum_ident::#variant),)
                } else {
                    quote!(#status => response.empty().map(|()| #enum_ident::#variant),)
                }
            });
            let finish = quote! {
                let response = self.client.transport.execute(request).await?;
                match response.status() {
                    #(#arms)*
                    _ => Err(response.unexpected()),
                }
            };
            (finish, format!("a [`{name}`], one variant per success status"))
        }
        Outcome::Body { statuses, .. } => {
            (quote!(self.client.transport.execute(request).await?.json()), format!("the decoded {statuses} body"))
        }
        Outcome::Unit => (quote!(self.client.transport.execute(request).await?.empty()), "nothing".to_string()),
    }
}

/// The types an action needs beside its builder: an enum of its success
/// responses when they differ, an enum of its events when it streams.
fn outcome_types(plan: &ActionPlan) -> TokenStream {
    match &plan.outcome {
        Outcome::Stream { name, events } => {
            let name = ident(name);
            let variants: Vec<proc_macro2::Ident> = events.iter().map(|e| ident(&e.variant)).collect();
            let wires: Vec<&str> = events.iter().map(|e| e.event.name.as_str()).collect();
            let types = events.iter().map(|e| &e.ty);
            let docs = events.iter().map(|e| {
                doc(&format!(
                    "`{}`: {}",
                    e.event.name,
                    e.event.description.as_deref().map(sentence).unwrap_or_default()
                ))
            });
            let type_doc = doc(&format!("An event on the stream of [`{}`].", plan.action.builder));
            quote! {
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
            }
        }
        Outcome::Statuses { name, variants } => {
            let name = ident(name);
            let variants = variants.iter().map(|v| {
                let variant = ident(&v.variant);
                let r = v.response;
                let docs =
                    doc(&format!("{}: {}", r.status, r.description.as_deref().map(sentence).unwrap_or_default()));
                match &v.body {
                    Some(ty) => quote!(#docs #variant(#ty),),
                    None => quote!(#docs #variant,),
                }
            });
            let type_doc =
                doc(&format!("What [`{}::send`] returns: one variant per success status.", plan.action.builder));
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
        Outcome::Body { .. } | Outcome::Unit => quote!(),
    }
}

/// `pages()` and `items()`, for list actions.
fn pager(pages: &Pages) -> TokenStream {
    let item = &pages.item;
    let items_field = ident(&pages.items.0);
    let items_value =
        if pages.items.1 { quote!(body.#items_field) } else { quote!(body.#items_field.unwrap_or_default()) };
    let total = match &pages.total {
        Some((field, true)) => {
            let field = ident(field);
            quote!(Some(body.#field))
        }
        Some((field, false)) => {
            let field = ident(field);
            quote!(body.#field)
        }
        None => quote!(None),
    };
    let (page_field, page_setter) = (ident(&pages.page.field_name), ident(&pages.page.rust_name));
    // How the builder keeps `page` (`plan::param`): declared as an integer,
    // as given (a number stays one, no text and back), or as text.
    let (first, page_value) = match pages.page_rust {
        ParamRust::Declared => (quote!(self.#page_field.map_or(0, |page| page.max(0) as u64)), quote!(page as i64)),
        ParamRust::Integer => (quote!(self.#page_field.as_ref().map_or(0, crate::Given::first_page)), quote!(page)),
        _ => (
            quote!(self.#page_field.as_deref().and_then(|page| page.parse().ok()).unwrap_or(0)),
            quote!(page.to_string()),
        ),
    };
    // The pager sets `page` through its setter, which may be deprecated.
    let deprecated = pages.page.deprecated.then(|| quote!(#[allow(deprecated)]));
    // `#[inline]`: the pager boxes its stream, which compiles the request's
    // future and the decoder of its body (and of every type that holds). Not
    // inline, every list action's would be compiled with this crate, used
    // or not; inline, a crate that calls `.pages()` compiles the ones it calls.
    quote! {
        /// Every page, each with its items and `totalCount`, fetched as the stream
        /// is read, from this request's `page` on (the first page unless set);
        /// see [`crate::Pages`].
        #deprecated
        #[inline]
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
        #[inline]
        pub fn items(self) -> crate::Paged<#item> {
            crate::paging::items(self.pages())
        }
    }
}
/// The reference on a builder: summary, route, scopes, params, responses.
fn builder_doc(space: &TypeSpace, plan: &ActionPlan) -> String {
    let action = plan.action;
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
    for ParamPlan { param: p, role, .. } in &plan.params {
        let rust = if *role == Role::Argument {
            format!("`{}` (argument)", p.rust_name)
        } else {
            format!("[`{}`](Self::{})", p.rust_name, crate::model::names::unraw(&p.rust_name))
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

/// The code that turns an argument (`value`) into what the builder keeps
/// (the param's `stored` type): an integer or a boolean as given, the wire text of every
/// other typed param, a declared type as it is.
fn into_field(plan: &ParamPlan, value: TokenStream) -> TokenStream {
    match plan.rust {
        ParamRust::Declared => value,
        ParamRust::Text | ParamRust::Secret => quote!(#value.into()),
        ParamRust::Integer | ParamRust::Boolean => quote!(#value.into_param_value()),
        ParamRust::Enum(_) | ParamRust::Millis => quote!(#value.into_param_text()),
    }
}

/// The end of a setter's doc: what it takes besides text, when that is typed.
fn takes(rust: &ParamRust) -> String {
    match rust {
        ParamRust::Declared | ParamRust::Text => String::new(),
        ParamRust::Secret => " A credential: kept as a [`Secret`](crate::Secret), never shown by `Debug`.".to_string(),
        ParamRust::Integer => " Takes an integer, or text sent as it is.".to_string(),
        ParamRust::Millis => " In milliseconds since the Unix epoch: takes a `SystemTime`, a [`Timestamp`](crate::Timestamp), a `Duration` since the epoch, an integer of milliseconds, or text sent as it is ([`EpochMillis`](crate::EpochMillis)).".to_string(),
        ParamRust::Boolean => " Takes a `bool`, or text sent as it is.".to_string(),
        ParamRust::Enum(e) => format!(" Takes a [`{0}`](crate::params::{0}), or text sent as it is.", e.name),
    }
}
