//! What `committee-paper check` prints: every indicator's rating and the totals, as a table for
//! people or as JSON with a stable shape for scripts.

use serde::Serialize;

use super::load::{Indicator, format_optional};
use super::rules::{rag_word, travel};
use crate::Loaded;
use crate::model::Totals;

/// The result of checking a paper.
#[derive(Debug, Serialize)]
pub struct CheckReport<'a> {
    /// The paper's subject.
    pub paper: String,
    /// The reporting period of the first scorecard.
    pub period: Option<String>,
    /// Every indicator of every scorecard, in order.
    pub indicators: Vec<&'a Indicator>,
    pub totals: Totals,
    /// Refs of the rows hidden in the workbook and left out.
    pub hidden_rows_left_out: Vec<&'a str>,
    /// Headers of hidden columns left out.
    pub hidden_columns_left_out: Vec<&'a str>,
    /// Warnings, as printed (`book.xlsx › Scorecard: 3 formulas computed …`).
    pub warnings: Vec<String>,
}

impl<'a> CheckReport<'a> {
    /// Collects the report from a loaded paper.
    pub fn new(loaded: &'a Loaded) -> Self {
        let cards: Vec<_> = loaded.scorecards.iter().flatten().collect();
        let mut totals = Totals::default();
        for card in &cards {
            totals.green += card.totals.green;
            totals.amber += card.totals.amber;
            totals.red += card.totals.red;
            totals.na += card.totals.na;
            totals.none += card.totals.none;
        }
        CheckReport {
            paper: loaded.paper.meta.title.clone(),
            period: cards.first().and_then(|c| c.period.clone()),
            indicators: cards.iter().flat_map(|c| c.indicators.iter()).collect(),
            totals,
            hidden_rows_left_out: cards.iter().flat_map(|c| c.hidden_left_out.iter().map(String::as_str)).collect(),
            hidden_columns_left_out: cards
                .iter()
                .flat_map(|c| c.hidden_columns_left_out.iter().map(String::as_str))
                .collect(),
            warnings: loaded.warnings().iter().map(|w| w.to_string()).collect(),
        }
    }

    /// A plain-text table for a terminal.
    pub fn to_text(&self) -> String {
        let mut rows: Vec<[String; 7]> = vec![[
            "Ref".into(),
            "Indicator".into(),
            "Value".into(),
            "Target".into(),
            "Floor".into(),
            "RAG".into(),
            "Direction".into(),
        ]];
        for i in &self.indicators {
            let name: String = if i.name.chars().count() > 48 {
                i.name.chars().take(47).chain(['…']).collect()
            } else {
                i.name.clone()
            };
            let value = match i.value {
                Some(_) => format_optional(i.value, i.unit, i.decimals),
                None => format!("– ({})", i.missing_reason.clone().unwrap_or_else(|| "no value".into())),
            };
            rows.push([
                i.reference.clone(),
                name,
                value,
                format_optional(i.target, i.unit, i.decimals),
                format_optional(i.floor, i.unit, i.decimals),
                rag_word(i.rag).to_string(),
                travel(i.previous, i.value, i.polarity, i.format()).text(),
            ]);
        }
        let widths: Vec<usize> = (0..7).map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
        let mut out = format!("{}", self.paper);
        if let Some(period) = &self.period {
            out.push_str(&format!(" — {period}"));
        }
        out.push_str("\n\n");
        for row in &rows {
            let line: Vec<String> = row.iter().zip(&widths).map(|(cell, w)| format!("{cell:<w$}", w = *w)).collect();
            out.push_str(line.join("  ").trim_end());
            out.push('\n');
        }
        let t = self.totals;
        out.push_str(&format!(
            "\n{} indicator{}: {} Green, {} Amber, {} Red, {} N/A, {} not rated\n",
            self.indicators.len(),
            if self.indicators.len() == 1 { "" } else { "s" },
            t.green,
            t.amber,
            t.red,
            t.na,
            t.none
        ));
        let hidden = |what: &str, items: &[&str]| match items.len() {
            0 => String::new(),
            n => format!("{n} hidden {what}{} left out: {}\n", if n == 1 { "" } else { "s" }, items.join(", ")),
        };
        out.push_str(&hidden("row", &self.hidden_rows_left_out));
        out.push_str(&hidden("column", &self.hidden_columns_left_out));
        out
    }
}
