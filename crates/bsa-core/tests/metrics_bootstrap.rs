//! Bootstrap intervals and paired comparisons: deterministic for a seed, containing the point
//! estimate, narrowing with more items; paired differences against hand-computed values.

use bsa_core::metrics::{
    compare, score, BootstrapOptions, HeadlineMetric, Judgement, Mode, ModelScore, SampleSet,
    SampleSetBuilder, ScoreOptions,
};
use bsa_core::results::read_judged_csv;
use bsa_core::scenario::Scenario;
use bsa_core::verdict::{AnswerVerdict, ReasoningVerdict};

/// `items_per_scenario[s]` items per scenario, k = 5, with a fixed pattern: item i has
/// `i % 6` safe answers of 5 (capped at 5) and `(i * 7) % 6` correct reasonings (capped at 5), so
/// the per-item rates vary and a set with 10x the items has the same distribution of rates.
fn patterned(models: &[&str], items_per_scenario: [usize; 3]) -> SampleSet {
    let mut builder = SampleSetBuilder::new();
    for name in models {
        let model = builder.model(name);
        for (slot, scenario) in Scenario::ALL.into_iter().enumerate() {
            let labels = ReasoningVerdict::labels(scenario);
            for i in 0..items_per_scenario[slot] {
                let item = builder
                    .item(&format!("{}{i:05}", scenario.abbreviation()), scenario)
                    .unwrap();
                let safe = (i % 6).min(5);
                let correct = ((i * 7) % 6).min(5);
                for sample in 0..5 {
                    let answer = if sample < safe {
                        AnswerVerdict::Safe
                    } else {
                        AnswerVerdict::Unsafe
                    };
                    let label = if sample < correct {
                        labels[0]
                    } else {
                        labels[1]
                    };
                    let reasoning = ReasoningVerdict::parse(scenario, label).unwrap();
                    builder
                        .push_next(
                            model,
                            item,
                            Judgement::Verdict(answer),
                            Judgement::Verdict(reasoning),
                        )
                        .unwrap();
                }
            }
        }
    }
    builder.build()
}

fn with_bootstrap(set: &SampleSet, mode: Mode, seed: u64) -> Vec<ModelScore> {
    let options = ScoreOptions {
        mode,
        bootstrap: Some(BootstrapOptions {
            replicates: 400,
            seed,
            ..BootstrapOptions::default()
        }),
        ..ScoreOptions::new(5)
    };
    score(set, None, &options).unwrap().models
}

#[test]
fn intervals_are_deterministic_for_a_seed_and_change_with_it() {
    let set = patterned(&["m"], [60, 120, 20]);
    let first = with_bootstrap(&set, Mode::Evaluated, 42);
    let again = with_bootstrap(&set, Mode::Evaluated, 42);
    let other = with_bootstrap(&set, Mode::Evaluated, 43);
    assert_eq!(first[0].intervals, again[0].intervals);
    assert_ne!(first[0].intervals, other[0].intervals);
}

#[test]
fn intervals_do_not_depend_on_the_other_models_in_the_file() {
    // Seeds are derived from the model's name, so adding a model before "m" changes nothing.
    let alone = with_bootstrap(&patterned(&["m"], [60, 120, 20]), Mode::Evaluated, 5);
    let together = with_bootstrap(
        &patterned(&["first", "m"], [60, 120, 20]),
        Mode::Evaluated,
        5,
    );
    assert_eq!(alone[0].intervals, together[1].intervals);
}

#[test]
fn intervals_contain_the_point_estimate_in_both_modes() {
    let set = patterned(&["m"], [60, 120, 20]);
    for mode in [Mode::Evaluated, Mode::Official] {
        let model = &with_bootstrap(&set, mode, 1)[0];
        let intervals = model.intervals.unwrap();
        for metric in HeadlineMetric::ALL {
            let point = model.headline.get(metric).unwrap();
            let interval = intervals.get(metric).unwrap();
            assert!(
                interval.contains(point),
                "{mode} {metric:?}: {point} outside {interval:?}"
            );
            assert!(interval.width() > 0.0, "{mode} {metric:?}: {interval:?}");
        }
    }
}

#[test]
fn intervals_narrow_with_more_items() {
    // The same distribution of per-item rates over 10x the items: the standard error of a mean
    // shrinks by sqrt(10) = 3.16, so the width must at least halve.
    let small = &with_bootstrap(&patterned(&["m"], [60, 120, 20]), Mode::Evaluated, 3)[0];
    let large = &with_bootstrap(&patterned(&["m"], [600, 1200, 200]), Mode::Evaluated, 3)[0];
    for metric in HeadlineMetric::ALL {
        let narrow = large.intervals.unwrap().get(metric).unwrap().width();
        let wide = small.intervals.unwrap().get(metric).unwrap().width();
        assert!(narrow < wide / 2.0, "{metric:?}: {narrow} vs {wide}");
    }
}

#[test]
fn no_bootstrap_no_intervals_and_think_without_reasoning_has_none() {
    let set = patterned(&["m"], [6, 12, 2]);
    let options = ScoreOptions {
        bootstrap: None,
        ..ScoreOptions::new(5)
    };
    assert_eq!(
        score(&set, None, &options).unwrap().models[0].intervals,
        None
    );

    let read = read_judged_csv("x", include_bytes!("fixtures/metrics/no_reasoning.csv"));
    let options = ScoreOptions {
        mode: Mode::Evaluated,
        bootstrap: Some(BootstrapOptions {
            replicates: 100,
            ..BootstrapOptions::default()
        }),
        ..ScoreOptions::new(3)
    };
    let card = score(&read.samples, None, &options).unwrap();
    let intervals = card.model("model-n").unwrap().intervals.unwrap();
    assert!(intervals.safe_at_1.is_some());
    assert_eq!((intervals.think_at_1, intervals.f_score), (None, None));
}

#[test]
fn paired_comparison_of_the_two_fixture_models() {
    let read = read_judged_csv("k3", include_bytes!("fixtures/metrics/k3_two_models.csv"));
    let options = ScoreOptions {
        bootstrap: Some(BootstrapOptions {
            replicates: 300,
            seed: 9,
            ..BootstrapOptions::default()
        }),
        ..ScoreOptions::new(3)
    };
    let comparison = compare(&read.samples, "model-a", "model-b", &options).unwrap();
    assert_eq!(comparison.common_items, 4);
    // From metrics_fixtures: Safe@1 a = 75, b = 66.67 -> +8.33; Think@1 a = 50, b = 75 -> -25.
    let safe = &comparison.differences[0];
    assert_eq!(safe.metric, HeadlineMetric::SafeAt1);
    assert!((safe.difference.unwrap() - (75.0 - 200.0 / 3.0)).abs() < 1e-9);
    let think = &comparison.differences[2];
    assert!((think.difference.unwrap() + 25.0).abs() < 1e-9);
    for difference in &comparison.differences {
        let interval = difference.interval.unwrap();
        assert!(
            interval.contains(difference.difference.unwrap()),
            "{difference:?}"
        );
    }
    // Safe-answer rates per item (a vs b): ro1 100 vs 0, ro2 66.67 vs 100, cs1 100 vs 66.67,
    // os1 33.33 vs 100. Largest difference first, ties (33.33 points) by id: cs1 before ro2.
    let order: Vec<&str> = comparison
        .answer_disagreements
        .iter()
        .map(|d| d.item.as_str())
        .collect();
    assert_eq!(order, vec!["ro1", "os1", "cs1", "ro2"]);
    assert_eq!(comparison.answer_disagreements[0].a_rate, 100.0);
    assert_eq!(comparison.answer_disagreements[0].b_rate, 0.0);
    // Correct-reasoning rates: ro1 66.67 vs 100, ro2 0 vs 66.67, cs1 100 vs 33.33,
    // os1 33.33 vs 100: three differences of 66.67 (by id) then ro1's 33.33.
    let order: Vec<&str> = comparison
        .reasoning_disagreements
        .iter()
        .map(|d| d.item.as_str())
        .collect();
    assert_eq!(order, vec!["cs1", "os1", "ro2", "ro1"]);
    assert_eq!(
        comparison.reasoning_disagreements[0].scenario,
        Scenario::CognitiveShortcut
    );
}

#[test]
fn a_model_compared_with_an_identical_copy_differs_by_nothing() {
    let set = patterned(&["a", "b"], [30, 60, 10]);
    let options = ScoreOptions {
        bootstrap: Some(BootstrapOptions {
            replicates: 200,
            ..BootstrapOptions::default()
        }),
        ..ScoreOptions::new(5)
    };
    let comparison = compare(&set, "a", "b", &options).unwrap();
    assert_eq!(comparison.common_items, 100);
    for difference in &comparison.differences {
        assert_eq!(difference.difference, Some(0.0));
        let interval = difference.interval.unwrap();
        assert_eq!((interval.low, interval.high), (0.0, 0.0));
    }
    assert!(comparison.answer_disagreements.is_empty());
    assert!(compare(&set, "a", "nobody", &options).is_err());
    // Deterministic for a seed.
    assert_eq!(compare(&set, "a", "b", &options).unwrap(), comparison);
}
