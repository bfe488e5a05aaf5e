//! Which variant of a union told apart by shape to try first: generated
//! unions rank their variants with [`union_order`] before decoding.

/// What [`union_order`] knows of one variant of a generated union.
#[derive(Debug)]
#[cfg_attr(not(generated_uses = "shape_unions"), allow(dead_code))]
pub(crate) struct VariantShape {
    /// Whether the variant is an object (a struct); the rest are scalars or lists.
    pub(crate) object: bool,
    /// The struct's field names on the wire.
    pub(crate) fields: &'static [&'static str],
    /// The fields it requires.
    pub(crate) required: &'static [&'static str],
    /// Fields that allow only some strings, with those strings: `("blockType", &["gauge"])`.
    pub(crate) tags: &'static [(&'static str, &'static [&'static str])],
    /// Whether it takes undeclared properties (a map, or a struct that collects them).
    pub(crate) open: bool,
}

impl VariantShape {
    /// A variant that is a map: any object, no declared fields.
    #[cfg_attr(not(generated_uses = "map_variants"), allow(dead_code))]
    pub(crate) const MAP: VariantShape =
        VariantShape { object: true, fields: &[], required: &[], tags: &[], open: true };
    /// A variant that is not an object.
    #[cfg_attr(not(generated_uses = "other_variants"), allow(dead_code))]
    pub(crate) const OTHER: VariantShape =
        VariantShape { object: false, fields: &[], required: &[], tags: &[], open: false };
}

/// The order in which to try the variants of a union for the value `probe`
/// describes: a variant whose tag fields (string fields with a closed set of
/// values) match first, one with a mismatched tag or a missing required field
/// last; among the rest, the one that knows most of the value's keys and least
/// of none. Structs tolerate unknown fields, so trying variants in declaration
/// order would let the first one swallow the others' values.
#[cfg_attr(not(generated_uses = "shape_unions"), allow(dead_code))]
pub(crate) fn union_order(probe: &crate::object::Probe, variants: &[VariantShape]) -> Vec<usize> {
    let object = probe.object.as_deref();
    let mut ranked: Vec<(usize, (i64, i64, i64, i64))> = variants
        .iter()
        .enumerate()
        .map(|(index, variant)| {
            let score = match (object, variant.object) {
                (Some(keys), true) => {
                    let get = |key: &str| keys.iter().find(|(k, _)| k == key);
                    let tag = |(key, allowed): &(&str, &[&str])| {
                        get(key).and_then(|(_, v)| v.as_deref()).map(|v| allowed.contains(&v))
                    };
                    let mismatched = variant.tags.iter().any(|t| tag(t) == Some(false));
                    let matched = variant.tags.iter().filter(|t| tag(t) == Some(true)).count() as i64;
                    let missing = variant.required.iter().any(|r| get(r).is_none());
                    let known = keys.iter().filter(|(k, _)| variant.fields.contains(&k.as_str())).count() as i64;
                    let unknown = if variant.open { 0 } else { keys.len() as i64 - known };
                    let viable = if mismatched || missing { 0 } else { 1 };
                    (viable, matched, known, -unknown)
                }
                (None, false) => (1, 0, 0, 0),
                _ => (-1, 0, 0, 0),
            };
            (index, score)
        })
        .collect();
    // Stable: equal scores keep declaration order.
    ranked.sort_by_key(|(_, score)| std::cmp::Reverse(*score));
    ranked.into_iter().map(|(index, _)| index).collect()
}

#[cfg(test)]
mod union_tests {
    use super::*;

    const SHAPES: &[VariantShape] = &[
        VariantShape { object: true, fields: &["a", "kind"], required: &[], tags: &[("kind", &["one"])], open: false },
        VariantShape {
            object: true,
            fields: &["b", "kind"],
            required: &[],
            tags: &[("kind", &["two", "2"])],
            open: false,
        },
        VariantShape { object: true, fields: &["c"], required: &["c"], tags: &[], open: false },
        VariantShape::MAP,
        VariantShape::OTHER,
    ];

    #[test]
    fn tags_then_known_keys_decide_the_order() {
        let order = |v: serde_json::Value| union_order(&crate::object::Probe::of(&v.to_string()), SHAPES);
        assert_eq!(order(serde_json::json!({"kind": "two"}))[0], 1);
        assert_eq!(order(serde_json::json!({"kind": "2", "a": 1}))[0], 1, "a tag outranks known keys");
        assert_eq!(order(serde_json::json!({"b": 1}))[0], 1);
        assert_eq!(order(serde_json::json!({"c": 1, "a": 2}))[..2], [0, 2]);
        assert_eq!(order(serde_json::json!({"a": 1})), [0, 3, 1, 2, 4], "a variant missing a required field goes late");
        assert_eq!(order(serde_json::json!({"floor": 2}))[0], 3, "a map beats structs that know none of the keys");
        assert_eq!(order(serde_json::json!("text"))[0], 4);
    }
}
