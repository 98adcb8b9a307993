//! The Compare page: a reference model against one or more others on the items both were
//! evaluated on.
//!
//! - [`differences`]: per-metric differences (reference − other, percentage points) with paired
//!   bootstrap intervals, and which are significant at 95 %.
//! - [`disagreements`]: the items where two models' per-item rates differ, largest gap first,
//!   each linking to the item browser and the dataset item.
//!
//! Comparisons are computed by [`crate::hooks::use_comparisons`] one pair per turn of the event
//! loop and memoised in state, so the table fills in row by row.

mod differences;
mod disagreements;

use crate::hooks::{use_app_state, use_comparisons, use_results_scoring};
use crate::state::results::{CompareAction, ResultsAction};
use crate::state::Action;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[function_component(ComparePage)]
pub fn compare_page() -> Html {
    // Scores feed the model list's figures; comparisons are computed here.
    use_results_scoring();
    let state = use_app_state();
    let results = &state.results;
    let models = results.model_names();
    let plan = results.compare.plan(&models);
    use_comparisons(plan.clone());

    let Some(plan) = plan else {
        return html! {
            <section aria-labelledby="compare-title">
                <h1 id="compare-title">{ "Compare" }</h1>
                <div class="empty-state">
                    <p class="empty-title">
                        { if models.is_empty() { "No results loaded" } else { "Only one model is loaded" } }
                    </p>
                    <p>
                        { "Load results for two or more models on the " }
                        <a href={crate::app::Route::Results.href()}>{ "Results page" }</a>
                        { " to compare them metric by metric on the items both were evaluated on, with paired bootstrap \
                           intervals, and to list the items where they disagree." }
                    </p>
                </div>
            </section>
        };
    };

    let dispatcher = state.dispatcher();
    let on_reference = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event
                .target()
                .and_then(|target| target.dyn_into::<web_sys::HtmlSelectElement>().ok())
            {
                dispatcher.dispatch(Action::Results(ResultsAction::Compare(
                    CompareAction::SetReference {
                        name: select.value(),
                    },
                )));
            }
        })
    };
    let checkboxes = models
        .iter()
        .filter(|name| **name != plan.reference)
        .enumerate()
        .map(|(position, name)| {
            let checked = plan.others.contains(name);
            let onchange = {
                let (dispatcher, name) = (dispatcher.clone(), name.clone());
                Callback::from(move |_: Event| {
                    dispatcher.dispatch(Action::Results(ResultsAction::Compare(
                        CompareAction::ToggleOther { name: name.clone() },
                    )))
                })
            };
            let id = format!("compare-with-{position}");
            html! {
                <li>
                    <input type="checkbox" id={id.clone()} {checked} {onchange} data-model={name.clone()} />
                    <label for={id}>{ name.clone() }</label>
                </li>
            }
        });
    let options = &results.options;
    let bootstrap = options.bootstrap;

    html! {
        <>
            <h1>{ "Compare" }</h1>
            <p class="lead">
                { "Differences between models measured on exactly the same items, with paired bootstrap intervals: \
                   item difficulty, which both models share, cancels out, so smaller differences can be told from noise." }
            </p>
            <section class="card compare-models" aria-labelledby="compare-models-title">
                <h2 id="compare-models-title">{ "Models" }</h2>
                <div class="compare-choice">
                    <div class="field">
                        <label for="compare-reference">{ "Reference model (A)" }</label>
                        <select id="compare-reference" onchange={on_reference}>
                            { for models.iter().map(|name| html! {
                                <option value={name.clone()} selected={*name == plan.reference}>{ name.clone() }</option>
                            }) }
                        </select>
                    </div>
                    <fieldset class="compare-others">
                        <legend>{ "Compared with (B)" }</legend>
                        <ul class="checkbox-list">{ for checkboxes }</ul>
                    </fieldset>
                </div>
                <p class="hint">
                    { format!("Scored with k = {}, α = {:.4}; differences use the evaluated-mode formulas on the common items. ",
                        options.resolve_k(&results.combined.samples).0, options.alpha) }
                    if !bootstrap {
                        { "Bootstrap intervals are off (Results page, Scoring): no difference can be called significant." }
                    }
                </p>
            </section>
            { differences::differences(&differences::DifferencesProps { plan: plan.clone(), memo: results.comparisons.clone(), bootstrap }) }
            <disagreements::Disagreements plan={plan} memo={results.comparisons.clone()} compare={results.compare.clone()}
                dataset={state.dataset.current.clone()} />
        </>
    }
}
