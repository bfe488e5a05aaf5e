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
fn the_build_script_output_is_what_codegen_generates() {
    // The crate under test was built from OUT_DIR's copy; it must be this one.
    let out_dir = Path::new(env!("OUT_DIR"));
    for file in generate().files {
        let built = std::fs::read_to_string(out_dir.join(&file.name)).unwrap();
        assert_eq!(built, file.contents, "{} differs from the build's copy", file.name);
    }
}
