//! What the app shell hands to the full app when it takes over the page.
//!
//! The first download is a shell: the frame with the Dataset, Leaderboard and About pages. The
//! Run, Results and Compare pages live in a second module, the full app, loaded when one of them
//! is first opened (`services::full_app`). The full app replaces the shell on the page and starts
//! from the shell's state, so nothing the user did is lost: the dataset (its bytes, read again
//! by the full app with the same reader, so the items, problems and checksum are the same), the
//! dataset URL field, the explorer's filter and page, and the leaderboard's sort and alpha. The
//! shell has no results and no runs, and preferences are in local storage already.
//!
//! A [`Handover`] travels between the two wasm modules as a JSON header and the dataset's bytes
//! ([`Handover::to_parts`] and [`Handover::from_parts`]); it holds no key (the shell never sees
//! one).

use super::dataset::{
    candidate_of, parse_dataset, DatasetCandidate, DatasetOrigin, IndexedDataset, InvalidDataset,
    LoadError, LoadStatus, LoadedDataset,
};
use super::explorer::{DatasetFilter, ExplorerState};
use super::leaderboard::{LeaderboardAction, LeaderboardSort};
use super::preferences::Preferences;
use super::State;
use bsa_core::scenario::Scenario;
use serde::{Deserialize, Serialize};
use std::rc::Rc;

/// The shell's state, as the full app needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct Handover {
    pub header: HandoverHeader,
    /// The current dataset's bytes; empty when it is the built-in sample.
    pub bytes: Rc<[u8]>,
}

/// Everything but the bytes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HandoverHeader {
    /// The current dataset, unless it is the built-in sample (which both modules carry).
    pub dataset: Option<DatasetHeader>,
    pub dataset_url: String,
    pub search: String,
    pub scenario: Option<Scenario>,
    pub primary: Option<String>,
    pub secondary: Option<String>,
    pub page: usize,
    pub sort: LeaderboardSort,
    pub alpha_input: String,
}

/// Where the handed-over bytes came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatasetHeader {
    pub origin: HandedOrigin,
    /// The URL or the file name.
    pub name: String,
    /// Lowercase hex, as computed when the shell read the bytes.
    pub sha256: String,
    /// Rows left out ("load the valid rows anyway"); the full app leaves out the same ones.
    pub skipped_rows: usize,
}

/// The kind of [`DatasetOrigin`] handed over (the sample never is).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HandedOrigin {
    Url,
    File,
}

impl HandedOrigin {
    fn dataset_origin(self, name: &str) -> DatasetOrigin {
        match self {
            HandedOrigin::Url => DatasetOrigin::Url {
                url: name.to_string(),
            },
            HandedOrigin::File => DatasetOrigin::File {
                name: name.to_string(),
            },
        }
    }
}

impl Handover {
    /// What `state` hands over.
    pub fn of(state: &State) -> Handover {
        let current = state.dataset.current.as_ref();
        let named = current.and_then(|loaded| match &loaded.origin {
            DatasetOrigin::Sample => None,
            DatasetOrigin::Url { url } => Some((loaded, HandedOrigin::Url, url.clone())),
            DatasetOrigin::File { name } => Some((loaded, HandedOrigin::File, name.clone())),
        });
        let (dataset, bytes) = match named {
            Some((loaded, origin, name)) => (
                Some(DatasetHeader {
                    origin,
                    name,
                    sha256: loaded.data.dataset.sha256().to_string(),
                    skipped_rows: loaded.skipped_rows,
                }),
                loaded.data.bytes.clone(),
            ),
            None => (None, Rc::from(&[][..])),
        };
        let filter = &state.explorer.filter;
        Handover {
            header: HandoverHeader {
                dataset,
                dataset_url: state.dataset.url.clone(),
                search: filter.search.clone(),
                scenario: filter.scenario,
                primary: filter.primary.clone(),
                secondary: filter.secondary.clone(),
                page: state.explorer.page,
                sort: state.leaderboard.sort,
                alpha_input: state.leaderboard.alpha_input.clone(),
            },
            bytes,
        }
    }

    /// The JSON header and the bytes, for the trip between the modules.
    pub fn to_parts(&self) -> (String, Rc<[u8]>) {
        let json = serde_json::to_string(&self.header).expect("the header serialises");
        (json, self.bytes.clone())
    }

    /// Reads what [`Handover::to_parts`] gave.
    pub fn from_parts(json: &str, bytes: Vec<u8>) -> Result<Handover, String> {
        let header: HandoverHeader = serde_json::from_str(json)
            .map_err(|error| format!("the app shell's state could not be read: {error}"))?;
        Ok(Handover {
            header,
            bytes: Rc::from(bytes),
        })
    }

    /// The full app's starting state: [`State::new`] with the handed-over parts in place.
    ///
    /// The dataset's bytes are read again with the same reader, so they give the same dataset.
    /// Should they not (a bug), the full app starts with the sample and the Dataset page lists
    /// the problems the bytes gave, as for a file that failed to load.
    pub fn into_state(self, preferences: Preferences) -> State {
        let mut state = State::new(preferences);
        let header = self.header;
        state.dataset.url = header.dataset_url;
        state.explorer = ExplorerState {
            filter: DatasetFilter {
                search: header.search,
                scenario: header.scenario,
                primary: header.primary,
                secondary: header.secondary,
            },
            page: header.page,
        };
        state.leaderboard.sort = header.sort;
        state.leaderboard.apply(LeaderboardAction::SetAlpha {
            text: header.alpha_input,
        });
        if let Some(dataset) = header.dataset {
            let origin = dataset.origin.dataset_origin(&dataset.name);
            match restore_dataset(&origin, &dataset, self.bytes) {
                Ok(data) => {
                    state.dataset.current = Some(LoadedDataset {
                        origin,
                        data,
                        skipped_rows: dataset.skipped_rows,
                    })
                }
                Err(invalid) => {
                    state.dataset.status = LoadStatus::Failed {
                        origin,
                        error: LoadError::Invalid(invalid),
                    }
                }
            }
        }
        state
    }
}

/// Reads the handed-over bytes as the shell did, keeping the same rows: the dataset, or the
/// problems that stand in the way.
fn restore_dataset(
    origin: &DatasetOrigin,
    header: &DatasetHeader,
    bytes: Rc<[u8]>,
) -> Result<Rc<IndexedDataset>, Rc<InvalidDataset>> {
    let read = parse_dataset(origin, &bytes);
    match candidate_of(origin, read, header.sha256.clone(), bytes) {
        DatasetCandidate::Valid(data) => Ok(data),
        DatasetCandidate::Invalid(invalid) => match &invalid.salvage {
            Some(salvage) if salvage.skipped_rows == header.skipped_rows => {
                Ok(salvage.data.clone())
            }
            _ => Err(invalid),
        },
    }
}
