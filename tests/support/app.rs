//! What the browser tests (`tests/web*.rs`) share: the document and a mounted app that is
//! unmounted and removed from the page when dropped. Each test file includes it with
//! `#[path = "support/app.rs"] mod app;` and adds its own `impl Mounted` helpers.
#![allow(dead_code)]

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
