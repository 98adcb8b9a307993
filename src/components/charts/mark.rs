//! Interactive marks: the bars, radar vertices, heatmap cells and scatter points people hover,
//! focus and click.
//!
//! [`mark`] renders any of them from a [`MarkShape`] and a [`MarkView`] with the same
//! accessibility and test hooks (`tabindex`, `role="button"`, `aria-label`, `data-series`,
//! `data-category`, `data-value`), and [`MarkEvents`] wires the same behaviour: pointer hover
//! and keyboard focus put a [`Hover`] into the chart's state (shown by the tooltip); leaving or
//! blurring clears it; a click, Enter or Space reports the mark's [`ChartSelection`]. One
//! function for every chart keeps the behaviour uniform and the wasm small.

use super::labels::Rect;
use super::model::ChartSelection;
use super::path::num;
use yew::prelude::*;

/// The mark under the pointer or keyboard focus.
#[derive(Clone, Debug, PartialEq)]
pub struct Hover {
    /// Identifies the mark within its chart (to highlight it).
    pub key: String,
    /// The tooltip text.
    pub text: String,
    /// Where the tooltip points, in the chart's viewBox units.
    pub anchor: (f64, f64),
}

/// The event handlers of one interactive mark.
pub struct MarkEvents {
    /// Shows the tooltip.
    pub onmouseenter: Callback<MouseEvent>,
    /// Hides the tooltip.
    pub onmouseleave: Callback<MouseEvent>,
    /// Shows the tooltip for keyboard users.
    pub onfocus: Callback<FocusEvent>,
    /// Hides it again.
    pub onblur: Callback<FocusEvent>,
    /// Reports the selection.
    pub onclick: Callback<MouseEvent>,
    /// Reports the selection on Enter or Space.
    pub onkeydown: Callback<KeyboardEvent>,
}

impl MarkEvents {
    /// Handlers that show `target` in `hover` and report `selection` to `on_select`.
    pub fn new(
        hover: &UseStateHandle<Option<Hover>>,
        target: Hover,
        on_select: &Callback<ChartSelection>,
        selection: ChartSelection,
    ) -> MarkEvents {
        let onmouseenter = {
            let (hover, target) = (hover.clone(), target.clone());
            Callback::from(move |_: MouseEvent| hover.set(Some(target.clone())))
        };
        let onfocus = {
            let hover = hover.clone();
            Callback::from(move |_: FocusEvent| hover.set(Some(target.clone())))
        };
        let onmouseleave = {
            let hover = hover.clone();
            Callback::from(move |_: MouseEvent| hover.set(None))
        };
        let onblur = {
            let hover = hover.clone();
            Callback::from(move |_: FocusEvent| hover.set(None))
        };
        let onclick = {
            let selection = selection.clone();
            on_select.reform(move |_: MouseEvent| selection.clone())
        };
        let onkeydown = {
            let on_select = on_select.clone();
            Callback::from(move |event: KeyboardEvent| {
                if event.key() == "Enter" || event.key() == " " {
                    // Space would otherwise scroll the page.
                    event.prevent_default();
                    on_select.emit(selection.clone());
                }
            })
        };
        MarkEvents {
            onmouseenter,
            onmouseleave,
            onfocus,
            onblur,
            onclick,
            onkeydown,
        }
    }
}

/// The geometry of a mark.
#[derive(Clone, Debug, PartialEq)]
pub enum MarkShape {
    /// A `<rect>`.
    Rect(Rect),
    /// A `<circle>` at `(cx, cy)` with radius `r`.
    Circle {
        /// Centre x.
        cx: f64,
        /// Centre y.
        cy: f64,
        /// Radius.
        r: f64,
    },
    /// A `<path>` with this `d`.
    Path(String),
}

/// What a mark shows and says about itself.
#[derive(Clone, Debug, PartialEq)]
pub struct MarkView {
    /// CSS class (`bsa-bar`, `bsa-point`, ...).
    pub class: &'static str,
    /// Inline style: fill, stroke, cursor.
    pub style: String,
    /// The accessible label, the same text as the tooltip.
    pub label: String,
    /// `data-series`.
    pub series: String,
    /// `data-category`, when the mark belongs to a group.
    pub category: Option<String>,
    /// `data-value`: the raw number, or `n/a`.
    pub value: Option<String>,
    /// `data-n`.
    pub n: Option<usize>,
    /// `data-kind` (scatter points).
    pub kind: Option<&'static str>,
    /// `data-x` and `data-y` (scatter points).
    pub xy: Option<(f64, f64)>,
    /// A dash pattern for the outline (the "n/a" bar marker).
    pub dash: Option<&'static str>,
}

impl MarkView {
    /// A view with the required parts; the optional data attributes start empty.
    pub fn new(class: &'static str, style: String, label: String, series: String) -> MarkView {
        MarkView {
            class,
            style,
            label,
            series,
            category: None,
            value: None,
            n: None,
            kind: None,
            xy: None,
            dash: None,
        }
    }
}

/// `data-value` for a value: the number as Rust prints it, or `n/a`.
pub fn data_value(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_string(), |v| v.to_string())
}

/// Renders one interactive mark.
pub fn mark(shape: &MarkShape, view: MarkView, events: MarkEvents) -> Html {
    let (tag, rect, circle, d) = match shape {
        MarkShape::Rect(r) => ("rect", Some(*r), None, None),
        MarkShape::Circle { cx, cy, r } => ("circle", None, Some((*cx, *cy, *r)), None),
        MarkShape::Path(d) => ("path", None, None, Some(d.clone())),
    };
    html! {
        <@{tag} class={view.class}
            x={rect.map(|r| num(r.x))} y={rect.map(|r| num(r.y))}
            width={rect.map(|r| num(r.width))} height={rect.map(|r| num(r.height))}
            cx={circle.map(|c| num(c.0))} cy={circle.map(|c| num(c.1))} r={circle.map(|c| num(c.2))}
            d={d}
            style={view.style} stroke-dasharray={view.dash}
            tabindex="0" role="button" aria-label={view.label}
            data-series={view.series} data-category={view.category} data-value={view.value}
            data-n={view.n.map(|n| n.to_string())} data-kind={view.kind}
            data-x={view.xy.map(|xy| xy.0.to_string())} data-y={view.xy.map(|xy| xy.1.to_string())}
            onmouseenter={events.onmouseenter} onmouseleave={events.onmouseleave}
            onfocus={events.onfocus} onblur={events.onblur}
            onclick={events.onclick} onkeydown={events.onkeydown} />
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_values_print_numbers_or_not_available() {
        assert_eq!(data_value(Some(37.2417)), "37.2417");
        assert_eq!(data_value(Some(80.0)), "80");
        assert_eq!(data_value(None), "n/a");
    }
}
