//! The PDF and the DOCX paginate alike (issue 15): for every paper of the batch fixture (both
//! reference papers and the batch's own two) and the paper with exception reports (whose reports
//! each keep to one page), our PDF and LibreOffice's PDF of our DOCX have the same pages, each
//! starting at the same paragraph, line or table row.
//!
//! A page's start is its first words in reading order, leaving out the footer and a table's
//! header row repeated from the page before (the words of the DOCX's `w:tblHeader` row). Where
//! the two cannot agree (Word and typst break lines with different rules), the difference is
//! recorded in `tests/pagination/known-differences.txt` so that it cannot grow unnoticed; a
//! recorded difference that has gone fails too, so the list stays true. After a deliberate
//! change: `UPDATE_PAGINATION=1 cargo test --test pagination -- --ignored`, and say why in the
//! commit.
//!
//! Needs LibreOffice (`soffice`) and poppler-utils (`pdftotext`, `pdfinfo`, `pdffonts`), and
//! Liberation Sans installed for LibreOffice, which is how it lays out a DOCX in Arial as Word
//! would. `cargo test` skips it (it is `#[ignore]`d, so a machine with only Rust stays green);
//! `.ci/run` installs the tools and runs it with `-- --ignored`, where a missing tool fails it.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const KNOWN: &str = "tests/pagination/known-differences.txt";
/// How many words of a page's start are compared.
const WORDS: usize = 5;

#[test]
#[ignore = "needs LibreOffice and poppler-utils: .ci/run runs it with --ignored"]
fn pdf_and_docx_start_every_page_alike() {
    for tool in ["soffice", "pdftotext", "pdfinfo", "pdffonts"] {
        let found = Command::new("sh").args(["-c", &format!("command -v {tool}")]).output().expect("sh runs");
        assert!(
            found.status.success(),
            "`{tool}` is not installed: this test compares our PDF with LibreOffice's rendering of our DOCX \
             and needs LibreOffice Writer and poppler-utils (.ci/run installs them)"
        );
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("papers");
    let run = common::run(&["batch", "fixtures/batch/panels.yaml", "-o", &out.display().to_string()]);
    assert!(run.status.success(), "batch: {}", common::stderr(&run));
    let run = common::run(&["build", "fixtures/kcc-2014-exceptions/paper.yaml", "-o", &out.display().to_string()]);
    assert!(run.status.success(), "exception reports: {}", common::stderr(&run));

    let mut docx: Vec<PathBuf> = files_with_extension(&out, "docx");
    docx.sort();
    assert_eq!(docx.len(), 5, "the batch fixture's four papers and the exception reports: {docx:?}");
    let converted = dir.path().join("libreoffice");
    convert_with_libreoffice(&docx, &converted, &dir.path().join("profile"));

    let mut table = String::new();
    let mut differences = Vec::new();
    for docx in &docx {
        let stem = docx.file_stem().and_then(|s| s.to_str()).expect("file name").to_owned();
        let ours = out.join(format!("{stem}.pdf"));
        let theirs = converted.join(format!("{stem}.pdf"));
        assert!(theirs.is_file(), "LibreOffice did not convert {}", docx.display());
        assert_laid_out_in_liberation_sans(&theirs);
        let header = table_header_words(docx);
        let ours = page_starts(&ours, &header);
        let theirs = page_starts(&theirs, &header);
        table.push_str(&format!("{stem}: PDF {} pages, DOCX {} pages\n", ours.len(), theirs.len()));
        for page in 0..ours.len().max(theirs.len()) {
            let a = ours.get(page).map_or("(no page)", String::as_str);
            let b = theirs.get(page).map_or("(no page)", String::as_str);
            let mark = if a == b { " " } else { "≠" };
            table.push_str(&format!("  {mark} p{:<2} {a:<40} | {b}\n", page + 1));
            if a != b {
                differences.push(format!("{stem} | p{} | {a} | {b}", page + 1));
            }
        }
    }
    eprintln!("page starts, our PDF | LibreOffice's PDF of our DOCX:\n{table}");

    let path = common::root().join(KNOWN);
    if std::env::var_os("UPDATE_PAGINATION").is_some() {
        let mut text = String::from(
            "# Pages whose start differs between our PDF and LibreOffice's PDF of our DOCX (tests/pagination.rs).\n\
             # paper | page | PDF starts with | DOCX starts with\n",
        );
        for line in &differences {
            text.push_str(line);
            text.push('\n');
        }
        std::fs::write(&path, text).expect("write the list of known differences");
        return;
    }
    let known: Vec<String> = std::fs::read_to_string(&path)
        .expect("tests/pagination/known-differences.txt exists")
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect();
    let new: Vec<&String> = differences.iter().filter(|d| !known.contains(d)).collect();
    let gone: Vec<&String> = known.iter().filter(|k| !differences.contains(k)).collect();
    assert!(
        new.is_empty() && gone.is_empty(),
        "the pagination of the PDF and the DOCX moved apart or together:\n  new differences: {new:#?}\n  \
         recorded but gone: {gone:#?}\n{table}\nif this is intended, run `UPDATE_PAGINATION=1 cargo test --test \
         pagination -- --ignored` and say why in the commit"
    );
}

fn files_with_extension(dir: &Path, extension: &str) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .expect("read output folder")
        .map(|entry| entry.expect("folder entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == extension))
        .collect()
}

/// Converts the DOCX files to PDF with LibreOffice, in a profile of its own (a shared profile
/// that another LibreOffice holds makes the conversion wait forever), within five minutes.
fn convert_with_libreoffice(docx: &[PathBuf], out: &Path, profile: &Path) {
    let mut child = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(out)
        .args(docx)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("soffice starts");
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait for soffice") {
            let mut err = String::new();
            if let Some(mut stderr) = child.stderr.take() {
                let _ = stderr.read_to_string(&mut err);
            }
            assert!(status.success(), "soffice failed ({status}): {err}");
            return;
        }
        if start.elapsed() > Duration::from_secs(300) {
            let _ = child.kill();
            panic!("soffice did not convert the DOCX files within five minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn tool(program: &str, args: &[&str], file: &Path) -> String {
    let output = Command::new(program).args(args).arg(file).arg("-").output().unwrap_or_else(|e| {
        panic!("{program} does not run: {e}");
    });
    assert!(output.status.success(), "{program} {args:?} {} failed", file.display());
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// LibreOffice must have set the DOCX's Arial in Liberation Sans (Arial's metrics); with another
/// substitute the comparison would say nothing about Word.
fn assert_laid_out_in_liberation_sans(pdf: &Path) {
    let output = Command::new("pdffonts").arg(pdf).output().expect("pdffonts runs");
    let listing = String::from_utf8_lossy(&output.stdout);
    let fonts: Vec<&str> = listing
        .lines()
        .skip(2)
        .filter_map(|line| line.split_whitespace().next())
        .map(|name| name.split_once('+').map_or(name, |(_, family)| family))
        .collect();
    assert!(
        !fonts.is_empty() && fonts.iter().all(|f| f.starts_with("LiberationSans")),
        "LibreOffice laid {} out in {fonts:?}, not Liberation Sans: install Liberation Sans (Debian: \
         fonts-liberation2)",
        pdf.display()
    );
}

/// The number of pages of a PDF.
fn page_count(pdf: &Path) -> usize {
    let output = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo runs");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("pdfinfo gives no page count for {}", pdf.display()))
}

/// The first words of each page, in reading order (pdftotext's content-stream order), without
/// the footer (`Page N of M` and the line under it) and without a repeated table header.
fn page_starts(pdf: &Path, header: &[String]) -> Vec<String> {
    (1..=page_count(pdf))
        .map(|page| {
            let page = page.to_string();
            let text = tool("pdftotext", &["-raw", "-f", &page, "-l", &page], pdf);
            let mut words = Vec::new();
            let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
            while let Some(line) = lines.next() {
                if is_page_number(line) {
                    lines.next(); // the classification, printed under it
                    continue;
                }
                words.extend(line.split_whitespace().map(str::to_owned));
            }
            if !header.is_empty() && words.starts_with(header) {
                words.drain(..header.len());
            }
            words.truncate(WORDS);
            words.join(" ")
        })
        .collect()
}

fn is_page_number(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("Page ") else { return false };
    let Some((page, total)) = rest.split_once(" of ") else { return false };
    page.chars().all(|c| c.is_ascii_digit()) && total.chars().all(|c| c.is_ascii_digit())
}

/// The words of the first table header row of the DOCX (the row marked `w:tblHeader`, which
/// both files repeat at the top of each page a table runs onto).
fn table_header_words(docx: &Path) -> Vec<String> {
    let file = std::fs::File::open(docx).expect("open the docx");
    let mut zip = zip::ZipArchive::new(file).expect("the docx is a zip");
    let mut xml = String::new();
    zip.by_name("word/document.xml").expect("word/document.xml").read_to_string(&mut xml).expect("read it");
    let Some(row) = xml.split("<w:tr").skip(1).find(|row| row.contains("<w:tblHeader")) else {
        return Vec::new();
    };
    let row = row.split("</w:tr>").next().unwrap_or("");
    let mut words = Vec::new();
    for cell in row.split("<w:t").skip(1) {
        // `<w:t xml:space="preserve">text</w:t>`, and not `<w:tc>` or `<w:tcPr>`.
        let Some(rest) =
            cell.strip_prefix('>').or_else(|| cell.strip_prefix(' ').and_then(|c| c.split_once('>').map(|(_, t)| t)))
        else {
            continue;
        };
        let text = rest.split("</w:t>").next().unwrap_or("");
        let text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"");
        words.extend(text.split_whitespace().map(str::to_owned));
    }
    words
}
