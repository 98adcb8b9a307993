//! The Run page's state: the configuration form, the stored runs and what the engine reports
//! about them.
//!
//! - [`RunState`]: the [`RunForm`](form::RunForm), the [`RunEntry`]s (a stored
//!   [`RunRecord`](record::RunRecord) plus the engine's live [`ProgressSnapshot`] and
//!   [`LiveMetrics`](live::LiveMetrics)), which run is open, and the status of the storage, of
//!   the official-prompt download and of a batch import. [`RunAction`]s change it.
//! - [`form`], [`endpoint`], [`check`], [`settings`]: the form as typed, checked and raised to
//!   [`RunSettings`](settings::RunSettings).
//! - [`record`]: what is stored in IndexedDB; [`assemble`]: stored records back to a run file;
//!   [`ledger`] and [`live`]: the compact per-sample judgements behind the live metrics.
//!
//! Everything here is pure: the engine (`crate::engine`) and the services do the fetching,
//! storing and timing, and report through these actions.

pub mod assemble;
pub mod check;
pub mod endpoint;
pub mod form;
pub mod ledger;
pub mod live;
pub mod record;
pub mod settings;

#[cfg(test)]
mod tests;

use bsa_core::diagnostic::Problem;
use bsa_core::run::ProgressSnapshot;
use bsa_core::sort;
use endpoint::KeySlot;
use form::{FormEdit, RunForm};
use live::LiveMetrics;
use record::RunRecord;
use std::rc::Rc;

/// How the engine stands towards a stored run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum EngineAttachment {
    /// No engine: the run is finished, cancelled, stopped or paused after a reload.
    #[default]
    Detached,
    /// An engine drives the run in this page.
    Active,
    /// The page closed mid-run and these keys are needed to go on ("interrupted").
    NeedsKeys(Vec<KeySlot>),
}

/// A stored run and what this page knows about it live.
#[derive(Clone, Debug)]
pub struct RunEntry {
    pub record: Rc<RunRecord>,
    pub engine: EngineAttachment,
    pub progress: Option<Rc<ProgressSnapshot>>,
    pub metrics: Option<Rc<LiveMetrics>>,
    /// The text of the answer being streamed, while the run streams its generations.
    pub live_text: Option<Rc<LiveText>>,
}

/// An answer as it streams in: one call's text, followed until that call ends (the engine
/// then follows the next call that streams). Shown as text, never as HTML.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LiveText {
    /// The call's name (`<item id>/<sample>/generate`).
    pub call: String,
    /// The answer so far: its last [`LiveText::KEEP`] characters.
    pub answer: String,
    /// Characters of reasoning received so far (the trace itself is shown only once judged).
    pub reasoning_chars: usize,
    /// Characters of answer received so far (more than `answer` holds once it is cut).
    pub answer_chars: usize,
    /// The call is still streaming.
    pub streaming: bool,
}

impl LiveText {
    /// How much of the answer the page keeps and shows.
    pub const KEEP: usize = 4_000;

    /// Appends streamed answer text, keeping the last [`LiveText::KEEP`] characters.
    pub fn push_answer(&mut self, text: &str) {
        self.answer.push_str(text);
        self.answer_chars += text.chars().count();
        let chars = self.answer.chars().count();
        if chars > Self::KEEP {
            let cut = self
                .answer
                .char_indices()
                .nth(chars - Self::KEEP)
                .map_or(0, |(at, _)| at);
            self.answer.drain(..cut);
        }
    }
}

impl PartialEq for RunEntry {
    /// By identity of the shared parts: every update brings new `Rc`s, so this is exact enough
    /// for re-rendering and cheap.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.record, &other.record)
            && self.engine == other.engine
            && opt_ptr_eq(&self.progress, &other.progress)
            && opt_ptr_eq(&self.metrics, &other.metrics)
            && opt_ptr_eq(&self.live_text, &other.live_text)
    }
}

fn opt_ptr_eq<T>(a: &Option<Rc<T>>, b: &Option<Rc<T>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => Rc::ptr_eq(a, b),
        (None, None) => true,
        _ => false,
    }
}

impl RunEntry {
    pub fn id(&self) -> &str {
        self.record.id()
    }
}

/// Whether IndexedDB could be opened and read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum StoreStatus {
    #[default]
    Loading,
    Ready,
    /// Runs cannot be kept (private window, storage disabled): the message says so.
    Unavailable(String),
}

/// The download of the authors' prompt files.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum PromptFetch {
    #[default]
    Idle,
    Loading,
    Loaded,
    Failed(String),
}

/// The import of batch-runner files.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum ImportStatus {
    #[default]
    Idle,
    Reading,
    /// The files had problems (nothing was imported); `Rc` so views share the list.
    Problems(Rc<Vec<Problem>>),
    Failed(String),
    /// Imported as this run.
    Imported {
        run_id: String,
        samples: usize,
    },
}

/// A message about the last thing the user asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunNotice {
    pub error: bool,
    pub text: String,
}

/// The Run page's part of the app state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunState {
    pub form: RunForm,
    /// The remembered configuration has been read (once per page load).
    pub form_restored: bool,
    pub store: StoreStatus,
    /// Newest first.
    pub runs: Vec<RunEntry>,
    /// The run whose details are shown.
    pub open: Option<String>,
    pub prompts: PromptFetch,
    pub import: ImportStatus,
    pub notice: Option<RunNotice>,
}

/// Changes to [`RunState`].
#[derive(Clone, Debug)]
pub enum RunAction {
    Form(FormEdit),
    /// The remembered configuration (or `None`: nothing remembered) was read at start.
    FormRestored(Option<Box<RunForm>>),
    /// The stored runs were listed.
    Listed(Vec<RunRecord>),
    StoreUnavailable(String),
    /// A run was created or its record changed.
    Saved(Rc<RunRecord>),
    Deleted(String),
    Engine {
        run_id: String,
        engine: EngineAttachment,
    },
    Progress {
        run_id: String,
        progress: Rc<ProgressSnapshot>,
    },
    Metrics {
        run_id: String,
        metrics: Rc<LiveMetrics>,
    },
    LiveText {
        run_id: String,
        live: Rc<LiveText>,
    },
    Open(Option<String>),
    Prompts(PromptFetch),
    Import(ImportStatus),
    Notice(Option<RunNotice>),
}

impl RunState {
    pub fn entry(&self, run_id: &str) -> Option<&RunEntry> {
        self.runs.iter().find(|entry| entry.id() == run_id)
    }

    fn entry_mut(&mut self, run_id: &str) -> Option<&mut RunEntry> {
        self.runs.iter_mut().find(|entry| entry.id() == run_id)
    }

    fn sort(&mut self) {
        sort::sort_by(&mut self.runs, |a, b| {
            b.record
                .header
                .created
                .cmp(&a.record.header.created)
                .then_with(|| b.id().cmp(a.id()))
        });
    }

    pub fn apply(&mut self, action: RunAction) {
        match action {
            RunAction::Form(edit) => self.form.apply(edit),
            RunAction::FormRestored(form) => {
                if !self.form_restored {
                    if let Some(form) = form {
                        self.form.apply(FormEdit::Replace(form));
                    }
                    self.form_restored = true;
                }
            }
            RunAction::Listed(records) => {
                self.store = StoreStatus::Ready;
                for record in records {
                    // Runs the engine already reported keep their live parts.
                    if self.entry(record.id()).is_none() {
                        self.runs.push(RunEntry {
                            record: Rc::new(record),
                            engine: EngineAttachment::Detached,
                            progress: None,
                            metrics: None,
                            live_text: None,
                        });
                    }
                }
                self.sort();
            }
            RunAction::StoreUnavailable(message) => self.store = StoreStatus::Unavailable(message),
            RunAction::Saved(record) => match self.entry_mut(record.id()) {
                Some(entry) => entry.record = record,
                None => {
                    self.runs.push(RunEntry {
                        record,
                        engine: EngineAttachment::Detached,
                        progress: None,
                        metrics: None,
                        live_text: None,
                    });
                    self.sort();
                }
            },
            RunAction::Deleted(run_id) => {
                self.runs.retain(|entry| entry.id() != run_id);
                if self.open.as_deref() == Some(run_id.as_str()) {
                    self.open = None;
                }
            }
            RunAction::Engine { run_id, engine } => {
                if let Some(entry) = self.entry_mut(&run_id) {
                    entry.engine = engine;
                }
            }
            RunAction::Progress { run_id, progress } => {
                if let Some(entry) = self.entry_mut(&run_id) {
                    entry.progress = Some(progress);
                }
            }
            RunAction::Metrics { run_id, metrics } => {
                if let Some(entry) = self.entry_mut(&run_id) {
                    entry.metrics = Some(metrics);
                }
            }
            RunAction::LiveText { run_id, live } => {
                if let Some(entry) = self.entry_mut(&run_id) {
                    entry.live_text = Some(live);
                }
            }
            RunAction::Open(run_id) => self.open = run_id,
            RunAction::Prompts(status) => self.prompts = status,
            RunAction::Import(status) => self.import = status,
            RunAction::Notice(notice) => self.notice = notice,
        }
    }
}
