//! committee-paper: Excel workbooks plus a YAML paper file in, committee papers (PDF, DOCX) out.

pub mod model;
pub mod render;
pub mod scorecard;
