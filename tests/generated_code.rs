//! Snapshots of the code generated from the bundled spec: one per file, plus
//! the type registry. A change to the spec or the generator shows up here as
//! a diff to review (`cargo insta review`).

use std::path::Path;

fn generate() -> codegen::Generated {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("spec");
    codegen::generate(&spec).unwrap_or_else(|problems| panic!("the bundled spec has problems:\n{problems}"))
}

#[test]
fn generated_files_match_their_snapshots() {
    let generated = generate();
    let names: Vec<&str> = generated.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names[..3], ["api.rs", "types.rs", "schema_index.rs"]);
    assert_eq!(names.len(), 4 + generated.stats.resources);
    assert!(names.contains(&"params.rs"));
    assert!(names.contains(&"org.rs") && names.contains(&"device.rs"));
    for file in &generated.files {
        insta::assert_snapshot!(file.name.as_str(), file.contents);
    }
    insta::assert_snapshot!("type_registry", generated.registry);
}

#[test]
fn generation_is_deterministic() {
    let first = generate();
    let second = generate();
    assert_eq!(first.files, second.files);
    assert_eq!(first.registry, second.registry);
}

#[test]
// The build script emits only what the enabled features compile
// (`codegen/tests/features.rs` checks that subset); with `full`, everything.
#[cfg_attr(not(feature = "full"), ignore = "needs the `full` feature: the build emitted only the enabled resources")]
fn the_build_script_output_is_what_codegen_generates() {
    // The crate under test was built from OUT_DIR's copy, in the plain
    // layout; it must be that, and the same code as the snapshots.
    let out_dir = Path::new(env!("OUT_DIR"));
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("spec");
    let plain = codegen::generate_with(&spec, codegen::emit::Layout::Plain).unwrap();
    let pretty = generate();
    for (file, pretty) in plain.files.iter().zip(&pretty.files) {
        let built = std::fs::read_to_string(out_dir.join(&file.name)).unwrap();
        assert_eq!(built, file.contents, "{} differs from the build's copy", file.name);
        assert_eq!(file.name, pretty.name);
        if file.name == "schema_index.rs" {
            assert_eq!(file.contents, pretty.contents, "not Rust laid out by codegen");
        } else {
            let reformatted = codegen::emit::reformat(&file.contents).unwrap_or_else(|e| panic!("{}: {e}", file.name));
            assert!(reformatted == pretty.contents, "{}: the plain layout is not the same code", file.name);
        }
    }
}
