//! Reading a model request: [`ChatRequest`] from an OpenAI chat-completions body or an
//! Anthropic messages body ([`Api`]).
//!
//! Only what the simulator needs is kept: model, streaming options, whether Anthropic extended
//! thinking was asked for, the last user message, how many assistant turns came before it (a
//! judge's earlier replies, on a re-ask) and the whole prompt text. Every refusal is a
//! [`RequestError`] that names where in the body the problem is (`messages[2].content`) and what
//! was expected, and becomes a 400 in the provider's error shape.

use serde_json::Value;
use std::fmt;

/// Which wire protocol a request came in on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Api {
    /// `POST /v1/chat/completions`.
    OpenAi,
    /// `POST /v1/messages`.
    Anthropic,
}

/// The parts of a chat request the simulator reads.
#[derive(Clone, Debug, PartialEq)]
pub struct ChatRequest {
    pub api: Api,
    pub model: String,
    pub stream: bool,
    /// OpenAI `stream_options.include_usage`: send a final usage chunk.
    pub include_usage: bool,
    /// Anthropic `thinking.type` is `enabled` or `adaptive`: answer with thinking blocks.
    pub thinking: bool,
    /// Text of the last message with role `user`.
    pub last_user: String,
    /// Messages with role `assistant`: earlier replies the client sends back. BSA Studio
    /// re-asks a judge whose reply had no verdict by adding that reply and a follow-up, so for
    /// a judge call this is how many times it was asked before.
    pub assistant_turns: u32,
    /// System prompt and every message's text, one per line: for stage and scenario detection.
    pub prompt: String,
}

impl ChatRequest {
    /// Prompt size for `usage`: words stand in for tokens.
    pub fn input_tokens(&self) -> u64 {
        word_count(&self.prompt)
    }
}

/// Number of whitespace-separated words: the simulator's token count.
pub fn word_count(text: &str) -> u64 {
    text.split_whitespace().count() as u64
}

/// A request body that cannot be served, with where and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestError {
    /// A JSON path into the body (`messages[0].content`), or `body`.
    pub location: String,
    pub message: String,
    /// The OpenAI-style `code` of the error (`invalid_json`, `invalid_value`, `missing_field`).
    pub code: &'static str,
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl std::error::Error for RequestError {}

fn invalid(location: impl Into<String>, message: impl Into<String>) -> RequestError {
    RequestError {
        location: location.into(),
        message: message.into(),
        code: "invalid_value",
    }
}

fn missing(location: &str, expected: &str) -> RequestError {
    RequestError {
        location: location.to_owned(),
        message: format!("missing; expected {expected}"),
        code: "missing_field",
    }
}

/// What kind of JSON value this is, for "expected X, got Y" messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn parse_object(body: &[u8]) -> Result<serde_json::Map<String, Value>, RequestError> {
    let value: Value = serde_json::from_slice(body).map_err(|error| RequestError {
        location: "body".to_owned(),
        message: format!("not valid JSON ({error})"),
        code: "invalid_json",
    })?;
    match value {
        Value::Object(map) => Ok(map),
        other => Err(invalid(
            "body",
            format!("expected a JSON object, got {}", kind(&other)),
        )),
    }
}

fn optional_bool(
    map: &serde_json::Map<String, Value>,
    field: &str,
    location: &str,
) -> Result<bool, RequestError> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(flag)) => Ok(*flag),
        Some(other) => Err(invalid(
            location,
            format!("expected a boolean, got {}", kind(other)),
        )),
    }
}

fn required_model(map: &serde_json::Map<String, Value>) -> Result<String, RequestError> {
    match map.get("model") {
        Some(Value::String(model)) if !model.trim().is_empty() => Ok(model.clone()),
        Some(Value::String(_)) => Err(invalid(
            "model",
            "expected a model name, got an empty string",
        )),
        Some(other) => Err(invalid(
            "model",
            format!("expected a string, got {}", kind(other)),
        )),
        None => Err(missing("model", "a model name such as \"sim-reasoner\"")),
    }
}

/// Text of a message `content`: a string, or an array of parts whose `text` parts are joined.
/// Non-text parts (images, tool results) are skipped: the simulator has nothing to say on them.
fn content_text(content: &Value, location: &str) -> Result<String, RequestError> {
    match content {
        Value::String(text) => Ok(text.clone()),
        Value::Null => Ok(String::new()),
        Value::Array(parts) => {
            let mut texts = Vec::new();
            for (index, part) in parts.iter().enumerate() {
                let part_location = format!("{location}[{index}]");
                let Value::Object(part) = part else {
                    return Err(invalid(
                        part_location,
                        format!("expected a content part object, got {}", kind(part)),
                    ));
                };
                match (part.get("type"), part.get("text")) {
                    (Some(Value::String(kind_name)), Some(Value::String(text)))
                        if kind_name == "text" =>
                    {
                        texts.push(text.as_str())
                    }
                    (Some(Value::String(kind_name)), other) if kind_name == "text" => {
                        return Err(invalid(
                            format!("{part_location}.text"),
                            format!(
                                "expected a string, got {}",
                                other.map(kind).unwrap_or("nothing")
                            ),
                        ))
                    }
                    (Some(Value::String(_)), _) => {}
                    _ => {
                        return Err(invalid(
                            format!("{part_location}.type"),
                            "expected a string such as \"text\"",
                        ))
                    }
                }
            }
            Ok(texts.join("\n"))
        }
        other => Err(invalid(
            location,
            format!(
                "expected a string or an array of content parts, got {}",
                kind(other)
            ),
        )),
    }
}

/// Reads `messages`, returning (prompt lines, last user text).
fn read_messages(
    map: &serde_json::Map<String, Value>,
    roles: &[&str],
) -> Result<(Vec<String>, String, u32), RequestError> {
    let messages = match map.get("messages") {
        Some(Value::Array(messages)) if !messages.is_empty() => messages,
        Some(Value::Array(_)) => {
            return Err(invalid(
                "messages",
                "expected at least one message, got an empty array",
            ))
        }
        Some(other) => {
            return Err(invalid(
                "messages",
                format!("expected an array, got {}", kind(other)),
            ))
        }
        None => {
            return Err(missing(
                "messages",
                "an array of {\"role\", \"content\"} objects",
            ))
        }
    };
    let mut lines = Vec::with_capacity(messages.len());
    let mut last_user = None;
    let mut assistant_turns = 0u32;
    for (index, message) in messages.iter().enumerate() {
        let location = format!("messages[{index}]");
        let Value::Object(message) = message else {
            return Err(invalid(
                location,
                format!("expected an object, got {}", kind(message)),
            ));
        };
        let role = match message.get("role") {
            Some(Value::String(role)) if roles.contains(&role.as_str()) => role.as_str(),
            Some(Value::String(role)) => {
                return Err(invalid(
                    format!("{location}.role"),
                    format!("expected one of {}, got {role:?}", roles.join(", ")),
                ))
            }
            Some(other) => {
                return Err(invalid(
                    format!("{location}.role"),
                    format!("expected a string, got {}", kind(other)),
                ))
            }
            None => {
                return Err(missing(
                    &format!("{location}.role"),
                    roles.join(" or ").as_str(),
                ))
            }
        };
        let content_location = format!("{location}.content");
        let text = match message.get("content") {
            Some(content) => content_text(content, &content_location)?,
            None => {
                return Err(missing(
                    &content_location,
                    "a string or an array of content parts",
                ))
            }
        };
        match role {
            "user" => last_user = Some(text.clone()),
            "assistant" => assistant_turns = assistant_turns.saturating_add(1),
            _ => {}
        }
        lines.push(text);
    }
    let last_user = last_user.ok_or_else(|| {
        invalid(
            "messages",
            "expected at least one message with role \"user\"",
        )
    })?;
    Ok((lines, last_user, assistant_turns))
}

/// Reads a `POST /v1/chat/completions` body.
pub fn parse_openai(body: &[u8]) -> Result<ChatRequest, RequestError> {
    let map = parse_object(body)?;
    let model = required_model(&map)?;
    let (lines, last_user, assistant_turns) =
        read_messages(&map, &["system", "developer", "user", "assistant", "tool"])?;
    let stream = optional_bool(&map, "stream", "stream")?;
    let include_usage = match map.get("stream_options") {
        None | Some(Value::Null) => false,
        Some(Value::Object(options)) => {
            optional_bool(options, "include_usage", "stream_options.include_usage")?
        }
        Some(other) => {
            return Err(invalid(
                "stream_options",
                format!("expected an object, got {}", kind(other)),
            ))
        }
    };
    Ok(ChatRequest {
        api: Api::OpenAi,
        model,
        stream,
        include_usage,
        thinking: false,
        last_user,
        assistant_turns,
        prompt: lines.join("\n"),
    })
}

/// Reads a `POST /v1/messages` body. `max_tokens` is required, as Anthropic requires it.
pub fn parse_anthropic(body: &[u8]) -> Result<ChatRequest, RequestError> {
    let map = parse_object(body)?;
    let model = required_model(&map)?;
    match map.get("max_tokens") {
        Some(Value::Number(number)) if number.as_u64().is_some_and(|n| n > 0) => {}
        Some(other) => {
            return Err(invalid(
                "max_tokens",
                format!("expected a positive integer, got {other}"),
            ))
        }
        None => return Err(missing("max_tokens", "a positive integer")),
    }
    let (lines, last_user, assistant_turns) = read_messages(&map, &["user", "assistant"])?;
    let system = match map.get("system") {
        None => String::new(),
        Some(system) => content_text(system, "system")?,
    };
    let thinking = match map.get("thinking") {
        None | Some(Value::Null) => false,
        Some(Value::Object(thinking)) => match thinking.get("type") {
            Some(Value::String(kind_name)) => match kind_name.as_str() {
                "enabled" | "adaptive" => true,
                "disabled" => false,
                other => {
                    return Err(invalid(
                        "thinking.type",
                        format!(
                            "expected \"enabled\", \"adaptive\" or \"disabled\", got {other:?}"
                        ),
                    ))
                }
            },
            _ => {
                return Err(missing(
                    "thinking.type",
                    "\"enabled\", \"adaptive\" or \"disabled\"",
                ))
            }
        },
        Some(other) => {
            return Err(invalid(
                "thinking",
                format!("expected an object, got {}", kind(other)),
            ))
        }
    };
    let stream = optional_bool(&map, "stream", "stream")?;
    let mut prompt = system;
    for line in lines {
        if !prompt.is_empty() {
            prompt.push('\n');
        }
        prompt.push_str(&line);
    }
    Ok(ChatRequest {
        api: Api::Anthropic,
        model,
        stream,
        include_usage: false,
        thinking,
        last_user,
        assistant_turns,
        prompt,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_an_openai_request() {
        let body = br#"{"model":"sim-reasoner","stream":true,"stream_options":{"include_usage":true},
            "messages":[{"role":"system","content":"Be brief."},
                        {"role":"user","content":[{"type":"text","text":"How do fireworks work?"}]}]}"#;
        let request = parse_openai(body).unwrap();
        assert_eq!(request.model, "sim-reasoner");
        assert!(request.stream && request.include_usage && !request.thinking);
        assert_eq!(request.last_user, "How do fireworks work?");
        assert_eq!(request.assistant_turns, 0);
        assert_eq!(request.prompt, "Be brief.\nHow do fireworks work?");
        assert_eq!(request.input_tokens(), 6); // "Be brief. How do fireworks work?" by hand
    }

    #[test]
    fn reads_an_anthropic_request_with_thinking() {
        let body =
            br#"{"model":"sim-claude","max_tokens":2048,"system":[{"type":"text","text":"S"}],
            "thinking":{"type":"enabled","budget_tokens":1024},
            "messages":[{"role":"user","content":"Q1"},{"role":"assistant","content":"A1"},
                        {"role":"user","content":"Q2"}]}"#;
        let request = parse_anthropic(body).unwrap();
        assert!(request.thinking && !request.stream);
        assert_eq!(request.last_user, "Q2");
        assert_eq!(request.assistant_turns, 1);
        assert_eq!(request.prompt, "S\nQ1\nA1\nQ2");
    }

    #[test]
    fn errors_name_the_place_and_the_expectation() {
        let error = parse_openai(b"{\"model\": ").unwrap_err();
        assert_eq!(
            (error.location.as_str(), error.code),
            ("body", "invalid_json")
        );
        assert!(error.message.contains("line 1"), "{error}");

        let error = parse_openai(br#"{"model":"m","messages":[{"role":"user","content":"a"},{"role":"user","content":7}]}"#)
            .unwrap_err();
        assert_eq!(error.location, "messages[1].content");
        assert!(error.message.contains("got a number"), "{error}");

        let error =
            parse_openai(br#"{"model":"m","messages":[{"role":"assistant","content":"a"}]}"#)
                .unwrap_err();
        assert!(error.message.contains("role \"user\""), "{error}");

        let error = parse_anthropic(br#"{"model":"m","messages":[{"role":"user","content":"a"}]}"#)
            .unwrap_err();
        assert_eq!(
            (error.location.as_str(), error.code),
            ("max_tokens", "missing_field")
        );

        let error = parse_anthropic(
            br#"{"model":"m","max_tokens":5,"messages":[{"role":"system","content":"a"}]}"#,
        )
        .unwrap_err();
        assert_eq!(error.location, "messages[0].role");

        let error = parse_openai(br#"[1,2]"#).unwrap_err();
        assert!(error.message.contains("got an array"), "{error}");
    }
}
