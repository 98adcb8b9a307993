//! Previous / next page controls with "page 2 of 40".

use crate::state::explorer::Page;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PaginationProps {
    pub page: Page,
    /// Entries in the whole list.
    pub total: usize,
    /// The 0-based page to go to.
    pub on_page: Callback<usize>,
}

pub fn pagination(props: &PaginationProps) -> Html {
    let page = props.page;
    let go = |target: usize| {
        let on_page = props.on_page.clone();
        Callback::from(move |_: MouseEvent| on_page.emit(target))
    };
    let first = page.number == 0;
    let last = page.number + 1 >= page.count;
    let shown = if props.total == 0 {
        "no items".to_string()
    } else {
        format!("items {}–{} of {}", page.start + 1, page.end, props.total)
    };
    html! {
        <nav class="pagination" aria-label="Pages">
            <button type="button" onclick={go(0)} disabled={first}>{ "First" }</button>
            <button type="button" onclick={go(page.number.saturating_sub(1))} disabled={first}>{ "Previous" }</button>
            <span class="page-position">{ format!("Page {} of {} ({shown})", page.number + 1, page.count) }</span>
            <button type="button" onclick={go(page.number + 1)} disabled={last}>{ "Next" }</button>
            <button type="button" onclick={go(page.count.saturating_sub(1))} disabled={last}>{ "Last" }</button>
        </nav>
    }
}
