//! Lists across their pages: a stream of whole pages, and a stream of items.

use std::collections::HashSet;
use std::fmt::Debug;
use std::future::Future;
use std::hash::Hasher;

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
    /// A fingerprint of each page read, to notice a server that repeats one.
    fingerprints: HashSet<u64>,
    /// The most items a page has held: a page with fewer is the last.
    largest: usize,
    done: bool,
}

/// Every page of a list action, fetched as the stream is read.
///
/// It ends after the last page: an empty page, or once `totalCount` items have
/// been read (when reading from the first page); without a usable
/// `totalCount`, at the first page shorter than the ones before. An error ends
/// it too, and so does a page that repeats one already read
/// ([`Error::PageRepeated`]: a server that ignores `page` would otherwise be
/// asked [`MAX_PAGES`] times).
pub type Pages<T> = ItemStream<Page<T>>;

/// Every item of a list action, page after page, fetched as the stream is read;
/// it ends where [`Pages`] does.
pub type Paged<T> = ItemStream<T>;

/// Pages from `first` on; `fetch(n)` sends the request for page `n`.
pub(crate) fn pages<T, F, Fut>(action: &'static str, first: u64, fetch: F) -> Pages<T>
where
    T: Debug + Send + 'static,
    F: FnMut(u64) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page<T>, Error>> + Send + 'static,
{
    let state = State {
        fetch,
        action,
        first,
        next_page: first,
        pages: 0,
        seen: 0,
        fingerprints: HashSet::new(),
        largest: 0,
        done: false,
    };
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
                if !page.items.is_empty() && !state.fingerprints.insert(fingerprint(&page.items)) {
                    state.done = true;
                    return Some((Err(Error::PageRepeated { action: state.action, page: state.next_page }), state));
                }
                page.page = state.next_page;
                state.pages += 1;
                state.next_page += 1;
                state.seen += page.items.len() as u64;
                // `totalCount` counts from the first page: usable only when reading from there.
                let total = page.total_count.filter(|_| state.first == 0).map(|total| total.max(0) as u64);
                let last = match total {
                    Some(total) => state.seen >= total,
                    None => page.items.len() < state.largest,
                };
                state.largest = state.largest.max(page.items.len());
                state.done = page.items.is_empty() || last;
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
pub(crate) fn items<T: Debug + Send + 'static>(pages: Pages<T>) -> Paged<T> {
    let items = pages.map_ok(|page| futures_util::stream::iter(page.items.into_iter().map(Ok))).try_flatten();
    ItemStream::new(items)
}

/// A hash of a page's items, from their `Debug` text (every generated type has
/// one): equal pages hash alike, and distinct pages of real items (which carry
/// ids) practically never do.
fn fingerprint<T: Debug>(items: &[T]) -> u64 {
    /// Feeds formatted text to a hasher without building the string.
    struct Feed(std::collections::hash_map::DefaultHasher);
    impl std::fmt::Write for Feed {
        fn write_str(&mut self, text: &str) -> std::fmt::Result {
            self.0.write(text.as_bytes());
            Ok(())
        }
    }
    let mut feed = Feed(Default::default());
    // Writing to a hasher cannot fail.
    let _ = std::fmt::write(&mut feed, format_args!("{items:?}"));
    feed.0.finish()
}
