//! A small but complete [`Paper`] for renderer tests: every block kind, both contact styles,
//! every RAG state and direction, and text that looks like typst markup.

use super::scorecard::{rag_mark, travel_mark};
use super::*;

fn run(text: &str) -> Inline {
    Inline::plain(text)
}

fn bold(text: &str) -> Inline {
    Inline::Run { text: text.into(), bold: true, italic: false, link: None }
}

/// A number as printed (`2.1`, `3.`) with its counters.
pub fn number(printed: &str) -> Number {
    let parts = printed.trim_end_matches('.').split('.').filter_map(|p| p.parse().ok()).collect();
    Number { printed: printed.into(), parts }
}

/// A paper in the sectioned scheme with one landscape scorecard appendix.
pub fn sample_paper() -> Paper {
    let config =
        crate::config::style::StyleConfig { organisation: Some("Kent County Council".into()), ..Default::default() };
    let style = Style::from_config(&config, ["From", "To", "Subject", "Classification"], Numbering::Sectioned);
    let rag = |rag: Rag| Some(rag_mark(rag, &style));
    let rag_cell = |r: Rag, text: &str| Cell { rag: rag(r), ..Cell::text(text) };
    let dir_cell = |d: Direction, text: &str| {
        let arrow = text.chars().next().filter(|c| !c.is_alphanumeric() && text.contains(' '));
        Cell { travel: Some(travel_mark(d, arrow, &style)), ..Cell::text(text) }
    };
    let row = |r: &str, name: &str, prev: &str, cur: &str, tgt: &str, floor: &str, rag: Cell, dir: Cell| Row {
        cells: vec![
            Cell::text(r),
            Cell::text(name),
            Cell::text("High"),
            Cell::text("Snapshot"),
            Cell::text(prev),
            Cell::text(cur),
            Cell::text(tgt),
            Cell::text(floor),
            rag,
            dir,
            Cell {
                trend: Some(Trend::new(
                    vec![Some(1.0), None, Some(3.0), Some(2.5)],
                    "Trend over 4 months: from 1.0% in December 2016 to 2.5% in March 2017; lowest 1.0%, highest 3.0%"
                        .into(),
                )),
                ..Cell::default()
            },
        ],
    };
    let col = |key: &str, label: &str, align: Align, width: f32| Column {
        key: ColumnKey::parse(key).unwrap_or(ColumnKey::Commentary),
        label: label.into(),
        align,
        width,
        row_header: match key {
            "ref" => Some(1),
            "indicator" => Some(2),
            _ => None,
        },
        break_words: false,
    };
    Paper {
        meta: Meta {
            title: "Performance Scorecard for Children in Care".into(),
            authors: vec!["Roger Gough".into(), "Andrew Ireland".into()],
            author: "Roger Gough; Andrew Ireland".into(),
            date: chrono::NaiveDate::from_ymd_opt(2017, 6, 1).unwrap_or_default(),
            date_display: "1 June 2017".into(),
            classification: "Unrestricted".into(),
            language: "en-GB".into(),
            committee: "Corporate Parenting Panel".into(),
        },
        header: vec![
            HeaderField {
                label: "From".into(),
                lines: vec![
                    vec![run("Roger Gough, Cabinet Member for Children, Young People and Education")],
                    vec![run("Andrew Ireland, Corporate Director of Social Care, Health and Wellbeing")],
                ],
                strong: false,
            },
            HeaderField {
                label: "To".into(),
                lines: vec![vec![run("Corporate Parenting Panel – 1 June 2017")]],
                strong: false,
            },
            HeaderField {
                label: "Subject".into(),
                lines: vec![vec![run("PERFORMANCE SCORECARD FOR CHILDREN IN CARE")]],
                strong: true,
            },
            HeaderField { label: "Classification".into(), lines: vec![vec![run("Unrestricted")]], strong: false },
        ],
        front: vec![
            FrontBlock {
                label: "Summary".into(),
                paragraphs: vec![vec![run("The performance Scorecard is attached.")]],
                numbered: false,
            },
            FrontBlock {
                label: "Recommendation".into(),
                paragraphs: vec![vec![
                    run("Members are asked to "),
                    bold("NOTE"),
                    run(" and "),
                    bold("COMMENT"),
                    run(" on the data."),
                ]],
                numbered: false,
            },
        ],
        numbering: Numbering::Sectioned,
        sections: vec![
            Section {
                number: Some(number("1.")),
                heading: Some(vec![run("Introduction")]),
                level: 1,
                blocks: vec![
                    Block::Paragraph(Paragraph {
                        number: Some(number("1.1")),
                        text: vec![run("Literal markup must print as text: #read(\"/etc/passwd\") *x* $y$ <l> @r")],
                        list: vec![],
                        quote: Some(vec![run("“Cabinet Committees shall review the performance …”")]),
                    }),
                    Block::Paragraph(Paragraph {
                        number: Some(number("1.2")),
                        text: vec![
                            run("Performance results are assigned an alert on the following basis:"),
                            Inline::Break,
                            run("second line"),
                        ],
                        list: vec![
                            vec![bold("Green:"), run(" Current target achieved or exceeded")],
                            vec![bold("Red:"), run(" Performance is below a pre-defined minimum standard")],
                        ],
                        quote: None,
                    }),
                ],
            },
            Section {
                number: Some(number("2.")),
                heading: Some(vec![run("Background documents")]),
                level: 1,
                blocks: vec![Block::BackgroundDocuments(BackgroundDocuments { labelled: false, items: vec![] })],
            },
            Section {
                number: Some(number("3.")),
                heading: Some(vec![run("Contact details")]),
                level: 1,
                blocks: vec![Block::Contacts(Contacts {
                    style: ContactStyle::Stacked,
                    people: vec![Contact {
                        label: Some("Lead Officer".into()),
                        name: "Maureen Robinson".into(),
                        title: Some("Management Information Service Manager".into()),
                        phone: Some("03000 417164".into()),
                        email: Some("Maureen.Robinson@kent.gov.uk".into()),
                    }],
                })],
            },
            Section {
                number: None,
                heading: Some(vec![run("Contact Information")]),
                level: 2,
                blocks: vec![
                    Block::Contacts(Contacts {
                        style: ContactStyle::Labelled,
                        people: vec![Contact {
                            label: None,
                            name: "Maureen Robinson".into(),
                            title: Some("Management Information Service Manager for Children's Services".into()),
                            phone: Some("01622 696328".into()),
                            email: Some("Maureen.robinson@kent.gov.uk".into()),
                        }],
                    }),
                    Block::BackgroundDocuments(BackgroundDocuments {
                        labelled: true,
                        items: vec![vec![run("Appendix A – SCS Monthly Performance Report – July 2014")]],
                    }),
                ],
            },
        ],
        appendices: vec![Appendix {
            title: "Appendix 1 – Children in Care Scorecard – March 2017".into(),
            landscape: true,
            intro: vec![],
            scorecard: Some(ScorecardTable {
                period: Some("March 2017".into()),
                columns: vec![
                    col("ref", "Ref", Align::Left, 1.0),
                    col("indicator", "Indicator", Align::Left, 5.0),
                    col("polarity", "Polarity", Align::Center, 1.2),
                    col("period", "Period", Align::Center, 1.5),
                    col("previous", "Previous", Align::Right, 1.2),
                    col("current", "Current", Align::Right, 1.2),
                    col("target", "Target", Align::Right, 1.2),
                    col("floor", "Floor", Align::Right, 1.2),
                    col("rag", "RAG", Align::Center, 1.2),
                    col("direction", "Direction", Align::Center, 1.6),
                    col("trend", "Trend", Align::Center, 1.6),
                ],
                groups: vec![
                    RowGroup {
                        name: Some("Children in Care".into()),
                        rows: vec![
                            row(
                                "CIC01",
                                "Placement stability: 3+ moves #read(\"/etc/passwd\")",
                                "9.8%",
                                "10.1%",
                                "10.0%",
                                "12.0%",
                                rag_cell(Rag::Amber, "Amber"),
                                dir_cell(Direction::Worsened, "▼ Worsened"),
                            ),
                            row(
                                "CIC02",
                                "Health checks in time *x*",
                                "88.0%",
                                "91.2%",
                                "90.0%",
                                "85.0%",
                                rag_cell(Rag::Green, "Green"),
                                dir_cell(Direction::Improved, "▲ Improved"),
                            ),
                            row(
                                "CIC03",
                                "Missing episodes",
                                "12",
                                "14",
                                "10",
                                "12",
                                rag_cell(Rag::Red, "Red"),
                                dir_cell(Direction::Worsened, "▼ Worsened"),
                            ),
                        ],
                    },
                    RowGroup {
                        name: Some("Care Leavers".into()),
                        rows: vec![
                            row(
                                "CL01",
                                "Care leavers in EET",
                                "55.0%",
                                "",
                                "60.0%",
                                "50.0%",
                                rag_cell(Rag::Na, "N/A"),
                                dir_cell(Direction::Na, "–"),
                            ),
                            row(
                                "CL02",
                                "Number of care leavers",
                                "1,234",
                                "1,250",
                                "",
                                "",
                                rag_cell(Rag::None, "—"),
                                dir_cell(Direction::Increased, "▲ Increased"),
                            ),
                            row(
                                "CL03",
                                "Care leavers in touch",
                                "90.0%",
                                "90.0%",
                                "85.0%",
                                "80.0%",
                                rag_cell(Rag::Green, "Green"),
                                dir_cell(Direction::Unchanged, "► No change"),
                            ),
                        ],
                    },
                ],
                key: vec![
                    KeyEntry {
                        term: "Green".into(),
                        rag: rag(Rag::Green),
                        travel: None,
                        meaning: "Current target achieved or exceeded".into(),
                    },
                    KeyEntry {
                        term: "Amber".into(),
                        rag: rag(Rag::Amber),
                        travel: None,
                        meaning: "Performance is below current target but above minimum standard".into(),
                    },
                    KeyEntry {
                        term: "Red".into(),
                        rag: rag(Rag::Red),
                        travel: None,
                        meaning: "Performance is below a pre-defined minimum standard".into(),
                    },
                    KeyEntry {
                        term: "N/A".into(),
                        rag: rag(Rag::Na),
                        travel: None,
                        meaning: "Data not available".into(),
                    },
                    KeyEntry {
                        term: "▲ Improved".into(),
                        rag: None,
                        travel: Some(travel_mark(Direction::Improved, None, &style)),
                        meaning: "Performance has improved since the previous period".into(),
                    },
                    KeyEntry {
                        term: "Snapshot".into(),
                        rag: None,
                        travel: None,
                        meaning: "Taken on the last working day of the reporting period".into(),
                    },
                ],
                totals: Totals { green: 2, amber: 1, red: 1, na: 1, none: 1 },
                totals_sentence: Some("Green 2, Amber 1, Red 1, N/A 1, not rated 1".into()),
                moves_sentence: Some("1 indicator moved to Red, 1 improved its rating".into()),
                totals_line: Some(vec![
                    bold("Totals:"),
                    run(" Green 2, Amber 1, Red 1, N/A 1, not rated 1"),
                    run(". "),
                    bold("Since the previous period:"),
                    run(" 1 indicator moved to Red, 1 improved its rating"),
                ]),
                summary: "Scorecard of 6 indicators for March 2017, in 2 sections (Children in Care, Care Leavers), one row per indicator under its section; columns: Ref, Indicator, Polarity, Period, Previous, Current, Target, Floor, RAG, Direction, Trend. Totals: Green 2, Amber 1, Red 1, N/A 1, not rated 1.".into(),
            }),
            exempt: None,
            marking: None,
            exceptions: Some(Exceptions {
                heading: Some("Exception reports".into()),
                intro: "There is an exception report for each indicator rated Red: 1 report.".into(),
                reports: vec![ExceptionReport {
                    title: "CIC03 Missing episodes *x* #read(\"/etc/passwd\")".into(),
                    summary: "Exception report for CIC03 Missing episodes: rating, performance against target and floor, direction of travel, commentary, action and owner.".into(),
                    rows: vec![
                        ExceptionRow { label: "Rating".into(), value: rag_cell(Rag::Red, "Red, was Amber") },
                        ExceptionRow {
                            label: "Performance".into(),
                            value: Cell::text("14 against a target of 10 and a floor of 12 (lower is better); 12 in the previous period"),
                        },
                        ExceptionRow { label: "Direction of travel".into(), value: dir_cell(Direction::Worsened, "▲ Worsened") },
                        ExceptionRow { label: "Commentary".into(), value: Cell::text("Two young people went missing repeatedly.") },
                        ExceptionRow { label: "Action".into(), value: Cell::text("Return interviews within 72 hours.") },
                        ExceptionRow { label: "Owner".into(), value: Cell::text("Not given") },
                    ],
                }],
            }),
        }],
        style,
    }
}
