//! The styles part: the house styles of a paper, alone or laid over a council's Word template.
//!
//! In: the settings a paper's styles depend on ([`HouseStyles`]) and, when the paper names a
//! Word template, that template's `styles.xml`. Out: the `w:styles` element of the DOCX and the
//! [`StyleIds`] the document must use (a template may call `heading 1` by another id, as a
//! German Word does: `berschrift1`).
//!
//! Styles carry what an author editing in Word expects a style to carry: Heading 1 and the
//! numbered-paragraph style hold the numbering (so a paragraph typed in the "Numbered Para"
//! style gets the next number, and Word renumbers the rest), Normal is the default paragraph
//! style, the scorecard table style holds the header row's look (`w:tblStylePr
//! w:type="firstRow"`), headings keep with the next paragraph.
//!
//! With a template the template wins on looks: a style both define keeps the template's
//! definition (font, size, colour, spacing), and only the paper's structure is laid on top —
//! the numbering of headings and numbered paragraphs, and the scorecard table styles, which
//! are the paper's own. Styles the template lacks are added from the house set.

use std::collections::BTreeMap;

use super::xml::{Element, Node, W_NS};
use super::{eighths, half_points, twips, twips_u};
use crate::model::layout::{Space, TableLayout};
use crate::model::style::TableColours;
use crate::model::{Layout, Numbering};

/// What the house styles depend on.
pub(super) struct HouseStyles<'a> {
    /// The body font; `None` leaves a template's fonts alone.
    pub font: Option<&'a str>,
    /// The house style's font, for the house defaults when `font` is `None` and the template
    /// has no defaults of its own.
    pub house_font: &'a str,
    pub language: &'a str,
    /// The sizes, spacing and indents of the house styles.
    pub layout: &'a Layout,
    /// Where header values start (twentieths of a point): the layout's label column, or the
    /// same rule's answer for a template's own font.
    pub label_column: i32,
    pub numbering: StyleNumbering,
    /// The house style's scorecard colours (header row, rules).
    pub table: &'a TableColours,
    /// The house style's link colour.
    pub link: &'a str,
}

/// The numbering instance and levels the styles point at.
#[derive(Debug, Clone, Copy)]
pub(super) struct StyleNumbering {
    pub scheme: Numbering,
    /// The body's main numbering instance (`w:numId`).
    pub num_id: usize,
}

impl StyleNumbering {
    /// The level Heading 1 is numbered at: level 0 in the sectioned scheme, none in the running
    /// one (its headings are not numbered).
    pub fn heading_level(self) -> Option<usize> {
        (self.scheme == Numbering::Sectioned).then_some(0)
    }

    /// The level numbered paragraphs are numbered at.
    pub fn paragraph_level(self) -> usize {
        match self.scheme {
            Numbering::Running => 0,
            Numbering::Sectioned => 1,
        }
    }
}

/// Style ids the document uses, as the house set names them.
pub(super) const NORMAL: &str = "Normal";
pub(super) const TITLE: &str = "Title";
pub(super) const HEADING1: &str = "Heading1";
pub(super) const HEADING2: &str = "Heading2";
pub(super) const APPENDIX_HEADING: &str = "AppendixHeading";
pub(super) const NUMBERED_PARA: &str = "NumberedPara";
pub(super) const LIST_CONTINUE: &str = "ListContinue";
pub(super) const QUOTE: &str = "Quote";
pub(super) const HEADER_FIELD: &str = "HeaderField";
pub(super) const CONTACT: &str = "ContactDetails";
pub(super) const TABLE_TEXT: &str = "TableText";
pub(super) const FOOTER: &str = "Footer";
pub(super) const HYPERLINK: &str = "Hyperlink";

/// Maps the house style ids to the ids in the written styles part.
#[derive(Debug, Clone, Default)]
pub(super) struct StyleIds(BTreeMap<String, String>);

impl StyleIds {
    /// The written id of a house style id (itself unless a template calls it otherwise).
    pub fn get<'a>(&'a self, id: &'a str) -> &'a str {
        self.0.get(id).map_or(id, String::as_str)
    }

    /// Renames the style references in `element` (`w:pStyle`, `w:rStyle`, `w:tblStyle`,
    /// `w:basedOn`, `w:next`, `w:link`) to the written ids.
    pub fn rename(&self, element: &mut Element) {
        if self.0.is_empty() {
            return;
        }
        if matches!(element.name.as_str(), "w:pStyle" | "w:rStyle" | "w:tblStyle" | "w:basedOn" | "w:next" | "w:link")
            && let Some(id) = element.get("w:val").map(|v| v.into_owned())
            && let Some(written) = self.0.get(&id)
        {
            let written = written.clone();
            element.set("w:val", &written);
        }
    }
}

/// Space before and after, single line spacing (the layout's [`crate::model::layout::Line`]:
/// Word's "single", 240 of Word's 240ths of a line).
fn spacing(space: Space) -> Element {
    Element::new("w:spacing")
        .attr("w:before", &twips_u(space.before).to_string())
        .attr("w:after", &twips_u(space.after).to_string())
        .attr("w:line", "240")
        .attr("w:lineRule", "auto")
}

/// No space before or after: the lines of one block (a footer, a contact's stacked lines),
/// which the PDF sets with line breaks.
fn no_space() -> Element {
    spacing(Space { before: 0.0, after: 0.0 })
}

/// A text size of `points`.
fn size(points: f32) -> [Element; 2] {
    let half = half_points(points).to_string();
    [Element::val("w:sz", &half), Element::val("w:szCs", &half)]
}

fn bold() -> [Element; 2] {
    [Element::new("w:b"), Element::new("w:bCs")]
}

fn num_pr(level: usize, num_id: usize) -> Element {
    Element::new("w:numPr")
        .with(Element::val("w:ilvl", &level.to_string()))
        .with(Element::val("w:numId", &num_id.to_string()))
}

/// A style element: `kind` (`paragraph`, `character`, `table`, `numbering`), id and name.
fn style(kind: &str, id: &str, name: &str) -> Element {
    Element::new("w:style").attr("w:type", kind).attr("w:styleId", id).with(Element::val("w:name", name))
}

/// A paragraph style based on Normal, followed by Normal, in the style gallery.
fn paragraph(id: &str, name: &str) -> Element {
    style("paragraph", id, name)
        .with(Element::val("w:basedOn", NORMAL))
        .with(Element::val("w:next", NORMAL))
        .with(Element::new("w:qFormat"))
}

fn with_all(mut element: Element, children: impl IntoIterator<Item = Element>) -> Element {
    for child in children {
        element = element.with(child);
    }
    element
}

fn border(side: &str, kind: &str, size: usize, colour: &str) -> Element {
    Element::new(side).attr("w:val", kind).attr("w:sz", &size.to_string()).attr("w:space", "0").attr("w:color", colour)
}

/// Cell margins above and below (`vertical`) and left and right (`horizontal`), in twips.
fn cell_margins(vertical: u32, horizontal: u32) -> Element {
    let side = |name: &str, width: u32| Element::new(name).attr("w:w", &width.to_string()).attr("w:type", "dxa");
    Element::new("w:tblCellMar")
        .with(side("w:top", vertical))
        .with(side("w:left", horizontal))
        .with(side("w:bottom", vertical))
        .with(side("w:right", horizontal))
}

/// The house `w:styles` element: the document defaults, then Word's default styles, the
/// paper's paragraph and character styles, and its table styles.
pub(super) fn house(settings: &HouseStyles) -> Element {
    let layout = settings.layout;
    let numbering = settings.numbering;
    let (sizes, space) = (&layout.sizes, &layout.spacing);
    with_all(
        Element::new("w:styles").attr("xmlns:w", W_NS),
        [
            doc_defaults(settings),
            normal(layout),
            default_paragraph_font(),
            table_normal(),
            no_list(),
            title(layout),
            heading(HEADING1, "heading 1", 0, space.heading1, sizes.heading1, numbering),
            heading(HEADING2, "heading 2", 1, space.heading2, sizes.heading2, numbering),
            appendix_heading(),
            numbered_para(numbering),
            list_continue(layout),
            quote(layout),
            header_field(settings.label_column),
            contact(),
            table_text(layout),
            footer(layout),
            hyperlink(settings.link),
            scorecard_table(settings.table, &layout.table),
            scorecard_key(&layout.table),
            exception_table(settings.table, &layout.table),
        ],
    )
}

/// The document defaults: the body font (the paper's, else the house style's), size and
/// language of every run, and the paragraph spacing of every paragraph.
fn doc_defaults(settings: &HouseStyles) -> Element {
    let layout = settings.layout;
    let font = settings.font.unwrap_or(settings.house_font);
    let fonts = Element::new("w:rFonts")
        .attr("w:ascii", font)
        .attr("w:hAnsi", font)
        .attr("w:eastAsia", font)
        .attr("w:cs", font);
    let lang = language(settings.language);
    Element::new("w:docDefaults")
        .with(
            Element::new("w:rPrDefault")
                .with(with_all(Element::new("w:rPr").with(fonts), size(layout.sizes.body)).with(lang)),
        )
        .with(Element::new("w:pPrDefault").with(Element::new("w:pPr").with(spacing(layout.spacing.paragraph))))
}

/// Normal, the default paragraph style.
fn normal(layout: &Layout) -> Element {
    // Widow and orphan control is said either way: without it Word's default is off.
    let widow_control = match layout.widow_control {
        true => Element::new("w:widowControl"),
        false => Element::val("w:widowControl", "0"),
    };
    style("paragraph", NORMAL, "Normal")
        .attr("w:default", "1")
        .with(Element::new("w:qFormat"))
        .with(Element::new("w:pPr").with(widow_control))
}

/// Word's Default Paragraph Font, the default character style.
fn default_paragraph_font() -> Element {
    style("character", "DefaultParagraphFont", "Default Paragraph Font")
        .attr("w:default", "1")
        .with(Element::val("w:uiPriority", "1"))
        .with(Element::new("w:semiHidden"))
        .with(Element::new("w:unhideWhenUsed"))
}

/// Word's own definition of its built-in Normal Table (what Word writes for it), for tables an
/// author adds; the paper's tables have styles of their own, from the layout.
fn table_normal() -> Element {
    style("table", "TableNormal", "Normal Table")
        .attr("w:default", "1")
        .with(Element::val("w:uiPriority", "99"))
        .with(Element::new("w:semiHidden"))
        .with(Element::new("w:unhideWhenUsed"))
        .with(
            Element::new("w:tblPr")
                .with(Element::new("w:tblInd").attr("w:w", "0").attr("w:type", "dxa"))
                .with(cell_margins(0, 108)),
        )
}

/// Word's No List, the default numbering style.
fn no_list() -> Element {
    style("numbering", "NoList", "No List")
        .attr("w:default", "1")
        .with(Element::val("w:uiPriority", "99"))
        .with(Element::new("w:semiHidden"))
        .with(Element::new("w:unhideWhenUsed"))
}

/// The masthead: the organisation's name beside the logo.
fn title(layout: &Layout) -> Element {
    paragraph(TITLE, "Title")
        .with(Element::new("w:pPr").with(spacing(layout.spacing.masthead)))
        .with(with_all(Element::new("w:rPr"), bold().into_iter().chain(size(layout.sizes.masthead))))
}

/// A heading at outline `level` (0 for Heading 1): kept with the next paragraph and whole, bold.
/// Heading 1 carries the numbering when the scheme numbers headings.
fn heading(id: &str, name: &str, level: usize, space: Space, points: f32, numbering: StyleNumbering) -> Element {
    let mut p = Element::new("w:pPr")
        .with(Element::new("w:keepNext"))
        .with(Element::new("w:keepLines"))
        .with(spacing(space))
        .with(Element::val("w:outlineLvl", &level.to_string()));
    if level == 0
        && let Some(numbered) = numbering.heading_level()
    {
        p = p.with(num_pr(numbered, numbering.num_id));
    }
    paragraph(id, name).with(p).with(with_all(Element::new("w:rPr"), bold().into_iter().chain(size(points))))
}

/// Appendix titles: a top-level heading for the navigation pane, never numbered (numId 0
/// cancels the numbering Heading 1 carries in the sectioned scheme).
fn appendix_heading() -> Element {
    style("paragraph", APPENDIX_HEADING, "Appendix Heading")
        .with(Element::val("w:basedOn", HEADING1))
        .with(Element::val("w:next", NORMAL))
        .with(Element::new("w:qFormat"))
        .with(Element::new("w:pPr").with(num_pr(0, 0)).with(Element::val("w:outlineLvl", "0")))
}

/// The numbered paragraph, which carries the numbering and is followed by another, so that an
/// author typing on gets the next number.
fn numbered_para(numbering: StyleNumbering) -> Element {
    style("paragraph", NUMBERED_PARA, "Numbered Para")
        .with(Element::val("w:basedOn", NORMAL))
        .with(Element::val("w:next", NUMBERED_PARA))
        .with(Element::new("w:qFormat"))
        .with(Element::new("w:pPr").with(num_pr(numbering.paragraph_level(), numbering.num_id)))
}

/// Lines under a numbered paragraph's text: its list, and its lines after a line break.
fn list_continue(layout: &Layout) -> Element {
    paragraph(LIST_CONTINUE, "List Continue").with(
        Element::new("w:pPr")
            .with(spacing(layout.spacing.list_item))
            .with(Element::new("w:ind").attr("w:left", &twips(layout.indents.number).to_string())),
    )
}

/// A quotation, indented from the numbered paragraphs' text on the left and from the margin on
/// the right.
fn quote(layout: &Layout) -> Element {
    let number = twips(layout.indents.number);
    paragraph(QUOTE, "Quote").with(
        Element::new("w:pPr").with(
            Element::new("w:ind")
                .attr("w:left", &(number + twips(layout.indents.quote_left)).to_string())
                .attr("w:right", &twips(layout.indents.quote_right).to_string()),
        ),
    )
}

/// A labelled line of the header block: the value starts at `label_column` (twips), and a
/// value that wraps stays in its column.
fn header_field(label_column: i32) -> Element {
    let column = label_column.to_string();
    paragraph(HEADER_FIELD, "Header Field").with(
        Element::new("w:pPr")
            .with(Element::new("w:tabs").with(Element::new("w:tab").attr("w:val", "left").attr("w:pos", &column)))
            .with(Element::new("w:ind").attr("w:left", &column).attr("w:hanging", &column)),
    )
}

/// Stacked lines of a contact block, as the PDF sets them: no space between the lines of one
/// block (the writer gives the last a paragraph's space after).
fn contact() -> Element {
    paragraph(CONTACT, "Contact Details").with(Element::new("w:pPr").with(no_space()))
}

/// The text in table cells, at the layout's table size and spacing.
fn table_text(layout: &Layout) -> Element {
    paragraph(TABLE_TEXT, "Table Text")
        .with(Element::new("w:pPr").with(spacing(layout.spacing.table_text)))
        .with(with_all(Element::new("w:rPr"), size(layout.sizes.table)))
}

/// Page numbers and the classification, two lines of one block.
fn footer(layout: &Layout) -> Element {
    style("paragraph", FOOTER, "footer")
        .with(Element::val("w:basedOn", NORMAL))
        .with(Element::val("w:uiPriority", "99"))
        .with(Element::new("w:unhideWhenUsed"))
        .with(Element::new("w:pPr").with(no_space()).with(Element::val("w:jc", "center")))
        .with(with_all(Element::new("w:rPr"), size(layout.sizes.footer)))
}

/// Links in the house link colour, underlined.
fn hyperlink(link: &str) -> Element {
    style("character", HYPERLINK, "Hyperlink")
        .with(Element::val("w:basedOn", "DefaultParagraphFont"))
        .with(Element::val("w:uiPriority", "99"))
        .with(Element::new("w:unhideWhenUsed"))
        .with(Element::new("w:rPr").with(Element::val("w:color", link)).with(Element::val("w:u", "single")))
}

/// The house rules on every side and between cells.
fn table_rules(colours: &TableColours, table: &TableLayout) -> Element {
    ["w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"]
        .into_iter()
        .fold(Element::new("w:tblBorders"), |b, side| {
            b.with(border(side, "single", eighths(table.rule), &colours.rules))
        })
}

/// The table style of exception reports: the scorecard's rules and cell margins, rows that do
/// not split, and no header row (each report's title is the paragraph above it).
fn exception_table(colours: &TableColours, table: &TableLayout) -> Element {
    style("table", super::exceptions::EXCEPTION_STYLE, "Exception Report")
        .with(Element::val("w:basedOn", "TableNormal"))
        .with(Element::val("w:uiPriority", "99"))
        .with(
            Element::new("w:tblPr")
                .with(table_rules(colours, table))
                .with(cell_margins(twips_u(table.cell_y), twips_u(table.cell_x))),
        )
        .with(Element::new("w:trPr").with(Element::new("w:cantSplit")))
}

/// The scorecard's table style: the house rules, tight cell margins, and the header row's look
/// (the house header colours, bold) as first-row conditional formatting, so the header cells
/// carry no direct formatting and an author restyles the table in one place.
fn scorecard_table(colours: &TableColours, table: &TableLayout) -> Element {
    let rules = table_rules(colours, table);
    let first_row = Element::new("w:tblStylePr")
        .attr("w:type", "firstRow")
        .with(with_all(Element::new("w:rPr"), bold()).with(Element::val("w:color", &colours.header.text)))
        .with(Element::new("w:trPr").with(Element::new("w:cantSplit")).with(Element::new("w:tblHeader")))
        .with(Element::new("w:tcPr").with(
            Element::new("w:shd").attr("w:val", "clear").attr("w:color", "auto").attr("w:fill", &colours.header.fill),
        ));
    style("table", super::scorecard::SCORECARD_STYLE, "Scorecard Table")
        .with(Element::val("w:basedOn", "TableNormal"))
        .with(Element::val("w:uiPriority", "99"))
        .with(Element::new("w:tblPr").with(rules).with(cell_margins(twips_u(table.cell_y), twips_u(table.cell_x))))
        .with(Element::new("w:trPr").with(Element::new("w:cantSplit")))
        .with(first_row)
}

/// The key's table style: no rules; half the gap between entries on each side of a cell.
fn scorecard_key(table: &TableLayout) -> Element {
    let rules = ["w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"]
        .into_iter()
        .fold(Element::new("w:tblBorders"), |b, side| b.with(border(side, "nil", 0, "auto")));
    style("table", super::scorecard::KEY_STYLE, "Scorecard Key")
        .with(Element::val("w:basedOn", "TableNormal"))
        .with(Element::val("w:uiPriority", "99"))
        .with(
            Element::new("w:tblPr")
                .with(rules)
                .with(cell_margins(twips_u(table.key_cell_y), twips_u(table.key_gap / 2.0))),
        )
}

/// `w:lang` for run defaults: spell checking, hyphenation and screen readers take the
/// language from here.
fn language(tag: &str) -> Element {
    Element::new("w:lang").attr("w:val", tag).attr("w:eastAsia", tag).attr("w:bidi", "ar-SA")
}

/// Styles whose definition is the paper's own even when a template has a style of that name.
fn is_structural(id: &str) -> bool {
    id == super::scorecard::SCORECARD_STYLE
        || id == super::scorecard::KEY_STYLE
        || id == super::exceptions::EXCEPTION_STYLE
}

/// The house styles laid over a template's `w:styles`: see the module comment for the rules.
/// `house` is [`house`]'s result; `explicit_font` is the paper's own `font:` (which then wins
/// over the template's fonts).
pub(super) fn over_template(
    mut template: Element,
    house: Element,
    settings: &HouseStyles,
    explicit_font: bool,
) -> (Element, StyleIds) {
    lay_defaults(&mut template, &house, settings, explicit_font);
    let house_styles: Vec<&Element> = house.elements().filter(|e| e.name == "w:style").collect();
    // First the mapping: each house style to the template style it matches, or a free id.
    let (matched, ids) = match_styles(&template, &house_styles);
    // Then the styles: structure laid over matched ones, the missing ones added.
    for (ours, found) in house_styles.into_iter().zip(matched) {
        match found {
            Some(index) => {
                let Node::Element(theirs) = &mut template.children[index] else { unreachable!() };
                lay_over(theirs, ours, &ids);
            }
            None => template.children.push(Node::Element(added(ours, &ids))),
        }
    }
    (template, ids)
}

/// Document defaults: the template's, with the paper's language (and font, when given); the
/// house defaults when the template has none.
fn lay_defaults(template: &mut Element, house: &Element, settings: &HouseStyles, explicit_font: bool) {
    match template.find_mut("w:docDefaults") {
        Some(defaults) => {
            let run = defaults.find_or_add("w:rPrDefault").find_or_add("w:rPr");
            let lang = run.find_or_add("w:lang");
            lang.set("w:val", settings.language);
            if explicit_font && let Some(font) = settings.font {
                let fonts = run.find_or_add("w:rFonts");
                for key in ["w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"] {
                    fonts.remove_attr(key);
                }
                for key in ["w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"] {
                    fonts.set(key, font);
                }
            }
        }
        None => {
            if let Some(defaults) = house.find("w:docDefaults") {
                template.children.insert(0, Node::Element(defaults.clone()));
            }
        }
    }
}

/// For each house style, the index in `template.children` of the template style it matches
/// (`None`: it is to be added), and the written id of every house style whose id differs: the
/// matched style's, or the house id made unique among the template's ids.
fn match_styles(template: &Element, house_styles: &[&Element]) -> (Vec<Option<usize>>, StyleIds) {
    let mut ids = StyleIds::default();
    let mut taken: Vec<String> = template
        .elements()
        .filter(|e| e.name == "w:style")
        .filter_map(|e| e.get("w:styleId"))
        .map(|i| i.into_owned())
        .collect();
    let mut matched: Vec<Option<usize>> = Vec::new();
    for ours in house_styles {
        let id = ours.get("w:styleId").unwrap_or_default().into_owned();
        let found = matching_style(template, ours);
        let written = match found {
            Some(index) => {
                let Node::Element(theirs) = &template.children[index] else { unreachable!() };
                theirs.get("w:styleId").unwrap_or_default().into_owned()
            }
            None => {
                let written = free_id(&id, &taken);
                taken.push(written.clone());
                written
            }
        };
        if written != id {
            ids.0.insert(id, written);
        }
        matched.push(found);
    }
    (matched, ids)
}

/// The index in `template.children` of the template style a house style stands for: a default
/// style (Normal …) is the template's default of that type; LibreOffice marks none, so then
/// the one of the same name.
fn matching_style(template: &Element, ours: &Element) -> Option<usize> {
    let find = |matches: &dyn Fn(&Element) -> bool| {
        template.children.iter().position(|node| match node {
            Node::Element(theirs) => theirs.name == "w:style" && matches(theirs),
            Node::Other(_) => false,
        })
    };
    match is_default(ours) {
        true => find(&|theirs| same_type(ours, theirs) && is_default(theirs)),
        false => None,
    }
    .or_else(|| find(&|theirs| same_type(ours, theirs) && same_name(ours, theirs)))
}

/// `id`, or `id` with the first number that makes it unlike every id in `taken`.
fn free_id(id: &str, taken: &[String]) -> String {
    let mut written = id.to_string();
    let mut n = 1;
    while taken.contains(&written) {
        written = format!("{id}{n}");
        n += 1;
    }
    written
}

/// Lays a house style over the template style it matched: the default mark, and either the
/// whole definition (a structural style, under the template's id) or only the numbering.
fn lay_over(theirs: &mut Element, ours: &Element, ids: &StyleIds) {
    if is_default(ours) {
        theirs.set("w:default", "1");
    }
    let id = ours.get("w:styleId").unwrap_or_default().into_owned();
    if is_structural(&id) {
        let written = theirs.get("w:styleId").unwrap_or_default().into_owned();
        *theirs = ours.clone();
        theirs.visit_mut(&mut |e| ids.rename(e));
        theirs.set("w:styleId", &written);
    } else {
        lay_numbering(theirs, ours);
    }
}

/// A house style the template lacks, with its written id. Only the house style's own
/// references are renamed: a template style may use an id the house set also uses for another
/// style.
fn added(ours: &Element, ids: &StyleIds) -> Element {
    let id = ours.get("w:styleId").unwrap_or_default().into_owned();
    let mut added = ours.clone();
    added.visit_mut(&mut |e| ids.rename(e));
    added.set("w:styleId", ids.get(&id));
    added
}

/// Whether two styles are of the same type (`paragraph`, `character`, `table`, `numbering`).
fn same_type(ours: &Element, theirs: &Element) -> bool {
    ours.get("w:type") == theirs.get("w:type")
}

/// Whether two styles have the same name: Word's built-in names (`heading 1`) are fixed
/// whatever the id and the language; compared without case, as Word writes `Heading 1` too.
fn same_name(ours: &Element, theirs: &Element) -> bool {
    let name = |e: &Element| e.find("w:name").and_then(|n| n.get("w:val")).map(|v| v.to_lowercase());
    name(ours).is_some() && name(ours) == name(theirs)
}

/// Whether a style is the default of its type (`w:default="1"`).
fn is_default(style: &Element) -> bool {
    matches!(style.get("w:default").as_deref(), Some("1" | "true" | "on"))
}

/// Gives a template style the paper's numbering: the house style's `w:numPr`, or none (then an
/// explicit numId 0 cancels numbering the template style had, so Word numbers nothing the PDF
/// does not).
fn lay_numbering(theirs: &mut Element, ours: &Element) {
    let wanted = ours.find("w:pPr").and_then(|p| p.find("w:numPr")).cloned();
    let had = theirs.find("w:pPr").is_some_and(|p| p.find("w:numPr").is_some());
    match wanted {
        Some(numbering) => theirs.find_or_add("w:pPr").replace(numbering),
        None if had => theirs.find_or_add("w:pPr").replace(num_pr(0, 0)),
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::docx::xml::Part;

    fn settings(scheme: Numbering) -> HouseStyles<'static> {
        static TABLE: std::sync::LazyLock<TableColours> = std::sync::LazyLock::new(TableColours::default);
        static STYLE: std::sync::LazyLock<crate::model::Style> = std::sync::LazyLock::new(crate::model::Style::default);
        HouseStyles {
            font: None,
            house_font: "Arial",
            language: "en-GB",
            layout: &STYLE.layout,
            label_column: 2698,
            numbering: StyleNumbering { scheme, num_id: 2 },
            table: &TABLE,
            link: "0563C1",
        }
    }

    fn find<'a>(styles: &'a Element, id: &str) -> &'a Element {
        styles.elements().find(|s| s.get("w:styleId").as_deref() == Some(id)).unwrap_or_else(|| panic!("{id}"))
    }

    fn num_id(style: &Element) -> Option<(String, String)> {
        let numbering = style.find("w:pPr")?.find("w:numPr")?;
        let val = |name: &str| numbering.find(name).and_then(|e| e.get("w:val")).map(|v| v.into_owned());
        Some((val("w:ilvl")?, val("w:numId")?))
    }

    #[test]
    fn heading_and_paragraph_styles_carry_the_numbering_of_their_scheme() {
        let sectioned = house(&settings(Numbering::Sectioned));
        assert_eq!(num_id(find(&sectioned, HEADING1)), Some(("0".into(), "2".into())));
        assert_eq!(num_id(find(&sectioned, NUMBERED_PARA)), Some(("1".into(), "2".into())));
        assert_eq!(num_id(find(&sectioned, APPENDIX_HEADING)), Some(("0".into(), "0".into())));
        assert_eq!(num_id(find(&sectioned, HEADING2)), None);
        let running = house(&settings(Numbering::Running));
        assert_eq!(num_id(find(&running, HEADING1)), None);
        assert_eq!(num_id(find(&running, NUMBERED_PARA)), Some(("0".into(), "2".into())));
        assert_eq!(find(&running, NORMAL).get("w:default").as_deref(), Some("1"));
    }

    #[test]
    fn a_template_keeps_its_looks_and_takes_the_structure() {
        let template = Part::read(
            concat!(
                r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
                r#"<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:asciiTheme="minorHAnsi" /><w:lang w:val="de-DE" /></w:rPr></w:rPrDefault></w:docDefaults>"#,
                r#"<w:style w:type="paragraph" w:default="1" w:styleId="Standard"><w:name w:val="Normal" /></w:style>"#,
                r#"<w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1" /><w:basedOn w:val="Standard" />"#,
                r#"<w:pPr><w:numPr><w:numId w:val="7" /></w:numPr></w:pPr><w:rPr><w:color w:val="005A46" /></w:rPr></w:style>"#,
                r#"<w:style w:type="paragraph" w:styleId="TableText"><w:name w:val="Council Table Text" /></w:style>"#,
                r#"<w:style w:type="paragraph" w:styleId="CouncilNote"><w:name w:val="Council Note" /></w:style>"#,
                r#"</w:styles>"#
            )
            .as_bytes(),
        )
        .unwrap();
        let settings = settings(Numbering::Running);
        let (styles, ids) = over_template(template.root, house(&settings), &settings, false);
        // The template's heading 1 keeps its colour; the running scheme numbers no heading.
        let heading = find(&styles, "berschrift1");
        assert!(heading.find("w:rPr").unwrap().find("w:color").is_some());
        assert_eq!(num_id(heading), Some(("0".into(), "0".into())));
        assert_eq!(ids.get(HEADING1), "berschrift1");
        assert_eq!(ids.get(NORMAL), "Standard");
        // Added styles point at the template's ids; a clashing id is made unique.
        assert_eq!(ids.get(TABLE_TEXT), "TableText1");
        let numbered = find(&styles, NUMBERED_PARA);
        assert_eq!(numbered.find("w:basedOn").unwrap().get("w:val").as_deref(), Some("Standard"));
        let appendix = find(&styles, APPENDIX_HEADING);
        assert_eq!(appendix.find("w:basedOn").unwrap().get("w:val").as_deref(), Some("berschrift1"));
        find(&styles, "CouncilNote");
        find(&styles, super::super::scorecard::SCORECARD_STYLE);
        // The paper's language; the template's theme fonts stay.
        let defaults = styles.find("w:docDefaults").unwrap().find("w:rPrDefault").unwrap().find("w:rPr").unwrap();
        assert_eq!(defaults.find("w:lang").unwrap().get("w:val").as_deref(), Some("en-GB"));
        assert_eq!(defaults.find("w:rFonts").unwrap().get("w:asciiTheme").as_deref(), Some("minorHAnsi"));
    }

    #[test]
    fn a_template_that_marks_no_default_style_keeps_its_normal_as_the_default() {
        // LibreOffice writes Normal without `w:default`.
        let template = Part::read(
            concat!(
                r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
                r#"<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal" /></w:style></w:styles>"#
            )
            .as_bytes(),
        )
        .unwrap();
        let settings = settings(Numbering::Sectioned);
        let (styles, ids) = over_template(template.root, house(&settings), &settings, false);
        assert_eq!(ids.get(NORMAL), NORMAL);
        assert_eq!(find(&styles, NORMAL).get("w:default").as_deref(), Some("1"));
        let normals =
            styles.elements().filter(|s| s.find("w:name").and_then(|n| n.get("w:val")).as_deref() == Some("Normal"));
        assert_eq!(normals.count(), 1, "one Normal");
    }
}
