//! `codegen docs`: a Markdown reference per resource, in the layout of the
//! official reference docs (title, contents, then per action: summary, a Rust
//! example, Authentication, Available Parameters, Successful and Error
//! Responses), plus a page of schemas. The examples are
//! [`crate::emit::examples`], which the client's tests compile.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::Value;

use crate::model::{Action, Api, Location, Origin, Param, Resource};
use crate::typegen::{RustType, TypeSpace};

/// The example of each action: resource name → action name → code.
type Examples = BTreeMap<String, BTreeMap<String, String>>;

/// Every page: `<resource>.md` per resource and `_schemas.md`. Fails only
/// on an internal error (an example that does not parse).
pub fn pages(api: &Api, space: &TypeSpace) -> Result<BTreeMap<String, String>, String> {
    let examples = crate::emit::examples(api, space)?;
    let titles: BTreeMap<&str, String> = api
        .schemas
        .iter()
        .map(|(name, s)| (name.as_str(), s.json.get("title").and_then(Value::as_str).unwrap_or(name).to_string()))
        .collect();
    let mut pages: BTreeMap<String, String> =
        api.resources.iter().map(|r| (format!("{}.md", r.name), resource_page(r, &titles, &examples))).collect();
    pages.insert("_schemas.md".into(), schemas_page(api, space, &titles));
    Ok(pages)
}

fn resource_page(resource: &Resource, titles: &BTreeMap<&str, String>, examples: &Examples) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {} Actions\n", resource.title);
    let _ = writeln!(
        out,
        "Details on the various actions that can be performed on the\n{} resource, including the expected\nparameters and the potential responses.\n",
        resource.title
    );
    let _ = writeln!(
        out,
        "Each example is an `async fn` that takes the action's required params, typed as\nthe method takes them, and assumes `{}`.\n",
        crate::emit::EXAMPLE_IMPORTS
    );
    let _ = writeln!(out, "##### Contents\n");
    let mut actions: Vec<&Action> = resource.actions.iter().collect();
    actions.sort_by(|a, b| a.title.cmp(&b.title));
    for action in &actions {
        let _ = writeln!(out, "*   [{}](#{})", action.title, anchor(&action.title));
    }
    let _ = writeln!(out, "\n<br/>\n");
    for action in actions {
        let example = examples.get(&resource.name).and_then(|e| e.get(&action.name)).map_or("", String::as_str);
        action_section(&mut out, action, example, titles);
    }
    out
}

fn action_section(out: &mut String, action: &Action, example: &str, titles: &BTreeMap<&str, String>) {
    let _ = writeln!(out, "## {}\n", action.title);
    let text = action.summary.as_deref().or(action.description.as_deref()).unwrap_or_default();
    let _ = writeln!(out, "{}\n", escape(text));
    let _ = writeln!(out, "```rust\n{example}```\n");
    let _ = writeln!(out, "#### Authentication");
    if action.scopes.is_empty() {
        let _ = writeln!(out, "No api access token is required to call this action.\n");
    } else {
        let mut scopes = action.scopes.clone();
        let last = scopes.pop().unwrap_or_default();
        let list = if scopes.is_empty() { last } else { format!("{}, or {last}", scopes.join(", ")) };
        let _ = writeln!(
            out,
            "The client must be configured with a valid api access token to call this\naction. The token must include at least one of the following scopes:\n{list}.\n"
        );
    }
    let _ = writeln!(out, "#### Available Parameters\n");
    let _ = writeln!(out, "| Name | Type | Required | Description | Default | Example |");
    let _ = writeln!(out, "| ---- | ---- | -------- | ----------- | ------- | ------- |");
    let documented = action.params.iter().filter(|p| p.origin != Origin::Global || p.default.is_none());
    for p in documented {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            p.name,
            param_type(p, titles),
            if p.required { "Y" } else { "N" },
            escape(&param_description(p)),
            p.default.as_ref().map(value).unwrap_or_default(),
            example_cell(p, titles),
        );
    }
    for (heading, success) in [("Successful Responses", true), ("Error Responses", false)] {
        let _ = writeln!(out, "\n#### {heading}\n");
        let _ = writeln!(out, "| Code | Type | Description |");
        let _ = writeln!(out, "| ---- | ---- | ----------- |");
        for r in action.responses.iter().filter(|r| r.is_success() == success) {
            let ty = r.schema.as_deref().map(|s| schema_link(s, titles)).unwrap_or_else(|| "undefined".into());
            let _ =
                writeln!(out, "| {} | {} | {} |", r.status, ty, escape(r.description.as_deref().unwrap_or_default()));
        }
    }
    let _ = writeln!(out, "\n<br/>\n");
}

/// The description, with the allowed values the way the official docs add them.
fn param_description(p: &Param) -> String {
    let text = p.description.clone().unwrap_or_default();
    let Some(allowed) = &p.allowed else { return text };
    let values: Vec<String> =
        allowed.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string)).collect();
    let joiner = if text.ends_with('.') { " " } else { ". " };
    format!("{text}{joiner}Accepted values are: {}", values.join(", "))
}

fn param_type(p: &Param, titles: &BTreeMap<&str, String>) -> String {
    match (&p.schema, p.ty) {
        (Some(schema), _) => schema_link(schema, titles),
        (None, Some(ty)) => format!("{ty:?}").to_lowercase(),
        (None, None) => "undefined".into(),
    }
}

fn example_cell(p: &Param, titles: &BTreeMap<&str, String>) -> String {
    match (&p.schema, &p.example) {
        (Some(schema), _) => {
            let title = titles.get(schema.as_str()).cloned().unwrap_or_else(|| schema.clone());
            format!("[{title} Example](_schemas.md#{})", anchor(&format!("{title} Example")))
        }
        (_, Some(example)) => value(example),
        // The official docs print a missing upload example as `undefined`.
        (None, None) if p.location == Location::Multipart => "undefined".into(),
        _ => String::new(),
    }
}

fn schema_link(schema: &str, titles: &BTreeMap<&str, String>) -> String {
    let title = titles.get(schema).cloned().unwrap_or_else(|| schema.to_string());
    format!("[{title}](_schemas.md#{})", anchor(&title))
}

/// A default or example as the official docs print it (JavaScript style).
fn value(v: &Value) -> String {
    escape(&js(v))
}

fn js(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let items: Vec<String> =
                items.iter().map(|i| if let Value::String(s) = i { format!("'{s}'") } else { js(i) }).collect();
            format!("[ {} ]", items.join(", "))
        }
        other => other.to_string(),
    }
}

/// `Invite Member` → `invite-member`.
fn anchor(title: &str) -> String {
    title.to_lowercase().split_whitespace().collect::<Vec<_>>().join("-")
}

/// The HTML escaping the official docs apply to text.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            '`' => out.push_str("&#x60;"),
            '=' => out.push_str("&#x3D;"),
            other => out.push(other),
        }
    }
    out
}

/// `_schemas.md`: every schema's title, its own description, its Rust type
/// with the actions that send and return it, and the JSON Schema.
fn schemas_page(api: &Api, space: &TypeSpace, titles: &BTreeMap<&str, String>) -> String {
    let mut out = String::from("# Schemas\n\n");
    for (name, schema) in &api.schemas {
        let title = &titles[name.as_str()];
        let _ = writeln!(out, "## {title}\n");
        if let Some(description) = schema.json.get("description").and_then(Value::as_str) {
            let _ = writeln!(out, "{}\n", escape(description.trim()));
        }
        let _ = writeln!(out, "{}\n", rust_line(space, name));
        let json = serde_json::to_string_pretty(&schema.json).unwrap_or_default();
        let _ = writeln!(out, "```json\n{json}\n```\n");
    }
    out
}

/// ``Schema `org`, in Rust `types::Org`. Returned by `org.get`.``
fn rust_line(space: &TypeSpace, schema: &str) -> String {
    let Some(RustType::Named(id)) = space.schema_type(schema) else {
        return format!("Schema `{schema}`.");
    };
    let def = &space.types[*id];
    let mut line = format!("Schema `{schema}`, in Rust `types::{}`.", def.name);
    for (returns, verb) in [(false, "Sent by"), (true, "Returned by")] {
        let actions: Vec<String> =
            def.used_by.iter().filter(|(_, r)| *r == returns).map(|(a, _)| format!("`{a}`")).collect();
        if !actions.is_empty() {
            let _ = write!(line, " {verb} {}.", actions.join(", "));
        }
    }
    line
}
