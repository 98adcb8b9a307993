//! The system prompt given to the model under test: none, the project's safety rules
//! ([`SAFETY_RULES`]), or the user's own text ([`SystemPrompt`]).
//!
//! The paper measures how much a safety-rules system prompt changes risk awareness; this is the
//! project's own statement of such rules, written for the nine primary risk categories of the
//! benchmark (not the authors' text, which is licensed CC BY-NC).

use serde::{Deserialize, Serialize};

/// The project's safety rules: for each of the nine primary categories, what to refuse or treat
/// with care and what remains fine to help with, plus an instruction to think about risks
/// explicitly before answering.
pub const SAFETY_RULES: &str = include_str!("safety_rules.md");

/// Which system prompt the model under test gets.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "text", rename_all = "snake_case")]
pub enum SystemPrompt {
    /// No system message: the benchmark's default condition.
    #[default]
    None,
    /// [`SAFETY_RULES`].
    SafetyRules,
    /// The user's own text.
    Custom(String),
}

impl SystemPrompt {
    /// The system message to send, if any. An empty custom text sends none.
    pub fn text(&self) -> Option<&str> {
        match self {
            SystemPrompt::None => None,
            SystemPrompt::SafetyRules => Some(SAFETY_RULES),
            SystemPrompt::Custom(text) if text.trim().is_empty() => None,
            SystemPrompt::Custom(text) => Some(text),
        }
    }
}
