//! The model APIs BSA Studio knows: [`PresetId`] names one, [`Preset`] describes it.
//!
//! A preset is static knowledge about a provider: its [`WireFormat`], default base URL, how the
//! key is sent ([`AuthScheme`]), the headers it needs, where its reasoning traces appear, the
//! parameter rules `params.rs` applies for it, and a note for the user (CORS caveats from
//! `shared/providers.md`). Only [`PresetId`] is stored in configuration; the rest is looked up,
//! so a corrected preset fixes old run files too.

use super::completion::ReasoningSource;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Which request/response shape a provider speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WireFormat {
    /// OpenAI Chat Completions: `POST {base}/chat/completions`, `choices[0].message`.
    OpenAiChat,
    /// Anthropic Messages: `POST {base}/v1/messages`, typed content blocks.
    AnthropicMessages,
}

impl WireFormat {
    pub fn name(self) -> &'static str {
        match self {
            WireFormat::OpenAiChat => "OpenAI chat completions",
            WireFormat::AnthropicMessages => "Anthropic messages",
        }
    }
}

/// How the API key travels.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthScheme {
    /// `Authorization: Bearer <key>`.
    Bearer,
    /// `x-api-key: <key>` (Anthropic).
    XApiKey,
    /// The key as the whole value of the named header (e.g. `api-key` for Azure-style gateways).
    Header(String),
    /// No key is sent.
    None,
}

impl AuthScheme {
    /// The header that carries the key, lower-case, if any.
    pub fn header_name(&self) -> Option<String> {
        match self {
            AuthScheme::Bearer => Some("authorization".to_string()),
            AuthScheme::XApiKey => Some("x-api-key".to_string()),
            AuthScheme::Header(name) => Some(name.to_ascii_lowercase()),
            AuthScheme::None => None,
        }
    }
}

/// Whether the user must give a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyRequirement {
    /// Calls fail without a key; building a request without one is refused.
    Required,
    /// A key is sent when given (local servers started with an API key, gateways).
    Optional,
}

/// One of the known providers, as stored in configuration and run files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PresetId {
    OpenAi,
    Anthropic,
    Gemini,
    DeepSeek,
    OpenRouter,
    Groq,
    Together,
    Fireworks,
    Ollama,
    Vllm,
    LmStudio,
    LlamaCpp,
    /// Any OpenAI-compatible server: base URL, model and extra headers from the user.
    Custom,
    /// The project's own test server (`bsa-sim`), clearly labelled as simulated.
    Simulator,
}

/// Static description of a provider.
#[derive(Debug, PartialEq, Eq)]
pub struct Preset {
    pub id: PresetId,
    /// What the UI shows.
    pub display_name: &'static str,
    pub wire: WireFormat,
    /// Base URL used when the configuration gives none (empty for [`PresetId::Custom`]).
    pub default_base_url: &'static str,
    pub auth: AuthScheme,
    pub key: KeyRequirement,
    /// Headers every request to this provider carries (besides content type and key).
    pub required_headers: &'static [(&'static str, &'static str)],
    /// Where this provider's reasoning traces appear, most usual first.
    pub reasoning_sources: &'static [ReasoningSource],
    /// The provider-specific parameter rules `params.rs` applies, in words (shown in the UI).
    pub parameter_rules: &'static [&'static str],
    /// A short note for the user: CORS caveats, what to start the server with, trace caveats.
    pub note: &'static str,
    /// Calls are simulated: results must never be mistaken for a real model's.
    pub simulated: bool,
}

/// Header that tells the simulator which call this is (`run/item/sample/stage`), so its
/// scripted faults can target one call. Sent only to [`PresetId::Simulator`].
pub const CALL_TAG_HEADER: &str = "x-bsa-call";

/// The `anthropic-version` Anthropic requires on every request.
pub const ANTHROPIC_VERSION: &str = "2023-06-01";

const ANTHROPIC_HEADERS: &[(&str, &str)] = &[
    ("anthropic-version", ANTHROPIC_VERSION),
    // Without it Anthropic refuses calls carrying an Origin header, i.e. every browser call.
    ("anthropic-dangerous-direct-browser-access", "true"),
];

use ReasoningSource as R;

static PRESETS: [Preset; 14] = [
    Preset {
        id: PresetId::OpenAi,
        display_name: "OpenAI",
        wire: WireFormat::OpenAiChat,
        default_base_url: "https://api.openai.com/v1",
        auth: AuthScheme::Bearer,
        key: KeyRequirement::Required,
        required_headers: &[],
        reasoning_sources: &[],
        parameter_rules: &[
            "max tokens go out as max_completion_tokens",
            "reasoning models (o1, o3, o4, gpt-5 families): temperature and top_p are dropped, reasoning effort is sent as reasoning_effort",
        ],
        note: "Chat Completions return no reasoning trace for OpenAI reasoning models, so Think metrics are not available. Browser calls are reported to work but are not documented.",
        simulated: false,
    },
    Preset {
        id: PresetId::Anthropic,
        display_name: "Anthropic",
        wire: WireFormat::AnthropicMessages,
        default_base_url: "https://api.anthropic.com",
        auth: AuthScheme::XApiKey,
        key: KeyRequirement::Required,
        required_headers: ANTHROPIC_HEADERS,
        reasoning_sources: &[R::ThinkingBlock, R::RedactedThinkingBlock],
        parameter_rules: &[
            "max_tokens is required (4096 when not set)",
            "temperature is limited to 0..1; temperature and top_p are not sent together",
            "extended thinking: temperature must be 1 or unset, top_p unset or at least 0.95, budget_tokens at least 1024 and below max_tokens",
        ],
        note: "Reasoning traces come only with extended thinking on (set a reasoning effort or thinking budget). Claude 4 models return summarized thinking. Browser calls need the anthropic-dangerous-direct-browser-access header, which is sent.",
        simulated: false,
    },
    Preset {
        id: PresetId::Gemini,
        display_name: "Google Gemini (OpenAI-compatible)",
        wire: WireFormat::OpenAiChat,
        default_base_url: "https://generativelanguage.googleapis.com/v1beta/openai/",
        auth: AuthScheme::Bearer,
        key: KeyRequirement::Required,
        required_headers: &[],
        reasoning_sources: &[R::ThinkTag, R::ReasoningContent],
        parameter_rules: &[
            "thought summaries are requested with extra_body.google.thinking_config.include_thoughts",
            "reasoning effort goes out as reasoning_effort, a thinking budget as thinking_config.thinking_budget (never both)",
        ],
        note: "Several reports say browser preflights to this endpoint fail: test with one item first. Traces are thought summaries. Daily-quota errors (429) are not retried.",
        simulated: false,
    },
    Preset {
        id: PresetId::DeepSeek,
        display_name: "DeepSeek",
        wire: WireFormat::OpenAiChat,
        default_base_url: "https://api.deepseek.com",
        auth: AuthScheme::Bearer,
        key: KeyRequirement::Required,
        required_headers: &[],
        reasoning_sources: &[R::ReasoningContent],
        parameter_rules: &[
            "deepseek-reasoner accepts and ignores temperature and top_p",
            "there is no reasoning-effort control: deepseek-reasoner always reasons",
        ],
        note: "Browser (CORS) support is unverified. Under load DeepSeek may hold the connection open with keep-alive lines for minutes.",
        simulated: false,
    },
    Preset {
        id: PresetId::OpenRouter,
        display_name: "OpenRouter",
        wire: WireFormat::OpenAiChat,
        default_base_url: "https://openrouter.ai/api/v1",
        auth: AuthScheme::Bearer,
        key: KeyRequirement::Required,
        required_headers: &[],
        reasoning_sources: &[R::Reasoning, R::ReasoningDetails],
        parameter_rules: &[
            "reasoning effort, thinking budget or off go out in the reasoning object",
            "OpenRouter drops parameters the routed model does not support",
        ],
        note: "Browser calls work, but only allow-listed headers pass the preflight: keep extra headers to HTTP-Referer and X-OpenRouter-Title.",
        simulated: false,
    },
    Preset {
        id: PresetId::Groq,
        display_name: "Groq",
        wire: WireFormat::OpenAiChat,
        default_base_url: "https://api.groq.com/openai/v1",
        auth: AuthScheme::Bearer,
        key: KeyRequirement::Required,
        required_headers: &[],
        reasoning_sources: &[R::Reasoning, R::ThinkTag],
        parameter_rules: &[
            "reasoning_format parsed is sent for Qwen3, QwQ and DeepSeek-R1 models, include_reasoning for gpt-oss",
            "reasoning effort: low/medium/high for gpt-oss, on/off (default/none) for Qwen3",
        ],
        note: "Browser calls are reported to work. Only one sample per request (n = 1).",
        simulated: false,
    },
    Preset {
        id: PresetId::Together,
        display_name: "Together AI",
        wire: WireFormat::OpenAiChat,
        default_base_url: "https://api.together.xyz/v1",
        auth: AuthScheme::Bearer,
        key: KeyRequirement::Required,
        required_headers: &[],
        reasoning_sources: &[R::ThinkTag, R::Reasoning],
        parameter_rules: &["reasoning effort is sent as reasoning_effort"],
        note: "Browser calls are reported to work. R1-style models put their reasoning in <think> tags in the content, which are split off.",
        simulated: false,
    },
    Preset {
        id: PresetId::Fireworks,
        display_name: "Fireworks AI",
        wire: WireFormat::OpenAiChat,
        default_base_url: "https://api.fireworks.ai/inference/v1",
        auth: AuthScheme::Bearer,
        key: KeyRequirement::Required,
        required_headers: &[],
        reasoning_sources: &[R::ReasoningContent, R::ThinkTag],
        parameter_rules: &["reasoning effort is sent as reasoning_effort"],
        note: "Browser (CORS) support is unverified: test with one item first.",
        simulated: false,
    },
    Preset {
        id: PresetId::Ollama,
        display_name: "Ollama (local)",
        wire: WireFormat::OpenAiChat,
        default_base_url: "http://localhost:11434/v1",
        auth: AuthScheme::Bearer,
        key: KeyRequirement::Optional,
        required_headers: &[],
        reasoning_sources: &[R::Reasoning, R::ThinkTag],
        parameter_rules: &["reasoning off goes out as reasoning_effort \"none\""],
        note: "Ollama allows browser calls from localhost pages; for other origins start it with OLLAMA_ORIGINS set. Safari blocks calls from https pages to http://localhost.",
        simulated: false,
    },
    Preset {
        id: PresetId::Vllm,
        display_name: "vLLM (local)",
        wire: WireFormat::OpenAiChat,
        default_base_url: "http://localhost:8000/v1",
        auth: AuthScheme::Bearer,
        key: KeyRequirement::Optional,
        required_headers: &[],
        reasoning_sources: &[R::Reasoning, R::ReasoningContent, R::ThinkTag],
        parameter_rules: &[
            "reasoning off goes out as chat_template_kwargs.enable_thinking = false",
            "reasoning effort is sent as reasoning_effort",
        ],
        note: "Start vLLM with --reasoning-parser to get the trace in its own field; without it the <think> tags in the content are split off. --allowed-origins defaults to *.",
        simulated: false,
    },
    Preset {
        id: PresetId::LmStudio,
        display_name: "LM Studio (local)",
        wire: WireFormat::OpenAiChat,
        default_base_url: "http://localhost:1234/v1",
        auth: AuthScheme::Bearer,
        key: KeyRequirement::Optional,
        required_headers: &[],
        reasoning_sources: &[R::ReasoningContent, R::Reasoning, R::ThinkTag],
        parameter_rules: &["reasoning effort is sent as reasoning_effort"],
        note: "Turn on CORS in LM Studio's server settings (or start it with --cors), otherwise the browser cannot call it.",
        simulated: false,
    },
    Preset {
        id: PresetId::LlamaCpp,
        display_name: "llama.cpp server (local)",
        wire: WireFormat::OpenAiChat,
        default_base_url: "http://localhost:8080/v1",
        auth: AuthScheme::Bearer,
        key: KeyRequirement::Optional,
        required_headers: &[],
        reasoning_sources: &[R::ReasoningContent, R::ThinkTag],
        parameter_rules: &[
            "reasoning off goes out as chat_template_kwargs.enable_thinking = false",
            "there is no per-request reasoning effort (use the server's --reasoning-budget)",
        ],
        note: "Start llama-server with --reasoning-format deepseek to get the trace in reasoning_content. --cors-origins defaults to *.",
        simulated: false,
    },
    Preset {
        id: PresetId::Custom,
        display_name: "Custom OpenAI-compatible",
        wire: WireFormat::OpenAiChat,
        default_base_url: "",
        auth: AuthScheme::Bearer,
        key: KeyRequirement::Optional,
        required_headers: &[],
        reasoning_sources: &[R::ReasoningContent, R::Reasoning, R::ReasoningDetails, R::ThinkTag],
        parameter_rules: &[
            "parameters are sent as set; reasoning effort as reasoning_effort",
            "the key goes out as a Bearer token unless another header is chosen",
        ],
        note: "The server must allow browser calls from this page (CORS).",
        simulated: false,
    },
    Preset {
        id: PresetId::Simulator,
        display_name: "BSA simulator (simulated)",
        wire: WireFormat::OpenAiChat,
        default_base_url: "http://127.0.0.1:8788",
        auth: AuthScheme::Bearer,
        key: KeyRequirement::Optional,
        required_headers: &[],
        reasoning_sources: &[
            R::ReasoningContent,
            R::Reasoning,
            R::ThinkTag,
            R::ThinkingBlock,
            R::RedactedThinkingBlock,
        ],
        parameter_rules: &[
            "speaks both wire formats; Anthropic format gets Anthropic's rules",
            "each call carries its tag in the x-bsa-call header",
        ],
        note: "Simulated answers from the local bsa-sim server, for trying the app and testing faults. Results are not a real model's.",
        simulated: true,
    },
];

impl PresetId {
    /// Every preset, in the order the UI lists them.
    pub const ALL: [PresetId; 14] = [
        PresetId::OpenAi,
        PresetId::Anthropic,
        PresetId::Gemini,
        PresetId::DeepSeek,
        PresetId::OpenRouter,
        PresetId::Groq,
        PresetId::Together,
        PresetId::Fireworks,
        PresetId::Ollama,
        PresetId::Vllm,
        PresetId::LmStudio,
        PresetId::LlamaCpp,
        PresetId::Custom,
        PresetId::Simulator,
    ];

    /// The preset's description.
    pub fn preset(self) -> &'static Preset {
        // PRESETS is in PresetId::ALL order; the unit test below keeps it so.
        &PRESETS[self as usize]
    }

    /// The id as stored in configuration (`openai`, `llamacpp`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            PresetId::OpenAi => "openai",
            PresetId::Anthropic => "anthropic",
            PresetId::Gemini => "gemini",
            PresetId::DeepSeek => "deepseek",
            PresetId::OpenRouter => "openrouter",
            PresetId::Groq => "groq",
            PresetId::Together => "together",
            PresetId::Fireworks => "fireworks",
            PresetId::Ollama => "ollama",
            PresetId::Vllm => "vllm",
            PresetId::LmStudio => "lmstudio",
            PresetId::LlamaCpp => "llamacpp",
            PresetId::Custom => "custom",
            PresetId::Simulator => "simulator",
        }
    }

    /// Reads [`PresetId::as_str`] names in any case and with `-` or `_` anywhere
    /// (`OpenAI`, `llama-cpp`, `lm_studio`), for CLI flags.
    pub fn parse(text: &str) -> Option<PresetId> {
        let key: String = text
            .trim()
            .chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect();
        PresetId::ALL
            .into_iter()
            .find(|id| id.as_str().replace('_', "") == key)
    }

    /// True for servers on the user's machine (no key needed, no cost).
    pub fn is_local(self) -> bool {
        matches!(
            self,
            PresetId::Ollama | PresetId::Vllm | PresetId::LmStudio | PresetId::LlamaCpp
        )
    }
}

impl fmt::Display for PresetId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.preset().display_name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_order_matches_ids() {
        for id in PresetId::ALL {
            assert_eq!(id.preset().id, id, "PRESETS out of order at {id:?}");
        }
    }

    #[test]
    fn ids_round_trip_through_text_and_serde() {
        for id in PresetId::ALL {
            assert_eq!(PresetId::parse(id.as_str()), Some(id));
            let json = serde_json::to_string(&id).unwrap();
            assert_eq!(json, format!("\"{}\"", id.as_str()));
        }
        assert_eq!(PresetId::parse("OpenAI"), Some(PresetId::OpenAi));
        assert_eq!(PresetId::parse("llama-cpp"), Some(PresetId::LlamaCpp));
        assert_eq!(PresetId::parse("lm_studio"), Some(PresetId::LmStudio));
        assert_eq!(PresetId::parse("nope"), None);
    }

    #[test]
    fn anthropic_sends_browser_headers_and_local_servers_need_no_key() {
        let anthropic = PresetId::Anthropic.preset();
        assert!(anthropic
            .required_headers
            .contains(&("anthropic-dangerous-direct-browser-access", "true")));
        assert!(anthropic
            .required_headers
            .iter()
            .any(|(name, _)| *name == "anthropic-version"));
        for id in [
            PresetId::Ollama,
            PresetId::Vllm,
            PresetId::LmStudio,
            PresetId::LlamaCpp,
        ] {
            assert_eq!(id.preset().key, KeyRequirement::Optional, "{id:?}");
            assert!(
                id.preset()
                    .default_base_url
                    .starts_with("http://localhost:"),
                "{id:?}"
            );
        }
        assert_eq!(
            PresetId::Gemini.preset().default_base_url,
            "https://generativelanguage.googleapis.com/v1beta/openai/"
        );
        assert!(PresetId::Simulator.preset().simulated);
        assert_eq!(
            PresetId::Simulator.preset().default_base_url,
            "http://127.0.0.1:8788"
        );
    }
}
