//! The heatmap: rows are series (models), columns are groups (categories), each cell coloured by
//! its value on the sequential viridis scale, with the value printed in a text colour chosen for
//! contrast, and a colour legend underneath.
//!
//! It takes the same data as the bar and radar charts ([`Series`] x [`MeasurementGroup`]), so a
//! page can switch views. [`heatmap_layout`] computes the cells ([`HeatCell`]) natively;
//! [`Heatmap`] renders them. Missing values are hatched cells reading "n/a".

use super::bar::{measurement_tooltip, value_ticks};
use super::color::{readable_text_on, sequential, sequential_stops, Rgb};
use super::format::{format_short, format_tick, ValueKind};
use super::labels::Rect;
use super::mark::{data_value, mark, Hover, MarkEvents, MarkShape, MarkView};
use super::model::{data_warnings, visible_series, ChartSelection, MeasurementGroup, Series};
use super::path::num;
use super::surface::{
    font_size, hatch_fill, label_lines, next_chart_id, ChartSurface, TextMetrics, BACKGROUND,
    LABEL_EM, MUTED_FILL, SMALL_EM, TEXT_FILL, TICK_EM,
};
use super::text::{chars_fitting, estimate_width, truncate, wrap};
use super::ticks::Ticks;
use yew::prelude::*;

/// The viewBox width of heatmaps.
pub const HEATMAP_WIDTH: f64 = 960.0;
/// The height of one row.
const ROW_HEIGHT: f64 = 34.0;
/// The width of the colour legend's gradient bar.
const LEGEND_WIDTH: f64 = 240.0;

/// Props of [`Heatmap`].
#[derive(Properties, PartialEq, Clone)]
pub struct HeatmapProps {
    /// The rows: every series, hidden ones included.
    pub series: Vec<Series>,
    /// The columns, each with one measurement per series.
    pub groups: Vec<MeasurementGroup>,
    /// Ids of series (rows) switched off.
    #[prop_or_default]
    pub hidden: Vec<String>,
    /// Percentages or counts.
    #[prop_or_default]
    pub kind: ValueKind,
    /// What the chart shows, for its accessible summary.
    #[prop_or_default]
    pub title: AttrValue,
    /// Appended to every tooltip, e.g. the metric.
    #[prop_or_default]
    pub context: Option<AttrValue>,
    /// How much the page has enlarged its text (see [`GroupedBarChartProps::text_scale`]).
    ///
    /// [`GroupedBarChartProps::text_scale`]: super::bar::GroupedBarChartProps::text_scale
    #[prop_or(1.0)]
    pub text_scale: f64,
    /// Called with the row (series) and column (category) of a clicked cell.
    #[prop_or_default]
    pub on_select: Callback<ChartSelection>,
}

/// One cell.
#[derive(Clone, Debug, PartialEq)]
pub struct HeatCell {
    /// The row's series id.
    pub series: String,
    /// The column's group id.
    pub group: String,
    /// The cell's box.
    pub rect: Rect,
    /// The value; `None` is hatched.
    pub value: Option<f64>,
    /// Sample size (0 when the column has no measurement for the row).
    pub n: usize,
    /// The fill colour (for present values).
    pub fill: Option<Rgb>,
    /// The text colour chosen for contrast with the fill.
    pub text_color: Rgb,
    /// The printed value (`37.2`, `n/a`), empty when the cell is too narrow.
    pub text: String,
    /// Tooltip and accessible label.
    pub tooltip: String,
}

/// Everything [`Heatmap`] draws.
#[derive(Clone, Debug, PartialEq)]
pub struct HeatmapLayout {
    /// viewBox width.
    pub width: f64,
    /// viewBox height.
    pub height: f64,
    /// The left edge of the grid (row labels end just before it).
    pub grid_left: f64,
    /// Row labels: series id, truncated label, full label, y of the row's centre.
    pub rows: Vec<(String, String, String, f64)>,
    /// Column headers: full label, wrapped lines, x centre, y of the first baseline (headers
    /// are aligned at the bottom, next to the grid).
    pub columns: Vec<(String, Vec<String>, f64, f64)>,
    /// The cells, row by row.
    pub cells: Vec<HeatCell>,
    /// The colour scale's domain and ticks.
    pub ticks: Ticks,
    /// Top-left corner of the legend.
    pub legend_origin: (f64, f64),
    /// The accessible summary.
    pub summary: String,
    /// Data problems to print.
    pub notes: Vec<String>,
}

/// Lays out the heatmap; see the module documentation.
pub fn heatmap_layout(props: &HeatmapProps) -> HeatmapLayout {
    let width = HEATMAP_WIDTH;
    let m = TextMetrics::new(props.text_scale);
    let visible = visible_series(&props.series, &props.hidden);
    let widest_row = visible
        .iter()
        .map(|(_, s)| m.width(&s.label, LABEL_EM))
        .fold(0.0, f64::max);
    let left = (widest_row + 20.0).clamp(90.0, 220.0);
    let right = 12.0;
    let columns_count = props.groups.len().max(1);
    let column_width = (width - left - right) / columns_count as f64;
    let header_px = m.px(TICK_EM);
    let header_chars = m.label_capacity(column_width, TICK_EM);
    let wrapped: Vec<Vec<String>> = props
        .groups
        .iter()
        .map(|g| wrap(&g.label, header_chars, 3))
        .collect();
    let header_lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let top = 10.0 + header_lines as f64 * m.line_height(TICK_EM) + 8.0;
    let columns = props
        .groups
        .iter()
        .zip(wrapped)
        .enumerate()
        .map(|(i, (g, lines))| {
            let y = 10.0 + header_px + (header_lines - lines.len()) as f64 * m.line_height(TICK_EM);
            (
                g.label.clone(),
                lines,
                left + column_width * (i as f64 + 0.5),
                y,
            )
        })
        .collect();

    let ticks = value_ticks(
        props.kind,
        props.groups.iter().flat_map(|g| g.measurements.iter()),
    );
    let span = ticks.max - ticks.min;
    let row_chars = chars_fitting(left - 16.0, m.px(LABEL_EM));
    let context = props.context.as_deref().unwrap_or("");
    let mut rows = Vec::new();
    let mut cells = Vec::new();
    for (ri, (_, series)) in visible.iter().enumerate() {
        let y = top + ROW_HEIGHT * ri as f64;
        rows.push((
            series.id.clone(),
            truncate(&series.label, row_chars),
            series.label.clone(),
            y + ROW_HEIGHT / 2.0,
        ));
        for (ci, group) in props.groups.iter().enumerate() {
            let rect = Rect {
                x: left + column_width * ci as f64,
                y,
                width: column_width,
                height: ROW_HEIGHT,
            };
            let measurement = group.get(&series.id);
            let value = measurement.and_then(|m| m.finite_value());
            let fill = value.map(|v| {
                sequential(if span > 0.0 {
                    (v - ticks.min) / span
                } else {
                    0.0
                })
            });
            let text_color = fill.map_or(Rgb::new(0x66, 0x66, 0x66), readable_text_on);
            let fits = estimate_width("100.0", m.px(TICK_EM)) + 4.0 <= column_width;
            let tooltip = match measurement {
                Some(m) => {
                    measurement_tooltip(&[&series.label, &group.label, context], props.kind, m)
                }
                None => format!("{} \u{2013} {}: n/a (no data)", series.label, group.label),
            };
            cells.push(HeatCell {
                series: series.id.clone(),
                group: group.id.clone(),
                rect,
                value,
                n: measurement.map_or(0, |m| m.n),
                fill,
                text_color,
                text: if fits {
                    format_short(props.kind, value)
                } else {
                    String::new()
                },
                tooltip,
            });
        }
    }
    let grid_bottom = top + ROW_HEIGHT * visible.len() as f64;
    let legend_origin = (left, grid_bottom + 18.0);
    let height = legend_origin.1 + 12.0 + 8.0 + header_px + 10.0;

    let what = if props.title.is_empty() {
        "values".to_string()
    } else {
        props.title.to_string()
    };
    let summary = format!(
        "Heatmap: {what}. {} rows, {} columns; darker purple is lower, yellow is higher ({} to {}).",
        visible.len(),
        props.groups.len(),
        format_tick(props.kind, ticks.min, ticks.step),
        format_tick(props.kind, ticks.max, ticks.step)
    );
    HeatmapLayout {
        width,
        height,
        grid_left: left,
        rows,
        columns,
        cells,
        ticks,
        legend_origin,
        summary,
        notes: data_warnings(&props.series, &props.groups),
    }
}

/// A heatmap; see the module documentation.
#[function_component(Heatmap)]
pub fn heatmap(props: &HeatmapProps) -> Html {
    let uid = use_state(next_chart_id);
    let hover = use_state(|| None::<Hover>);
    let layout = heatmap_layout(props);
    let m = TextMetrics::new(props.text_scale);
    let gradient_id = format!("{}-scale", *uid);

    let cells = layout.cells.iter().map(|cell| {
        let key = format!("{}\u{1f}{}", cell.series, cell.group);
        let highlighted = hover.as_ref().is_some_and(|h| h.key == key);
        let events = MarkEvents::new(
            &hover,
            Hover {
                key,
                text: cell.tooltip.clone(),
                anchor: (cell.rect.x + cell.rect.width / 2.0, cell.rect.y),
            },
            &props.on_select,
            ChartSelection { series: Some(cell.series.clone()), category: Some(cell.group.clone()) },
        );
        let fill = cell.fill.map_or_else(|| hatch_fill(&uid), Rgb::to_hex);
        let stroke = if highlighted { "var(--chart-text, #222)" } else { BACKGROUND };
        let (cx, cy) = (cell.rect.x + cell.rect.width / 2.0, cell.rect.y + cell.rect.height / 2.0);
        let style = format!(
            "fill: {fill}; stroke: {stroke}; stroke-width: {}; cursor: pointer",
            if highlighted { 2.5 } else { 1.5 }
        );
        let mut view = MarkView::new("bsa-heat-cell", style, cell.tooltip.clone(), cell.series.clone());
        view.category = Some(cell.group.clone());
        view.value = Some(data_value(cell.value));
        view.n = Some(cell.n);
        html! {
            <g class="bsa-heat-mark">
                { mark(&MarkShape::Rect(cell.rect), view, events) }
                if !cell.text.is_empty() {
                    <text x={num(cx)} y={num(cy)} dy="0.35em" text-anchor="middle" aria-hidden="true"
                          style={if cell.value.is_some() {
                              format!("fill: {}; {}; pointer-events: none", cell.text_color.to_hex(), font_size(TICK_EM))
                          } else {
                              format!("{MUTED_FILL}; {}; pointer-events: none", font_size(TICK_EM))
                          }}>
                        { cell.text.clone() }
                    </text>
                }
            </g>
        }
    });

    let (lx, ly) = layout.legend_origin;
    let scale_span = layout.ticks.max - layout.ticks.min;
    let legend = html! {
        <g class="bsa-heat-legend" aria-hidden="true">
            <rect x={num(lx)} y={num(ly)} width={num(LEGEND_WIDTH)} height="12"
                  style={format!("fill: url(#{gradient_id}); stroke: var(--chart-axis, #555); stroke-width: 0.5")} />
            { for layout.ticks.values.iter().map(|v| {
                let x = lx + if scale_span > 0.0 { (v - layout.ticks.min) / scale_span * LEGEND_WIDTH } else { 0.0 };
                html! {
                    <text x={num(x)} y={num(ly + 12.0 + 6.0 + m.px(TICK_EM) * 0.8)} text-anchor="middle"
                          style={format!("{TEXT_FILL}; {}", font_size(SMALL_EM))}>
                        { format_tick(props.kind, *v, layout.ticks.step) }
                    </text>
                }
            }) }
            <rect x={num(lx + LEGEND_WIDTH + 28.0)} y={num(ly)} width="18" height="12"
                  style={format!("fill: {}; stroke: var(--chart-muted, #888); stroke-width: 0.5", hatch_fill(&uid))} />
            <text x={num(lx + LEGEND_WIDTH + 52.0)} y={num(ly + 10.0)} style={format!("{TEXT_FILL}; {}", font_size(SMALL_EM))}>{ "n/a" }</text>
        </g>
    };
    let defs = html! {
        <linearGradient id={gradient_id.clone()} x1="0" y1="0" x2="1" y2="0">
            { for sequential_stops().into_iter().map(|(offset, colour)| html! {
                <stop offset={num(offset)} stop-color={colour.to_hex()} />
            }) }
        </linearGradient>
    };

    html! {
        <ChartSurface kind="heatmap" uid={(*uid).clone()} width={layout.width} height={layout.height}
                      summary={layout.summary.clone()} hover={(*hover).clone()} notes={layout.notes.clone()}
                      defs={defs}>
            <g class="bsa-heat-columns" aria-hidden="true">
                { for layout.columns.iter().map(|(full, lines, x, y)| label_lines(full, lines, *x, *y, "middle", TICK_EM)) }
            </g>
            <g class="bsa-heat-rows" aria-hidden="true">
                { for layout.rows.iter().map(|(_, shown, full, y)| html! {
                    <text x={num(layout.grid_left - 10.0)} y={num(*y)} dy="0.35em" text-anchor="end"
                          style={format!("{TEXT_FILL}; {}", font_size(LABEL_EM))}>
                        <title>{ full.clone() }</title>
                        { shown.clone() }
                    </text>
                }) }
            </g>
            <g class="bsa-heat-cells">{ for cells }</g>
            { legend }
        </ChartSurface>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::charts::model::Measurement;

    fn props() -> HeatmapProps {
        HeatmapProps {
            series: Series::with_palette([("a", "Model A"), ("b", "Model B")]),
            groups: vec![
                MeasurementGroup::new(
                    "rumors",
                    "Rumors",
                    vec![
                        Measurement::new("a", Some(0.0), 187),
                        Measurement::new("b", Some(100.0), 187),
                    ],
                ),
                MeasurementGroup::new(
                    "porn",
                    "Pornography",
                    vec![
                        Measurement::new("a", Some(50.0), 152),
                        Measurement::new("b", None, 152),
                    ],
                ),
            ],
            hidden: vec![],
            kind: ValueKind::Percent,
            title: AttrValue::default(),
            context: None,
            text_scale: 1.0,
            on_select: Callback::noop(),
        }
    }

    #[test]
    fn cells_are_coloured_by_value_with_readable_text() {
        let layout = heatmap_layout(&props());
        assert_eq!(layout.cells.len(), 4);
        // 0 % is the dark end of viridis with white text, 100 % the yellow end with dark text,
        // 50 % the middle stop #21918c.
        let by = |s: &str, g: &str| {
            layout
                .cells
                .iter()
                .find(|c| c.series == s && c.group == g)
                .unwrap()
        };
        assert_eq!(
            by("a", "rumors").fill.map(Rgb::to_hex).as_deref(),
            Some("#440154")
        );
        assert_eq!(by("a", "rumors").text_color, Rgb::new(255, 255, 255));
        assert_eq!(
            by("b", "rumors").fill.map(Rgb::to_hex).as_deref(),
            Some("#fde725")
        );
        assert_eq!(by("b", "rumors").text_color, Rgb::new(0x11, 0x11, 0x11));
        assert_eq!(
            by("a", "porn").fill.map(Rgb::to_hex).as_deref(),
            Some("#21918c")
        );
        assert_eq!(by("a", "porn").text, "50.0");
    }

    #[test]
    fn missing_cells_are_not_available() {
        let layout = heatmap_layout(&props());
        let missing = layout
            .cells
            .iter()
            .find(|c| c.series == "b" && c.group == "porn")
            .unwrap();
        assert_eq!(missing.fill, None);
        assert_eq!(missing.text, "n/a");
        assert!(
            missing.tooltip.ends_with("Pornography: n/a (n = 152)"),
            "{}",
            missing.tooltip
        );
    }

    #[test]
    fn grid_geometry() {
        let layout = heatmap_layout(&props());
        let first = &layout.cells[0].rect;
        let second_row = &layout.cells[2].rect;
        // Row 2 starts one row height lower; both columns share the width to the right margin.
        assert!((second_row.y - first.y - ROW_HEIGHT).abs() < 1e-9);
        assert!((first.width * 2.0 - (HEATMAP_WIDTH - first.x - 12.0)).abs() < 1e-9);
        assert_eq!(layout.rows.len(), 2);
        assert_eq!(layout.rows[1].3, second_row.y + ROW_HEIGHT / 2.0);
        // The legend sits below the grid.
        assert!(layout.legend_origin.1 > second_row.y + ROW_HEIGHT);
        assert!(layout.height > layout.legend_origin.1);
    }

    #[test]
    fn count_heatmaps_scale_to_their_maximum() {
        let mut p = props();
        p.kind = ValueKind::Count;
        // Values 0, 100 and 50: nice_integer_ticks(0, 100) -> 0-100 in 20s, so 50 is mid-scale.
        let layout = heatmap_layout(&p);
        assert_eq!((layout.ticks.min, layout.ticks.max), (0.0, 100.0));
        assert_eq!(layout.cells[1].text, "50");
    }

    #[test]
    fn headers_wrap_and_align_at_the_bottom() {
        let mut p = props();
        p.groups[1].label = "Invasion of Privacy and Confidentiality".into();
        let layout = heatmap_layout(&p);
        // Two columns of (960 - 90 - 12) / 2 = 429: everything fits on one line.
        assert_eq!(layout.columns[1].1.len(), 1);
        // Nine columns: the long name wraps; the one-line "Rumors" starts lower, level with the
        // last line of its neighbour.
        p.groups = (0..9)
            .map(|i| {
                let label = if i == 0 {
                    "Invasion of Privacy and Confidentiality"
                } else {
                    "Rumors"
                };
                MeasurementGroup::new(format!("c{i}"), label, vec![])
            })
            .collect();
        let layout = heatmap_layout(&p);
        let (long, short) = (&layout.columns[0], &layout.columns[1]);
        assert_eq!(
            long.1,
            vec!["Invasion of", "Privacy and", "Confidentiality"]
        );
        let m = TextMetrics::new(1.0);
        assert!((short.3 - (long.3 + 2.0 * m.line_height(TICK_EM))).abs() < 1e-9);
        assert_eq!(
            layout.cells.len(),
            2 * 9,
            "columns without data still get (n/a) cells"
        );
        assert!(layout.cells.iter().all(|c| c.value.is_none()));
    }

    #[test]
    fn hidden_rows_are_dropped() {
        let mut p = props();
        p.hidden = vec!["a".into()];
        let layout = heatmap_layout(&p);
        assert_eq!(layout.rows.len(), 1);
        assert!(layout.cells.iter().all(|c| c.series == "b"));
    }
}
