//! How much of what was expected a model's samples cover: shown next to every score so that a
//! number computed on 40 items is never read as a benchmark result.

use crate::dataset::Dataset;
use crate::metrics::grid::scenario_slot;
use crate::metrics::samples::SampleSet;
use crate::metrics::tally::ModelTally;
use crate::scenario::{Scenario, OFFICIAL_ITEM_COUNT};
use serde::{Deserialize, Serialize};

/// Where the expected item counts come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expected {
    /// The dataset given to the scorer (a subset, or the full benchmark).
    Dataset,
    /// The official sizes: 2,000 items, 600 / 1,200 / 200.
    OfficialSizes,
}

/// A model's coverage of one scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioCoverage {
    pub scenario: Scenario,
    pub items_expected: usize,
    /// Items with at least one sample.
    pub items_with_samples: usize,
    /// Items with at least one verdict (answer or reasoning).
    pub items_evaluated: usize,
}

/// A model's coverage: items and samples found against those expected, and what is missing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    pub expected_from: Expected,
    pub items_expected: usize,
    /// Items with at least one sample.
    pub items_with_samples: usize,
    /// Items with at least one verdict (answer or reasoning).
    pub items_evaluated: usize,
    /// `items_expected * k`.
    pub samples_expected: usize,
    pub samples: usize,
    /// Samples with an answer verdict / with a reasoning verdict.
    pub answers_judged: usize,
    pub reasonings_judged: usize,
    /// Items with samples but not all of their first k answers (reasonings) judged: left out of
    /// Safe@k (Think@k) in evaluated mode.
    pub answer_items_short_of_k: usize,
    pub reasoning_items_short_of_k: usize,
    /// Items with more or fewer than k samples (the official script still divides by k).
    pub items_other_than_k: usize,
    /// Items the model has that the given dataset does not (`None` without a dataset).
    pub items_outside_dataset: Option<usize>,
    /// In [`Scenario::ALL`] order.
    pub by_scenario: [ScenarioCoverage; 3],
}

impl Coverage {
    /// Items evaluated as a percentage of those expected.
    pub fn item_share(&self) -> Option<f64> {
        (self.items_expected > 0)
            .then(|| self.items_evaluated as f64 * 100.0 / self.items_expected as f64)
    }

    /// Answer verdicts as a percentage of the samples expected.
    pub fn answer_share(&self) -> Option<f64> {
        (self.samples_expected > 0)
            .then(|| self.answers_judged as f64 * 100.0 / self.samples_expected as f64)
    }

    /// Reasoning verdicts as a percentage of the samples expected.
    pub fn reasoning_share(&self) -> Option<f64> {
        (self.samples_expected > 0)
            .then(|| self.reasonings_judged as f64 * 100.0 / self.samples_expected as f64)
    }
}

/// Expected item counts per scenario, computed once per score.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ExpectedItems {
    pub from: Expected,
    pub by_scenario: [usize; 3],
}

impl ExpectedItems {
    pub fn new(dataset: Option<&Dataset>) -> ExpectedItems {
        match dataset {
            Some(dataset) => {
                let mut by_scenario = [0usize; 3];
                for item in dataset.items() {
                    by_scenario[scenario_slot(item.scenario)] += 1;
                }
                ExpectedItems {
                    from: Expected::Dataset,
                    by_scenario,
                }
            }
            None => ExpectedItems {
                from: Expected::OfficialSizes,
                by_scenario: Scenario::ALL.map(Scenario::official_item_count),
            },
        }
    }

    fn total(&self) -> usize {
        match self.from {
            Expected::OfficialSizes => OFFICIAL_ITEM_COUNT,
            Expected::Dataset => self.by_scenario.iter().sum(),
        }
    }
}

pub(crate) fn coverage(
    set: &SampleSet,
    tally: &ModelTally,
    k: usize,
    expected: &ExpectedItems,
    dataset: Option<&Dataset>,
) -> Coverage {
    let k32 = u32::try_from(k).unwrap_or(u32::MAX);
    let mut by_scenario = [0, 1, 2].map(|slot| ScenarioCoverage {
        scenario: Scenario::ALL[slot],
        items_expected: expected.by_scenario[slot],
        items_with_samples: 0,
        items_evaluated: 0,
    });
    let (mut answer_short, mut reasoning_short, mut other_than_k) = (0, 0, 0);
    for item in &tally.items {
        let entry = &mut by_scenario[scenario_slot(item.scenario)];
        entry.items_with_samples += 1;
        entry.items_evaluated += usize::from(item.is_evaluated());
        answer_short += usize::from(item.answer.first_k_verdicts < k32);
        reasoning_short += usize::from(item.reasoning.first_k_verdicts < k32);
        other_than_k += usize::from(item.samples != k32);
    }
    let items_outside_dataset = dataset.map(|dataset| {
        tally
            .items
            .iter()
            .filter(|item| dataset.get(set.item_key(item.item)).is_none())
            .count()
    });
    let items_expected = expected.total();
    Coverage {
        expected_from: expected.from,
        items_expected,
        items_with_samples: tally.items.len(),
        items_evaluated: by_scenario.iter().map(|entry| entry.items_evaluated).sum(),
        samples_expected: items_expected.saturating_mul(k),
        samples: tally.counts.samples,
        answers_judged: tally.counts.answer.verdicts,
        reasonings_judged: tally.counts.reasoning.verdicts,
        answer_items_short_of_k: answer_short,
        reasoning_items_short_of_k: reasoning_short,
        items_other_than_k: other_than_k,
        items_outside_dataset,
        by_scenario,
    }
}
