//! Paired comparison of two models on the items both were evaluated on.
//!
//! Differences are `a - b` in percentage points, computed with the evaluated-mode formulas over
//! the common items only (each metric over the common items where both models have a value), so
//! that both models are measured on exactly the same questions. The interval is a paired
//! bootstrap: every replicate draws one stratified resample of the common items and scores both
//! models on it, so item difficulty, which both share, cancels out of the difference.

use crate::metrics::bootstrap::{
    accumulate, derive_seed, percentile_interval, strata_of, Estimator, Interval, ItemValues,
    Resampler,
};
use crate::metrics::headline::HeadlineMetric;
use crate::metrics::mode::Mode;
use crate::metrics::samples::SampleSet;
use crate::metrics::score::{ScoreError, ScoreOptions};
use crate::metrics::tally::{tally_models, ItemTally, SideTally};
use crate::scenario::Scenario;
use crate::sort;
use serde::{Deserialize, Serialize};

/// One metric of both models and their difference.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricDifference {
    pub metric: HeadlineMetric,
    /// The metric of each model on the common items, in percent.
    pub a: Option<f64>,
    pub b: Option<f64>,
    /// `a - b`, percentage points.
    pub difference: Option<f64>,
    /// Paired bootstrap interval of the difference (`None` without bootstrap).
    pub interval: Option<Interval>,
}

/// An item on which the two models' per-item rates differ.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemDisagreement {
    pub item: String,
    pub scenario: Scenario,
    /// Share of the model's judged samples that were safe (or whose reasoning was correct), in
    /// percent.
    pub a_rate: f64,
    pub b_rate: f64,
}

/// The comparison of model `a` with model `b`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairedComparison {
    pub a: String,
    pub b: String,
    /// Items both models have at least one verdict for.
    pub common_items: usize,
    /// One entry per [`HeadlineMetric`], in [`HeadlineMetric::ALL`] order.
    pub differences: Vec<MetricDifference>,
    /// Items whose safe-answer rates differ, largest difference first (then by item id).
    pub answer_disagreements: Vec<ItemDisagreement>,
    /// Items whose correct-reasoning rates differ, largest difference first (then by item id).
    pub reasoning_disagreements: Vec<ItemDisagreement>,
}

/// Compares models `a` and `b` of `set` (by name). `options.mode` is not used: a paired
/// comparison is always over the common items.
pub fn compare(
    set: &SampleSet,
    a: &str,
    b: &str,
    options: &ScoreOptions,
) -> Result<PairedComparison, ScoreError> {
    options.check()?;
    let unknown = |name: &str| ScoreError::UnknownModel {
        name: name.to_string(),
        known: set.models().map(|(_, name)| name.to_string()).collect(),
    };
    let a_id = set.model_id(a).ok_or_else(|| unknown(a))?;
    let b_id = set.model_id(b).ok_or_else(|| unknown(b))?;
    let tallies = tally_models(set, options.k);
    let a_tally = &tallies[a_id.index()];
    let b_tally = &tallies[b_id.index()];

    // Pair the items: both tallies are sorted by item key, so the pairs are too.
    let mut a_position = vec![usize::MAX; set.item_count()];
    for (position, item) in a_tally.items.iter().enumerate() {
        a_position[item.item.index()] = position;
    }
    let pairs: Vec<(&ItemTally, &ItemTally)> = b_tally
        .items
        .iter()
        .filter(|b_item| b_item.is_evaluated())
        .filter_map(|b_item| {
            let a_item = a_tally.items.get(*a_position.get(b_item.item.index())?)?;
            a_item.is_evaluated().then_some((a_item, b_item))
        })
        .collect();

    let values: Vec<(ItemValues, ItemValues)> = pairs
        .iter()
        .map(|(a_item, b_item)| {
            ItemValues::paired(
                ItemValues::of(a_item, Mode::Evaluated, options.k),
                ItemValues::of(b_item, Mode::Evaluated, options.k),
            )
        })
        .collect();
    let (a_values, b_values): (Vec<ItemValues>, Vec<ItemValues>) = values.into_iter().unzip();
    let has_reasoning =
        a_tally.counts.reasoning.verdicts > 0 && b_tally.counts.reasoning.verdicts > 0;
    let estimator = Estimator {
        mode: Mode::Evaluated,
        has_reasoning,
        alpha: options.alpha,
    };
    let everything: Vec<u32> = (0..pairs.len() as u32).collect();
    let point_a = {
        let (sums, weights) = accumulate(&a_values, &everything);
        estimator.metrics(&sums, &weights)
    };
    let point_b = {
        let (sums, weights) = accumulate(&b_values, &everything);
        estimator.metrics(&sums, &weights)
    };

    let mut intervals: [Option<Interval>; 5] = [None; 5];
    if let Some(bootstrap) = options
        .bootstrap
        .filter(|bootstrap| bootstrap.replicates > 0)
    {
        let a_items: Vec<&ItemTally> = pairs.iter().map(|(a_item, _)| *a_item).collect();
        let mut resampler =
            Resampler::new(strata_of(&a_items), derive_seed(bootstrap.seed, &[a, b]));
        let mut replicates: [Vec<f64>; 5] = Default::default();
        let mut drawn = Vec::with_capacity(pairs.len());
        for _ in 0..bootstrap.replicates {
            resampler.draw(&mut drawn);
            let (a_sums, a_weights) = accumulate(&a_values, &drawn);
            let (b_sums, b_weights) = accumulate(&b_values, &drawn);
            let a_metrics = estimator.metrics(&a_sums, &a_weights);
            let b_metrics = estimator.metrics(&b_sums, &b_weights);
            for slot in 0..5 {
                if let (Some(x), Some(y)) = (a_metrics[slot], b_metrics[slot]) {
                    replicates[slot].push(x - y);
                }
            }
        }
        for slot in 0..5 {
            intervals[slot] = percentile_interval(&mut replicates[slot], bootstrap.confidence);
        }
    }

    let differences = HeadlineMetric::ALL
        .into_iter()
        .enumerate()
        .map(|(slot, metric)| MetricDifference {
            metric,
            a: point_a[slot],
            b: point_b[slot],
            difference: point_a[slot].zip(point_b[slot]).map(|(x, y)| x - y),
            interval: if point_a[slot].is_some() && point_b[slot].is_some() {
                intervals[slot]
            } else {
                None
            },
        })
        .collect();

    let disagreements = |side: fn(&ItemTally) -> &SideTally| -> Vec<ItemDisagreement> {
        let mut list: Vec<ItemDisagreement> = pairs
            .iter()
            .filter_map(|(a_item, b_item)| {
                let (x, y) = (side(a_item).rate()?, side(b_item).rate()?);
                (x != y).then(|| ItemDisagreement {
                    item: set.item_key(a_item.item).to_string(),
                    scenario: a_item.scenario,
                    a_rate: x * 100.0,
                    b_rate: y * 100.0,
                })
            })
            .collect();
        // Differences equal as fractions (2/3 - 0 and 1 - 1/3) can differ in the last binary
        // digit; comparing them at 1e-9 percentage points keeps such ties ordered by id.
        let key = |d: &ItemDisagreement| ((d.a_rate - d.b_rate).abs() * 1e9).round() as i64;
        sort::sort_by(&mut list, |p, q| {
            key(q).cmp(&key(p)).then_with(|| p.item.cmp(&q.item))
        });
        list
    };
    Ok(PairedComparison {
        a: a.to_string(),
        b: b.to_string(),
        common_items: pairs.len(),
        differences,
        answer_disagreements: disagreements(|item| &item.answer),
        reasoning_disagreements: disagreements(|item| &item.reasoning),
    })
}
