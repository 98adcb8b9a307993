//! Input text: UTF-8 decoding with a located error, byte-order marks, and turning byte offsets
//! into the line and character positions that [`Location`]s report.

use crate::diagnostic::{Location, Problem, ProblemKind};

/// Decodes `bytes` as UTF-8 and drops a leading byte-order mark. An invalid byte is reported at
/// its line and character.
// Called once per file, and every reader returns the same `Problem`: boxing it would only move
// the allocation.
#[allow(clippy::result_large_err)]
pub fn decode<'a>(source: &str, bytes: &'a [u8]) -> Result<&'a str, Problem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(error) => {
            // Everything before the bad byte is valid, so positions can be counted on it.
            let valid = &bytes[..error.valid_up_to()];
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let (line, character) = line_and_character(valid, valid.len());
            Err(Problem::new(
                Location::source(source)
                    .with_line(line)
                    .with_character(character),
                ProblemKind::InvalidUtf8,
            ))
        }
    }
}

/// 1-based line and character (in Unicode scalar values) of byte `offset` within `text`.
/// Lines end at `\n`; a `\r` before it is not counted as a character of the next line.
pub fn line_and_character(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = 1 + memchr::memchr_iter(b'\n', before).count();
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |newline| newline + 1);
    let character = 1 + text[line_start..floor_char_boundary(text, offset)]
        .chars()
        .count();
    (line, character)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Whether the text holds nothing but whitespace.
pub fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_not_bytes() {
        let text = "ab\nçd\ne";
        // 'd' is byte 5 (a b \n ç=2 bytes), on line 2 as character 2.
        assert_eq!(line_and_character(text, 5), (2, 2));
        assert_eq!(line_and_character(text, 0), (1, 1));
        assert_eq!(line_and_character(text, text.len()), (3, 2));
    }

    #[test]
    fn bom_is_dropped_and_invalid_bytes_are_located() {
        assert_eq!(decode("f.csv", b"\xEF\xBB\xBFid\n").unwrap(), "id\n");
        let problem = decode("f.csv", b"id,query\n1,caf\xE9\n").unwrap_err();
        assert_eq!(problem.kind, ProblemKind::InvalidUtf8);
        assert_eq!(problem.location.line, Some(2));
        assert_eq!(problem.location.character, Some(6));
    }
}
