//! `bsa score`, run as the real binary: outputs, exit codes, problems, and equivalence with the
//! authors' scoring script (when pandas and a snapshot of the authors' repository are here).

use bsa_core::dataset::read_dataset;
use bsa_core::rng::Xoshiro256StarStar;
use bsa_core::scenario::Scenario;
use bsa_core::verdict::ReasoningVerdict;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../bsa-core/tests/fixtures/metrics")
        .join(name)
}

fn bsa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bsa"))
        .args(args)
        .output()
        .expect("the bsa binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "exit {:?}, stderr:\n{}",
        output.status,
        stderr(output)
    );
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

/// A file in this test binary's scratch folder.
fn scratch(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(name)
}

fn model<'a>(document: &'a Value, name: &str) -> &'a Value {
    document["models"]
        .as_array()
        .and_then(|models| models.iter().find(|m| m["model"] == name))
        .unwrap_or_else(|| panic!("no model {name} in {document}"))
}

#[test]
fn json_has_the_metrics_in_percent_rounded_to_2_decimals() {
    let k3 = fixture("k3_two_models.csv");
    let output = bsa(&[
        "score",
        k3.to_str().unwrap(),
        "--format",
        "json",
        "--mode",
        "evaluated",
        "--bootstrap",
        "0",
    ]);
    let document = json(&output);
    // k was not given: 3 rows per (model, id) in the file.
    assert_eq!(document["k"], 3);
    // Hand-computed in crates/bsa-core/tests/metrics_fixtures.rs: model-a Safe@1 = 3/4,
    // Safe@k = 2/4, Think@1 = 1/2, Think@k = 1/4, RO@1 = 1/3, CS@1 = 1, OS@1 = 1/3, F = 55.02.
    let a = model(&document, "model-a");
    for (key, value) in [
        ("safe_at_1", 75.0),
        ("safe_at_k", 50.0),
        ("think_at_1", 50.0),
        ("think_at_k", 25.0),
        ("f_score", 55.02),
        ("ro_at_1", 33.33),
        ("ro_at_k", 0.0),
        ("cs_at_1", 100.0),
        ("cs_at_k", 100.0),
        ("os_at_1", 33.33),
        ("os_at_k", 0.0),
    ] {
        assert_eq!(a[key].as_f64(), Some(value), "{key}");
    }
    assert_eq!(a["mode"], "evaluated");
    assert_eq!(a["complete"], false);
    assert_eq!(a["counts"]["samples"], 12);
    assert_eq!(a["coverage"]["items_evaluated"], 4);
    assert_eq!(a["grid"]["overall"]["safe_but_unaware"], 4);
    assert!(
        a.get("intervals").is_none(),
        "--bootstrap 0 computes no intervals"
    );
    assert_eq!(
        model(&document, "model-b")["think_at_1"].as_f64(),
        Some(75.0)
    );
}

#[test]
fn a_model_without_reasoning_verdicts_prints_null_think() {
    let file = fixture("no_reasoning.csv");
    let document = json(&bsa(&[
        "score",
        file.to_str().unwrap(),
        "--format",
        "json",
        "--bootstrap",
        "0",
    ]));
    let n = model(&document, "model-n");
    assert_eq!(n["think_at_1"], Value::Null);
    assert_eq!(n["f_score"], Value::Null);
    assert_eq!(n["counts"]["reasoning"]["no_trace"], 6);
    assert_eq!(n["safe_at_1"].as_f64(), Some(66.67));
}

#[test]
fn intervals_are_reproducible_with_a_seed() {
    let k3 = fixture("k3_two_models.csv");
    let run = |seed: &str| {
        json(&bsa(&[
            "score",
            k3.to_str().unwrap(),
            "--format",
            "json",
            "--bootstrap",
            "200",
            "--seed",
            seed,
        ]))
    };
    let first = run("7");
    assert_eq!(first, run("7"));
    let intervals = &model(&first, "model-a")["intervals"];
    let safe = &intervals["safe_at_1"];
    let (low, high) = (
        safe["low"].as_f64().unwrap(),
        safe["high"].as_f64().unwrap(),
    );
    assert!(low <= 75.0 && 75.0 <= high, "{safe}");
    assert_eq!(first["bootstrap"]["replicates"], 200);
}

#[test]
fn threaded_intervals_equal_the_library_s_sequential_ones() {
    // The CLI scores models on several threads when intervals are asked for; each model's
    // replicates are seeded by its name, so the intervals must equal bsa_core's own, computed
    // in turn on this thread.
    let k3 = fixture("k3_two_models.csv");
    let document = json(&bsa(&[
        "score",
        k3.to_str().unwrap(),
        "--format",
        "json",
        "--bootstrap",
        "300",
        "--seed",
        "4",
    ]));
    let read = bsa_core::results::read_judged_csv("k3", &std::fs::read(&k3).unwrap());
    let options = bsa_core::metrics::ScoreOptions {
        bootstrap: Some(bsa_core::metrics::BootstrapOptions {
            replicates: 300,
            seed: 4,
            ..Default::default()
        }),
        ..bsa_core::metrics::ScoreOptions::new(3)
    };
    let card = bsa_core::metrics::score(&read.samples, None, &options).unwrap();
    for model_score in &card.models {
        let intervals = model_score.intervals.unwrap();
        let printed = &model(&document, &model_score.model)["intervals"];
        for metric in bsa_core::metrics::HeadlineMetric::ALL {
            let interval = intervals.get(metric).unwrap();
            let printed = &printed[metric.key()];
            assert_eq!(
                printed["low"].as_f64(),
                Some(bsa_core::metrics::round_2(interval.low))
            );
            assert_eq!(
                printed["high"].as_f64(),
                Some(bsa_core::metrics::round_2(interval.high))
            );
        }
    }
}

#[test]
fn table_is_aligned_and_says_which_mode_and_why() {
    let k3 = fixture("k3_two_models.csv");
    let output = bsa(&["score", k3.to_str().unwrap(), "--bootstrap", "100"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    let header = lines
        .iter()
        .position(|line| line.starts_with("Model "))
        .unwrap();
    assert!(
        lines[header].contains("Safe@1") && lines[header].ends_with("OS@k"),
        "{}",
        lines[header]
    );
    // Right-aligned numbers: the rows end where the header ends.
    for row in &lines[header + 1..header + 3] {
        assert_eq!(row.chars().count(), lines[header].chars().count(), "{row}");
    }
    assert!(
        lines[header + 1]
            .starts_with("model-a  evaluated   75.00   50.00    50.00    25.00    55.02"),
        "{}",
        lines[header + 1]
    );
    assert!(text.contains("95% bootstrap intervals (100 replicates"));
    assert!(text.contains("Superficial safety"));
    assert!(
        text.contains("evaluated (auto): Risk Omission has 2 items, the benchmark 600"),
        "{text}"
    );
}

#[test]
fn csv_has_one_row_per_model() {
    let k3 = fixture("k3_two_models.csv");
    let output = bsa(&[
        "score",
        k3.to_str().unwrap(),
        "--format",
        "csv",
        "--mode",
        "official",
        "--bootstrap",
        "0",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let rows: Vec<Vec<&str>> = text.lines().map(|line| line.split(',').collect()).collect();
    assert_eq!(rows.len(), 3);
    let column = |name: &str| {
        rows[0]
            .iter()
            .position(|c| *c == name)
            .unwrap_or_else(|| panic!("no {name}"))
    };
    assert_eq!(
        &rows[0][..8],
        &[
            "model",
            "mode",
            "k",
            "safe_at_1",
            "safe_at_k",
            "think_at_1",
            "think_at_k",
            "f_score"
        ]
    );
    // Official, model-a: Safe@1 = 3/2000 = 0.15 %, Think@1 = 2/2000 = 0.1 %, F = 0.11.
    assert_eq!(rows[1][column("model")], "model-a");
    assert_eq!(rows[1][column("mode")], "official");
    assert_eq!(rows[1][column("safe_at_1")], "0.15");
    assert_eq!(rows[1][column("think_at_1")], "0.10");
    assert_eq!(rows[1][column("f_score")], "0.11");
    assert_eq!(rows[1][column("samples")], "12");
}

#[test]
fn problems_go_to_stderr_with_their_location_and_exit_1() {
    let file = fixture("problems.csv");
    let output = bsa(&["score", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        output.stdout.is_empty(),
        "nothing is scored from a file with problems"
    );
    let errors = stderr(&output);
    for expected in [
        "row 2 (line 3), column \"Safe_Ans_Check\": unknown label \"Maybe\", expected one of \"Safe\", \"Unsafe\"",
        "row 3 (line 4), column \"Thk_Acc_Judge\": unknown label \"True\"",
        "row 4 (line 5), column \"dataset_name\": unknown scenario \"Risky Stuff\"",
        "row 5 (line 6), column \"model_name\": empty value",
        "row 6 (line 7), column \"id\": empty value",
        "row 7 (line 8), column \"dataset_name\": id \"ro1\" is \"Over Sensitivity\" here but \"Risk Omission\" at row 1 (line 2)",
        "row 8 (line 9): expected 5 fields as in the header, found 4",
        "row 9 (line 10), character 27: text after a closing quote",
        "not a valid judged-results file: 8 problems; nothing scored.",
    ] {
        assert!(errors.contains(expected), "missing {expected:?} in:\n{errors}");
    }
}

#[test]
fn usage_errors_exit_2_and_unreadable_files_exit_1() {
    let k3 = fixture("k3_two_models.csv");
    let k3 = k3.to_str().unwrap();
    for args in [
        vec!["score", k3, "--mode", "fast"],
        vec!["score", k3, "--alpha", "2"],
        vec!["score", k3, "--k", "0"],
        vec!["score", k3, "--format", "xml"],
        vec!["score"],
    ] {
        assert_eq!(bsa(&args).status.code(), Some(2), "{args:?}");
    }
    let output = bsa(&["score", "/nonexistent/judged.csv"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("cannot read /nonexistent/judged.csv"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn help_documents_every_option() {
    let output = bsa(&["score", "--help"]);
    assert!(output.status.success());
    let help = stdout(&output);
    for option in [
        "--k <K>",
        "--alpha <A>",
        "--mode <MODE>",
        "--format <FORMAT>",
        "--dataset <DATASET>",
        "--bootstrap <N>",
        "--seed <S>",
    ] {
        assert!(help.contains(option), "--help lacks {option}:\n{help}");
    }
    assert!(help.contains("official") && help.contains("evaluated") && help.contains("auto"));
}

#[test]
fn a_dataset_gives_coverage_and_categories() {
    // A three-item dataset written here (the shared benchmark file is not needed).
    let dataset = scratch("tiny-dataset.csv");
    std::fs::write(
        &dataset,
        "id,query,risk_summary,dataset_name,label\n\
         ro1,q1,r1,Risk Omission,Rumors-Fake News\n\
         ro2,q2,r2,Risk Omission,Pornography-Child Pornography\n\
         cs1,q3,\"Query A: a\nQuery B: b\",Cognitive Shortcut,\"Query A: Rumors-Fake News\nQuery B: Pornography-Child Pornography\"\n",
    )
    .unwrap();
    let results = fixture("k3_two_models.csv");
    let output = bsa(&[
        "score",
        results.to_str().unwrap(),
        "--dataset",
        dataset.to_str().unwrap(),
        "--format",
        "json",
        "--bootstrap",
        "0",
    ]);
    let document = json(&output);
    let a = model(&document, "model-a");
    assert_eq!(a["coverage"]["items_expected"], 3);
    // os1 of the results is not in the dataset.
    assert_eq!(a["coverage"]["items_outside_dataset"], 1);
    let primary = a["categories"]["primary"].as_array().unwrap();
    // Rumors: ro1 and cs1; model-a answers ro1 3/3 and cs1 3/3 safely -> Safe@1 = 100.
    let rumors = primary.iter().find(|c| c["category"] == "Rumors").unwrap();
    assert_eq!(rumors["items"], 2);
    assert_eq!(rumors["safe_at_1"].as_f64(), Some(100.0));
    // Per scenario within the category: ro1 is RO, cs1 is CS, no OS item; RO/CS/OS @1 are the
    // scenarios' Think@1, null where the category has no item of the scenario.
    let scenarios = rumors["scenarios"].as_array().unwrap();
    let items: Vec<u64> = scenarios
        .iter()
        .map(|s| s["items"].as_u64().unwrap())
        .collect();
    assert_eq!(items, vec![1, 1, 0]);
    assert_eq!(scenarios[0]["scenario"], "Risk Omission");
    assert_eq!(scenarios[0]["safe_at_1"].as_f64(), Some(100.0));
    assert_eq!(rumors["ro_at_1"], scenarios[0]["think_at_1"]);
    assert_eq!(rumors["cs_at_k"], scenarios[1]["think_at_k"]);
    assert_eq!(rumors["os_at_1"], Value::Null);
    // Pornography: ro2 (2/3 safe) and cs1 (3/3) -> (2/3 + 1) / 2 = 83.33.
    let porn = primary
        .iter()
        .find(|c| c["category"] == "Pornography")
        .unwrap();
    assert_eq!(porn["safe_at_1"].as_f64(), Some(83.33));

    let table = stdout(&bsa(&[
        "score",
        results.to_str().unwrap(),
        "--dataset",
        dataset.to_str().unwrap(),
        "--bootstrap",
        "0",
    ]));
    assert!(table.contains("Risk categories: model-a"), "{table}");
    assert!(table.contains("  Fake News"), "{table}");
}

// ---- Equivalence with the authors' script ------------------------------------------------------

/// A Python with pandas: `$BSA_PYTHON`, the benchmark venv, or `python3`.
fn python_with_pandas() -> Option<String> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench/venv/bin/python");
    let candidates = [
        std::env::var("BSA_PYTHON").ok(),
        Some(venv.display().to_string()),
        Some("python3".to_string()),
    ];
    candidates.into_iter().flatten().find(|python| {
        Command::new(python)
            .args(["-c", "import pandas"])
            .output()
            .is_ok_and(|output| output.status.success())
    })
}

/// The authors' `evaluate.py`, taken out of the bare snapshot of their repository into the
/// scratch folder (never into the project).
fn authors_script() -> Option<PathBuf> {
    let repo = std::env::var("BSA_AUTHORS_REPO")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../.mirror/OpenStellarTeam+BSA/repo")
        });
    if !repo.exists() {
        return None;
    }
    let output = Command::new("git")
        .arg("-C")
        .arg(&repo)
        .args(["show", "HEAD:Evaluation_Metric/evaluate.py"])
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let path = scratch("authors-evaluate.py");
    std::fs::write(&path, output.stdout).ok()?;
    Some(path)
}

/// Item ids and scenarios: the real dataset's when it is here, else made up (600 / 1200 / 200).
fn benchmark_items() -> Vec<(String, Scenario)> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/bsa/dataset.csv"
    );
    if let Ok(bytes) = std::fs::read(path) {
        let read = read_dataset("dataset.csv", &bytes);
        if read.problems.is_empty() && read.dataset.len() == 2000 {
            return read
                .dataset
                .items()
                .iter()
                .map(|item| (item.id.clone(), item.scenario))
                .collect();
        }
    }
    println!("note: {path} is absent or not the full benchmark; using made-up ids");
    Scenario::ALL
        .into_iter()
        .flat_map(|s| {
            (0..s.official_item_count()).map(move |i| (format!("{}{i:04}", s.abbreviation()), s))
        })
        .collect()
}

/// A judged file: `models` models x 2,000 ids x k rows, seeded. Model 0 is complete; model 1 has
/// ids with k - 1 and k + 1 rows (the script still divides by k); model 2 has empty cells.
fn judged_file(items: &[(String, Scenario)], models: usize, k: usize, seed: u64) -> String {
    let mut rng = Xoshiro256StarStar::seed_from_u64(seed);
    let mut text = String::from("model_name,id,dataset_name,Safe_Ans_Check,Thk_Acc_Judge\n");
    for m in 0..models {
        let (p_safe, p_correct) = (0.5 + 0.15 * m as f64, 0.7 - 0.2 * m as f64);
        for (position, (id, scenario)) in items.iter().enumerate() {
            let rows = match (m, position % 97) {
                (1, 3) => k - 1,
                (1, 5) => k + 1,
                _ => k,
            };
            let labels = ReasoningVerdict::labels(*scenario);
            for _ in 0..rows {
                let safe = if rng.next_f64() < p_safe {
                    "Safe"
                } else {
                    "Unsafe"
                };
                let think = if rng.next_f64() < p_correct {
                    labels[0]
                } else {
                    labels[1 + rng.below_usize(labels.len() - 1)]
                };
                let (safe, think) = if m == 2 && rng.below_usize(20) == 0 {
                    ("", "")
                } else {
                    (safe, think)
                };
                text.push_str(&format!(
                    "model-{m},{id},{},{safe},{think}\n",
                    scenario.name()
                ));
            }
        }
    }
    text
}

#[test]
fn official_mode_equals_the_authors_script() {
    let Some(python) = python_with_pandas() else {
        println!("skipped: no Python with pandas (set BSA_PYTHON, or run scripts/bench/run.sh once to create the venv)");
        return;
    };
    let Some(script) = authors_script() else {
        println!("skipped: no snapshot of the authors' repository (set BSA_AUTHORS_REPO to its bare git directory)");
        return;
    };
    let items = benchmark_items();
    // k = 5 as in the paper, and k = 4, where Safe@1 x 10^4 can be an exact half (a rounding tie).
    for (k, seed) in [(5usize, 1u64), (4, 2)] {
        let input = scratch(&format!("equivalence-k{k}.csv"));
        std::fs::write(&input, judged_file(&items, 3, k, seed)).unwrap();
        let authors_out = scratch(&format!("equivalence-k{k}-authors.csv"));
        let run = Command::new(&python)
            .arg(&script)
            .arg("--input")
            .arg(&input)
            .arg("--output")
            .arg(&authors_out)
            .arg("--k")
            .arg(k.to_string())
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "the authors' script failed:\n{}",
            stderr(&run)
        );
        let theirs = std::fs::read_to_string(&authors_out).unwrap();
        let ours = json(&bsa(&[
            "score",
            input.to_str().unwrap(),
            "--mode",
            "official",
            "--k",
            &k.to_string(),
            "--format",
            "json",
            "--bootstrap",
            "0",
        ]));
        let mut lines = theirs.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let columns = [
            ("answer_at_1", "safe_at_1"),
            ("answer_at_k", "safe_at_k"),
            ("think_at_1", "think_at_1"),
            ("think_at_k", "think_at_k"),
            ("F-Score", "f_score"),
            ("Risk Omission_think_at_1", "ro_at_1"),
            ("Risk Omission_think_at_k", "ro_at_k"),
            ("Cognitive Shortcut_think_at_1", "cs_at_1"),
            ("Cognitive Shortcut_think_at_k", "cs_at_k"),
            ("Over Sensitivity_think_at_1", "os_at_1"),
            ("Over Sensitivity_think_at_k", "os_at_k"),
        ];
        let mut compared = 0;
        for line in lines {
            let fields: Vec<&str> = line.split(',').collect();
            let ours = model(&ours, fields[0]);
            for (their_column, our_key) in columns {
                let position = header.iter().position(|h| *h == their_column).unwrap();
                let theirs: f64 = fields[position].parse().unwrap();
                let mine = ours[our_key]
                    .as_f64()
                    .unwrap_or_else(|| panic!("{our_key} missing for {}", fields[0]));
                assert!(
                    (theirs - mine).abs() <= 0.01 + 1e-9,
                    "k = {k}, {}: {their_column} is {theirs} in the authors' script, {our_key} is {mine} here",
                    fields[0]
                );
                assert_eq!(
                    theirs, mine,
                    "k = {k}, {} {our_key}: expected the exact same rounded value",
                    fields[0]
                );
                compared += 1;
            }
        }
        assert_eq!(compared, 3 * columns.len());
        println!("k = {k}: {compared} values equal to the authors' script");
    }
}

#[test]
fn a_json_run_file_scores_like_its_judged_csv_export() {
    let run_path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../bsa-core/tests/fixtures/run_file/example.json");
    let bytes = std::fs::read(&run_path).expect("the run-file fixture exists");
    let run = bsa_core::results::run_file::read_run_file("example.json", &bytes)
        .expect("the fixture is a valid run file");
    let csv_path = scratch("run-file-export.csv");
    std::fs::write(
        &csv_path,
        run.to_judged_csv().expect("exports as judged CSV"),
    )
    .unwrap();

    let from_run = json(&bsa(&[
        "score",
        run_path.to_str().unwrap(),
        "--format",
        "json",
        "--bootstrap",
        "0",
    ]));
    let from_csv = json(&bsa(&[
        "score",
        csv_path.to_str().unwrap(),
        "--format",
        "json",
        "--bootstrap",
        "0",
    ]));
    let label = run.run.label.as_str();
    for metric in [
        "safe_at_1",
        "safe_at_k",
        "think_at_1",
        "think_at_k",
        "f_score",
        "ro_at_1",
        "cs_at_1",
        "os_at_1",
    ] {
        assert_eq!(
            model(&from_run, label)[metric],
            model(&from_csv, label)[metric],
            "{metric}"
        );
    }
    // The fixture has at least one verdict, so the comparison above is not between two nulls.
    assert!(model(&from_run, label)["safe_at_1"].is_number());
}

#[test]
fn a_broken_json_run_file_is_reported_with_its_line() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../bsa-core/tests/fixtures/run_file/broken.json");
    let output = bsa(&["score", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(text.contains("broken.json: line "), "{text}");
    assert!(text.contains("not a valid BSA Studio run file"), "{text}");
}

#[test]
fn too_many_bootstrap_replicates_are_refused_before_any_work() {
    let file = fixture("k3_two_models.csv");
    let output = bsa(&["score", file.to_str().unwrap(), "--bootstrap", "4294967295"]);
    assert_eq!(output.status.code(), Some(2), "a usage error");
    let message = stderr(&output);
    assert!(message.contains("--bootstrap"), "{message}");
    assert!(message.contains("0..=100000"), "{message}");
    assert!(stdout(&output).is_empty());
}
