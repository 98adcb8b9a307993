//! The Results page: import judged results, score them, and look at every model from the
//! headline numbers down to single answers.
//!
//! - [`import`]: the file picker, scoring options, import status and the loaded files.
//! - [`models`]: every loaded model in one table (the numbers the leaderboard gets), with timing.
//! - [`dashboard`]: the selected model's headline metrics with intervals, mode and coverage
//!   beside them, and the per-scenario metrics.
//! - [`superficial`]: the superficial-safety grid, BSA's headline finding.
//! - [`categories`]: per-category bars, the radar and the heatmap; [`scatter`]: the user's
//!   models among the 23 published ones.
//! - [`browser`]: the item browser, filtered by controls and by chart clicks.
//! - [`chart_data`]: the pure mapping from scores to chart data.
//!
//! The page reads app state once and hands each section plain props (shared values compared by
//! identity), so a section re-renders only when its own inputs change: with 23 models, a click
//! in the item browser does not redraw the charts.

mod browser;
mod categories;
pub mod chart_data;
mod dashboard;
mod import;
mod models;
mod scatter;
mod superficial;

use crate::app::Route;
use crate::hooks::{use_app_state, use_results_scoring};
use crate::state::results::scoring::IntervalProgress;
use yew::prelude::*;

/// How much the page's text is enlarged, for the charts' layout (see `text_scale` there).
pub(crate) fn text_scale(large_type: bool) -> f64 {
    if large_type {
        1.25
    } else {
        1.0
    }
}

#[function_component(ResultsPage)]
pub fn results_page() -> Html {
    use_results_scoring();
    let state = use_app_state();
    let results = &state.results;
    let scale = text_scale(state.preferences.large_type);

    let body = if !results.has_results() {
        html! {
            <div class="empty-state">
                <p class="empty-title">{ "No results loaded" }</p>
                <p>
                    { "Open a judged-result CSV (the authors' format: model_name, id, dataset_name, Safe_Ans_Check, \
                       Thk_Acc_Judge) or a BSA Studio run file above. Safe@1, Safe@k, Think@1, Think@k and the F-score \
                       per scenario and category will appear here. Meanwhile the " }
                    <a href={Route::Leaderboard.href()}>{ "leaderboard" }</a>
                    { " shows the published figures." }
                </p>
            </div>
        }
    } else if let Some(scored) = results.scored.clone() {
        let stale = scored.revision != results.revision;
        let model = results.selected_model().unwrap_or_default();
        let model = AttrValue::from(model);
        let published = std::rc::Rc::new(state.leaderboard.published_rows());
        html! {
            <div class={classes!("results-body", stale.then_some("stale"))} aria-busy={stale.then_some("true")}>
                <models::ModelsTable scored={scored.clone()} model={model.clone()} {stale} />
                <dashboard::Dashboard scored={scored.clone()} model={model.clone()} />
                <superficial::Superficial scored={scored.clone()} model={model.clone()} filter={results.filter.clone()} text_scale={scale} />
                <categories::Categories scored={scored.clone()} model={model.clone()} category={results.filter.category.clone()}
                    secondary={results.filter.secondary.clone()} dataset={state.dataset.current.clone()} text_scale={scale} />
                <scatter::Scatter scored={scored.clone()} {published} text_scale={scale} />
                <browser::ItemBrowser combined={results.combined.clone()} sources={results.sources.clone()}
                    model={model.clone()} filter={results.filter.clone()} page={results.page}
                    dataset={state.dataset.current.clone()} />
            </div>
        }
    } else if let Some((_, message)) = &results.score_error {
        html! {
            <div class="empty-state">
                <p class="empty-title">{ "These results could not be scored" }</p>
                <p>{ message.clone() }</p>
            </div>
        }
    } else {
        html! {
            <div class="empty-state" role="status">
                <p class="empty-title">{ "Scoring…" }</p>
            </div>
        }
    };

    // For people and for benchmarks: how long scoring took, and where the intervals are.
    let timing = results.latest_scores().map(|scored| {
        let scored_in = scored
            .score_millis
            .map(|ms| format!("scored in {ms:.0} ms"))
            .unwrap_or_else(|| "scored".to_string());
        let intervals = match scored.intervals {
            IntervalProgress::Off => "bootstrap intervals off".to_string(),
            IntervalProgress::Computing { done, total } => {
                format!("95 % intervals: {done} of {total} models…")
            }
            IntervalProgress::Done { millis: Some(ms) } => format!("95 % intervals in {ms:.0} ms"),
            IntervalProgress::Done { millis: None } => "95 % intervals done".to_string(),
        };
        html! {
            <p class="score-timing hint" aria-live="polite"
               data-score-ms={scored.score_millis.map(|ms| format!("{ms:.1}"))}
               data-intervals={matches!(scored.intervals, IntervalProgress::Done { .. } | IntervalProgress::Off).then_some("done")}>
                { format!("{} samples of {} models, k = {}{}; {scored_in}; {intervals}.",
                    dashboard::count(results.combined.samples.len()), scored.card.models.len(), scored.k,
                    if scored.k_inferred { " (inferred)" } else { "" }) }
            </p>
        }
    });

    html! {
        <>
            <h1>{ "Results" }</h1>
            <p class="lead">
                { "Score judged results of any number of models: the benchmark's metrics with 95 % bootstrap intervals, \
                   how much of each model's safety is superficial, per risk category, against the published models, \
                   down to single answers. Nothing leaves your browser." }
            </p>
            <import::ImportPanel />
            { for timing }
            { body }
        </>
    }
}
