//! The series legend: one toggle button per series, and the hook that keeps the hidden set.
//!
//! [`Legend`] draws each [`Series`] as a `<button aria-pressed>` with its colour swatch; a click
//! (or Enter / Space, since these are real buttons) calls `on_toggle` with the series id. Hidden
//! series stay in the legend, greyed and struck through, so they can be switched back on.
//! [`use_hidden_series`] holds the hidden ids for a page that shows a legend next to a chart:
//! pass its `hidden` to both and its `toggle` to the legend. The data attributes
//! (`data-legend-entry`, `data-color`) let the export draw the visible entries into the file.

use super::model::Series;
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`Legend`].
#[derive(Properties, PartialEq, Clone)]
pub struct LegendProps {
    /// Every series, in the same order as the chart's.
    pub series: Vec<Series>,
    /// Ids of the series currently switched off.
    #[prop_or_default]
    pub hidden: Vec<String>,
    /// Called with the id of the series whose button was pressed.
    pub on_toggle: Callback<String>,
    /// Accessible name of the legend.
    #[prop_or(AttrValue::Static("Series"))]
    pub label: AttrValue,
}

/// A legend of toggle buttons; see the module documentation.
#[function_component(Legend)]
pub fn legend(props: &LegendProps) -> Html {
    html! {
        <ul class="bsa-legend" aria-label={props.label.clone()}
            style="list-style: none; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; margin: 0 0 0.5rem; padding: 0">
            { for props.series.iter().map(|series| {
                let shown = !props.hidden.contains(&series.id);
                let onclick = {
                    let id = series.id.clone();
                    props.on_toggle.reform(move |_: MouseEvent| id.clone())
                };
                let swatch = if shown {
                    format!("background: {0}; border: 2px solid {0}", series.color)
                } else {
                    "background: transparent; border: 2px solid var(--chart-muted, #888)".to_string()
                };
                let text = if shown { "" } else { "text-decoration: line-through; color: var(--chart-muted, #666);" };
                html! {
                    <li>
                        <button type="button" class="bsa-legend-entry" onclick={onclick}
                            aria-pressed={if shown { "true" } else { "false" }}
                            title={format!("{} {}", if shown { "Hide" } else { "Show" }, series.label)}
                            data-legend-entry="" data-series={series.id.clone()} data-color={series.color.clone()}
                            style={format!("display: inline-flex; align-items: center; gap: 0.4rem; padding: 0.2rem 0.3rem; \
                                            background: none; border: 0; font: inherit; color: inherit; cursor: pointer; {text}")}>
                            <span aria-hidden="true"
                                  style={format!("display: inline-block; width: 0.85em; height: 0.85em; border-radius: 2px; box-sizing: border-box; {swatch}")} />
                            { series.label.clone() }
                        </button>
                    </li>
                }
            }) }
        </ul>
    }
}

/// `hidden` with `id` switched: removed if it was there, appended otherwise.
pub fn toggle_hidden(hidden: &[String], id: &str) -> Vec<String> {
    if hidden.iter().any(|h| h == id) {
        hidden.iter().filter(|h| *h != id).cloned().collect()
    } else {
        let mut next = hidden.to_vec();
        next.push(id.to_string());
        next
    }
}

#[derive(Default, PartialEq)]
struct HiddenSet(Vec<String>);

impl Reducible for HiddenSet {
    type Action = String;

    fn reduce(self: Rc<Self>, id: String) -> Rc<Self> {
        Rc::new(HiddenSet(toggle_hidden(&self.0, &id)))
    }
}

/// What [`use_hidden_series`] returns.
#[derive(Clone, PartialEq)]
pub struct HiddenSeries {
    /// The ids switched off, for the chart's and the legend's `hidden` props.
    pub hidden: Vec<String>,
    /// Switches a series on or off: the legend's `on_toggle`.
    pub toggle: Callback<String>,
}

/// The set of hidden series of one chart, starting empty.
///
/// # Example
///
/// ```ignore
/// let series_toggle = use_hidden_series();
/// html! { <>
///     <Legend series={series.clone()} hidden={series_toggle.hidden.clone()} on_toggle={series_toggle.toggle.clone()} />
///     <RadarChart series={series} axes={axes} hidden={series_toggle.hidden.clone()} />
/// </> }
/// ```
#[hook]
pub fn use_hidden_series() -> HiddenSeries {
    let state = use_reducer(HiddenSet::default);
    let dispatcher = state.dispatcher();
    HiddenSeries {
        hidden: state.0.clone(),
        toggle: Callback::from(move |id: String| dispatcher.dispatch(id)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toggling_adds_then_removes() {
        let once = toggle_hidden(&[], "safe");
        assert_eq!(once, vec!["safe"]);
        let twice = toggle_hidden(&once, "think");
        assert_eq!(twice, vec!["safe", "think"]);
        assert_eq!(toggle_hidden(&twice, "safe"), vec!["think"]);
    }
}
