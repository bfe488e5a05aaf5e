//! Codegen speed on the bundled spec, phase by phase: load (YAML), validate,
//! type conversion, token emission and formatting, and all of it together.
//! `cargo bench -p losant-rest-codegen`; numbers go to BENCHMARKS.md.

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};

fn spec() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")
}

fn phases(c: &mut Criterion) {
    let dir = spec();
    let raw = codegen::load::load(&dir).unwrap();
    let (api, _) = codegen::validate::validate(&raw).unwrap();
    let space = codegen::typegen::TypeSpace::build(&api.schemas, &Default::default());
    let modules = codegen::emit::modules(&api, &space).unwrap();

    let mut group = c.benchmark_group("codegen/full spec");
    group.sample_size(10);
    group.bench_function("load", |b| b.iter(|| codegen::load::load(&dir).unwrap()));
    group.bench_function("validate", |b| b.iter(|| codegen::validate::validate(&raw).unwrap()));
    group.bench_function("typegen", |b| {
        b.iter(|| codegen::typegen::TypeSpace::build(&api.schemas, &Default::default()))
    });
    group.bench_function("emit tokens", |b| b.iter(|| codegen::emit::modules(&api, &space).unwrap()));
    group.bench_function("format", |b| {
        b.iter(|| codegen::emit::format(modules.clone(), codegen::emit::Layout::Pretty).unwrap())
    });
    group.bench_function("format (plain)", |b| {
        b.iter(|| codegen::emit::format(modules.clone(), codegen::emit::Layout::Plain).unwrap())
    });
    group.bench_function("generate (all)", |b| b.iter(|| codegen::generate(&dir).unwrap()));
    group.bench_function("generate (build script: plain layout)", |b| {
        b.iter(|| codegen::generate_with(&dir, codegen::emit::Layout::Plain).unwrap())
    });
    group.finish();
}

fn org_only(c: &mut Criterion) {
    // The Org resource and the schemas it uses, copied out of the bundled spec.
    let dir = tempfile::tempdir().unwrap();
    let spec = spec();
    std::fs::create_dir_all(dir.path().join("resources")).unwrap();
    std::fs::create_dir_all(dir.path().join("schemas")).unwrap();
    std::fs::copy(spec.join("api.yaml"), dir.path().join("api.yaml")).unwrap();
    std::fs::copy(spec.join("resources/org.yaml"), dir.path().join("resources/org.yaml")).unwrap();
    let org = codegen::check(&spec).unwrap().0;
    let resource = org.resources.iter().find(|r| r.name == "org").unwrap();
    for action in &resource.actions {
        let schemas = action.params.iter().filter_map(|p| p.schema.as_deref());
        for schema in schemas.chain(action.responses.iter().filter_map(|r| r.schema.as_deref())) {
            let file = format!("schemas/{schema}.yaml");
            std::fs::copy(spec.join(&file), dir.path().join(&file)).unwrap();
        }
    }
    let mut group = c.benchmark_group("codegen/org spec");
    group.sample_size(20);
    group.bench_function("generate (all)", |b| b.iter(|| codegen::generate(dir.path()).unwrap()));
    group.finish();
}

criterion_group!(benches, phases, org_only);
criterion_main!(benches);
