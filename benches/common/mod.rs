//! What the in-process benchmarks share: the papers `benches/make_batch.py` writes, as text.

use std::path::{Path, PathBuf};

pub fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// (folder, workbook, Ref prefix, number of indicators) of the two reference papers.
const REFERENCES: [(&str, &str, &str, usize); 2] = [
    ("fixtures/kcc-2014-scs-dashboard", "scs-dashboard.xlsx", "SCS", 26),
    ("fixtures/kcc-2017-children-in-care", "cic-scorecard.xlsx", "CIC", 20),
];

/// Paper `i` (1-based), as benches/make_batch.py writes it: the 2014 reference paper when `i` is
/// odd, the 2017 one when even, each with its own subset of the indicators (`include:`), the
/// workbook named by its absolute path and no `output:` (the manifest names the files).
pub fn paper_text(i: usize) -> String {
    let (folder, workbook, prefix, count) = REFERENCES[(i - 1) % 2];
    let text = std::fs::read_to_string(fixture(folder).join("paper.yaml")).expect("the reference paper");
    let text = text
        .replace(&format!("workbook: {workbook}"), &format!("workbook: {}", fixture(folder).join(workbook).display()));
    let refs: Vec<String> = (1..=count)
        .filter(|k| !(k + i).is_multiple_of(3) || *k == i % count + 1)
        .map(|k| format!("{prefix}{k:02}"))
        .collect();
    let mut lines: Vec<&str> = text.lines().filter(|l| !l.starts_with("output:")).collect();
    let include = format!("      include: [{}]", refs.join(", "));
    lines.push(&include);
    lines.join("\n") + "\n"
}
