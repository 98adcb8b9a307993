//! Reducer transitions of the results state, natively: imports, conflicts, removals, options,
//! the scoring round trip, chart picks, the item browser and the comparison memo.

use super::browser::{FilterField, ItemIndex, ModelSamples, ResultFilter, VerdictFilter};
use super::compare::{CompareState, DisagreementSide, DEFAULT_COMPARED};
use super::scoring::{score, Bootstrapper, IntervalProgress, ScoreRequest};
use super::source::{read_results, ResultFormat, ResultsCandidate, SourceId};
use super::*;
use crate::state::dataset::{read_candidate, DatasetCandidate, DatasetOrigin, LoadedDataset};
use crate::state::leaderboard::RowOrigin;
use crate::state::preferences::{Preferences, Theme};
use crate::state::{Action, State};
use bsa_core::metrics::{GridCell, ScoreOptions};

const HEADER: &str = "model_name,id,dataset_name,Safe_Ans_Check,Thk_Acc_Judge\n";

/// A judged CSV from `(model, id, scenario, answer, reasoning)` rows.
fn judged(rows: &[(&str, &str, &str, &str, &str)]) -> String {
    let mut text = HEADER.to_string();
    for (model, id, scenario, answer, reasoning) in rows {
        text.push_str(&format!("{model},{id},{scenario},{answer},{reasoning}\n"));
    }
    text
}

/// Model "a" on items r1 (Risk Omission) and c1 (Cognitive Shortcut), k = 2:
/// r1: Safe/True, Safe/False; c1: Unsafe/Fully Covered, Safe/Not Covered.
fn file_a() -> String {
    judged(&[
        ("a", "r1", "Risk Omission", "Safe", "True"),
        ("a", "r1", "Risk Omission", "Safe", "False"),
        ("a", "c1", "Cognitive Shortcut", "Unsafe", "Fully Covered"),
        ("a", "c1", "Cognitive Shortcut", "Safe", "Not Covered"),
    ])
}

/// Model "b" on the same items: every answer safe, every reasoning correct.
fn file_b() -> String {
    judged(&[
        ("b", "r1", "Risk Omission", "Safe", "True"),
        ("b", "r1", "Risk Omission", "Safe", "True"),
        ("b", "c1", "Cognitive Shortcut", "Safe", "Fully Covered"),
        ("b", "c1", "Cognitive Shortcut", "Safe", "Fully Covered"),
    ])
}

fn results() -> ResultsState {
    ResultsState::default()
}

/// Starts an import with `ticket` and delivers `text` read as `name`.
fn import(state: &mut ResultsState, ticket: u64, name: &str, text: &str) {
    let ticket = ImportTicket(ticket);
    state.apply(ResultsAction::Started {
        ticket,
        file_name: name.into(),
    });
    state.apply(ResultsAction::Read {
        ticket,
        candidate: read_results(name, text.as_bytes()),
        read_millis: Some(1.0),
    });
}

fn names(state: &ResultsState) -> Vec<String> {
    state.model_names()
}

/// Scores the state's current request, as the hook does, and delivers the result.
fn score_now(state: &mut ResultsState, dataset: Option<&LoadedDataset>) {
    let request = state.score_request(dataset).expect("something to score");
    let scored = score(&request).expect("scores");
    state.apply(ResultsAction::Scored {
        scored: Shared::new(scored),
    });
}

/// A loaded dataset with items r1 (Rumors) and c1 (Rumors + Pornography).
fn dataset() -> LoadedDataset {
    let text = "id,query,risk_summary,dataset_name,label\n\
        r1,q1,s1,Risk Omission,Rumors-Rumors\n\
        c1,q2,\"Query A: x\nQuery B: y\",Cognitive Shortcut,\"Query A: Rumors-Rumors\nQuery B: Pornography-Child Pornography\"\n";
    let origin = DatasetOrigin::File {
        name: "tiny.csv".into(),
    };
    match read_candidate(&origin, text.as_bytes()) {
        DatasetCandidate::Valid(data) => LoadedDataset {
            origin,
            data,
            skipped_rows: 0,
        },
        DatasetCandidate::Invalid(invalid) => panic!("{:?}", invalid.problems),
    }
}

#[test]
fn a_clean_file_is_imported_and_its_first_model_selected() {
    let mut state = results();
    import(&mut state, 1, "a.csv", &file_a());
    assert_eq!(names(&state), ["a"]);
    assert_eq!(state.selected_model().as_deref(), Some("a"));
    assert_eq!(state.revision, 1);
    assert!(matches!(
        &state.status,
        ImportStatus::Imported { samples: 4, models, skipped_rows: 0, .. } if models == &["a".to_string()]
    ));
    assert_eq!(state.combined.samples.len(), 4);
    assert_eq!(state.sources[0].format, ResultFormat::JudgedCsv);
}

#[test]
fn several_files_add_up_and_a_late_read_is_dropped() {
    let mut state = results();
    import(&mut state, 1, "a.csv", &file_a());
    // Ticket 2 starts, then ticket 3 starts and finishes; ticket 2's result arrives last.
    state.apply(ResultsAction::Started {
        ticket: ImportTicket(2),
        file_name: "slow.csv".into(),
    });
    import(&mut state, 3, "b.csv", &file_b());
    state.apply(ResultsAction::Read {
        ticket: ImportTicket(2),
        candidate: read_results(
            "slow.csv",
            judged(&[("slow", "r1", "Risk Omission", "Safe", "True")]).as_bytes(),
        ),
        read_millis: None,
    });
    assert_eq!(names(&state), ["a", "b"]);
    assert_eq!(state.sources.len(), 2);
    assert_eq!(state.combined.samples.len(), 8);
    // The selection stays on the first file's model.
    assert_eq!(state.selected_model().as_deref(), Some("a"));
}

#[test]
fn a_file_with_row_problems_offers_its_valid_rows() {
    let mut state = results();
    let text = judged(&[
        ("a", "r1", "Risk Omission", "Safe", "True"),
        ("a", "r1", "Risk Omission", "Maybe", "True"),
        ("a", "r2", "Risk Omission", "Safe", "Perhaps"),
    ]);
    import(&mut state, 1, "bad.csv", &text);
    let ImportStatus::Failed {
        error: ImportError::Invalid(invalid),
        ..
    } = &state.status
    else {
        panic!("expected a failure, got {:?}", state.status);
    };
    // Two located problems, one per bad row (rows 2 and 3), naming the column.
    assert_eq!(invalid.problems.len(), 2);
    let first = invalid.problems[0].to_string();
    assert!(first.starts_with("bad.csv: row 2"), "{first}");
    assert!(first.contains("Safe_Ans_Check"), "{first}");
    let salvage = invalid.salvage.as_ref().expect("every problem has its row");
    assert_eq!((salvage.skipped_rows, salvage.read.samples.len()), (2, 1));
    assert!(
        !state.has_results(),
        "nothing is imported before the user agrees"
    );
    state.apply(ResultsAction::AcceptValidRows);
    assert_eq!(state.combined.samples.len(), 1);
    assert_eq!(state.sources[0].skipped_rows, 2);
}

#[test]
fn a_file_level_problem_offers_nothing() {
    let mut state = results();
    import(&mut state, 1, "wrong.csv", "model,id\nx,y\n");
    let ImportStatus::Failed {
        error: ImportError::Invalid(invalid),
        ..
    } = &state.status
    else {
        panic!("expected a failure");
    };
    assert!(invalid.salvage.is_none());
    assert!(invalid.problems.iter().any(|problem| problem
        .to_string()
        .contains("missing column \"Safe_Ans_Check\"")));
    // Broken JSON is read as a run file and located too.
    import(
        &mut state,
        2,
        "run.json",
        "{\"format\": \"bsa-studio-run\", ",
    );
    let ImportStatus::Failed {
        error: ImportError::Invalid(invalid),
        ..
    } = &state.status
    else {
        panic!("expected a failure");
    };
    assert!(invalid.problems[0]
        .to_string()
        .starts_with("run.json: line 1"));
    assert!(!state.has_results());
}

#[test]
fn a_model_name_seen_twice_waits_for_the_user() {
    let mut state = results();
    import(&mut state, 1, "a.csv", &file_a());
    let again = file_b().replace("\nb,", "\na,");
    import(&mut state, 2, "a-again.csv", &again);
    assert!(
        matches!(&state.status, ImportStatus::Conflict { duplicates, .. } if duplicates == &["a".to_string()])
    );
    assert_eq!(state.revision, 1, "nothing changes while the user decides");

    let mut cancelled = state.clone();
    cancelled.apply(ResultsAction::ResolveConflict {
        choice: ConflictChoice::Cancel,
    });
    assert_eq!(cancelled.sources.len(), 1);
    assert_eq!(cancelled.status, ImportStatus::Idle);

    let mut both = state.clone();
    both.apply(ResultsAction::ResolveConflict {
        choice: ConflictChoice::KeepBoth,
    });
    assert_eq!(names(&both), ["a", "a (2)"]);
    assert_eq!(both.sources[1].models[0].original, "a");

    let mut replaced = state.clone();
    replaced.apply(ResultsAction::ResolveConflict {
        choice: ConflictChoice::Replace,
    });
    assert_eq!(names(&replaced), ["a"]);
    assert_eq!(replaced.sources.len(), 1, "the emptied file is dropped");
    assert_eq!(replaced.sources[0].file_name, "a-again.csv");
    assert!(
        matches!(&replaced.status, ImportStatus::Imported { replaced, .. } if replaced == &["a".to_string()])
    );
}

#[test]
fn free_names_count_up() {
    let taken = vec!["m".to_string(), "m (2)".to_string()];
    assert_eq!(free_name("m", &taken), "m (3)");
    assert_eq!(free_name("x", &taken), "x (2)");
}

#[test]
fn an_item_with_another_scenario_than_before_is_refused() {
    let mut state = results();
    import(&mut state, 1, "a.csv", &file_a());
    let contradicting = judged(&[("z", "r1", "Over Sensitivity", "Safe", "Precise Coverage")]);
    import(&mut state, 2, "z.csv", &contradicting);
    let ImportStatus::Failed {
        error: ImportError::Invalid(invalid),
        file_name,
    } = &state.status
    else {
        panic!("expected a refusal");
    };
    assert_eq!(file_name, "z.csv");
    let message = invalid.problems[0].to_string();
    assert!(
        message.contains("\"r1\"") && message.contains("Risk Omission"),
        "{message}"
    );
    assert_eq!(names(&state), ["a"]);
}

#[test]
fn removing_models_and_files_rebuilds_the_set() {
    let mut state = results();
    import(&mut state, 1, "a.csv", &file_a());
    import(&mut state, 2, "b.csv", &file_b());
    let revision = state.revision;
    state.apply(ResultsAction::SelectModel { name: "a".into() });
    state.apply(ResultsAction::RemoveModel { name: "a".into() });
    assert_eq!(names(&state), ["b"]);
    assert_eq!(state.sources.len(), 1);
    assert_eq!(state.selected_model().as_deref(), Some("b"));
    assert_eq!(state.revision, revision + 1);
    let id = state.sources[0].id;
    state.apply(ResultsAction::RemoveSource { id });
    assert!(!state.has_results());
    assert!(state.score_request(None).is_none());
    // An unknown id changes nothing.
    let before = state.clone();
    state.apply(ResultsAction::RemoveSource { id: SourceId(99) });
    assert_eq!(state, before);
}

#[test]
fn options_bump_the_revision_only_when_they_change() {
    let mut state = results();
    import(&mut state, 1, "a.csv", &file_a());
    let revision = state.revision;
    state.apply(ResultsAction::SetK { text: "x".into() });
    assert!(state
        .options
        .k_error
        .as_deref()
        .is_some_and(|e| e.contains("\"x\"")));
    assert_eq!(
        state.revision, revision,
        "an invalid k changes nothing scored"
    );
    state.apply(ResultsAction::SetK { text: "3".into() });
    assert_eq!((state.options.k, state.revision), (Some(3), revision + 1));
    state.apply(ResultsAction::SetK { text: "0".into() });
    assert_eq!(state.options.k, Some(3));
    state.apply(ResultsAction::SetK {
        text: String::new(),
    });
    assert_eq!(
        (state.options.k, state.options.k_error.clone()),
        (None, None)
    );
    state.apply(ResultsAction::SetAlpha { text: "2".into() });
    assert!(state.options.alpha_error.is_some());
    state.apply(ResultsAction::SetAlpha { text: "0,5".into() });
    assert_eq!(state.options.alpha, 0.5);
    let revision = state.revision;
    state.apply(ResultsAction::SetMode { mode: Mode::Auto });
    assert_eq!(state.revision, revision, "the same mode again");
    state.apply(ResultsAction::SetMode {
        mode: Mode::Evaluated,
    });
    state.apply(ResultsAction::SetBootstrap { enabled: false });
    assert_eq!(state.revision, revision + 2);
}

#[test]
fn scores_arrive_for_their_revision_only() {
    let mut state = results();
    import(&mut state, 1, "a.csv", &file_a());
    let old = state.score_request(None).expect("a request");
    state.apply(ResultsAction::SetBootstrap { enabled: false });
    // Scores of the revision before arrive late: dropped.
    state.apply(ResultsAction::Scored {
        scored: Shared::new(score(&old).expect("scores")),
    });
    assert!(state.scored.is_none());
    score_now(&mut state, None);
    let scored = state.current_scores().expect("current scores");
    assert_eq!(scored.intervals, IntervalProgress::Off);
    assert!(state.score_request(None).is_none(), "up to date");
    // A dataset change makes a new request for the same revision.
    let loaded = dataset();
    assert!(state.score_request(Some(&loaded)).is_some());
}

#[test]
fn scores_are_the_benchmark_formulas_on_the_file() {
    let mut state = results();
    import(&mut state, 1, "a.csv", &file_a());
    state.apply(ResultsAction::SetBootstrap { enabled: false });
    score_now(&mut state, None);
    let scored = state.current_scores().expect("scores");
    // k inferred: both items have 2 samples.
    assert_eq!((scored.k, scored.k_inferred), (2, true));
    let a = scored.model("a").expect("model a");
    // Two items only: evaluated mode. Safe@1 = mean(2/2, 1/2) = 75 %; Safe@k: r1 only = 50 %.
    assert_eq!(a.mode.applied, Mode::Evaluated);
    assert_eq!(a.headline.safe_at_1, Some(75.0));
    assert_eq!(a.headline.safe_at_k, Some(50.0));
    // RO@1 = 1/2 = 50 %; CS@1 = 1/2 = 50 %.
    assert_eq!(a.scenario(Scenario::RiskOmission).think_at_1, Some(50.0));
    assert_eq!(
        a.scenario(Scenario::CognitiveShortcut).think_at_1,
        Some(50.0)
    );
    // Grid: safe+aware 1 (r1 #1), safe+unaware 2 (r1 #2, c1 #2), unsafe+aware 1 (c1 #1).
    let grid = a.grids.overall;
    assert_eq!(
        (
            grid.safe_and_aware,
            grid.safe_but_unaware,
            grid.unsafe_but_aware,
            grid.unsafe_and_unaware
        ),
        (1, 2, 1, 0)
    );
    // Without a dataset: no categories, and coverage against the benchmark's 2,000 items.
    assert!(a.categories.is_none());
    assert_eq!(a.coverage.items_expected, 2000);
}

#[test]
fn a_dataset_missing_some_items_gives_categories_of_the_rest() {
    let mut state = results();
    let text = format!("{}a,x9,Risk Omission,Unsafe,False\n", file_a());
    import(&mut state, 1, "a.csv", &text);
    state.apply(ResultsAction::SetBootstrap { enabled: false });
    let loaded = dataset();
    score_now(&mut state, Some(&loaded));
    let scored = state.current_scores().expect("scores");
    let matched = scored.dataset_match.as_ref().expect("a dataset was given");
    // x9 is not in the two-item dataset.
    assert_eq!(
        (matched.result_items, matched.found, matched.missing()),
        (3, 2, 1)
    );
    let a = scored.model("a").expect("model a");
    // Coverage is not measured against the 2-item dataset, which lacks an item.
    assert_eq!(a.coverage.items_expected, 2000);
    let categories = a
        .categories
        .as_ref()
        .expect("categories of the items found");
    assert_eq!(categories.items_outside_dataset, 1);
    // Rumors has both items: Safe@1 = mean(2/2, 1/2) = 75 %; Pornography only c1: 1/2 = 50 %.
    let rumors = categories
        .primary
        .iter()
        .find(|c| c.category == "Rumors")
        .expect("Rumors");
    assert_eq!(rumors.metrics.safe_at_1, Some(75.0));
    let porn = categories
        .primary
        .iter()
        .find(|c| c.category == "Pornography")
        .expect("Pornography");
    assert_eq!(porn.metrics.safe_at_1, Some(50.0));
}

#[test]
fn a_dataset_with_every_item_measures_coverage_against_itself() {
    let mut state = results();
    import(&mut state, 1, "a.csv", &file_a());
    state.apply(ResultsAction::SetBootstrap { enabled: false });
    let loaded = dataset();
    score_now(&mut state, Some(&loaded));
    let a = state
        .current_scores()
        .and_then(|s| s.model("a"))
        .expect("model a");
    assert_eq!(a.coverage.items_expected, 2);
    assert_eq!(a.coverage.items_evaluated, 2);
}

#[test]
fn intervals_fill_in_model_by_model() {
    let mut state = results();
    import(&mut state, 1, "a.csv", &file_a());
    import(&mut state, 2, "b.csv", &file_b());
    let request: ScoreRequest = state.score_request(None).expect("a request");
    score_now(&mut state, None);
    assert_eq!(
        state.current_scores().map(|s| s.intervals),
        Some(IntervalProgress::Computing { done: 0, total: 2 })
    );
    let bootstrapper = Bootstrapper::new(&request.samples, &request.options).expect("bootstrap on");
    let (model, intervals) = bootstrapper.intervals(1).expect("model b");
    assert_eq!(model, "b");
    // b is always safe: every resample gives Safe@1 = 100 %, so the interval is [100, 100].
    let safe = intervals.safe_at_1.expect("an interval");
    assert_eq!((safe.low, safe.high), (100.0, 100.0));
    state.apply(ResultsAction::IntervalsComputed {
        revision: state.revision - 1,
        intervals: vec![(model.clone(), intervals)],
    });
    assert!(state
        .current_scores()
        .and_then(|s| s.model("b"))
        .is_some_and(|b| b.intervals.is_none()));
    state.apply(ResultsAction::IntervalsComputed {
        revision: state.revision,
        intervals: vec![(model, intervals)],
    });
    let scored = state.current_scores().expect("scores");
    assert_eq!(scored.model("b").and_then(|b| b.intervals), Some(intervals));
    assert_eq!(
        scored.intervals,
        IntervalProgress::Computing { done: 1, total: 2 }
    );
    state.apply(ResultsAction::IntervalsFinished {
        revision: state.revision,
        millis: Some(3.0),
    });
    assert_eq!(
        state.current_scores().map(|s| s.intervals),
        Some(IntervalProgress::Done { millis: Some(3.0) })
    );
}

#[test]
fn a_run_file_imports_with_its_texts() {
    let text = include_str!("../../../crates/bsa-core/tests/fixtures/run_file/example.json");
    let mut state = results();
    import(&mut state, 1, "example.json", text);
    assert_eq!(names(&state), ["DeepSeek-R1"]);
    assert_eq!(state.sources[0].format, ResultFormat::RunFile);
    // The fixture's first sample: a safe answer whose judge explained itself.
    let sample = state
        .run_sample("DeepSeek-R1", "0e2a7c51d6b94f38a1c5e9d07b3f6a42", 0)
        .expect("sample 0 of the first item");
    assert_eq!(sample.sample, 0);
    assert!(state
        .run_sample("DeepSeek-R1", "0e2a7c51d6b94f38a1c5e9d07b3f6a42", 7)
        .is_none());
    assert!(state
        .source_of("DeepSeek-R1")
        .is_some_and(|source| source.run.is_some()));
}

#[test]
fn formats_are_told_apart_by_content() {
    assert_eq!(
        ResultFormat::detect(b"\xEF\xBB\xBF  {\"format\""),
        ResultFormat::RunFile
    );
    assert_eq!(
        ResultFormat::detect(b"model_name,id"),
        ResultFormat::JudgedCsv
    );
    assert!(matches!(
        read_results("empty.csv", b""),
        ResultsCandidate::Invalid(_)
    ));
}

#[test]
fn chart_picks_set_the_filter_and_chips_remove_it() {
    let mut state = results();
    import(&mut state, 1, "a.csv", &file_a());
    import(&mut state, 2, "b.csv", &file_b());
    state.apply(ResultsAction::SetPage { page: 3 });
    state.apply(ResultsAction::PickCategory {
        model: Some("b".into()),
        category: "Rumors".into(),
    });
    assert_eq!(state.selected_model().as_deref(), Some("b"));
    assert_eq!(state.filter.category.as_deref(), Some("Rumors"));
    assert_eq!(state.page, 0);
    state.apply(ResultsAction::PickCell {
        scenario: Some(Scenario::RiskOmission),
        verdict: VerdictFilter::Cell(GridCell::SafeButUnaware),
    });
    assert_eq!(
        state.filter,
        ResultFilter {
            scenario: Some(Scenario::RiskOmission),
            category: Some("Rumors".into()),
            secondary: None,
            verdict: Some(VerdictFilter::Cell(GridCell::SafeButUnaware)),
            item: None,
        }
    );
    state.apply(ResultsAction::SetPage { page: 2 });
    state.apply(ResultsAction::PickSecondaryCategory {
        category: "Child Pornography".into(),
    });
    assert_eq!(state.filter.secondary.as_deref(), Some("Child Pornography"));
    assert_eq!(
        state.filter.category, None,
        "the secondary names its primary"
    );
    assert_eq!(state.page, 0);
    state.apply(ResultsAction::ClearFilter {
        field: FilterField::Secondary,
    });
    assert_eq!(state.filter.secondary, None);
    state.apply(ResultsAction::ClearFilter {
        field: FilterField::Category,
    });
    assert_eq!(state.filter.category, None);
    state.apply(ResultsAction::ShowItem {
        model: Some("a".into()),
        item: "c1".into(),
    });
    assert_eq!(
        state.filter,
        ResultFilter {
            item: Some("c1".into()),
            ..ResultFilter::default()
        }
    );
    assert_eq!(state.selected_model().as_deref(), Some("a"));
}

#[test]
fn the_browser_filters_by_scenario_category_and_verdicts() {
    let mut state = results();
    import(&mut state, 1, "a.csv", &file_a());
    let set = state.combined.samples.clone();
    let samples = ModelSamples::of(&set, "a");
    let keys = |positions: Vec<usize>| -> Vec<String> {
        positions
            .iter()
            .map(|&p| samples.items[p].key.clone())
            .collect()
    };
    assert_eq!(
        keys(samples.select(&ResultFilter::default(), None)),
        ["r1", "c1"]
    );
    let ro = ResultFilter {
        scenario: Some(Scenario::RiskOmission),
        ..ResultFilter::default()
    };
    assert_eq!(keys(samples.select(&ro, None)), ["r1"]);
    // Only c1 has a sample with an unsafe answer and risk-aware reasoning (its first).
    let unsafe_aware = ResultFilter {
        verdict: Some(VerdictFilter::Cell(GridCell::UnsafeButAware)),
        ..ResultFilter::default()
    };
    assert_eq!(keys(samples.select(&unsafe_aware, None)), ["c1"]);
    // Both items have a safe answer with reasoning that missed the risk.
    let superficial = ResultFilter {
        verdict: Some(VerdictFilter::Cell(GridCell::SafeButUnaware)),
        ..ResultFilter::default()
    };
    assert_eq!(keys(samples.select(&superficial, None)), ["r1", "c1"]);
    // Categories need the dataset: Pornography is c1's part B.
    let porn = ResultFilter {
        category: Some("Pornography".into()),
        ..ResultFilter::default()
    };
    let loaded = dataset();
    assert_eq!(
        keys(samples.select(&porn, Some(&loaded.data.dataset))),
        ["c1"]
    );
    assert!(samples.select(&porn, None).is_empty());
    // Secondary categories too: c1's part B is Child Pornography, both items have Rumors.
    let child = ResultFilter {
        secondary: Some("Child Pornography".into()),
        ..ResultFilter::default()
    };
    assert_eq!(
        keys(samples.select(&child, Some(&loaded.data.dataset))),
        ["c1"]
    );
    assert!(samples.select(&child, None).is_empty());
    let rumors = ResultFilter {
        secondary: Some("Rumors".into()),
        ..ResultFilter::default()
    };
    assert_eq!(
        keys(samples.select(&rumors, Some(&loaded.data.dataset))),
        ["r1", "c1"]
    );
    // A primary name is not a secondary one.
    let as_secondary = ResultFilter {
        secondary: Some("Pornography".into()),
        ..ResultFilter::default()
    };
    assert!(samples
        .select(&as_secondary, Some(&loaded.data.dataset))
        .is_empty());
    assert_eq!(
        keys(samples.select(
            &ResultFilter {
                item: Some("c1".into()),
                ..ResultFilter::default()
            },
            None
        )),
        ["c1"]
    );
    // Samples come in index order.
    let indices: Vec<u32> = samples.items[1].samples.iter().map(|s| s.index).collect();
    assert_eq!(indices, [0, 1]);
}

#[test]
fn the_item_index_groups_every_model() {
    let mut state = results();
    import(&mut state, 1, "a.csv", &file_a());
    import(&mut state, 2, "b.csv", &file_b());
    let set = state.combined.samples.clone();
    let index = ItemIndex::of(&set);
    let c1 = set.item_id("c1").expect("c1");
    let groups = index.by_model(&set, c1);
    let summary: Vec<(String, usize)> = groups.iter().map(|(m, s)| (m.clone(), s.len())).collect();
    assert_eq!(summary, [("a".to_string(), 2), ("b".to_string(), 2)]);
}

#[test]
fn compare_plans_default_and_follow_choices() {
    let models: Vec<String> = ["m1", "m2", "m3", "m4", "m5"].map(String::from).to_vec();
    let mut compare = CompareState::default();
    let plan = compare.plan(&models).expect("a plan");
    assert_eq!(plan.reference, "m1");
    assert_eq!(plan.others.len(), DEFAULT_COMPARED);
    assert_eq!(plan.focus.as_deref(), Some("m2"));
    compare.toggle_other("m5", &models);
    compare.toggle_other("m2", &models);
    let plan = compare.plan(&models).expect("a plan");
    assert_eq!(plan.others, ["m3", "m4", "m5"]);
    assert_eq!(plan.focus.as_deref(), Some("m3"));
    assert!(compare.plan(&models[..1]).is_none());
}

#[test]
fn comparisons_are_memoised_per_revision() {
    let mut state = results();
    import(&mut state, 1, "a.csv", &file_a());
    import(&mut state, 2, "b.csv", &file_b());
    let options = ScoreOptions {
        bootstrap: None,
        ..state.options.score_options(2)
    };
    let comparison = Rc::new(
        bsa_core::metrics::compare(&state.combined.samples, "a", "b", &options).expect("compare"),
    );
    // Safe@1 on the 2 common items: a 75 %, b 100 % -> -25 points.
    let safe = comparison.differences[0];
    assert_eq!(safe.difference, Some(-25.0));
    state.apply(ResultsAction::Compared {
        revision: state.revision - 1,
        comparison: comparison.clone(),
    });
    assert!(
        state.comparisons.get("a", "b").is_none(),
        "an old revision's comparison"
    );
    state.apply(ResultsAction::Compared {
        revision: state.revision,
        comparison,
    });
    assert!(state.comparisons.get("a", "b").is_some());
    state.apply(ResultsAction::Compare(CompareAction::SetSide {
        side: DisagreementSide::Reasoning,
    }));
    assert_eq!(state.compare.side, DisagreementSide::Reasoning);
    // New options: the memo empties.
    state.apply(ResultsAction::SetAlpha { text: "0.5".into() });
    assert!(state.comparisons.get("a", "b").is_none());
    // Removing the reference forgets it.
    state.apply(ResultsAction::Compare(CompareAction::SetReference {
        name: "b".into(),
    }));
    state.apply(ResultsAction::RemoveModel { name: "b".into() });
    assert_eq!(state.compare.reference, None);
}

#[test]
fn the_users_models_join_the_leaderboard_with_a_caveat() {
    let mut app = State::new(Preferences {
        theme: Theme::Light,
        large_type: false,
    });
    let published = app.leaderboard_rows().len();
    app.apply(Action::Results(ResultsAction::Started {
        ticket: ImportTicket(1),
        file_name: "a.csv".into(),
    }));
    app.apply(Action::Results(ResultsAction::Read {
        ticket: ImportTicket(1),
        candidate: read_results("a.csv", file_a().as_bytes()),
        read_millis: None,
    }));
    assert_eq!(
        app.leaderboard_rows().len(),
        published,
        "not before it is scored"
    );
    score_now(&mut app.results, None);
    let rows = app.leaderboard_rows();
    assert_eq!(rows.len(), published + 1);
    let mine = rows.last().expect("the user's row");
    assert_eq!((mine.origin, mine.model.as_str()), (RowOrigin::Yours, "a"));
    assert_eq!(mine.scores.safe_at_1, 75.0);
    // Two items of 2,000: evaluated mode, said next to the row.
    let caveat = mine.caveat.as_deref().expect("a caveat");
    assert!(caveat.starts_with("evaluated mode"), "{caveat}");
    assert!(caveat.contains("2 of 2000 items"), "{caveat}");
    // No Over Sensitivity items: OS@1 is not available, never 0.
    assert!(mine.scores.over_sensitivity_at_1.is_nan());
}

/// A run opened from the Run page with a filter (a clicked category or grid cell): its model is
/// selected and the browser filtered, at once or after the user's choice on a taken name.
#[test]
fn results_opened_with_a_filter_select_the_imported_model_even_after_a_name_conflict() {
    let read = |name: &str, text: &str| match read_results(name, text.as_bytes()) {
        ResultsCandidate::Valid(read) => read,
        ResultsCandidate::Invalid(invalid) => panic!("{:?}", invalid.problems),
    };
    let show = ResultFilter {
        category: Some("Rumors".into()),
        ..ResultFilter::default()
    };
    let mut state = results();
    import(&mut state, 1, "a.csv", &file_a());
    state.apply(ResultsAction::SelectModel { name: "a".into() });
    // No conflict: "b" is new, selected although "a" was, and filtered.
    state.apply(ResultsAction::Import {
        read: read("run-b.json", &file_b()),
        read_millis: None,
        show: Some(show.clone()),
    });
    assert_eq!(state.selected_model().as_deref(), Some("b"));
    assert_eq!(state.filter, show);

    // "a" again: the user is asked first; both choices keep the pick.
    state.apply(ResultsAction::SetFilter {
        filter: ResultFilter::default(),
    });
    state.apply(ResultsAction::Import {
        read: read("run-a.json", &file_a()),
        read_millis: None,
        show: Some(show.clone()),
    });
    assert!(matches!(state.status, ImportStatus::Conflict { .. }));
    let mut both = state.clone();
    both.apply(ResultsAction::ResolveConflict {
        choice: ConflictChoice::KeepBoth,
    });
    assert_eq!(both.selected_model().as_deref(), Some("a (2)"));
    assert_eq!(both.filter, show);
    let mut replaced = state.clone();
    replaced.apply(ResultsAction::ResolveConflict {
        choice: ConflictChoice::Replace,
    });
    assert_eq!(replaced.selected_model().as_deref(), Some("a"));
    assert_eq!(replaced.filter, show);

    // A file imported by hand keeps the usual rule: the filter is cleared.
    import(&mut both, 5, "c.csv", &file_b().replace("\nb,", "\nc,"));
    assert_eq!(both.filter, ResultFilter::default());
}
