//! The grouped bar chart: groups (categories, scenarios) along x, one bar per visible series in
//! each group, values up the y axis.
//!
//! [`bar_layout`] computes everything drawn (the [`BarLayout`]: ticks, group labels, one
//! [`BarMark`] per bar) as plain data, tested natively; [`GroupedBarChart`] renders it. With
//! [`ValueKind::Percent`] the axis is 0-100 %; with [`ValueKind::Count`] it runs from 0 to a
//! nice bound above the largest value, so the same chart shows a single-series dataset summary
//! (items per scenario). A missing value is a short hatched marker labelled "n/a", never a bar
//! of height 0.

use super::format::{
    format_interval, format_n, format_short, format_tick, format_value, ValueKind,
};
use super::labels::Rect;
use super::mark::{data_value, mark, Hover, MarkEvents, MarkShape, MarkView};
use super::model::{
    data_warnings, visible_series, ChartSelection, Measurement, MeasurementGroup, Series,
};
use super::path::num;
use super::scale::{BandScale, LinearScale};
use super::surface::{
    font_size, hatch_fill, label_lines, next_chart_id, value_gridlines, vertical_title,
    ChartSurface, TextMetrics, AXIS_STROKE, HALO, LABEL_EM, MUTED_FILL, SMALL_EM, TEXT_FILL,
    TICK_EM,
};
use super::text::{estimate_width, wrap};
use super::ticks::{nice_integer_ticks, nice_ticks, Ticks};
use yew::prelude::*;

/// The viewBox width of bar charts.
pub const BAR_CHART_WIDTH: f64 = 960.0;
/// Height of the "n/a" marker, in viewBox units.
const MISSING_MARKER_HEIGHT: f64 = 14.0;
/// The widest a bar gets: a single series over three scenarios would otherwise fill the chart
/// with slabs.
const MAX_BAR_WIDTH: f64 = 84.0;

/// Props of [`GroupedBarChart`].
#[derive(Properties, PartialEq, Clone)]
pub struct GroupedBarChartProps {
    /// Every series, hidden ones included (their position fixes their colour).
    pub series: Vec<Series>,
    /// The groups along the x axis, in display order.
    pub groups: Vec<MeasurementGroup>,
    /// Ids of series the legend has switched off.
    #[prop_or_default]
    pub hidden: Vec<String>,
    /// Percentages (0-100 % axis) or counts.
    #[prop_or_default]
    pub kind: ValueKind,
    /// What the chart shows, for its accessible summary (`Safe@1 and Think@1 by category`).
    #[prop_or_default]
    pub title: AttrValue,
    /// Title of the value axis (`Safe@1 (%)`).
    #[prop_or_default]
    pub value_label: Option<AttrValue>,
    /// Appended to every tooltip, e.g. the model the chart is about.
    #[prop_or_default]
    pub context: Option<AttrValue>,
    /// Print each value above its bar.
    #[prop_or_default]
    pub show_values: bool,
    /// How much the page has enlarged its text (root font size / 16 px; 1.25 for a 125 %
    /// large-type mode), so the layout leaves room for it.
    #[prop_or(1.0)]
    pub text_scale: f64,
    /// viewBox height (the width is [`BAR_CHART_WIDTH`]).
    #[prop_or(400.0)]
    pub height: f64,
    /// Called with the series and group of a clicked bar.
    #[prop_or_default]
    pub on_select: Callback<ChartSelection>,
}

/// One drawn bar (or "n/a" marker).
#[derive(Clone, Debug, PartialEq)]
pub struct BarMark {
    /// The series id.
    pub series: String,
    /// The group id.
    pub group: String,
    /// Fill colour.
    pub color: String,
    /// The bar's box in viewBox units.
    pub rect: Rect,
    /// The value, `None` for "not available".
    pub value: Option<f64>,
    /// Sample size.
    pub n: usize,
    /// The error bar's top and bottom y, if there is an interval.
    pub error_bar: Option<(f64, f64)>,
    /// The tooltip and accessible label.
    pub tooltip: String,
}

/// A group's label below the axis.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupLabel {
    /// The group id.
    pub id: String,
    /// The full label.
    pub label: String,
    /// The wrapped lines drawn.
    pub lines: Vec<String>,
    /// Horizontal centre.
    pub x: f64,
}

/// Everything [`GroupedBarChart`] draws.
#[derive(Clone, Debug, PartialEq)]
pub struct BarLayout {
    /// viewBox width.
    pub width: f64,
    /// viewBox height.
    pub height: f64,
    /// The plot area inside the axes.
    pub plot: Rect,
    /// The value axis ticks.
    pub ticks: Ticks,
    /// Tick positions (y) with their labels.
    pub tick_labels: Vec<(f64, String)>,
    /// Labels under the groups.
    pub groups: Vec<GroupLabel>,
    /// The bars.
    pub bars: Vec<BarMark>,
    /// The accessible summary.
    pub summary: String,
    /// Data problems to print.
    pub notes: Vec<String>,
}

/// The tooltip of one measurement: `Think@1 – Rumors – model X: 37.24 % (n = 187)`.
pub fn measurement_tooltip(parts: &[&str], kind: ValueKind, measurement: &Measurement) -> String {
    let name = parts
        .iter()
        .filter(|p| !p.trim().is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" \u{2013} ");
    let mut details = format_n(measurement.n);
    if let (Some(interval), Some(_)) = (measurement.finite_interval(), measurement.finite_value()) {
        details.push_str(", ");
        details.push_str(&format_interval(kind, interval));
    }
    format!(
        "{name}: {} ({details})",
        format_value(kind, measurement.finite_value())
    )
}

/// The value axis for `kind` covering the visible values (and interval ends) of `groups`.
pub fn value_ticks<'a>(kind: ValueKind, values: impl Iterator<Item = &'a Measurement>) -> Ticks {
    match kind {
        ValueKind::Percent => nice_ticks(0.0, 100.0, 5),
        ValueKind::Count => {
            let max = values
                .flat_map(|m| [m.finite_value(), m.finite_interval().map(|(_, high)| high)])
                .flatten()
                .fold(0.0, f64::max);
            nice_integer_ticks(0.0, max, 5)
        }
    }
}

/// Lays out the chart; see the module documentation.
pub fn bar_layout(props: &GroupedBarChartProps) -> BarLayout {
    let width = BAR_CHART_WIDTH;
    let height = props.height.max(200.0);
    let m = TextMetrics::new(props.text_scale);
    let visible = visible_series(&props.series, &props.hidden);
    let visible_ids: Vec<&str> = visible.iter().map(|(_, s)| s.id.as_str()).collect();
    let ticks = value_ticks(
        props.kind,
        props
            .groups
            .iter()
            .flat_map(|g| g.measurements.iter())
            .filter(|m| visible_ids.contains(&m.series.as_str())),
    );
    let tick_texts: Vec<String> = ticks
        .values
        .iter()
        .map(|v| format_tick(props.kind, *v, ticks.step))
        .collect();
    let widest_tick = tick_texts
        .iter()
        .map(|t| estimate_width(t, m.px(TICK_EM)))
        .fold(0.0, f64::max);
    let title_room = if props.value_label.is_some() {
        1.6 * m.px(LABEL_EM)
    } else {
        0.0
    };
    let left = 12.0 + title_room + widest_tick + 8.0;
    let right = 16.0;
    let top = if props.show_values { 28.0 } else { 16.0 };

    let outer = BandScale::new(props.groups.len(), (left, width - right), 0.2, 0.1);
    let label_chars = m.label_capacity(outer.step(), TICK_EM);
    let groups: Vec<GroupLabel> = props
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| GroupLabel {
            id: g.id.clone(),
            label: g.label.clone(),
            lines: wrap(&g.label, label_chars, 3),
            x: outer.center(i),
        })
        .collect();
    let label_lines_max = groups
        .iter()
        .map(|g| g.lines.len())
        .max()
        .unwrap_or(1)
        .max(1);
    let bottom = 12.0 + label_lines_max as f64 * m.line_height(TICK_EM) + 4.0;
    let plot = Rect {
        x: left,
        y: top,
        width: width - right - left,
        height: (height - bottom - top).max(40.0),
    };
    let baseline = plot.y + plot.height;
    let scale = LinearScale::new((ticks.min, ticks.max), (baseline, plot.y));
    let inner = BandScale::new(visible.len(), (0.0, outer.bandwidth()), 0.08, 0.0);
    let bar_width = inner.bandwidth().min(MAX_BAR_WIDTH);
    // A capped bar stays centred in its band.
    let inset = (inner.bandwidth() - bar_width) / 2.0;

    let mut bars = Vec::new();
    for (gi, group) in props.groups.iter().enumerate() {
        for (vi, (_, series)) in visible.iter().enumerate() {
            let Some(measurement) = group.get(&series.id) else {
                continue;
            };
            let x = outer.position(gi) + inner.position(vi) + inset;
            let rect = match measurement.finite_value() {
                Some(value) => {
                    let top_y = scale.apply_clamped(value);
                    let zero_y = scale.apply_clamped(0.0);
                    Rect {
                        x,
                        y: top_y.min(zero_y),
                        width: bar_width,
                        height: (zero_y - top_y).abs(),
                    }
                }
                None => {
                    let h = MISSING_MARKER_HEIGHT.min(plot.height);
                    Rect {
                        x,
                        y: baseline - h,
                        width: bar_width,
                        height: h,
                    }
                }
            };
            let error_bar = match (measurement.finite_value(), measurement.finite_interval()) {
                (Some(_), Some((low, high))) => {
                    Some((scale.apply_clamped(high), scale.apply_clamped(low)))
                }
                _ => None,
            };
            let context = props.context.as_deref().unwrap_or("");
            bars.push(BarMark {
                series: series.id.clone(),
                group: group.id.clone(),
                color: series.color.clone(),
                rect,
                value: measurement.finite_value(),
                n: measurement.n,
                error_bar,
                tooltip: measurement_tooltip(
                    &[&series.label, &group.label, context],
                    props.kind,
                    measurement,
                ),
            });
        }
    }

    let names: Vec<&str> = visible.iter().map(|(_, s)| s.label.as_str()).collect();
    let what = if props.title.is_empty() {
        names.join(", ")
    } else {
        props.title.to_string()
    };
    let unit = match props.kind {
        ValueKind::Percent => "percent",
        ValueKind::Count => "counts",
    };
    let summary = format!(
        "Bar chart: {what}. {} groups, {} series shown ({}), values in {unit}.",
        props.groups.len(),
        visible.len(),
        names.join(", ")
    );
    let mut notes = data_warnings(&props.series, &props.groups);
    if visible.is_empty() && !props.series.is_empty() {
        notes.push("Every series is hidden: switch one on in the legend.".to_string());
    }
    BarLayout {
        width,
        height,
        plot,
        tick_labels: ticks
            .values
            .iter()
            .zip(tick_texts)
            .map(|(v, t)| (scale.apply(*v), t))
            .collect(),
        ticks,
        groups,
        bars,
        summary,
        notes,
    }
}

/// A grouped (or single-series) bar chart; see the module documentation.
#[function_component(GroupedBarChart)]
pub fn grouped_bar_chart(props: &GroupedBarChartProps) -> Html {
    let uid = use_state(next_chart_id);
    let hover = use_state(|| None::<Hover>);
    let layout = bar_layout(props);
    let m = TextMetrics::new(props.text_scale);
    let plot = layout.plot;
    let baseline = plot.y + plot.height;
    let label_top = baseline + 12.0 + m.px(TICK_EM);

    let bars = layout.bars.iter().map(|bar| {
        let key = format!("{}\u{1f}{}", bar.series, bar.group);
        let highlighted = hover.as_ref().is_some_and(|h| h.key == key);
        let events = MarkEvents::new(
            &hover,
            Hover {
                key,
                text: bar.tooltip.clone(),
                anchor: (bar.rect.x + bar.rect.width / 2.0, bar.rect.y),
            },
            &props.on_select,
            ChartSelection {
                series: Some(bar.series.clone()),
                category: Some(bar.group.clone()),
            },
        );
        let (fill, stroke) = match (bar.value, highlighted) {
            (Some(_), true) => (bar.color.clone(), "var(--chart-text, #222)".to_string()),
            (Some(_), false) => (bar.color.clone(), "none".to_string()),
            (None, _) => (hatch_fill(&uid), bar.color.clone()),
        };
        let style = format!(
            "fill: {fill}; stroke: {stroke}; stroke-width: {}; cursor: pointer",
            if highlighted { 2 } else { 1 }
        );
        let cx = bar.rect.x + bar.rect.width / 2.0;
        let cap = (bar.rect.width * 0.25).min(6.0);
        let mut view = MarkView::new("bsa-bar", style, bar.tooltip.clone(), bar.series.clone());
        view.category = Some(bar.group.clone());
        view.value = Some(data_value(bar.value));
        view.n = Some(bar.n);
        view.dash = bar.value.is_none().then_some("3 2");
        html! {
            <g class="bsa-bar-mark">
                { mark(&MarkShape::Rect(bar.rect), view, events) }
                if let Some((high, low)) = bar.error_bar {
                    <g class="bsa-error-bar" style="stroke: var(--chart-text, #222); stroke-width: 1.5; pointer-events: none">
                        <line x1={num(cx)} x2={num(cx)} y1={num(high)} y2={num(low)} />
                        <line x1={num(cx - cap)} x2={num(cx + cap)} y1={num(high)} y2={num(high)} />
                        <line x1={num(cx - cap)} x2={num(cx + cap)} y1={num(low)} y2={num(low)} />
                    </g>
                }
                if bar.value.is_none() || props.show_values {
                    <text x={num(cx)} y={num(bar.error_bar.map_or(bar.rect.y, |(high, _)| high.min(bar.rect.y)) - 4.0)}
                          text-anchor="middle" aria-hidden="true"
                          style={format!("{}; {}; {HALO}; pointer-events: none", if bar.value.is_some() { TEXT_FILL } else { MUTED_FILL }, font_size(SMALL_EM))}>
                        { format_short(props.kind, bar.value) }
                    </text>
                }
            </g>
        }
    });

    html! {
        <ChartSurface kind="bar" uid={(*uid).clone()} width={layout.width} height={layout.height}
                      summary={layout.summary.clone()} hover={(*hover).clone()} notes={layout.notes.clone()}>
            { value_gridlines(&layout.tick_labels, plot.x, plot.x + plot.width) }
            if let Some(title) = &props.value_label {
                { vertical_title(title, 12.0 + 0.6 * m.px(LABEL_EM), plot.y + plot.height / 2.0) }
            }
            <g class="bsa-groups" aria-hidden="true">
                { for layout.groups.iter().map(|g| label_lines(&g.label, &g.lines, g.x, label_top, "middle", TICK_EM)) }
            </g>
            <g class="bsa-bars">{ for bars }</g>
            <line class="bsa-baseline" x1={num(plot.x)} x2={num(plot.x + plot.width)}
                  y1={num(baseline)} y2={num(baseline)} style={AXIS_STROKE} />
        </ChartSurface>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn props(
        kind: ValueKind,
        groups: Vec<MeasurementGroup>,
        hidden: Vec<String>,
    ) -> GroupedBarChartProps {
        GroupedBarChartProps {
            series: Series::with_palette([("safe", "Safe@1"), ("think", "Think@1")]),
            groups,
            hidden,
            kind,
            title: AttrValue::default(),
            value_label: None,
            context: None,
            show_values: false,
            text_scale: 1.0,
            height: 400.0,
            on_select: Callback::noop(),
        }
    }

    fn two_groups() -> Vec<MeasurementGroup> {
        vec![
            MeasurementGroup::new(
                "rumors",
                "Rumors",
                vec![
                    Measurement::new("safe", Some(80.0), 187),
                    Measurement::new("think", Some(40.0), 187).with_interval(30.0, 50.0),
                ],
            ),
            MeasurementGroup::new(
                "privacy",
                "Invasion of Privacy and Confidentiality",
                vec![
                    Measurement::new("safe", Some(20.0), 372),
                    Measurement::new("think", None, 372),
                ],
            ),
        ]
    }

    #[test]
    fn bar_heights_are_proportional_to_values() {
        let layout = bar_layout(&props(ValueKind::Percent, two_groups(), vec![]));
        assert_eq!(layout.bars.len(), 4);
        let plot_height = layout.plot.height;
        // On a 0-100 axis a value of 80 % fills 0.8 of the plot height, 40 % fills 0.4.
        assert!((layout.bars[0].rect.height - 0.8 * plot_height).abs() < 1e-9);
        assert!((layout.bars[1].rect.height - 0.4 * plot_height).abs() < 1e-9);
        // Every bar stands on the baseline.
        let baseline = layout.plot.y + layout.plot.height;
        assert!((layout.bars[0].rect.y + layout.bars[0].rect.height - baseline).abs() < 1e-9);
    }

    #[test]
    fn missing_values_are_markers_not_zero_bars() {
        let layout = bar_layout(&props(ValueKind::Percent, two_groups(), vec![]));
        let missing = &layout.bars[3];
        assert_eq!(
            (missing.series.as_str(), missing.group.as_str()),
            ("think", "privacy")
        );
        assert_eq!(missing.value, None);
        assert_eq!(missing.rect.height, MISSING_MARKER_HEIGHT);
        assert!(
            missing.tooltip.contains(": n/a (n = 372)"),
            "{}",
            missing.tooltip
        );
    }

    #[test]
    fn series_sit_side_by_side_inside_their_group() {
        let layout = bar_layout(&props(ValueKind::Percent, two_groups(), vec![]));
        let (safe, think) = (&layout.bars[0].rect, &layout.bars[1].rect);
        assert!(
            safe.x + safe.width < think.x,
            "the second series starts after the first"
        );
        assert!((safe.width - think.width).abs() < 1e-9);
        // The group label is centred on its band: halfway between the first bar's start and the
        // second bar's end.
        let centre = (safe.x + think.x + think.width) / 2.0;
        assert!((layout.groups[0].x - centre).abs() < 1e-9);
    }

    #[test]
    fn hidden_series_are_left_out_but_keep_their_colour() {
        let layout = bar_layout(&props(
            ValueKind::Percent,
            two_groups(),
            vec!["safe".into()],
        ));
        assert_eq!(layout.bars.len(), 2);
        assert!(layout.bars.iter().all(|b| b.series == "think"));
        assert_eq!(layout.bars[0].color, "#E69F00");
    }

    #[test]
    fn error_bars_span_the_interval() {
        let layout = bar_layout(&props(ValueKind::Percent, two_groups(), vec![]));
        let (high, low) = layout.bars[1].error_bar.expect("interval drawn");
        // 30-50 % of the plot height: the bar spans 0.2 of it.
        assert!(((low - high) - 0.2 * layout.plot.height).abs() < 1e-9);
        assert!(layout.bars[1]
            .tooltip
            .ends_with("(n = 187, 95 % CI 30.00\u{2013}50.00 %)"));
    }

    #[test]
    fn counts_get_a_nice_axis_above_the_largest_value() {
        // The three scenarios' item counts 600 / 1200 / 200: axis 0-1200 in steps of 200.
        let groups = vec![
            MeasurementGroup::new(
                "ro",
                "Risk Omission",
                vec![Measurement::new("safe", Some(600.0), 2000)],
            ),
            MeasurementGroup::new(
                "cs",
                "Cognitive Shortcut",
                vec![Measurement::new("safe", Some(1200.0), 2000)],
            ),
            MeasurementGroup::new(
                "os",
                "Over Sensitivity",
                vec![Measurement::new("safe", Some(200.0), 2000)],
            ),
        ];
        let layout = bar_layout(&props(ValueKind::Count, groups, vec!["think".into()]));
        assert_eq!(
            (layout.ticks.min, layout.ticks.max, layout.ticks.step),
            (0.0, 1200.0, 200.0)
        );
        assert_eq!(
            layout.tick_labels.last().map(|t| t.1.as_str()),
            Some("1,200")
        );
        // 1200 reaches the top of the plot; 600 half of it.
        assert!((layout.bars[1].rect.y - layout.plot.y).abs() < 1e-9);
        assert!((layout.bars[0].rect.height - layout.plot.height / 2.0).abs() < 1e-9);
        assert!(layout.bars[0]
            .tooltip
            .starts_with("Safe@1 \u{2013} Risk Omission: 600 (n = 2,000)"));
        // One series in three wide groups: the bar is capped and centred under its label.
        let bar = &layout.bars[0].rect;
        assert_eq!(bar.width, MAX_BAR_WIDTH);
        assert!((bar.x + bar.width / 2.0 - layout.groups[0].x).abs() < 1e-9);
    }

    #[test]
    fn tooltips_name_series_group_and_context() {
        let mut p = props(ValueKind::Percent, two_groups(), vec![]);
        p.context = Some("model X".into());
        let layout = bar_layout(&p);
        assert_eq!(
            layout.bars[1].tooltip,
            "Think@1 \u{2013} Rumors \u{2013} model X: 40.00 % (n = 187, 95 % CI 30.00\u{2013}50.00 %)"
        );
    }

    fn layout_groups_of_nine() -> Vec<MeasurementGroup> {
        (0..9)
            .map(|i| {
                MeasurementGroup::new(
                    format!("c{i}"),
                    "Invasion of Privacy and Confidentiality",
                    vec![Measurement::new("safe", Some(50.0), 10)],
                )
            })
            .collect()
    }

    #[test]
    fn long_group_names_are_wrapped_when_space_is_short() {
        // Two groups leave about 430 units per group: the privacy label fits on one line.
        let layout = bar_layout(&props(ValueKind::Percent, two_groups(), vec![]));
        assert_eq!(
            layout.groups[1].lines,
            vec!["Invasion of Privacy and Confidentiality"]
        );
        assert!(layout
            .summary
            .contains("2 groups, 2 series shown (Safe@1, Think@1)"));
        // Nine groups (the primary categories) leave about 96: it wraps onto three lines, none
        // wider than the band plus the 10 % it may spill into the padding.
        let layout = bar_layout(&props(ValueKind::Percent, layout_groups_of_nine(), vec![]));
        let lines = &layout.groups[0].lines;
        assert_eq!(
            lines,
            &vec!["Invasion of", "Privacy and", "Confidentiality"]
        );
        let step = layout.plot.width / 9.0;
        for line in lines {
            assert!(
                estimate_width(line, TICK_EM * 16.0) <= 1.1 * step,
                "{line} overflows"
            );
        }
        // At 125 % text the tick labels widen the left margin to 12 + 5 x 0.58 x 15 + 8 = 63.5,
        // the band to (960 - 63.5 - 16) / 9 = 97.8, and a line holds 97.8 x 1.1 / (0.58 x 15)
        // = 12.4 -> 12 characters: the long word is cut.
        let mut large = props(ValueKind::Percent, layout_groups_of_nine(), vec![]);
        large.text_scale = 1.25;
        assert_eq!(
            bar_layout(&large).groups[0].lines,
            vec!["Invasion of", "Privacy and", "Confidentia\u{2026}"]
        );
    }

    #[test]
    fn everything_hidden_says_so() {
        let layout = bar_layout(&props(
            ValueKind::Percent,
            two_groups(),
            vec!["safe".into(), "think".into()],
        ));
        assert!(layout.bars.is_empty());
        assert_eq!(layout.notes.len(), 1);
    }
}
