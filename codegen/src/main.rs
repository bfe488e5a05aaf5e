//! `codegen`: check a spec, generate the client, or print the resolved spec.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use codegen::Diagnostics;

/// Every line this binary writes goes through [`output`]: these replace the
/// standard macros for the rest of the file, so no output can panic.
macro_rules! print {
    ($($arg:tt)*) => { output::stdout(format_args!($($arg)*)) };
}
macro_rules! println {
    ($($arg:tt)*) => { output::stdout(format_args!("{}\n", format_args!($($arg)*))) };
}
macro_rules! eprintln {
    ($($arg:tt)*) => { output::stderr(format_args!("{}\n", format_args!($($arg)*))) };
}

/// Writing to a pipe that may close early (`codegen diff | head`).
///
/// The standard `println!` panics when stdout is a closed pipe. Here a closed
/// pipe (`BrokenPipe`) ends the output quietly: later writes are skipped and
/// the command finishes with the exit code its result calls for (a breaking
/// diff still exits 2). Any other write error ends the process with a message.
mod output {
    use std::fmt::Arguments;
    use std::io::{self, ErrorKind, Write};
    use std::sync::atomic::{AtomicBool, Ordering};

    static CLOSED: AtomicBool = AtomicBool::new(false);

    /// Writes to stdout.
    pub fn stdout(text: Arguments<'_>) {
        if CLOSED.load(Ordering::Relaxed) {
            return;
        }
        let mut out = io::stdout().lock();
        match out.write_fmt(text).and_then(|()| out.flush()) {
            Ok(()) => {}
            Err(error) if error.kind() == ErrorKind::BrokenPipe => CLOSED.store(true, Ordering::Relaxed),
            Err(error) => {
                stderr(format_args!("error: cannot write the output: {error}\n"));
                std::process::exit(1);
            }
        }
    }

    /// Writes to stderr; if that fails too there is nowhere left to say so.
    pub fn stderr(text: Arguments<'_>) {
        let mut err = io::stderr().lock();
        let _ = err.write_fmt(text).and_then(|()| err.flush());
    }
}

/// Generator of the typed Rust client for the Losant API.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate a spec and print every problem found.
    Check {
        /// The spec directory.
        #[arg(default_value = "spec")]
        spec_dir: PathBuf,
        /// Fail (exit 1) on warnings too, as CI should (notes, upstream
        /// facts that need no action, never fail).
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Generate the client's Rust source from a spec.
    Generate {
        /// The spec directory.
        #[arg(default_value = "spec")]
        spec_dir: PathBuf,
        /// Where to write the generated files.
        #[arg(long, default_value = "generated")]
        out: PathBuf,
    },
    /// Import an upstream API release (apiInfo.json, schemas/, docs/) into the spec.
    Import {
        /// The release directory, e.g. ../shared/losant-api/v1.30.0.
        release_dir: PathBuf,
        /// The spec directory to write.
        #[arg(long, default_value = "spec")]
        out: PathBuf,
        /// The overrides file to apply [default: OUT/overrides.yaml if it
        /// exists, else spec/overrides.yaml if it exists].
        #[arg(long)]
        overrides: Option<PathBuf>,
        /// The release's API version, X.Y.Z [default: the trailing X.Y.Z of
        /// the release folder's name, as in `v1.30.0`].
        #[arg(long)]
        api_version: Option<String>,
    },
    /// Update `spec/names.yaml`, the Rust name of the type at each place:
    /// keep every name whose place still holds a type, name new places,
    /// drop places that are gone (and say which); then `spec/features.yaml`,
    /// the cargo features each type has been compiled with.
    Names {
        /// The spec directory.
        #[arg(default_value = "spec")]
        spec_dir: PathBuf,
    },
    /// Compare two specs: every change, what it does to callers, its cause
    /// and the version bump it needs. Exit code: 0 no change, 1 compatible
    /// or docs changes only, 2 breaking changes, 3 changes caused by the
    /// generator (a bug, whatever else changed).
    Diff {
        /// The spec before.
        old_spec_dir: PathBuf,
        /// The spec after.
        new_spec_dir: PathBuf,
        /// Print JSON for tools instead of text.
        #[arg(long)]
        json: bool,
        /// The crate's current version, which the bump is computed for
        /// (Cargo's rules: a breaking change of a 0.y.z crate bumps y). By
        /// default the `[package] version` of the `Cargo.toml` beside the new spec.
        #[arg(long, value_name = "X.Y.Z")]
        crate_version: Option<String>,
    },
    /// Write a Markdown reference: one page per resource, and `_schemas.md`.
    Docs {
        /// The spec directory.
        #[arg(default_value = "spec")]
        spec_dir: PathBuf,
        /// Where to write the pages.
        #[arg(long, default_value = "docs")]
        out: PathBuf,
        /// Instead, write every action's example as one Rust file (the
        /// client's `tests/doc_examples.rs`, which `cargo test` compiles).
        #[arg(long, value_name = "FILE")]
        examples: Option<PathBuf>,
    },
    /// Print the resolved spec.
    Inspect {
        /// The spec directory.
        #[arg(default_value = "spec")]
        spec_dir: PathBuf,
        /// Print JSON for tools (the only format for now).
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Check { spec_dir, deny_warnings } => check(&spec_dir, deny_warnings),
        Command::Generate { spec_dir, out } => generate(&spec_dir, &out),
        Command::Import { release_dir, out, overrides, api_version } => {
            import(&release_dir, &out, overrides.as_deref(), api_version)
        }
        Command::Names { spec_dir } => names(&spec_dir),
        Command::Diff { old_spec_dir, new_spec_dir, json, crate_version } => {
            diff(&old_spec_dir, &new_spec_dir, json, crate_version.as_deref())
        }
        Command::Docs { spec_dir, out, examples } => docs(&spec_dir, &out, examples.as_deref()),
        Command::Inspect { spec_dir, json: _ } => inspect(&spec_dir),
    }
}

fn check(spec_dir: &Path, deny_warnings: bool) -> ExitCode {
    match codegen::check_types(spec_dir) {
        Ok((api, space, diagnostics)) => {
            report(&diagnostics);
            // Notes are upstream facts that need no action: they never fail a check.
            let warnings = diagnostics.count(codegen::Severity::Warning);
            if deny_warnings && warnings > 0 {
                eprintln!("failed: {warnings} warning(s), and --deny-warnings");
                return ExitCode::FAILURE;
            }
            let actions: usize = api.resources.iter().map(|r| r.actions.len()).sum();
            println!(
                "ok: {} resources, {} actions, {} schemas, {} types, {} warnings, {} notes",
                api.resources.len(),
                actions,
                api.schemas.len(),
                space.types.len(),
                warnings,
                diagnostics.count(codegen::Severity::Note)
            );
            ExitCode::SUCCESS
        }
        Err(problems) => fail(&problems),
    }
}

fn generate(spec_dir: &Path, out: &Path) -> ExitCode {
    let generated = match codegen::generate(spec_dir) {
        Ok(generated) => generated,
        Err(problems) => return fail(&problems),
    };
    // Notes are for `check`; generation shows what needs attention.
    report(&generated.warnings.without_notes());
    // The registry (type → places) beside the code, for reading names.
    let written =
        generated.write_to(out).and_then(|()| std::fs::write(out.join("type-registry.txt"), &generated.registry));
    if let Err(error) = written {
        eprintln!("{}: error: cannot write generated files: {error}", out.display());
        return ExitCode::FAILURE;
    }
    let stats = generated.stats;
    println!(
        "generated {} resources, {} actions, {} types in {} ms -> {}",
        stats.resources,
        stats.actions,
        stats.types,
        stats.millis,
        out.display()
    );
    ExitCode::SUCCESS
}

fn import(release_dir: &Path, out: &Path, overrides: Option<&Path>, api_version: Option<String>) -> ExitCode {
    // The project's overrides, as the README's commands (run from the checkout) see them.
    let project = Path::new("spec").join(codegen::maintainer::overrides::FILE);
    let overrides = match codegen::maintainer::overrides::choose(out, overrides, &project) {
        Ok(overrides) => overrides,
        Err(problems) => return fail(&problems),
    };
    // Said first, so that it shows even when the import fails.
    match &overrides {
        Some(file) => println!("overrides: {}", file.display()),
        None => println!(
            "overrides: none found (no {} or {}): upstream data is imported uncorrected",
            out.join(codegen::maintainer::overrides::FILE).display(),
            project.display()
        ),
    }
    let options = codegen::maintainer::import::ImportOptions { overrides, api_version };
    match codegen::maintainer::import::import_with(release_dir, out, &options) {
        Ok(imported) => {
            report(&imported.warnings);
            println!(
                "imported API v{}: {} resources, {} actions, {} schemas ({} overrides applied, {} stale; {} upstream slips repaired by rule): {} files written, {} removed -> {}",
                imported.version,
                imported.resources,
                imported.actions,
                imported.schemas,
                imported.overrides,
                imported.stale_overrides,
                imported.repairs,
                imported.written,
                imported.removed,
                out.display()
            );
            print_names(&imported.names);
            print_features(&imported.features);
            ExitCode::SUCCESS
        }
        Err(problems) => fail(&problems),
    }
}

fn names(spec_dir: &Path) -> ExitCode {
    match codegen::update_tables(spec_dir) {
        Ok(update) => {
            print_names(&update.names);
            print_features(&update.features);
            ExitCode::SUCCESS
        }
        Err(problems) => fail(&problems),
    }
}

/// What a names-table update did: counts, then each name that is gone (a
/// breaking change for callers) and each new one.
fn print_names(update: &codegen::model::names_table::Update) {
    println!(
        "type names: {} kept, {} new, {} gone ({})",
        update.kept,
        update.added.len(),
        update.gone.len(),
        codegen::model::names_table::FILE
    );
    for (place, name) in &update.gone {
        println!("  gone  {name} (was at `{place}`)");
    }
    for (place, name) in &update.added {
        println!("  new   {name} (at `{place}`)");
    }
    for note in &update.notes {
        println!("  note  {note}");
    }
}

/// What a feature-record update did: how many types it records, and each
/// type it keeps compiled with features whose resources no longer use it.
fn print_features(update: &codegen::model::feature_record::Update) {
    let changed = if update.changed { "updated" } else { "unchanged" };
    println!(
        "type features: {} types recorded, {} kept in features they no longer need ({}, {changed})",
        update.types,
        update.kept.len(),
        codegen::model::feature_record::FILE
    );
    for (name, features) in &update.kept {
        let features: Vec<String> = features.iter().map(|f| format!("`{f}`")).collect();
        println!("  kept  {name} with {}", features.join(", "));
    }
}

fn diff(old: &Path, new: &Path, json: bool, crate_version: Option<&str>) -> ExitCode {
    let version = match crate_version {
        Some(text) => codegen::maintainer::diff::bump::Version::parse(text).map(Some),
        None => {
            // The package whose spec `new` is: `spec/` sits beside its Cargo.toml.
            let dir = std::fs::canonicalize(new).unwrap_or_else(|_| new.to_path_buf());
            let manifest = dir.parent().map(|p| p.join("Cargo.toml"));
            match manifest.filter(|m| m.is_file()) {
                Some(manifest) => codegen::maintainer::diff::bump::Version::of_manifest(&manifest).map(Some),
                None => Ok(None),
            }
        }
    };
    let version = match version {
        Ok(version) => version,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let mut report = match codegen::maintainer::diff::diff_specs(old, new) {
        Ok(report) => report,
        Err(problems) => return fail(&problems),
    };
    report.version = version;
    if json {
        match serde_json::to_string_pretty(&report.to_json()) {
            Ok(text) => println!("{text}"),
            Err(error) => {
                eprintln!("error: cannot print the report as JSON: {error}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        print!("{report}");
    }
    let bugs = report.by_generator();
    if bugs > 0 {
        eprintln!(
            "error: {bugs} change(s) above are caused by the generator, not by the API (marked `generator:`): \
             a bug in codegen, report it; do not ship this release as it is (exit 3)"
        );
    }
    ExitCode::from(report.exit_code())
}

fn docs(spec_dir: &Path, out: &Path, examples: Option<&Path>) -> ExitCode {
    let (api, space) = match codegen::check_types(spec_dir) {
        Ok((api, space, _)) => (api, space),
        Err(problems) => return fail(&problems),
    };
    if let Some(file) = examples {
        let written = codegen::emit::examples_file(&api, &space)
            .map_err(|e| e.to_string())
            .and_then(|text| std::fs::write(file, text).map_err(|e| e.to_string()));
        return match written {
            Ok(()) => {
                println!("wrote the examples -> {}", file.display());
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("{}: error: cannot write the examples: {error}", file.display());
                ExitCode::FAILURE
            }
        };
    }
    let written = codegen::maintainer::docs::pages(&api, &space).and_then(|pages| {
        std::fs::create_dir_all(out)
            .and_then(|()| pages.iter().try_for_each(|(name, text)| std::fs::write(out.join(name), text)))
            .map(|()| pages.len())
            .map_err(|e| e.to_string())
    });
    match written {
        Ok(count) => {
            println!("wrote {count} pages -> {}", out.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{}: error: cannot write the docs: {error}", out.display());
            ExitCode::FAILURE
        }
    }
}

fn inspect(spec_dir: &Path) -> ExitCode {
    match codegen::check(spec_dir) {
        Ok((api, _)) => {
            let json = serde_json::json!({
                "api": {
                    "title": api.title,
                    "version": api.version,
                    "base_url": api.base_url,
                    "accept_version": api.accept_version,
                    "auth": api.auth,
                },
                "resources": api.resources,
                "schemas": api.schemas.keys().collect::<Vec<_>>(),
            });
            match serde_json::to_string_pretty(&json) {
                Ok(text) => {
                    println!("{text}");
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("error: cannot print the spec as JSON: {error}");
                    ExitCode::FAILURE
                }
            }
        }
        Err(problems) => fail(&problems),
    }
}

fn report(diagnostics: &Diagnostics) {
    for diagnostic in diagnostics.clone().sorted() {
        eprintln!("{diagnostic}");
    }
}

fn fail(problems: &Diagnostics) -> ExitCode {
    // What stopped the run, without the notes (`check` lists those).
    report(&problems.without_notes());
    let errors = problems.0.iter().filter(|d| d.severity == codegen::Severity::Error).count();
    eprintln!("failed: {errors} error(s)");
    ExitCode::FAILURE
}
