//! External PDFs for agenda packs: a PDF file in, one SVG picture per page out.
//!
//! A pack is typeset as one typst document, and typst 0.15 refuses to embed PDF pages when the
//! output must meet PDF/A or PDF/UA (krilla's validator forbids embedded PDFs). An SVG picture of
//! the page can be placed under both, with alternative text, so each page is converted here with
//! `hayro-svg` (the pure-Rust PDF interpreter typst itself uses to show PDF images; no new crates,
//! no external program). The picture keeps the page's vector drawing; its text becomes outlines,
//! so a screen reader gets only the alternative text the pack gives each page.
//!
//! The 14 standard PDF fonts, which a PDF may use without embedding, are served from typst's own
//! assets (the Foxit fonts), as typst does when it shows a PDF image.

use std::path::Path;
use std::sync::Arc;

use anyhow::Result;
use hayro_svg::hayro_interpret::InterpreterSettings;
use hayro_svg::hayro_interpret::font::{FontData, FontQuery, StandardFont};
use hayro_svg::hayro_syntax::{LoadPdfError, Pdf};
use hayro_svg::{RenderCache, SvgRenderSettings};

use crate::diagnostic::Diagnostic;

/// The most pages an external PDF may have: an agenda item is a few pages of minutes or a
/// report; a file far longer is almost certainly the wrong one, and would make a pack of
/// hundreds of megabytes.
pub const MAX_PAGES: usize = 200;

/// An external PDF, converted.
#[derive(Debug, Clone)]
pub struct ExternalPdf {
    /// The pages in order.
    pub pages: Vec<PageImage>,
    /// The document's own title (its metadata), when it has one.
    pub title: Option<String>,
}

/// One page as an SVG picture.
#[derive(Debug, Clone)]
pub struct PageImage {
    /// Width and height in points, after the page's rotation.
    pub width: f32,
    pub height: f32,
    /// The SVG document (shared, so that versions of a pack do not copy it).
    pub svg: Arc<[u8]>,
}

/// Reads `path` and converts every page. `name` is how messages name the file (the path as the
/// meeting file writes it), `at` where it is written.
pub fn read_pdf(path: &Path, name: &str, at: &str) -> Result<ExternalPdf> {
    let bytes = std::fs::read(path).map_err(|e| Diagnostic::new(at, format!("cannot read the PDF {name:?} ({e})")))?;
    let pdf = Pdf::new(Arc::new(bytes)).map_err(|e| {
        let why = match e {
            LoadPdfError::Decryption(_) => "it is encrypted or password-protected",
            LoadPdfError::Invalid => "it is damaged or not a PDF",
        };
        Diagnostic::new(at, format!("cannot read the PDF {name:?}: {why}"))
            .with_hint("open it and save or export it again as PDF, without a password")
    })?;
    let count = pdf.pages().len();
    if count == 0 {
        return Err(Diagnostic::new(at, format!("the PDF {name:?} has no pages")).into());
    }
    if count > MAX_PAGES {
        return Err(Diagnostic::new(
            at,
            format!("the PDF {name:?} has {count} pages; an agenda item may have at most {MAX_PAGES}"),
        )
        .with_hint("check that this is the right file, or split it into several items")
        .into());
    }
    let settings = interpreter_settings();
    let cache = RenderCache::new();
    let pages = pdf
        .pages()
        .iter()
        .map(|page| {
            let (width, height) = page.render_dimensions();
            let svg = hayro_svg::convert(page, &cache, &settings, &SvgRenderSettings { bg_color: [255, 255, 255, 0] });
            PageImage { width, height, svg: Arc::from(svg.into_bytes()) }
        })
        .collect();
    let title =
        pdf.metadata().title.as_deref().map(decode_text_string).map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
    Ok(ExternalPdf { pages, title })
}

/// A PDF text string: UTF-16BE with a byte-order mark, UTF-8 with one, or (near enough for
/// titles) PDFDocEncoding read as Latin-1.
fn decode_text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    bytes.iter().map(|b| char::from(*b)).collect()
}

/// hayro's settings with the standard fonts served from typst's assets.
fn interpreter_settings() -> InterpreterSettings {
    fn standard(font: StandardFont) -> Option<(FontData, u32)> {
        use typst_assets::pdf::*;
        let bytes: &'static [u8] = match font {
            StandardFont::Helvetica => SANS,
            StandardFont::HelveticaBold => SANS_BOLD,
            StandardFont::HelveticaOblique => SANS_ITALIC,
            StandardFont::HelveticaBoldOblique => SANS_BOLD_ITALIC,
            StandardFont::Courier => FIXED,
            StandardFont::CourierBold => FIXED_BOLD,
            StandardFont::CourierOblique => FIXED_ITALIC,
            StandardFont::CourierBoldOblique => FIXED_BOLD_ITALIC,
            StandardFont::TimesRoman => SERIF,
            StandardFont::TimesBold => SERIF_BOLD,
            StandardFont::TimesItalic => SERIF_ITALIC,
            StandardFont::TimesBoldItalic => SERIF_BOLD_ITALIC,
            StandardFont::ZapfDingBats => DING_BATS,
            StandardFont::Symbol => SYMBOL,
        };
        Some((Arc::new(bytes), 0))
    }
    InterpreterSettings {
        font_resolver: Arc::new(|query| match query {
            FontQuery::Standard(font) => standard(*font),
            FontQuery::Fallback(fallback) => standard(fallback.pick_standard_font()),
        }),
        cmap_resolver: Arc::new(|_| None),
        warning_sink: Arc::new(|_| {}),
        render_annotations: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damaged_and_missing_pdfs_are_located_errors() {
        let dir = tempfile::tempdir().unwrap();
        let damaged = dir.path().join("minutes.pdf");
        std::fs::write(&damaged, b"%PDF-1.7\nthis is not really a PDF\n").unwrap();
        let err = read_pdf(&damaged, "minutes.pdf", "meeting.yaml:9:10").unwrap_err().to_string();
        assert!(err.starts_with("meeting.yaml:9:10: cannot read the PDF \"minutes.pdf\": it is damaged"), "{err}");
        let err = read_pdf(&dir.path().join("gone.pdf"), "gone.pdf", "meeting.yaml:3:4").unwrap_err().to_string();
        assert!(err.starts_with("meeting.yaml:3:4: cannot read the PDF \"gone.pdf\""), "{err}");
    }

    #[test]
    fn text_strings_decode() {
        assert_eq!(decode_text_string(b"Minutes"), "Minutes");
        assert_eq!(decode_text_string(&[0xFE, 0xFF, 0, b'M', 0x20, 0x13]), "M\u{2013}");
    }
}
