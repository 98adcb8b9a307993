//! The scoring input: every judged (or not yet judged) sample of every model, stored compactly.
//!
//! A [`SampleSet`] interns model names and item ids once and keeps each [`Sample`] as a 16-byte
//! struct of small ids, so the 230,000 rows of a full 23-model judged file cost about 4 MB and
//! no per-row allocation. Every producer of samples (the judged-CSV reader, the web app's run
//! engine, the JSON run-file reader) goes through one [`SampleSetBuilder`], which enforces the
//! invariants the metrics rely on:
//!
//! - an item has one scenario across the whole set (all models answered the same benchmark);
//! - a reasoning verdict belongs to its item's scenario;
//! - `(model, item, sample index)` is unique, so "the first k samples" is well defined.

use crate::metrics::judgement::{AnswerJudgement, ReasoningJudgement};
use crate::scenario::Scenario;
use rustc_hash::{FxHashMap, FxHashSet};
use std::fmt;

/// A model of a [`SampleSet`], by position in [`SampleSet::models`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModelId(u32);

impl ModelId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// An item (benchmark query) of a [`SampleSet`], by position in first-appearance order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemId(u32);

impl ItemId {
    pub fn index(self) -> usize {
        self.0 as usize
    }

    #[cfg(test)]
    pub(crate) fn from_index_for_tests(index: u32) -> ItemId {
        ItemId(index)
    }
}

/// One answer of one model to one item, with both judgements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sample {
    pub model: ModelId,
    pub item: ItemId,
    /// 0-based: which of the model's k answers to the item this is.
    pub index: u32,
    pub answer: AnswerJudgement,
    pub reasoning: ReasoningJudgement,
}

/// An item as the sample set knows it: its id and scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
struct ItemEntry {
    key: Box<str>,
    scenario: Scenario,
}

/// Samples of one or more models, with interned model names and item ids. Built by
/// [`SampleSetBuilder`]; read-only afterwards.
#[derive(Clone, Debug, Default)]
pub struct SampleSet {
    models: Vec<Box<str>>,
    items: Vec<ItemEntry>,
    item_ids: FxHashMap<Box<str>, u32>,
    samples: Vec<Sample>,
    /// (samples of a (model, item) pair, number of pairs with that many), by size.
    pair_sizes: Vec<(u32, usize)>,
}

impl SampleSet {
    /// Model ids and names, in order of first appearance.
    pub fn models(&self) -> impl ExactSizeIterator<Item = (ModelId, &str)> + '_ {
        self.models
            .iter()
            .enumerate()
            .map(|(index, name)| (ModelId(index as u32), name.as_ref()))
    }

    pub fn model_count(&self) -> usize {
        self.models.len()
    }

    /// The model's name. Ids come from this set; an id from another set may name another model.
    pub fn model_name(&self, model: ModelId) -> &str {
        self.models
            .get(model.index())
            .map_or("", |name| name.as_ref())
    }

    pub fn model_id(&self, name: &str) -> Option<ModelId> {
        self.models
            .iter()
            .position(|known| known.as_ref() == name)
            .map(|index| ModelId(index as u32))
    }

    pub fn item_count(&self) -> usize {
        self.items.len()
    }

    /// The item's id as the input wrote it.
    pub fn item_key(&self, item: ItemId) -> &str {
        self.items
            .get(item.index())
            .map_or("", |entry| entry.key.as_ref())
    }

    pub fn item_scenario(&self, item: ItemId) -> Scenario {
        self.items
            .get(item.index())
            .map_or(Scenario::RiskOmission, |entry| entry.scenario)
    }

    pub fn item_id(&self, key: &str) -> Option<ItemId> {
        self.item_ids.get(key).map(|&index| ItemId(index))
    }

    /// Item ids with their keys and scenarios, in order of first appearance.
    pub fn items(&self) -> impl ExactSizeIterator<Item = (ItemId, &str, Scenario)> + '_ {
        self.items
            .iter()
            .enumerate()
            .map(|(index, entry)| (ItemId(index as u32), entry.key.as_ref(), entry.scenario))
    }

    /// Every sample, in the order it was added.
    pub fn samples(&self) -> &[Sample] {
        &self.samples
    }

    pub fn len(&self) -> usize {
        self.samples.len()
    }

    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }

    /// Item ids ordered by their key (byte order, which is code-point order), the order in which
    /// pandas' `groupby("id")` visits them; the official mode sums in that order.
    pub(crate) fn items_by_key(&self) -> Vec<ItemId> {
        let mut order: Vec<ItemId> = (0..self.items.len() as u32).map(ItemId).collect();
        order.sort_unstable_by(|a, b| self.items[a.index()].key.cmp(&self.items[b.index()].key));
        order
    }

    /// The most common number of samples per (model, item): the `k` a file was most likely made
    /// with. Ties go to the larger count, because missing samples only ever make counts smaller.
    /// `None` for an empty set.
    pub fn most_common_k(&self) -> Option<usize> {
        self.pair_sizes
            .iter()
            .max_by_key(|&&(size, pairs)| (pairs, size))
            .map(|&(size, _)| size as usize)
    }
}

/// Why a sample or item was refused by the [`SampleSetBuilder`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SampleError {
    /// The item was first added with another scenario.
    ScenarioConflict {
        item: String,
        known: Scenario,
        given: Scenario,
    },
    /// A reasoning verdict of another scenario than its item's.
    VerdictScenario {
        item: String,
        item_scenario: Scenario,
        verdict_scenario: Scenario,
    },
    /// The model already has a sample with this index for this item.
    DuplicateSample {
        model: String,
        item: String,
        index: u32,
    },
    /// A model or item id that this builder did not hand out.
    UnknownId,
}

impl fmt::Display for SampleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SampleError::ScenarioConflict { item, known, given } => write!(
                f,
                "item \"{item}\" is \"{given}\" here but \"{known}\" before: an item has one scenario"
            ),
            SampleError::VerdictScenario { item, item_scenario, verdict_scenario } => write!(
                f,
                "item \"{item}\" is \"{item_scenario}\" but its reasoning verdict is a \"{verdict_scenario}\" label"
            ),
            SampleError::DuplicateSample { model, item, index } => {
                write!(f, "model \"{model}\" already has sample {index} of item \"{item}\"")
            }
            SampleError::UnknownId => f.write_str("a model or item id from another sample set"),
        }
    }
}

impl std::error::Error for SampleError {}

/// Which sample indices a (model, item) pair has used. Indices below 128 live in a bit set (k is
/// 5 in the paper); higher ones, which only unusual files have, go to the builder's overflow set.
#[derive(Clone, Copy, Debug, Default)]
struct IndexSlot {
    low: u128,
    /// One past the highest index used: where [`SampleSetBuilder::push_next`] continues.
    next: u32,
    /// Samples of the pair.
    count: u32,
}

/// Collects samples into a [`SampleSet`], interning names and checking its invariants.
#[derive(Debug, Default)]
pub struct SampleSetBuilder {
    set: SampleSet,
    model_ids: FxHashMap<Box<str>, u32>,
    /// (model, item) -> position in `slots`.
    pair_slots: FxHashMap<(ModelId, ItemId), u32>,
    slots: Vec<IndexSlot>,
    /// The pair of the previous sample: readers add a pair's k samples one after another, and
    /// this saves the map lookup for all but the first.
    last_pair: Option<((ModelId, ItemId), u32)>,
    high_indices: FxHashSet<(ModelId, ItemId, u32)>,
}

impl SampleSetBuilder {
    pub fn new() -> SampleSetBuilder {
        SampleSetBuilder::default()
    }

    /// A builder with room for `samples` samples.
    pub fn with_capacity(samples: usize) -> SampleSetBuilder {
        let mut builder = SampleSetBuilder::default();
        builder.set.samples.reserve(samples);
        builder
    }

    /// The id of model `name`, adding it if new.
    pub fn model(&mut self, name: &str) -> ModelId {
        if let Some(&index) = self.model_ids.get(name) {
            return ModelId(index);
        }
        let index = self.set.models.len() as u32;
        self.set.models.push(name.into());
        self.model_ids.insert(name.into(), index);
        ModelId(index)
    }

    /// The id of item `key`, adding it with `scenario` if new; an error if it was added with
    /// another scenario.
    pub fn item(&mut self, key: &str, scenario: Scenario) -> Result<ItemId, SampleError> {
        if let Some(&index) = self.set.item_ids.get(key) {
            let known = self.set.items[index as usize].scenario;
            if known != scenario {
                return Err(SampleError::ScenarioConflict {
                    item: key.to_string(),
                    known,
                    given: scenario,
                });
            }
            return Ok(ItemId(index));
        }
        let index = self.set.items.len() as u32;
        self.set.items.push(ItemEntry {
            key: key.into(),
            scenario,
        });
        self.set.item_ids.insert(key.into(), index);
        Ok(ItemId(index))
    }

    /// Makes room for `samples` more samples.
    pub fn reserve(&mut self, samples: usize) {
        self.set.samples.reserve(samples);
    }

    /// The name of a model added before.
    pub fn model_name(&self, model: ModelId) -> &str {
        self.set.model_name(model)
    }

    /// The key of an item added before.
    pub fn item_key(&self, item: ItemId) -> &str {
        self.set.item_key(item)
    }

    /// The id and scenario of an item already added.
    pub fn find_item(&self, key: &str) -> Option<(ItemId, Scenario)> {
        self.set
            .item_ids
            .get(key)
            .map(|&index| (ItemId(index), self.set.items[index as usize].scenario))
    }

    /// Adds a sample with the next free index of its (model, item): one past the highest so far,
    /// which is the order of appearance when all samples come through here. Returns the index.
    pub fn push_next(
        &mut self,
        model: ModelId,
        item: ItemId,
        answer: AnswerJudgement,
        reasoning: ReasoningJudgement,
    ) -> Result<u32, SampleError> {
        self.check(model, item, reasoning)?;
        // The next index is free by construction (one past the highest used), so no duplicate
        // check is needed.
        let position = self.slot(model, item);
        let slot = &mut self.slots[position];
        let index = slot.next;
        if index < 128 {
            slot.low |= 1u128 << index;
        } else {
            self.high_indices.insert((model, item, index));
        }
        slot.next = index.saturating_add(1);
        slot.count += 1;
        self.set.samples.push(Sample {
            model,
            item,
            index,
            answer,
            reasoning,
        });
        Ok(index)
    }

    /// Adds a sample with its own index (the run engine knows which of the k answers it is).
    pub fn push(&mut self, sample: Sample) -> Result<(), SampleError> {
        self.check(sample.model, sample.item, sample.reasoning)?;
        let position = self.slot(sample.model, sample.item);
        let slot = &mut self.slots[position];
        let fresh = if sample.index < 128 {
            let bit = 1u128 << sample.index;
            let fresh = slot.low & bit == 0;
            slot.low |= bit;
            fresh
        } else {
            self.high_indices
                .insert((sample.model, sample.item, sample.index))
        };
        if !fresh {
            return Err(SampleError::DuplicateSample {
                model: self.set.model_name(sample.model).to_string(),
                item: self.set.item_key(sample.item).to_string(),
                index: sample.index,
            });
        }
        slot.next = slot.next.max(sample.index.saturating_add(1));
        slot.count += 1;
        self.set.samples.push(sample);
        Ok(())
    }

    /// Position in `slots` of the pair's slot, added if new.
    fn slot(&mut self, model: ModelId, item: ItemId) -> usize {
        if let Some((pair, position)) = self.last_pair {
            if pair == (model, item) {
                return position as usize;
            }
        }
        let fresh = self.slots.len() as u32;
        let position = *self.pair_slots.entry((model, item)).or_insert(fresh);
        if position == fresh {
            self.slots.push(IndexSlot::default());
        }
        self.last_pair = Some(((model, item), position));
        position as usize
    }

    /// Checks that the ids are this builder's and the reasoning verdict fits the item.
    fn check(
        &self,
        model: ModelId,
        item: ItemId,
        reasoning: ReasoningJudgement,
    ) -> Result<(), SampleError> {
        if model.index() >= self.set.models.len() || item.index() >= self.set.items.len() {
            return Err(SampleError::UnknownId);
        }
        let item_scenario = self.set.items[item.index()].scenario;
        match reasoning.verdict() {
            Some(verdict) if verdict.scenario() != item_scenario => {
                Err(SampleError::VerdictScenario {
                    item: self.set.item_key(item).to_string(),
                    item_scenario,
                    verdict_scenario: verdict.scenario(),
                })
            }
            _ => Ok(()),
        }
    }

    /// Samples added so far.
    pub fn len(&self) -> usize {
        self.set.samples.len()
    }

    pub fn is_empty(&self) -> bool {
        self.set.samples.is_empty()
    }

    pub fn build(self) -> SampleSet {
        let mut set = self.set;
        let mut sizes: FxHashMap<u32, usize> = FxHashMap::default();
        for slot in self.slots.iter().filter(|slot| slot.count > 0) {
            *sizes.entry(slot.count).or_insert(0) += 1;
        }
        set.pair_sizes = sizes.into_iter().collect();
        set.pair_sizes.sort_unstable();
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::judgement::Judgement;
    use crate::verdict::{AnswerVerdict, ReasoningVerdict, RiskOmissionVerdict};

    #[test]
    fn samples_are_small() {
        // 4 + 4 + 4 + 1 + 1, padded to 16: 230,000 samples fit in under 4 MB.
        assert_eq!(std::mem::size_of::<Sample>(), 16);
    }

    #[test]
    fn push_next_numbers_samples_in_order_of_appearance() {
        let mut builder = SampleSetBuilder::new();
        let a = builder.model("a");
        let b = builder.model("b");
        assert_eq!(builder.model("a"), a);
        let item = builder.item("x", Scenario::RiskOmission).unwrap();
        let safe = Judgement::Verdict(AnswerVerdict::Safe);
        assert_eq!(builder.push_next(a, item, safe, Judgement::Unjudged), Ok(0));
        assert_eq!(builder.push_next(b, item, safe, Judgement::Unjudged), Ok(0));
        assert_eq!(builder.push_next(a, item, safe, Judgement::Unjudged), Ok(1));
        let set = builder.build();
        let indices: Vec<(usize, u32)> = set
            .samples()
            .iter()
            .map(|s| (s.model.index(), s.index))
            .collect();
        assert_eq!(indices, vec![(0, 0), (1, 0), (0, 1)]);
        assert_eq!(set.model_name(b), "b");
        assert_eq!(set.item_id("x"), Some(item));
    }

    #[test]
    fn refuses_conflicting_scenarios_mismatched_verdicts_and_duplicates() {
        let mut builder = SampleSetBuilder::new();
        let model = builder.model("m");
        let item = builder.item("x", Scenario::CognitiveShortcut).unwrap();
        assert!(matches!(
            builder.item("x", Scenario::RiskOmission),
            Err(SampleError::ScenarioConflict {
                known: Scenario::CognitiveShortcut,
                ..
            })
        ));
        let ro_verdict =
            Judgement::Verdict(ReasoningVerdict::RiskOmission(RiskOmissionVerdict::Covered));
        assert!(matches!(
            builder.push_next(model, item, Judgement::Unjudged, ro_verdict),
            Err(SampleError::VerdictScenario { .. })
        ));
        let sample = Sample {
            model,
            item,
            index: 200,
            answer: Judgement::Unjudged,
            reasoning: Judgement::Unjudged,
        };
        assert_eq!(builder.push(sample), Ok(()));
        assert!(matches!(
            builder.push(sample),
            Err(SampleError::DuplicateSample { index: 200, .. })
        ));
        assert_eq!(builder.push(Sample { index: 3, ..sample }), Ok(()));
        assert!(matches!(
            builder.push(Sample { index: 3, ..sample }),
            Err(SampleError::DuplicateSample { .. })
        ));
        // push_next continues after the highest index.
        assert_eq!(
            builder.push_next(model, item, Judgement::Unjudged, Judgement::Unjudged),
            Ok(201)
        );
        assert_eq!(builder.len(), 3);
    }

    #[test]
    fn most_common_k_prefers_the_larger_count_on_ties() {
        let mut builder = SampleSetBuilder::new();
        let model = builder.model("m");
        for (key, count) in [("a", 5), ("b", 5), ("c", 4), ("d", 4), ("e", 3)] {
            let item = builder.item(key, Scenario::RiskOmission).unwrap();
            for _ in 0..count {
                builder
                    .push_next(model, item, Judgement::Unjudged, Judgement::Unjudged)
                    .unwrap();
            }
        }
        assert_eq!(builder.build().most_common_k(), Some(5));
        assert_eq!(SampleSet::default().most_common_k(), None);
    }
}
