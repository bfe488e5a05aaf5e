//! Event streams that reconnect: opt in with [`reconnecting`], bounded by a
//! [`ReconnectPolicy`]. The plain [`EventStream`] still ends at its first error.

use std::future::Future;
use std::time::{Duration, Instant};

use futures_util::StreamExt;

use crate::error::Error;
use crate::retry::retryable_status;
use crate::sse::EventStream;
use crate::stream::ItemStream;

/// When a [`reconnecting`] stream opens its stream again, and when it gives up.
///
/// After the connection ends (the server closes it, it fails, or it is idle
/// for longer than the client's
/// [`stream_idle_timeout`](crate::ClientBuilder::stream_idle_timeout)), the
/// stream waits as the server's last `retry:` field asked (at most
/// [`max_server_delay`](Self::max_server_delay)), or else a jittered
/// exponential backoff, and opens it again. It gives up with
/// [`Error::ReconnectGaveUp`] after [`max_attempts`](Self::max_attempts)
/// reconnects, or [`max_elapsed`](Self::max_elapsed), without an event in
/// between; an event resets both.
#[derive(Debug, Clone)]
pub struct ReconnectPolicy {
    max_attempts: u32,
    max_elapsed: Option<Duration>,
    base: Duration,
    max_backoff: Duration,
    max_server_delay: Duration,
}

impl Default for ReconnectPolicy {
    /// 10 attempts within 5 minutes; backoff from 1 s doubling up to 30 s;
    /// a server's `retry:` honoured up to 60 s.
    fn default() -> Self {
        Self {
            max_attempts: 10,
            max_elapsed: Some(Duration::from_secs(300)),
            base: Duration::from_secs(1),
            max_backoff: Duration::from_secs(30),
            max_server_delay: Duration::from_secs(60),
        }
    }
}

impl ReconnectPolicy {
    /// How many reconnects to try without an event in between.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// How long to go on trying since the last event (or since the first
    /// open); `None`: as long as the attempts last.
    pub fn max_elapsed(mut self, limit: Option<Duration>) -> Self {
        self.max_elapsed = limit;
        self
    }

    /// The backoff when the server sent no `retry:`: about `base` before the
    /// first reconnect, doubling up to `max`, each wait jittered (between
    /// half and all of it) so many clients do not reconnect at once.
    pub fn backoff(mut self, base: Duration, max: Duration) -> Self {
        self.base = base;
        self.max_backoff = max;
        self
    }

    /// The longest wait a server's `retry:` field may ask for.
    pub fn max_server_delay(mut self, max: Duration) -> Self {
        self.max_server_delay = max;
        self
    }

    /// The wait before reconnect `attempt` (1 for the first).
    fn delay(&self, attempt: u32, server: Option<Duration>) -> Duration {
        if let Some(server) = server {
            return server.min(self.max_server_delay);
        }
        let doubled = self.base.saturating_mul(1u32 << attempt.saturating_sub(1).min(20));
        let capped = doubled.min(self.max_backoff);
        capped / 2 + capped.mul_f64(fastrand::f64() / 2.0)
    }
}

/// One item of a [`ReconnectingStream`]: an event, or word that the stream
/// reconnected.
#[derive(Debug)]
#[non_exhaustive]
pub enum StreamItem<E> {
    /// An event from the server.
    Event(E),
    /// The stream was opened again after its connection ended.
    Reconnected(Reconnect),
}

/// What a [`StreamItem::Reconnected`] tells: which attempt succeeded, after
/// how long a wait, where it resumed, and why the connection had ended.
#[derive(Debug)]
#[non_exhaustive]
pub struct Reconnect {
    /// Reconnects tried since the last event, this one included.
    pub attempt: u32,
    /// The wait before this attempt.
    pub waited: Duration,
    /// The `Last-Event-ID` sent, if the server had sent ids.
    pub last_event_id: Option<String>,
    /// Why the connection ended; `None` when the server closed it.
    pub cause: Option<Error>,
}

/// Events that go on across reconnects; see [`reconnecting`].
pub type ReconnectingStream<E> = ItemStream<StreamItem<E>>;

/// Whether a stream that ended with `error` is opened again: a failed or
/// idle connection, a timeout, or a status a retry may cure (429, 5xx). An
/// event that does not decode, one too large, a 4xx or a bad config end it.
fn reconnects_after(error: &Error) -> bool {
    match error {
        Error::Transport { .. } | Error::Timeout { .. } | Error::HeadTimeout { .. } | Error::IdleTimeout { .. } => true,
        Error::Api(api) => retryable_status(api.status),
        _ => false,
    }
}

/// An event stream that opens again when its connection ends, as a browser's
/// `EventSource` does, within `policy`'s bounds.
///
/// `open` opens the stream: it gets the id of the last event received, when
/// the server sent ids, to send as the `Last-Event-ID` header so the server
/// can resume after it. It is called for the first connection too.
///
/// ```no_run
/// use futures_util::StreamExt;
/// use losant_rest::{reconnecting, ReconnectPolicy, StreamItem};
///
/// # async fn run(client: losant_rest::Client) -> Result<(), losant_rest::Error> {
/// let request = client.device().state_stream("575ec8687ae143cd83dc4a97", "575ecf887ae143cd83dc4aa2");
/// let mut events = reconnecting(ReconnectPolicy::default(), move |last_event_id| {
///     let request = request.clone();
///     async move {
///         match last_event_id {
///             Some(id) => request.header("Last-Event-ID", id).send().await,
///             None => request.send().await,
///         }
///     }
/// });
/// while let Some(item) = events.next().await {
///     match item? {
///         StreamItem::Event(event) => println!("{event:?}"),
///         StreamItem::Reconnected(reconnect) => eprintln!("reconnected (attempt {})", reconnect.attempt),
///         _ => {}
///     }
/// }
/// # Ok(())
/// # }
/// ```
///
/// Each item is a `Result`: an error that reconnecting cannot cure (see
/// [`ReconnectPolicy`]) and [`Error::ReconnectGaveUp`] end the stream.
pub fn reconnecting<E, F, Fut>(policy: ReconnectPolicy, open: F) -> ReconnectingStream<E>
where
    E: Send + 'static,
    F: FnMut(Option<String>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<EventStream<E>, Error>> + Send + 'static,
{
    struct State<E, F> {
        open: F,
        policy: ReconnectPolicy,
        current: Option<EventStream<E>>,
        action: &'static str,
        last_event_id: Option<String>,
        retry: Option<Duration>,
        /// Reconnects tried since the last event.
        attempts: u32,
        /// When the stream was last good: its last event, or the first try.
        good_since: Instant,
        /// Why the last connection ended, while reconnecting.
        cause: Option<Option<Error>>,
        done: bool,
    }
    let state = State {
        open,
        policy,
        current: None,
        action: "stream",
        last_event_id: None,
        retry: None,
        attempts: 0,
        good_since: Instant::now(),
        cause: None,
        done: false,
    };
    let items = futures_util::stream::unfold(state, |mut state| async move {
        loop {
            if state.done {
                return None;
            }
            let Some(current) = state.current.as_mut() else {
                // (Re)connect: the first time at once, then after the policy's wait.
                let mut waited = Duration::ZERO;
                if state.cause.is_some() {
                    state.attempts += 1;
                    let over_time = state.policy.max_elapsed.is_some_and(|limit| state.good_since.elapsed() >= limit);
                    if state.attempts > state.policy.max_attempts || over_time {
                        state.done = true;
                        let last = state.cause.take().flatten().map(Box::new);
                        let attempts = state.attempts - 1;
                        let error = Error::ReconnectGaveUp {
                            action: state.action,
                            attempts,
                            elapsed: state.good_since.elapsed(),
                            last,
                        };
                        return Some((Err(error), state));
                    }
                    waited = state.policy.delay(state.attempts, state.retry);
                    tracing::debug!(action = state.action, attempt = state.attempts, ?waited, "reconnecting");
                    tokio::time::sleep(waited).await;
                }
                match (state.open)(state.last_event_id.clone()).await {
                    Ok(stream) => {
                        state.action = stream.action().unwrap_or(state.action);
                        state.current = Some(stream);
                        if let Some(cause) = state.cause.take() {
                            let reconnect = Reconnect {
                                attempt: state.attempts,
                                waited,
                                last_event_id: state.last_event_id.clone(),
                                cause,
                            };
                            return Some((Ok(StreamItem::Reconnected(reconnect)), state));
                        }
                    }
                    Err(error) if reconnects_after(&error) => state.cause = Some(Some(error)),
                    Err(error) => {
                        state.done = true;
                        return Some((Err(error), state));
                    }
                }
                continue;
            };
            let next = current.next().await;
            // What the stream saw so far: kept for the next connection.
            let resume = current.resume();
            if resume.last_event_id.is_some() {
                state.last_event_id = resume.last_event_id;
            }
            if resume.retry.is_some() {
                state.retry = resume.retry;
            }
            match next {
                Some(Ok(event)) => {
                    state.attempts = 0;
                    state.good_since = Instant::now();
                    return Some((Ok(StreamItem::Event(event)), state));
                }
                Some(Err(error)) if reconnects_after(&error) => {
                    state.current = None;
                    state.cause = Some(Some(error));
                }
                Some(Err(error)) => {
                    state.done = true;
                    return Some((Err(error), state));
                }
                None => {
                    state.current = None;
                    state.cause = Some(None);
                }
            }
        }
    });
    ItemStream::new(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_is_the_servers_capped_or_a_jittered_backoff() {
        let policy = ReconnectPolicy::default().backoff(Duration::from_millis(100), Duration::from_millis(400));
        assert_eq!(policy.delay(3, Some(Duration::from_millis(250))), Duration::from_millis(250));
        assert_eq!(policy.delay(1, Some(Duration::from_secs(3600))), Duration::from_secs(60));
        for (attempt, full) in [(1, 100), (2, 200), (3, 400), (9, 400), (u32::MAX, 400)] {
            let wait = policy.delay(attempt, None);
            let full = Duration::from_millis(full);
            assert!(wait >= full / 2 && wait <= full, "attempt {attempt}: {wait:?}");
        }
    }
}
