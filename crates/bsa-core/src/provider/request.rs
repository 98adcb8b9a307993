//! Building a call: [`build_request`] turns a [`ModelConfig`], an [`ApiKey`] and a
//! [`ChatPrompt`] into a [`PreparedCall`]: the [`ProviderRequest`] the app hands to `fetch`, the
//! [`ParameterReport`] of what was sent, and the [`ResponseReader`] for the answer.

use super::config::{is_credential_header, ApiKey, ConfigError, ModelConfig};
use super::params::{self, ParameterReport};
use super::preset::{AuthScheme, PresetId, WireFormat, CALL_TAG_HEADER};
use super::response::ResponseReader;
use serde_json::{json, Map, Value};
use std::fmt;

/// The messages of one call: an optional system prompt and the user message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChatPrompt {
    pub system: Option<String>,
    pub user: String,
}

impl ChatPrompt {
    pub fn user(text: impl Into<String>) -> ChatPrompt {
        ChatPrompt {
            system: None,
            user: text.into(),
        }
    }

    pub fn with_system(mut self, text: impl Into<String>) -> ChatPrompt {
        self.system = Some(text.into());
        self
    }
}

/// A plain HTTP request for the app to send with `fetch`.
///
/// `Debug` prints credential headers as `***`; use [`ProviderRequest::redacted_headers`] for
/// anything shown or exported.
#[derive(Clone, PartialEq, Eq)]
pub struct ProviderRequest {
    /// Always `POST` for chat calls.
    pub method: &'static str,
    pub url: String,
    /// Lower-case names, in the order they should be set.
    pub headers: Vec<(String, String)>,
    /// The JSON body.
    pub body: String,
    /// The header holding the key, if one was sent (for redaction).
    key_header: Option<String>,
}

impl ProviderRequest {
    /// The headers with every credential value replaced by `***`.
    pub fn redacted_headers(&self) -> Vec<(String, String)> {
        self.headers
            .iter()
            .map(|(name, value)| {
                let secret =
                    is_credential_header(name) || self.key_header.as_deref() == Some(name.as_str());
                (
                    name.clone(),
                    if secret {
                        "***".to_string()
                    } else {
                        value.clone()
                    },
                )
            })
            .collect()
    }

    /// The value of a header (names are stored lower-case).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

impl fmt::Debug for ProviderRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &self.redacted_headers())
            .field("body", &self.body)
            .finish()
    }
}

/// Everything for one call.
#[derive(Clone, Debug)]
pub struct PreparedCall {
    pub request: ProviderRequest,
    /// What happened to each parameter; record [`ParameterReport::sent_fields`] in the run.
    pub report: ParameterReport,
    pub reader: ResponseReader,
}

/// Builds the request for `prompt` to the endpoint `config` describes.
///
/// `key` is required for presets that need one (an empty key counts as none). `call_tag`
/// (`run/item/sample/stage`) goes out as [`CALL_TAG_HEADER`] to the simulator only; other
/// presets ignore it, so the engine can pass it for every call.
pub fn build_request(
    config: &ModelConfig,
    key: Option<&ApiKey>,
    prompt: &ChatPrompt,
    call_tag: Option<&str>,
) -> Result<PreparedCall, ConfigError> {
    let endpoint = config.validate()?;
    let key = key.filter(|k| !k.is_empty());
    if key.is_none() && config.key_required() {
        return Err(ConfigError::MissingKey {
            preset: config.preset,
        });
    }
    let wire = config.wire();
    let model = config.model.trim();
    let applied = params::apply(config.preset, wire, model, &config.parameters)
        .map_err(ConfigError::Parameter)?;

    let mut body = Map::new();
    body.insert("model".into(), model.into());
    match wire {
        WireFormat::OpenAiChat => {
            let mut messages = Vec::new();
            if let Some(system) = prompt.system.as_deref().filter(|s| !s.is_empty()) {
                messages.push(json!({"role": "system", "content": system}));
            }
            messages.push(json!({"role": "user", "content": prompt.user}));
            body.insert("messages".into(), Value::Array(messages));
        }
        WireFormat::AnthropicMessages => {
            // Anthropic takes the system prompt as a top-level field, not a message.
            if let Some(system) = prompt.system.as_deref().filter(|s| !s.is_empty()) {
                body.insert("system".into(), system.into());
            }
            body.insert(
                "messages".into(),
                json!([{"role": "user", "content": prompt.user}]),
            );
        }
    }
    applied.write_into(&mut body);

    let mut headers: Vec<(String, String)> =
        vec![("content-type".into(), "application/json".into())];
    let preset = config.preset.preset();
    let anthropic_headers: &[(&str, &str)] = match (config.preset, wire) {
        // The simulator in Anthropic format gets Anthropic's headers, so it can check them.
        (PresetId::Simulator, WireFormat::AnthropicMessages) => {
            PresetId::Anthropic.preset().required_headers
        }
        _ => preset.required_headers,
    };
    for (name, value) in anthropic_headers {
        headers.push(((*name).to_string(), (*value).to_string()));
    }
    let auth = config.auth();
    let mut key_header = None;
    if let Some(key) = key {
        let (name, value) = match &auth {
            AuthScheme::Bearer => (
                "authorization".to_string(),
                format!("Bearer {}", key.expose()),
            ),
            AuthScheme::XApiKey => ("x-api-key".to_string(), key.expose().to_string()),
            AuthScheme::Header(name) => (name.to_ascii_lowercase(), key.expose().to_string()),
            AuthScheme::None => (String::new(), String::new()),
        };
        if !name.is_empty() {
            key_header = Some(name.clone());
            headers.push((name, value));
        }
    }
    for extra in &config.extra_headers {
        headers.push((
            extra.name.to_ascii_lowercase(),
            extra.value.trim().to_string(),
        ));
    }
    if config.preset == PresetId::Simulator {
        if let Some(tag) = call_tag {
            if tag.is_empty() || !tag.bytes().all(|b| (0x20..0x7f).contains(&b)) {
                return Err(ConfigError::BadCallTag {
                    tag: tag.escape_default().to_string(),
                });
            }
            headers.push((CALL_TAG_HEADER.to_string(), tag.to_string()));
        }
    }

    let request = ProviderRequest {
        method: "POST",
        url: endpoint.call_url(wire),
        headers,
        body: Value::Object(body).to_string(),
        key_header,
    };
    let reader = ResponseReader::new(config, key)?;
    Ok(PreparedCall {
        request,
        report: applied.report,
        reader,
    })
}
