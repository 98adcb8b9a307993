//! Metrics per primary risk category: grouped bars (the selected model's Safe@1 and Think@1, or
//! one metric of every model), a radar of Think@1 with one polygon per model, and a model x
//! category heatmap. A click on a bar, vertex or cell filters the item browser by that category
//! (and shows that model, when the mark is one).
//!
//! Categories come from the loaded dataset; when result items are missing from it, the section
//! says how many and offers the official dataset.

use super::chart_data::{
    categories_by_model, metric_series, model_category_groups, model_series, CategoryMetric,
    SAFE_SERIES, THINK_SERIES,
};
use crate::app::Route;
use crate::components::charts::{
    use_hidden_series, ChartFrame, ChartSelection, GroupedBarChart, Heatmap, Legend, RadarChart,
    ValueKind,
};
use crate::components::metric_tile::percent_text;
use crate::hooks::{use_app_dispatcher, use_app_state, use_dataset_loader};
use crate::state::dataset::{LoadError, LoadStatus, LoadedDataset, OFFICIAL_DATASET_URL};
use crate::state::results::browser::FilterField;
use crate::state::results::scoring::ScoredResults;
use crate::state::results::{ResultsAction, Shared};
use crate::state::{Action, AppDispatcher};
use bsa_core::metrics::ModelScore;
use bsa_core::Scenario;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CategoriesProps {
    pub scored: Shared<ScoredResults>,
    pub model: AttrValue,
    /// The category the item browser is filtered by.
    pub category: Option<String>,
    /// The secondary category the item browser is filtered by.
    #[prop_or_default]
    pub secondary: Option<String>,
    pub dataset: Option<LoadedDataset>,
    pub text_scale: f64,
}

/// What the bar chart shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BarView {
    /// Safe@1 and Think@1 of the selected model.
    Selected,
    /// One metric, one series per model.
    Models(CategoryMetric),
}

impl BarView {
    fn key(self) -> &'static str {
        match self {
            BarView::Selected => "selected",
            BarView::Models(CategoryMetric::ThinkAt1) => "models-think",
            BarView::Models(CategoryMetric::SafeAt1) => "models-safe",
        }
    }

    fn from_key(key: &str) -> BarView {
        match key {
            "models-think" => BarView::Models(CategoryMetric::ThinkAt1),
            "models-safe" => BarView::Models(CategoryMetric::SafeAt1),
            _ => BarView::Selected,
        }
    }
}

fn select_value(event: &Event) -> Option<String> {
    event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::HtmlSelectElement>().ok())
        .map(|select| select.value())
}

/// Dispatches a category pick; `model` is the series when it names a model.
fn pick(dispatcher: &AppDispatcher, selection: ChartSelection, series_are_models: bool) {
    let Some(category) = selection.category else {
        return;
    };
    let model = selection.series.filter(|_| series_are_models);
    dispatcher.dispatch(Action::Results(ResultsAction::PickCategory {
        model,
        category,
    }));
}

#[function_component(Categories)]
pub fn categories(props: &CategoriesProps) -> Html {
    let dispatcher = use_app_dispatcher();
    let bar_view = use_state(|| BarView::Selected);
    let table_level = use_state(|| TableLevel::Primary);
    let heat_metric = use_state(CategoryMetric::default);
    let bar_hidden = use_hidden_series();
    let radar_hidden = use_hidden_series();
    let heat_hidden = use_hidden_series();
    let models = &props.scored.card.models;
    let all_series = use_memo(props.scored.clone(), |scored| {
        model_series(&scored.card.models)
    });
    let radar_axes = use_memo(props.scored.clone(), |scored| {
        Rc::new(categories_by_model(
            &scored.card.models,
            CategoryMetric::ThinkAt1,
        ))
    });
    let heat_groups = use_memo((props.scored.clone(), *heat_metric), |(scored, metric)| {
        Rc::new(categories_by_model(&scored.card.models, *metric))
    });
    let Some(model) = props.scored.model(&props.model) else {
        return html! {};
    };
    let has_categories = models.iter().any(|model| {
        model
            .categories
            .as_ref()
            .is_some_and(|breakdown| !breakdown.primary.is_empty())
    });

    let notice =
        html! { <DatasetNotice scored={props.scored.clone()} dataset={props.dataset.clone()} /> };
    if !has_categories {
        return html! {
            <section class="card results-categories" aria-labelledby="categories-title">
                <h2 id="categories-title">{ "By risk category" }</h2>
                { notice }
            </section>
        };
    }

    let (bar_series, bar_groups, bar_models) = match *bar_view {
        BarView::Selected => (metric_series(), model_category_groups(model), false),
        BarView::Models(metric) => (
            (*all_series).clone(),
            categories_by_model(models, metric),
            true,
        ),
    };
    let on_bar_view = {
        let bar_view = bar_view.clone();
        Callback::from(move |event: Event| {
            if let Some(value) = select_value(&event) {
                bar_view.set(BarView::from_key(&value));
            }
        })
    };
    let on_heat_metric = {
        let heat_metric = heat_metric.clone();
        Callback::from(move |event: Event| {
            if let Some(value) = select_value(&event) {
                heat_metric.set(CategoryMetric::from_key(&value));
            }
        })
    };
    let on_bar = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |selection: ChartSelection| pick(&dispatcher, selection, bar_models))
    };
    let on_model_mark = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |selection: ChartSelection| pick(&dispatcher, selection, true))
    };
    let bar_title = match *bar_view {
        BarView::Selected => format!("Safe@1 and Think@1 by category: {}", model.model),
        BarView::Models(metric) => format!("{} by category, every model", metric.label()),
    };
    let clear_category = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |_: MouseEvent| {
            dispatcher.dispatch(Action::Results(ResultsAction::ClearFilter {
                field: FilterField::Category,
            }))
        })
    };
    let heat_value = heat_metric.key();
    let on_table_level = {
        let table_level = table_level.clone();
        Callback::from(move |event: Event| {
            if let Some(value) = select_value(&event) {
                table_level.set(if value == "secondary" {
                    TableLevel::Secondary
                } else {
                    TableLevel::Primary
                });
            }
        })
    };
    let picked = match *table_level {
        TableLevel::Primary => props.category.as_deref(),
        TableLevel::Secondary => props.secondary.as_deref(),
    };

    html! {
        <section class="card results-categories" aria-labelledby="categories-title">
            <h2 id="categories-title">{ "By risk category" }</h2>
            { notice }
            if let Some(category) = &props.category {
                <p class="selection-note" role="status">
                    { format!("The item browser below lists items of \u{201c}{category}\u{201d}. ") }
                    <a href="#result-items" onclick={scroll_to_items()}>{ "Go to the items" }</a>
                    { " · " }
                    <button type="button" class="link-button" onclick={clear_category}>{ "Clear the category filter" }</button>
                </p>
            }
            <div class="field-inline chart-control">
                <label for="category-bars-view">{ "Bars show" }</label>
                <select id="category-bars-view" onchange={on_bar_view}>
                    <option value="selected" selected={*bar_view == BarView::Selected}>{ format!("Safe@1 and Think@1 of {}", model.model) }</option>
                    <option value="models-think" selected={bar_view.key() == "models-think"}>{ "Think@1 of every model" }</option>
                    <option value="models-safe" selected={bar_view.key() == "models-safe"}>{ "Safe@1 of every model" }</option>
                </select>
            </div>
            <ChartFrame title={bar_title.clone()}
                legend={html! { <Legend series={bar_series.clone()} hidden={bar_hidden.hidden.clone()} on_toggle={bar_hidden.toggle.clone()}
                    label={if bar_models { "Models" } else { "Metrics" }} /> }}>
                <GroupedBarChart series={bar_series} groups={bar_groups} hidden={bar_hidden.hidden.clone()} kind={ValueKind::Percent}
                    title={bar_title} value_label={Some(AttrValue::from("Percent"))}
                    context={(!bar_models).then(|| AttrValue::from(model.model.clone()))}
                    text_scale={props.text_scale} height={360.0} on_select={on_bar} />
            </ChartFrame>
            <div class="category-radar">
                <ChartFrame title="Think@1 by category, every model"
                    legend={html! { <Legend series={(*all_series).clone()} hidden={radar_hidden.hidden.clone()} on_toggle={radar_hidden.toggle.clone()} label="Models" /> }}>
                    <RadarChart series={(*all_series).clone()} axes={(**radar_axes).clone()} hidden={radar_hidden.hidden.clone()}
                        title="Think@1 by primary risk category, one polygon per model" context={Some(AttrValue::from("Think@1"))}
                        text_scale={props.text_scale} on_select={on_model_mark.clone()} />
                </ChartFrame>
            </div>
            <div class="heatmap-block">
                <div class="field-inline chart-control">
                    <label for="category-heatmap-metric">{ "Heatmap metric" }</label>
                    <select id="category-heatmap-metric" onchange={on_heat_metric}>
                        <option value={THINK_SERIES} selected={heat_value == THINK_SERIES}>{ "Think@1" }</option>
                        <option value={SAFE_SERIES} selected={heat_value == SAFE_SERIES}>{ "Safe@1" }</option>
                    </select>
                </div>
                <ChartFrame title={format!("{} by model and category", heat_metric.label())}
                    legend={html! { <Legend series={(*all_series).clone()} hidden={heat_hidden.hidden.clone()} on_toggle={heat_hidden.toggle.clone()} label="Models" /> }}>
                    <Heatmap series={(*all_series).clone()} groups={(**heat_groups).clone()} hidden={heat_hidden.hidden.clone()}
                        kind={ValueKind::Percent} title={format!("{} of every model in every primary category", heat_metric.label())}
                        context={Some(AttrValue::from(heat_metric.label()))} text_scale={props.text_scale} on_select={on_model_mark} />
                </ChartFrame>
            </div>
            <div class="category-table-block">
                <div class="field-inline chart-control">
                    <label for="category-table-level">{ "Table of" }</label>
                    <select id="category-table-level" onchange={on_table_level}>
                        <option value="primary" selected={*table_level == TableLevel::Primary}>{ "primary categories" }</option>
                        <option value="secondary" selected={*table_level == TableLevel::Secondary}>{ "secondary categories" }</option>
                    </select>
                </div>
                { category_table(model, *table_level, picked, &dispatcher) }
            </div>
            <p class="hint">
                { "An item counts in each of its categories (a Cognitive Shortcut item in both of its risks' categories). \
                   Values are over the items evaluated in the category (n in each tooltip); hatched marks are not available." }
            </p>
        </section>
    }
}

/// Which categories the table lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TableLevel {
    Primary,
    /// Grouped under their primary categories.
    Secondary,
}

/// The selected model's figures per category as a table: exact values, n, Think@1 within each
/// scenario, and a button per category that filters the item browser (the keyboard twin of a
/// bar click; for secondary categories the only way to pick one).
fn category_table(
    model: &ModelScore,
    level: TableLevel,
    picked: Option<&str>,
    dispatcher: &AppDispatcher,
) -> Html {
    let Some(breakdown) = &model.categories else {
        return html! {};
    };
    let secondary = level == TableLevel::Secondary;
    let categories = if secondary {
        &breakdown.secondary
    } else {
        &breakdown.primary
    };
    let rows = categories.iter().map(|category| {
        let onclick = {
            let (dispatcher, name) = (dispatcher.clone(), category.category.clone());
            Callback::from(move |_: MouseEvent| {
                let category = name.clone();
                dispatcher.dispatch(Action::Results(if secondary {
                    ResultsAction::PickSecondaryCategory { category }
                } else {
                    ResultsAction::PickCategory {
                        model: None,
                        category,
                    }
                }))
            })
        };
        let selected = picked == Some(category.category.as_str());
        let metrics = &category.metrics;
        let scenario_cells = Scenario::ALL.iter().map(|scenario| {
            let within = category.scenario(*scenario);
            html! {
                <td class="num" data-scenario={scenario.abbreviation()} title={format!("{} items of this category: {}", scenario.name(), within.items)}>
                    { percent_text(within.think_at_1) }
                </td>
            }
        });
        html! {
            <tr class={classes!(selected.then_some("selected"))} data-category={category.category.clone()}>
                <th scope="row">
                    <button type="button" class="link-button" {onclick} aria-pressed={if selected { "true" } else { "false" }}
                        title="List this category's items in the item browser">
                        { category.category.clone() }
                    </button>
                </th>
                if secondary {
                    <td class="category-primary">{ category.primary.clone().unwrap_or_default() }</td>
                }
                <td class="num">{ format!("{} / {}", category.items_evaluated, category.items) }</td>
                <td class="num">{ percent_text(metrics.safe_at_1) }</td>
                <td class="num">{ percent_text(metrics.think_at_1) }</td>
                <td class="num">{ percent_text(metrics.safe_at_k) }</td>
                <td class="num">{ percent_text(metrics.think_at_k) }</td>
                { for scenario_cells }
            </tr>
        }
    });
    let caption = if secondary {
        format!("{} per secondary category", model.model)
    } else {
        format!("{} per primary category", model.model)
    };
    html! {
        <div class="table-scroll category-table-wrap">
            <table class={classes!("category-table", secondary.then_some("secondary"))} data-level={if secondary { "secondary" } else { "primary" }}>
                <caption>{ caption }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ "Category" }</th>
                        if secondary {
                            <th scope="col">{ "Primary" }</th>
                        }
                        <th scope="col" class="num" title="items evaluated / items of the category in the dataset">{ "Items" }</th>
                        <th scope="col" class="num">{ "Safe@1" }</th>
                        <th scope="col" class="num">{ "Think@1" }</th>
                        <th scope="col" class="num">{ "Safe@k" }</th>
                        <th scope="col" class="num">{ "Think@k" }</th>
                        { for Scenario::ALL.iter().map(|scenario| html! {
                            <th scope="col" class="num" title={format!("Think@1 over the category's {} items", scenario.name())}>
                                { format!("{}@1", scenario.abbreviation()) }
                            </th>
                        }) }
                    </tr>
                </thead>
                <tbody>{ for rows }</tbody>
            </table>
        </div>
    }
}

/// Scrolls the item browser into view (the hash holds the route, so an in-page link cannot).
fn scroll_to_items() -> Callback<MouseEvent> {
    Callback::from(|event: MouseEvent| {
        event.prevent_default();
        let target = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.get_element_by_id("result-items"));
        if let Some(element) = target {
            element.scroll_into_view();
        }
    })
}

#[derive(Properties, PartialEq)]
struct DatasetNoticeProps {
    scored: Shared<ScoredResults>,
    dataset: Option<LoadedDataset>,
}

/// Whether the categories cover the results, and what to do if not.
#[function_component(DatasetNotice)]
fn dataset_notice(props: &DatasetNoticeProps) -> Html {
    let loader = use_dataset_loader();
    let state = use_app_state();
    // The official dataset is downloaded from here: say how that goes.
    let loading = match &state.dataset.status {
        LoadStatus::Loading { origin, .. } => html! {
            <p class="hint" role="status">{ format!("Loading {}…", origin.describe()) }</p>
        },
        LoadStatus::Failed {
            origin,
            error: LoadError::Fetch(error),
        } => html! {
            <p class="field-error" role="alert">{ format!("Could not load {}: {error}", origin.describe()) }</p>
        },
        _ => html! {},
    };
    let on_official = {
        let loader = loader.clone();
        Callback::from(move |_: MouseEvent| loader.load_url(OFFICIAL_DATASET_URL.to_string()))
    };
    let offer = html! {
        <p class="button-row">
            <button type="button" class="load-official" onclick={on_official}>{ "Load the official dataset (2,000 items)" }</button>
            <a href={Route::Dataset.href()}>{ "or open a dataset file on the Dataset page" }</a>
        </p>
    };
    let origin = props
        .dataset
        .as_ref()
        .map(|loaded| loaded.origin.describe())
        .unwrap_or_default();
    let matched = match &props.scored.dataset_match {
        None => html! {
            <div class="notice notice-info dataset-match" role="status">
                <div class="notice-body">
                    <p class="notice-title">{ "Categories need a dataset." }</p>
                    <p>{ "No dataset is loaded: the item ids in the results cannot be given their risk categories." }</p>
                    { offer }
                </div>
            </div>
        },
        Some(matched) if matched.is_complete() => html! {
            <p class="hint dataset-match" data-found={matched.found.to_string()}>
                { format!("Categories from {origin}: all {} result items are in it.", matched.result_items) }
            </p>
        },
        Some(matched) => html! {
            <div class="notice notice-info dataset-match" role="status" data-found={matched.found.to_string()}
                 data-missing={matched.missing().to_string()}>
                <div class="notice-body">
                    <p class="notice-title">
                        { format!("{} of the {} result items are not in the loaded dataset ({origin}, {} items).",
                            matched.missing(), matched.result_items, matched.dataset_items) }
                    </p>
                    <p>
                        { if matched.found == 0 {
                            "No category can be shown. Load the dataset the results were made on.".to_string()
                        } else {
                            format!("Categories below cover only the {} items it has; headline metrics and coverage use every item.", matched.found)
                        } }
                    </p>
                    if !matched.official { { offer } }
                </div>
            </div>
        },
    };
    html! { <>{ matched }{ loading }</> }
}
