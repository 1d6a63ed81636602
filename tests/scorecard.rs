//! The scorecard as `check` reports it, against the ratings the fixtures were designed to give.

mod common;
use common::*;

/// `ref,row,current_cell,rag,direction,note` as written by fixtures/make_workbooks.py.
fn expected(fixture: &str) -> Vec<(String, String, String)> {
    let csv = std::fs::read_to_string(root().join(fixture).join("expected.csv")).unwrap();
    csv.lines()
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            let rag = if f[3].is_empty() { "none".to_string() } else { f[3].to_lowercase().replace("n/a", "na") };
            let direction = match f[4] {
                "none" | "" => "na".to_string(),
                d => d.to_string(),
            };
            (f[0].to_string(), rag, direction)
        })
        .collect()
}

fn check_json(paper: &str) -> serde_json::Value {
    let out = run(&["check", "--json", paper]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn ratings(json: &serde_json::Value) -> Vec<(String, String, String)> {
    json["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["ref"].as_str().unwrap().to_string(),
                i["rag"].as_str().unwrap().to_string(),
                i["direction"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn check_rates_the_2014_fixture_as_designed() {
    let json = check_json("fixtures/kcc-2014-scs-dashboard/paper.yaml");
    assert_eq!(ratings(&json), expected("fixtures/kcc-2014-scs-dashboard"));
    assert_eq!(json["period"], "July 2014");
    assert_eq!(json["totals"], serde_json::json!({"green": 6, "amber": 6, "red": 4, "na": 2, "none": 8}));
}

#[test]
fn check_rates_the_2017_fixture_as_designed() {
    let json = check_json("fixtures/kcc-2017-children-in-care/paper.yaml");
    assert_eq!(ratings(&json), expected("fixtures/kcc-2017-children-in-care"));
    assert_eq!(json["period"], "March 2017");
}

#[test]
fn ods_and_xlsx_copies_of_a_workbook_give_the_same_report() {
    let dir = tempfile::tempdir().unwrap();
    let src = root().join("fixtures/kcc-2017-children-in-care");
    std::fs::copy(src.join("cic-scorecard.ods"), dir.path().join("cic-scorecard.ods")).unwrap();
    let yaml =
        std::fs::read_to_string(src.join("paper.yaml")).unwrap().replace("cic-scorecard.xlsx", "cic-scorecard.ods");
    std::fs::write(dir.path().join("paper.yaml"), yaml).unwrap();
    let from_ods = check_json(dir.path().join("paper.yaml").to_str().unwrap());
    let from_xlsx = check_json("fixtures/kcc-2017-children-in-care/paper.yaml");
    assert_eq!(from_ods, from_xlsx);
}

#[test]
fn check_json_has_the_documented_shape() {
    let json = check_json("fixtures/kcc-2014-scs-dashboard/paper.yaml");
    assert_eq!(json["paper"], "Specialist Children's Services Performance Dashboard");
    for i in json["indicators"].as_array().unwrap() {
        for key in [
            "ref",
            "name",
            "section",
            "value",
            "previous",
            "target",
            "floor",
            "polarity",
            "decimals",
            "unit",
            "period_type",
            "rag",
            "previous_rag",
            "move",
            "direction",
        ] {
            assert!(i.get(key).is_some(), "indicator lacks {key}: {i}");
        }
    }
    let scs09 = json["indicators"].as_array().unwrap().iter().find(|i| i["ref"] == "SCS09").unwrap();
    // "12.5%" typed as text in the workbook is read as 12.5 percentage points.
    assert_eq!(scs09["value"], 12.5);
    assert_eq!(scs09["polarity"], "lower");
    assert_eq!(scs09["unit"], "percent");
    assert_eq!(scs09["period_type"], "rolling-12-months");
    let scs22 = json["indicators"].as_array().unwrap().iter().find(|i| i["ref"] == "SCS22").unwrap();
    // An #N/A error cell is "data not available", with the reason kept.
    assert_eq!(scs22["value"], serde_json::Value::Null);
    assert_eq!(scs22["rag"], "na");
    assert_eq!(scs22["missing_reason"], "#N/A in Scorecard!I27");
}

#[test]
fn check_prints_a_table_with_totals_and_writes_nothing() {
    let dir = case(&paper_yaml(""), vec![header(), indicator("T1", "Visits in time", 80.0, 91.0, 90.0, 85.0)]);
    let paper = dir.path().join("paper.yaml");
    let out = run(&["check", paper.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("T1   Visits in time  91.0%  90.0%   85.0%  Green  ▲ Improved"), "{text}");
    assert!(text.contains("1 indicator: Green 1, Amber 0, Red 0, N/A 0"), "{text}");
    let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(files.len(), 2, "check wrote nothing");
}

#[test]
fn paper_file_settings_win_over_the_workbook() {
    let yaml = paper_yaml("      indicators:\n        T1:\n          target: 95\n          floor: 92\n");
    let dir = case(&yaml, vec![header(), indicator("T1", "Visits in time", 80.0, 91.0, 90.0, 85.0)]);
    let json = check_json(dir.path().join("paper.yaml").to_str().unwrap());
    assert_eq!(json["indicators"][0]["target"], 95.0);
    assert_eq!(json["indicators"][0]["rag"], "red");
}
