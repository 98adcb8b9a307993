//! The dataset's `label` column: an item's risk categories as text.
//!
//! - [`parse_label`] reads a label into [`Risk`]s or says what is wrong with it ([`LabelError`]).
//! - [`format_label`] writes risks back in the dataset's own form.
//! - [`risk_count`] says how many risks an item of each scenario has.
//!
//! Two forms exist in the benchmark:
//!
//! ```text
//! Offense and Prejudice-Abuse and Hate Speech
//! ```
//!
//! for one risk, and for the two risks of a Cognitive Shortcut item
//!
//! ```text
//! Query A: Rumors-Rumors with Negative Impact
//! Query B: Specially Regulated Items-Psychotropic / Narcotic / Pathogenic Controlled Substances
//! ```
//!
//! A risk splits on its FIRST `-` only: primary names have no `-`, but secondary names contain
//! `-`, spaces and slashes (`Military and Police-Controlled Items`). Reading is tolerant of what
//! hand-edited files do: `\r\n`, spaces around names and lines, blank lines, any case in
//! `query a`, a space before the colon, and the full-width colon `：` of CJK input methods.

use super::{Risk, RiskPart};
use crate::scenario::Scenario;
use std::fmt;

/// Why a label could not be read. [`LabelError::expected`] says what was expected instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LabelError {
    /// Nothing but whitespace.
    Empty,
    /// A risk without a `-` between primary and secondary (`part` for a `Query A:`/`B:` line).
    NoDash { part: Option<RiskPart> },
    /// Nothing before the `-`.
    EmptyPrimary { part: Option<RiskPart> },
    /// Nothing after the `-`.
    EmptySecondary { part: Option<RiskPart> },
    /// A `Query X:` line with a part other than A or B; `found` is the prefix as written.
    UnknownPart { found: String },
    /// A label of several lines where a line does not start with `Query A:` or `Query B:`.
    MissingPrefix,
    /// A two-risk label without this part.
    MissingPart(RiskPart),
    /// A two-risk label with this part twice.
    DuplicatePart(RiskPart),
}

impl LabelError {
    /// What was expected, as the end of a sentence starting "expected ...".
    pub fn expected(&self) -> String {
        let in_part = |part: &Option<RiskPart>| match part {
            Some(part) => format!(" in the \"Query {}:\" line", part_letter(*part)),
            None => String::new(),
        };
        match self {
            LabelError::Empty => {
                "\"Primary-Secondary\" or the two lines \"Query A: Primary-Secondary\" and \"Query B: Primary-Secondary\"".into()
            }
            LabelError::NoDash { part } => format!(
                "\"Primary-Secondary\"{}, with a \"-\" between the primary and the secondary category",
                in_part(part)
            ),
            LabelError::EmptyPrimary { part } => {
                format!("a primary category before the \"-\"{}", in_part(part))
            }
            LabelError::EmptySecondary { part } => {
                format!("a secondary category after the \"-\"{}", in_part(part))
            }
            LabelError::UnknownPart { found } => {
                format!("only \"Query A:\" and \"Query B:\" lines, found \"{found}\"")
            }
            LabelError::MissingPrefix => {
                "each line of a two-risk label to start with \"Query A:\" or \"Query B:\"".into()
            }
            LabelError::MissingPart(part) => format!(
                "both a \"Query A:\" and a \"Query B:\" line, found no \"Query {}:\" line",
                part_letter(*part)
            ),
            LabelError::DuplicatePart(part) => format!(
                "one \"Query A:\" and one \"Query B:\" line, found \"Query {}:\" twice",
                part_letter(*part)
            ),
        }
    }
}

impl fmt::Display for LabelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {}", self.expected())
    }
}

impl std::error::Error for LabelError {}

fn part_letter(part: RiskPart) -> char {
    match part {
        RiskPart::A => 'A',
        RiskPart::B => 'B',
    }
}

/// How many risks an item of `scenario` is annotated with: two (Query A and Query B) for
/// Cognitive Shortcut, one otherwise. True of every row of the official dataset; the reasoning
/// judges and the per-category metrics rely on it.
pub fn risk_count(scenario: Scenario) -> usize {
    match scenario {
        Scenario::CognitiveShortcut => 2,
        Scenario::RiskOmission | Scenario::OverSensitivity => 1,
    }
}

/// Reads a label: one `Primary-Secondary` risk (with `part: None`), or `Query A:` and `Query B:`
/// lines (returned in the order A, B whatever the order in the text).
pub fn parse_label(text: &str) -> Result<Vec<Risk>, LabelError> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    match lines.as_slice() {
        [] => Err(LabelError::Empty),
        [line] if split_part(line)?.is_none() => Ok(vec![parse_risk(line, None)?]),
        _ => {
            let mut a = None;
            let mut b = None;
            for line in &lines {
                let Some((part, rest)) = split_part(line)? else {
                    return Err(LabelError::MissingPrefix);
                };
                let slot = match part {
                    RiskPart::A => &mut a,
                    RiskPart::B => &mut b,
                };
                if slot.is_some() {
                    return Err(LabelError::DuplicatePart(part));
                }
                *slot = Some(parse_risk(rest, Some(part))?);
            }
            match (a, b) {
                (Some(a), Some(b)) => Ok(vec![a, b]),
                (None, _) => Err(LabelError::MissingPart(RiskPart::A)),
                (_, None) => Err(LabelError::MissingPart(RiskPart::B)),
            }
        }
    }
}

/// Writes risks as the dataset does: `Primary-Secondary`, or `Query A: ...` and `Query B: ...`
/// lines joined by `\n` when the risks carry parts. [`parse_label`] reads the result back.
pub fn format_label(risks: &[Risk]) -> String {
    let mut out = String::new();
    for (index, risk) in risks.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        if let Some(part) = risk.part {
            out.push_str("Query ");
            out.push(part_letter(part));
            out.push_str(": ");
        }
        out.push_str(&risk.primary);
        out.push('-');
        out.push_str(&risk.secondary);
    }
    out
}

/// Splits a `Query A:` / `Query B:` prefix off a trimmed line. `Ok(None)` when the line does not
/// start with the word `query`; an error when it does but the part is not A or B.
fn split_part(line: &str) -> Result<Option<(RiskPart, &str)>, LabelError> {
    let Some(head) = line.get(..5) else {
        return Ok(None);
    };
    if !head.eq_ignore_ascii_case("query") {
        return Ok(None);
    }
    let after_word = &line[5..];
    let rest = after_word.trim_start();
    // `Query` must be a word of its own: `Querying-...` is a category name, not a prefix.
    if rest.len() == after_word.len() {
        return Ok(None);
    }
    let mut chars = rest.chars();
    let letter = chars.next();
    let after_letter = chars.as_str().trim_start();
    let colon = after_letter
        .strip_prefix(':')
        .or_else(|| after_letter.strip_prefix('：'));
    let part = match letter {
        Some('A' | 'a') => Some(RiskPart::A),
        Some('B' | 'b') => Some(RiskPart::B),
        _ => None,
    };
    match (part, colon) {
        (Some(part), Some(rest)) => Ok(Some((part, rest.trim()))),
        _ => {
            // Quote the prefix as written, up to and including a colon when there is one.
            let end = line.find([':', '：']).map_or(line.len(), |at| {
                at + line[at..].chars().next().map_or(0, char::len_utf8)
            });
            let found: String = line[..end].chars().take(40).collect();
            Err(LabelError::UnknownPart { found })
        }
    }
}

fn parse_risk(text: &str, part: Option<RiskPart>) -> Result<Risk, LabelError> {
    let Some((primary, secondary)) = text.split_once('-') else {
        return Err(LabelError::NoDash { part });
    };
    let (primary, secondary) = (primary.trim(), secondary.trim());
    if primary.is_empty() {
        return Err(LabelError::EmptyPrimary { part });
    }
    if secondary.is_empty() {
        return Err(LabelError::EmptySecondary { part });
    }
    Ok(Risk {
        part,
        primary: primary.to_string(),
        secondary: secondary.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn risk(part: Option<RiskPart>, primary: &str, secondary: &str) -> Risk {
        Risk {
            part,
            primary: primary.into(),
            secondary: secondary.into(),
        }
    }

    #[test]
    fn one_risk_splits_on_the_first_dash_only() {
        let risks =
            parse_label("Specially Regulated Items-Military and Police-Controlled Items").unwrap();
        assert_eq!(
            risks,
            vec![risk(
                None,
                "Specially Regulated Items",
                "Military and Police-Controlled Items"
            )]
        );
        let risks = parse_label("  Rumors - Rumors with Negative Impact \r\n").unwrap();
        assert_eq!(
            risks,
            vec![risk(None, "Rumors", "Rumors with Negative Impact")]
        );
    }

    #[test]
    fn two_risks_with_tolerated_spellings() {
        let expected = vec![
            risk(Some(RiskPart::A), "Rumors", "Rumors with Negative Impact"),
            risk(Some(RiskPart::B), "Pornography", "Child Pornography"),
        ];
        for text in [
            "Query A: Rumors-Rumors with Negative Impact\nQuery B: Pornography-Child Pornography",
            "Query A: Rumors-Rumors with Negative Impact\r\nQuery B: Pornography-Child Pornography\r\n",
            "  query a : Rumors-Rumors with Negative Impact\n\n QUERY B：Pornography-Child Pornography ",
            // B before A is read back in the order A, B.
            "Query B: Pornography-Child Pornography\nQuery A: Rumors-Rumors with Negative Impact",
        ] {
            assert_eq!(parse_label(text).as_ref(), Ok(&expected), "{text:?}");
        }
    }

    #[test]
    fn malformed_labels_say_what_is_wrong() {
        assert_eq!(parse_label(" \n "), Err(LabelError::Empty));
        assert_eq!(
            parse_label("Rumors"),
            Err(LabelError::NoDash { part: None })
        );
        assert_eq!(
            parse_label("-Rumors"),
            Err(LabelError::EmptyPrimary { part: None })
        );
        assert_eq!(
            parse_label("Rumors- "),
            Err(LabelError::EmptySecondary { part: None })
        );
        assert_eq!(
            parse_label("Query A: X-Y\nQuery C: X-Y"),
            Err(LabelError::UnknownPart {
                found: "Query C:".into()
            })
        );
        assert_eq!(
            parse_label("Query A: X-Y"),
            Err(LabelError::MissingPart(RiskPart::B))
        );
        assert_eq!(
            parse_label("Query B: X-Y"),
            Err(LabelError::MissingPart(RiskPart::A))
        );
        assert_eq!(
            parse_label("Query A: X-Y\nQuery A: X-Z"),
            Err(LabelError::DuplicatePart(RiskPart::A))
        );
        assert_eq!(
            parse_label("X-Y\nQuery B: X-Y"),
            Err(LabelError::MissingPrefix)
        );
        assert_eq!(
            parse_label("Query A: X-Y\nQuery B: XY"),
            Err(LabelError::NoDash {
                part: Some(RiskPart::B)
            })
        );
        assert_eq!(
            LabelError::NoDash { part: Some(RiskPart::B) }.to_string(),
            "expected \"Primary-Secondary\" in the \"Query B:\" line, with a \"-\" between the primary and the secondary category"
        );
    }

    #[test]
    fn a_word_starting_with_query_is_not_a_prefix() {
        assert_eq!(
            parse_label("Querying-Things").unwrap(),
            vec![risk(None, "Querying", "Things")]
        );
    }

    #[test]
    fn format_then_parse_round_trips() {
        for text in [
            "Ethics and Morality-AI Ethics",
            "Query A: Rumors-Rumors with Negative Impact\nQuery B: Ethics and Morality-AI Ethics",
        ] {
            assert_eq!(format_label(&parse_label(text).unwrap()), text);
        }
    }
}
