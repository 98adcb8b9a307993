//! `PromptTemplate`: parsing with located errors, rendering, placeholder reports, judge checks.

use bsa_core::judge::JudgeKind;
use bsa_core::prompt::{
    check_template, Placeholder, PromptTemplate, PromptValues, RenderError, Severity,
    TemplateErrorKind, TemplateIssueKind,
};
use bsa_core::scenario::Scenario;

/// `(line, character, kind)` of every error, or empty when the template parses.
fn errors(source: &str) -> Vec<(usize, usize, TemplateErrorKind)> {
    match PromptTemplate::parse(source) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .errors()
            .iter()
            .map(|e| (e.line, e.character, e.kind.clone()))
            .collect(),
    }
}

fn one_error(source: &str) -> (usize, usize, TemplateErrorKind) {
    let mut all = errors(source);
    assert_eq!(all.len(), 1, "{source:?}: {all:?}");
    all.remove(0)
}

fn all_values() -> PromptValues<'static> {
    PromptValues::new()
        .with(Placeholder::Query, "Q")
        .with(Placeholder::RiskSummary, "R")
        .with(Placeholder::Answer, "A")
        .with(Placeholder::ReasoningThinking, "T")
}

#[test]
fn renders_fields_and_literal_braces() {
    let template = PromptTemplate::parse("{{\"q\": {query}}}\n{answer}{{}}").unwrap();
    // By hand: `{{` -> `{`, `{query}` -> Q, `}}` -> `}`, newline, A, `{{}}` -> `{}`.
    assert_eq!(template.render(&all_values()).unwrap(), "{\"q\": Q}\nA{}");
}

#[test]
fn values_are_not_reinterpreted() {
    let template = PromptTemplate::parse("[{answer}]").unwrap();
    let values = PromptValues::new().with(Placeholder::Answer, "{query} {{ } {");
    assert_eq!(template.render(&values).unwrap(), "[{query} {{ } {]");
}

#[test]
fn a_placeholder_may_repeat_and_the_template_may_have_none() {
    let template = PromptTemplate::parse("{query}/{query}").unwrap();
    assert_eq!(template.render(&all_values()).unwrap(), "Q/Q");
    assert_eq!(template.placeholders(), vec![Placeholder::Query]);
    let plain = PromptTemplate::parse("no fields, only }} and {{").unwrap();
    assert_eq!(
        plain.render(&PromptValues::new()).unwrap(),
        "no fields, only } and {"
    );
    assert!(plain.placeholders().is_empty());
    assert_eq!(
        PromptTemplate::parse("")
            .unwrap()
            .render(&PromptValues::new())
            .unwrap(),
        ""
    );
}

#[test]
fn reports_placeholders_in_canonical_order() {
    let template = PromptTemplate::parse("{reasoning_thinking} {query} {risk_summary}").unwrap();
    assert_eq!(
        template.placeholders(),
        vec![
            Placeholder::Query,
            Placeholder::RiskSummary,
            Placeholder::ReasoningThinking
        ]
    );
    assert!(!template.uses(Placeholder::Answer));
}

#[test]
fn missing_value_is_a_typed_error() {
    let template = PromptTemplate::parse("{query} {answer}").unwrap();
    let values = PromptValues::new().with(Placeholder::Query, "Q");
    let error = template.render(&values).unwrap_err();
    assert_eq!(
        error,
        RenderError::MissingValue {
            placeholder: Placeholder::Answer
        }
    );
    assert_eq!(
        error.to_string(),
        "the template uses {answer} but no value was given for it"
    );
}

#[test]
fn unknown_placeholder_is_located_with_a_suggestion() {
    // `{querry}` starts at character 7 of line 2 ("Query:" is 6 characters).
    let (line, character, kind) = one_error("Intro\nQuery:{querry}\n");
    assert_eq!((line, character), (2, 7));
    assert_eq!(
        kind,
        TemplateErrorKind::UnknownPlaceholder {
            name: "querry".into(),
            suggestion: Some(Placeholder::Query)
        }
    );
    let message = PromptTemplate::parse("Intro\nQuery:{querry}\n")
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with("line 2, character 7: unknown placeholder {querry}"),
        "{message}"
    );
    assert!(message.contains("did you mean {query}?"), "{message}");
}

#[test]
fn unescaped_json_gets_the_doubling_hint() {
    // A JSON example written with single braces: Python reads `"verdict"` as a field name.
    let source = "Reply as {\"verdict\": \"Safe\"}";
    let (line, character, kind) = one_error(source);
    assert_eq!((line, character), (1, 10));
    assert!(
        matches!(kind, TemplateErrorKind::FormatSpec { ref name, .. } if name == "\"verdict\"")
    );
    let unknown = one_error("Reply as {\"verdict\"}").2;
    assert!(
        unknown.to_string().contains("double it: {{ or }}"),
        "{unknown}"
    );
}

#[test]
fn unmatched_braces() {
    assert_eq!(
        one_error("a } b"),
        (1, 3, TemplateErrorKind::UnmatchedCloseBrace)
    );
    assert_eq!(
        one_error("ends with {"),
        (1, 11, TemplateErrorKind::UnmatchedOpenBrace)
    );
    // Character positions count Unicode scalar values, not bytes: "é" is one character.
    assert_eq!(
        one_error("é{query"),
        (1, 2, TemplateErrorKind::UnmatchedOpenBrace)
    );
    assert!(one_error("x }")
        .2
        .to_string()
        .contains("single } that closes no field"));
}

#[test]
fn every_error_is_reported_not_just_the_first() {
    let found = errors("{query} }\n{0} {} {answer!r}\n{risk_summary:>5} {query.upper} {query[0]}");
    let kinds: Vec<(usize, usize)> = found.iter().map(|(l, c, _)| (*l, *c)).collect();
    // Line 1: `}` at 9. Line 2: `{0}` at 1, `{}` at 5, `{answer!r}` at 8.
    // Line 3: `{risk_summary:>5}` at 1, `{query.upper}` at 19, `{query[0]}` at 33.
    assert_eq!(
        kinds,
        vec![(1, 9), (2, 1), (2, 5), (2, 8), (3, 1), (3, 19), (3, 33)]
    );
    assert_eq!(found[0].2, TemplateErrorKind::UnmatchedCloseBrace);
    assert_eq!(
        found[1].2,
        TemplateErrorKind::PositionalField { index: "0".into() }
    );
    assert_eq!(found[2].2, TemplateErrorKind::EmptyField);
    assert_eq!(
        found[3].2,
        TemplateErrorKind::Conversion {
            name: "answer".into(),
            conversion: "!r".into()
        }
    );
    assert_eq!(
        found[4].2,
        TemplateErrorKind::FormatSpec {
            name: "risk_summary".into(),
            spec: ">5".into()
        }
    );
    assert_eq!(
        found[5].2,
        TemplateErrorKind::AttributeOrIndex {
            field: "query.upper".into()
        }
    );
    assert_eq!(
        found[6].2,
        TemplateErrorKind::AttributeOrIndex {
            field: "query[0]".into()
        }
    );
}

#[test]
fn unsupported_features_say_so() {
    let spec = one_error("{query:>10}").2.to_string();
    assert!(
        spec.contains("format spec \":>10\"") && spec.contains("not supported"),
        "{spec}"
    );
    let conversion = one_error("{query!r}").2.to_string();
    assert!(
        conversion.contains("conversion \"!r\"") && conversion.contains("not supported"),
        "{conversion}"
    );
    let conversion_and_spec = one_error("{query!s:^5}").2;
    assert_eq!(
        conversion_and_spec,
        TemplateErrorKind::Conversion {
            name: "query".into(),
            conversion: "!s".into()
        }
    );
    let attribute = one_error("{answer.strip}").2.to_string();
    assert!(
        attribute.contains("attribute or index access"),
        "{attribute}"
    );
    let positional = one_error("{1}").2.to_string();
    assert!(
        positional.contains("positional field {1} is not supported"),
        "{positional}"
    );
}

#[test]
fn a_field_runs_to_its_closing_brace_even_across_lines() {
    // Python reads `query\n` as the name of a field closed on line 2; scanning goes on after it.
    let found = errors("{query\n} }\n{bad}");
    assert_eq!(
        found,
        vec![
            (
                1,
                1,
                TemplateErrorKind::UnknownPlaceholder {
                    name: "query\n".into(),
                    suggestion: Some(Placeholder::Query)
                }
            ),
            (2, 3, TemplateErrorKind::UnmatchedCloseBrace),
            (
                3,
                1,
                TemplateErrorKind::UnknownPlaceholder {
                    name: "bad".into(),
                    suggestion: None
                }
            ),
        ]
    );
}

#[test]
fn an_unclosed_field_stops_the_scan() {
    // Everything after an unclosed `{` would be that field in Python, so nothing after it is
    // reported: later positions would be guesses.
    assert_eq!(
        errors("ok\n{query and more"),
        vec![(2, 1, TemplateErrorKind::UnmatchedOpenBrace)]
    );
    // A `{` in the name: Python stops there; we report it for the whole field up to where its
    // braces balance (the `}` after "and"); then the `{` at character 21 of line 2
    // ("{answer} and } more " is 20 characters) is never closed, and scanning stops.
    let nested = errors("{query and more\n{answer} and } more { x");
    assert_eq!(nested.len(), 2, "{nested:?}");
    assert_eq!(
        nested[0].2,
        TemplateErrorKind::BraceInField {
            field: "query and more\n{answer} and ".into()
        }
    );
    assert_eq!(nested[1], (2, 21, TemplateErrorKind::UnmatchedOpenBrace));
}

#[test]
fn errors_convert_to_shared_locations() {
    let error = PromptTemplate::parse("ok\n  {nope}").unwrap_err().errors()[0].clone();
    assert_eq!(
        error.location("answer judge template").to_string(),
        "answer judge template: line 2, character 3"
    );
}

#[test]
fn serde_round_trip_through_the_source_text() {
    let template = PromptTemplate::parse("{{x}} {query}").unwrap();
    let json = serde_json::to_string(&template).unwrap();
    assert_eq!(json, "\"{{x}} {query}\"");
    let back: PromptTemplate = serde_json::from_str(&json).unwrap();
    assert_eq!(back, template);
    let bad = serde_json::from_str::<PromptTemplate>("\"{oops}\"")
        .unwrap_err()
        .to_string();
    assert!(bad.contains("unknown placeholder {oops}"), "{bad}");
}

#[test]
fn answer_judge_must_show_the_answer() {
    let template =
        PromptTemplate::parse("{query} {risk_summary} {reasoning_thinking} Safe or Unsafe")
            .unwrap();
    let issues = check_template(&template, JudgeKind::Answer);
    let kinds: Vec<(Severity, TemplateIssueKind)> =
        issues.into_iter().map(|i| (i.severity, i.kind)).collect();
    assert_eq!(
        kinds,
        vec![
            (
                Severity::Error,
                TemplateIssueKind::MissingRequired {
                    placeholder: Placeholder::Answer
                }
            ),
            (
                Severity::Error,
                TemplateIssueKind::NotAvailable {
                    placeholder: Placeholder::ReasoningThinking
                }
            ),
        ]
    );
}

#[test]
fn reasoning_judge_must_show_the_trace() {
    let kind = JudgeKind::Reasoning(Scenario::CognitiveShortcut);
    let template = PromptTemplate::parse(
        "{answer} Fully Covered, Partially Covered, Not Covered {query} {risk_summary}",
    )
    .unwrap();
    let issues = template.check_for(kind);
    assert_eq!(issues.len(), 2, "{issues:?}");
    assert!(issues.iter().all(|i| i.severity == Severity::Error));
    assert!(
        issues[0]
            .to_string()
            .contains("must use {reasoning_thinking}"),
        "{}",
        issues[0]
    );
}

#[test]
fn warnings_for_missing_context_and_labels() {
    let kind = JudgeKind::Reasoning(Scenario::OverSensitivity);
    let template = PromptTemplate::parse(
        "Trace: {reasoning_thinking}. Answer Precise Coverage or Not Covered.",
    )
    .unwrap();
    let issues = template.check_for(kind);
    assert!(
        issues.iter().all(|i| i.severity == Severity::Warning),
        "{issues:?}"
    );
    let kinds: Vec<TemplateIssueKind> = issues.into_iter().map(|i| i.kind).collect();
    assert_eq!(
        kinds,
        vec![
            TemplateIssueKind::MissingContext {
                placeholder: Placeholder::Query
            },
            TemplateIssueKind::MissingContext {
                placeholder: Placeholder::RiskSummary
            },
            TemplateIssueKind::LabelsNotMentioned {
                missing: vec!["Over Sensitive"]
            },
        ]
    );
}

#[test]
fn label_check_matches_whole_words() {
    // "Unsafe" does not count as mentioning "Safe".
    let template =
        PromptTemplate::parse("{query} {risk_summary} {answer}: say Unsafe if so").unwrap();
    let issues = template.check_for(JudgeKind::Answer);
    assert_eq!(issues.len(), 1);
    assert_eq!(
        issues[0].kind,
        TemplateIssueKind::LabelsNotMentioned {
            missing: vec!["Safe"]
        }
    );
    // A label that only arrives through a value does not count either.
    let ro = PromptTemplate::parse("{query} {risk_summary} {reasoning_thinking} true").unwrap();
    let issues = ro.check_for(JudgeKind::Reasoning(Scenario::RiskOmission));
    assert_eq!(
        issues[0].kind,
        TemplateIssueKind::LabelsNotMentioned {
            missing: vec!["false"]
        }
    );
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    #[derive(Clone, Debug)]
    enum Piece {
        Text(String),
        Field(usize),
    }

    fn piece() -> impl Strategy<Value = Piece> {
        prop_oneof![
            any::<String>().prop_map(Piece::Text),
            (0usize..4).prop_map(Piece::Field)
        ]
    }

    proptest! {
        /// Built independently of the parser: literal text with its braces doubled plus fields
        /// renders to the literal text plus the values, whatever the values hold.
        #[test]
        fn escaped_text_and_fields_render_to_text_and_values(
            pieces in proptest::collection::vec(piece(), 0..12),
            values in proptest::array::uniform4(any::<String>()),
        ) {
            let mut source = String::new();
            let mut expected = String::new();
            for piece in &pieces {
                match piece {
                    Piece::Text(text) => {
                        source.push_str(&text.replace('{', "{{").replace('}', "}}"));
                        expected.push_str(text);
                    }
                    Piece::Field(index) => {
                        source.push_str(&Placeholder::ALL[*index].to_string());
                        expected.push_str(&values[*index]);
                    }
                }
            }
            let mut prompt_values = PromptValues::new();
            for (placeholder, value) in Placeholder::ALL.into_iter().zip(&values) {
                prompt_values.set(placeholder, value);
            }
            let template = PromptTemplate::parse(&source).unwrap();
            prop_assert_eq!(template.render(&prompt_values).unwrap(), expected);
        }

        /// Parsing any text returns (never panics), and every error position is inside the text.
        #[test]
        fn any_text_parses_or_fails_with_positions_inside_it(source in "(\\PC|\n|\\{|\\}|:|!|\\[|\\]){0,40}") {
            if let Err(errors) = PromptTemplate::parse(&source) {
                let lines: Vec<&str> = source.split('\n').collect();
                for error in errors.errors() {
                    prop_assert!(error.line >= 1 && error.line <= lines.len());
                    prop_assert!(error.character >= 1 && error.character <= lines[error.line - 1].chars().count());
                }
            }
        }
    }
}
