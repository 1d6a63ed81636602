//! What `committee-paper check` prints: every indicator's rating and the totals, as a table for
//! people or as JSON with a stable shape for scripts.

use serde::Serialize;

use super::load::{Indicator, Scorecard};
use super::rules::{Moves, Totals, change_text, rag_word};

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
    /// How the ratings moved since the previous period.
    pub moves: Moves,
    /// Refs of the rows hidden in the workbook and left out.
    pub hidden_rows_left_out: Vec<&'a str>,
    /// Headers of hidden columns left out.
    pub hidden_columns_left_out: Vec<&'a str>,
    /// Warnings, as printed (`book.xlsx › Scorecard: 3 formulas computed …`).
    pub warnings: Vec<String>,
}

impl<'a> CheckReport<'a> {
    /// Collects the report on the paper titled `paper` from its scorecards.
    pub fn new(paper: &str, scorecards: impl IntoIterator<Item = &'a Scorecard>) -> Self {
        let cards: Vec<&Scorecard> = scorecards.into_iter().collect();
        CheckReport {
            paper: paper.to_string(),
            period: cards.first().and_then(|c| c.period.clone()),
            indicators: cards.iter().flat_map(|c| c.indicators.iter()).collect(),
            totals: cards.iter().fold(Totals::default(), |sum, card| sum.plus(card.totals)),
            moves: cards.iter().fold(Moves::default(), |sum, card| sum.plus(card.moves)),
            hidden_rows_left_out: cards.iter().flat_map(|c| c.hidden_left_out.iter().map(String::as_str)).collect(),
            hidden_columns_left_out: cards
                .iter()
                .flat_map(|c| c.hidden_columns_left_out.iter().map(String::as_str))
                .collect(),
            warnings: cards.iter().flat_map(|c| c.warnings.iter().map(|w| w.to_string())).collect(),
        }
    }

    /// A plain-text table for a terminal.
    pub fn to_text(&self) -> String {
        let mut rows: Vec<[String; 8]> = vec![[
            "Ref".into(),
            "Indicator".into(),
            "Value".into(),
            "Target".into(),
            "Floor".into(),
            "RAG".into(),
            "Direction".into(),
            "Rating change".into(),
        ]];
        for i in &self.indicators {
            let name: String = if i.name.chars().count() > 48 {
                i.name.chars().take(47).chain(['…']).collect()
            } else {
                i.name.clone()
            };
            let value = match i.value {
                Some(_) => i.printed(i.value),
                None => format!("– ({})", i.missing_reason.clone().unwrap_or_else(|| "no value".into())),
            };
            rows.push([
                i.reference.clone(),
                name,
                value,
                i.printed(i.target),
                i.printed(i.floor),
                rag_word(i.rag).to_string(),
                i.travel.text(),
                change_text(i.previous_rag, i.rag),
            ]);
        }
        let widths: Vec<usize> = (0..8).map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
        let mut out = self.paper.to_string();
        if let Some(period) = &self.period {
            out.push_str(&format!(" — {period}"));
        }
        out.push_str("\n\n");
        for row in &rows {
            let line: Vec<String> = row.iter().zip(&widths).map(|(cell, w)| format!("{cell:<w$}", w = *w)).collect();
            out.push_str(line.join("  ").trim_end());
            out.push('\n');
        }
        let count = self.indicators.len();
        let sentence = self.totals.sentence().unwrap_or_else(|| format!("not rated {}", self.totals.none));
        out.push_str(&format!("\n{count} indicator{}: {sentence}\n", if count == 1 { "" } else { "s" }));
        if let Some(moves) = self.moves.sentence() {
            out.push_str(&format!("Since the previous period: {moves}\n"));
        }
        let hidden = |what: &str, items: &[&str]| match items.len() {
            0 => String::new(),
            n => format!("{n} hidden {what}{} left out: {}\n", if n == 1 { "" } else { "s" }, items.join(", ")),
        };
        out.push_str(&hidden("row", &self.hidden_rows_left_out));
        out.push_str(&hidden("column", &self.hidden_columns_left_out));
        out
    }
}
