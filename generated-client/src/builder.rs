//! What every generated request builder shares, written once.
//!
//! A request builder (`org::GetRequest`, ...) is a struct of its action's
//! own params plus three fields every builder has: the `client`, the global
//! params (`common`, a [`CommonParams`](crate::CommonParams)) and the
//! per-request options. The generated code writes the struct, the setters of
//! the action's own params, `send` and, for list actions, `pages`/`items`;
//! [`request_builder!`] adds the rest to it:
//!
//! - the constants `METHOD`, `PATH`, `SCOPES` and `ACTION`, and the
//!   [`Endpoint`](crate::Endpoint) impl that repeats them with the output type;
//! - a setter per global param (`actions`, `links`, `embedded`,
//!   `losantdomain`): the generated `common_param_setters!` macro, emitted
//!   once from `spec/api.yaml`;
//! - `timeout`, `retry` and `header`;
//! - `send_with_response` and, behind the `blocking` feature, `send_blocking`
//!   (not for event streams, which are async by nature).
//!
//! They are inherent methods of each builder, so callers import no trait and
//! rustdoc lists them on every builder, as before they were written once.

/// The constants and methods every request builder has besides its own
/// setters and `send` (see the [module docs](self)).
///
/// ```text
/// crate::builder::request_builder!(GetRequest -> types::Org,
///     "GET", "/orgs/{orgId}", "org.get", ["all.Organization", "org.get"]);
/// ```
///
/// `-> stream StateStreamEvent` instead of an output type marks an action
/// whose `send` returns an [`EventStream`](crate::EventStream) of those
/// events: it gets no `send_blocking`.
macro_rules! request_builder {
    ($builder:ident -> stream $event:ident, $method:literal, $path:literal, $action:literal, [$($scope:literal),* $(,)?]) => {
        $crate::builder::request_builder!(@shared $builder, $crate::EventStream<$event>, $method, $path, $action, [$($scope),*]);
    };
    ($builder:ident -> $output:ty, $method:literal, $path:literal, $action:literal, [$($scope:literal),* $(,)?]) => {
        $crate::builder::request_builder!(@shared $builder, $output, $method, $path, $action, [$($scope),*]);

        impl $builder {
            /// Like [`send`](Self::send), for code that is not async: runs the request
            /// on this thread and blocks until it is done. Cargo feature `blocking`.
            ///
            /// # Errors
            ///
            /// As [`send`](Self::send); [`Error::BlockingInAsync`](crate::Error::BlockingInAsync)
            /// when called inside an async runtime.
            // Inline: driving the future here compiles it and its body's
            // decoder; only the actions a crate calls need them.
            #[cfg(feature = "blocking")]
            #[inline]
            pub fn send_blocking(self) -> Result<$output, $crate::Error> {
                $crate::blocking::block_on(Self::ACTION, self.send())
            }
        }
    };
    (@shared $builder:ident, $output:ty, $method:literal, $path:literal, $action:literal, [$($scope:literal),*]) => {
        impl $builder {
            /// The HTTP method of this action.
            pub const METHOD: &'static str = $method;
            /// The path template of this action; `{name}` segments are filled from path params.
            pub const PATH: &'static str = $path;
            /// Every token scope that grants this action.
            pub const SCOPES: &'static [&'static str] = &[$($scope),*];
            /// `resource.action`, as errors name it.
            pub const ACTION: &'static str = $action;

            $crate::common_param_setters!();

            /// Overrides the client's request timeout for this request.
            pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
                self.options.timeout = Some(timeout);
                self
            }

            /// Overrides the client's [`RetryPolicy`](crate::RetryPolicy) for this request,
            /// e.g. to retry a POST that is safe to send twice.
            pub fn retry(mut self, policy: $crate::RetryPolicy) -> Self {
                self.options.retry = Some(policy);
                self
            }

            /// Adds a header to this request, replacing a default of the same name.
            /// A value with CR or LF fails the request with
            /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) before anything is sent.
            pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.options.headers.push((name.into(), value.into()));
                self
            }

            /// Like [`send`](Self::send), with the status and headers of the response.
            ///
            /// # Errors
            ///
            /// As [`send`](Self::send).
            pub async fn send_with_response(mut self) -> Result<$crate::ApiResponse<$output>, $crate::Error> {
                let meta = $crate::response::MetaSlot::default();
                self.options.meta = Some(meta.clone());
                self.send().await.map(|body| meta.into_response(body))
            }
        }

        impl $crate::Endpoint for $builder {
            const METHOD: &'static str = $method;
            const PATH: &'static str = $path;
            const ACTION: &'static str = $action;
            type Output = $output;
        }
    };
}

pub(crate) use request_builder;
