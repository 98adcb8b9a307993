//! Sampling and reasoning [`Parameters`], the provider rules applied to them, and the
//! [`ParameterReport`] that says what happened to each one.
//!
//! Providers disagree about parameters: OpenAI reasoning models refuse `temperature`, Anthropic
//! thinking wants temperature 1 and a budget below `max_tokens`, DeepSeek's reasoner accepts
//! sampling parameters and ignores them. Rather than fail or silently change a run, the rules
//! here adjust what must be adjusted and record every decision as a [`ParameterEntry`]
//! (sent / adjusted / dropped / ignored, with the reason), so the app can show it and the run
//! file can record what was actually sent.

use super::preset::{PresetId, WireFormat};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::fmt;

/// What the user asks for; `None` means "provider default, send nothing".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Parameters {
    /// 0 to 2 (Anthropic: 0 to 1).
    pub temperature: Option<f64>,
    /// 0 to 1.
    pub top_p: Option<f64>,
    /// The output limit, reasoning included for reasoning models.
    pub max_tokens: Option<u32>,
    pub reasoning: ReasoningControl,
    /// Ask for a server-sent-event stream.
    pub stream: bool,
}

/// How much the model should reason.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasoningControl {
    /// Send nothing; the provider decides.
    #[default]
    ProviderDefault,
    /// Ask for no reasoning, where the provider can turn it off.
    Off,
    /// An OpenAI-style effort level.
    Effort(ReasoningEffort),
    /// An Anthropic-style thinking budget in tokens.
    BudgetTokens(u32),
}

/// OpenAI-style reasoning effort.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasoningEffort {
    Minimal,
    Low,
    Medium,
    High,
}

impl ReasoningEffort {
    pub fn as_str(self) -> &'static str {
        match self {
            ReasoningEffort::Minimal => "minimal",
            ReasoningEffort::Low => "low",
            ReasoningEffort::Medium => "medium",
            ReasoningEffort::High => "high",
        }
    }

    /// The thinking budget used where a provider takes tokens, not levels. The numbers are this
    /// project's choice (no provider defines the mapping): Anthropic's minimum for `minimal`, then
    /// roughly 2x/4x steps, recorded in the report whenever they are used.
    pub fn budget_tokens(self) -> u32 {
        match self {
            ReasoningEffort::Minimal => 1024,
            ReasoningEffort::Low => 2048,
            ReasoningEffort::Medium => 8192,
            ReasoningEffort::High => 16384,
        }
    }

    /// The effort level closest to a token budget (the inverse of [`Self::budget_tokens`], with
    /// boundaries halfway between its steps).
    pub fn from_budget(tokens: u32) -> ReasoningEffort {
        match tokens {
            0..=1024 => ReasoningEffort::Minimal,
            1025..=4096 => ReasoningEffort::Low,
            4097..=12288 => ReasoningEffort::Medium,
            _ => ReasoningEffort::High,
        }
    }
}

/// The user-facing parameter an entry is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Parameter {
    Temperature,
    TopP,
    MaxTokens,
    /// Reasoning effort, thinking budget or off.
    Reasoning,
    Stream,
    /// The request for token usage in a stream's last chunk (`stream_options.include_usage`).
    StreamUsage,
    /// A field that asks the provider to return the reasoning trace (Gemini `include_thoughts`,
    /// Groq `reasoning_format` / `include_reasoning`).
    ReasoningOutput,
}

impl Parameter {
    pub fn name(self) -> &'static str {
        match self {
            Parameter::Temperature => "temperature",
            Parameter::TopP => "top_p",
            Parameter::MaxTokens => "max tokens",
            Parameter::Reasoning => "reasoning",
            Parameter::Stream => "stream",
            Parameter::StreamUsage => "stream usage",
            Parameter::ReasoningOutput => "reasoning output",
        }
    }
}

/// What happened to a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParameterOutcome {
    /// Sent as requested (possibly under another field name).
    Sent,
    /// Sent with a different value, or filled in where the provider requires one.
    Adjusted,
    /// Not sent.
    Dropped,
    /// Sent, but the provider is known to ignore it.
    Ignored,
}

/// One line of the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParameterEntry {
    pub parameter: Parameter,
    pub outcome: ParameterOutcome,
    /// The body field it went out as, dotted for nested fields (`stream_options.include_usage`);
    /// `None` when nothing was sent.
    pub field: Option<String>,
    /// What the user set (`None`: unset).
    pub requested: Option<Value>,
    /// What went out (`None`: nothing).
    pub sent: Option<Value>,
    /// Why it was adjusted, dropped or ignored, or why an extra field was added.
    pub reason: Option<String>,
}

impl fmt::Display for ParameterEntry {
    /// `temperature: dropped 0.7 (OpenAI reasoning models ...)`,
    /// `max tokens: sent 2048 as max_completion_tokens`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.parameter.name())?;
        let field = |f: &mut fmt::Formatter<'_>| match &self.field {
            Some(field) => write!(f, " as {field}"),
            None => Ok(()),
        };
        match self.outcome {
            ParameterOutcome::Sent => match &self.sent {
                Some(sent) => {
                    write!(f, "sent {sent}")?;
                    field(f)?;
                }
                None => f.write_str("nothing sent")?,
            },
            ParameterOutcome::Adjusted => {
                match &self.requested {
                    Some(requested) => write!(f, "adjusted {requested} to ")?,
                    None => f.write_str("unset, sent ")?,
                }
                match &self.sent {
                    Some(sent) => write!(f, "{sent}")?,
                    None => f.write_str("nothing")?,
                }
                field(f)?;
            }
            ParameterOutcome::Dropped => match &self.requested {
                Some(requested) => write!(f, "dropped {requested}")?,
                None => f.write_str("dropped")?,
            },
            ParameterOutcome::Ignored => {
                if let Some(sent) = &self.sent {
                    write!(f, "sent {sent}")?;
                    field(f)?;
                    f.write_str(", ")?;
                }
                f.write_str("ignored by the provider")?;
            }
        }
        if let Some(reason) = &self.reason {
            write!(f, " ({reason})")?;
        }
        Ok(())
    }
}

/// Everything the rules decided for one request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ParameterReport {
    pub entries: Vec<ParameterEntry>,
    /// Advice not tied to one field ("reasoning tokens count against the output limit ...").
    pub warnings: Vec<String>,
}

impl ParameterReport {
    /// The first entry about `parameter`.
    pub fn entry(&self, parameter: Parameter) -> Option<&ParameterEntry> {
        self.entries.iter().find(|e| e.parameter == parameter)
    }

    /// The body fields actually sent (dotted name to value), for the run file.
    pub fn sent_fields(&self) -> Map<String, Value> {
        let mut fields = Map::new();
        for entry in &self.entries {
            if entry.outcome == ParameterOutcome::Dropped {
                continue;
            }
            if let (Some(field), Some(sent)) = (&entry.field, &entry.sent) {
                fields.insert(field.clone(), sent.clone());
            }
        }
        fields
    }
}

/// A parameter value outside what any provider accepts.
#[derive(Clone, Debug, PartialEq)]
pub struct ParameterError {
    pub parameter: Parameter,
    pub value: String,
    pub expected: &'static str,
}

impl fmt::Display for ParameterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} is out of range: expected {}",
            self.parameter.name(),
            self.value,
            self.expected
        )
    }
}

impl Parameters {
    /// Checks ranges every provider shares.
    pub fn validate(&self) -> Result<(), ParameterError> {
        if let Some(t) = self.temperature {
            if !(t.is_finite() && (0.0..=2.0).contains(&t)) {
                return Err(ParameterError {
                    parameter: Parameter::Temperature,
                    value: t.to_string(),
                    expected: "a number from 0 to 2",
                });
            }
        }
        if let Some(p) = self.top_p {
            if !(p.is_finite() && (0.0..=1.0).contains(&p)) {
                return Err(ParameterError {
                    parameter: Parameter::TopP,
                    value: p.to_string(),
                    expected: "a number from 0 to 1",
                });
            }
        }
        if self.max_tokens == Some(0) {
            return Err(ParameterError {
                parameter: Parameter::MaxTokens,
                value: "0".into(),
                expected: "at least 1 (or unset for the provider default)",
            });
        }
        if self.reasoning == ReasoningControl::BudgetTokens(0) {
            return Err(ParameterError {
                parameter: Parameter::Reasoning,
                value: "budget 0".into(),
                expected: "a budget of at least 1 token (use \"off\" for no reasoning)",
            });
        }
        Ok(())
    }
}

/// The body fields the rules decided on, with the report.
#[derive(Debug, Default)]
pub(crate) struct AppliedParameters {
    /// Paths into the JSON body (`["stream_options", "include_usage"]`) and their values.
    pub fields: Vec<(Vec<&'static str>, Value)>,
    pub report: ParameterReport,
}

impl AppliedParameters {
    /// Writes the fields into a JSON body, creating nested objects as needed.
    pub fn write_into(&self, body: &mut Map<String, Value>) {
        for (path, value) in &self.fields {
            insert_path(body, path, value.clone());
        }
    }

    fn send(
        &mut self,
        parameter: Parameter,
        path: &[&'static str],
        requested: Option<Value>,
        value: Value,
    ) {
        self.push(
            parameter,
            ParameterOutcome::Sent,
            path,
            requested,
            value,
            None,
        );
    }

    fn send_because(
        &mut self,
        parameter: Parameter,
        path: &[&'static str],
        value: Value,
        reason: &str,
    ) {
        self.push(
            parameter,
            ParameterOutcome::Sent,
            path,
            None,
            value,
            Some(reason.to_string()),
        );
    }

    fn adjust(
        &mut self,
        parameter: Parameter,
        path: &[&'static str],
        requested: Option<Value>,
        value: Value,
        reason: String,
    ) {
        self.push(
            parameter,
            ParameterOutcome::Adjusted,
            path,
            requested,
            value,
            Some(reason),
        );
    }

    fn ignore(&mut self, parameter: Parameter, path: &[&'static str], value: Value, reason: &str) {
        let requested = Some(value.clone());
        self.push(
            parameter,
            ParameterOutcome::Ignored,
            path,
            requested,
            value,
            Some(reason.to_string()),
        );
    }

    fn drop(&mut self, parameter: Parameter, requested: Option<Value>, reason: impl Into<String>) {
        self.report.entries.push(ParameterEntry {
            parameter,
            outcome: ParameterOutcome::Dropped,
            field: None,
            requested,
            sent: None,
            reason: Some(reason.into()),
        });
    }

    /// An entry for a setting that needs no field (reasoning off where off is the default).
    fn note(&mut self, parameter: Parameter, requested: Option<Value>, reason: &str) {
        self.report.entries.push(ParameterEntry {
            parameter,
            outcome: ParameterOutcome::Sent,
            field: None,
            requested,
            sent: None,
            reason: Some(reason.to_string()),
        });
    }

    fn push(
        &mut self,
        parameter: Parameter,
        outcome: ParameterOutcome,
        path: &[&'static str],
        requested: Option<Value>,
        value: Value,
        reason: Option<String>,
    ) {
        self.fields.push((path.to_vec(), value.clone()));
        self.report.entries.push(ParameterEntry {
            parameter,
            outcome,
            field: Some(path.join(".")),
            requested,
            sent: Some(value),
            reason,
        });
    }
}

fn insert_path(body: &mut Map<String, Value>, path: &[&'static str], value: Value) {
    match path {
        [] => {}
        [last] => {
            body.insert((*last).to_string(), value);
        }
        [first, rest @ ..] => {
            let slot = body
                .entry((*first).to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !slot.is_object() {
                *slot = Value::Object(Map::new());
            }
            if let Value::Object(inner) = slot {
                insert_path(inner, rest, value);
            }
        }
    }
}

/// The model family facts the rules depend on, read from the model name.
struct ModelFamily<'a> {
    /// Last path segment, lower-case: `openai/o3-mini` -> `o3-mini`.
    tail: String,
    raw: &'a str,
}

impl<'a> ModelFamily<'a> {
    fn of(model: &'a str) -> ModelFamily<'a> {
        let tail = model
            .rsplit('/')
            .next()
            .unwrap_or(model)
            .trim()
            .to_ascii_lowercase();
        ModelFamily { tail, raw: model }
    }

    /// o1, o3, o4 and gpt-5 families (not `gpt-5-chat`, which is a non-reasoning model).
    fn is_openai_reasoning(&self) -> bool {
        let t = self.tail.as_str();
        let o_series = ["o1", "o3", "o4"]
            .iter()
            .any(|p| t == *p || t.strip_prefix(p).is_some_and(|rest| rest.starts_with('-')));
        let gpt5 = t.starts_with("gpt-5") && !t.contains("chat");
        o_series || gpt5
    }

    fn is_gpt5(&self) -> bool {
        self.tail.starts_with("gpt-5")
    }

    fn is_deepseek_reasoner(&self) -> bool {
        self.tail.contains("deepseek-reasoner") || self.tail.contains("deepseek-r1")
    }

    fn is_gpt_oss(&self) -> bool {
        self.tail.contains("gpt-oss")
    }

    fn is_qwen3_like(&self) -> bool {
        self.tail.starts_with("qwen3") || self.tail.starts_with("qwq")
    }
}

/// Claude 4 and later return summarized thinking; Claude 3.7 returns it in full. Other model
/// names (the simulator's) are taken as full.
pub(crate) fn anthropic_thinking_is_summarized(model: &str) -> bool {
    let lower = model.to_ascii_lowercase();
    lower.contains("claude") && !(lower.contains("claude-3-7") || lower.contains("claude-3.7"))
}

fn num(x: f64) -> Value {
    json!(x)
}

fn reasoning_value(control: ReasoningControl) -> Option<Value> {
    match control {
        ReasoningControl::ProviderDefault => None,
        other => serde_json::to_value(other).ok(),
    }
}

/// Applies the rules of `preset` (speaking `wire`) for `model` to `params`.
pub(crate) fn apply(
    preset: PresetId,
    wire: WireFormat,
    model: &str,
    params: &Parameters,
) -> Result<AppliedParameters, ParameterError> {
    params.validate()?;
    let family = ModelFamily::of(model);
    let mut out = AppliedParameters::default();
    match wire {
        WireFormat::AnthropicMessages => anthropic_rules(params, &mut out),
        WireFormat::OpenAiChat => openai_rules(preset, &family, params, &mut out),
    }
    Ok(out)
}

const ANTHROPIC_DEFAULT_MAX_TOKENS: u32 = 4096;
const ANTHROPIC_MIN_BUDGET: u32 = 1024;

fn anthropic_rules(params: &Parameters, out: &mut AppliedParameters) {
    let requested_reasoning = reasoning_value(params.reasoning);
    // Decide the thinking budget first: max_tokens, temperature and top_p depend on it.
    let mut budget: Option<u32> = match params.reasoning {
        ReasoningControl::ProviderDefault => {
            out.report.warnings.push(
                "Anthropic thinking is off unless a reasoning effort or budget is set: no reasoning trace will come back and Think metrics will not be available"
                    .to_string(),
            );
            None
        }
        ReasoningControl::Off => {
            out.note(
                Parameter::Reasoning,
                requested_reasoning.clone(),
                "thinking is off when no thinking field is sent",
            );
            None
        }
        ReasoningControl::Effort(effort) => Some(effort.budget_tokens()),
        ReasoningControl::BudgetTokens(tokens) => Some(tokens.max(ANTHROPIC_MIN_BUDGET)),
    };

    let mut max_tokens_reason: Option<String> = None;
    let max_tokens = match (params.max_tokens, budget) {
        (None, None) => {
            max_tokens_reason = Some("Anthropic requires max_tokens".into());
            ANTHROPIC_DEFAULT_MAX_TOKENS
        }
        (Some(max), None) => max,
        (None, Some(b)) => {
            max_tokens_reason = Some(format!(
                "Anthropic requires max_tokens above the thinking budget; the budget plus {ANTHROPIC_DEFAULT_MAX_TOKENS} leaves room for the answer"
            ));
            b.saturating_add(ANTHROPIC_DEFAULT_MAX_TOKENS)
        }
        (Some(max), Some(b)) if max > b => max,
        (Some(max), Some(_)) if max >= 2 * ANTHROPIC_MIN_BUDGET => {
            // Keep the user's output cap (it bounds cost) and shrink the budget under it,
            // leaving 1024 tokens for the answer.
            budget = Some(max - ANTHROPIC_MIN_BUDGET);
            max
        }
        (Some(_), Some(b)) => {
            max_tokens_reason = Some(format!(
                "Anthropic requires max_tokens above budget_tokens ({b}), and the budget cannot go below {ANTHROPIC_MIN_BUDGET}"
            ));
            b.saturating_add(ANTHROPIC_MIN_BUDGET)
        }
    };

    if let Some(b) = budget {
        let thinking = json!({"type": "enabled", "budget_tokens": b});
        let plain = match params.reasoning {
            ReasoningControl::BudgetTokens(asked) => asked == b,
            _ => false,
        };
        if plain {
            out.send(
                Parameter::Reasoning,
                &["thinking"],
                requested_reasoning,
                thinking,
            );
        } else {
            let reason = match params.reasoning {
                ReasoningControl::Effort(effort) if effort.budget_tokens() == b => format!(
                    "Anthropic takes a thinking budget in tokens; effort {} maps to {b}",
                    effort.as_str()
                ),
                ReasoningControl::BudgetTokens(asked) if asked < ANTHROPIC_MIN_BUDGET => {
                    format!("Anthropic requires budget_tokens of at least {ANTHROPIC_MIN_BUDGET}")
                }
                _ => format!(
                    "budget_tokens must be below max_tokens ({max_tokens}); lowered to leave {ANTHROPIC_MIN_BUDGET} tokens for the answer"
                ),
            };
            out.adjust(
                Parameter::Reasoning,
                &["thinking"],
                requested_reasoning,
                thinking,
                reason,
            );
        }
    }

    let requested_max = params.max_tokens.map(Value::from);
    match max_tokens_reason {
        Some(reason) => out.adjust(
            Parameter::MaxTokens,
            &["max_tokens"],
            requested_max,
            max_tokens.into(),
            reason,
        ),
        None => out.send(
            Parameter::MaxTokens,
            &["max_tokens"],
            requested_max,
            max_tokens.into(),
        ),
    }

    let thinking = budget.is_some();
    let mut temperature_sent = false;
    if let Some(t) = params.temperature {
        if thinking && t != 1.0 {
            out.drop(
                Parameter::Temperature,
                Some(num(t)),
                "extended thinking requires temperature 1; unset means 1",
            );
        } else if t > 1.0 {
            out.adjust(
                Parameter::Temperature,
                &["temperature"],
                Some(num(t)),
                num(1.0),
                "Anthropic accepts temperature from 0 to 1".into(),
            );
            temperature_sent = true;
        } else {
            out.send(
                Parameter::Temperature,
                &["temperature"],
                Some(num(t)),
                num(t),
            );
            temperature_sent = true;
        }
    }
    if let Some(p) = params.top_p {
        if thinking && p < 0.95 {
            out.drop(
                Parameter::TopP,
                Some(num(p)),
                "extended thinking requires top_p of at least 0.95, or unset",
            );
        } else if temperature_sent {
            out.drop(
                Parameter::TopP,
                Some(num(p)),
                "recent Claude models reject temperature and top_p together; temperature is kept",
            );
        } else {
            out.send(Parameter::TopP, &["top_p"], Some(num(p)), num(p));
        }
    }
    out.send(
        Parameter::Stream,
        &["stream"],
        Some(params.stream.into()),
        params.stream.into(),
    );
    small_output_warning(params, thinking, out);
}

fn openai_rules(
    preset: PresetId,
    family: &ModelFamily<'_>,
    params: &Parameters,
    out: &mut AppliedParameters,
) {
    use PresetId as P;
    let openai_reasoning = family.is_openai_reasoning();

    // Sampling parameters.
    let sampling_rule: Option<(bool, &str)> = if preset == P::OpenAi && openai_reasoning {
        Some((
            false,
            "OpenAI reasoning models accept only the default temperature and no top_p",
        ))
    } else if preset == P::DeepSeek && family.is_deepseek_reasoner() {
        Some((
            true,
            "deepseek-reasoner accepts and ignores sampling parameters",
        ))
    } else if family.is_deepseek_reasoner() {
        Some((
            true,
            "DeepSeek-R1 models are documented to ignore sampling parameters",
        ))
    } else if preset == P::OpenRouter && openai_reasoning {
        Some((
            true,
            "OpenRouter drops sampling parameters for OpenAI reasoning models",
        ))
    } else {
        None
    };
    for (parameter, field, value) in [
        (Parameter::Temperature, "temperature", params.temperature),
        (Parameter::TopP, "top_p", params.top_p),
    ] {
        let Some(v) = value else { continue };
        match sampling_rule {
            Some((false, reason)) => out.drop(parameter, Some(num(v)), reason),
            Some((true, reason)) => out.ignore(parameter, &[field], num(v), reason),
            None => out.send(parameter, &[field], Some(num(v)), num(v)),
        }
    }

    // Output limit.
    if let Some(max) = params.max_tokens {
        let field = match preset {
            // OpenAI deprecated max_tokens (reasoning models refuse it); Groq follows OpenAI.
            P::OpenAi | P::Groq => "max_completion_tokens",
            _ => "max_tokens",
        };
        out.send(Parameter::MaxTokens, &[field], Some(max.into()), max.into());
    }

    let reasoning_on = reasoning_rules(preset, family, params.reasoning, out);

    out.send(
        Parameter::Stream,
        &["stream"],
        Some(params.stream.into()),
        params.stream.into(),
    );
    if params.stream && preset != P::Groq {
        out.send_because(
            Parameter::StreamUsage,
            &["stream_options", "include_usage"],
            true.into(),
            "asks for token usage in the stream's last chunk",
        );
    }
    small_output_warning(
        params,
        reasoning_on || openai_reasoning || family.is_deepseek_reasoner(),
        out,
    );
}

/// Applies the reasoning control for an OpenAI-format preset; true when reasoning is asked for.
fn reasoning_rules(
    preset: PresetId,
    family: &ModelFamily<'_>,
    control: ReasoningControl,
    out: &mut AppliedParameters,
) -> bool {
    use PresetId as P;
    let requested = reasoning_value(control);
    let effort_field: &[&'static str] = &["reasoning_effort"];

    // Sends an effort level, recording a conversion from a budget or a level the provider
    // lacks as an adjustment.
    let send_effort = |out: &mut AppliedParameters,
                       effort: ReasoningEffort,
                       floor: ReasoningEffort,
                       path: &[&'static str]| {
        let (asked, converted_from_budget) = match control {
            ReasoningControl::BudgetTokens(tokens) => {
                (ReasoningEffort::from_budget(tokens), Some(tokens))
            }
            _ => (effort, None),
        };
        let sent = asked.max(floor);
        let value = Value::from(sent.as_str());
        match (converted_from_budget, sent != asked) {
            (None, false) => out.send(Parameter::Reasoning, path, requested.clone(), value),
            (Some(tokens), false) => out.adjust(
                Parameter::Reasoning,
                path,
                requested.clone(),
                value,
                format!("this provider takes an effort level, not a token budget; {tokens} tokens maps to {}", sent.as_str()),
            ),
            (_, true) => out.adjust(
                Parameter::Reasoning,
                path,
                requested.clone(),
                value,
                format!("the lowest effort this model accepts is {}", floor.as_str()),
            ),
        }
    };
    let effort_of = |control: ReasoningControl| match control {
        ReasoningControl::Effort(e) => e,
        ReasoningControl::BudgetTokens(tokens) => ReasoningEffort::from_budget(tokens),
        _ => ReasoningEffort::Medium,
    };

    if control == ReasoningControl::ProviderDefault {
        // Nothing to send, but some providers need a field to return the trace at all.
        reasoning_output_fields(preset, family, true, out);
        return false;
    }
    let on = control != ReasoningControl::Off;

    match preset {
        P::OpenAi => {
            if !family.is_openai_reasoning() {
                out.drop(Parameter::Reasoning, requested, format!("{} is not a reasoning model", family.raw));
                return false;
            }
            let floor = if family.is_gpt5() { ReasoningEffort::Minimal } else { ReasoningEffort::Low };
            if on {
                send_effort(out, effort_of(control), floor, effort_field);
            } else {
                out.adjust(
                    Parameter::Reasoning,
                    effort_field,
                    requested,
                    floor.as_str().into(),
                    format!("OpenAI reasoning models cannot turn reasoning off; {} is the least", floor.as_str()),
                );
            }
        }
        P::Gemini => match control {
            ReasoningControl::Off => out.send(Parameter::Reasoning, effort_field, requested, "none".into()),
            ReasoningControl::BudgetTokens(tokens) => out.send(
                Parameter::Reasoning,
                &["extra_body", "google", "thinking_config", "thinking_budget"],
                requested,
                tokens.into(),
            ),
            _ => send_effort(out, effort_of(control), ReasoningEffort::Minimal, effort_field),
        },
        P::DeepSeek => {
            out.drop(
                Parameter::Reasoning,
                requested,
                "DeepSeek has no reasoning control: deepseek-reasoner always reasons, deepseek-chat never does",
            );
        }
        P::OpenRouter => match control {
            ReasoningControl::Off => {
                out.send(Parameter::Reasoning, &["reasoning", "enabled"], requested, false.into())
            }
            ReasoningControl::BudgetTokens(tokens) => {
                out.send(Parameter::Reasoning, &["reasoning", "max_tokens"], requested, tokens.into())
            }
            _ => send_effort(out, effort_of(control), ReasoningEffort::Minimal, &["reasoning", "effort"]),
        },
        P::Groq => {
            if family.is_gpt_oss() {
                if on {
                    send_effort(out, effort_of(control), ReasoningEffort::Low, effort_field);
                } else {
                    out.adjust(
                        Parameter::Reasoning,
                        effort_field,
                        requested,
                        "low".into(),
                        "gpt-oss cannot turn reasoning off; low is the least".into(),
                    );
                }
            } else if family.is_qwen3_like() {
                if on {
                    out.adjust(
                        Parameter::Reasoning,
                        effort_field,
                        requested,
                        "default".into(),
                        "Qwen3 on Groq only turns reasoning on (default) or off (none)".into(),
                    );
                } else {
                    out.send(Parameter::Reasoning, effort_field, requested, "none".into());
                }
            } else {
                out.drop(
                    Parameter::Reasoning,
                    requested,
                    format!("Groq offers no reasoning control for {}", family.raw),
                );
            }
        }
        P::Ollama | P::Simulator => match control {
            ReasoningControl::Off => out.send(Parameter::Reasoning, effort_field, requested, "none".into()),
            _ => {
                let floor = if preset == P::Ollama { ReasoningEffort::Low } else { ReasoningEffort::Minimal };
                send_effort(out, effort_of(control), floor, effort_field)
            }
        },
        P::Vllm | P::LlamaCpp if !on => out.send(
            Parameter::Reasoning,
            &["chat_template_kwargs", "enable_thinking"],
            requested,
            false.into(),
        ),
        P::LlamaCpp => out.drop(
            Parameter::Reasoning,
            requested,
            "llama.cpp has no per-request reasoning effort; start llama-server with --reasoning-budget",
        ),
        P::Vllm | P::Together | P::Fireworks | P::LmStudio | P::Custom => {
            if on {
                send_effort(out, effort_of(control), ReasoningEffort::Minimal, effort_field);
            } else {
                out.drop(
                    Parameter::Reasoning,
                    requested,
                    "this server has no standard way to turn reasoning off; choose a non-reasoning model",
                );
            }
        }
        P::Anthropic => {
            // Anthropic speaks its own wire format; handled by anthropic_rules.
        }
    }
    // Models that cannot stop reasoning still reason (and may return a trace) when asked to.
    let reasons = on
        || (preset == P::Groq && family.is_gpt_oss())
        || (preset == P::OpenAi && family.is_openai_reasoning());
    reasoning_output_fields(preset, family, reasons, out);
    reasons
}

/// Fields some providers need before they return a reasoning trace at all.
fn reasoning_output_fields(
    preset: PresetId,
    family: &ModelFamily<'_>,
    on: bool,
    out: &mut AppliedParameters,
) {
    match preset {
        PresetId::Gemini if on => out.send_because(
            Parameter::ReasoningOutput,
            &[
                "extra_body",
                "google",
                "thinking_config",
                "include_thoughts",
            ],
            true.into(),
            "asks for thought summaries, the only reasoning trace Gemini returns",
        ),
        PresetId::Groq if on && family.is_gpt_oss() => out.send_because(
            Parameter::ReasoningOutput,
            &["include_reasoning"],
            true.into(),
            "returns gpt-oss reasoning in its own field",
        ),
        PresetId::Groq if on && (family.is_qwen3_like() || family.is_deepseek_reasoner()) => out
            .send_because(
                Parameter::ReasoningOutput,
                &["reasoning_format"],
                "parsed".into(),
                "returns the reasoning in its own field instead of <think> tags",
            ),
        _ => {}
    }
}

fn small_output_warning(params: &Parameters, reasoning: bool, out: &mut AppliedParameters) {
    if let Some(max) = params.max_tokens {
        if reasoning && max < 2048 {
            out.report.warnings.push(format!(
                "reasoning tokens count against the output limit: with max tokens {max} the answer may come back empty"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(
        preset: PresetId,
        wire: WireFormat,
        model: &str,
        params: Parameters,
    ) -> AppliedParameters {
        apply(preset, wire, model, &params).expect("valid parameters")
    }

    fn body(applied: &AppliedParameters) -> Value {
        let mut map = Map::new();
        applied.write_into(&mut map);
        Value::Object(map)
    }

    #[test]
    fn effort_and_budget_conversions_are_inverse_on_the_steps() {
        for effort in [
            ReasoningEffort::Minimal,
            ReasoningEffort::Low,
            ReasoningEffort::Medium,
            ReasoningEffort::High,
        ] {
            assert_eq!(ReasoningEffort::from_budget(effort.budget_tokens()), effort);
        }
    }

    #[test]
    fn family_detection() {
        for reasoning in [
            "o1",
            "o3-mini",
            "o4-mini-2025-04-16",
            "gpt-5",
            "gpt-5-mini",
            "openai/o3",
        ] {
            assert!(
                ModelFamily::of(reasoning).is_openai_reasoning(),
                "{reasoning}"
            );
        }
        for plain in ["gpt-4o", "gpt-4.1-mini", "gpt-5-chat-latest", "o1x", "omni"] {
            assert!(!ModelFamily::of(plain).is_openai_reasoning(), "{plain}");
        }
        assert!(ModelFamily::of("accounts/fireworks/models/deepseek-r1").is_deepseek_reasoner());
        assert!(ModelFamily::of("qwen/qwen3-32b").is_qwen3_like());
    }

    #[test]
    fn nested_fields_merge() {
        let applied = run(
            PresetId::Gemini,
            WireFormat::OpenAiChat,
            "gemini-2.5-flash",
            Parameters {
                reasoning: ReasoningControl::BudgetTokens(800),
                ..Parameters::default()
            },
        );
        let body = body(&applied);
        assert_eq!(
            body["extra_body"]["google"]["thinking_config"]["thinking_budget"],
            800
        );
        assert_eq!(
            body["extra_body"]["google"]["thinking_config"]["include_thoughts"],
            true
        );
        assert!(
            body.get("reasoning_effort").is_none(),
            "never both effort and budget"
        );
    }

    #[test]
    fn validation_names_the_parameter() {
        let bad = Parameters {
            temperature: Some(2.5),
            ..Parameters::default()
        };
        let err = bad.validate().unwrap_err();
        assert_eq!(err.parameter, Parameter::Temperature);
        assert!(err.to_string().contains("0 to 2"), "{err}");
        let bad = Parameters {
            top_p: Some(f64::NAN),
            ..Parameters::default()
        };
        assert_eq!(bad.validate().unwrap_err().parameter, Parameter::TopP);
        let bad = Parameters {
            max_tokens: Some(0),
            ..Parameters::default()
        };
        assert_eq!(bad.validate().unwrap_err().parameter, Parameter::MaxTokens);
    }

    #[test]
    fn entry_display_reads_as_a_sentence() {
        let applied = run(
            PresetId::OpenAi,
            WireFormat::OpenAiChat,
            "o3",
            Parameters {
                temperature: Some(0.7),
                max_tokens: Some(4000),
                ..Parameters::default()
            },
        );
        let lines: Vec<String> = applied
            .report
            .entries
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert!(lines.contains(&"temperature: dropped 0.7 (OpenAI reasoning models accept only the default temperature and no top_p)".to_string()), "{lines:?}");
        assert!(
            lines.contains(&"max tokens: sent 4000 as max_completion_tokens".to_string()),
            "{lines:?}"
        );
    }
}
