//! One API endpoint as the run form edits it: [`EndpointForm`] (raw field text, the key kept
//! apart), the [`EndpointRole`] it plays in a run, and the [`KeySlot`] its key is filed under.
//!
//! The key is deliberately not serialized: [`EndpointForm`] is saved as the "last configuration"
//! in localStorage, and a key must only ever be stored where the user asked for it (the
//! separate remembered-keys entry, see `services::keys`).

use bsa_core::provider::{ApiKey, ExtraHeader, ModelConfig, PresetId, WireFormat};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The part an endpoint plays in a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndpointRole {
    /// The model under test.
    Model,
    Judge,
    SecondJudge,
}

impl EndpointRole {
    pub const ALL: [EndpointRole; 3] = [
        EndpointRole::Model,
        EndpointRole::Judge,
        EndpointRole::SecondJudge,
    ];

    /// Lower-case words for labels and messages.
    pub fn label(self) -> &'static str {
        match self {
            EndpointRole::Model => "model under test",
            EndpointRole::Judge => "judge",
            EndpointRole::SecondJudge => "second judge",
        }
    }

    /// Stable word for element ids (`model`, `judge`, `judge2`).
    pub fn id(self) -> &'static str {
        match self {
            EndpointRole::Model => "model",
            EndpointRole::Judge => "judge",
            EndpointRole::SecondJudge => "judge2",
        }
    }
}

/// Where a key is filed: the preset and the base URL in effect. Two runs against the same API
/// share a key; a custom gateway at another address gets its own.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct KeySlot(pub String);

impl KeySlot {
    pub fn of(config: &ModelConfig) -> KeySlot {
        KeySlot(format!(
            "{}|{}",
            config.preset.as_str(),
            config.base_url().trim_end_matches('/')
        ))
    }

    /// The base URL part, for telling the user which key is meant.
    pub fn address(&self) -> &str {
        self.0.split_once('|').map_or(&self.0, |(_, url)| url)
    }
}

impl fmt::Display for KeySlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.address())
    }
}

/// An API key as typed into a password field. Like the core's `ApiKey` it has no `Display`
/// and no `Serialize`, and its `Debug` shows `***`; unlike it, the text can be read back, for
/// the field's value and for the remembered-keys entry the user opted into.
#[derive(Clone, PartialEq, Eq)]
pub struct KeyInput(String);

impl KeyInput {
    pub fn new(text: impl Into<String>) -> KeyInput {
        KeyInput(text.into())
    }

    /// The text, for the password field and the remembered-keys entry only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The key for requests (trimmed by `ApiKey::new`); `None` when blank.
    pub fn api_key(&self) -> Option<ApiKey> {
        let key = ApiKey::new(self.0.as_str());
        (!key.is_empty()).then_some(key)
    }
}

impl fmt::Debug for KeyInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("KeyInput(***)")
    }
}

/// The fields of one endpoint, as typed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EndpointForm {
    pub preset: PresetId,
    /// The base URL field, filled with the preset's default when the preset is chosen.
    pub base_url: String,
    pub model: String,
    /// The simulator speaks both wire formats; other presets have one.
    pub wire: WireFormat,
    /// Extra request headers, `Name: value`, one per line.
    pub extra_headers: String,
    /// USD per million input / output tokens, as typed (empty: no price).
    pub price_input: String,
    pub price_output: String,
    /// In memory only (see the module docs).
    #[serde(skip)]
    pub key: Option<KeyInput>,
    /// Whether the key is also kept in this browser's remembered keys. Not saved with the
    /// configuration: it is read back from whether a key is remembered for the slot.
    #[serde(skip)]
    pub remember_key: bool,
}

impl EndpointForm {
    /// A form for `preset` with its default address and a suggested model name.
    pub fn new(preset: PresetId, model: &str) -> EndpointForm {
        EndpointForm {
            preset,
            base_url: preset.preset().default_base_url.to_string(),
            model: model.to_string(),
            wire: WireFormat::OpenAiChat,
            extra_headers: String::new(),
            price_input: String::new(),
            price_output: String::new(),
            key: None,
            remember_key: false,
        }
    }

    /// Switches the preset: the address follows it; the model name stays (the user may be
    /// moving the same model between gateways), except that the simulator gets its own names.
    pub fn set_preset(&mut self, preset: PresetId, simulator_model: &str) {
        if preset == self.preset {
            return;
        }
        self.preset = preset;
        self.base_url = preset.preset().default_base_url.to_string();
        if preset == PresetId::Simulator {
            self.model = simulator_model.to_string();
        } else if self.model.starts_with("sim-") {
            self.model.clear();
        }
        if preset != PresetId::Simulator {
            self.wire = WireFormat::OpenAiChat;
        }
    }

    /// The key if one was entered (an all-blank key counts as none).
    pub fn key(&self) -> Option<ApiKey> {
        self.key.as_ref().and_then(KeyInput::api_key)
    }

    /// The configuration these fields describe, without parameters, and the problems of the
    /// header lines (1-based line numbers). The configuration's own checks run later
    /// (`ModelConfig::validate`), so their messages stay the core's.
    pub fn config(&self) -> (ModelConfig, Vec<(usize, String)>) {
        let mut config = ModelConfig::new(self.preset, self.model.trim());
        let default = self.preset.preset().default_base_url;
        let typed = self.base_url.trim();
        if typed != default || typed.is_empty() {
            config.base_url = Some(typed.to_string());
        }
        if self.preset == PresetId::Simulator && self.wire != WireFormat::OpenAiChat {
            config.wire = Some(self.wire);
        }
        let (headers, problems) = parse_headers(&self.extra_headers);
        config.extra_headers = headers;
        (config, problems)
    }
}

impl Default for EndpointForm {
    fn default() -> EndpointForm {
        EndpointForm::new(PresetId::Simulator, "sim-reasoner")
    }
}

/// Reads `Name: value` lines; blank lines are skipped, anything else without a colon is a
/// problem on its 1-based line.
pub fn parse_headers(text: &str) -> (Vec<ExtraHeader>, Vec<(usize, String)>) {
    let mut headers = Vec::new();
    let mut problems = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match line.split_once(':') {
            Some((name, value)) if !name.trim().is_empty() => headers.push(ExtraHeader {
                name: name.trim().to_string(),
                value: value.trim().to_string(),
            }),
            _ => problems.push((
                index + 1,
                format!("expected \"Name: value\", found \"{}\"", line.trim()),
            )),
        }
    }
    (headers, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_read_per_line_and_bad_lines_located() {
        let (headers, problems) =
            parse_headers("X-Title: BSA Studio\n\nno colon here\n: empty name");
        assert_eq!(headers.len(), 1);
        assert_eq!(headers[0].name, "X-Title");
        assert_eq!(headers[0].value, "BSA Studio");
        assert_eq!(
            problems.iter().map(|(line, _)| *line).collect::<Vec<_>>(),
            vec![3, 4]
        );
    }

    #[test]
    fn the_default_address_is_not_an_override() {
        let form = EndpointForm::new(PresetId::OpenAi, "gpt-4o-mini");
        let (config, problems) = form.config();
        assert!(problems.is_empty());
        assert_eq!(config.base_url, None);
        let mut edited = form.clone();
        edited.base_url = "https://gateway.example/v1".into();
        assert_eq!(
            edited.config().0.base_url.as_deref(),
            Some("https://gateway.example/v1")
        );
        // The slot follows the address in effect, so a gateway gets its own key.
        assert_ne!(
            KeySlot::of(&form.config().0),
            KeySlot::of(&edited.config().0)
        );
    }

    #[test]
    fn keys_never_serialize_with_the_form() {
        let mut form = EndpointForm::new(PresetId::OpenAi, "gpt-4o-mini");
        form.key = Some(KeyInput::new("sk-secret-value-123456"));
        assert_eq!(format!("{form:?}").matches("sk-secret").count(), 0);
        form.remember_key = true;
        let json = serde_json::to_string(&form).unwrap();
        assert!(!json.contains("sk-secret"), "{json}");
        let back: EndpointForm = serde_json::from_str(&json).unwrap();
        assert_eq!(back.key, None);
        assert!(!back.remember_key);
    }

    #[test]
    fn switching_presets_moves_the_address_and_simulator_names() {
        let mut form = EndpointForm::new(PresetId::OpenAi, "gpt-4o-mini");
        form.set_preset(PresetId::Simulator, "sim-judge");
        assert_eq!(form.base_url, "http://127.0.0.1:8788");
        assert_eq!(form.model, "sim-judge");
        form.set_preset(PresetId::DeepSeek, "sim-judge");
        assert_eq!(form.model, "");
        assert_eq!(form.base_url, PresetId::DeepSeek.preset().default_base_url);
    }
}
