//! Object streams for the PDF typst writes.
//!
//! In: the bytes of a PDF as typst-pdf writes it (every object on its own, a classic
//! cross-reference table). Out: the same objects, the same numbers, the same bytes inside each
//! object, with every object that is not a stream packed into deflated object streams and the
//! table replaced by a deflated cross-reference stream (PDF 1.5 features, which PDF/A-2 and
//! PDF/UA-1 allow). A tagged scorecard is thousands of small dictionaries (its structure
//! elements), and typst-pdf has no option for object streams (pdf-writer#79): packed, the 2014
//! paper's PDF is half the size.
//!
//! Why not lopdf, which can do this (`Document::load_mem` + `save_modern`): it parses and
//! re-serialises every object, 89 million instructions for the 2014 paper's 150 KB (≈ 9 ms, a
//! fifth of a whole `build`) and about 1.4 s for a 5,000-indicator appendix, where this module
//! only slices the file along its cross-reference table and deflates (BENCHMARKS.md). lopdf stays
//! the judge in the tests: it reads both files and finds every object equal.
//!
//! Deterministic: objects keep their order, the deflate level is fixed ([`LEVEL`]).

use std::io::Write;

use anyhow::{Context, bail, ensure};
use flate2::Compression;
use flate2::write::ZlibEncoder;

/// At most this many objects share an object stream: a reader inflates a whole stream to reach
/// one of its objects, and beyond a few hundred the file hardly shrinks further.
const PER_STREAM: usize = 500;

/// The deflate level. Measured on typst's PDFs (2014 paper / 5,000-indicator appendix; times on a
/// shared machine): level 1 gives 70.7 KB / 2.67 MB in 1.0 / 47 ms, level 3 68.5 KB / 2.50 MB in
/// 1.2 / 78 ms, level 6 67.2 KB / 2.37 MB in 2.0 / 194 ms. Level 3 keeps both files within their
/// size targets (70 KB, 3 MB) at less than half the time of 6.
const LEVEL: u32 = 3;

/// One object of the input: its number and where its `N 0 obj … endobj` lies.
struct Object {
    id: u32,
    start: usize,
    end: usize,
}

/// The PDF with its non-stream objects in object streams and a cross-reference stream.
pub fn pack(pdf: &[u8]) -> anyhow::Result<Vec<u8>> {
    let (objects, trailer) = read_table(pdf)?;
    let first = objects.first().context("the PDF has no objects")?.start;
    let size = objects.iter().map(|o| o.id).max().unwrap_or(0) + 1;

    let mut out = Vec::with_capacity(pdf.len() / 2);
    out.extend_from_slice(&pdf[..first]); // %PDF-1.x and the binary comment
    // Where each object is: (id, type 1 = at an offset | type 2 = in an object stream, field 2, field 3).
    let mut entries: Vec<(u32, u8, u64, u32)> = Vec::with_capacity(objects.len() + objects.len() / PER_STREAM + 2);
    let mut packed: Vec<(u32, &[u8])> = Vec::new();
    for object in &objects {
        let bytes = &pdf[object.start..object.end];
        let body = body_of(bytes, object.id)?;
        if body.starts_with(b"<<") && body.ends_with(b"endstream") {
            // A stream (content, font, image, metadata) stays as it is.
            entries.push((object.id, 1, out.len() as u64, 0));
            out.extend_from_slice(bytes);
        } else {
            packed.push((object.id, body));
        }
    }
    let mut next_id = size;
    for group in packed.chunks(PER_STREAM) {
        let stream_id = next_id;
        next_id += 1;
        let mut offsets = Vec::new();
        let mut bodies = Vec::new();
        for (index, (id, body)) in group.iter().enumerate() {
            write!(offsets, "{id} {} ", bodies.len())?;
            bodies.extend_from_slice(body);
            bodies.push(b'\n');
            entries.push((*id, 2, u64::from(stream_id), index as u32));
        }
        let first = offsets.len();
        offsets.extend_from_slice(&bodies);
        let data = deflate(&offsets)?;
        entries.push((stream_id, 1, out.len() as u64, 0));
        write!(
            out,
            "{stream_id} 0 obj\n<</Type/ObjStm/N {}/First {first}/Filter/FlateDecode/Length {}>>\nstream\n",
            group.len(),
            data.len()
        )?;
        out.extend_from_slice(&data);
        out.extend_from_slice(b"\nendstream\nendobj\n");
    }

    // The cross-reference stream describes every object from 0 to itself.
    let xref_id = next_id;
    let size = xref_id + 1;
    let xref_offset = out.len() as u64;
    entries.push((xref_id, 1, xref_offset, 0));
    entries.sort_by_key(|e| e.0);
    let mut rows = Vec::with_capacity(size as usize * 7);
    let mut row = |kind: u8, field2: u64, field3: u32| -> anyhow::Result<()> {
        rows.push(kind);
        rows.extend_from_slice(&u32::try_from(field2).context("the PDF is larger than 4 GB")?.to_be_bytes());
        rows.extend_from_slice(&u16::try_from(field3).context("too many objects in one stream")?.to_be_bytes());
        Ok(())
    };
    let mut listed = entries.iter().peekable();
    for id in 0..size {
        match listed.next_if(|e| e.0 == id) {
            Some(&(_, kind, field2, field3)) => row(kind, field2, field3)?,
            // Object 0 heads the list of free objects, with generation 65535; any unused number
            // is free too.
            None => row(0, 0, if id == 0 { 65535 } else { 0 })?,
        }
    }
    let data = deflate(&rows)?;
    // The trailer's entries as they are (the file identifier is a string of any bytes).
    write!(out, "{xref_id} 0 obj\n<<")?;
    out.extend_from_slice(&trailer);
    write!(out, "/Type/XRef/Size {size}/W[1 4 2]/Filter/FlateDecode/Length {}>>\nstream\n", data.len())?;
    out.extend_from_slice(&data);
    write!(out, "\nendstream\nendobj\nstartxref\n{xref_offset}\n%%EOF")?;
    Ok(out)
}

/// The objects in file order, and the trailer's entries without `/Size`.
fn read_table(pdf: &[u8]) -> anyhow::Result<(Vec<Object>, Vec<u8>)> {
    let tail = &pdf[pdf.len().saturating_sub(64)..];
    let at = find_last(tail, b"startxref").context("no startxref")? + b"startxref".len();
    let xref_at: usize = ascii(&tail[at..])?.split_ascii_whitespace().next().context("no xref offset")?.parse()?;
    let table = pdf.get(xref_at..).context("the xref offset is past the end")?;
    ensure!(table.starts_with(b"xref"), "no classic cross-reference table at {xref_at}");
    let trailer_at = find_first(table, b"trailer").context("no trailer")?;
    let mut tokens = ascii(&table[4..trailer_at])?.split_ascii_whitespace();
    let mut objects = Vec::new();
    while let Some(start) = tokens.next() {
        let (start, count): (u32, u32) = (start.parse()?, tokens.next().context("xref count")?.parse()?);
        let end = start.checked_add(count).context("xref subsection past the last object number")?;
        for id in start..end {
            let (offset, generation, kind) = (tokens.next(), tokens.next(), tokens.next());
            let (Some(offset), Some(generation), Some(kind)) = (offset, generation, kind) else {
                bail!("short xref subsection");
            };
            if kind == "n" {
                ensure!(generation == "00000" || generation == "0", "object {id} has generation {generation}");
                objects.push(Object { id, start: offset.parse()?, end: 0 });
            }
        }
    }
    objects.sort_by_key(|o| o.start);
    let ends: Vec<usize> = objects.iter().skip(1).map(|o| o.start).chain([xref_at]).collect();
    for (object, end) in objects.iter_mut().zip(ends) {
        ensure!(object.start < end && end <= pdf.len(), "object {} is out of place", object.id);
        object.end = end;
    }
    // `<</Size 614/Root 613 0 R/Info 611 0 R/ID[…]>>`: keep all but /Size, which grows.
    let dict = table[trailer_at + b"trailer".len()..].trim_ascii_start();
    let close = find_last(dict, b">>").context("unterminated trailer")?;
    ensure!(dict.starts_with(b"<<"), "the trailer is not a dictionary");
    let entries = &dict[2..close];
    let size = top_level_key(entries, b"/Size").context("the trailer has no /Size")?;
    let value = entries[size + 5..].iter().take_while(|b| b.is_ascii_whitespace() || b.is_ascii_digit()).count();
    ensure!(value > 1, "the trailer's /Size has no number");
    Ok((objects, [&entries[..size], &entries[size + 5 + value..]].concat()))
}

/// Where `key` (a name) stands as a key of the dictionary `entries`, outside any string or
/// nested dictionary or array (the file identifier is a string that may hold `/Size`).
fn top_level_key(entries: &[u8], key: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = 0;
    while i < entries.len() {
        match entries[i] {
            b'(' => {
                // A literal string: balanced parentheses, backslash escapes.
                let mut open = 0usize;
                while i < entries.len() {
                    match entries[i] {
                        b'\\' => i += 1,
                        b'(' => open += 1,
                        b')' => {
                            open -= 1;
                            if open == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            b'<' if entries.get(i + 1) == Some(&b'<') => {
                depth += 1;
                i += 1;
            }
            b'>' if entries.get(i + 1) == Some(&b'>') => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'<' => {
                // A hex string.
                while i < entries.len() && entries[i] != b'>' {
                    i += 1;
                }
            }
            b'[' => depth += 1,
            b']' => depth = depth.saturating_sub(1),
            b'/' if depth == 0 && entries[i..].starts_with(key) => {
                let after = entries.get(i + key.len()).copied().unwrap_or(b' ');
                if after.is_ascii_whitespace() || b"/[(<".contains(&after) {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// What lies between `N 0 obj` and `endobj`, trimmed.
fn body_of(bytes: &[u8], id: u32) -> anyhow::Result<&[u8]> {
    let header = format!("{id} 0 obj");
    let rest =
        bytes.strip_prefix(header.as_bytes()).with_context(|| format!("object {id} does not start with its header"))?;
    let body =
        rest.trim_ascii().strip_suffix(b"endobj").with_context(|| format!("object {id} does not end with endobj"))?;
    Ok(body.trim_ascii())
}

fn deflate(data: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut encoder = ZlibEncoder::new(Vec::with_capacity(data.len() / 3), Compression::new(LEVEL));
    encoder.write_all(data)?;
    Ok(encoder.finish()?)
}

fn ascii(bytes: &[u8]) -> anyhow::Result<&str> {
    std::str::from_utf8(bytes).context("expected ASCII")
}

fn find_first(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_size_key_is_found_outside_strings_only() {
        let trailer = b"/Root 613 0 R/ID[(ab/Size 9+)(C84g)]/Size 614/Info 611 0 R";
        let at = top_level_key(trailer, b"/Size").expect("found");
        assert_eq!(&trailer[at..at + 9], b"/Size 614");
        assert_eq!(top_level_key(b"/SizeX 1/Info<</Size 2>>", b"/Size"), None);
        assert_eq!(top_level_key(b"/A(x\\)/Size 1)/Size 3", b"/Size"), Some(14));
    }

    #[test]
    fn what_is_not_a_classic_pdf_is_an_error_not_a_panic() {
        for junk in
            [&b""[..], b"%PDF-1.7\n", b"startxref\n999999\n%%EOF", b"xref\n0 1\ntrailer<<>>\nstartxref\n0\n%%EOF"]
        {
            assert!(pack(junk).is_err(), "{:?}", String::from_utf8_lossy(junk));
        }
    }
}
