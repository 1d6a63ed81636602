//! Outputs change only on purpose: the SHA-256 of every PDF and DOCX the bundled fixtures
//! produce (both reference papers, the exception reports paper, and the batch fixture's four
//! papers) is kept in `tests/golden/outputs.sha256`. A change to the code that moves a byte of
//! a published file fails here, so that it is either a mistake or a decision; after a deliberate
//! change, rewrite the list with `UPDATE_GOLDEN=1 cargo test --test golden` and say in the
//! commit what changed.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use sha2::{Digest, Sha256};

const LIST: &str = "tests/golden/outputs.sha256";

/// `relative/path -> hex digest` of every file under `dir`.
fn digests(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).expect("read output folder") {
            let path = entry.expect("folder entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.strip_prefix(dir).expect("under the folder").to_string_lossy().replace('\\', "/");
            let digest = Sha256::digest(std::fs::read(&path).expect("read output"));
            out.insert(name, digest.iter().map(|b| format!("{b:02x}")).collect());
        }
    }
    out
}

#[test]
fn published_files_are_byte_for_byte_what_they_were() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = |name: &str| dir.path().join(name).display().to_string();
    for (paper, folder) in [
        ("fixtures/kcc-2014-scs-dashboard/paper.yaml", "kcc-2014"),
        ("fixtures/kcc-2017-children-in-care/paper.yaml", "kcc-2017"),
        ("fixtures/kcc-2014-exceptions/paper.yaml", "kcc-2014-exceptions"),
    ] {
        let run = common::run(&["build", paper, "-o", &out(folder)]);
        assert!(run.status.success(), "{paper}: {}", common::stderr(&run));
    }
    let run = common::run(&["batch", "fixtures/batch/panels.yaml", "-o", &out("batch")]);
    assert!(run.status.success(), "batch: {}", common::stderr(&run));

    let found = digests(dir.path());
    let list = common::root().join(LIST);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let text: String = found.iter().map(|(name, digest)| format!("{digest}  {name}\n")).collect();
        std::fs::write(&list, text).expect("write the golden list");
        return;
    }
    let text = std::fs::read_to_string(&list).expect("tests/golden/outputs.sha256 exists");
    let expected: BTreeMap<String, String> = text
        .lines()
        .filter_map(|line| line.split_once("  "))
        .map(|(digest, name)| (name.to_string(), digest.to_string()))
        .collect();
    let changed: Vec<&String> = found
        .keys()
        .chain(expected.keys())
        .filter(|name| found.get(*name) != expected.get(*name))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert!(
        changed.is_empty(),
        "these outputs differ from {LIST}: {changed:?}\n\
         if the change is intended, run `UPDATE_GOLDEN=1 cargo test --test golden` and say what changed in the commit"
    );
}
