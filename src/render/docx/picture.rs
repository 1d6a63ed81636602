//! Pictures for the DOCX: the logo as PNG, and trend sparklines drawn as small PNGs.
//!
//! Why a picture for the trend: a sparkline typed as Unicode block characters (`▁▃▅▇`) comes
//! from a fallback font in Word and LibreOffice (Arial has no such glyphs), and the blocks sit at
//! ragged baselines and uneven widths, so the shape a trend column exists to show was distorted.
//! A picture looks the same everywhere, matches the line the PDF draws, and carries a text
//! alternative for screen readers (the numbers themselves are in the neighbouring columns).
//!
//! The drawing is done here rather than by a library: a polyline drawn at four times the size
//! and averaged down (so its edges are smooth), the last point marked with a dot. Only integer
//! and plain float arithmetic is involved and the PNG encoder is deterministic, so the same
//! points always give the same bytes.

use anyhow::Context;
use image::{ImageEncoder, Rgba, RgbaImage};

use crate::model::layout::TableLayout;
use crate::model::style::{Logo, LogoFormat};

/// A sparkline's size in pixels (about 150 dpi at the layout's 1.6 cm × 0.5 cm, at which it is
/// printed) and the supersampling factor.
const SPARK_PX: (u32, u32) = (96, 30);
const SCALE: u32 = 4;

/// The logo as PNG bytes and its size in pixels. A PNG is passed through (it was fully decoded
/// when the paper file was read); an SVG is drawn at 600 pixels high, because docx-rs writes
/// every picture as PNG.
pub(super) fn logo_png(logo: &Logo) -> anyhow::Result<(Vec<u8>, (u32, u32))> {
    match logo.format {
        LogoFormat::Png => {
            let image = image::load_from_memory_with_format(&logo.bytes, image::ImageFormat::Png)
                .context("failed to decode the logo")?;
            Ok((logo.bytes.clone(), (image.width(), image.height())))
        }
        LogoFormat::Svg => {
            use resvg::{tiny_skia, usvg};
            let tree =
                usvg::Tree::from_data(&logo.bytes, &usvg::Options::default()).context("failed to read the SVG logo")?;
            let size = tree.size();
            let scale = 600.0 / size.height().max(1.0);
            let (width, height) = ((size.width() * scale).ceil().max(1.0) as u32, 600);
            let mut pixmap = tiny_skia::Pixmap::new(width, height).context("the SVG logo is too large to draw")?;
            resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
            let png = pixmap.encode_png().context("failed to encode the logo as PNG")?;
            Ok((png, (width, height)))
        }
    }
}

/// A sparkline of the points (`None` or non-finite = gap) as PNG bytes, drawn in `colour` (six
/// hex digits); `None` when no point is known. A flat series is drawn at mid height; a point
/// without known neighbours gets a dot.
pub(super) fn sparkline_png(points: &[Option<f64>], colour: &str, layout: &TableLayout) -> Option<Vec<u8>> {
    let channel = |i: usize| colour.get(i..i + 2).and_then(|c| u8::from_str_radix(c, 16).ok()).unwrap_or(0);
    let stroke = [channel(0), channel(2), channel(4)];
    let known: Vec<(usize, f64)> =
        points.iter().enumerate().filter_map(|(i, p)| p.filter(|v| v.is_finite()).map(|v| (i, v))).collect();
    let &(last_index, last_value) = known.last()?;
    let (w, h) = (SPARK_PX.0 * SCALE, SPARK_PX.1 * SCALE);
    let s = SCALE as f64;
    // The layout's line weight and dot radii (as in the PDF), in pixels of the canvas.
    let canvas_per_point = s * f64::from(SPARK_PX.0) / f64::from(layout.sparkline_width.max(1.0));
    let size = |points: f32| f64::from(points) * canvas_per_point;
    let (half_line, end_dot, lone_dot) =
        (size(layout.sparkline_line) / 2.0, size(layout.sparkline_dot), size(layout.sparkline_lone_dot));
    let lo = known.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let hi = known.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    let inset = end_dot + s;
    let x = |i: usize| {
        if points.len() > 1 {
            inset + (f64::from(w) - 2.0 * inset) * i as f64 / (points.len() - 1) as f64
        } else {
            f64::from(w) / 2.0
        }
    };
    let y =
        |v: f64| if hi > lo { inset + (f64::from(h) - 2.0 * inset) * (hi - v) / (hi - lo) } else { f64::from(h) / 2.0 };

    let mut canvas = vec![false; (w * h) as usize];
    let mut paint = |x0: f64, y0: f64, x1: f64, y1: f64, radius: f64| {
        let (min_x, max_x) =
            ((x0.min(x1) - radius).floor().max(0.0) as u32, (x0.max(x1) + radius).ceil().min(f64::from(w - 1)) as u32);
        let (min_y, max_y) =
            ((y0.min(y1) - radius).floor().max(0.0) as u32, (y0.max(y1) + radius).ceil().min(f64::from(h - 1)) as u32);
        for py in min_y..=max_y {
            for px in min_x..=max_x {
                let (cx, cy) = (f64::from(px) + 0.5, f64::from(py) + 0.5);
                if distance_to_segment(cx, cy, x0, y0, x1, y1) <= radius {
                    canvas[(py * w + px) as usize] = true;
                }
            }
        }
    };
    for pair in known.windows(2) {
        let ((i0, v0), (i1, v1)) = (pair[0], pair[1]);
        if i1 == i0 + 1 {
            paint(x(i0), y(v0), x(i1), y(v1), half_line);
        }
    }
    for &(i, v) in &known {
        let before = i > 0 && known.iter().any(|p| p.0 == i - 1);
        let after = known.iter().any(|p| p.0 == i + 1);
        if !before && !after {
            paint(x(i), y(v), x(i), y(v), lone_dot);
        }
    }
    paint(x(last_index), y(last_value), x(last_index), y(last_value), end_dot);

    // Average each SCALE × SCALE block into one pixel of coverage: smooth edges.
    let mut image = RgbaImage::new(SPARK_PX.0, SPARK_PX.1);
    for (px, py, pixel) in image.enumerate_pixels_mut() {
        let mut covered = 0u32;
        for dy in 0..SCALE {
            for dx in 0..SCALE {
                covered += u32::from(canvas[((py * SCALE + dy) * w + px * SCALE + dx) as usize]);
            }
        }
        let alpha = (covered * 255 / (SCALE * SCALE)) as u8;
        *pixel = Rgba([stroke[0], stroke[1], stroke[2], alpha]);
    }
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(image.as_raw(), SPARK_PX.0, SPARK_PX.1, image::ExtendedColorType::Rgba8)
        .ok()?;
    Some(png)
}

/// The sparkline's pixel size.
pub(super) fn sparkline_pixels() -> (u32, u32) {
    SPARK_PX
}

fn distance_to_segment(px: f64, py: f64, x0: f64, y0: f64, x1: f64, y1: f64) -> f64 {
    let (dx, dy) = (x1 - x0, y1 - y0);
    let length = dx * dx + dy * dy;
    let t = if length == 0.0 { 0.0 } else { (((px - x0) * dx + (py - y0) * dy) / length).clamp(0.0, 1.0) };
    let (nx, ny) = (x0 + t * dx - px, y0 + t * dy - py);
    (nx * nx + ny * ny).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BLUE: &str = "1D70B8";

    fn layout() -> TableLayout {
        crate::model::Style::default().layout.table
    }

    fn decode(png: &[u8]) -> RgbaImage {
        image::load_from_memory_with_format(png, image::ImageFormat::Png).unwrap().to_rgba8()
    }

    #[test]
    fn sparkline_is_a_deterministic_png_with_the_last_point_marked() {
        let points = [Some(1.0), Some(3.0), None, Some(2.0), Some(2.5)];
        let png = sparkline_png(&points, BLUE, &layout()).unwrap();
        assert_eq!(png, sparkline_png(&points, BLUE, &layout()).unwrap(), "same points, same bytes");
        let image = decode(&png);
        assert_eq!(image.dimensions(), SPARK_PX);
        // The end dot is opaque near the right edge; the top-left corner is empty.
        let right = (SPARK_PX.0 - 5..SPARK_PX.0).any(|x| (0..SPARK_PX.1).any(|y| image.get_pixel(x, y)[3] == 255));
        assert!(right, "last point marked at the right");
        assert_eq!(image.get_pixel(0, 0)[3], 0);
    }

    #[test]
    fn sparkline_of_nothing_is_none_and_odd_series_draw() {
        assert!(sparkline_png(&[], BLUE, &layout()).is_none());
        assert!(sparkline_png(&[None, Some(f64::NAN)], BLUE, &layout()).is_none());
        for points in
            [vec![Some(4.0)], vec![Some(2.0), Some(2.0)], vec![Some(1.0), None, Some(f64::INFINITY), Some(3.0)]]
        {
            let image = decode(&sparkline_png(&points, BLUE, &layout()).unwrap());
            assert!(image.pixels().any(|p| p[3] > 0), "{points:?} draws something");
        }
    }
}
