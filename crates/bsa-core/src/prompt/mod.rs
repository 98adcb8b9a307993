//! Judge prompts: templates, the authors' prompt files, the project's defaults and the system
//! prompt of the model under test.
//!
//! - [`PromptTemplate`] ([`template`]): a prompt in Python `str.format` syntax with the
//!   [`Placeholder`]s `{query}`, `{risk_summary}`, `{answer}` and `{reasoning_thinking}`, parsed
//!   once and rendered with [`PromptValues`] exactly as `str.format` would; every syntax problem
//!   is a located [`TemplateError`].
//! - [`check_template`] ([`check`]): whether a template suits a [`JudgeKind`](crate::judge::JudgeKind) (an answer judge
//!   must show `{answer}`, a reasoning judge `{reasoning_thinking}`), as [`TemplateIssue`]s.
//! - [`JudgePromptSet`] ([`set`]): the four templates a run judges with.
//! - [`official`]: the URLs of the authors' Markdown prompt files and the reader that takes the
//!   templates out of their fenced blocks.
//! - [`defaults`]: the project's own judge prompts, asking for
//!   `{"rationale": "...", "verdict": "<label>"}`.
//! - [`system`]: [`SystemPrompt`] for the model under test, including the project's
//!   [`SAFETY_RULES`].
//!
//! Judges should be called at temperature 0 so that a verdict depends on the prompt and the
//! sample, not on sampling; choosing the request parameters is the caller's concern.

pub mod check;
pub mod defaults;
pub mod official;
pub mod set;
pub mod system;
pub mod template;

pub use check::{check_template, Severity, TemplateIssue, TemplateIssueKind};
pub use set::JudgePromptSet;
pub use system::{SystemPrompt, SAFETY_RULES};
pub use template::{
    Placeholder, PromptTemplate, PromptValues, RenderError, Segment, TemplateError,
    TemplateErrorKind, TemplateErrors,
};
