//! Checking that a loaded spec fits together, and resolving it into the model.
//!
//! Every check runs over the whole spec and records what it finds, so one run
//! of `codegen check` lists every problem. Each diagnostic names the file, the
//! line of the offending node and the item (`resources.org.actions.get`).

pub mod response_modes;
pub mod sensitive;

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde_json::Value;

use crate::load::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::load::spec::{ActionDef, Location, ParamDef, ParamType, Reshapes, ResourceFile};
use crate::load::{RawSpec, Sourced};
use crate::model::names;
use crate::model::{Action, Api, Origin, Param, Reshape, Resource, Response, Schema, SseEvent};

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// The longest resource module: it is also a file name, and file systems
/// take 255 bytes at most.
const MAX_MODULE: usize = 100;

/// The checked model and any warnings, or every problem found.
pub fn validate(raw: &RawSpec) -> Result<(Api, Diagnostics), Diagnostics> {
    let mut checker = Checker {
        problems: Diagnostics::default(),
        schema_names: raw.schemas.iter().map(|s| s.value.name.clone()).collect(),
        used_schemas: BTreeSet::new(),
        patterns: BTreeMap::new(),
    };
    let api = checker.api(raw);
    checker.unused_schemas(raw);
    if checker.problems.has_errors() {
        Err(checker.problems)
    } else {
        Ok((api, checker.problems))
    }
}

struct Checker {
    problems: Diagnostics,
    schema_names: BTreeSet<String>,
    used_schemas: BTreeSet<String>,
    /// Each param pattern seen, with why it does not compile (if it does not).
    patterns: BTreeMap<String, Option<String>>,
}

impl Checker {
    fn api(&mut self, raw: &RawSpec) -> Api {
        let file = &raw.api;
        let api = &file.value;
        if !(api.base_url.starts_with("https://") || api.base_url.starts_with("http://")) {
            self.problems.push(
                file.error_at("base_url", format!("base_url `{}` is not an http(s) URL", api.base_url))
                    .item("api.base_url"),
            );
        }
        // Sent as `Accept-Version`: a folder name there would reach the server.
        if !crate::load::version::is_semver(&api.version) {
            self.problems.push(
                file.error_at("version", format!("version `{}` is not a version `X.Y.Z`", api.version))
                    .item("api.version")
                    .hint("the API version the spec describes, e.g. `1.30.0`"),
            );
        }
        if !api.accept_version.strip_prefix('^').is_some_and(crate::load::version::is_semver) {
            self.problems.push(
                file.error_at("accept_version", format!("accept_version `{}` is not `^X.Y.Z`", api.accept_version))
                    .item("api.accept_version")
                    .hint(format!("`^{}`: any compatible version", api.version)),
            );
        }
        let mut global_params = Vec::new();
        for (i, def) in api.params.iter().enumerate() {
            let at = format!("params[{i}]");
            let item = format!("api.params.{}", def.name);
            if !matches!(def.location, Location::Query | Location::Header) {
                self.problems.push(
                    file.error_at(&format!("{at}.in"), "a global param must travel in the query or a header")
                        .item(&item),
                );
            }
            self.global_default(file, &at, &item, def);
            global_params.push(self.param(file, &at, &item, def, Origin::Global));
        }
        let checked: Vec<(&Param, String)> =
            global_params.iter().enumerate().map(|(i, p)| (p, format!("params[{i}]"))).collect();
        self.unique_params(file, &checked, "api");

        let mut lowercase: BTreeMap<String, &str> = BTreeMap::new();
        let schemas = raw
            .schemas
            .iter()
            .map(|s| {
                if let Some(first) = lowercase.insert(s.value.name.to_lowercase(), &s.value.name) {
                    self.problems.push(
                        s.error_at("", format!("schemas `{first}` and `{}` differ only in case", shown(&s.value.name)))
                            .item(format!("schemas.{}", shown(&s.value.name)))
                            .hint(
                                "rename one: on a case-insensitive file system they are one file, and in Rust one type",
                            ),
                    );
                }
                self.schema_file(s);
                let schema = Schema { name: s.value.name.clone(), file: s.file.clone(), json: s.value.schema.clone() };
                (schema.name.clone(), schema)
            })
            .collect();

        let mut resources: Vec<Resource> = Vec::new();
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        for file in &raw.resources {
            let resource = self.resource(file, &global_params);
            if let Some(first) = seen.insert(resource.module.clone(), resource.name.clone()) {
                self.problems.push(
                    file.error_at("name", format!("resource `{}` is defined twice", resource.name))
                        .item(format!("resources.{}", resource.name))
                        .hint(format!("`{first}` already uses the Rust module name `{}`", resource.module)),
                );
            }
            resources.push(resource);
        }
        resources.sort_by(|a, b| a.name.cmp(&b.name));

        Api {
            title: api.title.clone(),
            description: api.description.clone(),
            version: api.version.clone(),
            base_url: api.base_url.trim_end_matches('/').to_string(),
            accept_version: api.accept_version.clone(),
            auth: api.auth.scheme,
            global_params,
            resources,
            schemas,
            feature_record: Default::default(),
        }
    }

    fn resource(&mut self, file: &Sourced<ResourceFile>, globals: &[Param]) -> Resource {
        let def = &file.value;
        let item = format!("resources.{}", def.name);
        self.spec_name(file, "name", &item, "resource", &def.name);
        if file.file.file_stem().is_some_and(|stem| stem != def.name.as_str()) {
            self.problems.push(Diagnostic {
                severity: Severity::Warning,
                ..file
                    .error_at("name", format!("resource `{}` lives in a file of another name", def.name))
                    .item(&item)
                    .hint(format!("rename the file to {}.yaml", def.name))
            });
        }
        self.path_template(file, "path", &item, &def.path);

        let mut params = Vec::new();
        for (i, p) in def.params.iter().enumerate() {
            let at = format!("params[{i}]");
            let param_item = format!("{item}.params.{}", p.name);
            if p.location != Location::Path {
                self.problems.push(
                    file.error_at(&format!("{at}.in"), "a resource param must be a path param")
                        .item(&param_item)
                        .hint("declare query, header and body params on the actions"),
                );
            }
            params.push(self.param(file, &at, &param_item, p, Origin::Resource));
        }
        self.path_params_agree(file, "", &item, &def.path, &params);

        if def.actions.is_empty() {
            self.problems.push(
                file.error_at("name", format!("resource `{}` has no actions", shown(&def.name)))
                    .item(shown(&item))
                    .hint("a resource is its actions: add one, or remove the file"),
            );
        }
        let mut actions = Vec::new();
        let mut names_seen: BTreeMap<String, String> = BTreeMap::new();
        for (i, action) in def.actions.iter().enumerate() {
            let at = format!("actions[{i}]");
            let action_item = format!("{item}.actions.{}", action.name);
            let built = self.action(file, &at, &action_item, def, action, &params, globals);
            if let Some(first) = names_seen.insert(built.method_name.clone(), action.name.clone()) {
                let message = if first == action.name {
                    format!("action `{}` is defined twice", action.name)
                } else {
                    format!("actions `{first}` and `{}` both become the method `{}`", action.name, built.method_name)
                };
                self.problems.push(file.error_at(&format!("{at}.name"), message).item(&action_item));
            }
            actions.push(built);
        }

        let module = names::module(&def.name);
        if module.len() > MAX_MODULE {
            self.problems.push(
                file.error_at(
                    "name",
                    format!("resource `{}` would be a module of {} characters", shown(&def.name), module.len()),
                )
                .item(shown(&item))
                .hint(format!("the module is a file (`<module>.rs`) and a cargo feature: keep it within {MAX_MODULE}")),
            );
        } else if names::CRATE_ROOT_NAMES.contains(&module.as_str()) {
            self.problems.push(
                file.error_at(
                    "name",
                    format!("resource `{}` would be the module `{module}`, a name the crate already uses", def.name),
                )
                .item(&item)
                .hint("the client's own modules, re-exports and features take these names: rename the resource"),
            );
        } else if names::CLIENT_METHODS.contains(&module.as_str()) {
            self.problems.push(
                file.error_at(
                    "name",
                    format!("resource `{}` would be `Client::{module}`, a method `Client` already has", def.name),
                )
                .item(&item)
                .hint("rename the resource"),
            );
        }
        Resource {
            name: def.name.clone(),
            title: def.title.clone().unwrap_or_else(|| names::pascal(&def.name)),
            description: def.description.clone(),
            path: def.path.clone(),
            params,
            actions,
            handle: names::resource_handle(&def.name),
            module,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn action(
        &mut self,
        file: &Sourced<ResourceFile>,
        at: &str,
        item: &str,
        resource: &ResourceFile,
        def: &ActionDef,
        resource_params: &[Param],
        globals: &[Param],
    ) -> Action {
        self.spec_name(file, &format!("{at}.name"), item, "action", &def.name);
        if !METHODS.contains(&def.method.as_str()) {
            self.problems.push(
                file.error_at(&format!("{at}.method"), format!("unknown HTTP method `{}`", def.method))
                    .item(item)
                    .hint(format!("use one of {}", METHODS.join(", "))),
            );
        }
        if def.summary.as_deref().is_none_or(str::is_empty) {
            self.note(file.error_at(at, "action has no summary").item(item));
        }
        let relative = def.path.clone().unwrap_or_default();
        if !relative.is_empty() {
            self.path_template(file, &format!("{at}.path"), item, &relative);
        }
        let path = format!("{}{}", resource.path, relative);

        let mut own = Vec::new();
        for (i, p) in def.params.iter().enumerate() {
            let param_at = format!("{at}.params[{i}]");
            own.push(self.param(file, &param_at, &format!("{item}.params.{}", p.name), p, Origin::Action));
        }
        self.path_params_agree(file, at, item, &relative, &own);
        let bodies = own.iter().filter(|p| p.is_body()).count();
        if bodies > 1 {
            self.problems
                .push(file.error_at(&format!("{at}.params"), "an action takes at most one body param").item(item));
        }
        let multipart = own.iter().any(|p| p.location == Location::Multipart);
        if multipart && bodies > 0 {
            self.problems.push(
                file.error_at(&format!("{at}.params"), "an action cannot take both a JSON body and multipart parts")
                    .item(item),
            );
        }
        if def.sse_events.as_ref().is_some_and(Vec::is_empty) {
            self.problems
                .push(file.error_at(&format!("{at}.sse_events"), "a stream needs at least one event").item(item));
        }
        let mut seen_scopes = HashSet::new();
        for (i, scope) in def.scopes.iter().enumerate() {
            if !seen_scopes.insert(scope) {
                self.warn(
                    file.error_at(&format!("{at}.scopes[{i}]"), format!("scope `{scope}` is listed twice")).item(item),
                );
            }
        }

        let responses = self.responses(file, at, item, def);
        let sse_events = def.sse_events.as_ref().map(|events| {
            let mut variants: BTreeMap<String, String> = BTreeMap::new();
            events
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    let event_at = format!("{at}.sse_events[{i}]");
                    if let Some(schema) = &e.schema {
                        self.schema_ref(file, &format!("{event_at}.schema"), item, schema);
                    }
                    self.event_name(file, &event_at, item, &e.name, &mut variants);
                    SseEvent { name: e.name.clone(), schema: e.schema.clone(), description: e.description.clone() }
                })
                .collect()
        });

        // Checked in this order so a clash is reported on the action's own
        // param, the one to rename.
        let checked: Vec<(&Param, String)> = globals
            .iter()
            .map(|p| (p, String::new()))
            .chain(resource_params.iter().enumerate().map(|(i, p)| (p, format!("params[{i}]"))))
            .chain(own.iter().enumerate().map(|(i, p)| (p, format!("{at}.params[{i}]"))))
            .collect();
        self.unique_params(file, &checked, item);
        let id = format!("{}.{}", resource.name, def.name);
        let params: Vec<Param> = resource_params
            .iter()
            .cloned()
            .chain(own)
            .map(|p| Param { action: id.clone(), ..p })
            .chain(globals.iter().cloned())
            .collect();
        let arguments = params.iter().filter(|p| p.required && p.origin != Origin::Global).count();
        let method_name = names::handle_method(&def.name, arguments);

        Action {
            name: def.name.clone(),
            title: def.title.clone().unwrap_or_else(|| title_case(&def.name)),
            method: def.method.clone(),
            path,
            summary: def.summary.clone(),
            description: def.description.clone(),
            note: def.note.clone(),
            deny_oauth_tokens: def.deny_oauth_tokens,
            allow_unverified: def.allow_unverified,
            scopes: def.scopes.clone(),
            params,
            responses,
            sse_events,
            method_name,
            builder: names::request_builder(&def.name),
        }
    }

    fn responses(&mut self, file: &Sourced<ResourceFile>, at: &str, item: &str, def: &ActionDef) -> Vec<Response> {
        let mut statuses = BTreeSet::new();
        for (i, r) in def.responses.iter().enumerate() {
            let response_at = format!("{at}.responses[{i}]");
            if !(100..=599).contains(&r.status) {
                self.problems.push(
                    file.error_at(&format!("{response_at}.status"), format!("`{}` is not an HTTP status", r.status))
                        .item(item),
                );
            }
            if !statuses.insert(r.status) {
                self.problems.push(
                    file.error_at(&format!("{response_at}.status"), format!("response {} is listed twice", r.status))
                        .item(item),
                );
            }
            if let Some(schema) = &r.schema {
                self.schema_ref(file, &format!("{response_at}.schema"), item, schema);
            }
        }
        if !def.responses.iter().any(|r| (200..300).contains(&r.status)) {
            self.problems.push(
                file.error_at(&format!("{at}.responses"), "action has no success (2xx) response")
                    .item(item)
                    .hint("add the response the API sends when the action succeeds"),
            );
        }
        def.responses
            .iter()
            .map(|r| Response { status: r.status, schema: r.schema.clone(), description: r.description.clone() })
            .collect()
    }

    fn param<T>(&mut self, file: &Sourced<T>, at: &str, item: &str, def: &ParamDef, origin: Origin) -> Param {
        if def.name.is_empty() || def.name.contains(|c: char| c.is_whitespace() || c.is_control()) {
            self.problems.push(
                file.error_at(&format!("{at}.name"), format!("`{}` is not a valid param name", def.name)).item(item),
            );
        }
        match (&def.ty, &def.schema) {
            (None, None) => self.problems.push(
                file.error_at(at, "param has neither `type` nor `schema`")
                    .item(item)
                    .hint("add `type: string` or `schema: <name>`"),
            ),
            // A schema says what the value is; `type` may add only that it is an object or array.
            (Some(ParamType::Object | ParamType::Array), Some(_)) => {}
            (Some(_), Some(_)) => self.problems.push(
                file.error_at(&format!("{at}.schema"), "a scalar param cannot have a schema")
                    .item(item)
                    .hint("keep one of `type` and `schema`"),
            ),
            _ => {}
        }
        if let Some(schema) = &def.schema {
            self.schema_ref(file, &format!("{at}.schema"), item, schema);
        }
        match def.location {
            Location::Path => {
                if !def.required {
                    self.problems.push(
                        file.error_at(at, "a path param must be required").item(item).hint("add `required: true`"),
                    );
                }
                if !matches!(def.ty, Some(ParamType::String | ParamType::Integer | ParamType::Number)) {
                    self.problems.push(file.error_at(at, "a path param must be a string or a number").item(item));
                }
            }
            Location::Body => {
                if matches!(
                    def.ty,
                    Some(
                        ParamType::String
                            | ParamType::Boolean
                            | ParamType::Integer
                            | ParamType::Number
                            | ParamType::File
                    )
                ) {
                    self.problems.push(
                        file.error_at(&format!("{at}.type"), "a body param must be an object or an array").item(item),
                    );
                }
            }
            Location::Query | Location::Header => {
                if def.ty == Some(ParamType::File) {
                    self.problems
                        .push(file.error_at(&format!("{at}.type"), "only multipart params can be files").item(item));
                }
            }
            Location::Multipart => {}
        }
        if let Some(pattern) = &def.pattern {
            self.pattern(file, &format!("{at}.pattern"), item, pattern);
        }
        if def.deprecated {
            self.note(file.error_at(at, format!("param `{}` is deprecated", def.name)).item(item));
        }
        let text = def.ty == Some(ParamType::String) && def.allowed.is_none();
        match def.sensitive {
            Some(true) if !text => self.problems.push(
                file.error_at(&format!("{at}.sensitive"), "only a text param (`type: string`, no `enum`) can be sensitive")
                    .item(item),
            ),
            None if text && crate::validate::sensitive::is_sensitive_name(&def.name) => self.warn(
                file.error_at(at, format!("param `{}` is named like a credential but not marked", def.name))
                    .item(item)
                    .hint("`codegen import` marks it `sensitive: true`; an override of `x-sensitive: false` says it is not one"),
            ),
            _ => {}
        }
        let described = def.description.as_deref().and_then(crate::validate::response_modes::rule_field);
        match &def.reshapes {
            Some(Reshapes::Flag(true)) => self.problems.push(
                file.error_at(&format!("{at}.reshapes"), "`reshapes` names the response field, or is `false`")
                    .item(item)
                    .hint(described.map_or_else(
                        || "e.g. `reshapes: tags`".to_string(),
                        |field| format!("`reshapes: {field}`, as its description says"),
                    )),
            ),
            Some(Reshapes::Field(_)) if origin != Origin::Action => self.problems.push(
                file.error_at(&format!("{at}.reshapes"), "only an action's own param can reshape its response")
                    .item(item),
            ),
            None if origin == Origin::Action => {
                if let Some(field) = described {
                    self.warn(
                        file.error_at(at, format!("param `{}` says it returns `{field}` as an object map, but is not marked", def.name))
                            .item(item)
                            .hint(format!("`codegen import` marks it `reshapes: {field}` (then `{field}` decodes from either form); an override of `x-reshapes: false` says it does not")),
                    );
                }
            }
            _ => {}
        }
        let (rust_name, field_name) = names::param_names(&def.name);
        Param {
            name: def.name.clone(),
            location: def.location,
            required: def.required,
            ty: def.ty,
            schema: def.schema.clone(),
            description: def.description.clone(),
            default: def.default.clone(),
            example: def.example.clone(),
            allowed: def.allowed.clone(),
            pattern: def.pattern.clone(),
            deprecated: def.deprecated,
            sensitive: def.sensitive == Some(true),
            reshapes: def
                .reshapes
                .as_ref()
                .and_then(Reshapes::field)
                .map(|field| Reshape { field: field.to_string(), site: file.site(&format!("{at}.reshapes"), item) }),
            origin,
            rust_name,
            field_name,
            action: String::new(),
        }
    }

    /// Wire names and Rust names of params must both be unique. Each param
    /// comes with the spec path it is reported at; of two clashing params the
    /// later is reported.
    fn unique_params<T>(&mut self, file: &Sourced<T>, params: &[(&Param, String)], item: &str) {
        let mut wire: BTreeMap<(String, bool), usize> = BTreeMap::new();
        let mut rust: BTreeMap<&str, usize> = BTreeMap::new();
        // Global params are fields of `CommonParams`, the others of the builder.
        let mut fields: BTreeMap<(bool, &str), usize> = BTreeMap::new();
        for (i, (p, at)) in params.iter().enumerate() {
            // Headers are case-insensitive on the wire.
            let header = p.location == Location::Header;
            let key = if header { (p.name.to_ascii_lowercase(), true) } else { (p.name.clone(), false) };
            let param_item = format!("{item}.params.{}", p.name);
            if wire.insert(key, i).is_some() {
                let message = format!("param `{}` is declared twice", p.name);
                self.problems.push(file.error_at(at, message).item(param_item));
            } else if let Some(first) = rust.insert(&p.rust_name, i) {
                let message =
                    format!("params `{}` and `{}` both become `{}` in Rust", params[first].0.name, p.name, p.rust_name);
                self.problems.push(file.error_at(at, message).item(param_item));
            } else if let Some(first) = fields.insert((p.origin == Origin::Global, &p.field_name), i) {
                let message = format!(
                    "params `{}` and `{}` both become the field `{}` of the request builder",
                    params[first].0.name, p.name, p.field_name
                );
                self.problems.push(file.error_at(at, message).item(param_item).hint(format!(
                    "a param named {:?} gets `_param` on its field: rename the other",
                    names::BUILDER_FIELDS
                )));
            }
        }
    }

    /// `{name}` placeholders must be well formed; the template must start with `/`.
    fn path_template<T>(&mut self, file: &Sourced<T>, at: &str, item: &str, path: &str) {
        if !path.starts_with('/') {
            self.problems.push(file.error_at(at, format!("path `{path}` does not start with `/`")).item(item));
        }
        if placeholders(path).is_none() {
            self.problems.push(file.error_at(at, format!("path `{path}` has an unbalanced `{{` or `}}`")).item(item));
        }
    }

    /// Every `{x}` in `path` is declared as a path param in `params`, and every
    /// path param there appears in `path`.
    fn path_params_agree<T>(&mut self, file: &Sourced<T>, at: &str, item: &str, path: &str, params: &[Param]) {
        let used = placeholders(path).unwrap_or_default();
        let path_at = if at.is_empty() { "path".to_string() } else { format!("{at}.path") };
        for name in &used {
            if !params.iter().any(|p| p.location == Location::Path && p.name == *name) {
                self.problems.push(
                    file.error_at(&path_at, format!("path param `{{{name}}}` is not declared"))
                        .item(item)
                        .hint(format!("add a param `{name}` with `in: path` and `required: true`")),
                );
            }
        }
        for (i, p) in params.iter().enumerate() {
            if p.location == Location::Path && !used.contains(&p.name) {
                let param_at = if at.is_empty() { format!("params[{i}]") } else { format!("{at}.params[{i}]") };
                self.problems.push(
                    file.error_at(&param_at, format!("path param `{}` does not appear in the path `{path}`", p.name))
                        .item(format!("{item}.params.{}", p.name)),
                );
            }
        }
    }

    fn schema_ref<T>(&mut self, file: &Sourced<T>, at: &str, item: &str, schema: &str) {
        self.used_schemas.insert(schema.to_string());
        if !self.schema_names.contains(schema) {
            let hint = closest(schema, &self.schema_names)
                .map(|c| format!("did you mean `{c}`?"))
                .unwrap_or_else(|| format!("add schemas/{}.yaml", shown(schema)));
            self.problems.push(file.error_at(at, format!("unknown schema `{}`", shown(schema))).item(item).hint(hint));
        }
    }

    fn spec_name<T>(&mut self, file: &Sourced<T>, at: &str, item: &str, what: &str, name: &str) {
        if !names::is_spec_name(name) {
            self.problems.push(
                file.error_at(at, format!("{what} name `{name}` is not a camelCase name"))
                    .item(item)
                    .hint("use ASCII letters and digits, starting with a letter"),
            );
        }
    }

    /// A schema file must hold an object schema, with a usable file name.
    fn schema_file(&mut self, s: &Sourced<crate::load::SchemaFile>) {
        let item = format!("schemas.{}", s.value.name);
        if !names::is_spec_name(&s.value.name) {
            self.problems.push(
                s.error_at("", format!("schema name `{}` (the file name) is not a camelCase name", s.value.name))
                    .item(&item),
            );
        }
        if !s.value.schema.is_object() {
            self.problems.push(s.error_at("", "a schema file must hold a JSON Schema object").item(&item));
            return;
        }
        self.schema_node(s, "", &item, &s.value.schema);
    }

    /// Checks the keywords codegen relies on, recursively.
    fn schema_node(&mut self, s: &Sourced<crate::load::SchemaFile>, at: &str, item: &str, node: &Value) {
        let Some(object) = node.as_object() else {
            self.problems.push(s.error_at(at, "expected a schema (a mapping)").item(item));
            return;
        };
        let join = |key: &str| {
            if at.is_empty() {
                key.to_string()
            } else {
                format!("{at}.{key}")
            }
        };
        if let Some(reference) = object.get("$ref") {
            self.ref_target(s, at, item, reference);
        }
        if let Some(ty) = object.get("type") {
            let types: Vec<&Value> = match ty {
                Value::Array(list) => list.iter().collect(),
                other => vec![other],
            };
            for t in types {
                let known = matches!(
                    t.as_str(),
                    Some("string" | "number" | "integer" | "boolean" | "object" | "array" | "null")
                );
                if !known {
                    self.problems.push(
                        s.error_at(&join("type"), format!("unknown schema type {t}"))
                            .item(item)
                            .hint("use string, number, integer, boolean, object, array or null"),
                    );
                }
            }
        }
        for key in ["properties", "patternProperties", "definitions"] {
            if let Some(children) = object.get(key) {
                match children.as_object() {
                    Some(children) => {
                        for (name, child) in children {
                            let at = format!("{}.{name}", join(key));
                            if key == "properties" {
                                self.sensitive_mark(s, &at, item, name, child);
                            }
                            self.schema_node(s, &at, item, child);
                        }
                    }
                    None => self.problems.push(s.error_at(&join(key), format!("`{key}` must be a mapping")).item(item)),
                }
            }
        }
        for key in [
            "items",
            "additionalProperties",
            "not",
            "additionalItems",
            "contains",
            "propertyNames",
            "if",
            "then",
            "else",
        ] {
            if let Some(child) = object.get(key) {
                if !child.is_boolean() {
                    self.schema_node(s, &join(key), item, child);
                }
            }
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            if let Some(children) = object.get(key) {
                match children.as_array() {
                    Some(children) => {
                        for (i, child) in children.iter().enumerate() {
                            self.schema_node(s, &format!("{}[{i}]", join(key)), item, child);
                        }
                    }
                    None => self.problems.push(s.error_at(&join(key), format!("`{key}` must be a list")).item(item)),
                }
            }
        }
        // Without `properties`, `required` constrains the enclosing object's
        // properties (the `oneOf: [{required: [a]}, ...]` idiom): only checked here.
        if let (Some(Value::Array(required)), Some(Value::Object(properties))) =
            (object.get("required"), object.get("properties"))
        {
            for (i, name) in required.iter().enumerate() {
                let declared = name.as_str().is_some_and(|n| properties.contains_key(n));
                if !declared {
                    self.warn(
                        s.error_at(
                            &format!("{}[{i}]", join("required")),
                            format!("required property {name} is not declared"),
                        )
                        .item(item),
                    );
                }
            }
        }
    }

    /// `x-sensitive` is a boolean on text, and a property named like a
    /// credential says whether it is one ([`crate::validate::sensitive`]).
    fn sensitive_mark(&mut self, s: &Sourced<crate::load::SchemaFile>, at: &str, item: &str, name: &str, node: &Value) {
        let keyword = crate::validate::sensitive::KEYWORD;
        match node.get(keyword) {
            Some(Value::Bool(true)) if !crate::validate::sensitive::is_text(node) => self.problems.push(
                s.error_at(&format!("{at}.{keyword}"), format!("`{keyword}` marks text: `{name}` is not `type: string` (without `enum`)"))
                    .item(item),
            ),
            Some(Value::Bool(_)) => {}
            Some(other) => self.problems.push(
                s.error_at(&format!("{at}.{keyword}"), format!("`{keyword}` must be true or false, not {other}")).item(item),
            ),
            None if crate::validate::sensitive::rule_marks(name, node) => self.warn(
                s.error_at(at, format!("property `{name}` is named like a credential but not marked `{keyword}`"))
                    .item(item)
                    .hint("`codegen import` marks it `x-sensitive: true`; an override of `x-sensitive: false` says it is not one"),
            ),
            None => {}
        }
    }

    /// A `$ref` names another schema of the spec as `#/definitions/<name>`
    /// (how upstream writes them); one that names nothing would silently be
    /// `serde_json::Value`.
    fn ref_target(&mut self, s: &Sourced<crate::load::SchemaFile>, at: &str, item: &str, reference: &Value) {
        let ref_at = if at.is_empty() { "$ref".to_string() } else { format!("{at}.$ref") };
        let place = if at.is_empty() { item.to_string() } else { format!("{item}.{at}") };
        let Some(text) = reference.as_str() else {
            self.problems.push(
                s.error_at(&ref_at, format!("`$ref` must be a string, not {}", shown(&reference.to_string())))
                    .item(place),
            );
            return;
        };
        let Some(name) = text.strip_prefix("#/definitions/") else {
            self.problems.push(
                s.error_at(&ref_at, format!("`$ref` `{}` does not name a schema", shown(text)))
                    .item(place)
                    .hint("write refs to the spec's schemas as `#/definitions/<name>`"),
            );
            return;
        };
        if !self.schema_names.contains(name) {
            let hint = closest(name, &self.schema_names)
                .map(|c| format!("did you mean `#/definitions/{c}`?"))
                .unwrap_or_else(|| format!("add schemas/{}.yaml", shown(name)));
            self.problems.push(
                s.error_at(&ref_at, format!("`$ref` to unknown schema `{}`", shown(name))).item(place).hint(hint),
            );
        }
    }

    /// A global param's default is written into every request as a Rust
    /// value of the param's type, so it must be one.
    fn global_default<T>(&mut self, file: &Sourced<T>, at: &str, item: &str, def: &ParamDef) {
        let Some(default) = &def.default else { return };
        let (fits, what) = match def.ty {
            Some(ParamType::Boolean) => (default.is_boolean(), "a boolean"),
            Some(ParamType::Integer) => (default.is_i64(), "an integer"),
            Some(ParamType::Number) => (default.is_number(), "a number"),
            _ => (default.is_string(), "a string"),
        };
        if !fits && !default.is_null() {
            self.problems.push(
                file.error_at(
                    &format!("{at}.default"),
                    format!("the default {} is not {what}", shown(&default.to_string())),
                )
                .item(item)
                .hint(format!("a global param's default is sent with every request: write it as {what}")),
            );
        }
    }

    /// Each event of a stream is a variant of its event enum, beside `Other`
    /// (the events the spec does not list): names must stay apart in Rust.
    fn event_name(
        &mut self,
        file: &Sourced<ResourceFile>,
        at: &str,
        item: &str,
        name: &str,
        variants: &mut BTreeMap<String, String>,
    ) {
        let variant = names::pascal(name);
        let at = format!("{at}.name");
        let problem = match variants.get(&variant) {
            Some(first) if first == name => Some(format!("event `{}` is listed twice", shown(name))),
            Some(first) => Some(format!(
                "events `{}` and `{}` both become the variant `{}`",
                shown(first),
                shown(name),
                shown(&variant)
            )),
            None if variant == "Other" => Some(format!(
                "event `{}` would be the variant `Other`, which holds the events the spec does not list",
                shown(name)
            )),
            None => None,
        };
        match problem {
            Some(message) => self.problems.push(file.error_at(&at, message).item(item)),
            None => {
                variants.insert(variant, name.to_string());
            }
        }
    }

    /// A param's pattern is what the client checks its values with
    /// (`regex-lite`): one that does not compile there would accept anything.
    fn pattern<T>(&mut self, file: &Sourced<T>, at: &str, item: &str, pattern: &str) {
        let problem = self
            .patterns
            .entry(pattern.to_string())
            .or_insert_with(|| regex_lite::Regex::new(pattern).err().map(|e| e.to_string().replace('\n', " ")))
            .clone();
        if let Some(problem) = problem {
            self.problems.push(
                file.error_at(at, format!("pattern `{}` does not compile: {}", shown(pattern), shown(&problem)))
                    .item(item)
                    .hint("the client checks values with regex-lite: no lookaround, no backreferences"),
            );
        }
    }

    fn unused_schemas(&mut self, raw: &RawSpec) {
        for s in &raw.schemas {
            if !self.used_schemas.contains(&s.value.name) {
                self.note(
                    s.error_at("", format!("schema `{}` is not used by any action", s.value.name))
                        .item(format!("schemas.{}", s.value.name)),
                );
            }
        }
    }

    fn warn(&mut self, diagnostic: Diagnostic) {
        self.problems.push(Diagnostic { severity: Severity::Warning, ..diagnostic });
    }

    /// Upstream facts that need no action: see [`Severity::Note`].
    fn note(&mut self, diagnostic: Diagnostic) {
        self.problems.push(Diagnostic { severity: Severity::Note, ..diagnostic });
    }
}

/// The `{name}` placeholders of a path template, or `None` if braces do not balance.
pub fn placeholders(path: &str) -> Option<Vec<String>> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find(['{', '}']) {
        if rest.as_bytes()[open] == b'}' {
            return None;
        }
        let after = &rest[open + 1..];
        let close = after.find('}')?;
        let name = &after[..close];
        if name.is_empty() || name.contains('{') {
            return None;
        }
        names.push(name.to_string());
        rest = &after[close + 1..];
    }
    Some(names)
}

/// `inviteMember` → `Invite Member`.
fn title_case(name: &str) -> String {
    use heck::ToTitleCase;
    name.to_title_case()
}

/// The longest name a "did you mean" is looked for: a longer one is no typo,
/// and comparing it with every schema name would take time for nothing.
const SUGGEST_UP_TO: usize = 100;

/// The known name closest to `name`, if one is close enough to be a typo.
/// Names whose lengths alone differ by more than the allowed distance are
/// not compared, and a comparison stops once it passes that distance.
fn closest<'a>(name: &str, known: &'a BTreeSet<String>) -> Option<&'a str> {
    if name.len() > SUGGEST_UP_TO {
        return None;
    }
    let limit = 2.max(name.len() / 4);
    let name: Vec<char> = name.to_lowercase().chars().collect();
    known
        .iter()
        .filter(|k| k.len() <= SUGGEST_UP_TO * 2)
        .filter_map(|k| {
            let k_chars: Vec<char> = k.to_lowercase().chars().collect();
            edit_distance_within(&name, &k_chars, limit).map(|d| (d, k))
        })
        .min()
        .map(|(_, k)| k.as_str())
}

/// The edit distance of `a` and `b` if it is at most `limit`.
fn edit_distance_within(a: &[char], b: &[char], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == cb { previous } else { 1 + previous.min(row[j]).min(current) };
            previous = current;
        }
        // Every later row is at least this row's minimum.
        if row.iter().min().is_some_and(|&m| m > limit) {
            return None;
        }
    }
    Some(row[b.len()]).filter(|&d| d <= limit)
}

/// Text for a message: at most 80 characters of it, so a name of megabytes
/// is reported, not printed.
/// `a`, `b` and `c` as "`a`, `b`, `c`".
pub(crate) fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    const SHOWN: usize = 80;
    match text.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{}...", &text[..cut]).into(),
        None => text.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_balance() {
        assert_eq!(placeholders("/orgs/{orgId}/x/{y}"), Some(vec!["orgId".into(), "y".into()]));
        assert_eq!(placeholders("/orgs"), Some(vec![]));
        assert_eq!(placeholders("/orgs/{orgId"), None);
        assert_eq!(placeholders("/orgs/orgId}"), None);
        assert_eq!(placeholders("/orgs/{}"), None);
    }

    #[test]
    fn closest_finds_typos() {
        let known: BTreeSet<String> = ["orgPatch".to_string(), "org".to_string()].into();
        assert_eq!(closest("orgPach", &known), Some("orgPatch"));
        assert_eq!(closest("OrgPatch", &known), Some("orgPatch"));
        assert_eq!(closest("orgs", &known), Some("org"));
        assert_eq!(closest("device", &known), None);
        assert_eq!(closest(&"orgPatch".repeat(20), &known), None);
    }

    #[test]
    fn edit_distance_stops_past_the_limit() {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(edit_distance_within(&chars("kitten"), &chars("sitting"), 3), Some(3));
        assert_eq!(edit_distance_within(&chars("kitten"), &chars("sitting"), 2), None);
        assert_eq!(edit_distance_within(&chars("a"), &chars("abcdef"), 2), None);
    }

    #[test]
    fn shown_text_is_cut_at_80_characters() {
        assert_eq!(shown("short"), "short");
        let long = "é".repeat(100);
        assert_eq!(shown(&long).chars().count(), 83);
    }
}
