//! Writing outputs: atomically, all files of a paper or none.
//!
//! Each file is first written to a temporary file in the output folder, then every temporary file
//! is renamed over its final name. A failure before the renames leaves the folder as it was, so an
//! earlier good PDF of the same name survives a failed build.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::diagnostic::Diagnostic;

/// A rendered file: its name in the output folder and its contents.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// A file name, or a relative path with `/` (`fonts/DejaVuSans.ttf`): its folder is created.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Writes the files into `dir` (created if missing); returns their paths.
pub fn write_all(dir: &Path, files: &[OutputFile]) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| {
        // Name the culprit when part of the path is a file: `-o report.pdf/out`.
        match dir.ancestors().skip(1).find(|a| a.is_file()) {
            Some(file) => Diagnostic::new(
                dir.display().to_string(),
                format!("cannot create the output folder: {} is a file, not a folder", file.display()),
            ),
            None => Diagnostic::new(dir.display().to_string(), format!("cannot create the output folder ({e})")),
        }
    })?;
    // A folder in the way of a finished file would make its rename fail after the others had
    // replaced their earlier versions: refuse before anything is written.
    for file in files {
        let target = dir.join(&file.name);
        if target.is_dir() {
            return Err(Diagnostic::new(
                target.display().to_string(),
                format!("cannot write {}: a folder of that name is in the way", file.name),
            )
            .into());
        }
    }
    let mut staged = Vec::new();
    for file in files {
        let target = dir.join(&file.name);
        // A file in a subfolder is staged in that folder, so that its rename stays in one place.
        let folder = target.parent().unwrap_or(dir);
        std::fs::create_dir_all(folder).map_err(|e| {
            Diagnostic::new(folder.display().to_string(), format!("cannot create the output folder ({e})"))
        })?;
        let base = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let prefix = format!(".{base}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        // A published paper is readable by others, as a file saved by hand would be
        // (tempfile's default is owner-only).
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
        let mut temp = builder.tempfile_in(folder).map_err(|e| {
            Diagnostic::new(dir.display().to_string(), format!("cannot write in the output folder ({e})"))
        })?;
        // Written through the plain file: its errors are the OS's, without the temporary's name.
        temp.as_file_mut().write_all(&file.bytes).and_then(|_| temp.as_file().sync_all()).map_err(|e| {
            Diagnostic::new(
                dir.join(&file.name).display().to_string(),
                format!("failed to write the file, so it was left as it was ({e})"),
            )
        })?;
        staged.push((temp, target));
    }
    let mut written = Vec::new();
    for (temp, target) in staged {
        temp.persist(&target).map_err(|e| {
            Diagnostic::new(
                target.display().to_string(),
                format!("failed to move the finished file into place ({})", e.error),
            )
        })?;
        written.push(target);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_files_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            OutputFile { name: "a.pdf".into(), bytes: b"%PDF".to_vec() },
            OutputFile { name: "a.docx".into(), bytes: b"PK".to_vec() },
        ];
        let written = write_all(dir.path(), &files).unwrap();
        assert_eq!(written.len(), 2);
        let mut names: Vec<String> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        names.sort();
        assert_eq!(names, ["a.docx", "a.pdf"]);
        assert_eq!(std::fs::read(dir.path().join("a.pdf")).unwrap(), b"%PDF");
    }

    #[test]
    fn files_in_subfolders_get_their_folder() {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            OutputFile { name: "main.typ".into(), bytes: b"= Hi".to_vec() },
            OutputFile { name: "fonts/a.ttf".into(), bytes: b"font".to_vec() },
        ];
        let written = write_all(dir.path(), &files).unwrap();
        assert_eq!(written, [dir.path().join("main.typ"), dir.path().join("fonts/a.ttf")]);
        assert_eq!(std::fs::read(dir.path().join("fonts/a.ttf")).unwrap(), b"font");
        let names: Vec<_> =
            std::fs::read_dir(dir.path().join("fonts")).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["a.ttf"], "no temporary file left behind");
    }
}
