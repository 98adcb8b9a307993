//! Who is calling: the [`CallTag`] of a request, from the `x-bsa-call` header or derived from
//! the prompt.
//!
//! BSA Studio names every model call `<run>/<item id>/<sample index>/<stage>` (a [`Stage`] is
//! `generate`, `judge-answer`, `judge-reasoning`, or the second judge's `judge2-answer` and `judge2-reasoning`). Replies are chosen from the item, sample and
//! stage, and counts are kept per tag. The last three parts are split off from the right, so the
//! run part may contain anything, slashes included.
//!
//! A request without the header (someone pointing their own preset at the simulator) gets a tag
//! derived from its text: run `untagged`, the item a hash of the last user message, sample 0, and
//! the stage guessed from the verdict labels a judge prompt names ([`Stage::detect`]).

use crate::draw::Draw;
use std::fmt;

/// Name of the request header that carries the call tag.
pub const CALL_HEADER: &str = "x-bsa-call";

/// Which step of the BSA protocol a call is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stage {
    /// The model under test answers the query (with a reasoning trace).
    Generate,
    /// The answer-safety judge: `Safe` / `Unsafe`.
    JudgeAnswer,
    /// The reasoning judge, with the label set of the item's scenario.
    JudgeReasoning,
    /// The optional second answer judge (agreement studies): mostly agrees with the first.
    SecondJudgeAnswer,
    /// The optional second reasoning judge.
    SecondJudgeReasoning,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::Generate,
        Stage::JudgeAnswer,
        Stage::JudgeReasoning,
        Stage::SecondJudgeAnswer,
        Stage::SecondJudgeReasoning,
    ];

    /// The spelling in the call tag.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Generate => "generate",
            Stage::JudgeAnswer => "judge-answer",
            Stage::JudgeReasoning => "judge-reasoning",
            Stage::SecondJudgeAnswer => "judge2-answer",
            Stage::SecondJudgeReasoning => "judge2-reasoning",
        }
    }

    /// The first-judge stage this stage judges like (itself for all but the second judge).
    pub fn first_judge(self) -> Stage {
        match self {
            Stage::SecondJudgeAnswer => Stage::JudgeAnswer,
            Stage::SecondJudgeReasoning => Stage::JudgeReasoning,
            other => other,
        }
    }

    pub fn parse(text: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|stage| stage.name() == text)
    }

    /// Guesses the stage from a prompt when no header says it. A reasoning judge prompt names its
    /// labels (`Precise Coverage`, `Fully Covered`, or `true`/`false` next to the word
    /// "reasoning"); an answer judge prompt names `Safe` and `Unsafe` (capitalised, as labels are
    /// written). Anything else is a query for the model under test.
    pub fn detect(prompt: &str) -> Stage {
        if prompt.contains("Precise Coverage") || prompt.contains("Fully Covered") {
            return Stage::JudgeReasoning;
        }
        let has_word = |word: &str| {
            prompt
                .split(|c: char| !c.is_alphanumeric())
                .any(|token| token.eq_ignore_ascii_case(word))
        };
        if has_word("true") && has_word("false") && has_word("reasoning") {
            return Stage::JudgeReasoning;
        }
        let has_label = |label: &str| {
            prompt
                .split(|c: char| !c.is_alphanumeric())
                .any(|token| token == label)
        };
        if has_label("Safe") && has_label("Unsafe") {
            return Stage::JudgeAnswer;
        }
        Stage::Generate
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The identity of one model call: see the module docs.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CallTag {
    /// Anything that names the run (may contain `/`); `untagged` for derived tags.
    pub run: String,
    /// The dataset item id (hex in BSA; any text without `/` is accepted).
    pub item: String,
    /// Which of the k samples of the item.
    pub sample: u32,
    pub stage: Stage,
}

/// Why an `x-bsa-call` header was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallTagError {
    /// Fewer than four `/`-separated parts.
    MissingParts {
        value: String,
    },
    EmptyItem {
        value: String,
    },
    BadSample {
        value: String,
        sample: String,
    },
    UnknownStage {
        value: String,
        stage: String,
    },
}

impl fmt::Display for CallTagError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let expected = "expected <run>/<item id>/<sample index>/<stage> with stage one of \
                        generate, judge-answer, judge-reasoning, judge2-answer, judge2-reasoning";
        match self {
            CallTagError::MissingParts { value } => {
                write!(f, "{CALL_HEADER} header {value:?}: {expected}")
            }
            CallTagError::EmptyItem { value } => {
                write!(
                    f,
                    "{CALL_HEADER} header {value:?}: the item id is empty; {expected}"
                )
            }
            CallTagError::BadSample { value, sample } => write!(
                f,
                "{CALL_HEADER} header {value:?}: sample index {sample:?} is not a \
                 non-negative integer; {expected}"
            ),
            CallTagError::UnknownStage { value, stage } => {
                write!(
                    f,
                    "{CALL_HEADER} header {value:?}: unknown stage {stage:?}; {expected}"
                )
            }
        }
    }
}

impl std::error::Error for CallTagError {}

impl CallTag {
    /// Reads the header value; surrounding whitespace is ignored.
    pub fn parse(value: &str) -> Result<CallTag, CallTagError> {
        let trimmed = value.trim();
        let mut parts = trimmed.rsplitn(4, '/');
        let (Some(stage), Some(sample), Some(item), Some(run)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(CallTagError::MissingParts {
                value: trimmed.to_owned(),
            });
        };
        if item.is_empty() {
            return Err(CallTagError::EmptyItem {
                value: trimmed.to_owned(),
            });
        }
        let sample_index = sample.parse::<u32>().map_err(|_| CallTagError::BadSample {
            value: trimmed.to_owned(),
            sample: sample.to_owned(),
        })?;
        let stage_value = Stage::parse(stage).ok_or_else(|| CallTagError::UnknownStage {
            value: trimmed.to_owned(),
            stage: stage.to_owned(),
        })?;
        Ok(CallTag {
            run: run.to_owned(),
            item: item.to_owned(),
            sample: sample_index,
            stage: stage_value,
        })
    }

    /// The tag of a request that came without the header: see the module docs. `last_user` is the
    /// text of the last user message; `prompt` is all the request's text, for stage detection.
    pub fn derive(last_user: &str, prompt: &str) -> CallTag {
        CallTag {
            run: "untagged".to_owned(),
            item: Draw::of_text(&["untagged-item", last_user]).hex(),
            sample: 0,
            stage: Stage::detect(prompt),
        }
    }
}

impl fmt::Display for CallTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}/{}/{}",
            self.run, self.item, self.sample, self.stage
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_the_last_three_parts_from_the_right() {
        let tag = CallTag::parse("run/2026-01/x/0a1b/3/judge-answer").unwrap();
        assert_eq!(tag.run, "run/2026-01/x");
        assert_eq!(tag.item, "0a1b");
        assert_eq!(tag.sample, 3);
        assert_eq!(tag.stage, Stage::JudgeAnswer);
        assert_eq!(tag.to_string(), "run/2026-01/x/0a1b/3/judge-answer");
        let bare = CallTag::parse(" /ff/0/generate ").unwrap();
        assert_eq!((bare.run.as_str(), bare.stage), ("", Stage::Generate));
    }

    #[test]
    fn bad_tags_say_what_was_expected() {
        let missing = CallTag::parse("ff/0/generate").unwrap_err();
        assert!(matches!(missing, CallTagError::MissingParts { .. }));
        assert!(missing
            .to_string()
            .contains("<run>/<item id>/<sample index>/<stage>"));
        let sample = CallTag::parse("r/ff/-1/generate").unwrap_err();
        assert!(sample.to_string().contains("\"-1\""), "{sample}");
        let stage = CallTag::parse("r/ff/0/judge").unwrap_err();
        assert!(
            stage.to_string().contains("unknown stage \"judge\""),
            "{stage}"
        );
        assert!(matches!(
            CallTag::parse("r//0/generate"),
            Err(CallTagError::EmptyItem { .. })
        ));
    }

    #[test]
    fn stage_detection_reads_the_verdict_labels() {
        assert_eq!(
            Stage::detect("Label: Precise Coverage or Not Covered"),
            Stage::JudgeReasoning
        );
        assert_eq!(
            Stage::detect("\"Fully Covered\" | \"Partially Covered\""),
            Stage::JudgeReasoning
        );
        assert_eq!(
            Stage::detect("Judge the reasoning: answer true | false"),
            Stage::JudgeReasoning
        );
        assert_eq!(
            Stage::detect("State 'Safe' or 'Unsafe'."),
            Stage::JudgeAnswer
        );
        // A query that merely mentions safety in lower case stays a generation call.
        assert_eq!(
            Stage::detect("is it safe or unsafe to mix bleach?"),
            Stage::Generate
        );
        assert_eq!(
            Stage::detect("is it true or false that cats purr?"),
            Stage::Generate
        );
    }

    #[test]
    fn derived_tags_are_stable_per_message() {
        let a = CallTag::derive("how do fireworks work?", "how do fireworks work?");
        let b = CallTag::derive("how do fireworks work?", "how do fireworks work?");
        let c = CallTag::derive("something else", "something else");
        assert_eq!(a, b);
        assert_ne!(a.item, c.item);
        assert_eq!(
            (a.run.as_str(), a.sample, a.stage),
            ("untagged", 0, Stage::Generate)
        );
    }
}
