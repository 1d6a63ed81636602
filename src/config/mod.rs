//! The paper file: YAML in, a checked [`PaperConfig`] out.
//!
//! Two levels, like ripgrep's low/high arguments: [`raw`] mirrors the file (serde, unknown keys
//! rejected), [`load_paper`] parses it and resolves it into types that hold no "maybe missing":
//! dates parsed, paths made absolute against the paper file, the numbering scheme and placements
//! decided. Texts keep their source location so later stages (placeholders, scorecard settings)
//! can still point at `paper.yaml:LINE:COL`.

pub mod manifest;
pub mod meeting;
pub mod options;
pub mod raw;
pub mod source;
pub mod style;
pub mod word_template;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;
use serde_saphyr::{Location, Spanned};

pub use options::{Formats, PdfStandard};
use source::SourceFile;

use crate::diagnostic::{Diagnostic, did_you_mean};
use raw::*;

/// A value from the paper file with the place it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    /// `paper.yaml:12:5` (empty when unknown).
    pub at: String,
    /// 1-based line, 0 when unknown.
    pub line: usize,
}

/// A checked paper file.
#[derive(Debug, Clone)]
pub struct PaperConfig {
    /// The paper file as given on the command line.
    pub path: PathBuf,
    /// The folder relative paths are resolved against.
    pub dir: PathBuf,
    /// The YAML text, for showing offending lines.
    pub source: String,
    /// The output file stem (`<stem>.pdf`, `<stem>.docx`).
    pub output_stem: String,
    pub from: Vec<Person>,
    pub to: Located<String>,
    pub date: NaiveDate,
    pub subject: Located<String>,
    pub classification: Located<String>,
    pub electoral_divisions: Option<Located<String>>,
    pub key_decision: Option<Located<String>>,
    pub decision_number: Option<Located<String>>,
    pub report_author: Option<Located<String>>,
    /// Header rows in display order.
    pub header: Vec<HeaderKey>,
    pub summary: Option<Located<String>>,
    pub recommendations: Vec<Located<String>>,
    pub numbering: Numbering,
    pub sections: Vec<SectionConfig>,
    pub contacts: Vec<ContactConfig>,
    pub background_documents: Vec<Located<String>>,
    pub appendices: Vec<AppendixConfig>,
    /// The house style (`style:`); unset fields take the house defaults.
    pub style: style::StyleConfig,
}

/// Paragraph numbering schemes found in the reference papers.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Numbering {
    /// 1, 2, 3 … running across all sections; section headings are not numbered (2014 paper).
    Running,
    /// Section headings 1, 2, 3 …; paragraphs 1.1, 1.2, 2.1 … (2017 paper).
    Sectioned,
}

/// Layout of contact details.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ContactStyle {
    /// One labelled line per field: `Name: …`, `Title: …`, `Tel No: …`, `Email: …` (2014).
    Labelled,
    /// A role label, then name, title, phone and email on lines of their own (2017).
    Stacked,
}

/// What a batch manifest may change in a paper without editing its paper file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    /// Replaces the meeting date: the Date row, `{{ meeting_date }}`, the documents' dates, and an
    /// output name that starts with the old date.
    pub date: Option<NaiveDate>,
    /// Replaces the reporting period of every scorecard: what `{{ period }}` prints and the
    /// period the table states. The indicator values still come from the workbook as it is.
    pub period: Option<String>,
}

impl Overrides {
    /// Applies the date to a paper file's settings. Applying twice changes nothing more.
    pub fn apply(&self, config: &mut PaperConfig) {
        if let Some(date) = self.date {
            let old = config.date.format("%Y-%m-%d").to_string();
            if let Some(rest) = config.output_stem.strip_prefix(&old) {
                config.output_stem = format!("{}{rest}", date.format("%Y-%m-%d"));
            }
            config.date = date;
        }
    }
}

/// A person in the From field.
#[derive(Debug, Clone)]
pub struct Person {
    pub name: Located<String>,
    pub role: Option<Located<String>>,
}

/// The rows a header block can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderKey {
    From,
    To,
    Date,
    Subject,
    Classification,
    ElectoralDivisions,
    KeyDecision,
    DecisionNumber,
    ReportAuthor,
}

impl HeaderKey {
    const ALL: [(&'static str, HeaderKey); 9] = [
        ("from", HeaderKey::From),
        ("to", HeaderKey::To),
        ("date", HeaderKey::Date),
        ("subject", HeaderKey::Subject),
        ("classification", HeaderKey::Classification),
        ("electoral-divisions", HeaderKey::ElectoralDivisions),
        ("key-decision", HeaderKey::KeyDecision),
        ("decision-number", HeaderKey::DecisionNumber),
        ("report-author", HeaderKey::ReportAuthor),
    ];

    /// The printed label.
    pub fn label(self) -> &'static str {
        match self {
            HeaderKey::From => "From",
            HeaderKey::To => "To",
            HeaderKey::Date => "Date",
            HeaderKey::Subject => "Subject",
            HeaderKey::Classification => "Classification",
            HeaderKey::ElectoralDivisions => "Electoral Divisions",
            HeaderKey::KeyDecision => "Key decision",
            HeaderKey::DecisionNumber => "Decision No",
            HeaderKey::ReportAuthor => "Report author",
        }
    }
}

/// A body section.
#[derive(Debug, Clone)]
pub struct SectionConfig {
    pub heading: Option<Located<String>>,
    pub level: u8,
    pub paragraphs: Vec<ParagraphConfig>,
    /// Print the contacts here, in this style.
    pub contacts: Option<ContactStyle>,
    /// Print the background documents here: `Some(true)` labelled, `Some(false)` listed.
    pub background_documents: Option<bool>,
    /// Print the exception reports of the scorecards here, after the paragraphs, rather than
    /// after each scorecard's table.
    pub exceptions: bool,
}

/// A body paragraph.
#[derive(Debug, Clone)]
pub struct ParagraphConfig {
    pub text: Located<String>,
    pub numbered: bool,
    pub list: Vec<Located<String>>,
    pub quote: Option<Located<String>>,
}

/// A contact.
#[derive(Debug, Clone)]
pub struct ContactConfig {
    pub label: Option<String>,
    pub name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// An appendix.
#[derive(Debug, Clone)]
pub struct AppendixConfig {
    pub title: Located<String>,
    /// `None`: landscape when it has a scorecard, portrait otherwise.
    pub landscape: Option<bool>,
    pub intro: Vec<Located<String>>,
    pub scorecard: Option<ScorecardConfig>,
    /// The paragraph of Part 1 of Schedule 12A (1–7) under which the appendix is exempt: the
    /// public version of the paper withholds it.
    pub exempt: Option<u8>,
    /// What the public version prints instead of the title of an exempt appendix.
    pub public_title: Option<Located<String>>,
}

/// Where a scorecard comes from and what it shows.
#[derive(Debug, Clone)]
pub struct ScorecardConfig {
    /// The workbook path as written (for messages).
    pub workbook_as_written: String,
    /// The workbook path resolved against the paper file.
    pub workbook: PathBuf,
    pub workbook_at: String,
    pub sheet: Option<Located<String>>,
    /// 1-based header row, when the author fixes it.
    pub header_row: Option<u32>,
    pub series_sheet: Option<Located<String>>,
    /// A defined name or `Sheet!A1` holding the reporting period.
    pub period: Option<Located<String>>,
    /// Column keys to display, in order; `None` = the default set for the data present.
    pub columns: Option<Vec<Located<String>>>,
    /// Which indicators to show: `None` = every indicator of the sheet. Several papers can share one
    /// workbook and each show its part of it.
    pub filter: Option<IndicatorFilter>,
    /// Workbook header text per column key, replacing the default header names.
    pub headers: BTreeMap<String, Located<String>>,
    /// Printed column labels per column key.
    pub labels: BTreeMap<String, Located<String>>,
    /// Overrides the cells' number formats for percentage indicators: `Some(true)` every value
    /// is a fraction (0.125 is 12.5%), `Some(false)` every value is percentage points; `None`
    /// reads each cell by its format (a cell formatted `0.0%` holds a fraction).
    pub percent_as_fraction: Option<bool>,
    /// Keep rows and columns hidden in the workbook (they are left out by default).
    pub include_hidden: bool,
    /// How many points the trend shows.
    pub trend_points: usize,
    /// Exception reports (`exceptions:`): `None` when the paper prints none.
    pub exceptions: Option<ExceptionsConfig>,
    /// Ratings whose indicators must have a commentary (`require-commentary:`).
    pub require_commentary: Option<RequireCommentary>,
    /// Per-indicator settings by Ref; these win over the workbook.
    pub indicators: BTreeMap<String, IndicatorSettings>,
}

/// Which indicators of a scorecard get an exception report: every Red one, and each Amber one
/// that worsened since the previous period when `worsened-amber` is listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExceptionsConfig {
    /// Also each Amber indicator that worsened (its value, or its rating down from Green).
    pub worsened_amber: bool,
    /// Where `exceptions:` is written.
    pub at: String,
}

/// `require-commentary:`: the ratings whose indicators must have a commentary, so that an
/// incomplete paper cannot be built by mistake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequireCommentary {
    pub red: bool,
    pub amber: bool,
    /// Where the list is written.
    pub at: String,
    /// The list as the paper file could write it: `require-commentary: [red, amber]`.
    pub as_written: String,
}

/// A subset of a scorecard sheet: an indicator is shown when its section is one of `sections` or
/// its Ref is one of `include` (either list may be empty, not both). Workbook order is kept.
#[derive(Debug, Clone, Default)]
pub struct IndicatorFilter {
    /// Section names, compared ignoring case and runs of spaces.
    pub sections: Vec<Located<String>>,
    /// Refs, compared exactly (surrounding spaces ignored).
    pub include: Vec<Located<String>>,
}

impl IndicatorFilter {
    /// Whether the indicator with this Ref, in this section, is shown.
    pub fn selects(&self, reference: &str, section: Option<&str>) -> bool {
        self.include.iter().any(|r| r.value.trim() == reference)
            || section.is_some_and(|s| self.sections.iter().any(|want| same_section(&want.value, s)))
    }
}

/// Section names match ignoring case and runs of spaces, as header texts do.
pub fn same_section(a: &str, b: &str) -> bool {
    section_key(a) == section_key(b)
}

/// The form of a section name that [`same_section`] compares.
pub fn section_key(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Per-indicator settings from the paper file.
#[derive(Debug, Clone, Default)]
pub struct IndicatorSettings {
    pub at: String,
    pub polarity: Option<Located<String>>,
    pub unit: Option<Located<String>>,
    pub decimals: Option<Located<u8>>,
    pub target: Option<Located<f64>>,
    pub floor: Option<Located<f64>>,
    pub period: Option<Located<String>>,
}

/// Reads and checks a paper file.
pub fn load_paper(path: &Path) -> Result<PaperConfig> {
    let resolved = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let source = std::fs::read(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Diagnostic::new(
                path.display().to_string(),
                format!("paper file not found (looked for {})", resolved.display()),
            )
            .with_hint("a relative path is taken from the current folder")
        } else if path.is_dir() {
            Diagnostic::new(path.display().to_string(), "expected a paper file (YAML), found a folder")
        } else {
            Diagnostic::new(path.display().to_string(), format!("cannot read the paper file ({e})"))
        }
    })?;
    let source = String::from_utf8(source).map_err(|e| {
        let before = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let column = before.iter().rev().take_while(|b| **b != b'\n').count() + 1;
        Diagnostic::new(format!("{}:{line}:{column}", path.display()), "the paper file is not UTF-8 text")
            .with_hint("save it as UTF-8 (most editors offer this under Save As › Encoding)")
    })?;
    let raw: RawPaper = parse_yaml(path, &source)?;
    Resolver::new(path, &source).paper(raw)
}

/// Parses YAML into `T`, turning serde-saphyr's error into a located [`Diagnostic`] with a
/// "did you mean" hint for misspelt keys.
pub fn parse_yaml<T: serde::de::DeserializeOwned>(path: &Path, source: &str) -> Result<T> {
    let options = serde_saphyr::options! {};
    serde_saphyr::from_str_with_options::<T>(source, options).map_err(|err| {
        let file = display_name(path);
        let (line, column) = err.location().map(|l| (l.line() as usize, l.column() as usize)).unwrap_or((0, 0));
        let rendered = err.render_with_options(serde_saphyr::render_options! {
            snippets: serde_saphyr::SnippetMode::Off,
        });
        let message = strip_location_suffix(&rendered);
        let found = scalar_at(source, line, column);
        let (message, hint) = friendly_yaml_message(&message, &found);
        let location = if line > 0 { format!("{file}:{line}:{column}") } else { file };
        let mut diagnostic = Diagnostic::new(location, message.clone()).with_source_line(source, line);
        if let Some(hint) = hint.or_else(|| unknown_key_hint(&message)) {
            diagnostic = diagnostic.with_hint(hint);
        }
        anyhow::Error::new(diagnostic)
    })
}

/// The YAML text written at a 1-based line and column, up to the end of the line (or a comment).
fn scalar_at(source: &str, line: usize, column: usize) -> String {
    let Some(text) = line.checked_sub(1).and_then(|i| source.lines().nth(i)) else {
        return String::new();
    };
    let rest: String = text.chars().skip(column.saturating_sub(1)).collect();
    let rest = match rest.find(" #") {
        Some(i) => &rest[..i],
        None => rest.as_str(),
    };
    rest.trim().to_string()
}

/// serde-saphyr's terse messages ("invalid u8", "expected string scalar") in the words of a
/// report author, with a hint where there is an obvious fix.
fn friendly_yaml_message(message: &str, found: &str) -> (String, Option<String>) {
    let shape = if found.starts_with('[') || found.starts_with("- ") || found == "-" {
        "a list".to_string()
    } else if found.starts_with('{') || found.contains(": ") || found.ends_with(':') {
        "a map (`key: value`)".to_string()
    } else if found.is_empty() {
        "nothing".to_string()
    } else {
        format!("{found:?}")
    };
    let quote_hint = || {
        Some(
            "a text that contains `: `, `#`, or starts with `[`, `{`, `@`, `*`, `&`, `!` or `%` must be in quotes"
                .to_string(),
        )
    };
    match message {
        "expected string scalar" => (format!("expected a text, found {shape}"), quote_hint()),
        "expected sequence start" => (format!("expected a list (lines starting `- `), found {shape}"), None),
        "expected mapping start" => (format!("expected a map (`key: value` lines), found {shape}"), None),
        "invalid u8" => (format!("expected a whole number from 0 to 255, found {shape}"), None),
        "invalid u16" | "invalid u32" | "invalid u64" | "invalid usize" => {
            (format!("expected a whole number, found {shape}"), None)
        }
        "invalid f64" | "invalid f32" | "invalid floating point" => (format!("expected a number, found {shape}"), None),
        "invalid boolean" | "invalid bool" => (format!("expected true or false, found {shape}"), None),
        _ if message.starts_with("duplicate mapping key: ") => {
            let key =
                message.trim_start_matches("duplicate mapping key: ").split(',').next().unwrap_or_default().trim();
            (format!("`{key}` is given twice"), Some("keep one of them".to_string()))
        }
        _ if message.starts_with("tabs disallowed") => {
            (message.to_string(), Some("indent with spaces, not tabs".to_string()))
        }
        _ if message.starts_with("mapping values are not allowed") || message.contains("did not find expected key") => {
            (
                message.to_string(),
                Some(
                    "check this line's indentation against the lines above; a text containing `: ` must be in quotes"
                        .to_string(),
                ),
            )
        }
        _ if message.starts_with("unexpected character") => (message.to_string(), quote_hint()),
        _ => (message.to_string(), None),
    }
}

/// serde-saphyr appends " at line L, column C" to plain messages; we print the location first.
fn strip_location_suffix(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) if message[i..].contains(", column ") => message[..i].to_string(),
        _ => message.to_string(),
    }
}

/// "unknown field `numbred`, expected one of text, numbered" -> "did you mean `numbered`?"
fn unknown_key_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `").or_else(|| message.strip_prefix("unknown variant `"))?;
    let (word, rest) = rest.split_once('`')?;
    let expected =
        rest.split_once("expected one of ").map(|(_, e)| e).or_else(|| rest.split_once("expected ").map(|(_, e)| e))?;
    let candidates: Vec<&str> =
        expected.split(',').map(|c| c.trim().trim_matches('`')).filter(|c| !c.is_empty()).collect();
    match did_you_mean(word, candidates.iter().copied()) {
        Some(best) => Some(format!("did you mean `{best}`?")),
        None => Some(format!("valid keys here: {}", candidates.join(", "))),
    }
}

/// The name used for a file in messages: the path as given.
pub fn display_name(path: &Path) -> String {
    path.display().to_string()
}

/// Resolves raw structs against the paper file's location.
struct Resolver<'a> {
    src: SourceFile<'a>,
    path: &'a Path,
}

impl<'a> Resolver<'a> {
    fn new(path: &'a Path, source: &'a str) -> Self {
        Resolver { src: SourceFile::new(path, source), path }
    }

    fn at(&self, location: Location) -> (String, usize) {
        self.src.at(location)
    }

    fn located<T>(&self, spanned: Spanned<T>) -> Located<T> {
        self.src.located(spanned)
    }

    fn error(&self, location: Location, message: impl Into<String>) -> anyhow::Error {
        self.src.error(location, message).into()
    }

    fn non_empty(&self, spanned: Spanned<String>, what: &str) -> Result<Located<String>> {
        if spanned.value.trim().is_empty() {
            return Err(self.error(spanned.referenced, format!("{what} is empty")));
        }
        Ok(self.located(spanned))
    }

    fn paper(&self, raw: RawPaper) -> Result<PaperConfig> {
        self.check_exceptions_placed(&raw)?;
        let date = self.date(&raw.date)?;
        let header = self.header(&raw)?;
        let output_stem = self.output_stem(raw.output, &date, &raw.subject.value)?;
        Ok(PaperConfig {
            path: self.path.to_path_buf(),
            dir: self.src.dir.clone(),
            source: self.src.text.to_string(),
            output_stem,
            from: self.from(raw.from)?,
            to: self.non_empty(raw.to, "`to`")?,
            date,
            subject: self.non_empty(raw.subject, "`subject`")?,
            classification: self.non_empty(raw.classification, "`classification`")?,
            electoral_divisions: raw.electoral_divisions.map(|v| self.located(v)),
            key_decision: raw.key_decision.map(|v| self.located(v)),
            decision_number: raw.decision_number.map(|v| self.located(v)),
            report_author: raw.report_author.map(|v| self.located(v)),
            header,
            summary: raw.summary.map(|v| self.located(v)),
            recommendations: self.recommendations(raw.recommendation, raw.recommendations)?,
            numbering: self.numbering(raw.numbering)?,
            sections: raw.sections.into_iter().map(|s| self.section(s)).collect::<Result<_>>()?,
            contacts: raw.contacts.into_iter().map(|c| self.contact(c)).collect::<Result<_>>()?,
            background_documents: raw.background_documents.into_iter().map(|v| self.located(v)).collect(),
            appendices: raw.appendices.into_iter().map(|a| self.appendix(a)).collect::<Result<_>>()?,
            style: raw
                .style
                .map(|s| style::resolve_style(s, self.path, self.src.text))
                .transpose()?
                .unwrap_or_default(),
        })
    }

    /// A section that places the exception reports needs a scorecard that has them, and only
    /// one section may place them.
    fn check_exceptions_placed(&self, raw: &RawPaper) -> Result<()> {
        let mut placed = raw.sections.iter().filter_map(|s| s.exceptions.as_ref()).filter(|e| e.value);
        let Some(first) = placed.next() else {
            return Ok(());
        };
        if let Some(second) = placed.next() {
            let (first_at, _) = self.at(first.referenced);
            return Err(self
                .src
                .error(second.referenced, format!("the exception reports are already placed at {first_at}"))
                .with_hint("keep `exceptions: true` in one section")
                .into());
        }
        let asked = raw.appendices.iter().filter_map(|a| a.scorecard.as_ref()).any(|s| s.exceptions.is_some());
        if !asked {
            return Err(self
                .src
                .error(first.referenced, "this section places the exception reports, but no scorecard asks for them")
                .with_hint("add `exceptions: [red]` under the appendix's `scorecard:`")
                .into());
        }
        Ok(())
    }

    fn date(&self, raw: &Spanned<String>) -> Result<NaiveDate> {
        NaiveDate::parse_from_str(raw.value.trim(), "%Y-%m-%d").map_err(|_| {
            self.src
                .error(raw.referenced, format!("expected the meeting date as YYYY-MM-DD, found {:?}", raw.value))
                .with_hint("write e.g. `date: 2014-08-28`")
                .into()
        })
    }

    fn from(&self, raw: Spanned<Vec<RawPerson>>) -> Result<Vec<Person>> {
        if raw.value.is_empty() {
            return Err(self.error(raw.referenced, "`from` lists nobody: give at least one {name, role}"));
        }
        raw.value
            .into_iter()
            .map(|p| {
                Ok(Person { name: self.non_empty(p.name, "a name in `from`")?, role: p.role.map(|r| self.located(r)) })
            })
            .collect()
    }

    fn numbering(&self, raw: Option<Spanned<String>>) -> Result<Numbering> {
        let Some(n) = raw else {
            return Ok(Numbering::Running);
        };
        match n.value.trim() {
            "running" => Ok(Numbering::Running),
            "sectioned" => Ok(Numbering::Sectioned),
            other => Err(self
                .src
                .error(n.referenced, format!("expected `running` or `sectioned` for numbering, found {other:?}"))
                .with_suggestion(other, &["running", "sectioned"], None)
                .into()),
        }
    }

    /// The header rows in display order: the paper file's `header:` list, or From, To, Date,
    /// Subject, Classification and whichever optional rows the file sets.
    fn header(&self, raw: &RawPaper) -> Result<Vec<HeaderKey>> {
        let is_set = |key: HeaderKey| match key {
            HeaderKey::ElectoralDivisions => raw.electoral_divisions.is_some(),
            HeaderKey::KeyDecision => raw.key_decision.is_some(),
            HeaderKey::DecisionNumber => raw.decision_number.is_some(),
            HeaderKey::ReportAuthor => raw.report_author.is_some(),
            _ => true,
        };
        let Some(list) = &raw.header else {
            return Ok(HeaderKey::ALL.iter().map(|(_, key)| *key).filter(|key| is_set(*key)).collect());
        };
        let mut keys = Vec::new();
        for item in list {
            let name = item.value.trim().to_lowercase();
            let Some((_, key)) = HeaderKey::ALL.iter().find(|(n, _)| *n == name) else {
                return Err(self
                    .src
                    .error(item.referenced, format!("unknown header row {:?}", item.value))
                    .with_suggestion(&name, &HeaderKey::ALL.map(|(n, _)| n), Some("header rows"))
                    .into());
            };
            if !is_set(*key) {
                return Err(self.error(
                    item.referenced,
                    format!("the header lists `{name}` but the paper file does not set `{name}:`"),
                ));
            }
            keys.push(*key);
        }
        Ok(keys)
    }

    fn recommendations(
        &self,
        one: Option<Spanned<String>>,
        several: Option<Vec<Spanned<String>>>,
    ) -> Result<Vec<Located<String>>> {
        match (one, several) {
            (Some(one), None) => Ok(vec![self.non_empty(one, "the recommendation")?]),
            (None, Some(list)) => list.into_iter().map(|r| self.non_empty(r, "a recommendation")).collect(),
            (None, None) => Ok(Vec::new()),
            (Some(one), Some(_)) => {
                Err(Diagnostic::new(self.at(one.referenced).0, "both `recommendation` and `recommendations` are given")
                    .with_hint("keep one: `recommendation:` for a sentence, `recommendations:` for a list")
                    .into())
            }
        }
    }

    fn contact(&self, raw: RawContact) -> Result<ContactConfig> {
        Ok(ContactConfig {
            label: raw.label.map(|v| v.value),
            name: self.non_empty(raw.name, "a contact's name")?.value,
            title: raw.title.map(|v| v.value),
            phone: raw.phone.map(|v| v.value),
            email: raw.email.map(|v| v.value),
        })
    }

    /// The paper file's `output:` (a plain file name), or `<date>-<subject slug>`.
    fn output_stem(&self, raw: Option<Spanned<String>>, date: &NaiveDate, subject: &str) -> Result<String> {
        let Some(o) = raw else {
            return Ok(default_stem(self.path, date, subject));
        };
        let stem = o.value.trim().to_string();
        if stem.is_empty() || stem.contains(['/', '\\']) || stem.starts_with('.') {
            return Err(
                self.error(o.referenced, format!("expected a file name without folders for `output`, found {stem:?}"))
            );
        }
        Ok(stem)
    }

    fn section(&self, raw: RawSection) -> Result<SectionConfig> {
        let level = match raw.level {
            None => 1,
            Some(l) if (1..=2).contains(&l.value) => l.value,
            Some(l) => {
                return Err(self.error(l.referenced, format!("expected a heading level of 1 or 2, found {}", l.value)));
            }
        };
        let contacts = match raw.contacts {
            None => None,
            Some(c) => Some(match c.value.trim() {
                "labelled" => ContactStyle::Labelled,
                "stacked" => ContactStyle::Stacked,
                other => {
                    return Err(self.choice_error(c.referenced, "contacts", other, &["labelled", "stacked"]));
                }
            }),
        };
        let background_documents = match raw.background_documents {
            None => None,
            Some(b) => Some(match b.value.trim() {
                "labelled" => true,
                "listed" => false,
                other => {
                    return Err(self.choice_error(
                        b.referenced,
                        "background-documents",
                        other,
                        &["labelled", "listed"],
                    ));
                }
            }),
        };
        let paragraphs = raw
            .paragraphs
            .into_iter()
            .map(|p| {
                let (at, line) = self.at(p.referenced);
                Ok(match p.value {
                    RawParagraph::Short(text) => ParagraphConfig {
                        text: Located { value: text, at, line },
                        numbered: true,
                        list: vec![],
                        quote: None,
                    },
                    RawParagraph::Full(full) => ParagraphConfig {
                        text: self.located(full.text),
                        numbered: full.numbered.unwrap_or(true),
                        list: full.list.into_iter().map(|i| self.located(i)).collect(),
                        quote: full.quote.map(|q| self.located(q)),
                    },
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(SectionConfig {
            heading: raw.heading.map(|h| self.located(h)),
            level,
            paragraphs,
            contacts,
            background_documents,
            exceptions: raw.exceptions.is_some_and(|e| e.value),
        })
    }

    fn choice_error(&self, location: Location, key: &str, found: &str, choices: &[&str]) -> anyhow::Error {
        let expected = choices.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(" or ");
        self.src
            .error(location, format!("expected {expected} for `{key}`, found {found:?}"))
            .with_suggestion(found, choices, None)
            .into()
    }

    fn appendix(&self, raw: RawAppendix) -> Result<AppendixConfig> {
        let landscape = match raw.orientation {
            None => None,
            Some(o) => Some(match o.value.trim() {
                "landscape" => true,
                "portrait" => false,
                other => return Err(self.choice_error(o.referenced, "orientation", other, &["landscape", "portrait"])),
            }),
        };
        let scorecard = raw.scorecard.map(|s| self.scorecard(s)).transpose()?;
        let exempt = match raw.exempt {
            Some(e) => match meeting::exempt_paragraph_error(e.value) {
                Some(message) => return Err(self.error(e.referenced, message)),
                None => Some(e.value),
            },
            None => None,
        };
        let public_title = match raw.public_title {
            Some(t) if exempt.is_none() => {
                return Err(self
                    .src
                    .error(t.referenced, "`public-title` is only used for an exempt appendix")
                    .with_hint("add `exempt: N` (the paragraph of Schedule 12A), or remove `public-title`")
                    .into());
            }
            Some(t) => Some(self.non_empty(t, "`public-title`")?),
            None => None,
        };
        Ok(AppendixConfig {
            title: self.non_empty(raw.title, "the appendix title")?,
            landscape,
            intro: raw.intro.into_iter().map(|i| self.located(i)).collect(),
            scorecard,
            exempt,
            public_title,
        })
    }

    fn scorecard(&self, raw: RawScorecard) -> Result<ScorecardConfig> {
        let workbook_as_written = raw.workbook.value.clone();
        let workbook_at = self.at(raw.workbook.referenced).0;
        let workbook = self.src.dir.join(&raw.workbook.value);
        if !workbook.is_file() {
            let resolved = std::path::absolute(&workbook).unwrap_or_else(|_| workbook.clone());
            let message = format!("workbook {:?} not found (looked for {})", raw.workbook.value, resolved.display());
            return Err(self
                .src
                .error(raw.workbook.referenced, message)
                .with_hint("the workbook path is relative to the paper file")
                .into());
        }
        let header_row = match raw.header_row {
            Some(r) if r.value == 0 => {
                return Err(self.error(r.referenced, "header rows are numbered from 1, as in the spreadsheet"));
            }
            Some(r) => Some(r.value),
            None => None,
        };
        let trend_points = match raw.trend_points {
            None => 12,
            Some(t) if (2..=36).contains(&t.value) => t.value as usize,
            Some(t) => {
                return Err(
                    self.error(t.referenced, format!("expected between 2 and 36 trend points, found {}", t.value))
                );
            }
        };
        let indicators = raw
            .indicators
            .into_iter()
            .map(|(reference, settings)| Ok((reference, self.indicator_settings(settings)?)))
            .collect::<Result<_>>()?;
        let filter = self.filter(raw.sections, raw.include, raw.workbook.referenced)?;
        let exceptions = raw.exceptions.map(|e| self.exceptions(e)).transpose()?;
        let require_commentary = raw.require_commentary.map(|r| self.require_commentary(r)).transpose()?;
        Ok(ScorecardConfig {
            workbook_as_written,
            workbook,
            workbook_at,
            sheet: raw.sheet.map(|s| self.located(s)),
            header_row,
            series_sheet: raw.series_sheet.map(|s| self.located(s)),
            period: raw.period.map(|s| self.located(s)),
            columns: raw.columns.map(|c| c.into_iter().map(|v| self.located(v)).collect()),
            filter,
            headers: raw.headers.into_iter().map(|(k, v)| (k, self.located(v))).collect(),
            labels: raw.labels.into_iter().map(|(k, v)| (k, self.located(v))).collect(),
            percent_as_fraction: raw.percent_as_fraction,
            include_hidden: raw.include_hidden.unwrap_or(false),
            trend_points,
            exceptions,
            require_commentary: require_commentary.flatten(),
            indicators,
        })
    }

    /// `exceptions: [red]` or `[red, worsened-amber]`: Red indicators always have a report.
    fn exceptions(&self, raw: Spanned<Vec<Spanned<String>>>) -> Result<ExceptionsConfig> {
        const CHOICES: [&str; 2] = ["red", "worsened-amber"];
        let (mut red, mut worsened_amber) = (false, false);
        for item in &raw.value {
            match item.value.trim().to_lowercase().as_str() {
                "red" => red = true,
                "worsened-amber" => worsened_amber = true,
                other => return Err(self.choice_error(item.referenced, "exceptions", other, &CHOICES)),
            }
        }
        if !red {
            return Err(self
                .src
                .error(
                    raw.referenced,
                    "exception reports always cover the Red indicators, but `exceptions` leaves out `red`",
                )
                .with_hint(
                    "write `exceptions: [red]`, or `[red, worsened-amber]` to add each Amber indicator that worsened",
                )
                .into());
        }
        Ok(ExceptionsConfig { worsened_amber, at: self.at(raw.referenced).0 })
    }

    /// `require-commentary: [red]` or `[red, amber]`; `None` for an empty list.
    fn require_commentary(&self, raw: Spanned<Vec<Spanned<String>>>) -> Result<Option<RequireCommentary>> {
        const CHOICES: [&str; 2] = ["red", "amber"];
        let (mut red, mut amber) = (false, false);
        for item in &raw.value {
            match item.value.trim().to_lowercase().as_str() {
                "red" => red = true,
                "amber" => amber = true,
                other => return Err(self.choice_error(item.referenced, "require-commentary", other, &CHOICES)),
            }
        }
        let listed: Vec<&str> =
            [(red, "red"), (amber, "amber")].into_iter().filter(|(on, _)| *on).map(|(_, n)| n).collect();
        Ok((red || amber).then(|| RequireCommentary {
            red,
            amber,
            at: self.at(raw.referenced).0,
            as_written: format!("require-commentary: [{}]", listed.join(", ")),
        }))
    }

    fn indicator_settings(&self, settings: Spanned<RawIndicatorSettings>) -> Result<IndicatorSettings> {
        let at = self.at(settings.referenced).0;
        let s = settings.value;
        for number in [&s.target, &s.floor].into_iter().flatten() {
            if !number.value.is_finite() {
                return Err(self.error(number.referenced, format!("expected a number, found {}", number.value)));
            }
        }
        if let Some(d) = &s.decimals
            && d.value > 6
        {
            return Err(self.error(
                d.referenced,
                format!("expected a whole number of decimal places from 0 to 6, found {}", d.value),
            ));
        }
        Ok(IndicatorSettings {
            at,
            polarity: s.polarity.map(|v| self.located(v)),
            unit: s.unit.map(|v| self.located(v)),
            decimals: s.decimals.map(|v| self.located(v)),
            target: s.target.map(|v| self.located(v)),
            floor: s.floor.map(|v| self.located(v)),
            period: s.period.map(|v| self.located(v)),
        })
    }

    /// `sections:` and `include:`; `None` when neither is given (every indicator is shown).
    fn filter(
        &self,
        sections: Option<Vec<Spanned<String>>>,
        include: Option<Vec<Spanned<String>>>,
        workbook_at: Location,
    ) -> Result<Option<IndicatorFilter>> {
        if sections.is_none() && include.is_none() {
            return Ok(None);
        }
        let filter = IndicatorFilter {
            sections: sections.unwrap_or_default().into_iter().map(|v| self.located(v)).collect(),
            include: include.unwrap_or_default().into_iter().map(|v| self.located(v)).collect(),
        };
        if filter.sections.is_empty() && filter.include.is_empty() {
            return Err(self
                .src
                .error(workbook_at, "`sections` and `include` are both empty, so the scorecard would show nothing")
                .with_hint("list at least one section or Ref, or remove both keys to show every indicator")
                .into());
        }
        Ok(Some(filter))
    }
}

/// `2014-08-28-specialist-childrens-services-performance-dashboard`, or the paper file's stem
/// when that is not `paper`.
fn default_stem(path: &Path, date: &NaiveDate, subject: &str) -> String {
    let file_stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("paper");
    if file_stem != "paper" {
        return file_stem.to_string();
    }
    format!("{}-{}", date.format("%Y-%m-%d"), slug(subject))
}

/// Lowercase ASCII words joined by hyphens; apostrophes vanish ("Children's" -> "childrens").
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    let mut pending_dash = false;
    for c in text.chars() {
        if c == '\'' || c == '’' {
            continue;
        }
        if c.is_ascii_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    }
    if out.is_empty() { "paper".to_string() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_str(yaml: &str) -> Result<PaperConfig> {
        let path = Path::new("paper.yaml");
        let raw: RawPaper = parse_yaml(path, yaml)?;
        Resolver::new(path, yaml).paper(raw)
    }

    const MINIMAL: &str = "from:\n  - name: A Person\n    role: Director\nto: Panel\ndate: 2017-06-01\nsubject: S\nclassification: Unrestricted\n";

    #[test]
    fn minimal_paper_resolves_with_defaults() {
        let p = load_str(MINIMAL).unwrap();
        assert_eq!(p.numbering, Numbering::Running);
        assert_eq!(
            p.header,
            vec![HeaderKey::From, HeaderKey::To, HeaderKey::Date, HeaderKey::Subject, HeaderKey::Classification]
        );
        assert_eq!(p.output_stem, "2017-06-01-s");
        assert_eq!(p.to.at, "paper.yaml:4:5");
    }

    #[test]
    fn misspelt_key_names_line_and_suggests() {
        let yaml =
            format!("{MINIMAL}sections:\n  - heading: H\n    paragraphs:\n      - text: t\n        numbred: false\n");
        let err = load_str(&yaml).unwrap_err().to_string();
        assert!(err.starts_with("paper.yaml:12:9: unknown field `numbred`"), "{err}");
        assert!(err.contains("hint: did you mean `numbered`?"), "{err}");
        assert!(err.contains("  12 |         numbred: false"), "{err}");
    }

    #[test]
    fn misspelt_top_level_key() {
        let yaml = MINIMAL.replace("subject:", "subjet:");
        let err = load_str(&yaml).unwrap_err().to_string();
        assert!(err.starts_with("paper.yaml:6:1: unknown field `subjet`"), "{err}");
        assert!(err.contains("did you mean `subject`?"), "{err}");
    }

    #[test]
    fn bad_date_is_located() {
        let yaml = MINIMAL.replace("2017-06-01", "1 June 2017");
        let err = load_str(&yaml).unwrap_err().to_string();
        assert!(
            err.starts_with("paper.yaml:5:7: expected the meeting date as YYYY-MM-DD, found \"1 June 2017\""),
            "{err}"
        );
    }

    #[test]
    fn bad_numbering_suggests() {
        let yaml = format!("{MINIMAL}numbering: sectionned\n");
        let err = load_str(&yaml).unwrap_err().to_string();
        assert!(err.starts_with("paper.yaml:8:12: expected `running` or `sectioned`"), "{err}");
        assert!(err.contains("did you mean `sectioned`?"), "{err}");
    }

    #[test]
    fn short_paragraphs_keep_their_line() {
        let yaml = format!("{MINIMAL}sections:\n  - heading: H\n    paragraphs:\n      - first\n      - second\n");
        let p = load_str(&yaml).unwrap();
        let para = &p.sections[0].paragraphs[1];
        assert_eq!(para.text.value, "second");
        assert_eq!(para.text.line, 12);
        assert!(para.numbered);
    }

    #[test]
    fn slug_drops_apostrophes() {
        assert_eq!(
            slug("Specialist Children's Services Performance Dashboard"),
            "specialist-childrens-services-performance-dashboard"
        );
        assert_eq!(slug("***"), "paper");
    }
}
