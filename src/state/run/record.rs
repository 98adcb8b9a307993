//! What a run leaves in IndexedDB, as plain serializable values:
//!
//! - [`RunRecord`]: the `runs` store's value: the run-file [`RunHeader`] (id, label, times,
//!   dataset reference, subset, k, model and judge setups: never a key), the [`Lifecycle`] the
//!   engine last saw, the scheduler configuration and prices needed to resume, and a progress
//!   summary for the runs list.
//! - [`CallRecord`]: the `calls` store's value, one per finished call: the scheduler's
//!   [`StoredOutcome`] and the [`CallPayload`] (completion, verdict or failure, with its
//!   [`StatsRecord`]).
//!
//! The engine writes a call's record before it tells the scheduler the call finished, so a
//! reload never repeats a finished call. Keys cannot be in either record: none of these types
//! has a field that could hold one.

use super::endpoint::KeySlot;
use bsa_core::judge::{JudgeVerdict, UnparsableReason};
use bsa_core::provider::{FinishReason, ModelConfig, ReasoningTrace, Usage};
use bsa_core::results::run_file::{CallStats, ModelSetup, RunHeader, RunState};
use bsa_core::run::{
    PauseReason, RateMemory, RunStatus, SchedulerConfig, StagePrices, StoredOutcome,
};
use serde::{Deserialize, Serialize};

/// Where a run stands, as stored. `Running` after a reload means the page closed mid-run: the
/// run resumes by itself when its keys are at hand.
///
/// Externally tagged (`"running"`, `{"paused": {...}}`) rather than internally: serde reads an
/// internally tagged enum through a buffered copy of the object, which costs bundle size.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lifecycle {
    Running,
    /// Paused by the user or by the spend cap; `reason` in words.
    Paused {
        reason: String,
        spend_cap: bool,
    },
    /// A fatal error (401, 404, storage refused...): `message` says what to fix.
    Stopped {
        message: String,
    },
    Cancelled,
    Finished,
}

impl Lifecycle {
    pub fn of(status: &RunStatus) -> Lifecycle {
        match status {
            RunStatus::Running => Lifecycle::Running,
            RunStatus::Paused { reason } => Lifecycle::Paused {
                reason: reason.to_string(),
                spend_cap: matches!(reason, PauseReason::SpendCap { .. }),
            },
            RunStatus::Stopped { fatal } => Lifecycle::Stopped {
                message: fatal.message.clone(),
            },
            RunStatus::Cancelled => Lifecycle::Cancelled,
            RunStatus::Finished => Lifecycle::Finished,
        }
    }

    /// The word the page shows and tests wait for (`data-run-status`).
    pub fn key(&self) -> &'static str {
        match self {
            Lifecycle::Running => "running",
            Lifecycle::Paused { .. } => "paused",
            Lifecycle::Stopped { .. } => "stopped",
            Lifecycle::Cancelled => "cancelled",
            Lifecycle::Finished => "finished",
        }
    }

    /// The run file's [`RunState`] for this lifecycle.
    pub fn run_state(&self) -> RunState {
        match self {
            Lifecycle::Finished => RunState::Complete,
            Lifecycle::Cancelled => RunState::Cancelled,
            Lifecycle::Stopped { message } => RunState::Stopped {
                message: message.clone(),
            },
            Lifecycle::Paused {
                reason,
                spend_cap: true,
            } => RunState::Stopped {
                message: reason.clone(),
            },
            Lifecycle::Running | Lifecycle::Paused { .. } => RunState::Partial,
        }
    }

    /// Whether the run can go on (after a resume).
    pub fn is_open(&self) -> bool {
        !matches!(self, Lifecycle::Cancelled | Lifecycle::Finished)
    }
}

/// Calls finished (done, failed or skipped) out of those planned.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordProgress {
    pub finished: u64,
    pub total: u64,
}

/// A run as stored in the `runs` store; see the module docs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    pub header: RunHeader,
    pub lifecycle: Lifecycle,
    pub scheduling: SchedulerConfig,
    pub prices: StagePrices,
    pub progress: RecordProgress,
    /// When the record was last written (ms since the epoch), to sort and to show.
    pub updated_ms: f64,
    /// Each lane's starts of the last minute and retry-after hold when the record was written,
    /// so that a reload keeps to the requests-per-minute limit (no key, no text: times only).
    #[serde(default)]
    pub rates: Vec<RateMemory>,
}

impl RunRecord {
    pub fn id(&self) -> &str {
        &self.header.id
    }

    /// Changes the lifecycle and the header's matching run state (and finish time).
    pub fn set_lifecycle(&mut self, lifecycle: Lifecycle, now_rfc3339: &str) {
        self.header.status = lifecycle.run_state();
        match lifecycle {
            Lifecycle::Finished | Lifecycle::Cancelled => {
                self.header.finished = Some(now_rfc3339.to_string())
            }
            _ => self.header.finished = None,
        }
        self.lifecycle = lifecycle;
    }

    /// The model under test's configuration, when the run calls it (not for imported answers).
    pub fn model_config(&self) -> Option<&ModelConfig> {
        match &self.header.model {
            ModelSetup::Api { config, .. } => Some(config),
            ModelSetup::BatchCsv { .. } => None,
        }
    }

    pub fn is_import(&self) -> bool {
        matches!(self.header.model, ModelSetup::BatchCsv { .. })
    }

    /// Every endpoint the run calls, with the slot its key is filed under and whether a key is
    /// required (presets like the simulator and local servers take one only if given).
    pub fn endpoints(&self) -> Vec<RunEndpoint> {
        let mut endpoints = Vec::new();
        if let Some(config) = self.model_config() {
            endpoints.push(RunEndpoint::new(
                super::endpoint::EndpointRole::Model,
                config,
            ));
        }
        endpoints.push(RunEndpoint::new(
            super::endpoint::EndpointRole::Judge,
            &self.header.judge.config,
        ));
        if let Some(second) = &self.header.second_judge {
            endpoints.push(RunEndpoint::new(
                super::endpoint::EndpointRole::SecondJudge,
                &second.config,
            ));
        }
        endpoints
    }

    /// Whether any endpoint is the provider simulator (its results are not a real model's).
    pub fn is_simulated(&self) -> bool {
        self.endpoints()
            .iter()
            .any(|endpoint| endpoint.config.preset.preset().simulated)
    }
}

/// One endpoint of a run, for key handling.
#[derive(Clone, Debug, PartialEq)]
pub struct RunEndpoint {
    pub role: super::endpoint::EndpointRole,
    pub config: ModelConfig,
    pub slot: KeySlot,
    pub key_required: bool,
}

impl RunEndpoint {
    fn new(role: super::endpoint::EndpointRole, config: &ModelConfig) -> RunEndpoint {
        RunEndpoint {
            role,
            slot: KeySlot::of(config),
            key_required: config.key_required(),
            config: config.clone(),
        }
    }
}

/// [`CallStats`] as stored (the run-file type has no serde of its own).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StatsRecord {
    #[serde(default)]
    pub usage: Usage,
    #[serde(default)]
    pub reported_total_tokens: Option<u64>,
    #[serde(default)]
    pub duration_ms: Option<u64>,
    #[serde(default)]
    pub attempts: Option<u32>,
    #[serde(default)]
    pub cost_usd: Option<f64>,
}

impl From<StatsRecord> for CallStats {
    fn from(stats: StatsRecord) -> CallStats {
        CallStats {
            usage: stats.usage,
            reported_total_tokens: stats.reported_total_tokens,
            duration_ms: stats.duration_ms,
            attempts: stats.attempts,
            cost_usd: stats.cost_usd,
        }
    }
}

impl From<&CallStats> for StatsRecord {
    fn from(stats: &CallStats) -> StatsRecord {
        StatsRecord {
            usage: stats.usage,
            reported_total_tokens: stats.reported_total_tokens,
            duration_ms: stats.duration_ms,
            attempts: stats.attempts,
            cost_usd: stats.cost_usd,
        }
    }
}

/// What a finished call produced. Externally tagged, like [`Lifecycle`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallPayload {
    /// The model under test answered.
    Generation {
        answer: String,
        reasoning: Option<ReasoningTrace>,
        finish_reason: Option<FinishReason>,
        served_model: Option<String>,
        response_id: Option<String>,
        stats: StatsRecord,
    },
    /// A judge gave a verdict.
    Verdict {
        verdict: JudgeVerdict,
        reply: String,
        stats: StatsRecord,
    },
    /// A judge replied `asks` times and no verdict could be read.
    JudgeUnreadable {
        reason: UnparsableReason,
        asks: u32,
        reply: Option<String>,
        stats: StatsRecord,
    },
    /// The call gave up (retries exhausted) or, for imported answers, failed in the batch run.
    Failure { message: String, stats: StatsRecord },
}

impl CallPayload {
    pub fn stats(&self) -> &StatsRecord {
        match self {
            CallPayload::Generation { stats, .. }
            | CallPayload::Verdict { stats, .. }
            | CallPayload::JudgeUnreadable { stats, .. }
            | CallPayload::Failure { stats, .. } => stats,
        }
    }

    /// Whether a generation carries a trace a reasoning judge can read (the rule of
    /// `GeneratedAnswer::has_trace`).
    pub fn has_trace(&self) -> bool {
        matches!(self, CallPayload::Generation { reasoning: Some(trace), .. } if !trace.text.trim().is_empty())
    }
}

/// A finished call as stored; see the module docs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CallRecord {
    pub outcome: StoredOutcome,
    pub payload: CallPayload,
}

#[cfg(test)]
mod tests {
    use super::*;
    use bsa_core::run::{CallKey, FatalStop, Stage};

    #[test]
    fn lifecycles_follow_the_scheduler_and_map_to_run_states() {
        let stop = RunStatus::Stopped {
            fatal: FatalStop {
                call: CallKey::new(0, 0, Stage::Generate),
                call_name: "a/0/generate".into(),
                status: Some(401),
                message: "401 from api.example: check the key".into(),
            },
        };
        let lifecycle = Lifecycle::of(&stop);
        assert_eq!(lifecycle.key(), "stopped");
        assert_eq!(
            lifecycle.run_state(),
            RunState::Stopped {
                message: "401 from api.example: check the key".into()
            }
        );
        let cap = Lifecycle::of(&RunStatus::Paused {
            reason: PauseReason::SpendCap {
                spent_usd: 1.0,
                cap_usd: 1.0,
            },
        });
        assert!(matches!(cap.run_state(), RunState::Stopped { .. }));
        assert_eq!(
            Lifecycle::of(&RunStatus::Paused {
                reason: PauseReason::Manual
            })
            .run_state(),
            RunState::Partial
        );
        assert!(!Lifecycle::Finished.is_open());
    }

    #[test]
    fn payloads_round_trip_through_json() {
        let payload = CallPayload::JudgeUnreadable {
            reason: UnparsableReason::NoVerdict,
            asks: 3,
            reply: Some("I cannot say".into()),
            stats: StatsRecord {
                duration_ms: Some(12),
                ..StatsRecord::default()
            },
        };
        let json = serde_json::to_string(&payload).unwrap();
        let back: CallPayload = serde_json::from_str(&json).unwrap();
        assert_eq!(back, payload);
    }
}
