//! JSON Schema → Rust types.
//!
//! Conversion runs in two passes. The first walks every named schema and
//! records each object, string enum and `oneOf` it meets as a *shape*, keyed
//! by its Rust structure (field names, types, requiredness; enum values), so
//! structurally identical inline schemas become one type. The second pass
//! names the shapes: a shape takes the short name its first use suggests
//! (`applicationRoles[]` → `ApplicationRole`) when no other shape wants that
//! name, and is qualified by the name of the most general schema using it
//! otherwise. Names depend only
//! on schema names and content, never on file order.
//!
//! `$ref: "#/definitions/<name>"` names another schema of the spec (that is
//! how upstream writes refs). A schema reached again while it is being
//! converted is recursive; fields holding it directly are boxed.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Map, Value};

use crate::model::Schema;
use crate::names;

/// Index of a type in [`TypeSpace::types`].
pub type TypeId = usize;

/// The Rust type of a value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RustType {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i64`.
    Integer,
    /// `f64`.
    Number,
    /// `serde_json::Value`: the schema allows anything.
    Json,
    /// `serde_json::Map<String, Value>`: an object with no declared shape.
    JsonObject,
    /// `Vec<T>`.
    List(Box<RustType>),
    /// `BTreeMap<String, T>`: an object whose keys are data.
    Map(Box<RustType>),
    /// `Option<T>` where `null` is allowed (array items, map values).
    Nullable(Box<RustType>),
    /// A generated type.
    Named(TypeId),
}

/// A generated type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Its Rust name (set by the naming pass).
    pub name: String,
    /// What it is.
    pub kind: TypeKind,
    /// Description or title from the schema where it was first met.
    pub doc: Option<String>,
    /// Every schema path it serves, e.g. `org.members[].applicationRoles[]`.
    pub uses: Vec<String>,
    /// The named schema it is, if it is one.
    pub schema: Option<String>,
    naming: Naming,
}

/// The shapes a generated type can have.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// A struct with named fields.
    Struct(Vec<Field>),
    /// A string enum; unknown values are kept, not rejected.
    Enum(Vec<EnumValue>),
    /// One of several shapes, told apart by trying each in order.
    Union(Vec<Variant>),
    /// Another name for a type (a named schema that is an array, a map or a copy).
    Alias(RustType),
}

/// A struct field.
#[derive(Debug, Clone)]
pub struct Field {
    /// Name on the wire; empty for the flattened map of undeclared properties.
    pub wire: String,
    /// Rust field name.
    pub rust: String,
    /// Its type, without the `Option` of an optional field.
    pub ty: RustType,
    /// Whether the schema requires it (and it is not nullable).
    pub required: bool,
    /// Whether the schema allows `null` for it (in any of the places a
    /// deduplicated type serves): then it can be sent as `null`.
    pub nullable: bool,
    /// The map that collects properties beyond the declared ones.
    pub flatten: bool,
    /// Its description.
    pub doc: Option<String>,
}

/// A value of a string enum.
#[derive(Debug, Clone)]
pub struct EnumValue {
    /// The value on the wire.
    pub wire: String,
    /// The Rust variant name.
    pub rust: String,
}

/// A variant of a union.
#[derive(Debug, Clone)]
pub struct Variant {
    /// The Rust variant name (set by the naming pass for named types).
    pub name: String,
    /// The type it holds.
    pub ty: RustType,
    /// What it is, e.g. `date-time`.
    pub doc: Option<String>,
}

/// How the naming pass names a type.
#[derive(Debug, Clone)]
enum Naming {
    /// A named schema: its own name.
    Fixed,
    /// A shared type whose name says what it is, e.g. `NumberOrString`.
    Given(String),
    /// An inline shape: a short name from its first use, and the path of the
    /// type that contains it for qualifying that name.
    Inline { short: String, order: usize },
}

/// Every generated type, and the type of each named schema.
#[derive(Debug, Default)]
pub struct TypeSpace {
    /// The types, in the order they are emitted.
    pub types: Vec<TypeDef>,
    /// The Rust type of each named schema.
    pub schemas: BTreeMap<String, RustType>,
    /// Types that can contain themselves: a field holding one directly is boxed.
    pub recursive: BTreeSet<TypeId>,
    /// Schema paths whose type fell back to `serde_json::Value` although the
    /// schema says more: listed so they can be counted and improved.
    pub fallbacks: Vec<String>,
    /// Schema paths where the schema says nothing about the value (no type,
    /// or an object with no properties): `serde_json::Value` or a JSON map there.
    pub free_form: Vec<String>,
    sources: BTreeMap<String, Value>,
    /// Named schemas being converted, with the id reserved if one refers to itself.
    in_progress: BTreeMap<String, Option<TypeId>>,
    by_key: HashMap<String, TypeId>,
    /// Per inline type, one entry per use: the short name the place suggests.
    shorts: HashMap<TypeId, Vec<String>>,
    visited: usize,
}

/// Where in a schema the converter is.
#[derive(Clone)]
struct Site {
    /// Schema path, e.g. `org.members[]`.
    path: String,
    /// Spec-style short name the place suggests, e.g. `member`.
    short: String,
    /// Set at the root of a named schema: its name.
    root_of: Option<String>,
}

impl Site {
    fn property(&self, name: &str) -> Site {
        Site { path: format!("{}.{name}", self.path), short: name.to_string(), root_of: None }
    }

    fn item(&self) -> Site {
        let short = names::singular(&self.short).unwrap_or_else(|| format!("{}Item", self.short));
        Site { path: format!("{}[]", self.path), short, root_of: None }
    }

    fn value(&self) -> Site {
        Site { path: format!("{}{{}}", self.path), short: format!("{}Value", self.short), root_of: None }
    }

    fn branch(&self, index: usize, branch: &Value) -> Site {
        // A branch tagged by a one-value property (`type: {enum: [gauge]}`) is named after the tag.
        let short = match discriminator_value(branch) {
            Some(tag) => format!("{tag}_{}", self.short),
            None => format!("{}{}", self.short, index + 1),
        };
        Site { path: format!("{}|{index}", self.path), short, root_of: None }
    }
}

impl TypeSpace {
    /// Converts every named schema.
    pub fn build(schemas: &BTreeMap<String, Schema>) -> TypeSpace {
        let mut space = TypeSpace {
            sources: schemas.iter().map(|(name, s)| (name.clone(), s.json.clone())).collect(),
            ..TypeSpace::default()
        };
        for name in schemas.keys() {
            space.named_schema(name);
        }
        space.name_types();
        space
    }

    /// The type of a named schema.
    pub fn schema_type(&self, name: &str) -> Option<&RustType> {
        self.schemas.get(name)
    }

    /// The type of a named schema, converting it on first use. A named schema
    /// always gets a type of its own name: a struct, enum or union when it is
    /// one, an alias otherwise.
    fn named_schema(&mut self, name: &str) -> RustType {
        if let Some(ty) = self.schemas.get(name) {
            return ty.clone();
        }
        if let Some(reserved) = self.in_progress.get(name) {
            // A schema that refers to itself: hand out the id its type will have.
            let id = match reserved {
                Some(id) => *id,
                None => {
                    let id = self.push(TypeDef {
                        name: String::new(),
                        kind: TypeKind::Alias(RustType::Json),
                        doc: None,
                        uses: vec![name.to_string()],
                        schema: Some(name.to_string()),
                        naming: Naming::Fixed,
                    });
                    self.in_progress.insert(name.to_string(), Some(id));
                    id
                }
            };
            self.recursive.insert(id);
            return RustType::Named(id);
        }
        let Some(json) = self.sources.get(name).cloned() else {
            self.fallbacks.push(format!("$ref {name}"));
            return RustType::Json;
        };
        self.in_progress.insert(name.to_string(), None);
        let site = Site { path: name.to_string(), short: name.to_string(), root_of: Some(name.to_string()) };
        let ty = self.convert(&json, &site);
        let reserved = self.in_progress.remove(name).flatten();
        let doc = doc_of(&json);
        let ty = match (reserved, ty) {
            // The root shape was written into the reserved id (see `shape`).
            (Some(id), RustType::Named(got)) if got == id => RustType::Named(id),
            (Some(id), other) => {
                self.types[id].kind = TypeKind::Alias(other);
                self.types[id].doc = doc;
                RustType::Named(id)
            }
            (None, RustType::Named(id)) if self.types[id].schema.is_none() => {
                let def = &mut self.types[id];
                def.schema = Some(name.to_string());
                def.naming = Naming::Fixed;
                def.doc = doc.or(def.doc.take());
                RustType::Named(id)
            }
            (None, other) => {
                let id = self.push(TypeDef {
                    name: String::new(),
                    kind: TypeKind::Alias(other),
                    doc,
                    uses: vec![name.to_string()],
                    schema: Some(name.to_string()),
                    naming: Naming::Fixed,
                });
                RustType::Named(id)
            }
        };
        self.schemas.insert(name.to_string(), ty.clone());
        ty
    }

    fn convert(&mut self, schema: &Value, site: &Site) -> RustType {
        self.visited += 1;
        let order = self.visited;
        let Some(object) = schema.as_object() else {
            return RustType::Json;
        };

        if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
            let name = reference.rsplit('/').next().unwrap_or(reference);
            return self.named_schema(name);
        }
        if let Some(branches) = object.get("oneOf").or_else(|| object.get("anyOf")).and_then(Value::as_array) {
            return self.union(branches, schema, site, order);
        }
        if let Some(parts) = object.get("allOf").and_then(Value::as_array) {
            return match merge_all_of(parts) {
                Some(merged) => self.convert(&merged, site),
                None => {
                    self.fallbacks.push(site.path.clone());
                    RustType::Json
                }
            };
        }
        let types = schema_types(object);
        match types.as_slice() {
            [] if object.contains_key("properties")
                || object.contains_key("patternProperties")
                || object.get("additionalProperties").is_some_and(Value::is_object) =>
            {
                self.object(object, schema, site, order)
            }
            [] if object.contains_key("items") => self.list(object, site),
            [] => match enum_kind(object) {
                Some("string") => self.string_enum(object, schema, site, order),
                Some("integer") => RustType::Integer,
                Some("number") => RustType::Number,
                Some("boolean") => RustType::Bool,
                _ => {
                    self.free_form.push(site.path.clone());
                    RustType::Json
                }
            },
            ["string"] if string_enum(object).is_some() => self.string_enum(object, schema, site, order),
            ["string"] => RustType::String,
            ["integer"] => RustType::Integer,
            // `type: number` whose values are all whole numbers (`enum: [0, 1]`) is an integer.
            ["number"] if enum_kind(object) == Some("integer") => RustType::Integer,
            ["number"] => RustType::Number,
            ["boolean"] => RustType::Bool,
            ["object"] => self.object(object, schema, site, order),
            ["array"] => self.list(object, site),
            many if many.iter().all(|t| matches!(*t, "string" | "number" | "integer" | "boolean")) => {
                let variants = many.iter().map(|t| scalar_type(t)).collect();
                self.scalar_union(variants, site, order)
            }
            _ => {
                self.fallbacks.push(site.path.clone());
                RustType::Json
            }
        }
    }

    /// The type of a schema where `null` may stand for a value (items, map values).
    fn convert_nullable(&mut self, schema: &Value, site: &Site) -> RustType {
        let ty = self.convert(schema, site);
        if is_nullable(schema) && ty != RustType::Json {
            RustType::Nullable(Box::new(ty))
        } else {
            ty
        }
    }

    fn list(&mut self, object: &Map<String, Value>, site: &Site) -> RustType {
        match object.get("items") {
            Some(items) if items.is_object() => RustType::List(Box::new(self.convert_nullable(items, &site.item()))),
            _ => {
                self.free_form.push(format!("{}[]", site.path));
                RustType::List(Box::new(RustType::Json))
            }
        }
    }

    /// Declared properties become fields; a single `patternProperties` schema
    /// or an `additionalProperties` schema becomes a map (flattened into the
    /// struct when there are declared properties too).
    fn object(&mut self, object: &Map<String, Value>, schema: &Value, site: &Site, order: usize) -> RustType {
        let extra = object
            .get("patternProperties")
            .and_then(Value::as_object)
            .and_then(|patterns| if patterns.len() == 1 { patterns.values().next() } else { None })
            .or_else(|| object.get("additionalProperties").filter(|v| v.is_object()));
        let properties = object.get("properties").and_then(Value::as_object).filter(|p| !p.is_empty());
        let Some(properties) = properties else {
            return match extra {
                Some(values) => RustType::Map(Box::new(self.convert_nullable(values, &site.value()))),
                None => {
                    self.free_form.push(site.path.clone());
                    RustType::JsonObject
                }
            };
        };
        let required: Vec<&str> =
            object.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
        let mut fields: Vec<Field> = Vec::new();
        for (wire, property) in properties {
            let ty = self.convert(property, &site.property(wire));
            let rust = unique_field(&fields, names::snake(wire));
            fields.push(Field {
                wire: wire.clone(),
                rust,
                ty,
                required: required.contains(&wire.as_str()) && !is_nullable(property),
                nullable: is_nullable(property),
                flatten: false,
                doc: doc_of(property),
            });
        }
        if let Some(values) = extra {
            let ty = RustType::Map(Box::new(self.convert_nullable(values, &site.value())));
            let rust = unique_field(&fields, "extra".to_string());
            let doc = Some("Properties beyond the declared ones, by name.".to_string());
            fields.push(Field { wire: String::new(), rust, ty, required: true, nullable: false, flatten: true, doc });
        }
        self.shape(TypeKind::Struct(fields), schema, site, order)
    }

    fn string_enum(&mut self, object: &Map<String, Value>, schema: &Value, site: &Site, order: usize) -> RustType {
        let values = string_enum(object).unwrap_or_default();
        self.enum_of(&values, schema, site, order)
    }

    fn enum_of(&mut self, wires: &[&str], schema: &Value, site: &Site, order: usize) -> RustType {
        let mut values: Vec<EnumValue> = Vec::new();
        for wire in wires {
            if values.iter().any(|v| v.wire == *wire) {
                continue;
            }
            let base = names::pascal(wire);
            let mut rust = base.clone();
            let mut n = 2;
            while rust == "Unknown" || values.iter().any(|v| v.rust == rust) {
                rust = format!("{base}{n}");
                n += 1;
            }
            values.push(EnumValue { wire: wire.to_string(), rust });
        }
        self.shape(TypeKind::Enum(values), schema, site, order)
    }

    /// `oneOf`/`anyOf`. `null` branches make the value nullable (the caller
    /// sees it through [`is_nullable`]); branches that are all text become one
    /// string type; identical branches merge.
    fn union(&mut self, branches: &[Value], schema: &Value, site: &Site, order: usize) -> RustType {
        // `oneOf: [oneOf: [a, b], c]` is `oneOf: [a, b, c]`.
        let flat = flatten_branches(branches);
        let live: Vec<(usize, &Value)> = flat.into_iter().enumerate().filter(|(_, b)| !is_null_schema(b)).collect();
        if let [(_, only)] = live.as_slice() {
            return self.convert(only, site);
        }
        if live.is_empty() {
            return RustType::Json;
        }
        // Text branches (plain or enums): any string if one is plain, else all the values.
        let text: Vec<Option<Vec<&str>>> = live
            .iter()
            .filter_map(|(_, b)| b.as_object())
            .filter(|o| schema_types(o) == ["string"])
            .map(string_enum)
            .collect();
        if text.len() == live.len() {
            if text.iter().any(Option::is_none) {
                return RustType::String;
            }
            let values: Vec<&str> = text.into_iter().flatten().flatten().collect();
            return self.enum_of(&values, schema, site, order);
        }
        let mut variants: Vec<Variant> = Vec::new();
        for (i, branch) in live {
            let ty = self.convert(branch, &site.branch(i, branch));
            if variants.iter().any(|v| v.ty == ty) {
                continue;
            }
            let format = branch.get("format").and_then(Value::as_str);
            let name = match (&ty, format) {
                (RustType::String, Some(format)) => names::pascal(format),
                (RustType::Named(_), _) => String::new(), // named after its type, once types have names
                (ty, _) => basic_variant_name(ty).to_string(),
            };
            variants.push(Variant { name, ty, doc: format.map(str::to_string) });
        }
        if let [only] = variants.as_slice() {
            return only.ty.clone();
        }
        if variants.iter().all(|v| is_scalar(&v.ty) && v.doc.is_none()) {
            return self.scalar_union(variants.into_iter().map(|v| v.ty).collect(), site, order);
        }
        // Untagged unions try variants in order: the most demanding first.
        variants.sort_by_key(|v| std::cmp::Reverse(self.required_fields(&v.ty)));
        self.shape(TypeKind::Union(variants), schema, site, order)
    }

    /// A union of scalars, shared everywhere under a name that says what it holds.
    fn scalar_union(&mut self, mut types: Vec<RustType>, site: &Site, order: usize) -> RustType {
        types.sort_by_key(|t| match t {
            RustType::String => 0,
            RustType::Integer => 1,
            RustType::Number => 2,
            _ => 3,
        });
        types.dedup();
        let variants: Vec<Variant> =
            types.into_iter().map(|ty| Variant { name: basic_variant_name(&ty).to_string(), ty, doc: None }).collect();
        let names: Vec<&str> = variants.iter().map(|v| v.name.as_str()).collect();
        let given = if names == ["String", "Number", "Bool"] { "Scalar".to_string() } else { names.join("Or") };
        let id = match self.shape(TypeKind::Union(variants), &Value::Null, site, order) {
            RustType::Named(id) => id,
            other => return other,
        };
        self.types[id].naming = Naming::Given(given);
        RustType::Named(id)
    }

    fn required_fields(&self, ty: &RustType) -> usize {
        match ty {
            RustType::Named(id) => match &self.types[*id].kind {
                TypeKind::Struct(fields) => fields.iter().filter(|f| f.required && !f.flatten).count(),
                _ => 0,
            },
            _ => 0,
        }
    }

    /// Records a shape, or adds a use to the identical one already recorded.
    fn shape(&mut self, kind: TypeKind, schema: &Value, site: &Site, order: usize) -> RustType {
        let key = self.key_of(&kind);
        // The root of a named schema that refers to itself fills its reserved id.
        if let Some(Some(id)) = site.root_of.as_ref().and_then(|name| self.in_progress.get(name)).copied() {
            self.types[id].kind = kind;
            self.by_key.entry(key).or_insert(id);
            return RustType::Named(id);
        }
        if let Some(&id) = self.by_key.get(&key) {
            merge_nullable(&mut self.types[id].kind, &kind);
            self.types[id].uses.push(site.path.clone());
            self.shorts.entry(id).or_default().push(site.short.clone());
            return RustType::Named(id);
        }
        let id = self.push(TypeDef {
            name: String::new(),
            kind,
            doc: doc_of(schema),
            uses: vec![site.path.clone()],
            schema: None,
            naming: Naming::Inline { short: site.short.clone(), order },
        });
        self.by_key.insert(key, id);
        self.shorts.entry(id).or_default().push(site.short.clone());
        RustType::Named(id)
    }

    fn push(&mut self, def: TypeDef) -> TypeId {
        let id = self.types.len();
        self.types.push(def);
        id
    }

    /// The structural identity of a shape: what makes two Rust types the same.
    fn key_of(&self, kind: &TypeKind) -> String {
        match kind {
            TypeKind::Struct(fields) => {
                let fields: Vec<String> = fields
                    .iter()
                    .map(|f| {
                        let mark = if f.flatten {
                            "*"
                        } else if f.required {
                            "!"
                        } else {
                            "?"
                        };
                        format!("{}{mark}{}", f.wire, type_key(&f.ty))
                    })
                    .collect();
                format!("struct{{{}}}", fields.join(","))
            }
            TypeKind::Enum(values) => {
                let values: Vec<&str> = values.iter().map(|v| v.wire.as_str()).collect();
                format!("enum{values:?}")
            }
            TypeKind::Union(variants) => {
                let variants: Vec<String> =
                    variants.iter().map(|v| format!("{}:{}", v.name, type_key(&v.ty))).collect();
                format!("union[{}]", variants.join(","))
            }
            TypeKind::Alias(ty) => format!("alias({})", type_key(ty)),
        }
    }

    /// The naming pass: named schemas keep their names, shared scalar unions
    /// take theirs; inline shapes take a short name when it is theirs alone,
    /// else the most general using schema's name + short.
    fn name_types(&mut self) {
        let mut taken: HashMap<String, TypeId> = HashMap::new();
        for (id, def) in self.types.iter_mut().enumerate() {
            match (&def.naming, &def.schema) {
                (Naming::Fixed, Some(schema)) => def.name = names::type_name(schema),
                (Naming::Given(name), _) => def.name = name.clone(),
                _ => continue,
            }
            taken.insert(def.name.clone(), id);
        }
        // Each inline type's short name is the one most of its uses suggest
        // (an enum used as `role` in ten places and `defaultRole` in one is a `Role`).
        let shorts: HashMap<TypeId, String> = self
            .types
            .iter()
            .enumerate()
            .filter_map(|(id, def)| match &def.naming {
                Naming::Inline { short, .. } => Some((id, self.common_short(id).unwrap_or_else(|| short.clone()))),
                _ => None,
            })
            .collect();
        let mut wanted: HashMap<String, usize> = HashMap::new();
        for short in shorts.values() {
            *wanted.entry(names::type_name(short)).or_default() += 1;
        }
        let mut inline: Vec<(usize, TypeId)> = self
            .types
            .iter()
            .enumerate()
            .filter_map(|(id, def)| match def.naming {
                Naming::Inline { order, .. } => Some((order, id)),
                _ => None,
            })
            .collect();
        inline.sort();
        for (_, id) in inline {
            let short_spec = shorts.get(&id).cloned().unwrap_or_default();
            let short = names::type_name(&short_spec);
            // Qualify by the schema the shape is used in whose name is shortest
            // (the most general one): a shape shared by `org`, `orgs` and
            // `historicalSummary` becomes `OrgLimits`.
            let parent_name = self.types[id]
                .uses
                .iter()
                .map(|path| path.split(['.', '[', '|', '{']).next().unwrap_or(path))
                .min_by_key(|root| (root.len(), *root))
                .map(names::type_name)
                .unwrap_or_default();
            let alone = wanted.get(&short).copied().unwrap_or_default() == 1;
            let mut name =
                if alone && !taken.contains_key(&short) { short.clone() } else { format!("{parent_name}{short}") };
            let base = name.clone();
            let mut n = 2;
            while taken.contains_key(&name) {
                name = format!("{base}{n}");
                n += 1;
            }
            taken.insert(name.clone(), id);
            self.types[id].name = name;
        }
        // Union variants holding generated types are named after them.
        let type_names: Vec<String> = self.types.iter().map(|t| t.name.clone()).collect();
        for def in &mut self.types {
            if let TypeKind::Union(variants) = &mut def.kind {
                let mut used: Vec<String> = Vec::new();
                for variant in variants.iter_mut() {
                    if let RustType::Named(id) = variant.ty {
                        variant.name = type_names[id].clone();
                    }
                    let base = variant.name.clone();
                    let mut n = 2;
                    while used.contains(&variant.name) {
                        variant.name = format!("{base}{n}");
                        n += 1;
                    }
                    used.push(variant.name.clone());
                }
            }
        }
    }

    /// The short name most uses of a type suggest; the earliest wins a tie.
    fn common_short(&self, id: TypeId) -> Option<String> {
        let sites = self.shorts.get(&id)?;
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for short in sites {
            match counts.iter_mut().find(|(s, _)| s == short) {
                Some((_, n)) => *n += 1,
                None => counts.push((short, 1)),
            }
        }
        let best = counts.iter().map(|(_, n)| *n).max()?;
        counts.into_iter().find(|(_, n)| *n == best).map(|(s, _)| s.to_string())
    }

    /// `type name → schema paths it serves`, one line per type, sorted by name:
    /// the registry snapshot that makes renames visible in review.
    pub fn registry(&self) -> String {
        let mut lines: Vec<String> =
            self.types.iter().map(|t| format!("{} <- {}", t.name, t.uses.join(", "))).collect();
        lines.sort();
        let mut free_form = self.free_form.clone();
        free_form.sort();
        free_form.dedup();
        lines.push(String::new());
        lines.push(format!("Free-form JSON (the schema says nothing more), {} places:", free_form.len()));
        lines.extend(free_form);
        lines.push(String::new());
        lines.push(format!("Fallbacks to JSON for unsupported schemas, {} places:", self.fallbacks.len()));
        lines.extend(self.fallbacks.iter().cloned());
        lines.join("\n") + "\n"
    }
}

/// Nullability is not part of a struct's identity (a shape is one type
/// whether its uses allow `null` or not); a field is nullable if any use allows it.
fn merge_nullable(into: &mut TypeKind, from: &TypeKind) {
    if let (TypeKind::Struct(fields), TypeKind::Struct(other)) = (into, from) {
        for (field, other) in fields.iter_mut().zip(other) {
            field.nullable |= other.nullable;
        }
    }
}

fn unique_field(fields: &[Field], mut rust: String) -> String {
    while fields.iter().any(|f| f.rust == rust) {
        rust = format!("{}_", names::unraw(&rust));
    }
    rust
}

fn type_key(ty: &RustType) -> String {
    match ty {
        RustType::String => "str".into(),
        RustType::Bool => "bool".into(),
        RustType::Integer => "int".into(),
        RustType::Number => "num".into(),
        RustType::Json => "json".into(),
        RustType::JsonObject => "object".into(),
        RustType::List(inner) => format!("[{}]", type_key(inner)),
        RustType::Map(inner) => format!("{{{}}}", type_key(inner)),
        RustType::Nullable(inner) => format!("{}?", type_key(inner)),
        RustType::Named(id) => format!("#{id}"),
    }
}

fn basic_variant_name(ty: &RustType) -> &'static str {
    match ty {
        RustType::String => "String",
        RustType::Bool => "Bool",
        RustType::Integer => "Integer",
        RustType::Number => "Number",
        RustType::Json => "Json",
        RustType::JsonObject => "Object",
        RustType::List(_) => "List",
        RustType::Map(_) => "Map",
        RustType::Nullable(_) => "Nullable",
        RustType::Named(_) => "Named",
    }
}

fn is_scalar(ty: &RustType) -> bool {
    matches!(ty, RustType::String | RustType::Bool | RustType::Integer | RustType::Number)
}

fn scalar_type(name: &str) -> RustType {
    match name {
        "integer" => RustType::Integer,
        "number" => RustType::Number,
        "boolean" => RustType::Bool,
        _ => RustType::String,
    }
}

/// The non-null types a schema allows, from `type: x` or `type: [x, null]`.
fn schema_types(object: &Map<String, Value>) -> Vec<&str> {
    match object.get("type") {
        Some(Value::String(t)) if t != "null" => vec![t.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).filter(|t| *t != "null").collect(),
        _ => Vec::new(),
    }
}

/// The values of an enum made only of strings.
fn string_enum(object: &Map<String, Value>) -> Option<Vec<&str>> {
    let values = object.get("enum")?.as_array()?;
    let strings: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
    (!strings.is_empty() && strings.len() == values.len()).then_some(strings)
}

/// For an enum without `type`: the JSON type its (non-null) values share.
fn enum_kind(object: &Map<String, Value>) -> Option<&'static str> {
    let values: Vec<&Value> = object.get("enum")?.as_array()?.iter().filter(|v| !v.is_null()).collect();
    let first = values.first()?;
    let kind = match first {
        Value::String(_) => "string",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        _ => return None,
    };
    let same = values.iter().all(|v| match kind {
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "integer" => v.is_i64() || v.is_u64(),
        _ => v.is_number(),
    });
    same.then_some(kind)
}

/// The branches of a union with nested bare unions spliced in.
fn flatten_branches(branches: &[Value]) -> Vec<&Value> {
    let mut out = Vec::new();
    for branch in branches {
        let nested =
            branch.as_object().filter(|o| o.len() == 1).and_then(|o| o.get("oneOf").or_else(|| o.get("anyOf")));
        match nested.and_then(Value::as_array) {
            Some(inner) => out.extend(flatten_branches(inner)),
            None => out.push(branch),
        }
    }
    out
}

/// `{type: null}`, `{enum: [null]}`.
fn is_null_schema(schema: &Value) -> bool {
    schema.get("type").is_some_and(|t| t == "null")
        || schema.get("enum").and_then(Value::as_array).is_some_and(|e| e.iter().all(Value::is_null))
}

/// Whether `null` is a valid value: `type: [.., null]`, a `null` branch, or `null` in the enum.
pub fn is_nullable(schema: &Value) -> bool {
    let typed = match schema.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(list)) => list.iter().any(|t| t == "null"),
        _ => false,
    };
    let branch = ["oneOf", "anyOf"]
        .iter()
        .any(|k| schema.get(*k).and_then(Value::as_array).is_some_and(|branches| branches.iter().any(is_null_schema)));
    let in_enum = schema.get("enum").and_then(Value::as_array).is_some_and(|e| e.iter().any(Value::is_null));
    typed || branch || in_enum
}

/// The value of the property that tags a `oneOf` branch: the first property
/// whose schema allows exactly one string, else the first value of the first
/// property with a set of strings (`type: {enum: [deviceId, deviceTag]}`).
fn discriminator_value(branch: &Value) -> Option<&str> {
    let properties = branch.get("properties")?.as_object()?;
    let single = properties.values().find_map(|p| match values(p)?.as_slice() {
        [only] => Some(*only),
        _ => None,
    });
    single.or_else(|| properties.values().find_map(|p| values(p)?.first().copied()))
}

/// The strings of a property's enum, when it has only (non-empty) strings.
fn values(property: &Value) -> Option<Vec<&str>> {
    let list = property.get("enum")?.as_array()?;
    let strings: Vec<&str> = list.iter().filter_map(Value::as_str).filter(|s| !s.is_empty()).collect();
    (strings.len() == list.len()).then_some(strings)
}

/// `allOf` of object schemas: one object with every part's properties and
/// required names. `None` when a part is not an object schema.
fn merge_all_of(parts: &[Value]) -> Option<Value> {
    let mut properties = Map::new();
    let mut required: Vec<Value> = Vec::new();
    for part in parts {
        let part = part.as_object()?;
        if part.get("type").is_some_and(|t| t != "object") || part.contains_key("allOf") {
            return None;
        }
        for (name, schema) in part.get("properties").and_then(Value::as_object).into_iter().flatten() {
            properties.insert(name.clone(), schema.clone());
        }
        for name in part.get("required").and_then(Value::as_array).into_iter().flatten() {
            if !required.contains(name) {
                required.push(name.clone());
            }
        }
    }
    let mut merged = Map::new();
    merged.insert("type".into(), "object".into());
    merged.insert("properties".into(), Value::Object(properties));
    merged.insert("required".into(), Value::Array(required));
    Some(Value::Object(merged))
}

fn doc_of(schema: &Value) -> Option<String> {
    let text = schema.get("description").or_else(|| schema.get("title"))?.as_str()?;
    Some(text.to_string())
}
