//! A checked run configuration: [`RunSettings`] (what `check.rs` raises a valid form to), its
//! [`RunLimits`], and what is derived from it before a run starts: the scheduler's lanes
//! ([`RunLimits::scheduler_config`]), the parameter report a provider would get
//! ([`preview_report`]) and the pre-run estimate ([`RunSettings::estimate`]).
//!
//! Nothing here holds a key; keys travel next to the settings, never inside them.

use super::endpoint::KeySlot;
use bsa_core::dataset::{Item, SubsetSpec};
use bsa_core::judge::{JudgeKind, MAX_JUDGE_ATTEMPTS};
use bsa_core::prompt::{JudgePromptSet, Placeholder, PromptValues, SystemPrompt};
use bsa_core::provider::{
    build_request, ApiKey, ChatPrompt, ConfigError, ModelConfig, ParameterReport,
};
use bsa_core::run::estimate::chars_of;
use bsa_core::run::{
    estimate, AdaptivePolicy, BackoffPolicy, EstimateInput, LaneConfig, OutputExpectation,
    PromptChars, RunEstimate, SchedulerConfig, Stage, StagePrices, TemplateChars,
};
use bsa_core::scenario::Scenario;

/// Limits of a run's calls, the same for each API it calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunLimits {
    /// Calls in flight per API at most.
    pub concurrency: u32,
    pub requests_per_minute: Option<u32>,
    pub timeout_ms: u64,
    pub max_attempts: u32,
}

impl RunLimits {
    /// The scheduler configuration: one lane per distinct API (preset and address), so a rate
    /// limit at the judge's provider does not slow the model under test; stages on the same API
    /// share one lane and its limits. `model` is `None` for imported answers (the generate calls
    /// are all restored as done; they ride in the judge's lane).
    pub fn scheduler_config(
        &self,
        model: Option<&ModelConfig>,
        judge: &ModelConfig,
        second_judge: Option<&ModelConfig>,
        spend_cap_usd: Option<f64>,
        jitter_seed: u64,
    ) -> SchedulerConfig {
        let mut stages: Vec<(KeySlot, String, Vec<Stage>)> = Vec::new();
        let mut place = |config: &ModelConfig, new_stages: &[Stage]| {
            let slot = KeySlot::of(config);
            match stages.iter_mut().find(|(existing, _, _)| *existing == slot) {
                Some((_, _, lane)) => lane.extend_from_slice(new_stages),
                None => stages.push((slot, lane_name(config), new_stages.to_vec())),
            }
        };
        match model {
            Some(model) => place(model, &[Stage::Generate]),
            None => place(judge, &[Stage::Generate]),
        }
        place(judge, &[Stage::JudgeAnswer, Stage::JudgeReasoning]);
        if let Some(second) = second_judge {
            place(
                second,
                &[Stage::SecondJudgeAnswer, Stage::SecondJudgeReasoning],
            );
        }
        SchedulerConfig {
            lanes: stages
                .into_iter()
                .map(|(_, name, stages)| {
                    LaneConfig::new(
                        name,
                        stages,
                        self.concurrency,
                        self.requests_per_minute,
                        self.timeout_ms,
                    )
                })
                .collect(),
            max_attempts: self.max_attempts,
            max_reasks: MAX_JUDGE_ATTEMPTS - 1,
            backoff: BackoffPolicy::default(),
            adaptive: AdaptivePolicy::default(),
            spend_cap_usd,
            jitter_seed,
        }
    }
}

/// A lane's name in the progress panel: the host it calls.
fn lane_name(config: &ModelConfig) -> String {
    config
        .validate()
        .map(|endpoint| endpoint.authority)
        .unwrap_or_else(|_| config.base_url().to_string())
}

/// Everything a run needs besides its items and keys, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct RunSettings {
    /// The run's display name, used as the model name in metrics.
    pub label: String,
    pub model: ModelConfig,
    pub system_prompt: SystemPrompt,
    /// Called at temperature 0.
    pub judge: ModelConfig,
    pub second_judge: Option<ModelConfig>,
    pub prompts: JudgePromptSet,
    pub subset: SubsetSpec,
    pub k: u16,
    pub limits: RunLimits,
    pub prices: StagePrices,
    pub spend_cap_usd: Option<f64>,
    pub expected: OutputExpectation,
}

impl RunSettings {
    /// The estimate for `items` (the run's subset).
    pub fn estimate(&self, items: &[&Item]) -> RunEstimate {
        let templates = template_chars(&self.prompts, &self.system_prompt);
        let prompts: Vec<PromptChars> = items
            .iter()
            .map(|item| {
                PromptChars::from_parts(
                    chars_of(&item.query),
                    chars_of(&item.risk_summary),
                    &templates,
                )
            })
            .collect();
        estimate(&EstimateInput {
            prompts: &prompts,
            samples: self.k,
            second_judge: self.second_judge.is_some(),
            expected: self.expected,
            prices: self.prices,
        })
    }

    /// The scheduler configuration for a fresh run of these settings.
    pub fn scheduler_config(&self, jitter_seed: u64) -> SchedulerConfig {
        self.limits.scheduler_config(
            Some(&self.model),
            &self.judge,
            self.second_judge.as_ref(),
            self.spend_cap_usd,
            jitter_seed,
        )
    }
}

/// Characters of each prompt outside the item's fields: the system prompt for the model, and
/// each template rendered with empty values (the longest reasoning template stands for all
/// three, as the estimate takes one number).
pub fn template_chars(prompts: &JudgePromptSet, system: &SystemPrompt) -> TemplateChars {
    let empty = PromptValues::new()
        .with(Placeholder::Query, "")
        .with(Placeholder::RiskSummary, "")
        .with(Placeholder::Answer, "")
        .with(Placeholder::ReasoningThinking, "");
    let rendered = |kind: JudgeKind| {
        prompts
            .template(kind)
            .render(&empty)
            .map_or(0, |text| chars_of(&text))
    };
    TemplateChars {
        generate: system.text().map_or(0, chars_of),
        judge_answer: rendered(JudgeKind::Answer),
        judge_reasoning: Scenario::ALL
            .into_iter()
            .map(|scenario| rendered(JudgeKind::Reasoning(scenario)))
            .max()
            .unwrap_or(0),
    }
}

/// The parameter report a request with `config` would carry, without a key: nothing is sent,
/// the request is only built (with a stand-in key for presets that need one, since building
/// checks that a key is present).
pub fn preview_report(config: &ModelConfig) -> Result<ParameterReport, ConfigError> {
    let stand_in = ApiKey::new("preview-only-not-a-key");
    build_request(config, Some(&stand_in), &ChatPrompt::user("preview"), None)
        .map(|call| call.report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bsa_core::provider::{Parameter, ParameterOutcome, PresetId};

    fn limits() -> RunLimits {
        RunLimits {
            concurrency: 6,
            requests_per_minute: None,
            timeout_ms: 3_000,
            max_attempts: 6,
        }
    }

    #[test]
    fn one_api_shares_one_lane_and_two_apis_get_two() {
        let sim = ModelConfig::new(PresetId::Simulator, "sim-reasoner");
        let judge = ModelConfig::new(PresetId::Simulator, "sim-judge");
        let config = limits().scheduler_config(Some(&sim), &judge, Some(&judge), None, 0);
        assert_eq!(config.lanes.len(), 1);
        assert_eq!(config.lanes[0].stages.len(), 5);
        assert_eq!(config.lanes[0].max_concurrency, 6);

        let openai = ModelConfig::new(PresetId::OpenAi, "gpt-4o-mini");
        let config = limits().scheduler_config(Some(&sim), &openai, None, Some(1.0), 7);
        assert_eq!(config.lanes.len(), 2);
        assert_eq!(config.lanes[0].stages, vec![Stage::Generate]);
        assert_eq!(
            config.lanes[1].stages,
            vec![Stage::JudgeAnswer, Stage::JudgeReasoning]
        );
        assert_eq!(config.lanes[1].name, "api.openai.com");
        assert_eq!(config.spend_cap_usd, Some(1.0));
        // The judge re-ask budget follows the judge layer's limit (3 replies: 2 re-asks).
        assert_eq!(config.max_reasks, 2);
    }

    #[test]
    fn imported_answers_put_generation_in_the_judge_lane() {
        let judge = ModelConfig::new(PresetId::OpenAi, "gpt-4o-mini");
        let config = limits().scheduler_config(None, &judge, None, None, 0);
        assert_eq!(config.lanes.len(), 1);
        assert_eq!(config.lanes[0].stages[0], Stage::Generate);
    }

    #[test]
    fn the_preview_reports_what_the_provider_rules_do_without_a_key() {
        // OpenAI reasoning models take no temperature: the report says it is dropped.
        let mut config = ModelConfig::new(PresetId::OpenAi, "o3-mini");
        config.parameters.temperature = Some(0.7);
        let report = preview_report(&config).expect("builds without the user's key");
        let entry = report
            .entry(Parameter::Temperature)
            .expect("temperature entry");
        assert_eq!(entry.outcome, ParameterOutcome::Dropped);
    }

    #[test]
    fn template_chars_leave_out_the_placeholders() {
        let prompts = JudgePromptSet::defaults();
        let chars = template_chars(&prompts, &SystemPrompt::None);
        assert_eq!(chars.generate, 0);
        // Independent count: the answer template's source minus its placeholders, with the
        // escaped braces `{{` and `}}` read as one brace each (str.format rules).
        let source = prompts.answer.source();
        let mut stripped = source.to_string();
        for placeholder in Placeholder::ALL {
            stripped = stripped.replace(&format!("{{{}}}", placeholder.name()), "");
        }
        let stripped = stripped.replace("{{", "{").replace("}}", "}");
        assert_eq!(chars.judge_answer, stripped.chars().count() as u64);
        let with_rules = template_chars(&prompts, &SystemPrompt::SafetyRules);
        assert_eq!(
            with_rules.generate,
            bsa_core::prompt::SAFETY_RULES.chars().count() as u64
        );
    }
}
