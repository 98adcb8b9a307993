//! [`JudgeAttempts`]: how often to ask a judge whose reply could not be read, and what to say
//! when asking again.
//!
//! The scheduler asks once; on a [`VerdictError`] it calls [`JudgeAttempts::record_failure`],
//! which either says [`NextAttempt::AskAgain`] with a follow-up message, or, after
//! [`MAX_JUDGE_ATTEMPTS`] replies in all, [`NextAttempt::GiveUp`] with the [`JudgeFailure`] to
//! record as the sample's judge error. The follow-up is meant to be sent as a new user turn after
//! the original prompt and the judge's unreadable reply, so the judge sees what went wrong.

use super::kind::JudgeKind;
use super::verdict::{UnparsableReason, VerdictError};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Replies asked of a judge for one sample before giving up: the first and two re-asks.
pub const MAX_JUDGE_ATTEMPTS: u32 = 3;

/// The attempts made so far for one judge call.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JudgeAttempts {
    failed: u32,
}

/// What to do after a reply could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NextAttempt {
    /// Ask the same judge again, adding `follow_up` as a user message.
    AskAgain { follow_up: String },
    /// Stop: record a judge error for this sample.
    GiveUp { failure: JudgeFailure },
}

/// A judge that gave no readable verdict in [`MAX_JUDGE_ATTEMPTS`] replies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JudgeFailure {
    pub kind: JudgeKind,
    pub attempts: u32,
    /// Why the last reply could not be read.
    pub last_reason: UnparsableReason,
}

impl fmt::Display for JudgeFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "judge error: the {} gave no readable verdict in {} replies; last: {}",
            self.kind, self.attempts, self.last_reason
        )
    }
}

impl std::error::Error for JudgeFailure {}

impl JudgeAttempts {
    pub fn new() -> JudgeAttempts {
        JudgeAttempts::default()
    }

    /// Replies that could not be read so far.
    pub fn failed(&self) -> u32 {
        self.failed
    }

    /// Records one unreadable reply of judge `kind` and says what to do next.
    pub fn record_failure(&mut self, kind: JudgeKind, error: &VerdictError) -> NextAttempt {
        self.failed = self.failed.saturating_add(1);
        if self.failed >= MAX_JUDGE_ATTEMPTS {
            NextAttempt::GiveUp {
                failure: JudgeFailure {
                    kind,
                    attempts: self.failed,
                    last_reason: error.reason().clone(),
                },
            }
        } else {
            NextAttempt::AskAgain {
                follow_up: follow_up_message(kind, error.reason()),
            }
        }
    }
}

/// The re-ask message: what was wrong, and the exact format wanted.
pub fn follow_up_message(kind: JudgeKind, reason: &UnparsableReason) -> String {
    let labels: Vec<String> = kind
        .prompt_labels()
        .iter()
        .map(|label| format!("\"{label}\""))
        .collect();
    let choices = match labels.as_slice() {
        [a, b] => format!("{a} or {b}"),
        [init @ .., last] => format!("{}, or {last}", init.join(", ")),
        [] => String::new(),
    };
    format!(
        "Your previous reply could not be read: {reason}.\n\
         Reply again with a single JSON object and nothing before or after it, with exactly two keys: \
         \"rationale\" (your explanation) and \"verdict\", which must be exactly one of {choices}. \
         The shape is:\n\
         {{\"rationale\": \"<your explanation>\", \"verdict\": \"<one of the allowed values>\"}}"
    )
}
