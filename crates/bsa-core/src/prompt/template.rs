//! [`PromptTemplate`]: a judge prompt in Python `str.format` syntax, parsed once into
//! [`Segment`]s and rendered with [`PromptValues`].
//!
//! The supported subset is what the benchmark's prompts use: named fields for the four
//! [`Placeholder`]s, and `{{` / `}}` for literal braces. Everything else `str.format` knows
//! (positional fields, attribute and index access, conversions, format specs) is rejected with a
//! [`TemplateError`] saying where it is and why, so that a template either renders exactly as
//! Python would render it, or does not parse at all.
//!
//! The scanner mirrors CPython's `MarkupIterator` and `parse_field`
//! (`Objects/stringlib/unicode_format.h`): a `}` must be doubled even outside a field, a `{`
//! inside a field name is an error, `[...]` in a field name hides `}`, `:` and `!`, and a format
//! spec runs to the `}` that balances the field's `{`. That is why this is hand-written rather
//! than built on a Rust formatting crate: none implements Python's rules, and the edge cases are
//! exactly where users' templates break. The first error reported is always the one Python would
//! raise first (a test checks this against `python3`).

use crate::diagnostic::Location;
use crate::text::line_and_character;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A value a judge prompt can ask for: the names of the authors' prompt files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Placeholder {
    /// `{query}`: the benchmark item's query.
    #[serde(rename = "query")]
    Query,
    /// `{risk_summary}`: the item's annotated risk rationale.
    #[serde(rename = "risk_summary")]
    RiskSummary,
    /// `{answer}`: the final answer of the model under test (answer judge).
    #[serde(rename = "answer")]
    Answer,
    /// `{reasoning_thinking}`: the reasoning trace of the model under test (reasoning judges).
    #[serde(rename = "reasoning_thinking")]
    ReasoningThinking,
}

impl Placeholder {
    pub const ALL: [Placeholder; 4] = [
        Placeholder::Query,
        Placeholder::RiskSummary,
        Placeholder::Answer,
        Placeholder::ReasoningThinking,
    ];

    /// The field name as written between braces.
    pub fn name(self) -> &'static str {
        match self {
            Placeholder::Query => "query",
            Placeholder::RiskSummary => "risk_summary",
            Placeholder::Answer => "answer",
            Placeholder::ReasoningThinking => "reasoning_thinking",
        }
    }

    /// The placeholder with exactly this name (Python field names are case-sensitive).
    pub fn from_name(name: &str) -> Option<Placeholder> {
        Placeholder::ALL.into_iter().find(|p| p.name() == name)
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Placeholder {
    /// `{query}`, as a user writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{{}}}", self.name())
    }
}

/// One piece of a parsed template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    /// Literal text, with `{{` and `}}` already turned into single braces.
    Text(String),
    /// A field replaced by a value when rendering.
    Value(Placeholder),
}

/// A judge prompt in Python `str.format` syntax, parsed. Keeps its source text, which is also
/// its serialized form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PromptTemplate {
    source: String,
    segments: Vec<Segment>,
}

/// The values to render a template with, by placeholder. Values are inserted as they are: braces
/// inside them are not read as fields, as with `str.format`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PromptValues<'a> {
    values: [Option<&'a str>; 4],
}

impl<'a> PromptValues<'a> {
    pub fn new() -> PromptValues<'a> {
        PromptValues::default()
    }

    /// These values with `placeholder` set to `value`.
    pub fn with(mut self, placeholder: Placeholder, value: &'a str) -> PromptValues<'a> {
        self.set(placeholder, value);
        self
    }

    pub fn set(&mut self, placeholder: Placeholder, value: &'a str) {
        self.values[placeholder.index()] = Some(value);
    }

    pub fn get(&self, placeholder: Placeholder) -> Option<&'a str> {
        self.values[placeholder.index()]
    }
}

impl PromptTemplate {
    /// Parses `source`. On failure returns every problem found, each located by line and
    /// character; scanning goes on after a bad field, but stops at a `{` that is never closed
    /// (everything after it would be read as that field, as Python does).
    pub fn parse(source: &str) -> Result<PromptTemplate, TemplateErrors> {
        let mut segments = Vec::new();
        let mut errors = Vec::new();
        let mut literal = String::new();
        let bytes = source.as_bytes();
        let mut pos = 0;
        let error_at = |offset: usize, kind: TemplateErrorKind| {
            let (line, character) = line_and_character(source, offset);
            TemplateError {
                line,
                character,
                kind,
            }
        };
        while pos < bytes.len() {
            let Some(found) = memchr::memchr2(b'{', b'}', &bytes[pos..]) else {
                literal.push_str(&source[pos..]);
                break;
            };
            let brace = pos + found;
            literal.push_str(&source[pos..brace]);
            let next = bytes.get(brace + 1).copied();
            if bytes[brace] == b'}' {
                if next == Some(b'}') {
                    literal.push('}');
                    pos = brace + 2;
                } else {
                    errors.push(error_at(brace, TemplateErrorKind::UnmatchedCloseBrace));
                    pos = brace + 1;
                }
                continue;
            }
            if next == Some(b'{') {
                literal.push('{');
                pos = brace + 2;
                continue;
            }
            match read_field(source, brace + 1) {
                FieldScan::Closed { close, result } => {
                    match result {
                        Ok(placeholder) => {
                            if !literal.is_empty() {
                                segments.push(Segment::Text(std::mem::take(&mut literal)));
                            }
                            segments.push(Segment::Value(placeholder));
                        }
                        Err(kind) => errors.push(error_at(brace, kind)),
                    }
                    pos = close + 1;
                }
                FieldScan::Unclosed(kind) => {
                    // Python reads the rest of the template as this field; nothing after it
                    // can be located reliably, so stop here.
                    errors.push(error_at(brace, kind));
                    break;
                }
            }
        }
        if !errors.is_empty() {
            return Err(TemplateErrors(errors));
        }
        if !literal.is_empty() {
            segments.push(Segment::Text(literal));
        }
        Ok(PromptTemplate {
            source: source.to_owned(),
            segments,
        })
    }

    /// The text the template was parsed from.
    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// The placeholders the template uses, each once, in [`Placeholder::ALL`] order.
    pub fn placeholders(&self) -> Vec<Placeholder> {
        Placeholder::ALL
            .into_iter()
            .filter(|p| self.uses(*p))
            .collect()
    }

    pub fn uses(&self, placeholder: Placeholder) -> bool {
        self.segments.contains(&Segment::Value(placeholder))
    }

    /// Renders the template as Python's `template.format(**values)` would. Fails only when the
    /// template uses a placeholder that `values` has no value for.
    pub fn render(&self, values: &PromptValues<'_>) -> Result<String, RenderError> {
        let mut length = 0;
        for segment in &self.segments {
            length += match segment {
                Segment::Text(text) => text.len(),
                Segment::Value(placeholder) => values
                    .get(*placeholder)
                    .ok_or(RenderError::MissingValue {
                        placeholder: *placeholder,
                    })?
                    .len(),
            };
        }
        let mut out = String::with_capacity(length);
        for segment in &self.segments {
            match segment {
                Segment::Text(text) => out.push_str(text),
                // Checked above: every value is present.
                Segment::Value(placeholder) => out.push_str(values.get(*placeholder).unwrap_or("")),
            }
        }
        Ok(out)
    }
}

impl fmt::Display for PromptTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl std::str::FromStr for PromptTemplate {
    type Err = TemplateErrors;

    fn from_str(source: &str) -> Result<PromptTemplate, TemplateErrors> {
        PromptTemplate::parse(source)
    }
}

impl Serialize for PromptTemplate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.source)
    }
}

impl<'de> Deserialize<'de> for PromptTemplate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<PromptTemplate, D::Error> {
        let source = String::deserialize(deserializer)?;
        PromptTemplate::parse(&source).map_err(serde::de::Error::custom)
    }
}

/// How a field ended.
enum FieldScan {
    /// At the `}` at byte `close`; `result` is what the field is.
    Closed {
        close: usize,
        result: Result<Placeholder, TemplateErrorKind>,
    },
    /// Never, or too broken to find its end: the error, after which scanning stops.
    Unclosed(TemplateErrorKind),
}

/// Reads the field whose `{` is just before byte `start`, step for step as CPython's
/// `parse_field`: the name runs to `}`, `:` or `!` (a `[` skips to the next `]`, hiding those),
/// a `{` in the name is an error, a conversion is one character after `!`, and a format spec
/// runs to the `}` that balances the field's `{`.
fn read_field(source: &str, start: usize) -> FieldScan {
    let bytes = source.as_bytes();
    let mut i = start;
    // The field name.
    loop {
        let Some(&byte) = bytes.get(i) else {
            return FieldScan::Unclosed(TemplateErrorKind::UnmatchedOpenBrace);
        };
        match byte {
            b'{' => {
                // Python stops here ("unexpected '{' in field name"); to go on finding errors,
                // take the field to end where its braces balance.
                let field_end = balanced_close(bytes, start);
                let field = source[start..field_end.unwrap_or(source.len())].to_owned();
                let kind = TemplateErrorKind::BraceInField { field };
                return match field_end {
                    Some(close) => FieldScan::Closed {
                        close,
                        result: Err(kind),
                    },
                    None => FieldScan::Unclosed(kind),
                };
            }
            b'[' => {
                i += 1;
                while bytes.get(i).is_some_and(|b| *b != b']') {
                    i += 1;
                }
            }
            b'}' => {
                return FieldScan::Closed {
                    close: i,
                    result: classify_name(&source[start..i]),
                }
            }
            b':' | b'!' => break,
            _ => i += 1,
        }
    }
    let name = source[start..i].to_owned();
    let mut conversion = None;
    if bytes[i] == b'!' {
        i += 1;
        let unsupported = |conversion: &str| TemplateErrorKind::Conversion {
            name: name.clone(),
            conversion: format!("!{conversion}"),
        };
        let Some(character) = source[i..].chars().next() else {
            return FieldScan::Unclosed(unsupported(""));
        };
        i += character.len_utf8();
        match bytes.get(i) {
            Some(b'}') => {
                return FieldScan::Closed {
                    close: i,
                    result: Err(unsupported(&character.to_string())),
                }
            }
            Some(b':') => conversion = Some(unsupported(&character.to_string())),
            // Python: "expected ':' after conversion specifier" (or the end of the string).
            _ => return FieldScan::Unclosed(unsupported(&character.to_string())),
        }
    }
    // The format spec, after the `:` at byte `i`.
    let spec_start = i + 1;
    let mut depth = 1usize;
    for (offset, &byte) in bytes[spec_start..].iter().enumerate() {
        match byte {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    let close = spec_start + offset;
                    let kind = conversion.unwrap_or_else(|| TemplateErrorKind::FormatSpec {
                        name,
                        spec: source[spec_start..close].to_owned(),
                    });
                    return FieldScan::Closed {
                        close,
                        result: Err(kind),
                    };
                }
            }
            _ => {}
        }
    }
    // Python: "unmatched '{' in format spec".
    FieldScan::Unclosed(TemplateErrorKind::UnmatchedOpenBrace)
}

/// The `}` that balances a `{` just before byte `start`, counting nested braces.
fn balanced_close(bytes: &[u8], start: usize) -> Option<usize> {
    let mut depth = 1usize;
    for (offset, &byte) in bytes[start..].iter().enumerate() {
        match byte {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(start + offset);
                }
            }
            _ => {}
        }
    }
    None
}

/// What a field name (with no conversion or spec) is.
fn classify_name(name: &str) -> Result<Placeholder, TemplateErrorKind> {
    if name.contains(['.', '[']) {
        return Err(TemplateErrorKind::AttributeOrIndex {
            field: name.to_owned(),
        });
    }
    if name.is_empty() {
        return Err(TemplateErrorKind::EmptyField);
    }
    if name.bytes().all(|b| b.is_ascii_digit()) {
        return Err(TemplateErrorKind::PositionalField {
            index: name.to_owned(),
        });
    }
    Placeholder::from_name(name).ok_or_else(|| TemplateErrorKind::UnknownPlaceholder {
        name: name.to_owned(),
        suggestion: suggest(name),
    })
}

/// The placeholder a misspelt name most likely meant: same letters ignoring case, spaces and
/// `-`, or at most two edits away.
fn suggest(name: &str) -> Option<Placeholder> {
    let key: String = name
        .trim()
        .chars()
        .map(|c| {
            if c == '-' || c == ' ' {
                '_'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    if let Some(exact) = Placeholder::from_name(&key) {
        return Some(exact);
    }
    Placeholder::ALL
        .into_iter()
        .map(|p| (edit_distance(&key, p.name()), p))
        .filter(|(distance, _)| *distance <= 2)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, p)| p)
}

/// Levenshtein distance over characters. Written here because it serves one hint message on
/// names of a few characters; a crate would add a dependency to the web bundle for ten lines.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

/// One problem in a template, at the 1-based line and character (Unicode scalar values) of the
/// brace that starts it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateError {
    pub line: usize,
    pub character: usize,
    pub kind: TemplateErrorKind,
}

impl TemplateError {
    /// The shared [`Location`] of this error in the input named `source` (a file name, a URL,
    /// `the answer judge template`).
    pub fn location(&self, source: &str) -> Location {
        Location::source(source)
            .with_line(self.line)
            .with_character(self.character)
    }
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, character {}: {}",
            self.line, self.character, self.kind
        )
    }
}

impl std::error::Error for TemplateError {}

/// What is wrong with a template field or brace.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TemplateErrorKind {
    /// A `{` with no `}` closing it before the end of the template.
    UnmatchedOpenBrace,
    /// A `}` that closes no field and is not doubled.
    UnmatchedCloseBrace,
    /// `{}`: an automatically numbered positional field.
    EmptyField,
    /// `{0}`: a numbered positional field.
    PositionalField { index: String },
    /// A field name that is none of the four placeholders.
    UnknownPlaceholder {
        name: String,
        suggestion: Option<Placeholder>,
    },
    /// `{name:spec}`: format specs are not supported.
    FormatSpec { name: String, spec: String },
    /// `{name!r}`: conversions are not supported.
    Conversion { name: String, conversion: String },
    /// `{name.attr}` or `{name[0]}`.
    AttributeOrIndex { field: String },
    /// A `{` inside a field, as in `{a{b}}`.
    BraceInField { field: String },
}

const LITERAL_BRACE_HINT: &str = "to write a literal brace, double it: {{ or }}";

impl fmt::Display for TemplateErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let expected = "expected one of {query}, {risk_summary}, {answer}, {reasoning_thinking}";
        match self {
            TemplateErrorKind::UnmatchedOpenBrace => {
                write!(f, "this {{ is never closed by a }}; {LITERAL_BRACE_HINT}")
            }
            TemplateErrorKind::UnmatchedCloseBrace => {
                write!(f, "single }} that closes no field; {LITERAL_BRACE_HINT}")
            }
            TemplateErrorKind::EmptyField => {
                write!(f, "empty field {{}}: positional fields are not supported, {expected}; {LITERAL_BRACE_HINT}")
            }
            TemplateErrorKind::PositionalField { index } => write!(
                f,
                "positional field {{{index}}} is not supported: fields are named, {expected}"
            ),
            TemplateErrorKind::UnknownPlaceholder { name, suggestion } => {
                write!(f, "unknown placeholder {{{name}}}, {expected}")?;
                if let Some(suggestion) = suggestion {
                    write!(f, " (did you mean {suggestion}?)")?;
                }
                if !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    write!(f, "; {LITERAL_BRACE_HINT}")?;
                }
                Ok(())
            }
            TemplateErrorKind::FormatSpec { name, spec } => write!(
                f,
                "format spec \":{spec}\" in {{{name}:{spec}}} is not supported: values are inserted as they are, write {{{name}}}"
            ),
            TemplateErrorKind::Conversion { name, conversion } => write!(
                f,
                "conversion \"{conversion}\" in {{{name}{conversion}}} is not supported: values are inserted as they are, write {{{name}}}"
            ),
            TemplateErrorKind::AttributeOrIndex { field } => write!(
                f,
                "attribute or index access in {{{field}}} is not supported: values are plain text, {expected}"
            ),
            TemplateErrorKind::BraceInField { field } => {
                write!(f, "a {{ inside the field {{{field}}}; {LITERAL_BRACE_HINT}")
            }
        }
    }
}

/// Every problem found in one template (never empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateErrors(pub Vec<TemplateError>);

impl TemplateErrors {
    pub fn errors(&self) -> &[TemplateError] {
        &self.0
    }
}

impl fmt::Display for TemplateErrors {
    /// One error per line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, error) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for TemplateErrors {}

/// Rendering failed: the template needs a value that was not given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenderError {
    MissingValue { placeholder: Placeholder },
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderError::MissingValue { placeholder } => {
                write!(
                    f,
                    "the template uses {placeholder} but no value was given for it"
                )
            }
        }
    }
}

impl std::error::Error for RenderError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(source: &str) -> Vec<(usize, usize, TemplateErrorKind)> {
        match PromptTemplate::parse(source) {
            Ok(_) => Vec::new(),
            Err(errors) => errors
                .0
                .into_iter()
                .map(|e| (e.line, e.character, e.kind))
                .collect(),
        }
    }

    #[test]
    fn splits_into_segments_and_unescapes_braces() {
        let template = PromptTemplate::parse("a {{b}} {query}{answer}c").unwrap();
        assert_eq!(
            template.segments(),
            &[
                Segment::Text("a {b} ".into()),
                Segment::Value(Placeholder::Query),
                Segment::Value(Placeholder::Answer),
                Segment::Text("c".into()),
            ]
        );
        assert_eq!(
            template.placeholders(),
            vec![Placeholder::Query, Placeholder::Answer]
        );
    }

    #[test]
    fn field_is_balanced_like_python() {
        // A `{` in a field name (CPython: "unexpected '{' in field name"); scanning goes on
        // after the brace-balanced end, finding the stray `}` on line 2.
        assert_eq!(
            kinds("{a{b}}\n}"),
            vec![
                (
                    1,
                    1,
                    TemplateErrorKind::BraceInField {
                        field: "a{b}".into()
                    }
                ),
                (2, 1, TemplateErrorKind::UnmatchedCloseBrace),
            ]
        );
        // `[` hides `:` and `}` in the name, so this is index access, not a format spec.
        assert_eq!(
            kinds("{query[:}]}"),
            vec![(
                1,
                1,
                TemplateErrorKind::AttributeOrIndex {
                    field: "query[:}]".into()
                }
            )]
        );
    }

    #[test]
    fn suggestions_for_misspelt_names() {
        assert_eq!(suggest("Query"), Some(Placeholder::Query));
        assert_eq!(suggest("risk-summary"), Some(Placeholder::RiskSummary));
        assert_eq!(
            suggest("reasoning_thinkng"),
            Some(Placeholder::ReasoningThinking)
        );
        assert_eq!(suggest("verdict"), None);
        // kitten -> sitting is the textbook distance 3.
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
