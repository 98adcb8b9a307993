//! Number formatting for axis ticks, tooltips and cell labels.
//!
//! [`ValueKind`] says whether a chart shows percentages (BSA's metrics, 0 to 100) or counts
//! (items per scenario, risk mentions per category); the functions here turn values of either
//! kind into the short texts the charts draw. A value that is missing or not finite prints as
//! [`NOT_AVAILABLE`], never as `0`.

/// The text shown for a missing value.
pub const NOT_AVAILABLE: &str = "n/a";

/// What the numbers of a chart measure; decides the axis domain and how values print.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ValueKind {
    /// A percentage on the 0 to 100 scale (Safe@1, Think@1, ...). The axis is fixed to 0-100 %.
    #[default]
    Percent,
    /// A count (items, risk mentions). The axis starts at 0 and ends at a "nice" bound.
    Count,
}

/// `value` with `decimals` digits after the point; a result that rounds to zero carries no sign
/// (`-0.001` prints `0.00`, not `-0.00`).
pub fn format_fixed(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return NOT_AVAILABLE.to_string();
    }
    let text = format!("{value:.decimals$}");
    match text.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => text,
    }
}

/// A percentage: `37.24 %` for `format_percent(37.2417, 2)`.
pub fn format_percent(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return NOT_AVAILABLE.to_string();
    }
    format!("{} %", format_fixed(value, decimals))
}

/// Inserts a comma every three digits of the integer part of a plain decimal text
/// (`"-1234.5"` -> `"-1,234.5"`).
pub fn group_thousands(text: &str) -> String {
    let (sign, unsigned) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (int_part, frac_part) = match unsigned.find('.') {
        Some(dot) => unsigned.split_at(dot),
        None => (unsigned, ""),
    };
    let digits: Vec<char> = int_part.chars().collect();
    let mut grouped = String::with_capacity(text.len() + digits.len() / 3);
    grouped.push_str(sign);
    for (i, digit) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(*digit);
    }
    grouped.push_str(frac_part);
    grouped
}

/// A count: whole numbers with thousands separators (`1,200`); a fractional count (a mean) keeps
/// two decimals.
pub fn format_count(value: f64) -> String {
    if !value.is_finite() {
        return NOT_AVAILABLE.to_string();
    }
    let whole = (value - value.round()).abs() < 1e-9;
    group_thousands(&format_fixed(value, if whole { 0 } else { 2 }))
}

/// The sample size as tooltips show it: `n = 1,200`.
pub fn format_n(n: usize) -> String {
    format!("n = {}", group_thousands(&n.to_string()))
}

/// How many decimals the ticks of a 1/2/5 x 10^k step need so that neighbours differ in print:
/// 0 for steps of 1 and more, 1 for 0.5 / 0.2 / 0.1, 2 for 0.05, ...
pub fn tick_decimals(step: f64) -> usize {
    if !step.is_finite() || step <= 0.0 || step >= 1.0 {
        return 0;
    }
    // The small tolerance keeps log10(0.1) = -0.99999... from asking for two decimals.
    (-step.log10() - 1e-9).ceil().clamp(0.0, 12.0) as usize
}

/// An axis tick label: `20 %` or `1,200`, with as many decimals as the step needs.
pub fn format_tick(kind: ValueKind, value: f64, step: f64) -> String {
    let decimals = tick_decimals(step);
    match kind {
        ValueKind::Percent => format_percent(value, decimals),
        ValueKind::Count => group_thousands(&format_fixed(value, decimals)),
    }
}

/// The exact value as tooltips show it: percentages with two decimals (`37.24 %`), counts in
/// full (`1,200`), a missing value as `n/a`.
pub fn format_value(kind: ValueKind, value: Option<f64>) -> String {
    match value {
        Some(v) if v.is_finite() => match kind {
            ValueKind::Percent => format_percent(v, 2),
            ValueKind::Count => format_count(v),
        },
        _ => NOT_AVAILABLE.to_string(),
    }
}

/// The short label drawn on a bar or inside a heatmap cell, where the unit is given elsewhere:
/// percentages with one decimal and no sign (`37.2`), counts in full.
pub fn format_short(kind: ValueKind, value: Option<f64>) -> String {
    match value {
        Some(v) if v.is_finite() => match kind {
            ValueKind::Percent => format_fixed(v, 1),
            ValueKind::Count => format_count(v),
        },
        _ => NOT_AVAILABLE.to_string(),
    }
}

/// A 95 % interval: `95 % CI 30.50-44.20 %` (with an en dash).
pub fn format_interval(kind: ValueKind, (low, high): (f64, f64)) -> String {
    match kind {
        ValueKind::Percent => format!(
            "95 % CI {}\u{2013}{} %",
            format_fixed(low, 2),
            format_fixed(high, 2)
        ),
        ValueKind::Count => format!(
            "95 % CI {}\u{2013}{}",
            format_count(low),
            format_count(high)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_rounds_to_the_requested_decimals() {
        // 37.2417 to 2 decimals: the third decimal is 1, so it rounds down to 37.24.
        assert_eq!(format_percent(37.2417, 2), "37.24 %");
        // 99.96 to 1 decimal: 99.96 -> 100.0 (the 6 rounds the 9 up, carrying twice).
        assert_eq!(format_percent(99.96, 1), "100.0 %");
        assert_eq!(format_percent(f64::NAN, 2), "n/a");
    }

    #[test]
    fn values_that_round_to_zero_have_no_sign() {
        assert_eq!(format_fixed(-0.001, 2), "0.00");
        assert_eq!(format_fixed(-0.0, 0), "0");
        assert_eq!(format_fixed(-0.5, 1), "-0.5");
    }

    #[test]
    fn thousands_are_grouped_by_three_digits() {
        assert_eq!(group_thousands("0"), "0");
        assert_eq!(group_thousands("999"), "999");
        assert_eq!(group_thousands("1000"), "1,000");
        assert_eq!(group_thousands("1234567.25"), "1,234,567.25");
        assert_eq!(group_thousands("-1200"), "-1,200");
    }

    #[test]
    fn counts_print_whole_or_with_two_decimals() {
        assert_eq!(format_count(1200.0), "1,200");
        // 3200 / 9 = 355.555...: a mean, so two decimals.
        assert_eq!(format_count(3200.0 / 9.0), "355.56");
        assert_eq!(format_n(2000), "n = 2,000");
        assert_eq!(format_n(187), "n = 187");
    }

    #[test]
    fn tick_labels_use_as_many_decimals_as_the_step() {
        assert_eq!(tick_decimals(20.0), 0);
        assert_eq!(tick_decimals(1.0), 0);
        assert_eq!(tick_decimals(0.5), 1);
        assert_eq!(tick_decimals(0.1), 1);
        assert_eq!(tick_decimals(0.05), 2);
        assert_eq!(tick_decimals(0.001), 3);
        assert_eq!(format_tick(ValueKind::Percent, 40.0, 20.0), "40 %");
        assert_eq!(format_tick(ValueKind::Percent, 2.5, 0.5), "2.5 %");
        assert_eq!(format_tick(ValueKind::Count, 1500.0, 500.0), "1,500");
    }

    #[test]
    fn tooltip_and_cell_values() {
        assert_eq!(format_value(ValueKind::Percent, Some(37.2417)), "37.24 %");
        assert_eq!(format_value(ValueKind::Count, Some(600.0)), "600");
        assert_eq!(format_value(ValueKind::Percent, None), "n/a");
        assert_eq!(format_value(ValueKind::Percent, Some(f64::INFINITY)), "n/a");
        assert_eq!(format_short(ValueKind::Percent, Some(37.26)), "37.3");
        assert_eq!(format_short(ValueKind::Count, Some(3200.0)), "3,200");
        assert_eq!(format_short(ValueKind::Count, None), "n/a");
        assert_eq!(
            format_interval(ValueKind::Percent, (30.5, 44.2)),
            "95 % CI 30.50\u{2013}44.20 %"
        );
    }
}
