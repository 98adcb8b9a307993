//! The tooltip: the exact value and n of the hovered or focused mark.
//!
//! [`Tooltip`] draws the chart's current [`Hover`] as an absolutely positioned HTML box over the
//! `<svg>`: HTML so that the browser sizes and wraps the text whatever the font size, and so it
//! never ends up in an export. [`tooltip_style`] places it. The text is a Yew text node, so
//! model output in a label can never become markup.

use super::mark::Hover;
use yew::prelude::*;

/// The inline style that places a tooltip at `anchor` of a `view` sized chart: above the
/// anchor (below it near the top edge), centred (left- or right-aligned near the sides) so it
/// stays over the chart. Positions are percentages, so they hold at any rendered size.
pub fn tooltip_style(anchor: (f64, f64), view: (f64, f64)) -> String {
    let fraction = |v: f64, total: f64| {
        if total > 0.0 && v.is_finite() {
            (v / total).clamp(0.0, 1.0)
        } else {
            0.5
        }
    };
    let (fx, fy) = (fraction(anchor.0, view.0), fraction(anchor.1, view.1));
    let shift_x = if fx < 0.15 {
        "-8px"
    } else if fx > 0.85 {
        "calc(-100% + 8px)"
    } else {
        "-50%"
    };
    let shift_y = if fy < 0.2 {
        "12px"
    } else {
        "calc(-100% - 12px)"
    };
    format!(
        "position:absolute;left:{:.2}%;top:{:.2}%;transform:translate({shift_x},{shift_y});\
         pointer-events:none;z-index:10;max-width:22rem;padding:0.35rem 0.6rem;\
         border-radius:0.3rem;font-size:0.875rem;line-height:1.3;\
         background:var(--chart-tooltip-bg, rgba(24,24,24,0.94));\
         color:var(--chart-tooltip-text, #fff);box-shadow:0 2px 8px rgba(0,0,0,0.25)",
        fx * 100.0,
        fy * 100.0
    )
}

/// Props of [`Tooltip`].
#[derive(Properties, PartialEq)]
pub struct TooltipProps {
    /// What to show; nothing when `None`.
    pub hover: Option<Hover>,
    /// The chart's viewBox size.
    pub view: (f64, f64),
}

/// The tooltip box (renders nothing when nothing is hovered).
#[function_component(Tooltip)]
pub fn tooltip(props: &TooltipProps) -> Html {
    match &props.hover {
        Some(hover) => html! {
            <div class="bsa-chart-tooltip" role="tooltip" style={tooltip_style(hover.anchor, props.view)}>
                { hover.text.clone() }
            </div>
        },
        None => Html::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tooltip_sits_above_the_anchor_in_the_middle() {
        // (400, 200) in an 800 x 400 chart: 50 % across, 50 % down.
        let style = tooltip_style((400.0, 200.0), (800.0, 400.0));
        assert!(style.starts_with(
            "position:absolute;left:50.00%;top:50.00%;transform:translate(-50%,calc(-100% - 12px));"
        ));
    }

    #[test]
    fn tooltip_turns_inwards_at_the_edges() {
        // 40 / 800 = 5 % across: left-aligned; 20 / 400 = 5 % down: below the anchor.
        let style = tooltip_style((40.0, 20.0), (800.0, 400.0));
        assert!(style.contains("left:5.00%;top:5.00%;transform:translate(-8px,12px)"));
        // 95 % across: right-aligned.
        let style = tooltip_style((760.0, 300.0), (800.0, 400.0));
        assert!(style.contains("translate(calc(-100% + 8px),calc(-100% - 12px))"));
        // Out-of-range anchors are clamped to the chart.
        assert!(tooltip_style((-50.0, 900.0), (800.0, 400.0)).contains("left:0.00%;top:100.00%"));
    }
}
