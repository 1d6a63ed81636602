//! Where a YAML file's values were written: the one place that turns a parser location into
//! `paper.yaml:12:5` and an error that shows the offending line. The paper file, its `style:`
//! block and the batch manifest all resolve through it.

use std::path::{Path, PathBuf};

use serde_saphyr::{Location, Spanned};

use super::Located;
use crate::diagnostic::Diagnostic;

/// A YAML file being resolved.
pub struct SourceFile<'a> {
    /// The file's name in messages: the path as given.
    pub file: String,
    /// The folder relative paths in the file are taken from.
    pub dir: PathBuf,
    /// The file's text, for showing the offending line.
    pub text: &'a str,
}

impl<'a> SourceFile<'a> {
    pub fn new(path: &Path, text: &'a str) -> Self {
        SourceFile {
            file: super::display_name(path),
            dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
            text,
        }
    }

    /// `file:LINE:COL` and the 1-based line (just the file, and 0, when the place is unknown).
    pub fn at(&self, location: Location) -> (String, usize) {
        if location.line() == 0 {
            (self.file.clone(), 0)
        } else {
            (format!("{}:{}:{}", self.file, location.line(), location.column()), location.line() as usize)
        }
    }

    /// A value with the place it was written.
    pub fn located<T>(&self, spanned: Spanned<T>) -> Located<T> {
        let (at, line) = self.at(spanned.referenced);
        Located { value: spanned.value, at, line }
    }

    /// An error at a place, showing its line.
    pub fn error(&self, location: Location, message: impl Into<String>) -> Diagnostic {
        let (at, line) = self.at(location);
        Diagnostic::new(at, message).with_source_line(self.text, line)
    }
}
