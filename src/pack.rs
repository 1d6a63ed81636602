//! Agenda packs: a meeting file in, the clerk's PDFs out (`committee-paper pack`).
//!
//! Steps, like a paper's but one level up:
//! 1. [`config::meeting::load_meeting`] reads the meeting file: items numbered, contents checked.
//! 2. [`load`] loads every item, in parallel: a paper through the paper pipeline
//!    ([`crate::load_with`], the meeting's date applied, workbooks shared through one
//!    [`WorkbookCache`]), an external PDF through [`crate::ingest::pdf`]. A failing item names
//!    itself and carries the paper's own located error; nothing is written.
//! 3. [`crate::model::pack::build_pack`] makes each version of the pack (public, full, supplement).
//! 4. [`render::render_pack_pdf`] typesets each as one document; [`build`] returns the files for
//!    [`crate::output::write_all`], which writes all of them or none.
//!
//! [`check`] lays the packs out without writing anything and reports each item's pages and the
//! publication deadline.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use anyhow::Result;
use chrono::NaiveDate;

use crate::config::meeting::{ItemConfig, ItemContent, MeetingConfig, load_meeting};
use crate::diagnostic::{Diagnostic, Warning};
use crate::ingest::WorkbookCache;
use crate::ingest::pdf::{ExternalPdf, read_pdf};
use crate::model::build::display_date;
use crate::model::deadline::{self, CLEAR_WORKING_DAYS, Deadline};
use crate::model::pack::{ItemSource, Pack, PackVersion, build_pack};
use crate::output::OutputFile;
use crate::render::{PdfOptions, render_pack_pdf};
use crate::{Loaded, Overrides, PdfStandard, config, load_with, render};

/// A meeting with every item loaded.
pub struct LoadedMeeting {
    pub meeting: MeetingConfig,
    /// One per agenda item, in order.
    pub items: Vec<LoadedItem>,
    /// Things the clerk should know that do not stop the pack.
    pub warnings: Vec<Warning>,
}

/// What an agenda item holds, loaded.
pub enum LoadedItem {
    None,
    Paper(Box<Loaded>),
    Pdf(ExternalPdf),
}

impl LoadedMeeting {
    /// The item sources the pack model is built from.
    fn sources(&self) -> Vec<ItemSource<'_>> {
        self.items
            .iter()
            .map(|item| match item {
                LoadedItem::None => ItemSource::None,
                LoadedItem::Paper(loaded) => ItemSource::Paper { paper: &loaded.paper },
                LoadedItem::Pdf(pdf) => ItemSource::Pdf { pdf },
            })
            .collect()
    }

    /// One version of the pack.
    pub fn pack(&self, version: PackVersion) -> Pack {
        build_pack(&self.meeting, &self.sources(), version)
    }

    /// The versions this meeting needs, built.
    pub fn packs(&self) -> Vec<Pack> {
        PackVersion::for_meeting(&self.meeting).into_iter().map(|v| self.pack(v)).collect()
    }

    /// The PDF standard: the command line's, else the meeting file's, else the default.
    fn standard(&self, asked: Option<PdfStandard>) -> PdfStandard {
        asked.or(self.meeting.pdf_standard).unwrap_or_default()
    }
}

/// Reads the meeting file and loads every item (steps 1 and 2).
pub fn load(path: &Path) -> Result<LoadedMeeting> {
    load_with_cache(load_meeting(path)?, &WorkbookCache::new())
}

/// Loads the items of a meeting already read, opening workbooks through `workbooks`: on one
/// worker thread per core, each taking the next item, so that the papers' workbooks are read and
/// the PDFs converted side by side. (No typst here, so no pool is nested in another.)
pub fn load_with_cache(meeting: MeetingConfig, workbooks: &WorkbookCache) -> Result<LoadedMeeting> {
    let count = meeting.items.len();
    let threads = std::thread::available_parallelism().map_or(1, usize::from).clamp(1, count.max(1));
    let next = AtomicUsize::new(0);
    // One slot per item, filled by whichever thread loads it.
    type Slot = Mutex<Option<Result<(LoadedItem, Vec<Warning>)>>>;
    let slots: Vec<Slot> = (0..count).map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = meeting.items.get(i) else { break };
                    let result = load_item(&meeting, item, workbooks);
                    *slots[i].lock().unwrap_or_else(PoisonError::into_inner) = Some(result);
                }
            });
        }
    });
    let results = slots.into_iter().map(|slot| {
        slot.into_inner()
            .unwrap_or_else(PoisonError::into_inner)
            .unwrap_or_else(|| Err(anyhow::anyhow!("internal error: an agenda item was not loaded")))
    });
    let mut items = Vec::new();
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    for (result, item) in results.into_iter().zip(&meeting.items) {
        match result {
            Ok((loaded, notes)) => {
                items.push(loaded);
                warnings.extend(notes);
            }
            Err(err) => errors.push((item.number.clone(), err)),
        }
    }
    if !errors.is_empty() {
        let others: Vec<String> = errors.iter().skip(1).map(|(n, _)| n.clone()).collect();
        let (_, mut first) = errors.swap_remove(0);
        if !others.is_empty() {
            let also = format!("item(s) {} failed too; each is reported once this one is fixed", others.join(", "));
            match first.downcast_mut::<Diagnostic>() {
                Some(d) => d.hint = Some(d.hint.take().map_or(also.clone(), |h| format!("{h}\n  hint: {also}"))),
                None => first = first.context(also),
            }
        }
        return Err(first);
    }
    Ok(LoadedMeeting { meeting, items, warnings })
}

/// Loads one item; an error names the item and keeps the cause (the paper's own located error).
fn load_item(
    meeting: &MeetingConfig,
    item: &ItemConfig,
    workbooks: &WorkbookCache,
) -> Result<(LoadedItem, Vec<Warning>)> {
    let name = format!("agenda item {} ({:?})", item.number, item.title);
    let mut warnings = Vec::new();
    let loaded = match &item.content {
        ItemContent::None => LoadedItem::None,
        ItemContent::Pdf(file) => LoadedItem::Pdf(read_pdf(&file.path, &file.as_written, &file.at)?),
        ItemContent::Paper(file) => {
            let failed = |err: anyhow::Error| {
                err.context(Diagnostic::new(
                    file.at.clone(),
                    format!("{name}: the paper file {:?} could not be built", file.as_written),
                ))
            };
            let config = config::load_paper(&file.path).map_err(failed)?;
            if config.date != meeting.date {
                warnings.push(Warning::new(
                    file.at.clone(),
                    format!(
                        "{name}: the paper is dated {}; the pack prints the meeting's date, {}",
                        display_date(&config.date),
                        display_date(&meeting.date)
                    ),
                ));
            }
            if !config.to.value.trim().eq_ignore_ascii_case(&meeting.committee.value) {
                warnings.push(Warning::new(
                    file.at.clone(),
                    format!(
                        "{name}: the paper is addressed to {:?}, not {:?}",
                        config.to.value.trim(),
                        meeting.committee.value
                    ),
                ));
            }
            let overrides = Overrides { date: Some(meeting.date), period: None };
            let loaded = load_with(config, &overrides, workbooks).map_err(failed)?;
            warnings.extend(loaded.warnings.iter().cloned());
            LoadedItem::Paper(Box::new(loaded))
        }
    };
    if let (LoadedItem::Pdf(pdf), ItemContent::Pdf(file)) = (&loaded, &item.content) {
        let without_text: Vec<String> =
            pdf.pages.iter().enumerate().filter(|(_, p)| p.text.is_empty()).map(|(i, _)| (i + 1).to_string()).collect();
        let message = if without_text.is_empty() {
            format!(
                "{name}: the PDF's pages are placed as pictures, each with its text as alternative text (without \
                 its headings or tables); publish the accessible original beside the pack if there is one"
            )
        } else {
            format!(
                "{name}: the PDF's pages are placed as pictures, and page(s) {} have no text that screen readers \
                 could be given (a scan?); publish an accessible copy beside the pack",
                without_text.join(", ")
            )
        };
        warnings.push(Warning::new(file.at.clone(), message));
    }
    Ok((loaded, warnings))
}

/// How to build packs.
#[derive(Debug, Clone, Default)]
pub struct PackOptions {
    /// `None`: the meeting file's `pdf-standard`, else the default (PDF/A-2a + PDF/UA-1).
    pub standard: Option<PdfStandard>,
    /// How many later renders an unused typst memo entry survives once the packs are made (see
    /// [`PdfOptions::keep_cache`]): 0 for one `pack`, the batch's own setting in a batch.
    pub keep_cache: usize,
}

/// The pack files of a meeting, ready to write, and what the clerk should know.
pub struct Built {
    pub files: Vec<OutputFile>,
    /// Each version with its pages, in the order of `files` (whose bytes have moved there).
    pub versions: Vec<(PackVersion, render::PackPdf)>,
    pub deadline: DeadlineCheck,
    pub warnings: Vec<Warning>,
}

/// Steps 3 and 4: every version of the pack typeset, named `<stem>-<version>.pdf`.
pub fn build(loaded: &LoadedMeeting, options: &PackOptions) -> Result<Built> {
    let standard = loaded.standard(options.standard);
    let packs = loaded.packs();
    let mut files = Vec::new();
    let mut versions = Vec::new();
    let mut warnings = loaded.warnings.clone();
    for (i, pack) in packs.iter().enumerate() {
        // The versions share most of their pages: keep typst's memo entries until the last.
        let keep_cache = if i + 1 < packs.len() { options.keep_cache.max(2) } else { options.keep_cache };
        let mut rendered = render_pack_pdf(pack, &PdfOptions { standard, keep_cache, ..Default::default() })?;
        for warning in &rendered.warnings {
            if !warnings.contains(warning) {
                warnings.push(warning.clone());
            }
        }
        files.push(OutputFile {
            name: format!("{}-{}.pdf", loaded.meeting.output_stem, pack.version.suffix()),
            bytes: std::mem::take(&mut rendered.bytes),
        });
        versions.push((pack.version, rendered));
    }
    let deadline = DeadlineCheck::new(&loaded.meeting);
    warnings.extend(deadline.warning());
    Ok(Built { files, versions, deadline, warnings })
}

/// The publication deadline of a meeting, and whether the planned date (`publish-by`) meets it.
#[derive(Debug, Clone)]
pub struct DeadlineCheck {
    /// The deadline, or why it cannot be worked out (a date beyond the bank-holiday table).
    pub deadline: std::result::Result<Deadline, deadline::OutsideTable>,
    /// `publish-by` and the clear working days it leaves.
    pub planned: Option<(NaiveDate, std::result::Result<usize, deadline::OutsideTable>)>,
    /// Where `date:` and `publish-by:` are written, for located messages.
    date_at: String,
    publish_by_at: String,
}

impl DeadlineCheck {
    fn new(meeting: &MeetingConfig) -> Self {
        DeadlineCheck {
            deadline: deadline::publication_deadline(meeting.date),
            planned: meeting
                .publish_by
                .as_ref()
                .map(|p| (p.value, deadline::clear_working_days(p.value, meeting.date))),
            date_at: meeting.date_at.clone(),
            publish_by_at: meeting.publish_by.as_ref().map(|p| p.at.clone()).unwrap_or_default(),
        }
    }

    /// A warning when `publish-by` leaves fewer than five clear working days, or when it cannot
    /// be judged.
    pub fn warning(&self) -> Option<Warning> {
        let (date, clear) = self.planned.as_ref()?;
        Some(match clear {
            Ok(days) if *days >= CLEAR_WORKING_DAYS => return None,
            Ok(days) => {
                let latest = match &self.deadline {
                    Ok(d) => format!("; publish by {} at the latest", long_date(&d.latest)),
                    Err(_) => String::new(),
                };
                Warning::new(
                    self.publish_by_at.clone(),
                    format!(
                        "publish-by {} leaves {days} clear working day(s) before the meeting, {CLEAR_WORKING_DAYS} \
                         are required (Local Government Act 1972 s100B){latest}",
                        long_date(date)
                    ),
                )
            }
            Err(e) => Warning::new(self.publish_by_at.clone(), format!("cannot check publish-by: {e}")),
        })
    }

    /// The lines `pack` and `pack --check` print.
    pub fn to_text(&self) -> String {
        match &self.deadline {
            Ok(d) => {
                let days: Vec<String> = d.clear_days.iter().map(|day| day.format("%a %-d %b").to_string()).collect();
                let mut text = format!(
                    "latest publication date: {} ({CLEAR_WORKING_DAYS} clear working days: {})\n",
                    long_date(&d.latest),
                    days.join(", ")
                );
                for (day, name) in &d.holidays {
                    text.push_str(&format!("  not a working day: {} ({name})\n", long_date(day)));
                }
                if let Some((date, Ok(clear))) = &self.planned {
                    let verdict = if *clear >= CLEAR_WORKING_DAYS { "in time" } else { "TOO LATE" };
                    text.push_str(&format!(
                        "publish-by: {} leaves {clear} clear working day(s): {verdict}\n",
                        long_date(date)
                    ));
                }
                text
            }
            Err(e) => format!("latest publication date: unknown ({e})\n"),
        }
    }
}

/// `Tuesday 19 August 2014`.
fn long_date(date: &NaiveDate) -> String {
    date.format("%A %-d %B %Y").to_string()
}

/// What `pack --check` reports: the agenda with each item's pages in every version, and the
/// deadline.
#[derive(Debug, Clone)]
pub struct CheckReport {
    pub committee: String,
    pub date: String,
    pub items: Vec<CheckItem>,
    /// Pages in each version of the pack.
    pub totals: Vec<(PackVersion, usize)>,
    pub deadline: DeadlineCheck,
    pub warnings: Vec<Warning>,
}

/// One agenda line of the report.
#[derive(Debug, Clone)]
pub struct CheckItem {
    pub number: String,
    pub title: String,
    /// `paper`, `pdf` or `none`.
    pub content: &'static str,
    pub exempt: Option<u8>,
    pub supplement: bool,
    pub lead: Option<String>,
    /// (version, first page, page count) for each version that holds the item's pages.
    pub pages: Vec<(PackVersion, usize, usize)>,
}

/// Lays out every version and reports; writes nothing. Fails when the deadline cannot be worked
/// out (a meeting beyond the bank-holiday table).
pub fn check(loaded: &LoadedMeeting, options: &PackOptions) -> Result<CheckReport> {
    let deadline = DeadlineCheck::new(&loaded.meeting);
    if let Err(e) = &deadline.deadline {
        return Err(Diagnostic::new(deadline.date_at.clone(), e.to_string())
            .with_hint(
                "give `publish-by:` and check it against the council's calendar by hand, or build without --check",
            )
            .into());
    }
    let standard = loaded.standard(options.standard);
    let mut warnings = loaded.warnings.clone();
    let mut layouts = Vec::new();
    for pack in loaded.packs() {
        let laid_out = render::paginate_pack(&pack, &PdfOptions { standard, keep_cache: 2, ..Default::default() })?;
        for warning in &laid_out.warnings {
            if !warnings.contains(warning) {
                warnings.push(warning.clone());
            }
        }
        layouts.push((pack, laid_out));
    }
    typst::comemo::evict(0);
    warnings.extend(deadline.warning());
    let items = loaded
        .meeting
        .items
        .iter()
        .zip(&loaded.items)
        .map(|(item, content)| {
            let mut pages = Vec::new();
            let mut lead = item.lead.clone();
            for (pack, laid_out) in &layouts {
                for (pack_item, item_pages) in pack.items.iter().zip(&laid_out.items) {
                    if pack_item.number == item.number {
                        lead = lead.take().or_else(|| pack_item.lead.clone());
                        if let Some(start) = item_pages.start {
                            pages.push((pack.version, start, item_pages.count));
                        }
                    }
                }
            }
            CheckItem {
                number: item.number.clone(),
                title: item.title.clone(),
                content: match content {
                    LoadedItem::None => "none",
                    LoadedItem::Paper(_) => "paper",
                    LoadedItem::Pdf(_) => "pdf",
                },
                exempt: item.exempt,
                supplement: item.supplement,
                lead,
                pages,
            }
        })
        .collect();
    Ok(CheckReport {
        committee: loaded.meeting.committee.value.clone(),
        date: loaded.meeting.date.format("%Y-%m-%d").to_string(),
        items,
        totals: layouts.iter().map(|(pack, laid_out)| (pack.version, laid_out.pages)).collect(),
        deadline,
        warnings,
    })
}

impl CheckReport {
    /// The agenda as a table for a terminal.
    pub fn to_text(&self) -> String {
        let date = NaiveDate::parse_from_str(&self.date, "%Y-%m-%d").map(|d| long_date(&d)).unwrap_or_default();
        let mut out = format!("{}, {date}\n\n", self.committee);
        let versions: Vec<PackVersion> = self.totals.iter().map(|(v, _)| *v).collect();
        let title_width = self.items.iter().map(|i| i.title.chars().count()).max().unwrap_or(5).clamp(5, 60);
        out.push_str(&format!("{:<5} {:<title_width$}  {:<6}", "item", "title", "holds"));
        for v in &versions {
            out.push_str(&format!("  {:>12}", format!("{} pages", v.suffix())));
        }
        out.push('\n');
        for item in &self.items {
            let title: String = item.title.chars().take(title_width).collect();
            out.push_str(&format!("{:<5} {title:<title_width$}  {:<6}", item.number, item.content));
            for v in &versions {
                let cell = match item.pages.iter().find(|(pv, ..)| pv == v) {
                    Some((_, start, 1)) => format!("{start}"),
                    Some((_, start, count)) => format!("{start}–{} ({count})", start + count - 1),
                    None => "–".to_string(),
                };
                out.push_str(&format!("  {cell:>12}"));
            }
            out.push('\n');
            let mut notes = Vec::new();
            if let Some(lead) = &item.lead {
                notes.push(format!("lead: {lead}"));
            }
            if let Some(p) = item.exempt {
                notes.push(format!("exempt, paragraph {p}: withheld from the public packs"));
            }
            if item.supplement {
                notes.push("supplementary".to_string());
            }
            if !notes.is_empty() {
                out.push_str(&format!("      {}\n", notes.join("; ")));
            }
        }
        out.push('\n');
        let totals: Vec<String> = self.totals.iter().map(|(v, n)| format!("{} pack {n} pages", v.suffix())).collect();
        out.push_str(&format!("{}\n", totals.join(", ")));
        out.push_str(&self.deadline.to_text());
        out
    }
}
