//! Effects at the edge of the app: everything that touches the network, files, storage or the
//! document outside Yew's tree. Nothing here knows about app state; hooks call these functions
//! and dispatch actions with the results.
//!
//! - [`fetch`]: GET a URL as bytes, with a [`fetch::FetchError`] that says why it failed
//!   (offline, unreachable or refused by CORS, HTTP status).
//! - [`file`]: read a picked or dropped file as bytes ([`file::FileError`]).
//! - [`storage`]: the remembered look (theme, large type) in localStorage, and the system colour
//!   scheme.
//! - [`document`]: classes on the document root.
//! - [`panic`]: the panic hook that shows a banner instead of a dead page.
//! - [`clock`]: a millisecond clock for timing work.
//! - [`user_timing`]: `performance.mark`/`measure` entries for the app's milestones and steps.
//! - [`digest`]: SHA-256 with the browser's WebCrypto, off the page's thread.
//! - [`idle`]: wait for the browser's idle time (`requestIdleCallback`).
//! - [`provider_http`]: model API calls with `fetch`: abortable, whole or streamed bodies.
//! - [`run_store`]: runs and their finished calls in IndexedDB.
//! - [`keys`]: API keys in memory, and in localStorage only when the user asks.
//! - [`run_settings_store`]: the last run configuration (without keys) in localStorage.
//! - [`full_app`]: the shell's import of the full app's module, and the hand-over between them.

pub mod clock;
pub mod digest;
pub mod document;
pub mod fetch;
pub mod file;
pub mod full_app;
pub mod idle;
pub mod keys;
pub mod panic;
pub mod provider_http;
pub mod run_settings_store;
pub mod run_store;
pub mod storage;
pub mod user_timing;

use wasm_bindgen::{JsCast, JsValue};

/// The message of a JavaScript error value, or its text, for error reports.
pub(crate) fn js_error_text(value: &JsValue) -> String {
    if let Some(error) = value.dyn_ref::<js_sys::Error>() {
        let name = String::from(error.name());
        let message = String::from(error.message());
        if name.is_empty() || name == "Error" {
            return message;
        }
        return format!("{name}: {message}");
    }
    value
        .as_string()
        .unwrap_or_else(|| "unknown error".to_string())
}
