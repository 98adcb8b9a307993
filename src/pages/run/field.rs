//! The form's field pieces: a labelled text input or text area with its problems shown under it
//! (linked with `aria-describedby`, `aria-invalid` set), and the messages alone for controls
//! that are not text.

use crate::state::run::check::FormCheck;
use crate::state::run::form::FieldId;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The id of a field's message list.
pub fn messages_id(field: FieldId) -> String {
    format!("{}-msg", field.html_id())
}

/// The errors and warnings of `field`, or nothing.
pub fn field_messages(check: &FormCheck, field: FieldId) -> Html {
    let errors: Vec<String> = check.errors_for(field).map(|p| p.message.clone()).collect();
    let warnings: Vec<String> = check
        .warnings_for(field)
        .map(|p| p.message.clone())
        .collect();
    if errors.is_empty() && warnings.is_empty() {
        return html! {};
    }
    html! {
        <ul class="field-messages" id={messages_id(field)}>
            { for errors.into_iter().map(|message| html! { <li class="field-error">{ message }</li> }) }
            { for warnings.into_iter().map(|message| html! { <li class="field-warning">{ message }</li> }) }
        </ul>
    }
}

fn has_errors(check: &FormCheck, field: FieldId) -> bool {
    check.errors_for(field).next().is_some()
}

/// The text of an input or text area that fired `event`.
pub fn event_text(event: &InputEvent) -> Option<String> {
    let target = event.target()?;
    if let Some(input) = target.dyn_ref::<web_sys::HtmlInputElement>() {
        return Some(input.value());
    }
    target
        .dyn_ref::<web_sys::HtmlTextAreaElement>()
        .map(|area| area.value())
}

/// The value of a select that fired `event`.
pub fn select_value(event: &Event) -> Option<String> {
    event
        .target()?
        .dyn_ref::<web_sys::HtmlSelectElement>()
        .map(|select| select.value())
}

/// Whether the checkbox that fired `event` is checked.
pub fn checkbox_checked(event: &Event) -> Option<bool> {
    event
        .target()?
        .dyn_ref::<web_sys::HtmlInputElement>()
        .map(|input| input.checked())
}

#[derive(Properties, PartialEq)]
pub struct TextFieldProps {
    pub field: FieldId,
    pub label: AttrValue,
    pub value: AttrValue,
    pub check: std::rc::Rc<FormCheck>,
    pub on_edit: Callback<(FieldId, String)>,
    /// `text`, `url`, `number`...
    #[prop_or(AttrValue::Static("text"))]
    pub kind: AttrValue,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub placeholder: Option<AttrValue>,
    /// `decimal`, `numeric`: the keyboard phones show.
    #[prop_or_default]
    pub inputmode: Option<AttrValue>,
    /// Rows of a text area; `None` for a one-line input.
    #[prop_or_default]
    pub rows: Option<u32>,
}

/// A labelled input (or text area) that reports every edit.
#[function_component(TextField)]
pub fn text_field(props: &TextFieldProps) -> Html {
    let id = props.field.html_id();
    let oninput = {
        let on_edit = props.on_edit.clone();
        let field = props.field;
        Callback::from(move |event: InputEvent| {
            if let Some(text) = event_text(&event) {
                on_edit.emit((field, text));
            }
        })
    };
    let invalid = has_errors(&props.check, props.field);
    let messages = field_messages(&props.check, props.field);
    let described = (invalid || props.check.warnings_for(props.field).next().is_some())
        .then(|| messages_id(props.field));
    let control = match props.rows {
        Some(rows) => html! {
            <textarea id={id.clone()} rows={rows.to_string()} value={props.value.clone()} {oninput}
                spellcheck="false" aria-invalid={invalid.then_some("true")} aria-describedby={described.clone()}
                placeholder={props.placeholder.clone()} />
        },
        None => html! {
            <input id={id.clone()} type={props.kind.clone()} value={props.value.clone()} {oninput}
                spellcheck="false" autocomplete="off" inputmode={props.inputmode.clone()}
                aria-invalid={invalid.then_some("true")} aria-describedby={described}
                placeholder={props.placeholder.clone()} />
        },
    };
    html! {
        <div class={classes!("field", invalid.then_some("field-invalid"))}>
            <label for={id}>{ props.label.clone() }</label>
            { control }
            if let Some(hint) = &props.hint {
                <p class="hint">{ hint.clone() }</p>
            }
            { messages }
        </div>
    }
}
