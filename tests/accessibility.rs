//! What a screen reader finds in the PDF, read from its structure tree with a PDF crate (lopdf),
//! not by matching bytes: for both reference papers, every value of the scorecard has a column
//! header and a row header (its indicator); every trend is a `Figure` with alternative text that
//! says what it shows; the direction arrows are decoration (artifacts) and only the words are
//! read; numbered paragraphs are list items with their printed numbers as labels; the header
//! block reads label then value.

mod common;

use std::collections::BTreeMap;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

/// A structure element: its type, attributes and kids (elements, or marked-content ids of a
/// page).
#[derive(Debug)]
struct Element {
    kind: String,
    id: Option<String>,
    alt: Option<String>,
    scope: Option<String>,
    headers: Vec<String>,
    kids: Vec<Kid>,
}

#[derive(Debug)]
enum Kid {
    Element(Element),
    Content { page: Option<ObjectId>, mcid: i64 },
}

struct Pdf {
    doc: Document,
    root: Element,
}

fn name(object: &Object) -> Option<String> {
    object.as_name().ok().map(|n| String::from_utf8_lossy(n).into_owned())
}

fn text(object: &Object) -> Option<String> {
    let bytes = object.as_str().ok()?;
    // Text strings are UTF-16BE with a byte-order mark, or PDFDocEncoding (ASCII here).
    if bytes.starts_with(&[0xFE, 0xFF]) {
        let units: Vec<u16> =
            bytes[2..].chunks(2).map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])).collect();
        Some(String::from_utf16_lossy(&units))
    } else {
        Some(String::from_utf8_lossy(bytes).into_owned())
    }
}

impl Pdf {
    fn load(path: &std::path::Path) -> Pdf {
        let doc = Document::load(path).expect("the PDF loads");
        let catalog = doc.catalog().expect("a catalog");
        let tree = doc.get_dictionary(catalog.get(b"StructTreeRoot").unwrap().as_reference().unwrap()).unwrap();
        let root = Element {
            kind: "StructTreeRoot".into(),
            id: None,
            alt: None,
            scope: None,
            headers: vec![],
            kids: kids(&doc, tree.get(b"K").unwrap(), None),
        };
        Pdf { doc, root }
    }
}

fn deref<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    match object {
        Object::Reference(id) => doc.get_object(*id).expect("a referenced object"),
        other => other,
    }
}

fn kids(doc: &Document, k: &Object, page: Option<ObjectId>) -> Vec<Kid> {
    match deref(doc, k) {
        Object::Array(items) => items.iter().flat_map(|item| kids(doc, item, page)).collect(),
        Object::Integer(mcid) => vec![Kid::Content { page, mcid: *mcid }],
        Object::Dictionary(dict) => {
            if dict.get(b"S").is_ok() {
                vec![Kid::Element(element(doc, dict, page))]
            } else if let Ok(mcid) = dict.get(b"MCID").and_then(Object::as_i64) {
                // A marked-content reference: { /Type /MCR /Pg … /MCID n }.
                let page = dict.get(b"Pg").and_then(Object::as_reference).ok().or(page);
                vec![Kid::Content { page, mcid }]
            } else {
                vec![]
            }
        }
        _ => vec![],
    }
}

fn element(doc: &Document, dict: &Dictionary, page: Option<ObjectId>) -> Element {
    let page = dict.get(b"Pg").and_then(Object::as_reference).ok().or(page);
    let mut scope = None;
    let mut headers = Vec::new();
    if let Ok(attributes) = dict.get(b"A") {
        let list: Vec<&Object> = match deref(doc, attributes) {
            Object::Array(items) => items.iter().map(|i| deref(doc, i)).collect(),
            other => vec![other],
        };
        for attribute in list {
            let Ok(attribute) = attribute.as_dict() else { continue };
            if let Ok(s) = attribute.get(b"Scope") {
                scope = name(s);
            }
            if let Ok(Object::Array(ids)) = attribute.get(b"Headers").map(|h| deref(doc, h)) {
                headers = ids.iter().filter_map(text).collect();
            }
        }
    }
    Element {
        kind: dict.get(b"S").ok().and_then(name).unwrap_or_default(),
        id: dict.get(b"ID").ok().and_then(text),
        alt: dict.get(b"Alt").ok().and_then(text),
        scope,
        headers,
        kids: dict.get(b"K").map(|k| kids(doc, k, page)).unwrap_or_default(),
    }
}

impl Element {
    fn children(&self) -> impl Iterator<Item = &Element> {
        self.kids.iter().filter_map(|k| match k {
            Kid::Element(e) => Some(e),
            Kid::Content { .. } => None,
        })
    }

    fn all(&self) -> Vec<&Element> {
        let mut out = vec![self];
        for child in self.children() {
            out.extend(child.all());
        }
        out
    }

    fn marked_content(&self, out: &mut Vec<(Option<ObjectId>, i64)>) {
        for kid in &self.kids {
            match kid {
                Kid::Element(e) => e.marked_content(out),
                Kid::Content { page, mcid } => out.push((*page, *mcid)),
            }
        }
    }
}

/// The text a page shows, split by marked content: for each MCID the text inside it, and the
/// text shown inside artifacts.
struct PageText {
    by_mcid: BTreeMap<i64, String>,
    artifacts: String,
}

fn page_text(doc: &Document, page: ObjectId) -> PageText {
    let fonts = doc.get_page_fonts(page).expect("page fonts");
    let encodings: BTreeMap<Vec<u8>, _> =
        fonts.iter().filter_map(|(name, font)| Some((name.clone(), font.get_font_encoding(doc).ok()?))).collect();
    let content = Content::decode(&doc.get_page_content(page).expect("page content")).expect("content decodes");
    let mut stack: Vec<Option<i64>> = Vec::new();
    let mut artifact_depth = 0usize;
    let mut font: Vec<u8> = Vec::new();
    let mut result = PageText { by_mcid: BTreeMap::new(), artifacts: String::new() };
    for op in content.operations {
        match op.operator.as_str() {
            "BMC" | "BDC" => {
                let tag = op.operands.first().and_then(name).unwrap_or_default();
                let mcid = op
                    .operands
                    .get(1)
                    .and_then(|p| p.as_dict().ok())
                    .and_then(|d| d.get(b"MCID").and_then(Object::as_i64).ok());
                if tag == "Artifact" {
                    artifact_depth += 1;
                }
                stack.push(if tag == "Artifact" { Some(-1) } else { mcid });
            }
            "EMC" if stack.pop() == Some(Some(-1)) => {
                artifact_depth -= 1;
            }
            "Tf" => font = op.operands.first().and_then(|f| f.as_name().ok()).map(<[u8]>::to_vec).unwrap_or_default(),
            "Tj" | "TJ" => {
                let Some(encoding) = encodings.get(&font) else { continue };
                let strings: Vec<&[u8]> = match op.operands.first() {
                    Some(Object::Array(items)) => items.iter().filter_map(|i| i.as_str().ok()).collect(),
                    Some(other) => other.as_str().ok().into_iter().collect(),
                    None => vec![],
                };
                let shown: String =
                    strings.iter().filter_map(|bytes| Document::decode_text(encoding, bytes).ok()).collect();
                if artifact_depth > 0 {
                    result.artifacts.push_str(&shown);
                } else if let Some(Some(mcid)) = stack.iter().rev().find(|m| m.is_some_and(|m| m >= 0)) {
                    result.by_mcid.entry(*mcid).or_default().push_str(&shown);
                }
            }
            _ => {}
        }
    }
    result
}

/// The text a screen reader hears for an element: the text of its marked content.
fn read_aloud(pdf: &Pdf, pages: &mut BTreeMap<ObjectId, PageText>, element: &Element) -> String {
    let mut content = Vec::new();
    element.marked_content(&mut content);
    let mut out = String::new();
    for (page, mcid) in content {
        let Some(page) = page else { continue };
        let text = pages.entry(page).or_insert_with(|| page_text(&pdf.doc, page));
        if let Some(t) = text.by_mcid.get(&mcid) {
            out.push_str(t);
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn build_pdf(paper: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = common::run(&["build", paper, "--format", "pdf", "-o", dir.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let pdf = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().path()).next().unwrap();
    (dir, pdf)
}

/// What the reader hears for each value of one row: (column header, row header, value).
type Row = Vec<(String, String, String)>;

/// Checks the scorecard's tags; returns the cells of the row whose Ref is `reference`.
fn check_scorecard(pdf: &Pdf, reference: &str, indicators: usize) -> Row {
    let mut pages = BTreeMap::new();
    let tables: Vec<&Element> = pdf.root.all().into_iter().filter(|e| e.kind == "Table").collect();
    let table = tables.iter().max_by_key(|t| t.all().len()).expect("the scorecard table");
    let cells: Vec<&Element> = table.all().into_iter().filter(|e| e.kind == "TD" || e.kind == "TH").collect();
    let by_id: BTreeMap<&str, &Element> = cells.iter().filter_map(|c| Some((c.id.as_deref()?, *c))).collect();
    let heard = |pages: &mut BTreeMap<_, _>, id: &str| read_aloud(pdf, pages, by_id[id]);

    let data: Vec<&Element> = cells.iter().copied().filter(|c| c.kind == "TD").collect();
    assert!(data.len() >= indicators * 8, "{} data cells", data.len());
    let mut row_of_reference = Vec::new();
    for td in &data {
        let headers: Vec<&Element> =
            td.headers.iter().map(|id| *by_id.get(id.as_str()).expect("a header id")).collect();
        let column: Vec<&&Element> = headers.iter().filter(|h| h.scope.as_deref() != Some("Row")).collect();
        let row: Vec<&&Element> = headers.iter().filter(|h| h.scope.as_deref() == Some("Row")).collect();
        assert_eq!(column.len(), 1, "a value has one column header: {:?}", td.headers);
        assert_eq!(row.len(), 1, "a value has one row header: {:?}", td.headers);
        let row_header = row[0];
        // The row header (the indicator's name) is itself headed by the Ref.
        let reference_cell =
            row_header.headers.iter().map(|id| by_id[id.as_str()]).find(|h| h.scope.as_deref() == Some("Row"));
        let heard_ref = reference_cell.map(|r| read_aloud(pdf, &mut pages, r)).unwrap_or_default();
        assert!(!heard_ref.is_empty(), "the indicator's row header names its Ref");
        if heard_ref == reference {
            let column_id = column[0].id.as_deref().unwrap();
            let value = match td.children().find(|c| c.kind == "Figure") {
                Some(figure) => format!("[figure] {}", figure.alt.clone().unwrap_or_default()),
                None => read_aloud(pdf, &mut pages, td),
            };
            row_of_reference.push((heard(&mut pages, column_id), read_aloud(pdf, &mut pages, row_header), value));
        }
    }
    // Trends: one tagged figure per indicator, each saying what the line shows.
    let figures: Vec<&Element> = table.all().into_iter().filter(|e| e.kind == "Figure").collect();
    assert_eq!(figures.len(), indicators, "one trend figure per indicator");
    for figure in &figures {
        let alt = figure.alt.as_deref().unwrap_or_default();
        assert!(alt.starts_with("Trend over 12 months: from "), "trend alt text: {alt:?}");
    }
    // Arrows are artifacts: never read as part of a cell, but drawn.
    let mut artifacts = String::new();
    for page in pdf.doc.get_pages().values() {
        let text = pages.entry(*page).or_insert_with(|| page_text(&pdf.doc, *page));
        artifacts.push_str(&text.artifacts);
    }
    for td in &data {
        let heard = read_aloud(pdf, &mut pages, td);
        assert!(!heard.contains(['▲', '▼', '►']), "an arrow is read aloud: {heard:?}");
    }
    assert!(artifacts.contains('▲') || artifacts.contains('▼'), "the arrows are drawn as artifacts");
    // Section rows head their own row only.
    let sections: Vec<&Element> = cells
        .iter()
        .copied()
        .filter(|c| c.kind == "TH" && c.scope.as_deref() == Some("Row") && c.headers.len() <= 1)
        .collect();
    assert!(!sections.is_empty());
    row_of_reference
}

/// Numbered paragraphs are list items labelled with their printed numbers, in order.
fn check_lists(pdf: &Pdf, numbers: &[&str]) {
    let mut pages = BTreeMap::new();
    let mut labels = Vec::new();
    for list in pdf.root.all().into_iter().filter(|e| e.kind == "L") {
        for item in list.children().filter(|e| e.kind == "LI") {
            let kinds: Vec<&str> = item.children().map(|c| c.kind.as_str()).collect();
            assert_eq!(kinds, ["Lbl", "LBody"], "a list item is a label and a body");
            labels.push(read_aloud(pdf, &mut pages, item.children().next().unwrap()));
        }
    }
    let found: Vec<&str> = labels.iter().map(String::as_str).filter(|l| numbers.contains(l)).collect();
    assert_eq!(found, numbers, "numbered paragraphs as list items, labels: {labels:?}");
}

/// The header block: a table whose rows are a label (row header) and its value.
fn check_header_block(pdf: &Pdf) {
    let mut pages = BTreeMap::new();
    let table = pdf.root.all().into_iter().find(|e| e.kind == "Table").expect("the header block");
    for row in table.children().filter(|e| e.kind == "TR") {
        let cells: Vec<&Element> = row.children().collect();
        assert_eq!(cells.len(), 2);
        assert_eq!((cells[0].kind.as_str(), cells[0].scope.as_deref()), ("TH", Some("Row")));
        assert!(read_aloud(pdf, &mut pages, cells[0]).ends_with(':'));
        assert_eq!(cells[1].kind, "TD");
        assert_eq!(cells[1].headers, [cells[0].id.clone().unwrap()]);
    }
}

#[test]
fn the_2014_paper_reads_out_right() {
    let (_dir, path) = build_pdf("fixtures/kcc-2014-scs-dashboard/paper.yaml");
    let pdf = Pdf::load(&path);
    check_header_block(&pdf);
    check_lists(&pdf, &["1.", "2.", "3.", "4.", "5.", "6.", "7.", "8.", "9.", "10.", "11."]);
    let row = check_scorecard(&pdf, "SCS05", 26);
    let find = |column: &str| row.iter().find(|(c, _, _)| c == column).map(|(_, r, v)| (r.as_str(), v.as_str()));
    let name = "Core assessments completed within 35 working days";
    assert_eq!(find("Current"), Some((name, "68.9%")));
    assert_eq!(find("Direction of travel"), Some((name, "Worsened")));
    assert_eq!(
        find("Trend (12 months)"),
        Some((
            name,
            "[figure] Trend over 12 months: from 71.0% in August 2013 to 68.9% in July 2014; lowest 68.9%, highest 72.0%"
        ))
    );
}

#[test]
fn the_2017_paper_reads_out_right() {
    let (_dir, path) = build_pdf("fixtures/kcc-2017-children-in-care/paper.yaml");
    let pdf = Pdf::load(&path);
    check_header_block(&pdf);
    check_lists(&pdf, &["1.1", "1.2", "2.1", "2.2", "2.3"]);
    let row = check_scorecard(&pdf, "CIC01", 20);
    assert!(row.iter().any(|(column, _, _)| column == "Current"), "{row:?}");
}

/// Each exception report is a table whose rows read label then value (row headers), the
/// direction's arrow silent as in the scorecard.
#[test]
fn the_exception_reports_read_out_right() {
    let (_dir, path) = build_pdf("fixtures/kcc-2014-exceptions/paper.yaml");
    let pdf = Pdf::load(&path);
    let mut pages = BTreeMap::new();
    let mut reports = Vec::new();
    for table in pdf.root.all().into_iter().filter(|e| e.kind == "Table") {
        let mut rows = Vec::new();
        for row in table.all().into_iter().filter(|e| e.kind == "TR") {
            let cells: Vec<&Element> = row.children().collect();
            if cells.len() != 2 || cells[0].kind != "TH" || cells[0].scope.as_deref() != Some("Row") {
                break;
            }
            assert_eq!(cells[1].kind, "TD");
            assert_eq!(cells[1].headers, [cells[0].id.clone().unwrap()], "a value is headed by its label");
            rows.push((read_aloud(&pdf, &mut pages, cells[0]), read_aloud(&pdf, &mut pages, cells[1])));
        }
        if rows.first().is_some_and(|(label, _)| label == "Rating") {
            reports.push(rows);
        }
    }
    assert_eq!(reports.len(), 6, "one table per report");
    let labels: Vec<&str> = reports[0].iter().map(|(label, _)| label.as_str()).collect();
    assert_eq!(labels, ["Rating", "Performance", "Direction of travel", "Commentary", "Action", "Owner"]);
    assert_eq!(reports[0][0].1, "Red, was Amber");
    assert_eq!(reports[0][2].1, "Worsened", "the arrow is not read");
    assert_eq!(reports[0][5].1, "Assistant Director, South Kent");
}
