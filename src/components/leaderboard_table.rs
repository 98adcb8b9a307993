//! The leaderboard as a sortable table: a header click sorts by that column (the header says so
//! with `aria-sort`); every row shows the published F-score next to the one recomputed with the
//! selected alpha and the alpha that reproduces the published value.

use crate::state::leaderboard::{
    LeaderboardRow, LeaderboardSort, RowOrigin, SortDirection, SortKey,
};
use bsa_core::leaderboard::Metric;
use std::rc::Rc;
use yew::prelude::*;

/// Two decimals, as the paper prints percentages; a dash for a value that is not available
/// (NaN in the user's rows).
pub fn percent(value: f64) -> String {
    if value.is_finite() {
        format!("{value:.2}")
    } else {
        "–".to_string()
    }
}

/// Published and recomputed F-scores that differ by at least this much are marked: the
/// published figures are rounded to 2 decimals, so smaller gaps are rounding.
pub const F_SCORE_TOLERANCE: f64 = 0.006;

/// The pooled metrics, ending with the published F-score; the recomputed F-score and the fitted
/// alpha follow right after it so the three can be compared at a glance.
const POOLED: [Metric; 5] = [
    Metric::SafeAt1,
    Metric::SafeAtK,
    Metric::ThinkAt1,
    Metric::ThinkAtK,
    Metric::FScore,
];

/// Think@1 and Think@k per scenario, last.
const PER_SCENARIO: [Metric; 6] = [
    Metric::RiskOmissionAt1,
    Metric::RiskOmissionAtK,
    Metric::CognitiveShortcutAt1,
    Metric::CognitiveShortcutAtK,
    Metric::OverSensitivityAt1,
    Metric::OverSensitivityAtK,
];

#[derive(Properties, PartialEq)]
pub struct LeaderboardTableProps {
    /// Rows in display order (already sorted).
    pub rows: Rc<Vec<LeaderboardRow>>,
    pub sort: LeaderboardSort,
    /// The alpha of the recomputed F-score column.
    pub alpha: f64,
    pub on_sort: Callback<SortKey>,
}

pub fn leaderboard_table(props: &LeaderboardTableProps) -> Html {
    let header = |key: SortKey, label: String, title: &str, numeric: bool| {
        let on_sort = props.on_sort.clone();
        let onclick = Callback::from(move |_: MouseEvent| on_sort.emit(key));
        html! {
            <th scope="col" aria-sort={props.sort.aria_for(key)} class={classes!(numeric.then_some("num"))}>
                <button type="button" class="sort-button" {onclick} title={title.to_string()}>
                    { label }
                    <span class="sort-mark" aria-hidden="true">{
                        match (props.sort.key == key, props.sort.direction) {
                            (true, SortDirection::Ascending) => "▲",
                            (true, SortDirection::Descending) => "▼",
                            _ => "",
                        }
                    }</span>
                </button>
            </th>
        }
    };
    let alpha = props.alpha;
    let rows = props.rows.iter().map(|row| {
        let recomputed = row.recomputed_f(alpha);
        let differs = (recomputed - row.scores.f_score).abs() >= F_SCORE_TOLERANCE;
        let fitted = row.fitted_alpha().map_or_else(|| "–".to_string(), |a| format!("{a:.3}"));
        let yours = row.origin == RowOrigin::Yours;
        html! {
            <tr class={classes!(yours.then_some("row-yours"))} key={format!("{:?}{}", row.origin, row.model)}>
                <th scope="row" class="model">
                    { row.model.clone() }
                    if yours { <span class="badge badge-yours">{ "yours" }</span> }
                    if let Some(caveat) = &row.caveat { <span class="row-caveat">{ caveat.clone() }</span> }
                </th>
                <td class="access">{ row.access.map_or("–", |access| access.label()) }</td>
                { for POOLED.iter().map(|metric| html! {
                    <td class="num">{ percent(row.scores.get(*metric)) }</td>
                }) }
                <td class={classes!("num", "recomputed", differs.then_some("differs"))}
                    title={differs.then(|| format!("differs from the published {:.2}", row.scores.f_score))}>
                    { percent(recomputed) }
                </td>
                <td class="num fitted">{ fitted }</td>
                { for PER_SCENARIO.iter().map(|metric| html! {
                    <td class="num">{ percent(row.scores.get(*metric)) }</td>
                }) }
            </tr>
        }
    });
    html! {
        <div class="table-scroll">
            <table class="leaderboard-table">
                <caption class="visually-hidden">{ "Published BSA results per model, in percent; click a column header to sort" }</caption>
                <thead>
                    <tr>
                        { header(SortKey::Model, "Model".into(), "model name", false) }
                        { header(SortKey::Access, "Access".into(), "open or closed weights", false) }
                        { for POOLED.iter().map(|metric| header(SortKey::Metric(*metric), metric.label().into(), metric.description(), true)) }
                        { header(SortKey::RecomputedF, format!("F (α {alpha:.3})"), "F-score recomputed from Think@1 and Safe@1 with the selected alpha", true) }
                        { header(SortKey::FittedAlpha, "Fitted α".into(), "the alpha that reproduces the published F-score", true) }
                        { for PER_SCENARIO.iter().map(|metric| header(SortKey::Metric(*metric), metric.label().into(), metric.description(), true)) }
                    </tr>
                </thead>
                <tbody>{ for rows }</tbody>
            </table>
        </div>
    }
}
