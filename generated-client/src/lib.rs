//! A typed async client for the [Losant](https://www.losant.com) IoT platform REST API.
//!
//! Every resource of the API is a method on [`Client`]; every action is a
//! method on the resource that returns a request builder. Required params are
//! arguments, optional ones are setters, and `.send().await` returns the typed
//! response body or an [`Error`]:
//!
//! ```no_run
//! # async fn run() -> Result<(), losant_rest::Error> {
//! let client = losant_rest::Client::new(std::env::var("LOSANT_TOKEN").unwrap_or_default());
//! let org = client
//!     .org()
//!     .get("575ed6e87ae143cd83dc4aa8")
//!     .summary_include("payloadCount")
//!     .send()
//!     .await?;
//! println!("{:?}", org.name);
//! # Ok(())
//! # }
//! ```
//!
//! Params take Rust types where the spec makes them clear: an enum from
//! [`params`] for a param with a list of values, an integer or a `bool` where
//! its values are numbers or booleans. Each also takes text, sent exactly as
//! given ([`IntoParam`]), so `.per_page(100)` and `.per_page("100")` send the
//! same query.
//!
//! The resources, actions and [`types`] are generated at build time from the
//! YAML spec in `spec/` by the `codegen` crate; the hand-written runtime
//! (transport, auth, errors) lives beside this file.

#![warn(missing_docs)]
// With only some resource features on, parts of the runtime (uploads,
// streams, structured query params) may have no caller.
#![cfg_attr(not(feature = "full"), allow(dead_code))]
// Some helpers have no caller when the spec has no action that needs them:
// the build script sets `generated_uses = "<helper>"` for those the generated
// code calls (codegen's `runtime_uses`), and only the others may be dead.

#[cfg(feature = "blocking")]
mod blocking;
// `request_builder!`: what every generated request builder shares.
#[cfg_attr(not(feature = "full"), allow(unused_macros, unused_imports))]
mod builder;
mod client;
mod client_builder;
// A successful response and its decoding.
mod decode;
mod encode;
mod endpoint;
mod environment;
mod error;
mod headers;
mod json_path;
// The login calls the generated `auth.authenticateUser` and `auth.authenticateDevice`.
#[cfg(all(generated_uses = "login_user", generated_uses = "login_device"))]
mod login;
mod nullable;
#[cfg_attr(not(generated_uses = "structs"), allow(dead_code))]
mod object;
#[cfg_attr(not(generated_uses = "pages"), allow(dead_code))]
mod paging;
mod param;
// Path patterns: the generated `api.rs` makes one static per pattern the spec has.
#[cfg_attr(not(any(generated_uses = "byte_patterns", generated_uses = "regex_patterns")), allow(dead_code))]
mod pattern;
mod raw;
#[cfg_attr(not(generated_uses = "sse"), allow(dead_code))]
mod reconnect;
mod redirect;
// The request generated code fills, and its URL.
mod request;
mod response;
mod retry;
mod secret;
#[cfg_attr(not(generated_uses = "sse"), allow(dead_code))]
mod sse;
mod stream;
#[cfg(feature = "test-util")]
pub mod test_util;
mod timestamp;
mod token;
mod token_source;
// Sending: auth, redirects, retries, timeouts, size limits.
mod transport;
// Ranking the variants of unions told apart by shape.
mod unions;
mod upload;

pub use client::Client;
pub use client_builder::ClientBuilder;
pub use endpoint::Endpoint;
pub use environment::{API_TOKEN_VAR, API_URL_VAR};
pub use error::{ApiError, ApiErrorKind, Error, TransportError};
#[cfg(all(generated_uses = "login_user", generated_uses = "login_device"))]
pub use login::Login;
pub use nullable::Nullable;
pub use paging::{Page, Paged, Pages, MAX_PAGES};
#[doc(hidden)]
pub use param::Given;
pub use param::IntoParam;
pub use raw::RawRequest;
pub use reconnect::{reconnecting, Reconnect, ReconnectPolicy, ReconnectingStream, StreamItem};
pub use redirect::RedirectPolicy;
// HTTP's vocabulary comes from the `http` crate (1.x), not from the HTTP
// client library, so that this crate's API does not change with the client's.
/// Header names and values, as [`ApiResponse::headers`] and [`ApiError::headers`] hold them.
pub use http::header;
/// HTTP methods, for [`Client::request`].
pub use http::Method;
/// HTTP status codes, as [`Error::status`] and [`ApiError`] report them.
pub use http::StatusCode;
pub use response::ApiResponse;
pub use retry::RetryPolicy;
pub use secret::Secret;
pub use sse::{EventStream, SseEvent};
pub use stream::ItemStream;
pub use timestamp::{EpochMillis, Timestamp};
pub use token_source::{AsyncTokenProvider, IssuedToken, TokenFuture};
pub use upload::FilePart;

// The generated part: `API_VERSION`, the `types` module, one module per
// resource, and the resource accessors on `Client`.
include!(concat!(env!("OUT_DIR"), "/api.rs"));
