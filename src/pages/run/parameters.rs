//! The model's sampling and reasoning parameters, and the live parameter report: what the
//! provider's rules will send, adjust, drop or know to be ignored, and why.

use super::field::{checkbox_checked, field_messages, select_value, TextField};
use crate::state::run::check::FormCheck;
use crate::state::run::endpoint::EndpointRole;
use crate::state::run::form::{FieldId, ParametersForm, ReasoningChoice};
use bsa_core::provider::{ParameterOutcome, ParameterReport};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ParameterFieldsProps {
    pub parameters: ParametersForm,
    pub check: Rc<FormCheck>,
    pub on_edit: Callback<(FieldId, String)>,
    pub on_reasoning: Callback<ReasoningChoice>,
    pub on_stream: Callback<bool>,
}

pub fn parameter_fields(props: &ParameterFieldsProps) -> Html {
    let parameters = &props.parameters;
    let on_reasoning = {
        let on_reasoning = props.on_reasoning.clone();
        Callback::from(move |event: Event| {
            if let Some(choice) = select_value(&event)
                .as_deref()
                .and_then(ReasoningChoice::parse)
            {
                on_reasoning.emit(choice);
            }
        })
    };
    let on_stream = {
        let on_stream = props.on_stream.clone();
        Callback::from(move |event: Event| {
            if let Some(on) = checkbox_checked(&event) {
                on_stream.emit(on);
            }
        })
    };
    let reasoning_id = FieldId::Reasoning.html_id();
    let options = ReasoningChoice::ALL.iter().map(|choice| {
        html! { <option value={choice.key()} selected={*choice == parameters.reasoning}>{ choice.label() }</option> }
    });
    html! {
        <div class="parameter-fields">
            <div class="field-pair">
                <TextField field={FieldId::Temperature} label="Temperature" inputmode="decimal" placeholder="provider default"
                    value={parameters.temperature.clone()} check={props.check.clone()} on_edit={props.on_edit.clone()} />
                <TextField field={FieldId::TopP} label="top_p" inputmode="decimal" placeholder="provider default"
                    value={parameters.top_p.clone()} check={props.check.clone()} on_edit={props.on_edit.clone()} />
                <TextField field={FieldId::MaxTokens} label="Max tokens (reasoning included)" inputmode="numeric" placeholder="provider default"
                    value={parameters.max_tokens.clone()} check={props.check.clone()} on_edit={props.on_edit.clone()} />
            </div>
            <div class="field-pair">
                <div class="field">
                    <label for={reasoning_id.clone()}>{ "Reasoning effort / thinking budget" }</label>
                    <select id={reasoning_id} onchange={on_reasoning}>{ for options }</select>
                    { field_messages(&props.check, FieldId::Reasoning) }
                </div>
                if parameters.reasoning == ReasoningChoice::Budget {
                    <TextField field={FieldId::ReasoningBudget} label="Thinking budget (tokens)" inputmode="numeric"
                        value={parameters.budget.clone()} check={props.check.clone()} on_edit={props.on_edit.clone()} />
                }
                <div class="field field-check">
                    <input id="run-stream" type="checkbox" checked={parameters.stream} onchange={on_stream} />
                    <label for="run-stream">{ "Stream the answer (server-sent events)" }</label>
                </div>
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ParameterReportViewProps {
    pub role: EndpointRole,
    /// `None` while the endpoint's configuration has problems.
    pub report: Option<ParameterReport>,
}

fn outcome_word(outcome: ParameterOutcome) -> &'static str {
    match outcome {
        ParameterOutcome::Sent => "sent",
        ParameterOutcome::Adjusted => "adjusted",
        ParameterOutcome::Dropped => "dropped",
        ParameterOutcome::Ignored => "ignored",
    }
}

/// What the provider's rules make of the parameters, one line per decision.
pub fn parameter_report_view(props: &ParameterReportViewProps) -> Html {
    let Some(report) = &props.report else {
        return html! {
            <p class="hint parameter-report" data-parameter-report={props.role.id()} data-state="invalid">
                { "Fix the marked fields to see what will be sent." }
            </p>
        };
    };
    let rows = report.entries.iter().map(|entry| {
        let word = outcome_word(entry.outcome);
        let value = |value: &Option<serde_json::Value>| value.as_ref().map_or_else(|| "–".to_string(), ToString::to_string);
        html! {
            <tr data-parameter={entry.parameter.name()} data-outcome={word}>
                <th scope="row">{ entry.parameter.name() }</th>
                <td><span class={classes!("outcome", format!("outcome-{word}"))}>{ word }</span></td>
                <td><code>{ entry.field.clone().unwrap_or_else(|| "–".into()) }</code></td>
                <td>{ value(&entry.requested) }</td>
                <td>{ value(&entry.sent) }</td>
                <td>{ entry.reason.clone().unwrap_or_default() }</td>
            </tr>
        }
    });
    html! {
        <div class="parameter-report" data-parameter-report={props.role.id()} data-state="ready">
            if report.entries.is_empty() {
                <p class="hint">{ "Nothing is set: the provider's defaults apply." }</p>
            } else {
                <table class="report-table">
                    <caption>{ format!("What the {} will be sent", props.role.label()) }</caption>
                    <thead><tr>
                        <th scope="col">{ "parameter" }</th><th scope="col">{ "outcome" }</th><th scope="col">{ "field" }</th>
                        <th scope="col">{ "asked" }</th><th scope="col">{ "sent" }</th><th scope="col">{ "why" }</th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            }
            if !report.warnings.is_empty() {
                <ul class="field-messages">
                    { for report.warnings.iter().map(|warning| html! { <li class="field-warning">{ warning.clone() }</li> }) }
                </ul>
            }
        </div>
    }
}
