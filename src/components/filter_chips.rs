//! The active filters as chips, each with a button that removes it: a filter set by a chart
//! click is always visible and one click away from gone.

use yew::prelude::*;

/// One active filter.
#[derive(Clone, Debug, PartialEq)]
pub struct Chip {
    /// What is removed when the chip's button is pressed (reported to `on_remove`).
    pub key: AttrValue,
    /// "Category: Rumors".
    pub label: AttrValue,
}

#[derive(Properties, PartialEq)]
pub struct FilterChipsProps {
    pub chips: Vec<Chip>,
    pub on_remove: Callback<AttrValue>,
    /// Shown before the chips.
    #[prop_or(AttrValue::Static("Filtered by"))]
    pub label: AttrValue,
}

pub fn filter_chips(props: &FilterChipsProps) -> Html {
    if props.chips.is_empty() {
        return html! {};
    }
    html! {
        <div class="filter-chips" role="group" aria-label={props.label.clone()}>
            <span class="filter-chips-label">{ format!("{}:", props.label) }</span>
            { for props.chips.iter().map(|chip| {
                let onclick = {
                    let (on_remove, key) = (props.on_remove.clone(), chip.key.clone());
                    Callback::from(move |_: MouseEvent| on_remove.emit(key.clone()))
                };
                html! {
                    <span class="filter-chip" data-chip={chip.key.clone()}>
                        { chip.label.clone() }
                        <button type="button" class="chip-remove" {onclick}
                                aria-label={format!("Remove filter {}", chip.label)} title="Remove this filter">
                            { "×" }
                        </button>
                    </span>
                }
            }) }
        </div>
    }
}
