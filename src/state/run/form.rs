//! The run configuration form as typed: [`RunForm`] holds every field's raw text (so a half-typed
//! number stays on screen), [`FormEdit`] changes one thing, and [`FieldId`] names a field for
//! labels, error messages and element ids. Checking the form and raising it to a
//! [`RunSettings`](super::settings::RunSettings) is `check.rs`'s job.
//!
//! The form (without keys, see [`EndpointForm`]) is what the app remembers as "the last
//! configuration".

use super::endpoint::{EndpointForm, EndpointRole, KeyInput};
use bsa_core::judge::JudgeKind;
use bsa_core::prompt::JudgePromptSet;
use bsa_core::provider::{PresetId, WireFormat};
use bsa_core::run::{Price, PriceTable};
use bsa_core::scenario::Scenario;
use serde::{Deserialize, Serialize};

/// Model names filled in when the simulator is chosen.
pub const SIMULATOR_MODEL: &str = "sim-reasoner";
pub const SIMULATOR_JUDGE: &str = "sim-judge";

/// The reasoning control as offered in the form.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasoningChoice {
    #[default]
    ProviderDefault,
    Off,
    Minimal,
    Low,
    Medium,
    High,
    /// A thinking budget in tokens (the budget field).
    Budget,
}

impl ReasoningChoice {
    pub const ALL: [ReasoningChoice; 7] = [
        ReasoningChoice::ProviderDefault,
        ReasoningChoice::Off,
        ReasoningChoice::Minimal,
        ReasoningChoice::Low,
        ReasoningChoice::Medium,
        ReasoningChoice::High,
        ReasoningChoice::Budget,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ReasoningChoice::ProviderDefault => "default",
            ReasoningChoice::Off => "off",
            ReasoningChoice::Minimal => "minimal",
            ReasoningChoice::Low => "low",
            ReasoningChoice::Medium => "medium",
            ReasoningChoice::High => "high",
            ReasoningChoice::Budget => "budget",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReasoningChoice::ProviderDefault => "provider default (send nothing)",
            ReasoningChoice::Off => "off",
            ReasoningChoice::Minimal => "effort: minimal",
            ReasoningChoice::Low => "effort: low",
            ReasoningChoice::Medium => "effort: medium",
            ReasoningChoice::High => "effort: high",
            ReasoningChoice::Budget => "thinking budget (tokens)",
        }
    }

    pub fn parse(key: &str) -> Option<ReasoningChoice> {
        ReasoningChoice::ALL.into_iter().find(|c| c.key() == key)
    }
}

/// Which items to run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubsetChoice {
    #[default]
    All,
    /// The items of the ticked scenarios.
    Scenarios,
    /// A stratified sample of n items with a seed.
    Sample,
}

/// The system prompt of the model under test.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SystemChoice {
    #[default]
    None,
    SafetyRules,
    Custom,
}

/// Sampling and reasoning parameters of the model under test, as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ParametersForm {
    pub temperature: String,
    pub top_p: String,
    pub max_tokens: String,
    pub reasoning: ReasoningChoice,
    pub budget: String,
    pub stream: bool,
}

/// The four judge templates' source text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateSources {
    pub answer: String,
    pub risk_omission: String,
    pub cognitive_shortcut: String,
    pub over_sensitivity: String,
}

impl TemplateSources {
    pub fn of(set: &JudgePromptSet) -> TemplateSources {
        TemplateSources {
            answer: set.answer.source().to_string(),
            risk_omission: set.risk_omission.source().to_string(),
            cognitive_shortcut: set.cognitive_shortcut.source().to_string(),
            over_sensitivity: set.over_sensitivity.source().to_string(),
        }
    }

    pub fn get(&self, kind: JudgeKind) -> &str {
        match kind {
            JudgeKind::Answer => &self.answer,
            JudgeKind::Reasoning(Scenario::RiskOmission) => &self.risk_omission,
            JudgeKind::Reasoning(Scenario::CognitiveShortcut) => &self.cognitive_shortcut,
            JudgeKind::Reasoning(Scenario::OverSensitivity) => &self.over_sensitivity,
        }
    }

    fn get_mut(&mut self, kind: JudgeKind) -> &mut String {
        match kind {
            JudgeKind::Answer => &mut self.answer,
            JudgeKind::Reasoning(Scenario::RiskOmission) => &mut self.risk_omission,
            JudgeKind::Reasoning(Scenario::CognitiveShortcut) => &mut self.cognitive_shortcut,
            JudgeKind::Reasoning(Scenario::OverSensitivity) => &mut self.over_sensitivity,
        }
    }
}

impl Default for TemplateSources {
    fn default() -> TemplateSources {
        TemplateSources::of(&JudgePromptSet::defaults())
    }
}

/// Every field of the form, as typed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RunForm {
    /// The run's display name (empty: the model name).
    pub label: String,
    pub model: EndpointForm,
    pub parameters: ParametersForm,
    pub system: SystemChoice,
    pub custom_system: String,
    pub subset: SubsetChoice,
    /// Ticked scenarios, in [`Scenario::ALL`] order.
    pub scenarios: [bool; 3],
    pub sample_size: String,
    pub seed: String,
    pub k: String,
    pub judge: EndpointForm,
    /// The judges' output limit (empty: provider default).
    pub judge_max_tokens: String,
    pub second_judge_enabled: bool,
    pub second_judge: EndpointForm,
    pub templates: TemplateSources,
    pub concurrency: String,
    pub requests_per_minute: String,
    /// Per-request timeout in seconds.
    pub timeout_s: String,
    pub max_attempts: String,
    /// USD; empty for no cap.
    pub spend_cap: String,
    /// Expected output tokens per call, for the estimate.
    pub expect_answer: String,
    pub expect_reasoning: String,
    pub expect_judge: String,
    /// Prices entered so far, by model name, so switching models brings a price back.
    pub price_book: PriceTable,
}

impl Default for RunForm {
    fn default() -> RunForm {
        RunForm {
            label: String::new(),
            model: EndpointForm::new(PresetId::Simulator, SIMULATOR_MODEL),
            parameters: ParametersForm::default(),
            system: SystemChoice::None,
            custom_system: String::new(),
            subset: SubsetChoice::All,
            scenarios: [true; 3],
            sample_size: "100".into(),
            seed: "0".into(),
            k: "5".into(),
            judge: EndpointForm::new(PresetId::Simulator, SIMULATOR_JUDGE),
            judge_max_tokens: String::new(),
            second_judge_enabled: false,
            second_judge: EndpointForm::new(PresetId::Simulator, SIMULATOR_JUDGE),
            templates: TemplateSources::default(),
            concurrency: "6".into(),
            requests_per_minute: String::new(),
            timeout_s: "600".into(),
            max_attempts: "6".into(),
            spend_cap: String::new(),
            expect_answer: "400".into(),
            expect_reasoning: "1200".into(),
            expect_judge: "150".into(),
            price_book: PriceTable::default(),
        }
    }
}

/// A field of the form, for labels (`for`), messages and `aria-describedby`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FieldId {
    Label,
    K,
    Subset,
    SampleSize,
    Seed,
    Preset(EndpointRole),
    BaseUrl(EndpointRole),
    ModelName(EndpointRole),
    Key(EndpointRole),
    Headers(EndpointRole),
    PriceInput(EndpointRole),
    PriceOutput(EndpointRole),
    Temperature,
    TopP,
    MaxTokens,
    Reasoning,
    ReasoningBudget,
    JudgeMaxTokens,
    SystemPrompt,
    Template(JudgeKind),
    Concurrency,
    RequestsPerMinute,
    Timeout,
    MaxAttempts,
    SpendCap,
    ExpectAnswer,
    ExpectReasoning,
    ExpectJudge,
}

impl FieldId {
    /// The element id of the field's control.
    pub fn html_id(self) -> String {
        let template_id = |kind: JudgeKind| match kind {
            JudgeKind::Answer => "answer",
            JudgeKind::Reasoning(Scenario::RiskOmission) => "ro",
            JudgeKind::Reasoning(Scenario::CognitiveShortcut) => "cs",
            JudgeKind::Reasoning(Scenario::OverSensitivity) => "os",
        };
        match self {
            FieldId::Label => "run-label".into(),
            FieldId::K => "run-k".into(),
            FieldId::Subset => "run-subset".into(),
            FieldId::SampleSize => "run-sample-size".into(),
            FieldId::Seed => "run-seed".into(),
            FieldId::Preset(role) => format!("run-{}-preset", role.id()),
            FieldId::BaseUrl(role) => format!("run-{}-base-url", role.id()),
            FieldId::ModelName(role) => format!("run-{}-model", role.id()),
            FieldId::Key(role) => format!("run-{}-key", role.id()),
            FieldId::Headers(role) => format!("run-{}-headers", role.id()),
            FieldId::PriceInput(role) => format!("run-{}-price-in", role.id()),
            FieldId::PriceOutput(role) => format!("run-{}-price-out", role.id()),
            FieldId::Temperature => "run-temperature".into(),
            FieldId::TopP => "run-top-p".into(),
            FieldId::MaxTokens => "run-max-tokens".into(),
            FieldId::Reasoning => "run-reasoning".into(),
            FieldId::ReasoningBudget => "run-reasoning-budget".into(),
            FieldId::JudgeMaxTokens => "run-judge-max-tokens".into(),
            FieldId::SystemPrompt => "run-system-prompt".into(),
            FieldId::Template(kind) => format!("run-template-{}", template_id(kind)),
            FieldId::Concurrency => "run-concurrency".into(),
            FieldId::RequestsPerMinute => "run-rpm".into(),
            FieldId::Timeout => "run-timeout".into(),
            FieldId::MaxAttempts => "run-max-attempts".into(),
            FieldId::SpendCap => "run-spend-cap".into(),
            FieldId::ExpectAnswer => "run-expect-answer".into(),
            FieldId::ExpectReasoning => "run-expect-reasoning".into(),
            FieldId::ExpectJudge => "run-expect-judge".into(),
        }
    }

    /// The field's name in messages ("judge: base URL").
    pub fn label(self) -> String {
        let role = |role: EndpointRole, what: &str| format!("{}: {what}", role.label());
        match self {
            FieldId::Label => "run label".into(),
            FieldId::K => "samples per item (k)".into(),
            FieldId::Subset => "items".into(),
            FieldId::SampleSize => "sample size".into(),
            FieldId::Seed => "seed".into(),
            FieldId::Preset(r) => role(r, "provider"),
            FieldId::BaseUrl(r) => role(r, "base URL"),
            FieldId::ModelName(r) => role(r, "model name"),
            FieldId::Key(r) => role(r, "API key"),
            FieldId::Headers(r) => role(r, "extra headers"),
            FieldId::PriceInput(r) => role(r, "input price"),
            FieldId::PriceOutput(r) => role(r, "output price"),
            FieldId::Temperature => "temperature".into(),
            FieldId::TopP => "top_p".into(),
            FieldId::MaxTokens => "max tokens".into(),
            FieldId::Reasoning => "reasoning".into(),
            FieldId::ReasoningBudget => "thinking budget".into(),
            FieldId::JudgeMaxTokens => "judge max tokens".into(),
            FieldId::SystemPrompt => "system prompt".into(),
            FieldId::Template(kind) => format!("{kind} template"),
            FieldId::Concurrency => "concurrency".into(),
            FieldId::RequestsPerMinute => "requests per minute".into(),
            FieldId::Timeout => "timeout".into(),
            FieldId::MaxAttempts => "attempts per call".into(),
            FieldId::SpendCap => "spend cap".into(),
            FieldId::ExpectAnswer => "expected answer tokens".into(),
            FieldId::ExpectReasoning => "expected reasoning tokens".into(),
            FieldId::ExpectJudge => "expected judge tokens".into(),
        }
    }
}

/// One change to the form.
#[derive(Clone, Debug, PartialEq)]
pub enum FormEdit {
    /// New text for a text field (ignored for fields that are not text).
    Text(FieldId, String),
    Preset(EndpointRole, PresetId),
    Wire(EndpointRole, WireFormat),
    Key(EndpointRole, Option<KeyInput>),
    RememberKey(EndpointRole, bool),
    Reasoning(ReasoningChoice),
    Stream(bool),
    Subset(SubsetChoice),
    Scenario(Scenario, bool),
    System(SystemChoice),
    SecondJudge(bool),
    /// Replace all four templates (defaults, or the official prompts).
    Templates(TemplateSources),
    /// Replace the whole form (the remembered configuration at start).
    Replace(Box<RunForm>),
}

impl RunForm {
    pub fn endpoint(&self, role: EndpointRole) -> &EndpointForm {
        match role {
            EndpointRole::Model => &self.model,
            EndpointRole::Judge => &self.judge,
            EndpointRole::SecondJudge => &self.second_judge,
        }
    }

    fn endpoint_mut(&mut self, role: EndpointRole) -> &mut EndpointForm {
        match role {
            EndpointRole::Model => &mut self.model,
            EndpointRole::Judge => &mut self.judge,
            EndpointRole::SecondJudge => &mut self.second_judge,
        }
    }

    /// The roles this form's run uses.
    pub fn roles(&self) -> Vec<EndpointRole> {
        let mut roles = vec![EndpointRole::Model, EndpointRole::Judge];
        if self.second_judge_enabled {
            roles.push(EndpointRole::SecondJudge);
        }
        roles
    }

    /// The text of a text field; `None` for fields that are not text.
    pub fn text(&self, field: FieldId) -> Option<&str> {
        Some(match field {
            FieldId::Label => &self.label,
            FieldId::K => &self.k,
            FieldId::SampleSize => &self.sample_size,
            FieldId::Seed => &self.seed,
            FieldId::BaseUrl(role) => &self.endpoint(role).base_url,
            FieldId::ModelName(role) => &self.endpoint(role).model,
            FieldId::Headers(role) => &self.endpoint(role).extra_headers,
            FieldId::PriceInput(role) => &self.endpoint(role).price_input,
            FieldId::PriceOutput(role) => &self.endpoint(role).price_output,
            FieldId::Temperature => &self.parameters.temperature,
            FieldId::TopP => &self.parameters.top_p,
            FieldId::MaxTokens => &self.parameters.max_tokens,
            FieldId::ReasoningBudget => &self.parameters.budget,
            FieldId::JudgeMaxTokens => &self.judge_max_tokens,
            FieldId::SystemPrompt => &self.custom_system,
            FieldId::Template(kind) => self.templates.get(kind),
            FieldId::Concurrency => &self.concurrency,
            FieldId::RequestsPerMinute => &self.requests_per_minute,
            FieldId::Timeout => &self.timeout_s,
            FieldId::MaxAttempts => &self.max_attempts,
            FieldId::SpendCap => &self.spend_cap,
            FieldId::ExpectAnswer => &self.expect_answer,
            FieldId::ExpectReasoning => &self.expect_reasoning,
            FieldId::ExpectJudge => &self.expect_judge,
            FieldId::Subset | FieldId::Preset(_) | FieldId::Key(_) | FieldId::Reasoning => {
                return None
            }
        })
    }

    fn text_mut(&mut self, field: FieldId) -> Option<&mut String> {
        Some(match field {
            FieldId::Label => &mut self.label,
            FieldId::K => &mut self.k,
            FieldId::SampleSize => &mut self.sample_size,
            FieldId::Seed => &mut self.seed,
            FieldId::BaseUrl(role) => &mut self.endpoint_mut(role).base_url,
            FieldId::ModelName(role) => &mut self.endpoint_mut(role).model,
            FieldId::Headers(role) => &mut self.endpoint_mut(role).extra_headers,
            FieldId::PriceInput(role) => &mut self.endpoint_mut(role).price_input,
            FieldId::PriceOutput(role) => &mut self.endpoint_mut(role).price_output,
            FieldId::Temperature => &mut self.parameters.temperature,
            FieldId::TopP => &mut self.parameters.top_p,
            FieldId::MaxTokens => &mut self.parameters.max_tokens,
            FieldId::ReasoningBudget => &mut self.parameters.budget,
            FieldId::JudgeMaxTokens => &mut self.judge_max_tokens,
            FieldId::SystemPrompt => &mut self.custom_system,
            FieldId::Template(kind) => self.templates.get_mut(kind),
            FieldId::Concurrency => &mut self.concurrency,
            FieldId::RequestsPerMinute => &mut self.requests_per_minute,
            FieldId::Timeout => &mut self.timeout_s,
            FieldId::MaxAttempts => &mut self.max_attempts,
            FieldId::SpendCap => &mut self.spend_cap,
            FieldId::ExpectAnswer => &mut self.expect_answer,
            FieldId::ExpectReasoning => &mut self.expect_reasoning,
            FieldId::ExpectJudge => &mut self.expect_judge,
            FieldId::Subset | FieldId::Preset(_) | FieldId::Key(_) | FieldId::Reasoning => {
                return None
            }
        })
    }

    /// Applies one edit.
    pub fn apply(&mut self, edit: FormEdit) {
        match edit {
            FormEdit::Text(field, text) => {
                if let Some(slot) = self.text_mut(field) {
                    *slot = text;
                }
                match field {
                    FieldId::ModelName(role) => self.recall_price(role),
                    FieldId::PriceInput(role) | FieldId::PriceOutput(role) => self.file_price(role),
                    _ => {}
                }
            }
            FormEdit::Preset(role, preset) => {
                let simulator_model = match role {
                    EndpointRole::Model => SIMULATOR_MODEL,
                    _ => SIMULATOR_JUDGE,
                };
                let endpoint = self.endpoint_mut(role);
                if endpoint.preset != preset {
                    endpoint.set_preset(preset, simulator_model);
                    // A key belongs to one API: it does not follow the user to another.
                    endpoint.key = None;
                    endpoint.remember_key = false;
                    self.recall_price(role);
                }
            }
            FormEdit::Wire(role, wire) => self.endpoint_mut(role).wire = wire,
            FormEdit::Key(role, key) => self.endpoint_mut(role).key = key,
            FormEdit::RememberKey(role, on) => self.endpoint_mut(role).remember_key = on,
            FormEdit::Reasoning(choice) => self.parameters.reasoning = choice,
            FormEdit::Stream(on) => self.parameters.stream = on,
            FormEdit::Subset(choice) => self.subset = choice,
            FormEdit::Scenario(scenario, on) => {
                if let Some(position) = Scenario::ALL.iter().position(|s| *s == scenario) {
                    self.scenarios[position] = on;
                }
            }
            FormEdit::System(choice) => self.system = choice,
            FormEdit::SecondJudge(on) => self.second_judge_enabled = on,
            FormEdit::Templates(sources) => self.templates = sources,
            FormEdit::Replace(form) => {
                // Keys typed in this session stay: the remembered configuration has none.
                let keys = EndpointRole::ALL.map(|role| {
                    let endpoint = self.endpoint(role);
                    (endpoint.key.clone(), endpoint.remember_key)
                });
                *self = *form;
                for (role, (key, remember)) in EndpointRole::ALL.into_iter().zip(keys) {
                    let endpoint = self.endpoint_mut(role);
                    if endpoint.key.is_none() {
                        endpoint.key = key;
                        endpoint.remember_key = remember;
                    }
                }
            }
        }
    }

    /// After the model name changed: show the price on file for the new name, if any.
    fn recall_price(&mut self, role: EndpointRole) {
        let Some(price) = self.price_book.get(self.endpoint(role).model.trim()) else {
            return;
        };
        let endpoint = self.endpoint_mut(role);
        endpoint.price_input = format_price(price.input_usd_per_million());
        endpoint.price_output = format_price(price.output_usd_per_million());
    }

    /// After a price was typed: file it under the model name once both numbers are valid.
    fn file_price(&mut self, role: EndpointRole) {
        let endpoint = self.endpoint(role);
        let model = endpoint.model.trim().to_string();
        if model.is_empty() {
            return;
        }
        let (Ok(input), Ok(output)) = (
            endpoint.price_input.trim().parse::<f64>(),
            endpoint.price_output.trim().parse::<f64>(),
        ) else {
            return;
        };
        if let Ok(price) = Price::new(input, output) {
            self.price_book.set(model, price);
        }
    }
}

/// A price as the field shows it: no trailing zeros.
pub fn format_price(value: f64) -> String {
    let text = format!("{value:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_edits_reach_their_field_and_only_it() {
        let mut form = RunForm::default();
        let before = form.clone();
        form.apply(FormEdit::Text(
            FieldId::BaseUrl(EndpointRole::Judge),
            "http://127.0.0.1:9999".into(),
        ));
        assert_eq!(form.judge.base_url, "http://127.0.0.1:9999");
        assert_eq!(form.model.base_url, before.model.base_url);
        // Not a text field: nothing changes.
        form.apply(FormEdit::Text(
            FieldId::Preset(EndpointRole::Model),
            "x".into(),
        ));
        assert_eq!(form.model.preset, before.model.preset);
    }

    #[test]
    fn prices_are_filed_by_model_and_come_back() {
        let mut form = RunForm::default();
        form.apply(FormEdit::Preset(EndpointRole::Model, PresetId::DeepSeek));
        form.apply(FormEdit::Text(
            FieldId::ModelName(EndpointRole::Model),
            "deepseek-reasoner".into(),
        ));
        form.apply(FormEdit::Text(
            FieldId::PriceInput(EndpointRole::Model),
            "0.55".into(),
        ));
        // Half a price files nothing.
        assert!(form.price_book.get("deepseek-reasoner").is_none());
        form.apply(FormEdit::Text(
            FieldId::PriceOutput(EndpointRole::Model),
            "2.19".into(),
        ));
        assert!(form.price_book.get("deepseek-reasoner").is_some());
        form.apply(FormEdit::Text(
            FieldId::ModelName(EndpointRole::Model),
            "other".into(),
        ));
        form.apply(FormEdit::Text(
            FieldId::PriceInput(EndpointRole::Model),
            String::new(),
        ));
        form.apply(FormEdit::Text(
            FieldId::ModelName(EndpointRole::Model),
            "deepseek-reasoner".into(),
        ));
        assert_eq!(form.model.price_input, "0.55");
        assert_eq!(form.model.price_output, "2.19");
    }

    #[test]
    fn a_new_preset_drops_the_key_and_restoring_keeps_session_keys() {
        let mut form = RunForm::default();
        form.apply(FormEdit::Key(
            EndpointRole::Judge,
            Some(KeyInput::new("sk-judge-key-1234")),
        ));
        form.apply(FormEdit::Preset(EndpointRole::Judge, PresetId::OpenAi));
        assert_eq!(form.judge.key, None);

        form.apply(FormEdit::Key(
            EndpointRole::Model,
            Some(KeyInput::new("sk-model-key-1234")),
        ));
        let stored = RunForm {
            k: "2".into(),
            ..RunForm::default()
        };
        form.apply(FormEdit::Replace(Box::new(stored)));
        assert_eq!(form.k, "2");
        assert_eq!(form.model.key, Some(KeyInput::new("sk-model-key-1234")));
    }

    #[test]
    fn every_text_field_has_a_distinct_element_id() {
        let mut ids = std::collections::BTreeSet::new();
        let mut fields = vec![
            FieldId::Label,
            FieldId::K,
            FieldId::Subset,
            FieldId::SampleSize,
            FieldId::Seed,
            FieldId::Temperature,
            FieldId::TopP,
            FieldId::MaxTokens,
            FieldId::Reasoning,
            FieldId::ReasoningBudget,
            FieldId::JudgeMaxTokens,
            FieldId::SystemPrompt,
            FieldId::Concurrency,
            FieldId::RequestsPerMinute,
            FieldId::Timeout,
            FieldId::MaxAttempts,
            FieldId::SpendCap,
            FieldId::ExpectAnswer,
            FieldId::ExpectReasoning,
            FieldId::ExpectJudge,
        ];
        for role in EndpointRole::ALL {
            fields.extend([
                FieldId::Preset(role),
                FieldId::BaseUrl(role),
                FieldId::ModelName(role),
                FieldId::Key(role),
                FieldId::Headers(role),
                FieldId::PriceInput(role),
                FieldId::PriceOutput(role),
            ]);
        }
        fields.extend(JudgeKind::ALL.map(FieldId::Template));
        for field in &fields {
            assert!(ids.insert(field.html_id()), "{field:?}");
        }
        assert_eq!(ids.len(), fields.len());
    }
}
