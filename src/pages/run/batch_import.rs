//! Import of the authors' batch-runner output (`id,question,answer,reasoning_content,...`, one
//! file per model and pass): the files become a run whose answers are already there, judged by
//! the judge configured above, stored and resumable like any run.

use crate::components::problem_list::{problem_list, ProblemListProps};
use crate::hooks::{use_app_state, use_run_manager};
use crate::state::run::check::FormCheck;
use crate::state::run::ImportStatus;
use bsa_core::sort;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct BatchImportProps {
    pub check: Rc<FormCheck>,
}

#[function_component(BatchImportPanel)]
pub fn batch_import_panel(props: &BatchImportProps) -> Html {
    let state = use_app_state();
    let manager = use_run_manager();
    let files = use_state(Vec::<web_sys::File>::new);
    let label = use_state(String::new);
    let on_files = {
        let files = files.clone();
        Callback::from(move |event: Event| {
            let Some(input) = event
                .target()
                .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let mut picked = Vec::new();
            if let Some(list) = input.files() {
                for index in 0..list.length() {
                    if let Some(file) = list.get(index) {
                        picked.push(file);
                    }
                }
            }
            // Pass order is file-name order (`model_1.csv`, `model_2.csv`, ...).
            sort::sort_by_key(&mut picked, |file| file.name());
            files.set(picked);
        })
    };
    let on_label = {
        let label = label.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(text) = super::field::event_text(&event) {
                label.set(text);
            }
        })
    };
    let dataset = state.dataset.current.clone();
    let on_import = {
        let manager = manager.clone();
        let files = files.clone();
        let label = label.clone();
        let form = state.run.form.clone();
        let check = props.check.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(dataset) = &dataset {
                manager.import((*files).clone(), (*label).clone(), &form, &check, dataset);
            }
        })
    };
    let status = match &state.run.import {
        ImportStatus::Idle => html! {},
        ImportStatus::Reading => {
            html! { <p class="hint" role="status">{ "Reading the files…" }</p> }
        }
        ImportStatus::Failed(message) => {
            html! { <p class="field-error" role="alert">{ message.clone() }</p> }
        }
        ImportStatus::Problems(problems) => html! {
            <div class="notice notice-error" role="alert">
                <div class="notice-body">
                    <p class="notice-title">{ format!("Nothing was imported: {} problem(s) in the files.", problems.len()) }</p>
                    { problem_list(&ProblemListProps { problems: problems.clone() }) }
                </div>
            </div>
        },
        ImportStatus::Imported { samples, .. } => html! {
            <p class="notice notice-success" role="status" data-imported={samples.to_string()}>
                { format!("Imported {samples} answers; the judges are at work (see the run above).") }
            </p>
        },
    };
    let ready = !files.is_empty() && props.check.is_valid() && state.dataset.current.is_some();
    html! {
        <section class="card batch-import" aria-labelledby="import-title">
            <h2 id="import-title">{ "Judge answers generated elsewhere" }</h2>
            <p class="hint">
                { "The authors' batch runner writes one CSV per model and pass (columns id, question, answer, reasoning_content, status, tokens, error). \
                   Pick a model's files: file 1 (by name) is sample 1, and so on. They are judged by the judge configured in the form, with its prompts and limits." }
            </p>
            <div class="field">
                <label for="import-files">{ "Batch-runner CSV files" }</label>
                <input id="import-files" type="file" multiple=true accept=".csv,text/csv" onchange={on_files} />
            </div>
            if !files.is_empty() {
                <ol class="file-order">
                    { for files.iter().map(|file| html! { <li>{ file.name() }</li> }) }
                </ol>
            }
            <div class="field">
                <label for="import-label">{ "Model name for these answers" }</label>
                <input id="import-label" type="text" value={(*label).clone()} oninput={on_label} placeholder="the first file's name" />
            </div>
            <div class="button-row">
                <button type="button" id="import-start" onclick={on_import} disabled={!ready}>{ "Import and judge" }</button>
            </div>
            if !props.check.is_valid() {
                <p class="hint">{ "The judge configuration above must be valid first." }</p>
            }
            { status }
        </section>
    }
}
