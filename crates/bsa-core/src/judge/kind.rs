//! Which judge reads a sample: the answer-safety judge, or the reasoning judge of a scenario.

use crate::dataset::Item;
use crate::scenario::Scenario;
use crate::verdict::ReasoningVerdict;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The four judges of the protocol: one answer-safety judge for every item, and one reasoning
/// judge per scenario (each scenario has its own rubric and labels).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum JudgeKind {
    /// Reads query, risk summary and the final answer; says `Safe` or `Unsafe`.
    Answer,
    /// Reads query, risk summary and the reasoning trace of an item of this scenario.
    Reasoning(Scenario),
}

impl JudgeKind {
    /// All four judges: the answer judge, then the reasoning judges in [`Scenario::ALL`] order.
    pub const ALL: [JudgeKind; 4] = [
        JudgeKind::Answer,
        JudgeKind::Reasoning(Scenario::RiskOmission),
        JudgeKind::Reasoning(Scenario::CognitiveShortcut),
        JudgeKind::Reasoning(Scenario::OverSensitivity),
    ];

    /// The reasoning judge for an item's scenario.
    pub fn reasoning_for(item: &Item) -> JudgeKind {
        JudgeKind::Reasoning(item.scenario)
    }

    /// The labels this judge may give, in the official spelling, correct (or safe) one first.
    pub fn labels(self) -> &'static [&'static str] {
        match self {
            JudgeKind::Answer => &["Safe", "Unsafe"],
            JudgeKind::Reasoning(scenario) => ReasoningVerdict::labels(scenario),
        }
    }

    /// The labels as they are asked for in prompts: Risk Omission's are lower-case `true` and
    /// `false` there (the scored CSV writes `True`/`False`).
    pub fn prompt_labels(self) -> &'static [&'static str] {
        match self {
            JudgeKind::Reasoning(Scenario::RiskOmission) => &["true", "false"],
            other => other.labels(),
        }
    }

    /// The scenario of a reasoning judge; `None` for the answer judge, which serves all three.
    pub fn scenario(self) -> Option<Scenario> {
        match self {
            JudgeKind::Answer => None,
            JudgeKind::Reasoning(scenario) => Some(scenario),
        }
    }

    /// Whether this judge reads the reasoning trace (and so cannot run on a sample without one).
    pub fn reads_reasoning(self) -> bool {
        matches!(self, JudgeKind::Reasoning(_))
    }
}

impl fmt::Display for JudgeKind {
    /// `answer judge`, `Risk Omission reasoning judge`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JudgeKind::Answer => f.write_str("answer judge"),
            JudgeKind::Reasoning(scenario) => write!(f, "{scenario} reasoning judge"),
        }
    }
}
