//! What the current dataset is: source, size, checksum, licence.

use crate::state::dataset::LoadedDataset;
use bsa_core::scenario::OFFICIAL_ITEM_COUNT;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct OverviewProps {
    pub loaded: LoadedDataset,
}

pub fn overview(props: &OverviewProps) -> Html {
    let loaded = &props.loaded;
    let dataset = &loaded.data.dataset;
    let sha = dataset.sha256();
    let checksum = if sha.is_empty() {
        html! { <span>{ "not computed" }</span> }
    } else if loaded.data.is_official() {
        html! { <><code class="checksum">{ sha.to_string() }</code>{ " " }<span class="badge badge-ok">{ "matches the official dataset" }</span></> }
    } else {
        html! { <><code class="checksum">{ sha.to_string() }</code>{ " " }<span class="badge">{ "not the official file" }</span></> }
    };
    let items = dataset.len();
    let items_note = if loaded.skipped_rows > 0 {
        format!(
            "{items} ({} rows with problems left out)",
            loaded.skipped_rows
        )
    } else if items == OFFICIAL_ITEM_COUNT || loaded.origin.is_sample() {
        items.to_string()
    } else {
        format!("{items} (the full benchmark has {OFFICIAL_ITEM_COUNT})")
    };

    html! {
        <section class="card overview" aria-labelledby="overview-title">
            <h2 id="overview-title">{ "Current dataset" }</h2>
            if loaded.origin.is_sample() {
                <p class="sample-warning" role="note">
                    <strong>{ "Sample data: " }</strong>
                    { "these items are made up for trying the app. They are not the BSA benchmark; load the official dataset for real results." }
                </p>
            }
            <dl class="facts">
                <dt>{ "Source" }</dt>
                <dd class="source-name">{ loaded.origin.describe() }</dd>
                <dt>{ "Items" }</dt>
                <dd class="item-count">{ items_note }</dd>
                <dt>{ "SHA-256" }</dt>
                <dd>{ checksum }</dd>
                <dt>{ "Licence" }</dt>
                <dd>
                    { "The BSA data is © its authors (OpenStellarTeam/BSA) under " }
                    <a href="https://creativecommons.org/licenses/by-nc/4.0/" rel="noopener noreferrer" target="_blank">{ "CC BY-NC 4.0" }</a>
                    { ": credit the authors, no commercial use." }
                </dd>
            </dl>
        </section>
    }
}
