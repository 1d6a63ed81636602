#!/usr/bin/env python3
"""The paper a council analyst would otherwise script: the peer of `committee-paper build` in
benches/peers.sh (BENCHMARKS.md, issue 12).

    python3 benches/peers/analyst_script.py WORKBOOK OUT_DIR [LIBREOFFICE_PROFILE_DIR]

The common recipe: openpyxl reads the same workbook (fixtures/kcc-2014-scs-dashboard/
scs-dashboard.xlsx), python-docx writes the 2014 paper as a DOCX (header block, summary,
recommendation, numbered paragraphs, contact details, and a landscape appendix with the RAG
scorecard: ratings worked out by the same rules, shaded cells with their word, arrows with their
word, the header row repeated, a trend per indicator), and LibreOffice headless converts it to
PDF. It is meant to be a fair, lean version of that script, and where it does less than
committee-paper it says so below; it never does more:

- the trend is a line of Unicode block characters, not a drawing (a drawing would need
  matplotlib, whose import alone takes longer than our whole build);
- paragraph numbers are typed, not Word numbering; the footer has the classification but no
  page numbers (python-docx has no API for fields);
- no PDF/A or PDF/UA, no tags beyond what LibreOffice writes by default, no alt texts.
"""

import pathlib
import subprocess
import sys

import openpyxl
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

FROM = [
    ("Peter Oakford", "Cabinet Member for Specialist Children's Services"),
    ("Andrew Ireland", "Corporate Director for Social Care, Health & Wellbeing"),
]
SUBJECT = "Specialist Children's Services Performance Dashboard"
INTRODUCTION = [
    "Appendix 2 Part 4 of the Kent County Council Constitution states that:",
    "To this end, each Cabinet Committee receives performance dashboards.",
]
QUOTE = (
    "“Cabinet Committees shall review the performance of the functions of the Council that fall within the remit "
    "of the Cabinet Committee in relation to its policy objectives, performance targets and the customer experience.”"
)
REPORT = [
    "The dashboard for Specialist Children's Services (SCS) is attached as Appendix A.",
    "The SCS performance dashboard includes latest available results which are for {period}.",
    "The indicators included are based on key priorities for Specialist Children's Services as outlined in the "
    "Strategic Priority Statement, and also includes operational data that is regularly used within the "
    "Directorate. Cabinet Committees have a role to review the selection of indicators included in dashboards, "
    "improving the focus on strategic issues and qualitative outcomes.",
    "The results in the dashboard are shown as snapshot figures (taken on the last working day of the reporting "
    "period), year-to-date (April-March) or a rolling 12 months.",
    "Members are asked to note that the SCS dashboard is used within the Social Care, Health & Wellbeing "
    "Directorate to support the Transformation programme.",
    "A subset of these indicators is used within the KCC Quarterly Performance Report which is submitted to Cabinet.",
    "As an outcome of this report, members may make reports and recommendations to the Leader, Cabinet Members, "
    "the Cabinet or officers.",
    "Performance results are assigned an alert on the following basis:",
]
ALERTS = [
    ("Green:", " Current target achieved or exceeded"),
    ("Red:", " Performance is below a pre-defined minimum standard"),
    ("Amber:", " Performance is below current target but above minimum standard."),
]
FILL = {"Green": "00703C", "Amber": "FFBF00", "Red": "D4351C", "N/A": "B1B4B6"}
BLOCKS = "▁▂▃▄▅▆▇█"


def number(value):
    """A cell as a number: text such as ' 24 ' or '12.5%' too; errors and blanks are None."""
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        text = value.strip().rstrip("%").replace(",", "")
        try:
            return float(text)
        except ValueError:
            return None
    return None


def printed(value, unit, decimals):
    if value is None:
        return "–"
    if unit == "%":
        return f"{value:.{decimals}f}%"
    if unit == "£":
        return f"£{value:,.{decimals}f}"
    return f"{value:,.{decimals}f}"


def rate(polarity, value, target, floor, decimals):
    if value is None:
        return "N/A"
    if target is None or not polarity:
        return None
    value, target = round(value, decimals), round(target, decimals)
    floor = round(floor, decimals) if floor is not None else None
    higher = polarity.strip().lower() in ("high", "h", "higher is better")
    if (value >= target) if higher else (value <= target):
        return "Green"
    if floor is not None and ((value < floor) if higher else (value > floor)):
        return "Red"
    return "Amber"


def travel(polarity, value, previous, decimals):
    if value is None or previous is None:
        return "–"
    value, previous = round(value, decimals), round(previous, decimals)
    if value == previous:
        return "► No change"
    if not polarity:
        return "▲ Increased" if value > previous else "▼ Decreased"
    higher = polarity.strip().lower() in ("high", "h", "higher is better")
    return "▲ Improved" if (value > previous) == higher else "▼ Worsened"


def sparkline(points):
    known = [p for p in points if p is not None]
    if not known:
        return ""
    lo, hi = min(known), max(known)
    return "".join(
        " " if p is None else BLOCKS[int((p - lo) / (hi - lo) * 7) if hi > lo else 3] for p in points
    )


def shade(cell, fill):
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def main():
    workbook_path, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    profile = pathlib.Path(sys.argv[3]) if len(sys.argv) > 3 else None
    out.mkdir(parents=True, exist_ok=True)

    book = openpyxl.load_workbook(workbook_path, data_only=True)
    sheet_name, cell_ref = next(iter(book.defined_names["ReportingPeriod"].destinations))
    period = book[sheet_name][cell_ref.replace("$", "")].value
    sheet = book["Scorecard"]
    rows = list(sheet.iter_rows(values_only=True))
    header_at = next(i for i, row in enumerate(rows) if row and row[0] == "Ref")
    header = list(rows[header_at])
    series = {row[0]: [number(v) for v in row[1:]] for row in book["Monthly"].iter_rows(min_row=2, values_only=True)}
    indicators = [dict(zip(header, row)) for row in rows[header_at + 1 :] if row and row[0]]

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(12)
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2.2)
    section.footer.paragraphs[0].text = "Unrestricted"

    table = document.add_table(rows=0, cols=2)
    for label, value in [
        ("From:", "\n".join(f"{name}, {role}" for name, role in FROM)),
        ("To:", "Children's Social Care & Health Cabinet Committee"),
        ("Date:", "28 August 2014"),
        ("Subject:", SUBJECT),
        ("Classification:", "Unrestricted"),
    ]:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].text = value
    summary = document.add_paragraph()
    summary.add_run("Summary: ").bold = True
    summary.add_run(
        "The Specialist Children's Service performance dashboards provide members with progress against targets "
        "set for key performance and activity indicators."
    )
    recommendation = document.add_paragraph()
    recommendation.add_run("Recommendation: ").bold = True
    recommendation.add_run("Members are asked to note the SCS performance dashboard")

    number_of = iter(range(1, 100))
    document.add_heading("Introduction", level=1)
    document.add_paragraph(f"{next(number_of)}.\t{INTRODUCTION[0]}")
    quote = document.add_paragraph(QUOTE)
    quote.paragraph_format.left_indent = Cm(1.2)
    document.add_paragraph(f"{next(number_of)}.\t{INTRODUCTION[1]}")
    document.add_heading("Children's Social Care Performance Report", level=1)
    for text in REPORT:
        document.add_paragraph(f"{next(number_of)}.\t{text.format(period=period)}")
    for word, meaning in ALERTS:
        alert = document.add_paragraph()
        alert.add_run(word).bold = True
        alert.add_run(meaning)
    document.add_heading("Recommendations", level=2)
    document.add_paragraph(
        f"{next(number_of)}.\tMembers are asked to:\nREVIEW the Specialist Children's Service performance dashboard."
    )
    document.add_heading("Contact Information", level=2)
    for label, value in [
        ("Name:", "Maureen Robinson"),
        ("Title:", "Management Information Service Manager for Children's Services"),
        ("Tel No:", "01622 696328"),
        ("Email:", "Maureen.robinson@kent.gov.uk"),
    ]:
        line = document.add_paragraph()
        line.add_run(label + " ").bold = True
        line.add_run(value)
    background = document.add_paragraph()
    background.add_run("Background Documents: ").bold = True
    background.add_run("Appendix A – SCS Monthly Performance Report – July 2014")

    appendix = document.add_section()
    appendix.orientation = WD_ORIENT.LANDSCAPE
    appendix.page_width, appendix.page_height = section.page_height, section.page_width
    document.add_heading(f"Appendix A – SCS Monthly Performance Report – {period}", level=1)
    columns = ["Ref", "Indicator", "Polarity", "Period", "Previous", "Current", "Target", "Floor", "RAG", "Direction", "Trend"]
    widths = [Cm(w) for w in (1.6, 7.0, 1.8, 1.8, 1.8, 1.8, 1.8, 1.8, 1.6, 2.4, 2.0)]
    scorecard = document.add_table(rows=1, cols=len(columns))
    scorecard.style = "Table Grid"
    scorecard.autofit = False
    for column, width in zip(scorecard.columns, widths):
        column.width = width
    heading = scorecard.rows[0]
    heading._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, name, width in zip(heading.cells, columns, widths):
        cell.width = width
        run = cell.paragraphs[0].add_run(name)
        run.bold = True
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        shade(cell, "1F3864")
    section_name = None
    for row in indicators:
        if row["Section"] != section_name:
            section_name = row["Section"]
            group = scorecard.add_row().cells
            merged = group[0].merge(group[-1])
            merged.paragraphs[0].add_run(section_name).bold = True
            shade(merged, "D9E2F3")
        decimals = int(number(row["Decimals"]) or 0)
        value, previous = number(row["Current"]), number(row["Previous"])
        target, floor = number(row["Target"]), number(row["Floor"])
        rating = rate(row["Polarity"], value, target, floor, decimals)
        texts = [
            row["Ref"],
            row["Indicator"],
            row["Polarity"] or "–",
            row["Period"],
            printed(previous, row["Unit"], decimals),
            printed(value, row["Unit"], decimals),
            printed(target, row["Unit"], decimals),
            printed(floor, row["Unit"], decimals),
            rating or "–",
            travel(row["Polarity"], value, previous, decimals),
            sparkline(series.get(row["Ref"], [])),
        ]
        cells = scorecard.add_row().cells
        for cell, text in zip(cells, texts):
            cell.text = str(text)
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(8)
        for cell, width in zip(cells, widths):
            cell.width = width
        if rating in FILL:
            shade(cells[8], FILL[rating])

    docx = out / "kcc-2014-08-28-scs-performance-dashboard.docx"
    document.save(docx)
    command = ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out), str(docx)]
    if profile is not None:
        command.insert(1, f"-env:UserInstallation={profile.resolve().as_uri()}")
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
