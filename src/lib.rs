//! committee-paper: Excel workbooks plus a YAML paper file in, committee papers (PDF, DOCX) out.
//!
//! # Steps
//! 1. [`config::load_paper`] reads the paper file (YAML) into a checked [`config::PaperConfig`].
//! 2. [`ingest::Workbook`] opens each appendix workbook and finds its indicator table.
//! 3. [`scorecard::load_scorecard`] rates every indicator (RAG, direction of travel) and lays out
//!    the printed table.
//! 4. [`model::build_paper`] turns all of it into the one document model, [`model::Paper`].
//! 5. [`render::render_pdf`] and [`render::render_docx`] turn the model into bytes.
//!
//! [`load`] runs steps 1–4, [`render`] step 5; writing files is left to the caller
//! ([`output::write_all`]), so a failed paper never leaves a half-written file. [`batch`] runs the
//! same steps for every paper of a manifest, in parallel, through [`load_with`].

pub mod batch;
pub mod config;
pub mod diagnostic;
pub mod example;
pub mod ingest;
pub mod model;
pub mod output;
pub mod render;
pub mod scorecard;
pub mod watch;

use std::path::Path;

use anyhow::Result;

pub use model::build::build_paper;

/// A paper read, rated and modelled: everything needed to render or check it.
pub struct Loaded {
    pub config: config::PaperConfig,
    /// One entry per appendix: its scorecard, if it has one.
    pub scorecards: Vec<Option<scorecard::Scorecard>>,
    pub paper: model::Paper,
}

impl Loaded {
    /// What the author should know about this paper that did not stop it (formulas computed,
    /// mixed percentage formats), in appendix order.
    pub fn warnings(&self) -> Vec<&diagnostic::Diagnostic> {
        self.scorecards.iter().flatten().flat_map(|card| card.warnings.iter()).collect()
    }
}

/// Steps 1–4: paper file -> workbooks -> scorecards -> document model.
pub fn load(paper_file: &Path) -> Result<Loaded> {
    load_with(config::load_paper(paper_file)?, &Overrides::default(), &batch::WorkbookCache::new())
}

/// What a batch manifest may change in a paper without editing its paper file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    /// Replaces the meeting date: the Date row, `{{ meeting_date }}`, the documents' dates, and an
    /// output name that starts with the old date.
    pub date: Option<chrono::NaiveDate>,
    /// Replaces the reporting period of every scorecard: what `{{ period }}` prints and the
    /// period the table states. The indicator values still come from the workbook as it is.
    pub period: Option<String>,
}

impl Overrides {
    /// Applies the date to a paper file's settings. Applying twice changes nothing more.
    pub fn apply(&self, config: &mut config::PaperConfig) {
        if let Some(date) = self.date {
            let old = config.date.format("%Y-%m-%d").to_string();
            if let Some(rest) = config.output_stem.strip_prefix(&old) {
                config.output_stem = format!("{}{rest}", date.format("%Y-%m-%d"));
            }
            config.date = date;
        }
    }
}

/// Steps 2–4 for a paper file already read, with `overrides` applied, opening workbooks through
/// `workbooks`: a batch shares one cache so a workbook used by several papers is read once.
pub fn load_with(
    mut config: config::PaperConfig,
    overrides: &Overrides,
    workbooks: &batch::WorkbookCache,
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
                    card.table.period = Some(period.clone());
                }
                Some(card)
            }
            None => None,
        });
    }
    let paper = build_paper(&config, &scorecards)?;
    Ok(Loaded { config, scorecards, paper })
}

/// Which files to produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    pub pdf: bool,
    pub docx: bool,
}

impl Default for Formats {
    fn default() -> Self {
        Formats { pdf: true, docx: true }
    }
}

/// Knobs for [`render`].
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    pub formats: Formats,
    pub pdf: render::PdfOptions,
    pub docx: render::DocxOptions,
}

/// Step 5: the model rendered to file contents, named `<stem>.<ext>`.
pub fn render(paper: &model::Paper, stem: &str, options: &RenderOptions) -> Result<Vec<output::OutputFile>> {
    let mut files = Vec::new();
    if options.formats.pdf {
        files.push(output::OutputFile { name: format!("{stem}.pdf"), bytes: render::render_pdf(paper, &options.pdf)? });
    }
    if options.formats.docx {
        files.push(output::OutputFile {
            name: format!("{stem}.docx"),
            bytes: render::render_docx(paper, &options.docx)?,
        });
    }
    Ok(files)
}
