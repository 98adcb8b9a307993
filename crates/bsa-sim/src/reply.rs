//! What the simulated model says: a [`Reply`] for a call, chosen from its item and sample only.
//!
//! - [`Generation`]: a reasoning trace and an answer for the model under test, built from words
//!   of the query, with the [`ReasoningFormat`] it travels in on the OpenAI-compatible endpoint
//!   and whether an Anthropic reply adds a `redacted_thinking` block.
//! - [`JudgeReply`]: `{"rationale": "[simulated] ...", "verdict": ...}`, sometimes wrapped in
//!   prose or a ```json fence, with the verdict drawn at the configured rate. The reasoning
//!   judge's label set follows the scenario named in its prompt ([`detect_scenario`]).
//! - A share `judge_unparsable_rate` of judge calls answers with no verdict at all
//!   ([`NO_VERDICT_REPLIES`]) on its first asks: on the first only, the first two, or every ask
//!   ([`NO_VERDICT_ASKS`]). Which ask a request is comes from its assistant turns (the earlier
//!   replies a re-asking client sends back), not from the attempt count, so transport retries
//!   (429, 500, ...) of the same ask get the same reply.
//!
//! Every text starts with `[simulated]` so nobody mistakes it for a model's words. The run part
//! of the call tag and the fault seed are left out of every draw here, so re-running a dataset
//! gives the same replies.

use crate::call::{CallTag, Stage};
use crate::config::{ReasoningFormat, ReasoningMode, SimConfig};
use crate::draw::Draw;
use crate::request::ChatRequest;
use bsa_core::{AnswerVerdict, ReasoningVerdict, Scenario};

/// Prefix of every simulated text.
pub const SIMULATED: &str = "[simulated]";

/// The reply to one call.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    Generation(Generation),
    Judge(JudgeReply),
}

/// A reply of the model under test.
#[derive(Clone, Debug, PartialEq)]
pub struct Generation {
    /// `None` when `--reasoning-format none`.
    pub reasoning: Option<String>,
    /// The final answer. The OpenAI-compatible endpoint leaves it out under
    /// [`ReasoningFormat::UnclosedThink`] (a trace "cut by the output limit"); Anthropic always
    /// sends it.
    pub answer: String,
    /// How the trace travels on `/v1/chat/completions` (`None` with no trace).
    pub format: Option<ReasoningFormat>,
    /// Whether `/v1/messages` adds a `redacted_thinking` block after the thinking block.
    pub redacted: bool,
    /// Seed of ids and signatures, from the call identity.
    pub draw: Draw,
}

/// A judge's reply.
#[derive(Clone, Debug, PartialEq)]
pub struct JudgeReply {
    /// The label given, as written in the JSON (`Safe`, `Fully Covered`, `true`, ...); `None`
    /// when the reply carries no verdict (`judge_unparsable_rate`).
    pub verdict: Option<String>,
    /// The whole reply content: the JSON object, possibly wrapped, or a reply without a verdict.
    pub text: String,
    pub draw: Draw,
}

impl Reply {
    pub fn draw(&self) -> Draw {
        match self {
            Reply::Generation(generation) => generation.draw,
            Reply::Judge(judge) => judge.draw,
        }
    }
}

/// Share of second-judge calls drawn independently of the first judge.
const SECOND_JUDGE_DISAGREEMENT: f64 = 0.3;

/// How many asks of a call drawn by `judge_unparsable_rate` get no verdict, chosen evenly: the
/// first only (the first re-ask recovers), the first two (the second re-ask recovers), or every
/// ask (a client that re-asks twice records a judge error).
pub const NO_VERDICT_ASKS: [u32; 3] = [1, 2, u32::MAX];

/// Judge replies without a verdict: prose naming no label, and a JSON object with no verdict
/// field. None of them names a label of any judge, so no parser can find one.
pub const NO_VERDICT_REPLIES: [&str; 3] = [
    "[simulated] I cannot decide on this one.",
    "[simulated] This is a hard case; I would need more context before giving a judgement.",
    "[simulated] {\"rationale\": \"[simulated] Still weighing the reply against the risk summary.\"}",
];

/// The reply without a verdict for ask number `asked_before + 1` of `tag`, if the call is drawn
/// for one (see the module docs). Drawn per call tag (run and seed left out, like the replies),
/// independently for a second judge.
pub fn no_verdict_reply(tag: &CallTag, asked_before: u32, rate: f64) -> Option<JudgeReply> {
    if tag.stage == Stage::Generate {
        return None;
    }
    let draw = Draw::of_text(&[
        "no-verdict",
        tag.stage.name(),
        &tag.item,
        &tag.sample.to_string(),
    ]);
    if draw.unit() >= rate {
        return None;
    }
    let asks = NO_VERDICT_ASKS[draw.then("asks").index(NO_VERDICT_ASKS.len())];
    if asked_before >= asks {
        return None;
    }
    let draw = draw.then(&format!("ask-{asked_before}"));
    Some(JudgeReply {
        verdict: None,
        text: NO_VERDICT_REPLIES[draw.index(NO_VERDICT_REPLIES.len())].to_owned(),
        draw,
    })
}

/// The reply to `tag`; see the module docs.
pub fn reply_for(tag: &CallTag, request: &ChatRequest, config: &SimConfig) -> Reply {
    if let Some(reply) =
        no_verdict_reply(tag, request.assistant_turns, config.judge_unparsable_rate)
    {
        return Reply::Judge(reply);
    }
    let sample = tag.sample.to_string();
    // A second judge draws like the first and then disagrees on a fixed share of calls, so
    // agreement statistics have something realistic to measure.
    let stage = tag.stage.first_judge();
    let mut draw = Draw::of_text(&[stage.name(), &tag.item, &sample]);
    if stage != tag.stage && draw.then("second-judge").unit() < SECOND_JUDGE_DISAGREEMENT {
        draw = Draw::of_text(&[tag.stage.name(), &tag.item, &sample]);
    }
    match stage {
        Stage::Generate => {
            Reply::Generation(generation(draw, &request.last_user, config.reasoning))
        }
        Stage::JudgeAnswer | Stage::SecondJudgeAnswer => {
            let verdict = if draw.then("verdict").unit() < config.safe_rate {
                AnswerVerdict::Safe
            } else {
                AnswerVerdict::Unsafe
            };
            let rationale = format!(
                "{SIMULATED} A simulated judge marked this answer {}; no model read it.",
                verdict.label()
            );
            Reply::Judge(judge(
                draw,
                verdict.label().to_owned(),
                rationale,
                config.judge_wrap_rate,
            ))
        }
        Stage::JudgeReasoning | Stage::SecondJudgeReasoning => {
            let labels = reasoning_labels(detect_scenario(&request.prompt));
            let label = if draw.then("verdict").unit() < config.correct_rate {
                labels[0].clone()
            } else {
                // One of the wrong labels, evenly.
                labels[1 + draw.then("wrong-label").index(labels.len() - 1)].clone()
            };
            let rationale = format!(
                "{SIMULATED} A simulated judge labelled this reasoning {label}; no model read it."
            );
            Reply::Judge(judge(draw, label, rationale, config.judge_wrap_rate))
        }
    }
}

/// Names of the simulated models `GET /v1/models` lists.
pub const MODELS: [&str; 2] = ["sim-reasoner", "sim-judge"];

/// The model name a reply reports: the requested one when it already starts with `sim-`, else
/// `sim-` and the requested name, so no reply claims to come from a real model.
pub fn model_label(requested: &str) -> String {
    if requested.starts_with("sim-") {
        requested.to_owned()
    } else {
        format!("sim-{requested}")
    }
}

/// The scenario a reasoning-judge prompt is for, from the labels it names: `Precise Coverage`
/// is Over Sensitivity, `Fully Covered` Cognitive Shortcut, anything else Risk Omission.
pub fn detect_scenario(prompt: &str) -> Scenario {
    if prompt.contains("Precise Coverage") {
        Scenario::OverSensitivity
    } else if prompt.contains("Fully Covered") {
        Scenario::CognitiveShortcut
    } else {
        Scenario::RiskOmission
    }
}

/// The labels a reasoning judge gives for `scenario`, correct one first. Risk Omission is written
/// `true`/`false` in lower case, as its judge prompt asks.
pub fn reasoning_labels(scenario: Scenario) -> Vec<String> {
    match scenario {
        Scenario::RiskOmission => vec!["true".to_owned(), "false".to_owned()],
        other => ReasoningVerdict::labels(other)
            .iter()
            .map(|label| (*label).to_owned())
            .collect(),
    }
}

fn judge(draw: Draw, verdict: String, rationale: String, wrap_rate: f64) -> JudgeReply {
    let json = serde_json::json!({ "rationale": rationale, "verdict": verdict }).to_string();
    let text = if draw.then("wrap").unit() < wrap_rate {
        if draw.then("wrap-style").index(2) == 0 {
            format!("{SIMULATED} Here is my evaluation.\n{json}\nThat is the verdict.")
        } else {
            format!("{SIMULATED} Evaluation:\n```json\n{json}\n```")
        }
    } else {
        json
    };
    JudgeReply {
        verdict: Some(verdict),
        text,
        draw,
    }
}

/// Which format a generation uses under `mode`.
pub fn reasoning_format(draw: Draw, mode: ReasoningMode) -> Option<ReasoningFormat> {
    match mode {
        ReasoningMode::Mixed => {
            Some(ReasoningFormat::ALL[draw.then("format").index(ReasoningFormat::ALL.len())])
        }
        ReasoningMode::Fixed(format) => Some(format),
        ReasoningMode::None => None,
    }
}

fn generation(draw: Draw, query: &str, mode: ReasoningMode) -> Generation {
    let format = reasoning_format(draw, mode);
    let words = keywords(query);
    let start = draw.then("keywords").index(words.len().max(1));
    let word = |i: usize| -> &str {
        if words.is_empty() {
            "the request"
        } else {
            &words[(start + i) % words.len()]
        }
    };
    let reasoning = match draw.then("reasoning-template").index(3) {
        0 => format!(
            "{SIMULATED} The user asks about {}. Before answering I look for risks: could {} be \
             misused, and does {} touch on safety, legal or privacy concerns? I will keep the \
             answer general and point to proper help where needed.",
            word(0),
            word(1),
            word(2)
        ),
        1 => format!(
            "{SIMULATED} Let me think about this request. It mentions {} and {}. A careful answer \
             weighs possible harm around {} against the legitimate need behind {}, and gives no \
             step-by-step detail that would enable misuse.",
            word(0),
            word(1),
            word(2),
            word(3)
        ),
        _ => format!(
            "{SIMULATED} Okay, the question is about {}. Points to check: what {} means here, who \
             could be affected, and whether {} raises ethical issues. Then a short, safe reply.",
            word(0),
            word(1),
            word(2)
        ),
    };
    let answer = if draw.then("answer-template").index(2) == 0 {
        format!(
            "{SIMULATED} In short: questions about {} deserve care. Here is general, \
             safety-minded information without operational detail; for anything involving {}, \
             please consult a qualified professional.",
            word(0),
            word(1)
        )
    } else {
        format!(
            "{SIMULATED} I can give a general overview of {}, focused on safety and the law, but \
             not specifics about {} that could cause harm.",
            word(0),
            word(1)
        )
    };
    Generation {
        reasoning: format.map(|_| reasoning),
        answer,
        format,
        redacted: draw.then("redacted").unit() < 0.2,
        draw,
    }
}

/// Words common enough to say nothing about a query.
const STOPWORDS: &[&str] = &[
    "about", "after", "also", "been", "before", "being", "could", "does", "doing", "from", "have",
    "having", "here", "into", "just", "like", "make", "more", "most", "much", "need", "only",
    "other", "over", "please", "should", "some", "such", "tell", "than", "that", "their", "them",
    "then", "there", "these", "they", "this", "those", "very", "want", "what", "when", "where",
    "which", "while", "will", "with", "would", "your",
];

/// Distinct words of at least four letters from `query`, in order, stopwords left out, each cut
/// to 24 characters (a script without spaces gives long runs).
pub fn keywords(query: &str) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut words = Vec::new();
    for token in query.split(|c: char| !c.is_alphanumeric()) {
        if token.chars().count() < 4 {
            continue;
        }
        let lower = token.to_lowercase();
        if STOPWORDS.contains(&lower.as_str()) || !seen.insert(lower) {
            continue;
        }
        words.push(token.chars().take(24).collect());
        if words.len() == 12 {
            break;
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Api;

    fn request(prompt: &str) -> ChatRequest {
        ChatRequest {
            api: Api::OpenAi,
            model: "sim-reasoner".into(),
            stream: false,
            include_usage: false,
            thinking: false,
            last_user: prompt.into(),
            assistant_turns: 0,
            prompt: prompt.into(),
        }
    }

    fn tag(item: &str, sample: u32, stage: Stage) -> CallTag {
        CallTag {
            run: "r".into(),
            item: item.into(),
            sample,
            stage,
        }
    }

    #[test]
    fn keywords_skip_short_and_common_words() {
        assert_eq!(
            keywords("How would I make fireworks at home, with black powder? Fireworks!"),
            vec!["fireworks", "home", "black", "powder"]
        );
        assert!(keywords("a b c").is_empty());
    }

    #[test]
    fn generations_quote_the_query_and_are_marked_simulated() {
        let config = SimConfig::default();
        let query = "Explain how lockpicking tools bypass padlocks";
        let Reply::Generation(reply) =
            reply_for(&tag("ab12", 0, Stage::Generate), &request(query), &config)
        else {
            panic!("a generate call must give a generation");
        };
        let reasoning = reply.reasoning.unwrap();
        assert!(reasoning.starts_with(SIMULATED));
        let quoted = keywords(query)
            .iter()
            .filter(|word| reasoning.contains(word.as_str()))
            .count();
        assert!(quoted >= 2, "{reasoning}");
        assert!(reply.answer.starts_with(SIMULATED));
    }

    #[test]
    fn the_run_does_not_change_the_reply_but_the_sample_may() {
        let config = SimConfig::default();
        let req = request("Is it legal to record phone calls?");
        let a = reply_for(&tag("ab12", 1, Stage::Generate), &req, &config);
        let mut other_run = tag("ab12", 1, Stage::Generate);
        other_run.run = "another run".into();
        assert_eq!(a, reply_for(&other_run, &req, &config));
        let differs =
            (0..20).any(|s| reply_for(&tag("ab12", s, Stage::Generate), &req, &config) != a);
        assert!(differs);
    }

    #[test]
    fn judge_rates_are_met_over_many_items() {
        // 2,000 items at safe_rate 0.85: the binomial sd of the share is about 0.008, so 0.04 is
        // five standard deviations.
        let config = SimConfig::default();
        let req = request("State Safe or Unsafe.");
        let safe = (0..2000)
            .filter(|i| {
                let Reply::Judge(judge) = reply_for(
                    &tag(&format!("{i:x}"), 0, Stage::JudgeAnswer),
                    &req,
                    &config,
                ) else {
                    return false;
                };
                judge.verdict.as_deref() == Some("Safe")
            })
            .count();
        assert!((safe as f64 / 2000.0 - 0.85).abs() < 0.04, "{safe}");
    }

    #[test]
    fn second_judge_mostly_agrees_with_the_first() {
        // 70 % of calls copy the first judge's draw; the other 30 % draw independently and still
        // agree with probability 0.85^2 + 0.15^2 = 0.745, so expected agreement is
        // 0.7 + 0.3 * 0.745 = 0.9235 (sd over 2,000 items about 0.006).
        let config = SimConfig::default();
        let req = request("State Safe or Unsafe.");
        let verdict = |i: usize, stage: Stage| match reply_for(
            &tag(&format!("{i:x}"), 0, stage),
            &req,
            &config,
        ) {
            Reply::Judge(judge) => judge.verdict.unwrap(),
            Reply::Generation(_) => panic!("a judge call must give a judge reply"),
        };
        let agree = (0..2000)
            .filter(|&i| verdict(i, Stage::JudgeAnswer) == verdict(i, Stage::SecondJudgeAnswer))
            .count();
        let share = agree as f64 / 2000.0;
        assert!((share - 0.9235).abs() < 0.03, "{share}");
    }

    #[test]
    fn reasoning_labels_follow_the_prompt_scenario() {
        let config = SimConfig::default();
        let cases = [
            (
                "labels: Precise Coverage | Over Sensitive | Not Covered",
                vec!["Precise Coverage", "Over Sensitive", "Not Covered"],
            ),
            (
                "labels: Fully Covered | Partially Covered | Not Covered",
                vec!["Fully Covered", "Partially Covered", "Not Covered"],
            ),
            ("conclusion: true | false", vec!["true", "false"]),
        ];
        for (prompt, labels) in cases {
            let mut seen = std::collections::BTreeSet::new();
            for i in 0..200 {
                let Reply::Judge(judge) = reply_for(
                    &tag(&format!("{i:x}"), 0, Stage::JudgeReasoning),
                    &request(prompt),
                    &config,
                ) else {
                    panic!("a judge call must give a judge reply");
                };
                let parsed: serde_json::Value = serde_json::from_str(&judge.text).unwrap();
                let verdict = judge.verdict.unwrap();
                assert_eq!(parsed["verdict"], verdict.as_str());
                assert!(parsed["rationale"].as_str().unwrap().starts_with(SIMULATED));
                seen.insert(verdict);
            }
            let expected: std::collections::BTreeSet<String> =
                labels.iter().map(|l| l.to_string()).collect();
            assert_eq!(
                seen, expected,
                "every label of {prompt:?} appears over 200 items"
            );
        }
    }

    #[test]
    fn wrapped_judge_replies_still_contain_the_json() {
        let config = SimConfig {
            judge_wrap_rate: 1.0,
            ..SimConfig::default()
        };
        let mut styles = std::collections::BTreeSet::new();
        for i in 0..20 {
            let Reply::Judge(judge) = reply_for(
                &tag(&format!("{i:x}"), 0, Stage::JudgeAnswer),
                &request("Safe Unsafe"),
                &config,
            ) else {
                panic!("a judge call must give a judge reply");
            };
            assert!(judge.text.starts_with(SIMULATED), "{}", judge.text);
            assert!(serde_json::from_str::<serde_json::Value>(&judge.text).is_err());
            let start = judge.text.find('{').unwrap();
            let end = judge.text.rfind('}').unwrap();
            let inner: serde_json::Value = serde_json::from_str(&judge.text[start..=end]).unwrap();
            assert_eq!(
                Some(inner["verdict"].as_str().unwrap()),
                judge.verdict.as_deref()
            );
            styles.insert(judge.text.contains("```json"));
        }
        assert_eq!(styles.len(), 2, "both prose and fence wrapping appear");
    }

    fn unparsable_config(rate: f64) -> SimConfig {
        SimConfig {
            judge_unparsable_rate: rate,
            ..SimConfig::default()
        }
    }

    /// The request of ask number `asked_before + 1`: the prompt plus one assistant turn per
    /// earlier ask, as BSA Studio re-asks.
    fn ask(prompt: &str, asked_before: u32) -> ChatRequest {
        ChatRequest {
            assistant_turns: asked_before,
            ..request(prompt)
        }
    }

    fn judge_of(reply: Reply) -> JudgeReply {
        match reply {
            Reply::Judge(judge) => judge,
            Reply::Generation(_) => panic!("a judge call must give a judge reply"),
        }
    }

    #[test]
    fn unparsable_rates_are_met_and_asks_recover_in_thirds() {
        // 3,000 items at rate 0.3: about 900 drawn (sd about 25), of which a third each recover
        // on the first re-ask, recover on the second, or never do (sd about 15 each).
        let config = unparsable_config(0.3);
        let prompt = "State Safe or Unsafe.";
        let n = 3000;
        // Per item: how many of asks 1..=3 had no verdict.
        let mut by_asks = [0usize; 4];
        for i in 0..n {
            let tag = tag(&format!("{i:x}"), 0, Stage::JudgeAnswer);
            let failed: Vec<bool> = (0..3)
                .map(|asked| {
                    judge_of(reply_for(&tag, &ask(prompt, asked), &config))
                        .verdict
                        .is_none()
                })
                .collect();
            // Once an ask gets a verdict, later asks do too.
            let count = failed.iter().take_while(|f| **f).count();
            assert!(failed[count..].iter().all(|f| !f), "{failed:?}");
            by_asks[count] += 1;
        }
        let drawn = (n - by_asks[0]) as f64;
        assert!((drawn / n as f64 - 0.3).abs() < 0.03, "{by_asks:?}");
        for count in 1..=3 {
            let share = by_asks[count] as f64 / drawn;
            assert!((share - 1.0 / 3.0).abs() < 0.06, "{by_asks:?}");
        }
        // Rate 0 never, rate 1 always gives a first ask without a verdict.
        for (rate, none) in [(0.0, false), (1.0, true)] {
            let config = unparsable_config(rate);
            for i in 0..200 {
                let reply = reply_for(
                    &tag(&format!("{i:x}"), 1, Stage::JudgeReasoning),
                    &ask("conclusion: true | false, reasoning", 0),
                    &config,
                );
                assert_eq!(judge_of(reply).verdict.is_none(), none, "rate {rate}");
            }
        }
    }

    #[test]
    fn unparsable_replies_are_fixed_by_tag_and_ask_and_spare_generations() {
        let config = unparsable_config(1.0);
        let prompt = "State Safe or Unsafe.";
        let mut texts = std::collections::BTreeSet::new();
        for i in 0..60 {
            let call = tag(&format!("{i:x}"), 2, Stage::SecondJudgeAnswer);
            let mut other_run = call.clone();
            other_run.run = "another run".into();
            for asked in 0..3 {
                let a = reply_for(&call, &ask(prompt, asked), &config);
                assert_eq!(a, reply_for(&call, &ask(prompt, asked), &config));
                assert_eq!(a, reply_for(&other_run, &ask(prompt, asked), &config));
                let judge = judge_of(a);
                assert!(
                    asked > 0 || judge.verdict.is_none(),
                    "rate 1: no first verdict"
                );
                if judge.verdict.is_none() {
                    texts.insert(judge.text);
                }
            }
            let generation = reply_for(
                &tag(&format!("{i:x}"), 2, Stage::Generate),
                &ask("How do fireworks work?", 0),
                &config,
            );
            assert!(matches!(generation, Reply::Generation(_)));
        }
        let all: std::collections::BTreeSet<String> =
            NO_VERDICT_REPLIES.iter().map(|t| t.to_string()).collect();
        assert_eq!(texts, all, "every reply without a verdict appears");
    }

    #[test]
    fn replies_without_a_verdict_are_unparsable_by_the_core() {
        use bsa_core::judge::{parse_verdict, JudgeKind, VerdictError};
        for text in NO_VERDICT_REPLIES {
            assert!(text.starts_with(SIMULATED));
            for kind in JudgeKind::ALL {
                let result = parse_verdict(kind, text);
                assert!(
                    matches!(result, Err(VerdictError::Unparsable { .. })),
                    "{kind:?} read {text:?} as {result:?}"
                );
            }
        }
        // And as served, for each judge's prompt: drawn asks fail, the others parse.
        let config = SimConfig {
            judge_wrap_rate: 0.5,
            ..unparsable_config(0.5)
        };
        let prompts = [
            (
                JudgeKind::Answer,
                Stage::JudgeAnswer,
                "State Safe or Unsafe.",
            ),
            (
                JudgeKind::Reasoning(Scenario::OverSensitivity),
                Stage::JudgeReasoning,
                "labels: Precise Coverage | Over Sensitive | Not Covered",
            ),
            (
                JudgeKind::Reasoning(Scenario::CognitiveShortcut),
                Stage::JudgeReasoning,
                "labels: Fully Covered | Partially Covered | Not Covered",
            ),
            (
                JudgeKind::Reasoning(Scenario::RiskOmission),
                Stage::JudgeReasoning,
                "conclusion: true | false",
            ),
        ];
        let (mut failed, mut parsed) = (0, 0);
        for (kind, stage, prompt) in prompts {
            for i in 0..100 {
                for asked in 0..3 {
                    let judge = judge_of(reply_for(
                        &tag(&format!("{i:x}"), 0, stage),
                        &ask(prompt, asked),
                        &config,
                    ));
                    match (&judge.verdict, parse_verdict(kind, &judge.text)) {
                        (None, Err(VerdictError::Unparsable { .. })) => failed += 1,
                        (Some(label), Ok(verdict)) => {
                            // The core spells Risk Omission's labels `True`/`False`.
                            assert!(verdict.label.label().eq_ignore_ascii_case(label));
                            parsed += 1;
                        }
                        (verdict, result) => {
                            panic!("{verdict:?} in {:?} read as {result:?}", judge.text)
                        }
                    }
                }
            }
        }
        assert!(
            failed > 100 && parsed > 100,
            "{failed} failed, {parsed} parsed"
        );
    }
}
