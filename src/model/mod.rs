//! The document model: the one structure both renderers read.
//!
//! In: nothing but plain data, built by [`crate::build_paper`] from the resolved paper file and the
//! rated scorecard. Out: a [`Paper`] that serialises to JSON for the typst template
//! (`report-templates/committee-paper.typ` reads it as `/paper.json`) and that the DOCX renderer
//! walks directly. Neither renderer looks at the YAML or the workbook, so the PDF and the DOCX can
//! never disagree about what the paper says.
//!
//! Everything here is already decided: paragraph numbers are computed, values are formatted,
//! RAG ratings are settled. Renderers only choose how things look.

use serde::Serialize;

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
    /// The meeting date, ISO 8601 (`2014-08-28`); the only date that reaches the outputs.
    pub date: String,
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

/// Paragraph numbering schemes found in the reference papers.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Numbering {
    /// 1, 2, 3 … running across all sections; section headings are not numbered (2014 paper).
    Running,
    /// Section headings 1, 2, 3 …; paragraphs 1.1, 1.2, 2.1 … (2017 paper).
    Sectioned,
}

/// A headed section of the body.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Section {
    /// The heading number as printed (`1.`) in the sectioned scheme; `None` otherwise.
    pub number: Option<String>,
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
}

/// A body paragraph.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Paragraph {
    /// The number as printed without trailing punctuation (`3`, `2.1`); `None` if unnumbered.
    pub number: Option<String>,
    /// The paragraph text.
    pub text: Text,
    /// A list that belongs to the paragraph (e.g. the Green / Amber / Red definitions).
    pub list: Vec<Text>,
    /// A quotation set off below the paragraph text.
    pub quote: Option<Text>,
}

/// Contact details, in one of the two layouts of the references.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Contacts {
    /// `labelled`: `Name: …`, `Title: …`, `Tel No: …`, `Email: …` (2014);
    /// `stacked`: label line, then name, title, phone, email on lines of their own (2017).
    pub style: ContactStyle,
    /// The people.
    pub people: Vec<Contact>,
}

/// Layout of contact details.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ContactStyle {
    /// One labelled line per field.
    Labelled,
    /// A role label, then the fields on lines of their own.
    Stacked,
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
    /// Counts of each rating, for a summary line.
    pub totals: Totals,
}

/// A table column.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Column {
    /// A stable identifier: `ref`, `indicator`, `polarity`, `period`, `previous`, `current`,
    /// `target`, `floor`, `rag`, `direction`, `england`, `neighbours`, `trend`, `commentary`,
    /// or `extra` for a workbook column shown as it is.
    pub key: String,
    /// The header text.
    pub label: String,
    /// Horizontal alignment of the cells.
    pub align: Align,
    /// Relative width (the renderers scale widths to the page).
    pub width: f32,
}

/// Horizontal alignment.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Align {
    Left,
    Center,
    Right,
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

/// A table cell: always a text, plus what a renderer needs to colour or draw it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Cell {
    /// The text as printed. Never empty for RAG and direction cells: colour is never the only
    /// carrier of meaning.
    pub text: String,
    /// Set on RAG cells.
    pub rag: Option<Rag>,
    /// Set on direction-of-travel cells.
    pub direction: Option<Direction>,
    /// Set on trend cells: the last points of the monthly series, oldest first (`None` = gap).
    pub trend: Option<Vec<Option<f64>>>,
}

impl Cell {
    /// A plain text cell.
    pub fn text(text: impl Into<String>) -> Self {
        Cell { text: text.into(), rag: None, direction: None, trend: None }
    }
}

/// A RAG rating as the renderers see it.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Rag {
    Green,
    Amber,
    Red,
    /// No current value: "N/A – data not available", grey.
    Na,
    /// No target: an activity indicator, not rated, not coloured.
    None,
}

impl Direction {
    /// Every direction, in the order the key lists them.
    pub const ALL: [Direction; 6] = [
        Direction::Improved,
        Direction::Worsened,
        Direction::Unchanged,
        Direction::Increased,
        Direction::Decreased,
        Direction::Na,
    ];
}

/// Direction of travel as the renderers see it.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    Improved,
    Worsened,
    Unchanged,
    /// Activity indicators (no polarity): up, neutral colour.
    Increased,
    /// Activity indicators (no polarity): down, neutral colour.
    Decreased,
    /// No previous or no current value.
    Na,
}

/// One entry of the key under a scorecard.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct KeyEntry {
    /// The term as printed (`Green`, `▲ Improved`, `R12M`).
    pub term: String,
    /// Set when the term is a RAG rating, so the key shows the same colour as the table.
    pub rag: Option<Rag>,
    /// Set when the term is a direction, so the key shows the same arrow.
    pub direction: Option<Direction>,
    /// What it means.
    pub meaning: String,
}

/// Counts of each rating in a scorecard.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Totals {
    pub green: usize,
    pub amber: usize,
    pub red: usize,
    pub na: usize,
    pub none: usize,
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
pub mod exempt;
pub mod pack;
pub mod style;
pub use style::Style;
#[doc(hidden)]
pub mod sample;
pub mod text;
