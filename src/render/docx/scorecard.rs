//! The scorecard table and its key, as Word tables.
//!
//! In: a [`ScorecardTable`] with formatted cells and settled ratings, and the width between the
//! margins. Out: two tables appended to the document: the scorecard (header row repeated on each
//! page, group rows across all columns, RAG cells shaded AND worded) and the key.
//!
//! Trend cells show a small sparkline picture of their points (see [`super::picture`] for why a
//! picture), whose alternative text is the model's sentence saying what the trend shows.
//!
//! The look follows the PDF, with the layout's numbers: dark header row, tinted group rows, the
//! table text size, direction arrows in colour beside their word, the key a few entries a row,
//! a line of totals and of the moves of rating since the previous period. The header row,
//! the rules and the cell margins are the table style's (`styles::scorecard_table`), so an
//! author restyles every scorecard in one place; what the data decides (RAG fills, arrow
//! colours, group rows) is on the cells.

use docx_rs::{AlignmentType, Shading, Table, TableCell, TableLayoutType, TableRow, VAlignType, WidthType};

use super::styles::TABLE_TEXT;
use super::{Item, RunFormat, Writer, emu, picture, spacing, text_run, twips};
use crate::model::{Align, Cell, Colours, Inline, KeyEntry, RagMark, ScorecardTable, TravelMark};

/// The table style of scorecards; `package` marks the first row of these tables as a header row.
pub(super) const SCORECARD_STYLE: &str = "ScorecardTable";
/// The table style of keys.
pub(super) const KEY_STYLE: &str = "ScorecardKey";

/// The fill and text colour of a RAG cell, when it is coloured.
fn rag_colours(rag: &Option<RagMark>) -> Option<&Colours> {
    rag.as_ref().and_then(|mark| mark.colours.as_ref())
}

/// Appends the scorecard and its key to the document.
pub(super) fn write(writer: &mut Writer, table: &ScorecardTable, text_width: usize) -> anyhow::Result<()> {
    let columns = table.columns.len();
    if columns == 0 {
        return Ok(());
    }
    let widths = column_widths(table.columns.iter().map(|c| c.width), text_width);
    let group_colours = writer.style.table.group.clone();

    let mut rows = Vec::new();
    // The header row's look (white bold on dark blue) comes from the table style's first-row
    // formatting, not from the cells.
    let header_cells = table
        .columns
        .iter()
        .zip(&widths)
        .map(|(column, &width)| {
            let p = writer.para().style(TABLE_TEXT).align(alignment(column.align)).add_run(text_run(&column.label));
            cell(width).add_paragraph(p)
        })
        .collect();
    // cantSplit also gives the row a w:trPr for `package` to add w:tblHeader to.
    rows.push(TableRow::new(header_cells).cant_split());

    for group in &table.groups {
        if let Some(name) = &group.name {
            let p = writer
                .para()
                .style(TABLE_TEXT)
                .keep_next(true)
                .add_run(text_run(name).bold().color(&group_colours.text));
            let merged = cell(text_width).grid_span(columns).shading(fill(&group_colours.fill)).add_paragraph(p);
            rows.push(TableRow::new(vec![merged]).cant_split());
        }
        for (row_index, row) in group.rows.iter().enumerate() {
            if row.cells.len() != columns {
                anyhow::bail!(
                    "scorecard row {} of group `{}` has {} cells for {} columns",
                    row_index + 1,
                    group.name.as_deref().unwrap_or("(unnamed)"),
                    row.cells.len(),
                    columns
                );
            }
            let cells = row
                .cells
                .iter()
                .zip(&table.columns)
                .zip(&widths)
                .map(|((data, column), &width)| data_cell(writer, data, column.align, width, false))
                .collect();
            rows.push(TableRow::new(cells).cant_split());
        }
    }
    // Rules and cell margins come from the table style (`assemble` drops the ones docx-rs
    // writes on every table).
    let scorecard = Table::new(rows)
        .style(SCORECARD_STYLE)
        .set_grid(widths)
        .width(text_width, WidthType::Dxa)
        .layout(TableLayoutType::Fixed);
    writer.items.push(Item::Table(Box::new(scorecard)));

    if !table.key.is_empty() {
        write_key(writer, table, text_width);
    }
    write_totals(writer, table);
    Ok(())
}

/// The key under the table, as in the PDF: the layout's number of entries a row, each a bold
/// term (shaded like the table for RAG terms, its arrow coloured for directions) beside its
/// meaning; no rules. The cell margins are the key's table style's. Every paragraph of the key
/// keeps with the next, so the key stays in one piece with the totals line under it.
fn write_key(writer: &mut Writer, table: &ScorecardTable, text_width: usize) {
    let table_layout = writer.layout().table.clone();
    let label = writer
        .para()
        .style(TABLE_TEXT)
        .keep_next(true)
        .line_spacing(spacing(writer.layout().spacing.table_note))
        .add_run(text_run("Key").bold());
    writer.push(label);
    let per_row = table_layout.key_per_row.max(1);
    let term_width = twips(table_layout.key_term).max(1) as usize;
    let meaning_width = (text_width.saturating_sub(per_row * term_width) / per_row).max(1);
    let widths: Vec<usize> = (0..per_row).flat_map(|_| [term_width, meaning_width]).collect();
    let rows = table
        .key
        .chunks(per_row)
        .map(|entries| {
            let mut cells = Vec::new();
            for index in 0..per_row {
                match entries.get(index) {
                    Some(entry) => {
                        cells.push(key_term(writer, entry, term_width));
                        let p = writer.para().style(TABLE_TEXT).keep_next(true).add_run(text_run(&entry.meaning));
                        cells.push(cell(meaning_width).add_paragraph(p));
                    }
                    None => {
                        for width in [term_width, meaning_width] {
                            let p = writer.para().style(TABLE_TEXT).keep_next(true);
                            cells.push(cell(width).add_paragraph(p));
                        }
                    }
                }
            }
            TableRow::new(cells).cant_split()
        })
        .collect();
    let key = Table::new(rows)
        .style(KEY_STYLE)
        .set_grid(widths)
        .width(per_row * (term_width + meaning_width), WidthType::Dxa)
        .layout(TableLayoutType::Fixed);
    writer.items.push(Item::Table(Box::new(key)));
}

/// A term of the key, right-aligned next to its meaning.
fn key_term(writer: &mut Writer, entry: &KeyEntry, width: usize) -> TableCell {
    let colours = rag_colours(&entry.rag).cloned();
    let mut p = writer.para().style(TABLE_TEXT).align(AlignmentType::Right).keep_next(true);
    p = match (&entry.travel, &colours) {
        (Some(travel), None) => direction_runs(p, travel, true),
        _ => {
            let format = RunFormat { bold: true, color: colours.as_ref().map(|c| c.text.as_str()) };
            writer.inlines(p, &[Inline::plain(entry.term.clone())], format)
        }
    };
    let mut term = cell(width).add_paragraph(p);
    if let Some(colours) = &colours {
        term = term.shading(fill(&colours.fill));
    }
    term
}

/// `▲ Improved`: the arrow in its colour, the word in the text colour.
fn direction_runs(p: docx_rs::Paragraph, travel: &TravelMark, bold: bool) -> docx_rs::Paragraph {
    let bolden = |run: docx_rs::Run| if bold { run.bold() } else { run };
    match &travel.arrow {
        Some(arrow) => p
            .add_run(bolden(text_run(arrow).color(&travel.colour)))
            .add_run(bolden(text_run(&format!(" {}", travel.word)))),
        None => p.add_run(bolden(text_run(&travel.word))),
    }
}

/// `Totals: Green 6, … not rated 8. Since the previous period: 2 indicators moved to Red, …`, as
/// under the PDF's table.
fn write_totals(writer: &mut Writer, table: &ScorecardTable) {
    let Some(line) = &table.totals_line else {
        return;
    };
    let p = writer.para().style(TABLE_TEXT).line_spacing(spacing(writer.layout().spacing.table_note));
    let p = writer.inlines(p, line, RunFormat::default());
    writer.push(p);
}

/// One data cell: its text (with a sparkline picture for trends, a coloured arrow for
/// directions), aligned, and shaded when it is a RAG cell; its paragraph keeps with the next
/// when `keep_next` (the rows of an exception report stay together).
pub(super) fn data_cell(writer: &mut Writer, data: &Cell, align: Align, width: usize, keep_next: bool) -> TableCell {
    let colours = rag_colours(&data.rag).cloned();
    let mut p = writer.para().style(TABLE_TEXT).align(alignment(align)).keep_next(keep_next);
    if let Some(trend) = &data.trend
        && let Some(line) = &trend.sparkline
        && let Some(png) = picture::sparkline_png(line, &writer.style.trend, &writer.style.layout.table)
    {
        let table_layout = &writer.layout().table;
        let size = (emu(table_layout.sparkline_width), emu(table_layout.sparkline_height));
        let pic = writer.picture(png, picture::sparkline_pixels(), size, &trend.description);
        p = p.add_run(docx_rs::Run::new().add_image(pic));
        if !data.text.trim().is_empty() {
            p = p
                .add_run(docx_rs::Run::new().add_break(docx_rs::BreakType::TextWrapping))
                .add_run(text_run(&data.text));
        }
    } else if let (Some(travel), None) = (&data.travel, &colours) {
        p = direction_runs(p, travel, false);
    } else {
        let mut run = text_run(&data.text);
        if let Some(colours) = &colours {
            run = run.bold().color(&colours.text);
        }
        p = p.add_run(run);
    }
    let mut table_cell = cell(width).add_paragraph(p);
    if let Some(colours) = &colours {
        table_cell = table_cell.shading(fill(&colours.fill));
    }
    table_cell
}

pub(super) fn cell(width: usize) -> TableCell {
    TableCell::new().width(width, WidthType::Dxa).vertical_align(VAlignType::Center)
}

pub(super) fn fill(colour: &str) -> Shading {
    Shading::new().fill(colour).color("auto")
}

fn alignment(align: Align) -> AlignmentType {
    match align {
        Align::Left => AlignmentType::Left,
        Align::Center => AlignmentType::Center,
        Align::Right => AlignmentType::Right,
    }
}

/// Column widths proportional to the model's relative widths, summing exactly to `total`.
/// Widths that are not positive finite numbers count as 1.
fn column_widths(relative: impl Iterator<Item = f32>, total: usize) -> Vec<usize> {
    let relative: Vec<f64> = relative.map(|w| if w.is_finite() && w > 0.0 { f64::from(w) } else { 1.0 }).collect();
    let sum: f64 = relative.iter().sum();
    let mut widths: Vec<usize> = relative.iter().map(|w| (w / sum * total as f64).floor() as usize).collect();
    let assigned: usize = widths.iter().sum();
    if let Some(last) = widths.last_mut() {
        *last += total.saturating_sub(assigned);
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_are_proportional_and_fill_the_line() {
        let widths = column_widths([1.0, 3.0, f32::NAN, 0.0].into_iter(), 6001);
        assert_eq!(widths.iter().sum::<usize>(), 6001);
        assert_eq!(widths[0], 1000);
        assert_eq!(widths[1], 3000);
        assert_eq!(widths[2], 1000);
    }
}
