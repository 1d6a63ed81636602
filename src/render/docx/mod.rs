//! DOCX: the document model in, the bytes of a Word document out, built with docx-rs.
//!
//! The layout follows the reference papers: a header block of labelled lines between rules,
//! the Summary and Recommendation blocks, headed sections of numbered paragraphs, contact
//! details and background documents, then each appendix on a new page (landscape sections for
//! wide scorecards). Everything an author may want to edit in Word is real Word structure:
//! named styles that carry the formatting (`heading 1`/`heading 2` with outline levels for the
//! navigation pane, a numbered-paragraph style and Heading 1 that carry the numbering, a
//! scorecard table style that carries the header row's look), paragraphs rather than manual
//! line breaks, keep-with-next where a heading or lead-in must not be parted from what follows,
//! a section break in a paragraph of its own, a header row that repeats on each page,
//! PAGE/NUMPAGES fields in the footer, and core properties from the paper's metadata.
//!
//! The files: this one writes the body (docx-rs paragraphs and tables, ids of our own);
//! `scorecard` and `picture` the appendix tables and their pictures; `numbering` plans the
//! Word numbering; `styles` the styles part; `template` reads a council's Word template
//! (`style: word-template:`); `assemble` puts the parts together, `schema_order` puts every
//! part in the element order Word insists on, and `package` writes the zip.
//!
//! docx-rs cannot say everything (document language, repeating header rows, table style
//! conditional formatting, core properties, alternative text of pictures) and is not
//! deterministic everywhere (hyperlink ids from a global counter, relationships from a HashMap,
//! paragraph and picture ids from counters); the package step writes those parts itself and
//! this module assigns its own ids, so the same paper always gives the same bytes.
//!
//! The house style ([`crate::model::Style`]) decides the font, the RAG colours, the paper size,
//! the masthead (logo and organisation) and the Word template; its [`Layout`] gives every size,
//! margin, spacing and indent, the numbers the PDF's template reads, so that a clerk comparing
//! the two sees the same paper on the same pages. This writer holds none of its own: it only
//! converts the layout's points to Word's units (twentieths of a point, half-points, eighths of
//! a point for rules, EMUs for pictures). With a council's Word template, the template's page
//! and styles win where `styles` says they do; the layout still sets what is the paper's own
//! (numbering indents, the scorecard and its key).

mod assemble;
mod exceptions;
mod numbering;
mod package;
mod picture;
mod schema_order;
mod scorecard;
mod styles;
mod template;
mod xml;

use anyhow::Context;
use docx_rs::{
    AlignmentType, BorderType, BreakType, Docx, Footer, FooterReference, HeaderReference, Hyperlink, HyperlinkData,
    IndentLevel, LineSpacing, NumPages, NumberingId, PageMargin, PageNum, PageOrientationType, PageSize, Paragraph,
    ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, ParagraphProperty, Run, SectionProperty,
    SpecialIndentType, Tab, TabValueType, Table,
};

use crate::model::layout::{self, Rule, Space, has_arial_metrics};
use crate::model::{
    Appendix, BackgroundDocuments, Block, ContactStyle, Contacts, FrontBlock, HeaderField, Inline, Layout, Numbering,
    Paper, Paragraph as ModelParagraph, Section, Style,
};
use numbering::NumberingPlan;
use styles::{
    APPENDIX_HEADING, CONTACT, FOOTER, HEADER_FIELD, HEADING1, HEADING2, HYPERLINK, LIST_CONTINUE, NUMBERED_PARA,
    QUOTE, TITLE,
};
use template::{HeaderFooterPlan, PageSetup, Slot, Template};

/// Knobs for the DOCX renderer.
#[derive(Debug, Clone, Default)]
pub struct DocxOptions {}

/// Build a paper as DOCX bytes.
///
/// Fails only on a model the renderer cannot express faithfully (a scorecard row whose cells do
/// not line up with the columns, a date that is not ISO 8601, a malformed language tag).
pub fn render_docx(paper: &Paper, _options: &DocxOptions) -> anyhow::Result<Vec<u8>> {
    let language = language_tag(&paper.meta.language)?;
    let template = read_template(&paper.style)?;
    let house_page = house_page(&paper.style);
    let page = match &template {
        Some(template) => template.page(&house_page).unwrap_or(house_page),
        None => house_page,
    };
    let body_font = body_font(paper, template.as_ref());
    let label_column = label_column(paper, &body_font);
    let slots = HeaderFooterPlan::new(template.as_ref());

    let mut writer = Writer::new(paper.numbering, &paper.style, page, slots);
    let footer = writer.paper(paper)?;
    let (docx, main_num_id) = writer.docx();

    let house = styles::HouseStyles {
        font: Some(body_font.as_str()).filter(|_| paper.style.font_named || template.is_none()),
        house_font: &paper.style.font,
        language: &language,
        layout: &paper.style.layout,
        label_column: twips(label_column),
        numbering: styles::StyleNumbering { scheme: paper.numbering, num_id: main_num_id },
        table: &paper.style.table,
        link: &paper.style.link,
    };
    assemble::package(assemble::Assembly {
        xml: docx.build(),
        footer,
        meta: &paper.meta,
        language: &language,
        organisation: paper.style.organisation.as_deref(),
        links: &writer.links,
        pictures: &writer.pictures,
        template: template.as_ref(),
        house,
        explicit_font: paper.style.font_named,
        slots: &writer.slots,
        table_captions: &writer.table_captions,
        exception_captions: &writer.exception_captions,
    })
}

/// The council's Word template the style names, read, if it names one.
fn read_template(style: &Style) -> anyhow::Result<Option<Template<'_>>> {
    Ok(match &style.word_template {
        Some(source) => Some(
            Template::read(source)
                .with_context(|| format!("failed to read the Word template {}", source.path.display()))?,
        ),
        None => None,
    })
}

/// The body font of the DOCX: a template's own, unless the paper names a font.
fn body_font(paper: &Paper, template: Option<&Template>) -> String {
    match template.and_then(Template::body_font) {
        Some(theirs) if !paper.style.font_named => theirs,
        _ => paper.style.font.clone(),
    }
}

/// Where header values start, in points. The layout's label column fits the labels in the
/// paper's font; a template's own font may be wider, and then the model's rule is asked again
/// for that font.
fn label_column(paper: &Paper, body_font: &str) -> f32 {
    if has_arial_metrics(body_font) == has_arial_metrics(&paper.style.font) {
        paper.style.layout.label_column
    } else {
        layout::label_column(paper.header.iter().map(|f| f.label.as_str()), has_arial_metrics(body_font))
    }
}

/// Points as twentieths of a point (twips), Word's unit of length.
fn twips(points: f32) -> i32 {
    (points * 20.0).round() as i32
}

/// A length that cannot be negative (spacing, widths), in twips.
fn twips_u(points: f32) -> u32 {
    twips(points).max(0) as u32
}

/// Points as half-points, Word's unit of text size.
fn half_points(points: f32) -> usize {
    (points * 2.0).round().max(1.0) as usize
}

/// A line weight in eighths of a point, Word's unit for borders; Word draws none thinner than a
/// quarter point.
fn eighths(points: f32) -> usize {
    (points * 8.0).round().max(2.0) as usize
}

/// Points as EMUs, the unit of DrawingML pictures.
fn emu(points: f32) -> u32 {
    (points * 12_700.0).round().max(0.0) as u32
}

/// Space before and after a paragraph, set on the paragraph (its line spacing stays its
/// style's).
fn spacing(space: Space) -> LineSpacing {
    LineSpacing::new().before(twips_u(space.before)).after(twips_u(space.after))
}

/// No space before or after: a line of a block whose lines the PDF sets with line breaks (a
/// field of several lines, a text with line breaks), now a paragraph of its own.
fn no_space() -> LineSpacing {
    LineSpacing::new().before(0).after(0)
}

/// The house page: the paper size of the style, the layout's margins.
fn house_page(style: &Style) -> PageSetup {
    let (short, long) = layout::paper_sides(style.paper_size);
    let m = &style.layout.margins;
    PageSetup {
        short: twips_u(short).max(1),
        long: twips_u(long).max(1),
        top: twips(m.top),
        right: twips(m.right),
        bottom: twips(m.bottom),
        left: twips(m.left),
        header: twips(m.header),
        footer: twips(m.footer),
        gutter: 0,
    }
}

/// The text size of the paragraph that holds a section break: the smallest Word sets, so that
/// the break takes no room (not a size of the house style: nothing is printed in it).
const SECTION_BREAK_SIZE: f32 = 1.0;

/// Page orientation of a run of content (a Word section).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Orientation {
    Portrait,
    Landscape,
}

impl Orientation {
    fn width(self, page: &PageSetup) -> u32 {
        if self == Orientation::Portrait { page.short } else { page.long }
    }

    fn height(self, page: &PageSetup) -> u32 {
        if self == Orientation::Portrait { page.long } else { page.short }
    }

    /// The width between the margins, in twentieths of a point (at least 1 cm, whatever a
    /// template's margins say).
    fn text_width(self, page: &PageSetup) -> usize {
        (self.width(page) as i64 - i64::from(page.left) - i64::from(page.right) - i64::from(page.gutter)).max(567)
            as usize
    }
}

/// A top-level block of the document body.
enum Item {
    Paragraph(Box<Paragraph>),
    Table(Box<Table>),
}

/// The document being written: body items in order plus the ids docx-rs would otherwise take
/// from global counters.
struct Writer {
    items: Vec<Item>,
    numbering: NumberingPlan,
    scheme: Numbering,
    /// Hyperlink targets in document order; link `n` has relationship id `rIdLink{n}`.
    links: Vec<String>,
    /// The last paragraph id handed out (`w14:paraId`).
    para_id: u32,
    /// Orientation of the section being written.
    orientation: Orientation,
    page: PageSetup,
    /// The alternative text of each picture, in document order (see `package::describe_pictures`).
    pictures: Vec<String>,
    /// The title and description of each scorecard table, in document order (see
    /// `package::caption_tables`).
    table_captions: Vec<(String, String)>,
    /// The title and description of each exception report's table, in document order.
    exception_captions: Vec<(String, String)>,
    /// The house style: the table, trend and link colours, and the layout.
    style: Style,
    /// The headers and footers every section refers to.
    slots: HeaderFooterPlan,
    /// How many sections have been closed (the first may have a first-page header).
    sections_closed: usize,
}

/// Formatting forced on every run of a text (strong header values, table cells).
#[derive(Debug, Clone, Copy, Default)]
struct RunFormat<'a> {
    bold: bool,
    color: Option<&'a str>,
}

impl Writer {
    fn new(scheme: Numbering, style: &Style, page: PageSetup, slots: HeaderFooterPlan) -> Self {
        Writer {
            items: Vec::new(),
            numbering: NumberingPlan::new(scheme, twips(style.layout.indents.number)),
            scheme,
            links: Vec::new(),
            para_id: 0,
            orientation: Orientation::Portrait,
            page,
            pictures: Vec::new(),
            table_captions: Vec::new(),
            exception_captions: Vec::new(),
            style: style.clone(),
            slots,
            sections_closed: 0,
        }
    }

    /// Writes the paper in document order: the masthead, the header block and front matter,
    /// the sections and the appendices. Returns the footer every section refers to.
    fn paper(&mut self, paper: &Paper) -> anyhow::Result<Footer> {
        self.masthead(&paper.style)?;
        self.header(&paper.header, &paper.front);
        for section in &paper.sections {
            self.section(section);
        }
        for appendix in &paper.appendices {
            self.appendix(appendix)?;
        }
        Ok(self.footer(&paper.meta.classification))
    }

    /// The docx-rs document of what was written: the last section's properties, the numbering
    /// definitions and the body's paragraphs and tables (taken from the writer); and the id of
    /// the body's main numbering instance, which the styles point at.
    fn docx(&mut self) -> (Docx, usize) {
        let mut docx = Docx::new();
        docx.document.section_property = self.section_property(self.orientation);
        let (abstracts, instances) = self.numbering.definitions();
        for abstract_numbering in abstracts {
            docx = docx.add_abstract_numbering(abstract_numbering);
        }
        for instance in instances {
            docx = docx.add_numbering(instance);
        }
        let main_num_id = self.numbering.main_id();
        for item in std::mem::take(&mut self.items) {
            docx = match item {
                Item::Paragraph(p) => docx.add_paragraph(*p),
                Item::Table(t) => docx.add_table(*t),
            };
        }
        (docx, main_num_id)
    }

    /// A picture with a deterministic relationship id, its alternative text recorded for
    /// `package`. `png` must be a PNG this program made or decoded itself: docx-rs only reads
    /// its dimensions, and its own decoding panics on bad bytes.
    fn picture(&mut self, png: Vec<u8>, pixels: (u32, u32), size_emu: (u32, u32), alt: &str) -> docx_rs::Pic {
        self.pictures.push(alt.to_owned());
        docx_rs::Pic::new_with_dimensions(png, pixels.0, pixels.1)
            .size(size_emu.0, size_emu.1)
            .id(format!("rIdPicture{}", self.pictures.len()))
    }

    /// The masthead at the top of the first page: the logo on the left, the organisation's
    /// name on the right (the `Title` style), as in the PDF.
    fn masthead(&mut self, style: &Style) -> anyhow::Result<()> {
        if style.logo.is_none() && style.organisation.is_none() {
            return Ok(());
        }
        let text_width = self.orientation.text_width(&self.page);
        let mut p = self.para().style(TITLE);
        p.property = std::mem::take(&mut p.property).add_tab(Tab::new().val(TabValueType::Right).pos(text_width));
        if let Some(logo) = &style.logo {
            let (png, pixels) = picture::logo_png(logo)?;
            // The layout's height, the width in proportion.
            let height = emu(style.layout.logo_height);
            let width = (u64::from(height) * u64::from(logo.width) / u64::from(logo.height.max(1))) as u32;
            let pic = self.picture(png, pixels, (width, height), &logo.alt);
            p = p.add_run(Run::new().add_image(pic));
        }
        if let Some(organisation) = &style.organisation {
            p = p.add_run(Run::new().add_tab()).add_run(text_run(organisation));
        }
        self.push(p);
        Ok(())
    }

    /// The house layout.
    fn layout(&self) -> &Layout {
        &self.style.layout
    }

    /// A new paragraph of unnumbered body content (background documents, contact details, a
    /// paragraph or heading without a number): under the text of numbered headings when they
    /// are numbered, as in the PDF, at the margin otherwise.
    fn unnumbered(&mut self) -> Paragraph {
        let indent = twips(self.layout().indents.unnumbered);
        let p = self.para();
        if indent != 0 { p.indent(Some(indent), None, None, None) } else { p }
    }

    /// A typed number (one Word numbering cannot count) hanging in the gutter before the text,
    /// as numbered paragraphs and headings hang theirs.
    fn typed_number(&self, p: Paragraph, printed: &str) -> Paragraph {
        let indent = twips(self.layout().indents.number);
        p.indent(Some(indent), Some(SpecialIndentType::Hanging(indent)), None, None)
            .add_run(text_run(printed))
            .add_run(Run::new().add_tab())
    }

    /// Gives the last paragraph of a body paragraph's block (its last list line, or its last
    /// line in the List Continue style) a paragraph's space after, as the PDF has after the
    /// block; the lines inside it keep their style's.
    fn ends_block(&self, p: Paragraph) -> Paragraph {
        p.line_spacing(LineSpacing::new().after(twips_u(self.layout().spacing.paragraph.after)))
    }

    /// A new paragraph with a deterministic id: docx-rs counts ids per thread and resets the
    /// counter only in `build()`, so its ids would depend on what the thread did before.
    fn para(&mut self) -> Paragraph {
        self.para_id += 1;
        Paragraph::new().id(format!("{:08X}", self.para_id))
    }

    fn push(&mut self, paragraph: Paragraph) {
        self.items.push(Item::Paragraph(Box::new(paragraph)));
    }

    /// Appends inline text to a paragraph: runs, hyperlinks and line breaks.
    fn inlines(&mut self, mut paragraph: Paragraph, text: &[Inline], format: RunFormat) -> Paragraph {
        for inline in text {
            match inline {
                Inline::Run { text, bold, italic, link } => {
                    let mut run = text_run(text);
                    if *bold || format.bold {
                        run = run.bold();
                    }
                    if *italic {
                        run = run.italic();
                    }
                    if let Some(color) = format.color {
                        run = run.color(color);
                    }
                    paragraph = match link {
                        Some(target) => paragraph.add_hyperlink(self.hyperlink(target, run.style(HYPERLINK))),
                        None => paragraph.add_run(run),
                    };
                }
                Inline::Break => paragraph = paragraph.add_run(Run::new().add_break(BreakType::TextWrapping)),
            }
        }
        paragraph
    }

    /// Writes a text as paragraphs: its first line into `first`, each line after a line break
    /// into a paragraph of its own from `next` (an author editing in Word meets paragraphs, not
    /// manual line breaks). Every paragraph but the last is pushed, keeping with the one after
    /// it and without space after it, since the PDF sets the lines with line breaks; the last is
    /// returned for the caller to finish.
    fn lines(
        &mut self,
        first: Paragraph,
        text: &[Inline],
        format: RunFormat,
        next: &dyn Fn(&mut Writer) -> Paragraph,
    ) -> Paragraph {
        let mut lines = text.split(|inline| matches!(inline, Inline::Break));
        let mut paragraph = self.inlines(first, lines.next().unwrap_or(&[]), format);
        for line in lines {
            self.push(paragraph.keep_next(true).line_spacing(no_space()));
            let start = next(self);
            paragraph = self.inlines(start, line, format);
        }
        paragraph
    }

    /// An external hyperlink with a relationship id of our own (docx-rs' come from a global
    /// counter that never resets); `package` writes the matching relationships.
    fn hyperlink(&mut self, target: &str, run: Run) -> Hyperlink {
        self.links.push(target.to_owned());
        let link =
            HyperlinkData::External { rid: format!("rIdLink{}", self.links.len()), path: package::escape(target) };
        Hyperlink { link, history: None, children: vec![] }.add_run(run)
    }

    /// The header block (From, To, Date, Subject, Classification …) between rules, then the
    /// labelled front blocks (Summary, Recommendation) and a closing rule, as in the 2014 paper.
    /// A field of several lines (two people in From) is a paragraph per line.
    fn header(&mut self, header: &[HeaderField], front: &[FrontBlock]) {
        let rule = self.layout().rule.clone();
        for (index, field) in header.iter().enumerate() {
            let format = RunFormat { bold: field.strong, color: None };
            let lines = field.lines.len().max(1);
            for line in 0..lines {
                let mut p = self.para().style(HEADER_FIELD);
                if line == 0 {
                    p = p.add_run(text_run(&format!("{}:", field.label)).bold());
                }
                p = p.add_run(Run::new().add_tab());
                if let Some(text) = field.lines.get(line) {
                    p = self.inlines(p, text, format);
                }
                if line + 1 < lines {
                    // The lines of one field, as the PDF sets them: no space between.
                    p = p.keep_next(true).line_spacing(no_space());
                }
                if index == 0 && line == 0 {
                    p.property = with_rule(p.property, ParagraphBorderPosition::Top, &rule);
                }
                if index + 1 == header.len() && line + 1 == lines {
                    p.property = with_rule(p.property, ParagraphBorderPosition::Bottom, &rule);
                }
                self.push(p);
            }
        }
        let mut front_paragraphs = 0;
        for block in front {
            if block.numbered {
                let num = self.numbering.front_list();
                let label = self.para().add_run(text_run(&format!("{}:", block.label)).bold()).keep_next(true);
                self.push(label);
                for text in &block.paragraphs {
                    let p = self.para().numbering(NumberingId::new(num), IndentLevel::new(0));
                    let continuation = |w: &mut Writer| w.para().style(LIST_CONTINUE);
                    let mut p = self.lines(p, text, RunFormat::default(), &continuation);
                    if has_break(text) {
                        p = self.ends_block(p);
                    }
                    self.push(p);
                }
            } else {
                // `Summary: The …` inline, as in the reference papers and the PDF.
                for (index, text) in block.paragraphs.iter().enumerate() {
                    let mut p = self.para();
                    if index == 0 {
                        p = p.add_run(text_run(&format!("{}: ", block.label)).bold());
                    }
                    let p = self.lines(p, text, RunFormat::default(), &|w: &mut Writer| w.para());
                    self.push(p);
                }
            }
            front_paragraphs += 1;
        }
        if front_paragraphs > 0
            && let Some(Item::Paragraph(last)) = self.items.last_mut()
        {
            last.property = with_rule(std::mem::take(&mut last.property), ParagraphBorderPosition::Bottom, &rule);
        }
    }

    /// Whether the Heading 1 style itself numbers its paragraphs (the sectioned scheme).
    fn heading_style_numbers(&self, level: u8) -> bool {
        level <= 1 && self.scheme == Numbering::Sectioned
    }

    /// A headed section of the body. A heading's number hangs in the gutter, as paragraph
    /// numbers do; a heading without one lines up with unnumbered content.
    fn section(&mut self, section: &Section) {
        if let Some(heading) = &section.heading {
            let style = if section.level <= 1 { HEADING1 } else { HEADING2 };
            let style_numbers = self.heading_style_numbers(section.level);
            let planned = match &section.number {
                Some(number) if style_numbers => self.numbering.heading(&number.parts),
                _ => None,
            };
            let mut p = match (planned, &section.number) {
                // The style's own numbering gives this number: nothing on the paragraph.
                (Some((num, 0)), _) if num == self.numbering.main_id() => self.para(),
                (Some((num, level)), _) => self.para().numbering(NumberingId::new(num), IndentLevel::new(level)),
                (None, Some(number)) => {
                    let p = self.para();
                    self.typed_number(p, &number.printed)
                }
                (None, None) => self.unnumbered(),
            };
            if planned.is_none() && style_numbers {
                // Numbering id 0: not numbered by the style, whatever it says.
                p = p.numbering(NumberingId::new(0), IndentLevel::new(0));
            }
            let p = self.inlines(p.style(style), heading, RunFormat::default());
            self.push(p);
        }
        for block in &section.blocks {
            match block {
                Block::Paragraph(paragraph) => self.paragraph(paragraph),
                Block::Contacts(contacts) => self.contacts(contacts),
                Block::BackgroundDocuments(documents) => self.background_documents(documents),
                Block::Exceptions(reports) => {
                    let width = self.orientation.text_width(&self.page);
                    exceptions::write(self, reports, exceptions::Placement::Body, width);
                }
            }
        }
    }

    /// A body paragraph with its number, its list and its quotation. A lead-in keeps with its
    /// list (the Green / Amber / Red definitions stay on one page with the sentence before).
    /// Its lines, list and quotation start where its text does: past the number, or at the
    /// indent of unnumbered content.
    fn paragraph(&mut self, paragraph: &ModelParagraph) {
        let numbered = paragraph.number.is_some();
        let mut p = if numbered { self.para() } else { self.unnumbered() };
        if let Some(number) = &paragraph.number {
            p = p.style(NUMBERED_PARA);
            p = match self.numbering.paragraph(&number.parts) {
                // The Numbered Para style gives this number: nothing on the paragraph.
                Some((num, level)) if (num, level) == (self.numbering.main_id(), self.numbering.paragraph_level()) => p,
                Some((num, level)) => p.numbering(NumberingId::new(num), IndentLevel::new(level)),
                // Not a decimal sequence Word can count: typed, hanging like the others, and
                // the style's numbering switched off (numbering id 0).
                None => self.typed_number(p.numbering(NumberingId::new(0), IndentLevel::new(0)), &number.printed),
            };
        }
        // Continuation lines and list lines of an unnumbered paragraph start at its indent;
        // those of a numbered one are the List Continue style's, under the text.
        let unnumbered = twips(self.layout().indents.unnumbered);
        let continuation = move |w: &mut Writer| {
            let p = w.para();
            match (numbered, unnumbered) {
                (true, _) => p.style(LIST_CONTINUE),
                (false, 0) => p,
                (false, indent) => p.indent(Some(indent), None, None, None),
            }
        };
        let mut last = self.lines(p, &paragraph.text, RunFormat::default(), &continuation);
        if numbered && has_break(&paragraph.text) {
            last = self.ends_block(last);
        }
        let followed = !paragraph.list.is_empty() || paragraph.quote.is_some();
        if followed {
            last = last.keep_next(true);
        }
        self.push(last);
        for (index, item) in paragraph.list.iter().enumerate() {
            let mut p = self.para().style(LIST_CONTINUE);
            if !numbered {
                p = p.indent(Some(unnumbered), None, None, None);
            }
            let mut p = self.inlines(p, item, RunFormat::default());
            if index + 1 < paragraph.list.len() || paragraph.quote.is_some() {
                p = p.keep_next(true);
            }
            if index + 1 == paragraph.list.len() {
                p = self.ends_block(p);
            }
            self.push(p);
        }
        if let Some(quote) = &paragraph.quote {
            let mut p = self.para().style(QUOTE);
            if !numbered {
                // The style's indent is from numbered text; this one is from unnumbered text.
                let layout = self.layout();
                let left = twips(layout.indents.unnumbered + layout.indents.quote_left);
                p = p.indent(Some(left), None, Some(twips(layout.indents.quote_right)), None);
            }
            let p = self.inlines(p, quote, RunFormat::default());
            self.push(p);
        }
    }

    /// Contact details: `Name: …` lines (2014), a paragraph each as in the PDF, or a label line
    /// and stacked lines (2017) in the Contact Details style (no space between the lines of one
    /// person, a paragraph's space after the last); each person kept together on a page.
    fn contacts(&mut self, contacts: &Contacts) {
        for person in &contacts.people {
            let mut lines: Vec<Paragraph> = Vec::new();
            match contacts.style {
                ContactStyle::Labelled => {
                    if let Some(label) = &person.label {
                        let p = self.unnumbered().add_run(text_run(label).bold());
                        lines.push(p);
                    }
                    let fields = [
                        ("Name", Some(&person.name)),
                        ("Title", person.title.as_ref()),
                        ("Tel No", person.phone.as_ref()),
                    ];
                    for (label, value) in fields {
                        if let Some(value) = value {
                            let p = self
                                .unnumbered()
                                .add_run(text_run(&format!("{label}: ")).bold())
                                .add_run(text_run(value));
                            lines.push(p);
                        }
                    }
                    if let Some(email) = &person.email {
                        let p = self.unnumbered().add_run(text_run("Email: ").bold());
                        let link = self.hyperlink(&format!("mailto:{email}"), text_run(email).style(HYPERLINK));
                        lines.push(p.add_hyperlink(link));
                    }
                }
                ContactStyle::Stacked => {
                    if let Some(label) = &person.label {
                        let p = self.unnumbered().keep_next(true).add_run(text_run(label).bold());
                        self.push(p);
                    }
                    let mut stacked = Vec::new();
                    for line in [Some(&person.name), person.title.as_ref(), person.phone.as_ref()].into_iter().flatten()
                    {
                        let p = self.unnumbered().style(CONTACT).add_run(text_run(line));
                        stacked.push(p);
                    }
                    if let Some(email) = &person.email {
                        let p = self.unnumbered().style(CONTACT);
                        let link = self.hyperlink(&format!("mailto:{email}"), text_run(email).style(HYPERLINK));
                        stacked.push(p.add_hyperlink(link));
                    }
                    if let Some(last) = stacked.pop() {
                        stacked.push(self.ends_block(last));
                    }
                    lines.extend(stacked);
                }
            }
            let count = lines.len();
            for (index, p) in lines.into_iter().enumerate() {
                self.push(if index + 1 < count { p.keep_next(true) } else { p });
            }
        }
    }

    /// Background documents: one labelled line (2014) or one paragraph each (2017); `None` when
    /// there are none.
    fn background_documents(&mut self, documents: &BackgroundDocuments) {
        if documents.labelled {
            let mut p = self.unnumbered().add_run(text_run("Background Documents: ").bold());
            if documents.items.is_empty() {
                p = p.add_run(text_run("None"));
            }
            for (index, item) in documents.items.iter().enumerate() {
                if index > 0 {
                    p = p.add_run(text_run(&self.style.layout.list_separator));
                }
                p = self.inlines(p, item, RunFormat::default());
            }
            self.push(p);
        } else if documents.items.is_empty() {
            let p = self.unnumbered().add_run(text_run("None"));
            self.push(p);
        } else {
            for item in &documents.items {
                let p = self.unnumbered();
                let p = self.inlines(p, item, RunFormat::default());
                self.push(p);
            }
        }
    }

    /// An appendix: a new page (a new section when the orientation changes), the title in the
    /// unnumbered Appendix Heading style, the introduction, the scorecard and its key.
    fn appendix(&mut self, appendix: &Appendix) -> anyhow::Result<()> {
        let orientation = if appendix.landscape { Orientation::Landscape } else { Orientation::Portrait };
        let new_section = orientation != self.orientation;
        if new_section {
            self.end_section();
            self.orientation = orientation;
        }
        // A section break already starts a new page; a page break on top would leave a blank one.
        let mut page_break = !new_section;
        if let Some(marking) = &appendix.marking {
            // The document's one footer serves every section, so an exempt appendix of a full
            // version carries its marking ("NOT FOR PUBLICATION") above its title instead.
            let p = self
                .para()
                .align(AlignmentType::Center)
                .page_break_before(page_break)
                .add_run(text_run(marking).bold());
            self.push(p);
            page_break = false;
        }
        let title =
            self.para().style(APPENDIX_HEADING).page_break_before(page_break).add_run(text_run(&appendix.title));
        self.push(title);
        for text in &appendix.intro {
            let p = self.para();
            let p = self.inlines(p, text, RunFormat::default());
            self.push(p);
        }
        if let Some(table) = &appendix.scorecard {
            if !table.columns.is_empty() {
                self.table_captions.push((appendix.title.clone(), table.summary.clone()));
            }
            scorecard::write(self, table, self.orientation.text_width(&self.page))
                .with_context(|| format!("failed to lay out `{}`", appendix.title))?;
        }
        if let Some(reports) = &appendix.exceptions {
            let width = self.orientation.text_width(&self.page);
            exceptions::write(self, reports, exceptions::Placement::Appendix, width);
        }
        Ok(())
    }

    /// Ends the current section with a paragraph of its own holding the `w:sectPr` (as Word's
    /// "Section Break (Next Page)" is), one point high, so that an author who edits the last
    /// paragraph of the body never merges the sections. Sections are not docx-rs `Section`s:
    /// those lose their hyperlink relationships (Word then asks to repair).
    fn end_section(&mut self) {
        let properties = self.section_property(self.orientation);
        let mut p = self.para().line_spacing(no_space()).size(half_points(SECTION_BREAK_SIZE));
        p.property = std::mem::take(&mut p.property).section_property(properties);
        self.push(p);
    }

    /// The properties of a section in `orientation`: page size and margins, and the headers and
    /// footers of the plan (a first-page header only in the first section).
    fn section_property(&mut self, orientation: Orientation) -> SectionProperty {
        let first = self.sections_closed == 0;
        self.sections_closed += 1;
        let page = &self.page;
        let mut properties = SectionProperty::new()
            .page_size(PageSize::new().size(orientation.width(page), orientation.height(page)))
            .page_margin(PageMargin {
                top: page.top,
                left: page.left,
                bottom: page.bottom,
                right: page.right,
                header: page.header,
                footer: page.footer,
                gutter: page.gutter,
            });
        if orientation == Orientation::Landscape {
            properties = properties.page_orient(PageOrientationType::Landscape);
        }
        // Word's default column spacing (docx-rs writes the Japanese default, 425).
        properties.space = 720;
        for (slot, id) in self.slots.headers() {
            let reference = Some(HeaderReference::new(slot.attr(), id));
            match slot {
                Slot::Default => properties.header_reference = reference,
                Slot::First => properties.first_header_reference = reference,
                Slot::Even => properties.even_header_reference = reference,
            }
        }
        for (slot, id) in self.slots.footers() {
            let reference = Some(FooterReference::new(slot.attr(), id));
            match slot {
                Slot::Default => properties.footer_reference = reference,
                Slot::First => properties.first_footer_reference = reference,
                Slot::Even => properties.even_footer_reference = reference,
            }
        }
        properties.title_pg = first && self.slots.title_page;
        properties
    }

    /// The paper's footer lines: "Page X of Y" from PAGE / NUMPAGES fields, and the
    /// classification, a paragraph each.
    fn footer(&mut self, classification: &str) -> Footer {
        let page = self
            .para()
            .style(FOOTER)
            .add_run(text_run("Page "))
            .add_page_num(PageNum::new())
            .add_run(text_run(" of "))
            .add_num_pages(NumPages::new());
        let classification = self.para().style(FOOTER).add_run(text_run(classification));
        Footer::new().add_paragraph(page).add_paragraph(classification)
    }
}

/// Whether a text has a line break (and so is written as several paragraphs).
fn has_break(text: &[Inline]) -> bool {
    text.iter().any(|inline| matches!(inline, Inline::Break))
}

/// A run of text; tabs and newlines inside become Word tabs and line breaks, characters XML
/// cannot hold are dropped.
fn text_run(text: &str) -> Run {
    let mut run = Run::new();
    let mut chunk = String::new();
    for ch in xml_chars(text) {
        match ch {
            '\n' | '\t' => {
                if !chunk.is_empty() {
                    run = run.add_text(std::mem::take(&mut chunk));
                }
                run = if ch == '\n' { run.add_break(BreakType::TextWrapping) } else { run.add_tab() };
            }
            '\r' => {}
            other => chunk.push(other),
        }
    }
    if !chunk.is_empty() || text.is_empty() {
        run = run.add_text(chunk);
    }
    run
}

/// The characters of `text` that XML 1.0 allows (spreadsheet text can hold control characters).
fn xml_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars()
        .filter(|&c| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..))
}

/// Adds a horizontal rule (a paragraph border) above or below a paragraph. Only that side: the
/// `set_border` of docx-rs starts from a box on all four sides.
fn with_rule(mut property: ParagraphProperty, position: ParagraphBorderPosition, rule: &Rule) -> ParagraphProperty {
    // The gap is in whole points, Word's unit for a border's distance from the text.
    let rule = ParagraphBorder::new(position)
        .val(BorderType::Single)
        .size(eighths(rule.width))
        .space(rule.gap.round().max(0.0) as usize)
        .color(&rule.colour);
    let borders = property.borders.take().unwrap_or_else(ParagraphBorders::with_empty).set(rule);
    property.set_borders(borders)
}

/// The language tag for `w:lang` and `dc:language`: the paper's, or en-GB.
fn language_tag(language: &str) -> anyhow::Result<String> {
    let language = language.trim();
    if language.is_empty() {
        return Ok("en-GB".to_owned());
    }
    if language.len() > 35 || !language.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        anyhow::bail!("failed to set the docx language: `{language}` is not a language tag such as en-GB");
    }
    Ok(language.to_owned())
}

#[cfg(test)]
mod tests;
