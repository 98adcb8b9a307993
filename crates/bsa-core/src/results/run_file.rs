//! The project's own JSON run file, schema version 1: everything one run of one model produced,
//! with what it was run with, in one self-describing document.
//!
//! Main types, top down:
//!
//! - [`RunFile`]: the [`Tool`] that wrote it, the [`RunHeader`] and every [`RunSample`].
//! - [`RunHeader`]: run id and label (the display name of the model under test, used as the
//!   model name in metrics), created / finished times (RFC 3339, passed in by the caller: the
//!   core has no clock), [`RunState`], the [`DatasetReference`] (source, SHA-256, item count,
//!   official or not), the [`SubsetSpec`](crate::dataset::SubsetSpec), k, the [`ModelSetup`]
//!   (a [`ModelConfig`](crate::provider::ModelConfig) with the
//!   [`ParameterReport`](crate::provider::ParameterReport) of what was sent and the
//!   [`SystemPrompt`](crate::prompt::SystemPrompt), or the batch-runner files the answers came
//!   from) and the [`JudgeSetup`] of the judge and of the optional second judge (configuration,
//!   parameters sent, the four prompt templates as text).
//! - [`RunSample`]: one (item, sample index): its [`Generation`] ([`GeneratedAnswer`] with answer,
//!   reasoning trace, finish reason and [`CallStats`], or a [`GenerationFailure`]) and its answer
//!   and reasoning [`JudgementRecord`]s (a [`JudgedCall`] with verdict, rationale and the judge's
//!   raw reply; unjudged; a [`JudgeErrorRecord`]; or no trace), for the judge and the second
//!   judge.
//!
//! Functions: [`read_run_file`] (bytes to a checked [`RunFile`], or every located
//! [`Problem`](crate::diagnostic::Problem)),
//! [`write_run_file`] (pretty JSON, fields in a fixed order), [`RunFile::check`] (the checks the
//! reader runs, for values built in code), [`RunFile::check_against`] (against a dataset), and
//! the conversions [`RunFile::sample_set`] (the metrics input), [`RunFile::to_judged_csv`] (the
//! authors' judged CSV) and [`RunFile::judge_labels`] (judge agreement).
//!
//! ## The format
//!
//! A JSON object: `"format": "bsa-studio-run"`, `"version": 1`, `"tool"`, `"run"` and
//! `"samples"`; `docs/run-file.md` shows an example. Statuses are flat objects
//! (`{"status": "verdict", "verdict": "Safe", "rationale": ..., "reply": ..., "usage": ...}`)
//! rather than tagged enums, so that every reading error carries its full JSON path. Fields not
//! known to this build are ignored: later builds may add optional fields without raising the
//! version; anything else raises it, and this build then refuses the file with a message naming
//! the version it reads.
//!
//! ## Architecture invariant
//!
//! No API key can be in a run file: nothing in it has a field for one
//! ([`ModelConfig`](crate::provider::ModelConfig) holds none, and refuses credential headers).
//! Model output, judge replies and everything read from a file stay plain text.

mod check;
mod convert;
mod read;
mod schema;
mod wire;
mod write;

pub use convert::WhichJudge;
pub use read::read_run_file;
pub use schema::{
    CallStats, DatasetReference, GeneratedAnswer, Generation, GenerationFailure, JudgeErrorRecord,
    JudgeSetup, JudgedCall, JudgementRecord, ModelSetup, RecordedVerdict, RunFile, RunHeader,
    RunSample, RunState, Tool,
};
pub use write::{write_run_file, write_run_file_to};

/// The value of the top-level `"format"` field.
pub const RUN_FILE_FORMAT: &str = "bsa-studio-run";

/// The schema version this build writes and reads.
pub const RUN_FILE_VERSION: u32 = 1;
