//! Browser tests of the web app's components, run in headless Chromium by wasm-bindgen-test.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn app_names_the_benchmark() {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<bsa_studio::App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    assert!(root.text_content().unwrap().contains("BSA Studio"));
}
