//! Patches to the XML parts docx-rs builds, for what its API cannot say or says wrongly.
//!
//! In: the parts of an [`XMLDocx`] after `build()`. Out: the same parts with the document
//! language, repeating table header rows, deterministic hyperlink relationships and real core
//! properties. Each patch looks for markup this renderer itself produced and fails loudly (an
//! error, never a silently wrong file) if docx-rs ever writes it differently.

use anyhow::{Context, bail};
use docx_rs::XMLDocx;

use crate::model::Meta;

/// Replaces what docx-rs cannot express. `links` are the hyperlink targets in document order;
/// the renderer gave link number `n` (1-based) the relationship id `rIdLink{n}`.
pub(super) fn patch(
    xml: &mut XMLDocx,
    meta: &Meta,
    language: &str,
    links: &[String],
    header_table_style: &str,
) -> anyhow::Result<()> {
    xml.styles = set_language(&xml.styles, language).context("failed to set the document language in styles.xml")?;
    xml.document = repeat_header_rows(&xml.document, header_table_style)
        .context("failed to mark table header rows in document.xml")?;
    xml.document_rels =
        hyperlink_relationships(&xml.document_rels, links).context("failed to write hyperlink relationships")?;
    xml.doc_props.core = core_properties(meta, language).into_bytes();
    Ok(())
}

/// Gives every picture of `document.xml` a unique drawing id, a name and its alternative text
/// (`descr`, what Word shows under "Alt Text" and screen readers speak). docx-rs writes the same
/// `<wp:docPr id="1" name="Figure" />` for every picture and has no API for alt text.
/// `alts` are the texts in document order, one per picture.
pub(super) fn describe_pictures(xml: &mut XMLDocx, alts: &[String]) -> anyhow::Result<()> {
    const WRITTEN: &str = r#"<wp:docPr id="1" name="Figure" />"#;
    let document = utf8(&xml.document)?;
    let found = document.matches(WRITTEN).count();
    if found != alts.len() {
        bail!("document.xml has {found} pictures, the renderer made {}", alts.len());
    }
    let mut out = String::with_capacity(document.len() + alts.iter().map(|a| a.len() + 40).sum::<usize>());
    let mut rest = document;
    for (index, alt) in alts.iter().enumerate() {
        let at = rest.find(WRITTEN).context("a picture went missing")?;
        out.push_str(&rest[..at]);
        out.push_str(&format!(
            r#"<wp:docPr id="{}" name="Picture {}" descr="{}" />"#,
            index + 1,
            index + 1,
            escape(alt)
        ));
        rest = &rest[at + WRITTEN.len()..];
    }
    out.push_str(rest);
    xml.document = out.into_bytes();
    Ok(())
}

fn utf8(part: &[u8]) -> anyhow::Result<&str> {
    std::str::from_utf8(part).context("docx-rs wrote a part that is not UTF-8")
}

/// Adds `w:lang` to the run defaults (docx-rs has no API for it): spell checking, hyphenation
/// and screen readers in Word and LibreOffice take the language from here.
fn set_language(styles: &[u8], language: &str) -> anyhow::Result<Vec<u8>> {
    let styles = utf8(styles)?;
    let lang = format!(r#"<w:lang w:val="{language}" w:eastAsia="{language}" w:bidi="ar-SA" />"#);
    let patched = if styles.contains("<w:rPrDefault><w:rPr /></w:rPrDefault>") {
        styles.replacen(
            "<w:rPrDefault><w:rPr /></w:rPrDefault>",
            &format!("<w:rPrDefault><w:rPr>{lang}</w:rPr></w:rPrDefault>"),
            1,
        )
    } else if styles.contains("</w:rPr></w:rPrDefault>") {
        styles.replacen("</w:rPr></w:rPrDefault>", &format!("{lang}</w:rPr></w:rPrDefault>"), 1)
    } else {
        bail!("no run defaults (w:rPrDefault) found");
    };
    Ok(patched.into_bytes())
}

/// Marks the first row of every table with style `table_style` as a header row repeated on each
/// page (`w:tblHeader`), which docx-rs has no API for. The renderer gives those rows
/// `w:cantSplit`, so their `w:trPr` is never empty.
fn repeat_header_rows(document: &[u8], table_style: &str) -> anyhow::Result<Vec<u8>> {
    let document = utf8(document)?;
    let marker = format!(r#"<w:tblStyle w:val="{table_style}" />"#);
    let mut out = String::with_capacity(document.len() + 64);
    let mut rest = document;
    while let Some(at) = rest.find(&marker) {
        let after_marker = at + marker.len();
        let row = rest[after_marker..].find("<w:tr").context("a scorecard table has no rows")? + after_marker;
        let tr_pr = rest[row..].find("<w:trPr>").context("a scorecard header row has no row properties")? + row;
        let end_of_row = rest[row..].find("</w:tr>").context("a scorecard header row is not closed")? + row;
        if tr_pr > end_of_row {
            bail!("a scorecard header row has no row properties");
        }
        let insert_at = tr_pr + "<w:trPr>".len();
        out.push_str(&rest[..insert_at]);
        out.push_str("<w:tblHeader />");
        rest = &rest[insert_at..];
    }
    out.push_str(rest);
    Ok(out.into_bytes())
}

/// Rewrites the hyperlink relationships in document order. docx-rs collects them through a
/// HashMap (a different order on every run, so two renders would differ) and skips links inside
/// sections; the renderer keeps every hyperlink target itself instead.
fn hyperlink_relationships(rels: &[u8], links: &[String]) -> anyhow::Result<Vec<u8>> {
    let rels = utf8(rels)?;
    let mut out = String::with_capacity(rels.len() + links.len() * 160);
    let mut rest = rels;
    while let Some(at) = rest.find("<Relationship ") {
        out.push_str(&rest[..at]);
        let len = rest[at..].find("/>").context("a relationship element is not closed")? + 2;
        let element = &rest[at..at + len];
        if !element.contains(r#"Id="rIdLink"#) {
            out.push_str(element);
        }
        rest = &rest[at + len..];
    }
    let Some(close) = rest.rfind("</Relationships>") else { bail!("document.xml.rels has no closing tag") };
    out.push_str(&rest[..close]);
    for (index, target) in links.iter().enumerate() {
        out.push_str(&format!(
            r#"<Relationship Id="rIdLink{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="{}" TargetMode="External" />"#,
            index + 1,
            escape(target)
        ));
    }
    out.push_str(&rest[close..]);
    Ok(out.into_bytes())
}

/// The core properties docx-rs has no setters for: title, creator, subject, language and both
/// dates from the meeting date at midnight UTC, never the clock, so renders are reproducible.
fn core_properties(meta: &Meta, language: &str) -> String {
    let stamp = format!("{}T00:00:00Z", meta.date.format("%Y-%m-%d"));
    let creator = escape(&meta.author);
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
            r#"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#,
            r#"xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            "<dc:title>{title}</dc:title><dc:subject>{subject}</dc:subject><dc:creator>{creator}</dc:creator>",
            "<cp:lastModifiedBy>{creator}</cp:lastModifiedBy><cp:revision>1</cp:revision>",
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>"#,
            r#"<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>"#,
            "<dc:language>{language}</dc:language></cp:coreProperties>"
        ),
        title = escape(&meta.title),
        subject = escape(&meta.committee),
        creator = creator,
        stamp = stamp,
        language = language,
    )
}

/// Dates every entry of the packed archive at the paper's date, midnight, whatever the zip
/// crate did: docx-rs leaves the date to zip 8, which stamps the clock when any crate in the
/// build enables its `time` feature. Walks the central directory and rewrites the DOS time and
/// date fields there and in each local header (the only time fields zip 8 writes).
pub(super) fn set_zip_dates(archive: &mut [u8], meta: &Meta) -> anyhow::Result<()> {
    let (dos_time, dos_date) = (0u16, dos_date(meta.date));
    let u16_at = |bytes: &[u8], at: usize| -> anyhow::Result<u16> {
        let field = bytes.get(at..at + 2).context("the docx archive is truncated")?;
        Ok(u16::from_le_bytes([field[0], field[1]]))
    };
    let u32_at = |bytes: &[u8], at: usize| -> anyhow::Result<u32> {
        let field = bytes.get(at..at + 4).context("the docx archive is truncated")?;
        Ok(u32::from_le_bytes([field[0], field[1], field[2], field[3]]))
    };
    // The end-of-central-directory record is the last 22 bytes: the archive has no comment.
    let end = archive.len().checked_sub(22).context("the docx archive is too short")?;
    if u32_at(archive, end)? != 0x0605_4b50 {
        bail!("the docx archive does not end with a central directory record");
    }
    let entries = u16_at(archive, end + 10)?;
    let mut at = u32_at(archive, end + 16)? as usize;
    for _ in 0..entries {
        if u32_at(archive, at)? != 0x0201_4b50 {
            bail!("unexpected data in the docx archive's central directory");
        }
        let local = u32_at(archive, at + 42)? as usize;
        if u32_at(archive, local)? != 0x0403_4b50 {
            bail!("a docx archive entry has no local header");
        }
        archive[at + 12..at + 14].copy_from_slice(&dos_time.to_le_bytes());
        archive[at + 14..at + 16].copy_from_slice(&dos_date.to_le_bytes());
        archive[local + 10..local + 12].copy_from_slice(&dos_time.to_le_bytes());
        archive[local + 12..local + 14].copy_from_slice(&dos_date.to_le_bytes());
        let name_len = u16_at(archive, at + 28)? as usize;
        let extra_len = u16_at(archive, at + 30)? as usize;
        let comment_len = u16_at(archive, at + 32)? as usize;
        at += 46 + name_len + extra_len + comment_len;
    }
    Ok(())
}

/// A date as an MS-DOS date field; 1980-01-01 when it cannot be one (DOS dates cover
/// 1980–2107).
fn dos_date(date: chrono::NaiveDate) -> u16 {
    use chrono::Datelike;
    if (1980..=2107).contains(&date.year()) {
        (((date.year() - 1980) as u16) << 9) | ((date.month() as u16) << 5) | date.day() as u16
    } else {
        (1 << 5) | 1
    }
}

/// Escapes text for XML content and attribute values, dropping characters XML 1.0 forbids.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in super::xml_chars(text) {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#xA;"),
            '\t' => out.push_str("&#x9;"),
            '\r' => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_patch_only_touches_marked_tables() {
        let doc = concat!(
            r#"<w:tbl><w:tblPr><w:tblStyle w:val="Other" /></w:tblPr><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr></w:tbl>"#,
            r#"<w:tbl><w:tblPr><w:tblStyle w:val="Score" /></w:tblPr><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr>"#,
            r#"<w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr></w:tbl>"#
        );
        let out = String::from_utf8(repeat_header_rows(doc.as_bytes(), "Score").unwrap()).unwrap();
        assert_eq!(out.matches("<w:tblHeader />").count(), 1);
        assert!(out.contains(r#"<w:tblStyle w:val="Score" /></w:tblPr><w:tr><w:trPr><w:tblHeader /><w:cantSplit />"#));
    }

    #[test]
    fn header_patch_refuses_a_row_without_properties() {
        let doc = r#"<w:tbl><w:tblPr><w:tblStyle w:val="Score" /></w:tblPr><w:tr><w:tc /></w:tr><w:tr><w:trPr /></w:tr></w:tbl>"#;
        assert!(repeat_header_rows(doc.as_bytes(), "Score").is_err());
    }

    #[test]
    fn relationships_are_rewritten_in_document_order_and_escaped() {
        let rels = concat!(
            r#"<Relationships xmlns="x"><Relationship Id="rId1" Type="t" Target="styles.xml" />"#,
            r#"<Relationship Id="rIdLink2" Type="h" Target="b" TargetMode="External" />"#,
            r#"<Relationship Id="rIdLink1" Type="h" Target="a" TargetMode="External" /></Relationships>"#
        );
        let links = vec!["https://a.example/?x=1&y=2".to_owned(), "mailto:b@example.org".to_owned()];
        let out = String::from_utf8(hyperlink_relationships(rels.as_bytes(), &links).unwrap()).unwrap();
        assert!(out.starts_with(r#"<Relationships xmlns="x"><Relationship Id="rId1" Type="t" Target="styles.xml" /><Relationship Id="rIdLink1""#));
        assert!(out.contains(r#"Target="https://a.example/?x=1&amp;y=2""#));
        assert_eq!(out.matches("rIdLink").count(), 2);
        assert!(out.ends_with("</Relationships>"));
    }
}
