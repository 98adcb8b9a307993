//! [`StreamAccumulator`]: feeds a streamed body through the [`SseParser`] and the wire format's
//! event rules, yields [`StreamDelta`]s for live display, and at the end the same
//! [`Completion`] a non-streamed response would give.
//!
//! OpenAI format: `data:` chunks with `choices[0].delta` (`content`, `reasoning_content`,
//! `reasoning`, `reasoning_details`, `refusal`), `finish_reason`, usage in the last chunk (or
//! `x_groq.usage`), then `data: [DONE]`. Anthropic format: `message_start`,
//! `content_block_start` / `_delta` / `_stop`, `message_delta`, `message_stop`, `ping`, `error`.
//!
//! A stream that ends before `[DONE]` or `message_stop` (or at least a finish/stop reason) is a
//! retryable [`ProviderErrorKind::StreamCutOff`](super::ProviderErrorKind), never a truncated
//! success. A server that ignored `stream: true` and sent plain JSON is read as JSON.

use super::completion::{Completion, Usage};
use super::error::ProviderError;
use super::preset::WireFormat;
use super::reasoning::ThinkTagSplitter;
use super::response::{AnthropicParts, BlockKind, OpenAiParts, ResponseHead, ResponseReader};
use super::sse::{SseEvent, SseParser};
use serde_json::Value;

/// New text or counts from one chunk, for showing progress. The final [`Completion`] is
/// authoritative (it is trimmed; deltas are not).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StreamDelta {
    Answer(String),
    Reasoning(String),
    Usage(Usage),
}

/// Raw bytes kept while no event has been seen, to read a non-stream JSON body; beyond this the
/// body is surely not a JSON reply and keeping it would only use memory.
const RAW_LIMIT: usize = 16 * 1024 * 1024;

/// Incremental reader of one streamed response.
#[derive(Debug)]
pub struct StreamAccumulator {
    reader: ResponseReader,
    status: u16,
    sse: SseParser,
    wire: WireState,
    /// Splits think tags for the live deltas only; the final split is redone on the whole text.
    live: ThinkTagSplitter,
    events: u64,
    raw: Option<Vec<u8>>,
    failed: Option<ProviderError>,
}

#[derive(Debug)]
enum WireState {
    OpenAi {
        parts: OpenAiParts,
        done: bool,
        finished: bool,
    },
    Anthropic {
        parts: AnthropicParts,
        stopped: bool,
        stop_reason_seen: bool,
    },
}

impl StreamAccumulator {
    pub(crate) fn new(reader: ResponseReader, status: u16) -> StreamAccumulator {
        let wire = match reader.wire {
            WireFormat::OpenAiChat => WireState::OpenAi {
                parts: OpenAiParts::default(),
                done: false,
                finished: false,
            },
            WireFormat::AnthropicMessages => WireState::Anthropic {
                parts: AnthropicParts::default(),
                stopped: false,
                stop_reason_seen: false,
            },
        };
        let live = ThinkTagSplitter::new(reader.orphan_close());
        StreamAccumulator {
            reader,
            status,
            sse: SseParser::new(),
            wire,
            live,
            events: 0,
            raw: Some(Vec::new()),
            failed: None,
        }
    }

    /// Feeds a chunk of the body. An error (an `error` event, a broken event) is final: later
    /// calls return it again.
    pub fn push(&mut self, bytes: &[u8]) -> Result<Vec<StreamDelta>, ProviderError> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        if let Some(raw) = &mut self.raw {
            if raw.len() + bytes.len() <= RAW_LIMIT {
                raw.extend_from_slice(bytes);
            } else {
                self.raw = None;
            }
        }
        let events = self.sse.push(bytes);
        let mut deltas = Vec::new();
        for event in events {
            if let Err(error) = self.handle(&event, &mut deltas, false) {
                self.failed = Some(error.clone());
                return Err(error);
            }
        }
        Ok(deltas)
    }

    /// True once the end marker arrived; the app may stop reading.
    pub fn is_done(&self) -> bool {
        match &self.wire {
            WireState::OpenAi { done, .. } => *done,
            WireState::Anthropic { stopped, .. } => *stopped,
        }
    }

    /// True once the answer is known to be whole: the end marker, or a finish / stop reason
    /// arrived. Servers that omit `[DONE]` still end their streams this way; a cut after the
    /// finish reason can only lose the usage chunk.
    fn is_complete(&self) -> bool {
        match &self.wire {
            WireState::OpenAi { done, finished, .. } => *done || *finished,
            WireState::Anthropic {
                stopped,
                stop_reason_seen,
                ..
            } => *stopped || *stop_reason_seen,
        }
    }

    /// Ends the stream: the completion, or why there is none.
    pub fn finish(mut self) -> Result<Completion, ProviderError> {
        if let Some(error) = self.failed.take() {
            return Err(error);
        }
        let mut ignored = Vec::new();
        for event in self.sse.finish() {
            // An event completed only by the end of the stream was cut if it does not parse.
            self.handle(&event, &mut ignored, true)?;
        }
        if self.events == 0 {
            if let Some(raw) = self.raw.take() {
                if raw
                    .iter()
                    .find(|b| !b.is_ascii_whitespace())
                    .is_some_and(|b| *b == b'{' || *b == b'[')
                {
                    let head = ResponseHead::new(self.status, Vec::new());
                    return self.reader.read(&head, &raw, 0);
                }
            }
        }
        if !self.is_complete() {
            return Err(ProviderError::cut_off(
                &self.reader.host,
                self.status,
                self.sse.bytes_seen,
            ));
        }
        Ok(match self.wire {
            WireState::OpenAi { parts, .. } => parts.finish(&self.reader),
            WireState::Anthropic { parts, .. } => parts.finish(&self.reader),
        })
    }

    fn handle(
        &mut self,
        event: &SseEvent,
        deltas: &mut Vec<StreamDelta>,
        at_end: bool,
    ) -> Result<(), ProviderError> {
        self.events += 1;
        self.raw = None;
        let data = event.data.trim();
        if matches!(self.wire, WireState::OpenAi { .. }) && data == "[DONE]" {
            if let WireState::OpenAi { done, .. } = &mut self.wire {
                *done = true;
            }
            return Ok(());
        }
        if self.is_done() || data.is_empty() {
            return Ok(());
        }
        let json: Value = match serde_json::from_str(data) {
            Ok(json) => json,
            // A last event completed only by the end of the stream and not parseable was cut.
            // After a finish reason that only loses trailing metadata (usage), so it is dropped.
            Err(_) if at_end => {
                return if self.is_complete() {
                    Ok(())
                } else {
                    Err(ProviderError::cut_off(
                        &self.reader.host,
                        self.status,
                        self.sse.bytes_seen,
                    ))
                };
            }
            Err(e) => {
                return Err(ProviderError::malformed(
                    &self.reader.host,
                    self.status,
                    format!("a stream event is not JSON: {e}"),
                ))
            }
        };
        match &mut self.wire {
            WireState::OpenAi {
                parts, finished, ..
            } => {
                // OpenRouter reports mid-stream failures as a chunk with an `error` object and
                // finish_reason "error": the text so far is incomplete, not an answer.
                let error_finish = json
                    .pointer("/choices/0/finish_reason")
                    .and_then(Value::as_str)
                    == Some("error");
                if json.get("error").is_some_and(|e| !e.is_null()) || error_finish {
                    return Err(ProviderError::in_response(
                        &self.reader.host,
                        self.status,
                        &json,
                        self.reader.key(),
                    ));
                }
                openai_chunk(&json, parts, finished, &mut self.live, deltas)
            }
            WireState::Anthropic {
                parts,
                stopped,
                stop_reason_seen,
            } => {
                let kind = json
                    .get("type")
                    .and_then(Value::as_str)
                    .or(event.event.as_deref())
                    .unwrap_or("");
                if kind == "error" {
                    return Err(ProviderError::in_response(
                        &self.reader.host,
                        self.status,
                        &json,
                        self.reader.key(),
                    ));
                }
                anthropic_event(
                    kind,
                    &json,
                    parts,
                    stopped,
                    stop_reason_seen,
                    &mut self.live,
                    deltas,
                );
                Ok(())
            }
        }
    }
}

fn push_split(live: &mut ThinkTagSplitter, text: &str, deltas: &mut Vec<StreamDelta>) {
    let split = live.push(text);
    if !split.reasoning.is_empty() {
        deltas.push(StreamDelta::Reasoning(split.reasoning));
    }
    if !split.answer.is_empty() {
        deltas.push(StreamDelta::Answer(split.answer));
    }
}

fn openai_chunk(
    json: &Value,
    parts: &mut OpenAiParts,
    finished: &mut bool,
    live: &mut ThinkTagSplitter,
    deltas: &mut Vec<StreamDelta>,
) -> Result<(), ProviderError> {
    if parts.absorb_envelope(json) {
        deltas.push(StreamDelta::Usage(parts.usage));
    }
    let Some(choices) = json.get("choices").and_then(Value::as_array) else {
        return Ok(());
    };
    let Some(choice) = choices
        .iter()
        .find(|c| c.get("index").and_then(Value::as_u64).unwrap_or(0) == 0)
    else {
        return Ok(());
    };
    if let Some(delta) = choice.get("delta") {
        let text = |name: &str| delta.get(name).and_then(Value::as_str).unwrap_or("");
        // Live display shows the reasoning from the first field that has some; the final
        // completion picks by the same priority over the whole accumulated texts.
        let mut reasoning_shown = false;
        for (name, slot) in [
            ("reasoning_content", &mut parts.reasoning_content),
            ("reasoning", &mut parts.reasoning),
        ] {
            let piece = text(name);
            if !piece.is_empty() {
                slot.push_str(piece);
                if !reasoning_shown {
                    deltas.push(StreamDelta::Reasoning(piece.to_string()));
                    reasoning_shown = true;
                }
            }
        }
        if let Some(details) = delta.get("reasoning_details") {
            let added = parts.details.add(details);
            if !added.is_empty() && !reasoning_shown {
                deltas.push(StreamDelta::Reasoning(added));
            }
        }
        let content = match delta.get("content") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|p| p.get("text").and_then(Value::as_str))
                .collect(),
            _ => String::new(),
        };
        if !content.is_empty() {
            parts.content.push_str(&content);
            push_split(live, &content, deltas);
        }
        parts.refusal.push_str(text("refusal"));
    }
    if let Some(reason) = choice.get("finish_reason").and_then(Value::as_str) {
        parts.finish_reason = Some(super::completion::FinishReason::parse(reason));
        *finished = true;
    }
    Ok(())
}

fn anthropic_event(
    kind: &str,
    json: &Value,
    parts: &mut AnthropicParts,
    stopped: &mut bool,
    stop_reason_seen: &mut bool,
    live: &mut ThinkTagSplitter,
    deltas: &mut Vec<StreamDelta>,
) {
    let index = || json.get("index").and_then(Value::as_u64).unwrap_or(0) as usize;
    match kind {
        "message_start" => {
            if let Some(message) = json.get("message") {
                parts.absorb_message(message);
                deltas.push(StreamDelta::Usage(parts.usage()));
            }
        }
        "content_block_start" => {
            let block = json.get("content_block");
            let block_kind =
                BlockKind::of(block.and_then(|b| b.get("type")).and_then(Value::as_str));
            let initial = match block_kind {
                BlockKind::Text => block.and_then(|b| b.get("text")),
                BlockKind::Thinking => block.and_then(|b| b.get("thinking")),
                _ => None,
            }
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
            emit_block_text(block_kind, &initial, live, deltas);
            parts.set_block(index(), block_kind, initial);
        }
        "content_block_delta" => {
            let Some(delta) = json.get("delta") else {
                return;
            };
            let (block_kind, piece) = match delta.get("type").and_then(Value::as_str) {
                Some("text_delta") => (BlockKind::Text, delta.get("text")),
                Some("thinking_delta") => (BlockKind::Thinking, delta.get("thinking")),
                // Signatures, tool input and citations are not text of the answer or trace.
                _ => return,
            };
            let piece = piece.and_then(Value::as_str).unwrap_or("");
            let at = index().min(4096);
            match parts.blocks.get_mut(at).and_then(Option::as_mut) {
                Some(block) => block.text.push_str(piece),
                // A delta without its start: keep the text rather than lose it.
                None => parts.set_block(at, block_kind, piece.to_string()),
            }
            emit_block_text(block_kind, piece, live, deltas);
        }
        "message_delta" => {
            if let Some(reason) = json.pointer("/delta/stop_reason").and_then(Value::as_str) {
                parts.stop_reason = Some(super::completion::FinishReason::parse(reason));
                *stop_reason_seen = true;
            }
            if let Some(usage) = json.get("usage") {
                parts.absorb_usage(usage);
                deltas.push(StreamDelta::Usage(parts.usage()));
            }
        }
        "message_stop" => *stopped = true,
        // ping, content_block_stop and event types added later carry nothing we need.
        _ => {}
    }
}

fn emit_block_text(
    kind: BlockKind,
    text: &str,
    live: &mut ThinkTagSplitter,
    deltas: &mut Vec<StreamDelta>,
) {
    if text.is_empty() {
        return;
    }
    match kind {
        BlockKind::Text => push_split(live, text, deltas),
        BlockKind::Thinking => deltas.push(StreamDelta::Reasoning(text.to_string())),
        _ => {}
    }
}
