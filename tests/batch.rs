//! Batch runs end to end: the real binary on manifests of small generated papers, and the library
//! pieces a batch stands on (shared workbook cache, overrides, the scorecard subset filter).

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use committee_paper::ingest::WorkbookCache;
use committee_paper::{Overrides, config, load_with};
use common::*;

/// A folder with `book.xlsx` and one paper file per subject (`<name>.yaml`), and `manifest.yaml`
/// with `manifest` as its text.
fn batch_case(papers: &[(&str, &str)], manifest: &str) -> tempfile::TempDir {
    let rows = vec![
        header(),
        indicator("T01", "Timeliness", 70.0, 80.0, 75.0, 60.0),
        indicator("T02", "Quality", 90.0, 50.0, 75.0, 60.0),
    ];
    let dir = case(&paper_yaml(""), rows);
    for (name, subject) in papers {
        let yaml = paper_yaml("").replace("subject: Test Scorecard", &format!("subject: {subject}"));
        std::fs::write(dir.path().join(format!("{name}.yaml")), yaml).unwrap();
    }
    std::fs::write(dir.path().join("manifest.yaml"), manifest).unwrap();
    dir
}

fn batch(dir: &Path, extra: &[&str]) -> std::process::Output {
    let manifest = dir.join("manifest.yaml");
    let out = dir.join("out");
    let mut args = vec!["batch", manifest.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(&args)
}

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("summary is not JSON ({e}): {}{}", stdout(out), stderr(out)))
}

fn files_in(dir: &Path) -> BTreeSet<String> {
    match std::fs::read_dir(dir) {
        Ok(entries) => entries.map(|e| e.unwrap().file_name().into_string().unwrap()).collect(),
        Err(_) => BTreeSet::new(),
    }
}

#[test]
fn the_fixture_manifest_builds_every_panel() {
    let out = tempfile::tempdir().unwrap();
    let result = run(&["batch", "fixtures/batch/panels.yaml", "-o", out.path().to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(0), "{}{}", stdout(&result), stderr(&result));
    let files = files_in(out.path());
    for stem in [
        "kcc-2014-08-28-scs-performance-dashboard",
        "kcc-2017-06-01-children-in-care-scorecard",
        "kcc-2014-09-19-early-help-scorecard",
        "kcc-2017-07-13-fostering-service-performance-scorecard",
    ] {
        assert!(files.contains(&format!("{stem}.pdf")) && files.contains(&format!("{stem}.docx")), "{stem}: {files:?}");
    }
    assert_eq!(files.len(), 8, "{files:?}");
    assert!(stdout(&result).contains("4 built, 0 failed, 4 papers"), "{}", stdout(&result));
}

#[test]
fn a_broken_paper_does_not_stop_the_others() {
    let dir = batch_case(
        &[("a", "Panel A"), ("b", "Panel B"), ("d", "Panel D")],
        "defaults:\n  formats: [docx]\npapers:\n  - paper: a.yaml\n  - paper: broken.yaml\n  - paper: b.yaml\n  - paper: missing.yaml\n  - paper: d.yaml\n",
    );
    // A misspelt key on line 6 of the broken paper.
    let broken = paper_yaml("")
        .replace("subject: Test Scorecard", "subject: Broken")
        .replace("classification:", "clasification:");
    std::fs::write(dir.path().join("broken.yaml"), broken).unwrap();

    let result = batch(dir.path(), &[]);
    assert_eq!(result.status.code(), Some(1), "{}{}", stdout(&result), stderr(&result));
    let text = stdout(&result);
    assert!(text.contains("3 built, 2 failed, 5 papers"), "{text}");
    assert!(text.contains("FAILED") && text.contains("broken.yaml:7:1: unknown field `clasification`"), "{text}");
    assert!(text.contains("did you mean `classification`?"), "{text}");
    assert!(text.contains("manifest.yaml:7:12: paper file \"missing.yaml\" not found"), "{text}");
    let files = files_in(&dir.path().join("out"));
    assert_eq!(files, ["a.docx", "b.docx", "d.docx"].map(String::from).into(), "{text}");

    let summary = json(&batch(dir.path(), &["--json"]));
    assert_eq!(summary["built"], 3);
    assert_eq!(summary["failed"], 2);
    let broken = &summary["papers"][1];
    assert_eq!(broken["paper"], "broken.yaml");
    assert_eq!(broken["status"], "failed");
    assert!(broken["location"].as_str().unwrap().ends_with("broken.yaml:7:1"), "{broken}");
    assert!(broken["error"].as_str().unwrap().contains("unknown field `clasification`"), "{broken}");
    assert_eq!(summary["papers"][0]["status"], "built");
    assert!(summary["papers"][0]["seconds"].as_f64().is_some());
}

/// A paper whose file cannot be written fails with the reason; the others are still written.
#[test]
fn a_paper_that_cannot_be_written_does_not_stop_the_others() {
    let dir = batch_case(
        &[("a", "Panel A"), ("b", "Panel B"), ("c", "Panel C")],
        "defaults:\n  formats: [docx]\npapers:\n  - paper: a.yaml\n  - paper: b.yaml\n  - paper: c.yaml\n",
    );
    std::fs::create_dir_all(dir.path().join("out/b.docx")).unwrap();
    let result = batch(dir.path(), &[]);
    assert_eq!(result.status.code(), Some(1), "{}{}", stdout(&result), stderr(&result));
    let text = stdout(&result);
    assert!(text.contains("2 built, 1 failed, 3 papers"), "{text}");
    assert!(text.contains("cannot write b.docx: a folder of that name is in the way"), "{text}");
    let files = files_in(&dir.path().join("out"));
    assert_eq!(files, ["a.docx", "b.docx", "c.docx"].map(String::from).into(), "{text}");
    assert!(dir.path().join("out/a.docx").is_file() && dir.path().join("out/c.docx").is_file());
}

#[test]
fn shards_are_disjoint_and_make_the_whole() {
    let names: Vec<(String, String)> = (1..=7).map(|i| (format!("p{i}"), format!("Panel {i}"))).collect();
    let papers: Vec<(&str, &str)> = names.iter().map(|(n, s)| (n.as_str(), s.as_str())).collect();
    let manifest = format!(
        "defaults:\n  formats: [docx]\npapers:\n{}",
        names.iter().rev().map(|(n, _)| format!("  - paper: {n}.yaml\n")).collect::<String>()
    );
    let dir = batch_case(&papers, &manifest);
    let mut union = BTreeSet::new();
    let mut total = 0;
    for i in 1..=3 {
        let shard = format!("{i}/3");
        let summary = json(&batch(dir.path(), &["--json", "--shard", &shard]));
        assert_eq!(summary["failed"], 0, "{summary}");
        let outputs: BTreeSet<String> =
            summary["papers"].as_array().unwrap().iter().map(|p| p["output"].as_str().unwrap().to_string()).collect();
        assert!(!outputs.is_empty(), "shard {shard} is empty");
        assert_eq!(summary["other_shards"], 7 - outputs.len());
        // The same shard twice gives the same share.
        let again = json(&batch(dir.path(), &["--json", "--shard", &shard]));
        assert_eq!(again["papers"].as_array().unwrap().len(), outputs.len());
        total += outputs.len();
        assert!(union.is_disjoint(&outputs), "shard {shard} overlaps: {outputs:?} vs {union:?}");
        union.extend(outputs);
    }
    assert_eq!(total, 7);
    let all: BTreeSet<String> = (1..=7).map(|i| format!("p{i}")).collect();
    assert_eq!(union, all);
    assert_eq!(files_in(&dir.path().join("out")).len(), 7);
}

#[test]
fn duplicate_output_names_are_refused_before_any_build() {
    // Two paper files with the same date and subject make the same name from this pattern.
    let dir = batch_case(
        &[("a", "Same Subject"), ("b", "Same Subject"), ("c", "Other")],
        "defaults:\n  output: \"{date}-{slug}\"\npapers:\n  - paper: c.yaml\n  - paper: a.yaml\n  - paper: b.yaml\n",
    );
    let result = batch(dir.path(), &[]);
    assert_eq!(result.status.code(), Some(1), "{}{}", stdout(&result), stderr(&result));
    let err = stderr(&result);
    assert!(
        err.contains(
            "manifest.yaml:6:12: papers 2 (a.yaml) and 3 (b.yaml) would both write 2020-01-15-same-subject.pdf"
        ),
        "{err}"
    );
    assert!(err.contains("hint: give one of them its own name"), "{err}");
    assert!(!dir.path().join("out").exists(), "nothing may be written");

    // Giving one its own name in the manifest resolves it.
    std::fs::write(
        dir.path().join("manifest.yaml"),
        "defaults:\n  formats: [docx]\n  output: \"{date}-{slug}\"\npapers:\n  - paper: c.yaml\n  - paper: a.yaml\n  - paper: b.yaml\n    output: \"{date}-{slug}-b\"\n",
    )
    .unwrap();
    let result = batch(dir.path(), &[]);
    assert_eq!(result.status.code(), Some(0), "{}{}", stdout(&result), stderr(&result));
    assert!(files_in(&dir.path().join("out")).contains("2020-01-15-same-subject-b.docx"));
}

#[test]
fn manifest_mistakes_are_located() {
    let dir = batch_case(&[("a", "Panel A")], "defaults:\n  formts: [pdf]\npapers:\n  - paper: a.yaml\n");
    let result = batch(dir.path(), &[]);
    assert_eq!(result.status.code(), Some(1));
    let err = stderr(&result);
    assert!(err.contains("manifest.yaml:2:3: unknown field `formts`"), "{err}");
    assert!(err.contains("did you mean `formats`?"), "{err}");
    assert!(!dir.path().join("out").exists());

    std::fs::write(dir.path().join("manifest.yaml"), "papers:\n  - paper: a.yaml\n    output: \"{date}-{titel}\"\n")
        .unwrap();
    let err = stderr(&batch(dir.path(), &[]));
    assert!(err.contains("manifest.yaml:3:13: unknown placeholder `{titel}`"), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    let dir = batch_case(&[("a", "Panel A")], "papers:\n  - paper: a.yaml\n");
    for args in [["--shard", "4/3"], ["--shard", "0/3"], ["--shard", "two"], ["-j", "0"]] {
        let result = batch(dir.path(), &args);
        assert_eq!(result.status.code(), Some(2), "{args:?}: {}", stderr(&result));
    }
    assert!(!dir.path().join("out").exists());
}

#[test]
fn overrides_change_the_date_the_period_and_the_name() {
    let dir = batch_case(
        &[("a", "Panel A")],
        "defaults:\n  formats: [docx]\n  output: \"{date}-{slug}\"\npapers:\n  - paper: a.yaml\n    date: 2020-02-20\n    period: February 2020\n",
    );
    let result = batch(dir.path(), &[]);
    assert_eq!(result.status.code(), Some(0), "{}{}", stdout(&result), stderr(&result));
    assert!(files_in(&dir.path().join("out")).contains("2020-02-20-panel-a.docx"));

    // A paper whose own output name starts with its date gets the new date.
    std::fs::write(dir.path().join("dated.yaml"), paper_yaml("output: 2020-01-15-panel-a\n")).unwrap();
    let mut paper = config::load_paper(&dir.path().join("dated.yaml")).unwrap();
    let overrides =
        Overrides { date: chrono::NaiveDate::from_ymd_opt(2020, 2, 20), period: Some("February 2020".into()) };
    overrides.apply(&mut paper);
    assert_eq!(paper.output_stem, "2020-02-20-panel-a", "the name follows the new date");
    let loaded = load_with(paper, &overrides, &WorkbookCache::new()).unwrap();
    assert_eq!(loaded.paper.meta.date.to_string(), "2020-02-20");
    assert_eq!(loaded.paper.meta.date_display, "20 February 2020");
    assert_eq!(loaded.scorecards[0].as_ref().unwrap().period.as_deref(), Some("February 2020"));
    assert_eq!(loaded.paper.appendices[0].scorecard.as_ref().unwrap().period.as_deref(), Some("February 2020"));
    let summary = format!("{:?}", loaded.paper.front[0]);
    assert!(summary.contains("February 2020") && !summary.contains("January 2020"), "{summary}");
}

#[test]
fn a_shared_workbook_is_opened_once() {
    let cache = WorkbookCache::new();
    for paper in ["fixtures/batch/early-help.yaml", "fixtures/kcc-2014-scs-dashboard/paper.yaml"] {
        let config = config::load_paper(&root().join(paper)).unwrap();
        load_with(config, &Overrides::default(), &cache).unwrap();
    }
    assert_eq!(cache.opened(), 1);
    let uncached = WorkbookCache::uncached();
    for _ in 0..2 {
        let config = config::load_paper(&root().join("fixtures/batch/early-help.yaml")).unwrap();
        load_with(config, &Overrides::default(), &uncached).unwrap();
    }
    assert_eq!(uncached.opened(), 2);
}

#[test]
fn a_scorecard_can_show_part_of_a_workbook() {
    let loaded = committee_paper::load(&root().join("fixtures/batch/fostering.yaml")).unwrap();
    let card = loaded.scorecards[0].as_ref().unwrap();
    let refs: Vec<&str> = card.indicators.iter().map(|i| i.reference.as_str()).collect();
    assert_eq!(refs, ["CIC01", "CIC05", "CIC06", "CIC07", "CIC08", "CIC09"]);
    assert_eq!(card.totals.red, 1, "totals count the shown indicators only");

    // A misspelt section is an error at its place in the paper file, never a silently empty table.
    let yaml = std::fs::read_to_string(root().join("fixtures/batch/fostering.yaml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fostering.yaml");
    let bad = yaml
        .replace("sections: [Placements]", "sections: [Placement]")
        .replace("../kcc-2017", &format!("{}/fixtures/kcc-2017", root().display()));
    std::fs::write(&path, &bad).unwrap();
    let line = bad.lines().position(|l| l.contains("sections: [Placement]")).unwrap() + 1;
    let err = committee_paper::load(&path).err().unwrap().to_string();
    assert!(
        err.contains(&format!("fostering.yaml:{line}:18: the scorecard sheet has no section \"Placement\"")),
        "{err}"
    );
    assert!(err.contains("did you mean \"Placements\"?"), "{err}");

    let bad =
        bad.replace("sections: [Placement]", "sections: [Placements]").replace("include: [CIC01]", "include: [CIC1]");
    std::fs::write(&path, &bad).unwrap();
    let err = committee_paper::load(&path).err().unwrap().to_string();
    assert!(err.contains("`include` names indicator \"CIC1\", which the workbook does not have"), "{err}");
}
