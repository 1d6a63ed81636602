//! Bad inputs: each gives `error: <where>: <what>` on stderr, exit 1, and no output file.

mod common;
use common::*;

/// Builds the case, expects failure, returns stderr with the case folder replaced by `DIR`.
fn fails(dir: &tempfile::TempDir) -> String {
    let out = build_case(dir.path());
    assert_eq!(out.status.code(), Some(1), "stdout: {}\nstderr: {}", stdout(&out), stderr(&out));
    assert!(!dir.path().join("out").exists(), "a failed paper leaves no output");
    stderr(&out).replace(&dir.path().display().to_string(), "DIR")
}

fn ok_rows() -> Vec<Vec<V<'static>>> {
    vec![header(), indicator("T1", "Visits in time", 80.0, 91.0, 90.0, 85.0)]
}

#[test]
fn text_in_a_number_cell_names_the_cell() {
    let mut rows = ok_rows();
    rows[1][5] = V::S("n/k yet");
    let err = fails(&case(&paper_yaml(""), rows));
    assert_eq!(err, "error: book.xlsx › Scorecard!F2: expected a number, found \"n/k yet\"\n");
}

#[test]
fn missing_sheet_lists_the_sheets_there_are() {
    let err = fails(&case(&paper_yaml("").replace("sheet: Scorecard", "sheet: Scorecrd"), ok_rows()));
    assert_eq!(
        err,
        "error: book.xlsx: sheet \"Scorecrd\" not found; the workbook has \"Scorecard\", \"Info\"\n  hint: did you mean \"Scorecard\"?\n"
    );
}

#[test]
fn header_row_not_found_shows_what_was_seen() {
    let rows = vec![vec![V::S("Code"), V::S("Name"), V::S("Now")], vec![V::S("T1"), V::S("Visits"), V::N(3.0)]];
    let err = fails(&case(&paper_yaml(""), rows));
    assert!(err.starts_with("error: book.xlsx › Scorecard: no header row naming \"Ref\" and \"Indicator\" and \"Current\" found"), "{err}");
    assert!(err.contains("row 1: Code | Name | Now"), "{err}");
    assert!(err.contains("hint: "), "{err}");
}

#[test]
fn duplicate_refs_name_both_cells() {
    let mut rows = ok_rows();
    rows.push(indicator("T1", "Visits again", 1.0, 2.0, 3.0, 1.0));
    let err = fails(&case(&paper_yaml(""), rows));
    assert_eq!(err, "error: book.xlsx › Scorecard!A3: duplicate Ref \"T1\": it is also used at Scorecard!A2\n  hint: each indicator needs its own Ref\n");
}

#[test]
fn floor_above_target_when_higher_is_better_names_the_cells() {
    let rows = vec![header(), indicator("T1", "Visits in time", 80.0, 91.0, 85.0, 90.0)];
    let err = fails(&case(&paper_yaml(""), rows));
    assert!(err.starts_with("error: book.xlsx › Scorecard!H2: indicator T1 \"Visits in time\": the floor (minimum standard) 90"), "{err}");
    assert!(err.contains("(target at book.xlsx › Scorecard!G2, floor at book.xlsx › Scorecard!H2)"), "{err}");
}

#[test]
fn unknown_placeholder_names_its_line() {
    let yaml = paper_yaml("").replace("{{ period }}", "{{ perod }}");
    let err = fails(&case(&yaml, ok_rows()));
    assert!(err.starts_with("error: DIR/paper.yaml:8:10: unknown placeholder `{{ perod }}`"), "{err}");
    assert!(err.contains("hint: did you mean `{{ period }}`?"), "{err}");
}

#[test]
fn missing_workbook_gives_the_path_as_written_and_as_resolved() {
    let yaml = paper_yaml("").replace("workbook: book.xlsx", "workbook: books/missing.xlsx");
    let err = fails(&case(&yaml, ok_rows()));
    assert!(err.starts_with("error: DIR/paper.yaml:12:17: workbook \"books/missing.xlsx\" not found (looked for DIR/books/missing.xlsx)"), "{err}");
}

#[test]
fn a_file_that_is_not_a_workbook_is_refused() {
    let dir = case(&paper_yaml(""), ok_rows());
    std::fs::write(dir.path().join("book.xlsx"), "this is not a spreadsheet").unwrap();
    let err = fails(&dir);
    assert!(err.starts_with("error: book.xlsx: failed to read workbook ("), "{err}");
    assert!(err.contains("hint: save it from the spreadsheet program"), "{err}");
}

#[test]
fn unknown_indicator_in_settings_suggests_the_ref() {
    let yaml = paper_yaml("      indicators:\n        T2:\n          target: 95\n");
    let err = fails(&case(&yaml, ok_rows()));
    assert!(err.starts_with("error: DIR/paper.yaml:"), "{err}");
    assert!(err.contains("settings are given for indicator \"T2\", which the workbook does not have"), "{err}");
}

#[test]
fn yaml_syntax_error_is_located() {
    let yaml = paper_yaml("").replace("to: Test Panel", "to: [Test Panel");
    let err = fails(&case(&yaml, ok_rows()));
    assert!(err.starts_with("error: DIR/paper.yaml:4:"), "{err}");
}

#[test]
fn a_failed_build_keeps_an_earlier_good_output() {
    let dir = case(&paper_yaml(""), ok_rows());
    let first = build_case(dir.path());
    assert!(first.status.success(), "first build failed: {}", stderr(&first));
    let pdf = std::fs::read_dir(dir.path().join("out")).unwrap().map(|e| e.unwrap().path()).find(|p| p.extension().is_some_and(|e| e == "pdf")).unwrap();
    let before = std::fs::read(&pdf).unwrap();
    let mut rows = ok_rows();
    rows[1][5] = V::S("oops");
    write_workbook(&dir.path().join("book.xlsx"), &[("Scorecard", rows), ("Info", vec![vec![V::S("Period"), V::S("January 2020")]])]);
    let out = build_case(dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(&pdf).unwrap(), before, "the earlier PDF is untouched");
    let names: Vec<String> = std::fs::read_dir(dir.path().join("out")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "no temporary files left: {names:?}");
}
