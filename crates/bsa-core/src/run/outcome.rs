//! What the engine tells the scheduler about a call, and what it stores for a reload.
//!
//! - [`AttemptOutcome`]: how one attempt of a call ended, filled in by the engine from the
//!   provider layer's classification of the response (this module does not depend on that layer:
//!   the engine maps its error classes onto [`RetryKind`] and [`AttemptOutcome::Fatal`]).
//! - [`Spend`]: tokens and cost of one attempt, as the engine computed them.
//! - [`StoredOutcome`]: a call's final result as persisted (IndexedDB), read back by
//!   [`crate::run::Scheduler::restore`]; [`FailureReason`] says why a call gave up.
//!
//! Messages are shown to the user as plain text. They come from the provider layer, which is
//! responsible for keeping API keys out of them; the scheduler only stores and repeats them.

use crate::run::plan::Stage;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A transient failure: the call is tried again after a backoff delay.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetryKind {
    /// HTTP 429 or a provider's rate-limit error: also drives adaptive concurrency.
    RateLimited,
    /// 5xx (or a provider's "overloaded" code) with its status.
    ServerError(u16),
    /// No answer before the deadline; the engine aborted the request.
    Timeout,
    /// The request never got an HTTP answer (connection reset, CORS failure mid-run, offline).
    Network,
    /// An answer that could not be read as the provider's response format.
    Malformed,
    /// The stream ended before the response was complete.
    CutOff,
}

impl fmt::Display for RetryKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RetryKind::RateLimited => f.write_str("rate limited"),
            RetryKind::ServerError(status) => write!(f, "server error {status}"),
            RetryKind::Timeout => f.write_str("timed out"),
            RetryKind::Network => f.write_str("network error"),
            RetryKind::Malformed => f.write_str("malformed response"),
            RetryKind::CutOff => f.write_str("response cut off"),
        }
    }
}

/// How one attempt of a call ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum AttemptOutcome {
    /// A [`Stage::Generate`] call returned a completion; `has_reasoning` says whether it carried a
    /// reasoning trace (without one the reasoning judges are skipped as "no trace").
    Generated { has_reasoning: bool },
    /// A judge call returned a reply the judge layer could read as a verdict.
    Judged,
    /// A judge replied, but no verdict could be read from the reply: the judge is asked again
    /// (see [`crate::run::SchedulerConfig::max_reasks`]), then the call fails as a judge error.
    JudgeUnparsable { message: String },
    /// A transient failure: retried after a backoff delay, at least `retry_after_ms` when the
    /// provider said how long to wait.
    Retryable {
        kind: RetryKind,
        retry_after_ms: Option<u64>,
        message: String,
    },
    /// A failure retrying cannot fix (400, 401, 403, 404): the whole run stops with `message`
    /// until the user fixes the cause and resumes.
    Fatal {
        status: Option<u16>,
        message: String,
    },
    /// The engine cancelled the request itself (pause, cancel, page hidden): the call goes back
    /// to pending, and this does not count as an attempt.
    Aborted,
}

impl AttemptOutcome {
    /// Whether this outcome can be reported for a call of `stage`.
    pub fn fits(&self, stage: Stage) -> bool {
        match self {
            AttemptOutcome::Generated { .. } => stage == Stage::Generate,
            AttemptOutcome::Judged | AttemptOutcome::JudgeUnparsable { .. } => stage.is_judge(),
            AttemptOutcome::Retryable { .. }
            | AttemptOutcome::Fatal { .. }
            | AttemptOutcome::Aborted => true,
        }
    }

    /// Short name of the variant, for error messages.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            AttemptOutcome::Generated { .. } => "generated",
            AttemptOutcome::Judged => "judged",
            AttemptOutcome::JudgeUnparsable { .. } => "judge unparsable",
            AttemptOutcome::Retryable { .. } => "retryable",
            AttemptOutcome::Fatal { .. } => "fatal",
            AttemptOutcome::Aborted => "aborted",
        }
    }
}

/// Tokens and cost of an attempt (or, summed, of a call or a run).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Spend {
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// USD; `None` when no price is known for the model (the cost is then unknown, not zero).
    pub cost_usd: Option<f64>,
}

impl Spend {
    /// Nothing spent (an aborted request, a network error before any answer).
    pub const NONE: Spend = Spend {
        input_tokens: 0,
        output_tokens: 0,
        cost_usd: None,
    };

    pub fn new(input_tokens: u64, output_tokens: u64, cost_usd: Option<f64>) -> Spend {
        Spend {
            input_tokens,
            output_tokens,
            cost_usd,
        }
    }

    /// Sum; the cost is known when either side's is (unknown parts count as nothing, and
    /// progress counts them separately).
    pub fn plus(self, other: Spend) -> Spend {
        Spend {
            input_tokens: self.input_tokens.saturating_add(other.input_tokens),
            output_tokens: self.output_tokens.saturating_add(other.output_tokens),
            cost_usd: match (self.cost_usd, other.cost_usd) {
                (None, None) => None,
                (a, b) => Some(a.unwrap_or(0.0) + b.unwrap_or(0.0)),
            },
        }
    }

    /// A cost must be a finite, non-negative number of dollars.
    pub(crate) fn is_valid(&self) -> bool {
        self.cost_usd
            .is_none_or(|cost| cost.is_finite() && cost >= 0.0)
    }
}

/// Why a call gave up. The call is counted and shown, and left out of the metrics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum FailureReason {
    /// Every allowed attempt failed; `kind` is the last failure.
    RetriesExhausted { kind: RetryKind, attempts: u32 },
    /// The judge was asked `asks` times and no verdict could be read from any reply.
    JudgeUnparsable { asks: u32 },
}

impl fmt::Display for FailureReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FailureReason::RetriesExhausted { kind, attempts } => {
                write!(f, "gave up after {attempts} attempts (last: {kind})")
            }
            FailureReason::JudgeUnparsable { asks } => {
                write!(f, "judge error: no verdict in {asks} replies")
            }
        }
    }
}

/// A call's final result, as the engine persists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "result")]
pub enum StoredResult {
    Generated {
        has_reasoning: bool,
    },
    Judged,
    Failed {
        reason: FailureReason,
        message: String,
    },
}

impl StoredResult {
    pub fn fits(&self, stage: Stage) -> bool {
        match self {
            StoredResult::Generated { .. } => stage == Stage::Generate,
            StoredResult::Judged => stage.is_judge(),
            StoredResult::Failed { .. } => true,
        }
    }
}

/// What the engine stores for a finished call, next to the payload (completion or verdict).
/// [`crate::run::Scheduler::outcome_to_store`] builds it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredOutcome {
    pub result: StoredResult,
    /// Attempts that failed with a retryable error (all of them, for a call that gave up).
    pub failed_attempts: u32,
    /// Judge replies without a verdict.
    pub unparsable_replies: u32,
    /// Everything the call's attempts cost, so a spend cap survives a reload.
    pub spend: Spend,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spend_adds_up_and_keeps_unknown_cost_unknown() {
        let priced = Spend::new(100, 20, Some(0.5));
        let unpriced = Spend::new(7, 3, None);
        assert_eq!(unpriced.plus(unpriced), Spend::new(14, 6, None));
        assert_eq!(priced.plus(unpriced), Spend::new(107, 23, Some(0.5)));
        assert_eq!(priced.plus(priced), Spend::new(200, 40, Some(1.0)));
        assert!(!Spend::new(0, 0, Some(f64::NAN)).is_valid());
        assert!(!Spend::new(0, 0, Some(-0.1)).is_valid());
        assert!(Spend::NONE.is_valid());
    }

    #[test]
    fn outcomes_fit_their_stages() {
        let generated = AttemptOutcome::Generated {
            has_reasoning: true,
        };
        assert!(generated.fits(Stage::Generate));
        assert!(!generated.fits(Stage::JudgeAnswer));
        assert!(!AttemptOutcome::Judged.fits(Stage::Generate));
        assert!(AttemptOutcome::Judged.fits(Stage::SecondJudgeReasoning));
        assert!(AttemptOutcome::Aborted.fits(Stage::Generate));
        assert!(!StoredResult::Judged.fits(Stage::Generate));
    }

    #[test]
    fn stored_outcomes_survive_json() {
        let stored = StoredOutcome {
            result: StoredResult::Failed {
                reason: FailureReason::RetriesExhausted {
                    kind: RetryKind::ServerError(503),
                    attempts: 6,
                },
                message: "503 from example.org".into(),
            },
            failed_attempts: 6,
            unparsable_replies: 0,
            spend: Spend::new(10, 0, Some(0.25)),
        };
        let json = serde_json::to_string(&stored).unwrap();
        let back: StoredOutcome = serde_json::from_str(&json).unwrap();
        assert_eq!(back, stored);
    }
}
