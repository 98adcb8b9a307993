//! Property tests: no input makes the dataset readers panic, and what they return is coherent.

use bsa_core::dataset::read::MAX_PROBLEMS;
use bsa_core::dataset::{read_dataset, read_dataset_as, DatasetFormat, DatasetRead};
use proptest::prelude::*;
use std::collections::HashSet;

fn coherent(read: &DatasetRead) -> Result<(), TestCaseError> {
    prop_assert!(read.problems.len() <= MAX_PROBLEMS + 1);
    let ids: HashSet<&str> = read
        .dataset
        .items()
        .iter()
        .map(|item| item.id.as_str())
        .collect();
    prop_assert_eq!(ids.len(), read.dataset.len());
    // A valid input always has items: an input without any is reported (empty, no rows).
    if read.problems.is_empty() {
        prop_assert!(!read.dataset.is_empty());
    }
    prop_assert_eq!(read.dataset.sha256().len(), 64);
    Ok(())
}

/// Text made of the characters that matter to CSV, JSON and labels.
fn syntax_soup() -> impl Strategy<Value = String> {
    proptest::string::string_regex(r#"[a-c ,"\n\r{}\[\]:\-AQ0-9\\é]{0,400}"#).expect("valid regex")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        for format in [DatasetFormat::Csv, DatasetFormat::Jsonl] {
            coherent(&read_dataset_as(format, "fuzz", &bytes))?;
        }
        coherent(&read_dataset("fuzz", &bytes))?;
    }

    #[test]
    fn near_valid_csv_never_panics(body in syntax_soup(), bom in any::<bool>()) {
        let mut text = String::from(if bom { "\u{FEFF}" } else { "" });
        text.push_str("id,query,risk_summary,dataset_name,label\n");
        text.push_str(&body);
        coherent(&read_dataset("fuzz.csv", text.as_bytes()))?;
    }

    #[test]
    fn near_valid_jsonl_never_panics(
        values in proptest::collection::vec(syntax_soup(), 5),
        scenario in prop_oneof![Just("Risk Omission"), Just("Cognitive Shortcut"), Just("Over-Sensitivity"), Just("x")],
        noise in syntax_soup(),
    ) {
        let line = serde_json::json!({
            "id": values[0], "query": values[1], "risk_summary": values[2],
            "dataset_name": scenario, "label": values[4],
        });
        let text = format!("{line}\n{noise}\n{line}\n");
        coherent(&read_dataset("fuzz.jsonl", text.as_bytes()))?;
    }
}
