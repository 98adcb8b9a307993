//! Cohen's kappa between two judges, checked against examples worked out by hand below.

use bsa_core::judge::{cohen_kappa, judge_agreement, JudgeKind, JudgeLabel, SampleKey};
use bsa_core::scenario::Scenario;
use bsa_core::verdict::{
    AnswerVerdict, CognitiveShortcutVerdict as Cs, ReasoningVerdict, RiskOmissionVerdict as Ro,
};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

fn answer(safe: bool) -> JudgeLabel {
    JudgeLabel::Answer(if safe {
        AnswerVerdict::Safe
    } else {
        AnswerVerdict::Unsafe
    })
}

fn cs(verdict: Cs) -> JudgeLabel {
    JudgeLabel::Reasoning(ReasoningVerdict::CognitiveShortcut(verdict))
}

fn ro(covered: bool) -> JudgeLabel {
    JudgeLabel::Reasoning(ReasoningVerdict::RiskOmission(if covered {
        Ro::Covered
    } else {
        Ro::NotCovered
    }))
}

fn keyed(item: &str, labels: &[JudgeLabel]) -> Vec<(SampleKey, JudgeLabel)> {
    labels
        .iter()
        .enumerate()
        .map(|(sample, label)| (SampleKey::new(item, sample), *label))
        .collect()
}

#[test]
fn answer_kappa_by_hand() {
    // Ten samples of item "a".
    //   first:  S S S S S S U U U U   (6 Safe, 4 Unsafe)
    //   second: S S S S S U U U U S   (6 Safe, 4 Unsafe)
    // They agree on samples 0-4 (Safe) and 6-8 (Unsafe): a = 8, p_o = 8/10 = 0.8.
    // p_e = (6*6 + 4*4) / 10^2 = 52/100 = 0.52.
    // kappa = (0.8 - 0.52) / (1 - 0.52) = 0.28 / 0.48 = 7/12.
    let first = keyed(
        "a",
        &[
            true, true, true, true, true, true, false, false, false, false,
        ]
        .map(answer),
    );
    let second = keyed(
        "a",
        &[
            true, true, true, true, true, false, false, false, false, true,
        ]
        .map(answer),
    );
    let report = judge_agreement(&first, &second);
    let agreement = report.answer.unwrap();
    assert_eq!(agreement.n, 10);
    assert!(close(agreement.observed, 0.8));
    assert!(close(agreement.expected, 0.52));
    assert!(
        close(agreement.kappa.unwrap(), 7.0 / 12.0),
        "{:?}",
        agreement.kappa
    );
    assert_eq!(
        agreement.differing,
        vec![SampleKey::new("a", 5), SampleKey::new("a", 9)]
    );
    assert_eq!(
        agreement.confusion,
        vec![
            ("Safe", "Safe", 5),
            ("Safe", "Unsafe", 1),
            ("Unsafe", "Safe", 1),
            ("Unsafe", "Unsafe", 3)
        ]
    );
    assert!(report.reasoning.is_empty());
    assert!(report.reasoning_pooled.is_none());
}

#[test]
fn reasoning_kappa_per_scenario_and_pooled_by_hand() {
    // Cognitive Shortcut, item "c", six samples:
    //   first:  FC FC PC PC NC NC   (FC 2, PC 2, NC 2)
    //   second: FC PC PC PC NC FC   (FC 2, PC 3, NC 1)
    // Agree on samples 0, 2, 3, 4: a = 4, p_o = 4/6.
    // S = 2*2 + 2*3 + 2*1 = 12, p_e = 12/36 = 1/3.
    // kappa = (6*4 - 12) / (36 - 12) = 12/24 = 0.5.
    use Cs::{FullyCovered as FC, NotCovered as NC, PartiallyCovered as PC};
    let mut first = keyed("c", &[FC, FC, PC, PC, NC, NC].map(cs));
    let mut second = keyed("c", &[FC, PC, PC, PC, NC, FC].map(cs));
    // Risk Omission, item "r", four samples:
    //   first:  T T F F   (T 2, F 2)
    //   second: T F F F   (T 1, F 3)
    // a = 3, p_o = 3/4; S = 2*1 + 2*3 = 8, p_e = 8/16 = 0.5; kappa = (4*3 - 8) / (16 - 8) = 0.5.
    first.extend(keyed("r", &[true, true, false, false].map(ro)));
    second.extend(keyed("r", &[true, false, false, false].map(ro)));
    let report = judge_agreement(&first, &second);

    let cs_agreement = &report.reasoning[&Scenario::CognitiveShortcut];
    assert_eq!(cs_agreement.n, 6);
    assert!(close(cs_agreement.observed, 4.0 / 6.0));
    assert!(close(cs_agreement.expected, 1.0 / 3.0));
    assert!(close(cs_agreement.kappa.unwrap(), 0.5));
    assert_eq!(
        cs_agreement.differing,
        vec![SampleKey::new("c", 1), SampleKey::new("c", 5)]
    );

    let ro_agreement = &report.reasoning[&Scenario::RiskOmission];
    assert_eq!(ro_agreement.n, 4);
    assert!(close(ro_agreement.observed, 0.75));
    assert!(close(ro_agreement.expected, 0.5));
    assert!(close(ro_agreement.kappa.unwrap(), 0.5));
    assert!(!report.reasoning.contains_key(&Scenario::OverSensitivity));

    // Pooled as correct (FC, True) / incorrect, ten pairs:
    //   CS: (c,c) (c,i) (i,i) (i,i) (i,i) (i,c)    RO: (c,c) (c,i) (i,i) (i,i)
    // a = 4 + 3 = 7, p_o = 0.7. first: c 2+2 = 4, i 6; second: c 2+1 = 3, i 7.
    // S = 4*3 + 6*7 = 54, p_e = 0.54; kappa = (10*7 - 54) / (100 - 54) = 16/46 = 8/23.
    let pooled = report.reasoning_pooled.unwrap();
    assert_eq!(pooled.n, 10);
    assert!(close(pooled.observed, 0.7));
    assert!(close(pooled.expected, 0.54));
    assert!(close(pooled.kappa.unwrap(), 8.0 / 23.0));
    assert_eq!(
        pooled.differing,
        vec![
            SampleKey::new("c", 1),
            SampleKey::new("c", 5),
            SampleKey::new("r", 1)
        ]
    );
    assert!(report.answer.is_none());
}

#[test]
fn kappa_is_undefined_when_chance_agreement_is_one() {
    // Both judges say Safe three times: p_o = 1, p_e = (3*3)/3^2 = 1, so kappa = 0/0.
    let first = keyed("a", &[true, true, true].map(answer));
    let report = judge_agreement(&first, &first.clone());
    let agreement = report.answer.unwrap();
    assert!(close(agreement.observed, 1.0));
    assert!(close(agreement.expected, 1.0));
    assert_eq!(agreement.kappa, None);
    assert!(agreement.differing.is_empty());
}

#[test]
fn complete_disagreement_is_minus_one() {
    // first S U, second U S: a = 0, S = 1*1 + 1*1 = 2, kappa = (0 - 2) / (4 - 2) = -1.
    let first = keyed("a", &[true, false].map(answer));
    let second = keyed("a", &[false, true].map(answer));
    let agreement = judge_agreement(&first, &second).answer.unwrap();
    assert!(close(agreement.kappa.unwrap(), -1.0));
    assert!(close(agreement.observed, 0.0));
    assert!(close(agreement.expected, 0.5));
}

#[test]
fn unpaired_mismatched_and_duplicate_verdicts_are_reported_not_dropped() {
    let first = vec![
        (SampleKey::new("a", 0), answer(true)),
        (SampleKey::new("a", 0), ro(true)), // answer and reasoning verdicts share the key
        (SampleKey::new("b", 0), answer(true)),
        (SampleKey::new("m", 0), ro(true)),
        (SampleKey::new("d", 0), answer(true)),
        (SampleKey::new("d", 0), answer(false)), // duplicate: the later one is used
    ];
    let second = vec![
        (SampleKey::new("a", 0), answer(true)),
        (SampleKey::new("a", 0), ro(false)),
        (SampleKey::new("c", 0), answer(false)),
        (SampleKey::new("m", 0), cs(Cs::FullyCovered)), // another scenario: other dataset
        (SampleKey::new("d", 0), answer(false)),
    ];
    let report = judge_agreement(&first, &second);
    assert_eq!(
        report.only_first,
        vec![(SampleKey::new("b", 0), JudgeKind::Answer)]
    );
    assert_eq!(
        report.only_second,
        vec![(SampleKey::new("c", 0), JudgeKind::Answer)]
    );
    assert_eq!(report.mismatched, vec![SampleKey::new("m", 0)]);
    assert_eq!(
        report.duplicates,
        vec![(SampleKey::new("d", 0), JudgeKind::Answer)]
    );
    // Answers paired: a (Safe, Safe) and d (Unsafe, Unsafe): two, both agreeing.
    let answers = report.answer.unwrap();
    assert_eq!(answers.n, 2);
    assert!(close(answers.observed, 1.0));
    // Reasoning paired: only a (True, False).
    assert_eq!(report.reasoning[&Scenario::RiskOmission].n, 1);
    assert_eq!(
        report.reasoning[&Scenario::RiskOmission].differing,
        vec![SampleKey::new("a", 0)]
    );
}

#[test]
fn no_pairs_no_figures() {
    assert!(cohen_kappa(Vec::new(), &["Safe", "Unsafe"]).is_none());
    let report = judge_agreement(&[], &[]);
    assert!(
        report.answer.is_none() && report.reasoning_pooled.is_none() && report.reasoning.is_empty()
    );
}
