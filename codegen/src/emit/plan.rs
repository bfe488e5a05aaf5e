//! The plan of an action: every decision about how it is called and what it
//! returns, made once from the checked model.
//!
//! For each param: the Rust type its argument or setter takes, what the
//! request builder keeps until it writes the request, and how it travels
//! (its [`Encoding`]). For the action: what `send()` returns per success
//! status or as a stream of events ([`Outcome`]), and whether it pages, with
//! the item type and the `page` param ([`Pages`]). Emit (`emit::resource`),
//! the surface `codegen diff` compares, and the docs' examples read the plan;
//! none of them works these out again, and none reads them back out of
//! emitted tokens.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::pattern::PathPattern;
use crate::emit::types::type_path;
use crate::model::names;
use crate::model::params::{ParamEnums, ParamRust};
use crate::model::{Action, Location, Origin, Param, ParamType, Response, SseEvent};
use crate::typegen::{RustType, TypeKind, TypeSpace};

/// One action, resolved.
pub struct ActionPlan<'a> {
    pub action: &'a Action,
    /// Every param, global ones included, in spec order.
    pub params: Vec<ParamPlan<'a>>,
    pub outcome: Outcome<'a>,
    /// `.pages()` and `.items()`, for list actions.
    pub pages: Option<Pages<'a>>,
    /// Whether the action's code names a type of the `types` module.
    pub uses_types: bool,
}

/// One param of an action, resolved.
pub struct ParamPlan<'a> {
    pub param: &'a Param,
    /// How a caller gives it.
    pub role: Role,
    /// How [`crate::model::params`] types it.
    pub rust: ParamRust<'a>,
    /// The type its argument or setter takes.
    pub argument: TokenStream,
    /// What the builder keeps until `send` writes it.
    pub stored: TokenStream,
    pub encoding: Encoding,
}

/// How a caller gives a param.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A required param of the action: an argument of the handle method.
    Argument,
    /// An optional param of the action: a setter of its builder.
    Setter,
    /// A param every action takes (`spec/api.yaml`): a setter every builder
    /// shares, its value kept in `CommonParams`.
    Common,
}

/// How a param travels: which `Request` call `send` makes for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Encoding {
    /// A `{name}` segment of the path, checked against the spec's pattern,
    /// compiled.
    Path { pattern: Option<PathPattern> },
    /// A query pair.
    Query,
    /// An object or array as one compact JSON string: the advanced `query`
    /// param, as the API reads it.
    QueryJson,
    /// An object or array in bracket notation (`tagFilter[0][key]=floor`).
    QueryBrackets,
    /// A header.
    Header,
    /// The JSON body.
    Body,
    /// A text part of a multipart body.
    PartText,
    /// An object or array as a JSON part of a multipart body.
    PartJson,
    /// A file part of a multipart body.
    PartFile,
}

/// What `send()` returns.
pub enum Outcome<'a> {
    /// No success status has a body: `()`.
    Unit,
    /// One body type for every success status.
    Body {
        ty: TokenStream,
        /// `200`, or `200/201`: the statuses, for the docs.
        statuses: String,
    },
    /// Bodies that differ by status: an enum with a variant per status.
    Statuses { name: String, variants: Vec<StatusVariant<'a>> },
    /// A stream of events: an enum with a variant per event the spec lists.
    Stream { name: String, events: Vec<Event<'a>> },
}

/// A success status of an action whose statuses return different bodies.
pub struct StatusVariant<'a> {
    pub response: &'a Response,
    /// `Ok`, `Created`, ..., `Status207`.
    pub variant: String,
    /// The body's type, if it has one.
    pub body: Option<TokenStream>,
}

/// An event of an event stream.
pub struct Event<'a> {
    pub event: &'a SseEvent,
    /// The variant's name.
    pub variant: String,
    /// The type of its data (`serde_json::Value` without a schema).
    pub ty: TokenStream,
}

/// `.pages()` of a list action: a `page` and a `perPage` query param, and one
/// success body with an `items` list (and usually `totalCount`).
pub struct Pages<'a> {
    /// The `page` param.
    pub page: &'a Param,
    /// How `page` is typed, which says how the pager reads and sets it.
    pub page_rust: ParamRust<'a>,
    /// The type of one item.
    pub item: TokenStream,
    /// The Rust field holding the items, and whether it is required.
    pub items: (String, bool),
    /// The Rust field holding `totalCount` (an integer), if the body has one, and whether it is required.
    pub total: Option<(String, bool)>,
}

impl<'a> ActionPlan<'a> {
    /// The params of the action itself (not the common ones), in spec order.
    pub fn own(&self) -> impl Iterator<Item = &ParamPlan<'a>> {
        self.params.iter().filter(|p| p.role != Role::Common)
    }

    /// The params with `role`, in spec order.
    pub fn with_role(&self, role: Role) -> impl Iterator<Item = &ParamPlan<'a>> {
        self.params.iter().filter(move |p| p.role == role)
    }
}

impl Outcome<'_> {
    /// The type `send()` returns.
    pub fn output(&self) -> TokenStream {
        match self {
            Outcome::Unit => quote!(()),
            Outcome::Body { ty, .. } => ty.clone(),
            Outcome::Statuses { name, .. } => {
                let name = ident(name);
                quote!(#name)
            }
            Outcome::Stream { name, .. } => {
                let name = ident(name);
                quote!(crate::EventStream<#name>)
            }
        }
    }
}

/// One action, planned: its params, its outcome, its pages.
pub fn plan<'a>(space: &TypeSpace, enums: &'a ParamEnums, action: &'a Action) -> ActionPlan<'a> {
    let params: Vec<ParamPlan<'a>> = action.params.iter().map(|p| param(space, enums, p)).collect();
    let outcome = outcome(space, action);
    let pages = pages(space, enums, action);
    let named = |schema: Option<&str>| schema.and_then(|s| space.schema_type(s)).is_some_and(names_a_type);
    let uses_types = action.params.iter().any(|p| named(p.schema.as_deref()))
        || action.successes().any(|r| named(r.schema.as_deref()))
        || action.sse_events.iter().flatten().any(|e| named(e.schema.as_deref()));
    ActionPlan { action, params, outcome, pages, uses_types }
}

/// Whether a type is or holds one of the `types` module.
fn names_a_type(ty: &RustType) -> bool {
    match ty {
        RustType::Named(_) => true,
        RustType::List(inner) | RustType::Map(inner) | RustType::Nullable(inner) => names_a_type(inner),
        _ => false,
    }
}

/// One param: its types and how it travels.
pub fn param<'a>(space: &TypeSpace, enums: &'a ParamEnums, p: &'a Param) -> ParamPlan<'a> {
    let rust = enums.rust(p);
    let declared = declared_type(space, p);
    let argument = match &rust {
        ParamRust::Declared => declared.clone(),
        ParamRust::Text => quote!(impl Into<String>),
        ParamRust::Secret => quote!(impl Into<crate::Secret<String>>),
        ParamRust::Millis => quote!(impl crate::IntoParam<crate::EpochMillis>),
        ParamRust::Integer => quote!(impl crate::IntoParam<i64>),
        ParamRust::Boolean => quote!(impl crate::IntoParam<bool>),
        ParamRust::Enum(e) => {
            let name = ident(&e.name);
            quote!(impl crate::IntoParam<crate::params::#name>)
        }
    };
    // Integers and booleans as given (typed, or text), so `.page(3)` is
    // still 3 when `.pages()` reads it; other typed params as their wire text.
    let stored = match &rust {
        ParamRust::Integer => quote!(crate::Given<i64>),
        ParamRust::Boolean => quote!(crate::Given<bool>),
        _ => declared,
    };
    let structured = p.schema.is_some() || matches!(p.ty, Some(ParamType::Object | ParamType::Array));
    let encoding = match p.location {
        Location::Path => Encoding::Path { pattern: p.pattern.as_deref().map(PathPattern::compile) },
        // The API reads its advanced query as one JSON string.
        Location::Query if structured && p.name == "query" => Encoding::QueryJson,
        Location::Query if structured => Encoding::QueryBrackets,
        Location::Query => Encoding::Query,
        Location::Header => Encoding::Header,
        Location::Body => Encoding::Body,
        Location::Multipart if p.ty == Some(ParamType::File) => Encoding::PartFile,
        Location::Multipart if structured => Encoding::PartJson,
        Location::Multipart => Encoding::PartText,
    };
    let role = match (p.origin, p.required) {
        (Origin::Global, _) => Role::Common,
        (_, true) => Role::Argument,
        (_, false) => Role::Setter,
    };
    ParamPlan { param: p, role, rust, argument, stored, encoding }
}

/// The type the spec declares for a param: its schema's, else its `type`'s.
fn declared_type(space: &TypeSpace, p: &Param) -> TokenStream {
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

fn outcome<'a>(space: &TypeSpace, action: &'a Action) -> Outcome<'a> {
    let body = |schema: Option<&str>| {
        schema.and_then(|s| space.schema_type(s)).map(|ty| type_path(space, ty, &quote!(types::)))
    };
    if let Some(events) = &action.sse_events {
        let events = events
            .iter()
            .map(|event| Event {
                event,
                variant: names::pascal(&event.name),
                ty: body(event.schema.as_deref()).unwrap_or_else(|| quote!(serde_json::Value)),
            })
            .collect();
        return Outcome::Stream { name: names::event_enum(&action.name), events };
    }
    let successes: Vec<&Response> = action.successes().collect();
    let schemas: std::collections::BTreeSet<Option<&str>> = successes.iter().map(|r| r.schema.as_deref()).collect();
    if schemas.len() > 1 {
        let variants = successes
            .into_iter()
            .map(|response| StatusVariant {
                response,
                variant: names::status_variant(response.status),
                body: body(response.schema.as_deref()),
            })
            .collect();
        return Outcome::Statuses { name: names::response_enum(&action.name), variants };
    }
    match body(schemas.into_iter().next().flatten()) {
        Some(ty) => {
            let statuses: Vec<String> = action.successes().map(|r| r.status.to_string()).collect();
            Outcome::Body { ty, statuses: statuses.join("/") }
        }
        None => Outcome::Unit,
    }
}

fn pages<'a>(space: &TypeSpace, enums: &'a ParamEnums, action: &'a Action) -> Option<Pages<'a>> {
    let query = |name: &str| action.params.iter().find(|p| p.name == name && p.location == Location::Query);
    let (page, _) = (query("page")?, query("perPage")?);
    let successes: Vec<&Response> = action.successes().collect();
    let [success] = successes.as_slice() else { return None };
    let RustType::Named(id) = space.schema_type(success.schema.as_deref()?)? else { return None };
    let TypeKind::Struct(fields) = &space.types[*id].kind else { return None };
    let items = fields.iter().find(|f| f.wire == "items")?;
    let RustType::List(item) = &items.ty else { return None };
    let total = fields.iter().find(|f| f.wire == "totalCount" && f.ty == RustType::Integer);
    Some(Pages {
        page,
        page_rust: enums.rust(page),
        item: type_path(space, item, &quote!(types::)),
        items: (items.rust.clone(), items.required),
        total: total.map(|f| (f.rust.clone(), f.required)),
    })
}

fn ident(name: &str) -> proc_macro2::Ident {
    crate::emit::types::ident(name)
}
