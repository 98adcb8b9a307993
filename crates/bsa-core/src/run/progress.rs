//! How far a run has got, for the UI: [`ProgressSnapshot`].
//!
//! - [`ProgressSnapshot`]: per-stage [`CallCounts`], errors by [`ErrorKind`] with the last message
//!   of each, the recent rate and an ETA, tokens and cost so far, retries, and each lane's
//!   current effective concurrency ([`LaneProgress`]). It serializes to JSON for the UI.
//! - `ProgressLog` (crate-private): what the scheduler records as calls finish (errors, the
//!   recent completions behind the rate, spend), beside the per-call states the counts are
//!   taken from.
//!
//! The rate is terminal calls (done or failed; skipped calls cost nothing and are left out) per
//! minute over the last minute, or over the time since the first start when that is shorter.
//! The ETA divides the calls still open by that rate. Open calls include reasoning-judge calls
//! that will turn out to be skipped when the model gives no trace, so the ETA errs long.

use crate::run::lane::RATE_WINDOW_MS;
use crate::run::outcome::{FailureReason, RetryKind, Spend};
use crate::run::plan::Stage;
use crate::run::scheduler::RunStatus;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// The kinds of error a run reports, each with a count and its last message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    RateLimited,
    ServerError,
    Timeout,
    Network,
    Malformed,
    CutOff,
    JudgeUnparsable,
    Fatal,
}

impl ErrorKind {
    pub const ALL: [ErrorKind; 8] = [
        ErrorKind::RateLimited,
        ErrorKind::ServerError,
        ErrorKind::Timeout,
        ErrorKind::Network,
        ErrorKind::Malformed,
        ErrorKind::CutOff,
        ErrorKind::JudgeUnparsable,
        ErrorKind::Fatal,
    ];

    pub fn of_retry(kind: RetryKind) -> ErrorKind {
        match kind {
            RetryKind::RateLimited => ErrorKind::RateLimited,
            RetryKind::ServerError(_) => ErrorKind::ServerError,
            RetryKind::Timeout => ErrorKind::Timeout,
            RetryKind::Network => ErrorKind::Network,
            RetryKind::Malformed => ErrorKind::Malformed,
            RetryKind::CutOff => ErrorKind::CutOff,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ErrorKind::RateLimited => "rate limited",
            ErrorKind::ServerError => "server error",
            ErrorKind::Timeout => "timed out",
            ErrorKind::Network => "network error",
            ErrorKind::Malformed => "malformed response",
            ErrorKind::CutOff => "response cut off",
            ErrorKind::JudgeUnparsable => "judge reply without a verdict",
            ErrorKind::Fatal => "fatal",
        }
    }
}

/// Errors of one kind so far.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorTally {
    pub kind: ErrorKind,
    pub count: u64,
    /// The message of the most recent error of this kind (plain text).
    pub last_message: String,
    /// The HTTP status of the most recent one, when it had one.
    pub last_status: Option<u16>,
    /// When it was reported; `None` for errors restored from storage.
    pub last_at_ms: Option<u64>,
}

/// Calls of one stage (or of the whole run) by state. The parts add up to `total`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallCounts {
    /// Calls in the plan, including reasoning-judge calls that may be skipped.
    pub total: u64,
    pub done: u64,
    pub in_flight: u64,
    /// Answered, their records being stored (they no longer take a place in their lane).
    #[serde(default)]
    pub storing: u64,
    /// Ready, or waiting for their sample's generation.
    pub queued: u64,
    /// Waiting out a backoff delay before another attempt.
    pub retrying: u64,
    /// Put aside by a fatal error until the run is resumed.
    pub held: u64,
    /// Gave up (counted and shown, left out of the metrics).
    pub failed: u64,
    /// Reasoning judge calls for completions without a reasoning trace.
    pub skipped_no_trace: u64,
    /// Judge calls of samples whose generation failed.
    pub skipped_generation_failed: u64,
}

impl CallCounts {
    pub(crate) fn add(&mut self, other: &CallCounts) {
        self.total += other.total;
        self.done += other.done;
        self.in_flight += other.in_flight;
        self.storing += other.storing;
        self.queued += other.queued;
        self.retrying += other.retrying;
        self.held += other.held;
        self.failed += other.failed;
        self.skipped_no_trace += other.skipped_no_trace;
        self.skipped_generation_failed += other.skipped_generation_failed;
    }

    /// Calls that will not be sent again: done, failed or skipped.
    pub fn finished(&self) -> u64 {
        self.done + self.failed + self.skipped_no_trace + self.skipped_generation_failed
    }
}

/// The calls of one stage.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageProgress {
    pub stage: Stage,
    #[serde(flatten)]
    pub counts: CallCounts,
}

/// One lane's limits and load right now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LaneProgress {
    pub name: String,
    pub stages: Vec<Stage>,
    pub in_flight: u32,
    /// The concurrency limit in force (lowered by rate limits, grown back by successes).
    pub effective_concurrency: u32,
    pub max_concurrency: u32,
    pub requests_per_minute: Option<u32>,
    pub starts_last_minute: u64,
    /// New calls wait until then because the provider asked to (retry-after on a 429).
    pub rate_limited_until_ms: Option<u64>,
}

/// Everything the progress panel shows, at one moment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgressSnapshot {
    pub at_ms: u64,
    pub status: RunStatus,
    pub stages: Vec<StageProgress>,
    pub totals: CallCounts,
    /// One entry per kind that occurred, in [`ErrorKind::ALL`] order.
    pub errors: Vec<ErrorTally>,
    /// Calls finished per minute recently; `None` before the first one.
    pub calls_per_minute: Option<f64>,
    /// Time left at the recent rate; `None` when not running or no rate is known yet.
    pub eta_ms: Option<u64>,
    /// Tokens and cost so far, failed attempts included.
    pub spent: Spend,
    /// Attempts whose cost was unknown (no price for the model); `spent.cost_usd` leaves them out.
    pub unpriced_attempts: u64,
    pub spend_cap_usd: Option<f64>,
    /// Attempts repeated after a transient failure.
    pub retries: u64,
    /// Judge calls asked again after a reply without a verdict.
    pub reasks: u64,
    pub lanes: Vec<LaneProgress>,
}

/// What the scheduler records as calls finish; see the module docs.
#[derive(Clone, Debug, Default)]
pub(crate) struct ProgressLog {
    /// Indexed by `ErrorKind as usize` (declaration order, as in [`ErrorKind::ALL`]).
    errors: [Option<ErrorTally>; ErrorKind::ALL.len()],
    completions: VecDeque<u64>,
    first_start_ms: Option<u64>,
    pub spent: Spend,
    pub unpriced_attempts: u64,
    pub retries: u64,
    pub reasks: u64,
}

impl ProgressLog {
    pub fn started(&mut self, now: u64) {
        self.first_start_ms.get_or_insert(now);
    }

    /// A call reached a terminal state (done or failed) at `now`.
    pub fn completed(&mut self, now: u64) {
        self.completions.push_back(now);
        while self
            .completions
            .front()
            .is_some_and(|&at| now - at.min(now) >= RATE_WINDOW_MS)
        {
            self.completions.pop_front();
        }
    }

    pub fn spend(&mut self, spend: Spend, attempts: u64) {
        self.spent = self.spent.plus(spend);
        if spend.cost_usd.is_none() {
            self.unpriced_attempts += attempts;
        }
    }

    pub fn error(&mut self, kind: ErrorKind, status: Option<u16>, message: &str, at: Option<u64>) {
        let tally = self.errors[kind as usize].get_or_insert_with(|| ErrorTally {
            kind,
            count: 0,
            last_message: String::new(),
            last_status: None,
            last_at_ms: None,
        });
        tally.count += 1;
        message.clone_into(&mut tally.last_message);
        tally.last_status = status;
        tally.last_at_ms = at;
    }

    /// A failure read back from storage: counted once, without a time.
    pub fn restored_failure(&mut self, reason: FailureReason, message: &str) {
        let (kind, status) = match reason {
            FailureReason::RetriesExhausted { kind, .. } => (
                ErrorKind::of_retry(kind),
                match kind {
                    RetryKind::ServerError(status) => Some(status),
                    _ => None,
                },
            ),
            FailureReason::JudgeUnparsable { .. } => (ErrorKind::JudgeUnparsable, None),
        };
        self.error(kind, status, message, None);
    }

    /// The kinds that occurred, in [`ErrorKind::ALL`] order.
    pub fn errors(&self) -> Vec<ErrorTally> {
        self.errors.iter().flatten().cloned().collect()
    }

    /// Terminal calls per minute over the recent window; see the module docs.
    pub fn calls_per_minute(&self, now: u64) -> Option<f64> {
        let first = self.first_start_ms?;
        let recent = self
            .completions
            .iter()
            .filter(|&&at| now - at.min(now) < RATE_WINDOW_MS)
            .count();
        let span = now.saturating_sub(first).min(RATE_WINDOW_MS);
        if recent == 0 || span == 0 {
            return None;
        }
        Some(recent as f64 * RATE_WINDOW_MS as f64 / span as f64)
    }
}

/// Time to finish `open` calls at `per_minute`.
pub(crate) fn eta_ms(open: u64, per_minute: f64) -> Option<u64> {
    if per_minute <= 0.0 || !per_minute.is_finite() {
        return None;
    }
    Some((open as f64 / per_minute * RATE_WINDOW_MS as f64).round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_counts_the_last_minute_or_the_time_since_the_start() {
        let mut log = ProgressLog::default();
        assert_eq!(log.calls_per_minute(0), None);
        log.started(0);
        for at in [5_000, 10_000, 15_000] {
            log.completed(at);
        }
        // 3 calls in the first 30 s: 6 per minute.
        assert_eq!(log.calls_per_minute(30_000), Some(6.0));
        // The window is (now - 60 s, now]. At 69 s the call at 5 s has left it: 2 per minute; at
        // 70 s the one at 10 s has too.
        assert_eq!(log.calls_per_minute(69_000), Some(2.0));
        assert_eq!(log.calls_per_minute(70_000), Some(1.0));
        // 12 open calls at 6 per minute: 2 minutes.
        assert_eq!(eta_ms(12, 6.0), Some(120_000));
        assert_eq!(eta_ms(12, 0.0), None);
    }

    #[test]
    fn errors_keep_a_count_and_the_last_message_per_kind() {
        let mut log = ProgressLog::default();
        log.error(ErrorKind::Timeout, None, "first", Some(1));
        log.error(ErrorKind::RateLimited, Some(429), "slow down", Some(2));
        log.error(ErrorKind::Timeout, None, "second", Some(3));
        let errors = log.errors();
        assert_eq!(errors.len(), 2);
        assert_eq!(
            errors[0].kind,
            ErrorKind::RateLimited,
            "in ErrorKind::ALL order"
        );
        assert_eq!(
            (errors[1].count, errors[1].last_message.as_str()),
            (2, "second")
        );
        assert_eq!(errors[1].last_at_ms, Some(3));
    }
}
