//! From stored records back to the project's run file: [`assemble_run_file`] turns a
//! [`RunRecord`], the run's items and its [`CallRecord`]s into a
//! [`RunFile`](bsa_core::results::run_file::RunFile), which then writes the JSON export
//! (`write_run_file`), the authors' judged CSV (`to_judged_csv`) and the metrics input.
//!
//! [`plan_of`] rebuilds the run's [`RunPlan`] (items in stored order, k, second judge) and
//! [`keyed_calls`] reads the stored call names against it; names that do not fit are returned,
//! not dropped silently.

use super::record::{CallPayload, CallRecord, RunRecord};
use bsa_core::dataset::Item;
use bsa_core::judge::{JudgeFailure, JudgeKind};
use bsa_core::results::run_file::{
    GeneratedAnswer, Generation, GenerationFailure, JudgeErrorRecord, JudgementRecord,
    RecordedVerdict, RunFile, RunSample, Tool,
};
use bsa_core::run::{CallKey, PlanError, RunPlan, Stage};
use std::collections::HashMap;

/// The run's plan: its items in stored order, k samples, and the second judge if it has one.
pub fn plan_of(record: &RunRecord, items: &[Item]) -> Result<RunPlan, PlanError> {
    let samples = u16::try_from(record.header.k).unwrap_or(u16::MAX);
    RunPlan::new(
        items.iter().map(|item| item.id.clone()).collect(),
        samples,
        record.header.second_judge.is_some(),
    )
}

/// Stored call names read against `plan`; the names that do not fit it come back separately
/// with the reason.
pub fn keyed_calls(
    plan: &RunPlan,
    calls: Vec<(String, CallRecord)>,
) -> (HashMap<CallKey, CallRecord>, Vec<String>) {
    let mut keyed = HashMap::with_capacity(calls.len());
    let mut problems = Vec::new();
    for (name, record) in calls {
        match plan.parse_call(&name) {
            Ok(call) => {
                keyed.insert(call, record);
            }
            Err(error) => problems.push(error.to_string()),
        }
    }
    (keyed, problems)
}

/// The run file of a run; see the module docs. Samples whose generation was never stored (a
/// cancelled or unfinished run) are absent, as the run-file format asks.
pub fn assemble_run_file(
    record: &RunRecord,
    plan: &RunPlan,
    items: &[Item],
    calls: &HashMap<CallKey, CallRecord>,
    tool: Tool,
) -> RunFile {
    let second_judge = plan.has_second_judge();
    let mut samples = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let Ok(item_index) = u32::try_from(index) else {
            break;
        };
        for sample in 0..plan.samples() {
            let key = |stage| CallKey::new(item_index, sample, stage);
            let Some(generation) = calls.get(&key(Stage::Generate)) else {
                continue;
            };
            let generation = generation_of(&generation.payload);
            let mut run_sample = RunSample::unjudged(
                item.id.clone(),
                item.scenario,
                u32::from(sample),
                generation,
                second_judge,
            );
            let reasoning_kind = JudgeKind::Reasoning(item.scenario);
            if let Some(judged) = calls.get(&key(Stage::JudgeAnswer)) {
                run_sample.answer_judgement = judgement_of(JudgeKind::Answer, &judged.payload);
            }
            if let Some(judged) = calls.get(&key(Stage::JudgeReasoning)) {
                run_sample.reasoning_judgement = judgement_of(reasoning_kind, &judged.payload);
            }
            if second_judge {
                if let Some(judged) = calls.get(&key(Stage::SecondJudgeAnswer)) {
                    run_sample.second_answer_judgement =
                        Some(judgement_of(JudgeKind::Answer, &judged.payload));
                }
                if let Some(judged) = calls.get(&key(Stage::SecondJudgeReasoning)) {
                    run_sample.second_reasoning_judgement =
                        Some(judgement_of(reasoning_kind, &judged.payload));
                }
            }
            samples.push(run_sample);
        }
    }
    RunFile {
        tool,
        run: record.header.clone(),
        samples,
    }
}

/// A stored generate call as the run file's [`Generation`].
pub fn generation_of(payload: &CallPayload) -> Generation {
    match payload {
        CallPayload::Generation {
            answer,
            reasoning,
            finish_reason,
            served_model,
            response_id,
            stats,
        } => Generation::Completed(GeneratedAnswer {
            answer: answer.clone(),
            reasoning: reasoning.clone(),
            finish_reason: finish_reason.clone(),
            served_model: served_model.clone(),
            response_id: response_id.clone(),
            call: (*stats).into(),
        }),
        CallPayload::Failure { message, stats } => Generation::Failed(GenerationFailure {
            message: message.clone(),
            call: (*stats).into(),
        }),
        other => Generation::Failed(GenerationFailure {
            message: "the stored record of this generation is a judge's: the sample is not \
                      judged"
                .into(),
            call: (*other.stats()).into(),
        }),
    }
}

/// A stored judge call as the run file's [`JudgementRecord`].
pub fn judgement_of<V: RecordedVerdict>(
    kind: JudgeKind,
    payload: &CallPayload,
) -> JudgementRecord<V> {
    let error = |message: String, reply: Option<String>, payload: &CallPayload| {
        JudgementRecord::JudgeError(JudgeErrorRecord {
            message,
            reply,
            call: (*payload.stats()).into(),
        })
    };
    match payload {
        CallPayload::Verdict {
            verdict,
            reply,
            stats,
        } => JudgementRecord::from_judge_verdict(verdict.clone(), reply.clone(), (*stats).into())
            .unwrap_or_else(|| {
                error(
                    format!(
                        "the judge answered \"{}\", a label of another judge than the {kind}",
                        verdict.label.label()
                    ),
                    Some(reply.clone()),
                    payload,
                )
            }),
        CallPayload::JudgeUnreadable {
            reason,
            asks,
            reply,
            stats,
        } => JudgementRecord::from_judge_failure(
            &JudgeFailure {
                kind,
                attempts: *asks,
                last_reason: reason.clone(),
            },
            reply.clone(),
            (*stats).into(),
        ),
        CallPayload::Failure { message, .. } => error(message.clone(), None, payload),
        CallPayload::Generation { .. } => error(
            "the stored record of this judge call is a generation".into(),
            None,
            payload,
        ),
    }
}
