//! Side-by-side comparison of models: an empty state until results can be loaded.

use yew::prelude::*;

#[function_component(ComparePage)]
pub fn compare_page() -> Html {
    html! {
        <section class="placeholder-page" aria-labelledby="compare-title">
            <h1 id="compare-title">{ "Compare" }</h1>
            <div class="empty-state">
                <p class="empty-title">{ "No results loaded" }</p>
                <p>{ "Load results for two or more models to compare them metric by metric, with the items where they disagree." }</p>
            </div>
        </section>
    }
}
