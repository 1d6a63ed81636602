//! Agenda packs to PDF: a [`Pack`] in, one typst document out.
//!
//! The pack template (`report-templates/pack.typ`, embedded) draws the front sheet and each
//! item's page furniture, and includes every paper with the house paper template. Each item N
//! (1-based, in the version's order) gets its own folder of virtual files: `/items/N/paper.typ`
//! (the house template), `/items/N/paper.json` (the paper), `/items/N/logo.png|svg`, and
//! `/items/N/page-K.svg` for the pages of an external PDF. The paper template reads its data
//! relatively, so every paper sees its own; `sys.inputs` tells it that it is in a pack, where it
//! leaves the page header and footer and the document metadata to the pack. One typst document
//! means continuous page numbers, one outline and one tag tree, all typst's own, and a PDF/A +
//! PDF/UA pack when the papers would be.
//!
//! The file ids are made from fixed paths, so a batch of packs reuses them (typst interns ids
//! for the life of the process).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::LazyLock;

use anyhow::{Context, anyhow};
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Dict, Duration, Label, Selector, Smart, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::{LazyHash, PicoStr};
use typst::{Library, World};
use typst_kit::fonts::FontStore;
use typst_layout::PagedDocument;

use super::pdf::{
    FULL_STORE, PdfOptions, TEMPLATE, check_coverage, check_text_coverage, describe, has_family, library_builder,
    store_with_dirs, typst_date, typst_standards,
};
use crate::diagnostic::Warning;
use crate::model::Paper;
use crate::model::pack::{ItemBody, Pack, PackItem, PdfPage};
use crate::model::style::LogoFormat;

/// The pack's layout, compiled into the binary.
const PACK_TEMPLATE: &str = include_str!("../../report-templates/pack.typ");

/// The standard library with the input that tells the paper template it is in a pack.
static PACK_LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| {
    let inputs: Dict = [("committee-paper-pack".into(), Value::Str("yes".into()))].into_iter().collect();
    LazyHash::new(library_builder().with_inputs(inputs).build())
});

/// A file id for a fixed virtual path.
fn id(path: &str) -> anyhow::Result<FileId> {
    let vpath = VirtualPath::new(path).map_err(|e| anyhow!("internal error: bad virtual path {path}: {e:?}"))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// The main file.
static MAIN: LazyLock<FileId> = LazyLock::new(|| id("/pack.typ").expect("constant virtual path is valid"));

/// The main file, parsed once.
static PACK_SOURCE: LazyLock<Source> = LazyLock::new(|| Source::new(*MAIN, PACK_TEMPLATE.to_owned()));

/// Where each agenda item's pages are in a typeset pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemPages {
    /// The agenda number.
    pub number: String,
    /// The first page, as numbered in the pack; `None` for an item with no pages.
    pub start: Option<usize>,
    /// How many pages the item takes.
    pub count: usize,
}

/// A typeset pack.
#[derive(Debug, Clone)]
pub struct PackPdf {
    /// The PDF, or empty when only the layout was asked for ([`paginate_pack`]).
    pub bytes: Vec<u8>,
    /// Pages in the whole pack.
    pub pages: usize,
    /// One entry per item of the pack, in order.
    pub items: Vec<ItemPages>,
    /// Things the clerk should know that do not stop the pack.
    pub warnings: Vec<Warning>,
}

/// Typesets a pack to PDF bytes.
pub fn render_pack_pdf(pack: &Pack, options: &PdfOptions) -> anyhow::Result<PackPdf> {
    typeset_pack(pack, options, true)
}

/// Lays a pack out without making the PDF: what `pack --check` needs (the page of each item).
pub fn paginate_pack(pack: &Pack, options: &PdfOptions) -> anyhow::Result<PackPdf> {
    typeset_pack(pack, options, false)
}

fn typeset_pack(pack: &Pack, options: &PdfOptions, export: bool) -> anyhow::Result<PackPdf> {
    let today = typst_date(pack.meta.date)?;
    let dirs = font_dirs(pack);
    let owned_fonts;
    let fonts = if dirs.is_empty() {
        &*FULL_STORE
    } else {
        owned_fonts = store_with_dirs(&dirs)?;
        &owned_fonts
    };

    let mut world = PackWorld { fonts, sources: HashMap::new(), files: HashMap::new(), today, names: HashMap::new() };
    world.files.insert(
        id("/pack.json")?,
        Bytes::new(serde_json::to_vec(pack).context("failed to serialise the pack for the PDF template")?),
    );
    check_text_coverage(&serde_json::to_value(pack)?, fonts.book())?;
    let mut warnings = Vec::new();
    for (i, item) in pack.items.iter().enumerate() {
        warnings.extend(world.add_item(i + 1, item)?);
    }

    let result = compile_and_export(&world, pack, options, export);
    // typst memoises globally; without this a batch grows by megabytes per pack.
    typst::comemo::evict(options.keep_cache);
    let (bytes, document) = result?;
    let items = item_pages(pack, &document);
    Ok(PackPdf { bytes, pages: document.pages().len(), items, warnings })
}

/// The papers' extra font folders, in item order without repeats: one font store serves the
/// whole pack.
fn font_dirs(pack: &Pack) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    for item in &pack.items {
        if let ItemBody::Paper { paper } = &item.body {
            for dir in &paper.style.font_dirs {
                if !dirs.contains(dir) {
                    dirs.push(dir.clone());
                }
            }
        }
    }
    dirs
}

/// What the clerk should know about a paper typeset in the pack: it names a template of its
/// own (the pack sets it in the house template), or its font is not available for the PDF.
fn paper_warnings(name: &str, paper: &Paper, fonts: &FontStore) -> Vec<Warning> {
    let mut warnings = Vec::new();
    if paper.style.template.is_some() {
        warnings.push(Warning::new(
            "",
            format!(
                "{name}: its paper names its own template (style: template:); a pack sets every paper \
                 in the house template"
            ),
        ));
    }
    if let Some(family) = paper.style.pdf_fonts.first()
        && !has_family(fonts, family)
    {
        let instead = paper.style.pdf_fonts.iter().find(|f| has_family(fonts, f)).map_or("fallback", |f| f.as_str());
        warnings.push(
            Warning::new(
                "",
                format!("{name}: font {family:?} is not available for the PDF; using the embedded {instead}"),
            )
            .with_hint("add the folder of its .ttf/.otf files to the paper's `style: font-dirs:`"),
        );
    }
    warnings
}

fn compile_and_export(
    world: &PackWorld<'_>,
    pack: &Pack,
    options: &PdfOptions,
    export: bool,
) -> anyhow::Result<(Vec<u8>, PagedDocument)> {
    let name_of = |id: FileId| match world.names.get(&id) {
        Some(name) => name.clone(),
        None => id.vpath().get_with_slash().trim_start_matches('/').to_owned(),
    };
    let document = typst::compile::<PagedDocument>(world)
        .output
        .map_err(|diags| anyhow!("failed to typeset the pack: {}", describe(world, &diags, &name_of)))?;
    if !export {
        return Ok((Vec::new(), document));
    }
    let pdf_options = typst_pdf::PdfOptions {
        ident: Smart::Custom(format!("committee-paper-pack|{}|{}", pack.meta.title, pack.meta.date.format("%Y-%m-%d"))),
        creator: Smart::Custom(Some("committee-paper".to_owned())),
        timestamp: Some(typst_pdf::Timestamp::new_utc(world.today)),
        page_ranges: None,
        standards: typst_standards(options.standard)?,
        tagged: true,
        pretty: false,
    };
    let bytes = typst_pdf::pdf(&document, &pdf_options)
        .map_err(|diags| anyhow!("failed to export the pack: {}", describe(world, &diags, &name_of)))?;
    // As for a paper: the tagged pages' thousands of small objects, packed, halve the file.
    let bytes = super::object_streams::pack(&bytes).context("failed to pack the PDF's objects into object streams")?;
    Ok((bytes, document))
}

/// The page each item starts on (from the `<pack-item-start>` metadata the template places
/// with each item's heading) and how many pages it takes.
fn item_pages(pack: &Pack, document: &PagedDocument) -> Vec<ItemPages> {
    let introspector = document.introspector();
    let mut starts: Vec<(usize, usize)> = Vec::new();
    if let Some(label) = Label::new(PicoStr::intern("pack-item-start")) {
        for content in introspector.query(&Selector::Label(label)) {
            let index = content.to_packed::<MetadataElem>().and_then(|m| match &m.value {
                Value::Int(n) => usize::try_from(*n).ok(),
                _ => None,
            });
            let page = content.location().and_then(|loc| introspector.page(loc));
            if let (Some(index), Some(page)) = (index, page) {
                starts.push((index, page.get()));
            }
        }
    }
    starts.sort_by_key(|(_, page)| *page);
    let total = document.pages().len();
    pack.items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let position = starts.iter().position(|(index, _)| *index == i + 1);
            let start = position.map(|p| starts[p].1);
            let count = match position {
                Some(p) => starts.get(p + 1).map_or(total + 1, |next| next.1) - starts[p].1,
                None => 0,
            };
            ItemPages { number: item.number.clone(), start, count }
        })
        .collect()
}

/// What typst may see while typesetting one pack: the pack template and data, and each item's
/// files.
struct PackWorld<'a> {
    fonts: &'a FontStore,
    /// The paper templates, one per paper item.
    sources: HashMap<FileId, Source>,
    /// The data, logos and page pictures.
    files: HashMap<FileId, Bytes>,
    /// The meeting date: what `datetime.today()` answers.
    today: Datetime,
    /// How messages name files other than `pack.typ`.
    names: HashMap<FileId, String>,
}

impl PackWorld<'_> {
    /// Puts the files of item `number` (1-based, in the version's order) in its folder
    /// `/items/N/`: a paper's template, data and logo, or an external PDF's pages. A paper must
    /// be typesettable in the pack's fonts; what the clerk should know about it is returned.
    fn add_item(&mut self, number: usize, item: &PackItem) -> anyhow::Result<Vec<Warning>> {
        let folder = format!("/items/{number}/");
        let name = format!("agenda item {}", item.number);
        match &item.body {
            ItemBody::Paper { paper } => {
                check_coverage(paper, self.fonts.book()).with_context(|| format!("{name}: {}", item.title))?;
                let warnings = paper_warnings(&name, paper, self.fonts);
                self.add_paper(&folder, &name, paper)?;
                Ok(warnings)
            }
            ItemBody::Pdf { pages, .. } => {
                self.add_pdf_pages(&folder, &name, pages)?;
                Ok(Vec::new())
            }
            ItemBody::None | ItemBody::Withheld { .. } => Ok(Vec::new()),
        }
    }

    /// A paper's files: the house paper template (named after the item in messages), the paper
    /// as data, and its logo.
    fn add_paper(&mut self, folder: &str, name: &str, paper: &Paper) -> anyhow::Result<()> {
        let template = id(&format!("{folder}paper.typ"))?;
        self.sources.insert(template, Source::new(template, TEMPLATE.to_owned()));
        self.names.insert(template, format!("committee-paper.typ ({name})"));
        let data = serde_json::to_vec(paper).context("failed to serialise a paper for the PDF template")?;
        self.files.insert(id(&format!("{folder}paper.json"))?, Bytes::new(data));
        if let Some(logo) = &paper.style.logo {
            let file = match logo.format {
                LogoFormat::Png => "logo.png",
                LogoFormat::Svg => "logo.svg",
            };
            self.files.insert(id(&format!("{folder}{file}"))?, Bytes::new(logo.bytes.clone()));
        }
        Ok(())
    }

    /// An external PDF's pages as pictures, `page-K.svg`, each named in messages.
    fn add_pdf_pages(&mut self, folder: &str, name: &str, pages: &[PdfPage]) -> anyhow::Result<()> {
        for (k, page) in pages.iter().enumerate() {
            let path = format!("{folder}page-{}.svg", k + 1);
            let file = id(&path)?;
            self.files.insert(file, Bytes::new(page.svg.clone()));
            self.names.insert(file, format!("page {} of the PDF of {name}", k + 1));
        }
        Ok(())
    }
}

impl World for PackWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &PACK_LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        *MAIN
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == *MAIN {
            return Ok(PACK_SOURCE.clone());
        }
        match self.sources.get(&id) {
            Some(source) => Ok(source.clone()),
            None if self.files.contains_key(&id) => Err(FileError::NotSource),
            None => Err(FileError::NotFound(id.vpath().get_with_slash().into())),
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(bytes) = self.files.get(&id) {
            return Ok(bytes.clone());
        }
        match self.source(id) {
            Ok(source) => Ok(Bytes::from_string(source.text().to_owned())),
            Err(_) => Err(FileError::NotFound(id.vpath().get_with_slash().into())),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
