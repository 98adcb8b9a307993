//! The app shell's stand-in for the pages it has not got (Run, Results, Compare): it loads the
//! full app, which then takes over the page with the shell's state (`services::full_app`).
//!
//! The hand-over waits while a dataset is being loaded, so that the load is not lost; a module
//! that does not load is reported with a retry button, and the shell stays usable meanwhile.

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
    {
        let state = state.clone();
        use_effect_with(
            (*loaded, dataset_loading),
            move |(loaded, dataset_loading)| {
                if *loaded && !*dataset_loading {
                    let handover = Handover::of(&state);
                    // After this render is done: the shell unmounts itself there.
                    spawn_local(async move { full_app::take_over_from_shell(&handover) });
                }
            },
        );
    }
    let retry = {
        let attempt = attempt.clone();
        let error = error.clone();
        Callback::from(move |_: MouseEvent| {
            error.set(None);
            attempt.set(*attempt + 1);
        })
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
            } else {
                <p class="hint" role="status">{ status }</p>
            }
        </section>
    }
}
