//! What calamine does not tell about an OpenDocument sheet, read from `content.xml`: which cells
//! are percentages (`office:value-type="percentage"`: the value is a fraction, shown × 100 with
//! `%`), which rows and columns are hidden (`table:visibility="collapse"` or `"filter"`), and
//! which formula cells were saved without a value.
//!
//! Positions follow calamine's: absolute, 0-based, counting repeated rows and cells
//! (`table:number-rows-repeated`, `table:number-columns-repeated`) and covered cells.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::{BytesEnd, BytesStart, Event};

use super::meta::{CellMap, SheetMeta};
use super::xlsx_meta::attr;

/// Rows or columns repeated more than this are the filler LibreOffice writes to the end of the
/// sheet; they hold nothing, so their cells are not recorded one by one.
const FILLER: u32 = 10_000;

/// Reads one table's metadata. Returns the formulas saved without a value, by position, with
/// their text (`of:=…`).
pub fn read_sheet(path: &Path, sheet: &str) -> Result<(SheetMeta, CellMap<String>), String> {
    let file = File::open(path).map_err(|e| e.to_string())?;
    let mut zip = zip9::ZipArchive::new(BufReader::new(file)).map_err(|e| e.to_string())?;
    let entry = zip.by_name("content.xml").map_err(|e| format!("content.xml: {e}"))?;
    let mut reader = Reader::from_reader(BufReader::new(entry));
    let mut table = TableReader::new(sheet);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).map_err(|e| e.to_string())? {
            Event::Start(e) => table.start(&e, false),
            Event::Empty(e) => table.start(&e, true),
            Event::End(e) if table.is_sheet_end(&e) => break,
            Event::End(e) => table.end(&e),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok((table.meta, table.unsaved))
}

/// How many times a row or cell is repeated (`number-rows-repeated`, `number-columns-repeated`).
fn repeat(e: &BytesStart<'_>, name: &str) -> u32 {
    attr(e, name).and_then(|v| v.parse::<u32>().ok()).unwrap_or(1).max(1)
}

/// Whether a row or column is hidden.
fn hidden(e: &BytesStart<'_>) -> bool {
    matches!(attr(e, "visibility").as_deref(), Some("collapse") | Some("filter"))
}

/// Where one pass over `content.xml` has got to, and what it has found in the wanted table.
struct TableReader<'a> {
    sheet: &'a str,
    meta: SheetMeta,
    unsaved: CellMap<String>,
    // Depth of tables inside the wanted one (a table in a cell), and whether we are in it.
    in_sheet: bool,
    nested: u32,
    // The current row, the next cell's column, and the next `table-column`'s.
    row: u32,
    col: u32,
    column: u32,
    row_repeat: u32,
}

impl<'a> TableReader<'a> {
    /// A reader looking for the table named `sheet`.
    fn new(sheet: &'a str) -> Self {
        TableReader {
            sheet,
            meta: SheetMeta::default(),
            unsaved: BTreeMap::new(),
            in_sheet: false,
            nested: 0,
            row: 0,
            col: 0,
            column: 0,
            row_repeat: 1,
        }
    }

    /// Takes in an opening tag, or an empty one (`empty`: `<x/>`, which has no end event).
    fn start(&mut self, e: &BytesStart<'_>, empty: bool) {
        match e.local_name().as_ref() {
            "table" if !self.in_sheet && attr(e, "name").as_deref() == Some(self.sheet) && !empty => {
                self.in_sheet = true;
            }
            // An empty table (`<table:table/>`) has no end tag: it opens nothing.
            "table" if !empty => self.nested += 1,
            _ if !self.in_sheet || self.nested > 0 => {}
            "table-column" => self.column(e),
            "table-row" => self.row(e, empty),
            "table-cell" | "covered-table-cell" => self.cell(e),
            _ => {}
        }
    }

    /// Marks the columns of a hidden `table-column`.
    fn column(&mut self, e: &BytesStart<'_>) {
        let n = repeat(e, "number-columns-repeated");
        if hidden(e) {
            self.meta.hidden_cols.insert_range(self.column, self.column + n - 1);
        }
        self.column += n;
    }

    /// Marks the rows of a hidden `table-row`; an empty one is over at once.
    fn row(&mut self, e: &BytesStart<'_>, empty: bool) {
        self.row_repeat = repeat(e, "number-rows-repeated");
        if hidden(e) {
            self.meta.hidden_rows.insert_range(self.row, self.row + self.row_repeat - 1);
        }
        self.col = 0;
        if empty {
            self.row += self.row_repeat;
        }
    }

    /// Records a cell, and its repeats, if it is a percentage or a formula saved without a value.
    fn cell(&mut self, e: &BytesStart<'_>) {
        let n = repeat(e, "number-columns-repeated");
        let kind = attr(e, "value-type");
        if self.row_repeat <= FILLER && n <= FILLER {
            for r in self.row..self.row + self.row_repeat {
                for c in self.col..self.col + n {
                    if kind.as_deref() == Some("percentage") {
                        self.meta.percent.insert((r, c));
                    }
                    if kind.is_none()
                        && let Some(formula) = attr(e, "formula")
                    {
                        self.unsaved.insert((r, c), formula);
                    }
                }
            }
        }
        self.col += n;
    }

    /// Whether this closing tag ends the wanted table.
    fn is_sheet_end(&self, e: &BytesEnd<'_>) -> bool {
        e.local_name().into_inner() == "table" && self.nested == 0 && self.in_sheet
    }

    /// Takes in a closing tag (other than the wanted table's).
    fn end(&mut self, e: &BytesEnd<'_>) {
        match e.local_name().into_inner() {
            "table" if self.nested > 0 => self.nested -= 1,
            "table-row" if self.in_sheet && self.nested == 0 => self.row += self.row_repeat,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// An .ods holding only `content.xml` with `body` inside its spreadsheet element.
    fn ods(body: &str) -> tempfile::NamedTempFile {
        let file = tempfile::NamedTempFile::new().unwrap();
        let mut zip = zip9::ZipWriter::new(file.reopen().unwrap());
        zip.start_file("content.xml", zip9::write::SimpleFileOptions::default()).unwrap();
        write!(
            zip,
            r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"#
        )
        .unwrap();
        zip.finish().unwrap();
        file
    }

    const WANTED: &str = r#"<table:table table:name="Scorecard"><table:table-row><table:table-cell/></table:table-row><table:table-row table:visibility="collapse"><table:table-cell/></table:table-row></table:table>"#;

    #[test]
    fn hidden_rows_are_found_in_the_named_table_after_other_tables() {
        let before = [
            r#"<table:table table:name="Info"><table:table-row table:visibility="collapse"/></table:table>"#,
            r#"<table:table table:name="Empty"/>"#,
        ];
        for other in before {
            let file = ods(&format!(
                "{other}{WANTED}<table:table table:name=\"After\"><table:table-row/><table:table-row/><table:table-row table:visibility=\"collapse\"/></table:table>"
            ));
            let (meta, _) = read_sheet(file.path(), "Scorecard").unwrap();
            assert!(
                meta.hidden_rows.contains(1) && !meta.hidden_rows.contains(0) && !meta.hidden_rows.contains(2),
                "after {other}"
            );
        }
    }
}
