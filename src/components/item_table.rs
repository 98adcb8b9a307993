//! One page of dataset items as a table; a row opens the item.

use bsa_core::Scenario;
use yew::prelude::*;

/// What a table row shows of an item (built for the visible page only).
#[derive(Clone, Debug, PartialEq)]
pub struct ItemRow {
    pub id: AttrValue,
    pub scenario: Scenario,
    /// The primary categories, joined.
    pub categories: AttrValue,
    /// The start of the query.
    pub query: AttrValue,
}

/// Characters of the query shown in the table: about two lines at 1280 px.
pub const QUERY_PREVIEW_CHARS: usize = 160;

/// The first `limit` characters of `text` on one line, with an ellipsis when cut.
pub fn preview(text: &str, limit: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(limit) {
        Some((cut, _)) => format!("{}…", flat[..cut].trim_end()),
        None => flat,
    }
}

#[derive(Properties, PartialEq)]
pub struct ItemTableProps {
    pub caption: AttrValue,
    pub rows: Vec<ItemRow>,
    /// The id of the row the user opened.
    pub on_open: Callback<AttrValue>,
}

pub fn item_table(props: &ItemTableProps) -> Html {
    let rows = props.rows.iter().map(|row| {
        let open = {
            let on_open = props.on_open.clone();
            let id = row.id.clone();
            Callback::from(move |_: MouseEvent| on_open.emit(id.clone()))
        };
        html! {
            <tr class="item-row" key={row.id.to_string()} onclick={open.clone()}>
                <td class="item-id">
                    // The button makes the row reachable by keyboard; the row click is for mice.
                    <button type="button" class="link" onclick={open}>{ short_id(&row.id) }</button>
                </td>
                <td class="item-scenario">{ row.scenario.name() }</td>
                <td class="item-categories">{ row.categories.clone() }</td>
                <td class="item-query">{ row.query.clone() }</td>
            </tr>
        }
    });
    html! {
        <div class="table-scroll">
            <table class="item-table">
                <caption class="visually-hidden">{ props.caption.clone() }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ "Id" }</th>
                        <th scope="col">{ "Scenario" }</th>
                        <th scope="col">{ "Primary categories" }</th>
                        <th scope="col">{ "Query" }</th>
                    </tr>
                </thead>
                <tbody>{ for rows }</tbody>
            </table>
        </div>
    }
}

/// The first 8 characters of a long id (the official ids are 32 hex digits), so the query column
/// gets the width.
fn short_id(id: &str) -> String {
    preview(id, 8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preview_cuts_on_characters_and_flattens_lines() {
        assert_eq!(preview("short", 10), "short");
        assert_eq!(preview("one\n two   three", 100), "one two three");
        // 5 characters kept, then an ellipsis; multi-byte characters are not split.
        assert_eq!(preview("ééééééé", 5), "ééééé…");
        assert_eq!(preview("abcd efgh", 5), "abcd…");
        assert_eq!(short_id("c1e26c30d0a0c8013d986aeb84b63c4b"), "c1e26c30…");
    }
}
