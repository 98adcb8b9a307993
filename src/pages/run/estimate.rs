//! The pre-run estimate: calls, tokens and cost per stage (the core's `estimate`), the output
//! expectations it rests on, and the spend cap.

use super::field::TextField;
use crate::state::run::check::FormCheck;
use crate::state::run::form::{FieldId, RunForm};
use bsa_core::run::RunEstimate;
use std::rc::Rc;
use yew::prelude::*;

/// A count with thousands separators (`12,345`).
pub fn count_text(count: u64) -> String {
    let digits = count.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Dollars with cents, or more digits for small amounts (`$0.0042`).
pub fn usd_text(usd: f64) -> String {
    if usd != 0.0 && usd.abs() < 0.01 {
        format!("${usd:.4}")
    } else {
        format!("${usd:.2}")
    }
}

#[derive(Properties, PartialEq)]
pub struct EstimatePanelProps {
    pub form: Rc<RunForm>,
    pub check: Rc<FormCheck>,
    /// `None` while the form has problems.
    pub estimate: Option<Rc<RunEstimate>>,
    pub on_edit: Callback<(FieldId, String)>,
}

pub fn estimate_panel(props: &EstimatePanelProps) -> Html {
    let form = &props.form;
    let table = match &props.estimate {
        None => {
            html! { <p class="hint">{ "The estimate appears once the configuration is valid." }</p> }
        }
        Some(estimate) => {
            let rows = estimate.stages.iter().map(|stage| {
                html! {
                    <tr data-stage={stage.stage.name()}>
                        <th scope="row">{ stage.stage.label() }</th>
                        <td class="num">{ count_text(stage.calls) }</td>
                        <td class="num">{ count_text(stage.input_tokens) }</td>
                        <td class="num">{ count_text(stage.output_tokens) }</td>
                        <td class="num">{ stage.cost_usd.map_or_else(|| "no price".into(), usd_text) }</td>
                    </tr>
                }
            });
            let total_cost = match estimate.cost_usd {
                Some(cost) => usd_text(cost),
                None => format!("{} + unpriced stages", usd_text(estimate.known_cost_usd)),
            };
            html! {
                <>
                <table class="report-table estimate-table" data-estimate-calls={estimate.calls.to_string()}>
                    <caption>{ "Before the run: an estimate, not a quote" }</caption>
                    <thead><tr>
                        <th scope="col">{ "stage" }</th><th scope="col">{ "calls" }</th>
                        <th scope="col">{ "input tokens" }</th><th scope="col">{ "output tokens" }</th><th scope="col">{ "cost" }</th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                    <tfoot><tr>
                        <th scope="row">{ "total" }</th>
                        <td class="num">{ count_text(estimate.calls) }</td>
                        <td class="num">{ count_text(estimate.input_tokens) }</td>
                        <td class="num">{ count_text(estimate.output_tokens) }</td>
                        <td class="num">{ total_cost }</td>
                    </tr></tfoot>
                </table>
                <ul class="assumptions">
                    { for estimate.assumptions.iter().map(|line| html! { <li>{ line.clone() }</li> }) }
                </ul>
                </>
            }
        }
    };
    html! {
        <div class="estimate-panel">
            <div class="field-pair">
                <TextField field={FieldId::ExpectAnswer} label="Expected answer tokens per call" inputmode="numeric"
                    value={form.expect_answer.clone()} check={props.check.clone()} on_edit={props.on_edit.clone()} />
                <TextField field={FieldId::ExpectReasoning} label="Expected reasoning tokens per call" inputmode="numeric"
                    value={form.expect_reasoning.clone()} check={props.check.clone()} on_edit={props.on_edit.clone()} />
                <TextField field={FieldId::ExpectJudge} label="Expected judge reply tokens" inputmode="numeric"
                    value={form.expect_judge.clone()} check={props.check.clone()} on_edit={props.on_edit.clone()} />
            </div>
            { table }
            <TextField field={FieldId::SpendCap} label="Spend cap (USD; the run pauses when reached)" inputmode="decimal"
                placeholder="no cap" value={form.spend_cap.clone()} check={props.check.clone()} on_edit={props.on_edit.clone()} />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_dollars_read_well() {
        assert_eq!(count_text(0), "0");
        assert_eq!(count_text(999), "999");
        assert_eq!(count_text(1000), "1,000");
        assert_eq!(count_text(1234567), "1,234,567");
        assert_eq!(usd_text(12.345), "$12.35");
        assert_eq!(usd_text(0.00423), "$0.0042");
        assert_eq!(usd_text(0.0), "$0.00");
    }
}
