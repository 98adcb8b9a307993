//! The authors' batch-runner output: answers generated outside BSA Studio, to be judged in it.
//!
//! The authors' batch runner (`Batch_Call_LLM` in their repository) writes one CSV per model and
//! sampling pass, UTF-8 with a byte-order mark, with the columns
//!
//! | column | holds |
//! |---|---|
//! | `id` | the item id |
//! | `question` | the query that was sent (not needed here: the dataset has it) |
//! | `answer` | the final answer; empty when the call failed |
//! | `reasoning_content` | the reasoning trace; empty when the model returned none |
//! | `status` | `success` or `failed` |
//! | `tokens` | total tokens of the call (input plus output) |
//! | `error` | the error message of a failed call; the runner leaves the column out when no call failed |
//!
//! Columns are found by name, in any order, case and surrounding spaces ignored; `id`, `answer`,
//! `reasoning_content` and `status` are required. Rows come in the order the calls finished.
//!
//! [`read_batch_csv`] reads one file as one sampling pass (one sample index);
//! [`read_batch_passes`] reads several files of the same model as passes 0..k-1 in the order
//! given. Both return a [`BatchRead`]: one [`RunSample`] per good row (a `success` row with its
//! answer and trace, a `failed` row as a [`GenerationFailure`]; judgements unjudged, and "no
//! trace" for the reasoning of an answer without one), every located [`Problem`], and k. With
//! [`BatchRead::into_run_file`] the samples become a [`RunFile`] whose run has only the judge
//! stages left to do. A row with a problem is left out.
//!
//! Checks: invalid UTF-8, empty file, no rows, missing or duplicated columns, CSV syntax, ragged
//! rows, empty ids, ids not in the dataset, an id twice in one file (with where it was first
//! seen), a `status` other than `success` / `failed`, and a `tokens` value that is not a whole
//! number (pandas writes `1234.0` when some rows had none; that is read as 1234).

use crate::csv::{self, Reader, Record};
use crate::dataset::read::{excerpt, MAX_PROBLEMS};
use crate::dataset::Dataset;
use crate::diagnostic::{Location, Problem, ProblemKind};
use crate::provider::{ReasoningSource, ReasoningTrace};
use crate::results::run_file::{
    CallStats, GeneratedAnswer, Generation, GenerationFailure, ModelSetup, RunFile, RunHeader,
    RunSample, Tool,
};
use crate::text;
use std::collections::HashMap;

/// The columns read, required ones first.
pub const COLUMNS: [&str; 6] = [
    "id",
    "answer",
    "reasoning_content",
    "status",
    "tokens",
    "error",
];

/// How many of [`COLUMNS`] (from the start) are required.
const REQUIRED: usize = 4;

const ID: usize = 0;
const ANSWER: usize = 1;
const REASONING: usize = 2;
const STATUS: usize = 3;
const TOKENS: usize = 4;
const ERROR: usize = 5;

/// The message of a failed row without an `error` value.
pub const NO_ERROR_MESSAGE: &str =
    "the batch runner marked this call failed and recorded no error message";

/// One batch-runner CSV: its name for messages and its bytes.
#[derive(Clone, Copy, Debug)]
pub struct BatchCsvFile<'a> {
    pub source: &'a str,
    pub bytes: &'a [u8],
}

/// What [`read_batch_csv`] or [`read_batch_passes`] found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BatchRead {
    /// One sample per good row, file by file, in row order.
    pub samples: Vec<RunSample>,
    pub problems: Vec<Problem>,
    /// Data rows read, with or without problems.
    pub rows: usize,
    /// Samples per item: the number of files ([`read_batch_csv`] of index i alone: i + 1).
    pub k: u32,
    /// The files' names, in pass order.
    pub sources: Vec<String>,
}

impl BatchRead {
    /// Samples whose call failed in the batch runner.
    pub fn failed(&self) -> usize {
        self.samples
            .iter()
            .filter(|sample| matches!(sample.generation, Generation::Failed(_)))
            .count()
    }

    /// A run file of these samples, ready for the judge stages. `header` gives the rest (run
    /// id, label, times, dataset, judges); its `k` and `model` are replaced by the number of
    /// files and [`ModelSetup::BatchCsv`] with their names.
    pub fn into_run_file(self, tool: Tool, mut header: RunHeader) -> RunFile {
        header.k = self.k;
        header.model = ModelSetup::BatchCsv {
            files: self.sources,
        };
        RunFile {
            tool,
            run: header,
            samples: self.samples,
        }
    }
}

/// Reads several batch-runner files of one model: file `i` is sample index `i`. With
/// `second_judge`, the samples also carry the second judge's (unjudged) judgements.
pub fn read_batch_passes(
    files: &[BatchCsvFile<'_>],
    dataset: &Dataset,
    second_judge: bool,
) -> BatchRead {
    let mut read = BatchRead::default();
    for (index, file) in files.iter().enumerate() {
        let sample = u32::try_from(index).unwrap_or(u32::MAX);
        let pass = read_batch_csv(file.source, file.bytes, dataset, sample, second_judge);
        read.samples.extend(pass.samples);
        read.problems.extend(pass.problems);
        read.rows += pass.rows;
        read.sources.push(file.source.to_string());
    }
    read.k = u32::try_from(files.len()).unwrap_or(u32::MAX);
    read
}

/// Reads one batch-runner file as sample index `sample` of the items of `dataset`.
pub fn read_batch_csv(
    source: &str,
    bytes: &[u8],
    dataset: &Dataset,
    sample: u32,
    second_judge: bool,
) -> BatchRead {
    let mut read = BatchRead {
        k: sample.saturating_add(1),
        sources: vec![source.to_string()],
        ..BatchRead::default()
    };
    let text = match text::decode(source, bytes) {
        Ok(text) => text,
        Err(problem) => {
            read.problems.push(problem);
            return read;
        }
    };
    if text::is_blank(text) {
        read.problems.push(Problem::new(
            Location::source(source),
            ProblemKind::EmptyFile,
        ));
        return read;
    }
    let mut reader = Reader::new(text);
    let mut header = Record::default();
    match reader.read(&mut header) {
        Some(Ok(())) => {}
        Some(Err(error)) => {
            read.problems.push(error.into_problem(source));
            return read;
        }
        None => {
            read.problems.push(Problem::new(
                Location::source(source),
                ProblemKind::EmptyFile,
            ));
            return read;
        }
    }
    let positions = csv::column_positions(&header, &COLUMNS);
    let header_line = header.line();
    for name in csv::duplicate_columns(&header) {
        if COLUMNS
            .iter()
            .any(|column| column.eq_ignore_ascii_case(&name))
        {
            read.problems.push(Problem::new(
                Location::source(source)
                    .with_line(header_line)
                    .with_column(name.clone()),
                ProblemKind::DuplicateColumn { name },
            ));
        }
    }
    for (name, position) in COLUMNS.iter().zip(&positions).take(REQUIRED) {
        if position.is_none() {
            read.problems.push(Problem::new(
                Location::source(source).with_line(header_line),
                ProblemKind::MissingColumn {
                    name: name.to_string(),
                },
            ));
        }
    }
    if !read.problems.is_empty() {
        return read;
    }
    let mut rows = RowReader {
        source,
        dataset,
        sample,
        second_judge,
        positions,
        column_names: header
            .fields()
            .map(|name| name.trim().to_string())
            .collect(),
        width: header.len(),
        first_seen: HashMap::new(),
        samples: Vec::new(),
        problems: Vec::new(),
        more: 0,
    };
    let mut record = Record::default();
    let mut row = 0usize;
    while let Some(result) = reader.read(&mut record) {
        row += 1;
        match result {
            Ok(()) => rows.read_row(&record, row),
            Err(error) => {
                let mut problem = error.into_problem(source);
                problem.location.row = Some(row);
                rows.report(problem);
            }
        }
    }
    read.rows = row;
    if row == 0 {
        rows.report(Problem::new(Location::source(source), ProblemKind::NoRows));
    }
    if rows.more > 0 {
        rows.problems.push(Problem::new(
            Location::source(source),
            ProblemKind::TooManyProblems { more: rows.more },
        ));
    }
    read.samples = rows.samples;
    read.problems = rows.problems;
    read
}

/// The per-row state of [`read_batch_csv`].
struct RowReader<'a> {
    source: &'a str,
    dataset: &'a Dataset,
    sample: u32,
    second_judge: bool,
    /// Field positions of [`COLUMNS`]; the required ones are known to be `Some`.
    positions: Vec<Option<usize>>,
    column_names: Vec<String>,
    width: usize,
    /// Row and line where each id was first seen in this file.
    first_seen: HashMap<String, (usize, usize)>,
    samples: Vec<RunSample>,
    problems: Vec<Problem>,
    /// Problems past [`MAX_PROBLEMS`], counted only.
    more: usize,
}

impl RowReader<'_> {
    fn report(&mut self, problem: Problem) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(problem);
        } else {
            self.more += 1;
        }
    }

    fn at(&self, row: usize, line: usize, column: usize) -> Location {
        let name = self.positions[column]
            .and_then(|position| self.column_names.get(position))
            .map_or(COLUMNS[column], String::as_str);
        Location::source(self.source)
            .with_row(row)
            .with_line(line)
            .with_column(name)
    }

    /// The cell of `column`, `None` when the file has no such column.
    fn cell<'r>(&self, record: &'r Record<'_>, column: usize) -> Option<&'r str> {
        self.positions[column].and_then(|position| record.get(position))
    }

    fn read_row(&mut self, record: &Record<'_>, row: usize) {
        let line = record.line();
        if record.len() != self.width {
            self.report(Problem::new(
                Location::source(self.source).with_row(row).with_line(line),
                ProblemKind::RaggedRow {
                    expected: self.width,
                    found: record.len(),
                },
            ));
            return;
        }
        let problems_before = self.problems.len() + self.more;

        let id = self.cell(record, ID).unwrap_or_default().trim();
        let item = if id.is_empty() {
            self.report(Problem::new(
                self.at(row, line, ID),
                ProblemKind::EmptyValue,
            ));
            None
        } else if let Some(&(first_row, first_line)) = self.first_seen.get(id) {
            self.report(Problem::new(
                self.at(row, line, ID),
                ProblemKind::DuplicateId {
                    id: excerpt(id),
                    first: format!("row {first_row} (line {first_line})"),
                },
            ));
            None
        } else {
            self.first_seen.insert(id.to_string(), (row, line));
            let item = self.dataset.get(id);
            if item.is_none() {
                self.report(Problem::new(
                    self.at(row, line, ID),
                    ProblemKind::Inconsistent {
                        message: format!("id \"{}\" is not in the dataset", excerpt(id)),
                    },
                ));
            }
            item
        };

        let status_text = self.cell(record, STATUS).unwrap_or_default();
        let succeeded = match status_text.trim().to_ascii_lowercase().as_str() {
            "success" => Some(true),
            "failed" => Some(false),
            _ => {
                self.report(Problem::new(
                    self.at(row, line, STATUS),
                    ProblemKind::UnknownLabel {
                        value: excerpt(status_text),
                        expected: vec!["success".into(), "failed".into()],
                    },
                ));
                None
            }
        };

        let tokens_text = self.cell(record, TOKENS).unwrap_or_default().trim();
        let tokens = parse_tokens(tokens_text);
        if tokens.is_err() {
            self.report(Problem::new(
                self.at(row, line, TOKENS),
                ProblemKind::BadNumber {
                    value: excerpt(tokens_text),
                    expected: "a whole number of tokens".into(),
                },
            ));
        }

        if self.problems.len() + self.more > problems_before {
            return;
        }
        let (Some(item), Some(succeeded), Ok(tokens)) = (item, succeeded, tokens) else {
            return;
        };
        let call = CallStats {
            reported_total_tokens: tokens,
            ..CallStats::default()
        };
        let generation = if succeeded {
            let reasoning = self.cell(record, REASONING).unwrap_or_default().trim();
            Generation::Completed(GeneratedAnswer {
                answer: self
                    .cell(record, ANSWER)
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
                reasoning: (!reasoning.is_empty()).then(|| ReasoningTrace {
                    text: reasoning.to_string(),
                    // The column's name; the runner for GLM models fills it from <think> tags,
                    // which the file does not say.
                    source: ReasoningSource::ReasoningContent,
                    summarized: false,
                    redacted: false,
                }),
                finish_reason: None,
                served_model: None,
                response_id: None,
                call,
            })
        } else {
            let message = self
                .cell(record, ERROR)
                .map(str::trim)
                .filter(|error| !error.is_empty());
            Generation::Failed(GenerationFailure {
                message: message.unwrap_or(NO_ERROR_MESSAGE).to_string(),
                call,
            })
        };
        self.samples.push(RunSample::unjudged(
            item.id.clone(),
            item.scenario,
            self.sample,
            generation,
            self.second_judge,
        ));
    }
}

/// A `tokens` cell: empty is unknown; a whole number, also written as a float (`1234.0`).
fn parse_tokens(text: &str) -> Result<Option<u64>, ()> {
    if text.is_empty() {
        return Ok(None);
    }
    if let Ok(tokens) = text.parse::<u64>() {
        return Ok(Some(tokens));
    }
    match text.parse::<f64>() {
        // Below 2^53 every whole float is exact, and token counts are far below it.
        Ok(value)
            if value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value < 9.0e15 =>
        {
            Ok(Some(value as u64))
        }
        _ => Err(()),
    }
}
