//! Where in a JSON body a decode error happened, as a path like
//! `members[1].role`, worked out from the error's position.
//!
//! Why not `serde_path_to_error`: it wraps the deserializer, so every type
//! that can be decoded gets a second decoder compiled for the wrapper (a
//! sixth of the client crate's code, measured with `cargo llvm-lines`). The
//! path is only needed when decoding fails, and serde_json says where it
//! failed: one non-generic walk over the body up to that byte names the value
//! there. The path has the same form: `.` for the whole body, `.key` or `key`
//! for an object's key, `[i]` for an array's item.

/// One step into the body: an object's key or an array's index.
enum Step {
    /// Inside an object; the key of the value being read, once known.
    Key(Option<String>),
    /// Inside an array, at this item.
    Item(usize),
}

/// The path of the value at byte `at` of `body`: the value that ends there
/// (a scalar or a closed object or array) or that starts there.
pub(crate) fn path_at(body: &[u8], at: usize) -> String {
    let end = at.min(body.len());
    let mut steps: Vec<Step> = Vec::new();
    // Whether the next string in the current object is a key.
    let mut want_key = false;
    let mut i = 0;
    while i < end {
        match body[i] {
            b'{' => {
                steps.push(Step::Key(None));
                want_key = true;
            }
            b'[' => {
                steps.push(Step::Item(0));
                want_key = false;
            }
            b'}' | b']' => {
                steps.pop();
                want_key = false;
            }
            b':' => want_key = false,
            b',' => match steps.last_mut() {
                Some(Step::Key(key)) => {
                    *key = None;
                    want_key = true;
                }
                Some(Step::Item(index)) => *index += 1,
                None => {}
            },
            b'"' => {
                let (text, next) = string(body, i + 1, end);
                if want_key {
                    if let Some(Step::Key(key)) = steps.last_mut() {
                        *key = Some(text);
                    }
                }
                i = next;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    render(&steps)
}

/// The text of the string whose first byte (after the opening quote) is at
/// `start`, and the index after its closing quote (or `end`).
fn string(body: &[u8], start: usize, end: usize) -> (String, usize) {
    let mut i = start;
    let mut escaped = false;
    while i < end {
        match body[i] {
            b'\\' if !escaped => escaped = true,
            b'"' if !escaped => {
                let raw = &body[start..i];
                // Keys are short: decode escapes by reading the literal back.
                let text = serde_json::from_slice::<String>(&body[start - 1..=i])
                    .unwrap_or_else(|_| String::from_utf8_lossy(raw).into_owned());
                return (text, i + 1);
            }
            _ => escaped = false,
        }
        i += 1;
    }
    (String::from_utf8_lossy(&body[start.min(end)..end]).into_owned(), end)
}

fn render(steps: &[Step]) -> String {
    let mut path = String::new();
    for step in steps {
        match step {
            Step::Key(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Step::Key(None) => {}
            Step::Item(index) => path.push_str(&format!("[{index}]")),
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

/// The byte offset serde_json's error points at (its line is 1-based, its
/// column the bytes read on that line), or `None` without a position.
pub(crate) fn error_offset(body: &[u8], error: &serde_json::Error) -> Option<usize> {
    let line = error.line();
    if line == 0 {
        return None;
    }
    let mut start = 0;
    for _ in 1..line {
        start += body[start..].iter().position(|b| *b == b'\n')? + 1;
    }
    Some(start + error.column())
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Member {
        role: String,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Org {
        name: Option<String>,
        members: Vec<Member>,
    }

    fn path_of<T: for<'de> Deserialize<'de> + std::fmt::Debug>(body: &str) -> String {
        let error = serde_json::from_str::<T>(body).unwrap_err();
        path_at(body.as_bytes(), error_offset(body.as_bytes(), &error).unwrap())
    }

    #[test]
    fn the_path_names_the_value_that_failed() {
        assert_eq!(path_of::<Org>(r#"{"members":[{"role":"admin"},{"role":7}]}"#), "members[1].role");
        assert_eq!(path_of::<Org>(r#"{"name": "a\"}", "members": [{"role": {}}]}"#), "members[0].role");
        assert_eq!(path_of::<Org>("{\n  \"members\": [\n    {\"x\": 1}\n  ]\n}"), "members[0]", "a missing field");
        assert_eq!(path_of::<Org>(r#"{"members": 3}"#), "members");
        assert_eq!(path_of::<Org>(r#"{"members": [], "name": [1]}"#), "name");
        assert_eq!(path_of::<Org>(r#"{"members": []} x"#), ".", "trailing characters");
        assert_eq!(path_of::<Vec<Member>>(r#"[{"role": "a"}, {"role": false}]"#), "[1].role");
        assert_eq!(path_of::<Org>(r#"[]"#), ".");
    }
}
