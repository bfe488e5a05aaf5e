//! Server-sent events: a response body read as a stream of typed events.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;

use crate::error::Error;
use crate::stream::ItemStream;

/// The events of one stream action, decoded from their SSE name and JSON data.
/// Implemented by the generated `…Event` enums.
pub trait SseEvent: Sized {
    /// Decodes one event. Names the spec does not list are kept, not rejected.
    ///
    /// # Errors
    ///
    /// When the data of a known event is not the JSON its schema says.
    fn from_sse(event: &str, data: &str) -> Result<Self, serde_json::Error>;
}

/// One event as it arrived: its name (`message` when the server gave none) and data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawEvent {
    pub(crate) name: String,
    pub(crate) data: String,
}

/// Splits a byte stream into SSE events, as the HTML standard says: lines end
/// with CRLF, LF or CR; comment lines (`: keep-alive`) and blocks without
/// data are skipped; `id:` and `retry:` are kept for a reconnect
/// ([`Resume`]); a leading BOM is dropped.
/// Each byte is looked at once, however the stream is cut into chunks.
#[derive(Debug)]
pub(crate) struct Parser {
    /// The line being read, without its ending.
    line: Vec<u8>,
    /// The last byte read was a CR: an LF right after it ends no new line.
    after_cr: bool,
    /// No line ended yet (a BOM may start the stream).
    first_line: bool,
    name: Option<String>,
    /// The event's data lines so far, each followed by LF.
    data: String,
    has_data: bool,
    /// The most one event (its data and the line being read) may hold, in bytes.
    limit: usize,
    /// The last `id:` read (the standard's "last event ID buffer").
    id: Option<String>,
    /// What a reconnect needs, as of the last event dispatched.
    resume: Resume,
    /// `resume` changed since [`take_resume`](Self::take_resume).
    resume_changed: bool,
}

/// What a reconnecting stream needs from the stream it replaces: the id of
/// the last event dispatched (sent back as `Last-Event-ID`) and the wait the
/// server asked for with `retry:`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Resume {
    pub(crate) last_event_id: Option<String>,
    pub(crate) retry: Option<Duration>,
}

/// One event grew past the parser's limit.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct EventTooLarge;

/// Lines longer than this are not kept allocated once read.
const KEPT_LINE_CAPACITY: usize = 64 << 10;

impl Parser {
    /// A parser whose events may hold up to `limit` bytes each.
    pub(crate) fn new(limit: u64) -> Self {
        Self {
            line: Vec::new(),
            after_cr: false,
            first_line: true,
            name: None,
            data: String::new(),
            has_data: false,
            limit: usize::try_from(limit).unwrap_or(usize::MAX),
            id: None,
            resume: Resume::default(),
            resume_changed: false,
        }
    }

    /// The resume state, if it changed since the last call.
    pub(crate) fn take_resume(&mut self) -> Option<Resume> {
        std::mem::take(&mut self.resume_changed).then(|| self.resume.clone())
    }

    /// Adds bytes and returns every event they complete.
    pub(crate) fn push(&mut self, chunk: &[u8]) -> Result<Vec<RawEvent>, EventTooLarge> {
        let mut events = Vec::new();
        let mut rest = chunk;
        if self.after_cr && !rest.is_empty() {
            self.after_cr = false;
            if rest[0] == b'\n' {
                rest = &rest[1..];
            }
        }
        while let Some(end) = rest.iter().position(|b| matches!(b, b'\r' | b'\n')) {
            self.line.extend_from_slice(&rest[..end]);
            self.check()?;
            let ending = match (rest[end], rest.get(end + 1)) {
                (b'\r', Some(b'\n')) => 2,
                (b'\r', None) => {
                    self.after_cr = true;
                    1
                }
                _ => 1,
            };
            rest = &rest[end + ending..];
            self.end_line(&mut events);
        }
        self.line.extend_from_slice(rest);
        self.check()?;
        Ok(events)
    }

    fn check(&self) -> Result<(), EventTooLarge> {
        if self.data.len().saturating_add(self.line.len()) > self.limit {
            Err(EventTooLarge)
        } else {
            Ok(())
        }
    }

    /// Handles the line just read: a field, a comment, or the blank line that ends an event.
    fn end_line(&mut self, events: &mut Vec<RawEvent>) {
        let mut bytes = self.line.as_slice();
        if std::mem::take(&mut self.first_line) {
            bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
        }
        let line = String::from_utf8_lossy(bytes);
        if line.is_empty() {
            // Dispatching sets the last event id, with or without data (the standard's rule).
            if self.resume.last_event_id != self.id {
                self.resume.last_event_id.clone_from(&self.id);
                self.resume_changed = true;
            }
            if std::mem::take(&mut self.has_data) {
                let mut data = std::mem::take(&mut self.data);
                data.pop();
                let name = self.name.take().unwrap_or_else(|| "message".to_string());
                events.push(RawEvent { name, data });
            }
            self.name = None;
        } else if !line.starts_with(':') {
            let (field, value) = line.split_once(':').unwrap_or((&line, ""));
            let value = value.strip_prefix(' ').unwrap_or(value);
            match field {
                "event" => self.name = Some(value.to_string()),
                "data" => {
                    self.data.push_str(value);
                    self.data.push('\n');
                    self.has_data = true;
                }
                // An id with NUL is ignored; an empty one clears it.
                "id" if !value.contains('\0') => self.id = (!value.is_empty()).then(|| value.to_string()),
                // Digits only, in milliseconds; anything else is ignored.
                "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                    let millis = value.parse::<u64>().unwrap_or(u64::MAX);
                    self.resume.retry = Some(Duration::from_millis(millis));
                    self.resume_changed = true;
                }
                _ => {}
            }
        }
        self.line.clear();
        self.line.shrink_to(KEPT_LINE_CAPACITY);
    }
}

/// A stream of typed events from a stream action. It ends when the server
/// closes the connection; drop it to disconnect.
///
/// An error ends it too: the connection failing, an event that does not
/// decode as its type ([`Error::Decode`], naming the event), one larger than
/// the client's size limit ([`Error::TooLarge`]), or a silence longer than the
/// idle limit ([`Error::IdleTimeout`]). Reconnect to go on.
pub type EventStream<E> = ItemStream<E>;

/// What an event stream may cost: the longest silence, the largest event.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) idle: Option<Duration>,
    pub(crate) event_size: u64,
}

/// The events of `response`, decoded as they arrive.
pub(crate) fn event_stream<E: SseEvent + Send + 'static>(
    action: &'static str,
    response: reqwest::Response,
    limits: Limits,
) -> EventStream<E> {
    struct State {
        response: Option<reqwest::Response>,
        parser: Parser,
        ready: std::collections::VecDeque<RawEvent>,
        resume: Arc<Mutex<Resume>>,
    }
    let resume = Arc::new(Mutex::new(Resume::default()));
    let state = State {
        response: Some(response),
        parser: Parser::new(limits.event_size),
        ready: Default::default(),
        resume: resume.clone(),
    };
    let events = futures_util::stream::unfold(state, move |mut state| async move {
        loop {
            if let Some(raw) = state.ready.pop_front() {
                let event = E::from_sse(&raw.name, &raw.data).map_err(|source| Error::Decode {
                    action,
                    status: reqwest::StatusCode::OK,
                    type_name: std::any::type_name::<E>(),
                    path: format!("event `{}`", raw.name),
                    source,
                });
                if event.is_err() {
                    // As every `ItemStream`, the stream ends at its first error.
                    state.response = None;
                    state.ready.clear();
                }
                return Some((event, state));
            }
            let response = state.response.as_mut()?;
            let chunk = match limits.idle {
                Some(limit) => match tokio::time::timeout(limit, response.chunk()).await {
                    Ok(chunk) => chunk,
                    Err(_) => {
                        state.response = None;
                        return Some((Err(Error::IdleTimeout { action, limit }), state));
                    }
                },
                None => response.chunk().await,
            };
            match chunk {
                Ok(Some(chunk)) => {
                    let chunk: Bytes = chunk;
                    match state.parser.push(&chunk) {
                        Ok(events) => {
                            state.ready.extend(events);
                            if let Some(now) = state.parser.take_resume() {
                                *state.resume.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = now;
                            }
                        }
                        Err(EventTooLarge) => {
                            state.response = None;
                            let limit = limits.event_size;
                            let error =
                                Error::TooLarge { action, status: reqwest::StatusCode::OK, what: "event", limit };
                            return Some((Err(error), state));
                        }
                    }
                }
                Ok(None) => return None,
                Err(e) => {
                    state.response = None;
                    return Some((Err(Error::transport(action, 1, e)), state));
                }
            }
        }
    });
    ItemStream::new(events).with_resume(action, resume)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_split_across_chunks_and_keep_alives_are_skipped() {
        let mut parser = Parser::new(1 << 20);
        assert!(parser.push(b": keep-alive\n\nevent: deviceState\nda").unwrap().is_empty());
        let events = parser.push(b"ta: {\"a\":1}\r\n\r\ndata: x\ndata: y\n\n").unwrap();
        assert_eq!(
            events,
            [
                RawEvent { name: "deviceState".into(), data: "{\"a\":1}".into() },
                RawEvent { name: "message".into(), data: "x\ny".into() },
            ]
        );
        assert!(parser.push(b"event: only-a-name\n\n").unwrap().is_empty());
    }

    #[test]
    fn cr_lf_and_crlf_all_end_lines_even_split_between_chunks() {
        let mut parser = Parser::new(1 << 20);
        let mut events = parser.push(b"\xEF\xBB\xBFdata: a\r\rdata: b\n\ndata: c\r").unwrap();
        events.extend(parser.push(b"\n\r\nevent: e\rdata: d\r").unwrap());
        events.extend(parser.push(b"\r").unwrap());
        let data: Vec<(&str, &str)> = events.iter().map(|e| (e.name.as_str(), e.data.as_str())).collect();
        assert_eq!(data, [("message", "a"), ("message", "b"), ("message", "c"), ("e", "d")]);
    }

    #[test]
    fn a_long_event_in_small_chunks_is_read_in_one_pass() {
        // 4 MiB in 256-byte chunks: a parser that rescans its buffer on each
        // chunk does 16,384 scans of up to 4 MiB (minutes); this one, one pass.
        let mut parser = Parser::new(8 << 20);
        assert!(parser.push(b"data: ").unwrap().is_empty());
        let chunk = [b'x'; 256];
        for _ in 0..(4 << 20) / chunk.len() {
            assert!(parser.push(&chunk).unwrap().is_empty());
        }
        let events = parser.push(b"\n\n").unwrap();
        assert_eq!(events[0].data.len(), 4 << 20);
    }

    #[test]
    fn ids_and_retry_are_kept_as_of_the_last_event_dispatched() {
        let mut parser = Parser::new(1 << 20);
        parser.push(b"retry: 250\nid: 7\ndata: a\n\n").unwrap();
        let resume = parser.take_resume().unwrap();
        assert_eq!(resume, Resume { last_event_id: Some("7".into()), retry: Some(Duration::from_millis(250)) });
        assert_eq!(parser.take_resume(), None, "nothing changed since");
        // An id of an event not yet ended does not count; a bad retry is ignored.
        parser.push(b"retry: 1s\nid: 8\ndata: b").unwrap();
        assert_eq!(parser.take_resume(), None);
        parser.push(b"\n\nid\n\n").unwrap();
        assert_eq!(parser.take_resume().unwrap().last_event_id, None, "an empty id clears it");
    }

    #[test]
    fn an_event_larger_than_the_limit_is_refused_before_it_ends() {
        let mut parser = Parser::new(12);
        assert_eq!(parser.push(b"data: 12345\n\n").unwrap().len(), 1, "a line of 11 bytes fits");
        assert_eq!(parser.push(b"data: 1234567890"), Err(EventTooLarge));
    }
}
