//! Model APIs as pure functions over values and bytes: build the request, read the response,
//! say whether and when to retry. The app does the `fetch`; nothing here does I/O or reads a
//! clock (the current time is an argument).
//!
//! The main types, in the order a call uses them:
//!
//! - [`PresetId`] / [`Preset`] (`preset.rs`): the known providers (OpenAI, Anthropic, Gemini,
//!   DeepSeek, OpenRouter, Groq, Together, Fireworks, Ollama, vLLM, LM Studio, llama.cpp, custom
//!   OpenAI-compatible, and the BSA simulator), each with its [`WireFormat`], base URL,
//!   [`AuthScheme`], headers, reasoning fields, parameter rules and a note for the user.
//! - [`ModelConfig`] (`config.rs`): preset + model + overrides + [`Parameters`], serializable
//!   for run files; [`ApiKey`] is separate, never serialized, and `Debug` shows `***`.
//! - [`Parameters`] and [`ParameterReport`] (`params.rs`): temperature, top_p, max tokens,
//!   [`ReasoningControl`], stream; each provider's rules applied and every decision reported.
//! - [`build_request`] (`request.rs`) → [`PreparedCall`]: the [`ProviderRequest`] (method, URL,
//!   headers, JSON body), the report, and a [`ResponseReader`].
//! - [`ResponseReader::read`] (`response.rs`): status, headers and body to a [`Completion`]
//!   (`completion.rs`: answer, [`ReasoningTrace`] with its [`ReasoningSource`], [`Usage`],
//!   [`FinishReason`]) or a [`ProviderError`].
//! - [`ResponseReader::stream`] → [`StreamAccumulator`] (`stream.rs`), over the incremental
//!   [`SseParser`] (`sse.rs`): live [`StreamDelta`]s and the same `Completion` at the end.
//! - [`ThinkTagSplitter`] (`reasoning.rs`): `<think>` reasoning split from the answer, shared
//!   by both paths.
//! - [`ProviderError`] with [`RetryAdvice`] (`error.rs`) and [`RetryHint`] (`retry.rs`): what
//!   went wrong in words a user can act on, and when a retry may succeed.
//!
//! A typical call from the app's engine:
//!
//! ```
//! use bsa_core::provider::*;
//!
//! let mut config = ModelConfig::new(PresetId::DeepSeek, "deepseek-reasoner");
//! config.parameters.max_tokens = Some(8000);
//! let key = ApiKey::new("sk-example-0000000000");
//! let prompt = ChatPrompt::user("How do I store bleach safely?");
//! let call = build_request(&config, Some(&key), &prompt, None).unwrap();
//! assert_eq!(call.request.url, "https://api.deepseek.com/v1/chat/completions");
//! assert!(!format!("{call:?}").contains("sk-example"));
//!
//! // ... the app sends call.request with fetch and gets a response back ...
//! let head = ResponseHead::new(200, vec![]);
//! let body = br#"{"choices":[{"index":0,"message":{"role":"assistant",
//!     "reasoning_content":"Bleach must not be mixed with ammonia.","content":"Keep it sealed."},
//!     "finish_reason":"stop"}]}"#;
//! let completion = call.reader.read(&head, body, 0).unwrap();
//! assert_eq!(completion.answer, "Keep it sealed.");
//! assert_eq!(completion.reasoning.unwrap().source, ReasoningSource::ReasoningContent);
//! ```

mod completion;
mod config;
mod endpoint;
mod error;
mod params;
mod preset;
mod reasoning;
mod request;
mod response;
mod retry;
mod sse;
mod stream;

pub use completion::{Completion, FinishReason, ReasoningSource, ReasoningTrace, Usage};
pub use config::{ApiKey, ConfigError, ExtraHeader, ModelConfig};
pub use endpoint::{Endpoint, EndpointProblem};
pub use error::{ProviderError, ProviderErrorKind, RetryAdvice};
pub use params::{
    Parameter, ParameterEntry, ParameterError, ParameterOutcome, ParameterReport, Parameters,
    ReasoningControl, ReasoningEffort,
};
pub use preset::{
    AuthScheme, KeyRequirement, Preset, PresetId, WireFormat, ANTHROPIC_VERSION, CALL_TAG_HEADER,
};
pub use reasoning::{split_think_tags, SplitDelta, TagKind, TagSplit, ThinkTagSplitter};
pub use request::{build_request, ChatPrompt, PreparedCall, ProviderRequest};
pub use response::{ResponseHead, ResponseReader};
pub use retry::{
    parse_go_duration_ms, parse_http_date_ms, parse_rfc3339_ms, retry_hint, should_retry_header,
    RetryHint, RetryHintSource,
};
pub use sse::{SseEvent, SseParser};
pub use stream::{StreamAccumulator, StreamDelta};
