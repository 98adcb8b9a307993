//! The checks a run file must pass beyond its JSON shape: header values, sample indices within
//! k, unique (item, sample) pairs, one scenario per item, judgements that fit their generation,
//! and the second judge's presence. [`read_run_file`](super::read_run_file) runs them on every
//! file; [`RunFile::check`] runs them on a value built in code.

use super::schema::{Generation, JudgementRecord, ModelSetup, RecordedVerdict, RunFile, RunSample};
use crate::dataset::read::{excerpt, MAX_PROBLEMS};
use crate::dataset::{Dataset, OFFICIAL_SHA256};
use crate::diagnostic::{Location, Problem, ProblemKind};
use crate::provider::{parse_rfc3339_ms, ConfigError, ModelConfig, PresetId};
use crate::scenario::Scenario;
use std::collections::HashMap;

/// Collects problems located by JSON path, at most [`MAX_PROBLEMS`] of them plus one that counts
/// the rest (a file of 10,000 broken samples stays fast to show).
pub(super) struct ProblemSink<'a> {
    source: &'a str,
    problems: Vec<Problem>,
    more: usize,
}

impl<'a> ProblemSink<'a> {
    pub fn new(source: &'a str) -> ProblemSink<'a> {
        ProblemSink {
            source,
            problems: Vec::new(),
            more: 0,
        }
    }

    pub fn push(&mut self, path: String, kind: ProblemKind) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(Problem::new(
                Location::source(self.source).with_key(path),
                kind,
            ));
        } else {
            self.more += 1;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.problems.is_empty()
    }

    pub fn finish(mut self) -> Vec<Problem> {
        if self.more > 0 {
            self.problems.push(Problem::new(
                Location::source(self.source),
                ProblemKind::TooManyProblems { more: self.more },
            ));
        }
        self.problems
    }
}

const RFC_3339: &str = "an RFC 3339 time such as 2025-06-01T12:00:00Z";

impl RunFile {
    /// Every problem of this run file that [`read_run_file`](super::read_run_file) would report
    /// after reading it, located by JSON path in input `source`. Empty when the file is valid.
    pub fn check(&self, source: &str) -> Vec<Problem> {
        let mut sink = ProblemSink::new(source);
        check_into(self, &mut sink);
        sink.finish()
    }

    /// Problems of this run against `dataset`, located in the run file named `source`: a
    /// dataset file other than the one the run used (by SHA-256, when both are known), and
    /// samples whose item is not in the dataset or has another scenario there.
    pub fn check_against(&self, dataset: &Dataset, source: &str) -> Vec<Problem> {
        let mut sink = ProblemSink::new(source);
        let recorded = &self.run.dataset.sha256;
        if !recorded.is_empty() && !dataset.sha256().is_empty() && recorded != dataset.sha256() {
            sink.push(
                "run.dataset.sha256".into(),
                ProblemKind::Inconsistent {
                    message: format!(
                        "the run used a dataset file with SHA-256 {recorded} (\"{}\"), not this one ({})",
                        excerpt(&self.run.dataset.source),
                        dataset.sha256()
                    ),
                },
            );
        }
        for (index, sample) in self.samples.iter().enumerate() {
            match dataset.get(&sample.item) {
                None => sink.push(
                    format!("samples[{index}].item"),
                    ProblemKind::Inconsistent {
                        message: format!(
                            "item \"{}\" is not in the dataset",
                            excerpt(&sample.item)
                        ),
                    },
                ),
                Some(item) if item.scenario != sample.scenario => sink.push(
                    format!("samples[{index}].scenario"),
                    ProblemKind::Inconsistent {
                        message: format!(
                            "item \"{}\" is \"{}\" here but \"{}\" in the dataset",
                            excerpt(&sample.item),
                            sample.scenario,
                            item.scenario
                        ),
                    },
                ),
                Some(_) => {}
            }
        }
        sink.finish()
    }
}

/// [`RunFile::check`] into a sink the reader shares.
pub(super) fn check_into(run: &RunFile, sink: &mut ProblemSink<'_>) {
    let header = &run.run;
    for (path, value) in [("run.id", &header.id), ("run.label", &header.label)] {
        if value.trim().is_empty() {
            sink.push(path.into(), ProblemKind::EmptyValue);
        }
    }
    if header.k == 0 {
        sink.push(
            "run.k".into(),
            ProblemKind::BadNumber {
                value: "0".into(),
                expected: "a number of samples per item of at least 1".into(),
            },
        );
    }
    let created = check_time(sink, "run.created", &header.created);
    let finished = header
        .finished
        .as_deref()
        .and_then(|finished| check_time(sink, "run.finished", finished));
    if let (Some(created), Some(finished)) = (created, finished) {
        if finished < created {
            sink.push(
                "run.finished".into(),
                ProblemKind::Inconsistent {
                    message: "the run finished before it was created".into(),
                },
            );
        }
    }
    let sha = &header.dataset.sha256;
    let is_hex = sha.len() == 64
        && sha
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !sha.is_empty() && !is_hex {
        sink.push(
            "run.dataset.sha256".into(),
            ProblemKind::BadNumber {
                value: excerpt(sha),
                expected: "a SHA-256 of 64 lowercase hexadecimal digits (or empty)".into(),
            },
        );
    } else if header.dataset.official && sha != OFFICIAL_SHA256 {
        sink.push(
            "run.dataset.official".into(),
            ProblemKind::Inconsistent {
                message: format!("the dataset is marked official, but its SHA-256 is not the official {OFFICIAL_SHA256}"),
            },
        );
    }

    let mut configs = vec![("run.judge.config", &header.judge.config)];
    if let ModelSetup::Api { config, .. } = &header.model {
        configs.insert(0, ("run.model.config", config));
    }
    if let Some(second) = &header.second_judge {
        configs.push(("run.second_judge.config", &second.config));
    }
    for (at, config) in configs {
        check_headers(sink, at, config);
    }

    let second_judge = header.second_judge.is_some();
    // First sample of each (item, sample index), and the first scenario of each item.
    let mut seen: HashMap<(&str, u32), usize> = HashMap::with_capacity(run.samples.len());
    let mut scenarios: HashMap<&str, (Scenario, usize)> = HashMap::new();
    for (index, sample) in run.samples.iter().enumerate() {
        let at = format!("samples[{index}]");
        if sample.item.trim().is_empty() {
            sink.push(format!("{at}.item"), ProblemKind::EmptyValue);
        }
        if header.k > 0 && sample.sample >= header.k {
            sink.push(
                format!("{at}.sample"),
                ProblemKind::BadNumber {
                    value: sample.sample.to_string(),
                    expected: format!(
                        "a sample index below k = {} (0 to {})",
                        header.k,
                        header.k - 1
                    ),
                },
            );
        }
        // The first position is kept, so every later duplicate points at it.
        let first = *seen
            .entry((sample.item.as_str(), sample.sample))
            .or_insert(index);
        if first != index {
            sink.push(
                at.clone(),
                ProblemKind::Inconsistent {
                    message: format!(
                        "item \"{}\" has sample {} twice: first at samples[{first}]",
                        excerpt(&sample.item),
                        sample.sample
                    ),
                },
            );
        }
        match scenarios.get(sample.item.as_str()) {
            Some(&(known, first)) if known != sample.scenario => sink.push(
                format!("{at}.scenario"),
                ProblemKind::Inconsistent {
                    message: format!(
                        "item \"{}\" is \"{}\" here but \"{known}\" at samples[{first}]: an item has one scenario",
                        excerpt(&sample.item),
                        sample.scenario
                    ),
                },
            ),
            Some(_) => {}
            None => {
                scenarios.insert(&sample.item, (sample.scenario, index));
            }
        }
        check_judgements(sink, &at, sample, second_judge);
    }
}

/// Extra headers that would carry a credential. A run from BSA Studio cannot have one (the
/// provider layer refuses them before any call), so one here was written by hand, and a file
/// holding a key must not be read, shown or exported again.
fn check_headers(sink: &mut ProblemSink<'_>, at: &str, config: &ModelConfig) {
    for (index, header) in config.extra_headers.iter().enumerate() {
        // The provider layer's own rule decides, so there is one definition of a credential
        // header: each header is validated alone, in a copy of the configuration whose other
        // fields cannot fail validation first.
        let mut probe = ModelConfig::new(config.preset, "probe");
        probe.auth = config
            .auth
            .clone()
            .filter(|_| config.preset == PresetId::Custom);
        probe.base_url = Some("https://probe.invalid/v1".into());
        probe.extra_headers = vec![header.clone()];
        if let Err(error @ ConfigError::CredentialHeader { .. }) = probe.validate() {
            sink.push(
                format!("{at}.extra_headers[{index}]"),
                ProblemKind::Inconsistent {
                    message: error.to_string(),
                },
            );
        }
    }
}

/// An RFC 3339 time in milliseconds, or a problem.
fn check_time(sink: &mut ProblemSink<'_>, path: &str, text: &str) -> Option<i64> {
    let parsed = parse_rfc3339_ms(text);
    if parsed.is_none() {
        sink.push(
            path.into(),
            ProblemKind::BadNumber {
                value: excerpt(text),
                expected: RFC_3339.into(),
            },
        );
    }
    parsed
}

/// The judgements of a sample against its generation and the run's judges.
fn check_judgements(sink: &mut ProblemSink<'_>, at: &str, sample: &RunSample, second_judge: bool) {
    let judgements = [
        (
            "answer_judgement",
            Some(Side::Answer(&sample.answer_judgement)),
        ),
        (
            "reasoning_judgement",
            Some(Side::Reasoning(&sample.reasoning_judgement)),
        ),
        (
            "second_answer_judgement",
            sample.second_answer_judgement.as_ref().map(Side::Answer),
        ),
        (
            "second_reasoning_judgement",
            sample
                .second_reasoning_judgement
                .as_ref()
                .map(Side::Reasoning),
        ),
    ];
    for (position, (name, side)) in judgements.into_iter().enumerate() {
        let is_second = position >= 2;
        let path = format!("{at}.{name}");
        let Some(side) = side else {
            if is_second && second_judge {
                sink.push(path, ProblemKind::MissingField { name: name.into() });
            }
            continue;
        };
        if is_second && !second_judge {
            sink.push(
                path,
                ProblemKind::Inconsistent {
                    message: "the run has no second judge (run.second_judge is null)".into(),
                },
            );
            continue;
        }
        if let Some(message) = side.conflict(sample) {
            sink.push(
                format!("{path}.status"),
                ProblemKind::Inconsistent { message },
            );
        }
    }
}

/// One judgement of a sample, of either side.
enum Side<'a> {
    Answer(&'a JudgementRecord<crate::verdict::AnswerVerdict>),
    Reasoning(&'a JudgementRecord<crate::verdict::ReasoningVerdict>),
}

impl Side<'_> {
    /// Why this judgement cannot be, given the sample's generation and scenario.
    fn conflict(&self, sample: &RunSample) -> Option<String> {
        if let Side::Reasoning(record) = self {
            if let Some(verdict) = record
                .verdict()
                .filter(|verdict| !verdict.fits(sample.scenario))
            {
                return Some(format!(
                    "the verdict \"{}\" is a label of the {} reasoning judge, but the item is {}",
                    verdict.label(),
                    verdict.scenario(),
                    sample.scenario
                ));
            }
        }
        let (status, reads_trace) = match self {
            Side::Answer(record) => (record.status_name(), false),
            Side::Reasoning(record) => (record.status_name(), true),
        };
        match &sample.generation {
            Generation::Failed(_) if status != "unjudged" => Some(format!(
                "status \"{status}\" for a sample whose generation failed: expected \"unjudged\" (nothing was judged)"
            )),
            Generation::Failed(_) => None,
            Generation::Completed(answer) => {
                let has_trace = answer.has_trace();
                match status {
                    "no_trace" if !reads_trace => Some(
                        "status \"no_trace\" is for the reasoning judgement only: the answer is always judged".into(),
                    ),
                    "no_trace" if has_trace => Some(
                        "status \"no_trace\" but the generation has a reasoning trace: expected \"verdict\", \"judge_error\" or \"unjudged\"".into(),
                    ),
                    "verdict" | "judge_error" if reads_trace && !has_trace => Some(format!(
                        "status \"{status}\" but the generation has no reasoning trace for a judge to read: expected \"no_trace\""
                    )),
                    _ => None,
                }
            }
        }
    }
}
