//! One dataset item in full: query, risk summary, scenario and risks. All text is rendered as
//! text, with its line breaks kept.

use bsa_core::dataset::{Item, RiskPart};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ItemViewProps {
    pub item: Item,
}

pub fn item_view(props: &ItemViewProps) -> Html {
    let item = &props.item;
    let risks = item.risks.iter().map(|risk| {
        let part = match risk.part {
            Some(RiskPart::A) => "Query A: ",
            Some(RiskPart::B) => "Query B: ",
            None => "",
        };
        html! {
            <li>
                { part }
                <span class="category-primary">{ risk.primary.clone() }</span>
                { " › " }
                <span class="category-secondary">{ risk.secondary.clone() }</span>
            </li>
        }
    });
    html! {
        <article class="item-view" aria-labelledby="item-view-title">
            <h2 id="item-view-title">{ "Item " }<code>{ item.id.clone() }</code></h2>
            <dl class="item-facts">
                <dt>{ "Scenario" }</dt>
                <dd>{ item.scenario.name() }</dd>
                <dt>{ if item.risks.len() == 1 { "Risk" } else { "Risks" } }</dt>
                <dd><ul class="risk-list">{ for risks }</ul></dd>
            </dl>
            <h3>{ "Query" }</h3>
            <div class="text-block item-query-text">{ item.query.clone() }</div>
            <h3>{ "Risk summary" }</h3>
            <p class="hint">{ "The annotated risk rationale the reasoning judge compares the model's reasoning with." }</p>
            <div class="text-block item-summary-text">{ item.risk_summary.clone() }</div>
        </article>
    }
}
