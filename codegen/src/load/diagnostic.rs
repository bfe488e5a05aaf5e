//! Problems found in a spec, each pinned to a file, a line and an item.

use std::fmt;
use std::path::PathBuf;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A fact about the spec that needs no action (an upstream schema no
    /// action uses, a deprecated param, an action upstream gave no summary):
    /// listed by `check`, never a failure, not even with `--deny-warnings`.
    Note,
    /// Worth fixing; generation still succeeds.
    Warning,
    /// Generation cannot go on.
    Error,
}

/// Where the spec declares an item, kept in the model so a check made after
/// loading (against the Rust types) can still name its file, line and item.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Site {
    /// The file.
    pub file: PathBuf,
    /// 1-based line and column, when known.
    pub position: Option<(usize, usize)>,
    /// The item, e.g. `resources.device.actions.get.params.tagsAsObject`.
    pub item: String,
}

impl Site {
    /// An error about the item here.
    pub fn error(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(&self.file, message).at(self.position).item(&self.item)
    }
}

/// One problem in a spec: where it is, what it is, and how to fix it when we know.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// How bad it is.
    pub severity: Severity,
    /// The file at fault, as given to the loader.
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// The item at fault, e.g. `resources.org.actions.get.params.orgId`.
    pub item: Option<String>,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when there is an obvious way.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error in `file` with no position yet.
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            file: file.into(),
            line: None,
            column: None,
            item: None,
            message: message.into(),
            hint: None,
        }
    }

    /// A warning in `file` with no position yet.
    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, ..Self::error(file, message) }
    }

    /// A note in `file` with no position yet: see [`Severity::Note`].
    pub fn note(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self { severity: Severity::Note, ..Self::error(file, message) }
    }

    /// Pins the diagnostic to a 1-based line and column.
    pub fn at(mut self, position: Option<(usize, usize)>) -> Self {
        if let Some((line, column)) = position {
            self.line = Some(line);
            self.column = Some(column);
        }
        self
    }

    /// Names the spec item at fault.
    pub fn item(mut self, item: impl Into<String>) -> Self {
        self.item = Some(item.into());
        self
    }

    /// Adds a hint on how to fix it.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line:col: error: message (at item)` then an indented hint line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        let severity = match self.severity {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, ": {severity}: {}", self.message)?;
        if let Some(item) = &self.item {
            write!(f, " (at {item})")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Every problem found in one pass, in file order, so a user fixes them all at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Records a problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// True when any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    /// How many diagnostics have this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.0.iter().filter(|d| d.severity == severity).count()
    }

    /// The same without the notes: what needs attention.
    pub fn without_notes(&self) -> Diagnostics {
        Diagnostics(self.0.iter().filter(|d| d.severity != Severity::Note).cloned().collect())
    }

    /// The problems, sorted by file and line for stable output.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.0.sort_by(|a, b| (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message)));
        self.0
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in self.clone().sorted() {
            writeln!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}
