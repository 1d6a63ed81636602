//! What a sheet shows beyond its saved values: percentage formats, hidden rows and columns, and
//! formulas whose result was not saved (computed with IronCalc, or marked so that using them is
//! an error). One [`SheetMeta`] per sheet read, kept with the sheet's values in the workbook.
//!
//! | format | percentages | hidden rows / columns | formulas without a saved result |
//! |---|---|---|---|
//! | .xlsx, .xlsm | the cell's number format (calamine's style palette) | `<row hidden>`, `<col hidden>` | computed with IronCalc |
//! | .ods | `office:value-type="percentage"` | `table:visibility` | an error naming the cell |
//! | .xls | the cell's XF and FORMAT records | ROW `fDyZero`, COLINFO `fHidden` | (always saved) |
//! | .xlsb | not read | not read | not read |

use std::collections::{BTreeMap, BTreeSet};

use calamine::{Data, Range};

use super::formulas::{Computed, Engine};
use super::xlsx_meta::{BookMeta, FormulaCell};
use crate::diagnostic::Diagnostic;

/// Something about each of some cells of a sheet, by (row, column), 0-based.
pub type CellMap<T> = BTreeMap<(u32, u32), T>;

/// Row or column numbers, kept as ranges so that "hide every column to the right" stays small.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hidden(BTreeSet<(u32, u32)>);

impl Hidden {
    /// Marks one row or column.
    pub fn insert(&mut self, n: u32) {
        self.0.insert((n, n));
    }

    /// Marks `first..=last`.
    pub fn insert_range(&mut self, first: u32, last: u32) {
        self.0.insert((first, last.max(first)));
    }

    /// Whether `n` is hidden.
    pub fn contains(&self, n: u32) -> bool {
        self.0.range(..=(n, u32::MAX)).any(|&(first, last)| first <= n && n <= last)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A formula whose result is not known: never read as a blank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormulaProblem {
    /// The formula as written (`=40+20`), when it could be read.
    pub formula: Option<String>,
    /// Why there is no result.
    pub reason: String,
}

/// A sheet's formats, hidden rows and columns, formulas without results, and the warnings about
/// what was done to its values.
#[derive(Debug, Clone, Default)]
pub struct SheetMeta {
    /// Cells (absolute row, column) whose number format shows the value × 100 with `%`.
    pub percent: BTreeSet<(u32, u32)>,
    pub hidden_rows: Hidden,
    pub hidden_cols: Hidden,
    /// Formula cells without a usable result.
    pub formula_problems: CellMap<FormulaProblem>,
    /// What the reader did that an author should know (formulas computed).
    pub warnings: Vec<Diagnostic>,
}

/// How many cells a warning lists before "and N more".
const LISTED: usize = 5;

/// The workbook-wide state the xlsx reading needs: the parsed `workbook.xml` and the evaluated
/// IronCalc model, each loaded at most once per workbook, on first need.
#[derive(Default)]
pub struct XlsxState {
    pub book: Option<Result<BookMeta, String>>,
    pub engine: Option<Result<Engine, String>>,
}

/// Reads the metadata of an .xlsx sheet and puts computed results in `range`. `location` names
/// the sheet in messages (`book.xlsx › Scorecard`).
pub fn xlsx(
    path: &std::path::Path,
    sheet: &str,
    location: &str,
    state: &mut XlsxState,
    range: &mut Range<Data>,
    percent: BTreeSet<(u32, u32)>,
) -> Result<SheetMeta, String> {
    let book = state.book.get_or_insert_with(|| super::xlsx_meta::read_book(path)).as_ref().map_err(Clone::clone)?;
    let full_calc = book.full_calc_on_load;
    let Some(part) = book.parts.get(sheet).cloned() else {
        // A chart sheet or a sheet calamine found otherwise: nothing more to read.
        return Ok(SheetMeta { percent, ..SheetMeta::default() });
    };
    let (mut meta, formulas) = super::xlsx_meta::read_sheet(path, &part)?;
    meta.percent = percent;
    // Formulas whose saved result cannot be trusted: none saved, or every result a placeholder
    // because the writer asks for recalculation on load.
    let pending: Vec<(u32, u32)> =
        formulas.iter().filter(|(_, f)| !f.saved || full_calc).map(|(pos, _)| *pos).collect();
    if pending.is_empty() {
        return Ok(meta);
    }
    let engine = state.engine.get_or_insert_with(|| Engine::load(path));
    let NewValues { computed, changes } =
        compute(engine, sheet, &formulas, &pending, range, &mut meta.formula_problems);
    if !changes.is_empty() {
        put_computed(range, changes);
        let all_saved = pending.iter().all(|pos| formulas[pos].saved);
        meta.warnings.push(computed_warning(location, &computed, all_saved));
    }
    Ok(meta)
}

/// The formula cells IronCalc gave a new value.
struct NewValues {
    /// Each as the warning lists it: `B4 =40+20 → 60`.
    computed: Vec<String>,
    /// Their positions and values.
    changes: Vec<((u32, u32), Data)>,
}

/// Computes the `pending` formula cells with IronCalc; a formula it cannot compute goes in
/// `problems`.
fn compute(
    engine: &Result<Engine, String>,
    sheet: &str,
    formulas: &CellMap<FormulaCell>,
    pending: &[(u32, u32)],
    range: &Range<Data>,
    problems: &mut CellMap<FormulaProblem>,
) -> NewValues {
    let mut computed = Vec::new();
    let mut changes = Vec::new();
    for &(row, col) in pending {
        let saved = formulas[&(row, col)].saved;
        let result = match engine {
            Ok(engine) => engine.value(sheet, row, col),
            Err(e) => Computed::Failed(format!("IronCalc could not read the workbook ({e})")),
        };
        let formula = formulas[&(row, col)]
            .text
            .clone()
            .or_else(|| engine.as_ref().ok().and_then(|e| e.formula(sheet, row, col)));
        match result {
            Computed::Value(value) => {
                let before = range.get_value((row, col)).cloned().unwrap_or(Data::Empty);
                if !saved || before != value {
                    let name = format!("{}{}", super::column_letters(col), row + 1);
                    let shown = format!("{} → {}", formula.clone().unwrap_or_default(), super::cell_text(&value));
                    computed.push(format!("{name} {}", shown.trim()));
                    changes.push(((row, col), value));
                }
            }
            Computed::Failed(reason) => {
                problems.insert((row, col), FormulaProblem { formula, reason });
            }
        }
    }
    NewValues { computed, changes }
}

/// Puts the computed values in `range` in place of the saved ones.
fn put_computed(range: &mut Range<Data>, changes: Vec<((u32, u32), Data)>) {
    // Rebuild the range with the computed values (a computed cell may lie outside the range
    // of the saved values, which holds only non-empty cells).
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut cells: Vec<calamine::Cell<Data>> = range
        .used_cells()
        .map(|(r, c, v)| ((r0 + r as u32, c0 + c as u32), v))
        .filter(|(pos, _)| !changes.iter().any(|(changed, _)| changed == pos))
        .map(|(pos, v)| calamine::Cell::new(pos, v.clone()))
        .collect();
    cells.extend(changes.into_iter().map(|(pos, value)| calamine::Cell::new(pos, value)));
    *range = Range::from_sparse(cells);
}

/// The warning listing the formulas computed with IronCalc; `all_saved`: every one had a saved
/// result, which the writer asked to be recalculated.
fn computed_warning(location: &str, computed: &[String], all_saved: bool) -> Diagnostic {
    let count = computed.len();
    let why = if all_saved {
        "the program that saved the workbook left their results for the spreadsheet to recalculate"
    } else {
        "the workbook was saved without their results"
    };
    Diagnostic::new(
        location,
        format!(
            "{count} formula{} computed with IronCalc, as {why}: {}",
            if count == 1 { "" } else { "s" },
            listed(computed)
        ),
    )
    .with_hint("to print the results Excel saves, open the workbook in Excel or LibreOffice and save it")
}

/// Marks the formulas an .ods sheet saved without a value: IronCalc reads .xlsx only.
pub fn ods_unsaved(meta: &mut SheetMeta, unsaved: CellMap<String>) {
    for (pos, formula) in unsaved {
        let formula = formula.strip_prefix("of:").unwrap_or(&formula).to_string();
        meta.formula_problems.insert(
            pos,
            FormulaProblem {
                formula: Some(formula),
                reason: "formulas in .ods files are not computed here (only .xlsx ones are)".to_string(),
            },
        );
    }
}

/// `a, b, c, d, e and 3 more`.
pub fn listed(items: &[String]) -> String {
    let shown: Vec<&str> = items.iter().take(LISTED).map(String::as_str).collect();
    match items.len().saturating_sub(LISTED) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_ranges() {
        let mut h = Hidden::default();
        h.insert(3);
        h.insert_range(10, 16383);
        assert!(h.contains(3) && h.contains(10) && h.contains(500));
        assert!(!h.contains(2) && !h.contains(4) && !h.contains(9));
    }

    #[test]
    fn long_lists_are_cut() {
        let items: Vec<String> = (1..=7).map(|i| format!("A{i}")).collect();
        assert_eq!(listed(&items[..2]), "A1, A2");
        assert_eq!(listed(&items), "A1, A2, A3, A4, A5 and 2 more");
    }
}
