//! Where each node of a YAML file starts, so a problem found after loading
//! (an unknown schema ref, a duplicate action) can still name its line.
//!
//! serde_yaml gives positions only for syntax and type errors; this walks the
//! same text once more with an event parser, when a problem needs a position,
//! and records the start of every node under a path such as
//! `actions[2].params[0].schema`. JSON is YAML too, so the same index serves
//! upstream JSON files, addressed by JSON pointer through [`pointer_path`].

use std::collections::HashMap;

use saphyr_parser::{Event, Parser};

/// Start positions (1-based line and column) of the nodes of one YAML
/// document. The text is indexed the first time a position is asked for: a
/// spec without problems is never parsed twice.
#[derive(Debug, Default, Clone)]
pub struct Locations {
    text: std::sync::Arc<str>,
    starts: std::sync::OnceLock<HashMap<String, (usize, usize)>>,
}

impl Locations {
    /// Keeps `text` to index when a position is first needed.
    pub fn new(text: &str) -> Self {
        Self { text: text.into(), starts: std::sync::OnceLock::new() }
    }

    /// Indexes `text` now. A text that does not parse gives an empty index:
    /// the loader reports the syntax error itself.
    pub fn index(text: &str) -> Self {
        let locations = Self::new(text);
        locations.starts();
        locations
    }

    fn starts(&self) -> &HashMap<String, (usize, usize)> {
        self.starts.get_or_init(|| {
            let mut walker = Walker::default();
            for event in Parser::new_from_str(&self.text) {
                let Ok((event, span)) = event else { break };
                walker.event(event, (span.start.line(), span.start.col() + 1));
            }
            walker.starts
        })
    }

    /// The position of the node at `path` (`""` is the document root), or of its
    /// closest indexed ancestor.
    pub fn find(&self, path: &str) -> Option<(usize, usize)> {
        let starts = self.starts();
        let mut path = path;
        loop {
            if let Some(position) = starts.get(path) {
                return Some(*position);
            }
            let cut = path.rfind(['.', '['])?;
            path = &path[..cut];
        }
    }
}

/// The index path (`actions.get.params[6]`) of a JSON pointer
/// (`/actions/get/params/6`) into `value`: a segment is an array index where
/// `value` holds an array there. Segments `value` lacks are kept as keys, so
/// [`Locations::find`] falls back to the closest ancestor that exists.
pub fn pointer_path(value: &serde_json::Value, pointer: &str) -> String {
    let mut path = String::new();
    let mut node = Some(value);
    for segment in pointer.split('/').skip(1) {
        let key = segment.replace("~1", "/").replace("~0", "~");
        match node {
            Some(serde_json::Value::Array(items)) if key.parse::<usize>().is_ok() => {
                path.push_str(&format!("[{key}]"));
                node = key.parse::<usize>().ok().and_then(|i| items.get(i));
            }
            _ => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&key);
                node = node.and_then(|n| n.get(&key));
            }
        }
    }
    path
}

/// One open collection while walking: a mapping waiting for a key or a value,
/// or a sequence counting its items.
enum Frame {
    Mapping { path: String, key: Option<String> },
    Sequence { path: String, next: usize },
}

#[derive(Default)]
struct Walker {
    stack: Vec<Frame>,
    starts: HashMap<String, (usize, usize)>,
}

impl Walker {
    /// The path of the node this event starts, or `None` when the event is a
    /// mapping key (which is remembered instead).
    fn place(&mut self, key_text: Option<&str>) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Sequence { path, next }) => {
                let child = format!("{path}[{next}]");
                *next += 1;
                Some(child)
            }
            Some(Frame::Mapping { path, key }) => match key.take() {
                Some(k) if path.is_empty() => Some(k),
                Some(k) => Some(format!("{path}.{k}")),
                None => {
                    *key = Some(key_text.unwrap_or_default().to_string());
                    None
                }
            },
        }
    }

    fn event(&mut self, event: Event<'_>, at: (usize, usize)) {
        match event {
            Event::Scalar(text, ..) => {
                if let Some(path) = self.place(Some(&text)) {
                    self.starts.entry(path).or_insert(at);
                }
            }
            Event::Alias(_) => {
                if let Some(path) = self.place(None) {
                    self.starts.entry(path).or_insert(at);
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let is_mapping = matches!(event, Event::MappingStart(..));
                // A collection used as a mapping key has no path of its own.
                let path = self.place(None).unwrap_or_else(|| "?".to_string());
                self.starts.entry(path.clone()).or_insert(at);
                self.stack.push(if is_mapping {
                    Frame::Mapping { path, key: None }
                } else {
                    Frame::Sequence { path, next: 0 }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_nodes_and_falls_back_to_ancestors() {
        let text = "name: org\nactions:\n- name: get\n  params:\n  - name: a\n    in: query\n";
        let at = Locations::index(text);
        assert_eq!(at.find("name"), Some((1, 7)));
        assert_eq!(at.find("actions[0]"), Some((3, 3)));
        assert_eq!(at.find("actions[0].params[0].in"), Some((6, 9)));
        assert_eq!(at.find("actions[0].params[0].missing"), Some((5, 5)));
    }

    #[test]
    fn json_pointers_find_nodes_in_json_text() {
        let text = "{\n  \"a\": {\"b\": [1, {\"c/d\": \"x\"}]},\n  \"e\": \"\\\\d{24}\"\n}";
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        let at = Locations::index(text);
        assert_eq!(pointer_path(&value, "/a/b/1/c~1d"), "a.b[1].c/d");
        assert_eq!(at.find(&pointer_path(&value, "/a/b/1/c~1d")), Some((2, 26)));
        assert_eq!(at.find(&pointer_path(&value, "/e")), Some((3, 8)));
        // A pointer past the document finds its closest ancestor.
        assert_eq!(at.find(&pointer_path(&value, "/a/b/1/gone")), Some((2, 18)));
    }
}
