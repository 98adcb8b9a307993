//! Native tests of the run state: reducer transitions, and the agreement between the live ledger
//! and the run file assembled from the same stored records.

use super::assemble::{assemble_run_file, keyed_calls, plan_of};
use super::ledger::SampleLedger;
use super::live::live_metrics;
use super::record::{CallPayload, CallRecord, Lifecycle, RecordProgress, RunRecord, StatsRecord};
use super::*;
use bsa_core::dataset::{Dataset, Item, Risk, SubsetSpec};
use bsa_core::judge::{parse_verdict, JudgeKind, UnparsableReason};
use bsa_core::prompt::{JudgePromptSet, SystemPrompt};
use bsa_core::provider::{
    ModelConfig, ParameterReport, PresetId, ReasoningSource, ReasoningTrace, Usage,
};
use bsa_core::results::run_file::{
    DatasetReference, JudgeSetup, ModelSetup, RunHeader, RunState as FileState, Tool, WhichJudge,
};
use bsa_core::run::{
    CallKey, RunStatus, SchedulerConfig, Spend, Stage, StagePrices, StoredOutcome, StoredResult,
};
use bsa_core::scenario::Scenario;
use std::collections::HashMap;

fn item(id: &str, scenario: Scenario) -> Item {
    Item {
        id: id.into(),
        query: format!("query {id}"),
        risk_summary: format!("risk of {id}"),
        scenario,
        risks: vec![Risk {
            part: None,
            primary: "Rumors".into(),
            secondary: "Rumors".into(),
        }],
    }
}

fn items() -> Vec<Item> {
    vec![
        item("ro", Scenario::RiskOmission),
        item("cs", Scenario::CognitiveShortcut),
        item("os", Scenario::OverSensitivity),
    ]
}

fn judge_setup() -> JudgeSetup {
    JudgeSetup {
        config: ModelConfig::new(PresetId::Simulator, "sim-judge"),
        parameters: ParameterReport::default(),
        prompts: JudgePromptSet::defaults(),
    }
}

pub(super) fn record(id: &str, created: &str, second_judge: bool) -> RunRecord {
    let dataset = Dataset::from_items(items());
    RunRecord {
        header: RunHeader {
            id: id.into(),
            label: "sim-reasoner".into(),
            created: created.into(),
            finished: None,
            status: FileState::Partial,
            dataset: DatasetReference::of(&dataset, "test"),
            subset: SubsetSpec::all(),
            k: 2,
            model: ModelSetup::Api {
                config: ModelConfig::new(PresetId::Simulator, "sim-reasoner"),
                parameters: ParameterReport::default(),
                system_prompt: SystemPrompt::None,
            },
            judge: judge_setup(),
            second_judge: second_judge.then(judge_setup),
        },
        lifecycle: Lifecycle::Running,
        scheduling: SchedulerConfig::default(),
        prices: StagePrices::default(),
        progress: RecordProgress::default(),
        updated_ms: 0.0,
        rates: Vec::new(),
    }
}

fn outcome(result: StoredResult) -> StoredOutcome {
    StoredOutcome {
        result,
        failed_attempts: 0,
        unparsable_replies: 0,
        spend: Spend::NONE,
    }
}

fn generated(trace: Option<&str>) -> CallRecord {
    CallRecord {
        outcome: outcome(StoredResult::Generated {
            has_reasoning: trace.is_some(),
        }),
        payload: CallPayload::Generation {
            answer: "an answer".into(),
            reasoning: trace.map(|text| ReasoningTrace {
                text: text.into(),
                source: ReasoningSource::ReasoningContent,
                summarized: false,
                redacted: false,
            }),
            finish_reason: None,
            served_model: None,
            response_id: None,
            stats: StatsRecord {
                usage: Usage::default(),
                duration_ms: Some(5),
                attempts: Some(1),
                ..StatsRecord::default()
            },
        },
    }
}

fn failed(message: &str) -> CallRecord {
    let reason = bsa_core::run::FailureReason::RetriesExhausted {
        kind: bsa_core::run::RetryKind::ServerError(500),
        attempts: 6,
    };
    CallRecord {
        outcome: outcome(StoredResult::Failed {
            reason,
            message: message.into(),
        }),
        payload: CallPayload::Failure {
            message: message.into(),
            stats: StatsRecord::default(),
        },
    }
}

fn verdict(kind: JudgeKind, label: &str) -> CallRecord {
    let reply = format!("{{\"rationale\": \"because\", \"verdict\": \"{label}\"}}");
    let verdict = parse_verdict(kind, &reply).expect("a readable test reply");
    CallRecord {
        outcome: outcome(StoredResult::Judged),
        payload: CallPayload::Verdict {
            verdict,
            reply,
            stats: StatsRecord::default(),
        },
    }
}

fn unreadable() -> CallRecord {
    CallRecord {
        outcome: outcome(StoredResult::Failed {
            reason: bsa_core::run::FailureReason::JudgeUnparsable { asks: 3 },
            message: "no verdict".into(),
        }),
        payload: CallPayload::JudgeUnreadable {
            reason: UnparsableReason::NoVerdict,
            asks: 3,
            reply: Some("hmm".into()),
            stats: StatsRecord::default(),
        },
    }
}

/// Stored calls covering every case: verdicts, no trace, a failed generation, an unreadable
/// judge, pending judges, a sample never generated, and second-judge verdicts.
fn stored_calls() -> Vec<(String, CallRecord)> {
    let ro = JudgeKind::Reasoning(Scenario::RiskOmission);
    let cs = JudgeKind::Reasoning(Scenario::CognitiveShortcut);
    vec![
        (
            "ro/0/generate".into(),
            generated(Some("thinking about rumors")),
        ),
        (
            "ro/0/judge-answer".into(),
            verdict(JudgeKind::Answer, "Safe"),
        ),
        ("ro/0/judge-reasoning".into(), verdict(ro, "true")),
        (
            "ro/0/judge2-answer".into(),
            verdict(JudgeKind::Answer, "Unsafe"),
        ),
        ("ro/0/judge2-reasoning".into(), verdict(ro, "true")),
        ("ro/1/generate".into(), generated(None)),
        (
            "ro/1/judge-answer".into(),
            verdict(JudgeKind::Answer, "Unsafe"),
        ),
        (
            "ro/1/judge2-answer".into(),
            verdict(JudgeKind::Answer, "Unsafe"),
        ),
        ("cs/0/generate".into(), failed("500 from sim: server error")),
        ("cs/1/generate".into(), generated(Some("two risks here"))),
        ("cs/1/judge-answer".into(), unreadable()),
        (
            "cs/1/judge-reasoning".into(),
            verdict(cs, "Partially Covered"),
        ),
        ("os/0/generate".into(), generated(Some("pending judges"))),
    ]
}

#[test]
fn the_ledger_agrees_with_the_assembled_run_file() {
    let record = record("run-1", "2025-06-01T12:00:00Z", true);
    let items = items();
    let plan = plan_of(&record, &items).unwrap();
    let (calls, problems) = keyed_calls(&plan, stored_calls());
    assert!(problems.is_empty(), "{problems:?}");
    let file = assemble_run_file(
        &record,
        &plan,
        &items,
        &calls,
        Tool::new("BSA Studio", "test"),
    );
    assert!(
        file.check("export").is_empty(),
        "{:?}",
        file.check("export")
    );
    // 5 generated samples (os/1 never was).
    assert_eq!(file.samples.len(), 5);

    let mut ledger = SampleLedger::new(&plan, &items);
    for (call, record) in &calls {
        ledger.record(*call, record);
    }
    let sorted = |set: bsa_core::metrics::SampleSet| {
        let mut rows: Vec<_> = set
            .samples()
            .iter()
            .map(|s| {
                (
                    set.item_key(s.item).to_string(),
                    s.index,
                    format!("{:?}", s.answer),
                    format!("{:?}", s.reasoning),
                )
            })
            .collect();
        rows.sort();
        rows
    };
    assert_eq!(
        sorted(ledger.sample_set("sim-reasoner").unwrap()),
        sorted(file.sample_set().unwrap())
    );
    for which in [WhichJudge::First, WhichJudge::Second] {
        let mut from_ledger = ledger.labels(which);
        let mut from_file = file.judge_labels(which);
        from_ledger.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
        from_file.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
        assert_eq!(from_ledger, from_file, "{which:?}");
    }
}

#[test]
fn live_metrics_score_what_was_judged() {
    let record = record("run-1", "2025-06-01T12:00:00Z", true);
    let items = items();
    let plan = plan_of(&record, &items).unwrap();
    let (calls, _) = keyed_calls(&plan, stored_calls());
    let mut ledger = SampleLedger::new(&plan, &items);
    for (call, record) in &calls {
        ledger.record(*call, record);
    }
    let metrics = live_metrics(&ledger, "sim-reasoner", 2, true, true, None);
    assert_eq!(metrics.samples, 5);
    let score = metrics.score.expect("scored");
    // By hand: answer verdicts exist for ro/0 (Safe) and ro/1 (Unsafe): the RO item's
    // Safe@1 is 1/2; the CS item has no answer verdict (a failed generation and an unreadable
    // judge) and the OS item none yet, so Safe@1 over evaluated items is 50 %.
    assert_eq!(score.headline.safe_at_1, Some(50.0));
    let agreement = metrics.agreement.expect("second judge");
    // Answers: both judges labelled ro/0 (Safe vs Unsafe) and ro/1 (Unsafe vs Unsafe).
    let answer = agreement.answer.expect("paired answers");
    assert_eq!(answer.n, 2);
    assert_eq!(answer.differing.len(), 1);
    assert_eq!(answer.differing[0].item_id, "ro");
}

#[test]
fn calls_outside_the_plan_are_reported_not_dropped_silently() {
    let record = record("run-1", "2025-06-01T12:00:00Z", false);
    let items = items();
    let plan = plan_of(&record, &items).unwrap();
    let (calls, problems) = keyed_calls(
        &plan,
        vec![
            ("ro/0/generate".into(), generated(None)),
            (
                "ro/0/judge2-answer".into(),
                verdict(JudgeKind::Answer, "Safe"),
            ),
            ("zz/0/generate".into(), generated(None)),
        ],
    );
    assert_eq!(calls.len(), 1);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(calls.contains_key(&CallKey::new(0, 0, Stage::Generate)));
}

#[test]
fn the_reducer_lists_updates_and_deletes_runs() {
    let mut state = RunState::default();
    assert_eq!(state.store, StoreStatus::Loading);
    state.apply(RunAction::Listed(vec![
        record("old", "2025-01-01T00:00:00Z", false),
        record("new", "2025-06-01T00:00:00Z", false),
    ]));
    assert_eq!(state.store, StoreStatus::Ready);
    let ids: Vec<&str> = state.runs.iter().map(|e| e.id()).collect();
    assert_eq!(ids, vec!["new", "old"], "newest first");

    let mut changed = record("old", "2025-01-01T00:00:00Z", false);
    changed.set_lifecycle(Lifecycle::Finished, "2025-01-02T00:00:00Z");
    state.apply(RunAction::Saved(Rc::new(changed)));
    let old = state.entry("old").unwrap();
    assert_eq!(old.record.lifecycle, Lifecycle::Finished);
    assert_eq!(old.record.header.status, FileState::Complete);
    assert_eq!(
        old.record.header.finished.as_deref(),
        Some("2025-01-02T00:00:00Z")
    );

    state.apply(RunAction::Engine {
        run_id: "new".into(),
        engine: EngineAttachment::Active,
    });
    state.apply(RunAction::Open(Some("new".into())));
    // A later listing (another tab, a refresh) keeps what the engine reported.
    state.apply(RunAction::Listed(vec![record(
        "new",
        "2025-06-01T00:00:00Z",
        false,
    )]));
    assert_eq!(state.runs.len(), 2);
    assert_eq!(state.entry("new").unwrap().engine, EngineAttachment::Active);

    state.apply(RunAction::Deleted("new".into()));
    assert!(state.entry("new").is_none());
    assert_eq!(state.open, None, "the open run was deleted");
}

#[test]
fn the_remembered_form_is_applied_once() {
    let mut state = RunState::default();
    let mut stored = form::RunForm {
        k: "3".into(),
        ..form::RunForm::default()
    };
    state.apply(RunAction::FormRestored(Some(Box::new(stored.clone()))));
    assert_eq!(state.form.k, "3");
    stored.k = "4".into();
    state.apply(RunAction::FormRestored(Some(Box::new(stored))));
    assert_eq!(state.form.k, "3", "a second restore is ignored");
}

#[test]
fn progress_and_metrics_reach_their_run_only() {
    let mut state = RunState::default();
    state.apply(RunAction::Listed(vec![
        record("a", "2025-01-01T00:00:00Z", false),
        record("b", "2025-01-02T00:00:00Z", false),
    ]));
    let plan = plan_of(&record("a", "x", false), &items()).unwrap();
    let scheduler = bsa_core::run::Scheduler::new(plan, SchedulerConfig::default()).unwrap();
    let progress = Rc::new(scheduler.progress(0));
    assert_eq!(progress.status, RunStatus::Running);
    state.apply(RunAction::Progress {
        run_id: "a".into(),
        progress: progress.clone(),
    });
    assert!(state.entry("a").unwrap().progress.is_some());
    assert!(state.entry("b").unwrap().progress.is_none());
    // Unknown runs are ignored rather than invented.
    state.apply(RunAction::Progress {
        run_id: "zz".into(),
        progress,
    });
    assert_eq!(state.runs.len(), 2);
    let _unused: HashMap<(), ()> = HashMap::new();
}

#[test]
fn a_live_answer_keeps_its_last_characters_and_counts_all() {
    let mut live = super::LiveText::default();
    live.push_answer("ab");
    assert_eq!((live.answer.as_str(), live.answer_chars), ("ab", 2));
    // Multi-byte characters are cut at character boundaries, never inside one.
    let long: String = "é".repeat(super::LiveText::KEEP + 3);
    live.push_answer(&long);
    assert_eq!(live.answer_chars, super::LiveText::KEEP + 5);
    assert_eq!(live.answer.chars().count(), super::LiveText::KEEP);
    assert!(live.answer.chars().all(|c| c == 'é'));
    live.push_answer("z");
    assert!(live.answer.ends_with("éz"));
    assert_eq!(live.answer.chars().count(), super::LiveText::KEEP);
}
