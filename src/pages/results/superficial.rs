//! The superficial-safety grid: answers (safe / unsafe) against reasoning (saw the risk / missed
//! it), overall and per scenario, with the "safe answer, risk missed" cell, BSA's headline
//! finding, set out as a big number. Every cell and bar picks that verdict combination for the
//! item browser.

use super::chart_data::{grid_groups, grid_series, ALL_SCENARIOS};
use super::dashboard::count;
use crate::components::charts::{
    use_hidden_series, ChartFrame, ChartSelection, GroupedBarChart, Legend, ValueKind,
};
use crate::components::safety_grid::{cell_key, safety_grid_table, SafetyGridTableProps};
use crate::hooks::use_app_dispatcher;
use crate::state::results::browser::{ResultFilter, VerdictFilter};
use crate::state::results::scoring::ScoredResults;
use crate::state::results::{ResultsAction, Shared};
use crate::state::Action;
use bsa_core::metrics::GridCell;
use bsa_core::Scenario;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SuperficialProps {
    pub scored: Shared<ScoredResults>,
    pub model: AttrValue,
    /// The browser's filter, to show which cell is picked.
    pub filter: ResultFilter,
    pub text_scale: f64,
}

fn cell_of_key(key: &str) -> Option<GridCell> {
    GridCell::ALL
        .into_iter()
        .find(|cell| cell_key(*cell) == key)
}

#[function_component(Superficial)]
pub fn superficial(props: &SuperficialProps) -> Html {
    let dispatcher = use_app_dispatcher();
    let hidden = use_hidden_series();
    let Some(model) = props.scored.model(&props.model) else {
        return html! {};
    };
    let pick = |scenario: Option<Scenario>| {
        let dispatcher = dispatcher.clone();
        Callback::from(move |cell: GridCell| {
            dispatcher.dispatch(Action::Results(ResultsAction::PickCell {
                scenario,
                verdict: VerdictFilter::Cell(cell),
            }))
        })
    };
    let on_select = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |selection: ChartSelection| {
            let Some(cell) = selection.series.as_deref().and_then(cell_of_key) else {
                return;
            };
            let scenario = selection
                .category
                .as_deref()
                .filter(|id| *id != ALL_SCENARIOS)
                .and_then(Scenario::parse);
            dispatcher.dispatch(Action::Results(ResultsAction::PickCell {
                scenario,
                verdict: VerdictFilter::Cell(cell),
            }))
        })
    };
    let picked = |scenario: Option<Scenario>| match props.filter.verdict {
        Some(VerdictFilter::Cell(cell)) if props.filter.scenario == scenario => Some(cell),
        _ => None,
    };
    let grid = &model.grids.overall;
    let superficial = grid.superficial_share_of_safe();
    let of_all = grid.share(GridCell::SafeButUnaware);
    let series = grid_series();
    let groups = grid_groups(model);
    let headline = match superficial {
        Some(share) => html! {
            <>
                <p class="headline-number" data-share={share.to_string()}>
                    <span class="big-number">{ format!("{share:.1} %") }</span>
                    <span class="big-number-text">
                        { format!("of {}'s safe answers came with reasoning that missed the annotated risk", model.model) }
                    </span>
                </p>
                <p class="headline-detail">
                    { format!("{} of {} samples with both verdicts ({}) are safe answers whose reasoning did not see the risk.",
                        count(grid.safe_but_unaware), count(grid.total()),
                        of_all.map_or_else(|| "–".to_string(), |share| format!("{share:.1} %"))) }
                </p>
            </>
        },
        None => html! {
            <p class="headline-number unavailable">
                <span class="big-number">{ "not available" }</span>
                <span class="big-number-text">
                    { if grid.total() == 0 {
                        "no sample has both an answer and a reasoning verdict"
                    } else {
                        "no answer was judged safe"
                    } }
                </span>
            </p>
        },
    };

    html! {
        <section class="card results-superficial" aria-labelledby="superficial-title">
            <h2 id="superficial-title">{ "Superficial safety" }</h2>
            <div class="superficial-grid">
                <div class="superficial-headline">
                    { headline }
                    <p class="explainer-text">
                        { "A safe final answer does not mean the model saw the risk. BSA's central finding is that reasoning models \
                           often answer safely while their reasoning misses the risk the item is about (\"superficial safety \
                           alignment\"): these samples count for Safe@1 but not for Think@1. Click a cell to list those items below." }
                    </p>
                </div>
                <div class="safety-grids">
                    { safety_grid_table(&SafetyGridTableProps { grid: *grid, caption: AttrValue::Static("All scenarios"), key_name: ALL_SCENARIOS.into(),
                        on_pick: pick(None), picked: picked(None) }) }
                    { for Scenario::ALL.iter().map(|scenario| html! {
                        { safety_grid_table(&SafetyGridTableProps { grid: *model.grids.scenario(*scenario), caption: scenario.name().into(),
                            key_name: scenario.name().into(), on_pick: pick(Some(*scenario)), picked: picked(Some(*scenario)) }) }
                    }) }
                </div>
            </div>
            <ChartFrame title={format!("Answer × reasoning by scenario: {}", model.model)}
                legend={html! { <Legend series={series.clone()} hidden={hidden.hidden.clone()} on_toggle={hidden.toggle.clone()} label="Grid cells" /> }}>
                <GroupedBarChart {series} {groups} hidden={hidden.hidden.clone()} kind={ValueKind::Percent}
                    title="Share of samples in each cell of the superficial-safety grid, by scenario"
                    value_label={Some(AttrValue::from("Share of samples (%)"))} context={Some(AttrValue::from(model.model.clone()))}
                    text_scale={props.text_scale} height={300.0} {on_select} />
            </ChartFrame>
        </section>
    }
}
