//! committee-paper: Excel workbooks plus a YAML paper file in, committee papers (PDF, DOCX) out.
//!
//! # Steps
//! 1. [`config::load_paper`] reads the paper file (YAML) into a checked [`config::PaperConfig`].
//! 2. [`ingest::Workbook`] opens each appendix workbook and finds its indicator table.
//! 3. [`scorecard::load_scorecard`] rates every indicator (RAG, direction of travel, trend).
//! 4. [`model::build::build_paper`] turns all of it into the one document model, [`model::Paper`],
//!    where every printed fact is decided.
//! 5. [`render::render_pdf`] and [`render::render_docx`] turn the model into bytes.
//!
//! [`load`] runs steps 1–4, [`render()`] step 5; both return their warnings with their result.
//! Writing files is left to the caller ([`output::write_all`]), so a failed paper never leaves a
//! half-written file. [`batch`] runs the same steps for every paper of a manifest, in parallel,
//! through [`load_with`] and one shared [`ingest::WorkbookCache`].
//!
//! Modules depend one way only: `diagnostic` ← `config` ← `ingest` ← `scorecard` ← `model` ←
//! `render` ← `batch`, `output`, `example` and this file ← `main` (checked by `tests/layers.rs`).

pub mod batch;
pub mod config;
pub mod diagnostic;
pub mod example;
pub mod ingest;
pub mod model;
pub mod output;
pub mod pack;
pub mod render;
pub mod scorecard;
pub mod watch;

use std::path::Path;

use anyhow::Result;

pub use config::{Formats, Overrides, PdfStandard};
pub use diagnostic::Warning;
pub use model::build::build_paper;

/// A paper read, rated and modelled: everything needed to render or check it.
pub struct Loaded {
    pub config: config::PaperConfig,
    /// One entry per appendix: its scorecard, if it has one.
    pub scorecards: Vec<Option<scorecard::Scorecard>>,
    pub paper: model::Paper,
    /// What the author should know but that does not stop the paper (formulas computed, mixed
    /// percentage formats, settings for hidden rows), in appendix order.
    pub warnings: Vec<Warning>,
}

impl Loaded {
    /// What `committee-paper check` reports: every rated indicator of every scorecard.
    pub fn check_report(&self) -> scorecard::CheckReport<'_> {
        scorecard::CheckReport::new(&self.paper.meta.title, self.scorecards.iter().flatten())
    }
}

/// Steps 1–4: paper file -> workbooks -> scorecards -> document model.
pub fn load(paper_file: &Path) -> Result<Loaded> {
    load_with(config::load_paper(paper_file)?, &Overrides::default(), &ingest::WorkbookCache::new())
}

/// Steps 2–4 for a paper file already read, with `overrides` applied, opening workbooks through
/// `workbooks`: a batch shares one cache so a workbook used by several papers is read once.
pub fn load_with(
    mut config: config::PaperConfig,
    overrides: &Overrides,
    workbooks: &ingest::WorkbookCache,
) -> Result<Loaded> {
    overrides.apply(&mut config);
    let mut scorecards = Vec::new();
    for appendix in &config.appendices {
        scorecards.push(match &appendix.scorecard {
            Some(sc) => {
                let mut card = workbooks
                    .with(&sc.workbook, &sc.workbook_as_written, |workbook| scorecard::load_scorecard(sc, workbook))
                    .map_err(|e| {
                        // A problem with the workbook file itself also names the line that chose it.
                        match e.downcast_ref::<diagnostic::Diagnostic>() {
                            Some(d) if d.location == sc.workbook_as_written => diagnostic::chosen_at(
                                e,
                                &sc.workbook_at,
                                &format!("workbook: {}", sc.workbook_as_written),
                            ),
                            _ => e,
                        }
                    })?;
                if let Some(period) = &overrides.period {
                    card.period = Some(period.clone());
                }
                Some(card)
            }
            None => None,
        });
    }
    let paper = build_paper(&config, &scorecards)?;
    let warnings = scorecards.iter().flatten().flat_map(|card| card.warnings.iter().cloned()).collect();
    Ok(Loaded { config, scorecards, paper, warnings })
}

/// Knobs for [`render()`].
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    pub formats: Formats,
    pub pdf: render::PdfOptions,
    pub docx: render::DocxOptions,
    /// Draw the DOCX after the PDF on the calling thread, never beside it: a batch sets it, as
    /// its workers already keep every core busy with papers.
    pub one_thread: bool,
}

/// The files of a paper, and what the renderers warned about.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// Named `<stem>.<ext>`.
    pub files: Vec<output::OutputFile>,
    pub warnings: Vec<Warning>,
}

/// Above this many scorecard rows in a paper, its DOCX is drawn after its PDF, not beside it.
///
/// Beside it, the two renderers' memory adds up; measured on a 5,000-indicator appendix: the PDF
/// alone peaks at 932 MB, the DOCX alone at 283 MB, both at once at 1,161 MB, for half a second
/// saved of the PDF's four (BENCHMARKS.md). A paper of a few dozen rows saves a quarter of its
/// time and a few megabytes at most.
pub const DOCX_BESIDE_PDF_MAX_ROWS: usize = 1_000;

/// Step 5: the model rendered to file contents, named `<stem>.<ext>`.
///
/// With both formats the DOCX is drawn on a second thread while this one typesets the PDF: the
/// two renderers share nothing but the model, and the DOCX takes a fraction of the PDF's time,
/// so a paper costs the time of its PDF alone (BENCHMARKS.md). Very long papers are drawn one
/// after the other ([`DOCX_BESIDE_PDF_MAX_ROWS`]).
pub fn render(paper: &model::Paper, stem: &str, options: &RenderOptions) -> Result<Rendered> {
    let rows: usize =
        paper.appendices.iter().flat_map(|a| &a.scorecard).flat_map(|s| &s.groups).map(|g| g.rows.len()).sum();
    let both = options.formats.pdf && options.formats.docx && !options.one_thread && rows <= DOCX_BESIDE_PDF_MAX_ROWS;
    let (pdf, docx) = std::thread::scope(|scope| {
        let beside = both.then(|| scope.spawn(|| render::render_docx(paper, &options.docx)));
        let pdf = options.formats.pdf.then(|| render::render_pdf(paper, &options.pdf));
        let docx = match beside {
            // A panic in the DOCX renderer is the caller's, as it would be on this thread (a
            // batch isolates each paper with `catch_unwind`).
            Some(thread) => Some(thread.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))),
            None => options.formats.docx.then(|| render::render_docx(paper, &options.docx)),
        };
        (pdf, docx)
    });
    let mut rendered = Rendered::default();
    if let Some(pdf) = pdf {
        let pdf = pdf?;
        rendered.files.push(output::OutputFile { name: format!("{stem}.pdf"), bytes: pdf.bytes });
        rendered.warnings.extend(pdf.warnings);
    }
    if let Some(docx) = docx {
        rendered.files.push(output::OutputFile { name: format!("{stem}.docx"), bytes: docx? });
    }
    Ok(rendered)
}

/// `committee-paper eject`: the paper as a typst project (`main.typ`, `paper.json`, the logo,
/// `fonts/`, a README with the command that compiles it) for an author to hand-tune with typst
/// itself; see [`render::pdf::eject_pdf`].
pub fn eject(paper: &model::Paper, options: &render::PdfOptions) -> Result<Rendered> {
    let (files, warnings) = render::pdf::eject_pdf(paper, options)?;
    let files = files.into_iter().map(|f| output::OutputFile { name: f.path, bytes: f.bytes }).collect();
    Ok(Rendered { files, warnings })
}
