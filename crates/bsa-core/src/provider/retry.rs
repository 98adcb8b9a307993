//! Retry hints: when the provider says a retry may succeed ([`RetryHint`]), read from every
//! place providers put it.
//!
//! Sources, in the order they are trusted (the most explicit first):
//! 1. `retry-after-ms` (OpenAI): milliseconds.
//! 2. `retry-after`: seconds, or an HTTP date (RFC 9110).
//! 3. The body: Gemini's `RetryInfo.retryDelay` (`"45.8s"`), or an OpenAI-style message
//!    "Please try again in 6.2s" (useful when the browser hides the headers: cross-origin
//!    scripts see only headers the server lists in `Access-Control-Expose-Headers`).
//! 4. Rate-limit resets: `x-ratelimit-reset-requests` / `-tokens` (durations like `6m0s`,
//!    `12ms`), `anthropic-ratelimit-*-reset` (RFC 3339 times), `x-ratelimit-reset` (Unix time).
//!
//! `x-should-retry: true|false` overrides the status-based decision ([`should_retry_header`]).
//! Nothing here reads a clock: date-based hints are computed against `now_unix_ms`.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::time::{Duration, UNIX_EPOCH};

/// A provider's hint of how long to wait before retrying.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetryHint {
    /// Milliseconds from now (0 when the time given is already past).
    pub delay_ms: u64,
    pub source: RetryHintSource,
}

/// Where a [`RetryHint`] came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetryHintSource {
    RetryAfterMs,
    RetryAfterSeconds,
    RetryAfterDate,
    /// Gemini `RetryInfo.retryDelay` in the error body.
    BodyRetryDelay,
    /// "try again in …" in the provider's error message.
    Message,
    /// A rate-limit reset header, by name.
    RateLimitReset(String),
}

impl RetryHintSource {
    /// Where the hint was read, for messages.
    pub fn describe(&self) -> String {
        match self {
            RetryHintSource::RetryAfterMs => "retry-after-ms".into(),
            RetryHintSource::RetryAfterSeconds | RetryHintSource::RetryAfterDate => {
                "retry-after".into()
            }
            RetryHintSource::BodyRetryDelay => "the error's retryDelay".into(),
            RetryHintSource::Message => "the error message".into(),
            RetryHintSource::RateLimitReset(header) => header.clone(),
        }
    }
}

/// The value of a header, by case-insensitive name.
pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

/// `x-should-retry`: `Some(true)` / `Some(false)` when the server says, `None` otherwise.
pub fn should_retry_header(headers: &[(String, String)]) -> Option<bool> {
    match header(headers, "x-should-retry")?
        .to_ascii_lowercase()
        .as_str()
    {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// The most trustworthy retry hint in the headers and the (parsed) error body.
pub fn retry_hint(
    headers: &[(String, String)],
    body: Option<&Value>,
    now_unix_ms: i64,
) -> Option<RetryHint> {
    if let Some(ms) = header(headers, "retry-after-ms").and_then(parse_number) {
        return Some(RetryHint {
            delay_ms: ms.ceil() as u64,
            source: RetryHintSource::RetryAfterMs,
        });
    }
    if let Some(value) = header(headers, "retry-after") {
        if let Some(seconds) = parse_number(value) {
            return Some(RetryHint {
                delay_ms: (seconds * 1000.0).ceil() as u64,
                source: RetryHintSource::RetryAfterSeconds,
            });
        }
        if let Some(at) = parse_http_date_ms(value) {
            return Some(RetryHint {
                delay_ms: until(at, now_unix_ms),
                source: RetryHintSource::RetryAfterDate,
            });
        }
    }
    if let Some(body) = body {
        if let Some(ms) = gemini_retry_delay_ms(body) {
            return Some(RetryHint {
                delay_ms: ms,
                source: RetryHintSource::BodyRetryDelay,
            });
        }
        if let Some(ms) = message_retry_delay_ms(body) {
            return Some(RetryHint {
                delay_ms: ms,
                source: RetryHintSource::Message,
            });
        }
    }
    rate_limit_reset(headers, now_unix_ms)
}

fn until(at_ms: i64, now_ms: i64) -> u64 {
    u64::try_from(at_ms.saturating_sub(now_ms)).unwrap_or(0)
}

fn parse_number(text: &str) -> Option<f64> {
    let value: f64 = text.trim().parse().ok()?;
    (value.is_finite() && value >= 0.0).then_some(value)
}

/// Rate-limit resets. When a `-remaining-` header says which limit ran out, its reset is used;
/// otherwise the latest reset (waiting for the earliest could retry into the same wall).
fn rate_limit_reset(headers: &[(String, String)], now_ms: i64) -> Option<RetryHint> {
    let mut exhausted: Vec<(String, u64)> = Vec::new();
    let mut all: Vec<(String, u64)> = Vec::new();
    for (name, value) in headers {
        let lower = name.to_ascii_lowercase();
        let delay = if let Some(kind) = lower.strip_prefix("x-ratelimit-reset-") {
            parse_go_duration_ms(value).map(|ms| (format!("x-ratelimit-remaining-{kind}"), ms))
        } else if let Some(kind) = lower
            .strip_prefix("anthropic-ratelimit-")
            .and_then(|rest| rest.strip_suffix("-reset"))
        {
            parse_rfc3339_ms(value.trim()).map(|at| {
                (
                    format!("anthropic-ratelimit-{kind}-remaining"),
                    until(at, now_ms),
                )
            })
        } else if lower == "x-ratelimit-reset" {
            // OpenRouter and others: a Unix time in ms or s, or a delay in seconds.
            parse_number(value).map(|n| {
                let ms = if n > 1e12 {
                    until(n as i64, now_ms)
                } else if n > 1e9 {
                    until((n * 1000.0) as i64, now_ms)
                } else {
                    (n * 1000.0).ceil() as u64
                };
                ("x-ratelimit-remaining".to_string(), ms)
            })
        } else {
            None
        };
        if let Some((remaining_name, ms)) = delay {
            if header(headers, &remaining_name).and_then(parse_number) == Some(0.0) {
                exhausted.push((name.clone(), ms));
            }
            all.push((name.clone(), ms));
        }
    }
    let pick = if exhausted.is_empty() { all } else { exhausted };
    pick.into_iter()
        .max_by_key(|(_, ms)| *ms)
        .map(|(name, ms)| RetryHint {
            delay_ms: ms,
            source: RetryHintSource::RateLimitReset(name.to_ascii_lowercase()),
        })
}

/// Gemini: `{"error": {"details": [{"@type": ".../google.rpc.RetryInfo", "retryDelay": "45.8s"}]}}`,
/// also wrapped in an array.
fn gemini_retry_delay_ms(body: &Value) -> Option<u64> {
    let error = gemini_error(body)?;
    error.get("details")?.as_array()?.iter().find_map(|detail| {
        let kind = detail.get("@type")?.as_str()?;
        if !kind.ends_with("RetryInfo") {
            return None;
        }
        match detail.get("retryDelay")? {
            Value::String(text) => parse_go_duration_ms(text),
            // The protobuf Duration object form.
            Value::Object(obj) => {
                let seconds = obj
                    .get("seconds")
                    .and_then(|s| s.as_f64().or_else(|| s.as_str()?.parse().ok()))?;
                let nanos = obj.get("nanos").and_then(Value::as_f64).unwrap_or(0.0);
                Some((seconds * 1000.0 + nanos / 1e6).ceil() as u64)
            }
            _ => None,
        }
    })
}

/// The `error` object of a Gemini body, plain or wrapped in a one-element array.
pub(crate) fn gemini_error(body: &Value) -> Option<&Value> {
    match body {
        Value::Array(items) => items.first()?.get("error"),
        Value::Object(_) => body.get("error"),
        _ => None,
    }
}

/// "Please try again in 6.295s." / "try again in 120ms" in an error message.
fn message_retry_delay_ms(body: &Value) -> Option<u64> {
    let message = body.pointer("/error/message").and_then(Value::as_str)?;
    let lower = message.to_ascii_lowercase();
    let at = lower.find("try again in ")? + "try again in ".len();
    let rest = &lower[at..];
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
        .unwrap_or(rest.len());
    parse_go_duration_ms(rest[..end].trim_end_matches('.'))
}

/// Parses a Go-style duration (`1s`, `6m0s`, `12ms`, `1h2m3.5s`, `45.8s`, `250us`) into whole
/// milliseconds, rounding up so a retry never comes early. A bare number means seconds.
///
/// Hand-written: `humantime` expects spaces between units and rejects `6m0s`.
pub fn parse_go_duration_ms(text: &str) -> Option<u64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Some(seconds) = parse_number(text) {
        return Some((seconds * 1000.0).ceil() as u64);
    }
    let mut total_ms = 0.0f64;
    let mut rest = text;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if number_len == 0 {
            return None;
        }
        let number: f64 = rest[..number_len].parse().ok()?;
        rest = &rest[number_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let factor = match &rest[..unit_len] {
            "h" => 3_600_000.0,
            "m" => 60_000.0,
            "s" => 1000.0,
            "ms" => 1.0,
            "us" | "µs" | "μs" => 0.001,
            "ns" => 0.000_001,
            _ => return None,
        };
        total_ms += number * factor;
        rest = &rest[unit_len..];
    }
    total_ms.is_finite().then(|| total_ms.ceil() as u64)
}

/// Parses an HTTP date (IMF-fixdate, and the obsolete RFC 850 and asctime forms) into Unix ms.
pub fn parse_http_date_ms(text: &str) -> Option<i64> {
    let time = httpdate::parse_http_date(text.trim()).ok()?;
    let since = time.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO);
    i64::try_from(since.as_millis()).ok()
}

/// Parses an RFC 3339 timestamp (`2026-01-27T12:34:56Z`, `…56.123+02:00`) into Unix ms.
///
/// Hand-written: it is twenty lines, while `time`/`chrono`/`jiff` would add a date library to
/// the WebAssembly bundle for this one use.
pub fn parse_rfc3339_ms(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() < 20 {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    if b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut pos = 19;
    let mut millis = 0i64;
    if b[pos] == b'.' {
        let start = pos + 1;
        pos = start;
        while pos < b.len() && b[pos].is_ascii_digit() {
            pos += 1;
        }
        if pos == start {
            return None;
        }
        // Milliseconds from the first three fraction digits, padded.
        let frac: String = text[start..pos]
            .chars()
            .chain("000".chars())
            .take(3)
            .collect();
        millis = frac.parse().ok()?;
    }
    let offset_minutes = match b.get(pos)? {
        b'Z' | b'z' if pos + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if pos + 6 == b.len() && b[pos + 3] == b':' => {
            let minutes = digits(pos + 1..pos + 3)? * 60 + digits(pos + 4..pos + 6)?;
            if *sign == b'+' {
                minutes
            } else {
                -minutes
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    Some(seconds * 1000 + millis)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn go_durations() {
        assert_eq!(parse_go_duration_ms("1s"), Some(1000));
        assert_eq!(parse_go_duration_ms("6m0s"), Some(360_000));
        assert_eq!(parse_go_duration_ms("12ms"), Some(12));
        assert_eq!(parse_go_duration_ms("1h2m3.5s"), Some(3_723_500));
        assert_eq!(parse_go_duration_ms("45.8s"), Some(45_800));
        assert_eq!(parse_go_duration_ms("250us"), Some(1), "rounds up");
        assert_eq!(
            parse_go_duration_ms("2"),
            Some(2000),
            "bare number is seconds"
        );
        for bad in ["", "s", "5 minutes", "1x", "-3s"] {
            assert_eq!(parse_go_duration_ms(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn rfc3339_against_known_epochs() {
        // 2000-01-01 is 946684800 s; plus 31 + 29 days (leap year) = 951868800 s for 2000-03-01.
        assert_eq!(
            parse_rfc3339_ms("2000-03-01T00:00:00Z"),
            Some(951_868_800_000)
        );
        assert_eq!(parse_rfc3339_ms("1970-01-01T00:00:00Z"), Some(0));
        // Offset +02:00 means two hours earlier in UTC.
        assert_eq!(parse_rfc3339_ms("1970-01-01T02:00:00.25+02:00"), Some(250));
        // 2024-01-01 is 1704067200 s; plus 59 days and 12 h = 1709208000 s, plus 0.5 s.
        assert_eq!(
            parse_rfc3339_ms("2024-02-29T12:00:00.5Z"),
            Some(1_709_208_000_500)
        );
        for bad in [
            "2024-13-01T00:00:00Z",
            "2024-01-01 00:00",
            "2024-01-01T00:00:00",
            "yesterday",
        ] {
            assert_eq!(parse_rfc3339_ms(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn http_dates() {
        // RFC 9110's example date: Sun, 06 Nov 1994 08:49:37 GMT = 784111777 s.
        assert_eq!(
            parse_http_date_ms("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777_000)
        );
        assert_eq!(
            parse_http_date_ms("Sunday, 06-Nov-94 08:49:37 GMT"),
            Some(784_111_777_000)
        );
        assert_eq!(parse_http_date_ms("soon"), None);
    }

    #[test]
    fn header_priority() {
        let now = 784_111_777_000;
        let both = h(&[("Retry-After", "3"), ("retry-after-ms", "1500")]);
        assert_eq!(
            retry_hint(&both, None, now),
            Some(RetryHint {
                delay_ms: 1500,
                source: RetryHintSource::RetryAfterMs
            })
        );
        let date = h(&[("retry-after", "Sun, 06 Nov 1994 08:50:07 GMT")]);
        assert_eq!(
            retry_hint(&date, None, now).map(|r| r.delay_ms),
            Some(30_000)
        );
        let past = h(&[("retry-after", "Sun, 06 Nov 1994 08:00:00 GMT")]);
        assert_eq!(retry_hint(&past, None, now).map(|r| r.delay_ms), Some(0));
    }

    #[test]
    fn rate_limit_resets_prefer_the_exhausted_limit() {
        let headers = h(&[
            ("x-ratelimit-remaining-requests", "0"),
            ("x-ratelimit-reset-requests", "1s"),
            ("x-ratelimit-remaining-tokens", "5000"),
            ("x-ratelimit-reset-tokens", "6m0s"),
        ]);
        let hint = retry_hint(&headers, None, 0).unwrap();
        assert_eq!(hint.delay_ms, 1000);
        assert_eq!(
            hint.source,
            RetryHintSource::RateLimitReset("x-ratelimit-reset-requests".into())
        );
        let unknown = h(&[
            ("x-ratelimit-reset-requests", "1s"),
            ("x-ratelimit-reset-tokens", "6m0s"),
        ]);
        assert_eq!(retry_hint(&unknown, None, 0).unwrap().delay_ms, 360_000);
        // Anthropic: RFC 3339 reset 20 s after "now".
        let now = parse_rfc3339_ms("2026-01-27T12:00:00Z").unwrap();
        let anthropic = h(&[
            ("anthropic-ratelimit-tokens-remaining", "0"),
            ("anthropic-ratelimit-tokens-reset", "2026-01-27T12:00:20Z"),
            ("anthropic-ratelimit-requests-remaining", "10"),
            ("anthropic-ratelimit-requests-reset", "2026-01-27T12:01:00Z"),
        ]);
        let hint = retry_hint(&anthropic, None, now).unwrap();
        assert_eq!(hint.delay_ms, 20_000);
        assert_eq!(
            hint.source,
            RetryHintSource::RateLimitReset("anthropic-ratelimit-tokens-reset".into())
        );
    }

    #[test]
    fn body_hints() {
        let gemini = json!([{"error": {"code": 429, "details": [
            {"@type": "type.googleapis.com/google.rpc.QuotaFailure"},
            {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "45.8s"}
        ]}}]);
        assert_eq!(retry_hint(&[], Some(&gemini), 0).unwrap().delay_ms, 45_800);
        let openai = json!({"error": {"message": "Rate limit reached for gpt-4o. Please try again in 6.295s. Visit ..."}});
        let hint = retry_hint(&[], Some(&openai), 0).unwrap();
        assert_eq!(
            hint,
            RetryHint {
                delay_ms: 6295,
                source: RetryHintSource::Message
            }
        );
    }

    #[test]
    fn should_retry_header_values() {
        assert_eq!(
            should_retry_header(&h(&[("X-Should-Retry", "false")])),
            Some(false)
        );
        assert_eq!(
            should_retry_header(&h(&[("x-should-retry", "TRUE")])),
            Some(true)
        );
        assert_eq!(
            should_retry_header(&h(&[("x-should-retry", "maybe")])),
            None
        );
        assert_eq!(should_retry_header(&[]), None);
    }
}
