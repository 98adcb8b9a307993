//! Fitting text into charts without a layout engine: width estimates, truncation and word
//! wrapping of long category names ("Invasion of Privacy and Confidentiality") into axis-label
//! lines.
//!
//! The charts lay out text before the browser has measured it (and the same layout must hold in
//! an exported file), so widths are estimated from the character count: [`estimate_width`]
//! assumes an average glyph of [`AVERAGE_CHAR_WIDTH_EM`], a little wider than a typical sans
//! serif so that estimates err on the roomy side. Counts are in Unicode scalar values, never
//! bytes, so names in any script are cut on character boundaries.

/// The assumed mean glyph width, as a fraction of the font size.
pub const AVERAGE_CHAR_WIDTH_EM: f64 = 0.58;

/// The ellipsis that marks cut text.
const ELLIPSIS: char = '\u{2026}';

/// The estimated width of `text` set at `font_size` (in the same unit as the font size).
pub fn estimate_width(text: &str, font_size: f64) -> f64 {
    text.chars().count() as f64 * AVERAGE_CHAR_WIDTH_EM * font_size
}

/// How many characters fit in `width` at `font_size` (at least 1).
pub fn chars_fitting(width: f64, font_size: f64) -> usize {
    if font_size <= 0.0 || !width.is_finite() {
        return 1;
    }
    ((width / (AVERAGE_CHAR_WIDTH_EM * font_size)).floor() as usize).max(1)
}

/// `text` cut to at most `max_chars` characters, the last of which is an ellipsis when
/// anything was cut.
pub fn truncate(text: &str, max_chars: usize) -> String {
    let max_chars = max_chars.max(1);
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max_chars - 1).collect();
    // Don't leave a dangling space before the ellipsis.
    let trimmed_len = cut.trim_end().len();
    cut.truncate(trimmed_len);
    cut.push(ELLIPSIS);
    cut
}

/// Marks `line` as continued: appends an ellipsis, cutting the line if it is already full.
fn ellipsize(line: &str, max_chars: usize) -> String {
    if line.chars().count() < max_chars {
        format!("{line}{ELLIPSIS}")
    } else {
        // One character more than allowed forces `truncate` to cut and add the ellipsis.
        truncate(&format!("{line} "), max_chars)
    }
}

/// Greedy word wrap of `text` into at most `max_lines` lines of at most `max_chars` characters.
/// A word longer than a line is truncated; text beyond the last line is replaced by an ellipsis
/// on that line.
pub fn wrap(text: &str, max_chars: usize, max_lines: usize) -> Vec<String> {
    let max_chars = max_chars.max(1);
    let max_lines = max_lines.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let joined = current.chars().count() + 1 + word.chars().count();
        if current.is_empty() {
            current = word.to_string();
        } else if joined <= max_chars {
            current.push(' ');
            current.push_str(word);
        } else {
            lines.push(std::mem::take(&mut current));
            current = word.to_string();
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    let overflow = lines.len() > max_lines;
    lines.truncate(max_lines);
    let mut lines: Vec<String> = lines.iter().map(|l| truncate(l, max_chars)).collect();
    if overflow {
        if let Some(last) = lines.last_mut() {
            if !last.ends_with(ELLIPSIS) {
                *last = ellipsize(last, max_chars);
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRIVACY: &str = "Invasion of Privacy and Confidentiality";

    #[test]
    fn width_is_estimated_from_the_character_count() {
        // 10 characters x 0.58 x 12 = 69.6.
        assert!((estimate_width("Ethics and", 12.0) - 69.6).abs() < 1e-9);
        // 100 / (0.58 x 10) = 17.2 -> 17 characters.
        assert_eq!(chars_fitting(100.0, 10.0), 17);
        assert_eq!(chars_fitting(1.0, 10.0), 1);
    }

    #[test]
    fn truncation_counts_characters_not_bytes() {
        assert_eq!(truncate("Rumors", 10), "Rumors");
        // 9 characters kept ("Offense a") + the ellipsis = 10.
        assert_eq!(truncate("Offense and Prejudice", 10), "Offense a\u{2026}");
        // "Offense " would end in a space: it is trimmed before the ellipsis.
        assert_eq!(truncate("Offense and Prejudice", 9), "Offense\u{2026}");
        assert_eq!(truncate("数据集合测试", 4), "数据集\u{2026}");
    }

    #[test]
    fn long_category_names_wrap_on_words() {
        // 15 per line: "Invasion of" (11) + " Privacy" would be 19 -> break; "Privacy and" (11)
        // + " Confidentiality" = 27 -> break; "Confidentiality" is exactly 15.
        assert_eq!(
            wrap(PRIVACY, 15, 3),
            vec!["Invasion of", "Privacy and", "Confidentiality"]
        );
        // 12 per line: the 15-letter word is cut to 11 letters + ellipsis.
        assert_eq!(
            wrap(PRIVACY, 12, 3),
            vec!["Invasion of", "Privacy and", "Confidentia\u{2026}"]
        );
    }

    #[test]
    fn wrapping_marks_dropped_lines() {
        // Two lines only: the third is dropped and "Privacy and" (11 < 15) gains an ellipsis.
        assert_eq!(
            wrap(PRIVACY, 15, 2),
            vec!["Invasion of", "Privacy and\u{2026}"]
        );
        // A full last line loses its final character to the ellipsis: "Specially" (9 of 9).
        assert_eq!(
            wrap("Specially Regulated Items", 9, 1),
            vec!["Speciall\u{2026}"]
        );
    }

    #[test]
    fn short_and_empty_labels() {
        assert_eq!(wrap("Rumors", 10, 2), vec!["Rumors"]);
        assert!(wrap("   ", 10, 2).is_empty());
        assert_eq!(wrap("a  b", 10, 2), vec!["a b"]);
    }
}
