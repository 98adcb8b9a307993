//! The authors' batch-runner output as a run: [`import_batch`] reads the files with the core's
//! `read_batch_passes` (file i is sample i), stores every answer as a finished generate call,
//! and starts the run, which then has only its judge calls to make. It is stored, resumed and
//! exported like any run.
//!
//! A file with problems is refused whole (the problems are shown, located): importing the good
//! rows would silently change the samples a model is scored on. An item that one file answers
//! and another does not gets a failed generation for the missing pass, named as such.

use super::clock;
use super::start::{jitter_seed, resume_stored};
use super::EngineKeys;
use crate::services::run_store::RunStore;
use crate::state::run::record::{
    CallPayload, CallRecord, Lifecycle, RecordProgress, RunRecord, StatsRecord,
};
use crate::state::run::settings::{preview_report, RunSettings};
use crate::state::run::RunAction;
use crate::state::{Action, AppDispatcher};
use bsa_core::dataset::{Dataset, Item, SubsetSpec};
use bsa_core::diagnostic::Problem;
use bsa_core::results::batch_csv::{read_batch_passes, BatchCsvFile};
use bsa_core::results::run_file::{
    DatasetReference, Generation, JudgeSetup, ModelSetup, RunHeader, RunState,
};
use bsa_core::run::{
    CallKey, FailureReason, RetryKind, RunPlan, Spend, Stage, StoredOutcome, StoredResult,
};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// Files to import and what to judge them with.
pub struct BatchImport {
    /// (file name, bytes), in pass order.
    pub files: Vec<(String, Vec<u8>)>,
    pub dataset: Rc<Dataset>,
    pub dataset_reference: DatasetReference,
    /// The form's checked settings: the judges, prompts, limits and prices are used.
    pub settings: RunSettings,
    pub label: String,
    pub keys: EngineKeys,
}

/// How an import went.
pub enum ImportOutcome {
    /// Nothing was imported: the files have these problems.
    Problems(Vec<Problem>),
    Imported {
        run_id: String,
        samples: usize,
    },
}

/// A batch answer as a stored generate call.
fn generation_record(generation: &Generation) -> CallRecord {
    match generation {
        Generation::Completed(answer) => CallRecord {
            outcome: StoredOutcome {
                result: StoredResult::Generated {
                    has_reasoning: answer.has_trace(),
                },
                failed_attempts: 0,
                unparsable_replies: 0,
                spend: Spend::NONE,
            },
            payload: CallPayload::Generation {
                answer: answer.answer.clone(),
                reasoning: answer.reasoning.clone(),
                finish_reason: answer.finish_reason.clone(),
                served_model: answer.served_model.clone(),
                response_id: answer.response_id.clone(),
                stats: StatsRecord::from(&answer.call),
            },
        },
        Generation::Failed(failure) => failed_record(
            format!("the batch runner recorded a failure: {}", failure.message),
            StatsRecord::from(&failure.call),
        ),
    }
}

fn failed_record(message: String, stats: StatsRecord) -> CallRecord {
    CallRecord {
        outcome: StoredOutcome {
            // The scheduler's record of a call that gave up; the message says it was the batch
            // runner's call, not one made here.
            result: StoredResult::Failed {
                reason: FailureReason::RetriesExhausted {
                    kind: RetryKind::Network,
                    attempts: 1,
                },
                message: message.clone(),
            },
            failed_attempts: 1,
            unparsable_replies: 0,
            spend: Spend::NONE,
        },
        payload: CallPayload::Failure { message, stats },
    }
}

/// Reads, stores and starts an import; see the module docs.
pub async fn import_batch(
    import: BatchImport,
    store: RunStore,
    dispatcher: AppDispatcher,
) -> Result<ImportOutcome, String> {
    let settings = &import.settings;
    let files: Vec<BatchCsvFile<'_>> = import
        .files
        .iter()
        .map(|(name, bytes)| BatchCsvFile {
            source: name,
            bytes,
        })
        .collect();
    let read = read_batch_passes(&files, &import.dataset, settings.second_judge.is_some());
    if !read.problems.is_empty() {
        return Ok(ImportOutcome::Problems(read.problems));
    }
    if read.samples.is_empty() {
        return Err("the files hold no answers".into());
    }
    let k = u16::try_from(read.k).map_err(|_| format!("{} files: too many passes", read.k))?;
    let answered: HashSet<&str> = read.samples.iter().map(|s| s.item.as_str()).collect();
    let items: Vec<Item> = import
        .dataset
        .items()
        .iter()
        .filter(|item| answered.contains(item.id.as_str()))
        .cloned()
        .collect();
    let plan = RunPlan::new(
        items.iter().map(|item| item.id.clone()).collect(),
        k,
        settings.second_judge.is_some(),
    )
    .map_err(|error| error.to_string())?;
    let mut by_key: HashMap<(&str, u32), &Generation> = HashMap::new();
    for sample in &read.samples {
        by_key.insert((sample.item.as_str(), sample.sample), &sample.generation);
    }
    let mut calls = Vec::with_capacity(plan.calls_per_stage());
    for (index, item) in items.iter().enumerate() {
        for sample in 0..k {
            let call = CallKey::new(index as u32, sample, Stage::Generate);
            let Some(name) = plan.call_name(call) else {
                continue;
            };
            let record = match by_key.get(&(item.id.as_str(), u32::from(sample))) {
                Some(generation) => generation_record(generation),
                None => failed_record(
                    format!(
                        "{} has no answer for this item (pass {} of {k})",
                        read.sources
                            .get(usize::from(sample))
                            .map_or("the file", String::as_str),
                        sample + 1
                    ),
                    StatsRecord::default(),
                ),
            };
            calls.push((name, record));
        }
    }
    let run_id = clock::new_run_id();
    let report = |config: &bsa_core::provider::ModelConfig| {
        preview_report(config).map_err(|error| error.to_string())
    };
    let judge_setup = |config: &bsa_core::provider::ModelConfig| -> Result<JudgeSetup, String> {
        Ok(JudgeSetup {
            config: config.clone(),
            parameters: report(config)?,
            prompts: settings.prompts.clone(),
        })
    };
    let prices = bsa_core::run::StagePrices {
        model: None,
        ..settings.prices
    };
    let record = RunRecord {
        header: RunHeader {
            id: run_id.clone(),
            label: import.label.clone(),
            created: clock::now_rfc3339(),
            finished: None,
            status: RunState::Partial,
            dataset: import.dataset_reference.clone(),
            subset: SubsetSpec::all(),
            k: u32::from(k),
            model: ModelSetup::BatchCsv {
                files: read.sources.clone(),
            },
            judge: judge_setup(&settings.judge)?,
            second_judge: match &settings.second_judge {
                Some(config) => Some(judge_setup(config)?),
                None => None,
            },
        },
        lifecycle: Lifecycle::Running,
        scheduling: settings.limits.scheduler_config(
            None,
            &settings.judge,
            settings.second_judge.as_ref(),
            settings.spend_cap_usd,
            jitter_seed(&run_id),
        ),
        prices,
        progress: RecordProgress {
            finished: 0,
            total: plan.call_count() as u64,
        },
        updated_ms: clock::now_ms() as f64,
        rates: Vec::new(),
    };
    let samples = read.samples.len();
    let error = |error: crate::services::run_store::StoreError| error.to_string();
    store.put_items(&run_id, &items).await.map_err(error)?;
    store.put_calls(&run_id, &calls).await.map_err(error)?;
    store.put_run(&record).await.map_err(error)?;
    dispatcher.dispatch(Action::Run(RunAction::Saved(Rc::new(record.clone()))));
    dispatcher.dispatch(Action::Run(RunAction::Open(Some(run_id.clone()))));
    resume_stored(record, import.keys, store, dispatcher).await?;
    Ok(ImportOutcome::Imported { run_id, samples })
}
