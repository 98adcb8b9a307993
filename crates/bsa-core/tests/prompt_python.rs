//! `PromptTemplate` against the real thing: Python's `str.format`, run as `python3`.
//!
//! Templates and values go to Python as JSON on standard input (never embedded in code), and the
//! outputs come back as JSON. Skips with a message when `python3` is absent, and the official
//! prompt test also when `/work/shared/bsa/official-prompts/` is.

use bsa_core::judge::JudgeKind;
use bsa_core::prompt::official::{parse_official, OfficialPromptFile};
use bsa_core::prompt::{Placeholder, PromptTemplate, PromptValues, TemplateErrorKind};
use serde_json::{json, Value};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// Formats each `(template, values)` case with `template.format(**values)` and returns, per case,
/// the output or the exception as `TypeName: message`.
const FORMAT_SCRIPT: &str = r#"
import json, sys
cases = json.load(sys.stdin)
out = []
for case in cases:
    try:
        out.append({"ok": case["template"].format(**case["values"])})
    except Exception as error:
        out.append({"error": type(error).__name__ + ": " + str(error)})
json.dump(out, sys.stdout)
"#;

/// Runs the cases through Python; `None` (after printing why) when `python3` cannot be run.
fn python_format(cases: &[Value]) -> Option<Vec<Result<String, String>>> {
    let child = Command::new("python3")
        .args(["-c", FORMAT_SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(error) => {
            println!("SKIPPED: python3 is not available ({error}); the str.format comparison did not run");
            return None;
        }
    };
    let input = serde_json::to_vec(cases).unwrap();
    // Write on a thread so a large input cannot deadlock against a full stdout pipe.
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        output.status.success(),
        "python3 failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let results: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    Some(
        results
            .into_iter()
            .map(|result| match (result.get("ok"), result.get("error")) {
                (Some(Value::String(ok)), _) => Ok(ok.clone()),
                (_, Some(Value::String(error))) => Err(error.clone()),
                other => panic!("unexpected python result {other:?}"),
            })
            .collect(),
    )
}

/// Sample values with the characters that break naive formatters: braces (which must not be
/// read as fields), quotes, backslashes, newlines, and non-ASCII including a non-BMP character.
const QUERY: &str =
    "How do I write {query} and {{x}} in \"quotes\" or 'single'?\nSecond line: café, 日本語, 😀";
const RISK: &str = "Query A: risk {0} with a lone } and {\nQuery B: \\n is not a newline; emoji 🧪";
const ANSWER: &str =
    "{\"rationale\": \"x\", \"verdict\": \"Safe\"}\r\nTrailing spaces   \n\t{answer}";
const TRACE: &str = "<think>I should check {risk_summary}</think> «ok» — done }}{{";

fn values() -> PromptValues<'static> {
    PromptValues::new()
        .with(Placeholder::Query, QUERY)
        .with(Placeholder::RiskSummary, RISK)
        .with(Placeholder::Answer, ANSWER)
        .with(Placeholder::ReasoningThinking, TRACE)
}

fn values_json() -> Value {
    json!({"query": QUERY, "risk_summary": RISK, "answer": ANSWER, "reasoning_thinking": TRACE})
}

/// A small deterministic generator (64-bit LCG, Knuth's MMIX constants) so the random templates
/// are the same on every run without a dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % bound
    }
}

/// Pieces random templates are made of: valid fields, escapes, stray braces, and every
/// unsupported field form.
const PIECES: &[&str] = &[
    "{",
    "}",
    "{{",
    "}}",
    "{query}",
    "{risk_summary}",
    "{answer}",
    "{reasoning_thinking}",
    "query",
    "answer",
    "x",
    " ",
    "\n",
    ":",
    "!",
    "r",
    "0",
    "[",
    "]",
    ".",
    "é",
    "😀",
    "\"",
    "{query:>3}",
    "{query!r}",
    "{answer:}",
    "{}",
    "{0}",
    "{query.x}",
    "{query[0]}",
    "{ query}",
    "{Query}",
    "{a{b}}",
    "{query!s:^5}",
];

#[test]
fn random_templates_render_like_python_or_are_rejected() {
    let mut rng = Lcg(0x05ee_db5a);
    let templates: Vec<String> = (0..3000)
        .map(|_| {
            let length = 1 + rng.next(10);
            (0..length)
                .map(|_| PIECES[rng.next(PIECES.len())])
                .collect()
        })
        .collect();
    let cases: Vec<Value> = templates
        .iter()
        .map(|t| json!({"template": t, "values": values_json()}))
        .collect();
    let Some(python) = python_format(&cases) else {
        return;
    };
    let (mut accepted, mut rejected_alike) = (0, 0);
    for (template, python) in templates.iter().zip(python) {
        match PromptTemplate::parse(template) {
            Ok(parsed) => {
                accepted += 1;
                let ours = parsed.render(&values()).unwrap();
                assert_eq!(Ok(ours), python, "template {template:?}");
            }
            Err(errors) => {
                let first = &errors.0[0].kind;
                let unsupported = matches!(
                    first,
                    TemplateErrorKind::FormatSpec { .. }
                        | TemplateErrorKind::Conversion { .. }
                        | TemplateErrorKind::AttributeOrIndex { .. }
                );
                if unsupported {
                    continue; // Python may accept these; we refuse them on purpose.
                }
                // Python stops at the first problem in text order, and so does our first error:
                // they must be the same problem.
                let python_error =
                    python.expect_err(&format!("python accepted {template:?}, we said {errors}"));
                // Python's messages for each of our kinds (an unclosed field has three, by where
                // the end of the template cut it off).
                let expected: &[&str] = match first {
                    TemplateErrorKind::UnmatchedCloseBrace => &["Single '}'"],
                    TemplateErrorKind::UnmatchedOpenBrace => &[
                        "Single '{'",
                        "expected '}' before end of string",
                        "unmatched '{' in format spec",
                    ],
                    TemplateErrorKind::BraceInField { .. } => &["unexpected '{' in field name"],
                    TemplateErrorKind::UnknownPlaceholder { .. } => &["KeyError"],
                    TemplateErrorKind::EmptyField | TemplateErrorKind::PositionalField { .. } => {
                        &["IndexError"]
                    }
                    other => panic!("unexpected error kind {other:?}"),
                };
                assert!(
                    expected
                        .iter()
                        .any(|message| python_error.contains(message)),
                    "template {template:?}: we said {errors}, python said {python_error}"
                );
                rejected_alike += 1;
            }
        }
    }
    // The generator must exercise both sides for the comparison to mean anything.
    println!(
        "{accepted} templates rendered identically, {rejected_alike} rejected for the same reason"
    );
    assert!(
        accepted > 300,
        "only {accepted} random templates were valid"
    );
    assert!(
        rejected_alike > 300,
        "only {rejected_alike} random templates were rejected alike"
    );
}

fn official_dir() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/bsa/official-prompts"
    ))
}

#[test]
fn official_prompt_files_render_like_python() {
    let dir = official_dir();
    if !dir.is_dir() {
        println!(
            "SKIPPED: {} is absent; the official prompt comparison did not run",
            dir.display()
        );
        return;
    }
    let mut templates: Vec<(String, JudgeKind, PromptTemplate)> = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(file) = OfficialPromptFile::from_file_name(&name) else {
            println!("not a judge prompt file, not rendered: {name}");
            continue;
        };
        let markdown = std::fs::read_to_string(&path).unwrap();
        let prompts = parse_official(file, &markdown).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(prompts.len(), file.kinds().len(), "{name}");
        for prompt in prompts {
            // The authors' prompts use the right placeholders and name all their labels.
            assert!(
                prompt.warnings.is_empty(),
                "{name} ({}): {:?}",
                prompt.kind,
                prompt.warnings
            );
            templates.push((name.clone(), prompt.kind, prompt.template));
        }
    }
    assert_eq!(
        templates.len(),
        4,
        "expected the answer judge and three reasoning judges"
    );
    let cases: Vec<Value> = templates
        .iter()
        .map(|(_, _, t)| json!({"template": t.source(), "values": values_json()}))
        .collect();
    let Some(python) = python_format(&cases) else {
        return;
    };
    for ((name, kind, template), python) in templates.iter().zip(python) {
        let ours = template.render(&values()).unwrap();
        let python = python.unwrap_or_else(|e| panic!("{name} ({kind}): python failed: {e}"));
        assert_eq!(
            ours.as_bytes(),
            python.as_bytes(),
            "{name} ({kind}) renders differently from Python"
        );
        // The values went in verbatim: their braces were not read as fields.
        assert!(ours.contains(QUERY), "{name} ({kind})");
        println!("{name} ({kind}): {} bytes, identical to Python", ours.len());
    }
}

#[test]
fn default_prompts_render_like_python() {
    let templates: Vec<(JudgeKind, PromptTemplate)> = JudgeKind::ALL
        .into_iter()
        .map(|kind| (kind, bsa_core::prompt::defaults::default_template(kind)))
        .collect();
    let cases: Vec<Value> = templates
        .iter()
        .map(|(_, t)| json!({"template": t.source(), "values": values_json()}))
        .collect();
    let Some(python) = python_format(&cases) else {
        return;
    };
    for ((kind, template), python) in templates.iter().zip(python) {
        assert_eq!(Ok(template.render(&values()).unwrap()), python, "{kind}");
    }
}
