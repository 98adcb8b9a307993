//! Scoring the loaded results: the user's options, what a scoring run needs, and its outcome.
//!
//! - [`ScoringOptions`]: k (inferred unless typed), alpha, mode and bootstrap, as typed, with
//!   the last valid values and a message for an invalid entry.
//! - [`ScoreRequest`]: a snapshot of the inputs (combined samples, dataset, options) tagged with
//!   the state's revision. [`score`] turns it into [`ScoredResults`] without intervals, which is
//!   fast; [`Bootstrapper`] then computes each model's intervals, one model at a time, so the
//!   point estimates are on screen while the intervals are drawn.
//! - [`DatasetMatch`]: how many result items the loaded dataset knows. Categories need the
//!   dataset; coverage is measured against it only when it holds every result item (results of
//!   the full benchmark are not "incomplete" because the 30-item sample is loaded).
//!
//! Everything here is pure: the hook that runs it measures the time and dispatches the results.

use super::leaderboard_scores;
use crate::state::dataset::LoadedDataset;
use crate::state::leaderboard::{parse_alpha, LeaderboardRow};
use bsa_core::metrics::{
    BootstrapOptions, HeadlineIntervals, Mode, ModelScore, SampleSet, ScoreError, ScoreOptions,
    Scorecard, Scorer, DEFAULT_ALPHA,
};
use std::rc::Rc;

/// The largest k accepted in the k field: far above the paper's 5, low enough to catch a typo.
pub const MAX_K: usize = 1000;

/// Bootstrap replicates per model: the CLI's default, so both give the same intervals.
pub const BOOTSTRAP_REPLICATES: usize = 1000;

/// The scoring options as the user set them.
#[derive(Clone, Debug, PartialEq)]
pub struct ScoringOptions {
    /// What the k field holds; empty means "inferred from the files".
    pub k_input: String,
    /// The typed k, when the field holds a valid one.
    pub k: Option<usize>,
    pub k_error: Option<String>,
    pub alpha_input: String,
    /// The last valid alpha.
    pub alpha: f64,
    pub alpha_error: Option<String>,
    pub mode: Mode,
    pub bootstrap: bool,
}

impl Default for ScoringOptions {
    fn default() -> Self {
        ScoringOptions {
            k_input: String::new(),
            k: None,
            k_error: None,
            alpha_input: DEFAULT_ALPHA.to_string(),
            alpha: DEFAULT_ALPHA,
            alpha_error: None,
            mode: Mode::Auto,
            bootstrap: true,
        }
    }
}

impl ScoringOptions {
    /// Takes the k field's text: empty for "inferred", else a whole number from 1 to
    /// [`MAX_K`]. An invalid entry keeps the last valid k and says why. Returns whether the
    /// k used changed.
    pub fn set_k(&mut self, text: String) -> bool {
        let before = self.k;
        let trimmed = text.trim();
        if trimmed.is_empty() {
            self.k = None;
            self.k_error = None;
        } else {
            match trimmed.parse::<usize>() {
                Ok(k) if (1..=MAX_K).contains(&k) => {
                    self.k = Some(k);
                    self.k_error = None;
                }
                _ => {
                    self.k_error = Some(format!(
                        "\"{trimmed}\" is not a number of samples per item: expected a whole number from 1 to {MAX_K}, or nothing to infer it"
                    ))
                }
            }
        }
        self.k_input = text;
        self.k != before
    }

    /// Takes the alpha field's text (a number from 0 to 1). Returns whether alpha changed.
    pub fn set_alpha(&mut self, text: String) -> bool {
        let before = self.alpha;
        match parse_alpha(&text) {
            Ok(alpha) => {
                self.alpha = alpha;
                self.alpha_error = None;
            }
            Err(error) => self.alpha_error = Some(error),
        }
        self.alpha_input = text;
        self.alpha != before
    }

    /// The k to score with: the typed one, or the most common samples-per-item count of the
    /// set (`inferred` says which).
    pub fn resolve_k(&self, set: &SampleSet) -> (usize, bool) {
        match self.k {
            Some(k) => (k, false),
            None => (set.most_common_k().unwrap_or(1), true),
        }
    }

    /// The core's options for `k`, without bootstrap (see [`ScoringOptions::bootstrap_options`]).
    pub fn score_options(&self, k: usize) -> ScoreOptions {
        ScoreOptions {
            k,
            alpha: self.alpha,
            mode: self.mode,
            bootstrap: None,
        }
    }

    /// The bootstrap to run after the point estimates, if it is on.
    pub fn bootstrap_options(&self) -> Option<BootstrapOptions> {
        self.bootstrap.then(|| BootstrapOptions {
            replicates: BOOTSTRAP_REPLICATES,
            ..BootstrapOptions::default()
        })
    }
}

/// How many result items the loaded dataset has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatasetMatch {
    /// Items in the dataset.
    pub dataset_items: usize,
    /// Distinct items in the results.
    pub result_items: usize,
    /// Result items the dataset has.
    pub found: usize,
    /// Whether the dataset is the official 2,000-item file.
    pub official: bool,
}

impl DatasetMatch {
    pub fn of(set: &SampleSet, loaded: &LoadedDataset) -> DatasetMatch {
        let dataset = &loaded.data.dataset;
        let found = set
            .items()
            .filter(|(_, key, _)| dataset.get(key).is_some())
            .count();
        DatasetMatch {
            dataset_items: dataset.len(),
            result_items: set.item_count(),
            found,
            official: loaded.data.is_official(),
        }
    }

    /// Every result item is in the dataset.
    pub fn is_complete(&self) -> bool {
        self.found == self.result_items
    }

    /// Result items the dataset does not have.
    pub fn missing(&self) -> usize {
        self.result_items - self.found
    }
}

/// What one scoring run needs, tagged with the state revision it was taken at.
#[derive(Clone, Debug)]
pub struct ScoreRequest {
    pub revision: u64,
    pub samples: Rc<SampleSet>,
    pub dataset: Option<LoadedDataset>,
    pub options: ScoringOptions,
}

/// How far the bootstrap intervals are.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum IntervalProgress {
    /// Bootstrap is switched off.
    Off,
    /// `done` of `total` models have their intervals.
    Computing { done: usize, total: usize },
    /// All done, in `millis` (when a clock was available).
    Done { millis: Option<f64> },
}

/// The outcome of scoring, for the revision it was asked for.
#[derive(Clone, Debug, PartialEq)]
pub struct ScoredResults {
    pub revision: u64,
    /// The dataset it was scored with (compared by identity to see when it is out of date).
    pub dataset: Option<LoadedDataset>,
    pub dataset_match: Option<DatasetMatch>,
    /// The k used, and whether it was inferred.
    pub k: usize,
    pub k_inferred: bool,
    pub card: Scorecard,
    /// How long scoring took, set by the caller that timed it.
    pub score_millis: Option<f64>,
    pub intervals: IntervalProgress,
}

impl ScoredResults {
    pub fn model(&self, name: &str) -> Option<&ModelScore> {
        self.card.model(name)
    }

    /// The user's models as leaderboard rows.
    pub fn leaderboard_rows(&self) -> Vec<LeaderboardRow> {
        self.card
            .models
            .iter()
            .map(|model| {
                LeaderboardRow::yours(model.model.clone(), leaderboard_scores(model))
                    .with_caveat(leaderboard_caveat(model))
            })
            .collect()
    }

    /// Whether the scores are for `dataset` (by identity).
    pub fn scored_with(&self, dataset: Option<&LoadedDataset>) -> bool {
        self.dataset.as_ref() == dataset
    }
}

/// What a reader of the leaderboard must know about a model's row: nothing for an official
/// score of the complete benchmark, else the mode and why.
pub fn leaderboard_caveat(model: &ModelScore) -> Option<String> {
    if model.mode.applied == Mode::Official && model.mode.completeness.is_complete() {
        return None;
    }
    let coverage = &model.coverage;
    Some(format!(
        "{} mode: {}; {} of {} items evaluated",
        model.mode.applied.name(),
        model.mode.completeness,
        coverage.items_evaluated,
        coverage.items_expected
    ))
}

/// Scores `request` without intervals (see the module docs for how the dataset is used).
pub fn score(request: &ScoreRequest) -> Result<ScoredResults, ScoreError> {
    let set = request.samples.as_ref();
    let (k, k_inferred) = request.options.resolve_k(set);
    let options = request.options.score_options(k);
    let dataset_match = request
        .dataset
        .as_ref()
        .map(|loaded| DatasetMatch::of(set, loaded));
    let dataset = request.dataset.as_ref().map(|loaded| &loaded.data.dataset);
    let complete = dataset_match
        .as_ref()
        .is_some_and(DatasetMatch::is_complete);
    let mut card = bsa_core::metrics::score(set, dataset.filter(|_| complete), &options)?;
    if let (Some(dataset), Some(matched)) = (dataset, &dataset_match) {
        if !complete && matched.found > 0 {
            // Categories of the items the dataset has; headline and coverage stay measured
            // against the benchmark's sizes (scored above without the dataset).
            let with_dataset = bsa_core::metrics::score(set, Some(dataset), &options)?;
            for (model, other) in card.models.iter_mut().zip(with_dataset.models) {
                model.categories = other.categories;
            }
        }
    }
    let intervals = match request.options.bootstrap_options() {
        Some(_) => IntervalProgress::Computing {
            done: 0,
            total: card.models.len(),
        },
        None => IntervalProgress::Off,
    };
    Ok(ScoredResults {
        revision: request.revision,
        dataset: request.dataset.clone(),
        dataset_match,
        k,
        k_inferred,
        card,
        score_millis: None,
        intervals,
    })
}

/// Bootstrap intervals of one model at a time, for a request whose point estimates are shown.
pub struct Bootstrapper<'a> {
    scorer: Scorer<'a>,
}

impl<'a> Bootstrapper<'a> {
    /// `None` when bootstrap is off or the options do not score.
    pub fn new(set: &'a SampleSet, options: &ScoringOptions) -> Option<Bootstrapper<'a>> {
        let bootstrap = options.bootstrap_options()?;
        let (k, _) = options.resolve_k(set);
        let score_options = ScoreOptions {
            bootstrap: Some(bootstrap),
            ..options.score_options(k)
        };
        // No dataset: intervals do not depend on it, and categories would only cost time.
        let scorer = Scorer::new(set, None, &score_options).ok()?;
        Some(Bootstrapper { scorer })
    }

    pub fn model_count(&self) -> usize {
        self.scorer.model_count()
    }

    /// The name and intervals of the `index`-th model.
    pub fn intervals(&self, index: usize) -> Option<(String, HeadlineIntervals)> {
        let score = self.scorer.score_model(index)?;
        Some((score.model, score.intervals.unwrap_or_default()))
    }
}
