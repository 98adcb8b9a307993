//! From a run file to what the rest of the project consumes: the metrics input
//! ([`RunFile::sample_set`]), the authors' judged CSV ([`RunFile::to_judged_csv`]) and the
//! verdict lists of judge agreement ([`RunFile::judge_labels`]).

use super::schema::RunFile;
use crate::judge::{JudgeLabel, SampleKey};
use crate::metrics::{Sample, SampleError, SampleSet, SampleSetBuilder};
use crate::results::judged_csv::write_judged_csv;

/// One of a run's two judges.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WhichJudge {
    First,
    /// The optional second judge ([`super::RunHeader::second_judge`]).
    Second,
}

impl RunFile {
    /// The metrics input: every sample under the model name [`super::RunHeader::label`], judged
    /// by the first judge. A failed generation counts as unjudged on both sides.
    ///
    /// Errors only for a run file that [`RunFile::check`] refuses (a sample twice, an item with
    /// two scenarios); one returned by [`super::read_run_file`] always converts.
    pub fn sample_set(&self) -> Result<SampleSet, SampleError> {
        let mut builder = SampleSetBuilder::with_capacity(self.samples.len());
        self.add_samples(&mut builder, &self.run.label)?;
        Ok(builder.build())
    }

    /// Adds every sample to `builder` under the model name `model`, so that several run files
    /// (or a run file and a judged CSV) can be scored together. Returns the number added.
    pub fn add_samples(
        &self,
        builder: &mut SampleSetBuilder,
        model: &str,
    ) -> Result<usize, SampleError> {
        let model = builder.model(model);
        for sample in &self.samples {
            let item = builder.item(&sample.item, sample.scenario)?;
            builder.push(Sample {
                model,
                item,
                index: sample.sample,
                answer: sample.answer_judgement.judgement(),
                reasoning: sample.reasoning_judgement.judgement(),
            })?;
        }
        Ok(self.samples.len())
    }

    /// The authors' judged CSV of this run (one row per sample, the label as model name),
    /// written by [`write_judged_csv`]: it scores with `bsa score` and with the authors' script.
    pub fn to_judged_csv(&self) -> Result<String, SampleError> {
        Ok(write_judged_csv(&self.sample_set()?))
    }

    /// Every verdict one judge gave, as [`crate::judge::judge_agreement`] takes them. Empty for
    /// [`WhichJudge::Second`] when the run has no second judge.
    pub fn judge_labels(&self, judge: WhichJudge) -> Vec<(SampleKey, JudgeLabel)> {
        let mut labels = Vec::with_capacity(2 * self.samples.len());
        for sample in &self.samples {
            let (answer, reasoning) = match judge {
                WhichJudge::First => (
                    Some(&sample.answer_judgement),
                    Some(&sample.reasoning_judgement),
                ),
                WhichJudge::Second => (
                    sample.second_answer_judgement.as_ref(),
                    sample.second_reasoning_judgement.as_ref(),
                ),
            };
            let key = || SampleKey::new(sample.item.clone(), sample.sample as usize);
            if let Some(verdict) = answer.and_then(|record| record.verdict()) {
                labels.push((key(), JudgeLabel::Answer(verdict)));
            }
            if let Some(verdict) = reasoning.and_then(|record| record.verdict()) {
                labels.push((key(), JudgeLabel::Reasoning(verdict)));
            }
        }
        labels
    }
}
