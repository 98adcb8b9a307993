//! The differences table: one row per compared model, one column per headline metric, each cell
//! A − B in percentage points with its paired 95 % interval and whether it is significant (the
//! interval excludes 0).

use crate::state::results::compare::{ComparePlan, ComparisonMemo};
use bsa_core::metrics::{HeadlineMetric, MetricDifference};
use yew::prelude::*;

/// Whether a difference is significant at the interval's level: the interval excludes 0.
pub fn is_significant(difference: &MetricDifference) -> bool {
    difference
        .interval
        .is_some_and(|interval| !interval.contains(0.0))
}

/// `+3.21`, `−0.50` (a real minus sign), `n/a`.
pub fn signed(value: Option<f64>) -> String {
    match value.filter(|value| value.is_finite()) {
        Some(value) if value > 0.0 => format!("+{value:.2}"),
        Some(value) if value < 0.0 => format!("\u{2212}{:.2}", -value),
        Some(_) => "0.00".to_string(),
        None => "n/a".to_string(),
    }
}

#[derive(Properties, PartialEq)]
pub struct DifferencesProps {
    pub plan: ComparePlan,
    pub memo: ComparisonMemo,
    pub bootstrap: bool,
}

pub fn differences(props: &DifferencesProps) -> Html {
    let plan = &props.plan;
    let rows = plan.others.iter().map(|other| {
        let Some(comparison) = props.memo.get(&plan.reference, other) else {
            return html! {
                <tr key={other.clone()} data-model={other.clone()} class="pending">
                    <th scope="row">{ other.clone() }</th>
                    <td colspan="6" role="status">{ "computing…" }</td>
                </tr>
            };
        };
        let cells = comparison.differences.iter().map(|difference| {
            let significant = is_significant(difference);
            let interval = difference.interval.map(|interval| {
                format!("[{}, {}]", signed(Some(interval.low)), signed(Some(interval.high)))
            });
            let values = format!(
                "A {} vs B {}",
                difference.a.map_or_else(|| "n/a".to_string(), |a| format!("{a:.2}")),
                difference.b.map_or_else(|| "n/a".to_string(), |b| format!("{b:.2}"))
            );
            html! {
                <td class={classes!("num", "difference", significant.then_some("significant"))}
                    data-metric={difference.metric.key()} data-significant={significant.to_string()}
                    data-difference={difference.difference.map(|d| d.to_string())} title={values.clone()}>
                    <span class="difference-value">{ signed(difference.difference) }</span>
                    if let Some(interval) = interval {
                        <span class="difference-interval">{ interval }</span>
                    }
                    if significant {
                        <span class="significance">{ "significant" }</span>
                    }
                    <span class="difference-values">{ values }</span>
                </td>
            }
        });
        html! {
            <tr key={other.clone()} data-model={other.clone()}>
                <th scope="row">{ other.clone() }</th>
                <td class="num">{ comparison.common_items }</td>
                { for cells }
            </tr>
        }
    });
    html! {
        <section class="card compare-differences" aria-labelledby="compare-differences-title">
            <h2 id="compare-differences-title">{ format!("{} (A) minus each model (B)", plan.reference) }</h2>
            <div class="table-scroll">
                <table class="differences-table">
                    <caption class="visually-hidden">
                        { "Differences of the reference model minus each compared model, in percentage points, with paired 95 % bootstrap intervals" }
                    </caption>
                    <thead>
                        <tr>
                            <th scope="col">{ "Model B" }</th>
                            <th scope="col" class="num" title="items both models have a verdict for">{ "Common items" }</th>
                            { for HeadlineMetric::ALL.iter().map(|metric| html! {
                                <th scope="col" class="num">{ format!("Δ {}", metric.label()) }</th>
                            }) }
                        </tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            <p class="hint">
                { "Percentage points, A − B: positive means the reference model scores higher. Brackets: paired 95 % bootstrap \
                   interval (the same resampled items for both models). \"significant\": the interval excludes 0, so the difference \
                   is unlikely to come from which items happened to be asked." }
                if !props.bootstrap { { " Intervals are off." } }
            </p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bsa_core::metrics::Interval;

    fn difference(interval: Option<(f64, f64)>) -> MetricDifference {
        MetricDifference {
            metric: HeadlineMetric::SafeAt1,
            a: Some(80.0),
            b: Some(75.0),
            difference: Some(5.0),
            interval: interval.map(|(low, high)| Interval { low, high }),
        }
    }

    #[test]
    fn significant_means_the_interval_excludes_zero() {
        assert!(is_significant(&difference(Some((1.0, 9.0)))));
        assert!(is_significant(&difference(Some((-9.0, -0.5)))));
        assert!(!is_significant(&difference(Some((-1.0, 9.0)))));
        // An interval touching 0 contains it.
        assert!(!is_significant(&difference(Some((0.0, 9.0)))));
        assert!(!is_significant(&difference(None)));
    }

    #[test]
    fn differences_carry_their_sign() {
        assert_eq!(signed(Some(3.214)), "+3.21");
        assert_eq!(signed(Some(-0.5)), "\u{2212}0.50");
        assert_eq!(signed(Some(0.0)), "0.00");
        assert_eq!(signed(None), "n/a");
    }
}
