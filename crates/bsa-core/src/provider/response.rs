//! [`ResponseReader`]: turns what the app's `fetch` received (a [`ResponseHead`] and body bytes)
//! into a [`Completion`] or a [`ProviderError`].
//!
//! Both wire formats are read leniently (unknown fields ignored, `content` as a string, `null`
//! or an array of text parts) but never silently: a 2xx body that is not the expected shape is a
//! retryable [`ProviderErrorKind::MalformedResponse`](super::ProviderErrorKind). The final
//! assembly ([`OpenAiParts::finish`], [`AnthropicParts::finish`]) is shared with the stream
//! accumulators, so a streamed and a non-streamed response with the same content give the same
//! `Completion`.

use super::completion::{Completion, FinishReason, ReasoningSource, ReasoningTrace, Usage};
use super::config::{ApiKey, ConfigError, ModelConfig};
use super::error::{classify_status, ProviderError};
use super::params::anthropic_thinking_is_summarized;
use super::preset::{PresetId, WireFormat};
use super::reasoning::{split_think_tags, TagKind, TagSplit};
use super::stream::StreamAccumulator;
use serde_json::Value;
use std::fmt;

/// Status line and headers of a response, as the app's `fetch` saw them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResponseHead {
    pub status: u16,
    /// Header names in any case; cross-origin responses show only exposed headers.
    pub headers: Vec<(String, String)>,
}

impl ResponseHead {
    pub fn new(status: u16, headers: Vec<(String, String)>) -> ResponseHead {
        ResponseHead { status, headers }
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Everything needed to read the responses of one configured endpoint.
///
/// Holds the key only to scrub it from error messages; `Debug` does not show it.
#[derive(Clone, PartialEq)]
pub struct ResponseReader {
    pub preset: PresetId,
    pub wire: WireFormat,
    /// The host called, for error messages.
    pub host: String,
    /// The model requested (decides, e.g., whether Claude thinking is a summary).
    pub model: String,
    /// Whether the request asked for a stream.
    pub streaming: bool,
    key: Option<ApiKey>,
}

impl fmt::Debug for ResponseReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseReader")
            .field("preset", &self.preset)
            .field("wire", &self.wire)
            .field("host", &self.host)
            .field("model", &self.model)
            .field("streaming", &self.streaming)
            .field("key", &self.key.as_ref().map(|_| "***"))
            .finish()
    }
}

impl ResponseReader {
    /// A reader for `config`'s responses (the request builder makes one for each call).
    pub fn new(config: &ModelConfig, key: Option<&ApiKey>) -> Result<ResponseReader, ConfigError> {
        let endpoint = config.validate()?;
        Ok(ResponseReader {
            preset: config.preset,
            wire: config.wire(),
            host: endpoint.host,
            model: config.model.trim().to_string(),
            streaming: config.parameters.stream,
            key: key.filter(|k| !k.is_empty()).cloned(),
        })
    }

    /// Reads a complete response. Works for streamed bodies too (read in full): the body is
    /// recognized as JSON or as an event stream by its first byte, whatever was requested.
    pub fn read(
        &self,
        head: &ResponseHead,
        body: &[u8],
        now_unix_ms: i64,
    ) -> Result<Completion, ProviderError> {
        if let Some(error) = self.error_for(head, body, now_unix_ms) {
            return Err(error);
        }
        let first = body.iter().find(|b| !b.is_ascii_whitespace()).copied();
        match first {
            None => Err(ProviderError::malformed(
                &self.host,
                head.status,
                "the body is empty",
            )),
            Some(b'{') | Some(b'[') => self.read_json(head.status, body),
            Some(_) => {
                let mut stream = self.stream(head.status);
                stream.push(body)?;
                stream.finish()
            }
        }
    }

    /// The error for a non-2xx response (`None` for 2xx). Call it with the body read in full
    /// before streaming, since error bodies are JSON, not events.
    pub fn error_for(
        &self,
        head: &ResponseHead,
        body: &[u8],
        now_unix_ms: i64,
    ) -> Option<ProviderError> {
        if head.is_success() {
            return None;
        }
        Some(classify_status(
            &self.host,
            head.status,
            &head.headers,
            body,
            now_unix_ms,
            self.key.as_ref(),
        ))
    }

    /// An accumulator for a 2xx streamed body.
    pub fn stream(&self, status: u16) -> StreamAccumulator {
        StreamAccumulator::new(self.clone(), status)
    }

    /// The error for a failed `fetch` (no response at all).
    pub fn network_error(&self, detail: &str) -> ProviderError {
        let error = ProviderError::network(&self.host, detail);
        match &self.key {
            Some(key) => error.scrub_key(key),
            None => error,
        }
    }

    /// The error for the app's own time-out.
    pub fn timeout(&self, after_ms: u64) -> ProviderError {
        ProviderError::timeout(&self.host, after_ms)
    }

    pub(crate) fn key(&self) -> Option<&ApiKey> {
        self.key.as_ref()
    }

    /// Whether text before a `</think>` with no opening tag counts as reasoning. Off for
    /// providers that never put reasoning in the content, so their answers stream without delay.
    pub(crate) fn orphan_close(&self) -> bool {
        // Hosted APIs either separate the reasoning (DeepSeek, OpenRouter, Groq parsed) or send
        // the opening tag (Groq raw, Gemini); self-hosted servers and R1 hosts may not.
        self.wire == WireFormat::OpenAiChat
            && matches!(
                self.preset,
                PresetId::Together
                    | PresetId::Fireworks
                    | PresetId::Ollama
                    | PresetId::Vllm
                    | PresetId::LmStudio
                    | PresetId::LlamaCpp
                    | PresetId::Custom
                    | PresetId::Simulator
            )
    }

    /// Whether this provider's traces are summaries rather than the raw reasoning.
    fn summarized(&self, source: ReasoningSource) -> bool {
        let lower = self.model.to_ascii_lowercase();
        match self.preset {
            PresetId::Gemini => true,
            _ if self.wire == WireFormat::AnthropicMessages => {
                source == ReasoningSource::ThinkingBlock
                    && anthropic_thinking_is_summarized(&self.model)
            }
            PresetId::OpenRouter if lower.starts_with("anthropic/") => {
                anthropic_thinking_is_summarized(&self.model)
            }
            PresetId::OpenRouter => lower.starts_with("google/"),
            _ => false,
        }
    }

    fn read_json(&self, status: u16, body: &[u8]) -> Result<Completion, ProviderError> {
        let json: Value = serde_json::from_slice(body).map_err(|e| {
            let detail = if e.is_eof() {
                format!("the body ended early, after {} bytes", body.len())
            } else {
                format!("invalid JSON: {e}")
            };
            ProviderError::malformed(&self.host, status, detail)
        })?;
        let error_object = json.get("error").is_some_and(|e| !e.is_null())
            || json.get("type").and_then(Value::as_str) == Some("error")
            || json.pointer("/0/error").is_some();
        if error_object {
            return Err(ProviderError::in_response(
                &self.host,
                status,
                &json,
                self.key(),
            ));
        }
        match self.wire {
            WireFormat::OpenAiChat => {
                let parts = OpenAiParts::from_response(&json)
                    .map_err(|problem| self.problem(status, &json, problem))?;
                Ok(parts.finish(self))
            }
            WireFormat::AnthropicMessages => {
                let parts = AnthropicParts::from_response(&json)
                    .map_err(|problem| self.problem(status, &json, problem))?;
                Ok(parts.finish(self))
            }
        }
    }

    /// A body without the expected fields: an error object if it carries one, else malformed.
    pub(crate) fn problem(&self, status: u16, json: &Value, problem: String) -> ProviderError {
        let has_error = json.get("error").is_some()
            || json.get("type").and_then(Value::as_str) == Some("error");
        if has_error {
            ProviderError::in_response(&self.host, status, json, self.key())
        } else {
            ProviderError::malformed(&self.host, status, problem)
        }
    }
}

/// Text of a JSON string field; `null` or absent is empty; another type is a problem.
fn text_field(parent: &Value, name: &str, at: &str) -> Result<String, String> {
    match parent.get(name) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        // Some servers send content as parts: [{"type": "text", "text": "..."}].
        Some(Value::Array(parts)) if name == "content" => Ok(parts
            .iter()
            .filter_map(|p| match p {
                Value::String(s) => Some(s.as_str()),
                _ => p.get("text").and_then(Value::as_str),
            })
            .collect()),
        Some(other) => Err(format!(
            "{at}.{name} is {}, expected text",
            type_name(other)
        )),
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn count(value: Option<&Value>) -> Option<u64> {
    value.and_then(Value::as_u64)
}

/// OpenRouter `reasoning_details`, accumulated.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ReasoningDetails {
    pub text: String,
    pub summarized: bool,
    pub redacted: bool,
}

impl ReasoningDetails {
    /// Adds one `reasoning_details` array (a whole message's, or one stream delta's). Returns the
    /// text it added.
    pub fn add(&mut self, details: &Value) -> String {
        let mut added = String::new();
        let Some(items) = details.as_array() else {
            return added;
        };
        for item in items {
            match item.get("type").and_then(Value::as_str) {
                Some("reasoning.text") => {
                    if let Some(text) = item.get("text").and_then(Value::as_str) {
                        added.push_str(text);
                    }
                }
                Some("reasoning.summary") => {
                    self.summarized = true;
                    if let Some(text) = item.get("summary").and_then(Value::as_str) {
                        added.push_str(text);
                    }
                }
                Some("reasoning.encrypted") => self.redacted = true,
                _ => {}
            }
        }
        self.text.push_str(&added);
        added
    }
}

/// The pieces of an OpenAI-format message, from a whole response or accumulated from a stream.
#[derive(Clone, Debug, Default)]
pub(crate) struct OpenAiParts {
    pub content: String,
    pub reasoning_content: String,
    pub reasoning: String,
    pub details: ReasoningDetails,
    pub refusal: String,
    pub usage: Usage,
    pub finish_reason: Option<FinishReason>,
    pub model: Option<String>,
    pub id: Option<String>,
}

impl OpenAiParts {
    fn from_response(json: &Value) -> Result<OpenAiParts, String> {
        let choices = match json.get("choices") {
            Some(Value::Array(choices)) => choices,
            Some(other) => {
                return Err(format!(
                    "choices is {}, expected an array",
                    type_name(other)
                ))
            }
            None => return Err("no choices field".into()),
        };
        let choice = choices
            .iter()
            .find(|c| c.get("index").and_then(Value::as_u64) == Some(0))
            .or_else(|| choices.first())
            .ok_or("choices is empty")?;
        let message = match choice.get("message") {
            Some(m @ Value::Object(_)) => m,
            _ => return Err("choices[0].message is missing".into()),
        };
        let at = "choices[0].message";
        let mut parts = OpenAiParts {
            content: text_field(message, "content", at)?,
            reasoning_content: text_field(message, "reasoning_content", at)?,
            reasoning: text_field(message, "reasoning", at)?,
            refusal: text_field(message, "refusal", at)?,
            ..OpenAiParts::default()
        };
        if let Some(details) = message.get("reasoning_details") {
            parts.details.add(details);
        }
        parts.absorb_envelope(json);
        if let Some(reason) = choice.get("finish_reason").and_then(Value::as_str) {
            parts.finish_reason = Some(FinishReason::parse(reason));
        }
        Ok(parts)
    }

    /// Model, id and usage from a response or stream chunk.
    pub fn absorb_envelope(&mut self, json: &Value) -> bool {
        if self.model.is_none() {
            self.model = json
                .get("model")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string);
        }
        if self.id.is_none() {
            self.id = json
                .get("id")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string);
        }
        // Groq puts stream usage under x_groq.
        let usage = json
            .get("usage")
            .filter(|u| u.is_object())
            .or_else(|| json.pointer("/x_groq/usage"));
        match usage {
            Some(usage) => {
                self.usage = openai_usage(usage);
                true
            }
            None => false,
        }
    }

    pub fn finish(self, reader: &ResponseReader) -> Completion {
        let split = split_think_tags(&self.content, reader.orphan_close());
        let mut answer = split.answer.trim().to_string();
        if answer.is_empty() {
            // A refusal through the structured-output field is still the model's answer.
            answer = self.refusal.trim().to_string();
        }
        let fields = [
            (
                ReasoningSource::ReasoningContent,
                self.reasoning_content.as_str(),
            ),
            (ReasoningSource::Reasoning, self.reasoning.as_str()),
            (
                ReasoningSource::ReasoningDetails,
                self.details.text.as_str(),
            ),
        ];
        let reasoning = pick_trace(
            reader,
            &fields,
            &split,
            self.details.summarized,
            self.details
                .redacted
                .then_some(ReasoningSource::ReasoningDetails),
        );
        Completion {
            answer,
            reasoning,
            usage: self.usage,
            finish_reason: self.finish_reason,
            model: self.model,
            response_id: self.id,
        }
    }
}

fn openai_usage(usage: &Value) -> Usage {
    Usage {
        input_tokens: count(usage.get("prompt_tokens")),
        output_tokens: count(usage.get("completion_tokens")),
        reasoning_tokens: count(usage.pointer("/completion_tokens_details/reasoning_tokens")),
        cached_input_tokens: count(usage.pointer("/prompt_tokens_details/cached_tokens"))
            // DeepSeek's name for it.
            .or_else(|| count(usage.get("prompt_cache_hit_tokens"))),
    }
}

/// The trace from the first non-blank field, else from think tags, else a redacted marker.
fn pick_trace(
    reader: &ResponseReader,
    fields: &[(ReasoningSource, &str)],
    split: &TagSplit,
    summarized: bool,
    redacted_source: Option<ReasoningSource>,
) -> Option<ReasoningTrace> {
    let redacted = redacted_source.is_some();
    let from_field = fields
        .iter()
        .find(|(_, text)| !text.trim().is_empty())
        .map(|(s, t)| (*s, t.trim().to_string()));
    let from_tags = || {
        let source = match split.kind? {
            TagKind::Closed => ReasoningSource::ThinkTag,
            TagKind::Unclosed => ReasoningSource::UnclosedThinkTag,
            TagKind::OrphanClose => ReasoningSource::OrphanCloseTag,
        };
        let text = split.reasoning.trim();
        (!text.is_empty()).then(|| (source, text.to_string()))
    };
    let (source, text) = match from_field.or_else(from_tags) {
        Some(found) => found,
        None => (redacted_source?, String::new()),
    };
    Some(ReasoningTrace {
        text,
        source,
        summarized: summarized || reader.summarized(source),
        redacted,
    })
}

/// An Anthropic content block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BlockKind {
    Text,
    Thinking,
    RedactedThinking,
    /// Tool use and anything newer: not part of the answer.
    Other,
}

impl BlockKind {
    pub fn of(type_name: Option<&str>) -> BlockKind {
        match type_name {
            Some("text") => BlockKind::Text,
            Some("thinking") => BlockKind::Thinking,
            Some("redacted_thinking") => BlockKind::RedactedThinking,
            _ => BlockKind::Other,
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Block {
    pub kind: BlockKind,
    pub text: String,
}

/// The pieces of an Anthropic message, from a whole response or accumulated from a stream.
#[derive(Clone, Debug, Default)]
pub(crate) struct AnthropicParts {
    /// By content-block index.
    pub blocks: Vec<Option<Block>>,
    pub input_tokens: Option<u64>,
    pub cache_read_tokens: Option<u64>,
    pub cache_creation_tokens: Option<u64>,
    pub output_tokens: Option<u64>,
    pub stop_reason: Option<FinishReason>,
    pub model: Option<String>,
    pub id: Option<String>,
}

impl AnthropicParts {
    fn from_response(json: &Value) -> Result<AnthropicParts, String> {
        if json.get("type").and_then(Value::as_str) == Some("error") {
            return Err("an error object".into());
        }
        let content = match json.get("content") {
            Some(Value::Array(content)) => content,
            Some(other) => {
                return Err(format!(
                    "content is {}, expected an array of blocks",
                    type_name(other)
                ))
            }
            None => return Err("no content field".into()),
        };
        let mut parts = AnthropicParts::default();
        for (index, block) in content.iter().enumerate() {
            let kind = BlockKind::of(block.get("type").and_then(Value::as_str));
            let at = format!("content[{index}]");
            let text = match kind {
                BlockKind::Text => text_field(block, "text", &at)?,
                BlockKind::Thinking => text_field(block, "thinking", &at)?,
                BlockKind::RedactedThinking | BlockKind::Other => String::new(),
            };
            parts.set_block(index, kind, text);
        }
        parts.absorb_message(json);
        if let Some(reason) = json.get("stop_reason").and_then(Value::as_str) {
            parts.stop_reason = Some(FinishReason::parse(reason));
        }
        Ok(parts)
    }

    pub fn set_block(&mut self, index: usize, kind: BlockKind, text: String) {
        // Indexes come from the server; cap them so a hostile value cannot allocate gigabytes.
        let index = index.min(4096);
        if self.blocks.len() <= index {
            self.blocks.resize(index + 1, None);
        }
        self.blocks[index] = Some(Block { kind, text });
    }

    /// Id, model and usage of a message object (`message_start.message`, or a whole response).
    pub fn absorb_message(&mut self, message: &Value) {
        if let Some(id) = message.get("id").and_then(Value::as_str) {
            self.id = Some(id.to_string());
        }
        if let Some(model) = message.get("model").and_then(Value::as_str) {
            self.model = Some(model.to_string());
        }
        if let Some(usage) = message.get("usage") {
            self.absorb_usage(usage);
        }
    }

    /// Usage counts; later values replace earlier ones (stream counts are cumulative).
    pub fn absorb_usage(&mut self, usage: &Value) {
        let set = |slot: &mut Option<u64>, name: &str| {
            if let Some(n) = count(usage.get(name)) {
                *slot = Some(n);
            }
        };
        set(&mut self.input_tokens, "input_tokens");
        set(&mut self.cache_read_tokens, "cache_read_input_tokens");
        set(
            &mut self.cache_creation_tokens,
            "cache_creation_input_tokens",
        );
        set(&mut self.output_tokens, "output_tokens");
    }

    /// Usage so far. Anthropic's `input_tokens` excludes cached tokens; they are added back so
    /// `input_tokens` means all prompt tokens for every provider.
    pub fn usage(&self) -> Usage {
        let input_tokens = match (
            self.input_tokens,
            self.cache_read_tokens,
            self.cache_creation_tokens,
        ) {
            (None, None, None) => None,
            (a, b, c) => Some(
                a.unwrap_or(0)
                    .saturating_add(b.unwrap_or(0))
                    .saturating_add(c.unwrap_or(0)),
            ),
        };
        Usage {
            input_tokens,
            output_tokens: self.output_tokens,
            reasoning_tokens: None,
            cached_input_tokens: self.cache_read_tokens,
        }
    }

    pub fn finish(self, reader: &ResponseReader) -> Completion {
        let mut text = String::new();
        let mut thinking: Vec<&str> = Vec::new();
        let mut redacted = false;
        for block in self.blocks.iter().flatten() {
            match block.kind {
                BlockKind::Text => text.push_str(&block.text),
                BlockKind::Thinking if !block.text.trim().is_empty() => {
                    thinking.push(block.text.trim())
                }
                BlockKind::RedactedThinking => redacted = true,
                _ => {}
            }
        }
        let thinking = thinking.join("\n\n");
        let split = split_think_tags(&text, false);
        let reasoning = pick_trace(
            reader,
            &[(ReasoningSource::ThinkingBlock, thinking.as_str())],
            &split,
            false,
            redacted.then_some(ReasoningSource::RedactedThinkingBlock),
        );
        Completion {
            answer: split.answer.trim().to_string(),
            reasoning,
            usage: self.usage(),
            finish_reason: self.stop_reason,
            model: self.model,
            response_id: self.id,
        }
    }
}
