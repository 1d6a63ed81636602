//! Output settings that the command line, a paper file's batch manifest and the library's callers
//! all name: which formats to write and which PDF standard to meet. They live here, at the
//! bottom of the pipeline, so that reading a manifest needs nothing from the renderers.

/// Which files to produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    pub pdf: bool,
    pub docx: bool,
}

impl Default for Formats {
    fn default() -> Self {
        Formats { pdf: true, docx: true }
    }
}

impl Formats {
    /// The file extensions these formats write, in the order they are written.
    pub fn extensions(self) -> impl Iterator<Item = &'static str> {
        [(self.pdf, "pdf"), (self.docx, "docx")].into_iter().filter_map(|(on, ext)| on.then_some(ext))
    }
}

/// The PDF standards a paper can be made to conform to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PdfStandard {
    /// No standard: a plain (still tagged) PDF 1.7.
    None,
    /// PDF/A-2b: archival, visual appearance only.
    A2b,
    /// PDF/A-2a: archival and accessible (tagged).
    A2a,
    /// PDF/UA-1: universal accessibility.
    Ua1,
    /// PDF/A-2a and PDF/UA-1 together: what committee clerks archive.
    #[default]
    A2aUa1,
}

impl PdfStandard {
    /// The names [`PdfStandard::parse`] takes, for messages.
    pub const NAMES: &str = "a-2a+ua-1, a-2a, a-2b, ua-1, none";

    /// Parse a standard's name as written on the command line or in a manifest:
    /// `none`, `a-2b`, `a-2a`, `ua-1`, `a-2a+ua-1` (case-insensitive).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" => Some(Self::None),
            "a-2b" => Some(Self::A2b),
            "a-2a" => Some(Self::A2a),
            "ua-1" => Some(Self::Ua1),
            "a-2a+ua-1" | "ua-1+a-2a" => Some(Self::A2aUa1),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_names_parse() {
        assert_eq!(PdfStandard::parse("none"), Some(PdfStandard::None));
        assert_eq!(PdfStandard::parse("a-2b"), Some(PdfStandard::A2b));
        assert_eq!(PdfStandard::parse("a-2a"), Some(PdfStandard::A2a));
        assert_eq!(PdfStandard::parse("UA-1"), Some(PdfStandard::Ua1));
        assert_eq!(PdfStandard::parse("a-2a+ua-1"), Some(PdfStandard::A2aUa1));
        assert_eq!(PdfStandard::parse("a-4"), None);
        for name in PdfStandard::NAMES.split(", ") {
            assert!(PdfStandard::parse(name).is_some(), "{name}");
        }
    }

    #[test]
    fn extensions_follow_the_formats() {
        assert_eq!(Formats::default().extensions().collect::<Vec<_>>(), ["pdf", "docx"]);
        assert_eq!(Formats { pdf: false, docx: true }.extensions().collect::<Vec<_>>(), ["docx"]);
    }
}
