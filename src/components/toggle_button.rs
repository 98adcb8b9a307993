//! An on/off button: a real `<button>` with `aria-pressed`, so keyboards and screen readers get
//! it for free.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ToggleButtonProps {
    /// The visible label, which names the "on" state ("Dark theme").
    pub label: AttrValue,
    pub pressed: bool,
    pub on_toggle: Callback<()>,
}

pub fn toggle_button(props: &ToggleButtonProps) -> Html {
    let on_toggle = props.on_toggle.clone();
    let onclick = Callback::from(move |_: MouseEvent| on_toggle.emit(()));
    html! {
        <button type="button" class="toggle" aria-pressed={if props.pressed { "true" } else { "false" }} {onclick}>
            <span class="toggle-track" aria-hidden="true"><span class="toggle-thumb"></span></span>
            <span class="toggle-label">{ props.label.clone() }</span>
        </button>
    }
}
