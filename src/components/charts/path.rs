//! SVG path strings and coordinates.
//!
//! [`PathBuilder`] writes the `d` attribute of a `<path>` command by command; [`polygon`],
//! [`polyline`] and [`diamond`] cover the shapes the charts draw; [`num`] prints a coordinate
//! with at most two decimals, which keeps the markup short and stable under rounding noise.

use std::fmt::Write;

/// A coordinate as SVG text: rounded to two decimals, trailing zeros removed (`12.5`, `3`,
/// `0.33`), and no `-0`.
pub fn num(value: f64) -> String {
    if !value.is_finite() {
        return "0".to_string();
    }
    let rounded = (value * 100.0).round() / 100.0;
    let mut text = format!("{rounded:.2}");
    while text.ends_with('0') {
        text.pop();
    }
    if text.ends_with('.') {
        text.pop();
    }
    if text == "-0" {
        text = "0".to_string();
    }
    text
}

/// Builds a path's `d` attribute.
#[derive(Clone, Debug, Default)]
pub struct PathBuilder {
    d: String,
}

impl PathBuilder {
    /// An empty path.
    pub fn new() -> PathBuilder {
        PathBuilder::default()
    }

    /// Starts a new sub-path at `(x, y)`.
    pub fn move_to(mut self, x: f64, y: f64) -> Self {
        // Writing into a String cannot fail.
        let _ = write!(self.d, "M{} {}", num(x), num(y));
        self
    }

    /// A straight line to `(x, y)`.
    pub fn line_to(mut self, x: f64, y: f64) -> Self {
        let _ = write!(self.d, "L{} {}", num(x), num(y));
        self
    }

    /// Closes the current sub-path.
    pub fn close(mut self) -> Self {
        self.d.push('Z');
        self
    }

    /// The finished `d` attribute.
    pub fn build(self) -> String {
        self.d
    }
}

fn through(points: &[(f64, f64)]) -> PathBuilder {
    let mut path = PathBuilder::new();
    for (i, &(x, y)) in points.iter().enumerate() {
        path = if i == 0 {
            path.move_to(x, y)
        } else {
            path.line_to(x, y)
        };
    }
    path
}

/// A closed polygon through `points` (empty for no points).
pub fn polygon(points: &[(f64, f64)]) -> String {
    if points.is_empty() {
        return String::new();
    }
    through(points).close().build()
}

/// An open line through `points`.
pub fn polyline(points: &[(f64, f64)]) -> String {
    through(points).build()
}

/// A diamond (a square on its corner) centred on `(cx, cy)`, `r` from the centre to each corner.
pub fn diamond(cx: f64, cy: f64, r: f64) -> String {
    polygon(&[(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(12.5), "12.5");
        assert_eq!(num(3.0), "3");
        // 1/3 = 0.333.. -> 0.33; 2/3 = 0.666.. -> 0.67.
        assert_eq!(num(1.0 / 3.0), "0.33");
        assert_eq!(num(2.0 / 3.0), "0.67");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(-7.25), "-7.25");
        assert_eq!(num(f64::NAN), "0");
    }

    #[test]
    fn builder_writes_commands_in_order() {
        let d = PathBuilder::new()
            .move_to(0.0, 10.0)
            .line_to(5.5, 0.0)
            .close()
            .build();
        assert_eq!(d, "M0 10L5.5 0Z");
    }

    #[test]
    fn shapes() {
        assert_eq!(polygon(&[]), "");
        assert_eq!(
            polygon(&[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)]),
            "M0 0L10 0L10 10Z"
        );
        assert_eq!(polyline(&[(1.0, 2.0), (3.0, 4.0)]), "M1 2L3 4");
        // Corners 4 away from (10, 10): top (10, 6), right (14, 10), bottom (10, 14), left (6, 10).
        assert_eq!(diamond(10.0, 10.0, 4.0), "M10 6L14 10L10 14L6 10Z");
    }
}
