//! JSON Schema → Rust types.
//!
//! Conversion walks every named schema and records each object, string enum
//! and `oneOf` it meets as a *shape* at a *place*: a schema path such as
//! `dashboard.blocks[]|graph.config` (property `.x`, array item `[]`, map
//! value `{}`, union branch `|label`, where the label is the branch's tag
//! value, title or kind, never its position when anything better exists).
//! Structurally identical shapes become one type.
//!
//! Names come from places, and once given they stay: `spec/names.yaml` maps
//! a place to the name of the type there (see [`crate::model::names_table`]). A
//! shape met at a place the table names takes that name, so re-importing a
//! release, or one that adds fields, renames nothing; two places the table
//! names differently stay two types even when their shapes become equal.
//! A shape the table does not name yet is named after its *anchor*, its most
//! general place: the field or branch name alone when no other type wants it
//! (`applicationRoles[]` → `ApplicationRole`), else qualified by the type
//! that contains it (`GraphBlock` + `config` → `GraphBlockConfig`), never
//! by a counter.
//!
//! `$ref: "#/definitions/<name>"` names another schema of the spec (that is
//! how upstream writes refs). A schema reached again while it is being
//! converted is recursive; fields holding it directly are boxed.

pub mod check;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde_json::{Map, Value};

use crate::model::names;
use crate::model::Schema;
use crate::typegen::check::root_schema;

/// How deep schemas may nest, counting each object, array, union and `$ref`
/// on the way (the bundled spec needs 16): deep enough for any real API, and
/// shallow enough that conversion cannot run out of stack.
pub const MAX_DEPTH: usize = 100;

/// The longest derived type name, in characters: longer ones are qualified
/// by their schema instead of by every type on the way to it.
pub const MAX_NAME: usize = 40;

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
    /// `Secret<String>`: text the spec marks as a credential (`x-sensitive`).
    Secret,
    /// `Timestamp`: text of `format: date-time`, kept as sent, read as a time.
    Timestamp,
}

impl RustType {
    /// Whether it is one JSON scalar: text (a timestamp is text), a number or
    /// a boolean. A union of only these is exhaustive and needs no
    /// `Unknown` variant.
    pub fn is_scalar(&self) -> bool {
        matches!(self, RustType::String | RustType::Timestamp | RustType::Integer | RustType::Number | RustType::Bool)
    }
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
    /// The type that holds it at its anchor, and the field or branch there
    /// (`config` of `GraphBlock`): what its doc calls it part of.
    pub parent: Option<(TypeId, String)>,
    /// The actions that send or return it (`org.patch`), with `true` for returns.
    pub used_by: Vec<(String, bool)>,
    /// The name `spec/names.yaml` gives it, or for a named schema new to the
    /// table, the schema's own name; `None` for a type the table does not know yet.
    pinned: Option<Pin>,
    /// A name it would like but may not get: a new schema's own name that the
    /// table gives to another place (named by rule, with a note, when taken).
    wants: Option<String>,
    /// A shared scalar union named by what it holds (`NumberOrString`).
    given: bool,
    /// Per use, the spec-style short name the place suggests (`member`).
    shorts: Vec<String>,
}

/// The shapes a generated type can have.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// A struct with named fields.
    Struct(Vec<Field>),
    /// A string enum; unknown values are kept, not rejected.
    Enum(Vec<EnumValue>),
    /// One of several shapes: told apart by a tag property when every
    /// variant has one ([`Variant::tag`]), else by shape.
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
    /// Its description, or else what the schema says of its values
    /// (format, pattern, bounds, default).
    pub doc: Option<String>,
    /// For a list that an action's param can have sent as an object map of
    /// its items (`tagsAsObject`): how to read that form. Set by
    /// [`TypeSpace::mark_map_forms`].
    pub map_form: Option<MapForm>,
}

/// How a list field reads its object-map form (see
/// [`crate::validate::response_modes`]): each key of the map goes into the item's
/// `key` field; a value that is not an object goes into its `value` field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapForm {
    /// Wire name of the items' key field: their first required text field.
    pub key: String,
    /// Wire name of the items' value field: their other required text field,
    /// if they have exactly one.
    pub value: Option<String>,
    /// The params that ask for the map form (`tagsAsObject`), by wire name.
    pub params: BTreeSet<String>,
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
    /// The Rust variant name: the branch's label (`Graph` for a block tagged
    /// `graph`), or what it holds (`String`, `DateTime`).
    pub name: String,
    /// The type it holds.
    pub ty: RustType,
    /// What it is, e.g. `date-time`.
    pub doc: Option<String>,
    /// The tag that selects it, when the union is tagged.
    pub tag: Option<Tag>,
}

/// The property whose value says which variant of a tagged union an object is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Tag {
    /// The property, e.g. `blockType`.
    pub property: String,
    /// The values that select this variant. With exactly one, the variant's
    /// struct has no field for the tag: the union writes and reads it.
    pub values: Vec<String>,
}

impl Tag {
    /// The tag is the variant's constant: one value, kept by the union rather than a field.
    pub fn is_constant(&self) -> bool {
        self.values.len() == 1
    }
}

/// A type name that failed: two types want it, or it is not an identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameConflict {
    /// The name.
    pub name: String,
    /// The place (schema path) of the type that could not have it.
    pub place: String,
}

/// Where a pinned name comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Pin {
    /// A line of `spec/names.yaml`: the place is one of the name's places.
    Table(String),
    /// A named schema's own name, for a schema the table has no line for yet.
    Schema(String),
}

impl Pin {
    fn name(&self) -> &str {
        match self {
            Pin::Table(name) | Pin::Schema(name) => name,
        }
    }
}

/// Something a maintainer should read about a name: why a new type is not
/// called what its place suggests, or why a place left the name the table
/// gave it. Import goes on; the table it writes records the outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameNote {
    /// The place concerned.
    pub place: String,
    /// What happened, in words.
    pub what: String,
    /// Whether the table on disk asks for something that cannot be: a place
    /// the table names whose shape cannot join the other places of that name.
    /// `check` refuses it; `import` and `codegen names` give the place a name
    /// of its own.
    pub split: bool,
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
    /// Names from the table that two types wanted, or that are not type names.
    pub conflicts: Vec<NameConflict>,
    /// Names given by rule instead of the one wanted, and places that left
    /// their name (see [`NameNote`]).
    pub notes: Vec<NameNote>,
    /// The first place where schemas (through their `$ref`s) nest deeper
    /// than [`MAX_DEPTH`], with the schema whose conversion got there:
    /// conversion stopped at that place.
    pub too_deep: Option<(String, String)>,
    /// The schema `build` is converting (and those it refers to with it).
    converting: String,
    /// How deep conversion went.
    pub max_depth: usize,
    depth: usize,
    sources: BTreeMap<String, Value>,
    /// The names table: place → name.
    table: BTreeMap<String, String>,
    /// The table's param lines (`devices.get(sortField)`): the params module's.
    param_table: BTreeMap<String, String>,
    /// Named schemas being converted, with the id reserved if one refers to itself.
    in_progress: BTreeMap<String, Option<TypeId>>,
    /// Reserved ids whose schema's root turned out to be a shape (see `shape`).
    filled: HashSet<TypeId>,
    /// The types of each structure, first met first: where new places may go.
    by_key: HashMap<String, Vec<TypeId>>,
    /// The type of each name the table gives: the places of one name are one type.
    by_name: HashMap<String, TypeId>,
    /// Every name the table gives some place.
    table_names: HashSet<String>,
    /// Places that could not join the type of the name the table gives them:
    /// (name, place), in the order met.
    left: Vec<(String, String)>,
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
    /// A tag property the union this object is a branch of writes itself.
    omit: Option<String>,
}

impl Site {
    fn root(name: &str) -> Site {
        Site { path: name.to_string(), short: name.to_string(), root_of: Some(name.to_string()), omit: None }
    }

    fn property(&self, name: &str) -> Site {
        Site { path: format!("{}.{name}", self.path), short: name.to_string(), root_of: None, omit: None }
    }

    fn item(&self) -> Site {
        let short = names::singular(&self.short).unwrap_or_else(|| format!("{}Item", self.short));
        Site { path: format!("{}[]", self.path), short, root_of: None, omit: None }
    }

    fn value(&self) -> Site {
        Site { path: format!("{}{{}}", self.path), short: format!("{}Value", self.short), root_of: None, omit: None }
    }

    fn branch(&self, label: &Label, omit: Option<String>) -> Site {
        // A label is one segment: the path's own punctuation cannot appear in it.
        let place: String =
            label.place.chars().filter(|c| !"[]{}|".contains(*c)).map(|c| if c == '.' { '_' } else { c }).collect();
        // A type's name joins at most two tag values (`DeviceIdOrDeviceTag`):
        // a branch selected by more is named by its place, qualified by its holder.
        let short = match label.words.matches("_or_").count() {
            0 | 1 => format!("{}_{}", label.words, self.short),
            _ => self.short.clone(),
        };
        Site { path: format!("{}|{place}", self.path), short, root_of: None, omit }
    }
}

/// What a union branch is called: in its place (`graph`) and in Rust words (`graph`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Label {
    place: String,
    words: String,
}

impl TypeSpace {
    /// Converts every named schema, naming types by `table` (place → name)
    /// where it has them.
    ///
    /// When places of one name can no longer be one type, the places met
    /// first keep the name. If more places left it than kept it, the ones
    /// that kept it are taken to be the ones upstream changed (a release
    /// edits one copy of a shape, not all the others), so the conversion is
    /// done once more with those places out of the table: the unchanged
    /// majority keeps the name and the type it had, and the changed places
    /// get names of their own (with a note, as any place that leaves).
    pub fn build(schemas: &BTreeMap<String, Schema>, table: &BTreeMap<String, String>) -> TypeSpace {
        let space = TypeSpace::convert_all(schemas, table);
        let changed = space.minority_keepers();
        if changed.is_empty() {
            return space;
        }
        let mut table = table.clone();
        for (_, place) in &changed {
            table.remove(place);
        }
        let mut space = TypeSpace::convert_all(schemas, &table);
        for (name, place) in changed {
            space.notes.push(NameNote {
                place,
                what: format!(
                    "leaves `{name}`, which the table gives it: its shape can no longer be one type with the \
                     other places of that name, which outnumber it and kept their shape; it gets a name of its own"
                ),
                split: true,
            });
        }
        space
    }

    fn convert_all(schemas: &BTreeMap<String, Schema>, table: &BTreeMap<String, String>) -> TypeSpace {
        // Param places (`devices.get(sortField)`) name param enums, not schema types.
        let (param_table, table): (BTreeMap<String, String>, BTreeMap<String, String>) = table
            .iter()
            .map(|(p, n)| (p.clone(), n.clone()))
            .partition(|(place, _)| crate::model::params::is_place(place));
        let mut space = TypeSpace {
            sources: schemas.iter().map(|(name, s)| (name.clone(), s.json.clone())).collect(),
            table_names: table.values().cloned().collect(),
            table,
            param_table,
            ..TypeSpace::default()
        };
        for name in schemas.keys() {
            space.converting.clone_from(name);
            space.named_schema(name);
        }
        space.name_types();
        space
    }

    /// The table's places that kept a name which more of its places had to
    /// leave: (name, place), by name then place.
    fn minority_keepers(&self) -> Vec<(String, String)> {
        let mut left: BTreeMap<&str, usize> = BTreeMap::new();
        for (name, _) in &self.left {
            *left.entry(name.as_str()).or_default() += 1;
        }
        let mut keepers = Vec::new();
        for (name, count) in left {
            let Some(&id) = self.by_name.get(name) else { continue };
            let kept: Vec<&String> =
                self.types[id].uses.iter().filter(|place| self.table.contains_key(*place)).collect();
            if kept.len() < count {
                keepers.extend(kept.into_iter().map(|place| (name.to_string(), place.clone())));
            }
        }
        keepers
    }

    /// The type of a named schema.
    pub fn schema_type(&self, name: &str) -> Option<&RustType> {
        self.schemas.get(name)
    }

    /// Whether a value of this type held directly (a field, a variant) must
    /// be boxed: it is, or is an alias of, a type that can contain itself.
    pub fn boxed(&self, ty: &RustType) -> bool {
        self.alias_chain(ty).iter().any(|id| self.recursive.contains(id))
    }

    /// The generated types `ty` names through aliases: `ty` itself, then
    /// what each alias stands for while that is another generated type.
    pub fn alias_chain(&self, ty: &RustType) -> Vec<TypeId> {
        let mut chain = Vec::new();
        let mut current = ty;
        while let RustType::Named(id) = current {
            if chain.contains(id) {
                break;
            }
            chain.push(*id);
            match &self.types[*id].kind {
                TypeKind::Alias(inner) => current = inner,
                _ => break,
            }
        }
        chain
    }

    /// Aliases that contain themselves with no struct, enum or union in
    /// between (`type A = Vec<A>`; `a` and `b` each only a `$ref` of the
    /// other): Rust has no type for them. One id per cycle, the first.
    pub fn alias_cycles(&self) -> Vec<TypeId> {
        let mut cycles: Vec<TypeId> = Vec::new();
        let mut in_cycle: BTreeSet<TypeId> = BTreeSet::new();
        for (start, def) in self.types.iter().enumerate() {
            let TypeKind::Alias(ty) = &def.kind else { continue };
            if in_cycle.contains(&start) {
                continue;
            }
            // Walk what the alias expands to, through other aliases, lists,
            // maps and options, but not into structs, enums or unions.
            let mut stack: Vec<&RustType> = vec![ty];
            let mut seen: BTreeSet<TypeId> = BTreeSet::new();
            while let Some(ty) = stack.pop() {
                match ty {
                    RustType::List(inner) | RustType::Map(inner) | RustType::Nullable(inner) => stack.push(inner),
                    RustType::Named(id) if *id == start => {
                        cycles.push(start);
                        in_cycle.extend(seen.iter().copied());
                        break;
                    }
                    RustType::Named(id) => {
                        if let TypeKind::Alias(inner) = &self.types[*id].kind {
                            if seen.insert(*id) {
                                stack.push(inner);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        cycles
    }

    /// The param lines of the names table the space was built with
    /// (`devices.get(sortField): SortField`), which
    /// [`crate::model::params::ParamEnums`] reads.
    pub fn param_table(&self) -> &BTreeMap<String, String> {
        &self.param_table
    }

    /// The names table this space implies: every place of every type → its
    /// name (shared scalar unions, named by what they hold, have no lines).
    /// Every place is listed, so that the next import keeps each place in
    /// its type whatever the shapes of other places become.
    pub fn names_table(&self) -> BTreeMap<String, String> {
        let mut table = BTreeMap::new();
        for def in &self.types {
            if def.given || def.name.is_empty() {
                continue;
            }
            for place in &def.uses {
                table.insert(place.clone(), def.name.clone());
            }
        }
        table
    }

    /// Records which actions send or return each type (directly, or as a
    /// list or alias of it), for the types' docs.
    pub fn relate_actions(&mut self, api: &crate::model::Api) {
        for resource in &api.resources {
            for action in &resource.actions {
                let id = format!("{}.{}", resource.name, action.name);
                let sent = action.params.iter().filter_map(|p| p.schema.as_deref()).map(|s| (s, false));
                let returned = action.successes().filter_map(|r| r.schema.as_deref()).map(|s| (s, true));
                let streamed =
                    action.sse_events.iter().flatten().filter_map(|e| e.schema.as_deref()).map(|s| (s, true));
                for (schema, returns) in sent.chain(returned).chain(streamed) {
                    let mut ty = self.schemas.get(schema).cloned();
                    // An alias cycle (reported by `check`) must not loop forever here.
                    let mut steps = 0;
                    while let Some(current) = ty.take() {
                        steps += 1;
                        if steps > self.types.len() + 1 {
                            break;
                        }
                        match current {
                            RustType::List(inner) | RustType::Nullable(inner) => ty = Some(*inner),
                            RustType::Named(type_id) => {
                                let entry = (id.clone(), returns);
                                if !self.types[type_id].used_by.contains(&entry) {
                                    self.types[type_id].used_by.push(entry);
                                }
                                if let TypeKind::Alias(inner) = &self.types[type_id].kind {
                                    ty = Some(inner.clone());
                                }
                            }
                            _ => {}
                        }
                    }
                }
            }
        }
    }

    /// Marks the list fields that decode from their object-map form too: for
    /// each action param with `reshapes: F`, every field `F` reachable from
    /// the action's success responses whose type is a list of structs with a
    /// required text field (the map's keys go there). Types are shared, so
    /// such a field reads both forms wherever its type is used.
    /// (`check` refuses a mark that finds no such field: [`check::diagnostics`].)
    pub fn mark_map_forms(&mut self, api: &crate::model::Api) {
        for resource in &api.resources {
            for action in &resource.actions {
                for param in &action.params {
                    let Some(reshape) = &param.reshapes else { continue };
                    for (holder, index, form) in self.lists_reshaped(action, &reshape.field) {
                        let Some(form) = form else { continue };
                        if let TypeKind::Struct(fields) = &mut self.types[holder].kind {
                            let form = fields[index].map_form.get_or_insert(form);
                            form.params.insert(param.name.clone());
                        }
                    }
                }
            }
        }
    }

    /// Every struct field called `field` reachable from the success
    /// responses of `action` whose type is a list of structs: its struct,
    /// its index, and its map form when the items have a key field.
    pub(crate) fn lists_reshaped(
        &self,
        action: &crate::model::Action,
        field: &str,
    ) -> Vec<(TypeId, usize, Option<MapForm>)> {
        let roots: Vec<RustType> = action
            .successes()
            .filter_map(|r| r.schema.as_deref())
            .filter_map(|s| self.schemas.get(s))
            .cloned()
            .collect();
        self.lists_named(&roots, field)
    }

    /// Every struct field called `field` reachable from `roots` that is a
    /// list of structs: its struct, its index, and its form if it has one.
    fn lists_named(&self, roots: &[RustType], field: &str) -> Vec<(TypeId, usize, Option<MapForm>)> {
        let mut found = Vec::new();
        let mut seen: HashSet<TypeId> = HashSet::new();
        let mut queue: Vec<RustType> = roots.to_vec();
        while let Some(ty) = queue.pop() {
            let id = match ty {
                RustType::List(inner) | RustType::Map(inner) | RustType::Nullable(inner) => {
                    queue.push(*inner);
                    continue;
                }
                RustType::Named(id) => id,
                _ => continue,
            };
            if !seen.insert(id) {
                continue;
            }
            match &self.types[id].kind {
                TypeKind::Struct(fields) => {
                    for (index, f) in fields.iter().enumerate() {
                        if f.wire == field && !f.flatten {
                            if let Some(item) = self.list_of_structs(&f.ty) {
                                found.push((id, index, Self::map_form_of(item)));
                            }
                        }
                        queue.push(f.ty.clone());
                    }
                }
                TypeKind::Union(variants) => queue.extend(variants.iter().map(|v| v.ty.clone())),
                TypeKind::Alias(inner) => queue.push(inner.clone()),
                TypeKind::Enum(_) => {}
            }
        }
        found
    }

    /// The fields of the items of a list of structs (aliases followed).
    fn list_of_structs(&self, ty: &RustType) -> Option<&[Field]> {
        let RustType::List(item) = ty else { return None };
        self.struct_of(item)
    }

    /// The map form of a list of these items: their first required text
    /// field takes the key, and their only other one the value.
    fn map_form_of(fields: &[Field]) -> Option<MapForm> {
        let mut text =
            fields.iter().filter(|f| f.required && !f.flatten && f.ty == RustType::String).map(|f| f.wire.clone());
        let key = text.next()?;
        let rest: Vec<String> = text.collect();
        let value = if rest.len() == 1 { rest.into_iter().next() } else { None };
        Some(MapForm { key, value, params: BTreeSet::new() })
    }

    /// The fields of the struct a type is, through aliases.
    fn struct_of(&self, ty: &RustType) -> Option<&[Field]> {
        let mut ty = ty;
        for _ in 0..=self.types.len() {
            let RustType::Named(id) = ty else { return None };
            match &self.types[*id].kind {
                TypeKind::Struct(fields) => return Some(fields),
                TypeKind::Alias(inner) => ty = inner,
                _ => return None,
            }
        }
        None
    }

    /// The name a table entry pins for a place, if any; named schemas always
    /// pin their own name unless the table renames them.
    fn pin_of(&self, site: &Site) -> Option<Pin> {
        match self.table.get(&site.path) {
            Some(name) => Some(Pin::Table(name.clone())),
            None => site.root_of.as_deref().map(|root| Pin::Schema(names::type_name(root))),
        }
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
                    let site = Site::root(name);
                    let id = self.push(TypeKind::Alias(RustType::Json), None, &site);
                    let pin = self.pin_of(&site);
                    self.claim(id, pin, &site);
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
        let site = Site::root(name);
        let ty = self.convert(&json, &site);
        let reserved = self.in_progress.remove(name).flatten();
        let doc = doc_of(&json);
        let ty = match (reserved, ty) {
            // The root shape was written into the reserved id (see `shape`).
            (Some(id), RustType::Named(got)) if got == id && self.filled.contains(&id) => RustType::Named(id),
            // The root is only a reference to the schema itself (`$ref: self`):
            // an alias of itself, which `check` reports.
            (Some(id), RustType::Named(got)) if got == id => {
                self.types[id].kind = TypeKind::Alias(RustType::Named(id));
                RustType::Named(id)
            }
            (Some(id), other) => {
                self.types[id].kind = TypeKind::Alias(other);
                self.types[id].doc = doc;
                RustType::Named(id)
            }
            // The root is a shape: its type serves the schema (and perhaps places like it).
            (None, RustType::Named(id)) if self.types[id].uses.iter().any(|place| place == name) => {
                let def = &mut self.types[id];
                def.doc = doc.or(def.doc.take());
                RustType::Named(id)
            }
            (None, other) => {
                let id = self.push(TypeKind::Alias(other), doc, &site);
                let pin = self.pin_of(&site);
                self.claim(id, pin, &site);
                RustType::Named(id)
            }
        };
        self.schemas.insert(name.to_string(), ty.clone());
        ty
    }

    /// Converts one schema, counting how deep conversion is: past
    /// [`MAX_DEPTH`] it stops (the type is `serde_json::Value`) and records
    /// the place in [`TypeSpace::too_deep`], which `check` reports.
    fn convert(&mut self, schema: &Value, site: &Site) -> RustType {
        if self.depth >= MAX_DEPTH {
            let root = self.converting.clone();
            self.too_deep.get_or_insert_with(|| (root, site.path.clone()));
            return RustType::Json;
        }
        self.depth += 1;
        self.max_depth = self.max_depth.max(self.depth);
        let ty = self.convert_schema(schema, site);
        self.depth -= 1;
        ty
    }

    fn convert_schema(&mut self, schema: &Value, site: &Site) -> RustType {
        let Some(object) = schema.as_object() else {
            return RustType::Json;
        };

        if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
            let name = reference.rsplit('/').next().unwrap_or(reference);
            return self.named_schema(name);
        }
        if let Some(branches) = object.get("oneOf").or_else(|| object.get("anyOf")).and_then(Value::as_array) {
            if !only_constraints(branches) {
                return self.union(branches, schema, site);
            }
            // `anyOf: [{required: [a]}, {required: [b]}]` beside `properties`
            // says which fields must be set, not what the value is: the object
            // is the type, and its doc says the rule.
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
                self.object(object, schema, site)
            }
            [] if object.contains_key("items") => self.list(object, site),
            [] => match enum_kind(object) {
                Some("string") => self.string_enum(object, schema, site),
                Some("integer") => RustType::Integer,
                Some("number") => RustType::Number,
                Some("boolean") => RustType::Bool,
                _ => {
                    self.free_form.push(site.path.clone());
                    RustType::Json
                }
            },
            ["string"] if string_enum(object).is_some() => self.string_enum(object, schema, site),
            ["string"] => text_type(schema),
            ["integer"] => RustType::Integer,
            // `type: number` whose values are all whole numbers (`enum: [0, 1]`) is an integer.
            ["number"] if enum_kind(object) == Some("integer") => RustType::Integer,
            ["number"] => RustType::Number,
            ["boolean"] => RustType::Bool,
            ["object"] => self.object(object, schema, site),
            ["array"] => self.list(object, site),
            many if many.iter().all(|t| matches!(*t, "string" | "number" | "integer" | "boolean")) => {
                let variants = many.iter().map(|t| scalar_type(t)).collect();
                self.scalar_union(variants, site)
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
    fn object(&mut self, object: &Map<String, Value>, schema: &Value, site: &Site) -> RustType {
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
        let required: HashSet<&str> =
            object.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
        let mut fields: Vec<Field> = Vec::new();
        let mut taken: HashSet<String> = HashSet::new();
        for (wire, property) in properties {
            if site.omit.as_deref() == Some(wire.as_str()) {
                continue;
            }
            let ty = self.convert(property, &site.property(wire));
            let rust = unique_field(&mut taken, names::snake(wire));
            fields.push(Field {
                wire: wire.clone(),
                rust,
                ty,
                required: required.contains(&wire.as_str()) && !is_nullable(property),
                nullable: is_nullable(property),
                flatten: false,
                doc: doc_of(property).or_else(|| constraints(property)),
                map_form: None,
            });
        }
        if let Some(values) = extra {
            let ty = RustType::Map(Box::new(self.convert_nullable(values, &site.value())));
            let rust = unique_field(&mut taken, "extra".to_string());
            let doc = Some("Properties beyond the declared ones, by name.".to_string());
            fields.push(Field {
                wire: String::new(),
                rust,
                ty,
                required: true,
                nullable: false,
                flatten: true,
                doc,
                map_form: None,
            });
        }
        let mut doc = doc_of(schema);
        if let Some(rule) = required_sets(object) {
            doc = Some(match doc {
                Some(text) => format!("{}\n\n{rule}", text.trim_end()),
                None => rule,
            });
        }
        self.shape(TypeKind::Struct(fields), doc, site)
    }

    fn string_enum(&mut self, object: &Map<String, Value>, schema: &Value, site: &Site) -> RustType {
        let values = string_enum(object).unwrap_or_default();
        self.enum_of(&values, schema, site)
    }

    fn enum_of(&mut self, wires: &[&str], schema: &Value, site: &Site) -> RustType {
        let values = enum_values_of(wires);
        // A one-value enum is named for its value: `operation: [set]` is a `SetOperation`.
        let site = match values.as_slice() {
            [only] if !site.short.to_lowercase().starts_with(&only.wire.to_lowercase()) => {
                Site { short: format!("{}_{}", only.wire, site.short), ..site.clone() }
            }
            _ => site.clone(),
        };
        self.shape(TypeKind::Enum(values), doc_of(schema), &site)
    }

    /// `oneOf`/`anyOf`. `null` branches make the value nullable (the caller
    /// sees it through [`is_nullable`]); branches that are all text become one
    /// string type; identical branches merge. Objects that all carry one
    /// property with disjoint enum values are a tagged union.
    fn union(&mut self, branches: &[Value], schema: &Value, site: &Site) -> RustType {
        // `oneOf: [oneOf: [a, b], c]` is `oneOf: [a, b, c]`.
        let flat = flatten_branches(branches);
        let live: Vec<&Value> = flat.into_iter().filter(|b| !is_null_schema(b)).collect();
        if let [only] = live.as_slice() {
            return self.convert(only, site);
        }
        if live.is_empty() {
            return RustType::Json;
        }
        // Text branches (plain or enums): any string if one is plain, else all the values.
        let text: Vec<Option<Vec<&str>>> = live
            .iter()
            .filter_map(|b| b.as_object())
            .filter(|o| schema_types(o) == ["string"])
            .map(string_enum)
            .collect();
        if text.len() == live.len() {
            if text.iter().any(Option::is_none) {
                return RustType::String;
            }
            let values: Vec<&str> = text.into_iter().flatten().flatten().collect();
            return self.enum_of(&values, schema, site);
        }
        let tag = union_tag(&live);
        let labels = branch_labels(&live);
        let mut variants: Vec<Variant> = Vec::new();
        let mut seen_types: HashSet<RustType> = HashSet::new();
        for (branch, label) in live.iter().zip(&labels) {
            let tag =
                tag.as_ref().map(|property| Tag { property: property.clone(), values: enum_values(branch, property) });
            let omit = tag.as_ref().filter(|t| t.is_constant()).map(|t| t.property.clone());
            let ty = self.convert(branch, &site.branch(label, omit));
            // Untagged branches of one type are one variant; tagged ones differ by their tag.
            if tag.is_none() && !seen_types.insert(ty.clone()) {
                continue;
            }
            let format = branch.get("format").and_then(Value::as_str);
            let name = match (&ty, format) {
                (RustType::String | RustType::Timestamp, Some(format)) => names::pascal(format),
                (RustType::Named(_), _) => names::pascal(&label.words),
                (ty, _) => basic_variant_name(ty).to_string(),
            };
            variants.push(Variant { name, ty, doc: format.map(str::to_string), tag });
        }
        if let [only] = variants.as_slice() {
            return only.ty.clone();
        }
        if variants.iter().all(|v| is_shared_scalar(&v.ty) && v.doc.is_none()) {
            return self.scalar_union(variants.into_iter().map(|v| v.ty).collect(), site);
        }
        let mut used: HashSet<String> = HashSet::new();
        for variant in &mut variants {
            variant.name = names::unique(&variant.name, "Value", |n| n == "Unknown" || used.contains(n));
            used.insert(variant.name.clone());
        }
        // Untagged unions try variants in order: the most demanding first.
        if tag.is_none() {
            variants.sort_by_key(|v| std::cmp::Reverse(self.required_fields(&v.ty)));
        }
        self.shape(TypeKind::Union(variants), doc_of(schema), site)
    }

    /// A union of scalars, shared everywhere under a name that says what it holds.
    fn scalar_union(&mut self, mut types: Vec<RustType>, site: &Site) -> RustType {
        types.sort_by_key(|t| match t {
            RustType::String => 0,
            RustType::Integer => 1,
            RustType::Number => 2,
            _ => 3,
        });
        types.dedup();
        let variants: Vec<Variant> = types
            .into_iter()
            .map(|ty| Variant { name: basic_variant_name(&ty).to_string(), ty, doc: None, tag: None })
            .collect();
        let names: Vec<&str> = variants.iter().map(|v| v.name.as_str()).collect();
        let given = if names == ["String", "Number", "Bool"] { "Scalar".to_string() } else { names.join("Or") };
        let key = self.key_of(&TypeKind::Union(variants.clone()));
        if let Some(&id) = self.by_key.get(&key).and_then(|ids| ids.iter().find(|&&id| self.types[id].given)) {
            self.add_use(id, site);
            return RustType::Named(id);
        }
        let id = self.push(TypeKind::Union(variants), None, site);
        let def = &mut self.types[id];
        def.given = true;
        def.pinned = Some(Pin::Schema(given));
        self.by_key.entry(key).or_default().push(id);
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

    /// Records a shape at a place. A place the table names is that name's
    /// type, whatever its shape: the shapes of one name's places merge (see
    /// [`merge_shape`]), so a field or value added at one of them is added,
    /// not a new type. A place the table does not name yet (new upstream)
    /// may join a type of the same structure; else it is a new type.
    fn shape(&mut self, kind: TypeKind, doc: Option<String>, site: &Site) -> RustType {
        let key = self.key_of(&kind);
        let mut pin = self.pin_of(site);
        // The root of a named schema that refers to itself fills its reserved id.
        if let Some(Some(id)) = site.root_of.as_ref().and_then(|name| self.in_progress.get(name)).copied() {
            self.types[id].kind = kind;
            self.filled.insert(id);
            self.by_key.entry(key).or_default().push(id);
            self.claim(id, pin, site);
            return RustType::Named(id);
        }
        if let Some(Pin::Table(name)) = &pin {
            if let Some(id) = self.by_name.get(name).copied() {
                // Each named schema is a type of its own: two cannot share a name.
                let other_schema = self.types[id].schema.as_ref().filter(|other| site.root_of.as_ref() != Some(*other));
                let merged = match (&site.root_of, other_schema) {
                    (Some(_), Some(_)) => {
                        self.conflicts.push(NameConflict { name: name.clone(), place: site.path.clone() });
                        Err(None)
                    }
                    _ => merge_shape(&mut self.types[id].kind, &kind).map_err(Some),
                };
                match merged {
                    Ok(()) => {
                        self.add_use(id, site);
                        self.rekey(id);
                        self.claim(id, pin, site);
                        return RustType::Named(id);
                    }
                    Err(None) => pin = None,
                    Err(Some(why)) => {
                        self.left.push((name.clone(), site.path.clone()));
                        self.notes.push(NameNote {
                            place: site.path.clone(),
                            what: format!(
                                "leaves `{name}`, which the table gives it: {why}; it gets a name of its own"
                            ),
                            split: true,
                        });
                        pin = None;
                    }
                }
            }
        }
        let request = is_request_body(root_schema(&site.path));
        let existing = self.by_key.get(&key).into_iter().flatten().copied().find(|&id| {
            let def = &self.types[id];
            let fits = self.fits(id, request);
            match &pin {
                // The first place of a name the table gives a new schema that
                // wants it too (upstream extracted this place into that
                // schema): one type, when the shapes are one.
                Some(Pin::Table(name)) if def.pinned.is_none() && def.wants.as_deref() == Some(name.as_str()) => true,
                // The first place of a name, or a schema new to the table:
                // a type no name claims yet may take it.
                Some(Pin::Table(_) | Pin::Schema(_)) if def.pinned.is_none() && def.wants.is_none() => {
                    !def.given && fits && self.claimable(id, &pin)
                }
                // A new schema whose own name the table gives another place is
                // that place's type when it has that place's shape.
                Some(Pin::Schema(name)) if self.table_names.contains(name) => {
                    def.pinned.as_ref().is_some_and(|p| p.name() == name)
                }
                Some(_) => false,
                None => !def.given && fits,
            }
        });
        let id = match existing {
            Some(id) => {
                merge_nullable(&mut self.types[id].kind, &kind);
                self.add_use(id, site);
                id
            }
            None => {
                let id = self.push(kind, doc, site);
                self.by_key.entry(key).or_default().push(id);
                id
            }
        };
        self.claim(id, pin, site);
        RustType::Named(id)
    }

    /// Whether a place may join a type by shape: a place outside request
    /// bodies never joins a type named for one (`device.attributes[]` is not
    /// a `DeviceAttributePost`, though it has that shape).
    fn fits(&self, id: TypeId, request_place: bool) -> bool {
        let def = &self.types[id];
        let name = def.pinned.as_ref().map(Pin::name).or(def.wants.as_deref());
        request_place || !name.is_some_and(is_request_body)
    }

    /// Whether a type met so far only at places no name claims may take the
    /// name `pin` gives: a request body's name only if all its places are in
    /// request bodies.
    fn claimable(&self, id: TypeId, pin: &Option<Pin>) -> bool {
        match pin {
            Some(pin) if is_request_body(pin.name()) => {
                self.types[id].uses.iter().all(|place| is_request_body(root_schema(place)))
            }
            _ => true,
        }
    }

    /// Gives a type the name the place pins, if it has none yet: a table's
    /// name (the type becomes that name's), or a schema's own name, which it
    /// only *wants* when the table gives that name to another place.
    fn claim(&mut self, id: TypeId, pin: Option<Pin>, site: &Site) {
        let def = &mut self.types[id];
        if let Some(schema) = &site.root_of {
            def.schema.get_or_insert_with(|| schema.clone());
        }
        match pin {
            None => {}
            Some(Pin::Table(name)) => {
                if !matches!(def.pinned, Some(Pin::Table(_))) {
                    def.pinned = Some(Pin::Table(name.clone()));
                    def.wants = None;
                }
                self.by_name.entry(name).or_insert(id);
            }
            Some(Pin::Schema(name)) if self.table_names.contains(&name) && def.pinned.is_none() => {
                def.wants.get_or_insert(name);
            }
            Some(Pin::Schema(name)) if self.table_names.contains(&name) => {}
            Some(pin) => {
                def.pinned.get_or_insert(pin);
            }
        }
    }

    /// Files a type under its structure again after a merge changed it.
    fn rekey(&mut self, id: TypeId) {
        let key = self.key_of(&self.types[id].kind);
        let ids = self.by_key.entry(key).or_default();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }

    fn add_use(&mut self, id: TypeId, site: &Site) {
        let def = &mut self.types[id];
        def.uses.push(site.path.clone());
        def.shorts.push(site.short.clone());
    }

    fn push(&mut self, kind: TypeKind, doc: Option<String>, site: &Site) -> TypeId {
        let id = self.types.len();
        self.types.push(TypeDef {
            name: String::new(),
            kind,
            doc,
            uses: vec![site.path.clone()],
            schema: None,
            parent: None,
            used_by: Vec::new(),
            pinned: None,
            wants: None,
            given: false,
            shorts: vec![site.short.clone()],
        });
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
                let variants: Vec<String> = variants
                    .iter()
                    .map(|v| {
                        let tag = v.tag.as_ref().map(|t| format!("{}={:?}", t.property, t.values)).unwrap_or_default();
                        format!("{}{tag}:{}", v.name, type_key(&v.ty))
                    })
                    .collect();
                format!("union[{}]", variants.join(","))
            }
            TypeKind::Alias(ty) => format!("alias({})", type_key(ty)),
        }
    }

    /// The naming pass. Pinned names first (the table's, named schemas',
    /// shared scalar unions'); then every other type from its anchor: the
    /// short name its uses suggest when no other type wants it, else that
    /// short qualified by the type holding the anchor, then by that type's
    /// holder, and so on.
    fn name_types(&mut self) {
        let mut taken: HashMap<String, TypeId> = HashMap::new();
        let places: HashMap<String, TypeId> =
            self.types.iter().enumerate().flat_map(|(id, def)| def.uses.iter().map(move |u| (u.clone(), id))).collect();
        let lengths: HashSet<usize> = places.keys().map(String::len).collect();
        for id in 0..self.types.len() {
            let anchor = self.types[id].uses.first().map(|_| anchor(&self.types[id].uses).to_string());
            self.types[id].parent = anchor.and_then(|a| holder(&a, &places, &lengths));
        }
        // The table's names first: a name a maintainer or an earlier import
        // gave a place is never taken away by a type that appears later. A
        // table name that cannot be given is the maintainer's to fix.
        for id in 0..self.types.len() {
            let Some(Pin::Table(name)) = self.types[id].pinned.clone() else { continue };
            if taken.contains_key(&name) || !is_type_ident(&name) || names::is_reserved_type(&name) {
                self.conflicts.push(NameConflict { name: name.clone(), place: self.anchor_of(id) });
                continue;
            }
            taken.insert(name.clone(), id);
            self.types[id].name = name;
        }
        // Then the names new schemas and shared scalar unions bring: one
        // taken (or not a usable name) is only wanted, and named by rule below.
        for id in 0..self.types.len() {
            let Some(Pin::Schema(name)) = self.types[id].pinned.clone() else { continue };
            if taken.contains_key(&name) || !is_type_ident(&name) || names::is_reserved_type(&name) {
                self.types[id].pinned = None;
                self.types[id].wants = Some(name);
                continue;
            }
            taken.insert(name.clone(), id);
            self.types[id].name = name;
        }
        let shorts: Vec<String> = (0..self.types.len()).map(|id| names::type_name(&self.common_short(id))).collect();
        let mut wanted: HashMap<&str, usize> = HashMap::new();
        for (id, short) in shorts.iter().enumerate() {
            if self.types[id].name.is_empty() {
                *wanted.entry(short.as_str()).or_default() += 1;
            }
        }
        // A short name stands alone only when it says enough: two words or more
        // (`ApplicationRole`), and no other type wants it. One word (`Info`,
        // `Tag`) is qualified by its holder (`DeviceTag`).
        let words = |s: &str| s.chars().filter(char::is_ascii_uppercase).count();
        let alone: Vec<bool> =
            shorts.iter().map(|s| words(s) >= 2 && wanted.get(s.as_str()).copied().unwrap_or_default() == 1).collect();
        let mut order: Vec<TypeId> = (0..self.types.len()).filter(|&id| self.types[id].name.is_empty()).collect();
        order.sort_by_cached_key(|&id| self.anchor_of(id));
        for id in order {
            self.derive_name(id, &shorts, &alone, &mut taken, &mut Vec::new());
        }
    }

    /// Names a type (and first its holder, whose name qualifies its own).
    fn derive_name(
        &mut self,
        id: TypeId,
        shorts: &[String],
        alone: &[bool],
        taken: &mut HashMap<String, TypeId>,
        naming: &mut Vec<TypeId>,
    ) {
        if !self.types[id].name.is_empty() || naming.contains(&id) {
            return;
        }
        naming.push(id);
        let short = &shorts[id];
        let mut candidates: Vec<String> = Vec::new();
        let wants = self.types[id].wants.clone().filter(|n| is_type_ident(n) && !names::is_reserved_type(n));
        if let Some(wanted) = &wants {
            candidates.push(wanted.clone());
        }
        if alone[id] {
            candidates.push(short.clone());
        }
        let mut holder = self.types[id].parent.clone();
        let mut qualified = short.clone();
        while let Some((parent, _)) = holder {
            self.derive_name(parent, shorts, alone, taken, naming);
            let parent_name = if self.types[parent].name.is_empty() {
                names::type_name(&self.common_short(parent))
            } else {
                self.types[parent].name.clone()
            };
            qualified = join_words(&parent_name, &qualified);
            candidates.push(qualified.clone());
            if self.types[parent].schema.is_some() {
                break;
            }
            holder = self.types[parent].parent.clone();
        }
        // A name stays readable: past MAX_NAME characters, qualify the short
        // by the schema the type is in instead of by every holder on the way.
        let root_name = names::type_name(root_schema(&self.anchor_of(id)));
        let root = (!short.starts_with(&root_name)).then(|| join_words(&root_name, short));
        candidates.extend(root.clone());
        // A bare one-word short (`Attribute`) says too little to stand alone.
        if short.chars().filter(char::is_ascii_uppercase).count() >= 2 {
            candidates.push(short.clone());
        }
        // Last, the holder-qualified name with what the type is (`NotebookStatsInfo`
        // beside a schema `notebookStats`).
        let kind = match self.types[id].kind {
            TypeKind::Struct(_) => "Info",
            TypeKind::Enum(_) => "Kind",
            TypeKind::Union(_) => "Choice",
            TypeKind::Alias(_) => "Value",
        };
        let skip = usize::from(alone[id]) + usize::from(wants.is_some());
        let qualified_first = candidates.get(skip).or(candidates.last()).cloned().unwrap_or_default();
        candidates.push(format!("{qualified_first}{kind}"));
        candidates.extend(root.map(|root| format!("{root}{kind}")));
        let fitting = candidates.iter().filter(|c| c.len() <= MAX_NAME).find(|c| !taken.contains_key(*c));
        let name =
            fitting.or_else(|| candidates.iter().find(|c| !taken.contains_key(*c))).cloned().unwrap_or_else(|| {
                // Every qualified form is taken (names differing only in case): say
                // it is another one, in words (then, should that be taken too, a number).
                let last = candidates.last().cloned().unwrap_or_default();
                names::unique(&format!("{last}Alt"), "Alt", |n| taken.contains_key(n))
            });
        let name = match names::is_reserved_type(&name) {
            true => names::unique(&format!("{name}Body"), "", |n| taken.contains_key(n)),
            false => name,
        };
        if let Some(wanted) = self.types[id].wants.clone().filter(|w| *w != name) {
            let why = match taken.get(&wanted) {
                Some(&other) => format!("`{}` has that name", self.anchor_of(other)),
                None => "it is not a type name the client can use".to_string(),
            };
            self.notes.push(NameNote {
                place: self.anchor_of(id),
                what: format!("is named `{name}`, not `{wanted}`: {why}"),
                split: false,
            });
        }
        taken.insert(name.clone(), id);
        self.types[id].name = name;
        naming.pop();
    }

    /// The most general place of a type (see [`anchor`]).
    fn anchor_of(&self, id: TypeId) -> String {
        anchor(&self.types[id].uses).to_string()
    }

    /// The short name the place of a type suggests: its anchor's, unless most
    /// of its uses agree on another (an enum used as `role` in ten places and
    /// `defaultRole` in one is a `Role`).
    fn common_short(&self, id: TypeId) -> String {
        let def = &self.types[id];
        let sites = &def.shorts;
        // The anchor once, not once per use: a type used in a thousand places
        // made this quadratic (more than half of a debug build script's run).
        let anchor = anchor(&def.uses);
        let at_anchor = def.uses.iter().position(|u| u == anchor).map(|i| sites[i].as_str());
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for short in sites {
            match counts.iter_mut().find(|(s, _)| s == short) {
                Some((_, n)) => *n += 1,
                None => counts.push((short, 1)),
            }
        }
        // Another short wins only when most uses say it: a type used as
        // `creationDate` in some of its 187 places and as other fields in the
        // rest is named for its anchor, not for the field it happens to fill most.
        let best = counts.iter().map(|(_, n)| *n).max().unwrap_or_default();
        if let Some(short) = at_anchor {
            let majority = counts.iter().any(|(s, n)| *s != short && 2 * n > sites.len());
            if !majority || counts.iter().any(|(s, n)| *s == short && 2 * n >= best) {
                return short.to_string();
            }
        }
        counts.into_iter().find(|(_, n)| *n == best).map(|(s, _)| s.to_string()).unwrap_or_default()
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

/// The most general of a type's places: the shallowest, then the one in the
/// schema with the shortest name (`org` before `orgs` before `historicalSummary`).
pub fn anchor(uses: &[String]) -> &str {
    uses.iter()
        .min_by_key(|path| {
            let root = path.split(['.', '[', '|', '{']).next().unwrap_or(path);
            let depth = path.matches(['.', '[', '|', '{']).count();
            (depth, root.len(), root, path.as_str())
        })
        .map(String::as_str)
        .unwrap_or_default()
}

/// The type holding a place, and what the place is in it: the nearest
/// enclosing place that is a type's (`org.members[]` is held by `org`).
/// (Only prefixes as long as some place are looked up: a place with
/// thousands of segments is not hashed once per segment.)
fn holder(place: &str, places: &HashMap<String, TypeId>, lengths: &HashSet<usize>) -> Option<(TypeId, String)> {
    let mut end = place.len();
    let mut what = String::new();
    while let Some(cut) = place[..end].rfind(['.', '[', '|', '{']) {
        let segment = &place[cut..end];
        if what.is_empty() {
            what = segment.trim_start_matches(['.', '|']).trim_end_matches(['[', ']', '{', '}']).to_string();
        }
        end = cut;
        if !lengths.contains(&end) {
            continue;
        }
        if let Some(&id) = places.get(&place[..end]) {
            return Some((id, what));
        }
    }
    None
}

/// `GraphBlock` + `BlockConfig` → `GraphBlockConfig`: words the holder's
/// name ends with are not said twice.
fn join_words(holder: &str, short: &str) -> String {
    let starts: Vec<usize> = short.char_indices().filter(|(_, c)| c.is_ascii_uppercase()).map(|(i, _)| i).collect();
    for &cut in starts.iter().rev().filter(|&&cut| cut > 0) {
        if holder.ends_with(&short[..cut]) {
            return format!("{holder}{}", &short[cut..]);
        }
    }
    format!("{holder}{short}")
}

/// A name the table may give a type: an ASCII identifier starting with a capital.
fn is_type_ident(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_uppercase()) && chars.all(|c| c.is_ascii_alphanumeric())
}

/// The property that tags every branch, if there is one: each branch is an
/// object requiring it, with string enum values no other branch shares.
fn union_tag(branches: &[&Value]) -> Option<String> {
    let first = branches.first()?.get("properties")?.as_object()?;
    first
        .keys()
        .find(|property| {
            let mut seen: BTreeSet<String> = BTreeSet::new();
            branches.iter().all(|branch| {
                let required = branch
                    .get("required")
                    .and_then(Value::as_array)
                    .is_some_and(|r| r.iter().any(|n| n.as_str() == Some(property.as_str())));
                let values = enum_values(branch, property);
                required && !values.is_empty() && values.into_iter().all(|v| seen.insert(v))
            })
        })
        .cloned()
}

/// The string values a branch allows for one of its properties.
fn enum_values(branch: &Value, property: &str) -> Vec<String> {
    branch
        .get("properties")
        .and_then(|p| p.get(property))
        .and_then(values)
        .map(|v| v.into_iter().map(str::to_string).collect())
        .unwrap_or_default()
}

/// A label per branch, unique among its siblings: its tag values (the
/// values of its required properties with at most three enum values, as
/// few of them as tell it apart: `graph`, `set,name`), else its title, else
/// its kind (`string`, `date-time`, `object`); a property only it has tells
/// apart objects that are still alike, and the position only the rest.
fn branch_labels(branches: &[&Value]) -> Vec<Label> {
    let words = |text: &str| text.replace(['/', ',', ':', '-', ' ', '+', '#'], "_");
    let tags: Vec<Vec<Vec<&str>>> = branches.iter().map(|b| tag_values(b)).collect();
    let mut depth: Vec<usize> = tags.iter().map(|t| t.len().min(1)).collect();
    let tag_label = |tags: &[Vec<&str>], depth: usize| -> Option<Label> {
        let parts = &tags[..depth];
        (depth > 0).then(|| Label {
            place: parts.iter().map(|v| v.join("/")).collect::<Vec<_>>().join(","),
            words: words(&parts.iter().map(|v| v.join("_or_")).collect::<Vec<_>>().join("_")),
        })
    };
    let mut labels: Vec<Label>;
    loop {
        labels = (0..branches.len())
            .map(|i| tag_label(&tags[i], depth[i]).unwrap_or_else(|| kind_label(branches[i])))
            .collect();
        let counts = place_counts(&labels);
        let mut grew = false;
        for i in 0..labels.len() {
            if counts[labels[i].place.as_str()] > 1 && depth[i] > 0 && depth[i] < tags[i].len() {
                depth[i] += 1;
                grew = true;
            }
        }
        if !grew {
            break;
        }
    }
    // Objects still alike: by a property the others lack. Per group of
    // branches with one label, how many of them have each property.
    let counts = place_counts(&labels);
    let mut holders: HashMap<(&str, &str), usize> = HashMap::new();
    for (label, branch) in labels.iter().zip(branches) {
        if counts[label.place.as_str()] > 1 {
            for key in branch.get("properties").and_then(Value::as_object).into_iter().flat_map(|p| p.keys()) {
                *holders.entry((label.place.as_str(), key.as_str())).or_default() += 1;
            }
        }
    }
    let own: Vec<Option<String>> = labels
        .iter()
        .zip(branches)
        .map(|(label, branch)| {
            if counts[label.place.as_str()] < 2 {
                return None;
            }
            branch
                .get("properties")
                .and_then(Value::as_object)
                .and_then(|p| p.keys().find(|k| holders.get(&(label.place.as_str(), k.as_str())) == Some(&1)))
                .cloned()
        })
        .collect();
    for (label, own) in labels.iter_mut().zip(own) {
        if let Some(property) = own {
            *label = Label {
                place: format!("{}+{property}", label.place),
                words: format!("{}_with_{}", label.words, words(&property)),
            };
        }
    }
    let counts = place_counts(&labels);
    let positions: Vec<bool> = labels.iter().map(|l| counts[l.place.as_str()] > 1).collect();
    for (i, label) in labels.iter_mut().enumerate() {
        if positions[i] {
            *label = Label { place: format!("{}#{i}", label.place), words: format!("{}_{}", label.words, i + 1) };
        }
    }
    labels
}

/// How many labels have each place.
fn place_counts(labels: &[Label]) -> HashMap<&str, usize> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for label in labels {
        *counts.entry(label.place.as_str()).or_default() += 1;
    }
    counts
}

/// The values of a branch's tag-like properties: required, with one to three enum values.
fn tag_values(branch: &Value) -> Vec<Vec<&str>> {
    let Some(properties) = branch.get("properties").and_then(Value::as_object) else { return Vec::new() };
    let required: Vec<&str> =
        branch.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    properties
        .iter()
        .filter(|(name, _)| required.contains(&name.as_str()))
        .filter_map(|(_, p)| values(p))
        .filter(|v| !v.is_empty() && v.len() <= 3)
        .collect()
}

/// A branch without tags: its title, the schema it refers to, its format or its kind.
fn kind_label(branch: &Value) -> Label {
    let words = |text: &str| text.replace(['/', ',', ':', '-', ' ', '+', '#'], "_");
    let text = branch
        .get("title")
        .and_then(Value::as_str)
        .or_else(|| branch.get("$ref").and_then(Value::as_str).map(|r| r.rsplit('/').next().unwrap_or(r)))
        .or_else(|| branch.get("format").and_then(Value::as_str))
        .map(str::to_string)
        .unwrap_or_else(|| {
            let object = branch.as_object();
            match object.map(schema_types).unwrap_or_default().as_slice() {
                [one] => one.to_string(),
                _ if branch.get("properties").is_some() => "object".to_string(),
                _ if branch.get("items").is_some() => "array".to_string(),
                _ => "value".to_string(),
            }
        });
    // A string enum of a few values is named by them (`NONE`).
    let text = match branch.as_object().and_then(string_enum) {
        Some(values) if values.len() <= 3 && branch.get("title").is_none() => values.join("/"),
        _ => text,
    };
    Label { place: text.clone(), words: words(&text) }
}

/// Whether `anyOf`/`oneOf` branches only say which properties are required.
fn only_constraints(branches: &[Value]) -> bool {
    !branches.is_empty()
        && branches.iter().all(|b| b.as_object().is_some_and(|o| !o.is_empty() && o.keys().all(|k| k == "required")))
}

/// "At least one of `toEmail` or `callbackUrl` must be set.", from
/// `anyOf: [{required: [toEmail]}, {required: [callbackUrl]}]`.
fn required_sets(object: &Map<String, Value>) -> Option<String> {
    let (key, branches) = ["anyOf", "oneOf"].iter().find_map(|k| Some((*k, object.get(*k)?.as_array()?)))?;
    if !only_constraints(branches) {
        return None;
    }
    let sets: Vec<String> = branches
        .iter()
        .map(|b| {
            let names: Vec<String> = b["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(|n| format!("`{n}`"))
                .collect();
            names.join(" and ")
        })
        .collect();
    let rule = if key == "anyOf" { "At least one of" } else { "Exactly one of" };
    Some(format!("{rule} {} must be set.", sets.join(" or ")))
}

/// Whether a schema (by its name, or a type by its name) is a request body:
/// `devicePost`, `DeviceAttributePatch`.
fn is_request_body(name: &str) -> bool {
    ["Post", "Patch", "Put"]
        .iter()
        .any(|suffix| name.strip_suffix(suffix).is_some_and(|rest| rest.ends_with(|c: char| c.is_ascii_lowercase())))
}

/// Merges the shape met at another place of one name into the name's type:
/// a struct gets the fields of both (a field required only where every
/// place requires it; a field one place lacks is optional), an enum the
/// values of both, a union the variants of both. Shapes that cannot be one
/// type (a struct and an enum, a field that is text at one place and a
/// number at the other) are refused with the reason, and nothing changes.
fn merge_shape(into: &mut TypeKind, from: &TypeKind) -> Result<(), String> {
    match (into, from) {
        (TypeKind::Struct(fields), TypeKind::Struct(other)) => {
            let same = |a: &Field, b: &Field| a.wire == b.wire && a.flatten == b.flatten;
            // Places of one type share fields; shapes with none in common are
            // two things a table line (a hand edit) gave one name.
            if !fields.is_empty() && !other.is_empty() && !other.iter().any(|f| fields.iter().any(|g| same(f, g))) {
                return Err("it shares no field with the other places of that name".to_string());
            }
            for theirs in other {
                if let Some(ours) = fields.iter().find(|f| same(f, theirs)) {
                    if type_key(&ours.ty) != type_key(&theirs.ty) {
                        let field = if ours.flatten {
                            "the map of other properties".to_string()
                        } else {
                            format!("field `{}`", ours.wire)
                        };
                        return Err(format!("{field} has another type there"));
                    }
                }
            }
            for ours in fields.iter_mut() {
                match other.iter().find(|f| same(ours, f)) {
                    Some(theirs) => {
                        ours.required &= theirs.required;
                        ours.nullable |= theirs.nullable;
                        if ours.doc.is_none() {
                            ours.doc.clone_from(&theirs.doc);
                        }
                    }
                    None if !ours.flatten => ours.required = false,
                    None => {}
                }
            }
            let mut taken: HashSet<String> = fields.iter().map(|f| f.rust.clone()).collect();
            for theirs in other.iter().filter(|f| !fields.iter().any(|ours| same(ours, f))).cloned().collect::<Vec<_>>()
            {
                let rust = unique_field(&mut taken, theirs.rust.clone());
                let required = theirs.flatten;
                fields.push(Field { rust, required, ..theirs });
            }
            Ok(())
        }
        (TypeKind::Enum(values), TypeKind::Enum(other)) => {
            if !other.iter().any(|v| values.iter().any(|w| w.wire == v.wire)) {
                return Err("it shares no value with the other places of that name".to_string());
            }
            let mut wires: Vec<&str> = values.iter().map(|v| v.wire.as_str()).collect();
            wires.extend(other.iter().map(|v| v.wire.as_str()).filter(|w| !values.iter().any(|v| v.wire == *w)));
            // Listed values first, so their variant names stay.
            let merged = enum_values_of(&wires);
            *values = merged;
            Ok(())
        }
        (TypeKind::Union(variants), TypeKind::Union(other)) => {
            let tagged = |vs: &[Variant]| vs.first().and_then(|v| v.tag.as_ref()).map(|t| t.property.clone());
            if tagged(variants) != tagged(other) {
                return Err("its union is told apart another way there".to_string());
            }
            for theirs in other {
                if let Some(ours) = variants.iter().find(|v| v.name == theirs.name) {
                    if type_key(&ours.ty) != type_key(&theirs.ty) {
                        return Err(format!("variant `{}` holds another type there", ours.name));
                    }
                }
            }
            for theirs in other {
                match variants.iter_mut().find(|v| v.name == theirs.name) {
                    Some(ours) => {
                        if let (Some(tag), Some(more)) = (ours.tag.as_mut(), theirs.tag.as_ref()) {
                            for value in &more.values {
                                if !tag.values.contains(value) {
                                    tag.values.push(value.clone());
                                }
                            }
                        }
                    }
                    None => variants.push(theirs.clone()),
                }
            }
            Ok(())
        }
        (TypeKind::Alias(ours), TypeKind::Alias(theirs)) if type_key(ours) == type_key(theirs) => Ok(()),
        (into, from) => Err(format!("it is {} there, {} elsewhere", kind_words(from), kind_words(into))),
    }
}

fn kind_words(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "an object",
        TypeKind::Enum(_) => "a string enum",
        TypeKind::Union(_) => "a union",
        TypeKind::Alias(_) => "another type",
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

/// A field name no earlier field of the struct has (`type`, then `type_`,
/// `type_2`), recorded in `taken`.
fn unique_field(taken: &mut HashSet<String>, rust: String) -> String {
    let rust = if taken.contains(&rust) {
        names::unique(&format!("{}_", names::unraw(&rust)), "", |n| taken.contains(n))
    } else {
        rust
    };
    taken.insert(rust.clone());
    rust
}

/// The variants of a string enum: each value once, named by its PascalCase;
/// values that differ only in case or punctuation (`a-b`, `a_b`) get
/// `Value` (then a number), and so does a value named `Unknown`, the variant
/// that keeps values the enum does not list.
pub fn enum_values_of(wires: &[&str]) -> Vec<EnumValue> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut used: HashSet<String> = HashSet::new();
    let mut values = Vec::new();
    for wire in wires {
        if !seen.insert(wire) {
            continue;
        }
        let rust = names::unique(&names::pascal(wire), "Value", |n| n == "Unknown" || used.contains(n));
        used.insert(rust.clone());
        values.push(EnumValue { wire: wire.to_string(), rust });
    }
    values
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
        RustType::Secret => "secret".into(),
        RustType::Timestamp => "time".into(),
    }
}

/// The Rust type of a text schema: what the spec says the text is, or `String`.
fn text_type(schema: &Value) -> RustType {
    if crate::validate::sensitive::is_marked(schema) {
        RustType::Secret
    } else if schema.get("format").and_then(Value::as_str) == Some("date-time") {
        RustType::Timestamp
    } else {
        RustType::String
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
        RustType::Secret => "Secret",
        RustType::Timestamp => "Timestamp",
    }
}

/// Whether a union branch of this type can be one of the scalar unions
/// shared everywhere (`Scalar`, `NumberOrString`): plain text, numbers and
/// booleans; a timestamp keeps its format, so its union is its own.
fn is_shared_scalar(ty: &RustType) -> bool {
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

/// What a schema says of its values when it has no description: format,
/// pattern, bounds, allowed values and default, as a sentence.
fn constraints(schema: &Value) -> Option<String> {
    let get = |key: &str| schema.get(key);
    let mut parts: Vec<String> = Vec::new();
    if let Some(format) = get("format").and_then(Value::as_str) {
        parts.push(format!("format `{format}`"));
    }
    if let Some(pattern) = get("pattern").and_then(Value::as_str) {
        parts.push(format!("matches `{pattern}`"));
    }
    let bound = |low: &str, high: &str, unit: &str| -> Option<String> {
        match (get(low), get(high)) {
            (Some(a), Some(b)) => Some(format!("{a} to {b}{unit}")),
            (Some(a), None) => Some(format!("at least {a}{unit}")),
            (None, Some(b)) => Some(format!("at most {b}{unit}")),
            (None, None) => None,
        }
    };
    parts.extend(bound("minLength", "maxLength", " characters"));
    parts.extend(bound("minimum", "maximum", ""));
    parts.extend(bound("minItems", "maxItems", " items"));
    if let Some(values) = get("enum").and_then(Value::as_array) {
        let shown: Vec<String> = values.iter().take(8).map(|v| format!("`{v}`")).collect();
        let more = if values.len() > 8 { format!(" and {} more", values.len() - 8) } else { String::new() };
        parts.push(format!("one of {}{more}", shown.join(", ")));
    }
    if let Some(default) = get("default") {
        parts.push(format!("default `{default}`"));
    }
    if parts.is_empty() {
        return None;
    }
    let mut text = parts.join("; ");
    text[..1].make_ascii_uppercase();
    Some(format!("{text}."))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn schema(name: &str, json: Value) -> (String, Schema) {
        (name.to_string(), Schema { name: name.to_string(), file: Default::default(), json })
    }

    /// Nesting as deep as YAML allows (serde_yaml stops at 128), or a chain of
    /// 400 schemas each holding the next, stops at `MAX_DEPTH`, and the
    /// conversion fits in a 1 MiB stack (test threads have 2, the build
    /// script's thread 8).
    #[test]
    fn deep_schemas_stop_at_the_depth_limit_without_overflowing() {
        for kind in ["object", "array", "union", "refs"] {
            let converted = std::thread::Builder::new()
                .stack_size(1 << 20)
                .spawn(move || {
                    let mut schemas = BTreeMap::new();
                    let mut inner = json!({"type": "string"});
                    let levels = if kind == "refs" { 400 } else { 127 };
                    for i in 0..levels {
                        inner = match kind {
                            "object" => json!({"type": "object", "properties": {format!("p{i}"): inner}}),
                            "array" => json!({"type": "array", "items": inner}),
                            "union" => json!({"title": format!("t{i}"), "oneOf": [inner, {"type": "object", "properties": {"x": {"type": "integer"}}}]}),
                            _ => {
                                // Named so that the outermost is converted first.
                                let name = format!("s{:04}", 1000 - i);
                                schemas.extend([schema(&name, json!({"type": "object", "properties": {"next": inner}}))]);
                                json!({"$ref": format!("#/definitions/{name}")})
                            }
                        };
                    }
                    schemas.extend([schema("a", inner)]);
                    let space = TypeSpace::build(&schemas, &BTreeMap::new());
                    (space.max_depth, space.too_deep.is_some())
                })
                .unwrap()
                .join();
            assert_eq!(converted.ok(), Some((MAX_DEPTH, true)), "{kind}");
        }
    }

    /// A marked field is found through refs and list items; a list of text
    /// is no list of items; the key is the items' first required text field
    /// and the value their only other one.
    #[test]
    fn reshaped_lists_are_found_through_refs_and_items_with_their_key_fields() {
        let tag = json!({"type": "object", "properties": {"key": {"type": "string"}, "value": {"type": "string"}}, "required": ["key", "value"]});
        let attribute = json!({
            "type": "object",
            "properties": {"name": {"type": "string"}, "dataType": {"type": "string", "enum": ["number"]}, "description": {"type": "string"}},
            "required": ["name", "dataType"]
        });
        let counted = json!({"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]});
        let schemas: BTreeMap<String, Schema> = [
            schema("device", json!({"type": "object", "properties": {
                "tags": {"type": "array", "items": tag},
                "attributes": {"type": "array", "items": attribute},
                "counts": {"type": "array", "items": counted},
                "name": {"type": "string"}
            }})),
            schema("devices", json!({"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/definitions/device"}}}})),
            schema("other", json!({"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}}}})),
        ]
        .into_iter()
        .collect();
        let space = TypeSpace::build(&schemas, &BTreeMap::new());
        let roots = |name: &str| vec![space.schemas[name].clone()];
        // (holder, (key field, value field) if it has a map form)
        type Found = (String, Option<(String, Option<String>)>);
        let found = |root: &str, field: &str| -> Vec<Found> {
            space
                .lists_named(&roots(root), field)
                .into_iter()
                .map(|(holder, _, form)| (space.types[holder].name.clone(), form.map(|f| (f.key, f.value))))
                .collect()
        };
        assert_eq!(
            found("devices", "tags"),
            [("Device".to_string(), Some(("key".to_string(), Some("value".to_string()))))]
        );
        assert_eq!(found("devices", "attributes"), [("Device".to_string(), Some(("name".to_string(), None)))]);
        assert_eq!(found("devices", "counts"), [("Device".to_string(), None)], "no required text: no key");
        assert!(found("other", "tags").is_empty(), "a list of text is no list of items");
        assert!(found("devices", "name").is_empty());
    }
}
