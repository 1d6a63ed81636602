//! Workbook table rows + paper-file settings in, a rated [`Scorecard`] out.
//!
//! [`load_scorecard`] is a short sequence of named steps: choose the sheet, [`workbook_columns`]
//! (which header texts name which column), read the table and the series, then for each row
//! `identify` it, keep it or leave it out (`sections`/`include`), and `rate_row`; then check
//! that the filter and the per-indicator settings name rows that exist, choose the
//! [`display_columns`], count the [`Totals`] and find the reporting period.
//!
//! Which wins when both give a setting: the paper file (`paper_wins`). An author who writes a
//! target in the YAML means it; the workbook supplies everything the YAML leaves out.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use calamine::Data;
use chrono::NaiveDate;
use serde::{Serialize, Serializer};

use super::cells::{NumberRules, number_in, value_text};
use super::columns::ColumnKey;
use super::format::{Unit, ValueFormat, default_decimals};
use super::parse::{ParseError, PeriodType, parse_period_type, parse_polarity, parse_rag, parse_unit, percent_points};
use super::percent::Notes as PercentNotes;
use super::rules::{
    Moves, Polarity, Rag, RatingMove, RuleError, Totals, Travel, exception_due, rate, rating_move, travel,
};
use super::series::{Series, read_series};
use crate::config::{
    IndicatorFilter, IndicatorSettings, Located, RequireCommentary, ScorecardConfig, same_section, section_key,
};
use crate::diagnostic::{Diagnostic, Warning, chosen_at, did_you_mean};
use crate::ingest::{Cell, CellRef, ColumnSpec, Table, TableRow, Workbook, cell_text};

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
    /// The rating in the previous period: the workbook's "Previous RAG" cell when it has one,
    /// else the previous value rated against the same target and floor (N/A without one).
    pub previous_rag: Rag,
    /// How the rating moved since the previous period.
    #[serde(rename = "move")]
    pub rating_move: RatingMove,
    /// Direction of travel; `check --json` shows its judgement as `direction`.
    #[serde(rename = "direction", serialize_with = "judgement")]
    pub travel: Travel,
    /// Why there is no value (`#N/A in Scorecard!I9`, `blank`), when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub england: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub neighbours: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commentary: Option<String>,
    /// The corrective action (exception reports).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Who owns the action.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The last points of the monthly series, oldest first (their months are
    /// [`Scorecard::trend_months`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub trend: Vec<Option<f64>>,
    /// Where the row is, for messages.
    #[serde(skip)]
    pub at: String,
}

fn judgement<S: Serializer>(travel: &Travel, serializer: S) -> Result<S::Ok, S::Error> {
    travel.direction.serialize(serializer)
}

impl Indicator {
    /// How this indicator's values are printed (and compared).
    pub fn format(&self) -> ValueFormat {
        ValueFormat::with_decimals(self.unit, self.decimals)
    }

    /// A value of this indicator as printed, or an empty string when there is none.
    pub fn printed(&self, value: Option<f64>) -> String {
        value.map(|v| self.format().format(v)).unwrap_or_default()
    }

    /// Whether the indicator needs an exception report (see [`exception_due`]).
    pub fn exception_due(&self, worsened_amber: bool) -> bool {
        exception_due(self.rag, self.rating_move, self.travel.direction, worsened_amber)
    }
}

/// A column of the printed table and its header text.
#[derive(Debug, Clone, PartialEq)]
pub struct DisplayColumn {
    pub key: ColumnKey,
    pub label: String,
}

/// A rated scorecard.
#[derive(Debug, Clone)]
pub struct Scorecard {
    /// The reporting period (`July 2014`), if the workbook tells it.
    pub period: Option<String>,
    pub indicators: Vec<Indicator>,
    pub totals: Totals,
    /// How the ratings moved since the previous period.
    pub moves: Moves,
    /// The columns the printed table shows, in order.
    pub columns: Vec<DisplayColumn>,
    /// The months of the trend points, oldest first (empty without a series).
    pub trend_months: Vec<NaiveDate>,
    /// Values of the workbook's defined names that point at single cells, as text.
    pub named_values: BTreeMap<String, String>,
    /// Refs of the rows hidden in the workbook and left out (`include-hidden: true` keeps them).
    pub hidden_left_out: Vec<String>,
    /// Headers of the hidden columns left out of the header search.
    pub hidden_columns_left_out: Vec<String>,
    /// What the author should know but that does not stop the paper: formulas computed, mixed
    /// percentage formats, settings for hidden rows.
    pub warnings: Vec<Warning>,
}

/// Reads, checks and rates a scorecard.
pub fn load_scorecard(config: &ScorecardConfig, workbook: &mut Workbook) -> Result<Scorecard> {
    let sheet = choose_sheet(config, workbook)?;
    let specs = workbook_columns(config)?;
    // Errors about the workbook's sheets also name the paper-file line that chose the sheet.
    let (sheet_at, sheet_chosen) = match &config.sheet {
        Some(s) => (s.at.clone(), format!("sheet: {}", s.value)),
        None => (config.workbook_at.clone(), format!("workbook: {}", config.workbook_as_written)),
    };
    let table = workbook
        .table(&sheet, config.header_row, &specs, ColumnKey::Ref, config.include_hidden)
        .map_err(|e| chosen_at(e, &sheet_at, &sheet_chosen))?;
    let series = match &config.series_sheet {
        Some(s) => Some(
            read_series(workbook, &s.value, config.percent_as_fraction.is_none())
                .map_err(|e| chosen_at(e, &s.at, &format!("series-sheet: {}", s.value)))?,
        ),
        None => None,
    };
    let read = read_indicators(config, workbook, &table, series.as_ref())?;
    let indicators = read.indicators;
    let trend_points = indicators.iter().map(|i| i.trend.len()).max().unwrap_or(0);
    let present: Vec<ColumnKey> = table.columns.iter().map(|c| c.key).collect();
    let columns = display_columns(config, &present, series.is_some(), trend_points)?;
    let trend_months = series.as_ref().map(|s| s.months[s.months.len() - trend_points..].to_vec()).unwrap_or_default();
    let period = reporting_period(config, workbook, series.as_ref())?;
    // Warnings about the sheets this scorecard read (formulas computed) first, then the rows'.
    let mut sheets_read = vec![table.sheet.clone()];
    sheets_read.extend(config.series_sheet.as_ref().map(|s| s.value.clone()));
    if let Some(at) = config.period.as_ref().and_then(|p| workbook.resolve_cell(&p.value).ok().flatten()) {
        sheets_read.push(at.sheet);
    }
    sheets_read.dedup();
    let mut warnings: Vec<Warning> = sheets_read.iter().flat_map(|s| workbook.sheet_warnings(s).to_vec()).collect();
    warnings.extend(read.warnings);
    Ok(Scorecard {
        period,
        totals: Totals::of(indicators.iter().map(|i| i.rag)),
        moves: Moves::of(indicators.iter().map(|i| (i.previous_rag, i.rag))),
        indicators,
        columns,
        trend_months,
        named_values: named_values(workbook),
        hidden_left_out: read.hidden,
        hidden_columns_left_out: table.hidden_columns.iter().map(|c| c.header.clone()).collect(),
        warnings,
    })
}

/// The sheet the paper file names, else `Scorecard`, else the first sheet.
fn choose_sheet(config: &ScorecardConfig, workbook: &Workbook) -> Result<String> {
    if let Some(sheet) = &config.sheet {
        return Ok(sheet.value.clone());
    }
    let names = workbook.sheet_names();
    if names.iter().any(|n| n == "Scorecard") {
        return Ok("Scorecard".to_string());
    }
    names.first().cloned().ok_or_else(|| Diagnostic::new(workbook.name.clone(), "the workbook has no sheets").into())
}

/// The columns read from the workbook with the header texts that name them: the paper file's
/// `headers:` mapping, or each column's usual names.
pub fn workbook_columns(config: &ScorecardConfig) -> Result<Vec<ColumnSpec<ColumnKey>>> {
    for (key, header) in &config.headers {
        if ColumnKey::parse(key).is_none_or(|k| k.header_names().is_empty()) {
            let keys: Vec<&str> = ColumnKey::in_workbooks().map(ColumnKey::name).collect();
            return Err(Diagnostic::new(header.at.clone(), format!("unknown column {key:?}"))
                .with_suggestion(key, &keys, Some("columns"))
                .into());
        }
    }
    Ok(ColumnKey::in_workbooks()
        .map(|key| {
            let mapped = config.headers.iter().find(|(k, _)| ColumnKey::parse(k) == Some(key));
            key.spec(mapped.map(|(_, header)| vec![header.value.clone()]))
        })
        .collect())
}

/// What the rows of a sheet have shown so far: every Ref with its cell, every section, and the
/// Refs left out of this paper.
#[derive(Default)]
struct Seen {
    refs: BTreeMap<String, CellRef>,
    /// Section names in sheet order, and their compared forms (a set, so that long sheets with
    /// many sections are not scanned once per row).
    sections: Vec<String>,
    section_keys: BTreeSet<String>,
    left_out: BTreeSet<String>,
    /// Refs of the hidden rows left out, in sheet order.
    hidden: Vec<String>,
}

/// The rows a paper shows, rated, and what was noticed on the way.
struct ReadRows {
    indicators: Vec<Indicator>,
    /// Refs of the hidden rows left out.
    hidden: Vec<String>,
    warnings: Vec<Warning>,
}

/// A row's Ref, name and section.
struct Identity {
    reference: String,
    name: String,
    section: Option<String>,
}

/// Every row of the table the paper shows, rated.
fn read_indicators(
    config: &ScorecardConfig,
    workbook: &Workbook,
    table: &Table<ColumnKey>,
    series: Option<&Series>,
) -> Result<ReadRows> {
    let mut seen = Seen::default();
    let mut notes = PercentNotes::default();
    let mut indicators = Vec::new();
    for row in &table.rows {
        let identity = identify(workbook, &table.sheet, row, &mut seen)?;
        // Hidden rows are not shown, as in Excel (a retired indicator), unless asked for.
        if row.hidden && !config.include_hidden {
            seen.hidden.push(identity.reference);
            continue;
        }
        // Rows the paper does not show are not read further, so a problem in another panel's
        // part of a shared workbook does not stop this paper.
        if config.filter.as_ref().is_some_and(|f| !f.selects(&identity.reference, identity.section.as_deref())) {
            seen.left_out.insert(identity.reference);
            continue;
        }
        // A formula without a known result is never read as a blank.
        if let Some((cell, problem)) = row.cells.values().find_map(|c| c.formula_problem.as_ref().map(|p| (c, p))) {
            return Err(workbook.formula_error(&cell.at, problem).into());
        }
        check_lengths(workbook, row)?;
        let indicator = rate_row(config, workbook, row, identity, series, &mut notes)?;
        if let Some(required) = &config.require_commentary {
            check_commentary(required, workbook, table, row, &indicator)?;
        }
        indicators.push(indicator);
    }
    if let Some(filter) = &config.filter {
        check_filter(filter, &seen)?;
    }
    if indicators.is_empty() {
        return Err(Diagnostic::new(
            format!("{} › {}", workbook.name, table.sheet),
            format!("no indicator rows under the header row {}", table.header_row + 1),
        )
        .into());
    }
    check_settings(config, &seen)?;
    let mut warnings = notes.warnings(&format!("{} › {}", workbook.name, table.sheet));
    for (reference, settings) in &config.indicators {
        if seen.hidden.contains(reference) {
            warnings.push(Warning::new(
                settings.at.clone(),
                format!(
                    "settings are given for indicator {reference:?}, whose row is hidden in the workbook and left out"
                ),
            ));
        }
    }
    Ok(ReadRows { indicators, hidden: seen.hidden, warnings })
}

/// The Ref (present and unique), the name (present) and the section of a row.
fn identify(workbook: &Workbook, sheet: &str, row: &TableRow<ColumnKey>, seen: &mut Seen) -> Result<Identity> {
    let Some(ref_cell) = row.get(ColumnKey::Ref) else {
        // Named by its row: the data may all be in columns the scorecard does not read.
        let at = format!("{} › {}", workbook.name, CellRef { sheet: sheet.to_string(), row: row.row, col: 0 });
        return Err(Diagnostic::new(at, "this row has data but no Ref")
            .with_hint("give every indicator a Ref, or delete the row")
            .into());
    };
    let reference = cell_text(&ref_cell.value);
    if let Some(first) = seen.refs.get(&reference) {
        return Err(workbook
            .error_at(&ref_cell.at, format!("duplicate Ref {reference:?}: it is also used at {first}"))
            .with_hint("each indicator needs its own Ref")
            .into());
    }
    seen.refs.insert(reference.clone(), ref_cell.at.clone());
    let name = row.get(ColumnKey::Indicator).map(|c| cell_text(&c.value)).unwrap_or_default();
    if name.is_empty() {
        return Err(workbook
            .error_at(&ref_cell.at, format!("indicator {reference} has no name in the Indicator column"))
            .into());
    }
    let section = row
        .get(ColumnKey::Section)
        .map(|c| cell_text(&c.value))
        .or_else(|| row.section_heading.clone())
        .filter(|s| !s.is_empty());
    if let Some(section) = &section
        && seen.section_keys.insert(section_key(section))
    {
        seen.sections.push(section.clone());
    }
    Ok(Identity { reference, name, section })
}

/// An indicator whose rating `require-commentary` lists must have a commentary: a missing one
/// is an error naming the cell it belongs in, so an incomplete paper is never built by mistake.
fn check_commentary(
    required: &RequireCommentary,
    workbook: &Workbook,
    table: &Table<ColumnKey>,
    row: &TableRow<ColumnKey>,
    indicator: &Indicator,
) -> Result<()> {
    let rating = match indicator.rag {
        Rag::Red if required.red => "Red",
        Rag::Amber if required.amber => "Amber",
        _ => return Ok(()),
    };
    if indicator.commentary.is_some() {
        return Ok(());
    }
    let what =
        format!("indicator {} {:?} is rated {rating} but has no commentary", indicator.reference, indicator.name);
    let requires = format!("{} requires one: {}", required.at, required.as_written);
    let error = match table.columns.iter().find(|c| c.key == ColumnKey::Commentary) {
        Some(column) => {
            let at = CellRef { sheet: table.sheet.clone(), row: row.row, col: column.col };
            workbook.error_at(&at, format!("{what} ({requires})")).with_hint(format!(
                "write in this cell why the indicator is off target, or take `{}` out of `require-commentary`",
                rating.to_lowercase()
            ))
        }
        None => {
            Diagnostic::new(indicator.at.clone(), format!("{what}: the sheet has no Commentary column ({requires})"))
                .with_hint("add a column headed \"Commentary\", or name yours with `headers: { commentary: \"…\" }`")
        }
    };
    Err(error.into())
}

/// Texts longer than their column takes ([`ColumnKey::max_chars`]) are an error naming the cell.
fn check_lengths(workbook: &Workbook, row: &TableRow<ColumnKey>) -> Result<()> {
    for (key, cell) in &row.cells {
        let Some((max, what)) = key.max_chars() else { continue };
        let length = cell_text(&cell.value).chars().count();
        if length > max {
            return Err(workbook
                .error_at(&cell.at, format!("{what} may have at most {max} characters; this one has {length}"))
                .with_hint("shorten it; the printed table gives each indicator one row")
                .into());
        }
    }
    Ok(())
}

/// A setting the paper file and the workbook can both give: the paper file's when it gives one,
/// else the workbook cell's, else `None`. Each reader locates its own errors.
fn paper_wins<Y, T>(
    paper: Option<&Located<Y>>,
    from_paper: impl FnOnce(&Y) -> Result<T, String>,
    cell: Option<&Cell>,
    from_cell: impl FnOnce(&Cell) -> Result<T>,
) -> Result<Option<T>> {
    match (paper, cell) {
        (Some(p), _) => from_paper(&p.value).map(Some).map_err(|e| Diagnostic::new(p.at.clone(), e).into()),
        (None, Some(cell)) => from_cell(cell).map(Some),
        (None, None) => Ok(None),
    }
}

/// Where a setting was read: its paper-file line, its workbook cell, or `""` when it was given
/// by neither.
fn origin<Y>(paper: Option<&Located<Y>>, cell: Option<&Cell>, workbook: &Workbook) -> String {
    match (paper, cell) {
        (Some(p), _) => p.at.clone(),
        (None, Some(cell)) => workbook.error_at(&cell.at, "").location,
        (None, None) => String::new(),
    }
}

/// A word setting (polarity, unit, period) from text.
fn parse_text<T>(parse: impl Fn(&str) -> Result<T, ParseError>) -> impl Fn(&String) -> Result<T, String> {
    move |text| parse(text).map_err(|e| e.to_string())
}

/// A word setting read from a workbook cell, errors naming the cell.
fn parse_cell<'a, T>(
    workbook: &'a Workbook,
    parse: impl Fn(&str) -> Result<T, ParseError> + 'a,
) -> impl FnOnce(&Cell) -> Result<T> + 'a {
    move |cell| parse(&cell_text(&cell.value)).map_err(|e| workbook.error_at(&cell.at, e.to_string()).into())
}

/// One row being read, with the paper file's settings for its indicator.
struct RowReader<'a> {
    workbook: &'a Workbook,
    row: &'a TableRow<ColumnKey>,
    settings: Option<&'a IndicatorSettings>,
    /// The paper file's `percent-as-fraction`: overrides the cells' number formats.
    percent_override: Option<bool>,
}

/// What an indicator is: which way is better, what it measures, how it is printed, and what
/// period its values cover.
struct Kind {
    polarity: Option<Polarity>,
    unit: Unit,
    decimals: u8,
    period_type: Option<PeriodType>,
}

impl<'a> RowReader<'a> {
    fn setting<Y>(
        &self,
        field: impl FnOnce(&'a IndicatorSettings) -> Option<&'a Located<Y>>,
    ) -> Option<&'a Located<Y>> {
        self.settings.and_then(field)
    }

    /// A word setting (polarity, unit, period type), the paper file's first.
    fn word<T>(
        &self,
        given: Option<&'a Located<String>>,
        key: ColumnKey,
        parse: impl Fn(&str) -> Result<T, ParseError> + Copy + 'a,
    ) -> Result<Option<T>> {
        paper_wins(given, parse_text(parse), self.row.get(key), parse_cell(self.workbook, parse))
    }

    /// How a cell's number is taken: a cell of a percentage indicator is read by its own
    /// format (0.785 formatted `0.0%` is 78.5), unless the paper file overrides the formats.
    fn rules(&self, cell: &Cell, unit: Unit) -> NumberRules {
        let fraction = unit == Unit::Percent && self.percent_override.unwrap_or(cell.percent);
        NumberRules { percent_as_fraction: fraction, errors_are_missing: true }
    }

    /// A number setting (target, floor), the paper file's first.
    fn number(&self, given: Option<&Located<f64>>, key: ColumnKey, unit: Unit) -> Result<Option<f64>> {
        let from_cell = |cell: &Cell| number_in(self.workbook, cell, self.rules(cell, unit));
        Ok(paper_wins(given, |v| Ok(Some(*v)), self.row.get(key), from_cell)?.flatten())
    }

    /// A number read from the workbook only (previous value, comparators).
    fn value(&self, key: ColumnKey, unit: Unit) -> Result<Option<f64>> {
        let cell = self.row.get(key);
        Ok(cell.map(|cell| number_in(self.workbook, cell, self.rules(cell, unit))).transpose()?.flatten())
    }

    fn kind(&self, reference: &str) -> Result<Kind> {
        let polarity = self.word(self.setting(|s| s.polarity.as_ref()), ColumnKey::Polarity, parse_polarity)?;
        // A Current value formatted as a percentage makes a percentage indicator.
        let current_is_percent = self.row.get(ColumnKey::Current).is_some_and(|c| c.percent);
        let default_unit = if current_is_percent { Unit::Percent } else { Unit::Count };
        let unit_setting = self.setting(|s| s.unit.as_ref());
        let unit = self.word(unit_setting, ColumnKey::Unit, parse_unit)?.unwrap_or(default_unit);
        if self.percent_override.is_none() {
            let unit_at = self.origin(unit_setting, ColumnKey::Unit);
            super::percent::check_unit(self.workbook, self.row, unit, reference, &unit_at)?;
        }
        let decimals = paper_wins(
            self.setting(|s| s.decimals.as_ref()),
            |d| Ok(*d),
            self.row.get(ColumnKey::Decimals),
            |cell| decimals_in(self.workbook, cell),
        )?
        .unwrap_or_else(|| default_decimals(unit));
        let period_type = self.word(self.setting(|s| s.period.as_ref()), ColumnKey::Period, parse_period_type)?;
        Ok(Kind { polarity: polarity.flatten(), unit, decimals, period_type })
    }

    /// Where a setting was read, for messages.
    fn origin<Y>(&self, paper: Option<&Located<Y>>, key: ColumnKey) -> String {
        origin(paper, self.row.get(key), self.workbook)
    }

    /// A row whose target, floor and polarity do not make sense together, located at the
    /// setting to change and naming the cells involved.
    fn rating_error(&self, error: RuleError, identity: &Identity) -> Diagnostic {
        let target_at = self.origin(self.setting(|s| s.target.as_ref()), ColumnKey::Target);
        let floor_at = self.origin(self.setting(|s| s.floor.as_ref()), ColumnKey::Floor);
        let (at, cells) = match error {
            RuleError::TargetWithoutPolarity => {
                (self.origin(self.setting(|s| s.polarity.as_ref()), ColumnKey::Polarity), String::new())
            }
            RuleError::FloorWrongSide { .. } | RuleError::FloorWithoutTarget => {
                let cells = format!(" (target at {}, floor at {})", or_nowhere(&target_at), or_nowhere(&floor_at));
                (floor_at, cells)
            }
        };
        let at = if at.is_empty() { self.origin::<()>(None, ColumnKey::Ref) } else { at };
        Diagnostic::new(at, format!("indicator {} {:?}: {error}{cells}", identity.reference, identity.name))
    }
}

/// Rates one indicator: what it is (paper file first), its values, its RAG rating, direction
/// of travel and trend.
fn rate_row(
    config: &ScorecardConfig,
    workbook: &Workbook,
    row: &TableRow<ColumnKey>,
    identity: Identity,
    series: Option<&Series>,
    notes: &mut PercentNotes,
) -> Result<Indicator> {
    let settings = config.indicators.get(&identity.reference);
    let reader = RowReader { workbook, row, settings, percent_override: config.percent_as_fraction };
    let Kind { polarity, unit, decimals, period_type } = reader.kind(&identity.reference)?;
    let format = ValueFormat::with_decimals(unit, decimals);
    if unit == Unit::Percent && config.percent_as_fraction.is_none() {
        notes.judge(workbook, row, &identity.reference)?;
    }
    // The series sheet was read by its formats already; only the override scales it here.
    let series_fraction = unit == Unit::Percent && config.percent_as_fraction == Some(true);

    let current_cell = row.get(ColumnKey::Current);
    let current_rules = current_cell.map(|cell| reader.rules(cell, unit)).unwrap_or_default();
    let (current, missing_reason) = current_value(workbook, current_cell, current_rules)?;
    let series_values = series.and_then(|s| s.rows.get(&identity.reference));
    // Without a Previous column, the month before the latest one in the series.
    let previous = match reader.value(ColumnKey::Previous, unit)? {
        Some(previous) => Some(previous),
        None => series_values
            .and_then(|points| points.iter().rev().nth(1).copied().flatten())
            .map(|v| percent_points(v, series_fraction)),
    };
    let target = reader.number(settings.and_then(|s| s.target.as_ref()), ColumnKey::Target, unit)?;
    let floor = reader.number(settings.and_then(|s| s.floor.as_ref()), ColumnKey::Floor, unit)?;
    let rag = rate(current, target, floor, polarity, format).map_err(|e| reader.rating_error(e, &identity))?;
    // The workbook's own previous rating wins (its targets may have changed since); else the
    // previous value is rated as the current one is. The rules' errors were caught just above.
    let previous_rag = match reader.word(None, ColumnKey::PreviousRag, parse_rag)?.flatten() {
        Some(given) => given,
        None => rate(previous, target, floor, polarity, format).map_err(|e| reader.rating_error(e, &identity))?,
    };
    let trend = series_values
        .map(|points| {
            let n = config.trend_points.min(points.len());
            points[points.len() - n..].iter().map(|v| v.map(|v| percent_points(v, series_fraction))).collect()
        })
        .unwrap_or_default();
    Ok(Indicator {
        at: reader.origin::<()>(None, ColumnKey::Ref),
        reference: identity.reference,
        name: identity.name,
        section: identity.section,
        value: current,
        previous,
        target,
        floor,
        polarity,
        decimals,
        unit,
        period_type,
        rag,
        previous_rag,
        rating_move: rating_move(previous_rag, rag),
        travel: travel(previous, current, polarity, format),
        missing_reason,
        england: reader.value(ColumnKey::England, unit)?,
        neighbours: reader.value(ColumnKey::Neighbours, unit)?,
        commentary: text_in(row, ColumnKey::Commentary),
        action: text_in(row, ColumnKey::Action),
        owner: text_in(row, ColumnKey::Owner),
        trend,
    })
}

/// The text of a cell, when it has any.
fn text_in(row: &TableRow<ColumnKey>, key: ColumnKey) -> Option<String> {
    row.get(key).map(|c| cell_text(&c.value)).filter(|s| !s.is_empty())
}

/// The current value, or why there is none (`blank`, `#N/A in Scorecard!I9`, `"n/a" in …`).
fn current_value(
    workbook: &Workbook,
    cell: Option<&Cell>,
    rules: NumberRules,
) -> Result<(Option<f64>, Option<String>)> {
    let Some(cell) = cell else {
        return Ok((None, Some("blank".to_string())));
    };
    if let Data::Error(e) = &cell.value {
        return Ok((None, Some(format!("{e} in {}", cell.at))));
    }
    Ok(match number_in(workbook, cell, rules)? {
        Some(value) => (Some(value), None),
        None => (None, Some(format!("{:?} in {}", cell_text(&cell.value), cell.at))),
    })
}

/// Decimal places from a workbook cell: a whole number from 0 to 6.
fn decimals_in(workbook: &Workbook, cell: &Cell) -> Result<u8> {
    match number_in(workbook, cell, NumberRules::default())? {
        Some(d) if (0.0..=6.0).contains(&d) && d.fract() == 0.0 => Ok(d as u8),
        _ => Err(workbook
            .error_at(
                &cell.at,
                format!("expected a whole number of decimal places from 0 to 6, found {:?}", cell_text(&cell.value)),
            )
            .into()),
    }
}

fn or_nowhere(at: &str) -> &str {
    if at.is_empty() { "nowhere" } else { at }
}

/// Every section and Ref the filter names must exist: a misspelt section would otherwise
/// silently drop indicators from a published paper.
fn check_filter(filter: &IndicatorFilter, seen: &Seen) -> Result<()> {
    for wanted in &filter.sections {
        if !seen.sections.iter().any(|s| same_section(s, &wanted.value)) {
            let hint = match did_you_mean(&wanted.value, seen.sections.iter().map(String::as_str)) {
                Some(best) => format!("did you mean {best:?}?"),
                None => format!(
                    "its sections: {}",
                    seen.sections.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ")
                ),
            };
            return Err(Diagnostic::new(
                wanted.at.clone(),
                format!("the scorecard sheet has no section {:?}", wanted.value),
            )
            .with_hint(hint)
            .into());
        }
    }
    for wanted in &filter.include {
        if !seen.refs.contains_key(wanted.value.trim()) {
            let mut d = Diagnostic::new(
                wanted.at.clone(),
                format!("`include` names indicator {:?}, which the workbook does not have", wanted.value),
            );
            if let Some(best) = did_you_mean(&wanted.value, seen.refs.keys().map(String::as_str)) {
                d = d.with_hint(format!("did you mean {best:?}?"));
            }
            return Err(d.into());
        }
    }
    if let Some(wanted) = filter.include.iter().find(|r| seen.hidden.iter().any(|h| h == r.value.trim())) {
        return Err(Diagnostic::new(
            wanted.at.clone(),
            format!("`include` names indicator {:?}, whose row is hidden in the workbook", wanted.value),
        )
        .with_hint("unhide the row, or set `include-hidden: true`")
        .into());
    }
    Ok(())
}

/// Settings given for an indicator the sheet does not have, or that the paper leaves out, are
/// mistakes: they would otherwise be silently ignored.
fn check_settings(config: &ScorecardConfig, seen: &Seen) -> Result<()> {
    // Settings for a hidden row are a warning (see `read_indicators`), not an error.
    for (reference, settings) in config.indicators.iter().filter(|(r, _)| !seen.hidden.contains(r)) {
        if !seen.refs.contains_key(reference) {
            let mut d = Diagnostic::new(
                settings.at.clone(),
                format!("settings are given for indicator {reference:?}, which the workbook does not have"),
            );
            if let Some(best) = did_you_mean(reference, seen.refs.keys().map(String::as_str)) {
                d = d.with_hint(format!("did you mean {best:?}?"));
            }
            return Err(d.into());
        }
        if seen.left_out.contains(reference) {
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
    Ok(())
}

/// The columns of the printed table: the paper file's `columns:` list, or the default set for
/// the data present (Ref, Indicator, Polarity and Period when the sheet has them, Previous when
/// there is one or a series to take it from, Current, Target, Floor, RAG, Direction, the
/// comparators, the trend when there is a series, and the commentary), labelled by `labels:` or
/// by each column's own label.
pub fn display_columns(
    config: &ScorecardConfig,
    present: &[ColumnKey],
    has_series: bool,
    trend_points: usize,
) -> Result<Vec<DisplayColumn>> {
    let printable: Vec<&str> = ColumnKey::ALL.iter().filter(|k| k.printable()).map(|k| k.name()).collect();
    let keys: Vec<ColumnKey> = match &config.columns {
        Some(list) => list
            .iter()
            .map(|item| match ColumnKey::parse(&item.value).filter(|k| k.printable()) {
                None => Err(Diagnostic::new(item.at.clone(), format!("unknown column {:?}", item.value))
                    .with_suggestion(&item.value.trim().to_lowercase(), &printable, Some("columns"))
                    .into()),
                Some(ColumnKey::Trend) if !has_series => {
                    Err(Diagnostic::new(item.at.clone(), "the `trend` column needs a monthly series")
                        .with_hint("add `series-sheet:` naming the sheet with one column per month")
                        .into())
                }
                Some(key) => Ok(key),
            })
            .collect::<Result<_>>()?,
        None => {
            use ColumnKey::*;
            let shown = |key: ColumnKey| match key {
                Polarity | Period | England | Neighbours | Commentary => present.contains(&key),
                Previous => present.contains(&key) || has_series,
                Trend => has_series,
                Ref | Indicator | Current | Target | Floor | Rag | Direction => true,
                // The exception reports' columns print there; a paper lists them to show them.
                Section | Unit | Decimals | PreviousRag | Change | Action | Owner => false,
            };
            [Ref, Indicator, Polarity, Period, Previous, Current, Target, Floor, Rag, Direction]
                .into_iter()
                .chain([England, Neighbours, Trend, Commentary])
                .filter(|key| shown(*key))
                .collect()
        }
    };
    let mut labels = BTreeMap::new();
    for (key, label) in &config.labels {
        match ColumnKey::parse(key).filter(|k| k.printable()) {
            Some(key) => labels.insert(key, label.value.clone()),
            None => return Err(Diagnostic::new(label.at.clone(), format!("unknown column {key:?} in `labels`")).into()),
        };
    }
    Ok(keys
        .into_iter()
        .map(|key| DisplayColumn { key, label: labels.get(&key).cloned().unwrap_or_else(|| key.label(trend_points)) })
        .collect())
}

/// The workbook's defined names that point at single cells, with their values as text (for
/// placeholders such as `{{ ReportingPeriod }}`).
fn named_values(workbook: &mut Workbook) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (name, _) in workbook.defined_names() {
        if let Ok(Some(at)) = workbook.resolve_cell(&name)
            && let Ok(value) = workbook.value_at(&at)
        {
            out.insert(name, value_text(&value));
        }
    }
    out
}

/// The reporting period: the cell the paper file names with `period:`, else the workbook's
/// `ReportingPeriod` name, else the latest month of the series.
fn reporting_period(
    config: &ScorecardConfig,
    workbook: &mut Workbook,
    series: Option<&Series>,
) -> Result<Option<String>> {
    if let Some(reference) = &config.period {
        return period_at(workbook, reference)
            .map(Some)
            .map_err(|e| chosen_at(e, &reference.at, &format!("period: {}", reference.value)));
    }
    if workbook.defined_names().iter().any(|(n, _)| n.eq_ignore_ascii_case("ReportingPeriod")) {
        let reference = Located { value: "ReportingPeriod".to_string(), at: config.workbook_at.clone(), line: 0 };
        return period_at(workbook, &reference).map(Some);
    }
    Ok(series.and_then(|s| s.months.last()).map(|m| m.format("%B %Y").to_string()))
}

/// The text of the cell a defined name or `Sheet!A1` reference points at.
fn period_at(workbook: &mut Workbook, reference: &Located<String>) -> Result<String> {
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
    let text = value_text(&workbook.value_at(&at)?);
    if text.is_empty() {
        return Err(workbook
            .error_at(&at, format!("the reporting period cell (named by `period: {}`) is empty", reference.value))
            .into());
    }
    Ok(text)
}
