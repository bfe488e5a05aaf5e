//! The Org resource's history, from the seed documents (2016 to 2023) written
//! as spec fixtures in `tests/fixtures/org-history/`: `codegen diff` between
//! consecutive ones must name exactly the changes visible between the
//! documents. Each report is a snapshot.

use std::path::{Path, PathBuf};

use codegen::maintainer::diff::bump::Version;
use codegen::maintainer::diff::{diff_specs, Impact, Report};

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/org-history");
    let mut dirs: Vec<PathBuf> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    dirs
}

fn reports() -> Vec<(String, Report)> {
    let dirs = fixtures();
    let name = |dir: &PathBuf| dir.file_name().unwrap().to_string_lossy().into_owned();
    let version = Version::parse("0.1.0").unwrap();
    dirs.windows(2)
        .map(|pair| {
            let report = diff_specs(&pair[0], &pair[1]).unwrap_or_else(|p| panic!("{p}")).with_version(version);
            (format!("{}-to-{}", name(&pair[0]), name(&pair[1])), report)
        })
        .collect()
}

/// The items a report says were added (actions, params, responses), as `item: what`.
fn lines(report: &Report, impact: Impact) -> Vec<String> {
    report.changes.iter().filter(|c| c.impact == impact).map(|c| format!("{}: {}", c.item, c.what)).collect()
}

#[test]
fn five_documents_four_diffs() {
    assert_eq!(fixtures().len(), 5);
    for (name, report) in reports() {
        insta::assert_snapshot!(name.clone(), report.to_string());
    }
}

#[test]
fn the_new_actions_appear_when_the_documents_show_them() {
    let added: Vec<String> = reports()
        .iter()
        .flat_map(|(_, r)| lines(r, Impact::Compatible))
        .filter(|line| line.contains("action added"))
        .map(|line| line.split(':').next().unwrap().to_string())
        .collect();
    for action in [
        "org.payloadCounts",
        "org.transferResources",
        "org.deviceCounts",
        "org.notebookMinuteCounts",
        "org.payloadCountsBreakdown",
    ] {
        assert!(added.contains(&action.to_string()), "{action} never added: {added:?}");
    }
}

#[test]
fn the_new_params_appear_when_the_documents_show_them() {
    let text: String = reports().iter().map(|(_, r)| r.to_string()).collect();
    // A param arrives on an existing action (or on all, a global one), or
    // with a new action whose setters list it.
    let arrived = |param: &str| {
        text.lines().any(|l| l.contains(&format!("params.{param}: setter `")) && l.contains("` added on "))
            || text.lines().any(|l| {
                let setters = l.split("with setters ").nth(1).and_then(|s| s.split(';').next());
                l.contains("action added")
                    && setters.is_some_and(|s| s.split(", ").any(|n| codegen::model::names::snake(param) == n))
            })
    };
    for param in [
        "losantdomain",
        "summaryExclude",
        "summaryInclude",
        "start",
        "end",
        "resolution",
        "asBytes",
        "includeNonBillable",
    ] {
        assert!(arrived(param), "{param} never added:\n{text}");
    }
    assert!(text.contains("org.delete.responses.400: error response 400 added"), "{text}");
    assert!(text.contains("org.get.responses.400: error response 400 added"), "{text}");
    assert!(text.contains("now grants the action"), "no scope ever appears: {text}");
}

#[test]
fn the_readme_excerpt_is_lines_of_a_real_report() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md")).unwrap();
    let after = readme.split("from `codegen/tests/snapshots/`):").nth(1).expect("the README's diff excerpt");
    let block = after.split("```").nth(1).unwrap_or_default();
    let (_, report) = reports().into_iter().find(|(name, _)| name == "2-2016-markdown-to-3-v1.21.0").unwrap();
    let report = report.to_string();
    let excerpt: Vec<&str> =
        block.lines().filter(|l| !l.trim().is_empty()).map(|l| l.strip_prefix("   ").unwrap_or(l)).collect();
    assert!(excerpt.len() > 5, "{block}");
    for line in excerpt {
        assert!(report.lines().any(|l| l == line), "README line not in the report:\n{line}\n\nreport:\n{report}");
    }
}
