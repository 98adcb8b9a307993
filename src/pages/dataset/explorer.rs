//! The item explorer (filters, table, pages) and the full view of one item.

use crate::app::Route;
use crate::components::filter_bar::{filter_bar, FilterBarProps, FilterChange};
use crate::components::item_table::{
    item_table, preview, ItemRow, ItemTableProps, QUERY_PREVIEW_CHARS,
};
use crate::components::item_view::{item_view, ItemViewProps};
use crate::components::pagination::{pagination, PaginationProps};
use crate::hooks::{navigate, use_app_state};
use crate::state::dataset::LoadedDataset;
use crate::state::explorer::{paginate, DatasetFilter, ExplorerAction, PAGE_SIZE};
use crate::state::Action;
use std::rc::Rc;
use yew::prelude::*;

/// Positions of the items passing `filter`, recomputed only when the dataset or filter changes.
#[hook]
fn use_selection(loaded: &LoadedDataset, filter: &DatasetFilter) -> Rc<Vec<usize>> {
    use_memo((loaded.clone(), filter.clone()), |(loaded, filter)| {
        loaded.data.index.select(&loaded.data.dataset, filter)
    })
}

#[derive(Properties, PartialEq)]
pub struct ExplorerProps {
    pub loaded: LoadedDataset,
}

#[function_component(Explorer)]
pub fn explorer(props: &ExplorerProps) -> Html {
    let state = use_app_state();
    let filter = state.explorer.filter.clone();
    let loaded = &props.loaded;
    let selection = use_selection(loaded, &filter);
    let data = &loaded.data;
    let page = paginate(selection.len(), state.explorer.page, PAGE_SIZE);

    let on_change = {
        let dispatcher = state.dispatcher();
        let filter = filter.clone();
        let data = data.clone();
        Callback::from(move |change: FilterChange| {
            let next = match change {
                FilterChange::Search(search) => DatasetFilter {
                    search,
                    ..filter.clone()
                },
                FilterChange::Scenario(scenario) => DatasetFilter {
                    scenario,
                    ..filter.clone()
                },
                FilterChange::Primary(primary) => filter.with_primary(primary, &data.index),
                FilterChange::Secondary(secondary) => DatasetFilter {
                    secondary,
                    ..filter.clone()
                },
                FilterChange::Clear => DatasetFilter::default(),
            };
            dispatcher.dispatch(Action::Explorer(ExplorerAction::SetFilter { filter: next }));
        })
    };
    let section = use_node_ref();
    let on_page = {
        let dispatcher = state.dispatcher();
        let section = section.clone();
        Callback::from(move |page: usize| {
            dispatcher.dispatch(Action::Explorer(ExplorerAction::SetPage { page }));
            // The controls sit under the table: bring the new page's first rows into view.
            if let Some(element) = section.cast::<web_sys::Element>() {
                element.scroll_into_view();
            }
        })
    };
    let on_open =
        Callback::from(|id: AttrValue| navigate(&Route::DatasetItem { id: id.to_string() }));

    let secondaries: Vec<String> = match &filter.primary {
        Some(primary) => data
            .index
            .secondaries_of(primary)
            .map(String::from)
            .collect(),
        None => data
            .index
            .all_secondaries()
            .into_iter()
            .map(String::from)
            .collect(),
    };
    let items = data.dataset.items();
    let rows: Vec<ItemRow> = selection[page.start..page.end]
        .iter()
        .filter_map(|&position| items.get(position))
        .map(|item| ItemRow {
            id: AttrValue::from(item.id.clone()),
            scenario: item.scenario,
            categories: AttrValue::from(item.primary_categories().collect::<Vec<_>>().join(", ")),
            query: AttrValue::from(preview(&item.query, QUERY_PREVIEW_CHARS)),
        })
        .collect();

    html! {
        <section class="card explorer" aria-labelledby="explorer-title" ref={section}>
            <h2 id="explorer-title">{ "Items" }</h2>
            { filter_bar(&FilterBarProps { filter: filter.clone(), scenarios: data.index.scenarios.clone(), primaries: data.index.primaries.clone(),
                secondaries, matching: selection.len(), total: data.dataset.len(), on_change }) }
            if rows.is_empty() {
                <div class="empty-state"><p class="empty-title">{ "No item matches these filters." }</p></div>
            } else {
                { item_table(&ItemTableProps { caption: AttrValue::Static("Dataset items matching the filters"), rows, on_open }) }
                { pagination(&PaginationProps { page, total: selection.len(), on_page }) }
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct ItemPanelProps {
    pub id: AttrValue,
    pub loaded: LoadedDataset,
    /// The explorer's filter, for previous / next within the same list.
    pub filter: DatasetFilter,
}

/// One item in full, with links back to the list and to its neighbours in the filtered list.
#[function_component(ItemPanel)]
pub fn item_panel(props: &ItemPanelProps) -> Html {
    let selection = use_selection(&props.loaded, &props.filter);
    let dataset = &props.loaded.data.dataset;
    let heading = use_node_ref();
    {
        // Keyboard and screen-reader users land on the item, not on the removed table row.
        let heading = heading.clone();
        use_effect_with(props.id.clone(), move |_| {
            if let Some(element) = heading.cast::<web_sys::HtmlElement>() {
                let _ = element.focus();
            }
        });
    }
    let back = html! { <a class="back-link" href={Route::Dataset.href()}>{ "← All items" }</a> };
    let Some(item) = dataset.get(&props.id) else {
        return html! {
            <section aria-labelledby="item-missing-title">
                { back }
                <h1 id="item-missing-title" tabindex="-1" ref={heading}>{ "Item not found" }</h1>
                <p>{ "The current dataset has no item with id " }<code>{ props.id.to_string() }</code>{ "." }</p>
            </section>
        };
    };
    // Neighbours in the filtered list (or in the file, if the item is filtered out).
    let position = dataset.position(&props.id);
    let (previous, next) = match selection.iter().position(|&p| Some(p) == position) {
        Some(index) => (
            index.checked_sub(1).and_then(|i| selection.get(i)).copied(),
            selection.get(index + 1).copied(),
        ),
        None => (
            position.and_then(|p| p.checked_sub(1)),
            position.map(|p| p + 1).filter(|p| *p < dataset.len()),
        ),
    };
    let link = |target: Option<usize>, label: &str| match target
        .and_then(|p| dataset.items().get(p))
    {
        Some(neighbour) => {
            html! { <a href={Route::DatasetItem { id: neighbour.id.clone() }.href()}>{ label.to_string() }</a> }
        }
        None => {
            html! { <span class="disabled-link" aria-disabled="true">{ label.to_string() }</span> }
        }
    };
    html! {
        <section class="item-panel" aria-labelledby="item-panel-title">
            <nav class="item-nav" aria-label="Item">
                { back }
                <span class="item-steps">{ link(previous, "← Previous") }{ link(next, "Next →") }</span>
            </nav>
            <h1 id="item-panel-title" class="visually-hidden" tabindex="-1" ref={heading}>{ format!("Dataset item {}", item.id) }</h1>
            { item_view(&ItemViewProps { item: item.clone() }) }
        </section>
    }
}
