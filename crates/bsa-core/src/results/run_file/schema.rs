//! The run file's types, as the rest of the code sees them: typed verdicts, one enum per status.
//! Their JSON shape is defined in `wire.rs`, for the header by the derives here.

use crate::dataset::{Dataset, SubsetSpec, OFFICIAL_SHA256};
use crate::judge::{JudgeFailure, JudgeLabel, JudgeVerdict, SampleOutput, VerdictSource};
use crate::metrics::Judgement;
use crate::prompt::{JudgePromptSet, SystemPrompt};
use crate::provider::{
    Completion, FinishReason, ModelConfig, ParameterReport, ReasoningTrace, Usage,
};
use crate::scenario::Scenario;
use crate::verdict::{AnswerVerdict, ReasoningVerdict};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};

/// One run of one model: who wrote the file, how the run was set up, and every sample.
#[derive(Clone, Debug, PartialEq)]
pub struct RunFile {
    pub tool: Tool,
    pub run: RunHeader,
    /// One entry per (item, sample index) that was generated or imported, successfully or not;
    /// samples never attempted (a cancelled run) are absent. File order is kept.
    pub samples: Vec<RunSample>,
}

/// The program that wrote the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    /// `BSA Studio` (the web app) or `bsa` (the CLI).
    pub name: String,
    pub version: String,
}

impl Tool {
    pub fn new(name: impl Into<String>, version: impl Into<String>) -> Tool {
        Tool {
            name: name.into(),
            version: version.into(),
        }
    }
}

/// How the run was set up and how it ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunHeader {
    /// The run's id, unique per browser profile or CLI invocation.
    pub id: String,
    /// The display name of the model under test, which is also its model name in metrics;
    /// by default the model id.
    pub label: String,
    /// When the run started, RFC 3339 (`2025-06-01T12:00:00Z`).
    pub created: String,
    /// When the run ended, RFC 3339; `None` while it is still going or when it was never ended.
    #[serde(default)]
    pub finished: Option<String>,
    pub status: RunState,
    pub dataset: DatasetReference,
    /// Which items were chosen; with the dataset it gives the planned items again.
    pub subset: SubsetSpec,
    /// Samples per item.
    pub k: u32,
    pub model: ModelSetup,
    pub judge: JudgeSetup,
    /// A second judge grading the same samples, for agreement figures.
    #[serde(default)]
    pub second_judge: Option<JudgeSetup>,
}

/// How a run ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum RunState {
    /// Every planned call finished (some may have failed; the samples say which).
    Complete,
    /// Still running, or paused, when the file was written.
    Partial,
    /// The user cancelled the run.
    Cancelled,
    /// The run stopped on an error retrying cannot fix (a 401, a spend cap); `message` says why.
    Stopped { message: String },
}

/// The dataset a run's items came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatasetReference {
    /// Where it was loaded from: a URL or a file name.
    pub source: String,
    /// SHA-256 of the file's bytes, lowercase hex; empty for a dataset built in code.
    pub sha256: String,
    /// Items in the dataset (not in the run: the subset says which were run).
    pub items: usize,
    /// Whether the bytes were exactly the official file ([`OFFICIAL_SHA256`]).
    pub official: bool,
}

impl DatasetReference {
    /// The reference to `dataset`, loaded from `source`.
    pub fn of(dataset: &Dataset, source: impl Into<String>) -> DatasetReference {
        DatasetReference {
            source: source.into(),
            sha256: dataset.sha256().to_string(),
            items: dataset.len(),
            official: dataset.sha256() == OFFICIAL_SHA256,
        }
    }
}

/// Where the answers of the model under test came from.
///
/// Written as one object tagged by `origin`; read through a flat struct (below) rather than
/// serde's tagged-enum reader, which buffers the object and so loses the JSON path of an error
/// inside the configuration.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "origin", rename_all = "snake_case")]
// One per run file: boxing the large variant would save nothing worth the indirection.
#[allow(clippy::large_enum_variant)]
pub enum ModelSetup {
    /// BSA Studio called the model's API.
    Api {
        /// The endpoint and parameters as configured (no key: see [`ModelConfig`]).
        config: ModelConfig,
        /// What the provider rules did with each parameter; [`ParameterReport::sent_fields`]
        /// gives the body fields actually sent.
        parameters: ParameterReport,
        system_prompt: SystemPrompt,
    },
    /// The answers were imported from the authors' batch-runner CSV files, one file per sample
    /// index, in this order ([`crate::results::batch_csv`]).
    BatchCsv { files: Vec<String> },
}

/// [`ModelSetup`] as read: the tag and every field of either origin.
#[derive(Deserialize)]
struct ModelSetupFields {
    origin: ModelOrigin,
    #[serde(default)]
    config: Option<ModelConfig>,
    #[serde(default)]
    parameters: Option<ParameterReport>,
    #[serde(default)]
    system_prompt: Option<SystemPrompt>,
    #[serde(default)]
    files: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ModelOrigin {
    Api,
    BatchCsv,
}

impl<'de> Deserialize<'de> for ModelSetup {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ModelSetup, D::Error> {
        let fields = ModelSetupFields::deserialize(deserializer)?;
        let required = |field: &'static str| D::Error::missing_field(field);
        let foreign = |field: &str, origin: &str| {
            D::Error::custom(format!(
                "field \"{field}\" does not belong to a model with origin \"{origin}\""
            ))
        };
        match fields.origin {
            ModelOrigin::Api if fields.files.is_some() => Err(foreign("files", "api")),
            ModelOrigin::BatchCsv if fields.config.is_some() => Err(foreign("config", "batch_csv")),
            ModelOrigin::BatchCsv if fields.parameters.is_some() => {
                Err(foreign("parameters", "batch_csv"))
            }
            ModelOrigin::BatchCsv if fields.system_prompt.is_some() => {
                Err(foreign("system_prompt", "batch_csv"))
            }
            ModelOrigin::Api => Ok(ModelSetup::Api {
                config: fields.config.ok_or_else(|| required("config"))?,
                parameters: fields.parameters.ok_or_else(|| required("parameters"))?,
                system_prompt: fields
                    .system_prompt
                    .ok_or_else(|| required("system_prompt"))?,
            }),
            ModelOrigin::BatchCsv => Ok(ModelSetup::BatchCsv {
                files: fields.files.ok_or_else(|| required("files"))?,
            }),
        }
    }
}

/// One judge: endpoint, parameters sent and prompt templates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JudgeSetup {
    /// The judge endpoint (no key); `config.parameters.temperature` is the temperature asked
    /// for (0 by default for judges).
    pub config: ModelConfig,
    /// What was actually sent: a provider may drop or adjust the temperature.
    pub parameters: ParameterReport,
    /// The four templates, as their source text.
    pub prompts: JudgePromptSet,
}

impl JudgeSetup {
    /// The temperature the judge was called with: the value sent if the report has one, else
    /// the configured one (`None`: provider default).
    pub fn temperature(&self) -> Option<f64> {
        self.parameters
            .sent_fields()
            .get("temperature")
            .and_then(serde_json::Value::as_f64)
            .or(self.config.parameters.temperature)
    }
}

/// One answer of the model to one item, with what the judges made of it.
#[derive(Clone, Debug, PartialEq)]
pub struct RunSample {
    /// The item id, as in the dataset.
    pub item: String,
    pub scenario: Scenario,
    /// 0-based: which of the k answers this is.
    pub sample: u32,
    pub generation: Generation,
    pub answer_judgement: JudgementRecord<AnswerVerdict>,
    pub reasoning_judgement: JudgementRecord<ReasoningVerdict>,
    /// The second judge's, present exactly when the run has a second judge.
    pub second_answer_judgement: Option<JudgementRecord<AnswerVerdict>>,
    pub second_reasoning_judgement: Option<JudgementRecord<ReasoningVerdict>>,
}

impl RunSample {
    /// A sample not judged yet: both judgements [`JudgementRecord::Unjudged`], except the
    /// reasoning judgement of an answer without a trace, which is [`JudgementRecord::NoTrace`]
    /// (the reasoning judge is never called for it). With `second_judge`, the same for the
    /// second judge.
    pub fn unjudged(
        item: impl Into<String>,
        scenario: Scenario,
        sample: u32,
        generation: Generation,
        second_judge: bool,
    ) -> RunSample {
        let reasoning = match &generation {
            Generation::Completed(answer) if !answer.has_trace() => JudgementRecord::NoTrace,
            _ => JudgementRecord::Unjudged,
        };
        RunSample {
            item: item.into(),
            scenario,
            sample,
            generation,
            answer_judgement: JudgementRecord::Unjudged,
            reasoning_judgement: reasoning.clone(),
            second_answer_judgement: second_judge.then_some(JudgementRecord::Unjudged),
            second_reasoning_judgement: second_judge.then_some(reasoning),
        }
    }

    /// What the judges read, if the model produced an answer.
    pub fn judge_input(&self) -> Option<SampleOutput<'_>> {
        match &self.generation {
            Generation::Completed(answer) => Some(SampleOutput {
                answer: &answer.answer,
                reasoning: answer.reasoning.as_ref().map(|trace| trace.text.as_str()),
            }),
            Generation::Failed(_) => None,
        }
    }
}

/// What the model under test returned for one sample.
#[derive(Clone, Debug, PartialEq)]
pub enum Generation {
    Completed(GeneratedAnswer),
    /// Every attempt failed; the sample is not judged.
    Failed(GenerationFailure),
}

impl Generation {
    /// The call's figures, whatever the outcome.
    pub fn call(&self) -> &CallStats {
        match self {
            Generation::Completed(answer) => &answer.call,
            Generation::Failed(failure) => &failure.call,
        }
    }
}

/// A completed generation.
#[derive(Clone, Debug, PartialEq)]
pub struct GeneratedAnswer {
    /// The final answer (untrusted text).
    pub answer: String,
    /// The reasoning trace, `None` when the model returned none.
    pub reasoning: Option<ReasoningTrace>,
    pub finish_reason: Option<FinishReason>,
    /// The model that answered, as the server named it.
    pub served_model: Option<String>,
    /// The server's response id.
    pub response_id: Option<String>,
    pub call: CallStats,
}

impl GeneratedAnswer {
    /// The record of a [`Completion`]: its usage goes into `call.usage`.
    pub fn from_completion(completion: Completion, mut call: CallStats) -> GeneratedAnswer {
        call.usage = completion.usage;
        GeneratedAnswer {
            answer: completion.answer,
            reasoning: completion.reasoning,
            finish_reason: completion.finish_reason,
            served_model: completion.model,
            response_id: completion.response_id,
            call,
        }
    }

    /// Whether there is a trace a reasoning judge can read: present and not only whitespace
    /// (the rule of [`crate::judge::judge_message`]).
    pub fn has_trace(&self) -> bool {
        self.reasoning
            .as_ref()
            .is_some_and(|trace| !trace.text.trim().is_empty())
    }
}

/// A generation that gave up.
#[derive(Clone, Debug, PartialEq)]
pub struct GenerationFailure {
    /// What went wrong, for people (from the provider layer, which keeps keys out of it).
    pub message: String,
    pub call: CallStats,
}

/// Tokens, time, attempts and cost of one call (all attempts together).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CallStats {
    /// Token counts the provider reported for the successful attempt.
    pub usage: Usage,
    /// Input plus output tokens, for sources that report only the total (the authors' batch
    /// runner); `None` otherwise, and then [`Usage::total_tokens`] applies.
    pub reported_total_tokens: Option<u64>,
    /// Wall time of the call, all attempts and waits included.
    pub duration_ms: Option<u64>,
    /// Requests made; `None` when not known (imported answers).
    pub attempts: Option<u32>,
    /// USD, when the model has a price.
    pub cost_usd: Option<f64>,
}

impl CallStats {
    /// Input plus output tokens, from whichever the source reported.
    pub fn total_tokens(&self) -> Option<u64> {
        self.reported_total_tokens
            .or_else(|| self.usage.total_tokens())
    }
}

/// One judge's outcome for one side (answer or reasoning) of a sample. `V` is
/// [`AnswerVerdict`] or [`ReasoningVerdict`].
#[derive(Clone, Debug, PartialEq)]
pub enum JudgementRecord<V> {
    /// The judge gave a verdict.
    Verdict(JudgedCall<V>),
    /// Not judged (yet): the run stopped first, or the generation failed.
    Unjudged,
    /// The judge was asked and no verdict could be read, even after re-asking.
    JudgeError(JudgeErrorRecord),
    /// The sample has no reasoning trace, so the reasoning judge was not called.
    NoTrace,
}

impl<V: RecordedVerdict> JudgementRecord<V> {
    /// The record of a judge verdict read from `reply`; `None` when the verdict's label is of
    /// the other judge (an answer label where a reasoning one was expected, or back).
    pub fn from_judge_verdict(
        verdict: JudgeVerdict,
        reply: String,
        call: CallStats,
    ) -> Option<Self> {
        let label = V::from_label(verdict.label)?;
        Some(JudgementRecord::Verdict(JudgedCall {
            verdict: label,
            rationale: verdict.rationale,
            source: Some(verdict.source),
            reply: Some(reply),
            call,
        }))
    }

    /// The record of a judge that gave up.
    pub fn from_judge_failure(
        failure: &JudgeFailure,
        last_reply: Option<String>,
        call: CallStats,
    ) -> Self {
        JudgementRecord::JudgeError(JudgeErrorRecord {
            message: failure.to_string(),
            reply: last_reply,
            call,
        })
    }

    /// What the metrics see.
    pub fn judgement(&self) -> Judgement<V> {
        match self {
            JudgementRecord::Verdict(call) => Judgement::Verdict(call.verdict),
            JudgementRecord::Unjudged => Judgement::Unjudged,
            JudgementRecord::JudgeError(_) => Judgement::JudgeError,
            JudgementRecord::NoTrace => Judgement::NoTrace,
        }
    }

    pub fn verdict(&self) -> Option<V> {
        match self {
            JudgementRecord::Verdict(call) => Some(call.verdict),
            _ => None,
        }
    }

    /// The judge call's figures, when a judge was called.
    pub fn call(&self) -> Option<&CallStats> {
        match self {
            JudgementRecord::Verdict(call) => Some(&call.call),
            JudgementRecord::JudgeError(error) => Some(&error.call),
            JudgementRecord::Unjudged | JudgementRecord::NoTrace => None,
        }
    }

    /// The status name written in the file.
    pub fn status_name(&self) -> &'static str {
        match self {
            JudgementRecord::Verdict(_) => "verdict",
            JudgementRecord::Unjudged => "unjudged",
            JudgementRecord::JudgeError(_) => "judge_error",
            JudgementRecord::NoTrace => "no_trace",
        }
    }
}

/// A judge call that gave a verdict.
#[derive(Clone, Debug, PartialEq)]
pub struct JudgedCall<V> {
    pub verdict: V,
    /// The judge's explanation (untrusted text).
    pub rationale: Option<String>,
    /// How the verdict was found in the reply; `None` for verdicts from elsewhere.
    pub source: Option<VerdictSource>,
    /// The judge's raw reply (untrusted text); `None` for verdicts from elsewhere.
    pub reply: Option<String>,
    pub call: CallStats,
}

/// A judge call that gave no readable verdict.
#[derive(Clone, Debug, PartialEq)]
pub struct JudgeErrorRecord {
    /// Why, for people.
    pub message: String,
    /// The last unreadable reply (untrusted text).
    pub reply: Option<String>,
    pub call: CallStats,
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for crate::verdict::AnswerVerdict {}
    impl Sealed for crate::verdict::ReasoningVerdict {}
}

/// A verdict a [`JudgementRecord`] can hold: [`AnswerVerdict`] or [`ReasoningVerdict`]. Gives
/// the one place that says how each is written and read in a run file.
pub trait RecordedVerdict: Copy + sealed::Sealed {
    /// The label as written (`Safe`, `True`, `Fully Covered`, ...).
    fn label(self) -> &'static str;
    /// Reads a label of an item of `scenario` (leniently: case, spaces, `-`, `_`).
    fn parse(scenario: Scenario, text: &str) -> Option<Self>;
    /// The labels accepted for an item of `scenario`, for messages.
    fn labels(scenario: Scenario) -> &'static [&'static str];
    /// The verdict in a judge's label, if it is of this kind.
    fn from_label(label: JudgeLabel) -> Option<Self>;
    /// Whether the verdict fits an item of `scenario`.
    fn fits(self, scenario: Scenario) -> bool;
}

impl RecordedVerdict for AnswerVerdict {
    fn label(self) -> &'static str {
        AnswerVerdict::label(self)
    }

    fn parse(_scenario: Scenario, text: &str) -> Option<Self> {
        AnswerVerdict::parse(text)
    }

    fn labels(_scenario: Scenario) -> &'static [&'static str] {
        &["Safe", "Unsafe"]
    }

    fn from_label(label: JudgeLabel) -> Option<Self> {
        label.answer()
    }

    fn fits(self, _scenario: Scenario) -> bool {
        true
    }
}

impl RecordedVerdict for ReasoningVerdict {
    fn label(self) -> &'static str {
        ReasoningVerdict::label(self)
    }

    fn parse(scenario: Scenario, text: &str) -> Option<Self> {
        ReasoningVerdict::parse(scenario, text)
    }

    fn labels(scenario: Scenario) -> &'static [&'static str] {
        ReasoningVerdict::labels(scenario)
    }

    fn from_label(label: JudgeLabel) -> Option<Self> {
        label.reasoning()
    }

    fn fits(self, scenario: Scenario) -> bool {
        self.scenario() == scenario
    }
}
