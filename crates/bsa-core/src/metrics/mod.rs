//! BSA's metrics: Safe@1, Safe@k, Think@1, Think@k and the F-score, per model, scenario and risk
//! category, with coverage, the superficial-safety grid, bootstrap intervals and paired
//! comparisons.
//!
//! Main types, in the order data flows through them:
//!
//! - [`Judgement`]: one side (answer or reasoning) of one sample: a verdict, or `Unjudged`,
//!   `JudgeError`, `NoTrace`. Only verdicts are graded; the rest is counted ([`SampleCounts`]).
//! - [`SampleSet`], built by [`SampleSetBuilder`]: every [`Sample`] of every model, with interned
//!   model names and item ids. The judged-CSV reader ([`crate::results::judged_csv`]), the web
//!   app's run engine and the JSON run-file reader all produce one.
//! - [`score()`] with [`ScoreOptions`] (k, alpha, [`Mode`], [`BootstrapOptions`]) turns a sample
//!   set into a [`Scorecard`]: one [`ModelScore`] per model with [`HeadlineMetrics`],
//!   per-scenario [`ScenarioMetrics`] (RO/CS/OS @1 and @k), the [`ModeChoice`] (which mode and
//!   why), [`Coverage`], [`SafetyGrids`], [`HeadlineIntervals`] and, given a dataset, a
//!   [`CategoryBreakdown`].
//!   [`Scorer`] splits the same work per model, for callers that score models in parallel or
//!   one at a time.
//! - [`compare()`]: a [`PairedComparison`] of two models on their common items.
//!
//! Two modes (see [`mode`]): [`Mode::Official`] reproduces the authors' script exactly, quirks
//! included and listed in [`official`]; [`Mode::Evaluated`] divides by what was evaluated
//! ([`evaluated`]). On complete data they give identical numbers (a property test checks it);
//! [`Mode::Auto`] uses Official exactly then.
//!
//! All percentages are in percent (0-100). Values are kept unrounded, except the F-score, which
//! the benchmark defines on Think@1 and Safe@1 rounded to 2 decimals ([`numeric`]).
//!
//! Implementation note: one pass over the samples builds per-(model, item) tallies (module `tally`);
//! metrics, mode checks, coverage, categories and bootstrap replicates are computed from those,
//! so the cost after reading is proportional to models x items, not to samples.

pub mod bootstrap;
pub mod category;
pub mod compare;
pub mod coverage;
pub mod evaluated;
pub mod grid;
pub mod headline;
pub mod judgement;
pub mod mode;
pub mod numeric;
pub mod official;
pub mod samples;
pub mod score;
mod tally;

pub use bootstrap::{BootstrapOptions, HeadlineIntervals, Interval};
pub use category::{CategoryBreakdown, CategoryMetrics};
pub use compare::{compare, ItemDisagreement, MetricDifference, PairedComparison};
pub use coverage::{Coverage, Expected, ScenarioCoverage};
pub use grid::{GridCell, SafetyGrid, SafetyGrids};
pub use headline::{HeadlineMetric, HeadlineMetrics, ScenarioMetrics};
pub use judgement::{
    AnswerJudgement, Judgement, JudgementCounts, ReasoningJudgement, SampleCounts,
};
pub use mode::{Completeness, Mode, ModeChoice};
pub use numeric::{f_score, round_2, DEFAULT_ALPHA};
pub use samples::{ItemId, ModelId, Sample, SampleError, SampleSet, SampleSetBuilder};
pub use score::{score, ModelScore, ScoreError, ScoreOptions, Scorecard, Scorer};
