//! The scorecard rules: RAG against target and floor, direction of travel, value formatting.
//! Pure functions. (Being written.)

pub mod format;
pub mod parse;
pub mod rules;

pub use format::{Unit, ValueFormat};
pub use parse::{NumberText, ParseError, PeriodType};
pub use rules::{Polarity, RuleError, Travel};
