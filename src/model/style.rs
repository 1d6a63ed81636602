//! The house style as the renderers see it: settled values, house defaults filled in.
//!
//! In: the checked [`StyleConfig`] of the paper file. Out: a [`Style`] on the [`super::Paper`].
//! The typst template reads it from `/paper.json` as `style`; the logo's bytes are not in the
//! JSON but served by the PDF renderer as the virtual file named by [`Logo::path`], so the
//! template never sees a path on disk. The page geometry is the style's [`Layout`].

use std::path::PathBuf;

use serde::Serialize;

use super::layout::{Layout, has_arial_metrics};
use crate::config::Numbering;
use crate::config::style::StyleConfig;
pub use crate::config::style::{LogoFormat, PaperSize};
pub use crate::config::word_template::WordTemplate;
use crate::scorecard::{Direction, Rag};

/// The house font: what council style guides ask for (Arial 12).
pub const HOUSE_FONT: &str = "Arial";

/// The faces the PDF embeds, in the order it falls back on them: Liberation Sans, which has
/// Arial's metrics (so the PDF breaks lines and pages where the DOCX does), then DejaVu Sans for
/// the characters Liberation lacks (other scripts, symbols).
pub const EMBEDDED_FONTS: [&str; 2] = ["Liberation Sans", "DejaVu Sans"];

/// Families the PDF cannot embed, each with the embedded face of the same metrics that it sets
/// instead, without a warning.
const METRIC_TWINS: [(&str, &str); 1] = [("Arial", "Liberation Sans")];

/// The house style of a paper.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Style {
    /// The organisation, printed at the top of the first page; `None` prints nothing.
    pub organisation: Option<String>,
    /// The logo, printed at the top of the first page.
    pub logo: Option<Logo>,
    /// The font family the paper is set in, as the DOCX names it: the paper's own, or the house
    /// font (Arial).
    pub font: String,
    /// Whether the paper file names the font; a council's Word template keeps its own fonts
    /// unless it does.
    #[serde(skip)]
    pub font_named: bool,
    /// The families the PDF asks for, in order: the paper's font, or the embedded face with its
    /// metrics (Liberation Sans for Arial), then the embedded faces. The PDF warns when the first
    /// is not available.
    pub pdf_fonts: Vec<String>,
    /// Fill and text colours of RAG cells.
    pub colours: RagColours,
    /// Colours of the direction arrows: the house green and red, and a neutral grey.
    pub arrows: ArrowColours,
    /// Colours of the scorecard table's header row, section rows and rules.
    pub table: TableColours,
    /// The colour of trend lines.
    pub trend: String,
    /// The colour of links.
    pub link: String,
    pub paper_size: PaperSize,
    /// Sizes, margins, spacing and indents: the same numbers for both renderers.
    pub layout: Layout,
    /// Extra font folders for the PDF (not part of the template's data).
    #[serde(skip)]
    pub font_dirs: Vec<PathBuf>,
    /// A custom typst template named by the paper file (not part of the template's data).
    #[serde(skip)]
    pub template: Option<PathBuf>,
    /// The council's Word template for the DOCX (not part of the typst template's data).
    #[serde(skip)]
    pub word_template: Option<WordTemplate>,
}

/// A logo: its bytes (served to typst as a virtual file, embedded in the DOCX) and what a
/// screen reader says for it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Logo {
    #[serde(skip)]
    pub bytes: Vec<u8>,
    pub format: LogoFormat,
    /// The virtual path the template reads it from: `/logo.png` or `/logo.svg`.
    pub path: String,
    /// Size in pixels (an SVG's view box), for the aspect ratio.
    pub width: u32,
    pub height: u32,
    pub alt: String,
}

/// Colours of the four RAG ratings.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RagColours {
    pub green: Colours,
    pub amber: Colours,
    pub red: Colours,
    pub na: Colours,
}

/// A fill and the text colour that reads best on it, six hex digits each.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Colours {
    pub fill: String,
    pub text: String,
}

/// Colours of the direction-of-travel arrows, six hex digits each.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ArrowColours {
    /// Improved: the house green.
    pub improved: String,
    /// Worsened: the house red.
    pub worsened: String,
    /// No change, increased, decreased (activity indicators): neither good nor bad.
    pub neutral: String,
}

/// Colours of the scorecard table.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TableColours {
    /// The header row: white on dark blue (contrast 8.6:1).
    pub header: Colours,
    /// Section rows: a light tint of the header colour, dark text.
    pub group: Colours,
    /// The lines between cells: a mid grey.
    pub rules: String,
}

impl Default for TableColours {
    fn default() -> Self {
        TableColours {
            header: Colours { fill: "1F3864".into(), text: "FFFFFF".into() },
            group: Colours { fill: "D9E2F3".into(), text: "0B0C0C".into() },
            rules: "8A8D8F".into(),
        }
    }
}

/// Neither better nor worse: GOV.UK's secondary text grey.
const NEUTRAL: &str = "505A5F";
/// Trend lines: GOV.UK blue.
const TREND: &str = "1D70B8";
/// Links: Word's own hyperlink blue.
const LINK: &str = "0563C1";

impl Default for RagColours {
    /// GOV.UK design system colours: strong enough to tell apart for most colour-blind readers
    /// (and the word is always printed too), each with a text colour of at least 4.5:1.
    fn default() -> Self {
        RagColours {
            green: Colours::on("00703C"),
            amber: Colours::on("FFBF00"),
            red: Colours::on("D4351C"),
            na: Colours::on("B1B4B6"),
        }
    }
}

impl RagColours {
    /// The colours of a rating; `None` for an unrated (activity) indicator, which is not
    /// coloured.
    pub fn of(&self, rag: Rag) -> Option<&Colours> {
        match rag {
            Rag::Green => Some(&self.green),
            Rag::Amber => Some(&self.amber),
            Rag::Red => Some(&self.red),
            Rag::Na => Some(&self.na),
            Rag::None => None,
        }
    }
}

impl ArrowColours {
    /// The colour of a direction's arrow.
    pub fn of(&self, direction: Direction) -> &str {
        match direction {
            Direction::Improved => &self.improved,
            Direction::Worsened => &self.worsened,
            _ => &self.neutral,
        }
    }
}

impl Colours {
    /// A fill with white or near-black text, whichever contrasts more (WCAG 2 contrast ratio).
    pub fn on(fill: &str) -> Self {
        let luminance = relative_luminance(fill);
        let with_white = 1.05 / (luminance + 0.05);
        let with_black = (luminance + 0.05) / (0.0 + 0.05);
        let text = if with_white >= with_black { "FFFFFF" } else { "0B0C0C" };
        Colours { fill: fill.to_owned(), text: text.to_owned() }
    }
}

/// WCAG 2 relative luminance of a six-hex-digit colour (0 when it is not one).
fn relative_luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let value = hex.get(i..i + 2).and_then(|c| u8::from_str_radix(c, 16).ok()).unwrap_or(0);
        let c = f64::from(value) / 255.0;
        if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
}

impl Default for Style {
    /// The house style with nothing set by the paper, for the default header rows and running
    /// paragraph numbers.
    fn default() -> Self {
        Style::from_config(
            &StyleConfig::default(),
            ["From", "To", "Date", "Subject", "Classification"],
            Numbering::Running,
        )
    }
}

/// The families the PDF asks for when a paper names `font`.
fn pdf_fonts(font: &str) -> Vec<String> {
    let first = METRIC_TWINS.iter().find(|(named, _)| named.eq_ignore_ascii_case(font)).map_or(font, |(_, twin)| twin);
    let mut fonts = vec![first.to_owned()];
    fonts.extend(EMBEDDED_FONTS.iter().filter(|f| !f.eq_ignore_ascii_case(first)).map(|f| f.to_string()));
    fonts
}

impl Style {
    /// The style of a paper: what the paper file says, house defaults for the rest, and the
    /// layout for its header labels (the label column fits the widest) and numbering scheme.
    pub fn from_config<'a>(
        config: &StyleConfig,
        header_labels: impl IntoIterator<Item = &'a str>,
        numbering: Numbering,
    ) -> Style {
        let defaults = RagColours::default();
        let colour = |set: &Option<String>, default: Colours| set.as_deref().map_or(default, Colours::on);
        let colours = RagColours {
            green: colour(&config.colours.green, defaults.green),
            amber: colour(&config.colours.amber, defaults.amber),
            red: colour(&config.colours.red, defaults.red),
            na: colour(&config.colours.na, defaults.na),
        };
        let font = config.font.clone().unwrap_or_else(|| HOUSE_FONT.to_owned());
        Style {
            organisation: config.organisation.clone(),
            logo: config.logo.as_ref().map(|logo| Logo {
                bytes: logo.bytes.clone(),
                format: logo.format,
                path: match logo.format {
                    LogoFormat::Png => "/logo.png".into(),
                    LogoFormat::Svg => "/logo.svg".into(),
                },
                width: logo.width,
                height: logo.height,
                alt: logo.alt.clone(),
            }),
            font: font.clone(),
            font_named: config.font.is_some(),
            pdf_fonts: pdf_fonts(&font),
            colours: colours.clone(),
            arrows: ArrowColours {
                improved: colours.green.fill.clone(),
                worsened: colours.red.fill.clone(),
                neutral: NEUTRAL.into(),
            },
            table: TableColours::default(),
            trend: TREND.into(),
            link: LINK.into(),
            paper_size: config.paper_size.unwrap_or_default(),
            layout: Layout::new(header_labels.into_iter(), numbering, has_arial_metrics(&font)),
            font_dirs: config.font_dirs.clone(),
            template: config.template.clone(),
            word_template: config.word_template.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_colour_follows_the_fill() {
        assert_eq!(Colours::on("00703C").text, "FFFFFF");
        assert_eq!(Colours::on("FFBF00").text, "0B0C0C");
        assert_eq!(Colours::on("D4351C").text, "FFFFFF");
        assert_eq!(Colours::on("B1B4B6").text, "0B0C0C");
        assert_eq!(Colours::on("FFFFFF").text, "0B0C0C");
    }

    #[test]
    fn defaults_fill_what_the_paper_leaves_out() {
        let mut config = StyleConfig::default();
        config.colours.red = Some("AA0000".into());
        let style = Style::from_config(&config, ["From"], Numbering::Running);
        assert_eq!(style.colours.red.fill, "AA0000");
        assert_eq!(style.colours.green.fill, "00703C");
        assert_eq!(style.paper_size, PaperSize::A4);
        assert_eq!(style.font, "Arial");
    }

    #[test]
    fn arial_is_set_in_its_metric_twin_and_other_fonts_fall_back_on_it() {
        assert_eq!(pdf_fonts("Arial"), ["Liberation Sans", "DejaVu Sans"]);
        assert_eq!(pdf_fonts("arial"), ["Liberation Sans", "DejaVu Sans"]);
        assert_eq!(pdf_fonts("DejaVu Sans"), ["DejaVu Sans", "Liberation Sans"]);
        assert_eq!(pdf_fonts("Verdana"), ["Verdana", "Liberation Sans", "DejaVu Sans"]);
        assert!(has_arial_metrics("Arial") && has_arial_metrics("Liberation Sans"));
        assert!(!has_arial_metrics("Verdana"));
    }
}
