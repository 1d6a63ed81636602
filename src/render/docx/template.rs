//! A council's Word template (`style: word-template:`) taken into the DOCX.
//!
//! In: the checked [`WordTemplate`] (a `.dotx` or `.docx`; `config::word_template` has made
//! sure it is a Word package and that the parts used here are well-formed). Out: what the DOCX
//! takes from it: the page size and margins of its last section, its headers and footers (with
//! their pictures), its styles (laid under the paper's, see [`super::styles`]), its numbering
//! definitions (renumbered so they never clash with the paper's), the settings that change how
//! text is laid out, its theme and its font table. Its body text is not taken: a template's
//! body holds instructions or sample text, not the paper.
//!
//! What the paper itself decides stays the paper's: its numbering, its scorecard table styles,
//! its RAG colours, and the footer's page numbers and classification, which are added under the
//! template's own footer text (the classification must be on every page).

use anyhow::{Context, Result};

use super::xml::{Element, Node, Part};
use crate::config::word_template::{self as parts, Relationship};
use crate::model::style::WordTemplate;

/// Which pages a header or footer is for (`w:type` of its reference).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Slot {
    Default,
    First,
    Even,
}

impl Slot {
    pub fn attr(self) -> &'static str {
        match self {
            Slot::Default => "default",
            Slot::First => "first",
            Slot::Even => "even",
        }
    }

    fn from_attr(value: &str) -> Slot {
        match value {
            "first" => Slot::First,
            "even" => Slot::Even,
            _ => Slot::Default,
        }
    }
}

/// Page size (portrait sides) and margins, in twentieths of a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct PageSetup {
    pub short: u32,
    pub long: u32,
    pub top: i32,
    pub right: i32,
    pub bottom: i32,
    pub left: i32,
    pub header: i32,
    pub footer: i32,
    pub gutter: i32,
}

/// The headers and footers of the DOCX: which slots have one, and whether the first page has
/// its own. Header `n` (1-based, in slot order) has relationship id `rIdHeader{n}`, footer
/// `n` `rIdFooter{n}`.
#[derive(Debug, Clone)]
pub(super) struct HeaderFooterPlan {
    headers: Vec<Slot>,
    footers: Vec<Slot>,
    pub title_page: bool,
}

impl HeaderFooterPlan {
    /// Without a template: one footer. With one: the template's headers, and a footer on every
    /// kind of page the template distinguishes (the classification must be on every page, even
    /// where the template has no footer of its own).
    pub fn new(template: Option<&Template>) -> HeaderFooterPlan {
        let Some(template) = template else {
            return HeaderFooterPlan { headers: Vec::new(), footers: vec![Slot::Default], title_page: false };
        };
        let title_page = template.title_page();
        let mut footers = vec![Slot::Default];
        if title_page {
            footers.push(Slot::First);
        }
        if template.even_and_odd() {
            footers.push(Slot::Even);
        }
        let headers = [Slot::Default, Slot::First, Slot::Even]
            .into_iter()
            .filter(|slot| template.reference("w:headerReference", *slot).is_some())
            .collect();
        HeaderFooterPlan { headers, footers, title_page }
    }

    /// The header slots with their relationship ids.
    pub fn headers(&self) -> impl Iterator<Item = (Slot, String)> + '_ {
        self.headers.iter().enumerate().map(|(i, slot)| (*slot, format!("rIdHeader{}", i + 1)))
    }

    /// The footer slots with their relationship ids.
    pub fn footers(&self) -> impl Iterator<Item = (Slot, String)> + '_ {
        self.footers.iter().enumerate().map(|(i, slot)| (*slot, format!("rIdFooter{}", i + 1)))
    }
}

/// A header or footer of the template: its part and that part's relationships.
pub(super) struct HeaderFooter<'a> {
    pub part: Part,
    pub relationships: &'a [Relationship],
}

/// The template, read.
pub(super) struct Template<'a> {
    pub source: &'a WordTemplate,
    pub styles: Option<Element>,
    pub numbering: Option<Element>,
    settings: Option<Element>,
    pub font_table: Option<Element>,
    pub theme: Option<&'a [u8]>,
    /// The body's last `w:sectPr`: page setup and header/footer references.
    section: Option<Element>,
}

impl<'a> Template<'a> {
    pub fn read(source: &'a WordTemplate) -> Result<Template<'a>> {
        let read = |kind: &str| -> Result<Option<Element>> {
            match source.related(kind) {
                Some(name) => {
                    let bytes = source.part(name).with_context(|| format!("{name} is missing"))?;
                    Ok(Some(Part::read(bytes).with_context(|| format!("failed to read {name}"))?.root))
                }
                None => Ok(None),
            }
        };
        let document = Part::read(source.part(&source.main).context("the main document is missing")?)
            .with_context(|| format!("failed to read {}", source.main))?;
        let section = document.root.find("w:body").and_then(|b| b.elements().filter(|e| e.name == "w:sectPr").last());
        Ok(Template {
            source,
            styles: read(parts::STYLES)?,
            numbering: read(parts::NUMBERING)?,
            settings: read(parts::SETTINGS)?,
            font_table: read(parts::FONT_TABLE)?,
            theme: source.related(parts::THEME).and_then(|name| source.part(name)),
            section: section.cloned(),
        })
    }

    /// The template's page size and margins, when its last section states its page size;
    /// a margin it does not state is `house`'s.
    pub fn page(&self, house: &PageSetup) -> Option<PageSetup> {
        let section = self.section.as_ref()?;
        let size = section.find("w:pgSz")?;
        let number = |e: &Element, key: &str| e.get(key).and_then(|v| v.trim().parse::<i64>().ok());
        let (w, h) = (number(size, "w:w")?, number(size, "w:h")?);
        if w <= 0 || h <= 0 {
            return None;
        }
        let margin = section.find("w:pgMar");
        // A margin the template leaves unsaid is the house layout's.
        let m = |key: &str, house: i32| {
            margin.and_then(|e| number(e, key)).map_or(house, |v| v.clamp(-31680, 31680) as i32)
        };
        Some(PageSetup {
            short: w.min(h).min(31680) as u32,
            long: w.max(h).min(31680) as u32,
            top: m("w:top", house.top),
            right: m("w:right", house.right),
            bottom: m("w:bottom", house.bottom),
            left: m("w:left", house.left),
            header: m("w:header", house.header),
            footer: m("w:footer", house.footer),
            gutter: m("w:gutter", house.gutter),
        })
    }

    /// The template's settings part.
    pub fn settings_root(&self) -> Option<&Element> {
        self.settings.as_ref()
    }

    /// Whether the first page has its own header and footer (`w:titlePg`).
    pub fn title_page(&self) -> bool {
        self.section.as_ref().and_then(|s| s.find("w:titlePg")).is_some_and(on)
    }

    /// Whether even pages have their own header and footer (`w:evenAndOddHeaders`).
    pub fn even_and_odd(&self) -> bool {
        self.settings.as_ref().and_then(|s| s.find("w:evenAndOddHeaders")).is_some_and(on)
    }

    /// The part of the template's header (`reference` = `w:headerReference`) or footer
    /// (`w:footerReference`) for a slot, if it has one.
    fn reference(&self, reference: &str, slot: Slot) -> Option<&'a Relationship> {
        let id = self
            .section
            .as_ref()?
            .elements()
            .filter(|e| e.name == reference)
            .find(|e| Slot::from_attr(&e.get("w:type").unwrap_or_default()) == slot)
            .and_then(|e| e.get("r:id").map(|v| v.into_owned()))?;
        self.source.relationships(&self.source.main).iter().find(|r| r.id == id && !r.external)
    }

    /// The template's header (`reference` = `w:headerReference`) or footer
    /// (`w:footerReference`) for a slot.
    pub fn header_footer(&self, reference: &str, slot: Slot) -> Result<Option<HeaderFooter<'a>>> {
        let Some(rel) = self.reference(reference, slot) else {
            return Ok(None);
        };
        let bytes = self.source.part(&rel.target).with_context(|| format!("{} is missing", rel.target))?;
        let part = Part::read(bytes).with_context(|| format!("failed to read {}", rel.target))?;
        Ok(Some(HeaderFooter { part, relationships: self.source.relationships(&rel.target) }))
    }

    /// The template's body font, as far as the file says: the Normal style's or the document
    /// defaults' font, a theme font looked up in the theme.
    pub fn body_font(&self) -> Option<String> {
        let styles = self.styles.as_ref()?;
        let normal = styles.elements().find(|s| {
            s.name == "w:style"
                && s.get("w:type").as_deref() == Some("paragraph")
                && s.get("w:default").is_some_and(|d| d == "1")
        });
        let defaults = styles.find("w:docDefaults").and_then(|d| d.find("w:rPrDefault")).and_then(|d| d.find("w:rPr"));
        let fonts = normal
            .and_then(|s| s.find("w:rPr"))
            .and_then(|r| r.find("w:rFonts"))
            .or_else(|| defaults?.find("w:rFonts"))?;
        if let Some(font) = fonts.get("w:ascii") {
            return Some(font.into_owned());
        }
        let theme_font = fonts.get("w:asciiTheme")?;
        let scheme = if theme_font.starts_with("major") { "a:majorFont" } else { "a:minorFont" };
        let theme = Part::read(self.theme?).ok()?;
        let latin = theme.root.find("a:themeElements")?.find("a:fontScheme")?.find(scheme)?.find("a:latin")?;
        latin.get("typeface").map(|t| t.into_owned())
    }

    /// The settings the DOCX takes from the template: those that change how text is laid out
    /// or how headers work, never those that point at parts not carried over (footnote
    /// separators, the attached template, mail merge, document variables).
    pub fn layout_settings(&self) -> Vec<Element> {
        const TAKEN: [&str; 16] = [
            "w:mirrorMargins",
            "w:gutterAtTop",
            "w:bordersDoNotSurroundHeader",
            "w:bordersDoNotSurroundFooter",
            "w:defaultTabStop",
            "w:autoHyphenation",
            "w:consecutiveHyphenLimit",
            "w:hyphenationZone",
            "w:doNotHyphenateCaps",
            "w:evenAndOddHeaders",
            "w:characterSpacingControl",
            "w:compat",
            "w:themeFontLang",
            "w:clrSchemeMapping",
            "w:decimalSymbol",
            "w:listSeparator",
        ];
        let Some(settings) = &self.settings else { return Vec::new() };
        settings
            .elements()
            .filter(|e| TAKEN.contains(&e.name.as_str()))
            .cloned()
            .map(|mut e| {
                if e.name == "w:compat" {
                    keep_known_compat_settings(&mut e);
                }
                e
            })
            .collect()
    }
}

/// The compatibility settings Word 2013 defines: a newer name (Word 2016's
/// `useWord2013TrackBottomHyphenation`) is not in the Office 2013 schema, which the Open XML
/// SDK checks against; Word falls back to its default for a setting that is absent.
pub(super) const KNOWN_COMPAT_SETTINGS: [&str; 5] = [
    "compatibilityMode",
    "overrideTableStyleFontSizeAndJustification",
    "enableOpenTypeFeatures",
    "doNotFlipMirrorIndents",
    "differentiateMultirowTableHeaders",
];

fn keep_known_compat_settings(compat: &mut Element) {
    compat.children.retain(|node| match node {
        Node::Element(e) if e.name == "w:compatSetting" => {
            e.get("w:name").is_some_and(|n| KNOWN_COMPAT_SETTINGS.contains(&n.as_ref()))
        }
        _ => true,
    });
}

/// Whether an on/off property is on (`<w:x/>`, `w:val="1"`, `"true"`, `"on"`).
fn on(element: &Element) -> bool {
    element.get("w:val").is_none_or(|v| matches!(v.as_ref(), "1" | "true" | "on"))
}

/// Adds `offset` to every numbering id a part uses (`w:numId` values other than 0, which
/// means "no numbering"), so a template's lists never collide with the paper's.
pub(super) fn shift_num_ids(element: &mut Element, offset: usize) {
    element.visit_mut(&mut |e| {
        if e.name == "w:numId"
            && let Some(id) = e.get("w:val").and_then(|v| v.trim().parse::<usize>().ok())
            && id != 0
        {
            e.set("w:val", &(id + offset).to_string());
        }
    });
}

/// The template's numbering definitions, ready to sit beside the paper's: ids shifted by
/// `offset`, picture bullets dropped (their pictures are not carried over; Word then shows
/// the level's text), and links from list levels to the styles the paper numbers itself
/// (`paper_styles`) removed, so the template's lists never number the paper's headings.
pub(super) fn numbering_definitions(numbering: &Element, offset: usize, paper_styles: &[&str]) -> Vec<Element> {
    let mut out = Vec::new();
    for definition in numbering.elements() {
        let mut definition = definition.clone();
        match definition.name.as_str() {
            "w:abstractNum" => shift_attr(&mut definition, "w:abstractNumId", offset),
            "w:num" => {
                shift_attr(&mut definition, "w:numId", offset);
                if let Some(link) = definition.find_mut("w:abstractNumId") {
                    shift_attr(link, "w:val", offset);
                }
            }
            _ => continue,
        }
        definition.visit_mut(&mut |e| {
            e.remove("w:lvlPicBulletId");
            if e.name == "w:lvl"
                && e.find("w:pStyle").and_then(|s| s.get("w:val")).is_some_and(|s| paper_styles.contains(&s.as_ref()))
            {
                e.remove("w:pStyle");
            }
        });
        out.push(definition);
    }
    out
}

fn shift_attr(element: &mut Element, key: &str, offset: usize) {
    if let Some(id) = element.get(key).and_then(|v| v.trim().parse::<usize>().ok()) {
        element.set(key, &(id + offset).to_string());
    }
}

/// Whether a header or footer already shows a page number (a `PAGE` field).
pub(super) fn has_page_field(part: &Element) -> bool {
    let mut found = false;
    part.visit(&mut |e| {
        let instruction = match e.name.as_str() {
            "w:instrText" => e.raw_text(),
            "w:fldSimple" => e.get("w:instr").map(|v| v.into_owned()).unwrap_or_default(),
            _ => return,
        };
        if instruction.split_whitespace().next() == Some("PAGE") {
            found = true;
        }
    });
    found
}

/// Drops the `mc:Fallback` of every `mc:AlternateContent` in a template's header or footer,
/// keeping its `mc:Choice`. The fallback is VML for Word 2007; Word 2010 and later and
/// LibreOffice read the choice. LibreOffice writes a picture's fallback with an attribute the
/// VML schema does not have (`v:shape/@ID`), which Word's validator reports; a template saved
/// by LibreOffice would otherwise carry that fault into every paper.
pub(super) fn without_fallbacks(part: &mut Element) {
    part.visit_mut(&mut |e| {
        if e.name == "mc:AlternateContent" && e.find("mc:Choice").is_some() {
            e.remove("mc:Fallback");
        }
    });
}

/// Removes the font table's embedded fonts (their parts are not carried over).
pub(super) fn without_embedded_fonts(mut fonts: Element) -> Element {
    for font in fonts.elements_mut() {
        for embedded in ["w:embedRegular", "w:embedBold", "w:embedItalic", "w:embedBoldItalic"] {
            font.remove(embedded);
        }
    }
    fonts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn element(xml: &str) -> Element {
        Part::read(xml.as_bytes()).unwrap().root
    }

    #[test]
    fn numbering_is_shifted_and_unlinked_from_the_papers_styles() {
        let numbering = element(concat!(
            r#"<w:numbering><w:numPicBullet w:numPicBulletId="0" />"#,
            r#"<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:pStyle w:val="Heading1" /><w:lvlPicBulletId w:val="0" /></w:lvl>"#,
            r#"<w:lvl w:ilvl="1"><w:pStyle w:val="ListBullet" /></w:lvl></w:abstractNum>"#,
            r#"<w:num w:numId="3"><w:abstractNumId w:val="1" /></w:num></w:numbering>"#
        ));
        let out = numbering_definitions(&numbering, 10, &["Heading1"]);
        let text: Vec<String> = out.iter().map(|e| String::from_utf8(e.to_bytes().unwrap()).unwrap()).collect();
        assert_eq!(
            text,
            [
                r#"<w:abstractNum w:abstractNumId="11"><w:lvl w:ilvl="0" /><w:lvl w:ilvl="1"><w:pStyle w:val="ListBullet" /></w:lvl></w:abstractNum>"#,
                r#"<w:num w:numId="13"><w:abstractNumId w:val="11" /></w:num>"#,
            ]
        );
        let mut style = element(
            r#"<w:style><w:pPr><w:numPr><w:numId w:val="3" /></w:numPr></w:pPr><w:numId w:val="0" /></w:style>"#,
        );
        shift_num_ids(&mut style, 10);
        assert_eq!(
            String::from_utf8(style.to_bytes().unwrap()).unwrap(),
            r#"<w:style><w:pPr><w:numPr><w:numId w:val="13" /></w:numPr></w:pPr><w:numId w:val="0" /></w:style>"#
        );
    }

    #[test]
    fn a_drawing_keeps_its_choice_and_loses_its_vml_fallback() {
        let mut part = element(concat!(
            r#"<w:hdr><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing /></mc:Choice>"#,
            r#"<mc:Fallback><w:pict><v:shape ID="x" /></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:hdr>"#
        ));
        without_fallbacks(&mut part);
        assert_eq!(
            String::from_utf8(part.to_bytes().unwrap()).unwrap(),
            r#"<w:hdr><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing /></mc:Choice></mc:AlternateContent></w:r></w:hdr>"#
        );
    }

    #[test]
    fn page_fields_are_found_in_complex_and_simple_fields() {
        assert!(has_page_field(&element(
            r#"<w:ftr><w:p><w:r><w:instrText> PAGE \* MERGEFORMAT</w:instrText></w:r></w:p></w:ftr>"#
        )));
        assert!(has_page_field(&element(r#"<w:ftr><w:p><w:fldSimple w:instr=" PAGE " /></w:p></w:ftr>"#)));
        assert!(!has_page_field(&element(
            r#"<w:ftr><w:p><w:r><w:instrText>NUMPAGES</w:instrText></w:r></w:p></w:ftr>"#
        )));
    }

    #[test]
    fn only_compatibility_settings_word_2013_knows_are_kept() {
        let mut compat = element(concat!(
            r#"<w:compat><w:spaceForUL /><w:compatSetting w:name="compatibilityMode" w:val="15" />"#,
            r#"<w:compatSetting w:name="useWord2013TrackBottomHyphenation" w:val="0" /></w:compat>"#
        ));
        keep_known_compat_settings(&mut compat);
        assert_eq!(
            String::from_utf8(compat.to_bytes().unwrap()).unwrap(),
            r#"<w:compat><w:spaceForUL /><w:compatSetting w:name="compatibilityMode" w:val="15" /></w:compat>"#
        );
    }
}
