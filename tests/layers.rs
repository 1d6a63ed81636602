//! The modules depend one way (DESIGN.md §7): `diagnostic` ← `config` ← `ingest` ← `scorecard` ←
//! `model` ← `render` ← `batch`/`lib` ← `main`. A lower module that needs a type from a higher
//! one is a sign that the type lives in the wrong place; this test fails when that happens, so
//! the layering stays what `src/lib.rs` says it is.
//!
//! It reads the sources: every path through `crate::` (or `super::` that climbs to the crate
//! root) in code — not in comments, not in `#[cfg(test)]` modules, which may use any layer to
//! build their cases — must name a module of the same layer or a lower one.

use std::path::{Path, PathBuf};

/// The layers, lowest first. Everything in the crate root (`lib.rs` and the modules not listed)
/// is the command layer, just under `main`.
const LAYERS: &[&[&str]] = &[&["diagnostic"], &["config"], &["ingest"], &["scorecard"], &["model"], &["render"]];
const COMMAND_LAYER: usize = LAYERS.len();

fn layer_of_module(module: &str) -> usize {
    LAYERS.iter().position(|layer| layer.contains(&module)).unwrap_or(COMMAND_LAYER)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without comments and without its `#[cfg(test)]` items.
fn code_of(source: &str) -> String {
    let mut code = String::new();
    let mut skipping_tests = false;
    let mut depth = 0i32;
    let mut pending_test_attr = false;
    for line in source.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("//") {
            continue;
        }
        if trimmed.starts_with("#[cfg(test)]") {
            pending_test_attr = true;
            continue;
        }
        if pending_test_attr {
            pending_test_attr = false;
            // `mod tests;` in a file of its own lives in the same layer; `mod tests { … }` is skipped.
            if trimmed.ends_with('{') {
                skipping_tests = true;
                depth = 0;
            } else {
                continue;
            }
        }
        if skipping_tests {
            depth += line.matches('{').count() as i32 - line.matches('}').count() as i32;
            if depth <= 0 {
                skipping_tests = false;
            }
            continue;
        }
        let without_comment = line.split("//").next().unwrap_or("");
        code.push_str(without_comment);
        code.push('\n');
    }
    code
}

/// The crate-root names a piece of code reaches: `crate::model::Paper` gives `model`;
/// `crate::{RenderOptions, output}` gives both; `super::` from a top-level module counts as
/// `crate::`.
fn reached(code: &str, super_is_root: bool) -> Vec<String> {
    let mut names = Vec::new();
    let mut prefixes = vec!["crate::"];
    if super_is_root {
        prefixes.push("super::");
    }
    for prefix in prefixes {
        let mut rest = code;
        while let Some(at) = rest.find(prefix) {
            let before = rest[..at].chars().last();
            rest = &rest[at + prefix.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            if let Some(list) = rest.strip_prefix('{') {
                let end = list.find('}').unwrap_or(list.len());
                for item in list[..end].split(',') {
                    let name: String = item.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                    if !name.is_empty() {
                        names.push(name);
                    }
                }
            } else {
                let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !name.is_empty() {
                    names.push(name);
                }
            }
        }
    }
    names
}

#[test]
fn no_module_imports_a_higher_layer() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut broken = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).expect("under src");
        let parts: Vec<&str> = relative.iter().filter_map(|p| p.to_str()).collect();
        let module = parts[0].trim_end_matches(".rs");
        if module == "main" {
            continue;
        }
        let own = if module == "lib" { COMMAND_LAYER } else { layer_of_module(module) };
        // `super::` reaches the crate root from a top-level file or a folder's mod.rs.
        let super_is_root = parts.len() == 1 || (parts.len() == 2 && parts[1] == "mod.rs");
        let code = code_of(&std::fs::read_to_string(file).expect("read source"));
        for name in reached(&code, super_is_root) {
            // Items defined in lib.rs itself (`crate::Loaded`) belong to the command layer.
            let layer = layer_of_module(&name);
            if layer > own {
                broken.push(format!("{} (layer {own}) uses crate::{name} (layer {layer})", relative.display()));
            }
        }
    }
    assert!(broken.is_empty(), "modules import a higher layer:\n  {}", broken.join("\n  "));
}

#[test]
fn the_checker_sees_what_it_must() {
    let code = code_of(
        "use crate::model::Paper;\n// use crate::batch;\nuse crate::{RenderOptions, output};\n#[cfg(test)]\nmod tests {\n    use crate::render;\n}\n",
    );
    assert_eq!(reached(&code, false), ["model", "RenderOptions", "output"]);
    assert_eq!(reached("use super::Workbook;", true), ["Workbook"]);
    assert!(reached("use super::Workbook;", false).is_empty());
    assert_eq!(layer_of_module("scorecard"), 3);
    assert_eq!(layer_of_module("batch"), COMMAND_LAYER);
}
