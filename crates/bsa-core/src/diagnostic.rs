//! Problems found in input files, each with the place it was found.
//!
//! Readers never stop at the first problem and never panic: they return what they could read
//! together with every [`Problem`] (rust-analyzer style), and callers decide what is fatal.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a problem is: the input's name, then as much of line, row, column and field as is known.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// The input's name as the user knows it: a file name, a URL, `pasted text`.
    pub source: String,
    /// 1-based physical line where the problem starts (for CSV: the line the record starts on).
    pub line: Option<usize>,
    /// 1-based data row of a CSV file (the header is not counted).
    pub row: Option<usize>,
    /// 1-based character position within `line`, for syntax errors.
    pub character: Option<usize>,
    /// The CSV column or JSON field the problem is in.
    pub field: Option<Field>,
}

/// A named place inside a row or object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Field {
    /// A CSV column, by its header name.
    Column(String),
    /// A JSON object key.
    Key(String),
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Column(name) => write!(f, "column \"{name}\""),
            Field::Key(name) => write!(f, "field \"{name}\""),
        }
    }
}

impl Location {
    /// A location naming only the input.
    pub fn source(source: impl Into<String>) -> Location {
        Location {
            source: source.into(),
            line: None,
            row: None,
            character: None,
            field: None,
        }
    }

    pub fn with_line(mut self, line: usize) -> Location {
        self.line = Some(line);
        self
    }

    pub fn with_row(mut self, row: usize) -> Location {
        self.row = Some(row);
        self
    }

    pub fn with_character(mut self, character: usize) -> Location {
        self.character = Some(character);
        self
    }

    /// The CSV column, by header name.
    pub fn with_column(mut self, name: impl Into<String>) -> Location {
        self.field = Some(Field::Column(name.into()));
        self
    }

    /// The JSON object key.
    pub fn with_key(mut self, name: impl Into<String>) -> Location {
        self.field = Some(Field::Key(name.into()));
        self
    }
}

impl fmt::Display for Location {
    /// `dataset.csv: row 12 (line 14), column "label"`; `items.jsonl: line 3, field "query"`;
    /// `dataset.csv: line 7, character 19`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)?;
        let mut parts: Vec<String> = Vec::new();
        match (self.row, self.line) {
            (Some(row), Some(line)) => parts.push(format!("row {row} (line {line})")),
            (Some(row), None) => parts.push(format!("row {row}")),
            (None, Some(line)) => parts.push(format!("line {line}")),
            (None, None) => {}
        }
        if let Some(character) = self.character {
            parts.push(format!("character {character}"));
        }
        if let Some(field) = &self.field {
            parts.push(field.to_string());
        }
        if !parts.is_empty() {
            write!(f, ": {}", parts.join(", "))?;
        }
        Ok(())
    }
}

/// One problem in an input file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub location: Location,
    pub kind: ProblemKind,
}

impl Problem {
    pub fn new(location: Location, kind: ProblemKind) -> Problem {
        Problem { location, kind }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.kind)
    }
}

impl std::error::Error for Problem {}

/// What is wrong. Messages say what was found and what was expected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ProblemKind {
    /// The input has no bytes (or only a byte-order mark and whitespace).
    EmptyFile,
    /// The input parsed but holds no data rows.
    NoRows,
    /// Bytes that are not UTF-8.
    InvalidUtf8,
    /// A required column is absent from the CSV header (or a field from a JSON object).
    MissingColumn { name: String },
    /// A required field is absent from a JSON object.
    MissingField { name: String },
    /// A CSV header names the same column twice.
    DuplicateColumn { name: String },
    /// A CSV row with a different number of fields than the header.
    RaggedRow { expected: usize, found: usize },
    /// A quoted CSV field that is never closed.
    UnterminatedQuote,
    /// A character after a closing quote, or a quote inside an unquoted field.
    StrayQuote,
    /// A JSON line that does not parse.
    BrokenJson { message: String },
    /// A JSON line that is not an object, or a field of the wrong type.
    WrongType { expected: String },
    /// A required value that is empty.
    EmptyValue,
    /// A scenario name that is none of the three.
    UnknownScenario { value: String },
    /// A dataset `label` not of the form `Primary-Secondary` or `Query A: ...` / `Query B: ...`.
    MalformedLabel { value: String, expected: String },
    /// An id seen before, at the given row (CSV) or line (JSONL).
    DuplicateId { id: String, first: String },
    /// A judge label that is not one of the expected ones.
    UnknownLabel {
        value: String,
        expected: Vec<String>,
    },
    /// A number that does not parse or is out of range.
    BadNumber { value: String, expected: String },
    /// The same item and scenario disagree between rows.
    Inconsistent { message: String },
    /// A file whose version this build does not read.
    UnsupportedVersion { found: String, supported: String },
    /// The list of problems was cut short: this many more were found but not listed (so a
    /// binary file dropped by mistake stays fast to report).
    TooManyProblems { more: usize },
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProblemKind::EmptyFile => f.write_str("the file is empty"),
            ProblemKind::NoRows => f.write_str("the file has a header but no data rows"),
            ProblemKind::InvalidUtf8 => f.write_str("invalid UTF-8: the file must be UTF-8 text"),
            ProblemKind::MissingColumn { name } => write!(f, "missing column \"{name}\""),
            ProblemKind::MissingField { name } => write!(f, "missing field \"{name}\""),
            ProblemKind::DuplicateColumn { name } => write!(f, "column \"{name}\" appears twice in the header"),
            ProblemKind::RaggedRow { expected, found } => {
                write!(f, "expected {expected} fields as in the header, found {found}")
            }
            ProblemKind::UnterminatedQuote => {
                f.write_str("a quoted field opened here is never closed (missing \")")
            }
            ProblemKind::StrayQuote => f.write_str(
                "text after a closing quote (inside a quoted field, write \"\" for a literal quote)",
            ),
            ProblemKind::BrokenJson { message } => write!(f, "not valid JSON: {message}"),
            ProblemKind::WrongType { expected } => write!(f, "expected {expected}"),
            ProblemKind::EmptyValue => f.write_str("empty value, expected text"),
            ProblemKind::UnknownScenario { value } => write!(
                f,
                "unknown scenario \"{value}\", expected \"Risk Omission\", \"Cognitive Shortcut\" or \"Over Sensitivity\""
            ),
            ProblemKind::MalformedLabel { value, expected } => {
                write!(f, "malformed label \"{value}\", expected {expected}")
            }
            ProblemKind::DuplicateId { id, first } => write!(f, "duplicate id \"{id}\", first seen at {first}"),
            ProblemKind::UnknownLabel { value, expected } => {
                let quoted: Vec<String> = expected.iter().map(|e| format!("\"{e}\"")).collect();
                write!(f, "unknown label \"{value}\", expected one of {}", quoted.join(", "))
            }
            ProblemKind::BadNumber { value, expected } => write!(f, "\"{value}\" is not {expected}"),
            ProblemKind::Inconsistent { message } => f.write_str(message),
            ProblemKind::UnsupportedVersion { found, supported } => {
                write!(f, "file version {found} is not supported (this build reads {supported})")
            }
            ProblemKind::TooManyProblems { more } => {
                write!(f, "... and {more} more problems, not listed")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_says_row_line_and_column() {
        let at = Location::source("dataset.csv")
            .with_row(12)
            .with_line(14)
            .with_column("label");
        assert_eq!(
            at.to_string(),
            "dataset.csv: row 12 (line 14), column \"label\""
        );
        let at = Location::source("items.jsonl")
            .with_line(3)
            .with_key("query");
        assert_eq!(at.to_string(), "items.jsonl: line 3, field \"query\"");
        let at = Location::source("dataset.csv")
            .with_line(7)
            .with_character(19);
        assert_eq!(at.to_string(), "dataset.csv: line 7, character 19");
        assert_eq!(Location::source("x.csv").to_string(), "x.csv");
    }
}
