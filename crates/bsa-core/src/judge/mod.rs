//! Judging: what each judge is sent, how its reply is read, what to do when it cannot be read,
//! and how far two judges agree.
//!
//! - [`JudgeKind`] ([`kind`]): the answer-safety judge, or the reasoning judge of a scenario.
//! - [`judge_message`] ([`request`]): renders a judge's user message for one sample of an
//!   [`Item`](crate::dataset::Item), or says [`JudgeMessage::NoTrace`] when a reasoning judge has
//!   no trace to read.
//! - [`parse_verdict`] ([`parse`]): reads a reply into a [`JudgeVerdict`] (a [`JudgeLabel`] and
//!   the rationale) from JSON, broken JSON or loose text, or fails with
//!   [`VerdictError::Unparsable`] and a typed [`UnparsableReason`].
//! - [`JudgeAttempts`] ([`attempts`]): at most [`MAX_JUDGE_ATTEMPTS`] replies per judge call,
//!   with the re-ask message in between, then a [`JudgeFailure`].
//! - [`judge_agreement`] ([`agreement`]): Cohen's kappa between two judges per verdict type.
//!
//! Judges are meant to run at temperature 0 (a verdict should depend on the prompt and the
//! sample, not on sampling); setting it is the caller's concern, and some providers ignore it.
//! Judge replies are untrusted text: they are parsed, never interpreted as markup.

pub mod agreement;
pub mod attempts;
pub mod kind;
mod labels;
mod lenient_json;
pub mod parse;
pub mod request;
pub mod verdict;

pub use agreement::{cohen_kappa, judge_agreement, Agreement, AgreementReport, SampleKey};
pub use attempts::{
    follow_up_message, JudgeAttempts, JudgeFailure, NextAttempt, MAX_JUDGE_ATTEMPTS,
};
pub use kind::JudgeKind;
pub use parse::parse_verdict;
pub use request::{judge_message, JudgeMessage, JudgeRequestError, SampleOutput};
pub use verdict::{JudgeLabel, JudgeVerdict, UnparsableReason, VerdictError, VerdictSource};
