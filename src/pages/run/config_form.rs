//! The new-run form: model under test and its parameters, items and k, system prompt, judge and
//! its prompts, the optional second judge, limits, the estimate with prices and spend cap, and
//! the start button with every problem listed.

use super::endpoint_fields::{endpoint_fields, EndpointFieldsProps};
use super::estimate::{estimate_panel, EstimatePanelProps};
use super::field::{checkbox_checked, field_messages, TextField};
use super::judge_prompts::{judge_prompts, JudgePromptsProps};
use super::parameters::{
    parameter_fields, parameter_report_view, ParameterFieldsProps, ParameterReportViewProps,
};
use crate::hooks::use_run_manager;
use crate::state::dataset::LoadedDataset;
use crate::state::run::check::FormCheck;
use crate::state::run::endpoint::EndpointRole;
use crate::state::run::form::{
    FieldId, FormEdit, RunForm, SubsetChoice, SystemChoice, TemplateSources,
};
use crate::state::run::PromptFetch;
use bsa_core::prompt::{JudgePromptSet, SAFETY_RULES};
use bsa_core::run::RunEstimate;
use bsa_core::scenario::Scenario;
use std::rc::Rc;
use yew::prelude::*;

/// Everything the form shows, as props rather than the app-state context: the form then
/// re-renders only when one of these changes, not on every progress update of a running run.
#[derive(Properties, PartialEq)]
pub struct RunConfigFormProps {
    pub form: Rc<RunForm>,
    pub check: Rc<FormCheck>,
    pub prompts: PromptFetch,
    /// Runs can be stored (IndexedDB works).
    pub store_ok: bool,
    pub dataset: Option<LoadedDataset>,
}

/// Moves the focus to a field (the problem list's links: the URL hash holds the route, so an
/// in-page `#id` link would navigate away).
fn focus_field(id: &str) {
    if let Some(element) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id(id))
    {
        if let Ok(element) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(element) {
            let _ = element.focus();
        }
    }
}

#[function_component(RunConfigForm)]
pub fn run_config_form(props: &RunConfigFormProps) -> Html {
    let manager = use_run_manager();
    let form = props.form.clone();
    let check = props.check.clone();
    let dataset = props.dataset.clone();
    let estimate: Rc<Option<Rc<RunEstimate>>> = {
        let dataset = dataset.clone();
        use_memo((check.clone(), dataset), |(check, dataset)| {
            let (Some(settings), Some(loaded)) = (&check.settings, dataset) else {
                return None;
            };
            let items: Vec<_> = check
                .item_ids
                .iter()
                .filter_map(|id| loaded.data.dataset.get(id))
                .collect();
            Some(Rc::new(settings.estimate(&items)))
        })
    };

    let on_edit = {
        let manager = manager.clone();
        Callback::from(move |(field, text): (FieldId, String)| {
            manager.edit(FormEdit::Text(field, text))
        })
    };
    let endpoint = |role: EndpointRole| {
        let on_preset = {
            let manager = manager.clone();
            Callback::from(move |preset| manager.edit(FormEdit::Preset(role, preset)))
        };
        let on_wire = {
            let manager = manager.clone();
            Callback::from(move |wire| manager.edit(FormEdit::Wire(role, wire)))
        };
        let on_key = {
            let manager = manager.clone();
            let form = form.clone();
            Callback::from(move |text: String| manager.set_key(&form, role, text))
        };
        let on_remember = {
            let manager = manager.clone();
            let form = form.clone();
            Callback::from(move |on: bool| manager.remember_key(&form, role, on))
        };
        let on_forget = {
            let manager = manager.clone();
            let form = form.clone();
            Callback::from(move |()| manager.forget_key(&form, role))
        };
        html! {
            { endpoint_fields(&EndpointFieldsProps { role, endpoint: form.endpoint(role).clone(), check: check.clone(), on_edit: on_edit.clone(),
                on_preset, on_wire, on_key, on_remember, on_forget }) }
        }
    };
    let on_reasoning = {
        let manager = manager.clone();
        Callback::from(move |choice| manager.edit(FormEdit::Reasoning(choice)))
    };
    let on_stream = {
        let manager = manager.clone();
        Callback::from(move |on| manager.edit(FormEdit::Stream(on)))
    };
    let radio =
        |name: &'static str, id: String, label: &'static str, checked: bool, edit: FormEdit| {
            let manager = manager.clone();
            let onchange = Callback::from(move |_: Event| manager.edit(edit.clone()));
            html! {
                <span class="choice">
                    <input type="radio" {name} id={id.clone()} {checked} {onchange} />
                    <label for={id}>{ label }</label>
                </span>
            }
        };
    let system = form.system;
    let subset = form.subset;
    let scenario_boxes = Scenario::ALL
        .into_iter()
        .zip(form.scenarios)
        .map(|(scenario, on)| {
            let manager = manager.clone();
            let id = format!(
                "run-scenario-{}",
                scenario.name().replace(' ', "-").to_lowercase()
            );
            let onchange = Callback::from(move |event: Event| {
                if let Some(on) = checkbox_checked(&event) {
                    manager.edit(FormEdit::Scenario(scenario, on));
                }
            });
            html! {
                <span class="choice">
                    <input type="checkbox" id={id.clone()} checked={on} {onchange} />
                    <label for={id}>{ scenario.name() }</label>
                </span>
            }
        });
    let on_second_judge = {
        let manager = manager.clone();
        Callback::from(move |event: Event| {
            if let Some(on) = checkbox_checked(&event) {
                manager.edit(FormEdit::SecondJudge(on));
            }
        })
    };
    let on_defaults = {
        let manager = manager.clone();
        Callback::from(move |()| {
            manager.edit(FormEdit::Templates(TemplateSources::of(
                &JudgePromptSet::defaults(),
            )))
        })
    };
    let on_official = {
        let manager = manager.clone();
        Callback::from(move |()| manager.load_official_prompts())
    };
    let valid = check.is_valid() && props.store_ok;
    let on_start = {
        let manager = manager.clone();
        let form = form.clone();
        let check = check.clone();
        let dataset = dataset.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Some(dataset) = &dataset {
                manager.start(&form, &check, dataset);
            }
        })
    };
    let item_count = check.item_ids.len();
    let samples_text = match check.settings.as_ref() {
        Some(settings) => format!(
            "{item_count} items × k = {} → {} samples.",
            settings.k,
            item_count * usize::from(settings.k)
        ),
        None => format!("{item_count} items chosen."),
    };
    let problems = check.errors.iter().map(|problem| {
        let id = problem.field.html_id();
        let onclick = Callback::from(move |_: MouseEvent| focus_field(&id));
        html! {
            <li><button type="button" class="link-button" {onclick}>{ problem.field.label() }</button>{ format!(": {}", problem.message) }</li>
        }
    });

    html! {
        <form class="card run-form" onsubmit={on_start} aria-labelledby="run-form-title" novalidate=true>
            <h2 id="run-form-title">{ "New run" }</h2>
            <fieldset>
                <legend>{ "Model under test" }</legend>
                <TextField field={FieldId::Label} label="Run label (the model's name in results)" value={form.label.clone()}
                    check={check.clone()} on_edit={on_edit.clone()} placeholder={AttrValue::from(form.model.model.clone())} />
                { endpoint(EndpointRole::Model) }
                <h3>{ "Parameters" }</h3>
                { parameter_fields(&ParameterFieldsProps { parameters: form.parameters.clone(), check: check.clone(), on_edit: on_edit.clone(), on_reasoning, on_stream }) }
                { parameter_report_view(&ParameterReportViewProps { role: EndpointRole::Model, report: check.report(EndpointRole::Model).cloned() }) }
                <h3 id="run-system-title">{ "System prompt" }</h3>
                <div class="choices" role="radiogroup" aria-labelledby="run-system-title">
                    { radio("run-system", "run-system-none".into(), "None (the benchmark's default)", system == SystemChoice::None, FormEdit::System(SystemChoice::None)) }
                    { radio("run-system", "run-system-rules".into(), "The project's safety rules", system == SystemChoice::SafetyRules, FormEdit::System(SystemChoice::SafetyRules)) }
                    { radio("run-system", "run-system-custom".into(), "Custom", system == SystemChoice::Custom, FormEdit::System(SystemChoice::Custom)) }
                </div>
                if system == SystemChoice::SafetyRules {
                    <details class="safety-rules" open=true>
                        <summary>{ "The safety rules sent as the system message" }</summary>
                        <pre class="prompt-text">{ SAFETY_RULES }</pre>
                    </details>
                }
                if system == SystemChoice::Custom {
                    <TextField field={FieldId::SystemPrompt} label="Custom system prompt" rows={5}
                        value={form.custom_system.clone()} check={check.clone()} on_edit={on_edit.clone()} />
                }
            </fieldset>

            <fieldset>
                <legend>{ "Items and samples" }</legend>
                <div class="choices" role="radiogroup" aria-label="Items" id={FieldId::Subset.html_id()}>
                    { radio("run-subset", "run-subset-all".into(), "All items", subset == SubsetChoice::All, FormEdit::Subset(SubsetChoice::All)) }
                    { radio("run-subset", "run-subset-scenarios".into(), "The items of some scenarios", subset == SubsetChoice::Scenarios, FormEdit::Subset(SubsetChoice::Scenarios)) }
                    { radio("run-subset", "run-subset-sample".into(), "A stratified sample", subset == SubsetChoice::Sample, FormEdit::Subset(SubsetChoice::Sample)) }
                </div>
                if subset != SubsetChoice::All {
                    <div class="choices" aria-label="Scenarios">{ for scenario_boxes }</div>
                }
                if subset == SubsetChoice::Sample {
                    <div class="field-pair">
                        <TextField field={FieldId::SampleSize} label="Sample size n" inputmode="numeric"
                            value={form.sample_size.clone()} check={check.clone()} on_edit={on_edit.clone()}
                            hint="Drawn per scenario and primary category in proportion, so the mix matches the dataset." />
                        <TextField field={FieldId::Seed} label="Seed" inputmode="numeric"
                            value={form.seed.clone()} check={check.clone()} on_edit={on_edit.clone()}
                            hint="The same seed draws the same items." />
                    </div>
                }
                { field_messages(&check, FieldId::Subset) }
                <TextField field={FieldId::K} label="Samples per item (k)" inputmode="numeric"
                    value={form.k.clone()} check={check.clone()} on_edit={on_edit.clone()} />
                <p class="run-item-count" data-items={item_count.to_string()} data-available={check.available.to_string()}>
                    { samples_text }
                </p>
            </fieldset>

            <fieldset>
                <legend>{ "Judge" }</legend>
                { endpoint(EndpointRole::Judge) }
                <p class="fixed-setting" data-judge-temperature="0">{ "Temperature: 0 (fixed: a verdict should depend on the sample, not on sampling)" }</p>
                <TextField field={FieldId::JudgeMaxTokens} label="Judge max tokens" inputmode="numeric" placeholder="provider default"
                    value={form.judge_max_tokens.clone()} check={check.clone()} on_edit={on_edit.clone()} />
                { parameter_report_view(&ParameterReportViewProps { role: EndpointRole::Judge, report: check.report(EndpointRole::Judge).cloned() }) }
                <h3>{ "Judge prompts" }</h3>
                { judge_prompts(&JudgePromptsProps { templates: form.templates.clone(), check: check.clone(), fetch: props.prompts.clone(),
                    on_edit: on_edit.clone(), on_defaults, on_official }) }
            </fieldset>

            <fieldset>
                <legend>{ "Second judge (optional)" }</legend>
                <div class="field field-check">
                    <input id="run-second-judge" type="checkbox" checked={form.second_judge_enabled} onchange={on_second_judge} />
                    <label for="run-second-judge">{ "Have a second judge grade every sample too (for agreement: Cohen's kappa)" }</label>
                </div>
                if form.second_judge_enabled {
                    { endpoint(EndpointRole::SecondJudge) }
                    { parameter_report_view(&ParameterReportViewProps { role: EndpointRole::SecondJudge, report: check.report(EndpointRole::SecondJudge).cloned() }) }
                }
            </fieldset>

            <fieldset>
                <legend>{ "Limits" }</legend>
                <div class="field-pair">
                    <TextField field={FieldId::Concurrency} label="Calls at a time (per API)" inputmode="numeric"
                        value={form.concurrency.clone()} check={check.clone()} on_edit={on_edit.clone()}
                        hint="Browsers open at most 6 connections per host over HTTP/1.1." />
                    <TextField field={FieldId::RequestsPerMinute} label="Requests per minute (per API)" inputmode="numeric" placeholder="no limit"
                        value={form.requests_per_minute.clone()} check={check.clone()} on_edit={on_edit.clone()} />
                    <TextField field={FieldId::Timeout} label="Timeout per request (seconds)" inputmode="decimal"
                        value={form.timeout_s.clone()} check={check.clone()} on_edit={on_edit.clone()}
                        hint="Reasoning models can think for minutes." />
                    <TextField field={FieldId::MaxAttempts} label="Attempts per call" inputmode="numeric"
                        value={form.max_attempts.clone()} check={check.clone()} on_edit={on_edit.clone()} />
                </div>
            </fieldset>

            <fieldset>
                <legend>{ "Cost" }</legend>
                { estimate_panel(&EstimatePanelProps { form: form.clone(), check: check.clone(), estimate: (*estimate).clone(), on_edit: on_edit.clone() }) }
            </fieldset>

            if !check.errors.is_empty() {
                <div class="form-problems" role="status">
                    <p>{ format!("{} {} to fix before the run can start:", check.errors.len(), if check.errors.len() == 1 { "problem" } else { "problems" }) }</p>
                    <ul>{ for problems }</ul>
                </div>
            }
            <div class="button-row">
                <button type="submit" class="button-primary" id="run-start" disabled={!valid} data-ready={valid.to_string()}>
                    { "Start the run" }
                </button>
            </div>
        </form>
    }
}
