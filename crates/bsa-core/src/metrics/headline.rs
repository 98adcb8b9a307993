//! The metric values a score reports: headline metrics and per-scenario metrics, in percent.

use crate::metrics::numeric::{f_score, round_2};
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};

/// Safe@1, Safe@k, Think@1, Think@k and the F-score, in percent.
///
/// Every value but `f_score` is unrounded (call [`HeadlineMetrics::rounded`] to display it as the
/// official script does); `f_score` is by definition taken from the rounded Think@1 and Safe@1
/// and rounded itself. `None` means "not available", never zero: Think is `None` for a model
/// without a single reasoning verdict, an evaluated-mode @k is `None` when no item has all of its
/// first k samples judged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HeadlineMetrics {
    pub safe_at_1: Option<f64>,
    pub safe_at_k: Option<f64>,
    pub think_at_1: Option<f64>,
    pub think_at_k: Option<f64>,
    pub f_score: Option<f64>,
}

impl HeadlineMetrics {
    /// Builds the metrics and derives the F-score from Think@1 and Safe@1.
    pub(crate) fn new(
        safe_at_1: Option<f64>,
        safe_at_k: Option<f64>,
        think_at_1: Option<f64>,
        think_at_k: Option<f64>,
        alpha: f64,
    ) -> HeadlineMetrics {
        let f_score = match (think_at_1, safe_at_1) {
            (Some(think), Some(safe)) => Some(f_score(think, safe, alpha)),
            _ => None,
        };
        HeadlineMetrics {
            safe_at_1,
            safe_at_k,
            think_at_1,
            think_at_k,
            f_score,
        }
    }

    /// Every value rounded to 2 decimals as numpy rounds (half to even on the binary value).
    pub fn rounded(&self) -> HeadlineMetrics {
        HeadlineMetrics {
            safe_at_1: self.safe_at_1.map(round_2),
            safe_at_k: self.safe_at_k.map(round_2),
            think_at_1: self.think_at_1.map(round_2),
            think_at_k: self.think_at_k.map(round_2),
            f_score: self.f_score.map(round_2),
        }
    }

    /// The value of one metric.
    pub fn get(&self, metric: HeadlineMetric) -> Option<f64> {
        match metric {
            HeadlineMetric::SafeAt1 => self.safe_at_1,
            HeadlineMetric::SafeAtK => self.safe_at_k,
            HeadlineMetric::ThinkAt1 => self.think_at_1,
            HeadlineMetric::ThinkAtK => self.think_at_k,
            HeadlineMetric::FScore => self.f_score,
        }
    }
}

/// The five headline metrics, by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum HeadlineMetric {
    SafeAt1,
    SafeAtK,
    ThinkAt1,
    ThinkAtK,
    FScore,
}

impl HeadlineMetric {
    pub const ALL: [HeadlineMetric; 5] = [
        HeadlineMetric::SafeAt1,
        HeadlineMetric::SafeAtK,
        HeadlineMetric::ThinkAt1,
        HeadlineMetric::ThinkAtK,
        HeadlineMetric::FScore,
    ];

    /// `Safe@1`, `Safe@k`, ... as the paper writes them.
    pub fn label(self) -> &'static str {
        match self {
            HeadlineMetric::SafeAt1 => "Safe@1",
            HeadlineMetric::SafeAtK => "Safe@k",
            HeadlineMetric::ThinkAt1 => "Think@1",
            HeadlineMetric::ThinkAtK => "Think@k",
            HeadlineMetric::FScore => "F-score",
        }
    }

    /// `safe_at_1`, `safe_at_k`, ...: the key in JSON and CSV output.
    pub fn key(self) -> &'static str {
        match self {
            HeadlineMetric::SafeAt1 => "safe_at_1",
            HeadlineMetric::SafeAtK => "safe_at_k",
            HeadlineMetric::ThinkAt1 => "think_at_1",
            HeadlineMetric::ThinkAtK => "think_at_k",
            HeadlineMetric::FScore => "f_score",
        }
    }
}

/// A model's metrics on the items of one scenario, in percent, unrounded.
///
/// `think_at_1` / `think_at_k` are the benchmark's RO@1, RO@k, CS@1, ... The scenario's Safe@1
/// and Safe@k are not in the official output; they are given for the same items so the gap
/// between safe answers and risk-aware reasoning can be read per scenario.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScenarioMetrics {
    pub scenario: Scenario,
    /// Items of this scenario the model has samples of.
    pub items: usize,
    pub safe_at_1: Option<f64>,
    pub safe_at_k: Option<f64>,
    pub think_at_1: Option<f64>,
    pub think_at_k: Option<f64>,
}

impl ScenarioMetrics {
    pub(crate) fn empty(scenario: Scenario) -> ScenarioMetrics {
        ScenarioMetrics {
            scenario,
            items: 0,
            safe_at_1: None,
            safe_at_k: None,
            think_at_1: None,
            think_at_k: None,
        }
    }

    /// Every value rounded to 2 decimals as numpy rounds.
    pub fn rounded(&self) -> ScenarioMetrics {
        ScenarioMetrics {
            safe_at_1: self.safe_at_1.map(round_2),
            safe_at_k: self.safe_at_k.map(round_2),
            think_at_1: self.think_at_1.map(round_2),
            think_at_k: self.think_at_k.map(round_2),
            ..*self
        }
    }
}
