//! Agenda packs (issue 10): the real binary on the meeting fixture, reading the packs back with a
//! PDF crate — the text of each page laid out in lines, and the outline — as a clerk would check
//! them: the stamps, the continuous page numbers, the front sheet's page numbers against the real
//! start pages, the outline, and exempt words absent from the public pack and present in the full
//! one. Then the mistakes a clerk can make in a meeting file.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{root, run, run_in, snapshot, stderr, stdout};
use pdf_extract::{Document, MediaBox, OutputDev, OutputError, Transform};

const MEETING: &str = "fixtures/meeting/meeting.yaml";
const STEM: &str = "kcc-2014-08-28-cschcc-agenda";

/// Words of the exempt appendix (item 6, Appendix B) and of the exempt item 9: none may reach
/// the public pack.
const EXEMPT_WORDS: &[&str] = &[
    "Oakwood Care Ltd",
    "£3,412",
    "Tender evaluation scores and bid prices",
    "Greystone Residential",
    "Meadowbank Fostering",
    "£812",
    "Riverside Family Placements",
];

/// The fixture's packs, built once for all the tests of this file.
fn fixture_packs() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = run(&["pack", MEETING, "-o", dir.path().to_str().unwrap()]);
        assert!(out.status.success(), "pack failed: {}", stderr(&out));
        dir
    })
    .path()
}

fn pack(version: &str) -> PathBuf {
    fixture_packs().join(format!("{STEM}-{version}.pdf"))
}

/// The text of each page, in lines as laid out (top to bottom, left to right), words separated
/// by single spaces.
fn pages(path: &Path) -> Vec<String> {
    let doc = Document::load(path).unwrap();
    let mut lines = Lines::default();
    pdf_extract::output_doc(&doc, &mut lines).unwrap();
    lines.pages
}

/// A character drawn on a page: x, y (baseline), width, font size, text.
type Glyph = (f64, f64, f64, f64, String);

/// An [`OutputDev`] that collects each page's characters with their positions and sorts them
/// into lines.
#[derive(Default)]
struct Lines {
    height: f64,
    glyphs: Vec<Glyph>,
    pages: Vec<String>,
}

impl OutputDev for Lines {
    fn begin_page(&mut self, _: u32, media_box: &MediaBox, _: Option<(f64, f64, f64, f64)>) -> Result<(), OutputError> {
        self.height = media_box.ury - media_box.lly;
        self.glyphs.clear();
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        // Rows by baseline; within a row the drawing order, which is the reading order of each
        // table cell or line, so a table row reads "3 Minutes of … 2".
        let mut rows: Vec<Vec<Glyph>> = Vec::new();
        for glyph in std::mem::take(&mut self.glyphs) {
            match rows.iter_mut().find(|row| (glyph.1 - row[0].1).abs() < 0.3 * glyph.3.max(row[0].3)) {
                Some(row) => row.push(glyph),
                None => rows.push(vec![glyph]),
            }
        }
        rows.sort_by(|a, b| a[0].1.total_cmp(&b[0].1));
        let mut text = String::new();
        for row in rows {
            let mut end: Option<f64> = None;
            for (x, _, width, size, c) in row {
                if end.is_some_and(|end| x > end + 0.15 * size || x < end - 2.0 * size) && !text.ends_with(' ') {
                    text.push(' ');
                }
                text.push_str(&c);
                end = Some(x + width);
            }
            text.push('\n');
        }
        self.pages.push(text);
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _: f64,
        font_size: f64,
        c: &str,
    ) -> Result<(), OutputError> {
        let vx = font_size * (trm.m11 + trm.m21);
        let vy = font_size * (trm.m12 + trm.m22);
        let size = (vx * vy).abs().sqrt();
        self.glyphs.push((trm.m31, self.height - trm.m32, width * size, size, c.to_string()));
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// The outline: (level, title, page).
fn outline(path: &Path) -> Vec<(usize, String, usize)> {
    let doc = Document::load(path).unwrap();
    doc.get_toc().unwrap().toc.into_iter().map(|e| (e.level, e.title, e.page)).collect()
}

/// The page on which each agenda item starts, by the stamp in its header: the first page that
/// carries "Agenda Item N".
fn stamped_start(pages: &[String], number: &str) -> Option<usize> {
    let stamp = format!("Agenda Item {number}\n");
    pages
        .iter()
        .position(|p| p.starts_with(&stamp) || p.contains(&format!("\n{stamp}")) || p.contains(&format!(" {stamp}")))
        .map(|i| i + 1)
}

/// The page number the front sheet prints for an item: its row starts with the item number and
/// ends with the page.
fn front_sheet_page(front: &str, number: &str, title_start: &str) -> Option<usize> {
    let prefix = format!("{number} {title_start}");
    let line = front.lines().find(|l| l.starts_with(&prefix))?;
    line.rsplit(' ').next()?.parse().ok()
}

#[test]
fn pack_writes_the_public_full_and_supplement_pdfs_and_nothing_else() {
    let mut names: Vec<String> =
        std::fs::read_dir(fixture_packs()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(names, [format!("{STEM}-full.pdf"), format!("{STEM}-public.pdf"), format!("{STEM}-supplement.pdf")]);
}

#[test]
fn pages_are_numbered_through_the_pack_and_stamped_with_their_item() {
    for version in ["public", "full"] {
        let pages = pages(&pack(version));
        assert!(pages.len() > 10, "{version}: {} pages", pages.len());
        for (i, text) in pages.iter().enumerate() {
            assert!(
                text.contains(&format!("Page {}\n", i + 1)),
                "{version} page {}: no continuous number:\n{text}",
                i + 1
            );
            // The papers' own "Page X of Y" is left to the pack.
            assert!(!text.lines().any(|l| l.starts_with("Page ") && l.contains(" of ")), "{version}: {text}");
        }
        assert!(!pages[0].contains("Agenda Item"), "{version}: the front sheet carries no stamp");
        // Every page after the front sheet belongs to an item and says which.
        let items: &[&str] =
            if version == "public" { &["3", "4", "5", "6", "9"] } else { &["3", "4", "5", "6", "7", "9"] };
        let starts: Vec<usize> = items.iter().map(|n| stamped_start(&pages, n).unwrap()).collect();
        assert_eq!(starts[0], 2, "{version}: the first item follows the one-page front sheet");
        assert!(starts.windows(2).all(|w| w[0] < w[1]), "{version}: items in agenda order: {starts:?}");
        for (k, text) in pages.iter().enumerate().skip(1) {
            let page = k + 1;
            let (number, _) = items.iter().zip(&starts).rev().find(|(_, s)| **s <= page).unwrap();
            assert!(
                text.contains(&format!("Agenda Item {number}\n")),
                "{version} page {page}: stamp of item {number}:\n{text}"
            );
        }
    }
}

#[test]
fn the_front_sheet_gives_the_page_each_item_really_starts_on() {
    for version in ["public", "full"] {
        let pages = pages(&pack(version));
        let front = &pages[0];
        for (number, title) in [
            ("3", "Minutes of the meeting"),
            ("4", "Specialist Children's Services"),
            ("5", "Early Help and Assessment"),
            ("6", "Residential Care Placements"),
            ("9", "Independent Fostering Agency"),
        ] {
            let printed = front_sheet_page(front, number, title)
                .unwrap_or_else(|| panic!("{version}: no page for item {number} on the front sheet:\n{front}"));
            assert_eq!(Some(printed), stamped_start(&pages, number), "{version}, item {number}");
        }
        // Items without pages have none.
        assert_eq!(front_sheet_page(front, "1", "Apologies"), None, "{front}");
        assert!(front.contains("8 Exclusion of the Press and Public\n"), "{front}");
    }
}

#[test]
fn the_outline_has_the_agenda_then_each_item_with_its_sections() {
    let pages = pages(&pack("public"));
    let toc = outline(&pack("public"));
    let top: Vec<&str> = toc.iter().filter(|(level, ..)| *level == 1).map(|(_, t, _)| t.as_str()).collect();
    assert_eq!(
        top,
        [
            "Agenda",
            "3. Minutes of the meeting held on 15 July 2014",
            "4. Specialist Children's Services Performance Dashboard",
            "5. Early Help and Assessment Performance Scorecard",
            "6. Residential Care Placements for Children in Care – Award of Framework Contract",
            "9. Independent Fostering Agency Framework – Contract Extension",
        ]
    );
    // Each item's entry points at its first page.
    for (_, title, page) in toc.iter().filter(|(level, ..)| *level == 1).skip(1) {
        let number = title.split('.').next().unwrap();
        assert_eq!(Some(*page), stamped_start(&pages, number), "{title}");
    }
    // Items without pages are listed under the agenda; papers' sections and appendices under
    // their item.
    let children = |parent: &str| -> Vec<String> {
        let at = toc.iter().position(|(_, t, _)| t == parent).unwrap();
        let level = toc[at].0;
        toc[at + 1..]
            .iter()
            .take_while(|(l, ..)| *l > level)
            .filter(|(l, ..)| *l == level + 1)
            .map(|(_, t, _)| t.clone())
            .collect()
    };
    assert_eq!(
        children("Agenda"),
        [
            "1. Apologies and Substitutes",
            "2. Declarations of Interest by Members in items on the Agenda",
            "7. Children's Social Care Improvement Plan – Update",
            "8. Exclusion of the Press and Public",
            "10. Other items which the Chairman decides are urgent",
        ]
    );
    assert_eq!(
        children("4. Specialist Children's Services Performance Dashboard"),
        [
            "Introduction",
            "Children's Social Care Performance Report",
            "Appendix A – SCS Monthly Performance Report – July 2014"
        ]
    );
    let contract = children("6. Residential Care Placements for Children in Care – Award of Framework Contract");
    assert_eq!(contract.last().map(String::as_str), Some("Appendix B – Tender evaluation"), "{contract:?}");
}

#[test]
fn exempt_words_are_absent_from_the_public_pack_and_present_in_the_full_one() {
    // Lines joined, so that words wrapped over two lines are found.
    let flat = |pages: Vec<String>| pages.join(" ").split_whitespace().collect::<Vec<_>>().join(" ");
    let public = flat(pages(&pack("public")));
    let public_toc: Vec<String> = outline(&pack("public")).into_iter().map(|(_, t, _)| t).collect();
    let full = flat(pages(&pack("full")));
    for word in EXEMPT_WORDS {
        assert!(!public.contains(word), "{word:?} is in the public pack");
        assert!(!public_toc.iter().any(|t| t.contains(word)), "{word:?} is in the public outline");
        assert!(full.contains(word), "{word:?} is missing from the full pack");
    }
    let notice =
        "Not for publication by virtue of paragraph 3 of Part 1 of Schedule 12A to the Local Government Act 1972";
    // One notice for the exempt appendix, one for the exempt item.
    assert_eq!(public.matches(notice).count(), 2, "{public}");
    assert!(!full.contains(notice));
    assert!(!public.contains("NOT FOR PUBLICATION"));
}

#[test]
fn exempt_pages_of_the_full_pack_are_marked_in_header_and_footer() {
    let pages = pages(&pack("full"));
    let marked: Vec<usize> =
        pages.iter().enumerate().filter(|(_, p)| p.contains("NOT FOR PUBLICATION")).map(|(i, _)| i + 1).collect();
    let appendix_b =
        pages.iter().position(|p| p.contains("Appendix B – Tender evaluation scores and bid prices")).unwrap() + 1;
    let item_9 = stamped_start(&pages, "9").unwrap();
    // The front sheet's note, the exempt appendix's page and the exempt item's pages.
    assert_eq!(marked, [1, appendix_b, item_9], "{marked:?}");
    for page in [appendix_b, item_9] {
        let text = &pages[page - 1];
        let first = text.lines().next().unwrap();
        let last_two: Vec<&str> = text.lines().rev().take(2).collect();
        assert!(first.contains("NOT FOR PUBLICATION"), "page {page} header: {first}");
        assert!(last_two.iter().any(|l| l.contains("NOT FOR PUBLICATION")), "page {page} footer: {last_two:?}");
    }
    // Appendix A of the same paper is not exempt.
    let appendix_a = pages.iter().position(|p| p.contains("Appendix A – Evaluation criteria")).unwrap();
    assert!(!pages[appendix_a].contains("NOT FOR PUBLICATION"));
}

#[test]
fn late_items_are_to_follow_in_the_public_pack_and_in_the_supplement() {
    let public = pages(&pack("public"));
    assert!(public[0].contains("To follow in the supplementary agenda"), "{}", public[0]);
    assert_eq!(stamped_start(&public, "7"), None, "the late item's pages are not in the public pack");
    let supplement = pages(&pack("supplement"));
    assert!(supplement[0].contains("Supplementary agenda"), "{}", supplement[0]);
    assert_eq!(front_sheet_page(&supplement[0], "7", "Children's Social Care Improvement"), Some(2));
    assert!(supplement[1].contains("Agenda Item 7") && supplement[1].contains("Page 2"));
    assert!(!supplement[0].contains("Specialist Children's Services"), "only the late items");
    let full = pages(&pack("full"));
    assert!(stamped_start(&full, "7").is_some(), "the full pack has everything");
}

#[test]
fn external_pdf_pages_are_in_the_pack_as_pictures() {
    let pages = pages(&pack("public"));
    let start = stamped_start(&pages, "3").unwrap();
    // The minutes' own words are drawn as outlines, not text: only the pack's furniture and the
    // item heading are text on those pages.
    assert!(pages[start - 1].contains("3. Minutes of the meeting held on 15 July 2014"));
    assert!(!pages[start - 1].contains("Apologies for absence were received"));
    assert_eq!(stamped_start(&pages, "4"), Some(start + 2), "two pages of minutes");
    // Their text is the pictures' alternative text, in the tag tree.
    let doc = Document::load(pack("public")).unwrap();
    let mut alts = Vec::new();
    for object in doc.objects.values() {
        if let Ok(dict) = object.as_dict()
            && let Ok(alt) = dict.get(b"Alt")
            && let Ok(bytes) = alt.as_str()
        {
            let units: Vec<u16> = bytes
                .strip_prefix(&[0xFE, 0xFF])
                .unwrap_or(bytes)
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            alts.push(String::from_utf16_lossy(&units));
        }
    }
    assert!(
        alts.iter()
            .any(|a| a.contains("page 1 of 2") && a.contains("Apologies for absence were received from Mr J Thomas.")),
        "{alts:?}"
    );
}

/// The structure elements of a PDF in reading order: (type, alternative text).
fn structure(path: &Path) -> Vec<(String, Option<String>)> {
    fn walk(doc: &Document, object: &pdf_extract::Object, out: &mut Vec<(String, Option<String>)>) {
        let object = match object {
            pdf_extract::Object::Reference(id) => doc.get_object(*id).unwrap(),
            other => other,
        };
        match object {
            pdf_extract::Object::Array(items) => items.iter().for_each(|k| walk(doc, k, out)),
            pdf_extract::Object::Dictionary(dict) => {
                if let Ok(kind) = dict.get(b"S").and_then(|s| s.as_name()) {
                    let alt = dict.get(b"Alt").ok().and_then(|a| a.as_str().ok()).map(|bytes| {
                        let units: Vec<u16> =
                            bytes[2..].chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
                        String::from_utf16_lossy(&units)
                    });
                    out.push((String::from_utf8_lossy(kind).into_owned(), alt));
                }
                if let Ok(kids) = dict.get(b"K") {
                    walk(doc, kids, out);
                }
            }
            _ => {}
        }
    }
    let doc = Document::load(path).unwrap();
    let root = doc.catalog().unwrap().get(b"StructTreeRoot").unwrap().clone();
    let mut out = Vec::new();
    walk(&doc, &root, &mut out);
    out
}

#[test]
fn a_screen_reader_finds_headings_in_order_and_the_external_pages_as_figures() {
    let elements = structure(&pack("public"));
    let levels: Vec<usize> =
        elements.iter().filter_map(|(kind, _)| kind.strip_prefix('H').and_then(|n| n.parse().ok())).collect();
    assert_eq!(levels.first(), Some(&1), "the first heading is the agenda's: {levels:?}");
    assert!(levels.windows(2).all(|w| w[1] <= w[0] + 1), "no heading level is skipped: {levels:?}");
    // The agenda, then items 3, 4, 5, 6 and 9 (items without pages have hidden outline entries
    // only, which are not in the tag tree).
    assert_eq!(levels.iter().filter(|l| **l == 1).count(), 6, "{levels:?}");
    let figures: Vec<&String> =
        elements.iter().filter(|(kind, _)| kind == "Figure").filter_map(|(_, alt)| alt.as_ref()).collect();
    let pages: Vec<&&String> = figures.iter().filter(|alt| alt.starts_with("Agenda item 3, Minutes")).collect();
    assert_eq!(pages.len(), 2, "{figures:?}");
    assert!(pages[1].contains("page 2 of 2") && pages[1].contains("The meeting closed at 12.15 pm."), "{}", pages[1]);
}

#[test]
fn pack_check_prints_the_agenda_with_pages_and_the_deadline_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let meeting = root().join(MEETING);
    let out = run_in(dir.path(), &["pack", meeting.to_str().unwrap(), "--check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("latest publication date: Tuesday 19 August 2014"), "{text}");
    assert!(text.contains("not a working day: Monday 25 August 2014 (Summer bank holiday)"), "{text}");
    assert!(text.contains("publish-by: Tuesday 19 August 2014 leaves 5 clear working day(s): in time"), "{text}");
    let public = pages(&pack("public"));
    let start = stamped_start(&public, "4").unwrap();
    let end = stamped_start(&public, "5").unwrap() - 1;
    let row = text.lines().find(|l| l.starts_with("4 ")).unwrap();
    assert!(row.contains(&format!("{start}–{end} ({})", end - start + 1)), "{row}");
    assert!(text.contains(&format!("public pack {} pages", public.len())), "{text}");
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none(), "--check writes nothing");
}

#[test]
fn packs_are_byte_identical_from_run_to_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["pack", MEETING, "-o", dir.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    for version in ["public", "full", "supplement"] {
        let name = format!("{STEM}-{version}.pdf");
        assert!(
            std::fs::read(dir.path().join(&name)).unwrap() == std::fs::read(fixture_packs().join(&name)).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn build_writes_the_public_version_and_with_exempt_the_full_one() {
    let dir = tempfile::tempdir().unwrap();
    let paper = "fixtures/meeting/contract-award.yaml";
    let out = run(&["build", paper, "-o", dir.path().to_str().unwrap(), "--format", "pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("add --exempt to write the full version"), "{}", stderr(&out));
    let public = dir.path().join("kcc-2014-08-28-residential-care-framework.pdf");
    let full = dir.path().join("kcc-2014-08-28-residential-care-framework-full.pdf");
    assert!(public.is_file() && !full.exists());
    let text = pages(&public).join("\n");
    assert!(text.contains("Appendix B – Tender evaluation\n"), "{text}");
    for word in &EXEMPT_WORDS[..4] {
        assert!(!text.contains(word), "{word:?} in the public version");
    }
    let out = run(&["build", paper, "-o", dir.path().to_str().unwrap(), "--format", "pdf", "--exempt"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = pages(&full).join("\n");
    for word in &EXEMPT_WORDS[..4] {
        assert!(text.contains(word), "{word:?} missing from the full version");
    }
    assert!(text.contains("NOT FOR PUBLICATION"));
}

// --- Mistakes in meeting files ---------------------------------------------------------------

/// A folder with a meeting file (items given as YAML) and a good paper and PDF beside it.
fn meeting_case(items: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let yaml = format!(
        "committee: Children's Social Care & Health Cabinet Committee\ndate: 2014-08-28\npublish-by: 2014-08-19\nitems:\n{items}"
    );
    std::fs::write(dir.path().join("meeting.yaml"), yaml).unwrap();
    std::fs::copy(root().join("fixtures/meeting/minutes-2014-07-15.pdf"), dir.path().join("minutes.pdf")).unwrap();
    std::fs::copy(root().join("fixtures/meeting/improvement-update.yaml"), dir.path().join("update.yaml")).unwrap();
    dir
}

/// Runs `pack meeting.yaml -o out` in the case folder; returns stderr, after checking it failed
/// with exit code 1 and wrote nothing.
fn pack_fails(dir: &Path) -> String {
    let before = snapshot(dir);
    let out = run_in(dir, &["pack", "meeting.yaml", "-o", "out"]);
    assert_eq!(out.status.code(), Some(1), "expected a failure: {}", stderr(&out));
    assert_eq!(snapshot(dir), before, "a failed pack writes nothing");
    stderr(&out)
}

#[test]
fn an_item_whose_paper_fails_names_the_item_and_shows_the_papers_own_error() {
    let dir = meeting_case("  - title: Apologies\n  - title: Update\n    paper: update.yaml\n");
    let paper = std::fs::read_to_string(dir.path().join("update.yaml")).unwrap();
    std::fs::write(dir.path().join("update.yaml"), paper.replace("classification:", "clasification:")).unwrap();
    let err = pack_fails(dir.path());
    assert!(
        err.starts_with(
            "error: meeting.yaml:7:12: agenda item 2 (\"Update\"): the paper file \"update.yaml\" could not be built"
        ),
        "{err}"
    );
    assert!(err.contains("caused by: update.yaml:10:1: unknown field `clasification`"), "{err}");
    assert!(err.contains("did you mean `classification`?"), "{err}");
}

#[test]
fn a_missing_or_damaged_pdf_is_a_located_error() {
    let dir = meeting_case("  - title: Minutes\n    pdf: minutes-old.pdf\n");
    let err = pack_fails(dir.path());
    assert!(err.starts_with("error: meeting.yaml:6:10: PDF \"minutes-old.pdf\" not found"), "{err}");
    let dir = meeting_case("  - title: Minutes\n    pdf: minutes.pdf\n");
    std::fs::write(dir.path().join("minutes.pdf"), b"%PDF-1.4\n% truncated by a failed upload\n").unwrap();
    let err = pack_fails(dir.path());
    assert!(
        err.starts_with("error: meeting.yaml:6:10: cannot read the PDF \"minutes.pdf\": it is damaged or not a PDF"),
        "{err}"
    );
}

#[test]
fn exempt_paragraph_outside_one_to_seven_and_duplicate_numbers_are_located() {
    let dir = meeting_case("  - title: Update\n    paper: update.yaml\n    exempt: 8\n");
    let err = pack_fails(dir.path());
    assert!(err.starts_with("error: meeting.yaml:7:13: expected the paragraph of Part 1 of Schedule 12A"), "{err}");
    let dir = meeting_case("  - title: Apologies\n  - title: Minutes\n    number: 1\n    pdf: minutes.pdf\n");
    let err = pack_fails(dir.path());
    assert!(err.starts_with("error: meeting.yaml:7:13: two items are numbered 1"), "{err}");
    assert!(err.contains("the first is at meeting.yaml:5:5"), "{err}");
}

#[test]
fn a_late_publish_by_is_warned_about() {
    let dir = meeting_case("  - title: Apologies\n");
    let yaml = std::fs::read_to_string(dir.path().join("meeting.yaml")).unwrap();
    std::fs::write(dir.path().join("meeting.yaml"), yaml.replace("2014-08-19", "2014-08-22")).unwrap();
    let out = run_in(dir.path(), &["pack", "meeting.yaml", "-o", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("warning: meeting.yaml:3:13: publish-by Friday 22 August 2014 leaves 2 clear working day(s) before the meeting, 5 are required"),
        "{err}"
    );
    assert!(err.contains("publish by Tuesday 19 August 2014 at the latest"), "{err}");
}

#[test]
fn the_deadline_of_a_meeting_beyond_the_bank_holiday_table_is_an_error() {
    let dir = meeting_case("  - title: Apologies\n");
    let yaml = std::fs::read_to_string(dir.path().join("meeting.yaml")).unwrap();
    std::fs::write(
        dir.path().join("meeting.yaml"),
        yaml.replace("2014-08-28", "2031-03-06").replace("publish-by: 2014-08-19\n", ""),
    )
    .unwrap();
    let out = run_in(dir.path(), &["pack", "meeting.yaml", "--check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.starts_with("error: meeting.yaml:2:7: the publication deadline needs the bank holidays of 2031"),
        "{err}"
    );
    assert!(err.contains("2012–2027"), "{err}");
}

// --- Meetings in batch manifests -------------------------------------------------------------

#[test]
fn a_manifest_builds_papers_and_packs_and_a_failed_meeting_stops_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.yaml");
    std::fs::write(&broken, "committee: Panel\ndate: 2014-08-28\nitems:\n  - title: Minutes\n    pdf: gone.pdf\n")
        .unwrap();
    let manifest = dir.path().join("manifest.yaml");
    std::fs::write(
        &manifest,
        format!(
            "defaults:\n  formats: [pdf]\npapers:\n  - paper: {}\nmeetings:\n  - meeting: {}\n    output: \"cschcc-{{date}}\"\n  - meeting: broken.yaml\n",
            root().join("fixtures/kcc-2014-scs-dashboard/paper.yaml").display(),
            root().join(MEETING).display()
        ),
    )
    .unwrap();
    let out = run_in(dir.path(), &["batch", "manifest.yaml", "-o", "out", "--json"]);
    assert_eq!(out.status.code(), Some(1), "a failed meeting fails the run: {}", stderr(&out));
    let summary: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(summary["built"], 2);
    assert_eq!(summary["failed"], 1);
    let meetings = summary["meetings"].as_array().unwrap();
    assert_eq!(meetings[0]["status"], "built");
    assert_eq!(meetings[0]["index"], 2);
    assert_eq!(meetings[0]["output"], "cschcc-2014-08-28");
    assert_eq!(meetings[1]["status"], "failed");
    assert!(meetings[1]["error"].as_str().unwrap().contains("PDF \"gone.pdf\" not found"), "{}", meetings[1]["error"]);
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "cschcc-2014-08-28-full.pdf",
            "cschcc-2014-08-28-public.pdf",
            "cschcc-2014-08-28-supplement.pdf",
            "kcc-2014-08-28-scs-performance-dashboard.pdf"
        ]
    );
    // The pack is the one `pack` makes, under the manifest's name.
    let batch_public = std::fs::read(dir.path().join("out/cschcc-2014-08-28-public.pdf")).unwrap();
    assert!(batch_public == std::fs::read(pack("public")).unwrap(), "the same bytes as `pack`");
}

#[test]
fn a_pack_and_a_paper_that_would_write_the_same_file_stop_the_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("manifest.yaml");
    std::fs::write(
        &manifest,
        format!(
            "defaults:\n  formats: [pdf]\npapers:\n  - paper: {}\n    output: agenda-public\nmeetings:\n  - meeting: {}\n    output: agenda\n",
            root().join("fixtures/kcc-2014-scs-dashboard/paper.yaml").display(),
            root().join(MEETING).display()
        ),
    )
    .unwrap();
    let out = run_in(dir.path(), &["batch", "manifest.yaml", "-o", "out"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("manifest.yaml:7:14: paper 1 ("), "{err}");
    assert!(err.contains("and meeting 2 (") && err.contains("would both write agenda-public.pdf"), "{err}");
    assert!(!dir.path().join("out").exists(), "nothing is built");
}
