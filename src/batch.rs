//! Batch runs: a manifest in, every paper it lists built in parallel, a summary out. A manifest
//! may also list meeting files, whose agenda packs are built as `committee-paper pack` builds
//! them, each meeting on its own (a failed meeting, like a failed paper, stops nothing else).
//!
//! Three steps, so that nothing is written when the manifest itself is wrong:
//! 1. [`plan`] reads every paper file (cheap: YAML only), applies the manifest's overrides and
//!    decides each paper's output name. Two papers that would write the same file are an error
//!    here, before anything is built. A paper whose file is missing or broken is *not* an error
//!    of the batch: it is carried along and reported as failed.
//! 2. [`Shard::select`] keeps a deterministic share of the papers, for CI matrices and array jobs.
//! 3. [`build`] builds the papers on N worker threads. Each paper is loaded through one shared
//!    [`WorkbookCache`], rendered and written atomically on its own; a failure (or a panic in a
//!    renderer) is recorded in its [`PaperReport`] and never stops the others, and so are its
//!    warnings, printed once with the summary.
//!
//! Fonts, the typst library and the template are process-wide statics of the PDF renderer, so
//! they are loaded once per process whatever the number of papers; the renderer also evicts
//! typst's memo cache after each paper, keeping entries used in the last [`BATCH_KEEP_CACHE`]
//! renders, which keeps memory flat over a long batch while papers reuse each other's work.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use anyhow::Result;
use serde::Serialize;

use crate::config::manifest::{
    Manifest, ManifestMeeting, ManifestPaper, check_output_name, expand_pattern, load_manifest,
};
use crate::config::meeting::{MeetingConfig, load_meeting};
use crate::config::style::StyleConfig;
use crate::config::{PaperConfig, load_paper, slug};
use crate::diagnostic::Diagnostic;
use crate::ingest::WorkbookCache;
use crate::model::pack::PackVersion;
use crate::render::PdfOptions;
use crate::{RenderOptions, load_with, output};

/// Renders an unused typst memo entry survives in a batch (see [`PdfOptions::keep_cache`]).
pub const BATCH_KEEP_CACHE: usize = 10;

/// One paper of a batch, planned: its manifest entry, its paper file read (or why not) and the
/// output name decided.
#[derive(Debug)]
pub struct Planned {
    pub entry: ManifestPaper,
    /// The paper file read and overridden, or the error that stops this paper.
    pub config: Result<PaperConfig>,
    /// `None` when the paper file could not be read.
    pub output: Option<String>,
}

/// One meeting of a batch, planned: its meeting file read (or why not) and the packs' stem.
#[derive(Debug)]
pub struct PlannedMeeting {
    pub entry: ManifestMeeting,
    /// The meeting file read, or the error that stops this meeting.
    pub config: Result<MeetingConfig>,
    /// `None` when the meeting file could not be read.
    pub output: Option<String>,
}

impl PlannedMeeting {
    /// The files its packs will be: `<stem>-public.pdf`, `<stem>-full.pdf` and, when an item is
    /// late, `<stem>-supplement.pdf`.
    fn files(&self) -> Vec<String> {
        match (&self.config, &self.output) {
            (Ok(meeting), Some(stem)) => {
                PackVersion::for_meeting(meeting).iter().map(|v| format!("{stem}-{}.pdf", v.suffix())).collect()
            }
            _ => Vec::new(),
        }
    }
}

/// What a shard is chosen by: an entry's output name and its place in the manifest.
pub trait ShardKey {
    /// The output name, or for an entry whose file could not be read its path.
    fn sort_key(&self) -> &str;
    /// The 1-based position in the manifest.
    fn index(&self) -> usize;
}

impl ShardKey for Planned {
    fn sort_key(&self) -> &str {
        self.output.as_deref().unwrap_or(&self.entry.paper_as_written)
    }
    fn index(&self) -> usize {
        self.entry.index
    }
}

impl ShardKey for PlannedMeeting {
    fn sort_key(&self) -> &str {
        self.output.as_deref().unwrap_or(&self.entry.meeting_as_written)
    }
    fn index(&self) -> usize {
        self.entry.index
    }
}

/// A manifest with every paper and meeting planned.
#[derive(Debug)]
pub struct Plan {
    pub manifest: Manifest,
    pub papers: Vec<Planned>,
    pub meetings: Vec<PlannedMeeting>,
}

/// Reads every paper and meeting file of the manifest and decides the output names; refuses two
/// entries that would write the same file.
pub fn plan(manifest: Manifest) -> Result<Plan> {
    let papers: Vec<Planned> = manifest.papers.iter().map(|entry| plan_one(entry, manifest.style.as_ref())).collect();
    let meetings: Vec<PlannedMeeting> = manifest.meetings.iter().map(plan_meeting).collect();
    // File names compared ignoring case: Windows and macOS folders would clash on them too.
    // The entry writing each file: (kind, index, path as written, where).
    let mut writers: BTreeMap<String, (&str, usize, &str, &str)> = BTreeMap::new();
    let paper_files = papers.iter().flat_map(|p| {
        let names: Vec<String> = match &p.output {
            Some(stem) => p.entry.formats.extensions().map(|ext| format!("{stem}.{ext}")).collect(),
            None => Vec::new(),
        };
        let writer = ("paper", p.entry.index, p.entry.paper_as_written.as_str(), p.entry.at.as_str());
        names.into_iter().map(move |file| (file, writer))
    });
    let meeting_files = meetings.iter().flat_map(|m| {
        let writer = ("meeting", m.entry.index, m.entry.meeting_as_written.as_str(), m.entry.at.as_str());
        m.files().into_iter().map(move |file| (file, writer))
    });
    for (file, writer) in paper_files.chain(meeting_files) {
        if let Some(first) = writers.insert(file.to_lowercase(), writer) {
            let (kind, index, written, at) = writer;
            let both = if first.0 == kind {
                format!("{kind}s {} ({}) and {index} ({written})", first.1, first.2)
            } else {
                format!("{} {} ({}) and {kind} {index} ({written})", first.0, first.1, first.2)
            };
            return Err(Diagnostic::new(at.to_string(), format!("{both} would both write {file}"))
                .with_hint(format!(
                    "give one of them its own name in the manifest, e.g. `output: \"{{stem}}-{index}\"`; the first is \
                     at {}",
                    first.3
                ))
                .into());
        }
    }
    Ok(Plan { manifest, papers, meetings })
}

/// Reads one meeting file (YAML only: its papers are read when it is built) and decides the
/// packs' stem.
fn plan_meeting(entry: &ManifestMeeting) -> PlannedMeeting {
    let failed = |err: anyhow::Error| PlannedMeeting { entry: entry.clone(), config: Err(err), output: None };
    if !entry.meeting.is_file() {
        return failed(
            Diagnostic::new(
                entry.at.clone(),
                format!(
                    "meeting file {:?} not found (looked for {})",
                    entry.meeting_as_written,
                    entry.meeting.display()
                ),
            )
            .with_hint("meeting paths are relative to the manifest")
            .into(),
        );
    }
    let config = match load_meeting(&entry.meeting) {
        Ok(config) => config,
        Err(err) => return failed(err),
    };
    let name = expand_pattern(&entry.output.value, |key| match key {
        "stem" => config.output_stem.clone(),
        "date" => config.date.format("%Y-%m-%d").to_string(),
        "slug" | "committee" => slug(&config.committee.value),
        "file" => entry.meeting.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
        "folder" => entry
            .meeting
            .parent()
            .and_then(Path::file_name)
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        _ => String::new(),
    });
    if let Err(message) = check_output_name(&name) {
        let at = if entry.output.at.is_empty() { entry.at.clone() } else { entry.output.at.clone() };
        return failed(Diagnostic::new(at, message).into());
    }
    PlannedMeeting { entry: entry.clone(), config: Ok(config), output: Some(name) }
}

/// Reads one paper file, lays the manifest's house style under its own and applies the entry's
/// overrides, and decides its output name.
fn plan_one(entry: &ManifestPaper, house_style: Option<&StyleConfig>) -> Planned {
    let failed = |err: anyhow::Error| Planned { entry: entry.clone(), config: Err(err), output: None };
    if !entry.paper.is_file() {
        return failed(
            Diagnostic::new(
                entry.at.clone(),
                format!("paper file {:?} not found (looked for {})", entry.paper_as_written, entry.paper.display()),
            )
            .with_hint("paper paths are relative to the manifest")
            .into(),
        );
    }
    let mut config = match load_paper(&entry.paper) {
        Ok(config) => config,
        Err(err) => return failed(err),
    };
    entry.overrides().apply(&mut config);
    if let Some(house) = house_style {
        config.style = std::mem::take(&mut config.style).over(house);
    }
    let name = expand_pattern(&entry.output.value, |key| match key {
        "stem" => config.output_stem.clone(),
        "date" => config.date.format("%Y-%m-%d").to_string(),
        "slug" => slug(&config.subject.value),
        "committee" => slug(&config.to.value),
        "file" => entry.paper.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
        "folder" => {
            entry.paper.parent().and_then(Path::file_name).map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
        }
        _ => String::new(),
    });
    if let Err(message) = check_output_name(&name) {
        let at = if entry.output.at.is_empty() { entry.at.clone() } else { entry.output.at.clone() };
        return failed(Diagnostic::new(at, message).into());
    }
    Planned { entry: entry.clone(), config: Ok(config), output: Some(name) }
}

/// A deterministic share of a batch: `--shard 2/4` is the second of four.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Shard {
    /// 1-based.
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// Parses `I/N` with 1 ≤ I ≤ N.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let (i, n) = text.split_once('/').ok_or_else(|| format!("expected I/N such as 1/4, found {text:?}"))?;
        let index: usize = i.trim().parse().map_err(|_| format!("expected I/N such as 1/4, found {text:?}"))?;
        let count: usize = n.trim().parse().map_err(|_| format!("expected I/N such as 1/4, found {text:?}"))?;
        if count == 0 || index == 0 || index > count {
            return Err(format!("expected I/N with 1 <= I <= N, found {text:?}"));
        }
        Ok(Shard { index, count })
    }

    /// The papers (or meetings) of this shard: sorted by output name (then manifest position),
    /// every N-th starting at the I-th. Every shard sees the same plan, so the shares are
    /// disjoint and together make the whole manifest, whatever machine runs them.
    pub fn select<T: ShardKey>(self, mut entries: Vec<T>) -> Vec<T> {
        entries.sort_by(|a, b| a.sort_key().cmp(b.sort_key()).then(a.index().cmp(&b.index())));
        let mut chosen: Vec<T> =
            entries.into_iter().enumerate().filter(|(i, _)| i % self.count == self.index - 1).map(|(_, p)| p).collect();
        chosen.sort_by_key(|p| p.index());
        chosen
    }
}

/// How to run a batch.
#[derive(Debug, Clone, Default)]
pub struct BatchOptions {
    /// Output folder; `None`: the manifest's `output-dir`, else the current folder.
    pub output_dir: Option<PathBuf>,
    /// Papers built at once; `None`: one per core.
    pub jobs: Option<usize>,
    pub shard: Option<Shard>,
    /// Show a progress bar on stderr (the caller decides: only on a terminal).
    pub progress: bool,
}

/// Built or failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Built,
    Failed,
}

/// What happened to one paper.
#[derive(Debug, Clone, Serialize)]
pub struct PaperReport {
    /// 1-based position in the manifest.
    pub index: usize,
    /// The paper path as the manifest writes it.
    pub paper: String,
    /// The output name (without extension), when it could be decided.
    pub output: Option<String>,
    pub status: Status,
    /// The files written.
    pub files: Vec<PathBuf>,
    /// The first error, as `build` would print it (location, message, source line, hint).
    pub error: Option<String>,
    /// Where the first error is (`paper.yaml:6:1`, `book.xlsx › Scorecard!I9`), when known.
    pub location: Option<String>,
    /// What the author should know about a paper that was built, as `build` prints it.
    pub warnings: Vec<String>,
    pub seconds: f64,
}

impl PaperReport {
    /// The report of an entry before it is built: failed until [`finish`] says otherwise.
    fn pending(index: usize, paper: &str, output: Option<String>) -> PaperReport {
        PaperReport {
            index,
            paper: paper.to_owned(),
            output,
            status: Status::Failed,
            files: Vec::new(),
            error: None,
            location: None,
            warnings: Vec::new(),
            seconds: 0.0,
        }
    }
}

/// The summary of a batch run.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub manifest: PathBuf,
    pub output_dir: PathBuf,
    pub shard: Option<Shard>,
    pub threads: usize,
    /// In manifest order; only this shard's papers.
    pub papers: Vec<PaperReport>,
    /// The meetings whose packs were built, in manifest order; only this shard's. `paper` is the
    /// meeting file, `output` the packs' stem.
    pub meetings: Vec<PaperReport>,
    pub built: usize,
    pub failed: usize,
    /// Papers of the manifest left to other shards.
    pub other_shards: usize,
    pub seconds: f64,
}

impl Summary {
    /// Every paper of this run was built.
    pub fn all_built(&self) -> bool {
        self.failed == 0
    }

    /// The summary as printed on a terminal: one line per paper, the error under a failed one,
    /// then the totals.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let entries = self.papers.iter().chain(&self.meetings);
        let width = entries.clone().map(|p| p.output.as_deref().unwrap_or(&p.paper).len()).max().unwrap_or(0);
        for p in entries {
            let name = p.output.as_deref().unwrap_or(&p.paper);
            let status = match p.status {
                Status::Built => "built ",
                Status::Failed => "FAILED",
            };
            out.push_str(&format!("{status}  {name:<width$}  {:>6.2} s  ({})\n", p.seconds, p.paper));
            if let Some(error) = &p.error {
                for line in error.lines() {
                    out.push_str(&format!("        {line}\n"));
                }
            }
            for warning in &p.warnings {
                for (index, line) in warning.lines().enumerate() {
                    let lead = if index == 0 { "warning: " } else { "" };
                    out.push_str(&format!("        {lead}{line}\n"));
                }
            }
        }
        let shard = match self.shard {
            Some(s) => format!(", shard {}/{} ({} papers in other shards)", s.index, s.count, self.other_shards),
            None => String::new(),
        };
        let meetings = match self.meetings.len() {
            0 => String::new(),
            n => format!(" and {n} meeting(s)"),
        };
        out.push_str(&format!(
            "{} built, {} failed, {} papers{meetings} in {:.2} s on {} threads{shard}; output in {}\n",
            self.built,
            self.failed,
            self.papers.len(),
            self.seconds,
            self.threads,
            self.output_dir.display()
        ));
        out
    }
}

/// Reads the manifest, plans, shards and builds. `Err` only when the manifest itself is wrong
/// (nothing was built); a paper's failure is in the summary.
pub fn run(manifest_path: &Path, options: &BatchOptions) -> Result<Summary> {
    let manifest = load_manifest(manifest_path)?;
    let plan = plan(manifest)?;
    build(plan, options)
}

/// Builds a plan's papers (this shard's) in parallel.
pub fn build(plan: Plan, options: &BatchOptions) -> Result<Summary> {
    let started = Instant::now();
    let output_dir =
        options.output_dir.clone().or_else(|| plan.manifest.output_dir.clone()).unwrap_or_else(|| PathBuf::from("."));
    let total = plan.papers.len() + plan.meetings.len();
    let (papers, meetings) = match options.shard {
        Some(shard) => (shard.select(plan.papers), shard.select(plan.meetings)),
        None => (plan.papers, plan.meetings),
    };
    let other_shards = total - papers.len() - meetings.len();
    // Meetings first: a pack is the longest job, so it should not be the one left at the end.
    let work: Vec<Work> = meetings
        .into_iter()
        .map(|m| Work::Meeting(Box::new(m)))
        .chain(papers.into_iter().map(|p| Work::Paper(Box::new(p))))
        .collect();
    let threads = options
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map(usize::from).unwrap_or(1))
        .clamp(1, work.len().max(1));

    let bar = if options.progress {
        let bar = indicatif::ProgressBar::new(work.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template("{elapsed:>4} [{bar:30}] {pos}/{len} {wide_msg}") {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let cache = WorkbookCache::new();
    // Plain threads taking the next paper from a shared queue, not a rayon pool: typst
    // parallelises inside a compile with rayon, and a rayon worker that waits there steals the
    // next *paper* and builds it on top of the first one's stack. Papers then nest, and one
    // paper's cache eviction lands in the middle of another's compile (measured in
    // BENCHMARKS.md). typst's own parallel work runs on rayon's global pool.
    let queue: Mutex<std::vec::IntoIter<Work>> = Mutex::new(work.into_iter());
    let reports: Mutex<Vec<(bool, PaperReport)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let next = queue.lock().unwrap_or_else(PoisonError::into_inner).next();
                    let Some(work) = next else { break };
                    let (is_meeting, report) = match work {
                        Work::Paper(planned) => (false, build_one(*planned, &output_dir, &cache)),
                        Work::Meeting(planned) => (true, build_meeting(*planned, &output_dir, &cache)),
                    };
                    bar.inc(1);
                    bar.set_message(report.output.clone().unwrap_or_else(|| report.paper.clone()));
                    if report.status == Status::Failed {
                        let first = report.error.as_deref().and_then(|e| e.lines().next()).unwrap_or("");
                        bar.println(format!("failed: {first}"));
                    }
                    reports.lock().unwrap_or_else(PoisonError::into_inner).push((is_meeting, report));
                }
            });
        }
    });
    let mut reports = reports.into_inner().unwrap_or_else(PoisonError::into_inner);
    reports.sort_by_key(|(_, r)| r.index);
    bar.finish_and_clear();
    let built = reports.iter().filter(|(_, r)| r.status == Status::Built).count();
    let failed = reports.len() - built;
    let (meetings, papers): (Vec<_>, Vec<_>) = reports.into_iter().partition(|(is_meeting, _)| *is_meeting);
    Ok(Summary {
        manifest: plan.manifest.path,
        output_dir,
        shard: options.shard,
        threads,
        failed,
        built,
        papers: papers.into_iter().map(|(_, r)| r).collect(),
        meetings: meetings.into_iter().map(|(_, r)| r).collect(),
        other_shards,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// A paper or a meeting to build.
enum Work {
    // Boxed: each carries its whole configuration (a paper 1.3 KB, a meeting 0.6 KB).
    Paper(Box<Planned>),
    Meeting(Box<PlannedMeeting>),
}

/// Builds one meeting's packs; never panics, never fails: the outcome is in the report.
fn build_meeting(planned: PlannedMeeting, output_dir: &Path, cache: &WorkbookCache) -> PaperReport {
    let started = Instant::now();
    let report = PaperReport::pending(planned.entry.index, &planned.entry.meeting_as_written, planned.output.clone());
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| -> Result<(Vec<PathBuf>, Vec<String>)> {
        let meeting = planned.config?;
        let stem = planned.output.clone().unwrap_or_else(|| meeting.output_stem.clone());
        let loaded = crate::pack::load_with_cache(meeting, cache)?;
        let options = crate::pack::PackOptions { standard: planned.entry.pdf_standard, keep_cache: BATCH_KEEP_CACHE };
        let mut built = crate::pack::build(&loaded, &options)?;
        // The stem the manifest chose, in place of the meeting file's own.
        for (file, (version, _)) in built.files.iter_mut().zip(&built.versions) {
            file.name = format!("{stem}-{}.pdf", version.suffix());
        }
        let warnings = built.warnings.iter().map(|w| w.to_string()).collect();
        Ok((output::write_all(output_dir, &built.files)?, warnings))
    }));
    finish(report, outcome, started)
}

/// Builds one paper; never panics, never fails: the outcome is in the report.
fn build_one(planned: Planned, output_dir: &Path, cache: &WorkbookCache) -> PaperReport {
    let started = Instant::now();
    let report = PaperReport::pending(planned.entry.index, &planned.entry.paper_as_written, planned.output.clone());
    // A panic in a renderer must not take the other papers down with it.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| -> Result<(Vec<PathBuf>, Vec<String>)> {
        let config = planned.config?;
        let stem = planned.output.clone().unwrap_or_else(|| config.output_stem.clone());
        let entry = &planned.entry;
        let loaded = load_with(config, &entry.overrides(), cache)?;
        let options = RenderOptions {
            formats: entry.formats,
            pdf: PdfOptions { standard: entry.pdf_standard, keep_cache: BATCH_KEEP_CACHE, ..Default::default() },
            one_thread: true,
            ..Default::default()
        };
        // Fit to publish: exempt appendices withheld.
        let rendered = crate::render(&loaded.paper.public(), &stem, &options)?;
        let warnings = loaded.warnings.iter().chain(&rendered.warnings).map(|w| w.to_string()).collect();
        Ok((output::write_all(output_dir, &rendered.files)?, warnings))
    }));
    finish(report, outcome, started)
}

/// The report of a paper or meeting, from the outcome of building it (files and warnings, an
/// error, or a panic).
fn finish(
    mut report: PaperReport,
    outcome: std::thread::Result<Result<(Vec<PathBuf>, Vec<String>)>>,
    started: Instant,
) -> PaperReport {
    match outcome {
        Ok(Ok((files, warnings))) => {
            report.status = Status::Built;
            report.files = files;
            report.warnings = warnings;
        }
        Ok(Err(err)) => {
            report.location = location_of(&err);
            report.error = Some(describe(&err));
        }
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            report.error = Some(format!("internal error while building {} (please report it): {what}", report.paper));
        }
    }
    report.seconds = started.elapsed().as_secs_f64();
    report
}

/// The error as `build` prints it: the message, then each cause.
fn describe(err: &anyhow::Error) -> String {
    let mut text = err.to_string();
    for cause in err.chain().skip(1) {
        text.push_str(&format!("\ncaused by: {cause}"));
    }
    text
}

/// The location of the first located error in the chain.
fn location_of(err: &anyhow::Error) -> Option<String> {
    err.chain().find_map(|e| e.downcast_ref::<Diagnostic>()).map(|d| d.location.clone()).filter(|l| !l.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_parsing() {
        assert_eq!(Shard::parse("2/4"), Ok(Shard { index: 2, count: 4 }));
        assert!(Shard::parse("0/4").is_err());
        assert!(Shard::parse("5/4").is_err());
        assert!(Shard::parse("1/0").is_err());
        assert!(Shard::parse("1-4").is_err());
    }
}
