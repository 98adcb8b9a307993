//! Reading a dataset from CSV or JSONL bytes, with every problem located.
//!
//! - [`read_dataset`] picks the format from the source name or the content, [`read_dataset_as`]
//!   takes it from the caller ([`DatasetFormat`]); [`read_dataset_with`] takes [`ReadOptions`]
//!   (the format, and whether to compute the checksum).
//! - All return a [`DatasetRead`]: the [`Dataset`] of every valid item, and the list of every
//!   [`Problem`] found. The input is valid iff that list is empty; a caller may still choose to use
//!   the valid items of an invalid file (the web app offers that), because nothing is dropped
//!   without a problem saying so.
//!
//! The checksum ([`Dataset::sha256`], which tells the official file from any other) is the one
//! part a caller may want elsewhere: in the web app SHA-256 compiled to WebAssembly costs more
//! than reading the items, while the browser's native WebCrypto digest runs on another thread
//! for a fraction of that. [`ReadOptions::checksum`] `false` leaves it to the caller, who adds it
//! with [`Dataset::with_sha256`] (and [`sha256_hex`] or [`lower_hex`] give the same text).
//!
//! Both formats carry the official fields `id`, `query`, `risk_summary`, `dataset_name` (the
//! scenario) and `label` (see [`super::label`]). CSV: RFC 4180 ([`crate::csv`]), the columns in
//! any order, header names matched after trimming and ignoring ASCII case, extra columns ignored.
//! JSONL: one object per line with string values under exactly those keys, extra keys ignored,
//! blank lines skipped. Either may start with a UTF-8 byte-order mark and use `\n` or `\r\n`.
//!
//! Checks, each reported where it happens (CSV: data row and the physical line the row starts on;
//! JSONL: the line) and naming the column or key: empty input, no rows, missing or duplicated
//! columns (once, at the header), missing fields and wrong JSON types, broken quoting and broken
//! JSON, ragged rows, invalid UTF-8 (every bad sequence, at its line and character), empty
//! values, unknown scenarios, malformed labels, a label whose number of risks does not fit the
//! scenario, and duplicate ids (with where the id was first seen). The list stops at
//! [`MAX_PROBLEMS`] entries plus one that counts the rest, so a binary file dropped by mistake
//! stays fast to read and to show.
//!
//! Values quoted in messages are excerpts: line breaks and other control characters are shown
//! as escapes (`\n`) so that every problem fits on one line, and long values are cut at
//! [`EXCERPT_CHARS`] characters.

use super::label::{parse_label, risk_count};
use super::{Dataset, Item};
use crate::csv::{column_positions, duplicate_columns, Reader, Record};
use crate::diagnostic::{Location, Problem, ProblemKind};
use crate::scenario::Scenario;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::borrow::Cow;

/// The official field names, in the official column order.
pub const FIELDS: [&str; 5] = ["id", "query", "risk_summary", "dataset_name", "label"];

/// At most this many problems are listed; one more entry counts the rest.
pub const MAX_PROBLEMS: usize = 1000;

/// Values quoted in problem messages are cut at this many characters.
pub const EXCERPT_CHARS: usize = 80;

const ID: usize = 0;
const QUERY: usize = 1;
const RISK_SUMMARY: usize = 2;
const DATASET_NAME: usize = 3;
const LABEL: usize = 4;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The two file formats a dataset is read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatasetFormat {
    /// RFC 4180 CSV with a header row: the official format.
    Csv,
    /// JSON Lines: one JSON object per line.
    Jsonl,
}

impl DatasetFormat {
    /// `CSV` or `JSONL`, for messages.
    pub fn name(self) -> &'static str {
        match self {
            DatasetFormat::Csv => "CSV",
            DatasetFormat::Jsonl => "JSONL",
        }
    }

    /// The format named by a source's extension: `.csv`, or `.jsonl` / `.json` / `.ndjson`
    /// (case-insensitive; a URL's query and fragment are ignored). `None` for anything else.
    pub fn from_source_name(source: &str) -> Option<DatasetFormat> {
        let path = source.split(['?', '#']).next().unwrap_or(source);
        let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
        let (_, extension) = file.rsplit_once('.')?;
        match extension.to_ascii_lowercase().as_str() {
            "csv" => Some(DatasetFormat::Csv),
            "jsonl" | "json" | "ndjson" => Some(DatasetFormat::Jsonl),
            _ => None,
        }
    }

    /// The format the content looks like: JSONL when the first character that is not
    /// whitespace (after a byte-order mark) is `{`, CSV otherwise.
    pub fn guess(bytes: &[u8]) -> DatasetFormat {
        let body = bytes.strip_prefix(BOM).unwrap_or(bytes);
        match body.iter().find(|byte| !byte.is_ascii_whitespace()) {
            Some(b'{') => DatasetFormat::Jsonl,
            _ => DatasetFormat::Csv,
        }
    }
}

/// What reading a dataset gave: every valid item, and every problem found.
#[derive(Clone, Debug, PartialEq)]
pub struct DatasetRead {
    /// The valid items, in input order, with the SHA-256 of the input bytes.
    pub dataset: Dataset,
    /// Every problem, in input order (at most [`MAX_PROBLEMS`] plus one counting the rest).
    pub problems: Vec<Problem>,
}

impl DatasetRead {
    /// Whether the input was valid: no problems at all.
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }
}

/// What [`read_dataset_with`] does besides reading the items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadOptions {
    /// The format; `None` takes it from the source name's extension, else guesses it from the
    /// content (as [`read_dataset`] does).
    pub format: Option<DatasetFormat>,
    /// Whether to compute the SHA-256 of the input bytes. When `false` the dataset's checksum is
    /// left empty, for a caller that computes it some other way to set with
    /// [`Dataset::with_sha256`].
    pub checksum: bool,
}

impl Default for ReadOptions {
    /// Format from the name or the content, checksum computed: what [`read_dataset`] does.
    fn default() -> Self {
        ReadOptions {
            format: None,
            checksum: true,
        }
    }
}

impl ReadOptions {
    /// These options without the checksum.
    pub fn without_checksum(self) -> ReadOptions {
        ReadOptions {
            checksum: false,
            ..self
        }
    }
}

/// Reads CSV or JSONL (format from the source name's extension `.csv`/`.jsonl`/`.json`/
/// `.ndjson`, else guessed from the content: first non-blank char `{` means JSONL).
/// `source` names the input in problem locations: a file name, a URL, `pasted text`.
pub fn read_dataset(source: &str, bytes: &[u8]) -> DatasetRead {
    read_dataset_with(source, bytes, ReadOptions::default())
}

/// Reads `bytes` in the given format; see the module docs for what is checked.
pub fn read_dataset_as(format: DatasetFormat, source: &str, bytes: &[u8]) -> DatasetRead {
    let options = ReadOptions {
        format: Some(format),
        ..ReadOptions::default()
    };
    read_dataset_with(source, bytes, options)
}

/// Reads `bytes` as `options` say: the format given or found as [`read_dataset`] finds it, and
/// the checksum computed or left empty.
pub fn read_dataset_with(source: &str, bytes: &[u8], options: ReadOptions) -> DatasetRead {
    let format = options.format.unwrap_or_else(|| {
        DatasetFormat::from_source_name(source).unwrap_or_else(|| DatasetFormat::guess(bytes))
    });
    let mut problems = Problems::default();
    let body = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let items = if body.iter().all(u8::is_ascii_whitespace) {
        problems.push(Problem::new(
            Location::source(source),
            ProblemKind::EmptyFile,
        ));
        Vec::new()
    } else {
        let decoded = decode(source, body, &mut problems);
        let mut reader = ItemReader {
            source,
            problems,
            seen: FxHashMap::default(),
            invalid_lines: decoded.invalid_lines,
        };
        let items = match format {
            DatasetFormat::Csv => reader.read_csv(&decoded.text),
            DatasetFormat::Jsonl => reader.read_jsonl(&decoded.text),
        };
        problems = reader.problems;
        items
    };
    let mut dataset = Dataset::from_items(items);
    if options.checksum {
        dataset = dataset.with_sha256(sha256_hex(bytes));
    }
    DatasetRead {
        dataset,
        problems: problems.finish(source),
    }
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    lower_hex(&Sha256::digest(bytes))
}

/// Bytes as lowercase hex, two digits each: how a digest computed elsewhere (the browser's
/// WebCrypto) is written to match [`sha256_hex`].
pub fn lower_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    out
}

/// The problem list with its cap.
#[derive(Default)]
struct Problems {
    list: Vec<Problem>,
    more: usize,
}

impl Problems {
    fn push(&mut self, problem: Problem) {
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(problem);
        } else {
            self.more += 1;
        }
    }

    fn finish(mut self, source: &str) -> Vec<Problem> {
        if self.more > 0 {
            self.list.push(Problem::new(
                Location::source(source),
                ProblemKind::TooManyProblems { more: self.more },
            ));
        }
        self.list
    }
}

/// Decoded text, and the lines that held invalid UTF-8 (sorted, possibly repeated).
struct Decoded<'a> {
    text: Cow<'a, str>,
    invalid_lines: Vec<usize>,
}

/// Decodes UTF-8. Unlike [`crate::text::decode`], which stops at the first bad byte, this reports
/// every bad sequence and goes on with U+FFFD in its place, so that the rest of the file is still
/// checked; rows on the reported lines are then left out of the dataset (their text is not what
/// the file meant).
fn decode<'a>(source: &str, bytes: &'a [u8], problems: &mut Problems) -> Decoded<'a> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Decoded {
            text: Cow::Borrowed(text),
            invalid_lines: Vec::new(),
        },
        Err(_) => decode_lossy(source, bytes, problems),
    }
}

fn decode_lossy<'a>(source: &str, bytes: &'a [u8], problems: &mut Problems) -> Decoded<'a> {
    let mut text = String::with_capacity(bytes.len() + 16);
    let mut invalid_lines = Vec::new();
    let mut line = 1;
    // Characters already on the current line.
    let mut column = 0;
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        text.push_str(valid);
        match memchr::memrchr(b'\n', valid.as_bytes()) {
            Some(last) => {
                line += memchr::memchr_iter(b'\n', valid.as_bytes()).count();
                column = valid[last + 1..].chars().count();
            }
            None => column += valid.chars().count(),
        }
        if !chunk.invalid().is_empty() {
            problems.push(Problem::new(
                Location::source(source)
                    .with_line(line)
                    .with_character(column + 1),
                ProblemKind::InvalidUtf8,
            ));
            invalid_lines.push(line);
            text.push(char::REPLACEMENT_CHARACTER);
            column += 1;
        }
    }
    Decoded {
        text: Cow::Owned(text),
        invalid_lines,
    }
}

/// Reads items of one input, collecting problems; shared by the CSV and JSONL paths.
///
/// The per-row work is kept to what a valid row needs, because it is the whole cost of reading
/// the official file (in the web app every instruction counts several times over until V8 has
/// optimised the code): a row's [`Location`] (which owns a copy of the source name) is only
/// built for a problem, where a row was seen is kept as two numbers and written out only for a
/// duplicate's message, and ids are hashed with Fx rather than SipHash (no untrusted party picks
/// keys to collide here: a file that tried would only slow its own reading).
struct ItemReader<'s> {
    source: &'s str,
    problems: Problems,
    /// Every id seen so far (valid row or not), with where it was first seen.
    seen: FxHashMap<String, Place>,
    invalid_lines: Vec<usize>,
}

/// Where a row or object was read, for a later duplicate's message ("first seen at ...").
#[derive(Clone, Copy, Debug)]
enum Place {
    /// A CSV data row and the line it starts on.
    Row { row: usize, line: usize },
    /// A JSONL line.
    Line(usize),
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Row { row, line } => write!(f, "row {row} (line {line})"),
            Place::Line(line) => write!(f, "line {line}"),
        }
    }
}

impl ItemReader<'_> {
    fn read_csv(&mut self, text: &str) -> Vec<Item> {
        let source = self.source;
        let mut reader = Reader::new(text);
        let mut header = Record::default();
        match reader.read(&mut header) {
            Some(Ok(())) => {}
            Some(Err(error)) => {
                // Without a header no column can be found: nothing more to check.
                self.problems.push(error.into_problem(source));
                return Vec::new();
            }
            None => {
                self.problems.push(Problem::new(
                    Location::source(source),
                    ProblemKind::EmptyFile,
                ));
                return Vec::new();
            }
        }
        let header_at = Location::source(source).with_line(header.line());
        let positions = column_positions(&header, &FIELDS);
        for (name, position) in FIELDS.iter().zip(&positions) {
            if position.is_none() {
                self.problems.push(Problem::new(
                    header_at.clone(),
                    ProblemKind::MissingColumn {
                        name: (*name).to_string(),
                    },
                ));
            }
        }
        // Duplicates of extra columns do not matter (those are ignored); a duplicated official
        // column is ambiguous, and the first one is used.
        for name in duplicate_columns(&header) {
            if FIELDS.contains(&name.as_str()) {
                self.problems.push(Problem::new(
                    header_at.clone(),
                    ProblemKind::DuplicateColumn { name },
                ));
            }
        }
        let width = header.len();
        let mut items = Vec::new();
        let mut record = Record::default();
        let mut row = 0;
        while let Some(result) = reader.read(&mut record) {
            row += 1;
            if let Err(error) = result {
                let mut problem = error.into_problem(source);
                problem.location.row = Some(row);
                self.problems.push(problem);
                continue;
            }
            let line = record.line();
            let at = |field: Option<&str>| {
                let at = Location::source(source).with_row(row).with_line(line);
                match field {
                    Some(field) => at.with_column(field),
                    None => at,
                }
            };
            if record.len() != width {
                self.problems.push(Problem::new(
                    at(None),
                    ProblemKind::RaggedRow {
                        expected: width,
                        found: record.len(),
                    },
                ));
                continue;
            }
            let mut values = [None; 5];
            for (value, position) in values.iter_mut().zip(&positions) {
                *value = position.and_then(|index| record.get(index));
            }
            let item = self.check_item(values, &|field| at(Some(field)), Place::Row { row, line });
            if let Some(item) = item {
                // Only a file with invalid UTF-8 needs the lines a row spans (counted by its
                // line breaks); a valid file skips that second pass over every field.
                let spans_invalid = !self.invalid_lines.is_empty() && {
                    let breaks: usize = record
                        .fields()
                        .map(|field| memchr::memchr_iter(b'\n', field.as_bytes()).count())
                        .sum();
                    self.has_invalid_utf8(line, line + breaks)
                };
                if !spans_invalid {
                    items.push(item);
                }
            }
        }
        if row == 0 {
            self.problems
                .push(Problem::new(Location::source(source), ProblemKind::NoRows));
        }
        items
    }

    fn read_jsonl(&mut self, text: &str) -> Vec<Item> {
        let source = self.source;
        let mut items = Vec::new();
        for (index, line_text) in text.split('\n').enumerate() {
            let line = index + 1;
            let line_text = line_text.strip_suffix('\r').unwrap_or(line_text);
            if line_text.trim().is_empty() {
                continue;
            }
            let at = Location::source(source).with_line(line);
            let object = match serde_json::from_str::<Value>(line_text) {
                Ok(Value::Object(object)) => object,
                Ok(other) => {
                    let expected = format!(
                        "a JSON object with the dataset's fields, found {}",
                        describe(&other)
                    );
                    self.problems
                        .push(Problem::new(at, ProblemKind::WrongType { expected }));
                    continue;
                }
                Err(error) => {
                    self.problems.push(json_problem(at, line_text, &error));
                    continue;
                }
            };
            let mut values = [None; 5];
            for (value, name) in values.iter_mut().zip(FIELDS) {
                match object.get(name) {
                    Some(Value::String(text)) => *value = Some(text.as_str()),
                    None => self.problems.push(Problem::new(
                        at.clone().with_key(name),
                        ProblemKind::MissingField {
                            name: name.to_string(),
                        },
                    )),
                    Some(other) => self.problems.push(Problem::new(
                        at.clone().with_key(name),
                        ProblemKind::WrongType {
                            expected: format!("a string, found {}", describe(other)),
                        },
                    )),
                }
            }
            let item = self.check_item(
                values,
                &|field| at.clone().with_key(field),
                Place::Line(line),
            );
            if let Some(item) = item {
                if !self.has_invalid_utf8(line, line) {
                    items.push(item);
                }
            }
        }
        items
    }

    /// Checks the five values of one row or object (`None`: absent, already reported) and builds
    /// the item when all are good. `at` locates a field; `here` says where this row is, for a
    /// later duplicate's message.
    fn check_item(
        &mut self,
        values: [Option<&str>; 5],
        at: &dyn Fn(&str) -> Location,
        here: Place,
    ) -> Option<Item> {
        let mut good = values.iter().all(Option::is_some);
        for (index, value) in values.iter().enumerate() {
            if value.is_some_and(|value| value.trim().is_empty()) {
                self.problems
                    .push(Problem::new(at(FIELDS[index]), ProblemKind::EmptyValue));
                good = false;
            }
        }

        // Ids are compared trimmed: a stray space must not make two rows different items.
        let id = values[ID].map(str::trim).filter(|id| !id.is_empty());
        if let Some(id) = id {
            match self.seen.get(id) {
                Some(first) => {
                    self.problems.push(Problem::new(
                        at(FIELDS[ID]),
                        ProblemKind::DuplicateId {
                            id: excerpt(id),
                            first: first.to_string(),
                        },
                    ));
                    good = false;
                }
                None => {
                    self.seen.insert(id.to_string(), here);
                }
            }
        }

        let scenario_text = values[DATASET_NAME].filter(|value| !value.trim().is_empty());
        let scenario = scenario_text.and_then(|text| {
            let scenario = parse_scenario(text);
            if scenario.is_none() {
                self.problems.push(Problem::new(
                    at(FIELDS[DATASET_NAME]),
                    ProblemKind::UnknownScenario {
                        value: excerpt(text),
                    },
                ));
            }
            scenario
        });

        let label_text = values[LABEL].filter(|value| !value.trim().is_empty());
        let risks = label_text.and_then(|text| match parse_label(text) {
            Ok(risks) => Some(risks),
            Err(error) => {
                self.problems.push(Problem::new(
                    at(FIELDS[LABEL]),
                    ProblemKind::MalformedLabel {
                        value: excerpt(text),
                        expected: error.expected(),
                    },
                ));
                None
            }
        });
        if let (Some(scenario), Some(risks), Some(text)) = (scenario, &risks, label_text) {
            if risks.len() != risk_count(scenario) {
                self.problems.push(Problem::new(
                    at(FIELDS[LABEL]),
                    ProblemKind::MalformedLabel {
                        value: excerpt(text),
                        expected: risk_count_expected(scenario, risks.len()),
                    },
                ));
                good = false;
            }
        }

        match (
            good,
            id,
            values[QUERY],
            values[RISK_SUMMARY],
            scenario,
            risks,
        ) {
            (true, Some(id), Some(query), Some(risk_summary), Some(scenario), Some(risks)) => {
                Some(Item {
                    id: id.to_string(),
                    query: query.to_string(),
                    risk_summary: risk_summary.to_string(),
                    scenario,
                    risks,
                })
            }
            _ => None,
        }
    }

    /// Whether any line in `first..=last` held invalid UTF-8 (already reported).
    fn has_invalid_utf8(&self, first: usize, last: usize) -> bool {
        let start = self.invalid_lines.partition_point(|&line| line < first);
        self.invalid_lines
            .get(start)
            .is_some_and(|&line| line <= last)
    }
}

/// A scenario name: the dataset's exact spelling first, without the allocation of the lenient
/// [`Scenario::parse`] (which every row of the official file would otherwise pay), then that.
fn parse_scenario(text: &str) -> Option<Scenario> {
    Scenario::ALL
        .into_iter()
        .find(|scenario| scenario.name() == text)
        .or_else(|| Scenario::parse(text))
}

/// What a label should have been for a scenario whose risk count it does not fit.
fn risk_count_expected(scenario: Scenario, found: usize) -> String {
    let found = match found {
        1 => "one".to_string(),
        2 => "two (Query A and Query B)".to_string(),
        n => n.to_string(),
    };
    match risk_count(scenario) {
        1 => format!("a single risk \"Primary-Secondary\" for a {scenario} item, found {found}"),
        _ => format!(
            "two risks, lines \"Query A: Primary-Secondary\" and \"Query B: Primary-Secondary\", for a {scenario} item, found {found}"
        ),
    }
}

/// A serde_json error as a problem at its character in the line, without serde_json's own
/// "at line 1 column N" (the line is always 1 for a single-line parse, which would mislead).
fn json_problem(at: Location, line_text: &str, error: &serde_json::Error) -> Problem {
    let full = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
    // serde_json counts columns in bytes; locations count characters. At a premature end it
    // points at the last character; the place where something is missing is just after it.
    let byte = match error.classify() {
        serde_json::error::Category::Eof => line_text.len(),
        _ => error.column().saturating_sub(1).min(line_text.len()),
    };
    let mut boundary = byte;
    while !line_text.is_char_boundary(boundary) {
        boundary -= 1;
    }
    let character = line_text[..boundary].chars().count() + 1;
    Problem::new(
        at.with_character(character),
        ProblemKind::BrokenJson { message },
    )
}

/// A JSON value's type, with an article, for "found ..." messages.
fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A value as quoted in a message: control characters escaped (so a problem stays on one line),
/// cut at [`EXCERPT_CHARS`] characters with `...` appended.
pub fn excerpt(value: &str) -> String {
    let mut out = String::new();
    for (count, c) in value.chars().enumerate() {
        if count == EXCERPT_CHARS {
            out.push_str("...");
            break;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "id,query,risk_summary,dataset_name,label\n";

    #[test]
    fn without_checksum_reads_the_same_items_and_leaves_the_checksum_to_the_caller() {
        let text = format!(
            "{HEADER}a1,q1,r1,Risk Omission,Rumors-X\n\
             b2,\"q2\nsecond line\",r2,Cognitive Shortcut,\"Query A: Rumors-X\nQuery B: Ethics and Morality-AI Ethics\"\n"
        );
        let bytes = text.as_bytes();
        let full = read_dataset("x.csv", bytes);
        let options = ReadOptions::default().without_checksum();
        assert!(!options.checksum);
        let light = read_dataset_with("x.csv", bytes, options);
        assert!(full.is_valid() && light.is_valid(), "{:?}", light.problems);
        assert_eq!(light.dataset.sha256(), "");
        assert_eq!(full.dataset.sha256(), sha256_hex(bytes));
        assert_eq!(light.dataset.items(), full.dataset.items());
        // The caller's checksum makes the two reads equal.
        assert_eq!(light.dataset.with_sha256(sha256_hex(bytes)), full.dataset);
    }

    #[test]
    fn the_format_option_overrides_the_name() {
        let line = br#"{"id": "a1", "query": "q", "risk_summary": "r", "dataset_name": "Risk Omission", "label": "Rumors-X"}"#;
        // A `.csv` name would make the CSV reader try (and fail on) the JSON line.
        assert!(!read_dataset("items.csv", line).is_valid());
        let options = ReadOptions {
            format: Some(DatasetFormat::Jsonl),
            ..ReadOptions::default()
        };
        let read = read_dataset_with("items.csv", line, options);
        assert!(read.is_valid(), "{:?}", read.problems);
        assert_eq!(read.dataset.len(), 1);
    }

    #[test]
    fn hex_is_lowercase_two_digits_per_byte() {
        assert_eq!(lower_hex(&[0x00, 0xff, 0x0a, 0xb3]), "00ff0ab3");
        assert_eq!(lower_hex(&[]), "");
        // FIPS 180-2, appendix B.1: SHA-256 of "abc".
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn duplicates_name_where_the_id_was_first_seen_in_both_formats() {
        let jsonl = "{\"id\": \"a1\", \"query\": \"q\", \"risk_summary\": \"r\", \"dataset_name\": \"Risk Omission\", \"label\": \"Rumors-X\"}\n";
        let text = format!("{jsonl}\n{jsonl}");
        let read = read_dataset("x.jsonl", text.as_bytes());
        assert_eq!(read.dataset.len(), 1);
        assert_eq!(
            read.problems[0].kind,
            ProblemKind::DuplicateId {
                id: "a1".into(),
                first: "line 1".into()
            }
        );
        assert_eq!(read.problems[0].location.line, Some(3));
    }

    #[test]
    fn a_row_is_left_out_when_any_of_its_lines_holds_invalid_utf8() {
        // Row 1 spans lines 2 and 3 (a quoted line break) with a bad byte on line 3; row 2 is
        // on line 4 and fine; row 3 on line 5 has a bad byte on its only line.
        let mut bytes = HEADER.as_bytes().to_vec();
        bytes.extend_from_slice(b"a1,\"first\nsecond \xff\",r,Risk Omission,Rumors-X\n");
        bytes.extend_from_slice(b"b2,q,r,Risk Omission,Rumors-X\n");
        bytes.extend_from_slice(b"c3,q \xfe,r,Risk Omission,Rumors-X\n");
        let read = read_dataset("x.csv", &bytes);
        let ids: Vec<&str> = read
            .dataset
            .items()
            .iter()
            .map(|item| item.id.as_str())
            .collect();
        assert_eq!(ids, ["b2"]);
        let lines: Vec<Option<usize>> = read.problems.iter().map(|p| p.location.line).collect();
        assert_eq!(lines, [Some(3), Some(5)]);
        assert!(read
            .problems
            .iter()
            .all(|p| p.kind == ProblemKind::InvalidUtf8));
    }

    #[test]
    fn scenario_names_are_read_exactly_or_leniently() {
        for scenario in Scenario::ALL {
            assert_eq!(parse_scenario(scenario.name()), Some(scenario));
            let loose = format!("  {}  ", scenario.name().to_uppercase());
            assert_eq!(parse_scenario(&loose), Some(scenario), "{loose:?}");
        }
        assert_eq!(
            parse_scenario("Over-Sensitivity"),
            Some(Scenario::OverSensitivity)
        );
        assert_eq!(parse_scenario("Risk"), None);
    }
}
