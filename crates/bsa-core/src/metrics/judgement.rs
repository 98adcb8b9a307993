//! What is known about one side (answer or reasoning) of one sample: a verdict, or why not.

use crate::verdict::{AnswerVerdict, ReasoningVerdict};
use serde::{Deserialize, Serialize};

/// The judge's outcome for one side of a sample.
///
/// Only [`Judgement::Verdict`] enters the metrics in evaluated mode; the other three are counted
/// and shown next to the numbers so that a missing verdict is never mistaken for a wrong one.
/// (Official mode follows the authors' script, where anything that is not the correct label
/// counts as not correct.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Judgement<V> {
    /// The judge gave this verdict.
    Verdict(V),
    /// Not judged yet, or the verdict is missing (an empty cell in a judged CSV).
    Unjudged,
    /// The judge was asked but its reply could not be read, even after retries.
    JudgeError,
    /// The model returned no reasoning trace, so the reasoning judge was never called.
    /// (Meaningful for the reasoning side only; on the answer side it is counted like the others.)
    NoTrace,
}

/// The answer-safety judge's outcome for one sample.
pub type AnswerJudgement = Judgement<AnswerVerdict>;

/// The reasoning judge's outcome for one sample.
pub type ReasoningJudgement = Judgement<ReasoningVerdict>;

impl<V: Copy> Judgement<V> {
    /// The verdict, if there is one.
    pub fn verdict(self) -> Option<V> {
        match self {
            Judgement::Verdict(verdict) => Some(verdict),
            _ => None,
        }
    }

    pub fn is_verdict(self) -> bool {
        matches!(self, Judgement::Verdict(_))
    }
}

/// How many samples of one side got each kind of [`Judgement`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JudgementCounts {
    pub verdicts: usize,
    pub unjudged: usize,
    pub judge_errors: usize,
    pub no_trace: usize,
}

impl JudgementCounts {
    /// All samples counted, whatever their judgement.
    pub fn total(&self) -> usize {
        self.verdicts + self.unjudged + self.judge_errors + self.no_trace
    }

    /// Samples without a verdict.
    pub fn missing(&self) -> usize {
        self.unjudged + self.judge_errors + self.no_trace
    }

    pub(crate) fn add<V>(&mut self, judgement: &Judgement<V>) {
        match judgement {
            Judgement::Verdict(_) => self.verdicts += 1,
            Judgement::Unjudged => self.unjudged += 1,
            Judgement::JudgeError => self.judge_errors += 1,
            Judgement::NoTrace => self.no_trace += 1,
        }
    }
}

/// The [`JudgementCounts`] of both sides of a model's samples.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleCounts {
    /// Samples (rows) of the model, judged or not.
    pub samples: usize,
    pub answer: JudgementCounts,
    pub reasoning: JudgementCounts,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judgements_fit_the_verdicts_own_size() {
        // The CLI holds 230,000 samples: the verdict enums' spare tag values (niches) hold the
        // three non-verdict cases, so a judgement costs no more than its verdict.
        assert_eq!(
            std::mem::size_of::<AnswerJudgement>(),
            std::mem::size_of::<AnswerVerdict>()
        );
        assert_eq!(
            std::mem::size_of::<ReasoningJudgement>(),
            std::mem::size_of::<ReasoningVerdict>()
        );
    }

    #[test]
    fn counts_add_up() {
        let mut counts = JudgementCounts::default();
        for judgement in [
            Judgement::Verdict(AnswerVerdict::Safe),
            Judgement::Unjudged,
            Judgement::JudgeError,
            Judgement::JudgeError,
            Judgement::NoTrace,
        ] {
            counts.add(&judgement);
        }
        assert_eq!(
            counts,
            JudgementCounts {
                verdicts: 1,
                unjudged: 1,
                judge_errors: 2,
                no_trace: 1
            }
        );
        assert_eq!(counts.total(), 5);
        assert_eq!(counts.missing(), 4);
    }
}
