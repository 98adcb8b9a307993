//! Running the benchmark: the plan of calls, their scheduling, progress and cost estimates.
//!
//! - [`plan`]: [`RunPlan`] (items in run order, k samples, judge stages) and [`CallKey`] /
//!   [`Stage`]: one call, with a stable text form `<item id>/<sample>/<stage>`.
//! - [`scheduler`]: [`Scheduler`], the pure state machine that decides which calls to start
//!   ([`Poll`]) and records how each ended ([`AttemptOutcome`] in, [`Disposition`] out) and
//!   when its record is stored, with
//!   [`SchedulerConfig`] for its limits; [`Scheduler::restore`] rebuilds it after a reload.
//! - [`lane`]: [`LaneConfig`], the limits of one API (concurrency, requests per minute,
//!   timeout) and [`AdaptivePolicy`] (halve on repeated 429s, grow back on successes).
//! - [`backoff`]: [`BackoffPolicy`], exponential backoff with equal jitter, honouring retry-after.
//! - [`outcome`]: what the engine reports per attempt ([`AttemptOutcome`], [`RetryKind`],
//!   [`Spend`]) and stores per finished call ([`StoredOutcome`]).
//! - [`progress`]: [`ProgressSnapshot`] for the UI.
//! - [`estimate`](mod@estimate): calls, tokens and cost of a run before it starts ([`RunEstimate`],
//!   [`PriceTable`]).
//!
//! ## Architecture invariant
//!
//! Nothing here sends a request, reads a clock, draws a random number or holds response text:
//! the engine in the web app (or the CLI) passes times in milliseconds and reports outcomes; it
//! stores completions and verdicts itself. So the whole scheduling behaviour runs in tests on a
//! simulated clock.

pub mod backoff;
pub mod estimate;
pub mod lane;
pub mod outcome;
pub mod plan;
pub mod progress;
pub mod scheduler;

pub use backoff::BackoffPolicy;
pub use estimate::{
    estimate, EstimateInput, OutputExpectation, Price, PriceTable, PromptChars, RunEstimate,
    StagePrices, TemplateChars,
};
pub use lane::{AdaptivePolicy, LaneConfig, RateMemory};
pub use outcome::{AttemptOutcome, FailureReason, RetryKind, Spend, StoredOutcome, StoredResult};
pub use plan::{CallKey, CallKeyError, PlanError, RunPlan, Stage};
pub use progress::{CallCounts, ErrorKind, ErrorTally, LaneProgress, ProgressSnapshot};
pub use scheduler::{
    CallState, ConfigError, Dispatch, Disposition, Ending, FatalStop, PauseReason, Poll,
    RestoreProblem, Restored, RunStatus, Scheduler, SchedulerConfig, SchedulerError, SkipReason,
};
