//! Results of the user's runs: an empty state until results can be loaded.

use crate::app::Route;
use yew::prelude::*;

#[function_component(ResultsPage)]
pub fn results_page() -> Html {
    html! {
        <section class="placeholder-page" aria-labelledby="results-title">
            <h1 id="results-title">{ "Results" }</h1>
            <div class="empty-state">
                <p class="empty-title">{ "No results loaded" }</p>
                <p>
                    { "Safe@1, Safe@k, Think@1, Think@k and F-score per scenario and category will appear here \
                       once you run the benchmark or import judged results. Meanwhile the " }
                    <a href={Route::Leaderboard.href()}>{ "leaderboard" }</a>
                    { " shows the published figures." }
                </p>
            </div>
        </section>
    }
}
