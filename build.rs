//! Generates the client from `spec/` into `OUT_DIR`; `generated-client/src/lib.rs`
//! includes the result. Cargo reruns this when the spec or codegen changes.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let spec_dir = manifest_dir.join("spec");
    let Some(out_dir) = std::env::var_os("OUT_DIR").map(PathBuf::from) else {
        eprintln!("error: OUT_DIR is not set; run this through cargo");
        return ExitCode::FAILURE;
    };
    println!("cargo:rerun-if-changed=spec");

    // The plain layout: the same code as `generated/`, without parsing it
    // back with syn for prettyplease (half of a generation). Only what the
    // enabled features compile: a build of `org` alone emits `org` alone.
    let enabled = codegen::model::features::Enabled::from_cargo_env();
    match codegen::generate_for(&spec_dir, codegen::emit::Layout::Plain, &enabled) {
        Ok(generated) => {
            // One line, not one per warning: `codegen check` lists them.
            // Notes (upstream facts that need no action) are not warnings.
            let warnings = generated.warnings.count(codegen::Severity::Warning);
            if warnings > 0 {
                println!("cargo:warning={warnings} spec warnings: run `cargo run -p losant-rest-codegen -- check` to list them");
            }
            // Which runtime helpers the generated code calls: the others may be dead code.
            for line in generated.cargo_directives() {
                println!("{line}");
            }
            if let Err(error) = generated.write_to(&out_dir) {
                eprintln!("error: cannot write the generated client to {}: {error}", out_dir.display());
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(problems) => {
            eprintln!("the spec in {} has problems:\n{problems}", spec_dir.display());
            ExitCode::FAILURE
        }
    }
}
