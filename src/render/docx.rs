//! DOCX: model -> docx-rs -> DOCX bytes. (Being written.)

use crate::model::Paper;

/// Knobs for the DOCX renderer.
#[derive(Debug, Clone, Default)]
pub struct DocxOptions {}

/// Build a paper as DOCX bytes.
pub fn render_docx(_paper: &Paper, _options: &DocxOptions) -> anyhow::Result<Vec<u8>> {
    anyhow::bail!("the DOCX renderer is not written yet")
}
