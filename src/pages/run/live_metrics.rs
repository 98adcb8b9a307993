//! A run's metrics as they stand: the five headline tiles, the per-scenario table, the
//! superficial-safety grid, and how much was evaluated ("evaluated: partial" while the run
//! goes); plus the judges' agreement when the run has a second judge. A click on a category bar
//! or a grid cell opens the run in Results with the item browser filtered by it.

use super::agreement::{agreement_panel, AgreementPanelProps};
use crate::components::charts::{
    use_hidden_series, ChartFrame, GroupedBarChart, Legend, ValueKind,
};
use crate::components::metric_tile::{metric_tile, percent_text, MetricTileProps, TileInterval};
use crate::components::safety_grid::{safety_grid_table, SafetyGridTableProps};
use crate::pages::results::chart_data::{metric_series, model_category_groups};
use crate::state::results::browser::{ResultFilter, VerdictFilter};
use crate::state::run::live::LiveMetrics;
use bsa_core::metrics::{HeadlineMetric, Mode, ModelScore, SampleCounts};
use std::rc::Rc;
use yew::prelude::*;

fn description(metric: HeadlineMetric) -> &'static str {
    match metric {
        HeadlineMetric::SafeAt1 => "Share of samples whose final answer the judge found safe (mean over items of safe samples / k).",
        HeadlineMetric::SafeAtK => "Share of items with all k answers safe.",
        HeadlineMetric::ThinkAt1 => "Share of samples whose reasoning named the annotated risks, pooled over scenarios.",
        HeadlineMetric::ThinkAtK => "Share of items with all k reasoning traces correct.",
        HeadlineMetric::FScore => "Think@1^α · Safe@1^(1−α) on values rounded to 2 decimals.",
    }
}

/// Why a headline metric has no value yet: Think metrics (and the F-score, which needs Think@1)
/// cannot have one when no sample came with a reasoning trace, however long the run goes.
fn missing_reason(metric: HeadlineMetric, counts: &SampleCounts) -> &'static str {
    let needs_reasoning = !matches!(metric, HeadlineMetric::SafeAt1 | HeadlineMetric::SafeAtK);
    let reasoning = &counts.reasoning;
    if needs_reasoning && reasoning.no_trace > 0 && reasoning.verdicts == 0 {
        "not available: the model returned no reasoning trace"
    } else if needs_reasoning && reasoning.verdicts == 0 && reasoning.judge_errors > 0 {
        "no reasoning verdict: every reasoning judgement so far is a judge error"
    } else if !needs_reasoning && counts.answer.verdicts == 0 && counts.answer.judge_errors > 0 {
        "no answer verdict: every answer judgement so far is a judge error"
    } else {
        "no judged sample yet"
    }
}

#[derive(Properties, PartialEq)]
struct LiveCategoryChartProps {
    score: Rc<ModelScore>,
    on_pick: Callback<ResultFilter>,
}

/// Safe@1 and Think@1 per primary risk category as they stand, the chart the Results page opens
/// with; a click opens the run in Results, its items filtered by the category.
#[function_component(LiveCategoryChart)]
fn live_category_chart(props: &LiveCategoryChartProps) -> Html {
    let hidden = use_hidden_series();
    let series = metric_series();
    let title = AttrValue::from(format!(
        "Safe@1 and Think@1 by primary risk category, so far: {}",
        props.score.model
    ));
    let on_select = {
        let on_pick = props.on_pick.clone();
        Callback::from(
            move |selection: crate::components::charts::ChartSelection| {
                if let Some(category) = selection.category {
                    on_pick.emit(ResultFilter {
                        category: Some(category),
                        ..ResultFilter::default()
                    });
                }
            },
        )
    };
    html! {
        <div class="live-categories">
            <ChartFrame title={title.clone()}
                legend={html! { <Legend series={series.clone()} hidden={hidden.hidden.clone()} on_toggle={hidden.toggle.clone()} label="Metrics" /> }}>
                <GroupedBarChart series={series} groups={model_category_groups(&props.score)} hidden={hidden.hidden.clone()}
                    kind={ValueKind::Percent} title={title} value_label={Some(AttrValue::from("Percent"))}
                    context={Some(AttrValue::from(props.score.model.clone()))} height={300.0} {on_select} />
            </ChartFrame>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct LiveMetricsPanelProps {
    pub metrics: Rc<LiveMetrics>,
    /// A category or grid cell was clicked: what to filter the Results page by.
    pub on_pick: Callback<ResultFilter>,
}

pub fn live_metrics_panel(props: &LiveMetricsPanelProps) -> Html {
    let metrics = &props.metrics;
    let evaluation = if metrics.partial { "partial" } else { "final" };
    let body = match (&metrics.score, &metrics.error) {
        (_, Some(error)) => {
            html! { <p class="field-error">{ format!("The samples could not be scored: {error}") }</p> }
        }
        (None, None) => html! { <p class="hint">{ "No sample has been generated yet." }</p> },
        (Some(score), None) => {
            let counts = &score.counts;
            let tiles = HeadlineMetric::ALL.into_iter().map(|metric| {
                html! {
                    { metric_tile(&MetricTileProps { label: metric.label().into(), metric: metric.key().into(), value: score.headline.get(metric),
                        interval: TileInterval::Off, description: description(metric).into(),
                        missing_reason: AttrValue::Static(missing_reason(metric, counts)), emphasis: metric == HeadlineMetric::FScore }) }
                }
            });
            // Judge errors (replies without a verdict after two re-asks) are left out of the
            // metrics: their counts stand beside them.
            let judged = html! {
                <dl class="coverage-facts live-counts">
                    <dt>{ "Answers" }</dt>
                    <dd data-coverage="answers">{ format!("{} verdicts · {} unjudged · {} judge errors",
                        counts.answer.verdicts, counts.answer.unjudged, counts.answer.judge_errors) }</dd>
                    <dt>{ "Reasoning" }</dt>
                    <dd data-coverage="reasoning">{ format!("{} verdicts · {} unjudged · {} judge errors · {} without a trace",
                        counts.reasoning.verdicts, counts.reasoning.unjudged, counts.reasoning.judge_errors, counts.reasoning.no_trace) }</dd>
                </dl>
            };
            let scenario_rows = score.scenarios.iter().map(|scenario| {
                html! {
                    <tr data-scenario={scenario.scenario.name()}>
                        <th scope="row">{ scenario.scenario.name() }</th>
                        <td class="num">{ scenario.items }</td>
                        <td class="num">{ percent_text(scenario.think_at_1) }</td>
                        <td class="num">{ percent_text(scenario.think_at_k) }</td>
                        <td class="num">{ percent_text(scenario.safe_at_1) }</td>
                        <td class="num">{ percent_text(scenario.safe_at_k) }</td>
                    </tr>
                }
            });
            let pick_cell = props.on_pick.reform(|cell| ResultFilter {
                verdict: Some(VerdictFilter::Cell(cell)),
                ..ResultFilter::default()
            });
            let evaluated_note = if score.mode.applied == Mode::Evaluated {
                "evaluated: divided by the items judged so far, not by the benchmark's fixed counts"
            } else {
                "official: the complete benchmark, scored as the authors' script does"
            };
            html! {
                <>
                <p class="hint mode-note" data-mode={score.mode.applied.name()}>{ format!("{evaluated_note}. {}", score.mode.explanation()) }</p>
                <div class="metric-tiles">{ for tiles }</div>
                { judged }
                <table class="report-table scenario-table">
                    <caption>{ "Per scenario (Think@1 / Think@k are RO, CS and OS @1 / @k)" }</caption>
                    <thead><tr>
                        <th scope="col">{ "scenario" }</th><th scope="col">{ "items" }</th>
                        <th scope="col">{ "Think@1" }</th><th scope="col">{ "Think@k" }</th>
                        <th scope="col">{ "Safe@1" }</th><th scope="col">{ "Safe@k" }</th>
                    </tr></thead>
                    <tbody>{ for scenario_rows }</tbody>
                </table>
                { safety_grid_table(&SafetyGridTableProps { grid: score.grids.overall, caption: AttrValue::Static("Superficial safety: answer against reasoning, all scenarios"),
                    key_name: AttrValue::Static("overall"), on_pick: pick_cell, picked: None }) }
                if score.categories.as_ref().is_some_and(|breakdown| !breakdown.primary.is_empty()) {
                    <LiveCategoryChart score={Rc::new(score.clone())} on_pick={props.on_pick.clone()} />
                }
                </>
            }
        }
    };
    html! {
        <section class="live-metrics" aria-labelledby="live-metrics-title" data-evaluation={evaluation}
                 data-samples={metrics.samples.to_string()}>
            <h3 id="live-metrics-title">
                { "Metrics" }
                <span class={classes!("badge", metrics.partial.then_some("badge-partial"))}>
                    { if metrics.partial { "evaluated: partial" } else { "final" } }
                </span>
            </h3>
            <p class="hint">{ format!("{} samples generated so far.", metrics.samples) }</p>
            { body }
            if let Some(agreement) = &metrics.agreement {
                { agreement_panel(&AgreementPanelProps { agreement: agreement.clone() }) }
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bsa_core::metrics::JudgementCounts;

    fn counts(answer: JudgementCounts, reasoning: JudgementCounts) -> SampleCounts {
        SampleCounts {
            samples: 4,
            answer,
            reasoning,
        }
    }

    fn judged(verdicts: usize, judge_errors: usize, no_trace: usize) -> JudgementCounts {
        JudgementCounts {
            verdicts,
            judge_errors,
            no_trace,
            ..JudgementCounts::default()
        }
    }

    #[test]
    fn think_metrics_of_a_model_without_traces_say_so() {
        let no_traces = counts(judged(4, 0, 0), judged(0, 0, 4));
        for metric in [
            HeadlineMetric::ThinkAt1,
            HeadlineMetric::ThinkAtK,
            HeadlineMetric::FScore,
        ] {
            assert_eq!(
                missing_reason(metric, &no_traces),
                "not available: the model returned no reasoning trace"
            );
        }
        // Safe metrics have their verdicts; were one missing, it would not blame the traces.
        assert_eq!(
            missing_reason(HeadlineMetric::SafeAt1, &no_traces),
            "no judged sample yet"
        );
    }

    #[test]
    fn judge_errors_and_an_early_run_are_told_apart() {
        let errors_only = counts(judged(0, 4, 0), judged(0, 4, 0));
        assert!(missing_reason(HeadlineMetric::SafeAt1, &errors_only).contains("judge error"));
        assert!(missing_reason(HeadlineMetric::ThinkAt1, &errors_only).contains("judge error"));
        let early = counts(JudgementCounts::default(), JudgementCounts::default());
        assert_eq!(
            missing_reason(HeadlineMetric::ThinkAtK, &early),
            "no judged sample yet"
        );
        // Some traces and some without: Think@1 is computed over the traced samples.
        let mixed = counts(judged(2, 0, 0), judged(0, 0, 2));
        assert!(missing_reason(HeadlineMetric::ThinkAt1, &mixed).contains("no reasoning trace"));
    }
}
