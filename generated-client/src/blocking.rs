//! `send_blocking`: the async client driven to completion on this thread, for
//! scripts and code that is not async. Cargo feature `blocking`.

use std::future::Future;

use crate::error::Error;

thread_local! {
    /// One runtime per thread, kept so pooled connections stay usable between calls.
    static RUNTIME: Result<tokio::runtime::Runtime, String> =
        tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string());
}

/// Runs `future` to completion on this thread's runtime.
///
/// # Errors
///
/// [`Error::BlockingInAsync`] when called from inside an async runtime (where
/// blocking would stall it: use `.send().await` there); [`Error::Config`] when
/// no runtime can be made.
pub(crate) fn block_on<T>(action: &'static str, future: impl Future<Output = Result<T, Error>>) -> Result<T, Error> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::BlockingInAsync { action });
    }
    RUNTIME.with(|runtime| match runtime {
        Ok(runtime) => runtime.block_on(future),
        Err(reason) => Err(Error::Config(format!("cannot start a runtime for send_blocking: {reason}"))),
    })
}
