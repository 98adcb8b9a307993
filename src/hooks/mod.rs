//! Hooks: access to app state, and the effects that feed it.
//!
//! - [`use_app_state`] / [`use_app_dispatcher`]: the state handle and a dispatcher, from the
//!   contexts [`crate::App`] provides.
//! - [`use_dataset_loader`]: a [`DatasetLoader`] handle with verbs (`load_url`, `load_file`,
//!   `load_sample`) that run the download or file read and dispatch the outcome.
//! - [`use_hash_route`]: the [`crate::app::Route`] in the URL hash; [`navigate`] changes it.
//! - [`use_preferences_sync`]: mirrors the look onto `<html>` and remembers it.
//! - [`use_run_manager`]: a [`RunManager`] with the Run page's verbs (start, pause, resume,
//!   export, import...); [`use_run_startup`]: lists stored runs at load and resumes interrupted
//!   ones, and remembers the run configuration.
//! - [`use_results_import`]: a [`ResultsImporter`] that reads judged CSVs and run files.
//! - [`use_results_scoring`] / [`use_comparisons`]: score the loaded results (intervals after
//!   the point estimates) and compute paired comparisons, off the reducer.

mod use_app_state;
mod use_dataset_loader;
mod use_hash_route;
mod use_preferences_sync;
mod use_results_import;
mod use_results_scoring;
mod use_run_manager;
mod use_run_startup;

pub use use_app_state::{use_app_dispatcher, use_app_state};
pub use use_dataset_loader::{
    stop_warm_up, use_dataset_loader, warm_up_in_idle_time, DatasetLoader,
};
pub use use_hash_route::{navigate, use_hash_route};
pub use use_preferences_sync::use_preferences_sync;
pub use use_results_import::{use_results_import, ResultsImporter};
pub use use_results_scoring::{use_comparisons, use_results_scoring};
pub use use_run_manager::{use_run_manager, RunManager};
pub use use_run_startup::use_run_startup;
