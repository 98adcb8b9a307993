//! The fields of one endpoint (model under test, judge, second judge): provider preset, base
//! URL, model name, API key with "remember" and "forget", extra headers, and prices.

use super::field::{checkbox_checked, field_messages, select_value, TextField};
use crate::state::run::check::FormCheck;
use crate::state::run::endpoint::{EndpointForm, EndpointRole};
use crate::state::run::form::FieldId;
use bsa_core::provider::{KeyRequirement, PresetId, WireFormat};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EndpointFieldsProps {
    pub role: EndpointRole,
    pub endpoint: EndpointForm,
    pub check: Rc<FormCheck>,
    pub on_edit: Callback<(FieldId, String)>,
    pub on_preset: Callback<PresetId>,
    pub on_wire: Callback<WireFormat>,
    pub on_key: Callback<String>,
    pub on_remember: Callback<bool>,
    pub on_forget: Callback<()>,
}

pub fn endpoint_fields(props: &EndpointFieldsProps) -> Html {
    let role = props.role;
    let endpoint = &props.endpoint;
    let preset = endpoint.preset.preset();
    let on_preset = {
        let on_preset = props.on_preset.clone();
        Callback::from(move |event: Event| {
            if let Some(preset) = select_value(&event).as_deref().and_then(PresetId::parse) {
                on_preset.emit(preset);
            }
        })
    };
    let on_wire = {
        let on_wire = props.on_wire.clone();
        Callback::from(move |event: Event| {
            let wire = match select_value(&event).as_deref() {
                Some("anthropic") => WireFormat::AnthropicMessages,
                _ => WireFormat::OpenAiChat,
            };
            on_wire.emit(wire);
        })
    };
    let on_key = {
        let on_key = props.on_key.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(text) = super::field::event_text(&event) {
                on_key.emit(text);
            }
        })
    };
    let on_remember = {
        let on_remember = props.on_remember.clone();
        Callback::from(move |event: Event| {
            if let Some(on) = checkbox_checked(&event) {
                on_remember.emit(on);
            }
        })
    };
    let on_forget = {
        let on_forget = props.on_forget.clone();
        Callback::from(move |_: MouseEvent| on_forget.emit(()))
    };
    let preset_id = FieldId::Preset(role).html_id();
    let key_id = FieldId::Key(role).html_id();
    let remember_id = format!("{key_id}-remember");
    let key_need = match preset.key {
        KeyRequirement::Required => "required",
        KeyRequirement::Optional => "optional for this server",
    };
    let key_invalid = props.check.errors_for(FieldId::Key(role)).next().is_some();
    let options = PresetId::ALL.iter().map(|id| {
        html! {
            <option value={id.as_str()} selected={*id == endpoint.preset}>{ id.preset().display_name }</option>
        }
    });
    html! {
        <div class="endpoint-fields" data-role={role.id()}>
            <div class="field">
                <label for={preset_id.clone()}>{ "Provider" }</label>
                <select id={preset_id} onchange={on_preset}>{ for options }</select>
                <p class="hint">{ preset.note }</p>
                if preset.simulated {
                    <p class="badge badge-simulated">{ "Simulated: answers come from the local bsa-sim server, not a real model." }</p>
                }
            </div>
            if endpoint.preset == PresetId::Simulator {
                <div class="field">
                    <label for={format!("run-{}-wire", role.id())}>{ "Wire format" }</label>
                    <select id={format!("run-{}-wire", role.id())} onchange={on_wire}>
                        <option value="openai" selected={endpoint.wire == WireFormat::OpenAiChat}>{ WireFormat::OpenAiChat.name() }</option>
                        <option value="anthropic" selected={endpoint.wire == WireFormat::AnthropicMessages}>{ WireFormat::AnthropicMessages.name() }</option>
                    </select>
                </div>
            }
            <TextField field={FieldId::BaseUrl(role)} label="Base URL" kind="url" value={endpoint.base_url.clone()}
                check={props.check.clone()} on_edit={props.on_edit.clone()}
                hint={AttrValue::from(format!("The preset's address is {}; change it for a gateway or another port.", if preset.default_base_url.is_empty() { "(none)" } else { preset.default_base_url }))} />
            <TextField field={FieldId::ModelName(role)} label="Model name" value={endpoint.model.clone()}
                check={props.check.clone()} on_edit={props.on_edit.clone()} />
            <div class={classes!("field", key_invalid.then_some("field-invalid"))}>
                <label for={key_id.clone()}>{ format!("API key ({key_need})") }</label>
                <input id={key_id} type="password" autocomplete="off" spellcheck="false"
                    value={endpoint.key.as_ref().map(|key| key.expose().to_string()).unwrap_or_default()}
                    oninput={on_key} aria-invalid={key_invalid.then_some("true")} />
                <div class="key-options">
                    <input id={remember_id.clone()} type="checkbox" checked={endpoint.remember_key} onchange={on_remember} />
                    <label for={remember_id}>{ "Remember key on this device" }</label>
                    if endpoint.remember_key {
                        <button type="button" class="button-quiet" onclick={on_forget}>{ "Forget the remembered key" }</button>
                    }
                </div>
                <p class="hint">{ "Sent only to this provider, from your browser. Kept in memory unless you tick \"remember\" (then in this browser's local storage, apart from everything else); never in run files, exports or the address bar." }</p>
                { field_messages(&props.check, FieldId::Key(role)) }
            </div>
            <TextField field={FieldId::Headers(role)} label="Extra headers (Name: value, one per line)" rows={2}
                value={endpoint.extra_headers.clone()} check={props.check.clone()} on_edit={props.on_edit.clone()}
                hint="For gateways that need them (e.g. X-Title for OpenRouter). Keys go in the key field, not here." />
            <div class="field-pair">
                <TextField field={FieldId::PriceInput(role)} label="Input price (USD per million tokens)" inputmode="decimal"
                    value={endpoint.price_input.clone()} check={props.check.clone()} on_edit={props.on_edit.clone()} placeholder="unknown" />
                <TextField field={FieldId::PriceOutput(role)} label="Output price (USD per million tokens)" inputmode="decimal"
                    value={endpoint.price_output.clone()} check={props.check.clone()} on_edit={props.on_edit.clone()} placeholder="unknown" />
            </div>
        </div>
    }
}
