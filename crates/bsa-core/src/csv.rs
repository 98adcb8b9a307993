//! Strict RFC 4180 CSV: a reader that locates every syntax error, and quoting for writers.
//!
//! Why not the `csv` crate: it is lenient by design and never reports malformed quoting (an
//! unclosed quote silently swallows the rest of the file), while BSA Studio must tell the user
//! *where* a dropped file is broken. This reader is small, zero-copy for fields without `""`
//! escapes, and fast enough for the 230,000-row judged files (it scans with `memchr`).
//!
//! Accepted: `,` separators, `\n` or `\r\n` line ends, quoted fields with `""` escapes and line
//! breaks inside, blank lines (skipped), a quote inside an unquoted field (taken literally, as
//! spreadsheets write `5" tall`). Rejected, with line and character: a quoted field that is never
//! closed ([`ProblemKind::UnterminatedQuote`]) and text right after a closing quote
//! ([`ProblemKind::StrayQuote`]). Decoding (UTF-8, BOM) happens before, in [`crate::text`].

use crate::diagnostic::{Location, Problem, ProblemKind};
use memchr::{memchr, memchr2, memrchr};
use std::borrow::Cow;

/// One CSV record: its fields and the line it starts on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Record<'a> {
    fields: Vec<Cow<'a, str>>,
    line: usize,
}

impl<'a> Record<'a> {
    /// 1-based line the record starts on.
    pub fn line(&self) -> usize {
        self.line
    }

    pub fn len(&self) -> usize {
        self.fields.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    pub fn get(&self, index: usize) -> Option<&str> {
        self.fields.get(index).map(|field| field.as_ref())
    }

    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().map(|field| field.as_ref())
    }
}

/// A syntax error, at a 1-based line and character.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub kind: ProblemKind,
    pub line: usize,
    pub character: usize,
}

impl SyntaxError {
    /// The error as a [`Problem`] in input `source`.
    pub fn into_problem(self, source: &str) -> Problem {
        Problem::new(
            Location::source(source)
                .with_line(self.line)
                .with_character(self.character),
            self.kind,
        )
    }
}

/// Reads records one at a time from decoded text, reusing the caller's [`Record`].
#[derive(Debug)]
pub struct Reader<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
}

impl<'a> Reader<'a> {
    pub fn new(text: &'a str) -> Reader<'a> {
        Reader {
            text,
            pos: 0,
            line: 1,
        }
    }

    /// Reads the next record into `record`. Returns `None` at the end, `Some(Err)` for a syntax
    /// error: after a stray quote the reader resumes on the next line; after an unterminated
    /// quote there is nothing left to read.
    pub fn read(&mut self, record: &mut Record<'a>) -> Option<Result<(), SyntaxError>> {
        record.fields.clear();
        let text = self.text;
        let bytes = text.as_bytes();
        // Blank lines between records carry no data (pandas skips them too).
        loop {
            match bytes.get(self.pos) {
                None => return None,
                Some(b'\n') => {
                    self.pos += 1;
                    self.line += 1;
                }
                Some(b'\r') if bytes.get(self.pos + 1) == Some(&b'\n') => {
                    self.pos += 2;
                    self.line += 1;
                }
                Some(_) => break,
            }
        }
        record.line = self.line;
        loop {
            let start = self.pos;
            if bytes.get(start) != Some(&b'"') {
                // Unquoted field: runs to the next separator or line end.
                match memchr2(b',', b'\n', &bytes[start..]) {
                    None => {
                        let end = trim_cr(bytes, start, bytes.len());
                        record.fields.push(Cow::Borrowed(&text[start..end]));
                        self.pos = bytes.len();
                        return Some(Ok(()));
                    }
                    Some(relative) => {
                        let at = start + relative;
                        if bytes[at] == b',' {
                            record.fields.push(Cow::Borrowed(&text[start..at]));
                            self.pos = at + 1;
                            continue;
                        }
                        let end = trim_cr(bytes, start, at);
                        record.fields.push(Cow::Borrowed(&text[start..end]));
                        self.pos = at + 1;
                        self.line += 1;
                        return Some(Ok(()));
                    }
                }
            }
            // Quoted field: runs to a quote that is not doubled.
            let mut owned: Option<String> = None;
            let mut segment = start + 1;
            let mut search = start + 1;
            let close = loop {
                let Some(relative) = memchr(b'"', &bytes[search..]) else {
                    let (line, character) = self.position_of(start, start, self.line);
                    self.pos = bytes.len();
                    self.line = line;
                    return Some(Err(SyntaxError {
                        kind: ProblemKind::UnterminatedQuote,
                        line,
                        character,
                    }));
                };
                let quote = search + relative;
                if bytes.get(quote + 1) == Some(&b'"') {
                    owned
                        .get_or_insert_with(String::new)
                        .push_str(&text[segment..=quote]);
                    search = quote + 2;
                    segment = search;
                } else {
                    break quote;
                }
            };
            self.line += memchr::memchr_iter(b'\n', &bytes[start..close]).count();
            record.fields.push(match owned {
                Some(mut value) => {
                    value.push_str(&text[segment..close]);
                    Cow::Owned(value)
                }
                None => Cow::Borrowed(&text[start + 1..close]),
            });
            let after = close + 1;
            match bytes.get(after) {
                None => {
                    self.pos = after;
                    return Some(Ok(()));
                }
                Some(b',') => self.pos = after + 1,
                Some(b'\n') => {
                    self.pos = after + 1;
                    self.line += 1;
                    return Some(Ok(()));
                }
                Some(b'\r') if bytes.get(after + 1) == Some(&b'\n') => {
                    self.pos = after + 2;
                    self.line += 1;
                    return Some(Ok(()));
                }
                Some(_) => {
                    // `self.line` already counts the line breaks inside the field, up to `close`.
                    let (line, character) = self.position_of(after, close, self.line);
                    // Resume at the next line so later rows are still checked.
                    match memchr(b'\n', &bytes[after..]) {
                        Some(relative) => {
                            self.pos = after + relative + 1;
                            self.line = line + 1;
                        }
                        None => self.pos = bytes.len(),
                    }
                    return Some(Err(SyntaxError {
                        kind: ProblemKind::StrayQuote,
                        line,
                        character,
                    }));
                }
            }
        }
    }

    /// Line and character of byte `offset`, counting lines from `anchor` (an earlier offset
    /// known to be on line `anchor_line`).
    fn position_of(&self, offset: usize, anchor: usize, anchor_line: usize) -> (usize, usize) {
        let bytes = self.text.as_bytes();
        let line = anchor_line + memchr::memchr_iter(b'\n', &bytes[anchor..offset]).count();
        let line_start = memrchr(b'\n', &bytes[..offset]).map_or(0, |newline| newline + 1);
        let character = 1 + self.text[line_start..offset].chars().count();
        (line, character)
    }
}

fn trim_cr(bytes: &[u8], start: usize, end: usize) -> usize {
    if end > start && bytes[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

/// Column positions of a header row: for each wanted name, the index of the header field equal to
/// it after trimming, ignoring ASCII case (first match).
pub fn column_positions(header: &Record<'_>, names: &[&str]) -> Vec<Option<usize>> {
    names
        .iter()
        .map(|name| {
            header
                .fields()
                .position(|field| field.trim().eq_ignore_ascii_case(name))
        })
        .collect()
}

/// Header names that appear more than once (after trimming, ignoring ASCII case).
pub fn duplicate_columns(header: &Record<'_>) -> Vec<String> {
    let names: Vec<String> = header
        .fields()
        .map(|field| field.trim().to_ascii_lowercase())
        .collect();
    let mut duplicates = Vec::new();
    for (index, name) in names.iter().enumerate() {
        if names[..index].contains(name) && !duplicates.contains(name) {
            duplicates.push(name.clone());
        }
    }
    duplicates
}

/// Appends one field, quoted when it holds a separator, a quote or a line break.
pub fn push_field(out: &mut String, field: &str) {
    if field.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

/// Appends a record and a `\n`.
pub fn push_record<'f>(out: &mut String, fields: impl IntoIterator<Item = &'f str>) {
    for (index, field) in fields.into_iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        push_field(out, field);
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(text: &str) -> Vec<Result<(usize, Vec<String>), SyntaxError>> {
        let mut reader = Reader::new(text);
        let mut record = Record::default();
        let mut out = Vec::new();
        while let Some(result) = reader.read(&mut record) {
            out.push(result.map(|()| (record.line(), record.fields().map(String::from).collect())));
        }
        out
    }

    fn ok(line: usize, fields: &[&str]) -> Result<(usize, Vec<String>), SyntaxError> {
        Ok((line, fields.iter().map(|f| f.to_string()).collect()))
    }

    #[test]
    fn reads_quoted_fields_with_newlines_escapes_and_crlf() {
        let text = "id,query\r\n1,\"two\r\nlines, \"\"quoted\"\"\"\r\n\r\n2,plain\r\n";
        assert_eq!(
            read_all(text),
            vec![
                ok(1, &["id", "query"]),
                ok(2, &["1", "two\r\nlines, \"quoted\""]),
                ok(5, &["2", "plain"])
            ]
        );
    }

    #[test]
    fn empty_fields_and_no_final_newline() {
        assert_eq!(
            read_all("a,,\n,b"),
            vec![ok(1, &["a", "", ""]), ok(2, &["", "b"])]
        );
        assert_eq!(read_all("\"\",x"), vec![ok(1, &["", "x"])]);
    }

    #[test]
    fn quote_inside_unquoted_field_is_literal() {
        assert_eq!(read_all("a,5\" tall\n"), vec![ok(1, &["a", "5\" tall"])]);
    }

    #[test]
    fn unterminated_quote_is_located_at_the_opening_quote() {
        let results = read_all("id,query\n1,ok\n2,\"never closed\n3,more\n");
        assert_eq!(
            results[2],
            Err(SyntaxError {
                kind: ProblemKind::UnterminatedQuote,
                line: 3,
                character: 3
            })
        );
        assert_eq!(results.len(), 3);
    }

    #[test]
    fn stray_quote_is_located_and_reading_resumes() {
        let results = read_all("a,\"b\"c,d\ne,f\n");
        assert_eq!(
            results[0],
            Err(SyntaxError {
                kind: ProblemKind::StrayQuote,
                line: 1,
                character: 6
            })
        );
        assert_eq!(results[1], ok(2, &["e", "f"]));
    }

    #[test]
    fn stray_quote_after_a_multiline_field_counts_lines() {
        let results = read_all("h\n\"x\ny\"z\nnext\n");
        assert_eq!(
            results[1],
            Err(SyntaxError {
                kind: ProblemKind::StrayQuote,
                line: 3,
                character: 3
            })
        );
        assert_eq!(results[2], ok(4, &["next"]));
    }

    #[test]
    fn writing_then_reading_round_trips() {
        let fields = ["plain", "with,comma", "with \"quote\"", "two\nlines", ""];
        let mut out = String::new();
        push_record(&mut out, fields);
        assert_eq!(read_all(&out), vec![ok(1, &fields)]);
    }

    #[test]
    fn header_lookup_ignores_case_and_spaces() {
        let mut reader = Reader::new(" ID ,Query,label,id\n");
        let mut header = Record::default();
        reader.read(&mut header).unwrap().unwrap();
        assert_eq!(
            column_positions(&header, &["id", "label", "risk_summary"]),
            vec![Some(0), Some(2), None]
        );
        assert_eq!(duplicate_columns(&header), vec!["id".to_string()]);
    }
}
