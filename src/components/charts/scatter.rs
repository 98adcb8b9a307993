//! The scatter plot: one point per model, x = Safe@1 and y = Think@1 by default, published
//! leaderboard models as hollow grey circles and the user's own models as filled diamonds.
//!
//! [`scatter_layout`] fits the axes to the data (or shows the full 0-100 % square), places the
//! points and their labels ([`place_labels`]: the user's models first; a label with no free
//! spot is left to the tooltip) and lists points that can't be drawn because a coordinate is
//! missing, so they are named under the plot instead of vanishing. [`ScatterPlot`] renders it.

use super::format::{format_n, format_tick, format_value, ValueKind};
use super::labels::{place_labels, LabelRequest, Rect};
use super::mark::{mark, Hover, MarkEvents, MarkShape, MarkView};
use super::model::{ChartSelection, PointKind, ScatterPoint};
use super::path::{diamond, num};
use super::scale::LinearScale;
use super::surface::{
    font_size, next_chart_id, vertical_title, ChartSurface, TextMetrics, AXIS_STROKE, BACKGROUND,
    GRID_STROKE, LABEL_EM, MUTED_FILL, SMALL_EM, TEXT_FILL, TICK_EM,
};
use super::text::{estimate_width, truncate};
use super::ticks::{nice_ticks, Ticks};
use bsa_core::sort;
use yew::prelude::*;

/// The viewBox size of scatter plots.
pub const SCATTER_SIZE: (f64, f64) = (800.0, 500.0);
/// The colour of the user's own models: Okabe-Ito vermillion, apart from the grey published
/// points in hue and lightness.
pub const LOADED_COLOR: &str = "#D55E00";
/// Marker half-sizes.
const PUBLISHED_RADIUS: f64 = 5.0;
const LOADED_RADIUS: f64 = 7.0;
/// Longest label drawn next to a point (the tooltip has the full name).
const LABEL_CHARS: usize = 28;

/// Props of [`ScatterPlot`].
#[derive(Properties, PartialEq, Clone)]
pub struct ScatterPlotProps {
    /// The models.
    pub points: Vec<ScatterPoint>,
    /// The x metric's name.
    #[prop_or(AttrValue::Static("Safe@1"))]
    pub x_label: AttrValue,
    /// The y metric's name.
    #[prop_or(AttrValue::Static("Think@1"))]
    pub y_label: AttrValue,
    /// Show the whole 0-100 % square instead of fitting the axes to the points.
    #[prop_or_default]
    pub full_scale: bool,
    /// What the chart shows, for its accessible summary.
    #[prop_or_default]
    pub title: AttrValue,
    /// The key's name for published models.
    #[prop_or(AttrValue::Static("Published"))]
    pub published_label: AttrValue,
    /// The key's name for the user's models.
    #[prop_or(AttrValue::Static("Your runs"))]
    pub loaded_label: AttrValue,
    /// How much the page has enlarged its text (see [`GroupedBarChartProps::text_scale`]).
    ///
    /// [`GroupedBarChartProps::text_scale`]: super::bar::GroupedBarChartProps::text_scale
    #[prop_or(1.0)]
    pub text_scale: f64,
    /// Called with the id of a clicked point (as `series`).
    #[prop_or_default]
    pub on_select: Callback<ChartSelection>,
}

/// One drawn point.
#[derive(Clone, Debug, PartialEq)]
pub struct ScatterMark {
    /// The point's id.
    pub id: String,
    /// Published or loaded.
    pub kind: PointKind,
    /// Its position.
    pub center: (f64, f64),
    /// The data values.
    pub values: (f64, f64),
    /// Items evaluated, when known.
    pub n: Option<usize>,
    /// The label drawn beside it and its box, if there was room.
    pub label: Option<(String, Rect)>,
    /// Tooltip and accessible label.
    pub tooltip: String,
}

/// Everything [`ScatterPlot`] draws.
#[derive(Clone, Debug, PartialEq)]
pub struct ScatterLayout {
    /// The plot area.
    pub plot: Rect,
    /// x axis ticks.
    pub x_ticks: Ticks,
    /// y axis ticks.
    pub y_ticks: Ticks,
    /// The points, published first so the user's are drawn on top.
    pub marks: Vec<ScatterMark>,
    /// The accessible summary.
    pub summary: String,
    /// Points that could not be drawn, and why.
    pub notes: Vec<String>,
}

/// The axis for values `values`: fitted with a little padding, within 0-100 %.
fn fitted_ticks(values: impl Iterator<Item = f64>, full_scale: bool) -> Ticks {
    let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if full_scale || !low.is_finite() {
        return nice_ticks(0.0, 100.0, 5);
    }
    let pad = (0.04 * (high - low)).max(1.0);
    // Every 1/2/5 x 10^k step with k <= 1 divides 100, so the nice extension stays in 0-100.
    nice_ticks((low - pad).max(0.0), (high + pad).min(100.0), 5)
}

/// Lays out the plot; see the module documentation.
pub fn scatter_layout(props: &ScatterPlotProps) -> ScatterLayout {
    let (width, height) = SCATTER_SIZE;
    let plotted: Vec<(&ScatterPoint, f64, f64)> = props
        .points
        .iter()
        .filter_map(
            |p| match (p.x.filter(|v| v.is_finite()), p.y.filter(|v| v.is_finite())) {
                (Some(x), Some(y)) => Some((p, x, y)),
                _ => None,
            },
        )
        .collect();
    let x_ticks = fitted_ticks(plotted.iter().map(|p| p.1), props.full_scale);
    let y_ticks = fitted_ticks(plotted.iter().map(|p| p.2), props.full_scale);

    let m = TextMetrics::new(props.text_scale);
    let tick_px = m.px(TICK_EM);
    let label_px = m.px(LABEL_EM);
    let left = 12.0 + 1.6 * label_px + estimate_width("100 %", tick_px) + 8.0;
    let top = 44.0;
    // Room for half of the last x tick label ("100 %"), which is centred on the plot's edge.
    let right = (m.width("100 %", TICK_EM) / 2.0 + 6.0).max(24.0);
    let bottom = 8.0 + tick_px + 10.0 + 1.6 * label_px;
    let plot = Rect {
        x: left,
        y: top,
        width: width - left - right,
        height: height - top - bottom,
    };
    let sx = LinearScale::new((x_ticks.min, x_ticks.max), (plot.x, plot.x + plot.width));
    let sy = LinearScale::new((y_ticks.min, y_ticks.max), (plot.y + plot.height, plot.y));

    // Label the user's models first: they win the free spots.
    let mut order: Vec<usize> = (0..plotted.len()).collect();
    sort::sort_by_key(&mut order, |&i| plotted[i].0.kind != PointKind::Loaded);
    let small_px = m.px(SMALL_EM);
    let texts: Vec<String> = plotted
        .iter()
        .map(|p| truncate(&p.0.label, LABEL_CHARS))
        .collect();
    let requests: Vec<LabelRequest> = order
        .iter()
        .map(|&i| LabelRequest {
            anchor: (
                sx.apply_clamped(plotted[i].1),
                sy.apply_clamped(plotted[i].2),
            ),
            width: estimate_width(&texts[i], small_px),
            height: small_px * 1.1,
        })
        .collect();
    let spots = place_labels(&requests, LOADED_RADIUS, plot);
    let mut label_of: Vec<Option<Rect>> = vec![None; plotted.len()];
    for (slot, &i) in order.iter().enumerate() {
        label_of[i] = spots[slot];
    }

    let kind_name = |kind: PointKind| match kind {
        PointKind::Published => props.published_label.to_string(),
        PointKind::Loaded => props.loaded_label.to_string(),
    };
    let mut marks: Vec<ScatterMark> = plotted
        .iter()
        .enumerate()
        .map(|(i, &(point, x, y))| {
            let n = point
                .n
                .map(|n| format!(" ({})", format_n(n)))
                .unwrap_or_default();
            ScatterMark {
                id: point.id.clone(),
                kind: point.kind,
                center: (sx.apply_clamped(x), sy.apply_clamped(y)),
                values: (x, y),
                n: point.n,
                label: label_of[i].map(|rect| (texts[i].clone(), rect)),
                tooltip: format!(
                    "{} ({}): {} {}, {} {}{n}",
                    point.label,
                    kind_name(point.kind),
                    props.x_label,
                    format_value(ValueKind::Percent, Some(x)),
                    props.y_label,
                    format_value(ValueKind::Percent, Some(y)),
                ),
            }
        })
        .collect();
    // Draw order: published underneath, the user's models on top.
    sort::sort_by_key(&mut marks, |m| m.kind == PointKind::Loaded);

    let missing: Vec<&str> = props
        .points
        .iter()
        .filter(|p| !plotted.iter().any(|(q, _, _)| std::ptr::eq(*q, *p)))
        .map(|p| p.label.as_str())
        .collect();
    let mut notes = Vec::new();
    if !missing.is_empty() {
        notes.push(format!(
            "Not plotted, {} or {} not available: {}.",
            props.x_label,
            props.y_label,
            missing.join(", ")
        ));
    }
    let loaded = marks.iter().filter(|m| m.kind == PointKind::Loaded).count();
    let what = if props.title.is_empty() {
        format!("{} against {}", props.y_label, props.x_label)
    } else {
        props.title.to_string()
    };
    let summary = format!(
        "Scatter plot: {what}. {} models ({} published, {loaded} yours); x {} to {}, y {} to {}.",
        marks.len(),
        marks.len() - loaded,
        format_tick(ValueKind::Percent, x_ticks.min, x_ticks.step),
        format_tick(ValueKind::Percent, x_ticks.max, x_ticks.step),
        format_tick(ValueKind::Percent, y_ticks.min, y_ticks.step),
        format_tick(ValueKind::Percent, y_ticks.max, y_ticks.step),
    );
    ScatterLayout {
        plot,
        x_ticks,
        y_ticks,
        marks,
        summary,
        notes,
    }
}

fn point_style(kind: PointKind, highlighted: bool) -> String {
    let width = if highlighted { 3.0 } else { 1.5 };
    match kind {
        PointKind::Published => format!(
            "fill: {BACKGROUND}; stroke: var(--chart-muted, #777); stroke-width: {width}; cursor: pointer"
        ),
        PointKind::Loaded => format!(
            "fill: {LOADED_COLOR}; stroke: {}; stroke-width: {width}; cursor: pointer",
            if highlighted { "var(--chart-text, #222)" } else { BACKGROUND }
        ),
    }
}

/// A scatter plot; see the module documentation.
#[function_component(ScatterPlot)]
pub fn scatter_plot(props: &ScatterPlotProps) -> Html {
    let uid = use_state(next_chart_id);
    let hover = use_state(|| None::<Hover>);
    let layout = scatter_layout(props);
    let m = TextMetrics::new(props.text_scale);
    let plot = layout.plot;
    let (x0, x1, y0, y1) = (plot.x, plot.x + plot.width, plot.y, plot.y + plot.height);
    let sx = LinearScale::new((layout.x_ticks.min, layout.x_ticks.max), (x0, x1));
    let sy = LinearScale::new((layout.y_ticks.min, layout.y_ticks.max), (y1, y0));
    let tick_style = format!("{TEXT_FILL}; {}", font_size(TICK_EM));

    let grid = html! {
        <g class="bsa-axis" aria-hidden="true">
            { for layout.x_ticks.values.iter().map(|v| {
                let x = sx.apply(*v);
                html! { <>
                    <line x1={num(x)} x2={num(x)} y1={num(y0)} y2={num(y1)} style={GRID_STROKE} />
                    <text x={num(x)} y={num(y1 + 8.0)} dy="0.8em" text-anchor="middle" style={tick_style.clone()}>
                        { format_tick(ValueKind::Percent, *v, layout.x_ticks.step) }
                    </text>
                </> }
            }) }
            { for layout.y_ticks.values.iter().map(|v| {
                let y = sy.apply(*v);
                html! { <>
                    <line x1={num(x0)} x2={num(x1)} y1={num(y)} y2={num(y)} style={GRID_STROKE} />
                    <text x={num(x0 - 8.0)} y={num(y)} dy="0.32em" text-anchor="end" style={tick_style.clone()}>
                        { format_tick(ValueKind::Percent, *v, layout.y_ticks.step) }
                    </text>
                </> }
            }) }
            <path d={format!("M{} {}V{}H{}", num(x0), num(y0), num(y1), num(x1))} style={format!("fill: none; {AXIS_STROKE}")} />
            <text x={num((x0 + x1) / 2.0)} y={num(SCATTER_SIZE.1 - 10.0)} text-anchor="middle"
                  style={format!("{TEXT_FILL}; {}", font_size(LABEL_EM))}>{ format!("{} (%)", props.x_label) }</text>
            { vertical_title(&format!("{} (%)", props.y_label), 12.0 + 0.6 * m.px(LABEL_EM), (y0 + y1) / 2.0) }
        </g>
    };

    let kinds_present = |kind: PointKind| layout.marks.iter().any(|m| m.kind == kind);
    let key_style = format!("{TEXT_FILL}; {}", font_size(SMALL_EM));
    let key_y = 20.0;
    let published_width = estimate_width(&props.published_label, m.px(SMALL_EM)) + 36.0;
    let key = html! {
        <g class="bsa-scatter-key" aria-hidden="true">
            if kinds_present(PointKind::Published) {
                <circle cx={num(x0 + PUBLISHED_RADIUS)} cy={num(key_y)} r={num(PUBLISHED_RADIUS)} style={point_style(PointKind::Published, false)} />
                <text x={num(x0 + 16.0)} y={num(key_y)} dy="0.32em" style={key_style.clone()}>{ props.published_label.clone() }</text>
            }
            if kinds_present(PointKind::Loaded) {
                <path d={diamond(x0 + published_width + LOADED_RADIUS, key_y, LOADED_RADIUS)} style={point_style(PointKind::Loaded, false)} />
                <text x={num(x0 + published_width + 20.0)} y={num(key_y)} dy="0.32em" style={key_style}>{ props.loaded_label.clone() }</text>
            }
        </g>
    };

    let labels = layout.marks.iter().filter_map(|m| {
        let (text, rect) = m.label.as_ref()?;
        let style = if m.kind == PointKind::Loaded { TEXT_FILL } else { MUTED_FILL };
        Some(html! {
            <text class="bsa-point-label" x={num(rect.x)} y={num(rect.y + rect.height * 0.8)} aria-hidden="true"
                  style={format!("{style}; {}; pointer-events: none", font_size(SMALL_EM))}>{ text.clone() }</text>
        })
    });
    let points = layout.marks.iter().map(|m| {
        let highlighted = hover.as_ref().is_some_and(|h| h.key == m.id);
        let events = MarkEvents::new(
            &hover,
            Hover {
                key: m.id.clone(),
                text: m.tooltip.clone(),
                anchor: m.center,
            },
            &props.on_select,
            ChartSelection {
                series: Some(m.id.clone()),
                category: None,
            },
        );
        let style = point_style(m.kind, highlighted);
        let (cx, cy) = m.center;
        let shape = match m.kind {
            PointKind::Published => MarkShape::Circle {
                cx,
                cy,
                r: PUBLISHED_RADIUS,
            },
            PointKind::Loaded => MarkShape::Path(diamond(cx, cy, LOADED_RADIUS)),
        };
        let mut view = MarkView::new("bsa-point", style, m.tooltip.clone(), m.id.clone());
        view.kind = Some(m.kind.as_str());
        view.xy = Some(m.values);
        view.n = m.n;
        mark(&shape, view, events)
    });

    html! {
        <ChartSurface kind="scatter" uid={(*uid).clone()} width={SCATTER_SIZE.0} height={SCATTER_SIZE.1}
                      summary={layout.summary.clone()} hover={(*hover).clone()} notes={layout.notes.clone()}>
            { grid }
            { key }
            <g class="bsa-point-labels">{ for labels }</g>
            <g class="bsa-points">{ for points }</g>
        </ChartSurface>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(id: &str, x: Option<f64>, y: Option<f64>, kind: PointKind) -> ScatterPoint {
        ScatterPoint {
            id: id.into(),
            label: format!("Model {id}"),
            x,
            y,
            n: Some(2000),
            kind,
        }
    }

    fn props(points: Vec<ScatterPoint>) -> ScatterPlotProps {
        ScatterPlotProps {
            points,
            x_label: "Safe@1".into(),
            y_label: "Think@1".into(),
            full_scale: false,
            title: AttrValue::default(),
            published_label: "Published".into(),
            loaded_label: "Your runs".into(),
            text_scale: 1.0,
            on_select: Callback::noop(),
        }
    }

    #[test]
    fn axes_fit_the_data_within_zero_to_hundred() {
        // x from 40 to 99: pad = max(0.04 x 59, 1) = 2.36 -> [37.64, 100] (capped);
        // raw step 62.36 / 5 = 12.5 -> 1.25 < sqrt 2 -> step 10 -> [30, 100].
        let layout = scatter_layout(&props(vec![
            point("a", Some(40.0), Some(20.0), PointKind::Published),
            point("b", Some(99.0), Some(60.0), PointKind::Loaded),
        ]));
        assert_eq!(
            (layout.x_ticks.min, layout.x_ticks.max, layout.x_ticks.step),
            (30.0, 100.0, 10.0)
        );
        // y from 20 to 60: pad 1.6 -> [18.4, 61.6], raw 8.64 -> step 10 -> [10, 70].
        assert_eq!((layout.y_ticks.min, layout.y_ticks.max), (10.0, 70.0));
        let full = scatter_layout(&ScatterPlotProps {
            full_scale: true,
            ..props(vec![])
        });
        assert_eq!((full.x_ticks.min, full.x_ticks.max), (0.0, 100.0));
    }

    #[test]
    fn points_land_where_their_values_are() {
        let mut p = props(vec![
            point("a", Some(0.0), Some(100.0), PointKind::Published),
            point("b", Some(100.0), Some(0.0), PointKind::Loaded),
        ]);
        p.full_scale = true;
        let layout = scatter_layout(&p);
        let plot = layout.plot;
        // (0, 100) is the top-left corner of the plot, (100, 0) the bottom-right.
        assert_eq!(layout.marks[0].center, (plot.x, plot.y));
        assert_eq!(
            layout.marks[1].center,
            (plot.x + plot.width, plot.y + plot.height)
        );
        assert_eq!(
            layout.marks[1].kind,
            PointKind::Loaded,
            "the user's points are drawn last"
        );
    }

    #[test]
    fn missing_coordinates_are_named_not_dropped() {
        let layout = scatter_layout(&props(vec![
            point("a", Some(50.0), Some(50.0), PointKind::Published),
            point("b", None, Some(50.0), PointKind::Loaded),
            point("c", Some(50.0), Some(f64::NAN), PointKind::Loaded),
        ]));
        assert_eq!(layout.marks.len(), 1);
        assert_eq!(
            layout.notes,
            vec!["Not plotted, Safe@1 or Think@1 not available: Model b, Model c.".to_string()]
        );
    }

    #[test]
    fn tooltips_give_both_values_and_n() {
        let layout = scatter_layout(&props(vec![point(
            "x",
            Some(95.2),
            Some(37.2417),
            PointKind::Loaded,
        )]));
        assert_eq!(
            layout.marks[0].tooltip,
            "Model x (Your runs): Safe@1 95.20 %, Think@1 37.24 % (n = 2,000)"
        );
    }

    #[test]
    fn the_users_models_are_labelled_first() {
        // Two points at the same spot: four free sides for the first label placed; the loaded
        // point is listed second but must still get the first choice (the right side).
        let layout = scatter_layout(&props(vec![
            point("pub", Some(50.0), Some(50.0), PointKind::Published),
            point("mine", Some(50.0), Some(50.0), PointKind::Loaded),
        ]));
        let mine = layout.marks.iter().find(|m| m.id == "mine").unwrap();
        let published = layout.marks.iter().find(|m| m.id == "pub").unwrap();
        let (_, mine_rect) = mine.label.as_ref().expect("loaded label placed");
        assert!(mine_rect.x > mine.center.0, "right of the point");
        let (_, pub_rect) = published.label.as_ref().expect("published label placed");
        assert!(
            pub_rect.x + pub_rect.width < published.center.0,
            "left of the point"
        );
    }
}
