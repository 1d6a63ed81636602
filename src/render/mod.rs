//! Renderers: the document model in, file bytes out. They never write files or read inputs.

pub mod docx;
pub mod pdf;

pub use docx::{DocxOptions, render_docx};
pub use pdf::{PdfOptions, PdfStandard, render_pdf};
