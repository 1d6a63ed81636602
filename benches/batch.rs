//! Batch runs in process (BENCHMARKS.md (b)): 100 papers from a manifest, and what sharing
//! workbooks between papers saves.
//!
//! The papers are made as `benches/make_batch.py` makes them: paper i is the 2014 reference paper
//! when i is odd, the 2017 one when even, each showing its own subset of the workbook's indicators
//! (`include:`), so no two papers are the same document while 50 share each workbook, as a
//! month-end run of many panels on a few workbooks does. Files are written (atomically) into a
//! temporary folder: that is part of the cost a user sees.

use std::path::PathBuf;

use committee_paper::batch::{self, BatchOptions};
use committee_paper::ingest::WorkbookCache;
use committee_paper::{Overrides, config, load_with};
use divan::Bencher;

mod common;
use common::paper_text;

fn main() {
    divan::main();
}

/// A manifest of `n` distinct papers in a temporary folder.
fn manifest(n: usize) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut text = String::from("defaults:\n  formats: [pdf, docx]\npapers:\n");
    for i in 1..=n {
        std::fs::write(dir.path().join(format!("paper-{i:03}.yaml")), paper_text(i)).expect("write a paper");
        text.push_str(&format!("  - paper: paper-{i:03}.yaml\n"));
    }
    let path = dir.path().join("manifest.yaml");
    std::fs::write(&path, text).expect("write the manifest");
    (dir, path)
}

/// (b) 100 papers, PDF and DOCX, on 1 and 2 threads (the machine has 2 cores).
#[divan::bench(args = [1, 2], sample_count = 3, sample_size = 1)]
fn batch_100(bencher: Bencher, jobs: usize) {
    let (dir, path) = manifest(100);
    let options =
        BatchOptions { output_dir: Some(dir.path().join("out")), jobs: Some(jobs), shard: None, progress: false };
    bencher.bench(|| {
        let summary = batch::run(&path, &options).expect("the manifest is valid");
        assert_eq!(summary.built, 100);
        summary
    });
}

/// Loading (workbook, rating, model) 100 papers, with the batch's shared workbook cache and
/// with every paper opening its workbook afresh.
#[divan::bench(args = ["shared", "per-paper"], sample_count = 5, sample_size = 1)]
fn load_100(bencher: Bencher, cache: &str) {
    let (dir, _) = manifest(100);
    let configs: Vec<config::PaperConfig> = (1..=100)
        .map(|i| config::load_paper(&dir.path().join(format!("paper-{i:03}.yaml"))).expect("the paper loads"))
        .collect();
    bencher.bench(|| {
        let cache = if cache == "shared" { WorkbookCache::new() } else { WorkbookCache::uncached() };
        for config in &configs {
            load_with(config.clone(), &Overrides::default(), &cache).expect("loads");
        }
    });
}
