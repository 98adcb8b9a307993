//! What one model call produced: [`Completion`] with its answer, its [`ReasoningTrace`] (if the
//! model returned one), [`Usage`] and [`FinishReason`].
//!
//! Streaming and non-streaming responses end in the same `Completion`, built by the same
//! assembly code (`response.rs`), so a run's results do not depend on how they were fetched.

use serde::{Deserialize, Serialize};
use std::fmt;

/// One model answer, ready for the judges.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Completion {
    /// The final answer, without any reasoning text or think tags, trimmed. Empty when the model
    /// spent its whole output budget on reasoning (see [`Completion::finish_reason`]).
    pub answer: String,
    /// The reasoning trace, or `None` when the model returned none (BSA Studio then reports
    /// Think metrics as "not available", never as 0).
    pub reasoning: Option<ReasoningTrace>,
    pub usage: Usage,
    /// Why generation stopped, normalized across wire formats (`None` if the server did not say).
    pub finish_reason: Option<FinishReason>,
    /// The model that answered, as the server names it (may differ from the requested alias).
    pub model: Option<String>,
    /// The server's id for this response, for cross-checking with provider logs.
    pub response_id: Option<String>,
}

/// A reasoning trace and where it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasoningTrace {
    /// The trace text, trimmed. Empty only when every block was redacted.
    pub text: String,
    pub source: ReasoningSource,
    /// The provider returns a summary of the reasoning, not the raw chain of thought (Claude 4
    /// thinking, Gemini thought summaries, OpenRouter `reasoning.summary` details). The judge
    /// grades what it is shown; the app says so next to Think metrics.
    pub summarized: bool,
    /// Some or all of the reasoning was withheld (Anthropic `redacted_thinking`, OpenRouter
    /// `reasoning.encrypted`): the text is incomplete.
    pub redacted: bool,
}

/// Where a reasoning trace was found in the response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasoningSource {
    /// `message.reasoning_content` / `delta.reasoning_content` (DeepSeek, llama.cpp, LM Studio,
    /// Fireworks, older vLLM).
    ReasoningContent,
    /// `message.reasoning` / `delta.reasoning` (OpenRouter, Groq `parsed`, Ollama, vLLM).
    Reasoning,
    /// `message.reasoning_details` / `delta.reasoning_details` (OpenRouter).
    ReasoningDetails,
    /// A closed `<think>…</think>` (or `<thinking>`, `<thought>`) block in the content.
    ThinkTag,
    /// A `<think>` block in the content that is never closed: output stopped mid-reasoning.
    UnclosedThinkTag,
    /// Content with a closing `</think>` and no opening tag: some R1 deployments put the opening
    /// tag in the prompt template, so the reply starts inside the reasoning.
    OrphanCloseTag,
    /// Anthropic `thinking` content blocks.
    ThinkingBlock,
    /// Only Anthropic `redacted_thinking` blocks: the reasoning exists but is encrypted.
    RedactedThinkingBlock,
}

impl ReasoningSource {
    /// The name used in exports and the UI (`reasoning_content`, `think_tag`, ...).
    pub fn name(self) -> &'static str {
        match self {
            ReasoningSource::ReasoningContent => "reasoning_content",
            ReasoningSource::Reasoning => "reasoning",
            ReasoningSource::ReasoningDetails => "reasoning_details",
            ReasoningSource::ThinkTag => "think_tag",
            ReasoningSource::UnclosedThinkTag => "unclosed_think_tag",
            ReasoningSource::OrphanCloseTag => "orphan_close_tag",
            ReasoningSource::ThinkingBlock => "thinking_block",
            ReasoningSource::RedactedThinkingBlock => "redacted_thinking_block",
        }
    }
}

impl fmt::Display for ReasoningSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Token counts as the provider reported them; `None` where it reported nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    /// All prompt tokens, cached ones included (Anthropic's `input_tokens` plus its cache read
    /// and cache creation tokens, so the number means the same for every provider).
    pub input_tokens: Option<u64>,
    /// All generated tokens, reasoning included.
    pub output_tokens: Option<u64>,
    /// The part of `output_tokens` spent on reasoning, where reported separately
    /// (`completion_tokens_details.reasoning_tokens`; Anthropic reports none).
    pub reasoning_tokens: Option<u64>,
    /// The part of `input_tokens` served from the provider's prompt cache.
    pub cached_input_tokens: Option<u64>,
}

impl Usage {
    /// Input plus output tokens, when both are known.
    pub fn total_tokens(&self) -> Option<u64> {
        Some(self.input_tokens?.saturating_add(self.output_tokens?))
    }

    /// True when the provider reported no counts at all.
    pub fn is_empty(&self) -> bool {
        *self == Usage::default()
    }
}

/// Why generation stopped.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum FinishReason {
    /// Natural end (`stop`, `end_turn`, `stop_sequence`).
    Stop,
    /// The output limit was reached (`length`, `max_tokens`): the answer may be cut or empty.
    Length,
    /// The provider's content filter stopped the output (`content_filter`).
    ContentFilter,
    /// The provider's refusal classifier stopped the output (Anthropic `refusal`).
    Refusal,
    /// The model asked to call a tool (`tool_calls`, `tool_use`); BSA sends no tools.
    ToolCalls,
    /// Anything else, verbatim.
    Other(String),
}

impl FinishReason {
    /// Reads both wire formats' spellings.
    pub fn parse(raw: &str) -> FinishReason {
        match raw {
            "stop" | "end_turn" | "stop_sequence" | "eos" => FinishReason::Stop,
            "length" | "max_tokens" | "model_length" => FinishReason::Length,
            "content_filter" => FinishReason::ContentFilter,
            "refusal" => FinishReason::Refusal,
            "tool_calls" | "tool_use" | "function_call" => FinishReason::ToolCalls,
            other => FinishReason::Other(other.to_string()),
        }
    }

    /// The normalized name (`stop`, `length`, ...), or the raw text for [`FinishReason::Other`].
    pub fn as_str(&self) -> &str {
        match self {
            FinishReason::Stop => "stop",
            FinishReason::Length => "length",
            FinishReason::ContentFilter => "content_filter",
            FinishReason::Refusal => "refusal",
            FinishReason::ToolCalls => "tool_calls",
            FinishReason::Other(raw) => raw,
        }
    }
}

impl From<String> for FinishReason {
    fn from(raw: String) -> FinishReason {
        FinishReason::parse(&raw)
    }
}

impl From<FinishReason> for String {
    fn from(reason: FinishReason) -> String {
        reason.as_str().to_string()
    }
}

impl fmt::Display for FinishReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finish_reasons_of_both_formats_normalize() {
        assert_eq!(FinishReason::parse("end_turn"), FinishReason::Stop);
        assert_eq!(FinishReason::parse("max_tokens"), FinishReason::Length);
        assert_eq!(FinishReason::parse("length"), FinishReason::Length);
        assert_eq!(
            FinishReason::parse("pause_turn"),
            FinishReason::Other("pause_turn".into())
        );
        let json = serde_json::to_string(&FinishReason::ContentFilter).unwrap();
        assert_eq!(json, "\"content_filter\"");
        let back: FinishReason = serde_json::from_str("\"tool_use\"").unwrap();
        assert_eq!(back, FinishReason::ToolCalls);
    }

    #[test]
    fn total_needs_both_counts() {
        let usage = Usage {
            input_tokens: Some(10),
            output_tokens: Some(5),
            ..Usage::default()
        };
        assert_eq!(usage.total_tokens(), Some(15));
        let usage = Usage {
            input_tokens: Some(10),
            ..Usage::default()
        };
        assert_eq!(usage.total_tokens(), None);
        assert!(Usage::default().is_empty());
    }
}
