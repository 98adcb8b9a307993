//! "Nice" axis ticks: steps of 1, 2 or 5 times a power of ten, and a domain extended outwards
//! to whole steps.
//!
//! [`Ticks`] is the result: the extended domain, the step and the tick values. [`nice_ticks`]
//! picks the step whose tick count is closest to a target (the same thresholds as d3's
//! `tickStep`, re-implemented here because d3 is JavaScript); [`nice_integer_ticks`] never goes
//! below a step of 1, for counts. Tick values are computed as integer multiples divided by a
//! power of ten, so `0.6` is the double nearest 0.6 and not `0.6000000000000001`.

/// The ticks of one axis.
#[derive(Clone, Debug, PartialEq)]
pub struct Ticks {
    /// The domain extended to whole steps: the first tick.
    pub min: f64,
    /// The last tick.
    pub max: f64,
    /// The distance between neighbouring ticks.
    pub step: f64,
    /// Every tick from `min` to `max`.
    pub values: Vec<f64>,
}

/// A step of `mantissa x 10^exponent`, kept apart so tick values can be computed exactly.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Step {
    mantissa: i64,
    exponent: i32,
}

impl Step {
    fn value(self) -> f64 {
        self.multiple(1)
    }

    /// `k` steps: an integer product scaled once by a power of ten, so the result is the double
    /// nearest the decimal value.
    fn multiple(self, k: i64) -> f64 {
        let units = (k * self.mantissa) as f64;
        if self.exponent >= 0 {
            units * 10f64.powi(self.exponent)
        } else {
            units / 10f64.powi(-self.exponent)
        }
    }

    /// How many steps `x` is, as a real number.
    fn count(self, x: f64) -> f64 {
        if self.exponent >= 0 {
            x / (self.mantissa as f64 * 10f64.powi(self.exponent))
        } else {
            x * 10f64.powi(-self.exponent) / self.mantissa as f64
        }
    }
}

/// The 1/2/5 step closest to `span / target`. Thresholds at sqrt(50), sqrt(10) and sqrt(2) put
/// the switch between two candidate steps at their geometric mean.
fn nice_step(span: f64, target: usize) -> Step {
    let raw = span / target.max(1) as f64;
    let exponent = raw.log10().floor() as i32;
    let fraction = raw / 10f64.powi(exponent);
    let (mantissa, exponent) = if fraction >= 50f64.sqrt() {
        (1, exponent + 1)
    } else if fraction >= 10f64.sqrt() {
        (5, exponent)
    } else if fraction >= 2f64.sqrt() {
        (2, exponent)
    } else {
        (1, exponent)
    };
    Step { mantissa, exponent }
}

fn ticks_with_step(low: f64, high: f64, step: Step) -> Ticks {
    // The tolerances absorb binary rounding: 0.6 / 0.2 is 2.9999999999999996, which is 3 steps.
    let first = (step.count(low) + 1e-9).floor() as i64;
    let last = (step.count(high) - 1e-9).ceil() as i64;
    let last = last.max(first + 1);
    let values: Vec<f64> = (first..=last).map(|k| step.multiple(k)).collect();
    Ticks {
        min: step.multiple(first),
        max: step.multiple(last),
        step: step.value(),
        values,
    }
}

/// Cleans a requested domain: ordered, finite and not empty.
fn usable_domain(low: f64, high: f64) -> (f64, f64) {
    let (low, high) = match (low.is_finite(), high.is_finite()) {
        (true, true) => (low.min(high), low.max(high)),
        (true, false) => (low, low),
        (false, true) => (high, high),
        (false, false) => (0.0, 1.0),
    };
    if high - low > f64::EPSILON * low.abs().max(1.0) {
        (low, high)
    } else if low == 0.0 {
        (0.0, 1.0)
    } else {
        // A single value: widen by its own magnitude so the axis still has a sensible scale.
        (low - low.abs() / 2.0, high + high.abs() / 2.0)
    }
}

/// About `target` ticks covering `[low, high]`, extended outwards to whole steps.
pub fn nice_ticks(low: f64, high: f64, target: usize) -> Ticks {
    let (low, high) = usable_domain(low, high);
    ticks_with_step(low, high, nice_step(high - low, target))
}

/// Like [`nice_ticks`] but with a step of at least 1: for counts, where `0.5` items means
/// nothing.
pub fn nice_integer_ticks(low: f64, high: f64, target: usize) -> Ticks {
    let (low, high) = usable_domain(low, high);
    let mut step = nice_step(high - low, target);
    if step.exponent < 0 {
        step = Step {
            mantissa: 1,
            exponent: 0,
        };
    }
    ticks_with_step(low, high, step)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_axis_has_steps_of_twenty() {
        // raw step = 100 / 5 = 20 = 2.0 x 10^1; 2.0 lies in [sqrt 2, sqrt 10) so the mantissa is 2.
        let ticks = nice_ticks(0.0, 100.0, 5);
        assert_eq!(ticks.step, 20.0);
        assert_eq!(ticks.values, vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!((ticks.min, ticks.max), (0.0, 100.0));
    }

    #[test]
    fn count_axis_extends_to_a_whole_step() {
        // 720 risk mentions (Offense and Prejudice): raw = 144 = 1.44 x 10^2, 1.44 >= sqrt 2
        // (1.414) so step 200; ceil(720 / 200) = 4 steps -> the domain ends at 800.
        let ticks = nice_integer_ticks(0.0, 720.0, 5);
        assert_eq!(ticks.step, 200.0);
        assert_eq!(ticks.values, vec![0.0, 200.0, 400.0, 600.0, 800.0]);
        // 1200 items: raw = 240 = 2.4 x 10^2 -> step 200, 6 intervals, max exactly 1200.
        let ticks = nice_integer_ticks(0.0, 1200.0, 5);
        assert_eq!(ticks.step, 200.0);
        assert_eq!(ticks.max, 1200.0);
        assert_eq!(ticks.values.len(), 7);
        // raw = 8 / 5 = 1.6 >= sqrt 2 -> step 2; ceil(8 / 2) = 4 steps -> [0, 8].
        let ticks = nice_integer_ticks(0.0, 8.0, 5);
        assert_eq!(ticks.values, vec![0.0, 2.0, 4.0, 6.0, 8.0]);
    }

    #[test]
    fn large_fraction_switches_to_the_next_power_of_ten() {
        // raw = 80 / 10 = 8 = 8.0 x 10^0, 8.0 >= sqrt 50 (7.07) -> 1 x 10^1 = 10.
        let ticks = nice_ticks(0.0, 80.0, 10);
        assert_eq!(ticks.step, 10.0);
        // raw = 40 / 10 = 4, 4 in [sqrt 10, sqrt 50) -> 5.
        assert_eq!(nice_ticks(0.0, 40.0, 10).step, 5.0);
    }

    #[test]
    fn decimal_ticks_are_the_nearest_doubles() {
        // span 0.74, raw = 0.148 = 1.48 x 10^-1 -> step 0.2; floor(0.13 / 0.2 = 0.65) = 0 and
        // ceil(0.87 / 0.2 = 4.35) = 5 -> ticks 0, 0.2, ..., 1.0.
        let ticks = nice_ticks(0.13, 0.87, 5);
        assert_eq!(ticks.step, 0.2);
        assert_eq!(ticks.values, vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        // 3 x 0.2 in floating point is 0.6000000000000001; ours must be exactly the literal 0.6.
        assert_eq!(ticks.values[3].to_bits(), 0.6f64.to_bits());
    }

    #[test]
    fn a_bound_on_a_step_is_not_extended() {
        // 0.6 / 0.2 = 2.9999999999999996 in floating point, which must count as 3 steps.
        let ticks = nice_ticks(0.6, 1.4, 4);
        assert_eq!(ticks.step, 0.2);
        assert_eq!(ticks.min, 0.6);
        assert_eq!(ticks.max.to_bits(), 1.4f64.to_bits());
    }

    #[test]
    fn negative_domains_extend_both_ways() {
        // raw = 10 / 5 = 2 -> step 2; floor(-3 / 2) = -2 -> -4, ceil(7 / 2) = 4 -> 8.
        let ticks = nice_ticks(-3.0, 7.0, 5);
        assert_eq!(ticks.values, vec![-4.0, -2.0, 0.0, 2.0, 4.0, 6.0, 8.0]);
    }

    #[test]
    fn small_counts_keep_whole_steps() {
        // raw = 3 / 5 = 0.6 would give 0.5; counts are held at 1.
        let ticks = nice_integer_ticks(0.0, 3.0, 5);
        assert_eq!(ticks.values, vec![0.0, 1.0, 2.0, 3.0]);
    }

    #[test]
    fn degenerate_domains_still_give_an_axis() {
        assert_eq!(nice_integer_ticks(0.0, 0.0, 5).values, vec![0.0, 1.0]);
        let ticks = nice_ticks(f64::NAN, f64::INFINITY, 5);
        assert_eq!((ticks.min, ticks.max), (0.0, 1.0));
        // Reversed bounds are put in order.
        assert_eq!(nice_ticks(100.0, 0.0, 5), nice_ticks(0.0, 100.0, 5));
        // A single non-zero value 50 is widened to [25, 75]: raw 10 -> step 10.
        let ticks = nice_ticks(50.0, 50.0, 5);
        assert_eq!((ticks.min, ticks.max, ticks.step), (20.0, 80.0, 10.0));
    }
}
