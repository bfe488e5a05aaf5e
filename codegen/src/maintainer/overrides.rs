//! `spec/overrides.yaml`: corrections of upstream data that no rule covers.
//!
//! Each entry names an upstream file, a JSON pointer, an edit (`op`), what it
//! expects upstream to hold where the edit reads (`expect`) and a reason. The expectation is what makes
//! an entry safe across releases: when upstream has changed or fixed the data,
//! the entry is *stale*, and it is skipped with a warning that names its lines
//! in the file, instead of editing data it was not written for.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::load::diagnostic::{Diagnostic, Diagnostics};
use crate::load::locate::Locations;
use crate::maintainer::upstream::{Release, API_INFO};

/// The overrides file's name in a spec directory.
pub const FILE: &str = "overrides.yaml";

/// One correction, as written in the file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// The upstream file, relative to the release: `apiInfo.json` or `schemas/<name>.json`.
    pub file: String,
    /// JSON pointer to the value the edit changes.
    pub path: String,
    /// What upstream holds where the edit reads: at `from` for `move`, else at `path`.
    pub expect: Expect,
    /// The edit.
    pub op: Op,
    /// For `add` and `replace`: the new value.
    #[serde(default, deserialize_with = "present")]
    pub value: Option<Value>,
    /// For `move`: JSON pointer to the value that replaces the one at `path`.
    #[serde(default)]
    pub from: Option<String>,
    /// For `wrap`: the key of the object the value at `path` is wrapped in.
    #[serde(default)]
    pub key: Option<String>,
    /// Why upstream is wrong.
    pub reason: String,
}

/// What an override expects upstream to hold where it reads; every check given must hold.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// Nothing is there (what `add` expects, and only `add`).
    #[serde(default)]
    pub absent: bool,
    /// Exactly this value is there (what `replace` expects).
    #[serde(default, deserialize_with = "present")]
    pub equals: Option<Value>,
    /// A value of this JSON kind is there.
    #[serde(default)]
    pub kind: Option<Kind>,
    /// An object with exactly these keys, in any order, is there.
    #[serde(default)]
    pub keys: Option<Vec<String>>,
}

/// The kinds of JSON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// `{...}`
    Object,
    /// `[...]`
    Array,
    /// `"..."`
    String,
    /// An integer or a float.
    Number,
    /// `true` or `false`.
    Boolean,
    /// `null`.
    Null,
}

/// The edits an override can make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    /// Put `value` at `path`, where nothing is.
    Add,
    /// Put `value` at `path` in place of what `expect.equals` says is there.
    Replace,
    /// Put the value at `from` (usually inside `path`) at `path`; `expect` is about the value at `from`.
    Move,
    /// Put `{key: <the value at path>}` at `path`.
    Wrap,
}

/// `equals: null` means "expects null", not "no expectation".
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

/// One entry of the file and where it is.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The correction.
    pub patch: Override,
    /// 1-based line and column where the entry starts.
    pub at: (usize, usize),
    /// The entry's first and last line, the lines to delete when it is stale.
    pub lines: (usize, usize),
}

/// A parsed overrides file.
#[derive(Debug, Clone)]
pub struct Overrides {
    /// The file, as given.
    pub file: PathBuf,
    /// Its entries, in file order.
    pub entries: Vec<Entry>,
}

/// What applying the overrides did.
#[derive(Debug, Clone, Default)]
pub struct Applied {
    /// How many entries applied.
    pub applied: usize,
    /// One warning per stale entry, which was skipped.
    pub stale: Diagnostics,
    /// The reasons of the entries that applied, by upstream file.
    pub reasons: BTreeMap<String, Vec<String>>,
}

/// The overrides file an import into `out` uses: `explicit` when given (it
/// must exist), else `out/overrides.yaml`, else the project's `project` file
/// (`spec/overrides.yaml`), else none.
pub fn choose(out: &Path, explicit: Option<&Path>, project: &Path) -> Result<Option<PathBuf>, Diagnostics> {
    if let Some(file) = explicit {
        return if file.is_file() {
            Ok(Some(file.to_path_buf()))
        } else {
            let problem =
                Diagnostic::error(file, "overrides file not found").hint("--overrides names an existing YAML file");
            Err(Diagnostics(vec![problem]))
        };
    }
    Ok([out.join(FILE), project.to_path_buf()].into_iter().find(|file| file.is_file()))
}

impl Overrides {
    /// Reads and checks an overrides file. A malformed entry (bad pointer, an
    /// `op` without what it needs, an `expect` that does not fit the `op`) is
    /// an error with its line: it would never apply, in any release.
    pub fn read(file: &Path) -> Result<Overrides, Diagnostics> {
        let error = |message: String| Diagnostics(vec![Diagnostic::error(file, message)]);
        let text = fs::read_to_string(file).map_err(|e| error(format!("cannot read file: {e}")))?;
        let list = serde_yaml::from_str::<Option<Vec<Override>>>(&text).map_err(|e| {
            let message = e.to_string();
            let message = message.rfind(" at line ").map_or(message.clone(), |cut| message[..cut].to_string());
            Diagnostics(vec![Diagnostic::error(file, message).at(e.location().map(|l| (l.line(), l.column())))])
        })?;
        let locations = Locations::index(&text);
        let lines: Vec<&str> = text.lines().collect();
        let starts: Vec<(usize, usize)> = (0..list.as_ref().map_or(0, Vec::len))
            .map(|i| locations.find(&format!("[{i}]")).unwrap_or((1, 1)))
            .collect();
        let mut problems = Diagnostics::default();
        let mut entries = Vec::new();
        let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
        for (i, patch) in list.into_iter().flatten().enumerate() {
            let at = starts[i];
            let next = starts.get(i + 1).map_or(lines.len() + 1, |s| s.0);
            let entry = Entry { lines: (at.0, last_content_line(&lines, at.0, next)), at, patch };
            if let Err(message) = entry.patch.well_formed() {
                problems.push(entry.error(file, i, message));
            } else if let Some(first) = seen.insert((entry.patch.file.clone(), entry.patch.path.clone()), at.0) {
                let message = format!("two overrides change `{}` at `{}`", entry.patch.file, entry.patch.path);
                problems.push(entry.error(file, i, message).hint(format!("the other one starts at line {first}")));
            }
            entries.push(entry);
        }
        if problems.has_errors() {
            return Err(problems);
        }
        Ok(Overrides { file: file.to_path_buf(), entries })
    }

    /// Applies every entry that still fits the release; skips each stale one
    /// with a warning.
    pub fn apply(&self, release: &mut Release) -> Applied {
        let mut out = Applied::default();
        for (i, entry) in self.entries.iter().enumerate() {
            let o = &entry.patch;
            let result = match release.document_mut(&o.file) {
                Some(document) => o.apply(&mut document.value),
                None => Err(format!("the release has no `{}`", o.file)),
            };
            match result {
                Ok(()) => {
                    out.applied += 1;
                    out.reasons.entry(o.file.clone()).or_default().push(o.reason.clone());
                }
                Err(why) => {
                    let (first, last) = entry.lines;
                    let message = format!(
                        "stale override of `{}` at `{}`, skipped: {why}; delete lines {first}–{last}",
                        o.file, o.path
                    );
                    out.stale.push(Diagnostic::warning(&self.file, message).at(Some(entry.at)).item(item(i)).hint(
                        "upstream changed or fixed this data: if it is right now, delete the entry; \
                         if it is still wrong, update the entry's `expect` to what upstream has",
                    ));
                }
            }
        }
        out
    }
}

impl Entry {
    fn error(&self, file: &Path, index: usize, message: String) -> Diagnostic {
        Diagnostic::error(file, message).at(Some(self.at)).item(item(index))
    }
}

fn item(index: usize) -> String {
    format!("overrides[{index}]")
}

/// The last line before `next` (the next entry's first line) that is neither
/// blank nor a comment: comments above an entry belong to it, not to the one before.
fn last_content_line(lines: &[&str], first: usize, next: usize) -> usize {
    let mut last = next.saturating_sub(1).min(lines.len());
    while last > first {
        let line = lines[last - 1].trim();
        if !(line.is_empty() || line.starts_with('#')) {
            break;
        }
        last -= 1;
    }
    last.max(first)
}

impl Override {
    /// Whether the entry can apply at all: what each `op` needs, and an
    /// `expect` that fits it.
    fn well_formed(&self) -> Result<(), String> {
        let name = format!("override of `{}` at `{}`", self.file, self.path);
        if self.file != API_INFO && !(self.file.starts_with("schemas/") && self.file.ends_with(".json")) {
            return Err(format!("{name}: `file` must be `{API_INFO}` or `schemas/<name>.json`"));
        }
        for (key, pointer) in [("path", Some(&self.path)), ("from", self.from.as_ref())] {
            if pointer.is_some_and(|p| !p.starts_with('/')) {
                return Err(format!("{name}: `{key}` is not a JSON pointer (`/a/b/0`)"));
            }
        }
        let e = &self.expect;
        if e == &Expect::default() {
            return Err(format!("{name}: `expect` says nothing; give `absent`, `equals`, `kind` or `keys`"));
        }
        if e.absent && (e.equals.is_some() || e.kind.is_some() || e.keys.is_some()) {
            return Err(format!("{name}: `expect.absent` cannot be combined with other expectations"));
        }
        let needs = |what: &str| Err(format!("{name}: `{}` needs {what}", self.op_name()));
        match self.op {
            Op::Add if !e.absent => needs("`expect: {absent: true}`: it adds where nothing is"),
            Op::Add | Op::Replace if self.value.is_none() => needs("a `value`"),
            Op::Replace if e.equals.is_none() => needs("`expect: {equals: ...}`: the value it replaces"),
            Op::Move if self.from.is_none() => needs("a `from`"),
            Op::Wrap if self.key.is_none() => needs("a `key`"),
            Op::Replace | Op::Move | Op::Wrap if e.absent => {
                Err(format!("{name}: only `add` expects nothing at its path"))
            }
            _ => Ok(()),
        }
    }

    fn op_name(&self) -> &'static str {
        match self.op {
            Op::Add => "add",
            Op::Replace => "replace",
            Op::Move => "move",
            Op::Wrap => "wrap",
        }
    }

    /// Checks the expectation, then edits; `Err` says why the entry is stale.
    fn apply(&self, document: &mut Value) -> Result<(), String> {
        let reads = match self.op {
            Op::Move => self.from.as_deref().unwrap_or_default(),
            _ => &self.path,
        };
        self.expect.check(document.pointer(reads)).map_err(|why| match self.op {
            Op::Move => format!("at `from` `{reads}`, {why}"),
            _ => why,
        })?;
        match self.op {
            Op::Add => {
                let cut = self.path.rfind('/').unwrap_or(0);
                let key = self.path[cut + 1..].replace("~1", "/").replace("~0", "~");
                match document.pointer_mut(&self.path[..cut]) {
                    Some(Value::Object(map)) => {
                        map.insert(key, self.value.clone().unwrap_or(Value::Null));
                        Ok(())
                    }
                    Some(other) => Err(format!("expected an object to add to, found {}", describe(Some(other)))),
                    None => Err("the place it adds to is gone".into()),
                }
            }
            Op::Replace => self.put(document, self.value.clone().unwrap_or(Value::Null)),
            Op::Move => {
                let from = self.from.as_deref().unwrap_or_default();
                let value = document.pointer(from).cloned().unwrap_or(Value::Null);
                self.put(document, value)
            }
            Op::Wrap => {
                let inner = document.pointer(&self.path).cloned().unwrap_or(Value::Null);
                let key = self.key.clone().unwrap_or_default();
                self.put(document, Value::Object(Map::from_iter([(key, inner)])))
            }
        }
    }

    fn put(&self, document: &mut Value, value: Value) -> Result<(), String> {
        *document.pointer_mut(&self.path).ok_or("nothing is there")? = value;
        Ok(())
    }
}

impl Expect {
    /// `Err` describes what was expected and what was found.
    fn check(&self, found: Option<&Value>) -> Result<(), String> {
        let mismatch = |expected: String| Err(format!("expected {expected}, found {}", describe(found)));
        if self.absent {
            return if found.is_none() { Ok(()) } else { mismatch("nothing".into()) };
        }
        let Some(value) = found else {
            return mismatch(self.describe());
        };
        if self.equals.as_ref().is_some_and(|equals| equals != value)
            || self.kind.is_some_and(|kind| kind != kind_of(value))
            || self.keys.as_ref().is_some_and(|keys| {
                let want: BTreeSet<&str> = keys.iter().map(String::as_str).collect();
                value.as_object().is_none_or(|map| map.keys().map(String::as_str).collect::<BTreeSet<_>>() != want)
            })
        {
            return mismatch(self.describe());
        }
        Ok(())
    }

    fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(value) = &self.equals {
            parts.push(describe(Some(value)));
        }
        if let Some(kind) = self.kind {
            parts.push(format!("{} {}", article(kind_name(kind)), kind_name(kind)));
        }
        if let Some(keys) = &self.keys {
            parts.push(format!("an object with exactly the keys {}", key_list(keys.iter())));
        }
        parts.join(" and ")
    }
}

fn kind_of(value: &Value) -> Kind {
    match value {
        Value::Object(_) => Kind::Object,
        Value::Array(_) => Kind::Array,
        Value::String(_) => Kind::String,
        Value::Number(_) => Kind::Number,
        Value::Bool(_) => Kind::Boolean,
        Value::Null => Kind::Null,
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Object => "object",
        Kind::Array => "array",
        Kind::String => "string",
        Kind::Number => "number",
        Kind::Boolean => "boolean",
        Kind::Null => "null",
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// A value, short enough for one line: scalars as JSON, collections by their shape.
fn describe(value: Option<&Value>) -> String {
    match value {
        None => "nothing".into(),
        Some(Value::Object(map)) => format!("an object with the keys {}", key_list(map.keys())),
        Some(Value::Array(items)) => {
            format!("an array of {} item{}", items.len(), if items.len() == 1 { "" } else { "s" })
        }
        Some(scalar) => {
            let text = scalar.to_string();
            if text.chars().count() > 60 {
                format!("{}…", text.chars().take(60).collect::<String>())
            } else {
                text
            }
        }
    }
}

fn key_list<'a>(keys: impl Iterator<Item = &'a String>) -> String {
    let keys: Vec<String> = keys.map(|k| format!("`{k}`")).collect();
    if keys.is_empty() {
        return "(none)".into();
    }
    if keys.len() > 8 {
        return format!("{}, … ({} in all)", keys[..8].join(", "), keys.len());
    }
    keys.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patch(yaml: &str) -> Override {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn each_op_checks_what_it_expects() {
        let mut doc = serde_json::json!({"a": {"b": "10", "c": {"d": 1}, "l": [1, 2]}});
        let replace = patch("{file: x, path: /a/b, expect: {equals: '10'}, op: replace, value: 10, reason: r}");
        replace.apply(&mut doc).unwrap();
        assert_eq!(doc["a"]["b"], 10);
        assert_eq!(replace.apply(&mut doc).unwrap_err(), "expected \"10\", found 10");

        let add = patch("{file: x, path: /a/e, expect: {absent: true}, op: add, value: s, reason: r}");
        add.apply(&mut doc).unwrap();
        assert_eq!(doc["a"]["e"], "s");
        assert_eq!(add.apply(&mut doc).unwrap_err(), "expected nothing, found \"s\"");
        let orphan = patch("{file: x, path: /z/e, expect: {absent: true}, op: add, value: s, reason: r}");
        assert_eq!(orphan.apply(&mut doc).unwrap_err(), "the place it adds to is gone");

        let lift = patch("{file: x, path: /a/c, expect: {keys: [e]}, op: move, from: /a/c/d, reason: r}");
        assert_eq!(
            lift.apply(&mut doc).unwrap_err(),
            "at `from` `/a/c/d`, expected an object with exactly the keys `e`, found 1"
        );
        let lift = patch("{file: x, path: /a/c, expect: {kind: number}, op: move, from: /a/c/d, reason: r}");
        lift.apply(&mut doc).unwrap();
        assert_eq!(doc["a"]["c"], 1);
        assert_eq!(lift.apply(&mut doc).unwrap_err(), "at `from` `/a/c/d`, expected a number, found nothing");

        let wrap = patch("{file: x, path: /a/l, expect: {kind: array}, op: wrap, key: anyOf, reason: r}");
        wrap.apply(&mut doc).unwrap();
        assert_eq!(doc["a"]["l"], serde_json::json!({"anyOf": [1, 2]}));
        assert_eq!(wrap.apply(&mut doc).unwrap_err(), "expected an array, found an object with the keys `anyOf`");
        let gone = patch("{file: x, path: /a/gone, expect: {kind: array}, op: wrap, key: anyOf, reason: r}");
        assert_eq!(gone.apply(&mut doc).unwrap_err(), "expected an array, found nothing");
    }

    #[test]
    fn an_expectation_must_fit_its_op() {
        let cases = [
            ("{file: x, path: /a, expect: {absent: true}, op: add, value: 1, reason: r}", "`file` must be"),
            (
                "{file: apiInfo.json, path: a, expect: {absent: true}, op: add, value: 1, reason: r}",
                "not a JSON pointer",
            ),
            ("{file: apiInfo.json, path: /a, expect: {}, op: add, value: 1, reason: r}", "`expect` says nothing"),
            (
                "{file: apiInfo.json, path: /a, expect: {kind: string}, op: add, value: 1, reason: r}",
                "`add` needs `expect: {absent: true}`",
            ),
            ("{file: apiInfo.json, path: /a, expect: {absent: true}, op: add, reason: r}", "`add` needs a `value`"),
            (
                "{file: apiInfo.json, path: /a, expect: {kind: string}, op: replace, value: 1, reason: r}",
                "`replace` needs `expect: {equals: ...}`",
            ),
            (
                "{file: apiInfo.json, path: /a, expect: {absent: true}, op: move, from: /b, reason: r}",
                "only `add` expects nothing",
            ),
            ("{file: apiInfo.json, path: /a, expect: {kind: array}, op: wrap, reason: r}", "`wrap` needs a `key`"),
            (
                "{file: apiInfo.json, path: /a, expect: {absent: true, kind: array}, op: add, value: 1, reason: r}",
                "cannot be combined",
            ),
        ];
        for (yaml, wanted) in cases {
            let error = patch(yaml).well_formed().unwrap_err();
            assert!(error.contains(wanted), "{yaml}: {error}");
        }
        let null = patch("{file: apiInfo.json, path: /a, expect: {equals: null}, op: replace, value: 1, reason: r}");
        assert_eq!(null.expect.equals, Some(Value::Null));
        null.well_formed().unwrap();
    }

    #[test]
    fn entries_know_their_lines() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(FILE);
        let text = "# header\n\n- file: apiInfo.json\n  path: /a\n  expect: {absent: true}\n  op: add\n  value: 1\n  reason: r\n\n# about the next one\n- file: apiInfo.json\n  path: /b\n  expect:\n    absent: true\n  op: add\n  value: 2\n  reason: >\n    two lines\n    of reason\n# trailing\n\n";
        fs::write(&file, text).unwrap();
        let read = Overrides::read(&file).unwrap();
        let spans: Vec<_> = read.entries.iter().map(|e| (e.at.0, e.lines)).collect();
        assert_eq!(spans, [(3, (3, 8)), (11, (11, 19))]);

        fs::write(&file, format!("{text}- file: apiInfo.json\n  path: /a\n  expect: {{equals: 1}}\n  op: replace\n  value: 2\n  reason: r\n")).unwrap();
        let twice = Overrides::read(&file).unwrap_err().to_string();
        assert!(
            twice.contains(":22:3: error: two overrides change `apiInfo.json` at `/a` (at overrides[2])"),
            "{twice}"
        );
        assert!(twice.contains("the other one starts at line 3"), "{twice}");

        fs::write(&file, "- file: apiInfo.json\n  path: /a\n  op: add\n  value: 1\n  reason: r\n").unwrap();
        let missing = Overrides::read(&file).unwrap_err().to_string();
        assert!(missing.contains(":1:3: error: .[0]: missing field `expect`"), "{missing}");
    }
}
