//! When a failed request is tried again, and how long to wait in between.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;

/// When and how often a failed request is tried again.
///
/// By default a request is tried up to 3 times when the connection cannot be
/// made, fails before any response arrived (reset, closed), or the API
/// answers 429, 502, 503 or 504, waiting 200 ms, then 400 ms (each with
/// jitter), or as long as a `Retry-After` header says. No wait is longer than
/// [`max_backoff`](Self::max_backoff) (5 s): a `Retry-After` beyond it ends
/// the retries at once with the [`Error::Api`](crate::Error::Api), whose
/// [`retry_after`](crate::ApiError::retry_after) says how long the server
/// asked for. No retry starts later than the [`deadline`](Self::deadline)
/// (30 s after the first attempt began). Only GET and DELETE are retried
/// unless [`retry_non_idempotent`](Self::retry_non_idempotent) says
/// otherwise, so a POST or PATCH is never sent twice by surprise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    pub(crate) max_attempts: u32,
    pub(crate) initial_backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) deadline: Option<Duration>,
    pub(crate) non_idempotent: bool,
}

/// The longest wait between attempts by default.
const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(5);
/// By default no retry starts later than this after the first attempt.
const DEFAULT_DEADLINE: Duration = Duration::from_secs(30);

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: DEFAULT_MAX_BACKOFF,
            deadline: Some(DEFAULT_DEADLINE),
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

    /// The wait before the first retry, doubled for each next one up to `max`
    /// (which is also the [`max_backoff`](Self::max_backoff)).
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// The longest wait before a retry, computed or asked for by a
    /// `Retry-After` header; default 5 s. A server that asks for longer gets no
    /// retry: its error is returned at once, with the wait it asked for in
    /// [`ApiError::retry_after`](crate::ApiError::retry_after).
    pub fn max_backoff(mut self, max: Duration) -> Self {
        self.max_backoff = max;
        self.initial_backoff = self.initial_backoff.min(max);
        self
    }

    /// No retry starts later than this after the first attempt began; default
    /// 30 s. `Duration::MAX` means no deadline.
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
            // The server asks for longer than this policy waits: let the caller decide.
            Some(hint) if hint > self.max_backoff => return None,
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
            // Checked: `elapsed + delay` must not overflow whatever the server sent.
            Some(deadline) if elapsed.checked_add(delay).is_none_or(|end| end > deadline) => None,
            _ => Some(delay),
        }
    }
}

/// Whether an answer with this status is worth another attempt.
pub(crate) fn retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

/// `Retry-After` as a delay: seconds, or an HTTP date. More seconds than a
/// `u64` holds mean "forever": `Duration::MAX`.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(value.parse::<u64>().map_or(Duration::MAX, Duration::from_secs));
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
        assert_eq!(policy.delay(2, Duration::ZERO, Some(Duration::from_millis(300))), Some(Duration::from_millis(300)));
        assert_eq!(policy.delay(2, Duration::ZERO, Some(Duration::from_secs(2))), None, "beyond max_backoff");
        let bounded = policy.clone().deadline(Duration::from_secs(1));
        assert_eq!(bounded.delay(2, Duration::from_millis(950), Some(Duration::from_millis(100))), None);
        let patient = policy.max_backoff(Duration::MAX).deadline(Duration::from_secs(1));
        assert_eq!(patient.delay(2, Duration::from_secs(2), Some(Duration::MAX)), None, "no overflow");
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
        headers.insert(RETRY_AFTER, "99999999999999999999999".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::MAX));
        headers.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }
}
