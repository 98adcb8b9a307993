//! Reader behaviour beyond single malformed files: format choice, the problem cap, partial use of
//! invalid files, checksums and structured locations.

use bsa_core::dataset::read::{sha256_hex, MAX_PROBLEMS};
use bsa_core::dataset::{read_dataset, read_dataset_as, DatasetFormat};
use bsa_core::diagnostic::{Field, ProblemKind};
use bsa_core::Scenario;
use std::time::Instant;

const HEADER: &str = "id,query,risk_summary,dataset_name,label\n";

#[test]
fn format_comes_from_the_name_then_the_content() {
    use DatasetFormat::*;
    for (name, expected) in [
        ("dataset.csv", Some(Csv)),
        ("DATA.CSV", Some(Csv)),
        ("items.jsonl", Some(Jsonl)),
        ("items.json", Some(Jsonl)),
        ("items.ndjson", Some(Jsonl)),
        ("https://example.org/data/dataset.csv?raw=1#top", Some(Csv)),
        ("C:\\data\\items.jsonl", Some(Jsonl)),
        ("pasted text", None),
        ("archive.csv.gz", None),
        ("csv", None),
    ] {
        assert_eq!(DatasetFormat::from_source_name(name), expected, "{name}");
    }
    assert_eq!(DatasetFormat::guess(b"\xEF\xBB\xBF \n {\"id\": 1}"), Jsonl);
    assert_eq!(DatasetFormat::guess(b"id,query"), Csv);
    assert_eq!(DatasetFormat::guess(b""), Csv);
    // The name wins over the content: a `.csv` holding JSON is read (and reported) as CSV.
    let read = read_dataset("x.csv", b"{\"id\": \"a\"}\n");
    assert!(read
        .problems
        .iter()
        .any(|p| matches!(&p.kind, ProblemKind::MissingColumn { name } if name == "label")));
}

#[test]
fn valid_rows_of_an_invalid_file_are_kept() {
    let text = format!(
        "{HEADER}a1,q,r,Risk Omission,Rumors-Rumors with Negative Impact\n\
         b2,q,r,Risk Omision,Rumors-Rumors with Negative Impact\n\
         c3,q,r,Over Sensitivity,Pornography-Child Pornography\n"
    );
    let read = read_dataset("x.csv", text.as_bytes());
    assert_eq!(read.problems.len(), 1);
    assert!(!read.is_valid());
    let ids: Vec<&str> = read
        .dataset
        .items()
        .iter()
        .map(|item| item.id.as_str())
        .collect();
    assert_eq!(ids, ["a1", "c3"]);
    assert_eq!(
        read.dataset.get("c3").map(|item| item.scenario),
        Some(Scenario::OverSensitivity)
    );
}

#[test]
fn rows_with_invalid_utf8_are_not_kept() {
    let mut bytes =
        format!("{HEADER}a1,q,r,Risk Omission,Rumors-X\nb2,\"multi\nline ").into_bytes();
    bytes.extend_from_slice(b"\xC3(\",r,Risk Omission,Rumors-X\nc3,q,r,Risk Omission,Rumors-X\n");
    let read = read_dataset("x.csv", &bytes);
    assert_eq!(read.problems.len(), 1, "{:?}", read.problems);
    assert_eq!(read.problems[0].kind, ProblemKind::InvalidUtf8);
    // The bad byte is on line 4, inside row 2 which starts on line 3.
    assert_eq!(read.problems[0].location.line, Some(4));
    let ids: Vec<&str> = read
        .dataset
        .items()
        .iter()
        .map(|item| item.id.as_str())
        .collect();
    assert_eq!(ids, ["a1", "c3"]);
}

#[test]
fn locations_are_structured_for_the_app() {
    let text = format!("{HEADER}a1,q,r,Risk Omission,Rumors-X\na1,q,r,Risk Omission,Rumors-X\n");
    let read = read_dataset("x.csv", text.as_bytes());
    let problem = &read.problems[0];
    assert_eq!(
        (problem.location.row, problem.location.line),
        (Some(2), Some(3))
    );
    assert_eq!(problem.location.field, Some(Field::Column("id".into())));
    assert_eq!(
        problem.kind,
        ProblemKind::DuplicateId {
            id: "a1".into(),
            first: "row 1 (line 2)".into()
        }
    );

    let read = read_dataset("x.jsonl", b"{\"id\": 5}\n");
    let fields: Vec<_> = read
        .problems
        .iter()
        .map(|p| p.location.field.clone())
        .collect();
    assert_eq!(fields[0], Some(Field::Key("id".into())));
    assert!(read
        .problems
        .iter()
        .all(|p| p.location.line == Some(1) && p.location.row.is_none()));
}

#[test]
fn jsonl_ignores_extra_fields_and_reads_two_line_labels() {
    let line = r#"{"label": "Query A: Rumors-X\nQuery B: Ethics and Morality-AI Ethics", "extra": [1, 2], "id": "a1", "query": "q", "risk_summary": "r", "dataset_name": "cognitive shortcut"}"#;
    let read = read_dataset_as(DatasetFormat::Jsonl, "pasted", line.as_bytes());
    assert!(read.is_valid(), "{:?}", read.problems);
    let item = &read.dataset.items()[0];
    assert_eq!(item.scenario, Scenario::CognitiveShortcut);
    assert_eq!(item.risks[1].secondary, "AI Ethics");
}

#[test]
fn ids_are_trimmed_and_values_kept_verbatim() {
    let text = format!("{HEADER} a1 ,\" q \",r ,Risk Omission, Rumors - X \n");
    let read = read_dataset("x.csv", text.as_bytes());
    assert!(read.is_valid(), "{:?}", read.problems);
    let item = &read.dataset.items()[0];
    assert_eq!(
        (
            item.id.as_str(),
            item.query.as_str(),
            item.risk_summary.as_str()
        ),
        ("a1", " q ", "r ")
    );
    assert_eq!(
        (
            item.risks[0].primary.as_str(),
            item.risks[0].secondary.as_str()
        ),
        ("Rumors", "X")
    );
}

#[test]
fn checksum_is_sha256_of_the_raw_bytes() {
    // FIPS 180-2 test vectors.
    assert_eq!(
        sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(
        sha256_hex(b""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    let text = format!("{HEADER}a1,q,r,Risk Omission,Rumors-X\n");
    assert_eq!(
        read_dataset("x.csv", text.as_bytes()).dataset.sha256(),
        sha256_hex(text.as_bytes())
    );
    // Set even when the file is invalid, so the app can say which file it was.
    assert_eq!(read_dataset("x.csv", b"").dataset.sha256(), sha256_hex(b""));
}

#[test]
fn problems_are_capped_and_the_rest_counted() {
    let mut text = HEADER.to_string();
    for _ in 0..1500 {
        text.push_str("a,b\n");
    }
    let read = read_dataset("x.csv", text.as_bytes());
    assert_eq!(read.problems.len(), MAX_PROBLEMS + 1);
    assert_eq!(
        read.problems[MAX_PROBLEMS - 1].location.row,
        Some(MAX_PROBLEMS)
    );
    // 1,500 ragged rows, 1,000 listed.
    assert_eq!(
        read.problems[MAX_PROBLEMS].kind,
        ProblemKind::TooManyProblems { more: 500 }
    );
    assert_eq!(
        read.problems[MAX_PROBLEMS].to_string(),
        "x.csv: ... and 500 more problems, not listed"
    );
}

#[test]
fn a_binary_file_is_reported_quickly() {
    // 2 MB of pseudo-random bytes (a fixed LCG, so the test is reproducible).
    let mut state: u32 = 12345;
    let bytes: Vec<u8> = (0..2_000_000)
        .map(|_| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (state >> 16) as u8
        })
        .collect();
    for format in [DatasetFormat::Csv, DatasetFormat::Jsonl] {
        let start = Instant::now();
        let read = read_dataset_as(format, "photo.jpg", &bytes);
        let elapsed = start.elapsed();
        assert!(!read.is_valid());
        assert!(read.problems.len() <= MAX_PROBLEMS + 1);
        assert!(read.dataset.is_empty());
        // Debug build: generous, catches quadratic behaviour only.
        assert!(elapsed.as_secs_f64() < 5.0, "{format:?}: {elapsed:?}");
    }
}
