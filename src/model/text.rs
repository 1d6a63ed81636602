//! Author text to inline content: placeholders filled from the data, then a small Markdown subset.
//!
//! Placeholders are minijinja expressions (`{{ period }}`, `{{ red }}`, `{{ ReportingPeriod }}`)
//! evaluated with strict undefined behaviour, so an unknown name is an error naming the paper-file
//! line — never an empty string in a published paper. The filled text is then read as Markdown for
//! **bold**, *italics* and [links](https://…) only; block syntax (headings, lists, quotes, code)
//! is not interpreted, and a newline in the text is a line break. Workbook text never passes
//! through here: cells reach the renderers as plain strings.

use std::collections::BTreeMap;

use anyhow::Result;
use minijinja::{Environment, UndefinedBehavior, Value};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::config::Located;
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::model::{Inline, Text};

/// The values placeholders can use.
#[derive(Debug, Clone, Default)]
pub struct Placeholders {
    values: BTreeMap<String, String>,
}

impl Placeholders {
    /// Sets a value (later sets of the same name win).
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.values.insert(name.into(), value.into());
    }

    /// The names that can be used.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }

    /// Fills the placeholders of one text.
    pub fn fill(&self, text: &Located<String>) -> Result<String> {
        if !text.value.contains("{{") && !text.value.contains("{%") {
            return Ok(text.value.clone());
        }
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_keep_trailing_newline(true);
        let context: BTreeMap<&str, Value> =
            self.values.iter().map(|(k, v)| (k.as_str(), Value::from(v.as_str()))).collect();
        env.render_str(&text.value, context).map_err(|e| {
            let unknown = unknown_name(&text.value, self);
            let mut message = match &unknown {
                Some(name) => format!("unknown placeholder `{{{{ {name} }}}}`"),
                None => format!("failed to fill placeholders ({})", e.detail().unwrap_or("invalid template syntax")),
            };
            if unknown.is_some() && self.values.is_empty() {
                message.push_str(" (this paper has no scorecard data, so no placeholders are available)");
            }
            let mut d = Diagnostic::new(text.at.clone(), message);
            let hint = match unknown.as_deref().and_then(|n| did_you_mean(n, self.names())) {
                Some(best) => format!("did you mean `{{{{ {best} }}}}`?"),
                None => format!("placeholders available: {}", self.names().collect::<Vec<_>>().join(", ")),
            };
            d = d.with_hint(hint);
            anyhow::Error::new(d)
        })
    }
}

/// The first `{{ name }}` whose name is not a known placeholder.
fn unknown_name(text: &str, known: &Placeholders) -> Option<String> {
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let end = after.find("}}")?;
        let expr = after[..end].trim();
        let name: String = expr.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if !name.is_empty() && !known.values.contains_key(&name) {
            return Some(name);
        }
        rest = &after[end..];
    }
    None
}

/// Parses inline Markdown (bold, italics, links) into inline content.
pub fn inline_markup(text: &str) -> Text {
    let escaped = escape_block_syntax(text);
    let mut out = Vec::new();
    let mut bold = 0usize;
    let mut italic = 0usize;
    let mut links: Vec<String> = Vec::new();
    let mut paragraphs = 0usize;
    let push = |out: &mut Text, s: &str, bold: usize, italic: usize, links: &[String]| {
        if s.is_empty() {
            return;
        }
        let link = links.last().cloned();
        if let Some(Inline::Run { text, bold: b, italic: i, link: l }) = out.last_mut()
            && *b == (bold > 0)
            && *i == (italic > 0)
            && *l == link
        {
            text.push_str(s);
            return;
        }
        out.push(Inline::Run { text: s.to_string(), bold: bold > 0, italic: italic > 0, link });
    };
    for event in Parser::new_ext(&escaped, Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::Paragraph) => {
                if paragraphs > 0 {
                    out.push(Inline::Break);
                }
                paragraphs += 1;
            }
            Event::Start(Tag::Strong) => bold += 1,
            Event::End(TagEnd::Strong) => bold = bold.saturating_sub(1),
            Event::Start(Tag::Emphasis) => italic += 1,
            Event::End(TagEnd::Emphasis) => italic = italic.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => links.push(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                links.pop();
            }
            Event::Text(s) | Event::Code(s) | Event::Html(s) | Event::InlineHtml(s) => {
                push(&mut out, &s, bold, italic, &links)
            }
            Event::SoftBreak | Event::HardBreak => out.push(Inline::Break),
            _ => {}
        }
    }
    out
}

/// Escapes the characters inline Markdown would read (`*x*`, `_x_`, `[x](y)`, `` `x` ``, `<x>`,
/// `&amp;`), for data put into author text by a placeholder, so that it prints as written.
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '[' | ']' | '`' | '<' | '>' | '&' | '~' | '!' | '#') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escapes what Markdown would read as block syntax at the start of a line (`1.`, `- `, `#`, `>`,
/// indentation), so a paragraph such as "2014. A year" or "- 3 cases" prints as written.
fn escape_block_syntax(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, line) in text.trim().split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let line = line.trim_start();
        let first = line.chars().next();
        let digits: String = line.chars().take_while(|c| c.is_ascii_digit()).collect();
        let after_digits = line[digits.len()..].chars().next();
        let needs_escape = match first {
            Some('#' | '>' | '|') => true,
            Some('-' | '+' | '*') => {
                line.chars().nth(1).is_none_or(|c| c == ' ') || line.chars().all(|c| c == '-' || c == ' ')
            }
            Some('=') => line.chars().all(|c| c == '=' || c == ' '),
            Some('`' | '~') => line.starts_with("```") || line.starts_with("~~~"),
            _ => !digits.is_empty() && matches!(after_digits, Some('.' | ')')),
        };
        if needs_escape {
            if digits.is_empty() {
                out.push('\\');
                out.push_str(line);
            } else {
                out.push_str(&digits);
                out.push('\\');
                out.push_str(&line[digits.len()..]);
            }
        } else {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::plain_text;

    fn run(text: &str, bold: bool, italic: bool, link: Option<&str>) -> Inline {
        Inline::Run { text: text.into(), bold, italic, link: link.map(String::from) }
    }

    #[test]
    fn bold_italic_and_links() {
        assert_eq!(
            inline_markup("asked to **NOTE** and *see* [the site](https://kent.gov.uk)"),
            vec![
                run("asked to ", false, false, None),
                run("NOTE", true, false, None),
                run(" and ", false, false, None),
                run("see", false, true, None),
                run(" ", false, false, None),
                run("the site", false, false, Some("https://kent.gov.uk")),
            ]
        );
    }

    #[test]
    fn newlines_are_line_breaks() {
        let t = inline_markup("Members are asked to:\nREVIEW the dashboard.");
        assert_eq!(
            t,
            vec![
                run("Members are asked to:", false, false, None),
                Inline::Break,
                run("REVIEW the dashboard.", false, false, None)
            ]
        );
    }

    #[test]
    fn block_syntax_prints_as_written() {
        for text in [
            "2014. A year",
            "- 3 cases",
            "# not a heading",
            "> not a quote",
            "    indented",
            "1) first",
            "---",
            "* star",
        ] {
            assert_eq!(plain_text(&inline_markup(text)), text.trim_start(), "{text}");
        }
    }

    #[test]
    fn escaped_data_prints_as_written() {
        for text in ["SCS05 Visits *in time* [draft] and_so_on", "R&D &amp; `code` <b> ~x~ \\ #1 !"] {
            assert_eq!(plain_text(&inline_markup(&escape_markup(text))), text, "{text}");
        }
    }

    #[test]
    fn typst_syntax_is_just_text() {
        let text = "#read(\"/etc/passwd\") $x$ <label> @ref";
        assert_eq!(plain_text(&inline_markup(text)), text);
    }

    #[test]
    fn placeholders_fill_and_unknown_ones_fail_with_location() {
        let mut p = Placeholders::default();
        p.set("period", "July 2014");
        p.set("red", "3");
        let text = |s: &str| Located { value: s.to_string(), at: "paper.yaml:7:3".into(), line: 7 };
        assert_eq!(p.fill(&text("results for {{ period }}: {{ red }} red")).unwrap(), "results for July 2014: 3 red");
        let err = p.fill(&text("results for {{ perod }}")).unwrap_err().to_string();
        assert!(err.starts_with("paper.yaml:7:3: unknown placeholder `{{ perod }}`"), "{err}");
        assert!(err.contains("did you mean `{{ period }}`?"), "{err}");
    }
}
