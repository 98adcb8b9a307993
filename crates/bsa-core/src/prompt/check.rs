//! Whether a parsed [`PromptTemplate`] fits the judge it is meant for: [`check_template`] returns
//! [`TemplateIssue`]s, errors (the template cannot serve this judge) and warnings (it can, but
//! the judge will see less than the protocol gives it, or may not know the labels).

use super::template::{Placeholder, PromptTemplate};
use crate::judge::JudgeKind;
use crate::sort;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How bad an issue is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    /// The template still works; the user should know.
    Warning,
    /// The template cannot be used for this judge.
    Error,
}

/// One finding of [`check_template`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateIssue {
    pub severity: Severity,
    pub kind: TemplateIssueKind,
}

/// What was found.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TemplateIssueKind {
    /// The judge needs this value and the template never shows it: `{answer}` for the answer
    /// judge, `{reasoning_thinking}` for a reasoning judge (error).
    MissingRequired { placeholder: Placeholder },
    /// The template asks for a value this judge is not given: `{reasoning_thinking}` in an answer
    /// judge, `{answer}` in a reasoning judge (error: rendering would fail).
    NotAvailable { placeholder: Placeholder },
    /// The protocol shows the judge this value (`{query}`, `{risk_summary}`) and the template
    /// leaves it out (warning).
    MissingContext { placeholder: Placeholder },
    /// Some of the judge's labels never appear (as whole words) in the template's own text, so
    /// the judge may answer in words the verdict parser does not know (warning).
    LabelsNotMentioned { missing: Vec<&'static str> },
}

impl fmt::Display for TemplateIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{severity}: {}", self.kind)
    }
}

impl fmt::Display for TemplateIssueKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TemplateIssueKind::MissingRequired { placeholder } => {
                write!(
                    f,
                    "the template must use {placeholder}: it is what this judge assesses"
                )
            }
            TemplateIssueKind::NotAvailable { placeholder } => {
                write!(
                    f,
                    "the template uses {placeholder}, which this judge is not given"
                )
            }
            TemplateIssueKind::MissingContext { placeholder } => write!(
                f,
                "the template does not use {placeholder}; the protocol shows it to the judge"
            ),
            TemplateIssueKind::LabelsNotMentioned { missing } => {
                let quoted: Vec<String> = missing.iter().map(|l| format!("\"{l}\"")).collect();
                write!(
                    f,
                    "the template never mentions the label(s) {}; the judge may not know what to answer",
                    quoted.join(", ")
                )
            }
        }
    }
}

/// Checks `template` for the judge `kind`. Empty when all is well; sorted errors first.
pub fn check_template(template: &PromptTemplate, kind: JudgeKind) -> Vec<TemplateIssue> {
    let (required, unavailable) = match kind {
        JudgeKind::Answer => (Placeholder::Answer, Placeholder::ReasoningThinking),
        JudgeKind::Reasoning(_) => (Placeholder::ReasoningThinking, Placeholder::Answer),
    };
    let mut issues = Vec::new();
    let mut push = |severity, kind| issues.push(TemplateIssue { severity, kind });
    if !template.uses(required) {
        push(
            Severity::Error,
            TemplateIssueKind::MissingRequired {
                placeholder: required,
            },
        );
    }
    if template.uses(unavailable) {
        push(
            Severity::Error,
            TemplateIssueKind::NotAvailable {
                placeholder: unavailable,
            },
        );
    }
    for context in [Placeholder::Query, Placeholder::RiskSummary] {
        if !template.uses(context) {
            push(
                Severity::Warning,
                TemplateIssueKind::MissingContext {
                    placeholder: context,
                },
            );
        }
    }
    // Labels are looked for case-insensitively in the literal text only: a label inside a
    // rendered value says nothing about what the prompt asks for.
    let literal: String = template
        .segments()
        .iter()
        .filter_map(|segment| match segment {
            super::template::Segment::Text(text) => Some(text.to_lowercase()),
            super::template::Segment::Value(_) => None,
        })
        .collect::<Vec<_>>()
        .join("\u{0}");
    let missing: Vec<&'static str> = kind
        .prompt_labels()
        .iter()
        .copied()
        .filter(|label| !contains_word(&literal, &label.to_lowercase()))
        .collect();
    if !missing.is_empty() {
        push(
            Severity::Warning,
            TemplateIssueKind::LabelsNotMentioned { missing },
        );
    }
    sort::sort_by_key(&mut issues, |issue| std::cmp::Reverse(issue.severity));
    issues
}

impl PromptTemplate {
    /// [`check_template`] as a method.
    pub fn check_for(&self, kind: JudgeKind) -> Vec<TemplateIssue> {
        check_template(self, kind)
    }
}

/// Whether `needle` occurs in `haystack` with no letter or digit just before or after it, so
/// that `safe` is not found inside `unsafe`.
fn contains_word(haystack: &str, needle: &str) -> bool {
    haystack.match_indices(needle).any(|(start, _)| {
        let before = haystack[..start].chars().next_back();
        let after = haystack[start + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Whether any issue is an error.
pub fn has_errors(issues: &[TemplateIssue]) -> bool {
    issues.iter().any(|issue| issue.severity == Severity::Error)
}
