//! Counts as a small two-column table: the readable twin of a bar chart (screen readers, exact
//! figures, copy and paste).

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CountTableProps {
    pub caption: AttrValue,
    /// Header of the name column.
    pub name_header: AttrValue,
    /// Header of the count column.
    pub count_header: AttrValue,
    pub rows: Vec<(AttrValue, usize)>,
}

pub fn count_table(props: &CountTableProps) -> Html {
    let total: usize = props.rows.iter().map(|(_, count)| count).sum();
    html! {
        <table class="count-table">
            <caption>{ props.caption.clone() }</caption>
            <thead>
                <tr><th scope="col">{ props.name_header.clone() }</th><th scope="col" class="num">{ props.count_header.clone() }</th></tr>
            </thead>
            <tbody>
                { for props.rows.iter().map(|(name, count)| html! {
                    <tr><th scope="row">{ name.clone() }</th><td class="num">{ count }</td></tr>
                }) }
            </tbody>
            <tfoot>
                <tr><th scope="row">{ "Total" }</th><td class="num">{ total }</td></tr>
            </tfoot>
        </table>
    }
}
