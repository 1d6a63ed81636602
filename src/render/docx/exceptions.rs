//! The exception reports of a scorecard, as Word paragraphs and tables.
//!
//! In: an [`Exceptions`] block with every text decided, and where it stands (after a scorecard,
//! or in a body section). Out: after the table, a page break and the *Exception reports*
//! heading (Heading 2); the intro; then for each report its title (a bold line that keeps with
//! its table) and a two-column table of labels (bold) and values, every paragraph of every row
//! but the last keeping with the next, so that a report is never parted across pages — as the
//! PDF sets each report in one unbreakable block. The label cells are tinted like the
//! scorecard's section rows. The tables have a style of their own
//! (*Exception Report*: the scorecard's rules and cell margins, no header row) and the report's
//! title and summary as their Word "Alt Text". In a body section everything starts where
//! unnumbered content does.

use docx_rs::{Table, TableLayoutType, TableRow, WidthType};

use super::scorecard::{cell, data_cell, fill};
use super::styles::{HEADING2, TABLE_TEXT};
use super::{Item, Writer, spacing, text_run, twips};
use crate::model::{Align, ExceptionReport, Exceptions};

/// The table style of exception reports.
pub(super) const EXCEPTION_STYLE: &str = "ExceptionReport";

/// Where a block of exception reports stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Placement {
    /// After a scorecard, on a page of its own.
    Appendix,
    /// In a body section, at the indent of unnumbered content.
    Body,
}

/// Appends the exception reports to the document; `text_width` is the width between the
/// margins, in twips.
pub(super) fn write(writer: &mut Writer, exceptions: &Exceptions, placement: Placement, text_width: usize) {
    let indent = match placement {
        Placement::Appendix => 0,
        Placement::Body => twips(writer.layout().indents.unnumbered).max(0),
    };
    if let Some(heading) = &exceptions.heading {
        let p = writer
            .para()
            .style(HEADING2)
            .page_break_before(placement == Placement::Appendix)
            .add_run(text_run(heading));
        writer.push(p);
    }
    let intro = match placement {
        Placement::Appendix => writer.para(),
        Placement::Body => writer.unnumbered(),
    };
    writer.push(intro.add_run(text_run(&exceptions.intro)));
    let width = text_width.saturating_sub(indent as usize).max(1);
    for report in &exceptions.reports {
        write_report(writer, report, indent, width);
    }
}

/// One report: its title, then its table.
fn write_report(writer: &mut Writer, report: &ExceptionReport, indent: i32, width: usize) {
    let note = writer.layout().spacing.table_note;
    let mut title = writer.para().style(TABLE_TEXT).keep_next(true).line_spacing(spacing(note));
    if indent != 0 {
        title = title.indent(Some(indent), None, None, None);
    }
    writer.push(title.add_run(text_run(&report.title).bold()));

    let label_width = (twips(writer.layout().table.exception_label).max(1) as usize).min(width / 2);
    let group = writer.style.table.group.clone();
    let value_width = width - label_width;
    let last = report.rows.len().saturating_sub(1);
    let rows = report
        .rows
        .iter()
        .enumerate()
        .map(|(index, row)| {
            let keep = index < last;
            let label =
                writer.para().style(TABLE_TEXT).keep_next(keep).add_run(text_run(&row.label).bold().color(&group.text));
            let cells = vec![
                cell(label_width).shading(fill(&group.fill)).add_paragraph(label),
                data_cell(writer, &row.value, Align::Left, value_width, keep),
            ];
            TableRow::new(cells).cant_split()
        })
        .collect();
    let mut table = Table::new(rows)
        .style(EXCEPTION_STYLE)
        .set_grid(vec![label_width, value_width])
        .width(width, WidthType::Dxa)
        .layout(TableLayoutType::Fixed);
    if indent != 0 {
        table = table.indent(indent);
    }
    writer.items.push(Item::Table(Box::new(table)));
    writer.exception_captions.push((report.title.clone(), report.summary.clone()));
}
