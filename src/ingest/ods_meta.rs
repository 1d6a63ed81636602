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
use quick_xml::events::{BytesStart, Event};

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
    let mut meta = SheetMeta::default();
    let mut unsaved = BTreeMap::new();
    let mut buf = Vec::new();
    // Depth of tables inside the wanted one (a table in a cell), and whether we are in it.
    let mut in_sheet = false;
    let mut nested = 0u32;
    let mut row: u32 = 0;
    let mut col: u32 = 0;
    let mut column: u32 = 0;
    let mut row_repeat: u32 = 1;
    let repeat = |e: &BytesStart<'_>, name: &str| attr(e, name).and_then(|v| v.parse::<u32>().ok()).unwrap_or(1).max(1);
    let hidden = |e: &BytesStart<'_>| matches!(attr(e, "visibility").as_deref(), Some("collapse") | Some("filter"));
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| e.to_string())?;
        let (e, empty) = match &event {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            _ => (None, false),
        };
        if let Some(e) = e {
            let name = e.local_name();
            match name.as_ref() {
                "table" if !in_sheet && attr(&e, "name").as_deref() == Some(sheet) && !empty => {
                    in_sheet = true;
                }
                "table" => nested += 1,
                _ if !in_sheet || nested > 0 => {}
                "table-column" => {
                    let n = repeat(&e, "number-columns-repeated");
                    if hidden(&e) {
                        meta.hidden_cols.insert_range(column, column + n - 1);
                    }
                    column += n;
                }
                "table-row" => {
                    row_repeat = repeat(&e, "number-rows-repeated");
                    if hidden(&e) {
                        meta.hidden_rows.insert_range(row, row + row_repeat - 1);
                    }
                    col = 0;
                    if empty {
                        row += row_repeat;
                    }
                }
                "table-cell" | "covered-table-cell" => {
                    let n = repeat(&e, "number-columns-repeated");
                    let kind = attr(&e, "value-type");
                    if row_repeat <= FILLER && n <= FILLER {
                        for r in row..row + row_repeat {
                            for c in col..col + n {
                                if kind.as_deref() == Some("percentage") {
                                    meta.percent.insert((r, c));
                                }
                                if kind.is_none()
                                    && let Some(formula) = attr(&e, "formula")
                                {
                                    unsaved.insert((r, c), formula);
                                }
                            }
                        }
                    }
                    col += n;
                }
                _ => {}
            }
        }
        match &event {
            Event::End(e) => match e.local_name().into_inner() {
                "table" if nested > 0 => nested -= 1,
                "table" if in_sheet => break,
                "table-row" if in_sheet && nested == 0 => row += row_repeat,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok((meta, unsaved))
}
