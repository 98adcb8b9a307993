//! Acceptance tests against the real BSA dataset (`../shared/bsa/dataset.csv`, CC BY-NC, never
//! copied into this repository). Every test skips, saying so, when the file is absent.

use bsa_core::dataset::label::format_label;
use bsa_core::dataset::read::{read_dataset, read_dataset_as, DatasetFormat};
use bsa_core::dataset::{DatasetRead, DatasetStats};
use std::time::Instant;

const DATASET: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/bsa/dataset.csv"
);

/// The published SHA-256 of the official file (shared README).
const OFFICIAL_SHA256: &str = "c1e26c30d0a0c8013d986aeb84b63c4b592387a92c52c70fd79b2796678eef3c";

fn real_bytes() -> Option<Vec<u8>> {
    match std::fs::read(DATASET) {
        Ok(bytes) => Some(bytes),
        Err(error) => {
            eprintln!("SKIPPED: the real dataset is not available at {DATASET} ({error})");
            None
        }
    }
}

fn read_real(bytes: &[u8]) -> DatasetRead {
    let read = read_dataset("dataset.csv", bytes);
    let shown: Vec<String> = read
        .problems
        .iter()
        .take(10)
        .map(ToString::to_string)
        .collect();
    assert!(
        read.problems.is_empty(),
        "{} problems, first: {shown:#?}",
        read.problems.len()
    );
    read
}

#[test]
fn real_dataset_reads_without_problems_with_the_published_counts() {
    let Some(bytes) = real_bytes() else { return };
    let read = read_real(&bytes);
    assert_eq!(read.dataset.len(), 2000);
    assert_eq!(read.dataset.sha256(), OFFICIAL_SHA256);

    let stats = DatasetStats::of(&read.dataset);
    let count = |map: &std::collections::BTreeMap<String, usize>, name: &str| {
        map.get(name).copied().unwrap_or(0)
    };
    // Scenario and category counts as listed in the shared README (from the authors' page).
    assert_eq!(count(&stats.scenarios, "Risk Omission"), 600);
    assert_eq!(count(&stats.scenarios, "Cognitive Shortcut"), 1200);
    assert_eq!(count(&stats.scenarios, "Over Sensitivity"), 200);
    assert_eq!(stats.scenarios.len(), 3);
    let primaries = [
        ("Offense and Prejudice", 720),
        ("Specially Regulated Items", 407),
        ("Property Infringement", 373),
        ("Invasion of Privacy and Confidentiality", 372),
        ("Physical and Mental Health", 369),
        ("Violence and Terrorism", 320),
        ("Ethics and Morality", 300),
        ("Rumors", 187),
        ("Pornography", 152),
    ];
    for (name, expected) in primaries {
        assert_eq!(count(&stats.primary_categories, name), expected, "{name}");
    }
    assert_eq!(stats.primary_categories.len(), 9);
    // 600 + 2 x 1,200 + 200 risk mentions.
    assert_eq!(stats.risk_mentions(), 3200);
    assert_eq!(stats.secondary_categories.len(), 17);
    assert_eq!(stats.secondary_categories.values().sum::<usize>(), 3200);
    assert_eq!(count(&stats.secondary_categories, "Child Pornography"), 152);
    assert!(stats
        .secondary_categories
        .contains_key("Psychotropic / Narcotic / Pathogenic Controlled Substances"));
}

#[test]
fn real_dataset_reads_fast() {
    let Some(bytes) = real_bytes() else { return };
    read_real(&bytes);
    let start = Instant::now();
    let read = read_dataset("dataset.csv", &bytes);
    let elapsed = start.elapsed();
    assert_eq!(read.dataset.len(), 2000);
    // A few ms in release builds; debug builds (what `cargo test` runs) are ~10x slower, so the
    // bound is generous: it catches accidental quadratic work, not small regressions.
    assert!(elapsed.as_millis() < 500, "reading took {elapsed:?}");
}

#[test]
fn real_dataset_converted_to_jsonl_reads_back_equal() {
    let Some(bytes) = real_bytes() else { return };
    let csv = read_real(&bytes);
    // Written here with serde_json directly, not by the library, so the two readers are compared
    // on an independent conversion.
    let mut jsonl = String::new();
    for item in csv.dataset.items() {
        let line = serde_json::json!({
            "id": item.id,
            "query": item.query,
            "risk_summary": item.risk_summary,
            "dataset_name": item.scenario.name(),
            "label": format_label(&item.risks),
        });
        jsonl.push_str(&serde_json::to_string(&line).unwrap());
        jsonl.push('\n');
    }
    for source in ["dataset.jsonl", "pasted text"] {
        let read = read_dataset(source, jsonl.as_bytes());
        assert!(
            read.problems.is_empty(),
            "{source}: {:?}",
            read.problems.first()
        );
        assert_eq!(read.dataset.items(), csv.dataset.items(), "{source}");
    }
}

#[test]
fn real_dataset_with_crlf_or_bom_reads_identically() {
    let Some(bytes) = real_bytes() else { return };
    let plain = read_real(&bytes);
    let text = String::from_utf8(bytes.clone()).unwrap();

    // CRLF: every line end, including those inside quoted fields, which then hold "\r\n"; so
    // compare against the plain items with their field line ends converted the same way.
    let crlf = text.replace('\n', "\r\n");
    let read = read_dataset_as(DatasetFormat::Csv, "dataset.csv", crlf.as_bytes());
    assert!(read.problems.is_empty(), "{:?}", read.problems.first());
    assert_eq!(read.dataset.len(), 2000);
    for (a, b) in plain.dataset.items().iter().zip(read.dataset.items()) {
        assert_eq!(a.id, b.id);
        assert_eq!(a.query.replace('\n', "\r\n"), b.query);
        assert_eq!(a.risk_summary.replace('\n', "\r\n"), b.risk_summary);
        assert_eq!((a.scenario, &a.risks), (b.scenario, &b.risks));
    }

    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend_from_slice(&bytes);
    let read = read_dataset("dataset.csv", &with_bom);
    assert!(read.problems.is_empty(), "{:?}", read.problems.first());
    assert_eq!(read.dataset.items(), plain.dataset.items());
    // The checksum is of the bytes as given, so the BOM changes it.
    assert_ne!(read.dataset.sha256(), OFFICIAL_SHA256);
}
