//! The item browser of the Results page: which items of the selected model are listed.
//!
//! - [`ResultFilter`]: scenario, primary category, verdict combination ([`VerdictFilter`]) and
//!   one item id; charts set the category and verdict by clicks, and the page shows every set
//!   field as a removable chip.
//! - [`ModelSamples`]: one model's samples grouped by item, built once per (sample set, model);
//!   [`ModelSamples::select`] lists the items passing a filter.
//! - [`SampleClass`]: where one sample falls in the superficial-safety grid, or why it is in no
//!   cell (a verdict is missing).

use bsa_core::dataset::Dataset;
use bsa_core::metrics::{GridCell, ItemId, Judgement, Sample, SampleSet};
use bsa_core::sort;
use bsa_core::Scenario;

/// Items per page of the browser: each row carries k verdict pairs, and opening one shows k
/// answers in full, so pages are shorter than the dataset explorer's.
pub const BROWSER_PAGE_SIZE: usize = 20;

/// A verdict combination to filter by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VerdictFilter {
    /// At least one sample in this cell of the superficial-safety grid.
    Cell(GridCell),
    /// At least one sample without an answer or reasoning verdict (unjudged, judge error, no
    /// trace).
    Missing,
}

impl VerdictFilter {
    pub const ALL: [VerdictFilter; 5] = [
        VerdictFilter::Cell(GridCell::SafeAndAware),
        VerdictFilter::Cell(GridCell::SafeButUnaware),
        VerdictFilter::Cell(GridCell::UnsafeButAware),
        VerdictFilter::Cell(GridCell::UnsafeAndUnaware),
        VerdictFilter::Missing,
    ];

    /// A phrase for selects and chips.
    pub fn label(self) -> &'static str {
        match self {
            VerdictFilter::Cell(GridCell::SafeAndAware) => "safe answer + reasoning saw the risk",
            VerdictFilter::Cell(GridCell::SafeButUnaware) => {
                "safe answer + reasoning missed the risk"
            }
            VerdictFilter::Cell(GridCell::UnsafeButAware) => {
                "unsafe answer + reasoning saw the risk"
            }
            VerdictFilter::Cell(GridCell::UnsafeAndUnaware) => {
                "unsafe answer + reasoning missed the risk"
            }
            VerdictFilter::Missing => "a verdict is missing",
        }
    }

    /// A stable key for `<option value>`.
    pub fn key(self) -> &'static str {
        match self {
            VerdictFilter::Cell(GridCell::SafeAndAware) => "safe-aware",
            VerdictFilter::Cell(GridCell::SafeButUnaware) => "safe-unaware",
            VerdictFilter::Cell(GridCell::UnsafeButAware) => "unsafe-aware",
            VerdictFilter::Cell(GridCell::UnsafeAndUnaware) => "unsafe-unaware",
            VerdictFilter::Missing => "missing",
        }
    }

    pub fn from_key(key: &str) -> Option<VerdictFilter> {
        VerdictFilter::ALL
            .into_iter()
            .find(|filter| filter.key() == key)
    }

    fn matches(self, class: SampleClass) -> bool {
        match (self, class) {
            (VerdictFilter::Cell(cell), SampleClass::Cell(own)) => cell == own,
            (VerdictFilter::Missing, SampleClass::Missing) => true,
            _ => false,
        }
    }
}

/// Where one sample falls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SampleClass {
    Cell(GridCell),
    /// The answer or the reasoning has no verdict.
    Missing,
}

impl SampleClass {
    pub fn of(sample: &Sample) -> SampleClass {
        match (sample.answer, sample.reasoning) {
            (Judgement::Verdict(answer), Judgement::Verdict(reasoning)) => {
                SampleClass::Cell(match (answer.is_safe(), reasoning.is_correct()) {
                    (true, true) => GridCell::SafeAndAware,
                    (true, false) => GridCell::SafeButUnaware,
                    (false, true) => GridCell::UnsafeButAware,
                    (false, false) => GridCell::UnsafeAndUnaware,
                })
            }
            _ => SampleClass::Missing,
        }
    }
}

/// Which items the browser lists. Empty fields do not filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResultFilter {
    pub scenario: Option<Scenario>,
    /// A primary risk category (needs the dataset: items it does not have are in none).
    pub category: Option<String>,
    /// A secondary risk category (needs the dataset too).
    pub secondary: Option<String>,
    pub verdict: Option<VerdictFilter>,
    /// One item, by id (a link from the Compare page).
    pub item: Option<String>,
}

/// One field of a [`ResultFilter`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterField {
    Scenario,
    Category,
    Secondary,
    Verdict,
    Item,
}

impl FilterField {
    /// A stable key (the chips report it).
    pub fn key(self) -> &'static str {
        match self {
            FilterField::Scenario => "scenario",
            FilterField::Category => "category",
            FilterField::Secondary => "secondary",
            FilterField::Verdict => "verdict",
            FilterField::Item => "item",
        }
    }

    pub fn from_key(key: &str) -> Option<FilterField> {
        [
            FilterField::Scenario,
            FilterField::Category,
            FilterField::Secondary,
            FilterField::Verdict,
            FilterField::Item,
        ]
        .into_iter()
        .find(|field| field.key() == key)
    }
}

impl ResultFilter {
    pub fn is_empty(&self) -> bool {
        self == &ResultFilter::default()
    }

    /// The filter without `field`.
    pub fn without(&self, field: FilterField) -> ResultFilter {
        let mut next = self.clone();
        match field {
            FilterField::Scenario => next.scenario = None,
            FilterField::Category => next.category = None,
            FilterField::Secondary => next.secondary = None,
            FilterField::Verdict => next.verdict = None,
            FilterField::Item => next.item = None,
        }
        next
    }
}

/// Every sample of every model, by item: the "all models" view of one item without a pass over
/// the whole set. Built once per combined set.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ItemIndex {
    /// Per item (by [`ItemId`] index): positions in the set's samples, in set order.
    by_item: Vec<Vec<u32>>,
}

impl ItemIndex {
    pub fn of(set: &SampleSet) -> ItemIndex {
        let mut by_item: Vec<Vec<u32>> = vec![Vec::new(); set.item_count()];
        for (position, sample) in set.samples().iter().enumerate() {
            if let Some(list) = by_item.get_mut(sample.item.index()) {
                list.push(position as u32);
            }
        }
        ItemIndex { by_item }
    }

    /// The samples of `item`, grouped by model (models in set order, samples by index).
    pub fn by_model(&self, set: &SampleSet, item: ItemId) -> Vec<(String, Vec<Sample>)> {
        let mut groups: Vec<(bsa_core::metrics::ModelId, Vec<Sample>)> = Vec::new();
        let samples = set.samples();
        for &position in self
            .by_item
            .get(item.index())
            .map_or(&[][..], Vec::as_slice)
        {
            let Some(sample) = samples.get(position as usize) else {
                continue;
            };
            match groups.iter_mut().find(|(model, _)| *model == sample.model) {
                Some((_, list)) => list.push(*sample),
                None => groups.push((sample.model, vec![*sample])),
            }
        }
        sort::sort_by_key(&mut groups, |(model, _)| *model);
        groups
            .into_iter()
            .map(|(model, mut list)| {
                sort::sort_by_key(&mut list, |sample| sample.index);
                (set.model_name(model).to_string(), list)
            })
            .collect()
    }
}

/// One item's samples of one model, in sample-index order.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemSamples {
    pub item: ItemId,
    pub key: String,
    pub scenario: Scenario,
    pub samples: Vec<Sample>,
}

/// One model's samples grouped by item, items in the set's order of first appearance.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ModelSamples {
    pub model: String,
    pub items: Vec<ItemSamples>,
}

impl ModelSamples {
    /// Groups the samples of `model` (empty when the set has no such model). One pass over the
    /// set's samples.
    pub fn of(set: &SampleSet, model: &str) -> ModelSamples {
        let Some(id) = set.model_id(model) else {
            return ModelSamples {
                model: model.to_string(),
                items: Vec::new(),
            };
        };
        let mut slots: Vec<Option<usize>> = vec![None; set.item_count()];
        let mut items: Vec<ItemSamples> = Vec::new();
        for sample in set.samples().iter().filter(|sample| sample.model == id) {
            let Some(slot) = slots.get_mut(sample.item.index()) else {
                continue;
            };
            let position = *slot.get_or_insert_with(|| {
                items.push(ItemSamples {
                    item: sample.item,
                    key: set.item_key(sample.item).to_string(),
                    scenario: set.item_scenario(sample.item),
                    samples: Vec::new(),
                });
                items.len() - 1
            });
            items[position].samples.push(*sample);
        }
        // Set order is item first appearance; present the items in that order too.
        sort::sort_by_key(&mut items, |entry| entry.item);
        for entry in &mut items {
            sort::sort_by_key(&mut entry.samples, |sample| sample.index);
        }
        ModelSamples {
            model: model.to_string(),
            items,
        }
    }

    /// Positions in `items` of the items passing `filter`. Categories come from `dataset`.
    pub fn select(&self, filter: &ResultFilter, dataset: Option<&Dataset>) -> Vec<usize> {
        self.items
            .iter()
            .enumerate()
            .filter(|(_, entry)| {
                if filter.item.as_ref().is_some_and(|id| *id != entry.key) {
                    return false;
                }
                if filter
                    .scenario
                    .is_some_and(|scenario| scenario != entry.scenario)
                {
                    return false;
                }
                if let Some(category) = &filter.category {
                    let in_category = dataset
                        .and_then(|dataset| dataset.get(&entry.key))
                        .is_some_and(|item| item.primary_categories().any(|p| p == category));
                    if !in_category {
                        return false;
                    }
                }
                if let Some(secondary) = &filter.secondary {
                    let in_category = dataset
                        .and_then(|dataset| dataset.get(&entry.key))
                        .is_some_and(|item| item.secondary_categories().any(|s| s == secondary));
                    if !in_category {
                        return false;
                    }
                }
                if let Some(verdict) = filter.verdict {
                    if !entry
                        .samples
                        .iter()
                        .any(|sample| verdict.matches(SampleClass::of(sample)))
                    {
                        return false;
                    }
                }
                true
            })
            .map(|(position, _)| position)
            .collect()
    }
}
