//! The client's constants and shared setters, the resources and their
//! actions: accessors, handle methods and their arguments, builders and
//! their setters, what `send()` returns; and the facts of the spec that
//! change only the docs or the wire (scopes, texts, paths, error responses).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::types::{explain, Fates};
use super::{tuple, Change, Changes, Impact};
use crate::maintainer::surface::{ActionSurface, Arg, ResourceSurface, Setter, Surface};
use crate::model::{Param, Response};

/// The crate's constants and the setters of the global params.
pub(super) fn client(old: &Surface, new: &Surface, out: &mut Changes) {
    let (a, b) = (&old.client, &new.client);
    const GROUP: &str = "client";
    if a.api_version != b.api_version {
        out.push(Impact::Docs, GROUP, "API_VERSION", format!("now `{}` (was `{}`)", b.api_version, a.api_version));
    }
    if a.accept_version != b.accept_version {
        out.push(
            Impact::Compatible,
            GROUP,
            "ACCEPT_VERSION",
            format!(
                "requests send `Accept-Version: {}` by default (was `{}`); the Rust API is unchanged",
                b.accept_version, a.accept_version
            ),
        );
    }
    if a.base_url != b.base_url {
        out.push(
            Impact::Compatible,
            GROUP,
            "DEFAULT_BASE_URL",
            format!("now `{}` (was `{}`); the Rust API is unchanged", b.base_url, a.base_url),
        );
    }
    let params =
        |spec: &[Param]| -> BTreeMap<String, Param> { spec.iter().map(|p| (p.name.clone(), p.clone())).collect() };
    let fates = Fates::new(old, new);
    let owner = Owner {
        group: GROUP,
        item: "params".into(),
        builder: "every request builder".into(),
        handle: None,
        fates: &fates,
    };
    setters(&owner, &a.setters, &b.setters, &params(&a.spec), &params(&b.spec), &[], &[], out);
    for p in &b.spec {
        if let Some(was) = a.spec.iter().find(|q| q.name == p.name) {
            let unchanged = a.setters.get(&p.name) == b.setters.get(&p.name);
            param_facts(&owner, was, p, unchanged, true, out);
        }
    }
}

/// Resources and their actions.
pub(super) fn resources(old: &Surface, new: &Surface, fates: &Fates, out: &mut Changes) {
    for (name, resource) in &old.resources {
        if !new.resources.contains_key(name) {
            out.push(
                Impact::Breaking,
                name,
                name.clone(),
                format!(
                    "resource removed: `Client::{}()`, the module `{}` and its feature `{}` are gone, with its {} actions",
                    resource.module,
                    resource.module,
                    resource.module,
                    resource.actions.len()
                ),
            )
            .because(format!("resource `{name}` removed"));
            for action in resource.actions.values() {
                out.push(
                    Impact::Breaking,
                    name,
                    action.id.clone(),
                    format!("action removed: {}", signature(resource, action)),
                )
                .because(format!("resource `{name}` removed"));
            }
        }
    }
    for (name, resource) in &new.resources {
        let Some(before) = old.resources.get(name) else {
            out.push(
                Impact::Compatible,
                name,
                name.clone(),
                format!(
                    "resource added: `Client::{}() -> {}::{}` (feature `{}`), {} actions",
                    resource.module,
                    resource.module,
                    resource.handle,
                    resource.module,
                    resource.actions.len()
                ),
            );
            for action in resource.actions.values() {
                out.push(
                    Impact::Compatible,
                    name,
                    action.id.clone(),
                    format!("action added: {}", signature(resource, action)),
                );
            }
            continue;
        };
        if before.handle != resource.handle {
            out.push(
                Impact::Breaking,
                name,
                name.clone(),
                format!("the handle type is now `{}::{}` (was `{}`)", resource.module, resource.handle, before.handle),
            )
            .by_generator(format!("resource `{name}` kept its name"));
        }
        for (action_name, action) in &before.actions {
            if !resource.actions.contains_key(action_name) {
                out.push(
                    Impact::Breaking,
                    name,
                    action.id.clone(),
                    format!("action removed: {}", signature(before, action)),
                )
                .because(format!("action `{}` removed", action.id));
            }
        }
        for (action_name, action) in &resource.actions {
            match before.actions.get(action_name) {
                None => {
                    out.push(
                        Impact::Compatible,
                        name,
                        action.id.clone(),
                        format!("action added: {}", signature(resource, action)),
                    );
                }
                Some(was) => compare_action(name, before, was, resource, action, fates, out),
            }
        }
    }
}

/// `GET /orgs/{orgId}/payloadCounts -> OrgResource::payload_counts(org_id) -> PayloadCountsRequest
/// with setters start, end; send() -> PayloadStats`.
fn signature(resource: &ResourceSurface, action: &ActionSurface) -> String {
    let args: Vec<&String> = action.args.iter().map(|a| &a.name).collect();
    let own: Vec<String> =
        action.spec.optional_params().filter_map(|p| action.setters.get(&p.name)).map(|s| s.name.clone()).collect();
    let setters = if own.is_empty() { String::new() } else { format!(" with setters {}", own.join(", ")) };
    let pages = match &action.pages {
        Some(item) => format!("; .pages()/.items() of {item}"),
        None => String::new(),
    };
    format!(
        "{} {} -> {}::{}{} -> {}{setters}; send() -> {}{pages}",
        action.spec.method,
        action.spec.path,
        resource.handle,
        action.method,
        tuple(args),
        action.builder,
        action.output
    )
}

/// Who has the setters being compared, for the words of a change.
struct Owner<'a> {
    group: &'a str,
    /// The item prefix of param changes: `org.get` (then `org.get.params.x`) or `params`.
    item: String,
    /// `` `GetRequest` `` or `every request builder`.
    builder: String,
    /// `OrgResource::get`, for actions.
    handle: Option<String>,
    /// What became of the types whose names are gone.
    fates: &'a Fates<'a>,
}

impl Owner<'_> {
    fn param(&self, wire: &str) -> String {
        if self.handle.is_some() {
            format!("{}.params.{wire}", self.item)
        } else {
            format!("{}.{wire}", self.item)
        }
    }
}

fn compare_action(
    group: &str,
    old_resource: &ResourceSurface,
    a: &ActionSurface,
    new_resource: &ResourceSurface,
    b: &ActionSurface,
    fates: &Fates,
    out: &mut Changes,
) {
    let item = b.id.clone();
    let (old_handle, handle) =
        (format!("{}::{}", old_resource.handle, a.method), format!("{}::{}", new_resource.handle, b.method));
    if a.method != b.method {
        out.push(Impact::Breaking, group, &item, format!("the handle method is now `{handle}` (was `{old_handle}`)"))
            .by_generator(format!("action `{item}` kept its name"));
    }
    if a.builder != b.builder {
        out.push(
            Impact::Breaking,
            group,
            &item,
            format!("the request builder is now `{}` (was `{}`)", b.builder, a.builder),
        )
        .by_generator(format!("action `{item}` kept its name"));
    }
    let owner =
        Owner { group, item: item.clone(), builder: format!("`{}`", b.builder), handle: Some(handle.clone()), fates };
    let params = |action: &ActionSurface| -> BTreeMap<String, Param> {
        action.spec.params.iter().map(|p| (p.name.clone(), p.clone())).collect()
    };
    let (old_params, new_params) = (params(a), params(b));
    arguments(&owner, &handle, a, b, &old_params, &new_params, out);
    setters(&owner, &a.setters, &b.setters, &old_params, &new_params, &a.args, &b.args, out);
    for (wire, p) in &new_params {
        if let Some(was) = old_params.get(wire) {
            let rust = |action: &ActionSurface| {
                (action.args.iter().find(|x| &x.wire == wire).cloned(), action.setters.get(wire).cloned())
            };
            let unchanged = rust(a) == rust(b);
            param_facts(&owner, was, p, unchanged, false, out);
        }
    }
    outputs(group, &item, a, b, fates, out);
    wire_facts(group, &item, a, b, out);
}

/// The handle method's positional arguments.
fn arguments(
    owner: &Owner<'_>,
    handle: &str,
    a: &ActionSurface,
    b: &ActionSurface,
    old_params: &BTreeMap<String, Param>,
    new_params: &BTreeMap<String, Param>,
    out: &mut Changes,
) {
    let find = |args: &[Arg], wire: &str| args.iter().find(|x| x.wire == wire).cloned();
    for arg in &b.args {
        let item = owner.param(&arg.wire);
        match (find(&a.args, &arg.wire), a.setters.get(&arg.wire)) {
            (Some(was), _) if was.ty != arg.ty => {
                let change = out.push(
                    Impact::Breaking,
                    owner.group,
                    item,
                    format!("argument `{}` of `{handle}` now takes `{}` (was `{}`)", arg.name, arg.ty, was.ty),
                );
                retyped(change, old_params.get(&arg.wire), new_params.get(&arg.wire), &was.ty, &arg.ty, owner.fates);
            }
            (Some(_), _) => {}
            (None, Some(setter)) => {
                out.push(
                    Impact::Breaking,
                    owner.group,
                    item,
                    format!(
                        "`{handle}` gains argument `{}: {}`; the setter `{}` is gone",
                        arg.name, arg.ty, setter.name
                    ),
                )
                .because(format!("param `{}` now required", arg.wire));
            }
            (None, None) => {
                let place = new_params.get(&arg.wire).map(|p| p.location.as_str()).unwrap_or("param");
                out.push(
                    Impact::Breaking,
                    owner.group,
                    item,
                    format!("`{handle}` gains argument `{}: {}`", arg.name, arg.ty),
                )
                .because(format!("required {place} param `{}` added", arg.wire));
            }
        }
    }
    for arg in &a.args {
        if find(&b.args, &arg.wire).is_some() {
            continue;
        }
        let item = owner.param(&arg.wire);
        match b.setters.get(&arg.wire) {
            Some(setter) => {
                out.push(
                    Impact::Breaking,
                    owner.group,
                    item,
                    format!(
                        "`{handle}` loses argument `{}`: it is the setter `{}::{}({})` now",
                        arg.name, b.builder, setter.name, setter.ty
                    ),
                )
                .because(format!("param `{}` now optional", arg.wire));
            }
            None => {
                out.push(Impact::Breaking, owner.group, item, format!("`{handle}` loses argument `{}`", arg.name))
                    .because(format!("param `{}` removed", arg.wire));
            }
        }
    }
    // The arguments both have, in each one's order.
    let kept = |args: &[Arg], other: &[Arg]| -> Vec<String> {
        args.iter().filter(|x| other.iter().any(|y| y.wire == x.wire)).map(|x| x.name.clone()).collect()
    };
    let (before, after) = (kept(&a.args, &b.args), kept(&b.args, &a.args));
    let mut sorted = (before.clone(), after.clone());
    sorted.0.sort();
    sorted.1.sort();
    if before != after && sorted.0 == sorted.1 {
        let order = |action: &ActionSurface| -> Vec<String> {
            action
                .spec
                .required_params()
                .map(|p| p.name.clone())
                .filter(|n| b.args.iter().any(|x| &x.wire == n))
                .collect()
        };
        let change = out.push(
            Impact::Breaking,
            owner.group,
            owner.item.clone(),
            format!("the arguments of `{handle}` are now in the order {} (was {})", tuple(&after), tuple(&before)),
        );
        if order(a) == order(b) {
            change.by_generator("the spec lists the required params in the same order");
        } else {
            change.because("the required params are listed in another order");
        }
    }
}

/// Setters, by the wire name of their param. A param that moved between
/// argument and setter is reported by [`arguments`].
#[allow(clippy::too_many_arguments)]
fn setters(
    owner: &Owner<'_>,
    old: &BTreeMap<String, Setter>,
    new: &BTreeMap<String, Setter>,
    old_params: &BTreeMap<String, Param>,
    new_params: &BTreeMap<String, Param>,
    old_args: &[Arg],
    new_args: &[Arg],
    out: &mut Changes,
) {
    let global = owner.handle.is_none();
    let on = format!("on {}", owner.builder);
    for (wire, setter) in new {
        let item = owner.param(wire);
        match old.get(wire) {
            None if old_args.iter().any(|a| &a.wire == wire) => {}
            None => {
                let place = new_params.get(wire).map(|p| p.location.as_str()).unwrap_or("param");
                let kind = if global { "global" } else { "optional" };
                out.push(
                    Impact::Compatible,
                    owner.group,
                    item,
                    format!("setter `{}({})` added {on}", setter.name, setter.ty),
                )
                .because(format!("{kind} {place} param `{wire}` added"));
            }
            Some(was) => {
                if was.name != setter.name {
                    out.push(
                        Impact::Breaking,
                        owner.group,
                        item.clone(),
                        format!("setter `{}` is now `{}` {on}", was.name, setter.name),
                    )
                    .by_generator(format!("param `{wire}` kept its name"));
                }
                if was.ty != setter.ty {
                    let change = out.push(
                        Impact::Breaking,
                        owner.group,
                        item.clone(),
                        format!("setter `{}` now takes `{}` (was `{}`) {on}", setter.name, setter.ty, was.ty),
                    );
                    retyped(change, old_params.get(wire), new_params.get(wire), &was.ty, &setter.ty, owner.fates);
                }
                match (was.deprecated, setter.deprecated) {
                    (false, true) => {
                        out.push(
                            Impact::Compatible,
                            owner.group,
                            item,
                            format!("setter `{}` is now `#[deprecated]` (a warning where it is called)", setter.name),
                        )
                        .because(format!("param `{wire}` deprecated"));
                    }
                    (true, false) => {
                        out.push(
                            Impact::Docs,
                            owner.group,
                            item,
                            format!("setter `{}` is no longer `#[deprecated]`", setter.name),
                        );
                    }
                    _ => {}
                }
            }
        }
    }
    for (wire, setter) in old {
        if !new.contains_key(wire) && !new_args.iter().any(|a| &a.wire == wire) {
            out.push(
                Impact::Breaking,
                owner.group,
                owner.param(wire),
                format!("setter `{}` removed {on}", setter.name),
            )
            .because(format!("param `{wire}` removed"));
        }
    }
}

/// What changed about a param beyond its Rust type: where it travels, the
/// pattern the client checks, its default, texts. `unchanged`: its argument
/// or setter is the same on both sides.
fn param_facts(owner: &Owner<'_>, old: &Param, new: &Param, unchanged: bool, global: bool, out: &mut Changes) {
    let item = owner.param(&new.name);
    if old.location != new.location {
        out.push(
            Impact::Compatible,
            owner.group,
            item.clone(),
            format!(
                "sent in the {} (was the {}); the Rust API is unchanged",
                new.location.as_str(),
                old.location.as_str()
            ),
        );
    }
    if old.pattern != new.pattern {
        out.push(
            Impact::Compatible,
            owner.group,
            item.clone(),
            format!(
                "values are checked against the pattern {} (was {}) before sending; the Rust API is unchanged",
                new.pattern.as_deref().map_or("none".into(), |p| format!("`{p}`")),
                old.pattern.as_deref().map_or("none".into(), |p| format!("`{p}`"))
            ),
        );
    }
    if old.default != new.default {
        // The client sends the defaults of the global params itself.
        let (impact, what) = if global {
            (Impact::Compatible, "the client sends the default")
        } else {
            (Impact::Docs, "the server's default is")
        };
        out.push(
            impact,
            owner.group,
            item.clone(),
            format!("{what} {} (was {}); the Rust API is unchanged", show(&new.default), show(&old.default)),
        );
    }
    if unchanged && values(old) != values(new) {
        out.push(
            Impact::Docs,
            owner.group,
            item.clone(),
            format!("allowed values {} (were {}); its Rust type is unchanged", show_values(new), show_values(old)),
        );
    }
    if old.description != new.description || (unchanged && old.example != new.example) {
        out.push(Impact::Docs, owner.group, item, "description or example changed");
    }
}

/// What `send()` returns, its enum of responses or events, `.pages()`, `send_blocking()`.
fn outputs(group: &str, item: &str, a: &ActionSurface, b: &ActionSurface, fates: &Fates, out: &mut Changes) {
    let responses = format!("{item}.responses");
    let send = format!("{}::send()", b.builder);
    if a.output != b.output {
        out.push(
            Impact::Breaking,
            group,
            responses.clone(),
            format!("`{send}` now returns `{}` (was `{}`)", b.output, a.output),
        )
        .explain_output(a, b, fates);
    } else if let (Some(x), Some(y)) = (&a.output_enum, &b.output_enum) {
        for (variant, held) in &y.variants {
            match x.variants.get(variant) {
                None => {
                    let impact = if y.non_exhaustive { Impact::Compatible } else { Impact::Breaking };
                    let why =
                        if y.non_exhaustive { "`#[non_exhaustive]`" } else { "exhaustive: a `match` must name it" };
                    out.push(
                        impact,
                        group,
                        responses.clone(),
                        format!("variant `{}::{variant}` added ({why})", y.name),
                    )
                    .because(format!("success responses {} -> {}", successes(a), successes(b)));
                }
                Some(was) if was != held => {
                    out.push(
                        Impact::Breaking,
                        group,
                        responses.clone(),
                        format!(
                            "variant `{}::{variant}` now holds `{}` (was `{}`)",
                            y.name,
                            show_held(held),
                            show_held(was)
                        ),
                    )
                    .explain_output(a, b, fates);
                }
                Some(_) => {}
            }
        }
        for variant in x.variants.keys().filter(|v| !y.variants.contains_key(*v)) {
            out.push(Impact::Breaking, group, responses.clone(), format!("variant `{}::{variant}` removed", x.name))
                .because(format!("success responses {} -> {}", successes(a), successes(b)));
        }
    }
    match (&a.pages, &b.pages) {
        (None, Some(item_type)) => {
            out.push(
                Impact::Compatible,
                group,
                item,
                format!("`{}::pages()` and `items()` added (items: `{item_type}`)", b.builder),
            );
        }
        (Some(_), None) => {
            let change =
                out.push(Impact::Breaking, group, item, format!("`{}::pages()` and `items()` removed", b.builder));
            if format!("{:?}", a.spec.params) != format!("{:?}", b.spec.params) || successes(a) != successes(b) {
                change.because("the action's paging params or its success body changed");
            } else {
                change.by_generator("the action's params and success body are unchanged");
            }
        }
        (Some(x), Some(y)) if x != y => {
            let change = out.push(
                Impact::Breaking,
                group,
                item,
                format!("`{}::pages()` and `items()` now yield `{y}` (was `{x}`)", b.builder),
            );
            let places: Vec<String> = body_schemas(a).chain(body_schemas(b)).collect();
            let at_items = || fates.at(&places, ".items[]");
            match explain(x, y, fates) {
                Some(explained) => change.explained(explained, at_items),
                None => change.upstream_or_generator(at_items()),
            }
        }
        _ => {}
    }
    match (a.blocking, b.blocking) {
        (true, false) => {
            out.push(
                Impact::Breaking,
                group,
                item,
                format!("`{}::send_blocking()` removed (an event stream now)", b.builder),
            )
            .because("the action is an event stream now");
        }
        (false, true) => {
            out.push(Impact::Compatible, group, item, format!("`{}::send_blocking()` added", b.builder));
        }
        _ => {}
    }
}

/// The schemas of an action's success bodies.
fn body_schemas(action: &ActionSurface) -> impl Iterator<Item = String> + '_ {
    action.spec.successes().filter_map(|r| r.schema.clone())
}

impl Change {
    /// The cause of a change of what `send()` returns (or a variant of its enum holds).
    fn explain_output(&mut self, a: &ActionSurface, b: &ActionSurface, fates: &Fates) {
        if successes(a) != successes(b) {
            self.because(format!("success responses {} -> {}", successes(a), successes(b)));
            return;
        }
        let places: Vec<String> = body_schemas(a).chain(body_schemas(b)).collect();
        match explain(&a.output, &b.output, fates) {
            Some(explained) => self.explained(explained, || fates.at(&places, "")),
            None => self.upstream_or_generator(
                fates.at(&places, "").map_err(|why| format!("the success responses are the same, and {why}")),
            ),
        }
    }
}

/// The cause of a param's argument or setter taking another type: the
/// param's declared type, schema, default or example changed (upstream), or
/// only values were added, which must not change the type of an enum
/// (generator), or a type it names was renamed or split.
fn retyped(change: &mut Change, old: Option<&Param>, new: Option<&Param>, was: &str, now: &str, fates: &Fates) {
    let grew_only = match (old, new) {
        (Some(o), Some(n)) => {
            let (before, after) = (values(o), values(n));
            o.ty == n.ty
                && o.schema == n.schema
                && o.default == n.default
                && o.example == n.example
                && before != after
                && before.iter().all(|v| after.contains(v))
        }
        _ => false,
    };
    match type_fact(old, new) {
        Some(fact) if grew_only => change.by_generator(format!(
            "{fact}: values were only added, and a value added at one place of an enum must not change its type"
        )),
        Some(fact) => change.because(fact),
        None => match explain(was, now, fates) {
            Some(explained) => {
                change.explained(explained, || Err("the param's type, values, default and example are the same".into()))
            }
            None => change.by_generator("the param's type, values, default and example are the same"),
        },
    }
}

/// `200 (org), 201 (job)`.
fn successes(action: &ActionSurface) -> String {
    let list: Vec<String> = action
        .spec
        .successes()
        .map(|r| format!("{} ({})", r.status, r.schema.as_deref().unwrap_or("no body")))
        .collect();
    if list.is_empty() {
        "none".into()
    } else {
        list.join(", ")
    }
}

fn show_held(held: &Option<String>) -> String {
    held.clone().unwrap_or_else(|| "nothing".into())
}

/// Facts that change the wire or the docs but no Rust type: method, path,
/// scopes, texts, and responses that leave `send()` as it was.
fn wire_facts(group: &str, item: &str, a: &ActionSurface, b: &ActionSurface, out: &mut Changes) {
    let (x, y) = (&a.spec, &b.spec);
    if x.method != y.method {
        out.push(
            Impact::Compatible,
            group,
            item,
            format!(
                "sent as {} (was {}); the Rust API is unchanged (`{}::METHOD`), retries follow the new method",
                y.method, x.method, b.builder
            ),
        );
    }
    if x.path != y.path {
        out.push(
            Impact::Compatible,
            group,
            item,
            format!("sent to {} (was {}); the Rust API is unchanged (`{}::PATH`)", y.path, x.path, b.builder),
        );
    }
    let (old_scopes, new_scopes): (BTreeSet<&String>, BTreeSet<&String>) =
        (x.scopes.iter().collect(), y.scopes.iter().collect());
    for scope in new_scopes.difference(&old_scopes) {
        out.push(
            Impact::Docs,
            group,
            format!("{item}.scopes"),
            format!("scope `{scope}` now grants the action (`{}::SCOPES` and its docs)", b.builder),
        );
    }
    for scope in old_scopes.difference(&new_scopes) {
        out.push(
            Impact::Docs,
            group,
            format!("{item}.scopes"),
            format!("scope `{scope}` no longer grants the action (`{}::SCOPES` and its docs)", b.builder),
        );
    }
    if x.summary != y.summary || x.description != y.description || x.title != y.title {
        out.push(Impact::Docs, group, item, "summary or description changed");
    }
    if x.deny_oauth_tokens != y.deny_oauth_tokens || x.allow_unverified != y.allow_unverified {
        out.push(Impact::Docs, group, item, "the kinds of tokens it accepts changed (docs)");
    }
    let output_changed = a.output != b.output;
    let statuses: BTreeSet<u16> = x.responses.iter().chain(&y.responses).map(|r| r.status).collect();
    for status in statuses {
        let find = |responses: &[Response]| responses.iter().find(|r| r.status == status).cloned();
        let (was, now) = (find(&x.responses), find(&y.responses));
        let success = (200..300).contains(&status);
        if success && output_changed {
            continue; // the `send()` line says it
        }
        let body = |r: &Response| r.schema.clone().map_or("no body".to_string(), |s| format!("body `{s}`"));
        let what = match (&was, &now) {
            (None, Some(r)) if success => {
                format!("success response {status} added ({}); `send()` still returns `{}`", body(r), b.output)
            }
            (None, Some(r)) => format!("error response {status} added ({}): an `Error::Api`, docs only", body(r)),
            (Some(_), None) if success => {
                format!("success response {status} removed; `send()` still returns `{}`", b.output)
            }
            (Some(_), None) => format!("error response {status} removed (docs only)"),
            (Some(r), Some(s)) if r.schema != s.schema && success => {
                format!(
                    "success response {status}: {} (was {}); `send()` still returns `{}`",
                    body(s),
                    body(r),
                    b.output
                )
            }
            (Some(r), Some(s)) if r.schema != s.schema => {
                format!("error response {status}: {} (was {}), docs only", body(s), body(r))
            }
            (Some(r), Some(s)) if r.description != s.description => format!("response {status}: description changed"),
            _ => continue,
        };
        out.push(Impact::Docs, group, format!("{item}.responses.{status}"), what);
    }
}

/// The spec facts behind a param's change of Rust type: declared type or
/// schema, allowed values, and the default and example the type is read from.
fn type_fact(old: Option<&Param>, new: Option<&Param>) -> Option<String> {
    let (old, new) = (old?, new?);
    let mut facts = Vec::new();
    if old.ty != new.ty || old.schema != new.schema {
        facts.push(format!("type {} -> {}", param_type(old), param_type(new)));
    }
    if values(old) != values(new) {
        facts.push(format!("allowed values {} (were {})", show_values(new), show_values(old)));
    }
    if old.default != new.default {
        facts.push(format!("default {} (was {})", show(&new.default), show(&old.default)));
    }
    if old.example != new.example {
        facts.push(format!("example {} (was {})", show(&new.example), show(&old.example)));
    }
    (!facts.is_empty()).then(|| facts.join("; "))
}

fn param_type(p: &Param) -> String {
    match (&p.schema, p.ty) {
        (Some(schema), _) => format!("schema `{schema}`"),
        (None, Some(ty)) => format!("{ty:?}").to_lowercase(),
        (None, None) => "none".into(),
    }
}

fn values(p: &Param) -> Vec<String> {
    p.allowed.iter().flatten().map(Value::to_string).collect()
}

fn show_values(p: &Param) -> String {
    match p.allowed.as_deref() {
        None | Some([]) => "any".into(),
        Some(list) => list.iter().map(Value::to_string).collect::<Vec<_>>().join(", "),
    }
}

fn show(value: &Option<Value>) -> String {
    value.as_ref().map_or("none".to_string(), |v| format!("`{v}`"))
}
