//! The Compare page's choices and its memo of paired comparisons.
//!
//! - [`CompareState`]: the reference model, the models compared with it, which comparison's
//!   disagreeing items are listed ([`DisagreementSide`]: answers or reasoning) and the page.
//! - [`ComparePlan`]: the choices resolved against the models actually loaded (defaults filled
//!   in, removed models dropped).
//! - [`ComparisonMemo`]: finished [`PairedComparison`]s of one revision; a new revision (other
//!   files or options) empties it.

use bsa_core::metrics::PairedComparison;
use std::rc::Rc;

/// Models compared with the reference when the user has not chosen: enough to see a pattern,
/// few enough that the paired bootstraps finish quickly.
pub const DEFAULT_COMPARED: usize = 3;

/// Disagreeing items per page.
pub const DISAGREEMENT_PAGE_SIZE: usize = 20;

/// Which per-item rates the disagreement table lists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DisagreementSide {
    /// Safe-answer rates.
    #[default]
    Answers,
    /// Correct-reasoning rates.
    Reasoning,
}

impl DisagreementSide {
    pub fn label(self) -> &'static str {
        match self {
            DisagreementSide::Answers => "safe answers",
            DisagreementSide::Reasoning => "risk-aware reasoning",
        }
    }
}

/// What the user chose on the Compare page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CompareState {
    /// `None`: the first loaded model.
    pub reference: Option<String>,
    /// `None`: the next [`DEFAULT_COMPARED`] models.
    pub others: Option<Vec<String>>,
    /// The model whose disagreements with the reference are listed; `None`: the first other.
    pub focus: Option<String>,
    pub side: DisagreementSide,
    pub page: usize,
}

/// The comparisons to show, resolved against the loaded models.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComparePlan {
    pub reference: String,
    pub others: Vec<String>,
    pub focus: Option<String>,
}

impl CompareState {
    /// Resolves the choices against `models` (in load order). `None` with fewer than two models.
    pub fn plan(&self, models: &[String]) -> Option<ComparePlan> {
        if models.len() < 2 {
            return None;
        }
        let reference = self
            .reference
            .as_ref()
            .filter(|name| models.contains(name))
            .cloned()
            .unwrap_or_else(|| models[0].clone());
        let others: Vec<String> = match &self.others {
            Some(chosen) => models
                .iter()
                .filter(|name| **name != reference && chosen.contains(name))
                .cloned()
                .collect(),
            None => models
                .iter()
                .filter(|name| **name != reference)
                .take(DEFAULT_COMPARED)
                .cloned()
                .collect(),
        };
        let focus = self
            .focus
            .as_ref()
            .filter(|name| others.contains(name))
            .cloned()
            .or_else(|| others.first().cloned());
        Some(ComparePlan {
            reference,
            others,
            focus,
        })
    }

    /// Switches `model` in or out of the compared set (starting from the resolved default).
    pub fn toggle_other(&mut self, model: &str, models: &[String]) {
        let current = match self.plan(models) {
            Some(plan) => plan.others,
            None => return,
        };
        let next = if current.iter().any(|name| name == model) {
            current.into_iter().filter(|name| name != model).collect()
        } else {
            let mut next = current;
            next.push(model.to_string());
            next
        };
        self.others = Some(next);
        self.page = 0;
    }

    /// Forgets a removed model.
    pub fn forget(&mut self, model: &str) {
        if self.reference.as_deref() == Some(model) {
            self.reference = None;
        }
        if let Some(others) = &mut self.others {
            others.retain(|name| name != model);
        }
        if self.focus.as_deref() == Some(model) {
            self.focus = None;
            self.page = 0;
        }
    }
}

/// Finished comparisons of one revision of the inputs.
#[derive(Clone, Debug, Default)]
pub struct ComparisonMemo {
    pub revision: u64,
    pub done: Vec<Rc<PairedComparison>>,
}

impl PartialEq for ComparisonMemo {
    fn eq(&self, other: &Self) -> bool {
        self.revision == other.revision
            && self.done.len() == other.done.len()
            && self
                .done
                .iter()
                .zip(&other.done)
                .all(|(a, b)| Rc::ptr_eq(a, b))
    }
}

impl ComparisonMemo {
    /// The comparison of `a` with `b`, if finished.
    pub fn get(&self, a: &str, b: &str) -> Option<&Rc<PairedComparison>> {
        self.done.iter().find(|done| done.a == a && done.b == b)
    }

    /// Keeps `comparison` if it is of this revision and not there yet; returns whether it was
    /// kept.
    pub fn add(&mut self, revision: u64, comparison: Rc<PairedComparison>) -> bool {
        if revision != self.revision || self.get(&comparison.a, &comparison.b).is_some() {
            return false;
        }
        self.done.push(comparison);
        true
    }

    /// Empties the memo for a new revision.
    pub fn reset(&mut self, revision: u64) {
        self.revision = revision;
        self.done.clear();
    }
}
