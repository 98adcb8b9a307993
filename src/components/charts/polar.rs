//! Polar coordinates for the radar chart.
//!
//! [`RadarGeometry`] places `n` axes evenly around a centre, the first pointing up and the rest
//! following clockwise (as on a clock face, since SVG's y axis grows downwards), and turns a
//! value on an axis into a point. [`RadarOutline`] says how one series is drawn when some of its
//! values are missing: a closed polygon needs every value, otherwise the present values are
//! joined in runs and the gaps stay open, so a missing value never looks like 0.

use std::f64::consts::{FRAC_PI_2, TAU};

/// How an axis label is anchored horizontally around its position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextAnchor {
    /// The text starts at the position (labels on the right side).
    Start,
    /// The text is centred on the position (labels at the top and bottom).
    Middle,
    /// The text ends at the position (labels on the left side).
    End,
}

impl TextAnchor {
    /// The SVG `text-anchor` value.
    pub fn as_str(self) -> &'static str {
        match self {
            TextAnchor::Start => "start",
            TextAnchor::Middle => "middle",
            TextAnchor::End => "end",
        }
    }
}

/// `axes` spokes of length `radius` around `center`; a value of `max` reaches the rim.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RadarGeometry {
    /// The centre of the chart.
    pub center: (f64, f64),
    /// The length of each spoke.
    pub radius: f64,
    /// How many axes (categories) there are.
    pub axes: usize,
    /// The value drawn at the rim (100 for percentages).
    pub max: f64,
}

impl RadarGeometry {
    /// The angle of axis `index` in radians: `-pi/2` (up) for the first, clockwise after that.
    pub fn angle(&self, index: usize) -> f64 {
        -FRAC_PI_2 + TAU * index as f64 / self.axes.max(1) as f64
    }

    /// The point at `distance` from the centre along axis `index`.
    pub fn at_distance(&self, index: usize, distance: f64) -> (f64, f64) {
        let angle = self.angle(index);
        (
            self.center.0 + distance * angle.cos(),
            self.center.1 + distance * angle.sin(),
        )
    }

    /// The point of `value` on axis `index`; values outside `[0, max]` are clamped to the
    /// centre or the rim.
    pub fn point(&self, index: usize, value: f64) -> (f64, f64) {
        let share = if self.max > 0.0 && value.is_finite() {
            (value / self.max).clamp(0.0, 1.0)
        } else {
            0.0
        };
        self.at_distance(index, self.radius * share)
    }

    /// One point per axis at `value`: a grid ring.
    pub fn ring(&self, value: f64) -> Vec<(f64, f64)> {
        (0..self.axes).map(|i| self.point(i, value)).collect()
    }

    /// Where the label of axis `index` goes, `offset` beyond the rim, and how to anchor it so
    /// that it grows away from the chart.
    pub fn label_position(&self, index: usize, offset: f64) -> (f64, f64, TextAnchor) {
        let (x, y) = self.at_distance(index, self.radius + offset);
        let cos = self.angle(index).cos();
        // Within about 17 degrees of vertical a label is centred; elsewhere it leans outwards.
        let anchor = if cos > 0.3 {
            TextAnchor::Start
        } else if cos < -0.3 {
            TextAnchor::End
        } else {
            TextAnchor::Middle
        };
        (x, y, anchor)
    }
}

/// How one radar series is outlined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RadarOutline {
    /// Every axis has a value: one closed, filled polygon through all axes in order.
    Closed,
    /// Some values are missing: open lines through runs of neighbouring axes that have values
    /// (a run may wrap from the last axis to the first). A run of one axis is a lone point.
    Open(Vec<Vec<usize>>),
}

/// The outline for a series with these values (one per axis).
pub fn radar_outline(values: &[Option<f64>]) -> RadarOutline {
    let present = |v: &Option<f64>| v.is_some_and(f64::is_finite);
    let Some(gap) = values.iter().position(|v| !present(v)) else {
        return RadarOutline::Closed;
    };
    let n = values.len();
    let mut runs = Vec::new();
    let mut run = Vec::new();
    // Walk once round the circle starting just after a gap, so no run is split by the wrap.
    for step in 1..=n {
        let index = (gap + step) % n;
        if present(&values[index]) {
            run.push(index);
        } else if !run.is_empty() {
            runs.push(std::mem::take(&mut run));
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    RadarOutline::Open(runs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: (f64, f64), b: (f64, f64)) -> bool {
        (a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9
    }

    fn square() -> RadarGeometry {
        RadarGeometry {
            center: (100.0, 100.0),
            radius: 50.0,
            axes: 4,
            max: 100.0,
        }
    }

    #[test]
    fn axes_start_at_the_top_and_turn_clockwise() {
        let radar = square();
        // Axis 0 at -90 degrees: straight up, (100, 100 - 50).
        assert!(close(radar.point(0, 100.0), (100.0, 50.0)));
        // Axis 1 at 0 degrees: right.
        assert!(close(radar.point(1, 100.0), (150.0, 100.0)));
        // Axis 2 at 90 degrees, half the value: 25 below the centre.
        assert!(close(radar.point(2, 50.0), (100.0, 125.0)));
        assert!(close(radar.point(3, 100.0), (50.0, 100.0)));
    }

    #[test]
    fn values_are_clamped_to_the_chart() {
        let radar = square();
        assert!(close(radar.point(1, 150.0), (150.0, 100.0)));
        assert!(close(radar.point(1, -20.0), (100.0, 100.0)));
        assert!(close(radar.point(1, f64::NAN), (100.0, 100.0)));
    }

    #[test]
    fn nine_axes_are_forty_degrees_apart() {
        // 9 categories: 360 / 9 = 40 degrees. Axis 3 is at -90 + 120 = 30 degrees:
        // (cos 30, sin 30) x 100 = (86.60, 50) from the centre.
        let radar = RadarGeometry {
            center: (0.0, 0.0),
            radius: 100.0,
            axes: 9,
            max: 100.0,
        };
        let (x, y) = radar.point(3, 100.0);
        assert!((x - 86.602_540_378).abs() < 1e-6 && (y - 50.0).abs() < 1e-9);
    }

    #[test]
    fn ring_is_a_polygon_through_every_axis() {
        let d = crate::components::charts::path::polygon(&square().ring(100.0));
        assert_eq!(d, "M100 50L150 100L100 150L50 100Z");
    }

    #[test]
    fn labels_lean_away_from_the_centre() {
        let radar = square();
        assert_eq!(radar.label_position(0, 10.0).2, TextAnchor::Middle);
        assert_eq!(radar.label_position(1, 10.0).2, TextAnchor::Start);
        assert_eq!(radar.label_position(3, 10.0).2, TextAnchor::End);
        // The right label sits 10 beyond the rim: x = 100 + 60.
        assert!(close(
            (
                radar.label_position(1, 10.0).0,
                radar.label_position(1, 10.0).1
            ),
            (160.0, 100.0)
        ));
    }

    #[test]
    fn missing_values_open_the_outline() {
        assert_eq!(
            radar_outline(&[Some(1.0), Some(2.0), Some(3.0)]),
            RadarOutline::Closed
        );
        // Axis 2 missing: the run wraps from axis 3 over to 0 and 1.
        assert_eq!(
            radar_outline(&[Some(1.0), Some(2.0), None, Some(4.0)]),
            RadarOutline::Open(vec![vec![3, 0, 1]])
        );
        // Two gaps make two runs; NaN counts as missing.
        assert_eq!(
            radar_outline(&[Some(1.0), None, Some(3.0), Some(f64::NAN), Some(5.0)]),
            RadarOutline::Open(vec![vec![2], vec![4, 0]])
        );
        assert_eq!(radar_outline(&[None, None]), RadarOutline::Open(vec![]));
    }
}
