//! One model's samples of one item: compact verdict chips for lists, and the full record (answer,
//! reasoning trace, both verdicts, the judges' rationales) for an opened item.
//!
//! Model output and judge output are untrusted: everything is rendered as text nodes, line
//! breaks kept by CSS, never as HTML.

use crate::components::safety_grid::cell_class;
use crate::state::results::browser::SampleClass;
use bsa_core::metrics::{AnswerJudgement, Judgement, ReasoningJudgement, Sample};
use bsa_core::results::run_file::{Generation, JudgementRecord, RunSample};
use yew::prelude::*;

/// The answer side in words: `Safe`, `Unsafe`, `unjudged`, `judge error`, `no trace`.
pub fn answer_text(judgement: AnswerJudgement) -> String {
    match judgement {
        Judgement::Verdict(verdict) => verdict.label().to_string(),
        other => missing_text(other),
    }
}

/// The reasoning side in words: the judge's label and whether it counts as seeing the risk.
pub fn reasoning_text(judgement: ReasoningJudgement) -> String {
    match judgement {
        Judgement::Verdict(verdict) if verdict.is_correct() => {
            format!("{} (saw the risk)", verdict.label())
        }
        Judgement::Verdict(verdict) => format!("{} (missed the risk)", verdict.label()),
        other => missing_text(other),
    }
}

fn missing_text<V>(judgement: Judgement<V>) -> String {
    match judgement {
        Judgement::Verdict(_) | Judgement::Unjudged => "unjudged",
        Judgement::JudgeError => "judge error",
        Judgement::NoTrace => "no trace",
    }
    .to_string()
}

/// The short text of a sample's chip: `safe · saw`, `unsafe · missed`, `no verdict`.
pub fn chip_text(sample: &Sample) -> String {
    let answer = match sample.answer {
        Judgement::Verdict(verdict) if verdict.is_safe() => "safe",
        Judgement::Verdict(_) => "unsafe",
        _ => "?",
    };
    let reasoning = match sample.reasoning {
        Judgement::Verdict(verdict) if verdict.is_correct() => "saw",
        Judgement::Verdict(_) => "missed",
        Judgement::NoTrace => "no trace",
        _ => "?",
    };
    format!("{answer} · {reasoning}")
}

/// The texts a run file keeps of a sample.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct SampleText {
    /// The final answer, or why generation failed.
    pub answer: Option<String>,
    pub generation_error: Option<String>,
    pub reasoning: Option<String>,
    /// "summary", "partly redacted": what the trace is.
    pub reasoning_note: Option<String>,
    pub answer_rationale: Option<String>,
    pub reasoning_rationale: Option<String>,
    /// A judge that gave no readable verdict: why.
    pub answer_judge_error: Option<String>,
    pub reasoning_judge_error: Option<String>,
}

impl SampleText {
    pub fn of(sample: &RunSample) -> SampleText {
        let mut text = SampleText::default();
        match &sample.generation {
            Generation::Completed(answer) => {
                text.answer = Some(answer.answer.clone());
                if let Some(trace) = &answer.reasoning {
                    text.reasoning = Some(trace.text.clone());
                    let notes: Vec<&str> = [
                        trace
                            .summarized
                            .then_some("a summary by the provider, not the raw trace"),
                        trace.redacted.then_some("partly redacted by the provider"),
                    ]
                    .into_iter()
                    .flatten()
                    .collect();
                    if !notes.is_empty() {
                        text.reasoning_note = Some(notes.join("; "));
                    }
                }
            }
            Generation::Failed(failure) => text.generation_error = Some(failure.message.clone()),
        }
        match &sample.answer_judgement {
            JudgementRecord::Verdict(call) => text.answer_rationale = call.rationale.clone(),
            JudgementRecord::JudgeError(error) => {
                text.answer_judge_error = Some(error.message.clone())
            }
            _ => {}
        }
        match &sample.reasoning_judgement {
            JudgementRecord::Verdict(call) => text.reasoning_rationale = call.rationale.clone(),
            JudgementRecord::JudgeError(error) => {
                text.reasoning_judge_error = Some(error.message.clone())
            }
            _ => {}
        }
        text
    }
}

/// A sample with its texts, when its file has them.
#[derive(Clone, Debug, PartialEq)]
pub struct SampleDetail {
    pub sample: Sample,
    pub text: Option<SampleText>,
}

#[derive(Properties, PartialEq)]
pub struct SampleChipsProps {
    pub samples: Vec<Sample>,
}

/// One chip per sample, coloured (and labelled in words) by its grid cell.
pub fn sample_chips(props: &SampleChipsProps) -> Html {
    html! {
        <span class="sample-chips">
            { for props.samples.iter().map(|sample| {
                let class = match SampleClass::of(sample) {
                    SampleClass::Cell(cell) => cell_class(cell),
                    SampleClass::Missing => "cell-missing",
                };
                let title = format!(
                    "sample {}: answer {}, reasoning {}",
                    sample.index + 1,
                    answer_text(sample.answer),
                    reasoning_text(sample.reasoning)
                );
                html! { <span class={classes!("sample-chip", class)} {title}>{ chip_text(sample) }</span> }
            }) }
        </span>
    }
}

#[derive(Properties, PartialEq)]
pub struct SampleListProps {
    pub samples: Vec<SampleDetail>,
}

/// Every sample in full.
pub fn sample_list(props: &SampleListProps) -> Html {
    let any_text = props.samples.iter().any(|detail| detail.text.is_some());
    html! {
        <div class="sample-list">
            if !any_text {
                <p class="hint">{ "This file is a judged CSV: it holds the verdicts only. Run files also keep answers, reasoning traces and the judges' rationales." }</p>
            }
            { for props.samples.iter().map(|detail| {
                let sample = &detail.sample;
                let class = match SampleClass::of(sample) {
                    SampleClass::Cell(cell) => cell_class(cell),
                    SampleClass::Missing => "cell-missing",
                };
                let block = |title: &str, text: &Option<String>, class: &'static str| match text {
                    Some(text) if !text.trim().is_empty() => html! {
                        <>
                            <h5>{ title.to_string() }</h5>
                            <div class={classes!("text-block", class)}>{ text.clone() }</div>
                        </>
                    },
                    _ => html! {},
                };
                html! {
                    <article class={classes!("sample-record", class)} data-sample={sample.index.to_string()}>
                        <h4>{ format!("Sample {}", sample.index + 1) }</h4>
                        <dl class="sample-verdicts">
                            <dt>{ "Answer" }</dt><dd class="verdict-answer">{ answer_text(sample.answer) }</dd>
                            <dt>{ "Reasoning" }</dt><dd class="verdict-reasoning">{ reasoning_text(sample.reasoning) }</dd>
                        </dl>
                        if let Some(text) = &detail.text {
                            if let Some(error) = &text.generation_error {
                                <p class="field-error">{ format!("The model gave no answer: {error}") }</p>
                            }
                            { block("Reasoning trace", &text.reasoning, "sample-reasoning") }
                            if let Some(note) = &text.reasoning_note {
                                <p class="hint">{ format!("This trace is {note}.") }</p>
                            }
                            { block("Answer", &text.answer, "sample-answer") }
                            { block("Answer judge's rationale", &text.answer_rationale, "sample-rationale") }
                            { block("Reasoning judge's rationale", &text.reasoning_rationale, "sample-rationale") }
                            if let Some(error) = &text.answer_judge_error {
                                <p class="hint">{ format!("Answer judge: {error}") }</p>
                            }
                            if let Some(error) = &text.reasoning_judge_error {
                                <p class="hint">{ format!("Reasoning judge: {error}") }</p>
                            }
                        }
                    </article>
                }
            }) }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bsa_core::verdict::{
        AnswerVerdict, CognitiveShortcutVerdict, ReasoningVerdict, RiskOmissionVerdict,
    };

    #[test]
    fn verdicts_read_as_words() {
        assert_eq!(
            answer_text(Judgement::Verdict(AnswerVerdict::Unsafe)),
            "Unsafe"
        );
        assert_eq!(answer_text(Judgement::JudgeError), "judge error");
        let partial =
            ReasoningVerdict::CognitiveShortcut(CognitiveShortcutVerdict::PartiallyCovered);
        assert!(reasoning_text(Judgement::Verdict(partial)).ends_with("(missed the risk)"));
        let covered = ReasoningVerdict::RiskOmission(RiskOmissionVerdict::Covered);
        assert!(reasoning_text(Judgement::Verdict(covered)).ends_with("(saw the risk)"));
        assert_eq!(reasoning_text(Judgement::NoTrace), "no trace");
    }
}
