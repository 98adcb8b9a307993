//! The published leaderboard: 23 models, all 11 metrics, sortable, with the F-score recomputed
//! under one alpha next to the published one.

use crate::components::leaderboard_table::{leaderboard_table, LeaderboardTableProps};
use crate::components::notice::{Notice, NoticeKind};
use crate::hooks::use_app_state;
use crate::state::leaderboard::{alpha_groups, sorted_rows, LeaderboardAction, SortKey};
use crate::state::Action;
use bsa_core::leaderboard::{OFFICIAL_ALPHA, PUBLISHED_MAJORITY_ALPHA};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[function_component(LeaderboardPage)]
pub fn leaderboard_page() -> Html {
    let state = use_app_state();
    let view = &state.leaderboard;
    let rows = state.leaderboard_rows();
    let groups = alpha_groups(&view.published_rows());
    let sorted = Rc::new(sorted_rows(&rows, view.sort, view.alpha));

    let set_alpha = |text: String| {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| {
            dispatcher.dispatch(Action::Leaderboard(LeaderboardAction::SetAlpha {
                text: text.clone(),
            }))
        })
    };
    let on_alpha_input = {
        let dispatcher = state.dispatcher();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                dispatcher.dispatch(Action::Leaderboard(LeaderboardAction::SetAlpha {
                    text: input.value(),
                }));
            }
        })
    };
    let on_sort = {
        let dispatcher = state.dispatcher();
        Callback::from(move |key: SortKey| {
            dispatcher.dispatch(Action::Leaderboard(LeaderboardAction::SortBy { key }))
        })
    };
    let load_problem = view.published.as_ref().as_ref().err().map(|problem| {
        html! {
            <Notice kind={NoticeKind::Error} title="The published figures shipped with this build could not be read.">
                <p>{ problem.to_string() }</p>
            </Notice>
        }
    });
    let group_text: Vec<String> = groups
        .iter()
        .map(|(alpha, models)| {
            if models.len() <= 3 {
                format!(
                    "{} {} ({}) fit α = {alpha:.3}",
                    models.len(),
                    if models.len() == 1 { "row" } else { "rows" },
                    models.join(", ")
                )
            } else {
                format!("{} rows fit α = {alpha:.3}", models.len())
            }
        })
        .collect();

    html! {
        <>
            <h1>{ "Leaderboard" }</h1>
            <p class="lead">
                { format!("The published BSA results of {} models, in percent, as given on the paper's project page. ", rows.iter().filter(|row| row.origin == crate::state::leaderboard::RowOrigin::Published).count()) }
                { "Click a column header to sort; open and closed models are marked in the Access column." }
            </p>
            { for load_problem }
            <section class="card alpha-controls" aria-labelledby="alpha-title">
                <h2 id="alpha-title">{ "F-score exponent" }</h2>
                <div class="field-inline">
                    <label for="alpha-input">{ "Alpha for the recomputed F-score (0 to 1)" }</label>
                    <input id="alpha-input" type="text" inputmode="decimal" value={view.alpha_input.clone()}
                        oninput={on_alpha_input} aria-invalid={view.alpha_error.is_some().then_some("true")}
                        aria-describedby="alpha-help" />
                    <button type="button" onclick={set_alpha(OFFICIAL_ALPHA.to_string())}>{ "Official code (0.7639)" }</button>
                    <button type="button" onclick={set_alpha(format!("{PUBLISHED_MAJORITY_ALPHA:.3}"))}>{ "Most published rows (0.610)" }</button>
                </div>
                if let Some(error) = &view.alpha_error {
                    <p class="field-error" role="alert">{ format!("{error}; still using {:.4}.", view.alpha) }</p>
                }
                <p id="alpha-help" class="hint">
                    { "F = Think@1^α × Safe@1^(1−α). The table shows the published F-score, the one recomputed with this α, \
                       and the α that reproduces the published value." }
                </p>
            </section>
            { leaderboard_table(&LeaderboardTableProps { rows: sorted, sort: view.sort, alpha: view.alpha, on_sort }) }
            <section class="card explainer" aria-labelledby="why-title">
                <h2 id="why-title">{ "Why two F-scores?" }</h2>
                <p>
                    { "The F-score is a weighted geometric mean of Think@1 (did the reasoning name the risk?) and Safe@1 \
                       (was the answer safe?). The authors' scoring code weights Think@1 with α = 0.7639. Solving the formula \
                       for α row by row shows that the published table does not use one weight: " }
                    { group_text.join("; ") }
                    { ". A model's published F-score therefore depends on which of the two formulas its row went through, \
                       and the ranking by that column mixes both. The recomputed column puts every model under the same α; \
                       Safe@1, Think@1 and the per-scenario figures are not affected." }
                </p>
            </section>
        </>
    }
}
