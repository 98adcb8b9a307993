//! The open run: what it is, where it stands (with the plain message of a stop), the keys it
//! needs to go on, the controls (pause, resume, cancel, retry failed calls), its progress and
//! live metrics, and its exports.

use super::live_metrics::{live_metrics_panel, LiveMetricsPanelProps};
use super::progress_panel::{progress_panel, ProgressPanelProps};
use super::runs_list::{resumable, status_text};
use crate::engine::export::ExportFormat;
use crate::hooks::use_run_manager;
use crate::state::run::endpoint::{KeyInput, KeySlot};
use crate::state::run::record::Lifecycle;
use crate::state::run::{EngineAttachment, LiveText, RunEntry};
use bsa_core::results::run_file::ModelSetup;
use std::collections::BTreeMap;
use yew::prelude::*;

fn describe_setup(entry: &RunEntry) -> Vec<(&'static str, String)> {
    let header = &entry.record.header;
    let model = match &header.model {
        ModelSetup::Api { config, .. } => format!(
            "{} at {} ({})",
            config.model,
            config.base_url(),
            config.preset
        ),
        ModelSetup::BatchCsv { files } => format!("answers imported from {}", files.join(", ")),
    };
    // Calls per sample: generation and two judges, two more with a second judge.
    let stages: u64 = if header.second_judge.is_some() { 5 } else { 3 };
    let items = entry.record.progress.total / stages / u64::from(header.k.max(1));
    let mut facts = vec![
        ("Model", model),
        (
            "Judge",
            format!(
                "{} at {}",
                header.judge.config.model,
                header.judge.config.base_url()
            ),
        ),
        (
            "Items",
            format!("{items} from {} (k = {})", header.dataset.source, header.k),
        ),
        ("Run id", header.id.clone()),
    ];
    if let Some(second) = &header.second_judge {
        facts.insert(
            2,
            (
                "Second judge",
                format!("{} at {}", second.config.model, second.config.base_url()),
            ),
        );
    }
    facts
}

#[derive(Properties, PartialEq)]
pub struct RunDetailsProps {
    pub entry: RunEntry,
}

#[function_component(RunDetails)]
pub fn run_details(props: &RunDetailsProps) -> Html {
    let manager = use_run_manager();
    // Keys typed for this run's endpoints, by slot: in memory, cleared when another run opens.
    let typed = use_state(BTreeMap::<KeySlot, String>::new);
    {
        let typed = typed.clone();
        use_effect_with(props.entry.id().to_string(), move |_| {
            typed.set(BTreeMap::new())
        });
    }
    let entry = &props.entry;
    let record = entry.record.clone();
    let lifecycle = &record.lifecycle;
    let active = entry.engine == EngineAttachment::Active;
    let running = *lifecycle == Lifecycle::Running && active;
    let needs_keys = match &entry.engine {
        EngineAttachment::NeedsKeys(slots) => slots.clone(),
        _ => Vec::new(),
    };
    let stopped_message = match lifecycle {
        Lifecycle::Stopped { message } => Some(message.clone()),
        _ => None,
    };
    let ask_keys = stopped_message.is_some() || !needs_keys.is_empty();

    let on_pause = {
        let manager = manager.clone();
        let run_id = record.id().to_string();
        Callback::from(move |_: MouseEvent| manager.pause(&run_id))
    };
    let on_resume = {
        let manager = manager.clone();
        let record = record.clone();
        let typed = typed.clone();
        Callback::from(move |_: MouseEvent| {
            let keys: Vec<(KeySlot, KeyInput)> = typed
                .iter()
                .filter(|(_, text)| !text.trim().is_empty())
                .map(|(slot, text)| (slot.clone(), KeyInput::new(text.clone())))
                .collect();
            manager.resume(record.clone(), keys);
        })
    };
    let on_cancel = {
        let manager = manager.clone();
        let run_id = record.id().to_string();
        Callback::from(move |_: MouseEvent| manager.cancel(&run_id))
    };
    let on_retry = {
        let manager = manager.clone();
        let record = record.clone();
        Callback::from(move |_: MouseEvent| manager.retry_failed(record.clone()))
    };
    let export = |format: ExportFormat| {
        let manager = manager.clone();
        let record = record.clone();
        Callback::from(move |_: MouseEvent| manager.export(record.clone(), format))
    };
    let on_pick = {
        let manager = manager.clone();
        let record = record.clone();
        Callback::from(move |show| manager.to_results_then(record.clone(), Some(show)))
    };
    let on_results = {
        let manager = manager.clone();
        let record = record.clone();
        Callback::from(move |_: MouseEvent| manager.to_results(record.clone()))
    };
    let on_close = {
        let manager = manager.clone();
        Callback::from(move |_: MouseEvent| manager.close_details())
    };
    let failed = entry
        .progress
        .as_ref()
        .map_or(0, |progress| progress.totals.failed);

    // One key field per distinct address the run calls.
    let mut slots: Vec<(KeySlot, String)> = Vec::new();
    for endpoint in record.endpoints() {
        match slots.iter_mut().find(|(slot, _)| *slot == endpoint.slot) {
            Some((_, roles)) => roles.push_str(&format!(", {}", endpoint.role.label())),
            None => slots.push((endpoint.slot.clone(), endpoint.role.label().to_string())),
        }
    }
    let key_fields = slots.into_iter().enumerate().map(|(index, (slot, roles))| {
        let id = format!("run-resume-key-{index}");
        let oninput = {
            let typed = typed.clone();
            let slot = slot.clone();
            Callback::from(move |event: InputEvent| {
                if let Some(text) = super::field::event_text(&event) {
                    let mut next = (*typed).clone();
                    next.insert(slot.clone(), text);
                    typed.set(next);
                }
            })
        };
        let missing = needs_keys.contains(&slot);
        html! {
            <div class="field">
                <label for={id.clone()}>{ format!("API key for the {roles} ({}){}", slot.address(), if missing { ": needed" } else { "" }) }</label>
                <input id={id} type="password" autocomplete="off" spellcheck="false" data-key-slot={slot.address().to_string()}
                    value={typed.get(&slot).cloned().unwrap_or_default()} {oninput} />
            </div>
        }
    });

    html! {
        <section class="card run-details" aria-labelledby="run-details-title" data-run-id={record.id().to_string()}
                 data-run-status={lifecycle.key()} data-engine={if active { "active" } else { "detached" }}>
            <div class="details-head">
                <h2 id="run-details-title">{ record.header.label.clone() }</h2>
                <button type="button" class="button-quiet" onclick={on_close}>{ "Close" }</button>
            </div>
            <dl class="run-facts">
                { for describe_setup(entry).into_iter().map(|(name, value)| html! { <div><dt>{ name }</dt><dd>{ value }</dd></div> }) }
                <div><dt>{ "Status" }</dt><dd class="run-status" data-status-text="">{ status_text(entry) }</dd></div>
            </dl>
            if let Some(message) = &stopped_message {
                <div class="notice notice-error" role="alert" data-stop-message="">
                    <div class="notice-body">
                        <p class="notice-title">{ "The run stopped:" }</p>
                        <p class="stop-message">{ message.clone() }</p>
                        <p>{ "Fix the cause (a key, a model name, an address) and resume: finished calls are kept and not sent again." }</p>
                    </div>
                </div>
            }
            if !needs_keys.is_empty() {
                <p class="notice notice-info" role="status">{ "This run was going when the page closed. Enter its key to resume it where it stopped." }</p>
            }
            if ask_keys {
                <div class="resume-keys">{ for key_fields }</div>
            }
            <div class="button-row run-controls">
                if running {
                    <button type="button" id="run-pause" onclick={on_pause}>{ "Pause" }</button>
                }
                if resumable(entry) {
                    <button type="button" id="run-resume" class="button-primary" onclick={on_resume}>{ "Resume" }</button>
                }
                if lifecycle.is_open() {
                    <button type="button" id="run-cancel" onclick={on_cancel}>{ "Cancel the run" }</button>
                }
                if failed > 0 && *lifecycle == Lifecycle::Finished {
                    <button type="button" id="run-retry-failed" onclick={on_retry}>{ format!("Send the {failed} failed calls again") }</button>
                }
                <button type="button" id="run-export-json" onclick={export(ExportFormat::RunFile)}>{ "Export run file (JSON)" }</button>
                <button type="button" id="run-export-csv" onclick={export(ExportFormat::JudgedCsv)}>{ "Export judged CSV" }</button>
                <button type="button" id="run-to-results" onclick={on_results}>{ "Open in Results" }</button>
            </div>
            if let Some(progress) = &entry.progress {
                { progress_panel(&ProgressPanelProps { progress: progress.clone() }) }
            }
            if let Some(live) = &entry.live_text {
                { live_text_view(live) }
            }
            if let Some(metrics) = &entry.metrics {
                { live_metrics_panel(&LiveMetricsPanelProps { metrics: metrics.clone(), on_pick: on_pick.clone() }) }
            }
            if entry.progress.is_none() && entry.metrics.is_none() {
                <p class="hint">{ "Loading this run's figures…" }</p>
            }
        </section>
    }
}

/// The answer being streamed (or the last one that was), as plain text.
fn live_text_view(live: &LiveText) -> Html {
    let shown = live.answer.chars().count();
    let cut = if live.answer_chars > shown {
        format!(" (the last {shown} shown)")
    } else {
        String::new()
    };
    html! {
        <section class="live-text" aria-labelledby="live-text-title" aria-live="off"
            data-streaming={live.streaming.to_string()} data-call={live.call.clone()}>
            <h3 id="live-text-title">{ if live.streaming { "Streaming now" } else { "Last streamed answer" } }</h3>
            <p class="hint">{ format!("{}: {} characters of answer{cut}, {} of reasoning (the trace is kept with the sample)",
                live.call, live.answer_chars, live.reasoning_chars) }</p>
            <pre class="live-answer">{ live.answer.clone() }</pre>
        </section>
    }
}
