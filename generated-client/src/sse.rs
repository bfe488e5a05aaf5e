//! Server-sent events: a response body read as a stream of typed events.

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

/// Splits a byte stream into SSE events. Comment lines (`: keep-alive`) and
/// blocks without data are skipped; `id:` and `retry:` are ignored.
#[derive(Debug, Default)]
pub(crate) struct Parser {
    buffer: Vec<u8>,
}

impl Parser {
    /// Adds bytes and returns every event they complete.
    pub(crate) fn push(&mut self, chunk: &[u8]) -> Vec<RawEvent> {
        self.buffer.extend(chunk.iter().copied().filter(|b| *b != b'\r'));
        let mut events = Vec::new();
        while let Some(end) = self.buffer.windows(2).position(|w| w == b"\n\n") {
            let block: Vec<u8> = self.buffer.drain(..end + 2).collect();
            if let Some(event) = parse_block(&String::from_utf8_lossy(&block)) {
                events.push(event);
            }
        }
        events
    }
}

fn parse_block(block: &str) -> Option<RawEvent> {
    let mut name = None;
    let mut data: Vec<&str> = Vec::new();
    for line in block.lines() {
        if line.is_empty() || line.starts_with(':') {
            continue;
        }
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "event" => name = Some(value.to_string()),
            "data" => data.push(value),
            _ => {}
        }
    }
    if data.is_empty() {
        return None;
    }
    Some(RawEvent { name: name.unwrap_or_else(|| "message".to_string()), data: data.join("\n") })
}

/// A stream of typed events from a stream action. It ends when the server
/// closes the connection; drop it to disconnect.
pub type EventStream<E> = ItemStream<E>;

/// The events of `response`, decoded as they arrive.
pub(crate) fn event_stream<E: SseEvent + Send + 'static>(
    action: &'static str,
    response: reqwest::Response,
) -> EventStream<E> {
    struct State {
        response: Option<reqwest::Response>,
        parser: Parser,
        ready: std::collections::VecDeque<RawEvent>,
    }
    let state = State { response: Some(response), parser: Parser::default(), ready: Default::default() };
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
                return Some((event, state));
            }
            let response = state.response.as_mut()?;
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    let chunk: Bytes = chunk;
                    state.ready.extend(state.parser.push(&chunk));
                }
                Ok(None) => return None,
                Err(e) => {
                    state.response = None;
                    return Some((Err(Error::transport(action, 1, e)), state));
                }
            }
        }
    });
    ItemStream::new(events)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_split_across_chunks_and_keep_alives_are_skipped() {
        let mut parser = Parser::default();
        assert!(parser.push(b": keep-alive\n\nevent: deviceState\nda").is_empty());
        let events = parser.push(b"ta: {\"a\":1}\r\n\r\ndata: x\ndata: y\n\n");
        assert_eq!(
            events,
            [
                RawEvent { name: "deviceState".into(), data: "{\"a\":1}".into() },
                RawEvent { name: "message".into(), data: "x\ny".into() },
            ]
        );
        assert!(parser.push(b"event: only-a-name\n\n").is_empty());
    }
}
