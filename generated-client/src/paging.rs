//! Streams of items across the pages of a list action.

use std::collections::VecDeque;
use std::future::Future;

use crate::error::Error;
use crate::stream::ItemStream;

/// How many pages a [`Paged`] stream fetches at most before it ends with
/// [`Error::TooManyPages`]: a guard against a server that never says "last page".
pub const MAX_PAGES: u64 = 10_000;

/// One fetched page: its items and the total the server reports.
pub(crate) struct Page<T> {
    pub(crate) items: Vec<T>,
    pub(crate) total_count: Option<i64>,
}

/// Where a [`Paged`] stream is.
struct State<T, F> {
    fetch: F,
    action: &'static str,
    first: u64,
    next_page: u64,
    pages: u64,
    seen: u64,
    ready: VecDeque<T>,
    done: bool,
}

/// Every item of a list action, page after page, fetched as the stream is read.
///
/// It ends after the last page: an empty page, or once `totalCount` items have
/// been read (when reading from the first page). An error ends it too.
pub type Paged<T> = ItemStream<T>;

/// Pages from `first` on; `fetch(n)` sends the request for page `n`.
pub(crate) fn paged<T, F, Fut>(action: &'static str, first: u64, fetch: F) -> Paged<T>
where
    T: Send + 'static,
    F: FnMut(u64) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page<T>, Error>> + Send + 'static,
{
    let state =
        State { fetch, action, first, next_page: first, pages: 0, seen: 0, ready: VecDeque::new(), done: false };
    let stream = futures_util::stream::unfold(state, |mut state| async move {
        while state.ready.is_empty() {
            if state.done {
                return None;
            }
            if state.pages >= MAX_PAGES {
                state.done = true;
                let error = Error::TooManyPages { action: state.action, pages: state.pages };
                return Some((Err(error), state));
            }
            match (state.fetch)(state.next_page).await {
                Ok(page) => {
                    state.pages += 1;
                    state.next_page += 1;
                    state.seen += page.items.len() as u64;
                    let total = page.total_count.map(|total| total.max(0) as u64);
                    let all_read = state.first == 0 && total.is_some_and(|total| state.seen >= total);
                    state.done = page.items.is_empty() || all_read;
                    state.ready.extend(page.items);
                }
                Err(error) => {
                    state.done = true;
                    return Some((Err(error), state));
                }
            }
        }
        let item = state.ready.pop_front()?;
        Some((Ok(item), state))
    });
    ItemStream::new(stream)
}
