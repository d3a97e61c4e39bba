//! Replays the fuzz targets' inputs on stable: every file of `fuzz/corpus/<target>/` (the
//! seeds) and of `fuzz/regressions/<target>/` (inputs that once broke the contract) goes
//! through the same checks as the fuzz targets (`fuzz/checks/mod.rs`), so CI needs no nightly
//! toolchain and no libFuzzer.
//!
//! `fuzz/regressions/known-defects.txt` lists the inputs of defects not fixed yet
//! (`regressions/<target>/<file>: reason`, or `corpus/...` for a seed). Such an input is
//! reported while it still fails; once it passes, the test fails until its line is removed, so
//! a fixed defect stays fixed.
#![cfg(all(feature = "serde", feature = "csv"))]

#[path = "../fuzz/checks/mod.rs"]
mod checks;

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// The input files in `dir`, sorted (none when it does not exist).
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.expect("a readable folder").path())
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Runs `target` on `file`; the contract violation's message, if any.
fn violation(target: &str, file: &Path) -> Option<String> {
    let data = std::fs::read(file).expect("a readable input");
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| checks::run(target, &data)));
    outcome.err().map(|payload| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_else(|| "a panic without a message".to_owned())
    })
}

/// The inputs of known defects (paths under `fuzz/`), with their reasons.
fn known_defects() -> Vec<(String, String)> {
    let list = std::fs::read_to_string(fuzz_dir().join("regressions/known-defects.txt"))
        .unwrap_or_default();
    list.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (name, reason) = l.split_once(':').unwrap_or((l, ""));
            (name.trim().to_owned(), reason.trim().to_owned())
        })
        .collect()
}

/// Replays every input of `fuzz/<folder>/<target>/`.
fn replay(folder: &str) {
    let known = known_defects();
    let (mut broken, mut fixed) = (Vec::new(), Vec::new());
    for target in checks::TARGETS {
        for file in inputs(&fuzz_dir().join(folder).join(target)) {
            let name = format!(
                "{folder}/{target}/{}",
                file.file_name().expect("a file name").to_string_lossy()
            );
            let reason = known.iter().find(|(k, _)| *k == name).map(|(_, r)| r);
            match (violation(target, &file), reason) {
                (Some(message), Some(reason)) => {
                    eprintln!("known defect, still present: {name} ({reason}): {message}")
                }
                (Some(message), None) => broken.push(format!("{name}: {message}")),
                (None, Some(_)) => fixed.push(name),
                (None, None) => {}
            }
        }
    }
    assert!(
        broken.is_empty(),
        "contract broken by:\n{}",
        broken.join("\n")
    );
    assert!(
        fixed.is_empty(),
        "these inputs pass now: remove them from fuzz/regressions/known-defects.txt:\n{}",
        fixed.join("\n")
    );
}

#[test]
fn seed_corpora_keep_the_contract() {
    for target in checks::TARGETS {
        let dir = fuzz_dir().join("corpus").join(target);
        assert!(
            !inputs(&dir).is_empty(),
            "no seed inputs in {}",
            dir.display()
        );
    }
    replay("corpus");
}

#[test]
fn regression_inputs_keep_the_contract() {
    replay("regressions");
}

#[test]
fn known_defects_name_existing_regression_inputs() {
    for (name, reason) in known_defects() {
        assert!(!reason.is_empty(), "{name}: give the reason");
        let path = fuzz_dir().join(&name);
        assert!(
            path.is_file(),
            "{name} is listed but {} is missing",
            path.display()
        );
    }
}
