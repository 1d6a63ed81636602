//! The document model: the one structure both renderers read.
//!
//! In: nothing but plain data, built by [`crate::build_paper`] from the resolved paper file and the
//! rated scorecard. Out: a [`Paper`] that serialises to JSON for the typst template
//! (`report-templates/committee-paper.typ` reads it as `/paper.json`) and that the DOCX renderer
//! walks directly. Neither renderer looks at the YAML or the workbook, so the PDF and the DOCX can
//! never disagree about what the paper says.
//!
//! Everything here is already decided: paragraph numbers as printed, values formatted, RAG
//! ratings settled, each rating's and arrow's colours taken from the house style, the words
//! beside the arrows, the sentence describing each trend and the totals sentence. Renderers only
//! place what they are given: no number or date formatting, no string splitting, no defaults of
//! their own.

use serde::{Serialize, Serializer};

pub use crate::config::{ContactStyle, Numbering};
pub use crate::scorecard::{Align, ColumnKey, Direction, Rag, Totals};

/// A whole committee paper.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Paper {
    /// Document metadata (PDF info / XMP, DOCX core properties).
    pub meta: Meta,
    /// The header block: From / To / Date / Subject / Classification …, in display order.
    pub header: Vec<HeaderField>,
    /// The labelled blocks under the header: Summary, Recommendation(s).
    pub front: Vec<FrontBlock>,
    /// How body paragraphs are numbered; the numbers themselves are already in the blocks.
    pub numbering: Numbering,
    /// Headed sections of the body.
    pub sections: Vec<Section>,
    /// Appendices, each starting on a new page.
    pub appendices: Vec<Appendix>,
    /// The house style: organisation, logo, font, RAG colours, paper size.
    pub style: Style,
}

/// Document metadata.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Meta {
    /// The document title: the paper's subject as plain text.
    pub title: String,
    /// Authors: the names in the From field.
    pub authors: Vec<String>,
    /// The authors as one line, for the documents' metadata (PDF Author and XMP creator, DOCX
    /// creator): `Roger Gough; Andrew Ireland`.
    pub author: String,
    /// The meeting date; the only date that reaches the outputs. The template sees it as
    /// `(year, month, day)`.
    #[serde(serialize_with = "date_parts")]
    pub date: chrono::NaiveDate,
    /// The meeting date as printed (`28 August 2014`).
    pub date_display: String,
    /// The classification, printed in every page footer.
    pub classification: String,
    /// BCP 47 language tag; always `en-GB` for now.
    pub language: String,
    /// The committee or panel the paper goes to, plain text (DOCX subject / PDF keywords).
    pub committee: String,
}

/// One row of the header block, e.g. `From:` with one line per person.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct HeaderField {
    /// The label without its colon: `From`, `To`, `Date`, `Subject`, `Classification` …
    pub label: String,
    /// One or more lines of value.
    pub lines: Vec<Text>,
    /// Whether the whole value is set in bold (the 2014 paper bolds the subject).
    pub strong: bool,
}

/// A labelled block under the header, e.g. `Summary: …`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FrontBlock {
    /// `Summary`, `Recommendation`, `Recommendations`.
    pub label: String,
    /// One paragraph, or several (then numbered 1, 2, 3 as a list).
    pub paragraphs: Vec<Text>,
    /// Whether the paragraphs are a numbered list (several recommendations).
    pub numbered: bool,
}

/// A headed section of the body.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Section {
    /// The heading number in the sectioned scheme; `None` otherwise.
    pub number: Option<Number>,
    /// The heading text; `None` for a section that only continues the flow.
    pub heading: Option<Text>,
    /// 1 for a main heading, 2 for a sub-heading.
    pub level: u8,
    /// The content.
    pub blocks: Vec<Block>,
}

/// A block of body content.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Block {
    /// A paragraph, numbered or not, possibly carrying a list and a quotation.
    Paragraph(Paragraph),
    /// Contact details.
    Contacts(Contacts),
    /// Background documents.
    BackgroundDocuments(BackgroundDocuments),
    /// The exception reports of a scorecard, placed in the body by the paper file.
    Exceptions(Exceptions),
}

/// A body paragraph.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Paragraph {
    /// The paragraph number; `None` if unnumbered.
    pub number: Option<Number>,
    /// The paragraph text.
    pub text: Text,
    /// A list that belongs to the paragraph (e.g. the Green / Amber / Red definitions).
    pub list: Vec<Text>,
    /// A quotation set off below the paragraph text.
    pub quote: Option<Text>,
}

/// A heading or paragraph number: as printed, and as the counters that make it (for Word's
/// numbering, which counts rather than types).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Number {
    /// As printed: `3.` (running), `2.1` (sectioned paragraph), `1.` (sectioned heading).
    pub printed: String,
    /// The counters: `[3]`, `[2, 1]`, `[1]`.
    #[serde(skip)]
    pub parts: Vec<u32>,
}

/// Contact details, in one of the two layouts of the references.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Contacts {
    pub style: ContactStyle,
    /// The people.
    pub people: Vec<Contact>,
}

/// One contact.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Contact {
    /// A role label such as `Lead Officer`.
    pub label: Option<String>,
    pub name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// Background documents.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BackgroundDocuments {
    /// `true`: printed as one labelled line `Background Documents: …` (2014, no heading);
    /// `false`: one paragraph per document under the section heading (2017).
    pub labelled: bool,
    /// The documents; when empty the renderers print `None`.
    pub items: Vec<Text>,
}

/// An appendix. Each starts on a new page.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Appendix {
    /// The full title, e.g. `Appendix A – SCS Monthly Performance Report – July 2014`.
    pub title: String,
    /// Whether the appendix is set on landscape pages (wide tables).
    pub landscape: bool,
    /// Paragraphs before the table.
    pub intro: Vec<Text>,
    /// The scorecard table, if the appendix has one.
    pub scorecard: Option<ScorecardTable>,
    /// Set when the appendix is exempt information (see [`exempt`]).
    pub exempt: Option<exempt::Exemption>,
    /// Printed in the header and footer of the appendix's pages: "NOT FOR PUBLICATION" on an
    /// exempt appendix in the full version of a paper ([`Paper::full`]); `None` otherwise.
    pub marking: Option<String>,
    /// The scorecard's exception reports, printed after the table on a page of their own,
    /// unless a body section places them.
    pub exceptions: Option<Exceptions>,
}

/// The exception reports of a scorecard: one for each Red indicator and, when the paper asks,
/// each Amber indicator that worsened since the previous period.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Exceptions {
    /// `Exception reports`, a sub-heading of the appendix; `None` in a body section, whose own
    /// heading names them.
    pub heading: Option<String>,
    /// What the reports cover and how many there are: `There is an exception report for each
    /// indicator rated Red: 4 reports.`, or why there are none.
    pub intro: String,
    pub reports: Vec<ExceptionReport>,
}

/// One indicator's exception report: its title, then a label and a value a row.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ExceptionReport {
    /// `SCS05 Core assessments completed within 35 working days`.
    pub title: String,
    /// What the table holds, for readers who cannot see it (the PDF table's summary, the Word
    /// table's description).
    pub summary: String,
    /// Rating, Performance, Direction of travel, Commentary, Action, Owner.
    pub rows: Vec<ExceptionRow>,
}

/// A row of an exception report: a label (a row header) and its value, a cell decided like the
/// scorecard's (the rating's colours and word, the direction's arrow and word).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ExceptionRow {
    pub label: String,
    pub value: Cell,
}

/// A scorecard ready to print: columns, grouped rows of formatted cells, and the key.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ScorecardTable {
    /// The data period, e.g. `July 2014`, if known.
    pub period: Option<String>,
    /// The columns in display order.
    pub columns: Vec<Column>,
    /// Rows grouped by section; a group without a name has no section header row.
    pub groups: Vec<RowGroup>,
    /// The key under the table: what the colours, arrows and period types mean.
    pub key: Vec<KeyEntry>,
    /// Counts of each rating.
    pub totals: Totals,
    /// The totals (`Green 6, Amber 6, Red 4, N/A 2, not rated 8`), printed in [`Self::totals_line`];
    /// `None` when nothing is rated.
    pub totals_sentence: Option<String>,
    /// How the ratings moved since the previous period (`2 indicators moved to Red, 3 improved
    /// their rating`); `None` when no indicator has a rating in both periods.
    pub moves_sentence: Option<String>,
    /// The line under the key, as printed: `**Totals:** Green 6, … not rated 8. **Since the
    /// previous period:** 2 indicators moved to Red, …` — one paragraph, so that the moves take
    /// no room of their own where the line fits; `None` when there is neither.
    pub totals_line: Option<Text>,
    /// What the table holds and how it is laid out, for readers who cannot see it: the PDF
    /// table's summary and the Word table's description.
    pub summary: String,
}

/// A table column.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Column {
    pub key: ColumnKey,
    /// The header text.
    pub label: String,
    /// Horizontal alignment of the cells.
    pub align: Align,
    /// Relative width (the renderers scale widths to the page).
    pub width: f32,
    /// Set on the columns that name a row (Ref, then Indicator): the nesting level of their cells
    /// as row headers, so that assistive technology reads each value with its indicator.
    pub row_header: Option<u32>,
    /// Whether a word of the column (its label or a cell) is wider than the column on its page:
    /// then it may break inside words. Word and LibreOffice break such a word at any letter by
    /// themselves; the PDF hyphenates it. Elsewhere neither file hyphenates, so lines break alike.
    pub break_words: bool,
}

/// A section of the scorecard.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RowGroup {
    /// The section name (`Early Help`), printed as a full-width row.
    pub name: Option<String>,
    pub rows: Vec<Row>,
}

/// One indicator row; `cells` line up with [`ScorecardTable::columns`].
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Row {
    pub cells: Vec<Cell>,
}

/// A table cell: the text as printed, plus what a renderer needs to colour or draw it.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Cell {
    /// The text as printed; for a direction cell the arrow and the word (`▼ Worsened`). Never
    /// empty for RAG and direction cells: colour is never the only carrier of meaning.
    pub text: String,
    /// RAG cells: the rating and its colours.
    pub rag: Option<RagMark>,
    /// Direction-of-travel cells: the arrow and the word, apart.
    pub travel: Option<TravelMark>,
    /// Trend cells: the points and the sentence that says what they show.
    pub trend: Option<Trend>,
}

impl Cell {
    /// A plain text cell.
    pub fn text(text: impl Into<String>) -> Self {
        Cell { text: text.into(), ..Cell::default() }
    }
}

/// A RAG rating with its colours from the house style.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RagMark {
    pub rating: Rag,
    /// Cell fill and text colour, six hex digits each; `None` for an unrated (activity)
    /// indicator, which is not coloured.
    pub colours: Option<Colours>,
}

/// A direction of travel as printed: an arrow that follows the number (decoration, in its
/// colour) and the word that carries the judgement.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TravelMark {
    pub direction: Direction,
    /// `▲`, `▼` or `►`; `None` when there is nothing to compare.
    pub arrow: Option<String>,
    /// The arrow's colour, six hex digits: the house green for improved, red for worsened,
    /// neutral grey otherwise.
    pub colour: String,
    /// `Improved`, `Worsened`, `No change`, `Increased`, `Decreased`, or `–`.
    pub word: String,
}

/// A trend: the last points of the monthly series, what they show in words, and the line that
/// draws them.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Trend {
    /// Oldest first; `None` is a month without a value.
    pub points: Vec<Option<f64>>,
    /// `Trend over 12 months: from 71.5% in August 2013 to 68.9% in July 2014; lowest 65.2%,
    /// highest 74.0%`: the alternative text of the drawing.
    pub description: String,
    /// The drawing of the points; `None` when no month has a value.
    pub sparkline: Option<Sparkline>,
}

impl Trend {
    /// A trend of `points` (a non-finite value counts as a month without one), with its drawing.
    pub fn new(points: Vec<Option<f64>>, description: String) -> Self {
        let sparkline = Sparkline::of(&points);
        Trend { points, description, sparkline }
    }
}

/// A trend's line, scaled into a unit box, so both renderers draw the same shape at their own
/// size (typst's curve in the PDF, a picture in the DOCX) and neither works out the scale: x runs
/// from 0 at the oldest month to 1 at the newest (a single month sits at 0.5), y from 0 at the
/// highest value to 1 at the lowest (a flat line sits at 0.5). Deciding it here also spares the
/// template the arithmetic, which typst would otherwise evaluate for every trend cell of every
/// paper.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Sparkline {
    /// Runs of consecutive months that have values, oldest first, `[x, y]` each: a run of two or
    /// more points is drawn as one line; a run of one point (no known neighbour) as a dot, so
    /// that it is not lost.
    pub runs: Vec<Vec<[f64; 2]>>,
    /// The newest known point, marked with a larger dot.
    pub last: [f64; 2],
}

impl Sparkline {
    /// The drawing of `points`; `None` when none is known (finite).
    pub fn of(points: &[Option<f64>]) -> Option<Sparkline> {
        let known: Vec<(usize, f64)> =
            points.iter().enumerate().filter_map(|(i, p)| p.filter(|v| v.is_finite()).map(|v| (i, v))).collect();
        let &(last_index, last_value) = known.last()?;
        let lo = known.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
        let hi = known.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
        let n = points.len();
        let x = |i: usize| if n > 1 { i as f64 / (n - 1) as f64 } else { 0.5 };
        let y = |v: f64| if hi > lo { (hi - v) / (hi - lo) } else { 0.5 };
        let mut runs: Vec<Vec<[f64; 2]>> = Vec::new();
        let mut previous = None;
        for &(i, v) in &known {
            let point = [x(i), y(v)];
            match runs.last_mut() {
                Some(run) if previous == Some(i.wrapping_sub(1)) => run.push(point),
                _ => runs.push(vec![point]),
            }
            previous = Some(i);
        }
        Some(Sparkline { runs, last: [x(last_index), y(last_value)] })
    }
}

/// One entry of the key under a scorecard.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct KeyEntry {
    /// The term as printed (`Green`, `▲ Improved`, `R12M`).
    pub term: String,
    /// Set when the term is a RAG rating, so the key shows the same colours as the table.
    pub rag: Option<RagMark>,
    /// Set when the term is a direction, so the key shows the same arrow.
    pub travel: Option<TravelMark>,
    /// What it means.
    pub meaning: String,
}

/// Inline text: a sequence of runs and line breaks.
pub type Text = Vec<Inline>;

/// A piece of inline text.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Inline {
    /// A run of text with uniform formatting.
    Run {
        text: String,
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        bold: bool,
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        italic: bool,
        /// A hyperlink target (`https://…`, `mailto:…`).
        #[serde(skip_serializing_if = "Option::is_none")]
        link: Option<String>,
    },
    /// A line break within the paragraph.
    Break,
}

impl Inline {
    /// A plain run.
    pub fn plain(text: impl Into<String>) -> Self {
        Inline::Run { text: text.into(), bold: false, italic: false, link: None }
    }
}

/// The text of inline content without formatting (metadata, tests).
pub fn plain_text(text: &[Inline]) -> String {
    let mut out = String::new();
    for inline in text {
        match inline {
            Inline::Run { text, .. } => out.push_str(text),
            Inline::Break => out.push('\n'),
        }
    }
    out
}

pub mod build;
pub mod deadline;
pub mod exceptions;
pub mod exempt;
pub mod layout;
pub mod pack;
pub mod scorecard;
pub mod style;
pub use layout::Layout;
pub use style::{Colours, Style};
#[cfg(test)]
pub mod sample;
pub mod text;

/// The meeting date for the template: `(year, month, day)`, which typst's `datetime` takes.
fn date_parts<S: Serializer>(date: &chrono::NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
    use chrono::Datelike;
    use serde::ser::SerializeStruct;
    let mut parts = serializer.serialize_struct("Date", 3)?;
    parts.serialize_field("year", &date.year())?;
    parts.serialize_field("month", &date.month())?;
    parts.serialize_field("day", &date.day())?;
    parts.end()
}
