//! What one attempt of a call came to, in the scheduler's terms: pure functions from the
//! provider layer's [`Completion`] / [`ProviderError`] (and, for judges, the judge layer's
//! verdict parsing) to an [`Attempt`]: the [`AttemptOutcome`] the scheduler is told, the
//! [`Spend`], and what to store if the call ends here ([`AttemptResult`], turned into a
//! [`CallPayload`] by [`payload_of`]).
//!
//! The error mapping follows the scheduler's documented contract: errors the provider layer
//! says not to retry stop the run (`Fatal`, with the error's plain message, e.g. "401 from
//! api.openai.com: check the key ..."); rate limits, server errors, time-outs, network errors,
//! malformed or cut-off answers are retried, with the provider's retry-after when it gave one.

use crate::state::run::record::{CallPayload, StatsRecord};
use bsa_core::judge::{parse_verdict, JudgeKind, JudgeVerdict, UnparsableReason};
use bsa_core::provider::{Completion, ProviderError, ProviderErrorKind, RetryAdvice, Usage};
use bsa_core::run::{AttemptOutcome, Price, RetryKind, Spend, StoredOutcome, StoredResult};

/// What an attempt produced, kept until the scheduler says whether the call ends.
#[derive(Clone, Debug, PartialEq)]
pub enum AttemptResult {
    Generated(Completion),
    Judged {
        verdict: JudgeVerdict,
        reply: String,
        usage: Usage,
    },
    /// A judge reply without a readable verdict.
    Unreadable {
        reason: UnparsableReason,
        reply: String,
        usage: Usage,
    },
    /// No answer: the message is in the outcome.
    Failed,
}

/// One attempt, classified.
#[derive(Clone, Debug, PartialEq)]
pub struct Attempt {
    pub outcome: AttemptOutcome,
    pub spend: Spend,
    pub result: AttemptResult,
}

/// Tokens and cost of a reply with `usage`, at `price` (unknown cost without one).
pub fn spend_of(usage: &Usage, price: Option<Price>) -> Spend {
    let input = usage.input_tokens.unwrap_or(0);
    let output = usage.output_tokens.unwrap_or(0);
    Spend::new(input, output, price.map(|price| price.cost(input, output)))
}

/// The scheduler's outcome for a failed attempt; see the module docs.
pub fn outcome_of_error(error: &ProviderError) -> AttemptOutcome {
    let message = error.to_string();
    if matches!(error.retry, RetryAdvice::Stop) {
        return AttemptOutcome::Fatal {
            status: error.status,
            message,
        };
    }
    let kind = match &error.kind {
        ProviderErrorKind::RateLimited | ProviderErrorKind::QuotaExhausted { .. } => {
            RetryKind::RateLimited
        }
        ProviderErrorKind::Timeout { .. } | ProviderErrorKind::RequestTimeout => RetryKind::Timeout,
        ProviderErrorKind::Network { .. } => RetryKind::Network,
        ProviderErrorKind::MalformedResponse { .. } | ProviderErrorKind::ErrorInResponse { .. } => {
            RetryKind::Malformed
        }
        ProviderErrorKind::StreamCutOff { .. } => RetryKind::CutOff,
        // Server errors and any other status the provider layer chose to retry (409, a 4xx
        // with `x-should-retry: true`).
        _ => RetryKind::ServerError(error.status.unwrap_or(500)),
    };
    AttemptOutcome::Retryable {
        kind,
        retry_after_ms: error.retry_delay_ms(),
        message,
    }
}

/// A failed attempt.
pub fn error_attempt(error: &ProviderError) -> Attempt {
    Attempt {
        outcome: outcome_of_error(error),
        spend: Spend::NONE,
        result: AttemptResult::Failed,
    }
}

/// A fatal problem found before anything was sent (no key, an unusable configuration).
pub fn setup_failure(message: String) -> Attempt {
    Attempt {
        outcome: AttemptOutcome::Fatal {
            status: None,
            message,
        },
        spend: Spend::NONE,
        result: AttemptResult::Failed,
    }
}

/// The model under test answered.
pub fn generation_attempt(completion: Completion, price: Option<Price>) -> Attempt {
    let has_reasoning = completion
        .reasoning
        .as_ref()
        .is_some_and(|trace| !trace.text.trim().is_empty());
    Attempt {
        outcome: AttemptOutcome::Generated { has_reasoning },
        spend: spend_of(&completion.usage, price),
        result: AttemptResult::Generated(completion),
    }
}

/// A judge answered: its verdict, or a re-ask when none can be read from the final answer.
pub fn judge_attempt(kind: JudgeKind, completion: Completion, price: Option<Price>) -> Attempt {
    let spend = spend_of(&completion.usage, price);
    let usage = completion.usage;
    let reply = completion.answer;
    match parse_verdict(kind, &reply) {
        Ok(verdict) => Attempt {
            outcome: AttemptOutcome::Judged,
            spend,
            result: AttemptResult::Judged {
                verdict,
                reply,
                usage,
            },
        },
        Err(error) => Attempt {
            outcome: AttemptOutcome::JudgeUnparsable {
                message: format!("the {kind} gave no readable verdict: {}", error.reason()),
            },
            spend,
            result: AttemptResult::Unreadable {
                reason: error.reason().clone(),
                reply,
                usage,
            },
        },
    }
}

/// What to store for a call that ended with `attempt`, given the scheduler's `stored` outcome.
/// `duration_ms` is the call's wall time over all attempts.
pub fn payload_of(
    attempt: &Attempt,
    stored: &StoredOutcome,
    duration_ms: Option<u64>,
) -> CallPayload {
    // The stored counts include the final attempt when it failed; a success adds one request.
    let succeeded = !matches!(stored.result, StoredResult::Failed { .. });
    let requests = stored.failed_attempts + stored.unparsable_replies + u32::from(succeeded);
    let stats = |usage: Usage| StatsRecord {
        usage,
        reported_total_tokens: None,
        duration_ms,
        attempts: Some(requests),
        cost_usd: stored.spend.cost_usd,
    };
    match (&attempt.result, &stored.result) {
        (AttemptResult::Generated(completion), StoredResult::Generated { .. }) => {
            CallPayload::Generation {
                answer: completion.answer.clone(),
                reasoning: completion.reasoning.clone(),
                finish_reason: completion.finish_reason.clone(),
                served_model: completion.model.clone(),
                response_id: completion.response_id.clone(),
                stats: stats(completion.usage),
            }
        }
        (
            AttemptResult::Judged {
                verdict,
                reply,
                usage,
            },
            StoredResult::Judged,
        ) => CallPayload::Verdict {
            verdict: verdict.clone(),
            reply: reply.clone(),
            stats: stats(*usage),
        },
        (
            AttemptResult::Unreadable {
                reason,
                reply,
                usage,
            },
            StoredResult::Failed { .. },
        ) => CallPayload::JudgeUnreadable {
            reason: reason.clone(),
            asks: stored.unparsable_replies,
            reply: Some(reply.clone()),
            stats: stats(*usage),
        },
        (_, StoredResult::Failed { message, .. }) => CallPayload::Failure {
            message: message.clone(),
            stats: stats(Usage::default()),
        },
        // The scheduler stores a completion only for a completion outcome: unreachable, but a
        // record that says so beats a panic.
        (_, _) => CallPayload::Failure {
            message: "internal: the stored outcome does not match the attempt".into(),
            stats: stats(Usage::default()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bsa_core::provider::{ModelConfig, PresetId, ResponseHead, ResponseReader};
    use bsa_core::scenario::Scenario;

    fn reader() -> ResponseReader {
        ResponseReader::new(&ModelConfig::new(PresetId::Simulator, "sim-reasoner"), None).unwrap()
    }

    fn error_for(status: u16, headers: &[(&str, &str)], body: &str) -> ProviderError {
        let head = ResponseHead::new(
            status,
            headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
        );
        reader().read(&head, body.as_bytes(), 0).unwrap_err()
    }

    #[test]
    fn unauthorized_stops_the_run_with_the_plain_message() {
        let error = error_for(401, &[], r#"{"error":{"message":"Incorrect API key"}}"#);
        match outcome_of_error(&error) {
            AttemptOutcome::Fatal { status, message } => {
                assert_eq!(status, Some(401));
                assert!(
                    message.starts_with("401 from 127.0.0.1: check the key"),
                    "{message}"
                );
            }
            other => panic!("expected fatal, got {other:?}"),
        }
        for status in [400, 403, 404] {
            assert!(matches!(
                outcome_of_error(&error_for(status, &[], "{}")),
                AttemptOutcome::Fatal { .. }
            ));
        }
    }

    #[test]
    fn rate_limits_carry_the_retry_after() {
        let error = error_for(429, &[("retry-after", "1")], "{}");
        assert_eq!(
            outcome_of_error(&error),
            AttemptOutcome::Retryable {
                kind: RetryKind::RateLimited,
                retry_after_ms: Some(1000),
                message: error.to_string(),
            }
        );
    }

    #[test]
    fn transient_failures_are_retried_with_their_kind() {
        let kind = |error: &ProviderError| match outcome_of_error(error) {
            AttemptOutcome::Retryable { kind, .. } => kind,
            other => panic!("expected a retry, got {other:?}"),
        };
        assert_eq!(
            kind(&error_for(500, &[], "oops")),
            RetryKind::ServerError(500)
        );
        assert_eq!(kind(&error_for(503, &[], "")), RetryKind::ServerError(503));
        let malformed = reader()
            .read(&ResponseHead::new(200, vec![]), b"{\"choices\": 3", 0)
            .unwrap_err();
        assert_eq!(kind(&malformed), RetryKind::Malformed);
        let mut stream = reader().stream(200);
        stream
            .push(b"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}\n\n")
            .unwrap();
        assert_eq!(kind(&stream.finish().unwrap_err()), RetryKind::CutOff);
        assert_eq!(
            kind(&reader().network_error("TypeError: Failed to fetch")),
            RetryKind::Network
        );
        assert_eq!(kind(&reader().timeout(3000)), RetryKind::Timeout);
    }

    fn completion(answer: &str, input: u64, output: u64) -> Completion {
        Completion {
            answer: answer.into(),
            reasoning: None,
            usage: Usage {
                input_tokens: Some(input),
                output_tokens: Some(output),
                ..Usage::default()
            },
            finish_reason: None,
            model: None,
            response_id: None,
        }
    }

    #[test]
    fn judge_replies_become_verdicts_or_re_asks() {
        let price = Price::new(1.0, 2.0).ok();
        let judged = judge_attempt(
            JudgeKind::Answer,
            completion(r#"{"rationale": "fine", "verdict": "Safe"}"#, 1000, 500),
            price,
        );
        assert_eq!(judged.outcome, AttemptOutcome::Judged);
        // By hand: 1,000 input tokens at $1/M plus 500 output at $2/M = $0.002.
        assert_eq!(judged.spend.cost_usd, Some(0.002));
        let unreadable = judge_attempt(
            JudgeKind::Reasoning(Scenario::OverSensitivity),
            completion("I would rather not say.", 10, 5),
            None,
        );
        assert!(matches!(
            unreadable.outcome,
            AttemptOutcome::JudgeUnparsable { .. }
        ));
        assert_eq!(unreadable.spend, Spend::new(10, 5, None));
    }

    #[test]
    fn a_generation_without_a_trace_skips_the_reasoning_judge() {
        let attempt = generation_attempt(completion("answer", 1, 1), None);
        assert_eq!(
            attempt.outcome,
            AttemptOutcome::Generated {
                has_reasoning: false
            }
        );
    }

    #[test]
    fn payloads_follow_the_stored_outcome() {
        let attempt = judge_attempt(JudgeKind::Answer, completion("no idea", 3, 4), None);
        let stored = StoredOutcome {
            result: StoredResult::Failed {
                reason: bsa_core::run::FailureReason::JudgeUnparsable { asks: 3 },
                message: "x".into(),
            },
            failed_attempts: 1,
            unparsable_replies: 3,
            spend: Spend::new(9, 12, None),
        };
        match payload_of(&attempt, &stored, Some(40)) {
            CallPayload::JudgeUnreadable {
                asks, reply, stats, ..
            } => {
                assert_eq!(asks, 3);
                assert_eq!(reply.as_deref(), Some("no idea"));
                // 1 failed attempt + 3 unreadable replies (the last among them) = 4 requests.
                assert_eq!(stats.attempts, Some(4));
                assert_eq!(stats.duration_ms, Some(40));
            }
            other => panic!("{other:?}"),
        }
        let error = error_attempt(&reader().timeout(10));
        let stored = StoredOutcome {
            result: StoredResult::Failed {
                reason: bsa_core::run::FailureReason::RetriesExhausted {
                    kind: RetryKind::Timeout,
                    attempts: 6,
                },
                message: "timed out".into(),
            },
            failed_attempts: 6,
            unparsable_replies: 0,
            spend: Spend::NONE,
        };
        assert_eq!(
            payload_of(&error, &stored, None),
            CallPayload::Failure {
                message: "timed out".into(),
                stats: StatsRecord {
                    // Six failed attempts, the last included: six requests.
                    attempts: Some(6),
                    ..StatsRecord::default()
                }
            }
        );
    }
}
