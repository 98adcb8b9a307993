//! [`judge_message`]: the user message a judge receives for one sample of one item.
//!
//! The templates take the item's `query` and `risk_summary`, plus the sample's final answer (the
//! answer judge) or its reasoning trace (the reasoning judges). A sample without a reasoning
//! trace is not sent to a reasoning judge at all: [`JudgeMessage::NoTrace`] says so, and the
//! caller records it instead of a verdict. Send the message at temperature 0.

use super::kind::JudgeKind;
use crate::dataset::Item;
use crate::prompt::{JudgePromptSet, Placeholder, PromptTemplate, PromptValues, RenderError};
use crate::scenario::Scenario;
use std::fmt;

/// What the model under test produced for one sample, as the judges need it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SampleOutput<'a> {
    /// The final answer.
    pub answer: &'a str,
    /// The reasoning trace, when the provider returned one.
    pub reasoning: Option<&'a str>,
}

/// The content of a judge request, or the reason there is none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JudgeMessage {
    /// The rendered user message.
    Message(String),
    /// The sample has no reasoning trace (none, or only whitespace): the reasoning judge must
    /// not be called.
    NoTrace,
}

/// Why a judge message could not be made.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum JudgeRequestError {
    /// A reasoning judge of another scenario than the item's.
    ScenarioMismatch {
        item_id: String,
        item_scenario: Scenario,
        judge: JudgeKind,
    },
    /// The template asks for a value this judge is not given (see
    /// [`crate::prompt::check_template`], which reports this before a run starts).
    Template {
        judge: JudgeKind,
        error: RenderError,
    },
}

impl fmt::Display for JudgeRequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JudgeRequestError::ScenarioMismatch {
                item_id,
                item_scenario,
                judge,
            } => write!(
                f,
                "item \"{item_id}\" is a {item_scenario} item and cannot be judged by the {judge}"
            ),
            JudgeRequestError::Template { judge, error } => {
                write!(f, "the {judge} template cannot be rendered: {error}")
            }
        }
    }
}

impl std::error::Error for JudgeRequestError {}

/// Renders the message for judge `kind` on one sample of `item`, with `template`.
pub fn judge_message(
    template: &PromptTemplate,
    kind: JudgeKind,
    item: &Item,
    sample: SampleOutput<'_>,
) -> Result<JudgeMessage, JudgeRequestError> {
    let mut values = PromptValues::new()
        .with(Placeholder::Query, &item.query)
        .with(Placeholder::RiskSummary, &item.risk_summary);
    match kind {
        JudgeKind::Answer => values.set(Placeholder::Answer, sample.answer),
        JudgeKind::Reasoning(scenario) => {
            if scenario != item.scenario {
                return Err(JudgeRequestError::ScenarioMismatch {
                    item_id: item.id.clone(),
                    item_scenario: item.scenario,
                    judge: kind,
                });
            }
            match sample.reasoning {
                Some(trace) if !trace.trim().is_empty() => {
                    values.set(Placeholder::ReasoningThinking, trace)
                }
                _ => return Ok(JudgeMessage::NoTrace),
            }
        }
    }
    template
        .render(&values)
        .map(JudgeMessage::Message)
        .map_err(|error| JudgeRequestError::Template { judge: kind, error })
}

impl JudgePromptSet {
    /// [`judge_message`] with this set's template for `kind`.
    pub fn judge_message(
        &self,
        kind: JudgeKind,
        item: &Item,
        sample: SampleOutput<'_>,
    ) -> Result<JudgeMessage, JudgeRequestError> {
        judge_message(self.template(kind), kind, item, sample)
    }
}
