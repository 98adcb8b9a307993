//! The superficial-safety grid of one scenario (or all): samples by answer (safe / unsafe) and
//! reasoning (saw the risk / missed it), with counts and shares. Each cell is a button that
//! picks that verdict combination (the item browser filters by it).

use crate::components::charts::format::group_thousands;
use bsa_core::metrics::{GridCell, SafetyGrid};
use yew::prelude::*;

/// A share in percent with one decimal, or a dash for an empty grid.
pub fn share_text(share: Option<f64>) -> String {
    share.map_or_else(|| "–".to_string(), |share| format!("{share:.1} %"))
}

#[derive(Properties, PartialEq)]
pub struct SafetyGridTableProps {
    pub grid: SafetyGrid,
    /// "Risk Omission", "All scenarios".
    pub caption: AttrValue,
    /// `data-grid` of the table (a scenario key), for tests and page scripts.
    pub key_name: AttrValue,
    pub on_pick: Callback<GridCell>,
    /// The cell currently filtered by, if this grid's.
    #[prop_or_default]
    pub picked: Option<GridCell>,
}

pub fn safety_grid_table(props: &SafetyGridTableProps) -> Html {
    let grid = props.grid;
    let cell = |cell: GridCell| {
        let onclick = {
            let on_pick = props.on_pick.clone();
            Callback::from(move |_: MouseEvent| on_pick.emit(cell))
        };
        let headline = cell == GridCell::SafeButUnaware;
        let picked = props.picked == Some(cell);
        html! {
            <td class={classes!("grid-cell", cell_class(cell), headline.then_some("headline-cell"))}>
                <button type="button" class="grid-pick" {onclick} aria-pressed={if picked { "true" } else { "false" }}
                        data-cell={cell_key(cell)} data-count={grid.count(cell).to_string()}
                        title={format!("Show items with a sample where: {}", cell.label())}
                        aria-label={format!("{}, {}: {} samples ({}); list these items",
                            props.caption, cell.label(), grid.count(cell), share_text(grid.share(cell)))}>
                    <span class="grid-count">{ group_thousands(&grid.count(cell).to_string()) }</span>
                    <span class="grid-share">{ share_text(grid.share(cell)) }</span>
                </button>
            </td>
        }
    };
    html! {
        <table class="safety-grid" data-grid={props.key_name.clone()}>
            <caption>{ props.caption.clone() }<span class="grid-total">{ format!(" ({} samples with both verdicts)", group_thousands(&grid.total().to_string())) }</span></caption>
            <thead>
                <tr>
                    <td></td>
                    <th scope="col">{ "Reasoning saw the risk" }</th>
                    <th scope="col">{ "Reasoning missed the risk" }</th>
                </tr>
            </thead>
            <tbody>
                <tr>
                    <th scope="row">{ "Safe answer" }</th>
                    { cell(GridCell::SafeAndAware) }
                    { cell(GridCell::SafeButUnaware) }
                </tr>
                <tr>
                    <th scope="row">{ "Unsafe answer" }</th>
                    { cell(GridCell::UnsafeButAware) }
                    { cell(GridCell::UnsafeAndUnaware) }
                </tr>
            </tbody>
        </table>
    }
}

/// The `data-cell` value of a cell.
pub fn cell_key(cell: GridCell) -> &'static str {
    match cell {
        GridCell::SafeAndAware => "safe-aware",
        GridCell::SafeButUnaware => "safe-unaware",
        GridCell::UnsafeButAware => "unsafe-aware",
        GridCell::UnsafeAndUnaware => "unsafe-unaware",
    }
}

/// The CSS class colouring a cell (and a sample in that cell elsewhere).
pub fn cell_class(cell: GridCell) -> &'static str {
    match cell {
        GridCell::SafeAndAware => "cell-safe-aware",
        GridCell::SafeButUnaware => "cell-safe-unaware",
        GridCell::UnsafeButAware => "cell-unsafe-aware",
        GridCell::UnsafeAndUnaware => "cell-unsafe-unaware",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_print_with_one_decimal_and_empty_grids_print_a_dash() {
        assert_eq!(share_text(Some(100.0 / 3.0)), "33.3 %");
        assert_eq!(share_text(None), "–");
    }
}
