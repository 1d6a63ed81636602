//! PDF: model -> JSON -> typst World -> PDF bytes. (Being written.)

use crate::model::Paper;

/// Knobs for the PDF renderer.
#[derive(Debug, Clone, Default)]
pub struct PdfOptions {}

/// Typeset a paper to PDF bytes.
pub fn render_pdf(_paper: &Paper, _options: &PdfOptions) -> anyhow::Result<Vec<u8>> {
    anyhow::bail!("the PDF renderer is not written yet")
}
