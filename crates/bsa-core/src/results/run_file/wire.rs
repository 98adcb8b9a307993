//! The JSON shape of the samples, shared by the writer and the reader so the two cannot drift.
//!
//! Each status is one flat object with a `status` field and the fields that status uses, rather
//! than a serde-tagged enum: tagged enums are buffered before they are read, which would lose the
//! JSON path of an error inside them and copy every text once more. Fields are borrowed
//! ([`Cow`]) when writing and owned when reading, where the strings are moved, not copied, into
//! the typed [`RunSample`]s. The conversion from this shape checks what serde cannot: required
//! fields per status, fields that do not belong to a status, and verdict labels against the
//! item's scenario.

use super::check::ProblemSink;
use super::schema::{
    CallStats, GeneratedAnswer, Generation, GenerationFailure, JudgeErrorRecord, JudgedCall,
    JudgementRecord, RecordedVerdict, RunHeader, RunSample, Tool,
};
use crate::dataset::read::excerpt;
use crate::diagnostic::ProblemKind;
use crate::judge::VerdictSource;
use crate::provider::{FinishReason, ReasoningTrace, Usage};
use crate::scenario::Scenario;
use crate::verdict::{AnswerVerdict, ReasoningVerdict};
use serde::{Deserialize, Deserializer, Serialize};
use std::borrow::Cow;

/// Everything after the format and version, as read.
#[derive(Deserialize)]
pub(super) struct Body {
    pub tool: Tool,
    pub run: RunHeader,
    pub samples: Vec<SampleWire<'static>>,
}

#[derive(Serialize, Deserialize)]
pub(super) struct SampleWire<'a> {
    item: Cow<'a, str>,
    scenario: Scenario,
    sample: u32,
    generation: GenerationWire<'a>,
    answer_judgement: JudgementWire<'a>,
    reasoning_judgement: JudgementWire<'a>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    second_answer_judgement: Option<JudgementWire<'a>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    second_reasoning_judgement: Option<JudgementWire<'a>>,
}

#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum GenerationStatus {
    Completed,
    Failed,
}

#[derive(Serialize, Deserialize)]
struct GenerationWire<'a> {
    status: GenerationStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    answer: Option<Cow<'a, str>>,
    /// Outer `None`: absent; `Some(None)`: `null`. A completed generation always writes it, so
    /// "no trace" reads as an explicit `"reasoning": null`.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    reasoning: Option<Option<Cow<'a, ReasoningTrace>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    finish_reason: Option<Cow<'a, FinishReason>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    served_model: Option<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    response_id: Option<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    message: Option<Cow<'a, str>>,
    // The call's figures (`CallWire`), written out here rather than `flatten`ed: serde buffers
    // an object with a flattened field, which would lose the path of errors in these fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    usage: Option<Usage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    total_tokens: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    duration_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    attempts: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cost_usd: Option<f64>,
}

#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum JudgementStatus {
    Verdict,
    Unjudged,
    JudgeError,
    NoTrace,
}

#[derive(Serialize, Deserialize)]
struct JudgementWire<'a> {
    status: JudgementStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    verdict: Option<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rationale: Option<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<VerdictSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    message: Option<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reply: Option<Cow<'a, str>>,
    // The call's figures (`CallWire`), written out here rather than `flatten`ed: serde buffers
    // an object with a flattened field, which would lose the path of errors in these fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    usage: Option<Usage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    total_tokens: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    duration_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    attempts: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cost_usd: Option<f64>,
}

/// The [`CallStats`] fields, as both wire structs hold them.
#[derive(Clone, Copy, Default)]
struct CallWire {
    usage: Option<Usage>,
    total_tokens: Option<u64>,
    duration_ms: Option<u64>,
    attempts: Option<u32>,
    cost_usd: Option<f64>,
}

/// Reads and sets the five call fields of a wire struct.
macro_rules! call_fields {
    ($wire:ident) => {
        impl $wire<'_> {
            fn call(&self) -> CallWire {
                CallWire {
                    usage: self.usage,
                    total_tokens: self.total_tokens,
                    duration_ms: self.duration_ms,
                    attempts: self.attempts,
                    cost_usd: self.cost_usd,
                }
            }

            fn with_call(mut self, call: CallWire) -> Self {
                self.usage = call.usage;
                self.total_tokens = call.total_tokens;
                self.duration_ms = call.duration_ms;
                self.attempts = call.attempts;
                self.cost_usd = call.cost_usd;
                self
            }
        }
    };
}

call_fields!(GenerationWire);
call_fields!(JudgementWire);

/// For a field whose `null` means something: present (even as `null`) is `Some`.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

// ---- typed to wire (writing) ----

impl<'a> From<&'a RunSample> for SampleWire<'a> {
    fn from(sample: &'a RunSample) -> SampleWire<'a> {
        SampleWire {
            item: Cow::Borrowed(&sample.item),
            scenario: sample.scenario,
            sample: sample.sample,
            generation: GenerationWire::from(&sample.generation),
            answer_judgement: JudgementWire::from(&sample.answer_judgement),
            reasoning_judgement: JudgementWire::from(&sample.reasoning_judgement),
            second_answer_judgement: sample
                .second_answer_judgement
                .as_ref()
                .map(JudgementWire::from),
            second_reasoning_judgement: sample
                .second_reasoning_judgement
                .as_ref()
                .map(JudgementWire::from),
        }
    }
}

impl<'a> From<&'a Generation> for GenerationWire<'a> {
    fn from(generation: &'a Generation) -> GenerationWire<'a> {
        let empty = |status| GenerationWire {
            status,
            answer: None,
            reasoning: None,
            finish_reason: None,
            served_model: None,
            response_id: None,
            message: None,
            usage: None,
            total_tokens: None,
            duration_ms: None,
            attempts: None,
            cost_usd: None,
        };
        match generation {
            Generation::Completed(answer) => GenerationWire {
                answer: Some(Cow::Borrowed(&answer.answer)),
                reasoning: Some(answer.reasoning.as_ref().map(Cow::Borrowed)),
                finish_reason: answer.finish_reason.as_ref().map(Cow::Borrowed),
                served_model: answer.served_model.as_deref().map(Cow::Borrowed),
                response_id: answer.response_id.as_deref().map(Cow::Borrowed),
                ..empty(GenerationStatus::Completed)
            }
            .with_call(CallWire::from(&answer.call)),
            Generation::Failed(failure) => GenerationWire {
                message: Some(Cow::Borrowed(&failure.message)),
                ..empty(GenerationStatus::Failed)
            }
            .with_call(CallWire::from(&failure.call)),
        }
    }
}

impl<'a, V: RecordedVerdict> From<&'a JudgementRecord<V>> for JudgementWire<'a> {
    fn from(record: &'a JudgementRecord<V>) -> JudgementWire<'a> {
        let empty = |status| JudgementWire {
            status,
            verdict: None,
            rationale: None,
            source: None,
            reply: None,
            message: None,
            usage: None,
            total_tokens: None,
            duration_ms: None,
            attempts: None,
            cost_usd: None,
        };
        match record {
            JudgementRecord::Verdict(judged) => JudgementWire {
                verdict: Some(Cow::Borrowed(judged.verdict.label())),
                rationale: judged.rationale.as_deref().map(Cow::Borrowed),
                source: judged.source,
                reply: judged.reply.as_deref().map(Cow::Borrowed),
                ..empty(JudgementStatus::Verdict)
            }
            .with_call(CallWire::from(&judged.call)),
            JudgementRecord::Unjudged => empty(JudgementStatus::Unjudged),
            JudgementRecord::NoTrace => empty(JudgementStatus::NoTrace),
            JudgementRecord::JudgeError(error) => JudgementWire {
                message: Some(Cow::Borrowed(&error.message)),
                reply: error.reply.as_deref().map(Cow::Borrowed),
                ..empty(JudgementStatus::JudgeError)
            }
            .with_call(CallWire::from(&error.call)),
        }
    }
}

impl From<&CallStats> for CallWire {
    fn from(call: &CallStats) -> CallWire {
        CallWire {
            usage: (!call.usage.is_empty()).then_some(call.usage),
            total_tokens: call.reported_total_tokens,
            duration_ms: call.duration_ms,
            attempts: call.attempts,
            cost_usd: call.cost_usd,
        }
    }
}

// ---- wire to typed (reading) ----

impl SampleWire<'static> {
    /// The typed sample; `None` after reporting every problem of this one. `at` is its JSON path
    /// (`samples[12]`).
    pub(super) fn into_sample(self, at: &str, sink: &mut ProblemSink<'_>) -> Option<RunSample> {
        let scenario = self.scenario;
        let generation = self
            .generation
            .into_generation(&format!("{at}.generation"), sink);
        let answer = self.answer_judgement.into_record::<AnswerVerdict>(
            scenario,
            &format!("{at}.answer_judgement"),
            sink,
        );
        let reasoning = self.reasoning_judgement.into_record::<ReasoningVerdict>(
            scenario,
            &format!("{at}.reasoning_judgement"),
            sink,
        );
        let second_answer = self
            .second_answer_judgement
            .map(|wire| wire.into_record(scenario, &format!("{at}.second_answer_judgement"), sink));
        let second_reasoning = self.second_reasoning_judgement.map(|wire| {
            wire.into_record(scenario, &format!("{at}.second_reasoning_judgement"), sink)
        });
        Some(RunSample {
            item: self.item.into_owned(),
            scenario,
            sample: self.sample,
            generation: generation?,
            answer_judgement: answer?,
            reasoning_judgement: reasoning?,
            second_answer_judgement: optional(second_answer)?,
            second_reasoning_judgement: optional(second_reasoning)?,
        })
    }
}

/// An optional part as read: absent is fine (`Some(None)`), present but unreadable is not
/// (`None`), present and read is `Some(Some(_))`.
fn optional<T>(read: Option<Option<T>>) -> Option<Option<T>> {
    match read {
        None => Some(None),
        Some(read) => read.map(Some),
    }
}

/// Reports each field that is set but does not belong to `status`.
fn refuse_extra(
    sink: &mut ProblemSink<'_>,
    at: &str,
    kind: &str,
    status: &str,
    fields: &[(&str, bool)],
) {
    for (name, set) in fields {
        if *set {
            sink.push(
                format!("{at}.{name}"),
                ProblemKind::Inconsistent {
                    message: format!(
                        "field \"{name}\" does not belong to a {kind} with status \"{status}\""
                    ),
                },
            );
        }
    }
}

impl GenerationWire<'static> {
    fn into_generation(self, at: &str, sink: &mut ProblemSink<'_>) -> Option<Generation> {
        let call = self.call().into_stats(at, sink);
        match self.status {
            GenerationStatus::Completed => {
                refuse_extra(
                    sink,
                    at,
                    "generation",
                    "completed",
                    &[("message", self.message.is_some())],
                );
                let Some(answer) = self.answer else {
                    sink.push(
                        format!("{at}.answer"),
                        ProblemKind::MissingField {
                            name: "answer".into(),
                        },
                    );
                    return None;
                };
                Some(Generation::Completed(GeneratedAnswer {
                    answer: answer.into_owned(),
                    reasoning: self.reasoning.flatten().map(Cow::into_owned),
                    finish_reason: self.finish_reason.map(Cow::into_owned),
                    served_model: self.served_model.map(Cow::into_owned),
                    response_id: self.response_id.map(Cow::into_owned),
                    call: call?,
                }))
            }
            GenerationStatus::Failed => {
                refuse_extra(
                    sink,
                    at,
                    "generation",
                    "failed",
                    &[
                        ("answer", self.answer.is_some()),
                        ("reasoning", self.reasoning.is_some()),
                        ("finish_reason", self.finish_reason.is_some()),
                        ("served_model", self.served_model.is_some()),
                        ("response_id", self.response_id.is_some()),
                    ],
                );
                let Some(message) = self.message else {
                    sink.push(
                        format!("{at}.message"),
                        ProblemKind::MissingField {
                            name: "message".into(),
                        },
                    );
                    return None;
                };
                Some(Generation::Failed(GenerationFailure {
                    message: message.into_owned(),
                    call: call?,
                }))
            }
        }
    }
}

impl JudgementWire<'static> {
    fn into_record<V: RecordedVerdict>(
        self,
        scenario: Scenario,
        at: &str,
        sink: &mut ProblemSink<'_>,
    ) -> Option<JudgementRecord<V>> {
        let kind = "judgement";
        match self.status {
            JudgementStatus::Verdict => {
                refuse_extra(
                    sink,
                    at,
                    kind,
                    "verdict",
                    &[("message", self.message.is_some())],
                );
                let call = self.call().into_stats(at, sink);
                let Some(text) = self.verdict else {
                    sink.push(
                        format!("{at}.verdict"),
                        ProblemKind::MissingField {
                            name: "verdict".into(),
                        },
                    );
                    return None;
                };
                let Some(verdict) = V::parse(scenario, &text) else {
                    sink.push(
                        format!("{at}.verdict"),
                        ProblemKind::UnknownLabel {
                            value: excerpt(&text),
                            expected: V::labels(scenario)
                                .iter()
                                .map(|label| label.to_string())
                                .collect(),
                        },
                    );
                    return None;
                };
                Some(JudgementRecord::Verdict(JudgedCall {
                    verdict,
                    rationale: self.rationale.map(Cow::into_owned),
                    source: self.source,
                    reply: self.reply.map(Cow::into_owned),
                    call: call?,
                }))
            }
            JudgementStatus::JudgeError => {
                refuse_extra(
                    sink,
                    at,
                    kind,
                    "judge_error",
                    &[
                        ("verdict", self.verdict.is_some()),
                        ("rationale", self.rationale.is_some()),
                        ("source", self.source.is_some()),
                    ],
                );
                let call = self.call().into_stats(at, sink);
                let Some(message) = self.message else {
                    sink.push(
                        format!("{at}.message"),
                        ProblemKind::MissingField {
                            name: "message".into(),
                        },
                    );
                    return None;
                };
                Some(JudgementRecord::JudgeError(JudgeErrorRecord {
                    message: message.into_owned(),
                    reply: self.reply.map(Cow::into_owned),
                    call: call?,
                }))
            }
            JudgementStatus::Unjudged | JudgementStatus::NoTrace => {
                let status = if self.status == JudgementStatus::Unjudged {
                    "unjudged"
                } else {
                    "no_trace"
                };
                let call = self.call();
                refuse_extra(
                    sink,
                    at,
                    kind,
                    status,
                    &[
                        ("verdict", self.verdict.is_some()),
                        ("rationale", self.rationale.is_some()),
                        ("source", self.source.is_some()),
                        ("reply", self.reply.is_some()),
                        ("message", self.message.is_some()),
                        ("usage", call.usage.is_some()),
                        ("total_tokens", call.total_tokens.is_some()),
                        ("duration_ms", call.duration_ms.is_some()),
                        ("attempts", call.attempts.is_some()),
                        ("cost_usd", call.cost_usd.is_some()),
                    ],
                );
                Some(if self.status == JudgementStatus::Unjudged {
                    JudgementRecord::Unjudged
                } else {
                    JudgementRecord::NoTrace
                })
            }
        }
    }
}

impl CallWire {
    fn into_stats(self, at: &str, sink: &mut ProblemSink<'_>) -> Option<CallStats> {
        if let Some(cost) = self.cost_usd {
            if !(cost.is_finite() && cost >= 0.0) {
                sink.push(
                    format!("{at}.cost_usd"),
                    ProblemKind::BadNumber {
                        value: cost.to_string(),
                        expected: "a cost of 0 or more US dollars".into(),
                    },
                );
                return None;
            }
        }
        Some(CallStats {
            usage: self.usage.unwrap_or_default(),
            reported_total_tokens: self.total_tokens,
            duration_ms: self.duration_ms,
            attempts: self.attempts,
            cost_usd: self.cost_usd,
        })
    }
}
