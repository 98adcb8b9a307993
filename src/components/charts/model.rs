//! The data the charts take as props: plain structs the results pages fill from bsa-core
//! metrics.
//!
//! The bar chart, the radar chart and the heatmap share one shape: a list of [`Series`] (Safe@1
//! and Think@1, or one per model) and a list of [`MeasurementGroup`]s (one per category or
//! scenario), each holding one [`Measurement`] per series. A page maps its metrics once and can
//! show them any of the three ways. The scatter plot takes [`ScatterPoint`]s. Clicks on any mark
//! come back as a [`ChartSelection`].

use super::color::series_color;

/// One line of data: a metric, or a model. `id` is what clicks and legend toggles report;
/// `label` is what people read; `color` is a CSS colour.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Stable identifier, reported in [`ChartSelection::series`].
    pub id: String,
    /// Display name.
    pub label: String,
    /// CSS colour of the series' marks.
    pub color: String,
}

impl Series {
    /// A series with an explicit colour.
    pub fn new(
        id: impl Into<String>,
        label: impl Into<String>,
        color: impl Into<String>,
    ) -> Series {
        Series {
            id: id.into(),
            label: label.into(),
            color: color.into(),
        }
    }

    /// Series coloured from the colour-blind-safe palette by position, so the same list always
    /// gets the same colours (and hiding one series recolours nothing).
    pub fn with_palette<I, S, T>(entries: I) -> Vec<Series>
    where
        I: IntoIterator<Item = (S, T)>,
        S: Into<String>,
        T: Into<String>,
    {
        entries
            .into_iter()
            .enumerate()
            .map(|(i, (id, label))| Series::new(id, label, series_color(i)))
            .collect()
    }
}

/// One series' value in one group: a bar, a radar vertex or a heatmap cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Measurement {
    /// The [`Series::id`] this value belongs to.
    pub series: String,
    /// The value (a percentage or a count); `None` when it is not available, which is drawn as
    /// such and never as 0.
    pub value: Option<f64>,
    /// How many items the value was computed from.
    pub n: usize,
    /// A 95 % interval around the value, drawn as an error bar.
    pub interval: Option<(f64, f64)>,
}

impl Measurement {
    /// A value with its sample size.
    pub fn new(series: impl Into<String>, value: Option<f64>, n: usize) -> Measurement {
        Measurement {
            series: series.into(),
            value,
            n,
            interval: None,
        }
    }

    /// The same measurement with a 95 % interval.
    pub fn with_interval(mut self, low: f64, high: f64) -> Measurement {
        self.interval = Some((low, high));
        self
    }

    /// The value if it is a finite number: NaN or infinity from upstream count as missing.
    pub fn finite_value(&self) -> Option<f64> {
        self.value.filter(|v| v.is_finite())
    }

    /// The interval if both ends are finite, in order.
    pub fn finite_interval(&self) -> Option<(f64, f64)> {
        self.interval
            .filter(|(a, b)| a.is_finite() && b.is_finite())
            .map(|(a, b)| (a.min(b), a.max(b)))
    }
}

/// A group of measurements: one category (or scenario), one value per series.
#[derive(Clone, Debug, PartialEq)]
pub struct MeasurementGroup {
    /// Stable identifier, reported in [`ChartSelection::category`].
    pub id: String,
    /// Display name.
    pub label: String,
    /// One measurement per series, in any order.
    pub measurements: Vec<Measurement>,
}

impl MeasurementGroup {
    /// A group from its measurements.
    pub fn new(
        id: impl Into<String>,
        label: impl Into<String>,
        measurements: Vec<Measurement>,
    ) -> MeasurementGroup {
        MeasurementGroup {
            id: id.into(),
            label: label.into(),
            measurements,
        }
    }

    /// The measurement of `series`, if the group has one (the first, if several).
    pub fn get(&self, series: &str) -> Option<&Measurement> {
        self.measurements.iter().find(|m| m.series == series)
    }
}

/// What a click (or Enter on a focused mark) selected. Pages use it to filter their item
/// browser.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChartSelection {
    /// The series (metric or model) clicked, if the mark belongs to one.
    pub series: Option<String>,
    /// The category (group, heatmap column, radar axis) clicked, if any.
    pub category: Option<String>,
}

/// Where a scatter point comes from; the two kinds are drawn differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PointKind {
    /// A model from the published leaderboard.
    Published,
    /// A model the user evaluated or loaded in this session.
    Loaded,
}

impl PointKind {
    /// The value of the `data-kind` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            PointKind::Published => "published",
            PointKind::Loaded => "loaded",
        }
    }
}

/// One model in the scatter plot.
#[derive(Clone, Debug, PartialEq)]
pub struct ScatterPoint {
    /// Stable identifier, reported in [`ChartSelection::series`].
    pub id: String,
    /// Display name (the model).
    pub label: String,
    /// The x value (Safe@1 by default), `None` when not available.
    pub x: Option<f64>,
    /// The y value (Think@1 by default), `None` when not available.
    pub y: Option<f64>,
    /// Items evaluated, when known.
    pub n: Option<usize>,
    /// Published or loaded.
    pub kind: PointKind,
}

/// Problems with chart data that would otherwise vanish silently: measurements naming a series
/// the chart doesn't have, and repeated measurements of one series in one group. The charts
/// print these under the plot.
pub fn data_warnings(series: &[Series], groups: &[MeasurementGroup]) -> Vec<String> {
    let mut warnings = Vec::new();
    for group in groups {
        for (i, m) in group.measurements.iter().enumerate() {
            if !series.iter().any(|s| s.id == m.series) {
                warnings.push(format!(
                    "Not drawn: a value for the unknown series \u{201c}{}\u{201d} in \u{201c}{}\u{201d}.",
                    m.series, group.label
                ));
            } else if group.measurements[..i].iter().any(|p| p.series == m.series) {
                warnings.push(format!(
                    "Not drawn: a second value for \u{201c}{}\u{201d} in \u{201c}{}\u{201d}.",
                    m.series, group.label
                ));
            }
        }
    }
    warnings
}

/// The series to draw, each with its position in the full list (which fixes its colour and
/// dash): every series whose id is not in `hidden`.
pub fn visible_series<'a>(series: &'a [Series], hidden: &[String]) -> Vec<(usize, &'a Series)> {
    series
        .iter()
        .enumerate()
        .filter(|(_, s)| !hidden.contains(&s.id))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_series() -> Vec<Series> {
        Series::with_palette([("safe", "Safe@1"), ("think", "Think@1")])
    }

    #[test]
    fn palette_colours_follow_the_list_order() {
        let series = two_series();
        assert_eq!(series[0].color, "#0072B2");
        assert_eq!(series[1].color, "#E69F00");
        assert_eq!(series[1].label, "Think@1");
    }

    #[test]
    fn hidden_series_keep_their_positions() {
        let series = two_series();
        let visible = visible_series(&series, &["safe".to_string()]);
        assert_eq!(visible.len(), 1);
        assert_eq!(visible[0].0, 1);
        assert_eq!(visible[0].1.id, "think");
    }

    #[test]
    fn non_finite_values_count_as_missing() {
        assert_eq!(
            Measurement::new("s", Some(f64::NAN), 3).finite_value(),
            None
        );
        assert_eq!(
            Measurement::new("s", Some(2.5), 3).finite_value(),
            Some(2.5)
        );
        let m = Measurement::new("s", Some(50.0), 10).with_interval(60.0, 40.0);
        assert_eq!(m.finite_interval(), Some((40.0, 60.0)));
    }

    #[test]
    fn stray_and_repeated_measurements_are_reported() {
        let groups = vec![MeasurementGroup::new(
            "rumors",
            "Rumors",
            vec![
                Measurement::new("safe", Some(1.0), 1),
                Measurement::new("safe", Some(2.0), 1),
                Measurement::new("ghost", Some(3.0), 1),
                Measurement::new("think", None, 1),
            ],
        )];
        let warnings = data_warnings(&two_series(), &groups);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains("second value for \u{201c}safe\u{201d}"));
        assert!(warnings[1].contains("unknown series \u{201c}ghost\u{201d}"));
        assert_eq!(groups[0].get("safe").and_then(|m| m.value), Some(1.0));
    }
}
