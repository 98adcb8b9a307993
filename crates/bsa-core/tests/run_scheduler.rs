//! The scheduler driven by a simulated engine on a deterministic clock.
//!
//! `Engine` plays the web app's run engine: it polls, "sends" calls whose replies (latency and
//! outcome) come from a seeded fault model, reports each answer at once and then persists the
//! finished call in a map standing in for IndexedDB, the write taking `write_ms` (and failing for
//! the calls in `failing_writes`), and reports the write's end. It checks on every start what
//! must always hold: concurrency within the lane's effective limit, judge calls only after their
//! generation succeeded and was stored (with a trace, for reasoning judges), no stored call
//! started again, no start before its backoff ended; and on every write that a judge's record
//! is never stored before its generation's. Rate limits over 60-second windows are checked on
//! the recorded start times afterwards.

use bsa_core::run::backoff::BackoffPolicy;
use bsa_core::run::{
    AttemptOutcome, CallKey, CallState, Disposition, FailureReason, LaneConfig, PauseReason, Poll,
    RestoreProblem, RetryKind, RunPlan, RunStatus, Scheduler, SchedulerConfig, SchedulerError,
    SkipReason, Spend, Stage, StoredOutcome, StoredResult,
};
use std::collections::{BTreeMap, HashMap, HashSet};

// ---------------------------------------------------------------------------------------------
// The simulated engine
// ---------------------------------------------------------------------------------------------

/// SplitMix64: the fault model's own seeded randomness, independent of the code under test.
struct TestRng(u64);

impl TestRng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// How the simulated provider answers one attempt.
struct Reply {
    latency_ms: u64,
    outcome: AttemptOutcome,
    spend: Spend,
}

impl Reply {
    fn ok(call: CallKey, latency_ms: u64, has_reasoning: bool) -> Reply {
        let outcome = if call.stage == Stage::Generate {
            AttemptOutcome::Generated { has_reasoning }
        } else {
            AttemptOutcome::Judged
        };
        Reply {
            latency_ms,
            outcome,
            spend: Spend::new(100, 50, Some(0.001)),
        }
    }

    fn fail(latency_ms: u64, kind: RetryKind, retry_after_ms: Option<u64>) -> Reply {
        Reply {
            latency_ms,
            outcome: AttemptOutcome::Retryable {
                kind,
                retry_after_ms,
                message: format!("simulated {kind}"),
            },
            spend: Spend::NONE,
        }
    }
}

struct Ctx<'a> {
    call: CallKey,
    attempt: u32,
    now: u64,
    rng: &'a mut TestRng,
}

type FaultModel = Box<dyn FnMut(&mut Ctx<'_>) -> Reply>;

struct Flight {
    call: CallKey,
    outcome: AttemptOutcome,
    spend: Spend,
}

/// A retry the scheduler announced: checked against the call's next start.
struct AnnouncedRetry {
    at_ms: u64,
}

/// A reported call and what the scheduler made of it.
struct Event {
    at: u64,
    call: CallKey,
    disposition: Disposition,
    /// Calls started before this report.
    starts_before: usize,
}

struct Engine {
    scheduler: Scheduler,
    config: SchedulerConfig,
    now: u64,
    rng: TestRng,
    fault: FaultModel,
    /// Finish events by (time, sequence).
    flights: BTreeMap<(u64, u64), Flight>,
    seq: u64,
    /// "IndexedDB": finished calls by their stable name.
    db: BTreeMap<String, StoredOutcome>,
    /// Writes under way, by (time they end, sequence).
    writes: BTreeMap<(u64, u64), (CallKey, StoredOutcome)>,
    /// How long a write takes.
    write_ms: u64,
    /// The next write of each of these calls fails.
    failing_writes: HashSet<CallKey>,
    /// Calls stored at the last reload: never to be started again.
    stored_at_reload: HashSet<CallKey>,
    starts: Vec<(u64, CallKey)>,
    retries: HashMap<CallKey, AnnouncedRetry>,
    events: Vec<Event>,
    max_in_flight: HashMap<usize, u32>,
    polls: u64,
}

impl Engine {
    fn new(plan: RunPlan, config: SchedulerConfig, seed: u64, fault: FaultModel) -> Engine {
        let scheduler = Scheduler::new(plan, config.clone()).expect("valid config");
        Engine {
            scheduler,
            config,
            now: 0,
            rng: TestRng(seed),
            fault,
            flights: BTreeMap::new(),
            seq: 0,
            db: BTreeMap::new(),
            writes: BTreeMap::new(),
            write_ms: 0,
            failing_writes: HashSet::new(),
            stored_at_reload: HashSet::new(),
            starts: Vec::new(),
            retries: HashMap::new(),
            events: Vec::new(),
            max_in_flight: HashMap::new(),
            polls: 0,
        }
    }

    fn lane_of(&self, stage: Stage) -> usize {
        self.config
            .lanes
            .iter()
            .position(|lane| lane.stages.contains(&stage))
            .unwrap()
    }

    fn lane_in_flight(&self, lane: usize) -> u32 {
        self.flights
            .values()
            .filter(|flight| self.lane_of(flight.call.stage) == lane)
            .count() as u32
    }

    fn stored(&self, call: CallKey) -> Option<&StoredOutcome> {
        self.db.get(&self.scheduler.plan().call_name(call).unwrap())
    }

    fn start(&mut self, call: CallKey, attempt: u32, deadline_ms: u64) {
        // Judge calls only after their generation succeeded, reasoning judges only with a trace.
        if call.stage.is_judge() {
            match self.stored(call.generation()).map(|stored| &stored.result) {
                Some(StoredResult::Generated { has_reasoning }) => assert!(
                    *has_reasoning || !call.stage.needs_reasoning(),
                    "{call:?} started for a completion without a trace"
                ),
                other => panic!("{call:?} started before its generation succeeded: {other:?}"),
            }
        }
        assert!(
            self.stored(call).is_none(),
            "{call:?} started again after it finished"
        );
        assert!(
            !self.stored_at_reload.contains(&call),
            "{call:?} repeated after the reload"
        );
        if let Some(retry) = self.retries.remove(&call) {
            assert!(
                self.now >= retry.at_ms,
                "{call:?} retried at {} before {}",
                self.now,
                retry.at_ms
            );
        }
        let lane = self.lane_of(call.stage);
        let in_flight = self.lane_in_flight(lane) + 1;
        let limit = self.scheduler.effective_concurrency(call.stage).unwrap();
        assert!(
            in_flight <= limit,
            "{in_flight} in flight on lane {lane}, limit {limit}"
        );
        let seen = self.max_in_flight.entry(lane).or_default();
        *seen = (*seen).max(in_flight);
        self.starts.push((self.now, call));

        let deadline = self.scheduler.started(call, self.now).expect("in flight");
        assert_eq!(
            deadline, deadline_ms,
            "started at the dispatch time: same deadline"
        );
        let now = self.now;
        let reply = (self.fault)(&mut Ctx {
            call,
            attempt,
            now,
            rng: &mut self.rng,
        });
        let (finish_at, outcome, spend) = if now + reply.latency_ms >= deadline {
            // The engine's AbortSignal fires at the deadline.
            let timeout = AttemptOutcome::Retryable {
                kind: RetryKind::Timeout,
                retry_after_ms: None,
                message: "no answer before the deadline".into(),
            };
            (deadline, timeout, Spend::NONE)
        } else {
            (now + reply.latency_ms, reply.outcome, reply.spend)
        };
        self.seq += 1;
        self.flights.insert(
            (finish_at, self.seq),
            Flight {
                call,
                outcome,
                spend,
            },
        );
    }

    fn event(&mut self, call: CallKey, disposition: Disposition) {
        let starts_before = self.starts.len();
        self.events.push(Event {
            at: self.now,
            call,
            disposition,
            starts_before,
        });
    }

    /// Report the answer at once, then persist it, as the real engine does.
    fn finish(&mut self, flight: Flight) {
        let Flight {
            call,
            outcome,
            spend,
        } = flight;
        let to_store = self
            .scheduler
            .outcome_to_store(call, &outcome, spend)
            .expect("valid report");
        let disposition = self
            .scheduler
            .finished(call, outcome, spend, self.now)
            .expect("valid");
        if let Disposition::Retry { at_ms, .. } = disposition {
            self.retries.insert(call, AnnouncedRetry { at_ms });
        }
        assert_eq!(
            to_store.is_some(),
            disposition == Disposition::Storing,
            "{call:?}: a record to store exactly when the call is being stored"
        );
        if let Some(stored) = to_store {
            assert!(matches!(
                self.scheduler.call_state(call),
                Some(CallState::Storing { .. })
            ));
            self.seq += 1;
            self.writes
                .insert((self.now + self.write_ms, self.seq), (call, stored));
        }
        self.event(call, disposition);
    }

    /// A write ends: stored (and reported) or failed (and reported).
    fn complete_write(&mut self, call: CallKey, stored: StoredOutcome) {
        if self.failing_writes.remove(&call) {
            let disposition = self
                .scheduler
                .store_failed(call, "simulated: the disk is full".into(), self.now)
                .expect("being stored");
            self.event(call, disposition);
            return;
        }
        if call.stage.is_judge() {
            assert!(
                matches!(
                    self.stored(call.generation()).map(|stored| &stored.result),
                    Some(StoredResult::Generated { .. })
                ),
                "{call:?} stored before its generation"
            );
        }
        let name = self.scheduler.plan().call_name(call).unwrap();
        let previous = self.db.insert(name, stored);
        assert!(previous.is_none(), "{call:?} finished twice");
        let disposition = self.scheduler.stored(call, self.now).expect("being stored");
        assert!(matches!(
            disposition,
            Disposition::Done | Disposition::Failed { .. }
        ));
        self.event(call, disposition);
    }

    /// The next time a flight or a write ends.
    fn next_flight_time(&self) -> Option<u64> {
        let flight = self.flights.keys().next().map(|&(at, _)| at);
        let write = self.writes.keys().next().map(|&(at, _)| at);
        flight.into_iter().chain(write).min()
    }

    /// Finishes every flight and write due at the earliest such time, advancing the clock to it
    /// (flights first: a write of 0 ms then ends in the same batch as its answer).
    fn finish_next_batch(&mut self) -> bool {
        let Some(at) = self.next_flight_time() else {
            return false;
        };
        self.now = self.now.max(at);
        while let Some(entry) = self.flights.first_entry() {
            if entry.key().0 > self.now {
                break;
            }
            let flight = entry.remove();
            self.finish(flight);
        }
        while let Some(entry) = self.writes.first_entry() {
            if entry.key().0 > self.now {
                break;
            }
            let (call, stored) = entry.remove();
            self.complete_write(call, stored);
        }
        true
    }

    /// One engine step; `None` when the run rests (finished, paused, stopped, cancelled, with
    /// nothing in flight), with the poll that said so.
    fn step(&mut self) -> Result<(), Poll> {
        self.polls += 1;
        assert!(self.polls < 10_000_000, "the run does not make progress");
        match self.scheduler.poll(self.now) {
            Poll::Start(dispatches) => {
                assert!(!dispatches.is_empty());
                for dispatch in dispatches {
                    self.start(dispatch.call, dispatch.attempt, dispatch.deadline_ms);
                }
                Ok(())
            }
            Poll::Wait { wake_at_ms } => {
                if let Some(wake) = wake_at_ms {
                    assert!(
                        wake > self.now,
                        "wake-up at {wake} is not after now {}",
                        self.now
                    );
                }
                let next = match (wake_at_ms, self.next_flight_time()) {
                    (Some(wake), Some(flight)) => wake.min(flight),
                    (Some(wake), None) => wake,
                    (None, Some(flight)) => flight,
                    (None, None) => panic!("deadlock: nothing in flight and no wake-up"),
                };
                if self.next_flight_time() == Some(next) {
                    self.finish_next_batch();
                } else {
                    self.now = next;
                }
                Ok(())
            }
            resting => {
                if self.finish_next_batch() {
                    Ok(())
                } else {
                    Err(resting)
                }
            }
        }
    }

    fn run(&mut self) -> Poll {
        loop {
            if let Err(poll) = self.step() {
                return poll;
            }
        }
    }

    /// Runs until `until` returns true (checked after every step) or the run rests.
    fn run_until(&mut self, mut until: impl FnMut(&Engine) -> bool) {
        while !until(self) {
            if self.step().is_err() {
                return;
            }
        }
    }

    /// A page reload: flights in the air and writes under way are lost, the scheduler is rebuilt
    /// from storage.
    fn reload(&mut self) -> Vec<RestoreProblem> {
        self.flights.clear();
        self.writes.clear();
        self.retries.clear();
        let plan = self.scheduler.plan().clone();
        let finished: Vec<(CallKey, StoredOutcome)> = self
            .db
            .iter()
            .map(|(name, stored)| {
                (
                    plan.parse_call(name).expect("stored names parse"),
                    stored.clone(),
                )
            })
            .collect();
        self.stored_at_reload = finished.iter().map(|(call, _)| *call).collect();
        let restored = Scheduler::restore(plan, self.config.clone(), finished).expect("config");
        self.scheduler = restored.scheduler;
        restored.problems
    }

    fn starts_of(&self, call: CallKey) -> Vec<u64> {
        self.starts
            .iter()
            .filter(|(_, c)| *c == call)
            .map(|(at, _)| *at)
            .collect()
    }
}

fn plan(items: usize, samples: u16, second_judge: bool) -> RunPlan {
    let ids = (0..items).map(|i| format!("{i:032x}")).collect();
    RunPlan::new(ids, samples, second_judge).unwrap()
}

/// Whether no `rpm + 1` starts of `stages` fit in 60 seconds.
fn rpm_respected(engine: &Engine, stages: &[Stage], rpm: usize) -> bool {
    let mut times: Vec<u64> = engine
        .starts
        .iter()
        .filter(|(_, call)| stages.contains(&call.stage))
        .map(|(at, _)| *at)
        .collect();
    times.sort_unstable();
    times
        .windows(rpm + 1)
        .all(|window| window[rpm] - window[0] >= 60_000)
}

/// Every start time of `lane`'s calls, sorted: no `rpm + 1` of them fit in 60 seconds.
fn assert_rpm_respected(engine: &Engine, stages: &[Stage], rpm: usize) {
    let mut times: Vec<u64> = engine
        .starts
        .iter()
        .filter(|(_, call)| stages.contains(&call.stage))
        .map(|(at, _)| *at)
        .collect();
    times.sort_unstable();
    for window in times.windows(rpm + 1) {
        assert!(
            window[rpm] - window[0] >= 60_000,
            "{} starts between {} and {} ms",
            rpm + 1,
            window[0],
            window[rpm]
        );
    }
}

/// The terminal states of a finished run agree with storage, and counts add up.
fn assert_finished_consistently(engine: &Engine) {
    let scheduler = &engine.scheduler;
    assert_eq!(scheduler.status(), RunStatus::Finished);
    let plan = scheduler.plan().clone();
    for call in plan.calls() {
        let state = scheduler.call_state(call).unwrap();
        let stored = engine.stored(call).map(|stored| &stored.result);
        match state {
            CallState::Done => assert!(
                matches!(
                    stored,
                    Some(StoredResult::Generated { .. } | StoredResult::Judged)
                ),
                "{call:?} done but stored as {stored:?}"
            ),
            CallState::Failed { reason } => assert!(
                matches!(stored, Some(StoredResult::Failed { reason: r, .. }) if *r == reason),
                "{call:?} failed but stored as {stored:?}"
            ),
            CallState::Skipped { reason } => {
                assert!(stored.is_none(), "{call:?} skipped but stored");
                let generation = engine
                    .stored(call.generation())
                    .map(|stored| &stored.result);
                match reason {
                    SkipReason::NoTrace => {
                        assert!(call.stage.needs_reasoning());
                        assert_eq!(
                            generation,
                            Some(&StoredResult::Generated {
                                has_reasoning: false
                            })
                        );
                    }
                    SkipReason::GenerationFailed => {
                        assert!(matches!(generation, Some(StoredResult::Failed { .. })))
                    }
                }
            }
            other => panic!("{call:?} is {other:?} in a finished run"),
        }
    }
    let progress = scheduler.progress(engine.now);
    assert_eq!(progress.totals.total, plan.call_count() as u64);
    assert_eq!(progress.totals.finished(), progress.totals.total);
    let stored = engine.db.len() as u64;
    assert_eq!(progress.totals.done + progress.totals.failed, stored);
}

// ---------------------------------------------------------------------------------------------
// Whole runs with random faults
// ---------------------------------------------------------------------------------------------

/// Faults drawn per attempt; about 1 call in 60 is "cursed" and fails every time.
fn random_faults() -> FaultModel {
    Box::new(|ctx: &mut Ctx<'_>| {
        let latency = 50 + ctx.rng.below(3_000);
        // Cursed calls: a fixed function of the call, so every attempt fails.
        let mix = ctx.call.item * 7 + u32::from(ctx.call.sample) * 13 + ctx.call.stage as u32;
        if mix.is_multiple_of(61) {
            return Reply::fail(latency, RetryKind::ServerError(503), None);
        }
        let roll = ctx.rng.below(100);
        match roll {
            0..=3 => {
                let hint = ctx.rng.chance(50).then(|| 500 + ctx.rng.below(4_000));
                Reply::fail(latency, RetryKind::RateLimited, hint)
            }
            4..=6 => Reply::fail(latency, RetryKind::ServerError(502), None),
            7..=8 => Reply::fail(latency, RetryKind::Network, None),
            9 => Reply::fail(latency, RetryKind::CutOff, None),
            // A hang: the engine aborts at the deadline.
            10 => Reply::ok(ctx.call, 1_000_000, true),
            11..=14 if ctx.call.stage.is_judge() => Reply {
                latency_ms: latency,
                outcome: AttemptOutcome::JudgeUnparsable {
                    message: "no label".into(),
                },
                spend: Spend::new(80, 5, Some(0.0005)),
            },
            _ => {
                let has_reasoning = ctx.rng.chance(85);
                Reply::ok(ctx.call, latency, has_reasoning)
            }
        }
    })
}

fn two_lane_config() -> SchedulerConfig {
    let mut config = SchedulerConfig::single_lane(6, None, 20_000);
    config.lanes = vec![
        LaneConfig::new("model", vec![Stage::Generate], 6, Some(120), 20_000),
        LaneConfig::new(
            "judge",
            vec![
                Stage::JudgeAnswer,
                Stage::JudgeReasoning,
                Stage::SecondJudgeAnswer,
                Stage::SecondJudgeReasoning,
            ],
            4,
            Some(200),
            10_000,
        ),
    ];
    config.jitter_seed = 7;
    config
}

#[test]
fn a_run_with_random_faults_finishes_every_call_exactly_once_within_the_limits() {
    for seed in 1..=3 {
        let config = two_lane_config();
        let mut engine = Engine::new(plan(60, 5, seed == 2), config, seed, random_faults());
        // Writes slower than some answers: judges wait for them, others take the free places.
        engine.write_ms = 40 * (seed - 1);
        let end = engine.run();
        assert_eq!(end, Poll::Finished, "seed {seed}");
        assert_finished_consistently(&engine);
        assert_rpm_respected(&engine, &[Stage::Generate], 120);
        assert_rpm_respected(
            &engine,
            &[
                Stage::JudgeAnswer,
                Stage::JudgeReasoning,
                Stage::SecondJudgeAnswer,
                Stage::SecondJudgeReasoning,
            ],
            200,
        );
        assert!(engine.max_in_flight[&0] <= 6 && engine.max_in_flight[&1] <= 4);
        // The fault model produced every kind of trouble.
        let progress = engine.scheduler.progress(engine.now);
        let failed = progress.totals.failed;
        assert!(failed > 0, "cursed calls fail");
        assert!(progress.totals.skipped_no_trace > 0);
        assert!(progress.totals.skipped_generation_failed > 0);
        assert!(progress.retries > 0 && progress.reasks > 0);
        let retried = engine
            .events
            .iter()
            .filter(|event| matches!(event.disposition, Disposition::Retry { .. }));
        assert_eq!(retried.count() as u64, progress.retries);
        let errors: Vec<_> = progress.errors.iter().map(|tally| tally.kind).collect();
        assert!(
            errors.contains(&bsa_core::run::ErrorKind::Timeout),
            "{errors:?}"
        );
        // Every failed call used exactly its attempt budget (6) or re-ask budget (3 asks).
        for stored in engine.db.values() {
            match &stored.result {
                StoredResult::Failed {
                    reason: FailureReason::RetriesExhausted { attempts, .. },
                    ..
                } => {
                    assert_eq!(*attempts, 6);
                    assert_eq!(stored.failed_attempts, 6);
                }
                StoredResult::Failed {
                    reason: FailureReason::JudgeUnparsable { asks },
                    ..
                } => {
                    assert_eq!(*asks, 3);
                    assert_eq!(stored.unparsable_replies, 3);
                }
                _ => {}
            }
        }
        // Spend: every successful attempt costs $0.001 and every unparsable reply $0.0005.
        let successes = engine
            .db
            .values()
            .filter(|s| !matches!(s.result, StoredResult::Failed { .. }))
            .count();
        let unparsable = engine
            .events
            .iter()
            .filter(|event| {
                matches!(
                    event.disposition,
                    Disposition::Reask { .. }
                        | Disposition::Failed {
                            reason: FailureReason::JudgeUnparsable { .. }
                        }
                )
            })
            .count();
        let expected = successes as f64 * 0.001 + unparsable as f64 * 0.0005;
        let spent = progress.spent.cost_usd.unwrap();
        assert!(
            (spent - expected).abs() < 1e-9,
            "spent {spent}, expected {expected}"
        );
    }
}

#[test]
fn a_reload_in_the_middle_repeats_no_finished_call_and_the_run_completes() {
    let config = two_lane_config();
    let mut engine = Engine::new(plan(40, 5, true), config, 11, random_faults());
    engine.write_ms = 500;
    let total = engine.scheduler.plan().call_count();
    engine.run_until(|engine| engine.db.len() >= total / 3 && engine.writes.len() >= 2);
    let in_flight_before = engine.scheduler.in_flight_count();
    assert!(
        in_flight_before > 0,
        "the reload interrupts calls in flight"
    );
    // Answered calls whose records were still being written: lost with the page, so sent again.
    let unwritten: Vec<CallKey> = engine.writes.values().map(|(call, _)| *call).collect();
    assert_eq!(unwritten.len(), engine.scheduler.storing_count());
    let spent_before = engine.scheduler.progress(engine.now).spent;
    let problems = engine.reload();
    assert!(problems.is_empty(), "{problems:?}");
    let progress = engine.scheduler.progress(engine.now);
    assert_eq!(
        progress.totals.in_flight, 0,
        "what was in flight is pending again"
    );
    assert_eq!(
        progress.totals.done + progress.totals.failed,
        engine.db.len() as u64
    );
    // Spend of stored calls survives; only the attempts of unfinished calls are forgotten.
    assert!(progress.spent.cost_usd.unwrap() <= spent_before.cost_usd.unwrap() + 1e-12);
    assert!(progress.spent.cost_usd.unwrap() > 0.0);
    for &call in &unwritten {
        assert!(
            matches!(
                engine.scheduler.call_state(call),
                Some(CallState::Ready | CallState::Blocked)
            ),
            "{call:?} was not stored: pending again"
        );
    }
    // Stored calls never start again (checked in Engine::start), and the run completes.
    assert_eq!(engine.run(), Poll::Finished);
    assert_finished_consistently(&engine);
    for &call in &unwritten {
        assert!(
            engine.starts_of(call).len() >= 2,
            "{call:?} sent again after its record was lost"
        );
        assert!(engine.stored(call).is_some());
    }
    // A second reload of the finished run restores a finished scheduler.
    engine.reload();
    assert_eq!(engine.scheduler.status(), RunStatus::Finished);
    assert_eq!(engine.scheduler.poll(engine.now), Poll::Finished);
}

// ---------------------------------------------------------------------------------------------
// Throughput and scale
// ---------------------------------------------------------------------------------------------

#[test]
fn throughput_matches_the_ideal_when_latency_is_the_only_limit() {
    // 334 items x 1 sample x 3 stages = 1,002 calls of 100 ms at concurrency 6. Ideally
    // 1,002 x 100 / 6 = 16,700 ms; the last judge calls wait for their generations, so a few
    // hundred ms of tail are unavoidable: allow 2 %.
    let config = SchedulerConfig::single_lane(6, None, 60_000);
    let fault: FaultModel = Box::new(|ctx: &mut Ctx<'_>| Reply::ok(ctx.call, 100, true));
    let mut engine = Engine::new(plan(334, 1, false), config, 1, fault);
    assert_eq!(engine.run(), Poll::Finished);
    assert_eq!(engine.starts.len(), 1_002);
    let ideal = 1_002.0 * 100.0 / 6.0;
    let elapsed = engine.now as f64;
    assert!(
        elapsed >= ideal,
        "faster than physically possible: {elapsed}"
    );
    assert!(
        elapsed <= ideal * 1.02,
        "{elapsed} ms against the ideal {ideal} ms"
    );
    assert_eq!(engine.max_in_flight[&0], 6);
}

#[test]
fn a_call_being_stored_keeps_its_place_so_a_reload_repeats_at_most_the_concurrency() {
    // Every record takes 30 ms to store. A call keeps its place in the lane until its record is
    // stored, so calls in flight and calls being stored (what a reload would send again) are
    // never more than the concurrency, and each place is busy 100 + 30 ms per call.
    let config = SchedulerConfig::single_lane(6, None, 60_000);
    let fault: FaultModel = Box::new(|ctx: &mut Ctx<'_>| Reply::ok(ctx.call, 100, true));
    let mut engine = Engine::new(plan(334, 1, false), config, 1, fault);
    engine.write_ms = 30;
    let mut most_unstored = 0;
    let mut most_storing = 0;
    engine.run_until(|engine| {
        let storing = engine.scheduler.storing_count();
        most_storing = most_storing.max(storing);
        most_unstored = most_unstored.max(engine.scheduler.in_flight_count() + storing);
        false
    });
    assert_eq!(engine.scheduler.poll(engine.now), Poll::Finished);
    assert_finished_consistently(&engine);
    assert_eq!(engine.starts.len(), 1_002);
    assert!(
        most_storing >= 1,
        "records were being stored: {most_storing}"
    );
    assert_eq!(
        most_unstored, 6,
        "in flight + being stored, at most the concurrency"
    );
    // 1,002 calls, 6 places, each busy 130 ms per call: 21,710 ms, give or take the last round.
    let held = 1_002.0 * 130.0 / 6.0;
    let elapsed = engine.now as f64;
    assert!(
        (held * 0.97..=held * 1.03).contains(&elapsed),
        "{elapsed} ms against {held} ms"
    );
}

#[test]
fn the_run_finishes_only_once_every_record_is_stored() {
    let mut scheduler = Scheduler::new(
        plan(1, 1, false),
        SchedulerConfig::single_lane(2, None, 1_000),
    )
    .unwrap();
    let generation = CallKey::new(0, 0, Stage::Generate);
    let Poll::Start(started) = scheduler.poll(0) else {
        panic!()
    };
    assert_eq!(started.len(), 1);
    let generated = AttemptOutcome::Generated {
        has_reasoning: true,
    };
    let record = scheduler
        .outcome_to_store(generation, &generated, Spend::NONE)
        .unwrap()
        .expect("a completion is stored");
    assert_eq!(
        record.result,
        StoredResult::Generated {
            has_reasoning: true
        }
    );
    scheduler
        .finished(generation, generated, Spend::NONE, 100)
        .unwrap();
    let progress = scheduler.progress(100);
    assert_eq!(progress.totals.storing, 1);
    assert_eq!(progress.totals.in_flight, 0);
    assert_eq!(progress.totals.finished(), 0);
    assert_eq!(progress.lanes[0].in_flight, 0);
    assert!(serde_json::to_string(&progress)
        .unwrap()
        .contains("\"storing\":1"));
    assert_eq!(scheduler.stored(generation, 103), Ok(Disposition::Done));
    let Poll::Start(judges) = scheduler.poll(103) else {
        panic!()
    };
    assert_eq!(judges.len(), 2);
    for dispatch in &judges {
        scheduler
            .finished(dispatch.call, AttemptOutcome::Judged, Spend::NONE, 200)
            .unwrap();
    }
    // Every answer is in, two records are not stored yet: not finished.
    assert_eq!(scheduler.status(), RunStatus::Running);
    assert_eq!(scheduler.poll(200), Poll::Wait { wake_at_ms: None });
    assert_eq!(scheduler.stored(judges[0].call, 201), Ok(Disposition::Done));
    assert_eq!(scheduler.status(), RunStatus::Running);
    assert_eq!(scheduler.stored(judges[1].call, 202), Ok(Disposition::Done));
    assert_eq!(scheduler.status(), RunStatus::Finished);
    assert_eq!(scheduler.poll(202), Poll::Finished);
}

#[test]
fn a_record_that_cannot_be_stored_stops_the_run_and_resume_sends_the_call_again() {
    let config = SchedulerConfig::single_lane(4, None, 60_000);
    let fault: FaultModel = Box::new(|ctx: &mut Ctx<'_>| Reply::ok(ctx.call, 100, true));
    let mut engine = Engine::new(plan(6, 2, false), config, 4, fault);
    engine.write_ms = 20;
    let lost = CallKey::new(2, 1, Stage::Generate);
    engine.failing_writes.insert(lost);
    let end = engine.run();
    let Poll::Stopped(fatal) = end else {
        panic!("expected a stop, got {end:?}")
    };
    assert_eq!(fatal.call, lost);
    assert_eq!(fatal.status, None);
    assert_eq!(fatal.message, "simulated: the disk is full");
    // Nothing started after the failed write was reported; the call is held, not stored, and
    // its judges were never sent.
    let failed_write = engine
        .events
        .iter()
        .find(|event| event.disposition == Disposition::Stopped)
        .unwrap();
    assert_eq!(failed_write.call, lost);
    assert_eq!(engine.starts.len(), failed_write.starts_before);
    assert_eq!(engine.scheduler.call_state(lost), Some(CallState::Held));
    assert!(engine.stored(lost).is_none());
    for stage in [Stage::JudgeAnswer, Stage::JudgeReasoning] {
        let judge = CallKey::new(2, 1, stage);
        assert_eq!(engine.scheduler.call_state(judge), Some(CallState::Blocked));
        assert!(engine.starts_of(judge).is_empty());
    }
    let progress = engine.scheduler.progress(engine.now);
    assert_eq!(progress.totals.storing, 0, "the other writes ended");
    assert_eq!(progress.totals.held, 1);
    assert!(progress
        .errors
        .iter()
        .any(|tally| tally.last_message == "simulated: the disk is full"));
    // Resuming sends the call again; the run completes with every record stored once.
    assert_eq!(engine.scheduler.resume(), RunStatus::Running);
    assert_eq!(engine.run(), Poll::Finished);
    assert_finished_consistently(&engine);
    assert_eq!(engine.starts_of(lost).len(), 2);
}

#[test]
fn thirty_thousand_calls_schedule_quickly() {
    // The full benchmark at k = 5: 2,000 x 5 x 3 = 30,000 calls.
    let config = SchedulerConfig::single_lane(64, None, 60_000);
    let fault: FaultModel = Box::new(|ctx: &mut Ctx<'_>| {
        let latency = 200 + ctx.rng.below(2_000);
        Reply::ok(ctx.call, latency, true)
    });
    let mut engine = Engine::new(plan(2_000, 5, false), config, 5, fault);
    let clock = std::time::Instant::now();
    assert_eq!(engine.run(), Poll::Finished);
    let wall = clock.elapsed();
    assert_eq!(engine.starts.len(), 30_000);
    // Judge calls go first: no more samples are generated-but-unjudged than the lane holds
    // (at most 64 generations in flight plus their 2 judge calls each).
    let mut open_samples = HashSet::new();
    let mut max_open = 0;
    for (_, call) in &engine.starts {
        if call.stage == Stage::Generate {
            open_samples.insert((call.item, call.sample));
        }
        max_open = max_open.max(open_samples.len());
        if call.stage == Stage::JudgeReasoning {
            open_samples.remove(&(call.item, call.sample));
        }
    }
    assert!(max_open <= 3 * 64, "{max_open} samples open at once");
    println!(
        "30,000 calls scheduled in {wall:?} ({} polls)",
        engine.polls
    );
    // Generous even for a debug build on a busy machine; a scan per poll would take minutes.
    assert!(wall.as_secs() < 60, "{wall:?}");
}

// ---------------------------------------------------------------------------------------------
// Limits
// ---------------------------------------------------------------------------------------------

#[test]
fn the_rpm_limit_holds_in_every_window_and_paces_the_run() {
    // 20 items x 1 x 3 = 60 fast calls at 20 per minute: starts at 0, then in each new minute;
    // the last batch of 20 starts at 120 s.
    let config = SchedulerConfig::single_lane(10, Some(20), 60_000);
    let fault: FaultModel = Box::new(|ctx: &mut Ctx<'_>| Reply::ok(ctx.call, 10, true));
    let mut engine = Engine::new(plan(20, 1, false), config, 3, fault);
    assert_eq!(engine.run(), Poll::Finished);
    assert_rpm_respected(&engine, &Stage::ALL, 20);
    let last_start = engine.starts.iter().map(|(at, _)| *at).max().unwrap();
    assert!(
        (120_000..121_000).contains(&last_start),
        "last start at {last_start}"
    );
}

#[test]
fn a_reload_keeps_the_rpm_window_given_back_with_the_rate_memory() {
    // 20 per minute, 10 at a time; the page reloads after the first starts of the first minute.
    let run = |remember: bool| {
        let config = SchedulerConfig::single_lane(10, Some(20), 60_000);
        let fault: FaultModel = Box::new(|ctx: &mut Ctx<'_>| Reply::ok(ctx.call, 10, true));
        let mut engine = Engine::new(plan(20, 1, false), config, 3, fault);
        engine.run_until(|engine| !engine.starts.is_empty());
        let memory = engine.scheduler.rate_memory(engine.now);
        assert_eq!(memory.len(), 1);
        assert_eq!(memory[0].starts.len(), engine.starts.len());
        assert!((1..20).contains(&engine.starts.len()));
        engine.reload();
        if remember {
            engine.scheduler.remember_rates(&memory, engine.now);
        }
        assert_eq!(engine.run(), Poll::Finished);
        engine
    };
    let engine = run(true);
    assert!(rpm_respected(&engine, &Stage::ALL, 20), "across the reload");
    assert_finished_consistently(&engine);
    // Without it, the new page would start 20 more in the same minute.
    assert!(!rpm_respected(&run(false), &Stage::ALL, 20));
}

#[test]
fn repeated_rate_limits_halve_concurrency_and_successes_grow_it_back() {
    // Every call started between 10 s and 30 s is refused with 429; the rest succeed.
    let config = SchedulerConfig::single_lane(8, None, 60_000);
    let fault: FaultModel = Box::new(|ctx: &mut Ctx<'_>| {
        if (10_000..30_000).contains(&ctx.now) {
            Reply::fail(300, RetryKind::RateLimited, None)
        } else {
            Reply::ok(ctx.call, 300, true)
        }
    });
    let mut engine = Engine::new(plan(100, 2, false), config, 9, fault);
    let mut lowest = 8;
    let mut halvings = Vec::new();
    let mut previous = 8;
    while engine.step().is_ok() {
        let effective = engine
            .scheduler
            .effective_concurrency(Stage::Generate)
            .unwrap();
        if effective < previous {
            // Multiplicative decrease: exactly halved (rounded down, at least 1).
            assert_eq!(effective, (previous / 2).max(1));
            halvings.push(engine.now);
        }
        if effective > previous {
            // Additive increase: one at a time, only after the 429s stopped.
            assert_eq!(effective, previous + 1);
            assert!(engine.now >= 30_000);
        }
        lowest = lowest.min(effective);
        previous = effective;
    }
    assert!(lowest <= 2, "fell to {lowest}");
    assert!(halvings.len() >= 2);
    assert_eq!(
        engine.scheduler.effective_concurrency(Stage::Generate),
        Some(8),
        "grew back"
    );
    assert_finished_consistently(&engine);
    let progress = engine.scheduler.progress(engine.now);
    assert_eq!(progress.lanes[0].effective_concurrency, 8);
    assert!(progress
        .errors
        .iter()
        .any(|tally| tally.count > 0 && tally.last_status == Some(429)));
}

#[test]
fn a_rate_limit_on_the_model_does_not_slow_the_judge_lane() {
    let config = two_lane_config();
    let fault: FaultModel = Box::new(|ctx: &mut Ctx<'_>| {
        // About half the generations start after 2 s (6 at a time, 400 ms each).
        if ctx.call.stage == Stage::Generate && ctx.now >= 2_000 && ctx.attempt == 1 {
            Reply::fail(100, RetryKind::RateLimited, Some(3_000))
        } else {
            Reply::ok(ctx.call, 400, true)
        }
    });
    let mut engine = Engine::new(plan(30, 2, false), config, 2, fault);
    assert_eq!(engine.run(), Poll::Finished);
    assert!(
        engine
            .scheduler
            .effective_concurrency(Stage::Generate)
            .unwrap()
            <= 6
    );
    assert_eq!(
        engine.scheduler.effective_concurrency(Stage::JudgeAnswer),
        Some(4)
    );
    // The retry-after held the model lane: after a 429 at t, no generation started before
    // t + 3 s; judge calls went on meanwhile.
    let mut judged_during_holds = 0;
    let mut holds = 0;
    for event in &engine.events {
        if event.call.stage == Stage::Generate
            && matches!(event.disposition, Disposition::Retry { .. })
        {
            holds += 1;
            let held = |start: u64| start > event.at && start < event.at + 3_000;
            assert!(!engine
                .starts
                .iter()
                .any(|(start, call)| call.stage == Stage::Generate && held(*start)));
            judged_during_holds += engine
                .starts
                .iter()
                .filter(|(start, call)| call.stage.is_judge() && held(*start))
                .count();
        }
    }
    assert!(holds >= 20, "{holds} rate limits");
    assert!(judged_during_holds > 0);
    assert_finished_consistently(&engine);
}

// ---------------------------------------------------------------------------------------------
// Retries and failures
// ---------------------------------------------------------------------------------------------

#[test]
fn backoff_delays_grow_and_respect_retry_after() {
    // One item, one sample: the generation fails 5 times with 503, then succeeds.
    let mut config = SchedulerConfig::single_lane(1, None, 60_000);
    config.backoff = BackoffPolicy {
        base_ms: 1_000,
        cap_ms: 60_000,
        hint_jitter_cap_ms: 1_000,
    };
    let fault: FaultModel = Box::new(|ctx: &mut Ctx<'_>| match (ctx.call.stage, ctx.attempt) {
        (Stage::Generate, 1..=5) => Reply::fail(10, RetryKind::ServerError(503), None),
        // The answer judge gets a 503 with a 7 s retry-after once (a 503 holds only this call;
        // a 429's hint holds the lane, tested below).
        (Stage::JudgeAnswer, 1) => Reply::fail(10, RetryKind::ServerError(503), Some(7_000)),
        _ => Reply::ok(ctx.call, 10, true),
    });
    let mut engine = Engine::new(plan(1, 1, false), config, 4, fault);
    assert_eq!(engine.run(), Poll::Finished);
    let generation = CallKey::new(0, 0, Stage::Generate);
    let starts = engine.starts_of(generation);
    assert_eq!(starts.len(), 6);
    // Delay after failure n = next start - (start + 10 ms latency): within [c/2, c) with the
    // ceiling c = 1000 * 2^(n-1), and never shorter than the one before.
    let delays: Vec<u64> = starts
        .windows(2)
        .map(|pair| pair[1] - (pair[0] + 10))
        .collect();
    for (n, delay) in delays.iter().enumerate() {
        let ceiling = 1_000u64 << n;
        assert!(
            (ceiling / 2..ceiling).contains(delay),
            "delay {n}: {delay} not in [{}, {ceiling})",
            ceiling / 2
        );
    }
    assert!(
        delays.windows(2).all(|pair| pair[1] >= pair[0]),
        "{delays:?}"
    );
    let judge = engine.starts_of(CallKey::new(0, 0, Stage::JudgeAnswer));
    assert_eq!(judge.len(), 2);
    let waited = judge[1] - (judge[0] + 10);
    // At least the hint, plus at most a tenth of it (capped at 1 s) of jitter.
    assert!(
        (7_000..=7_700).contains(&waited),
        "waited {waited} ms after a 7 s retry-after"
    );
}

#[test]
fn max_attempts_record_a_failure_and_skip_the_judges() {
    let config = SchedulerConfig::single_lane(2, None, 60_000);
    let fault: FaultModel = Box::new(|ctx: &mut Ctx<'_>| {
        if ctx.call.item == 0 && ctx.call.stage == Stage::Generate {
            Reply::fail(10, RetryKind::Network, None)
        } else {
            Reply::ok(ctx.call, 10, true)
        }
    });
    let mut engine = Engine::new(plan(2, 1, false), config, 4, fault);
    assert_eq!(engine.run(), Poll::Finished);
    let failed = CallKey::new(0, 0, Stage::Generate);
    assert_eq!(engine.starts_of(failed).len(), 6, "6 attempts, never more");
    let expected = FailureReason::RetriesExhausted {
        kind: RetryKind::Network,
        attempts: 6,
    };
    assert_eq!(
        engine.scheduler.call_state(failed),
        Some(CallState::Failed { reason: expected })
    );
    for stage in [Stage::JudgeAnswer, Stage::JudgeReasoning] {
        assert_eq!(
            engine.scheduler.call_state(CallKey::new(0, 0, stage)),
            Some(CallState::Skipped {
                reason: SkipReason::GenerationFailed
            })
        );
    }
    let stored = engine.stored(failed).unwrap();
    assert!(
        matches!(&stored.result, StoredResult::Failed { message, .. } if message.contains("network"))
    );
    // The other item is unaffected.
    assert_eq!(
        engine
            .scheduler
            .call_state(CallKey::new(1, 0, Stage::JudgeReasoning)),
        Some(CallState::Done)
    );
    let progress = engine.scheduler.progress(engine.now);
    assert_eq!(progress.totals.failed, 1);
    assert_eq!(progress.retries, 5, "5 retries after the first attempt");

    // "Retry failed calls" queues the generation with a fresh budget and un-skips its judges.
    assert_eq!(engine.scheduler.retry_failed(), 1);
    assert_eq!(engine.scheduler.status(), RunStatus::Running);
    assert_eq!(
        engine
            .scheduler
            .call_state(CallKey::new(0, 0, Stage::JudgeAnswer)),
        Some(CallState::Blocked)
    );
}

#[test]
fn an_unparsable_judge_is_asked_again_at_most_twice_then_fails_as_a_judge_error() {
    let config = SchedulerConfig::single_lane(4, None, 60_000);
    let fault: FaultModel = Box::new(|ctx: &mut Ctx<'_>| match (ctx.call.item, ctx.call.stage) {
        // Item 0: the answer judge never gives a verdict. Item 1: it does on the third ask.
        (0, Stage::JudgeAnswer) => Reply {
            latency_ms: 10,
            outcome: AttemptOutcome::JudgeUnparsable {
                message: "reply has no label".into(),
            },
            spend: Spend::NONE,
        },
        (1, Stage::JudgeAnswer) if ctx.attempt < 3 => Reply {
            latency_ms: 10,
            outcome: AttemptOutcome::JudgeUnparsable {
                message: "reply has no label".into(),
            },
            spend: Spend::NONE,
        },
        _ => Reply::ok(ctx.call, 10, true),
    });
    let mut engine = Engine::new(plan(2, 1, false), config, 4, fault);
    assert_eq!(engine.run(), Poll::Finished);
    let never = CallKey::new(0, 0, Stage::JudgeAnswer);
    assert_eq!(
        engine.starts_of(never).len(),
        3,
        "asked once, re-asked twice"
    );
    let reason = FailureReason::JudgeUnparsable { asks: 3 };
    assert_eq!(
        engine.scheduler.call_state(never),
        Some(CallState::Failed { reason })
    );
    assert!(matches!(
        &engine.stored(never).unwrap().result,
        StoredResult::Failed { reason: r, message } if *r == reason && message == "reply has no label"
    ));
    let third_time = CallKey::new(1, 0, Stage::JudgeAnswer);
    assert_eq!(engine.starts_of(third_time).len(), 3);
    assert_eq!(
        engine.scheduler.call_state(third_time),
        Some(CallState::Done)
    );
    assert_eq!(engine.stored(third_time).unwrap().unparsable_replies, 2);
    let asks: Vec<u32> = engine
        .events
        .iter()
        .filter_map(|event| match event.disposition {
            Disposition::Reask { ask } if event.call == third_time => Some(ask),
            _ => None,
        })
        .collect();
    assert_eq!(asks, [2, 3]);
    let progress = engine.scheduler.progress(engine.now);
    assert_eq!(progress.reasks, 4);
    let judge_errors = progress
        .errors
        .iter()
        .find(|tally| tally.count == 5)
        .unwrap();
    assert_eq!(judge_errors.last_message, "reply has no label");
}

// ---------------------------------------------------------------------------------------------
// Dependencies
// ---------------------------------------------------------------------------------------------

#[test]
fn judge_calls_wait_for_their_generation_and_no_trace_skips_the_reasoning_judges() {
    let config = SchedulerConfig::single_lane(10, None, 60_000);
    // Item 0 has a trace, item 1 has none.
    let fault: FaultModel =
        Box::new(|ctx: &mut Ctx<'_>| Reply::ok(ctx.call, 1_000, ctx.call.item == 0));
    let mut engine = Engine::new(plan(2, 1, true), config, 4, fault);
    // The first poll starts only the two generations, though there is room for ten calls.
    let Poll::Start(first) = engine.scheduler.poll(0) else {
        panic!("nothing started")
    };
    let stages: Vec<Stage> = first.iter().map(|dispatch| dispatch.call.stage).collect();
    assert_eq!(stages, [Stage::Generate, Stage::Generate]);
    for dispatch in first {
        engine.start(dispatch.call, dispatch.attempt, dispatch.deadline_ms);
    }
    assert_eq!(engine.scheduler.poll(500), Poll::Wait { wake_at_ms: None });
    assert_eq!(engine.run(), Poll::Finished);
    for stage in [Stage::JudgeReasoning, Stage::SecondJudgeReasoning] {
        assert_eq!(
            engine.scheduler.call_state(CallKey::new(0, 0, stage)),
            Some(CallState::Done)
        );
        assert_eq!(
            engine.scheduler.call_state(CallKey::new(1, 0, stage)),
            Some(CallState::Skipped {
                reason: SkipReason::NoTrace
            })
        );
        assert!(engine.starts_of(CallKey::new(1, 0, stage)).is_empty());
    }
    // Item 1's answer judges still ran.
    assert_eq!(
        engine
            .scheduler
            .call_state(CallKey::new(1, 0, Stage::SecondJudgeAnswer)),
        Some(CallState::Done)
    );
    let progress = engine.scheduler.progress(engine.now);
    assert_eq!(progress.totals.skipped_no_trace, 2);
    // The 6 judge calls all started at 1 s, when the generations finished, and ended at 2 s.
    assert_eq!(engine.now, 2_000);
}

#[test]
fn started_samples_are_judged_before_new_ones_are_generated() {
    let config = SchedulerConfig::single_lane(1, None, 60_000);
    let fault: FaultModel = Box::new(|ctx: &mut Ctx<'_>| Reply::ok(ctx.call, 10, true));
    let mut engine = Engine::new(plan(3, 2, false), config, 4, fault);
    assert_eq!(engine.run(), Poll::Finished);
    // With one call at a time the order is fully determined: each sample is generated and then
    // judged before the next sample starts, items in order, samples in order.
    let order: Vec<(u32, u16, Stage)> = engine
        .starts
        .iter()
        .map(|(_, c)| (c.item, c.sample, c.stage))
        .collect();
    let mut expected = Vec::new();
    for item in 0..3 {
        for sample in 0..2 {
            for stage in [Stage::Generate, Stage::JudgeAnswer, Stage::JudgeReasoning] {
                expected.push((item, sample, stage));
            }
        }
    }
    assert_eq!(order, expected);
}

// ---------------------------------------------------------------------------------------------
// Fatal errors, pause, cancel, spend cap
// ---------------------------------------------------------------------------------------------

#[test]
fn a_fatal_401_stops_the_run_at_once_and_resume_finishes_it() {
    let config = SchedulerConfig::single_lane(4, None, 60_000);
    let key_fixed = std::rc::Rc::new(std::cell::Cell::new(false));
    let fixed = key_fixed.clone();
    let fault: FaultModel = Box::new(move |ctx: &mut Ctx<'_>| {
        if ctx.call.stage.is_judge() && !fixed.get() {
            Reply {
                latency_ms: 100 + u64::from(ctx.call.item) * 7,
                outcome: AttemptOutcome::Fatal {
                    status: Some(401),
                    message: "401 from judge.example: check the key".into(),
                },
                spend: Spend::NONE,
            }
        } else {
            Reply::ok(ctx.call, 100 + u64::from(ctx.call.item) * 7, true)
        }
    });
    let mut engine = Engine::new(plan(10, 2, false), config, 4, fault);
    let end = engine.run();
    let Poll::Stopped(fatal) = end else {
        panic!("expected a stop, got {end:?}")
    };
    assert_eq!(fatal.status, Some(401));
    assert_eq!(fatal.message, "401 from judge.example: check the key");
    assert!(fatal.call.stage.is_judge());
    // No call started after the first fatal report.
    let first_fatal = engine
        .events
        .iter()
        .find(|event| event.disposition == Disposition::Stopped)
        .unwrap();
    assert_eq!(engine.starts.len(), first_fatal.starts_before);
    assert!(
        engine
            .events
            .iter()
            .filter(|event| event.disposition == Disposition::Stopped)
            .count()
            >= 2,
        "other judge calls in flight also failed and were held"
    );
    // Calls that were in flight finished and were recorded; the failed ones are held.
    let progress = engine.scheduler.progress(engine.now);
    assert_eq!(progress.totals.in_flight, 0);
    assert!(progress.totals.held >= 1);
    assert!(matches!(progress.status, RunStatus::Stopped { .. }));
    let serialized = serde_json::to_string(&progress).unwrap();
    assert!(serialized.contains("check the key"));

    key_fixed.set(true);
    assert_eq!(engine.scheduler.resume(), RunStatus::Running);
    assert_eq!(engine.run(), Poll::Finished);
    assert_finished_consistently(&engine);
    // The call that failed fatally was sent again after the resume.
    assert!(engine.starts_of(fatal.call).len() >= 2);
}

#[test]
fn pause_lets_calls_in_flight_finish_and_resume_continues() {
    let config = SchedulerConfig::single_lane(3, None, 60_000);
    let fault: FaultModel = Box::new(|ctx: &mut Ctx<'_>| Reply::ok(ctx.call, 1_000, true));
    let mut engine = Engine::new(plan(5, 1, false), config, 4, fault);
    engine.run_until(|engine| engine.now >= 1_000 && engine.scheduler.in_flight_count() == 3);
    engine.scheduler.pause();
    let paused_at = engine.now;
    let end = engine.run();
    assert_eq!(end, Poll::Paused(PauseReason::Manual));
    assert!(
        engine.starts.iter().all(|(at, _)| *at <= paused_at),
        "nothing new while paused"
    );
    assert_eq!(
        engine.scheduler.in_flight_count(),
        0,
        "in-flight calls finished"
    );
    assert!(engine.now > paused_at);
    assert_eq!(
        engine.scheduler.progress(engine.now).eta_ms,
        None,
        "no ETA while paused"
    );
    engine.now += 3_600_000;
    assert_eq!(engine.scheduler.resume(), RunStatus::Running);
    assert_eq!(engine.run(), Poll::Finished);
    assert_finished_consistently(&engine);
}

#[test]
fn cancel_returns_the_calls_to_abort_and_starts_nothing_more() {
    let config = SchedulerConfig::single_lane(3, None, 60_000);
    let fault: FaultModel = Box::new(|ctx: &mut Ctx<'_>| Reply::ok(ctx.call, 1_000, true));
    let mut engine = Engine::new(plan(5, 1, false), config, 4, fault);
    engine.run_until(|engine| engine.starts.len() >= 4);
    let to_abort = engine.scheduler.cancel();
    assert_eq!(to_abort.len(), engine.flights.len());
    let starts = engine.starts.len();
    // The engine aborts them; the scheduler takes them back without counting an attempt.
    let flights: Vec<Flight> = std::mem::take(&mut engine.flights).into_values().collect();
    for flight in flights {
        assert!(to_abort.contains(&flight.call));
        let disposition = engine
            .scheduler
            .finished(
                flight.call,
                AttemptOutcome::Aborted,
                Spend::NONE,
                engine.now,
            )
            .unwrap();
        assert_eq!(disposition, Disposition::Requeued);
        assert_eq!(
            engine.scheduler.call_state(flight.call),
            Some(CallState::Ready)
        );
    }
    assert_eq!(engine.scheduler.poll(engine.now + 10_000), Poll::Cancelled);
    assert_eq!(engine.scheduler.status(), RunStatus::Cancelled);
    assert_eq!(
        engine.scheduler.resume(),
        RunStatus::Cancelled,
        "cancel is final"
    );
    assert_eq!(engine.scheduler.poll(engine.now + 20_000), Poll::Cancelled);
    assert_eq!(engine.starts.len(), starts);
}

#[test]
fn the_spend_cap_pauses_the_run_until_it_is_raised() {
    let mut config = SchedulerConfig::single_lane(1, None, 60_000);
    // Each successful call costs $0.001 (Reply::ok): the cap is reached on the 10th.
    config.spend_cap_usd = Some(0.0095);
    let fault: FaultModel = Box::new(|ctx: &mut Ctx<'_>| Reply::ok(ctx.call, 10, true));
    let mut engine = Engine::new(plan(10, 1, false), config, 4, fault);
    let end = engine.run();
    let Poll::Paused(PauseReason::SpendCap { spent_usd, cap_usd }) = end else {
        panic!("expected the spend cap, got {end:?}")
    };
    assert!((spent_usd - 0.01).abs() < 1e-9 && cap_usd == 0.0095);
    assert_eq!(engine.starts.len(), 10);
    assert!(PauseReason::SpendCap { spent_usd, cap_usd }
        .to_string()
        .contains("spend cap reached"));
    // Resuming without raising the cap stays paused.
    assert!(matches!(
        engine.scheduler.resume(),
        RunStatus::Paused { .. }
    ));
    assert_eq!(
        engine.run(),
        Poll::Paused(PauseReason::SpendCap { spent_usd, cap_usd })
    );
    // The cap survives a reload.
    engine.reload();
    assert!(matches!(
        engine.scheduler.status(),
        RunStatus::Paused {
            reason: PauseReason::SpendCap { .. }
        }
    ));
    engine.scheduler.set_spend_cap(Some(1.0)).unwrap();
    assert_eq!(engine.scheduler.resume(), RunStatus::Running);
    assert_eq!(engine.run(), Poll::Finished);
    assert!(engine.scheduler.set_spend_cap(Some(f64::NAN)).is_err());
}

// ---------------------------------------------------------------------------------------------
// Restore and bad reports
// ---------------------------------------------------------------------------------------------

#[test]
fn restore_reports_records_that_do_not_fit() {
    let plan = plan(3, 1, false);
    let generated = |has_reasoning| StoredOutcome {
        result: StoredResult::Generated { has_reasoning },
        failed_attempts: 0,
        unparsable_replies: 0,
        spend: Spend::new(10, 10, Some(0.5)),
    };
    let judged = StoredOutcome {
        result: StoredResult::Judged,
        failed_attempts: 1,
        unparsable_replies: 0,
        spend: Spend::NONE,
    };
    let records = vec![
        (CallKey::new(0, 0, Stage::Generate), generated(false)),
        // A reasoning judge for a completion without a trace.
        (CallKey::new(0, 0, Stage::JudgeReasoning), judged.clone()),
        // A judge whose generation is not stored.
        (CallKey::new(1, 0, Stage::JudgeAnswer), judged.clone()),
        // A completion stored for a judge call.
        (CallKey::new(2, 0, Stage::JudgeAnswer), generated(true)),
        // Another run's call.
        (CallKey::new(9, 0, Stage::Generate), generated(true)),
        (CallKey::new(0, 0, Stage::SecondJudgeAnswer), judged.clone()),
        // Stored twice: the later record counts.
        (CallKey::new(2, 0, Stage::Generate), generated(false)),
        (CallKey::new(2, 0, Stage::Generate), generated(true)),
    ];
    let restored = Scheduler::restore(plan, SchedulerConfig::default(), records).unwrap();
    let problems = restored.problems;
    assert!(
        matches!(&problems[0], RestoreProblem::WrongResult { call } if call.ends_with("/0/judge-answer"))
    );
    assert!(matches!(problems[1], RestoreProblem::NotInPlan { .. }));
    assert!(matches!(problems[2], RestoreProblem::NotInPlan { .. }));
    assert!(matches!(problems[3], RestoreProblem::Duplicate { .. }));
    assert!(
        matches!(&problems[4], RestoreProblem::JudgedWithoutTrace { call } if call.ends_with("0/0/judge-reasoning"))
    );
    assert!(matches!(
        problems[5],
        RestoreProblem::JudgedWithoutGeneration { .. }
    ));
    assert_eq!(problems.len(), 6, "{problems:?}");
    assert!(problems
        .iter()
        .all(|problem| !problem.to_string().is_empty()));
    let scheduler = restored.scheduler;
    let state = |item, stage| scheduler.call_state(CallKey::new(item, 0, stage)).unwrap();
    assert_eq!(state(0, Stage::Generate), CallState::Done);
    assert_eq!(state(0, Stage::JudgeAnswer), CallState::Ready);
    assert_eq!(
        state(0, Stage::JudgeReasoning),
        CallState::Skipped {
            reason: SkipReason::NoTrace
        }
    );
    assert_eq!(state(1, Stage::Generate), CallState::Ready);
    assert_eq!(
        state(1, Stage::JudgeAnswer),
        CallState::Blocked,
        "judged again later"
    );
    assert_eq!(state(2, Stage::Generate), CallState::Done);
    assert_eq!(
        state(2, Stage::JudgeReasoning),
        CallState::Ready,
        "the later record had a trace"
    );
    // Spend of every valid record counts: generations 0, 2 (twice stored, once counted)
    // at $0.50 each, and the judges at no cost.
    let progress = scheduler.progress(0);
    assert_eq!(progress.spent.cost_usd, Some(1.0));
    assert_eq!(
        progress.retries, 2,
        "judge records with one retry each: items 0 and 1"
    );
}

#[test]
fn bad_reports_are_refused_without_changing_anything() {
    let mut scheduler = Scheduler::new(plan(1, 1, false), SchedulerConfig::default()).unwrap();
    let generation = CallKey::new(0, 0, Stage::Generate);
    let judge = CallKey::new(0, 0, Stage::JudgeAnswer);
    // Not started yet.
    let error = scheduler
        .finished(generation, AttemptOutcome::Judged, Spend::NONE, 0)
        .unwrap_err();
    assert!(matches!(error, SchedulerError::NotInFlight { .. }));
    assert!(
        error
            .to_string()
            .contains("00000000000000000000000000000000/0/generate"),
        "{error}"
    );
    assert!(matches!(
        scheduler.started(judge, 0),
        Err(SchedulerError::NotInFlight { .. })
    ));
    let Poll::Start(dispatches) = scheduler.poll(0) else {
        panic!()
    };
    assert_eq!(dispatches.len(), 1);
    // A verdict reported for a generation, a negative cost, a call outside the plan.
    assert!(matches!(
        scheduler.finished(generation, AttemptOutcome::Judged, Spend::NONE, 5),
        Err(SchedulerError::WrongOutcome { .. })
    ));
    assert!(matches!(
        scheduler.finished(
            generation,
            AttemptOutcome::Generated {
                has_reasoning: true
            },
            Spend::new(1, 1, Some(-1.0)),
            5
        ),
        Err(SchedulerError::InvalidSpend { .. })
    ));
    assert!(matches!(
        scheduler.finished(
            CallKey::new(5, 0, Stage::Generate),
            AttemptOutcome::Judged,
            Spend::NONE,
            5
        ),
        Err(SchedulerError::NotInPlan { .. })
    ));
    assert_eq!(scheduler.in_flight_count(), 1);
    // The right report is still accepted, once.
    let ok = AttemptOutcome::Generated {
        has_reasoning: true,
    };
    assert!(matches!(
        scheduler.stored(generation, 8),
        Err(SchedulerError::NotStoring { .. })
    ));
    assert_eq!(
        scheduler.finished(generation, ok.clone(), Spend::NONE, 10),
        Ok(Disposition::Storing)
    );
    assert!(matches!(
        scheduler.finished(generation, ok, Spend::NONE, 11),
        Err(SchedulerError::NotInFlight { .. })
    ));
    // Being stored: out of the lane, not sent again, its judges wait for the record.
    assert_eq!(scheduler.in_flight_count(), 0);
    assert_eq!(scheduler.storing_count(), 1);
    assert_eq!(scheduler.poll(10), Poll::Wait { wake_at_ms: None });
    assert!(matches!(
        scheduler.store_failed(judge, "no".into(), 10),
        Err(SchedulerError::NotStoring { .. })
    ));
    assert_eq!(scheduler.stored(generation, 10), Ok(Disposition::Done));
    let error = scheduler.stored(generation, 10).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("no record of it was being stored"),
        "{error}"
    );
    assert_eq!(scheduler.storing_count(), 0);
    // A clock that steps back is read as the latest time seen.
    let Poll::Start(judges) = scheduler.poll(3) else {
        panic!()
    };
    assert!(judges
        .iter()
        .all(|dispatch| dispatch.deadline_ms == 10 + 600_000));
}

#[test]
fn bad_configurations_are_refused_with_a_reason() {
    let plan = plan(1, 1, true);
    let mut config = SchedulerConfig::single_lane(0, None, 1_000);
    let error = Scheduler::new(plan.clone(), config.clone()).unwrap_err();
    assert!(error.to_string().contains("concurrency 0"), "{error}");
    config = SchedulerConfig::single_lane(2, Some(0), 1_000);
    assert!(Scheduler::new(plan.clone(), config).is_err());
    // A second judge's stages without a lane.
    let mut config = two_lane_config();
    config.lanes[1]
        .stages
        .retain(|stage| !stage.is_second_judge());
    let error = Scheduler::new(plan.clone(), config).unwrap_err();
    assert!(error.to_string().contains("judge answer (2nd)"), "{error}");
    let mut config = two_lane_config();
    config.lanes[1].stages.push(Stage::Generate);
    assert!(Scheduler::new(plan.clone(), config)
        .unwrap_err()
        .to_string()
        .contains("two lanes"));
    let config = SchedulerConfig {
        max_attempts: 0,
        ..SchedulerConfig::default()
    };
    assert!(Scheduler::new(plan, config).is_err());
}

#[test]
fn the_progress_snapshot_adds_up_mid_run_and_serializes() {
    let config = two_lane_config();
    let mut engine = Engine::new(plan(30, 3, false), config, 21, random_faults());
    engine.run_until(|engine| engine.now >= 30_000);
    let progress = engine.scheduler.progress(engine.now);
    for stage in &progress.stages {
        let c = stage.counts;
        assert_eq!(
            c.done
                + c.in_flight
                + c.queued
                + c.retrying
                + c.held
                + c.failed
                + c.skipped_no_trace
                + c.skipped_generation_failed,
            c.total,
            "{:?}",
            stage.stage
        );
        assert_eq!(c.total, 90);
    }
    assert_eq!(progress.totals.in_flight, engine.flights.len() as u64);
    assert!(progress.calls_per_minute.unwrap() > 0.0);
    assert!(progress.eta_ms.unwrap() > 0);
    assert_eq!(progress.lanes.len(), 2);
    assert_eq!(progress.lanes[0].stages, [Stage::Generate]);
    let json = serde_json::to_value(&progress).unwrap();
    assert_eq!(json["stages"][1]["stage"], "judge-answer");
    assert_eq!(json["status"]["state"], "running");
    assert!(json["totals"]["done"].as_u64().unwrap() > 0);
}
