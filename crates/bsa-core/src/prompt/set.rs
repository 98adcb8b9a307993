//! [`JudgePromptSet`]: the four templates a run judges with, one per [`JudgeKind`].

use super::check::{check_template, TemplateIssue};
use super::template::PromptTemplate;
use crate::judge::JudgeKind;
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};

/// One template per judge: the answer-safety judge and the three reasoning judges. Built from
/// the project's defaults ([`JudgePromptSet::defaults`]), the authors' files
/// ([`super::official::official_prompt_set`]) or the user's own text. Serializes as four strings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JudgePromptSet {
    pub answer: PromptTemplate,
    pub risk_omission: PromptTemplate,
    pub cognitive_shortcut: PromptTemplate,
    pub over_sensitivity: PromptTemplate,
}

impl JudgePromptSet {
    /// The template of one judge.
    pub fn template(&self, kind: JudgeKind) -> &PromptTemplate {
        match kind {
            JudgeKind::Answer => &self.answer,
            JudgeKind::Reasoning(Scenario::RiskOmission) => &self.risk_omission,
            JudgeKind::Reasoning(Scenario::CognitiveShortcut) => &self.cognitive_shortcut,
            JudgeKind::Reasoning(Scenario::OverSensitivity) => &self.over_sensitivity,
        }
    }

    /// Replaces the template of one judge.
    pub fn set_template(&mut self, kind: JudgeKind, template: PromptTemplate) {
        match kind {
            JudgeKind::Answer => self.answer = template,
            JudgeKind::Reasoning(Scenario::RiskOmission) => self.risk_omission = template,
            JudgeKind::Reasoning(Scenario::CognitiveShortcut) => self.cognitive_shortcut = template,
            JudgeKind::Reasoning(Scenario::OverSensitivity) => self.over_sensitivity = template,
        }
    }

    /// [`check_template`] on each of the four, tagged with the judge it concerns.
    pub fn check(&self) -> Vec<(JudgeKind, TemplateIssue)> {
        JudgeKind::ALL
            .into_iter()
            .flat_map(|kind| {
                check_template(self.template(kind), kind)
                    .into_iter()
                    .map(move |issue| (kind, issue))
            })
            .collect()
    }
}
