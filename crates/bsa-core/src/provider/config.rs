//! [`ModelConfig`]: which provider and model to call and with what parameters, as stored in
//! run files, and [`ApiKey`], the one thing that is never stored.
//!
//! The key is kept out of `ModelConfig` on purpose: configuration is serialized into run files
//! and exports, the key must never be. Extra headers that look like credentials are refused for
//! the same reason ([`ConfigError::CredentialHeader`]): a key has one place, the key argument.

use super::endpoint::{Endpoint, EndpointProblem};
use super::params::{ParameterError, Parameters};
use super::preset::{AuthScheme, KeyRequirement, PresetId, WireFormat};
use serde::{Deserialize, Serialize};
use std::fmt;

/// An API key. Its `Debug` shows `ApiKey(***)`; it has no `Display` and no `Serialize`, so it
/// cannot reach logs, error messages or exports by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key, trimming the whitespace a copy-paste often brings along.
    pub fn new(key: impl Into<String>) -> ApiKey {
        let key: String = key.into();
        ApiKey(key.trim().to_string())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The key itself, for the header that carries it.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// `text` with every occurrence of the key replaced by `***`. Servers sometimes echo the key
    /// they were given in an error message.
    pub fn scrub(&self, text: &str) -> String {
        // Keys shorter than 8 characters are test values or typos; replacing them could mangle
        // ordinary words, and they are not worth protecting.
        if self.0.len() < 8 {
            return text.to_string();
        }
        text.replace(&self.0, "***")
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

/// A header the user adds to every request (custom gateways, OpenRouter attribution).
///
/// `Debug` hides the value of a credential-looking header: validation refuses those, but a
/// configuration may be printed before it is validated.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtraHeader {
    pub name: String,
    pub value: String,
}

impl fmt::Debug for ExtraHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secret = is_credential_header(&self.name.to_ascii_lowercase());
        f.debug_struct("ExtraHeader")
            .field("name", &self.name)
            .field("value", if secret { &"***" } else { &self.value })
            .finish()
    }
}

/// One model endpoint as the user configured it, without the key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelConfig {
    pub preset: PresetId,
    /// The model name the API expects (`gpt-4o-mini`, `deepseek-reasoner`, ...).
    pub model: String,
    /// Overrides the preset's base URL; required for [`PresetId::Custom`].
    #[serde(default)]
    pub base_url: Option<String>,
    #[serde(default)]
    pub extra_headers: Vec<ExtraHeader>,
    /// The wire format, for the simulator only (it speaks both); other presets have one.
    #[serde(default)]
    pub wire: Option<WireFormat>,
    /// How the key is sent, for [`PresetId::Custom`] only (default: Bearer).
    #[serde(default)]
    pub auth: Option<AuthScheme>,
    #[serde(default)]
    pub parameters: Parameters,
}

impl ModelConfig {
    /// A configuration with the preset's defaults and no parameters set.
    pub fn new(preset: PresetId, model: impl Into<String>) -> ModelConfig {
        ModelConfig {
            preset,
            model: model.into(),
            base_url: None,
            extra_headers: Vec::new(),
            wire: None,
            auth: None,
            parameters: Parameters::default(),
        }
    }

    /// The wire format this configuration speaks.
    pub fn wire(&self) -> WireFormat {
        match (self.preset, self.wire) {
            (PresetId::Simulator, Some(wire)) => wire,
            _ => self.preset.preset().wire,
        }
    }

    /// How the key is sent. The simulator follows its wire format, so an Anthropic-format
    /// simulator call carries the key like Anthropic does.
    pub fn auth(&self) -> AuthScheme {
        match self.preset {
            PresetId::Custom => self.auth.clone().unwrap_or(AuthScheme::Bearer),
            PresetId::Simulator if self.wire() == WireFormat::AnthropicMessages => {
                AuthScheme::XApiKey
            }
            preset => preset.preset().auth.clone(),
        }
    }

    /// The base URL in effect (the override, else the preset's).
    pub fn base_url(&self) -> &str {
        match &self.base_url {
            Some(url) if !url.trim().is_empty() => url.trim(),
            _ => self.preset.preset().default_base_url,
        }
    }

    /// Checks everything that can be checked without a network: model name, base URL, headers,
    /// parameter ranges, and the options only some presets take.
    pub fn validate(&self) -> Result<Endpoint, ConfigError> {
        if self.model.trim().is_empty() {
            return Err(ConfigError::EmptyModel);
        }
        if self.wire.is_some() && self.preset != PresetId::Simulator {
            return Err(ConfigError::WireNotChoosable {
                preset: self.preset,
            });
        }
        if self.auth.is_some() && self.preset != PresetId::Custom {
            return Err(ConfigError::AuthNotChoosable {
                preset: self.preset,
            });
        }
        if let Some(AuthScheme::Header(name)) = &self.auth {
            check_header_name(name)?;
        }
        let base = self.base_url();
        if base.is_empty() && self.preset == PresetId::Custom {
            return Err(ConfigError::MissingBaseUrl);
        }
        let endpoint = Endpoint::parse(base).map_err(|problem| ConfigError::BadBaseUrl {
            value: base.to_string(),
            problem,
        })?;
        let key_header = self.auth().header_name();
        for header in &self.extra_headers {
            check_header_name(&header.name)?;
            if header
                .value
                .chars()
                .any(|c| c == '\r' || c == '\n' || c == '\0')
            {
                return Err(ConfigError::BadHeader {
                    name: header.name.clone(),
                    expected: "a value on one line (no line breaks)",
                });
            }
            let lower = header.name.to_ascii_lowercase();
            if is_credential_header(&lower) || key_header.as_deref() == Some(lower.as_str()) {
                return Err(ConfigError::CredentialHeader {
                    name: header.name.clone(),
                });
            }
            if RESERVED_HEADERS.contains(&lower.as_str()) || lower == super::preset::CALL_TAG_HEADER
            {
                return Err(ConfigError::ReservedHeader {
                    name: header.name.clone(),
                });
            }
        }
        self.parameters.validate().map_err(ConfigError::Parameter)?;
        Ok(endpoint)
    }

    /// Whether this configuration needs a key before a request can be built.
    pub fn key_required(&self) -> bool {
        self.preset.preset().key == KeyRequirement::Required
    }
}

/// Headers the request builder sets itself, or that browsers forbid scripts to set.
const RESERVED_HEADERS: &[&str] = &[
    "content-type",
    "content-length",
    "host",
    "connection",
    "origin",
    "referer",
    "cookie",
    "transfer-encoding",
    "accept-encoding",
    "anthropic-version",
    "anthropic-dangerous-direct-browser-access",
];

/// Header names that carry credentials: redacted in `Debug`, refused as extra headers.
pub(crate) fn is_credential_header(lower_name: &str) -> bool {
    matches!(
        lower_name,
        "authorization"
            | "proxy-authorization"
            | "x-api-key"
            | "api-key"
            | "x-goog-api-key"
            | "cookie"
    ) || lower_name.contains("token")
        || lower_name.contains("secret")
        || lower_name.ends_with("-key")
}

fn check_header_name(name: &str) -> Result<(), ConfigError> {
    // RFC 9110 token characters.
    let is_token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if name.is_empty() || !name.chars().all(is_token) {
        return Err(ConfigError::BadHeader {
            name: name.to_string(),
            expected: "a header name of letters, digits and - (no spaces or colons)",
        });
    }
    Ok(())
}

/// A configuration that cannot produce a request. Messages say what to fix.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ConfigError {
    EmptyModel,
    /// The custom preset has no default base URL.
    MissingBaseUrl,
    BadBaseUrl {
        value: String,
        problem: EndpointProblem,
    },
    /// The preset needs a key and none (or an empty one) was given.
    MissingKey {
        preset: PresetId,
    },
    BadHeader {
        name: String,
        expected: &'static str,
    },
    /// An extra header that would carry a credential.
    CredentialHeader {
        name: String,
    },
    /// An extra header the builder sets itself or the browser forbids.
    ReservedHeader {
        name: String,
    },
    WireNotChoosable {
        preset: PresetId,
    },
    AuthNotChoosable {
        preset: PresetId,
    },
    /// A call tag that is not a plain one-line ASCII header value.
    BadCallTag {
        tag: String,
    },
    Parameter(ParameterError),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::EmptyModel => f.write_str("no model name: enter the model id the API expects, e.g. gpt-4o-mini"),
            ConfigError::MissingBaseUrl => {
                f.write_str("no base URL: a custom server needs one, e.g. http://localhost:8000/v1")
            }
            ConfigError::BadBaseUrl { value, problem } => {
                write!(f, "base URL \"{value}\" is not usable: expected {}", problem.expected())
            }
            ConfigError::MissingKey { preset } => write!(f, "{preset} needs an API key: enter one for this endpoint"),
            ConfigError::BadHeader { name, expected } => write!(f, "header \"{name}\": expected {expected}"),
            ConfigError::CredentialHeader { name } => write!(
                f,
                "header \"{name}\" would carry a credential: put the key in the key field (it is kept out of run files), and choose its header in the endpoint settings"
            ),
            ConfigError::ReservedHeader { name } => {
                write!(f, "header \"{name}\" is set by BSA Studio or the browser and cannot be overridden")
            }
            ConfigError::WireNotChoosable { preset } => {
                write!(f, "{preset} speaks one wire format; only the simulator lets you choose")
            }
            ConfigError::AuthNotChoosable { preset } => {
                write!(f, "{preset} has a fixed way of sending the key; only a custom endpoint lets you choose")
            }
            ConfigError::BadCallTag { tag } => {
                write!(f, "call tag \"{tag}\" must be printable ASCII on one line")
            }
            ConfigError::Parameter(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_is_hidden_from_debug_and_scrubbed_from_text() {
        let key = ApiKey::new("  sk-test-0123456789a \n");
        assert_eq!(format!("{key:?}"), "ApiKey(***)");
        assert_eq!(
            key.scrub("Incorrect API key sk-test-0123456789a given"),
            "Incorrect API key *** given"
        );
        assert!(ApiKey::new("   ").is_empty());
    }

    #[test]
    fn credential_extra_headers_are_hidden_from_debug() {
        let header = ExtraHeader {
            name: "Authorization".into(),
            value: "Bearer sk-secret-123456".into(),
        };
        assert_eq!(
            format!("{header:?}"),
            r#"ExtraHeader { name: "Authorization", value: "***" }"#
        );
        let header = ExtraHeader {
            name: "X-Title".into(),
            value: "BSA Studio".into(),
        };
        assert!(format!("{header:?}").contains("BSA Studio"));
    }

    #[test]
    fn custom_needs_a_base_url_and_presets_validate() {
        let config = ModelConfig::new(PresetId::Custom, "m");
        assert_eq!(config.validate(), Err(ConfigError::MissingBaseUrl));
        let mut config = ModelConfig::new(PresetId::OpenAi, " ");
        assert_eq!(config.validate(), Err(ConfigError::EmptyModel));
        config.model = "gpt-4o-mini".into();
        assert_eq!(config.validate().unwrap().host, "api.openai.com");
        config.base_url = Some("api.openai.com".into());
        assert!(matches!(
            config.validate(),
            Err(ConfigError::BadBaseUrl { .. })
        ));
    }

    #[test]
    fn credential_and_reserved_headers_are_refused() {
        let mut config = ModelConfig::new(PresetId::OpenRouter, "x/y");
        config.extra_headers = vec![ExtraHeader {
            name: "Authorization".into(),
            value: "Bearer k".into(),
        }];
        assert!(matches!(
            config.validate(),
            Err(ConfigError::CredentialHeader { .. })
        ));
        config.extra_headers = vec![ExtraHeader {
            name: "Content-Type".into(),
            value: "text/plain".into(),
        }];
        assert!(matches!(
            config.validate(),
            Err(ConfigError::ReservedHeader { .. })
        ));
        config.extra_headers = vec![ExtraHeader {
            name: "X-Title".into(),
            value: "a\r\nb".into(),
        }];
        assert!(matches!(
            config.validate(),
            Err(ConfigError::BadHeader { .. })
        ));
        config.extra_headers = vec![ExtraHeader {
            name: "HTTP-Referer".into(),
            value: "https://bsa.example".into(),
        }];
        assert!(config.validate().is_ok());
        let mut custom = ModelConfig::new(PresetId::Custom, "m");
        custom.base_url = Some("https://gw.example/v1".into());
        custom.auth = Some(AuthScheme::Header("X-Gateway-Auth".into()));
        custom.extra_headers = vec![ExtraHeader {
            name: "x-gateway-auth".into(),
            value: "k".into(),
        }];
        assert!(matches!(
            custom.validate(),
            Err(ConfigError::CredentialHeader { .. })
        ));
    }

    #[test]
    fn wire_and_auth_overrides_only_where_they_apply() {
        let mut config = ModelConfig::new(PresetId::OpenAi, "gpt-4o");
        config.wire = Some(WireFormat::AnthropicMessages);
        assert_eq!(
            config.validate(),
            Err(ConfigError::WireNotChoosable {
                preset: PresetId::OpenAi
            })
        );
        let mut sim = ModelConfig::new(PresetId::Simulator, "sim-reasoner");
        sim.wire = Some(WireFormat::AnthropicMessages);
        assert!(sim.validate().is_ok());
        assert_eq!(sim.auth(), AuthScheme::XApiKey);
        assert_eq!(sim.wire(), WireFormat::AnthropicMessages);
    }

    #[test]
    fn config_round_trips_and_reads_minimal_json() {
        let config: ModelConfig =
            serde_json::from_str(r#"{"preset":"deepseek","model":"deepseek-reasoner"}"#).unwrap();
        assert_eq!(
            config,
            ModelConfig::new(PresetId::DeepSeek, "deepseek-reasoner")
        );
        let json = serde_json::to_string(&config).unwrap();
        let back: ModelConfig = serde_json::from_str(&json).unwrap();
        assert_eq!(back, config);
    }
}
