use super::use_app_state;
use crate::services::clock;
use crate::state::dataset::LoadedDataset;
use crate::state::results::compare::ComparePlan;
use crate::state::results::scoring::{score, Bootstrapper, ScoreRequest};
use crate::state::results::{ResultsAction, Shared};
use crate::state::{Action, AppDispatcher};
use bsa_core::metrics::{compare, ScoreOptions};
use gloo_timers::future::TimeoutFuture;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

thread_local! {
    /// The newest scoring job of the page. A job checks it before each step and stops once a
    /// newer one has started: only one set of inputs is ever worth finishing.
    static SCORING_JOB: Cell<u64> = const { Cell::new(0) };
    /// The same for paired comparisons.
    static COMPARING_JOB: Cell<u64> = const { Cell::new(0) };
}

fn start_job(slot: &'static std::thread::LocalKey<Cell<u64>>) -> u64 {
    slot.with(|job| {
        let next = job.get() + 1;
        job.set(next);
        next
    })
}

fn is_current(slot: &'static std::thread::LocalKey<Cell<u64>>, id: u64) -> bool {
    slot.with(|job| job.get() == id)
}

/// How long one batch of bootstrap intervals may run before the page gets a turn (ms).
const INTERVAL_BATCH_MILLIS: f64 = 40.0;

/// Milliseconds since `start`, when a clock is available.
fn since(start: Option<f64>) -> Option<f64> {
    start
        .zip(clock::now_millis())
        .map(|(start, end)| end - start)
}

/// Keeps the scores of the loaded results up to date: whenever the results, the scoring options
/// or the dataset change, scores them (timed) and then computes each model's bootstrap
/// intervals, one model per turn of the event loop, dispatching as it goes.
///
/// Call it in every page that shows scores; the work runs once per change however many pages
/// ask, because the state says when scores are current.
///
/// # Example
/// ```ignore
/// use_results_scoring();
/// let state = use_app_state();
/// let scores = state.results.latest_scores();
/// ```
#[hook]
pub fn use_results_scoring() {
    let state = use_app_state();
    let dataset = state.dataset.current.clone();
    let request = state.results.score_request(dataset.as_ref());
    let key: Option<(u64, Option<LoadedDataset>)> = request
        .as_ref()
        .map(|request| (request.revision, request.dataset.clone()));
    let dispatcher = state.dispatcher();
    use_effect_with(key, move |key| {
        if let (Some(_), Some(request)) = (key, request) {
            let job = start_job(&SCORING_JOB);
            spawn_local(run_scoring(job, request, dispatcher));
        }
    });
}

async fn run_scoring(job: u64, request: ScoreRequest, dispatcher: AppDispatcher) {
    // Let the browser paint "Scoring…" (and drop this job if a newer one comes meanwhile).
    TimeoutFuture::new(0).await;
    if !is_current(&SCORING_JOB, job) {
        return;
    }
    let revision = request.revision;
    let started = clock::now_millis();
    match score(&request) {
        Ok(mut scored) => {
            scored.score_millis = since(started);
            dispatcher.dispatch(Action::Results(ResultsAction::Scored {
                scored: Shared::new(scored),
            }));
        }
        Err(error) => {
            dispatcher.dispatch(Action::Results(ResultsAction::ScoreFailed {
                revision,
                message: error.to_string(),
            }));
            return;
        }
    }
    let set = request.samples.clone();
    let Some(bootstrapper) = Bootstrapper::new(&set, &request.options) else {
        return;
    };
    // Time spent computing, not waiting for the event loop between batches.
    let mut busy = Some(0.0);
    let mut index = 0;
    while index < bootstrapper.model_count() {
        TimeoutFuture::new(0).await;
        if !is_current(&SCORING_JOB, job) {
            return;
        }
        // Models are bootstrapped in batches of about one frame's budget: the page stays
        // responsive, and is redrawn once per batch rather than once per model.
        let started = clock::now_millis();
        let mut batch = Vec::new();
        while index < bootstrapper.model_count() {
            batch.extend(bootstrapper.intervals(index));
            index += 1;
            if since(started).is_none_or(|elapsed| elapsed >= INTERVAL_BATCH_MILLIS) {
                break;
            }
        }
        busy = busy.zip(since(started)).map(|(total, step)| total + step);
        dispatcher.dispatch(Action::Results(ResultsAction::IntervalsComputed {
            revision,
            intervals: batch,
        }));
    }
    dispatcher.dispatch(Action::Results(ResultsAction::IntervalsFinished {
        revision,
        millis: busy,
    }));
}

/// Computes the paired comparisons of `plan` (reference against each other model) that the
/// state's memo does not have yet, one per turn of the event loop, and dispatches each.
///
/// # Arguments
/// * `plan`: the resolved choices of the Compare page, `None` with fewer than two models.
///
/// # Example
/// ```ignore
/// let plan = state.results.compare.plan(&state.results.model_names());
/// use_comparisons(plan.clone());
/// ```
#[hook]
pub fn use_comparisons(plan: Option<ComparePlan>) {
    let state = use_app_state();
    let results = &state.results;
    let revision = results.revision;
    let missing: Vec<(String, String)> = plan
        .map(|plan| {
            plan.others
                .iter()
                .filter(|other| {
                    results.comparisons.revision != revision
                        || results.comparisons.get(&plan.reference, other).is_none()
                })
                .map(|other| (plan.reference.clone(), other.clone()))
                .collect()
        })
        .unwrap_or_default();
    let samples = results.combined.samples.clone();
    let options = results.options.clone();
    let dispatcher = state.dispatcher();
    use_effect_with((revision, missing), move |(revision, missing)| {
        if missing.is_empty() {
            return;
        }
        let job = start_job(&COMPARING_JOB);
        let (revision, missing) = (*revision, missing.clone());
        spawn_local(async move {
            let (k, _) = options.resolve_k(&samples);
            let score_options = ScoreOptions {
                bootstrap: options.bootstrap_options(),
                ..options.score_options(k)
            };
            for (a, b) in missing {
                TimeoutFuture::new(0).await;
                if !is_current(&COMPARING_JOB, job) {
                    return;
                }
                // Both names come from the loaded set; an error can only be a model removed
                // meanwhile, and the next plan will not ask for it.
                if let Ok(comparison) = compare(&samples, &a, &b, &score_options) {
                    dispatcher.dispatch(Action::Results(ResultsAction::Compared {
                        revision,
                        comparison: Rc::new(comparison),
                    }));
                }
            }
        });
    });
}
