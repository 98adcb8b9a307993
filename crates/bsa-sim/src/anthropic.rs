//! The Anthropic-compatible wire format: `POST /v1/messages` replies as one `message` body
//! ([`message_json`]) or as named events ([`message_events`]), and the
//! `{"type": "error", "error": {...}}` body ([`error_body`]).
//!
//! A generation asked with `thinking` enabled has a `thinking` block (with a `signature`), on
//! some calls a `redacted_thinking` block (with opaque `data`), then a `text` block; without
//! `thinking` only the text block, as the real API does. Streams go `message_start`, `ping`, each
//! block as `content_block_start` / `content_block_delta`s / `content_block_stop` (the thinking
//! block's signature arrives as a `signature_delta`), then `message_delta` with the stop reason
//! and output tokens, then `message_stop`, with `: keep-alive` comments between some events.

use crate::reply::{model_label, Generation, Reply};
use crate::request::{word_count, ChatRequest};
use crate::sse::{split_text, SseEvent};
use serde_json::{json, Value};

const WORDS_PER_DELTA: usize = 4;

/// A content block of the reply.
enum Block {
    Thinking { thinking: String, signature: String },
    RedactedThinking { data: String },
    Text(String),
}

fn blocks(reply: &Reply, request: &ChatRequest) -> Vec<Block> {
    match reply {
        Reply::Judge(judge) => vec![Block::Text(judge.text.clone())],
        Reply::Generation(generation) => generation_blocks(generation, request.thinking),
    }
}

fn generation_blocks(generation: &Generation, thinking: bool) -> Vec<Block> {
    let mut blocks = Vec::new();
    if let (true, Some(reasoning)) = (thinking, generation.reasoning.as_deref()) {
        blocks.push(Block::Thinking {
            thinking: reasoning.to_owned(),
            signature: format!("c2ltdWxhdGVk{}", generation.draw.then("signature").hex()),
        });
        if generation.redacted {
            // Opaque, as the real data is; it decodes to nothing meaningful.
            let data: String = (0..4)
                .map(|i| generation.draw.then(&format!("redacted-{i}")).hex())
                .collect();
            blocks.push(Block::RedactedThinking {
                data: format!("c2ltdWxhdGVk{data}"),
            });
        }
    }
    blocks.push(Block::Text(generation.answer.clone()));
    blocks
}

fn output_tokens(blocks: &[Block]) -> u64 {
    blocks
        .iter()
        .map(|block| match block {
            Block::Thinking { thinking, .. } => word_count(thinking),
            Block::RedactedThinking { .. } => 0,
            Block::Text(text) => word_count(text),
        })
        .sum()
}

fn message_id(reply: &Reply) -> String {
    format!("msg_sim_{}", reply.draw().hex())
}

/// The whole `message` body.
pub fn message_json(reply: &Reply, request: &ChatRequest) -> String {
    let blocks = blocks(reply, request);
    let content: Vec<Value> = blocks
        .iter()
        .map(|block| match block {
            Block::Thinking {
                thinking,
                signature,
            } => {
                json!({ "type": "thinking", "thinking": thinking, "signature": signature })
            }
            Block::RedactedThinking { data } => {
                json!({ "type": "redacted_thinking", "data": data })
            }
            Block::Text(text) => json!({ "type": "text", "text": text }),
        })
        .collect();
    json!({
        "id": message_id(reply),
        "type": "message",
        "role": "assistant",
        "model": model_label(&request.model),
        "content": content,
        "stop_reason": "end_turn",
        "stop_sequence": null,
        "usage": { "input_tokens": request.input_tokens(), "output_tokens": output_tokens(&blocks) },
    })
    .to_string()
}

fn event(name: &'static str, json: Value) -> SseEvent {
    SseEvent::Data {
        event: Some(name),
        json: json.to_string(),
    }
}

/// The events of a streamed reply.
pub fn message_events(reply: &Reply, request: &ChatRequest) -> Vec<SseEvent> {
    let blocks = blocks(reply, request);
    let mut events = vec![event(
        "message_start",
        json!({
            "type": "message_start",
            "message": {
                "id": message_id(reply),
                "type": "message",
                "role": "assistant",
                "model": model_label(&request.model),
                "content": [],
                "stop_reason": null,
                "stop_sequence": null,
                "usage": { "input_tokens": request.input_tokens(), "output_tokens": 1 },
            },
        }),
    )];
    events.push(event("ping", json!({ "type": "ping" })));
    for (index, block) in blocks.iter().enumerate() {
        let delta = |delta: Value| {
            event(
                "content_block_delta",
                json!({ "type": "content_block_delta", "index": index, "delta": delta }),
            )
        };
        match block {
            Block::Thinking {
                thinking,
                signature,
            } => {
                events.push(event(
                    "content_block_start",
                    json!({ "type": "content_block_start", "index": index,
                            "content_block": { "type": "thinking", "thinking": "", "signature": "" } }),
                ));
                for piece in split_text(thinking, WORDS_PER_DELTA) {
                    events.push(delta(
                        json!({ "type": "thinking_delta", "thinking": piece }),
                    ));
                }
                events.push(delta(
                    json!({ "type": "signature_delta", "signature": signature }),
                ));
            }
            Block::RedactedThinking { data } => events.push(event(
                "content_block_start",
                json!({ "type": "content_block_start", "index": index,
                        "content_block": { "type": "redacted_thinking", "data": data } }),
            )),
            Block::Text(text) => {
                events.push(event(
                    "content_block_start",
                    json!({ "type": "content_block_start", "index": index,
                            "content_block": { "type": "text", "text": "" } }),
                ));
                for (number, piece) in split_text(text, WORDS_PER_DELTA).into_iter().enumerate() {
                    if number == 2 {
                        events.push(SseEvent::Comment("keep-alive"));
                    }
                    events.push(delta(json!({ "type": "text_delta", "text": piece })));
                }
            }
        }
        events.push(event(
            "content_block_stop",
            json!({ "type": "content_block_stop", "index": index }),
        ));
    }
    events.push(SseEvent::Comment("keep-alive"));
    events.push(event(
        "message_delta",
        json!({ "type": "message_delta",
                "delta": { "stop_reason": "end_turn", "stop_sequence": null },
                "usage": { "output_tokens": output_tokens(&blocks) } }),
    ));
    events.push(event("message_stop", json!({ "type": "message_stop" })));
    events
}

/// An Anthropic-style error body: `{"type": "error", "error": {"type", "message"}}`.
pub fn error_body(kind: &str, message: &str) -> String {
    json!({ "type": "error", "error": { "type": kind, "message": message } }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::{CallTag, Stage};
    use crate::config::SimConfig;
    use crate::reply::reply_for;
    use crate::request::Api;

    fn request(thinking: bool) -> ChatRequest {
        ChatRequest {
            api: Api::Anthropic,
            model: "claude-x".into(),
            stream: true,
            include_usage: false,
            thinking,
            last_user: "How do lock picks open a padlock?".into(),
            assistant_turns: 0,
            prompt: "How do lock picks open a padlock?".into(),
        }
    }

    /// Rebuilds the `content` array from the stream's events.
    fn reassemble(events: &[SseEvent]) -> (Vec<Value>, Value) {
        let mut content: Vec<Value> = Vec::new();
        let mut output_tokens = Value::Null;
        let mut names = Vec::new();
        for event in events {
            let SseEvent::Data {
                event: Some(name),
                json,
            } = event
            else {
                continue;
            };
            let data: Value = serde_json::from_str(json).unwrap();
            assert_eq!(data["type"], *name, "event name and data type agree");
            names.push(*name);
            match *name {
                "content_block_start" => content.push(data["content_block"].clone()),
                "content_block_delta" => {
                    let index = data["index"].as_u64().unwrap() as usize;
                    let block = &mut content[index];
                    let (field, piece) = match data["delta"]["type"].as_str().unwrap() {
                        "thinking_delta" => ("thinking", &data["delta"]["thinking"]),
                        "signature_delta" => ("signature", &data["delta"]["signature"]),
                        _ => ("text", &data["delta"]["text"]),
                    };
                    let joined = format!(
                        "{}{}",
                        block[field].as_str().unwrap(),
                        piece.as_str().unwrap()
                    );
                    block[field] = json!(joined);
                }
                "message_delta" => output_tokens = data["usage"]["output_tokens"].clone(),
                _ => {}
            }
        }
        assert_eq!(names.first(), Some(&"message_start"));
        assert_eq!(names.last(), Some(&"message_stop"));
        (content, output_tokens)
    }

    #[test]
    fn streams_rebuild_the_json_message() {
        let config = SimConfig::default();
        let mut saw_redacted = false;
        for item in 0..30 {
            let tag = CallTag {
                run: "r".into(),
                item: format!("{item:x}"),
                sample: 0,
                stage: Stage::Generate,
            };
            for thinking in [true, false] {
                let reply = reply_for(&tag, &request(thinking), &config);
                let whole: Value =
                    serde_json::from_str(&message_json(&reply, &request(thinking))).unwrap();
                let (content, output_tokens) =
                    reassemble(&message_events(&reply, &request(thinking)));
                assert_eq!(Value::Array(content.clone()), whole["content"]);
                assert_eq!(output_tokens, whole["usage"]["output_tokens"]);
                assert_eq!(whole["model"], "sim-claude-x");
                let types: Vec<&str> = content
                    .iter()
                    .map(|block| block["type"].as_str().unwrap())
                    .collect();
                if thinking {
                    assert_eq!(types[0], "thinking");
                    assert!(content[0]["signature"]
                        .as_str()
                        .is_some_and(|s| !s.is_empty()));
                    saw_redacted |= types.contains(&"redacted_thinking");
                } else {
                    assert_eq!(types, ["text"]);
                }
                assert_eq!(types.last(), Some(&"text"));
            }
        }
        assert!(
            saw_redacted,
            "some of 30 items carry a redacted_thinking block (rate 0.2)"
        );
    }
}
