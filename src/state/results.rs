//! The Results and Compare pages' state: loaded result files, scoring options, the memoised
//! scores, the item browser's filter and the comparisons.
//!
//! - [`source`]: reading a judged CSV or a run file ([`source::read_results`]) and the loaded
//!   files ([`source::ResultSource`], each with its [`source::ModelEntry`]s).
//! - [`combine`]: every loaded model in one sample set ([`combine::CombinedResults`]).
//! - [`scoring`]: [`scoring::ScoringOptions`], the [`scoring::ScoreRequest`] a hook scores, and
//!   the [`scoring::ScoredResults`] it sends back (point estimates first, intervals after).
//! - [`browser`]: the item browser's [`browser::ResultFilter`] and per-model sample index.
//! - [`compare`]: the Compare page's choices and memo of paired comparisons.
//! - [`ResultsState`] with [`ResultsAction`]: all of the above in app state.
//!
//! Rules the reducer keeps:
//!
//! - A file with problems is never imported silently: its problems are listed, and "import the
//!   valid rows anyway" is offered only when every problem names its row.
//! - A model name already loaded is never overwritten silently: the import waits for the user to
//!   replace the loaded model, keep both (the new one renamed), or cancel.
//! - Every change of the loaded files or of the scoring options bumps `revision`; scores,
//!   intervals and comparisons computed for an older revision are dropped when they arrive.
//! - Scoring itself runs outside the reducer (in `hooks::use_results_scoring`, which times it):
//!   `apply` stays fast enough to run on every keystroke.

pub mod browser;
pub mod combine;
pub mod compare;
pub mod scoring;
pub mod source;

use crate::services::file::FileError;
use crate::state::dataset::LoadedDataset;
use crate::state::leaderboard::LeaderboardRow;
use browser::{FilterField, ResultFilter, VerdictFilter};
use bsa_core::diagnostic::{Location, Problem, ProblemKind};
use bsa_core::leaderboard::Scores;
use bsa_core::metrics::{round_2, HeadlineIntervals, Mode, ModelScore, PairedComparison};
use bsa_core::Scenario;
use combine::{combine, CombinedResults};
use compare::{CompareState, ComparisonMemo, DisagreementSide};
use scoring::{IntervalProgress, ScoreRequest, ScoredResults, ScoringOptions};
use source::{InvalidResults, ReadResults, ResultSource, ResultsCandidate, Salvage, SourceId};
use std::collections::HashMap;
use std::fmt;
use std::ops::Deref;
use std::rc::Rc;

/// An `Rc` compared by identity: state holds large values (sample sets, scorecards) that are
/// replaced, never edited in place, so "the same allocation" is the cheap and exact test of
/// "unchanged" that `reduce` and memoised views need.
pub struct Shared<T>(Rc<T>);

impl<T> Shared<T> {
    pub fn new(value: T) -> Shared<T> {
        Shared(Rc::new(value))
    }

    pub fn from_rc(rc: Rc<T>) -> Shared<T> {
        Shared(rc)
    }

    pub fn rc(&self) -> &Rc<T> {
        &self.0
    }
}

impl<T: Clone> Shared<T> {
    /// A mutable reference, copying the value first if it is shared (and so becoming a new
    /// identity, as an edit must).
    pub fn make_mut(&mut self) -> &mut T {
        Rc::make_mut(&mut self.0)
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T: fmt::Debug> fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Identifies one import, so a file read that finishes after a newer one started is dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ImportTicket(pub u64);

/// Why an import failed; what is loaded stays.
#[derive(Clone, Debug, PartialEq)]
pub enum ImportError {
    File(FileError),
    /// The file holds problems, or contradicts the loaded results.
    Invalid(Shared<InvalidResults>),
}

/// The latest import and what became of it.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum ImportStatus {
    #[default]
    Idle,
    Reading {
        ticket: ImportTicket,
        file_name: String,
    },
    /// Read, but models of these names are already loaded: waiting for the user's choice.
    Conflict {
        read: Shared<ReadResults>,
        duplicates: Vec<String>,
        skipped_rows: usize,
        read_millis: Option<f64>,
        /// What to show once imported (see [`ResultsAction::Import`]).
        show: Option<ResultFilter>,
    },
    Imported {
        file_name: String,
        /// The names the new models are shown under.
        models: Vec<String>,
        samples: usize,
        skipped_rows: usize,
        read_millis: Option<f64>,
        /// Loaded models the import replaced.
        replaced: Vec<String>,
    },
    Failed {
        file_name: String,
        error: ImportError,
    },
}

/// What to do with a model name that is already loaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConflictChoice {
    /// Drop the loaded models of those names; the new file's take their place.
    Replace,
    /// Keep both: the new file's models get the first free name `name (2)`, `name (3)`, ...
    KeepBoth,
    /// Do not import the file.
    Cancel,
}

/// Changes on the Compare page.
#[derive(Clone, Debug, PartialEq)]
pub enum CompareAction {
    SetReference { name: String },
    ToggleOther { name: String },
    SetFocus { name: String },
    SetSide { side: DisagreementSide },
    SetPage { page: usize },
}

/// Changes to [`ResultsState`].
#[derive(Clone, Debug)]
pub enum ResultsAction {
    /// A file read started.
    Started {
        ticket: ImportTicket,
        file_name: String,
    },
    /// The file's bytes were read by [`source::read_results`].
    Read {
        ticket: ImportTicket,
        candidate: ResultsCandidate,
        read_millis: Option<f64>,
    },
    /// The file's bytes could not be obtained.
    Failed {
        ticket: ImportTicket,
        file_name: String,
        error: FileError,
    },
    /// Imports results read elsewhere (a run finished on the Run page). With `show`, the
    /// imported model is selected and the item browser filtered by `show` once it is in (after
    /// the user's choice, if its name is taken).
    Import {
        read: Shared<ReadResults>,
        read_millis: Option<f64>,
        show: Option<ResultFilter>,
    },
    /// Import the valid rows of the file that just failed.
    AcceptValidRows,
    ResolveConflict {
        choice: ConflictChoice,
    },
    /// Hide the message of the last import.
    Dismiss,
    RemoveModel {
        name: String,
    },
    RemoveSource {
        id: SourceId,
    },
    RemoveAll,
    SetK {
        text: String,
    },
    SetAlpha {
        text: String,
    },
    SetMode {
        mode: Mode,
    },
    SetBootstrap {
        enabled: bool,
    },
    /// Point estimates for the revision inside.
    Scored {
        scored: Shared<ScoredResults>,
    },
    ScoreFailed {
        revision: u64,
        message: String,
    },
    /// Bootstrap intervals of some models (a batch: each dispatch redraws the scores).
    IntervalsComputed {
        revision: u64,
        intervals: Vec<(String, HeadlineIntervals)>,
    },
    IntervalsFinished {
        revision: u64,
        millis: Option<f64>,
    },
    /// The model the dashboard and the item browser show.
    SelectModel {
        name: String,
    },
    SetFilter {
        filter: ResultFilter,
    },
    /// Removes one field of the filter (a chip's remove button).
    ClearFilter {
        field: FilterField,
    },
    SetPage {
        page: usize,
    },
    /// A chart's category was clicked: filter by it (and show `model`, if the mark was one).
    PickCategory {
        model: Option<String>,
        category: String,
    },
    /// A secondary category was picked (the category table): filter the item browser by it.
    PickSecondaryCategory {
        category: String,
    },
    /// A grid cell was clicked: filter by the verdict combination (and scenario).
    PickCell {
        scenario: Option<Scenario>,
        verdict: VerdictFilter,
    },
    /// Show one item in the browser (from the Compare page), for `model` if given.
    ShowItem {
        model: Option<String>,
        item: String,
    },
    Compare(CompareAction),
    Compared {
        revision: u64,
        comparison: Rc<PairedComparison>,
    },
}

/// The results part of app state.
#[derive(Clone, Debug, PartialEq)]
pub struct ResultsState {
    /// Loaded files, in import order.
    pub sources: Vec<Shared<ResultSource>>,
    /// Every loaded model in one sample set.
    pub combined: Shared<CombinedResults>,
    pub status: ImportStatus,
    pub options: ScoringOptions,
    /// Bumped on every change of `sources` or of the options used for scoring.
    pub revision: u64,
    /// The latest scores (possibly of an older revision while new ones are computed).
    pub scored: Option<Shared<ScoredResults>>,
    /// Why scoring the current revision failed.
    pub score_error: Option<(u64, String)>,
    /// The model the dashboard shows.
    pub selected: Option<String>,
    pub filter: ResultFilter,
    pub page: usize,
    pub compare: CompareState,
    pub comparisons: ComparisonMemo,
    next_source: u64,
}

impl Default for ResultsState {
    fn default() -> Self {
        ResultsState {
            sources: Vec::new(),
            combined: Shared::new(CombinedResults::default()),
            status: ImportStatus::Idle,
            options: ScoringOptions::default(),
            revision: 0,
            scored: None,
            score_error: None,
            selected: None,
            filter: ResultFilter::default(),
            page: 0,
            compare: CompareState::default(),
            comparisons: ComparisonMemo::default(),
            next_source: 1,
        }
    }
}

impl ResultsState {
    /// Names of the loaded models, in order.
    pub fn model_names(&self) -> Vec<String> {
        self.combined.model_names()
    }

    pub fn has_results(&self) -> bool {
        !self.combined.is_empty()
    }

    /// The model the dashboard shows: the chosen one if still loaded, else the first.
    pub fn selected_model(&self) -> Option<String> {
        let names = self.model_names();
        self.selected
            .as_ref()
            .filter(|name| names.contains(name))
            .cloned()
            .or_else(|| names.into_iter().next())
    }

    /// Scores of the current revision, if computed.
    pub fn current_scores(&self) -> Option<&ScoredResults> {
        self.scored
            .as_deref()
            .filter(|scored| scored.revision == self.revision)
    }

    /// The latest scores, even of an older revision (shown dimmed while new ones are computed).
    pub fn latest_scores(&self) -> Option<&ScoredResults> {
        self.scored.as_deref()
    }

    /// What to score, if the scores are missing or out of date for this revision and `dataset`.
    pub fn score_request(&self, dataset: Option<&LoadedDataset>) -> Option<ScoreRequest> {
        if self.combined.is_empty() {
            return None;
        }
        if let Some(scored) = self.current_scores() {
            if scored.scored_with(dataset) {
                return None;
            }
        }
        if self
            .score_error
            .as_ref()
            .is_some_and(|(revision, _)| *revision == self.revision)
        {
            return None;
        }
        Some(ScoreRequest {
            revision: self.revision,
            samples: self.combined.samples.clone(),
            dataset: dataset.cloned(),
            options: self.options.clone(),
        })
    }

    /// The run file's record of one sample of `model`, when the model came from a run file.
    pub fn run_sample(
        &self,
        model: &str,
        item: &str,
        index: u32,
    ) -> Option<&bsa_core::results::run_file::RunSample> {
        let origin = self.combined.origin(model)?;
        let source = self
            .sources
            .iter()
            .find(|source| source.id == origin.source)?;
        source.run_sample(item, index)
    }

    /// The file a model came from.
    pub fn source_of(&self, model: &str) -> Option<&ResultSource> {
        let origin = self.combined.origin(model)?;
        self.sources
            .iter()
            .find(|source| source.id == origin.source)
            .map(|source| &**source)
    }

    /// The user's models as leaderboard rows (none until the current revision is scored).
    pub fn leaderboard_rows(&self) -> Vec<LeaderboardRow> {
        self.current_scores()
            .map(ScoredResults::leaderboard_rows)
            .unwrap_or_default()
    }

    fn awaits(&self, ticket: ImportTicket) -> bool {
        matches!(&self.status, ImportStatus::Reading { ticket: current, .. } if *current == ticket)
    }

    fn bump(&mut self) {
        self.revision += 1;
        self.score_error = None;
        self.comparisons.reset(self.revision);
        if let Some(scored) = &mut self.scored {
            // The old scores stay on screen, marked out of date, until new ones arrive; their
            // intervals will not be completed.
            if matches!(scored.intervals, IntervalProgress::Computing { .. }) {
                scored.make_mut().intervals = IntervalProgress::Done { millis: None };
            }
        }
    }

    pub fn apply(&mut self, action: ResultsAction) {
        match action {
            ResultsAction::Started { ticket, file_name } => {
                self.status = ImportStatus::Reading { ticket, file_name };
            }
            ResultsAction::Read {
                ticket,
                candidate,
                read_millis,
            } => {
                if !self.awaits(ticket) {
                    return;
                }
                match candidate {
                    ResultsCandidate::Valid(read) => self.offer(read, 0, read_millis, None),
                    ResultsCandidate::Invalid(invalid) => {
                        let file_name = self.reading_name();
                        self.status = ImportStatus::Failed {
                            file_name,
                            error: ImportError::Invalid(invalid),
                        };
                    }
                }
            }
            ResultsAction::Failed {
                ticket,
                file_name,
                error,
            } => {
                if self.awaits(ticket) {
                    self.status = ImportStatus::Failed {
                        file_name,
                        error: ImportError::File(error),
                    };
                }
            }
            ResultsAction::Import {
                read,
                read_millis,
                show,
            } => self.offer(read, 0, read_millis, show),
            ResultsAction::AcceptValidRows => {
                let ImportStatus::Failed {
                    error: ImportError::Invalid(invalid),
                    ..
                } = &self.status
                else {
                    return;
                };
                let Some(Salvage { read, skipped_rows }) = invalid.salvage.clone() else {
                    return;
                };
                self.offer(read, skipped_rows, None, None);
            }
            ResultsAction::ResolveConflict { choice } => {
                let ImportStatus::Conflict {
                    read,
                    duplicates,
                    skipped_rows,
                    read_millis,
                    show,
                } = self.status.clone()
                else {
                    return;
                };
                match choice {
                    ConflictChoice::Cancel => self.status = ImportStatus::Idle,
                    ConflictChoice::Replace => self.import(
                        read,
                        HashMap::new(),
                        duplicates,
                        skipped_rows,
                        read_millis,
                        show,
                    ),
                    ConflictChoice::KeepBoth => {
                        let taken = self.model_names();
                        let renames = duplicates
                            .iter()
                            .map(|name| (name.clone(), free_name(name, &taken)))
                            .collect();
                        self.import(read, renames, Vec::new(), skipped_rows, read_millis, show)
                    }
                }
            }
            ResultsAction::Dismiss => {
                if !matches!(
                    self.status,
                    ImportStatus::Reading { .. } | ImportStatus::Conflict { .. }
                ) {
                    self.status = ImportStatus::Idle;
                }
            }
            ResultsAction::RemoveModel { name } => {
                let sources: Vec<Shared<ResultSource>> = self
                    .sources
                    .iter()
                    .map(|source| {
                        if source.entry(&name).is_some() {
                            Shared::new(source.without(&name))
                        } else {
                            source.clone()
                        }
                    })
                    .filter(|source| !source.models.is_empty())
                    .collect();
                self.compare.forget(&name);
                self.replace_sources(sources);
            }
            ResultsAction::RemoveSource { id } => {
                let sources: Vec<Shared<ResultSource>> = self
                    .sources
                    .iter()
                    .filter(|source| source.id != id)
                    .cloned()
                    .collect();
                if sources.len() != self.sources.len() {
                    if let Some(removed) = self.sources.iter().find(|source| source.id == id) {
                        for entry in removed.models.clone() {
                            self.compare.forget(&entry.name);
                        }
                    }
                    self.replace_sources(sources);
                }
            }
            ResultsAction::RemoveAll => {
                if !self.sources.is_empty() {
                    self.compare = CompareState::default();
                    self.replace_sources(Vec::new());
                }
            }
            ResultsAction::SetK { text } => {
                if self.options.set_k(text) {
                    self.bump();
                }
            }
            ResultsAction::SetAlpha { text } => {
                if self.options.set_alpha(text) {
                    self.bump();
                }
            }
            ResultsAction::SetMode { mode } => {
                if self.options.mode != mode {
                    self.options.mode = mode;
                    self.bump();
                }
            }
            ResultsAction::SetBootstrap { enabled } => {
                if self.options.bootstrap != enabled {
                    self.options.bootstrap = enabled;
                    self.bump();
                }
            }
            ResultsAction::Scored { scored } => {
                if scored.revision == self.revision {
                    self.scored = Some(scored);
                    self.score_error = None;
                }
            }
            ResultsAction::ScoreFailed { revision, message } => {
                if revision == self.revision {
                    self.score_error = Some((revision, message));
                }
            }
            ResultsAction::IntervalsComputed {
                revision,
                intervals,
            } => {
                let Some(shared) = &mut self.scored else {
                    return;
                };
                if shared.revision != revision || intervals.is_empty() {
                    return;
                }
                let scored = shared.make_mut();
                for (model, intervals) in intervals {
                    if let Some(score) = scored
                        .card
                        .models
                        .iter_mut()
                        .find(|score| score.model == model)
                    {
                        score.intervals = Some(intervals);
                    }
                }
                if let IntervalProgress::Computing { total, .. } = scored.intervals {
                    let done = scored
                        .card
                        .models
                        .iter()
                        .filter(|score| score.intervals.is_some())
                        .count();
                    scored.intervals = IntervalProgress::Computing {
                        done: done.min(total),
                        total,
                    };
                }
            }
            ResultsAction::IntervalsFinished { revision, millis } => {
                if let Some(shared) = &mut self.scored {
                    if shared.revision == revision
                        && matches!(shared.intervals, IntervalProgress::Computing { .. })
                    {
                        shared.make_mut().intervals = IntervalProgress::Done { millis };
                    }
                }
            }
            ResultsAction::SelectModel { name } => {
                if self.selected.as_ref() != Some(&name) {
                    self.selected = Some(name);
                    self.page = 0;
                }
            }
            ResultsAction::SetFilter { filter } => {
                if filter != self.filter {
                    self.filter = filter;
                    self.page = 0;
                }
            }
            ResultsAction::ClearFilter { field } => {
                let filter = self.filter.without(field);
                if filter != self.filter {
                    self.filter = filter;
                    self.page = 0;
                }
            }
            ResultsAction::SetPage { page } => self.page = page,
            ResultsAction::PickCategory { model, category } => {
                if let Some(model) = model {
                    self.selected = Some(model);
                }
                self.filter.category = Some(category);
                self.filter.item = None;
                self.page = 0;
            }
            ResultsAction::PickSecondaryCategory { category } => {
                // A secondary category names its primary: another primary would match nothing.
                self.filter.category = None;
                self.filter.secondary = Some(category);
                self.filter.item = None;
                self.page = 0;
            }
            ResultsAction::PickCell { scenario, verdict } => {
                self.filter.scenario = scenario;
                self.filter.verdict = Some(verdict);
                self.filter.item = None;
                self.page = 0;
            }
            ResultsAction::ShowItem { model, item } => {
                if let Some(model) = model {
                    self.selected = Some(model);
                }
                self.filter = ResultFilter {
                    item: Some(item),
                    ..ResultFilter::default()
                };
                self.page = 0;
            }
            ResultsAction::Compare(action) => self.apply_compare(action),
            ResultsAction::Compared {
                revision,
                comparison,
            } => {
                self.comparisons.add(revision, comparison);
            }
        }
    }

    fn apply_compare(&mut self, action: CompareAction) {
        let models = self.model_names();
        let compare = &mut self.compare;
        match action {
            CompareAction::SetReference { name } => {
                if models.contains(&name) {
                    compare.reference = Some(name.clone());
                    if let Some(others) = &mut compare.others {
                        others.retain(|other| *other != name);
                    }
                    compare.page = 0;
                }
            }
            CompareAction::ToggleOther { name } => {
                if models.contains(&name) {
                    compare.toggle_other(&name, &models);
                }
            }
            CompareAction::SetFocus { name } => {
                if compare.focus.as_ref() != Some(&name) {
                    compare.focus = Some(name);
                    compare.page = 0;
                }
            }
            CompareAction::SetSide { side } => {
                if compare.side != side {
                    compare.side = side;
                    compare.page = 0;
                }
            }
            CompareAction::SetPage { page } => compare.page = page,
        }
    }

    /// The name of the file being read, for a failure message.
    fn reading_name(&self) -> String {
        match &self.status {
            ImportStatus::Reading { file_name, .. } => file_name.clone(),
            _ => String::new(),
        }
    }

    /// A read file, imported at once unless some of its model names are already loaded.
    fn offer(
        &mut self,
        read: Shared<ReadResults>,
        skipped_rows: usize,
        read_millis: Option<f64>,
        show: Option<ResultFilter>,
    ) {
        let loaded = self.model_names();
        let duplicates: Vec<String> = read
            .samples
            .models()
            .map(|(_, name)| name.to_string())
            .filter(|name| loaded.contains(name))
            .collect();
        if duplicates.is_empty() {
            self.import(
                read,
                HashMap::new(),
                Vec::new(),
                skipped_rows,
                read_millis,
                show,
            );
        } else {
            self.status = ImportStatus::Conflict {
                read,
                duplicates,
                skipped_rows,
                read_millis,
                show,
            };
        }
    }

    /// Adds `read` as a new source: its models renamed by `renames`, after dropping the loaded
    /// models named in `replace`. Refused (with the conflicts listed) when its items contradict
    /// the loaded ones.
    fn import(
        &mut self,
        read: Shared<ReadResults>,
        renames: HashMap<String, String>,
        replace: Vec<String>,
        skipped_rows: usize,
        read_millis: Option<f64>,
        show: Option<ResultFilter>,
    ) {
        let id = SourceId(self.next_source);
        let source = ResultSource::new(id, &read, &renames, skipped_rows);
        let new_models: Vec<String> = source
            .models
            .iter()
            .map(|entry| entry.name.clone())
            .collect();
        let mut sources: Vec<Shared<ResultSource>> = self
            .sources
            .iter()
            .map(|existing| {
                let mut kept = None;
                for name in &replace {
                    if existing.entry(name).is_some() {
                        let base = kept.as_ref().unwrap_or(&**existing);
                        kept = Some(base.without(name));
                    }
                }
                kept.map_or_else(|| existing.clone(), Shared::new)
            })
            .filter(|existing| !existing.models.is_empty())
            .collect();
        sources.push(Shared::new(source));
        match combine(&sources) {
            Ok(combined) => {
                self.next_source += 1;
                self.sources = sources;
                self.combined = Shared::new(combined);
                if self.selected_model().is_none() || self.sources.len() == 1 || show.is_some() {
                    self.selected = new_models.first().cloned();
                }
                self.status = ImportStatus::Imported {
                    file_name: read.file_name.clone(),
                    samples: read.samples.len(),
                    models: new_models,
                    skipped_rows,
                    read_millis,
                    replaced: replace,
                };
                self.filter = show.unwrap_or_default();
                self.page = 0;
                self.bump();
            }
            Err(errors) => {
                let problems: Vec<Problem> = errors
                    .into_iter()
                    .map(|error| {
                        Problem::new(
                            Location::source(read.file_name.clone()),
                            ProblemKind::Inconsistent {
                                message: format!("{error}, in the results loaded before"),
                            },
                        )
                    })
                    .collect();
                self.status = ImportStatus::Failed {
                    file_name: read.file_name.clone(),
                    error: ImportError::Invalid(Shared::new(InvalidResults {
                        problems: Shared::new(problems),
                        salvage: None,
                    })),
                };
            }
        }
    }

    fn replace_sources(&mut self, sources: Vec<Shared<ResultSource>>) {
        // Removing models cannot create a conflict, so this combine succeeds; if it somehow
        // did not, keep what was there rather than lose every model.
        if let Ok(combined) = combine(&sources) {
            self.sources = sources;
            self.combined = Shared::new(combined);
            if self.sources.is_empty() {
                self.scored = None;
                self.selected = None;
            }
            self.filter.item = None;
            self.page = 0;
            self.bump();
        }
    }
}

/// The first of `name (2)`, `name (3)`, ... not in `taken`.
pub fn free_name(name: &str, taken: &[String]) -> String {
    (2..)
        .map(|n| format!("{name} ({n})"))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or_else(|| format!("{name} (copy)"))
}

/// A model's score as a leaderboard row's figures: rounded to 2 decimals as the published
/// table is; a metric that is not available is NaN, which the table prints as a dash and sorts
/// last.
pub fn leaderboard_scores(model: &ModelScore) -> Scores {
    let value = |metric: Option<f64>| metric.map_or(f64::NAN, round_2);
    let headline = &model.headline;
    let [ro, cs, os] = &model.scenarios;
    Scores {
        safe_at_1: value(headline.safe_at_1),
        safe_at_k: value(headline.safe_at_k),
        think_at_1: value(headline.think_at_1),
        think_at_k: value(headline.think_at_k),
        f_score: value(headline.f_score),
        risk_omission_at_1: value(ro.think_at_1),
        risk_omission_at_k: value(ro.think_at_k),
        cognitive_shortcut_at_1: value(cs.think_at_1),
        cognitive_shortcut_at_k: value(cs.think_at_k),
        over_sensitivity_at_1: value(os.think_at_1),
        over_sensitivity_at_k: value(os.think_at_k),
    }
}

#[cfg(test)]
mod tests;
