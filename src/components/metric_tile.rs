//! One headline metric as a tile: the value in percent, its 95 % interval, and "not available"
//! (never 0) when the metric has no value.

use yew::prelude::*;

/// A percentage with 2 decimals, as the benchmark reports them; `None` is "not available".
pub fn percent_text(value: Option<f64>) -> String {
    match value.filter(|value| value.is_finite()) {
        Some(value) => format!("{value:.2}"),
        None => "not available".to_string(),
    }
}

/// The state of a tile's interval.
#[derive(Clone, Debug, PartialEq)]
pub enum TileInterval {
    /// Bootstrap is off.
    Off,
    /// Still being computed.
    Pending,
    /// The 95 % interval, in percent.
    Known { low: f64, high: f64 },
    /// Computed, but the metric has no interval (it has no value).
    None,
}

#[derive(Properties, PartialEq)]
pub struct MetricTileProps {
    /// `Safe@1`, `Think@k`, ...
    pub label: AttrValue,
    /// The machine name (`safe_at_1`), as `data-metric`.
    pub metric: AttrValue,
    pub value: Option<f64>,
    pub interval: TileInterval,
    /// One line on what the metric measures.
    pub description: AttrValue,
    /// Why the value is missing, when it is.
    #[prop_or_default]
    pub missing_reason: AttrValue,
    /// Drawn larger: the F-score.
    #[prop_or_default]
    pub emphasis: bool,
}

pub fn metric_tile(props: &MetricTileProps) -> Html {
    let available = props.value.is_some_and(f64::is_finite);
    let interval = match &props.interval {
        TileInterval::Off => html! {},
        TileInterval::Pending => {
            html! { <p class="tile-interval pending">{ "95 % interval: computing…" }</p> }
        }
        TileInterval::Known { low, high } => html! {
            <p class="tile-interval">{ format!("95 % CI {low:.2} – {high:.2}") }</p>
        },
        TileInterval::None => html! {},
    };
    html! {
        <div class={classes!("metric-tile", props.emphasis.then_some("emphasis"), (!available).then_some("unavailable"))}
             data-metric={props.metric.clone()} title={props.description.clone()}>
            <p class="tile-label">{ props.label.clone() }</p>
            <p class="tile-value">
                <span class="tile-number" data-value={props.value.filter(|v| v.is_finite()).map(|v| v.to_string())}>
                    { percent_text(props.value) }
                </span>
                if available { <span class="tile-unit">{ " %" }</span> }
            </p>
            { interval }
            if !available && !props.missing_reason.is_empty() {
                <p class="tile-note">{ props.missing_reason.clone() }</p>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_values_say_not_available_never_zero() {
        assert_eq!(percent_text(None), "not available");
        assert_eq!(percent_text(Some(f64::NAN)), "not available");
        assert_eq!(percent_text(Some(0.0)), "0.00");
        assert_eq!(percent_text(Some(37.246)), "37.25");
    }
}
