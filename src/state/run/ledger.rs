//! [`SampleLedger`]: what the live metrics need of a run, and nothing more: per sample, whether
//! it was generated (with or without a trace) and each judge's label or error. A few bytes per
//! sample, so a 2,000 x 5 run keeps no answer texts in memory for its metrics; the texts stay in
//! IndexedDB.
//!
//! It must agree with the run file: [`SampleLedger::sample_set`] gives the same samples as
//! `RunFile::sample_set` of the assembled file, and [`SampleLedger::labels`] the same as
//! `RunFile::judge_labels` (a test checks both).

use super::record::{CallPayload, CallRecord};
use bsa_core::dataset::Item;
use bsa_core::judge::{JudgeLabel, SampleKey};
use bsa_core::metrics::{Judgement, Sample, SampleError, SampleSet, SampleSetBuilder};
use bsa_core::results::run_file::WhichJudge;
use bsa_core::run::{CallKey, RunPlan, Stage};
use bsa_core::scenario::Scenario;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum GenerationMark {
    #[default]
    Pending,
    Completed {
        trace: bool,
    },
    Failed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum JudgeMark {
    Verdict(JudgeLabel),
    Error,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Entry {
    generation: GenerationMark,
    /// Indexed by stage position - 1 (judge answer, judge reasoning, then the second judge's).
    judges: [Option<JudgeMark>; 4],
}

/// The judgements of a run so far; see the module docs.
#[derive(Clone, Debug, PartialEq)]
pub struct SampleLedger {
    item_ids: Vec<String>,
    scenarios: Vec<Scenario>,
    k: u16,
    second_judge: bool,
    entries: Vec<Entry>,
}

impl SampleLedger {
    /// An empty ledger for `plan`, whose items are `items` (same order).
    pub fn new(plan: &RunPlan, items: &[Item]) -> SampleLedger {
        let k = plan.samples();
        SampleLedger {
            item_ids: items.iter().map(|item| item.id.clone()).collect(),
            scenarios: items.iter().map(|item| item.scenario).collect(),
            k,
            second_judge: plan.has_second_judge(),
            entries: vec![Entry::default(); items.len() * usize::from(k)],
        }
    }

    fn entry_mut(&mut self, call: CallKey) -> Option<&mut Entry> {
        if call.sample >= self.k {
            return None;
        }
        let index = call.item as usize * usize::from(self.k) + usize::from(call.sample);
        self.entries.get_mut(index)
    }

    /// Records a finished call.
    pub fn record(&mut self, call: CallKey, record: &CallRecord) {
        let scenario = self.scenarios.get(call.item as usize).copied();
        let Some(entry) = self.entry_mut(call) else {
            return;
        };
        match call.stage {
            Stage::Generate => {
                entry.generation = match &record.payload {
                    CallPayload::Generation { .. } => GenerationMark::Completed {
                        trace: record.payload.has_trace(),
                    },
                    _ => GenerationMark::Failed,
                };
            }
            stage => {
                let reasoning = stage.needs_reasoning();
                let mark = match &record.payload {
                    CallPayload::Verdict { verdict, .. } => {
                        let fits = match verdict.label {
                            JudgeLabel::Answer(_) => !reasoning,
                            JudgeLabel::Reasoning(verdict) => {
                                reasoning && Some(verdict.scenario()) == scenario
                            }
                        };
                        if fits {
                            JudgeMark::Verdict(verdict.label)
                        } else {
                            JudgeMark::Error
                        }
                    }
                    _ => JudgeMark::Error,
                };
                let slot = match stage {
                    Stage::JudgeAnswer => 0,
                    Stage::JudgeReasoning => 1,
                    Stage::SecondJudgeAnswer => 2,
                    _ => 3,
                };
                entry.judges[slot] = Some(mark);
            }
        }
    }

    /// Samples generated so far (successfully or not).
    pub fn generated(&self) -> usize {
        self.entries
            .iter()
            .filter(|entry| entry.generation != GenerationMark::Pending)
            .count()
    }

    fn judgement<V>(
        entry: &Entry,
        slot: usize,
        pick: impl Fn(JudgeLabel) -> Option<V>,
    ) -> Judgement<V> {
        let reasoning = slot % 2 == 1;
        match entry.generation {
            GenerationMark::Completed { trace: false } if reasoning => Judgement::NoTrace,
            GenerationMark::Completed { .. } => match entry.judges[slot] {
                Some(JudgeMark::Verdict(label)) => match pick(label) {
                    Some(verdict) => Judgement::Verdict(verdict),
                    None => Judgement::JudgeError,
                },
                Some(JudgeMark::Error) => Judgement::JudgeError,
                None => Judgement::Unjudged,
            },
            GenerationMark::Pending | GenerationMark::Failed => Judgement::Unjudged,
        }
    }

    /// The metrics input: every generated sample under `model`, judged by the first judge.
    pub fn sample_set(&self, model: &str) -> Result<SampleSet, SampleError> {
        let mut builder = SampleSetBuilder::with_capacity(self.generated());
        let model = builder.model(model);
        let k = usize::from(self.k);
        for (index, entry) in self.entries.iter().enumerate() {
            if entry.generation == GenerationMark::Pending {
                continue;
            }
            let position = index / k;
            let item = builder.item(&self.item_ids[position], self.scenarios[position])?;
            builder.push(Sample {
                model,
                item,
                index: (index % k) as u32,
                answer: Self::judgement(entry, 0, JudgeLabel::answer),
                reasoning: Self::judgement(entry, 1, JudgeLabel::reasoning),
            })?;
        }
        Ok(builder.build())
    }

    /// Every verdict one judge gave, as `judge_agreement` takes them.
    pub fn labels(&self, judge: WhichJudge) -> Vec<(SampleKey, JudgeLabel)> {
        if judge == WhichJudge::Second && !self.second_judge {
            return Vec::new();
        }
        let base = match judge {
            WhichJudge::First => 0,
            WhichJudge::Second => 2,
        };
        let k = usize::from(self.k);
        let mut labels = Vec::new();
        for (index, entry) in self.entries.iter().enumerate() {
            if entry.generation == GenerationMark::Pending {
                continue;
            }
            let key = || SampleKey::new(self.item_ids[index / k].clone(), index % k);
            if let Judgement::Verdict(verdict) = Self::judgement(entry, base, JudgeLabel::answer) {
                labels.push((key(), JudgeLabel::Answer(verdict)));
            }
            if let Judgement::Verdict(verdict) =
                Self::judgement(entry, base + 1, JudgeLabel::reasoning)
            {
                labels.push((key(), JudgeLabel::Reasoning(verdict)));
            }
        }
        labels
    }
}
