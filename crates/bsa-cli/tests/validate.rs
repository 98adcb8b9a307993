//! `bsa validate`, run as the real binary on the sample dataset, a malformed-corpus file, a
//! missing path and (when present) the real dataset.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/sample.csv");
const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../bsa-core/tests/malformed");
const REAL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/bsa/dataset.csv"
);

fn bsa() -> Command {
    Command::new(env!("CARGO_BIN_EXE_bsa"))
}

fn json_of(stdout: &[u8]) -> Value {
    serde_json::from_slice(stdout)
        .unwrap_or_else(|error| panic!("not JSON ({error}): {}", String::from_utf8_lossy(stdout)))
}

fn sha256_of(path: &str) -> String {
    // The library's SHA-256 is checked against the FIPS test vectors in bsa-core's tests.
    bsa_core::dataset::read::sha256_hex(&std::fs::read(path).expect("readable file"))
}

#[test]
fn sample_is_valid_in_text_mode() {
    let output = bsa().args(["validate", SAMPLE]).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stderr.is_empty());
    assert!(stdout.contains("valid CSV dataset, 30 items"), "{stdout}");
    assert!(
        stdout.contains(&format!("SHA-256 {} (not the official", sha256_of(SAMPLE))),
        "{stdout}"
    );
    // 15 of 30 items are Cognitive Shortcut: 50 %.
    assert!(
        stdout
            .lines()
            .any(|line| line.starts_with("Cognitive Shortcut")
                && line.contains(" 15 ")
                && line.ends_with("50.00 %")),
        "{stdout}"
    );
    // 9 + 2 x 15 + 6 = 45 risk mentions.
    assert!(stdout.contains("(45 in all)"), "{stdout}");
}

#[test]
fn sample_is_valid_in_json_mode() {
    let output = bsa()
        .args(["validate", "--format", "json", SAMPLE])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let json = json_of(&output.stdout);
    assert_eq!(json["valid"], true);
    assert_eq!(json["items"], 30);
    assert_eq!(json["format"], "csv");
    assert_eq!(json["official"], false);
    assert_eq!(json["sha256"], sha256_of(SAMPLE));
    assert_eq!(json["scenarios"]["Risk Omission"], 9);
    assert_eq!(json["scenarios"]["Cognitive Shortcut"], 15);
    assert_eq!(json["scenarios"]["Over Sensitivity"], 6);
    let sum = |key: &str| {
        json[key]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum::<u64>()
    };
    assert_eq!(sum("primary_categories"), 45);
    assert_eq!(sum("secondary_categories"), 45);
    assert_eq!(json["primary_categories"].as_object().unwrap().len(), 9);
    assert_eq!(json["secondary_categories"].as_object().unwrap().len(), 17);
}

#[test]
fn corpus_file_lists_every_problem_on_stderr() {
    // Run inside the corpus folder so that the file is named exactly as in its `.expected` file.
    let output = bsa()
        .current_dir(CORPUS)
        .args(["validate", "several_problems.csv"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    let expected =
        std::fs::read_to_string(Path::new(CORPUS).join("several_problems.expected")).unwrap();
    assert!(
        stderr.starts_with(&expected),
        "stderr:\n{stderr}\nexpected to start with:\n{expected}"
    );
    // 7 problems (the expected file has 7 lines); only row 1 passes every check.
    assert!(
        stderr.contains("not a valid CSV dataset: 7 problems; 1 item passed every check."),
        "{stderr}"
    );
}

#[test]
fn corpus_file_in_json_mode() {
    let output = bsa()
        .current_dir(CORPUS)
        .args(["validate", "--format=json", "several_problems.csv"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let json = json_of(&output.stdout);
    assert_eq!(json["valid"], false);
    let problems = json["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 7);
    assert_eq!(json["problem_count"], 7);
    // The first problem: row 2 (line 3) has an empty query.
    assert_eq!(problems[0]["message"], "empty value, expected text");
    assert_eq!(problems[0]["location"]["source"], "several_problems.csv");
    assert_eq!(problems[0]["location"]["row"], 2);
    assert_eq!(problems[0]["location"]["line"], 3);
    assert_eq!(problems[0]["location"]["field"]["Column"], "query");
}

#[test]
fn jsonl_corpus_file_and_forced_format() {
    let output = bsa()
        .current_dir(CORPUS)
        .args(["validate", "ok_guessed_jsonl.txt"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout).contains("valid JSONL dataset, 1 items"));
    // The same file forced to CSV is not a dataset.
    let output = bsa()
        .current_dir(CORPUS)
        .args(["validate", "--input-format", "csv", "ok_guessed_jsonl.txt"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("missing column \"label\""));
}

#[test]
fn missing_file_names_the_path() {
    let output = bsa()
        .args(["validate", "no/such/file.csv"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("cannot read no/such/file.csv"), "{stderr}");
}

#[test]
fn help_documents_every_option() {
    let output = bsa().args(["validate", "--help"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let help = String::from_utf8(output.stdout).unwrap();
    for option in [
        "<FILE>",
        "--format",
        "text",
        "json",
        "--input-format",
        "csv",
        "jsonl",
        "--help",
    ] {
        assert!(help.contains(option), "--help lacks {option}:\n{help}");
    }
}

#[test]
fn real_dataset_numbers() {
    if !Path::new(REAL).exists() {
        eprintln!("SKIPPED: the real dataset is not available at {REAL}");
        return;
    }
    let output = bsa()
        .args(["validate", "--format", "json", REAL])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let json = json_of(&output.stdout);
    assert_eq!(json["items"], 2000);
    assert_eq!(json["official"], true);
    // Published figures (shared README).
    assert_eq!(
        json["sha256"],
        "c1e26c30d0a0c8013d986aeb84b63c4b592387a92c52c70fd79b2796678eef3c"
    );
    for (scenario, count) in [
        ("Risk Omission", 600),
        ("Cognitive Shortcut", 1200),
        ("Over Sensitivity", 200),
    ] {
        assert_eq!(json["scenarios"][scenario], count, "{scenario}");
    }
    for (primary, count) in [
        ("Offense and Prejudice", 720),
        ("Specially Regulated Items", 407),
        ("Property Infringement", 373),
        ("Invasion of Privacy and Confidentiality", 372),
        ("Physical and Mental Health", 369),
        ("Violence and Terrorism", 320),
        ("Ethics and Morality", 300),
        ("Rumors", 187),
        ("Pornography", 152),
    ] {
        assert_eq!(json["primary_categories"][primary], count, "{primary}");
    }
    assert_eq!(json["secondary_categories"].as_object().unwrap().len(), 17);

    let output = bsa().args(["validate", REAL]).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("(the official BSA dataset file)"),
        "{stdout}"
    );
    // 720 of 3,200 mentions = 22.50 %, as on the project page.
    assert!(
        stdout
            .lines()
            .any(|line| line.starts_with("Offense and Prejudice") && line.ends_with("22.50 %")),
        "{stdout}"
    );
}
