//! Agreement between two judges on the same samples: Cohen's kappa per verdict type.
//!
//! [`judge_agreement`] pairs two judges' [`JudgeLabel`]s by [`SampleKey`] and reports an
//! [`AgreementReport`]: one [`Agreement`] for answer verdicts, one per scenario for reasoning
//! verdicts, and one for reasoning verdicts pooled as correct / incorrect. Each [`Agreement`]
//! holds n, observed agreement p_o, chance agreement p_e, kappa = (p_o - p_e) / (1 - p_e), the
//! confusion counts and the samples where the judges differ. Kappa is `None` when p_e = 1 (both
//! judges gave one and the same label throughout: agreement beyond chance is undefined).
//!
//! Counts are kept as integers and kappa is computed as (n·a − S) / (n² − S), where a is the
//! number of agreements and S = Σ_c first(c)·second(c); multiplying p_o and p_e by n² gives
//! this form, and it makes the p_e = 1 test exact.

use super::kind::JudgeKind;
use super::verdict::JudgeLabel;
use crate::scenario::Scenario;
use crate::sort;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One sample of one item: the unit both judges judged.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SampleKey {
    pub item_id: String,
    /// 0-based sample index (of k).
    pub sample: usize,
}

impl SampleKey {
    pub fn new(item_id: impl Into<String>, sample: usize) -> SampleKey {
        SampleKey {
            item_id: item_id.into(),
            sample,
        }
    }
}

/// Agreement of two judges on one verdict type.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Agreement {
    /// Samples both judges labelled.
    pub n: usize,
    /// Share of the n samples with the same label.
    pub observed: f64,
    /// Agreement expected by chance from each judge's label frequencies.
    pub expected: f64,
    /// Cohen's kappa; `None` when `expected` is 1.
    pub kappa: Option<f64>,
    /// `(first judge's label, second judge's label, count)` for every pair that occurs, in
    /// label order.
    pub confusion: Vec<(&'static str, &'static str, usize)>,
    /// Samples where the two labels differ, sorted.
    pub differing: Vec<SampleKey>,
}

/// Agreement on every verdict type two judges share.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AgreementReport {
    /// Answer verdicts; `None` when no sample has one from both judges.
    pub answer: Option<Agreement>,
    /// Reasoning verdicts per scenario, for the scenarios with paired samples.
    pub reasoning: BTreeMap<Scenario, Agreement>,
    /// Reasoning verdicts of all scenarios as correct / incorrect.
    pub reasoning_pooled: Option<Agreement>,
    /// Verdicts only the first judge gave, as (sample, judge).
    pub only_first: Vec<(SampleKey, JudgeKind)>,
    /// Verdicts only the second judge gave.
    pub only_second: Vec<(SampleKey, JudgeKind)>,
    /// Samples whose reasoning verdicts are of different scenarios: the two sets of verdicts do
    /// not come from the same dataset. Left out of every figure.
    pub mismatched: Vec<SampleKey>,
    /// Samples given two verdicts of the same type by one judge; the later one was used.
    pub duplicates: Vec<(SampleKey, JudgeKind)>,
}

/// Which of a sample's two verdicts a label is: answer or reasoning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Slot {
    Answer,
    Reasoning,
}

fn slot(label: JudgeLabel) -> Slot {
    match label {
        JudgeLabel::Answer(_) => Slot::Answer,
        JudgeLabel::Reasoning(_) => Slot::Reasoning,
    }
}

/// Pairs the two judges' verdicts by sample and measures their agreement.
pub fn judge_agreement(
    first: &[(SampleKey, JudgeLabel)],
    second: &[(SampleKey, JudgeLabel)],
) -> AgreementReport {
    let mut report = AgreementReport::default();
    let index = |verdicts: &[(SampleKey, JudgeLabel)],
                 duplicates: &mut Vec<(SampleKey, JudgeKind)>| {
        let mut map: BTreeMap<(SampleKey, Slot), JudgeLabel> = BTreeMap::new();
        for (key, label) in verdicts {
            if map.insert((key.clone(), slot(*label)), *label).is_some() {
                duplicates.push((key.clone(), label.kind()));
            }
        }
        map
    };
    let first = index(first, &mut report.duplicates);
    let mut second = index(second, &mut report.duplicates);
    sort::sort(&mut report.duplicates);
    report.duplicates.dedup();

    let mut answers = Vec::new();
    let mut by_scenario: BTreeMap<Scenario, Vec<(SampleKey, &'static str, &'static str)>> =
        BTreeMap::new();
    let mut pooled = Vec::new();
    for ((key, slot), a) in first {
        let Some(b) = second.remove(&(key.clone(), slot)) else {
            report.only_first.push((key, a.kind()));
            continue;
        };
        match (a, b) {
            (JudgeLabel::Answer(a), JudgeLabel::Answer(b)) => {
                answers.push((key, a.label(), b.label()))
            }
            (JudgeLabel::Reasoning(a), JudgeLabel::Reasoning(b))
                if a.scenario() == b.scenario() =>
            {
                pooled.push((
                    key.clone(),
                    correctness(a.is_correct()),
                    correctness(b.is_correct()),
                ));
                by_scenario
                    .entry(a.scenario())
                    .or_default()
                    .push((key, a.label(), b.label()));
            }
            _ => report.mismatched.push(key),
        }
    }
    report.only_second = second
        .into_iter()
        .map(|((key, _), label)| (key, label.kind()))
        .collect();
    report.answer = cohen_kappa(answers, JudgeKind::Answer.labels());
    report.reasoning_pooled = cohen_kappa(pooled, &["correct", "incorrect"]);
    for (scenario, pairs) in by_scenario {
        if let Some(agreement) = cohen_kappa(pairs, JudgeKind::Reasoning(scenario).labels()) {
            report.reasoning.insert(scenario, agreement);
        }
    }
    report
}

fn correctness(correct: bool) -> &'static str {
    if correct {
        "correct"
    } else {
        "incorrect"
    }
}

/// Cohen's kappa over `(sample, first label, second label)` triples; `None` when there are none.
/// `order` fixes the order of the confusion counts (labels not in it come last).
pub fn cohen_kappa(
    pairs: impl IntoIterator<Item = (SampleKey, &'static str, &'static str)>,
    order: &[&'static str],
) -> Option<Agreement> {
    let mut n: u64 = 0;
    let mut agreements: u64 = 0;
    let mut first_counts: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut second_counts: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut cells: BTreeMap<(usize, usize, &'static str, &'static str), usize> = BTreeMap::new();
    let mut differing = Vec::new();
    let rank = |label: &str| {
        order
            .iter()
            .position(|known| *known == label)
            .unwrap_or(order.len())
    };
    for (key, a, b) in pairs {
        n += 1;
        *first_counts.entry(a).or_default() += 1;
        *second_counts.entry(b).or_default() += 1;
        *cells.entry((rank(a), rank(b), a, b)).or_default() += 1;
        if a == b {
            agreements += 1;
        } else {
            differing.push(key);
        }
    }
    if n == 0 {
        return None;
    }
    sort::sort(&mut differing);
    // S = Σ_c first(c)·second(c); p_e = S / n², p_o = a / n.
    let chance: u128 = first_counts
        .iter()
        .map(|(label, count)| {
            u128::from(*count) * u128::from(second_counts.get(label).copied().unwrap_or(0))
        })
        .sum();
    let n2 = u128::from(n) * u128::from(n);
    let numerator = i128::try_from(u128::from(n) * u128::from(agreements)).unwrap_or(i128::MAX)
        - i128::try_from(chance).unwrap_or(i128::MAX);
    let denominator = n2 - chance;
    let kappa = (denominator != 0).then(|| numerator as f64 / denominator as f64);
    Some(Agreement {
        n: n as usize,
        observed: agreements as f64 / n as f64,
        expected: chance as f64 / n2 as f64,
        kappa,
        confusion: cells
            .into_iter()
            .map(|((_, _, a, b), count)| (a, b, count))
            .collect(),
        differing,
    })
}
