//! Items per scenario and risk mentions per primary category, as bar charts with their tables.

use crate::components::charts::{
    ChartFrame, GroupedBarChart, Measurement, MeasurementGroup, Series, ValueKind,
};
use crate::components::count_table::{count_table, CountTableProps};
use crate::state::dataset::LoadedDataset;
use bsa_core::scenario::category_rank;
use bsa_core::sort;
use bsa_core::Scenario;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SummaryProps {
    pub loaded: LoadedDataset,
}

/// Scenario counts in benchmark order (then any other name), from the dataset statistics.
fn scenario_rows(loaded: &LoadedDataset) -> Vec<(AttrValue, usize)> {
    let stats = &loaded.data.stats;
    let mut rows: Vec<(String, usize)> = stats
        .scenarios
        .iter()
        .map(|(name, count)| (name.clone(), *count))
        .collect();
    let rank = |name: &str| Scenario::parse(name).map_or(Scenario::ALL.len(), |s| s as usize);
    sort::sort_by(&mut rows, |(a, _), (b, _)| (rank(a), a).cmp(&(rank(b), b)));
    rows.into_iter()
        .map(|(name, count)| (AttrValue::from(name), count))
        .collect()
}

/// Primary categories in the benchmark's display order.
fn category_rows(loaded: &LoadedDataset) -> Vec<(AttrValue, usize)> {
    let mut rows: Vec<(String, usize)> = loaded
        .data
        .stats
        .primary_categories
        .iter()
        .map(|(name, count)| (name.clone(), *count))
        .collect();
    sort::sort_by(&mut rows, |(a, _), (b, _)| {
        (category_rank(a), a).cmp(&(category_rank(b), b))
    });
    rows.into_iter()
        .map(|(name, count)| (AttrValue::from(name), count))
        .collect()
}

/// One bar per row, in a single series `id`.
fn bar_groups(id: &str, rows: &[(AttrValue, usize)]) -> Vec<MeasurementGroup> {
    rows.iter()
        .map(|(name, count)| {
            MeasurementGroup::new(
                name.to_string(),
                name.to_string(),
                vec![Measurement::new(id, Some(*count as f64), *count)],
            )
        })
        .collect()
}

#[derive(Properties, PartialEq)]
struct CountChartProps {
    title: AttrValue,
    /// The series id and label ("Items", "Risk mentions").
    measure: AttrValue,
    name_header: AttrValue,
    rows: Vec<(AttrValue, usize)>,
}

/// A bar chart of counts, with the same figures as a table under "Show as a table".
fn count_chart(props: &CountChartProps) -> Html {
    let series = Series::with_palette([(props.measure.to_string(), props.measure.to_string())]);
    let groups = bar_groups(&props.measure, &props.rows);
    html! {
        <div class="count-chart">
            <ChartFrame title={props.title.clone()}>
                <GroupedBarChart {series} {groups} kind={ValueKind::Count} title={props.title.clone()}
                    value_label={Some(props.measure.clone())} show_values=true height={280.0} />
            </ChartFrame>
            <details class="chart-table">
                <summary>{ "Show as a table" }</summary>
                { count_table(&CountTableProps { caption: props.title.clone(), name_header: props.name_header.clone(),
                    count_header: props.measure.clone(), rows: props.rows.clone() }) }
            </details>
        </div>
    }
}

#[function_component(Summary)]
pub fn summary(props: &SummaryProps) -> Html {
    let scenarios = use_memo(props.loaded.clone(), scenario_rows);
    let categories = use_memo(props.loaded.clone(), category_rows);
    html! {
        <section class="card summary" aria-labelledby="summary-title">
            <h2 id="summary-title">{ "What is in it" }</h2>
            <div class="summary-grid">
                { count_chart(&CountChartProps { title: AttrValue::Static("Items per scenario"), measure: AttrValue::Static("Items"), name_header: AttrValue::Static("Scenario"), rows: (*scenarios).clone() }) }
                { count_chart(&CountChartProps { title: AttrValue::Static("Risk mentions per primary category"), measure: AttrValue::Static("Risk mentions"),
                    name_header: AttrValue::Static("Primary category"), rows: (*categories).clone() }) }
            </div>
            <p class="hint">
                { "A Cognitive Shortcut item names two risks (Query A and Query B) and counts once in each risk's category, \
                   so the mentions add up to more than the items." }
            </p>
        </section>
    }
}
