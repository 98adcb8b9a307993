//! The call scheduler: [`Scheduler`], a pure state machine over a [`RunPlan`].
//!
//! - [`SchedulerConfig`]: lanes with their limits ([`LaneConfig`]), attempts, judge re-asks,
//!   [`BackoffPolicy`], [`AdaptivePolicy`], spend cap, jitter seed.
//! - [`Poll`]: what [`Scheduler::poll`] asks the engine to do: start calls ([`Dispatch`]), wait
//!   until a time or for a call to finish, or nothing (paused, stopped, cancelled, finished).
//! - [`Disposition`]: what became of a call the engine reported with [`Scheduler::finished`]
//!   (and, for a call whose record is being stored, with [`Scheduler::stored`] or
//!   [`Scheduler::store_failed`]).
//! - [`RunStatus`], [`PauseReason`], [`FatalStop`]: where the run stands.
//! - [`CallState`]: one call's state; [`Ending`]: what a call being stored becomes.
//! - [`Restored`], [`RestoreProblem`]: a scheduler rebuilt from the stored finished calls after a
//!   reload, with whatever in storage did not fit.
//!
//! The engine owns fetch, timers and storage. Its loop:
//!
//! 1. `poll(now)`: send every [`Dispatch`] of [`Poll::Start`] (they already count as in flight),
//!    calling `started(call, now)` when the request really goes out, and abort it at the deadline
//!    it returns; on [`Poll::Wait`] set a timer for `wake_at_ms` (if any) and poll again then or
//!    when a call finishes.
//! 2. When an attempt ends: `outcome_to_store(call, &outcome, spend)`, then
//!    `finished(call, outcome, spend, now)`; then poll again (a call that will be sent again
//!    frees its place in its lane at once; a call being stored keeps it until step 3).
//! 3. If `outcome_to_store` gave a record, the call is now [`CallState::Storing`]
//!    ([`Disposition::Storing`]): persist the record with the payload, then report
//!    `stored(call, now)` (the call is done or failed; a generation's judge calls are queued or
//!    skipped only now, and its place in the lane is free) or, if the write failed,
//!    `store_failed(call, message, now)` (the call is held and the run stops; resuming sends it
//!    again); then poll again.
//!
//! So what storage holds is exactly what the scheduler counts as finished: a reload repeats the
//! calls that were in flight or being stored, never a stored one, and never loses one; and as
//! those together never outnumber a lane's concurrency, a reload repeats at most that many. The run
//! is not [`RunStatus::Finished`] while any record is being stored, and a judge call is only sent
//! (and so only stored) after its generation's record is stored.
//!
//! ## Implementation notes
//!
//! - Per-call state is a flat vector indexed by the plan's dense call numbers. Ready calls sit in
//!   per-lane ordered sets keyed by (priority, call number), calls waiting out a backoff in one
//!   ordered set keyed by time: `poll` does work proportional to the calls it starts and the timers
//!   that expired, never a scan of the run (30,000 calls for 2,000 items x k=5).
//! - Priority: judge calls before generate calls, then plan order. Samples already generated are
//!   judged before new ones are generated, so metrics fill in steadily and the engine holds few
//!   completions in memory; items are generated in order, all k samples of an item together, so
//!   per-item metrics (Safe@k) become final item by item.
//! - Time is milliseconds from the caller. It never goes backwards here: an earlier `now` than
//!   one already seen is read as the latest seen (wall clocks can step back).
//! - Counted attempts: each [`AttemptOutcome::Retryable`] counts one; after
//!   [`SchedulerConfig::max_attempts`] the call fails. Judge re-asks ([`AttemptOutcome::JudgeUnparsable`])
//!   have their own budget; fatal errors and aborts do not count.
//! - A fatal error stops the whole run at once (no call starts after it); calls already in flight
//!   finish and are recorded. [`Scheduler::resume`] puts the calls that failed fatally back in the
//!   queue. A record that could not be stored ([`Scheduler::store_failed`]) is such a fatal error.
//! - A call being stored keeps its place in its lane's concurrency until [`Scheduler::stored`]
//!   (not its rpm: its request is over), is not sent again, and counts as open, so the run
//!   cannot finish before it is stored. Freeing the place at the answer instead lets the next
//!   request overlap the write (measured: 2-3 % faster runs), but then answered, unstored calls
//!   can outnumber the concurrency, and a reload would repeat more than that many calls: the
//!   issue's bound on repeats wins. Dependent judge calls stay blocked until `stored` too.
//! - The spend cap is checked as calls finish, so calls in flight when it is reached can take the
//!   spend past it by at most their own cost.

use crate::run::backoff::{unit_random, BackoffPolicy};
use crate::run::lane::{ready_key, AdaptivePolicy, Lane, LaneConfig, RateMemory};
use crate::run::outcome::{
    AttemptOutcome, FailureReason, RetryKind, Spend, StoredOutcome, StoredResult,
};
use crate::run::plan::{CallKey, RunPlan, Stage};
use crate::run::progress::{
    eta_ms, CallCounts, ErrorKind, LaneProgress, ProgressLog, ProgressSnapshot, StageProgress,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// Limits and policies of a run's scheduling.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SchedulerConfig {
    /// Each stage of the plan in exactly one lane.
    pub lanes: Vec<LaneConfig>,
    /// Attempts per call, the first included, before it is recorded as failed.
    pub max_attempts: u32,
    /// Times a judge is asked again after a reply without a verdict, before a judge error.
    pub max_reasks: u32,
    pub backoff: BackoffPolicy,
    pub adaptive: AdaptivePolicy,
    /// The run pauses ("spend cap reached") once the reported cost reaches this many dollars.
    pub spend_cap_usd: Option<f64>,
    /// Seeds the backoff jitter ([`unit_random`] of the seed, the call and the attempt).
    pub jitter_seed: u64,
}

impl SchedulerConfig {
    /// One lane carrying every stage, default policies.
    pub fn single_lane(
        max_concurrency: u32,
        requests_per_minute: Option<u32>,
        timeout_ms: u64,
    ) -> SchedulerConfig {
        SchedulerConfig {
            lanes: vec![LaneConfig::new(
                "all calls",
                Stage::ALL.to_vec(),
                max_concurrency,
                requests_per_minute,
                timeout_ms,
            )],
            max_attempts: 6,
            max_reasks: 2,
            backoff: BackoffPolicy::default(),
            adaptive: AdaptivePolicy::default(),
            spend_cap_usd: None,
            jitter_seed: 0,
        }
    }

    /// Checks the limits and maps each stage of `plan` to its lane.
    fn stage_lanes(&self, plan: &RunPlan) -> Result<[usize; 5], ConfigError> {
        if self.lanes.is_empty() {
            return Err(ConfigError::NoLanes);
        }
        if self.max_attempts == 0 {
            return Err(ConfigError::ZeroAttempts);
        }
        let backoff = &self.backoff;
        if backoff.base_ms == 0 || backoff.cap_ms < backoff.base_ms {
            return Err(ConfigError::BadBackoff {
                base_ms: backoff.base_ms,
                cap_ms: backoff.cap_ms,
            });
        }
        if self.adaptive.rate_limits_to_halve == 0 || self.adaptive.successes_to_grow == 0 {
            return Err(ConfigError::BadAdaptive);
        }
        check_spend_cap(self.spend_cap_usd)?;
        let mut stage_lane = [usize::MAX; 5];
        for (index, lane) in self.lanes.iter().enumerate() {
            let name = || lane.name.clone();
            if lane.max_concurrency == 0 {
                return Err(ConfigError::ZeroConcurrency { lane: name() });
            }
            if lane.requests_per_minute == Some(0) {
                return Err(ConfigError::ZeroRequestsPerMinute { lane: name() });
            }
            if lane.timeout_ms == 0 {
                return Err(ConfigError::ZeroTimeout { lane: name() });
            }
            for &stage in &lane.stages {
                let slot = &mut stage_lane[stage.position()];
                if *slot != usize::MAX && *slot != index {
                    return Err(ConfigError::StageInTwoLanes {
                        stage,
                        first: self.lanes[*slot].name.clone(),
                        second: name(),
                    });
                }
                *slot = index;
            }
        }
        if let Some(&stage) = plan
            .stages()
            .iter()
            .find(|stage| stage_lane[stage.position()] == usize::MAX)
        {
            return Err(ConfigError::StageWithoutLane { stage });
        }
        Ok(stage_lane)
    }
}

fn check_spend_cap(cap: Option<f64>) -> Result<(), ConfigError> {
    match cap {
        Some(cap) if !(cap.is_finite() && cap >= 0.0) => Err(ConfigError::BadSpendCap { cap }),
        _ => Ok(()),
    }
}

impl Default for SchedulerConfig {
    /// One lane, 4 calls at a time, no rpm limit, 10-minute timeout (reasoning models can think
    /// for many minutes).
    fn default() -> SchedulerConfig {
        SchedulerConfig::single_lane(4, None, 600_000)
    }
}

/// A configuration the scheduler cannot run with.
#[derive(Clone, Debug, PartialEq)]
pub enum ConfigError {
    NoLanes,
    StageWithoutLane {
        stage: Stage,
    },
    StageInTwoLanes {
        stage: Stage,
        first: String,
        second: String,
    },
    ZeroConcurrency {
        lane: String,
    },
    ZeroRequestsPerMinute {
        lane: String,
    },
    ZeroTimeout {
        lane: String,
    },
    ZeroAttempts,
    BadBackoff {
        base_ms: u64,
        cap_ms: u64,
    },
    BadAdaptive,
    BadSpendCap {
        cap: f64,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::NoLanes => f.write_str("no lanes configured: expected at least one"),
            ConfigError::StageWithoutLane { stage } => {
                write!(
                    f,
                    "no lane carries the {} calls: add the stage to a lane",
                    stage.label()
                )
            }
            ConfigError::StageInTwoLanes {
                stage,
                first,
                second,
            } => write!(
                f,
                "the {} calls are in two lanes ({first:?} and {second:?}): expected one",
                stage.label()
            ),
            ConfigError::ZeroConcurrency { lane } => {
                write!(
                    f,
                    "lane {lane:?}: concurrency 0; expected at least 1 call at a time"
                )
            }
            ConfigError::ZeroRequestsPerMinute { lane } => write!(
                f,
                "lane {lane:?}: 0 requests per minute; expected at least 1, or no limit"
            ),
            ConfigError::ZeroTimeout { lane } => {
                write!(
                    f,
                    "lane {lane:?}: timeout 0 ms; expected a positive timeout"
                )
            }
            ConfigError::ZeroAttempts => {
                f.write_str("at most 0 attempts per call: expected at least 1")
            }
            ConfigError::BadBackoff { base_ms, cap_ms } => write!(
                f,
                "backoff base {base_ms} ms and cap {cap_ms} ms: expected 0 < base <= cap"
            ),
            ConfigError::BadAdaptive => f.write_str(
                "adaptive concurrency: the 429 count to halve and the success count to grow \
                 must be at least 1",
            ),
            ConfigError::BadSpendCap { cap } => {
                write!(
                    f,
                    "spend cap {cap}: expected a non-negative number of dollars"
                )
            }
        }
    }
}

impl std::error::Error for ConfigError {}

/// A report the scheduler refused; its state is unchanged. These are engine mistakes (a call
/// reported twice, an outcome of the wrong kind), not provider errors.
#[derive(Clone, Debug, PartialEq)]
pub enum SchedulerError {
    NotInPlan { call: CallKey },
    NotInFlight { call: String, state: CallState },
    NotStoring { call: String, state: CallState },
    WrongOutcome { call: String, outcome: &'static str },
    InvalidSpend { call: String, cost_usd: Option<f64> },
}

impl fmt::Display for SchedulerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SchedulerError::NotInPlan { call } => write!(
                f,
                "call (item {}, sample {}, {}) is not part of this run",
                call.item, call.sample, call.stage
            ),
            SchedulerError::NotInFlight { call, state } => write!(
                f,
                "call {call} was reported, but it is not in flight (it is {})",
                state.label()
            ),
            SchedulerError::NotStoring { call, state } => write!(
                f,
                "call {call} was reported stored, but no record of it was being stored (it is {})",
                state.label()
            ),
            SchedulerError::WrongOutcome { call, outcome } => {
                write!(
                    f,
                    "call {call}: a {outcome:?} outcome does not fit this stage"
                )
            }
            SchedulerError::InvalidSpend { call, cost_usd } => write!(
                f,
                "call {call}: cost {cost_usd:?}: expected a non-negative number of dollars"
            ),
        }
    }
}

impl std::error::Error for SchedulerError {}

/// Why a judge call was not made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// A reasoning judge call for a completion without a reasoning trace.
    NoTrace,
    /// The sample's generation failed.
    GenerationFailed,
}

/// Where one call stands.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum CallState {
    /// A judge call waiting for its sample's generation.
    Blocked,
    /// Waiting for a free place in its lane.
    Ready,
    /// Waiting out a backoff delay.
    Backoff {
        until_ms: u64,
    },
    InFlight {
        since_ms: u64,
        deadline_ms: u64,
    },
    /// Answered; the engine is storing its record. Keeps its place in its lane, never sent
    /// again unless the write fails ([`Scheduler::store_failed`]); its judge calls wait for
    /// [`Scheduler::stored`].
    Storing {
        ending: Ending,
    },
    /// Failed fatally, or its record could not be stored; back in the queue on
    /// [`Scheduler::resume`].
    Held,
    Done,
    Failed {
        reason: FailureReason,
    },
    Skipped {
        reason: SkipReason,
    },
}

impl CallState {
    /// Done, failed or skipped: never sent again.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            CallState::Done | CallState::Failed { .. } | CallState::Skipped { .. }
        )
    }

    pub fn label(&self) -> &'static str {
        match self {
            CallState::Blocked => "waiting for its generation",
            CallState::Ready => "ready",
            CallState::Backoff { .. } => "waiting to retry",
            CallState::InFlight { .. } => "in flight",
            CallState::Storing { .. } => "being stored",
            CallState::Held => "held after a fatal error",
            CallState::Done => "done",
            CallState::Failed { .. } => "failed",
            CallState::Skipped { .. } => "skipped",
        }
    }
}

/// What a call being stored becomes once its record is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "as")]
pub enum Ending {
    /// A completion; its judge calls are queued (reasoning judges skipped without a trace).
    Generated { has_reasoning: bool },
    /// A verdict.
    Judged,
    /// A failure after the last attempt; a generation's judge calls are skipped.
    Failed { reason: FailureReason },
}

/// One call to send now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dispatch {
    pub call: CallKey,
    /// 1 for the first attempt; retries and judge re-asks each add one.
    pub attempt: u32,
    /// Abort the request at this time (if [`Scheduler::started`] is called, use its deadline).
    pub deadline_ms: u64,
}

/// What the engine should do next.
#[derive(Clone, Debug, PartialEq)]
pub enum Poll {
    /// Send these calls now; they already count as in flight.
    Start(Vec<Dispatch>),
    /// Nothing can start yet: poll again at `wake_at_ms`, or when a call finishes or is stored
    /// (`None`: only a finishing or stored call can make progress).
    Wait {
        wake_at_ms: Option<u64>,
    },
    /// Nothing new starts; calls in flight finish.
    Paused(PauseReason),
    /// A fatal error stopped the run; [`Scheduler::resume`] continues it.
    Stopped(FatalStop),
    Cancelled,
    /// Every call is done, failed or skipped (and so every record is stored).
    Finished,
}

/// Why a run is paused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum PauseReason {
    /// The user paused it.
    Manual,
    /// The reported cost reached the cap.
    SpendCap { spent_usd: f64, cap_usd: f64 },
}

impl fmt::Display for PauseReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PauseReason::Manual => f.write_str("paused"),
            PauseReason::SpendCap { spent_usd, cap_usd } => {
                write!(f, "spend cap reached (${spent_usd:.2} of ${cap_usd:.2})")
            }
        }
    }
}

/// The fatal error that stopped a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FatalStop {
    pub call: CallKey,
    /// [`RunPlan::call_name`] of the call.
    pub call_name: String,
    pub status: Option<u16>,
    /// The provider layer's plain message, e.g. "401 from api.openai.com: check the key".
    pub message: String,
}

/// Where the run stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum RunStatus {
    Running,
    Paused { reason: PauseReason },
    Stopped { fatal: FatalStop },
    Cancelled,
    Finished,
}

/// What became of a call reported by [`Scheduler::finished`], [`Scheduler::stored`] or
/// [`Scheduler::store_failed`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Disposition {
    /// Answered: its place in the lane is free; store the record
    /// [`Scheduler::outcome_to_store`] gave, then report [`Scheduler::stored`] or
    /// [`Scheduler::store_failed`].
    Storing,
    /// Stored; for a generation, its judge calls are queued (or skipped without a trace).
    Done,
    /// The judge is asked again at once; `ask` is the number of the coming ask (2, 3, ...).
    Reask { ask: u32 },
    /// Another attempt, number `attempt`, no earlier than `at_ms`.
    Retry { at_ms: u64, attempt: u32 },
    /// Stored as failed; a generation's judge calls are skipped.
    Failed { reason: FailureReason },
    /// A fatal error (or a record that could not be stored): the run is stopped.
    Stopped,
    /// An aborted call, back in the queue.
    Requeued,
}

/// A scheduler rebuilt from storage, and what in storage did not fit the plan.
#[derive(Clone, Debug)]
pub struct Restored {
    pub scheduler: Scheduler,
    pub problems: Vec<RestoreProblem>,
}

/// A stored call that [`Scheduler::restore`] could not take as it was.
#[derive(Clone, Debug, PartialEq)]
pub enum RestoreProblem {
    /// The call is not in this plan (another run's record, a changed subset): ignored.
    NotInPlan { call: CallKey },
    /// A result of the wrong kind for the stage (a completion stored for a judge call): ignored.
    WrongResult { call: String },
    /// Stored twice: the later record is used.
    Duplicate { call: String },
    /// A cost that is not a non-negative number: the record is ignored.
    InvalidSpend { call: String },
    /// A judge result whose generation is not stored as a completion: the judge will be asked
    /// again once the sample is generated (its cost still counts).
    JudgedWithoutGeneration { call: String },
    /// A reasoning judge result for a completion stored without a trace: ignored.
    JudgedWithoutTrace { call: String },
}

impl fmt::Display for RestoreProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RestoreProblem::NotInPlan { call } => write!(
                f,
                "stored call (item {}, sample {}, {}) is not part of this run: ignored",
                call.item, call.sample, call.stage
            ),
            RestoreProblem::WrongResult { call } => {
                write!(
                    f,
                    "stored call {call}: the result does not fit its stage: ignored"
                )
            }
            RestoreProblem::Duplicate { call } => {
                write!(f, "call {call} is stored twice: the later record is used")
            }
            RestoreProblem::InvalidSpend { call } => {
                write!(
                    f,
                    "stored call {call}: its cost is not a non-negative number: ignored"
                )
            }
            RestoreProblem::JudgedWithoutGeneration { call } => write!(
                f,
                "stored judge call {call} has no stored generation: it will be judged again"
            ),
            RestoreProblem::JudgedWithoutTrace { call } => write!(
                f,
                "stored reasoning judge call {call} belongs to a generation without a trace: \
                 ignored"
            ),
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Slot {
    state: CallState,
    /// Attempts that failed with a retryable error so far.
    failures: u32,
    /// Judge replies without a verdict so far.
    unparsable: u32,
    /// Everything this call's attempts cost so far.
    spend: Spend,
}

impl Slot {
    const BLOCKED: Slot = Slot {
        state: CallState::Blocked,
        failures: 0,
        unparsable: 0,
        spend: Spend::NONE,
    };
}

#[derive(Clone, Debug, PartialEq)]
enum Control {
    Running,
    Paused(PauseReason),
    Stopped(FatalStop),
    Cancelled,
}

/// What an outcome does to a call, decided before anything changes (shared by
/// [`Scheduler::outcome_to_store`] and [`Scheduler::finished`]).
enum Settlement {
    Complete { has_reasoning: Option<bool> },
    Reask { ask: u32 },
    Retry { failures: u32 },
    Fail { reason: FailureReason },
    Hold,
    Requeue,
}

/// The pure scheduling state machine of a run; see the module docs.
#[derive(Clone)]
pub struct Scheduler {
    plan: RunPlan,
    config: SchedulerConfig,
    stage_lane: [usize; 5],
    lanes: Vec<Lane>,
    slots: Vec<Slot>,
    /// Calls waiting out a backoff: (time, call number).
    timers: BTreeSet<(u64, u32)>,
    /// Calls not yet terminal (in flight and being stored included).
    open: usize,
    in_flight: usize,
    /// Calls set aside by fatal errors.
    held: Vec<u32>,
    control: Control,
    clock_ms: u64,
    log: ProgressLog,
}

impl fmt::Debug for Scheduler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A summary: the per-call vectors hold tens of thousands of entries.
        f.debug_struct("Scheduler")
            .field("status", &self.status())
            .field("calls", &self.slots.len())
            .field("open", &self.open)
            .field("in_flight", &self.in_flight)
            .field("clock_ms", &self.clock_ms)
            .finish_non_exhaustive()
    }
}

impl Scheduler {
    /// A fresh run: every generate call ready, every judge call waiting for its generation.
    pub fn new(plan: RunPlan, config: SchedulerConfig) -> Result<Scheduler, ConfigError> {
        let mut scheduler = Scheduler::empty(plan, config)?;
        for index in 0..scheduler.slots.len() {
            if scheduler.stage_of(index) == Stage::Generate {
                scheduler.slots[index].state = CallState::Ready;
            }
        }
        scheduler.rebuild_queues();
        Ok(scheduler)
    }

    fn empty(plan: RunPlan, config: SchedulerConfig) -> Result<Scheduler, ConfigError> {
        let stage_lane = config.stage_lanes(&plan)?;
        let lanes = config.lanes.iter().cloned().map(Lane::new).collect();
        let slots = vec![Slot::BLOCKED; plan.call_count()];
        Ok(Scheduler {
            stage_lane,
            lanes,
            slots,
            timers: BTreeSet::new(),
            open: 0,
            in_flight: 0,
            held: Vec::new(),
            control: Control::Running,
            clock_ms: 0,
            log: ProgressLog::default(),
            plan,
            config,
        })
    }

    /// Rebuilds a run after a reload from the calls stored as finished: those are done (or
    /// failed), judge calls of stored generations are ready or skipped, everything else is
    /// pending (calls that were in flight before the reload included). Records that do not fit
    /// the plan are reported, not fatal.
    pub fn restore(
        plan: RunPlan,
        config: SchedulerConfig,
        finished: impl IntoIterator<Item = (CallKey, StoredOutcome)>,
    ) -> Result<Restored, ConfigError> {
        let mut scheduler = Scheduler::empty(plan, config)?;
        let mut problems = Vec::new();
        let mut stored: Vec<Option<StoredOutcome>> = vec![None; scheduler.slots.len()];
        for (call, outcome) in finished {
            let Some(index) = scheduler.plan.index_of(call) else {
                problems.push(RestoreProblem::NotInPlan { call });
                continue;
            };
            let name = || scheduler.name(call);
            if !outcome.result.fits(call.stage) {
                problems.push(RestoreProblem::WrongResult { call: name() });
                continue;
            }
            if !outcome.spend.is_valid() {
                problems.push(RestoreProblem::InvalidSpend { call: name() });
                continue;
            }
            if stored[index].is_some() {
                problems.push(RestoreProblem::Duplicate { call: name() });
            }
            stored[index] = Some(outcome);
        }
        // Every valid record counts towards spend and retries, even one that is re-done: it was
        // paid for, and the spend cap must hold across reloads.
        for outcome in stored.iter().flatten() {
            scheduler.log.spend(outcome.spend, 1);
            // The last failure of a call that gave up was not followed by a retry (or re-ask).
            let (last_failure, last_unparsable) = match &outcome.result {
                StoredResult::Failed {
                    reason: FailureReason::RetriesExhausted { .. },
                    ..
                } => (1, 0),
                StoredResult::Failed {
                    reason: FailureReason::JudgeUnparsable { .. },
                    ..
                } => (0, 1),
                _ => (0, 0),
            };
            scheduler.log.retries +=
                u64::from(outcome.failed_attempts.saturating_sub(last_failure));
            scheduler.log.reasks +=
                u64::from(outcome.unparsable_replies.saturating_sub(last_unparsable));
            if let StoredResult::Failed { reason, message } = &outcome.result {
                scheduler.log.restored_failure(*reason, message);
            }
        }
        let stages = scheduler.plan.stages().len();
        for (sample, records) in stored.chunks(stages).enumerate() {
            let generation = sample * stages;
            let trace = match records[0].as_ref().map(|outcome| &outcome.result) {
                Some(StoredResult::Generated { has_reasoning }) => Some(*has_reasoning),
                _ => None,
            };
            scheduler.apply_stored(generation, records[0].as_ref());
            for (offset, record) in records.iter().enumerate().skip(1) {
                let judge = generation + offset;
                let call = scheduler.plan.call_at(judge);
                let record = record.as_ref();
                let state = match (&scheduler.slots[generation].state, trace) {
                    (CallState::Failed { .. }, _) => {
                        if record.is_some() {
                            problems.push(RestoreProblem::JudgedWithoutGeneration {
                                call: scheduler.name(call),
                            });
                        }
                        CallState::Skipped {
                            reason: SkipReason::GenerationFailed,
                        }
                    }
                    (_, Some(false)) if call.stage.needs_reasoning() => {
                        if record.is_some() {
                            problems.push(RestoreProblem::JudgedWithoutTrace {
                                call: scheduler.name(call),
                            });
                        }
                        CallState::Skipped {
                            reason: SkipReason::NoTrace,
                        }
                    }
                    (_, Some(_)) => {
                        scheduler.apply_stored(judge, record);
                        continue;
                    }
                    (_, None) => {
                        if record.is_some() {
                            problems.push(RestoreProblem::JudgedWithoutGeneration {
                                call: scheduler.name(call),
                            });
                        }
                        CallState::Blocked
                    }
                };
                scheduler.slots[judge].state = state;
            }
        }
        scheduler.rebuild_queues();
        // A run reloaded after reaching its cap stays paused.
        scheduler.check_spend_cap();
        Ok(Restored {
            scheduler,
            problems,
        })
    }

    /// Sets a call from its stored record, or ready when there is none.
    fn apply_stored(&mut self, index: usize, record: Option<&StoredOutcome>) {
        let slot = &mut self.slots[index];
        let Some(record) = record else {
            slot.state = CallState::Ready;
            return;
        };
        slot.failures = record.failed_attempts;
        slot.unparsable = record.unparsable_replies;
        slot.spend = record.spend;
        slot.state = match &record.result {
            StoredResult::Generated { .. } | StoredResult::Judged => CallState::Done,
            StoredResult::Failed { reason, .. } => CallState::Failed { reason: *reason },
        };
    }

    /// Fills the ready sets and counters from the call states.
    fn rebuild_queues(&mut self) {
        for lane in &mut self.lanes {
            lane.ready.clear();
        }
        self.open = 0;
        for index in 0..self.slots.len() {
            let state = self.slots[index].state;
            if !state.is_terminal() {
                self.open += 1;
            }
            if state == CallState::Ready {
                self.enqueue(index);
            }
        }
    }

    fn stage_of(&self, index: usize) -> Stage {
        let stages = self.plan.stages();
        stages[index % stages.len()]
    }

    /// Each lane's [`RateMemory`] at `now`, in the configuration's lane order: kept with the run
    /// so that [`Scheduler::remember_rates`] can give it back after a reload.
    pub fn rate_memory(&self, now: u64) -> Vec<RateMemory> {
        self.lanes
            .iter()
            .map(|lane| lane.rate_memory(now))
            .collect()
    }

    /// Each lane's retry-after hold still ahead at `now` (0 for none): a change is worth storing
    /// at once (see [`Scheduler::rate_memory`]).
    pub fn rate_holds(&self, now: u64) -> Vec<u64> {
        self.lanes.iter().map(|lane| lane.hold_at(now)).collect()
    }

    /// Gives a restored run its lanes' memory of the last minute (from [`Scheduler::rate_memory`]
    /// before the reload): the requests-per-minute limit counts those starts, and a retry-after
    /// hold still applies. Entries beyond the configured lanes are ignored.
    pub fn remember_rates(&mut self, memory: &[RateMemory], now: u64) {
        for (lane, memory) in self.lanes.iter_mut().zip(memory) {
            lane.remember(memory, now);
        }
    }

    fn lane_of(&self, index: usize) -> usize {
        self.stage_lane[self.stage_of(index).position()]
    }

    fn name(&self, call: CallKey) -> String {
        self.plan.call_name(call).unwrap_or_else(|| {
            format!(
                "(item {}, sample {}, {})",
                call.item, call.sample, call.stage
            )
        })
    }

    /// Marks a call ready and puts it in its lane's queue.
    fn enqueue(&mut self, index: usize) {
        self.slots[index].state = CallState::Ready;
        let stage = self.stage_of(index);
        let lane = self.lane_of(index);
        // Call numbers fit u32: RunPlan::new checks the call count.
        self.lanes[lane]
            .ready
            .insert(ready_key(stage, index as u32));
    }

    fn tick(&mut self, now_ms: u64) -> u64 {
        self.clock_ms = self.clock_ms.max(now_ms);
        self.clock_ms
    }

    /// Moves calls whose backoff has ended into their lanes' queues.
    fn release_timers(&mut self, now: u64) {
        while let Some(&(at, index)) = self.timers.first() {
            if at > now {
                break;
            }
            self.timers.pop_first();
            self.enqueue(index as usize);
        }
    }

    /// What to do now; see [`Poll`]. Calls returned in [`Poll::Start`] count as in flight from
    /// `now_ms`.
    pub fn poll(&mut self, now_ms: u64) -> Poll {
        let now = self.tick(now_ms);
        self.release_timers(now);
        match &self.control {
            Control::Cancelled => return Poll::Cancelled,
            Control::Stopped(stop) => return Poll::Stopped(stop.clone()),
            Control::Paused(_) | Control::Running => {}
        }
        if self.open == 0 {
            return Poll::Finished;
        }
        if let Control::Paused(reason) = &self.control {
            return Poll::Paused(reason.clone());
        }
        let mut starts = Vec::new();
        for lane_index in 0..self.lanes.len() {
            loop {
                let lane = &mut self.lanes[lane_index];
                if lane.ready.is_empty() || !lane.can_start(now) {
                    break;
                }
                let Some((_, index)) = lane.ready.pop_first() else {
                    break;
                };
                lane.record_start(now);
                lane.in_flight += 1;
                let deadline_ms = now.saturating_add(lane.config.timeout_ms);
                let slot = &mut self.slots[index as usize];
                slot.state = CallState::InFlight {
                    since_ms: now,
                    deadline_ms,
                };
                self.in_flight += 1;
                starts.push(Dispatch {
                    call: self.plan.call_at(index as usize),
                    attempt: slot.failures + slot.unparsable + 1,
                    deadline_ms,
                });
            }
        }
        if !starts.is_empty() {
            self.log.started(now);
            return Poll::Start(starts);
        }
        let timer = self.timers.first().map(|&(at, _)| at);
        let lanes = self
            .lanes
            .iter_mut()
            .filter_map(|lane| lane.next_start_ms(now));
        Poll::Wait {
            wake_at_ms: timer.into_iter().chain(lanes).min(),
        }
    }

    fn in_flight_index(&self, call: CallKey) -> Result<usize, SchedulerError> {
        let index = self
            .plan
            .index_of(call)
            .ok_or(SchedulerError::NotInPlan { call })?;
        match self.slots[index].state {
            CallState::InFlight { .. } => Ok(index),
            state => Err(SchedulerError::NotInFlight {
                call: self.name(call),
                state,
            }),
        }
    }

    /// The engine sent the request at `now_ms`: the timeout counts from here. Returns the
    /// deadline at which the engine aborts it and reports [`RetryKind::Timeout`].
    pub fn started(&mut self, call: CallKey, now_ms: u64) -> Result<u64, SchedulerError> {
        let index = self.in_flight_index(call)?;
        let now = self.tick(now_ms);
        let deadline_ms = now.saturating_add(self.lanes[self.lane_of(index)].config.timeout_ms);
        self.slots[index].state = CallState::InFlight {
            since_ms: now,
            deadline_ms,
        };
        Ok(deadline_ms)
    }

    /// Checks a report and decides what it does, without changing anything.
    fn settle(
        &self,
        call: CallKey,
        outcome: &AttemptOutcome,
        spend: &Spend,
    ) -> Result<(usize, Settlement), SchedulerError> {
        let index = self.in_flight_index(call)?;
        if !outcome.fits(call.stage) {
            return Err(SchedulerError::WrongOutcome {
                call: self.name(call),
                outcome: outcome.name(),
            });
        }
        if !spend.is_valid() {
            return Err(SchedulerError::InvalidSpend {
                call: self.name(call),
                cost_usd: spend.cost_usd,
            });
        }
        let slot = &self.slots[index];
        let settlement = match outcome {
            AttemptOutcome::Generated { has_reasoning } => Settlement::Complete {
                has_reasoning: Some(*has_reasoning),
            },
            AttemptOutcome::Judged => Settlement::Complete {
                has_reasoning: None,
            },
            AttemptOutcome::JudgeUnparsable { .. } => {
                let unparsable = slot.unparsable + 1;
                if unparsable > self.config.max_reasks {
                    Settlement::Fail {
                        reason: FailureReason::JudgeUnparsable { asks: unparsable },
                    }
                } else {
                    Settlement::Reask {
                        ask: unparsable + 1,
                    }
                }
            }
            AttemptOutcome::Retryable { kind, .. } => {
                let failures = slot.failures + 1;
                if failures >= self.config.max_attempts {
                    Settlement::Fail {
                        reason: FailureReason::RetriesExhausted {
                            kind: *kind,
                            attempts: failures,
                        },
                    }
                } else {
                    Settlement::Retry { failures }
                }
            }
            AttemptOutcome::Fatal { .. } => Settlement::Hold,
            AttemptOutcome::Aborted => Settlement::Requeue,
        };
        Ok((index, settlement))
    }

    /// What the engine must persist for `call` if it reports this outcome with
    /// [`Scheduler::finished`] (ask before reporting: the answer depends on the call's counters):
    /// `Some` when the outcome ends the call (a completion, a verdict, or a failure after the
    /// last attempt), which [`Scheduler::finished`] then puts in [`CallState::Storing`]; `None`
    /// when the call will be sent again.
    pub fn outcome_to_store(
        &self,
        call: CallKey,
        outcome: &AttemptOutcome,
        spend: Spend,
    ) -> Result<Option<StoredOutcome>, SchedulerError> {
        let (index, settlement) = self.settle(call, outcome, &spend)?;
        let slot = &self.slots[index];
        let message = match outcome {
            AttemptOutcome::JudgeUnparsable { message }
            | AttemptOutcome::Retryable { message, .. } => message.clone(),
            _ => String::new(),
        };
        let result = match settlement {
            Settlement::Complete {
                has_reasoning: Some(has_reasoning),
            } => StoredResult::Generated { has_reasoning },
            Settlement::Complete {
                has_reasoning: None,
            } => StoredResult::Judged,
            Settlement::Fail { reason } => StoredResult::Failed { reason, message },
            Settlement::Reask { .. }
            | Settlement::Retry { .. }
            | Settlement::Hold
            | Settlement::Requeue => return Ok(None),
        };
        let (failed_attempts, unparsable_replies) = match outcome {
            AttemptOutcome::Retryable { .. } => (slot.failures + 1, slot.unparsable),
            AttemptOutcome::JudgeUnparsable { .. } => (slot.failures, slot.unparsable + 1),
            _ => (slot.failures, slot.unparsable),
        };
        Ok(Some(StoredOutcome {
            result,
            failed_attempts,
            unparsable_replies,
            spend: slot.spend.plus(spend),
        }))
    }

    /// The engine reports how an attempt ended, with what it cost, as soon as the exchange is
    /// over. An outcome that ends the call (one for which [`Scheduler::outcome_to_store`] gives
    /// a record) leaves it [`CallState::Storing`], still holding its place in its lane, and
    /// returns [`Disposition::Storing`]: the engine then stores the record and reports
    /// [`Scheduler::stored`] or [`Scheduler::store_failed`]. Any other outcome frees the place.
    pub fn finished(
        &mut self,
        call: CallKey,
        outcome: AttemptOutcome,
        spend: Spend,
        now_ms: u64,
    ) -> Result<Disposition, SchedulerError> {
        let (index, settlement) = self.settle(call, &outcome, &spend)?;
        let now = self.tick(now_ms);
        let CallState::InFlight { since_ms, .. } = self.slots[index].state else {
            // settle() checked that the call is in flight.
            return Err(SchedulerError::NotInFlight {
                call: self.name(call),
                state: self.slots[index].state,
            });
        };
        let lane = self.lane_of(index);
        self.lanes[lane].in_flight -= 1;
        self.in_flight -= 1;
        self.slots[index].spend = self.slots[index].spend.plus(spend);
        if outcome != AttemptOutcome::Aborted {
            self.log.spend(spend, 1);
        }
        match &outcome {
            AttemptOutcome::JudgeUnparsable { message } => {
                self.slots[index].unparsable += 1;
                self.log
                    .error(ErrorKind::JudgeUnparsable, None, message, Some(now));
            }
            AttemptOutcome::Retryable {
                kind,
                retry_after_ms,
                message,
            } => {
                self.slots[index].failures += 1;
                let status = match kind {
                    RetryKind::ServerError(status) => Some(*status),
                    RetryKind::RateLimited => Some(429),
                    _ => None,
                };
                self.log
                    .error(ErrorKind::of_retry(*kind), status, message, Some(now));
                if *kind == RetryKind::RateLimited {
                    let adaptive = self.config.adaptive;
                    let lane = &mut self.lanes[lane];
                    lane.on_rate_limited(since_ms, now, &adaptive);
                    if let Some(hint) = retry_after_ms {
                        // A retry-after on a 429 speaks for the key, not for this request.
                        lane.hold_until_ms = lane.hold_until_ms.max(now.saturating_add(*hint));
                    }
                }
            }
            AttemptOutcome::Fatal { status, message } => {
                self.log
                    .error(ErrorKind::Fatal, *status, message, Some(now));
            }
            _ => {}
        }
        let disposition = match settlement {
            Settlement::Complete { has_reasoning } => {
                let adaptive = self.config.adaptive;
                self.lanes[lane].on_success(&adaptive);
                let ending = match has_reasoning {
                    Some(has_reasoning) => Ending::Generated { has_reasoning },
                    None => Ending::Judged,
                };
                self.slots[index].state = CallState::Storing { ending };
                self.lanes[lane].storing += 1;
                Disposition::Storing
            }
            Settlement::Reask { ask } => {
                self.log.reasks += 1;
                self.enqueue(index);
                Disposition::Reask { ask }
            }
            Settlement::Retry { failures } => {
                self.log.retries += 1;
                let retry_after = match &outcome {
                    AttemptOutcome::Retryable { retry_after_ms, .. } => *retry_after_ms,
                    _ => None,
                };
                let random =
                    unit_random(self.config.jitter_seed, index as u64, u64::from(failures));
                let delay = self.config.backoff.delay(failures, retry_after, random);
                let at_ms = now.saturating_add(delay);
                self.slots[index].state = CallState::Backoff { until_ms: at_ms };
                self.timers.insert((at_ms, index as u32));
                let slot = &self.slots[index];
                Disposition::Retry {
                    at_ms,
                    attempt: slot.failures + slot.unparsable + 1,
                }
            }
            Settlement::Fail { reason } => {
                self.slots[index].state = CallState::Storing {
                    ending: Ending::Failed { reason },
                };
                self.lanes[lane].storing += 1;
                Disposition::Storing
            }
            Settlement::Hold => {
                if let AttemptOutcome::Fatal { status, message } = outcome {
                    self.hold(index, call, status, message);
                }
                Disposition::Stopped
            }
            Settlement::Requeue => {
                self.enqueue(index);
                Disposition::Requeued
            }
        };
        self.check_spend_cap();
        Ok(disposition)
    }

    /// The engine stored the record of `call` (a call in [`CallState::Storing`]): it is done or
    /// failed, and a generation's judge calls are queued (or skipped) now.
    pub fn stored(&mut self, call: CallKey, now_ms: u64) -> Result<Disposition, SchedulerError> {
        let (index, ending) = self.storing_index(call)?;
        let now = self.tick(now_ms);
        self.leave_storing(index);
        Ok(match ending {
            Ending::Generated { has_reasoning } => {
                self.complete(index, CallState::Done, now);
                self.release_judges(index, has_reasoning);
                Disposition::Done
            }
            Ending::Judged => {
                self.complete(index, CallState::Done, now);
                Disposition::Done
            }
            Ending::Failed { reason } => {
                self.complete(index, CallState::Failed { reason }, now);
                if call.stage == Stage::Generate {
                    self.skip_judges(index, SkipReason::GenerationFailed);
                }
                Disposition::Failed { reason }
            }
        })
    }

    /// The record of `call` (a call in [`CallState::Storing`]) could not be stored: as after a
    /// fatal error, the call is held and the run stops with `message` (unless it is already
    /// stopped or cancelled); [`Scheduler::resume`] sends the call again. Its cost stays counted:
    /// it was paid for.
    pub fn store_failed(
        &mut self,
        call: CallKey,
        message: String,
        now_ms: u64,
    ) -> Result<Disposition, SchedulerError> {
        let (index, _) = self.storing_index(call)?;
        let now = self.tick(now_ms);
        self.leave_storing(index);
        self.log.error(ErrorKind::Fatal, None, &message, Some(now));
        self.hold(index, call, None, message);
        Ok(Disposition::Stopped)
    }

    /// A call leaves [`CallState::Storing`]: its place in its lane is free.
    fn leave_storing(&mut self, index: usize) {
        let lane = self.lane_of(index);
        self.lanes[lane].storing -= 1;
    }

    fn storing_index(&self, call: CallKey) -> Result<(usize, Ending), SchedulerError> {
        let index = self
            .plan
            .index_of(call)
            .ok_or(SchedulerError::NotInPlan { call })?;
        match self.slots[index].state {
            CallState::Storing { ending } => Ok((index, ending)),
            state => Err(SchedulerError::NotStoring {
                call: self.name(call),
                state,
            }),
        }
    }

    /// Sets a call aside after a fatal error and stops the run (a running or paused one).
    fn hold(&mut self, index: usize, call: CallKey, status: Option<u16>, message: String) {
        self.slots[index].state = CallState::Held;
        self.held.push(index as u32);
        if matches!(self.control, Control::Running | Control::Paused(_)) {
            self.control = Control::Stopped(FatalStop {
                call,
                call_name: self.name(call),
                status,
                message,
            });
        }
    }

    /// Records a terminal state.
    fn complete(&mut self, index: usize, state: CallState, now: u64) {
        self.slots[index].state = state;
        self.open -= 1;
        self.log.completed(now);
    }

    /// A generation finished with a completion: queue its judges, or skip the reasoning ones.
    fn release_judges(&mut self, generation: usize, has_reasoning: bool) {
        let stages = self.plan.stages();
        for (offset, stage) in stages.iter().enumerate().skip(1) {
            let judge = generation + offset;
            if self.slots[judge].state != CallState::Blocked {
                continue;
            }
            if stage.needs_reasoning() && !has_reasoning {
                self.slots[judge].state = CallState::Skipped {
                    reason: SkipReason::NoTrace,
                };
                self.open -= 1;
            } else {
                self.enqueue(judge);
            }
        }
    }

    fn skip_judges(&mut self, generation: usize, reason: SkipReason) {
        for judge in generation + 1..generation + self.plan.stages().len() {
            if self.slots[judge].state == CallState::Blocked {
                self.slots[judge].state = CallState::Skipped { reason };
                self.open -= 1;
            }
        }
    }

    fn check_spend_cap(&mut self) {
        let (Some(cap_usd), Some(spent_usd)) = (self.config.spend_cap_usd, self.log.spent.cost_usd)
        else {
            return;
        };
        if spent_usd >= cap_usd && self.control == Control::Running {
            self.control = Control::Paused(PauseReason::SpendCap { spent_usd, cap_usd });
        }
    }

    /// Starts nothing new until [`Scheduler::resume`]; calls in flight finish.
    pub fn pause(&mut self) {
        if self.control == Control::Running {
            self.control = Control::Paused(PauseReason::Manual);
        }
    }

    /// Continues a paused or stopped run. After a fatal stop, the calls that failed fatally are
    /// queued again (the user has fixed the key, the model name...). If the spend cap is still
    /// reached the run stays paused: raise it first with [`Scheduler::set_spend_cap`]. A cancelled
    /// run stays cancelled. Returns the status after resuming.
    pub fn resume(&mut self) -> RunStatus {
        match self.control {
            Control::Cancelled => {}
            Control::Running | Control::Paused(_) | Control::Stopped(_) => {
                for index in std::mem::take(&mut self.held) {
                    self.enqueue(index as usize);
                }
                self.control = Control::Running;
                self.check_spend_cap();
            }
        }
        self.status()
    }

    /// Stops the run for good: nothing starts again. Returns the calls in flight, for the engine
    /// to abort; reports about them are still accepted (a completion that arrives is recorded),
    /// and so are reports about the records being stored.
    pub fn cancel(&mut self) -> Vec<CallKey> {
        self.control = Control::Cancelled;
        self.in_flight_calls()
    }

    /// Changes the spend cap (`None`: no cap). A run paused by the cap stays paused until
    /// [`Scheduler::resume`].
    pub fn set_spend_cap(&mut self, cap_usd: Option<f64>) -> Result<(), ConfigError> {
        check_spend_cap(cap_usd)?;
        self.config.spend_cap_usd = cap_usd;
        self.check_spend_cap();
        Ok(())
    }

    /// Queues every failed call again with a fresh attempt budget (and the judge calls its failed
    /// generations had skipped). Their stored failure records stay until the engine overwrites
    /// them with the new result. Returns the number of calls queued.
    pub fn retry_failed(&mut self) -> usize {
        let mut queued = 0;
        for index in 0..self.slots.len() {
            if !matches!(self.slots[index].state, CallState::Failed { .. }) {
                continue;
            }
            self.slots[index].failures = 0;
            self.slots[index].unparsable = 0;
            self.open += 1;
            queued += 1;
            self.enqueue(index);
            if self.stage_of(index) == Stage::Generate {
                for judge in index + 1..index + self.plan.stages().len() {
                    if self.slots[judge].state
                        == (CallState::Skipped {
                            reason: SkipReason::GenerationFailed,
                        })
                    {
                        self.slots[judge].state = CallState::Blocked;
                        self.open += 1;
                    }
                }
            }
        }
        queued
    }

    pub fn status(&self) -> RunStatus {
        match &self.control {
            Control::Cancelled => RunStatus::Cancelled,
            Control::Stopped(fatal) => RunStatus::Stopped {
                fatal: fatal.clone(),
            },
            _ if self.open == 0 => RunStatus::Finished,
            Control::Paused(reason) => RunStatus::Paused {
                reason: reason.clone(),
            },
            Control::Running => RunStatus::Running,
        }
    }

    pub fn plan(&self) -> &RunPlan {
        &self.plan
    }

    pub fn config(&self) -> &SchedulerConfig {
        &self.config
    }

    pub fn call_state(&self, call: CallKey) -> Option<CallState> {
        self.plan
            .index_of(call)
            .map(|index| self.slots[index].state)
    }

    /// Calls in flight, in plan order.
    pub fn in_flight_calls(&self) -> Vec<CallKey> {
        if self.in_flight == 0 {
            return Vec::new();
        }
        (0..self.slots.len())
            .filter(|&index| matches!(self.slots[index].state, CallState::InFlight { .. }))
            .map(|index| self.plan.call_at(index))
            .collect()
    }

    /// Calls whose request is out (those being stored not included).
    pub fn in_flight_count(&self) -> usize {
        self.in_flight
    }

    /// Calls answered whose record is being stored ([`CallState::Storing`]).
    pub fn storing_count(&self) -> usize {
        self.lanes.iter().map(|lane| lane.storing as usize).sum()
    }

    /// The concurrency limit in force for the lane carrying `stage` (lowered after repeated
    /// 429s, grown back after successes); `None` for a stage outside the plan.
    pub fn effective_concurrency(&self, stage: Stage) -> Option<u32> {
        let lane = *self.stage_lane.get(stage.position())?;
        self.lanes.get(lane).map(|lane| lane.effective)
    }

    /// Everything the progress panel shows; counting scans the calls once.
    pub fn progress(&self, now_ms: u64) -> ProgressSnapshot {
        let now = self.clock_ms.max(now_ms);
        let stages = self.plan.stages();
        let mut counts = vec![CallCounts::default(); stages.len()];
        for (index, slot) in self.slots.iter().enumerate() {
            let count = &mut counts[index % stages.len()];
            count.total += 1;
            let field = match slot.state {
                CallState::Blocked | CallState::Ready => &mut count.queued,
                CallState::Backoff { .. } => &mut count.retrying,
                CallState::InFlight { .. } => &mut count.in_flight,
                CallState::Storing { .. } => &mut count.storing,
                CallState::Held => &mut count.held,
                CallState::Done => &mut count.done,
                CallState::Failed { .. } => &mut count.failed,
                CallState::Skipped {
                    reason: SkipReason::NoTrace,
                } => &mut count.skipped_no_trace,
                CallState::Skipped {
                    reason: SkipReason::GenerationFailed,
                } => &mut count.skipped_generation_failed,
            };
            *field += 1;
        }
        let mut totals = CallCounts::default();
        for count in &counts {
            totals.add(count);
        }
        let status = self.status();
        let calls_per_minute = self.log.calls_per_minute(now);
        let eta_ms = match (&status, calls_per_minute) {
            (RunStatus::Running, Some(rate)) => eta_ms(self.open as u64, rate),
            _ => None,
        };
        let lanes = self
            .lanes
            .iter()
            .map(|lane| LaneProgress {
                name: lane.config.name.clone(),
                stages: stages
                    .iter()
                    .copied()
                    .filter(|stage| lane.config.stages.contains(stage))
                    .collect(),
                in_flight: lane.in_flight,
                effective_concurrency: lane.effective,
                max_concurrency: lane.config.max_concurrency,
                requests_per_minute: lane.config.requests_per_minute,
                starts_last_minute: lane.starts_in_window(now) as u64,
                rate_limited_until_ms: Some(lane.hold_until_ms).filter(|&until| until > now),
            })
            .collect();
        ProgressSnapshot {
            at_ms: now,
            status,
            stages: stages
                .iter()
                .zip(counts)
                .map(|(&stage, counts)| StageProgress { stage, counts })
                .collect(),
            totals,
            errors: self.log.errors(),
            calls_per_minute,
            eta_ms,
            spent: self.log.spent,
            unpriced_attempts: self.log.unpriced_attempts,
            spend_cap_usd: self.config.spend_cap_usd,
            retries: self.log.retries,
            reasks: self.log.reasks,
            lanes,
        }
    }
}
