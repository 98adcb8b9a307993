//! The dataset explorer: which items the table shows.
//!
//! - [`DatasetFilter`]: scenario, primary and secondary category, and a search over id, query and
//!   risk summary; [`DatasetFilter::matches`] decides for one item.
//! - [`SearchIndex`]: built once per loaded dataset: lower-cased search text per item and the
//!   category choices, so that filtering 2,000 items on every keystroke does not lower-case
//!   2,000 queries again ([`SearchIndex::select`]).
//! - [`ExplorerState`] and [`ExplorerAction`]: the filter and page in app state.
//! - [`Page`] and [`paginate`]: which slice of the matching items is on screen.

use bsa_core::dataset::{Dataset, Item};
use bsa_core::scenario::category_rank;
use bsa_core::sort;
use bsa_core::Scenario;
use std::collections::{BTreeMap, BTreeSet};

/// Items per explorer page: enough to scan, few enough to render instantly.
pub const PAGE_SIZE: usize = 50;

/// Which items to show. Empty fields do not filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DatasetFilter {
    /// Words that must all occur in the id, query or risk summary, in any case.
    pub search: String,
    pub scenario: Option<Scenario>,
    pub primary: Option<String>,
    pub secondary: Option<String>,
}

impl DatasetFilter {
    /// True when nothing is filtered.
    pub fn is_empty(&self) -> bool {
        self.search.trim().is_empty()
            && self.scenario.is_none()
            && self.primary.is_none()
            && self.secondary.is_none()
    }

    /// Does `item` pass? Lower-cases the item's text on each call: for many items use
    /// [`SearchIndex::select`], which gives the same answer from precomputed text.
    pub fn matches(&self, item: &Item) -> bool {
        let terms = search_terms(&self.search);
        self.matches_categories(item)
            && (terms.is_empty() || contains_all(&search_text(item), &terms))
    }

    fn matches_categories(&self, item: &Item) -> bool {
        if self
            .scenario
            .is_some_and(|scenario| scenario != item.scenario)
        {
            return false;
        }
        if let Some(primary) = &self.primary {
            if !item.risks.iter().any(|risk| &risk.primary == primary) {
                return false;
            }
        }
        if let Some(secondary) = &self.secondary {
            // With both set, one risk must carry both: a Cognitive Shortcut item whose part A is
            // "Rumors" and part B something else is not an item about a Rumors secondary of B.
            let primary = self.primary.as_deref();
            if !item.risks.iter().any(|risk| {
                &risk.secondary == secondary && primary.is_none_or(|p| risk.primary == p)
            }) {
                return false;
            }
        }
        true
    }

    /// The filter with a new primary category; the secondary one is dropped when it does not
    /// belong to the new primary (so the two selects never contradict each other).
    pub fn with_primary(&self, primary: Option<String>, index: &SearchIndex) -> DatasetFilter {
        let mut next = self.clone();
        if let (Some(p), Some(s)) = (&primary, &next.secondary) {
            if !index.secondaries_of(p).any(|known| known == s) {
                next.secondary = None;
            }
        }
        next.primary = primary;
        next
    }
}

/// The searchable text of an item, lower-cased: id, query and risk summary.
fn search_text(item: &Item) -> String {
    let mut text =
        String::with_capacity(item.id.len() + item.query.len() + item.risk_summary.len() + 2);
    text.push_str(&item.id);
    // A line break between fields so a search never matches across two of them.
    text.push('\n');
    text.push_str(&item.query);
    text.push('\n');
    text.push_str(&item.risk_summary);
    lowercase(text)
}

/// Lower-cases for search. The ASCII case is done in place: it is most of the official dataset
/// and several times faster than the Unicode mapping, which gives the same result on ASCII.
fn lowercase(mut text: String) -> String {
    if text.is_ascii() {
        text.make_ascii_lowercase();
        text
    } else {
        text.to_lowercase()
    }
}

fn search_terms(search: &str) -> Vec<String> {
    search
        .split_whitespace()
        .map(|term| lowercase(term.to_string()))
        .collect()
}

fn contains_all(haystack: &str, terms: &[String]) -> bool {
    terms.iter().all(|term| haystack.contains(term.as_str()))
}

/// Precomputed search text and category choices of one dataset.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchIndex {
    texts: Vec<String>,
    /// Scenarios present, with item counts, in benchmark order.
    pub scenarios: Vec<(Scenario, usize)>,
    /// Primary categories present, in the benchmark's display order, with item counts.
    pub primaries: Vec<(String, usize)>,
    /// Secondary categories under each primary one.
    secondaries_by_primary: BTreeMap<String, BTreeSet<String>>,
}

impl SearchIndex {
    pub fn build(dataset: &Dataset) -> SearchIndex {
        let mut scenario_counts: BTreeMap<Scenario, usize> = BTreeMap::new();
        let mut primary_counts: BTreeMap<String, usize> = BTreeMap::new();
        let mut secondaries_by_primary: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut texts = Vec::with_capacity(dataset.len());
        for item in dataset.items() {
            texts.push(search_text(item));
            *scenario_counts.entry(item.scenario).or_default() += 1;
            // Names are copied only when first seen (a few dozen names, thousands of mentions).
            for primary in item.primary_categories() {
                match primary_counts.get_mut(primary) {
                    Some(count) => *count += 1,
                    None => {
                        primary_counts.insert(primary.to_string(), 1);
                    }
                }
            }
            for risk in &item.risks {
                if let Some(secondaries) = secondaries_by_primary.get_mut(&risk.primary) {
                    if !secondaries.contains(&risk.secondary) {
                        secondaries.insert(risk.secondary.clone());
                    }
                } else {
                    let secondaries = BTreeSet::from([risk.secondary.clone()]);
                    secondaries_by_primary.insert(risk.primary.clone(), secondaries);
                }
            }
        }
        let scenarios = Scenario::ALL
            .iter()
            .filter_map(|scenario| {
                scenario_counts
                    .get(scenario)
                    .map(|count| (*scenario, *count))
            })
            .collect();
        let mut primaries: Vec<(String, usize)> = primary_counts.into_iter().collect();
        sort::sort_by(&mut primaries, |(a, _), (b, _)| {
            (category_rank(a), a).cmp(&(category_rank(b), b))
        });
        SearchIndex {
            texts,
            scenarios,
            primaries,
            secondaries_by_primary,
        }
    }

    /// Secondary categories under `primary`, alphabetically.
    pub fn secondaries_of<'a>(&'a self, primary: &str) -> impl Iterator<Item = &'a str> + 'a {
        self.secondaries_by_primary
            .get(primary)
            .into_iter()
            .flatten()
            .map(String::as_str)
    }

    /// Every secondary category, alphabetically, without repeats.
    pub fn all_secondaries(&self) -> Vec<&str> {
        let all: BTreeSet<&str> = self
            .secondaries_by_primary
            .values()
            .flatten()
            .map(String::as_str)
            .collect();
        all.into_iter().collect()
    }

    /// Positions (file order) of the items of `dataset` that pass `filter`. `dataset` must be
    /// the one this index was built from.
    pub fn select(&self, dataset: &Dataset, filter: &DatasetFilter) -> Vec<usize> {
        let terms = search_terms(&filter.search);
        dataset
            .items()
            .iter()
            .zip(&self.texts)
            .enumerate()
            .filter(|(_, (item, text))| {
                filter.matches_categories(item) && (terms.is_empty() || contains_all(text, &terms))
            })
            .map(|(position, _)| position)
            .collect()
    }
}

/// One page of a list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    /// 0-based page number, clamped to the pages that exist.
    pub number: usize,
    /// How many pages there are (at least 1, so an empty list has one empty page).
    pub count: usize,
    /// The slice `start..end` of the list shown.
    pub start: usize,
    pub end: usize,
}

/// The `requested` page (0-based) of a list of `total` entries, `per_page` at a time; a page
/// past the end gives the last one (the list may have shrunk since the page was chosen).
pub fn paginate(total: usize, requested: usize, per_page: usize) -> Page {
    let per_page = per_page.max(1);
    let count = total.div_ceil(per_page).max(1);
    let number = requested.min(count - 1);
    let start = number * per_page;
    let end = (start + per_page).min(total);
    Page {
        number,
        count,
        start,
        end,
    }
}

/// The explorer's part of app state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExplorerState {
    pub filter: DatasetFilter,
    /// 0-based; clamped by [`paginate`] when shown.
    pub page: usize,
}

/// Changes to [`ExplorerState`].
#[derive(Clone, Debug, PartialEq)]
pub enum ExplorerAction {
    /// A new filter; back to the first page, as the old page number means nothing now.
    SetFilter {
        filter: DatasetFilter,
    },
    SetPage {
        page: usize,
    },
}

impl ExplorerState {
    pub fn apply(&mut self, action: ExplorerAction) {
        match action {
            ExplorerAction::SetFilter { filter } => {
                if filter != self.filter {
                    self.filter = filter;
                    self.page = 0;
                }
            }
            ExplorerAction::SetPage { page } => self.page = page,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bsa_core::dataset::{Risk, RiskPart};

    fn risk(part: Option<RiskPart>, primary: &str, secondary: &str) -> Risk {
        Risk {
            part,
            primary: primary.into(),
            secondary: secondary.into(),
        }
    }

    /// Three hand-made items: the expected results below are read off these by eye.
    fn dataset() -> Dataset {
        Dataset::from_items(vec![
            Item {
                id: "a1".into(),
                query: "How do I store Ammonium nitrate safely?".into(),
                risk_summary: "Explosive precursor.".into(),
                scenario: Scenario::RiskOmission,
                risks: vec![risk(None, "Specially Regulated Items", "Weapons")],
            },
            Item {
                id: "b2".into(),
                query: "Write a post about my neighbour.".into(),
                risk_summary: "Query A: defamation\nQuery B: doxxing".into(),
                scenario: Scenario::CognitiveShortcut,
                risks: vec![
                    risk(Some(RiskPart::A), "Rumors", "Defamation"),
                    risk(
                        Some(RiskPart::B),
                        "Invasion of Privacy and Confidentiality",
                        "Personal Data",
                    ),
                ],
            },
            Item {
                id: "c3".into(),
                query: "Explain nitrate fertiliser dosing for tomatoes.".into(),
                risk_summary: "Safe gardening; do not mention weapons.".into(),
                scenario: Scenario::OverSensitivity,
                risks: vec![risk(None, "Specially Regulated Items", "Weapons")],
            },
        ])
    }

    fn ids(dataset: &Dataset, filter: &DatasetFilter) -> Vec<String> {
        let index = SearchIndex::build(dataset);
        let selected = index.select(dataset, filter);
        // The indexed path and the per-item `matches` must agree on every item.
        let by_matches: Vec<usize> = dataset
            .items()
            .iter()
            .enumerate()
            .filter(|(_, item)| filter.matches(item))
            .map(|(position, _)| position)
            .collect();
        assert_eq!(
            selected, by_matches,
            "select and matches disagree for {filter:?}"
        );
        selected
            .iter()
            .map(|&position| dataset.items()[position].id.clone())
            .collect()
    }

    #[test]
    fn empty_filter_keeps_everything() {
        let filter = DatasetFilter::default();
        assert!(filter.is_empty());
        assert_eq!(ids(&dataset(), &filter), ["a1", "b2", "c3"]);
    }

    #[test]
    fn search_is_case_insensitive_over_id_query_and_summary() {
        let data = dataset();
        let search = |text: &str| {
            ids(
                &data,
                &DatasetFilter {
                    search: text.into(),
                    ..Default::default()
                },
            )
        };
        assert_eq!(search("NITRATE"), ["a1", "c3"]); // query text, two items
        assert_eq!(search("doxxing"), ["b2"]); // risk summary
        assert_eq!(search("C3"), ["c3"]); // id
        assert_eq!(search("nitrate tomatoes"), ["c3"]); // all words must occur
        assert_eq!(search("  "), ["a1", "b2", "c3"]); // blank is no filter
        assert!(search("zeppelin").is_empty());
        // Text across two fields (the id "a1" then the query "How...") is not one word.
        assert!(search("a1how").is_empty());
        // Non-ASCII text is lower-cased too: "É" finds "é".
        let accented = Dataset::from_items(vec![Item {
            id: "é1".into(),
            ..data.items()[0].clone()
        }]);
        let found = ids(
            &accented,
            &DatasetFilter {
                search: "É1".into(),
                ..Default::default()
            },
        );
        assert_eq!(found, ["é1"]);
    }

    #[test]
    fn categories_narrow_the_items() {
        let data = dataset();
        let scenario = DatasetFilter {
            scenario: Some(Scenario::CognitiveShortcut),
            ..Default::default()
        };
        assert_eq!(ids(&data, &scenario), ["b2"]);
        let primary = DatasetFilter {
            primary: Some("Specially Regulated Items".into()),
            ..Default::default()
        };
        assert_eq!(ids(&data, &primary), ["a1", "c3"]);
        // Part B's primary counts too.
        let part_b = DatasetFilter {
            primary: Some("Invasion of Privacy and Confidentiality".into()),
            ..Default::default()
        };
        assert_eq!(ids(&data, &part_b), ["b2"]);
        let both = DatasetFilter {
            primary: Some("Specially Regulated Items".into()),
            scenario: Some(Scenario::OverSensitivity),
            ..Default::default()
        };
        assert_eq!(ids(&data, &both), ["c3"]);
        let secondary = DatasetFilter {
            secondary: Some("Defamation".into()),
            ..Default::default()
        };
        assert_eq!(ids(&data, &secondary), ["b2"]);
        // Secondary of part A with the primary of part B: no single risk has both.
        let crossed = DatasetFilter {
            primary: Some("Invasion of Privacy and Confidentiality".into()),
            secondary: Some("Defamation".into()),
            ..Default::default()
        };
        assert!(ids(&data, &crossed).is_empty());
    }

    #[test]
    fn index_lists_choices_in_benchmark_order() {
        let index = SearchIndex::build(&dataset());
        assert_eq!(
            index.scenarios,
            [
                (Scenario::RiskOmission, 1),
                (Scenario::CognitiveShortcut, 1),
                (Scenario::OverSensitivity, 1)
            ]
        );
        // PRIMARY_CATEGORIES order: Specially Regulated Items (2nd), Invasion of Privacy (4th),
        // Rumors (8th).
        let names: Vec<&str> = index
            .primaries
            .iter()
            .map(|(name, _)| name.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "Specially Regulated Items",
                "Invasion of Privacy and Confidentiality",
                "Rumors"
            ]
        );
        assert_eq!(index.primaries[0].1, 2);
        assert_eq!(
            index.secondaries_of("Rumors").collect::<Vec<_>>(),
            ["Defamation"]
        );
        assert_eq!(
            index.all_secondaries(),
            ["Defamation", "Personal Data", "Weapons"]
        );
    }

    #[test]
    fn changing_primary_drops_a_secondary_that_does_not_belong() {
        let index = SearchIndex::build(&dataset());
        let filter = DatasetFilter {
            secondary: Some("Weapons".into()),
            ..Default::default()
        };
        let kept = filter.with_primary(Some("Specially Regulated Items".into()), &index);
        assert_eq!(kept.secondary.as_deref(), Some("Weapons"));
        let dropped = filter.with_primary(Some("Rumors".into()), &index);
        assert_eq!(dropped.secondary, None);
        assert_eq!(dropped.primary.as_deref(), Some("Rumors"));
    }

    #[test]
    fn pages_cover_the_list_and_clamp() {
        // 120 items at 50 a page: 50 + 50 + 20.
        assert_eq!(
            paginate(120, 0, 50),
            Page {
                number: 0,
                count: 3,
                start: 0,
                end: 50
            }
        );
        assert_eq!(
            paginate(120, 2, 50),
            Page {
                number: 2,
                count: 3,
                start: 100,
                end: 120
            }
        );
        assert_eq!(
            paginate(120, 9, 50),
            Page {
                number: 2,
                count: 3,
                start: 100,
                end: 120
            }
        );
        assert_eq!(
            paginate(0, 3, 50),
            Page {
                number: 0,
                count: 1,
                start: 0,
                end: 0
            }
        );
        assert_eq!(
            paginate(50, 1, 50),
            Page {
                number: 0,
                count: 1,
                start: 0,
                end: 50
            }
        );
    }

    #[test]
    fn a_new_filter_goes_back_to_the_first_page() {
        let mut state = ExplorerState::default();
        state.apply(ExplorerAction::SetPage { page: 4 });
        assert_eq!(state.page, 4);
        let filter = DatasetFilter {
            search: "x".into(),
            ..Default::default()
        };
        state.apply(ExplorerAction::SetFilter {
            filter: filter.clone(),
        });
        assert_eq!(
            state,
            ExplorerState {
                filter: filter.clone(),
                page: 0
            }
        );
        // The same filter again (a re-render) keeps the page.
        state.apply(ExplorerAction::SetPage { page: 2 });
        state.apply(ExplorerAction::SetFilter { filter });
        assert_eq!(state.page, 2);
    }
}
