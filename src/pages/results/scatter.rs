//! The user's models among the 23 published ones: Safe@1 against Think@1. A click on one of the
//! user's points shows that model in the dashboard.

use super::chart_data::{scatter_points, LOADED_PREFIX};
use crate::components::charts::{ChartFrame, ChartSelection, ScatterPlot};
use crate::hooks::use_app_dispatcher;
use crate::state::leaderboard::LeaderboardRow;
use crate::state::results::scoring::ScoredResults;
use crate::state::results::{ResultsAction, Shared};
use crate::state::Action;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ScatterProps {
    pub scored: Shared<ScoredResults>,
    /// The published leaderboard rows.
    pub published: Rc<Vec<LeaderboardRow>>,
    pub text_scale: f64,
}

#[function_component(Scatter)]
pub fn scatter(props: &ScatterProps) -> Html {
    let dispatcher = use_app_dispatcher();
    let points = use_memo(
        (props.scored.clone(), props.published.clone()),
        |(scored, published)| scatter_points(&scored.card.models, published),
    );
    let on_select = Callback::from(move |selection: ChartSelection| {
        if let Some(name) = selection
            .series
            .as_deref()
            .and_then(|id| id.strip_prefix(LOADED_PREFIX))
        {
            dispatcher.dispatch(Action::Results(ResultsAction::SelectModel {
                name: name.to_string(),
            }));
        }
    });
    html! {
        <section class="card results-scatter" aria-labelledby="scatter-title">
            <h2 id="scatter-title">{ "Against the published models" }</h2>
            <p class="hint">
                { "Safe@1 (answers judged safe) against Think@1 (reasoning that named the risk). Points far to the right and low \
                   are safe on the surface only. Published figures are from the paper's project page; click one of your models to show it above." }
            </p>
            <ChartFrame title="Safe@1 against Think@1: your models and the published ones">
                <ScatterPlot points={(*points).clone()} title="Safe@1 against Think@1 of your models and the 23 published models"
                    text_scale={props.text_scale} {on_select} />
            </ChartFrame>
        </section>
    }
}
