//! [`LiveMetrics`]: the metrics of a run so far, computed from its [`SampleLedger`] with the
//! core's `metrics::score`, and the two judges' agreement when the run has a second judge.
//!
//! While a run is going, "evaluated: partial" is the honest label: the scorer divides by what
//! was judged (the core's `Mode::Auto` picks the evaluated mode for anything short of the
//! complete benchmark) and the page says how much that is.

use super::ledger::SampleLedger;
use bsa_core::dataset::Dataset;
use bsa_core::judge::{judge_agreement, AgreementReport};
use bsa_core::metrics::{score, ModelScore, ScoreOptions};
use bsa_core::results::run_file::WhichJudge;

/// A run's metrics at one moment.
#[derive(Clone, Debug, PartialEq)]
pub struct LiveMetrics {
    /// `None` before the first sample, or when scoring failed (`error` says why).
    pub score: Option<ModelScore>,
    pub error: Option<String>,
    /// Samples generated so far.
    pub samples: usize,
    /// The run has calls left: the figures will still move.
    pub partial: bool,
    /// Agreement of the two judges, for runs with a second judge.
    pub agreement: Option<AgreementReport>,
}

/// Scores the ledger as the model `label` with k samples; with the run's items as `dataset`,
/// also per risk category (a pass over the items, at most once a second while a run goes).
pub fn live_metrics(
    ledger: &SampleLedger,
    label: &str,
    k: u16,
    second_judge: bool,
    partial: bool,
    dataset: Option<&Dataset>,
) -> LiveMetrics {
    let samples = ledger.generated();
    let agreement = second_judge.then(|| {
        judge_agreement(
            &ledger.labels(WhichJudge::First),
            &ledger.labels(WhichJudge::Second),
        )
    });
    let mut metrics = LiveMetrics {
        score: None,
        error: None,
        samples,
        partial,
        agreement,
    };
    if samples == 0 {
        return metrics;
    }
    let options = ScoreOptions {
        // Intervals would cost 1,000 replicates on every refresh; the Results page has them.
        bootstrap: None,
        ..ScoreOptions::new(usize::from(k))
    };
    let scored = ledger
        .sample_set(label)
        .map_err(|error| error.to_string())
        .and_then(|set| score(&set, dataset, &options).map_err(|error| error.to_string()));
    match scored {
        Ok(mut card) => metrics.score = card.models.pop(),
        Err(error) => metrics.error = Some(error),
    }
    metrics
}
