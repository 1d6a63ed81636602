//! The scorecard: workbook rows in, rated indicators and the printed table out.
//!
//! The rules themselves ([`rules`], [`format`], [`parse`]) are pure functions with table-driven
//! tests; [`load`] applies them to a workbook table, [`table`] lays out what the renderers print,
//! and [`check`] is what `committee-paper check` reports.

pub mod check;
pub mod format;
pub mod load;
pub mod parse;
pub mod percent;
pub mod rules;
pub mod table;

pub use check::CheckReport;
pub use format::{Unit, ValueFormat};
pub use load::{Indicator, Scorecard, load_scorecard};
pub use parse::{NumberText, ParseError, PeriodType};
pub use rules::{Polarity, RuleError, Travel};
