//! JSON Schema → Rust types.
//!
//! Conversion runs in two passes. The first walks every named schema and
//! records each object, string enum and `oneOf` it meets as a *shape*, keyed
//! by its Rust structure (field names, types, requiredness; enum values), so
//! structurally identical inline schemas become one type. The second pass
//! names the shapes: a shape takes the short name its first use suggests
//! (`applicationRoles[]` → `ApplicationRole`) when no other shape wants that
//! name, and is qualified by its parent's name otherwise. Names depend only
//! on schema names and content, never on file order.

use std::collections::{BTreeMap, HashMap};

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
    /// Name on the wire.
    pub wire: String,
    /// Rust field name.
    pub rust: String,
    /// Its type, without the `Option` of an optional field.
    pub ty: RustType,
    /// Whether the schema requires it (and it is not nullable).
    pub required: bool,
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
    /// An inline shape: a short name from its first use, and the path of the
    /// type that contains it for qualifying that name.
    Inline {
        short: String,
        parent: Option<String>,
        order: usize,
    },
}

/// Every generated type, and the type of each named schema.
#[derive(Debug, Default)]
pub struct TypeSpace {
    /// The types, in the order they are emitted.
    pub types: Vec<TypeDef>,
    /// The Rust type of each named schema.
    pub schemas: BTreeMap<String, RustType>,
    /// Schema paths whose type fell back to `serde_json::Value` although the
    /// schema says more: listed so they can be counted and improved.
    pub fallbacks: Vec<String>,
    by_key: HashMap<String, TypeId>,
    by_path: HashMap<String, TypeId>,
    visited: usize,
}

/// Where in a schema the converter is.
#[derive(Clone)]
struct Site {
    /// Schema path, e.g. `org.members[]`.
    path: String,
    /// Spec-style short name the place suggests, e.g. `member`.
    short: String,
    /// Path of the nearest enclosing generated type.
    parent: Option<String>,
}

impl Site {
    fn property(&self, name: &str) -> Site {
        Site {
            path: format!("{}.{name}", self.path),
            short: name.to_string(),
            parent: Some(self.path.clone()),
        }
    }

    fn item(&self) -> Site {
        let short = names::singular(&self.short).unwrap_or_else(|| format!("{}Item", self.short));
        Site {
            path: format!("{}[]", self.path),
            short,
            parent: self.parent.clone(),
        }
    }

    fn value(&self) -> Site {
        Site {
            path: format!("{}{{}}", self.path),
            short: format!("{}Value", self.short),
            parent: self.parent.clone(),
        }
    }

    fn branch(&self, index: usize) -> Site {
        Site {
            path: format!("{}|{index}", self.path),
            short: format!("{}{}", self.short, index + 1),
            parent: self.parent.clone(),
        }
    }
}

impl TypeSpace {
    /// Converts every named schema.
    pub fn build(schemas: &BTreeMap<String, Schema>) -> TypeSpace {
        let mut space = TypeSpace::default();
        for (name, schema) in schemas {
            let site = Site {
                path: name.clone(),
                short: name.clone(),
                parent: None,
            };
            let ty = space.named_schema(name, &schema.json, &site);
            space.schemas.insert(name.clone(), ty);
        }
        space.name_types();
        space
    }

    /// The type of a named schema.
    pub fn schema_type(&self, name: &str) -> Option<&RustType> {
        self.schemas.get(name)
    }

    /// A named schema always gets a type of its own name: a struct, enum or
    /// union when it is one, an alias otherwise.
    fn named_schema(&mut self, name: &str, schema: &Value, site: &Site) -> RustType {
        let ty = self.convert(schema, site);
        let doc = doc_of(schema);
        if let RustType::Named(id) = ty {
            let def = &mut self.types[id];
            if def.schema.is_none() {
                def.schema = Some(name.to_string());
                def.naming = Naming::Fixed;
                def.doc = doc.or(def.doc.take());
                return ty;
            }
        }
        let id = self.push(TypeDef {
            name: String::new(),
            kind: TypeKind::Alias(ty),
            doc,
            uses: vec![site.path.clone()],
            schema: Some(name.to_string()),
            naming: Naming::Fixed,
        });
        RustType::Named(id)
    }

    fn convert(&mut self, schema: &Value, site: &Site) -> RustType {
        self.visited += 1;
        let order = self.visited;
        let Some(object) = schema.as_object() else {
            return RustType::Json;
        };

        if let Some(branches) = object
            .get("oneOf")
            .or_else(|| object.get("anyOf"))
            .and_then(Value::as_array)
        {
            return self.union(branches, schema, site, order);
        }
        let types = schema_types(object);
        match types.as_slice() {
            [] if object.contains_key("properties") || object.contains_key("patternProperties") => {
                self.object(object, schema, site, order)
            }
            [] if object.contains_key("items") => self.list(object, site),
            [] if string_enum(object).is_some() => self.string_enum(object, schema, site, order),
            [] => RustType::Json,
            ["string"] if string_enum(object).is_some() => {
                self.string_enum(object, schema, site, order)
            }
            ["string"] => RustType::String,
            ["integer"] => RustType::Integer,
            ["number"] => RustType::Number,
            ["boolean"] => RustType::Bool,
            ["object"] => self.object(object, schema, site, order),
            ["array"] => self.list(object, site),
            _ => {
                self.fallbacks.push(site.path.clone());
                RustType::Json
            }
        }
    }

    fn list(&mut self, object: &Map<String, Value>, site: &Site) -> RustType {
        match object.get("items") {
            Some(items) if items.is_object() => {
                RustType::List(Box::new(self.convert(items, &site.item())))
            }
            _ => RustType::List(Box::new(RustType::Json)),
        }
    }

    fn object(
        &mut self,
        object: &Map<String, Value>,
        schema: &Value,
        site: &Site,
        order: usize,
    ) -> RustType {
        let properties = object
            .get("properties")
            .and_then(Value::as_object)
            .filter(|p| !p.is_empty());
        let Some(properties) = properties else {
            // No declared fields: the keys are data.
            let values = object
                .get("patternProperties")
                .and_then(Value::as_object)
                .and_then(|patterns| {
                    (patterns.len() == 1)
                        .then(|| patterns.values().next())
                        .flatten()
                })
                .or_else(|| object.get("additionalProperties").filter(|v| v.is_object()));
            return match values {
                Some(values) => RustType::Map(Box::new(self.convert(values, &site.value()))),
                None => RustType::JsonObject,
            };
        };
        let required: Vec<&str> = object
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let mut fields: Vec<Field> = Vec::new();
        for (wire, property) in properties {
            let ty = self.convert(property, &site.property(wire));
            let mut rust = names::snake(wire);
            while fields.iter().any(|f| f.rust == rust) {
                rust = format!("{}_", names::unraw(&rust));
            }
            fields.push(Field {
                wire: wire.clone(),
                rust,
                ty,
                required: required.contains(&wire.as_str()) && !is_nullable(property),
                doc: doc_of(property),
            });
        }
        self.shape(TypeKind::Struct(fields), schema, site, order)
    }

    fn string_enum(
        &mut self,
        object: &Map<String, Value>,
        schema: &Value,
        site: &Site,
        order: usize,
    ) -> RustType {
        let mut values: Vec<EnumValue> = Vec::new();
        for wire in string_enum(object).unwrap_or_default() {
            if values.iter().any(|v| v.wire == wire) {
                continue;
            }
            let base = names::pascal(wire);
            let mut rust = base.clone();
            let mut n = 2;
            while rust == "Unknown" || values.iter().any(|v| v.rust == rust) {
                rust = format!("{base}{n}");
                n += 1;
            }
            values.push(EnumValue {
                wire: wire.to_string(),
                rust,
            });
        }
        self.shape(TypeKind::Enum(values), schema, site, order)
    }

    fn union(&mut self, branches: &[Value], schema: &Value, site: &Site, order: usize) -> RustType {
        let mut variants: Vec<Variant> = Vec::new();
        for (i, branch) in branches.iter().enumerate() {
            let ty = self.convert(branch, &site.branch(i));
            let format = branch.get("format").and_then(Value::as_str);
            let name = match (&ty, format) {
                (RustType::String, Some(format)) => names::pascal(format),
                (RustType::Named(_), _) => String::new(), // named after its type, once types have names
                (ty, _) => basic_variant_name(ty).to_string(),
            };
            variants.push(Variant {
                name,
                ty,
                doc: format.map(str::to_string),
            });
        }
        self.shape(TypeKind::Union(variants), schema, site, order)
    }

    /// Records a shape, or adds a use to the identical one already recorded.
    fn shape(&mut self, kind: TypeKind, schema: &Value, site: &Site, order: usize) -> RustType {
        let key = self.key_of(&kind);
        if let Some(&id) = self.by_key.get(&key) {
            self.types[id].uses.push(site.path.clone());
            self.by_path.insert(site.path.clone(), id);
            return RustType::Named(id);
        }
        let id = self.push(TypeDef {
            name: String::new(),
            kind,
            doc: doc_of(schema),
            uses: vec![site.path.clone()],
            schema: None,
            naming: Naming::Inline {
                short: site.short.clone(),
                parent: site.parent.clone(),
                order,
            },
        });
        self.by_key.insert(key, id);
        RustType::Named(id)
    }

    fn push(&mut self, def: TypeDef) -> TypeId {
        let id = self.types.len();
        for path in &def.uses {
            self.by_path.insert(path.clone(), id);
        }
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
                        format!(
                            "{}{}{}",
                            f.wire,
                            if f.required { "!" } else { "?" },
                            type_key(&f.ty)
                        )
                    })
                    .collect();
                format!("struct{{{}}}", fields.join(","))
            }
            TypeKind::Enum(values) => {
                let values: Vec<&str> = values.iter().map(|v| v.wire.as_str()).collect();
                format!("enum{values:?}")
            }
            TypeKind::Union(variants) => {
                let variants: Vec<String> = variants
                    .iter()
                    .map(|v| format!("{}:{}", v.name, type_key(&v.ty)))
                    .collect();
                format!("union[{}]", variants.join(","))
            }
            TypeKind::Alias(ty) => format!("alias({})", type_key(ty)),
        }
    }

    /// The naming pass: named schemas keep their names; inline shapes take a
    /// short name when it is theirs alone, else their parent's name + short.
    fn name_types(&mut self) {
        let mut taken: HashMap<String, TypeId> = HashMap::new();
        for (id, def) in self.types.iter_mut().enumerate() {
            if let (Naming::Fixed, Some(schema)) = (&def.naming, &def.schema) {
                def.name = names::type_name(schema);
                taken.insert(def.name.clone(), id);
            }
        }
        let mut wanted: HashMap<String, usize> = HashMap::new();
        for def in &self.types {
            if let Naming::Inline { short, .. } = &def.naming {
                *wanted.entry(names::type_name(short)).or_default() += 1;
            }
        }
        let mut inline: Vec<(usize, TypeId)> = self
            .types
            .iter()
            .enumerate()
            .filter_map(|(id, def)| match def.naming {
                Naming::Inline { order, .. } => Some((order, id)),
                Naming::Fixed => None,
            })
            .collect();
        inline.sort();
        for (_, id) in inline {
            let Naming::Inline { short, parent, .. } = self.types[id].naming.clone() else {
                continue;
            };
            let short = names::type_name(&short);
            let parent_name = parent
                .and_then(|p| self.by_path.get(&p).copied())
                .map(|p| self.types[p].name.clone())
                .unwrap_or_default();
            let mut name = if wanted[&short] == 1 && !taken.contains_key(&short) {
                short.clone()
            } else {
                format!("{parent_name}{short}")
            };
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

    /// `type name → schema paths it serves`, one line per type, sorted by name:
    /// the registry snapshot that makes renames visible in review.
    pub fn registry(&self) -> String {
        let mut lines: Vec<String> = self
            .types
            .iter()
            .map(|t| format!("{} <- {}", t.name, t.uses.join(", ")))
            .collect();
        lines.sort();
        lines.join("\n") + "\n"
    }
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
        RustType::Named(_) => "Named",
    }
}

/// The non-null types a schema allows, from `type: x` or `type: [x, null]`.
fn schema_types(object: &Map<String, Value>) -> Vec<&str> {
    match object.get("type") {
        Some(Value::String(t)) if t != "null" => vec![t.as_str()],
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "null")
            .collect(),
        _ => Vec::new(),
    }
}

/// The values of an enum made only of strings.
fn string_enum(object: &Map<String, Value>) -> Option<Vec<&str>> {
    let values = object.get("enum")?.as_array()?;
    let strings: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
    (!strings.is_empty() && strings.len() == values.len()).then_some(strings)
}

fn is_nullable(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(list)) => list.iter().any(|t| t == "null"),
        _ => false,
    }
}

fn doc_of(schema: &Value) -> Option<String> {
    let text = schema
        .get("description")
        .or_else(|| schema.get("title"))?
        .as_str()?;
    Some(text.to_string())
}
