//! The leaderboard page's state: published rows, rows of the user's own models, sort order and
//! the F-score exponent.
//!
//! - [`LeaderboardRow`]: one table row, published ([`RowOrigin::Published`]) or computed from
//!   the user's results ([`RowOrigin::Yours`]).
//! - [`LeaderboardSort`]: the column ([`SortKey`]) and direction; [`sorted_rows`] applies it.
//! - [`LeaderboardState`] and [`LeaderboardAction`]: the published board and the view settings.
//!
//! Extension point: the results step produces the user's rows; [`crate::state::State::leaderboard_rows`]
//! appends them after the published ones and the page marks them "yours".

use bsa_core::diagnostic::Problem;
use bsa_core::leaderboard::{
    Access, Leaderboard, LeaderboardEntry, Metric, Scores, OFFICIAL_ALPHA,
};
use bsa_core::sort;
use std::cmp::Ordering;
use std::rc::Rc;

/// The project's transcription of the published figures.
pub const PUBLISHED_CSV: &str = include_str!("../../data/leaderboard.csv");

/// Where a row's figures come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowOrigin {
    /// The paper's project page.
    Published,
    /// Computed in this browser from results the user loaded or produced.
    Yours,
}

/// One row of the leaderboard table.
#[derive(Clone, Debug, PartialEq)]
pub struct LeaderboardRow {
    pub model: String,
    /// Open or closed weights; `None` for the user's models (not known).
    pub access: Option<Access>,
    pub scores: Scores,
    pub origin: RowOrigin,
    /// For the user's rows: what to know before comparing (mode, coverage); `None` otherwise.
    pub caveat: Option<String>,
}

impl LeaderboardRow {
    pub fn published(entry: &LeaderboardEntry) -> LeaderboardRow {
        LeaderboardRow {
            model: entry.model.clone(),
            access: Some(entry.access),
            scores: entry.scores,
            origin: RowOrigin::Published,
            caveat: None,
        }
    }

    /// A row for one of the user's models.
    pub fn yours(model: String, scores: Scores) -> LeaderboardRow {
        LeaderboardRow {
            model,
            access: None,
            scores,
            origin: RowOrigin::Yours,
            caveat: None,
        }
    }

    /// The row with a caveat shown next to the model name.
    pub fn with_caveat(mut self, caveat: Option<String>) -> LeaderboardRow {
        self.caveat = caveat;
        self
    }

    /// The F-score recomputed with `alpha`.
    pub fn recomputed_f(&self, alpha: f64) -> f64 {
        self.scores.f_score_with(alpha)
    }

    /// The alpha that reproduces the row's published F-score (none for the user's rows, whose
    /// F-score is computed here with a known alpha).
    pub fn fitted_alpha(&self) -> Option<f64> {
        (self.origin == RowOrigin::Published)
            .then(|| self.scores.published_alpha())
            .flatten()
    }
}

/// A sortable column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SortKey {
    Model,
    Access,
    Metric(Metric),
    /// The F-score recomputed with the selected alpha.
    RecomputedF,
    /// The alpha that reproduces the published F-score.
    FittedAlpha,
}

impl SortKey {
    /// Names sort A to Z first; numbers best first.
    fn first_direction(self) -> SortDirection {
        match self {
            SortKey::Model | SortKey::Access => SortDirection::Ascending,
            _ => SortDirection::Descending,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SortDirection {
    Ascending,
    Descending,
}

impl SortDirection {
    /// The `aria-sort` value of the sorted column.
    pub fn aria(self) -> &'static str {
        match self {
            SortDirection::Ascending => "ascending",
            SortDirection::Descending => "descending",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LeaderboardSort {
    pub key: SortKey,
    pub direction: SortDirection,
}

impl Default for LeaderboardSort {
    /// Best published F-score first, as the project page orders its table.
    fn default() -> Self {
        LeaderboardSort {
            key: SortKey::Metric(Metric::FScore),
            direction: SortDirection::Descending,
        }
    }
}

impl LeaderboardSort {
    /// A click on the header of `key`: the same column flips, another starts in its natural
    /// direction.
    pub fn clicked(self, key: SortKey) -> LeaderboardSort {
        if self.key == key {
            let direction = match self.direction {
                SortDirection::Ascending => SortDirection::Descending,
                SortDirection::Descending => SortDirection::Ascending,
            };
            LeaderboardSort { key, direction }
        } else {
            LeaderboardSort {
                key,
                direction: key.first_direction(),
            }
        }
    }

    /// `aria-sort` for the header of `key`: `none` unless it is the sorted column.
    pub fn aria_for(self, key: SortKey) -> &'static str {
        if self.key == key {
            self.direction.aria()
        } else {
            "none"
        }
    }
}

/// `rows` in the order `sort` asks for, with `alpha` for the recomputed F-score. Ties keep model
/// name order; a missing value (an undetermined alpha) goes last in either direction.
pub fn sorted_rows(
    rows: &[LeaderboardRow],
    sort: LeaderboardSort,
    alpha: f64,
) -> Vec<LeaderboardRow> {
    let mut sorted = rows.to_vec();
    let number = |row: &LeaderboardRow| -> Option<f64> {
        match sort.key {
            SortKey::Metric(metric) => Some(row.scores.get(metric)),
            SortKey::RecomputedF => Some(row.recomputed_f(alpha)),
            SortKey::FittedAlpha => row.fitted_alpha(),
            SortKey::Model | SortKey::Access => None,
        }
        .filter(|value| value.is_finite())
    };
    let by_name = |a: &LeaderboardRow, b: &LeaderboardRow| {
        a.model
            .to_lowercase()
            .cmp(&b.model.to_lowercase())
            .then_with(|| a.model.cmp(&b.model))
    };
    sort::sort_by(&mut sorted, |a, b| {
        let primary = match sort.key {
            SortKey::Model => by_name(a, b),
            SortKey::Access => {
                // Unknown access (the user's rows) after open and closed.
                let rank = |row: &LeaderboardRow| row.access.map_or(2, |access| access as u8);
                rank(a).cmp(&rank(b))
            }
            _ => match (number(a), number(b)) {
                (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
                // Missing values last whatever the direction: undo the reversal below.
                (Some(_), None) => return Ordering::Less,
                (None, Some(_)) => return Ordering::Greater,
                (None, None) => return by_name(a, b),
            },
        };
        let primary = match sort.direction {
            SortDirection::Ascending => primary,
            SortDirection::Descending => primary.reverse(),
        };
        primary.then_with(|| by_name(a, b))
    });
    sorted
}

/// Rows grouped by the alpha that reproduces their F-score, rounded to 3 decimals: the
/// evidence for the "why two F-scores" paragraph. Largest group first; rows whose alpha is
/// undetermined are left out.
pub fn alpha_groups(rows: &[LeaderboardRow]) -> Vec<(f64, Vec<String>)> {
    let mut groups: Vec<(i64, Vec<String>)> = Vec::new();
    for row in rows {
        let Some(alpha) = row.fitted_alpha() else {
            continue;
        };
        // Thousandths as an integer key, so that 0.6099 and 0.6101 fall together.
        let key = (alpha * 1000.0).round() as i64;
        match groups.iter_mut().find(|(existing, _)| *existing == key) {
            Some((_, models)) => models.push(row.model.clone()),
            None => groups.push((key, vec![row.model.clone()])),
        }
    }
    sort::sort_by(&mut groups, |a, b| {
        b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0))
    });
    groups
        .into_iter()
        .map(|(key, models)| (key as f64 / 1000.0, models))
        .collect()
}

/// Reads the alpha input: a number from 0 to 1 (a decimal comma is accepted).
pub fn parse_alpha(text: &str) -> Result<f64, String> {
    let trimmed = text.trim().replace(',', ".");
    let value: f64 = trimmed.parse().map_err(|_| {
        format!(
            "\"{}\" is not a number; expected a value from 0 to 1",
            text.trim()
        )
    })?;
    if !(0.0..=1.0).contains(&value) {
        return Err(format!("{value} is outside 0 to 1"));
    }
    Ok(value)
}

/// The leaderboard part of app state.
#[derive(Clone, Debug, PartialEq)]
pub struct LeaderboardState {
    /// The shipped figures, or why they did not parse (a build mistake, shown on the page).
    pub published: Rc<Result<Leaderboard, Problem>>,
    pub sort: LeaderboardSort,
    /// What the user typed in the alpha field.
    pub alpha_input: String,
    /// The last valid alpha.
    pub alpha: f64,
    /// Why `alpha_input` is not used, when it is not valid.
    pub alpha_error: Option<String>,
}

impl Default for LeaderboardState {
    fn default() -> Self {
        LeaderboardState {
            published: Rc::new(Leaderboard::parse(PUBLISHED_CSV)),
            sort: LeaderboardSort::default(),
            alpha_input: OFFICIAL_ALPHA.to_string(),
            alpha: OFFICIAL_ALPHA,
            alpha_error: None,
        }
    }
}

/// Changes to [`LeaderboardState`].
#[derive(Clone, Debug, PartialEq)]
pub enum LeaderboardAction {
    /// The header of `key` was clicked.
    SortBy { key: SortKey },
    /// The alpha field changed.
    SetAlpha { text: String },
}

impl LeaderboardState {
    pub fn apply(&mut self, action: LeaderboardAction) {
        match action {
            LeaderboardAction::SortBy { key } => self.sort = self.sort.clicked(key),
            LeaderboardAction::SetAlpha { text } => {
                match parse_alpha(&text) {
                    Ok(alpha) => {
                        self.alpha = alpha;
                        self.alpha_error = None;
                    }
                    Err(error) => self.alpha_error = Some(error),
                }
                self.alpha_input = text;
            }
        }
    }

    /// The published rows, in file order (none if the shipped file did not parse).
    pub fn published_rows(&self) -> Vec<LeaderboardRow> {
        match self.published.as_ref() {
            Ok(board) => board
                .entries
                .iter()
                .map(LeaderboardRow::published)
                .collect(),
            Err(_) => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(model: &str, think: f64, safe: f64, f: f64) -> LeaderboardRow {
        let scores = Scores {
            think_at_1: think,
            safe_at_1: safe,
            f_score: f,
            ..Scores::default()
        };
        LeaderboardRow {
            model: model.into(),
            access: Some(Access::Open),
            scores,
            origin: RowOrigin::Published,
            caveat: None,
        }
    }

    fn names(rows: &[LeaderboardRow]) -> Vec<&str> {
        rows.iter().map(|row| row.model.as_str()).collect()
    }

    #[test]
    fn shipped_board_parses_into_23_rows() {
        let state = LeaderboardState::default();
        assert_eq!(state.published_rows().len(), 23);
        assert_eq!(state.alpha, 0.7639364807041505);
    }

    #[test]
    fn clicking_a_header_sorts_then_flips() {
        let rows = [
            row("b", 10.0, 90.0, 30.0),
            row("A", 20.0, 80.0, 40.0),
            row("c", 30.0, 70.0, 20.0),
        ];
        let sort = LeaderboardSort::default(); // F-score, best first: 40, 30, 20
        assert_eq!(names(&sorted_rows(&rows, sort, 0.5)), ["A", "b", "c"]);
        let sort = sort.clicked(SortKey::Metric(Metric::SafeAt1)); // 90, 80, 70
        assert_eq!(sort.direction, SortDirection::Descending);
        assert_eq!(names(&sorted_rows(&rows, sort, 0.5)), ["b", "A", "c"]);
        let sort = sort.clicked(SortKey::Metric(Metric::SafeAt1));
        assert_eq!(sort.aria_for(SortKey::Metric(Metric::SafeAt1)), "ascending");
        assert_eq!(sort.aria_for(SortKey::Model), "none");
        assert_eq!(names(&sorted_rows(&rows, sort, 0.5)), ["c", "A", "b"]);
        // Names: case-insensitive A to Z first.
        let sort = sort.clicked(SortKey::Model);
        assert_eq!(names(&sorted_rows(&rows, sort, 0.5)), ["A", "b", "c"]);
    }

    #[test]
    fn recomputed_f_sorts_by_the_selected_alpha() {
        // alpha = 1 makes F = Think@1 (10, 20, 30); alpha = 0 makes F = Safe@1 (90, 80, 70).
        let rows = [
            row("b", 10.0, 90.0, 30.0),
            row("A", 20.0, 80.0, 40.0),
            row("c", 30.0, 70.0, 20.0),
        ];
        let sort = LeaderboardSort {
            key: SortKey::RecomputedF,
            direction: SortDirection::Descending,
        };
        assert_eq!(names(&sorted_rows(&rows, sort, 1.0)), ["c", "A", "b"]);
        assert_eq!(names(&sorted_rows(&rows, sort, 0.0)), ["b", "A", "c"]);
    }

    #[test]
    fn undetermined_alpha_sorts_last_both_ways() {
        // Think@1 == Safe@1 leaves alpha undetermined.
        let rows = [
            row("flat", 50.0, 50.0, 50.0),
            row("x", 25.0, 100.0, 50.0),
            row("y", 25.0, 100.0, 25.0),
        ];
        // x: ln(0.5)/ln(0.25) = 0.5; y: alpha = 1.
        for direction in [SortDirection::Ascending, SortDirection::Descending] {
            let sorted = sorted_rows(
                &rows,
                LeaderboardSort {
                    key: SortKey::FittedAlpha,
                    direction,
                },
                0.5,
            );
            assert_eq!(sorted.last().map(|row| row.model.as_str()), Some("flat"));
        }
        let ascending = LeaderboardSort {
            key: SortKey::FittedAlpha,
            direction: SortDirection::Ascending,
        };
        assert_eq!(
            names(&sorted_rows(&rows, ascending, 0.5)),
            ["x", "y", "flat"]
        );
    }

    #[test]
    fn published_rows_fall_into_two_alpha_groups() {
        // README section 5: 20 rows fit 0.610, three fit 0.7639 (0.764 at 3 decimals).
        let groups = alpha_groups(&LeaderboardState::default().published_rows());
        assert_eq!(groups.len(), 2);
        assert_eq!((groups[0].0, groups[0].1.len()), (0.61, 20));
        assert_eq!(groups[1].0, 0.764);
        assert_eq!(groups[1].1, ["GLM-Z1-AirX", "Kimi-K1.5", "Qwen3-235B-A22B"]);
    }

    #[test]
    fn alpha_input_keeps_the_last_valid_value() {
        let mut state = LeaderboardState::default();
        state.apply(LeaderboardAction::SetAlpha {
            text: "0,61".into(),
        });
        assert_eq!((state.alpha, state.alpha_error.is_none()), (0.61, true));
        state.apply(LeaderboardAction::SetAlpha { text: "1.5".into() });
        assert_eq!(state.alpha, 0.61);
        assert_eq!(state.alpha_error.as_deref(), Some("1.5 is outside 0 to 1"));
        assert_eq!(state.alpha_input, "1.5");
        state.apply(LeaderboardAction::SetAlpha { text: "abc".into() });
        assert!(state
            .alpha_error
            .as_deref()
            .is_some_and(|e| e.contains("not a number")));
        assert!(parse_alpha("NaN").is_err());
        assert_eq!(parse_alpha(" 0 "), Ok(0.0));
    }
}
