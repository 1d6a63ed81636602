//! The scorecard table and its key, as Word tables.
//!
//! In: a [`ScorecardTable`] with formatted cells and settled ratings, and the width between the
//! margins. Out: two tables appended to the document: the scorecard (header row repeated on each
//! page, group rows across all columns, RAG cells shaded AND worded) and the key.
//!
//! Trend cells show a Unicode sparkline (`▁▃▅▇`) of their points. The model gives the points as
//! bare numbers without units, so printing them as values would disagree with the formatted
//! Previous/Current columns; the shape is what a trend column is for, and the numbers themselves
//! are in the neighbouring columns. A gap is a space.

use docx_rs::{
    AlignmentType, BorderType, Shading, Table, TableBorder, TableBorderPosition, TableBorders, TableCell,
    TableCellMargins, TableLayoutType, TableRow, VAlignType, WidthType,
};

use super::{Item, RunFormat, Writer, text_run};
use crate::model::{Align, Cell, Inline, Rag, ScorecardTable};

/// The table style of scorecards; `package` marks the first row of these tables as a header row.
pub(super) const SCORECARD_STYLE: &str = "ScorecardTable";
/// The table style of keys.
pub(super) const KEY_STYLE: &str = "ScorecardKey";

/// Header row: white bold text on dark blue (contrast 8.6:1).
const HEADER_FILL: &str = "1F3864";
/// Group rows: a light tint of the header colour, dark text.
const GROUP_FILL: &str = "D9E2F3";
const WHITE: &str = "FFFFFF";
const DARK: &str = "0B0C0C";
/// Width of the key's term column: 4 cm.
const KEY_TERM_WIDTH: usize = 2268;
/// The key's meaning column is at most this wide, so it stays readable on landscape pages.
const KEY_MEANING_MAX: usize = 9072;

/// Fill and text colour of a RAG cell; every pair has a contrast of at least 4.5:1, and the cell
/// always holds the word too (colour is never the only carrier of meaning).
fn rag_colours(rag: Rag) -> Option<(&'static str, &'static str)> {
    match rag {
        Rag::Green => Some(("00703C", WHITE)),
        Rag::Amber => Some(("FFBF00", DARK)),
        Rag::Red => Some(("D4351C", WHITE)),
        Rag::Na => Some(("B1B4B6", DARK)),
        Rag::None => None,
    }
}

/// Appends the scorecard and its key to the document.
pub(super) fn write(writer: &mut Writer, table: &ScorecardTable, text_width: usize) -> anyhow::Result<()> {
    let columns = table.columns.len();
    if columns == 0 {
        return Ok(());
    }
    let widths = column_widths(table.columns.iter().map(|c| c.width), text_width);

    let mut rows = Vec::new();
    let header_cells = table
        .columns
        .iter()
        .zip(&widths)
        .map(|(column, &width)| {
            let p = writer
                .para()
                .style("TableText")
                .align(alignment(column.align))
                .add_run(text_run(&column.label).bold().color(WHITE));
            cell(width).shading(fill(HEADER_FILL)).add_paragraph(p)
        })
        .collect();
    // cantSplit also gives the row a w:trPr for `package` to add w:tblHeader to.
    rows.push(TableRow::new(header_cells).cant_split());

    for group in &table.groups {
        if let Some(name) = &group.name {
            let p = writer.para().style("TableText").keep_next(true).add_run(text_run(name).bold().color(DARK));
            let merged = cell(text_width).grid_span(columns).shading(fill(GROUP_FILL)).add_paragraph(p);
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
                .map(|((data, column), &width)| data_cell(writer, data, column.align, width))
                .collect();
            rows.push(TableRow::new(cells).cant_split());
        }
    }
    let scorecard = Table::new(rows)
        .style(SCORECARD_STYLE)
        .set_grid(widths)
        .width(text_width, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .set_borders(borders())
        .margins(TableCellMargins::new().margin(20, 57, 20, 57));
    writer.items.push(Item::Table(Box::new(scorecard)));

    if !table.key.is_empty() {
        write_key(writer, table, text_width);
    }
    Ok(())
}

/// The key under the table: each term shaded like the table, and its meaning.
fn write_key(writer: &mut Writer, table: &ScorecardTable, text_width: usize) {
    let label = writer
        .para()
        .style("TableText")
        .keep_next(true)
        .line_spacing(docx_rs::LineSpacing::new().before(160).after(40))
        .add_run(text_run("Key").bold());
    writer.push(label);
    let meaning_width = text_width.saturating_sub(KEY_TERM_WIDTH).clamp(1, KEY_MEANING_MAX);
    let rows = table
        .key
        .iter()
        .map(|entry| {
            let colours = entry.rag.and_then(rag_colours);
            let format = RunFormat { bold: colours.is_some(), color: colours.map(|(_, text)| text) };
            let p = writer.para().style("TableText");
            let p = writer.inlines(p, &[Inline::plain(entry.term.clone())], format);
            let mut term = cell(KEY_TERM_WIDTH).add_paragraph(p);
            if let Some((background, _)) = colours {
                term = term.shading(fill(background));
            }
            let p = writer.para().style("TableText").add_run(text_run(&entry.meaning));
            TableRow::new(vec![term, cell(meaning_width).add_paragraph(p)]).cant_split()
        })
        .collect();
    let key = Table::new(rows)
        .style(KEY_STYLE)
        .set_grid(vec![KEY_TERM_WIDTH, meaning_width])
        .width(KEY_TERM_WIDTH + meaning_width, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .set_borders(borders())
        .margins(TableCellMargins::new().margin(20, 57, 20, 57));
    writer.items.push(Item::Table(Box::new(key)));
}

/// One data cell: its text (or sparkline), aligned, and shaded when it is a RAG cell.
fn data_cell(writer: &mut Writer, data: &Cell, align: Align, width: usize) -> TableCell {
    let text = match &data.trend {
        Some(points) if data.text.trim().is_empty() => sparkline(points),
        _ => data.text.clone(),
    };
    let colours = data.rag.and_then(rag_colours);
    let mut run = text_run(&text);
    if let Some((_, text_colour)) = colours {
        run = run.bold().color(text_colour);
    }
    let p = writer.para().style("TableText").align(alignment(align)).add_run(run);
    let mut table_cell = cell(width).add_paragraph(p);
    if let Some((background, _)) = colours {
        table_cell = table_cell.shading(fill(background));
    }
    table_cell
}

fn cell(width: usize) -> TableCell {
    TableCell::new().width(width, WidthType::Dxa).vertical_align(VAlignType::Center)
}

fn fill(colour: &str) -> Shading {
    Shading::new().fill(colour).color("auto")
}

fn alignment(align: Align) -> AlignmentType {
    match align {
        Align::Left => AlignmentType::Left,
        Align::Center => AlignmentType::Center,
        Align::Right => AlignmentType::Right,
    }
}

fn borders() -> TableBorders {
    [
        TableBorderPosition::Top,
        TableBorderPosition::Left,
        TableBorderPosition::Bottom,
        TableBorderPosition::Right,
        TableBorderPosition::InsideH,
        TableBorderPosition::InsideV,
    ]
    .into_iter()
    .fold(TableBorders::new(), |borders, position| {
        borders.set(TableBorder::new(position).border_type(BorderType::Single).size(4).color("7F7F7F"))
    })
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

/// A sparkline of the points, one block per point, scaled between the smallest and the largest;
/// a missing (or non-finite) point is a space; a flat series sits at mid height.
fn sparkline(points: &[Option<f64>]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let present: Vec<f64> = points.iter().flatten().copied().filter(|v| v.is_finite()).collect();
    if present.is_empty() {
        return " ".to_owned();
    }
    let min = present.iter().copied().fold(f64::INFINITY, f64::min);
    let max = present.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    points
        .iter()
        .map(|point| match point {
            Some(v) if v.is_finite() => {
                if max > min {
                    BARS[(((v - min) / (max - min)) * 7.0).round() as usize]
                } else {
                    BARS[3]
                }
            }
            _ => ' ',
        })
        .collect()
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

    #[test]
    fn sparkline_scales_and_shows_gaps() {
        assert_eq!(sparkline(&[Some(1.0), None, Some(3.0), Some(2.0)]), "▁ █▅");
        assert_eq!(sparkline(&[Some(5.0), Some(5.0)]), "▄▄");
        assert_eq!(sparkline(&[None, Some(f64::NAN)]), " ");
    }
}
