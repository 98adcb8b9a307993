//! What the browser tests (`tests/web*.rs`) share: the document, a mounted app that is
//! unmounted and removed from the page when dropped, route changes and waiting. Each test file includes it with
//! `#[path = "support/app.rs"] mod app;` and adds its own `impl Mounted` helpers.
#![allow(dead_code)]

use bsa_studio::services::storage;
use gloo_timers::future::TimeoutFuture;
use web_sys::Element;
use yew::AppHandle;

pub fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|window| window.document())
        .expect("a document")
}

/// A mounted app; unmounted and removed from the page on drop.
pub struct Mounted {
    pub root: Element,
    pub handle: Option<AppHandle<bsa_studio::App>>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            handle.destroy();
        }
        self.root.remove();
    }
}

impl Mounted {
    pub fn query(&self, selector: &str) -> Option<Element> {
        self.root
            .query_selector(selector)
            .expect("a valid selector")
    }
}

/// Mounts the app at `hash`, with no remembered preferences.
pub async fn mount(hash: &str) -> Mounted {
    mount_with(hash, bsa_studio::app::AppProps::default()).await
}

/// [`mount`] with `props` (the full app taking over from the shell: `props.handover`).
pub async fn mount_with(hash: &str, props: bsa_studio::app::AppProps) -> Mounted {
    storage::clear_preferences();
    set_hash(hash).await;
    let root = document().create_element("div").expect("create a div");
    document()
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("append the root");
    let handle =
        yew::Renderer::<bsa_studio::App>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    Mounted {
        root,
        handle: Some(handle),
    }
}

/// Sets the location hash and lets the `hashchange` event through.
pub async fn set_hash(hash: &str) {
    let location = web_sys::window().expect("a window").location();
    if location.hash().unwrap_or_default() != hash {
        location.set_hash(hash).expect("set the hash");
        TimeoutFuture::new(0).await;
    }
    yew::scheduler::flush().await;
}

/// Waits until `condition` holds, flushing Yew's scheduler between looks; fails after
/// `seconds`.
pub async fn wait_until_within(what: &str, seconds: u32, mut condition: impl FnMut() -> bool) {
    for _ in 0..seconds * 50 {
        yew::scheduler::flush().await;
        if condition() {
            return;
        }
        TimeoutFuture::new(20).await;
    }
    panic!("timed out waiting until {what}");
}

/// [`wait_until_within`] 5 seconds.
pub async fn wait_until(what: &str, condition: impl FnMut() -> bool) {
    wait_until_within(what, 5, condition).await;
}
