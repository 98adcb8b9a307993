//! Reading the authors' Markdown prompt files: block extraction, scenario identification and
//! errors. Uses small Markdown texts written here (the real files are tested, without being
//! copied, in `prompt_python.rs`).

use bsa_core::judge::JudgeKind;
use bsa_core::prompt::official::{
    official_prompt_set, parse_official, scenario_named_in, OfficialPromptError, OfficialPromptFile,
};
use bsa_core::prompt::{Placeholder, PromptValues, TemplateErrorKind, TemplateIssueKind};
use bsa_core::scenario::Scenario;

const RO: JudgeKind = JudgeKind::Reasoning(Scenario::RiskOmission);
const CS: JudgeKind = JudgeKind::Reasoning(Scenario::CognitiveShortcut);
const OS: JudgeKind = JudgeKind::Reasoning(Scenario::OverSensitivity);

/// A reasoning block naming its labels, with a JSON example in doubled braces.
fn block(tag: &str, labels: &str) -> String {
    format!("```\n{tag}: {{query}} / {{risk_summary}} / {{reasoning_thinking}}\n{{{{\"r\": {labels}}}}}\n```\n")
}

fn thinking_file(headings: [&str; 3]) -> String {
    let os = block("OS", "Precise Coverage | Over Sensitive | Not Covered");
    let cs = block("CS", "Fully Covered | Partially Covered | Not Covered");
    let ro = block("RO", "true | false");
    format!(
        "{}\n{os}\n{}\n{cs}\n{}\n{ro}",
        headings[0], headings[1], headings[2]
    )
}

fn kinds_and_tags(markdown: &str) -> Vec<(JudgeKind, String)> {
    parse_official(OfficialPromptFile::ThinkingAccuracyJudge, markdown)
        .unwrap()
        .into_iter()
        .map(|p| (p.kind, p.template.source()[..2].to_owned()))
        .collect()
}

#[test]
fn urls_point_at_the_authors_repository() {
    assert_eq!(
        OfficialPromptFile::SafeAnswerJudge.url(),
        "https://raw.githubusercontent.com/OpenStellarTeam/BSA/main/Prompt/Safe_Ans_Judge.md"
    );
    assert_eq!(
        OfficialPromptFile::ThinkingAccuracyJudge.url(),
        "https://raw.githubusercontent.com/OpenStellarTeam/BSA/main/Prompt/Thinking_Accuracy_Judge.md"
    );
    for file in OfficialPromptFile::ALL {
        assert!(file.url().ends_with(file.file_name()));
        assert_eq!(
            OfficialPromptFile::from_file_name(file.file_name()),
            Some(file)
        );
    }
}

#[test]
fn headings_name_the_scenarios() {
    let markdown = thinking_file([
        "The prompt for Over Sensitivity judging:",
        "And for cognitive shortcut:",
        "Finally, Risk-Omission:",
    ]);
    let read = kinds_and_tags(&markdown);
    assert_eq!(
        read,
        vec![(OS, "OS".into()), (CS, "CS".into()), (RO, "RO".into())]
    );
}

#[test]
fn headings_win_over_the_usual_order() {
    // Blocks in another order than the official one, each named: the headings decide.
    let ro = block("RO", "true | false");
    let os = block("OS", "Precise Coverage | Over Sensitive | Not Covered");
    let cs = block("CS", "Fully Covered | Partially Covered | Not Covered");
    let markdown =
        format!("# Risk Omission\n{ro}\n# Over-Sensitivity\n{os}\n# Cognitive Shortcut\n{cs}");
    let read = kinds_and_tags(&markdown);
    assert_eq!(
        read,
        vec![(RO, "RO".into()), (OS, "OS".into()), (CS, "CS".into())]
    );
}

#[test]
fn without_headings_the_official_order_applies() {
    let markdown = thinking_file([
        "",
        "Next one:",
        "Mentions both Risk Omission and Cognitive Shortcut:",
    ]);
    // No heading, a heading naming nothing, a heading naming two scenarios: all by position.
    let read = kinds_and_tags(&markdown);
    assert_eq!(
        read,
        vec![(OS, "OS".into()), (CS, "CS".into()), (RO, "RO".into())]
    );
}

#[test]
fn scenario_names_in_heading_lines() {
    assert_eq!(
        scenario_named_in("Following is the Prompt for Over Sensitivity thinking judgement:"),
        Some(Scenario::OverSensitivity)
    );
    assert_eq!(
        scenario_named_in("## over-sensitive queries"),
        Some(Scenario::OverSensitivity)
    );
    assert_eq!(
        scenario_named_in("**Cognitive  Shortcut**"),
        Some(Scenario::CognitiveShortcut)
    );
    assert_eq!(
        scenario_named_in("Risk Omission vs Cognitive Shortcut"),
        None
    );
    assert_eq!(scenario_named_in("Prompt"), None);
}

#[test]
fn wrong_block_counts_are_errors() {
    let two = format!("{}{}", block("OS", "x"), block("CS", "y"));
    let error = parse_official(OfficialPromptFile::ThinkingAccuracyJudge, &two).unwrap_err();
    assert_eq!(
        error,
        OfficialPromptError::WrongBlockCount {
            file: OfficialPromptFile::ThinkingAccuracyJudge,
            expected: 3,
            found: 2
        }
    );
    assert_eq!(
        error.to_string(),
        "Thinking_Accuracy_Judge.md: expected 3 fenced code block(s) holding the judge prompt(s), found 2"
    );
    let none = parse_official(
        OfficialPromptFile::SafeAnswerJudge,
        "# just text\nno fences",
    )
    .unwrap_err();
    assert!(matches!(
        none,
        OfficialPromptError::WrongBlockCount {
            expected: 1,
            found: 0,
            ..
        }
    ));
    // An HTML error page instead of the Markdown file has no blocks either.
    let html = parse_official(
        OfficialPromptFile::SafeAnswerJudge,
        "<html><body>404: Not Found</body></html>",
    );
    assert!(matches!(
        html,
        Err(OfficialPromptError::WrongBlockCount { found: 0, .. })
    ));
}

#[test]
fn two_blocks_for_one_scenario_are_an_error() {
    let markdown = thinking_file(["Cognitive Shortcut", "Cognitive Shortcut", "Risk Omission"]);
    let error = parse_official(OfficialPromptFile::ThinkingAccuracyJudge, &markdown).unwrap_err();
    assert_eq!(
        error,
        OfficialPromptError::DuplicateScenario {
            file: OfficialPromptFile::ThinkingAccuracyJudge,
            scenario: Scenario::CognitiveShortcut,
            first_block: 1,
            second_block: 2,
        }
    );
}

#[test]
fn a_truncated_file_is_an_error() {
    let markdown = "Intro\n\n```\n{query} {risk_summary} {answer}\nSafe or Unsafe";
    let error = parse_official(OfficialPromptFile::SafeAnswerJudge, markdown).unwrap_err();
    assert_eq!(
        error,
        OfficialPromptError::UnclosedFence {
            file: OfficialPromptFile::SafeAnswerJudge,
            line: 3
        }
    );
}

#[test]
fn template_errors_are_located_in_the_file() {
    // Lines: 1 "Title", 2 blank, 3 "Here:", 4 the fence, 5 the block's first line; the bad
    // field is on the block's second line, so line 6 of the file, character 5 ("Say " is 4).
    let markdown =
        "Title\n\nHere:\n```\n{query} {risk_summary} {answer}\nSay {verdict} Safe or Unsafe\n```\n";
    let error = parse_official(OfficialPromptFile::SafeAnswerJudge, markdown).unwrap_err();
    let OfficialPromptError::Template { errors, kind, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(*kind, JudgeKind::Answer);
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].0.to_string(),
        "Safe_Ans_Judge.md: line 6, character 5"
    );
    assert!(
        matches!(&errors[0].1, TemplateErrorKind::UnknownPlaceholder { name, .. } if name == "verdict")
    );
}

#[test]
fn a_block_unfit_for_its_judge_is_an_error() {
    let markdown = "```\n{query} {risk_summary} {reasoning_thinking} Safe Unsafe\n```";
    let error = parse_official(OfficialPromptFile::SafeAnswerJudge, markdown).unwrap_err();
    let OfficialPromptError::Unsuitable {
        issues, first_line, ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(*first_line, 2);
    let kinds: Vec<&TemplateIssueKind> = issues.iter().map(|i| &i.kind).collect();
    assert_eq!(
        kinds,
        vec![
            &TemplateIssueKind::MissingRequired {
                placeholder: Placeholder::Answer
            },
            &TemplateIssueKind::NotAvailable {
                placeholder: Placeholder::ReasoningThinking
            },
        ]
    );
}

#[test]
fn fence_variants_crlf_and_indentation() {
    // A tilde fence with an info string, indented two spaces, with CRLF line ends; a longer
    // backtick run inside the block does not close it.
    let markdown = "Answer judge\r\n  ~~~~ text\r\n  {query}\r\n    {risk_summary}\r\n  ```\r\n  {answer} Safe/Unsafe\r\n  ~~~~\r\n";
    let prompts = parse_official(OfficialPromptFile::SafeAnswerJudge, markdown).unwrap();
    assert_eq!(
        prompts[0].template.source(),
        "{query}\n  {risk_summary}\n```\n{answer} Safe/Unsafe"
    );
    assert_eq!(prompts[0].first_line, 3);
    // A line like ```` ```inline``` ```` is not a fence: backtick info strings cannot hold
    // backticks.
    let inline = "```not a fence```\n```\n{query} {risk_summary} {answer} Safe Unsafe\n```";
    let prompts = parse_official(OfficialPromptFile::SafeAnswerJudge, inline).unwrap();
    assert_eq!(prompts.len(), 1);
}

#[test]
fn a_full_set_renders() {
    let answer = "```\nQ={query} R={risk_summary} A={answer} -> {{\"Safety Assessment\": \"Safe\" | \"Unsafe\"}}\n```";
    let thinking = thinking_file(["Over Sensitivity", "Cognitive Shortcut", "Risk Omission"]);
    let set = official_prompt_set(answer, &thinking).unwrap();
    let values = PromptValues::new()
        .with(Placeholder::Query, "q")
        .with(Placeholder::RiskSummary, "r")
        .with(Placeholder::Answer, "a");
    assert_eq!(
        set.template(JudgeKind::Answer).render(&values).unwrap(),
        "Q=q R=r A=a -> {\"Safety Assessment\": \"Safe\" | \"Unsafe\"}"
    );
    assert!(set.template(RO).source().starts_with("RO:"));
    assert!(set.template(CS).source().starts_with("CS:"));
    assert!(set.template(OS).source().starts_with("OS:"));
    // Each template passes its judge's check with at most warnings.
    assert!(set
        .check()
        .iter()
        .all(|(_, issue)| issue.severity == bsa_core::prompt::Severity::Warning));
}
