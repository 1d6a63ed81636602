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
use quick_xml::events::{BytesStart, Event};

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
    let mut meta = SheetMeta::default();
    let mut formulas = BTreeMap::new();
    let mut buf = Vec::new();
    let mut row: u32 = 0;
    let mut col: u32 = 0;
    // The formula cell being read: its position, and whether a result was seen.
    let mut in_formula_cell: Option<((u32, u32), bool)> = None;
    let mut in_value = false;
    let mut in_formula = false;
    let mut formula_text = String::new();
    let mut cell_pos = (0, 0);
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| e.to_string())?;
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().into_inner() == "col" && truthy(attr(&e, "hidden")) => {
                let min: u32 = attr(&e, "min").and_then(|v| v.parse().ok()).unwrap_or(0);
                let max: u32 = attr(&e, "max").and_then(|v| v.parse().ok()).unwrap_or(min);
                // A hidden range reaching column XFD is "every column from here": keep it as
                // a bound, not 16,000 entries.
                if min >= 1 {
                    meta.hidden_cols.insert_range(min - 1, max.max(min) - 1);
                }
            }
            Event::Start(e) if e.local_name().into_inner() == "row" => {
                if let Some(r) = attr(&e, "r").and_then(|v| v.parse::<u32>().ok()) {
                    row = r.saturating_sub(1);
                }
                col = 0;
                if truthy(attr(&e, "hidden")) {
                    meta.hidden_rows.insert(row);
                }
            }
            Event::Empty(e) if e.local_name().into_inner() == "row" => {
                if let Some(r) = attr(&e, "r").and_then(|v| v.parse::<u32>().ok()) {
                    row = r.saturating_sub(1);
                }
                if truthy(attr(&e, "hidden")) {
                    meta.hidden_rows.insert(row);
                }
                row += 1;
            }
            Event::End(e) if e.local_name().into_inner() == "row" => {
                row += 1;
            }
            Event::Start(e) | Event::Empty(e) if e.local_name().into_inner() == "c" => {
                cell_pos = match attr(&e, "r").and_then(|r| super::parse_a1(&r)) {
                    Some((r, c)) => {
                        row = r;
                        (r, c)
                    }
                    None => (row, col),
                };
                col = cell_pos.1 + 1;
            }
            Event::Start(e) if e.local_name().into_inner() == "f" => {
                in_formula_cell = Some((cell_pos, false));
                in_formula = true;
                formula_text.clear();
            }
            Event::Empty(e) if e.local_name().into_inner() == "f" => {
                in_formula_cell = Some((cell_pos, false));
                formula_text.clear();
            }
            Event::Text(t) if in_formula => {
                formula_text.push_str(&t);
            }
            Event::GeneralRef(r) if in_formula => {
                formula_text.push_str(match r.as_ref() {
                    "quot" => "\"",
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "apos" => "'",
                    _ => "?",
                });
            }
            Event::Start(e) if e.local_name().into_inner() == "v" => in_value = true,
            Event::Text(t) if in_value => {
                if let Some((_, saved)) = &mut in_formula_cell {
                    *saved |= !t.trim().is_empty();
                }
            }
            Event::End(e) => match e.local_name().into_inner() {
                "v" => in_value = false,
                "f" => in_formula = false,
                "c" => {
                    if let Some((pos, saved)) = in_formula_cell.take() {
                        let text = (!formula_text.trim().is_empty()).then(|| format!("={}", formula_text.trim()));
                        formulas.insert(pos, FormulaCell { saved, text });
                    }
                }
                "sheetData" => break,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok((meta, formulas))
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
