//! The one stream type the client returns: the events of a stream action
//! ([`EventStream`](crate::EventStream)), the pages of a list
//! ([`Pages`](crate::Pages)) and its items across the pages
//! ([`Paged`](crate::Paged)) are all fetched as they are read.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::error::Error;
use crate::sse::Resume;

/// Items fetched as the stream is read, each a `Result`: an error ends the
/// stream. It is a [`Stream`]: read it with the `StreamExt` and
/// `TryStreamExt` traits of `futures` (or `futures-util`), e.g.
/// `stream.next().await` or `stream.try_collect::<Vec<_>>().await`. It has
/// no methods of its own that could shadow theirs.
pub struct ItemStream<T> {
    items: Pin<Box<dyn Stream<Item = Result<T, Error>> + Send>>,
    /// An event stream's id and `retry:` as of its last event, for a reconnect.
    resume: Option<Arc<Mutex<Resume>>>,
    /// The action of an event stream.
    action: Option<&'static str>,
}

impl<T> ItemStream<T> {
    #[cfg_attr(not(generated_uses = "pages"), allow(dead_code))]
    pub(crate) fn new(items: impl Stream<Item = Result<T, Error>> + Send + 'static) -> Self {
        Self { items: Box::pin(items), resume: None, action: None }
    }

    /// The same stream, with the resume state its events update.
    pub(crate) fn with_resume(mut self, action: &'static str, resume: Arc<Mutex<Resume>>) -> Self {
        self.resume = Some(resume);
        self.action = Some(action);
        self
    }

    /// `resource.action` of an event stream.
    pub(crate) fn action(&self) -> Option<&'static str> {
        self.action
    }

    /// The resume state as of now (none for a stream that is not of events).
    pub(crate) fn resume(&self) -> Resume {
        let shared = self.resume.as_ref().map(|r| r.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone());
        shared.unwrap_or_default()
    }
}

impl<T> Stream for ItemStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.items.as_mut().poll_next(cx)
    }
}

impl<T> std::fmt::Debug for ItemStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ItemStream")
    }
}
