//! The panic hook: a visible banner instead of a dead page.
//!
//! The release build aborts on panic, so after one nothing of the app runs any more: no Yew
//! render, no callback. The hook itself therefore builds the banner with plain DOM calls, puts
//! the panic message in it as text (never as HTML: it may quote input data), and also logs the
//! message to the console through `console_error_panic_hook`.

use std::panic::PanicHookInfo;

/// The id of the banner element, so a second panic updates it rather than stacking banners.
pub const BANNER_ID: &str = "panic-banner";

/// Installs [`hook`] as the panic hook (and stops Yew from installing its own).
pub fn install() {
    yew::set_custom_panic_hook(Box::new(hook));
}

/// The panic hook: logs to the console, then shows the banner.
pub fn hook(info: &PanicHookInfo<'_>) {
    console_error_panic_hook::hook(info);
    show_banner(&info.to_string());
}

/// Shows (or updates) the error banner at the top of the page with `message` as text.
/// Does nothing outside a browser; every DOM failure is ignored, as there is no one left to tell.
pub fn show_banner(message: &str) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    let Some(body) = document.body() else {
        return;
    };
    let banner = match document.get_element_by_id(BANNER_ID) {
        Some(existing) => existing,
        None => {
            let Ok(banner) = document.create_element("div") else {
                return;
            };
            banner.set_id(BANNER_ID);
            let _ = banner.set_attribute("role", "alert");
            let _ = banner.set_attribute("class", "panic-banner");
            let _ = body.insert_before(&banner, body.first_child().as_ref());
            banner
        }
    };
    // Rebuilt from scratch on every panic: a heading, an explanation and the message.
    banner.set_text_content(None);
    let append = |tag: &str, text: &str| {
        if let Ok(element) = document.create_element(tag) {
            element.set_text_content(Some(text));
            let _ = banner.append_child(&element);
        }
    };
    append("strong", "BSA Studio stopped because of an internal error.");
    append(
        "p",
        "Reload the page to start again: runs are saved in this browser and resume, but \
         datasets and results you opened must be opened again. Please report this message:",
    );
    append("pre", message);
}
