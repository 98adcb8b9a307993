//! [`read_run_file`]: bytes to a checked [`RunFile`], or every problem with its place.
//!
//! Three steps, each stopping at what makes the next meaningless:
//!
//! 1. The envelope: UTF-8, well-formed JSON (a syntax error is reported at its line and
//!    character), a top-level object whose `format` is [`RUN_FILE_FORMAT`] and whose `version`
//!    this build reads. Every other field is skipped unread, so a file of a future version is
//!    refused with a clear message before its unknown shape can cause confusing errors.
//! 2. The body, deserialized through `serde_path_to_error`: the first field of a wrong type or
//!    missing is reported with its JSON path (`samples[12].answer_judgement.verdict`) and its
//!    line and character.
//! 3. The samples' statuses and labels (`wire.rs`) and the whole-file checks (`check.rs`), all
//!    reported together.
//!
//! Both passes over the text are linear, and texts are moved, not copied, from the parsed body
//! into the [`RunFile`].

use super::check::{check_into, ProblemSink};
use super::schema::RunFile;
use super::wire::Body;
use super::{RUN_FILE_FORMAT, RUN_FILE_VERSION};
use crate::diagnostic::{Location, Problem, ProblemKind};
use crate::text;
use serde::Deserialize;
use serde_json::Value;

/// The two fields that say what a file is; the rest is skipped.
#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    format: Option<Value>,
    #[serde(default)]
    version: Option<Value>,
}

/// Reads a run file. `source` names the input in problem locations. On failure, every problem
/// found (at least one).
pub fn read_run_file(source: &str, bytes: &[u8]) -> Result<RunFile, Vec<Problem>> {
    let text = text::decode(source, bytes).map_err(|problem| vec![problem])?;
    if text::is_blank(text) {
        return Err(vec![Problem::new(
            Location::source(source),
            ProblemKind::EmptyFile,
        )]);
    }
    check_envelope(source, text)?;

    let body: Body = deserialize_body(text)
        .map_err(|(error, path)| vec![json_problem(source, text, &error, &path)])?;

    let mut sink = ProblemSink::new(source);
    let mut samples = Vec::with_capacity(body.samples.len());
    for (index, wire) in body.samples.into_iter().enumerate() {
        if let Some(sample) = wire.into_sample(&format!("samples[{index}]"), &mut sink) {
            samples.push(sample);
        }
    }
    if !sink.is_empty() {
        // A sample left out would shift every later index in the whole-file checks' messages.
        return Err(sink.finish());
    }
    let run = RunFile {
        tool: body.tool,
        run: body.run,
        samples,
    };
    check_into(&run, &mut sink);
    if sink.is_empty() {
        Ok(run)
    } else {
        Err(sink.finish())
    }
}

/// The body, or the serde error with the JSON path of the field it is about (the path only with
/// the `json-paths` feature; line and column come from the error either way).
#[cfg(feature = "json-paths")]
fn deserialize_body(text: &str) -> Result<Body, (serde_json::Error, String)> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        (error.into_inner(), path)
    })
}

#[cfg(not(feature = "json-paths"))]
fn deserialize_body(text: &str) -> Result<Body, (serde_json::Error, String)> {
    serde_json::from_str(text).map_err(|error| (error, String::new()))
}

/// Step 1: the file is JSON, an object, a run file, of a version this build reads.
fn check_envelope(source: &str, text: &str) -> Result<(), Vec<Problem>> {
    let not_an_object = |location: Location| {
        vec![Problem::new(
            location.with_key("."),
            ProblemKind::WrongType {
                expected: format!(
                    "a JSON object (a BSA Studio run file, \"format\": \"{RUN_FILE_FORMAT}\")"
                ),
            },
        )]
    };
    let envelope: Envelope = serde_json::from_str(text).map_err(|error| {
        if error.is_data() && message_of(&error).starts_with("invalid type") {
            not_an_object(located(source, text, &error))
        } else {
            vec![json_problem(source, text, &error, "")]
        }
    })?;
    // serde also fills a struct from an array (`[format, version]`); a run file is an object.
    let start = text.len() - text.trim_start().len();
    if !text[start..].starts_with('{') {
        let (line, character) = text::line_and_character(text, start);
        return Err(not_an_object(
            Location::source(source)
                .with_line(line)
                .with_character(character),
        ));
    }
    let at = |key: &str| Location::source(source).with_key(key);
    match envelope.format {
        None => {
            return Err(vec![Problem::new(
                at("format"),
                ProblemKind::MissingField {
                    name: "format".into(),
                },
            )]);
        }
        Some(Value::String(format)) if format == RUN_FILE_FORMAT => {}
        Some(other) => {
            return Err(vec![Problem::new(
                at("format"),
                ProblemKind::WrongType {
                    expected: format!(
                        "\"{RUN_FILE_FORMAT}\" (a BSA Studio run file), found {}",
                        shorten(&other.to_string())
                    ),
                },
            )]);
        }
    }
    match envelope.version {
        None => Err(vec![Problem::new(
            at("version"),
            ProblemKind::MissingField {
                name: "version".into(),
            },
        )]),
        Some(Value::Number(number)) if number.as_u64() == Some(u64::from(RUN_FILE_VERSION)) => {
            Ok(())
        }
        Some(Value::Number(number)) if number.is_u64() => Err(vec![Problem::new(
            at("version"),
            ProblemKind::UnsupportedVersion {
                found: number.to_string(),
                supported: format!(
                    "version {RUN_FILE_VERSION}; a newer BSA Studio may read this file"
                ),
            },
        )]),
        Some(other) => Err(vec![Problem::new(
            at("version"),
            ProblemKind::WrongType {
                expected: format!(
                    "a whole-number version such as {RUN_FILE_VERSION}, found {}",
                    shorten(&other.to_string())
                ),
            },
        )]),
    }
}

/// A serde_json error as a problem at JSON `path` (empty: none known).
fn json_problem(source: &str, text: &str, error: &serde_json::Error, path: &str) -> Problem {
    let location = located(source, text, error);
    if !error.is_data() {
        return Problem::new(
            location,
            ProblemKind::BrokenJson {
                message: message_of(error),
            },
        );
    }
    let join = |name: &str| {
        if path.is_empty() || path == "." {
            name.to_string()
        } else {
            format!("{path}.{name}")
        }
    };
    let at_path = |location: Location| {
        if path.is_empty() {
            location
        } else {
            location.with_key(path)
        }
    };
    let message = message_of(error);
    if let Some(name) = between(&message, "missing field `", "`") {
        return Problem::new(
            location.with_key(join(name)),
            ProblemKind::MissingField {
                name: name.to_string(),
            },
        );
    }
    if let Some(name) = between(&message, "duplicate field `", "`") {
        return Problem::new(
            location.with_key(join(name)),
            ProblemKind::Inconsistent {
                message: format!("field \"{name}\" appears twice"),
            },
        );
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        if let Some((value, expected)) = rest.split_once("`, expected ") {
            if path == "scenario" || path.ends_with(".scenario") {
                return Problem::new(
                    at_path(location),
                    ProblemKind::UnknownScenario {
                        value: shorten(value),
                    },
                );
            }
            let expected = expected.replace('`', "\"");
            return Problem::new(
                at_path(location),
                ProblemKind::WrongType {
                    expected: format!("{expected}, found \"{}\"", shorten(value)),
                },
            );
        }
    }
    for prefix in ["invalid type: ", "invalid value: ", "invalid length "] {
        if let Some(rest) = message.strip_prefix(prefix) {
            if let Some((found, expected)) = rest.rsplit_once(", expected ") {
                return Problem::new(
                    at_path(location),
                    ProblemKind::WrongType {
                        expected: format!(
                            "{}, found {}",
                            expected.replace('`', "\""),
                            shorten(found)
                        ),
                    },
                );
            }
        }
    }
    // A value's own check (a prompt template that does not parse, ...): its message, on one line.
    Problem::new(
        at_path(location),
        ProblemKind::Inconsistent {
            message: shorten_lines(&message),
        },
    )
}

/// The error's line and character. serde_json counts columns in bytes; locations count
/// characters, so the column is turned into a byte offset and counted again.
fn located(source: &str, text: &str, error: &serde_json::Error) -> Location {
    let location = Location::source(source);
    if error.line() == 0 {
        return location;
    }
    let line_start = if error.line() == 1 {
        0
    } else {
        memchr::memchr_iter(b'\n', text.as_bytes())
            .nth(error.line() - 2)
            .map_or(text.len(), |newline| newline + 1)
    };
    let offset = (line_start + error.column().saturating_sub(1)).min(text.len());
    let (line, character) = text::line_and_character(text, offset);
    location.with_line(line).with_character(character)
}

/// The error's message without serde_json's " at line L column C".
fn message_of(error: &serde_json::Error) -> String {
    let full = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    match full.strip_suffix(&suffix) {
        Some(message) => message.to_string(),
        None => full,
    }
}

fn between<'t>(text: &'t str, start: &str, end: &str) -> Option<&'t str> {
    let rest = text.strip_prefix(start)?;
    rest.split_once(end).map(|(inside, _)| inside)
}

/// Values quoted in messages are cut: serde quotes a whole string, and an answer can be long.
const QUOTED_CHARS: usize = 80;

fn shorten(text: &str) -> String {
    match text.char_indices().nth(QUOTED_CHARS) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_string(),
    }
}

/// A multi-line message on one line, cut.
fn shorten_lines(text: &str) -> String {
    let joined: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    let joined = joined.join("; ");
    match joined.char_indices().nth(4 * QUOTED_CHARS) {
        Some((cut, _)) => format!("{}...", &joined[..cut]),
        None => joined,
    }
}
