//! Scales: map data values to SVG coordinates.
//!
//! [`LinearScale`] maps a continuous domain onto a range of pixels (and back with
//! [`LinearScale::invert`]); [`BandScale`] splits a range into equal bands with padding, the
//! way grouped bars need it: one outer band per group, and inside it one inner band per series.
//! The formulas follow d3-scale's `scaleLinear` and `scaleBand` (with `align = 0.5`).

/// A linear map from `domain` to `range`; the range may run backwards (SVG's y axis grows
/// downwards, so a value axis maps `[0, 100]` onto `[bottom, top]`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinearScale {
    domain: (f64, f64),
    range: (f64, f64),
}

impl LinearScale {
    /// A scale from `domain` onto `range`.
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> LinearScale {
        LinearScale { domain, range }
    }

    /// The domain this scale was built with.
    pub fn domain(&self) -> (f64, f64) {
        self.domain
    }

    /// The position of `value`. An empty domain maps everything to the middle of the range
    /// rather than dividing by zero.
    pub fn apply(&self, value: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        if d1 == d0 {
            return (r0 + r1) / 2.0;
        }
        r0 + (value - d0) / (d1 - d0) * (r1 - r0)
    }

    /// Like [`apply`](Self::apply) with `value` first clamped to the domain, for drawing values
    /// that lie outside the axis (a percentage above 100 stays on the plot).
    pub fn apply_clamped(&self, value: f64) -> f64 {
        let (d0, d1) = self.domain;
        self.apply(value.clamp(d0.min(d1), d0.max(d1)))
    }

    /// The value at `position`: the inverse of [`apply`](Self::apply).
    pub fn invert(&self, position: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        if r1 == r0 {
            return d0;
        }
        d0 + (position - r0) / (r1 - r0) * (d1 - d0)
    }
}

/// `count` equal bands over a range, separated by `padding_inner` and with `padding_outer`
/// before the first and after the last band (both as fractions of the step between bands).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BandScale {
    count: usize,
    start: f64,
    step: f64,
    bandwidth: f64,
}

impl BandScale {
    /// Bands over `range`. Paddings are clamped to `[0, 1]`.
    pub fn new(count: usize, range: (f64, f64), padding_inner: f64, padding_outer: f64) -> Self {
        let inner = padding_inner.clamp(0.0, 1.0);
        let outer = padding_outer.clamp(0.0, 1.0);
        let (r0, r1) = range;
        if count == 0 {
            return BandScale {
                count,
                start: r0,
                step: 0.0,
                bandwidth: 0.0,
            };
        }
        let n = count as f64;
        let step = (r1 - r0) / (n - inner + 2.0 * outer).max(1.0);
        // Centre the bands: whatever the paddings leave over is split evenly on both sides.
        let start = r0 + (r1 - r0 - step * (n - inner)) / 2.0;
        BandScale {
            count,
            start,
            step,
            bandwidth: step * (1.0 - inner),
        }
    }

    /// How many bands there are.
    pub fn count(&self) -> usize {
        self.count
    }

    /// The start of band `index`.
    pub fn position(&self, index: usize) -> f64 {
        self.start + self.step * index as f64
    }

    /// The middle of band `index`.
    pub fn center(&self, index: usize) -> f64 {
        self.position(index) + self.bandwidth / 2.0
    }

    /// The width of every band.
    pub fn bandwidth(&self) -> f64 {
        self.bandwidth
    }

    /// The distance from one band's start to the next one's.
    pub fn step(&self) -> f64 {
        self.step
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn linear_scale_maps_and_inverts() {
        // A value axis: 0 % at y = 300, 100 % at y = 20. 25 % -> 300 + 0.25 x (20 - 300) = 230.
        let scale = LinearScale::new((0.0, 100.0), (300.0, 20.0));
        assert!(close(scale.apply(0.0), 300.0));
        assert!(close(scale.apply(100.0), 20.0));
        assert!(close(scale.apply(25.0), 230.0));
        assert!(close(scale.invert(230.0), 25.0));
        // Clamping: 120 % is drawn at the top of the axis, -5 at the bottom.
        assert!(close(scale.apply_clamped(120.0), 20.0));
        assert!(close(scale.apply_clamped(-5.0), 300.0));
    }

    #[test]
    fn linear_scale_survives_empty_domain_and_range() {
        let flat = LinearScale::new((5.0, 5.0), (0.0, 10.0));
        assert!(close(flat.apply(7.0), 5.0));
        let point = LinearScale::new((0.0, 1.0), (4.0, 4.0));
        assert!(close(point.invert(4.0), 0.0));
    }

    #[test]
    fn band_scale_without_padding_tiles_the_range() {
        // 4 bands over 100: step = 100 / 4 = 25, every band 25 wide, starting at 0.
        let bands = BandScale::new(4, (0.0, 100.0), 0.0, 0.0);
        assert!(close(bands.step(), 25.0));
        assert!(close(bands.bandwidth(), 25.0));
        assert!(close(bands.position(3), 75.0));
        assert!(close(bands.center(0), 12.5));
    }

    #[test]
    fn band_scale_with_padding() {
        // 2 bands over [10, 110], inner 0.5, outer 0.25: step = 100 / (2 - 0.5 + 0.5) = 50,
        // bandwidth = 50 x 0.5 = 25, start = 10 + (100 - 50 x 1.5) / 2 = 22.5.
        // Check: the last band ends at 72.5 + 25 = 97.5, leaving 12.5 = 0.25 x 50 to 110.
        let bands = BandScale::new(2, (10.0, 110.0), 0.5, 0.25);
        assert!(close(bands.step(), 50.0));
        assert!(close(bands.bandwidth(), 25.0));
        assert!(close(bands.position(0), 22.5));
        assert!(close(bands.position(1), 72.5));
    }

    #[test]
    fn grouped_bars_nest_an_inner_scale_in_each_outer_band() {
        // 3 groups over [0, 100], inner 0.2, outer 0.1: step = 100 / (3 - 0.2 + 0.2) = 33.33..,
        // bandwidth = 26.66.., start = (100 - 33.33.. x 2.8) / 2 = 3.33...
        let outer = BandScale::new(3, (0.0, 100.0), 0.2, 0.1);
        assert!(close(outer.position(0), 10.0 / 3.0));
        assert!(close(outer.bandwidth(), 80.0 / 3.0));
        // 2 series inside a band, no padding: each 13.33.. wide.
        let inner = BandScale::new(2, (0.0, outer.bandwidth()), 0.0, 0.0);
        assert!(close(inner.bandwidth(), 40.0 / 3.0));
        // The second series of the third group starts at 70 + 13.33.. = 83.33...
        assert!(close(outer.position(2) + inner.position(1), 250.0 / 3.0));
    }

    #[test]
    fn band_scale_with_no_bands_is_empty() {
        let bands = BandScale::new(0, (0.0, 100.0), 0.1, 0.1);
        assert_eq!(bands.count(), 0);
        assert_eq!(bands.bandwidth(), 0.0);
    }
}
