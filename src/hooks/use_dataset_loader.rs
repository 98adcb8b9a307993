use super::use_app_dispatcher;
use crate::services::digest::Sha256Digest;
use crate::services::idle::idle;
use crate::services::user_timing::{self, Span};
use crate::services::{fetch, file};
use crate::state::dataset::{
    candidate_of, parse_dataset, read_candidate, warm_up_round, DatasetAction, DatasetOrigin,
    LoadError, LoadTicket, SAMPLE_CSV,
};
use crate::state::{Action, AppDispatcher};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// Tickets are unique across every loader of the page, so two components that load datasets
/// cannot mistake each other's results for their own.
static NEXT_TICKET: AtomicU64 = AtomicU64::new(1);

fn next_ticket() -> LoadTicket {
    LoadTicket(NEXT_TICKET.fetch_add(1, Ordering::Relaxed))
}

/// Set by the first load the user starts: the warm-up has no use after it (that load tiers the
/// reader up itself) and must not compete with it.
static LOAD_STARTED: AtomicBool = AtomicBool::new(false);

/// How many times [`warm_up_in_idle_time`] reads the sample at most: 100 rounds read 1.4 MB,
/// near the official file's 1.6 MB. Measured (one round per idle period, first load 1.5 s after
/// the first render, 2 shared CPUs, load 3-7): 0 rounds 28-43 ms, 50 rounds 18-25 ms, 100 rounds
/// 16-24 ms, 200 and 400 rounds no better.
pub const WARM_UP_ROUNDS: usize = 100;

/// Idle time a warm-up round is started in at least (a round takes about 1 ms in baseline code).
const WARM_UP_ROUND_MILLIS: f64 = 3.0;

/// Stops the warm-up of [`warm_up_in_idle_time`] (the app shell hands over to the full app).
pub fn stop_warm_up() {
    LOAD_STARTED.store(true, Ordering::Relaxed);
}

/// Reads and indexes the built-in sample [`WARM_UP_ROUNDS`] times in the browser's idle periods,
/// so that the first dataset the user loads runs in optimised code.
///
/// Why: V8 runs a WebAssembly function first in baseline code (Liftoff), compiles it with its
/// optimising compiler (TurboFan) in the background only once the function has used its tiering
/// budget, and switches only on the next call (no on-stack replacement). Reading the 2,000-item
/// dataset is one long call, so a first load ran to its end in baseline code: 45-72 ms instead of
/// 11-15 ms (BENCHMARKS.md, "The web app in the browser"). A round reads 30 items (under 1 ms in
/// baseline code, a fraction of that once optimised); rounds run only in the browser's idle
/// periods, while there is time left in them, so that they never delay a frame or an event, and
/// stop as soon as the user starts a load of their own.
/// The User Timing mark [`user_timing::DATASET_WARM_UP`] records the end of the last round.
pub fn warm_up_in_idle_time() {
    spawn_local(async {
        let mut rounds = 0;
        while rounds < WARM_UP_ROUNDS {
            let period = idle().await;
            if LOAD_STARTED.load(Ordering::Relaxed) {
                return;
            }
            // As many rounds as the idle period has room for, at least one. (A callback asked
            // for during an idle period only runs in the next one, up to 50 ms later: one round
            // per period would take seconds.)
            loop {
                warm_up_round();
                rounds += 1;
                if rounds == WARM_UP_ROUNDS || !period.has_left(WARM_UP_ROUND_MILLIS) {
                    break;
                }
            }
        }
        user_timing::mark(user_timing::DATASET_WARM_UP);
    });
}

/// Loads datasets: starts the download or file read, then dispatches its outcome.
#[derive(Clone, PartialEq)]
pub struct DatasetLoader {
    dispatcher: AppDispatcher,
}

impl DatasetLoader {
    /// Downloads `url` and loads it if it reads cleanly.
    pub fn load_url(&self, url: String) {
        let url = url.trim().to_string();
        let origin = DatasetOrigin::Url { url: url.clone() };
        let ticket = self.start(&origin);
        let dispatcher = self.dispatcher.clone();
        spawn_local(async move {
            match fetch::fetch_bytes(&url).await {
                Ok(bytes) => deliver(&dispatcher, ticket, origin, &bytes).await,
                Err(error) => fail(&dispatcher, ticket, origin, LoadError::Fetch(error)),
            }
        });
    }

    /// Reads a picked or dropped file and loads it if it reads cleanly.
    pub fn load_file(&self, selected: web_sys::File) {
        let origin = DatasetOrigin::File {
            name: selected.name(),
        };
        let ticket = self.start(&origin);
        let dispatcher = self.dispatcher.clone();
        spawn_local(async move {
            match file::read_file(&selected).await {
                Ok(bytes) => deliver(&dispatcher, ticket, origin, &bytes).await,
                Err(error) => fail(&dispatcher, ticket, origin, LoadError::File(error)),
            }
        });
    }

    /// Loads the built-in sample again (synchronously: it is a few kilobytes, and hashing them
    /// here is quicker than a round trip to WebCrypto).
    pub fn load_sample(&self) {
        let origin = DatasetOrigin::Sample;
        let ticket = self.start(&origin);
        let span = Span::start(user_timing::DATASET_READ);
        let candidate = read_candidate(&origin, SAMPLE_CSV.as_bytes());
        let read_millis = span.finish();
        self.dispatcher
            .dispatch(Action::Dataset(DatasetAction::Read {
                ticket,
                origin,
                candidate,
                read_millis,
            }));
    }

    fn start(&self, origin: &DatasetOrigin) -> LoadTicket {
        LOAD_STARTED.store(true, Ordering::Relaxed);
        let ticket = next_ticket();
        self.dispatcher
            .dispatch(Action::Dataset(DatasetAction::Started {
                ticket,
                origin: origin.clone(),
            }));
        ticket
    }
}

/// Reads and indexes the bytes, then hands them to the reducer. Timed as a whole (the page shows
/// it) and step by step, as User Timing measures (see `services::user_timing`).
///
/// The checksum is started first, in the browser's WebCrypto, which copies the bytes and hashes
/// them on its own thread while the core reader parses here; it is awaited only once parsing is
/// done, and has usually finished by then. The dataset reaches the reducer with its checksum,
/// as from [`read_candidate`], so nothing downstream sees a dataset without one.
async fn deliver(
    dispatcher: &AppDispatcher,
    ticket: LoadTicket,
    origin: DatasetOrigin,
    bytes: &[u8],
) {
    let whole = Span::start(user_timing::DATASET_READ);
    let digest = Sha256Digest::start(bytes);
    let span = Span::start(user_timing::DATASET_PARSE);
    let read = parse_dataset(&origin, bytes);
    let _ = span.finish();
    let span = Span::start(user_timing::DATASET_CHECKSUM_WAIT);
    let sha256 = digest.hex(bytes).await;
    let _ = span.finish();
    let span = Span::start(user_timing::DATASET_INDEX);
    let candidate = candidate_of(&origin, read, sha256, Rc::from(bytes));
    let _ = span.finish();
    let read_millis = whole.finish();
    dispatcher.dispatch(Action::Dataset(DatasetAction::Read {
        ticket,
        origin,
        candidate,
        read_millis,
    }));
}

fn fail(dispatcher: &AppDispatcher, ticket: LoadTicket, origin: DatasetOrigin, error: LoadError) {
    dispatcher.dispatch(Action::Dataset(DatasetAction::Failed {
        ticket,
        origin,
        error,
    }));
}

/// A [`DatasetLoader`] for the calling component.
///
/// # Example
/// ```ignore
/// let loader = use_dataset_loader();
/// let onclick = Callback::from(move |_| loader.load_url(OFFICIAL_DATASET_URL.to_string()));
/// ```
#[hook]
pub fn use_dataset_loader() -> DatasetLoader {
    DatasetLoader {
        dispatcher: use_app_dispatcher(),
    }
}
