//! The meeting file: a committee meeting and its agenda, for `committee-paper pack`.
//!
//! Two levels, like the paper file and the manifest: [`RawMeeting`] mirrors the YAML (unknown keys
//! rejected with a "did you mean" hint by [`super::parse_yaml`]), [`load_meeting`] resolves it:
//! dates parsed, item numbers decided (1, 2, 3 … unless given) and checked for duplicates, each
//! item's content (a paper file, an external PDF, or none) checked to exist, exempt paragraphs
//! checked to be 1–7. Every mistake is located at `meeting.yaml:LINE:COL`. Paper files are read
//! later, by the pack builder, so that a broken paper names its item.
//!
//! ```yaml
//! organisation: Kent County Council
//! committee: Children's Social Care & Health Cabinet Committee
//! date: 2014-08-28
//! time: "10:00"
//! venue: Darent Room, Sessions House, County Hall, Maidstone
//! publish-by: 2014-08-19            # optional: warned about when too late
//! clerk: { name: Theresa Grayell, phone: 03000 416172, email: theresa.grayell@kent.gov.uk }
//! items:
//!   - title: Apologies and Substitutes            # no content: a heading on the agenda
//!   - title: Minutes of the meeting of 15 July 2014
//!     pdf: minutes.pdf                            # an external PDF
//!   - title: Specialist Children's Services Performance Dashboard
//!     paper: ../kcc-2014-scs-dashboard/paper.yaml # a paper file, built by this tool
//!   - title: Contract award
//!     paper: contract.yaml
//!     exempt: 3                                   # paragraph 3 of Part 1 of Schedule 12A
//!     supplement: true                            # a late item
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono::NaiveDate;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer};
use serde_saphyr::{Location, Spanned};

use super::options::PdfStandard;
use super::source::SourceFile;
use super::{Located, parse_yaml, slug};
use crate::diagnostic::Diagnostic;

/// The paragraphs of Part 1 of Schedule 12A to the Local Government Act 1972.
pub const EXEMPT_PARAGRAPHS: std::ops::RangeInclusive<u8> = 1..=7;

/// Why an exempt paragraph number is wrong, or `None` when it is one of 1–7.
pub fn exempt_paragraph_error(paragraph: u8) -> Option<String> {
    (!EXEMPT_PARAGRAPHS.contains(&paragraph)).then(|| {
        format!(
            "expected the paragraph of Part 1 of Schedule 12A to the Local Government Act 1972 that applies, \
             1 to 7, found {paragraph}"
        )
    })
}

/// A meeting file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawMeeting {
    pub output: Option<Spanned<String>>,
    pub organisation: Option<Spanned<String>>,
    pub committee: Spanned<String>,
    pub date: Spanned<String>,
    pub time: Option<Spanned<String>>,
    pub venue: Option<Spanned<String>>,
    pub publish_by: Option<Spanned<String>>,
    #[serde(default)]
    pub membership: Vec<Spanned<String>>,
    pub clerk: Option<RawClerk>,
    pub pdf_standard: Option<Spanned<String>>,
    pub items: Spanned<Vec<Spanned<RawItem>>>,
}

/// The clerk to the committee: who to ask about the agenda.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawClerk {
    pub name: Spanned<String>,
    pub phone: Option<Spanned<String>>,
    pub email: Option<Spanned<String>>,
}

/// One agenda item as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawItem {
    pub title: Spanned<String>,
    pub number: Option<Spanned<RawNumber>>,
    pub paper: Option<Spanned<String>>,
    pub pdf: Option<Spanned<String>>,
    pub exempt: Option<Spanned<u8>>,
    #[serde(default)]
    pub supplement: bool,
    pub lead: Option<Spanned<String>>,
}

/// An item number as written: `4` or `"4a"`.
#[derive(Debug)]
pub struct RawNumber(pub String);

impl<'de> Deserialize<'de> for RawNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NumberVisitor;
        impl Visitor<'_> for NumberVisitor {
            type Value = RawNumber;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an item number such as 4 or \"4a\"")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawNumber, E> {
                Ok(RawNumber(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawNumber, E> {
                Ok(RawNumber(v.to_string()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawNumber, E> {
                Ok(RawNumber(v.to_string()))
            }
        }
        deserializer.deserialize_any(NumberVisitor)
    }
}

/// A checked meeting file.
#[derive(Debug, Clone)]
pub struct MeetingConfig {
    /// The meeting file as given on the command line.
    pub path: PathBuf,
    /// The YAML text, for showing offending lines.
    pub source: String,
    /// The stem of the pack files: `<stem>-public.pdf`, `<stem>-full.pdf`, `<stem>-supplement.pdf`.
    pub output_stem: String,
    pub organisation: Option<String>,
    pub committee: Located<String>,
    pub date: NaiveDate,
    /// Where `date:` is written.
    pub date_at: String,
    pub time: Option<String>,
    pub venue: Option<String>,
    /// When the clerk plans to publish; warned about when it leaves too few clear days.
    pub publish_by: Option<Located<NaiveDate>>,
    pub membership: Vec<String>,
    pub clerk: Option<Clerk>,
    /// `None`: the default standard (or the command line's).
    pub pdf_standard: Option<PdfStandard>,
    pub items: Vec<ItemConfig>,
}

/// The clerk's contact details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clerk {
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// One agenda item, checked.
#[derive(Debug, Clone)]
pub struct ItemConfig {
    /// The agenda number as printed: `4`, `4a`.
    pub number: String,
    /// Where the item is written (its `title:`), for messages.
    pub at: String,
    pub title: String,
    pub content: ItemContent,
    /// The paragraph of Part 1 of Schedule 12A (1–7) under which the item is exempt.
    pub exempt: Option<u8>,
    /// A late item, published in the supplementary agenda.
    pub supplement: bool,
    /// The lead officer named on the agenda, when the meeting file gives one.
    pub lead: Option<String>,
}

/// What an item holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemContent {
    /// A heading on the agenda only ("Apologies and Substitutes").
    None,
    /// A paper file built by this tool.
    Paper(ItemFile),
    /// A finished PDF made elsewhere (the minutes of the last meeting).
    Pdf(ItemFile),
}

/// A file an item refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemFile {
    /// As written in the meeting file (for messages).
    pub as_written: String,
    /// Resolved against the meeting file's folder.
    pub path: PathBuf,
    /// Where it is written.
    pub at: String,
}

/// Reads and checks a meeting file.
pub fn load_meeting(path: &Path) -> Result<MeetingConfig> {
    let source = read_meeting_file(path)?;
    let raw: RawMeeting = parse_yaml(path, &source)?;
    let r = MeetingResolver(SourceFile::new(path, &source));
    let date = r.date(&raw.date)?;
    let committee = r.non_empty(raw.committee, "`committee`")?;
    let items = r.items(raw.items)?;
    let output_stem = r.output_stem(raw.output, path, date, &committee.value)?;
    let clerk = raw.clerk.map(|c| r.clerk(c)).transpose()?;
    let pdf_standard = raw.pdf_standard.map(|s| r.pdf_standard(s)).transpose()?;
    let publish_by = raw.publish_by.map(|p| r.publish_by(p, date)).transpose()?;
    Ok(MeetingConfig {
        path: path.to_path_buf(),
        source: source.clone(),
        output_stem,
        organisation: trimmed(raw.organisation),
        committee,
        date,
        date_at: r.at(raw.date.referenced).0,
        time: trimmed(raw.time),
        venue: trimmed(raw.venue),
        publish_by,
        membership: raw.membership.into_iter().map(|m| m.value.trim().to_string()).filter(|m| !m.is_empty()).collect(),
        clerk,
        pdf_standard,
        items,
    })
}

/// The meeting file's text, or a message that tells a missing file from a folder or an
/// unreadable file.
fn read_meeting_file(path: &Path) -> Result<String> {
    let source = std::fs::read_to_string(path).map_err(|e| {
        let message = if e.kind() == std::io::ErrorKind::NotFound {
            let resolved = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
            format!("meeting file not found (looked for {})", resolved.display())
        } else if path.is_dir() {
            "expected a meeting file (YAML), found a folder".to_string()
        } else {
            format!("cannot read the meeting file ({e})")
        };
        Diagnostic::new(path.display().to_string(), message)
    })?;
    Ok(source)
}

/// An optional text, trimmed; `None` when it is empty.
fn trimmed(value: Option<Spanned<String>>) -> Option<String> {
    value.map(|v| v.value.trim().to_string()).filter(|v| !v.is_empty())
}

/// Resolves the meeting file's values against its file.
struct MeetingResolver<'a>(SourceFile<'a>);

impl<'a> std::ops::Deref for MeetingResolver<'a> {
    type Target = SourceFile<'a>;
    fn deref(&self) -> &SourceFile<'a> {
        &self.0
    }
}

impl MeetingResolver<'_> {
    fn non_empty(&self, spanned: Spanned<String>, what: &str) -> Result<Located<String>> {
        if spanned.value.trim().is_empty() {
            return Err(self.error(spanned.referenced, format!("{what} is empty")).into());
        }
        let (at, line) = self.at(spanned.referenced);
        Ok(Located { value: spanned.value.trim().to_string(), at, line })
    }

    fn date(&self, s: &Spanned<String>) -> Result<NaiveDate> {
        NaiveDate::parse_from_str(s.value.trim(), "%Y-%m-%d").map_err(|_| {
            self.error(s.referenced, format!("expected the meeting date as YYYY-MM-DD, found {:?}", s.value))
                .with_hint("write e.g. `date: 2014-08-28`")
                .into()
        })
    }

    /// The file an item names, which must exist.
    fn item_file(&self, spanned: Spanned<String>, what: &str) -> Result<ItemFile> {
        let as_written = spanned.value.trim().to_string();
        if as_written.is_empty() {
            return Err(self.error(spanned.referenced, format!("the {what} path is empty")).into());
        }
        let path = self.dir.join(&as_written);
        if !path.is_file() {
            let resolved = std::path::absolute(&path).unwrap_or_else(|_| path.clone());
            let found = if path.is_dir() { "a folder" } else { "nothing" };
            return Err(self
                .error(
                    spanned.referenced,
                    format!("{what} {as_written:?} not found (looked for {}, found {found})", resolved.display()),
                )
                .with_hint("paths are relative to the meeting file")
                .into());
        }
        Ok(ItemFile { as_written, path, at: self.at(spanned.referenced).0 })
    }

    /// The stem of the pack files: the file's `output:` (a plain file name), else the meeting
    /// file's own name, else (for a file called `meeting.yaml`) the date and the committee.
    fn output_stem(
        &self,
        output: Option<Spanned<String>>,
        path: &Path,
        date: NaiveDate,
        committee: &str,
    ) -> Result<String> {
        Ok(match output {
            Some(o) => {
                let stem = o.value.trim().to_string();
                if stem.is_empty() || stem.contains(['/', '\\']) || stem.starts_with('.') {
                    return Err(self
                        .error(
                            o.referenced,
                            format!("expected a file name without folders for `output`, found {stem:?}"),
                        )
                        .into());
                }
                stem
            }
            None => match path.file_stem().and_then(|s| s.to_str()) {
                Some(stem) if stem != "meeting" => stem.to_string(),
                _ => format!("{}-{}", date.format("%Y-%m-%d"), slug(committee)),
            },
        })
    }

    /// The clerk's contact details: a name, and a phone number and an email when not empty.
    fn clerk(&self, c: RawClerk) -> Result<Clerk> {
        Ok(Clerk {
            name: self.non_empty(c.name, "the clerk's name")?.value,
            phone: trimmed(c.phone),
            email: trimmed(c.email),
        })
    }

    fn pdf_standard(&self, s: Spanned<String>) -> Result<PdfStandard> {
        PdfStandard::parse(&s.value).ok_or_else(|| {
            self.error(s.referenced, format!("unknown PDF standard {:?}", s.value))
                .with_hint(format!("expected one of {}", PdfStandard::NAMES))
                .into()
        })
    }

    /// The planned publication date, which must come before the meeting's `date`.
    fn publish_by(&self, p: Spanned<String>, date: NaiveDate) -> Result<Located<NaiveDate>> {
        let value = NaiveDate::parse_from_str(p.value.trim(), "%Y-%m-%d").map_err(|_| {
            self.error(p.referenced, format!("expected the publication date as YYYY-MM-DD, found {:?}", p.value))
                .with_hint("write e.g. `publish-by: 2014-08-19`")
        })?;
        if value >= date {
            return Err(self
                .error(p.referenced, format!("`publish-by` ({value}) is not before the meeting ({date})"))
                .into());
        }
        let (at, line) = self.at(p.referenced);
        Ok(Located { value, at, line })
    }

    /// Numbers the items (1, 2, 3 … ; a given whole number restarts the count from there) and
    /// checks each one's content. A meeting without items is refused.
    fn items(&self, raw: Spanned<Vec<Spanned<RawItem>>>) -> Result<Vec<ItemConfig>> {
        if raw.value.is_empty() {
            return Err(self
                .error(raw.referenced, "the meeting has no agenda items")
                .with_hint("list them under `items:`, each with at least a `title:`")
                .into());
        }
        let mut items = Vec::new();
        let mut counter: u64 = 0;
        // Numbers compared ignoring case and spaces: "4A" and "4a" would confuse a reader.
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        for spanned in raw.value {
            let item = spanned.value;
            let title = self.non_empty(item.title, "the item's `title`")?;
            let number = self.number(item.number.as_ref(), &mut counter)?;
            let here = match &item.number {
                Some(n) => n.referenced,
                None => spanned.referenced,
            };
            self.check_unique(&number, here, &mut seen)?;
            items.push(ItemConfig {
                number,
                at: title.at.clone(),
                title: title.value,
                content: self.content(item.paper, item.pdf)?,
                exempt: item.exempt.map(|e| self.exempt(e)).transpose()?,
                supplement: item.supplement,
                lead: trimmed(item.lead),
            });
        }
        Ok(items)
    }

    /// An item's number: the one given (a whole number restarts `counter` from there), else the
    /// next of `counter`.
    fn number(&self, given: Option<&Spanned<RawNumber>>, counter: &mut u64) -> Result<String> {
        Ok(match given {
            Some(n) => {
                let text = n.value.0.trim().to_string();
                if text.is_empty() || text.chars().any(char::is_control) {
                    return Err(self.error(n.referenced, "the item number is empty").into());
                }
                if let Ok(whole) = text.parse::<u64>() {
                    *counter = whole;
                    whole.to_string()
                } else {
                    text
                }
            }
            None => {
                *counter += 1;
                counter.to_string()
            }
        })
    }

    /// Refuses a number an earlier item has (`seen`: each number so far, as compared, and where
    /// it is), and records this one.
    fn check_unique(&self, number: &str, here: Location, seen: &mut BTreeMap<String, String>) -> Result<()> {
        let key: String = number.to_lowercase().split_whitespace().collect();
        if let Some(first) = seen.get(&key) {
            return Err(self
                .error(here, format!("two items are numbered {number}"))
                .with_hint(format!(
                    "the first is at {first}; give this one its own `number:` (numbers count on from \
                     the last whole number given)"
                ))
                .into());
        }
        seen.insert(key, self.at(here).0);
        Ok(())
    }

    /// What an item holds: a paper file, a PDF (which must be named `.pdf`), or nothing; not both.
    fn content(&self, paper: Option<Spanned<String>>, pdf: Option<Spanned<String>>) -> Result<ItemContent> {
        Ok(match (paper, pdf) {
            (Some(_), Some(pdf)) => {
                return Err(self
                    .error(pdf.referenced, "an item holds one paper or one PDF, not both")
                    .with_hint("make them two items, or keep one")
                    .into());
            }
            (Some(paper), None) => ItemContent::Paper(self.item_file(paper, "paper file")?),
            (None, Some(pdf)) => {
                if !Path::new(pdf.value.trim()).extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")) {
                    return Err(self
                        .error(pdf.referenced, format!("expected a .pdf file for `pdf`, found {:?}", pdf.value))
                        .with_hint("a paper file (YAML) goes under `paper:`")
                        .into());
                }
                ItemContent::Pdf(self.item_file(pdf, "PDF")?)
            }
            (None, None) => ItemContent::None,
        })
    }

    /// The exempt paragraph, which must be one of 1–7.
    fn exempt(&self, e: Spanned<u8>) -> Result<u8> {
        match exempt_paragraph_error(e.value) {
            Some(message) => Err(self.error(e.referenced, message).into()),
            None => Ok(e.value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `yaml` as `meeting.yaml` in a temporary folder with `paper.yaml` and `minutes.pdf`
    /// beside it, and loads it; messages name the file `meeting.yaml`.
    fn load_str(yaml: &str) -> Result<MeetingConfig> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("meeting.yaml");
        std::fs::write(&path, yaml).unwrap();
        std::fs::write(dir.path().join("paper.yaml"), "not read here").unwrap();
        std::fs::write(dir.path().join("minutes.pdf"), "%PDF-1.7 not read here").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "text").unwrap();
        load_meeting(&path)
            .map_err(|e| anyhow::anyhow!(e.to_string().replace(&path.display().to_string(), "meeting.yaml")))
    }

    const HEAD: &str = "committee: Children's Social Care & Health Cabinet Committee\ndate: 2014-08-28\n";

    #[test]
    fn items_are_numbered_and_given_numbers_restart_the_count() {
        let yaml = format!(
            "{HEAD}items:\n  - title: Apologies\n  - title: Minutes\n    pdf: minutes.pdf\n  - title: Late\n    number: 2a\n  - title: Dashboard\n    paper: paper.yaml\n  - title: Exempt\n    number: 10\n    exempt: 3\n    supplement: true\n  - title: AOB\n"
        );
        let m = load_str(&yaml).unwrap();
        let numbers: Vec<&str> = m.items.iter().map(|i| i.number.as_str()).collect();
        assert_eq!(numbers, ["1", "2", "2a", "3", "10", "11"]);
        assert!(matches!(m.items[1].content, ItemContent::Pdf(_)));
        assert!(matches!(m.items[3].content, ItemContent::Paper(_)));
        assert_eq!(m.items[0].content, ItemContent::None);
        assert_eq!(m.items[4].exempt, Some(3));
        assert!(m.items[4].supplement);
        assert_eq!(m.output_stem, "2014-08-28-childrens-social-care-health-cabinet-committee");
        assert!(m.items[3].at.ends_with("meeting.yaml:9:12"), "{}", m.items[3].at);
    }

    #[test]
    fn duplicate_numbers_name_both_places() {
        let yaml = format!("{HEAD}items:\n  - title: A\n  - title: B\n    number: 1\n");
        let err = load_str(&yaml).unwrap_err().to_string();
        assert!(err.starts_with("meeting.yaml:6:13: two items are numbered 1"), "{err}");
        assert!(err.contains("the first is at meeting.yaml:4:5"), "{err}");
        let yaml = format!("{HEAD}items:\n  - title: A\n    number: 4A\n  - title: B\n    number: \"4a\"\n");
        assert!(load_str(&yaml).unwrap_err().to_string().contains("two items are numbered 4a"));
    }

    #[test]
    fn exempt_paragraph_must_be_one_to_seven() {
        for bad in ["0", "8"] {
            let yaml = format!("{HEAD}items:\n  - title: A\n    paper: paper.yaml\n    exempt: {bad}\n");
            let err = load_str(&yaml).unwrap_err().to_string();
            assert!(err.starts_with("meeting.yaml:6:13: expected the paragraph of Part 1 of Schedule 12A"), "{err}");
            assert!(err.contains(&format!("1 to 7, found {bad}")), "{err}");
        }
    }

    #[test]
    fn content_mistakes_are_located() {
        let both = format!("{HEAD}items:\n  - title: A\n    paper: paper.yaml\n    pdf: minutes.pdf\n");
        let err = load_str(&both).unwrap_err().to_string();
        assert!(err.starts_with("meeting.yaml:6:10: an item holds one paper or one PDF, not both"), "{err}");
        let missing = format!("{HEAD}items:\n  - title: A\n    pdf: old-minutes.pdf\n");
        let err = load_str(&missing).unwrap_err().to_string();
        assert!(err.starts_with("meeting.yaml:5:10: PDF \"old-minutes.pdf\" not found"), "{err}");
        let not_pdf = format!("{HEAD}items:\n  - title: A\n    pdf: notes.txt\n");
        let err = load_str(&not_pdf).unwrap_err().to_string();
        assert!(err.starts_with("meeting.yaml:5:10: expected a .pdf file"), "{err}");
        let misspelt = format!("{HEAD}items:\n  - title: A\n    papr: paper.yaml\n");
        let err = load_str(&misspelt).unwrap_err().to_string();
        assert!(err.starts_with("meeting.yaml:5:5: unknown field `papr`"), "{err}");
        assert!(err.contains("did you mean `paper`?"), "{err}");
        let empty = format!("{HEAD}items: []\n");
        assert!(load_str(&empty).unwrap_err().to_string().contains("the meeting has no agenda items"));
    }

    #[test]
    fn publish_by_must_be_a_date_before_the_meeting() {
        let late = format!("{HEAD}publish-by: 2014-08-28\nitems:\n  - title: A\n");
        let err = load_str(&late).unwrap_err().to_string();
        assert!(err.starts_with("meeting.yaml:3:13: `publish-by` (2014-08-28) is not before the meeting"), "{err}");
        let ok = format!("{HEAD}publish-by: 2014-08-19\nitems:\n  - title: A\n");
        let m = load_str(&ok).unwrap();
        assert_eq!(m.publish_by.unwrap().value, NaiveDate::from_ymd_opt(2014, 8, 19).unwrap());
    }
}
