use crate::app::Route;
use gloo_events::EventListener;
use yew::prelude::*;

fn current_hash() -> String {
    web_sys::window()
        .and_then(|window| window.location().hash().ok())
        .unwrap_or_default()
}

/// The [`Route`] in the location hash, re-rendering the caller when the hash changes (links,
/// the back button, a typed URL).
///
/// # Example
/// ```ignore
/// let route = use_hash_route();
/// html! { <h1>{ route.title() }</h1> }
/// ```
#[hook]
pub fn use_hash_route() -> Route {
    let route = use_state(|| Route::parse(&current_hash()));
    {
        let route = route.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|window| {
                EventListener::new(&window, "hashchange", move |_| {
                    route.set(Route::parse(&current_hash()));
                })
            });
            // Dropping the listener detaches it when the component goes away.
            move || drop(listener)
        });
    }
    (*route).clone()
}

/// Goes to `route` (a hash change, so it lands in the browser history like a link click).
pub fn navigate(route: &Route) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_hash(&route.href());
    }
}
