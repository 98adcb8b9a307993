//! The radar chart: one axis per category, one polygon per series (model), 0-100 %.
//!
//! [`radar_layout`] computes the grid, the axis labels and, for each visible series, its
//! outline ([`RadarOutline`]: closed when every value is there, open runs otherwise) and its
//! vertices; [`RadarChart`] renders it. Each vertex is a focusable mark with a tooltip. A
//! missing value gets a hollow dashed marker near the centre of its axis, so it can still be
//! hovered ("n/a") and is never mistaken for 0 %.

use super::bar::measurement_tooltip;
use super::color::series_dash;
use super::format::{format_tick, ValueKind};
use super::mark::{data_value, mark, Hover, MarkEvents, MarkShape, MarkView};
use super::model::{data_warnings, visible_series, ChartSelection, MeasurementGroup, Series};
use super::path::{num, polygon, polyline};
use super::polar::{radar_outline, RadarGeometry, RadarOutline, TextAnchor};
use super::surface::{
    font_size, label_lines, next_chart_id, ChartSurface, TextMetrics, AXIS_STROKE, BACKGROUND,
    GRID_STROKE, HALO, LABEL_EM, MUTED_FILL, SMALL_EM,
};
use super::text::wrap;
use super::ticks::nice_ticks;
use yew::prelude::*;

/// The viewBox size of radar charts.
pub const RADAR_SIZE: (f64, f64) = (680.0, 560.0);
/// Characters per line of an axis label.
const AXIS_LABEL_CHARS: usize = 16;

/// Props of [`RadarChart`].
#[derive(Properties, PartialEq, Clone)]
pub struct RadarChartProps {
    /// Every series, hidden ones included.
    pub series: Vec<Series>,
    /// One group per axis, clockwise from the top; each holds one percentage per series.
    pub axes: Vec<MeasurementGroup>,
    /// Ids of series the legend has switched off.
    #[prop_or_default]
    pub hidden: Vec<String>,
    /// What the chart shows, for its accessible summary.
    #[prop_or_default]
    pub title: AttrValue,
    /// Appended to every tooltip, e.g. the metric (`Think@1`).
    #[prop_or_default]
    pub context: Option<AttrValue>,
    /// How much the page has enlarged its text (see [`GroupedBarChartProps::text_scale`]).
    ///
    /// [`GroupedBarChartProps::text_scale`]: super::bar::GroupedBarChartProps::text_scale
    #[prop_or(1.0)]
    pub text_scale: f64,
    /// Called with the series and axis of a clicked vertex.
    #[prop_or_default]
    pub on_select: Callback<ChartSelection>,
}

/// One vertex (or "n/a" marker) of a series.
#[derive(Clone, Debug, PartialEq)]
pub struct RadarVertex {
    /// The axis (group) id.
    pub axis: String,
    /// Where it is drawn.
    pub point: (f64, f64),
    /// The value; `None` draws the "n/a" marker.
    pub value: Option<f64>,
    /// Tooltip and accessible label.
    pub tooltip: String,
}

/// One series' outline and vertices.
#[derive(Clone, Debug, PartialEq)]
pub struct RadarShape {
    /// The series id.
    pub series: String,
    /// Stroke and fill colour.
    pub color: String,
    /// Dash pattern once the palette repeats.
    pub dash: Option<&'static str>,
    /// Path data of the outline.
    pub path: String,
    /// Whether the outline is closed (and filled).
    pub closed: bool,
    /// One entry per axis, in axis order.
    pub vertices: Vec<RadarVertex>,
}

/// An axis label.
#[derive(Clone, Debug, PartialEq)]
pub struct AxisLabel {
    /// The full label.
    pub label: String,
    /// Wrapped lines.
    pub lines: Vec<String>,
    /// Position of the first baseline.
    pub position: (f64, f64),
    /// Horizontal anchoring.
    pub anchor: TextAnchor,
}

/// Everything [`RadarChart`] draws.
#[derive(Clone, Debug, PartialEq)]
pub struct RadarLayout {
    /// The geometry.
    pub geometry: RadarGeometry,
    /// Grid rings: value, label and path.
    pub rings: Vec<(f64, String, String)>,
    /// Axis labels.
    pub labels: Vec<AxisLabel>,
    /// One shape per visible series.
    pub shapes: Vec<RadarShape>,
    /// The accessible summary.
    pub summary: String,
    /// Data problems to print.
    pub notes: Vec<String>,
}

/// Lays out the chart; see the module documentation.
pub fn radar_layout(props: &RadarChartProps) -> RadarLayout {
    let (width, height) = RADAR_SIZE;
    let m = TextMetrics::new(props.text_scale);
    let label_em = m.px(LABEL_EM);
    // Leave room for a full label line left and right, and three lines above and below.
    let side_room = AXIS_LABEL_CHARS as f64 * super::text::AVERAGE_CHAR_WIDTH_EM * label_em + 20.0;
    let radius = (width / 2.0 - side_room).min(height / 2.0 - 3.0 * m.line_height(LABEL_EM) - 16.0);
    let geometry = RadarGeometry {
        center: (width / 2.0, height / 2.0),
        radius: radius.max(40.0),
        axes: props.axes.len(),
        max: 100.0,
    };
    let ticks = nice_ticks(0.0, 100.0, 5);
    let rings = ticks
        .values
        .iter()
        .filter(|v| **v > 0.0)
        .map(|v| {
            (
                *v,
                format_tick(ValueKind::Percent, *v, ticks.step),
                polygon(&geometry.ring(*v)),
            )
        })
        .collect();
    let labels = props
        .axes
        .iter()
        .enumerate()
        .map(|(i, axis)| {
            let lines = wrap(&axis.label, AXIS_LABEL_CHARS, 3);
            let (x, y, anchor) = geometry.label_position(i, 12.0);
            let sin = geometry.angle(i).sin();
            let block = (lines.len().max(1) - 1) as f64 * m.line_height(LABEL_EM);
            // Grow away from the chart: labels above end at the rim, labels below start there,
            // side labels are centred on their spoke.
            let first_baseline = if sin < -0.3 {
                y - block
            } else if sin > 0.3 {
                y + 0.8 * label_em
            } else {
                y - block / 2.0 + 0.32 * label_em
            };
            AxisLabel {
                label: axis.label.clone(),
                lines,
                position: (x, first_baseline),
                anchor,
            }
        })
        .collect();

    let context = props.context.as_deref().unwrap_or("");
    let visible = visible_series(&props.series, &props.hidden);
    let shapes = visible
        .iter()
        .map(|(position, series)| {
            let measurements: Vec<_> = props.axes.iter().map(|a| a.get(&series.id)).collect();
            let values: Vec<Option<f64>> = measurements
                .iter()
                .map(|m| m.and_then(|m| m.finite_value()))
                .collect();
            let vertices = props
                .axes
                .iter()
                .zip(&measurements)
                .enumerate()
                .map(|(i, (axis, measurement))| {
                    let value = values[i];
                    let point = match value {
                        Some(v) => geometry.point(i, v),
                        // Spread the markers of different series along the axis.
                        None => geometry.at_distance(i, 10.0 + 9.0 * *position as f64),
                    };
                    let tooltip = match measurement {
                        Some(m) => measurement_tooltip(
                            &[&series.label, &axis.label, context],
                            ValueKind::Percent,
                            m,
                        ),
                        None => format!("{} \u{2013} {}: n/a (no data)", series.label, axis.label),
                    };
                    RadarVertex {
                        axis: axis.id.clone(),
                        point,
                        value,
                        tooltip,
                    }
                })
                .collect();
            let points = |indices: &[usize]| -> Vec<(f64, f64)> {
                indices
                    .iter()
                    .map(|&i| geometry.point(i, values[i].unwrap_or(0.0)))
                    .collect()
            };
            let (path, closed) = match radar_outline(&values) {
                RadarOutline::Closed => (
                    polygon(&points(&(0..values.len()).collect::<Vec<_>>())),
                    true,
                ),
                RadarOutline::Open(runs) => (
                    runs.iter()
                        .map(|run| polyline(&points(run)))
                        .collect::<Vec<_>>()
                        .join(""),
                    false,
                ),
            };
            RadarShape {
                series: series.id.clone(),
                color: series.color.clone(),
                dash: series_dash(*position),
                path,
                closed,
                vertices,
            }
        })
        .collect();

    let names: Vec<&str> = visible.iter().map(|(_, s)| s.label.as_str()).collect();
    let what = if props.title.is_empty() {
        "percent per category".to_string()
    } else {
        props.title.to_string()
    };
    let summary = format!(
        "Radar chart: {what}. {} axes, {} series shown ({}), 0 to 100 %.",
        props.axes.len(),
        visible.len(),
        names.join(", ")
    );
    let mut notes = data_warnings(&props.series, &props.axes);
    if props.axes.len() < 3 {
        notes.push("A radar chart needs at least three categories.".to_string());
    }
    RadarLayout {
        geometry,
        rings,
        labels,
        shapes,
        summary,
        notes,
    }
}

/// A radar chart; see the module documentation.
#[function_component(RadarChart)]
pub fn radar_chart(props: &RadarChartProps) -> Html {
    let uid = use_state(next_chart_id);
    let hover = use_state(|| None::<Hover>);
    let layout = radar_layout(props);
    let m = TextMetrics::new(props.text_scale);
    let geometry = layout.geometry;
    let (cx, cy) = geometry.center;

    let grid = html! {
        <g class="bsa-radar-grid" aria-hidden="true">
            { for layout.rings.iter().map(|(value, label, path)| html! {
                <>
                    <path d={path.clone()} style={format!("fill: none; {GRID_STROKE}")} />
                    // Just inside each ring, below its line, where the top axis label can't reach.
                    <text x={num(cx + 4.0)} y={num(geometry.point(0, *value).1 + m.px(SMALL_EM) + 1.0)}
                          style={format!("{MUTED_FILL}; {}; {HALO}", font_size(SMALL_EM))}>{ label.clone() }</text>
                </>
            }) }
            { for (0..geometry.axes).map(|i| {
                let (x, y) = geometry.point(i, 100.0);
                html! { <line x1={num(cx)} y1={num(cy)} x2={num(x)} y2={num(y)} style={AXIS_STROKE} /> }
            }) }
            { for layout.labels.iter().map(|l| label_lines(&l.label, &l.lines, l.position.0, l.position.1, l.anchor.as_str(), LABEL_EM)) }
        </g>
    };
    let outlines = layout.shapes.iter().map(|shape| {
        let style = format!(
            "fill: {}; fill-opacity: 0.12; stroke: {}; stroke-width: 2; stroke-linejoin: round; pointer-events: none",
            if shape.closed { shape.color.as_str() } else { "none" },
            shape.color
        );
        html! {
            <path class="bsa-radar-area" d={shape.path.clone()} style={style}
                  stroke-dasharray={shape.dash} data-series={shape.series.clone()} />
        }
    });
    let vertices = layout.shapes.iter().flat_map(|shape| {
        shape.vertices.iter().map(|vertex| {
            let key = format!("{}\u{1f}{}", shape.series, vertex.axis);
            let highlighted = hover.as_ref().is_some_and(|h| h.key == key);
            let events = MarkEvents::new(
                &hover,
                Hover { key, text: vertex.tooltip.clone(), anchor: vertex.point },
                &props.on_select,
                ChartSelection { series: Some(shape.series.clone()), category: Some(vertex.axis.clone()) },
            );
            let r = if highlighted { 6.5 } else { 4.5 };
            let style = match vertex.value {
                Some(_) => format!("fill: {}; stroke: {BACKGROUND}; stroke-width: 1.5; cursor: pointer", shape.color),
                None => format!("fill: {BACKGROUND}; stroke: {}; stroke-width: 1.5; stroke-dasharray: 2 2; cursor: pointer", shape.color),
            };
            let mut view = MarkView::new("bsa-radar-point", style, vertex.tooltip.clone(), shape.series.clone());
            view.category = Some(vertex.axis.clone());
            view.value = Some(data_value(vertex.value));
            mark(&MarkShape::Circle { cx: vertex.point.0, cy: vertex.point.1, r }, view, events)
        })
    });

    html! {
        <ChartSurface kind="radar" uid={(*uid).clone()} width={RADAR_SIZE.0} height={RADAR_SIZE.1}
                      summary={layout.summary.clone()} hover={(*hover).clone()} notes={layout.notes.clone()}>
            { grid }
            <g class="bsa-radar-areas">{ for outlines }</g>
            <g class="bsa-radar-points">{ for vertices }</g>
        </ChartSurface>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::charts::model::Measurement;

    fn axes(values: &[(Option<f64>, Option<f64>)]) -> Vec<MeasurementGroup> {
        values
            .iter()
            .enumerate()
            .map(|(i, (a, b))| {
                MeasurementGroup::new(
                    format!("c{i}"),
                    format!("Category {i}"),
                    vec![
                        Measurement::new("m1", *a, 100),
                        Measurement::new("m2", *b, 100),
                    ],
                )
            })
            .collect()
    }

    fn props(axes: Vec<MeasurementGroup>) -> RadarChartProps {
        RadarChartProps {
            series: Series::with_palette([("m1", "Model one"), ("m2", "Model two")]),
            axes,
            hidden: vec![],
            title: AttrValue::default(),
            context: None,
            text_scale: 1.0,
            on_select: Callback::noop(),
        }
    }

    #[test]
    fn complete_series_are_closed_polygons() {
        let layout = radar_layout(&props(axes(&[(Some(100.0), Some(50.0)); 4])));
        assert_eq!(layout.shapes.len(), 2);
        let g = layout.geometry;
        let (cx, cy) = g.center;
        // Model one at 100 % on all four axes: a diamond through the rim points, starting at
        // the top (cx, cy - r), then right, bottom, left.
        let expected = polygon(&[
            (cx, cy - g.radius),
            (cx + g.radius, cy),
            (cx, cy + g.radius),
            (cx - g.radius, cy),
        ]);
        assert!(layout.shapes[0].closed);
        assert_eq!(layout.shapes[0].path, expected);
        // Model two at 50 %: its right vertex is half a radius from the centre.
        let right = layout.shapes[1].vertices[1].point;
        assert!((right.0 - (cx + g.radius / 2.0)).abs() < 1e-9);
    }

    #[test]
    fn missing_values_open_the_outline_and_get_markers() {
        let layout = radar_layout(&props(axes(&[
            (Some(80.0), Some(10.0)),
            (None, Some(20.0)),
            (Some(60.0), Some(30.0)),
        ])));
        let shape = &layout.shapes[0];
        assert!(!shape.closed);
        // The only run wraps from axis 2 to axis 0: one "M..L.." sub-path with no Z.
        assert_eq!(shape.path.matches('M').count(), 1);
        assert!(!shape.path.contains('Z'));
        let missing = &shape.vertices[1];
        assert_eq!(missing.value, None);
        assert!(
            missing.tooltip.ends_with(": n/a (n = 100)"),
            "{}",
            missing.tooltip
        );
        // The marker sits on its axis (axis 1 of 3 points at -90 + 120 = 30 degrees), 10 out.
        let (cx, cy) = layout.geometry.center;
        let angle = 30f64.to_radians();
        assert!((missing.point.0 - (cx + 10.0 * angle.cos())).abs() < 1e-9);
        assert!((missing.point.1 - (cy + 10.0 * angle.sin())).abs() < 1e-9);
    }

    #[test]
    fn rings_labels_and_hidden_series() {
        let mut p = props(axes(&[(Some(1.0), Some(2.0)); 9]));
        p.hidden = vec!["m1".into()];
        let layout = radar_layout(&p);
        assert_eq!(layout.shapes.len(), 1);
        assert_eq!(layout.shapes[0].series, "m2");
        // Rings at 20, 40, 60, 80 and 100 %.
        let labels: Vec<&str> = layout.rings.iter().map(|r| r.1.as_str()).collect();
        assert_eq!(labels, vec!["20 %", "40 %", "60 %", "80 %", "100 %"]);
        assert_eq!(layout.labels.len(), 9);
        assert_eq!(layout.labels[0].anchor, TextAnchor::Middle);
        assert!(layout.notes.is_empty());
        // The labels fit in the view box: the estimated width of every line stays inside.
        for label in &layout.labels {
            for line in &label.lines {
                let w = super::super::text::estimate_width(line, LABEL_EM * 16.0);
                let (x, _) = label.position;
                let (left, right) = match label.anchor {
                    TextAnchor::Start => (x, x + w),
                    TextAnchor::End => (x - w, x),
                    TextAnchor::Middle => (x - w / 2.0, x + w / 2.0),
                };
                assert!(
                    left >= 0.0 && right <= RADAR_SIZE.0,
                    "{line} leaves the chart"
                );
            }
        }
    }

    #[test]
    fn series_without_a_measurement_on_an_axis_is_not_available() {
        let mut groups = axes(&[(Some(1.0), Some(2.0)); 3]);
        groups[2].measurements.retain(|m| m.series != "m2");
        let layout = radar_layout(&props(groups));
        assert_eq!(layout.shapes[1].vertices[2].value, None);
        assert!(layout.shapes[1].vertices[2]
            .tooltip
            .ends_with("n/a (no data)"));
    }
}
