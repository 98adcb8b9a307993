//! What every chart has in common: the `<svg>` root, its theme hooks and shared definitions.
//!
//! [`ChartSurface`] renders the wrapper `<div>` (the positioning context of the [`Tooltip`]),
//! the `<svg>` with its `viewBox`, `role="img"`, accessible summary and hatch pattern, the
//! chart's marks as children, and any data warnings as text under the plot. The style constants
//! here are the only place that names CSS custom properties, each with a fallback, so the list
//! the stylesheet must define is short: `--chart-text`, `--chart-muted`, `--chart-axis`,
//! `--chart-grid`, `--chart-bg`, `--chart-font`, `--chart-tooltip-bg` and
//! `--chart-tooltip-text`.
//!
//! Text sizes are in `em` of the `<svg>` root, whose own size is `1rem`: the app's large-type
//! mode (a larger root font) scales all chart text, and [`TextMetrics`] tells the layouts how
//! much room that text takes.

use super::mark::Hover;
use super::tooltip::Tooltip;
use std::sync::atomic::{AtomicUsize, Ordering};
use yew::prelude::*;

/// viewBox units per em at text scale 1: the browser's default 16 px.
pub const BASE_EM: f64 = 16.0;
/// Tick labels, in em.
pub const TICK_EM: f64 = 0.75;
/// Category and series labels, in em.
pub const LABEL_EM: f64 = 0.8125;
/// Small print (value labels, ring values), in em.
pub const SMALL_EM: f64 = 0.6875;
/// Distance between the baselines of wrapped label lines, in em of the label.
pub const LINE_HEIGHT_EM: f64 = 1.2;

/// Text sizes as layout sees them. Text in the `<svg>` is sized in `em` of a `1rem` root, so
/// when the page enlarges its root font (large-type mode) the text grows by itself; the layout
/// must then leave it more room. `text_scale` is that enlargement (root font size / 16 px), which
/// every chart takes as a prop.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TextMetrics {
    em: f64,
}

impl TextMetrics {
    /// Metrics at `text_scale` (clamped to 0.5-3; anything not finite counts as 1).
    pub fn new(text_scale: f64) -> TextMetrics {
        let scale = if text_scale.is_finite() {
            text_scale.clamp(0.5, 3.0)
        } else {
            1.0
        };
        TextMetrics {
            em: BASE_EM * scale,
        }
    }

    /// The size of text set at `em`, in viewBox units.
    pub fn px(self, em: f64) -> f64 {
        em * self.em
    }

    /// The estimated width of `text` set at `em`.
    pub fn width(self, text: &str, em: f64) -> f64 {
        super::text::estimate_width(text, self.px(em))
    }

    /// The distance between baselines of lines set at `em`.
    pub fn line_height(self, em: f64) -> f64 {
        LINE_HEIGHT_EM * self.px(em)
    }

    /// How many characters of a label set at `em` fit on one line of a band `width` wide.
    /// Lines may spill 10 % into the padding between bands, which lets "Confidentiality" stand
    /// whole under a bar group of a nine-category chart.
    pub fn label_capacity(self, width: f64, em: f64) -> usize {
        super::text::chars_fitting(width * 1.1, self.px(em))
    }
}

/// Chart text.
pub const TEXT_FILL: &str = "fill: var(--chart-text, #222)";
/// Secondary text (ring values, "n/a").
pub const MUTED_FILL: &str = "fill: var(--chart-muted, #666)";
/// Grid lines.
pub const GRID_STROKE: &str = "stroke: var(--chart-grid, #ddd); stroke-width: 1";
/// Axis lines and spokes.
pub const AXIS_STROKE: &str = "stroke: var(--chart-axis, #555); stroke-width: 1";
/// The page background, for outlines that separate marks.
pub const BACKGROUND: &str = "var(--chart-bg, #fff)";

/// A halo in the background colour behind text drawn over marks or grid lines (ring values,
/// bar values), so it stays legible wherever it lands.
pub const HALO: &str =
    "paint-order: stroke; stroke: var(--chart-bg, #fff); stroke-width: 3px; stroke-linejoin: round";

/// `font-size: <em>em`, the style of a text element.
pub fn font_size(em: f64) -> String {
    format!("font-size: {em}em")
}

/// A fresh identifier for one chart instance: `<defs>` ids (patterns, gradients) must be unique
/// in the page, or a chart hidden by `display: none` would take the next chart's pattern with it.
pub fn next_chart_id() -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!("bsa-chart-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// The `fill` that paints the "not available" hatch of chart `uid`.
pub fn hatch_fill(uid: &str) -> String {
    format!("url(#{uid}-hatch)")
}

/// Props of [`ChartSurface`].
#[derive(Properties, PartialEq)]
pub struct ChartSurfaceProps {
    /// Which chart this is (`bar`, `radar`, `heatmap`, `scatter`): the `data-chart` attribute.
    pub kind: AttrValue,
    /// The chart instance id from [`next_chart_id`].
    pub uid: AttrValue,
    /// viewBox width.
    pub width: f64,
    /// viewBox height.
    pub height: f64,
    /// One sentence saying what the chart shows, for `aria-label` and `<title>`.
    pub summary: AttrValue,
    /// The hovered mark, for the tooltip.
    pub hover: Option<Hover>,
    /// Data problems to print under the chart.
    #[prop_or_default]
    pub notes: Vec<String>,
    /// Extra definitions (gradients) for `<defs>`.
    #[prop_or_default]
    pub defs: Html,
    /// The marks.
    #[prop_or_default]
    pub children: Html,
}

/// The `<svg>` root and tooltip layer every chart draws into.
#[function_component(ChartSurface)]
pub fn chart_surface(props: &ChartSurfaceProps) -> Html {
    let view_box = format!(
        "0 0 {} {}",
        super::path::num(props.width),
        super::path::num(props.height)
    );
    let hatch = format!("{}-hatch", props.uid);
    html! {
        <div class="bsa-chart" data-chart={props.kind.clone()} style="position: relative">
            <svg
                class="bsa-chart-svg"
                viewBox={view_box}
                role="img"
                aria-label={props.summary.clone()}
                style="display: block; width: 100%; height: auto; overflow: visible; font-size: 1rem; \
                       font-family: var(--chart-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif)"
            >
                <title>{ props.summary.clone() }</title>
                <defs>
                    <pattern id={hatch} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                        <rect width="6" height="6" style={format!("fill: {BACKGROUND}")} />
                        <line x1="0" y1="0" x2="0" y2="6" style="stroke: var(--chart-muted, #888); stroke-width: 2" />
                    </pattern>
                    { props.defs.clone() }
                </defs>
                { props.children.clone() }
            </svg>
            <Tooltip hover={props.hover.clone()} view={(props.width, props.height)} />
            if !props.notes.is_empty() {
                <ul class="bsa-chart-notes">
                    { for props.notes.iter().map(|note| html! { <li>{ note.clone() }</li> }) }
                </ul>
            }
        </div>
    }
}

/// Horizontal grid lines and tick labels of a value axis on the left of a plot.
pub fn value_gridlines(ticks: &[(f64, String)], left: f64, right: f64) -> Html {
    use super::path::num;
    html! {
        <g class="bsa-axis bsa-axis-y" aria-hidden="true">
            { for ticks.iter().map(|(y, label)| html! {
                <>
                    <line x1={num(left)} x2={num(right)} y1={num(*y)} y2={num(*y)} style={GRID_STROKE} />
                    <text x={num(left - 8.0)} y={num(*y)} dy="0.32em" text-anchor="end"
                          style={format!("{TEXT_FILL}; {}", font_size(TICK_EM))}>{ label.clone() }</text>
                </>
            }) }
        </g>
    }
}

/// A vertical axis title, rotated to read bottom-up, centred on `(x, y)`.
pub fn vertical_title(text: &str, x: f64, y: f64) -> Html {
    use super::path::num;
    html! {
        <text transform={format!("translate({} {}) rotate(-90)", num(x), num(y))} text-anchor="middle"
              style={format!("{TEXT_FILL}; {}", font_size(LABEL_EM))} aria-hidden="true">{ text.to_string() }</text>
    }
}

/// Lines of a wrapped label, the first baseline at `y`, each [`LINE_HEIGHT_EM`] below the last;
/// the full label as a `<title>` so truncated names can still be read on hover.
pub fn label_lines(full: &str, lines: &[String], x: f64, y: f64, anchor: &str, em: f64) -> Html {
    use super::path::num;
    html! {
        <text x={num(x)} y={num(y)} text-anchor={anchor.to_string()}
              style={format!("{TEXT_FILL}; {}", font_size(em))}>
            <title>{ full.to_string() }</title>
            { for lines.iter().enumerate().map(|(i, line)| html! {
                <tspan x={num(x)} dy={if i == 0 { "0" } else { "1.2em" }}>{ line.clone() }</tspan>
            }) }
        </text>
    }
}
