//! Helpers shared by the integration tests: run the real binary, make small workbooks and papers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary from the crate root.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_committee-paper")).args(args).current_dir(root()).output().expect("the binary runs")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A cell for [`write_workbook`].
pub enum V<'a> {
    S(&'a str),
    N(f64),
    Blank,
}

/// Writes an .xlsx with one sheet per (name, rows) pair.
pub fn write_workbook(path: &Path, sheets: &[(&str, Vec<Vec<V>>)]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    V::S(s) => {
                        sheet.write_string(r as u32, c as u16, *s).unwrap();
                    }
                    V::N(n) => {
                        sheet.write_number(r as u32, c as u16, *n).unwrap();
                    }
                    V::Blank => {}
                }
            }
        }
    }
    book.save(path).unwrap();
}

/// The header row used by the small test workbooks.
pub fn header() -> Vec<V<'static>> {
    ["Ref", "Indicator", "Polarity", "Unit", "Previous", "Current", "Target", "Floor"].into_iter().map(V::S).collect()
}

/// A well-formed indicator row.
pub fn indicator<'a>(reference: &'a str, name: &'a str, previous: f64, current: f64, target: f64, floor: f64) -> Vec<V<'a>> {
    vec![V::S(reference), V::S(name), V::S("High"), V::S("%"), V::N(previous), V::N(current), V::N(target), V::N(floor)]
}

/// A small paper file whose appendix reads `book.xlsx`, sheet `Scorecard`; `extra` is appended
/// to the top level.
pub fn paper_yaml(extra: &str) -> String {
    format!(
        "from:\n  - name: Test Officer\n    role: Analyst\nto: Test Panel\ndate: 2020-01-15\nsubject: Test Scorecard\n\
classification: Unrestricted\nsummary: There are {{{{ red }}}} red indicators for {{{{ period }}}}.\n\
appendices:\n  - title: Appendix A – Scorecard\n    scorecard:\n      workbook: book.xlsx\n      sheet: Scorecard\n      period: Info!B1\n{extra}"
    )
}

/// A folder holding `paper.yaml` and `book.xlsx` (with an `Info` sheet giving the period).
pub fn case(yaml: &str, rows: Vec<Vec<V>>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_workbook(&dir.path().join("book.xlsx"), &[("Scorecard", rows), ("Info", vec![vec![V::S("Period"), V::S("January 2020")]])]);
    std::fs::write(dir.path().join("paper.yaml"), yaml).unwrap();
    dir
}

/// Builds `paper.yaml` of a case folder into `out/` under it.
pub fn build_case(dir: &Path) -> Output {
    let paper = dir.join("paper.yaml");
    let out = dir.join("out");
    run(&["build", paper.to_str().unwrap(), "-o", out.to_str().unwrap()])
}
