//! A council's Word template (`style: word-template: house.dotx`), read and checked.
//!
//! In: the bytes of a `.dotx`, `.docx` (or their macro-enabled forms). Out: a [`WordTemplate`]
//! holding every part of the package by name, the package's content types and the
//! relationships of the main document and of its headers and footers; or the reason it is not
//! a Word file, which [`super::style`] turns into an error at the `word-template:` line.
//!
//! Everything the DOCX renderer will read is checked here, when the paper file is read: the
//! archive, the main part's type (a document or a template, never a workbook), and every XML
//! part it takes over being well-formed UTF-8. So a bad template stops the build with its
//! place in the paper file before anything is written, and the renderer never meets one.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use quick_xml::events::Event;

/// Main-part content types of WordprocessingML packages: document and template, plain and
/// macro-enabled (the macros themselves are never carried over).
const WORD_MAIN_TYPES: [&str; 4] = [
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
];
/// Relationship types (the last path segment) of the parts the renderer takes over.
pub const STYLES: &str = "styles";
pub const NUMBERING: &str = "numbering";
pub const SETTINGS: &str = "settings";
pub const FONT_TABLE: &str = "fontTable";
pub const THEME: &str = "theme";
pub const HEADER: &str = "header";
pub const FOOTER: &str = "footer";
pub const IMAGE: &str = "image";
pub const HYPERLINK: &str = "hyperlink";

/// Limits against a damaged or hostile archive: a real template is tens of kilobytes.
const MAX_ENTRIES: usize = 2_000;
const MAX_PART_BYTES: u64 = 32 << 20;
const MAX_TOTAL_BYTES: u64 = 128 << 20;

/// A Word document or template, checked to be one.
#[derive(Clone, PartialEq)]
pub struct WordTemplate {
    /// Where it was read from (for messages).
    pub path: PathBuf,
    /// Every file of the package by its part name (`word/styles.xml`, no leading slash).
    parts: BTreeMap<String, Vec<u8>>,
    /// `[Content_Types].xml`: defaults by lower-case extension, overrides by part name.
    defaults: BTreeMap<String, String>,
    overrides: BTreeMap<String, String>,
    /// The main document part (`word/document.xml`).
    pub main: String,
    /// Relationships by the part they belong to.
    relationships: BTreeMap<String, Vec<Relationship>>,
}

impl std::fmt::Debug for WordTemplate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WordTemplate").field("path", &self.path).field("parts", &self.parts.len()).finish()
    }
}

/// A relationship of a part.
#[derive(Debug, Clone, PartialEq)]
pub struct Relationship {
    pub id: String,
    /// The last segment of the relationship type URI (`styles`, `header`, `image` …).
    pub kind: String,
    /// The target: a part name for an internal relationship, the URL for an external one.
    pub target: String,
    pub external: bool,
}

impl WordTemplate {
    /// Reads and checks a template; the error is the reason it is not a usable Word file.
    pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<WordTemplate, String> {
        let parts = unzip(bytes)?;
        let types = parts.get("[Content_Types].xml").ok_or("the archive has no [Content_Types].xml")?;
        let (defaults, overrides) = content_types(types)?;
        let mut template = WordTemplate {
            path: path.to_path_buf(),
            parts,
            defaults,
            overrides,
            main: String::new(),
            relationships: BTreeMap::new(),
        };
        let package_rels = template.read_relationships("")?;
        let main = package_rels
            .iter()
            .find(|r| r.kind == "officeDocument" && !r.external)
            .ok_or("the package names no main document")?
            .target
            .clone();
        if !template.parts.contains_key(&main) {
            return Err(format!("its main document {main} is missing"));
        }
        match template.content_type(&main) {
            Some(t) if WORD_MAIN_TYPES.contains(&t) => {}
            Some(t) => return Err(format!("its main part is {t}, not a Word document")),
            None => return Err(format!("its main part {main} has no content type")),
        }
        well_formed(&template, &main)?;
        transitional(&template, &main)?;
        template.main = main.clone();
        let rels = template.read_relationships(&main)?;
        for rel in rels.iter().filter(|r| !r.external) {
            if [STYLES, NUMBERING, SETTINGS, FONT_TABLE, THEME, HEADER, FOOTER].contains(&rel.kind.as_str()) {
                if !template.parts.contains_key(&rel.target) {
                    return Err(format!("its part {} is missing", rel.target));
                }
                well_formed(&template, &rel.target)?;
            }
            if rel.kind == HEADER || rel.kind == FOOTER {
                let own = template.read_relationships(&rel.target)?;
                for r in &own {
                    if r.kind != IMAGE && r.kind != HYPERLINK {
                        return Err(format!(
                            "its {} holds a {} relationship, which committee-paper cannot carry over (only pictures and links)",
                            rel.target, r.kind
                        ));
                    }
                    if r.kind == IMAGE && !r.external && !template.parts.contains_key(&r.target) {
                        return Err(format!("its picture {} is missing", r.target));
                    }
                }
                template.relationships.insert(rel.target.clone(), own);
            }
        }
        template.relationships.insert(main, rels);
        template.relationships.insert(String::new(), package_rels);
        Ok(template)
    }

    /// The file name, e.g. `house.dotx`.
    pub fn file_name(&self) -> String {
        self.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    }

    /// The bytes of a part.
    pub fn part(&self, name: &str) -> Option<&[u8]> {
        self.parts.get(name).map(Vec::as_slice)
    }

    /// The content type of a part (its override, else the default for its extension).
    pub fn content_type(&self, name: &str) -> Option<&str> {
        if let Some(t) = self.overrides.get(name) {
            return Some(t);
        }
        let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
        self.defaults.get(&extension).map(String::as_str)
    }

    /// The relationships of the main document, or of one of its headers or footers.
    pub fn relationships(&self, part: &str) -> &[Relationship] {
        self.relationships.get(part).map_or(&[], Vec::as_slice)
    }

    /// The part the main document relates to with `kind` (`styles`, `numbering` …), if any.
    pub fn related(&self, kind: &str) -> Option<&str> {
        self.relationships(&self.main).iter().find(|r| r.kind == kind && !r.external).map(|r| r.target.as_str())
    }

    /// Parses the relationships of `part` (`""` for the package).
    fn read_relationships(&self, part: &str) -> Result<Vec<Relationship>, String> {
        let (folder, file) = part.rsplit_once('/').unwrap_or(("", part));
        let rels_name =
            if folder.is_empty() { format!("_rels/{file}.rels") } else { format!("{folder}/_rels/{file}.rels") };
        let Some(bytes) = self.parts.get(&rels_name) else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for_each_element(bytes, &rels_name, |name, attrs| {
            if name != "Relationship" {
                return Ok(());
            }
            let get = |key: &str| attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
            let id = get("Id").ok_or_else(|| format!("a relationship in {rels_name} has no Id"))?;
            let kind = get("Type").unwrap_or_default().rsplit('/').next().unwrap_or_default().to_owned();
            let raw_target = get("Target").unwrap_or_default();
            let external = get("TargetMode").as_deref() == Some("External");
            let target = if external { raw_target } else { resolve(folder, &raw_target) };
            out.push(Relationship { id, kind, target, external });
            Ok(())
        })?;
        Ok(out)
    }
}

/// A relationship target as a part name: relative to the source part's folder, or absolute.
fn resolve(folder: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None if folder.is_empty() => target.to_owned(),
        None => format!("{folder}/{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

fn unzip(bytes: &[u8]) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| format!("not a zip archive ({e})"))?;
    if archive.len() > MAX_ENTRIES {
        return Err(format!("the archive has {} entries", archive.len()));
    }
    let mut parts = BTreeMap::new();
    let mut total = 0u64;
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).map_err(|e| format!("a damaged archive ({e})"))?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().trim_start_matches('/').to_owned();
        let mut data = Vec::new();
        let read = (&mut entry)
            .take(MAX_PART_BYTES + 1)
            .read_to_end(&mut data)
            .map_err(|e| format!("a damaged archive entry {name} ({e})"))?;
        total += read as u64;
        if read as u64 > MAX_PART_BYTES || total > MAX_TOTAL_BYTES {
            return Err(format!("the archive is too large to be a template ({name})"));
        }
        parts.insert(name, data);
    }
    Ok(parts)
}

type ContentTypes = (BTreeMap<String, String>, BTreeMap<String, String>);

fn content_types(bytes: &[u8]) -> Result<ContentTypes, String> {
    let (mut defaults, mut overrides) = (BTreeMap::new(), BTreeMap::new());
    for_each_element(bytes, "[Content_Types].xml", |name, attrs| {
        let get = |key: &str| attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default();
        match name {
            "Default" => {
                defaults.insert(get("Extension").to_ascii_lowercase(), get("ContentType"));
            }
            "Override" => {
                overrides.insert(get("PartName").trim_start_matches('/').to_owned(), get("ContentType"));
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok((defaults, overrides))
}

/// Checks that the main document is transitional WordprocessingML (what Word saves as "Word
/// Document" and "Word Template"), not the Strict variant, whose names the DOCX cannot mix in.
fn transitional(template: &WordTemplate, name: &str) -> Result<(), String> {
    const MAIN: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    let bytes = template.part(name).ok_or_else(|| format!("its part {name} is missing"))?;
    let mut namespace = None;
    for_each_element(bytes, name, |_, attrs| {
        if namespace.is_none() {
            namespace = Some(attrs.iter().find(|(k, _)| k == "xmlns:w").map(|(_, v)| v.clone()).unwrap_or_default());
        }
        Ok(())
    })?;
    match namespace.as_deref() {
        Some(MAIN) => Ok(()),
        _ => {
            Err("it is not saved as transitional Open XML (save it as Word Document or Word Template, not Strict)"
                .into())
        }
    }
}

/// Checks that a part is well-formed UTF-8 XML.
fn well_formed(template: &WordTemplate, name: &str) -> Result<(), String> {
    let bytes = template.part(name).ok_or_else(|| format!("its part {name} is missing"))?;
    for_each_element(bytes, name, |_, _| Ok(()))
}

/// Calls `f` with the local name and the unescaped attributes of every element of an XML part.
fn for_each_element(
    bytes: &[u8],
    part: &str,
    mut f: impl FnMut(&str, &[(String, String)]) -> Result<(), String>,
) -> Result<(), String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|_| format!("its part {part} is not UTF-8"))?;
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut seen_root = false;
    loop {
        let event = reader.read_event().map_err(|e| format!("its part {part} is not well-formed XML ({e})"))?;
        match event {
            Event::Start(e) | Event::Empty(e) => {
                seen_root = true;
                let name = e.local_name().as_ref().to_owned();
                let mut attrs = Vec::new();
                for attribute in e.attributes() {
                    let attribute =
                        attribute.map_err(|err| format!("its part {part} is not well-formed XML ({err})"))?;
                    let key = attribute.key.as_ref().to_owned();
                    let value = attribute
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|err| format!("its part {part} is not well-formed XML ({err})"))?
                        .into_owned();
                    attrs.push((key, value));
                }
                f(&name, &attrs)?;
            }
            Event::Eof if seen_root => return Ok(()),
            Event::Eof => return Err(format!("its part {part} is empty")),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const OFFICE_DOCUMENT: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument";

    /// A minimal package: content types, package relationships, the main part and its styles.
    pub(crate) fn package(main_type: &str, extra: &[(&str, &str)]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        let files = [
            (
                "[Content_Types].xml",
                format!(
                    r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="{main_type}"/></Types>"#
                ),
            ),
            (
                "_rels/.rels",
                format!(r#"<Relationships><Relationship Id="rId1" Type="{OFFICE_DOCUMENT}" Target="word/document.xml"/></Relationships>"#),
            ),
            (
                "word/_rels/document.xml.rels",
                r#"<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#.to_owned(),
            ),
            (
                "word/document.xml",
                r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>"#
                    .to_owned(),
            ),
            ("word/styles.xml", r#"<w:styles xmlns:w="x"/>"#.to_owned()),
        ];
        let mut all: BTreeMap<&str, &str> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
        all.extend(extra.iter().copied());
        for (name, text) in all {
            zip.start_file(name, options).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    const TEMPLATE_MAIN: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml";

    #[test]
    fn a_template_is_read_with_its_parts_and_relationships() {
        let template = WordTemplate::from_bytes(Path::new("house.dotx"), &package(TEMPLATE_MAIN, &[])).unwrap();
        assert_eq!(template.main, "word/document.xml");
        assert_eq!(template.related(STYLES), Some("word/styles.xml"));
        assert_eq!(template.content_type("word/styles.xml"), Some("application/xml"));
        assert_eq!(template.file_name(), "house.dotx");
    }

    #[test]
    fn what_is_not_a_word_file_says_why() {
        let reason = |bytes: &[u8]| WordTemplate::from_bytes(Path::new("x"), bytes).unwrap_err();
        assert!(reason(b"just text").starts_with("not a zip archive"), "{}", reason(b"just text"));
        let sheet = package("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", &[]);
        assert!(reason(&sheet).contains("spreadsheetml.sheet.main+xml, not a Word document"), "{}", reason(&sheet));
        let broken = package(TEMPLATE_MAIN, &[("word/styles.xml", "<w:styles><w:style></w:styles>")]);
        assert!(reason(&broken).contains("word/styles.xml is not well-formed XML"), "{}", reason(&broken));
    }

    #[test]
    fn targets_resolve_against_the_source_folder() {
        assert_eq!(resolve("word", "media/image1.png"), "word/media/image1.png");
        assert_eq!(resolve("word", "../customXml/item1.xml"), "customXml/item1.xml");
        assert_eq!(resolve("word", "/word/styles.xml"), "word/styles.xml");
        assert_eq!(resolve("", "word/document.xml"), "word/document.xml");
    }
}
