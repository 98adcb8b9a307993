//! BSA Studio, the web app: a thin Yew shell over `bsa-core` (to be filled by the next issues).

use yew::prelude::*;

/// The whole application.
#[function_component(App)]
pub fn app() -> Html {
    html! {
        <main>
            <h1>{ "BSA Studio" }</h1>
            <p>{ "Beyond Safe Answers: a benchmark for evaluating true risk awareness in large reasoning models." }</p>
        </main>
    }
}

/// Mounts the app on the document body.
pub fn start() {
    yew::Renderer::<App>::new().render();
}
