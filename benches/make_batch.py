#!/usr/bin/env python3
"""Writes N distinct papers and a manifest for the batch benchmarks (BENCHMARKS.md (b), (d)).

Paper i (1-based) is the 2014 reference paper when i is odd, the 2017 one when even, showing a
subset of its workbook's indicators that differs from paper to paper (`include:`), so no two
papers are the same document while 50 share each workbook. benches/batch.rs makes the same set.

    python3 benches/make_batch.py /tmp/b100 100
    committee-paper batch /tmp/b100/manifest.yaml -o /tmp/b100/out
"""
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
REFERENCES = [
    ("fixtures/kcc-2014-scs-dashboard", "scs-dashboard.xlsx", "SCS", 26),
    ("fixtures/kcc-2017-children-in-care", "cic-scorecard.xlsx", "CIC", 20),
]


def paper_text(i: int) -> str:
    folder, workbook, prefix, count = REFERENCES[(i - 1) % 2]
    text = (ROOT / folder / "paper.yaml").read_text(encoding="utf-8")
    text = text.replace(f"workbook: {workbook}", f"workbook: {ROOT / folder / workbook}")
    refs = [f"{prefix}{k:02}" for k in range(1, count + 1) if (k + i) % 3 != 0 or k == i % count + 1]
    # Drop the reference paper's own output name; the manifest names every paper.
    lines = [line for line in text.splitlines() if not line.startswith("output:")]
    lines.append(f"      include: [{', '.join(refs)}]")
    return "\n".join(lines) + "\n"


def main() -> None:
    out = pathlib.Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    out.mkdir(parents=True, exist_ok=True)
    manifest = ["defaults:", "  formats: [pdf, docx]", "papers:"]
    for i in range(1, n + 1):
        (out / f"paper-{i:03}.yaml").write_text(paper_text(i), encoding="utf-8")
        manifest.append(f"  - paper: paper-{i:03}.yaml")
    (out / "manifest.yaml").write_text("\n".join(manifest) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
