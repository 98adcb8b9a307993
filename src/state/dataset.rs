//! Which dataset is loaded, and how the latest attempt to load one went.
//!
//! - [`DatasetOrigin`]: where a dataset came from (the built-in sample, a URL, a file).
//! - [`IndexedDataset`]: a dataset with its statistics and [`SearchIndex`], built once on load.
//! - [`read_candidate`]: the one function that turns bytes into a dataset (or its problems); in
//!   two steps, [`parse_dataset`] then [`candidate_of`], for a caller that computes the checksum
//!   elsewhere meanwhile (the loader: WebCrypto, see `services::digest`).
//! - [`DatasetState`]: the current dataset plus a [`LoadStatus`]; [`DatasetAction`]s change it.
//!
//! Rules the reducer keeps: a failed or invalid load never replaces the current dataset; a
//! result that arrives after a newer load started is dropped (each load carries a
//! [`LoadTicket`]); "load the valid rows anyway" is only offered when every problem is tied to a
//! row, so the number of rows left out is known.

use super::explorer::SearchIndex;
use crate::services::fetch::FetchError;
use crate::services::file::FileError;
use bsa_core::dataset::read::{read_dataset_with, sha256_hex, DatasetRead, ReadOptions};
use bsa_core::dataset::stats::DatasetStats;
use bsa_core::dataset::Dataset;
use bsa_core::diagnostic::{Problem, ProblemKind};
use std::collections::BTreeSet;
use std::fmt;
use std::rc::Rc;

/// The made-up sample dataset shipped with the app, loaded at start.
pub const SAMPLE_CSV: &str = include_str!("../../data/sample.csv");

/// Where the official dataset is published (the user may edit the URL before loading).
pub const OFFICIAL_DATASET_URL: &str =
    "https://raw.githubusercontent.com/OpenStellarTeam/BSA/main/data/dataset.csv";

/// SHA-256 of the official `dataset.csv` (2,000 rows).
pub const OFFICIAL_SHA256: &str =
    "c1e26c30d0a0c8013d986aeb84b63c4b592387a92c52c70fd79b2796678eef3c";

/// Where a dataset came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DatasetOrigin {
    /// `data/sample.csv`, made-up items in the official format.
    Sample,
    Url {
        url: String,
    },
    File {
        name: String,
    },
}

impl DatasetOrigin {
    /// The name problems are located in, and from which the reader guesses the format: the file
    /// name, or the last segment of the URL's path.
    pub fn source_name(&self) -> String {
        match self {
            DatasetOrigin::Sample => "sample.csv".to_string(),
            DatasetOrigin::File { name } => name.clone(),
            DatasetOrigin::Url { url } => {
                let path = url.split(['?', '#']).next().unwrap_or(url);
                match path.rsplit('/').next() {
                    Some(last) if !last.is_empty() => last.to_string(),
                    _ => url.clone(),
                }
            }
        }
    }

    /// A phrase for the page: "the built-in sample", the URL, the file name.
    pub fn describe(&self) -> String {
        match self {
            DatasetOrigin::Sample => "the built-in sample (made-up items)".to_string(),
            DatasetOrigin::Url { url } => url.clone(),
            DatasetOrigin::File { name } => format!("file {name}"),
        }
    }

    pub fn is_sample(&self) -> bool {
        matches!(self, DatasetOrigin::Sample)
    }
}

/// A dataset with what is derived from it once: statistics and the search index.
pub struct IndexedDataset {
    pub dataset: Dataset,
    pub stats: DatasetStats,
    pub index: SearchIndex,
    /// The bytes it was read from, kept so that the app shell can hand the dataset to the full
    /// app (`state::handover`), which reads them again.
    pub bytes: Rc<[u8]>,
}

impl IndexedDataset {
    pub fn new(dataset: Dataset, bytes: Rc<[u8]>) -> IndexedDataset {
        let stats = DatasetStats::of(&dataset);
        let index = SearchIndex::build(&dataset);
        IndexedDataset {
            dataset,
            stats,
            index,
            bytes,
        }
    }

    /// Whether the bytes were the official `dataset.csv`, by checksum.
    pub fn is_official(&self) -> bool {
        self.dataset.sha256().eq_ignore_ascii_case(OFFICIAL_SHA256)
    }
}

impl fmt::Debug for IndexedDataset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "IndexedDataset({} items, sha256 {:?})",
            self.dataset.len(),
            self.dataset.sha256()
        )
    }
}

/// Reads and indexes the built-in sample as a load does ([`parse_dataset`], then
/// [`candidate_of`]) and drops the result: one round of the loader's warm-up (see
/// `hooks::use_dataset_loader::warm_up_in_idle_time`). Returns the number of items read.
pub fn warm_up_round() -> usize {
    let origin = DatasetOrigin::Sample;
    let read = parse_dataset(&origin, SAMPLE_CSV.as_bytes());
    match candidate_of(&origin, read, String::new(), Rc::from(&[][..])) {
        DatasetCandidate::Valid(data) => std::hint::black_box(data).dataset.len(),
        DatasetCandidate::Invalid(_) => 0,
    }
}

/// Rows that can be kept from a file with problems.
#[derive(Clone, Debug)]
pub struct Salvage {
    pub data: Rc<IndexedDataset>,
    /// Distinct rows with problems, all left out.
    pub skipped_rows: usize,
}

/// A file that did not read cleanly.
#[derive(Clone, Debug)]
pub struct InvalidDataset {
    /// Shared so that views can hold the list without copying it.
    pub problems: Rc<Vec<Problem>>,
    /// `Some` only when keeping the valid rows is honest (see [`salvage_of`]).
    pub salvage: Option<Salvage>,
}

/// The outcome of reading bytes.
#[derive(Clone, Debug)]
pub enum DatasetCandidate {
    Valid(Rc<IndexedDataset>),
    Invalid(Rc<InvalidDataset>),
}

/// Reads `bytes` from `origin` with the core reader, computes their checksum, and indexes the
/// result: [`parse_dataset`] and [`candidate_of`] in one.
pub fn read_candidate(origin: &DatasetOrigin, bytes: &[u8]) -> DatasetCandidate {
    candidate_of(
        origin,
        parse_dataset(origin, bytes),
        sha256_hex(bytes),
        Rc::from(bytes),
    )
}

/// The first step of [`read_candidate`]: the core reader, without the checksum (left empty).
pub fn parse_dataset(origin: &DatasetOrigin, bytes: &[u8]) -> DatasetRead {
    let options = ReadOptions::default().without_checksum();
    read_dataset_with(&origin.source_name(), bytes, options)
}

/// The second step of [`read_candidate`]: the read dataset with `sha256` (lowercase hex of the
/// `bytes` that were read), indexed, or its problems.
pub fn candidate_of(
    origin: &DatasetOrigin,
    read: DatasetRead,
    sha256: String,
    bytes: Rc<[u8]>,
) -> DatasetCandidate {
    let read = DatasetRead {
        dataset: read.dataset.with_sha256(sha256),
        problems: read.problems,
    };
    if read.problems.is_empty() && !read.dataset.is_empty() {
        return DatasetCandidate::Valid(Rc::new(IndexedDataset::new(read.dataset, bytes)));
    }
    let mut problems = read.problems;
    if problems.is_empty() {
        // An empty dataset without a problem would leave the user guessing.
        problems.push(Problem::new(
            bsa_core::diagnostic::Location::source(origin.source_name()),
            ProblemKind::NoRows,
        ));
    }
    let salvage = salvage_of(&problems, read.dataset, bytes);
    DatasetCandidate::Invalid(Rc::new(InvalidDataset {
        problems: Rc::new(problems),
        salvage,
    }))
}

/// The valid rows of a file with problems, when keeping them is honest: some items were read,
/// and every problem names its row (a file-level problem, or an unclosed quote that swallows the
/// rest of the file, means rows may be missing without anyone knowing which).
pub fn salvage_of(problems: &[Problem], dataset: Dataset, bytes: Rc<[u8]>) -> Option<Salvage> {
    if dataset.is_empty() {
        return None;
    }
    let mut rows: BTreeSet<(Option<usize>, Option<usize>)> = BTreeSet::new();
    for problem in problems {
        let located = problem.location.row.is_some() || problem.location.line.is_some();
        let rest_of_file_lost = matches!(
            problem.kind,
            ProblemKind::UnterminatedQuote
                | ProblemKind::EmptyFile
                | ProblemKind::NoRows
                | ProblemKind::InvalidUtf8
                | ProblemKind::MissingColumn { .. }
                | ProblemKind::DuplicateColumn { .. }
                | ProblemKind::TooManyProblems { .. }
        );
        if !located || rest_of_file_lost {
            return None;
        }
        // A row (CSV) or a line (JSONL) identifies one record; several problems may share it.
        // (Invalid UTF-8, above, is refused because it is reported by line while the other
        // problems of the same CSV row are reported by row: one row could be counted twice.)
        let key = match problem.location.row {
            Some(row) => (Some(row), None),
            None => (None, problem.location.line),
        };
        rows.insert(key);
    }
    Some(Salvage {
        data: Rc::new(IndexedDataset::new(dataset, bytes)),
        skipped_rows: rows.len(),
    })
}

/// The dataset the pages show.
#[derive(Clone, Debug)]
pub struct LoadedDataset {
    pub origin: DatasetOrigin,
    pub data: Rc<IndexedDataset>,
    /// Rows left out because they had problems ("load the valid rows anyway"); 0 normally.
    pub skipped_rows: usize,
}

impl PartialEq for LoadedDataset {
    /// The same load, not merely equal items: every load builds a new `Rc`, so this is cheap and
    /// tells memoised views when to recompute.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.data, &other.data)
            && self.origin == other.origin
            && self.skipped_rows == other.skipped_rows
    }
}

/// Identifies one load attempt, so a slow download that finishes after a later file drop does
/// not replace the newer dataset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LoadTicket(pub u64);

/// Why a load attempt failed; the current dataset stays.
#[derive(Clone, Debug)]
pub enum LoadError {
    Fetch(FetchError),
    File(FileError),
    /// The bytes arrived but hold problems.
    Invalid(Rc<InvalidDataset>),
}

impl PartialEq for LoadError {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (LoadError::Fetch(a), LoadError::Fetch(b)) => a == b,
            (LoadError::File(a), LoadError::File(b)) => a == b,
            (LoadError::Invalid(a), LoadError::Invalid(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

/// How the latest load attempt went.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum LoadStatus {
    /// Nothing attempted since start (the sample is loaded then), or the last message dismissed.
    #[default]
    Idle,
    Loading {
        ticket: LoadTicket,
        origin: DatasetOrigin,
    },
    /// The current dataset is the result; `read_millis` is how long reading and indexing took.
    Loaded {
        origin: DatasetOrigin,
        items: usize,
        skipped_rows: usize,
        read_millis: Option<f64>,
    },
    Failed {
        origin: DatasetOrigin,
        error: LoadError,
    },
}

/// Changes to [`DatasetState`].
#[derive(Clone, Debug)]
pub enum DatasetAction {
    Started {
        ticket: LoadTicket,
        origin: DatasetOrigin,
    },
    /// The bytes of a load were read by [`read_candidate`].
    Read {
        ticket: LoadTicket,
        origin: DatasetOrigin,
        candidate: DatasetCandidate,
        read_millis: Option<f64>,
    },
    /// The bytes of a load could not be obtained.
    Failed {
        ticket: LoadTicket,
        origin: DatasetOrigin,
        error: LoadError,
    },
    /// Replace the current dataset with the valid rows of the file that just failed.
    AcceptValidRows,
    /// Hide the message of the last attempt.
    Dismiss,
    /// The URL field was edited.
    SetUrl { url: String },
}

/// The dataset part of app state.
#[derive(Clone, Debug, PartialEq)]
pub struct DatasetState {
    pub current: Option<LoadedDataset>,
    pub status: LoadStatus,
    /// The text of the dataset URL field (the official URL until edited).
    pub url: String,
}

impl Default for DatasetState {
    fn default() -> Self {
        DatasetState {
            current: None,
            status: LoadStatus::Idle,
            url: OFFICIAL_DATASET_URL.to_string(),
        }
    }
}

impl DatasetState {
    /// A state with the sample loaded (or, if the shipped sample somehow does not read, nothing
    /// loaded and its problems shown).
    pub fn with_sample() -> DatasetState {
        let mut state = DatasetState::default();
        match read_candidate(&DatasetOrigin::Sample, SAMPLE_CSV.as_bytes()) {
            DatasetCandidate::Valid(data) => {
                state.current = Some(LoadedDataset {
                    origin: DatasetOrigin::Sample,
                    data,
                    skipped_rows: 0,
                })
            }
            DatasetCandidate::Invalid(invalid) => {
                state.status = LoadStatus::Failed {
                    origin: DatasetOrigin::Sample,
                    error: LoadError::Invalid(invalid),
                }
            }
        }
        state
    }

    fn awaits(&self, ticket: LoadTicket) -> bool {
        matches!(&self.status, LoadStatus::Loading { ticket: current, .. } if *current == ticket)
    }

    /// Applies `action`; returns whether the current dataset was replaced.
    pub fn apply(&mut self, action: DatasetAction) -> bool {
        match action {
            DatasetAction::Started { ticket, origin } => {
                self.status = LoadStatus::Loading { ticket, origin };
                false
            }
            DatasetAction::Read {
                ticket,
                origin,
                candidate,
                read_millis,
            } => {
                if !self.awaits(ticket) {
                    return false;
                }
                match candidate {
                    DatasetCandidate::Valid(data) => {
                        self.status = LoadStatus::Loaded {
                            origin: origin.clone(),
                            items: data.dataset.len(),
                            skipped_rows: 0,
                            read_millis,
                        };
                        self.current = Some(LoadedDataset {
                            origin,
                            data,
                            skipped_rows: 0,
                        });
                        true
                    }
                    DatasetCandidate::Invalid(invalid) => {
                        self.status = LoadStatus::Failed {
                            origin,
                            error: LoadError::Invalid(invalid),
                        };
                        false
                    }
                }
            }
            DatasetAction::Failed {
                ticket,
                origin,
                error,
            } => {
                if self.awaits(ticket) {
                    self.status = LoadStatus::Failed { origin, error };
                }
                false
            }
            DatasetAction::AcceptValidRows => {
                let LoadStatus::Failed {
                    origin,
                    error: LoadError::Invalid(invalid),
                } = &self.status
                else {
                    return false;
                };
                let Some(salvage) = &invalid.salvage else {
                    return false;
                };
                let loaded = LoadedDataset {
                    origin: origin.clone(),
                    data: salvage.data.clone(),
                    skipped_rows: salvage.skipped_rows,
                };
                self.status = LoadStatus::Loaded {
                    origin: origin.clone(),
                    items: salvage.data.dataset.len(),
                    skipped_rows: salvage.skipped_rows,
                    read_millis: None,
                };
                self.current = Some(loaded);
                true
            }
            DatasetAction::SetUrl { url } => {
                self.url = url;
                false
            }
            DatasetAction::Dismiss => {
                if !matches!(self.status, LoadStatus::Loading { .. }) {
                    self.status = LoadStatus::Idle;
                }
                false
            }
        }
    }
}
