//! Agenda packs in process (BENCHMARKS.md, "Agenda packs"): a meeting of 10 papers, the minutes
//! as an external PDF and the last paper exempt, as `benches/make_pack.py` writes it: loading
//! every item, then the public and full packs (one typst document each), then both together as
//! `committee-paper pack` does. The whole-process figure (the ≤ 1 s target) is measured with
//! hyperfine on the release binary; this splits it into its steps.

use std::path::PathBuf;

use committee_paper::model::pack::PackVersion;
use committee_paper::pack::{self, PackOptions};
use committee_paper::render::{PdfOptions, render_pack_pdf};
use divan::Bencher;

mod common;
use common::{fixture, paper_text};

fn main() {
    divan::main();
}

/// The meeting of `n` papers in a temporary folder, as benches/make_pack.py writes it.
fn meeting(n: usize) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut text = format!(
        "organisation: Kent County Council\ncommittee: Children's Social Care & Health Cabinet Committee\n\
         date: 2014-08-28\ntime: \"10:00\"\nitems:\n  - title: Apologies and Substitutes\n  - title: Declarations \
         of Interest by Members in items on the Agenda\n  - title: Minutes of the meeting held on 15 July 2014\n    \
         pdf: {}\n",
        fixture("fixtures/meeting/minutes-2014-07-15.pdf").display()
    );
    for i in 1..=n {
        std::fs::write(dir.path().join(format!("paper-{i:03}.yaml")), paper_text(i)).expect("write a paper");
        text.push_str(&format!("  - title: Performance report {i}\n    paper: paper-{i:03}.yaml\n"));
        if i == n {
            text.push_str("    exempt: 3\n");
        }
    }
    text.push_str("  - title: Other items which the Chairman decides are urgent\n");
    let path = dir.path().join("meeting.yaml");
    std::fs::write(&path, text).expect("write the meeting file");
    (dir, path)
}

/// Reading the meeting file and loading its items (papers in parallel, the PDF converted).
#[divan::bench(sample_count = 10, sample_size = 1)]
fn load_10(bencher: Bencher) {
    let (_dir, path) = meeting(10);
    bencher.bench(|| pack::load(&path).expect("the meeting loads"));
}

/// One version typeset and exported (the items already loaded).
#[divan::bench(args = ["public", "full"], sample_count = 5, sample_size = 1)]
fn render_10(bencher: Bencher, version: &str) {
    let (_dir, path) = meeting(10);
    let loaded = pack::load(&path).expect("the meeting loads");
    let version = if version == "public" { PackVersion::Public } else { PackVersion::Full };
    let model = loaded.pack(version);
    bencher.bench(|| render_pack_pdf(&model, &PdfOptions::default()).expect("the pack renders"));
}

/// Everything `committee-paper pack` does but writing: load, then the public and full packs.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn pack_10(bencher: Bencher) {
    let (_dir, path) = meeting(10);
    bencher.bench(|| {
        let loaded = pack::load(&path).expect("the meeting loads");
        pack::build(&loaded, &PackOptions::default()).expect("the packs build")
    });
}
