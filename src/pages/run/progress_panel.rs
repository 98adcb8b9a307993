//! A run's progress: a bar per stage, rate and time left, tokens and cost so far, errors by
//! kind with the last message, and each API lane's concurrency right now.

use super::estimate::{count_text, usd_text};
use bsa_core::run::{CallCounts, ProgressSnapshot};
use std::rc::Rc;
use yew::prelude::*;

/// A duration for people: `45 s`, `3 min 20 s`, `2 h 5 min`.
pub fn duration_text(ms: u64) -> String {
    let seconds = ms.div_ceil(1000);
    match seconds {
        0..=59 => format!("{seconds} s"),
        60..=3599 => format!("{} min {} s", seconds / 60, seconds % 60),
        _ => format!("{} h {} min", seconds / 3600, (seconds % 3600) / 60),
    }
}

fn stage_bar(label: &str, key: &str, counts: &CallCounts) -> Html {
    let finished = counts.finished();
    let skipped = counts.skipped_no_trace + counts.skipped_generation_failed;
    let mut notes = Vec::new();
    if counts.in_flight > 0 {
        notes.push(format!("{} in flight", counts.in_flight));
    }
    if counts.storing > 0 {
        notes.push(format!("{} being saved", counts.storing));
    }
    if counts.retrying > 0 {
        notes.push(format!("{} waiting to retry", counts.retrying));
    }
    if counts.held > 0 {
        notes.push(format!("{} held", counts.held));
    }
    if counts.failed > 0 {
        notes.push(format!("{} failed", counts.failed));
    }
    if skipped > 0 {
        notes.push(format!("{skipped} skipped"));
    }
    html! {
        <div class="stage-progress" data-stage={key.to_string()} data-done={finished.to_string()} data-total={counts.total.to_string()}
             data-failed={counts.failed.to_string()}>
            <div class="stage-head">
                <span class="stage-label">{ label.to_string() }</span>
                <span class="stage-count">{ format!("{} / {}", count_text(finished), count_text(counts.total)) }</span>
            </div>
            <progress max={counts.total.max(1).to_string()} value={finished.to_string()} aria-label={format!("{label}: {finished} of {} calls finished", counts.total)}></progress>
            if !notes.is_empty() {
                <p class="stage-notes">{ notes.join(", ") }</p>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ProgressPanelProps {
    pub progress: Rc<ProgressSnapshot>,
}

pub fn progress_panel(props: &ProgressPanelProps) -> Html {
    let progress = &props.progress;
    let stages = progress
        .stages
        .iter()
        .map(|stage| stage_bar(stage.stage.label(), stage.stage.name(), &stage.counts));
    let rate = progress
        .calls_per_minute
        .map_or_else(|| "–".to_string(), |rate| format!("{rate:.0} calls/min"));
    let eta = progress
        .eta_ms
        .map_or_else(|| "–".to_string(), duration_text);
    let cost = match progress.spent.cost_usd {
        Some(cost) if progress.unpriced_attempts > 0 => {
            format!(
                "{} (+ {} calls without a price)",
                usd_text(cost),
                progress.unpriced_attempts
            )
        }
        Some(cost) => usd_text(cost),
        None => "unknown (no prices entered)".to_string(),
    };
    let cap = progress
        .spend_cap_usd
        .map(|cap| format!(" of a {} cap", usd_text(cap)))
        .unwrap_or_default();
    let errors = progress.errors.iter().map(|tally| {
        html! {
            <tr data-error-kind={format!("{:?}", tally.kind)}>
                <th scope="row">{ tally.kind.label() }</th>
                <td class="num">{ tally.count }</td>
                <td class="error-message">{ tally.last_message.clone() }</td>
            </tr>
        }
    });
    let lanes = progress.lanes.iter().map(|lane| {
        html! {
            <li data-lane={lane.name.clone()} data-concurrency={lane.effective_concurrency.to_string()}>
                { format!(
                    "{}: {} in flight, {} at a time now (limit {}){}",
                    lane.name,
                    lane.in_flight,
                    lane.effective_concurrency,
                    lane.max_concurrency,
                    lane.requests_per_minute.map(|rpm| format!(", {rpm} requests/min")).unwrap_or_default()
                ) }
            </li>
        }
    });
    html! {
        <section class="progress-panel" aria-labelledby="progress-title" data-done={progress.totals.finished().to_string()}
                 data-total={progress.totals.total.to_string()} data-in-flight={progress.totals.in_flight.to_string()}>
            <h3 id="progress-title">{ "Progress" }</h3>
            <div class="stage-bars">{ for stages }</div>
            <dl class="progress-facts">
                <div><dt>{ "Rate" }</dt><dd>{ rate }</dd></div>
                <div><dt>{ "Time left" }</dt><dd data-eta={progress.eta_ms.map(|ms| ms.to_string())}>{ eta }</dd></div>
                <div><dt>{ "Tokens" }</dt><dd>{ format!("{} in, {} out", count_text(progress.spent.input_tokens), count_text(progress.spent.output_tokens)) }</dd></div>
                <div><dt>{ "Cost so far" }</dt><dd>{ format!("{cost}{cap}") }</dd></div>
                <div><dt>{ "Retries" }</dt><dd data-retries={progress.retries.to_string()}>{ format!("{} retries, {} judge re-asks", progress.retries, progress.reasks) }</dd></div>
            </dl>
            <ul class="lanes">{ for lanes }</ul>
            if !progress.errors.is_empty() {
                <table class="report-table error-table">
                    <caption>{ "Errors so far (retried unless the run stopped)" }</caption>
                    <thead><tr><th scope="col">{ "kind" }</th><th scope="col">{ "count" }</th><th scope="col">{ "last message" }</th></tr></thead>
                    <tbody>{ for errors }</tbody>
                </table>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_round_up_to_the_second() {
        assert_eq!(duration_text(0), "0 s");
        assert_eq!(duration_text(1), "1 s");
        assert_eq!(duration_text(59_000), "59 s");
        assert_eq!(duration_text(200_000), "3 min 20 s");
        assert_eq!(duration_text(7_500_000), "2 h 5 min");
    }
}
