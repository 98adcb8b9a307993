//! [`RunEngine`]: one run being driven in this page.
//!
//! It owns the core's [`Scheduler`] and does what the scheduler asks: `pump` polls it and
//! starts every dispatched call (each in its own task) or sets one timer for the next wake-up;
//! a call task builds the request, sends it with a deadline, classifies the answer, reports it
//! to the scheduler at once and pumps (a call that will be retried frees its place now), writes
//! the call's record to IndexedDB, then reports the write (`stored`, which frees the place, or
//! `store_failed`, which stops the run with the storage error) and pumps again.
//!
//! The resume guarantee: the scheduler counts a call as finished only once its record is
//! committed (until then it is "being stored": not sent again, not counted, holding its place in
//! the concurrency limit, and the run cannot finish), and a judge call is only sent once its
//! generation's record is committed. So a reload or crash repeats at most the calls that were in
//! flight or being stored (their records never reached IndexedDB), at most `concurrency` of
//! them, never a stored one, and loses none.
//!
//! What the page sees is throttled: progress at most every [`PROGRESS_EVERY_MS`], live metrics
//! every [`METRICS_EVERY_MS`], the stored run record (its progress summary) every
//! [`RECORD_EVERY_MS`]; lifecycle changes (paused, stopped, finished) go out at once.
//!
//! Memory: answer texts are held only until their sample's judge calls are done (the
//! scheduler judges generated samples before generating new ones, so that is a handful); the
//! live metrics come from the compact [`SampleLedger`].

use super::call::{self, ExchangeError};
use super::classify::{
    error_attempt, generation_attempt, judge_attempt, payload_of, setup_failure, Attempt,
    AttemptResult,
};
use super::clock;
use super::follow_up::{with_follow_up, FollowUp};
use super::EngineKeys;
use crate::services::provider_http::{AbortReason, CallAbort};
use crate::services::run_store::RunStore;
use crate::state::run::endpoint::EndpointRole;
use crate::state::run::ledger::SampleLedger;
use crate::state::run::live::live_metrics;
use crate::state::run::record::{CallPayload, CallRecord, Lifecycle, RecordProgress, RunRecord};
use crate::state::run::{EngineAttachment, LiveText, RunAction};
use crate::state::{Action, AppDispatcher};
use bsa_core::dataset::{Dataset, Item};
use bsa_core::judge::{follow_up_message, JudgeKind, JudgeMessage, SampleOutput};
use bsa_core::prompt::JudgePromptSet;
use bsa_core::provider::{
    build_request, ChatPrompt, Completion, ModelConfig, PreparedCall, StreamDelta,
};
use bsa_core::results::run_file::ModelSetup;
use bsa_core::run::{
    AttemptOutcome, CallKey, Dispatch, Disposition, Poll, Price, RunStatus, Scheduler, Stage,
    StagePrices,
};
use gloo_timers::callback::Timeout;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::{Rc, Weak};
use wasm_bindgen_futures::spawn_local;

/// Progress reaches the page at most this often.
pub const PROGRESS_EVERY_MS: u64 = 200;
/// Live metrics are recomputed at most this often.
pub const METRICS_EVERY_MS: u64 = 1_000;
/// A streamed answer reaches the page at most this often.
pub const LIVE_TEXT_EVERY_MS: u64 = 250;

/// The stored run record's progress summary is refreshed at most this often.
pub const RECORD_EVERY_MS: u64 = 2_000;

/// What a run calls, read once from its record.
pub struct RunSetup {
    pub run_id: String,
    pub label: String,
    pub k: u16,
    /// The run's items, in plan order (ids are unique, so item `i` of the plan is
    /// `dataset.items()[i]`); a dataset so that the live metrics break down by category.
    pub dataset: Dataset,
    /// `None` for imported answers.
    pub model: Option<ModelConfig>,
    pub system_prompt: Option<String>,
    pub judge: ModelConfig,
    pub judge_prompts: JudgePromptSet,
    pub second_judge: Option<(ModelConfig, JudgePromptSet)>,
    pub prices: StagePrices,
}

impl RunSetup {
    pub fn of(record: &RunRecord, items: Vec<Item>) -> RunSetup {
        let (model, system_prompt) = match &record.header.model {
            ModelSetup::Api {
                config,
                system_prompt,
                ..
            } => (
                Some(config.clone()),
                system_prompt.text().map(str::to_string),
            ),
            ModelSetup::BatchCsv { .. } => (None, None),
        };
        RunSetup {
            run_id: record.header.id.clone(),
            label: record.header.label.clone(),
            k: u16::try_from(record.header.k).unwrap_or(u16::MAX),
            dataset: Dataset::from_items(items),
            model,
            system_prompt,
            judge: record.header.judge.config.clone(),
            judge_prompts: record.header.judge.prompts.clone(),
            second_judge: record
                .header
                .second_judge
                .as_ref()
                .map(|setup| (setup.config.clone(), setup.prompts.clone())),
            prices: record.prices,
        }
    }
}

/// The answer and trace a sample's judges read.
pub struct SampleText {
    pub answer: String,
    pub reasoning: Option<String>,
}

#[derive(Default)]
struct Throttle {
    last_progress_ms: u64,
    last_metrics_ms: u64,
    last_record_ms: u64,
    timer: Option<Timeout>,
}

/// The mutable part of an engine.
pub struct EngineCore {
    pub record: RunRecord,
    pub scheduler: Scheduler,
    pub keys: EngineKeys,
    pub ledger: SampleLedger,
    /// Generated samples whose judges are not all done, by (item, sample).
    pub texts: HashMap<(u32, u16), Rc<SampleText>>,
    follow_ups: HashMap<CallKey, Vec<FollowUp>>,
    first_start: HashMap<CallKey, u64>,
    in_flight: HashMap<CallKey, CallAbort>,
    wake: Option<Timeout>,
    throttle: Throttle,
    /// The streamed answer the page shows, and when it was last sent.
    live: LiveFollow,
    /// The run was deleted: nothing more is stored or reported.
    closed: bool,
}

/// Which streaming generation the page follows (one at a time: the first to stream, then,
/// once it ends, the next one that sends text).
#[derive(Default)]
struct LiveFollow {
    call: Option<CallKey>,
    text: LiveText,
    sent_ms: u64,
}

impl EngineCore {
    pub fn new(
        record: RunRecord,
        scheduler: Scheduler,
        keys: EngineKeys,
        ledger: SampleLedger,
        texts: HashMap<(u32, u16), Rc<SampleText>>,
    ) -> EngineCore {
        EngineCore {
            record,
            scheduler,
            keys,
            ledger,
            texts,
            follow_ups: HashMap::new(),
            first_start: HashMap::new(),
            in_flight: HashMap::new(),
            wake: None,
            throttle: Throttle::default(),
            live: LiveFollow::default(),
            closed: false,
        }
    }
}

/// One run driven in this page; see the module docs.
pub struct RunEngine {
    pub setup: RunSetup,
    pub core: RefCell<EngineCore>,
    store: RunStore,
    dispatcher: AppDispatcher,
}

/// A call ready to send.
struct Prepared {
    call: PreparedCall,
    judge: Option<JudgeKind>,
    price: Option<Price>,
}

fn timer_ms(ms: u64) -> u32 {
    u32::try_from(ms).unwrap_or(u32::MAX)
}

impl RunEngine {
    pub fn new(
        setup: RunSetup,
        core: EngineCore,
        store: RunStore,
        dispatcher: AppDispatcher,
    ) -> Rc<RunEngine> {
        Rc::new(RunEngine {
            setup,
            core: RefCell::new(core),
            store,
            dispatcher,
        })
    }

    pub fn run_id(&self) -> &str {
        &self.setup.run_id
    }

    fn dispatch(&self, action: RunAction) {
        self.dispatcher.dispatch(Action::Run(action));
    }

    /// Streamed text of `call` arrived: the page follows one generation at a time, and hears of
    /// it at most every [`LIVE_TEXT_EVERY_MS`].
    fn follow_stream(&self, call: CallKey, deltas: &[StreamDelta]) {
        if call.stage != Stage::Generate {
            return;
        }
        let now = clock::now_ms();
        let live = {
            let mut core = self.core.borrow_mut();
            if core.closed || core.live.call.is_some_and(|followed| followed != call) {
                return;
            }
            if core.live.call.is_none() {
                let name = core.scheduler.plan().call_name(call).unwrap_or_default();
                core.live.call = Some(call);
                core.live.text = LiveText {
                    call: name,
                    streaming: true,
                    ..LiveText::default()
                };
                core.live.sent_ms = 0;
            }
            let live = &mut core.live;
            for delta in deltas {
                match delta {
                    StreamDelta::Answer(text) => live.text.push_answer(text),
                    StreamDelta::Reasoning(text) => {
                        live.text.reasoning_chars += text.chars().count()
                    }
                    StreamDelta::Usage(_) => {}
                }
            }
            if now < live.sent_ms.saturating_add(LIVE_TEXT_EVERY_MS) {
                return;
            }
            live.sent_ms = now;
            Rc::new(live.text.clone())
        };
        self.dispatch(RunAction::LiveText {
            run_id: self.setup.run_id.clone(),
            live,
        });
    }

    /// `call`'s exchange is over: if the page followed it, it shows the answer as read (the
    /// completion's, which is what is stored: a reader that splits `<think>` text can only place
    /// the last of it at the end), no longer streaming, until another generation streams.
    fn end_stream(&self, call: CallKey, completion: Option<&Completion>) {
        let live = {
            let mut core = self.core.borrow_mut();
            if core.closed || core.live.call != Some(call) {
                return;
            }
            let live = &mut core.live;
            live.call = None;
            live.text.streaming = false;
            if let Some(completion) = completion {
                live.text.answer.clear();
                live.text.answer_chars = 0;
                live.text.push_answer(&completion.answer);
                live.text.reasoning_chars = completion
                    .reasoning
                    .as_ref()
                    .map_or(0, |trace| trace.text.chars().count());
            }
            Rc::new(live.text.clone())
        };
        self.dispatch(RunAction::LiveText {
            run_id: self.setup.run_id.clone(),
            live,
        });
    }

    /// Starts what the scheduler allows now and arranges to be called again; see the module docs.
    pub fn pump(self: &Rc<Self>) {
        if self.core.borrow().closed {
            return;
        }
        let now = clock::now_ms();
        let poll = self.core.borrow_mut().scheduler.poll(now);
        match poll {
            Poll::Start(dispatches) => {
                for dispatch in dispatches {
                    let engine = self.clone();
                    spawn_local(async move { engine.run_call(dispatch).await });
                }
            }
            Poll::Wait { wake_at_ms } => {
                let timer = wake_at_ms.map(|at| {
                    let engine = Rc::downgrade(self);
                    Timeout::new(timer_ms(at.saturating_sub(now)), move || {
                        if let Some(engine) = engine.upgrade() {
                            engine.pump();
                        }
                    })
                });
                self.core.borrow_mut().wake = timer;
            }
            Poll::Paused(_) | Poll::Stopped(_) | Poll::Cancelled | Poll::Finished => {
                self.core.borrow_mut().wake = None;
            }
        }
        self.after_change(now);
    }

    /// The key for a role, as currently held.
    fn key(&self, role: EndpointRole) -> Option<bsa_core::provider::ApiKey> {
        self.core.borrow().keys.get(role).cloned()
    }

    // The error is the attempt to report (a fatal setup problem), moved once: no need to box.
    #[allow(clippy::result_large_err)]
    fn prepare(&self, call: CallKey) -> Result<Prepared, Attempt> {
        let setup = &self.setup;
        let item = setup
            .dataset
            .items()
            .get(call.item as usize)
            .ok_or_else(|| {
                setup_failure(format!(
                    "internal: call for item {} of a smaller plan",
                    call.item
                ))
            })?;
        let (name, turns, text) = {
            let core = self.core.borrow();
            let name = core.scheduler.plan().call_name(call).unwrap_or_default();
            let turns = core.follow_ups.get(&call).cloned().unwrap_or_default();
            let text = core.texts.get(&(call.item, call.sample)).cloned();
            (name, turns, text)
        };
        // Re-asks get their own tag, so the simulator's counts tell a new question from a
        // repeated one.
        let tag = match turns.len() {
            0 => format!("{}/{name}", setup.run_id),
            n => format!("{}.ask{}/{name}", setup.run_id, n + 1),
        };
        let cannot_call = |role: EndpointRole, error: &dyn std::fmt::Display| {
            setup_failure(format!("the {} cannot be called: {error}", role.label()))
        };
        if call.stage == Stage::Generate {
            let config = setup.model.as_ref().ok_or_else(|| {
                setup_failure(format!(
                    "no answer was imported for {name}, and an imported run has no model to call"
                ))
            })?;
            let mut prompt = ChatPrompt::user(item.query.clone());
            if let Some(system) = &setup.system_prompt {
                prompt = prompt.with_system(system.clone());
            }
            let key = self.key(EndpointRole::Model);
            let built = build_request(config, key.as_ref(), &prompt, Some(&tag))
                .map_err(|error| cannot_call(EndpointRole::Model, &error))?;
            return Ok(Prepared {
                call: built,
                judge: None,
                price: setup.prices.model,
            });
        }
        let (role, config, prompts, price) = if call.stage.is_second_judge() {
            let (config, prompts) = setup.second_judge.as_ref().ok_or_else(|| {
                setup_failure("internal: a second-judge call in a run without one".into())
            })?;
            (
                EndpointRole::SecondJudge,
                config,
                prompts,
                setup.prices.second_judge,
            )
        } else {
            (
                EndpointRole::Judge,
                &setup.judge,
                &setup.judge_prompts,
                setup.prices.judge,
            )
        };
        let kind = if call.stage.needs_reasoning() {
            JudgeKind::Reasoning(item.scenario)
        } else {
            JudgeKind::Answer
        };
        let text = text.ok_or_else(|| {
            setup_failure(format!(
                "internal: the answer {name} should judge is not in memory"
            ))
        })?;
        let sample = SampleOutput {
            answer: &text.answer,
            reasoning: text.reasoning.as_deref(),
        };
        let message = match prompts.judge_message(kind, item, sample) {
            Ok(JudgeMessage::Message(message)) => message,
            Ok(JudgeMessage::NoTrace) => {
                return Err(setup_failure(format!(
                    "internal: {name} has no reasoning trace to judge"
                )))
            }
            Err(error) => return Err(setup_failure(error.to_string())),
        };
        let key = self.key(role);
        let mut built = build_request(config, key.as_ref(), &ChatPrompt::user(message), Some(&tag))
            .map_err(|error| cannot_call(role, &error))?;
        with_follow_up(&mut built.request, &turns).map_err(setup_failure)?;
        Ok(Prepared {
            call: built,
            judge: Some(kind),
            price,
        })
    }

    async fn run_call(self: Rc<Self>, dispatch: Dispatch) {
        let call = dispatch.call;
        let attempt = match self.prepare(call) {
            Err(attempt) => attempt,
            Ok(prepared) => self.send(call, prepared, dispatch.deadline_ms).await,
        };
        let write = self.settle(call, attempt);
        // A call to be sent again has freed its place: the next request may go out now.
        self.pump();
        if let Some(record) = write {
            self.store(call, record).await;
            self.pump();
        }
    }

    async fn send(&self, call: CallKey, prepared: Prepared, deadline_ms: u64) -> Attempt {
        let now = clock::now_ms();
        let abort = CallAbort::new();
        let timeout_ms = {
            let mut core = self.core.borrow_mut();
            let deadline = core.scheduler.started(call, now).unwrap_or(deadline_ms);
            core.in_flight.insert(call, abort.clone());
            core.first_start.entry(call).or_insert(now);
            deadline.saturating_sub(now)
        };
        let timer = {
            let abort = abort.clone();
            Timeout::new(timer_ms(timeout_ms), move || {
                abort.abort(AbortReason::Timeout)
            })
        };
        let mut on_deltas = |deltas: &[StreamDelta]| self.follow_stream(call, deltas);
        let exchanged = call::exchange(&prepared.call, &abort, timeout_ms, &mut on_deltas).await;
        self.end_stream(call, exchanged.as_ref().ok());
        drop(timer);
        self.core.borrow_mut().in_flight.remove(&call);
        match exchanged {
            Ok(completion) => match prepared.judge {
                None => generation_attempt(completion, prepared.price),
                Some(kind) => judge_attempt(kind, completion, prepared.price),
            },
            Err(ExchangeError::Provider(error)) => error_attempt(&error),
            Err(ExchangeError::Aborted) => Attempt {
                outcome: AttemptOutcome::Aborted,
                spend: bsa_core::run::Spend::NONE,
                result: AttemptResult::Failed,
            },
            Err(ExchangeError::Refused(detail)) => {
                setup_failure(format!("the browser refused to send the request: {detail}"))
            }
        }
    }

    /// Reports an attempt to the scheduler. Returns the record to store when the attempt ends
    /// the call (the scheduler then holds it as "being stored", still in its lane).
    fn settle(&self, call: CallKey, attempt: Attempt) -> Option<CallRecord> {
        let stored = {
            let core = self.core.borrow();
            if core.closed {
                return None;
            }
            core.scheduler
                .outcome_to_store(call, &attempt.outcome, attempt.spend)
        };
        let mut record = None;
        match stored {
            Ok(Some(stored)) => {
                let duration = self
                    .core
                    .borrow()
                    .first_start
                    .get(&call)
                    .map(|start| clock::now_ms().saturating_sub(*start));
                record = Some(CallRecord {
                    payload: payload_of(&attempt, &stored, duration),
                    outcome: stored,
                });
            }
            Ok(None) => {
                if let (
                    AttemptOutcome::JudgeUnparsable { .. },
                    AttemptResult::Unreadable { reason, reply, .. },
                ) = (&attempt.outcome, &attempt.result)
                {
                    let kind = if call.stage.needs_reasoning() {
                        self.setup
                            .dataset
                            .items()
                            .get(call.item as usize)
                            .map_or(JudgeKind::Answer, |item| {
                                JudgeKind::Reasoning(item.scenario)
                            })
                    } else {
                        JudgeKind::Answer
                    };
                    self.core
                        .borrow_mut()
                        .follow_ups
                        .entry(call)
                        .or_default()
                        .push(FollowUp {
                            reply: reply.clone(),
                            message: follow_up_message(kind, reason),
                        });
                }
            }
            Err(error) => {
                web_sys::console::warn_1(&format!("BSA Studio engine: {error}").into());
            }
        }
        let now = clock::now_ms();
        let reported =
            self.core
                .borrow_mut()
                .scheduler
                .finished(call, attempt.outcome, attempt.spend, now);
        match reported {
            Ok(Disposition::Storing) => record,
            Ok(_) => None,
            Err(error) => {
                web_sys::console::warn_1(&format!("BSA Studio engine: {error}").into());
                None
            }
        }
    }

    /// Writes a finished call's record and reports the write to the scheduler: stored (the call
    /// counts as finished, a generation's judges can go), or failed (the run stops with the
    /// storage error and the call is sent again on resume: without its record a reload would
    /// have to repeat it anyway).
    async fn store(&self, call: CallKey, record: CallRecord) {
        let name = {
            let core = self.core.borrow();
            core.scheduler.plan().call_name(call).unwrap_or_default()
        };
        let written = self
            .store
            .put_call(&self.setup.run_id, &name, &record)
            .await;
        if self.core.borrow().closed {
            return;
        }
        let now = clock::now_ms();
        let reported = match written {
            Ok(()) => {
                // Into memory before the scheduler releases the judges that read it.
                self.remember(call, &record);
                self.core.borrow_mut().scheduler.stored(call, now)
            }
            Err(error) => self.core.borrow_mut().scheduler.store_failed(
                call,
                format!(
                    "{error}. The run is stopped so that no result is lost; resume once storage \
                     works again"
                ),
                now,
            ),
        };
        match reported {
            Ok(Disposition::Done | Disposition::Failed { .. }) => {
                {
                    let mut core = self.core.borrow_mut();
                    core.first_start.remove(&call);
                    core.follow_ups.remove(&call);
                }
                self.release_text(call);
            }
            Ok(_) => {}
            Err(error) => {
                web_sys::console::warn_1(&format!("BSA Studio engine: {error}").into());
            }
        }
    }

    /// A stored call: into the ledger, and a generation's text into memory for its judges.
    fn remember(&self, call: CallKey, record: &CallRecord) {
        let mut core = self.core.borrow_mut();
        core.ledger.record(call, record);
        if let CallPayload::Generation {
            answer, reasoning, ..
        } = &record.payload
        {
            core.texts.insert(
                (call.item, call.sample),
                Rc::new(SampleText {
                    answer: answer.clone(),
                    reasoning: reasoning.as_ref().map(|trace| trace.text.clone()),
                }),
            );
        }
    }

    /// Drops a sample's text once none of its judge calls can still be sent.
    fn release_text(&self, call: CallKey) {
        let mut core = self.core.borrow_mut();
        let scheduler = &core.scheduler;
        let all_done = scheduler.plan().stages().iter().skip(1).all(|stage| {
            scheduler
                .call_state(CallKey::new(call.item, call.sample, *stage))
                .is_none_or(|state| state.is_terminal())
        });
        if all_done {
            core.texts.remove(&(call.item, call.sample));
        }
    }

    /// After any change: the lifecycle, the stored record and what the page shows.
    fn after_change(self: &Rc<Self>, now: u64) {
        let (changed, save) = {
            let mut core = self.core.borrow_mut();
            if core.closed {
                return;
            }
            let lifecycle = Lifecycle::of(&core.scheduler.status());
            let changed = lifecycle != core.record.lifecycle;
            if changed {
                core.record.set_lifecycle(lifecycle, &clock::now_rfc3339());
            }
            // A new retry-after hold is stored at once, so that a reload keeps to it.
            let holds = core.scheduler.rate_holds(now);
            let kept = |lane: usize| {
                core.record
                    .rates
                    .get(lane)
                    .map_or(0, |memory| memory.hold_until_ms)
            };
            let new_hold = holds
                .iter()
                .enumerate()
                .any(|(lane, hold)| *hold != 0 && *hold != kept(lane));
            let save = changed || new_hold || now >= core.throttle.last_record_ms + RECORD_EVERY_MS;
            if save {
                core.throttle.last_record_ms = now;
                let totals = core.scheduler.progress(now).totals;
                core.record.progress = RecordProgress {
                    finished: totals.finished(),
                    total: totals.total,
                };
                core.record.updated_ms = now as f64;
                core.record.rates = core.scheduler.rate_memory(now);
            }
            (changed, save.then(|| core.record.clone()))
        };
        if let Some(record) = save {
            self.save_record(record);
        }
        self.publish(changed);
        let (terminal, idle) = {
            let core = self.core.borrow();
            (
                matches!(
                    core.scheduler.status(),
                    RunStatus::Finished | RunStatus::Cancelled
                ),
                // A cancelled run still reports the records being written.
                core.scheduler.in_flight_count() == 0 && core.scheduler.storing_count() == 0,
            )
        };
        if terminal && idle {
            self.detach();
        }
    }

    fn save_record(&self, record: RunRecord) {
        let store = self.store.clone();
        let dispatcher = self.dispatcher.clone();
        let shared = Rc::new(record);
        self.dispatch(RunAction::Saved(shared.clone()));
        spawn_local(async move {
            if let Err(error) = store.put_run(&shared).await {
                dispatcher.dispatch(Action::Run(RunAction::Notice(Some(
                    crate::state::run::RunNotice {
                        error: true,
                        text: error.to_string(),
                    },
                ))));
            }
        });
    }

    /// Sends progress (and, when due, metrics) to the page; see the module docs.
    fn publish(self: &Rc<Self>, force: bool) {
        let now = clock::now_ms();
        let due = {
            let mut core = self.core.borrow_mut();
            let due = force || now >= core.throttle.last_progress_ms + PROGRESS_EVERY_MS;
            if !due && core.throttle.timer.is_none() {
                let engine: Weak<RunEngine> = Rc::downgrade(self);
                let wait = core.throttle.last_progress_ms + PROGRESS_EVERY_MS - now;
                core.throttle.timer = Some(Timeout::new(timer_ms(wait), move || {
                    if let Some(engine) = engine.upgrade() {
                        engine.core.borrow_mut().throttle.timer = None;
                        engine.publish(false);
                    }
                }));
            }
            due
        };
        if !due {
            return;
        }
        let (progress, metrics) = {
            let mut core = self.core.borrow_mut();
            core.throttle.timer = None;
            core.throttle.last_progress_ms = now;
            let progress = Rc::new(core.scheduler.progress(now));
            let metrics = if force || now >= core.throttle.last_metrics_ms + METRICS_EVERY_MS {
                core.throttle.last_metrics_ms = now;
                let partial = !matches!(progress.status, RunStatus::Finished);
                Some(Rc::new(live_metrics(
                    &core.ledger,
                    &self.setup.label,
                    self.setup.k,
                    self.setup.second_judge.is_some(),
                    partial,
                    Some(&self.setup.dataset),
                )))
            } else {
                None
            };
            (progress, metrics)
        };
        let run_id = self.setup.run_id.clone();
        self.dispatch(RunAction::Progress {
            run_id: run_id.clone(),
            progress,
        });
        if let Some(metrics) = metrics {
            self.dispatch(RunAction::Metrics { run_id, metrics });
        }
    }

    /// The run is over: leave the registry and free the memory it held.
    fn detach(&self) {
        super::unregister(&self.setup.run_id);
        let mut core = self.core.borrow_mut();
        core.wake = None;
        core.throttle.timer = None;
        core.texts.clear();
        drop(core);
        self.dispatch(RunAction::Engine {
            run_id: self.setup.run_id.clone(),
            engine: EngineAttachment::Detached,
        });
    }

    /// No new calls; those in flight finish and are recorded.
    pub fn pause(self: &Rc<Self>) {
        self.core.borrow_mut().scheduler.pause();
        self.pump();
    }

    /// Goes on with new keys (those given replace the held ones); after a fatal stop the calls
    /// it held are sent again, and a spend-cap pause is lifted by removing the cap.
    pub fn resume(self: &Rc<Self>, keys: EngineKeys) {
        {
            let mut core = self.core.borrow_mut();
            core.keys.update(keys);
            if let RunStatus::Paused {
                reason: bsa_core::run::PauseReason::SpendCap { .. },
            } = core.scheduler.status()
            {
                // The user chose to go on past the cap.
                let _ = core.scheduler.set_spend_cap(None);
                core.record.scheduling.spend_cap_usd = None;
            }
            core.scheduler.resume();
        }
        self.pump();
    }

    /// Queues the failed calls again with a fresh attempt budget.
    pub fn retry_failed(self: &Rc<Self>) -> usize {
        let queued = self.core.borrow_mut().scheduler.retry_failed();
        self.pump();
        queued
    }

    /// Stops for good and aborts the calls in flight.
    pub fn cancel(self: &Rc<Self>) {
        let aborts: Vec<CallAbort> = {
            let mut core = self.core.borrow_mut();
            core.scheduler.cancel();
            core.in_flight.values().cloned().collect()
        };
        for abort in aborts {
            abort.abort(AbortReason::User);
        }
        self.pump();
    }

    /// The run is being deleted: abort everything and report nothing more.
    pub fn close(&self) {
        let aborts: Vec<CallAbort> = {
            let mut core = self.core.borrow_mut();
            core.closed = true;
            core.scheduler.cancel();
            core.wake = None;
            core.throttle.timer = None;
            core.in_flight.values().cloned().collect()
        };
        for abort in aborts {
            abort.abort(AbortReason::User);
        }
        super::unregister(&self.setup.run_id);
    }
}
