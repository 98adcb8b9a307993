//! A forgiving reader for the JSON-like objects judges write when they get JSON slightly wrong.
//!
//! Accepts, beyond JSON: trailing and missing commas, single-quoted and curly-quoted strings,
//! raw newlines and unescaped quotes inside strings (a quote only closes a string when what
//! follows could end it), `//` and `/* */` comments, bare keys (`verdict: Safe`), bare values up
//! to the end of the line, and Python's `True` / `False` / `None`.
//!
//! Hand-written: JSON5 readers (the `json5` crate) reject most of these (raw newlines, bare text
//! values, unescaped quotes), which are the commonest judge mistakes, and pull a parser
//! generator into the web bundle. This reader never fails loudly: it returns `None` and the
//! caller moves on to the next candidate.

use serde_json::{Map, Number, Value};

/// Nesting deeper than this is not a judge's reply; stop rather than recurse without bound.
const MAX_DEPTH: usize = 32;

/// Reads one object starting at the `{` at the start of `text`. Returns the value and the byte
/// length it took up, or `None` when no object can be made of it.
pub(crate) fn parse_object(text: &str) -> Option<(Value, usize)> {
    let mut reader = Reader { text, pos: 0 };
    let value = reader.object(0)?;
    Some((value, reader.pos))
}

struct Reader<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Reader<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    /// Skips whitespace and comments.
    fn skip_space(&mut self) {
        loop {
            let rest = self.rest();
            let trimmed = rest.trim_start();
            self.pos += rest.len() - trimmed.len();
            if trimmed.starts_with("//") {
                self.pos += trimmed.find('\n').unwrap_or(trimmed.len());
            } else if let Some(body) = trimmed.strip_prefix("/*") {
                self.pos += 2 + body.find("*/").map_or(body.len(), |end| end + 2);
            } else {
                return;
            }
        }
    }

    fn object(&mut self, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH || self.bump()? != '{' {
            return None;
        }
        let mut map = Map::new();
        loop {
            self.skip_space();
            match self.peek()? {
                '}' => {
                    self.bump();
                    return Some(Value::Object(map));
                }
                ',' => {
                    self.bump();
                    continue;
                }
                _ => {}
            }
            let key = self.key()?;
            self.skip_space();
            match self.peek()? {
                ':' | '=' | '：' => {
                    self.bump();
                }
                _ => return None,
            }
            self.skip_space();
            let value = self.value(depth)?;
            map.insert(key, value);
            self.skip_space();
            match self.peek()? {
                ',' => {
                    self.bump();
                }
                '}' => {}
                // A missing comma between two members: go on if a key could start here.
                c if is_quote(c) || c.is_alphanumeric() => {}
                _ => return None,
            }
        }
    }

    fn array(&mut self, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH || self.bump()? != '[' {
            return None;
        }
        let mut items = Vec::new();
        loop {
            self.skip_space();
            match self.peek()? {
                ']' => {
                    self.bump();
                    return Some(Value::Array(items));
                }
                ',' => {
                    self.bump();
                }
                _ => {
                    items.push(self.value(depth)?);
                    self.skip_space();
                    match self.peek()? {
                        ',' | ']' => {}
                        _ => return None,
                    }
                }
            }
        }
    }

    fn key(&mut self) -> Option<String> {
        let c = self.peek()?;
        if is_quote(c) {
            return self.string();
        }
        // A bare key runs to the `:`; it may hold spaces (`Safety Assessment: Safe`).
        let rest = self.rest();
        let end = rest.find([':', '=', '：', ',', '{', '}', '\n'])?;
        let key = rest[..end].trim();
        if key.is_empty() {
            return None;
        }
        self.pos += end;
        Some(key.to_owned())
    }

    fn value(&mut self, depth: usize) -> Option<Value> {
        match self.peek()? {
            '{' => self.object(depth + 1),
            '[' => self.array(depth + 1),
            c if is_quote(c) => self.string().map(Value::String),
            _ => self.bare_value(),
        }
    }

    /// Text up to a `,`, `}`, `]`, the end of the line or a comment, read as a literal when it
    /// is one, else as a string (`"verdict": Unsafe`).
    fn bare_value(&mut self) -> Option<Value> {
        let rest = self.rest();
        let mut end = rest.len();
        for (offset, c) in rest.char_indices() {
            if matches!(c, ',' | '}' | ']' | '\n') || rest[offset..].starts_with("//") {
                end = offset;
                break;
            }
        }
        let word = rest[..end].trim();
        if word.is_empty() {
            return None;
        }
        self.pos += end;
        Some(match word {
            "true" | "True" | "TRUE" => Value::Bool(true),
            "false" | "False" | "FALSE" => Value::Bool(false),
            "null" | "None" => Value::Null,
            _ => match word.parse::<f64>().ok().and_then(Number::from_f64) {
                Some(number) if word.starts_with(|c: char| c.is_ascii_digit() || c == '-') => {
                    Value::Number(number)
                }
                _ => Value::String(word.to_owned()),
            },
        })
    }

    /// A quoted string. The closing quote is the first matching quote followed by something
    /// that can come after a string (so `"says "no" here"` keeps its inner quotes).
    fn string(&mut self) -> Option<String> {
        let open = self.bump()?;
        let close = match open {
            '\u{201C}' => '\u{201D}',
            '\u{2018}' => '\u{2019}',
            other => other,
        };
        let mut out = String::new();
        loop {
            let c = self.bump()?;
            if c == '\\' {
                let escaped = self.bump()?;
                match escaped {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'u' => out.push(self.unicode_escape()?),
                    other => out.push(other),
                }
            } else if c == close || (close == '\u{201D}' && c == '"') {
                if self.can_end_string() {
                    return Some(out);
                }
                out.push(c);
            } else {
                out.push(c);
            }
        }
    }

    /// Whether the text after a quote looks like what follows a complete string.
    fn can_end_string(&self) -> bool {
        let rest = self.rest();
        let after = rest.trim_start_matches([' ', '\t', '\r']);
        match after.chars().next() {
            None => true,
            Some(c) => matches!(c, ',' | '}' | ']' | ':' | '\n' | '：') || after.starts_with("//"),
        }
    }

    /// The four hex digits after `\u`, with a following low surrogate when the first is high.
    fn unicode_escape(&mut self) -> Option<char> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) && self.rest().starts_with("\\u") {
            let saved = self.pos;
            self.pos += 2;
            if let Some(second) = self.hex4().filter(|s| (0xDC00..0xE000).contains(s)) {
                let combined = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return char::from_u32(combined);
            }
            self.pos = saved;
        }
        Some(char::from_u32(first).unwrap_or('\u{FFFD}'))
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.rest().get(..4)?;
        let value = u32::from_str_radix(digits, 16).ok()?;
        self.pos += 4;
        Some(value)
    }
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\'' | '\u{201C}' | '\u{2018}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(text: &str) -> Option<Value> {
        parse_object(text).map(|(value, _)| value)
    }

    #[test]
    fn repairs_common_mistakes() {
        assert_eq!(
            read("{'verdict': 'Safe',}"),
            Some(json!({"verdict": "Safe"}))
        );
        assert_eq!(
            read("{\"a\": \"x\" // note\n, \"b\": true // why\n}"),
            Some(json!({"a": "x", "b": true}))
        );
        assert_eq!(
            read("{verdict: Unsafe}"),
            Some(json!({"verdict": "Unsafe"}))
        );
        assert_eq!(
            read("{\"rationale\": \"it says \"no\" here\", \"verdict\": \"Safe\"}"),
            Some(json!({"rationale": "it says \"no\" here", "verdict": "Safe"}))
        );
        assert_eq!(
            read("{'r': 'doesn't matter', 'v': True}"),
            Some(json!({"r": "doesn't matter", "v": true}))
        );
        assert_eq!(
            read("{\"a\": \"line 1\nline 2\"\n\"b\": 2}"),
            Some(json!({"a": "line 1\nline 2", "b": 2.0}))
        );
        assert_eq!(
            read("{\"e\": \"\\ud83d\\ude00\"}"),
            Some(json!({"e": "😀"}))
        );
    }

    #[test]
    fn gives_up_without_panicking() {
        for broken in [
            "{",
            "{\"a\": ",
            "{\"a\" \"b\"}",
            "{\"a\": \"unterminated",
            "{\"\\u12",
            "{:}",
        ] {
            assert_eq!(read(broken), None, "{broken:?}");
        }
        // Deep nesting stops at MAX_DEPTH instead of overflowing the stack.
        let deep = format!("{}{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
        assert_eq!(read(&deep), None);
    }

    #[test]
    fn reports_where_the_object_ends() {
        let text = "{\"a\": 1} trailing {";
        assert_eq!(
            parse_object(text).map(|(_, end)| &text[..end]),
            Some("{\"a\": 1}")
        );
    }
}
