//! `committee-paper eject` (issue 12): the ejected folder compiles, with typst alone, to the pages
//! and text `build` makes.
//!
//! The folder is compiled here the way `typst compile --font-path fonts --ignore-system-fonts
//! --features a11y-extras --pdf-standard a-2a,ua-1 main.typ` compiles it (the command `eject`
//! prints): the folder is the project root, the fonts are those of `fonts/` and typst's own
//! embedded faces, nothing of committee-paper is involved. typst's command line itself is not
//! a dependency of the build; benches/peers.sh runs it on the same folder.

mod common;

use std::path::{Path, PathBuf};

use common::{root, run, stderr};
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// A folder as typst's command line sees it.
struct Folder {
    root: PathBuf,
    main: FileId,
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

impl Folder {
    fn new(root: &Path) -> Folder {
        let mut fonts = Vec::new();
        let mut files: Vec<PathBuf> =
            std::fs::read_dir(root.join("fonts")).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for path in files {
            fonts.extend(Font::iter(Bytes::new(std::fs::read(path).unwrap())));
        }
        fonts.extend(typst_kit::fonts::embedded().map(|(font, _)| font));
        let features = [typst::Feature::A11yExtras].into_iter().collect();
        Folder {
            root: root.to_path_buf(),
            main: id("/main.typ"),
            library: LazyHash::new(Library::builder().with_features(features).build()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    }
}

fn id(path: &str) -> FileId {
    RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).unwrap()).intern()
}

impl World for Folder {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }
    fn main(&self) -> FileId {
        self.main
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        let bytes = self.file(id)?;
        Ok(Source::new(id, bytes.as_str().map_err(|_| FileError::InvalidUtf8)?.to_owned()))
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        let path = id.vpath().realize(&self.root).map_err(FileError::Realize)?;
        std::fs::read(&path).map(Bytes::new).map_err(|err| FileError::from_io(err, &path))
    }
    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }
    fn today(&self, _: Option<Duration>) -> Option<Datetime> {
        Datetime::from_ymd(2026, 11, 30)
    }
}

/// The folder compiled as typst's command line compiles it, to PDF/A-2a + PDF/UA-1.
fn compile_with_typst(folder: &Path) -> Vec<u8> {
    let world = Folder::new(folder);
    let document = typst::compile::<typst_layout::PagedDocument>(&world)
        .output
        .unwrap_or_else(|errors| panic!("the ejected folder does not compile: {errors:?}"));
    let standards =
        typst_pdf::PdfStandards::new(&[typst_pdf::PdfStandard::A_2a, typst_pdf::PdfStandard::Ua_1]).unwrap();
    // Like the command line, which dates the PDF now (or at SOURCE_DATE_EPOCH).
    let timestamp = world.today(None).map(typst_pdf::Timestamp::new_utc);
    let options = typst_pdf::PdfOptions { standards, timestamp, ..Default::default() };
    typst_pdf::pdf(&document, &options).unwrap_or_else(|errors| panic!("the PDF does not export: {errors:?}"))
}

fn pages(pdf: &[u8]) -> usize {
    lopdf::Document::load_mem(pdf).unwrap().get_pages().len()
}

fn text(pdf: &[u8]) -> String {
    pdf_extract::extract_text_from_mem(pdf).unwrap()
}

/// Ejects and builds `paper`; returns the ejected folder's PDF and `build`'s, and the folder.
fn eject_and_build(paper: &Path) -> (Vec<u8>, Vec<u8>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let (ejected, built) = (dir.path().join("ejected"), dir.path().join("built"));
    let out = run(&["eject", paper.to_str().unwrap(), "-o", ejected.to_str().unwrap()]);
    assert!(out.status.success(), "eject failed: {}", stderr(&out));
    let printed = common::stdout(&out);
    assert!(
        printed.contains(
            "typst compile --font-path fonts --ignore-system-fonts --features a11y-extras --pdf-standard a-2a,ua-1 main.typ"
        ),
        "{printed}"
    );
    let out = run(&["build", paper.to_str().unwrap(), "-o", built.to_str().unwrap(), "--format", "pdf"]);
    assert!(out.status.success(), "build failed: {}", stderr(&out));
    let pdf = std::fs::read_dir(&built)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pdf"));
    (compile_with_typst(&ejected), std::fs::read(pdf.unwrap()).unwrap(), dir)
}

#[test]
fn both_reference_papers_eject_to_the_same_pages_and_text() {
    for paper in ["fixtures/kcc-2014-scs-dashboard/paper.yaml", "fixtures/kcc-2017-children-in-care/paper.yaml"] {
        let (typst, ours, dir) = eject_and_build(&root().join(paper));
        assert_eq!(pages(&typst), pages(&ours), "{paper}: page count");
        assert_eq!(text(&typst), text(&ours), "{paper}: text");
        let ejected = dir.path().join("ejected");
        for file in ["main.typ", "paper.json", "README.txt", "fonts/DejaVuSans.ttf", "fonts/DejaVuSans-Bold.ttf"] {
            assert!(ejected.join(file).is_file(), "{paper}: {file} written");
        }
        let template = std::fs::read_to_string(ejected.join("main.typ")).unwrap();
        let embedded = std::fs::read_to_string(root().join("report-templates/committee-paper.typ")).unwrap();
        assert_eq!(template, embedded, "main.typ is the house template as it is");
    }
}

#[test]
fn a_custom_template_ejects_with_the_files_it_reads_and_a_logo() {
    let dir = tempfile::tempdir().unwrap();
    let src = root().join("fixtures/kcc-2017-children-in-care");
    for name in ["paper.yaml", "cic-scorecard.xlsx"] {
        std::fs::copy(src.join(name), dir.path().join(name)).unwrap();
    }
    let seal = r##"<svg xmlns="http://www.w3.org/2000/svg" width="30" height="30"><circle cx="15" cy="15" r="12" fill="#00703C"/></svg>"##;
    std::fs::create_dir(dir.path().join("parts")).unwrap();
    std::fs::write(dir.path().join("parts/seal.svg"), seal).unwrap();
    std::fs::write(dir.path().join("logo.svg"), seal).unwrap();
    std::fs::write(dir.path().join("unused.txt"), "not read by the template").unwrap();
    let template = "#let paper = json(\"/paper.json\")\n#set document(title: paper.meta.title)\n\
        #set text(lang: \"en\", region: \"gb\", font: \"DejaVu Sans\")\n\
        #image(paper.style.logo.path, alt: paper.style.logo.alt, height: 1cm)\n\
        #image(\"parts/seal.svg\", alt: \"Seal\", height: 1cm)\n= #paper.meta.title\n#paper.meta.committee\n";
    std::fs::write(dir.path().join("custom.typ"), template).unwrap();
    let paper = dir.path().join("paper.yaml");
    let yaml = std::fs::read_to_string(&paper).unwrap();
    std::fs::write(
        &paper,
        format!("{yaml}\nstyle:\n  template: custom.typ\n  logo: logo.svg\n  logo-alt: Council logo\n"),
    )
    .unwrap();

    let (typst, ours, out) = eject_and_build(&paper);
    assert_eq!(pages(&typst), pages(&ours));
    assert_eq!(text(&typst), text(&ours));
    let ejected = out.path().join("ejected");
    assert_eq!(std::fs::read_to_string(ejected.join("main.typ")).unwrap(), template);
    assert_eq!(std::fs::read_to_string(ejected.join("parts/seal.svg")).unwrap(), seal, "the file it reads");
    assert!(ejected.join("logo.svg").is_file(), "the logo");
    assert!(!ejected.join("unused.txt").exists(), "only what the template reads");
}

#[test]
fn a_paper_that_does_not_build_does_not_eject() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["eject", "fixtures/no-such-paper.yaml", "-o", dir.path().join("x").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!dir.path().join("x").exists(), "nothing written");
}
