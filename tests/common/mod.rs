//! Helpers shared by the integration tests: run the real binary, make small workbooks and papers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary from the crate root.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_committee-paper"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the binary runs")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A cell for [`write_workbook`].
pub enum V<'a> {
    S(&'a str),
    N(f64),
    B(bool),
    Blank,
}

/// Writes an .xlsx with one sheet per (name, rows) pair.
pub fn write_workbook(path: &Path, sheets: &[(&str, Vec<Vec<V>>)]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    V::S(s) => {
                        sheet.write_string(r as u32, c as u16, *s).unwrap();
                    }
                    V::N(n) => {
                        sheet.write_number(r as u32, c as u16, *n).unwrap();
                    }
                    V::B(b) => {
                        sheet.write_boolean(r as u32, c as u16, *b).unwrap();
                    }
                    V::Blank => {}
                }
            }
        }
    }
    book.save(path).unwrap();
}

/// The header row used by the small test workbooks.
pub fn header() -> Vec<V<'static>> {
    ["Ref", "Indicator", "Polarity", "Unit", "Previous", "Current", "Target", "Floor"].into_iter().map(V::S).collect()
}

/// A well-formed indicator row.
pub fn indicator<'a>(
    reference: &'a str,
    name: &'a str,
    previous: f64,
    current: f64,
    target: f64,
    floor: f64,
) -> Vec<V<'a>> {
    vec![V::S(reference), V::S(name), V::S("High"), V::S("%"), V::N(previous), V::N(current), V::N(target), V::N(floor)]
}

/// A small paper file whose appendix reads `book.xlsx`, sheet `Scorecard`; `extra` is appended
/// to the top level.
pub fn paper_yaml(extra: &str) -> String {
    format!(
        "from:\n  - name: Test Officer\n    role: Analyst\nto: Test Panel\ndate: 2020-01-15\nsubject: Test Scorecard\n\
classification: Unrestricted\nsummary: There are {{{{ red }}}} red indicators for {{{{ period }}}}.\n\
appendices:\n  - title: Appendix A – Scorecard\n    scorecard:\n      workbook: book.xlsx\n      sheet: Scorecard\n      period: Info!B1\n{extra}"
    )
}

/// A folder holding `paper.yaml` and `book.xlsx` (with an `Info` sheet giving the period).
pub fn case(yaml: &str, rows: Vec<Vec<V>>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_workbook(
        &dir.path().join("book.xlsx"),
        &[("Scorecard", rows), ("Info", vec![vec![V::S("Period"), V::S("January 2020")]])],
    );
    std::fs::write(dir.path().join("paper.yaml"), yaml).unwrap();
    dir
}

/// Builds `paper.yaml` of a case folder into `out/` under it.
pub fn build_case(dir: &Path) -> Output {
    let paper = dir.join("paper.yaml");
    let out = dir.join("out");
    run(&["build", paper.to_str().unwrap(), "-o", out.to_str().unwrap()])
}

/// The text of one part of a DOCX (`word/document.xml`).
pub fn docx_part(docx: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(docx).unwrap()).unwrap();
    let mut entry = zip.by_name(name).unwrap_or_else(|_| panic!("{name} in the DOCX"));
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut entry, &mut xml).unwrap();
    xml
}

/// Runs the binary with `args` in `dir` (so relative paths in messages are as a user types them).
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_committee-paper")).args(args).current_dir(dir).output().expect("the binary runs")
}

/// Every file under `dir` (recursively) with its contents, for "nothing changed" checks.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// Writes the shape Excel gives a password-protected workbook: an OLE compound file (not a zip)
/// holding the streams `EncryptionInfo` and `EncryptedPackage` (contents random-looking, as
/// they would be encrypted). Built by hand because neither LibreOffice's command line nor any
/// installed tool can encrypt an .xlsx here.
pub fn write_encrypted_ooxml(path: &Path) {
    const SECTOR: usize = 512;
    const FREE: u32 = 0xFFFF_FFFF;
    const END: u32 = 0xFFFF_FFFE;
    const FATSECT: u32 = 0xFFFF_FFFD;
    let stream_sectors = 8u32; // 4096 bytes each: at the mini-stream cutoff, so in regular sectors
    let mut header = Vec::with_capacity(SECTOR);
    header.extend_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    header.extend_from_slice(&[0; 16]); // CLSID
    header.extend_from_slice(&0x003Eu16.to_le_bytes()); // minor version
    header.extend_from_slice(&3u16.to_le_bytes()); // major version 3
    header.extend_from_slice(&0xFFFEu16.to_le_bytes()); // little-endian
    header.extend_from_slice(&9u16.to_le_bytes()); // 512-byte sectors
    header.extend_from_slice(&6u16.to_le_bytes()); // 64-byte mini sectors
    header.extend_from_slice(&[0; 6]);
    header.extend_from_slice(&0u32.to_le_bytes()); // directory sectors (0 in v3)
    header.extend_from_slice(&1u32.to_le_bytes()); // FAT sectors
    header.extend_from_slice(&1u32.to_le_bytes()); // first directory sector
    header.extend_from_slice(&0u32.to_le_bytes()); // transaction
    header.extend_from_slice(&4096u32.to_le_bytes()); // mini stream cutoff
    header.extend_from_slice(&END.to_le_bytes()); // first mini FAT sector
    header.extend_from_slice(&0u32.to_le_bytes());
    header.extend_from_slice(&END.to_le_bytes()); // first DIFAT sector
    header.extend_from_slice(&0u32.to_le_bytes());
    header.extend_from_slice(&0u32.to_le_bytes()); // DIFAT[0]: the FAT is sector 0
    while header.len() < SECTOR {
        header.extend_from_slice(&FREE.to_le_bytes());
    }
    // FAT: sector 0 the FAT, 1 the directory, then two chains of `stream_sectors`.
    let mut fat = vec![FATSECT, END];
    for stream in 0..2 {
        let first = 2 + stream * stream_sectors;
        for s in first..first + stream_sectors {
            fat.push(if s + 1 == first + stream_sectors { END } else { s + 1 });
        }
    }
    fat.resize(SECTOR / 4, FREE);
    let entry = |name: &str, kind: u8, left: u32, right: u32, child: u32, start: u32, size: u32| {
        let mut e = Vec::with_capacity(128);
        let utf16: Vec<u16> = name.encode_utf16().chain([0]).collect();
        for u in &utf16 {
            e.extend_from_slice(&u.to_le_bytes());
        }
        e.resize(64, 0);
        e.extend_from_slice(&((utf16.len() * 2) as u16).to_le_bytes());
        e.push(kind);
        e.push(1); // black
        for v in [left, right, child] {
            e.extend_from_slice(&v.to_le_bytes());
        }
        e.extend_from_slice(&[0; 16 + 4 + 8 + 8]); // CLSID, state bits, times
        e.extend_from_slice(&start.to_le_bytes());
        e.extend_from_slice(&size.to_le_bytes());
        e.extend_from_slice(&0u32.to_le_bytes());
        e
    };
    let size = stream_sectors * SECTOR as u32;
    let mut directory = entry("Root Entry", 5, FREE, FREE, 1, END, 0);
    directory.extend(entry("EncryptionInfo", 2, FREE, 2, FREE, 2, size));
    directory.extend(entry("EncryptedPackage", 2, FREE, FREE, FREE, 2 + stream_sectors, size));
    directory.resize(SECTOR, 0);
    let mut bytes = header;
    bytes.extend(fat.iter().flat_map(|v| v.to_le_bytes()));
    bytes.extend(directory);
    let mut x: u32 = 0x9E37_79B9;
    for _ in 0..2 * size {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        bytes.push(x as u8);
    }
    std::fs::write(path, bytes).unwrap();
}

/// A PDF's objects as text, each on its own as a classic PDF spells them. Our PDFs pack their
/// objects into compressed object streams, so the file's bytes do not show `/S/TH` or
/// `/MediaBox`; lopdf reads the object streams and writes every object out again.
pub fn pdf_objects_text(pdf: &[u8]) -> String {
    let mut document = lopdf::Document::load_mem(pdf).expect("lopdf reads the PDF");
    let mut out = Vec::new();
    document.save_to(&mut out).expect("lopdf writes the PDF");
    String::from_utf8_lossy(&out).into_owned()
}

/// A copy of a fixture folder's files in a temp folder, its `paper.yaml` passed through `edit`;
/// returns the folder and the copied paper file.
pub fn edited_fixture(fixture: &str, edit: impl Fn(String) -> String) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(root().join(fixture)).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    let paper = dir.path().join("paper.yaml");
    let yaml = std::fs::read_to_string(&paper).unwrap();
    std::fs::write(&paper, edit(yaml)).unwrap();
    (dir, paper)
}

/// The PDF's text and the DOCX's `word/document.xml` of the one paper built into `dir`; any other
/// file there fails the test.
pub fn output_texts(dir: &Path) -> (String, String) {
    use std::io::Read;
    let mut pdf = String::new();
    let mut xml = String::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        match path.extension().and_then(|e| e.to_str()) {
            Some("pdf") => pdf = pdf_extract::extract_text_from_mem(&bytes).unwrap(),
            Some("docx") => {
                let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
                zip.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
            }
            _ => panic!("unexpected file {}", path.display()),
        }
    }
    (pdf, xml)
}
