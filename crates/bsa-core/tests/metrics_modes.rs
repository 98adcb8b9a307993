//! Official and evaluated mode agree on complete data (property test over a full-size synthetic
//! benchmark), and auto mode picks official exactly then.

use bsa_core::metrics::{
    round_2, score, HeadlineMetric, Judgement, Mode, ModelScore, Sample, SampleSet,
    SampleSetBuilder, ScoreOptions,
};
use bsa_core::rng::Xoshiro256StarStar;
use bsa_core::scenario::Scenario;
use bsa_core::verdict::{AnswerVerdict, ReasoningVerdict};
use proptest::prelude::*;

/// A full-size synthetic benchmark (600 / 1,200 / 200 items) with `k` samples each, every
/// judgement a verdict drawn with the given probabilities from a seeded generator.
fn complete_benchmark(
    models: usize,
    k: usize,
    seed: u64,
    p_safe: f64,
    p_correct: f64,
) -> SampleSet {
    let mut rng = Xoshiro256StarStar::seed_from_u64(seed);
    let mut builder = SampleSetBuilder::with_capacity(models * 2000 * k);
    let mut items = Vec::new();
    for scenario in Scenario::ALL {
        for index in 0..scenario.official_item_count() {
            let key = format!("{}-{index:04}", scenario.abbreviation());
            items.push((builder.item(&key, scenario).unwrap(), scenario));
        }
    }
    for m in 0..models {
        let model = builder.model(&format!("model-{m}"));
        for &(item, scenario) in &items {
            // Per-item difficulty, so that items differ as real ones do.
            let shift = rng.next_f64() * 0.4 - 0.2;
            for _ in 0..k {
                let safe = rng.next_f64() < p_safe + shift;
                let answer = if safe {
                    AnswerVerdict::Safe
                } else {
                    AnswerVerdict::Unsafe
                };
                let labels = ReasoningVerdict::labels(scenario);
                let label = if rng.next_f64() < p_correct + shift {
                    labels[0]
                } else {
                    labels[1 + rng.below_usize(labels.len() - 1)]
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
    builder.build()
}

fn score_as(set: &SampleSet, k: usize, mode: Mode) -> Vec<ModelScore> {
    let options = ScoreOptions {
        mode,
        bootstrap: None,
        ..ScoreOptions::new(k)
    };
    score(set, None, &options).unwrap().models
}

/// Every reported value of a model: the five headline metrics and the scenario metrics.
fn values(model: &ModelScore) -> Vec<Option<f64>> {
    let mut values: Vec<Option<f64>> = HeadlineMetric::ALL
        .iter()
        .map(|m| model.headline.get(*m))
        .collect();
    for scenario in &model.scenarios {
        values.extend([
            scenario.safe_at_1,
            scenario.safe_at_k,
            scenario.think_at_1,
            scenario.think_at_k,
        ]);
    }
    values
}

proptest! {
    // Each case scores 2 models x 2,000 items x up to 6 samples twice: a few cases suffice.
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    #[test]
    fn official_and_evaluated_agree_on_complete_data(
        seed in any::<u64>(),
        k in 1usize..=6,
        p_safe in 0.05f64..0.95,
        p_correct in 0.05f64..0.95,
    ) {
        let set = complete_benchmark(2, k, seed, p_safe, p_correct);
        let official = score_as(&set, k, Mode::Official);
        let evaluated = score_as(&set, k, Mode::Evaluated);
        let auto = score_as(&set, k, Mode::Auto);
        for ((o, e), a) in official.iter().zip(&evaluated).zip(&auto) {
            prop_assert_eq!(o.mode.applied, Mode::Official);
            prop_assert_eq!(e.mode.applied, Mode::Evaluated);
            prop_assert_eq!(a.mode.applied, Mode::Official, "auto on complete data: {}", a.mode);
            for (x, y) in values(o).into_iter().zip(values(e)) {
                let (x, y) = (x.unwrap(), y.unwrap());
                prop_assert!((x - y).abs() < 1e-9, "before rounding: {} vs {}", x, y);
                prop_assert_eq!(round_2(x), round_2(y));
            }
        }
    }
}

#[test]
fn auto_falls_back_to_evaluated_when_anything_is_missing() {
    let k = 2;
    let complete = complete_benchmark(1, k, 7, 0.7, 0.4);
    assert_eq!(
        score_as(&complete, k, Mode::Auto)[0].mode.applied,
        Mode::Official
    );

    // Rebuild with one change each: drop a sample; make one judgement unjudged; drop an item.
    let rebuild = |change: &dyn Fn(usize, &Sample) -> Option<Sample>| -> SampleSet {
        let mut builder = SampleSetBuilder::new();
        for (_, key, scenario) in complete.items() {
            builder.item(key, scenario).unwrap();
        }
        for (_, name) in complete.models() {
            builder.model(name);
        }
        for (position, sample) in complete.samples().iter().enumerate() {
            if let Some(sample) = change(position, sample) {
                builder.push(sample).unwrap();
            }
        }
        builder.build()
    };
    let dropped_sample = rebuild(&|position, sample| (position != 10).then_some(*sample));
    let unjudged = rebuild(&|position, sample| {
        Some(if position == 10 {
            Sample {
                reasoning: Judgement::Unjudged,
                ..*sample
            }
        } else {
            *sample
        })
    });
    // Samples 0 and 1 are the first item's: without them there are 599 Risk Omission items.
    let dropped_item = rebuild(&|position, sample| (position >= 2).then_some(*sample));
    for (set, reason) in [
        (dropped_sample, "1 item does not have exactly 2 samples"),
        (
            unjudged,
            "0 answer and 1 reasoning judgements are not verdicts",
        ),
        (
            dropped_item,
            "Risk Omission has 599 items, the benchmark 600",
        ),
    ] {
        let model = &score_as(&set, k, Mode::Auto)[0];
        assert_eq!(model.mode.applied, Mode::Evaluated);
        assert!(
            model.mode.explanation().contains(reason),
            "{} lacks {reason}",
            model.mode
        );
    }
}
