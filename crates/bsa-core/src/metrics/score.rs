//! Scoring a [`SampleSet`]: options in, one [`ModelScore`] per model out.

use crate::dataset::Dataset;
use crate::metrics::bootstrap::{model_intervals, BootstrapOptions, HeadlineIntervals};
use crate::metrics::category::{breakdown, CategoryBreakdown, CategoryIndex};
use crate::metrics::coverage::{coverage, Coverage, ExpectedItems};
use crate::metrics::grid::{scenario_slot, SafetyGrids};
use crate::metrics::headline::{HeadlineMetrics, ScenarioMetrics};
use crate::metrics::judgement::SampleCounts;
use crate::metrics::mode::{Completeness, Mode, ModeChoice};
use crate::metrics::numeric::DEFAULT_ALPHA;
use crate::metrics::samples::SampleSet;
use crate::metrics::tally::{tally_models, ModelTally};
use crate::metrics::{evaluated, official};
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What to compute.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoreOptions {
    /// Samples per item (5 in the paper); at least 1.
    pub k: usize,
    /// F-score exponent, in [0, 1]; [`DEFAULT_ALPHA`] by default.
    pub alpha: f64,
    pub mode: Mode,
    /// Bootstrap intervals; `None` (or 0 replicates) for none.
    pub bootstrap: Option<BootstrapOptions>,
}

impl ScoreOptions {
    /// Options for `k` samples per item: official alpha, automatic mode, 1,000-replicate
    /// bootstrap with seed 0.
    pub fn new(k: usize) -> ScoreOptions {
        ScoreOptions {
            k,
            alpha: DEFAULT_ALPHA,
            mode: Mode::Auto,
            bootstrap: Some(BootstrapOptions::default()),
        }
    }

    pub(crate) fn check(&self) -> Result<(), ScoreError> {
        if self.k == 0 || u32::try_from(self.k).is_err() {
            return Err(ScoreError::InvalidK { k: self.k });
        }
        if !(0.0..=1.0).contains(&self.alpha) {
            return Err(ScoreError::InvalidAlpha { alpha: self.alpha });
        }
        if let Some(bootstrap) = &self.bootstrap {
            if !(bootstrap.confidence > 0.0 && bootstrap.confidence < 1.0) {
                return Err(ScoreError::InvalidConfidence {
                    confidence: bootstrap.confidence,
                });
            }
        }
        Ok(())
    }
}

/// Options that cannot be scored with.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ScoreError {
    InvalidK {
        k: usize,
    },
    InvalidAlpha {
        alpha: f64,
    },
    InvalidConfidence {
        confidence: f64,
    },
    /// A model name that is not in the sample set.
    UnknownModel {
        name: String,
        known: Vec<String>,
    },
}

impl fmt::Display for ScoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScoreError::InvalidK { k } => write!(
                f,
                "k = {k}: expected a number of samples per item from 1 to 4294967295"
            ),
            ScoreError::InvalidAlpha { alpha } => {
                write!(f, "alpha = {alpha}: expected a number from 0 to 1")
            }
            ScoreError::InvalidConfidence { confidence } => {
                write!(
                    f,
                    "confidence = {confidence}: expected a number strictly between 0 and 1"
                )
            }
            ScoreError::UnknownModel { name, known } => {
                let quoted: Vec<String> = known.iter().map(|name| format!("\"{name}\"")).collect();
                write!(
                    f,
                    "no model \"{name}\" in the results; the models are {}",
                    quoted.join(", ")
                )
            }
        }
    }
}

impl std::error::Error for ScoreError {}

/// One model's score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelScore {
    pub model: String,
    pub mode: ModeChoice,
    /// Safe@1, Safe@k, Think@1, Think@k, F-score in percent (see [`HeadlineMetrics`]).
    pub headline: HeadlineMetrics,
    /// RO / CS / OS @1 and @k (and per-scenario Safe), in [`Scenario::ALL`] order.
    pub scenarios: [ScenarioMetrics; 3],
    pub counts: SampleCounts,
    pub coverage: Coverage,
    pub grids: SafetyGrids,
    /// `None` when no bootstrap was asked for.
    pub intervals: Option<HeadlineIntervals>,
    /// `None` when no dataset was given.
    pub categories: Option<CategoryBreakdown>,
}

impl ModelScore {
    pub fn scenario(&self, scenario: Scenario) -> &ScenarioMetrics {
        &self.scenarios[scenario_slot(scenario)]
    }
}

/// The scores of every model in a sample set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    pub options: ScoreOptions,
    /// In order of first appearance in the input.
    pub models: Vec<ModelScore>,
}

impl Scorecard {
    pub fn model(&self, name: &str) -> Option<&ModelScore> {
        self.models.iter().find(|score| score.model == name)
    }
}

/// Scores every model of `set`. With a `dataset`, coverage is measured against it and metrics
/// are broken down by risk category.
pub fn score(
    set: &SampleSet,
    dataset: Option<&Dataset>,
    options: &ScoreOptions,
) -> Result<Scorecard, ScoreError> {
    let scorer = Scorer::new(set, dataset, options)?;
    let models = (0..scorer.model_count())
        .filter_map(|index| scorer.score_model(index))
        .collect();
    Ok(Scorecard {
        options: *options,
        models,
    })
}

/// The shared first step of scoring (per-item tallies of every model, the dataset's category
/// index), after which each model is scored on its own: [`score`] does them in turn; a caller
/// with threads (the CLI) or one that wants to show models as they finish (the web app) can call
/// [`Scorer::score_model`] itself. A model's score does not depend on the others'.
#[derive(Debug)]
pub struct Scorer<'a> {
    set: &'a SampleSet,
    dataset: Option<&'a Dataset>,
    options: ScoreOptions,
    tallies: Vec<ModelTally>,
    expected: ExpectedItems,
    categories: Option<CategoryIndex>,
}

impl<'a> Scorer<'a> {
    pub fn new(
        set: &'a SampleSet,
        dataset: Option<&'a Dataset>,
        options: &ScoreOptions,
    ) -> Result<Scorer<'a>, ScoreError> {
        options.check()?;
        Ok(Scorer {
            set,
            dataset,
            options: *options,
            tallies: tally_models(set, options.k),
            expected: ExpectedItems::new(dataset),
            categories: dataset.map(CategoryIndex::new),
        })
    }

    /// Models to score, in the sample set's order.
    pub fn model_count(&self) -> usize {
        self.tallies.len()
    }

    pub fn options(&self) -> &ScoreOptions {
        &self.options
    }

    /// The score of the `index`-th model; `None` past the last.
    pub fn score_model(&self, index: usize) -> Option<ModelScore> {
        let tally = self.tallies.get(index)?;
        let (set, options) = (self.set, &self.options);
        let name = set.model_name(tally.model);
        let mode = ModeChoice::choose(options.mode, Completeness::of(tally, options.k));
        let metrics = match mode.applied {
            Mode::Official => official::score(tally, options.k, options.alpha),
            _ => evaluated::score(tally, options.k, options.alpha),
        };
        let intervals = options
            .bootstrap
            .filter(|bootstrap| bootstrap.replicates > 0)
            .map(|bootstrap| {
                model_intervals(
                    tally,
                    name,
                    mode.applied,
                    options.k,
                    options.alpha,
                    &bootstrap,
                )
            });
        let categories = match (self.dataset, &self.categories) {
            (Some(dataset), Some(index)) => Some(breakdown(
                set,
                tally,
                dataset,
                index,
                options.k,
                options.alpha,
            )),
            _ => None,
        };
        Some(ModelScore {
            model: name.to_string(),
            mode,
            headline: metrics.headline,
            scenarios: metrics.scenarios,
            counts: tally.counts,
            coverage: coverage(set, tally, options.k, &self.expected, self.dataset),
            grids: tally.grids.clone(),
            intervals,
            categories,
        })
    }
}
