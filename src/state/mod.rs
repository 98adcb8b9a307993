//! App state in one place: [`State`], changed only by [`Action`]s through [`State::apply`].
//!
//! `State` is a record of one sub-state per area, each with its own action enum and a pure,
//! synchronous `apply`:
//!
//! - [`preferences`]: theme and large type.
//! - [`dataset`]: the loaded dataset and the status of the latest load.
//! - [`explorer`]: the dataset explorer's filter and page.
//! - [`leaderboard`]: the published board, sort order and F-score alpha.
//! - [`results`]: loaded result files, their memoised scores, the item browser and comparisons.
//! - [`run`]: the Run page: configuration form, stored runs and their live progress.
//!
//! [`handover`] is what the app shell passes on when the full app takes over the page.
//!
//! [`State::leaderboard_rows`] is where the user's scored models (from [`results`]) join the
//! published ones.
//!
//! Architecture invariant: `apply` does no I/O and never awaits; loading, storage and the
//! document are effects in [`crate::hooks`] and [`crate::services`] that dispatch actions.
//! Heavy data (datasets) sits behind `Rc`, so cloning a `State` per action is cheap.

pub mod dataset;
pub mod explorer;
pub mod handover;
pub mod leaderboard;
pub mod preferences;
pub mod results;
pub mod run;

use dataset::{DatasetAction, DatasetState};
use explorer::{ExplorerAction, ExplorerState};
use leaderboard::{LeaderboardAction, LeaderboardRow, LeaderboardState};
use preferences::{Preferences, PreferencesAction};
use results::{ResultsAction, ResultsState};
use run::{RunAction, RunState};
use std::rc::Rc;
use yew::prelude::*;

/// Everything the pages show.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub preferences: Preferences,
    pub dataset: DatasetState,
    pub explorer: ExplorerState,
    pub leaderboard: LeaderboardState,
    pub results: ResultsState,
    pub run: RunState,
}

/// A change to [`State`], routed to the area it belongs to.
#[derive(Clone, Debug)]
pub enum Action {
    Preferences(PreferencesAction),
    Dataset(DatasetAction),
    Explorer(ExplorerAction),
    Leaderboard(LeaderboardAction),
    Results(ResultsAction),
    Run(RunAction),
}

impl State {
    /// The state at start: the given look, the sample dataset loaded.
    pub fn new(preferences: Preferences) -> State {
        State {
            preferences,
            dataset: DatasetState::with_sample(),
            explorer: ExplorerState::default(),
            leaderboard: LeaderboardState::default(),
            results: ResultsState::default(),
            run: RunState::default(),
        }
    }

    /// Applies one action.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Preferences(action) => self.preferences.apply(action),
            Action::Dataset(action) => {
                if self.dataset.apply(action) {
                    // The old filter names categories the new dataset may not have.
                    self.explorer = ExplorerState::default();
                }
            }
            Action::Explorer(action) => self.explorer.apply(action),
            Action::Leaderboard(action) => self.leaderboard.apply(action),
            Action::Run(action) => self.run.apply(action),
            Action::Results(action) => self.results.apply(action),
        }
    }

    /// The leaderboard table's rows: the published ones, then the user's own models.
    pub fn leaderboard_rows(&self) -> Vec<LeaderboardRow> {
        let mut rows = self.leaderboard.published_rows();
        rows.extend(self.user_leaderboard_rows());
        rows
    }

    /// The user's models as leaderboard rows ([`LeaderboardRow::yours`]), from the scores of
    /// the loaded results.
    fn user_leaderboard_rows(&self) -> Vec<LeaderboardRow> {
        self.results.leaderboard_rows()
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        if next == *self {
            // Unchanged: hand back the same Rc so nothing re-renders.
            self
        } else {
            Rc::new(next)
        }
    }
}

/// The state handle that pages read (and dispatch through).
pub type AppState = UseReducerHandle<State>;

/// A dispatcher alone: components that only send actions take this and never re-render on
/// state changes.
pub type AppDispatcher = UseReducerDispatcher<State>;

#[cfg(test)]
mod tests;
