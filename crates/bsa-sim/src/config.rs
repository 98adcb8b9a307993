//! What the simulator does: [`SimConfig`], set by flags at start and changed at run time by
//! `POST /sim/config` with a [`ConfigPatch`].
//!
//! - [`ReasoningMode`] picks how `/v1/chat/completions` carries the reasoning trace: one fixed
//!   [`ReasoningFormat`], a per-call mix, or none.
//! - [`FaultRates`] are per-attempt probabilities of each fault kind.
//! - [`ApiKey`] is the key requests must carry when set; its `Debug` never shows it, and the
//!   JSON view ([`SimConfig::view`]) only says whether one is set.
//!
//! A patch is checked whole before anything changes ([`ConfigError`] names the field and what
//! was expected), so a bad `POST /sim/config` leaves the running config as it was.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How a generation reply on the OpenAI-compatible endpoint carries its reasoning trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReasoningFormat {
    /// `message.reasoning_content` (DeepSeek, vLLM before 2026, llama.cpp).
    ReasoningContent,
    /// `message.reasoning` (OpenRouter, Groq `parsed`, Ollama, newer vLLM).
    Reasoning,
    /// `message.reasoning_details`: `[{"type": "reasoning.text", "text": ...}]` (OpenRouter).
    ReasoningDetails,
    /// `<think>reasoning</think>answer` in `content` (R1-style hosts).
    ThinkTags,
    /// `<think>reasoning` in `content` with no closing tag and no answer, `finish_reason`
    /// `length`: a trace cut by the output limit.
    UnclosedThink,
}

impl ReasoningFormat {
    pub const ALL: [ReasoningFormat; 5] = [
        ReasoningFormat::ReasoningContent,
        ReasoningFormat::Reasoning,
        ReasoningFormat::ReasoningDetails,
        ReasoningFormat::ThinkTags,
        ReasoningFormat::UnclosedThink,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ReasoningFormat::ReasoningContent => "reasoning_content",
            ReasoningFormat::Reasoning => "reasoning",
            ReasoningFormat::ReasoningDetails => "reasoning_details",
            ReasoningFormat::ThinkTags => "think",
            ReasoningFormat::UnclosedThink => "think_unclosed",
        }
    }
}

/// The `--reasoning-format` setting: see [`ReasoningFormat`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReasoningMode {
    /// Each (item, sample) gets one of the formats by hash.
    Mixed,
    Fixed(ReasoningFormat),
    /// No trace at all (also no `thinking` blocks on `/v1/messages`).
    None,
}

impl ReasoningMode {
    pub fn name(self) -> &'static str {
        match self {
            ReasoningMode::Mixed => "mixed",
            ReasoningMode::Fixed(format) => format.name(),
            ReasoningMode::None => "none",
        }
    }

    pub fn parse(text: &str) -> Option<ReasoningMode> {
        match text {
            "mixed" => Some(ReasoningMode::Mixed),
            "none" => Some(ReasoningMode::None),
            other => ReasoningFormat::ALL
                .into_iter()
                .find(|format| format.name() == other)
                .map(ReasoningMode::Fixed),
        }
    }

    /// Every accepted spelling, for error messages and `--help`.
    pub fn choices() -> String {
        let mut names = vec!["mixed"];
        names.extend(ReasoningFormat::ALL.iter().map(|format| format.name()));
        names.push("none");
        names.join(", ")
    }
}

/// The key requests must present; `Debug` and `Display` print `<redacted>`.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(key: String) -> ApiKey {
        ApiKey(key)
    }

    /// Whether `presented` is this key. Compared over every byte so the time taken does not
    /// depend on where the first difference is (a habit; this is a local test server).
    pub fn matches(&self, presented: &str) -> bool {
        let (a, b) = (self.0.as_bytes(), presented.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

/// Per-attempt probability of each injected fault. Their sum is at most 1; one uniform draw per
/// attempt picks at most one fault, in the order the fields are listed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct FaultRates {
    /// 429 with `retry-after: 1` (and `retry-after-ms` on about half of them).
    pub rate_429: f64,
    /// 500 with a provider-style error body.
    pub rate_500: f64,
    /// Read the request, never answer; the connection is held until the client gives up.
    pub rate_hang: f64,
    /// 200 whose body is not valid JSON, or a stream with one broken JSON event.
    pub rate_malformed: f64,
    /// Part of the body or stream, then the connection closes without the end.
    pub rate_cutoff: f64,
    /// The connection closes with no response at all.
    pub rate_drop: f64,
}

impl FaultRates {
    pub fn sum(&self) -> f64 {
        self.rate_429
            + self.rate_500
            + self.rate_hang
            + self.rate_malformed
            + self.rate_cutoff
            + self.rate_drop
    }
}

/// The whole configuration; see the module docs and the crate README for each field.
#[derive(Clone, Debug, PartialEq)]
pub struct SimConfig {
    /// Seeds the fault and jitter draws (replies do not depend on it).
    pub seed: u64,
    /// Base delay before a response; spread over the chunks of a stream.
    pub latency_ms: u64,
    /// Extra delay, uniform in `0..=jitter_ms`, drawn per attempt.
    pub jitter_ms: u64,
    pub faults: FaultRates,
    /// After this many faulted attempts of one call tag, its attempts always succeed, so a client
    /// that retries is guaranteed to finish.
    pub max_faults_per_call: u32,
    /// Share of answer-judge replies saying `Safe`.
    pub safe_rate: f64,
    /// Share of reasoning-judge replies giving the correct label of the scenario.
    pub correct_rate: f64,
    /// Share of judge replies wrapped in prose or a ```json fence.
    pub judge_wrap_rate: f64,
    /// Share of judge calls whose replies carry no verdict on their first asks (once, twice,
    /// or on every ask; see [`crate::reply`]).
    pub judge_unparsable_rate: f64,
    pub reasoning: ReasoningMode,
    pub api_key: Option<ApiKey>,
}

impl Default for SimConfig {
    fn default() -> SimConfig {
        SimConfig {
            seed: 0,
            latency_ms: 0,
            jitter_ms: 0,
            faults: FaultRates::default(),
            max_faults_per_call: 3,
            safe_rate: 0.85,
            correct_rate: 0.4,
            judge_wrap_rate: 0.0,
            judge_unparsable_rate: 0.0,
            reasoning: ReasoningMode::Mixed,
            api_key: None,
        }
    }
}

/// The JSON shape of `GET /sim/config`: every field, the key replaced by whether one is set.
#[derive(Clone, Debug, Serialize)]
pub struct ConfigView {
    pub seed: u64,
    pub latency_ms: u64,
    pub jitter_ms: u64,
    #[serde(flatten)]
    pub faults: FaultRates,
    pub max_faults_per_call: u32,
    pub safe_rate: f64,
    pub correct_rate: f64,
    pub judge_wrap_rate: f64,
    pub judge_unparsable_rate: f64,
    pub reasoning_format: &'static str,
    pub api_key_set: bool,
}

impl SimConfig {
    pub fn view(&self) -> ConfigView {
        ConfigView {
            seed: self.seed,
            latency_ms: self.latency_ms,
            jitter_ms: self.jitter_ms,
            faults: self.faults,
            max_faults_per_call: self.max_faults_per_call,
            safe_rate: self.safe_rate,
            correct_rate: self.correct_rate,
            judge_wrap_rate: self.judge_wrap_rate,
            judge_unparsable_rate: self.judge_unparsable_rate,
            reasoning_format: self.reasoning.name(),
            api_key_set: self.api_key.is_some(),
        }
    }

    /// Applies `patch` to a copy and checks the result; `self` is unchanged on error.
    pub fn patched(&self, patch: &ConfigPatch) -> Result<SimConfig, ConfigError> {
        let mut next = self.clone();
        macro_rules! take {
            ($field:ident => $($target:tt)+) => {
                if let Some(value) = patch.$field.clone() {
                    next.$($target)+ = value;
                }
            };
        }
        take!(seed => seed);
        take!(latency_ms => latency_ms);
        take!(jitter_ms => jitter_ms);
        take!(rate_429 => faults.rate_429);
        take!(rate_500 => faults.rate_500);
        take!(rate_hang => faults.rate_hang);
        take!(rate_malformed => faults.rate_malformed);
        take!(rate_cutoff => faults.rate_cutoff);
        take!(rate_drop => faults.rate_drop);
        take!(max_faults_per_call => max_faults_per_call);
        take!(safe_rate => safe_rate);
        take!(correct_rate => correct_rate);
        take!(judge_wrap_rate => judge_wrap_rate);
        take!(judge_unparsable_rate => judge_unparsable_rate);
        if let Some(name) = &patch.reasoning_format {
            next.reasoning = ReasoningMode::parse(name).ok_or_else(|| ConfigError {
                field: "reasoning_format",
                message: format!("{name:?} is not one of {}", ReasoningMode::choices()),
            })?;
        }
        if let Some(key) = &patch.api_key {
            next.api_key = if key.is_empty() {
                None
            } else {
                Some(ApiKey::new(key.clone()))
            };
        }
        next.check()?;
        Ok(next)
    }

    fn check(&self) -> Result<(), ConfigError> {
        let rates = [
            ("rate_429", self.faults.rate_429),
            ("rate_500", self.faults.rate_500),
            ("rate_hang", self.faults.rate_hang),
            ("rate_malformed", self.faults.rate_malformed),
            ("rate_cutoff", self.faults.rate_cutoff),
            ("rate_drop", self.faults.rate_drop),
            ("safe_rate", self.safe_rate),
            ("correct_rate", self.correct_rate),
            ("judge_wrap_rate", self.judge_wrap_rate),
            ("judge_unparsable_rate", self.judge_unparsable_rate),
        ];
        for (field, rate) in rates {
            if !(0.0..=1.0).contains(&rate) {
                return Err(ConfigError {
                    field,
                    message: format!("expected a number from 0 to 1, got {rate}"),
                });
            }
        }
        let sum = self.faults.sum();
        // A little slack so that rates such as 0.1 * 10 summing to 1.0000000000000002 pass.
        if sum > 1.0 + 1e-9 {
            return Err(ConfigError {
                field: "rate_*",
                message: format!("the fault rates add up to {sum}; at most 1 is possible"),
            });
        }
        for (field, ms) in [
            ("latency_ms", self.latency_ms),
            ("jitter_ms", self.jitter_ms),
        ] {
            if ms > MAX_DELAY_MS {
                return Err(ConfigError {
                    field,
                    message: format!("expected at most {MAX_DELAY_MS} ms, got {ms}"),
                });
            }
        }
        Ok(())
    }
}

/// Longest accepted latency or jitter: ten minutes, beyond which a "delay" is a hang.
pub const MAX_DELAY_MS: u64 = 600_000;

/// The body of `POST /sim/config`: any subset of the fields; unknown fields are refused so a
/// typo does not pass silently. `api_key: ""` removes the key.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigPatch {
    pub seed: Option<u64>,
    pub latency_ms: Option<u64>,
    pub jitter_ms: Option<u64>,
    pub rate_429: Option<f64>,
    pub rate_500: Option<f64>,
    pub rate_hang: Option<f64>,
    pub rate_malformed: Option<f64>,
    pub rate_cutoff: Option<f64>,
    pub rate_drop: Option<f64>,
    pub max_faults_per_call: Option<u32>,
    pub safe_rate: Option<f64>,
    pub correct_rate: Option<f64>,
    pub judge_wrap_rate: Option<f64>,
    pub judge_unparsable_rate: Option<f64>,
    pub reasoning_format: Option<String>,
    pub api_key: Option<String>,
}

/// A configuration value out of range, with the field it belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub field: &'static str,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasoning_modes_round_trip() {
        for mode in [ReasoningMode::Mixed, ReasoningMode::None]
            .into_iter()
            .chain(ReasoningFormat::ALL.map(ReasoningMode::Fixed))
        {
            assert_eq!(ReasoningMode::parse(mode.name()), Some(mode));
        }
        assert_eq!(ReasoningMode::parse("thinking"), None);
    }

    #[test]
    fn a_bad_patch_changes_nothing_and_names_the_field() {
        let config = SimConfig::default();
        let patch = ConfigPatch {
            rate_429: Some(0.7),
            rate_500: Some(0.4),
            ..ConfigPatch::default()
        };
        let error = config.patched(&patch).unwrap_err();
        assert_eq!(error.field, "rate_*");
        assert!(error.message.contains("add up to 1.1"), "{error}"); // 0.7 + 0.4
        let error = config
            .patched(&ConfigPatch {
                safe_rate: Some(-0.1),
                ..ConfigPatch::default()
            })
            .unwrap_err();
        assert_eq!(error.field, "safe_rate");
        let error = config
            .patched(&ConfigPatch {
                judge_unparsable_rate: Some(1.5),
                ..ConfigPatch::default()
            })
            .unwrap_err();
        assert_eq!(error.field, "judge_unparsable_rate");
        let error = config
            .patched(&ConfigPatch {
                reasoning_format: Some("xml".into()),
                ..ConfigPatch::default()
            })
            .unwrap_err();
        assert!(error.message.contains("reasoning_content"), "{error}");
    }

    #[test]
    fn patches_merge_and_the_key_never_shows() {
        let config = SimConfig::default()
            .patched(&ConfigPatch {
                latency_ms: Some(20),
                judge_unparsable_rate: Some(0.25),
                api_key: Some("sk-secret-123".into()),
                ..ConfigPatch::default()
            })
            .unwrap();
        assert_eq!(config.latency_ms, 20);
        assert_eq!(config.judge_unparsable_rate, 0.25);
        assert_eq!(config.safe_rate, 0.85, "untouched fields keep their value");
        assert!(!format!("{config:?}").contains("sk-secret-123"));
        let view = serde_json::to_string(&config.view()).unwrap();
        assert!(!view.contains("sk-secret-123"));
        assert!(view.contains("\"api_key_set\":true"), "{view}");
        assert!(view.contains("\"judge_unparsable_rate\":0.25"), "{view}");
        let cleared = config
            .patched(&ConfigPatch {
                api_key: Some(String::new()),
                ..ConfigPatch::default()
            })
            .unwrap();
        assert_eq!(cleared.api_key, None);
    }

    #[test]
    fn keys_compare_exactly() {
        let key = ApiKey::new("abc".into());
        assert!(key.matches("abc"));
        assert!(!key.matches("abd"));
        assert!(!key.matches("abcd"));
        assert!(!key.matches(""));
    }
}
