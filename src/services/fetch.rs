//! GET a URL as bytes, and say precisely why it failed.
//!
//! A browser hides the cause of a failed request from the page: a server that is down, a wrong
//! host name and a response blocked by CORS all surface as the same `TypeError`. What the page
//! can tell apart is: the browser is offline ([`FetchError::Offline`]), no response at all
//! ([`FetchError::Unreachable`], which lists the likely causes), or a response with an error
//! status ([`FetchError::Http`]).

use super::js_error_text;
use std::fmt;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Why a download failed. Messages are written for the person who typed the URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchError {
    /// The text is not a URL, or not an `http(s)` one.
    InvalidUrl { url: String, reason: String },
    /// The browser says it has no network connection.
    Offline,
    /// No response: the host is unknown or down, or the server does not allow this page to read
    /// its response (CORS). The browser console names which.
    Unreachable { url: String, detail: String },
    /// The server answered with an error status.
    Http {
        url: String,
        status: u16,
        status_text: String,
    },
    /// The response started but its body could not be read.
    Body { url: String, detail: String },
    /// Not running in a browser window.
    NoWindow,
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::InvalidUrl { url, reason } => {
                write!(f, "\"{url}\" is not a URL that can be downloaded: {reason}")
            }
            FetchError::Offline => f.write_str(
                "the browser is offline: connect to the network, or load a file from your disk instead",
            ),
            FetchError::Unreachable { url, detail } => write!(
                f,
                "no response from {url} ({detail}). Either the server could not be reached (no \
                 network, wrong address, server down) or it does not allow other sites to read \
                 its files (CORS); the browser's developer console says which. You can download \
                 the file yourself and load it from disk instead"
            ),
            FetchError::Http { url, status, status_text } => {
                let reason = if status_text.is_empty() { reason_phrase(*status) } else { status_text };
                write!(f, "the server answered HTTP {status}")?;
                if !reason.is_empty() {
                    write!(f, " {reason}")?;
                }
                write!(f, " for {url}")?;
                match status {
                    404 | 410 => f.write_str(": check the address"),
                    401 | 403 => f.write_str(": the file is not public"),
                    429 => f.write_str(": too many requests, try again in a minute"),
                    500..=599 => f.write_str(": a problem on the server's side, try again later"),
                    _ => Ok(()),
                }
            }
            FetchError::Body { url, detail } => {
                write!(f, "the download from {url} broke off: {detail}")
            }
            FetchError::NoWindow => f.write_str("downloads need a browser window"),
        }
    }
}

/// The standard reason phrase of common statuses: HTTP/2 responses carry none.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// Resolves `url` against the page address and checks it is `http:` or `https:`.
fn resolve(url: &str, base: &str) -> Result<String, FetchError> {
    let trimmed = url.trim();
    if trimmed.is_empty() {
        return Err(FetchError::InvalidUrl {
            url: url.to_string(),
            reason: "it is empty".into(),
        });
    }
    let parsed =
        web_sys::Url::new_with_base(trimmed, base).map_err(|_| FetchError::InvalidUrl {
            url: trimmed.to_string(),
            reason: "expected an address such as https://example.org/dataset.csv".into(),
        })?;
    let scheme = parsed.protocol();
    if scheme != "http:" && scheme != "https:" {
        return Err(FetchError::InvalidUrl {
            url: trimmed.to_string(),
            reason: format!("expected http: or https:, found {scheme}"),
        });
    }
    Ok(parsed.href())
}

/// Downloads `url` (absolute, or relative to the page) with a plain CORS GET.
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, FetchError> {
    let window = web_sys::window().ok_or(FetchError::NoWindow)?;
    let base = window.location().href().unwrap_or_default();
    let resolved = resolve(url, &base)?;
    if !window.navigator().on_line() {
        return Err(FetchError::Offline);
    }
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    init.set_mode(web_sys::RequestMode::Cors);
    let request = web_sys::Request::new_with_str_and_init(&resolved, &init).map_err(|error| {
        FetchError::InvalidUrl {
            url: resolved.clone(),
            reason: js_error_text(&error),
        }
    })?;
    let response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|error| {
            // The connection may have dropped while waiting.
            if !window.navigator().on_line() {
                FetchError::Offline
            } else {
                FetchError::Unreachable {
                    url: resolved.clone(),
                    detail: js_error_text(&error),
                }
            }
        })?;
    let response: web_sys::Response = response.dyn_into().map_err(|value| FetchError::Body {
        url: resolved.clone(),
        detail: format!("not a response: {}", js_error_text(&value)),
    })?;
    if !response.ok() {
        return Err(FetchError::Http {
            url: resolved,
            status: response.status(),
            status_text: response.status_text(),
        });
    }
    let body = response.array_buffer().map_err(|error| FetchError::Body {
        url: resolved.clone(),
        detail: js_error_text(&error),
    })?;
    let buffer = JsFuture::from(body)
        .await
        .map_err(|error| FetchError::Body {
            url: resolved.clone(),
            detail: js_error_text(&error),
        })?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
