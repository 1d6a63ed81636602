//! Issue 13, items 2 and 3: exception reports for Red indicators (and Ambers that worsened), a
//! commentary that can be required, and what changed since the last report — the previous
//! rating and the move of each indicator, the moves counted under the totals and offered as
//! placeholders with lists of indicators. Each through the real binary, reading back `check
//! --json`, the PDF's text and the DOCX's XML.

mod common;
use common::*;

use std::path::{Path, PathBuf};

const EXCEPTIONS_PAPER: &str = "fixtures/kcc-2014-exceptions/paper.yaml";
const PAPER_2014: &str = "fixtures/kcc-2014-scs-dashboard/paper.yaml";
const PAPER_2017: &str = "fixtures/kcc-2017-children-in-care/paper.yaml";

/// The PDF's text and the DOCX's `word/document.xml` of a paper built into a fresh folder.
struct Built {
    _dir: tempfile::TempDir,
    pdf: String,
    xml: String,
}

impl Built {
    /// The DOCX's text: runs joined, one line per paragraph (a table cell's paragraph too).
    fn docx_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        let mut rest = self.xml.as_str();
        while let Some(start) = rest.find('<') {
            let end = rest[start..].find('>').map_or(rest.len(), |e| start + e + 1);
            let tag = &rest[start..end];
            if tag.starts_with("<w:t>") || tag.starts_with("<w:t ") {
                let close = rest[end..].find("</w:t>").map_or(rest.len(), |c| end + c);
                line.push_str(&unescape(&rest[end..close]));
                rest = &rest[close..];
                continue;
            }
            if tag == "</w:p>" {
                lines.push(std::mem::take(&mut line));
            }
            rest = &rest[end..];
        }
        lines
    }
}

fn build_paper(paper: &Path) -> Built {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["build", paper.to_str().unwrap(), "-o", dir.path().to_str().unwrap()]);
    assert!(out.status.success(), "build failed: {}", stderr(&out));
    let (pdf, xml) = output_texts(dir.path());
    Built { _dir: dir, pdf, xml }
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Asserts that `texts` appear in `haystack` in this order (whitespace ignored, as a PDF's
/// lines break where the page does).
fn assert_in_order(haystack: &str, texts: &[&str], what: &str) {
    let haystack = squash(haystack);
    let mut from = 0;
    for text in texts {
        let wanted = squash(text);
        match haystack[from..].find(&wanted) {
            Some(at) => from += at + wanted.len(),
            None => panic!("{what}: {text:?} is missing or out of order in:\n{haystack}"),
        }
    }
}

fn check_json_of(paper: &Path) -> serde_json::Value {
    let out = run(&["check", "--json", paper.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("check --json prints JSON only")
}

fn in_json<'a>(json: &'a serde_json::Value, reference: &str) -> &'a serde_json::Value {
    json["indicators"].as_array().unwrap().iter().find(|i| i["ref"] == reference).unwrap_or(&serde_json::Value::Null)
}

/// The 2014 exceptions paper with its workbook beside it, so the paper can be edited.
fn edited_exceptions_paper(edit: impl Fn(String) -> String) -> (tempfile::TempDir, PathBuf) {
    let (dir, paper) = edited_fixture("fixtures/kcc-2014-exceptions", |yaml| {
        edit(yaml.replace("../kcc-2014-scs-dashboard/scs-dashboard.xlsx", "scs-dashboard.xlsx"))
    });
    std::fs::copy(
        root().join("fixtures/kcc-2014-scs-dashboard/scs-dashboard.xlsx"),
        dir.path().join("scs-dashboard.xlsx"),
    )
    .unwrap();
    (dir, paper)
}

fn fails(paper: &Path) -> String {
    let out_dir = paper.parent().unwrap().join("out");
    let out = run_in(paper.parent().unwrap(), &["build", "paper.yaml", "-o", "out"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!out_dir.exists(), "a failed paper writes nothing");
    stderr(&out)
}

// ---- 3: what changed since the last report ----------------------------------------------------

/// `ref,row,current_cell,rag,direction,previous_rag,move,note` as fixtures/make_workbooks.py
/// works them out with its own copy of the rules.
fn expected_moves(fixture: &str) -> Vec<(String, String, String)> {
    let csv = std::fs::read_to_string(root().join(fixture).join("expected.csv")).unwrap();
    let rag = |r: &str| if r.is_empty() { "none".to_string() } else { r.to_lowercase().replace("n/a", "na") };
    csv.lines()
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            (f[0].to_string(), rag(f[5]), f[6].to_string())
        })
        .collect()
}

#[test]
fn check_json_carries_each_previous_rating_and_move_as_the_fixtures_intend() {
    for (paper, fixture) in
        [(PAPER_2014, "fixtures/kcc-2014-scs-dashboard"), (PAPER_2017, "fixtures/kcc-2017-children-in-care")]
    {
        let json = check_json_of(&root().join(paper));
        let got: Vec<(String, String, String)> = json["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["ref"].as_str().unwrap().to_string(),
                    i["previous_rag"].as_str().unwrap().to_string(),
                    i["move"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(got, expected_moves(fixture), "{paper}");
    }
    let json = check_json_of(&root().join(PAPER_2014));
    assert_eq!(
        json["moves"],
        serde_json::json!({"improved": 3, "worsened": 3, "unchanged": 10, "moved_to_red": 2, "moved_to_amber": 1,
            "moved_to_green": 3, "not_compared": 10})
    );
    let scs05 = in_json(&json, "SCS05");
    assert_eq!(
        (&scs05["rag"], &scs05["previous_rag"], &scs05["move"]),
        (&"red".into(), &"amber".into(), &"worsened".into())
    );
}

#[test]
fn check_prints_the_change_of_each_rating_and_the_moves() {
    let out = run(&["check", PAPER_2014]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let row = |reference: &str| text.lines().find(|l| l.starts_with(reference)).unwrap_or_default().to_string();
    assert!(row("SCS05").ends_with("Red    ▼ Worsened   was Amber"), "{}", row("SCS05"));
    assert!(row("SCS14").ends_with("was Green"), "{}", row("SCS14"));
    assert!(row("SCS16").ends_with("no change"), "{}", row("SCS16"));
    assert!(row("SCS22").ends_with("–"), "{}", row("SCS22"));
    assert!(
        text.contains(
            "26 indicators: Green 6, Amber 6, Red 4, N/A 2, not rated 8\n\
             Since the previous period: 2 indicators moved to Red, 1 moved from Green to Amber, 3 improved their rating\n"
        ),
        "{text}"
    );
}

/// Under the key, one line: the totals, then the moves (a line of their own would push the 2014
/// paper's table onto a page of its own).
#[test]
fn the_totals_are_followed_by_the_moves_in_both_files() {
    for (paper, line) in [
        (
            PAPER_2014,
            "Totals: Green 6, Amber 6, Red 4, N/A 2, not rated 8. Since the previous period: 2 indicators moved to \
             Red, 1 moved from Green to Amber, 3 improved their rating",
        ),
        (
            PAPER_2017,
            "Totals: Green 6, Amber 5, Red 4, N/A 1, not rated 4. Since the previous period: 2 indicators moved to \
             Red, 5 improved their rating",
        ),
    ] {
        let built = build_paper(&root().join(paper));
        assert!(built.docx_lines().iter().any(|l| l == line), "{paper}: DOCX lacks {line:?}");
        assert_in_order(&built.pdf, &[line], paper);
        assert!(built.xml.contains("<w:t xml:space=\"preserve\">Since the previous period:</w:t>"), "a bold label");
    }
}

#[test]
fn the_rating_change_column_says_what_each_rating_was() {
    let built = build_paper(&root().join(EXCEPTIONS_PAPER));
    let lines = built.docx_lines();
    // The table row's cells, one line each: … RAG, rating change, direction …
    let row_of = |reference: &str| {
        let at = lines.iter().position(|l| l == reference).unwrap();
        lines[at..at + 12].to_vec()
    };
    assert_eq!(row_of("SCS05")[8..11], ["Red", "was Amber", "▼ Worsened"]);
    assert_eq!(row_of("SCS14")[8..11], ["Amber", "was Green", "▲ Worsened"]);
    assert_eq!(row_of("SCS16")[8..11], ["Red", "no change", "▼ Improved"]);
    assert_eq!(row_of("SCS22")[8..11], ["N/A", "–", "–"]);
    assert!(lines.iter().any(|l| l == "Rating change"), "the column's header");
    assert_in_order(
        &built.pdf,
        &["SCS05", "Red", "was Amber", "Worsened", "SCS14", "Amber", "was Green", "Worsened"],
        "exceptions PDF",
    );
    // The key says what the column means.
    assert_in_order(
        &built.pdf,
        &["Rating change", "The rating in the previous period, where it differs (“was Amber”)"],
        "key",
    );
}

/// The fixture's paragraphs name the indicators and the moves from the data.
#[test]
fn placeholders_list_the_indicators_of_each_rating_and_move() {
    let built = build_paper(&root().join(EXCEPTIONS_PAPER));
    let paragraphs = [
        "Of the 26 indicators, 6 are Green, 6 Amber and 4 Red; 2 have no data this month and 8 are activity indicators \
         without a target.",
        "The 4 Red indicators are SCS05 Core assessments completed within 35 working days, SCS16 Children in care \
         placed more than 20 miles from home, SCS21 Average days between court authority to place and matching with \
         an adoptive family and SCS25 Average caseload of qualified social workers.",
        "Since the previous period, 2 indicators moved to Red, 1 moved from Green to Amber, 3 improved their rating. \
         SCS05 Core assessments completed within 35 working days and SCS25 Average caseload of qualified social \
         workers moved to Red; SCS09 Children becoming subject to a Child Protection plan for a second or subsequent \
         time, SCS17 Children in care reviews held within timescale and SCS24 Case-holding posts filled by permanent \
         qualified social workers improved their rating.",
    ];
    assert_in_order(&built.pdf, &paragraphs, "exceptions PDF");
    let lines = built.docx_lines();
    for paragraph in paragraphs {
        assert!(lines.iter().any(|l| l == paragraph), "DOCX lacks {paragraph:?}");
    }
}

/// The README's example: two Red indicators in the sections a paper shows.
#[test]
fn two_red_indicators_are_joined_by_and() {
    let (_dir, paper) = edited_exceptions_paper(|yaml| {
        yaml.replace("      exceptions: [red, worsened-amber]\n", "      sections: [Assessment, Children in Care]\n")
    });
    let built = build_paper(&paper);
    let line = "The 2 Red indicators are SCS05 Core assessments completed within 35 working days and SCS16 Children \
                in care placed more than 20 miles from home.";
    assert!(built.docx_lines().iter().any(|l| l == line), "{:?}", built.docx_lines());
}

/// One, two, three or more indicators, and none; names are printed as written, Markdown and all.
#[test]
fn lists_join_one_two_and_more_and_print_names_as_written() {
    let yaml = paper_yaml(
        "sections:\n  - heading: Moves\n    paragraphs:\n\
         \x20     - \"Red: {{ red_list }}. To Red: {{ moved_to_red_list }}. Better: {{ improved_rating_list }}. \
         Green: {{ green_list }}. Moves: {{ moves }}; {{ moved_to_red }} to Red, {{ moved_to_amber }} to Amber, \
         {{ worsened_rating }} worse, {{ improved_rating }} better, {{ same_rating }} kept.\"\n",
    );
    let rows = vec![
        header(),
        indicator("T1", "Visits *in time* [draft]", 86.0, 80.0, 90.0, 85.0),
        indicator("T2", "Second", 95.0, 70.0, 90.0, 85.0),
        indicator("T3", "Third", 80.0, 84.0, 90.0, 85.0),
        indicator("T4", "Fourth", 80.0, 87.0, 90.0, 85.0),
    ];
    let dir = case(&yaml, rows);
    let built = build_paper(&dir.path().join("paper.yaml"));
    let paragraph = "Red: T1 Visits *in time* [draft], T2 Second and T3 Third. To Red: T1 Visits *in time* [draft] and \
                     T2 Second. Better: T4 Fourth. Green: none. Moves: 2 indicators moved to Red, 1 improved its \
                     rating; 2 to Red, 1 to Amber, 2 worse, 1 better, 1 kept.";
    assert!(built.docx_lines().iter().any(|l| l == paragraph), "{:?}", built.docx_lines());
    assert_in_order(&built.pdf, &[paragraph], "PDF");
}

/// A workbook's own "Previous RAG" wins over rating the previous value (the targets may have
/// changed since); a blank cell falls back to the rules; a word that is not a rating is an error.
#[test]
fn a_previous_rag_column_gives_the_previous_rating() {
    let mut head = header();
    head.push(V::S("Previous RAG"));
    let row = |reference: &'static str, previous: f64, current: f64, given: V<'static>| {
        let mut r = indicator(reference, "Visits", previous, current, 90.0, 85.0);
        r.push(given);
        r
    };
    let rows = vec![
        head,
        // 80 rates Red against today's floor, but the last paper printed Amber.
        row("P1", 80.0, 80.0, V::S("Amber")),
        row("P2", 95.0, 95.0, V::Blank),
        row("P3", 80.0, 95.0, V::S("n/a")),
        row("P4", 80.0, 95.0, V::S(" r ")),
    ];
    let dir = case(&paper_yaml("      columns: [ref, indicator, current, rag, previous-rag, change]\n"), rows);
    let json = check_json_of(&dir.path().join("paper.yaml"));
    let pair = |r: &str| (in_json(&json, r)["previous_rag"].clone(), in_json(&json, r)["move"].clone());
    assert_eq!(pair("P1"), ("amber".into(), "worsened".into()));
    assert_eq!(pair("P2"), ("green".into(), "unchanged".into()));
    assert_eq!(pair("P3"), ("na".into(), "na".into()));
    assert_eq!(pair("P4"), ("red".into(), "improved".into()));
    let built = build_paper(&dir.path().join("paper.yaml"));
    let lines = built.docx_lines();
    let at = lines.iter().position(|l| l == "P1").unwrap();
    assert_eq!(lines[at..at + 6], ["P1", "Visits", "80.0%", "Red", "Amber", "was Amber"]);

    let rows = vec![
        {
            let mut h = header();
            h.push(V::S("Previous RAG"));
            h
        },
        row("P1", 80.0, 80.0, V::S("Purple")),
    ];
    let dir = case(&paper_yaml(""), rows);
    let err = fails(&dir.path().join("paper.yaml"));
    assert_eq!(
        err,
        "error: book.xlsx › Scorecard!I2: expected a rating (Green, Amber, Red, N/A, not rated, or blank), found \
         \"Purple\"\n"
    );
}

// ---- 2: exception reports ---------------------------------------------------------------------

/// The SCS05 report of the fixture, label then value, as both files print it.
const SCS05: [&str; 13] = [
    "SCS05 Core assessments completed within 35 working days",
    "Rating",
    "Red, was Amber",
    "Performance",
    "68.9% against a target of 80.0% and a floor of 70.0% (higher is better); 71.5% in the previous period",
    "Direction of travel",
    "▼ Worsened",
    "Commentary",
    "Timeliness fell in the South Kent teams, where three social work posts were vacant through June and July: 41 of \
     the 132 assessments completed in July were late, most by fewer than five working days.",
    "Action",
    "Agency social workers joined two South Kent teams on 4 August; team managers review every assessment open for \
     more than 25 working days at the weekly performance meeting.",
    "Owner",
    "Assistant Director, South Kent",
];

const INTRO: &str = "There is an exception report for each indicator rated Red and each Amber indicator that worsened \
                     since the previous period: 6 reports.";

#[test]
fn exception_reports_follow_the_scorecard_in_both_files() {
    let built = build_paper(&root().join(EXCEPTIONS_PAPER));
    // After the table, its key and totals: the heading, the intro, then the Reds and the worsened
    // Ambers, each in the table's order.
    let titles = [
        "SCS05 Core assessments completed within 35 working days",
        "SCS16 Children in care placed more than 20 miles from home",
        "SCS21 Average days between court authority to place and matching with an adoptive family",
        "SCS25 Average caseload of qualified social workers",
        "SCS11 Child Protection cases reviewed within timescale",
        "SCS14 Children in care with 3 or more placements in the last 12 months",
    ];
    let mut order = vec!["Since the previous period:", "Exception reports", INTRO];
    order.extend(titles);
    assert_in_order(&built.pdf, &order, "PDF");
    assert_in_order(&built.pdf, &SCS05, "PDF report of SCS05");
    assert_in_order(
        &built.pdf,
        &["SCS11 Child Protection cases reviewed within timescale", "Rating", "Amber", "Owner", "Not given"],
        "PDF report of SCS11",
    );
    assert_in_order(&built.pdf, &["SCS14", "Rating", "Amber, was Green", "Direction of travel", "▲ Worsened"], "SCS14");

    let lines = built.docx_lines();
    let heading = lines.iter().position(|l| l == "Exception reports").expect("the heading");
    assert_eq!(lines[heading + 1], INTRO);
    assert_eq!(lines[heading + 2..heading + 2 + SCS05.len()], SCS05);
    let found: Vec<&String> = lines.iter().filter(|l| titles.contains(&l.as_str())).collect();
    assert_eq!(found, titles, "one report each, Reds first");
    let scs11 = lines.iter().position(|l| l == titles[4]).unwrap();
    assert_eq!(lines[scs11 + 11..scs11 + 13], ["Owner", "Not given"]);
}

/// Word structure: the heading starts a page, the reports are tables of their own style, titled
/// for Word's Alt Text, whose rows keep together.
#[test]
fn the_docx_reports_are_styled_titled_tables_that_keep_together() {
    let built = build_paper(&root().join(EXCEPTIONS_PAPER));
    let xml = &built.xml;
    let heading = xml.find(">Exception reports<").unwrap();
    let paragraph = &xml[xml[..heading].rfind("<w:p ").unwrap()..heading];
    assert!(paragraph.contains(r#"<w:pStyle w:val="Heading2" />"#), "{paragraph}");
    assert!(paragraph.contains("<w:pageBreakBefore />"), "{paragraph}");
    assert_eq!(xml.matches(r#"<w:tblStyle w:val="ExceptionReport" />"#).count(), 6);
    assert!(xml.contains(
        r#"<w:tblCaption w:val="SCS05 Core assessments completed within 35 working days" /><w:tblDescription w:val="Exception report for SCS05 Core assessments completed within 35 working days: rating, performance against target and floor, direction of travel, commentary, action and owner." />"#
    ));
    // Each report's table: every row but the last keeps with the next.
    let table =
        xml.split(r#"<w:tblStyle w:val="ExceptionReport" />"#).nth(1).unwrap().split("</w:tbl>").next().unwrap();
    let rows: Vec<&str> = table.split("</w:tr>").filter(|r| r.contains("<w:tc>")).collect();
    assert_eq!(rows.len(), 6);
    for row in &rows[..5] {
        assert_eq!(row.matches("<w:keepNext />").count(), 2, "{row}");
    }
    assert!(!rows[5].contains("<w:keepNext />"));
}

/// `exceptions: true` in a body section places the reports there, and not after the table.
#[test]
fn a_body_section_can_place_the_reports() {
    let (_dir, paper) = edited_exceptions_paper(|yaml| {
        yaml.replace(
            "  - heading: Recommendations\n",
            "  - heading: Exception reports\n    exceptions: true\n\n  - heading: Recommendations\n",
        )
    });
    let built = build_paper(&paper);
    assert_in_order(
        &built.pdf,
        &["Exception reports", INTRO, SCS05[0], "Recommendations", "Appendix A", "Since the previous period:"],
        "PDF",
    );
    let after_table = &squash(&built.pdf)[squash(&built.pdf).find("Sincethepreviousperiod:").unwrap()..];
    assert!(!after_table.contains("SCS05Coreassessments"), "no second copy after the table");
    let lines = built.docx_lines();
    let heading = lines.iter().position(|l| l == "Exception reports").unwrap();
    assert_eq!(lines[heading + 1..heading + 2 + SCS05.len()][..2], [INTRO.to_string(), SCS05[0].to_string()]);
    assert!(lines.iter().position(|l| l.starts_with("Appendix A")).unwrap() > heading);
    // In a body section, the section's own heading names them (Heading 1, not a second Heading 2).
    assert_eq!(
        built.xml.matches(r#"<w:pStyle w:val="Heading2" />"#).count(),
        2,
        "Recommendations and Contact Information"
    );
}

#[test]
fn without_a_red_indicator_the_paper_says_there_are_no_reports() {
    let rows = vec![header(), indicator("T1", "Visits in time", 80.0, 91.0, 90.0, 85.0)];
    let dir = case(&paper_yaml("      exceptions: [red]\n"), rows);
    let built = build_paper(&dir.path().join("paper.yaml"));
    let none = "No indicator is rated Red, so there are no exception reports.";
    assert_in_order(&built.pdf, &["Exception reports", none], "PDF");
    assert!(built.docx_lines().iter().any(|l| l == none));
    assert!(!built.xml.contains("ExceptionReport"), "no report table");
}

/// Two scorecards whose reports one body section places: each says which appendix it is.
/// The reports of an exempt appendix's scorecard stay with the appendix even when a body
/// section places the reports, so the public version withholds them with the appendix.
#[test]
fn an_exempt_appendix_keeps_its_reports_out_of_the_public_version() {
    let (_dir, paper) = edited_exceptions_paper(|yaml| {
        yaml.replace(
            "  - heading: Recommendations\n",
            "  - heading: Exception reports\n    exceptions: true\n\n  - heading: Recommendations\n",
        )
        .replace("      require-commentary: [red]\n", "      require-commentary: [red]\n    exempt: 3\n")
    });
    let built = build_paper(&paper);
    for text in [&built.pdf, &built.xml] {
        // (The body's own `{{ red_list }}` names the Red indicators: the author wrote that.)
        assert!(!text.contains("There is an exception report"), "{text}");
        assert!(!text.contains("Direction of travel"), "{text}");
    }
    assert!(built.pdf.contains("paragraph 3 of Part 1 of Schedule 12A"), "{}", built.pdf);
}

#[test]
fn reports_of_several_scorecards_name_their_appendix() {
    let second = "  - title: Appendix B – Second\n    scorecard:\n      workbook: book.xlsx\n      sheet: Scorecard\n      \
                  exceptions: [red]\n";
    let yaml =
        paper_yaml("      exceptions: [red]\n") + second + "sections:\n  - heading: Exceptions\n    exceptions: true\n";
    let rows = vec![header(), indicator("T1", "Visits in time", 80.0, 70.0, 90.0, 85.0)];
    let dir = case(&yaml, rows);
    let built = build_paper(&dir.path().join("paper.yaml"));
    let lines = built.docx_lines();
    for title in ["Appendix A – Scorecard", "Appendix B – Second"] {
        let intro = format!("{title}: there is an exception report for each indicator rated Red: 1 report.");
        assert!(lines.contains(&intro), "{intro}");
        assert_in_order(&built.pdf, &[&intro, "T1 Visits in time"], "PDF");
    }
}

// ---- require-commentary ----------------------------------------------------------------------

/// An indicator whose rating `require-commentary` lists must have a commentary: the error names
/// the cell it belongs in and the line that asks for it, and nothing is written.
#[test]
fn a_missing_commentary_is_an_error_naming_its_cell() {
    let (_dir, paper) =
        edited_fixture("fixtures/kcc-2017-children-in-care", |yaml| yaml + "      require-commentary: [red, amber]\n");
    let line = std::fs::read_to_string(&paper).unwrap().lines().count();
    assert_eq!(
        fails(&paper),
        format!(
            "error: cic-scorecard.xlsx › Scorecard!N7: indicator CIC04 \"Children in care reviews held within \
             timescale\" is rated Amber but has no commentary (paper.yaml:{line}:27 requires one: \
             require-commentary: [red, amber])\n  hint: write in this cell why the indicator is off target, or take \
             `amber` out of `require-commentary`\n"
        )
    );
    // Every Red of the 2017 workbook has its commentary.
    let (_dir, paper) =
        edited_fixture("fixtures/kcc-2017-children-in-care", |yaml| yaml + "      require-commentary: [red]\n");
    assert!(run(&["check", paper.to_str().unwrap()]).status.success());
}

#[test]
fn a_required_commentary_without_a_commentary_column_names_the_row() {
    let rows = vec![header(), indicator("T1", "Visits in time", 80.0, 70.0, 90.0, 85.0)];
    let dir = case(&paper_yaml("      require-commentary: [red]\n"), rows);
    assert_eq!(
        fails(&dir.path().join("paper.yaml")),
        "error: book.xlsx › Scorecard!A2: indicator T1 \"Visits in time\" is rated Red but has no commentary: the \
         sheet has no Commentary column (paper.yaml:15:27 requires one: require-commentary: [red])\n  hint: add a \
         column headed \"Commentary\", or name yours with `headers: { commentary: \"…\" }`\n"
    );
}

#[test]
fn mistakes_in_the_settings_are_located() {
    let rows = || vec![header(), indicator("T1", "Visits in time", 80.0, 70.0, 90.0, 85.0)];
    let err = fails(&case(&paper_yaml("      exceptions: [worsened-amber]\n"), rows()).path().join("paper.yaml"));
    assert!(
        err.starts_with(
            "error: paper.yaml:15:19: exception reports always cover the Red indicators, but `exceptions` leaves out \
             `red`"
        ),
        "{err}"
    );
    assert!(err.contains("hint: write `exceptions: [red]`, or `[red, worsened-amber]`"), "{err}");
    let err = fails(&case(&paper_yaml("      exceptions: [red, worsend-amber]\n"), rows()).path().join("paper.yaml"));
    assert!(
        err.starts_with(
            "error: paper.yaml:15:25: expected `red` or `worsened-amber` for `exceptions`, found \"worsend-amber\""
        ),
        "{err}"
    );
    assert!(err.contains("did you mean `worsened-amber`?"), "{err}");
    let err = fails(&case(&paper_yaml("      require-commentary: [green]\n"), rows()).path().join("paper.yaml"));
    assert!(
        err.starts_with("error: paper.yaml:15:28: expected `red` or `amber` for `require-commentary`, found \"green\""),
        "{err}"
    );
    let placed = paper_yaml("") + "sections:\n  - heading: Exceptions\n    exceptions: true\n";
    let err = fails(&case(&placed, rows()).path().join("paper.yaml"));
    assert!(
        err.starts_with(
            "error: paper.yaml:17:17: this section places the exception reports, but no scorecard asks for them"
        ),
        "{err}"
    );
    let twice = paper_yaml("      exceptions: [red]\n")
        + "sections:\n  - heading: A\n    exceptions: true\n  - heading: B\n    exceptions: true\n";
    let err = fails(&case(&twice, rows()).path().join("paper.yaml"));
    assert!(
        err.starts_with("error: paper.yaml:20:17: the exception reports are already placed at paper.yaml:18:17"),
        "{err}"
    );
}
