//! Making engines: [`start_new`] (a new run from checked settings), [`attach_stored`] (a stored
//! run rebuilt from IndexedDB: the core's `Scheduler::restore` over the stored call outcomes,
//! the ledger and the texts its pending judges need), [`resume_stored`] and [`view_stored`]
//! (the figures of a stored run, without driving it).

use super::clock;
use super::driver::{EngineCore, RunEngine, RunSetup, SampleText};
use super::EngineKeys;
use crate::services::run_store::RunStore;
use crate::state::run::assemble::{keyed_calls, plan_of};
use crate::state::run::ledger::SampleLedger;
use crate::state::run::live::live_metrics;
use crate::state::run::record::{CallPayload, CallRecord, Lifecycle, RecordProgress, RunRecord};
use crate::state::run::settings::{preview_report, RunSettings};
use crate::state::run::{EngineAttachment, RunAction, RunNotice};
use crate::state::{Action, AppDispatcher};
use bsa_core::dataset::{Dataset, Item};
use bsa_core::results::run_file::{DatasetReference, JudgeSetup, ModelSetup, RunHeader, RunState};
use bsa_core::run::{CallKey, RunPlan, Scheduler, Stage};
use std::collections::HashMap;
use std::rc::Rc;

/// A run about to start.
pub struct NewRun {
    pub settings: RunSettings,
    /// The chosen items, in run order.
    pub items: Vec<Item>,
    pub dataset: DatasetReference,
    pub keys: EngineKeys,
}

/// A seed for the backoff jitter from the run id (FNV-1a): fixed per run, different across runs.
pub fn jitter_seed(run_id: &str) -> u64 {
    run_id.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn notice(dispatcher: &AppDispatcher, error: bool, text: String) {
    dispatcher.dispatch(Action::Run(RunAction::Notice(Some(RunNotice {
        error,
        text,
    }))));
}

/// Creates, stores and starts a run; returns its id.
pub async fn start_new(
    new: NewRun,
    store: RunStore,
    dispatcher: AppDispatcher,
) -> Result<String, String> {
    let settings = &new.settings;
    let run_id = clock::new_run_id();
    let plan = RunPlan::new(
        new.items.iter().map(|item| item.id.clone()).collect(),
        settings.k,
        settings.second_judge.is_some(),
    )
    .map_err(|error| error.to_string())?;
    let scheduling = settings.scheduler_config(jitter_seed(&run_id));
    let scheduler = Scheduler::new(plan.clone(), scheduling.clone()).map_err(|e| e.to_string())?;
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
    let record = RunRecord {
        header: RunHeader {
            id: run_id.clone(),
            label: settings.label.clone(),
            created: clock::now_rfc3339(),
            finished: None,
            status: RunState::Partial,
            dataset: new.dataset.clone(),
            subset: settings.subset.clone(),
            k: u32::from(settings.k),
            model: ModelSetup::Api {
                config: settings.model.clone(),
                parameters: report(&settings.model)?,
                system_prompt: settings.system_prompt.clone(),
            },
            judge: judge_setup(&settings.judge)?,
            second_judge: match &settings.second_judge {
                Some(config) => Some(judge_setup(config)?),
                None => None,
            },
        },
        lifecycle: Lifecycle::Running,
        scheduling,
        prices: settings.prices,
        progress: RecordProgress {
            finished: 0,
            total: plan.call_count() as u64,
        },
        updated_ms: clock::now_ms() as f64,
        rates: Vec::new(),
    };
    store
        .put_items(&run_id, &new.items)
        .await
        .map_err(|error| error.to_string())?;
    store
        .put_run(&record)
        .await
        .map_err(|error| error.to_string())?;
    let ledger = SampleLedger::new(&plan, &new.items);
    let setup = RunSetup::of(&record, new.items);
    dispatcher.dispatch(Action::Run(RunAction::Saved(Rc::new(record.clone()))));
    let core = EngineCore::new(record, scheduler, new.keys, ledger, HashMap::new());
    let engine = RunEngine::new(setup, core, store, dispatcher.clone());
    super::register(engine.clone());
    dispatcher.dispatch(Action::Run(RunAction::Engine {
        run_id: run_id.clone(),
        engine: EngineAttachment::Active,
    }));
    dispatcher.dispatch(Action::Run(RunAction::Open(Some(run_id.clone()))));
    engine.pump();
    Ok(run_id)
}

/// A stored run's parts read back: its items, plan and stored calls.
struct StoredRun {
    items: Vec<Item>,
    plan: RunPlan,
    calls: HashMap<CallKey, CallRecord>,
    problems: Vec<String>,
}

async fn read_stored(record: &RunRecord, store: &RunStore) -> Result<StoredRun, String> {
    let items = store
        .items(record.id())
        .await
        .map_err(|error| error.to_string())?;
    let plan = plan_of(record, &items).map_err(|error| error.to_string())?;
    let read = store
        .calls(record.id())
        .await
        .map_err(|error| error.to_string())?;
    let (calls, mut problems) = keyed_calls(&plan, read.records);
    problems.extend(read.problems);
    Ok(StoredRun {
        items,
        plan,
        calls,
        problems,
    })
}

/// Rebuilds the scheduler and ledger of a stored run.
fn rebuild(
    record: &RunRecord,
    stored: &StoredRun,
) -> Result<(Scheduler, SampleLedger, Vec<String>), String> {
    let outcomes = stored
        .calls
        .iter()
        .map(|(call, record)| (*call, record.outcome.clone()));
    let mut restored = Scheduler::restore(stored.plan.clone(), record.scheduling.clone(), outcomes)
        .map_err(|error| error.to_string())?;
    // The last minute's starts and a retry-after hold, as of the record's last write: starts
    // of the last `RECORD_EVERY_MS` before the page closed are not counted.
    restored
        .scheduler
        .remember_rates(&record.rates, clock::now_ms());
    let mut ledger = SampleLedger::new(&stored.plan, &stored.items);
    for (call, record) in &stored.calls {
        ledger.record(*call, record);
    }
    let mut problems = stored.problems.clone();
    problems.extend(restored.problems.iter().map(ToString::to_string));
    Ok((restored.scheduler, ledger, problems))
}

/// Attaches an engine to a stored run without starting any call (see [`resume_stored`]).
pub async fn attach_stored(
    record: RunRecord,
    keys: EngineKeys,
    store: RunStore,
    dispatcher: AppDispatcher,
) -> Result<Rc<RunEngine>, String> {
    if let Some(engine) = super::engine(record.id()) {
        return Ok(engine);
    }
    let stored = read_stored(&record, &store).await?;
    // Another caller (a second click on Resume) may have attached one while this one read.
    if let Some(engine) = super::engine(record.id()) {
        return Ok(engine);
    }
    let (mut scheduler, ledger, problems) = rebuild(&record, &stored)?;
    if let Lifecycle::Paused {
        spend_cap: false, ..
    } = record.lifecycle
    {
        scheduler.pause();
    }
    // The texts of generated samples whose judges are still to come.
    let mut texts = HashMap::new();
    for (call, stored_call) in &stored.calls {
        if call.stage != Stage::Generate {
            continue;
        }
        let CallPayload::Generation {
            answer, reasoning, ..
        } = &stored_call.payload
        else {
            continue;
        };
        let pending = stored.plan.stages().iter().skip(1).any(|stage| {
            scheduler
                .call_state(CallKey::new(call.item, call.sample, *stage))
                .is_some_and(|state| !state.is_terminal())
        });
        if pending {
            texts.insert(
                (call.item, call.sample),
                Rc::new(SampleText {
                    answer: answer.clone(),
                    reasoning: reasoning.as_ref().map(|trace| trace.text.clone()),
                }),
            );
        }
    }
    if !problems.is_empty() {
        notice(
            &dispatcher,
            false,
            format!(
                "Run {}: {} stored record(s) did not fit and were set aside: {}",
                record.header.label,
                problems.len(),
                problems.join("; ")
            ),
        );
    }
    let run_id = record.id().to_string();
    let setup = RunSetup::of(&record, stored.items);
    let core = EngineCore::new(record, scheduler, keys, ledger, texts);
    let engine = RunEngine::new(setup, core, store, dispatcher.clone());
    super::register(engine.clone());
    dispatcher.dispatch(Action::Run(RunAction::Engine {
        run_id,
        engine: EngineAttachment::Active,
    }));
    Ok(engine)
}

/// Resumes a stored run (restoring it first if no engine drives it) with these keys.
pub async fn resume_stored(
    record: RunRecord,
    keys: EngineKeys,
    store: RunStore,
    dispatcher: AppDispatcher,
) -> Result<(), String> {
    let engine = attach_stored(record, EngineKeys::default(), store, dispatcher).await?;
    engine.resume(keys);
    Ok(())
}

/// The progress and metrics of a stored run that no engine drives, for viewing.
pub async fn view_stored(
    record: RunRecord,
    store: RunStore,
    dispatcher: AppDispatcher,
) -> Result<(), String> {
    if super::engine(record.id()).is_some() {
        return Ok(());
    }
    let stored = read_stored(&record, &store).await?;
    let (scheduler, ledger, _) = rebuild(&record, &stored)?;
    let k = u16::try_from(record.header.k).unwrap_or(u16::MAX);
    let metrics = live_metrics(
        &ledger,
        &record.header.label,
        k,
        record.header.second_judge.is_some(),
        record.lifecycle != Lifecycle::Finished,
        Some(&Dataset::from_items(stored.items)),
    );
    let mut progress = scheduler.progress(clock::now_ms());
    // The restored scheduler does not know why the run stopped: the record does.
    progress.status = match &record.lifecycle {
        Lifecycle::Finished => bsa_core::run::RunStatus::Finished,
        _ => progress.status,
    };
    let run_id = record.id().to_string();
    dispatcher.dispatch(Action::Run(RunAction::Progress {
        run_id: run_id.clone(),
        progress: Rc::new(progress),
    }));
    dispatcher.dispatch(Action::Run(RunAction::Metrics {
        run_id,
        metrics: Rc::new(metrics),
    }));
    Ok(())
}
