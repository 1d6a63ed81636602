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

#[test]
fn numbered_paragraphs_and_headings_use_word_numbering() {
    let document = part(&render(&sample_paper()), "word/document.xml");
    let numbered = paragraph_starting(&document, "Literal markup");
    assert!(numbered.contains(r#"<w:numPr><w:numId w:val="2" /><w:ilvl w:val="1" /></w:numPr>"#), "{numbered}");
    assert!(!text_of(numbered).starts_with("1.1"), "the number is not typed");
    let second = paragraph_starting(&document, "Performance results are assigned");
    assert!(second.contains(r#"<w:numPr><w:numId w:val="2" /><w:ilvl w:val="1" /></w:numPr>"#));
    let heading = paragraph_starting(&document, "Introduction");
    assert!(heading.contains(r#"<w:pStyle w:val="Heading1" />"#));
    assert!(heading.contains(r#"<w:numPr><w:numId w:val="2" /><w:ilvl w:val="0" /></w:numPr>"#));
    // A sub-heading of the sectioned scheme is not numbered.
    let sub = paragraph_starting(&document, "Contact Information");
    assert!(sub.contains(r#"<w:pStyle w:val="Heading2" />"#) && !sub.contains("w:numPr"));

    let numbering = part(&render(&sample_paper()), "word/numbering.xml");
    assert!(numbering.contains(r#"<w:abstractNum w:abstractNumId="2""#));
    assert!(numbering.contains(r#"<w:lvlText w:val="%1.%2" />"#));
    assert!(numbering.contains(r#"<w:num w:numId="2"><w:abstractNumId w:val="2" />"#));
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
    assert!(first.contains(r#"<w:numPr><w:numId w:val="2" /><w:ilvl w:val="0" /></w:numPr>"#));
    assert!(!paragraph_starting(&document, "Introduction").contains("w:numPr"));
    assert!(paragraph_starting(&document, "Paragraph 3.").contains(r#"<w:numId w:val="2" />"#));
    assert!(paragraph_starting(&document, "Paragraph 6.").contains(r#"<w:numId w:val="3" />"#));
    assert!(part(&docx, "word/numbering.xml").contains(r#"<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5" />"#));
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
    assert!(paragraph_starting(&document, "Fourth").contains(r#"<w:numId w:val="4" /><w:ilvl w:val="1" />"#));
    assert!(
        numbering.contains(
            r#"<w:num w:numId="4"><w:abstractNumId w:val="2" /><w:lvlOverride w:ilvl="1"><w:startOverride w:val="4" />"#
        ),
        "{numbering}"
    );
    // Counting goes on from there: the next section is 3, its first paragraph 3.1.
    assert!(
        paragraph_starting(&document, "Background documents").contains(r#"<w:numId w:val="4" /><w:ilvl w:val="0" />"#)
    );
    assert!(paragraph_starting(&document, "After the gap").contains(r#"<w:numId w:val="4" /><w:ilvl w:val="1" />"#));
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
