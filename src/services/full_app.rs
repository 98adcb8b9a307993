//! The app's two wasm modules: the shell, downloaded first, and the full app it loads.
//!
//! The shell (`bsa-studio`, built without the `full` feature) has the frame and the Dataset,
//! Leaderboard and About pages. When the Run, Results or Compare page is opened, it imports the
//! full app's module (`bsa-studio-full-<hash>.js`, next to its own files), unmounts
//! itself, and calls the full app's [`take_over`] with its state ([`Handover`]). The full app then
//! owns the page for the rest of the visit. wasm-bindgen has no code splitting, so the two are
//! separate builds of the same crate (Trunk builds both; see `www/index.html`).

use crate::app::{App, AppProps};
use crate::state::handover::Handover;
use std::cell::RefCell;
#[cfg(feature = "full")]
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::AppHandle;

// `BsaFullAppStarted` (like Trunk's `TrunkApplicationStarted` for the shell) carries the full
// app's wasm exports, for benchmarks that read its memory (scripts/bench/run_engine.mjs).

/// The full app's JS file, as the build names it (with a content hash) in the page's
/// `<meta name="bsa-full-app">` (scripts/build/hash_full_app.mjs, a Trunk hook).
fn full_app_js(document: &web_sys::Document) -> Result<String, String> {
    document
        .query_selector("meta[name='bsa-full-app']")
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"))
        .filter(|name| !name.is_empty())
        .ok_or_else(|| {
            "the page does not name the full app (<meta name=\"bsa-full-app\">): \
             it was built without scripts/build/hash_full_app.mjs"
                .to_string()
        })
}

thread_local! {
    /// The mounted app of this module, so that the shell can unmount itself.
    static MOUNTED: RefCell<Option<AppHandle<App>>> = const { RefCell::new(None) };
    /// The full app's module namespace, once imported and initialised.
    static FULL_APP: RefCell<Option<JsValue>> = const { RefCell::new(None) };
    /// The import under way, so that a prefetch and the page that needs the module share it.
    static LOADING: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
}

#[wasm_bindgen(inline_js = "
export async function import_full_app(url) {
  const module = await import(url);
  const wasm = await module.default();
  dispatchEvent(new CustomEvent('BsaFullAppStarted', { detail: { wasm } }));
  return module;
}
export function hand_over(module, header, bytes) {
  module.take_over(header, bytes);
}
")]
extern "C" {
    fn import_full_app(url: &str) -> js_sys::Promise;
    #[wasm_bindgen(catch)]
    fn hand_over(module: &JsValue, header: &str, bytes: &[u8]) -> Result<(), JsValue>;
}

/// Mounts `App` on the document body with `props` and keeps its handle.
pub fn mount(props: AppProps) {
    let handle = yew::Renderer::<App>::with_props(props).render();
    MOUNTED.with(|mounted| *mounted.borrow_mut() = Some(handle));
}

/// Whether the full app's module is loaded (and [`take_over_from_shell`] can run now).
pub fn is_loaded() -> bool {
    FULL_APP.with(|full| full.borrow().is_some())
}

/// Imports and initialises the full app's module, once. The error says why in words (offline,
/// a file missing from the host, a module that failed to compile). `attempt` > 0 (a retry)
/// asks with a query of its own, as the browser may remember a module URL that failed.
pub async fn load(attempt: u32) -> Result<(), String> {
    if is_loaded() {
        return Ok(());
    }
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or("there is no document")?;
    let base = document
        .base_uri()
        .ok()
        .flatten()
        .ok_or("the page has no base URL")?;
    let file = match attempt {
        0 => full_app_js(&document)?,
        _ => format!("{}?retry={attempt}", full_app_js(&document)?),
    };
    let url = web_sys::Url::new_with_base(&file, &base)
        .map_err(|error| super::js_error_text(&error))?
        .href();
    // One import at a time: a prefetch, the page and a retry share the one under way (two
    // imports of different URLs would instantiate the module twice).
    let promise = LOADING.with(|loading| {
        loading
            .borrow_mut()
            .get_or_insert_with(|| import_full_app(&url))
            .clone()
    });
    let outcome = JsFuture::from(promise.clone()).await;
    LOADING.with(|loading| {
        let mut loading = loading.borrow_mut();
        if loading
            .as_ref()
            .is_some_and(|current| JsValue::from(current.clone()) == JsValue::from(promise.clone()))
        {
            *loading = None;
        }
    });
    let module = outcome.map_err(|error| {
        format!(
            "{url} could not be loaded: {}. If the app was updated since this page was opened, \
             reload the page.",
            super::js_error_text(&error)
        )
    })?;
    FULL_APP.with(|full| {
        full.borrow_mut().get_or_insert(module);
    });
    Ok(())
}

/// Starts loading the full app without taking over (the pointer is on a link to one of its
/// pages, or the keyboard focus), so that the page opens sooner if the user goes on. A failure
/// is left for the page itself to report.
pub fn prefetch() {
    if !is_loaded() {
        wasm_bindgen_futures::spawn_local(async {
            let _ = load(0).await;
        });
    }
}

/// Unmounts the shell and hands `handover` to the loaded full app, which mounts itself in its
/// place. Does nothing if the full app is not loaded or has taken over already. If the hand-over
/// fails the shell is gone, so the panic banner says why.
pub fn take_over_from_shell(handover: &Handover) {
    let Some(module) = FULL_APP.with(|full| full.borrow_mut().take()) else {
        return;
    };
    // A keyboard user who opened the page from the navigation keeps focus there.
    let document = web_sys::window().and_then(|window| window.document());
    let nav_had_focus = document
        .as_ref()
        .and_then(|document| document.active_element())
        .and_then(|element| element.closest(".site-nav").ok().flatten())
        .is_some();
    if let Some(shell) = MOUNTED.with(|mounted| mounted.borrow_mut().take()) {
        shell.destroy();
    }
    // The shell's idle-time work ends with it.
    crate::hooks::stop_warm_up();
    let (header, bytes) = handover.to_parts();
    if let Err(error) = hand_over(&module, &header, &bytes) {
        super::panic::show_banner(&format!(
            "The full app could not start: {}",
            super::js_error_text(&error)
        ));
        return;
    }
    if let (true, Some(document)) = (nav_had_focus, document) {
        // After the full app's first render.
        wasm_bindgen_futures::spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(0).await;
            let current = document
                .query_selector(".site-nav a[aria-current='page']")
                .ok()
                .flatten()
                .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(link) = current {
                let _ = link.focus();
            }
        });
    }
}

/// The full app's entry point, called by the shell: starts the full app from the shell's state.
#[cfg(feature = "full")]
#[wasm_bindgen]
pub fn take_over(header: String, bytes: Vec<u8>) {
    // The panic hook is in place since the module started (`start_full_module`).
    let props = match Handover::from_parts(&header, bytes) {
        Ok(handover) => AppProps {
            handover: Some(Rc::new(handover)),
        },
        Err(message) => {
            super::panic::show_banner(&message);
            AppProps::default()
        }
    };
    mount(props);
}
