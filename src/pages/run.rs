//! Run the benchmark: a placeholder until the run engine lands.

use yew::prelude::*;

#[function_component(RunPage)]
pub fn run_page() -> Html {
    html! {
        <section class="placeholder-page" aria-labelledby="run-title">
            <h1 id="run-title">{ "Run the benchmark: coming next" }</h1>
            <p>
                { "This page will send the dataset's queries to the model you choose, with your own API key, \
                   have a judge grade every answer and reasoning trace, and score the run here in the browser. \
                   Until then, explore the dataset and the published leaderboard." }
            </p>
        </section>
    }
}
