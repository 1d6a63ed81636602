//! The page geometry both renderers use: one set of numbers, so the PDF and the DOCX look and
//! paginate alike, and a change of house style moves both files.
//!
//! In: the header labels, the numbering scheme and the font of a paper. Out: a [`Layout`] on the
//! paper's [`super::Style`], which the typst template reads as `paper.style.layout` and the DOCX
//! writer converts to twentieths of a point, half-points and EMUs.
//!
//! Every length is in points. The spacing follows the word processors' model, which the DOCX
//! writes as it is: a paragraph has space *before* and *after*, and between two paragraphs the
//! larger of the first's after and the second's before applies (as LibreOffice lays out a DOCX,
//! and as typst's block spacing works). A line is "single": the house font's ascent, descent and
//! line gap ([`Line`]), as Word and LibreOffice set Arial and Liberation Sans.

use serde::Serialize;

use crate::config::Numbering;
use crate::config::style::PaperSize;

/// Word's unit, in points: lengths are chosen on its grid so that the DOCX holds them exactly.
const TWIP: f32 = 1.0 / 20.0;
/// The separator between the names of several authors (Word's own, in its Author field).
pub const PEOPLE_SEPARATOR: &str = "; ";

/// The geometry of a paper.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Layout {
    pub margins: Margins,
    pub sizes: Sizes,
    pub line: Line,
    pub spacing: Spacing,
    pub indents: Indents,
    /// Where the values of the header block (From, To, Date …) start: past the widest label.
    pub label_column: f32,
    /// The rules above and below the header block and under the front blocks.
    pub rule: Rule,
    pub table: TableLayout,
    /// The height of the logo in the masthead; its width follows its aspect ratio.
    pub logo_height: f32,
    /// Whether a paragraph may leave one line alone at the foot or head of a page: not, as
    /// Word's own Normal style has it (a DOCX must say so; Word's default without it is off).
    pub widow_control: bool,
    /// Between the items of a list printed on one line (`Background Documents: A; B`).
    pub list_separator: String,
}

/// Page margins; the page size is the style's `paper_size`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Margins {
    pub top: f32,
    pub bottom: f32,
    pub left: f32,
    pub right: f32,
    /// From the bottom edge of the page to the foot of the footer.
    pub footer: f32,
    /// From the top edge to the (empty) page header, for Word's section settings.
    pub header: f32,
}

/// Text sizes.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Sizes {
    /// Body text: 12 pt, as council style guides ask.
    pub body: f32,
    /// Scorecard tables, their key and totals.
    pub table: f32,
    /// The page footer.
    pub footer: f32,
    pub heading1: f32,
    pub heading2: f32,
    /// The organisation's name in the masthead.
    pub masthead: f32,
}

/// One line of text, in ems of its size: Word's "single" spacing.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Line {
    /// From the top of one line to the top of the next.
    pub height: f32,
    /// From the top of the line to its baseline.
    pub baseline: f32,
}

/// Space before and after a kind of paragraph.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Space {
    pub before: f32,
    pub after: f32,
}

/// Vertical spacing.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Spacing {
    /// Every body paragraph, header row and front block.
    pub paragraph: Space,
    /// The lines of a paragraph's list (the Green / Amber / Red definitions): `after` between
    /// them; the last is followed by a paragraph's space.
    pub list_item: Space,
    pub heading1: Space,
    pub heading2: Space,
    /// The line naming the key under a scorecard, and the line of totals.
    pub table_note: Space,
    /// Below the masthead.
    pub masthead: Space,
    /// A paragraph inside a table cell.
    pub table_text: Space,
}

/// Horizontal indents from the left margin (or, for a quotation, from its paragraph's text).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Indents {
    /// Where the text of a numbered paragraph starts; its number hangs to the left of it.
    pub number: f32,
    /// Where unnumbered body content starts (background documents, contact details, a
    /// paragraph without a number): under the heading text when headings are numbered
    /// (the 2017 paper), at the margin otherwise.
    pub unnumbered: f32,
    /// A quotation's extra indent on the left, from its paragraph's text.
    pub quote_left: f32,
    /// A quotation's indent from the right margin.
    pub quote_right: f32,
}

/// A horizontal rule.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Rule {
    /// The line's weight.
    pub width: f32,
    /// Between the rule and the text it borders.
    pub gap: f32,
    /// Six hex digits.
    pub colour: String,
}

/// Scorecard tables.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TableLayout {
    /// Cell padding left and right.
    pub cell_x: f32,
    /// Cell padding above and below.
    pub cell_y: f32,
    /// The weight of the lines between cells.
    pub rule: f32,
    /// The width of a term column of the key.
    pub key_term: f32,
    /// How many entries of the key share a row (three keep it short enough to share the
    /// table's last page).
    pub key_per_row: usize,
    /// Between a key term and its meaning, and between one entry and the next.
    pub key_gap: f32,
    /// Padding above and below an entry of the key (it has no rules to clear).
    pub key_cell_y: f32,
    /// The trend drawing in a cell: its box, the weight of its line, the radius of the dot on
    /// the last point and of a point with no neighbour to join.
    pub sparkline_width: f32,
    pub sparkline_height: f32,
    pub sparkline_line: f32,
    pub sparkline_dot: f32,
    pub sparkline_lone_dot: f32,
    /// The label column of an exception report (`Direction of travel` in bold at the table's
    /// size, and its padding).
    pub exception_label: f32,
}

/// The short and long sides of a sheet, in points (on Word's grid: A4 is 11906 × 16838 twips).
pub fn paper_sides(size: PaperSize) -> (f32, f32) {
    match size {
        PaperSize::A4 => (11906.0 * TWIP, 16838.0 * TWIP),
        PaperSize::Letter => (612.0, 792.0),
    }
}

/// Points in `cm` centimetres, on Word's grid of twentieths of a point.
fn cm(cm: f32) -> f32 {
    (cm / 2.54 * 72.0 / TWIP).round() * TWIP
}

/// Body text size, which the label column is measured at.
const BODY: f32 = 12.0;

impl Layout {
    /// The house layout for a paper with these header labels (without their colons), numbering
    /// scheme and font (the family the DOCX names).
    pub fn new<'a>(labels: impl Iterator<Item = &'a str>, numbering: Numbering, arial_metrics: bool) -> Layout {
        let number = cm(1.27);
        Layout {
            margins: Margins {
                top: cm(2.2),
                bottom: cm(2.5),
                left: cm(2.2),
                right: cm(2.2),
                footer: cm(1.0),
                header: cm(1.25),
            },
            sizes: Sizes { body: BODY, table: 8.0, footer: 9.0, heading1: 13.0, heading2: BODY, masthead: 14.0 },
            // Arial's (and Liberation Sans') ascent 1854, descent 434 and line gap 67 in 2048
            // units a em: Word and LibreOffice put the gap above the ascent.
            line: Line { height: (1854.0 + 434.0 + 67.0) / 2048.0, baseline: (1854.0 + 67.0) / 2048.0 },
            spacing: Spacing {
                paragraph: Space { before: 0.0, after: 6.0 },
                list_item: Space { before: 0.0, after: 4.0 },
                heading1: Space { before: 18.0, after: 6.0 },
                heading2: Space { before: 12.0, after: 6.0 },
                table_note: Space { before: 8.0, after: 2.0 },
                masthead: Space { before: 0.0, after: 12.0 },
                table_text: Space { before: 0.0, after: 0.0 },
            },
            indents: Indents {
                number,
                unnumbered: if numbering == Numbering::Sectioned { number } else { 0.0 },
                quote_left: cm(0.73),
                quote_right: cm(1.0),
            },
            label_column: label_column(labels, arial_metrics),
            rule: Rule { width: 1.0, gap: 6.0, colour: "000000".into() },
            table: TableLayout {
                cell_x: 2.85,
                cell_y: 2.0,
                rule: 0.5,
                key_term: cm(1.75),
                key_per_row: 3,
                key_gap: 6.0,
                key_cell_y: 1.0,
                sparkline_width: cm(1.6),
                sparkline_height: cm(0.5),
                sparkline_line: 0.8,
                sparkline_dot: 1.5,
                sparkline_lone_dot: 0.9,
                exception_label: cm(3.0),
            },
            logo_height: cm(1.5),
            widow_control: true,
            list_separator: "; ".into(),
        }
    }

    /// The width between the margins of a page.
    pub fn text_width(&self, paper: PaperSize, landscape: bool) -> f32 {
        let (short, long) = paper_sides(paper);
        (if landscape { long } else { short }) - self.margins.left - self.margins.right
    }
}

/// The width of a text set in the house font (Arial's metrics, which Liberation Sans shares) at
/// `size` points; characters outside ASCII count as a wide letter.
pub fn text_width(text: &str, size: f32, bold: bool) -> f32 {
    let table = if bold { &ARIAL_BOLD } else { &ARIAL };
    let thousandths: u32 = text.chars().map(|c| u32::from(advance(table, c))).sum();
    thousandths as f32 * size / 1000.0
}

/// The advance of a character in a table of ASCII widths, in thousandths of an em.
fn advance(table: &[u16; 95], c: char) -> u16 {
    if (' '..='~').contains(&c) { table[c as usize - 32] } else { 722 }
}

/// Families whose advance widths are Arial's: Arial itself, the faces made to match it, and
/// Helvetica, whose widths Arial was made to match.
const ARIAL_METRICS: [&str; 4] = ["Arial", "Liberation Sans", "Arimo", "Helvetica"];

/// Whether text set in `font` breaks where it would in Arial (the widths [`text_width`] knows).
pub fn has_arial_metrics(font: &str) -> bool {
    ARIAL_METRICS.iter().any(|f| f.eq_ignore_ascii_case(font.trim()))
}

/// Where header values start: past the widest label (with its colon) in bold body text, plus a
/// gutter of 1.5 em, rounded up to a quarter centimetre. Widths are Arial Bold's (Liberation
/// Sans Bold has the same); for another font a fifth is added, since a value pushed to the next
/// tab stop in Word looks broken. [`Layout::new`] decides it for the paper's font; the DOCX asks
/// again only when a council's Word template sets the text in a font of its own.
pub fn label_column<'a>(labels: impl Iterator<Item = &'a str>, arial_metrics: bool) -> f32 {
    let widest = labels.map(|label| text_width(&format!("{label}:"), BODY, true)).fold(0.0, f32::max);
    let mut width = widest;
    if !arial_metrics {
        width *= 1.2;
    }
    let quarter = cm(0.25);
    ((width + 1.5 * BODY) / quarter).ceil() * quarter
}

/// Advance widths of the printable ASCII characters (space to `~`) in Arial, in thousandths of
/// an em (`render::pdf`'s tests check them against the embedded Liberation Sans).
pub const ARIAL: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833,
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556,
    556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334,
    260, 334, 584,
];

/// The same in Arial Bold.
pub const ARIAL_BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833,
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611,
    556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389,
    280, 389, 584,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_sit_on_words_grid() {
        let layout = Layout::new(["From", "Classification"].into_iter(), Numbering::Running, true);
        for length in [layout.margins.top, layout.margins.bottom, layout.indents.number, layout.label_column] {
            let twips = length / TWIP;
            assert!((twips - twips.round()).abs() < 1e-3, "{length} pt is not a whole number of twips");
        }
        assert_eq!(layout.margins.top / TWIP, 1247.0);
        assert_eq!(layout.indents.number / TWIP, 720.0);
    }

    #[test]
    fn the_label_column_clears_the_widest_label() {
        let arial = Layout::new(["From", "Classification"].into_iter(), Numbering::Running, true).label_column;
        // "Classification:" in Arial Bold 12 pt is 84.7 pt; with the 18 pt gutter, 102.7 pt,
        // rounded up to 15 quarter centimetres.
        assert!((arial - cm(0.25) * 15.0).abs() < 0.01, "{arial}");
        let short = Layout::new(["To"].into_iter(), Numbering::Running, true).label_column;
        assert!(short < arial);
        let other = Layout::new(["From", "Classification"].into_iter(), Numbering::Running, false).label_column;
        assert!(other > arial, "another font gets room to spare");
    }

    #[test]
    fn arial_metrics_are_known_by_family_name() {
        for font in ["Arial", "liberation sans", " Arimo ", "Helvetica"] {
            assert!(has_arial_metrics(font), "{font}");
        }
        for font in ["Verdana", "DejaVu Sans", "Arial Narrow", ""] {
            assert!(!has_arial_metrics(font), "{font}");
        }
    }

    #[test]
    fn unnumbered_content_lines_up_with_numbered_headings() {
        let sectioned = Layout::new(std::iter::empty(), Numbering::Sectioned, true);
        assert_eq!(sectioned.indents.unnumbered, sectioned.indents.number);
        assert_eq!(Layout::new(std::iter::empty(), Numbering::Running, true).indents.unnumbered, 0.0);
    }
}
