//! Property tests (proptest) for the three parsers of user input: the paper-file loader, workbook
//! ingestion and the scorecard rules. Each must never panic: it gives a result or a located error.
//!
//! `cargo test` runs a bounded number of cases per property (fast enough for CI). For a long
//! local run set `PROPTEST_CASES`, e.g. `PROPTEST_CASES=20000 cargo test --test properties`.

mod common;

use std::path::{Path, PathBuf};

use committee_paper::diagnostic::Diagnostic;
use committee_paper::ingest::{ColumnSpec, Workbook};
use committee_paper::model::{Direction, Rag};
use committee_paper::scorecard::format::format_value;
use committee_paper::scorecard::parse::{parse_number_text, parse_period_type, parse_polarity, parse_unit};
use committee_paper::scorecard::rules::{Polarity, rate, travel};
use committee_paper::scorecard::{Unit, ValueFormat};
use common::{V, write_workbook};
use proptest::prelude::*;

/// Cases per property: `PROPTEST_CASES` when set, otherwise `default` (the CI budget).
fn config(default: u32) -> ProptestConfig {
    config_slow(default, 1)
}

/// For a slow property: `PROPTEST_CASES / divisor` when set, otherwise `default`.
fn config_slow(default: u32, divisor: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
        .map(|n| (n / divisor).max(1))
        .unwrap_or(default);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// An error from loading a paper must say where: the paper file, or the workbook.
fn assert_located(err: &anyhow::Error, places: &[&str]) {
    let text = format!("{err:#}");
    assert!(!text.trim().is_empty(), "empty error message");
    if let Some(d) = err.downcast_ref::<Diagnostic>() {
        assert!(places.iter().any(|p| d.location.contains(p)), "error not located in {places:?}: {text}");
    } else {
        panic!("error is not a located diagnostic: {text}");
    }
}

// ---------------------------------------------------------------- the paper-file loader

const YAML_TOKENS: &[&str] = &[
    "from:",
    "to:",
    "date:",
    "subject:",
    "classification:",
    "sections:",
    "paragraphs:",
    "heading:",
    "level:",
    "text:",
    "numbered:",
    "list:",
    "recommendations:",
    "recommendation:",
    "header:",
    "numbering:",
    "appendices:",
    "title:",
    "scorecard:",
    "workbook:",
    "indicators:",
    "target:",
    "floor:",
    "contacts:",
    "name:",
    "role:",
    "output:",
    "- ",
    "  ",
    "    ",
    "\n",
    "\n",
    "\n",
    ": ",
    " ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "\"",
    "'",
    "#",
    "&a ",
    "*a",
    "!!str ",
    "!!int ",
    "|",
    ">",
    "text",
    "Panel",
    "2020-01-15",
    "2020-13-45",
    "{{ period }}",
    "{{ x",
    "}}",
    "\t",
    "---",
    "...",
    "%YAML 1.2\n",
    "~",
    "null",
    "1e400",
    ".nan",
    ".inf",
    "-1",
    "300",
    "0",
    "é",
    "\u{0}",
    "\u{feff}",
    "<<: *a",
    "? ",
    "\r\n",
    "\\",
    "running",
    "sectioned",
    "labelled",
    "x.xlsx",
    "../../etc/passwd",
    "/",
    "**bold**",
    "[l](u)",
];

fn yamlish() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(YAML_TOKENS), 0..80).prop_map(|t| t.concat())
}

/// A small edit to a text: delete a span, insert a token, duplicate or swap lines, truncate.
#[derive(Debug, Clone)]
enum Edit {
    Delete(usize, usize),
    Insert(usize, &'static str),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    Truncate(usize),
    Indent(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 1..40usize).prop_map(|(a, n)| Edit::Delete(a, n)),
        (any::<usize>(), prop::sample::select(YAML_TOKENS)).prop_map(|(a, t)| Edit::Insert(a, t)),
        any::<usize>().prop_map(Edit::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
        any::<usize>().prop_map(Edit::Truncate),
        any::<usize>().prop_map(Edit::Indent),
    ]
}

/// The char boundary at or before `i % (len + 1)`.
fn boundary(text: &str, i: usize) -> usize {
    let mut i = i % (text.len() + 1);
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(text: &str, edit: &Edit) -> String {
    let mut lines: Vec<&str> = text.split('\n').collect();
    match edit {
        Edit::Delete(a, n) => {
            let a = boundary(text, *a);
            let b = boundary(text, a + n);
            let b = b.max(a);
            format!("{}{}", &text[..a], &text[b..])
        }
        Edit::Insert(a, t) => {
            let a = boundary(text, *a);
            format!("{}{t}{}", &text[..a], &text[a..])
        }
        Edit::DuplicateLine(i) => {
            let i = i % lines.len();
            lines.insert(i, lines[i]);
            lines.join("\n")
        }
        Edit::SwapLines(a, b) => {
            let n = lines.len();
            lines.swap(a % n, b % n);
            lines.join("\n")
        }
        Edit::Truncate(a) => text[..boundary(text, *a)].to_string(),
        Edit::Indent(i) => {
            let i = i % lines.len();
            let indented = format!("  {}", lines[i]);
            let mut owned: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            owned[i] = indented;
            owned.join("\n")
        }
    }
}

/// A temporary folder holding a copy of a bundled fixture, so the fuzzed paper files can point
/// at its workbooks without ever writing into the repository.
fn fixture_copy(fixture: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(root().join("fixtures").join(fixture)).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    dir
}

proptest! {
    #![proptest_config(config(256))]

    /// Arbitrary YAML-ish text: the loader answers Ok or an error located in the paper file.
    #[test]
    fn paper_loader_never_panics_on_yamlish_text(text in yamlish()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("paper.yaml");
        std::fs::write(&path, &text).unwrap();
        if let Err(err) = committee_paper::config::load_paper(&path) {
            assert_located(&err, &["paper.yaml"]);
        }
    }

    /// Arbitrary bytes (not even UTF-8): same.
    #[test]
    fn paper_loader_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("paper.yaml");
        std::fs::write(&path, &bytes).unwrap();
        if let Err(err) = committee_paper::config::load_paper(&path) {
            assert_located(&err, &["paper.yaml"]);
        }
    }
}

proptest! {
    #![proptest_config(config(96))]

    /// The real 2014 paper file with a few edits, loaded all the way to the document model
    /// (workbook, scorecard, placeholders): Ok, or an error located in the paper or workbook.
    #[test]
    fn mutated_fixture_papers_load_or_fail_located(edits in prop::collection::vec(edit(), 1..4), which in 0..2usize) {
        let (fixture, workbook) = [("kcc-2014-scs-dashboard", "scs-dashboard.xlsx"), ("kcc-2017-children-in-care", "cic-scorecard")][which];
        let dir = fixture_copy(fixture);
        let path = dir.path().join("paper.yaml");
        let mut text = std::fs::read_to_string(&path).unwrap();
        for e in &edits {
            text = apply(&text, e);
        }
        std::fs::write(&path, &text).unwrap();
        if let Err(err) = committee_paper::load(&path) {
            assert_located(&err, &["paper.yaml", workbook]);
        }
    }
}

// ---------------------------------------------------------------- workbook ingestion

#[derive(Debug, Clone)]
enum Cell {
    Text(String),
    Number(f64),
    Bool(bool),
    Blank,
}

const CELL_TEXTS: &[&str] = &[
    "Ref",
    "Indicator",
    "Current",
    "Target",
    "Floor",
    "Polarity",
    "Unit",
    "Decimals",
    "Period",
    "Previous",
    "Section",
    "Commentary",
    "England",
    "T1",
    "T2",
    "T3",
    "T1",
    "n/a",
    "N/A",
    "-",
    "#N/A",
    "12.5%",
    " 24 ",
    "1,234",
    "£1.2m",
    "High",
    "Low",
    "higher is better",
    "%",
    "Days",
    "£",
    "Number",
    "Ratio",
    "Rate per 10,000",
    "YTD",
    "R12M",
    "Snapshot",
    "tbc",
    "",
    "   ",
    "Jul-14",
    "July 2014",
    "2014-07",
    "Visits in time",
    "é ü ß Ω Ж 中文",
    "#read(\"/etc/passwd\")",
    "$x$ *bold* <l> @r",
    "7",
    "-0",
    "1e308",
    "NaN",
    "inf",
];

fn cell() -> impl Strategy<Value = Cell> {
    prop_oneof![
        4 => prop::sample::select(CELL_TEXTS).prop_map(|s| Cell::Text(s.to_string())),
        3 => prop_oneof![(-1000.0..1000.0f64), any::<f64>().prop_filter("finite", |v| v.is_finite()), Just(0.0), Just(-0.0)].prop_map(Cell::Number),
        1 => any::<bool>().prop_map(Cell::Bool),
        1 => "[ -~]{0,400}".prop_map(Cell::Text),
        3 => Just(Cell::Blank),
    ]
}

/// A sheet: the standard header row (sometimes) over random rows.
fn grid() -> impl Strategy<Value = Vec<Vec<Cell>>> {
    (any::<bool>(), prop::collection::vec(prop::collection::vec(cell(), 0..12), 0..12)).prop_map(
        |(with_header, mut rows)| {
            if with_header {
                let header = ["Ref", "Indicator", "Polarity", "Unit", "Previous", "Current", "Target", "Floor"];
                rows.insert(0, header.iter().map(|h| Cell::Text(h.to_string())).collect());
            }
            rows
        },
    )
}

/// A well-formed scorecard: the standard header, unique Refs, a consistent target and floor,
/// and odd names (markup-looking, non-Latin, up to the 300-character limit) and numbers.
fn valid_grid() -> impl Strategy<Value = Vec<Vec<Cell>>> {
    let name = prop_oneof![
        prop::sample::select(CELL_TEXTS).prop_map(|s| format!("Name {}", s.replace("中文", ""))),
        "[ -~]{0,298}".prop_map(|s| format!("N{s}")),
        "[ -~À-ÿΑ-ΡΣ-ωА-я€–—‘’“”…•]{0,60}".prop_map(|s| format!("N{s}")),
    ];
    let row = (
        name,
        prop::sample::select(vec!["High", "Low", ""]),
        prop::sample::select(vec!["%", "Number", "Days", "£", "Ratio", "Rate per 10,000", ""]),
        number_cell(),
        number_cell(),
        -1e9..1e9f64,
        0.0..1e6f64,
    );
    prop::collection::vec(row, 1..25).prop_map(|rows| {
        let header = ["Ref", "Indicator", "Polarity", "Unit", "Previous", "Current", "Target", "Floor"];
        let mut grid = vec![header.iter().map(|h| Cell::Text(h.to_string())).collect::<Vec<_>>()];
        for (i, (name, polarity, unit, previous, current, target, gap)) in rows.into_iter().enumerate() {
            let (target, floor) = match polarity {
                "High" => (Cell::Number(target), Cell::Number(target - gap)),
                "Low" => (Cell::Number(target), Cell::Number(target + gap)),
                _ => (Cell::Blank, Cell::Blank),
            };
            grid.push(vec![
                Cell::Text(format!("R{i}")),
                Cell::Text(name),
                Cell::Text(polarity.to_string()),
                Cell::Text(unit.to_string()),
                previous,
                current,
                target,
                floor,
            ]);
        }
        grid
    })
}

fn number_cell() -> impl Strategy<Value = Cell> {
    prop_oneof![
        4 => (-1e9..1e9f64).prop_map(Cell::Number),
        1 => prop::sample::select(vec![0.0, -0.0, 1e15, -1e15, 1e-9]).prop_map(Cell::Number),
        1 => prop::sample::select(vec!["n/a", "#N/A", "-", " 24 ", "12.5%"]).prop_map(|s| Cell::Text(s.to_string())),
        1 => Just(Cell::Blank),
    ]
}

fn write_grid(path: &Path, sheets: &[(&str, &[Vec<Cell>])]) {
    fn as_values(rows: &[Vec<Cell>]) -> Vec<Vec<V<'_>>> {
        rows.iter()
            .map(|row| {
                row.iter()
                    .map(|cell| match cell {
                        Cell::Text(s) => V::S(s),
                        Cell::Number(n) => V::N(*n),
                        Cell::Bool(b) => V::B(*b),
                        Cell::Blank => V::Blank,
                    })
                    .collect()
            })
            .collect()
    }
    let sheets: Vec<(&str, Vec<Vec<V>>)> = sheets.iter().map(|(name, rows)| (*name, as_values(rows))).collect();
    write_workbook(path, &sheets);
}

const GRID_PAPER: &str = "from:\n  - name: A\n    role: B\nto: Panel\ndate: 2020-01-15\nsubject: S\nclassification: U\n\
summary: \"{{ red }} red, {{ green }} green\"\nappendices:\n  - title: A\n    scorecard:\n      workbook: book.xlsx\n      sheet: Scorecard\n";

/// Opens every sheet of a file as a workbook and looks for the indicator table: never panics.
fn ingest_file(path: &Path) {
    let Ok(mut book) = Workbook::open(path, "book.xlsx") else { return };
    let specs: Vec<ColumnSpec<&str>> = ["ref", "indicator", "current"]
        .into_iter()
        .map(|k| ColumnSpec { key: k, names: vec![k.to_string()], required: true })
        .collect();
    for sheet in book.sheet_names() {
        let _ = book.table(&sheet, None, &specs, "ref", false);
        let _ = book.table(&sheet, Some(1), &specs, "ref", true);
    }
    let names = book.defined_names();
    for (name, _) in names {
        if let Ok(Some(at)) = book.resolve_cell(&name) {
            let _ = book.value_at(&at);
        }
    }
}

proptest! {
    #![proptest_config(config(96))]

    /// Random small grids (and an optional series sheet) through the whole pipeline.
    #[test]
    fn random_grids_load_or_fail_located(scorecard in grid(), series in prop::option::of(grid())) {
        let dir = tempfile::tempdir().unwrap();
        let mut sheets: Vec<(&str, &[Vec<Cell>])> = vec![("Scorecard", &scorecard)];
        let mut yaml = GRID_PAPER.to_string();
        if let Some(series) = &series {
            sheets.push(("Monthly", series));
            yaml.push_str("      series-sheet: Monthly\n");
        }
        write_grid(&dir.path().join("book.xlsx"), &sheets);
        let path = dir.path().join("paper.yaml");
        std::fs::write(&path, yaml).unwrap();
        match committee_paper::load(&path) {
            Ok(loaded) => {
                // Whatever was read, the totals add up.
                let card = loaded.scorecards[0].as_ref().unwrap();
                let t = card.totals;
                prop_assert_eq!(t.green + t.amber + t.red + t.na + t.none, card.indicators.len());
            }
            Err(err) => assert_located(&err, &["paper.yaml", "book.xlsx"]),
        }
    }

    /// Random bytes, sometimes behind a zip or OLE signature: refused, never a panic.
    #[test]
    fn random_bytes_are_refused(prefix in prop::sample::select(vec![&b""[..], b"PK\x03\x04", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", b"PK\x05\x06"]),
                                bytes in prop::collection::vec(any::<u8>(), 0..2000), ext in prop::sample::select(vec!["xlsx", "xls", "ods", "xlsb"])) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("book.{ext}"));
        std::fs::write(&path, [prefix, &bytes[..]].concat()).unwrap();
        ingest_file(&path);
    }

    /// A real workbook cut short anywhere, or with a few bytes changed: never a panic.
    #[test]
    fn damaged_workbooks_never_panic(which in 0..3usize, cut in any::<prop::sample::Index>(),
                                     flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6), truncate in any::<bool>()) {
        let source = [
            ("kcc-2014-scs-dashboard/scs-dashboard.xlsx", "xlsx"),
            ("kcc-2017-children-in-care/cic-scorecard.xlsx", "xlsx"),
            ("kcc-2017-children-in-care/cic-scorecard.ods", "ods"),
        ][which];
        let mut bytes = std::fs::read(root().join("fixtures").join(source.0)).unwrap();
        for (at, value) in &flips {
            let i = at.index(bytes.len());
            bytes[i] = *value;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len()));
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("book.{}", source.1));
        std::fs::write(&path, &bytes).unwrap();
        ingest_file(&path);
    }
}

proptest! {
    #![proptest_config(config_slow(12, 20))]

    /// Well-formed scorecards with odd texts and numbers load and render as PDF and DOCX (slow, so
/// few cases). Names keep to scripts the embedded fonts cover: a character no font has (an
/// emoji, Chinese) fails the PDF/A export — an error, not a panic, but not yet located.
    #[test]
    fn valid_random_scorecards_render(scorecard in valid_grid()) {
        let dir = tempfile::tempdir().unwrap();
        write_grid(&dir.path().join("book.xlsx"), &[("Scorecard", &scorecard)]);
        let path = dir.path().join("paper.yaml");
        std::fs::write(&path, GRID_PAPER).unwrap();
        let loaded = committee_paper::load(&path);
        prop_assert!(loaded.is_ok(), "{:#}", loaded.err().unwrap());
        if let Ok(loaded) = loaded {
            let files = committee_paper::render(&loaded.paper, "out", &committee_paper::RenderOptions::default());
            prop_assert!(files.is_ok(), "a loaded paper failed to render: {:#}", files.err().unwrap());
        }
    }
}

// ---------------------------------------------------------------- scorecard rules

fn unit() -> impl Strategy<Value = Unit> {
    prop::sample::select(vec![Unit::Percent, Unit::Count, Unit::Rate10k, Unit::Days, Unit::Ratio, Unit::Money])
}

fn polarity() -> impl Strategy<Value = Option<Polarity>> {
    prop::sample::select(vec![None, Some(Polarity::Higher), Some(Polarity::Lower)])
}

/// Any f64 at all, with the awkward ones over-represented.
fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => -1e6..1e6f64,
        1 => any::<f64>(),
        1 => prop::sample::select(vec![0.0, -0.0, 0.05, 0.15, 12.05, -2.35, 1e15, 1e300, f64::MAX, f64::MIN_POSITIVE, f64::NAN, f64::INFINITY, f64::NEG_INFINITY]),
    ]
}

fn rank(rag: Rag) -> u8 {
    match rag {
        Rag::Red => 0,
        Rag::Amber => 1,
        Rag::Green => 2,
        Rag::Na | Rag::None => 3,
    }
}

proptest! {
    #![proptest_config(config(2048))]

    /// rate, travel and the formatter answer for any numbers, units and precisions.
    #[test]
    fn rules_never_panic(current in prop::option::of(number()), previous in prop::option::of(number()), target in prop::option::of(number()),
                         floor in prop::option::of(number()), polarity in polarity(), unit in unit(), decimals in any::<u8>()) {
        let format = ValueFormat::with_decimals(unit, decimals);
        let _ = rate(current, target, floor, polarity, format);
        let t = travel(previous, current, polarity, format);
        let _ = t.text();
        for v in [current, previous, target, floor].into_iter().flatten() {
            let text = format_value(v, unit, decimals);
            prop_assert!(!text.is_empty());
        }
    }

    /// A better value never gets a worse rating (Red < Amber < Green), whatever the precision.
    #[test]
    fn rating_is_monotonic(a in -1e6..1e6f64, b in -1e6..1e6f64, target in -1e6..1e6f64, gap in 0.0..1e5f64,
                           higher in any::<bool>(), unit in unit(), decimals in 0u8..=6) {
        let format = ValueFormat::with_decimals(unit, decimals);
        let (polarity, floor) = if higher { (Polarity::Higher, target - gap) } else { (Polarity::Lower, target + gap) };
        let (worse, better) = match polarity {
            Polarity::Higher => (a.min(b), a.max(b)),
            Polarity::Lower => (a.max(b), a.min(b)),
        };
        let rate_of = |v: f64| rate(Some(v), Some(target), Some(floor), Some(polarity), format);
        // A floor a hair on the wrong side after rounding is refused, not mis-rated.
        if let (Ok(w), Ok(b)) = (rate_of(worse), rate_of(better)) {
            prop_assert!(rank(w) <= rank(b), "{worse} rated {w:?} but better {better} rated {b:?}");
        }
    }

    /// Travel is antisymmetric: from a to b improved exactly when from b to a worsened.
    #[test]
    fn travel_is_antisymmetric(a in number(), b in number(), polarity in polarity(), unit in unit(), decimals in 0u8..=6) {
        let format = ValueFormat::with_decimals(unit, decimals);
        let there = travel(Some(a), Some(b), polarity, format).direction;
        let back = travel(Some(b), Some(a), polarity, format).direction;
        let expected = match there {
            Direction::Improved => Direction::Worsened,
            Direction::Worsened => Direction::Improved,
            Direction::Increased => Direction::Decreased,
            Direction::Decreased => Direction::Increased,
            other => other,
        };
        prop_assert_eq!(back, expected);
    }

    /// The cell-text parsers answer for any text.
    #[test]
    fn text_parsers_never_panic(text in "\\PC{0,40}") {
        let _ = parse_number_text(&text);
        let _ = parse_polarity(&text);
        let _ = parse_unit(&text);
        let _ = parse_period_type(&text);
        let _ = committee_paper::ingest::parse_a1(&text);
        let _ = committee_paper::ingest::parse_sheet_ref(&text);
        let _ = committee_paper::scorecard::series::parse_month_text(&text);
    }
}

/// Regression (found by `damaged_workbooks_never_panic`): calamine overflowed on an absurd cell
/// reference in a sheet's `<dimension>` or a cell's `r`, a panic in debug builds.
#[test]
fn absurd_cell_references_do_not_panic() {
    use std::io::{Read, Write};
    let source = root().join("fixtures/kcc-2014-scs-dashboard/scs-dashboard.xlsx");
    for (from, to) in [
        (r#"<dimension ref=""#, r#"<dimension ref="A99999999999:ZZZZZZZZ1" x=""#),
        (r#"<dimension ref=""#, r#"<dimension ref="B2:A1" x=""#),
        (r#"<c r="A1""#, r#"<c r="ZZZZZZZZZZ99999999999""#),
    ] {
        let mut zin = zip::ZipArchive::new(std::fs::File::open(&source).unwrap()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.xlsx");
        let mut zout = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        for i in 0..zin.len() {
            let mut entry = zin.by_index(i).unwrap();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            let name = entry.name().to_string();
            if name == "xl/worksheets/sheet1.xml" {
                let text = String::from_utf8(bytes).unwrap();
                assert!(text.contains(from), "{from} in the sheet");
                bytes = text.replacen(from, to, 1).into_bytes();
            }
            zout.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
            zout.write_all(&bytes).unwrap();
        }
        zout.finish().unwrap();
        ingest_file(&path);
    }
}
