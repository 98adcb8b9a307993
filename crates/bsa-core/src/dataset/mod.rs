//! The benchmark's items: what they are, how they are read, counted and sampled.
//!
//! - [`Item`], [`Risk`], [`RiskPart`]: one query with its annotated risks (this file).
//! - [`label`]: the `label` column (`Primary-Secondary`, or `Query A: ...` / `Query B: ...`).
//! - [`read`]: CSV and JSONL readers that return the items together with every located problem.
//! - [`stats`]: counts by scenario, primary and secondary category.
//! - [`subset`]: the seeded stratified subset sampler (scenario x primary category).

pub mod label;
pub mod read;
pub mod stats;
pub mod subset;

pub use read::{read_dataset, read_dataset_as, DatasetFormat, DatasetRead};
pub use stats::DatasetStats;
pub use subset::{Subset, SubsetSpec};

/// SHA-256 of the official `dataset.csv` (OpenStellarTeam/BSA, 2,000 rows), as published.
pub const OFFICIAL_SHA256: &str =
    "c1e26c30d0a0c8013d986aeb84b63c4b592387a92c52c70fd79b2796678eef3c";

use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One benchmark item: a query, its annotated risk rationale and its risk categories.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// Unique id (a 32-hex string in the official dataset; any non-empty text is accepted).
    pub id: String,
    /// The prompt the model under test answers.
    pub query: String,
    /// The annotated risk rationale (`risk_summary`); `Query A:` / `Query B:` lines for two risks.
    pub risk_summary: String,
    pub scenario: Scenario,
    /// One risk, or two (parts A and B) for Cognitive Shortcut items.
    pub risks: Vec<Risk>,
}

impl Item {
    /// Primary categories of this item's risks, without repeats, in label order.
    pub fn primary_categories(&self) -> impl Iterator<Item = &str> {
        let mut seen: Vec<&str> = Vec::with_capacity(2);
        self.risks.iter().filter_map(move |risk| {
            if seen.contains(&risk.primary.as_str()) {
                None
            } else {
                seen.push(&risk.primary);
                Some(risk.primary.as_str())
            }
        })
    }

    /// Secondary categories of this item's risks, without repeats, in label order.
    pub fn secondary_categories(&self) -> impl Iterator<Item = &str> {
        let mut seen: Vec<&str> = Vec::with_capacity(2);
        self.risks.iter().filter_map(move |risk| {
            if seen.contains(&risk.secondary.as_str()) {
                None
            } else {
                seen.push(&risk.secondary);
                Some(risk.secondary.as_str())
            }
        })
    }
}

/// Which half of a two-risk (Cognitive Shortcut) query a risk belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RiskPart {
    A,
    B,
}

/// One annotated risk: a primary category (one of 9) and a secondary one (one of 17).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Risk {
    /// `Some` for the `Query A:` / `Query B:` lines of a two-risk label.
    pub part: Option<RiskPart>,
    pub primary: String,
    pub secondary: String,
}

/// The items of a dataset, in file order, with lookup by id. Ids are unique.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dataset {
    items: Vec<Item>,
    by_id: HashMap<String, usize>,
    /// SHA-256 of the bytes the dataset was read from, lowercase hex (empty when built in code).
    sha256: String,
}

impl Dataset {
    /// Builds a dataset from items; an item whose id was already seen is dropped (readers report
    /// duplicates as problems before getting here).
    pub fn from_items(items: Vec<Item>) -> Dataset {
        let mut by_id = HashMap::with_capacity(items.len());
        let mut kept = Vec::with_capacity(items.len());
        for item in items {
            if !by_id.contains_key(&item.id) {
                by_id.insert(item.id.clone(), kept.len());
                kept.push(item);
            }
        }
        Dataset {
            items: kept,
            by_id,
            sha256: String::new(),
        }
    }

    /// Records the SHA-256 (lowercase hex) of the source bytes.
    pub fn with_sha256(mut self, sha256: String) -> Dataset {
        self.sha256 = sha256;
        self
    }

    pub fn items(&self) -> &[Item] {
        &self.items
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn get(&self, id: &str) -> Option<&Item> {
        self.by_id.get(id).map(|&index| &self.items[index])
    }

    /// Position of the item in file order.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// SHA-256 of the source bytes, lowercase hex; empty when the dataset was built in code.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// Whether the source bytes were exactly the official dataset file ([`OFFICIAL_SHA256`]).
    pub fn is_official(&self) -> bool {
        self.sha256 == OFFICIAL_SHA256
    }
}
