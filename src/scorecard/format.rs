//! Formatting scorecard values for print: units, decimal places, thousands separators, money
//! scales.
//!
//! In: a number (percentages in percentage points, money in pounds) and a [`ValueFormat`]. Out:
//! the text a reader sees (`12.3%`, `1,234`, `£1.2m`) and, through [`displayed_value`], the number
//! that text stands for, so the rules in [`super::rules`] can compare exactly what is printed.
//!
//! Rounding is done on the decimal digits of the value, never on its binary approximation:
//! 12.05 shows as 12.1, as a reader (and Excel) expects. Values are first taken to 15
//! significant digits, which is what Excel stores and shows, so 12.049999999999999 from a
//! spreadsheet formula also shows as 12.1.
//!
//! Default decimal places ([`default_decimals`]): percent 1, rate per 10,000 1, ratio 2,
//! count 0, days 0, money 1 (the decimals of the millions figure; thousands and pounds are
//! always whole). Negative numbers use an ASCII hyphen-minus (`-3`), which survives copy and
//! paste into spreadsheets.

use serde::Serialize;

/// What a value measures, which decides how it is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    /// Percentage points: 12.3 prints as `12.3%`.
    Percent,
    /// A count: `1,234`.
    Count,
    /// A rate per 10,000 (e.g. per 10,000 children): `45.6`, no suffix.
    #[serde(rename = "rate-per-10000")]
    Rate10k,
    /// A number of days: `123 days`, `1 day`.
    Days,
    /// A ratio as a plain decimal: `1.25`.
    Ratio,
    /// Pounds sterling, scaled: `£950`, `£450k`, `£1.2m`.
    Money,
}

impl Unit {
    /// The unit as a table column prints it: `%`, `Number`, `Rate per 10,000`, `Days`,
    /// `Ratio`, `£`.
    pub fn label(self) -> &'static str {
        match self {
            Unit::Percent => "%",
            Unit::Count => "Number",
            Unit::Rate10k => "Rate per 10,000",
            Unit::Days => "Days",
            Unit::Ratio => "Ratio",
            Unit::Money => "£",
        }
    }
}

/// The sensible number of decimal places for a unit when the workbook does not say.
pub fn default_decimals(unit: Unit) -> u8 {
    match unit {
        Unit::Percent | Unit::Rate10k => 1,
        Unit::Count | Unit::Days => 0,
        Unit::Ratio => 2,
        // Decimals of the millions figure: £1.2m.
        Unit::Money => 1,
    }
}

/// How one indicator's values are printed: the unit and the decimal places. The rules compare
/// values as this format shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct ValueFormat {
    pub unit: Unit,
    /// Decimal places; for money, those of the millions figure.
    pub decimals: u8,
}

impl ValueFormat {
    /// A format with the unit's default decimal places.
    pub fn new(unit: Unit) -> Self {
        ValueFormat { unit, decimals: default_decimals(unit) }
    }

    /// A format with explicit decimal places.
    pub fn with_decimals(unit: Unit, decimals: u8) -> Self {
        ValueFormat { unit, decimals }
    }

    /// The value as printed; see [`format_value`].
    pub fn format(&self, value: f64) -> String {
        format_value(value, self.unit, self.decimals)
    }

    /// The number the printed text stands for; see [`displayed_value`].
    pub fn displayed(&self, value: f64) -> f64 {
        displayed_value(value, self.unit, self.decimals)
    }
}

/// Formats a value for print.
///
/// Percent `12.3%`; count `1,234`; rate per 10,000 `45.6`; days `123 days` (`1 day`); ratio
/// `1.25`; money `£950`, `£450k`, `£1.2m`, `-£1.2m`. Thousands separators in every unit.
/// A value that rounds to zero prints without a minus sign. Non-finite values (which the
/// parsers never produce) print as Rust prints them.
pub fn format_value(value: f64, unit: Unit, decimals: u8) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    match unit {
        Unit::Percent => format!("{}%", format_number(value, decimals)),
        Unit::Count | Unit::Rate10k | Unit::Ratio => format_number(value, decimals),
        Unit::Days => {
            let number = format_number(value, decimals);
            // "1 day" but "1.0 days", "0 days", "-1 day".
            if number.trim_start_matches('-') == "1" { format!("{number} day") } else { format!("{number} days") }
        }
        Unit::Money => {
            let (rounded, suffix, _) = money_scale(value, decimals);
            let sign = if rounded.negative { "-" } else { "" };
            format!("{sign}£{}{suffix}", rounded.magnitude_text())
        }
    }
}

/// A plain number rounded half away from zero to `decimals` places, with thousands
/// separators: `-1,234.5`. For column headers that carry the unit, and for trend labels.
pub fn format_number(value: f64, decimals: u8) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    let rounded = Rounded::new(value, decimals);
    let sign = if rounded.negative { "-" } else { "" };
    format!("{sign}{}", rounded.magnitude_text())
}

/// The number that [`format_value`] prints for `value`: `12.04` at 1 dp gives 12.0, £1,234,567
/// gives 1,200,000. The rules compare these so that the rating agrees with what is printed.
pub fn displayed_value(value: f64, unit: Unit, decimals: u8) -> f64 {
    if !value.is_finite() {
        return value;
    }
    match unit {
        Unit::Money => {
            let (rounded, _, power) = money_scale(value, decimals);
            rounded.to_f64(power)
        }
        _ => Rounded::new(value, decimals).to_f64(0),
    }
}

/// Chooses the money scale by the rounded value, so £999,600 prints as `£1.0m`, not `£1,000k`.
/// Returns the rounded figure, its suffix and the power of ten of the scale.
fn money_scale(value: f64, decimals: u8) -> (Rounded, &'static str, i32) {
    let pounds = Rounded::new(value, 0);
    if pounds.integer_digits().len() <= 3 {
        return (pounds, "", 0);
    }
    let thousands = Rounded::new(value / 1e3, 0);
    if thousands.integer_digits().len() <= 3 {
        return (thousands, "k", 3);
    }
    (Rounded::new(value / 1e6, decimals), "m", 6)
}

/// A value rounded half away from zero on its decimal digits: the sign, and the digits of
/// `round(|value| × 10^decimals)` without leading zeros (`"0"` for zero).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rounded {
    pub(crate) negative: bool,
    digits: String,
    decimals: u8,
}

impl Rounded {
    /// Rounds a finite value. (A non-finite value gives zero; callers check first.)
    pub(crate) fn new(value: f64, decimals: u8) -> Self {
        // 15 significant digits: exactly what Excel keeps, and enough that every decimal a
        // person typed survives while binary artefacts (…4999999) do not.
        let scientific = format!("{:.14e}", value.abs());
        let (mantissa, exponent) = scientific.split_once('e').unwrap_or(("0", "0"));
        let exponent: i32 = exponent.parse().unwrap_or(0);
        let significant: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
        // |value| × 10^decimals = 0.d1 d2 … d15 × 10^(exponent + 1 + decimals), so this many
        // leading significant digits form its integer part.
        let integer_len = exponent + 1 + i32::from(decimals);
        let mut digits: Vec<u8> = if integer_len <= 0 {
            // Below 0.1 in the last shown place, except that exactly-half-or-more of the
            // first unshown place rounds up to 1 when integer_len is 0.
            if integer_len == 0 && significant.first().is_some_and(|d| *d >= b'5') { vec![b'1'] } else { vec![b'0'] }
        } else if integer_len as usize >= significant.len() {
            let mut all = significant.clone();
            all.resize(integer_len as usize, b'0');
            all
        } else {
            let keep = integer_len as usize;
            let mut kept = significant[..keep].to_vec();
            if significant[keep] >= b'5' {
                increment(&mut kept);
            }
            kept
        };
        let first_nonzero = digits.iter().position(|d| *d != b'0').unwrap_or(digits.len() - 1);
        digits.drain(..first_nonzero);
        let digits = String::from_utf8(digits).unwrap_or_else(|_| "0".to_string());
        let negative = value < 0.0 && digits != "0";
        Rounded { negative, digits, decimals }
    }

    /// The digits before the decimal point, without leading zeros (`"0"` below one).
    pub(crate) fn integer_digits(&self) -> &str {
        let decimals = usize::from(self.decimals);
        if self.digits.len() > decimals { &self.digits[..self.digits.len() - decimals] } else { "0" }
    }

    /// The magnitude with thousands separators and exactly `decimals` places: `1,234.50`.
    pub(crate) fn magnitude_text(&self) -> String {
        let decimals = usize::from(self.decimals);
        let padded = format!("{:0>width$}", self.digits, width = decimals + 1);
        let (integer, fraction) = padded.split_at(padded.len() - decimals);
        let mut out = String::with_capacity(padded.len() + padded.len() / 3 + 1);
        for (i, digit) in integer.chars().enumerate() {
            if i > 0 && (integer.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(digit);
        }
        if !fraction.is_empty() {
            out.push('.');
            out.push_str(fraction);
        }
        out
    }

    /// The rounded value times 10^power, as the nearest f64 to the exact decimal (so equal
    /// digits always give the identical f64, which makes comparisons exact).
    pub(crate) fn to_f64(&self, power: i32) -> f64 {
        let sign = if self.negative { "-" } else { "" };
        let exponent = power - i32::from(self.decimals);
        format!("{sign}{}e{exponent}", self.digits).parse().unwrap_or(0.0)
    }
}

/// Adds one to a string of ASCII digits, growing it on overflow ("999" → "1000").
fn increment(digits: &mut Vec<u8>) {
    for digit in digits.iter_mut().rev() {
        if *digit == b'9' {
            *digit = b'0';
        } else {
            *digit += 1;
            return;
        }
    }
    digits.insert(0, b'1');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_half_away_on_their_decimal_digits() {
        #[rustfmt::skip]
        let cases: &[(f64, u8, f64)] = &[
            (12.05, 1, 12.1),
            (12.04, 1, 12.0),
            (-12.05, 1, -12.1),
            (11.96, 1, 12.0),
            (11.94, 1, 11.9),
            (2.5, 0, 3.0),
            (-2.5, 0, -3.0),
            (0.5, 0, 1.0),
            (1.005, 2, 1.01),
            (2.675, 2, 2.68),
            (0.1 + 0.2, 1, 0.3),
            (12.049999999999999, 1, 12.1),
            (123456.789, 0, 123457.0),
            (0.0, 3, 0.0),
            (1e-9, 2, 0.0),
        ];
        for &(value, decimals, expected) in cases {
            assert_eq!(displayed_value(value, Unit::Count, decimals), expected, "{value} to {decimals} dp");
        }
        assert!(displayed_value(f64::NAN, Unit::Count, 1).is_nan());
        // A negative value that rounds to zero is plain zero.
        assert!(displayed_value(-0.04, Unit::Count, 1).is_sign_positive());
    }

    #[test]
    fn format_value_table() {
        use Unit::*;
        #[rustfmt::skip]
        let cases: &[(f64, Unit, u8, &str)] = &[
            // percent
            (12.3, Percent, 1, "12.3%"),
            (12.0, Percent, 1, "12.0%"),
            (12.05, Percent, 1, "12.1%"),
            (12.049999999999999, Percent, 1, "12.1%"),
            (12.04, Percent, 1, "12.0%"),
            (99.95, Percent, 1, "100.0%"),
            (0.0, Percent, 1, "0.0%"),
            (-0.04, Percent, 1, "0.0%"),
            (-2.35, Percent, 1, "-2.4%"),
            (45.0, Percent, 0, "45%"),
            (1.005, Percent, 2, "1.01%"),
            (1234.5, Percent, 1, "1,234.5%"),
            // count
            (0.0, Count, 0, "0"),
            (7.0, Count, 0, "7"),
            (999.0, Count, 0, "999"),
            (1234.0, Count, 0, "1,234"),
            (12345.0, Count, 0, "12,345"),
            (123456.0, Count, 0, "123,456"),
            (1234567.0, Count, 0, "1,234,567"),
            (999.5, Count, 0, "1,000"),
            (2.5, Count, 0, "3"),
            (-2.5, Count, 0, "-3"),
            (-1234.0, Count, 0, "-1,234"),
            (1234.56, Count, 1, "1,234.6"),
            (0.4, Count, 0, "0"),
            (-0.4, Count, 0, "0"),
            // rate per 10,000
            (45.6, Rate10k, 1, "45.6"),
            (45.65, Rate10k, 1, "45.7"),
            (45.0, Rate10k, 1, "45.0"),
            (1234.56, Rate10k, 1, "1,234.6"),
            // days
            (123.0, Days, 0, "123 days"),
            (1.0, Days, 0, "1 day"),
            (1.2, Days, 0, "1 day"),
            (1.0, Days, 1, "1.0 days"),
            (0.0, Days, 0, "0 days"),
            (-1.0, Days, 0, "-1 day"),
            (1500.0, Days, 0, "1,500 days"),
            // ratio
            (1.25, Ratio, 2, "1.25"),
            (1.0, Ratio, 2, "1.00"),
            (0.125, Ratio, 2, "0.13"),
            (0.005, Ratio, 2, "0.01"),
            (0.004, Ratio, 2, "0.00"),
            // money
            (950.0, Money, 1, "£950"),
            (0.0, Money, 1, "£0"),
            (999.4, Money, 1, "£999"),
            (999.5, Money, 1, "£1k"),
            (1200.0, Money, 1, "£1k"),
            (1500.0, Money, 1, "£2k"),
            (450_000.0, Money, 1, "£450k"),
            (450_499.0, Money, 1, "£450k"),
            (999_499.0, Money, 1, "£999k"),
            (999_600.0, Money, 1, "£1.0m"),
            (1_200_000.0, Money, 1, "£1.2m"),
            (1_250_000.0, Money, 1, "£1.3m"),
            (1_150_000.0, Money, 1, "£1.2m"),
            (1_234_567.0, Money, 2, "£1.23m"),
            (1_234_567.0, Money, 0, "£1m"),
            (2_345_600_000.0, Money, 1, "£2,345.6m"),
            (-1_200_000.0, Money, 1, "-£1.2m"),
            (-450_000.0, Money, 1, "-£450k"),
            (-950.0, Money, 1, "-£950"),
            (-0.4, Money, 1, "£0"),
        ];
        for &(value, unit, decimals, expected) in cases {
            assert_eq!(format_value(value, unit, decimals), expected, "{value} {unit:?} {decimals} dp");
        }
    }

    #[test]
    fn displayed_value_table() {
        use Unit::*;
        #[rustfmt::skip]
        let cases: &[(f64, Unit, u8, f64)] = &[
            (12.04, Percent, 1, 12.0),
            (12.05, Percent, 1, 12.1),
            (11.96, Percent, 1, 12.0),
            (-2.35, Percent, 1, -2.4),
            (1234.4, Count, 0, 1234.0),
            (0.125, Ratio, 2, 0.13),
            (950.4, Money, 1, 950.0),
            (450_499.0, Money, 1, 450_000.0),
            (1_234_567.0, Money, 1, 1_200_000.0),
            (-1_234_567.0, Money, 2, -1_230_000.0),
        ];
        for &(value, unit, decimals, expected) in cases {
            assert_eq!(displayed_value(value, unit, decimals), expected, "{value} {unit:?} {decimals} dp");
        }
    }

    #[test]
    fn displayed_value_agrees_with_printed_text() {
        // Equal texts must mean equal numbers, whatever binary noise the inputs carry.
        let format = ValueFormat::with_decimals(Unit::Percent, 1);
        for (a, b) in [(12.0, 11.96), (12.05, 12.1), (0.1 + 0.2, 0.3), (12.049999999999999, 12.05)] {
            assert_eq!(format.format(a), format.format(b));
            assert_eq!(format.displayed(a), format.displayed(b), "{a} vs {b}");
        }
    }

    #[test]
    fn format_number_handles_extremes() {
        assert_eq!(format_number(1e20, 0), "100,000,000,000,000,000,000");
        assert_eq!(format_number(1e-20, 2), "0.00");
        assert_eq!(format_number(0.05, 1), "0.1");
        assert_eq!(format_number(0.049, 1), "0.0");
        assert_eq!(format_number(0.5, 0), "1");
        assert_eq!(format_number(9.995, 2), "10.00");
        assert_eq!(format_number(f64::NAN, 1), "NaN");
    }

    #[test]
    fn defaults_and_serialisation() {
        assert_eq!(ValueFormat::new(Unit::Percent), ValueFormat::with_decimals(Unit::Percent, 1));
        assert_eq!(default_decimals(Unit::Count), 0);
        assert_eq!(default_decimals(Unit::Ratio), 2);
        let names: Vec<String> = [Unit::Percent, Unit::Count, Unit::Rate10k, Unit::Days, Unit::Ratio, Unit::Money]
            .iter()
            .map(|unit| serde_json::to_string(unit).unwrap_or_default())
            .collect();
        assert_eq!(names, ["\"percent\"", "\"count\"", "\"rate-per-10000\"", "\"days\"", "\"ratio\"", "\"money\""]);
    }
}
