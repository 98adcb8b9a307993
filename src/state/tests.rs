//! Reducer transitions, natively: each test drives [`State::apply`] / `reduce` with actions and
//! checks the resulting state.

use super::dataset::{
    read_candidate, warm_up_round, DatasetAction, DatasetCandidate, DatasetOrigin, LoadError,
    LoadStatus, LoadTicket,
};
use super::explorer::{DatasetFilter, ExplorerAction};
use super::preferences::{Preferences, PreferencesAction, Theme};
use super::*;
use crate::services::fetch::FetchError;

const HEADER: &str = "id,query,risk_summary,dataset_name,label\n";

/// A valid CSV of `n` Risk Omission rows with ids `r1`..`rn`.
fn csv_rows(n: usize) -> String {
    let mut text = HEADER.to_string();
    for i in 1..=n {
        text.push_str(&format!(
            "r{i},query {i},summary {i},Risk Omission,Rumors-Rumors\n"
        ));
    }
    text
}

fn state() -> State {
    State::new(Preferences {
        theme: Theme::Light,
        large_type: false,
    })
}

fn url(name: &str) -> DatasetOrigin {
    DatasetOrigin::Url {
        url: format!("https://example.org/{name}"),
    }
}

/// Starts a load with `ticket` and delivers `text` as its bytes.
fn load(state: &mut State, ticket: u64, origin: DatasetOrigin, text: &str) {
    let ticket = LoadTicket(ticket);
    state.apply(Action::Dataset(DatasetAction::Started {
        ticket,
        origin: origin.clone(),
    }));
    let candidate = read_candidate(&origin, text.as_bytes());
    state.apply(Action::Dataset(DatasetAction::Read {
        ticket,
        origin,
        candidate,
        read_millis: Some(1.0),
    }));
}

fn current_len(state: &State) -> usize {
    state
        .dataset
        .current
        .as_ref()
        .map_or(0, |loaded| loaded.data.dataset.len())
}

#[test]
fn starts_with_the_sample_loaded() {
    let state = state();
    let current = state
        .dataset
        .current
        .as_ref()
        .expect("the sample loads at start");
    assert!(current.origin.is_sample());
    // Independent count: in data/sample.csv every record starts with its 32-hex id and a comma
    // at the start of a line, and no continuation line of a multi-line field does.
    let starts_record = |line: &str| {
        line.len() > 32
            && line.as_bytes()[32] == b','
            && line[..32].bytes().all(|b| b.is_ascii_hexdigit())
    };
    let expected = SAMPLE_LINES
        .lines()
        .filter(|line| starts_record(line))
        .count();
    assert!(expected > 0);
    assert_eq!(current.data.dataset.len(), expected);
    assert_eq!(state.dataset.status, LoadStatus::Idle);
}

const SAMPLE_LINES: &str = super::dataset::SAMPLE_CSV;

#[test]
fn a_warm_up_round_reads_and_indexes_the_whole_sample() {
    let loaded = current_len(&state());
    assert!(loaded > 0);
    assert_eq!(warm_up_round(), loaded);
}

#[test]
fn index_and_stats_count_each_category_name_from_its_mentions() {
    let state = state();
    let data = &state.dataset.current.as_ref().expect("the sample").data;
    let items = data.dataset.items();
    // Independent counts, straight from the items.
    let mut primaries: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    let mut secondaries: std::collections::BTreeMap<(&str, &str), usize> = Default::default();
    for item in items {
        for primary in item.primary_categories() {
            primaries.entry(primary).or_default().0 += 1;
        }
        for risk in &item.risks {
            primaries.entry(&risk.primary).or_default().1 += 1;
            *secondaries
                .entry((&risk.primary, &risk.secondary))
                .or_default() += 1;
        }
    }
    // The sample repeats names, so copying a name only once is exercised.
    assert!(primaries.values().any(|&(per_item, _)| per_item > 1));
    let index_counts: Vec<(&str, usize)> = data
        .index
        .primaries
        .iter()
        .map(|(name, count)| (name.as_str(), *count))
        .collect();
    assert_eq!(index_counts.len(), primaries.len());
    for (name, count) in index_counts {
        assert_eq!(count, primaries[name].0, "items with primary {name}");
        assert_eq!(data.stats.primary_categories[name], primaries[name].1);
        let expected: Vec<&str> = secondaries
            .keys()
            .filter(|(primary, _)| *primary == name)
            .map(|(_, secondary)| *secondary)
            .collect();
        assert_eq!(
            data.index.secondaries_of(name).collect::<Vec<_>>(),
            expected
        );
    }
    for (_, secondary) in secondaries.keys() {
        let mentions: usize = secondaries
            .iter()
            .filter(|((_, s), _)| s == secondary)
            .map(|(_, count)| count)
            .sum();
        assert_eq!(data.stats.secondary_categories[*secondary], mentions);
    }
    assert_eq!(data.stats.items, items.len());
}

#[test]
fn a_valid_load_replaces_the_dataset_and_resets_the_explorer() {
    let mut state = state();
    state.apply(Action::Explorer(ExplorerAction::SetFilter {
        filter: DatasetFilter {
            search: "old".into(),
            ..Default::default()
        },
    }));
    state.apply(Action::Explorer(ExplorerAction::SetPage { page: 3 }));
    load(&mut state, 1, url("three.csv"), &csv_rows(3));
    assert_eq!(current_len(&state), 3);
    assert_eq!(state.explorer, Default::default());
    assert!(matches!(
        &state.dataset.status,
        LoadStatus::Loaded { items: 3, skipped_rows: 0, origin, .. } if *origin == url("three.csv")
    ));
}

#[test]
fn an_invalid_load_keeps_the_dataset_and_locates_problems() {
    let mut state = state();
    load(&mut state, 1, url("good.csv"), &csv_rows(2));
    state.apply(Action::Explorer(ExplorerAction::SetPage { page: 1 }));
    // Row 2 names no known scenario.
    let bad = format!("{HEADER}a,q,s,Risk Omission,Rumors-Rumors\nb,q,s,Nonsense,Rumors-Rumors\n");
    load(&mut state, 2, url("bad.csv"), &bad);
    assert_eq!(current_len(&state), 2, "the old dataset stays");
    assert_eq!(state.explorer.page, 1, "the explorer is untouched");
    let LoadStatus::Failed {
        error: LoadError::Invalid(invalid),
        origin,
    } = &state.dataset.status
    else {
        panic!(
            "expected an invalid-file status, got {:?}",
            state.dataset.status
        );
    };
    assert_eq!(*origin, url("bad.csv"));
    assert_eq!(invalid.problems.len(), 1);
    assert_eq!(invalid.problems[0].location.row, Some(2));
    assert_eq!(invalid.problems[0].location.source, "bad.csv");
    // Row 1 is fine, so it may be kept, with one row left out.
    let salvage = invalid.salvage.as_ref().expect("valid rows can be kept");
    assert_eq!((salvage.data.dataset.len(), salvage.skipped_rows), (1, 1));

    state.apply(Action::Dataset(DatasetAction::AcceptValidRows));
    assert_eq!(current_len(&state), 1);
    assert_eq!(
        state.dataset.current.as_ref().map(|c| c.skipped_rows),
        Some(1)
    );
    assert!(matches!(
        state.dataset.status,
        LoadStatus::Loaded {
            items: 1,
            skipped_rows: 1,
            ..
        }
    ));
}

#[test]
fn a_file_level_problem_offers_no_partial_load() {
    let mut state = state();
    let before = state.dataset.current.clone();
    load(
        &mut state,
        1,
        url("nolabel.csv"),
        "id,query,risk_summary,dataset_name\na,q,s,Risk Omission\n",
    );
    let LoadStatus::Failed {
        error: LoadError::Invalid(invalid),
        ..
    } = &state.dataset.status
    else {
        panic!("expected an invalid-file status");
    };
    assert!(invalid.salvage.is_none());
    state.apply(Action::Dataset(DatasetAction::AcceptValidRows));
    assert_eq!(state.dataset.current, before, "nothing to accept");
}

#[test]
fn an_empty_file_is_a_problem_not_an_empty_dataset() {
    let candidate = read_candidate(
        &DatasetOrigin::File {
            name: "empty.csv".into(),
        },
        b"",
    );
    let DatasetCandidate::Invalid(invalid) = candidate else {
        panic!("empty must be invalid")
    };
    assert!(!invalid.problems.is_empty());
    assert!(invalid.salvage.is_none());
}

#[test]
fn a_stale_result_is_dropped() {
    let mut state = state();
    let slow = url("slow.csv");
    state.apply(Action::Dataset(DatasetAction::Started {
        ticket: LoadTicket(1),
        origin: slow.clone(),
    }));
    // A file dropped meanwhile (ticket 2) wins...
    load(
        &mut state,
        2,
        DatasetOrigin::File {
            name: "mine.csv".into(),
        },
        &csv_rows(4),
    );
    // ...and the slow download finishing later changes nothing.
    let candidate = read_candidate(&slow, csv_rows(9).as_bytes());
    state.apply(Action::Dataset(DatasetAction::Read {
        ticket: LoadTicket(1),
        origin: slow.clone(),
        candidate,
        read_millis: None,
    }));
    state.apply(Action::Dataset(DatasetAction::Failed {
        ticket: LoadTicket(1),
        origin: slow,
        error: LoadError::Fetch(FetchError::Offline),
    }));
    assert_eq!(current_len(&state), 4);
    assert!(matches!(
        state.dataset.status,
        LoadStatus::Loaded { items: 4, .. }
    ));
}

#[test]
fn a_failed_download_keeps_the_dataset_and_says_why() {
    let mut state = state();
    let before = state.dataset.current.clone();
    let origin = url("missing.csv");
    state.apply(Action::Dataset(DatasetAction::Started {
        ticket: LoadTicket(7),
        origin: origin.clone(),
    }));
    assert!(matches!(state.dataset.status, LoadStatus::Loading { .. }));
    let error = FetchError::Http {
        url: "https://example.org/missing.csv".into(),
        status: 404,
        status_text: String::new(),
    };
    state.apply(Action::Dataset(DatasetAction::Failed {
        ticket: LoadTicket(7),
        origin,
        error: LoadError::Fetch(error.clone()),
    }));
    assert_eq!(state.dataset.current, before);
    assert!(
        matches!(&state.dataset.status, LoadStatus::Failed { error: LoadError::Fetch(e), .. } if *e == error)
    );
    assert_eq!(
        error.to_string(),
        "the server answered HTTP 404 Not Found for https://example.org/missing.csv: check the address"
    );
    state.apply(Action::Dataset(DatasetAction::Dismiss));
    assert_eq!(state.dataset.status, LoadStatus::Idle);
}

#[test]
fn dismiss_does_not_hide_a_load_in_progress() {
    let mut state = state();
    state.apply(Action::Dataset(DatasetAction::Started {
        ticket: LoadTicket(1),
        origin: url("x.csv"),
    }));
    state.apply(Action::Dataset(DatasetAction::Dismiss));
    assert!(matches!(state.dataset.status, LoadStatus::Loading { .. }));
}

#[test]
fn preferences_change_through_actions() {
    let mut state = state();
    state.apply(Action::Preferences(PreferencesAction::SetTheme {
        theme: Theme::Dark,
    }));
    state.apply(Action::Preferences(PreferencesAction::SetLargeType {
        enabled: true,
    }));
    assert_eq!(
        state.preferences,
        Preferences {
            theme: Theme::Dark,
            large_type: true
        }
    );
}

#[test]
fn reduce_keeps_the_same_rc_when_nothing_changes() {
    let first = Rc::new(state());
    // Setting the theme it already has changes nothing.
    let same = first
        .clone()
        .reduce(Action::Preferences(PreferencesAction::SetTheme {
            theme: Theme::Light,
        }));
    assert!(Rc::ptr_eq(&first, &same));
    let changed = first
        .clone()
        .reduce(Action::Preferences(PreferencesAction::SetTheme {
            theme: Theme::Dark,
        }));
    assert!(!Rc::ptr_eq(&first, &changed));
    assert_eq!(changed.preferences.theme, Theme::Dark);
}

#[test]
fn leaderboard_rows_are_the_published_ones_for_now() {
    let rows = state().leaderboard_rows();
    assert_eq!(rows.len(), 23);
    assert!(rows
        .iter()
        .all(|row| row.origin == leaderboard::RowOrigin::Published));
}

#[test]
fn url_origins_are_named_by_their_last_path_segment() {
    let origin = DatasetOrigin::Url {
        url: "https://host/a/b/dataset.csv?x=1#y".into(),
    };
    assert_eq!(origin.source_name(), "dataset.csv");
    let bare = DatasetOrigin::Url {
        url: "https://host/".into(),
    };
    assert_eq!(bare.source_name(), "https://host/");
}

/// The real benchmark file, when the reference copy is present: it reads cleanly, is recognised
/// by its checksum, and the index counts what the reference README states (600 / 1,200 / 200
/// items per scenario, 720 Offense and Prejudice mentions).
#[test]
fn the_official_file_is_recognised_and_indexed() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/bsa/dataset.csv");
    let Ok(bytes) = std::fs::read(path) else {
        println!("skipped: the official dataset is not at {path}");
        return;
    };
    let origin = DatasetOrigin::File {
        name: "dataset.csv".into(),
    };
    let DatasetCandidate::Valid(data) = read_candidate(&origin, &bytes) else {
        panic!("the official dataset must read without problems");
    };
    assert_eq!(data.dataset.len(), 2000);
    assert!(data.is_official());
    use bsa_core::Scenario;
    assert_eq!(
        data.index.scenarios,
        [
            (Scenario::RiskOmission, 600),
            (Scenario::CognitiveShortcut, 1200),
            (Scenario::OverSensitivity, 200)
        ]
    );
    assert_eq!(
        data.stats.primary_categories.get("Offense and Prejudice"),
        Some(&720)
    );
    // The sample is not mistaken for it.
    let DatasetCandidate::Valid(sample) =
        read_candidate(&DatasetOrigin::Sample, SAMPLE_LINES.as_bytes())
    else {
        panic!("the sample reads");
    };
    assert!(!sample.is_official());
}

#[test]
fn a_duplicate_id_row_can_be_left_out() {
    let mut state = state();
    let text = format!("{HEADER}a,q,s,Risk Omission,Rumors-Rumors\nb,q,s,Risk Omission,Rumors-Rumors\na,q2,s,Risk Omission,Rumors-Rumors\n");
    load(&mut state, 1, url("dup.csv"), &text);
    let LoadStatus::Failed {
        error: LoadError::Invalid(invalid),
        ..
    } = &state.dataset.status
    else {
        panic!("a duplicate id is a problem");
    };
    assert_eq!(invalid.problems[0].location.row, Some(3));
    let salvage = invalid
        .salvage
        .as_ref()
        .expect("the other rows can be kept");
    // Rows 1 and 2 are kept, row 3 (the repeat) is left out.
    assert_eq!((salvage.data.dataset.len(), salvage.skipped_rows), (2, 1));
    assert_eq!(
        salvage
            .data
            .dataset
            .get("a")
            .map(|item| item.query.as_str()),
        Some("q")
    );
}

/// The app shell's state travels to the full app as a JSON header and bytes
/// ([`handover::Handover`]); what arrives is the state the shell had.
mod handover_tests {
    use super::super::handover::Handover;
    use super::super::leaderboard::{LeaderboardAction, SortKey};
    use super::*;
    use bsa_core::leaderboard::Metric;
    use bsa_core::Scenario;

    fn prefs() -> Preferences {
        Preferences {
            theme: Theme::Dark,
            large_type: true,
        }
    }

    /// Through the parts, as between the two wasm modules.
    fn round_trip(state: &State) -> State {
        let (json, bytes) = Handover::of(state).to_parts();
        let handover = Handover::from_parts(&json, bytes.to_vec()).expect("the parts read back");
        handover.into_state(prefs())
    }

    fn ids(state: &State) -> Vec<String> {
        let loaded = state.dataset.current.as_ref().expect("a dataset");
        loaded
            .data
            .dataset
            .items()
            .iter()
            .map(|item| item.id.clone())
            .collect()
    }

    #[test]
    fn a_loaded_file_the_filter_and_the_sort_arrive_as_they_were() {
        let mut shell = state();
        let origin = DatasetOrigin::File {
            name: "mine.csv".to_string(),
        };
        load(&mut shell, 1, origin.clone(), &csv_rows(7));
        shell.apply(Action::Explorer(ExplorerAction::SetFilter {
            filter: DatasetFilter {
                search: "query 3".to_string(),
                scenario: Some(Scenario::RiskOmission),
                primary: Some("Rumors".to_string()),
                secondary: None,
            },
        }));
        shell.apply(Action::Explorer(ExplorerAction::SetPage { page: 2 }));
        shell.apply(Action::Leaderboard(LeaderboardAction::SortBy {
            key: SortKey::Metric(Metric::SafeAt1),
        }));
        shell.apply(Action::Leaderboard(LeaderboardAction::SetAlpha {
            text: "0.25".to_string(),
        }));
        shell.apply(Action::Dataset(DatasetAction::SetUrl {
            url: "https://example.org/other.csv".to_string(),
        }));

        let full = round_trip(&shell);
        assert_eq!(full.dataset.status, LoadStatus::Idle);
        let (was, now) = (
            shell.dataset.current.as_ref().unwrap(),
            full.dataset.current.as_ref().unwrap(),
        );
        assert_eq!(now.origin, origin);
        assert_eq!(ids(&full), ids(&shell));
        assert_eq!(now.data.dataset.sha256(), was.data.dataset.sha256());
        assert_eq!(now.data.dataset.sha256().len(), 64);
        assert_eq!(now.skipped_rows, 0);
        assert_eq!(full.explorer, shell.explorer);
        assert_eq!(full.leaderboard.sort, shell.leaderboard.sort);
        assert_eq!(full.leaderboard.alpha_input, "0.25");
        assert_eq!(full.leaderboard.alpha, 0.25);
        assert_eq!(full.dataset.url, "https://example.org/other.csv");
        assert!(
            full.preferences.large_type,
            "the full app's own preferences"
        );
    }

    #[test]
    fn the_sample_is_not_sent_but_arrives() {
        let shell = state();
        let handover = Handover::of(&shell);
        assert_eq!(handover.header.dataset, None);
        assert!(handover.bytes.is_empty());
        let full = round_trip(&shell);
        assert_eq!(full.dataset.status, LoadStatus::Idle);
        assert!(full.dataset.current.as_ref().unwrap().origin.is_sample());
        assert_eq!(ids(&full), ids(&shell));
    }

    #[test]
    fn kept_valid_rows_stay_the_same_rows() {
        let mut shell = state();
        let text = format!("{HEADER}a,q,s,Risk Omission,Rumors-Rumors\nb,q,s,Risk Omission,Rumors-Rumors\na,q2,s,Risk Omission,Rumors-Rumors\n");
        load(&mut shell, 1, url("dup.csv"), &text);
        shell.apply(Action::Dataset(DatasetAction::AcceptValidRows));
        assert_eq!(shell.dataset.current.as_ref().unwrap().skipped_rows, 1);

        let full = round_trip(&shell);
        assert_eq!(full.dataset.status, LoadStatus::Idle);
        let now = full.dataset.current.as_ref().unwrap();
        assert_eq!((now.skipped_rows, now.data.dataset.len()), (1, 2));
        assert_eq!(ids(&full), ids(&shell));
        assert_eq!(now.origin, url("dup.csv"));
    }

    #[test]
    fn bytes_that_read_differently_are_reported_and_the_sample_stays() {
        let mut shell = state();
        load(&mut shell, 1, url("five.csv"), &csv_rows(5));
        let (json, _) = Handover::of(&shell).to_parts();
        // Two rows with the same id: the reader leaves one out, which the shell did not.
        let other = format!(
            "{HEADER}a,q,s,Risk Omission,Rumors-Rumors\na,q,s,Risk Omission,Rumors-Rumors\n"
        );
        let handover = Handover::from_parts(&json, other.into_bytes()).unwrap();
        let full = handover.into_state(prefs());
        assert!(full.dataset.current.as_ref().unwrap().origin.is_sample());
        // Reported as a load that failed, with its located problem.
        let LoadStatus::Failed {
            origin,
            error: LoadError::Invalid(invalid),
        } = &full.dataset.status
        else {
            panic!("a mismatch is reported: {:?}", full.dataset.status);
        };
        assert_eq!(origin, &url("five.csv"));
        assert_eq!(invalid.problems[0].location.row, Some(2));
    }

    #[test]
    fn a_header_that_is_not_json_is_an_error_not_a_panic() {
        let error = Handover::from_parts("{\"dataset\": 3", Vec::new()).unwrap_err();
        assert!(error.contains("shell"), "{error}");
    }
}
