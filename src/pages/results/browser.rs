//! The item browser: every item of the selected model with its k samples, filtered by scenario,
//! category and verdict combination (set here or by clicking a chart), a page at a time. An
//! opened item shows the dataset's query and risk summary, each sample in full (texts for run
//! files, verdicts for judged CSVs) and every other model's verdicts on it.

use crate::app::Route;
use crate::components::filter_chips::{filter_chips, Chip, FilterChipsProps};
use crate::components::pagination::{pagination, PaginationProps};
use crate::components::sample_view::{
    sample_chips, sample_list, SampleChipsProps, SampleDetail, SampleListProps, SampleText,
};
use crate::hooks::use_app_dispatcher;
use crate::state::dataset::LoadedDataset;
use crate::state::explorer::paginate;
use crate::state::results::browser::{
    FilterField, ItemIndex, ModelSamples, ResultFilter, VerdictFilter, BROWSER_PAGE_SIZE,
};
use crate::state::results::combine::CombinedResults;
use crate::state::results::source::ResultSource;
use crate::state::results::{ResultsAction, Shared};
use crate::state::Action;
use bsa_core::dataset::Item;
use bsa_core::Scenario;
use std::collections::BTreeSet;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ItemBrowserProps {
    pub combined: Shared<CombinedResults>,
    pub sources: Vec<Shared<ResultSource>>,
    pub model: AttrValue,
    pub filter: ResultFilter,
    pub page: usize,
    pub dataset: Option<LoadedDataset>,
}

fn select_value(event: &Event) -> Option<String> {
    event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::HtmlSelectElement>().ok())
        .map(|select| select.value())
        .filter(|value| !value.is_empty())
}

/// A category select of the browser's filters.
struct CategoryField<'a> {
    id: &'static str,
    label: &'static str,
    /// The choice that does not filter.
    all: &'static str,
    names: &'a [String],
    chosen: Option<&'a String>,
    dataset_loaded: bool,
    onchange: Callback<Event>,
}

/// A labelled select of `names`; a chosen name not among them (set by a chart click) is still
/// listed, so the select shows what filters.
fn category_field(field: CategoryField<'_>) -> Html {
    let CategoryField {
        id,
        label,
        all,
        names,
        chosen,
        dataset_loaded,
        onchange,
    } = field;
    html! {
        <div class="field">
            <label for={id}>{ label }</label>
            <select {id} {onchange} disabled={names.is_empty() && chosen.is_none()}>
                <option value="" selected={chosen.is_none()}>
                    { if dataset_loaded { all } else { "No dataset loaded" } }
                </option>
                { for names.iter().map(|name| html! {
                    <option value={name.clone()} selected={chosen == Some(name)}>{ name.clone() }</option>
                }) }
                if let Some(name) = chosen.filter(|name| !names.contains(name)) {
                    <option value={name.clone()} selected=true>{ name.clone() }</option>
                }
            </select>
        </div>
    }
}

/// The run-file record of a sample of `model`, when the model came from a run file.
fn sample_text(
    combined: &CombinedResults,
    sources: &[Shared<ResultSource>],
    model: &str,
    item: &str,
    index: u32,
) -> Option<SampleText> {
    let origin = combined.origin(model)?;
    let source = sources.iter().find(|source| source.id == origin.source)?;
    source.run_sample(item, index).map(SampleText::of)
}

#[function_component(ItemBrowser)]
pub fn item_browser(props: &ItemBrowserProps) -> Html {
    let dispatcher = use_app_dispatcher();
    // Items opened by the user; an item picked from the Compare page opens by itself.
    let opened = use_state(BTreeSet::<String>::new);
    let model_samples = use_memo(
        (props.combined.clone(), props.model.clone()),
        |(combined, model)| ModelSamples::of(&combined.samples, model),
    );
    let item_index = use_memo(props.combined.clone(), |combined| {
        ItemIndex::of(&combined.samples)
    });
    let selection = use_memo(
        (
            model_samples.clone(),
            props.filter.clone(),
            props.dataset.clone(),
        ),
        |(samples, filter, dataset)| {
            Rc::new(samples.select(filter, dataset.as_ref().map(|loaded| &loaded.data.dataset)))
        },
    );
    let section = use_node_ref();
    let dataset = props.dataset.as_ref().map(|loaded| &loaded.data.dataset);
    let filter = &props.filter;
    let page = paginate(selection.len(), props.page, BROWSER_PAGE_SIZE);

    let on_scenario = {
        let (filter, dispatcher) = (filter.clone(), dispatcher.clone());
        Callback::from(move |event: Event| {
            let scenario = select_value(&event).and_then(|value| Scenario::parse(&value));
            dispatcher.dispatch(Action::Results(ResultsAction::SetFilter {
                filter: ResultFilter {
                    scenario,
                    ..filter.clone()
                },
            }))
        })
    };
    let on_category = {
        let (filter, dispatcher) = (filter.clone(), dispatcher.clone());
        Callback::from(move |event: Event| {
            // The secondary list follows the primary: a secondary chosen before may not be in it.
            dispatcher.dispatch(Action::Results(ResultsAction::SetFilter {
                filter: ResultFilter {
                    category: select_value(&event),
                    secondary: None,
                    ..filter.clone()
                },
            }))
        })
    };
    let on_secondary = {
        let (filter, dispatcher) = (filter.clone(), dispatcher.clone());
        Callback::from(move |event: Event| {
            dispatcher.dispatch(Action::Results(ResultsAction::SetFilter {
                filter: ResultFilter {
                    secondary: select_value(&event),
                    ..filter.clone()
                },
            }))
        })
    };
    let on_verdict = {
        let (filter, dispatcher) = (filter.clone(), dispatcher.clone());
        Callback::from(move |event: Event| {
            let verdict = select_value(&event).and_then(|key| VerdictFilter::from_key(&key));
            dispatcher.dispatch(Action::Results(ResultsAction::SetFilter {
                filter: ResultFilter {
                    verdict,
                    ..filter.clone()
                },
            }))
        })
    };
    let on_remove = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |key: AttrValue| {
            if let Some(field) = FilterField::from_key(&key) {
                dispatcher.dispatch(Action::Results(ResultsAction::ClearFilter { field }));
            }
        })
    };
    let on_clear = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |_: MouseEvent| {
            dispatcher.dispatch(Action::Results(ResultsAction::SetFilter {
                filter: ResultFilter::default(),
            }))
        })
    };
    let on_page = {
        let (dispatcher, section) = (dispatcher.clone(), section.clone());
        Callback::from(move |page: usize| {
            dispatcher.dispatch(Action::Results(ResultsAction::SetPage { page }));
            if let Some(element) = section.cast::<web_sys::Element>() {
                element.scroll_into_view();
            }
        })
    };

    let mut chips = Vec::new();
    if let Some(scenario) = filter.scenario {
        chips.push(Chip {
            key: FilterField::Scenario.key().into(),
            label: format!("Scenario: {}", scenario.name()).into(),
        });
    }
    if let Some(category) = &filter.category {
        chips.push(Chip {
            key: FilterField::Category.key().into(),
            label: format!("Category: {category}").into(),
        });
    }
    if let Some(secondary) = &filter.secondary {
        chips.push(Chip {
            key: FilterField::Secondary.key().into(),
            label: format!("Secondary category: {secondary}").into(),
        });
    }
    if let Some(verdict) = filter.verdict {
        chips.push(Chip {
            key: FilterField::Verdict.key().into(),
            label: format!("Samples: {}", verdict.label()).into(),
        });
    }
    if let Some(item) = &filter.item {
        chips.push(Chip {
            key: FilterField::Item.key().into(),
            label: format!("Item: {item}").into(),
        });
    }

    let scenario_counts: Vec<(Scenario, usize)> = Scenario::ALL
        .iter()
        .map(|scenario| {
            let count = model_samples
                .items
                .iter()
                .filter(|entry| entry.scenario == *scenario)
                .count();
            (*scenario, count)
        })
        .filter(|(_, count)| *count > 0)
        .collect();
    let categories: Vec<String> = props
        .dataset
        .as_ref()
        .map(|loaded| {
            loaded
                .data
                .index
                .primaries
                .iter()
                .map(|(name, _)| name.clone())
                .collect()
        })
        .unwrap_or_default();
    // Those of the chosen primary category, or all of them.
    let secondaries: Vec<String> = props
        .dataset
        .as_ref()
        .map(|loaded| match &filter.category {
            Some(primary) => loaded
                .data
                .index
                .secondaries_of(primary)
                .map(str::to_string)
                .collect(),
            None => loaded
                .data
                .index
                .all_secondaries()
                .into_iter()
                .map(str::to_string)
                .collect(),
        })
        .unwrap_or_default();

    let rows = selection[page.start..page.end].iter().filter_map(|&position| {
        let entry = model_samples.items.get(position)?;
        let item: Option<&Item> = dataset.and_then(|dataset| dataset.get(&entry.key));
        let categories = item
            .map(|item| item.primary_categories().collect::<Vec<_>>().join(", "))
            .unwrap_or_else(|| "not in the loaded dataset".to_string());
        let secondary_categories = item
            .map(|item| item.secondary_categories().collect::<Vec<_>>().join(", "))
            .unwrap_or_default();
        let open = opened.contains(&entry.key) || filter.item.as_ref() == Some(&entry.key);
        let on_toggle = {
            let (opened, key) = (opened.clone(), entry.key.clone());
            Callback::from(move |_: MouseEvent| {
                let mut next = (*opened).clone();
                if !next.remove(&key) {
                    next.insert(key.clone());
                }
                opened.set(next);
            })
        };
        let body = open.then(|| {
            let details: Vec<SampleDetail> = entry
                .samples
                .iter()
                .map(|sample| SampleDetail {
                    sample: *sample,
                    text: sample_text(&props.combined, &props.sources, &props.model, &entry.key, sample.index),
                })
                .collect();
            let others = item_index.by_model(&props.combined.samples, entry.item);
            html! {
                <div class="result-item-body" id={format!("result-item-{}", entry.item.index())}>
                    if let Some(item) = item {
                        <h4>{ "Query" }</h4>
                        <div class="text-block">{ item.query.clone() }</div>
                        <h4>{ "Risk summary" }</h4>
                        <div class="text-block">{ item.risk_summary.clone() }</div>
                        <p><a href={Route::DatasetItem { id: entry.key.clone() }.href()}>{ "Open this item on the Dataset page" }</a></p>
                    } else {
                        <p class="hint">{ "The loaded dataset does not have this item: its query and risk summary cannot be shown." }</p>
                    }
                    <h4>{ format!("Samples of {}", props.model) }</h4>
                    { sample_list(&SampleListProps { samples: details }) }
                    if others.len() > 1 {
                        <table class="all-models">
                            <caption>{ "Every loaded model on this item" }</caption>
                            <thead><tr><th scope="col">{ "Model" }</th><th scope="col">{ "Samples (answer · reasoning)" }</th></tr></thead>
                            <tbody>
                                { for others.into_iter().map(|(name, samples)| html! {
                                    <tr class={classes!((name == props.model.as_str()).then_some("selected"))}>
                                        <th scope="row">{ name }</th>
                                        <td>{ sample_chips(&SampleChipsProps { samples }) }</td>
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                    }
                </div>
            }
        });
        Some(html! {
            <li class="result-item" key={entry.key.clone()} data-item={entry.key.clone()}
                data-scenario={entry.scenario.name()} data-categories={categories.clone()}
                data-secondary-categories={secondary_categories}>
                <div class="result-item-head">
                    <button type="button" class="result-item-toggle" onclick={on_toggle}
                        aria-expanded={if open { "true" } else { "false" }}
                        aria-controls={format!("result-item-{}", entry.item.index())}>
                        <span class="item-id">{ crate::components::item_table::preview(&entry.key, 10) }</span>
                    </button>
                    <abbr class="item-scenario" title={entry.scenario.name()}>{ entry.scenario.abbreviation() }</abbr>
                    <span class="item-categories">{ categories }</span>
                    { sample_chips(&SampleChipsProps { samples: entry.samples.clone() }) }
                    if let Some(item) = item {
                        <span class="item-query">{ crate::components::item_table::preview(&item.query, 140) }</span>
                    }
                </div>
                { for body }
            </li>
        })
    });

    html! {
        <section class="card results-browser" id="result-items" aria-labelledby="result-items-title" ref={section}>
            <h2 id="result-items-title">{ format!("Items of {}", props.model) }</h2>
            <div class="browser-controls" role="search">
                <div class="field">
                    <label for="browser-scenario">{ "Scenario" }</label>
                    <select id="browser-scenario" onchange={on_scenario}>
                        <option value="" selected={filter.scenario.is_none()}>{ "All scenarios" }</option>
                        { for scenario_counts.iter().map(|(scenario, count)| html! {
                            <option value={scenario.name()} selected={filter.scenario == Some(*scenario)}>
                                { format!("{} ({count})", scenario.name()) }
                            </option>
                        }) }
                    </select>
                </div>
                { category_field(CategoryField { id: "browser-category", label: "Primary category", all: "All categories",
                    names: &categories, chosen: filter.category.as_ref(), dataset_loaded: !categories.is_empty(), onchange: on_category }) }
                { category_field(CategoryField { id: "browser-secondary", label: "Secondary category", all: "All secondary categories",
                    names: &secondaries, chosen: filter.secondary.as_ref(), dataset_loaded: !categories.is_empty(), onchange: on_secondary }) }
                <div class="field">
                    <label for="browser-verdict">{ "Verdicts" }</label>
                    <select id="browser-verdict" onchange={on_verdict}>
                        <option value="" selected={filter.verdict.is_none()}>{ "Any verdicts" }</option>
                        { for VerdictFilter::ALL.iter().map(|verdict| html! {
                            <option value={verdict.key()} selected={filter.verdict == Some(*verdict)}>
                                { format!("A sample with {}", verdict.label()) }
                            </option>
                        }) }
                    </select>
                </div>
                <div class="filter-summary">
                    <p class="result-count" aria-live="polite" data-matching={selection.len().to_string()}>
                        { format!("{} of {} items", selection.len(), model_samples.items.len()) }
                    </p>
                    <button type="button" class="button-quiet" onclick={on_clear} disabled={filter.is_empty()}>{ "Clear filters" }</button>
                </div>
            </div>
            { filter_chips(&FilterChipsProps { chips, on_remove, label: AttrValue::Static("Filtered by") }) }
            if selection.is_empty() {
                <div class="empty-state"><p class="empty-title">{ "No item matches these filters." }</p></div>
            } else {
                <ul class="result-items">{ for rows }</ul>
                { pagination(&PaginationProps { page, total: selection.len(), on_page }) }
            }
        </section>
    }
}
