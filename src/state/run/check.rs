//! Checking the run form: [`check_form`] reads every field of a [`RunForm`], and returns a
//! [`FormCheck`]: the [`RunSettings`] when nothing is wrong, every problem tied to its
//! [`FieldId`] (so the page can show it next to the field and link to it), warnings, the
//! chosen item ids and the parameter report of each endpoint.
//!
//! The checks that belong to the core stay there (`ModelConfig::validate`, template parsing and
//! `check_template`); this module only turns text into numbers and routes the core's errors to
//! the field that caused them.

use super::endpoint::{EndpointForm, EndpointRole};
use super::form::{FieldId, ReasoningChoice, RunForm, SubsetChoice, SystemChoice};
use super::settings::{preview_report, RunLimits, RunSettings};
use bsa_core::dataset::{Dataset, SubsetSpec};
use bsa_core::judge::JudgeKind;
use bsa_core::prompt::{check_template, JudgePromptSet, PromptTemplate, Severity, SystemPrompt};
use bsa_core::provider::{
    ConfigError, ModelConfig, Parameter, ParameterReport, Parameters, ReasoningControl,
    ReasoningEffort,
};
use bsa_core::run::{OutputExpectation, Price, StagePrices};
use bsa_core::scenario::Scenario;
use std::str::FromStr;

/// A problem (or warning) about one field.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldProblem {
    pub field: FieldId,
    pub message: String,
}

/// What [`check_form`] found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FormCheck {
    pub errors: Vec<FieldProblem>,
    pub warnings: Vec<FieldProblem>,
    /// `Some` exactly when there are no errors.
    pub settings: Option<RunSettings>,
    /// The chosen items, in dataset order (empty without a dataset).
    pub item_ids: Vec<String>,
    /// Items the chosen scenarios offer (before sampling).
    pub available: usize,
    /// What each endpoint would be sent, for the roles whose configuration is valid.
    pub reports: Vec<(EndpointRole, ParameterReport)>,
}

impl FormCheck {
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty() && self.settings.is_some()
    }

    /// Errors of one field.
    pub fn errors_for(&self, field: FieldId) -> impl Iterator<Item = &FieldProblem> + '_ {
        self.errors
            .iter()
            .filter(move |problem| problem.field == field)
    }

    pub fn warnings_for(&self, field: FieldId) -> impl Iterator<Item = &FieldProblem> + '_ {
        self.warnings
            .iter()
            .filter(move |problem| problem.field == field)
    }

    pub fn report(&self, role: EndpointRole) -> Option<&ParameterReport> {
        self.reports
            .iter()
            .find(|(r, _)| *r == role)
            .map(|(_, report)| report)
    }
}

/// Collects problems while reading fields.
struct Checker<'a> {
    form: &'a RunForm,
    check: FormCheck,
}

impl Checker<'_> {
    fn error(&mut self, field: FieldId, message: impl Into<String>) {
        self.check.errors.push(FieldProblem {
            field,
            message: message.into(),
        });
    }

    fn warning(&mut self, field: FieldId, message: impl Into<String>) {
        self.check.warnings.push(FieldProblem {
            field,
            message: message.into(),
        });
    }

    fn text(&self, field: FieldId) -> &str {
        self.form.text(field).unwrap_or_default().trim()
    }

    /// An optional number: empty is `None`.
    fn optional<T: FromStr>(&mut self, field: FieldId, expected: &str) -> Option<T> {
        let text = self.text(field);
        if text.is_empty() {
            return None;
        }
        match text.parse::<T>() {
            Ok(value) => Some(value),
            Err(_) => {
                let message = format!("\"{text}\" is not {expected}");
                self.error(field, message);
                None
            }
        }
    }

    /// A whole number in `min..=max`; `None` after recording the problem.
    fn count(&mut self, field: FieldId, min: u64, max: u64) -> Option<u64> {
        let text = self.text(field);
        let expected = format!("a whole number from {min} to {max}");
        if text.is_empty() {
            self.error(field, format!("empty: expected {expected}"));
            return None;
        }
        match text.parse::<u64>() {
            Ok(value) if (min..=max).contains(&value) => Some(value),
            _ => {
                let message = format!("\"{text}\": expected {expected}");
                self.error(field, message);
                None
            }
        }
    }

    fn optional_count(&mut self, field: FieldId, min: u64, max: u64) -> Option<Option<u64>> {
        if self.text(field).is_empty() {
            return Some(None);
        }
        self.count(field, min, max).map(Some)
    }

    fn price(&mut self, role: EndpointRole) -> Option<Price> {
        let endpoint = self.form.endpoint(role);
        let (input, output) = (endpoint.price_input.trim(), endpoint.price_output.trim());
        if input.is_empty() && output.is_empty() {
            return None;
        }
        let number = |checker: &mut Checker, field: FieldId, text: &str| {
            if text.is_empty() {
                checker.error(
                    field,
                    "empty: enter both prices (USD per million tokens) or neither",
                );
                return None;
            }
            match text.parse::<f64>() {
                Ok(value) if value.is_finite() && value >= 0.0 => Some(value),
                _ => {
                    checker.error(
                        field,
                        format!("\"{text}\": expected a non-negative number of US dollars per million tokens"),
                    );
                    None
                }
            }
        };
        let input = number(self, FieldId::PriceInput(role), input);
        let output = number(self, FieldId::PriceOutput(role), output);
        Price::new(input?, output?).ok()
    }

    /// An endpoint's configuration with `parameters`, checked; its parameter report on success.
    fn endpoint(&mut self, role: EndpointRole, parameters: Parameters) -> Option<ModelConfig> {
        let form: &EndpointForm = self.form.endpoint(role);
        let (mut config, header_problems) = form.config();
        let key_missing = form.key().is_none();
        for (line, message) in header_problems {
            self.error(FieldId::Headers(role), format!("line {line}: {message}"));
        }
        config.parameters = parameters;
        let mut ok = true;
        if let Err(error) = config.validate() {
            let field = config_error_field(role, &error);
            self.error(field, error.to_string());
            ok = false;
        }
        if config.key_required() && key_missing {
            self.error(
                FieldId::Key(role),
                format!("{} needs an API key: paste it here", config.preset),
            );
        }
        if !ok {
            return None;
        }
        match preview_report(&config) {
            Ok(report) => {
                self.check.reports.push((role, report));
                Some(config)
            }
            Err(error) => {
                let field = config_error_field(role, &error);
                self.error(field, error.to_string());
                None
            }
        }
    }

    fn model_parameters(&mut self) -> Parameters {
        let temperature = self.optional::<f64>(FieldId::Temperature, "a number, e.g. 0.6");
        let top_p = self.optional::<f64>(FieldId::TopP, "a number, e.g. 0.95");
        let max_tokens = self
            .optional_count(FieldId::MaxTokens, 1, u64::from(u32::MAX))
            .flatten()
            .map(|n| n as u32);
        let parameters = &self.form.parameters;
        let reasoning = match parameters.reasoning {
            ReasoningChoice::ProviderDefault => ReasoningControl::ProviderDefault,
            ReasoningChoice::Off => ReasoningControl::Off,
            ReasoningChoice::Minimal => ReasoningControl::Effort(ReasoningEffort::Minimal),
            ReasoningChoice::Low => ReasoningControl::Effort(ReasoningEffort::Low),
            ReasoningChoice::Medium => ReasoningControl::Effort(ReasoningEffort::Medium),
            ReasoningChoice::High => ReasoningControl::Effort(ReasoningEffort::High),
            ReasoningChoice::Budget => {
                match self.count(FieldId::ReasoningBudget, 1, u64::from(u32::MAX)) {
                    Some(budget) => ReasoningControl::BudgetTokens(budget as u32),
                    None => ReasoningControl::ProviderDefault,
                }
            }
        };
        Parameters {
            temperature,
            top_p,
            max_tokens,
            reasoning,
            stream: self.form.parameters.stream,
        }
    }

    fn judge_parameters(&mut self) -> Parameters {
        let max_tokens = self
            .optional_count(FieldId::JudgeMaxTokens, 1, u64::from(u32::MAX))
            .flatten()
            .map(|n| n as u32);
        Parameters {
            // A verdict should depend on the prompt and the sample, not on sampling.
            temperature: Some(0.0),
            max_tokens,
            ..Parameters::default()
        }
    }

    fn prompts(&mut self) -> Option<JudgePromptSet> {
        let mut set = JudgePromptSet::defaults();
        let mut ok = true;
        for kind in JudgeKind::ALL {
            let field = FieldId::Template(kind);
            let source = self.form.templates.get(kind);
            match PromptTemplate::parse(source) {
                Ok(template) => {
                    for issue in check_template(&template, kind) {
                        match issue.severity {
                            Severity::Error => {
                                ok = false;
                                self.error(field, issue.kind.to_string());
                            }
                            Severity::Warning => self.warning(field, issue.kind.to_string()),
                        }
                    }
                    set.set_template(kind, template);
                }
                Err(errors) => {
                    ok = false;
                    for error in errors.errors() {
                        self.error(
                            field,
                            format!(
                                "line {}, character {}: {}",
                                error.line, error.character, error.kind
                            ),
                        );
                    }
                }
            }
        }
        ok.then_some(set)
    }

    fn subset(&mut self, dataset: Option<&Dataset>) -> Option<SubsetSpec> {
        let ticked: Vec<Scenario> = Scenario::ALL
            .into_iter()
            .zip(self.form.scenarios)
            .filter_map(|(scenario, on)| on.then_some(scenario))
            .collect();
        let scenarios = if ticked.len() == Scenario::ALL.len() {
            Vec::new()
        } else {
            ticked.clone()
        };
        let spec = match self.form.subset {
            SubsetChoice::All => SubsetSpec::all(),
            SubsetChoice::Scenarios | SubsetChoice::Sample if ticked.is_empty() => {
                self.error(FieldId::Subset, "no scenario ticked: tick at least one");
                return None;
            }
            SubsetChoice::Scenarios => SubsetSpec::of_scenarios(&scenarios),
            SubsetChoice::Sample => {
                let n = self.count(FieldId::SampleSize, 1, 1_000_000);
                let seed = match self.text(FieldId::Seed) {
                    "" => Some(0),
                    _ => self.count(FieldId::Seed, 0, u64::MAX),
                };
                SubsetSpec {
                    scenarios,
                    n: Some(n? as usize),
                    seed: seed?,
                }
            }
        };
        let Some(dataset) = dataset else {
            self.error(
                FieldId::Subset,
                "no dataset is loaded: load one on the Dataset page",
            );
            return None;
        };
        let available = SubsetSpec {
            n: None,
            ..spec.clone()
        }
        .select(dataset)
        .len();
        self.check.available = available;
        let chosen = spec.select(dataset);
        if chosen.is_empty() {
            self.error(
                FieldId::Subset,
                "these settings choose no item of the dataset",
            );
            return None;
        }
        if let Some(n) = spec.n {
            if n > available {
                self.warning(
                    FieldId::SampleSize,
                    format!("only {available} items are available: all of them are taken"),
                );
            }
        }
        self.check.item_ids = chosen.ids;
        Some(spec)
    }
}

/// The field a configuration error belongs to.
fn config_error_field(role: EndpointRole, error: &ConfigError) -> FieldId {
    match error {
        ConfigError::EmptyModel => FieldId::ModelName(role),
        ConfigError::MissingBaseUrl | ConfigError::BadBaseUrl { .. } => FieldId::BaseUrl(role),
        ConfigError::MissingKey { .. } => FieldId::Key(role),
        ConfigError::BadHeader { .. }
        | ConfigError::CredentialHeader { .. }
        | ConfigError::ReservedHeader { .. } => FieldId::Headers(role),
        ConfigError::Parameter(error) => match (role, error.parameter) {
            (EndpointRole::Model, Parameter::Temperature) => FieldId::Temperature,
            (EndpointRole::Model, Parameter::TopP) => FieldId::TopP,
            (EndpointRole::Model, Parameter::Reasoning) => FieldId::ReasoningBudget,
            (EndpointRole::Model, _) => FieldId::MaxTokens,
            (_, _) => FieldId::JudgeMaxTokens,
        },
        _ => FieldId::Preset(role),
    }
}

/// Checks every field; see the module docs.
pub fn check_form(form: &RunForm, dataset: Option<&Dataset>) -> FormCheck {
    let mut checker = Checker {
        form,
        check: FormCheck::default(),
    };
    let model_parameters = checker.model_parameters();
    let model = checker.endpoint(EndpointRole::Model, model_parameters);
    let judge_parameters = checker.judge_parameters();
    let judge = checker.endpoint(EndpointRole::Judge, judge_parameters.clone());
    let second_judge = if form.second_judge_enabled {
        Some(checker.endpoint(EndpointRole::SecondJudge, judge_parameters))
    } else {
        None
    };
    let system_prompt = match form.system {
        SystemChoice::None => SystemPrompt::None,
        SystemChoice::SafetyRules => SystemPrompt::SafetyRules,
        SystemChoice::Custom => {
            if form.custom_system.trim().is_empty() {
                checker.warning(
                    FieldId::SystemPrompt,
                    "the custom system prompt is empty: no system message will be sent",
                );
            }
            SystemPrompt::Custom(form.custom_system.clone())
        }
    };
    let prompts = checker.prompts();
    let subset = checker.subset(dataset);
    let k = checker.count(FieldId::K, 1, 50).map(|k| k as u16);
    if k.is_some_and(|k| k != 5) {
        checker.warning(
            FieldId::K,
            "the paper uses k = 5: Safe@k and Think@k with another k are not comparable to the leaderboard",
        );
    }
    let concurrency = checker.count(FieldId::Concurrency, 1, 64).map(|c| c as u32);
    let requests_per_minute = checker
        .optional_count(FieldId::RequestsPerMinute, 1, 1_000_000)
        .map(|rpm| rpm.map(|r| r as u32));
    let timeout_ms = match checker.optional::<f64>(FieldId::Timeout, "a number of seconds") {
        Some(seconds) if (0.1..=86_400.0).contains(&seconds) => {
            Some((seconds * 1000.0).round() as u64)
        }
        Some(_) => {
            checker.error(FieldId::Timeout, "expected from 0.1 to 86400 seconds");
            None
        }
        None if checker.text(FieldId::Timeout).is_empty() => {
            checker.error(
                FieldId::Timeout,
                "empty: expected a number of seconds, e.g. 600",
            );
            None
        }
        None => None,
    };
    let max_attempts = checker.count(FieldId::MaxAttempts, 1, 20).map(|n| n as u32);
    let spend_cap_usd = match checker.optional::<f64>(FieldId::SpendCap, "a number of US dollars") {
        Some(cap) if !(cap.is_finite() && cap >= 0.0) => {
            checker.error(
                FieldId::SpendCap,
                "expected a non-negative number of US dollars",
            );
            None
        }
        other => other,
    };
    let prices = StagePrices {
        model: checker.price(EndpointRole::Model),
        judge: checker.price(EndpointRole::Judge),
        second_judge: if form.second_judge_enabled {
            checker.price(EndpointRole::SecondJudge)
        } else {
            None
        },
    };
    if spend_cap_usd.is_some() && (prices.model.is_none() || prices.judge.is_none()) {
        checker.warning(
            FieldId::SpendCap,
            "the cap counts only calls with a known price: enter the prices of the model and the judge",
        );
    }
    let expected = (
        checker.count(FieldId::ExpectAnswer, 0, 10_000_000),
        checker.count(FieldId::ExpectReasoning, 0, 10_000_000),
        checker.count(FieldId::ExpectJudge, 0, 10_000_000),
    );
    let label = match form.label.trim() {
        "" => form.model.model.trim().to_string(),
        label => label.to_string(),
    };
    if label.is_empty() {
        checker.error(
            FieldId::Label,
            "empty: name the run (or enter a model name)",
        );
    }

    let mut check = checker.check;
    if !check.errors.is_empty() {
        return check;
    }
    let (
        Some(model),
        Some(judge),
        Some(prompts),
        Some(subset),
        Some(k),
        Some(concurrency),
        Some(requests_per_minute),
        Some(timeout_ms),
        Some(max_attempts),
        (Some(answer_tokens), Some(reasoning_tokens), Some(judge_tokens)),
    ) = (
        model,
        judge,
        prompts,
        subset,
        k,
        concurrency,
        requests_per_minute,
        timeout_ms,
        max_attempts,
        expected,
    )
    else {
        return check;
    };
    let second_judge = match second_judge {
        Some(None) => return check,
        Some(Some(config)) => Some(config),
        None => None,
    };
    check.settings = Some(RunSettings {
        label,
        model,
        system_prompt,
        judge,
        second_judge,
        prompts,
        subset,
        k,
        limits: RunLimits {
            concurrency,
            requests_per_minute,
            timeout_ms,
            max_attempts,
        },
        prices,
        spend_cap_usd,
        expected: OutputExpectation {
            answer_tokens,
            reasoning_tokens,
            judge_tokens,
        },
    });
    check
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::run::endpoint::KeyInput;
    use crate::state::run::form::FormEdit;
    use bsa_core::dataset::read::read_dataset;
    use bsa_core::provider::PresetId;

    /// Six items, two per scenario.
    fn dataset() -> Dataset {
        let mut csv = String::from("id,query,risk_summary,dataset_name,label\n");
        for (i, scenario) in ["Risk Omission", "Over Sensitivity"].iter().enumerate() {
            for j in 0..2 {
                csv.push_str(&format!(
                    "s{i}{j},query {i}{j},summary,{scenario},Rumors-Rumors\n"
                ));
            }
        }
        for j in 0..2 {
            csv.push_str(&format!(
                "c{j},query c{j},\"Query A: a\nQuery B: b\",Cognitive Shortcut,\"Query A: Rumors-Rumors\nQuery B: Rumors-Rumors\"\n"
            ));
        }
        let read = read_dataset("test.csv", csv.as_bytes());
        assert!(read.problems.is_empty(), "{:?}", read.problems);
        read.dataset
    }

    #[test]
    fn the_default_form_is_valid_with_a_dataset_and_not_without() {
        let form = RunForm::default();
        let check = check_form(&form, Some(&dataset()));
        assert!(check.errors.is_empty(), "{:?}", check.errors);
        let settings = check.settings.clone().expect("valid");
        assert_eq!(settings.k, 5);
        assert_eq!(settings.judge.parameters.temperature, Some(0.0));
        assert_eq!(check.item_ids.len(), 6);
        assert!(check.report(EndpointRole::Model).is_some());

        let without = check_form(&form, None);
        assert!(without.settings.is_none());
        assert_eq!(without.errors_for(FieldId::Subset).count(), 1);
    }

    #[test]
    fn problems_land_on_their_fields() {
        let mut form = RunForm::default();
        form.apply(FormEdit::Text(FieldId::K, "0".into()));
        form.apply(FormEdit::Text(FieldId::Temperature, "hot".into()));
        form.apply(FormEdit::Text(
            FieldId::BaseUrl(EndpointRole::Judge),
            "ftp://x".into(),
        ));
        form.apply(FormEdit::Text(FieldId::Concurrency, "".into()));
        form.apply(FormEdit::Text(
            FieldId::Headers(EndpointRole::Model),
            "Authorization: Bearer x".into(),
        ));
        let check = check_form(&form, Some(&dataset()));
        assert!(check.settings.is_none());
        for field in [
            FieldId::K,
            FieldId::Temperature,
            FieldId::BaseUrl(EndpointRole::Judge),
            FieldId::Concurrency,
            FieldId::Headers(EndpointRole::Model),
        ] {
            assert_eq!(
                check.errors_for(field).count(),
                1,
                "{field:?}: {:?}",
                check.errors
            );
        }
        assert_eq!(check.errors.len(), 5, "{:?}", check.errors);

        // A range the core refuses (top_p above 1) is routed to the top_p field.
        let mut form = RunForm::default();
        form.apply(FormEdit::Text(FieldId::TopP, "1.5".into()));
        let check = check_form(&form, Some(&dataset()));
        assert_eq!(
            check.errors_for(FieldId::TopP).count(),
            1,
            "{:?}",
            check.errors
        );
        assert_eq!(check.errors.len(), 1);
    }

    #[test]
    fn a_preset_that_needs_a_key_asks_for_it() {
        let mut form = RunForm::default();
        form.apply(FormEdit::Preset(EndpointRole::Judge, PresetId::OpenAi));
        form.apply(FormEdit::Text(
            FieldId::ModelName(EndpointRole::Judge),
            "gpt-4o-mini".into(),
        ));
        let check = check_form(&form, Some(&dataset()));
        assert_eq!(
            check.errors_for(FieldId::Key(EndpointRole::Judge)).count(),
            1
        );
        form.apply(FormEdit::Key(
            EndpointRole::Judge,
            Some(KeyInput::new("sk-test-0123456789")),
        ));
        let check = check_form(&form, Some(&dataset()));
        assert!(check.is_valid(), "{:?}", check.errors);
    }

    #[test]
    fn template_errors_are_located() {
        let mut form = RunForm::default();
        form.apply(FormEdit::Text(
            FieldId::Template(JudgeKind::Answer),
            "Query: {query}\nAnswer: {answer\n".into(),
        ));
        form.apply(FormEdit::Text(
            FieldId::Template(JudgeKind::Reasoning(Scenario::RiskOmission)),
            "{query} {risk_summary} {answer} true false".into(),
        ));
        let check = check_form(&form, Some(&dataset()));
        let answer: Vec<_> = check
            .errors_for(FieldId::Template(JudgeKind::Answer))
            .collect();
        assert_eq!(answer.len(), 1, "{answer:?}");
        assert!(
            answer[0].message.starts_with("line 2, character"),
            "{}",
            answer[0].message
        );
        let ro = FieldId::Template(JudgeKind::Reasoning(Scenario::RiskOmission));
        // Uses {answer} (not given to a reasoning judge) and lacks {reasoning_thinking}.
        assert_eq!(check.errors_for(ro).count(), 2, "{:?}", check.errors);
    }

    #[test]
    fn a_stratified_sample_counts_its_items() {
        let mut form = RunForm::default();
        form.apply(FormEdit::Subset(SubsetChoice::Sample));
        form.apply(FormEdit::Text(FieldId::SampleSize, "3".into()));
        form.apply(FormEdit::Text(FieldId::Seed, "42".into()));
        let check = check_form(&form, Some(&dataset()));
        assert_eq!(check.item_ids.len(), 3);
        assert_eq!(check.available, 6);
        let settings = check.settings.unwrap();
        assert_eq!(settings.subset.n, Some(3));
        assert_eq!(settings.subset.seed, 42);

        form.apply(FormEdit::Subset(SubsetChoice::Scenarios));
        form.apply(FormEdit::Scenario(Scenario::CognitiveShortcut, false));
        form.apply(FormEdit::Scenario(Scenario::OverSensitivity, false));
        let check = check_form(&form, Some(&dataset()));
        assert_eq!(check.item_ids, vec!["s00".to_string(), "s01".to_string()]);
        form.apply(FormEdit::Scenario(Scenario::RiskOmission, false));
        let check = check_form(&form, Some(&dataset()));
        assert_eq!(check.errors_for(FieldId::Subset).count(), 1);
    }

    #[test]
    fn half_a_price_is_an_error() {
        let mut form = RunForm::default();
        form.apply(FormEdit::Text(
            FieldId::PriceInput(EndpointRole::Model),
            "1".into(),
        ));
        let check = check_form(&form, Some(&dataset()));
        assert_eq!(
            check
                .errors_for(FieldId::PriceOutput(EndpointRole::Model))
                .count(),
            1
        );
        form.apply(FormEdit::Text(
            FieldId::PriceOutput(EndpointRole::Model),
            "4".into(),
        ));
        let check = check_form(&form, Some(&dataset()));
        let prices = check.settings.unwrap().prices;
        assert_eq!(prices.model.map(|p| p.output_usd_per_million()), Some(4.0));
        assert_eq!(prices.judge, None);
    }
}
