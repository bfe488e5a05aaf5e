//! The one stream type the client returns: the events of a stream action
//! ([`EventStream`](crate::EventStream)), the pages of a list
//! ([`Pages`](crate::Pages)) and its items across the pages
//! ([`Paged`](crate::Paged)) are all fetched as they are read.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::error::Error;

/// Items fetched as the stream is read, each a `Result`: an error ends the
/// stream. It is a [`Stream`]: read it with the `StreamExt` and
/// `TryStreamExt` traits of `futures` (or `futures-util`), e.g.
/// `stream.next().await` or `stream.try_collect::<Vec<_>>().await`. It has
/// no methods of its own that could shadow theirs.
pub struct ItemStream<T> {
    items: Pin<Box<dyn Stream<Item = Result<T, Error>> + Send>>,
}

impl<T> ItemStream<T> {
    #[cfg_attr(not(generated_uses = "pages"), allow(dead_code))]
    pub(crate) fn new(items: impl Stream<Item = Result<T, Error>> + Send + 'static) -> Self {
        Self { items: Box::pin(items) }
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
