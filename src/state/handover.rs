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

use super::dataset::{candidate_of, parse_dataset, DatasetCandidate, DatasetOrigin, LoadedDataset};
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
    /// `"url"` or `"file"`.
    pub origin: String,
    /// The URL or the file name.
    pub name: String,
    /// Lowercase hex, as computed when the shell read the bytes.
    pub sha256: String,
    /// Rows left out ("load the valid rows anyway"); the full app leaves out the same ones.
    pub skipped_rows: usize,
}

impl Handover {
    /// What `state` hands over.
    pub fn of(state: &State) -> Handover {
        let current = state.dataset.current.as_ref();
        let named = current.and_then(|loaded| match &loaded.origin {
            DatasetOrigin::Sample => None,
            DatasetOrigin::Url { url } => Some((loaded, "url", url.clone())),
            DatasetOrigin::File { name } => Some((loaded, "file", name.clone())),
        });
        let (dataset, bytes) = match named {
            Some((loaded, origin, name)) => (
                Some(DatasetHeader {
                    origin: origin.to_string(),
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
    /// Errors when the handed-over dataset does not read as it did in the shell (which would be
    /// a bug); the state is then the one of a fresh start, and the caller shows the message.
    pub fn into_state(self, preferences: Preferences) -> (State, Option<String>) {
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
        let mut problem = None;
        if let Some(dataset) = header.dataset {
            match restore_dataset(&dataset, self.bytes) {
                Ok(loaded) => state.dataset.current = Some(loaded),
                Err(message) => problem = Some(message),
            }
        }
        (state, problem)
    }
}

/// Reads the handed-over bytes as the shell did, keeping the same rows.
fn restore_dataset(header: &DatasetHeader, bytes: Rc<[u8]>) -> Result<LoadedDataset, String> {
    let origin = match header.origin.as_str() {
        "url" => DatasetOrigin::Url {
            url: header.name.clone(),
        },
        "file" => DatasetOrigin::File {
            name: header.name.clone(),
        },
        other => return Err(format!("unknown dataset origin {other:?} in the handover")),
    };
    let read = parse_dataset(&origin, &bytes);
    let data = match candidate_of(&origin, read, header.sha256.clone(), bytes) {
        DatasetCandidate::Valid(data) if header.skipped_rows == 0 => data,
        DatasetCandidate::Invalid(invalid) => match &invalid.salvage {
            Some(salvage) if salvage.skipped_rows == header.skipped_rows => salvage.data.clone(),
            _ => {
                return Err(format!(
                    "{} did not read again as it did before ({} rows were left out)",
                    origin.describe(),
                    header.skipped_rows
                ))
            }
        },
        DatasetCandidate::Valid(_) => {
            return Err(format!(
                "{} read without problems now, but {} rows were left out before",
                origin.describe(),
                header.skipped_rows
            ))
        }
    };
    Ok(LoadedDataset {
        origin,
        data,
        skipped_rows: header.skipped_rows,
    })
}
