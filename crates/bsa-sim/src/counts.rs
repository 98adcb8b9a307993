//! Counting calls: the [`CallLedger`] behind `GET /sim/counts`.
//!
//! Per call tag it keeps how many requests were `received`, how many `completed` (the whole
//! successful body was handed to the connection) and how many `faulted`, by kind: the injected
//! faults (`429`, `500`, `hang`, `malformed`, `cutoff`, `drop`) and refusals (`400`, `401`,
//! `413`). End-to-end tests read it to prove every sample was judged once and no finished call
//! was repeated.

use serde::Serialize;
use std::collections::BTreeMap;

/// The counts of one call tag.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CallCounts {
    pub received: u64,
    pub completed: u64,
    pub faulted: BTreeMap<String, u64>,
}

impl CallCounts {
    fn add(&mut self, other: &CallCounts) {
        self.received += other.received;
        self.completed += other.completed;
        for (kind, n) in &other.faulted {
            *self.faulted.entry(kind.clone()).or_default() += n;
        }
    }
}

/// What an attempt needs to know about its call's history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttemptHistory {
    /// 0 for the first request of the tag.
    pub attempt: u64,
    /// Injected faults the tag has had so far.
    pub faults_so_far: u64,
}

/// Counts per call tag; see the module docs.
#[derive(Clone, Debug, Default)]
pub struct CallLedger {
    calls: BTreeMap<String, CallCounts>,
}

/// The JSON of `GET /sim/counts`.
#[derive(Clone, Debug, Serialize)]
pub struct CountsView<'a> {
    pub calls: &'a BTreeMap<String, CallCounts>,
    pub totals: CallCounts,
}

impl CallLedger {
    /// Records a request of `tag` and says which attempt it is.
    pub fn receive(&mut self, tag: &str) -> AttemptHistory {
        let counts = self.calls.entry(tag.to_owned()).or_default();
        counts.received += 1;
        AttemptHistory {
            attempt: counts.received - 1,
            faults_so_far: counts
                .faulted
                .iter()
                .filter(|(kind, _)| crate::fault::Fault::is_injected_key(kind))
                .map(|(_, n)| n)
                .sum(),
        }
    }

    pub fn fault(&mut self, tag: &str, kind: &str) {
        let counts = self.calls.entry(tag.to_owned()).or_default();
        *counts.faulted.entry(kind.to_owned()).or_default() += 1;
    }

    pub fn complete(&mut self, tag: &str) {
        self.calls.entry(tag.to_owned()).or_default().completed += 1;
    }

    pub fn clear(&mut self) {
        self.calls.clear();
    }

    pub fn get(&self, tag: &str) -> Option<&CallCounts> {
        self.calls.get(tag)
    }

    pub fn view(&self) -> CountsView<'_> {
        let mut totals = CallCounts::default();
        for counts in self.calls.values() {
            totals.add(counts);
        }
        CountsView {
            calls: &self.calls,
            totals,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_and_totals_add_up() {
        let mut ledger = CallLedger::default();
        assert_eq!(ledger.receive("a").attempt, 0);
        ledger.fault("a", "429");
        let second = ledger.receive("a");
        assert_eq!(
            second,
            AttemptHistory {
                attempt: 1,
                faults_so_far: 1
            }
        );
        ledger.complete("a");
        ledger.receive("b");
        ledger.fault("b", "401");
        assert_eq!(
            ledger.receive("b").faults_so_far,
            0,
            "a refusal is not an injected fault"
        );
        let view = ledger.view();
        assert_eq!(view.totals.received, 4);
        assert_eq!(view.totals.completed, 1);
        assert_eq!(view.totals.faulted.get("429"), Some(&1));
        assert_eq!(view.totals.faulted.get("401"), Some(&1));
        ledger.clear();
        assert_eq!(ledger.view().totals, CallCounts::default());
    }
}
