//! Lists across their pages: a stream of whole pages, and a stream of items.

use std::future::Future;

use futures_util::TryStreamExt;

use crate::error::Error;
use crate::stream::ItemStream;

/// How many pages a [`Pages`] or [`Paged`] stream fetches at most before it ends with
/// [`Error::TooManyPages`]: a guard against a server that never says "last page".
pub const MAX_PAGES: u64 = 10_000;

/// One page of a list action: its items and the total the server reports.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The page number (`page`, counting from 0).
    pub page: u64,
    /// The items on this page.
    pub items: Vec<T>,
    /// `totalCount`: how many items the whole list has, when the server says.
    pub total_count: Option<i64>,
}

impl<T> Page<T> {
    /// A page as fetched; the stream numbers it.
    pub(crate) fn fetched(items: Vec<T>, total_count: Option<i64>) -> Self {
        Self { page: 0, items, total_count }
    }
}

/// Where a [`Pages`] stream is.
struct State<F> {
    fetch: F,
    action: &'static str,
    first: u64,
    next_page: u64,
    pages: u64,
    seen: u64,
    done: bool,
}

/// Every page of a list action, fetched as the stream is read.
///
/// It ends after the last page: an empty page, or once `totalCount` items have
/// been read (when reading from the first page). An error ends it too.
pub type Pages<T> = ItemStream<Page<T>>;

/// Every item of a list action, page after page, fetched as the stream is read;
/// it ends where [`Pages`] does.
pub type Paged<T> = ItemStream<T>;

/// Pages from `first` on; `fetch(n)` sends the request for page `n`.
pub(crate) fn pages<T, F, Fut>(action: &'static str, first: u64, fetch: F) -> Pages<T>
where
    T: Send + 'static,
    F: FnMut(u64) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page<T>, Error>> + Send + 'static,
{
    let state = State { fetch, action, first, next_page: first, pages: 0, seen: 0, done: false };
    let stream = futures_util::stream::unfold(state, |mut state| async move {
        if state.done {
            return None;
        }
        if state.pages >= MAX_PAGES {
            state.done = true;
            let error = Error::TooManyPages { action: state.action, pages: state.pages };
            return Some((Err(error), state));
        }
        match (state.fetch)(state.next_page).await {
            Ok(mut page) => {
                page.page = state.next_page;
                state.pages += 1;
                state.next_page += 1;
                state.seen += page.items.len() as u64;
                let total = page.total_count.map(|total| total.max(0) as u64);
                let all_read = state.first == 0 && total.is_some_and(|total| state.seen >= total);
                state.done = page.items.is_empty() || all_read;
                Some((Ok(page), state))
            }
            Err(error) => {
                state.done = true;
                Some((Err(error), state))
            }
        }
    });
    ItemStream::new(stream)
}

/// The items of `pages`, in order.
pub(crate) fn items<T: Send + 'static>(pages: Pages<T>) -> Paged<T> {
    let items = pages.map_ok(|page| futures_util::stream::iter(page.items.into_iter().map(Ok))).try_flatten();
    ItemStream::new(items)
}
