//! The items where the reference model and one other disagree: their per-item rates of safe
//! answers (or of risk-aware reasoning) differ. Largest gap first; each item links to the item
//! browser (which then shows both models' samples) and to the dataset item.

use super::differences::signed;
use crate::app::Route;
use crate::components::pagination::{pagination, PaginationProps};
use crate::hooks::{navigate, use_app_dispatcher};
use crate::state::dataset::LoadedDataset;
use crate::state::explorer::paginate;
use crate::state::results::compare::{
    ComparePlan, CompareState, ComparisonMemo, DisagreementSide, DISAGREEMENT_PAGE_SIZE,
};
use crate::state::results::{CompareAction, ResultsAction};
use crate::state::Action;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DisagreementsProps {
    pub plan: ComparePlan,
    pub memo: ComparisonMemo,
    pub compare: CompareState,
    pub dataset: Option<LoadedDataset>,
}

#[function_component(Disagreements)]
pub fn disagreements(props: &DisagreementsProps) -> Html {
    let dispatcher = use_app_dispatcher();
    let plan = &props.plan;
    let Some(focus) = plan.focus.clone() else {
        return html! {
            <section class="card compare-disagreements">
                <h2>{ "Items where they disagree" }</h2>
                <p>{ "Choose a model to compare with above." }</p>
            </section>
        };
    };
    let on_focus = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event
                .target()
                .and_then(|target| target.dyn_into::<web_sys::HtmlSelectElement>().ok())
            {
                dispatcher.dispatch(Action::Results(ResultsAction::Compare(
                    CompareAction::SetFocus {
                        name: select.value(),
                    },
                )));
            }
        })
    };
    let side_button = |side: DisagreementSide| {
        let dispatcher = dispatcher.clone();
        let pressed = props.compare.side == side;
        let onclick = Callback::from(move |_: MouseEvent| {
            dispatcher.dispatch(Action::Results(ResultsAction::Compare(
                CompareAction::SetSide { side },
            )))
        });
        html! {
            <button type="button" class="segment" aria-pressed={if pressed { "true" } else { "false" }} {onclick}>
                { side.label() }
            </button>
        }
    };
    let on_page = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |page: usize| {
            dispatcher.dispatch(Action::Results(ResultsAction::Compare(
                CompareAction::SetPage { page },
            )))
        })
    };

    let header = html! {
        <div class="disagreement-controls">
            <div class="field-inline">
                <label for="compare-focus">{ format!("{} against", plan.reference) }</label>
                <select id="compare-focus" onchange={on_focus}>
                    { for plan.others.iter().map(|name| html! {
                        <option value={name.clone()} selected={*name == focus}>{ name.clone() }</option>
                    }) }
                </select>
            </div>
            <div class="segmented" role="group" aria-label="Compare per-item rates of">
                { side_button(DisagreementSide::Answers) }
                { side_button(DisagreementSide::Reasoning) }
            </div>
        </div>
    };
    let Some(comparison) = props.memo.get(&plan.reference, &focus) else {
        return html! {
            <section class="card compare-disagreements" aria-labelledby="disagreements-title">
                <h2 id="disagreements-title">{ "Items where they disagree" }</h2>
                { header }
                <p role="status">{ "Comparing…" }</p>
            </section>
        };
    };
    let list = match props.compare.side {
        DisagreementSide::Answers => &comparison.answer_disagreements,
        DisagreementSide::Reasoning => &comparison.reasoning_disagreements,
    };
    let page = paginate(list.len(), props.compare.page, DISAGREEMENT_PAGE_SIZE);
    let dataset = props.dataset.as_ref().map(|loaded| &loaded.data.dataset);
    let rows = list[page.start..page.end].iter().map(|entry| {
        let item = dataset.and_then(|dataset| dataset.get(&entry.item));
        let categories = item.map_or_else(
            || "not in the loaded dataset".to_string(),
            |item| item.primary_categories().collect::<Vec<_>>().join(", "),
        );
        let show = {
            let (dispatcher, reference, id) = (dispatcher.clone(), plan.reference.clone(), entry.item.clone());
            Callback::from(move |_: MouseEvent| {
                dispatcher.dispatch(Action::Results(ResultsAction::ShowItem {
                    model: Some(reference.clone()),
                    item: id.clone(),
                }));
                navigate(&Route::Results);
            })
        };
        html! {
            <tr key={entry.item.clone()} data-item={entry.item.clone()}>
                <td class="item-id">
                    <button type="button" class="link show-item" onclick={show}
                        title="Show this item in the item browser of the Results page, with both models' samples">
                        { crate::components::item_table::preview(&entry.item, 10) }
                    </button>
                    if item.is_some() {
                        { " " }
                        <a class="dataset-link" href={Route::DatasetItem { id: entry.item.clone() }.href()}
                           aria-label={format!("Dataset item {}", entry.item)}>{ "item" }</a>
                    }
                </td>
                <td>{ entry.scenario.abbreviation() }</td>
                <td class="item-categories">{ categories }</td>
                <td class="num">{ format!("{:.0} %", entry.a_rate) }</td>
                <td class="num">{ format!("{:.0} %", entry.b_rate) }</td>
                <td class="num">{ signed(Some(entry.a_rate - entry.b_rate)) }</td>
            </tr>
        }
    });
    let side = props.compare.side.label();
    html! {
        <section class="card compare-disagreements" aria-labelledby="disagreements-title">
            <h2 id="disagreements-title">{ "Items where they disagree" }</h2>
            { header }
            <p class="result-count" data-count={list.len().to_string()}>
                { format!("{} of {} common items: the share of {side} differs between {} and {focus}.",
                    list.len(), comparison.common_items, plan.reference) }
            </p>
            if list.is_empty() {
                <div class="empty-state"><p class="empty-title">{ "They agree on every common item." }</p></div>
            } else {
                <div class="table-scroll">
                    <table class="disagreement-table">
                        <caption class="visually-hidden">{ format!("Items where the share of {side} differs, largest difference first") }</caption>
                        <thead>
                            <tr>
                                <th scope="col">{ "Item" }</th>
                                <th scope="col">{ "Scenario" }</th>
                                <th scope="col">{ "Primary categories" }</th>
                                <th scope="col" class="num">{ format!("A: {}", plan.reference) }</th>
                                <th scope="col" class="num">{ format!("B: {focus}") }</th>
                                <th scope="col" class="num">{ "A − B (points)" }</th>
                            </tr>
                        </thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
                { pagination(&PaginationProps { page, total: list.len(), on_page }) }
            }
        </section>
    }
}
