//! Workbook table rows + paper-file settings in, rated [`Indicator`]s out.
//!
//! Which wins when both give a setting: the paper file. An author who writes a target in the YAML
//! means it; the workbook supplies everything the YAML leaves out.

use std::collections::BTreeMap;

use anyhow::Result;
use calamine::Data;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::format::{Unit, ValueFormat, default_decimals, format_value};
use super::parse::{NumberText, PeriodType, parse_number_text, parse_period_type, parse_polarity, parse_unit};
use super::rules::{Polarity, RuleError, rate, travel};
use crate::config::{Located, ScorecardConfig};
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::ingest::{Cell, CellRef, ColumnSpec, Workbook, cell_text};
use crate::model::{Direction, Rag, Totals};

/// The column keys a scorecard knows, with the header texts that name them by default.
pub const COLUMNS: &[(&str, &[&str])] = &[
    ("ref", &["Ref", "Reference", "Ref.", "ID", "Indicator Ref", "Code"]),
    ("indicator", &["Indicator", "Indicator Name", "Measure", "Description", "Performance Indicator", "Name"]),
    ("section", &["Section", "Group", "Area", "Theme"]),
    ("polarity", &["Polarity", "Good Is", "Direction of Good"]),
    ("unit", &["Unit", "Units", "Format"]),
    ("decimals", &["Decimals", "DP", "Decimal Places"]),
    ("period", &["Period", "Period Type", "Data Period"]),
    ("previous", &["Previous", "Previous Month", "Last Month", "Prev"]),
    ("current", &["Current", "Latest", "Value", "This Month", "Current Month"]),
    ("target", &["Target"]),
    ("floor", &["Floor", "Minimum Standard", "Min Standard", "Floor Standard", "Minimum"]),
    ("england", &["England", "England Average", "National"]),
    ("neighbours", &["Stat Neighbours", "Statistical Neighbours", "SN", "Stat Neighbour", "Statistical Neighbour"]),
    ("commentary", &["Commentary", "Comment", "Comments", "Notes"]),
];

const REQUIRED: &[&str] = &["ref", "indicator", "current"];

/// The known columns with their default header names (for `inspect`).
pub fn column_specs() -> Vec<ColumnSpec> {
    COLUMNS
        .iter()
        .map(|(key, names)| ColumnSpec {
            key: key.to_string(),
            names: names.iter().map(|n| n.to_string()).collect(),
            required: REQUIRED.contains(key),
        })
        .collect()
}

/// One indicator, rated. This is also the shape of `check --json`.
#[derive(Debug, Clone, Serialize)]
pub struct Indicator {
    #[serde(rename = "ref")]
    pub reference: String,
    pub name: String,
    pub section: Option<String>,
    pub value: Option<f64>,
    pub previous: Option<f64>,
    pub target: Option<f64>,
    pub floor: Option<f64>,
    pub polarity: Option<Polarity>,
    pub decimals: u8,
    pub unit: Unit,
    pub period_type: Option<PeriodType>,
    pub rag: Rag,
    pub direction: Direction,
    /// Why there is no value (`#N/A in Scorecard!I9`, `blank`), when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub england: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub neighbours: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commentary: Option<String>,
    /// The last points of the monthly series, oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub trend: Vec<Option<f64>>,
    /// Where the row is, for messages.
    #[serde(skip)]
    pub at: String,
}

impl Indicator {
    /// How this indicator's values are printed (and compared).
    pub fn format(&self) -> ValueFormat {
        ValueFormat::with_decimals(self.unit, self.decimals)
    }
}

/// A rated scorecard.
#[derive(Debug, Clone)]
pub struct Scorecard {
    /// The reporting period (`July 2014`), if the workbook tells it.
    pub period: Option<String>,
    pub indicators: Vec<Indicator>,
    pub totals: Totals,
    /// Columns the workbook has (keys), so the default display can follow the data.
    pub present_columns: Vec<String>,
    /// Whether a monthly series was read.
    pub has_series: bool,
    /// Values of the workbook's defined names that point at single cells, as text.
    pub named_values: BTreeMap<String, String>,
    /// The table as printed.
    pub table: crate::model::ScorecardTable,
    /// Refs of the hidden rows left out (`include-hidden: true` keeps them).
    pub hidden_left_out: Vec<String>,
    /// Headers of hidden columns left out of the header search.
    pub hidden_columns_left_out: Vec<String>,
    /// What the author should know but that does not stop the paper: formulas computed, mixed
    /// percentage formats, settings for hidden rows.
    pub warnings: Vec<Diagnostic>,
}

/// Reads, checks and rates a scorecard.
pub fn load_scorecard(config: &ScorecardConfig, workbook: &mut Workbook) -> Result<Scorecard> {
    let sheet = match &config.sheet {
        Some(s) => s.value.clone(),
        None => {
            let names = workbook.sheet_names();
            if names.iter().any(|n| n == "Scorecard") {
                "Scorecard".to_string()
            } else {
                names
                    .first()
                    .cloned()
                    .ok_or_else(|| Diagnostic::new(workbook.name.clone(), "the workbook has no sheets"))?
            }
        }
    };
    let specs: Vec<ColumnSpec> = COLUMNS
        .iter()
        .map(|(key, names)| ColumnSpec {
            key: key.to_string(),
            names: match config.headers.get(*key) {
                Some(h) => vec![h.value.clone()],
                None => names.iter().map(|n| n.to_string()).collect(),
            },
            required: REQUIRED.contains(key),
        })
        .collect();
    for (key, header) in &config.headers {
        if !COLUMNS.iter().any(|(k, _)| k == key) {
            return Err(unknown_column_key(key, &header.at));
        }
    }
    // Errors about the workbook's sheets also name the paper file line that chose the sheet.
    let (sheet_at, sheet_chosen) = match &config.sheet {
        Some(s) => (s.at.clone(), format!("sheet: {}", s.value)),
        None => (config.workbook_at.clone(), format!("workbook: {}", config.workbook_as_written)),
    };
    let table = workbook
        .table(&sheet, config.header_row, &specs, config.include_hidden)
        .map_err(|e| crate::diagnostic::chosen_at(e, &sheet_at, &sheet_chosen))?;
    let present_columns: Vec<String> = table.columns.iter().map(|c| c.key.clone()).collect();

    let series = match &config.series_sheet {
        Some(s) => Some(
            read_series(workbook, &s.value, config.percent_as_fraction.is_none())
                .map_err(|e| crate::diagnostic::chosen_at(e, &s.at, &format!("series-sheet: {}", s.value)))?,
        ),
        None => None,
    };
    let mut hidden_left_out: Vec<String> = Vec::new();
    let mut percent_notes = super::percent::Notes::default();

    let mut indicators: Vec<Indicator> = Vec::new();
    let mut seen: BTreeMap<String, CellRef> = BTreeMap::new();
    // Section names in sheet order, and their compared forms (a set, so that long sheets with
    // many sections are not scanned once per row).
    let mut sections_seen: Vec<String> = Vec::new();
    let mut section_keys: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut filtered_out: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for row in &table.rows {
        let row_at = |key: &str| row.get(key).map(|c| workbook.error_at(&c.at, "").location).unwrap_or_default();
        let Some(ref_cell) = row.get("ref") else {
            // Named by its row: the data may all be in columns the scorecard does not read.
            let at = format!("{} › {}!A{}", workbook.name, table.sheet, row.row + 1);
            return Err(Diagnostic::new(at, "this row has data but no Ref")
                .with_hint("give every indicator a Ref, or delete the row")
                .into());
        };
        let reference = cell_text(&ref_cell.value);
        if let Some(first) = seen.get(&reference) {
            return Err(workbook
                .error_at(&ref_cell.at, format!("duplicate Ref {reference:?}: it is also used at {first}"))
                .with_hint("each indicator needs its own Ref")
                .into());
        }
        seen.insert(reference.clone(), ref_cell.at.clone());
        let name = row.get("indicator").map(|c| cell_text(&c.value)).unwrap_or_default();
        if name.is_empty() {
            return Err(workbook
                .error_at(&ref_cell.at, format!("indicator {reference} has no name in the Indicator column"))
                .into());
        }
        let section = row
            .get("section")
            .map(|c| cell_text(&c.value))
            .or_else(|| row.section_heading.clone())
            .filter(|s| !s.is_empty());
        if let Some(section) = &section {
            if section_keys.insert(crate::config::section_key(section)) {
                sections_seen.push(section.clone());
            }
        }
        // Hidden rows are not shown, as in Excel (a retired indicator), unless asked for.
        if row.hidden && !config.include_hidden {
            hidden_left_out.push(reference);
            continue;
        }
        // Rows the paper does not show are not read further, so a problem in another panel's
        // part of a shared workbook does not stop this paper.
        if config.filter.as_ref().is_some_and(|f| !f.selects(&reference, section.as_deref())) {
            filtered_out.insert(reference);
            continue;
        }
        // A formula without a known result is never read as a blank.
        if let Some((cell, problem)) = row.cells.values().find_map(|c| c.formula_problem.as_ref().map(|p| (c, p))) {
            return Err(workbook.formula_error(&cell.at, problem).into());
        }
        for key in ["ref", "indicator", "section", "commentary"] {
            if let Some(cell) = row.get(key) {
                check_length(workbook, cell, key)?;
            }
        }
        let settings = config.indicators.get(&reference);

        let text_setting = |key: &str| row.get(key).map(|c| (cell_text(&c.value), c));
        // Polarity: the YAML wins, then the workbook.
        let polarity = match settings.and_then(|s| s.polarity.as_ref()) {
            Some(p) => parse_polarity(&p.value).map_err(|e| located(&p.at, e.to_string()))?,
            None => match text_setting("polarity") {
                Some((text, cell)) => parse_polarity(&text).map_err(|e| workbook.error_at(&cell.at, e.to_string()))?,
                None => None,
            },
        };
        let unit = match settings.and_then(|s| s.unit.as_ref()) {
            Some(u) => parse_unit(&u.value).map_err(|e| located(&u.at, e.to_string()))?,
            None => match text_setting("unit") {
                Some((text, cell)) => parse_unit(&text).map_err(|e| workbook.error_at(&cell.at, e.to_string()))?,
                // A Current value formatted as a percentage makes a percentage indicator.
                None if row.get("current").is_some_and(|c| c.percent) => Unit::Percent,
                None => Unit::Count,
            },
        };
        if config.percent_as_fraction.is_none() {
            let unit_at =
                settings.and_then(|s| s.unit.as_ref()).map(|u| u.at.clone()).unwrap_or_else(|| row_at("unit"));
            super::percent::check_unit(workbook, row, unit, &reference, &unit_at)?;
        }
        let decimals = match settings.and_then(|s| s.decimals.as_ref()) {
            Some(d) => d.value,
            None => match row.get("decimals") {
                Some(cell) => match number_in(workbook, cell, false, false)? {
                    Some(d) if d >= 0.0 && d <= 6.0 && d.fract() == 0.0 => d as u8,
                    _ => {
                        return Err(workbook
                            .error_at(
                                &cell.at,
                                format!(
                                    "expected a whole number of decimal places from 0 to 6, found {:?}",
                                    cell_text(&cell.value)
                                ),
                            )
                            .into());
                    }
                },
                None => default_decimals(unit),
            },
        };
        let period_type = match settings.and_then(|s| s.period.as_ref()) {
            Some(p) => Some(parse_period_type(&p.value).map_err(|e| located(&p.at, e.to_string()))?),
            None => match text_setting("period") {
                Some((text, cell)) => {
                    Some(parse_period_type(&text).map_err(|e| workbook.error_at(&cell.at, e.to_string()))?)
                }
                None => None,
            },
        };
        // Each cell of a percentage indicator is read by its own format (0.785 formatted 0.0%
        // is 78.5), unless the paper file overrides the formats.
        let fraction = |cell: &Cell| unit == Unit::Percent && config.percent_as_fraction.unwrap_or(cell.percent);
        let value_of = |key: &str| -> Result<Option<f64>> {
            match row.get(key) {
                Some(cell) => number_in(workbook, cell, fraction(cell), true),
                None => Ok(None),
            }
        };
        if unit == Unit::Percent && config.percent_as_fraction.is_none() {
            percent_notes.judge(workbook, row, &reference)?;
        }
        let series_fraction = unit == Unit::Percent && config.percent_as_fraction == Some(true);
        let mut missing_reason = None;
        let current = match row.get("current") {
            None => {
                missing_reason = Some("blank".to_string());
                None
            }
            Some(cell) => match &cell.value {
                Data::Error(e) => {
                    missing_reason = Some(format!("{e} in {}", cell.at));
                    None
                }
                _ => {
                    let v = number_in(workbook, cell, fraction(cell), true)?;
                    if v.is_none() {
                        missing_reason = Some(format!("{:?} in {}", cell_text(&cell.value), cell.at));
                    }
                    v
                }
            },
        };
        let series_values = series.as_ref().and_then(|s| s.rows.get(&reference));
        let mut previous = value_of("previous")?;
        if previous.is_none() {
            if let Some(points) = series_values {
                // The month before the latest one in the series.
                previous =
                    points.iter().rev().nth(1).copied().flatten().map(|v| if series_fraction { v * 100.0 } else { v });
            }
        }
        let target = match settings.and_then(|s| s.target.as_ref()) {
            Some(t) => Some(t.value),
            None => value_of("target")?,
        };
        let floor = match settings.and_then(|s| s.floor.as_ref()) {
            Some(f) => Some(f.value),
            None => value_of("floor")?,
        };
        let rag = rate(current, target, floor, polarity, ValueFormat::with_decimals(unit, decimals)).map_err(|e| {
            let target_at =
                settings.and_then(|s| s.target.as_ref()).map(|t| t.at.clone()).unwrap_or_else(|| row_at("target"));
            let floor_at =
                settings.and_then(|s| s.floor.as_ref()).map(|t| t.at.clone()).unwrap_or_else(|| row_at("floor"));
            let polarity_at =
                settings.and_then(|s| s.polarity.as_ref()).map(|t| t.at.clone()).unwrap_or_else(|| row_at("polarity"));
            let (at, cells) = match e {
                RuleError::TargetWithoutPolarity => (polarity_at.clone(), String::new()),
                RuleError::FloorWrongSide { .. } | RuleError::FloorWithoutTarget => {
                    (floor_at.clone(), format!(" (target at {}, floor at {})", or_none(&target_at), or_none(&floor_at)))
                }
            };
            let at = if at.is_empty() { row_at("ref") } else { at };
            Diagnostic::new(at, format!("indicator {reference} {name:?}: {e}{cells}"))
        })?;
        let direction = travel(previous, current, polarity, ValueFormat::with_decimals(unit, decimals)).direction;
        let comparator = |key: &str| value_of(key);
        let trend = match series_values {
            Some(points) => {
                let n = config.trend_points.min(points.len());
                points[points.len() - n..]
                    .iter()
                    .map(|v| v.map(|v| if series_fraction { v * 100.0 } else { v }))
                    .collect()
            }
            None => Vec::new(),
        };
        indicators.push(Indicator {
            reference,
            name,
            section,
            value: current,
            previous,
            target,
            floor,
            polarity,
            decimals,
            unit,
            period_type,
            rag,
            direction,
            missing_reason: if current.is_none() { missing_reason } else { None },
            england: comparator("england")?,
            neighbours: comparator("neighbours")?,
            commentary: row.get("commentary").map(|c| cell_text(&c.value)).filter(|s| !s.is_empty()),
            trend,
            at: row_at("ref"),
        });
    }
    if let Some(filter) = &config.filter {
        check_filter(filter, &seen, &sections_seen)?;
        if let Some(wanted) = filter.include.iter().find(|r| hidden_left_out.contains(&r.value.trim().to_string())) {
            return Err(Diagnostic::new(
                wanted.at.clone(),
                format!("`include` names indicator {:?}, whose row is hidden in the workbook", wanted.value),
            )
            .with_hint("unhide the row, or set `include-hidden: true`")
            .into());
        }
    }
    let mut warnings: Vec<Diagnostic> = Vec::new();
    let sheet_location = format!("{} › {}", workbook.name, table.sheet);
    warnings.extend(percent_notes.warnings(&sheet_location));
    for (reference, settings) in &config.indicators {
        if hidden_left_out.contains(reference) {
            warnings.push(Diagnostic::new(
                settings.at.clone(),
                format!(
                    "settings are given for indicator {reference:?}, whose row is hidden in the workbook and left out"
                ),
            ));
        }
    }
    if indicators.is_empty() {
        return Err(Diagnostic::new(
            format!("{} › {}", workbook.name, table.sheet),
            format!("no indicator rows under the header row {}", table.header_row + 1),
        )
        .into());
    }
    for (reference, settings) in &config.indicators {
        if hidden_left_out.contains(reference) {
            continue;
        }
        if !seen.contains_key(reference) {
            let mut d = Diagnostic::new(
                settings.at.clone(),
                format!("settings are given for indicator {reference:?}, which the workbook does not have"),
            );
            if let Some(best) = did_you_mean(reference, seen.keys().map(String::as_str)) {
                d = d.with_hint(format!("did you mean {best:?}?"));
            }
            return Err(d.into());
        }
        if filtered_out.contains(reference) {
            return Err(Diagnostic::new(
                settings.at.clone(),
                format!(
                    "settings are given for indicator {reference:?}, which `sections`/`include` leave out of this paper"
                ),
            )
            .with_hint(format!("add {reference:?} to `include`, or delete its settings"))
            .into());
        }
    }

    let mut totals = Totals::default();
    for i in &indicators {
        match i.rag {
            Rag::Green => totals.green += 1,
            Rag::Amber => totals.amber += 1,
            Rag::Red => totals.red += 1,
            Rag::Na => totals.na += 1,
            Rag::None => totals.none += 1,
        }
    }

    let named_values = named_values(workbook);
    let period = reporting_period(config, workbook, series.as_ref())?;
    // Warnings about the sheets this scorecard read (formulas computed), first.
    let mut sheets_read = vec![table.sheet.clone()];
    sheets_read.extend(config.series_sheet.as_ref().map(|s| s.value.clone()));
    if let Some(at) = config.period.as_ref().and_then(|p| workbook.resolve_cell(&p.value).ok().flatten()) {
        sheets_read.push(at.sheet);
    }
    sheets_read.dedup();
    let mut all_warnings: Vec<Diagnostic> =
        sheets_read.iter().flat_map(|s| workbook.sheet_warnings(s).iter().cloned()).collect();
    all_warnings.extend(warnings);
    let hidden_columns_left_out: Vec<String> = table.hidden_columns.iter().map(|c| c.header.clone()).collect();
    let mut card = Scorecard {
        period,
        indicators,
        totals,
        present_columns,
        has_series: series.is_some(),
        named_values,
        table: crate::model::ScorecardTable { period: None, columns: vec![], groups: vec![], key: vec![], totals },
        hidden_left_out,
        hidden_columns_left_out,
        warnings: all_warnings,
    };
    card.table = super::table::scorecard_table(&card, config)?;
    Ok(card)
}

/// The longest texts the printed table takes, in characters. A scorecard row is one line of a
/// landscape table: a Ref longer than a code, an indicator name longer than a couple of
/// sentences, or a commentary longer than a short paragraph is almost always a paste into the
/// wrong cell, and would stretch one row over pages. Longer texts are an error naming the cell.
pub const MAX_TEXT_CHARS: &[(&str, usize)] = &[("ref", 40), ("indicator", 300), ("section", 300), ("commentary", 2000)];

fn check_length(workbook: &Workbook, cell: &Cell, key: &str) -> Result<()> {
    let Some((_, max)) = MAX_TEXT_CHARS.iter().find(|(k, _)| *k == key) else {
        return Ok(());
    };
    let length = cell_text(&cell.value).chars().count();
    if length > *max {
        let what = match key {
            "ref" => "a Ref",
            "indicator" => "an indicator name",
            "section" => "a section name",
            _ => "a commentary",
        };
        return Err(workbook
            .error_at(&cell.at, format!("{what} may have at most {max} characters; this one has {length}"))
            .with_hint("shorten it; the printed table gives each indicator one row")
            .into());
    }
    Ok(())
}

/// Every section and Ref the filter names must exist: a misspelt section would otherwise
/// silently drop indicators from a published paper.
fn check_filter(
    filter: &crate::config::IndicatorFilter,
    refs: &BTreeMap<String, CellRef>,
    sections: &[String],
) -> Result<()> {
    for wanted in &filter.sections {
        if !sections.iter().any(|s| crate::config::same_section(s, &wanted.value)) {
            let mut d =
                Diagnostic::new(wanted.at.clone(), format!("the scorecard sheet has no section {:?}", wanted.value));
            d = d.with_hint(match did_you_mean(&wanted.value, sections.iter().map(String::as_str)) {
                Some(best) => format!("did you mean {best:?}?"),
                None => {
                    format!(
                        "its sections: {}",
                        sections.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ")
                    )
                }
            });
            return Err(d.into());
        }
    }
    for wanted in &filter.include {
        if !refs.contains_key(wanted.value.trim()) {
            let mut d = Diagnostic::new(
                wanted.at.clone(),
                format!("`include` names indicator {:?}, which the workbook does not have", wanted.value),
            );
            if let Some(best) = did_you_mean(&wanted.value, refs.keys().map(String::as_str)) {
                d = d.with_hint(format!("did you mean {best:?}?"));
            }
            return Err(d.into());
        }
    }
    Ok(())
}

fn or_none(at: &str) -> &str {
    if at.is_empty() { "nowhere" } else { at }
}

fn located(at: &str, message: String) -> Diagnostic {
    Diagnostic::new(at.to_string(), message)
}

fn unknown_column_key(key: &str, at: &str) -> anyhow::Error {
    let keys: Vec<&str> = COLUMNS.iter().map(|(k, _)| *k).collect();
    Diagnostic::new(at.to_string(), format!("unknown column {key:?}"))
        .with_suggestion(key, &keys, Some("columns"))
        .into()
}

/// The number in a cell. Blank, `n/a` and `-` are missing; Excel error cells are missing (the
/// caller keeps the reason); text that is not a number is an error naming the cell.
fn number_in(workbook: &Workbook, cell: &Cell, percent_as_fraction: bool, allow_errors: bool) -> Result<Option<f64>> {
    if let Some(problem) = &cell.formula_problem {
        return Err(workbook.formula_error(&cell.at, problem).into());
    }
    let scale = |v: f64| if percent_as_fraction { v * 100.0 } else { v };
    match &cell.value {
        Data::Empty => Ok(None),
        Data::Float(f) if f.is_finite() => Ok(Some(scale(*f))),
        Data::Float(_) => {
            Err(workbook.error_at(&cell.at, "expected a number, found an infinite or undefined value").into())
        }
        Data::Int(i) => Ok(Some(scale(*i as f64))),
        Data::String(s) => match parse_number_text(s) {
            NumberText::Missing => Ok(None),
            // "12.5%" typed as text is already in percentage points.
            NumberText::Number(v) => Ok(Some(if s.contains('%') { v } else { scale(v) })),
            NumberText::NotANumber => {
                Err(workbook.error_at(&cell.at, format!("expected a number, found {:?}", s.trim())).into())
            }
        },
        Data::Error(_) if allow_errors => Ok(None),
        Data::Error(e) => Err(workbook.error_at(&cell.at, format!("expected a number, found the error {e}")).into()),
        Data::Bool(b) => Err(workbook
            .error_at(&cell.at, format!("expected a number, found {}", if *b { "TRUE" } else { "FALSE" }))
            .into()),
        Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => Err(workbook
            .error_at(&cell.at, format!("expected a number, found a date ({})", cell_text(&cell.value)))
            .with_hint("the cell is formatted as a date: format it as a number")
            .into()),
    }
}

/// A monthly series: Ref -> values in month order.
#[derive(Debug, Clone)]
pub struct Series {
    pub months: Vec<NaiveDate>,
    pub rows: BTreeMap<String, Vec<Option<f64>>>,
}

/// Reads the series sheet: a `Ref` column and one column per month, headed by real dates or
/// texts such as `Jul-14`, `Jul 2014`, `July 2014`. With `by_format`, cells formatted as
/// percentages are read as fractions (× 100), as the workbook shows them.
fn read_series(workbook: &mut Workbook, sheet: &str, by_format: bool) -> Result<Series> {
    let name = workbook.name.clone();
    let range = workbook.range(sheet)?.clone();
    let Some((start_row, start_col)) = range.start() else {
        return Err(Diagnostic::new(format!("{name} › {sheet}"), "the series sheet is empty").into());
    };
    let (end_row, end_col) = range.end().unwrap_or((start_row, start_col));
    // The header row is the first row with a Ref cell.
    let mut header = None;
    'rows: for row in start_row..=end_row.min(start_row + 50) {
        for col in start_col..=end_col {
            if let Some(v) = range.get_value((row, col)) {
                if cell_text(v).eq_ignore_ascii_case("ref") {
                    header = Some((row, col));
                    break 'rows;
                }
            }
        }
    }
    let Some((header_row, ref_col)) = header else {
        return Err(Diagnostic::new(
            format!("{name} › {sheet}"),
            "no header row with a \"Ref\" column found in the series sheet",
        )
        .with_hint("the series sheet needs a Ref column and one column per month")
        .into());
    };
    let mut month_cols: Vec<(NaiveDate, u32)> = Vec::new();
    for col in ref_col + 1..=end_col {
        let value = range.get_value((header_row, col)).cloned().unwrap_or(Data::Empty);
        if matches!(value, Data::Empty) {
            continue;
        }
        let at = CellRef { sheet: sheet.to_string(), row: header_row, col };
        let month = month_of(&value).ok_or_else(|| {
            workbook.error_at(
                &at,
                format!(
                    "expected a month as the column header (a date, or text such as \"Jul-14\"), found {:?}",
                    cell_text(&value)
                ),
            )
        })?;
        month_cols.push((month, col));
    }
    month_cols.sort();
    for pair in month_cols.windows(2) {
        if pair[0].0 == pair[1].0 {
            let at = CellRef { sheet: sheet.to_string(), row: header_row, col: pair[1].1 };
            return Err(workbook
                .error_at(&at, format!("the month {} appears twice in the series header", pair[0].0.format("%B %Y")))
                .into());
        }
    }
    let mut rows = BTreeMap::new();
    for row in header_row + 1..=end_row {
        let reference = range.get_value((row, ref_col)).map(cell_text).unwrap_or_default();
        if reference.is_empty() {
            continue;
        }
        let mut values = Vec::new();
        for (_, col) in &month_cols {
            let cell = workbook.cell(&CellRef { sheet: sheet.to_string(), row, col: *col });
            values.push(number_in(workbook, &cell, by_format && cell.percent, true)?);
        }
        rows.insert(reference, values);
    }
    Ok(Series { months: month_cols.into_iter().map(|(m, _)| m).collect(), rows })
}

/// The first day of the month a header names.
fn month_of(value: &Data) -> Option<NaiveDate> {
    match value {
        Data::DateTime(dt) => dt.as_datetime().map(|d| d.date()).and_then(|d| d.with_day(1)),
        Data::DateTimeIso(s) => {
            NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").ok().and_then(|d| d.with_day(1))
        }
        Data::String(s) => parse_month_text(s),
        _ => None,
    }
}

/// `Jul-14`, `Jul 14`, `Jul 2014`, `July 2014`, `2014-07`.
pub fn parse_month_text(text: &str) -> Option<NaiveDate> {
    let t = text.trim().replace(['-', '/', '.'], " ");
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    for format in ["%b %y", "%B %y", "%b %Y", "%B %Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(&format!("1 {t}"), &format!("%d {format}")) {
            return Some(d);
        }
    }
    NaiveDate::parse_from_str(&format!("{t} 1"), "%Y %m %d").ok()
}

/// Text of a cell for a placeholder or a period: dates as `July 2014` (first of a month) or
/// `28 August 2014`.
fn value_text(value: &Data) -> String {
    let date = match value {
        Data::DateTime(dt) => dt.as_datetime().map(|d| d.date()),
        Data::DateTimeIso(s) => NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").ok(),
        _ => None,
    };
    match date {
        Some(d) if d.day() == 1 => d.format("%B %Y").to_string(),
        Some(d) => d.format("%-d %B %Y").to_string(),
        None => cell_text(value),
    }
}

fn named_values(workbook: &mut Workbook) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (name, _) in workbook.defined_names() {
        if let Ok(Some(at)) = workbook.resolve_cell(&name) {
            if let Ok(value) = workbook.value_at(&at) {
                out.insert(name, value_text(&value));
            }
        }
    }
    out
}

fn reporting_period(
    config: &ScorecardConfig,
    workbook: &mut Workbook,
    series: Option<&Series>,
) -> Result<Option<String>> {
    let lookup = |workbook: &mut Workbook, reference: &Located<String>| -> Result<String> {
        let Some(at) = workbook.resolve_cell(&reference.value)? else {
            let names: Vec<String> = workbook.defined_names().into_iter().map(|(n, _)| n).collect();
            let mut d = Diagnostic::new(
                reference.at.clone(),
                format!(
                    "`period: {}` is neither a defined name of {} nor a cell such as Info!B1",
                    reference.value, workbook.name
                ),
            );
            if let Some(best) = did_you_mean(&reference.value, names.iter().map(String::as_str)) {
                d = d.with_hint(format!("did you mean {best:?}?"));
            }
            return Err(d.into());
        };
        let value = workbook.value_at(&at)?;
        let text = value_text(&value);
        if text.is_empty() {
            return Err(workbook
                .error_at(&at, format!("the reporting period cell (named by `period: {}`) is empty", reference.value))
                .into());
        }
        Ok(text)
    };
    if let Some(reference) = &config.period {
        return lookup(workbook, reference)
            .map(Some)
            .map_err(|e| crate::diagnostic::chosen_at(e, &reference.at, &format!("period: {}", reference.value)));
    }
    if workbook.defined_names().iter().any(|(n, _)| n.eq_ignore_ascii_case("ReportingPeriod")) {
        let reference = Located { value: "ReportingPeriod".to_string(), at: config.workbook_at.clone(), line: 0 };
        return lookup(workbook, &reference).map(Some);
    }
    Ok(series.and_then(|s| s.months.last()).map(|m| m.format("%B %Y").to_string()))
}

/// Formats a value for the table, or an empty string when there is none.
pub fn format_optional(value: Option<f64>, unit: Unit, decimals: u8) -> String {
    value.map(|v| format_value(v, unit, decimals)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_headers_in_the_forms_authors_type() {
        let jul = NaiveDate::from_ymd_opt(2014, 7, 1);
        for text in ["Jul-14", "Jul 14", "Jul 2014", "July 2014", " jul-14 ", "2014-07"] {
            assert_eq!(parse_month_text(text), jul, "{text}");
        }
        assert_eq!(parse_month_text("Total"), None);
    }
}
