//! Percentages as the workbook shows them.
//!
//! Excel stores 78.5% as 0.785 in a cell formatted `0.0%`; the paper file convention is
//! percentage points (78.5 means 78.5%). Each number cell of a `%` indicator is therefore read by
//! its own format: a percent-formatted cell is a fraction (× 100), a plain number is percentage
//! points. `percent-as-fraction: true` or `false` in the paper file overrides the formats for
//! every cell. Where one indicator mixes the two, the sizes must agree: 0.785 shown as 78.5%
//! next to a plain 80 is fine (and said, in a warning), next to a plain 0.8 it is not — the 0.8
//! would print as 0.8% — so that is an error naming both cells. An indicator whose plain values
//! all lie between −1 and 1 is probably fractions without the format: a warning says so.

use anyhow::Result;
use calamine::Data;

use super::columns::ColumnKey;
use super::format::Unit;
use crate::diagnostic::Diagnostic;
use crate::ingest::{CellRef, TableRow, Workbook, cell_text};

/// The value columns of an indicator, with their names in messages.
const VALUE_COLUMNS: &[(ColumnKey, &str)] = &[
    (ColumnKey::Previous, "Previous"),
    (ColumnKey::Current, "Current"),
    (ColumnKey::Target, "Target"),
    (ColumnKey::Floor, "Floor"),
    (ColumnKey::England, "England"),
    (ColumnKey::Neighbours, "Stat Neighbours"),
];

/// A cell formatted as a percentage in an indicator whose unit is not `%` is an error: the
/// workbook shows 78.5%, the paper would print 0.785 as a count. `unit_at` is where the unit was
/// given (paper file or Unit cell), if anywhere.
pub fn check_unit(
    workbook: &Workbook,
    row: &TableRow<ColumnKey>,
    unit: Unit,
    reference: &str,
    unit_at: &str,
) -> Result<()> {
    if unit == Unit::Percent {
        return Ok(());
    }
    let Some(cell) = VALUE_COLUMNS.iter().filter_map(|(key, _)| row.get(*key)).find(|c| c.percent) else {
        return Ok(());
    };
    let shown = match cell.value {
        Data::Float(f) => cell_text(&Data::Float(f * 100.0)),
        Data::Int(i) => (i * 100).to_string(),
        _ => cell_text(&cell.value),
    };
    Err(workbook
        .error_at(
            &cell.at,
            format!(
                "the cell is formatted as a percentage (it shows {shown}%), but indicator {reference} has the unit {:?}{}",
                unit.label(),
                if unit_at.is_empty() { String::new() } else { format!(" ({unit_at})") }
            ),
        )
        .with_hint("give the indicator the unit %, or format the cell as a number")
        .into())
}

/// What the percentage indicators of one scorecard said, for its warnings.
#[derive(Debug, Default)]
pub struct Notes {
    mixed: Vec<String>,
    fraction_like: Vec<String>,
}

impl Notes {
    /// Judges the value cells of one percentage indicator: an error naming the cells when they
    /// make sense only one way, else a note for the warnings.
    pub fn judge(&mut self, workbook: &Workbook, row: &TableRow<ColumnKey>, reference: &str) -> Result<()> {
        let readings: Vec<Reading> = VALUE_COLUMNS
            .iter()
            .filter_map(|(key, column)| row.get(*key).map(|cell| (*column, cell)))
            .filter_map(|(column, cell)| {
                let raw = match cell.value {
                    Data::Float(f) => f,
                    Data::Int(i) => i as f64,
                    _ => return None,
                };
                Some(Reading { column, at: cell.at.clone(), raw, formatted: cell.percent })
            })
            .collect();
        match judge(&readings) {
            Err(message) => {
                let at = row.get(ColumnKey::Ref).map(|c| c.at.clone()).unwrap_or_else(|| readings[0].at.clone());
                Err(workbook
                    .error_at(&at, format!("percentage indicator {reference} {message}"))
                    .with_hint("format those cells as percentages too, or type them in percentage points (80 for 80%)")
                    .into())
            }
            Ok(Verdict::Mixed(detail)) => {
                self.mixed.push(format!("{reference} ({detail})"));
                Ok(())
            }
            Ok(Verdict::LooksLikeFractions(detail)) => {
                self.fraction_like.push(format!("{reference} ({detail})"));
                Ok(())
            }
            Ok(Verdict::Consistent) => Ok(()),
        }
    }

    /// One warning for the indicators that mixed formats, one for those that look like
    /// fractions; `location` names the sheet.
    pub fn warnings(&self, location: &str) -> Vec<Diagnostic> {
        let count =
            |n: usize, one: &str, many: &str| format!("{n} percentage indicator{}", if n == 1 { one } else { many });
        let mut out = Vec::new();
        if !self.mixed.is_empty() {
            out.push(
                Diagnostic::new(
                    location,
                    format!(
                        "{} cells formatted as percentages with plain numbers, which are read as percentage points: {}",
                        count(self.mixed.len(), " mixes", "s mix"),
                        crate::ingest::meta::listed(&self.mixed)
                    ),
                )
                .with_hint(
                    "format the plain cells as percentages too, so that the workbook shows what the paper prints",
                ),
            );
        }
        if !self.fraction_like.is_empty() {
            out.push(
                Diagnostic::new(
                    location,
                    format!(
                        "{} only plain numbers between -1 and 1, printed as percentage points (0.785 as 0.8%): {}",
                        count(self.fraction_like.len(), " holds", "s hold"),
                        crate::ingest::meta::listed(&self.fraction_like)
                    ),
                )
                .with_hint(
                    "if they are fractions, format the cells as percentages in the workbook, or set `percent-as-fraction: true`",
                ),
            );
        }
        out
    }
}

/// One number cell of a `%` indicator as read from the workbook.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// The column's name in messages (`Current`).
    pub column: &'static str,
    pub at: CellRef,
    /// The stored value.
    pub raw: f64,
    /// The cell's number format is a percentage.
    pub formatted: bool,
}

impl Reading {
    /// The value in percentage points, as the workbook shows it.
    fn shown(&self) -> f64 {
        if self.formatted { self.raw * 100.0 } else { self.raw }
    }

    fn describe(&self) -> String {
        if self.formatted {
            format!(
                "{} {} shows {}% ({} formatted as a percentage)",
                self.column,
                self.at,
                trim(self.shown()),
                trim(self.raw)
            )
        } else {
            format!("{} {} is a plain {}", self.column, self.at, trim(self.raw))
        }
    }
}

/// What the readings of one indicator say.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// All formatted or all plain with sizes that make sense: nothing to say.
    Consistent,
    /// Formatted and plain cells of similar size: read as shown, but worth a word.
    Mixed(String),
    /// Only plain values, all between −1 and 1: probably fractions without the format.
    LooksLikeFractions(String),
}

/// Formatted cells this many times larger (as shown) than plain ones at most 1 mean the plain
/// ones are fractions too: 78.5% against 0.8 is ≈ 98 ×.
const FRACTION_RATIO: f64 = 20.0;

/// Judges one indicator's readings. `Err` is the message of an error naming the cells.
pub fn judge(readings: &[Reading]) -> Result<Verdict, String> {
    let nonzero = |r: &&Reading| r.raw != 0.0;
    let formatted: Vec<&Reading> = readings.iter().filter(|r| r.formatted).filter(nonzero).collect();
    let plain: Vec<&Reading> = readings.iter().filter(|r| !r.formatted).filter(nonzero).collect();
    let largest = |rs: &[&Reading]| rs.iter().map(|r| r.shown().abs()).fold(0.0, f64::max);
    if !formatted.is_empty() && !plain.is_empty() {
        let (shown, points) = (largest(&formatted), largest(&plain));
        let cells = |rs: &[&Reading]| rs.iter().map(|r| r.describe()).collect::<Vec<_>>().join(", ");
        if points <= 1.0 && shown / points >= FRACTION_RATIO {
            return Err(format!(
                "mixes cells formatted as percentages with plain numbers a hundred times smaller: {}; {}, which would print as {}%",
                cells(&formatted),
                cells(&plain),
                plain.iter().map(|r| trim(r.raw)).collect::<Vec<_>>().join("%, ")
            ));
        }
        return Ok(Verdict::Mixed(format!("{}; {} (percentage points)", cells(&formatted), cells(&plain))));
    }
    if formatted.is_empty() && plain.len() >= 2 && largest(&plain) <= 1.0 {
        return Ok(Verdict::LooksLikeFractions(
            plain.iter().map(|r| format!("{} {}", r.at, trim(r.raw))).collect::<Vec<_>>().join(", "),
        ));
    }
    Ok(Verdict::Consistent)
}

/// A number without trailing zeros: 78.5, 0.785, 80.
fn trim(v: f64) -> String {
    let text = format!("{:.6}", v);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(column: &'static str, col: u32, raw: f64, formatted: bool) -> Reading {
        Reading { column, at: CellRef { sheet: "Scorecard".into(), row: 4, col }, raw, formatted }
    }

    #[test]
    fn all_formatted_or_all_points_is_consistent() {
        let formatted = [reading("Current", 5, 0.785, true), reading("Target", 6, 0.8, true)];
        assert_eq!(judge(&formatted), Ok(Verdict::Consistent));
        let points = [reading("Current", 5, 78.5, false), reading("Target", 6, 80.0, false)];
        assert_eq!(judge(&points), Ok(Verdict::Consistent));
    }

    #[test]
    fn formatted_fraction_beside_plain_points_is_read_as_shown_with_a_word() {
        let mixed = [reading("Current", 5, 0.785, true), reading("Target", 6, 80.0, false)];
        assert_eq!(
            judge(&mixed),
            Ok(Verdict::Mixed(
                "Current Scorecard!F5 shows 78.5% (0.785 formatted as a percentage); Target Scorecard!G5 is a plain 80 (percentage points)"
                    .into()
            ))
        );
    }

    #[test]
    fn formatted_fraction_beside_a_plain_fraction_is_an_error() {
        let mixed =
            [reading("Current", 5, 0.785, true), reading("Target", 6, 0.8, false), reading("Floor", 7, 0.75, false)];
        assert_eq!(
            judge(&mixed),
            Err("mixes cells formatted as percentages with plain numbers a hundred times smaller: Current Scorecard!F5 shows 78.5% (0.785 formatted as a percentage); Target Scorecard!G5 is a plain 0.8, Floor Scorecard!H5 is a plain 0.75, which would print as 0.8%, 0.75%".into())
        );
    }

    #[test]
    fn plain_values_between_minus_one_and_one_look_like_fractions() {
        let small =
            [reading("Current", 5, 0.785, false), reading("Target", 6, 0.8, false), reading("Floor", 7, 0.0, false)];
        assert_eq!(judge(&small), Ok(Verdict::LooksLikeFractions("Scorecard!F5 0.785, Scorecard!G5 0.8".into())));
        // One small value alone says nothing.
        assert_eq!(judge(&[reading("Current", 5, 0.5, false)]), Ok(Verdict::Consistent));
    }
}
