//! The four judge templates, editable, with the core's template checks shown under each, and
//! the two presets: the project's defaults and the authors' official prompts (downloaded from
//! their public repository by the browser).

use super::field::TextField;
use crate::state::run::check::FormCheck;
use crate::state::run::form::{FieldId, TemplateSources};
use crate::state::run::PromptFetch;
use bsa_core::judge::JudgeKind;
use bsa_core::prompt::official::ATTRIBUTION;
use bsa_core::scenario::Scenario;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct JudgePromptsProps {
    pub templates: TemplateSources,
    pub check: Rc<FormCheck>,
    pub fetch: PromptFetch,
    pub on_edit: Callback<(FieldId, String)>,
    pub on_defaults: Callback<()>,
    pub on_official: Callback<()>,
}

fn title(kind: JudgeKind) -> String {
    match kind {
        JudgeKind::Answer => "Answer-safety judge ({query}, {risk_summary}, {answer})".into(),
        JudgeKind::Reasoning(scenario) => {
            format!(
                "{scenario} reasoning judge ({{query}}, {{risk_summary}}, {{reasoning_thinking}})"
            )
        }
    }
}

pub fn judge_prompts(props: &JudgePromptsProps) -> Html {
    let on_defaults = {
        let on_defaults = props.on_defaults.clone();
        Callback::from(move |_: MouseEvent| on_defaults.emit(()))
    };
    let on_official = {
        let on_official = props.on_official.clone();
        Callback::from(move |_: MouseEvent| on_official.emit(()))
    };
    let loading = props.fetch == PromptFetch::Loading;
    let status = match &props.fetch {
        PromptFetch::Idle => html! {},
        PromptFetch::Loading => {
            html! { <p class="hint" role="status">{ "Downloading the official prompts…" }</p> }
        }
        PromptFetch::Loaded => {
            html! { <p class="hint" role="status" data-prompts="official">{ format!("Official prompts loaded. {ATTRIBUTION}.") }</p> }
        }
        PromptFetch::Failed(message) => {
            html! { <p class="field-error" role="alert">{ message.clone() }</p> }
        }
    };
    let fields = JudgeKind::ALL.into_iter().map(|kind| {
        let rows = if kind == JudgeKind::Reasoning(Scenario::CognitiveShortcut) { 10 } else { 8 };
        html! {
            <TextField field={FieldId::Template(kind)} label={title(kind)} rows={rows}
                value={props.templates.get(kind).to_string()} check={props.check.clone()} on_edit={props.on_edit.clone()} />
        }
    });
    html! {
        <div class="judge-prompts">
            <p class="hint">{ "Python str.format templates: {name} is a value, {{ and }} are literal braces. Judges are asked at temperature 0." }</p>
            <div class="button-row">
                <button type="button" onclick={on_defaults}>{ "Use the project's default prompts" }</button>
                <button type="button" onclick={on_official} disabled={loading}>{ "Load the official prompts (authors' files)" }</button>
            </div>
            { status }
            { for fields }
        </div>
    }
}
