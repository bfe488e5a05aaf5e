//! The one stream type the client returns: the events of a stream action
//! ([`EventStream`](crate::EventStream)) and the items of a list across its
//! pages ([`Paged`](crate::Paged)) are both fetched as they are read.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::error::Error;

/// Items fetched as the stream is read, each a `Result`: an error ends the
/// stream. Use it as a [`futures_core::Stream`], or call [`next`](Self::next)
/// or [`collect`](Self::collect) without any stream library.
pub struct ItemStream<T> {
    items: Pin<Box<dyn Stream<Item = Result<T, Error>> + Send>>,
}

impl<T> ItemStream<T> {
    pub(crate) fn new(items: impl Stream<Item = Result<T, Error>> + Send + 'static) -> Self {
        Self { items: Box::pin(items) }
    }

    /// The next item; `None` once the stream has ended.
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| self.items.as_mut().poll_next(cx)).await
    }

    /// Every item until the stream ends, or the first error.
    ///
    /// # Errors
    ///
    /// The first error the stream yields.
    pub async fn collect(mut self) -> Result<Vec<T>, Error> {
        let mut all = Vec::new();
        while let Some(item) = self.next().await {
            all.push(item?);
        }
        Ok(all)
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
