//! Workbooks opened once and shared: a batch's papers (and a meeting's items) that read the
//! same workbook read it once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use anyhow::Result;

use super::Workbook;

/// Workbooks opened once and shared by the papers of a run, keyed by canonical path.
///
/// calamine's reader is not `Sync`, so each workbook sits behind its own mutex: papers that
/// share a workbook take turns reading it (a few milliseconds), papers on different workbooks
/// do not wait for each other, and rendering (the expensive part) runs outside every lock. The
/// workbook keeps the sheets it has parsed, so the second paper on a sheet does not parse it
/// again. Workbooks stay open until the cache is dropped at the end of the batch.
#[derive(Default)]
pub struct WorkbookCache {
    slots: Mutex<BTreeMap<PathBuf, Arc<Mutex<Option<Workbook>>>>>,
    /// Open every time instead (for measuring what the cache saves).
    disabled: bool,
    opened: AtomicUsize,
}

impl WorkbookCache {
    /// An empty cache.
    pub fn new() -> Self {
        WorkbookCache::default()
    }

    /// A "cache" that opens the workbook anew for every use: the behaviour without sharing.
    pub fn uncached() -> Self {
        WorkbookCache { disabled: true, ..WorkbookCache::default() }
    }

    /// How many times a workbook file has been opened through this cache.
    pub fn opened(&self) -> usize {
        self.opened.load(Ordering::Relaxed)
    }

    /// Runs `f` on the workbook at `path`, opening it on first use. `name` is the path as the
    /// paper file wrote it; messages about cells use it, so each paper's errors read as its
    /// author wrote the path. A workbook that fails to open is not cached: every paper that
    /// needs it reports the failure in its own words.
    pub fn with<T>(&self, path: &Path, name: &str, f: impl FnOnce(&mut Workbook) -> Result<T>) -> Result<T> {
        if self.disabled {
            self.opened.fetch_add(1, Ordering::Relaxed);
            return f(&mut Workbook::open(path, name)?);
        }
        let key = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        let slot = {
            // A panic elsewhere cannot leave the map half-updated, so a poisoned lock is safe to use.
            let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
            Arc::clone(slots.entry(key).or_default())
        };
        let mut guard = slot.lock().unwrap_or_else(PoisonError::into_inner);
        let workbook = match &mut *guard {
            Some(workbook) => workbook,
            empty => {
                self.opened.fetch_add(1, Ordering::Relaxed);
                empty.insert(Workbook::open(path, name)?)
            }
        };
        workbook.name = name.to_string();
        f(workbook)
    }
}
