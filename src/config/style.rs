//! House style: the `style:` block of a paper file (and, later, of a batch manifest's defaults).
//!
//! In: a [`RawStyle`] as written, deserialisable on its own so a manifest can carry one as
//! defaults. Out: a checked [`StyleConfig`] whose paths are absolute, whose logo has been read and
//! decoded (a bad path or unreadable bytes is a located error here, never a panic in a renderer)
//! and whose colours are six hex digits. Every field stays optional so that a paper's style can
//! be laid over a manifest's defaults with [`StyleConfig::over`]; the document model fills in the
//! house defaults.

use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::Deserialize;
use serde_saphyr::{Location, Spanned};

use super::source::SourceFile;
use super::word_template::WordTemplate;
use crate::diagnostic::did_you_mean;

/// The `style:` block as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawStyle {
    /// Printed at the top of the first page.
    pub organisation: Option<Spanned<String>>,
    /// A PNG or SVG file, relative to the file the style is written in.
    pub logo: Option<Spanned<String>>,
    /// The logo's alternative text; required when a logo is given.
    pub logo_alt: Option<Spanned<String>>,
    /// A font family name, e.g. `Arial`.
    pub font: Option<Spanned<String>>,
    /// Extra folders of `.ttf` / `.otf` files for the PDF.
    #[serde(default)]
    pub font_dirs: Vec<Spanned<String>>,
    /// RAG fill colours, six hex digits each.
    pub colours: Option<RawColours>,
    /// `a4` or `letter`.
    pub paper_size: Option<Spanned<String>>,
    /// A custom typst template for the PDF.
    pub template: Option<Spanned<String>>,
    /// A Word template (`.dotx` or `.docx`) whose styles, page setup, headers and footers the
    /// DOCX takes.
    pub word_template: Option<Spanned<String>>,
}

/// RAG colours as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawColours {
    pub green: Option<Spanned<String>>,
    pub amber: Option<Spanned<String>>,
    pub red: Option<Spanned<String>>,
    pub na: Option<Spanned<String>>,
}

/// A checked house style. `None` everywhere means "the house default".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StyleConfig {
    pub organisation: Option<String>,
    pub logo: Option<LogoConfig>,
    pub font: Option<String>,
    /// Absolute font folders.
    pub font_dirs: Vec<PathBuf>,
    pub colours: ColourConfig,
    pub paper_size: Option<PaperSize>,
    /// The absolute path of a custom typst template.
    pub template: Option<PathBuf>,
    /// The Word template for the DOCX, read and checked.
    pub word_template: Option<WordTemplate>,
}

/// RAG fill colours, each six upper-case hex digits without `#`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ColourConfig {
    pub green: Option<String>,
    pub amber: Option<String>,
    pub red: Option<String>,
    pub na: Option<String>,
}

/// A logo read from disk and checked to decode.
#[derive(Debug, Clone, PartialEq)]
pub struct LogoConfig {
    /// Where it was read from (for messages).
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    pub format: LogoFormat,
    /// Its size in pixels (for an SVG, its view box), for the aspect ratio.
    pub width: u32,
    pub height: u32,
    pub alt: String,
}

/// Image formats a logo may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LogoFormat {
    Png,
    Svg,
}

/// Paper sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PaperSize {
    #[default]
    A4,
    Letter,
}

impl StyleConfig {
    /// This style laid over `defaults`: every field set here wins, the rest comes from
    /// `defaults` (a batch manifest's style under a paper's own).
    pub fn over(self, defaults: &StyleConfig) -> StyleConfig {
        let c = self.colours;
        let d = &defaults.colours;
        StyleConfig {
            organisation: self.organisation.or_else(|| defaults.organisation.clone()),
            logo: self.logo.or_else(|| defaults.logo.clone()),
            font: self.font.or_else(|| defaults.font.clone()),
            font_dirs: if self.font_dirs.is_empty() { defaults.font_dirs.clone() } else { self.font_dirs },
            colours: ColourConfig {
                green: c.green.or_else(|| d.green.clone()),
                amber: c.amber.or_else(|| d.amber.clone()),
                red: c.red.or_else(|| d.red.clone()),
                na: c.na.or_else(|| d.na.clone()),
            },
            paper_size: self.paper_size.or(defaults.paper_size),
            template: self.template.or_else(|| defaults.template.clone()),
            word_template: self.word_template.or_else(|| defaults.word_template.clone()),
        }
    }
}

/// Checks a `style:` block written in `file` (whose text is `source`); relative paths are
/// resolved against `file`'s folder.
pub fn resolve_style(raw: RawStyle, file: &Path, source: &str) -> Result<StyleConfig> {
    let ctx = Context(SourceFile::new(file, source));
    let logo = ctx.logo_setting(raw.logo, raw.logo_alt)?;
    let font = match raw.font {
        Some(f) if f.value.trim().is_empty() => return Err(ctx.error(f.referenced, "`font` is empty", None)),
        Some(f) => Some(f.value.trim().to_owned()),
        None => None,
    };
    let font_dirs = raw.font_dirs.into_iter().map(|dir| ctx.font_dir(dir)).collect::<Result<_>>()?;
    let colours = match raw.colours {
        None => ColourConfig::default(),
        Some(c) => ColourConfig {
            green: c.green.map(|v| ctx.colour(v)).transpose()?,
            amber: c.amber.map(|v| ctx.colour(v)).transpose()?,
            red: c.red.map(|v| ctx.colour(v)).transpose()?,
            na: c.na.map(|v| ctx.colour(v)).transpose()?,
        },
    };
    let paper_size = match raw.paper_size {
        None => None,
        Some(size) => Some(match size.value.trim().to_ascii_lowercase().as_str() {
            "a4" => PaperSize::A4,
            "letter" | "us-letter" => PaperSize::Letter,
            other => {
                let hint = did_you_mean(other, ["a4", "letter"]).map(|best| format!("did you mean `{best}`?"));
                let message = format!("expected `a4` or `letter` for `paper-size`, found {:?}", size.value);
                return Err(ctx.error(size.referenced, message, hint.as_deref()));
            }
        }),
    };
    let template = match raw.template {
        None => None,
        Some(t) => {
            let path = ctx.0.dir.join(&t.value);
            if !path.is_file() {
                let message = format!("template {:?} not found (looked for {})", t.value, path.display());
                return Err(ctx.error(
                    t.referenced,
                    message,
                    Some("the template path is relative to the file it is written in"),
                ));
            }
            Some(path)
        }
    };
    let word_template = raw.word_template.map(|t| ctx.word_template(t)).transpose()?;
    Ok(StyleConfig {
        organisation: raw.organisation.map(|o| o.value.trim().to_owned()).filter(|o| !o.is_empty()),
        logo,
        font,
        font_dirs,
        colours,
        paper_size,
        template,
        word_template,
    })
}

const ALT_HINT: &str = "e.g. `logo-alt: Kent County Council logo`";

/// Where a style was written, for resolving paths and locating errors.
struct Context<'a>(SourceFile<'a>);

impl Context<'_> {
    /// `logo:` with its required `logo-alt:`.
    fn logo_setting(&self, logo: Option<Spanned<String>>, alt: Option<Spanned<String>>) -> Result<Option<LogoConfig>> {
        let Some(path) = logo else {
            if let Some(alt) = alt {
                return Err(self.error(alt.referenced, "`logo-alt` is given but there is no `logo`", None));
            }
            return Ok(None);
        };
        let alt = match alt {
            Some(alt) if !alt.value.trim().is_empty() => alt.value.trim().to_owned(),
            Some(alt) => return Err(self.error(alt.referenced, "`logo-alt` is empty", Some(ALT_HINT))),
            None => {
                return Err(self.error(
                    path.referenced,
                    "a logo needs `logo-alt`, its text for screen readers",
                    Some(ALT_HINT),
                ));
            }
        };
        self.logo(path, alt).map(Some)
    }

    /// A `font-dirs:` entry: a folder, relative to the file.
    fn font_dir(&self, dir: Spanned<String>) -> Result<PathBuf> {
        let path = self.0.dir.join(&dir.value);
        if !path.is_dir() {
            let message = format!("font folder {:?} not found (looked for {})", dir.value, path.display());
            return Err(self.error(
                dir.referenced,
                message,
                Some("font folders are relative to the file they are written in"),
            ));
        }
        Ok(path)
    }

    fn error(&self, location: Location, message: impl Into<String>, hint: Option<&str>) -> anyhow::Error {
        let mut diagnostic = self.0.error(location, message);
        if let Some(hint) = hint {
            diagnostic = diagnostic.with_hint(hint);
        }
        anyhow::Error::new(diagnostic)
    }

    fn colour(&self, value: Spanned<String>) -> Result<String> {
        let hex = value.value.trim().trim_start_matches('#');
        if hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Ok(hex.to_ascii_uppercase());
        }
        let message = format!("expected a colour as six hex digits such as \"00703C\", found {:?}", value.value);
        Err(self.error(value.referenced, message, Some("quote it in YAML: `green: \"00703C\"`")))
    }

    fn word_template(&self, path: Spanned<String>) -> Result<WordTemplate> {
        let full = self.0.dir.join(&path.value);
        let bytes = std::fs::read(&full).map_err(|err| {
            let message = if err.kind() == std::io::ErrorKind::NotFound {
                format!("word template {:?} not found (looked for {})", path.value, full.display())
            } else {
                format!("failed to read word template {:?} ({err})", path.value)
            };
            self.error(path.referenced, message, Some("the template path is relative to the file it is written in"))
        })?;
        WordTemplate::from_bytes(&full, &bytes).map_err(|why| {
            self.error(
                path.referenced,
                format!("word template {:?} is not a Word document or template: {why}", path.value),
                Some("give a .dotx or .docx file saved by Word or LibreOffice"),
            )
        })
    }

    fn logo(&self, path: Spanned<String>, alt: String) -> Result<LogoConfig> {
        let full = self.0.dir.join(&path.value);
        let bytes = std::fs::read(&full).map_err(|err| {
            let message = if err.kind() == std::io::ErrorKind::NotFound {
                format!("logo {:?} not found (looked for {})", path.value, full.display())
            } else {
                format!("failed to read logo {:?} ({err})", path.value)
            };
            self.error(path.referenced, message, Some("the logo path is relative to the file it is written in"))
        })?;
        let (format, width, height) = decode_logo(&bytes).map_err(|why| {
            self.error(
                path.referenced,
                format!("logo {:?} is not a readable image ({why})", path.value),
                Some("give a PNG or SVG file"),
            )
        })?;
        Ok(LogoConfig { path: full, bytes, format, width, height, alt })
    }
}

/// Checks that logo bytes are a PNG or SVG that decodes; returns the format and size.
pub fn decode_logo(bytes: &[u8]) -> std::result::Result<(LogoFormat, u32, u32), String> {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
    if bytes.starts_with(PNG) {
        // Decode every pixel: docx-rs and typst would otherwise meet a broken file later.
        let image = image::load_from_memory_with_format(bytes, image::ImageFormat::Png).map_err(|e| e.to_string())?;
        if image.width() == 0 || image.height() == 0 {
            return Err("the image is empty".into());
        }
        return Ok((LogoFormat::Png, image.width(), image.height()));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| "neither PNG nor SVG".to_string())?;
    if !text.contains("<svg") {
        return Err("neither PNG nor SVG".into());
    }
    let tree = resvg::usvg::Tree::from_str(text, &resvg::usvg::Options::default()).map_err(|e| e.to_string())?;
    let size = tree.size();
    let (width, height) = (size.width().ceil() as u32, size.height().ceil() as u32);
    if width == 0 || height == 0 {
        return Err("the drawing is empty".into());
    }
    Ok((LogoFormat::Svg, width, height))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(yaml: &str, dir: &Path) -> Result<StyleConfig> {
        let raw: RawStyle = crate::config::parse_yaml(Path::new("style.yaml"), yaml)?;
        resolve_style(raw, &dir.join("paper.yaml"), yaml)
    }

    fn png() -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        image::RgbaImage::from_pixel(4, 2, image::Rgba([0, 0, 0, 255]))
            .write_to(&mut out, image::ImageFormat::Png)
            .unwrap();
        out.into_inner()
    }

    #[test]
    fn full_style_resolves() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("logo.png"), png()).unwrap();
        std::fs::create_dir(dir.path().join("fonts")).unwrap();
        let yaml = "organisation: Kent County Council\nlogo: logo.png\nlogo-alt: KCC logo\nfont: Arial\nfont-dirs: [fonts]\ncolours: { green: \"#00703c\", red: D4351C }\npaper-size: Letter\n";
        let style = resolve(yaml, dir.path()).unwrap();
        assert_eq!(style.organisation.as_deref(), Some("Kent County Council"));
        let logo = style.logo.unwrap();
        assert_eq!((logo.format, logo.width, logo.height, logo.alt.as_str()), (LogoFormat::Png, 4, 2, "KCC logo"));
        assert_eq!(style.colours.green.as_deref(), Some("00703C"));
        assert_eq!(style.colours.amber, None);
        assert_eq!(style.paper_size, Some(PaperSize::Letter));
        assert_eq!(style.font_dirs, vec![dir.path().join("fonts")]);
    }

    #[test]
    fn missing_logo_is_located() {
        let dir = tempfile::tempdir().unwrap();
        let err = resolve("logo: nope.png\nlogo-alt: x\n", dir.path()).unwrap_err().to_string();
        assert!(err.contains("paper.yaml:1:7: logo \"nope.png\" not found (looked for "), "{err}");
    }

    #[test]
    fn unreadable_logo_is_located_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let mut broken = png();
        broken.truncate(30);
        std::fs::write(dir.path().join("broken.png"), broken).unwrap();
        std::fs::write(dir.path().join("logo.jpg"), b"\xff\xd8\xff\xe0 not really").unwrap();
        std::fs::write(dir.path().join("bad.svg"), "<svg xmlns='http://www.w3.org/2000/svg'").unwrap();
        for name in ["broken.png", "logo.jpg", "bad.svg"] {
            let err = resolve(&format!("logo: {name}\nlogo-alt: x\n"), dir.path()).unwrap_err().to_string();
            assert!(err.contains(&format!("paper.yaml:1:7: logo \"{name}\" is not a readable image")), "{err}");
        }
    }

    #[test]
    fn svg_logo_and_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let svg = "<svg xmlns='http://www.w3.org/2000/svg' width='40' height='10'><rect width='40' height='10'/></svg>";
        std::fs::write(dir.path().join("logo.svg"), svg).unwrap();
        let logo = resolve("logo: logo.svg\nlogo-alt: x\n", dir.path()).unwrap().logo.unwrap();
        assert_eq!((logo.format, logo.width, logo.height), (LogoFormat::Svg, 40, 10));
    }

    #[test]
    fn logo_needs_alt_text_and_colours_need_six_hex_digits() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("logo.png"), png()).unwrap();
        let err = resolve("logo: logo.png\n", dir.path()).unwrap_err().to_string();
        assert!(err.contains("paper.yaml:1:7: a logo needs `logo-alt`"), "{err}");
        let err = resolve("colours: { amber: FFBF0 }\n", dir.path()).unwrap_err().to_string();
        assert!(err.contains("paper.yaml:1:19: expected a colour as six hex digits"), "{err}");
        let err = resolve("paper-size: a5\n", dir.path()).unwrap_err().to_string();
        assert!(err.contains("expected `a4` or `letter`"), "{err}");
    }

    #[test]
    fn a_paper_style_wins_over_defaults() {
        let defaults = StyleConfig {
            organisation: Some("KCC".into()),
            font: Some("Arial".into()),
            colours: ColourConfig { red: Some("FF0000".into()), ..Default::default() },
            ..Default::default()
        };
        let paper = StyleConfig { font: Some("Verdana".into()), ..Default::default() };
        let merged = paper.over(&defaults);
        assert_eq!(merged.organisation.as_deref(), Some("KCC"));
        assert_eq!(merged.font.as_deref(), Some("Verdana"));
        assert_eq!(merged.colours.red.as_deref(), Some("FF0000"));
    }
}
