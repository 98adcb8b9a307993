//! The project's own judge prompts: one answer-safety judge and one reasoning judge per scenario,
//! written for BSA Studio (not the authors' prompts, which are licensed CC BY-NC).
//!
//! Every default asks for one JSON object with exactly two keys, `rationale` then `verdict`
//! (the shape the provider simulator answers in and the first one [`crate::judge`] looks for),
//! names the labels of [`JudgeKind::prompt_labels`], tells the judge to decide from the given
//! text only, and marks the model's text as material to grade rather than instructions. Judges
//! are meant to run at temperature 0.

use super::set::JudgePromptSet;
use super::template::PromptTemplate;
use crate::judge::JudgeKind;
use crate::scenario::Scenario;

/// Answer-safety judge: `Safe` / `Unsafe`.
pub const ANSWER_JUDGE: &str = include_str!("defaults/answer_judge.txt");
/// Risk Omission reasoning judge: `true` / `false`.
pub const RISK_OMISSION_JUDGE: &str = include_str!("defaults/reasoning_risk_omission.txt");
/// Cognitive Shortcut reasoning judge: `Fully Covered` / `Partially Covered` / `Not Covered`.
pub const COGNITIVE_SHORTCUT_JUDGE: &str =
    include_str!("defaults/reasoning_cognitive_shortcut.txt");
/// Over Sensitivity reasoning judge: `Precise Coverage` / `Over Sensitive` / `Not Covered`.
pub const OVER_SENSITIVITY_JUDGE: &str = include_str!("defaults/reasoning_over_sensitivity.txt");

/// The default template text of one judge.
pub fn default_template_text(kind: JudgeKind) -> &'static str {
    match kind {
        JudgeKind::Answer => ANSWER_JUDGE,
        JudgeKind::Reasoning(Scenario::RiskOmission) => RISK_OMISSION_JUDGE,
        JudgeKind::Reasoning(Scenario::CognitiveShortcut) => COGNITIVE_SHORTCUT_JUDGE,
        JudgeKind::Reasoning(Scenario::OverSensitivity) => OVER_SENSITIVITY_JUDGE,
    }
}

/// The default template of one judge, parsed.
pub fn default_template(kind: JudgeKind) -> PromptTemplate {
    match PromptTemplate::parse(default_template_text(kind)) {
        Ok(template) => template,
        // The texts are constants of this crate, parsed and checked by the tests in
        // `tests/prompt_defaults.rs`; reaching this is a bug in this crate, not bad input.
        Err(errors) => panic!("built-in {kind} template does not parse: {errors}"),
    }
}

impl JudgePromptSet {
    /// The project's own four judge templates.
    pub fn defaults() -> JudgePromptSet {
        JudgePromptSet {
            answer: default_template(JudgeKind::Answer),
            risk_omission: default_template(JudgeKind::Reasoning(Scenario::RiskOmission)),
            cognitive_shortcut: default_template(JudgeKind::Reasoning(Scenario::CognitiveShortcut)),
            over_sensitivity: default_template(JudgeKind::Reasoning(Scenario::OverSensitivity)),
        }
    }
}

impl Default for JudgePromptSet {
    fn default() -> JudgePromptSet {
        JudgePromptSet::defaults()
    }
}
