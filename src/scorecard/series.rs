//! The monthly series sheet: a `Ref` column and one column per month, headed by real dates or by
//! texts such as `Jul-14`. It gives each indicator's trend and, where the indicator table has no
//! Previous column, the previous value.

use std::collections::BTreeMap;

use anyhow::Result;
use calamine::Data;
use chrono::{Datelike, NaiveDate};

use super::cells::{NumberRules, date_in, number_in};
use crate::diagnostic::Diagnostic;
use crate::ingest::{CellRef, Workbook, cell_text};

/// A monthly series: Ref -> values in month order.
#[derive(Debug, Clone)]
pub struct Series {
    /// The months, oldest first.
    pub months: Vec<NaiveDate>,
    pub rows: BTreeMap<String, Vec<Option<f64>>>,
}

/// How far down the sheet the header row (the first row with a `Ref` cell) is looked for.
const HEADER_SEARCH_ROWS: u32 = 50;

/// Reads the series sheet. With `by_format`, cells formatted as percentages are read as
/// fractions (× 100), as the workbook shows them.
pub fn read_series(workbook: &mut Workbook, sheet: &str, by_format: bool) -> Result<Series> {
    let name = workbook.name.clone();
    let range = workbook.range(sheet)?.clone();
    let Some((start_row, start_col)) = range.start() else {
        return Err(Diagnostic::new(format!("{name} › {sheet}"), "the series sheet is empty").into());
    };
    let (end_row, end_col) = range.end().unwrap_or((start_row, start_col));
    let header = (start_row..=end_row.min(start_row + HEADER_SEARCH_ROWS)).find_map(|row| {
        (start_col..=end_col)
            .find(|col| range.get_value((row, *col)).is_some_and(|v| cell_text(v).eq_ignore_ascii_case("ref")))
            .map(|col| (row, col))
    });
    let Some((header_row, ref_col)) = header else {
        return Err(Diagnostic::new(
            format!("{name} › {sheet}"),
            "no header row with a \"Ref\" column found in the series sheet",
        )
        .with_hint("the series sheet needs a Ref column and one column per month")
        .into());
    };
    let at = |row: u32, col: u32| CellRef { sheet: sheet.to_string(), row, col };
    let mut month_cols: Vec<(NaiveDate, u32)> = Vec::new();
    for col in ref_col + 1..=end_col {
        let value = range.get_value((header_row, col)).cloned().unwrap_or(Data::Empty);
        if matches!(value, Data::Empty) {
            continue;
        }
        let month = month_of(&value).ok_or_else(|| {
            let found = cell_text(&value);
            workbook.error_at(
                &at(header_row, col),
                format!("expected a month as the column header (a date, or text such as \"Jul-14\"), found {found:?}"),
            )
        })?;
        month_cols.push((month, col));
    }
    month_cols.sort();
    if let Some(pair) = month_cols.windows(2).find(|pair| pair[0].0 == pair[1].0) {
        let month = pair[0].0.format("%B %Y");
        return Err(workbook
            .error_at(&at(header_row, pair[1].1), format!("the month {month} appears twice in the series header"))
            .into());
    }
    let mut rows = BTreeMap::new();
    for row in header_row + 1..=end_row {
        let reference = range.get_value((row, ref_col)).map(cell_text).unwrap_or_default();
        if reference.is_empty() {
            continue;
        }
        let mut values = Vec::new();
        for (_, col) in &month_cols {
            let cell = workbook.cell(&at(row, *col));
            let rules = NumberRules { percent_as_fraction: by_format && cell.percent, errors_are_missing: true };
            values.push(number_in(workbook, &cell, rules)?);
        }
        rows.insert(reference, values);
    }
    Ok(Series { months: month_cols.into_iter().map(|(m, _)| m).collect(), rows })
}

/// The first day of the month a header names.
fn month_of(value: &Data) -> Option<NaiveDate> {
    match value {
        Data::String(s) => parse_month_text(s),
        other => date_in(other).and_then(|d| d.with_day(1)),
    }
}

/// `Jul-14`, `Jul 14`, `Jul 2014`, `July 2014`, `2014-07`.
pub fn parse_month_text(text: &str) -> Option<NaiveDate> {
    let t = text.trim().replace(['-', '/', '.'], " ");
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    for format in ["%b %y", "%B %y", "%b %Y", "%B %Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(&format!("1 {t}"), &format!("%d {format}")) {
            return Some(d);
        }
    }
    NaiveDate::parse_from_str(&format!("{t} 1"), "%Y %m %d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_headers_in_the_forms_authors_type() {
        let jul = NaiveDate::from_ymd_opt(2014, 7, 1);
        for text in ["Jul-14", "Jul 14", "Jul 2014", "July 2014", " jul-14 ", "2014-07"] {
            assert_eq!(parse_month_text(text), jul, "{text}");
        }
        assert_eq!(parse_month_text("Total"), None);
    }
}
