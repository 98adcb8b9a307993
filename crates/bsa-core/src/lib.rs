//! # bsa-core: the Beyond Safe Answers benchmark as a pure library
//!
//! Everything BSA Studio knows about the benchmark lives here, with no I/O, no clock, no
//! randomness of its own and no async runtime: callers hand in bytes, times and seeds, and get
//! values back. The web app and the `bsa` CLI are thin shells over this crate, and it compiles
//! for both the host and `wasm32-unknown-unknown`.
//!
//! Data flows one way, and the modules follow it:
//!
//! - [`dataset`]: [`dataset::Item`]s and their risks, read from CSV or JSONL with every problem
//!   located ([`diagnostic`]), statistics, and a seeded stratified subset sampler ([`rng`]).
//! - [`prompt`]: judge prompt templates in Python `str.format` syntax, and the project's own
//!   default prompts and safety rules.
//! - [`provider`]: request bodies and headers for each model API, response and stream parsing,
//!   reasoning-trace extraction, retry signals.
//! - [`judge`]: verdicts parsed from judge replies, agreement between two judges.
//! - [`run`]: run configuration, the plan of calls, cost estimates, the scheduling state machine.
//! - [`verdict`]: the answer and per-scenario reasoning verdicts.
//! - [`metrics`]: Safe@1, Safe@k, Think@1, Think@k, F-score per model, scenario and category,
//!   official and evaluated modes, bootstrap intervals, paired comparisons.
//! - [`results`]: files of judged results: the authors' judged CSV, the project's JSON run file.
//! - [`leaderboard`]: the published results of the 23 models.
//! - [`sort`]: stable sorts compiled once (for the web app's size).

pub mod csv;
pub mod dataset;
pub mod diagnostic;
pub mod judge;
pub mod leaderboard;
pub mod metrics;
pub mod prompt;
pub mod provider;
pub mod results;
pub mod rng;
pub mod run;
pub mod scenario;
pub mod sort;
pub mod text;
pub mod verdict;

pub use scenario::Scenario;
pub use verdict::{AnswerVerdict, ReasoningVerdict};
