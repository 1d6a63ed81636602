//! Errors a report author can act on: where (`paper.yaml:12:5`, `scores.xlsx › Scorecard!D14`),
//! what was expected and what was found, and a hint when there is an obvious fix.
//!
//! Every stage returns `anyhow::Result`; the errors that concern the inputs are [`Diagnostic`]s, so
//! the command line prints them as `error: <where>: <what>` followed by the hint. A [`Warning`] is
//! the same thing for a problem that does not stop the paper: stages return warnings with their
//! results, and only the command line prints them (`warning: …`), once.

use std::fmt;

/// A located problem with the inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Where: `paper.yaml:12:5`, `scores.xlsx › Scorecard!D14`, or a file path.
    pub location: String,
    /// What was expected and what was found.
    pub message: String,
    /// The offending source line, when there is one to show.
    pub snippet: Option<String>,
    /// How to fix it, when that is clear.
    pub hint: Option<String>,
    /// The paper file line that led here, for a problem found in a workbook the paper file
    /// chose: (`paper.yaml:12:14`, `sheet: Scorecard`).
    pub chosen_at: Option<(String, String)>,
}

impl Diagnostic {
    /// A problem at a place.
    pub fn new(location: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { location: location.into(), message: message.into(), snippet: None, hint: None, chosen_at: None }
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds "did you mean `best`?" when `word` is a likely typo of one of `candidates`; otherwise,
    /// when `list` names them (`"columns"`), lists the candidates as `columns: a, b, c`.
    pub fn with_suggestion(self, word: &str, candidates: &[&str], list: Option<&str>) -> Self {
        match (did_you_mean(word, candidates.iter().copied()), list) {
            (Some(best), _) => self.with_hint(format!("did you mean `{best}`?")),
            (None, Some(label)) => self.with_hint(format!("{label}: {}", candidates.join(", "))),
            (None, None) => self,
        }
    }

    /// Adds the source line that holds the problem (`line` is 1-based).
    pub fn with_source_line(mut self, source: &str, line: usize) -> Self {
        if let Some(text) = line.checked_sub(1).and_then(|i| source.lines().nth(i)) {
            self.snippet = Some(format!("{line:>4} | {text}"));
        }
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.location.is_empty() {
            write!(f, "{}", self.message)?;
        } else {
            write!(f, "{}: {}", self.location, self.message)?;
        }
        if let Some(snippet) = &self.snippet {
            write!(f, "\n{snippet}")?;
        }
        if let Some((at, what)) = &self.chosen_at {
            write!(f, "\n  chosen at {at}: {what}")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// A problem that does not stop the paper (a font the PDF cannot use, a value computed rather
/// than read): located and hinted like an error, returned as data beside the result.
pub type Warning = Diagnostic;
/// Adds to a workbook error the paper file line that chose the workbook or sheet (`at`, and
/// `what` as written there), unless the error already points at the paper file or names a
/// line already. Errors that are not [`Diagnostic`]s pass unchanged.
pub fn chosen_at(err: anyhow::Error, at: &str, what: &str) -> anyhow::Error {
    if at.is_empty() {
        return err;
    }
    match err.downcast::<Diagnostic>() {
        Ok(mut d) => {
            if d.chosen_at.is_none() && d.location != at {
                d.chosen_at = Some((at.to_string(), what.to_string()));
            }
            d.into()
        }
        Err(err) => err,
    }
}

/// The closest candidate to `word` (ignoring case), if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&word, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_key_probably_meant() {
        let keys = ["numbered", "text", "list", "quote"];
        assert_eq!(did_you_mean("numbred", keys), Some("numbered"));
        assert_eq!(did_you_mean("Quote", keys), Some("quote"));
        assert_eq!(did_you_mean("zzzz", keys), None);
    }

    #[test]
    fn display_puts_location_first_and_hint_last() {
        let d = Diagnostic::new("paper.yaml:2:1", "unknown field `subjekt`")
            .with_source_line("subject: x\nsubjekt: y\n", 2)
            .with_hint("did you mean `subject`?");
        assert_eq!(
            d.to_string(),
            "paper.yaml:2:1: unknown field `subjekt`\n   2 | subjekt: y\n  hint: did you mean `subject`?"
        );
    }

    #[test]
    fn a_workbook_error_names_the_line_that_chose_the_sheet() {
        let err =
            anyhow::Error::new(Diagnostic::new("book.xlsx", "sheet \"Scorecrd\" not found").with_hint("did you mean?"));
        let err = chosen_at(err, "paper.yaml:12:14", "sheet: Scorecrd");
        assert_eq!(
            err.to_string(),
            "book.xlsx: sheet \"Scorecrd\" not found\n  chosen at paper.yaml:12:14: sheet: Scorecrd\n  hint: did you mean?"
        );
        // Once only, and never pointing at itself.
        let twice = chosen_at(err, "paper.yaml:9:5", "workbook: book.xlsx");
        assert!(twice.to_string().contains("chosen at paper.yaml:12:14") && !twice.to_string().contains(":9:5"));
        let own = chosen_at(Diagnostic::new("paper.yaml:3:1", "x").into(), "paper.yaml:3:1", "period: X");
        assert_eq!(own.to_string(), "paper.yaml:3:1: x");
    }
}
