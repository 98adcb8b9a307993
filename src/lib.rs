//! BSA Studio, the web app: a thin Yew shell over `bsa-core`.
//!
//! - [`app`]: the routes ([`app::Route`]), the page frame (header, navigation, toggles) and
//!   [`App`], which owns the one reducer.
//! - [`state`]: [`state::State`] and its [`state::Action`]s: pure, synchronous, tested natively.
//! - [`hooks`]: context access and the effects that load datasets and sync preferences.
//! - [`services`]: network, files, storage, the document root and the panic banner.
//! - [`engine`]: the run engine: drives runs' calls through the scheduler, stores each finished
//!   call, reports progress.
//! - [`pages`]: one component per route; they read state and dispatch.
//! - [`components`]: view pieces that take props and `on*` callbacks.
//!
//! The crate builds two wasm modules (see [`services::full_app`]): the app shell (`main.rs`,
//! without the `full` feature: the frame, Dataset, Leaderboard and About) and the full app
//! (`full.rs`), which the shell loads and hands its state to when another page is opened.
//!
//! Implementation notes the code cannot show: routes are hash-based (`#/dataset`) so the app
//! runs from any static host and sub-path; nothing is rendered from HTML strings (all data,
//! including model and judge output, goes into text nodes); and the release build aborts on
//! panic, which is why [`services::panic`] draws its banner without Yew.

pub mod app;
pub mod components;
pub mod engine;
pub mod hooks;
pub mod pages;
pub mod services;
pub mod state;

pub use app::App;

/// Installs the panic hook and mounts the app on the document body: the app shell, or the
/// whole app when built with the `full` feature (see [`services::full_app`]).
pub fn start() {
    services::panic::install();
    services::full_app::mount(app::AppProps::default());
}

/// The full app's module starts here; it mounts only when the shell hands over
/// ([`services::full_app::take_over`]).
#[cfg(feature = "full")]
pub fn start_full_module() {
    services::panic::install();
}
