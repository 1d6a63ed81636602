//! The columns of a scorecard, decided in one place: the key a paper file names a column by, the
//! workbook header texts that name it, the label it is printed under, its alignment and width,
//! and the longest text it may hold.
//!
//! Workbook columns are read from the indicator sheet; computed columns (RAG, the change of rating,
//! direction of travel, trend) are worked out by the rules. Both can be shown in the printed table.

use std::fmt;

use serde::Serialize;

use crate::ingest::ColumnSpec;

/// A scorecard column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ColumnKey {
    Ref,
    Indicator,
    Section,
    Polarity,
    Unit,
    Decimals,
    Period,
    Previous,
    Current,
    Target,
    Floor,
    Rag,
    /// The rating at the previous period, as the workbook gives it (a "Previous RAG" column) or as
    /// the previous value rates against the same target and floor.
    PreviousRag,
    /// How the rating changed since the previous period (`was Amber`); computed.
    Change,
    Direction,
    England,
    Neighbours,
    Trend,
    Commentary,
    /// The corrective action for an indicator off target (exception reports).
    Action,
    /// Who owns the action.
    Owner,
}

/// Horizontal alignment of a column's cells.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Align {
    Left,
    Center,
    Right,
}

impl ColumnKey {
    /// Every column, in the order the paper file's documentation lists them.
    pub const ALL: [ColumnKey; 21] = [
        ColumnKey::Ref,
        ColumnKey::Indicator,
        ColumnKey::Section,
        ColumnKey::Polarity,
        ColumnKey::Unit,
        ColumnKey::Decimals,
        ColumnKey::Period,
        ColumnKey::Previous,
        ColumnKey::Current,
        ColumnKey::Target,
        ColumnKey::Floor,
        ColumnKey::Rag,
        ColumnKey::PreviousRag,
        ColumnKey::Change,
        ColumnKey::Direction,
        ColumnKey::England,
        ColumnKey::Neighbours,
        ColumnKey::Trend,
        ColumnKey::Commentary,
        ColumnKey::Action,
        ColumnKey::Owner,
    ];

    /// The key as the paper file writes it (`columns:`, `headers:`, `labels:`).
    pub fn name(self) -> &'static str {
        match self {
            ColumnKey::Ref => "ref",
            ColumnKey::Indicator => "indicator",
            ColumnKey::Section => "section",
            ColumnKey::Polarity => "polarity",
            ColumnKey::Unit => "unit",
            ColumnKey::Decimals => "decimals",
            ColumnKey::Period => "period",
            ColumnKey::Previous => "previous",
            ColumnKey::Current => "current",
            ColumnKey::Target => "target",
            ColumnKey::Floor => "floor",
            ColumnKey::Rag => "rag",
            ColumnKey::PreviousRag => "previous-rag",
            ColumnKey::Change => "change",
            ColumnKey::Direction => "direction",
            ColumnKey::England => "england",
            ColumnKey::Neighbours => "neighbours",
            ColumnKey::Trend => "trend",
            ColumnKey::Commentary => "commentary",
            ColumnKey::Action => "action",
            ColumnKey::Owner => "owner",
        }
    }

    /// The column a paper-file key names (case and surrounding spaces ignored).
    pub fn parse(name: &str) -> Option<ColumnKey> {
        let name = name.trim().to_lowercase();
        ColumnKey::ALL.into_iter().find(|key| key.name() == name)
    }

    /// Header texts that name the column in a workbook, compared ignoring case and runs of
    /// spaces. Empty for the computed columns, which a workbook does not hold.
    pub fn header_names(self) -> &'static [&'static str] {
        match self {
            ColumnKey::Ref => &["Ref", "Reference", "Ref.", "ID", "Indicator Ref", "Code"],
            ColumnKey::Indicator => {
                &["Indicator", "Indicator Name", "Measure", "Description", "Performance Indicator", "Name"]
            }
            ColumnKey::Section => &["Section", "Group", "Area", "Theme"],
            ColumnKey::Polarity => &["Polarity", "Good Is", "Direction of Good"],
            ColumnKey::Unit => &["Unit", "Units", "Format"],
            ColumnKey::Decimals => &["Decimals", "DP", "Decimal Places"],
            ColumnKey::Period => &["Period", "Period Type", "Data Period"],
            ColumnKey::Previous => &["Previous", "Previous Month", "Last Month", "Prev"],
            ColumnKey::Current => &["Current", "Latest", "Value", "This Month", "Current Month"],
            ColumnKey::Target => &["Target"],
            ColumnKey::Floor => &["Floor", "Minimum Standard", "Min Standard", "Floor Standard", "Minimum"],
            ColumnKey::England => &["England", "England Average", "National"],
            ColumnKey::Neighbours => {
                &["Stat Neighbours", "Statistical Neighbours", "SN", "Stat Neighbour", "Statistical Neighbour"]
            }
            ColumnKey::PreviousRag => &[
                "Previous RAG",
                "Prev RAG",
                "Last RAG",
                "Previous Rating",
                "Last Rating",
                "Previous Month RAG",
                "Last Month RAG",
                "RAG Last Month",
            ],
            ColumnKey::Commentary => &["Commentary", "Comment", "Comments", "Notes"],
            ColumnKey::Action => &[
                "Action",
                "Actions",
                "Corrective Action",
                "Corrective Actions",
                "Mitigation",
                "Mitigating Action",
                "Mitigating Actions",
                "Remedial Action",
                "Remedial Actions",
                "Improvement Action",
                "Improvement Actions",
                "Action Plan",
            ],
            ColumnKey::Owner => {
                &["Owner", "Action Owner", "Lead Officer", "Responsible Officer", "Accountable Officer", "Lead"]
            }
            ColumnKey::Rag | ColumnKey::Change | ColumnKey::Direction | ColumnKey::Trend => &[],
        }
    }

    /// The columns read from a workbook.
    pub fn in_workbooks() -> impl Iterator<Item = ColumnKey> {
        ColumnKey::ALL.into_iter().filter(|key| !key.header_names().is_empty())
    }

    /// Whether a scorecard sheet cannot be read without this column.
    pub fn required(self) -> bool {
        matches!(self, ColumnKey::Ref | ColumnKey::Indicator | ColumnKey::Current)
    }

    /// Whether the column can be printed (`decimals` only says how the others are printed).
    pub fn printable(self) -> bool {
        self != ColumnKey::Decimals
    }

    /// The printed header, unless the paper file gives its own (`labels:`). `trend_points` is
    /// the length of the longest trend, for the trend column's label.
    pub fn label(self, trend_points: usize) -> String {
        match self {
            ColumnKey::Ref => "Ref".into(),
            ColumnKey::Indicator => "Indicator".into(),
            ColumnKey::Section => "Section".into(),
            ColumnKey::Polarity => "Polarity".into(),
            ColumnKey::Unit => "Unit".into(),
            ColumnKey::Decimals => "Decimals".into(),
            ColumnKey::Period => "Period".into(),
            ColumnKey::Previous => "Previous".into(),
            ColumnKey::Current => "Current".into(),
            ColumnKey::Target => "Target".into(),
            ColumnKey::Floor => "Floor".into(),
            ColumnKey::Rag => "RAG".into(),
            ColumnKey::PreviousRag => "Previous RAG".into(),
            ColumnKey::Change => "Rating change".into(),
            ColumnKey::Direction => "Direction of travel".into(),
            ColumnKey::England => "England".into(),
            ColumnKey::Neighbours => "Stat. neighbours".into(),
            ColumnKey::Trend => format!("Trend ({trend_points} months)"),
            ColumnKey::Commentary => "Commentary".into(),
            ColumnKey::Action => "Action".into(),
            ColumnKey::Owner => "Owner".into(),
        }
    }

    /// Alignment and relative width in the printed table. Numbers need room for "Previous" or
    /// "£1,234" in a header of their own; the indicator name takes what is left and wraps.
    pub fn layout(self) -> (Align, f32) {
        match self {
            ColumnKey::Ref => (Align::Left, 1.2),
            ColumnKey::Indicator => (Align::Left, 5.2),
            ColumnKey::Section => (Align::Left, 2.0),
            ColumnKey::Polarity | ColumnKey::Unit => (Align::Center, 1.5),
            ColumnKey::Period => (Align::Center, 1.7),
            ColumnKey::Rag | ColumnKey::PreviousRag => (Align::Center, 1.4),
            ColumnKey::Change => (Align::Left, 1.6),
            ColumnKey::Owner => (Align::Left, 2.0),
            ColumnKey::Direction => (Align::Left, 2.2),
            ColumnKey::Trend => (Align::Center, 2.0),
            ColumnKey::Commentary | ColumnKey::Action => (Align::Left, 4.5),
            ColumnKey::Neighbours => (Align::Right, 2.0),
            ColumnKey::Decimals
            | ColumnKey::Previous
            | ColumnKey::Current
            | ColumnKey::Target
            | ColumnKey::Floor
            | ColumnKey::England => (Align::Right, 1.6),
        }
    }

    /// The longest text the column takes, in characters. A scorecard row is one line of a
    /// landscape table: a Ref longer than a code, an indicator name longer than a couple of
    /// sentences, or a commentary longer than a short paragraph is almost always a paste into
    /// the wrong cell, and would stretch one row over pages.
    pub fn max_chars(self) -> Option<(usize, &'static str)> {
        match self {
            ColumnKey::Ref => Some((40, "a Ref")),
            ColumnKey::Indicator => Some((300, "an indicator name")),
            ColumnKey::Section => Some((300, "a section name")),
            ColumnKey::Commentary => Some((2000, "a commentary")),
            ColumnKey::Action => Some((2000, "an action")),
            ColumnKey::Owner => Some((200, "an owner")),
            _ => None,
        }
    }
}

/// Every column a workbook can hold, found by its usual header texts (what `inspect` looks for).
pub fn workbook_specs() -> Vec<ColumnSpec<ColumnKey>> {
    ColumnKey::in_workbooks().map(|key| key.spec(None)).collect()
}

impl ColumnKey {
    /// How ingest finds this column in a header row: by `names` when the paper file maps it
    /// (`headers:`), else by its usual header texts.
    pub fn spec(self, names: Option<Vec<String>>) -> ColumnSpec<ColumnKey> {
        ColumnSpec {
            key: self,
            names: names.unwrap_or_else(|| self.header_names().iter().map(|n| n.to_string()).collect()),
            required: self.required(),
        }
    }
}

impl fmt::Display for ColumnKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_back() {
        for key in ColumnKey::ALL {
            assert_eq!(ColumnKey::parse(key.name()), Some(key));
            assert_eq!(ColumnKey::parse(&format!(" {} ", key.name().to_uppercase())), Some(key));
            assert_eq!(serde_json::to_value(key).ok(), Some(serde_json::Value::from(key.name())));
        }
        assert_eq!(ColumnKey::parse("curent"), None);
    }

    #[test]
    fn no_header_text_names_two_columns() {
        let mut seen = std::collections::BTreeMap::new();
        for key in ColumnKey::in_workbooks() {
            for name in key.header_names() {
                let compared = name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
                if let Some(other) = seen.insert(compared, key) {
                    panic!("{name:?} names both {other} and {key}");
                }
            }
        }
    }

    #[test]
    fn computed_columns_are_not_read_from_workbooks() {
        let read: Vec<ColumnKey> = ColumnKey::in_workbooks().collect();
        for computed in [ColumnKey::Rag, ColumnKey::Change, ColumnKey::Direction, ColumnKey::Trend] {
            assert!(!read.contains(&computed));
        }
        assert!(read.iter().filter(|k| k.required()).count() == 3);
    }
}
