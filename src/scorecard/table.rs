//! Rated indicators in, the printed scorecard table out: columns, section groups, formatted cells,
//! and the key explaining the colours, arrows and period types.

use anyhow::Result;

use super::format::Unit;
use super::load::{Indicator, Scorecard, format_optional};
use super::parse::PeriodType;
use super::rules::{
    ARROWS_MEANING, ARROWS_TERM, Polarity, direction_meaning, direction_word, rag_meaning, rag_word, travel,
};
use crate::config::ScorecardConfig;
use crate::diagnostic::Diagnostic;
use crate::model::{Align, Cell, Column, Direction, KeyEntry, Rag, Row, RowGroup, ScorecardTable};

/// The keys a table can show: the workbook's columns plus the computed ones.
const DISPLAY_KEYS: &[&str] = &[
    "ref",
    "indicator",
    "section",
    "polarity",
    "unit",
    "period",
    "previous",
    "current",
    "target",
    "floor",
    "rag",
    "direction",
    "england",
    "neighbours",
    "trend",
    "commentary",
];

fn default_label(key: &str, points: usize) -> String {
    match key {
        "ref" => "Ref".into(),
        "indicator" => "Indicator".into(),
        "section" => "Section".into(),
        "polarity" => "Polarity".into(),
        "unit" => "Unit".into(),
        "period" => "Period".into(),
        "previous" => "Previous".into(),
        "current" => "Current".into(),
        "target" => "Target".into(),
        "floor" => "Floor".into(),
        "rag" => "RAG".into(),
        "direction" => "Direction of travel".into(),
        "england" => "England".into(),
        "neighbours" => "Stat. neighbours".into(),
        "trend" => format!("Trend ({points} months)"),
        "commentary" => "Commentary".into(),
        other => other.into(),
    }
}

fn layout(key: &str) -> (Align, f32) {
    // Relative widths: numbers need room for "Previous" or "£1,234" in a header of their own;
    // the indicator name takes what is left and wraps.
    match key {
        "ref" => (Align::Left, 1.2),
        "indicator" => (Align::Left, 5.2),
        "section" => (Align::Left, 2.0),
        "polarity" | "unit" => (Align::Center, 1.5),
        "period" => (Align::Center, 1.7),
        "rag" => (Align::Center, 1.4),
        "direction" => (Align::Left, 2.2),
        "trend" => (Align::Center, 2.0),
        "commentary" => (Align::Left, 4.5),
        "neighbours" => (Align::Right, 2.0),
        _ => (Align::Right, 1.6),
    }
}

/// Builds the printed table.
pub fn scorecard_table(card: &Scorecard, config: &ScorecardConfig) -> Result<ScorecardTable> {
    let keys: Vec<String> = match &config.columns {
        Some(list) => {
            let mut keys = Vec::new();
            for item in list {
                let key = item.value.trim().to_lowercase();
                if !DISPLAY_KEYS.contains(&key.as_str()) {
                    return Err(Diagnostic::new(item.at.clone(), format!("unknown column {:?}", item.value))
                        .with_suggestion(&key, DISPLAY_KEYS, Some("columns"))
                        .into());
                }
                if key == "trend" && !card.has_series {
                    return Err(Diagnostic::new(item.at.clone(), "the `trend` column needs a monthly series")
                        .with_hint("add `series-sheet:` naming the sheet with one column per month")
                        .into());
                }
                keys.push(key);
            }
            keys
        }
        None => {
            let present = |k: &str| card.present_columns.iter().any(|p| p == k);
            let mut keys = vec!["ref", "indicator"];
            if present("polarity") {
                keys.push("polarity");
            }
            if present("period") {
                keys.push("period");
            }
            if present("previous") || card.has_series {
                keys.push("previous");
            }
            keys.extend(["current", "target", "floor", "rag", "direction"]);
            if present("england") {
                keys.push("england");
            }
            if present("neighbours") {
                keys.push("neighbours");
            }
            if card.has_series {
                keys.push("trend");
            }
            if present("commentary") {
                keys.push("commentary");
            }
            keys.into_iter().map(String::from).collect()
        }
    };
    for (key, label) in &config.labels {
        if !DISPLAY_KEYS.contains(&key.as_str()) {
            return Err(Diagnostic::new(label.at.clone(), format!("unknown column {key:?} in `labels`")).into());
        }
    }
    let points = card.indicators.iter().map(|i| i.trend.len()).max().unwrap_or(0);
    let columns: Vec<Column> = keys
        .iter()
        .map(|key| {
            let (align, width) = layout(key);
            let label = config.labels.get(key).map(|l| l.value.clone()).unwrap_or_else(|| default_label(key, points));
            Column { key: key.clone(), label, align, width }
        })
        .collect();

    let mut groups: Vec<RowGroup> = Vec::new();
    for indicator in &card.indicators {
        let row = Row { cells: keys.iter().map(|k| cell(indicator, k)).collect() };
        match groups.iter_mut().find(|g| g.name == indicator.section) {
            Some(g) => g.rows.push(row),
            None => groups.push(RowGroup { name: indicator.section.clone(), rows: vec![row] }),
        }
    }

    Ok(ScorecardTable {
        period: card.period.clone(),
        columns,
        groups,
        key: key_entries(card, &keys),
        totals: card.totals,
    })
}

fn polarity_text(p: Option<Polarity>) -> &'static str {
    match p {
        Some(Polarity::Higher) => "High",
        Some(Polarity::Lower) => "Low",
        None => "–",
    }
}

fn cell(i: &Indicator, key: &str) -> Cell {
    let value = |v: Option<f64>| Cell::text(format_optional(v, i.unit, i.decimals));
    match key {
        "ref" => Cell::text(&i.reference),
        "indicator" => Cell::text(&i.name),
        "section" => Cell::text(i.section.clone().unwrap_or_default()),
        "polarity" => Cell::text(polarity_text(i.polarity)),
        "unit" => Cell::text(unit_text(i.unit)),
        "period" => Cell::text(i.period_type.map(|p| p.label().to_string()).unwrap_or_default()),
        "previous" => value(i.previous),
        "current" => match i.value {
            Some(_) => value(i.value),
            None => Cell::text("–"),
        },
        "target" => value(i.target),
        "floor" => value(i.floor),
        "england" => value(i.england),
        "neighbours" => value(i.neighbours),
        "rag" => Cell { text: rag_word(i.rag).to_string(), rag: Some(i.rag), direction: None, trend: None },
        "direction" => {
            let t = travel(i.previous, i.value, i.polarity, i.format());
            Cell { text: t.text(), rag: None, direction: Some(t.direction), trend: None }
        }
        "trend" => Cell { text: String::new(), rag: None, direction: None, trend: Some(i.trend.clone()) },
        "commentary" => Cell::text(i.commentary.clone().unwrap_or_default()),
        _ => Cell::text(""),
    }
}

pub(super) fn unit_text(unit: Unit) -> &'static str {
    match unit {
        Unit::Percent => "%",
        Unit::Count => "Number",
        Unit::Rate10k => "Rate per 10,000",
        Unit::Days => "Days",
        Unit::Ratio => "Ratio",
        Unit::Money => "£",
    }
}

/// The key: the reference paper's RAG wording, the arrows, and the period types in the table.
fn key_entries(card: &Scorecard, keys: &[String]) -> Vec<KeyEntry> {
    let mut key = Vec::new();
    let shows = |k: &str| keys.iter().any(|x| x == k);
    if shows("rag") {
        let present = |r: Rag| match r {
            Rag::Na => card.totals.na > 0,
            Rag::None => card.totals.none > 0,
            _ => true,
        };
        for r in [Rag::Green, Rag::Amber, Rag::Red, Rag::Na, Rag::None].into_iter().filter(|r| present(*r)) {
            key.push(KeyEntry {
                term: rag_word(r).to_string(),
                rag: Some(r),
                direction: None,
                meaning: rag_meaning(r).to_string(),
            });
        }
    }
    if shows("direction") {
        key.push(KeyEntry {
            term: ARROWS_TERM.to_string(),
            rag: None,
            direction: None,
            meaning: ARROWS_MEANING.to_string(),
        });
        let seen: Vec<Direction> = card.indicators.iter().map(|i| i.direction).collect();
        for d in Direction::ALL.into_iter().filter(|d| seen.contains(d)) {
            key.push(KeyEntry {
                term: direction_word(d).to_string(),
                rag: None,
                direction: Some(d),
                meaning: direction_meaning(d).to_string(),
            });
        }
    }
    if shows("period") {
        for p in PeriodType::ALL {
            if card.indicators.iter().any(|i| i.period_type == Some(p)) {
                key.push(KeyEntry {
                    term: p.label().to_string(),
                    rag: None,
                    direction: None,
                    meaning: p.meaning().to_string(),
                });
            }
        }
    }
    key
}
