//! The app's milestones and step durations as User Timing entries (`performance.mark`,
//! `performance.measure`), so that the browser's performance panel shows them on its timeline
//! and `scripts/bench/browser.mjs` reads them with `performance.getEntriesByName`.
//!
//! - [`mark`]: a named instant, e.g. [`READY`] at the first render.
//! - [`Span`]: a named interval; [`Span::finish`] records it as a measure and returns its length
//!   in milliseconds (what the pages show as "read in N ms").
//!
//! The entry names are the constants below, the one list the app and the benchmark share. Every
//! call is a no-op outside a browser (native tests) and never fails: timing must not be able to
//! break a load.

/// Marked once, when the app has rendered for the first time (the sample dataset is in state).
pub const READY: &str = "bsa-ready";
/// Dataset bytes in memory to an indexed dataset with its checksum, ready for the reducer.
pub const DATASET_READ: &str = "bsa-dataset-read";
/// The core reader's part of [`DATASET_READ`]: decoding, CSV/JSONL, checks, items.
pub const DATASET_PARSE: &str = "bsa-dataset-parse";
/// The statistics and search index of a read dataset.
pub const DATASET_INDEX: &str = "bsa-dataset-index";
/// Waiting for the checksum after parsing and indexing (zero when the digest finished first).
pub const DATASET_CHECKSUM_WAIT: &str = "bsa-dataset-checksum-wait";
/// Marked when the dataset reader's warm-up in idle time has finished all its rounds (see
/// `hooks::use_dataset_loader::warm_up_in_idle_time`); never marked when a load came first.
pub const DATASET_WARM_UP: &str = "bsa-dataset-warm-up";
/// A picked or dropped file's bytes handed from the browser to WebAssembly memory.
pub const FILE_BYTES: &str = "bsa-file-bytes";
/// Result-file bytes to samples (judged CSV or run file), ready to import.
pub const RESULTS_READ: &str = "bsa-results-read";

fn performance() -> Option<web_sys::Performance> {
    web_sys::window()?.performance()
}

/// Records the instant `name` (e.g. [`READY`]).
pub fn mark(name: &str) {
    if let Some(performance) = performance() {
        // A mark can only fail for a name the spec reserves (navigation timing's): not ours.
        let _ = performance.mark(name);
    }
}

/// A named interval being timed; recorded as a measure when finished.
#[must_use = "a span records nothing until finished"]
pub struct Span {
    name: &'static str,
    /// `performance.now()` at the start; `None` outside a browser.
    started: Option<f64>,
}

impl Span {
    /// Starts timing `name`.
    pub fn start(name: &'static str) -> Span {
        let started = performance().map(|performance| {
            // The start mark is named after the measure, and cleared once the measure has it.
            let _ = performance.mark(&start_mark(name));
            performance.now()
        });
        Span { name, started }
    }

    /// Ends the interval: records the measure `name` from the start to now and returns its
    /// length in milliseconds (`None` outside a browser).
    pub fn finish(self) -> Option<f64> {
        let performance = performance()?;
        let elapsed = self.started.map(|started| performance.now() - started);
        let start = start_mark(self.name);
        let _ = performance.measure_with_start_mark(self.name, &start);
        performance.clear_marks_with_mark_name(&start);
        elapsed
    }
}

fn start_mark(name: &str) -> String {
    format!("{name}:start")
}
