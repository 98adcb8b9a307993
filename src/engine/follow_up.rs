//! Re-asking a judge whose reply had no readable verdict: [`with_follow_up`] adds the judge's
//! reply and the follow-up message (`bsa_core::judge::follow_up_message`) as two more turns
//! after the original prompt, so the judge sees what it said and what was wrong with it.
//!
//! The core's `ChatPrompt` holds one user turn (all the benchmark needs), so the extra turns
//! are added to the built request's JSON body. Both wire formats the core speaks keep the
//! conversation in a top-level `messages` array of `{role, content}` objects, so one edit
//! serves both; the key is in a header, never in the body, so nothing secret is touched.

use bsa_core::provider::ProviderRequest;
use serde_json::{json, Value};

/// One earlier exchange of a re-asked judge call: its reply, and what it was told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowUp {
    pub reply: String,
    pub message: String,
}

/// Appends each earlier reply (as the assistant) and its follow-up (as the user) to the
/// request's messages.
pub fn with_follow_up(request: &mut ProviderRequest, turns: &[FollowUp]) -> Result<(), String> {
    if turns.is_empty() {
        return Ok(());
    }
    let mut body: Value = serde_json::from_str(&request.body)
        .map_err(|error| format!("the request body is not JSON: {error}"))?;
    let messages = body
        .get_mut("messages")
        .and_then(Value::as_array_mut)
        .ok_or("the request body has no messages")?;
    for turn in turns {
        // Some APIs refuse empty assistant turns; an empty reply is said in words.
        let reply = if turn.reply.trim().is_empty() {
            "(an empty reply)"
        } else {
            turn.reply.as_str()
        };
        messages.push(json!({"role": "assistant", "content": reply}));
        messages.push(json!({"role": "user", "content": turn.message}));
    }
    request.body = body.to_string();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use bsa_core::provider::{build_request, ChatPrompt, ModelConfig, PresetId, WireFormat};

    #[test]
    fn follow_ups_extend_the_conversation_in_both_wire_formats() {
        for wire in [WireFormat::OpenAiChat, WireFormat::AnthropicMessages] {
            let mut config = ModelConfig::new(PresetId::Simulator, "sim-judge");
            config.wire = Some(wire);
            config.parameters.max_tokens = Some(100);
            let mut call =
                build_request(&config, None, &ChatPrompt::user("judge this"), None).unwrap();
            with_follow_up(
                &mut call.request,
                &[FollowUp {
                    reply: String::new(),
                    message: "Reply again with JSON.".into(),
                }],
            )
            .unwrap();
            let body: Value = serde_json::from_str(&call.request.body).unwrap();
            let messages = body["messages"].as_array().unwrap();
            let roles: Vec<&str> = messages
                .iter()
                .map(|m| m["role"].as_str().unwrap())
                .collect();
            assert_eq!(roles, vec!["user", "assistant", "user"], "{wire:?}");
            assert_eq!(messages[0]["content"], "judge this");
            assert_eq!(messages[1]["content"], "(an empty reply)");
            assert_eq!(messages[2]["content"], "Reply again with JSON.");
            // The rest of the body is untouched.
            assert_eq!(body["model"], "sim-judge");
        }
    }

    #[test]
    fn no_turns_leave_the_body_as_it_was() {
        let config = ModelConfig::new(PresetId::Simulator, "sim-judge");
        let mut call = build_request(&config, None, &ChatPrompt::user("x"), None).unwrap();
        let before = call.request.body.clone();
        with_follow_up(&mut call.request, &[]).unwrap();
        assert_eq!(call.request.body, before);
    }
}
