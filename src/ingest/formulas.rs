//! Formulas saved without a result, computed with IronCalc.
//!
//! Workbooks written by scripts (openpyxl, pandas, xlsxwriter) hold formulas without the result
//! Excel would show: openpyxl saves none, xlsxwriter saves 0 for every formula and marks the
//! workbook "recalculate on load". calamine reads only the saved result, so such a cell reads as
//! blank or as 0 — and a paper would say "data not available", or print 0, where Excel shows 60.
//!
//! IronCalc (the `ironcalc` crate: an Excel-compatible engine in Rust, about 500 functions)
//! computed every formula we tried — arithmetic, SUM/AVERAGE/ROUND, IFERROR, VLOOKUP/XLOOKUP,
//! other sheets, defined names, shared formulas — in about 2 ms a workbook, so it runs by
//! default, with a warning that says which cells it computed. A formula it cannot compute (a
//! function it does not know gives `#NAME?`, one it has not implemented `#N/IMPL`) is never
//! left blank: the cell reads as [`Computed::Failed`] and using it is an error naming the cell.
//! IronCalc reads .xlsx only; in .ods and .xls files a formula without a saved value is that
//! error too.

use std::path::Path;

use calamine::{CellErrorType, Data};
use ironcalc::base::Model;
use ironcalc::base::expressions::token::Error as CalcError;
use ironcalc::base::types::{Cell as CalcCell, FormulaValue, SpillValue};

/// A workbook loaded into IronCalc and evaluated.
pub struct Engine {
    model: Model<'static>,
    sheets: Vec<String>,
}

/// What IronCalc made of one cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Computed {
    /// The value Excel would show (an Excel error such as `#DIV/0!` included).
    Value(Data),
    /// It could not compute the formula: why, in IronCalc's words.
    Failed(String),
}

impl Engine {
    /// Loads and evaluates the .xlsx at `path`. IronCalc's importer prints notes about features
    /// it skips to standard output, which belongs to our own output (`check --json`): it is
    /// silenced while the workbook loads.
    pub fn load(path: &Path) -> Result<Engine, String> {
        let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
        let loaded = quiet_stdout(|| {
            std::panic::catch_unwind(|| {
                let workbook = ironcalc::import::load_from_xlsx_bytes(&bytes, "workbook", "en", "UTC")
                    .map_err(|e| e.to_string())?;
                let mut model = Model::from_workbook(workbook, "en")?;
                model.evaluate();
                Ok::<_, String>(model)
            })
        });
        let model = match loaded {
            Ok(result) => result?,
            Err(_) => return Err("IronCalc stopped with an internal error".to_string()),
        };
        let sheets = model.workbook.get_worksheet_names();
        Ok(Engine { model, sheets })
    }

    /// The computed value of a cell (0-based row and column, as calamine counts).
    pub fn value(&self, sheet: &str, row: u32, col: u32) -> Computed {
        let Some(index) = self.sheets.iter().position(|s| s == sheet) else {
            return Computed::Failed(format!("IronCalc did not find the sheet {sheet:?}"));
        };
        let cell = self
            .model
            .workbook
            .worksheet(index as u32)
            .ok()
            .and_then(|ws| ws.cell(row as i32 + 1, col as i32 + 1).map(|c| c.into_owned()));
        let value = match cell {
            Some(CalcCell::CellFormula { v, .. } | CalcCell::ArrayFormula { v, .. }) => v,
            Some(CalcCell::SpillCell { v, .. }) => match v {
                SpillValue::Boolean(b) => FormulaValue::Boolean(b),
                SpillValue::Number(n) => FormulaValue::Number(n),
                SpillValue::Text(t) => FormulaValue::Text(t),
                SpillValue::Error(e) => FormulaValue::new_error(e, String::new(), String::new()),
            },
            _ => return Computed::Failed("IronCalc found no formula in the cell".to_string()),
        };
        match value {
            FormulaValue::Number(n) => Computed::Value(Data::Float(n)),
            FormulaValue::Text(t) => Computed::Value(Data::String(t)),
            FormulaValue::Boolean(b) => Computed::Value(Data::Bool(b)),
            FormulaValue::Unevaluated => Computed::Failed("IronCalc left it unevaluated".to_string()),
            FormulaValue::Error { ei, d } => {
                let excel = match ei {
                    CalcError::DIV => Some(CellErrorType::Div0),
                    CalcError::NA => Some(CellErrorType::NA),
                    CalcError::NUM => Some(CellErrorType::Num),
                    CalcError::REF => Some(CellErrorType::Ref),
                    CalcError::VALUE | CalcError::SPILL | CalcError::CALC => Some(CellErrorType::Value),
                    CalcError::NULL => Some(CellErrorType::Null),
                    // Unknown or unimplemented functions, circular references and formulas it
                    // cannot parse: Excel may well compute these.
                    CalcError::NAME | CalcError::NIMPL | CalcError::ERROR | CalcError::CIRC => None,
                };
                match excel {
                    Some(e) => Computed::Value(Data::Error(e)),
                    None => {
                        let detail = if d.m.is_empty() { String::new() } else { format!(": {}", d.m) };
                        Computed::Failed(format!("IronCalc gives {ei}{detail}"))
                    }
                }
            }
        }
    }

    /// The formula of a cell as IronCalc reads it (`=40+20`), for messages.
    pub fn formula(&self, sheet: &str, row: u32, col: u32) -> Option<String> {
        let index = self.sheets.iter().position(|s| s == sheet)?;
        self.model.get_cell_formula(index as u32, row as i32 + 1, col as i32 + 1).ok().flatten()
    }
}

/// Runs `f` with the process's standard output sent to the null device (Unix), so a library's
/// `println!` cannot mix into our output. Only IronCalc's import runs under it, and the command
/// line prints to stdout from the main thread after a paper is built, so nothing of ours is lost;
/// a lock keeps two workbooks loading at once from restoring each other's descriptor.
#[cfg(unix)]
fn quiet_stdout<T>(f: impl FnOnce() -> T) -> T {
    use std::io::Write;
    use std::os::fd::AsRawFd;
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = LOCK.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let _ = std::io::stdout().flush();
    let Ok(null) = std::fs::OpenOptions::new().write(true).open("/dev/null") else {
        return f();
    };
    // SAFETY: dup and dup2 on the process's own descriptor 1 and a file we hold open; the saved
    // descriptor is restored and closed before returning.
    let saved = unsafe { libc::dup(1) };
    if saved < 0 {
        return f();
    }
    unsafe { libc::dup2(null.as_raw_fd(), 1) };
    let result = f();
    let _ = std::io::stdout().flush();
    unsafe {
        libc::dup2(saved, 1);
        libc::close(saved);
    }
    result
}

#[cfg(not(unix))]
fn quiet_stdout<T>(f: impl FnOnce() -> T) -> T {
    f()
}
