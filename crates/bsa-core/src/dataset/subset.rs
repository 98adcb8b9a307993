//! Choosing which items a run evaluates: whole scenarios, or a seeded stratified sample.
//!
//! - [`SubsetSpec`]: what the run file records (scenarios, sample size `n`, seed); its
//!   [`SubsetSpec::select`] gives the [`Subset`].
//! - [`Subset`]: the chosen ids in dataset order, and a table of [`StratumCount`]s (per
//!   [`Stratum`]: how many items were available and how many were chosen).
//! - [`stratified_sample`] and [`scenario_subset`]: the two ways of choosing, on their own.
//!
//! A small sample of a 2,000-item benchmark is only useful if it looks like the benchmark, so the
//! sampler stratifies by scenario x primary category (of the item's first risk, the `Query A`
//! risk of a Cognitive Shortcut item). The algorithm is part of the run-file contract, since a
//! recorded seed must give the same items in every later version; it is, exactly:
//!
//! 1. Strata are the distinct (scenario, first primary category) pairs of the candidate items,
//!    ordered by scenario (Risk Omission, Cognitive Shortcut, Over Sensitivity), then by
//!    [`crate::scenario::category_rank`], then by category name. Each stratum lists its items in
//!    dataset order. Strata with no items do not exist, so none is ever allocated anything.
//! 2. If `n` is at least the number of candidates, everything is chosen and no random number is
//!    drawn. Otherwise stratum `s` with `a_s` of the `N` candidates gets `floor(n * a_s / N)`
//!    items, and the `n - sum(floors)` items left over go one each to the strata with the largest
//!    remainders `n * a_s mod N`, ties going to the earlier stratum (largest-remainder method).
//!    Every stratum thus gets its exact share rounded down or up.
//! 3. One [`Xoshiro256StarStar`] seeded with the seed walks the strata in order. A stratum given
//!    `k` of its `a` items, `0 < k < a`, runs a partial Fisher-Yates shuffle: for `i` in `0..k`,
//!    swap position `i` with position `i + below(a - i)`; the first `k` positions are chosen.
//!    Strata given none or all of their items draw nothing.
//! 4. The chosen ids are returned in dataset order.

use super::{Dataset, Item};
use crate::rng::Xoshiro256StarStar;
use crate::scenario::{category_rank, Scenario};
use crate::sort;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which items to evaluate, as recorded in a run file: the items of `scenarios` (all when
/// empty), then, when `n` is set, a stratified sample of `n` of them drawn with `seed`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubsetSpec {
    /// Scenarios to keep; empty keeps every scenario.
    #[serde(default)]
    pub scenarios: Vec<Scenario>,
    /// Sample size; `None` keeps every item of the chosen scenarios.
    #[serde(default)]
    pub n: Option<usize>,
    /// Seed of the stratified sampler (unused without `n`).
    #[serde(default)]
    pub seed: u64,
}

impl SubsetSpec {
    /// Every item.
    pub fn all() -> SubsetSpec {
        SubsetSpec::default()
    }

    /// A stratified sample of `n` items drawn with `seed`.
    pub fn sample(n: usize, seed: u64) -> SubsetSpec {
        SubsetSpec {
            scenarios: Vec::new(),
            n: Some(n),
            seed,
        }
    }

    /// Every item of these scenarios.
    pub fn of_scenarios(scenarios: &[Scenario]) -> SubsetSpec {
        SubsetSpec {
            scenarios: scenarios.to_vec(),
            n: None,
            seed: 0,
        }
    }

    /// The subset of `dataset` this spec chooses.
    pub fn select(&self, dataset: &Dataset) -> Subset {
        let candidates: Vec<usize> = dataset
            .items()
            .iter()
            .enumerate()
            .filter(|(_, item)| {
                self.scenarios.is_empty() || self.scenarios.contains(&item.scenario)
            })
            .map(|(index, _)| index)
            .collect();
        choose(dataset, &candidates, self.n, self.seed)
    }
}

/// A stratum of the sampler: a scenario and the primary category of the items' first risk.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Stratum {
    pub scenario: Scenario,
    pub primary: String,
}

impl Stratum {
    /// The stratum of an item (an item without risks, possible only when built in code, falls in
    /// the stratum with an empty category name).
    pub fn of(item: &Item) -> Stratum {
        let primary = item
            .risks
            .first()
            .map(|risk| risk.primary.clone())
            .unwrap_or_default();
        Stratum {
            scenario: item.scenario,
            primary,
        }
    }

    /// The sort key of the documented stratum order.
    fn order_key(&self) -> (usize, usize, String) {
        let scenario = Scenario::ALL
            .iter()
            .position(|s| *s == self.scenario)
            .unwrap_or(Scenario::ALL.len());
        (scenario, category_rank(&self.primary), self.primary.clone())
    }
}

/// One line of a subset's stratum table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StratumCount {
    pub stratum: Stratum,
    /// Candidate items in this stratum.
    pub available: usize,
    /// Items chosen from it.
    pub chosen: usize,
}

/// The items chosen for a run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subset {
    /// Chosen item ids, in dataset order.
    pub ids: Vec<String>,
    /// Per stratum, in stratum order: available and chosen counts.
    pub strata: Vec<StratumCount>,
}

impl Subset {
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// A stratified sample of `n` items of `dataset` drawn with `seed` (see the module docs); all
/// items when `n` is at least the dataset's size.
pub fn stratified_sample(dataset: &Dataset, n: usize, seed: u64) -> Subset {
    SubsetSpec::sample(n, seed).select(dataset)
}

/// Every item of the given scenarios, with its stratum table.
pub fn scenario_subset(dataset: &Dataset, scenarios: &[Scenario]) -> Subset {
    SubsetSpec::of_scenarios(scenarios).select(dataset)
}

/// Chooses among `candidates` (indices into the dataset, in dataset order).
fn choose(dataset: &Dataset, candidates: &[usize], n: Option<usize>, seed: u64) -> Subset {
    let items = dataset.items();
    let mut by_stratum: BTreeMap<(usize, usize, String), (Stratum, Vec<usize>)> = BTreeMap::new();
    for &index in candidates {
        let stratum = Stratum::of(&items[index]);
        by_stratum
            .entry(stratum.order_key())
            .or_insert_with(|| (stratum, Vec::new()))
            .1
            .push(index);
    }
    let mut strata: Vec<(Stratum, Vec<usize>)> = by_stratum.into_values().collect();

    let total = candidates.len();
    let wanted = n.unwrap_or(total);
    let quotas: Vec<usize> = if wanted >= total {
        strata.iter().map(|(_, members)| members.len()).collect()
    } else {
        largest_remainder(
            wanted,
            &strata
                .iter()
                .map(|(_, members)| members.len())
                .collect::<Vec<_>>(),
        )
    };

    let mut rng = Xoshiro256StarStar::seed_from_u64(seed);
    let mut chosen = Vec::with_capacity(wanted.min(total));
    let mut table = Vec::with_capacity(strata.len());
    for ((stratum, members), &quota) in strata.iter_mut().zip(&quotas) {
        let available = members.len();
        if quota > 0 && quota < available {
            for i in 0..quota {
                let j = i + rng.below_usize(available - i);
                members.swap(i, j);
            }
        }
        chosen.extend_from_slice(&members[..quota]);
        table.push(StratumCount {
            stratum: stratum.clone(),
            available,
            chosen: quota,
        });
    }
    chosen.sort_unstable();
    Subset {
        ids: chosen
            .into_iter()
            .map(|index| items[index].id.clone())
            .collect(),
        strata: table,
    }
}

/// Splits `n` (less than the sum of `sizes`) over strata of the given sizes in proportion,
/// by the largest-remainder method with ties to the earlier stratum.
fn largest_remainder(n: usize, sizes: &[usize]) -> Vec<usize> {
    let total: u128 = sizes.iter().map(|&size| size as u128).sum();
    if total == 0 {
        return vec![0; sizes.len()];
    }
    let n128 = n as u128;
    let mut quotas: Vec<usize> = sizes
        .iter()
        .map(|&size| (n128 * size as u128 / total) as usize)
        .collect();
    let remainders: Vec<u128> = sizes
        .iter()
        .map(|&size| n128 * size as u128 % total)
        .collect();
    let left = n.saturating_sub(quotas.iter().sum());
    let mut order: Vec<usize> = (0..sizes.len()).collect();
    // Stable sort: equal remainders keep stratum order.
    sort::sort_by(&mut order, |&a, &b| remainders[b].cmp(&remainders[a]));
    for &index in order.iter().take(left) {
        quotas[index] += 1;
    }
    quotas
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Risk;

    /// A dataset with `count` items in each (scenario, primary) cell listed.
    fn dataset(cells: &[(Scenario, &str, usize)]) -> Dataset {
        let mut items = Vec::new();
        for &(scenario, primary, count) in cells {
            for _ in 0..count {
                items.push(Item {
                    id: format!("item-{}", items.len()),
                    query: "q".into(),
                    risk_summary: "r".into(),
                    scenario,
                    risks: vec![Risk {
                        part: None,
                        primary: primary.into(),
                        secondary: "s".into(),
                    }],
                });
            }
        }
        Dataset::from_items(items)
    }

    fn mixed() -> Dataset {
        // Interleave two scenarios so that dataset order differs from stratum order.
        let mut items = Vec::new();
        let cells = [
            (Scenario::CognitiveShortcut, "Rumors", 37),
            (Scenario::RiskOmission, "Pornography", 11),
            (Scenario::RiskOmission, "Offense and Prejudice", 52),
            (Scenario::OverSensitivity, "Ethics and Morality", 9),
            (Scenario::CognitiveShortcut, "Offense and Prejudice", 91),
        ];
        for item in dataset(&cells).items() {
            items.push(item.clone());
        }
        items.rotate_left(60);
        Dataset::from_items(items)
    }

    #[test]
    fn largest_remainder_by_hand() {
        // 9 * (5, 3, 2) / 10 = 4.5, 2.7, 1.8: floors 4, 2, 1, 2 left; remainders 5, 7, 8 (tenths)
        // -> the two largest (strata 3 and 2) get one more: 4, 3, 2.
        assert_eq!(largest_remainder(9, &[5, 3, 2]), vec![4, 3, 2]);
        // Ties: 2 over sizes 1, 1, 1, 1: shares 0.5 each; the first two strata win.
        assert_eq!(largest_remainder(2, &[1, 1, 1, 1]), vec![1, 1, 0, 0]);
        assert_eq!(largest_remainder(0, &[4, 4]), vec![0, 0]);
    }

    #[test]
    fn same_seed_same_subset_and_different_seeds_differ() {
        let data = mixed();
        let a = stratified_sample(&data, 40, 7);
        let b = stratified_sample(&data, 40, 7);
        assert_eq!(a, b);
        let c = stratified_sample(&data, 40, 8);
        assert_ne!(a.ids, c.ids);
        assert_eq!(
            a.strata.iter().map(|s| s.chosen).collect::<Vec<_>>(),
            c.strata.iter().map(|s| s.chosen).collect::<Vec<_>>()
        );
    }

    #[test]
    fn every_stratum_gets_its_share_within_one() {
        let data = mixed();
        let total = data.len() as f64;
        for n in [1, 7, 40, 100, 199] {
            let subset = stratified_sample(&data, n, 99);
            assert_eq!(subset.len(), n);
            assert_eq!(subset.strata.iter().map(|s| s.chosen).sum::<usize>(), n);
            for stratum in &subset.strata {
                let share = n as f64 * stratum.available as f64 / total;
                assert!(
                    (stratum.chosen as f64 - share).abs() < 1.0,
                    "n = {n}: {stratum:?} vs {share}"
                );
            }
            // The ids are really from the strata the table says.
            for stratum in &subset.strata {
                let counted = subset
                    .ids
                    .iter()
                    .filter(|id| data.get(id).map(Stratum::of).as_ref() == Some(&stratum.stratum))
                    .count();
                assert_eq!(counted, stratum.chosen);
            }
        }
    }

    #[test]
    fn ids_come_back_in_dataset_order_without_repeats() {
        let data = mixed();
        let subset = stratified_sample(&data, 60, 1);
        let positions: Vec<usize> = subset
            .ids
            .iter()
            .map(|id| data.position(id).unwrap())
            .collect();
        assert!(positions.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn strata_are_in_documented_order() {
        let subset = stratified_sample(&mixed(), 10, 1);
        let order: Vec<(Scenario, &str)> = subset
            .strata
            .iter()
            .map(|s| (s.stratum.scenario, s.stratum.primary.as_str()))
            .collect();
        assert_eq!(
            order,
            vec![
                (Scenario::RiskOmission, "Offense and Prejudice"),
                (Scenario::RiskOmission, "Pornography"),
                (Scenario::CognitiveShortcut, "Offense and Prejudice"),
                (Scenario::CognitiveShortcut, "Rumors"),
                (Scenario::OverSensitivity, "Ethics and Morality"),
            ]
        );
    }

    #[test]
    fn zero_everything_and_empty_inputs() {
        let data = mixed();
        let none = stratified_sample(&data, 0, 5);
        assert!(none.is_empty());
        assert!(none.strata.iter().all(|s| s.chosen == 0));
        assert_eq!(
            none.strata.iter().map(|s| s.available).sum::<usize>(),
            data.len()
        );

        for n in [data.len(), data.len() + 1, usize::MAX] {
            let all = stratified_sample(&data, n, 5);
            let expected: Vec<String> = data.items().iter().map(|item| item.id.clone()).collect();
            assert_eq!(all.ids, expected);
        }

        let empty = stratified_sample(&Dataset::default(), 10, 5);
        assert!(empty.is_empty() && empty.strata.is_empty());
    }

    #[test]
    fn missing_scenarios_and_categories_make_no_strata() {
        // Only Over Sensitivity items of one category: one stratum, which takes the whole n.
        let data = dataset(&[(Scenario::OverSensitivity, "Rumors", 20)]);
        let subset = stratified_sample(&data, 5, 3);
        assert_eq!(subset.strata.len(), 1);
        assert_eq!(subset.strata[0].chosen, 5);
        // A stratum too small for even one item at this n gets none.
        let data = dataset(&[
            (Scenario::RiskOmission, "Rumors", 98),
            (Scenario::RiskOmission, "Pornography", 2),
        ]);
        let subset = stratified_sample(&data, 10, 3);
        // Shares 9.8 and 0.2: floors 9 and 0, the leftover goes to the larger remainder (0.8).
        assert_eq!(
            subset.strata.iter().map(|s| s.chosen).collect::<Vec<_>>(),
            vec![10, 0]
        );
    }

    #[test]
    fn within_a_stratum_every_item_is_equally_likely() {
        // 10 items, 3 chosen, over 3,000 seeds: each item expected 900 times, sd about 25.
        let data = dataset(&[
            (Scenario::RiskOmission, "Rumors", 10),
            (Scenario::CognitiveShortcut, "Rumors", 10),
        ]);
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for seed in 0..3000 {
            for id in stratified_sample(&data, 6, seed).ids {
                *counts.entry(id).or_default() += 1;
            }
        }
        assert_eq!(counts.len(), 20);
        for (id, count) in counts {
            assert!((780..=1020).contains(&count), "{id}: {count}");
        }
    }

    #[test]
    fn scenario_subsets_and_combined_specs() {
        let data = mixed();
        let ro = scenario_subset(&data, &[Scenario::RiskOmission]);
        assert_eq!(ro.len(), 63);
        assert!(ro
            .ids
            .iter()
            .all(|id| data.get(id).unwrap().scenario == Scenario::RiskOmission));
        assert!(ro.strata.iter().all(|s| s.available == s.chosen));
        let two = scenario_subset(&data, &[Scenario::OverSensitivity, Scenario::RiskOmission]);
        assert_eq!(two.len(), 72);
        assert_eq!(SubsetSpec::all().select(&data).len(), data.len());

        let spec = SubsetSpec {
            scenarios: vec![Scenario::CognitiveShortcut],
            n: Some(32),
            seed: 11,
        };
        let subset = spec.select(&data);
        assert_eq!(subset.len(), 32);
        assert!(subset
            .ids
            .iter()
            .all(|id| data.get(id).unwrap().scenario == Scenario::CognitiveShortcut));
        // 32 over 91 and 37 (N = 128): shares 22.75 and 9.25 -> 23 and 9.
        assert_eq!(
            subset.strata.iter().map(|s| s.chosen).collect::<Vec<_>>(),
            vec![23, 9]
        );
    }

    #[test]
    fn spec_round_trips_through_json() {
        let spec = SubsetSpec {
            scenarios: vec![Scenario::OverSensitivity],
            n: Some(50),
            seed: 2025,
        };
        let json = serde_json::to_string(&spec).unwrap();
        assert_eq!(serde_json::from_str::<SubsetSpec>(&json).unwrap(), spec);
        // Missing keys mean "everything".
        assert_eq!(
            serde_json::from_str::<SubsetSpec>("{}").unwrap(),
            SubsetSpec::all()
        );
    }
}
