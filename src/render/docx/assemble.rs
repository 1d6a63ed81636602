//! Puts the DOCX together: the body docx-rs built, the styles, numbering, settings, headers and
//! footers, with or without a council's Word template, into one package.
//!
//! In: docx-rs' parts ([`XMLDocx`]: the body, the numbering, the font table, the pictures), the
//! paper's footer lines, the house style settings and the template (if any). Out: the bytes of
//! the `.docx`. Every WordprocessingML part passes through [`schema_order`], so everything
//! written or edited here may append children anywhere and still come out in the order Word
//! requires.
//!
//! With a template, its numbering ids are moved past the paper's (its styles and headers
//! follow them), and content moved from one part into another brings its namespace
//! declarations along (a template's footer may not declare the `w14` of our paragraph ids).

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use docx_rs::{BuildXML, Footer, XMLDocx};

use super::exceptions::EXCEPTION_STYLE;
use super::package::{self, Package, Rel, content_type, relationship};
use super::schema_order::reorder_part;
use super::scorecard;
use super::styles::{self, HouseStyles, StyleIds};
use super::template::{self, HeaderFooterPlan, Template};
use super::xml::{Element, Node, Part, W_NS};
use crate::model::Meta;

/// Everything the package is made of.
pub(super) struct Assembly<'a> {
    pub xml: XMLDocx,
    /// The paper's footer lines (page numbers, classification).
    pub footer: Footer,
    pub meta: &'a Meta,
    pub language: &'a str,
    /// The organisation of the house style, for the extended properties.
    pub organisation: Option<&'a str>,
    /// Hyperlink targets in document order (`rIdLink{n}`).
    pub links: &'a [String],
    /// Alternative texts of the pictures in document order.
    pub pictures: &'a [String],
    pub template: Option<&'a Template<'a>>,
    pub house: HouseStyles<'a>,
    /// Whether the paper sets its own font (which then wins over a template's).
    pub explicit_font: bool,
    pub slots: &'a HeaderFooterPlan,
    /// The title and description of each scorecard table, in document order.
    pub table_captions: &'a [(String, String)],
    /// The title and description of each exception report's table, in document order.
    pub exception_captions: &'a [(String, String)],
}

/// The package of a paper: styles and numbering (over a template's), settings, font table,
/// the body, headers and footers, relationships and properties.
pub(super) fn package(a: Assembly) -> Result<Vec<u8>> {
    let (styles_root, numbering, ids, offset) = styles_and_numbering(&a)?;
    let settings = settings_part(&a);
    let font_table = font_table(&a)?;
    let document = document_part(&a, &ids)?;

    let mut parts = Parts {
        rels: vec![
            Rel::internal("rIdStyles", relationship::office("styles"), "styles.xml"),
            Rel::internal("rIdNumbering", relationship::office("numbering"), "numbering.xml"),
            Rel::internal("rIdSettings", relationship::office("settings"), "settings.xml"),
            Rel::internal("rIdFontTable", relationship::office("fontTable"), "fontTable.xml"),
        ],
        parts: vec![
            ("word/styles.xml".into(), content_type::STYLES, ordered(&Part::new(styles_root).to_bytes()?)?),
            ("word/numbering.xml".into(), content_type::NUMBERING, ordered(&numbering.to_bytes()?)?),
            ("word/settings.xml".into(), content_type::SETTINGS, ordered(&Part::new(settings).to_bytes()?)?),
            ("word/fontTable.xml".into(), content_type::FONT_TABLE, ordered(&font_table)?),
        ],
        own_rels: Vec::new(),
        media: TemplateMedia::default(),
        drawing_id: a.pictures.len() + 1,
    };
    if let Some(theme) = a.template.and_then(|t| t.theme) {
        parts.rels.push(Rel::internal("rIdTheme", relationship::office("theme"), "theme/theme1.xml"));
        parts.parts.push(("word/theme/theme1.xml".into(), content_type::THEME, theme.to_vec()));
    }
    parts.headers(&a, offset)?;
    parts.footers(&a, &ids, offset)?;
    for (id, _) in &a.xml.media {
        parts.rels.push(Rel::internal(id, relationship::office("image"), &format!("media/{id}.png")));
    }
    for (index, target) in a.links.iter().enumerate() {
        parts.rels.push(Rel {
            id: format!("rIdLink{}", index + 1),
            kind: relationship::office("hyperlink"),
            target: target.clone(),
            external: true,
        });
    }
    write_package(a, document, parts)
}

/// The house styles (over a template's, whose numbering ids move past the paper's) and the
/// numbering; the style ids as written; the offset of the template's numbering ids.
fn styles_and_numbering(a: &Assembly) -> Result<(Element, Part, StyleIds, usize)> {
    // Numbering: docx-rs' definitions without its preset list (id 1, a Japanese-locale
    // circled-number list nothing uses); a template's ids move past the paper's.
    let mut numbering = Part::read(&a.xml.numberings).context("docx-rs wrote a numbering part that does not parse")?;
    numbering.root.children.retain(|node| !is_docx_rs_preset(node));
    let offset = largest_id(&numbering.root) + 1;

    let house = styles::house(&a.house);
    let (styles_root, ids) = match a.template.and_then(|t| t.styles.clone()) {
        Some(mut theirs) => {
            template::shift_num_ids(&mut theirs, offset);
            styles::over_template(theirs, house, &a.house, a.explicit_font)
        }
        None => (house, StyleIds::default()),
    };
    numbering.root.visit_mut(&mut |e| ids.rename(e));
    if let Some(theirs) = a.template.and_then(|t| t.numbering.as_ref()) {
        let paper_styles =
            [styles::HEADING1, styles::HEADING2, styles::APPENDIX_HEADING, styles::NUMBERED_PARA].map(|id| ids.get(id));
        let definitions = template::numbering_definitions(theirs, offset, &paper_styles);
        numbering.root.children.splice(0..0, definitions.into_iter().map(Node::Element));
        numbering.root.adopt_namespaces(theirs);
    }
    Ok((styles_root, numbering, ids, offset))
}

/// The paper's settings, with a template's layout settings over them.
fn settings_part(a: &Assembly) -> Element {
    let mut settings = settings(a.language);
    if let Some(t) = a.template {
        for element in t.layout_settings() {
            settings.replace(element);
        }
        if let Some(theirs) = t.settings_root() {
            settings.adopt_namespaces(theirs);
        }
    }
    settings
}

/// docx-rs' font table, or a template's (without embedded fonts) plus the paper's own font.
fn font_table(a: &Assembly) -> Result<Vec<u8>> {
    Ok(match a.template.and_then(|t| t.font_table.clone()) {
        Some(theirs) => {
            let mut fonts = template::without_embedded_fonts(theirs);
            if a.explicit_font
                && let Some(font) = a.house.font
                && !fonts.elements().any(|f| f.get("w:name").is_some_and(|n| n.eq_ignore_ascii_case(font)))
            {
                fonts.children.push(Node::Element(Element::new("w:font").attr("w:name", font)));
            }
            Part::new(fonts).to_bytes()?
        }
        None => a.xml.font_table.clone(),
    })
}

/// The body: pictures described, scorecard header rows repeated, scorecard and exception report
/// tables titled, table properties left to their styles, style ids as written, schema order.
fn document_part(a: &Assembly, ids: &StyleIds) -> Result<Vec<u8>> {
    let document = package::describe_pictures(&a.xml.document, a.pictures)
        .context("failed to give the pictures their alternative text")?;
    let document = package::repeat_header_rows(&document, scorecard::SCORECARD_STYLE)
        .context("failed to mark table header rows in document.xml")?;
    let document = package::caption_tables(&document, scorecard::SCORECARD_STYLE, a.table_captions)
        .context("failed to give the scorecard tables their titles")?;
    let document = package::caption_tables(&document, EXCEPTION_STYLE, a.exception_captions)
        .context("failed to give the exception reports' tables their titles")?;
    reorder_part(&document, &mut |e| {
        table_properties(e);
        ids.rename(e);
    })
    .context("failed to put document.xml in schema order")
}

/// The parts of the package besides the body, and the body's relationships to them.
struct Parts {
    rels: Vec<Rel>,
    parts: Vec<(String, &'static str, Vec<u8>)>,
    /// Relationship parts of headers and footers that hold a template's pictures.
    own_rels: Vec<(String, Vec<u8>)>,
    media: TemplateMedia,
    /// The next drawing id (the body's pictures come first).
    drawing_id: usize,
}

impl Parts {
    /// A template's headers, with their pictures.
    fn headers(&mut self, a: &Assembly, offset: usize) -> Result<()> {
        for (index, (slot, id)) in a.slots.headers().enumerate() {
            let template = a.template.context("a header without a template")?;
            let header = template.header_footer("w:headerReference", slot)?.context("a planned header is missing")?;
            let name = format!("header{}.xml", index + 1);
            let mut root = header.part.root;
            template::shift_num_ids(&mut root, offset);
            template::without_fallbacks(&mut root);
            renumber_drawings(&mut root, &mut self.drawing_id);
            if !header.relationships.is_empty() {
                let rels = self.media.relationships(template, header.relationships)?;
                self.own_rels.push((format!("word/_rels/{name}.rels"), rels));
            }
            self.rels.push(Rel::internal(&id, relationship::office("header"), &name));
            self.parts.push((format!("word/{name}"), content_type::HEADER, ordered(&Part::new(root).to_bytes()?)?));
        }
        Ok(())
    }

    /// The paper's footer, or a template's with the paper's lines under its own (the page
    /// numbers only when the template shows none).
    fn footers(&mut self, a: &Assembly, ids: &StyleIds, offset: usize) -> Result<()> {
        let ours = Part::read(&a.footer.build()).context("docx-rs wrote a footer that does not parse")?;
        for (index, (slot, id)) in a.slots.footers().enumerate() {
            let name = format!("footer{}.xml", index + 1);
            let theirs = match a.template {
                Some(template) => template.header_footer("w:footerReference", slot)?.map(|f| (template, f)),
                None => None,
            };
            let root = match theirs {
                None => {
                    let mut root = ours.root.clone();
                    root.visit_mut(&mut |e| ids.rename(e));
                    root
                }
                Some((template, footer)) => {
                    let mut root = footer.part.root;
                    template::shift_num_ids(&mut root, offset);
                    template::without_fallbacks(&mut root);
                    renumber_drawings(&mut root, &mut self.drawing_id);
                    let skip = usize::from(template::has_page_field(&root));
                    for line in ours.root.elements().filter(|e| e.name == "w:p").skip(skip) {
                        let mut line = line.clone();
                        line.visit_mut(&mut |e| ids.rename(e));
                        root.children.push(Node::Element(line));
                    }
                    root.adopt_namespaces(&ours.root);
                    if !footer.relationships.is_empty() {
                        let rels = self.media.relationships(template, footer.relationships)?;
                        self.own_rels.push((format!("word/_rels/{name}.rels"), rels));
                    }
                    root
                }
            };
            self.rels.push(Rel::internal(&id, relationship::office("footer"), &name));
            self.parts.push((format!("word/{name}"), content_type::FOOTER, ordered(&Part::new(root).to_bytes()?)?));
        }
        Ok(())
    }
}

/// The zip: the package relationships, the body and its relationships, the other parts, the
/// pictures, and the core and extended properties.
fn write_package(a: Assembly, document: Vec<u8>, parts: Parts) -> Result<Vec<u8>> {
    let mut package = Package::new();
    package.add_by_extension(
        "_rels/.rels",
        content_type::RELATIONSHIPS,
        package::relationships(&[
            Rel::internal("rId1", relationship::office("officeDocument"), "word/document.xml"),
            Rel::internal("rId2", relationship::CORE.to_owned(), "docProps/core.xml"),
            Rel::internal("rId3", relationship::office("extended-properties"), "docProps/app.xml"),
        ]),
    )?;
    package.add("word/document.xml", content_type::DOCUMENT, document);
    package.add_by_extension(
        "word/_rels/document.xml.rels",
        content_type::RELATIONSHIPS,
        package::relationships(&parts.rels),
    )?;
    for (name, kind, bytes) in parts.parts {
        package.add(&name, kind, bytes);
    }
    for (name, bytes) in parts.own_rels {
        package.add_by_extension(&name, content_type::RELATIONSHIPS, bytes)?;
    }
    for (id, png) in a.xml.media {
        package.add_by_extension(&format!("word/media/{id}.png"), content_type::PNG, png)?;
    }
    for (name, kind, bytes) in parts.media.parts {
        package.add_by_extension(&name, &kind, bytes)?;
    }
    package.add("docProps/core.xml", content_type::CORE, package::core_properties(a.meta, a.language).into_bytes());
    let template_name = a.template.map(|t| t.source.file_name());
    package.add(
        "docProps/app.xml",
        content_type::APP,
        package::app_properties(a.organisation, template_name.as_deref()),
    );
    package.write(a.meta)
}

/// A part put in schema order.
fn ordered(part: &[u8]) -> Result<Vec<u8>> {
    reorder_part(part, &mut |_| {})
}

/// The settings of the paper: Word's default tab stop and column spacing (docx-rs writes
/// Japanese-locale defaults: a 0.58-inch tab, `useFELayout`), Word 2013 layout, the language.
/// `useWord2013TrackBottomHyphenation` is left out: the Office 2013 schema the Open XML SDK
/// checks against does not know it, and Word uses its default when it is absent.
fn settings(language: &str) -> Element {
    let mut compat = Element::new("w:compat");
    for (name, value) in [
        ("compatibilityMode", "15"),
        ("overrideTableStyleFontSizeAndJustification", "1"),
        ("enableOpenTypeFeatures", "1"),
        ("doNotFlipMirrorIndents", "1"),
        ("differentiateMultirowTableHeaders", "1"),
    ] {
        debug_assert!(template::KNOWN_COMPAT_SETTINGS.contains(&name));
        compat = compat.with(
            Element::new("w:compatSetting")
                .attr("w:name", name)
                .attr("w:uri", "http://schemas.microsoft.com/office/word")
                .attr("w:val", value),
        );
    }
    Element::new("w:settings")
        .attr("xmlns:w", W_NS)
        .with(Element::new("w:zoom").attr("w:percent", "100"))
        .with(Element::val("w:defaultTabStop", "720"))
        .with(Element::val("w:characterSpacingControl", "doNotCompress"))
        .with(compat)
        .with(Element::val("w:themeFontLang", language))
        .with(Element::val("w:decimalSymbol", "."))
        .with(Element::val("w:listSeparator", ","))
}

/// The scorecard and key tables take their rules and cell margins from their table styles:
/// the ones docx-rs writes on every table are dropped; `w:tblLook` says whether the style's
/// first-row formatting applies (the scorecard's header row; the key has none).
fn table_properties(element: &mut Element) {
    if element.name != "w:tblPr" {
        return;
    }
    let style = element.find("w:tblStyle").and_then(|s| s.get("w:val")).map(|v| v.into_owned());
    let first_row = match style.as_deref() {
        Some(scorecard::SCORECARD_STYLE) => true,
        Some(scorecard::KEY_STYLE | EXCEPTION_STYLE) => false,
        _ => return,
    };
    element.remove("w:tblBorders");
    element.remove("w:tblCellMar");
    let flag = |on: bool| if on { "1" } else { "0" };
    element.replace(
        Element::new("w:tblLook")
            .attr("w:val", if first_row { "0620" } else { "0600" })
            .attr("w:firstRow", flag(first_row))
            .attr("w:lastRow", "0")
            .attr("w:firstColumn", "0")
            .attr("w:lastColumn", "0")
            .attr("w:noHBand", "1")
            .attr("w:noVBand", "1"),
    );
}

/// Gives the drawings of a template's header or footer ids after the body's pictures, so no
/// two drawings of the document share an id.
fn renumber_drawings(root: &mut Element, next: &mut usize) {
    root.visit_mut(&mut |e| {
        if e.name == "wp:docPr" {
            e.set("id", &next.to_string());
            *next += 1;
        }
    });
}

/// docx-rs' preset numbering (abstract numbering and instance 1); the paper's ids start at 2.
fn is_docx_rs_preset(node: &Node) -> bool {
    match node {
        Node::Element(e) if e.name == "w:abstractNum" => e.get("w:abstractNumId").as_deref() == Some("1"),
        Node::Element(e) if e.name == "w:num" => e.get("w:numId").as_deref() == Some("1"),
        _ => false,
    }
}

/// The largest abstract numbering or instance id of a numbering part.
fn largest_id(numbering: &Element) -> usize {
    numbering
        .elements()
        .filter_map(|e| e.get("w:abstractNumId").or_else(|| e.get("w:numId")))
        .filter_map(|id| id.trim().parse::<usize>().ok())
        .max()
        .unwrap_or(0)
}

/// The pictures of a template's headers and footers, each copied once under a name of ours.
#[derive(Default)]
struct TemplateMedia {
    /// Template part name → our part name.
    names: BTreeMap<String, String>,
    /// Our part name, content type, bytes.
    parts: Vec<(String, String, Vec<u8>)>,
}

impl TemplateMedia {
    /// The relationships part of a template header or footer, its pictures renamed to ours.
    fn relationships(
        &mut self,
        template: &Template,
        relationships: &[crate::config::word_template::Relationship],
    ) -> Result<Vec<u8>> {
        let mut rels = Vec::new();
        for rel in relationships {
            if rel.external {
                rels.push(Rel {
                    id: rel.id.clone(),
                    kind: relationship::office(&rel.kind),
                    target: rel.target.clone(),
                    external: true,
                });
                continue;
            }
            let ours = match self.names.get(&rel.target) {
                Some(name) => name.clone(),
                None => {
                    let bytes =
                        template.source.part(&rel.target).with_context(|| format!("{} is missing", rel.target))?;
                    let extension = rel.target.rsplit_once('.').map_or("bin", |(_, e)| e).to_ascii_lowercase();
                    let name = format!("word/media/template{}.{extension}", self.names.len() + 1);
                    let kind =
                        template.source.content_type(&rel.target).unwrap_or("application/octet-stream").to_owned();
                    self.parts.push((name.clone(), kind, bytes.to_vec()));
                    self.names.insert(rel.target.clone(), name.clone());
                    name
                }
            };
            let target = ours.strip_prefix("word/").unwrap_or(&ours).to_owned();
            rels.push(Rel { id: rel.id.clone(), kind: relationship::office(&rel.kind), target, external: false });
        }
        Ok(package::relationships(&rels))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scorecard_table_takes_its_rules_from_its_style() {
        let mut tbl = Part::read(
            br#"<w:tblPr><w:tblW w:w="1" /><w:tblBorders><w:top /></w:tblBorders><w:tblCellMar /><w:tblStyle w:val="ScorecardTable" /></w:tblPr>"#,
        )
        .unwrap()
        .root;
        table_properties(&mut tbl);
        assert!(tbl.find("w:tblBorders").is_none() && tbl.find("w:tblCellMar").is_none());
        assert_eq!(tbl.find("w:tblLook").unwrap().get("w:firstRow").as_deref(), Some("1"));
        let mut other = Part::read(br#"<w:tblPr><w:tblBorders /></w:tblPr>"#).unwrap().root;
        table_properties(&mut other);
        assert!(other.find("w:tblBorders").is_some(), "other tables are left alone");
    }

    #[test]
    fn settings_have_no_japanese_locale_defaults() {
        let text = String::from_utf8(Part::new(settings("en-GB")).to_bytes().unwrap()).unwrap();
        assert!(text.contains(r#"<w:defaultTabStop w:val="720" />"#));
        assert!(!text.contains("useFELayout") && !text.contains("useWord2013TrackBottomHyphenation"));
    }
}
