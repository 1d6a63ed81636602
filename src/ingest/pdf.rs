//! External PDFs for agenda packs: a PDF file in, one SVG picture and the text of each page out.
//!
//! A pack is typeset as one typst document, and typst 0.15 refuses to embed PDF pages when the
//! output must meet PDF/A or PDF/UA (krilla's validator forbids embedded PDFs). An SVG picture of
//! the page can be placed under both, with alternative text, so each page is converted here with
//! `hayro-svg` (the pure-Rust PDF interpreter typst itself uses to show PDF images; no new crates,
//! no external program). The picture keeps the page's vector drawing; its text becomes outlines,
//! so the page's text is also read here, from the same interpretation of the page (the Unicode
//! of each glyph, in drawing order, with spaces and line breaks from the gaps between glyphs), for
//! the alternative text the pack gives each page. That text has no structure (no headings, no
//! table cells) and is only as good as the PDF's own Unicode mapping.
//!
//! The 14 standard PDF fonts, which a PDF may use without embedding, are served from typst's own
//! assets (the Foxit fonts), as typst does when it shows a PDF image.

use std::path::Path;
use std::sync::Arc;

use anyhow::Result;
use hayro_svg::hayro_interpret::font::{FontData, FontQuery, Glyph, StandardFont};
use hayro_svg::hayro_interpret::hayro_cmap::BfString;
use hayro_svg::hayro_interpret::{
    BlendMode, ClipPath, Context, Device, GlyphDrawMode, Image, InterpreterCache, InterpreterSettings, Paint,
    PathDrawMode, SoftMask, TransformExt, interpret_page,
};
use hayro_svg::hayro_syntax::page::Page;
use hayro_svg::hayro_syntax::{LoadPdfError, Pdf};
use hayro_svg::{RenderCache, SvgRenderSettings};
use kurbo::{Affine, BezPath, Point, Rect};

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

/// One page as an SVG picture, with its text.
#[derive(Debug, Clone)]
pub struct PageImage {
    /// Width and height in points, after the page's rotation.
    pub width: f32,
    pub height: f32,
    /// The SVG document (shared, so that versions of a pack do not copy it).
    pub svg: Arc<[u8]>,
    /// The page's text in drawing order, lines separated by `\n`; empty when the page has no
    /// text that maps to Unicode (a scan, say).
    pub text: String,
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
            PageImage { width, height, svg: Arc::from(svg.into_bytes()), text: page_text(page, &settings) }
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

/// The text of a page: each glyph's Unicode in drawing order, a space where the gap to the
/// previous glyph is wider than a fifth of the font size (or the pen moved back), a line break
/// where the baseline moved by more than half of it.
fn page_text(page: &Page<'_>, settings: &InterpreterSettings) -> String {
    let cache = InterpreterCache::new();
    let (width, height) = page.render_dimensions();
    let mut context = Context::new(
        page.initial_transform(true).to_kurbo(),
        Rect::new(0.0, 0.0, f64::from(width), f64::from(height)),
        &cache,
        page.xref(),
        settings.clone(),
    );
    let mut collector = TextCollector::default();
    interpret_page(page, &mut context, &mut collector);
    collector.text.lines().map(str::trim_end).collect::<Vec<_>>().join("\n").trim().to_string()
}

/// A hayro device that only reads glyphs.
#[derive(Default)]
struct TextCollector {
    text: String,
    /// The previous glyph's baseline, end and size.
    last: Option<(Point, Point, f64)>,
}

impl<'a> Device<'a> for TextCollector {
    fn set_soft_mask(&mut self, _: Option<SoftMask<'a>>) {}
    fn set_blend_mode(&mut self, _: BlendMode) {}
    fn draw_path(&mut self, _: &BezPath, _: Affine, _: &Paint<'a>, _: &PathDrawMode) {}
    fn push_clip_path(&mut self, _: &ClipPath) {}
    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}
    fn draw_image(&mut self, _: Image<'a, '_>, _: Affine) {}
    fn pop_clip_path(&mut self) {}
    fn pop_transparency_group(&mut self) {}

    fn draw_glyph(
        &mut self,
        glyph: &Glyph<'a>,
        transform: Affine,
        glyph_transform: Affine,
        _: &Paint<'a>,
        _: &GlyphDrawMode,
    ) {
        let Some(unicode) = glyph.as_unicode() else { return };
        let text = match unicode {
            BfString::Char(c) => c.to_string(),
            BfString::String(s) => s,
        };
        // Glyph space is 1000 units to the em (hayro's convention for outlines).
        let full = transform * glyph_transform;
        let origin = full * Point::ORIGIN;
        let size = full.determinant().abs().sqrt() * 1000.0;
        let advance = match glyph {
            Glyph::Outline(g) => g.advance_width().map(f64::from).unwrap_or(500.0),
            Glyph::Type3(_) => 500.0,
        };
        let end = full * Point::new(advance, 0.0);
        if let Some((last_origin, last_end, last_size)) = self.last {
            let scale = size.max(last_size).max(1.0);
            if (origin.y - last_origin.y).abs() > 0.5 * scale {
                self.text.push('\n');
            } else if (origin.x - last_end.x > 0.2 * scale || origin.x < last_origin.x)
                && !self.text.ends_with([' ', '\n'])
            {
                self.text.push(' ');
            }
        }
        self.text.extend(text.chars().filter(|c| !c.is_control()));
        self.last = Some((origin, end, size));
    }
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
    fn the_fixture_minutes_convert_with_their_text_in_reading_order() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/meeting/minutes-2014-07-15.pdf");
        let pdf = read_pdf(&path, "minutes-2014-07-15.pdf", "meeting.yaml:1:1").unwrap();
        assert_eq!(pdf.pages.len(), 2);
        let first = &pdf.pages[0];
        assert!((first.width - 595.3).abs() < 1.0 && (first.height - 841.9).abs() < 1.0, "A4 portrait");
        assert!(std::str::from_utf8(&first.svg).unwrap().starts_with("<svg"), "an SVG document");
        let lines: Vec<&str> = first.text.lines().collect();
        assert_eq!(lines[0], "KENT COUNTY COUNCIL");
        assert_eq!(lines[1], "CHILDREN'S SOCIAL CARE & HEALTH CABINET COMMITTEE");
        assert!(first.text.contains("Apologies for absence were received from Mr J Thomas."), "{}", first.text);
        assert!(
            pdf.pages[1].text.ends_with("Chairman ........................................ Date ....................")
        );
        assert_eq!(
            pdf.title.as_deref(),
            Some("Minutes of the Children's Social Care & Health Cabinet Committee, 15 July 2014")
        );
    }

    #[test]
    fn text_strings_decode() {
        assert_eq!(decode_text_string(b"Minutes"), "Minutes");
        assert_eq!(decode_text_string(&[0xFE, 0xFF, 0, b'M', 0x20, 0x13]), "M\u{2013}");
    }
}
