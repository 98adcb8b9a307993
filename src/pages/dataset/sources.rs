//! Loading controls and the status of the latest load.

use crate::components::file_drop::FileDrop;
use crate::components::notice::{Notice, NoticeKind};
use crate::components::problem_list::{problem_list, ProblemListProps};
use crate::hooks::{use_app_state, use_dataset_loader};
use crate::state::dataset::{DatasetAction, LoadError, LoadStatus, OFFICIAL_DATASET_URL};
use crate::state::Action;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[function_component(Sources)]
pub fn sources() -> Html {
    let state = use_app_state();
    let loader = use_dataset_loader();
    let loading = matches!(state.dataset.status, LoadStatus::Loading { .. });

    let on_url_input = {
        let dispatcher = state.dispatcher();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                dispatcher.dispatch(Action::Dataset(DatasetAction::SetUrl {
                    url: input.value(),
                }));
            }
        })
    };
    let on_load_url = {
        let loader = loader.clone();
        let url = state.dataset.url.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            loader.load_url(url.clone());
        })
    };
    let on_reset_url = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| {
            dispatcher.dispatch(Action::Dataset(DatasetAction::SetUrl {
                url: OFFICIAL_DATASET_URL.to_string(),
            }))
        })
    };
    let on_sample = {
        let loader = loader.clone();
        Callback::from(move |_: MouseEvent| loader.load_sample())
    };
    let on_file = {
        let loader = loader.clone();
        Callback::from(move |file: web_sys::File| loader.load_file(file))
    };
    let url_is_official = state.dataset.url.trim() == OFFICIAL_DATASET_URL;

    html! {
        <section class="card sources" aria-labelledby="sources-title">
            <h2 id="sources-title">{ "Load a dataset" }</h2>
            <div class="source-grid">
                <form class="source source-url" onsubmit={on_load_url}>
                    <label for="dataset-url">{ "Dataset URL (CSV or JSONL)" }</label>
                    <input id="dataset-url" type="url" value={state.dataset.url.clone()} oninput={on_url_input}
                        spellcheck="false" autocomplete="off" />
                    <div class="button-row">
                        <button type="submit" class="button-primary" disabled={loading}>
                            { if url_is_official { "Load the official BSA dataset" } else { "Load from this URL" } }
                        </button>
                        if !url_is_official {
                            <button type="button" class="button-quiet" onclick={on_reset_url}>{ "Use the official URL" }</button>
                        }
                    </div>
                    <p class="hint">{ "2,000 items, 1.6 MB, downloaded straight from GitHub by your browser." }</p>
                </form>
                <div class="source source-file">
                    <FileDrop id="dataset-file" label="Open a file from your computer" accept=".csv,.jsonl,.json,.ndjson,text/csv"
                        hint="CSV with the official columns, or JSONL with the same fields." {on_file} />
                </div>
                <div class="source source-sample">
                    <p class="source-title">{ "Built-in sample" }</p>
                    <p class="hint">{ "A few dozen made-up items in the official format, for trying the app." }</p>
                    <button type="button" onclick={on_sample} disabled={loading}>{ "Load the sample" }</button>
                </div>
            </div>
            <LoadStatusNotice />
        </section>
    }
}

/// The status of the latest load, if there is anything to say.
#[function_component(LoadStatusNotice)]
fn load_status_notice() -> Html {
    let state = use_app_state();
    let dismiss = {
        let dispatcher = state.dispatcher();
        Some(Callback::from(move |()| {
            dispatcher.dispatch(Action::Dataset(DatasetAction::Dismiss))
        }))
    };
    match &state.dataset.status {
        LoadStatus::Idle => html! {},
        LoadStatus::Loading { origin, .. } => html! {
            <Notice kind={NoticeKind::Info} title={format!("Loading {}…", origin.describe())}>
                <p>{ "The current dataset stays until the new one has been read." }</p>
            </Notice>
        },
        LoadStatus::Loaded {
            origin,
            items,
            skipped_rows,
            read_millis,
        } => {
            let timing = read_millis
                .map(|ms| format!(" Read and indexed in {ms:.0} ms."))
                .unwrap_or_default();
            let skipped = if *skipped_rows > 0 {
                format!(" {skipped_rows} rows with problems were left out.")
            } else {
                String::new()
            };
            html! {
                <Notice kind={NoticeKind::Success} title={format!("Loaded {items} items from {}.", origin.describe())} on_dismiss={dismiss}>
                    if !timing.is_empty() || !skipped.is_empty() {
                        <p>{ skipped }{ timing }</p>
                    }
                </Notice>
            }
        }
        LoadStatus::Failed { origin, error } => {
            let title = format!(
                "Could not load {}; the current dataset is unchanged.",
                origin.describe()
            );
            match error {
                LoadError::Fetch(error) => html! {
                    <Notice kind={NoticeKind::Error} {title} on_dismiss={dismiss}><p>{ error.to_string() }</p></Notice>
                },
                LoadError::File(error) => html! {
                    <Notice kind={NoticeKind::Error} {title} on_dismiss={dismiss}><p>{ error.to_string() }</p></Notice>
                },
                LoadError::Invalid(invalid) => {
                    let count = invalid.problems.len();
                    let accept = invalid.salvage.as_ref().map(|salvage| {
                        let dispatcher = state.dispatcher();
                        let onclick = Callback::from(move |_: MouseEvent| {
                            dispatcher.dispatch(Action::Dataset(DatasetAction::AcceptValidRows))
                        });
                        html! {
                            <p class="salvage">
                                <button type="button" {onclick}>
                                    { format!("Load the {} valid items anyway", salvage.data.dataset.len()) }
                                </button>
                                { format!(" ({} rows with problems will be left out)", salvage.skipped_rows) }
                            </p>
                        }
                    });
                    html! {
                        <Notice kind={NoticeKind::Error} {title} on_dismiss={dismiss}>
                            <p>{ format!("{count} {} found:", if count == 1 { "problem" } else { "problems" }) }</p>
                            { problem_list(&ProblemListProps { problems: invalid.problems.clone() }) }
                            { for accept }
                        </Notice>
                    }
                }
            }
        }
    }
}
