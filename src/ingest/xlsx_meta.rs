//! What calamine does not tell about an .xlsx sheet, read from the package itself: which rows and
//! columns are hidden, which cells hold a formula (and whether a result was saved with it), and
//! whether the workbook asks to be recalculated when opened.
//!
//! One streaming pass over the sheet part with quick-xml, through the zip and quick-xml versions
//! calamine already uses. The sheet part is found as Excel finds it: `workbook.xml` names the
//! sheet's relationship id, `workbook.xml.rels` the part.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::{BytesEnd, BytesRef, BytesStart, BytesText, Event};

use super::meta::{CellMap, SheetMeta};

/// A formula cell of an .xlsx sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormulaCell {
    /// Whether a result was saved with the formula (`<v>` with text).
    pub saved: bool,
    /// The formula as written (`=40+20`); `None` for the cells of a shared formula after its first.
    pub text: Option<String>,
}

/// Facts about the workbook as a whole.
#[derive(Debug, Clone, Default)]
pub struct BookMeta {
    /// Sheet name -> part path inside the zip (`xl/worksheets/sheet1.xml`).
    pub parts: BTreeMap<String, String>,
    /// `<calcPr fullCalcOnLoad="1">`: the program that wrote the file asks the reader to
    /// recalculate every formula, so the saved results are placeholders (xlsxwriter, for one,
    /// saves 0 for every formula and sets this).
    pub full_calc_on_load: bool,
}

/// The zip part text, or `None` when the part is missing.
fn part<R: Read + Seek>(zip: &mut zip9::ZipArchive<R>, name: &str) -> Option<Vec<u8>> {
    let mut entry = zip.by_name(name).ok()?;
    let mut bytes = Vec::new();
    entry.read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// The unescaped value of the attribute with this local name.
pub(super) fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().into_inner() == name)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

fn truthy(value: Option<String>) -> bool {
    matches!(value.as_deref(), Some("1") | Some("true"))
}

/// Joins a relationship target to the folder of the part that names it.
fn resolve_target(base_dir: &str, target: &str) -> String {
    if let Some(absolute) = target.strip_prefix('/') {
        return absolute.to_string();
    }
    let mut parts: Vec<&str> = base_dir.split('/').filter(|p| !p.is_empty()).collect();
    for piece in target.split('/') {
        match piece {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// Reads `_rels/.rels`, `workbook.xml` and its relationships.
pub fn read_book(path: &Path) -> Result<BookMeta, String> {
    let file = File::open(path).map_err(|e| e.to_string())?;
    let mut zip = zip9::ZipArchive::new(BufReader::new(file)).map_err(|e| e.to_string())?;
    let workbook_part = part(&mut zip, "_rels/.rels")
        .and_then(|rels| {
            relationships(&rels).into_iter().find(|(_, kind, _)| kind.ends_with("/officeDocument")).map(|r| r.2)
        })
        .map(|t| resolve_target("", &t))
        .unwrap_or_else(|| "xl/workbook.xml".to_string());
    let (dir, file_name) = workbook_part.rsplit_once('/').unwrap_or(("", workbook_part.as_str()));
    let rels = part(&mut zip, &format!("{dir}/_rels/{file_name}.rels")).unwrap_or_default();
    let targets: BTreeMap<String, String> =
        relationships(&rels).into_iter().map(|(id, _, target)| (id, resolve_target(dir, &target))).collect();
    let xml = part(&mut zip, &workbook_part).ok_or_else(|| format!("{workbook_part} is missing"))?;
    let mut meta = BookMeta::default();
    let mut reader = Reader::from_reader(xml.as_slice());
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().into_inner() {
                "sheet" => {
                    if let (Some(name), Some(id)) = (attr(&e, "name"), attr(&e, "id"))
                        && let Some(target) = targets.get(&id)
                    {
                        meta.parts.insert(name, target.clone());
                    }
                }
                "calcPr" => meta.full_calc_on_load = truthy(attr(&e, "fullCalcOnLoad")),
                _ => {}
            },
            Ok(Event::Eof) => break,
            Err(e) => return Err(e.to_string()),
            _ => {}
        }
        buf.clear();
    }
    Ok(meta)
}

/// (id, type, target) of each relationship in a `.rels` part.
fn relationships(xml: &[u8]) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    while let Ok(event) = reader.read_event_into(&mut buf) {
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().into_inner() == "Relationship" => {
                if let (Some(id), Some(kind), Some(target)) = (attr(&e, "Id"), attr(&e, "Type"), attr(&e, "Target")) {
                    out.push((id, kind, target));
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

/// Hidden rows and columns and formula cells of one sheet part. Percent formats come from
/// calamine's style palette while the values are read (see `read_range`), not from here.
pub fn read_sheet(path: &Path, part_name: &str) -> Result<(SheetMeta, CellMap<FormulaCell>), String> {
    let file = File::open(path).map_err(|e| e.to_string())?;
    let mut zip = zip9::ZipArchive::new(BufReader::new(file)).map_err(|e| e.to_string())?;
    let entry = zip.by_name(part_name).map_err(|e| format!("{part_name}: {e}"))?;
    let mut reader = Reader::from_reader(BufReader::new(entry));
    let mut sheet = SheetReader::default();
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).map_err(|e| e.to_string())? {
            Event::Start(e) => sheet.start(&e, false),
            Event::Empty(e) => sheet.start(&e, true),
            Event::Text(t) => sheet.text(&t),
            Event::GeneralRef(r) => sheet.general_ref(&r),
            Event::End(e) if e.local_name().into_inner() == "sheetData" => break,
            Event::End(e) => sheet.end(&e),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok((sheet.meta, sheet.formulas))
}

/// Where one pass over a sheet part has got to, and what it has found so far.
#[derive(Default)]
struct SheetReader {
    meta: SheetMeta,
    formulas: CellMap<FormulaCell>,
    // The current row and the column after the last cell, 0-based.
    row: u32,
    col: u32,
    /// The formula cell being read: its position, and whether a result was seen.
    in_formula_cell: Option<((u32, u32), bool)>,
    in_value: bool,
    in_formula: bool,
    formula_text: String,
    cell_pos: (u32, u32),
}

impl SheetReader {
    /// Takes in an opening tag, or an empty one (`empty`: `<x/>`, which has no end event).
    fn start(&mut self, e: &BytesStart<'_>, empty: bool) {
        match e.local_name().into_inner() {
            "col" if truthy(attr(e, "hidden")) => self.hidden_cols(e),
            "row" => self.row(e, empty),
            "c" => self.cell(e),
            "f" => {
                self.in_formula_cell = Some((self.cell_pos, false));
                if !empty {
                    self.in_formula = true;
                }
                self.formula_text.clear();
            }
            "v" if !empty => self.in_value = true,
            _ => {}
        }
    }

    /// Marks the columns of a hidden `<col min max>`.
    fn hidden_cols(&mut self, e: &BytesStart<'_>) {
        let min: u32 = attr(e, "min").and_then(|v| v.parse().ok()).unwrap_or(0);
        let max: u32 = attr(e, "max").and_then(|v| v.parse().ok()).unwrap_or(min);
        // A hidden range reaching column XFD is "every column from here": keep it as
        // a bound, not 16,000 entries.
        if min >= 1 {
            self.meta.hidden_cols.insert_range(min - 1, max.max(min) - 1);
        }
    }

    /// Moves to the row a `<row>` names and marks it if hidden; an empty `<row/>` is over at once.
    fn row(&mut self, e: &BytesStart<'_>, empty: bool) {
        if let Some(r) = attr(e, "r").and_then(|v| v.parse::<u32>().ok()) {
            self.row = r.saturating_sub(1);
        }
        if !empty {
            self.col = 0;
        }
        if truthy(attr(e, "hidden")) {
            self.meta.hidden_rows.insert(self.row);
        }
        if empty {
            self.row += 1;
        }
    }

    /// Takes the position of a `<c>` from its `r`, or else the one after the last cell.
    fn cell(&mut self, e: &BytesStart<'_>) {
        self.cell_pos = match attr(e, "r").and_then(|r| super::parse_a1(&r)) {
            Some((r, c)) => {
                self.row = r;
                (r, c)
            }
            None => (self.row, self.col),
        };
        self.col = self.cell_pos.1 + 1;
    }

    /// Takes in text: part of a formula, or a result saved with one.
    fn text(&mut self, t: &BytesText<'_>) {
        if self.in_formula {
            self.formula_text.push_str(t);
        } else if self.in_value
            && let Some((_, saved)) = &mut self.in_formula_cell
        {
            *saved |= !t.trim().is_empty();
        }
    }

    /// Takes in an entity reference (`&quot;`) inside a formula.
    fn general_ref(&mut self, r: &BytesRef<'_>) {
        if self.in_formula {
            self.formula_text.push_str(match r.as_ref() {
                "quot" => "\"",
                "amp" => "&",
                "lt" => "<",
                "gt" => ">",
                "apos" => "'",
                _ => "?",
            });
        }
    }

    /// Takes in a closing tag, keeping a formula cell when it closes.
    fn end(&mut self, e: &BytesEnd<'_>) {
        match e.local_name().into_inner() {
            "row" => self.row += 1,
            "v" => self.in_value = false,
            "f" => self.in_formula = false,
            "c" => {
                if let Some((pos, saved)) = self.in_formula_cell.take() {
                    let text = (!self.formula_text.trim().is_empty()).then(|| format!("={}", self.formula_text.trim()));
                    self.formulas.insert(pos, FormulaCell { saved, text });
                }
            }
            _ => {}
        }
    }
}

/// Whether an Excel number format code scales the value by 100 and shows `%`: an unquoted,
/// unescaped `%` in the section for positive numbers. `0.0"%"` and `0.0\%` print a literal sign
/// without scaling, so they are not percentages.
pub fn is_percent_format(code: &str) -> bool {
    let mut quoted = false;
    let mut escaped = false;
    let mut bracket = false;
    for c in code.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '"' => quoted = !quoted,
            _ if quoted => {}
            '\\' | '_' | '*' => escaped = true,
            '[' => bracket = true,
            ']' => bracket = false,
            _ if bracket => {}
            ';' => return false,
            '%' => return true,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_formats_are_told_from_literal_percent_signs() {
        for code in ["0%", "0.0%", "0.00%", "#,##0.0%;[Red]-#,##0.0%", "[Blue]0.0%", "0.0 %"] {
            assert!(is_percent_format(code), "{code}");
        }
        for code in ["General", "0.0", r#"0.0"%""#, r"0.0\%", "0.0;-0.0%", "[$%-809]0.0", "d-mmm-yy", "0.0_%"] {
            assert!(!is_percent_format(code), "{code}");
        }
    }

    #[test]
    fn relationship_targets_resolve_against_their_folder() {
        assert_eq!(resolve_target("xl", "worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve_target("xl", "/xl/worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve_target("xl/sub", "../worksheets/s.xml"), "xl/worksheets/s.xml");
    }
}
