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
use image::ImageEncoder;

use crate::model::Sparkline;
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

/// A trend's line (the model's [`Sparkline`], decided once for both files) as PNG bytes, drawn
/// in `colour` (six hex digits) with the layout's line weight and dot sizes: each run of months a
/// line, a lone month a dot, the newest point a larger dot.
pub(super) fn sparkline_png(sparkline: &Sparkline, colour: &str, layout: &TableLayout) -> Option<Vec<u8>> {
    let channel = |i: usize| colour.get(i..i + 2).and_then(|c| u8::from_str_radix(c, 16).ok()).unwrap_or(0);
    let stroke = [channel(0), channel(2), channel(4)];
    let (w, h) = (SPARK_PX.0 * SCALE, SPARK_PX.1 * SCALE);
    let s = SCALE as f64;
    // The layout's line weight and dot radii (as in the PDF), in pixels of the canvas.
    let canvas_per_point = s * f64::from(SPARK_PX.0) / f64::from(layout.sparkline_width.max(1.0));
    let size = |points: f32| f64::from(points) * canvas_per_point;
    let (half_line, end_dot, lone_dot) =
        (size(layout.sparkline_line) / 2.0, size(layout.sparkline_dot), size(layout.sparkline_lone_dot));
    // The unit box inside a margin that leaves room for the end dot.
    let inset = end_dot + s;
    let at = |[u, v]: [f64; 2]| (inset + (f64::from(w) - 2.0 * inset) * u, inset + (f64::from(h) - 2.0 * inset) * v);

    let mut canvas = vec![0u8; (w * h) as usize];
    let mut paint = |a, b, radius| mark_stroke(&mut canvas, (w, h), a, b, radius);
    for run in &sparkline.runs {
        if let [point] = run.as_slice() {
            paint(at(*point), at(*point), lone_dot);
        }
        for pair in run.windows(2) {
            paint(at(pair[0]), at(pair[1]), half_line);
        }
    }
    paint(at(sparkline.last), at(sparkline.last), end_dot);

    // Average each SCALE × SCALE block into one pixel of coverage: smooth edges.
    let mut coverage = vec![0u32; (SPARK_PX.0 * SPARK_PX.1) as usize];
    for (y, row) in canvas.chunks_exact(w as usize).enumerate() {
        let out = &mut coverage[(y / SCALE as usize) * SPARK_PX.0 as usize..][..SPARK_PX.0 as usize];
        for (sum, block) in out.iter_mut().zip(row.chunks_exact(SCALE as usize)) {
            *sum += block.iter().map(|&c| u32::from(c)).sum::<u32>();
        }
    }
    let mut pixels = Vec::with_capacity(coverage.len() * 4);
    for covered in coverage {
        let alpha = (covered * 255 / (SCALE * SCALE)) as u8;
        pixels.extend_from_slice(&[stroke[0], stroke[1], stroke[2], alpha]);
    }
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(&pixels, SPARK_PX.0, SPARK_PX.1, image::ExtendedColorType::Rgba8)
        .ok()?;
    Some(png)
}

/// Marks the pixels of a `w` × `h` canvas whose centres lie within `radius` of the segment from
/// `(x0, y0)` to `(x1, y1)` (a dot when both are one point).
///
/// A stroke is convex, so it meets each row of pixels in one run: the run is found from the pixel
/// nearest the segment by binary search on each side. That marks exactly the pixels a test of
/// every pixel in the stroke's bounding box marks (`tests::a_stroke_marks_what_testing_every_pixel_marks`),
/// with a few tests a row instead of one a pixel — the test of every pixel was a quarter of the
/// DOCX's instructions.
fn mark_stroke(canvas: &mut [u8], (w, h): (u32, u32), (x0, y0): (f64, f64), (x1, y1): (f64, f64), radius: f64) {
    let min_x = (x0.min(x1) - radius).floor().max(0.0) as i64;
    let max_x = (x0.max(x1) + radius).ceil().min(f64::from(w - 1)) as i64;
    let min_y = (y0.min(y1) - radius).floor().max(0.0) as u32;
    let max_y = (y0.max(y1) + radius).ceil().min(f64::from(h - 1)) as u32;
    let (dx, dy) = (x1 - x0, y1 - y0);
    let length = dx * dx + dy * dy;
    let reach = radius * radius;
    for py in min_y..=max_y {
        let cy = f64::from(py) + 0.5;
        // Whether the centre of pixel `px` of this row is within reach of the segment.
        let inside = |px: i64| {
            let cx = px as f64 + 0.5;
            let t = if length == 0.0 { 0.0 } else { (((cx - x0) * dx + (cy - y0) * dy) / length).clamp(0.0, 1.0) };
            let (nx, ny) = (x0 + t * dx - cx, y0 + t * dy - cy);
            nx * nx + ny * ny <= reach
        };
        // Where on this row the distance to the segment is least: where the row crosses it, or
        // below or above the end it passes nearest; the nearest pixel centre is beside it.
        let nearest = if dy != 0.0 && (y0.min(y1)..=y0.max(y1)).contains(&cy) {
            x0 + (cy - y0) / dy * dx
        } else if dy == 0.0 {
            (x0 + x1) / 2.0
        } else if (cy < y0) == (y0 < y1) {
            x0
        } else {
            x1
        };
        let beside = (nearest - 0.5).floor() as i64;
        let Some(start) = [beside, beside + 1].into_iter().map(|px| px.clamp(min_x, max_x)).find(|&px| inside(px))
        else {
            continue;
        };
        let (mut lo, mut hi) = (min_x, start);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if inside(mid) { hi = mid } else { lo = mid + 1 }
        }
        let left = lo;
        let (mut lo, mut hi) = (start, max_x);
        while lo < hi {
            let mid = lo + (hi - lo + 1) / 2;
            if inside(mid) { lo = mid } else { hi = mid - 1 }
        }
        canvas[(py * w) as usize..][left as usize..=lo as usize].fill(1);
    }
}

/// The sparkline's pixel size.
pub(super) fn sparkline_pixels() -> (u32, u32) {
    SPARK_PX
}

#[cfg(test)]
mod tests {
    use image::RgbaImage;

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
        let line = Sparkline::of(&[Some(1.0), Some(3.0), None, Some(2.0), Some(2.5)]).unwrap();
        let png = sparkline_png(&line, BLUE, &layout()).unwrap();
        assert_eq!(png, sparkline_png(&line, BLUE, &layout()).unwrap(), "same points, same bytes");
        let image = decode(&png);
        assert_eq!(image.dimensions(), SPARK_PX);
        // The end dot is opaque near the right edge; the top-left corner is empty.
        let right = (SPARK_PX.0 - 5..SPARK_PX.0).any(|x| (0..SPARK_PX.1).any(|y| image.get_pixel(x, y)[3] == 255));
        assert!(right, "last point marked at the right");
        assert_eq!(image.get_pixel(0, 0)[3], 0);
    }

    #[test]
    fn a_stroke_marks_what_testing_every_pixel_marks() {
        let (w, h) = (SPARK_PX.0 * SCALE, SPARK_PX.1 * SCALE);
        let every_pixel = |(x0, y0): (f64, f64), (x1, y1): (f64, f64), radius: f64| {
            let mut canvas = vec![0u8; (w * h) as usize];
            let (dx, dy) = (x1 - x0, y1 - y0);
            let length = dx * dx + dy * dy;
            for py in 0..h {
                for px in 0..w {
                    let (cx, cy) = (f64::from(px) + 0.5, f64::from(py) + 0.5);
                    let t =
                        if length == 0.0 { 0.0 } else { (((cx - x0) * dx + (cy - y0) * dy) / length).clamp(0.0, 1.0) };
                    let (nx, ny) = (x0 + t * dx - cx, y0 + t * dy - cy);
                    if nx * nx + ny * ny <= radius * radius {
                        canvas[(py * w + px) as usize] = 1;
                    }
                }
            }
            canvas
        };
        // Segments of every slope, dots, ends on pixel centres and off the canvas edges.
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |scale: f64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % 10_000) as f64 / 10_000.0 * scale
        };
        let mut cases =
            vec![((10.5, 10.5), (10.5, 10.5), 3.4), ((0.0, 60.0), (383.0, 60.0), 3.4), ((5.0, 0.0), (5.0, 119.0), 7.6)];
        for _ in 0..300 {
            let a = (next(f64::from(w)), next(f64::from(h)));
            let b = if next(1.0) < 0.2 { a } else { (next(f64::from(w)), next(f64::from(h))) };
            cases.push((a, b, 1.0 + next(12.0)));
        }
        for (a, b, radius) in cases {
            let mut canvas = vec![0u8; (w * h) as usize];
            mark_stroke(&mut canvas, (w, h), a, b, radius);
            assert!(canvas == every_pixel(a, b, radius), "{a:?} to {b:?}, radius {radius}");
        }
    }

    #[test]
    fn sparkline_of_nothing_is_none_and_odd_series_draw() {
        assert!(Sparkline::of(&[]).is_none());
        assert!(Sparkline::of(&[None, Some(f64::NAN)]).is_none());
        for points in
            [vec![Some(4.0)], vec![Some(2.0), Some(2.0)], vec![Some(1.0), None, Some(f64::INFINITY), Some(3.0)]]
        {
            let line = Sparkline::of(&points).unwrap();
            let image = decode(&sparkline_png(&line, BLUE, &layout()).unwrap());
            assert!(image.pixels().any(|p| p[3] > 0), "{points:?} draws something");
        }
    }
}
