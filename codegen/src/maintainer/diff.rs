//! `codegen diff`: what changed between two specs, judged by what a Rust
//! caller of the generated client sees.
//!
//! Both specs are turned into their [`Surface`] (the accessors, handle
//! methods and their arguments, builders and their setters, what `send()`
//! returns, every type with its fields, constructor, variants and traits)
//! and the surfaces are compared. Each change is classified by its effect on
//! code written against the old client:
//!
//! - *breaking*: code that compiled may not (an argument added, a field's
//!   type changed, a type renamed, a variant added to an exhaustive enum, ...);
//! - *compatible*: something new, or a behaviour that follows the API, that
//!   breaks no code (a setter or a field of a `#[non_exhaustive]` struct
//!   added, a variant of a `#[non_exhaustive]` enum added, a request sent to
//!   an action's new path or method);
//! - *docs*: the Rust API is unchanged; only its documentation (scopes,
//!   descriptions, error responses) or a spec fact with no Rust effect
//!   changed (a field allowed to be `null` whose type already is `Nullable`).
//!
//! Each line says what the caller sees and, where the spec explains it, the
//! spec-level fact (`property `role` of `orgMemberPatch` now required`).
//! Every breaking line also says its [`Cause`]: an upstream change (the
//! fact), a maintainer's edit of `spec/names.yaml` (the edit), or the
//! generator, when the upstream schema or param at the places involved did
//! not change in a way that explains it (a type renamed while its places
//! remain, a field's type swapped while its schema is unchanged, a derive or
//! a feature lost to a compatible change, an enum split by a value added at
//! one place). A generator-caused break is a bug: the report says so, counts
//! it, and `codegen diff` exits 3.
//! [`Report`] turns the worst impact into the version bump Cargo's rules ask
//! for the crate's current version (see [`crate::maintainer::diff::bump`]).

mod actions;
pub mod bump;
mod cause;
mod facts;
mod types;

pub use cause::read_names;

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::Serialize;

use crate::maintainer::diff::bump::{Bump, Version};
use crate::maintainer::surface::Surface;
use crate::Diagnostics;

/// What a change does to callers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Impact {
    /// Code that compiled against the old client may not compile.
    Breaking,
    /// Adds something, or follows a change of the API, without breaking code.
    Compatible,
    /// The Rust API is unchanged: documentation or spec facts only.
    Docs,
}

/// Why a change happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Cause {
    /// An upstream change of the API; [`Change::spec`] says which.
    Upstream,
    /// A maintainer's edit of `spec/names.yaml` (a rename); [`Change::spec`] says which.
    Table,
    /// Neither: the generator changed the surface on its own, a bug to
    /// report; [`Change::spec`] says why no upstream change explains it.
    Generator,
}

/// One change between two specs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What it does to callers.
    pub impact: Impact,
    /// The resource it is in (`org`), or `types`, `params` or `client`.
    pub group: String,
    /// The item: an action (`org.get`), one of its params (`org.get.params.summaryInclude`),
    /// a type (`types::OrgPatch`) or a field (`types::OrgPatch.mfa_mode`).
    pub item: String,
    /// What a caller sees, in Rust terms.
    pub what: String,
    /// The fact behind it: the upstream change, the names.yaml edit, or why
    /// neither explains it (see [`Change::cause`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spec: Option<String>,
    /// What caused it: always set on breaking changes; on others where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
}

/// Every change, and the crate version the bump is computed for.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// The changes, grouped, most severe group first; most severe first within a group.
    pub changes: Vec<Change>,
    /// The crate's current version, when known.
    pub version: Option<Version>,
}

/// Collects changes as the comparisons find them.
#[derive(Default)]
struct Changes(Vec<Change>);

impl Changes {
    fn push(&mut self, impact: Impact, group: &str, item: impl Into<String>, what: impl Into<String>) -> &mut Change {
        let at = self.0.len();
        self.0.push(Change {
            impact,
            group: group.to_string(),
            item: item.into(),
            what: what.into(),
            spec: None,
            cause: None,
        });
        &mut self.0[at]
    }
}

impl Change {
    /// Sets the upstream fact behind the change.
    fn because(&mut self, spec: impl Into<String>) {
        self.caused(Cause::Upstream, spec);
    }

    /// Sets the cause and its fact.
    fn caused(&mut self, cause: Cause, spec: impl Into<String>) {
        self.spec = Some(spec.into());
        self.cause = Some(cause);
    }

    /// The change is the generator's own: `why` no upstream change explains it.
    fn by_generator(&mut self, why: impl Into<String>) {
        self.caused(Cause::Generator, why);
    }

    /// Sets the upstream fact when there is one, else says why the generator caused it.
    fn upstream_or_generator(&mut self, fact: Result<String, String>) {
        match fact {
            Ok(fact) => self.because(fact),
            Err(why) => self.by_generator(why),
        }
    }
}

impl Report {
    /// The report with the crate's current version, which the bump is computed for.
    pub fn with_version(mut self, version: Version) -> Report {
        self.version = Some(version);
        self
    }

    /// The most severe impact, if anything changed.
    pub fn worst(&self) -> Option<Impact> {
        self.changes.iter().map(|c| c.impact).min()
    }

    /// The bump the release needs, in Cargo's terms for the crate's version;
    /// `None` when the version is not known.
    pub fn bump(&self) -> Option<Bump> {
        self.version.map(|v| v.needed(self.worst()))
    }

    /// The version the release should have, when the current one is known.
    pub fn next_version(&self) -> Option<Version> {
        self.version.map(|v| v.bumped(v.needed(self.worst())))
    }

    /// The exit code of `codegen diff`: 0 no change, 1 compatible (or docs)
    /// changes, 2 breaking changes, 3 changes caused by the generator (a bug,
    /// whatever else changed: the release is not to be shipped as it is).
    pub fn exit_code(&self) -> u8 {
        if self.by_generator() > 0 {
            return 3;
        }
        match self.worst() {
            None => 0,
            Some(Impact::Breaking) => 2,
            Some(_) => 1,
        }
    }

    /// How many changes the generator caused (each a bug).
    pub fn by_generator(&self) -> usize {
        self.changes.iter().filter(|c| c.cause == Some(Cause::Generator)).count()
    }

    /// How many changes have this impact.
    pub fn count(&self, impact: Impact) -> usize {
        self.changes.iter().filter(|c| c.impact == impact).count()
    }

    /// The last line of the text report: the counts and the bump.
    pub fn summary(&self) -> String {
        let bugs = match self.by_generator() {
            0 => String::new(),
            n => format!(" ({n} caused by the generator, not the API: a bug, report it)"),
        };
        let counts = format!(
            "{} breaking{bugs}, {} compatible, {} docs",
            self.count(Impact::Breaking),
            self.count(Impact::Compatible),
            self.count(Impact::Docs)
        );
        let worst = self.worst();
        match self.version {
            Some(version) => {
                let bump = version.needed(worst);
                let next = version.bumped(bump);
                match bump {
                    Bump::None => format!("{counts}: the release needs no version bump ({version})"),
                    _ => format!(
                        "{counts}: the release needs a {bump} version bump: {version} -> {next} ({})",
                        version.reason(worst)
                    ),
                }
            }
            None => {
                let kind = match worst {
                    None => return format!("{counts}: the release needs no version bump"),
                    Some(Impact::Breaking) => "breaking",
                    Some(Impact::Compatible) => "compatible",
                    Some(Impact::Docs) => "docs-only",
                };
                format!("{counts}: a {kind} release (give --crate-version for the version it needs)")
            }
        }
    }

    /// The report for tools: version, bump, next version, counts and changes.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "version": self.version,
            "bump": self.bump(),
            "next_version": self.next_version(),
            "reason": self.version.map(|v| v.reason(self.worst())),
            "worst": self.worst(),
            "counts": {
                "breaking": self.count(Impact::Breaking),
                "compatible": self.count(Impact::Compatible),
                "docs": self.count(Impact::Docs),
                "by_generator": self.by_generator(),
            },
            "changes": self.changes,
        })
    }
}

impl fmt::Display for Report {
    /// Grouped by resource (or `types`, `params`, `client`), the groups with
    /// the most severe changes first, most severe first within each.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.changes.is_empty() {
            writeln!(f, "no changes")?;
            return writeln!(f, "\n{}", self.summary());
        }
        let mut group: Option<&str> = None;
        for change in &self.changes {
            if group != Some(change.group.as_str()) {
                writeln!(f, "{}", change.group)?;
                group = Some(&change.group);
            }
            let impact = match change.impact {
                Impact::Breaking => "breaking  ",
                Impact::Compatible => "compatible",
                Impact::Docs => "docs      ",
            };
            write!(f, "  {impact}  {}: {}", change.item, change.what)?;
            match (&change.spec, change.cause) {
                (Some(spec), Some(Cause::Generator)) => {
                    writeln!(f, " (generator: {spec}; this is a bug, report it)")?;
                }
                (Some(spec), Some(Cause::Table)) => writeln!(f, " (names.yaml: {spec})")?,
                (Some(spec), _) => writeln!(f, " (spec: {spec})")?,
                (None, _) => writeln!(f)?,
            }
        }
        writeln!(f, "\n{}", self.summary())
    }
}

/// Compares the surfaces of two specs.
pub fn diff(old: &Surface, new: &Surface) -> Report {
    let mut changes = Changes::default();
    let mut fates = types::Fates::new(old, new);
    types::fates(&old.types, &new.types, &mut fates);
    types::fates(&old.params, &new.params, &mut fates);
    actions::client(old, new, &mut changes);
    actions::resources(old, new, &fates, &mut changes);
    types::module("types", &old.types, &new.types, &fates, &mut changes);
    types::module("params", &old.params, &new.params, &fates, &mut changes);
    facts::unchanged_nullability(old, new, &mut changes);
    let mut changes = changes.0;
    // A break nothing upstream explains is the generator's.
    for change in changes.iter_mut().filter(|c| c.impact == Impact::Breaking) {
        match (&change.spec, change.cause) {
            (Some(spec), Some(_)) if !spec.is_empty() => {}
            _ => change.by_generator("no upstream change explains it"),
        }
    }
    changes.sort_by(|a, b| (&a.group, a.impact, &a.item, &a.what).cmp(&(&b.group, b.impact, &b.item, &b.what)));
    changes.dedup();
    // Groups with the most severe changes first, then by name.
    let worst: BTreeMap<String, Impact> = changes.iter().fold(BTreeMap::new(), |mut worst, c| {
        let entry = worst.entry(c.group.clone()).or_insert(c.impact);
        *entry = (*entry).min(c.impact);
        worst
    });
    changes.sort_by(|a, b| (worst[&a.group], &a.group).cmp(&(worst[&b.group], &b.group)));
    Report { changes, version: None }
}

/// Checks both spec directories as generation does and compares their surfaces.
///
/// # Errors
///
/// Every problem of either spec.
pub fn diff_specs(old: &Path, new: &Path) -> Result<Report, Diagnostics> {
    let surface = |dir: &Path| -> Result<Surface, Diagnostics> {
        let (api, space, _) = crate::check_types(dir)?;
        let mut surface = Surface::of(&api, &space);
        surface.names = read_names(dir);
        Ok(surface)
    };
    let (old, new) = match (surface(old), surface(new)) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(mut a), Err(b)) => {
            a.0.extend(b.0);
            return Err(a);
        }
        (Err(problems), _) | (_, Err(problems)) => return Err(problems),
    };
    Ok(diff(&old, &new))
}

/// `a, b and 3 more`: at most `shown` items of a list.
fn some_of(items: &[String], shown: usize) -> String {
    let mut text = items.iter().take(shown).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > shown {
        text.push_str(&format!(" and {} more", items.len() - shown));
    }
    text
}

/// `(a, b)` of names.
fn tuple<'a>(names: impl IntoIterator<Item = &'a String>) -> String {
    format!("({})", names.into_iter().map(String::as_str).collect::<Vec<_>>().join(", "))
}
