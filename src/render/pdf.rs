//! PDF: model -> JSON -> typst World -> PDF bytes.
//!
//! In: a [`Paper`] and [`PdfOptions`]. Out: the bytes of a tagged PDF (PDF/A-2a + PDF/UA-1 by
//! default). The layout lives in the typst template `report-templates/committee-paper.typ`, which
//! is embedded in the binary; the paper reaches it only as data, the virtual file `/paper.json`
//! that the template reads with `json("/paper.json")`. Nothing from the paper is ever turned into
//! typst markup, so spreadsheet text such as `#read("/etc/passwd")` or `*x*` prints literally.
//!
//! The [`World`] given to typst is deliberately tiny: the template, the JSON, and (for a custom
//! template only) the files in that template's own folder. Fonts (Liberation Sans, which has
//! Arial's metrics, then DejaVu Sans and typst's embedded faces as fallbacks) are compiled into
//! the binary and loaded once per process, and only those a paper needs, so a batch of papers
//! shares them and no machine fonts are ever consulted. Every date in the output comes from the
//! paper's meeting date, never the clock, so the same paper gives the same bytes.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use anyhow::{Context, anyhow};
use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, Lines, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_kit::fonts::FontStore;
use typst_layout::PagedDocument;

use crate::config::PdfStandard;
use crate::diagnostic::Warning;
use crate::model::Paper;
use crate::model::style::LogoFormat;

/// The typst standards a [`PdfStandard`] stands for.
pub(super) fn typst_standards(standard: PdfStandard) -> anyhow::Result<typst_pdf::PdfStandards> {
    use typst_pdf::PdfStandard as S;
    let list: &[S] = match standard {
        PdfStandard::None => return Ok(typst_pdf::PdfStandards::default()),
        PdfStandard::A2b => &[S::A_2b],
        PdfStandard::A2a => &[S::A_2a],
        PdfStandard::Ua1 => &[S::Ua_1],
        PdfStandard::A2aUa1 => &[S::A_2a, S::Ua_1],
    };
    typst_pdf::PdfStandards::new(list)
        .map_err(|err| anyhow!("failed to configure PDF standard {standard:?} ({})", err.message()))
}

/// A typeset paper: the PDF's bytes and what the author should know about them.
#[derive(Debug, Clone)]
pub struct RenderedPdf {
    pub bytes: Vec<u8>,
    pub warnings: Vec<Warning>,
}

/// Knobs for the PDF renderer.
#[derive(Debug, Clone, Default)]
pub struct PdfOptions {
    /// The standards the PDF must conform to; export fails if the document breaks them.
    pub standard: PdfStandard,
    /// A custom template used instead of the embedded one (and instead of the paper's own
    /// `style: template:`). It receives the same data (`json("/paper.json")`, the logo as
    /// `/logo.png` or `/logo.svg`) and may read files in its own folder.
    pub template: Option<PathBuf>,
    /// How many later renders an unused entry of typst's memo cache survives. 0 (the default)
    /// frees everything after each paper, right for a single build; a batch keeps a few so that
    /// papers sharing the template reuse its layout work, with memory still bounded
    /// (measured in BENCHMARKS.md).
    pub keep_cache: usize,
}

/// The name the embedded template goes by in error messages.
const TEMPLATE_NAME: &str = "committee-paper.typ";

/// The house style, compiled into the binary.
pub(super) const TEMPLATE: &str = include_str!("../../report-templates/committee-paper.typ");

/// The two files every compile uses. File ids are interned for the life of the process (at
/// most 65,536), so they are made once and shared by every paper of a batch.
struct Ids {
    template: FileId,
    data: FileId,
    logo_png: FileId,
    logo_svg: FileId,
}

static IDS: LazyLock<Ids> = LazyLock::new(|| {
    let id = |path: &str| {
        // Constant, valid paths: this cannot fail.
        let vpath = VirtualPath::new(path).expect("constant virtual path is valid");
        RootedPath::new(VirtualRoot::Project, vpath).intern()
    };
    Ids {
        template: id("/committee-paper.typ"),
        data: id("/paper.json"),
        logo_png: id("/logo.png"),
        logo_svg: id("/logo.svg"),
    }
});

/// The embedded template, parsed once.
static EMBEDDED_SOURCE: LazyLock<Source> = LazyLock::new(|| Source::new(IDS.template, TEMPLATE.to_owned()));

/// The standard library, built once, with typst's accessibility extras (`pdf.header-cell`,
/// `pdf.table-summary`), which the template needs to tag the scorecard's row headers.
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(library_builder().build()));

/// The standard library as every template needs it; an agenda pack adds its inputs.
pub(super) fn library_builder() -> typst::LibraryBuilder {
    let features = [typst::Feature::A11yExtras].into_iter().collect();
    Library::builder().with_features(features)
}

/// Liberation Sans 2.1.5 (SIL Open Font License; origin and checksums in
/// `report-templates/fonts/README.md`): Arial's metrics, so the PDF's lines and pages break where
/// the DOCX's do.
const LIBERATION_SANS: [&[u8]; 4] = [
    include_bytes!("../../report-templates/fonts/LiberationSans-Regular.ttf"),
    include_bytes!("../../report-templates/fonts/LiberationSans-Bold.ttf"),
    include_bytes!("../../report-templates/fonts/LiberationSans-Italic.ttf"),
    include_bytes!("../../report-templates/fonts/LiberationSans-BoldItalic.ttf"),
];

/// Liberation Sans's four faces: the house face (the model asks for it first unless a paper
/// names another family). Parsed once per process.
static LIBERATION_FONTS: LazyLock<Vec<Font>> =
    LazyLock::new(|| LIBERATION_SANS.into_iter().flat_map(|data| Font::iter(Bytes::new(data))).collect());

/// DejaVu Sans's four faces: for what Liberation Sans lacks, or first when a paper names it.
static DEJAVU_FONTS: LazyLock<Vec<Font>> = LazyLock::new(|| {
    let dejavu = [dejavu::sans::regular(), dejavu::sans::bold(), dejavu::sans::oblique(), dejavu::sans::bold_oblique()];
    dejavu.into_iter().flat_map(|data| Font::iter(Bytes::new(data))).collect()
});

/// typst's embedded faces (Libertinus Serif, New Computer Modern, DejaVu Sans Mono): the last
/// fallbacks, and families a paper may name. Parsing their 17 faces (typst works out every face's
/// coverage) was 16 of the 443 million instructions of the 2014 paper's `build` (BENCHMARKS.md),
/// so they, and the families a paper does not reach, are parsed only for a paper that needs them.
static TYPST_FONTS: LazyLock<Vec<Font>> =
    LazyLock::new(|| typst_kit::fonts::embedded().map(|(font, _)| font).collect());

/// Every embedded face, in the order typst is offered them: what every paper was typeset with
/// before, and still is whenever one family alone might draw it differently.
pub(super) static FULL_STORE: LazyLock<FontStore> =
    LazyLock::new(|| store_of(LIBERATION_FONTS.iter().chain(DEJAVU_FONTS.iter()).chain(TYPST_FONTS.iter()).cloned()));

/// One family alone, for the papers that ask for it first and need nothing else.
static LIBERATION_STORE: LazyLock<FontStore> = LazyLock::new(|| store_of(LIBERATION_FONTS.iter().cloned()));
static DEJAVU_STORE: LazyLock<FontStore> = LazyLock::new(|| store_of(DEJAVU_FONTS.iter().cloned()));

/// The embedded family of this name, with its store of its faces alone.
fn embedded_family(name: &str) -> Option<(&'static [Font], &'static FontStore)> {
    if name.eq_ignore_ascii_case("Liberation Sans") {
        Some((&LIBERATION_FONTS, &LIBERATION_STORE))
    } else if name.eq_ignore_ascii_case("DejaVu Sans") {
        Some((&DEJAVU_FONTS, &DEJAVU_STORE))
    } else {
        None
    }
}

/// The fonts for `paper`, whose model as JSON is `json`. When the house template asks for an
/// embedded family first and every character of the paper is in each of its four faces, typst
/// never looks further, so that family alone gives the same PDF; otherwise (and always for a
/// custom template, which may ask for any family) every embedded face, plus the paper's font
/// folders.
fn fonts_for(paper: &Paper, json: &str, custom_template: bool) -> anyhow::Result<Fonts> {
    if !paper.style.font_dirs.is_empty() {
        return Ok(Fonts::Owned(store_with_dirs(&paper.style.font_dirs)?));
    }
    if custom_template {
        return Ok(Fonts::Shared(&FULL_STORE));
    }
    if let Some((faces, store)) = paper.style.pdf_fonts.first().and_then(|f| embedded_family(f)) {
        let in_every_face = |c: char| faces.iter().all(|font| font.info().coverage.contains(c as u32));
        if non_ascii_chars(json).all(in_every_face) {
            return Ok(Fonts::Shared(store));
        }
    }
    Ok(Fonts::Shared(&FULL_STORE))
}

/// The distinct characters of `json` that need a look in a font's coverage: not ASCII (the
/// embedded families have every printable ASCII character), not white space or control
/// characters (never drawn). JSON keeps every other character of the model's strings as it is.
fn non_ascii_chars(json: &str) -> impl Iterator<Item = char> {
    let mut seen = std::collections::BTreeSet::new();
    json.chars().filter(move |c| !c.is_ascii() && !c.is_whitespace() && !c.is_control() && seen.insert(*c))
}

/// A font store borrowed from the process's or made for one paper.
enum Fonts {
    Shared(&'static FontStore),
    Owned(FontStore),
}

impl std::ops::Deref for Fonts {
    type Target = FontStore;
    fn deref(&self) -> &FontStore {
        match self {
            Fonts::Shared(store) => store,
            Fonts::Owned(store) => store,
        }
    }
}

fn store_of(fonts: impl Iterator<Item = Font>) -> FontStore {
    let mut store = FontStore::new();
    store.extend(fonts.map(|font| {
        let info = font.info().clone();
        (font, info)
    }));
    store
}

/// The base fonts plus every `.ttf`, `.otf`, `.ttc` and `.otc` file directly in `dirs` (sorted
/// by name, so the same folders always give the same choice of face).
pub(super) fn store_with_dirs(dirs: &[PathBuf]) -> anyhow::Result<FontStore> {
    let mut extra = Vec::new();
    for dir in dirs {
        let entries =
            std::fs::read_dir(dir).with_context(|| format!("failed to read font folder {}", dir.display()))?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| {
                let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
                matches!(ext.as_str(), "ttf" | "otf" | "ttc" | "otc") && path.is_file()
            })
            .collect();
        files.sort();
        for path in files {
            let data = std::fs::read(&path).with_context(|| format!("failed to read font {}", path.display()))?;
            // A file that is not a font yields no faces; typst then simply does not offer it.
            extra.extend(Font::iter(Bytes::new(data)));
        }
    }
    let embedded = LIBERATION_FONTS.iter().chain(DEJAVU_FONTS.iter()).chain(TYPST_FONTS.iter());
    Ok(store_of(extra.into_iter().chain(embedded.cloned())))
}

/// Whether `fonts` offer `family`; the book keys families in lower case, as typst's lookup does.
pub(super) fn has_family(fonts: &FontStore, family: &str) -> bool {
    fonts.book().contains_family(&family.to_lowercase())
}

/// What typst may see while typesetting one paper.
struct PaperWorld {
    /// The fonts: the house face, with typst's fallbacks and the paper's font folders when it
    /// needs them.
    fonts: Fonts,
    /// The logo as `/logo.png` or `/logo.svg`.
    logo: Option<(FileId, Bytes)>,
    /// The template, as the main source.
    template: Source,
    /// The paper as JSON (`/paper.json`).
    data: Bytes,
    /// The meeting date: what `datetime.today()` answers.
    today: Datetime,
    /// A custom template's folder, whose files the template may read.
    assets: Option<PathBuf>,
    /// The files of that folder the template read, by virtual path (`/img/seal.png`): what an
    /// ejected paper must carry along.
    assets_read: std::sync::Mutex<std::collections::BTreeSet<String>>,
}

impl World for PaperWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        IDS.template
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == IDS.template {
            return Ok(self.template.clone());
        }
        if id == IDS.data {
            return Err(FileError::NotSource);
        }
        let bytes = self.file(id)?;
        let text = bytes.as_str().map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text.to_owned()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == IDS.data {
            return Ok(self.data.clone());
        }
        if id == IDS.template {
            return Ok(Bytes::from_string(self.template.text().to_owned()));
        }
        if let Some((logo, bytes)) = &self.logo
            && *logo == id
        {
            return Ok(bytes.clone());
        }
        // Only a custom template may read anything else, and only inside its own folder
        // (virtual paths are normalised and cannot climb out of the root).
        let Some(root) = &self.assets else {
            return Err(FileError::NotFound(id.vpath().get_with_slash().into()));
        };
        if *id.root() != VirtualRoot::Project {
            return Err(FileError::AccessDenied);
        }
        let path = id.vpath().realize(root).map_err(FileError::Realize)?;
        let bytes = std::fs::read(&path).map(Bytes::new).map_err(|err| FileError::from_io(err, &path))?;
        if let Ok(mut read) = self.assets_read.lock() {
            read.insert(id.vpath().get_with_slash().to_owned());
        }
        Ok(bytes)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

/// Typeset a paper to PDF bytes.
///
/// Fails with `committee-paper.typ:LINE:COL: message` (or the custom template's path) when the
/// template does not compile, and names the broken rule when the PDF would not meet
/// [`PdfOptions::standard`].
pub fn render_pdf(paper: &Paper, options: &PdfOptions) -> anyhow::Result<RenderedPdf> {
    let typst = typst_pdf_of(paper, options)?;
    let bytes =
        super::object_streams::pack(&typst.bytes).context("failed to pack the PDF's objects into object streams")?;
    Ok(RenderedPdf { bytes, ..typst })
}

/// The PDF as typst-pdf writes it, before its objects are packed into object streams.
fn typst_pdf_of(paper: &Paper, options: &PdfOptions) -> anyhow::Result<RenderedPdf> {
    let Setup { world, name, warnings } = setup(paper, options)?;
    let result = typeset(&world, paper, options, &name);
    // typst memoises globally; without this a batch grows by megabytes per paper.
    typst::comemo::evict(options.keep_cache);
    Ok(RenderedPdf { bytes: result?, warnings })
}

/// What typst sees for one paper, the template's name for messages, and the warnings.
struct Setup {
    world: PaperWorld,
    name: String,
    warnings: Vec<Warning>,
}

/// The world of one paper: its JSON, its template, its fonts, its logo.
fn setup(paper: &Paper, options: &PdfOptions) -> anyhow::Result<Setup> {
    let today = typst_date(paper.meta.date)?;
    let data = serde_json::to_vec(paper).context("failed to serialise the paper for the PDF template")?;
    let (template, name, assets) = match options.template.as_ref().or(paper.style.template.as_ref()) {
        None => (EMBEDDED_SOURCE.clone(), TEMPLATE_NAME.to_owned(), None),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("failed to read PDF template {}", path.display()))?;
            let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
            (Source::new(IDS.template, text), path.display().to_string(), Some(folder))
        }
    };
    // serde_json writes valid UTF-8.
    let json = std::str::from_utf8(&data).context("the paper's JSON is not UTF-8")?;
    let fonts = fonts_for(paper, json, assets.is_some())?;
    let mut warnings = Vec::new();
    if let Some(family) = paper.style.pdf_fonts.first()
        && !has_family(&fonts, family)
    {
        // Not an error: the paper is still publishable in the house font.
        let instead = paper.style.pdf_fonts.iter().find(|f| has_family(&fonts, f)).map_or("fallback", |f| f.as_str());
        warnings.push(
            Warning::new("", format!("font {family:?} is not available for the PDF; using the embedded {instead}"))
                .with_hint("add the folder of its .ttf/.otf files to `style: font-dirs:`"),
        );
    }
    if non_ascii_chars(json).any(|c| !drawable(fonts.book(), c)) {
        // Some character no font draws: find where it is, to name it.
        check_coverage(paper, fonts.book())?;
    }
    let logo = paper.style.logo.as_ref().map(|logo| {
        let id = match logo.format {
            LogoFormat::Png => IDS.logo_png,
            LogoFormat::Svg => IDS.logo_svg,
        };
        (id, Bytes::new(logo.bytes.clone()))
    });
    let world =
        PaperWorld { fonts, logo, template, data: Bytes::new(data), today, assets, assets_read: Default::default() };
    Ok(Setup { world, name, warnings })
}

/// A file of an ejected paper: its path in the folder (`/`-separated) and its bytes.
#[derive(Debug, Clone)]
pub struct EjectedFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The folder an ejected paper's fonts go in.
pub const EJECTED_FONTS: &str = "fonts";

/// The typst project of one paper, for an author to hand-tune with typst itself: `main.typ`
/// (the template), `paper.json` (the model, exactly the data the template gets when we build),
/// the logo, every font face the document uses and the house face's four (under `fonts/`), and
/// for a custom template the files of its folder it reads. [`typst_command`] compiles it to the
/// pages and text `build` makes (`tests/eject.rs` checks this with the typst crates).
///
/// The document is typeset once to find its fonts, so a paper that does not build does not eject.
pub fn eject_pdf(paper: &Paper, options: &PdfOptions) -> anyhow::Result<(Vec<EjectedFile>, Vec<Warning>)> {
    let Setup { world, name, warnings } = setup(paper, options)?;
    let compiled = typst::compile::<PagedDocument>(&world).output;
    typst::comemo::evict(options.keep_cache);
    let document = compiled
        .map_err(|diags| anyhow!("failed to typeset the PDF: {}", describe(&world, &diags, &file_names(&name))))?;

    let mut files = vec![
        EjectedFile { path: "main.typ".into(), bytes: world.template.text().as_bytes().to_vec() },
        // Pretty, for an author to read; the same values as the compact JSON `build` uses.
        EjectedFile {
            path: "paper.json".into(),
            bytes: serde_json::to_vec_pretty(paper).context("failed to serialise the paper")?,
        },
    ];
    if let Some((id, bytes)) = &world.logo {
        files.push(EjectedFile { path: relative(*id), bytes: bytes.to_vec() });
    }
    let assets_read = world.assets_read.lock().map(|read| read.clone()).unwrap_or_default();
    for vpath in assets_read {
        let id = RootedPath::new(VirtualRoot::Project, VirtualPath::new(&vpath)?).intern();
        let bytes = world.file(id).map_err(|err| anyhow!("failed to read {vpath} again: {err}"))?;
        files.push(EjectedFile { path: vpath.trim_start_matches('/').to_owned(), bytes: bytes.to_vec() });
    }
    // One file per font file (a collection holds several faces), named after its first face.
    let mut fonts: Vec<Font> = paper
        .style
        .pdf_fonts
        .iter()
        .filter_map(|family| embedded_family(family))
        .flat_map(|(faces, _)| faces.iter().cloned())
        .collect();
    for page in document.pages() {
        fonts_in(&page.frame, &mut fonts);
    }
    let mut written: Vec<&Bytes> = Vec::new();
    for font in &fonts {
        if written.iter().any(|data| *data == font.data()) {
            continue;
        }
        written.push(font.data());
        let extension = match font.data().get(..4) {
            Some(b"OTTO") => "otf",
            Some(b"ttcf") => "ttc",
            _ => "ttf",
        };
        let stem = font.post_script_name().unwrap_or_else(|| format!("{}-{}", font.info().family, written.len()));
        let stem: String = stem.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
        files.push(EjectedFile { path: format!("{EJECTED_FONTS}/{stem}.{extension}"), bytes: font.data().to_vec() });
    }
    let command = typst_command(options.standard);
    files.push(EjectedFile { path: "README.txt".into(), bytes: ejected_readme(&command).into_bytes() });
    Ok((files, warnings))
}

/// What the ejected folder is and how to compile it.
fn ejected_readme(command: &str) -> String {
    format!(
        "This folder is the typst project of one committee paper, written by `committee-paper eject`.\n\n  \
         main.typ     the layout (committee-paper's template; the fields of paper.json are listed at its top)\n  \
         paper.json   the paper: every text, number, rating and colour, as committee-paper decided them\n  \
         {EJECTED_FONTS}/       the fonts the paper is set in\n  \
         logo.*       the logo, when the paper has one\n\n\
         Compile it with typst's command line (typst 0.15), from this folder:\n\n  {command}\n\n\
         It gives the same pages and text as `committee-paper build`. Edit main.typ to hand-tune this\n\
         paper's layout. `committee-paper build` does not read this folder, and running `eject` again\n\
         overwrites these files.\n"
    )
}

/// The path of a virtual file in the ejected folder: `/logo.png` → `logo.png`.
fn relative(id: FileId) -> String {
    id.vpath().get_with_slash().trim_start_matches('/').to_owned()
}

/// Adds the faces `frame` draws text with to `fonts`, once each.
fn fonts_in(frame: &typst::layout::Frame, fonts: &mut Vec<Font>) {
    for (_, item) in frame.items() {
        match item {
            typst::layout::FrameItem::Group(group) => fonts_in(&group.frame, fonts),
            typst::layout::FrameItem::Text(text) => {
                let font = text.font.font();
                if !fonts.contains(font) {
                    fonts.push(font.clone());
                }
            }
            _ => {}
        }
    }
}

/// The command that compiles an ejected paper with typst's own command line, from inside its
/// folder: its fonts and no others (so the machine's fonts cannot change the pages), the
/// accessibility extras the template uses, and the paper's PDF standard.
pub fn typst_command(standard: PdfStandard) -> String {
    let standards = match standard {
        PdfStandard::None => "",
        PdfStandard::A2b => " --pdf-standard a-2b",
        PdfStandard::A2a => " --pdf-standard a-2a",
        PdfStandard::Ua1 => " --pdf-standard ua-1",
        PdfStandard::A2aUa1 => " --pdf-standard a-2a,ua-1",
    };
    format!(
        "typst compile --font-path {EJECTED_FONTS} --ignore-system-fonts --features a11y-extras{standards} main.typ"
    )
}

/// Compile and export; split out so that the cache is evicted on every path.
fn typeset(world: &PaperWorld, paper: &Paper, options: &PdfOptions, name: &str) -> anyhow::Result<Vec<u8>> {
    let standards = typst_standards(options.standard)?;
    let name_of = file_names(name);
    let document = typst::compile::<PagedDocument>(world)
        .output
        .map_err(|diags| anyhow!("failed to typeset the PDF: {}", describe(world, &diags, &name_of)))?;
    let pdf_options = typst_pdf::PdfOptions {
        ident: Smart::Custom(format!("committee-paper|{}|{}", paper.meta.title, paper.meta.date.format("%Y-%m-%d"))),
        creator: Smart::Custom(Some("committee-paper".to_owned())),
        timestamp: Some(typst_pdf::Timestamp::new_utc(world.today)),
        page_ranges: None,
        standards,
        tagged: true,
        pretty: false,
    };
    typst_pdf::pdf(&document, &pdf_options)
        .map_err(|diags| anyhow!("failed to export the PDF: {}", describe(world, &diags, &name_of)))
}

/// Fails, naming where the text is, when the paper holds a character no available font can draw
/// (an emoji pasted into a workbook cell, say). Typst would only report it at export, as an
/// error in the template, which tells the author nothing about which cell to fix.
pub(super) fn check_coverage(paper: &Paper, book: &FontBook) -> anyhow::Result<()> {
    let missing = |text: &str| text.chars().find(|c| !drawable(book, *c));
    // Scorecard cells first: they come from workbooks and can be named by row and column.
    for appendix in &paper.appendices {
        let Some(table) = &appendix.scorecard else { continue };
        for group in &table.groups {
            for row in &group.rows {
                for (cell, column) in row.cells.iter().zip(&table.columns) {
                    if let Some(c) = missing(&cell.text) {
                        let reference = row.cells.first().map(|c| c.text.as_str()).unwrap_or("");
                        anyhow::bail!(
                            "{:?}, indicator {reference}, column {:?}: the character {c:?} (U+{:04X}) cannot be drawn with any \
                             available font\n  hint: remove it from the workbook cell, or add a font that has it with \
                             `style: font-dirs:`",
                            appendix.title,
                            column.label,
                            c as u32
                        );
                    }
                }
            }
        }
    }
    let json = serde_json::to_value(paper).context("failed to serialise the paper for the PDF template")?;
    check_text_coverage(&json, book)
}

/// Fails, quoting the text, when a string anywhere in `json` holds a character no font can draw.
pub(super) fn check_text_coverage(json: &serde_json::Value, book: &FontBook) -> anyhow::Result<()> {
    let mut stack = vec![json];
    while let Some(value) = stack.pop() {
        match value {
            serde_json::Value::String(text) => {
                if let Some(c) = text.chars().find(|c| !drawable(book, *c)) {
                    let shown: String = text.chars().take(60).collect();
                    anyhow::bail!(
                        "the text {shown:?} holds the character {c:?} (U+{:04X}), which no available font can draw\n  \
                         hint: remove it, or add a font that has it with `style: font-dirs:`",
                        c as u32
                    );
                }
            }
            serde_json::Value::Array(items) => stack.extend(items.iter().rev()),
            // Alternative texts are read out, never drawn.
            serde_json::Value::Object(map) => {
                stack.extend(map.iter().rev().filter(|(k, _)| *k != "alt").map(|(_, v)| v))
            }
            _ => {}
        }
    }
    Ok(())
}

/// Whether some font of `book` draws `c` (white space and control characters need none).
fn drawable(book: &FontBook, c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || (0..).map_while(|i| book.info(i)).any(|info| info.coverage.contains(c as u32))
}

/// The meeting date as a typst date.
pub(super) fn typst_date(date: chrono::NaiveDate) -> anyhow::Result<Datetime> {
    use chrono::Datelike;
    let (Ok(month), Ok(day)) = (u8::try_from(date.month()), u8::try_from(date.day())) else {
        anyhow::bail!("failed to convert the paper date {date}");
    };
    Datetime::from_ymd(date.year(), month, day).ok_or_else(|| anyhow!("failed to convert the paper date {date}"))
}

/// Error diagnostics as `file:line:col: message` lines, with their hints. `name_of` says how a
/// file is named in messages (the embedded template as `committee-paper.typ`, a custom one by
/// its path).
pub(super) fn describe(world: &dyn World, diags: &[SourceDiagnostic], name_of: &dyn Fn(FileId) -> String) -> String {
    let mut out = Vec::new();
    for diag in diags.iter().filter(|d| d.severity == Severity::Error) {
        let mut line = format!("{}: {}", locate(world, diag.span, name_of), diag.message);
        // Hints about typst CLI flags mean nothing to our users.
        for hint in diag.hints.iter().filter(|h| !h.v.contains("--root")) {
            line.push_str(&format!("\n  hint: {}", hint.v));
        }
        out.push(line);
    }
    if out.is_empty() {
        out.push(format!("{}: unknown error", name_of(world.main())));
    }
    out.join("\n")
}

/// How a paper's files are named in messages: the template by `name` (`committee-paper.typ`, or
/// a custom template's path), the others by their path in the virtual tree.
fn file_names(name: &str) -> impl Fn(FileId) -> String + '_ {
    move |id: FileId| {
        if id == IDS.template {
            name.to_owned()
        } else {
            id.vpath().get_with_slash().trim_start_matches('/').to_owned()
        }
    }
}

/// `file:line:col` (1-based) of a diagnostic span, or just the file when it has no position.
fn locate(world: &dyn World, span: impl Into<typst::syntax::DiagSpan>, name_of: &dyn Fn(FileId) -> String) -> String {
    let span = span.into();
    let Some(id) = span.id() else {
        return name_of(world.main());
    };
    let file = name_of(id);
    let position = world.range(span).and_then(|range| {
        let text = match world.source(id) {
            Ok(source) => source.text().to_owned(),
            Err(_) => world.file(id).ok()?.as_str().ok()?.to_owned(),
        };
        Lines::new(text).byte_to_line_column(range.start)
    });
    match position {
        Some((line, col)) => format!("{file}:{}:{}", line + 1, col + 1),
        None => file,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sample::sample_paper;

    fn text_of(pdf: &[u8]) -> String {
        pdf_extract::extract_text_from_mem(pdf).expect("pdf-extract reads the PDF")
    }

    #[test]
    fn sample_paper_renders_with_its_text() {
        let pdf = render_pdf(&sample_paper(), &PdfOptions::default()).expect("sample renders").bytes;
        assert!(pdf.starts_with(b"%PDF"));
        let text = text_of(&pdf);
        for needle in [
            "The performance Scorecard is attached.",
            "Performance results are assigned an alert on the following basis:",
            "Page 1 of",
            "Unrestricted",
            "Maureen Robinson",
            "Appendix 1 – Children in Care Scorecard – March 2017",
            "Placement stability",
        ] {
            assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
        }
    }

    #[test]
    fn markup_in_data_prints_literally() {
        let pdf = render_pdf(&sample_paper(), &PdfOptions::default()).expect("sample renders").bytes;
        let text = text_of(&pdf);
        for needle in ["#read(\"/etc/passwd\")", "*x*", "$y$", "<l>", "@r"] {
            assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
        }
        assert!(!text.contains("root:"), "the template must not be able to read /etc/passwd");
    }

    /// Every object of typst's PDF, by number, as lopdf reads it: streams as their dictionary
    /// and bytes (lopdf also notes where a stream sat in the file, which packing moves).
    fn objects_of(pdf: &[u8]) -> (std::collections::BTreeMap<lopdf::ObjectId, String>, lopdf::Dictionary) {
        let document = lopdf::Document::load_mem(pdf).expect("lopdf reads the PDF");
        let objects = document
            .objects
            .iter()
            .filter(|(_, object)| {
                let kind = object.as_stream().ok().and_then(|s| s.dict.get(b"Type").ok()?.as_name().ok());
                !matches!(kind, Some(b"ObjStm" | b"XRef"))
            })
            .map(|(id, object)| {
                let text = match object {
                    lopdf::Object::Stream(stream) => format!("{:?} {:?}", stream.dict, stream.content),
                    other => format!("{other:?}"),
                };
                (*id, text)
            })
            .collect();
        (objects, document.trailer)
    }

    #[test]
    fn object_streams_keep_every_object_and_halve_the_file() {
        for paper in [sample_paper(), running_paper()] {
            let typst = typst_pdf_of(&paper, &PdfOptions::default()).expect("renders").bytes;
            let packed = render_pdf(&paper, &PdfOptions::default()).expect("renders").bytes;
            let (before, trailer_before) = objects_of(&typst);
            let (after, trailer_after) = objects_of(&packed);
            assert_eq!(before.len(), after.len(), "the same number of objects");
            for (id, object) in &before {
                assert_eq!(Some(object), after.get(id), "object {id:?}");
            }
            for key in [&b"Root"[..], b"Info", b"ID"] {
                assert_eq!(
                    trailer_before.get(key).ok(),
                    trailer_after.get(key).ok(),
                    "{}",
                    String::from_utf8_lossy(key)
                );
            }
            assert!(packed.len() * 10 < typst.len() * 7, "{} bytes packed from {}", packed.len(), typst.len());
            assert!(!packed.windows(5).any(|w| w == b"\nxref"), "no classic table is left");
        }
    }

    #[test]
    fn two_renders_are_byte_identical() {
        let a = render_pdf(&sample_paper(), &PdfOptions::default()).expect("first render").bytes;
        let b = render_pdf(&sample_paper(), &PdfOptions::default()).expect("second render").bytes;
        assert!(a == b, "two renders of the same paper differ");
    }

    #[test]
    fn every_standard_exports() {
        for standard in [PdfStandard::None, PdfStandard::A2b, PdfStandard::A2a, PdfStandard::Ua1, PdfStandard::A2aUa1] {
            let options = PdfOptions { standard, ..PdfOptions::default() };
            let pdf = render_pdf(&sample_paper(), &options).unwrap_or_else(|e| panic!("{standard:?}: {e:#}")).bytes;
            assert!(pdf.starts_with(b"%PDF"));
        }
    }

    #[test]
    fn broken_custom_template_names_line_and_column() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("broken.typ");
        std::fs::write(&path, "#let paper = json(\"/paper.json\")\n\nHello #paper.meta.nope\n")
            .expect("write template");
        let options = PdfOptions { template: Some(path.clone()), ..PdfOptions::default() };
        let err = format!("{:#}", render_pdf(&sample_paper(), &options).expect_err("broken template fails"));
        let expected = format!("{}:3:", path.display());
        assert!(err.contains(&expected), "no location {expected:?} in: {err}");
        assert!(err.contains("nope"), "no message in: {err}");
    }

    #[test]
    fn template_syntax_error_names_line_and_column() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("unclosed.typ");
        std::fs::write(&path, "= Title\n\n#strong[never closed\n").expect("write template");
        let options = PdfOptions { template: Some(path.clone()), ..PdfOptions::default() };
        let err = format!("{:#}", render_pdf(&sample_paper(), &options).expect_err("fails"));
        assert!(err.contains(&format!("{}:3:", path.display())), "no location in: {err}");
    }

    #[test]
    fn custom_template_cannot_read_outside_its_folder() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("sneaky.typ");
        for target in ["../../etc/passwd", "/etc/passwd"] {
            let template = format!("#set document(title: \"x\")\n#read(\"{target}\")\n");
            std::fs::write(&path, template).expect("write template");
            let options =
                PdfOptions { template: Some(path.clone()), standard: PdfStandard::None, ..PdfOptions::default() };
            let err = format!("{:#}", render_pdf(&sample_paper(), &options).expect_err(target));
            assert!(err.contains(":2:"), "{target}: {err}");
            assert!(!err.contains("root:"), "{target}: {err}");
        }
    }

    #[test]
    fn custom_template_gets_the_same_data() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("mini.typ");
        std::fs::write(
            &path,
            "#let paper = json(\"/paper.json\")\n#set document(title: paper.meta.title)\n#set text(lang: \"en\", region: \"gb\")\n= #paper.meta.title\n",
        )
        .expect("write template");
        let options = PdfOptions { template: Some(path), standard: PdfStandard::None, ..PdfOptions::default() };
        let pdf = render_pdf(&sample_paper(), &options).expect("custom template renders").bytes;
        assert!(text_of(&pdf).contains("Performance Scorecard for Children in Care"));
    }

    #[test]
    fn sparse_and_odd_papers_render() {
        use crate::model::{Block, Cell, Contact, ContactStyle, Contacts, Paragraph};
        let mut paper = sample_paper();
        paper.front.clear();
        paper.sections.truncate(1);
        paper.sections[0].blocks = vec![
            Block::Paragraph(Paragraph { number: None, text: vec![], list: vec![], quote: None }),
            Block::Contacts(Contacts {
                style: ContactStyle::Labelled,
                people: vec![Contact { label: None, name: "A Person".into(), title: None, phone: None, email: None }],
            }),
        ];
        let table = paper.appendices[0].scorecard.as_mut().expect("sample has a scorecard");
        let trend = |points: Vec<Option<f64>>| Cell {
            trend: Some(crate::model::Trend::new(points, "Trend".into())),
            ..Cell::text("")
        };
        table.groups[0].rows[0].cells[10] = trend(vec![]);
        table.groups[0].rows[1].cells[10] = trend(vec![None, None]);
        table.groups[0].rows[2].cells[10] = trend(vec![Some(4.0)]);
        table.groups[1].rows[0].cells[10] = trend(vec![Some(2.0), Some(2.0), Some(2.0)]);
        table.groups[1].name = None;
        table.key.clear();
        let mut empty = paper.appendices[0].clone();
        empty.scorecard = None;
        empty.landscape = false;
        paper.appendices.push(empty);
        let pdf = render_pdf(&paper, &PdfOptions::default()).expect("odd paper renders").bytes;
        assert!(text_of(&pdf).contains("A Person"));
    }

    fn json_of(paper: &Paper) -> String {
        serde_json::to_string(paper).expect("the model serialises")
    }

    fn uses(fonts: &Fonts, store: &'static FontStore) -> bool {
        matches!(fonts, Fonts::Shared(s) if std::ptr::eq(*s, store))
    }

    #[test]
    fn one_family_alone_when_the_paper_needs_nothing_else() {
        let paper = sample_paper();
        assert_eq!(paper.style.pdf_fonts.first().map(String::as_str), Some("Liberation Sans"));
        let fonts = fonts_for(&paper, &json_of(&paper), false).expect("fonts");
        assert!(uses(&fonts, &LIBERATION_STORE), "every character of the sample is in Liberation Sans");
        let custom = fonts_for(&paper, &json_of(&paper), true).expect("fonts");
        assert!(uses(&custom, &FULL_STORE), "a custom template may ask for any embedded family");

        // A character only a fallback face has: typeset as before, with every face.
        let only_fallback = (0x80..0x3_0000)
            .filter_map(char::from_u32)
            .find(|&c| {
                !c.is_whitespace()
                    && !c.is_control()
                    && !LIBERATION_FONTS.iter().any(|f| f.info().coverage.contains(c as u32))
                    && DEJAVU_FONTS.iter().chain(TYPST_FONTS.iter()).any(|f| f.info().coverage.contains(c as u32))
            })
            .expect("the fallbacks have a character Liberation Sans lacks");
        let mut odd = sample_paper();
        odd.front[0].paragraphs[0].push(crate::model::Inline::plain(format!(" {only_fallback}")));
        assert!(uses(&fonts_for(&odd, &json_of(&odd), false).expect("fonts"), &FULL_STORE));
        let rendered = render_pdf(&odd, &PdfOptions::default()).expect("a fallback face draws it");
        assert!(text_of(&rendered.bytes).contains(only_fallback), "{only_fallback:?} is in the PDF");

        // A family of typst's own, named by the paper, is found without a warning.
        let mut serif = sample_paper();
        serif.style.font = "Libertinus Serif".into();
        serif.style.pdf_fonts = vec!["Libertinus Serif".into(), "Liberation Sans".into(), "DejaVu Sans".into()];
        assert!(uses(&fonts_for(&serif, &json_of(&serif), false).expect("fonts"), &FULL_STORE));
        let rendered = render_pdf(&serif, &PdfOptions::default()).expect("renders");
        assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
    }

    #[test]
    fn a_character_in_some_faces_of_the_family_only_brings_every_face() {
        // Typst could otherwise draw it from another face of the family where it used a fallback.
        let partly = (0x80..0x3_0000).filter_map(char::from_u32).find(|&c| {
            let count = LIBERATION_FONTS.iter().filter(|f| f.info().coverage.contains(c as u32)).count();
            count > 0 && count < LIBERATION_FONTS.len() && !c.is_whitespace() && !c.is_control()
        });
        let Some(partly) = partly else { return };
        let mut paper = sample_paper();
        paper.front[0].paragraphs[0].push(crate::model::Inline::plain(format!(" {partly}")));
        assert!(uses(&fonts_for(&paper, &json_of(&paper), false).expect("fonts"), &FULL_STORE), "{partly:?}");
    }

    #[test]
    fn font_folders_add_their_faces_and_families_match_in_any_case() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("b.ttf"), dejavu::sans::bold()).expect("write font");
        std::fs::write(dir.path().join("notes.txt"), "not a font").expect("write text");
        std::fs::write(dir.path().join("broken.otf"), "not a font either").expect("write junk");
        let store = store_with_dirs(&[dir.path().to_path_buf()]).expect("folder loads");
        assert_eq!(
            store.book().families().map(|(_, infos)| infos.count()).sum::<usize>(),
            LIBERATION_FONTS.len() + DEJAVU_FONTS.len() + TYPST_FONTS.len() + 1
        );
        assert!(has_family(&store, "DejaVu Sans") && has_family(&store, "dejavu sans"));
        assert!(!has_family(&store, "Arial"));
        assert!(store_with_dirs(&[dir.path().join("missing")]).is_err());
    }

    /// The names of the fonts a PDF embeds (`/BaseFont /ABCDEF+Name`), without subset tags; read
    /// with lopdf, as the font dictionaries sit in compressed object streams.
    fn embedded_fonts(pdf: &[u8]) -> std::collections::BTreeSet<String> {
        let document = lopdf::Document::load_mem(pdf).expect("lopdf reads the PDF");
        document
            .objects
            .values()
            .filter_map(|object| object.as_dict().ok()?.get(b"BaseFont").ok()?.as_name().ok())
            .map(|name| {
                let name = String::from_utf8_lossy(name);
                name.split_once('+').map_or(name.as_ref(), |(_, family)| family).to_owned()
            })
            .collect()
    }

    #[test]
    fn the_house_font_is_liberation_sans_and_dejavu_only_fills_in() {
        let rendered = render_pdf(&sample_paper(), &PdfOptions::default()).expect("sample renders");
        assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
        let fonts = embedded_fonts(&rendered.bytes);
        assert!(fonts.contains("LiberationSans") && fonts.contains("LiberationSans-Bold"), "{fonts:?}");
        assert!(!fonts.iter().any(|f| f.contains("DejaVu")), "nothing here needs DejaVu: {fonts:?}");

        // A script Liberation Sans lacks falls back on DejaVu Sans.
        let mut paper = sample_paper();
        paper.front[0].paragraphs[0].push(crate::model::Inline::plain(" ქართული"));
        let fonts = embedded_fonts(&render_pdf(&paper, &PdfOptions::default()).expect("renders").bytes);
        assert!(fonts.contains("LiberationSans") && fonts.iter().any(|f| f.starts_with("DejaVuSans")), "{fonts:?}");
    }

    #[test]
    fn the_models_width_tables_are_the_embedded_faces() {
        use crate::model::layout::{ARIAL, ARIAL_BOLD};
        for (data, table) in [(LIBERATION_SANS[0], &ARIAL), (LIBERATION_SANS[1], &ARIAL_BOLD)] {
            let font = Font::new(Bytes::new(data), 0).expect("the embedded face parses");
            let family = font.info().family.clone();
            let instance = font.instantiate(
                typst::text::FontVariant::default(),
                typst::layout::Abs::pt(12.0),
                &typst::text::FontVariations::default(),
            );
            for (c, &width) in (' '..='~').zip(table.iter()) {
                let glyph = instance.ttf().glyph_index(c).expect("an ASCII glyph");
                let advance = instance.x_advance(glyph.0).expect("an advance").get();
                assert_eq!((advance * 1000.0).round() as u16, width, "{c:?} in {family}");
            }
        }
    }

    #[test]
    fn a_font_the_pdf_lacks_falls_back_with_a_warning() {
        let mut paper = sample_paper();
        paper.style.font = "Verdana".into();
        paper.style.pdf_fonts = vec!["Verdana".into(), "Liberation Sans".into(), "DejaVu Sans".into()];
        let rendered = render_pdf(&paper, &PdfOptions::default()).expect("renders");
        let warning = rendered.warnings.first().map(|w| w.to_string()).unwrap_or_default();
        assert!(
            warning.contains("\"Verdana\" is not available for the PDF; using the embedded Liberation Sans"),
            "{warning}"
        );
        assert!(embedded_fonts(&rendered.bytes).contains("LiberationSans"));
    }

    /// The sample in the 2014 style (running numbers, no heading numbers), with a portrait
    /// appendix and a landscape one long enough to need the header row on every page.
    fn running_paper() -> Paper {
        use crate::model::{Block, Numbering};
        let mut paper = sample_paper();
        paper.numbering = Numbering::Running;
        let mut next = 0;
        for section in &mut paper.sections {
            section.number = None;
            for block in &mut section.blocks {
                if let Block::Paragraph(p) = block {
                    next += 1;
                    p.number = Some(crate::model::sample::number(&format!("{next}.")));
                }
            }
        }
        paper.header.insert(
            4,
            crate::model::HeaderField {
                label: "Electoral Divisions".into(),
                lines: vec![vec![crate::model::Inline::plain("All")]],
                strong: false,
            },
        );
        paper.front[1].label = "Recommendations".into();
        paper.front[1].numbered = true;
        paper.front[1].paragraphs.push(vec![crate::model::Inline::plain("REVIEW the dashboard.")]);
        let mut portrait = paper.appendices[0].clone();
        portrait.landscape = false;
        portrait.title = "Appendix A – SCS Monthly Performance Report – July 2014".into();
        let long = &mut paper.appendices[0];
        if let Some(table) = &mut long.scorecard {
            let rows = table.groups[0].rows.clone();
            for _ in 0..12 {
                table.groups[0].rows.extend(rows.iter().cloned());
            }
        }
        paper.appendices.insert(0, portrait);
        paper
    }

    #[test]
    fn long_tables_repeat_their_header() {
        let pdf = render_pdf(&running_paper(), &PdfOptions::default()).expect("running paper renders").bytes;
        let text = text_of(&pdf);
        let pages = text.matches("Page ").count();
        assert!(pages >= 4, "expected the long table to run over pages, got {pages}");
        // One header row per page of the long table, plus the portrait appendix's.
        assert!(text.matches("Indicator").count() >= 3, "header row not repeated:\n{text}");
    }

    /// Writes the sample to /tmp/pdf-sample.pdf for looking at: `cargo test --lib write_sample -- --ignored`.
    #[test]
    #[ignore]
    fn write_sample() {
        let start = std::time::Instant::now();
        let pdf = render_pdf(&sample_paper(), &PdfOptions::default()).expect("sample renders").bytes;
        eprintln!("rendered in {:?}", start.elapsed());
        std::fs::write("/tmp/pdf-sample.pdf", pdf).expect("write sample");
        let start = std::time::Instant::now();
        let pdf = render_pdf(&running_paper(), &PdfOptions::default()).expect("running paper renders").bytes;
        eprintln!("rendered the 5-page running paper in {:?}", start.elapsed());
        std::fs::write("/tmp/pdf-running.pdf", pdf).expect("write running sample");
    }
}
