//! `committee-paper watch`: a live preview. The paper is built once, then again whenever one of
//! its inputs changes — the paper file, its workbooks, its template, logo and font folders.
//!
//! Editors and spreadsheets save by writing a temporary file and renaming it over the old one
//! (Excel, LibreOffice, vim); a watch on the file itself then goes dead on Linux (notify#531). So
//! the folders holding the inputs are watched and events are filtered by file name, which also
//! ignores lock files (`~$book.xlsx`, `.~lock.book.xlsx#`) and the outputs. Events are debounced
//! (notify-debouncer-full): a save that writes a file twice gives one build. A failed build is
//! reported and changes nothing on disk, so the last good PDF and DOCX stay for the viewer. The
//! inputs are read again after every build, so a paper file that now names another workbook is
//! followed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::Result;
use notify_debouncer_full::notify::RecursiveMode;
use notify_debouncer_full::notify::event::{AccessKind, AccessMode, EventKind};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use crate::config::{self, PaperConfig};
use crate::ingest::WorkbookCache;
use crate::{Overrides, RenderOptions, load_with, output, render};

/// How long the debouncer waits for a burst of events to end. Short, so a build starts well
/// within half a second of a save.
pub const DEBOUNCE: Duration = Duration::from_millis(100);

/// Knobs for [`run`].
#[derive(Debug, Clone, Default)]
pub struct WatchOptions {
    pub output_dir: PathBuf,
    pub render: RenderOptions,
}

/// What one build did.
#[derive(Debug)]
pub struct BuildOutcome {
    /// The files written, or why none were.
    pub result: Result<Vec<PathBuf>>,
    /// Warnings of a successful build, as printed.
    pub warnings: Vec<String>,
    /// From the start of the build (not of the save) to the files written.
    pub elapsed: Duration,
    /// The inputs whose change started the build; empty for the first build.
    pub trigger: Vec<PathBuf>,
}

/// The files a paper reads: the paper file itself and, once it could be read, its workbooks,
/// template and logo; and the font folders (watched whole).
pub fn inputs(paper_file: &Path, config: Option<&PaperConfig>) -> (BTreeSet<PathBuf>, BTreeSet<PathBuf>) {
    let mut files = BTreeSet::from([absolute(paper_file)]);
    let mut folders = BTreeSet::new();
    if let Some(config) = config {
        for appendix in &config.appendices {
            if let Some(sc) = &appendix.scorecard {
                files.insert(absolute(&sc.workbook));
            }
        }
        files.extend(config.style.template.iter().map(|p| absolute(p)));
        files.extend(config.style.logo.iter().map(|l| absolute(&l.path)));
        folders.extend(config.style.font_dirs.iter().map(|p| absolute(p)));
    }
    (files, folders)
}

fn absolute(path: &Path) -> PathBuf {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    // Folders canonically (a symlinked folder reports events under its real path); the file
    // name as it is, since the file may be missing for a moment during a save.
    match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) => dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf()).join(name),
        _ => path,
    }
}

/// Builds the paper once: read, render, write. Returns the outcome and the paper file as read
/// (for its inputs), if it could be read.
pub fn build_once(paper_file: &Path, options: &WatchOptions) -> (BuildOutcome, Option<PaperConfig>) {
    let start = Instant::now();
    let config = config::load_paper(paper_file);
    let read = config.as_ref().ok().cloned();
    let result = config.and_then(|config| {
        // Workbooks are opened anew for every build: they are what changed.
        let loaded = load_with(config, &Overrides::default(), &WorkbookCache::uncached())?;
        let rendered = render(&loaded.paper, &loaded.config.output_stem, &options.render)?;
        let written = output::write_all(&options.output_dir, &rendered.files)?;
        let warnings = loaded.warnings.iter().chain(&rendered.warnings).map(|w| w.to_string()).collect::<Vec<_>>();
        Ok((written, warnings))
    });
    let (result, warnings) = match result {
        Ok((written, warnings)) => (Ok(written), warnings),
        Err(e) => (Err(e), Vec::new()),
    };
    (BuildOutcome { result, warnings, elapsed: start.elapsed(), trigger: Vec::new() }, read)
}

/// Builds, then rebuilds on every change until `stop` is set, calling `report` after each build.
/// Returns when `stop` is set (checked every 50 ms), or with an error if the folders cannot be
/// watched.
pub fn run(
    paper_file: &Path,
    options: &WatchOptions,
    stop: &AtomicBool,
    mut report: impl FnMut(&BuildOutcome),
) -> Result<()> {
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, None, tx)?;
    let mut watched: BTreeSet<(PathBuf, bool)> = BTreeSet::new();

    // Watch before the first build, and report a build only once the watches for its inputs
    // are in place: a save right after a reported build is never missed.
    let (mut files, mut folders) = inputs(paper_file, config::load_paper(paper_file).ok().as_ref());
    rewatch(&mut debouncer, &mut watched, &files, &folders)?;
    let (outcome, config) = build_once(paper_file, options);
    if config.is_some() {
        (files, folders) = inputs(paper_file, config.as_ref());
        rewatch(&mut debouncer, &mut watched, &files, &folders)?;
    }
    report(&outcome);

    while !stop.load(Ordering::Relaxed) {
        let events = match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(Ok(events)) => events,
            // Watch errors (a folder removed) are not fatal: the next build reports what is missing.
            Ok(Err(_)) | Err(mpsc::RecvTimeoutError::Timeout) => continue,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        // Reading a file is an event too (inotify's open and close): only writes, creations,
        // renames and removals count, or every build would start the next.
        let mut changed: Vec<PathBuf> = Vec::new();
        for path in events.iter().filter(|e| is_change(&e.kind)).flat_map(|e| e.paths.iter()) {
            let path = absolute(path);
            if (files.contains(&path) || folders.iter().any(|f| path.starts_with(f))) && !changed.contains(&path) {
                changed.push(path);
            }
        }
        if changed.is_empty() {
            continue;
        }
        // Anything more that arrived meanwhile is covered by this build.
        while rx.try_recv().is_ok() {}
        let (mut outcome, config) = build_once(paper_file, options);
        outcome.trigger = changed;
        // A paper file that cannot be read keeps the inputs it had.
        if config.is_some() {
            (files, folders) = inputs(paper_file, config.as_ref());
            rewatch(&mut debouncer, &mut watched, &files, &folders)?;
        }
        report(&outcome);
    }
    Ok(())
}

/// Whether an event is a change of content or of name (not a read).
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Watches the folders of `files` (not recursively) and `folders` (recursively), and stops
/// watching those no longer needed. A folder that does not exist is skipped: the build says
/// what is missing.
fn rewatch<W: notify_debouncer_full::notify::Watcher, C: notify_debouncer_full::FileIdCache>(
    debouncer: &mut notify_debouncer_full::Debouncer<W, C>,
    watched: &mut BTreeSet<(PathBuf, bool)>,
    files: &BTreeSet<PathBuf>,
    folders: &BTreeSet<PathBuf>,
) -> Result<()> {
    let mut wanted: BTreeSet<(PathBuf, bool)> =
        files.iter().filter_map(|f| f.parent()).map(|d| (d.to_path_buf(), false)).collect();
    wanted.extend(folders.iter().map(|d| (d.clone(), true)));
    wanted.retain(|(dir, _)| dir.is_dir());
    for gone in watched.difference(&wanted).cloned().collect::<Vec<_>>() {
        let _ = debouncer.unwatch(&gone.0);
        watched.remove(&gone);
    }
    for (dir, recursive) in wanted {
        if !watched.contains(&(dir.clone(), recursive)) {
            let mode = if recursive { RecursiveMode::Recursive } else { RecursiveMode::NonRecursive };
            debouncer.watch(&dir, mode)?;
            watched.insert((dir, recursive));
        }
    }
    Ok(())
}

/// One line for a build, `built in 84 ms (book.xlsx changed): out/paper.pdf, out/paper.docx`, or
/// the failure and its error.
pub fn describe(outcome: &BuildOutcome) -> String {
    let ms = outcome.elapsed.as_millis();
    let names: Vec<String> = outcome
        .trigger
        .iter()
        .map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default())
        .collect();
    let cause = if names.is_empty() { String::new() } else { format!(" ({} changed)", names.join(", ")) };
    match &outcome.result {
        Ok(files) => format!(
            "built in {ms} ms{cause}: {}",
            files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join(", ")
        ),
        Err(e) => format!("FAILED in {ms} ms{cause}; the last good files are kept\nerror: {e}"),
    }
}
