//! A millisecond clock (`performance.now()`), to show how long reading a dataset took.

/// Milliseconds since the page loaded, or `None` outside a browser.
pub fn now_millis() -> Option<f64> {
    web_sys::window()?
        .performance()
        .map(|performance| performance.now())
}
