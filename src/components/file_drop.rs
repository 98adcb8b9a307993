//! A file picker that also accepts a file dropped on it.
//!
//! The `<input type="file">` stays a real, labelled, keyboard-reachable control; the drop zone
//! around it is an extra for mouse users.

use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FileDropProps {
    /// The input's id (its `<label for>`).
    pub id: AttrValue,
    /// The visible label.
    pub label: AttrValue,
    /// The `accept` attribute, e.g. `.csv,.jsonl`.
    pub accept: AttrValue,
    /// A line under the label, e.g. which formats are read.
    #[prop_or_default]
    pub hint: AttrValue,
    pub on_file: Callback<web_sys::File>,
}

#[function_component(FileDrop)]
pub fn file_drop(props: &FileDropProps) -> Html {
    let dragging = use_state(|| false);

    let onchange = {
        let on_file = props.on_file.clone();
        Callback::from(move |event: Event| {
            let Some(input) = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                on_file.emit(file);
            }
            // Cleared so that choosing the same file again (after fixing it) fires again.
            input.set_value("");
        })
    };
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |event: DragEvent| {
            // Without this the browser opens the dropped file in the tab.
            event.prevent_default();
            if !*dragging {
                dragging.set(true);
            }
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let ondrop = {
        let dragging = dragging.clone();
        let on_file = props.on_file.clone();
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            dragging.set(false);
            let file = event
                .data_transfer()
                .and_then(|transfer| transfer.files())
                .and_then(|files| files.get(0));
            if let Some(file) = file {
                on_file.emit(file);
            }
        })
    };

    html! {
        <div class={classes!("file-drop", dragging.then_some("dragging"))} {ondragover} {ondragleave} {ondrop}>
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            if !props.hint.is_empty() {
                <p class="hint">{ props.hint.clone() }</p>
            }
            <input id={props.id.clone()} type="file" accept={props.accept.clone()} {onchange} />
            <p class="hint" aria-hidden="true">{ "or drop a file here" }</p>
        </div>
    }
}
