//! What a run will cost before it starts: [`estimate`] gives a [`RunEstimate`].
//!
//! - [`EstimateInput`]: per-item prompt sizes ([`PromptChars`], rendered lengths, or built from
//!   template and field lengths with [`PromptChars::from_parts`]), k, whether a second judge
//!   grades, the user's [`OutputExpectation`] and the [`StagePrices`].
//! - [`Price`] (USD per million input and output tokens) and [`PriceTable`] (editable per-model
//!   prices, JSON in and out). No prices are built in: they change often, and a stale built-in
//!   price would look authoritative. The user enters them or imports a table.
//! - [`RunEstimate`]: calls, input and output tokens and cost per stage and in total, and the
//!   assumptions behind them, in words, for the UI to show next to the numbers.
//!
//! Input tokens are estimated as characters / 4, rounded up per prompt: the usual rule of thumb
//! for English text with current tokenizers (the benchmark is in English). Text in other scripts
//! can take several times more tokens. Output tokens are the user's expectation, not a guess made
//! here: a typical value, or the max-tokens setting for an upper bound.

use crate::run::plan::Stage;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Characters per token in the estimate (see the module docs).
pub const CHARS_PER_TOKEN: u64 = 4;

/// Estimated tokens of a text of `chars` characters: `ceil(chars / 4)`.
pub fn tokens_from_chars(chars: u64) -> u64 {
    chars.div_ceil(CHARS_PER_TOKEN)
}

/// Characters of a text as the estimate counts them (Unicode scalar values, not bytes).
pub fn chars_of(text: &str) -> u64 {
    text.chars().count() as u64
}

/// A model's price in USD per million tokens. Both numbers are finite and non-negative.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawPrice")]
pub struct Price {
    input_usd_per_million: f64,
    output_usd_per_million: f64,
}

#[derive(Deserialize)]
struct RawPrice {
    input_usd_per_million: f64,
    output_usd_per_million: f64,
}

impl TryFrom<RawPrice> for Price {
    type Error = PriceError;

    fn try_from(raw: RawPrice) -> Result<Price, PriceError> {
        Price::new(raw.input_usd_per_million, raw.output_usd_per_million)
    }
}

/// A price that is not a non-negative number.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PriceError {
    /// `input_usd_per_million` or `output_usd_per_million`.
    pub field: &'static str,
    pub value: f64,
}

impl fmt::Display for PriceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is {}: expected a non-negative number of US dollars per million tokens",
            self.field, self.value
        )
    }
}

impl std::error::Error for PriceError {}

impl Price {
    pub fn new(
        input_usd_per_million: f64,
        output_usd_per_million: f64,
    ) -> Result<Price, PriceError> {
        for (field, value) in [
            ("input_usd_per_million", input_usd_per_million),
            ("output_usd_per_million", output_usd_per_million),
        ] {
            if !(value.is_finite() && value >= 0.0) {
                return Err(PriceError { field, value });
            }
        }
        Ok(Price {
            input_usd_per_million,
            output_usd_per_million,
        })
    }

    pub fn input_usd_per_million(&self) -> f64 {
        self.input_usd_per_million
    }

    pub fn output_usd_per_million(&self) -> f64 {
        self.output_usd_per_million
    }

    /// USD for these token counts.
    pub fn cost(&self, input_tokens: u64, output_tokens: u64) -> f64 {
        (input_tokens as f64 * self.input_usd_per_million
            + output_tokens as f64 * self.output_usd_per_million)
            / 1_000_000.0
    }
}

/// One row of a [`PriceTable`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelPrice {
    /// The model name as the provider spells it (`gpt-4o`, `deepseek-reasoner`).
    pub model: String,
    #[serde(flatten)]
    pub price: Price,
}

/// Editable per-model prices. Model names are unique (ignoring ASCII case).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawPriceTable")]
pub struct PriceTable {
    models: Vec<ModelPrice>,
}

#[derive(Deserialize)]
struct RawPriceTable {
    models: Vec<RawModelPrice>,
}

#[derive(Deserialize)]
struct RawModelPrice {
    model: String,
    input_usd_per_million: f64,
    output_usd_per_million: f64,
}

/// Why a price table was refused. Positions are 0-based rows of `models`.
#[derive(Clone, Debug, PartialEq)]
pub enum PriceTableError {
    /// Not JSON of the expected shape; serde_json's message names line and column.
    Json {
        message: String,
    },
    EmptyModel {
        position: usize,
    },
    BadPrice {
        position: usize,
        model: String,
        error: PriceError,
    },
    DuplicateModel {
        model: String,
        first: usize,
        again: usize,
    },
}

impl fmt::Display for PriceTableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PriceTableError::Json { message } => write!(
                f,
                "price table: {message}; expected {{\"models\": [{{\"model\": ..., \
                 \"input_usd_per_million\": ..., \"output_usd_per_million\": ...}}]}}"
            ),
            PriceTableError::EmptyModel { position } => {
                write!(
                    f,
                    "price table row {}: the model name is empty",
                    position + 1
                )
            }
            PriceTableError::BadPrice {
                position,
                model,
                error,
            } => {
                write!(f, "price table row {} ({model:?}): {error}", position + 1)
            }
            PriceTableError::DuplicateModel {
                model,
                first,
                again,
            } => write!(
                f,
                "price table: model {model:?} is priced twice (rows {} and {})",
                first + 1,
                again + 1
            ),
        }
    }
}

impl std::error::Error for PriceTableError {}

impl TryFrom<RawPriceTable> for PriceTable {
    type Error = PriceTableError;

    fn try_from(raw: RawPriceTable) -> Result<PriceTable, PriceTableError> {
        let mut table = PriceTable::default();
        for (position, row) in raw.models.into_iter().enumerate() {
            if row.model.trim().is_empty() {
                return Err(PriceTableError::EmptyModel { position });
            }
            let price = Price::new(row.input_usd_per_million, row.output_usd_per_million).map_err(
                |error| PriceTableError::BadPrice {
                    position,
                    model: row.model.clone(),
                    error,
                },
            )?;
            if let Some(first) = table.position(&row.model) {
                return Err(PriceTableError::DuplicateModel {
                    model: row.model,
                    first,
                    again: position,
                });
            }
            table.models.push(ModelPrice {
                model: row.model,
                price,
            });
        }
        Ok(table)
    }
}

impl PriceTable {
    /// Reads a table from JSON (`{"models": [...]}`), checking every row.
    pub fn from_json(text: &str) -> Result<PriceTable, PriceTableError> {
        let raw: RawPriceTable =
            serde_json::from_str(text).map_err(|error| PriceTableError::Json {
                message: error.to_string(),
            })?;
        PriceTable::try_from(raw)
    }

    pub fn to_json(&self) -> String {
        // A struct of strings and finite numbers always serializes.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    pub fn models(&self) -> &[ModelPrice] {
        &self.models
    }

    fn position(&self, model: &str) -> Option<usize> {
        self.models
            .iter()
            .position(|row| row.model.eq_ignore_ascii_case(model))
    }

    /// The price of `model`, matched ignoring ASCII case.
    pub fn get(&self, model: &str) -> Option<Price> {
        self.position(model)
            .map(|position| self.models[position].price)
    }

    /// Adds or replaces the price of `model`.
    pub fn set(&mut self, model: impl Into<String>, price: Price) {
        let model = model.into();
        match self.position(&model) {
            Some(position) => self.models[position] = ModelPrice { model, price },
            None => self.models.push(ModelPrice { model, price }),
        }
    }

    /// Removes `model`; true if it was there.
    pub fn remove(&mut self, model: &str) -> bool {
        let before = self.models.len();
        self.models
            .retain(|row| !row.model.eq_ignore_ascii_case(model));
        self.models.len() != before
    }
}

/// Template text outside its placeholders, in characters, per prompt.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateChars {
    /// System prompt and any text around the query sent to the model under test.
    pub generate: u64,
    pub judge_answer: u64,
    /// The reasoning judge's template (the longest of the three scenario templates is a safe
    /// choice when one number is wanted).
    pub judge_reasoning: u64,
}

/// One item's prompt text per call, in characters, before the model's output is added: what
/// the rendered prompt would be with the `{answer}` / `{reasoning_thinking}` placeholder empty.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromptChars {
    pub generate: u64,
    pub judge_answer: u64,
    pub judge_reasoning: u64,
}

impl PromptChars {
    /// Prompt sizes from the template sizes and the item's fields: the model reads the query;
    /// both judges read query and risk summary (and the model's answer or trace, added by
    /// [`estimate`] from the expectations).
    pub fn from_parts(
        query_chars: u64,
        risk_summary_chars: u64,
        templates: &TemplateChars,
    ) -> Self {
        let item = query_chars + risk_summary_chars;
        PromptChars {
            generate: templates.generate + query_chars,
            judge_answer: templates.judge_answer + item,
            judge_reasoning: templates.judge_reasoning + item,
        }
    }
}

/// Output tokens per call, as the user expects them (typical values, or max tokens for an upper
/// bound).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputExpectation {
    /// The model's final answer.
    pub answer_tokens: u64,
    /// The model's reasoning (billed as output; read by the reasoning judges).
    pub reasoning_tokens: u64,
    /// A judge's reply (more if the judge is itself a reasoning model).
    pub judge_tokens: u64,
}

/// Prices per role; `None` where unknown (that part's cost is then unknown, not zero).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StagePrices {
    pub model: Option<Price>,
    pub judge: Option<Price>,
    pub second_judge: Option<Price>,
}

impl StagePrices {
    fn of(&self, stage: Stage) -> Option<Price> {
        match stage {
            Stage::Generate => self.model,
            Stage::JudgeAnswer | Stage::JudgeReasoning => self.judge,
            Stage::SecondJudgeAnswer | Stage::SecondJudgeReasoning => self.second_judge,
        }
    }
}

/// Everything [`estimate`] needs.
#[derive(Clone, Debug, PartialEq)]
pub struct EstimateInput<'a> {
    /// One entry per item of the run.
    pub prompts: &'a [PromptChars],
    /// k.
    pub samples: u16,
    pub second_judge: bool,
    pub expected: OutputExpectation,
    pub prices: StagePrices,
}

/// One stage's share of the estimate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageEstimate {
    pub stage: Stage,
    pub calls: u64,
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// `None` when no price is known for the stage's model.
    pub cost_usd: Option<f64>,
}

/// The estimate of a whole run, with its assumptions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunEstimate {
    pub stages: Vec<StageEstimate>,
    pub calls: u64,
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// The whole cost, or `None` when some stage has no price (see `known_cost_usd`).
    pub cost_usd: Option<f64>,
    /// The cost of the stages with a price.
    pub known_cost_usd: f64,
    /// Stages whose cost is unknown for want of a price.
    pub unpriced_stages: Vec<Stage>,
    /// The assumptions behind the numbers, in words, for the UI.
    pub assumptions: Vec<String>,
}

/// Estimates calls, tokens and cost of a run before it starts; see the module docs.
pub fn estimate(input: &EstimateInput<'_>) -> RunEstimate {
    let samples = u64::from(input.samples);
    let items = input.prompts.len() as u64;
    let expected = input.expected;
    let prompt_tokens = |chars: fn(&PromptChars) -> u64| -> u64 {
        input
            .prompts
            .iter()
            .map(|prompt| tokens_from_chars(chars(prompt)))
            .fold(0u64, u64::saturating_add)
    };
    // Saturating arithmetic: the expectations are user input, and absurd values must give
    // absurd numbers, not a panic.
    let generate_in = prompt_tokens(|prompt| prompt.generate);
    let answer_in = prompt_tokens(|prompt| prompt.judge_answer);
    let reasoning_in = prompt_tokens(|prompt| prompt.judge_reasoning);
    let stages: &[Stage] = if input.second_judge {
        &Stage::ALL
    } else {
        &Stage::ALL[..3]
    };
    let calls = items.saturating_mul(samples);
    let per_call = |tokens: u64| calls.saturating_mul(tokens);
    let prompts = |tokens: u64| tokens.saturating_mul(samples);
    let mut estimate = RunEstimate {
        stages: Vec::with_capacity(stages.len()),
        calls: 0,
        input_tokens: 0,
        output_tokens: 0,
        cost_usd: None,
        known_cost_usd: 0.0,
        unpriced_stages: Vec::new(),
        assumptions: Vec::new(),
    };
    for &stage in stages {
        // Per item: the prompt once per sample, plus the model output the judge reads.
        let (input_tokens, output_tokens) = match stage {
            Stage::Generate => (
                prompts(generate_in),
                per_call(
                    expected
                        .answer_tokens
                        .saturating_add(expected.reasoning_tokens),
                ),
            ),
            Stage::JudgeAnswer | Stage::SecondJudgeAnswer => (
                prompts(answer_in).saturating_add(per_call(expected.answer_tokens)),
                per_call(expected.judge_tokens),
            ),
            Stage::JudgeReasoning | Stage::SecondJudgeReasoning => (
                prompts(reasoning_in).saturating_add(per_call(expected.reasoning_tokens)),
                per_call(expected.judge_tokens),
            ),
        };
        let cost_usd = input
            .prices
            .of(stage)
            .map(|price| price.cost(input_tokens, output_tokens));
        match cost_usd {
            Some(cost) => estimate.known_cost_usd += cost,
            None if calls > 0 => estimate.unpriced_stages.push(stage),
            None => {}
        }
        estimate.calls = estimate.calls.saturating_add(calls);
        estimate.input_tokens = estimate.input_tokens.saturating_add(input_tokens);
        estimate.output_tokens = estimate.output_tokens.saturating_add(output_tokens);
        estimate.stages.push(StageEstimate {
            stage,
            calls,
            input_tokens,
            output_tokens,
            cost_usd,
        });
    }
    if estimate.unpriced_stages.is_empty() {
        estimate.cost_usd = Some(estimate.known_cost_usd);
    }
    estimate.assumptions = assumptions(input, &estimate.unpriced_stages);
    estimate
}

fn assumptions(input: &EstimateInput<'_>, unpriced: &[Stage]) -> Vec<String> {
    let expected = input.expected;
    let mut lines = vec![
        format!(
            "{} items x {} samples, each sample a separate request",
            input.prompts.len(),
            input.samples
        ),
        "input tokens = prompt characters / 4, rounded up (a rule of thumb for English text; \
         other scripts can take several times more)"
            .to_owned(),
        format!(
            "model output per call: {} answer + {} reasoning tokens (reasoning is billed as \
             output)",
            expected.answer_tokens, expected.reasoning_tokens
        ),
        format!("judge output per call: {} tokens", expected.judge_tokens),
        "every completion has a reasoning trace, so every reasoning judge call is made".to_owned(),
        "the answer judge reads the answer, the reasoning judge the whole trace".to_owned(),
        "no retries, judge re-asks or failed calls".to_owned(),
    ];
    if input.second_judge {
        lines.push("the second judge gets the same prompts as the first".to_owned());
    }
    for stage in unpriced {
        lines.push(format!(
            "no price for the {} calls: their cost is unknown",
            stage.label()
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_characters_over_four_rounded_up() {
        assert_eq!(tokens_from_chars(0), 0);
        assert_eq!(tokens_from_chars(1), 1);
        assert_eq!(tokens_from_chars(8), 2);
        assert_eq!(tokens_from_chars(9), 3);
        assert_eq!(chars_of("héllo"), 5, "characters, not bytes");
    }

    #[test]
    fn a_small_run_adds_up_by_hand() {
        let templates = TemplateChars {
            generate: 0,
            judge_answer: 100,
            judge_reasoning: 200,
        };
        // Query 40 chars, risk summary 60 chars: generate 40 chars (10 tokens), judge answer
        // 200 chars (50 tokens), judge reasoning 300 chars (75 tokens).
        let prompts = [PromptChars::from_parts(40, 60, &templates); 2];
        let price = Price::new(1.0, 2.0).unwrap();
        let input = EstimateInput {
            prompts: &prompts,
            samples: 3,
            second_judge: false,
            expected: OutputExpectation {
                answer_tokens: 100,
                reasoning_tokens: 500,
                judge_tokens: 10,
            },
            prices: StagePrices {
                model: Some(price),
                judge: Some(price),
                second_judge: None,
            },
        };
        let result = estimate(&input);
        // 2 items x 3 samples = 6 calls per stage.
        let calls: Vec<u64> = result.stages.iter().map(|stage| stage.calls).collect();
        assert_eq!(calls, [6, 6, 6]);
        let generate = &result.stages[0];
        assert_eq!(generate.input_tokens, 6 * 10);
        assert_eq!(generate.output_tokens, 6 * 600);
        let answer = &result.stages[1];
        assert_eq!(answer.input_tokens, 6 * (50 + 100));
        assert_eq!(answer.output_tokens, 6 * 10);
        let reasoning = &result.stages[2];
        assert_eq!(reasoning.input_tokens, 6 * (75 + 500));
        // Input 60 + 900 + 3450 = 4410 tokens at $1/M, output 3600 + 60 + 60 = 3720 at $2/M.
        let cost = result.cost_usd.unwrap();
        assert!(
            (cost - (4410.0 * 1.0 + 3720.0 * 2.0) / 1e6).abs() < 1e-12,
            "{cost}"
        );
        assert_eq!(result.calls, 18);
        assert!(result.unpriced_stages.is_empty());
        assert!(result.assumptions.iter().any(|line| line.contains("/ 4")));
    }

    #[test]
    fn a_missing_price_leaves_the_total_unknown_and_says_so() {
        let prompts = [PromptChars {
            generate: 4,
            judge_answer: 4,
            judge_reasoning: 4,
        }];
        let input = EstimateInput {
            prompts: &prompts,
            samples: 5,
            second_judge: true,
            expected: OutputExpectation {
                answer_tokens: 1,
                reasoning_tokens: 1,
                judge_tokens: 1,
            },
            prices: StagePrices {
                model: Some(Price::new(1.0, 1.0).unwrap()),
                judge: Some(Price::new(1.0, 1.0).unwrap()),
                second_judge: None,
            },
        };
        let result = estimate(&input);
        assert_eq!(result.stages.len(), 5);
        assert_eq!(result.calls, 25);
        assert_eq!(result.cost_usd, None);
        assert_eq!(
            result.unpriced_stages,
            [Stage::SecondJudgeAnswer, Stage::SecondJudgeReasoning]
        );
        assert!(result.known_cost_usd > 0.0);
        assert!(result
            .assumptions
            .iter()
            .any(|line| line.contains("judge answer (2nd)")));
    }

    #[test]
    fn absurd_expectations_saturate_instead_of_panicking() {
        let prompts = [PromptChars {
            generate: u64::MAX,
            judge_answer: 1,
            judge_reasoning: 1,
        }; 3];
        let input = EstimateInput {
            prompts: &prompts,
            samples: u16::MAX,
            second_judge: false,
            expected: OutputExpectation {
                answer_tokens: u64::MAX,
                reasoning_tokens: u64::MAX,
                judge_tokens: 1,
            },
            prices: StagePrices::default(),
        };
        let result = estimate(&input);
        assert_eq!(result.input_tokens, u64::MAX);
        assert_eq!(result.stages[0].output_tokens, u64::MAX);
        assert_eq!(result.calls, 3 * 3 * u64::from(u16::MAX));
    }

    #[test]
    fn price_tables_round_trip_and_refuse_bad_rows() {
        let mut table = PriceTable::default();
        table.set("model-a", Price::new(0.5, 1.5).unwrap());
        table.set("Model-B", Price::new(3.0, 15.0).unwrap());
        table.set("MODEL-A", Price::new(0.25, 1.0).unwrap());
        assert_eq!(table.models().len(), 2, "set replaces ignoring case");
        let back = PriceTable::from_json(&table.to_json()).unwrap();
        assert_eq!(back, table);
        assert_eq!(
            back.get("model-b")
                .map(|price| price.output_usd_per_million()),
            Some(15.0)
        );
        let nested: PriceTable = serde_json::from_str(&table.to_json()).unwrap();
        assert_eq!(nested, table);
        assert!(table.remove("model-a"));
        assert!(!table.remove("model-a"));

        let negative = r#"{"models": [{"model": "x", "input_usd_per_million": 1,
            "output_usd_per_million": 1}, {"model": "y", "input_usd_per_million": -1,
            "output_usd_per_million": 1}]}"#;
        let error = PriceTable::from_json(negative).unwrap_err();
        assert!(
            matches!(error, PriceTableError::BadPrice { position: 1, .. }),
            "{error:?}"
        );
        assert!(error.to_string().contains("row 2"), "{error}");
        assert!(serde_json::from_str::<PriceTable>(negative).is_err());
        let twice = r#"{"models": [{"model": "x", "input_usd_per_million": 1,
            "output_usd_per_million": 1}, {"model": "X", "input_usd_per_million": 2,
            "output_usd_per_million": 2}]}"#;
        assert!(matches!(
            PriceTable::from_json(twice),
            Err(PriceTableError::DuplicateModel {
                first: 0,
                again: 1,
                ..
            })
        ));
        let error = PriceTable::from_json("{\"models\": 3}").unwrap_err();
        assert!(error.to_string().contains("line 1"), "{error}");
    }
}
