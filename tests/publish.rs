//! Documents a clerk can publish (issue 5): the real binary on the reference fixtures and on a
//! paper in a house style, reading back the DOCX parts (`document.xml`, `styles.xml`,
//! `numbering.xml`, `docProps/core.xml`) and the PDF's metadata.
//!
//! The external validators (qpdf, pdfinfo, pdffonts, LibreOffice) run in `.ci/validate-outputs`;
//! these tests need nothing but cargo.

mod common;

use std::path::{Path, PathBuf};

use common::{docx_part as part, edited_fixture, pdf_objects_text, root, run, stderr};

const PAPER_2014: &str = "fixtures/kcc-2014-scs-dashboard/paper.yaml";
const PAPER_2017: &str = "fixtures/kcc-2017-children-in-care/paper.yaml";

/// Builds a paper into a fresh folder; returns the folder, the PDF, the DOCX and stderr.
fn build(paper: &Path) -> (tempfile::TempDir, PathBuf, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["build", paper.to_str().unwrap(), "-o", dir.path().to_str().unwrap()]);
    assert!(out.status.success(), "build failed: {}", stderr(&out));
    let find = |ext: &str| {
        std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().and_then(|e| e.to_str()) == Some(ext))
            .unwrap_or_else(|| panic!("a .{ext} file"))
    };
    let (pdf, docx) = (find("pdf"), find("docx"));
    (dir, pdf, docx, stderr(&out))
}

fn names(docx: &Path) -> Vec<String> {
    let zip = zip::ZipArchive::new(std::fs::File::open(docx).unwrap()).unwrap();
    zip.file_names().map(str::to_owned).collect()
}

/// The `<w:style …>…</w:style>` element with this id.
fn style<'a>(styles: &'a str, id: &str) -> &'a str {
    let at = styles.find(&format!(r#"w:styleId="{id}""#)).unwrap_or_else(|| panic!("style {id}"));
    let start = styles[..at].rfind("<w:style ").unwrap();
    &styles[start..at + styles[at..].find("</w:style>").unwrap()]
}

#[test]
fn docx_of_both_fixtures_is_word_native() {
    for paper in [PAPER_2014, PAPER_2017] {
        let (_dir, _, docx, _) = build(&root().join(paper));
        let styles = part(&docx, "word/styles.xml");
        for (id, name) in [
            ("Title", "Title"),
            ("Heading1", "heading 1"),
            ("Heading2", "heading 2"),
            ("NumberedPara", "Numbered Para"),
            ("ScorecardTable", "Scorecard Table"),
        ] {
            assert!(style(&styles, id).contains(&format!(r#"<w:name w:val="{name}" />"#)), "{paper}: style {id}");
        }
        assert!(styles.contains(r#"w:styleId="Normal""#), "{paper}: Normal");
        assert!(style(&styles, "Heading1").contains(r#"<w:outlineLvl w:val="0" />"#));
        assert!(style(&styles, "Heading2").contains(r#"<w:outlineLvl w:val="1" />"#));
        assert!(style(&styles, "ScorecardTable").contains(r#"w:type="table""#));
        assert!(styles.contains(r#"<w:lang w:val="en-GB""#), "{paper}: en-GB");

        let numbering = part(&docx, "word/numbering.xml");
        assert!(numbering.contains(r#"<w:abstractNum w:abstractNumId="2""#), "{paper}: body numbering");

        let document = part(&docx, "word/document.xml");
        // Numbered paragraphs are in the numbered-paragraph style, which carries the numbering.
        assert!(document.contains(r#"<w:pStyle w:val="NumberedPara" />"#), "{paper}");
        assert!(style(&styles, "NumberedPara").contains(r#"<w:numId w:val="2" />"#), "{paper}");
        // The scorecard's header row repeats.
        assert_eq!(document.matches("<w:tblHeader />").count(), 1, "{paper}: one scorecard, one header row");
        // Portrait body, then the landscape appendix; both sections keep the footer.
        let sections: Vec<&str> = document.split("<w:sectPr>").skip(1).collect();
        assert_eq!(sections.len(), 2, "{paper}: two sections");
        assert!(sections[0].contains(r#"<w:pgSz w:w="11906" w:h="16838" />"#), "{paper}: portrait A4");
        assert!(
            sections[1].contains(r#"<w:pgSz w:w="16838" w:h="11906" w:orient="landscape" />"#),
            "{paper}: landscape"
        );
        for section in &sections {
            assert!(section.contains(r#"<w:footerReference w:type="default" r:id="rIdFooter1" />"#), "{paper}: footer");
        }
        let footer = part(&docx, "word/footer1.xml");
        assert!(footer.contains("PAGE") && footer.contains("NUMPAGES"), "{paper}: page X of Y fields");

        // Every hyperlink has its relationship.
        let rels = part(&docx, "word/_rels/document.xml.rels");
        let links: Vec<&str> =
            document.split(r#"<w:hyperlink r:id=""#).skip(1).map(|rest| &rest[..rest.find('"').unwrap()]).collect();
        assert!(!links.is_empty(), "{paper}: the contact email is a link");
        for id in links {
            assert!(rels.contains(&format!(r#"Id="{id}""#)), "{paper}: relationship {id}");
        }

        // Trends are pictures with alternative text, never block characters from a fallback font.
        assert!(!document.contains('▁') && !document.contains('█'), "{paper}: no block-character sparklines");
        let pictures = document.matches("<wp:docPr ").count();
        assert!(pictures > 10, "{paper}: one sparkline per indicator, found {pictures}");
        assert_eq!(document.matches(r#" descr="Trend over 12 months: "#).count(), pictures, "{paper}: alt text");
        assert!(names(&docx).iter().any(|n| n.starts_with("word/media/") && n.ends_with(".png")));
        for id in 1..=pictures {
            assert_eq!(document.matches(&format!(r#"<wp:docPr id="{id}" "#)).count(), 1, "{paper}: drawing ids unique");
        }

        let core = part(&docx, "docProps/core.xml");
        for element in ["<dc:title>", "<dc:subject>", "<dc:creator>", "<dcterms:created ", "<dcterms:modified "] {
            let at = core.find(element).unwrap_or_else(|| panic!("{paper}: {element}"));
            assert!(!core[at..].starts_with(&format!("{element}</")), "{paper}: {element} is empty");
        }
        assert!(core.contains("<dc:language>en-GB</dc:language>"), "{paper}");
    }
}

#[test]
fn pdf_declares_pdf_a_2a_and_pdf_ua_1_and_shows_its_title() {
    let (_dir, pdf, _, _) = build(&root().join(PAPER_2017));
    let raw = pdf_objects_text(&std::fs::read(&pdf).unwrap());
    assert!(raw.contains("<pdfaid:part>2</pdfaid:part>") && raw.contains("<pdfaid:conformance>A</pdfaid:conformance>"));
    assert!(raw.contains("<pdfuaid:part>1</pdfuaid:part>"));
    assert!(raw.contains("/DisplayDocTitle true"), "the title, not the file name, in the window");
    assert!(raw.contains("/Lang(en-GB)") || raw.contains("/Lang (en-GB)"));
    assert!(raw.contains("/Outlines"), "bookmarks from the headings");
    assert!(raw.contains("/S /TH") || raw.contains("/S/TH"), "scorecard header cells are tagged TH");
}

/// A copy of the 2017 fixture in a temp folder, with `style` added to the paper file and the
/// given extra files written next to it.
fn styled_fixture(style: &str, files: &[(&str, Vec<u8>)]) -> (tempfile::TempDir, PathBuf) {
    let (dir, paper) = edited_fixture("fixtures/kcc-2017-children-in-care", |yaml| format!("{yaml}\nstyle:\n{style}"));
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    (dir, paper)
}

/// A small two-colour PNG.
fn logo_png() -> Vec<u8> {
    let image = image::RgbaImage::from_fn(60, 20, |x, _| {
        if x < 20 { image::Rgba([0x1F, 0x38, 0x64, 255]) } else { image::Rgba([255, 255, 255, 0]) }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

const LOGO_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="90" height="30"><rect width="30" height="30" fill="#1F3864"/><circle cx="60" cy="15" r="12" fill="#00703C"/></svg>"##;

#[test]
fn a_paper_with_a_logo_and_custom_colours_builds_in_both_formats() {
    for (logo, bytes) in [("logo.png", logo_png()), ("logo.svg", LOGO_SVG.as_bytes().to_vec())] {
        let style = format!(
            "  organisation: Kent County Council\n  logo: {logo}\n  logo-alt: Kent County Council logo\n  font: Arial\n  colours: {{ green: \"2E7D32\", red: \"B71C1C\" }}\n"
        );
        let (_src, paper) = styled_fixture(&style, &[(logo, bytes)]);
        let (_dir, pdf, docx, err) = build(&paper);
        // Arial cannot be embedded, but Liberation Sans has its metrics: set in it, without a warning.
        assert!(!err.contains("warning"), "{err}");

        let raw = pdf_objects_text(&std::fs::read(&pdf).unwrap());
        assert!(raw.contains("+LiberationSans"), "{logo}: Arial is set in the embedded Liberation Sans");
        assert!(raw.contains("<pdfuaid:part>1</pdfuaid:part>"), "{logo}: still PDF/UA-1 with an image");
        assert!(raw.contains("/S /Figure") || raw.contains("/S/Figure"), "{logo}: the logo is a tagged figure");
        let text = pdf_extract::extract_text_from_mem(&std::fs::read(&pdf).unwrap()).unwrap();
        assert!(text.contains("Kent County Council"), "{logo}: organisation printed");

        let document = part(&docx, "word/document.xml");
        assert!(document.contains(r#"name="Picture 1" descr="Kent County Council logo""#), "{logo}: logo alt text");
        assert!(document.contains(r#"<w:pStyle w:val="Title" />"#), "{logo}: masthead");
        assert!(document.contains(r#"w:fill="2E7D32""#) && document.contains(r#"w:fill="B71C1C""#), "{logo}: colours");
        assert!(!document.contains(r#"w:fill="00703C""#), "{logo}: the default green is replaced");
        assert!(document.contains(r#"w:fill="FFBF00""#), "{logo}: unset colours keep the default");
        assert!(part(&docx, "word/styles.xml").contains(r#"w:ascii="Arial""#));
    }
}

#[test]
fn letter_paper_and_a_custom_template_are_honoured() {
    let template = "#let paper = json(\"/paper.json\")\n#set document(title: paper.meta.title)\n#set text(lang: \"en\", region: \"gb\", font: \"DejaVu Sans\")\n#set page(paper: if paper.style.paper_size == \"letter\" { \"us-letter\" } else { \"a4\" })\n= Custom layout for #paper.meta.committee\n";
    let (_src, paper) = styled_fixture(
        "  paper-size: letter\n  template: my-template.typ\n",
        &[("my-template.typ", template.as_bytes().to_vec())],
    );
    let (_dir, pdf, docx, _) = build(&paper);
    let bytes = std::fs::read(&pdf).unwrap();
    let text = pdf_extract::extract_text_from_mem(&bytes).unwrap();
    assert!(text.contains("Custom layout for Corporate Parenting Panel"), "{text}");
    let raw = pdf_objects_text(&bytes);
    assert!(raw.contains("/MediaBox[0 0 612 792]") || raw.contains("/MediaBox [0 0 612 792]"), "US Letter");
    assert!(part(&docx, "word/document.xml").contains(r#"<w:pgSz w:w="12240" w:h="15840" />"#), "DOCX on Letter");
}

#[test]
fn a_bad_logo_is_a_located_error_not_a_crash() {
    let mut broken = logo_png();
    broken.truncate(40);
    for (name, files, expected) in [
        ("missing.png", vec![], "logo \"missing.png\" not found (looked for "),
        ("broken.png", vec![("broken.png", broken)], "logo \"broken.png\" is not a readable image"),
        ("notes.txt", vec![("notes.txt", b"just text".to_vec())], "logo \"notes.txt\" is not a readable image"),
    ] {
        let style = format!("  logo: {name}\n  logo-alt: A logo\n");
        let (src, paper) = styled_fixture(&style, &files);
        let yaml = std::fs::read_to_string(&paper).unwrap();
        let line = yaml.lines().position(|l| l.starts_with("  logo: ")).unwrap() + 1;
        let out_dir = src.path().join("out");
        let out = run(&["build", paper.to_str().unwrap(), "-o", out_dir.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let err = stderr(&out);
        assert!(err.starts_with(&format!("error: {}:{line}:9: {expected}", paper.display())), "{name}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(!out_dir.exists(), "{name}: nothing written");
    }
}
