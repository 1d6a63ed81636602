//! DOCX: the document model in, the bytes of a Word document out, built with docx-rs.
//!
//! The layout follows the reference papers: a header block of labelled lines between rules,
//! the Summary and Recommendation blocks, headed sections of numbered paragraphs, contact
//! details and background documents, then each appendix on a new page (landscape sections for
//! wide scorecards). Everything an author may want to edit in Word is real Word structure: named
//! styles (`heading 1`/`heading 2` with outline levels for the navigation pane), numbering
//! definitions for paragraph numbers, a header row that repeats on each page, PAGE/NUMPAGES
//! fields in the footer, and core properties from the paper's metadata.
//!
//! docx-rs cannot say everything (document language, repeating header rows, core properties,
//! alternative text of pictures) and is not deterministic everywhere (hyperlink ids from a global
//! counter, relationships from a HashMap, paragraph and picture ids from counters); `package`
//! patches the built XML and this module assigns its own ids, so the same paper always gives the
//! same bytes.
//!
//! The house style ([`crate::model::Style`]) decides the font, the RAG colours, the paper size
//! and the masthead (logo and organisation); its [`Layout`] gives every size, margin, spacing and
//! indent, the same numbers the PDF's template reads, so that a clerk comparing the two sees the
//! same paper on the same pages. This writer only converts them to Word's units (twentieths of
//! a point, half-points, EMUs).

mod numbering;
mod package;
mod picture;
mod scorecard;

use anyhow::Context;
use docx_rs::{
    AlignmentType, BorderType, BreakType, Docx, Footer, FooterReference, Hyperlink, HyperlinkData, IndentLevel,
    LineSpacing, LineSpacingType, NumPages, NumberingId, PageMargin, PageNum, PageOrientationType, PageSize, Paragraph,
    ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, ParagraphProperty, Run, RunFonts, SectionProperty,
    SpecialIndentType, Style as DocxStyle, StyleType, Tab, TabValueType, Table,
};

use crate::model::layout::Space;
use crate::model::style::PaperSize;
use crate::model::{
    Appendix, BackgroundDocuments, Block, ContactStyle, Contacts, FrontBlock, HeaderField, Inline, Layout, Numbering,
    Paper, Paragraph as ModelParagraph, Section, Style,
};
use numbering::NumberingPlan;

/// Knobs for the DOCX renderer.
#[derive(Debug, Clone, Default)]
pub struct DocxOptions {}

/// Build a paper as DOCX bytes.
///
/// Fails only on a model the renderer cannot express faithfully (a scorecard row whose cells do
/// not line up with the columns, a date that is not ISO 8601, a malformed language tag).
pub fn render_docx(paper: &Paper, _options: &DocxOptions) -> anyhow::Result<Vec<u8>> {
    let language = language_tag(&paper.meta.language)?;
    let layout = &paper.style.layout;
    let mut writer = Writer::new(paper.numbering, &paper.style);
    writer.masthead(&paper.style)?;
    writer.header(&paper.header, &paper.front);
    for section in &paper.sections {
        writer.section(section, paper.numbering);
    }
    for appendix in &paper.appendices {
        writer.appendix(appendix)?;
    }
    let footer = writer.footer(&paper.meta.classification);

    let final_orientation = writer.orientation;
    let paper_size = writer.paper_size;
    let font = paper.style.font.as_str();
    let mut docx = Docx::new()
        .page_size(final_orientation.width(paper_size), final_orientation.height(paper_size))
        .page_margin(page_margin(layout))
        .default_fonts(RunFonts::new().ascii(font).hi_ansi(font).cs(font).east_asia(font))
        .default_size(half_points(layout.sizes.body))
        .default_line_spacing(spacing(layout.spacing.paragraph))
        .footer(footer);
    // Widow and orphan control lives in the Normal style docx-rs writes; Word's default
    // without it is off.
    if let Some(normal) = docx.styles.styles.iter_mut().find(|s| s.style_id == "Normal") {
        normal.paragraph_property = std::mem::take(&mut normal.paragraph_property).widow_control(layout.widow_control);
    }
    if final_orientation == Orientation::Landscape {
        docx = docx.page_orient(PageOrientationType::Landscape);
    }
    for style in styles(&paper.style) {
        docx = docx.add_style(style);
    }
    let (abstracts, instances) = writer.numbering.definitions();
    for abstract_numbering in abstracts {
        docx = docx.add_abstract_numbering(abstract_numbering);
    }
    for instance in instances {
        docx = docx.add_numbering(instance);
    }
    for item in writer.items {
        docx = match item {
            Item::Paragraph(p) => docx.add_paragraph(*p),
            Item::Table(t) => docx.add_table(*t),
        };
    }

    let mut xml = docx.build();
    package::patch(&mut xml, &paper.meta, &language, &writer.links, scorecard::SCORECARD_STYLE)?;
    package::describe_pictures(&mut xml, &writer.pictures)
        .context("failed to give the pictures their alternative text")?;
    let mut out = std::io::Cursor::new(Vec::new());
    xml.pack(&mut out).context("failed to write the docx package")?;
    let mut bytes = out.into_inner();
    package::set_zip_dates(&mut bytes, &paper.meta).context("failed to date the docx package entries")?;
    Ok(bytes)
}

/// Points as twentieths of a point, Word's unit of length.
fn twips(points: f32) -> i32 {
    (points * 20.0).round() as i32
}

/// Points as half-points, Word's unit of text size.
fn half_points(points: f32) -> usize {
    (points * 2.0).round().max(1.0) as usize
}

/// Points as EMUs, the unit of DrawingML pictures.
fn emu(points: f32) -> u32 {
    (points * 12_700.0).round().max(0.0) as u32
}

/// Space before and after a paragraph, single line spacing.
fn spacing(space: Space) -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Auto)
        .line(240)
        .before(twips(space.before).max(0) as u32)
        .after(twips(space.after).max(0) as u32)
}

fn page_margin(layout: &Layout) -> PageMargin {
    let m = &layout.margins;
    PageMargin {
        top: twips(m.top),
        left: twips(m.left),
        bottom: twips(m.bottom),
        right: twips(m.right),
        header: twips(m.header),
        footer: twips(m.footer),
        gutter: 0,
    }
}

/// The short and long sides of a paper size, in twentieths of a point.
fn paper_sides(size: PaperSize) -> (u32, u32) {
    let (short, long) = crate::model::layout::paper_sides(size);
    (twips(short).max(1) as u32, twips(long).max(1) as u32)
}

/// Page orientation of a run of content (a Word section).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Orientation {
    Portrait,
    Landscape,
}

impl Orientation {
    fn width(self, size: PaperSize) -> u32 {
        let (short, long) = paper_sides(size);
        if self == Orientation::Portrait { short } else { long }
    }

    fn height(self, size: PaperSize) -> u32 {
        let (short, long) = paper_sides(size);
        if self == Orientation::Portrait { long } else { short }
    }

    /// The width between the margins, in twentieths of a point.
    fn text_width(self, size: PaperSize, layout: &Layout) -> usize {
        (self.width(size) as i32 - twips(layout.margins.left) - twips(layout.margins.right)).max(1) as usize
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
    /// Hyperlink targets in document order; link `n` has relationship id `rIdLink{n}`.
    links: Vec<String>,
    /// The last paragraph id handed out (`w14:paraId`).
    para_id: u32,
    /// Orientation of the section being written.
    orientation: Orientation,
    paper_size: PaperSize,
    /// The alternative text of each picture, in document order (see `package::describe_pictures`).
    pictures: Vec<String>,
    /// The house style: the table, trend and link colours, and the layout.
    style: Style,
}

/// Formatting forced on every run of a text (strong header values, table cells).
#[derive(Debug, Clone, Copy, Default)]
struct RunFormat<'a> {
    bold: bool,
    color: Option<&'a str>,
}

impl Writer {
    fn new(scheme: Numbering, style: &Style) -> Self {
        Writer {
            items: Vec::new(),
            numbering: NumberingPlan::new(scheme, twips(style.layout.indents.number)),
            links: Vec::new(),
            para_id: 0,
            orientation: Orientation::Portrait,
            paper_size: style.paper_size,
            pictures: Vec::new(),
            style: style.clone(),
        }
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
        let text_width = self.text_width();
        let mut p = self.para().style("Title");
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

    /// The width between the margins of the current section, in twentieths of a point.
    fn text_width(&self) -> usize {
        self.orientation.text_width(self.paper_size, &self.style.layout)
    }

    /// A new paragraph of unnumbered body content: indented under the heading text when
    /// headings are numbered, as in the PDF.
    fn unnumbered(&mut self) -> Paragraph {
        let indent = twips(self.style.layout.indents.unnumbered);
        let p = self.para();
        if indent > 0 { p.indent(Some(indent), None, None, None) } else { p }
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
                        Some(target) => paragraph.add_hyperlink(self.hyperlink(target, run.style("Hyperlink"))),
                        None => paragraph.add_run(run),
                    };
                }
                Inline::Break => paragraph = paragraph.add_run(Run::new().add_break(BreakType::TextWrapping)),
            }
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
    fn header(&mut self, header: &[HeaderField], front: &[FrontBlock]) {
        for (index, field) in header.iter().enumerate() {
            let mut p = self
                .para()
                .style("HeaderField")
                .add_run(text_run(&format!("{}:", field.label)).bold())
                .add_run(Run::new().add_tab());
            for (line_index, line) in field.lines.iter().enumerate() {
                if line_index > 0 {
                    p = p.add_run(Run::new().add_break(BreakType::TextWrapping));
                }
                p = self.inlines(p, line, RunFormat { bold: field.strong, color: None });
            }
            let rule = &self.style.layout.rule;
            if index == 0 {
                p.property = with_rule(p.property, ParagraphBorderPosition::Top, rule);
            }
            if index + 1 == header.len() {
                p.property = with_rule(p.property, ParagraphBorderPosition::Bottom, rule);
            }
            self.push(p);
        }
        let mut front_paragraphs = 0;
        for block in front {
            if block.numbered {
                let num = self.numbering.front_list();
                let label = self.para().add_run(text_run(&format!("{}:", block.label)).bold()).keep_next(true);
                self.push(label);
                for text in &block.paragraphs {
                    let p = self.para().numbering(NumberingId::new(num), IndentLevel::new(0));
                    let p = self.inlines(p, text, RunFormat::default());
                    self.push(p);
                }
            } else {
                // `Summary: The …` inline, as in the reference papers and the PDF.
                for (index, text) in block.paragraphs.iter().enumerate() {
                    let mut p = self.para();
                    if index == 0 {
                        p = p.add_run(text_run(&format!("{}: ", block.label)).bold());
                    }
                    let p = self.inlines(p, text, RunFormat::default());
                    self.push(p);
                }
            }
            front_paragraphs += 1;
        }
        if front_paragraphs > 0
            && let Some(Item::Paragraph(last)) = self.items.last_mut()
        {
            let rule = &self.style.layout.rule;
            last.property = with_rule(std::mem::take(&mut last.property), ParagraphBorderPosition::Bottom, rule);
        }
    }

    /// A headed section of the body.
    fn section(&mut self, section: &Section, scheme: Numbering) {
        if let Some(heading) = &section.heading {
            let style = if section.level <= 1 { "Heading1" } else { "Heading2" };
            let mut p = if section.number.is_some() { self.para() } else { self.unnumbered() }.style(style);
            if let Some(number) = &section.number {
                let planned = if section.level <= 1 && scheme == Numbering::Sectioned {
                    self.numbering.heading(&number.parts)
                } else {
                    None
                };
                p = match planned {
                    Some((num, level)) => p.numbering(NumberingId::new(num), IndentLevel::new(level)),
                    None => p.add_run(text_run(&format!("{} ", number.printed))),
                };
            }
            let p = self.inlines(p, heading, RunFormat::default());
            self.push(p);
        }
        for block in &section.blocks {
            match block {
                Block::Paragraph(paragraph) => self.paragraph(paragraph),
                Block::Contacts(contacts) => self.contacts(contacts),
                Block::BackgroundDocuments(documents) => self.background_documents(documents),
            }
        }
    }

    /// A body paragraph with its number, its list and its quotation.
    fn paragraph(&mut self, paragraph: &ModelParagraph) {
        let indent = twips(self.style.layout.indents.number);
        let mut p = if paragraph.number.is_some() { self.para() } else { self.unnumbered() };
        if let Some(number) = &paragraph.number {
            p = p.style("NumberedPara");
            p = match self.numbering.paragraph(&number.parts) {
                Some((num, level)) => p.numbering(NumberingId::new(num), IndentLevel::new(level)),
                None => {
                    // Not a decimal sequence Word can count: type it, hanging like the others.
                    p.indent(Some(indent), Some(SpecialIndentType::Hanging(indent)), None, None)
                        .add_run(text_run(&number.printed))
                        .add_run(Run::new().add_tab())
                }
            };
        }
        let p = self.inlines(p, &paragraph.text, RunFormat::default());
        self.push(p);
        for (index, item) in paragraph.list.iter().enumerate() {
            let mut p = self.para().style("ListContinue");
            if index + 1 == paragraph.list.len() {
                // The last line is followed by a paragraph's space, as in the PDF.
                let space =
                    Space { after: self.style.layout.spacing.paragraph.after, ..self.style.layout.spacing.list_item };
                p = p.line_spacing(spacing(space));
            }
            let p = self.inlines(p, item, RunFormat::default());
            self.push(p);
        }
        if let Some(quote) = &paragraph.quote {
            let p = self.para().style("Quote");
            let p = self.inlines(p, quote, RunFormat::default());
            self.push(p);
        }
    }

    /// Contact details: `Name: …` lines (2014) or a label line and stacked lines (2017).
    fn contacts(&mut self, contacts: &Contacts) {
        for person in &contacts.people {
            match contacts.style {
                ContactStyle::Labelled => {
                    if let Some(label) = &person.label {
                        let p = self.unnumbered().keep_next(true).add_run(text_run(label).bold());
                        self.push(p);
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
                            self.push(p);
                        }
                    }
                    if let Some(email) = &person.email {
                        let p = self.unnumbered().add_run(text_run("Email: ").bold());
                        let link = self.hyperlink(&format!("mailto:{email}"), text_run(email).style("Hyperlink"));
                        self.push(p.add_hyperlink(link));
                    }
                }
                ContactStyle::Stacked => {
                    if let Some(label) = &person.label {
                        let p = self.unnumbered().keep_next(true).add_run(text_run(label).bold());
                        self.push(p);
                    }
                    let mut p = self.unnumbered().keep_lines(true).add_run(text_run(&person.name));
                    for line in [&person.title, &person.phone].into_iter().flatten() {
                        p = p.add_run(Run::new().add_break(BreakType::TextWrapping)).add_run(text_run(line));
                    }
                    if let Some(email) = &person.email {
                        p = p.add_run(Run::new().add_break(BreakType::TextWrapping));
                        let link = self.hyperlink(&format!("mailto:{email}"), text_run(email).style("Hyperlink"));
                        p = p.add_hyperlink(link);
                    }
                    self.push(p);
                }
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

    /// An appendix: a new page (a new section when the orientation changes), the title as
    /// Heading 1, the introduction, the scorecard and its key.
    fn appendix(&mut self, appendix: &Appendix) -> anyhow::Result<()> {
        let orientation = if appendix.landscape { Orientation::Landscape } else { Orientation::Portrait };
        let new_section = orientation != self.orientation;
        if new_section {
            self.end_section();
            self.orientation = orientation;
        }
        // A section break already starts a new page; a page break on top would leave a blank one.
        let title = self.para().style("Heading1").page_break_before(!new_section).add_run(text_run(&appendix.title));
        self.push(title);
        for text in &appendix.intro {
            let p = self.para();
            let p = self.inlines(p, text, RunFormat::default());
            self.push(p);
        }
        if let Some(table) = &appendix.scorecard {
            scorecard::write(self, table, self.text_width())
                .with_context(|| format!("failed to lay out `{}`", appendix.title))?;
        }
        Ok(())
    }

    /// Ends the current section with a `w:sectPr` in its last paragraph. Sections are not
    /// docx-rs `Section`s: those lose their hyperlink relationships (Word then asks to repair).
    fn end_section(&mut self) {
        let mut properties = SectionProperty::new()
            .page_size(
                PageSize::new().size(self.orientation.width(self.paper_size), self.orientation.height(self.paper_size)),
            )
            .page_margin(page_margin(&self.style.layout));
        if self.orientation == Orientation::Landscape {
            properties = properties.page_orient(PageOrientationType::Landscape);
        }
        // The one footer (registered on the document-level section) serves every section.
        properties.footer_reference = Some(FooterReference::new("default", "rIdFooter1"));
        if !matches!(self.items.last(), Some(Item::Paragraph(_))) {
            // A section must end in a paragraph; after a table add a hairline-high one.
            let spacer = self.para().style("TableText").size(2);
            self.push(spacer);
        }
        if let Some(Item::Paragraph(last)) = self.items.last_mut() {
            last.property = std::mem::take(&mut last.property).section_property(properties);
        }
    }

    /// The footer of every page: "Page X of Y" from PAGE / NUMPAGES fields, and the
    /// classification.
    fn footer(&mut self, classification: &str) -> Footer {
        let p = self
            .para()
            .style("Footer")
            .add_run(text_run("Page "))
            .add_page_num(PageNum::new())
            .add_run(text_run(" of "))
            .add_num_pages(NumPages::new())
            .add_run(Run::new().add_break(BreakType::TextWrapping))
            .add_run(text_run(classification));
        Footer::new().add_paragraph(p)
    }
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
fn with_rule(
    mut property: ParagraphProperty,
    position: ParagraphBorderPosition,
    rule: &crate::model::layout::Rule,
) -> ParagraphProperty {
    // Border widths are in eighths of a point, their distance from the text in points.
    let width = (rule.width * 8.0).round().max(2.0) as usize;
    let rule = ParagraphBorder::new(position)
        .val(BorderType::Single)
        .size(width)
        .space(rule.gap.round() as usize)
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

/// The named styles of the document. `Normal` is written by docx-rs itself and takes Arial 12 pt
/// from the document defaults.
fn styles(house: &Style) -> Vec<DocxStyle> {
    let layout = &house.layout;
    let sizes = &layout.sizes;
    let space = &layout.spacing;
    let paragraph = |id: &str, name: &str| {
        DocxStyle::new(id, StyleType::Paragraph).name(name).based_on("Normal").next("Normal").q_format(true)
    };

    let mut heading1 = paragraph("Heading1", "heading 1")
        .bold()
        .size(half_points(sizes.heading1))
        .outline_lvl(0)
        .line_spacing(spacing(space.heading1));
    heading1.paragraph_property = heading1.paragraph_property.keep_next(true).keep_lines(true);
    let mut heading2 = paragraph("Heading2", "heading 2")
        .bold()
        .size(half_points(sizes.heading2))
        .outline_lvl(1)
        .line_spacing(spacing(space.heading2));
    heading2.paragraph_property = heading2.paragraph_property.keep_next(true).keep_lines(true);

    let number = twips(layout.indents.number);
    let numbered = paragraph("NumberedPara", "Numbered Para").next("NumberedPara");
    let list = paragraph("ListContinue", "List Continue")
        .indent(Some(number), None, None, None)
        .line_spacing(spacing(space.list_item));
    let quote = paragraph("Quote", "Quote").indent(
        Some(number + twips(layout.indents.quote_left)),
        None,
        Some(twips(layout.indents.quote_right)),
        None,
    );
    let label_column = twips(layout.label_column);
    let mut header_field = paragraph("HeaderField", "Header Field").indent(
        Some(label_column),
        Some(SpecialIndentType::Hanging(label_column)),
        None,
        None,
    );
    header_field.paragraph_property =
        header_field.paragraph_property.add_tab(Tab::new().val(TabValueType::Left).pos(label_column.max(0) as usize));
    let table_text =
        paragraph("TableText", "Table Text").size(half_points(sizes.table)).line_spacing(spacing(space.table_text));
    let title =
        paragraph("Title", "Title").bold().size(half_points(sizes.masthead)).line_spacing(spacing(space.masthead));
    let footer = paragraph("Footer", "footer")
        .size(half_points(sizes.footer))
        .align(AlignmentType::Center)
        .line_spacing(spacing(Space { before: 0.0, after: 0.0 }));
    let hyperlink =
        DocxStyle::new("Hyperlink", StyleType::Character).name("Hyperlink").color(&house.link).underline("single");

    vec![
        title,
        heading1,
        heading2,
        numbered,
        list,
        quote,
        header_field,
        table_text,
        footer,
        hyperlink,
        DocxStyle::new(scorecard::SCORECARD_STYLE, StyleType::Table).name("Scorecard Table"),
        DocxStyle::new(scorecard::KEY_STYLE, StyleType::Table).name("Scorecard Key"),
    ]
}

#[cfg(test)]
mod tests;
