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
        "error: book.xlsx: sheet \"Scorecrd\" not found; the workbook has \"Scorecard\", \"Info\"\n  chosen at DIR/paper.yaml:13:14: sheet: Scorecrd\n  hint: did you mean \"Scorecard\"?\n"
    );
}

#[test]
fn header_row_not_found_shows_what_was_seen() {
    let rows = vec![vec![V::S("Key"), V::S("Title"), V::S("Now")], vec![V::S("T1"), V::S("Visits"), V::N(3.0)]];
    let err = fails(&case(&paper_yaml(""), rows));
    assert!(
        err.starts_with(
            "error: book.xlsx › Scorecard: no header row naming \"Ref\" and \"Indicator\" and \"Current\" found"
        ),
        "{err}"
    );
    assert!(err.contains("row 1: Key | Title | Now"), "{err}");
    assert!(err.contains("hint: "), "{err}");
}

#[test]
fn duplicate_refs_name_both_cells() {
    let mut rows = ok_rows();
    rows.push(indicator("T1", "Visits again", 1.0, 2.0, 3.0, 1.0));
    let err = fails(&case(&paper_yaml(""), rows));
    assert_eq!(
        err,
        "error: book.xlsx › Scorecard!A3: duplicate Ref \"T1\": it is also used at Scorecard!A2\n  hint: each indicator needs its own Ref\n"
    );
}

#[test]
fn floor_above_target_when_higher_is_better_names_the_cells() {
    let rows = vec![header(), indicator("T1", "Visits in time", 80.0, 91.0, 85.0, 90.0)];
    let err = fails(&case(&paper_yaml(""), rows));
    assert!(
        err.starts_with(
            "error: book.xlsx › Scorecard!H2: indicator T1 \"Visits in time\": the floor (minimum standard) 90"
        ),
        "{err}"
    );
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
    assert!(
        err.starts_with(
            "error: DIR/paper.yaml:12:17: workbook \"books/missing.xlsx\" not found (looked for DIR/books/missing.xlsx)"
        ),
        "{err}"
    );
}

#[test]
fn a_file_that_is_not_a_workbook_is_refused() {
    let dir = case(&paper_yaml(""), ok_rows());
    std::fs::write(dir.path().join("book.xlsx"), "this is not a spreadsheet").unwrap();
    let err = fails(&dir);
    assert!(
        err.starts_with(
            "error: book.xlsx: not a workbook: the file is neither a zip (.xlsx, .ods) nor an OLE (.xls) file ("
        ),
        "{err}"
    );
    assert!(err.contains("hint: save it again from the spreadsheet program"), "{err}");
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
    let pdf = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .unwrap();
    let before = std::fs::read(&pdf).unwrap();
    let mut rows = ok_rows();
    rows[1][5] = V::S("oops");
    write_workbook(
        &dir.path().join("book.xlsx"),
        &[("Scorecard", rows), ("Info", vec![vec![V::S("Period"), V::S("January 2020")]])],
    );
    let out = build_case(dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(&pdf).unwrap(), before, "the earlier PDF is untouched");
    let names: Vec<String> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "no temporary files left: {names:?}");
}

/// Builds `paper.yaml` of a case folder from inside it (`build paper.yaml -o out`), so paths in
/// messages are as the author typed them; expects exit 1 and no `out`.
fn fails_in(dir: &tempfile::TempDir, args: &[&str]) -> String {
    let out = run_in(dir.path(), args);
    assert_eq!(out.status.code(), Some(1), "stdout: {}\nstderr: {}", stdout(&out), stderr(&out));
    assert!(stdout(&out).is_empty(), "nothing on stdout: {}", stdout(&out));
    assert!(!dir.path().join("out").exists(), "a failed paper leaves no output");
    stderr(&out).replace(&dir.path().display().to_string(), "DIR")
}

fn fails_here(dir: &tempfile::TempDir) -> String {
    fails_in(dir, &["build", "paper.yaml", "-o", "out"])
}

#[test]
fn yaml_syntax_error_shows_the_line() {
    let yaml = paper_yaml("").replace("to: Test Panel", "to: [Test Panel");
    assert_eq!(
        fails_here(&case(&yaml, ok_rows())),
        "error: paper.yaml:4:5: expected a text, found a list\n   4 | to: [Test Panel\n  hint: a text that contains `: `, `#`, or starts with `[`, `{`, `@`, `*`, `&`, `!` or `%` must be in quotes\n"
    );
}

#[test]
fn yaml_bad_indentation_shows_the_line() {
    let yaml = paper_yaml("").replace("to: Test Panel", "to: Test Panel\n  panel: Scrutiny");
    assert_eq!(
        fails_here(&case(&yaml, ok_rows())),
        "error: paper.yaml:5:8: mapping values are not allowed in this context\n   5 |   panel: Scrutiny\n  hint: check this line's indentation against the lines above; a text containing `: ` must be in quotes\n"
    );
}

#[test]
fn yaml_tab_indentation_says_use_spaces() {
    let yaml = paper_yaml("").replace("  - name: Test Officer", "\t- name: Test Officer");
    assert_eq!(
        fails_here(&case(&yaml, ok_rows())),
        "error: paper.yaml:2:2: tabs disallowed within this context (block indentation)\n   2 | \t- name: Test Officer\n  hint: indent with spaces, not tabs\n"
    );
}

#[test]
fn yaml_duplicate_key() {
    let yaml = paper_yaml("to: Another Panel\n");
    assert_eq!(
        fails_here(&case(&yaml, ok_rows())),
        "error: paper.yaml:15:1: `to` is given twice\n  15 | to: Another Panel\n  hint: keep one of them\n"
    );
}

#[test]
fn yaml_type_error_shows_the_line() {
    let yaml = paper_yaml("sections:\n  - heading: Intro\n    level: two\n");
    assert_eq!(
        fails_here(&case(&yaml, ok_rows())),
        "error: paper.yaml:17:12: expected a whole number from 0 to 255, found \"two\"\n  17 |     level: two\n"
    );
}

#[test]
fn yaml_list_where_text_is_expected() {
    let yaml = paper_yaml("").replace("subject: Test Scorecard", "subject:\n  - Test Scorecard");
    assert_eq!(
        fails_here(&case(&yaml, ok_rows())),
        "error: paper.yaml:7:3: expected a text, found a list\n   7 |   - Test Scorecard\n  hint: a text that contains `: `, `#`, or starts with `[`, `{`, `@`, `*`, `&`, `!` or `%` must be in quotes\n"
    );
}

#[test]
fn unknown_key_suggests_the_key_meant() {
    let yaml = paper_yaml("").replace("classification:", "clasification:");
    assert_eq!(
        fails_here(&case(&yaml, ok_rows())),
        "error: paper.yaml:7:1: unknown field `clasification`, expected one of output, from, to, date, subject, classification, electoral-divisions, key-decision, decision-number, report-author, header, summary, recommendation, recommendations, numbering, sections, contacts, background-documents, appendices, style\n   7 | clasification: Unrestricted\n  hint: did you mean `classification`?\n"
    );
}

#[test]
fn unknown_scorecard_key_suggests_the_key_meant() {
    let yaml = paper_yaml("      serie-sheet: Monthly\n");
    assert_eq!(
        fails_here(&case(&yaml, ok_rows())),
        "error: paper.yaml:15:7: unknown field `serie-sheet`, expected one of workbook, sheet, header-row, series-sheet, period, columns, sections, include, headers, labels, percent-as-fraction, include-hidden, trend-points, exceptions, require-commentary, indicators\n  15 |       serie-sheet: Monthly\n  hint: did you mean `series-sheet`?\n"
    );
}

#[test]
fn missing_paper_file_gives_the_path_as_written_and_as_resolved() {
    let dir = case(&paper_yaml(""), ok_rows());
    assert_eq!(
        fails_in(&dir, &["build", "papers/paper.yaml", "-o", "out"]),
        "error: papers/paper.yaml: paper file not found (looked for DIR/papers/paper.yaml)\n  hint: a relative path is taken from the current folder\n"
    );
}

#[test]
fn missing_workbook_exact() {
    let yaml = paper_yaml("").replace("workbook: book.xlsx", "workbook: books/missing.xlsx");
    assert_eq!(
        fails_here(&case(&yaml, ok_rows())),
        "error: paper.yaml:12:17: workbook \"books/missing.xlsx\" not found (looked for DIR/books/missing.xlsx)\n  12 |       workbook: books/missing.xlsx\n  hint: the workbook path is relative to the paper file\n"
    );
}

#[test]
fn not_a_workbook_exact() {
    let dir = case(&paper_yaml(""), ok_rows());
    std::fs::write(dir.path().join("book.xlsx"), "Ref,Indicator,Current\nT1,Visits,3\n").unwrap();
    assert_eq!(
        fails_here(&dir),
        "error: book.xlsx: not a workbook: the file is neither a zip (.xlsx, .ods) nor an OLE (.xls) file (Xlsx error: Zip error: invalid Zip archive: Could not find EOCD)\n  chosen at paper.yaml:12:17: workbook: book.xlsx\n  hint: save it again from the spreadsheet program as .xlsx, .xlsm, .xls or .ods\n"
    );
}

#[test]
fn truncated_workbook_is_called_damaged() {
    let dir = case(&paper_yaml(""), ok_rows());
    let path = dir.path().join("book.xlsx");
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    assert_eq!(
        fails_here(&dir),
        "error: book.xlsx: the workbook is damaged or incomplete, perhaps cut short while copying (Xlsx error: Zip error: invalid Zip archive: Could not find EOCD)\n  chosen at paper.yaml:12:17: workbook: book.xlsx\n  hint: save it again from the spreadsheet program as .xlsx, .xlsm, .xls or .ods\n"
    );
}

#[test]
fn password_protected_workbook_says_so() {
    let dir = case(&paper_yaml(""), ok_rows());
    write_encrypted_ooxml(&dir.path().join("book.xlsx"));
    assert_eq!(
        fails_here(&dir),
        "error: book.xlsx: the workbook is password-protected (encrypted), so it cannot be read\n  chosen at paper.yaml:12:17: workbook: book.xlsx\n  hint: save an unprotected copy for the paper (File › Info › Protect Workbook › Encrypt with Password: clear it)\n"
    );
}

#[test]
fn empty_workbook_file() {
    let dir = case(&paper_yaml(""), ok_rows());
    std::fs::write(dir.path().join("book.xlsx"), "").unwrap();
    assert_eq!(
        fails_here(&dir),
        "error: book.xlsx: the workbook file is empty (0 bytes)\n  chosen at paper.yaml:12:17: workbook: book.xlsx\n  hint: save it again from the spreadsheet program as .xlsx, .xlsm, .xls or .ods\n"
    );
}

#[test]
fn empty_scorecard_sheet() {
    assert_eq!(
        fails_here(&case(&paper_yaml(""), vec![])),
        "error: book.xlsx: sheet \"Scorecard\" is empty\n  chosen at paper.yaml:13:14: sheet: Scorecard\n"
    );
}

#[test]
fn header_row_not_found_exact() {
    let rows = vec![vec![V::S("Key"), V::S("Title"), V::S("Now")], vec![V::S("T1"), V::S("Visits"), V::N(3.0)]];
    assert_eq!(
        fails_here(&case(&paper_yaml(""), rows)),
        "error: book.xlsx › Scorecard: no header row naming \"Ref\" and \"Indicator\" and \"Current\" found in the first 50 rows; saw:\n      row 1: Key | Title | Now\n      row 2: T1 | Visits | 3\n  chosen at paper.yaml:13:14: sheet: Scorecard\n  hint: name the header cells as above, set `header-row:`, or map names with `headers:` in the paper file\n"
    );
}

#[test]
fn required_column_missing_names_the_header_row() {
    let rows = vec![
        vec![V::S("Ref"), V::S("Indicator"), V::S("Polarity"), V::S("This Mnth"), V::S("Target")],
        vec![V::S("T1"), V::S("Visits"), V::S("High"), V::N(3.0), V::N(4.0)],
    ];
    assert_eq!(
        fails_here(&case(&paper_yaml(""), rows)),
        "error: book.xlsx › Scorecard!1:1: required column \"Current\" not found in the header row 1; the row holds \"Ref\", \"Indicator\", \"Polarity\", \"This Mnth\", \"Target\"\n  chosen at paper.yaml:13:14: sheet: Scorecard\n  hint: did you mean \"This Month\" for \"This Mnth\"? Rename the cell, or map it with `headers: { current: \"This Mnth\" }` in the paper file\n"
    );
}

#[test]
fn required_column_missing_in_a_given_header_row() {
    let rows =
        vec![vec![V::S("Ref"), V::S("Indicator"), V::S("Polarity")], vec![V::S("T1"), V::S("Visits"), V::S("High")]];
    assert_eq!(
        fails_here(&case(&paper_yaml("      header-row: 1\n"), rows)),
        "error: book.xlsx › Scorecard!1:1: required column \"Current\" not found in the header row 1; the row holds \"Ref\", \"Indicator\", \"Polarity\"\n  chosen at paper.yaml:13:14: sheet: Scorecard\n  hint: name the column \"Current\", or map it with `headers: { current: \"…\" }` in the paper file\n"
    );
}

#[test]
fn word_in_a_number_cell() {
    let mut rows = ok_rows();
    rows[1][6] = V::S("tbc");
    assert_eq!(
        fails_here(&case(&paper_yaml(""), rows)),
        "error: book.xlsx › Scorecard!G2: expected a number, found \"tbc\"\n"
    );
}

#[test]
fn floor_on_the_wrong_side_exact() {
    let rows = vec![header(), indicator("T1", "Visits in time", 80.0, 91.0, 85.0, 90.0)];
    assert_eq!(
        fails_here(&case(&paper_yaml(""), rows)),
        "error: book.xlsx › Scorecard!H2: indicator T1 \"Visits in time\": the floor (minimum standard) 90 is above the target 85, but higher is better; the floor must not be better than the target (check the polarity, or swap target and floor) (target at book.xlsx › Scorecard!G2, floor at book.xlsx › Scorecard!H2)\n"
    );
}

#[test]
fn floor_on_the_wrong_side_in_the_paper_file() {
    let yaml = paper_yaml("      indicators:\n        T1:\n          target: 80\n          floor: 95\n");
    assert_eq!(
        fails_here(&case(&yaml, ok_rows())),
        "error: paper.yaml:18:18: indicator T1 \"Visits in time\": the floor (minimum standard) 95 is above the target 80, but higher is better; the floor must not be better than the target (check the polarity, or swap target and floor) (target at paper.yaml:17:19, floor at paper.yaml:18:18)\n"
    );
}

#[test]
fn not_a_number_target_in_the_paper_file() {
    let yaml = paper_yaml("      indicators:\n        T1:\n          target: .nan\n");
    assert_eq!(
        fails_here(&case(&yaml, ok_rows())),
        "error: paper.yaml:17:19: expected a number, found NaN\n  17 |           target: .nan\n"
    );
}

#[test]
fn unknown_placeholder_exact() {
    let yaml = paper_yaml("").replace("{{ period }}", "{{ perod }}");
    assert_eq!(
        fails_here(&case(&yaml, ok_rows())),
        "error: paper.yaml:8:10: unknown placeholder `{{ perod }}`\n  hint: did you mean `{{ period }}`?\n"
    );
}

#[test]
fn output_folder_under_a_file() {
    let dir = case(&paper_yaml(""), ok_rows());
    assert_eq!(
        fails_in(&dir, &["build", "paper.yaml", "-o", "book.xlsx/out"]),
        "error: book.xlsx/out: cannot create the output folder: book.xlsx is a file, not a folder\n"
    );
}

#[test]
fn absurd_used_range_is_refused() {
    let dir = case(&paper_yaml(""), ok_rows());
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Scorecard").unwrap();
    for (c, h) in ["Ref", "Indicator", "Polarity", "Unit", "Previous", "Current", "Target", "Floor"].iter().enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1_048_575, 16_383, "stray").unwrap();
    book.add_worksheet().set_name("Info").unwrap().write_string(0, 1, "January 2020").unwrap();
    book.save(dir.path().join("book.xlsx")).unwrap();
    assert_eq!(
        fails_here(&dir),
        "error: book.xlsx: sheet \"Scorecard\" has values as far as XFD1048576, a used range of 1048576 rows × 16384 columns: more than the 2000000 cells a scorecard sheet may span\n  chosen at paper.yaml:13:14: sheet: Scorecard\n  hint: delete the stray cells below and right of the table (Ctrl+End shows the last one), or copy the table to a new sheet\n"
    );
}

#[test]
fn overlong_indicator_name_names_the_cell() {
    let long = "Visits ".repeat(50);
    let rows = vec![header(), indicator("T1", &long, 80.0, 91.0, 90.0, 85.0)];
    assert_eq!(
        fails_here(&case(&paper_yaml(""), rows)),
        "error: book.xlsx › Scorecard!B2: an indicator name may have at most 300 characters; this one has 349\n  hint: shorten it; the printed table gives each indicator one row\n"
    );
}

#[test]
fn a_folder_in_the_way_of_an_output_file() {
    let dir = case(&paper_yaml(""), ok_rows());
    let first = run_in(dir.path(), &["build", "paper.yaml", "-o", "out"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let before = snapshot(&dir.path().join("out"));
    let docx = before.keys().find(|p| p.extension().is_some_and(|e| e == "docx")).unwrap().clone();
    std::fs::remove_file(dir.path().join("out").join(&docx)).unwrap();
    std::fs::create_dir(dir.path().join("out").join(&docx)).unwrap();
    let out = run_in(dir.path(), &["build", "paper.yaml", "-o", "out"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out).replace(&dir.path().display().to_string(), "DIR"),
        "error: out/2020-01-15-test-scorecard.docx: cannot write 2020-01-15-test-scorecard.docx: a folder of that name is in the way\n"
    );
}

/// A disk that fills up half-way through a file (simulated with a file-size limit, the signal it
/// raises ignored as a full disk would not raise it): exit 1, the file named, the earlier good
/// outputs untouched and no temporary file left.
#[test]
fn a_write_that_fails_half_way_leaves_the_earlier_outputs() {
    let dir = case(&paper_yaml(""), ok_rows());
    let first = run_in(dir.path(), &["build", "paper.yaml", "-o", "out"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let before = snapshot(&dir.path().join("out"));
    let out = std::process::Command::new("sh")
        .args(["-c", "trap '' XFSZ; ulimit -f 8; exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_committee-paper"))
        .args(["build", "paper.yaml", "-o", "out"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "error: out/2020-01-15-test-scorecard.pdf: failed to write the file, so it was left as it was (File too large (os error 27))\n"
    );
    assert_eq!(snapshot(&dir.path().join("out")), before, "earlier outputs untouched, no temporary files");
}

/// Inputs are read, never written: the workbook and paper file are byte-identical after a good
/// build and after a failed one.
#[test]
fn inputs_are_never_modified() {
    let dir = case(&paper_yaml(""), ok_rows());
    let inputs = snapshot(dir.path());
    let good = run_in(dir.path(), &["build", "paper.yaml", "-o", "out"]);
    assert!(good.status.success(), "{}", stderr(&good));
    std::fs::write(dir.path().join("paper.yaml"), paper_yaml("").replace("{{ period }}", "{{ nope }}")).unwrap();
    let inputs_bad = snapshot(dir.path());
    let bad = run_in(dir.path(), &["build", "paper.yaml", "-o", "out"]);
    assert_eq!(bad.status.code(), Some(1));
    let after = snapshot(dir.path());
    for (path, bytes) in &inputs_bad {
        assert_eq!(after.get(path), Some(bytes), "{} changed", path.display());
    }
    assert_eq!(inputs.get(std::path::Path::new("book.xlsx")), after.get(std::path::Path::new("book.xlsx")));
    for fixture in ["fixtures/kcc-2014-scs-dashboard", "fixtures/kcc-2017-children-in-care"] {
        let before = snapshot(&root().join(fixture));
        let out = tempfile::tempdir().unwrap();
        let built = run(&["build", &format!("{fixture}/paper.yaml"), "-o", out.path().to_str().unwrap()]);
        assert!(built.status.success(), "{}", stderr(&built));
        assert_eq!(snapshot(&root().join(fixture)), before, "{fixture} unchanged");
    }
}

/// Renders the small case paper with a custom PDF template (library API: the paper file has no
/// `template:` key yet); returns the error with the folder replaced by `DIR`.
fn render_with_template(template: &str) -> String {
    let dir = case(&paper_yaml(""), ok_rows());
    let path = dir.path().join("custom.typ");
    std::fs::write(&path, template).unwrap();
    let loaded = committee_paper::load(&dir.path().join("paper.yaml")).unwrap();
    let options = committee_paper::render::PdfOptions { template: Some(path), ..Default::default() };
    let err = committee_paper::render::render_pdf(&loaded.paper, &options).expect_err("the template fails");
    format!("{err:#}").replace(&dir.path().display().to_string(), "DIR")
}

#[test]
fn template_error_names_template_line_and_column() {
    assert_eq!(
        render_with_template("#let paper = json(\"/paper.json\")\n\n= #paper.meta.titel\n"),
        "failed to typeset the PDF: DIR/custom.typ:3:15: dictionary does not contain key \"titel\""
    );
}

#[test]
fn template_cannot_read_files_outside_its_folder() {
    assert_eq!(
        render_with_template("#set document(title: \"x\")\n#read(\"/etc/passwd\")\n"),
        "failed to typeset the PDF: DIR/custom.typ:2:7: file not found (searched at DIR/etc/passwd)"
    );
    assert_eq!(
        render_with_template("#set document(title: \"x\")\n#read(\"../../../../etc/passwd\")\n"),
        "failed to typeset the PDF: DIR/custom.typ:2:7: path `\"../../../../etc/passwd\"` would escape the project root\n  hint: cannot access files outside of the project sandbox"
    );
}

/// A custom template given in the paper file (`style: template:`) that does not compile: exit 1,
/// the template's line and column, no output.
#[test]
fn template_error_from_the_paper_file() {
    let dir = case(&paper_yaml("style:\n  template: custom.typ\n"), ok_rows());
    std::fs::write(dir.path().join("custom.typ"), "#let paper = json(\"/paper.json\")\n\n= #paper.meta.titel\n")
        .unwrap();
    assert_eq!(
        fails_here(&dir),
        "error: failed to typeset the PDF: custom.typ:3:15: dictionary does not contain key \"titel\"\n"
    );
}

/// A template that tries to read a file outside its folder fails instead of printing it.
#[test]
fn template_reading_etc_passwd_from_the_paper_file() {
    let dir = case(&paper_yaml("style:\n  template: custom.typ\n"), ok_rows());
    std::fs::write(
        dir.path().join("custom.typ"),
        "#set document(title: \"x\")\n#read(\"../../../../../etc/passwd\")\n",
    )
    .unwrap();
    assert_eq!(
        fails_here(&dir),
        "error: failed to typeset the PDF: custom.typ:2:7: path `\"../../../../../etc/passwd\"` would escape the project root\n  hint: cannot access files outside of the project sandbox\n"
    );
}

#[test]
fn a_character_no_font_can_draw_names_its_cell() {
    let mut rows = ok_rows();
    rows[1][1] = V::S("Visits in time 📈");
    let err = fails(&case(&paper_yaml(""), rows));
    assert!(
        err.starts_with("error: \"Appendix A – Scorecard\", indicator T1, column \"Indicator\": the character '📈' (U+1F4C8) cannot be drawn"),
        "{err}"
    );
}

#[test]
fn a_row_with_data_only_in_unread_columns_and_no_ref_names_its_row() {
    // Found by tests/properties.rs: the message had no location when no read column had a value.
    let mut row: Vec<V> = (0..8).map(|_| V::Blank).collect();
    row.extend([V::S("stray"), V::S("notes")]);
    let rows = vec![header(), indicator("T1", "Visits in time", 80.0, 91.0, 90.0, 85.0), row];
    assert_eq!(
        fails_here(&case(&paper_yaml(""), rows)),
        "error: book.xlsx › Scorecard!A3: this row has data but no Ref\n  hint: give every indicator a Ref, or delete the row\n"
    );
}
