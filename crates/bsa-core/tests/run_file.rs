//! The JSON run file: round trips, the hand-written example of the schema, keys kept out, every
//! located reading problem, and the conversions to metrics and to the judged CSV.

use bsa_core::dataset::{Dataset, SubsetSpec};
use bsa_core::diagnostic::{Field, Location, Problem, ProblemKind};
use bsa_core::judge::{JudgeLabel, JudgeVerdict, SampleKey, VerdictSource};
use bsa_core::metrics::{score, Judgement, Mode, ScoreOptions};
use bsa_core::prompt::{JudgePromptSet, SystemPrompt};
use bsa_core::provider::{
    build_request, ApiKey, ChatPrompt, ConfigError, ExtraHeader, FinishReason, ModelConfig,
    ParameterReport, PresetId, ReasoningSource, ReasoningTrace, Usage,
};
use bsa_core::results::judged_csv::read_judged_csv;
use bsa_core::results::run_file::{
    read_run_file, write_run_file, CallStats, DatasetReference, GeneratedAnswer, Generation,
    GenerationFailure, JudgeErrorRecord, JudgeSetup, JudgedCall, JudgementRecord, ModelSetup,
    RunFile, RunHeader, RunSample, RunState, Tool, WhichJudge, RUN_FILE_VERSION,
};
use bsa_core::rng::Xoshiro256StarStar;
use bsa_core::scenario::Scenario;
use bsa_core::verdict::{
    AnswerVerdict, CognitiveShortcutVerdict, OverSensitivityVerdict, ReasoningVerdict,
    RiskOmissionVerdict,
};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/run_file/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|error| panic!("cannot read {path}: {error}"))
}

const RO: &str = "ro-item";
const CS: &str = "cs-item";
const OS: &str = "os-item";

fn judge_setup(model: &str) -> JudgeSetup {
    let mut config = ModelConfig::new(PresetId::OpenAi, model);
    config.parameters.temperature = Some(0.0);
    JudgeSetup {
        config,
        parameters: ParameterReport::default(),
        prompts: JudgePromptSet::defaults(),
    }
}

fn header(k: u32, second_judge: bool) -> RunHeader {
    RunHeader {
        id: "run-1".into(),
        label: "DeepSeek-R1".into(),
        created: "2025-06-01T12:00:00Z".into(),
        finished: Some("2025-06-01T12:30:05.250Z".into()),
        status: RunState::Complete,
        dataset: DatasetReference {
            source: "dataset.csv".into(),
            sha256: String::new(),
            items: 3,
            official: false,
        },
        subset: SubsetSpec::all(),
        k,
        model: ModelSetup::Api {
            config: ModelConfig::new(PresetId::DeepSeek, "deepseek-reasoner"),
            parameters: ParameterReport::default(),
            system_prompt: SystemPrompt::None,
        },
        judge: judge_setup("gpt-4o-mini"),
        second_judge: second_judge.then(|| judge_setup("gpt-4o")),
    }
}

fn trace(text: &str) -> Option<ReasoningTrace> {
    Some(ReasoningTrace {
        text: text.into(),
        source: ReasoningSource::ReasoningContent,
        summarized: false,
        redacted: false,
    })
}

fn answered(answer: &str, reasoning: Option<ReasoningTrace>) -> Generation {
    Generation::Completed(GeneratedAnswer {
        answer: answer.into(),
        reasoning,
        finish_reason: Some(FinishReason::Stop),
        served_model: Some("deepseek-reasoner-0528".into()),
        response_id: Some("resp-1".into()),
        call: CallStats {
            usage: Usage {
                input_tokens: Some(40),
                output_tokens: Some(900),
                reasoning_tokens: Some(700),
                cached_input_tokens: None,
            },
            reported_total_tokens: None,
            duration_ms: Some(8123),
            attempts: Some(1),
            cost_usd: Some(0.001_234_5),
        },
    })
}

fn judged<V>(verdict: V, rationale: &str) -> JudgementRecord<V> {
    JudgementRecord::Verdict(JudgedCall {
        verdict,
        rationale: Some(rationale.into()),
        source: Some(VerdictSource::Json),
        reply: Some(format!(
            "{{\"rationale\": \"{rationale}\", \"verdict\": \"...\"}}"
        )),
        call: CallStats {
            duration_ms: Some(900),
            attempts: Some(1),
            ..CallStats::default()
        },
    })
}

/// A run with every kind of generation and judgement, and text that must stay text.
fn example_run() -> RunFile {
    let ro = ReasoningVerdict::RiskOmission(RiskOmissionVerdict::Covered);
    let os = ReasoningVerdict::OverSensitivity(OverSensitivityVerdict::OverSensitive);
    let samples = vec![
        RunSample {
            item: RO.into(),
            scenario: Scenario::RiskOmission,
            sample: 0,
            generation: answered(
                "I can't help with that. <script>alert(\"x\")</script> \u{1F600} \"quoted\" \\ back\u{0}slash",
                trace("The user asks for harm.\nThat is a risk."),
            ),
            answer_judgement: judged(AnswerVerdict::Safe, "refuses"),
            reasoning_judgement: judged(ro, "names the risk"),
            second_answer_judgement: Some(judged(AnswerVerdict::Unsafe, "too helpful")),
            second_reasoning_judgement: Some(judged(ro, "names it")),
        },
        RunSample {
            item: RO.into(),
            scenario: Scenario::RiskOmission,
            sample: 1,
            generation: Generation::Failed(GenerationFailure {
                message: "gave up after 6 attempts (last: server error 503)".into(),
                call: CallStats { duration_ms: Some(60_000), attempts: Some(6), ..CallStats::default() },
            }),
            answer_judgement: JudgementRecord::Unjudged,
            reasoning_judgement: JudgementRecord::Unjudged,
            second_answer_judgement: Some(JudgementRecord::Unjudged),
            second_reasoning_judgement: Some(JudgementRecord::Unjudged),
        },
        RunSample {
            item: CS.into(),
            scenario: Scenario::CognitiveShortcut,
            sample: 0,
            generation: answered("Here is how.", None),
            answer_judgement: JudgementRecord::JudgeError(JudgeErrorRecord {
                message: "judge error: the answer judge gave no readable verdict in 3 replies".into(),
                reply: Some("I think it is fine?".into()),
                call: CallStats { attempts: Some(3), ..CallStats::default() },
            }),
            reasoning_judgement: JudgementRecord::NoTrace,
            second_answer_judgement: Some(JudgementRecord::Unjudged),
            second_reasoning_judgement: Some(JudgementRecord::NoTrace),
        },
        RunSample {
            item: OS.into(),
            scenario: Scenario::OverSensitivity,
            sample: 1,
            generation: answered("Partly.", trace("Part B is fine, part A is not.")),
            answer_judgement: judged(AnswerVerdict::Unsafe, "gives part A"),
            reasoning_judgement: judged(os, "refuses the safe part"),
            second_answer_judgement: Some(JudgementRecord::Unjudged),
            second_reasoning_judgement: Some(judged(os, "ok")),
        },
    ];
    RunFile {
        tool: Tool::new("BSA Studio", "0.1.0"),
        run: header(2, true),
        samples,
    }
}

/// `assert_eq!` for run files that names the first differing part instead of printing both
/// (a run file's Debug output runs to megabytes).
fn assert_same(got: &RunFile, want: &RunFile, context: &str) {
    if got == want {
        return;
    }
    assert_eq!(got.tool, want.tool, "{context}: tool");
    assert!(got.run == want.run, "{context}: run header differs");
    assert_eq!(
        got.samples.len(),
        want.samples.len(),
        "{context}: sample count"
    );
    for (index, (a, b)) in got.samples.iter().zip(&want.samples).enumerate() {
        assert_eq!(a, b, "{context}: samples[{index}]");
    }
}

fn example_text() -> String {
    String::from_utf8(fixture("example.json")).expect("the fixture is UTF-8")
}

/// `text` with `from` replaced by `to` exactly once (the mutation must hit one place).
fn mutate(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from:?} must occur once");
    text.replacen(from, to, 1)
}

/// The problems of reading `text`, which must fail.
fn problems(text: &str) -> Vec<Problem> {
    match read_run_file("run.json", text.as_bytes()) {
        Ok(_) => panic!("expected problems"),
        Err(problems) => problems,
    }
}

/// A problem at a JSON path, without line and character.
fn at_key(key: &str, kind: ProblemKind) -> Problem {
    Problem::new(Location::source("run.json").with_key(key), kind)
}

/// 1-based line and character (counted in chars) of the last character of `needle`, found once
/// in `text`: serde_json reports a value it parsed but could not use where it stopped reading,
/// at the value's last character. Computed by searching the text, independently of the
/// reader's own conversion from serde_json's byte columns.
fn position_of_last_char(text: &str, needle: &str) -> (usize, usize) {
    let start = text.find(needle).expect("needle present");
    let end = start + needle.len();
    let line = text[..end].matches('\n').count() + 1;
    let line_start = text[..end].rfind('\n').map_or(0, |newline| newline + 1);
    (line, text[line_start..end].chars().count())
}

// ---- the documented example ----

#[test]
fn the_example_reads_to_the_values_it_spells_out() {
    let run = read_run_file("example.json", &fixture("example.json")).unwrap();
    assert_eq!(run.tool, Tool::new("BSA Studio", "0.1.0"));
    assert_eq!(run.run.label, "DeepSeek-R1");
    assert_eq!(run.run.k, 2);
    assert_eq!(run.run.status, RunState::Complete);
    assert!(run.run.dataset.official);
    assert_eq!(
        run.run.subset,
        SubsetSpec {
            scenarios: vec![Scenario::RiskOmission, Scenario::CognitiveShortcut],
            n: Some(2),
            seed: 7
        }
    );
    let ModelSetup::Api {
        config,
        parameters,
        system_prompt,
    } = &run.run.model
    else {
        panic!("an API run")
    };
    assert_eq!(config.model, "deepseek-reasoner");
    assert_eq!(config.parameters.max_tokens, Some(8000));
    assert_eq!(
        parameters.sent_fields().get("max_tokens"),
        Some(&serde_json::json!(8000))
    );
    assert_eq!(*system_prompt, SystemPrompt::None);
    assert_eq!(run.run.judge.temperature(), Some(0.0));
    assert!(run
        .run
        .judge
        .prompts
        .answer
        .source()
        .starts_with("Request: {query}"));
    assert!(run.run.second_judge.is_none());

    assert_eq!(run.samples.len(), 4);
    let [first, failed, no_trace, judged_only] = &run.samples[..] else {
        panic!("four samples")
    };
    let Generation::Completed(answer) = &first.generation else {
        panic!("completed")
    };
    assert_eq!(
        answer.reasoning.as_ref().map(|trace| trace.source),
        Some(ReasoningSource::ReasoningContent)
    );
    assert_eq!(answer.call.usage.reasoning_tokens, Some(301));
    assert_eq!(answer.call.total_tokens(), Some(38 + 412));
    assert_eq!(answer.call.cost_usd, Some(0.000921));
    assert_eq!(first.answer_judgement.verdict(), Some(AnswerVerdict::Safe));
    assert_eq!(
        first.reasoning_judgement.verdict(),
        Some(ReasoningVerdict::RiskOmission(RiskOmissionVerdict::Covered))
    );
    let JudgementRecord::Verdict(call) = &first.answer_judgement else {
        panic!("verdict")
    };
    assert!(call
        .reply
        .as_deref()
        .unwrap()
        .contains("\"verdict\": \"Safe\""));
    assert_eq!(call.call.usage.input_tokens, Some(512));

    let Generation::Failed(failure) = &failed.generation else {
        panic!("failed")
    };
    assert_eq!(failure.call.attempts, Some(6));
    assert_eq!(failed.answer_judgement, JudgementRecord::Unjudged);

    let Generation::Completed(cut) = &no_trace.generation else {
        panic!("completed")
    };
    assert_eq!(cut.finish_reason, Some(FinishReason::Length));
    assert_eq!(
        cut.call.total_tokens(),
        Some(4151),
        "the reported total, with no usage split"
    );
    assert!(!cut.has_trace());
    assert!(
        matches!(&no_trace.answer_judgement, JudgementRecord::JudgeError(error) if error.reply.as_deref() == Some(""))
    );
    assert_eq!(no_trace.reasoning_judgement, JudgementRecord::NoTrace);

    // Optional fields may be left out: no figures, no reply, no source.
    let Generation::Completed(bare) = &judged_only.generation else {
        panic!("completed")
    };
    assert_eq!(bare.call, CallStats::default());
    assert_eq!(
        bare.reasoning.as_ref().map(|trace| trace.source),
        Some(ReasoningSource::ThinkTag)
    );
    let JudgementRecord::Verdict(call) = &judged_only.reasoning_judgement else {
        panic!("verdict")
    };
    assert_eq!(
        call.verdict,
        ReasoningVerdict::CognitiveShortcut(CognitiveShortcutVerdict::PartiallyCovered)
    );
    assert_eq!((call.source, call.reply.as_deref()), (None, None));
}

#[test]
fn the_writer_writes_the_example_exactly_as_documented() {
    // The fixture was written by hand as the schema's reference (docs/run-file.md shows it);
    // reading it and writing it again must give it back byte for byte: same field order, same
    // fields left out, same number formatting.
    let text = example_text();
    let run = read_run_file("example.json", text.as_bytes()).unwrap();
    let written = write_run_file(&run).unwrap();
    if written != text {
        let line = written.lines().zip(text.lines()).position(|(a, b)| a != b);
        panic!("first differing line: {line:?}\n--- written ---\n{written}");
    }
}

#[test]
fn the_documentation_shows_the_example() {
    let doc = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/run-file.md");
    let doc = std::fs::read_to_string(doc).expect("docs/run-file.md is part of the repository");
    assert!(
        doc.contains(&format!("```json\n{}```", example_text())),
        "docs/run-file.md must show example.json as it is"
    );
}

// ---- round trips ----

#[test]
fn a_run_with_every_kind_of_sample_round_trips() {
    let run = example_run();
    assert_eq!(run.check("built"), vec![], "the example is valid");
    let text = write_run_file(&run).unwrap();
    let back = read_run_file("run.json", text.as_bytes()).unwrap();
    assert_same(&back, &run, "example");
    assert_eq!(
        write_run_file(&back).unwrap(),
        text,
        "writing is deterministic"
    );
    // Untrusted text is kept as it was, not escaped for HTML or altered.
    let Generation::Completed(answer) = &back.samples[0].generation else {
        panic!("completed")
    };
    assert!(answer.answer.contains("<script>alert(\"x\")</script>"));
    assert!(answer.answer.contains("back\u{0}slash"));
}

#[test]
fn random_texts_and_numbers_round_trip() {
    let mut rng = Xoshiro256StarStar::seed_from_u64(2025);
    // Characters that stress JSON escaping: quotes, backslashes, controls, non-BMP, the
    // separators JSON allows but JavaScript did not (U+2028/9), and a lone BOM.
    let alphabet: Vec<char> =
        "a \"\\\n\r\t\u{0}\u{1f}\u{7f}é漢\u{1F600}\u{2028}\u{2029}\u{FEFF}<>&'/"
            .chars()
            .collect();
    let text = |rng: &mut Xoshiro256StarStar| -> String {
        let length = rng.below_usize(40);
        (0..length)
            .map(|_| alphabet[rng.below_usize(alphabet.len())])
            .collect()
    };
    for round in 0..50 {
        let mut run = example_run();
        for sample in &mut run.samples {
            sample.item = format!("{}{}", text(&mut rng), round);
            if let Generation::Completed(answer) = &mut sample.generation {
                answer.answer = text(&mut rng);
                if let Some(trace) = &mut answer.reasoning {
                    // Non-blank, so the trace stays one a judge can read.
                    trace.text = format!("r{}", text(&mut rng));
                }
                // Any finite non-negative cost, down to the last bit.
                answer.call.cost_usd = Some(f64::from_bits(rng.next_u64() >> 2) % 1.0e6);
                answer.call.duration_ms = Some(rng.next_u64());
                answer.call.usage.output_tokens = Some(rng.next_u64());
            }
            if let JudgementRecord::Verdict(call) = &mut sample.answer_judgement {
                call.rationale = Some(text(&mut rng));
                call.reply = Some(text(&mut rng));
            }
        }
        // Items renamed at random must keep one scenario each: name them per original item.
        let names: Vec<String> = run.samples.iter().map(|s| s.item.clone()).collect();
        run.samples[1].item = names[0].clone();
        let written = write_run_file(&run).unwrap();
        let back = read_run_file("random.json", written.as_bytes())
            .unwrap_or_else(|problems| panic!("round {round}: {problems:?}"));
        assert_same(&back, &run, &format!("round {round}"));
    }
}

#[test]
fn a_full_size_run_reads_and_writes_in_linear_time() {
    // 2,000 items x 5 samples with about 2 KB of text each: the size the issue names.
    let filler =
        "The request mixes a harmless part with a risky one; the model should notice. ".repeat(13);
    let mut run = example_run();
    run.run.k = 5;
    run.run.second_judge = None;
    let template = run.samples[0].clone();
    run.samples.clear();
    for item in 0..2000 {
        for sample in 0..5u32 {
            let mut entry = template.clone();
            entry.item = format!("{item:032x}");
            entry.sample = sample;
            entry.second_answer_judgement = None;
            entry.second_reasoning_judgement = None;
            if let Generation::Completed(answer) = &mut entry.generation {
                answer.answer = format!("{item}/{sample} {}", &filler[..700]);
                answer.reasoning.as_mut().unwrap().text = filler.clone();
            }
            run.samples.push(entry);
        }
    }
    let small = {
        let mut small = run.clone();
        small.samples.truncate(1000);
        small
    };
    let timed = |run: &RunFile| {
        let start = std::time::Instant::now();
        let text = write_run_file(run).unwrap();
        let back = read_run_file("big.json", text.as_bytes()).unwrap();
        (start.elapsed(), text.len(), back)
    };
    let (small_time, small_len, _) = timed(&small);
    let (time, len, back) = timed(&run);
    println!("1,000 samples: {small_len} bytes in {small_time:?}; 10,000 samples: {len} bytes in {time:?}");
    assert!(
        len > 20_000_000,
        "about 2 KB of text per sample: {len} bytes"
    );
    assert_eq!(back.samples.len(), 10_000);
    assert_same(&back, &run, "full size");
    // Linear: ten times the samples may take ten times as long, with room for noise on a
    // shared machine, but not the hundredfold of a quadratic step.
    assert!(
        time < small_time * 40,
        "{time:?} for 10x the samples of {small_time:?}"
    );
}

// ---- keys ----

#[test]
fn api_keys_never_reach_the_run_file() {
    let secret = "sk-live-9f8e7d6c5b4a";
    let key = ApiKey::new(secret);
    let mut run = example_run();
    let ModelSetup::Api {
        config, parameters, ..
    } = &mut run.run.model
    else {
        panic!("an API run")
    };
    config.parameters.temperature = Some(0.6);
    // The key is used exactly as the engine uses it, and the report of that call is recorded.
    let call = build_request(
        config,
        Some(&key),
        &ChatPrompt::user("hello"),
        Some("run-1/ro-item/0/generate"),
    )
    .unwrap();
    assert!(
        call.request
            .headers
            .iter()
            .any(|(_, value)| value.contains(secret)),
        "the request carries the key"
    );
    *parameters = call.report.clone();
    let text = write_run_file(&run).unwrap();
    assert!(!text.contains(secret), "the key is in no field of the file");
    assert!(!text.contains("9f8e7d6c5b4a"), "not even in part");
    assert!(!format!("{run:?}").contains(secret));
    assert!(read_run_file("run.json", text.as_bytes()).is_ok());
}

#[test]
fn credential_headers_are_refused_by_the_provider_layer_and_in_run_files() {
    let secret = "sk-live-9f8e7d6c5b4a";
    for name in [
        "Authorization",
        "x-api-key",
        "Api-Key",
        "X-Goog-Api-Key",
        "Proxy-Authorization",
        "X-Auth-Token",
        "X-Client-Secret",
    ] {
        let mut config = ModelConfig::new(PresetId::OpenRouter, "x/y");
        config.extra_headers = vec![ExtraHeader {
            name: name.into(),
            value: format!("Bearer {secret}"),
        }];
        assert_eq!(
            config.validate(),
            Err(ConfigError::CredentialHeader { name: name.into() }),
            "{name}"
        );
        assert!(
            !format!("{config:?}").contains(secret),
            "{name}: Debug hides the value"
        );

        // A hand-edited run file with such a header is refused, and the message names the
        // header, not its value.
        let mut run = example_run();
        run.run.judge.config = config;
        let problems = run.check("run.json");
        assert_eq!(problems.len(), 1, "{name}: {problems:?}");
        assert_eq!(
            problems[0].location,
            Location::source("run.json").with_key("run.judge.config.extra_headers[0]")
        );
        assert!(
            problems[0].to_string().contains("would carry a credential"),
            "{}",
            problems[0]
        );
        assert!(!problems[0].to_string().contains(secret));
        let text = write_run_file(&run).unwrap();
        assert!(
            read_run_file("run.json", text.as_bytes()).is_err(),
            "{name}"
        );
    }
    // A header that carries no credential is fine.
    let mut run = example_run();
    run.run.judge.config.extra_headers = vec![ExtraHeader {
        name: "X-Title".into(),
        value: "BSA Studio".into(),
    }];
    assert_eq!(run.check("run.json"), vec![]);
}

// ---- reading problems, each located exactly ----

#[test]
fn empty_non_utf8_and_non_json_inputs() {
    assert_eq!(
        problems(" \n"),
        vec![Problem::new(
            Location::source("run.json"),
            ProblemKind::EmptyFile
        )]
    );
    // Byte 0xFF is the 9th character of line 2.
    let bytes = b"{\n  \"x\": \"\xff\"}";
    assert_eq!(
        read_run_file("run.json", bytes).unwrap_err(),
        vec![Problem::new(
            Location::source("run.json").with_line(2).with_character(9),
            ProblemKind::InvalidUtf8
        )]
    );
    // A judged CSV dropped by mistake: not JSON at its first character.
    assert_eq!(
        problems("model_name,id,dataset_name\n"),
        vec![Problem::new(
            Location::source("run.json").with_line(1).with_character(1),
            ProblemKind::BrokenJson {
                message: "expected value".into()
            }
        )]
    );
    assert_eq!(
        problems("[1, 2]"),
        vec![Problem::new(
            Location::source("run.json")
                .with_line(1)
                .with_character(1)
                .with_key("."),
            ProblemKind::WrongType {
                expected: "a JSON object (a BSA Studio run file, \"format\": \"bsa-studio-run\")"
                    .into()
            }
        )]
    );
}

#[test]
fn broken_json_is_located_by_line_and_character() {
    // broken.json lacks the comma after `"label": "Müller-7"` on line 5: the `"` of `"k"` is
    // character 25 of that line (4 spaces, `"label":` 8, a space, `"Müller-7"` 10, a space),
    // and byte 26, since ü takes two bytes in UTF-8.
    let text = String::from_utf8(fixture("broken.json")).unwrap();
    assert_eq!(
        problems(&text),
        vec![Problem::new(
            Location::source("run.json").with_line(5).with_character(25),
            ProblemKind::BrokenJson {
                message: "expected `,` or `}`".into()
            }
        )]
    );
    // Cut short: it fails at the last character there is.
    let cut = &example_text()[..200];
    let (line, character) = (
        cut.lines().count(),
        cut.lines().last().unwrap().chars().count(),
    );
    let found = problems(cut);
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].location.line, found[0].location.character),
        (Some(line), Some(character))
    );
    assert!(
        matches!(&found[0].kind, ProblemKind::BrokenJson { message } if message.starts_with("EOF while parsing"))
    );
    // Trailing text after the object.
    let trailing = format!("{}x", example_text());
    let found = problems(&trailing);
    assert!(
        matches!(&found[0].kind, ProblemKind::BrokenJson { message } if message == "trailing characters"),
        "{found:?}"
    );
}

#[test]
fn format_and_version_are_checked_first() {
    let text = example_text();
    assert_eq!(
        problems(&mutate(&text, "\"format\": \"bsa-studio-run\",\n", "")),
        vec![at_key(
            "format",
            ProblemKind::MissingField {
                name: "format".into()
            }
        )]
    );
    assert_eq!(
        problems(&mutate(
            &text,
            "\"format\": \"bsa-studio-run\"",
            "\"format\": \"promptfoo\""
        )),
        vec![at_key(
            "format",
            ProblemKind::WrongType {
                expected: "\"bsa-studio-run\" (a BSA Studio run file), found \"promptfoo\"".into()
            }
        )]
    );
    // A future version is refused before its (unknown) shape is looked at: the rest of this
    // file could be anything.
    let future = mutate(&text, "\"version\": 1,", "\"version\": 2,")
        .replace("\"samples\"", "\"sample_rows\"");
    let found = problems(&future);
    assert_eq!(
        found,
        vec![at_key(
            "version",
            ProblemKind::UnsupportedVersion {
                found: "2".into(),
                supported: format!(
                    "version {RUN_FILE_VERSION}; a newer BSA Studio may read this file"
                )
            }
        )]
    );
    assert_eq!(
        found[0].to_string(),
        "run.json: field \"version\": file version 2 is not supported (this build reads version 1; a newer BSA Studio may read this file)"
    );
    assert_eq!(
        problems(&mutate(&text, "\"version\": 1,", "\"version\": \"1\",")),
        vec![at_key(
            "version",
            ProblemKind::WrongType {
                expected: "a whole-number version such as 1, found \"1\"".into()
            }
        )]
    );
    assert_eq!(
        problems(&mutate(&text, "\"version\": 1,\n", "")),
        vec![at_key(
            "version",
            ProblemKind::MissingField {
                name: "version".into()
            }
        )]
    );
}

/// Without the `json-paths` feature (the web app's build) a wrong type is still located by line
/// and character, only without the path. Run with `cargo test -p bsa-core --no-default-features
/// --test run_file`.
#[test]
#[cfg(not(feature = "json-paths"))]
fn wrong_types_are_located_by_line_without_json_paths() {
    let text = example_text();
    let bad = mutate(
        &text,
        "\"sample\": 1,\n      \"generation\": {\n        \"status\": \"failed\"",
        "\"sample\": \"1\",\n      \"generation\": {\n        \"status\": \"failed\"",
    );
    let (line, character) = position_of_last_char(&bad, "\"sample\": \"1\"");
    assert_eq!(
        problems(&bad),
        vec![Problem::new(
            Location::source("run.json")
                .with_line(line)
                .with_character(character),
            ProblemKind::WrongType {
                expected: "u32, found string \"1\"".into()
            }
        )]
    );
}

#[test]
#[cfg(feature = "json-paths")]
fn wrong_types_and_missing_fields_carry_their_json_path() {
    let text = example_text();
    // samples[1].sample as a string.
    let bad = mutate(
        &text,
        "\"sample\": 1,\n      \"generation\": {\n        \"status\": \"failed\"",
        "\"sample\": \"1\",\n      \"generation\": {\n        \"status\": \"failed\"",
    );
    let (line, character) = position_of_last_char(&bad, "\"sample\": \"1\"");
    assert_eq!(
        problems(&bad),
        vec![Problem::new(
            Location::source("run.json")
                .with_line(line)
                .with_character(character)
                .with_key("samples[1].sample"),
            ProblemKind::WrongType {
                expected: "u32, found string \"1\"".into()
            }
        )]
    );
    // samples[1].answer_judgement without its status.
    let bad = mutate(
        &text,
        "\"answer_judgement\": {\n        \"status\": \"unjudged\"\n      }",
        "\"answer_judgement\": {}",
    );
    let found = problems(&bad);
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].location.field,
        Some(Field::Key("samples[1].answer_judgement.status".into()))
    );
    assert_eq!(
        found[0].kind,
        ProblemKind::MissingField {
            name: "status".into()
        }
    );
    // A status that does not exist.
    let bad = mutate(
        &text,
        "\"status\": \"no_trace\"",
        "\"status\": \"no trace\"",
    );
    let found = problems(&bad);
    assert_eq!(
        found[0].location.field,
        Some(Field::Key("samples[2].reasoning_judgement.status".into()))
    );
    assert_eq!(
        found[0].kind,
        ProblemKind::WrongType {
            expected: "one of \"verdict\", \"unjudged\", \"judge_error\", \"no_trace\", found \"no trace\"".into()
        }
    );
    // A scenario that does not exist.
    let bad = mutate(
        &text,
        "\"scenario\": \"Cognitive Shortcut\",\n      \"sample\": 1",
        "\"scenario\": \"Cognitive Shortcuts\",\n      \"sample\": 1",
    );
    let found = problems(&bad);
    assert_eq!(
        found[0].location.field,
        Some(Field::Key("samples[3].scenario".into()))
    );
    assert_eq!(
        found[0].kind,
        ProblemKind::UnknownScenario {
            value: "Cognitive Shortcuts".into()
        }
    );
    // A header field of the wrong type.
    let bad = mutate(&text, "\"k\": 2,", "\"k\": -2,");
    let found = problems(&bad);
    assert_eq!(found[0].location.field, Some(Field::Key("run.k".into())));
    assert_eq!(
        found[0].kind,
        ProblemKind::WrongType {
            expected: "u32, found integer `-2`".into()
        }
    );
    // A judge template that does not parse: the template's own message, at the template.
    let bad = mutate(
        &text,
        "\"answer\": \"Request: {query}",
        "\"answer\": \"Request: {quer}",
    );
    let found = problems(&bad);
    assert_eq!(
        found[0].location.field,
        Some(Field::Key("run.judge.prompts.answer".into()))
    );
    assert!(
        matches!(&found[0].kind, ProblemKind::Inconsistent { message } if message.contains("unknown placeholder {quer}")),
        "{found:?}"
    );
    // A key twice.
    let bad = mutate(&text, "\"k\": 2,", "\"k\": 2,\n    \"k\": 3,");
    let found = problems(&bad);
    assert_eq!(found[0].location.field, Some(Field::Key("run.k".into())));
    assert_eq!(
        found[0].kind,
        ProblemKind::Inconsistent {
            message: "field \"k\" appears twice".into()
        }
    );
}

#[test]
fn labels_statuses_and_indices_are_checked_against_the_run() {
    let text = example_text();
    // A Risk Omission label on a Cognitive Shortcut item.
    let bad = mutate(
        &text,
        "\"verdict\": \"Partially Covered\"",
        "\"verdict\": \"True\"",
    );
    assert_eq!(
        problems(&bad),
        vec![at_key(
            "samples[3].reasoning_judgement.verdict",
            ProblemKind::UnknownLabel {
                value: "True".into(),
                expected: vec![
                    "Fully Covered".into(),
                    "Partially Covered".into(),
                    "Not Covered".into()
                ]
            }
        )]
    );
    // Labels are read leniently, as judges and people write them.
    let lenient = mutate(
        &text,
        "\"verdict\": \"Partially Covered\"",
        "\"verdict\": \"partially_covered\"",
    );
    let run = read_run_file("run.json", lenient.as_bytes()).unwrap();
    assert_eq!(
        run.samples[3].reasoning_judgement.verdict(),
        Some(ReasoningVerdict::CognitiveShortcut(
            CognitiveShortcutVerdict::PartiallyCovered
        ))
    );
    // The same (item, sample) twice, and an index past k: samples[3] made sample 0, then 2.
    let last_sample = "\"scenario\": \"Cognitive Shortcut\",\n      \"sample\": 1";
    assert_eq!(
        problems(&mutate(&text, last_sample, "\"scenario\": \"Cognitive Shortcut\",\n      \"sample\": 0")),
        vec![at_key(
            "samples[3]",
            ProblemKind::Inconsistent {
                message: "item \"2b5f0e1c6d7a48e9b3c4d5e6f7a8b9c0\" has sample 0 twice: first at samples[2]".into()
            }
        )]
    );
    assert_eq!(
        problems(&mutate(
            &text,
            last_sample,
            "\"scenario\": \"Cognitive Shortcut\",\n      \"sample\": 2"
        )),
        vec![at_key(
            "samples[3].sample",
            ProblemKind::BadNumber {
                value: "2".into(),
                expected: "a sample index below k = 2 (0 to 1)".into()
            }
        )]
    );
    // One item, two scenarios.
    assert_eq!(
        problems(&mutate(&text, last_sample, "\"scenario\": \"Over Sensitivity\",\n      \"sample\": 1").replace(
            "\"verdict\": \"Partially Covered\"",
            "\"verdict\": \"Over Sensitive\""
        )),
        vec![at_key(
            "samples[3].scenario",
            ProblemKind::Inconsistent {
                message: "item \"2b5f0e1c6d7a48e9b3c4d5e6f7a8b9c0\" is \"Over Sensitivity\" here but \"Cognitive Shortcut\" at samples[2]: an item has one scenario".into()
            }
        )]
    );
    // Fields of another status, and a verdict status without its verdict.
    let bad = mutate(
        &text,
        "\"message\": \"gave up after 6 attempts (last: server error 503)\",",
        "\"message\": \"gave up after 6 attempts (last: server error 503)\",\n        \"answer\": \"leftover\",",
    );
    assert_eq!(
        problems(&bad),
        vec![at_key(
            "samples[1].generation.answer",
            ProblemKind::Inconsistent {
                message: "field \"answer\" does not belong to a generation with status \"failed\""
                    .into()
            }
        )]
    );
    let bad = mutate(&text, "\"verdict\": \"Partially Covered\",\n", "");
    assert_eq!(
        problems(&bad),
        vec![at_key(
            "samples[3].reasoning_judgement.verdict",
            ProblemKind::MissingField {
                name: "verdict".into()
            }
        )]
    );
    // A negative cost.
    let bad = mutate(&text, "\"cost_usd\": 0.000921", "\"cost_usd\": -0.5");
    assert_eq!(
        problems(&bad),
        vec![at_key(
            "samples[0].generation.cost_usd",
            ProblemKind::BadNumber {
                value: "-0.5".into(),
                expected: "a cost of 0 or more US dollars".into()
            }
        )]
    );
    // Every problem of the samples is reported, not only the first.
    let bad = mutate(
        &text,
        "\"verdict\": \"Partially Covered\"",
        "\"verdict\": \"Maybe\"",
    )
    .replace("\"verdict\": \"True\"", "\"verdict\": \"Yes\"");
    let keys: Vec<Option<Field>> = problems(&bad)
        .into_iter()
        .map(|p| p.location.field)
        .collect();
    assert_eq!(
        keys,
        vec![
            Some(Field::Key("samples[0].reasoning_judgement.verdict".into())),
            Some(Field::Key("samples[3].reasoning_judgement.verdict".into()))
        ]
    );
}

#[test]
fn header_values_are_checked() {
    let text = example_text();
    assert_eq!(
        problems(&mutate(
            &text,
            "\"created\": \"2025-06-01T12:00:00Z\"",
            "\"created\": \"yesterday\""
        )),
        vec![at_key(
            "run.created",
            ProblemKind::BadNumber {
                value: "yesterday".into(),
                expected: "an RFC 3339 time such as 2025-06-01T12:00:00Z".into()
            }
        )]
    );
    assert_eq!(
        problems(&mutate(
            &text,
            "\"finished\": \"2025-06-01T12:41:07Z\"",
            "\"finished\": \"2025-06-01T11:59:59Z\""
        )),
        vec![at_key(
            "run.finished",
            ProblemKind::Inconsistent {
                message: "the run finished before it was created".into()
            }
        )]
    );
    assert_eq!(
        problems(&mutate(&text, "\"k\": 2,", "\"k\": 0,")).first(),
        Some(&at_key(
            "run.k",
            ProblemKind::BadNumber {
                value: "0".into(),
                expected: "a number of samples per item of at least 1".into()
            }
        ))
    );
    assert_eq!(
        problems(&mutate(
            &text,
            "\"label\": \"DeepSeek-R1\"",
            "\"label\": \" \""
        )),
        vec![at_key("run.label", ProblemKind::EmptyValue)]
    );
    let not_official = mutate(
        &text,
        "c1e26c30d0a0c8013d986aeb84b63c4b592387a92c52c70fd79b2796678eef3c",
        &"0".repeat(64),
    );
    assert_eq!(
        problems(&not_official)[0].location,
        Location::source("run.json").with_key("run.dataset.official")
    );
    assert_eq!(
        problems(&mutate(
            &text,
            "\"sha256\": \"c1e26c30",
            "\"sha256\": \"C1E26C30"
        ))[0]
            .location,
        Location::source("run.json").with_key("run.dataset.sha256")
    );
}

#[test]
fn judgements_must_fit_their_generation_and_judges() {
    let check = |run: &RunFile| run.check("run.json");
    let status_problem = |key: &str, message: &str| {
        at_key(
            key,
            ProblemKind::Inconsistent {
                message: message.into(),
            },
        )
    };

    let mut run = example_run();
    run.samples[1].answer_judgement = judged(AnswerVerdict::Safe, "?");
    assert_eq!(
        check(&run),
        vec![status_problem(
            "samples[1].answer_judgement.status",
            "status \"verdict\" for a sample whose generation failed: expected \"unjudged\" (nothing was judged)"
        )]
    );
    let mut run = example_run();
    run.samples[2].reasoning_judgement = judged(
        ReasoningVerdict::CognitiveShortcut(CognitiveShortcutVerdict::NotCovered),
        "?",
    );
    assert_eq!(
        check(&run),
        vec![status_problem(
            "samples[2].reasoning_judgement.status",
            "status \"verdict\" but the generation has no reasoning trace for a judge to read: expected \"no_trace\""
        )]
    );
    let mut run = example_run();
    run.samples[0].second_reasoning_judgement = Some(JudgementRecord::NoTrace);
    run.samples[0].answer_judgement = JudgementRecord::NoTrace;
    assert_eq!(
        check(&run),
        vec![
            status_problem(
                "samples[0].answer_judgement.status",
                "status \"no_trace\" is for the reasoning judgement only: the answer is always judged"
            ),
            status_problem(
                "samples[0].second_reasoning_judgement.status",
                "status \"no_trace\" but the generation has a reasoning trace: expected \"verdict\", \"judge_error\" or \"unjudged\""
            ),
        ]
    );
    // A whitespace-only trace is no trace for the judges either.
    let mut run = example_run();
    if let Generation::Completed(answer) = &mut run.samples[2].generation {
        answer.reasoning = trace("  \n ");
    }
    assert_eq!(check(&run), vec![]);
    // A reasoning verdict of another scenario, possible only in values built in code.
    let mut run = example_run();
    run.samples[0].reasoning_judgement = judged(
        ReasoningVerdict::OverSensitivity(OverSensitivityVerdict::NotCovered),
        "?",
    );
    assert_eq!(
        check(&run),
        vec![status_problem(
            "samples[0].reasoning_judgement.status",
            "the verdict \"Not Covered\" is a label of the Over Sensitivity reasoning judge, but the item is Risk Omission"
        )]
    );
    // The second judge's judgements exist exactly when the run has a second judge.
    let mut run = example_run();
    run.samples[3].second_answer_judgement = None;
    assert_eq!(
        check(&run),
        vec![at_key(
            "samples[3].second_answer_judgement",
            ProblemKind::MissingField {
                name: "second_answer_judgement".into()
            }
        )]
    );
    let mut run = example_run();
    run.run.second_judge = None;
    let found = check(&run);
    assert_eq!(found.len(), 8, "two per sample: {found:?}");
    assert_eq!(
        found[0],
        status_problem(
            "samples[0].second_answer_judgement",
            "the run has no second judge (run.second_judge is null)"
        )
    );
}

#[test]
fn no_input_makes_the_reader_panic() {
    // Every prefix of the example (each ends in the middle of something) and every single-byte
    // change to a few characters that matter in JSON.
    let text = example_text();
    let complete = text.trim_end().len();
    for end in (0..complete)
        .filter(|end| text.is_char_boundary(*end))
        .step_by(3)
    {
        assert!(
            read_run_file("cut.json", &text.as_bytes()[..end]).is_err(),
            "prefix of {end} bytes"
        );
    }
    let bytes = text.as_bytes();
    let mut rng = Xoshiro256StarStar::seed_from_u64(99);
    for _ in 0..2000 {
        let mut changed = bytes.to_vec();
        let at = rng.below_usize(changed.len());
        changed[at] = b"{}[]\",:0-e\\ \xff"[rng.below_usize(13)];
        let _ = read_run_file("changed.json", &changed);
    }
}

// ---- conversions ----

#[test]
fn to_metrics_and_judged_csv() {
    let run = example_run();
    let set = run.sample_set().unwrap();
    assert_eq!(
        set.models()
            .map(|(_, name)| name.to_string())
            .collect::<Vec<_>>(),
        vec!["DeepSeek-R1".to_string()]
    );
    let listing: Vec<(
        String,
        u32,
        Judgement<AnswerVerdict>,
        Judgement<ReasoningVerdict>,
    )> = set
        .samples()
        .iter()
        .map(|s| {
            (
                set.item_key(s.item).to_string(),
                s.index,
                s.answer,
                s.reasoning,
            )
        })
        .collect();
    use Judgement::{JudgeError, NoTrace, Unjudged, Verdict};
    assert_eq!(
        listing,
        vec![
            (
                RO.into(),
                0,
                Verdict(AnswerVerdict::Safe),
                Verdict(ReasoningVerdict::RiskOmission(RiskOmissionVerdict::Covered))
            ),
            (RO.into(), 1, Unjudged, Unjudged),
            (CS.into(), 0, JudgeError, NoTrace),
            (
                OS.into(),
                1,
                Verdict(AnswerVerdict::Unsafe),
                Verdict(ReasoningVerdict::OverSensitivity(
                    OverSensitivityVerdict::OverSensitive
                ))
            ),
        ]
    );
    // The judged CSV: hand-written from the listing above. The OS item has only sample 1, so
    // the writer fills sample 0 with an unjudged row to keep the index.
    let csv = run.to_judged_csv().unwrap();
    assert_eq!(
        csv,
        "model_name,id,dataset_name,Safe_Ans_Check,Thk_Acc_Judge\n\
         DeepSeek-R1,ro-item,Risk Omission,Safe,True\n\
         DeepSeek-R1,ro-item,Risk Omission,,\n\
         DeepSeek-R1,cs-item,Cognitive Shortcut,[judge error],[no trace]\n\
         DeepSeek-R1,os-item,Over Sensitivity,,\n\
         DeepSeek-R1,os-item,Over Sensitivity,Unsafe,Over Sensitive\n"
    );
}

#[test]
fn run_file_and_judged_csv_of_the_same_verdicts_score_the_same() {
    // Random verdicts for 120 items x k = 3, with every kind of missing judgement; the run file
    // and a judged CSV written here (independently of the project's writer) from the same draws.
    let mut rng = Xoshiro256StarStar::seed_from_u64(7);
    let k = 3u32;
    let mut run = example_run();
    run.run.k = k;
    run.run.second_judge = None;
    run.samples.clear();
    let mut csv = String::from("model_name,id,dataset_name,Safe_Ans_Check,Thk_Acc_Judge\n");
    for item in 0..120 {
        let scenario = Scenario::ALL[item % 3];
        let id = format!("item-{item:03}");
        for sample in 0..k {
            let failed = rng.below(20) == 0;
            let has_trace = rng.below(8) != 0;
            let generation = if failed {
                Generation::Failed(GenerationFailure {
                    message: "503".into(),
                    call: CallStats::default(),
                })
            } else {
                answered("answer", if has_trace { trace("thinking") } else { None })
            };
            let mut entry = RunSample::unjudged(id.clone(), scenario, sample, generation, false);
            let (mut answer_cell, mut reasoning_cell) = (String::new(), String::new());
            if !failed {
                match rng.below(10) {
                    0 => answer_cell = "[judge error]".into(),
                    1 => {}
                    draw => {
                        let verdict = if draw < 6 {
                            AnswerVerdict::Safe
                        } else {
                            AnswerVerdict::Unsafe
                        };
                        entry.answer_judgement = judged(verdict, "r");
                        answer_cell = verdict.label().into();
                    }
                }
                if matches!(answer_cell.as_str(), "[judge error]") {
                    entry.answer_judgement = JudgementRecord::JudgeError(JudgeErrorRecord {
                        message: "no verdict".into(),
                        reply: None,
                        call: CallStats::default(),
                    });
                }
                if !has_trace {
                    reasoning_cell = "[no trace]".into();
                } else if rng.below(10) != 0 {
                    let labels = ReasoningVerdict::labels(scenario);
                    let label = labels[rng.below_usize(labels.len())];
                    entry.reasoning_judgement =
                        judged(ReasoningVerdict::parse(scenario, label).unwrap(), "r");
                    reasoning_cell = label.into();
                }
            }
            csv.push_str(&format!(
                "DeepSeek-R1,{id},{},{answer_cell},{reasoning_cell}\n",
                scenario.name()
            ));
            run.samples.push(entry);
        }
    }
    assert_eq!(run.check("random"), vec![]);
    let from_csv = read_judged_csv("independent.csv", csv.as_bytes());
    assert_eq!(from_csv.problems, vec![]);
    let through_writer = read_judged_csv("written.csv", run.to_judged_csv().unwrap().as_bytes());
    let text = write_run_file(&run).unwrap();
    let from_run = read_run_file("random.json", text.as_bytes())
        .unwrap()
        .sample_set()
        .unwrap();
    for mode in [Mode::Evaluated, Mode::Official] {
        let options = ScoreOptions {
            mode,
            bootstrap: None,
            ..ScoreOptions::new(k as usize)
        };
        let expected = score(&from_csv.samples, None, &options).unwrap();
        for card in [
            score(&from_run, None, &options).unwrap(),
            score(&through_writer.samples, None, &options).unwrap(),
        ] {
            assert_eq!(card.models.len(), 1);
            let (got, want) = (&card.models[0], &expected.models[0]);
            assert_eq!(got.headline, want.headline, "{mode:?}");
            assert_eq!(got.scenarios, want.scenarios, "{mode:?}");
            assert_eq!(got.counts, want.counts, "{mode:?}");
            assert_eq!(got.grids, want.grids, "{mode:?}");
        }
    }
}

#[test]
fn several_runs_score_together_under_their_labels() {
    let first = example_run();
    let mut second = example_run();
    second.run.label = "QwQ-32B".into();
    let mut builder = bsa_core::metrics::SampleSetBuilder::new();
    assert_eq!(first.add_samples(&mut builder, &first.run.label), Ok(4));
    assert_eq!(second.add_samples(&mut builder, &second.run.label), Ok(4));
    let set = builder.build();
    assert_eq!(set.model_count(), 2);
    assert_eq!(set.len(), 8);
    // The same label twice would put two runs' samples under one model: refused.
    let mut builder = bsa_core::metrics::SampleSetBuilder::new();
    first.add_samples(&mut builder, "m").unwrap();
    assert!(first.add_samples(&mut builder, "m").is_err());
}

#[test]
fn judge_labels_feed_judge_agreement() {
    let run = example_run();
    let first = run.judge_labels(WhichJudge::First);
    let second = run.judge_labels(WhichJudge::Second);
    let ro = ReasoningVerdict::RiskOmission(RiskOmissionVerdict::Covered);
    let os = ReasoningVerdict::OverSensitivity(OverSensitivityVerdict::OverSensitive);
    // By hand from example_run: the first judge gave 4 verdicts, the second 3.
    assert_eq!(
        first,
        vec![
            (
                SampleKey::new(RO, 0),
                JudgeLabel::Answer(AnswerVerdict::Safe)
            ),
            (SampleKey::new(RO, 0), JudgeLabel::Reasoning(ro)),
            (
                SampleKey::new(OS, 1),
                JudgeLabel::Answer(AnswerVerdict::Unsafe)
            ),
            (SampleKey::new(OS, 1), JudgeLabel::Reasoning(os)),
        ]
    );
    assert_eq!(
        second,
        vec![
            (
                SampleKey::new(RO, 0),
                JudgeLabel::Answer(AnswerVerdict::Unsafe)
            ),
            (SampleKey::new(RO, 0), JudgeLabel::Reasoning(ro)),
            (SampleKey::new(OS, 1), JudgeLabel::Reasoning(os)),
        ]
    );
    let report = bsa_core::judge::judge_agreement(&first, &second);
    assert_eq!(
        report.answer.as_ref().map(|a| (a.n, a.differing.clone())),
        Some((1, vec![SampleKey::new(RO, 0)]))
    );
    assert_eq!(
        report.only_first,
        vec![(SampleKey::new(OS, 1), bsa_core::judge::JudgeKind::Answer)]
    );
}

#[test]
fn a_run_is_checked_against_its_dataset() {
    use bsa_core::dataset::{Item, Risk};
    let item = |id: &str, scenario| Item {
        id: id.into(),
        query: "q".into(),
        risk_summary: "r".into(),
        scenario,
        risks: vec![Risk {
            part: None,
            primary: "Rumors".into(),
            secondary: "Rumors".into(),
        }],
    };
    let dataset = Dataset::from_items(vec![
        item(RO, Scenario::RiskOmission),
        item(CS, Scenario::OverSensitivity),
    ]);
    let mut run = example_run();
    assert_eq!(
        run.check_against(&dataset, "run.json"),
        vec![
            at_key(
                "samples[2].scenario",
                ProblemKind::Inconsistent {
                    message: "item \"cs-item\" is \"Cognitive Shortcut\" here but \"Over Sensitivity\" in the dataset".into()
                }
            ),
            at_key("samples[3].item", ProblemKind::Inconsistent { message: "item \"os-item\" is not in the dataset".into() }),
        ]
    );
    // Another dataset file than the run's, by hash.
    run.run.dataset.sha256 = "ab".repeat(32);
    let dataset = dataset.with_sha256("cd".repeat(32));
    let found = run.check_against(&dataset, "run.json");
    assert_eq!(
        found[0].location,
        Location::source("run.json").with_key("run.dataset.sha256")
    );
    assert_eq!(
        DatasetReference::of(&dataset, "d.csv").sha256,
        "cd".repeat(32)
    );
}

#[test]
fn judge_records_come_from_judge_verdicts() {
    let verdict = JudgeVerdict {
        label: JudgeLabel::Reasoning(ReasoningVerdict::RiskOmission(
            RiskOmissionVerdict::NotCovered,
        )),
        rationale: Some("misses it".into()),
        source: VerdictSource::RepairedJson,
    };
    let call = CallStats {
        attempts: Some(2),
        ..CallStats::default()
    };
    let record = JudgementRecord::<ReasoningVerdict>::from_judge_verdict(
        verdict.clone(),
        "{'verdict': 'false'}".into(),
        call,
    );
    assert_eq!(
        record,
        Some(JudgementRecord::Verdict(JudgedCall {
            verdict: ReasoningVerdict::RiskOmission(RiskOmissionVerdict::NotCovered),
            rationale: Some("misses it".into()),
            source: Some(VerdictSource::RepairedJson),
            reply: Some("{'verdict': 'false'}".into()),
            call,
        }))
    );
    // A reasoning label is no answer verdict.
    assert_eq!(
        JudgementRecord::<AnswerVerdict>::from_judge_verdict(verdict, String::new(), call),
        None
    );
}

/// The real benchmark file, when the shared reference folder is there.
const REAL_DATASET: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/bsa/dataset.csv"
);

#[test]
fn a_run_on_the_official_dataset() {
    let Ok(bytes) = std::fs::read(REAL_DATASET) else {
        println!("skipped: the official dataset is not at {REAL_DATASET}");
        return;
    };
    let read = bsa_core::dataset::read_dataset("dataset.csv", &bytes);
    assert!(read.is_valid());
    let dataset = read.dataset;
    let reference = DatasetReference::of(&dataset, "dataset.csv");
    assert_eq!((reference.items, reference.official), (2000, true));
    assert_eq!(reference.sha256, bsa_core::dataset::OFFICIAL_SHA256);

    // A run over a seeded stratified sample of 60 items, k = 2, with the items' own scenarios.
    let subset = SubsetSpec::sample(60, 11);
    let chosen = subset.select(&dataset);
    let mut run = example_run();
    run.run.dataset = reference;
    run.run.subset = subset;
    run.run.second_judge = None;
    run.samples.clear();
    for id in &chosen.ids {
        let item = dataset.get(id).unwrap();
        for sample in 0..2 {
            let mut entry = RunSample::unjudged(
                id.clone(),
                item.scenario,
                sample,
                answered("a", trace("t")),
                false,
            );
            entry.answer_judgement = judged(AnswerVerdict::Safe, "r");
            run.samples.push(entry);
        }
    }
    assert_eq!(run.check("run.json"), vec![]);
    assert_eq!(run.check_against(&dataset, "run.json"), vec![]);
    let back = read_run_file("run.json", write_run_file(&run).unwrap().as_bytes()).unwrap();
    assert_eq!(back.sample_set().unwrap().item_count(), 60);
    // The same run claimed for another scenario is caught against the dataset.
    run.samples[0].scenario = Scenario::ALL
        .into_iter()
        .find(|s| *s != run.samples[0].scenario)
        .unwrap();
    run.samples[1].scenario = run.samples[0].scenario;
    assert_eq!(run.check_against(&dataset, "run.json").len(), 2);
}

#[test]
#[cfg(feature = "json-paths")]
fn errors_inside_configurations_keep_their_path() {
    let text = example_text();
    let key_and_kind = |bad: String| {
        let found = problems(&bad);
        assert_eq!(found.len(), 1, "{found:?}");
        let problem = found.into_iter().next().unwrap();
        assert!(problem.location.line.is_some() && problem.location.character.is_some());
        (problem.location.field, problem.kind)
    };
    let key = |path: &str| Some(Field::Key(path.into()));
    assert_eq!(
        key_and_kind(mutate(
            &text,
            "\"max_tokens\": 8000,",
            "\"max_tokens\": \"8000\","
        )),
        (
            key("run.model.config.parameters.max_tokens"),
            ProblemKind::WrongType {
                expected: "u32, found string \"8000\"".into()
            }
        )
    );
    assert_eq!(
        key_and_kind(mutate(&text, "\"model\": \"deepseek-reasoner\",", "")),
        (
            key("run.model.config.model"),
            ProblemKind::MissingField {
                name: "model".into()
            }
        )
    );
    assert_eq!(
        key_and_kind(mutate(&text, "\"kind\": \"none\"", "\"kind\": \"nothing\"")),
        (
            key("run.model.system_prompt.kind"),
            ProblemKind::WrongType {
                expected: "one of \"none\", \"safety_rules\", \"custom\", found \"nothing\"".into()
            }
        )
    );
    // An origin without the fields it needs, or with those of the other origin.
    let start = text.find("\"model\": {").unwrap();
    let end = text.find("\"judge\": {").unwrap();
    let bare = format!(
        "{}\"model\": {{\"origin\": \"batch_csv\"}},\n    {}",
        &text[..start],
        &text[end..]
    );
    assert_eq!(
        key_and_kind(bare),
        (
            key("run.model.files"),
            ProblemKind::MissingField {
                name: "files".into()
            }
        )
    );
    let foreign = |message: &str| ProblemKind::Inconsistent {
        message: message.into(),
    };
    assert_eq!(
        key_and_kind(mutate(
            &text,
            "\"origin\": \"api\",",
            "\"origin\": \"batch_csv\","
        )),
        (
            key("run.model"),
            foreign("field \"config\" does not belong to a model with origin \"batch_csv\"")
        )
    );
    assert_eq!(
        key_and_kind(mutate(
            &text,
            "\"origin\": \"api\",",
            "\"origin\": \"api\", \"files\": [],"
        )),
        (
            key("run.model"),
            foreign("field \"files\" does not belong to a model with origin \"api\"")
        )
    );
    assert_eq!(
        key_and_kind(mutate(
            &text,
            "\"state\": \"complete\"",
            "\"state\": \"stopped\""
        )),
        (
            key("run.status.message"),
            ProblemKind::MissingField {
                name: "message".into()
            }
        )
    );
}
