//! The runs kept in this browser: status, progress, and open / resume / export / delete (with a
//! confirmation step).

use crate::engine::export::ExportFormat;
use crate::hooks::{use_app_state, use_run_manager};
use crate::state::run::record::Lifecycle;
use crate::state::run::{EngineAttachment, RunEntry, StoreStatus};
use std::rc::Rc;
use yew::prelude::*;

/// What the status column says.
pub fn status_text(entry: &RunEntry) -> String {
    match (&entry.record.lifecycle, &entry.engine) {
        (Lifecycle::Running, EngineAttachment::NeedsKeys(_)) => {
            "interrupted: enter the key to resume".into()
        }
        (Lifecycle::Running, EngineAttachment::Detached) => "interrupted".into(),
        (Lifecycle::Running, EngineAttachment::Active) => "running".into(),
        (Lifecycle::Paused { reason, .. }, _) => reason.clone(),
        (Lifecycle::Stopped { .. }, _) => "stopped".into(),
        (Lifecycle::Cancelled, _) => "cancelled".into(),
        (Lifecycle::Finished, _) => "finished".into(),
    }
}

/// Finished and planned calls: live when an engine reports, else as last stored.
pub fn done_and_total(entry: &RunEntry) -> (u64, u64) {
    match &entry.progress {
        Some(progress) => (progress.totals.finished(), progress.totals.total),
        None => (entry.record.progress.finished, entry.record.progress.total),
    }
}

/// Whether "resume" means something for this run now.
pub fn resumable(entry: &RunEntry) -> bool {
    match entry.record.lifecycle {
        Lifecycle::Running => entry.engine != EngineAttachment::Active,
        Lifecycle::Paused { .. } | Lifecycle::Stopped { .. } => true,
        Lifecycle::Cancelled | Lifecycle::Finished => false,
    }
}

#[derive(Properties, PartialEq)]
struct RunRowProps {
    entry: RunEntry,
    open: bool,
}

#[function_component(RunRow)]
fn run_row(props: &RunRowProps) -> Html {
    let manager = use_run_manager();
    let confirming = use_state(|| false);
    let entry = &props.entry;
    let record: Rc<_> = entry.record.clone();
    let (done, total) = done_and_total(entry);
    let engine = match &entry.engine {
        EngineAttachment::Detached => "detached",
        EngineAttachment::Active => "active",
        EngineAttachment::NeedsKeys(_) => "needs-keys",
    };
    let button = |label: &'static str, class: &'static str, action: Callback<MouseEvent>| {
        html! { <button type="button" class={class} onclick={action} data-action={class}>{ label }</button> }
    };
    let on_open = {
        let manager = manager.clone();
        let record = record.clone();
        Callback::from(move |_| manager.open(record.clone()))
    };
    let on_resume = {
        let manager = manager.clone();
        let record = record.clone();
        let needs_keys = matches!(entry.engine, EngineAttachment::NeedsKeys(_))
            || matches!(record.lifecycle, Lifecycle::Stopped { .. });
        Callback::from(move |_| {
            manager.open(record.clone());
            // A run waiting for a key (or stopped by a wrong one) resumes from its details,
            // where the key can be typed.
            if !needs_keys {
                manager.resume(record.clone(), Vec::new());
            }
        })
    };
    let export = |format: ExportFormat| {
        let manager = manager.clone();
        let record = record.clone();
        Callback::from(move |_| manager.export(record.clone(), format))
    };
    let on_delete = {
        let confirming = confirming.clone();
        Callback::from(move |_| confirming.set(true))
    };
    let on_keep = {
        let confirming = confirming.clone();
        Callback::from(move |_| confirming.set(false))
    };
    let on_confirm = {
        let manager = manager.clone();
        let run_id = record.id().to_string();
        Callback::from(move |_| manager.delete(run_id.clone()))
    };
    let percent = (done * 100).checked_div(total).unwrap_or(0);
    html! {
        <tr class={classes!("run-row", props.open.then_some("run-row-open"))} data-run-id={record.id().to_string()}
            data-run-status={record.lifecycle.key()} data-engine={engine} data-done={done.to_string()} data-total={total.to_string()}>
            <th scope="row">
                <span class="run-label">{ record.header.label.clone() }</span>
                if record.is_simulated() {
                    <span class="badge badge-simulated">{ "simulated" }</span>
                }
                if record.is_import() {
                    <span class="badge">{ "imported answers" }</span>
                }
            </th>
            <td>{ record.header.created.get(..16).unwrap_or(&record.header.created).replace('T', " ") }</td>
            <td class="run-status">{ status_text(entry) }</td>
            <td>
                <progress max={total.max(1).to_string()} value={done.to_string()} aria-label={format!("{done} of {total} calls")}></progress>
                <span class="num">{ format!(" {done} / {total} ({percent} %)") }</span>
            </td>
            <td class="row-actions">
                { button("Open", "run-open", on_open) }
                if resumable(entry) {
                    { button("Resume", "run-resume", on_resume) }
                }
                { button("JSON", "run-export-json", export(ExportFormat::RunFile)) }
                { button("CSV", "run-export-csv", export(ExportFormat::JudgedCsv)) }
                if *confirming {
                    <span class="confirm" role="group" aria-label="Confirm deletion">
                        { "Delete this run and all its answers? " }
                        { button("Delete", "run-delete-confirm", on_confirm) }
                        { button("Keep", "run-delete-keep", on_keep) }
                    </span>
                } else {
                    { button("Delete", "run-delete", on_delete) }
                }
            </td>
        </tr>
    }
}

#[function_component(RunsList)]
pub fn runs_list() -> Html {
    let state = use_app_state();
    let runs = &state.run.runs;
    let store_note = match &state.run.store {
        StoreStatus::Loading => {
            html! { <p class="hint" role="status">{ "Reading the runs kept in this browser…" }</p> }
        }
        StoreStatus::Unavailable(message) => {
            html! { <p class="field-error" role="alert">{ message.clone() }</p> }
        }
        StoreStatus::Ready => html! {},
    };
    html! {
        <section class="card runs-list" aria-labelledby="runs-title" data-store={match &state.run.store {
            StoreStatus::Loading => "loading", StoreStatus::Ready => "ready", StoreStatus::Unavailable(_) => "unavailable" }}>
            <h2 id="runs-title">{ "Runs in this browser" }</h2>
            { store_note }
            if runs.is_empty() {
                if state.run.store == StoreStatus::Ready {
                    <p class="hint">{ "No run yet: configure one below." }</p>
                }
            } else {
                <div class="table-scroll">
                    <table class="runs-table">
                        <thead><tr>
                            <th scope="col">{ "run" }</th><th scope="col">{ "started (UTC)" }</th><th scope="col">{ "status" }</th>
                            <th scope="col">{ "calls finished" }</th><th scope="col">{ "actions" }</th>
                        </tr></thead>
                        <tbody>
                            { for runs.iter().map(|entry| html! {
                                <RunRow key={entry.id().to_string()} entry={entry.clone()} open={state.run.open.as_deref() == Some(entry.id())} />
                            }) }
                        </tbody>
                    </table>
                </div>
            }
        </section>
    }
}
