//! The run engine: everything that happens while a run goes, in the browser.
//!
//! - [`driver::RunEngine`]: one run driven in this page: polls the core's `Scheduler`, sends the
//!   calls it dispatches ([`call`]), classifies their answers ([`classify`]), reports each
//!   answer to the scheduler at once and stores the finished call in IndexedDB, the scheduler
//!   counting it as finished (and freeing its place) only once it is committed; and sends throttled progress and live metrics to the page as
//!   [`RunAction`](crate::state::run::RunAction)s.
//! - [`start`]: making engines: a new run from checked settings, a stored run restored after a
//!   reload (and resumed when its keys are at hand), the metrics of a stored run for viewing.
//! - [`import`]: the authors' batch-runner files as a run with only the judge stages left.
//! - [`export`]: a stored run as the JSON run file or the judged CSV, downloaded; or handed to
//!   the Results page.
//! - [`follow_up`]: the extra turns of a judge re-ask; [`clock`]: times and run ids.
//! - [`EngineKeys`]: the keys an engine calls with, in memory only.
//!
//! The engines of the page live in a registry keyed by run id, so a run goes on while the user
//! looks at other pages; the page reaches them through the verbs here ([`pause`], [`resume`],
//! [`cancel`], [`retry_failed`]).
//!
//! Architecture invariants: the reducer never awaits and never calls in here; this module never
//! writes a key anywhere but into request headers (run records, call records, exports and
//! messages have no place for one, and provider messages are scrubbed by the core).

pub mod call;
pub mod classify;
pub mod clock;
pub mod driver;
pub mod export;
pub mod follow_up;
pub mod import;
pub mod start;

use crate::state::run::endpoint::EndpointRole;
use bsa_core::provider::ApiKey;
use driver::RunEngine;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

/// The keys an engine calls with, by role; `Debug` shows only which roles have one.
#[derive(Clone, Default, PartialEq)]
pub struct EngineKeys {
    keys: BTreeMap<EndpointRole, ApiKey>,
}

impl std::fmt::Debug for EngineKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.keys.keys()).finish()
    }
}

impl EngineKeys {
    pub fn get(&self, role: EndpointRole) -> Option<&ApiKey> {
        self.keys.get(&role)
    }

    /// Sets (or, with `None` or a blank key, leaves unset) the key of `role`.
    pub fn set(&mut self, role: EndpointRole, key: Option<ApiKey>) {
        if let Some(key) = key.filter(|key| !key.is_empty()) {
            self.keys.insert(role, key);
        }
    }

    /// Takes every key `newer` has, keeping the others.
    pub fn update(&mut self, newer: EngineKeys) {
        self.keys.extend(newer.keys);
    }
}

thread_local! {
    static ENGINES: RefCell<HashMap<String, Rc<RunEngine>>> = RefCell::new(HashMap::new());
}

fn register(engine: Rc<RunEngine>) {
    ENGINES.with(|engines| {
        engines
            .borrow_mut()
            .insert(engine.run_id().to_string(), engine)
    });
}

fn unregister(run_id: &str) {
    ENGINES.with(|engines| engines.borrow_mut().remove(run_id));
}

/// The engine driving `run_id`, if one does.
pub fn engine(run_id: &str) -> Option<Rc<RunEngine>> {
    ENGINES.with(|engines| engines.borrow().get(run_id).cloned())
}

/// Pauses a run driven here (calls in flight finish; they are paid for already).
pub fn pause(run_id: &str) {
    if let Some(engine) = engine(run_id) {
        engine.pause();
    }
}

/// Resumes a run driven here with these keys; `false` when no engine drives it (restore it
/// first with [`start::resume_stored`]).
pub fn resume(run_id: &str, keys: EngineKeys) -> bool {
    match engine(run_id) {
        Some(engine) => {
            engine.resume(keys);
            true
        }
        None => false,
    }
}

/// Cancels a run driven here, aborting its calls in flight.
pub fn cancel(run_id: &str) {
    if let Some(engine) = engine(run_id) {
        engine.cancel();
    }
}

/// Sends a run's failed calls again; returns how many were queued.
pub fn retry_failed(run_id: &str) -> usize {
    engine(run_id).map_or(0, |engine| engine.retry_failed())
}

/// Stops the engine of a run about to be deleted (no more records are written).
pub fn close(run_id: &str) {
    if let Some(engine) = engine(run_id) {
        engine.close();
    }
}
