//! A DOCX that Word opens cleanly and edits like a document written in it (issue 11): the real
//! binary on the reference fixtures and on the house-template fixture, the package and its XML
//! parts read back.
//!
//! What only Word can show (that it opens without a repair prompt, renumbers on edit) is
//! checked here through what causes it: element order is checked by the validators in
//! `.ci/validate-outputs`; these tests check the structure Word acts on.

mod common;

use std::path::{Path, PathBuf};

use common::{docx_part as part, root, run, stderr};

const PAPER_2014: &str = "fixtures/kcc-2014-scs-dashboard/paper.yaml";
const PAPER_2017: &str = "fixtures/kcc-2017-children-in-care/paper.yaml";
const PAPER_TEMPLATE: &str = "fixtures/house-template/paper.yaml";

/// Builds a paper's DOCX into a fresh folder.
fn build(paper: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["build", paper.to_str().unwrap(), "-o", dir.path().to_str().unwrap(), "--format", "docx"]);
    assert!(out.status.success(), "build failed: {}", stderr(&out));
    let docx = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().path()).next().expect("a .docx");
    (dir, docx)
}

/// The `<tag …>…</tag>` or `<tag …/>` elements of `xml`.
fn elements<'a>(xml: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag} ");
    let open_bare = format!("<{tag}>");
    let close = format!("</{tag}>");
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = [xml[at..].find(&open), xml[at..].find(&open_bare)].into_iter().flatten().min() {
        let start = at + found;
        let head_end = start + xml[start..].find('>').unwrap();
        let end = if xml[..=head_end].ends_with("/>") {
            head_end + 1
        } else {
            start + xml[start..].find(&close).unwrap() + close.len()
        };
        out.push(&xml[start..end]);
        at = end;
    }
    out
}

/// The `w:style` element with this id.
fn style<'a>(styles: &'a str, id: &str) -> &'a str {
    elements(styles, "w:style")
        .into_iter()
        .find(|s| s.contains(&format!(r#"w:styleId="{id}""#)))
        .unwrap_or_else(|| panic!("style {id}"))
}

/// The text of a paragraph.
fn text(paragraph: &str) -> String {
    elements(paragraph, "w:t").iter().map(|t| &t[t.find('>').unwrap() + 1..t.rfind('<').unwrap()]).collect()
}

/// The paragraph whose text starts with `start`.
fn paragraph<'a>(document: &'a str, start: &str) -> &'a str {
    elements(document, "w:p")
        .into_iter()
        .find(|p| text(p).starts_with(start))
        .unwrap_or_else(|| panic!("a paragraph starting `{start}`"))
}

#[test]
fn numbering_lives_in_the_styles_so_word_renumbers_on_edit() {
    // 2017, sectioned: Heading 1 is level 0 and Numbered Para level 1 of one list.
    let (_dir, docx) = build(&root().join(PAPER_2017));
    let styles = part(&docx, "word/styles.xml");
    assert!(style(&styles, "Heading1").contains(r#"<w:numPr><w:ilvl w:val="0" /><w:numId w:val="2" /></w:numPr>"#));
    assert!(style(&styles, "NumberedPara").contains(r#"<w:numPr><w:ilvl w:val="1" /><w:numId w:val="2" /></w:numPr>"#));
    // Appendix titles are top-level headings that never take a number.
    let appendix = style(&styles, "AppendixHeading");
    assert!(appendix.contains(r#"<w:numId w:val="0" />"#) && appendix.contains(r#"<w:outlineLvl w:val="0" />"#));
    let numbering = part(&docx, "word/numbering.xml");
    assert!(numbering.contains(r#"<w:pStyle w:val="Heading1" /><w:lvlText w:val="%1." />"#), "{numbering}");
    assert!(numbering.contains(r#"<w:pStyle w:val="NumberedPara" /><w:lvlText w:val="%1.%2" />"#));
    let document = part(&docx, "word/document.xml");
    let heading = paragraph(&document, "Introduction");
    assert!(heading.contains(r#"<w:pStyle w:val="Heading1" />"#) && !heading.contains("<w:numPr>"));
    let first = paragraph(&document, "Performance scorecards have been developed");
    assert!(first.contains(r#"<w:pStyle w:val="NumberedPara" />"#) && !first.contains("<w:numPr>"));
    assert!(paragraph(&document, "Appendix 1 – ").contains(r#"<w:pStyle w:val="AppendixHeading" />"#));

    // 2014, running: paragraphs at level 0, headings unnumbered.
    let (_dir, docx) = build(&root().join(PAPER_2014));
    let styles = part(&docx, "word/styles.xml");
    assert!(style(&styles, "NumberedPara").contains(r#"<w:numPr><w:ilvl w:val="0" /><w:numId w:val="2" /></w:numPr>"#));
    assert!(!style(&styles, "Heading1").contains("<w:numPr>"));
    // Normal is the default paragraph style.
    assert!(style(&styles, "Normal").starts_with(r#"<w:style w:type="paragraph" w:styleId="Normal" w:default="1">"#));
}

#[test]
fn the_scorecard_table_style_carries_the_header_row() {
    let (_dir, docx) = build(&root().join(PAPER_2017));
    let table_style = style(&part(&docx, "word/styles.xml"), "ScorecardTable").to_owned();
    let first_row = elements(&table_style, "w:tblStylePr")
        .into_iter()
        .find(|s| s.contains(r#"w:type="firstRow""#))
        .expect("first-row formatting");
    assert!(first_row.contains(r#"<w:shd w:val="clear" w:color="auto" w:fill="1F3864" />"#), "{first_row}");
    assert!(first_row.contains("<w:b />") && first_row.contains(r#"<w:color w:val="FFFFFF" />"#), "{first_row}");
    assert!(table_style.contains("<w:tblBorders>"), "the rules are the style's");

    // The header cells carry no direct formatting; the table turns first-row formatting on.
    let document = part(&docx, "word/document.xml");
    let table = elements(&document, "w:tbl")[0];
    assert!(table.contains(r#"<w:tblLook w:val="0620" w:firstRow="1""#));
    assert!(!elements(table, "w:tblPr")[0].contains("<w:tblBorders>"));
    let header = elements(table, "w:tr")[0];
    assert!(header.contains("<w:tblHeader />") && header.contains(">Indicator<"));
    assert!(!header.contains("<w:shd ") && !header.contains("<w:color ") && !header.contains("<w:b />"), "{header}");
    // What the data decides stays on the cells: RAG fills.
    assert!(table.contains(r#"w:fill="D4351C""#), "a red cell");
    // No row splits across pages.
    for row in elements(table, "w:tr") {
        assert!(row.contains("<w:cantSplit />"));
    }
}

#[test]
fn lead_ins_and_headings_keep_with_what_follows() {
    let (_dir, docx) = build(&root().join(PAPER_2014));
    let document = part(&docx, "word/document.xml");
    // The Green / Amber / Red list stays with its lead-in and together.
    assert!(paragraph(&document, "Performance results are assigned").contains("<w:keepNext />"));
    assert!(paragraph(&document, "Green:").contains("<w:keepNext />"));
    assert!(paragraph(&document, "Red:").contains("<w:keepNext />"));
    assert!(!paragraph(&document, "Amber:").contains("<w:keepNext />"), "the list's last line ends the chain");
    // The key is one piece with the totals line under it: every paragraph of the key table keeps
    // with the next, and the totals line ends the chain.
    let key = elements(&document, "w:tbl")
        .into_iter()
        .find(|t| t.contains(r#"<w:tblStyle w:val="ScorecardKey" />"#))
        .expect("the key table");
    for p in elements(key, "w:p") {
        assert!(p.contains("<w:keepNext />"), "{p}");
    }
    assert!(!paragraph(&document, "Totals:").contains("<w:keepNext />"));
    let styles = part(&docx, "word/styles.xml");
    for heading in ["Heading1", "Heading2"] {
        assert!(style(&styles, heading).contains("<w:keepNext />"), "{heading}");
    }
}

#[test]
fn structure_is_paragraphs_not_line_breaks_and_the_section_break_stands_alone() {
    let (_dir, docx) = build(&root().join(PAPER_2017));
    let document = part(&docx, "word/document.xml");
    for start in ["Maureen Robinson", "Management Information Service Manager", "03000 417164", "Andrew Ireland"] {
        assert!(!paragraph(&document, start).contains("<w:br "), "{start} is a paragraph of its own");
    }
    assert!(!document.contains(r#"<w:br w:type="textWrapping" />"#), "no manual line breaks");
    // The section break is a paragraph of its own, holding no text.
    let breaks: Vec<&str> = elements(&document, "w:p").into_iter().filter(|p| p.contains("<w:sectPr>")).collect();
    assert_eq!(breaks.len(), 1);
    assert!(text(breaks[0]).is_empty() && !breaks[0].contains("<w:r>"), "{}", breaks[0]);

    let (_dir, docx) = build(&root().join(PAPER_2014));
    let document = part(&docx, "word/document.xml");
    // "Members are asked to:" and "REVIEW …" are two paragraphs, the second under the first.
    let first = paragraph(&document, "Members are asked to:");
    assert!(first.contains(r#"<w:pStyle w:val="NumberedPara" />"#) && first.contains("<w:keepNext />"));
    assert!(paragraph(&document, "REVIEW the Specialist").contains(r#"<w:pStyle w:val="ListContinue" />"#));
}

#[test]
fn the_package_is_deflated_but_its_pictures_with_content_types_first_and_nothing_unused() {
    let (_dir, docx) = build(&root().join(PAPER_2014));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&docx).unwrap()).unwrap();
    let names: Vec<String> = zip.file_names().map(str::to_owned).collect();
    let mut in_order = Vec::new();
    for index in 0..zip.len() {
        let entry = zip.by_index(index).unwrap();
        assert!(!entry.is_dir(), "no directory entries: {}", entry.name());
        // Pictures are PNGs, compressed already: stored. Every other part is deflated.
        let expected = if entry.name().ends_with(".png") {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        assert_eq!(entry.compression(), expected, "{}", entry.name());
        in_order.push(entry.name().to_owned());
    }
    assert_eq!(in_order[0], "[Content_Types].xml");
    for unused in ["word/comments.xml", "word/commentsExtended.xml", "word/footnotes.xml", "docProps/custom.xml"] {
        assert!(!names.contains(&unused.to_owned()), "{unused} is left out");
    }
    let types = part(&docx, "[Content_Types].xml");
    assert!(!types.contains("comments") && !types.contains("footnotes") && !types.contains("custom-properties"));
    let rels = part(&docx, "word/_rels/document.xml.rels");
    assert!(!rels.contains("comments") && !rels.contains("footnotes"));
    // Every part but the content types and relationships is named in the content types.
    for name in &names {
        if !name.ends_with(".rels") && !name.ends_with(".png") && name != "[Content_Types].xml" {
            assert!(types.contains(&format!(r#"PartName="/{name}""#)), "{name} has a content type");
        }
    }
    let app = part(&docx, "docProps/app.xml");
    assert!(app.contains("<Application>committee-paper</Application>"), "{app}");
    // No Japanese-locale leftovers.
    let settings = part(&docx, "word/settings.xml");
    assert!(settings.contains(r#"<w:defaultTabStop w:val="720" />"#) && !settings.contains("useFELayout"));
    assert!(!settings.contains("useWord2013TrackBottomHyphenation"));
    assert!(!part(&docx, "word/numbering.xml").contains("decimalEnclosedCircle"));
    // Much smaller than docx-rs' stored package (196 KB for this paper).
    let size = std::fs::metadata(&docx).unwrap().len();
    assert!(size < 80_000, "{size} bytes");
}

#[test]
fn the_house_template_gives_its_styles_page_headers_and_footers() {
    let (_dir, docx) = build(&root().join(PAPER_TEMPLATE));
    // A document, never a template, whatever the template was.
    let types = part(&docx, "[Content_Types].xml");
    assert!(types.contains("wordprocessingml.document.main+xml") && !types.contains("template.main+xml"));

    let styles = part(&docx, "word/styles.xml");
    // The template's own styles are there, with their looks …
    assert!(style(&styles, "CouncilNote").contains(r#"<w:name w:val="Council Note" />"#));
    assert!(style(&styles, "ListBullet").contains("<w:numPr>"), "a template list style keeps its list");
    let heading = style(&styles, "Heading1");
    assert!(heading.contains(r#"<w:color w:val="005A46" />"#), "the template's green heading: {heading}");
    // … the paper's structure is laid on top …
    assert!(heading.contains(r#"<w:numPr><w:ilvl w:val="0" /><w:numId w:val="2" /></w:numPr>"#), "{heading}");
    // … and what the template lacks is added, based on its Normal.
    for (id, name) in
        [("NumberedPara", "Numbered Para"), ("ScorecardTable", "Scorecard Table"), ("TableText", "Table Text")]
    {
        assert!(style(&styles, id).contains(&format!(r#"<w:name w:val="{name}" />"#)), "{id}");
    }
    assert!(style(&styles, "Normal").contains(r#"w:default="1""#));
    assert_eq!(styles.matches(r#"<w:name w:val="Normal" />"#).count(), 1, "one Normal");

    // The template's page: A4, its margins (2.5 cm left, 2 cm right).
    let document = part(&docx, "word/document.xml");
    let sections = elements(&document, "w:sectPr");
    assert_eq!(sections.len(), 2);
    for section in &sections {
        assert!(section.contains(r#"w:left="1417""#) && section.contains(r#"w:right="1134""#), "{section}");
    }
    // The letterhead on the first page only; the ordinary header and the footer everywhere.
    assert!(sections[0].contains("<w:titlePg />") && !sections[1].contains("<w:titlePg"));
    for section in &sections {
        for reference in [
            r#"<w:headerReference w:type="default" r:id="rIdHeader1" />"#,
            r#"<w:headerReference w:type="first" r:id="rIdHeader2" />"#,
            r#"<w:footerReference w:type="default" r:id="rIdFooter1" />"#,
            r#"<w:footerReference w:type="first" r:id="rIdFooter2" />"#,
        ] {
            assert!(section.contains(reference), "{reference} in {section}");
        }
    }
    let letterhead = part(&docx, "word/header2.xml");
    assert!(letterhead.contains("Kent County Council") && letterhead.contains("<w:drawing>"));
    assert!(part(&docx, "word/_rels/header2.xml.rels").contains(r#"Target="media/template1.png""#));
    // Every footer: the template's text, then the page numbers and the classification.
    for footer in ["word/footer1.xml", "word/footer2.xml"] {
        let footer = part(&docx, footer);
        let at = |needle: &str| footer.find(needle).unwrap_or_else(|| panic!("{needle} in {footer}"));
        assert!(at("www.kent.gov.uk") < at("NUMPAGES") && at("NUMPAGES") < at("Unrestricted"));
    }
    assert!(part(&docx, "docProps/app.xml").contains("<Template>kcc-house.dotx</Template>"));
    // The template's body text is not taken over.
    assert!(!document.contains("Write the report here"));
}

#[test]
fn template_builds_are_byte_identical() {
    let (_a, first) = build(&root().join(PAPER_TEMPLATE));
    let (_b, second) = build(&root().join(PAPER_TEMPLATE));
    assert!(std::fs::read(first).unwrap() == std::fs::read(second).unwrap());
}

#[test]
fn a_word_template_that_is_not_a_word_file_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = root().join("fixtures/kcc-2017-children-in-care");
    let yaml = std::fs::read_to_string(fixture.join("paper.yaml")).unwrap().replace(
        "workbook: cic-scorecard.xlsx",
        &format!("workbook: {}", fixture.join("cic-scorecard.xlsx").display()),
    );
    std::fs::write(dir.path().join("notes.txt"), "not a template").unwrap();
    std::fs::copy(fixture.join("cic-scorecard.xlsx"), dir.path().join("book.xlsx")).unwrap();
    for (name, expected) in [
        ("missing.dotx", r#"word template "missing.dotx" not found (looked for "#),
        ("notes.txt", r#"word template "notes.txt" is not a Word document or template: not a zip archive"#),
        ("book.xlsx", "spreadsheetml.sheet.main+xml, not a Word document"),
    ] {
        let paper = dir.path().join("paper.yaml");
        std::fs::write(&paper, format!("{yaml}\nstyle:\n  word-template: {name}\n")).unwrap();
        let line = yaml.lines().count() + 3;
        let out_dir = dir.path().join("out");
        let out = run(&["build", paper.to_str().unwrap(), "-o", out_dir.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let err = stderr(&out);
        assert!(err.starts_with(&format!("error: {}:{line}:18: ", paper.display())), "{name}: {err}");
        assert!(err.contains(expected), "{name}: {err}");
        assert!(!out_dir.exists(), "{name}: nothing written");
    }
}
