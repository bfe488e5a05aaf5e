//! The surface `codegen diff` compares is the code the generator writes:
//! for the bundled spec, every type, field, derive, `#[non_exhaustive]`,
//! handle method, setter, `send()` and `.pages()` the surface lists is found,
//! spelled the same, in the generated source. (The surface is read off the
//! model, never parsed from code; this test is what keeps the two in step.)

mod common;

use std::collections::BTreeMap;

use codegen::maintainer::surface::{Presence, Shape, Surface};
use common::bundled_spec;

/// Text with the whitespace, the trailing commas of wrapped argument lists
/// and the client's module paths removed, as `surface::spell` writes types.
fn squeeze(text: &str) -> String {
    let mut text: String =
        text.chars().filter(|c| !c.is_whitespace()).collect::<String>().replace(",)", ")").replace(",>", ">");
    for prefix in ["crate::params::", "crate::", "types::", "params::", "std::collections::"] {
        text = text.replace(prefix, "");
    }
    text
}

/// The items of a generated file by name: (the attributes and docs above
/// it, its body), for `pub struct`, `pub enum` and `pub type` at the top level.
fn items(code: &str) -> BTreeMap<String, (String, String, &'static str)> {
    let lines: Vec<&str> = code.lines().collect();
    let mut out = BTreeMap::new();
    for (i, line) in lines.iter().enumerate() {
        let Some((kind, rest)) = ["pub struct ", "pub enum ", "pub type "]
            .iter()
            .find_map(|k| line.strip_prefix(k).map(|rest| (k.trim(), rest)))
        else {
            continue;
        };
        let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        // Back to the end of the item before (prettyplease leaves no blank line after some).
        let start = lines[..i].iter().rposition(|l| l.is_empty() || *l == "}" || l.ends_with(';')).map_or(0, |p| p + 1);
        let attrs = lines[start..i].join("\n");
        let body = if kind == "pub type" {
            let end = lines[i..].iter().position(|l| l.ends_with(';')).map_or(lines.len(), |p| i + p + 1);
            lines[i..end].join("\n")
        } else {
            let end = lines[i..].iter().position(|l| *l == "}").map_or(lines.len(), |p| i + p);
            lines[i + 1..end].join("\n")
        };
        let kind = match kind {
            "pub struct" => "struct",
            "pub enum" => "enum",
            _ => "type",
        };
        out.insert(name, (attrs, body, kind));
    }
    out
}

/// `name: Type` of each field of a struct body, docs and attributes left out.
fn fields(body: &str) -> BTreeMap<String, String> {
    let code: Vec<&str> =
        body.lines().map(str::trim).filter(|l| !l.starts_with("///") && !l.starts_with("#[")).collect();
    code.join(" ")
        .split("pub ")
        .filter_map(|field| field.split_once(':'))
        .map(|(name, ty)| (name.trim().to_string(), squeeze(ty.trim().trim_end_matches(','))))
        .collect()
}

/// The variant names of an enum body (the lines at its first indentation level).
fn variants(body: &str) -> Vec<String> {
    body.lines()
        .filter_map(|l| l.strip_prefix("    ").filter(|l| !l.starts_with(' ')))
        .filter(|l| !l.starts_with("///") && !l.starts_with("#[") && !l.is_empty())
        .map(|l| l.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>())
        .filter(|v| !v.is_empty())
        .collect()
}

#[test]
fn the_surface_is_what_emit_writes() {
    let spec = bundled_spec();
    let (api, space, _) = codegen::check_types(&spec).unwrap_or_else(|p| panic!("{p}"));
    let surface = Surface::of(&api, &space);
    let generated = codegen::generate(&spec).unwrap_or_else(|p| panic!("{p}"));
    let file = |name: &str| generated.files.iter().find(|f| f.name == name).map(|f| f.contents.clone()).unwrap();

    let types = file("types.rs");
    let emitted = items(&types);
    let squeezed = squeeze(&types);
    assert_eq!(emitted.len(), surface.types.len(), "one item per type");
    for (name, ty) in &surface.types {
        let (attrs, body, kind) = emitted.get(name).unwrap_or_else(|| panic!("no item `{name}` in types.rs"));
        let derive = attrs.split("#[derive(").nth(1).and_then(|d| d.split(")]").next()).unwrap_or_default();
        let has = |t: &str| derive.split(',').any(|d| d.trim() == t);
        let open = attrs.contains("#[non_exhaustive]");
        match &ty.shape {
            Shape::Struct(s) => {
                assert_eq!(*kind, "struct", "{name}");
                assert_eq!(open, s.non_exhaustive, "{name}: #[non_exhaustive]");
                assert_eq!(has("Default"), s.traits.contains("Default"), "{name}: Default");
                assert_eq!(has("Eq"), s.traits.contains("Eq"), "{name}: Eq");
                let found = fields(body);
                assert_eq!(found.len(), s.fields.len(), "{name}: fields {found:?}");
                for f in &s.fields {
                    let spelled = found.get(&f.rust).unwrap_or_else(|| panic!("{name}.{} not emitted", f.rust));
                    assert_eq!(spelled, &squeeze(&f.ty), "{name}.{}", f.rust);
                    if let Some(setter) = &f.setter {
                        let signature =
                            squeeze(&format!("pub fn {}(mut self, value: {}) -> Self", setter.name, setter.ty));
                        assert!(squeezed.contains(&signature), "{name}: no setter {signature}");
                    }
                    if f.presence == Presence::Nullable {
                        let clear = format!("pubfn{}(mutself)->Self", f.clear.as_deref().unwrap_or_default());
                        assert!(squeezed.contains(&clear), "{name}: no {clear}");
                    }
                }
                let args: Vec<String> = s.new_args.iter().map(|(n, t)| format!("{n}:{}", squeeze(t))).collect();
                let signature = format!("pubfnnew({})->Self", args.join(","));
                let block = squeezed.split(&format!("impl{name}{{")).nth(1).unwrap_or_default();
                let new = block.find("pubfnnew(").map_or("", |at| &block[at..]);
                assert!(new.starts_with(&signature), "{name}: new should be {signature}");
            }
            Shape::StringEnum { variants: values } => {
                assert_eq!((*kind, open), ("enum", true), "{name}");
                let mut expected: Vec<String> = values.iter().map(|(rust, _)| rust.clone()).collect();
                expected.push("Unknown".into());
                assert_eq!(variants(body), expected, "{name}");
            }
            Shape::Union { variants: held, non_exhaustive, traits } => {
                assert_eq!((*kind, open), ("enum", *non_exhaustive), "{name}");
                assert_eq!(has("Eq"), traits.contains("Eq"), "{name}: Eq");
                let mut found = variants(body);
                found.sort();
                let mut expected: Vec<String> = held.keys().cloned().collect();
                if *non_exhaustive {
                    expected.push("Unknown".into());
                }
                expected.sort();
                assert_eq!(found, expected, "{name}");
            }
            Shape::Alias { target } => {
                assert_eq!(*kind, "type", "{name}");
                assert!(squeeze(body).ends_with(&format!("={};", squeeze(target))), "{name}: {body}");
            }
        }
    }

    let params = items(&file("params.rs"));
    assert_eq!(params.len(), surface.params.len());
    for (name, ty) in &surface.params {
        let Shape::StringEnum { variants: values } = &ty.shape else { panic!("{name} is a string enum") };
        let (attrs, body, _) = &params[name];
        assert!(attrs.contains("#[non_exhaustive]"), "{name}");
        assert_eq!(variants(body).len(), values.len() + 1, "{name}");
    }

    // The global params' setters are written once, in the macro every
    // builder's `request_builder!` calls.
    let root = squeeze(&file("api.rs"));
    let common = root.split("macro_rules!common_param_setters{").nth(1).unwrap_or_default();
    for setter in surface.client.setters.values() {
        let signature = format!("pubfn{}(mutself,value:{})->Self", setter.name, squeeze(&setter.ty));
        assert!(common.contains(&signature), "common_param_setters: {signature}");
    }

    for resource in surface.resources.values() {
        let module = file(&format!("{}.rs", resource.module));
        let module_items = items(&module);
        let code = squeeze(&module);
        assert!(code.contains(&format!("pubstruct{}{{", resource.handle)), "{}", resource.module);
        for action in resource.actions.values() {
            let args: Vec<String> = action.args.iter().map(|a| format!("{}:{}", a.name, squeeze(&a.ty))).collect();
            let params: Vec<String> = ["&self".to_string()].into_iter().chain(args).collect();
            let call = format!("pubfn{}({})->{}{{", action.method, params.join(","), action.builder);
            assert!(code.contains(&call), "{}: {call}", action.id);
            let builder = code.split(&format!("impl{}{{", action.builder)).nth(1).unwrap_or_default();
            // Up to the next builder's shared methods.
            let builder = builder.split("builder::request_builder!(").next().unwrap_or_default();
            for setter in action.setters.values() {
                let signature = format!("pubfn{}(mutself,value:{})->Self", setter.name, squeeze(&setter.ty));
                assert!(builder.contains(&signature), "{}: {signature}", action.id);
            }
            let send = format!("pubasyncfnsend(self)->Result<{},Error>", squeeze(&action.output));
            assert!(builder.contains(&send), "{}: {send}", action.id);
            let pages = action.pages.as_ref().map(|item| format!("pubfnpages(self)->Pages<{}>", squeeze(item)));
            assert_eq!(builder.contains("pubfnpages(self)"), pages.is_some(), "{}", action.id);
            if let Some(pages) = pages {
                assert!(builder.contains(&pages), "{}: {pages}", action.id);
            }
            // `request_builder!` adds the shared methods; `-> stream` leaves out `send_blocking`.
            let shared = format!("builder::request_builder!({}->", action.builder);
            let invocation = code.split(&shared).nth(1).unwrap_or_else(|| panic!("{}: no {shared}", action.id));
            assert_eq!(!invocation.starts_with("stream"), action.blocking, "{}", action.id);
            if let Some(output) = &action.output_enum {
                let (attrs, body, _) = &module_items[&output.name];
                assert_eq!(attrs.contains("#[non_exhaustive]"), output.non_exhaustive, "{}", output.name);
                let mut found = variants(body);
                found.sort();
                assert_eq!(found, output.variants.keys().cloned().collect::<Vec<_>>(), "{}", output.name);
            }
        }
    }
}
