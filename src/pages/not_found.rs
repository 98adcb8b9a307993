//! Any address the app does not know.

use crate::app::Route;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NotFoundProps {
    /// The unknown path, shown back as text.
    pub path: AttrValue,
}

pub fn not_found_page(props: &NotFoundProps) -> Html {
    html! {
        <section aria-labelledby="not-found-title">
            <h1 id="not-found-title">{ "Page not found" }</h1>
            <p>{ "There is no page at " }<code>{ format!("#{}", props.path) }</code>{ "." }</p>
            <p><a href={Route::Dataset.href()}>{ "Go to the dataset" }</a></p>
        </section>
    }
}
