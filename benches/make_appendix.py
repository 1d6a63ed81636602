#!/usr/bin/env python3
"""Writes a paper whose appendix has N indicators, and its workbook, for size checks (BENCHMARKS.md (c)).

The same data as `generated(n)` in benches/paper.rs: indicators in sections of 25, values cycling through Green,
Amber, Red and an activity indicator, the period in Info!B1. .ci/validate-outputs builds the 5,000-indicator
paper with it and checks the DOCX with the OOXML validators; nothing it writes is committed.

    python3 benches/make_appendix.py /tmp/big 5000
    committee-paper build /tmp/big/paper.yaml -o /tmp/big/out

The workbook is a minimal .xlsx written with the standard library (inline strings, no styles).
"""

import pathlib
import sys
import zipfile
from xml.sax.saxutils import escape

HEADER = ["Ref", "Section", "Indicator", "Polarity", "Unit", "Period", "Previous", "Current", "Target", "Floor"]

PAPER = """from:
  - name: Test Officer
    role: Analyst
to: Test Panel
date: 2020-04-15
subject: Generated Scorecard
classification: Unrestricted
summary: There are {{ red }} red indicators of {{ indicators }} for {{ period }}.
sections:
  - heading: Introduction
    paragraphs:
      - The scorecard is attached.
appendices:
  - title: Appendix A – Scorecard – {{ period }}
    scorecard:
      workbook: book.xlsx
      sheet: Scorecard
      period: Info!B1
"""


def column(index):
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def cell(row, col, value):
    ref = f"{column(col)}{row + 1}"
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
    return f'<c r="{ref}"><v>{value!r}</v></c>'


def sheet(rows):
    body = "".join(
        f'<row r="{r + 1}">' + "".join(cell(r, c, v) for c, v in enumerate(row) if v not in (None, "")) + "</row>"
        for r, row in enumerate(rows)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{body}</sheetData></worksheet>"
    )


def scorecard(n):
    rows = [HEADER]
    for i in range(n):
        current = 60.0 + (i % 40)
        higher = i % 2 == 0
        activity = i % 7 == 6
        polarity = "" if activity else ("High" if higher else "Low")
        target, floor = (None, None) if activity else ((80.0, 70.0) if higher else (80.0, 90.0))
        rows.append(
            [
                f"G{i + 1:05}",
                f"Section {i // 25 + 1}",
                f"Generated indicator number {i + 1} with a name long enough to wrap in the table",
                polarity,
                "%",
                ["Snapshot", "YTD", "R12M", "Monthly"][i % 4],
                current - 1.5,
                current,
                target,
                floor,
            ]
        )
    return rows


def workbook(path, n):
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/worksheets/sheet2.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook {ns} xmlns:r="{rel}"><sheets>'
            '<sheet name="Scorecard" sheetId="1" r:id="rId1"/><sheet name="Info" sheetId="2" r:id="rId2"/>'
            "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/worksheet" Target="worksheets/sheet2.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet(scorecard(n)),
        "xl/worksheets/sheet2.xml": sheet([["Period", "March 2020"]]),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), text)


def main():
    out = pathlib.Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    out.mkdir(parents=True, exist_ok=True)
    workbook(out / "book.xlsx", n)
    (out / "paper.yaml").write_text(PAPER, encoding="utf-8")
    print(f"wrote {out / 'paper.yaml'} and {out / 'book.xlsx'} ({n} indicators)")


if __name__ == "__main__":
    main()
