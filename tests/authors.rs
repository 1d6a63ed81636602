//! Issue 13: never a silent wrong number. Formulas saved without results, percentages stored as
//! fractions in `%`-formatted cells, hidden rows and columns (in .xlsx, .ods and .xls), workbook
//! errors that name the paper-file line, and the `watch` live preview — each through the real
//! binary, reading back `check --json`, the PDF's text and the DOCX's XML.

mod common;
use common::*;

use std::io::Read;
use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, Worksheet};

const HEADER: [&str; 9] = ["Ref", "Indicator", "Polarity", "Unit", "Previous", "Current", "Target", "Floor", "England"];

fn headers(sheet: &mut Worksheet, names: &[&str]) {
    for (c, name) in names.iter().enumerate() {
        sheet.write_string(0, c as u16, *name).unwrap();
    }
}

fn info_sheet(book: &mut Workbook) {
    let info = book.add_worksheet();
    info.set_name("Info").unwrap();
    info.write_string(0, 0, "Period").unwrap();
    info.write_string(0, 1, "January 2020").unwrap();
}

/// The workbook of the percentage and hidden-row cases, as Excel keeps it: fractions in cells
/// formatted `0.0%`. P3 is a retired indicator in a hidden row; the England column is hidden.
/// `fixtures/authors/shown.ods` and `shown.xls` are this workbook saved by LibreOffice.
fn write_shown_book(path: &Path) {
    let mut book = Workbook::new();
    let pct = Format::new().set_num_format("0.0%");
    let sheet = book.add_worksheet();
    sheet.set_name("Scorecard").unwrap();
    headers(sheet, &HEADER);
    // (ref, name, unit, [previous, current, target, floor, england] as (value, % format))
    type Row<'a> = (&'a str, &'a str, &'a str, [Option<(f64, bool)>; 5]);
    let rows: [Row; 4] = [
        (
            "P1",
            "Visits within 10 working days",
            "%",
            [Some((0.75, true)), Some((0.785, true)), Some((0.8, true)), Some((0.7, true)), Some((0.81, true))],
        ),
        (
            "P2",
            "Plans reviewed in time",
            "%",
            [None, Some((0.92, true)), Some((90.0, false)), Some((85.0, false)), None],
        ),
        ("P3", "Retired measure", "%", [None, Some((0.1, true)), Some((0.5, true)), Some((0.4, true)), None]),
        ("C1", "Children in care", "Number", [Some((1200.0, false)), Some((1234.0, false)), None, None, None]),
    ];
    for (r, (reference, name, unit, values)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, *reference).unwrap();
        sheet.write_string(r, 1, *name).unwrap();
        if *unit == "%" {
            sheet.write_string(r, 2, "High").unwrap();
        }
        sheet.write_string(r, 3, *unit).unwrap();
        for (i, value) in values.iter().enumerate() {
            match value {
                Some((v, true)) => sheet.write_number_with_format(r, 4 + i as u16, *v, &pct).unwrap(),
                Some((v, false)) => sheet.write_number(r, 4 + i as u16, *v).unwrap(),
                None => sheet,
            };
        }
    }
    sheet.set_row_hidden(3).unwrap();
    sheet.set_column_hidden(8).unwrap();
    info_sheet(&mut book);
    book.save(path).unwrap();
}

/// A folder with `paper.yaml` reading `workbook` (copied or written there).
fn paper_case(workbook_name: &str, write: impl FnOnce(&Path), extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join(workbook_name));
    let yaml = paper_yaml(extra).replace("workbook: book.xlsx", &format!("workbook: {workbook_name}"));
    std::fs::write(dir.path().join("paper.yaml"), yaml).unwrap();
    dir
}

fn check_json(dir: &Path) -> (serde_json::Value, String) {
    let out = run_in(dir, &["check", "--json", "paper.yaml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    (serde_json::from_slice(&out.stdout).expect("check --json prints JSON only"), stderr(&out))
}

fn indicator<'a>(json: &'a serde_json::Value, reference: &str) -> &'a serde_json::Value {
    json["indicators"].as_array().unwrap().iter().find(|i| i["ref"] == reference).unwrap_or(&serde_json::Value::Null)
}

/// Builds `paper.yaml` of `dir`; returns the PDF's text and the DOCX's document XML.
fn built_text(dir: &Path) -> (String, String) {
    let out = build_case(dir);
    assert!(out.status.success(), "{}", stderr(&out));
    output_texts(&dir.join("out"))
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Writes `fixtures/authors/shown.xlsx`; `shown.ods` and `shown.xls` are LibreOffice's copies of it
/// (see fixtures/README.md). Run with `cargo test --test authors -- --ignored` after a change.
#[test]
#[ignore]
fn write_fixture_workbook() {
    write_shown_book(&root().join("fixtures/authors/shown.xlsx"));
}

fn copy_fixture(name: &str) -> impl FnOnce(&Path) {
    let from = root().join("fixtures/authors").join(name);
    move |to: &Path| {
        std::fs::copy(&from, to).unwrap();
    }
}

// ---- 1b: percentages stored the Excel way ----------------------------------------------------

/// The issue's case: 0.785 formatted `0.0%` against 0.8 formatted `0.0%` prints 78.5% against
/// 80.0% and is Amber (not 0.8% against 0.8%, Green), in each file format.
fn assert_percent_read_as_shown(dir: &Path) {
    let (json, _) = check_json(dir);
    let p1 = indicator(&json, "P1");
    assert_eq!(p1["value"], 78.5);
    assert_eq!(p1["target"], 80.0);
    assert_eq!(p1["floor"], 70.0);
    assert_eq!(p1["previous"], 75.0);
    assert_eq!(p1["rag"], "amber");
    assert_eq!(p1["direction"], "improved");
    // A formatted fraction beside plain percentage points: each read as the workbook shows it.
    let p2 = indicator(&json, "P2");
    assert_eq!(
        (p2["value"].as_f64(), p2["target"].as_f64(), p2["rag"].as_str()),
        (Some(92.0), Some(90.0), Some("green"))
    );
    assert_eq!(indicator(&json, "C1")["value"], 1234.0);
}

#[test]
fn percent_formatted_fractions_print_as_shown_in_xlsx() {
    let dir = paper_case("book.xlsx", write_shown_book, "");
    assert_percent_read_as_shown(dir.path());
    let (pdf, docx) = built_text(dir.path());
    for text in [&pdf, &docx] {
        assert!(text.contains("78.5%") && text.contains("80.0%") && text.contains("70.0%"), "{text}");
        assert!(!text.contains("0.8%"), "no value printed 100 times too small");
    }
    assert!(
        squash(&pdf).contains(&squash("P1 Visits within 10 working days High 75.0% 78.5% 80.0% 70.0% Amber")),
        "{pdf}"
    );
}

#[test]
fn percent_formatted_fractions_print_as_shown_in_ods() {
    let dir = paper_case("shown.ods", copy_fixture("shown.ods"), "");
    assert_percent_read_as_shown(dir.path());
}

#[test]
fn percent_formatted_fractions_print_as_shown_in_xls() {
    let dir = paper_case("shown.xls", copy_fixture("shown.xls"), "");
    assert_percent_read_as_shown(dir.path());
}

#[test]
fn mixed_percent_cells_are_named_in_a_warning() {
    let dir = paper_case("book.xlsx", write_shown_book, "");
    let (json, err) = check_json(dir.path());
    let expected = "warning: book.xlsx › Scorecard: 1 percentage indicator mixes cells formatted as percentages with plain numbers, which are read as percentage points: P2 (Current Scorecard!F3 shows 92% (0.92 formatted as a percentage); Target Scorecard!G3 is a plain 90, Floor Scorecard!H3 is a plain 85 (percentage points))\n  hint: format the plain cells as percentages too, so that the workbook shows what the paper prints\n";
    assert_eq!(err, expected);
    assert_eq!(json["warnings"][0], expected.trim_start_matches("warning: ").trim_end());
}

#[test]
fn a_formatted_fraction_beside_a_plain_fraction_is_an_error_naming_both() {
    let dir = paper_case(
        "book.xlsx",
        |path| {
            let mut book = Workbook::new();
            let pct = Format::new().set_num_format("0.0%");
            let sheet = book.add_worksheet();
            sheet.set_name("Scorecard").unwrap();
            headers(sheet, &HEADER[..8]);
            for (c, text) in ["P1", "Visits", "High", "%"].iter().enumerate() {
                sheet.write_string(1, c as u16, *text).unwrap();
            }
            sheet.write_number_with_format(1, 5, 0.785, &pct).unwrap();
            sheet.write_number(1, 6, 0.8).unwrap();
            info_sheet(&mut book);
            book.save(path).unwrap();
        },
        "",
    );
    let out = run_in(dir.path(), &["build", "paper.yaml", "-o", "out"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: book.xlsx › Scorecard!A2: percentage indicator P1 mixes cells formatted as percentages with plain numbers a hundred times smaller: Current Scorecard!F2 shows 78.5% (0.785 formatted as a percentage); Target Scorecard!G2 is a plain 0.8, which would print as 0.8%\n  hint: format those cells as percentages too, or type them in percentage points (80 for 80%)\n"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn percent_as_fraction_still_overrides_the_formats() {
    // Every value a fraction, whatever its format: P2's plain 90 becomes 9000%.
    let dir = paper_case("book.xlsx", write_shown_book, "      percent-as-fraction: true\n");
    let (json, err) = check_json(dir.path());
    assert_eq!(indicator(&json, "P1")["value"], 78.5);
    assert_eq!(indicator(&json, "P2")["target"], 9000.0);
    assert!(!err.contains("mix cells"), "{err}");
}

// ---- 1c: hidden rows and columns ------------------------------------------------------------

fn assert_hidden_left_out(dir: &Path) {
    let (json, _) = check_json(dir);
    assert!(indicator(&json, "P3").is_null(), "the hidden row is not published");
    assert_eq!(json["hidden_rows_left_out"], serde_json::json!(["P3"]));
    assert_eq!(json["hidden_columns_left_out"], serde_json::json!(["England"]));
    assert!(indicator(&json, "P1").get("england").is_none(), "the hidden column is not read");
    let out = run_in(dir, &["check", "paper.yaml"]);
    let text = stdout(&out);
    assert!(text.contains("\n1 hidden row left out: P3\n1 hidden column left out: England\n"), "{text}");
}

#[test]
fn hidden_rows_and_columns_are_left_out_in_xlsx_ods_and_xls() {
    assert_hidden_left_out(paper_case("book.xlsx", write_shown_book, "").path());
    assert_hidden_left_out(paper_case("shown.ods", copy_fixture("shown.ods"), "").path());
    assert_hidden_left_out(paper_case("shown.xls", copy_fixture("shown.xls"), "").path());
}

#[test]
fn hidden_rows_are_not_printed_and_include_hidden_keeps_them() {
    let dir = paper_case("book.xlsx", write_shown_book, "");
    let (pdf, docx) = built_text(dir.path());
    assert!(!pdf.contains("Retired measure") && !docx.contains("Retired measure"));
    assert!(!pdf.contains("England") && !docx.contains("England"));

    let dir = paper_case("book.xlsx", write_shown_book, "      include-hidden: true\n");
    let (json, _) = check_json(dir.path());
    assert_eq!(indicator(&json, "P3")["value"], 10.0);
    assert_eq!(indicator(&json, "P1")["england"], 81.0);
    assert_eq!(json["hidden_rows_left_out"], serde_json::json!([]));
    let (pdf, docx) = built_text(dir.path());
    assert!(pdf.contains("Retired measure") && docx.contains("Retired measure"));
    assert!(pdf.contains("England") && docx.contains("81.0%"));
}

#[test]
fn a_hidden_row_named_by_include_is_an_error_and_its_settings_a_warning() {
    let dir = paper_case("book.xlsx", write_shown_book, "      include: [P1, P3]\n");
    let out = run_in(dir.path(), &["check", "paper.yaml"]);
    assert_eq!(
        stderr(&out),
        "error: paper.yaml:15:21: `include` names indicator \"P3\", whose row is hidden in the workbook\n  hint: unhide the row, or set `include-hidden: true`\n"
    );
    let dir = paper_case("book.xlsx", write_shown_book, "      indicators:\n        P3: { target: 60 }\n");
    let (json, err) = check_json(dir.path());
    assert!(indicator(&json, "P3").is_null());
    assert!(
        err.contains("warning: paper.yaml:16:13: settings are given for indicator \"P3\", whose row is hidden in the workbook and left out\n"),
        "{err}"
    );
}

/// A workbook with one indicator whose Current is 0.785 formatted `0.0%`; `unit` is the Unit
/// cell, or no Unit column at all.
fn write_unit_book(path: &Path, unit: Option<&str>) {
    let mut book = Workbook::new();
    let pct = Format::new().set_num_format("0.0%");
    let sheet = book.add_worksheet();
    sheet.set_name("Scorecard").unwrap();
    headers(
        sheet,
        &["Ref", "Indicator", "Polarity", "Current", "Target", "Unit"][..if unit.is_some() { 6 } else { 5 }],
    );
    for (c, text) in ["P1", "Visits", "High"].iter().enumerate() {
        sheet.write_string(1, c as u16, *text).unwrap();
    }
    sheet.write_number_with_format(1, 3, 0.785, &pct).unwrap();
    sheet.write_number_with_format(1, 4, 0.8, &pct).unwrap();
    if let Some(unit) = unit {
        sheet.write_string(1, 5, unit).unwrap();
    }
    info_sheet(&mut book);
    book.save(path).unwrap();
}

#[test]
fn a_current_value_formatted_as_a_percentage_makes_a_percentage_indicator() {
    let dir = paper_case("book.xlsx", |p| write_unit_book(p, None), "");
    let (json, _) = check_json(dir.path());
    let p1 = indicator(&json, "P1");
    assert_eq!(
        (p1["unit"].as_str(), p1["value"].as_f64(), p1["rag"].as_str()),
        (Some("percent"), Some(78.5), Some("amber"))
    );

    let dir = paper_case("book.xlsx", |p| write_unit_book(p, Some("Number")), "");
    let out = run_in(dir.path(), &["check", "paper.yaml"]);
    assert_eq!(
        stderr(&out),
        "error: book.xlsx › Scorecard!D2: the cell is formatted as a percentage (it shows 78.5%), but indicator P1 has the unit \"Number\" (book.xlsx › Scorecard!F2)\n  hint: give the indicator the unit %, or format the cell as a number\n"
    );
}

// ---- 1: formulas without saved results ------------------------------------------------------

/// A scorecard whose every value column is a formula, and a series sheet of formulas, written as
/// scripts write them: `saved: false` like openpyxl (no result), `true` like xlsxwriter (0 saved
/// for every formula, and the workbook marked for recalculation on load).
fn write_formula_book(path: &Path, saved: bool, current: &str) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Scorecard").unwrap();
    if !saved {
        sheet.set_formula_result_default("");
    }
    headers(
        sheet,
        &[
            "Ref",
            "Indicator",
            "Polarity",
            "Unit",
            "Previous",
            "Current",
            "Target",
            "Floor",
            "England",
            "Stat Neighbours",
        ],
    );
    for (c, text) in ["F1", "Visits in time", "High", "%"].iter().enumerate() {
        sheet.write_string(1, c as u16, *text).unwrap();
    }
    for (c, formula) in
        [(4, "=70+5"), (5, current), (6, "=SUM(50,5)"), (7, "=Data!A1"), (8, "=ROUND(61.26,1)"), (9, "=AVERAGE(60,62)")]
    {
        sheet.write_formula(1, c, formula).unwrap();
    }
    for (c, text) in ["F2", "Contacts", "", "Number"].iter().enumerate() {
        sheet.write_string(2, c as u16, *text).unwrap();
    }
    sheet.write_formula(2, 5, "=IFERROR(1/0,7)").unwrap();
    let data = book.add_worksheet();
    data.set_name("Data").unwrap();
    data.write_number(0, 0, 50.0).unwrap();
    // A superscript font, which IronCalc's importer reports with println!: check --json must still
    // print JSON only.
    let superscript = Format::new().set_font_script(rust_xlsxwriter::FormatScript::Superscript);
    data.write_string_with_format(0, 1, "Note", &superscript).unwrap();
    let monthly = book.add_worksheet();
    monthly.set_name("Monthly").unwrap();
    if !saved {
        monthly.set_formula_result_default("");
    }
    headers(monthly, &["Ref", "Nov-19", "Dec-19", "Jan-20"]);
    monthly.write_string(1, 0, "F1").unwrap();
    for (c, formula) in [(1, "=52+1"), (2, "=Data!A1+8"), (3, "=60")] {
        monthly.write_formula(1, c, formula).unwrap();
    }
    info_sheet(&mut book);
    book.save(path).unwrap();
}

fn assert_formulas_computed(dir: &Path) {
    let (json, err) = check_json(dir);
    let f1 = indicator(&json, "F1");
    for (key, value) in [
        ("value", 60.0),
        ("previous", 75.0),
        ("target", 55.0),
        ("floor", 50.0),
        ("england", 61.3),
        ("neighbours", 61.0),
    ] {
        assert_eq!(f1[key], value, "{key}");
    }
    assert_eq!(f1["rag"], "green");
    assert_eq!(f1["trend"], serde_json::json!([53.0, 58.0, 60.0]));
    assert_eq!(indicator(&json, "F2")["value"], 7.0);
    assert!(err.contains("warning: book.xlsx › Scorecard: 7 formulas computed with IronCalc"), "{err}");
    assert!(err.contains("F2 =40+20 → 60"), "{err}");
    assert!(err.contains("warning: book.xlsx › Monthly: 3 formulas computed with IronCalc"), "{err}");
}

#[test]
fn formulas_saved_without_results_are_computed() {
    let dir = paper_case("book.xlsx", |p| write_formula_book(p, false, "=40+20"), "      series-sheet: Monthly\n");
    assert_formulas_computed(dir.path());
    let (pdf, docx) = built_text(dir.path());
    for text in [&pdf, &docx] {
        assert!(text.contains("60.0%") && text.contains("55.0%") && text.contains("61.3%"), "{text}");
        assert!(!text.contains("data not available"), "never a blank where the formula has a value");
    }
}

#[test]
fn placeholder_results_of_a_workbook_marked_for_recalculation_are_computed() {
    let dir = paper_case("book.xlsx", |p| write_formula_book(p, true, "=40+20"), "      series-sheet: Monthly\n");
    assert_formulas_computed(dir.path());
}

#[test]
fn a_formula_that_cannot_be_computed_is_an_error_naming_the_cell() {
    let dir = paper_case("book.xlsx", |p| write_formula_book(p, false, "=CUBEVALUE(\"x\")"), "");
    let out = run_in(dir.path(), &["build", "paper.yaml", "-o", "out"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: book.xlsx › Scorecard!F2: the formula =CUBEVALUE(\"x\") has no saved result, and it could not be computed: IronCalc gives #NAME?: Invalid function: cubevalue\n  hint: open the workbook in Excel or LibreOffice and save it, so that each formula's result is saved with it\n"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn an_ods_formula_saved_without_a_value_is_an_error_naming_the_cell() {
    // LibreOffice always saves values; a script writing OpenDocument may not. The fixture's P1
    // Current cell made a formula without a value.
    let dir = paper_case(
        "shown.ods",
        |path| {
            let mut from =
                zip::ZipArchive::new(std::fs::File::open(root().join("fixtures/authors/shown.ods")).unwrap()).unwrap();
            let mut to = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
            for i in 0..from.len() {
                let mut entry = from.by_index(i).unwrap();
                let name = entry.name().to_string();
                let mut bytes = Vec::new();
                entry.read_to_end(&mut bytes).unwrap();
                if name == "content.xml" {
                    let cell = r#"<table:table-cell table:style-name="ce1" office:value-type="percentage" office:value="0.785" calcext:value-type="percentage"><text:p>78.5%</text:p></table:table-cell>"#;
                    let text = String::from_utf8(bytes).unwrap();
                    assert!(text.contains(cell));
                    let formula = r#"<table:table-cell table:style-name="ce1" table:formula="of:=[.E2]+0.035"/>"#;
                    bytes = text.replace(cell, formula).into_bytes();
                }
                let options = zip::write::SimpleFileOptions::default().compression_method(if name == "mimetype" {
                    zip::CompressionMethod::Stored
                } else {
                    zip::CompressionMethod::Deflated
                });
                to.start_file(name, options).unwrap();
                std::io::Write::write_all(&mut to, &bytes).unwrap();
            }
            to.finish().unwrap();
        },
        "",
    );
    let out = run_in(dir.path(), &["check", "paper.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: shown.ods › Scorecard!F2: the formula =[.E2]+0.035 has no saved result, and it could not be computed: formulas in .ods files are not computed here (only .xlsx ones are)\n  hint: open the workbook in Excel or LibreOffice and save it, so that each formula's result is saved with it\n"
    );
}

#[test]
fn computed_formulas_land_in_their_cells_when_the_table_does_not_start_at_a1() {
    // Regression: the sheet's values start at B2, so calamine's range is offset from A1.
    let dir = paper_case(
        "book.xlsx",
        |path| {
            let mut book = Workbook::new();
            let sheet = book.add_worksheet();
            sheet.set_name("Scorecard").unwrap();
            sheet.set_formula_result_default("");
            sheet.write_string(1, 1, "Visits scorecard").unwrap();
            for (c, name) in ["Ref", "Indicator", "Polarity", "Current", "Target"].iter().enumerate() {
                sheet.write_string(3, 1 + c as u16, *name).unwrap();
            }
            for (c, text) in ["V1", "Visits", "High"].iter().enumerate() {
                sheet.write_string(4, 1 + c as u16, *text).unwrap();
            }
            sheet.write_formula(4, 4, "=40+20").unwrap();
            sheet.write_number(4, 5, 55.0).unwrap();
            info_sheet(&mut book);
            book.save(path).unwrap();
        },
        "",
    );
    let (json, err) = check_json(dir.path());
    let v1 = indicator(&json, "V1");
    assert_eq!(
        (v1["value"].as_f64(), v1["target"].as_f64(), v1["rag"].as_str()),
        (Some(60.0), Some(55.0), Some("green"))
    );
    assert!(
        err.contains(
            "1 formula computed with IronCalc, as the workbook was saved without their results: E5 =40+20 → 60"
        ),
        "{err}"
    );
}

// ---- 5: workbook errors name the paper-file line ---------------------------------------------

#[test]
fn a_missing_sheet_names_the_line_that_chose_it() {
    let dir = paper_case("book.xlsx", write_shown_book, "      series-sheet: Montly\n");
    let out = run_in(dir.path(), &["check", "paper.yaml"]);
    assert_eq!(
        stderr(&out),
        "error: book.xlsx: sheet \"Montly\" not found; the workbook has \"Scorecard\", \"Info\"\n  chosen at paper.yaml:15:21: series-sheet: Montly\n"
    );
}

// ---- 4: watch --------------------------------------------------------------------------------

/// Reads the watcher's stderr line by line on a thread, so the test can wait with a deadline.
fn lines_of(child: &mut std::process::Child) -> std::sync::mpsc::Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

fn wait_for(rx: &std::sync::mpsc::Receiver<String>, what: &str) -> (String, std::time::Instant) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut seen = Vec::new();
    while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(line) if line.contains(what) => return (line, std::time::Instant::now()),
            Ok(line) => seen.push(line),
            Err(_) => break,
        }
    }
    panic!("no line with {what:?} within 60 s; saw:\n{}", seen.join("\n"));
}

#[test]
fn watch_rebuilds_after_a_save_keeps_the_last_good_files_and_stops_on_ctrl_c() {
    let dir = paper_case("book.xlsx", write_shown_book, "");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_committee-paper"))
        .args(["watch", "paper.yaml", "-o", "out", "--format", "pdf"])
        .current_dir(dir.path())
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let lines = lines_of(&mut child);
    wait_for(&lines, "built in");
    let pdf = dir.path().join("out/2020-01-15-test-scorecard.pdf");
    let first = std::fs::read(&pdf).unwrap();

    // Save the workbook as a spreadsheet does: a new file renamed over the old one.
    let fresh = dir.path().join("~tmp1234.xlsx");
    write_formula_book(&fresh, true, "=40+20");
    let saved = std::time::Instant::now();
    std::fs::rename(&fresh, dir.path().join("book.xlsx")).unwrap();
    let (line, rebuilt) = wait_for(&lines, "(book.xlsx changed)");
    assert!(line.starts_with("built in "), "{line}");
    eprintln!("watch: rebuilt {} ms after the save ({line})", (rebuilt - saved).as_millis());
    let second = pdf_extract::extract_text_from_mem(&std::fs::read(&pdf).unwrap()).unwrap();
    assert!(second.contains("Visits in time"), "the rebuilt paper reads the new workbook");

    // A broken paper file: the error in place, the last good PDF kept.
    let yaml = std::fs::read_to_string(dir.path().join("paper.yaml")).unwrap();
    std::fs::write(dir.path().join("paper.yaml"), yaml.replace("subject:", "subjet:")).unwrap();
    let (line, _) = wait_for(&lines, "FAILED");
    assert!(line.contains("paper.yaml") && line.ends_with("changed); the last good files are kept"), "{line}");
    wait_for(&lines, "error: paper.yaml:6:1: unknown field `subjet`");
    assert!(std::fs::read(&pdf).unwrap() != first, "the last good PDF is the rebuilt one, still there");

    // Ctrl-C ends it cleanly.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    wait_for(&lines, "stopped");
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}
