//! The dependency rules of `docs/ARCHITECTURE.md`, checked on the source: each stage of the
//! pipeline (model → input → evaluation → report / batch) uses only the stages before it.
//!
//! A use is any `crate::<module>` path outside a comment, where `<module>` is a folder of
//! `src/` or one of the model's public modules (re-exported at the root).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// The model's public modules, re-exported at the crate root from `src/model/`.
const MODEL_MODULES: [&str; 4] = ["ahp", "fuzzy_ahp", "group", "hierarchy"];

/// The stage a `crate::<module>` path belongs to.
fn stage_of(module: &str) -> &str {
    if MODEL_MODULES.contains(&module) {
        "model"
    } else {
        module
    }
}

/// What each folder of `src/` may use besides itself (the table in `docs/ARCHITECTURE.md`).
fn allowed(folder: &str) -> &'static [&'static str] {
    const BASE: [&str; 2] = ["error", "numeric"];
    match folder {
        "numeric" => &["error"],
        "error" => &["numeric", "model"],
        "model" => &BASE,
        "input" => &["error", "numeric", "model"],
        "evaluation" => &["error", "numeric", "model", "input"],
        "report" => &["error", "numeric", "model", "input", "evaluation"],
        "batch" => &["error", "numeric", "model", "input", "evaluation"],
        "analysis" => &["error", "numeric", "model", "input", "report"],
        "mcdm" => &[
            "error",
            "numeric",
            "model",
            "input",
            "evaluation",
            "report",
            "batch",
            "analysis",
        ],
        "outcome" => &[
            "error",
            "numeric",
            "model",
            "input",
            "evaluation",
            "report",
            "batch",
            "analysis",
        ],
        "sensitivity" => &["error", "numeric", "model", "input", "evaluation", "batch"],
        other => panic!("src/{other} is not in the dependency table of docs/ARCHITECTURE.md"),
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("readable source folder") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `crate::<module>` named on a line that is not a comment.
fn crate_paths(source: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in source.lines() {
        let code = line.trim_start();
        if code.starts_with("//") {
            continue;
        }
        let code = code.split(" //").next().unwrap_or(code);
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            // lower-case names are modules; capitalised ones are root re-exports of types
            if name.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
                found.insert(name);
            }
        }
    }
    found
}

#[test]
fn each_stage_uses_only_the_stages_before_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut violations = Vec::new();
    let mut checked = 0;
    for file in &files {
        let relative = file.strip_prefix(&src).expect("under src");
        let folder = match relative.components().next() {
            Some(first) if relative.components().count() > 1 => {
                first.as_os_str().to_string_lossy().into_owned()
            }
            // files at the top of src/: lib.rs wires the stages together; the rest are stages
            _ => relative
                .file_stem()
                .expect("file name")
                .to_string_lossy()
                .into_owned(),
        };
        if folder == "lib" {
            continue;
        }
        let source = fs::read_to_string(file).expect("readable source file");
        let may_use = allowed(&folder);
        for module in crate_paths(&source) {
            let stage = stage_of(&module);
            if stage != folder && !may_use.contains(&stage) {
                violations.push(format!("{}: uses crate::{module}", relative.display()));
            }
        }
        checked += 1;
    }
    assert!(checked > 40, "only {checked} source files found under src/");
    assert!(
        violations.is_empty(),
        "uses against the pipeline order:\n{}",
        violations.join("\n")
    );
}

#[test]
fn the_checker_sees_a_backwards_use() {
    let paths = crate_paths(
        "use crate::evaluation::FuzzyOperator;\n// crate::report in a comment\nlet x = crate::Weights::new(v);",
    );
    assert_eq!(paths, BTreeSet::from(["evaluation".to_owned()]));
    assert!(!allowed("input").contains(&stage_of("evaluation")));
    assert!(allowed("batch").contains(&stage_of("hierarchy")));
}
