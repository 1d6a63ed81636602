//! Tests of the DOCX renderer on the sample paper: the package is unzipped and its XML parts read
//! back.

use std::io::Read;

use super::*;
use crate::model::sample::{number, sample_paper};
use crate::model::{Inline, Numbering, Paper};

fn render(paper: &Paper) -> Vec<u8> {
    render_docx(paper, &DocxOptions::default()).expect("the sample renders")
}

fn part(docx: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a zip archive");
    let mut file = archive.by_name(name).unwrap_or_else(|_| panic!("{name} is in the package"));
    let mut text = String::new();
    file.read_to_string(&mut text).expect("utf-8 xml");
    text
}

/// The `w:p` elements of a part, each as its XML text.
fn paragraphs(xml: &str) -> Vec<&str> {
    xml.match_indices("<w:p ").map(|(at, _)| &xml[at..at + xml[at..].find("</w:p>").map_or(0, |end| end + 6)]).collect()
}

/// The text of a paragraph's `w:t` elements.
fn text_of(paragraph: &str) -> String {
    let mut out = String::new();
    let mut rest = paragraph;
    while let Some(at) = rest.find("<w:t xml:space=\"preserve\">") {
        rest = &rest[at + 26..];
        let end = rest.find("</w:t>").unwrap_or(0);
        out.push_str(&rest[..end]);
        rest = &rest[end..];
    }
    out
}

fn paragraph_starting<'a>(xml: &'a str, text: &str) -> &'a str {
    paragraphs(xml)
        .into_iter()
        .find(|p| text_of(p).starts_with(text))
        .unwrap_or_else(|| panic!("a paragraph starting `{text}`"))
}

#[test]
fn document_holds_the_texts_with_markup_escaped() {
    let document = part(&render(&sample_paper()), "word/document.xml");
    for expected in [
        "From:",
        "Roger Gough, Cabinet Member for Children, Young People and Education",
        "PERFORMANCE SCORECARD FOR CHILDREN IN CARE",
        "Members are asked to ",
        "Literal markup must print as text: #read(&quot;/etc/passwd&quot;) *x* $y$ &lt;l&gt; @r",
        "Maureen Robinson",
        "Appendix 1 – Children in Care Scorecard – March 2017",
        "Placement stability: 3+ moves",
        "Performance is below a pre-defined minimum standard",
    ] {
        assert!(document.contains(expected), "document.xml lacks `{expected}`");
    }
    // Background documents with no items print None; the labelled form is one line.
    assert!(paragraphs(&document).iter().any(|p| text_of(p) == "None"));
    assert_eq!(
        text_of(paragraph_starting(&document, "Background Documents: ")),
        "Background Documents: Appendix A – SCS Monthly Performance Report – July 2014"
    );
    // Labelled contacts.
    for label in ["Name: ", "Title: ", "Tel No: ", "Email: "] {
        paragraph_starting(&document, label);
    }
}

/// The `w:style` element with this id.
fn style<'a>(styles: &'a str, id: &str) -> &'a str {
    let at = styles.find(&format!(r#"w:styleId="{id}""#)).unwrap_or_else(|| panic!("style {id}"));
    let start = styles[..at].rfind("<w:style ").unwrap();
    &styles[start..at + styles[at..].find("</w:style>").unwrap()]
}

#[test]
fn numbered_paragraphs_and_headings_take_their_numbers_from_their_styles() {
    let docx = render(&sample_paper());
    let document = part(&docx, "word/document.xml");
    // Paragraphs and headings on the main list carry no numbering of their own: the style
    // does, so a paragraph an author types in that style is numbered and the rest renumbered.
    let numbered = paragraph_starting(&document, "Literal markup");
    assert!(numbered.contains(r#"<w:pStyle w:val="NumberedPara" />"#) && !numbered.contains("w:numPr"), "{numbered}");
    assert!(!text_of(numbered).starts_with("1.1"), "the number is not typed");
    let heading = paragraph_starting(&document, "Introduction");
    assert!(heading.contains(r#"<w:pStyle w:val="Heading1" />"#) && !heading.contains("w:numPr"), "{heading}");
    // A sub-heading of the sectioned scheme is not numbered.
    let sub = paragraph_starting(&document, "Contact Information");
    assert!(sub.contains(r#"<w:pStyle w:val="Heading2" />"#) && !sub.contains("w:numPr"));

    let styles = part(&docx, "word/styles.xml");
    assert!(style(&styles, "Heading1").contains(r#"<w:numPr><w:ilvl w:val="0" /><w:numId w:val="2" /></w:numPr>"#));
    assert!(style(&styles, "NumberedPara").contains(r#"<w:numPr><w:ilvl w:val="1" /><w:numId w:val="2" /></w:numPr>"#));
    assert!(
        style(&styles, "AppendixHeading").contains(r#"<w:numPr><w:ilvl w:val="0" /><w:numId w:val="0" /></w:numPr>"#)
    );
    assert!(!style(&styles, "Heading2").contains("w:numPr"));

    // The list's levels name the styles back (Word keeps the two in step).
    let numbering = part(&docx, "word/numbering.xml");
    assert!(numbering.contains(r#"<w:abstractNum w:abstractNumId="2""#));
    assert!(numbering.contains(r#"<w:pStyle w:val="Heading1" /><w:lvlText w:val="%1." />"#), "{numbering}");
    assert!(numbering.contains(r#"<w:pStyle w:val="NumberedPara" /><w:lvlText w:val="%1.%2" />"#));
    assert!(numbering.contains(r#"<w:num w:numId="2"><w:abstractNumId w:val="2" />"#));
    // docx-rs' preset list (id 1, circled numbers) is gone.
    assert!(!numbering.contains(r#"w:abstractNumId="1""#) && !numbering.contains("decimalEnclosedCircle"));
}

/// The sample in the 2014 scheme: paragraphs numbered 1, 2, 3 … across sections, headings
/// unnumbered, with a gap (3 then 5) to restart the count.
fn running_paper() -> Paper {
    let mut paper = sample_paper();
    paper.numbering = Numbering::Running;
    let mut n = 0;
    for section in &mut paper.sections {
        section.number = None;
        for block in &mut section.blocks {
            if let Block::Paragraph(p) = block {
                n += 1;
                p.number = Some(number(&format!("{n}.")));
            }
        }
    }
    let para = |n: &str| {
        Block::Paragraph(crate::model::Paragraph {
            number: Some(number(&format!("{n}."))),
            text: vec![Inline::plain(format!("Paragraph {n}."))],
            list: vec![],
            quote: None,
        })
    };
    paper.sections[1].blocks.extend([para("3"), para("5"), para("6")]);
    paper
}

#[test]
fn running_scheme_numbers_paragraphs_at_level_zero_and_leaves_headings_unnumbered() {
    let docx = render(&running_paper());
    let document = part(&docx, "word/document.xml");
    let first = paragraph_starting(&document, "Literal markup");
    assert!(first.contains(r#"<w:pStyle w:val="NumberedPara" />"#) && !first.contains("w:numPr"));
    assert!(!paragraph_starting(&document, "Introduction").contains("w:numPr"));
    assert!(!paragraph_starting(&document, "Paragraph 3.").contains("w:numPr"));
    // After the gap, a new instance restarts the count at 5: that is on the paragraph.
    assert!(paragraph_starting(&document, "Paragraph 6.").contains(r#"<w:ilvl w:val="0" /><w:numId w:val="3" />"#));
    assert!(part(&docx, "word/numbering.xml").contains(r#"<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5" />"#));
    let styles = part(&docx, "word/styles.xml");
    assert!(style(&styles, "NumberedPara").contains(r#"<w:numPr><w:ilvl w:val="0" /><w:numId w:val="2" /></w:numPr>"#));
    assert!(!style(&styles, "Heading1").contains("w:numPr"), "running-scheme headings are not numbered");
    assert!(
        part(&docx, "word/numbering.xml").contains(r#"<w:pStyle w:val="NumberedPara" /><w:lvlText w:val="%1." />"#)
    );
}

#[test]
fn styles_have_outline_levels_arial_and_en_gb() {
    let styles = part(&render(&sample_paper()), "word/styles.xml");
    assert!(styles.contains(r#"<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1" />"#));
    assert!(styles.contains(r#"<w:name w:val="heading 2" />"#));
    assert!(styles.contains(r#"<w:outlineLvl w:val="0" />"#) && styles.contains(r#"<w:outlineLvl w:val="1" />"#));
    assert!(styles.contains(r#"w:ascii="Arial""#));
    assert!(styles.contains(r#"<w:sz w:val="24" />"#));
    let defaults = &styles[styles.find("<w:rPrDefault>").unwrap()..styles.find("</w:rPrDefault>").unwrap()];
    assert!(defaults.contains(r#"<w:lang w:val="en-GB""#), "{defaults}");
    assert!(styles.contains(r#"w:styleId="NumberedPara""#));
}

#[test]
fn scorecard_has_a_repeating_header_row_and_shaded_rag_cells() {
    let document = part(&render(&sample_paper()), "word/document.xml");
    assert_eq!(document.matches("<w:tblHeader />").count(), 1);
    let table = &document[document.find(r#"<w:tblStyle w:val="ScorecardTable" />"#).unwrap()..];
    let first_row = &table[table.find("<w:tr").unwrap()..table.find("</w:tr>").unwrap()];
    assert!(first_row.contains("<w:tblHeader />") && first_row.contains(">Indicator<"));
    assert!(table.contains(r#"<w:tblGrid>"#));
    for (fill, word) in [("00703C", "Green"), ("FFBF00", "Amber"), ("D4351C", "Red"), ("B1B4B6", "N/A")] {
        let cell = table
            .split("<w:tc>")
            .find(|c| c.contains(&format!(">{word}</w:t>")))
            .unwrap_or_else(|| panic!("a {word} cell"));
        assert!(cell.contains(&format!(r#"w:fill="{fill}""#)), "{word} cell is shaded {fill}: {cell}");
    }
    // Group rows span every column.
    assert!(table.contains(r#"<w:gridSpan w:val="11" />"#));
    // The trend cell holds a sparkline picture with alternative text, not block characters.
    assert!(!table.contains('▁') && !table.contains('█'));
    assert!(table.contains(
        r#"<wp:docPr id="1" name="Picture 1" descr="Trend over 4 months: from 1.0% in December 2016 to 2.5% in March 2017; lowest 1.0%, highest 3.0%" />"#
    ));
    // Direction arrows are coloured, their words are not.
    assert!(table.contains(r#"<w:color w:val="00703C" /></w:rPr><w:t xml:space="preserve">▲</w:t>"#), "arrow colour");
    assert!(table.contains(r#"<w:t xml:space="preserve"> Improved</w:t>"#));
}

#[test]
fn appendix_is_a_landscape_section_with_the_footer() {
    let document = part(&render(&sample_paper()), "word/document.xml");
    // The portrait part ends with a paragraph-level sectPr that keeps the footer.
    let portrait = &document[document.find("<w:sectPr>").unwrap()..];
    assert!(portrait.contains(r#"<w:pgSz w:w="11906" w:h="16838""#));
    assert!(
        portrait[..portrait.find("</w:sectPr>").unwrap()]
            .contains(r#"<w:footerReference w:type="default" r:id="rIdFooter1" />"#)
    );
    // The document-level section is landscape.
    let last = &document[document.rfind("<w:sectPr>").unwrap()..];
    assert!(last.contains(r#"<w:pgSz w:w="16838" w:h="11906" w:orient="landscape" />"#), "{last}");
    assert!(last.contains("rIdFooter1"));
    let footer = part(&render(&sample_paper()), "word/footer1.xml");
    assert!(footer.contains("PAGE") && footer.contains("NUMPAGES") && footer.contains("Unrestricted"));
}

/// The sample with a house layout unlike the default in every number.
fn paper_in_another_layout() -> Paper {
    let mut paper = sample_paper();
    let layout = &mut paper.style.layout;
    layout.margins =
        crate::model::layout::Margins { top: 50.0, bottom: 60.0, left: 40.0, right: 45.0, footer: 15.0, header: 20.0 };
    layout.sizes = crate::model::layout::Sizes {
        body: 11.0,
        table: 7.0,
        footer: 8.0,
        heading1: 15.0,
        heading2: 13.0,
        masthead: 16.0,
    };
    let space = |before, after| crate::model::layout::Space { before, after };
    layout.spacing = crate::model::layout::Spacing {
        paragraph: space(0.0, 9.0),
        list_item: space(0.0, 3.0),
        heading1: space(20.0, 7.0),
        heading2: space(11.0, 5.0),
        table_note: space(10.0, 3.0),
        masthead: space(0.0, 14.0),
        table_text: space(1.0, 1.5),
    };
    layout.indents =
        crate::model::layout::Indents { number: 30.0, unnumbered: 25.0, quote_left: 10.0, quote_right: 12.0 };
    layout.label_column = 90.0;
    layout.rule = crate::model::layout::Rule { width: 1.5, gap: 4.0, colour: "123456".into() };
    let table = &mut layout.table;
    (table.cell_x, table.cell_y, table.rule) = (3.0, 2.5, 0.75);
    (table.key_term, table.key_per_row, table.key_gap, table.key_cell_y) = (50.0, 2, 8.0, 1.5);
    (table.sparkline_width, table.sparkline_height) = (40.0, 12.0);
    layout.widow_control = false;
    layout.list_separator = " | ".into();
    for section in &mut paper.sections {
        for block in &mut section.blocks {
            if let Block::BackgroundDocuments(documents) = block
                && documents.labelled
            {
                documents.items.push(vec![Inline::plain("Minutes")]);
            }
        }
    }
    paper
}

#[test]
fn every_size_spacing_indent_and_margin_comes_from_the_layout() {
    let docx = render(&paper_in_another_layout());
    let document = part(&docx, "word/document.xml");
    let styles = part(&docx, "word/styles.xml");
    let has = |xml: &str, needle: &str| assert!(xml.contains(needle), "`{needle}` in {xml}");

    // The page: both sections' margins.
    let margins = r#"<w:pgMar w:top="1000" w:right="900" w:bottom="1200" w:left="800" w:header="400" w:footer="300""#;
    assert_eq!(document.matches(margins).count(), 2, "{document}");
    // Sizes, in half-points.
    let defaults = &styles[..styles.find("</w:docDefaults>").unwrap()];
    has(defaults, r#"<w:sz w:val="22" />"#);
    has(defaults, r#"<w:spacing w:before="0" w:after="180" w:line="240" w:lineRule="auto" />"#);
    for (id, half_points) in [("TableText", 14), ("Footer", 16), ("Heading1", 30), ("Heading2", 26), ("Title", 32)] {
        has(style(&styles, id), &format!(r#"<w:sz w:val="{half_points}" />"#));
    }
    // Spacing, in twips.
    has(style(&styles, "Heading1"), r#"<w:spacing w:before="400" w:after="140""#);
    has(style(&styles, "Heading2"), r#"<w:spacing w:before="220" w:after="100""#);
    has(style(&styles, "ListContinue"), r#"<w:spacing w:before="0" w:after="60""#);
    has(style(&styles, "TableText"), r#"<w:spacing w:before="20" w:after="30""#);
    has(style(&styles, "Title"), r#"<w:spacing w:before="0" w:after="280""#);
    has(paragraph_starting(&document, "Key"), r#"<w:spacing w:before="200" w:after="60" />"#);
    has(paragraph_starting(&document, "Totals: "), r#"<w:spacing w:before="200" w:after="60" />"#);
    // The last line of a list ends its paragraph's block with a paragraph's space.
    has(paragraph_starting(&document, "Red:"), r#"<w:spacing w:after="180" />"#);
    // Widow control as the layout says.
    has(style(&styles, "Normal"), r#"<w:widowControl w:val="0" />"#);
    // Indents: numbers hang in the layout's gutter; unnumbered content at its own indent.
    has(&part(&docx, "word/numbering.xml"), r#"<w:ind w:left="600" w:right="0" w:hanging="600" />"#);
    has(style(&styles, "ListContinue"), r#"<w:ind w:left="600" />"#);
    has(style(&styles, "Quote"), r#"<w:ind w:left="800" w:right="240" />"#);
    for unnumbered in
        ["None", "Name: ", "Lead Officer", "Maureen Robinson", "Background Documents: ", "Contact Information"]
    {
        has(paragraph_starting(&document, unnumbered), r#"<w:ind w:left="500""#);
    }
    // The label column, the rules and the list separator.
    let header_field = style(&styles, "HeaderField");
    has(header_field, r#"<w:tab w:val="left" w:pos="1800" />"#);
    has(header_field, r#"<w:ind w:left="1800" w:hanging="1800" />"#);
    has(paragraph_starting(&document, "From:"), r#"<w:top w:val="single" w:space="4" w:sz="12" w:color="123456" />"#);
    assert!(text_of(paragraph_starting(&document, "Background Documents: ")).ends_with("July 2014 | Minutes"));
    // The scorecard's and the key's table styles; the key's columns; the trend pictures.
    let scorecard = style(&styles, "ScorecardTable");
    has(scorecard, r#"<w:top w:val="single" w:sz="6""#);
    has(scorecard, r#"<w:tblCellMar><w:top w:w="50" w:type="dxa" /><w:left w:w="60" w:type="dxa" />"#);
    let key = style(&styles, "ScorecardKey");
    has(key, r#"<w:tblCellMar><w:top w:w="30" w:type="dxa" /><w:left w:w="80" w:type="dxa" />"#);
    let key_table = document.split("<w:tbl>").nth(2).expect("the key is the second table");
    assert_eq!(key_table.matches("<w:gridCol ").count(), 4, "two entries a row");
    has(key_table, r#"<w:gridCol w:w="1000" />"#);
    has(&document, r#"<wp:extent cx="508000" cy="152400" />"#);
}

#[test]
fn lines_of_one_block_sit_together_and_the_block_ends_with_a_paragraphs_space() {
    let document = part(&render(&sample_paper()), "word/document.xml");
    // A text with a line break: the PDF sets its lines without space between; so does Word.
    let first = paragraph_starting(&document, "Performance results are assigned");
    assert!(first.contains(r#"<w:spacing w:before="0" w:after="0" />"#) && first.contains("<w:keepNext />"));
    let second = paragraph_starting(&document, "second line");
    assert!(second.contains(r#"<w:pStyle w:val="ListContinue" />"#), "{second}");
    assert!(second.contains(r#"<w:spacing w:after="120" />"#), "a paragraph's space before its list: {second}");
    // The stacked lines of a contact: the last ends the block.
    let name = paragraph_starting(&document, "Maureen Robinson");
    assert!(name.contains(r#"<w:pStyle w:val="ContactDetails" />"#) && !name.contains("<w:spacing"), "{name}");
    let email = paragraphs(&document).into_iter().find(|p| p.contains("Maureen.Robinson@kent.gov.uk")).unwrap();
    assert!(email.contains(r#"<w:spacing w:after="120" />"#), "{email}");
    // Labelled contact lines are paragraphs spaced like any other, as in the PDF.
    assert!(!paragraph_starting(&document, "Title: ").contains("<w:spacing"));
}

#[test]
fn every_hyperlink_has_a_relationship() {
    let mut paper = sample_paper();
    // A link in a body paragraph, with a query string that needs escaping.
    if let Block::Paragraph(p) = &mut paper.sections[0].blocks[0] {
        p.text.push(Inline::Run {
            text: "policy".into(),
            bold: false,
            italic: false,
            link: Some("https://example.org/a?b=1&c=2".into()),
        });
    }
    let docx = render(&paper);
    let document = part(&docx, "word/document.xml");
    let rels = part(&docx, "word/_rels/document.xml.rels");
    let ids: Vec<&str> = document
        .match_indices("<w:hyperlink r:id=\"")
        .map(|(at, m)| &document[at + m.len()..][..document[at + m.len()..].find('"').unwrap()])
        .collect();
    assert_eq!(ids.len(), 3, "one web link and two mailto links");
    for id in ids {
        assert!(rels.contains(&format!(r#"Id="{id}""#)), "relationship {id} in {rels}");
    }
    assert!(rels.contains(r#"Target="mailto:Maureen.Robinson@kent.gov.uk" TargetMode="External""#));
    assert!(rels.contains(r#"Target="https://example.org/a?b=1&amp;c=2""#));
}

#[test]
fn core_properties_come_from_the_paper() {
    let core = part(&render(&sample_paper()), "docProps/core.xml");
    assert!(core.contains("<dc:title>Performance Scorecard for Children in Care</dc:title>"));
    assert!(core.contains("<dc:creator>Roger Gough; Andrew Ireland</dc:creator>"));
    assert!(core.contains("<dc:subject>Corporate Parenting Panel</dc:subject>"));
    assert!(core.contains(r#"<dcterms:created xsi:type="dcterms:W3CDTF">2017-06-01T00:00:00Z</dcterms:created>"#));
    assert!(core.contains(r#"<dcterms:modified xsi:type="dcterms:W3CDTF">2017-06-01T00:00:00Z</dcterms:modified>"#));
    assert!(core.contains("<dc:language>en-GB</dc:language>"));
}

#[test]
fn two_renders_are_byte_identical_even_on_other_threads() {
    let first = render(&sample_paper());
    // Paragraph ids (thread-local in docx-rs) and hyperlink ids (global) must not leak in.
    let other_thread = std::thread::spawn(|| {
        let mut paper = sample_paper();
        paper.meta.title = "Another paper".into();
        let _ = render(&paper);
        render(&sample_paper())
    })
    .join()
    .unwrap();
    assert!(first == render(&sample_paper()), "same thread");
    assert!(first == other_thread, "other thread");
}

#[test]
fn zip_entries_are_dated_at_the_meeting_not_the_clock() {
    let docx = render(&sample_paper());
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&docx)).unwrap();
    for index in 0..archive.len() {
        let file = archive.by_index(index).unwrap();
        let stamp = file.last_modified().expect("a date");
        let when = (stamp.year(), stamp.month(), stamp.day(), stamp.hour(), stamp.minute(), stamp.second());
        assert_eq!(when, (2017, 6, 1, 0, 0, 0), "{} is dated at the meeting", file.name());
    }
}

#[test]
fn bad_inputs_are_errors_not_panics() {
    let mut paper = sample_paper();
    if let Some(table) = &mut paper.appendices[0].scorecard {
        table.groups[0].rows[0].cells.pop();
    }
    let error = format!("{:#}", render_docx(&paper, &DocxOptions::default()).unwrap_err());
    assert!(error.contains("has 10 cells for 11 columns"), "{error}");

    // Control characters from a spreadsheet are dropped, not written into the XML.
    let mut paper = sample_paper();
    paper.meta.classification = "Unrestricted\u{1}".into();
    let footer = part(&render(&paper), "word/footer1.xml");
    assert!(!footer.contains('\u{1}'));
}

/// A harder paper: a numbering gap as in the 2017 reference (2.2 then 2.4), numbered
/// recommendations, a scorecard long enough to run over several pages, and appendices in both
/// orientations.
fn stress_paper() -> Paper {
    use crate::model::{Appendix, FrontBlock, HeaderField, Paragraph as P, Section};
    let mut paper = sample_paper();
    paper.header.insert(
        4,
        HeaderField { label: "Electoral Divisions".into(), lines: vec![vec![Inline::plain("All")]], strong: false },
    );
    paper.front.push(FrontBlock {
        label: "Recommendations".into(),
        paragraphs: vec![vec![Inline::plain("NOTE the scorecard.")], vec![Inline::plain("COMMENT on the data.")]],
        numbered: true,
    });
    let para = |n: &str, text: &str| {
        Block::Paragraph(P { number: Some(number(n)), text: vec![Inline::plain(text)], list: vec![], quote: None })
    };
    paper.sections.insert(
        1,
        Section {
            number: Some(number("2.")),
            heading: Some(vec![Inline::plain("Context")]),
            level: 1,
            blocks: vec![
                para("2.1", "First."),
                para("2.2", "Second."),
                para("2.4", "Fourth, as printed."),
                para("2.5", "Fifth."),
            ],
        },
    );
    for (index, section) in paper.sections.iter_mut().enumerate().skip(2) {
        if section.number.is_some() {
            section.number = Some(number(&format!("{}.", index + 1)));
        }
    }
    paper.sections[2].blocks.push(para("3.1", "After the gap the next section starts again at 1."));
    let table = paper.appendices[0].scorecard.as_mut().unwrap();
    let template = table.groups[0].rows[0].clone();
    for _ in 0..20 {
        table.groups[0].rows.push(template.clone());
        table.groups[1].rows.push(template.clone());
    }
    let mut second = paper.appendices[0].clone();
    second.title = "Appendix 2 – Second landscape appendix".into();
    let third = Appendix {
        title: "Appendix 3 – Portrait notes".into(),
        landscape: false,
        intro: vec![vec![Inline::plain("Notes.")]],
        scorecard: None,
        exempt: None,
        marking: None,
        exceptions: None,
    };
    paper.appendices.push(second);
    paper.appendices.push(third);
    paper
}

#[test]
fn a_numbering_gap_starts_a_new_instance_that_shows_the_printed_number() {
    let docx = render(&stress_paper());
    let document = part(&docx, "word/document.xml");
    let numbering = part(&docx, "word/numbering.xml");
    assert!(paragraph_starting(&document, "Fourth").contains(r#"<w:ilvl w:val="1" /><w:numId w:val="4" />"#));
    assert!(
        numbering.contains(
            r#"<w:num w:numId="4"><w:abstractNumId w:val="2" /><w:lvlOverride w:ilvl="1"><w:startOverride w:val="4" />"#
        ),
        "{numbering}"
    );
    // Counting goes on from there: the next section is 3, its first paragraph 3.1.
    assert!(
        paragraph_starting(&document, "Background documents").contains(r#"<w:ilvl w:val="0" /><w:numId w:val="4" />"#)
    );
    assert!(paragraph_starting(&document, "After the gap").contains(r#"<w:ilvl w:val="1" /><w:numId w:val="4" />"#));
    assert_eq!(document.matches("<w:tblHeader />").count(), 2);
}

/// Writes the sample papers into `$DOCX_SAMPLE_DIR` for looking at them (LibreOffice -> PDF -> PNG).
#[test]
fn write_samples_when_asked() {
    if let Ok(dir) = std::env::var("DOCX_SAMPLE_DIR") {
        let dir = std::path::Path::new(&dir);
        std::fs::write(dir.join("docx-sample.docx"), render(&sample_paper())).unwrap();
        std::fs::write(dir.join("docx-stress.docx"), render(&stress_paper())).unwrap();
        std::fs::write(dir.join("docx-running.docx"), render(&running_paper())).unwrap();
    }
}

#[test]
fn an_empty_paper_still_makes_a_document() {
    let mut paper = sample_paper();
    paper.header.clear();
    paper.front.clear();
    paper.sections.clear();
    paper.appendices.clear();
    paper.meta.authors.clear();
    paper.meta.author.clear();
    let docx = render(&paper);
    let document = part(&docx, "word/document.xml");
    assert!(document.contains(r#"<w:pgSz w:w="11906" w:h="16838" />"#), "{document}");
    assert!(part(&docx, "docProps/core.xml").contains("<dc:creator></dc:creator>"));
}

/// A template as Word writes one, unlike the LibreOffice fixture: a German style id for
/// `heading 1` with its own numbering, theme fonts, `w15` markup in the numbering, an even-page
/// header holding a picture, a footer that already shows the page number, and settings that
/// point at parts a paper does not carry (footnote separators, the attached template).
fn word_style_template() -> crate::model::style::WordTemplate {
    use std::io::Write;
    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;
    const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    const WP: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    let line = crate::model::Sparkline::of(&[Some(1.0), Some(2.0)]).unwrap();
    let png = picture::sparkline_png(&line, "1D70B8", &crate::model::Style::default().layout.table).unwrap();
    let files: Vec<(&str, Vec<u8>)> = vec![
        (
            "[Content_Types].xml",
            format!(
                concat!(
                    r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
                    r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
                    r#"<Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/>"#,
                    r#"<Override PartName="/word/document.xml" ContentType="{wp}.template.main+xml"/>"#,
                    r#"<Override PartName="/word/styles.xml" ContentType="{wp}.styles+xml"/>"#,
                    r#"<Override PartName="/word/numbering.xml" ContentType="{wp}.numbering+xml"/>"#,
                    r#"<Override PartName="/word/settings.xml" ContentType="{wp}.settings+xml"/>"#,
                    r#"<Override PartName="/word/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>"#,
                    r#"<Override PartName="/word/header1.xml" ContentType="{wp}.header+xml"/>"#,
                    r#"<Override PartName="/word/header2.xml" ContentType="{wp}.header+xml"/>"#,
                    r#"<Override PartName="/word/footer1.xml" ContentType="{wp}.footer+xml"/></Types>"#
                ),
                wp = WP
            )
            .into_bytes(),
        ),
        (
            "_rels/.rels",
            format!(r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/></Relationships>"#).into_bytes(),
        ),
        (
            "word/_rels/document.xml.rels",
            format!(
                concat!(
                    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
                    r#"<Relationship Id="rId1" Type="{rel}/styles" Target="styles.xml"/>"#,
                    r#"<Relationship Id="rId2" Type="{rel}/numbering" Target="numbering.xml"/>"#,
                    r#"<Relationship Id="rId3" Type="{rel}/settings" Target="settings.xml"/>"#,
                    r#"<Relationship Id="rId4" Type="{rel}/theme" Target="theme/theme1.xml"/>"#,
                    r#"<Relationship Id="rId5" Type="{rel}/header" Target="header1.xml"/>"#,
                    r#"<Relationship Id="rId6" Type="{rel}/header" Target="header2.xml"/>"#,
                    r#"<Relationship Id="rId7" Type="{rel}/footer" Target="footer1.xml"/>"#,
                    r#"<Relationship Id="rId8" Type="{rel}/attachedTemplate" Target="file:///C:/Templates/House.dotx" TargetMode="External"/></Relationships>"#
                ),
                rel = REL
            )
            .into_bytes(),
        ),
        (
            "word/document.xml",
            format!(
                concat!(
                    r#"<w:document {w}><w:body><w:p><w:r><w:t>Instructions</w:t></w:r></w:p><w:sectPr>"#,
                    r#"<w:headerReference w:type="default" r:id="rId5"/><w:headerReference w:type="even" r:id="rId6"/>"#,
                    r#"<w:footerReference w:type="default" r:id="rId7"/><w:pgSz w:w="12240" w:h="15840"/>"#,
                    r#"<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/>"#,
                    r#"</w:sectPr></w:body></w:document>"#
                ),
                w = W
            )
            .into_bytes(),
        ),
        (
            "word/styles.xml",
            format!(
                concat!(
                    r#"<w:styles {w}><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:asciiTheme="minorHAnsi" w:hAnsiTheme="minorHAnsi"/>"#,
                    r#"<w:sz w:val="22"/><w:lang w:val="de-DE"/></w:rPr></w:rPrDefault></w:docDefaults>"#,
                    r#"<w:style w:type="paragraph" w:default="1" w:styleId="Standard"><w:name w:val="Normal"/><w:qFormat/></w:style>"#,
                    r#"<w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/><w:basedOn w:val="Standard"/>"#,
                    r#"<w:pPr><w:keepNext/><w:numPr><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:color w:val="2F5496"/></w:rPr></w:style>"#,
                    r#"<w:style w:type="paragraph" w:styleId="Fuzeile"><w:name w:val="footer"/><w:basedOn w:val="Standard"/></w:style>"#,
                    r#"</w:styles>"#
                ),
                w = W
            )
            .into_bytes(),
        ),
        (
            "word/numbering.xml",
            format!(
                concat!(
                    r#"<w:numbering {w} xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" "#,
                    r#"xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="w15">"#,
                    r#"<w:abstractNum w:abstractNumId="0" w15:restartNumberingAfterBreak="0"><w:multiLevelType w:val="multilevel"/>"#,
                    r#"<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:pStyle w:val="berschrift1"/><w:lvlText w:val="%1."/><w:lvlJc w:val="left"/></w:lvl></w:abstractNum>"#,
                    r#"<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#
                ),
                w = W
            )
            .into_bytes(),
        ),
        (
            "word/settings.xml",
            format!(
                concat!(
                    r#"<w:settings {w}><w:zoom w:percent="120"/><w:attachedTemplate r:id="rId1"/><w:defaultTabStop w:val="709"/>"#,
                    r#"<w:evenAndOddHeaders/><w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>"#,
                    r#"<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>"#,
                    r#"<w:compatSetting w:name="useWord2013TrackBottomHyphenation" w:uri="http://schemas.microsoft.com/office/word" w:val="0"/></w:compat>"#,
                    r#"</w:settings>"#
                ),
                w = W
            )
            .into_bytes(),
        ),
        (
            "word/theme/theme1.xml",
            concat!(
                r#"<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office"><a:themeElements>"#,
                r#"<a:fontScheme name="Office"><a:majorFont><a:latin typeface="Calibri Light"/></a:majorFont>"#,
                r#"<a:minorFont><a:latin typeface="Calibri"/></a:minorFont></a:fontScheme></a:themeElements></a:theme>"#
            )
            .as_bytes()
            .to_vec(),
        ),
        ("word/header1.xml", format!(r#"<w:hdr {W}><w:p><w:r><w:t>Council header</w:t></w:r></w:p></w:hdr>"#).into_bytes()),
        (
            "word/header2.xml",
            format!(
                concat!(
                    r#"<w:hdr {w} xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" "#,
                    r#"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">"#,
                    r#"<w:p><w:r><w:drawing><wp:inline><wp:extent cx="360000" cy="360000"/><wp:docPr id="1" name="Crest" descr="Council crest"/>"#,
                    r#"<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="Crest"/><pic:cNvPicPr/></pic:nvPicPr>"#,
                    r#"<pic:blipFill><a:blip r:embed="rIdCrest"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>"#,
                    r#"<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="360000" cy="360000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>"#,
                    r#"</a:graphicData></a:graphic></wp:inline></w:drawing></w:r><w:r><w:t>Even pages</w:t></w:r></w:p></w:hdr>"#
                ),
                w = W
            )
            .into_bytes(),
        ),
        (
            "word/_rels/header2.xml.rels",
            format!(r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdCrest" Type="{REL}/image" Target="media/image1.png"/></Relationships>"#).into_bytes(),
        ),
        (
            "word/footer1.xml",
            format!(r#"<w:ftr {W}><w:p><w:pPr><w:pStyle w:val="Fuzeile"/></w:pPr><w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple><w:r><w:t> Council footer</w:t></w:r></w:p></w:ftr>"#).into_bytes(),
        ),
        ("word/media/image1.png", png),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in files {
        zip.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(&bytes).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    crate::model::style::WordTemplate::from_bytes(std::path::Path::new("House.dotx"), &bytes).expect("a Word template")
}

/// Every XML part of a package is well-formed and every prefix it uses is declared.
fn assert_parts_are_well_formed(docx: &[u8]) {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    for index in 0..archive.len() {
        let mut file = archive.by_index(index).unwrap();
        let name = file.name().to_owned();
        if !(name.ends_with(".xml") || name.ends_with(".rels")) {
            continue;
        }
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        let mut reader = quick_xml::NsReader::from_str(&text);
        loop {
            match reader.read_resolved_event() {
                Ok((quick_xml::name::ResolveResult::Unknown(prefix), _)) => {
                    panic!("{name}: undeclared prefix {prefix:?}")
                }
                Ok((_, quick_xml::events::Event::Eof)) => break,
                Ok((_, quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e))) => {
                    for attribute in e.attributes() {
                        let attribute = attribute.unwrap();
                        let (resolved, _) = reader.resolver().resolve_attribute(attribute.key);
                        assert!(
                            !matches!(resolved, quick_xml::name::ResolveResult::Unknown(_)),
                            "{name}: undeclared attribute prefix in {:?}",
                            attribute.key
                        );
                    }
                }
                Ok(_) => {}
                Err(e) => panic!("{name}: {e}"),
            }
        }
    }
}

#[test]
fn a_word_written_template_is_laid_under_the_paper() {
    let mut paper = sample_paper();
    paper.style.word_template = Some(word_style_template());
    let docx = render(&paper);
    assert_parts_are_well_formed(&docx);

    let styles = part(&docx, "word/styles.xml");
    let heading = style(&styles, "berschrift1");
    assert!(heading.contains(r#"<w:color w:val="2F5496" />"#), "the template's look: {heading}");
    assert!(heading.contains(r#"<w:numPr><w:ilvl w:val="0" /><w:numId w:val="2" /></w:numPr>"#), "{heading}");
    assert!(style(&styles, "NumberedPara").contains(r#"<w:basedOn w:val="Standard" />"#));
    assert!(styles.contains(r#"w:asciiTheme="minorHAnsi""#), "theme fonts stay");
    assert!(styles.contains(r#"<w:lang w:val="en-GB" />"#), "the paper's language");
    let document = part(&docx, "word/document.xml");
    assert!(paragraph_starting(&document, "Introduction").contains(r#"<w:pStyle w:val="berschrift1" />"#));
    assert!(!document.contains(r#"<w:pStyle w:val="Heading1" />"#));
    assert!(!document.contains("Instructions"), "the template's body is not taken");
    // Letter paper with 1-inch margins, portrait then landscape.
    assert!(document.contains(r#"<w:pgSz w:w="12240" w:h="15840" />"#));
    assert!(document.contains(r#"<w:pgSz w:w="15840" w:h="12240" w:orient="landscape" />"#));
    assert!(document.contains(r#"w:left="1440""#));

    // The template's list is renumbered past the paper's and no longer numbers its heading.
    let numbering = part(&docx, "word/numbering.xml");
    assert!(
        numbering.contains(r#"<w:abstractNum w:abstractNumId="3" w15:restartNumberingAfterBreak="0">"#),
        "{numbering}"
    );
    assert!(numbering.contains(r#"<w:num w:numId="4"><w:abstractNumId w:val="3" /></w:num>"#), "{numbering}");
    let theirs = &numbering[numbering.find(r#"w:abstractNumId="3""#).unwrap()..];
    assert!(!theirs[..theirs.find("</w:abstractNum>").unwrap()].contains("w:pStyle"), "{numbering}");
    // The paper's list names the heading style by the template's id.
    assert_eq!(numbering.matches(r#"<w:pStyle w:val="berschrift1" />"#).count(), 1);
    assert!(numbering.contains(r#"mc:Ignorable="w15""#));

    let settings = part(&docx, "word/settings.xml");
    assert!(settings.contains(r#"<w:defaultTabStop w:val="709" />"#) && settings.contains("<w:evenAndOddHeaders />"));
    for left_out in ["footnotePr", "attachedTemplate", "useWord2013TrackBottomHyphenation", r#"w:percent="120""#] {
        assert!(!settings.contains(left_out), "{left_out} in {settings}");
    }
    assert!(part(&docx, "word/theme/theme1.xml").contains("Calibri"));
    assert!(part(&docx, "word/_rels/document.xml.rels").contains(r#"Target="theme/theme1.xml""#));

    // Even pages have their own header (with the crest, its drawing id after the body's
    // pictures) and a footer of the paper's; the template's footer already numbers pages, so
    // only the classification is added to it.
    let crest = part(&docx, "word/header2.xml");
    let pictures = document.matches("<wp:docPr ").count();
    assert!(crest.contains(&format!(r#"<wp:docPr id="{}" name="Crest""#, pictures + 1)), "{crest}");
    assert!(part(&docx, "word/_rels/header2.xml.rels").contains(r#"Target="media/template1.png""#));
    assert!(part(&docx, "[Content_Types].xml").contains(r#"Extension="png""#));
    let default_footer = part(&docx, "word/footer1.xml");
    assert!(default_footer.contains("Council footer") && default_footer.contains("Unrestricted"));
    assert!(!default_footer.contains("NUMPAGES"), "one page number: {default_footer}");
    assert!(default_footer.contains(r#"<w:pStyle w:val="Fuzeile" />"#));
    let even_footer = part(&docx, "word/footer2.xml");
    assert!(even_footer.contains("NUMPAGES") && even_footer.contains("Unrestricted"));
    let last = &document[document.rfind("<w:sectPr>").unwrap()..];
    for reference in [r#"w:type="even" r:id="rIdHeader2""#, r#"w:type="even" r:id="rIdFooter2""#] {
        assert!(last.contains(reference), "{reference}");
    }
    assert!(
        part(&docx, "docProps/app.xml")
            .contains("<Template>House.dotx</Template><Company>Kent County Council</Company>")
    );

    if let Ok(dir) = std::env::var("DOCX_SAMPLE_DIR") {
        std::fs::write(std::path::Path::new(&dir).join("docx-word-template.docx"), &docx).unwrap();
    }
}
