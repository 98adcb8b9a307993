//! The made-up sample dataset shipped in `data/sample.csv` (shown in demos and talks): it must
//! read without problems, cover the benchmark's shape, and say on every item that it is made up.

use bsa_core::dataset::{read_dataset, Dataset, DatasetStats, RiskPart};
use bsa_core::scenario::{Scenario, PRIMARY_CATEGORIES};

#[path = "support/pinned_subset.rs"]
mod pinned_subset;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/sample.csv");
const REAL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/bsa/dataset.csv"
);
const MARK: &str = " (made-up sample item)";

fn sample() -> Dataset {
    let bytes = std::fs::read(SAMPLE).expect("data/sample.csv is part of the repository");
    let read = read_dataset("sample.csv", &bytes);
    let problems: Vec<String> = read.problems.iter().map(ToString::to_string).collect();
    assert!(problems.is_empty(), "{problems:#?}");
    read.dataset
}

#[test]
fn sample_is_valid_and_shaped_like_the_benchmark() {
    let dataset = sample();
    let stats = DatasetStats::of(&dataset);
    assert_eq!(stats.items, 30);
    // Roughly the benchmark's 30 % / 60 % / 10 % split.
    assert_eq!(stats.scenarios.get("Risk Omission"), Some(&9));
    assert_eq!(stats.scenarios.get("Cognitive Shortcut"), Some(&15));
    assert_eq!(stats.scenarios.get("Over Sensitivity"), Some(&6));
    for primary in PRIMARY_CATEGORIES {
        assert!(
            stats.primary_categories.contains_key(primary),
            "no {primary} item"
        );
    }
    assert_eq!(
        stats.primary_categories.len(),
        9,
        "{:?}",
        stats.primary_categories.keys()
    );
    assert_eq!(
        stats.secondary_categories.len(),
        17,
        "{:?}",
        stats.secondary_categories.keys()
    );
}

#[test]
fn sample_items_follow_the_official_conventions() {
    for item in sample().items() {
        assert!(
            item.id.len() == 32
                && item
                    .id
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()),
            "{}",
            item.id
        );
        assert!(
            item.risk_summary.ends_with(MARK),
            "{}: not marked as made up",
            item.id
        );
        if item.scenario == Scenario::CognitiveShortcut {
            let parts: Vec<Option<RiskPart>> = item.risks.iter().map(|risk| risk.part).collect();
            assert_eq!(
                parts,
                vec![Some(RiskPart::A), Some(RiskPart::B)],
                "{}",
                item.id
            );
            let lines: Vec<&str> = item.risk_summary.lines().collect();
            assert!(
                lines.len() == 2
                    && lines[0].starts_with("Query A: ")
                    && lines[1].starts_with("Query B: "),
                "{}",
                item.id
            );
        } else {
            assert_eq!(item.risks.len(), 1, "{}", item.id);
        }
    }
}

#[test]
fn sample_shares_nothing_with_the_real_dataset() {
    let Ok(bytes) = std::fs::read(REAL) else {
        eprintln!("SKIPPED: the real dataset is not available at {REAL}");
        return;
    };
    let real = read_dataset("dataset.csv", &bytes).dataset;
    for item in sample().items() {
        assert!(real.get(&item.id).is_none(), "{} is a real id", item.id);
        assert!(
            !real.items().iter().any(|r| r.query == item.query),
            "{}: query copied",
            item.id
        );
    }
}

/// The stratified sampler's output is part of the run-file contract (a run records its subset
/// as a seed and a size): `tests/fixtures/subset/pinned.txt` holds the sample of one seed,
/// recorded when it was pinned; `tests/web.rs` checks the WebAssembly build against the same
/// file. Changing the sampler or the PRNG breaks this test on purpose.
#[test]
fn the_stratified_sample_of_a_seed_is_pinned() {
    let pinned = pinned_subset::pinned_subset();
    let subset = bsa_core::dataset::subset::stratified_sample(&sample(), pinned.size, pinned.seed);
    assert_eq!(subset.ids, pinned.ids);
    // The stratum table accounts for every chosen item.
    let chosen: usize = subset.strata.iter().map(|s| s.chosen).sum();
    assert_eq!(chosen, pinned.size);
}
