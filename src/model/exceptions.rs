//! A rated scorecard and its `exceptions:` setting in, the exception reports out.
//!
//! Councils ask for a commentary, a corrective action and an owner for every Red indicator, and
//! committees want those in one place. A report is a title and six rows, each text decided here:
//! the rating (and the one before it, when it moved), the value against target and floor as
//! printed, the direction of travel (arrow and word), the commentary, the action and the owner.
//! Which indicators get one is the scorecard's rule ([`crate::scorecard::Indicator::exception_due`]);
//! the Red ones come first, then the Amber ones that worsened.

use super::scorecard::{direction_cell, rag_mark};
use super::style::Style;
use super::{Cell, ExceptionReport, ExceptionRow, Exceptions};
use crate::config::ExceptionsConfig;
use crate::scorecard::rules::{RatingMove, rag_word};
use crate::scorecard::{Indicator, Polarity, Rag, Scorecard};

/// The heading of the exception reports after a scorecard.
pub const HEADING: &str = "Exception reports";

/// Printed where the workbook gives no commentary, action or owner.
pub const NOT_GIVEN: &str = "Not given";

/// The row labels of a report, in order.
pub const LABELS: [&str; 6] = ["Rating", "Performance", "Direction of travel", "Commentary", "Action", "Owner"];

/// The exception reports of a scorecard. `heading` is [`HEADING`] after the table and `None` in
/// a body section; `appendix` names the scorecard when one body section holds the reports of
/// several.
pub fn exception_reports(
    card: &Scorecard,
    config: &ExceptionsConfig,
    style: &Style,
    heading: Option<String>,
    appendix: Option<&str>,
) -> Exceptions {
    // The Red indicators first, then the Amber ones that worsened, each in the table's order.
    let due = card.indicators.iter().filter(|i| i.exception_due(config.worsened_amber));
    let (red, amber): (Vec<&Indicator>, Vec<&Indicator>) = due.partition(|i| i.rag == Rag::Red);
    let reports: Vec<ExceptionReport> = red.into_iter().chain(amber).map(|i| report(i, style)).collect();
    let intro = intro(reports.len(), config.worsened_amber);
    let intro = match appendix {
        Some(title) => format!("{title}: {}", lowercase_first(&intro)),
        None => intro,
    };
    Exceptions { heading, intro, reports }
}

/// What the reports cover and how many there are, or why there are none.
fn intro(count: usize, worsened_amber: bool) -> String {
    let which = if worsened_amber {
        "each indicator rated Red and each Amber indicator that worsened since the previous period"
    } else {
        "each indicator rated Red"
    };
    match count {
        0 if worsened_amber => {
            "No indicator is rated Red and no Amber indicator worsened since the previous period, so there are no \
             exception reports."
                .to_string()
        }
        0 => "No indicator is rated Red, so there are no exception reports.".to_string(),
        1 => format!("There is an exception report for {which}: 1 report."),
        n => format!("There is an exception report for {which}: {n} reports."),
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One indicator's report.
fn report(i: &Indicator, style: &Style) -> ExceptionReport {
    let title = format!("{} {}", i.reference, i.name);
    let rating = match i.rating_move {
        RatingMove::Improved | RatingMove::Worsened => {
            format!("{}, was {}", rag_word(i.rag), rag_word(i.previous_rag))
        }
        RatingMove::Unchanged | RatingMove::Na => rag_word(i.rag).to_string(),
    };
    let given = |text: &Option<String>| Cell::text(text.clone().unwrap_or_else(|| NOT_GIVEN.to_string()));
    let values = [
        Cell { rag: Some(rag_mark(i.rag, style)), ..Cell::text(rating) },
        Cell::text(performance(i)),
        direction_cell(&i.travel, style),
        given(&i.commentary),
        given(&i.action),
        given(&i.owner),
    ];
    let rows =
        LABELS.iter().zip(values).map(|(label, value)| ExceptionRow { label: label.to_string(), value }).collect();
    ExceptionReport {
        summary: format!(
            "Exception report for {title}: rating, performance against target and floor, direction of travel, \
             commentary, action and owner."
        ),
        title,
        rows,
    }
}

/// `68.9% against a target of 80.0% and a floor of 70.0% (higher is better); 71.5% in the
/// previous period`, every value as the table prints it.
pub fn performance(i: &Indicator) -> String {
    let value = if i.value.is_some() { i.printed(i.value) } else { "No value".to_string() };
    let mut text = value;
    if i.target.is_some() {
        text.push_str(&format!(" against a target of {}", i.printed(i.target)));
        if i.floor.is_some() {
            text.push_str(&format!(" and a floor of {}", i.printed(i.floor)));
        }
    }
    match i.polarity {
        Some(Polarity::Higher) => text.push_str(" (higher is better)"),
        Some(Polarity::Lower) => text.push_str(" (lower is better)"),
        None => {}
    }
    if i.previous.is_some() {
        text.push_str(&format!("; {} in the previous period", i.printed(i.previous)));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_intro_counts_the_reports_or_says_why_there_are_none() {
        assert_eq!(intro(0, false), "No indicator is rated Red, so there are no exception reports.");
        assert_eq!(intro(1, false), "There is an exception report for each indicator rated Red: 1 report.");
        assert_eq!(
            intro(5, true),
            "There is an exception report for each indicator rated Red and each Amber indicator that worsened \
             since the previous period: 5 reports."
        );
        assert!(intro(0, true).starts_with("No indicator is rated Red and no Amber indicator worsened"));
        assert_eq!(lowercase_first("There is"), "there is");
    }
}
