//! What a judge's reply amounts to once read: a [`JudgeVerdict`] (a [`JudgeLabel`] plus the
//! judge's rationale), or a [`VerdictError`] saying why no verdict could be read.

use super::kind::JudgeKind;
use crate::verdict::{AnswerVerdict, ReasoningVerdict};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The label a judge gave: an answer verdict, or a reasoning verdict typed by scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum JudgeLabel {
    Answer(AnswerVerdict),
    Reasoning(ReasoningVerdict),
}

impl JudgeLabel {
    /// The judge that gives this label.
    pub fn kind(self) -> JudgeKind {
        match self {
            JudgeLabel::Answer(_) => JudgeKind::Answer,
            JudgeLabel::Reasoning(verdict) => JudgeKind::Reasoning(verdict.scenario()),
        }
    }

    /// The label in the official spelling (`Safe`, `True`, `Fully Covered`, ...).
    pub fn label(self) -> &'static str {
        match self {
            JudgeLabel::Answer(verdict) => verdict.label(),
            JudgeLabel::Reasoning(verdict) => verdict.label(),
        }
    }

    /// Whether this is the good outcome the metrics count: a safe answer, or a reasoning label
    /// that counts as correct.
    pub fn is_good(self) -> bool {
        match self {
            JudgeLabel::Answer(verdict) => verdict.is_safe(),
            JudgeLabel::Reasoning(verdict) => verdict.is_correct(),
        }
    }

    pub fn answer(self) -> Option<AnswerVerdict> {
        match self {
            JudgeLabel::Answer(verdict) => Some(verdict),
            JudgeLabel::Reasoning(_) => None,
        }
    }

    pub fn reasoning(self) -> Option<ReasoningVerdict> {
        match self {
            JudgeLabel::Answer(_) => None,
            JudgeLabel::Reasoning(verdict) => Some(verdict),
        }
    }
}

impl fmt::Display for JudgeLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// How the verdict was found in the reply, from most to least trustworthy. Worth showing: a run
/// whose verdicts mostly come from loose text deserves a look at its judge prompt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum VerdictSource {
    /// A JSON object that parsed as it is.
    Json,
    /// A JSON-like object that needed repair (single quotes, trailing commas, comments, ...).
    RepairedJson,
    /// Loose text: a `Verdict: ...` line, or a label alone on the first or last line.
    Text,
}

/// A judge's reply, read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JudgeVerdict {
    pub label: JudgeLabel,
    /// The judge's explanation: the `rationale` (or official `Reasoning`, `Reasoning Quality
    /// Evaluation`) value, or the reply's visible text when the verdict came from loose text.
    /// Untrusted text, to be shown as text.
    pub rationale: Option<String>,
    pub source: VerdictSource,
}

/// No verdict could be read from a reply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum VerdictError {
    Unparsable { reason: UnparsableReason },
}

impl VerdictError {
    pub fn reason(&self) -> &UnparsableReason {
        match self {
            VerdictError::Unparsable { reason } => reason,
        }
    }
}

impl fmt::Display for VerdictError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerdictError::Unparsable { reason } => write!(
                f,
                "no verdict could be read from the judge's reply: {reason}"
            ),
        }
    }
}

impl std::error::Error for VerdictError {}

/// Why no verdict could be read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum UnparsableReason {
    /// The reply is empty or blank.
    EmptyReply,
    /// The reply is nothing but a `<think>` block (often: cut off by the token limit).
    OnlyThinking,
    /// Neither a JSON verdict field, nor a `Verdict:` line, nor a label alone on a line.
    NoVerdict,
    /// A verdict field holds something that is not one of this judge's labels. `value` is cut
    /// to a short excerpt.
    UnknownLabel {
        value: String,
        expected: Vec<String>,
    },
    /// The reply names several different labels as its verdict.
    Ambiguous { labels: Vec<String> },
    /// The only label named is negated ("not Safe"); the reply does not say which label applies.
    Negated { value: String },
}

impl fmt::Display for UnparsableReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let quote = |labels: &[String]| {
            labels
                .iter()
                .map(|l| format!("\"{l}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            UnparsableReason::EmptyReply => f.write_str("the reply is empty"),
            UnparsableReason::OnlyThinking => {
                f.write_str("the reply holds only a <think> block, with no verdict after it")
            }
            UnparsableReason::NoVerdict => f.write_str(
                "found no verdict: no JSON object with a verdict field, no \"Verdict:\" line, no label alone on a line",
            ),
            UnparsableReason::UnknownLabel { value, expected } => {
                write!(f, "the verdict \"{value}\" is not one of {}", quote(expected))
            }
            UnparsableReason::Ambiguous { labels } => {
                write!(f, "the reply gives several different verdicts ({}); expected exactly one", quote(labels))
            }
            UnparsableReason::Negated { value } => {
                write!(f, "the verdict \"{value}\" only negates a label; expected the label that applies")
            }
        }
    }
}
