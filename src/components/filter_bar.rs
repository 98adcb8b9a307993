//! The explorer's controls: a search field and selects for scenario, primary and secondary
//! category, each with a visible label, plus the result count.

use crate::state::explorer::DatasetFilter;
use bsa_core::Scenario;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// One control changed.
#[derive(Clone, Debug, PartialEq)]
pub enum FilterChange {
    Search(String),
    Scenario(Option<Scenario>),
    Primary(Option<String>),
    Secondary(Option<String>),
    Clear,
}

#[derive(Properties, PartialEq)]
pub struct FilterBarProps {
    pub filter: DatasetFilter,
    /// Choices with item counts, in display order.
    pub scenarios: Vec<(Scenario, usize)>,
    pub primaries: Vec<(String, usize)>,
    /// Secondary categories to offer (those of the chosen primary, or all).
    pub secondaries: Vec<String>,
    /// Items passing the filter, and in the dataset.
    pub matching: usize,
    pub total: usize,
    pub on_change: Callback<FilterChange>,
}

fn select_value(event: &Event) -> Option<String> {
    let select = event
        .target()?
        .dyn_into::<web_sys::HtmlSelectElement>()
        .ok()?;
    let value = select.value();
    (!value.is_empty()).then_some(value)
}

pub fn filter_bar(props: &FilterBarProps) -> Html {
    let on_search = {
        let on_change = props.on_change.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                on_change.emit(FilterChange::Search(input.value()));
            }
        })
    };
    let on_scenario = {
        let on_change = props.on_change.clone();
        Callback::from(move |event: Event| {
            let scenario = select_value(&event).and_then(|value| Scenario::parse(&value));
            on_change.emit(FilterChange::Scenario(scenario));
        })
    };
    let on_primary = {
        let on_change = props.on_change.clone();
        Callback::from(move |event: Event| {
            on_change.emit(FilterChange::Primary(select_value(&event)))
        })
    };
    let on_secondary = {
        let on_change = props.on_change.clone();
        Callback::from(move |event: Event| {
            on_change.emit(FilterChange::Secondary(select_value(&event)))
        })
    };
    let on_clear = {
        let on_change = props.on_change.clone();
        Callback::from(move |_: MouseEvent| on_change.emit(FilterChange::Clear))
    };
    let filter = &props.filter;
    let any_label = |selected: bool, text: &'static str| html! { <option value="" {selected}>{ text }</option> };

    html! {
        <div class="filter-bar" role="search">
            <div class="field field-search">
                <label for="filter-search">{ "Search id, query and risk summary" }</label>
                <input id="filter-search" type="search" value={filter.search.clone()} oninput={on_search}
                    placeholder="e.g. password" autocomplete="off" />
            </div>
            <div class="field">
                <label for="filter-scenario">{ "Scenario" }</label>
                <select id="filter-scenario" onchange={on_scenario}>
                    { any_label(filter.scenario.is_none(), "All scenarios") }
                    { for props.scenarios.iter().map(|(scenario, count)| html! {
                        <option value={scenario.name()} selected={filter.scenario == Some(*scenario)}>
                            { format!("{} ({count})", scenario.name()) }
                        </option>
                    }) }
                </select>
            </div>
            <div class="field">
                <label for="filter-primary">{ "Primary category" }</label>
                <select id="filter-primary" onchange={on_primary}>
                    { any_label(filter.primary.is_none(), "All primary categories") }
                    { for props.primaries.iter().map(|(name, count)| html! {
                        <option value={name.clone()} selected={filter.primary.as_ref() == Some(name)}>
                            { format!("{name} ({count})") }
                        </option>
                    }) }
                </select>
            </div>
            <div class="field">
                <label for="filter-secondary">{ "Secondary category" }</label>
                <select id="filter-secondary" onchange={on_secondary}>
                    { any_label(filter.secondary.is_none(), "All secondary categories") }
                    { for props.secondaries.iter().map(|name| html! {
                        <option value={name.clone()} selected={filter.secondary.as_ref() == Some(name)}>
                            { name.clone() }
                        </option>
                    }) }
                </select>
            </div>
            <div class="filter-summary">
                <p class="result-count" aria-live="polite">
                    { format!("{} of {} items", props.matching, props.total) }
                </p>
                <button type="button" class="button-quiet" onclick={on_clear} disabled={filter.is_empty()}>
                    { "Clear filters" }
                </button>
            </div>
        </div>
    }
}
