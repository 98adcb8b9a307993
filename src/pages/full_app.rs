//! The app shell's stand-in for the pages it has not got (Run, Results, Compare): it loads the
//! full app, which then takes over the page with the shell's state (`services::full_app`).
//!
//! The hand-over waits while a dataset is being loaded, so that the load is not lost, and asks
//! first when the last load failed (its message would not survive the hand-over); a module that
//! does not load is reported with a retry button, and the shell stays usable meanwhile.

use crate::hooks::use_app_state;
use crate::services::full_app;
use crate::state::dataset::LoadStatus;
use crate::state::handover::Handover;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FullAppLoaderProps {
    /// The title of the page being opened.
    pub title: &'static str,
}

#[function_component(FullAppLoader)]
pub fn full_app_loader(props: &FullAppLoaderProps) -> Html {
    let state = use_app_state();
    let loaded = use_state(full_app::is_loaded);
    let error = use_state(|| None::<String>);
    let attempt = use_state(|| 0_u32);
    // The user saw that the last dataset load failed and goes on without it.
    let go_on = use_state(|| false);
    {
        let loaded = loaded.clone();
        let error = error.clone();
        use_effect_with(*attempt, move |attempt| {
            let attempt = *attempt;
            if !*loaded {
                spawn_local(async move {
                    match full_app::load(attempt).await {
                        Ok(()) => loaded.set(true),
                        Err(message) => error.set(Some(message)),
                    }
                });
            }
        });
    }
    let dataset_loading = matches!(state.dataset.status, LoadStatus::Loading { .. });
    let failed_load = match &state.dataset.status {
        LoadStatus::Failed { origin, .. } if !*go_on => Some(origin.describe()),
        _ => None,
    };
    let waiting = dataset_loading || failed_load.is_some();
    {
        let state = state.clone();
        use_effect_with((*loaded, waiting), move |(loaded, waiting)| {
            if *loaded && !*waiting {
                let handover = Handover::of(&state);
                // After this render is done: the shell unmounts itself there.
                spawn_local(async move { full_app::take_over_from_shell(&handover) });
            }
        });
    }
    let retry = {
        let attempt = attempt.clone();
        let error = error.clone();
        Callback::from(move |_: MouseEvent| {
            error.set(None);
            attempt.set(*attempt + 1);
        })
    };
    let on_go_on = {
        let go_on = go_on.clone();
        Callback::from(move |_: MouseEvent| go_on.set(true))
    };
    let status = match (&*error, dataset_loading) {
        (Some(_), _) => "",
        (None, true) => "Waiting for the dataset being loaded, then loading this page…",
        (None, false) => "Loading this page…",
    };
    html! {
        <section class="full-app-loader" aria-labelledby="full-app-title" aria-busy={error.is_none().to_string()}>
            <h1 id="full-app-title">{ props.title }</h1>
            if let Some(message) = &*error {
                <div class="notice notice-error" role="alert">
                    <div class="notice-body">
                        <p class="notice-title">{ "This page could not be loaded" }</p>
                        <p>{ message.clone() }</p>
                        <p>{ "The Dataset, Leaderboard and About pages still work." }</p>
                    </div>
                    <button type="button" onclick={retry}>{ "Try again" }</button>
                </div>
            } else if let Some(origin) = failed_load {
                <div class="notice notice-error failed-dataset" role="alert">
                    <div class="notice-body">
                        <p class="notice-title">{ format!("Loading {origin} failed") }</p>
                        <p>
                            { "The Dataset page says why; that message is not kept once this page opens. The dataset in use stays: " }
                            { state.dataset.current.as_ref().map(|loaded| loaded.origin.describe()).unwrap_or_else(|| "none".to_string()) }
                            { "." }
                        </p>
                        <p class="button-row">
                            <a href={crate::app::Route::Dataset.href()}>{ "Back to the Dataset page" }</a>
                            <button type="button" class="go-on" onclick={on_go_on}>{ format!("Open {} anyway", props.title) }</button>
                        </p>
                    </div>
                </div>
            } else {
                <p class="hint" role="status">{ status }</p>
            }
        </section>
    }
}
