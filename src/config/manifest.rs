//! The batch manifest: which papers and agenda packs a month-end run builds, and how.
//!
//! Like the paper file it has two levels: [`RawManifest`] mirrors the YAML (unknown keys rejected
//! with a "did you mean" hint by [`super::parse_yaml`]), [`load_manifest`] resolves it: paths made
//! absolute against the manifest's folder, formats and PDF standard checked, output-name patterns
//! checked, override dates parsed. Everything that can be wrong with the manifest itself is an
//! error here, located at `manifest.yaml:LINE:COL`, before any paper is read.
//!
//! ```yaml
//! defaults:
//!   output-dir: out                 # relative to the manifest; `-o` wins
//!   formats: [pdf, docx]
//!   pdf-standard: a-2a+ua-1
//!   output: "{date}-{slug}"         # output-name pattern; default "{stem}"
//!   period: August 2014             # overrides, for every paper
//!   style: { organisation: Kent County Council }   # under each paper's own style
//! papers:
//!   - paper: ../kcc-2014-scs-dashboard/paper.yaml
//!   - paper: early-help.yaml
//!     output: "{date}-early-help"   # per paper, wins over the defaults
//!     date: 2014-09-25
//! meetings:                         # agenda packs (`committee-paper pack`), after the papers
//!   - meeting: ../meeting/meeting.yaml
//!     output: "{stem}"              # the packs are <name>-public.pdf, -full.pdf, -supplement.pdf
//! ```

use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono::NaiveDate;
use serde::Deserialize;
use serde_saphyr::Spanned;

use super::options::{Formats, PdfStandard};
use super::source::SourceFile;
use super::style::{StyleConfig, resolve_style};
use super::{Located, Overrides, parse_yaml};
use crate::diagnostic::{Diagnostic, did_you_mean};

/// The placeholders an output-name pattern may use, with what they stand for.
pub const PATTERN_KEYS: &[(&str, &str)] = &[
    ("stem", "the paper's own output name (its `output:`, or <date>-<subject slug>)"),
    ("date", "the meeting date, YYYY-MM-DD (after a `date` override)"),
    ("slug", "the subject in lowercase words joined by hyphens"),
    ("committee", "the `to` line in lowercase words joined by hyphens"),
    ("file", "the paper file's name without .yaml"),
    ("folder", "the name of the folder holding the paper file"),
];

/// A manifest as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawManifest {
    #[serde(default)]
    pub defaults: RawDefaults,
    pub papers: Option<Spanned<Vec<Spanned<RawEntry>>>>,
    #[serde(default)]
    pub meetings: Vec<Spanned<RawMeetingEntry>>,
}

/// One meeting of the manifest: its agenda packs are built as `committee-paper pack` builds them.
/// The paper defaults (`formats`, `output`, `date`, `period`, `style`) are the papers' only;
/// `pdf-standard` applies to packs too, under the meeting file's own.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawMeetingEntry {
    pub meeting: Spanned<String>,
    pub output: Option<Spanned<String>>,
    pub pdf_standard: Option<Spanned<String>>,
}

/// Settings for every paper of the manifest.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawDefaults {
    pub output_dir: Option<Spanned<String>>,
    pub formats: Option<Spanned<Vec<Spanned<String>>>>,
    pub pdf_standard: Option<Spanned<String>>,
    pub output: Option<Spanned<String>>,
    pub date: Option<Spanned<String>>,
    pub period: Option<Spanned<String>>,
    /// A house style for every paper; a paper's own `style:` settings win.
    pub style: Option<super::style::RawStyle>,
}

/// One paper of the manifest.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawEntry {
    pub paper: Spanned<String>,
    pub output: Option<Spanned<String>>,
    pub formats: Option<Spanned<Vec<Spanned<String>>>>,
    pub pdf_standard: Option<Spanned<String>>,
    pub date: Option<Spanned<String>>,
    pub period: Option<Spanned<String>>,
}

/// A checked manifest.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// The manifest as given on the command line.
    pub path: PathBuf,
    /// `defaults.output-dir`, resolved against the manifest's folder.
    pub output_dir: Option<PathBuf>,
    /// `defaults.style`: the house style under every paper's own.
    pub style: Option<StyleConfig>,
    pub papers: Vec<ManifestPaper>,
    /// The meetings whose agenda packs to build, numbered after the papers.
    pub meetings: Vec<ManifestMeeting>,
}

/// One meeting to build the packs of.
#[derive(Debug, Clone)]
pub struct ManifestMeeting {
    /// 1-based position in the manifest, counting the papers first.
    pub index: usize,
    /// The meeting path as written in the manifest (for the summary).
    pub meeting_as_written: String,
    /// The meeting path resolved against the manifest's folder.
    pub meeting: PathBuf,
    /// Where the entry's `meeting:` is.
    pub at: String,
    /// The pattern of the packs' stem (the entry's, else `{stem}`): `{stem}` is the meeting file's
    /// own output name, `{slug}` and `{committee}` the committee's slug.
    pub output: Located<String>,
    /// The entry's `pdf-standard`, else the defaults'; `None`: the meeting file's own, else the
    /// default standard.
    pub pdf_standard: Option<PdfStandard>,
}

/// One paper to build, with its settings decided.
#[derive(Debug, Clone)]
pub struct ManifestPaper {
    /// 1-based position in the manifest.
    pub index: usize,
    /// The paper path as written in the manifest (for the summary).
    pub paper_as_written: String,
    /// The paper path resolved against the manifest's folder.
    pub paper: PathBuf,
    /// Where the entry's `paper:` is (`manifest.yaml:9:12`).
    pub at: String,
    /// The output-name pattern (the entry's, else the default's, else `{stem}`).
    pub output: Located<String>,
    pub formats: Formats,
    pub pdf_standard: PdfStandard,
    pub date: Option<NaiveDate>,
    pub period: Option<String>,
}

impl ManifestPaper {
    /// The overrides this entry asks for.
    pub fn overrides(&self) -> Overrides {
        Overrides { date: self.date, period: self.period.clone() }
    }
}

/// Reads and checks a manifest. Paper files are not read here; a missing one is the failure of
/// that paper alone (see [`crate::batch`]).
pub fn load_manifest(path: &Path) -> Result<Manifest> {
    let source = std::fs::read_to_string(path)
        .map_err(|e| Diagnostic::new(path.display().to_string(), format!("cannot read the manifest: {e}")))?;
    let raw: RawManifest = parse_yaml(path, &source)?;
    let r = ManifestResolver(SourceFile::new(path, &source));

    let raw_papers = raw.papers.map(|p| p.value).unwrap_or_default();
    if raw_papers.is_empty() && raw.meetings.is_empty() {
        return Err(Diagnostic::new(r.file.clone(), "the manifest lists no papers and no meetings")
            .with_hint("add `- paper: path/to/paper.yaml` under `papers:` (or `- meeting: …` under `meetings:`)")
            .into());
    }
    let defaults = r.defaults(&raw.defaults)?;
    let style = raw.defaults.style.map(|s| resolve_style(s, path, &source)).transpose()?;
    let mut papers = Vec::new();
    for (i, entry) in raw_papers.into_iter().enumerate() {
        papers.push(r.paper(i + 1, entry.value, &defaults)?);
    }
    let mut meetings = Vec::new();
    for (i, entry) in raw.meetings.into_iter().enumerate() {
        meetings.push(r.meeting(papers.len() + i + 1, entry.value, defaults.given_standard)?);
    }
    Ok(Manifest { path: path.to_path_buf(), output_dir: defaults.output_dir, style, papers, meetings })
}

/// The manifest's `defaults:`, checked (all but `style`).
struct Defaults {
    /// `output-dir`, resolved against the manifest's folder.
    output_dir: Option<PathBuf>,
    formats: Formats,
    /// The `pdf-standard` as given: packs fall back on the meeting file's own without one.
    given_standard: Option<PdfStandard>,
    /// The papers' standard: the given one, else the default standard.
    standard: PdfStandard,
    output: Located<String>,
    date: Option<NaiveDate>,
    period: Option<String>,
}

/// The output-name pattern of an entry that gives none and has no default: its own name.
fn stem_pattern() -> Located<String> {
    Located { value: "{stem}".to_string(), at: String::new(), line: 0 }
}

/// Fills an output-name pattern. `value` answers each placeholder (see [`PATTERN_KEYS`]); the
/// pattern was checked by [`load_manifest`], so unknown names cannot occur.
pub fn expand_pattern(pattern: &str, value: impl Fn(&str) -> String) -> String {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        match rest[open..].find('}') {
            Some(close) => {
                out.push_str(&value(&rest[open + 1..open + close]));
                rest = &rest[open + close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Checks a file name made from a pattern: no folders, not hidden, not empty.
pub fn check_output_name(name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        Err("the output name is empty".to_string())
    } else if name.contains(['/', '\\']) || name.starts_with('.') || name.chars().any(char::is_control) {
        Err(format!("expected a file name without folders for the output, found {name:?}"))
    } else {
        Ok(())
    }
}

/// Resolves the manifest's values against its file.
struct ManifestResolver<'a>(SourceFile<'a>);

impl<'a> std::ops::Deref for ManifestResolver<'a> {
    type Target = SourceFile<'a>;
    fn deref(&self) -> &SourceFile<'a> {
        &self.0
    }
}

impl ManifestResolver<'_> {
    /// Checks `defaults:` but for its `style`, which [`resolve_style`] reads.
    fn defaults(&self, d: &RawDefaults) -> Result<Defaults> {
        let output_dir = d.output_dir.as_ref().map(|o| self.dir.join(&o.value));
        let formats = match &d.formats {
            Some(f) => self.formats(f)?,
            None => Formats::default(),
        };
        let given_standard = d.pdf_standard.as_ref().map(|s| self.standard(s)).transpose()?;
        let output = match &d.output {
            Some(o) => self.pattern(o)?,
            None => stem_pattern(),
        };
        let date = d.date.as_ref().map(|s| self.date(s)).transpose()?;
        let period = d.period.as_ref().map(|s| self.period(s)).transpose()?;
        Ok(Defaults {
            output_dir,
            formats,
            given_standard,
            standard: given_standard.unwrap_or_default(),
            output,
            date,
            period,
        })
    }

    /// One paper entry, numbered `index`: its own settings, else the defaults.
    fn paper(&self, index: usize, e: RawEntry, defaults: &Defaults) -> Result<ManifestPaper> {
        if e.paper.value.trim().is_empty() {
            return Err(self.error(e.paper.referenced, "the paper path is empty").into());
        }
        Ok(ManifestPaper {
            index,
            paper_as_written: e.paper.value.clone(),
            paper: self.dir.join(e.paper.value.trim()),
            at: self.at(e.paper.referenced).0,
            output: match &e.output {
                Some(o) => self.pattern(o)?,
                None => defaults.output.clone(),
            },
            formats: match &e.formats {
                Some(f) => self.formats(f)?,
                None => defaults.formats,
            },
            pdf_standard: match &e.pdf_standard {
                Some(s) => self.standard(s)?,
                None => defaults.standard,
            },
            date: match &e.date {
                Some(s) => Some(self.date(s)?),
                None => defaults.date,
            },
            period: match &e.period {
                Some(s) => Some(self.period(s)?),
                None => defaults.period.clone(),
            },
        })
    }

    /// One meeting entry, numbered `index`: its own pattern and standard, else `{stem}` and the
    /// defaults' `pdf-standard` as given.
    fn meeting(
        &self,
        index: usize,
        e: RawMeetingEntry,
        given_standard: Option<PdfStandard>,
    ) -> Result<ManifestMeeting> {
        if e.meeting.value.trim().is_empty() {
            return Err(self.error(e.meeting.referenced, "the meeting path is empty").into());
        }
        Ok(ManifestMeeting {
            index,
            meeting_as_written: e.meeting.value.clone(),
            meeting: self.dir.join(e.meeting.value.trim()),
            at: self.at(e.meeting.referenced).0,
            output: match &e.output {
                Some(o) => self.pattern(o)?,
                None => stem_pattern(),
            },
            pdf_standard: match &e.pdf_standard {
                Some(s) => Some(self.standard(s)?),
                None => given_standard,
            },
        })
    }

    fn formats(&self, list: &Spanned<Vec<Spanned<String>>>) -> Result<Formats> {
        let mut formats = Formats { pdf: false, docx: false };
        for f in &list.value {
            match f.value.trim().to_lowercase().as_str() {
                "pdf" => formats.pdf = true,
                "docx" => formats.docx = true,
                other => {
                    let mut d = self.error(f.referenced, format!("unknown format {other:?}; expected `pdf` or `docx`"));
                    if let Some(best) = did_you_mean(other, ["pdf", "docx"]) {
                        d = d.with_hint(format!("did you mean `{best}`?"));
                    }
                    return Err(d.into());
                }
            }
        }
        if !formats.pdf && !formats.docx {
            return Err(self
                .error(list.referenced, "`formats` is empty")
                .with_hint("write `formats: [pdf, docx]`")
                .into());
        }
        Ok(formats)
    }

    fn standard(&self, s: &Spanned<String>) -> Result<PdfStandard> {
        PdfStandard::parse(&s.value).ok_or_else(|| {
            self.error(s.referenced, format!("unknown PDF standard {:?}", s.value))
                .with_hint(format!("expected one of {}", PdfStandard::NAMES))
                .into()
        })
    }

    fn date(&self, s: &Spanned<String>) -> Result<NaiveDate> {
        NaiveDate::parse_from_str(s.value.trim(), "%Y-%m-%d").map_err(|_| {
            self.error(s.referenced, format!("expected the meeting date as YYYY-MM-DD, found {:?}", s.value))
                .with_hint("write e.g. `date: 2014-09-25`")
                .into()
        })
    }

    fn period(&self, s: &Spanned<String>) -> Result<String> {
        let text = s.value.trim();
        if text.is_empty() {
            return Err(self.error(s.referenced, "the `period` override is empty").into());
        }
        Ok(text.to_string())
    }

    /// Checks an output-name pattern: known placeholders, balanced braces, no folders.
    fn pattern(&self, s: &Spanned<String>) -> Result<Located<String>> {
        let (at, line) = self.at(s.referenced);
        let text = s.value.trim();
        let mut rest = text;
        while let Some(open) = rest.find(['{', '}']) {
            if rest[open..].starts_with('}') {
                return Err(self.error(s.referenced, format!("unbalanced `}}` in the output pattern {text:?}")).into());
            }
            let Some(close) = rest[open..].find('}') else {
                return Err(self.error(s.referenced, format!("unclosed `{{` in the output pattern {text:?}")).into());
            };
            let key = &rest[open + 1..open + close];
            if !PATTERN_KEYS.iter().any(|(k, _)| *k == key) {
                let keys = PATTERN_KEYS.iter().map(|(k, _)| *k);
                let hint = match did_you_mean(key, keys.clone()) {
                    Some(best) => format!("did you mean `{{{best}}}`?"),
                    None => {
                        format!("placeholders: {}", keys.map(|k| format!("{{{k}}}")).collect::<Vec<_>>().join(", "))
                    }
                };
                return Err(self
                    .error(s.referenced, format!("unknown placeholder `{{{key}}}` in the output pattern"))
                    .with_hint(hint)
                    .into());
            }
            rest = &rest[open + close + 1..];
        }
        // The literal parts alone must already make a valid name.
        let literal = expand_pattern(text, |_| "x".to_string());
        check_output_name(&literal).map_err(|m| self.error(s.referenced, m))?;
        Ok(Located { value: text.to_string(), at, line })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_str(yaml: &str) -> Result<Manifest> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("manifest.yaml");
        std::fs::write(&path, yaml).unwrap();
        let result = load_manifest(&path);
        // Messages name the manifest by its full temporary path; tests compare the tail.
        result.map_err(|e| anyhow::anyhow!(e.to_string().replace(&format!("{}", path.display()), "manifest.yaml")))
    }

    #[test]
    fn defaults_apply_and_entries_win() {
        let m = load_str(
            "defaults:\n  formats: [pdf]\n  output: \"{date}-{slug}\"\n  period: July 2014\npapers:\n  - paper: a.yaml\n  - paper: b/paper.yaml\n    formats: [docx]\n    output: b-{date}\n    date: 2014-09-25\n",
        )
        .unwrap();
        assert_eq!(m.papers.len(), 2);
        assert_eq!(m.papers[0].formats, Formats { pdf: true, docx: false });
        assert_eq!(m.papers[0].output.value, "{date}-{slug}");
        assert_eq!(m.papers[0].period.as_deref(), Some("July 2014"));
        assert_eq!(m.papers[1].formats, Formats { pdf: false, docx: true });
        assert_eq!(m.papers[1].output.value, "b-{date}");
        assert_eq!(m.papers[1].date, NaiveDate::from_ymd_opt(2014, 9, 25));
        assert!(m.papers[1].paper.ends_with("b/paper.yaml"));
        assert_eq!(m.papers[1].index, 2);
        assert!(m.papers[1].at.ends_with("manifest.yaml:7:12"), "{}", m.papers[1].at);
    }

    #[test]
    fn misspelt_key_is_located_with_a_hint() {
        let err = load_str("papers:\n  - paper: a.yaml\n    perod: July 2014\n").unwrap_err().to_string();
        assert!(err.starts_with("manifest.yaml:3:5: unknown field `perod`"), "{err}");
        assert!(err.contains("did you mean `period`?"), "{err}");
    }

    #[test]
    fn unknown_pattern_placeholder_is_located() {
        let err =
            load_str("defaults:\n  output: \"{dat}-{slug}\"\npapers:\n  - paper: a.yaml\n").unwrap_err().to_string();
        assert!(err.starts_with("manifest.yaml:2:11: unknown placeholder `{dat}`"), "{err}");
        assert!(err.contains("did you mean `{date}`?"), "{err}");
    }

    #[test]
    fn patterns_with_folders_or_bad_braces_are_refused() {
        for pattern in ["out/{stem}", "{stem", "stem}", ".{stem}"] {
            let yaml = format!("papers:\n  - paper: a.yaml\n    output: \"{pattern}\"\n");
            let err = load_str(&yaml).unwrap_err().to_string();
            assert!(err.starts_with("manifest.yaml:3:13:"), "{pattern}: {err}");
        }
    }

    #[test]
    fn bad_override_date_and_format_are_located() {
        let err = load_str("papers:\n  - paper: a.yaml\n    date: 25/09/2014\n").unwrap_err().to_string();
        assert!(err.starts_with("manifest.yaml:3:11: expected the meeting date as YYYY-MM-DD"), "{err}");
        let err = load_str("defaults:\n  formats: [pdf, dox]\npapers:\n  - paper: a.yaml\n").unwrap_err().to_string();
        assert!(err.starts_with("manifest.yaml:2:18: unknown format \"dox\""), "{err}");
        assert!(err.contains("did you mean `docx`?"), "{err}");
    }

    #[test]
    fn empty_manifest_is_refused() {
        let err = load_str("papers: []\n").unwrap_err().to_string();
        assert!(err.contains("the manifest lists no papers"), "{err}");
    }

    #[test]
    fn meetings_are_numbered_after_the_papers_and_take_only_the_pdf_standard() {
        let m = load_str(
            "defaults:\n  pdf-standard: a-2b\n  output: \"{date}-{slug}\"\npapers:\n  - paper: a.yaml\nmeetings:\n  - meeting: m/meeting.yaml\n  - meeting: n.yaml\n    pdf-standard: none\n    output: \"{committee}-{date}\"\n",
        )
        .unwrap();
        assert_eq!(m.meetings.len(), 2);
        assert_eq!(m.meetings[0].index, 2);
        assert_eq!(m.meetings[0].output.value, "{stem}", "the papers' default pattern is theirs");
        assert_eq!(m.meetings[0].pdf_standard, Some(PdfStandard::A2b));
        assert_eq!(m.meetings[1].pdf_standard, Some(PdfStandard::None));
        assert!(m.meetings[1].at.ends_with("manifest.yaml:8:14"), "{}", m.meetings[1].at);
        let only_meetings = load_str("meetings:\n  - meeting: m.yaml\n").unwrap();
        assert!(only_meetings.papers.is_empty());
        assert_eq!(only_meetings.meetings[0].pdf_standard, None);
        let err = load_str("meetings:\n  - meeting: m.yaml\n    period: July 2014\n").unwrap_err().to_string();
        assert!(err.starts_with("manifest.yaml:3:5: unknown field `period`"), "{err}");
    }

    #[test]
    fn expand_fills_placeholders() {
        let name = expand_pattern("{date}-{slug}", |k| if k == "date" { "2014-08-28".into() } else { "scs".into() });
        assert_eq!(name, "2014-08-28-scs");
    }
}
