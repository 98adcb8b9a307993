//! Every loaded model in one table: the five headline metrics (with intervals once computed),
//! the mode and the coverage, and a button to show the model in the dashboard below.

use super::import::plural;
use crate::components::metric_tile::percent_text;
use crate::hooks::use_app_dispatcher;
use crate::state::results::scoring::ScoredResults;
use crate::state::results::{ResultsAction, Shared};
use crate::state::Action;
use bsa_core::metrics::{HeadlineMetric, Mode, ModelScore};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ModelsTableProps {
    pub scored: Shared<ScoredResults>,
    /// The model shown in the dashboard.
    pub model: AttrValue,
    /// The scores are of an older revision (new ones are being computed).
    pub stale: bool,
}

/// A short coverage note: "2,000 items · complete", "40 of 2,000 items · 3 unjudged".
pub fn coverage_note(model: &ModelScore) -> String {
    let coverage = &model.coverage;
    let mut note = if coverage.items_evaluated == coverage.items_expected {
        format!("{} items", coverage.items_evaluated)
    } else {
        format!(
            "{} of {} items",
            coverage.items_evaluated, coverage.items_expected
        )
    };
    let missing = model.counts.answer.missing() + model.counts.reasoning.missing();
    if missing > 0 {
        note.push_str(&format!(" · {missing} judgements missing"));
    }
    note
}

#[function_component(ModelsTable)]
pub fn models_table(props: &ModelsTableProps) -> Html {
    let dispatcher = use_app_dispatcher();
    let rows = props.scored.card.models.iter().map(|model| {
        let selected = props.model.as_str() == model.model;
        let onclick = {
            let (dispatcher, name) = (dispatcher.clone(), model.model.clone());
            Callback::from(move |_: MouseEvent| {
                dispatcher.dispatch(Action::Results(ResultsAction::SelectModel { name: name.clone() }))
            })
        };
        let cells = HeadlineMetric::ALL.iter().map(|metric| {
            let value = model.headline.get(*metric);
            let interval = model.intervals.and_then(|intervals| intervals.get(*metric));
            html! {
                <td class="num" data-metric={metric.key()}>
                    <span class="metric-value">{ percent_text(value).replace("not available", "n/a") }</span>
                    if let Some(interval) = interval {
                        <span class="metric-interval">{ format!("{:.2}–{:.2}", interval.low, interval.high) }</span>
                    }
                </td>
            }
        });
        let official = model.mode.applied == Mode::Official;
        html! {
            <tr key={model.model.clone()} data-model={model.model.clone()} class={classes!(selected.then_some("selected"))}
                aria-current={selected.then_some("true")}>
                <th scope="row" class="model">
                    <button type="button" class="link model-pick" {onclick} aria-pressed={if selected { "true" } else { "false" }}
                        title={format!("Show {} in the dashboard below", model.model)}>
                        { model.model.clone() }
                    </button>
                </th>
                { for cells }
                <td class={classes!("mode", (!official).then_some("mode-evaluated"))} title={model.mode.explanation()}>
                    { model.mode.applied.name() }
                </td>
                <td class="coverage">{ coverage_note(model) }</td>
            </tr>
        }
    });
    let count = props.scored.card.models.len();
    html! {
        <section class="card results-models" aria-labelledby="results-models-title">
            <h2 id="results-models-title">
                { format!("Scores of {}", plural(count, "model", "models")) }
                if props.stale { <span class="badge updating" role="status">{ "updating…" }</span> }
            </h2>
            <div class="table-scroll">
                <table class="models-table">
                    <caption class="visually-hidden">{ "Headline metrics of every loaded model, in percent, with 95 % intervals" }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ "Model" }</th>
                            { for HeadlineMetric::ALL.iter().map(|metric| html! {
                                <th scope="col" class="num">{ metric.label() }</th>
                            }) }
                            <th scope="col" title="official: the authors' fixed denominators; evaluated: divided by what was judged">{ "Mode" }</th>
                            <th scope="col">{ "Coverage" }</th>
                        </tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            <p class="hint">
                { "Percentages; the small figures under each value are its 95 % bootstrap interval (items resampled within scenarios). \
                   \"n/a\": not available (for Think metrics, the file has no reasoning verdicts). Click a model to show it below." }
            </p>
        </section>
    }
}
