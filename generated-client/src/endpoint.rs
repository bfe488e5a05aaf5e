//! What a request builder says about its action, for code generic over
//! actions (the `test-util` mock server matches on it).

/// Implemented by every generated request builder (`org::GetRequest`, ...):
/// the action's method, path template and name, and what `send()` returns.
pub trait Endpoint {
    /// The HTTP method, e.g. `GET`.
    const METHOD: &'static str;
    /// The path template, e.g. `/orgs/{orgId}`.
    const PATH: &'static str;
    /// `resource.action`, as errors name it, e.g. `org.get`.
    const ACTION: &'static str;
    /// What the builder's `send()` returns.
    type Output;
}
