//! Reading the words and numbers that authors type into workbook cells.
//!
//! In: the text of one cell (as typed: any case, stray spaces, synonyms, numbers stored as
//! text). Out: a [`Polarity`], [`Unit`], [`PeriodType`], a previous [`Rag`] or [`NumberText`], or a [`ParseError`]
//! saying what was expected and what was found; the caller puts the cell in front
//! (`Scorecard!D14: expected a polarity …`).
//!
//! Percentages are held in percentage points throughout the crate: `12.5%` reads as 12.5. A
//! workbook that stores 0.125 formatted as a percentage is converted by the caller with
//! [`percent_points`].

use std::fmt;

use serde::Serialize;

use super::format::Unit;
use super::rules::{Polarity, Rag};

/// Text that is not one of the accepted spellings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// What would have been accepted, e.g. `a polarity (High, Low or blank)`.
    pub expected: &'static str,
    /// The cell text as found (untrimmed).
    pub found: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {}, found {:?}", self.expected, self.found)
    }
}

impl std::error::Error for ParseError {}

/// Lower-cases, trims (non-breaking spaces too) and collapses inner white space to one space.
fn normalise(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

const POLARITY_EXPECTED: &str = "a polarity (High, Low, or blank for none)";

/// Reads a polarity: `High`, `Higher`, `H`, `higher is better` → Higher; `Low`, `Lower`, `L`,
/// `lower is better` → Lower; blank, `-`, `–`, `—`, `n/a`, `none` → no polarity (an activity
/// indicator). Case-insensitive, trimmed.
pub fn parse_polarity(text: &str) -> Result<Option<Polarity>, ParseError> {
    match normalise(text).as_str() {
        "high" | "higher" | "h" | "higher is better" | "high is better" | "high is good" => Ok(Some(Polarity::Higher)),
        "low" | "lower" | "l" | "lower is better" | "low is better" | "low is good" => Ok(Some(Polarity::Lower)),
        "" | "-" | "–" | "—" | "n/a" | "none" => Ok(None),
        _ => Err(ParseError { expected: POLARITY_EXPECTED, found: text.to_string() }),
    }
}

const UNIT_EXPECTED: &str = "a unit (%, number, rate per 10,000, days, ratio or £)";

/// Reads a unit: `%`, `percent`, `percentage` → Percent; `number`, `count`, `no.`, `no`, `#`
/// → Count; `rate`, `rate per 10,000`, `per 10,000`, `per 10k` (with or without the comma) →
/// Rate10k; `days`, `day` → Days; `ratio` → Ratio; `£`, `money`, `gbp`, `pounds` → Money.
/// Blank is an error: the caller decides whether a blank unit has a default.
pub fn parse_unit(text: &str) -> Result<Unit, ParseError> {
    let normalised = normalise(text).replace("10,000", "10000");
    match normalised.as_str() {
        "%" | "percent" | "percentage" | "per cent" | "pct" => Ok(Unit::Percent),
        "number" | "count" | "no." | "no" | "#" | "num" => Ok(Unit::Count),
        "rate" | "rate per 10000" | "per 10000" | "per 10k" | "rate per 10k" | "rate/10000" | "rate/10k" => {
            Ok(Unit::Rate10k)
        }
        "days" | "day" => Ok(Unit::Days),
        "ratio" => Ok(Unit::Ratio),
        "£" | "money" | "gbp" | "pounds" | "cost" => Ok(Unit::Money),
        _ => Err(ParseError { expected: UNIT_EXPECTED, found: text.to_string() }),
    }
}

/// Over what period a figure is measured; printed in a column and explained in the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PeriodType {
    /// Taken on the last working day of the reporting period.
    Snapshot,
    /// Year to date, April–March.
    YearToDate,
    /// Rolling 12 months.
    #[serde(rename = "rolling-12-months")]
    Rolling12Months,
    Monthly,
    Quarterly,
    Annual,
}

impl PeriodType {
    /// Every period type, in the order a key lists them.
    pub const ALL: [PeriodType; 6] = [
        PeriodType::Snapshot,
        PeriodType::YearToDate,
        PeriodType::Rolling12Months,
        PeriodType::Monthly,
        PeriodType::Quarterly,
        PeriodType::Annual,
    ];

    /// The short label for a table cell and key term: `Snapshot`, `YTD`, `R12M`, `Monthly`,
    /// `Quarterly`, `Annual`.
    pub fn label(&self) -> &'static str {
        match self {
            PeriodType::Snapshot => "Snapshot",
            PeriodType::YearToDate => "YTD",
            PeriodType::Rolling12Months => "R12M",
            PeriodType::Monthly => "Monthly",
            PeriodType::Quarterly => "Quarterly",
            PeriodType::Annual => "Annual",
        }
    }

    /// What the label means, for the key, as a capitalised phrase (the 2014 reference explains
    /// snapshot, year to date and rolling 12 months in these words).
    pub fn meaning(&self) -> &'static str {
        match self {
            PeriodType::Snapshot => "Taken on the last working day of the reporting period",
            PeriodType::YearToDate => "Year to date (April–March)",
            PeriodType::Rolling12Months => "Rolling 12 months",
            PeriodType::Monthly => "The reporting month only",
            PeriodType::Quarterly => "The latest quarter",
            PeriodType::Annual => "The latest full year",
        }
    }
}

const PERIOD_EXPECTED: &str = "a period type (Snapshot, YTD, R12M, Monthly, Quarterly or Annual)";

/// Reads a period type: `Snapshot`; `YTD`, `year to date`, `year-to-date`; `R12M`, `rolling 12
/// months`, `rolling year`; `monthly`, `month`; `quarterly`, `quarter`, `qtr`; `annual`,
/// `annually`, `yearly`, `year`. Case-insensitive, trimmed; hyphens count as spaces.
pub fn parse_period_type(text: &str) -> Result<PeriodType, ParseError> {
    let normalised = normalise(&text.replace(['-', '_'], " "));
    match normalised.as_str() {
        "snapshot" | "snap" => Ok(PeriodType::Snapshot),
        "ytd" | "year to date" | "financial year to date" | "fytd" => Ok(PeriodType::YearToDate),
        "r12m" | "r12" | "rolling 12 months" | "rolling 12 month" | "rolling twelve months" | "rolling year" => {
            Ok(PeriodType::Rolling12Months)
        }
        "monthly" | "month" | "in month" => Ok(PeriodType::Monthly),
        "quarterly" | "quarter" | "qtr" => Ok(PeriodType::Quarterly),
        "annual" | "annually" | "yearly" | "year" => Ok(PeriodType::Annual),
        _ => Err(ParseError { expected: PERIOD_EXPECTED, found: text.to_string() }),
    }
}

const RAG_EXPECTED: &str = "a rating (Green, Amber, Red, N/A, not rated, or blank)";

/// Reads a rating as a workbook's "Previous RAG" column writes it: `Green`/`G`, `Amber`/`A`,
/// `Red`/`R`, `N/A`/`NA`/`#N/A` (no value to rate), `not rated` (an activity indicator);
/// blank, `-`, `–`, `—` → `None`, not given (the caller rates the previous value instead).
/// Case-insensitive, trimmed.
pub fn parse_rag(text: &str) -> Result<Option<Rag>, ParseError> {
    match normalise(text).as_str() {
        "green" | "g" => Ok(Some(Rag::Green)),
        "amber" | "a" => Ok(Some(Rag::Amber)),
        "red" | "r" => Ok(Some(Rag::Red)),
        "n/a" | "na" | "#n/a" | "not available" => Ok(Some(Rag::Na)),
        "not rated" | "none" => Ok(Some(Rag::None)),
        "" | "-" | "–" | "—" => Ok(None),
        _ => Err(ParseError { expected: RAG_EXPECTED, found: text.to_string() }),
    }
}

/// A number read from text: present, deliberately missing, or not a number at all (which the
/// caller reports as `Scorecard!D14: expected a number, found "abc"`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NumberText {
    /// Blank, `n/a`, `N/A`, `na`, `#N/A`, `-`, `–`, `—`, `..`: data not available.
    Missing,
    /// A finite number.
    Number(f64),
    /// Anything else.
    NotANumber,
}

/// Reads a number stored as text: ` 24 `, `1,234`, `12.5%` (→ 12.5), `£1,200`, `-£3`, `−3`
/// (Unicode minus), `+3`, `.5`. Thousands separators must be in groups of three, so a decimal
/// comma (`12,5`) is not silently read as 125. Not accepted: `(3)` for negatives, exponents,
/// `inf`/`NaN`, units such as `3 days`.
pub fn parse_number_text(text: &str) -> NumberText {
    let trimmed = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}');
    if matches!(trimmed.to_lowercase().as_str(), "" | "n/a" | "na" | "#n/a" | "-" | "–" | "—" | "..") {
        return NumberText::Missing;
    }
    let mut rest = trimmed;
    let mut negative = false;
    if let Some(after) = rest.strip_prefix(['-', '−']) {
        negative = true;
        rest = after;
    } else if let Some(after) = rest.strip_prefix('+') {
        rest = after;
    }
    // One currency or percent mark: "£1,200", "-£3", "12.5%", "12.5 %".
    if let Some(after) = rest.strip_prefix('£') {
        rest = after;
    } else if let Some(before) = rest.strip_suffix('%') {
        rest = before.trim_end();
    }
    match plain_decimal(rest) {
        Some(value) if negative => NumberText::Number(-value),
        Some(value) => NumberText::Number(value),
        None => NumberText::NotANumber,
    }
}

/// Reads `1,234.5`, `1234.5`, `.5`, `5.`: digits with optional correct thousands grouping and an
/// optional decimal part, nothing else.
fn plain_decimal(text: &str) -> Option<f64> {
    let (integer, fraction) = match text.split_once('.') {
        Some((integer, fraction)) => (integer, Some(fraction)),
        None => (text, None),
    };
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if let Some(fraction) = fraction
        && !digits_only(fraction)
    {
        return None;
    }
    if integer.contains(',') {
        let mut groups = integer.split(',');
        let first = groups.next()?;
        let first_ok = (1..=3).contains(&first.len()) && digits_only(first);
        if !first_ok || !groups.all(|group| group.len() == 3 && digits_only(group)) {
            return None;
        }
    } else if !digits_only(integer) {
        return None;
    }
    let cleaned: String = text.chars().filter(|c| *c != ',').collect();
    if !cleaned.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    cleaned.parse::<f64>().ok().filter(|value| value.is_finite())
}

/// Converts a workbook percentage to percentage points: fraction-style workbooks store 12.5% as
/// 0.125 (`fraction_style = true`, multiplied by 100); others already hold 12.5.
pub fn percent_points(value: f64, fraction_style: bool) -> f64 {
    if fraction_style { value * 100.0 } else { value }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polarity_table() {
        let higher = Ok(Some(Polarity::Higher));
        let lower = Ok(Some(Polarity::Lower));
        #[rustfmt::skip]
        let cases: &[(&str, Result<Option<Polarity>, ()>)] = &[
            ("High", higher),
            ("high", higher),
            ("HIGH", higher),
            (" Higher ", higher),
            ("H", higher),
            ("h", higher),
            ("Higher is better", higher),
            ("higher  is\tbetter", higher),
            ("High is good", higher),
            ("Low", lower),
            ("lower", lower),
            ("L", lower),
            ("Lower is better", lower),
            ("LOWER IS BETTER", lower),
            ("", Ok(None)),
            ("   ", Ok(None)),
            ("-", Ok(None)),
            ("–", Ok(None)),
            ("—", Ok(None)),
            ("N/A", Ok(None)),
            ("none", Ok(None)),
            ("up", Err(())),
            ("Hi", Err(())),
            ("higher is worse", Err(())),
            ("+", Err(())),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_polarity(text).map_err(|_| ()), *expected, "{text:?}");
        }
        let error = parse_polarity("sideways").err();
        assert_eq!(
            error.map(|e| e.to_string()),
            Some("expected a polarity (High, Low, or blank for none), found \"sideways\"".to_string())
        );
    }

    #[test]
    fn unit_table() {
        use Unit::*;
        #[rustfmt::skip]
        let cases: &[(&str, Result<Unit, ()>)] = &[
            ("%", Ok(Percent)),
            (" % ", Ok(Percent)),
            ("Percent", Ok(Percent)),
            ("percentage", Ok(Percent)),
            ("Per cent", Ok(Percent)),
            ("Number", Ok(Count)),
            ("count", Ok(Count)),
            ("No.", Ok(Count)),
            ("no", Ok(Count)),
            ("#", Ok(Count)),
            ("Rate", Ok(Rate10k)),
            ("Rate per 10,000", Ok(Rate10k)),
            ("rate per 10000", Ok(Rate10k)),
            ("per 10,000", Ok(Rate10k)),
            ("Per 10k", Ok(Rate10k)),
            ("rate per 10k", Ok(Rate10k)),
            ("Days", Ok(Days)),
            ("day", Ok(Days)),
            ("Ratio", Ok(Ratio)),
            ("£", Ok(Money)),
            ("money", Ok(Money)),
            ("GBP", Ok(Money)),
            ("pounds", Ok(Money)),
            ("", Err(())),
            ("rate per 1,000", Err(())),
            ("£m", Err(())),
            ("weeks", Err(())),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_unit(text).map_err(|_| ()), *expected, "{text:?}");
        }
        assert_eq!(
            parse_unit("weeks").map_err(|e| e.to_string()),
            Err("expected a unit (%, number, rate per 10,000, days, ratio or £), found \"weeks\"".to_string())
        );
    }

    #[test]
    fn period_type_table() {
        use PeriodType::*;
        #[rustfmt::skip]
        let cases: &[(&str, Result<PeriodType, ()>)] = &[
            ("Snapshot", Ok(Snapshot)),
            (" SNAPSHOT ", Ok(Snapshot)),
            ("YTD", Ok(YearToDate)),
            ("ytd", Ok(YearToDate)),
            ("Year to date", Ok(YearToDate)),
            ("year-to-date", Ok(YearToDate)),
            ("R12M", Ok(Rolling12Months)),
            ("Rolling 12 months", Ok(Rolling12Months)),
            ("rolling-12-months", Ok(Rolling12Months)),
            ("Monthly", Ok(Monthly)),
            ("month", Ok(Monthly)),
            ("Quarterly", Ok(Quarterly)),
            ("qtr", Ok(Quarterly)),
            ("Quarter", Ok(Quarterly)),
            ("Annual", Ok(Annual)),
            ("yearly", Ok(Annual)),
            ("annually", Ok(Annual)),
            ("", Err(())),
            ("weekly", Err(())),
            ("R6M", Err(())),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_period_type(text).map_err(|_| ()), *expected, "{text:?}");
        }
    }

    #[test]
    fn period_type_labels_and_serialisation() {
        let labels: Vec<&str> = PeriodType::ALL.iter().map(PeriodType::label).collect();
        assert_eq!(labels, ["Snapshot", "YTD", "R12M", "Monthly", "Quarterly", "Annual"]);
        assert_eq!(PeriodType::Snapshot.meaning(), "Taken on the last working day of the reporting period");
        assert_eq!(PeriodType::YearToDate.meaning(), "Year to date (April–March)");
        assert_eq!(PeriodType::Rolling12Months.meaning(), "Rolling 12 months");
        let names: Vec<String> = PeriodType::ALL.iter().map(|p| serde_json::to_string(p).unwrap_or_default()).collect();
        assert_eq!(
            names,
            ["\"snapshot\"", "\"year-to-date\"", "\"rolling-12-months\"", "\"monthly\"", "\"quarterly\"", "\"annual\""]
        );
        // Every label reads back as its own period type.
        for period in PeriodType::ALL {
            assert_eq!(parse_period_type(period.label()), Ok(period));
        }
    }

    #[test]
    fn rag_table() {
        #[rustfmt::skip]
        let cases: &[(&str, Result<Option<Rag>, ()>)] = &[
            ("Green", Ok(Some(Rag::Green))),
            (" g ", Ok(Some(Rag::Green))),
            ("AMBER", Ok(Some(Rag::Amber))),
            ("A", Ok(Some(Rag::Amber))),
            ("Red", Ok(Some(Rag::Red))),
            ("r", Ok(Some(Rag::Red))),
            ("N/A", Ok(Some(Rag::Na))),
            ("#N/A", Ok(Some(Rag::Na))),
            ("Not rated", Ok(Some(Rag::None))),
            ("", Ok(None)),
            ("–", Ok(None)),
            ("Purple", Err(())),
            ("Amber/Red", Err(())),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_rag(text).map_err(|_| ()), *expected, "{text:?}");
        }
        assert_eq!(
            parse_rag("Purple").map_err(|e| e.to_string()),
            Err("expected a rating (Green, Amber, Red, N/A, not rated, or blank), found \"Purple\"".to_string())
        );
    }

    #[test]
    fn number_text_table() {
        use NumberText::*;
        #[rustfmt::skip]
        let cases: &[(&str, NumberText)] = &[
            ("24", Number(24.0)),
            (" 24 ", Number(24.0)),
            ("\u{a0}24\u{a0}", Number(24.0)),
            ("1,234", Number(1234.0)),
            ("1,234,567.5", Number(1_234_567.5)),
            ("12.5%", Number(12.5)),
            ("12.5 %", Number(12.5)),
            ("-12.5%", Number(-12.5)),
            ("£1,200", Number(1200.0)),
            ("-£3", Number(-3.0)),
            ("-3", Number(-3.0)),
            ("−3", Number(-3.0)),
            ("+3", Number(3.0)),
            (".5", Number(0.5)),
            ("5.", Number(5.0)),
            ("0", Number(0.0)),
            ("", Missing),
            ("   ", Missing),
            ("n/a", Missing),
            ("N/A", Missing),
            ("NA", Missing),
            ("#N/A", Missing),
            ("-", Missing),
            ("–", Missing),
            ("—", Missing),
            ("..", Missing),
            ("abc", NotANumber),
            ("(3)", NotANumber),
            ("12,5", NotANumber),
            ("1,23,456", NotANumber),
            (",123", NotANumber),
            ("1 234", NotANumber),
            ("1e5", NotANumber),
            ("inf", NotANumber),
            ("NaN", NotANumber),
            ("3 days", NotANumber),
            ("£", NotANumber),
            ("%", NotANumber),
            (".", NotANumber),
            ("--3", NotANumber),
            ("1.2.3", NotANumber),
            ("£12%", NotANumber),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_number_text(text), *expected, "{text:?}");
        }
    }

    #[test]
    fn percent_points_table() {
        assert_eq!(percent_points(12.5, false), 12.5);
        assert_eq!(percent_points(0.125, true), 12.5);
        // Binary noise from ×100 disappears at the printed precision.
        let format = crate::scorecard::format::ValueFormat::new(Unit::Percent);
        assert_eq!(format.format(percent_points(0.123, true)), "12.3%");
        assert_eq!(format.format(percent_points(0.1205, true)), "12.1%");
    }
}
