//! One paper in process, and how cost grows with the size of the appendix (BENCHMARKS.md (a), (c)).
//!
//! Everything runs in memory: read the workbook, rate, build the model, render PDF and DOCX; no
//! file is written, so the figures are the library's own cost. Each end-to-end figure is split
//! into its stages (`load`, `pdf`, `docx`) so a slow figure points at its cause.

use std::path::{Path, PathBuf};

use committee_paper::{Formats, Loaded, RenderOptions, load, render};
use divan::Bencher;

fn main() {
    divan::main();
}

fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn options(pdf: bool, docx: bool) -> RenderOptions {
    RenderOptions { formats: Formats { pdf, docx }, ..Default::default() }
}

fn end_to_end(paper: &Path) -> usize {
    let loaded = load(paper).expect("the paper loads");
    let files = render(&loaded.paper, &loaded.config.output_stem, &options(true, true)).expect("the paper renders");
    files.files.iter().map(|f| f.bytes.len()).sum()
}

/// (a) The 2014 reference paper (26 indicators, 3 pages): workbook, PDF and DOCX.
#[divan::bench(sample_count = 30)]
fn paper_2014_end_to_end() -> usize {
    end_to_end(&fixture("fixtures/kcc-2014-scs-dashboard/paper.yaml"))
}

/// The stages of (a).
mod paper_2014 {
    use super::*;

    fn loaded() -> Loaded {
        load(&fixture("fixtures/kcc-2014-scs-dashboard/paper.yaml")).expect("the paper loads")
    }

    #[divan::bench(sample_count = 30)]
    fn load_only() -> Loaded {
        loaded()
    }

    #[divan::bench(sample_count = 30)]
    fn pdf(bencher: Bencher) {
        let loaded = loaded();
        bencher.bench(|| render(&loaded.paper, "x", &options(true, false)).expect("renders"));
    }

    #[divan::bench(sample_count = 30)]
    fn docx(bencher: Bencher) {
        let loaded = loaded();
        bencher.bench(|| render(&loaded.paper, "x", &options(false, true)).expect("renders"));
    }
}

/// A paper whose appendix has `n` indicators in sections of 25, in a generated workbook.
struct Generated {
    _dir: tempfile::TempDir,
    paper: PathBuf,
}

fn generated(n: usize) -> Generated {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Scorecard").expect("sheet name");
    let header =
        ["Ref", "Section", "Indicator", "Polarity", "Unit", "Period", "Previous", "Current", "Target", "Floor"];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("write");
    }
    for i in 0..n {
        let r = i as u32 + 1;
        // Values cycle through Green, Amber, Red and an activity indicator; deterministic.
        let current = 60.0 + (i % 40) as f64;
        let higher = i % 2 == 0;
        let cells = [
            format!("G{:05}", i + 1),
            format!("Section {}", i / 25 + 1),
            format!("Generated indicator number {} with a name long enough to wrap in the table", i + 1),
            if i % 7 == 6 {
                String::new()
            } else if higher {
                "High".into()
            } else {
                "Low".into()
            },
            "%".into(),
            ["Snapshot", "YTD", "R12M", "Monthly"][i % 4].into(),
        ];
        for (c, text) in cells.iter().enumerate() {
            if !text.is_empty() {
                sheet.write_string(r, c as u16, text).expect("write");
            }
        }
        sheet.write_number(r, 6, current - 1.5).expect("write");
        sheet.write_number(r, 7, current).expect("write");
        if i % 7 != 6 {
            let (target, floor) = if higher { (80.0, 70.0) } else { (80.0, 90.0) };
            sheet.write_number(r, 8, target).expect("write");
            sheet.write_number(r, 9, floor).expect("write");
        }
    }
    let info = book.add_worksheet();
    info.set_name("Info").expect("sheet name");
    info.write_string(0, 0, "Period").expect("write");
    info.write_string(0, 1, "March 2020").expect("write");
    book.save(dir.path().join("book.xlsx")).expect("save the workbook");
    let paper = dir.path().join("paper.yaml");
    std::fs::write(
        &paper,
        "from:\n  - name: Test Officer\n    role: Analyst\nto: Test Panel\ndate: 2020-04-15\nsubject: Generated Scorecard\n\
classification: Unrestricted\nsummary: There are {{ red }} red indicators of {{ indicators }} for {{ period }}.\n\
sections:\n  - heading: Introduction\n    paragraphs:\n      - The scorecard is attached.\n\
appendices:\n  - title: Appendix A – Scorecard – {{ period }}\n    scorecard:\n      workbook: book.xlsx\n      sheet: Scorecard\n      period: Info!B1\n",
    )
    .expect("write the paper file");
    Generated { _dir: dir, paper }
}

/// (c) Appendices of 50, 500 and 5,000 indicators end to end: is the cost linear?
#[divan::bench(args = [50, 500, 5000], sample_count = 3, sample_size = 1)]
fn appendix_end_to_end(bencher: Bencher, n: usize) {
    let case = generated(n);
    bencher.bench(|| end_to_end(&case.paper));
}

/// The stages of (c).
mod appendix {
    use super::*;

    #[divan::bench(args = [50, 500, 5000], sample_count = 3, sample_size = 1)]
    fn load_only(bencher: Bencher, n: usize) {
        let case = generated(n);
        bencher.bench(|| load(&case.paper).expect("loads"));
    }

    #[divan::bench(args = [50, 500, 5000], sample_count = 3, sample_size = 1)]
    fn pdf(bencher: Bencher, n: usize) {
        let case = generated(n);
        let loaded = load(&case.paper).expect("loads");
        bencher.bench(|| render(&loaded.paper, "x", &options(true, false)).expect("renders"));
    }

    #[divan::bench(args = [50, 500, 5000], sample_count = 3, sample_size = 1)]
    fn docx(bencher: Bencher, n: usize) {
        let case = generated(n);
        let loaded = load(&case.paper).expect("loads");
        bencher.bench(|| render(&loaded.paper, "x", &options(false, true)).expect("renders"));
    }
}
