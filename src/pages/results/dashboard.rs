//! One model in detail: the five headline metrics with their 95 % intervals, the scoring mode
//! and the coverage right beside them, and RO / CS / OS @1 and @k.

use crate::components::charts::format::group_thousands;
use crate::components::metric_tile::{metric_tile, percent_text, MetricTileProps, TileInterval};
use crate::hooks::use_app_dispatcher;
use crate::state::results::scoring::{IntervalProgress, ScoredResults};
use crate::state::results::{ResultsAction, Shared};
use crate::state::Action;
use bsa_core::metrics::{Expected, HeadlineMetric, ModelScore};
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DashboardProps {
    pub scored: Shared<ScoredResults>,
    pub model: AttrValue,
}

/// A count with thousands separators (`10,000`).
pub(crate) fn count(value: usize) -> String {
    group_thousands(&value.to_string())
}

fn description(metric: HeadlineMetric) -> &'static str {
    match metric {
        HeadlineMetric::SafeAt1 => "share of answers judged safe, averaged over items",
        HeadlineMetric::SafeAtK => "share of items whose k answers were all judged safe",
        HeadlineMetric::ThinkAt1 => {
            "share of reasoning traces that named the annotated risks, pooled over scenarios"
        }
        HeadlineMetric::ThinkAtK => "share of items whose k reasoning traces all named the risks",
        HeadlineMetric::FScore => "Think@1^α × Safe@1^(1−α), from the rounded Think@1 and Safe@1",
    }
}

/// Why a metric has no value, for the tile.
fn missing_reason(model: &ModelScore, metric: HeadlineMetric) -> &'static str {
    let no_reasoning = model.counts.reasoning.verdicts == 0;
    match metric {
        HeadlineMetric::ThinkAt1 | HeadlineMetric::ThinkAtK | HeadlineMetric::FScore
            if no_reasoning =>
        {
            "no reasoning verdicts in the results"
        }
        HeadlineMetric::SafeAtK | HeadlineMetric::ThinkAtK => {
            "no item has all of its first k samples judged"
        }
        _ => "no verdicts to compute it from",
    }
}

#[function_component(Dashboard)]
pub fn dashboard(props: &DashboardProps) -> Html {
    let dispatcher = use_app_dispatcher();
    let scored = &props.scored;
    let Some(model) = scored.model(&props.model) else {
        return html! {};
    };
    let on_model = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event
                .target()
                .and_then(|target| target.dyn_into::<web_sys::HtmlSelectElement>().ok())
            {
                dispatcher.dispatch(Action::Results(ResultsAction::SelectModel {
                    name: select.value(),
                }));
            }
        })
    };
    let tiles = HeadlineMetric::ALL.iter().map(|metric| {
        let value = model.headline.get(*metric);
        let interval = match (&scored.intervals, model.intervals) {
            (IntervalProgress::Off, _) => TileInterval::Off,
            (_, Some(intervals)) => match intervals.get(*metric) {
                Some(interval) => TileInterval::Known {
                    low: interval.low,
                    high: interval.high,
                },
                None => TileInterval::None,
            },
            (IntervalProgress::Computing { .. }, None) => TileInterval::Pending,
            (IntervalProgress::Done { .. }, None) => TileInterval::None,
        };
        html! {
            { metric_tile(&MetricTileProps { label: metric.label().into(), metric: metric.key().into(), value, interval,
                description: description(*metric).into(), missing_reason: missing_reason(model, *metric).into(),
                emphasis: *metric == HeadlineMetric::FScore }) }
        }
    });
    let models = scored.card.models.iter().map(|other| {
        html! { <option value={other.model.clone()} selected={other.model == model.model}>{ other.model.clone() }</option> }
    });
    let coverage = &model.coverage;
    let counts = &model.counts;
    let expected_from = match coverage.expected_from {
        Expected::Dataset => "the loaded dataset",
        Expected::OfficialSizes => "the benchmark's 2,000 items",
    };
    let scenario_rows = model.scenarios.iter().map(|scenario| {
        html! {
            <tr data-scenario={scenario.scenario.name()}>
                <th scope="row">{ format!("{} ({})", scenario.scenario.name(), scenario.scenario.abbreviation()) }</th>
                <td class="num">{ scenario.items }</td>
                <td class="num" data-metric="think_at_1">{ percent_text(scenario.think_at_1) }</td>
                <td class="num" data-metric="think_at_k">{ percent_text(scenario.think_at_k) }</td>
                <td class="num" data-metric="safe_at_1">{ percent_text(scenario.safe_at_1) }</td>
                <td class="num" data-metric="safe_at_k">{ percent_text(scenario.safe_at_k) }</td>
            </tr>
        }
    });

    html! {
        <section class="card results-dashboard" aria-labelledby="results-dashboard-title" data-model={model.model.clone()}>
            <div class="dashboard-head">
                <h2 id="results-dashboard-title">{ "Model " }<span class="model-name">{ model.model.clone() }</span></h2>
                <div class="field-inline model-select">
                    <label for="results-model">{ "Show model" }</label>
                    <select id="results-model" onchange={on_model}>{ for models }</select>
                </div>
            </div>
            <div class="dashboard-grid">
                <div class="dashboard-main">
                    <div class="metric-tiles">{ for tiles }</div>
                    <table class="scenario-table">
                        <caption>{ "Per scenario (Think@1 of a scenario is the benchmark's RO@1, CS@1, OS@1)" }</caption>
                        <thead>
                            <tr>
                                <th scope="col">{ "Scenario" }</th>
                                <th scope="col" class="num">{ "Items" }</th>
                                <th scope="col" class="num">{ "Think@1" }</th>
                                <th scope="col" class="num">{ "Think@k" }</th>
                                <th scope="col" class="num">{ "Safe@1" }</th>
                                <th scope="col" class="num">{ "Safe@k" }</th>
                            </tr>
                        </thead>
                        <tbody>{ for scenario_rows }</tbody>
                    </table>
                </div>
                <aside class="mode-coverage" aria-label="Mode and coverage">
                    <p class="mode-line">
                        <span class={classes!("badge", "mode-badge", format!("mode-{}", model.mode.applied.name()))}>
                            { format!("{} mode", model.mode.applied.name()) }
                        </span>
                    </p>
                    <p class="mode-reason">{ model.mode.explanation() }</p>
                    <dl class="coverage-facts">
                        <dt>{ "Items" }</dt>
                        <dd data-coverage="items">{ format!("{} evaluated of {} expected ({})", count(coverage.items_evaluated), count(coverage.items_expected), expected_from) }</dd>
                        <dt>{ "Samples" }</dt>
                        <dd data-coverage="samples">{ format!("{} of {} expected (k = {})", count(coverage.samples), count(coverage.samples_expected), scored.k) }</dd>
                        <dt>{ "Answers" }</dt>
                        <dd data-coverage="answers">{ format!("{} verdicts · {} unjudged · {} judge errors", count(counts.answer.verdicts), counts.answer.unjudged, counts.answer.judge_errors) }</dd>
                        <dt>{ "Reasoning" }</dt>
                        <dd data-coverage="reasoning">{ format!("{} verdicts · {} unjudged · {} judge errors · {} without a trace",
                            count(counts.reasoning.verdicts), counts.reasoning.unjudged, counts.reasoning.judge_errors, counts.reasoning.no_trace) }</dd>
                        if coverage.items_other_than_k > 0 {
                            <dt>{ "Not k samples" }</dt>
                            <dd>{ format!("{} items have more or fewer than {} samples", coverage.items_other_than_k, scored.k) }</dd>
                        }
                    </dl>
                </aside>
            </div>
        </section>
    }
}
