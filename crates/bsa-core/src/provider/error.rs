//! [`ProviderError`]: why a call gave no [`Completion`](super::Completion), in words a user can
//! act on, and whether and when to retry ([`RetryAdvice`]).
//!
//! Retried: 408, 409, 429, 5xx (incl. Anthropic's 529), network errors, time-outs, streams cut
//! off before their end, and 2xx bodies that are not the expected JSON. Not retried: other 4xx,
//! and quota errors that waiting will not fix (Gemini per-day quotas, OpenAI
//! `insufficient_quota`). `x-should-retry` overrides the status rule. Messages name the host,
//! the likely cause and the provider's own message; the key is scrubbed from all of them.

use super::config::ApiKey;
use super::retry::{self, RetryHint};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

/// A failed call.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProviderError {
    pub kind: ProviderErrorKind,
    /// The host called, for messages ("401 from api.openai.com").
    pub host: String,
    /// The HTTP status, when there was a response.
    pub status: Option<u16>,
    /// The provider's own error message, when it sent one (key scrubbed, shortened).
    pub provider_message: Option<String>,
    pub retry: RetryAdvice,
}

/// Whether the scheduler should try the call again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetryAdvice {
    /// Retrying will not help; the message says what to fix.
    Stop,
    /// Retry, after the provider's hint if it gave one (else the scheduler's own back-off).
    Retry { hint: Option<RetryHint> },
}

/// What went wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
#[non_exhaustive]
pub enum ProviderErrorKind {
    /// 400 / 422.
    BadRequest,
    /// 401.
    Unauthorized,
    /// 402.
    PaymentRequired,
    /// 403.
    Forbidden,
    /// 404.
    NotFound,
    /// 408.
    RequestTimeout,
    /// 409.
    Conflict,
    /// 413.
    TooLarge,
    /// 429 that waiting will fix.
    RateLimited,
    /// 429 (or 403) for a quota waiting will not fix soon.
    QuotaExhausted { daily: bool },
    /// 500, 502, 504 and other 5xx.
    ServerError,
    /// 503 / 529.
    Overloaded,
    /// Any other non-2xx status.
    OtherStatus,
    /// A 2xx response whose body is not the expected JSON (or SSE) shape.
    MalformedResponse { detail: String },
    /// The stream ended before its end marker (`[DONE]`, `message_stop` or a finish reason).
    StreamCutOff { bytes: u64 },
    /// The server reported an error inside a 2xx stream or body.
    ErrorInResponse { error_type: Option<String> },
    /// No response: connection refused, DNS, CORS refusal (browsers do not say which).
    Network { detail: String },
    /// The caller gave up waiting.
    Timeout { after_ms: u64 },
}

impl ProviderError {
    pub fn is_retryable(&self) -> bool {
        matches!(self.retry, RetryAdvice::Retry { .. })
    }

    /// The provider's suggested delay before a retry, in milliseconds.
    pub fn retry_delay_ms(&self) -> Option<u64> {
        match &self.retry {
            RetryAdvice::Retry { hint: Some(hint) } => Some(hint.delay_ms),
            _ => None,
        }
    }

    /// A network failure (fetch rejected): retryable.
    pub fn network(host: &str, detail: &str) -> ProviderError {
        ProviderError {
            kind: ProviderErrorKind::Network {
                detail: shorten(detail, 300),
            },
            host: host.to_string(),
            status: None,
            provider_message: None,
            retry: RetryAdvice::Retry { hint: None },
        }
    }

    /// The caller's time-out fired: retryable.
    pub fn timeout(host: &str, after_ms: u64) -> ProviderError {
        ProviderError {
            kind: ProviderErrorKind::Timeout { after_ms },
            host: host.to_string(),
            status: None,
            provider_message: None,
            retry: RetryAdvice::Retry { hint: None },
        }
    }

    pub(crate) fn malformed(host: &str, status: u16, detail: impl Into<String>) -> ProviderError {
        ProviderError {
            kind: ProviderErrorKind::MalformedResponse {
                detail: shorten(&detail.into(), 300),
            },
            host: host.to_string(),
            status: Some(status),
            provider_message: None,
            retry: RetryAdvice::Retry { hint: None },
        }
    }

    pub(crate) fn cut_off(host: &str, status: u16, bytes: u64) -> ProviderError {
        ProviderError {
            kind: ProviderErrorKind::StreamCutOff { bytes },
            host: host.to_string(),
            status: Some(status),
            provider_message: None,
            retry: RetryAdvice::Retry { hint: None },
        }
    }

    /// An error object inside a 2xx body or stream (`{"error": …}`, Anthropic `error` event).
    /// Retryable unless its type or code says the request itself is wrong.
    pub(crate) fn in_response(
        host: &str,
        status: u16,
        error: &Value,
        key: Option<&ApiKey>,
    ) -> ProviderError {
        let (message, error_type) = match error_message(error) {
            Some(found) => (Some(found.message), found.error_type),
            None => (None, None),
        };
        let code = retry::gemini_error(error)
            .and_then(|e| e.get("code"))
            .and_then(|c| c.as_u64().or_else(|| c.as_str()?.parse().ok()));
        let request_fault = matches!(
            error_type.as_deref(),
            Some(
                "invalid_request_error"
                    | "authentication_error"
                    | "permission_error"
                    | "not_found_error"
            )
        ) || code
            .is_some_and(|c| (400..500).contains(&c) && c != 408 && c != 409 && c != 429);
        ProviderError {
            kind: ProviderErrorKind::ErrorInResponse { error_type },
            host: host.to_string(),
            status: Some(status),
            provider_message: message.map(|m| scrub(&m, key)),
            retry: if request_fault {
                RetryAdvice::Stop
            } else {
                RetryAdvice::Retry { hint: None }
            },
        }
    }

    /// Replaces the key in every text this error holds (for errors built outside this crate).
    pub fn scrub_key(mut self, key: &ApiKey) -> ProviderError {
        self.provider_message = self.provider_message.map(|m| key.scrub(&m));
        match &mut self.kind {
            ProviderErrorKind::Network { detail }
            | ProviderErrorKind::MalformedResponse { detail } => {
                *detail = key.scrub(detail);
            }
            _ => {}
        }
        self
    }

    fn cause(&self) -> String {
        use ProviderErrorKind as K;
        match &self.kind {
            K::BadRequest => "the request was rejected: check the parameters and the model name".into(),
            K::Unauthorized => "check the key".into(),
            K::PaymentRequired => "payment required: check the account's credit".into(),
            K::Forbidden => {
                "the key may not use this model or endpoint (or the region or organization is not allowed)".into()
            }
            K::NotFound => "check the model name and base URL".into(),
            K::RequestTimeout => "the server timed out reading the request".into(),
            K::Conflict => "the server reported a conflict".into(),
            K::TooLarge => "the request is too large for this model".into(),
            K::RateLimited => "rate limited".into(),
            K::QuotaExhausted { daily: true } => {
                "the daily quota is used up: retrying today will not help; wait for the quota to reset or use another key".into()
            }
            K::QuotaExhausted { daily: false } => {
                "the account's quota or credit is used up: add credit or use another key".into()
            }
            K::ServerError => "server error".into(),
            K::Overloaded => "the service is overloaded".into(),
            K::OtherStatus => "unexpected status".into(),
            K::MalformedResponse { detail } => format!("the response is not the expected JSON ({detail})"),
            K::StreamCutOff { bytes } => format!("the stream ended before its end marker, after {bytes} bytes"),
            K::ErrorInResponse { error_type: Some(t) } => format!("the server reported an error ({t})"),
            K::ErrorInResponse { error_type: None } => "the server reported an error".into(),
            K::Network { detail } => format!(
                "no response ({detail}); if the server is running, the browser may have blocked the call (CORS) or the address is wrong"
            ),
            K::Timeout { after_ms } => format!("no complete answer within {}", seconds(*after_ms)),
        }
    }
}

impl fmt::Display for ProviderError {
    /// `401 from api.openai.com: check the key (provider says: "Incorrect API key provided");
    /// not retried`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.status {
            Some(status) => write!(f, "{status} from {}: {}", self.host, self.cause())?,
            None => write!(f, "{}: {}", self.host, self.cause())?,
        }
        if let Some(message) = &self.provider_message {
            write!(f, " (provider says: \"{message}\")")?;
        }
        match &self.retry {
            RetryAdvice::Stop => f.write_str("; not retried"),
            RetryAdvice::Retry { hint: None } => f.write_str("; will retry"),
            RetryAdvice::Retry { hint: Some(hint) } => {
                write!(
                    f,
                    "; will retry after {} ({})",
                    seconds(hint.delay_ms),
                    hint.source.describe()
                )
            }
        }
    }
}

impl std::error::Error for ProviderError {}

fn seconds(ms: u64) -> String {
    if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{:.1} s", ms as f64 / 1000.0)
    }
}

/// The provider's message and error type, from any of the known error shapes.
pub(crate) struct ErrorMessage {
    pub message: String,
    pub error_type: Option<String>,
}

pub(crate) fn error_message(body: &Value) -> Option<ErrorMessage> {
    let text = |v: Option<&Value>| {
        v.and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    // Gemini wraps its error in an array; OpenAI, Anthropic, OpenRouter, Groq use {"error": {...}}.
    let error = retry::gemini_error(body).or_else(|| body.get("error"));
    match error {
        Some(Value::Object(obj)) => {
            let message = text(obj.get("message"))?;
            let error_type = text(obj.get("type"))
                .or_else(|| text(obj.get("status")))
                .or_else(|| text(obj.get("code")));
            Some(ErrorMessage {
                message,
                error_type,
            })
        }
        // Ollama, llama.cpp: {"error": "model not found"}.
        Some(Value::String(s)) if !s.trim().is_empty() => Some(ErrorMessage {
            message: s.trim().to_string(),
            error_type: None,
        }),
        _ => {
            // vLLM: {"object": "error", "message": ...}; FastAPI: {"detail": ...}.
            let message = text(body.get("message")).or_else(|| text(body.get("detail")))?;
            Some(ErrorMessage {
                message,
                error_type: text(body.get("type")),
            })
        }
    }
}

fn scrub(text: &str, key: Option<&ApiKey>) -> String {
    let text = match key {
        Some(key) => key.scrub(text),
        None => text.to_string(),
    };
    shorten(&text, 600)
}

/// At most `max` characters, with an ellipsis when cut.
fn shorten(text: &str, max: usize) -> String {
    let text = text.trim();
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// A Gemini per-day quota (`quotaId` like `GenerateRequestsPerDayPerProjectPerModel-FreeTier`).
fn is_daily_quota(body: &Value) -> bool {
    let Some(error) = retry::gemini_error(body) else {
        return false;
    };
    let per_day = |s: &str| {
        let lower = s.to_ascii_lowercase();
        lower.contains("perday") || lower.contains("per_day") || lower.contains("per day")
    };
    let in_details = error
        .get("details")
        .and_then(Value::as_array)
        .is_some_and(|details| {
            details.iter().any(|d| {
                d.get("violations")
                    .and_then(Value::as_array)
                    .is_some_and(|violations| {
                        violations.iter().any(|v| {
                            ["quotaId", "quotaMetric"]
                                .iter()
                                .any(|k| v.get(*k).and_then(Value::as_str).is_some_and(per_day))
                        })
                    })
            })
        });
    in_details
        || error
            .get("message")
            .and_then(Value::as_str)
            .is_some_and(per_day)
}

/// OpenAI's "You exceeded your current quota" 429.
fn is_insufficient_quota(body: &Value) -> bool {
    let Some(error) = body.get("error") else {
        return false;
    };
    ["code", "type"]
        .iter()
        .any(|k| error.get(*k).and_then(Value::as_str) == Some("insufficient_quota"))
}

/// Classifies a non-2xx response.
pub(crate) fn classify_status(
    host: &str,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
    now_unix_ms: i64,
    key: Option<&ApiKey>,
) -> ProviderError {
    use ProviderErrorKind as K;
    let json: Option<Value> = serde_json::from_slice(body).ok();
    let provider_message = match json.as_ref().and_then(error_message) {
        Some(found) => Some(found.message),
        None => plain_body_message(body),
    }
    .map(|m| scrub(&m, key));

    let mut kind = match status {
        400 | 422 => K::BadRequest,
        401 => K::Unauthorized,
        402 => K::PaymentRequired,
        403 => K::Forbidden,
        404 => K::NotFound,
        408 => K::RequestTimeout,
        409 => K::Conflict,
        413 => K::TooLarge,
        429 => K::RateLimited,
        503 | 529 => K::Overloaded,
        500..=599 => K::ServerError,
        _ => K::OtherStatus,
    };
    let mut retryable = matches!(status, 408 | 409 | 429 | 500..=599);
    if let Some(decided) = retry::should_retry_header(headers) {
        retryable = decided;
    }
    if let Some(body) = &json {
        if matches!(status, 429 | 403) && is_daily_quota(body) {
            kind = K::QuotaExhausted { daily: true };
            retryable = false;
        } else if status == 429 && is_insufficient_quota(body) {
            kind = K::QuotaExhausted { daily: false };
            retryable = false;
        }
    }
    let retry = if retryable {
        RetryAdvice::Retry {
            hint: retry::retry_hint(headers, json.as_ref(), now_unix_ms),
        }
    } else {
        RetryAdvice::Stop
    };
    ProviderError {
        kind,
        host: host.to_string(),
        status: Some(status),
        provider_message,
        retry,
    }
}

/// A short non-JSON body as a message; an HTML page is named, not quoted.
fn plain_body_message(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if text.starts_with('<') {
        return Some(
            "an HTML page instead of an API error (a proxy, gateway or wrong base URL?)".into(),
        );
    }
    Some(shorten(text, 300))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorten_respects_char_boundaries() {
        assert_eq!(shorten("ééé", 2), "éé…");
        assert_eq!(shorten(" ab ", 5), "ab");
    }

    #[test]
    fn seconds_format() {
        assert_eq!(seconds(2000), "2 s");
        assert_eq!(seconds(1500), "1.5 s");
    }

    #[test]
    fn plain_and_html_bodies() {
        assert_eq!(
            plain_body_message(b"  upstream connect error "),
            Some("upstream connect error".into())
        );
        assert!(plain_body_message(b"<html><body>502</body></html>")
            .unwrap()
            .contains("HTML page"));
        assert_eq!(plain_body_message(b""), None);
    }
}
