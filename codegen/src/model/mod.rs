//! The checked spec: every ref resolved, every path complete, every name a
//! valid Rust identifier. Generators read only this; `codegen inspect --json`
//! prints it.

pub mod feature_record;
pub mod features;
pub mod names;
pub mod names_table;
pub mod params;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;
use serde_json::Value;

pub use crate::load::spec::{AuthScheme, Location, ParamType};

/// The whole API.
#[derive(Debug, Clone, Serialize)]
pub struct Api {
    /// Human title.
    pub title: String,
    /// One-line description.
    pub description: Option<String>,
    /// API version, e.g. `1.30.0`.
    pub version: String,
    /// Default base URL.
    pub base_url: String,
    /// Value of the `Accept-Version` header.
    pub accept_version: String,
    /// Authentication scheme.
    pub auth: AuthScheme,
    /// Params every action takes, in wire order.
    pub global_params: Vec<Param>,
    /// Resources, sorted by name.
    pub resources: Vec<Resource>,
    /// Named schemas by name.
    #[serde(skip)]
    pub schemas: BTreeMap<String, Schema>,
    /// The features each type has been compiled with (`spec/features.yaml`;
    /// empty until [`crate::check_types`] reads it).
    #[serde(skip)]
    pub feature_record: crate::model::feature_record::Record,
}

/// One resource: a path and the actions on it.
#[derive(Debug, Clone, Serialize)]
pub struct Resource {
    /// Spec name, e.g. `org`.
    pub name: String,
    /// Display title, e.g. `Org`.
    pub title: String,
    /// Description, if the spec has one.
    pub description: Option<String>,
    /// Path template, e.g. `/orgs/{orgId}`.
    pub path: String,
    /// Path params of the resource path.
    pub params: Vec<Param>,
    /// Actions, in spec order.
    pub actions: Vec<Action>,
    /// Rust module name, e.g. `org`.
    #[serde(skip)]
    pub module: String,
    /// Rust name of the resource handle type, e.g. `OrgResource`.
    #[serde(skip)]
    pub handle: String,
}

/// One action: an HTTP request with typed params and responses.
#[derive(Debug, Clone, Serialize)]
pub struct Action {
    /// Spec name, e.g. `inviteMember`.
    pub name: String,
    /// Display title, e.g. `Invite Member`.
    pub title: String,
    /// HTTP method, upper case.
    pub method: String,
    /// Full path template, resource path included.
    pub path: String,
    /// One-line summary.
    pub summary: Option<String>,
    /// Longer description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A note from the spec's author or importer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The API refuses OAuth tokens for this action.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub deny_oauth_tokens: bool,
    /// The API accepts tokens of users who have not verified their email.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub allow_unverified: bool,
    /// Every scope that grants it; empty when it needs no token.
    pub scopes: Vec<String>,
    /// Every param: the resource's path params, the action's own, then the global ones.
    pub params: Vec<Param>,
    /// Responses, in spec order.
    pub responses: Vec<Response>,
    /// Events, for a server-sent-events stream.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sse_events: Option<Vec<SseEvent>>,
    /// Rust method name, e.g. `invite_member`.
    #[serde(skip)]
    pub method_name: String,
    /// Rust name of the request builder, e.g. `InviteMemberRequest`.
    #[serde(skip)]
    pub builder: String,
}

/// Where a param was declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// `api.yaml`: every action takes it.
    Global,
    /// The resource's path params.
    Resource,
    /// The action itself.
    Action,
}

/// A param's `reshapes` mark: the response field it names, and where the
/// mark is, for the check that the field is a list whose items can take a
/// map's keys (made against the types: [`crate::typegen::check`]).
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct Reshape {
    /// The field's wire name, e.g. `tags`.
    pub field: String,
    /// Where the mark is.
    #[serde(skip)]
    pub site: crate::load::diagnostic::Site,
}

/// One param, with its Rust name.
#[derive(Debug, Clone, Serialize)]
pub struct Param {
    /// Wire name.
    pub name: String,
    /// Where it travels.
    #[serde(rename = "in")]
    pub location: Location,
    /// Whether the caller must give it.
    pub required: bool,
    /// Scalar type, when it has no schema.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub ty: Option<ParamType>,
    /// Schema name, for bodies and structured params.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// What it means.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The server's default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// An example value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
    /// Allowed values.
    #[serde(rename = "enum", skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<Value>>,
    /// A regular expression the value must match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// Whether the API has deprecated it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
    /// Whether it is a credential: its value is a `Secret<String>`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub sensitive: bool,
    /// The response field it has the API send as an object map of its items
    /// instead of a list (`tags` for `tagsAsObject`): the field decodes from
    /// either form ([`crate::validate::response_modes`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reshapes: Option<Reshape>,
    /// Where it was declared.
    pub origin: Origin,
    /// Rust name of its argument or setter, e.g. `org_id`.
    #[serde(skip)]
    pub rust_name: String,
    /// Rust name of the request builder field that holds it: `rust_name`,
    /// unless that is one of the builder's own fields (`client`, `common`,
    /// `options`), then with `_param` added.
    #[serde(skip)]
    pub field_name: String,
    /// The action that takes it, as `resource.action` (`devices.get`): with
    /// the wire name, its place in `spec/names.yaml` when it takes an enum
    /// (see [`crate::model::params`]). Empty for a global param, which is every action's.
    #[serde(skip)]
    pub action: String,
}

/// One response of an action.
#[derive(Debug, Clone, Serialize)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// Schema name of the body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// When it is sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Response {
    /// True for 2xx statuses.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// One event kind of a server-sent-events stream.
#[derive(Debug, Clone, Serialize)]
pub struct SseEvent {
    /// The SSE `event:` name.
    pub name: String,
    /// Schema of its data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// What it carries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A named JSON Schema.
#[derive(Debug, Clone)]
pub struct Schema {
    /// Spec name, e.g. `orgPatch`.
    pub name: String,
    /// The file it came from.
    pub file: PathBuf,
    /// The JSON Schema.
    pub json: Value,
}

impl Param {
    /// The param's value is the request's JSON body.
    pub fn is_body(&self) -> bool {
        self.location == Location::Body
    }
}

impl Action {
    /// The params the caller must pass as arguments, in spec order.
    pub fn required_params(&self) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(|p| p.required && p.origin != Origin::Global)
    }

    /// The params set through builder methods, in spec order.
    pub fn optional_params(&self) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(|p| !p.required || p.origin == Origin::Global)
    }

    /// Successful responses.
    pub fn successes(&self) -> impl Iterator<Item = &Response> {
        self.responses.iter().filter(|r| r.is_success())
    }
}
