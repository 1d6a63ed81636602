//! The paper file exactly as written: serde structs that mirror the YAML, with source locations.
//!
//! Unknown keys are rejected here (`deny_unknown_fields`); [`super::load_paper`] resolves these into the
//! checked types the rest of the program uses.

use std::collections::BTreeMap;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_saphyr::Spanned;

/// A paper file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawPaper {
    pub output: Option<Spanned<String>>,
    pub from: Spanned<Vec<RawPerson>>,
    pub to: Spanned<String>,
    pub date: Spanned<String>,
    pub subject: Spanned<String>,
    pub classification: Spanned<String>,
    pub electoral_divisions: Option<Spanned<String>>,
    pub key_decision: Option<Spanned<String>>,
    pub decision_number: Option<Spanned<String>>,
    pub report_author: Option<Spanned<String>>,
    pub header: Option<Vec<Spanned<String>>>,
    pub summary: Option<Spanned<String>>,
    pub recommendation: Option<Spanned<String>>,
    pub recommendations: Option<Vec<Spanned<String>>>,
    pub numbering: Option<Spanned<String>>,
    #[serde(default)]
    pub sections: Vec<RawSection>,
    #[serde(default)]
    pub contacts: Vec<RawContact>,
    #[serde(default)]
    pub background_documents: Vec<Spanned<String>>,
    #[serde(default)]
    pub appendices: Vec<RawAppendix>,
    pub style: Option<super::style::RawStyle>,
}

/// A person in the From field.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawPerson {
    pub name: Spanned<String>,
    pub role: Option<Spanned<String>>,
}

/// A body section.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawSection {
    pub heading: Option<Spanned<String>>,
    pub level: Option<Spanned<u8>>,
    #[serde(default)]
    pub paragraphs: Vec<Spanned<RawParagraph>>,
    pub contacts: Option<Spanned<String>>,
    pub background_documents: Option<Spanned<String>>,
    /// Print the scorecards' exception reports here rather than after their tables.
    pub exceptions: Option<Spanned<bool>>,
}

/// A paragraph: either a plain string (numbered) or a map.
#[derive(Debug)]
pub enum RawParagraph {
    Short(String),
    Full(RawParagraphFull),
}

/// A paragraph written as a map.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawParagraphFull {
    pub text: Spanned<String>,
    pub numbered: Option<bool>,
    #[serde(default)]
    pub list: Vec<Spanned<String>>,
    pub quote: Option<Spanned<String>>,
}

impl<'de> Deserialize<'de> for RawParagraph {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ParagraphVisitor;
        impl<'de> Visitor<'de> for ParagraphVisitor {
            type Value = RawParagraph;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a paragraph: a text, or a map with `text` (and `list`, `quote`, `numbered`)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawParagraph, E> {
                Ok(RawParagraph::Short(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawParagraph, A::Error> {
                RawParagraphFull::deserialize(de::value::MapAccessDeserializer::new(map)).map(RawParagraph::Full)
            }
        }
        deserializer.deserialize_any(ParagraphVisitor)
    }
}

/// A contact.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawContact {
    pub label: Option<Spanned<String>>,
    pub name: Spanned<String>,
    pub title: Option<Spanned<String>>,
    pub phone: Option<Spanned<String>>,
    pub email: Option<Spanned<String>>,
}

/// An appendix.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawAppendix {
    pub title: Spanned<String>,
    pub orientation: Option<Spanned<String>>,
    #[serde(default)]
    pub intro: Vec<Spanned<String>>,
    pub scorecard: Option<RawScorecard>,
    /// The paragraph of Part 1 of Schedule 12A (1–7) under which the appendix is exempt.
    pub exempt: Option<Spanned<u8>>,
    /// The heading that replaces the title in the public version of an exempt appendix.
    pub public_title: Option<Spanned<String>>,
}

/// Where an appendix scorecard comes from and what it shows.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawScorecard {
    pub workbook: Spanned<String>,
    pub sheet: Option<Spanned<String>>,
    pub header_row: Option<Spanned<u32>>,
    pub series_sheet: Option<Spanned<String>>,
    pub period: Option<Spanned<String>>,
    pub columns: Option<Vec<Spanned<String>>>,
    /// Show only the indicators of these sections (and those named in `include`).
    pub sections: Option<Vec<Spanned<String>>>,
    /// Show only these indicators by Ref (and those of the sections in `sections`).
    pub include: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub headers: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    pub labels: BTreeMap<String, Spanned<String>>,
    pub percent_as_fraction: Option<bool>,
    /// Keep the rows and columns hidden in the workbook (left out by default, as Excel hides them).
    pub include_hidden: Option<bool>,
    pub trend_points: Option<Spanned<u32>>,
    /// Which indicators get an exception report: `[red]` or `[red, worsened-amber]`.
    pub exceptions: Option<Spanned<Vec<Spanned<String>>>>,
    /// Ratings whose indicators must have a commentary: `[red]` or `[red, amber]`.
    pub require_commentary: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    pub indicators: BTreeMap<String, Spanned<RawIndicatorSettings>>,
}

/// Per-indicator settings given in the paper file; they win over the workbook.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawIndicatorSettings {
    pub polarity: Option<Spanned<String>>,
    pub unit: Option<Spanned<String>>,
    pub decimals: Option<Spanned<u8>>,
    pub target: Option<Spanned<f64>>,
    pub floor: Option<Spanned<f64>>,
    pub period: Option<Spanned<String>>,
}
