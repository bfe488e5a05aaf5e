//! When a failed request is tried again, and how long to wait in between.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;

/// When and how often a failed request is tried again.
///
/// By default a request is tried up to 3 times when the connection cannot be
/// made or the API answers 429, 502, 503 or 504, waiting 200 ms, then 400 ms
/// (each with jitter, capped at 5 s), or as long as a `Retry-After` header
/// says. Only GET and DELETE are retried unless
/// [`retry_non_idempotent`](Self::retry_non_idempotent) says otherwise, so a
/// POST or PATCH is never sent twice by surprise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    pub(crate) max_attempts: u32,
    pub(crate) initial_backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) deadline: Option<Duration>,
    pub(crate) non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            deadline: None,
            non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// Never retry: one attempt.
    pub fn none() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }

    /// How many attempts in all, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The wait before the first retry, doubled for each next one up to `max`.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// No retry starts later than this after the first attempt began.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Also retry POST, PATCH and PUT. Only for requests that are safe to send
    /// twice.
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.non_idempotent = retry;
        self
    }

    /// Whether a request with this method may be retried at all.
    pub(crate) fn allows(&self, method: &reqwest::Method) -> bool {
        self.non_idempotent || matches!(*method, reqwest::Method::GET | reqwest::Method::DELETE)
    }

    /// How long to wait before attempt `next` (2 for the first retry), or
    /// `None` when no more attempts are allowed. `hint` is a `Retry-After`.
    pub(crate) fn delay(&self, next: u32, elapsed: Duration, hint: Option<Duration>) -> Option<Duration> {
        if next > self.max_attempts {
            return None;
        }
        let delay = match hint {
            Some(hint) => hint,
            None => {
                let exponential = self.initial_backoff.saturating_mul(1 << (next - 2).min(16));
                let capped = exponential.min(self.max_backoff);
                // Jitter between half and all of the delay, so clients that failed
                // together do not retry together.
                capped / 2 + capped.mul_f64(fastrand::f64() / 2.0)
            }
        };
        match self.deadline {
            Some(deadline) if elapsed + delay > deadline => None,
            _ => Some(delay),
        }
    }
}

/// Whether an answer with this status is worth another attempt.
pub(crate) fn retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

/// `Retry-After` as a delay: seconds, or an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(SystemTime::now()).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_with_jitter_and_stop_at_the_limits() {
        let policy = RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_millis(300));
        for _ in 0..50 {
            let first = policy.delay(2, Duration::ZERO, None).unwrap();
            assert!((Duration::from_millis(50)..=Duration::from_millis(100)).contains(&first), "{first:?}");
            let second = policy.delay(3, Duration::ZERO, None).unwrap();
            assert!((Duration::from_millis(100)..=Duration::from_millis(200)).contains(&second), "{second:?}");
        }
        assert_eq!(policy.delay(4, Duration::ZERO, None), None, "3 attempts in all");
        assert_eq!(policy.delay(2, Duration::ZERO, Some(Duration::from_secs(2))), Some(Duration::from_secs(2)));
        let bounded = policy.deadline(Duration::from_secs(1));
        assert_eq!(bounded.delay(2, Duration::from_millis(950), Some(Duration::from_millis(100))), None);
        assert_eq!(RetryPolicy::none().delay(2, Duration::ZERO, None), None);
    }

    #[test]
    fn only_get_and_delete_are_retried_unless_asked() {
        let policy = RetryPolicy::default();
        assert!(policy.allows(&reqwest::Method::GET) && policy.allows(&reqwest::Method::DELETE));
        assert!(!policy.allows(&reqwest::Method::POST) && !policy.allows(&reqwest::Method::PATCH));
        assert!(policy.retry_non_idempotent(true).allows(&reqwest::Method::POST));
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(RETRY_AFTER, "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::ZERO), "a date in the past means now");
        headers.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }
}
