//! Workbook reading: a workbook path in, tables of cells that remember where they came from out.
//!
//! The indicator table is found by sheet name and header text, never by fixed addresses: the header
//! row is the first row (within the first [`HEADER_SEARCH_ROWS`]) whose cells name the required
//! columns, matched ignoring case and surrounding spaces. Every cell keeps its position so later
//! messages can say `scores.xlsx › Scorecard!D14`. Values are handed on as calamine's `Data`,
//! untouched: what a number, a date or an error cell means is the scorecard's business.

use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use anyhow::Result;
use calamine::{Data, Range, Reader, Sheets, open_workbook_auto};

use crate::diagnostic::{Diagnostic, did_you_mean};

/// How far down a sheet the header row is looked for.
pub const HEADER_SEARCH_ROWS: u32 = 50;

/// The most cells a sheet may span (rows × columns of its used range). A sheet formatted down to
/// row 1,048,576 is refused with a clear message rather than read into gigabytes.
pub const MAX_CELLS: u64 = 5_000_000;

/// An open workbook.
pub struct Workbook {
    /// The path as the author wrote it (for messages).
    pub name: String,
    pub path: PathBuf,
    sheets: Sheets<BufReader<File>>,
    cache: BTreeMap<String, Range<Data>>,
}

/// A cell position: sheet, 0-based absolute row and column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellRef {
    pub sheet: String,
    pub row: u32,
    pub col: u32,
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sheet = if self.sheet.contains([' ', '-', '\'']) { format!("'{}'", self.sheet.replace('\'', "''")) } else { self.sheet.clone() };
        write!(f, "{sheet}!{}{}", column_letters(self.col), self.row + 1)
    }
}

/// `0` -> `A`, `25` -> `Z`, `26` -> `AA`.
pub fn column_letters(col: u32) -> String {
    let mut n = col as u64 + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push((b'A' + rem) as char);
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// Parses `B1`, `$B$1` into 0-based (row, col).
pub fn parse_a1(text: &str) -> Option<(u32, u32)> {
    let text = text.replace('$', "");
    let split = text.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = text.split_at(split);
    if letters.is_empty() || !letters.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut col: u64 = 0;
    for c in letters.chars() {
        col = col * 26 + (c.to_ascii_uppercase() as u64 - 'A' as u64 + 1);
        if col > 16_384 {
            return None;
        }
    }
    let row: u32 = digits.parse().ok()?;
    if row == 0 {
        return None;
    }
    Some((row - 1, (col - 1) as u32))
}

/// A cell's value with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub value: Data,
    pub at: CellRef,
}

/// One column the caller wants, with the header texts that name it.
#[derive(Debug, Clone)]
pub struct ColumnSpec {
    /// The caller's key (`ref`, `current` …).
    pub key: String,
    /// Header texts that name this column, compared ignoring case and surrounding spaces.
    pub names: Vec<String>,
    /// The table cannot be read without it.
    pub required: bool,
}

/// A column found in the header row.
#[derive(Debug, Clone)]
pub struct FoundColumn {
    pub key: String,
    pub col: u32,
    /// The header text as written.
    pub header: String,
}

/// A table read from a sheet.
#[derive(Debug, Clone)]
pub struct Table {
    pub sheet: String,
    /// 0-based absolute row of the header.
    pub header_row: u32,
    pub columns: Vec<FoundColumn>,
    pub rows: Vec<TableRow>,
}

/// One data row: the wanted columns' cells (absent when the cell is empty), and the section
/// heading it sits under when the sheet marks sections with heading rows.
#[derive(Debug, Clone)]
pub struct TableRow {
    /// 0-based absolute row.
    pub row: u32,
    pub cells: BTreeMap<String, Cell>,
    pub section_heading: Option<String>,
}

impl TableRow {
    /// The cell of a column, if the column exists and the cell is not empty.
    pub fn get(&self, key: &str) -> Option<&Cell> {
        self.cells.get(key)
    }
}

/// Text of a cell as a person would read it (for headers and labels).
pub fn cell_text(value: &Data) -> String {
    match value {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                format!("{f}")
            }
        }
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(d) => d.format("%Y-%m-%d").to_string(),
            None => dt.as_f64().to_string(),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("{e}"),
    }
}

fn normalise_header(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

impl Workbook {
    /// Opens a workbook (.xlsx, .xlsm, .xlsb, .xls, .ods). `name` is the path as written.
    pub fn open(path: &Path, name: &str) -> Result<Workbook> {
        if !path.is_file() {
            return Err(Diagnostic::new(name, format!("workbook not found (looked for {})", path.display())).into());
        }
        let sheets = open_workbook_auto(path).map_err(|e| {
            let detail = e.to_string();
            let hint = if detail.to_lowercase().contains("password") || detail.to_lowercase().contains("encrypt") {
                "the workbook is password-protected: save an unprotected copy for the paper"
            } else {
                "save it from the spreadsheet program as .xlsx, .xlsm, .xls or .ods"
            };
            Diagnostic::new(name, format!("failed to read workbook ({detail})")).with_hint(hint)
        })?;
        Ok(Workbook { name: name.to_string(), path: path.to_path_buf(), sheets, cache: BTreeMap::new() })
    }

    /// The sheet names in workbook order.
    pub fn sheet_names(&self) -> Vec<String> {
        self.sheets.sheet_names()
    }

    /// Defined names: (name, formula such as `Info!$B$1`).
    pub fn defined_names(&self) -> Vec<(String, String)> {
        self.sheets.defined_names().to_vec()
    }

    fn location(&self, at: &CellRef) -> String {
        format!("{} › {at}", self.name)
    }

    /// A sheet's used range (cached). Unknown sheets are an error listing the sheets there are.
    pub fn range(&mut self, sheet: &str) -> Result<&Range<Data>> {
        if !self.cache.contains_key(sheet) {
            let names = self.sheet_names();
            if !names.iter().any(|n| n == sheet) {
                let mut d = Diagnostic::new(
                    self.name.clone(),
                    format!("sheet {sheet:?} not found; the workbook has {}", names.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", ")),
                );
                if let Some(best) = did_you_mean(sheet, names.iter().map(String::as_str)) {
                    d = d.with_hint(format!("did you mean {best:?}?"));
                }
                return Err(d.into());
            }
            let range = self
                .sheets
                .worksheet_range(sheet)
                .map_err(|e| Diagnostic::new(self.name.clone(), format!("failed to read sheet {sheet:?} ({e})")))?;
            let (height, width) = range.get_size();
            if height as u64 * width as u64 > MAX_CELLS {
                return Err(Diagnostic::new(
                    self.name.clone(),
                    format!("sheet {sheet:?} spans {height} rows × {width} columns, more than the {MAX_CELLS} cells a scorecard sheet may have"),
                )
                .with_hint("delete the unused rows and columns below and right of the table, or copy the table to a new sheet")
                .into());
            }
            self.cache.insert(sheet.to_string(), range);
        }
        Ok(&self.cache[sheet])
    }

    /// The value of one cell (absolute 0-based position); `Empty` outside the used range.
    pub fn value_at(&mut self, at: &CellRef) -> Result<Data> {
        let range = self.range(&at.sheet)?;
        Ok(range.get_value((at.row, at.col)).cloned().unwrap_or(Data::Empty))
    }

    /// Resolves a reference to a single cell: a defined name (`ReportingPeriod`) or `Sheet!B1`.
    pub fn resolve_cell(&mut self, reference: &str) -> Result<Option<CellRef>> {
        let target = match self.defined_names().iter().find(|(n, _)| n.eq_ignore_ascii_case(reference)) {
            Some((_, formula)) => formula.clone(),
            None => reference.to_string(),
        };
        Ok(parse_sheet_ref(&target))
    }

    /// Reads the table on `sheet` whose header row names the `wanted` columns. `header_row` is
    /// 1-based when given; otherwise the header row is searched for.
    pub fn table(&mut self, sheet: &str, header_row: Option<u32>, wanted: &[ColumnSpec]) -> Result<Table> {
        let name = self.name.clone();
        let range = self.range(sheet)?;
        let Some((start_row, start_col)) = range.start() else {
            return Err(Diagnostic::new(name, format!("sheet {sheet:?} is empty")).into());
        };
        let (end_row, end_col) = range.end().unwrap_or((start_row, start_col));
        let header_text = |row: u32, col: u32| range.get_value((row, col)).map(cell_text).unwrap_or_default();

        let match_row = |row: u32| -> Vec<FoundColumn> {
            let mut found: Vec<FoundColumn> = Vec::new();
            for col in start_col..=end_col {
                let text = header_text(row, col);
                let norm = normalise_header(&text);
                if norm.is_empty() {
                    continue;
                }
                for spec in wanted {
                    if found.iter().any(|f| f.key == spec.key) {
                        continue;
                    }
                    if spec.names.iter().any(|n| normalise_header(n) == norm) {
                        found.push(FoundColumn { key: spec.key.clone(), col, header: text.clone() });
                        break;
                    }
                }
            }
            found
        };
        let required: Vec<&ColumnSpec> = wanted.iter().filter(|s| s.required).collect();
        let header = match header_row {
            Some(r) => {
                let row = r - 1;
                let found = match_row(row);
                if let Some(missing) = required.iter().find(|s| !found.iter().any(|f| f.key == s.key)) {
                    let seen: Vec<String> = (start_col..=end_col).map(|c| header_text(row, c)).filter(|t| !t.is_empty()).collect();
                    return Err(Diagnostic::new(
                        format!("{name} › {sheet}!{}", r),
                        format!("required column {:?} not found in header row {r}; the row holds {}", missing.names[0], quote_list(&seen)),
                    )
                    .with_hint(format!("name the column {:?}, or map it with `headers: {{ {}: \"…\" }}` in the paper file", missing.names[0], missing.key))
                    .into());
                }
                Some((row, found))
            }
            None => (start_row..=end_row.min(start_row + HEADER_SEARCH_ROWS - 1))
                .map(|row| (row, match_row(row)))
                .find(|(_, found)| required.iter().all(|s| found.iter().any(|f| f.key == s.key))),
        };
        let Some((header_row, columns)) = header else {
            let seen: Vec<String> = (start_row..=end_row.min(start_row + 9))
                .filter_map(|row| {
                    let cells: Vec<String> = (start_col..=end_col).map(|c| header_text(row, c)).filter(|t| !t.is_empty()).collect();
                    (!cells.is_empty()).then(|| format!("row {}: {}", row + 1, cells.join(" | ")))
                })
                .collect();
            return Err(Diagnostic::new(
                format!("{name} › {sheet}"),
                format!(
                    "no header row naming {} found in the first {HEADER_SEARCH_ROWS} rows; saw:\n      {}",
                    required.iter().map(|s| format!("{:?}", s.names[0])).collect::<Vec<_>>().join(" and "),
                    if seen.is_empty() { "nothing".to_string() } else { seen.join("\n      ") }
                ),
            )
            .with_hint("name the header cells as above, set `header-row:`, or map names with `headers:` in the paper file")
            .into());
        };

        let mut rows = Vec::new();
        let mut section_heading = None;
        for row in header_row + 1..=end_row {
            let mut cells = BTreeMap::new();
            for column in &columns {
                let value = range.get_value((row, column.col)).cloned().unwrap_or(Data::Empty);
                let blank = matches!(&value, Data::Empty) || matches!(&value, Data::String(s) if s.trim().is_empty());
                if !blank {
                    cells.insert(column.key.clone(), Cell { value, at: CellRef { sheet: sheet.to_string(), row, col: column.col } });
                }
            }
            let non_empty_in_row: Vec<String> =
                (start_col..=end_col).map(|c| header_text(row, c)).filter(|t| !t.is_empty()).collect();
            if non_empty_in_row.is_empty() {
                continue;
            }
            // A row holding a single text and no Ref is a section heading row, as many
            // workbooks mark sections that way instead of with a Section column.
            if !cells.contains_key("ref") && non_empty_in_row.len() == 1 {
                section_heading = Some(non_empty_in_row[0].clone());
                continue;
            }
            rows.push(TableRow { row, cells, section_heading: section_heading.clone() });
        }
        Ok(Table { sheet: sheet.to_string(), header_row, columns, rows })
    }

    /// A located message for a cell.
    pub fn error_at(&self, at: &CellRef, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.location(at), message)
    }
}

fn quote_list(items: &[String]) -> String {
    if items.is_empty() { "nothing".to_string() } else { items.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ") }
}

/// Parses `Sheet!$B$1`, `'My Sheet'!B1`, `$Sheet.$B$1` (ODS) into a cell reference.
pub fn parse_sheet_ref(text: &str) -> Option<CellRef> {
    let text = text.trim().trim_start_matches('=');
    let (sheet, cell) = match text.rsplit_once('!') {
        Some(parts) => parts,
        None => {
            let t = text.trim_start_matches('$');
            t.rsplit_once('.')?
        }
    };
    let sheet = sheet.trim_start_matches('$');
    let sheet = sheet.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')).map(|s| s.replace("''", "'")).unwrap_or_else(|| sheet.to_string());
    // A range such as B1:B1 names its first cell.
    let cell = cell.split(':').next()?;
    let (row, col) = parse_a1(cell)?;
    Some(CellRef { sheet, row, col })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_round_trip() {
        for (text, row, col) in [("A1", 0, 0), ("D14", 13, 3), ("$Z$2", 1, 25), ("AA10", 9, 26), ("XFD1", 0, 16383)] {
            assert_eq!(parse_a1(text), Some((row, col)), "{text}");
            assert_eq!(format!("{}{}", column_letters(col), row + 1), text.replace('$', ""));
        }
        assert_eq!(parse_a1("A0"), None);
        assert_eq!(parse_a1("1A"), None);
        assert_eq!(parse_a1("ZZZZ1"), None);
    }

    #[test]
    fn sheet_refs_in_excel_and_ods_forms() {
        let want = CellRef { sheet: "Info".into(), row: 0, col: 1 };
        assert_eq!(parse_sheet_ref("Info!$B$1"), Some(want.clone()));
        assert_eq!(parse_sheet_ref("$Info.$B$1"), Some(want.clone()));
        assert_eq!(parse_sheet_ref("Info!$B$1:$B$1"), Some(want));
        assert_eq!(parse_sheet_ref("'My Sheet'!C3").map(|c| c.sheet), Some("My Sheet".to_string()));
        assert_eq!(parse_sheet_ref("nonsense"), None);
    }

    #[test]
    fn cell_ref_display_quotes_sheet_names_with_spaces() {
        assert_eq!(CellRef { sheet: "Scorecard".into(), row: 13, col: 3 }.to_string(), "Scorecard!D14");
        assert_eq!(CellRef { sheet: "My Sheet".into(), row: 0, col: 0 }.to_string(), "'My Sheet'!A1");
    }
}

/// What `committee-paper inspect` reports about a workbook: its sheets, where a scorecard
/// header row seems to be, which columns it names, and the defined names.
#[derive(Debug, Clone)]
pub struct WorkbookSummary {
    pub name: String,
    pub sheets: Vec<SheetSummary>,
    /// (name, target, value as text)
    pub defined_names: Vec<(String, String, String)>,
}

/// One sheet of a [`WorkbookSummary`].
#[derive(Debug, Clone)]
pub struct SheetSummary {
    pub name: String,
    /// Rows × columns of the used range; `None` for an empty sheet.
    pub size: Option<(u32, u32)>,
    /// The 1-based row that names the most known columns, and those columns.
    pub header: Option<(u32, Vec<FoundColumn>)>,
    /// Why the sheet could not be read, if it could not.
    pub problem: Option<String>,
}

impl Workbook {
    /// Summarises the workbook for `inspect`, matching header cells against `known` columns.
    pub fn summary(&mut self, known: &[ColumnSpec]) -> WorkbookSummary {
        let mut sheets = Vec::new();
        for name in self.sheet_names() {
            let range = match self.range(&name) {
                Ok(r) => r,
                Err(e) => {
                    sheets.push(SheetSummary { name, size: None, header: None, problem: Some(e.to_string()) });
                    continue;
                }
            };
            let (Some((start_row, start_col)), Some((end_row, end_col))) = (range.start(), range.end()) else {
                sheets.push(SheetSummary { name, size: None, header: None, problem: None });
                continue;
            };
            let mut best: Option<(u32, Vec<FoundColumn>)> = None;
            for row in start_row..=end_row.min(start_row + HEADER_SEARCH_ROWS - 1) {
                let mut found = Vec::new();
                for col in start_col..=end_col {
                    let text = range.get_value((row, col)).map(cell_text).unwrap_or_default();
                    let norm = normalise_header(&text);
                    if let Some(spec) = known.iter().find(|s| s.names.iter().any(|n| normalise_header(n) == norm)) {
                        if !found.iter().any(|f: &FoundColumn| f.key == spec.key) {
                            found.push(FoundColumn { key: spec.key.clone(), col, header: text });
                        }
                    }
                }
                if found.len() >= 2 && best.as_ref().is_none_or(|(_, b)| found.len() > b.len()) {
                    best = Some((row + 1, found));
                }
            }
            sheets.push(SheetSummary { name, size: Some((end_row - start_row + 1, end_col - start_col + 1)), header: best, problem: None });
        }
        let mut defined_names = Vec::new();
        for (name, target) in self.defined_names() {
            let value = match self.resolve_cell(&name) {
                Ok(Some(at)) => self.value_at(&at).map(|v| cell_text(&v)).unwrap_or_default(),
                _ => String::new(),
            };
            defined_names.push((name, target, value));
        }
        WorkbookSummary { name: self.name.clone(), sheets, defined_names }
    }
}

impl fmt::Display for WorkbookSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.name)?;
        for sheet in &self.sheets {
            match sheet.size {
                Some((rows, cols)) => writeln!(f, "\nsheet {:?}: {rows} rows × {cols} columns", sheet.name)?,
                None => writeln!(f, "\nsheet {:?}: empty", sheet.name)?,
            }
            if let Some(problem) = &sheet.problem {
                writeln!(f, "  cannot be read: {problem}")?;
            }
            match &sheet.header {
                Some((row, columns)) => {
                    writeln!(f, "  header row {row}:")?;
                    for c in columns {
                        writeln!(f, "    {:<11} {}{row}  {:?}", c.key, column_letters(c.col), c.header)?;
                    }
                }
                None if sheet.size.is_some() => writeln!(f, "  no header row with known column names")?,
                None => {}
            }
        }
        if !self.defined_names.is_empty() {
            writeln!(f, "\ndefined names:")?;
            for (name, target, value) in &self.defined_names {
                writeln!(f, "  {name} = {target}  {value:?}")?;
            }
        }
        Ok(())
    }
}
