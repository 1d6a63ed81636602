//! Workbook reading: a workbook path in, tables of cells that remember where they came from out.
//!
//! The indicator table is found by sheet name and header text, never by fixed addresses: the header
//! row is the first row (within the first [`HEADER_SEARCH_ROWS`]) whose cells name the required
//! columns, matched ignoring case and surrounding spaces. Every cell keeps its position so later
//! messages can say `scores.xlsx › Scorecard!D14`. Values are handed on as calamine's `Data`,
//! untouched: what a number, a date or an error cell means is the scorecard's business, and so
//! are the columns themselves: the caller names them with keys of its own type, so this module
//! knows no scorecard column. [`WorkbookCache`] lets the papers of a run share an open workbook.

pub mod formulas;
pub mod meta;
pub mod ods_meta;
pub mod xls_meta;
pub mod xlsx_meta;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use anyhow::Result;
use calamine::{Data, Range, Reader, Sheets, open_workbook_auto};

use crate::diagnostic::{Diagnostic, did_you_mean};
pub use meta::{FormulaProblem, Hidden, SheetMeta};

mod cache;
pub mod pdf;
pub use cache::WorkbookCache;

/// How far down a sheet the header row is looked for.
pub const HEADER_SEARCH_ROWS: u32 = 50;

/// The most cells a sheet may span (rows × columns of the box from its first to its last
/// non-empty cell). calamine holds a sheet as a dense grid of about 32 bytes a cell, so this caps
/// a sheet at about 64 MB; a scorecard needs a few thousand cells. Empty cells that are only
/// formatted (a sheet "formatted down to row 1,048,576") do not count: for .xlsx and .xlsb the
/// cells are streamed and the extent checked before the grid is built, so a stray value in
/// XFD1048576 is refused without allocating anything. (.xls and .ods are decoded whole by
/// calamine when opened; .xls cannot exceed 65,536 × 256 cells and calamine caps .ods itself.)
pub const MAX_CELLS: u64 = 2_000_000;

/// An open workbook.
pub struct Workbook {
    /// The path as the author wrote it (for messages).
    pub name: String,
    pub path: PathBuf,
    sheets: Sheets<BufReader<File>>,
    cache: BTreeMap<String, Range<Data>>,
    /// Per sheet read: formats, hidden rows and columns, formulas without results, warnings.
    meta: BTreeMap<String, SheetMeta>,
    xlsx: meta::XlsxState,
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
        let sheet = if self.sheet.contains([' ', '-', '\'']) {
            format!("'{}'", self.sheet.replace('\'', "''"))
        } else {
            self.sheet.clone()
        };
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
    /// The cell's number format shows the value × 100 with `%` (Excel stores 78.5% as 0.785).
    pub percent: bool,
    /// The cell holds a formula whose result is not known (not saved, and not computed): its
    /// value reads `Empty`, and using it is an error ([`Workbook::formula_error`]).
    pub formula_problem: Option<FormulaProblem>,
}

/// One column the caller wants, with the header texts that name it. `K` is the caller's name
/// for the column (the scorecard's `ColumnKey`); ingest only compares and prints it.
#[derive(Debug, Clone)]
pub struct ColumnSpec<K> {
    pub key: K,
    /// Header texts that name this column, compared ignoring case and runs of spaces.
    pub names: Vec<String>,
    /// The table cannot be read without it.
    pub required: bool,
}

impl<K: fmt::Display> ColumnSpec<K> {
    /// The name used in messages: the first header text, or the key when there is none.
    pub fn label(&self) -> String {
        self.names.first().cloned().unwrap_or_else(|| self.key.to_string())
    }
}

/// A column found in the header row.
#[derive(Debug, Clone)]
pub struct FoundColumn<K> {
    pub key: K,
    pub col: u32,
    /// The header text as written.
    pub header: String,
}

/// A table read from a sheet.
#[derive(Debug, Clone)]
pub struct Table<K> {
    pub sheet: String,
    /// 0-based absolute row of the header.
    pub header_row: u32,
    pub columns: Vec<FoundColumn<K>>,
    pub rows: Vec<TableRow<K>>,
    /// Hidden columns whose header names a wanted column, left out of the header search.
    pub hidden_columns: Vec<FoundColumn<K>>,
}

/// One data row: the wanted columns' cells (absent when the cell is empty), and the section
/// heading it sits under when the sheet marks sections with heading rows.
#[derive(Debug, Clone)]
pub struct TableRow<K> {
    /// 0-based absolute row.
    pub row: u32,
    pub cells: BTreeMap<K, Cell>,
    pub section_heading: Option<String>,
    /// The row is hidden in the workbook.
    pub hidden: bool,
}

impl<K: Ord> TableRow<K> {
    /// The cell of a column, if the column exists and the cell is not empty.
    pub fn get(&self, key: K) -> Option<&Cell> {
        self.cells.get(&key)
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
    ///
    /// Files that cannot be workbooks are told apart before calamine sees them, so the message
    /// says what is wrong: missing, empty, password-protected (an encrypted OOXML file is an OLE
    /// container, not a zip), or truncated (a zip without its central directory).
    pub fn open(path: &Path, name: &str) -> Result<Workbook> {
        let resave = "save it again from the spreadsheet program as .xlsx, .xlsm, .xls or .ods";
        let metadata = std::fs::metadata(path)
            .map_err(|_| Diagnostic::new(name, format!("workbook not found (looked for {})", path.display())))?;
        if !metadata.is_file() {
            return Err(Diagnostic::new(
                name,
                format!("expected a workbook file, found a folder ({})", path.display()),
            )
            .into());
        }
        if metadata.len() == 0 {
            return Err(Diagnostic::new(name, "the workbook file is empty (0 bytes)").with_hint(resave).into());
        }
        let kind = sniff(path).map_err(|e| Diagnostic::new(name, format!("cannot read the workbook ({e})")))?;
        if kind == FileKind::Encrypted {
            return Err(Diagnostic::new(name, "the workbook is password-protected (encrypted), so it cannot be read")
                .with_hint("save an unprotected copy for the paper (File › Info › Protect Workbook › Encrypt with Password: clear it)")
                .into());
        }
        let sheets = open_workbook_auto(path).map_err(|e| {
            let detail = e.to_string();
            let lower = detail.to_lowercase();
            let message = match kind {
                FileKind::Zip
                    if lower.contains("zip")
                        || lower.contains("eocd")
                        || lower.contains("end of central directory") =>
                {
                    format!("the workbook is damaged or incomplete, perhaps cut short while copying ({detail})")
                }
                FileKind::Other => {
                    format!("not a workbook: the file is neither a zip (.xlsx, .ods) nor an OLE (.xls) file ({detail})")
                }
                FileKind::Zip | FileKind::Ole | FileKind::Encrypted => format!("failed to read workbook ({detail})"),
            };
            Diagnostic::new(name, message).with_hint(resave)
        })?;
        Ok(Workbook {
            name: name.to_string(),
            path: path.to_path_buf(),
            sheets,
            cache: BTreeMap::new(),
            meta: BTreeMap::new(),
            xlsx: meta::XlsxState::default(),
        })
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
                    format!(
                        "sheet {sheet:?} not found; the workbook has {}",
                        names.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", ")
                    ),
                );
                if let Some(best) = did_you_mean(sheet, names.iter().map(String::as_str)) {
                    d = d.with_hint(format!("did you mean {best:?}?"));
                }
                return Err(d.into());
            }
            let (mut range, percent) = read_range(&mut self.sheets, sheet).map_err(|e| match e {
                RangeError::Read(e) => Diagnostic::new(self.name.clone(), format!("failed to read sheet {sheet:?} ({e})")),
                RangeError::TooLarge { rows, cols, far } => Diagnostic::new(
                    self.name.clone(),
                    format!(
                        "sheet {sheet:?} has values as far as {far}, a used range of {rows} rows × {cols} columns: more than the {MAX_CELLS} cells a scorecard sheet may span"
                    ),
                )
                .with_hint("delete the stray cells below and right of the table (Ctrl+End shows the last one), or copy the table to a new sheet"),
            })?;
            let location = format!("{} › {sheet}", self.name);
            let meta = match &self.sheets {
                Sheets::Xlsx(_) => meta::xlsx(&self.path, sheet, &location, &mut self.xlsx, &mut range, percent),
                Sheets::Ods(_) => ods_meta::read_sheet(&self.path, sheet).map(|(mut meta, unsaved)| {
                    meta::ods_unsaved(&mut meta, unsaved);
                    meta
                }),
                Sheets::Xls(_) => xls_meta::read_sheet(&self.path, sheet),
                Sheets::Xlsb(_) => Ok(SheetMeta::default()),
            }
            .map_err(|e| {
                Diagnostic::new(location.clone(), format!("failed to read the sheet's formats and hidden rows ({e})"))
            })?;
            self.cache.insert(sheet.to_string(), range);
            self.meta.insert(sheet.to_string(), meta);
        }
        Ok(&self.cache[sheet])
    }

    /// What was read about a sheet beyond its values (empty until the sheet is read).
    pub fn sheet_meta(&self, sheet: &str) -> Option<&SheetMeta> {
        self.meta.get(sheet)
    }

    /// Warnings about a sheet read so far (formulas computed), to be shown with the paper.
    pub fn sheet_warnings(&self, sheet: &str) -> &[Diagnostic] {
        self.meta.get(sheet).map(|m| m.warnings.as_slice()).unwrap_or_default()
    }

    /// A cell of a sheet already read, with its format and any formula problem.
    pub fn cell(&self, at: &CellRef) -> Cell {
        let value = self.cache.get(&at.sheet).and_then(|r| r.get_value((at.row, at.col))).cloned();
        let meta = self.meta.get(&at.sheet);
        Cell {
            value: value.unwrap_or(Data::Empty),
            at: at.clone(),
            percent: meta.is_some_and(|m| m.percent.contains(&(at.row, at.col))),
            formula_problem: meta.and_then(|m| m.formula_problems.get(&(at.row, at.col)).cloned()),
        }
    }

    /// The error for using a cell whose formula has no known result.
    pub fn formula_error(&self, at: &CellRef, problem: &FormulaProblem) -> Diagnostic {
        let formula = match &problem.formula {
            Some(f) => format!("the formula {f} "),
            None => "the formula in this cell ".to_string(),
        };
        self.error_at(at, format!("{formula}has no saved result, and it could not be computed: {}", problem.reason))
            .with_hint(
                "open the workbook in Excel or LibreOffice and save it, so that each formula's result is saved with it",
            )
    }

    /// The value of one cell (absolute 0-based position); `Empty` outside the used range.
    pub fn value_at(&mut self, at: &CellRef) -> Result<Data> {
        self.range(&at.sheet)?;
        let cell = self.cell(at);
        match &cell.formula_problem {
            Some(problem) => Err(self.formula_error(at, problem).into()),
            None => Ok(cell.value),
        }
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
    /// 1-based when given; otherwise the header row is searched for. `row_key` is the column
    /// that identifies a data row: a row holding a single text and nothing in `row_key` is a
    /// section heading row, as many workbooks mark sections that way. Hidden columns are left
    /// out of the header search (an author hides a column to retire it) unless `include_hidden`;
    /// hidden rows are returned marked [`TableRow::hidden`], for the caller to decide.
    pub fn table<K: Copy + Ord + fmt::Display>(
        &mut self,
        sheet: &str,
        header_row: Option<u32>,
        wanted: &[ColumnSpec<K>],
        row_key: K,
        include_hidden: bool,
    ) -> Result<Table<K>> {
        let name = self.name.clone();
        self.range(sheet)?;
        let meta = self.meta.get(sheet).cloned().unwrap_or_default();
        let Some(grid) = Grid::of(&self.cache[sheet], &meta, include_hidden) else {
            return Err(Diagnostic::new(name, format!("sheet {sheet:?} is empty")).into());
        };
        let place = |row: Option<u32>| match row {
            Some(row) => format!("{name} › {sheet}!{}:{}", row + 1, row + 1),
            None => format!("{name} › {sheet}"),
        };
        let (header_row, columns) = grid.find_header(header_row, wanted).map_err(|e| e.at(place))?;
        let hidden_columns = grid.hidden_columns(header_row, wanted);
        let rows = grid.rows_under(header_row, &columns, row_key, sheet);
        Ok(Table { sheet: sheet.to_string(), header_row, columns, rows, hidden_columns })
    }

    /// A located message for a cell.
    pub fn error_at(&self, at: &CellRef, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.location(at), message)
    }
}

/// A sheet's used range seen as rows and columns of text, for finding a header row, with what
/// was read about its cells beyond their values (formats, hidden rows and columns, formulas).
struct Grid<'a> {
    range: &'a Range<Data>,
    start: (u32, u32),
    end: (u32, u32),
    meta: &'a SheetMeta,
    include_hidden: bool,
}

/// Why no header row was found, before the caller says where.
enum HeaderError {
    /// `row` names all required columns but `missing` (or was fixed with `header-row:`).
    Missing { row: u32, message: String, hint: String },
    /// No row comes close.
    NotFound { message: String },
}

impl HeaderError {
    fn at(self, place: impl Fn(Option<u32>) -> String) -> anyhow::Error {
        match self {
            HeaderError::Missing { row, message, hint } => Diagnostic::new(place(Some(row)), message).with_hint(hint),
            HeaderError::NotFound { message } => Diagnostic::new(place(None), message).with_hint(
                "name the header cells as above, set `header-row:`, or map names with `headers:` in the paper file",
            ),
        }
        .into()
    }
}

impl<'a> Grid<'a> {
    fn of(range: &'a Range<Data>, meta: &'a SheetMeta, include_hidden: bool) -> Option<Self> {
        let start = range.start()?;
        Some(Grid { range, start, end: range.end().unwrap_or(start), meta, include_hidden })
    }

    /// A column hidden in the workbook and not asked for: left out of the header search.
    fn column_hidden(&self, col: u32) -> bool {
        !self.include_hidden && self.meta.hidden_cols.contains(col)
    }

    fn text(&self, row: u32, col: u32) -> String {
        self.range.get_value((row, col)).map(cell_text).unwrap_or_default()
    }

    /// The non-empty texts of a row.
    fn row_texts(&self, row: u32) -> Vec<String> {
        (self.start.1..=self.end.1).map(|c| self.text(row, c)).filter(|t| !t.is_empty()).collect()
    }

    /// The rows a header row is looked for in.
    fn header_candidates(&self) -> std::ops::RangeInclusive<u32> {
        self.start.0..=self.end.0.min(self.start.0 + HEADER_SEARCH_ROWS - 1)
    }

    /// The wanted columns a row's cells name, each once, in column order.
    fn match_row<K: Copy + PartialEq>(&self, row: u32, wanted: &[ColumnSpec<K>]) -> Vec<FoundColumn<K>> {
        let mut found: Vec<FoundColumn<K>> = Vec::new();
        // Normalised once a row, not once a cell: this was most of the time spent loading a paper.
        let names: Vec<Vec<String>> =
            wanted.iter().map(|spec| spec.names.iter().map(|n| normalise_header(n)).collect()).collect();
        for col in (self.start.1..=self.end.1).filter(|c| !self.column_hidden(*c)) {
            let text = self.text(row, col);
            let norm = normalise_header(&text);
            if norm.is_empty() {
                continue;
            }
            let spec = wanted
                .iter()
                .zip(&names)
                .find(|(spec, names)| !found.iter().any(|f| f.key == spec.key) && names.contains(&norm));
            if let Some((spec, _)) = spec {
                found.push(FoundColumn { key: spec.key, col, header: text });
            }
        }
        found
    }

    /// The header row: the given one, or the first that names every required column.
    fn find_header<K: Copy + PartialEq + fmt::Display>(
        &self,
        fixed: Option<u32>,
        wanted: &[ColumnSpec<K>],
    ) -> std::result::Result<(u32, Vec<FoundColumn<K>>), HeaderError> {
        let required: Vec<&ColumnSpec<K>> = wanted.iter().filter(|s| s.required).collect();
        let missing_in =
            |found: &[FoundColumn<K>]| required.iter().copied().find(|s| !found.iter().any(|f| f.key == s.key));
        if let Some(r) = fixed {
            let row = r.saturating_sub(1);
            let found = self.match_row(row, wanted);
            return match missing_in(&found) {
                Some(missing) => Err(self.missing_column(row, &found, missing)),
                None => Ok((row, found)),
            };
        }
        let mut candidates: Vec<(u32, Vec<FoundColumn<K>>)> = Vec::new();
        for row in self.header_candidates() {
            let found = self.match_row(row, wanted);
            if missing_in(&found).is_none() {
                return Ok((row, found));
            }
            candidates.push((row, found));
        }
        // The row naming all required columns but one is the header row with a typo.
        let count = |found: &[FoundColumn<K>]| required.iter().filter(|s| found.iter().any(|f| f.key == s.key)).count();
        let best = candidates
            .iter()
            .filter(|(_, found)| count(found) >= 2 && count(found) + 1 >= required.len())
            .max_by_key(|(row, found)| (count(found), std::cmp::Reverse(*row)));
        if let Some((row, found)) = best
            && let Some(missing) = missing_in(found)
        {
            return Err(self.missing_column(*row, found, missing));
        }
        let seen: Vec<String> = (self.start.0..=self.end.0.min(self.start.0 + 9))
            .filter_map(|row| {
                let cells = self.row_texts(row);
                (!cells.is_empty()).then(|| format!("row {}: {}", row + 1, cells.join(" | ")))
            })
            .collect();
        Err(HeaderError::NotFound {
            message: format!(
                "no header row naming {} found in the first {HEADER_SEARCH_ROWS} rows; saw:\n      {}",
                required.iter().map(|s| format!("{:?}", s.label())).collect::<Vec<_>>().join(" and "),
                if seen.is_empty() { "nothing".to_string() } else { seen.join("\n      ") }
            ),
        })
    }

    /// A header row that lacks a required column: name the column, show the row, and suggest
    /// the cell probably meant.
    fn missing_column<K: fmt::Display>(
        &self,
        row: u32,
        found: &[FoundColumn<K>],
        missing: &ColumnSpec<K>,
    ) -> HeaderError {
        let seen = self.row_texts(row);
        let unclaimed: Vec<&str> =
            seen.iter().map(String::as_str).filter(|t| !found.iter().any(|f| f.header == *t)).collect();
        let guess = unclaimed
            .iter()
            .find_map(|t| did_you_mean(t, missing.names.iter().map(String::as_str)).map(|name| (*t, name)));
        let hint = match guess {
            Some((written, name)) => format!(
                "did you mean {name:?} for {written:?}? Rename the cell, or map it with `headers: {{ {}: {written:?} }}` in the paper file",
                missing.key
            ),
            None => format!(
                "name the column {:?}, or map it with `headers: {{ {}: \"…\" }}` in the paper file",
                missing.label(),
                missing.key
            ),
        };
        HeaderError::Missing {
            row,
            message: format!(
                "required column {:?} not found in the header row {}; the row holds {}",
                missing.label(),
                row + 1,
                quote_list(&seen)
            ),
            hint,
        }
    }

    /// Hidden columns of the header row that would have named a wanted column, for `check` to
    /// list.
    fn hidden_columns<K: Copy + PartialEq>(&self, header_row: u32, wanted: &[ColumnSpec<K>]) -> Vec<FoundColumn<K>> {
        (self.start.1..=self.end.1)
            .filter(|c| self.column_hidden(*c))
            .filter_map(|col| {
                let text = self.text(header_row, col);
                let norm = normalise_header(&text);
                let spec = wanted.iter().find(|spec| spec.names.iter().any(|n| normalise_header(n) == norm))?;
                Some(FoundColumn { key: spec.key, col, header: text })
            })
            .collect()
    }

    /// The data rows under the header: the found columns' non-blank cells, blank rows skipped,
    /// section heading rows taken as the section of the rows below them.
    fn rows_under<K: Copy + Ord>(
        &self,
        header_row: u32,
        columns: &[FoundColumn<K>],
        row_key: K,
        sheet: &str,
    ) -> Vec<TableRow<K>> {
        let mut rows = Vec::new();
        let mut section_heading = None;
        for row in header_row + 1..=self.end.0 {
            let mut cells = BTreeMap::new();
            for column in columns {
                let value = self.range.get_value((row, column.col)).cloned().unwrap_or(Data::Empty);
                let blank = matches!(&value, Data::Empty) || matches!(&value, Data::String(s) if s.trim().is_empty());
                let formula_problem = self.meta.formula_problems.get(&(row, column.col)).cloned();
                if !blank || formula_problem.is_some() {
                    let at = CellRef { sheet: sheet.to_string(), row, col: column.col };
                    let percent = self.meta.percent.contains(&(row, column.col));
                    cells.insert(column.key, Cell { value, at, percent, formula_problem });
                }
            }
            let texts = self.row_texts(row);
            if texts.is_empty() && cells.is_empty() {
                continue;
            }
            if !cells.contains_key(&row_key) && texts.len() == 1 {
                section_heading = texts.into_iter().next();
                continue;
            }
            let hidden = self.meta.hidden_rows.contains(row);
            rows.push(TableRow { row, cells, section_heading: section_heading.clone(), hidden });
        }
        rows
    }
}

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    /// A zip: .xlsx, .xlsm, .xlsb, .ods.
    Zip,
    /// An OLE compound file: .xls.
    Ole,
    /// An OLE compound file holding an encrypted OOXML package: a password-protected workbook.
    Encrypted,
    Other,
}

/// Reads the file's head (and, for OLE files, looks for the `EncryptedPackage` stream name, which
/// sits in the directory sectors near the start or end of small files).
fn sniff(path: &Path) -> std::io::Result<FileKind> {
    use std::io::Read;
    let mut head = [0u8; 8];
    let mut file = File::open(path)?;
    let n = file.read(&mut head)?;
    if n >= 4 && head[..4] == *b"PK\x03\x04" {
        return Ok(FileKind::Zip);
    }
    if n == 8 && head == [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] {
        let bytes = std::fs::read(path)?;
        let marker: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        if bytes.windows(marker.len()).any(|w| w == marker.as_slice()) {
            return Ok(FileKind::Encrypted);
        }
        return Ok(FileKind::Ole);
    }
    Ok(FileKind::Other)
}

/// Why a sheet could not be turned into a [`Range`].
enum RangeError {
    Read(String),
    TooLarge { rows: u64, cols: u64, far: String },
}

/// Collects non-empty cells, refusing as soon as their bounding box exceeds [`MAX_CELLS`].
#[derive(Default)]
struct SparseCells {
    cells: Vec<calamine::Cell<Data>>,
    bounds: Option<(u32, u32, u32, u32)>,
}

impl SparseCells {
    fn push(&mut self, (row, col): (u32, u32), value: Data) -> Result<(), RangeError> {
        if matches!(value, Data::Empty) {
            return Ok(());
        }
        let (r0, c0, r1, c1) = match self.bounds {
            None => (row, col, row, col),
            Some((r0, c0, r1, c1)) => (r0.min(row), c0.min(col), r1.max(row), c1.max(col)),
        };
        self.bounds = Some((r0, c0, r1, c1));
        let rows = u64::from(r1 - r0) + 1;
        let cols = u64::from(c1 - c0) + 1;
        if rows.saturating_mul(cols) > MAX_CELLS {
            return Err(RangeError::TooLarge { rows, cols, far: format!("{}{}", column_letters(c1), r1 + 1) });
        }
        self.cells.push(calamine::Cell::new((row, col), value));
        Ok(())
    }
}

/// The cells formatted as percentages, by (row, column), 0-based.
type PercentCells = BTreeSet<(u32, u32)>;

/// A sheet's used range. For .xlsx and .xlsb the cells are streamed so that an absurd extent is
/// refused before calamine builds its dense grid.
///
/// For .xlsx the cells whose number format is a percentage are returned too, read in the same
/// pass from calamine's style palette.
fn read_range(sheets: &mut Sheets<BufReader<File>>, sheet: &str) -> Result<(Range<Data>, PercentCells), RangeError> {
    let mut sparse = SparseCells::default();
    let mut percent = BTreeSet::new();
    match sheets {
        Sheets::Xlsx(book) => {
            let mut reader = match book.worksheet_cells_reader(sheet) {
                Ok(reader) => reader,
                // A chart sheet or dialog sheet: no cells.
                Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok((Range::empty(), percent)),
                Err(e) => return Err(RangeError::Read(e.to_string())),
            };
            let percent_styles: Vec<bool> = reader
                .styles()
                .iter()
                .map(|s| s.number_format.as_ref().is_some_and(|f| xlsx_meta::is_percent_format(&f.format_code)))
                .collect();
            while let Some((cell, style)) =
                reader.next_cell_with_style_id().map_err(|e| RangeError::Read(e.to_string()))?
            {
                let value: Data = cell.get_value().clone().into();
                if !matches!(value, Data::Empty) && percent_styles.get(style).copied().unwrap_or(false) {
                    percent.insert(cell.get_position());
                }
                sparse.push(cell.get_position(), value)?;
            }
        }
        Sheets::Xlsb(book) => {
            let mut reader = book.worksheet_cells_reader(sheet).map_err(|e| RangeError::Read(e.to_string()))?;
            while let Some(cell) = reader.next_cell().map_err(|e| RangeError::Read(e.to_string()))? {
                sparse.push(cell.get_position(), cell.get_value().clone().into())?;
            }
        }
        other => {
            let range = other.worksheet_range(sheet).map_err(|e| RangeError::Read(e.to_string()))?;
            let (rows, cols) = range.get_size();
            let (rows, cols) = (rows as u64, cols as u64);
            if rows.saturating_mul(cols) > MAX_CELLS {
                let far = range.end().map(|(r, c)| format!("{}{}", column_letters(c), r + 1)).unwrap_or_default();
                return Err(RangeError::TooLarge { rows, cols, far });
            }
            return Ok((range, percent));
        }
    }
    Ok((Range::from_sparse(sparse.cells), percent))
}

fn quote_list(items: &[String]) -> String {
    if items.is_empty() {
        "nothing".to_string()
    } else {
        items.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ")
    }
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
    let sheet = sheet
        .strip_prefix('\'')
        .and_then(|s| s.strip_suffix('\''))
        .map(|s| s.replace("''", "'"))
        .unwrap_or_else(|| sheet.to_string());
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
pub struct WorkbookSummary<K> {
    pub name: String,
    pub sheets: Vec<SheetSummary<K>>,
    /// (name, target, value as text)
    pub defined_names: Vec<(String, String, String)>,
}

/// One sheet of a [`WorkbookSummary`].
#[derive(Debug, Clone)]
pub struct SheetSummary<K> {
    pub name: String,
    /// Rows × columns of the used range; `None` for an empty sheet.
    pub size: Option<(u32, u32)>,
    /// The 1-based row that names the most known columns, and those columns.
    pub header: Option<(u32, Vec<FoundColumn<K>>)>,
    /// Why the sheet could not be read, if it could not.
    pub problem: Option<String>,
}

impl Workbook {
    /// Summarises the workbook for `inspect`, matching header cells against `known` columns the
    /// way [`Workbook::table`] does.
    pub fn summary<K: Copy + PartialEq>(&mut self, known: &[ColumnSpec<K>]) -> WorkbookSummary<K> {
        let mut sheets = Vec::new();
        for name in self.sheet_names() {
            let no_meta = SheetMeta::default();
            let grid = match self.range(&name) {
                Ok(range) => Grid::of(range, &no_meta, true),
                Err(e) => {
                    sheets.push(SheetSummary { name, size: None, header: None, problem: Some(e.to_string()) });
                    continue;
                }
            };
            let Some(grid) = grid else {
                sheets.push(SheetSummary { name, size: None, header: None, problem: None });
                continue;
            };
            let mut best: Option<(u32, Vec<FoundColumn<K>>)> = None;
            for row in grid.header_candidates() {
                let found = grid.match_row(row, known);
                if found.len() >= 2 && best.as_ref().is_none_or(|(_, b)| found.len() > b.len()) {
                    best = Some((row + 1, found));
                }
            }
            let size = (grid.end.0 - grid.start.0 + 1, grid.end.1 - grid.start.1 + 1);
            sheets.push(SheetSummary { name, size: Some(size), header: best, problem: None });
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

impl<K: fmt::Display> fmt::Display for WorkbookSummary<K> {
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
                        writeln!(f, "    {:<11} {}{row}  {:?}", c.key.to_string(), column_letters(c.col), c.header)?;
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
