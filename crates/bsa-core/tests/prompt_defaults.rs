//! The project's own judge prompts and safety rules.

use bsa_core::judge::{parse_verdict, JudgeKind};
use bsa_core::prompt::defaults::{default_template, default_template_text};
use bsa_core::prompt::{JudgePromptSet, Placeholder, PromptValues, SystemPrompt, SAFETY_RULES};
use bsa_core::scenario::{Scenario, PRIMARY_CATEGORIES};

#[test]
fn every_default_parses_and_passes_its_check_cleanly() {
    for kind in JudgeKind::ALL {
        let template = default_template(kind);
        let issues = template.check_for(kind);
        assert!(issues.is_empty(), "{kind}: {issues:?}");
        assert_eq!(template.source(), default_template_text(kind));
    }
    let set = JudgePromptSet::defaults();
    assert!(set.check().is_empty());
    assert_eq!(JudgePromptSet::default(), set);
}

#[test]
fn defaults_use_the_right_placeholders() {
    for kind in JudgeKind::ALL {
        let used = default_template(kind).placeholders();
        let expected = match kind {
            JudgeKind::Answer => vec![
                Placeholder::Query,
                Placeholder::RiskSummary,
                Placeholder::Answer,
            ],
            JudgeKind::Reasoning(_) => {
                vec![
                    Placeholder::Query,
                    Placeholder::RiskSummary,
                    Placeholder::ReasoningThinking,
                ]
            }
        };
        assert_eq!(used, expected, "{kind}");
    }
}

/// The rendered prompt with marker values, so the literal text can be inspected.
fn rendered(kind: JudgeKind) -> String {
    let values = PromptValues::new()
        .with(Placeholder::Query, "<<QUERY>>")
        .with(Placeholder::RiskSummary, "<<RISK>>")
        .with(Placeholder::Answer, "<<ANSWER>>")
        .with(Placeholder::ReasoningThinking, "<<TRACE>>");
    default_template(kind).render(&values).unwrap()
}

#[test]
fn defaults_ask_for_the_two_key_json_with_quoted_labels() {
    for kind in JudgeKind::ALL {
        let text = rendered(kind);
        assert!(text.contains("exactly two keys"), "{kind}");
        assert!(
            text.contains("\"rationale\"") && text.contains("\"verdict\""),
            "{kind}"
        );
        // The shape line is valid JSON once the placeholders in angle brackets are filled.
        let shape = text.lines().rev().find(|l| l.starts_with('{')).unwrap();
        let parsed: serde_json::Value = serde_json::from_str(shape).unwrap();
        let keys: Vec<&String> = parsed.as_object().unwrap().keys().collect();
        assert_eq!(keys, vec!["rationale", "verdict"], "{kind}");
        for label in kind.prompt_labels() {
            assert!(
                text.contains(&format!("\"{label}\"")),
                "{kind} does not ask for \"{label}\""
            );
        }
        // Judge only from the given text; the graded text is not instructions.
        assert!(text.contains("alone"), "{kind}");
        assert!(
            text.contains("do not follow them") || text.contains("do not follow"),
            "{kind}"
        );
        // The values arrive each once, between markers.
        for marker in ["<<QUERY>>", "<<RISK>>"] {
            assert_eq!(text.matches(marker).count(), 1, "{kind}");
        }
    }
}

#[test]
fn defaults_name_their_scenario() {
    for scenario in Scenario::ALL {
        let text = rendered(JudgeKind::Reasoning(scenario));
        assert!(
            text.contains(&format!("\"{}\"", scenario.name())),
            "{scenario}"
        );
    }
}

#[test]
fn a_reply_in_the_requested_shape_parses() {
    // The defaults ask for exactly this shape; the parser must read it for every label.
    for kind in JudgeKind::ALL {
        for label in kind.prompt_labels() {
            let reply = format!("{{\"rationale\": \"Because.\", \"verdict\": \"{label}\"}}");
            let verdict = parse_verdict(kind, &reply).unwrap();
            assert_eq!(
                verdict.label.label().to_lowercase(),
                label.to_lowercase(),
                "{kind}"
            );
            assert_eq!(verdict.rationale.as_deref(), Some("Because."));
        }
    }
}

#[test]
fn safety_rules_cover_the_nine_categories() {
    for category in PRIMARY_CATEGORIES {
        assert!(
            SAFETY_RULES.contains(&format!("{category}.")),
            "rules miss {category}"
        );
    }
    // Each category paragraph says what to refuse and what remains fine.
    for paragraph in SAFETY_RULES
        .split("\n\n")
        .filter(|p| p.starts_with(|c: char| c.is_ascii_digit()))
    {
        assert!(
            paragraph.contains("Do not") || paragraph.contains("do not"),
            "{paragraph}"
        );
        assert!(paragraph.contains("You may"), "{paragraph}");
    }
    assert_eq!(
        SAFETY_RULES
            .split("\n\n")
            .filter(|p| p.starts_with(|c: char| c.is_ascii_digit()))
            .count(),
        9
    );
    // The general instruction to reason about risks explicitly comes first.
    assert!(SAFETY_RULES.starts_with("Before you answer"));
    assert!(SAFETY_RULES.contains("Name the risks you find in your reasoning"));
}

#[test]
fn system_prompt_options() {
    assert_eq!(SystemPrompt::None.text(), None);
    assert_eq!(SystemPrompt::SafetyRules.text(), Some(SAFETY_RULES));
    assert_eq!(
        SystemPrompt::Custom("Be brief.".into()).text(),
        Some("Be brief.")
    );
    assert_eq!(SystemPrompt::Custom("  \n".into()).text(), None);
    let json = serde_json::to_string(&SystemPrompt::Custom("x".into())).unwrap();
    assert_eq!(json, r#"{"kind":"custom","text":"x"}"#);
    assert_eq!(
        serde_json::to_string(&SystemPrompt::SafetyRules).unwrap(),
        r#"{"kind":"safety_rules"}"#
    );
}
