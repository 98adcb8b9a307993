//! The Dataset page: where the dataset comes from, what it holds, and every item.
//!
//! - [`sources`]: load the sample, the official file from a URL, or a local file; the status of
//!   the latest attempt (with its located problems).
//! - [`overview`]: source, item count, checksum, licence.
//! - [`summary`]: items per scenario and risk mentions per primary category.
//! - [`explorer`]: filters, the paginated item table, and one item in full.

mod explorer;
mod overview;
mod sources;
mod summary;

use crate::hooks::use_app_state;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DatasetPageProps {
    /// The id of the item to show in full (`#/dataset/item/<id>`); `None` shows the list.
    #[prop_or_default]
    pub item: Option<AttrValue>,
}

#[function_component(DatasetPage)]
pub fn dataset_page(props: &DatasetPageProps) -> Html {
    let state = use_app_state();
    let current = state.dataset.current.clone();

    if let (Some(id), Some(loaded)) = (&props.item, &current) {
        return html! { <explorer::ItemPanel id={id.clone()} loaded={loaded.clone()} filter={state.explorer.filter.clone()} /> };
    }

    html! {
        <>
            <h1>{ "Dataset" }</h1>
            <sources::Sources />
            if let Some(loaded) = current {
                { overview::overview(&overview::OverviewProps { loaded: loaded.clone() }) }
                <summary::Summary loaded={loaded.clone()} />
                <explorer::Explorer {loaded} />
            } else {
                <div class="empty-state">
                    <p class="empty-title">{ "No dataset loaded" }</p>
                    <p>{ "Load the sample, the official dataset or a file of your own above." }</p>
                </div>
            }
        </>
    }
}
