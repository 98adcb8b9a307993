//! The plan of a run: every call it needs and what each call waits for.
//!
//! - [`RunPlan`]: the items to run (by id, in run order), the number of samples k per item, and
//!   whether a second judge grades too. It numbers every call densely (item, then sample, then
//!   stage) so the scheduler keeps its per-call state in flat vectors.
//! - [`CallKey`]: one call, as (item index into the plan, sample index, [`Stage`]).
//! - [`Stage`]: the model's generation, the answer and reasoning judge calls, and the second
//!   judge's two calls.
//!
//! Dependencies are fixed by the protocol: a sample's judge calls may start once its
//! [`Stage::Generate`] call finished with a completion, and the reasoning judges
//! ([`Stage::needs_reasoning`]) are skipped when that completion carried no reasoning trace.
//!
//! A call's stable text form, `<item id>/<sample>/<stage name>` (for example
//! `0e2a7c51d6b94f38a1c5e9d07b3f6a42/3/judge-reasoning`), names it in storage and, behind the run
//! name, in the simulator's `x-bsa-call` header. It is split from the right, so an item id may
//! itself contain `/`.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;

/// One step of the protocol for one sample.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Stage {
    /// The model under test answers the query (with its reasoning trace, if it gives one).
    #[serde(rename = "generate")]
    Generate,
    /// The answer-safety judge grades the final answer.
    #[serde(rename = "judge-answer")]
    JudgeAnswer,
    /// The reasoning judge grades the reasoning trace.
    #[serde(rename = "judge-reasoning")]
    JudgeReasoning,
    /// The second judge (if configured) grades the final answer.
    #[serde(rename = "judge2-answer")]
    SecondJudgeAnswer,
    /// The second judge (if configured) grades the reasoning trace.
    #[serde(rename = "judge2-reasoning")]
    SecondJudgeReasoning,
}

/// The stages of a plan with one judge, in call-numbering order.
const ONE_JUDGE: [Stage; 3] = [Stage::Generate, Stage::JudgeAnswer, Stage::JudgeReasoning];

impl Stage {
    /// Every stage, in call-numbering order (which is also the declaration order).
    pub const ALL: [Stage; 5] = [
        Stage::Generate,
        Stage::JudgeAnswer,
        Stage::JudgeReasoning,
        Stage::SecondJudgeAnswer,
        Stage::SecondJudgeReasoning,
    ];

    /// The stable name used in call keys, storage and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Generate => "generate",
            Stage::JudgeAnswer => "judge-answer",
            Stage::JudgeReasoning => "judge-reasoning",
            Stage::SecondJudgeAnswer => "judge2-answer",
            Stage::SecondJudgeReasoning => "judge2-reasoning",
        }
    }

    /// A name for people (progress tables, messages).
    pub fn label(self) -> &'static str {
        match self {
            Stage::Generate => "generate",
            Stage::JudgeAnswer => "judge answer",
            Stage::JudgeReasoning => "judge reasoning",
            Stage::SecondJudgeAnswer => "judge answer (2nd)",
            Stage::SecondJudgeReasoning => "judge reasoning (2nd)",
        }
    }

    /// Reads a stable name back ([`Stage::name`]); exact spelling only.
    pub fn parse(text: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|stage| stage.name() == text)
    }

    /// Every stage but [`Stage::Generate`] is a judge call.
    pub fn is_judge(self) -> bool {
        self != Stage::Generate
    }

    /// Judge calls that grade the reasoning trace, skipped when the model returned none.
    pub fn needs_reasoning(self) -> bool {
        matches!(self, Stage::JudgeReasoning | Stage::SecondJudgeReasoning)
    }

    /// Calls made only when a second judge is configured.
    pub fn is_second_judge(self) -> bool {
        matches!(self, Stage::SecondJudgeAnswer | Stage::SecondJudgeReasoning)
    }

    /// Position in call numbering; equals the position in [`Stage::ALL`].
    pub(crate) fn position(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One call of a run. `item` indexes [`RunPlan::item_ids`]; use [`RunPlan::call_name`] for the
/// stable text form with the item id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CallKey {
    pub item: u32,
    pub sample: u16,
    pub stage: Stage,
}

impl CallKey {
    pub fn new(item: u32, sample: u16, stage: Stage) -> CallKey {
        CallKey {
            item,
            sample,
            stage,
        }
    }

    /// The generate call whose completion this call grades (itself for a generate call).
    pub fn generation(self) -> CallKey {
        CallKey {
            stage: Stage::Generate,
            ..self
        }
    }
}

/// The calls of a run: items in run order, k samples each, and the judge stages.
#[derive(Clone, Debug, PartialEq)]
pub struct RunPlan {
    item_ids: Vec<String>,
    positions: HashMap<String, u32>,
    samples: u16,
    stages: &'static [Stage],
}

/// Why a plan could not be built. Positions are 0-based indexes into the given id list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlanError {
    NoItems,
    NoSamples,
    EmptyId {
        position: usize,
    },
    DuplicateId {
        id: String,
        first: usize,
        again: usize,
    },
    /// More calls than the scheduler numbers (`u32`).
    TooManyCalls {
        calls: u64,
    },
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::NoItems => f.write_str("the run has no items: choose at least one item"),
            PlanError::NoSamples => {
                f.write_str("the number of samples per item (k) is 0: expected at least 1")
            }
            PlanError::EmptyId { position } => {
                write!(f, "item {} of the run has an empty id", position + 1)
            }
            PlanError::DuplicateId { id, first, again } => write!(
                f,
                "item id {id:?} appears twice in the run (items {} and {}): ids must be unique",
                first + 1,
                again + 1
            ),
            PlanError::TooManyCalls { calls } => write!(
                f,
                "the run would make {calls} calls, more than a run can hold ({})",
                u32::MAX
            ),
        }
    }
}

impl std::error::Error for PlanError {}

/// Why a call's text form could not be read back. `text` is the whole value that was given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallKeyError {
    /// Fewer than three `/`-separated parts, or an empty item id.
    Shape {
        text: String,
    },
    UnknownItem {
        text: String,
        id: String,
    },
    /// Not a plain decimal number (digits only, no sign, no leading zeros).
    BadSample {
        text: String,
        sample: String,
    },
    SampleOutOfRange {
        text: String,
        sample: u32,
        samples: u16,
    },
    UnknownStage {
        text: String,
        stage: String,
    },
    /// A second-judge stage in a plan without a second judge.
    StageNotPlanned {
        text: String,
        stage: Stage,
    },
}

const CALL_KEY_SHAPE: &str = "expected <item id>/<sample>/<stage> with stage one of generate, \
                              judge-answer, judge-reasoning, judge2-answer, judge2-reasoning";

impl fmt::Display for CallKeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallKeyError::Shape { text } => write!(f, "call key {text:?}: {CALL_KEY_SHAPE}"),
            CallKeyError::UnknownItem { text, id } => {
                write!(f, "call key {text:?}: item {id:?} is not in this run")
            }
            CallKeyError::BadSample { text, sample } => write!(
                f,
                "call key {text:?}: sample {sample:?} is not a sample index (digits, no leading \
                 zeros); {CALL_KEY_SHAPE}"
            ),
            CallKeyError::SampleOutOfRange {
                text,
                sample,
                samples,
            } => write!(
                f,
                "call key {text:?}: sample {sample} is out of range; this run has samples 0 to {}",
                samples.saturating_sub(1)
            ),
            CallKeyError::UnknownStage { text, stage } => {
                write!(
                    f,
                    "call key {text:?}: unknown stage {stage:?}; {CALL_KEY_SHAPE}"
                )
            }
            CallKeyError::StageNotPlanned { text, stage } => write!(
                f,
                "call key {text:?}: stage {stage} belongs to a second judge, and this run has none"
            ),
        }
    }
}

impl std::error::Error for CallKeyError {}

impl RunPlan {
    /// A plan over `item_ids` (run order), `samples` (k) samples each, with the second judge's
    /// stages when `second_judge` is set.
    pub fn new(
        item_ids: Vec<String>,
        samples: u16,
        second_judge: bool,
    ) -> Result<RunPlan, PlanError> {
        if item_ids.is_empty() {
            return Err(PlanError::NoItems);
        }
        if samples == 0 {
            return Err(PlanError::NoSamples);
        }
        let stages: &'static [Stage] = if second_judge {
            &Stage::ALL
        } else {
            &ONE_JUDGE
        };
        let calls = item_ids.len() as u64 * u64::from(samples) * stages.len() as u64;
        if u32::try_from(calls).is_err() {
            return Err(PlanError::TooManyCalls { calls });
        }
        let mut positions = HashMap::with_capacity(item_ids.len());
        for (position, id) in item_ids.iter().enumerate() {
            if id.is_empty() {
                return Err(PlanError::EmptyId { position });
            }
            // Fits: the number of calls, and so of items, was checked against u32 above.
            let index = position as u32;
            if let Some(&first) = positions.get(id.as_str()) {
                return Err(PlanError::DuplicateId {
                    id: id.clone(),
                    first: first as usize,
                    again: position,
                });
            }
            positions.insert(id.clone(), index);
        }
        Ok(RunPlan {
            item_ids,
            positions,
            samples,
            stages,
        })
    }

    /// Item ids in run order; [`CallKey::item`] indexes this slice.
    pub fn item_ids(&self) -> &[String] {
        &self.item_ids
    }

    pub fn item_id(&self, item: u32) -> Option<&str> {
        self.item_ids.get(item as usize).map(String::as_str)
    }

    pub fn item_index(&self, id: &str) -> Option<u32> {
        self.positions.get(id).copied()
    }

    pub fn item_count(&self) -> usize {
        self.item_ids.len()
    }

    /// k: samples per item.
    pub fn samples(&self) -> u16 {
        self.samples
    }

    pub fn has_second_judge(&self) -> bool {
        self.stages.len() == Stage::ALL.len()
    }

    /// The stages of every sample, in call-numbering order.
    pub fn stages(&self) -> &'static [Stage] {
        self.stages
    }

    /// Number of calls of each stage: items x k.
    pub fn calls_per_stage(&self) -> usize {
        self.item_ids.len() * self.samples as usize
    }

    /// Every call of the plan, including reasoning judge calls that will be skipped if the model
    /// gives no trace.
    pub fn call_count(&self) -> usize {
        self.calls_per_stage() * self.stages.len()
    }

    pub fn contains(&self, call: CallKey) -> bool {
        (call.item as usize) < self.item_ids.len()
            && call.sample < self.samples
            && call.stage.position() < self.stages.len()
    }

    /// Every call in plan order: item by item, sample by sample, stage by stage.
    pub fn calls(&self) -> impl Iterator<Item = CallKey> + '_ {
        (0..self.call_count()).map(|index| self.call_at(index))
    }

    /// The stable text form `<item id>/<sample>/<stage>`; `None` for a call outside the plan.
    pub fn call_name(&self, call: CallKey) -> Option<String> {
        if !self.contains(call) {
            return None;
        }
        let id = self.item_id(call.item)?;
        Some(format!("{id}/{}/{}", call.sample, call.stage.name()))
    }

    /// Reads [`RunPlan::call_name`] back. The text is taken exactly as given (no trimming).
    pub fn parse_call(&self, text: &str) -> Result<CallKey, CallKeyError> {
        let shape = || CallKeyError::Shape {
            text: text.to_owned(),
        };
        let mut parts = text.rsplitn(3, '/');
        let (Some(stage), Some(sample), Some(id)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(shape());
        };
        if id.is_empty() {
            return Err(shape());
        }
        let stage = Stage::parse(stage).ok_or_else(|| CallKeyError::UnknownStage {
            text: text.to_owned(),
            stage: stage.to_owned(),
        })?;
        let bad_sample = || CallKeyError::BadSample {
            text: text.to_owned(),
            sample: sample.to_owned(),
        };
        // One spelling per key: `str::parse` would also take "+3" and "03".
        let canonical = !sample.is_empty()
            && sample.bytes().all(|byte| byte.is_ascii_digit())
            && (sample == "0" || !sample.starts_with('0'));
        if !canonical {
            return Err(bad_sample());
        }
        let sample_number: u32 = sample.parse().map_err(|_| bad_sample())?;
        let sample_index = u16::try_from(sample_number)
            .ok()
            .filter(|&index| index < self.samples)
            .ok_or(CallKeyError::SampleOutOfRange {
                text: text.to_owned(),
                sample: sample_number,
                samples: self.samples,
            })?;
        let item = self
            .item_index(id)
            .ok_or_else(|| CallKeyError::UnknownItem {
                text: text.to_owned(),
                id: id.to_owned(),
            })?;
        if stage.position() >= self.stages.len() {
            return Err(CallKeyError::StageNotPlanned {
                text: text.to_owned(),
                stage,
            });
        }
        Ok(CallKey {
            item,
            sample: sample_index,
            stage,
        })
    }

    /// Dense number of a call: `((item * k) + sample) * stages + stage`.
    pub(crate) fn index_of(&self, call: CallKey) -> Option<usize> {
        if !self.contains(call) {
            return None;
        }
        let sample = call.item as usize * self.samples as usize + call.sample as usize;
        Some(sample * self.stages.len() + call.stage.position())
    }

    /// Inverse of [`RunPlan::index_of`]; `index` must be below [`RunPlan::call_count`].
    pub(crate) fn call_at(&self, index: usize) -> CallKey {
        let stages = self.stages.len();
        let sample = index / stages;
        let samples = self.samples as usize;
        CallKey {
            // Below item_count (a u32) when index < call_count.
            item: (sample / samples) as u32,
            sample: (sample % samples) as u16,
            stage: self.stages[index % stages],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(second_judge: bool) -> RunPlan {
        let ids = ["a", "b/with/slashes", "c"].map(String::from).to_vec();
        RunPlan::new(ids, 4, second_judge).unwrap()
    }

    #[test]
    fn every_call_name_reads_back_to_the_same_call() {
        for second in [false, true] {
            let plan = plan(second);
            let mut seen = std::collections::HashSet::new();
            for call in plan.calls() {
                let name = plan.call_name(call).unwrap();
                assert!(seen.insert(name.clone()), "{name} named twice");
                assert_eq!(plan.parse_call(&name), Ok(call), "{name}");
            }
            // 3 items x 4 samples x (3 or 5) stages.
            assert_eq!(seen.len(), 3 * 4 * if second { 5 } else { 3 });
        }
    }

    #[test]
    fn call_names_use_the_stable_stage_names() {
        let plan = plan(true);
        let call = CallKey::new(1, 3, Stage::SecondJudgeReasoning);
        assert_eq!(
            plan.call_name(call).unwrap(),
            "b/with/slashes/3/judge2-reasoning"
        );
        let call = CallKey::new(0, 0, Stage::JudgeAnswer);
        assert_eq!(plan.call_name(call).unwrap(), "a/0/judge-answer");
        // The serde form of a stage is its stable name too.
        assert_eq!(
            serde_json::to_string(&Stage::SecondJudgeAnswer).unwrap(),
            "\"judge2-answer\""
        );
    }

    #[test]
    fn numbering_is_dense_and_in_plan_order() {
        let plan = plan(false);
        for (index, call) in plan.calls().enumerate() {
            assert_eq!(plan.index_of(call), Some(index));
        }
        // Hand-computed: item 2, sample 1, judge-reasoning = ((2*4)+1)*3 + 2 = 29.
        assert_eq!(
            plan.index_of(CallKey::new(2, 1, Stage::JudgeReasoning)),
            Some(29)
        );
        assert_eq!(
            plan.index_of(CallKey::new(2, 1, Stage::SecondJudgeAnswer)),
            None
        );
        assert_eq!(plan.index_of(CallKey::new(3, 0, Stage::Generate)), None);
        assert_eq!(plan.index_of(CallKey::new(0, 4, Stage::Generate)), None);
    }

    #[test]
    fn bad_call_keys_say_what_is_wrong() {
        let plan = plan(false);
        type IsExpected = fn(&CallKeyError) -> bool;
        let cases: [(&str, IsExpected); 9] = [
            ("a/0", |e| matches!(e, CallKeyError::Shape { .. })),
            ("/0/generate", |e| matches!(e, CallKeyError::Shape { .. })),
            ("zz/0/generate", |e| {
                matches!(e, CallKeyError::UnknownItem { .. })
            }),
            ("a/+1/generate", |e| {
                matches!(e, CallKeyError::BadSample { .. })
            }),
            ("a/01/generate", |e| {
                matches!(e, CallKeyError::BadSample { .. })
            }),
            ("a/x/generate", |e| {
                matches!(e, CallKeyError::BadSample { .. })
            }),
            ("a/4/generate", |e| {
                matches!(e, CallKeyError::SampleOutOfRange { sample: 4, .. })
            }),
            ("a/0/judge", |e| {
                matches!(e, CallKeyError::UnknownStage { .. })
            }),
            ("a/0/judge2-answer", |e| {
                matches!(e, CallKeyError::StageNotPlanned { .. })
            }),
        ];
        for (text, is_expected) in cases {
            let error = plan.parse_call(text).unwrap_err();
            assert!(is_expected(&error), "{text}: {error:?}");
            assert!(error.to_string().contains(text), "{error}");
        }
        let error = plan.parse_call("a/0/judge").unwrap_err().to_string();
        assert!(
            error.contains("judge2-reasoning"),
            "lists the stage names: {error}"
        );
        // Huge sample numbers are out of range, not a panic.
        assert!(matches!(
            plan.parse_call("a/99999999999/generate"),
            Err(CallKeyError::BadSample { .. })
        ));
    }

    #[test]
    fn plans_refuse_empty_and_duplicate_input() {
        assert_eq!(RunPlan::new(vec![], 5, false), Err(PlanError::NoItems));
        assert_eq!(
            RunPlan::new(vec!["a".into()], 0, false),
            Err(PlanError::NoSamples)
        );
        assert_eq!(
            RunPlan::new(vec!["a".into(), String::new()], 1, false),
            Err(PlanError::EmptyId { position: 1 })
        );
        let error = RunPlan::new(vec!["a".into(), "b".into(), "a".into()], 1, false).unwrap_err();
        assert_eq!(
            error,
            PlanError::DuplicateId {
                id: "a".into(),
                first: 0,
                again: 2
            }
        );
        assert!(error.to_string().contains("items 1 and 3"), "{error}");
    }
}
