//! The scorecard: workbook rows in, rated indicators out.
//!
//! The rules themselves ([`rules`], [`mod@format`], [`parse`]) are pure functions with table-driven
//! tests; [`columns`] says once what each column is called, where it is read and how it prints;
//! [`load`] reads a workbook table (through [`cells`] and [`series`]) and rates it; [`check`] is
//! what `committee-paper check` reports. The printed table is laid out by the model
//! (`crate::model`), from what this module decided.

pub mod cells;
pub mod check;
pub mod columns;
pub mod format;
pub mod load;
pub mod parse;
pub mod percent;
pub mod rules;
pub mod series;

pub use check::CheckReport;
pub use columns::{Align, ColumnKey};
pub use format::{Unit, ValueFormat};
pub use load::{DisplayColumn, Indicator, Scorecard, load_scorecard};
pub use parse::{NumberText, ParseError, PeriodType};
pub use rules::{Direction, Moves, Polarity, Rag, RatingMove, RuleError, Totals, Travel};
