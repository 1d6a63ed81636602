//! What calamine does not tell about an .xls (BIFF5/BIFF8) sheet: which cells carry a percentage
//! number format, and which rows and columns are hidden.
//!
//! calamine reads the FORMAT and XF records only to tell dates from numbers and keeps the result
//! private, so this reads the few records needed from the `Workbook` stream itself (MS-XLS):
//! FORMAT (2.4.126) and XF (2.4.353) in the globals, BOUNDSHEET8 (2.4.28) for where each sheet's
//! records start, and in the sheet's records ROW (2.4.221, `fDyZero`: hidden), COLINFO (2.4.53,
//! `fHidden`) and the number cells NUMBER, RK, MULRK and FORMULA with their XF index. The OLE
//! container is opened with the `cfb` crate.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use super::meta::SheetMeta;
use super::xlsx_meta::is_percent_format;

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    data.get(at..at + 2).map(|b| u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    data.get(at..at + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// The records of a stream from `start`: (type, data), up to and including the next EOF.
fn records(stream: &[u8], start: usize) -> impl Iterator<Item = (u16, &[u8])> {
    let mut at = start;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let kind = u16_at(stream, at)?;
        let len = u16_at(stream, at + 2)? as usize;
        let data = stream.get(at + 4..at + 4 + len)?;
        at += 4 + len;
        done = kind == 0x000A;
        Some((kind, data))
    })
}

/// A BIFF string of `cch` characters at the start of `data` (after its length field): BIFF8
/// has a flags byte (bit 0: UTF-16LE, else one byte per character); BIFF5 has bytes only.
fn biff_string(data: &[u8], cch: usize, biff8: bool) -> String {
    if !biff8 {
        return data.iter().take(cch).map(|&b| b as char).collect();
    }
    let Some((&flags, chars)) = data.split_first() else {
        return String::new();
    };
    if flags & 1 == 1 {
        let units: Vec<u16> = chars.chunks_exact(2).take(cch).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        String::from_utf16_lossy(&units)
    } else {
        chars.iter().take(cch).map(|&b| b as char).collect()
    }
}

/// Reads the metadata of the sheet named `sheet`.
pub fn read_sheet(path: &Path, sheet: &str) -> Result<SheetMeta, String> {
    let stream = workbook_stream(path)?;
    let globals = Globals::read(&stream, sheet);
    let Some(start) = globals.sheet_start else {
        return Err(format!("sheet {sheet:?} not found in the workbook stream"));
    };
    Ok(sheet_meta(&stream, start, &globals.percent_xf()))
}

/// The bytes of the `Workbook` stream (`Book` in BIFF5 files).
fn workbook_stream(path: &Path) -> Result<Vec<u8>, String> {
    let mut file = cfb::open(path).map_err(|e| e.to_string())?;
    let name = if file.exists("/Workbook") { "/Workbook" } else { "/Book" };
    let mut stream = Vec::new();
    file.open_stream(name).and_then(|mut s| s.read_to_end(&mut stream)).map_err(|e| e.to_string())?;
    Ok(stream)
}

/// What the workbook globals say about number formats and where the wanted sheet starts.
struct Globals {
    /// Format index -> whether its code is a percentage.
    formats: BTreeMap<u16, bool>,
    /// The format index of each XF, in order.
    xf_formats: Vec<u16>,
    /// Stream position of the wanted sheet's BOF.
    sheet_start: Option<usize>,
}

impl Globals {
    /// Reads the globals substream, looking for the sheet named `sheet`.
    fn read(stream: &[u8], sheet: &str) -> Globals {
        let mut biff8 = true;
        let mut globals = Globals { formats: BTreeMap::new(), xf_formats: Vec::new(), sheet_start: None };
        for (kind, data) in records(stream, 0) {
            match kind {
                // BOF: the version decides how strings are stored.
                0x0809 => biff8 = u16_at(data, 0).is_some_and(|v| v >= 0x0600),
                // FORMAT: ifmt, then the format code.
                0x041E => {
                    let Some(ifmt) = u16_at(data, 0) else { continue };
                    globals.formats.insert(ifmt, is_percent_format(&format_code(data, biff8)));
                }
                // XF: the format index is the second field.
                0x00E0 => globals.xf_formats.push(u16_at(data, 2).unwrap_or(0)),
                // BOUNDSHEET: stream position of the sheet's BOF, then its name.
                0x0085 => {
                    let (Some(position), Some(&cch)) = (u32_at(data, 0), data.get(6)) else { continue };
                    let text = data.get(7..).unwrap_or_default();
                    if biff_string(text, cch as usize, biff8) == sheet {
                        globals.sheet_start = Some(position as usize);
                    }
                }
                _ => {}
            }
        }
        globals
    }

    /// Whether each XF, by index, shows a percentage.
    fn percent_xf(&self) -> Vec<bool> {
        // Built-in formats 9 (`0%`) and 10 (`0.00%`) unless the file redefines them.
        self.xf_formats.iter().map(|ifmt| self.formats.get(ifmt).copied().unwrap_or(matches!(ifmt, 9 | 10))).collect()
    }
}

/// The format code of a FORMAT record: a 16-bit length in BIFF8, an 8-bit one in BIFF5.
fn format_code(data: &[u8], biff8: bool) -> String {
    if biff8 {
        let cch = u16_at(data, 2).unwrap_or(0) as usize;
        biff_string(data.get(4..).unwrap_or_default(), cch, true)
    } else {
        let cch = data.get(2).copied().unwrap_or(0) as usize;
        biff_string(data.get(3..).unwrap_or_default(), cch, false)
    }
}

/// Reads the hidden rows and columns and the percentage cells from the sheet's records, which
/// begin at `start`.
fn sheet_meta(stream: &[u8], start: usize, percent_xf: &[bool]) -> SheetMeta {
    let is_percent = |xf: Option<u16>| xf.and_then(|x| percent_xf.get(x as usize)).copied().unwrap_or(false);
    let mut meta = SheetMeta::default();
    for (kind, data) in records(stream, start).skip(1) {
        match kind {
            // BOF of an embedded chart substream: its records are not the sheet's.
            0x0809 => break,
            // ROW: fDyZero (bit 5 of the flags at offset 12) hides the row.
            0x0208 => {
                if let (Some(row), Some(flags)) = (u16_at(data, 0), u16_at(data, 12))
                    && flags & 0x20 != 0
                {
                    meta.hidden_rows.insert(row as u32);
                }
            }
            // COLINFO: fHidden (bit 0 of the flags at offset 8).
            0x007D => {
                if let (Some(first), Some(last), Some(flags)) = (u16_at(data, 0), u16_at(data, 2), u16_at(data, 8))
                    && flags & 1 != 0
                {
                    meta.hidden_cols.insert_range(first as u32, last.max(first) as u32);
                }
            }
            // NUMBER, RK, FORMULA: row, column, XF.
            0x0203 | 0x027E | 0x0006 => {
                if let (Some(row), Some(col)) = (u16_at(data, 0), u16_at(data, 2))
                    && is_percent(u16_at(data, 4))
                {
                    meta.percent.insert((row as u32, col as u32));
                }
            }
            // MULRK: row, first column, then (XF, RK) pairs, then the last column.
            0x00BD => {
                let (Some(row), Some(first)) = (u16_at(data, 0), u16_at(data, 2)) else { continue };
                let pairs = data.len().saturating_sub(6) / 6;
                for i in 0..pairs {
                    if is_percent(u16_at(data, 4 + i * 6)) {
                        meta.percent.insert((row as u32, first as u32 + i as u32));
                    }
                }
            }
            _ => {}
        }
    }
    meta
}
