//! The `types` and `params` modules: types added, removed, renamed or
//! replaced by another (deduplication), and within a type its fields,
//! constructor, setters, variants, traits and features.

use std::collections::{BTreeMap, BTreeSet};

use super::cause::{at_places, table_edit};
use super::{some_of, tuple, Cause, Change, Changes, Impact};
use crate::maintainer::surface::{FieldSurface, Presence, Shape, StructSurface, Surface, TypeSurface};

/// What became of the types whose names are gone, and which types are new:
/// the facts behind the lines of the fields, arguments and outputs that
/// name them; and both surfaces, for the causes of the changes.
#[derive(Debug)]
pub(super) struct Fates<'a> {
    /// Old name → the fact, in words (`` `OrgMember` is renamed `OrgPerson` ``), and its cause.
    gone: BTreeMap<String, (String, Cause)>,
    /// Names that are new, renames left out.
    added: BTreeSet<String>,
    pub(super) old: &'a Surface,
    pub(super) new: &'a Surface,
}

impl<'a> Fates<'a> {
    pub(super) fn new(old: &'a Surface, new: &'a Surface) -> Fates<'a> {
        Fates { gone: BTreeMap::new(), added: BTreeSet::new(), old, new }
    }

    /// The upstream fact behind a break of a type at `places` (with `suffix`), or why there is none.
    pub(super) fn at<'p>(&self, places: impl IntoIterator<Item = &'p String>, suffix: &str) -> Result<String, String> {
        at_places(self.old, self.new, places, suffix)
    }
}

/// The fact behind a type that changed because of the types it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Explained {
    /// A type it names was renamed, or its places went to others: the fact and its cause.
    Fate(String, Cause),
    /// It names a new type where the old one still exists: its place's
    /// schema no longer matched the old type's. The cause is in that
    /// place's schema, if anywhere.
    Swapped(String),
}

impl Change {
    /// Sets the cause of a change explained by the types it names;
    /// `place`: the upstream fact at the place, for a swap.
    pub(super) fn explained(&mut self, explained: Explained, place: impl FnOnce() -> Result<String, String>) {
        match explained {
            Explained::Fate(fact, cause) => self.caused(cause, fact),
            Explained::Swapped(fact) => match place() {
                Ok(upstream) => self.because(format!("{fact}: {upstream}")),
                Err(why) => self.by_generator(format!("{fact}, but {why}")),
            },
        }
    }
}

/// Where each type whose name is gone went: the types that serve its places now.
fn successors<'a>(
    old: &'a BTreeMap<String, TypeSurface>,
    new: &'a BTreeMap<String, TypeSurface>,
) -> Vec<(&'a TypeSurface, BTreeMap<&'a str, Vec<String>>)> {
    let places: BTreeMap<&str, &str> =
        new.values().flat_map(|t| t.places.iter().map(move |p| (p.as_str(), t.name.as_str()))).collect();
    old.iter()
        .filter(|(name, _)| !new.contains_key(*name))
        .map(|(_, was)| {
            let mut now: BTreeMap<&str, Vec<String>> = BTreeMap::new();
            for place in &was.places {
                if let Some(other) = places.get(place.as_str()) {
                    now.entry(*other).or_default().push(format!("`{place}`"));
                }
            }
            (was, now)
        })
        .collect()
}

/// Records in `fates` what became of each type of a module whose name is
/// gone, and which names are new.
pub(super) fn fates(old: &BTreeMap<String, TypeSurface>, new: &BTreeMap<String, TypeSurface>, fates: &mut Fates) {
    let mut renamed = BTreeSet::new();
    for (was, now) in successors(old, new) {
        let fate = match now.iter().collect::<Vec<_>>().as_slice() {
            [] => (format!("`{}` is removed", was.name), Cause::Upstream),
            [(other, at)] if !old.contains_key(**other) => {
                renamed.insert(other.to_string());
                let fact = format!("`{}` is renamed `{other}`", was.name);
                match rename_cause(fates, &was.name, other, at) {
                    (Cause::Table, edit) => (format!("{fact}: {edit}"), Cause::Table),
                    (cause, why) => (format!("{fact}, while {why}"), cause),
                }
            }
            serving => {
                let by: Vec<String> =
                    serving.iter().map(|(other, at)| format!("{} by `{other}`", at.join(", "))).collect();
                let fact = format!("the places of `{}` are served by other types now: {}", was.name, by.join("; "));
                match served_cause(fates, was, serving) {
                    (Cause::Upstream, upstream) => (format!("{fact}: {upstream}"), Cause::Upstream),
                    (cause, why) => (format!("{fact}; {why}"), cause),
                }
            }
        };
        fates.gone.insert(was.name.clone(), fate);
    }
    fates.added.extend(new.keys().filter(|name| !old.contains_key(*name) && !renamed.contains(*name)).cloned());
}

/// The facts behind a type that changed from `old` to `new` because of the
/// types it names: gone ones (renamed, or deduplicated into others), or one
/// that still exists but whose shape this place no longer has (it got a
/// new type: a field of a shared enum that allows one more value here).
pub(super) fn explain(old: &str, new: &str, fates: &Fates) -> Option<Explained> {
    let names = |ty: &str| -> BTreeSet<String> {
        ty.split(|c: char| !c.is_ascii_alphanumeric() && c != '_').filter(|w| !w.is_empty()).map(String::from).collect()
    };
    let (before, after) = (names(old), names(new));
    let gone: Vec<&(String, Cause)> = before.difference(&after).filter_map(|name| fates.gone.get(name)).collect();
    if !gone.is_empty() {
        let facts: Vec<String> = gone.iter().map(|(fact, _)| fact.clone()).collect();
        // The worst cause of those types' fates: a generator's fate makes this one the generator's too.
        let cause = gone.iter().map(|(_, cause)| *cause).max().unwrap_or(Cause::Upstream);
        return Some(Explained::Fate(facts.join("; "), cause));
    }
    let left: Vec<&String> = before.difference(&after).filter(|name| !fates.gone.contains_key(*name)).collect();
    let new_types: Vec<&String> = after.difference(&before).filter(|name| fates.added.contains(*name)).collect();
    match (left.as_slice(), new_types.as_slice()) {
        ([left], [new_type]) => Some(Explained::Swapped(format!(
            "its schema no longer matches `{left}`'s, so it gets the new type `{new_type}`"
        ))),
        _ => None,
    }
}

/// A rename is a maintainer's (an edited line of names.yaml) or the generator's:
/// names are kept while their places exist.
fn rename_cause(fates: &Fates, from: &str, to: &str, at: &[String]) -> (Cause, String) {
    match table_edit(fates.old, fates.new, from, to) {
        Some(edit) => (Cause::Table, edit),
        None => (
            Cause::Generator,
            format!("its places {} are in both releases and names.yaml does not rename it", some_of(at, 3)),
        ),
    }
}

/// Places served by other types now: a names.yaml edit gave them another
/// name, or their schemas changed, or the generator moved them.
fn served_cause(fates: &Fates, was: &TypeSurface, serving: &[(&&str, &Vec<String>)]) -> (Cause, String) {
    for (other, _) in serving {
        if let Some(edit) = table_edit(fates.old, fates.new, &was.name, other) {
            return (Cause::Table, edit);
        }
    }
    match fates.at(&was.places, "") {
        Ok(fact) => (Cause::Upstream, fact),
        Err(why) => (Cause::Generator, format!("{why}, and a place keeps its type while it exists")),
    }
}

/// Compares one module's types, matched by name; a type whose name is gone
/// is matched by its places to the type that serves them now.
pub(super) fn module(
    group: &str,
    old: &BTreeMap<String, TypeSurface>,
    new: &BTreeMap<String, TypeSurface>,
    fates: &Fates,
    out: &mut Changes,
) {
    let item = |name: &str| format!("{group}::{name}");
    let mut renamed: BTreeSet<&str> = BTreeSet::new();
    for (was, now) in successors(old, new) {
        let name = &was.name;
        match now.iter().collect::<Vec<_>>().as_slice() {
            [] => {
                let spec = match &was.schema {
                    Some(schema) => format!("schema `{schema}` removed"),
                    None => format!("its places are gone: {}", some_of(&quoted(&was.places), 3)),
                };
                out.push(Impact::Breaking, group, item(name), format!("{} removed", kind(&was.shape))).because(spec);
            }
            [(other, at)] if !old.contains_key(**other) => {
                renamed.insert(other);
                let (cause, why) = rename_cause(fates, name, other, at);
                let fact = match cause {
                    Cause::Table => why,
                    _ => format!("the type at {} is named `{other}` now, while {why}", some_of(at, 3)),
                };
                out.push(Impact::Breaking, group, item(name), format!("renamed to `{other}`")).caused(cause, fact);
                compare(group, &item(other), was, &new[**other], fates, out);
            }
            serving => {
                let others: Vec<String> = serving.iter().map(|(other, _)| format!("`{other}`")).collect();
                let verb = if others.len() == 1 { "serves" } else { "serve" };
                out.push(
                    Impact::Breaking,
                    group,
                    item(name),
                    format!("{} removed: {} {verb} its places now", kind(&was.shape), others.join(" and ")),
                )
                .caused(
                    fates.gone.get(name).map_or(Cause::Generator, |(_, cause)| *cause),
                    fates.gone.get(name).map(|(fact, _)| fact.clone()).unwrap_or_default(),
                );
            }
        }
    }
    for (name, now) in new.iter().filter(|(name, _)| !old.contains_key(*name) && !renamed.contains(name.as_str())) {
        let from = match &now.schema {
            Some(schema) => format!("schema `{schema}`"),
            None => format!("at {}", some_of(&quoted(&now.places), 2)),
        };
        out.push(Impact::Compatible, group, item(name), format!("{} added ({from})", kind(&now.shape)));
    }
    for (name, was) in old {
        if let Some(now) = new.get(name) {
            compare(group, &item(name), was, now, fates, out);
        }
    }
}

/// `doc changed: "org" -> "Organization"` when both are short, else `doc changed`.
fn doc_change(was: &Option<String>, now: &Option<String>) -> String {
    const SHORT: usize = 60;
    let show = |doc: &Option<String>| match doc {
        None => Some("none".to_string()),
        Some(text) if text.chars().count() <= SHORT && !text.contains('\n') => Some(format!("\"{text}\"")),
        Some(_) => None,
    };
    match (show(was), show(now)) {
        (Some(a), Some(b)) => format!("doc changed: {a} -> {b}"),
        _ => "doc changed".to_string(),
    }
}

fn quoted(places: &[String]) -> Vec<String> {
    places.iter().map(|p| format!("`{p}`")).collect()
}

/// `struct`, `string enum`, ...
fn kind(shape: &Shape) -> &'static str {
    match shape {
        Shape::Struct(_) => "struct",
        Shape::StringEnum { .. } => "string enum",
        Shape::Union { non_exhaustive: true, .. } => "union",
        Shape::Union { non_exhaustive: false, .. } => "scalar enum",
        Shape::Alias { .. } => "type alias",
    }
}

/// One type on both sides (the same name, or the old name and the new).
fn compare(group: &str, item: &str, a: &TypeSurface, b: &TypeSurface, fates: &Fates, out: &mut Changes) {
    features(group, item, a, b, fates, out);
    if a.doc != b.doc {
        out.push(Impact::Docs, group, item, doc_change(&a.doc, &b.doc));
    }
    let name = item.rsplit("::").next().unwrap_or(item);
    let place = b.schema.clone().unwrap_or_else(|| crate::typegen::anchor(&b.places).to_string());
    // Every place the type served on either side: where the cause of a break is looked for.
    let places: Vec<String> = a.places.iter().chain(&b.places).cloned().collect::<BTreeSet<_>>().into_iter().collect();
    let upstream = |suffix: &str| fates.at(&places, suffix);
    match (&a.shape, &b.shape) {
        (Shape::Struct(x), Shape::Struct(y)) => {
            structs(&Site { group, item, name, place: &place, places: &places }, x, y, fates, out);
        }
        (Shape::StringEnum { variants: x }, Shape::StringEnum { variants: y }) => {
            string_enums(group, item, x, y, &upstream, out);
        }
        (
            Shape::Union { variants: x, non_exhaustive: was_open, traits: was_traits },
            Shape::Union { variants: y, non_exhaustive: open, traits: now_traits },
        ) => {
            if was_open != open {
                let what = if *open { "now `#[non_exhaustive]`" } else { "no longer `#[non_exhaustive]`" };
                out.push(Impact::Breaking, group, item, format!("{what} (a `match` on it changes)"))
                    .upstream_or_generator(upstream(""));
            }
            for (variant, held) in y {
                match x.get(variant) {
                    None if *open => {
                        out.push(
                            Impact::Compatible,
                            group,
                            item,
                            format!("variant `{variant}({held})` added (`#[non_exhaustive]`)"),
                        )
                        .because("a branch added to the union");
                    }
                    None => {
                        out.push(
                            Impact::Breaking,
                            group,
                            item,
                            format!("variant `{variant}({held})` added (an exhaustive enum: a `match` must name it)"),
                        )
                        .upstream_or_generator(
                            upstream("").map(|fact| format!("a kind of value added to the union: {fact}")),
                        );
                    }
                    Some(was) if was != held => {
                        let change = out.push(
                            Impact::Breaking,
                            group,
                            item,
                            format!("variant `{variant}` now holds `{held}` (was `{was}`)"),
                        );
                        match explain(was, held, fates) {
                            Some(explained) => change.explained(explained, || upstream("")),
                            None => change.upstream_or_generator(upstream("")),
                        }
                    }
                    Some(_) => {}
                }
            }
            for variant in x.keys().filter(|v| !y.contains_key(*v)) {
                out.push(Impact::Breaking, group, item, format!("variant `{variant}` removed"))
                    .upstream_or_generator(upstream("").map(|fact| format!("a branch removed from the union: {fact}")));
            }
            traits(group, item, was_traits, now_traits, &upstream, out);
        }
        (Shape::Alias { target: x }, Shape::Alias { target: y }) if x != y => {
            let change = out.push(Impact::Breaking, group, item, format!("now an alias of `{y}` (was `{x}`)"));
            match explain(x, y, fates) {
                Some(explained) => change.explained(explained, || upstream("")),
                None => change.upstream_or_generator(upstream("")),
            }
        }
        (Shape::Alias { .. }, Shape::Alias { .. }) => {}
        (x, y) => {
            out.push(Impact::Breaking, group, item, format!("now a {} (was a {})", kind(y), kind(x)))
                .upstream_or_generator(upstream(""));
        }
    }
}

/// The cargo features that compile a type: one that no longer does breaks
/// crates that enable only it.
fn features(group: &str, item: &str, a: &TypeSurface, b: &TypeSurface, fates: &Fates, out: &mut Changes) {
    let list = |set: &BTreeSet<String>| set.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ");
    // A feature is a resource's module: one that is gone takes its types with it.
    let gone: BTreeSet<String> = fates
        .old
        .resources
        .values()
        .map(|r| r.module.clone())
        .filter(|m| !fates.new.resources.values().any(|r| &r.module == m))
        .collect();
    let cause = |lost: &BTreeSet<String>, change: &mut Change| {
        let removed: Vec<&String> = lost.iter().filter(|f| gone.contains(*f)).collect();
        if removed.len() == lost.len() {
            change.because(format!("resource feature(s) {} removed", list(lost)));
        } else {
            change.by_generator(format!(
                "`{}` still exists; a type keeps every feature it was compiled with while its places exist, \
                 though the actions of a resource stopped using it",
                a.name
            ));
        }
    };
    match (&a.features, &b.features) {
        (None, Some(now)) => {
            let all: BTreeSet<String> = fates.old.resources.values().map(|r| r.module.clone()).collect();
            let lost: BTreeSet<String> = all.difference(now).cloned().collect();
            let change = out.push(
                Impact::Breaking,
                group,
                item,
                format!("compiled only with one of the features {} now (was always)", list(now)),
            );
            cause(&lost, change);
        }
        (Some(was), Some(now)) => {
            let lost: BTreeSet<String> = was.difference(now).cloned().collect();
            if !lost.is_empty() {
                let change = out.push(
                    Impact::Breaking,
                    group,
                    item,
                    format!("no longer compiled with the feature {} (it needs one of {} now)", list(&lost), list(now)),
                );
                cause(&lost, change);
            }
        }
        // Compiled with more features than before: nothing breaks.
        (_, None) => {}
    }
}

fn string_enums(
    group: &str,
    item: &str,
    x: &[(String, String)],
    y: &[(String, String)],
    upstream: &dyn Fn(&str) -> Result<String, String>,
    out: &mut Changes,
) {
    let by_wire = |list: &[(String, String)]| -> BTreeMap<String, String> {
        list.iter().map(|(rust, wire)| (wire.clone(), rust.clone())).collect()
    };
    let (before, after) = (by_wire(x), by_wire(y));
    for (wire, rust) in &after {
        match before.get(wire) {
            None => {
                out.push(
                    Impact::Compatible,
                    group,
                    item,
                    format!("variant `{rust}` added (`#[non_exhaustive]`; it decoded as `Unknown(\"{wire}\")` before)"),
                )
                .because(format!("enum value `{wire}` added"));
            }
            Some(was) if was != rust => {
                out.push(
                    Impact::Breaking,
                    group,
                    item,
                    format!("the variant of `{wire}` is now `{rust}` (was `{was}`)"),
                )
                .by_generator(format!("the value `{wire}` is the same; only its Rust name changed"));
            }
            Some(_) => {}
        }
    }
    for (wire, rust) in &before {
        if !after.contains_key(wire) {
            out.push(Impact::Breaking, group, item, format!("variant `{rust}` removed")).upstream_or_generator(
                upstream("").map(|fact| format!("enum value `{wire}` removed: {fact}")).map_err(|why| {
                    format!("value `{wire}` is gone from the type, but {why}: the places of one enum keep the union of their values")
                }),
            );
        }
    }
}

/// A struct's name, where its changes are reported and the schema place its facts cite.
struct Site<'a> {
    group: &'a str,
    item: &'a str,
    name: &'a str,
    place: &'a str,
    /// Every place the struct serves on either side.
    places: &'a [String],
}

fn structs(site: &Site<'_>, x: &StructSurface, y: &StructSurface, fates: &Fates, out: &mut Changes) {
    let Site { group, item, name, place, places } = *site;
    let upstream = |suffix: &str| fates.at(places, suffix);
    let field_upstream = |wire: &str| upstream(&format!(".{wire}"));
    if x.non_exhaustive != y.non_exhaustive {
        let what = if y.non_exhaustive { "now `#[non_exhaustive]`" } else { "no longer `#[non_exhaustive]`" };
        out.push(Impact::Breaking, group, item, what)
            .by_generator("whether a struct is `#[non_exhaustive]` is the generator's choice");
    }
    let field_item = |f: &FieldSurface| format!("{item}.{}", f.rust);
    for f in &y.fields {
        let Some(was) = x.fields.iter().find(|g| g.rust == f.rust) else {
            added(group, &field_item(f), name, place, y.non_exhaustive, f, out);
            continue;
        };
        if was.ty != f.ty || was.presence != f.presence {
            let mut what = format!("field `{}` is now `{}` (was `{}`)", f.rust, f.ty, was.ty);
            what.push_str(&consequences(name, was, f));
            let change = out.push(Impact::Breaking, group, field_item(f), what);
            let at_field = || field_upstream(&f.wire);
            if let Some(fact) = presence_fact(&f.wire, place, was.presence, f.presence) {
                // The presence follows the schema at the struct's places: check that one of them says so.
                // (requiredness is the parent's, so the struct's places are checked whole).
                match upstream("") {
                    Ok(_) => change.because(fact),
                    Err(why) => change.by_generator(format!("it reads as: {fact}, but {why}")),
                }
            } else if let Some(explained) = explain(&was.ty, &f.ty, fates) {
                change.explained(explained, at_field);
            } else {
                change.upstream_or_generator(at_field());
            }
        } else if was.setter != f.setter {
            if let Some(setter) = &f.setter {
                out.push(
                    Impact::Breaking,
                    group,
                    field_item(f),
                    format!("setter `{}` now takes `{}`", setter.name, setter.ty),
                )
                .upstream_or_generator(field_upstream(&f.wire));
            }
        }
        if was.doc != f.doc {
            out.push(Impact::Docs, group, field_item(f), doc_change(&was.doc, &f.doc));
        }
    }
    for was in &x.fields {
        if !y.fields.iter().any(|f| f.rust == was.rust) {
            let mut what = format!("field `{}` removed", was.rust);
            match (&was.presence, &was.setter) {
                (Presence::Required, _) => what.push_str(&format!("; `{name}::new` loses argument `{}`", was.rust)),
                (_, Some(setter)) => what.push_str(&format!("; setter `{}` removed", setter.name)),
                _ => {}
            }
            let change = out.push(Impact::Breaking, group, field_item(was), what);
            if was.wire.is_empty() {
                change.upstream_or_generator(upstream(""));
            } else {
                // Gone from the struct: upstream removed it at one of its places, or the generator dropped it.
                change.upstream_or_generator(field_upstream(&was.wire).map_err(|why| {
                    format!(
                        "property `{}` is still at its places ({why}): a struct has the union of its places' fields",
                        was.wire
                    )
                }));
            }
        }
    }
    // `new` takes the required fields in schema order: the same ones in another order break calls.
    let order = |args: &[(String, String)], other: &[(String, String)]| -> Vec<String> {
        args.iter().filter(|(n, _)| other.iter().any(|(m, _)| m == n)).map(|(n, _)| n.clone()).collect()
    };
    let (before, after) = (order(&x.new_args, &y.new_args), order(&y.new_args, &x.new_args));
    if before != after {
        out.push(
            Impact::Breaking,
            group,
            item,
            format!("`{name}::new` takes its arguments in the order {} now (was {})", tuple(&after), tuple(&before)),
        )
        .upstream_or_generator(upstream(""));
    }
    traits(group, item, &x.traits, &y.traits, &upstream, out);
}

/// A field the new struct has and the old did not.
fn added(group: &str, item: &str, name: &str, place: &str, open: bool, f: &FieldSurface, out: &mut Changes) {
    let setter = f.setter.as_ref().map(|s| format!("`{}({})`", s.name, s.ty)).unwrap_or_default();
    let (impact, what, fact) = match f.presence {
        Presence::Required => (
            Impact::Breaking,
            format!("field `{}: {}` added; `{name}::new` gains argument `{}`", f.rust, f.ty, f.rust),
            Some(format!("required property `{}` of `{place}` added", f.wire)),
        ),
        Presence::Optional => (
            Impact::Compatible,
            format!("field `{}: {}` added, with setter {setter}", f.rust, f.ty),
            Some(format!("optional property `{}` of `{place}` added", f.wire)),
        ),
        Presence::Nullable => (
            Impact::Compatible,
            format!(
                "field `{}: {}` added, with setter {setter} and `{}()`",
                f.rust,
                f.ty,
                f.clear.as_deref().unwrap_or_default()
            ),
            Some(format!("optional property `{}` of `{place}` that may be null added", f.wire)),
        ),
        Presence::Extra => (
            Impact::Compatible,
            format!("field `{}: {}` added: the undeclared properties", f.rust, f.ty),
            Some(format!("`{place}` now declares a schema for its other properties")),
        ),
        Presence::Unknown => {
            (Impact::Compatible, format!("field `{}: {}` added: the unknown fields", f.rust, f.ty), None)
        }
    };
    // A struct literal must name every field: only `#[non_exhaustive]` makes a new one harmless.
    let exhaustive = !open && impact != Impact::Breaking;
    let impact = if open { impact } else { Impact::Breaking };
    let change: &mut Change = out.push(impact, group, item, what);
    match fact {
        Some(fact) if exhaustive => {
            change.by_generator(format!("{fact}, which breaks only because the struct is not `#[non_exhaustive]`"));
        }
        Some(fact) => change.because(fact),
        None if impact == Impact::Breaking => change.by_generator("the struct is not `#[non_exhaustive]`"),
        None => {}
    }
}

/// What a field's change does to `new` and the setters.
fn consequences(name: &str, was: &FieldSurface, now: &FieldSurface) -> String {
    let setter = |f: &FieldSurface| f.setter.as_ref().map(|s| format!("`{}({})`", s.name, s.ty)).unwrap_or_default();
    let optional = |p: Presence| matches!(p, Presence::Optional | Presence::Nullable);
    match (was.presence, now.presence) {
        (Presence::Required, p) if optional(p) => {
            format!("; `{name}::new` loses argument `{}`, setter {} added", now.rust, setter(now))
        }
        (p, Presence::Required) if optional(p) => {
            format!(
                "; `{name}::new` gains argument `{}`, setter `{}` removed",
                now.rust,
                was.setter.as_ref().map_or("", |s| &s.name)
            )
        }
        (Presence::Optional, Presence::Nullable) => format!("; `{}()` added", now.clear.as_deref().unwrap_or_default()),
        (Presence::Nullable, Presence::Optional) => {
            format!("; `{}()` removed", was.clear.as_deref().unwrap_or_default())
        }
        _ if was.setter != now.setter && now.setter.is_some() => format!("; the setter is {} now", setter(now)),
        _ => String::new(),
    }
}

/// The spec fact behind a change of presence: `property `role` of `orgMemberPatch` now required`.
fn presence_fact(wire: &str, place: &str, was: Presence, now: Presence) -> Option<String> {
    let what = match (was, now) {
        (Presence::Optional, Presence::Required) => "now required",
        (Presence::Required, Presence::Optional) => "no longer required",
        (_, Presence::Nullable) => "now allows null",
        (Presence::Nullable, Presence::Required) => "is required and no longer allows null",
        (Presence::Nullable, _) => "no longer allows null",
        _ => return None,
    };
    (!wire.is_empty()).then(|| format!("property `{wire}` of `{place}` {what}"))
}

/// Derived traits: one that is gone breaks code that uses it. Its cause is
/// upstream only if a place of the type changed in a way that breaks by
/// itself (a property made required); a derive lost to a compatible change
/// (an optional float field added) is the generator's.
fn traits(
    group: &str,
    item: &str,
    was: &BTreeSet<&'static str>,
    now: &BTreeSet<&'static str>,
    upstream: &dyn Fn(&str) -> Result<String, String>,
    out: &mut Changes,
) {
    for lost in was.difference(now) {
        let why = match *lost {
            "Default" => " (a field is required now)",
            "Eq" => " (a branch holds an `f64` or an object now)",
            _ => "",
        };
        out.push(Impact::Breaking, group, item, format!("no longer implements `{lost}`{why}")).upstream_or_generator(
            upstream("").map_err(|why| format!("{why}; a compatible change must not take a derive away")),
        );
    }
    for gained in now.difference(was) {
        out.push(Impact::Compatible, group, item, format!("now implements `{gained}`"));
    }
}
