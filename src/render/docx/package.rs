//! The DOCX package: the parts in, the bytes of a `.docx` out.
//!
//! In: the XML parts (docx-rs builds the body, numbering and font table; this module's callers
//! the styles, settings, headers and footers), the pictures, and the hyperlink targets. Out: a
//! zip archive as Word writes one: `[Content_Types].xml` first, every part deflated, no
//! directory entries, relationships and content types for exactly the parts present.
//!
//! docx-rs' own `XMLDocx::pack` stores every entry uncompressed (the 2014 paper was 196 KB,
//! 47 KB deflated), writes directory entries, puts `[Content_Types].xml` after them, always
//! adds empty comments, commentsExtended, footnotes and custom-properties parts, and takes
//! relationships from a HashMap; writing the archive here makes the package small, its
//! contents exactly what the document uses, and its bytes the same on every run (every entry
//! is dated at the meeting, never the clock; deflate output is fixed for fixed input).
//!
//! The string patches below fix markup docx-rs itself produced; each looks for what this
//! renderer made and fails loudly (an error, never a silently wrong file) if docx-rs ever
//! writes it differently.

use std::io::Write;

use anyhow::{Context, bail};

use crate::model::Meta;

/// Content types of the parts this renderer writes.
pub(super) mod content_type {
    pub const DOCUMENT: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
    pub const STYLES: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml";
    pub const NUMBERING: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml";
    pub const SETTINGS: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml";
    pub const FONT_TABLE: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml";
    pub const THEME: &str = "application/vnd.openxmlformats-officedocument.theme+xml";
    pub const HEADER: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml";
    pub const FOOTER: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml";
    pub const CORE: &str = "application/vnd.openxmlformats-package.core-properties+xml";
    pub const APP: &str = "application/vnd.openxmlformats-officedocument.extended-properties+xml";
    pub const RELATIONSHIPS: &str = "application/vnd.openxmlformats-package.relationships+xml";
    pub const PNG: &str = "image/png";
}

/// Relationship types.
pub(super) mod relationship {
    const OFFICE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
    pub fn office(kind: &str) -> String {
        format!("{OFFICE}{kind}")
    }
    pub const CORE: &str = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties";
}

/// A relationship of a part: id, type URI, target, and whether the target is outside the
/// package.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Rel {
    pub id: String,
    pub kind: String,
    pub target: String,
    pub external: bool,
}

impl Rel {
    pub fn internal(id: &str, kind: String, target: &str) -> Rel {
        Rel { id: id.to_owned(), kind, target: target.to_owned(), external: false }
    }
}

/// A relationships part (`.rels`).
pub(super) fn relationships(rels: &[Rel]) -> Vec<u8> {
    let mut out = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
    ));
    for rel in rels {
        out.push_str(&format!(
            r#"<Relationship Id="{}" Type="{}" Target="{}"{} />"#,
            escape(&rel.id),
            escape(&rel.kind),
            escape(&rel.target),
            if rel.external { r#" TargetMode="External""# } else { "" }
        ));
    }
    out.push_str("</Relationships>");
    out.into_bytes()
}

/// The parts of a package, in the order they are written.
#[derive(Default)]
pub(super) struct Package {
    /// Part name (no leading slash), content type override (`None`: by extension), bytes.
    parts: Vec<(String, Option<String>, Vec<u8>)>,
    /// Content types by extension.
    defaults: std::collections::BTreeMap<String, String>,
}

impl Package {
    pub fn new() -> Package {
        let mut package = Package::default();
        package.defaults.insert("rels".into(), content_type::RELATIONSHIPS.into());
        package.defaults.insert("xml".into(), "application/xml".into());
        package
    }

    /// Adds a part with its own content type.
    pub fn add(&mut self, name: &str, content_type: &str, bytes: Vec<u8>) {
        self.parts.push((name.to_owned(), Some(content_type.to_owned()), bytes));
    }

    /// Adds a part typed by its extension (pictures), registering the extension's type.
    pub fn add_by_extension(&mut self, name: &str, content_type: &str, bytes: Vec<u8>) -> anyhow::Result<()> {
        let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        if extension.is_empty() || extension.contains('/') {
            bail!("the part {name} has no extension to type it by");
        }
        match self.defaults.get(&extension) {
            Some(known) if known != content_type => {
                self.parts.push((name.to_owned(), Some(content_type.to_owned()), bytes));
            }
            _ => {
                self.defaults.insert(extension, content_type.to_owned());
                self.parts.push((name.to_owned(), None, bytes));
            }
        }
        Ok(())
    }

    fn content_types(&self) -> Vec<u8> {
        let mut out = String::from(concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
        ));
        for (extension, content_type) in &self.defaults {
            out.push_str(&format!(
                r#"<Default Extension="{}" ContentType="{}" />"#,
                escape(extension),
                escape(content_type)
            ));
        }
        for (name, content_type, _) in &self.parts {
            if let Some(content_type) = content_type {
                out.push_str(&format!(
                    r#"<Override PartName="/{}" ContentType="{}" />"#,
                    escape(name),
                    escape(content_type)
                ));
            }
        }
        out.push_str("</Types>");
        out.into_bytes()
    }

    /// The archive: `[Content_Types].xml` first, then the parts in the order added, dated at the
    /// meeting (midnight); each deflated, except pictures that are compressed already (PNG, JPEG,
    /// GIF), which are stored: deflating them again saves nothing and set up a compressor for each
    /// (a quarter of the 2014 paper's DOCX work went to 37 compressors, 26 of them for sparklines).
    pub fn write(&self, meta: &Meta) -> anyhow::Result<Vec<u8>> {
        let (year, month, day) = dos_date(&meta.date);
        let date = zip::DateTime::from_date_and_time(year, month, day, 0, 0, 0)
            .map_err(|e| anyhow::anyhow!("failed to date the docx entries ({e})"))?;
        let options = zip::write::SimpleFileOptions::default().last_modified_time(date).unix_permissions(0o644);
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let mut entry = |name: &str, bytes: &[u8]| -> anyhow::Result<()> {
            let method = if is_compressed_picture(name) {
                zip::CompressionMethod::Stored
            } else {
                zip::CompressionMethod::Deflated
            };
            zip.start_file(name, options.compression_method(method))
                .with_context(|| format!("failed to add {name} to the docx"))?;
            zip.write_all(bytes).with_context(|| format!("failed to write {name} into the docx"))?;
            Ok(())
        };
        entry("[Content_Types].xml", &self.content_types())?;
        for (name, _, bytes) in &self.parts {
            entry(name, bytes)?;
        }
        Ok(zip.finish().context("failed to finish the docx archive")?.into_inner())
    }
}

/// Whether a part is a picture in a compressed format, by its extension.
fn is_compressed_picture(name: &str) -> bool {
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(extension.as_deref(), Some("png" | "jpg" | "jpeg" | "gif"))
}

/// The extended properties: the program that wrote the file, the organisation, and the Word
/// template it follows (if any).
pub(super) fn app_properties(organisation: Option<&str>, template: Option<&str>) -> Vec<u8> {
    let mut out = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" "#,
        r#"xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">"#
    ));
    if let Some(template) = template {
        out.push_str(&format!("<Template>{}</Template>", escape(template)));
    }
    if let Some(organisation) = organisation {
        out.push_str(&format!("<Company>{}</Company>", escape(organisation)));
    }
    out.push_str("<Application>committee-paper</Application><DocSecurity>0</DocSecurity></Properties>");
    out.into_bytes()
}

/// Gives every picture of `document.xml` a unique drawing id, a name and its alternative text
/// (`descr`, what Word shows under "Alt Text" and screen readers speak). docx-rs writes the same
/// `<wp:docPr id="1" name="Figure" />` for every picture and has no API for alt text.
/// `alts` are the texts in document order, one per picture.
pub(super) fn describe_pictures(document: &[u8], alts: &[String]) -> anyhow::Result<Vec<u8>> {
    const WRITTEN: &str = r#"<wp:docPr id="1" name="Figure" />"#;
    let document = utf8(document)?;
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
    Ok(out.into_bytes())
}

/// Gives each scorecard table (in document order) its title and description, what Word's "Alt
/// Text" for tables shows and screen readers announce (`w:tblCaption`, `w:tblDescription`; the
/// schema-order pass puts them last in `w:tblPr`). docx-rs has no API for them.
pub(super) fn caption_tables(
    document: &[u8],
    table_style: &str,
    captions: &[(String, String)],
) -> anyhow::Result<Vec<u8>> {
    let document = utf8(document)?;
    let marker = format!(r#"<w:tblStyle w:val="{table_style}" />"#);
    let extra: usize = captions.iter().map(|(t, d)| t.len() + d.len() + 80).sum();
    let mut out = String::with_capacity(document.len() + extra);
    let mut rest = document;
    let mut captions = captions.iter();
    while let Some(at) = rest.find(&marker) {
        let close = rest[at..].find("</w:tblPr>").context("a scorecard table's properties are not closed")? + at;
        let (title, description) = captions.next().context("a scorecard table has no caption")?;
        out.push_str(&rest[..close]);
        out.push_str(&format!(
            r#"<w:tblCaption w:val="{}" /><w:tblDescription w:val="{}" />"#,
            escape(title),
            escape(description)
        ));
        rest = &rest[close..];
    }
    if captions.next().is_some() {
        bail!("document.xml has fewer scorecard tables than the renderer made");
    }
    out.push_str(rest);
    Ok(out.into_bytes())
}

fn utf8(part: &[u8]) -> anyhow::Result<&str> {
    std::str::from_utf8(part).context("docx-rs wrote a part that is not UTF-8")
}

/// Marks the first row of every table with style `table_style` as a header row repeated on each
/// page (`w:tblHeader`), which docx-rs has no API for. The renderer gives those rows
/// `w:cantSplit`, so their `w:trPr` is never empty.
pub(super) fn repeat_header_rows(document: &[u8], table_style: &str) -> anyhow::Result<Vec<u8>> {
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

/// The core properties docx-rs has no setters for: title, creator, subject, language and both
/// dates from the meeting date at midnight UTC, never the clock, so renders are reproducible.
pub(super) fn core_properties(meta: &Meta, language: &str) -> String {
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

/// The date of the meeting for the zip entries; 1980-01-01 when it cannot be one (zip dates
/// cover 1980–2107).
fn dos_date(date: &chrono::NaiveDate) -> (u16, u8, u8) {
    use chrono::Datelike;
    if (1980..=2107).contains(&date.year()) {
        (date.year() as u16, date.month() as u8, date.day() as u8)
    } else {
        (1980, 1, 1)
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
    fn relationships_and_content_types_name_exactly_the_parts() {
        let rels = String::from_utf8(relationships(&[
            Rel::internal("rIdStyles", relationship::office("styles"), "styles.xml"),
            Rel {
                id: "rIdLink1".into(),
                kind: relationship::office("hyperlink"),
                target: "https://a.example/?x=1&y=2".into(),
                external: true,
            },
        ]))
        .unwrap();
        assert!(rels.contains(r#"<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml" />"#));
        assert!(rels.contains(r#"Target="https://a.example/?x=1&amp;y=2" TargetMode="External" />"#));

        let mut package = Package::new();
        package.add("word/document.xml", content_type::DOCUMENT, Vec::new());
        package.add_by_extension("word/media/a.png", content_type::PNG, Vec::new()).unwrap();
        package.add_by_extension("word/media/b.PNG", content_type::PNG, Vec::new()).unwrap();
        let types = String::from_utf8(package.content_types()).unwrap();
        assert!(types.contains(r#"<Default Extension="png" ContentType="image/png" />"#));
        assert!(types.contains(r#"<Override PartName="/word/document.xml""#));
        assert!(!types.contains("media/"), "pictures are typed by extension");
    }
}
