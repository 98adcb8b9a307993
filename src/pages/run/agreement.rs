//! How far the two judges agree: Cohen's kappa per verdict type (answers, reasoning per
//! scenario and pooled) and the samples where they differ.

use bsa_core::judge::{Agreement, AgreementReport, SampleKey};
use yew::prelude::*;

/// Samples listed per verdict type at most; the count says how many there are.
const DIFFERING_SHOWN: usize = 40;

fn kappa_text(agreement: &Agreement) -> String {
    match agreement.kappa {
        Some(kappa) => format!("{kappa:.3}"),
        None => "undefined (one label throughout)".into(),
    }
}

fn row(name: &str, key: &str, agreement: &Agreement) -> Html {
    html! {
        <tr data-agreement={key.to_string()} data-kappa={agreement.kappa.map(|k| k.to_string())} data-n={agreement.n.to_string()}>
            <th scope="row">{ name.to_string() }</th>
            <td class="num">{ agreement.n }</td>
            <td class="num">{ format!("{:.1} %", agreement.observed * 100.0) }</td>
            <td class="num">{ format!("{:.1} %", agreement.expected * 100.0) }</td>
            <td class="num">{ kappa_text(agreement) }</td>
            <td class="num">{ agreement.differing.len() }</td>
        </tr>
    }
}

fn differing(name: &str, samples: &[SampleKey]) -> Html {
    if samples.is_empty() {
        return html! {};
    }
    let shown = samples.iter().take(DIFFERING_SHOWN).map(|key| {
        html! { <li><code>{ format!("{} #{}", key.item_id, key.sample + 1) }</code></li> }
    });
    html! {
        <details class="differing">
            <summary>{ format!("{name}: {} samples where the judges differ", samples.len()) }</summary>
            <ul class="id-list">{ for shown }</ul>
            if samples.len() > DIFFERING_SHOWN {
                <p class="hint">{ format!("… and {} more (all are in the exported run file).", samples.len() - DIFFERING_SHOWN) }</p>
            }
        </details>
    }
}

#[derive(Properties, PartialEq)]
pub struct AgreementPanelProps {
    pub agreement: AgreementReport,
}

pub fn agreement_panel(props: &AgreementPanelProps) -> Html {
    let report = &props.agreement;
    let mut rows = Vec::new();
    let mut lists = Vec::new();
    if let Some(answer) = &report.answer {
        rows.push(row("answers (Safe / Unsafe)", "answer", answer));
        lists.push(differing("Answers", &answer.differing));
    }
    for (scenario, agreement) in &report.reasoning {
        rows.push(row(
            &format!("reasoning, {scenario}"),
            scenario.name(),
            agreement,
        ));
        lists.push(differing(
            &format!("Reasoning, {scenario}"),
            &agreement.differing,
        ));
    }
    if let Some(pooled) = &report.reasoning_pooled {
        rows.push(row(
            "reasoning, correct or not (pooled)",
            "reasoning-pooled",
            pooled,
        ));
    }
    html! {
        <section class="agreement" aria-labelledby="agreement-title">
            <h3 id="agreement-title">{ "Agreement of the two judges" }</h3>
            if rows.is_empty() {
                <p class="hint">{ "No sample has verdicts from both judges yet." }</p>
            } else {
                <table class="report-table">
                    <caption>{ "Cohen's kappa: agreement beyond chance (1 = always agree, 0 = as by chance)" }</caption>
                    <thead><tr>
                        <th scope="col">{ "verdicts" }</th><th scope="col">{ "n" }</th><th scope="col">{ "observed" }</th>
                        <th scope="col">{ "by chance" }</th><th scope="col">{ "kappa" }</th><th scope="col">{ "differ" }</th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
                { for lists }
            }
            if !report.only_first.is_empty() || !report.only_second.is_empty() {
                <p class="hint">{ format!(
                    "{} verdicts only from the first judge, {} only from the second (judge errors or calls still to come); left out of kappa.",
                    report.only_first.len(), report.only_second.len()
                ) }</p>
            }
        </section>
    }
}
