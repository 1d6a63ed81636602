//! A rated scorecard in, the printed table out: the columns, the rows grouped by section with
//! every cell decided (text, rating and colours, arrow and word, trend and its description), the
//! key explaining the colours, arrows, changes of rating and period types, the totals sentence
//! and the sentence of the moves since the previous period.

use chrono::NaiveDate;

use super::layout::text_width;
use super::style::Style;
use super::{Cell, Column, Inline, KeyEntry, RagMark, Row, RowGroup, ScorecardTable, Text, TravelMark, Trend};
use crate::scorecard::rules::{
    ARROWS_MEANING, ARROWS_TERM, CHANGE_MEANING, change_text, direction_meaning, direction_word, rag_meaning, rag_word,
};
use crate::scorecard::{ColumnKey, Direction, Indicator, PeriodType, Rag, Scorecard, Travel};

/// Lays out the printed table of a scorecard in the paper's house style, on a landscape page or
/// not.
pub fn scorecard_table(card: &Scorecard, style: &Style, landscape: bool) -> ScorecardTable {
    let mut row_headers = 0;
    let mut columns: Vec<Column> = card
        .columns
        .iter()
        .map(|c| {
            let (align, width) = c.key.layout();
            let row_header = matches!(c.key, ColumnKey::Ref | ColumnKey::Indicator).then(|| {
                row_headers += 1;
                row_headers
            });
            Column { key: c.key, label: c.label.clone(), align, width, row_header, break_words: false }
        })
        .collect();
    let mut groups: Vec<RowGroup> = Vec::new();
    for indicator in &card.indicators {
        let row = Row { cells: card.columns.iter().map(|c| cell(indicator, c.key, card, style)).collect() };
        match groups.iter_mut().find(|g| g.name == indicator.section) {
            Some(g) => g.rows.push(row),
            None => groups.push(RowGroup { name: indicator.section.clone(), rows: vec![row] }),
        }
    }
    mark_narrow_columns(&mut columns, &groups, style, landscape);
    ScorecardTable {
        period: card.period.clone(),
        key: key_entries(card, style),
        totals: card.totals,
        totals_sentence: card.totals.sentence(),
        moves_sentence: card.moves.sentence(),
        totals_line: totals_line(card.totals.sentence(), card.moves.sentence()),
        summary: summary(card, &groups),
        columns,
        groups,
    }
}

/// The line under the key: the totals, then the moves since the previous period, each after its
/// bold label; a full stop between the two.
fn totals_line(totals: Option<String>, moves: Option<String>) -> Option<Text> {
    let bold = |text: &str| Inline::Run { text: text.into(), bold: true, italic: false, link: None };
    let mut line = Vec::new();
    if let Some(totals) = totals {
        line.push(bold("Totals:"));
        line.push(Inline::plain(format!(" {totals}")));
    }
    if let Some(moves) = moves {
        if !line.is_empty() {
            line.push(Inline::plain(". "));
        }
        line.push(bold("Since the previous period:"));
        line.push(Inline::plain(format!(" {moves}")));
    }
    (!line.is_empty()).then_some(line)
}

/// What the table holds, in words: `Scorecard of 26 indicators for July 2014, in 7 sections
/// (Early Help & Referrals, …), one row per indicator under its section; columns: Ref,
/// Indicator, …. Totals: Green 6, ….`
fn summary(card: &Scorecard, groups: &[RowGroup]) -> String {
    let count = card.indicators.len();
    let mut text = format!("Scorecard of {count} indicator{}", if count == 1 { "" } else { "s" });
    if let Some(period) = &card.period {
        text.push_str(&format!(" for {period}"));
    }
    let sections: Vec<&str> = groups.iter().filter_map(|g| g.name.as_deref()).collect();
    match sections.len() {
        0 => text.push_str(", one row per indicator"),
        1 => text.push_str(&format!(", in one section ({}), one row per indicator", sections[0])),
        n => text
            .push_str(&format!(", in {n} sections ({}), one row per indicator under its section", sections.join(", "))),
    }
    let labels: Vec<&str> = card.columns.iter().map(|c| c.label.as_str()).collect();
    text.push_str(&format!("; columns: {}.", labels.join(", ")));
    if let Some(totals) = card.totals.sentence() {
        text.push_str(&format!(" Totals: {totals}."));
    }
    if let Some(moves) = card.moves.sentence() {
        text.push_str(&format!(" Since the previous period: {moves}."));
    }
    text
}

/// Sets `break_words` on the columns that have a word wider than themselves: the label in bold,
/// the cells in regular text (bold for ratings), at the table's size, against the column's share
/// of the page less its padding.
fn mark_narrow_columns(columns: &mut [Column], groups: &[RowGroup], style: &Style, landscape: bool) {
    let layout = &style.layout;
    let total: f32 = columns.iter().map(|c| c.width.max(0.0)).sum();
    if total <= 0.0 {
        return;
    }
    let page = layout.text_width(style.paper_size, landscape);
    let size = layout.sizes.table;
    let widest =
        |text: &str, bold: bool| text.split_whitespace().map(|w| text_width(w, size, bold)).fold(0.0, f32::max);
    for (index, column) in columns.iter_mut().enumerate() {
        let room = page * column.width.max(0.0) / total - 2.0 * layout.table.cell_x;
        let cells = groups.iter().flat_map(|g| &g.rows).filter_map(|row| row.cells.get(index));
        let widest_cell = cells.map(|c| widest(&c.text, c.rag.is_some())).fold(0.0, f32::max);
        column.break_words = widest(&column.label, true).max(widest_cell) > room;
    }
}

/// A RAG rating with its house colours.
pub fn rag_mark(rag: Rag, style: &Style) -> RagMark {
    RagMark { rating: rag, colours: style.colours.of(rag).cloned() }
}

/// A direction of travel: its arrow (when `arrow` is given) in its house colour, and its word.
pub fn travel_mark(direction: Direction, arrow: Option<char>, style: &Style) -> TravelMark {
    TravelMark {
        direction,
        arrow: arrow.map(String::from),
        colour: style.arrows.of(direction).to_owned(),
        word: direction_word(direction).to_owned(),
    }
}

fn cell(i: &Indicator, key: ColumnKey, card: &Scorecard, style: &Style) -> Cell {
    match key {
        ColumnKey::Ref => Cell::text(&i.reference),
        ColumnKey::Indicator => Cell::text(&i.name),
        ColumnKey::Section => Cell::text(i.section.clone().unwrap_or_default()),
        ColumnKey::Polarity => Cell::text(i.polarity.map_or("–", |p| p.label())),
        ColumnKey::Unit => Cell::text(i.unit.label()),
        ColumnKey::Decimals => Cell::text(i.decimals.to_string()),
        ColumnKey::Period => Cell::text(i.period_type.map(|p| p.label()).unwrap_or_default()),
        ColumnKey::Previous => Cell::text(i.printed(i.previous)),
        ColumnKey::Current if i.value.is_none() => Cell::text("–"),
        ColumnKey::Current => Cell::text(i.printed(i.value)),
        ColumnKey::Target => Cell::text(i.printed(i.target)),
        ColumnKey::Floor => Cell::text(i.printed(i.floor)),
        ColumnKey::England => Cell::text(i.printed(i.england)),
        ColumnKey::Neighbours => Cell::text(i.printed(i.neighbours)),
        ColumnKey::Rag => rag_cell(i.rag, style),
        ColumnKey::PreviousRag => rag_cell(i.previous_rag, style),
        ColumnKey::Change => Cell::text(change_text(i.previous_rag, i.rag)),
        ColumnKey::Direction => direction_cell(&i.travel, style),
        ColumnKey::Trend => {
            Cell { trend: Some(Trend::new(i.trend.clone(), describe_trend(i, &card.trend_months))), ..Cell::default() }
        }
        ColumnKey::Commentary => Cell::text(i.commentary.clone().unwrap_or_default()),
        ColumnKey::Action => Cell::text(i.action.clone().unwrap_or_default()),
        ColumnKey::Owner => Cell::text(i.owner.clone().unwrap_or_default()),
    }
}

/// A rating as printed: its word in its house colours.
pub fn rag_cell(rag: Rag, style: &Style) -> Cell {
    Cell { rag: Some(rag_mark(rag, style)), ..Cell::text(rag_word(rag)) }
}

/// A direction of travel as printed: the arrow in its colour and the word.
pub fn direction_cell(travel: &Travel, style: &Style) -> Cell {
    Cell { travel: Some(travel_mark(travel.direction, travel.arrow(), style)), ..Cell::text(travel.text()) }
}

/// What a trend shows, in words, for readers who cannot see the drawing: `Trend over 12
/// months: from 71.5% in August 2013 to 68.9% in July 2014; lowest 65.2%, highest 74.0%`.
/// Values are printed as the table prints them; months without a value are skipped.
pub fn describe_trend(i: &Indicator, months: &[NaiveDate]) -> String {
    let month = |index: usize| months.get(index).map(|m| m.format("%B %Y").to_string()).unwrap_or_default();
    let known: Vec<(usize, f64)> = i.trend.iter().enumerate().filter_map(|(n, v)| v.map(|v| (n, v))).collect();
    let span = match i.trend.len() {
        1 => "1 month".to_string(),
        n => format!("{n} months"),
    };
    let (Some(&(first, from)), Some(&(last, to))) = (known.first(), known.last()) else {
        return format!("Trend over {span}: no values");
    };
    if known.len() == 1 {
        return format!("Trend over {span}: only {} has a value, {}", month(first), i.printed(Some(from)));
    }
    let values = known.iter().map(|(_, v)| *v);
    let lowest = values.clone().fold(f64::INFINITY, f64::min);
    let highest = values.fold(f64::NEG_INFINITY, f64::max);
    format!(
        "Trend over {span}: from {} in {} to {} in {}; lowest {}, highest {}",
        i.printed(Some(from)),
        month(first),
        i.printed(Some(to)),
        month(last),
        i.printed(Some(lowest)),
        i.printed(Some(highest))
    )
}

/// The key: the reference paper's RAG wording, the arrows, and the period types in the table.
fn key_entries(card: &Scorecard, style: &Style) -> Vec<KeyEntry> {
    let mut key = Vec::new();
    let shows = |k: ColumnKey| card.columns.iter().any(|c| c.key == k);
    if shows(ColumnKey::Rag) {
        // Green, Amber and Red always; N/A and "not rated" only when the table has them.
        let present = |r: Rag| !matches!(r, Rag::Na | Rag::None) || card.totals.count(r) > 0;
        for rag in Rag::ALL.into_iter().filter(|r| present(*r)) {
            key.push(KeyEntry {
                term: rag_word(rag).to_string(),
                rag: Some(rag_mark(rag, style)),
                travel: None,
                meaning: rag_meaning(rag).to_string(),
            });
        }
    }
    if shows(ColumnKey::Direction) {
        key.push(KeyEntry { term: ARROWS_TERM.into(), rag: None, travel: None, meaning: ARROWS_MEANING.into() });
        for direction in Direction::ALL.into_iter().filter(|d| card.indicators.iter().any(|i| i.travel.direction == *d))
        {
            key.push(KeyEntry {
                term: direction_word(direction).to_string(),
                rag: None,
                travel: Some(travel_mark(direction, None, style)),
                meaning: direction_meaning(direction).to_string(),
            });
        }
    }
    if let Some(change) = card.columns.iter().find(|c| c.key == ColumnKey::Change) {
        key.push(KeyEntry { term: change.label.clone(), rag: None, travel: None, meaning: CHANGE_MEANING.into() });
    }
    if shows(ColumnKey::Period) {
        for period in PeriodType::ALL.into_iter().filter(|p| card.indicators.iter().any(|i| i.period_type == Some(*p)))
        {
            key.push(KeyEntry {
                term: period.label().to_string(),
                rag: None,
                travel: None,
                meaning: period.meaning().to_string(),
            });
        }
    }
    key
}
