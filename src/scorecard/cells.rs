//! One workbook cell read as a number or as text, the way every scorecard value is read.
//!
//! Blank, `n/a` and `-` are missing; Excel error cells (#N/A, #DIV/0!) are missing where a value
//! may be missing (the caller keeps the reason); text that is not a number, a date or TRUE is an
//! error naming the cell, and so is a formula whose result is not known (never a blank). Numbers
//! stored as text (`" 24 "`, `"12.5%"`) are read as numbers.

use anyhow::Result;
use calamine::Data;
use chrono::{Datelike, NaiveDate};

use super::parse::{NumberText, parse_number_text, percent_points};
use crate::ingest::{Cell, Workbook, cell_text};

/// How a cell's number is taken.
#[derive(Debug, Clone, Copy, Default)]
pub struct NumberRules {
    /// The cell holds a percentage as a fraction (0.125 for 12.5%): take it in percentage points.
    pub percent_as_fraction: bool,
    /// An Excel error cell is a missing value rather than a mistake.
    pub errors_are_missing: bool,
}

/// The number in a cell; `None` when it is missing.
pub fn number_in(workbook: &Workbook, cell: &Cell, rules: NumberRules) -> Result<Option<f64>> {
    if let Some(problem) = &cell.formula_problem {
        return Err(workbook.formula_error(&cell.at, problem).into());
    }
    let scale = |v: f64| percent_points(v, rules.percent_as_fraction);
    match &cell.value {
        Data::Empty => Ok(None),
        Data::Float(f) if f.is_finite() => Ok(Some(scale(*f))),
        Data::Float(_) => {
            Err(workbook.error_at(&cell.at, "expected a number, found an infinite or undefined value").into())
        }
        Data::Int(i) => Ok(Some(scale(*i as f64))),
        Data::String(s) => match parse_number_text(s) {
            NumberText::Missing => Ok(None),
            // "12.5%" typed as text is already in percentage points.
            NumberText::Number(v) => Ok(Some(if s.contains('%') { v } else { scale(v) })),
            NumberText::NotANumber => {
                Err(workbook.error_at(&cell.at, format!("expected a number, found {:?}", s.trim())).into())
            }
        },
        Data::Error(_) if rules.errors_are_missing => Ok(None),
        Data::Error(e) => Err(workbook.error_at(&cell.at, format!("expected a number, found the error {e}")).into()),
        Data::Bool(b) => Err(workbook
            .error_at(&cell.at, format!("expected a number, found {}", if *b { "TRUE" } else { "FALSE" }))
            .into()),
        Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => Err(workbook
            .error_at(&cell.at, format!("expected a number, found a date ({})", cell_text(&cell.value)))
            .with_hint("the cell is formatted as a date: format it as a number")
            .into()),
    }
}

/// The date a cell holds, if it holds one (a date-formatted number, or an ODS date).
pub fn date_in(value: &Data) -> Option<NaiveDate> {
    match value {
        Data::DateTime(dt) => dt.as_datetime().map(|d| d.date()),
        Data::DateTimeIso(s) => NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").ok(),
        _ => None,
    }
}

/// Text of a cell for a placeholder or a period: dates as `July 2014` (first of a month) or
/// `28 August 2014`, anything else as [`cell_text`].
pub fn value_text(value: &Data) -> String {
    match date_in(value) {
        Some(d) if d.day() == 1 => d.format("%B %Y").to_string(),
        Some(d) => d.format("%-d %B %Y").to_string(),
        None => cell_text(value),
    }
}
