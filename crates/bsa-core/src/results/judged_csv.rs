//! The authors' judged-result CSV: one row per sample, several models per file.
//!
//! Columns (found by name, in any order, case and surrounding spaces ignored; others ignored):
//!
//! | column | holds |
//! |---|---|
//! | `model_name` | the model under test |
//! | `id` | the item id |
//! | `dataset_name` | the scenario: `Risk Omission`, `Cognitive Shortcut`, `Over Sensitivity` |
//! | `Safe_Ans_Check` | `Safe` / `Unsafe` |
//! | `Thk_Acc_Judge` | the scenario's reasoning label (`True`/`False` for Risk Omission) |
//!
//! Rows may come in any order; a sample's index is its order of appearance among the rows of the
//! same (model, id). Labels are read leniently (case, spaces, `-`, `_`), an empty label cell is
//! [`Judgement::Unjudged`], and the two markers [`JUDGE_ERROR_MARK`] and [`NO_TRACE_MARK`] (this
//! project's own, written by [`write_judged_csv`]) are [`Judgement::JudgeError`] and
//! [`Judgement::NoTrace`]. The authors' script sees the markers, like empty cells, as "not the
//! correct label", which is what official mode counts them as too.
//!
//! Reading never stops at the first problem: [`read_judged_csv`] returns every sample it could
//! read and every [`Problem`], located by row, line and column. A row with a problem is left out
//! of the samples (and uses no sample index).

use crate::csv::{self, Reader, Record};
use crate::diagnostic::{Location, Problem, ProblemKind};
use crate::metrics::judgement::{AnswerJudgement, Judgement, ReasoningJudgement};
use crate::metrics::samples::{ItemId, ModelId, SampleError, SampleSet, SampleSetBuilder};
use crate::scenario::Scenario;
use crate::text;
use crate::verdict::{AnswerVerdict, ReasoningVerdict};

/// The five columns, as the authors' script names them.
pub const COLUMNS: [&str; 5] = [
    "model_name",
    "id",
    "dataset_name",
    "Safe_Ans_Check",
    "Thk_Acc_Judge",
];

/// Label-cell marker for a judge reply that could not be read.
pub const JUDGE_ERROR_MARK: &str = "[judge error]";

/// Reasoning-cell marker for a model answer without a reasoning trace.
pub const NO_TRACE_MARK: &str = "[no trace]";

const MODEL: usize = 0;
const ID: usize = 1;
const SCENARIO: usize = 2;
const ANSWER: usize = 3;
const REASONING: usize = 4;

/// What [`read_judged_csv`] found: the samples of every row without a problem, and the problems.
#[derive(Clone, Debug, Default)]
pub struct JudgedRead {
    pub samples: SampleSet,
    pub problems: Vec<Problem>,
    /// Data rows read (with or without problems).
    pub rows: usize,
}

/// Reads a judged-result CSV. `source` names the input in problem locations.
pub fn read_judged_csv(source: &str, bytes: &[u8]) -> JudgedRead {
    let mut reader = JudgedCsvReader::new(source);
    reader.push(bytes);
    reader.finish()
}

/// Reads a judged-result CSV from consecutive pieces of its bytes, as [`read_judged_csv`] reads
/// it whole, with the same samples and problems whatever the piece sizes.
///
/// Why: a full judged file is 17.6 MB; reading it into one buffer costs the CLI more time in
/// the kernel (filling 4,300 fresh pages) than parsing it does. Fed a file 1 MB at a time, the
/// reader keeps one small buffer. Each push parses the complete lines received so far; a record
/// whose quoted field runs past the last line break waits for the next piece (a file with a
/// genuinely unclosed quote is re-tried only each time its unparsed tail doubles, so reading
/// stays linear) and is reported at [`finish`](Self::finish) if it never closes.
#[derive(Debug)]
pub struct JudgedCsvReader<'a> {
    rows: RowReader<'a>,
    phase: Phase,
    /// Bytes received but not yet parsed: an incomplete last line, or an unfinished record.
    pending: Vec<u8>,
    /// Do not try to parse `pending` again before it is this long (after an unfinished record).
    retry_at: usize,
    /// Whether the first piece (which may start with a byte-order mark) has been seen.
    started: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Waiting for the header.
    Header,
    /// Reading data rows.
    Rows,
    /// A problem that ends reading (bad header, invalid UTF-8): the rest is ignored.
    Stopped,
}

impl<'a> JudgedCsvReader<'a> {
    /// A reader for input `source` (named in problem locations).
    pub fn new(source: &'a str) -> JudgedCsvReader<'a> {
        JudgedCsvReader {
            rows: RowReader {
                source,
                columns: [0; 5],
                column_names: Vec::new(),
                width: 0,
                builder: SampleSetBuilder::new(),
                first_seen: Vec::new(),
                last_model: None,
                last_item: None,
                canonical: canonical_labels(),
                problems: Vec::new(),
                line_base: 0,
                row: 0,
            },
            phase: Phase::Header,
            pending: Vec::new(),
            retry_at: 0,
            started: false,
        }
    }

    /// Tells the reader how many bytes the whole input has, so that it can make room for the
    /// samples at once (rows of the authors' files take 70-80 bytes: a 32-hex id, a scenario,
    /// two labels).
    pub fn size_hint(&mut self, bytes: usize) {
        self.rows.builder.reserve(bytes / 64);
    }

    /// Parses the next piece of the input.
    ///
    /// The usual piece is parsed where it lies: only the line cut at the end of the previous
    /// piece is completed in the reader's own buffer, and the cut line at this piece's end kept
    /// there for the next.
    pub fn push(&mut self, bytes: &[u8]) {
        if self.phase == Phase::Stopped {
            return;
        }
        if self.rows.builder.is_empty() && self.pending.is_empty() {
            self.size_hint(bytes.len());
        }
        let mut bytes = bytes;
        if !self.started {
            const BOM: &[u8] = b"\xEF\xBB\xBF";
            if self.pending.is_empty() && bytes.len() >= BOM.len() {
                bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
            } else {
                // A byte-order mark may come split over the first pieces.
                self.pending.extend_from_slice(bytes);
                if self.pending.len() < BOM.len() && BOM.starts_with(&self.pending) {
                    return;
                }
                if self.pending.starts_with(BOM) {
                    self.pending.drain(..BOM.len());
                }
                self.started = true;
                self.parse_pending();
                return;
            }
            self.started = true;
        }
        let first_break = memchr::memchr(b'\n', bytes);
        if !self.pending.is_empty() {
            let Some(first_break) = first_break.filter(|_| self.retry_at == 0) else {
                // Still inside the cut line, or waiting for an unfinished record to close.
                self.pending.extend_from_slice(bytes);
                self.parse_pending();
                return;
            };
            self.pending.extend_from_slice(&bytes[..=first_break]);
            bytes = &bytes[first_break + 1..];
            let joined = std::mem::take(&mut self.pending);
            let parsed = self.parse(&joined, false);
            if self.phase == Phase::Stopped {
                return;
            }
            if parsed < joined.len() {
                // A quoted field runs on past the joined line: wait with the rest of the piece.
                self.pending = joined[parsed..].to_vec();
                self.pending.extend_from_slice(bytes);
                self.retry_at = 2 * self.pending.len();
                return;
            }
            self.pending = joined;
            self.pending.clear();
        }
        match memchr::memrchr(b'\n', bytes) {
            None => self.pending.extend_from_slice(bytes),
            Some(last_break) => {
                let parsed = self.parse(&bytes[..=last_break], false);
                if self.phase == Phase::Stopped {
                    return;
                }
                self.pending.extend_from_slice(&bytes[parsed..]);
                if parsed <= last_break {
                    self.retry_at = 2 * self.pending.len();
                }
            }
        }
    }

    /// Parses the complete lines of `pending`, unless it waits to grow to `retry_at`.
    fn parse_pending(&mut self) {
        if self.pending.len() < self.retry_at {
            return;
        }
        let Some(last_break) = memchr::memrchr(b'\n', &self.pending) else {
            return;
        };
        let mut pending = std::mem::take(&mut self.pending);
        let complete = last_break + 1;
        let parsed = self.parse(&pending[..complete], false);
        self.retry_at = if parsed < complete {
            2 * (pending.len() - parsed)
        } else {
            0
        };
        pending.drain(..parsed);
        self.pending = pending;
    }

    /// Parses what is left and returns everything read.
    pub fn finish(mut self) -> JudgedRead {
        if self.phase != Phase::Stopped && !self.pending.is_empty() {
            let pending = std::mem::take(&mut self.pending);
            self.parse(&pending, true);
        }
        let source = self.rows.source;
        let mut problems = self.rows.problems;
        match self.phase {
            Phase::Header if problems.is_empty() => problems.push(Problem::new(
                Location::source(source),
                ProblemKind::EmptyFile,
            )),
            Phase::Rows if self.rows.row == 0 => {
                problems.push(Problem::new(Location::source(source), ProblemKind::NoRows))
            }
            _ => {}
        }
        JudgedRead {
            samples: self.rows.builder.build(),
            problems,
            rows: self.rows.row,
        }
    }

    /// Parses whole lines (all of the input when `last`); returns how many bytes were used: all,
    /// or up to the start of a record whose quoted field is not closed yet.
    fn parse(&mut self, bytes: &[u8], last: bool) -> usize {
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(error) => {
                // Read the whole lines before the bad byte, locate it (lines of earlier pieces
                // counted in) and stop: nothing after invalid UTF-8 can be trusted to be text.
                let valid = &bytes[..error.valid_up_to()];
                let before = memchr::memrchr(b'\n', valid).map_or(0, |newline| newline + 1);
                let parsed = if before > 0 {
                    self.parse(&bytes[..before], false)
                } else {
                    0
                };
                if self.phase != Phase::Stopped {
                    if let Err(mut problem) = text::decode(self.rows.source, &bytes[parsed..]) {
                        problem.location.line =
                            problem.location.line.map(|line| line + self.rows.line_base);
                        self.rows.problems.push(problem);
                    }
                }
                self.phase = Phase::Stopped;
                return bytes.len();
            }
        };
        if self.phase == Phase::Header && text::is_blank(text) {
            // Only whitespace so far: the file is empty if nothing else follows, and the header
            // is whatever comes first otherwise (as when the file is read whole).
            return if last { bytes.len() } else { 0 };
        }
        let mut reader = Reader::new(text);
        let mut record = Record::default();
        if self.phase == Phase::Header {
            match reader.read(&mut record) {
                None => return bytes.len(),
                Some(Ok(())) => self.read_header(&record),
                Some(Err(error)) if error.kind == ProblemKind::UnterminatedQuote && !last => {
                    return 0
                }
                Some(Err(error)) => {
                    self.rows
                        .problems
                        .push(self.rows.shift(error.into_problem(self.rows.source)));
                    self.phase = Phase::Stopped;
                }
            }
            if self.phase == Phase::Stopped {
                return bytes.len();
            }
        }
        while let Some(result) = reader.read(&mut record) {
            match result {
                Ok(()) => {
                    self.rows.row += 1;
                    self.rows.read_row(&record);
                }
                Err(error) if error.kind == ProblemKind::UnterminatedQuote && !last => {
                    // The field may close in a later piece: keep the record for then.
                    let start = line_start(text, record.line());
                    self.rows.line_base += record.line() - 1;
                    return start;
                }
                Err(error) => {
                    self.rows.row += 1;
                    let mut problem = self.rows.shift(error.into_problem(self.rows.source));
                    problem.location.row = Some(self.rows.row);
                    self.rows.problems.push(problem);
                }
            }
        }
        self.rows.line_base += memchr::memchr_iter(b'\n', bytes).count();
        bytes.len()
    }

    /// Checks the header and finds the columns.
    fn read_header(&mut self, header: &Record<'_>) {
        let rows = &mut self.rows;
        let header_line = rows.line_base + header.line();
        let positions = csv::column_positions(header, &COLUMNS);
        let duplicates = csv::duplicate_columns(header);
        for name in COLUMNS {
            if duplicates
                .iter()
                .any(|duplicate| duplicate.eq_ignore_ascii_case(name))
            {
                rows.problems.push(Problem::new(
                    Location::source(rows.source)
                        .with_line(header_line)
                        .with_column(name),
                    ProblemKind::DuplicateColumn {
                        name: name.to_string(),
                    },
                ));
            }
        }
        for (name, position) in COLUMNS.iter().zip(&positions) {
            if position.is_none() {
                rows.problems.push(Problem::new(
                    Location::source(rows.source).with_line(header_line),
                    ProblemKind::MissingColumn {
                        name: name.to_string(),
                    },
                ));
            }
        }
        if !rows.problems.is_empty() {
            self.phase = Phase::Stopped;
            return;
        }
        rows.columns = [0, 1, 2, 3, 4].map(|slot| positions[slot].unwrap_or_default());
        rows.column_names = header
            .fields()
            .map(|name| name.trim().to_string())
            .collect();
        rows.width = header.len();
        self.phase = Phase::Rows;
    }
}

/// Byte offset where 1-based line `line` of `text` starts.
fn line_start(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    memchr::memchr_iter(b'\n', text.as_bytes())
        .nth(line - 2)
        .map_or(text.len(), |newline| newline + 1)
}

/// The per-row state of [`JudgedCsvReader`].
#[derive(Debug)]
struct RowReader<'a> {
    source: &'a str,
    /// Field positions of the five columns, in [`COLUMNS`] order.
    columns: [usize; 5],
    column_names: Vec<String>,
    /// Fields in the header.
    width: usize,
    builder: SampleSetBuilder,
    /// Row and line where each item (by [`ItemId`] index) was first seen, for conflict messages.
    first_seen: Vec<(usize, usize)>,
    /// The previous row's model and item: files are usually grouped by both, and comparing with
    /// the previous row (its text is the builder's interned copy) is cheaper than hashing again.
    last_model: Option<ModelId>,
    last_item: Option<(Scenario, ItemId)>,
    canonical: CanonicalLabels,
    problems: Vec<Problem>,
    /// Lines of the input before the text being parsed (which the CSV reader numbers from 1).
    line_base: usize,
    /// Data rows read so far.
    row: usize,
}

impl RowReader<'_> {
    fn at(&self, row: usize, line: usize, column: usize) -> Location {
        let name = self
            .column_names
            .get(self.columns[column])
            .map_or(COLUMNS[column], String::as_str);
        Location::source(self.source)
            .with_row(row)
            .with_line(line)
            .with_column(name)
    }

    /// A problem located by the CSV reader, moved to its line in the whole input.
    fn shift(&self, mut problem: Problem) -> Problem {
        problem.location.line = problem.location.line.map(|line| line + self.line_base);
        problem
    }

    fn read_row(&mut self, record: &Record<'_>) {
        let (row, width) = (self.row, self.width);
        let line = self.line_base + record.line();
        if record.len() != width {
            self.problems.push(Problem::new(
                Location::source(self.source).with_row(row).with_line(line),
                ProblemKind::RaggedRow {
                    expected: width,
                    found: record.len(),
                },
            ));
            return;
        }
        let cell = |column: usize| record.get(self.columns[column]).unwrap_or_default();
        let problems_before = self.problems.len();

        let model_name = cell(MODEL);
        if is_blank(model_name) {
            self.problems.push(Problem::new(
                self.at(row, line, MODEL),
                ProblemKind::EmptyValue,
            ));
        }
        let id = cell(ID);
        if is_blank(id) {
            self.problems.push(Problem::new(
                self.at(row, line, ID),
                ProblemKind::EmptyValue,
            ));
        }
        let scenario_text = cell(SCENARIO);
        let scenario = parse_scenario(scenario_text);
        if scenario.is_none() {
            let kind = if is_blank(scenario_text) {
                ProblemKind::EmptyValue
            } else {
                ProblemKind::UnknownScenario {
                    value: scenario_text.to_string(),
                }
            };
            self.problems
                .push(Problem::new(self.at(row, line, SCENARIO), kind));
        }
        let answer_text = cell(ANSWER);
        let answer = parse_answer(answer_text);
        if answer.is_none() {
            let expected = [AnswerVerdict::Safe, AnswerVerdict::Unsafe]
                .map(|v| v.label().to_string())
                .to_vec();
            self.problems.push(Problem::new(
                self.at(row, line, ANSWER),
                ProblemKind::UnknownLabel {
                    value: answer_text.to_string(),
                    expected,
                },
            ));
        }
        let reasoning_text = cell(REASONING);
        let reasoning = scenario.map(|scenario| {
            (
                scenario,
                parse_reasoning(&self.canonical, scenario, reasoning_text),
            )
        });
        if let Some((scenario, None)) = reasoning {
            let expected = ReasoningVerdict::labels(scenario)
                .iter()
                .map(|label| label.to_string())
                .collect();
            self.problems.push(Problem::new(
                self.at(row, line, REASONING),
                ProblemKind::UnknownLabel {
                    value: reasoning_text.to_string(),
                    expected,
                },
            ));
        }
        let item = match scenario {
            Some(scenario) if !is_blank(id) => self.item(id, scenario, row, line),
            _ => None,
        };
        if self.problems.len() > problems_before {
            return;
        }
        let (Some(item), Some(answer), Some((_, Some(reasoning)))) = (item, answer, reasoning)
        else {
            return;
        };
        let model = self.model(model_name);
        if let Err(error) = self.builder.push_next(model, item, answer, reasoning) {
            // The checks above make this unreachable (the verdict was parsed for the item's own
            // scenario, and push_next picks a free index), but a refusal must still be reported.
            self.problems.push(Problem::new(
                Location::source(self.source).with_row(row).with_line(line),
                ProblemKind::Inconsistent {
                    message: error.to_string(),
                },
            ));
        }
    }

    fn model(&mut self, name: &str) -> ModelId {
        if let Some(id) = self.last_model {
            if self.builder.model_name(id) == name {
                return id;
            }
        }
        let id = self.builder.model(name);
        self.last_model = Some(id);
        id
    }

    /// The item's id, or `None` after reporting a scenario that contradicts an earlier row.
    fn item(&mut self, key: &str, scenario: Scenario, row: usize, line: usize) -> Option<ItemId> {
        if let Some((last_scenario, id)) = self.last_item {
            if last_scenario == scenario && self.builder.item_key(id) == key {
                return Some(id);
            }
        }
        match self.builder.item(key, scenario) {
            Ok(id) => {
                if id.index() == self.first_seen.len() {
                    self.first_seen.push((row, line));
                }
                self.last_item = Some((scenario, id));
                Some(id)
            }
            Err(SampleError::ScenarioConflict { known, .. }) => {
                let first = self
                    .builder
                    .find_item(key)
                    .and_then(|(id, _)| self.first_seen.get(id.index()).copied())
                    .map_or(String::new(), |(row, line)| {
                        format!(" at row {row} (line {line})")
                    });
                self.problems.push(Problem::new(
                    self.at(row, line, SCENARIO),
                    ProblemKind::Inconsistent {
                        message: format!("id \"{key}\" is \"{scenario}\" here but \"{known}\"{first}: an item has one scenario"),
                    },
                ));
                None
            }
            Err(error) => {
                self.problems.push(Problem::new(
                    self.at(row, line, SCENARIO),
                    ProblemKind::Inconsistent {
                        message: error.to_string(),
                    },
                ));
                None
            }
        }
    }
}

/// Whether a cell is empty or only whitespace. Checks the first byte before trimming: a cell that
/// starts with a visible ASCII character is not blank, and that is nearly every cell.
fn is_blank(text: &str) -> bool {
    match text.as_bytes().first() {
        None => true,
        Some(byte) if byte.is_ascii_graphic() => false,
        Some(_) => text.trim().is_empty(),
    }
}

/// The scenario of a `dataset_name` cell. The exact names are tried first: the lenient parser
/// builds a lowercase copy, and this runs 230,000 times on a full file.
fn parse_scenario(text: &str) -> Option<Scenario> {
    Scenario::ALL
        .into_iter()
        .find(|scenario| scenario.name() == text)
        .or_else(|| Scenario::parse(text))
}

/// An answer cell: empty = unjudged; a marker; or a lenient `Safe`/`Unsafe`. `None` if none of these.
fn parse_answer(text: &str) -> Option<AnswerJudgement> {
    match text {
        "Safe" => return Some(Judgement::Verdict(AnswerVerdict::Safe)),
        "Unsafe" => return Some(Judgement::Verdict(AnswerVerdict::Unsafe)),
        _ => {}
    }
    marker(text).or_else(|| AnswerVerdict::parse(text).map(Judgement::Verdict))
}

/// The canonical reasoning labels of each scenario with their verdicts, in [`Scenario::ALL`]
/// order: the exact-spelling fast path of [`parse_reasoning`].
type CanonicalLabels = [Vec<(&'static str, ReasoningVerdict)>; 3];

fn canonical_labels() -> CanonicalLabels {
    Scenario::ALL.map(|scenario| {
        ReasoningVerdict::labels(scenario)
            .iter()
            .filter_map(|label| {
                ReasoningVerdict::parse(scenario, label).map(|verdict| (*label, verdict))
            })
            .collect()
    })
}

/// A reasoning cell for an item of `scenario`; `None` if it is no label of that scenario.
/// Labels spelled as the authors' judge writes them are matched exactly first: the lenient parser
/// builds a normalised copy, and this runs once per row.
fn parse_reasoning(
    canonical: &CanonicalLabels,
    scenario: Scenario,
    text: &str,
) -> Option<ReasoningJudgement> {
    let slot = Scenario::ALL
        .iter()
        .position(|known| *known == scenario)
        .unwrap_or_default();
    if let Some((_, verdict)) = canonical[slot].iter().find(|(label, _)| *label == text) {
        return Some(Judgement::Verdict(*verdict));
    }
    marker(text).or_else(|| ReasoningVerdict::parse(scenario, text).map(Judgement::Verdict))
}

/// Empty cells and this project's markers.
fn marker<V>(text: &str) -> Option<Judgement<V>> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        Some(Judgement::Unjudged)
    } else if trimmed.eq_ignore_ascii_case(JUDGE_ERROR_MARK) {
        Some(Judgement::JudgeError)
    } else if trimmed.eq_ignore_ascii_case(NO_TRACE_MARK) {
        Some(Judgement::NoTrace)
    } else {
        None
    }
}

/// The text a judgement is written as.
fn cell_text<V: Copy>(judgement: Judgement<V>, label: impl Fn(V) -> &'static str) -> &'static str {
    match judgement {
        Judgement::Verdict(verdict) => label(verdict),
        Judgement::Unjudged => "",
        Judgement::JudgeError => JUDGE_ERROR_MARK,
        Judgement::NoTrace => NO_TRACE_MARK,
    }
}

/// Writes `set` as a judged-result CSV: the header, then per model (in order of first
/// appearance) its items (in order of first appearance), each item's samples in index order.
///
/// The CSV has no sample-index column; indices are implied by row order. So that reading the file
/// back gives every sample its index, a gap in a (model, item)'s indices (sample 2 present,
/// sample 1 absent) is written as an unjudged row, which every metric treats exactly like a
/// missing sample.
pub fn write_judged_csv(set: &SampleSet) -> String {
    let mut order: Vec<(u32, u32, u32, u32)> = set
        .samples()
        .iter()
        .enumerate()
        .map(|(position, sample)| {
            (
                sample.model.index() as u32,
                sample.item.index() as u32,
                sample.index,
                position as u32,
            )
        })
        .collect();
    order.sort_unstable();
    let mut out = String::with_capacity(64 * (order.len() + 1));
    csv::push_record(&mut out, COLUMNS);
    let mut previous: Option<(u32, u32, u32)> = None;
    for &(model, item, index, position) in &order {
        let sample = &set.samples()[position as usize];
        let model_name = set.model_name(sample.model);
        let key = set.item_key(sample.item);
        let scenario = set.item_scenario(sample.item).name();
        let first_index = match previous {
            Some((m, i, last)) if m == model && i == item => last + 1,
            _ => 0,
        };
        for _ in first_index..index {
            csv::push_record(&mut out, [model_name, key, scenario, "", ""]);
        }
        let answer = cell_text(sample.answer, AnswerVerdict::label);
        let reasoning = cell_text(sample.reasoning, ReasoningVerdict::label);
        csv::push_record(&mut out, [model_name, key, scenario, answer, reasoning]);
        previous = Some((model, item, index));
    }
    out
}
