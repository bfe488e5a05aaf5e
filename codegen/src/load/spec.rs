//! The spec as written in YAML: one struct per kind of file, loaded with serde.
//!
//! These types say what a spec file may contain and nothing more; checking that
//! the pieces fit together (refs resolve, paths and params agree) is
//! `validate`'s job. Unknown keys are rejected so a typo such as `requird`
//! is reported instead of silently ignored.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `spec/api.yaml`: what every action shares.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ApiFile {
    /// Human title of the API.
    pub title: String,
    /// One-line description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The API version this spec describes, e.g. `1.30.0`.
    pub version: String,
    /// Default base URL, e.g. `https://api.losant.com`.
    pub base_url: String,
    /// Value of the `Accept-Version` header, e.g. `^1.30.0`.
    pub accept_version: String,
    /// How requests authenticate.
    pub auth: Auth,
    /// Params every action takes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<ParamDef>,
}

/// How requests authenticate.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Auth {
    /// Only `bearer` is defined: `Authorization: Bearer <token>`.
    pub scheme: AuthScheme,
}

/// The supported authentication schemes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AuthScheme {
    /// `Authorization: Bearer <token>`.
    Bearer,
}

/// `spec/resources/<name>.yaml`: one resource and its actions.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceFile {
    /// camelCase name, e.g. `org` or `applicationApiTokens`.
    pub name: String,
    /// Display title, e.g. `Org`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Description of the resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Path template, e.g. `/orgs/{orgId}`.
    pub path: String,
    /// Params of the resource path, shared by every action.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<ParamDef>,
    /// The actions, in the order they are documented.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<ActionDef>,
}

/// One action of a resource.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ActionDef {
    /// camelCase name, e.g. `inviteMember`.
    pub name: String,
    /// Display title, e.g. `Invite Member`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// One-line summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Longer description, when the API gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A note from whoever wrote or imported the spec (e.g. where data is missing upstream).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// HTTP method, upper case.
    pub method: String,
    /// Path relative to the resource path; empty means the resource path itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Every scope that grants the action, as the docs list them. Empty: no auth.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
    /// The action's own params, in documented order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<ParamDef>,
    /// Success and error responses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub responses: Vec<ResponseDef>,
    /// The API refuses OAuth tokens for this action.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deny_oauth_tokens: bool,
    /// The API accepts tokens of users who have not verified their email.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_unverified: bool,
    /// For a server-sent-events stream: the events it sends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sse_events: Option<Vec<SseEventDef>>,
}

/// Where a param travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Location {
    /// A `{name}` segment of the path.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// The JSON request body (at most one per action).
    Body,
    /// A part of a `multipart/form-data` body.
    Multipart,
}

impl Location {
    /// The spec's word for it (`in: query`), as docs and diffs say it.
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Body => "body",
            Location::Multipart => "multipart",
        }
    }
}

/// Scalar and container types a param may have when it has no schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamType {
    /// Text.
    String,
    /// `true` or `false`.
    Boolean,
    /// A whole number.
    Integer,
    /// Any number.
    Number,
    /// A JSON object.
    Object,
    /// A JSON array.
    Array,
    /// A file (multipart only).
    File,
}

/// One param of an action, a resource path or the whole API.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ParamDef {
    /// The name on the wire, e.g. `orgId` or `_actions`.
    pub name: String,
    /// Where it travels.
    #[serde(rename = "in")]
    pub location: Location,
    /// Its type, when it has no schema.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub ty: Option<ParamType>,
    /// The name of a schema in `spec/schemas/`, for bodies and structured params.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Whether the caller must give it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// What it means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The value the server assumes when it is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// An example value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
    /// The allowed values.
    #[serde(default, rename = "enum", skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<Value>>,
    /// A regular expression the value must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// The shortest allowed text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    /// Whether the API has deprecated it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
    /// Whether it is a credential (`true`: generated as `Secret<String>`,
    /// never printed); `false` says a name the rule would mark is not one.
    /// Written by `codegen import` ([`crate::validate::sensitive`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitive: Option<bool>,
    /// The response field whose form it changes (`tags` for `tagsAsObject`:
    /// the list comes as an object map of its items), or `false` for a
    /// param the rule would mark that does not. Written by `codegen import`
    /// ([`crate::validate::response_modes`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reshapes: Option<Reshapes>,
}

/// What a param's `reshapes` says.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Reshapes {
    /// It returns this response field (a list of objects) as an object map
    /// of its items instead: `reshapes: tags`.
    Field(String),
    /// `reshapes: false`: it reshapes nothing, whatever its description says.
    /// (`true` is refused by `check`: it names no field.)
    Flag(bool),
}

impl Reshapes {
    /// The field it reshapes, if it names one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Reshapes::Field(field) => Some(field),
            Reshapes::Flag(_) => None,
        }
    }
}

/// One possible response of an action.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseDef {
    /// HTTP status code.
    pub status: u16,
    /// The name of the body's schema, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// When the API answers with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// One kind of event on a server-sent-events stream.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SseEventDef {
    /// The SSE `event:` name.
    pub name: String,
    /// The schema of its `data:` (JSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// What it carries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}
