//! Importing results: the file picker, the scoring options, what happened to the latest file,
//! and the loaded files with a remove button per model and per file.

use crate::components::file_drop::FileDrop;
use crate::components::notice::{Notice, NoticeKind};
use crate::components::problem_list::{problem_list, ProblemListProps};
use crate::hooks::{use_app_state, use_results_import};
use crate::state::results::scoring::MAX_K;
use crate::state::results::source::ResultSource;
use crate::state::results::{ConflictChoice, ImportError, ImportStatus, ResultsAction, Shared};
use crate::state::{Action, AppDispatcher};
use bsa_core::metrics::Mode;
use wasm_bindgen::JsCast;
use yew::prelude::*;

fn input_value(event: &InputEvent) -> Option<String> {
    event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|input| input.value())
}

fn dispatch(dispatcher: &AppDispatcher, action: ResultsAction) {
    dispatcher.dispatch(Action::Results(action));
}

#[function_component(ImportPanel)]
pub fn import_panel() -> Html {
    let state = use_app_state();
    let importer = use_results_import();
    let results = &state.results;
    let options = &results.options;
    let reading = matches!(results.status, ImportStatus::Reading { .. });

    let on_file = Callback::from(move |file: web_sys::File| importer.load_file(file));
    let on_k = {
        let dispatcher = state.dispatcher();
        Callback::from(move |event: InputEvent| {
            if let Some(text) = input_value(&event) {
                dispatch(&dispatcher, ResultsAction::SetK { text });
            }
        })
    };
    let on_alpha = {
        let dispatcher = state.dispatcher();
        Callback::from(move |event: InputEvent| {
            if let Some(text) = input_value(&event) {
                dispatch(&dispatcher, ResultsAction::SetAlpha { text });
            }
        })
    };
    let on_mode = {
        let dispatcher = state.dispatcher();
        Callback::from(move |event: Event| {
            let value = event
                .target()
                .and_then(|target| target.dyn_into::<web_sys::HtmlSelectElement>().ok())
                .map(|select| select.value());
            if let Some(mode) = value.as_deref().and_then(Mode::parse) {
                dispatch(&dispatcher, ResultsAction::SetMode { mode });
            }
        })
    };
    let on_bootstrap = {
        let dispatcher = state.dispatcher();
        Callback::from(move |event: Event| {
            if let Some(input) = event
                .target()
                .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                dispatch(
                    &dispatcher,
                    ResultsAction::SetBootstrap {
                        enabled: input.checked(),
                    },
                );
            }
        })
    };
    let inferred_k = results
        .latest_scores()
        .filter(|scored| scored.k_inferred)
        .map(|scored| scored.k);
    let k_placeholder =
        inferred_k.map_or_else(|| "inferred".to_string(), |k| format!("inferred: {k}"));
    let mode_option = |mode: Mode, label: &str| {
        html! { <option value={mode.name()} selected={options.mode == mode}>{ label.to_string() }</option> }
    };

    html! {
        <section class="card results-import" aria-labelledby="results-import-title">
            <h2 id="results-import-title">{ "Load results" }</h2>
            <div class="import-grid">
                <FileDrop id="results-file" label="Open a judged CSV or a run file"
                    accept=".csv,.json,text/csv,application/json"
                    hint="The authors' judged CSV (one or many models; several files add up) or a BSA Studio run file (.json)."
                    {on_file} />
                <fieldset class="scoring-options" disabled={reading}>
                    <legend>{ "Scoring" }</legend>
                    <div class="option-fields">
                        <div class="field">
                            <label for="results-k">{ "Samples per item (k)" }</label>
                            <input id="results-k" type="text" inputmode="numeric" value={options.k_input.clone()}
                                placeholder={k_placeholder} oninput={on_k}
                                aria-invalid={options.k_error.is_some().then_some("true")} aria-describedby="results-k-help" />
                        </div>
                        <div class="field">
                            <label for="results-alpha">{ "F-score α" }</label>
                            <input id="results-alpha" type="text" inputmode="decimal" value={options.alpha_input.clone()}
                                oninput={on_alpha} aria-invalid={options.alpha_error.is_some().then_some("true")} />
                        </div>
                        <div class="field">
                            <label for="results-mode">{ "Mode" }</label>
                            <select id="results-mode" onchange={on_mode}>
                                { mode_option(Mode::Auto, "Auto") }
                                { mode_option(Mode::Official, "Official") }
                                { mode_option(Mode::Evaluated, "Evaluated") }
                            </select>
                        </div>
                        <div class="field field-check">
                            <input id="results-bootstrap" type="checkbox" checked={options.bootstrap} onchange={on_bootstrap} />
                            <label for="results-bootstrap">{ "95 % bootstrap intervals" }</label>
                        </div>
                    </div>
                    if let Some(error) = &options.k_error {
                        <p class="field-error" role="alert">{ format!("{error}; still using the previous k.") }</p>
                    }
                    if let Some(error) = &options.alpha_error {
                        <p class="field-error" role="alert">{ format!("{error}; still using α = {:.4}.", options.alpha) }</p>
                    }
                    <p id="results-k-help" class="hint">
                        { format!("k: leave empty to use the most common number of samples per item (else 1 to {MAX_K}). \
                                   Mode: official uses the authors' fixed denominators (2,000 / 600 / 1,200 / 200), evaluated divides by \
                                   what was judged, auto is official exactly when a model's results are the complete benchmark.") }
                    </p>
                </fieldset>
            </div>
            <ImportNotice />
            if !results.sources.is_empty() {
                <SourceList sources={results.sources.clone()} />
            }
        </section>
    }
}

/// What became of the latest file.
#[function_component(ImportNotice)]
fn import_notice() -> Html {
    let state = use_app_state();
    let dispatcher = state.dispatcher();
    let send = |action: ResultsAction| {
        let dispatcher = dispatcher.clone();
        Callback::from(move |_: MouseEvent| dispatch(&dispatcher, action.clone()))
    };
    let dismiss = {
        let dispatcher = dispatcher.clone();
        Some(Callback::from(move |()| {
            dispatch(&dispatcher, ResultsAction::Dismiss)
        }))
    };
    match &state.results.status {
        ImportStatus::Idle => html! {},
        ImportStatus::Reading { file_name, .. } => html! {
            <Notice kind={NoticeKind::Info} title={format!("Reading {file_name}…")}>
                <p>{ "The results loaded so far stay until this file has been read." }</p>
            </Notice>
        },
        ImportStatus::Conflict {
            read, duplicates, ..
        } => {
            let names: Vec<String> = duplicates
                .iter()
                .map(|name| format!("\"{name}\""))
                .collect();
            let one = duplicates.len() == 1;
            html! {
                <Notice kind={NoticeKind::Info} title={format!(
                    "{} already has {} loaded: {}.", read.file_name,
                    if one { "a model whose name is" } else { "models whose names are" }, names.join(", "))}>
                    <p>{ "Replace the loaded results of those models with this file's, keep both (this file's renamed), or cancel." }</p>
                    <div class="button-row">
                        <button type="button" class="button-primary conflict-replace"
                            onclick={send(ResultsAction::ResolveConflict { choice: ConflictChoice::Replace })}>
                            { if one { "Replace the loaded model" } else { "Replace the loaded models" } }
                        </button>
                        <button type="button" class="conflict-keep"
                            onclick={send(ResultsAction::ResolveConflict { choice: ConflictChoice::KeepBoth })}>
                            { "Keep both" }
                        </button>
                        <button type="button" class="button-quiet conflict-cancel"
                            onclick={send(ResultsAction::ResolveConflict { choice: ConflictChoice::Cancel })}>
                            { "Cancel this import" }
                        </button>
                    </div>
                </Notice>
            }
        }
        ImportStatus::Imported {
            file_name,
            models,
            samples,
            skipped_rows,
            read_millis,
            replaced,
        } => {
            let mut details = Vec::new();
            if !replaced.is_empty() {
                details.push(format!("Replaced the loaded {}.", replaced.join(", ")));
            }
            if *skipped_rows > 0 {
                details.push(format!("{skipped_rows} rows with problems were left out."));
            }
            if let Some(ms) = read_millis {
                details.push(format!("Read in {ms:.0} ms."));
            }
            html! {
                <Notice kind={NoticeKind::Success} on_dismiss={dismiss}
                    title={format!("Imported {} samples of {} from {file_name}: {}.",
                        super::dashboard::count(*samples), plural(models.len(), "model", "models"), name_list(models))}>
                    if !details.is_empty() { <p>{ details.join(" ") }</p> }
                </Notice>
            }
        }
        ImportStatus::Failed { file_name, error } => {
            let title = format!("Could not import {file_name}; the loaded results are unchanged.");
            match error {
                ImportError::File(error) => html! {
                    <Notice kind={NoticeKind::Error} {title} on_dismiss={dismiss}><p>{ error.to_string() }</p></Notice>
                },
                ImportError::Invalid(invalid) => {
                    let count = invalid.problems.len();
                    let accept = invalid.salvage.as_ref().map(|salvage| html! {
                        <p class="salvage">
                            <button type="button" onclick={send(ResultsAction::AcceptValidRows)}>
                                { format!("Import the {} valid samples anyway", salvage.read.samples.len()) }
                            </button>
                            { format!(" ({} with problems will be left out)", plural(salvage.skipped_rows, "row", "rows")) }
                        </p>
                    });
                    html! {
                        <Notice kind={NoticeKind::Error} {title} on_dismiss={dismiss}>
                            <p>{ format!("{} found:", plural(count, "problem", "problems")) }</p>
                            { problem_list(&ProblemListProps { problems: invalid.problems.rc().clone() }) }
                            { for accept }
                        </Notice>
                    }
                }
            }
        }
    }
}

/// Names for a sentence: all of a few, the first few of many ("a, b, c, d, e and 18 more").
fn name_list(names: &[String]) -> String {
    const SHOWN: usize = 5;
    if names.len() <= SHOWN + 1 {
        return names.join(", ");
    }
    format!(
        "{} and {} more",
        names[..SHOWN].join(", "),
        names.len() - SHOWN
    )
}

/// `1 model`, `3 models`.
pub(crate) fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

#[derive(Properties, PartialEq)]
struct SourceListProps {
    sources: Vec<Shared<ResultSource>>,
}

/// The loaded files and their models, each removable.
#[function_component(SourceList)]
fn source_list(props: &SourceListProps) -> Html {
    let dispatcher = crate::hooks::use_app_dispatcher();
    let send = |action: ResultsAction| {
        let dispatcher = dispatcher.clone();
        Callback::from(move |_: MouseEvent| dispatch(&dispatcher, action.clone()))
    };
    html! {
        <div class="source-list">
            <h3>{ "Loaded" }</h3>
            <ul>
                { for props.sources.iter().map(|source| html! {
                    <li class="loaded-source" key={source.id.0.to_string()}>
                        <div class="source-head">
                            <span class="source-name">{ source.file_name.clone() }</span>
                            <span class="badge">{ source.format.label() }</span>
                            if source.skipped_rows > 0 {
                                <span class="hint">{ format!("{} left out", plural(source.skipped_rows, "row", "rows")) }</span>
                            }
                            <button type="button" class="button-quiet remove-source"
                                onclick={send(ResultsAction::RemoveSource { id: source.id })}
                                aria-label={format!("Remove the file {} and its models", source.file_name)}>
                                { "Remove file" }
                            </button>
                        </div>
                        <ul class="source-models">
                            { for source.models.iter().map(|entry| html! {
                                <li data-model={entry.name.clone()}>
                                    <span class="model-name">{ entry.name.clone() }</span>
                                    if entry.name != entry.original {
                                        <span class="hint">{ format!(" (\"{}\" in the file)", entry.original) }</span>
                                    }
                                    <span class="hint">{ format!(" · {} samples", super::dashboard::count(entry.samples)) }</span>
                                    <button type="button" class="button-quiet remove-model"
                                        onclick={send(ResultsAction::RemoveModel { name: entry.name.clone() })}
                                        aria-label={format!("Remove the model {}", entry.name)}>
                                        { "Remove" }
                                    </button>
                                </li>
                            }) }
                        </ul>
                    </li>
                }) }
            </ul>
            if props.sources.len() > 1 {
                <button type="button" class="button-quiet" onclick={send(ResultsAction::RemoveAll)}>{ "Remove all results" }</button>
            }
        </div>
    }
}
