//! Waiting for the browser to be idle: [`idle`] resolves in a `requestIdleCallback` (after a
//! zero timeout where the browser has none) with an [`IdlePeriod`] that tells how long the
//! browser expects to stay idle, so that optional work runs between the user's events and frames
//! rather than before them.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// One idle period of the browser.
pub struct IdlePeriod {
    /// `None` after the zero-timeout fallback and outside a browser: no time known to be free.
    deadline: Option<web_sys::IdleDeadline>,
}

impl IdlePeriod {
    /// Whether at least `millis` milliseconds of the period are left.
    pub fn has_left(&self, millis: f64) -> bool {
        self.deadline
            .as_ref()
            .is_some_and(|deadline| deadline.time_remaining() >= millis)
    }
}

/// Resolves when the browser next has idle time (or at once outside a browser).
pub async fn idle() -> IdlePeriod {
    let Some(window) = web_sys::window() else {
        return IdlePeriod { deadline: None };
    };
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if window.request_idle_callback(&resolve).is_err() {
            // No `requestIdleCallback` (older Safari): a zero timeout still yields to events.
            let _ = window.set_timeout_with_callback(&resolve);
        }
    });
    let deadline = JsFuture::from(promise)
        .await
        .ok()
        .and_then(|value| value.dyn_into::<web_sys::IdleDeadline>().ok());
    IdlePeriod { deadline }
}
