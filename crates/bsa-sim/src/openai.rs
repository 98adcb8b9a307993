//! The OpenAI-compatible wire format: `POST /v1/chat/completions` replies as one JSON body
//! ([`completion_json`]) or as `chat.completion.chunk` events ([`completion_events`]), and the
//! `{"error": {...}}` body ([`error_body`]).
//!
//! A generation's reasoning trace travels in the [`ReasoningFormat`] drawn for the call. Streams
//! start with a role delta, send the trace and then the content in deltas of a few words, end
//! with a delta carrying `finish_reason`, then (with `stream_options.include_usage`) a chunk with
//! empty `choices` and the usage, then `data: [DONE]`; every chunk carries `"usage": null` when
//! usage was asked for, as OpenAI's do. Ids and `created` are fixed per call so a repeated call
//! gets a byte-identical body.

use crate::config::ReasoningFormat;
use crate::reply::{model_label, Reply};
use crate::request::{word_count, ChatRequest};
use crate::sse::{split_text, SseEvent};
use serde_json::{json, Map, Value};

/// `created` of every simulated completion: 2026-01-01T00:00:00Z. A constant keeps bodies
/// identical across calls, which the determinism tests rely on.
pub const CREATED: u64 = 1_767_225_600;

/// Words per streamed delta.
const WORDS_PER_DELTA: usize = 4;

/// The assistant message as this endpoint sends it.
struct Message {
    content: String,
    /// The trace when it travels in a field of its own (not inside `content`).
    reasoning_field: Option<(ReasoningFormat, String)>,
    finish_reason: &'static str,
    completion_tokens: u64,
    reasoning_tokens: u64,
}

fn message(reply: &Reply) -> Message {
    match reply {
        Reply::Judge(judge) => Message {
            content: judge.text.clone(),
            reasoning_field: None,
            finish_reason: "stop",
            completion_tokens: word_count(&judge.text),
            reasoning_tokens: 0,
        },
        Reply::Generation(generation) => {
            let answer = generation.answer.as_str();
            let (Some(format), Some(reasoning)) =
                (generation.format, generation.reasoning.as_deref())
            else {
                return Message {
                    content: answer.to_owned(),
                    reasoning_field: None,
                    finish_reason: "stop",
                    completion_tokens: word_count(answer),
                    reasoning_tokens: 0,
                };
            };
            let reasoning_tokens = word_count(reasoning);
            let (content, reasoning_field, finish_reason, answer_tokens) = match format {
                ReasoningFormat::ThinkTags => (
                    format!("<think>\n{reasoning}\n</think>\n\n{answer}"),
                    None,
                    "stop",
                    word_count(answer),
                ),
                // The trace ran into the output limit: no closing tag, no answer.
                ReasoningFormat::UnclosedThink => {
                    (format!("<think>\n{reasoning}"), None, "length", 0)
                }
                field => (
                    answer.to_owned(),
                    Some((field, reasoning.to_owned())),
                    "stop",
                    word_count(answer),
                ),
            };
            Message {
                content,
                reasoning_field,
                finish_reason,
                completion_tokens: reasoning_tokens + answer_tokens,
                reasoning_tokens,
            }
        }
    }
}

/// The JSON value of a trace in its field, as a (field name, value) pair.
fn reasoning_value(format: ReasoningFormat, text: &str) -> (&'static str, Value) {
    match format {
        ReasoningFormat::ReasoningDetails => (
            "reasoning_details",
            json!([{ "type": "reasoning.text", "text": text }]),
        ),
        ReasoningFormat::Reasoning => ("reasoning", json!(text)),
        // Content formats never reach here; reasoning_content is the default field.
        _ => ("reasoning_content", json!(text)),
    }
}

fn usage(request: &ChatRequest, message: &Message) -> Value {
    let prompt = request.input_tokens();
    json!({
        "prompt_tokens": prompt,
        "completion_tokens": message.completion_tokens,
        "total_tokens": prompt + message.completion_tokens,
        "completion_tokens_details": { "reasoning_tokens": message.reasoning_tokens },
    })
}

fn completion_id(reply: &Reply) -> String {
    format!("chatcmpl-sim-{}", reply.draw().hex())
}

/// The whole `chat.completion` body.
pub fn completion_json(reply: &Reply, request: &ChatRequest) -> String {
    let message = message(reply);
    let mut body = Map::new();
    body.insert("role".into(), json!("assistant"));
    body.insert("content".into(), json!(message.content));
    if let Some((format, text)) = &message.reasoning_field {
        let (field, value) = reasoning_value(*format, text);
        body.insert(field.into(), value);
    }
    json!({
        "id": completion_id(reply),
        "object": "chat.completion",
        "created": CREATED,
        "model": model_label(&request.model),
        "system_fingerprint": "bsa-sim",
        "choices": [{
            "index": 0,
            "message": Value::Object(body),
            "logprobs": null,
            "finish_reason": message.finish_reason,
        }],
        "usage": usage(request, &message),
    })
    .to_string()
}

/// The events of a streamed reply, `[DONE]` included.
pub fn completion_events(reply: &Reply, request: &ChatRequest) -> Vec<SseEvent> {
    let message = message(reply);
    let id = completion_id(reply);
    let model = model_label(&request.model);
    let chunk = |delta: Value, finish_reason: Option<&str>| -> SseEvent {
        let mut chunk = json!({
            "id": id,
            "object": "chat.completion.chunk",
            "created": CREATED,
            "model": model,
            "system_fingerprint": "bsa-sim",
            "choices": [{ "index": 0, "delta": delta, "logprobs": null, "finish_reason": finish_reason }],
        });
        if request.include_usage {
            chunk["usage"] = Value::Null;
        }
        SseEvent::Data {
            event: None,
            json: chunk.to_string(),
        }
    };

    let mut deltas = Vec::new();
    if let Some((format, text)) = &message.reasoning_field {
        for piece in split_text(text, WORDS_PER_DELTA) {
            let (field, value) = reasoning_value(*format, &piece);
            deltas.push(json!({ field: value }));
        }
    }
    for piece in split_text(&message.content, WORDS_PER_DELTA) {
        deltas.push(json!({ "content": piece }));
    }

    let mut events = vec![chunk(json!({ "role": "assistant", "content": "" }), None)];
    events.push(SseEvent::Comment("keep-alive"));
    let middle = deltas.len() / 2;
    for (index, delta) in deltas.into_iter().enumerate() {
        if index == middle && index > 0 {
            events.push(SseEvent::Comment("keep-alive"));
        }
        events.push(chunk(delta, None));
    }
    events.push(chunk(json!({}), Some(message.finish_reason)));
    if request.include_usage {
        let usage_chunk = json!({
            "id": id,
            "object": "chat.completion.chunk",
            "created": CREATED,
            "model": model,
            "system_fingerprint": "bsa-sim",
            "choices": [],
            "usage": usage(request, &message),
        });
        events.push(SseEvent::Data {
            event: None,
            json: usage_chunk.to_string(),
        });
    }
    events.push(SseEvent::Done);
    events
}

/// An OpenAI-style error body: `{"error": {"message", "type", "param", "code"}}`.
pub fn error_body(kind: &str, code: Option<&str>, param: Option<&str>, message: &str) -> String {
    json!({ "error": { "message": message, "type": kind, "param": param, "code": code } })
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::{CallTag, Stage};
    use crate::config::{ReasoningMode, SimConfig};
    use crate::reply::reply_for;
    use crate::request::Api;

    fn request(include_usage: bool) -> ChatRequest {
        ChatRequest {
            api: Api::OpenAi,
            model: "sim-reasoner".into(),
            stream: true,
            include_usage,
            thinking: false,
            last_user: "How are fireworks made at home?".into(),
            assistant_turns: 0,
            prompt: "How are fireworks made at home?".into(),
        }
    }

    fn generation(format: ReasoningFormat) -> Reply {
        let config = SimConfig {
            reasoning: ReasoningMode::Fixed(format),
            ..SimConfig::default()
        };
        let tag = CallTag {
            run: "r".into(),
            item: "ab".into(),
            sample: 0,
            stage: Stage::Generate,
        };
        reply_for(&tag, &request(true), &config)
    }

    /// Joins every delta of a stream back into a message shaped like the JSON reply's.
    fn reassemble(events: &[SseEvent]) -> (Value, Value) {
        let mut content = String::new();
        let mut reasoning: Option<(String, String)> = None;
        let mut finish = Value::Null;
        let mut usage = Value::Null;
        for event in events {
            let SseEvent::Data { json, .. } = event else {
                continue;
            };
            let chunk: Value = serde_json::from_str(json).unwrap();
            if !chunk["usage"].is_null() {
                usage = chunk["usage"].clone();
            }
            let Some(choice) = chunk["choices"].get(0) else {
                continue;
            };
            if !choice["finish_reason"].is_null() {
                finish = choice["finish_reason"].clone();
            }
            for (field, value) in choice["delta"].as_object().unwrap() {
                match field.as_str() {
                    "content" => content.push_str(value.as_str().unwrap()),
                    "reasoning" | "reasoning_content" => reasoning
                        .get_or_insert((field.clone(), String::new()))
                        .1
                        .push_str(value.as_str().unwrap()),
                    "reasoning_details" => reasoning
                        .get_or_insert((field.clone(), String::new()))
                        .1
                        .push_str(value[0]["text"].as_str().unwrap()),
                    _ => {}
                }
            }
        }
        let mut message = json!({ "role": "assistant", "content": content });
        if let Some((field, text)) = reasoning {
            message[field.as_str()] = if field == "reasoning_details" {
                json!([{ "type": "reasoning.text", "text": text }])
            } else {
                json!(text)
            };
        }
        (
            json!({ "message": message, "finish_reason": finish }),
            usage,
        )
    }

    #[test]
    fn streams_reassemble_to_the_json_reply_in_every_format() {
        for format in ReasoningFormat::ALL {
            let reply = generation(format);
            let whole: Value =
                serde_json::from_str(&completion_json(&reply, &request(true))).unwrap();
            let events = completion_events(&reply, &request(true));
            assert_eq!(events.last(), Some(&SseEvent::Done));
            let (choice, usage) = reassemble(&events);
            assert_eq!(
                choice["message"], whole["choices"][0]["message"],
                "{format:?}"
            );
            assert_eq!(
                choice["finish_reason"],
                whole["choices"][0]["finish_reason"]
            );
            assert_eq!(usage, whole["usage"]);
        }
    }

    #[test]
    fn reasoning_lands_where_each_format_says() {
        let field = |format| {
            let whole: Value =
                serde_json::from_str(&completion_json(&generation(format), &request(false)))
                    .unwrap();
            whole["choices"][0]["message"].clone()
        };
        assert!(
            field(ReasoningFormat::ReasoningContent)["reasoning_content"]
                .as_str()
                .unwrap()
                .starts_with("[simulated]")
        );
        assert!(field(ReasoningFormat::Reasoning)["reasoning"].is_string());
        assert_eq!(
            field(ReasoningFormat::ReasoningDetails)["reasoning_details"][0]["type"],
            "reasoning.text"
        );
        let think = field(ReasoningFormat::ThinkTags);
        let content = think["content"].as_str().unwrap();
        assert!(
            content.starts_with("<think>\n[simulated]")
                && content.contains("</think>\n\n[simulated]")
        );
        let unclosed = field(ReasoningFormat::UnclosedThink);
        assert!(unclosed["content"].as_str().unwrap().starts_with("<think>"));
        assert!(!unclosed["content"].as_str().unwrap().contains("</think>"));
    }

    #[test]
    fn usage_counts_words_and_reasoning() {
        let reply = generation(ReasoningFormat::ReasoningContent);
        let Reply::Generation(generation) = &reply else {
            unreachable!()
        };
        let whole: Value = serde_json::from_str(&completion_json(&reply, &request(false))).unwrap();
        let reasoning_words = generation
            .reasoning
            .as_deref()
            .unwrap()
            .split_whitespace()
            .count() as u64;
        let answer_words = generation.answer.split_whitespace().count() as u64;
        assert_eq!(whole["usage"]["prompt_tokens"], 6); // "How are fireworks made at home?"
        assert_eq!(
            whole["usage"]["completion_tokens"],
            reasoning_words + answer_words
        );
        assert_eq!(
            whole["usage"]["completion_tokens_details"]["reasoning_tokens"],
            reasoning_words
        );
        assert_eq!(
            whole["usage"]["total_tokens"],
            6 + reasoning_words + answer_words
        );
    }
}
