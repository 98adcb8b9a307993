//! Sends a model API request built by the core (`ProviderRequest`) with `fetch`, and reads the
//! answer back as bytes: whole, or chunk by chunk from the body's `ReadableStream` for streamed
//! responses.
//!
//! - [`CallAbort`]: one request's `AbortController`, with the reason it was aborted (the
//!   engine's timeout, or the user: pause, cancel, delete), because the browser reports both as
//!   the same `AbortError`.
//! - [`send`] → [`HttpResponse`] (status and the headers the page may read) or a
//!   [`TransportError`]; [`HttpResponse::body`] / [`HttpResponse::stream`] read the body.
//!
//! Browser facts this relies on: a cross-origin response shows only the headers its server
//! lists in `Access-Control-Expose-Headers` (so a `retry-after` may be invisible: the scheduler
//! then backs off on its own); a failed request (server down, DNS, CORS refusal) rejects with a
//! `TypeError` that does not say which; requests go without cookies and without `keepalive`
//! (which caps in-flight bodies at 64 KiB).

use super::js_error_text;
use bsa_core::provider::{ProviderRequest, ResponseHead};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Why a request was aborted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AbortReason {
    /// The engine's per-request deadline passed.
    Timeout,
    /// Pause, cancel or delete.
    User,
}

/// The abort handle of one request; see the module docs.
#[derive(Clone)]
pub struct CallAbort {
    controller: Option<web_sys::AbortController>,
    reason: Rc<Cell<Option<AbortReason>>>,
}

impl CallAbort {
    pub fn new() -> CallAbort {
        CallAbort {
            // Without AbortController (not a browser) requests simply cannot be aborted.
            controller: web_sys::AbortController::new().ok(),
            reason: Rc::new(Cell::new(None)),
        }
    }

    /// Aborts the request (once: the first reason wins).
    pub fn abort(&self, reason: AbortReason) {
        if self.reason.get().is_none() {
            self.reason.set(Some(reason));
            if let Some(controller) = &self.controller {
                controller.abort();
            }
        }
    }

    pub fn reason(&self) -> Option<AbortReason> {
        self.reason.get()
    }

    fn signal(&self) -> Option<web_sys::AbortSignal> {
        self.controller.as_ref().map(|c| c.signal())
    }
}

impl Default for CallAbort {
    fn default() -> CallAbort {
        CallAbort::new()
    }
}

/// A request that got no (complete) HTTP answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransportError {
    Aborted(AbortReason),
    /// The request failed or the body broke off; `detail` is the browser's message.
    Network {
        detail: String,
    },
    /// The request could not even be made (a header value the browser refuses, say).
    Refused {
        detail: String,
    },
}

/// An answer's status and readable headers, with the body still to read.
pub struct HttpResponse {
    pub head: ResponseHead,
    response: web_sys::Response,
}

fn network_or_abort(abort: &CallAbort, error: &JsValue) -> TransportError {
    match abort.reason() {
        Some(reason) => TransportError::Aborted(reason),
        None => TransportError::Network {
            detail: js_error_text(error),
        },
    }
}

/// Sends `request` (method, URL, headers, JSON body) and waits for the status and headers.
pub async fn send(
    request: &ProviderRequest,
    abort: &CallAbort,
) -> Result<HttpResponse, TransportError> {
    let window = web_sys::window().ok_or(TransportError::Refused {
        detail: "not running in a browser window".into(),
    })?;
    let refused = |error: JsValue| TransportError::Refused {
        detail: js_error_text(&error),
    };
    let headers = web_sys::Headers::new().map_err(refused)?;
    for (name, value) in &request.headers {
        headers.append(name, value).map_err(refused)?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method(request.method);
    init.set_mode(web_sys::RequestMode::Cors);
    init.set_credentials(web_sys::RequestCredentials::Omit);
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(&request.body));
    if let Some(signal) = abort.signal() {
        init.set_signal(Some(&signal));
    }
    let response = JsFuture::from(window.fetch_with_str_and_init(&request.url, &init))
        .await
        .map_err(|error| network_or_abort(abort, &error))?;
    let response: web_sys::Response =
        response
            .dyn_into()
            .map_err(|value| TransportError::Network {
                detail: format!("not a response: {}", js_error_text(&value)),
            })?;
    Ok(HttpResponse {
        head: ResponseHead::new(response.status(), readable_headers(&response.headers())),
        response,
    })
}

/// The headers the page can read (for a cross-origin answer: the exposed ones).
fn readable_headers(headers: &web_sys::Headers) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Ok(Some(entries)) = js_sys::try_iter(headers) else {
        return out;
    };
    for entry in entries.flatten() {
        let pair = js_sys::Array::from(&entry);
        if let (Some(name), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
            out.push((name, value));
        }
    }
    out
}

impl HttpResponse {
    /// The whole body.
    pub async fn body(self, abort: &CallAbort) -> Result<Vec<u8>, TransportError> {
        let promise = self
            .response
            .array_buffer()
            .map_err(|error| TransportError::Network {
                detail: js_error_text(&error),
            })?;
        let buffer = JsFuture::from(promise)
            .await
            .map_err(|error| network_or_abort(abort, &error))?;
        Ok(js_sys::Uint8Array::new(&buffer).to_vec())
    }

    /// Reads the body chunk by chunk, handing each to `on_chunk`, until the body ends or
    /// `on_chunk` returns `false` (the stream's end marker arrived: the rest is not needed).
    pub async fn stream(
        self,
        abort: &CallAbort,
        mut on_chunk: impl FnMut(&[u8]) -> bool,
    ) -> Result<(), TransportError> {
        let Some(body) = self.response.body() else {
            return Ok(());
        };
        let reader: web_sys::ReadableStreamDefaultReader =
            body.get_reader()
                .dyn_into()
                .map_err(|value| TransportError::Network {
                    detail: format!("no stream reader: {}", js_error_text(&value)),
                })?;
        loop {
            let chunk = JsFuture::from(reader.read())
                .await
                .map_err(|error| network_or_abort(abort, &error))?;
            let done = js_sys::Reflect::get(&chunk, &JsValue::from_str("done"))
                .ok()
                .and_then(|value| value.as_bool())
                .unwrap_or(true);
            if done {
                return Ok(());
            }
            let value = js_sys::Reflect::get(&chunk, &JsValue::from_str("value"))
                .unwrap_or(JsValue::UNDEFINED);
            let bytes = js_sys::Uint8Array::new(&value).to_vec();
            if !on_chunk(&bytes) {
                // Frees the connection; what follows the end marker is not needed.
                let _ = reader.cancel();
                return Ok(());
            }
        }
    }
}
