//! Error classification and retry signals, against error bodies in
//! `tests/fixtures/provider/errors/` (written from the providers' documented error shapes) and
//! hand-made headers.

use bsa_core::provider::*;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/provider/errors/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

fn reader(preset: PresetId, model: &str) -> ResponseReader {
    ResponseReader::new(
        &ModelConfig::new(preset, model),
        Some(&ApiKey::new("sk-test-0123456789a")),
    )
    .unwrap()
}

fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

fn error(
    reader: &ResponseReader,
    status: u16,
    hdrs: &[(&str, &str)],
    body: &[u8],
    now: i64,
) -> ProviderError {
    reader
        .read(&ResponseHead::new(status, headers(hdrs)), body, now)
        .expect_err("an error status")
}

#[test]
fn unauthorized_names_host_and_cause_and_scrubs_the_echoed_key() {
    let e = error(
        &reader(PresetId::OpenAi, "gpt-4o-mini"),
        401,
        &[],
        &fixture("openai_401.json"),
        0,
    );
    assert_eq!(e.kind, ProviderErrorKind::Unauthorized);
    assert_eq!(e.retry, RetryAdvice::Stop);
    assert_eq!(
        e.to_string(),
        "401 from api.openai.com: check the key (provider says: \"Incorrect API key provided: ***. You can find your API key in your account settings.\"); not retried"
    );
}

#[test]
fn not_found_points_at_model_name_and_base_url() {
    let e = error(
        &reader(PresetId::OpenAi, "gpt-4o-mini-typo"),
        404,
        &[],
        &fixture("openai_404_model.json"),
        0,
    );
    let text = e.to_string();
    assert!(
        text.starts_with("404 from api.openai.com: check the model name and base URL"),
        "{text}"
    );
    assert!(text.contains("`gpt-4o-mini-typo` does not exist"), "{text}");
    assert!(!e.is_retryable());
    let e = error(
        &reader(PresetId::Ollama, "llama9"),
        404,
        &[],
        &fixture("ollama_404.json"),
        0,
    );
    assert_eq!(
        e.provider_message.as_deref(),
        Some("model \"llama9\" not found, try pulling it first")
    );
    assert!(e.to_string().starts_with("404 from localhost: "), "{e}");
}

#[test]
fn rate_limits_retry_after_the_providers_hint() {
    let r = reader(PresetId::OpenAi, "gpt-4o-mini");
    let body = fixture("openai_429_rate.json");
    // Headers first: retry-after-ms beats everything else.
    let e = error(
        &r,
        429,
        &[("retry-after-ms", "1500"), ("retry-after", "2")],
        &body,
        0,
    );
    assert_eq!(e.kind, ProviderErrorKind::RateLimited);
    assert_eq!(e.retry_delay_ms(), Some(1500));
    assert!(
        e.to_string()
            .ends_with("; will retry after 1.5 s (retry-after-ms)"),
        "{e}"
    );
    // Headers hidden by CORS: the message's "Please try again in 120ms" is used.
    let e = error(&r, 429, &[], &body, 0);
    assert_eq!(
        e.retry,
        RetryAdvice::Retry {
            hint: Some(RetryHint {
                delay_ms: 120,
                source: RetryHintSource::Message
            })
        }
    );
    // Only rate-limit reset headers: the exhausted limit's reset (tokens, 6m0s = 360 s).
    let e = error(
        &r,
        429,
        &[
            ("x-ratelimit-remaining-requests", "499"),
            ("x-ratelimit-reset-requests", "120ms"),
            ("x-ratelimit-remaining-tokens", "0"),
            ("x-ratelimit-reset-tokens", "6m0s"),
        ],
        br#"{"error":{"message":"Rate limit reached.","type":"tokens","code":"rate_limit_exceeded"}}"#,
        0,
    );
    assert_eq!(e.retry_delay_ms(), Some(360_000));
}

#[test]
fn retry_after_as_an_http_date_uses_the_given_now() {
    // RFC 9110's example date is 784111777 s after the epoch; now is 30 s earlier.
    let now = 784_111_747_000;
    let e = error(
        &reader(PresetId::Groq, "qwen/qwen3-32b"),
        429,
        &[("Retry-After", "Sun, 06 Nov 1994 08:49:37 GMT")],
        b"",
        now,
    );
    assert_eq!(
        e.retry,
        RetryAdvice::Retry {
            hint: Some(RetryHint {
                delay_ms: 30_000,
                source: RetryHintSource::RetryAfterDate
            })
        }
    );
}

#[test]
fn anthropic_rate_limit_reset_times() {
    let now = parse_rfc3339_ms("2026-03-01T10:00:00Z").unwrap();
    let e = error(
        &reader(PresetId::Anthropic, "claude-sonnet-4-20250514"),
        429,
        &[
            ("anthropic-ratelimit-requests-remaining", "0"),
            ("anthropic-ratelimit-requests-reset", "2026-03-01T10:00:07.5Z"),
            ("anthropic-ratelimit-output-tokens-remaining", "1200"),
            ("anthropic-ratelimit-output-tokens-reset", "2026-03-01T10:01:00Z"),
        ],
        br#"{"type":"error","error":{"type":"rate_limit_error","message":"Number of requests has exceeded your rate limit."}}"#,
        now,
    );
    assert_eq!(e.retry_delay_ms(), Some(7500));
    assert_eq!(
        e.provider_message.as_deref(),
        Some("Number of requests has exceeded your rate limit.")
    );
}

#[test]
fn exhausted_quotas_are_not_retried() {
    let e = error(
        &reader(PresetId::OpenAi, "gpt-4o-mini"),
        429,
        &[("retry-after", "1")],
        &fixture("openai_429_quota.json"),
        0,
    );
    assert_eq!(e.kind, ProviderErrorKind::QuotaExhausted { daily: false });
    assert_eq!(e.retry, RetryAdvice::Stop);
    assert!(e.to_string().contains("add credit"), "{e}");

    let e = error(
        &reader(PresetId::Gemini, "gemini-2.5-pro"),
        429,
        &[],
        &fixture("gemini_429_daily.json"),
        0,
    );
    assert_eq!(e.kind, ProviderErrorKind::QuotaExhausted { daily: true });
    assert_eq!(e.retry, RetryAdvice::Stop);
    let text = e.to_string();
    assert!(
        text.starts_with("429 from generativelanguage.googleapis.com: the daily quota is used up"),
        "{text}"
    );
    assert!(text.contains("retrying today will not help"), "{text}");
    assert!(text.contains("You exceeded your current quota"), "{text}");
}

#[test]
fn gemini_per_minute_quota_retries_after_retry_info() {
    let e = error(
        &reader(PresetId::Gemini, "gemini-2.5-flash"),
        429,
        &[],
        &fixture("gemini_429_minute.json"),
        0,
    );
    assert_eq!(e.kind, ProviderErrorKind::RateLimited);
    assert_eq!(
        e.retry,
        RetryAdvice::Retry {
            hint: Some(RetryHint {
                delay_ms: 45_800,
                source: RetryHintSource::BodyRetryDelay
            })
        }
    );
}

#[test]
fn overloaded_and_server_errors_retry() {
    let anthropic = reader(PresetId::Anthropic, "claude-sonnet-4-20250514");
    let e = error(&anthropic, 529, &[], &fixture("anthropic_529.json"), 0);
    assert_eq!(e.kind, ProviderErrorKind::Overloaded);
    assert_eq!(e.provider_message.as_deref(), Some("Overloaded"));
    assert_eq!(e.retry, RetryAdvice::Retry { hint: None });
    let e = error(&anthropic, 503, &[("retry-after", "30")], b"", 0);
    assert_eq!(e.retry_delay_ms(), Some(30_000));
    for status in [500, 502, 504] {
        let e = error(&anthropic, status, &[], b"", 0);
        assert_eq!(e.kind, ProviderErrorKind::ServerError, "{status}");
        assert!(e.is_retryable());
    }
    let e = error(
        &reader(PresetId::OpenRouter, "x/y"),
        502,
        &[],
        b"<html><body>Bad gateway</body></html>",
        0,
    );
    assert!(
        e.to_string()
            .contains("an HTML page instead of an API error"),
        "{e}"
    );
}

#[test]
fn request_errors_stop_and_quote_the_provider() {
    let e = error(
        &reader(PresetId::Anthropic, "claude-sonnet-4-20250514"),
        400,
        &[],
        &fixture("anthropic_400.json"),
        0,
    );
    assert_eq!(e.kind, ProviderErrorKind::BadRequest);
    assert_eq!(e.retry, RetryAdvice::Stop);
    assert!(
        e.to_string()
            .contains("max_tokens: 1000 must be greater than thinking.budget_tokens: 2000"),
        "{e}"
    );
    let e = error(
        &reader(PresetId::Vllm, "m"),
        400,
        &[],
        &fixture("vllm_400.json"),
        0,
    );
    assert!(e
        .provider_message
        .as_deref()
        .unwrap()
        .starts_with("This model's maximum context length is 4096 tokens"));
    for (status, kind) in [
        (403, ProviderErrorKind::Forbidden),
        (413, ProviderErrorKind::TooLarge),
        (402, ProviderErrorKind::PaymentRequired),
        (418, ProviderErrorKind::OtherStatus),
    ] {
        let e = error(&reader(PresetId::OpenRouter, "x/y"), status, &[], b"", 0);
        assert_eq!(e.kind, kind, "{status}");
        assert!(!e.is_retryable(), "{status}");
    }
    for status in [408, 409] {
        assert!(
            error(&reader(PresetId::OpenRouter, "x/y"), status, &[], b"", 0).is_retryable(),
            "{status}"
        );
    }
}

#[test]
fn x_should_retry_overrides_the_status() {
    let r = reader(PresetId::OpenAi, "gpt-4o-mini");
    assert!(!error(&r, 503, &[("x-should-retry", "false")], b"", 0).is_retryable());
    assert!(error(&r, 400, &[("x-should-retry", "true")], b"", 0).is_retryable());
}

#[test]
fn network_failures_and_timeouts_retry() {
    let r = reader(PresetId::LmStudio, "qwen3-4b");
    let e = r.network_error("TypeError: Failed to fetch");
    assert!(e.is_retryable());
    assert_eq!(e.status, None);
    let text = e.to_string();
    assert!(
        text.starts_with("localhost: no response (TypeError: Failed to fetch)"),
        "{text}"
    );
    assert!(text.contains("CORS"), "{text}");
    let e = r.timeout(120_000);
    assert!(e.is_retryable());
    assert_eq!(
        e.to_string(),
        "localhost: no complete answer within 120 s; will retry"
    );
}

#[test]
fn errors_round_trip_through_json_for_the_run_file() {
    let e = error(
        &reader(PresetId::Gemini, "gemini-2.5-flash"),
        429,
        &[],
        &fixture("gemini_429_minute.json"),
        0,
    );
    let json = serde_json::to_string(&e).unwrap();
    let back: ProviderError = serde_json::from_str(&json).unwrap();
    assert_eq!(back, e);
}

#[test]
fn error_bodies_in_a_success_response() {
    // Some gateways answer 200 with an error object.
    let r = reader(PresetId::OpenRouter, "x/y");
    let e = r
        .read(
            &ResponseHead::new(200, vec![]),
            br#"{"error":{"code":400,"message":"Invalid model"}}"#,
            0,
        )
        .unwrap_err();
    assert!(matches!(e.kind, ProviderErrorKind::ErrorInResponse { .. }));
    assert!(!e.is_retryable(), "code 400 means the request is wrong");
    let e = r
        .read(
            &ResponseHead::new(200, vec![]),
            br#"{"error":{"code":503,"message":"No endpoints available"}}"#,
            0,
        )
        .unwrap_err();
    assert!(e.is_retryable());
    assert_eq!(
        e.provider_message.as_deref(),
        Some("No endpoints available")
    );
}
