//! The scorecard rules: RAG rating against target and floor, and direction of travel.
//!
//! In: an indicator's numbers (current, previous, target, floor; percentages in percentage
//! points), its [`Polarity`] and its [`ValueFormat`]. Out: a [`Rag`] rating and a [`Travel`]
//! (direction of travel), plus the words and arrows that carry their meaning without colour, and
//! the [`Totals`] of a scorecard with the one sentence that states them; how a rating moved
//! since the previous period ([`RatingMove`], counted in [`Moves`]), and which indicators need
//! an exception report ([`exception_due`]).
//!
//! Every comparison is made on the values *as printed* ([`ValueFormat::displayed`]), so a
//! reader never sees "12.0% — Red" against a target of "12.0%". The wording of the RAG key is
//! the reference papers' own (KCC SCS dashboard, August 2014).
//!
//! Direction arrows follow the *number* and the word gives the *judgement*: a lower-is-better
//! indicator that fell reads "▼ Improved". So the arrow never contradicts the figures beside it,
//! and the word says whether the movement is good. The arrows ▲ ▼ ► and the dashes – — are in
//! both DejaVu Sans (PDF) and Arial (Word).

use std::fmt;

use serde::Serialize;

use super::format::ValueFormat;

/// Which way is better for an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Polarity {
    /// Higher is better (e.g. health checks in time).
    Higher,
    /// Lower is better (e.g. placement moves).
    Lower,
}

impl Polarity {
    /// The short form for a table column: `High`, `Low`.
    pub fn label(self) -> &'static str {
        match self {
            Polarity::Higher => "High",
            Polarity::Lower => "Low",
        }
    }
}

/// A RAG rating.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Rag {
    Green,
    Amber,
    Red,
    /// No current value: "N/A – data not available", grey.
    Na,
    /// No target: an activity indicator, not rated, not coloured.
    None,
}

impl Rag {
    /// Every rating, in the order the key and the totals list them.
    pub const ALL: [Rag; 5] = [Rag::Green, Rag::Amber, Rag::Red, Rag::Na, Rag::None];
}

/// The judgement of a direction of travel.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    Improved,
    Worsened,
    Unchanged,
    /// Activity indicators (no polarity): up, neutral colour.
    Increased,
    /// Activity indicators (no polarity): down, neutral colour.
    Decreased,
    /// No previous or no current value.
    Na,
}

impl Direction {
    /// Every direction, in the order the key lists them.
    pub const ALL: [Direction; 6] = [
        Direction::Improved,
        Direction::Worsened,
        Direction::Unchanged,
        Direction::Increased,
        Direction::Decreased,
        Direction::Na,
    ];
}

/// Counts of each rating in a scorecard.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Totals {
    pub green: usize,
    pub amber: usize,
    pub red: usize,
    pub na: usize,
    pub none: usize,
}

impl Totals {
    /// Counts the ratings.
    pub fn of(ratings: impl IntoIterator<Item = Rag>) -> Totals {
        let mut totals = Totals::default();
        for rag in ratings {
            *totals.count_mut(rag) += 1;
        }
        totals
    }

    /// The count of one rating.
    pub fn count(&self, rag: Rag) -> usize {
        match rag {
            Rag::Green => self.green,
            Rag::Amber => self.amber,
            Rag::Red => self.red,
            Rag::Na => self.na,
            Rag::None => self.none,
        }
    }

    fn count_mut(&mut self, rag: Rag) -> &mut usize {
        match rag {
            Rag::Green => &mut self.green,
            Rag::Amber => &mut self.amber,
            Rag::Red => &mut self.red,
            Rag::Na => &mut self.na,
            Rag::None => &mut self.none,
        }
    }

    /// These counts plus `other`'s (the totals of several scorecards).
    pub fn plus(mut self, other: Totals) -> Totals {
        for rag in Rag::ALL {
            *self.count_mut(rag) += other.count(rag);
        }
        self
    }

    /// Indicators with a target or a value to rate (all but the activity indicators).
    pub fn rated(&self) -> usize {
        self.green + self.amber + self.red + self.na
    }

    /// The one sentence that states the totals, printed under the table and by `check`:
    /// `Green 6, Amber 6, Red 4, N/A 2, not rated 8` (the last part only when there are any).
    /// `None` when nothing is rated: a table of activity indicators has no totals line.
    pub fn sentence(&self) -> Option<String> {
        if self.rated() == 0 {
            return None;
        }
        let mut line = format!("Green {}, Amber {}, Red {}, N/A {}", self.green, self.amber, self.red, self.na);
        if self.none > 0 {
            line.push_str(&format!(", not rated {}", self.none));
        }
        Some(line)
    }
}

/// How a rating moved since the previous period. Only Green, Amber and Red compare: a period
/// without a value (N/A) or without a target (not rated) has nothing to compare with.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum RatingMove {
    /// To a better rating: Red to Amber or Green, Amber to Green.
    Improved,
    /// To a worse rating: Green to Amber or Red, Amber to Red.
    Worsened,
    /// The same rating in both periods.
    Unchanged,
    /// Either period is not rated Green, Amber or Red.
    Na,
}

/// Green, Amber and Red from worst to best; `None` for the ratings that do not compare.
fn rank(rag: Rag) -> Option<u8> {
    match rag {
        Rag::Red => Some(0),
        Rag::Amber => Some(1),
        Rag::Green => Some(2),
        Rag::Na | Rag::None => None,
    }
}

/// How the rating moved from `previous` to `current`.
pub fn rating_move(previous: Rag, current: Rag) -> RatingMove {
    match (rank(previous), rank(current)) {
        (Some(before), Some(now)) if now > before => RatingMove::Improved,
        (Some(before), Some(now)) if now < before => RatingMove::Worsened,
        (Some(_), Some(_)) => RatingMove::Unchanged,
        _ => RatingMove::Na,
    }
}

/// The text of a "Rating change" cell: `was Amber` when the rating moved, `no change` when it
/// did not, `–` when there is nothing to compare.
pub fn change_text(previous: Rag, current: Rag) -> String {
    match rating_move(previous, current) {
        RatingMove::Improved | RatingMove::Worsened => format!("was {}", rag_word(previous)),
        RatingMove::Unchanged => "no change".to_string(),
        RatingMove::Na => "–".to_string(),
    }
}

/// What the "Rating change" column means, for the key.
pub const CHANGE_MEANING: &str = "The rating in the previous period, where it differs (“was Amber”)";

/// The moves of rating in a scorecard (counted over the indicators both periods rate Green,
/// Amber or Red).
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Moves {
    /// To a better rating.
    pub improved: usize,
    /// To a worse rating.
    pub worsened: usize,
    /// The same rating.
    pub unchanged: usize,
    /// Into Red (always a worsening).
    pub moved_to_red: usize,
    /// Into Amber, from Green (worsened) or from Red (improved).
    pub moved_to_amber: usize,
    /// Into Green (always an improvement).
    pub moved_to_green: usize,
    /// Indicators without a rating to compare in one of the periods.
    pub not_compared: usize,
}

impl Moves {
    /// Counts the moves of `(previous, current)` ratings.
    pub fn of(ratings: impl IntoIterator<Item = (Rag, Rag)>) -> Moves {
        let mut moves = Moves::default();
        for (previous, current) in ratings {
            let changed = previous != current;
            match rating_move(previous, current) {
                RatingMove::Improved => moves.improved += 1,
                RatingMove::Worsened => moves.worsened += 1,
                RatingMove::Unchanged => moves.unchanged += 1,
                RatingMove::Na => {
                    moves.not_compared += 1;
                    continue;
                }
            }
            match current {
                Rag::Red if changed => moves.moved_to_red += 1,
                Rag::Amber if changed => moves.moved_to_amber += 1,
                Rag::Green if changed => moves.moved_to_green += 1,
                _ => {}
            }
        }
        moves
    }

    /// These counts plus `other`'s (the moves of several scorecards).
    pub fn plus(self, other: Moves) -> Moves {
        Moves {
            improved: self.improved + other.improved,
            worsened: self.worsened + other.worsened,
            unchanged: self.unchanged + other.unchanged,
            moved_to_red: self.moved_to_red + other.moved_to_red,
            moved_to_amber: self.moved_to_amber + other.moved_to_amber,
            moved_to_green: self.moved_to_green + other.moved_to_green,
            not_compared: self.not_compared + other.not_compared,
        }
    }

    /// Indicators rated Green, Amber or Red in both periods.
    pub fn compared(&self) -> usize {
        self.improved + self.worsened + self.unchanged
    }

    /// The moves in one sentence, printed under the totals and by `check` and offered as the
    /// `{{ moves }}` placeholder: `2 indicators moved to Red, 1 moved from Green to Amber, 3
    /// improved their rating`; `no indicator changed its rating`. The first count names its
    /// noun, the others lean on it; counts of zero are left out. `None` when no indicator has
    /// a rating in both periods.
    pub fn sentence(&self) -> Option<String> {
        if self.compared() == 0 {
            return None;
        }
        let improved = if self.improved == 1 { "improved its rating" } else { "improved their rating" };
        let parts = [
            (self.moved_to_red, "moved to Red"),
            (self.worsened - self.moved_to_red, "moved from Green to Amber"),
            (self.improved, improved),
        ];
        let mut out: Vec<String> = Vec::new();
        for (count, phrase) in parts.into_iter().filter(|(count, _)| *count > 0) {
            out.push(match (out.is_empty(), count) {
                (true, 1) => format!("1 indicator {phrase}"),
                (true, n) => format!("{n} indicators {phrase}"),
                (false, n) => format!("{n} {phrase}"),
            });
        }
        if out.is_empty() {
            return Some("no indicator changed its rating".to_string());
        }
        Some(out.join(", "))
    }
}

/// Whether an indicator needs an exception report: every Red one, and, when `worsened_amber`
/// is asked for, every Amber one that worsened since the previous period — its value (the
/// direction of travel) or its rating (down from Green).
pub fn exception_due(rag: Rag, rating_move: RatingMove, direction: Direction, worsened_amber: bool) -> bool {
    match rag {
        Rag::Red => true,
        Rag::Amber => worsened_amber && (direction == Direction::Worsened || rating_move == RatingMove::Worsened),
        _ => false,
    }
}

/// A row whose target, floor and polarity do not make sense together. The caller adds the row
/// and the cells to the message.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RuleError {
    /// The floor is better than the target (above it when higher is better, below it when lower
    /// is better). Values are as printed (rounded).
    FloorWrongSide { target: f64, floor: f64, polarity: Polarity },
    /// A target without a polarity: which side of it is good is unknown.
    TargetWithoutPolarity,
    /// A floor without a target: almost always a target left out by mistake.
    FloorWithoutTarget,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleError::FloorWrongSide { target, floor, polarity } => {
                let (side, better) = match polarity {
                    Polarity::Higher => ("above", "higher"),
                    Polarity::Lower => ("below", "lower"),
                };
                write!(
                    f,
                    "the floor (minimum standard) {floor} is {side} the target {target}, but {better} is better; \
                     the floor must not be better than the target (check the polarity, or swap target and floor)"
                )
            }
            RuleError::TargetWithoutPolarity => write!(
                f,
                "a target needs a polarity (High or Low) to be rated; fill in the polarity or clear the target"
            ),
            RuleError::FloorWithoutTarget => write!(
                f,
                "a floor (minimum standard) needs a target to be rated; fill in the target or clear the floor"
            ),
        }
    }
}

impl std::error::Error for RuleError {}

/// Rates a value against its target and floor, comparing the values as printed.
///
/// - no target → [`Rag::None`] (an activity indicator; not rated);
/// - no current value → [`Rag::Na`];
/// - higher is better: Green when value ≥ target, Red when value < floor, otherwise Amber;
/// - lower is better: Green when value ≤ target, Red when value > floor, otherwise Amber;
/// - no floor: below target is Amber, never Red.
///
/// Errors (checked even when the current value is missing, so a bad row is caught the first
/// time): a target without a polarity, a floor without a target, a floor better than the
/// target. A floor equal to the target is allowed (no Amber band). Non-finite numbers count
/// as missing.
pub fn rate(
    current: Option<f64>,
    target: Option<f64>,
    floor: Option<f64>,
    polarity: Option<Polarity>,
    format: ValueFormat,
) -> Result<Rag, RuleError> {
    let shown = |value: Option<f64>| value.filter(|v| v.is_finite()).map(|v| format.displayed(v));
    let (current, target, floor) = (shown(current), shown(target), shown(floor));
    let Some(target) = target else {
        return match floor {
            Some(_) => Err(RuleError::FloorWithoutTarget),
            None => Ok(Rag::None),
        };
    };
    let polarity = polarity.ok_or(RuleError::TargetWithoutPolarity)?;
    // "better(a, b)": a is strictly better than b for this polarity.
    let better = |a: f64, b: f64| match polarity {
        Polarity::Higher => a > b,
        Polarity::Lower => a < b,
    };
    if let Some(floor) = floor
        && better(floor, target)
    {
        return Err(RuleError::FloorWrongSide { target, floor, polarity });
    }
    let Some(current) = current else {
        return Ok(Rag::Na);
    };
    Ok(if !better(target, current) {
        Rag::Green
    } else if floor.is_some_and(|floor| better(floor, current)) {
        Rag::Red
    } else {
        Rag::Amber
    })
}

/// The RAG word printed in the cell, so colour is never the only carrier of meaning.
pub fn rag_word(rag: Rag) -> &'static str {
    match rag {
        Rag::Green => "Green",
        Rag::Amber => "Amber",
        Rag::Red => "Red",
        Rag::Na => "N/A",
        Rag::None => "—",
    }
}

/// What a RAG rating means, for the key; Green, Amber and Red in the reference papers' words.
pub fn rag_meaning(rag: Rag) -> &'static str {
    match rag {
        Rag::Green => "Current target achieved or exceeded",
        Rag::Amber => "Performance is below current target but above minimum standard",
        Rag::Red => "Performance is below a pre-defined minimum standard",
        Rag::Na => "Data not available",
        Rag::None => "No target: activity indicator, not rated",
    }
}

/// Which way a number moved, at the precision printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Movement {
    Up,
    Down,
    Level,
}

impl Movement {
    /// The arrow drawn for the movement: ▲ up, ▼ down, ► level.
    pub fn arrow(self) -> char {
        match self {
            Movement::Up => '▲',
            Movement::Down => '▼',
            Movement::Level => '►',
        }
    }
}

/// Direction of travel with everything needed to print it: the judgement (for colour) and the
/// raw movement (for the arrow).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Travel {
    /// The judgement: improved / worsened / … ; what the renderers colour.
    pub direction: Direction,
    /// Which way the number moved; `None` when either value is missing.
    pub movement: Option<Movement>,
}

impl Travel {
    /// The arrow, which follows the number (`None` when not available).
    pub fn arrow(&self) -> Option<char> {
        self.movement.map(Movement::arrow)
    }

    /// The cell text: arrow and word, `▼ Improved`, `► No change`, `▲ Increased`; `–` when
    /// either value is missing.
    pub fn text(&self) -> String {
        match self.arrow() {
            Some(arrow) => format!("{arrow} {}", direction_word(self.direction)),
            None => direction_word(self.direction).to_string(),
        }
    }
}

/// Direction of travel from `previous` to `current`, compared as printed.
///
/// With a polarity: Improved / Worsened / Unchanged. Without (an activity indicator):
/// Increased / Decreased / Unchanged. Either value missing (or non-finite): Na.
pub fn travel(previous: Option<f64>, current: Option<f64>, polarity: Option<Polarity>, format: ValueFormat) -> Travel {
    let shown = |value: Option<f64>| value.filter(|v| v.is_finite()).map(|v| format.displayed(v));
    let (Some(previous), Some(current)) = (shown(previous), shown(current)) else {
        return Travel { direction: Direction::Na, movement: None };
    };
    let movement = if current > previous {
        Movement::Up
    } else if current < previous {
        Movement::Down
    } else {
        Movement::Level
    };
    let direction = match (movement, polarity) {
        (Movement::Level, _) => Direction::Unchanged,
        (Movement::Up, Some(Polarity::Higher)) | (Movement::Down, Some(Polarity::Lower)) => Direction::Improved,
        (Movement::Down, Some(Polarity::Higher)) | (Movement::Up, Some(Polarity::Lower)) => Direction::Worsened,
        (Movement::Up, None) => Direction::Increased,
        (Movement::Down, None) => Direction::Decreased,
    };
    Travel { direction, movement: Some(movement) }
}

/// The word for a direction: `Improved`, `Worsened`, `No change`, `Increased`, `Decreased`,
/// and `–` when not available.
pub fn direction_word(direction: Direction) -> &'static str {
    match direction {
        Direction::Improved => "Improved",
        Direction::Worsened => "Worsened",
        Direction::Unchanged => "No change",
        Direction::Increased => "Increased",
        Direction::Decreased => "Decreased",
        Direction::Na => "–",
    }
}

/// What a direction means, for the key.
pub fn direction_meaning(direction: Direction) -> &'static str {
    match direction {
        Direction::Improved => "Performance has improved since the previous period",
        Direction::Worsened => "Performance has worsened since the previous period",
        Direction::Unchanged => "No change since the previous period at the precision shown",
        Direction::Increased => "Activity has increased since the previous period (neither better nor worse)",
        Direction::Decreased => "Activity has decreased since the previous period (neither better nor worse)",
        Direction::Na => "No comparison: the previous or current value is not available",
    }
}

/// The key term for the arrows, which follow the number rather than the judgement.
pub const ARROWS_TERM: &str = "▲ ▼ ►";

/// What the arrows mean, for the key.
pub const ARROWS_MEANING: &str = "The value went up, went down or did not change since the previous period; the word beside the arrow says whether that is better or worse";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scorecard::format::Unit;

    const PCT1: ValueFormat = ValueFormat { unit: Unit::Percent, decimals: 1 };
    const COUNT: ValueFormat = ValueFormat { unit: Unit::Count, decimals: 0 };
    const H: Option<Polarity> = Some(Polarity::Higher);
    const L: Option<Polarity> = Some(Polarity::Lower);

    #[test]
    fn rate_higher_is_better() {
        // target 90, floor 85, 1 dp percent.
        #[rustfmt::skip]
        let cases: &[(f64, Rag, &str)] = &[
            (95.0, Rag::Green, "better than target"),
            (90.0, Rag::Green, "equal to target"),
            (89.96, Rag::Green, "rounds up to target"),
            (89.94, Rag::Amber, "rounds below target"),
            (87.5, Rag::Amber, "between"),
            (85.0, Rag::Amber, "equal to floor"),
            (84.96, Rag::Amber, "rounds up to floor"),
            (84.94, Rag::Red, "rounds below floor"),
            (50.0, Rag::Red, "beyond both"),
        ];
        for &(value, expected, why) in cases {
            assert_eq!(rate(Some(value), Some(90.0), Some(85.0), H, PCT1), Ok(expected), "{why}: {value}");
        }
    }

    #[test]
    fn rate_lower_is_better() {
        // target 10, floor 12, 1 dp percent.
        #[rustfmt::skip]
        let cases: &[(f64, Rag, &str)] = &[
            (8.0, Rag::Green, "better than target"),
            (10.0, Rag::Green, "equal to target"),
            (10.04, Rag::Green, "rounds down to target"),
            (10.05, Rag::Amber, "rounds above target"),
            (11.0, Rag::Amber, "between"),
            (12.0, Rag::Amber, "equal to floor"),
            (12.04, Rag::Amber, "rounds down to floor"),
            (12.05, Rag::Red, "rounds above floor"),
            (30.0, Rag::Red, "beyond both"),
        ];
        for &(value, expected, why) in cases {
            assert_eq!(rate(Some(value), Some(10.0), Some(12.0), L, PCT1), Ok(expected), "{why}: {value}");
        }
    }

    #[test]
    fn rate_at_the_displayed_precision() {
        // The brief's own example: target 12.0 at 1 dp.
        assert_eq!(rate(Some(11.96), Some(12.0), None, H, PCT1), Ok(Rag::Green));
        assert_eq!(rate(Some(11.94), Some(12.0), None, H, PCT1), Ok(Rag::Amber));
        // Target typed with more precision than shown: rated against what is printed.
        assert_eq!(rate(Some(12.0), Some(12.04), Some(11.0), H, PCT1), Ok(Rag::Green));
        // Counts at 0 dp.
        assert_eq!(rate(Some(9.6), Some(10.0), Some(8.0), H, COUNT), Ok(Rag::Green));
        assert_eq!(rate(Some(7.4), Some(10.0), Some(8.0), H, COUNT), Ok(Rag::Red));
        // Money compares at its printed scale: £1.24m shows as £1.2m, as does the target.
        let money = ValueFormat::new(Unit::Money);
        assert_eq!(rate(Some(1_160_000.0), Some(1_240_000.0), None, H, money), Ok(Rag::Green));
        assert_eq!(rate(Some(1_140_000.0), Some(1_240_000.0), None, H, money), Ok(Rag::Amber));
    }

    /// current, target, floor, polarity, expected, why.
    type RateCase<T> = (Option<f64>, Option<f64>, Option<f64>, Option<Polarity>, T, &'static str);

    #[test]
    fn rate_missing_and_unrated() {
        #[rustfmt::skip]
        let cases: &[RateCase<Rag>] = &[
            (None, Some(90.0), Some(85.0), H, Rag::Na, "no current value"),
            (Some(f64::NAN), Some(90.0), Some(85.0), H, Rag::Na, "non-finite current value"),
            (None, None, None, None, Rag::None, "nothing at all"),
            (Some(5.0), None, None, None, Rag::None, "activity indicator"),
            (Some(5.0), None, None, H, Rag::None, "polarity but no target"),
            (Some(80.0), Some(90.0), None, H, Rag::Amber, "no floor: below target is amber"),
            (Some(1.0), Some(90.0), None, H, Rag::Amber, "no floor: far below target is still amber"),
            (Some(30.0), Some(10.0), None, L, Rag::Amber, "no floor, lower is better"),
            (Some(10.0), Some(10.0), Some(10.0), H, Rag::Green, "floor equal to target, on target"),
            (Some(9.9), Some(10.0), Some(10.0), H, Rag::Red, "floor equal to target, below"),
            (Some(10.1), Some(10.0), Some(10.0), L, Rag::Red, "floor equal to target, lower is better"),
        ];
        for (current, target, floor, polarity, expected, why) in cases {
            assert_eq!(rate(*current, *target, *floor, *polarity, PCT1), Ok(*expected), "{why}");
        }
    }

    #[test]
    fn rate_configuration_errors() {
        let wrong_high = RuleError::FloorWrongSide { target: 85.0, floor: 90.0, polarity: Polarity::Higher };
        let wrong_low = RuleError::FloorWrongSide { target: 12.0, floor: 10.0, polarity: Polarity::Lower };
        #[rustfmt::skip]
        let cases: &[RateCase<RuleError>] = &[
            (Some(88.0), Some(85.0), Some(90.0), H, wrong_high, "higher: floor above target"),
            (None, Some(85.0), Some(90.0), H, wrong_high, "caught even without a value"),
            (Some(11.0), Some(12.0), Some(10.0), L, wrong_low, "lower: floor below target"),
            (Some(5.0), Some(10.0), None, None, RuleError::TargetWithoutPolarity, "target, no polarity"),
            (None, Some(10.0), Some(8.0), None, RuleError::TargetWithoutPolarity, "target and floor, no polarity"),
            (Some(5.0), None, Some(8.0), H, RuleError::FloorWithoutTarget, "floor, no target"),
        ];
        for (current, target, floor, polarity, expected, why) in cases {
            assert_eq!(rate(*current, *target, *floor, *polarity, PCT1), Err(*expected), "{why}");
        }
        // Wrong side only counts at the printed precision: 12.04 vs 12.0 is "equal".
        assert_eq!(rate(Some(12.0), Some(12.0), Some(12.04), H, PCT1), Ok(Rag::Green));
        assert_eq!(
            wrong_high.to_string(),
            "the floor (minimum standard) 90 is above the target 85, but higher is better; the floor must not be \
             better than the target (check the polarity, or swap target and floor)"
        );
        assert!(RuleError::TargetWithoutPolarity.to_string().starts_with("a target needs a polarity"));
    }

    #[test]
    fn rate_is_consistent_everywhere() {
        // A sweep in place of property tests: for every value on a fine grid the rating agrees
        // with the printed comparison, and never jumps the wrong way as the value improves.
        let format = PCT1;
        for polarity in [Polarity::Higher, Polarity::Lower] {
            let (target, floor) = match polarity {
                Polarity::Higher => (60.0, 40.0),
                Polarity::Lower => (40.0, 60.0),
            };
            let order = |rag: Rag| match rag {
                Rag::Red => 0,
                Rag::Amber => 1,
                Rag::Green => 2,
                _ => -1,
            };
            let mut previous_rank = None;
            for step in 0..=100_000 {
                // From worst to best.
                let value = match polarity {
                    Polarity::Higher => step as f64 * 0.001,
                    Polarity::Lower => 100.0 - step as f64 * 0.001,
                };
                let rag = rate(Some(value), Some(target), Some(floor), Some(polarity), format);
                let Ok(rag) = rag else { panic!("unexpected error at {value}") };
                let shown = format.displayed(value);
                let meets_target = match polarity {
                    Polarity::Higher => shown >= target,
                    Polarity::Lower => shown <= target,
                };
                assert_eq!(rag == Rag::Green, meets_target, "{polarity:?} {value}");
                if meets_target {
                    assert_ne!(rag, Rag::Red);
                }
                let rank = order(rag);
                if let Some(previous_rank) = previous_rank {
                    assert!(rank >= previous_rank, "{polarity:?}: rating got worse as {value} got better");
                }
                previous_rank = Some(rank);
            }
        }
    }

    /// previous, current, polarity, expected direction, expected text.
    type TravelCase = (Option<f64>, Option<f64>, Option<Polarity>, Direction, &'static str);

    #[test]
    fn travel_table() {
        use Direction::*;
        #[rustfmt::skip]
        let cases: &[TravelCase] = &[
            (Some(10.0), Some(12.0), H, Improved, "▲ Improved"),
            (Some(12.0), Some(10.0), H, Worsened, "▼ Worsened"),
            (Some(12.0), Some(10.0), L, Improved, "▼ Improved"),
            (Some(10.0), Some(12.0), L, Worsened, "▲ Worsened"),
            (Some(10.0), Some(10.0), H, Unchanged, "► No change"),
            (Some(10.0), Some(10.0), L, Unchanged, "► No change"),
            (Some(10.0), Some(10.04), H, Unchanged, "► No change"),
            (Some(11.96), Some(12.04), L, Unchanged, "► No change"),
            (Some(10.04), Some(10.05), H, Improved, "▲ Improved"),
            (Some(10.0), Some(12.0), None, Increased, "▲ Increased"),
            (Some(12.0), Some(10.0), None, Decreased, "▼ Decreased"),
            (Some(12.0), Some(12.0), None, Unchanged, "► No change"),
            (None, Some(12.0), H, Na, "–"),
            (Some(12.0), None, L, Na, "–"),
            (None, None, None, Na, "–"),
            (Some(f64::NAN), Some(12.0), H, Na, "–"),
        ];
        for &(previous, current, polarity, expected, text) in cases {
            let travel = travel(previous, current, polarity, PCT1);
            assert_eq!(travel.direction, expected, "{previous:?} → {current:?} {polarity:?}");
            assert_eq!(travel.text(), text, "{previous:?} → {current:?} {polarity:?}");
        }
    }

    #[test]
    fn rating_moves_compare_green_amber_and_red_only() {
        use Rag::*;
        #[rustfmt::skip]
        let cases: &[(Rag, Rag, RatingMove, &str)] = &[
            (Amber, Red, RatingMove::Worsened, "was Amber"),
            (Green, Red, RatingMove::Worsened, "was Green"),
            (Green, Amber, RatingMove::Worsened, "was Green"),
            (Red, Amber, RatingMove::Improved, "was Red"),
            (Red, Green, RatingMove::Improved, "was Red"),
            (Amber, Green, RatingMove::Improved, "was Amber"),
            (Red, Red, RatingMove::Unchanged, "no change"),
            (Green, Green, RatingMove::Unchanged, "no change"),
            (Na, Red, RatingMove::Na, "–"),
            (Amber, Na, RatingMove::Na, "–"),
            (Rag::None, Rag::None, RatingMove::Na, "–"),
            (Rag::None, Green, RatingMove::Na, "–"),
        ];
        for &(previous, current, expected, text) in cases {
            assert_eq!(rating_move(previous, current), expected, "{previous:?} → {current:?}");
            assert_eq!(change_text(previous, current), text, "{previous:?} → {current:?}");
        }
        assert_eq!(serde_json::to_string(&RatingMove::Worsened).unwrap_or_default(), "\"worsened\"");
    }

    #[test]
    fn moves_are_counted_and_said_in_one_sentence() {
        use Rag::*;
        // The 2014 fixture: SCS05 and SCS25 to Red, SCS14 from Green to Amber, three improved.
        let moves = Moves::of([
            (Amber, Red),
            (Amber, Red),
            (Green, Amber),
            (Amber, Green),
            (Amber, Green),
            (Amber, Green),
            (Red, Red),
            (Amber, Na),
            (Rag::None, Rag::None),
        ]);
        assert_eq!(
            moves,
            Moves {
                improved: 3,
                worsened: 3,
                unchanged: 1,
                moved_to_red: 2,
                moved_to_amber: 1,
                moved_to_green: 3,
                not_compared: 2
            }
        );
        assert_eq!(
            moves.sentence().as_deref(),
            Some("2 indicators moved to Red, 1 moved from Green to Amber, 3 improved their rating")
        );
        // (previous, current) ratings of each indicator, and the sentence they give.
        type Case<'a> = (&'a [(Rag, Rag)], Option<&'a str>);
        #[rustfmt::skip]
        let cases: &[Case] = &[
            (&[(Red, Amber)], Some("1 indicator improved its rating")),
            (&[(Green, Amber), (Red, Green)], Some("1 indicator moved from Green to Amber, 1 improved its rating")),
            (&[(Red, Amber), (Red, Amber)], Some("2 indicators improved their rating")),
            (&[(Green, Red)], Some("1 indicator moved to Red")),
            (&[(Red, Red), (Green, Green)], Some("no indicator changed its rating")),
            (&[(Na, Red), (Rag::None, Rag::None)], Option::None),
            (&[], Option::None),
        ];
        for (pairs, expected) in cases {
            assert_eq!(Moves::of(pairs.iter().copied()).sentence().as_deref(), *expected, "{pairs:?}");
        }
        let both = Moves::of([(Amber, Red)]).plus(Moves::of([(Red, Green)]));
        assert_eq!(both.sentence().as_deref(), Some("1 indicator moved to Red, 1 improved its rating"));
    }

    #[test]
    fn exception_reports_are_due_for_red_and_asked_for_worsened_amber() {
        use Direction as D;
        use RatingMove as M;
        #[rustfmt::skip]
        let cases: &[(Rag, M, D, bool, bool, &str)] = &[
            (Rag::Red, M::Unchanged, D::Improved, false, true, "red, even improving"),
            (Rag::Red, M::Na, D::Na, false, true, "red without a previous period"),
            (Rag::Amber, M::Unchanged, D::Worsened, false, false, "worsened amber not asked for"),
            (Rag::Amber, M::Unchanged, D::Worsened, true, true, "amber whose value worsened"),
            (Rag::Amber, M::Worsened, D::Unchanged, true, true, "amber down from green"),
            (Rag::Amber, M::Improved, D::Improved, true, false, "amber up from red"),
            (Rag::Amber, M::Unchanged, D::Unchanged, true, false, "steady amber"),
            (Rag::Green, M::Worsened, D::Worsened, true, false, "green never"),
            (Rag::Na, M::Na, D::Na, true, false, "no value"),
        ];
        for &(rag, rating, direction, worsened_amber, due, why) in cases {
            assert_eq!(exception_due(rag, rating, direction, worsened_amber), due, "{why}");
        }
    }

    #[test]
    fn words_and_meanings() {
        let words: Vec<&str> = [Rag::Green, Rag::Amber, Rag::Red, Rag::Na, Rag::None].map(rag_word).to_vec();
        assert_eq!(words, ["Green", "Amber", "Red", "N/A", "—"]);
        assert_eq!(rag_meaning(Rag::Green), "Current target achieved or exceeded");
        assert_eq!(Polarity::Higher.label(), "High");
        assert_eq!(serde_json::to_string(&Polarity::Higher).unwrap_or_default(), "\"higher\"");
        assert_eq!(serde_json::to_string(&Polarity::Lower).unwrap_or_default(), "\"lower\"");
        for d in Direction::ALL {
            assert!(!direction_word(d).is_empty());
            assert!(!direction_meaning(d).is_empty());
        }
    }
}
