//! Reusable view pieces: they take props and `on*` callbacks and know nothing of routes or services.
//!
//! - [`toggle_button`]: an on/off button (`aria-pressed`), for the theme and large type.
//! - [`notice`]: a message box (information, success, error) with an optional dismiss button.
//! - [`problem_list`]: located problems of an input file, one per line.
//! - [`file_drop`]: a file picker that also accepts dropped files.
//! - [`filter_bar`]: the explorer's search field and category selects.
//! - [`item_table`]: one page of dataset items; [`item_view`]: one item in full.
//! - [`pagination`]: previous / next page controls.
//! - [`count_table`]: counts as a small table (the accessible twin of a bar chart).
//! - [`leaderboard_table`]: the sortable leaderboard.
//! - [`metric_tile`]: one headline metric with its interval; [`safety_grid`]: the
//!   superficial-safety grid; [`filter_chips`]: removable active filters; [`sample_view`]: a
//!   model's samples of one item (verdict chips, full texts).
//! - [`charts`]: SVG charts.

pub mod charts;
pub mod count_table;
pub mod file_drop;
pub mod filter_bar;
pub mod filter_chips;
pub mod item_table;
pub mod item_view;
pub mod leaderboard_table;
pub mod metric_tile;
pub mod notice;
pub mod pagination;
pub mod problem_list;
pub mod safety_grid;
pub mod sample_view;
pub mod toggle_button;
