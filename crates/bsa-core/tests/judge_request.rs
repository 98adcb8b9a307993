//! Judge request content for one sample of one item.

use bsa_core::dataset::{Item, Risk};
use bsa_core::judge::{judge_message, JudgeKind, JudgeMessage, JudgeRequestError, SampleOutput};
use bsa_core::prompt::{JudgePromptSet, Placeholder, PromptTemplate, RenderError};
use bsa_core::scenario::Scenario;

fn item(scenario: Scenario) -> Item {
    Item {
        id: "0123456789abcdef0123456789abcdef".into(),
        query: "How do I {do} this? 100% \"quoted\"\nline two".into(),
        risk_summary: "Query A: privacy {risk}\nQuery B: insult".into(),
        scenario,
        risks: vec![Risk {
            part: None,
            primary: "Invasion of Privacy and Confidentiality".into(),
            secondary: "x".into(),
        }],
    }
}

fn small(source: &str) -> PromptTemplate {
    PromptTemplate::parse(source).unwrap()
}

#[test]
fn answer_judge_message_is_the_rendered_template() {
    let template = small("Q={query}|R={risk_summary}|A={answer}|{{json}}");
    let sample = SampleOutput {
        answer: "I can't help with {that}.",
        reasoning: Some("ignored"),
    };
    let message = judge_message(
        &template,
        JudgeKind::Answer,
        &item(Scenario::CognitiveShortcut),
        sample,
    )
    .unwrap();
    // By hand: each field replaced by its text verbatim, `{{json}}` -> `{json}`.
    let expected = "Q=How do I {do} this? 100% \"quoted\"\nline two|R=Query A: privacy {risk}\nQuery B: insult|A=I can't help with {that}.|{json}";
    assert_eq!(message, JudgeMessage::Message(expected.into()));
}

#[test]
fn reasoning_judge_reads_the_trace() {
    let template = small("{query}\n{risk_summary}\n<<{reasoning_thinking}>>");
    let sample = SampleOutput {
        answer: "final",
        reasoning: Some("I notice the privacy risk."),
    };
    let kind = JudgeKind::Reasoning(Scenario::RiskOmission);
    let JudgeMessage::Message(text) =
        judge_message(&template, kind, &item(Scenario::RiskOmission), sample).unwrap()
    else {
        panic!("expected a message")
    };
    assert!(text.ends_with("<<I notice the privacy risk.>>"));
}

#[test]
fn no_trace_means_no_reasoning_judge_call() {
    let set = JudgePromptSet::defaults();
    let it = item(Scenario::OverSensitivity);
    let kind = JudgeKind::reasoning_for(&it);
    assert_eq!(kind, JudgeKind::Reasoning(Scenario::OverSensitivity));
    for reasoning in [None, Some(""), Some("  \n\t ")] {
        let sample = SampleOutput {
            answer: "an answer",
            reasoning,
        };
        assert_eq!(
            set.judge_message(kind, &it, sample).unwrap(),
            JudgeMessage::NoTrace,
            "{reasoning:?}"
        );
    }
    // The answer judge does not need a trace.
    let sample = SampleOutput {
        answer: "an answer",
        reasoning: None,
    };
    assert!(matches!(
        set.judge_message(JudgeKind::Answer, &it, sample).unwrap(),
        JudgeMessage::Message(_)
    ));
}

#[test]
fn a_judge_of_another_scenario_is_refused() {
    let sample = SampleOutput {
        answer: "a",
        reasoning: Some("t"),
    };
    let error = JudgePromptSet::defaults()
        .judge_message(
            JudgeKind::Reasoning(Scenario::RiskOmission),
            &item(Scenario::CognitiveShortcut),
            sample,
        )
        .unwrap_err();
    assert!(matches!(
        error,
        JudgeRequestError::ScenarioMismatch {
            item_scenario: Scenario::CognitiveShortcut,
            ..
        }
    ));
    assert_eq!(
        error.to_string(),
        "item \"0123456789abcdef0123456789abcdef\" is a Cognitive Shortcut item and cannot be judged by the Risk Omission reasoning judge"
    );
}

#[test]
fn a_template_asking_for_the_wrong_value_fails_typed() {
    // A reasoning template that asks for the answer: the reasoning judge is not given it.
    let template = small("{query} {answer} {reasoning_thinking}");
    let sample = SampleOutput {
        answer: "a",
        reasoning: Some("t"),
    };
    let kind = JudgeKind::Reasoning(Scenario::CognitiveShortcut);
    let error =
        judge_message(&template, kind, &item(Scenario::CognitiveShortcut), sample).unwrap_err();
    assert_eq!(
        error,
        JudgeRequestError::Template {
            judge: kind,
            error: RenderError::MissingValue {
                placeholder: Placeholder::Answer
            }
        }
    );
}

#[test]
fn default_messages_hold_the_item_and_sample_text_verbatim() {
    let set = JudgePromptSet::defaults();
    for scenario in Scenario::ALL {
        let it = item(scenario);
        let sample = SampleOutput {
            answer: "ANSWER {x}",
            reasoning: Some("TRACE }{"),
        };
        for kind in [JudgeKind::Answer, JudgeKind::Reasoning(scenario)] {
            let JudgeMessage::Message(text) = set.judge_message(kind, &it, sample).unwrap() else {
                panic!()
            };
            assert!(
                text.contains(&it.query) && text.contains(&it.risk_summary),
                "{kind}"
            );
            let (shown, hidden) = if kind == JudgeKind::Answer {
                ("ANSWER {x}", "TRACE }{")
            } else {
                ("TRACE }{", "ANSWER {x}")
            };
            assert!(text.contains(shown) && !text.contains(hidden), "{kind}");
            assert!(
                !text.contains("{query}") && !text.contains("{{"),
                "{kind}: unrendered field"
            );
        }
    }
}
