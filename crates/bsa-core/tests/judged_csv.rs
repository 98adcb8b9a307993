//! The judged-result CSV reader and writer: row order, label normalisation, every located
//! problem, and round trips.

use bsa_core::diagnostic::{Field, ProblemKind};
use bsa_core::metrics::{
    score, Judgement, Mode, Sample, SampleSet, SampleSetBuilder, ScoreOptions,
};
use bsa_core::results::judged_csv::{
    read_judged_csv, write_judged_csv, JudgedCsvReader, JUDGE_ERROR_MARK, NO_TRACE_MARK,
};
use bsa_core::rng::Xoshiro256StarStar;
use bsa_core::scenario::Scenario;
use bsa_core::verdict::{
    AnswerVerdict, CognitiveShortcutVerdict, OverSensitivityVerdict, ReasoningVerdict,
    RiskOmissionVerdict,
};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/metrics/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|error| panic!("cannot read {path}: {error}"))
}

/// (model, item, index, answer label, reasoning label) of every sample, sorted.
fn listing(set: &SampleSet) -> Vec<(String, String, u32, String, String)> {
    let mut rows: Vec<_> = set
        .samples()
        .iter()
        .map(|s| {
            (
                set.model_name(s.model).to_string(),
                set.item_key(s.item).to_string(),
                s.index,
                format!("{:?}", s.answer),
                format!("{:?}", s.reasoning),
            )
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn shuffled_rows_give_the_same_metrics() {
    let bytes = fixture("k3_two_models.csv");
    let text = String::from_utf8(bytes.clone()).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let header = lines.remove(0);
    let options = ScoreOptions {
        mode: Mode::Evaluated,
        ..ScoreOptions::new(3)
    };
    let original = score(&read_judged_csv("a", &bytes).samples, None, &options).unwrap();
    let mut rng = Xoshiro256StarStar::seed_from_u64(11);
    for _ in 0..5 {
        // Fisher-Yates with the project's generator.
        for i in (1..lines.len()).rev() {
            lines.swap(i, rng.below_usize(i + 1));
        }
        let shuffled = format!("{header}\n{}\n", lines.join("\n"));
        let read = read_judged_csv("shuffled", shuffled.as_bytes());
        assert!(read.problems.is_empty());
        let card = score(&read.samples, None, &options).unwrap();
        for model in &original.models {
            let other = card.model(&model.model).unwrap();
            assert_eq!(other.headline, model.headline);
            assert_eq!(other.scenarios, model.scenarios);
            assert_eq!(other.grids, model.grids);
            assert_eq!(
                other.intervals, model.intervals,
                "intervals depend on the items, not the row order"
            );
        }
    }
}

#[test]
fn sample_index_is_the_order_of_appearance_within_model_and_id() {
    let text = "model_name,id,dataset_name,Safe_Ans_Check,Thk_Acc_Judge\n\
                a,x,Risk Omission,Safe,True\n\
                b,x,Risk Omission,Unsafe,True\n\
                a,y,Risk Omission,Unsafe,False\n\
                a,x,Risk Omission,Unsafe,False\n";
    let read = read_judged_csv("t", text.as_bytes());
    assert!(read.problems.is_empty());
    let indices: Vec<(&str, &str, u32)> = read
        .samples
        .samples()
        .iter()
        .map(|s| {
            (
                read.samples.model_name(s.model),
                read.samples.item_key(s.item),
                s.index,
            )
        })
        .collect();
    assert_eq!(
        indices,
        vec![("a", "x", 0), ("b", "x", 0), ("a", "y", 0), ("a", "x", 1)]
    );
    assert_eq!(read.rows, 4);
}

#[test]
fn labels_columns_and_scenarios_are_read_leniently() {
    // Columns in another order and case, an extra column with a quoted comma and a line break,
    // labels in other cases and spellings.
    let read = read_judged_csv("messy.csv", &fixture("messy_labels.csv"));
    assert!(read.problems.is_empty(), "{:?}", read.problems);
    let set = &read.samples;
    let judged: Vec<(
        Scenario,
        Judgement<AnswerVerdict>,
        Judgement<ReasoningVerdict>,
    )> = set
        .samples()
        .iter()
        .map(|s| (set.item_scenario(s.item), s.answer, s.reasoning))
        .collect();
    use Judgement::Verdict as V;
    assert_eq!(
        judged,
        vec![
            (
                Scenario::RiskOmission,
                V(AnswerVerdict::Safe),
                V(ReasoningVerdict::RiskOmission(RiskOmissionVerdict::Covered))
            ),
            (
                Scenario::RiskOmission,
                V(AnswerVerdict::Unsafe),
                V(ReasoningVerdict::RiskOmission(
                    RiskOmissionVerdict::NotCovered
                ))
            ),
            (
                Scenario::CognitiveShortcut,
                V(AnswerVerdict::Safe),
                V(ReasoningVerdict::CognitiveShortcut(
                    CognitiveShortcutVerdict::FullyCovered
                ))
            ),
            (
                Scenario::CognitiveShortcut,
                V(AnswerVerdict::Safe),
                V(ReasoningVerdict::CognitiveShortcut(
                    CognitiveShortcutVerdict::PartiallyCovered
                ))
            ),
            (
                Scenario::OverSensitivity,
                V(AnswerVerdict::Unsafe),
                V(ReasoningVerdict::OverSensitivity(
                    OverSensitivityVerdict::PreciseCoverage
                ))
            ),
            (
                Scenario::OverSensitivity,
                V(AnswerVerdict::Unsafe),
                V(ReasoningVerdict::OverSensitivity(
                    OverSensitivityVerdict::OverSensitive
                ))
            ),
        ]
    );
}

#[test]
fn empty_cells_and_markers_are_not_verdicts() {
    let text = format!(
        "model_name,id,dataset_name,Safe_Ans_Check,Thk_Acc_Judge\n\
         m,x,Risk Omission,,\n\
         m,x,Risk Omission, {} ,{}\n\
         m,x,Risk Omission,Safe,  \n",
        JUDGE_ERROR_MARK.to_uppercase(),
        NO_TRACE_MARK
    );
    let read = read_judged_csv("t", text.as_bytes());
    assert!(read.problems.is_empty(), "{:?}", read.problems);
    let judged: Vec<_> = read
        .samples
        .samples()
        .iter()
        .map(|s| (s.answer, s.reasoning))
        .collect();
    assert_eq!(
        judged,
        vec![
            (Judgement::Unjudged, Judgement::Unjudged),
            (Judgement::JudgeError, Judgement::NoTrace),
            (Judgement::Verdict(AnswerVerdict::Safe), Judgement::Unjudged),
        ]
    );
}

#[test]
fn every_problem_is_located() {
    let read = read_judged_csv("problems.csv", &fixture("problems.csv"));
    // Data row r is on line r + 1 (the header is line 1).
    // (row, line, column, kind) of each problem.
    type Found = (Option<usize>, Option<usize>, Option<String>, ProblemKind);
    let found: Vec<Found> = read
        .problems
        .iter()
        .map(|p| {
            let column = match &p.location.field {
                Some(Field::Column(name)) => Some(name.clone()),
                _ => None,
            };
            (p.location.row, p.location.line, column, p.kind.clone())
        })
        .collect();
    let col = |name: &str| Some(name.to_string());
    let strings = |labels: &[&str]| labels.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    let expected = vec![
        (
            Some(2),
            Some(3),
            col("Safe_Ans_Check"),
            ProblemKind::UnknownLabel { value: "Maybe".into(), expected: strings(&["Safe", "Unsafe"]) },
        ),
        (
            Some(3),
            Some(4),
            col("Thk_Acc_Judge"),
            ProblemKind::UnknownLabel {
                value: "True".into(),
                expected: strings(&["Fully Covered", "Partially Covered", "Not Covered"]),
            },
        ),
        (Some(4), Some(5), col("dataset_name"), ProblemKind::UnknownScenario { value: "Risky Stuff".into() }),
        (Some(5), Some(6), col("model_name"), ProblemKind::EmptyValue),
        (Some(6), Some(7), col("id"), ProblemKind::EmptyValue),
        (
            Some(7),
            Some(8),
            col("dataset_name"),
            ProblemKind::Inconsistent {
                message: "id \"ro1\" is \"Over Sensitivity\" here but \"Risk Omission\" at row 1 (line 2): an item has one scenario"
                    .into(),
            },
        ),
        (Some(8), Some(9), None, ProblemKind::RaggedRow { expected: 5, found: 4 }),
        (Some(9), Some(10), None, ProblemKind::StrayQuote),
    ];
    assert_eq!(found, expected);
    // The stray quote is at character 27 of line 10: `m,ro3,Risk Omission,"Safe"x,True`.
    assert_eq!(read.problems[7].location.character, Some(27));
    // Messages say where and what was expected.
    assert_eq!(
        read.problems[1].to_string(),
        "problems.csv: row 3 (line 4), column \"Thk_Acc_Judge\": unknown label \"True\", expected one of \"Fully Covered\", \"Partially Covered\", \"Not Covered\""
    );
    // Rows 1 and 10 are fine and are kept.
    assert_eq!(read.samples.len(), 2);
    assert_eq!(read.rows, 10);
}

#[test]
fn missing_and_duplicate_columns_stop_reading() {
    let read = read_judged_csv("t", b"model_name,id,Safe_Ans_Check\nm,x,Safe\n");
    let kinds: Vec<ProblemKind> = read.problems.iter().map(|p| p.kind.clone()).collect();
    assert_eq!(
        kinds,
        vec![
            ProblemKind::MissingColumn {
                name: "dataset_name".into()
            },
            ProblemKind::MissingColumn {
                name: "Thk_Acc_Judge".into()
            },
        ]
    );
    assert_eq!(read.problems[0].location.line, Some(1));
    assert!(read.samples.is_empty());

    let read = read_judged_csv("t", b"model_name,id,dataset_name,Safe_Ans_Check,Thk_Acc_Judge,ID\nm,x,Risk Omission,Safe,True,y\n");
    assert_eq!(read.problems.len(), 1);
    assert_eq!(
        read.problems[0].kind,
        ProblemKind::DuplicateColumn { name: "id".into() }
    );
}

#[test]
fn broken_files_are_problems_not_panics() {
    let cases: [(&[u8], ProblemKind); 4] = [
        (b"", ProblemKind::EmptyFile),
        (b"  \n\n", ProblemKind::EmptyFile),
        (b"model_name,id,dataset_name,Safe_Ans_Check,Thk_Acc_Judge\n", ProblemKind::NoRows),
        (b"model_name,id,dataset_name,Safe_Ans_Check,Thk_Acc_Judge\nm,\xff,Risk Omission,Safe,True\n", ProblemKind::InvalidUtf8),
    ];
    for (bytes, kind) in cases {
        let read = read_judged_csv("t", bytes);
        assert_eq!(
            read.problems
                .iter()
                .map(|p| p.kind.clone())
                .collect::<Vec<_>>(),
            vec![kind]
        );
    }
    // An unterminated quote swallows the rest of the file: one problem at the opening quote,
    // character 19 of line 2 (`m,x,Risk Omission,` is 18 characters).
    let read = read_judged_csv("t", b"model_name,id,dataset_name,Safe_Ans_Check,Thk_Acc_Judge\nm,x,Risk Omission,\"Safe,True\nm,y\n");
    assert_eq!(read.problems.len(), 1);
    assert_eq!(read.problems[0].kind, ProblemKind::UnterminatedQuote);
    assert_eq!(
        (
            read.problems[0].location.line,
            read.problems[0].location.character
        ),
        (Some(2), Some(19))
    );
}

#[test]
fn written_files_read_back_to_the_same_samples() {
    // Every kind of judgement, two models, and a gap in the indices (sample 2 without sample 1).
    let mut builder = SampleSetBuilder::new();
    let a = builder.model("model, with comma");
    let b = builder.model("b");
    let ro = builder.item("ro\"1", Scenario::RiskOmission).unwrap();
    let cs = builder.item("cs1", Scenario::CognitiveShortcut).unwrap();
    let covered = Judgement::Verdict(ReasoningVerdict::RiskOmission(RiskOmissionVerdict::Covered));
    let partial = Judgement::Verdict(ReasoningVerdict::CognitiveShortcut(
        CognitiveShortcutVerdict::PartiallyCovered,
    ));
    let safe = Judgement::Verdict(AnswerVerdict::Safe);
    builder.push_next(a, ro, safe, covered).unwrap();
    builder
        .push_next(a, cs, Judgement::JudgeError, partial)
        .unwrap();
    builder
        .push_next(b, ro, Judgement::Unjudged, Judgement::NoTrace)
        .unwrap();
    builder
        .push(Sample {
            model: b,
            item: cs,
            index: 2,
            answer: safe,
            reasoning: partial,
        })
        .unwrap();
    builder
        .push(Sample {
            model: b,
            item: cs,
            index: 0,
            answer: safe,
            reasoning: Judgement::JudgeError,
        })
        .unwrap();
    let set = builder.build();

    let text = write_judged_csv(&set);
    assert!(text.starts_with("model_name,id,dataset_name,Safe_Ans_Check,Thk_Acc_Judge\n"));
    let read = read_judged_csv("written", text.as_bytes());
    assert!(read.problems.is_empty(), "{:?}\n{text}", read.problems);
    // The gap at b/cs1 index 1 comes back as an unjudged row; everything else as it was.
    let mut expected = listing(&set);
    expected.push((
        "b".into(),
        "cs1".into(),
        1,
        format!("{:?}", Judgement::<AnswerVerdict>::Unjudged),
        format!("{:?}", Judgement::<ReasoningVerdict>::Unjudged),
    ));
    expected.sort();
    assert_eq!(listing(&read.samples), expected);
    // And writing what was read gives the same text again.
    assert_eq!(write_judged_csv(&read.samples), text);
}

#[test]
fn the_fixture_files_round_trip_through_the_writer() {
    for name in [
        "k3_two_models.csv",
        "partial.csv",
        "no_reasoning.csv",
        "messy_labels.csv",
    ] {
        let read = read_judged_csv(name, &fixture(name));
        let again = read_judged_csv("written", write_judged_csv(&read.samples).as_bytes());
        assert!(again.problems.is_empty());
        assert_eq!(listing(&again.samples), listing(&read.samples), "{name}");
    }
}

/// Reads `bytes` in pieces of `size` bytes.
fn read_in_pieces(bytes: &[u8], size: usize) -> bsa_core::results::JudgedRead {
    let mut reader = JudgedCsvReader::new("t");
    for piece in bytes.chunks(size) {
        reader.push(piece);
    }
    reader.finish()
}

#[test]
fn reading_in_pieces_gives_what_reading_whole_gives() {
    let mut inputs: Vec<Vec<u8>> = [
        "k3_two_models.csv",
        "partial.csv",
        "messy_labels.csv",
        "problems.csv",
    ]
    .iter()
    .map(|name| fixture(name))
    .collect();
    inputs.extend([
        // A byte-order mark; a quoted field with a line break; CRLF line ends.
        b"\xEF\xBB\xBFmodel_name,id,dataset_name,Safe_Ans_Check,Thk_Acc_Judge,note\r\nm,x,Risk Omission,Safe,True,\"a\r\nb\"\r\nm,x,Risk Omission,Safe,False,\r\n".to_vec(),
        // An unterminated quote in the last row, and one in the header.
        b"model_name,id,dataset_name,Safe_Ans_Check,Thk_Acc_Judge\nm,x,Risk Omission,Safe,True\nm,x,Risk Omission,\"Safe,True\nm,y\n".to_vec(),
        b"\"model_name,id\n".to_vec(),
        // Invalid UTF-8 on line 3; blank files; a header only; no final line break.
        b"model_name,id,dataset_name,Safe_Ans_Check,Thk_Acc_Judge\nm,x,Risk Omission,Safe,True\nm,\xff,Risk Omission,Safe,True\n".to_vec(),
        b"   \n\n  ".to_vec(),
        Vec::new(),
        b"model_name,id,dataset_name,Safe_Ans_Check,Thk_Acc_Judge".to_vec(),
        b"\n\nmodel_name,id,dataset_name,Safe_Ans_Check,Thk_Acc_Judge\nm,x,Risk Omission,Safe,True".to_vec(),
    ]);
    // A quoted field of many lines, longer than the pieces: it is re-tried as it grows.
    let long_note = (0..60)
        .map(|i| format!("line {i}, \"quoted\"\n"))
        .collect::<String>()
        .replace('"', "\"\"");
    inputs.push(
        format!(
            "model_name,id,dataset_name,Safe_Ans_Check,Thk_Acc_Judge,note\nm,x,Risk Omission,Safe,True,\"{long_note}\"\nm,y,Risk Omission,Unsafe,False,\n"
        )
        .into_bytes(),
    );
    for bytes in &inputs {
        let whole = read_judged_csv("t", bytes);
        for size in [1, 2, 3, 7, 64, 1 << 20] {
            let pieces = read_in_pieces(bytes, size);
            assert_eq!(
                pieces.problems,
                whole.problems,
                "pieces of {size}: {}",
                String::from_utf8_lossy(bytes)
            );
            assert_eq!(
                listing(&pieces.samples),
                listing(&whole.samples),
                "pieces of {size}"
            );
            assert_eq!(pieces.rows, whole.rows, "pieces of {size}");
        }
    }
    // The whole reads themselves are what they should be, so the comparison above means something.
    let unterminated = read_judged_csv("t", &inputs[5]);
    assert_eq!(unterminated.problems.len(), 1);
    assert_eq!(
        unterminated.problems[0].kind,
        ProblemKind::UnterminatedQuote
    );
    assert_eq!(unterminated.problems[0].location.line, Some(3));
    let utf8 = read_judged_csv("t", &inputs[7]);
    assert_eq!(utf8.problems[0].kind, ProblemKind::InvalidUtf8);
    assert_eq!(
        (
            utf8.problems[0].location.line,
            utf8.problems[0].location.character
        ),
        (Some(3), Some(3))
    );
    // The rows before the bad byte are read, as they would be had the file come in pieces.
    assert_eq!(utf8.samples.len(), 1);
    assert_eq!(read_judged_csv("t", &inputs[4]).samples.len(), 2);
    assert_eq!(read_judged_csv("t", &inputs[11]).samples.len(), 1);
    let long = read_judged_csv("t", &inputs[12]);
    assert!(long.problems.is_empty(), "{:?}", long.problems);
    assert_eq!((long.samples.len(), long.rows), (2, 2));
}
