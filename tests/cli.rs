//! End-to-end tests: the real binary on the bundled fixtures, reading the PDF's text and the
//! DOCX's XML back, as a clerk or an author would check them.

mod common;

use std::path::{Path, PathBuf};

use common::{V, docx_part, edited_fixture, root, run, stderr, write_workbook};

const PAPER_2014: &str = "fixtures/kcc-2014-scs-dashboard/paper.yaml";
const PAPER_2017: &str = "fixtures/kcc-2017-children-in-care/paper.yaml";
const REFERENCE_2014: &str = "tests/reference/kcc-2014-08-28-scs-performance-dashboard.md";
const REFERENCE_2017: &str = "tests/reference/kcc-2017-06-01-children-in-care-scorecard.md";

/// Builds a paper into a fresh folder; returns the folder and the PDF and DOCX paths.
fn build(paper: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["build", paper, "-o", dir.path().to_str().unwrap()]);
    assert!(out.status.success(), "build failed: {}", stderr(&out));
    let mut pdf = None;
    let mut docx = None;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        match path.extension().and_then(|e| e.to_str()) {
            Some("pdf") => pdf = Some(path),
            Some("docx") => docx = Some(path),
            _ => panic!("unexpected file {}", path.display()),
        }
    }
    (dir, pdf.expect("a PDF"), docx.expect("a DOCX"))
}

fn pdf_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    pdf_extract::extract_text_from_mem(&bytes).expect("the PDF's text can be read")
}

/// The text of `word/document.xml`: runs joined, one line per paragraph.
fn docx_text(path: &Path) -> String {
    let xml = docx_part(path, "word/document.xml");
    let mut out = String::new();
    let mut rest = xml.as_str();
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>').map(|e| start + e + 1).unwrap_or(rest.len());
        let tag = &rest[start..end];
        if tag.starts_with("<w:t>") || tag.starts_with("<w:t ") {
            let close = rest[end..].find("</w:t>").map(|c| end + c).unwrap_or(rest.len());
            out.push_str(&unescape(&rest[end..close]));
            rest = &rest[close..];
            continue;
        }
        if tag == "</w:p>" || tag.starts_with("<w:br") {
            out.push('\n');
        }
        if tag.starts_with("<w:tab") && !tag.starts_with("<w:tabs") {
            out.push(' ');
        }
        rest = &rest[end..];
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The lines of a reference paper, stripped of its Markdown, each a unit to find in our output.
/// `strip_numbers` drops leading paragraph numbers (a DOCX holds them as Word numbering, not text).
fn reference_lines(path: &str, strip_numbers: bool) -> Vec<String> {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    let mut lines = Vec::new();
    for line in text.lines() {
        let mut l = line.trim().trim_start_matches('#').trim().trim_start_matches("- ").to_string();
        l = l.replace("**", "");
        // [text](mailto:…) -> text
        while let (Some(a), Some(b)) = (l.find('['), l.find("](")) {
            let Some(c) = l[b..].find(')').map(|c| b + c) else { break };
            l = format!("{}{}{}", &l[..a], &l[a + 1..b], &l[c + 1..]);
        }
        let l = l.trim().to_string();
        if l.is_empty() || l.chars().all(|c| c == '-') {
            continue;
        }
        // The 2017 original numbers its third Context paragraph 2.4 (2.3 is missing, a slip in the
        // original); Word numbering and ours count 2.3.
        let l = l.replace("2.4 The Children in Care Scorecard", "2.3 The Children in Care Scorecard");
        let l = if strip_numbers { strip_number(&l) } else { l };
        lines.push(l);
    }
    lines
}

fn strip_number(line: &str) -> String {
    let digits: String = line.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    if !digits.is_empty() && digits.chars().any(|c| c.is_ascii_digit()) && line[digits.len()..].starts_with(' ') {
        line[digits.len()..].trim().to_string()
    } else {
        line.to_string()
    }
}

fn assert_contains_reference(output: &str, reference: &str, strip_numbers: bool, what: &str) {
    let haystack = squash(output);
    let missing: Vec<String> =
        reference_lines(reference, strip_numbers).into_iter().filter(|l| !haystack.contains(&squash(l))).collect();
    assert!(
        missing.is_empty(),
        "{what} lacks these reference lines:\n{}\n--- {what} text ---\n{output}",
        missing.join("\n")
    );
}

#[test]
fn paper_2014_pdf_holds_every_reference_line() {
    let (_dir, pdf, _) = build(PAPER_2014);
    let text = pdf_text(&pdf);
    assert_contains_reference(&text, REFERENCE_2014, false, "2014 PDF");
    assert!(text.contains("Page 1 of"), "footer page numbers: {text}");
}

#[test]
fn paper_2017_pdf_holds_every_reference_line() {
    let (_dir, pdf, _) = build(PAPER_2017);
    let text = pdf_text(&pdf);
    assert_contains_reference(&text, REFERENCE_2017, false, "2017 PDF");
}

#[test]
fn paper_2014_docx_holds_every_reference_line() {
    let (_dir, _, docx) = build(PAPER_2014);
    assert_contains_reference(&docx_text(&docx), REFERENCE_2014, true, "2014 DOCX");
}

#[test]
fn paper_2017_docx_holds_every_reference_line() {
    let (_dir, _, docx) = build(PAPER_2017);
    assert_contains_reference(&docx_text(&docx), REFERENCE_2017, true, "2017 DOCX");
}

#[test]
fn pdf_paragraph_numbers_follow_each_scheme() {
    let (_dir, pdf, _) = build(PAPER_2014);
    let text = squash(&pdf_text(&pdf));
    for n in 1..=11 {
        assert!(text.contains(&format!("{n}.")), "running number {n}.");
    }
    assert!(text.contains("11.Membersareaskedto:"), "paragraph 11 carries the recommendation");
    let (_dir, pdf, _) = build(PAPER_2017);
    let text = squash(&pdf_text(&pdf));
    for n in ["1.1Performance", "1.2The", "2.1The", "2.2The", "2.3The", "3.1Recommendations"] {
        assert!(text.contains(n), "sectioned number {n}");
    }
}

#[test]
fn docx_paragraphs_are_numbered_by_word_numbering() {
    let (_dir, _, docx) = build(PAPER_2014);
    let xml = docx_part(&docx, "word/document.xml");
    // Eleven numbered paragraphs in the 2014 paper, numbered by Word through their style, not
    // typed.
    let numbered = xml.matches(r#"<w:pStyle w:val="NumberedPara" />"#).count();
    assert_eq!(numbered, 11, "paragraphs in the numbered style");
    let styles = docx_part(&docx, "word/styles.xml");
    assert!(styles.contains(r#"<w:numPr><w:ilvl w:val="0" /><w:numId w:val="2" /></w:numPr>"#), "{styles}");
    assert!(!docx_text(&docx).lines().any(|l| l.starts_with("4. The SCS")), "numbers are not typed digits");
    let numbering = docx_part(&docx, "word/numbering.xml");
    assert!(numbering.contains("%1."), "{numbering}");
    let (_dir, _, docx) = build(PAPER_2017);
    let numbering = docx_part(&docx, "word/numbering.xml");
    assert!(numbering.contains("%1.%2"), "{numbering}");
}

#[test]
fn builds_are_byte_identical() {
    let (_a, pdf_a, docx_a) = build(PAPER_2014);
    let (_b, pdf_b, docx_b) = build(PAPER_2014);
    assert_eq!(std::fs::read(&pdf_a).unwrap(), std::fs::read(&pdf_b).unwrap(), "PDF differs between builds");
    assert_eq!(std::fs::read(&docx_a).unwrap(), std::fs::read(&docx_b).unwrap(), "DOCX differs between builds");
}

#[test]
fn pdf_is_tagged_and_carries_metadata() {
    let (_dir, pdf, _) = build(PAPER_2014);
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    // The catalog sits in a compressed object stream: read it as a PDF reader does.
    let document = lopdf::Document::load_mem(&bytes).expect("a readable PDF");
    let catalog = document.catalog().expect("a catalog");
    assert!(catalog.has(b"StructTreeRoot"), "tagged PDF");
    assert!(catalog.has(b"MarkInfo"), "marked content");
    let lang = catalog.get(b"Lang").and_then(lopdf::Object::as_str).expect("a document language");
    assert_eq!(lang, b"en-GB", "language en-GB");
}

#[test]
fn docx_core_properties_come_from_the_paper() {
    let (_dir, _, docx) = build(PAPER_2014);
    let core = docx_part(&docx, "docProps/core.xml");
    assert!(
        core.contains("Specialist Children&apos;s Services Performance Dashboard")
            || core.contains("Specialist Children's Services Performance Dashboard"),
        "{core}"
    );
    assert!(core.contains("2014-08-28T00:00:00Z"), "{core}");
    assert!(core.contains("Peter Oakford"), "{core}");
}

/// Writes a paper + workbook pair into a temp folder from the 2014 fixture, with edits.
fn edited_2014(edit_yaml: impl Fn(String) -> String) -> tempfile::TempDir {
    edited_fixture("fixtures/kcc-2014-scs-dashboard", edit_yaml).0
}

#[test]
fn misspelt_key_is_an_error_with_its_line_and_no_output() {
    let dir = edited_2014(|y| y.replacen("classification:", "clasification:", 1));
    let yaml = std::fs::read_to_string(dir.path().join("paper.yaml")).unwrap();
    let line = yaml.lines().position(|l| l.starts_with("clasification:")).unwrap() + 1;
    let out_dir = dir.path().join("out");
    let paper = dir.path().join("paper.yaml");
    let out = run(&["build", paper.to_str().unwrap(), "-o", out_dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.starts_with(&format!("error: {}:{line}:1: unknown field `clasification`", paper.display())), "{err}");
    assert!(err.contains("did you mean `classification`?"), "{err}");
    assert!(!out_dir.exists(), "no output folder is created for a failed paper");
}

#[test]
fn usage_errors_exit_2() {
    let out = run(&["build"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn workbook_text_that_looks_like_typst_prints_literally() {
    let dir = tempfile::tempdir().unwrap();
    let header = ["Ref", "Indicator", "Polarity", "Unit", "Previous", "Current", "Target", "Floor"];
    let row = vec![
        V::S("T1"),
        V::S("#read(\"/etc/passwd\") and *x* and $y$ <l> @r"),
        V::S("High"),
        V::S("%"),
        V::N(80.0),
        V::N(91.0),
        V::N(90.0),
        V::N(85.0),
    ];
    write_workbook(&dir.path().join("book.xlsx"), &[("Scorecard", vec![header.into_iter().map(V::S).collect(), row])]);
    std::fs::write(
        dir.path().join("paper.yaml"),
        "from:\n  - name: A\n    role: B\nto: Panel\ndate: 2020-01-15\nsubject: S\nclassification: Unrestricted\n\
appendices:\n  - title: Appendix A\n    scorecard:\n      workbook: book.xlsx\n",
    )
    .unwrap();
    let paper = dir.path().join("paper.yaml");
    let out_dir = dir.path().join("out");
    let out = run(&["build", paper.to_str().unwrap(), "-o", out_dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let pdf = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .unwrap();
    let text = squash(&pdf_text(&pdf));
    assert!(text.contains(&squash("#read(\"/etc/passwd\") and *x* and $y$ <l> @r")), "{text}");
    assert!(!text.contains("root:x:0"), "no file content leaks into the paper");
}

/// The rows of the first table in the appendix, as cell texts, from the DOCX.
fn docx_table_rows(path: &Path) -> Vec<Vec<String>> {
    let xml = docx_part(path, "word/document.xml");
    let mut rows = Vec::new();
    for row in xml.split("<w:tr>").skip(1).chain(xml.split("<w:tr ").skip(1)) {
        let row = row.split("</w:tr>").next().unwrap_or("");
        let cells: Vec<String> = row
            .split("<w:tc>")
            .skip(1)
            .map(|cell| {
                let mut text = String::new();
                for piece in cell.split("<w:t").skip(1) {
                    if let Some(start) = piece.find('>') {
                        let rest = &piece[start + 1..];
                        if let Some(end) = rest.find("</w:t>") {
                            text.push_str(&unescape(&rest[..end]));
                        }
                    }
                }
                text
            })
            .collect();
        rows.push(cells);
    }
    rows
}

#[test]
fn pdf_and_docx_appendices_agree_with_check() {
    for paper in [PAPER_2014, PAPER_2017] {
        let out = run(&["check", "--json", paper]);
        assert!(out.status.success(), "{}", stderr(&out));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let (_dir, pdf, docx) = build(paper);
        let rows = docx_table_rows(&docx);
        let pdf_text = squash(&pdf_text(&pdf));
        let word = |rag: &str| match rag {
            "green" => "Green",
            "amber" => "Amber",
            "red" => "Red",
            "na" => "N/A",
            _ => "—",
        };
        for indicator in json["indicators"].as_array().unwrap() {
            let reference = indicator["ref"].as_str().unwrap();
            let row = rows
                .iter()
                .find(|r| r.first().map(String::as_str) == Some(reference))
                .unwrap_or_else(|| panic!("DOCX row {reference}"));
            let rag = word(indicator["rag"].as_str().unwrap());
            assert!(row.iter().any(|c| c == rag), "{reference}: DOCX row {row:?} lacks RAG word {rag}");
            let direction = indicator["direction"].as_str().unwrap();
            let direction_word = match direction {
                "improved" => "Improved",
                "worsened" => "Worsened",
                "unchanged" => "No change",
                "increased" => "Increased",
                "decreased" => "Decreased",
                _ => "–",
            };
            assert!(
                row.iter().any(|c| c.ends_with(direction_word)),
                "{reference}: DOCX row {row:?} lacks {direction_word}"
            );
            // The PDF row reads the same, left to right: Ref … RAG word, direction.
            let pdf_row_start = pdf_text.find(reference).unwrap_or_else(|| panic!("PDF lacks {reference}"));
            let pdf_row = &pdf_text[pdf_row_start..];
            let rag_at = pdf_row.find(rag).unwrap_or_else(|| panic!("PDF row {reference} lacks {rag}"));
            assert!(pdf_row[rag_at..].contains(&squash(direction_word)), "PDF row {reference} lacks {direction_word}");
        }
    }
}

#[test]
fn init_writes_an_example_that_builds_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("new-paper");
    let out = run(&["init", target.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let paper = target.join("paper.yaml");
    let built = run(&["build", paper.to_str().unwrap(), "-o", target.join("out").to_str().unwrap()]);
    assert!(built.status.success(), "{}", stderr(&built));
    std::fs::write(&paper, "edited").unwrap();
    let again = run(&["init", target.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("already exists; init never overwrites files"), "{}", stderr(&again));
    assert_eq!(std::fs::read_to_string(&paper).unwrap(), "edited");
}

#[test]
fn inspect_shows_header_row_columns_and_defined_names() {
    let out = run(&["inspect", "fixtures/kcc-2014-scs-dashboard/scs-dashboard.xlsx"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("sheet \"Scorecard\""), "{text}");
    assert!(text.contains("header row 4:"), "{text}");
    assert!(text.contains("current     I4  \"Current\""), "{text}");
    assert!(text.contains("ReportingPeriod = Info!$B$1  \"July 2014\""), "{text}");
}
