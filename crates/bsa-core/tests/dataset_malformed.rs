//! The malformed-input corpus: `tests/malformed/NAME.csv` (or `.jsonl`, or another extension to
//! exercise format guessing) next to `NAME.expected`, the exact problems the reader must report,
//! one per line as `Problem`'s `Display` writes them (an empty file: none). The expected files
//! were written by hand from the inputs; `tests/malformed/README.md` says how each position was
//! counted. A failing case prints the actual output, ready to compare.

use bsa_core::dataset::read_dataset;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/malformed");

/// Reads `input` as the app would (format from its name) and compares the problems with
/// `expected`. Returns the mismatch, with the actual output, instead of panicking, so that every
/// case is checked and reported in one run.
fn check(input: &Path, expected: &Path) -> Result<(), String> {
    let name = input
        .file_name()
        .and_then(|name| name.to_str())
        .ok_or("input name is not UTF-8")?;
    let bytes = std::fs::read(input).map_err(|error| format!("{name}: cannot read: {error}"))?;
    let read = read_dataset(name, &bytes);
    let actual: String = read
        .problems
        .iter()
        .map(|problem| format!("{problem}\n"))
        .collect();
    // Whatever the problems, the dataset only ever holds items whose ids are unique.
    let ids: BTreeSet<&str> = read
        .dataset
        .items()
        .iter()
        .map(|item| item.id.as_str())
        .collect();
    if ids.len() != read.dataset.len() {
        return Err(format!("{name}: the dataset holds duplicate ids"));
    }
    match std::fs::read_to_string(expected) {
        Ok(expected_text) if expected_text == actual => Ok(()),
        Ok(expected_text) => Err(format!(
            "{name}: problems differ\n--- expected ({})\n{expected_text}--- actual\n{actual}---",
            expected.display()
        )),
        Err(error) => Err(format!(
            "{name}: no expected file {} ({error}); the actual problems are:\n{actual}---",
            expected.display()
        )),
    }
}

fn corpus_inputs() -> Vec<PathBuf> {
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(CORPUS)
        .expect("the corpus folder is part of the repository")
        .map(|entry| entry.expect("readable corpus entry").path())
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension != "expected" && extension != "md")
        })
        .collect();
    inputs.sort();
    inputs
}

#[test]
fn malformed_corpus() {
    let inputs = corpus_inputs();
    assert!(
        inputs.len() >= 30,
        "the corpus has only {} inputs",
        inputs.len()
    );
    let mut stems = BTreeSet::new();
    let mut failures = Vec::new();
    for input in &inputs {
        let stem = input.file_stem().expect("a file name").to_owned();
        assert!(
            stems.insert(stem.clone()),
            "two inputs share the stem {stem:?}"
        );
        if let Err(failure) = check(input, &input.with_extension("expected")) {
            failures.push(failure);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        inputs.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_expected_file_has_an_input() {
    for entry in std::fs::read_dir(CORPUS).expect("corpus folder") {
        let path = entry.expect("entry").path();
        if path
            .extension()
            .is_some_and(|extension| extension == "expected")
        {
            let stem = path.file_stem().expect("a file name");
            let has_input = corpus_inputs()
                .iter()
                .any(|input| input.file_stem() == Some(stem));
            assert!(has_input, "{} has no input file", path.display());
        }
    }
}
