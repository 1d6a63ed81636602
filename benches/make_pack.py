#!/usr/bin/env python3
"""Writes a meeting of N papers for the agenda-pack benchmark (BENCHMARKS.md, "Agenda packs").

The papers are benches/make_batch.py's (paper i is the 2014 reference paper when i is odd, the
2017 one when even, each showing its own subset of its workbook), on the agenda of one meeting
with the heading-only items every agenda has, the fixture's two-page minutes as an external PDF,
and the last paper exempt (so the public and the full pack differ). benches/pack.rs makes the
same meeting in process.

    python3 benches/make_pack.py /tmp/p10 10
    committee-paper pack /tmp/p10/meeting.yaml -o /tmp/p10/out
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from make_batch import ROOT, paper_text  # noqa: E402


def main() -> None:
    out = pathlib.Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    out.mkdir(parents=True, exist_ok=True)
    minutes = ROOT / "fixtures/meeting/minutes-2014-07-15.pdf"
    meeting = [
        "organisation: Kent County Council",
        "committee: Children's Social Care & Health Cabinet Committee",
        "date: 2014-08-28",
        'time: "10:00"',
        "items:",
        "  - title: Apologies and Substitutes",
        "  - title: Declarations of Interest by Members in items on the Agenda",
        "  - title: Minutes of the meeting held on 15 July 2014",
        f"    pdf: {minutes}",
    ]
    for i in range(1, n + 1):
        (out / f"paper-{i:03}.yaml").write_text(paper_text(i), encoding="utf-8")
        meeting.append(f"  - title: Performance report {i}")
        meeting.append(f"    paper: paper-{i:03}.yaml")
        if i == n:
            meeting.append("    exempt: 3")
    meeting.append("  - title: Other items which the Chairman decides are urgent")
    (out / "meeting.yaml").write_text("\n".join(meeting) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
