//! Renderers: the document model in, file bytes out. They never write files or read inputs, and
//! they only draw what the model decided.

pub mod docx;
mod object_streams;
pub mod pack;
pub mod pdf;

pub use docx::{DocxOptions, render_docx};
pub use pack::{PackPdf, paginate_pack, render_pack_pdf};
pub use pdf::{PdfOptions, RenderedPdf, render_pdf};
