//! One component per route. Pages read app state through [`crate::hooks`], turn events into
//! actions, and compose [`crate::components`].

pub mod about;
pub mod compare;
pub mod dataset;
pub mod full_app;
pub mod leaderboard;
pub mod not_found;
pub mod results;
pub mod run;
