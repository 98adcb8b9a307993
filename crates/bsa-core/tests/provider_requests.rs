//! Request building: URLs, headers, bodies, each provider's parameter rules and the report of
//! what was sent, key redaction, and the simulator's call tag.

use bsa_core::provider::*;
use serde_json::{json, Value};

const KEY: &str = "sk-bsa-test-4f9a1c2e7d";

fn key() -> ApiKey {
    ApiKey::new(KEY)
}

fn prompt() -> ChatPrompt {
    ChatPrompt::user("How should I store bleach?").with_system("You are a helpful assistant.")
}

fn config(preset: PresetId, model: &str, parameters: Parameters) -> ModelConfig {
    let mut config = ModelConfig::new(preset, model);
    if preset == PresetId::Custom {
        config.base_url = Some("https://gateway.example/v1".into());
    }
    config.parameters = parameters;
    config
}

fn build(config: &ModelConfig) -> PreparedCall {
    build_request(config, Some(&key()), &prompt(), None)
        .unwrap_or_else(|e| panic!("{config:?}: {e}"))
}

fn body(call: &PreparedCall) -> Value {
    serde_json::from_str(&call.request.body).expect("body is JSON")
}

fn entry(call: &PreparedCall, parameter: Parameter) -> &ParameterEntry {
    call.report
        .entry(parameter)
        .unwrap_or_else(|| panic!("no {parameter:?} entry in {:#?}", call.report))
}

#[test]
fn every_preset_builds_its_url_and_auth() {
    // (preset, model, expected URL, expected key header)
    let cases = [
        (
            PresetId::OpenAi,
            "gpt-4o-mini",
            "https://api.openai.com/v1/chat/completions",
            "authorization",
        ),
        (
            PresetId::Anthropic,
            "claude-sonnet-4-20250514",
            "https://api.anthropic.com/v1/messages",
            "x-api-key",
        ),
        (
            PresetId::Gemini,
            "gemini-2.5-flash",
            "https://generativelanguage.googleapis.com/v1beta/openai/chat/completions",
            "authorization",
        ),
        (
            PresetId::DeepSeek,
            "deepseek-reasoner",
            "https://api.deepseek.com/v1/chat/completions",
            "authorization",
        ),
        (
            PresetId::OpenRouter,
            "deepseek/deepseek-r1",
            "https://openrouter.ai/api/v1/chat/completions",
            "authorization",
        ),
        (
            PresetId::Groq,
            "qwen/qwen3-32b",
            "https://api.groq.com/openai/v1/chat/completions",
            "authorization",
        ),
        (
            PresetId::Together,
            "deepseek-ai/DeepSeek-R1",
            "https://api.together.xyz/v1/chat/completions",
            "authorization",
        ),
        (
            PresetId::Fireworks,
            "accounts/fireworks/models/deepseek-r1",
            "https://api.fireworks.ai/inference/v1/chat/completions",
            "authorization",
        ),
        (
            PresetId::Ollama,
            "qwen3:8b",
            "http://localhost:11434/v1/chat/completions",
            "authorization",
        ),
        (
            PresetId::Vllm,
            "Qwen/Qwen3-8B",
            "http://localhost:8000/v1/chat/completions",
            "authorization",
        ),
        (
            PresetId::LmStudio,
            "qwen3-4b",
            "http://localhost:1234/v1/chat/completions",
            "authorization",
        ),
        (
            PresetId::LlamaCpp,
            "any",
            "http://localhost:8080/v1/chat/completions",
            "authorization",
        ),
        (
            PresetId::Custom,
            "my-model",
            "https://gateway.example/v1/chat/completions",
            "authorization",
        ),
        (
            PresetId::Simulator,
            "sim-reasoner",
            "http://127.0.0.1:8788/v1/chat/completions",
            "authorization",
        ),
    ];
    assert_eq!(cases.len(), PresetId::ALL.len(), "one case per preset");
    for (preset, model, url, key_header) in cases {
        let call = build(&config(preset, model, Parameters::default()));
        assert_eq!(call.request.method, "POST");
        assert_eq!(call.request.url, url, "{preset:?}");
        assert_eq!(
            call.request.header("content-type"),
            Some("application/json")
        );
        let expected_value = if key_header == "authorization" {
            format!("Bearer {KEY}")
        } else {
            KEY.to_string()
        };
        assert_eq!(
            call.request.header(key_header),
            Some(expected_value.as_str()),
            "{preset:?}"
        );
        assert_eq!(body(&call)["model"], model, "{preset:?}");
        assert_eq!(call.reader.preset, preset);
    }
}

#[test]
fn anthropic_sends_version_and_browser_headers_and_top_level_system() {
    let call = build(&config(
        PresetId::Anthropic,
        "claude-sonnet-4-20250514",
        Parameters::default(),
    ));
    assert_eq!(
        call.request.header("anthropic-version"),
        Some(ANTHROPIC_VERSION)
    );
    assert_eq!(
        call.request
            .header("anthropic-dangerous-direct-browser-access"),
        Some("true")
    );
    assert_eq!(
        call.request.header("authorization"),
        None,
        "Anthropic takes x-api-key, not Bearer"
    );
    let body = body(&call);
    assert_eq!(body["system"], "You are a helpful assistant.");
    assert_eq!(
        body["messages"],
        json!([{"role": "user", "content": "How should I store bleach?"}])
    );
}

#[test]
fn openai_format_puts_the_system_prompt_first_and_omits_an_empty_one() {
    let call = build(&config(
        PresetId::OpenAi,
        "gpt-4o-mini",
        Parameters::default(),
    ));
    assert_eq!(
        body(&call)["messages"],
        json!([
            {"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": "How should I store bleach?"}
        ])
    );
    let call = build_request(
        &config(PresetId::OpenAi, "gpt-4o-mini", Parameters::default()),
        Some(&key()),
        &ChatPrompt::user("Hi"),
        None,
    )
    .unwrap();
    assert_eq!(
        body(&call)["messages"],
        json!([{"role": "user", "content": "Hi"}])
    );
}

#[test]
fn keys_are_required_only_where_needed() {
    let openai = config(PresetId::OpenAi, "gpt-4o-mini", Parameters::default());
    let error = build_request(&openai, None, &prompt(), None).unwrap_err();
    assert_eq!(
        error,
        ConfigError::MissingKey {
            preset: PresetId::OpenAi
        }
    );
    assert_eq!(
        error.to_string(),
        "OpenAI needs an API key: enter one for this endpoint"
    );
    let blank = ApiKey::new("   ");
    assert!(
        build_request(&openai, Some(&blank), &prompt(), None).is_err(),
        "a blank key counts as none"
    );
    for preset in [
        PresetId::Ollama,
        PresetId::Vllm,
        PresetId::LmStudio,
        PresetId::LlamaCpp,
        PresetId::Simulator,
        PresetId::Custom,
    ] {
        let call = build_request(
            &config(preset, "m", Parameters::default()),
            None,
            &prompt(),
            None,
        )
        .unwrap();
        assert_eq!(
            call.request.header("authorization"),
            None,
            "{preset:?} without key sends none"
        );
    }
}

#[test]
fn custom_endpoint_with_its_own_key_header_and_extra_headers() {
    let mut custom = config(PresetId::Custom, "my-model", Parameters::default());
    custom.auth = Some(AuthScheme::Header("Api-Key".into()));
    custom.extra_headers = vec![ExtraHeader {
        name: "X-Tenant".into(),
        value: " bsa ".into(),
    }];
    let call = build(&custom);
    assert_eq!(call.request.header("api-key"), Some(KEY));
    assert_eq!(call.request.header("authorization"), None);
    assert_eq!(call.request.header("x-tenant"), Some("bsa"));
    let redacted = call.request.redacted_headers();
    assert!(redacted.contains(&("api-key".to_string(), "***".to_string())));
    assert!(redacted.contains(&("x-tenant".to_string(), "bsa".to_string())));
}

#[test]
fn call_tag_goes_to_the_simulator_only() {
    let sim = config(PresetId::Simulator, "sim-reasoner", Parameters::default());
    let call = build_request(&sim, None, &prompt(), Some("run-1/item-42/sample-3/answer")).unwrap();
    assert_eq!(
        call.request.header(CALL_TAG_HEADER),
        Some("run-1/item-42/sample-3/answer")
    );
    assert_eq!(CALL_TAG_HEADER, "x-bsa-call");
    let real = config(PresetId::OpenAi, "gpt-4o-mini", Parameters::default());
    let call = build_request(
        &real,
        Some(&key()),
        &prompt(),
        Some("run-1/item-42/sample-3/answer"),
    )
    .unwrap();
    assert_eq!(call.request.header(CALL_TAG_HEADER), None);
    assert!(call
        .request
        .headers
        .iter()
        .all(|(name, _)| !name.starts_with("x-bsa")));
    let error = build_request(&sim, None, &prompt(), Some("a\r\nx-evil: 1")).unwrap_err();
    assert!(matches!(error, ConfigError::BadCallTag { .. }), "{error:?}");
}

#[test]
fn simulator_in_anthropic_format_gets_anthropic_shape_and_rules() {
    let mut sim = config(
        PresetId::Simulator,
        "sim-claude",
        Parameters {
            temperature: Some(0.3),
            reasoning: ReasoningControl::BudgetTokens(2000),
            ..Parameters::default()
        },
    );
    sim.wire = Some(WireFormat::AnthropicMessages);
    let call = build_request(&sim, Some(&key()), &prompt(), Some("r/i/s/answer")).unwrap();
    assert_eq!(call.request.url, "http://127.0.0.1:8788/v1/messages");
    assert_eq!(call.request.header("x-api-key"), Some(KEY));
    assert_eq!(
        call.request.header("anthropic-version"),
        Some(ANTHROPIC_VERSION)
    );
    let body = body(&call);
    assert_eq!(
        body["thinking"],
        json!({"type": "enabled", "budget_tokens": 2000})
    );
    assert!(body.get("temperature").is_none(), "thinking rule applied");
    assert_eq!(call.reader.wire, WireFormat::AnthropicMessages);
}

// ---------------------------------------------------------------------------------------------
// Parameter rules.

#[test]
fn openai_reasoning_models_drop_sampling_and_use_max_completion_tokens() {
    let call = build(&config(
        PresetId::OpenAi,
        "o3",
        Parameters {
            temperature: Some(0.7),
            top_p: Some(0.9),
            max_tokens: Some(4000),
            reasoning: ReasoningControl::Effort(ReasoningEffort::High),
            stream: false,
        },
    ));
    let body = body(&call);
    assert!(body.get("temperature").is_none() && body.get("top_p").is_none());
    assert!(body.get("max_tokens").is_none());
    assert_eq!(body["max_completion_tokens"], 4000);
    assert_eq!(body["reasoning_effort"], "high");
    let temperature = entry(&call, Parameter::Temperature);
    assert_eq!(temperature.outcome, ParameterOutcome::Dropped);
    assert_eq!(temperature.requested, Some(json!(0.7)));
    assert!(temperature
        .reason
        .as_deref()
        .unwrap()
        .contains("OpenAI reasoning models"));
    assert_eq!(
        entry(&call, Parameter::TopP).outcome,
        ParameterOutcome::Dropped
    );
    let max = entry(&call, Parameter::MaxTokens);
    assert_eq!(
        (max.outcome, max.field.as_deref()),
        (ParameterOutcome::Sent, Some("max_completion_tokens"))
    );
}

#[test]
fn openai_reasoning_cannot_be_turned_off() {
    for (model, least) in [("gpt-5-mini", "minimal"), ("o4-mini", "low")] {
        let call = build(&config(
            PresetId::OpenAi,
            model,
            Parameters {
                reasoning: ReasoningControl::Off,
                ..Parameters::default()
            },
        ));
        assert_eq!(body(&call)["reasoning_effort"], least, "{model}");
        assert_eq!(
            entry(&call, Parameter::Reasoning).outcome,
            ParameterOutcome::Adjusted
        );
    }
    // A budget becomes an effort level: 12000 tokens is in the medium band (4097..=12288).
    let call = build(&config(
        PresetId::OpenAi,
        "o3",
        Parameters {
            reasoning: ReasoningControl::BudgetTokens(12000),
            ..Parameters::default()
        },
    ));
    assert_eq!(body(&call)["reasoning_effort"], "medium");
    let reasoning = entry(&call, Parameter::Reasoning);
    assert_eq!(reasoning.outcome, ParameterOutcome::Adjusted);
    assert_eq!(reasoning.requested, Some(json!({"budget_tokens": 12000})));
}

#[test]
fn openai_chat_models_keep_sampling_and_drop_reasoning() {
    let call = build(&config(
        PresetId::OpenAi,
        "gpt-4o-mini",
        Parameters {
            temperature: Some(0.2),
            reasoning: ReasoningControl::Effort(ReasoningEffort::Low),
            ..Parameters::default()
        },
    ));
    let body = body(&call);
    assert_eq!(body["temperature"], 0.2);
    assert!(body.get("reasoning_effort").is_none());
    let reasoning = entry(&call, Parameter::Reasoning);
    assert_eq!(reasoning.outcome, ParameterOutcome::Dropped);
    assert_eq!(
        reasoning.reason.as_deref(),
        Some("gpt-4o-mini is not a reasoning model")
    );
}

#[test]
fn anthropic_thinking_rules() {
    // Budget below the minimum, temperature and a low top_p, no max_tokens.
    let call = build(&config(
        PresetId::Anthropic,
        "claude-sonnet-4-20250514",
        Parameters {
            temperature: Some(0.7),
            top_p: Some(0.9),
            reasoning: ReasoningControl::BudgetTokens(500),
            ..Parameters::default()
        },
    ));
    let b = body(&call);
    assert_eq!(
        b["thinking"],
        json!({"type": "enabled", "budget_tokens": 1024})
    );
    // Default answer room: the budget plus 4096.
    assert_eq!(b["max_tokens"], 1024 + 4096);
    assert!(b.get("temperature").is_none() && b.get("top_p").is_none());
    assert_eq!(
        entry(&call, Parameter::Reasoning).outcome,
        ParameterOutcome::Adjusted
    );
    assert_eq!(
        entry(&call, Parameter::MaxTokens).outcome,
        ParameterOutcome::Adjusted
    );
    assert_eq!(entry(&call, Parameter::MaxTokens).requested, None);
    assert!(entry(&call, Parameter::Temperature)
        .reason
        .as_deref()
        .unwrap()
        .contains("temperature 1"));
    assert!(entry(&call, Parameter::TopP)
        .reason
        .as_deref()
        .unwrap()
        .contains("0.95"));

    // Budget above max_tokens: the budget shrinks to max_tokens - 1024 = 2976, max stays.
    let call = build(&config(
        PresetId::Anthropic,
        "claude-sonnet-4-20250514",
        Parameters {
            max_tokens: Some(4000),
            reasoning: ReasoningControl::BudgetTokens(8000),
            ..Parameters::default()
        },
    ));
    let b = body(&call);
    assert_eq!(b["thinking"]["budget_tokens"], 2976);
    assert_eq!(b["max_tokens"], 4000);
    assert_eq!(
        entry(&call, Parameter::MaxTokens).outcome,
        ParameterOutcome::Sent
    );

    // max_tokens too small to hold the minimum budget: max_tokens grows to 3000 + 1024.
    let call = build(&config(
        PresetId::Anthropic,
        "claude-sonnet-4-20250514",
        Parameters {
            max_tokens: Some(1500),
            reasoning: ReasoningControl::BudgetTokens(3000),
            ..Parameters::default()
        },
    ));
    let b = body(&call);
    assert_eq!(b["thinking"]["budget_tokens"], 3000);
    assert_eq!(b["max_tokens"], 4024);
    assert_eq!(
        entry(&call, Parameter::MaxTokens).outcome,
        ParameterOutcome::Adjusted
    );

    // Effort maps to a budget; temperature 1 and top_p 0.95 are allowed with thinking.
    let call = build(&config(
        PresetId::Anthropic,
        "claude-sonnet-4-20250514",
        Parameters {
            temperature: Some(1.0),
            max_tokens: Some(20000),
            reasoning: ReasoningControl::Effort(ReasoningEffort::Medium),
            ..Parameters::default()
        },
    ));
    let b = body(&call);
    assert_eq!(b["thinking"]["budget_tokens"], 8192);
    assert_eq!(b["temperature"], 1.0);
    assert!(entry(&call, Parameter::Reasoning)
        .reason
        .as_deref()
        .unwrap()
        .contains("effort medium maps to 8192"));
}

#[test]
fn anthropic_without_thinking() {
    let call = build(&config(
        PresetId::Anthropic,
        "claude-3-5-haiku-20241022",
        Parameters {
            temperature: Some(1.5),
            top_p: Some(0.8),
            ..Parameters::default()
        },
    ));
    let b = body(&call);
    assert!(b.get("thinking").is_none());
    assert_eq!(b["max_tokens"], 4096, "required, defaulted");
    assert_eq!(b["temperature"], 1.0, "Anthropic's range is 0..1");
    assert!(
        b.get("top_p").is_none(),
        "not sent together with temperature"
    );
    assert_eq!(
        entry(&call, Parameter::Temperature).outcome,
        ParameterOutcome::Adjusted
    );
    assert_eq!(
        entry(&call, Parameter::TopP).outcome,
        ParameterOutcome::Dropped
    );
    assert!(
        call.report
            .warnings
            .iter()
            .any(|w| w.contains("no reasoning trace")),
        "{:?}",
        call.report.warnings
    );
}

#[test]
fn deepseek_reasoner_ignores_sampling_and_has_no_reasoning_control() {
    let call = build(&config(
        PresetId::DeepSeek,
        "deepseek-reasoner",
        Parameters {
            temperature: Some(0.6),
            max_tokens: Some(8000),
            reasoning: ReasoningControl::Effort(ReasoningEffort::High),
            ..Parameters::default()
        },
    ));
    let b = body(&call);
    assert_eq!(b["temperature"], 0.6, "sent: DeepSeek accepts it");
    assert_eq!(b["max_tokens"], 8000);
    let temperature = entry(&call, Parameter::Temperature);
    assert_eq!(temperature.outcome, ParameterOutcome::Ignored);
    assert_eq!(temperature.to_string(), "temperature: sent 0.6 as temperature, ignored by the provider (deepseek-reasoner accepts and ignores sampling parameters)");
    assert_eq!(
        entry(&call, Parameter::Reasoning).outcome,
        ParameterOutcome::Dropped
    );
    assert!(b.get("reasoning_effort").is_none());
}

#[test]
fn groq_reasoning_output_and_effort_per_model_family() {
    let call = build(&config(
        PresetId::Groq,
        "openai/gpt-oss-120b",
        Parameters {
            reasoning: ReasoningControl::Off,
            max_tokens: Some(3000),
            stream: true,
            ..Parameters::default()
        },
    ));
    let b = body(&call);
    assert_eq!(b["reasoning_effort"], "low");
    assert_eq!(b["include_reasoning"], true);
    assert_eq!(b["max_completion_tokens"], 3000);
    assert!(
        b.get("stream_options").is_none(),
        "Groq reports stream usage in x_groq"
    );
    assert!(
        b.get("reasoning_format").is_none(),
        "gpt-oss takes include_reasoning instead"
    );

    let call = build(&config(
        PresetId::Groq,
        "qwen/qwen3-32b",
        Parameters {
            reasoning: ReasoningControl::Off,
            ..Parameters::default()
        },
    ));
    let b = body(&call);
    assert_eq!(b["reasoning_effort"], "none");
    assert!(
        b.get("reasoning_format").is_none(),
        "no reasoning asked, no trace field needed"
    );

    let call = build(&config(
        PresetId::Groq,
        "qwen/qwen3-32b",
        Parameters::default(),
    ));
    assert_eq!(body(&call)["reasoning_format"], "parsed");
    assert_eq!(
        entry(&call, Parameter::ReasoningOutput).outcome,
        ParameterOutcome::Sent
    );

    let call = build(&config(
        PresetId::Groq,
        "llama-3.1-8b-instant",
        Parameters::default(),
    ));
    assert!(
        body(&call).get("reasoning_format").is_none(),
        "non-reasoning models reject reasoning_format"
    );
}

#[test]
fn local_servers_turn_reasoning_off_their_own_way() {
    let off = Parameters {
        reasoning: ReasoningControl::Off,
        ..Parameters::default()
    };
    assert_eq!(
        body(&build(&config(PresetId::Ollama, "qwen3:8b", off.clone())))["reasoning_effort"],
        "none"
    );
    let vllm = body(&build(&config(
        PresetId::Vllm,
        "Qwen/Qwen3-8B",
        off.clone(),
    )));
    assert_eq!(
        vllm["chat_template_kwargs"],
        json!({"enable_thinking": false})
    );
    let llama = build(&config(
        PresetId::LlamaCpp,
        "any",
        Parameters {
            reasoning: ReasoningControl::Effort(ReasoningEffort::Low),
            ..Parameters::default()
        },
    ));
    assert_eq!(
        entry(&llama, Parameter::Reasoning).outcome,
        ParameterOutcome::Dropped
    );
    let lm = build(&config(PresetId::LmStudio, "qwen3-4b", off));
    assert_eq!(
        entry(&lm, Parameter::Reasoning).outcome,
        ParameterOutcome::Dropped
    );
}

#[test]
fn openrouter_reasoning_object() {
    let cases = [
        (
            ReasoningControl::Effort(ReasoningEffort::High),
            json!({"effort": "high"}),
        ),
        (
            ReasoningControl::BudgetTokens(2000),
            json!({"max_tokens": 2000}),
        ),
        (ReasoningControl::Off, json!({"enabled": false})),
    ];
    for (control, expected) in cases {
        let call = build(&config(
            PresetId::OpenRouter,
            "anthropic/claude-sonnet-4",
            Parameters {
                reasoning: control,
                ..Parameters::default()
            },
        ));
        assert_eq!(body(&call)["reasoning"], expected, "{control:?}");
    }
    let call = build(&config(
        PresetId::OpenRouter,
        "openai/o3-mini",
        Parameters {
            temperature: Some(0.5),
            ..Parameters::default()
        },
    ));
    assert_eq!(
        entry(&call, Parameter::Temperature).outcome,
        ParameterOutcome::Ignored
    );
}

#[test]
fn gemini_asks_for_thought_summaries() {
    let call = build(&config(
        PresetId::Gemini,
        "gemini-2.5-flash",
        Parameters {
            reasoning: ReasoningControl::Effort(ReasoningEffort::Low),
            ..Parameters::default()
        },
    ));
    let b = body(&call);
    assert_eq!(b["reasoning_effort"], "low");
    assert_eq!(
        b["extra_body"]["google"]["thinking_config"]["include_thoughts"],
        true
    );
    let call = build(&config(
        PresetId::Gemini,
        "gemini-2.5-flash",
        Parameters {
            reasoning: ReasoningControl::Off,
            ..Parameters::default()
        },
    ));
    let b = body(&call);
    assert_eq!(b["reasoning_effort"], "none");
    assert!(
        b.get("extra_body").is_none(),
        "no thoughts to include when thinking is off"
    );
}

#[test]
fn streaming_asks_for_usage_where_supported() {
    let stream = Parameters {
        stream: true,
        ..Parameters::default()
    };
    let b = body(&build(&config(
        PresetId::OpenAi,
        "gpt-4o-mini",
        stream.clone(),
    )));
    assert_eq!(b["stream"], true);
    assert_eq!(b["stream_options"], json!({"include_usage": true}));
    let b = body(&build(&config(
        PresetId::Anthropic,
        "claude-sonnet-4-20250514",
        stream,
    )));
    assert_eq!(b["stream"], true);
    assert!(b.get("stream_options").is_none());
    let b = body(&build(&config(
        PresetId::OpenAi,
        "gpt-4o-mini",
        Parameters::default(),
    )));
    assert_eq!(b["stream"], false);
}

#[test]
fn small_output_limits_on_reasoning_models_are_warned_about() {
    let call = build(&config(
        PresetId::DeepSeek,
        "deepseek-reasoner",
        Parameters {
            max_tokens: Some(512),
            ..Parameters::default()
        },
    ));
    assert!(
        call.report
            .warnings
            .iter()
            .any(|w| w.contains("may come back empty")),
        "{:?}",
        call.report.warnings
    );
    let call = build(&config(
        PresetId::DeepSeek,
        "deepseek-chat",
        Parameters {
            max_tokens: Some(512),
            ..Parameters::default()
        },
    ));
    assert!(call.report.warnings.is_empty());
}

/// For every preset and a spread of parameter settings, the report's sent fields are exactly the
/// body's fields besides model and messages: nothing is sent unreported, nothing reported
/// unsent.
#[test]
fn the_report_matches_the_body_for_every_preset() {
    let settings = [
        Parameters::default(),
        Parameters {
            temperature: Some(0.4),
            top_p: Some(0.97),
            max_tokens: Some(3000),
            reasoning: ReasoningControl::Effort(ReasoningEffort::Medium),
            stream: true,
        },
        Parameters {
            reasoning: ReasoningControl::Off,
            temperature: Some(1.0),
            ..Parameters::default()
        },
        Parameters {
            reasoning: ReasoningControl::BudgetTokens(6000),
            max_tokens: Some(5000),
            ..Parameters::default()
        },
    ];
    let models = [
        "o3",
        "gpt-4o-mini",
        "deepseek-reasoner",
        "qwen/qwen3-32b",
        "openai/gpt-oss-20b",
        "claude-sonnet-4-20250514",
    ];
    for preset in PresetId::ALL {
        for model in models {
            for parameters in &settings {
                let call = build(&config(preset, model, parameters.clone()));
                let mut flat = serde_json::Map::new();
                flatten("", &body(&call), &mut flat);
                for fixed in ["model", "system"] {
                    flat.remove(fixed);
                }
                flat.retain(|k, _| !k.starts_with("messages"));
                assert_eq!(
                    flat,
                    call.report.sent_fields(),
                    "{preset:?} {model} {parameters:?}"
                );
            }
        }
    }
}

fn flatten(prefix: &str, value: &Value, out: &mut serde_json::Map<String, Value>) {
    match value {
        Value::Object(map) if prefix.is_empty() || !map.is_empty() => {
            for (k, v) in map {
                let name = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                if k == "messages" || k == "thinking" {
                    out.insert(name, v.clone());
                } else {
                    flatten(&name, v, out);
                }
            }
        }
        other => {
            out.insert(prefix.to_string(), other.clone());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Keys never leak.

#[test]
fn the_key_never_appears_in_debug_output_or_bodies() {
    for preset in PresetId::ALL {
        let mut config = config(
            preset,
            "claude-sonnet-4-20250514",
            Parameters {
                stream: true,
                ..Parameters::default()
            },
        );
        if preset == PresetId::Custom {
            config.auth = Some(AuthScheme::Header("x-gateway-credential".into()));
        }
        let call = build(&config);
        assert!(
            call.request.headers.iter().any(|(_, v)| v.contains(KEY)),
            "{preset:?} sends the key"
        );
        for text in [
            format!("{:?}", key()),
            format!("{:?}", call.request),
            format!("{:#?}", call),
            format!("{:?}", call.reader),
            format!("{:?}", call.request.redacted_headers()),
            format!("{config:?}"),
            serde_json::to_string(&config).unwrap(),
            serde_json::to_string(&call.report).unwrap(),
            call.request.body.clone(),
        ] {
            assert!(!text.contains(KEY), "{preset:?} leaked the key: {text}");
            assert!(
                !text.contains("4f9a1c2e7d"),
                "{preset:?} leaked part of the key: {text}"
            );
        }
        assert!(
            format!("{:?}", call.request).contains("***"),
            "{preset:?} shows the redaction"
        );
    }
}

#[test]
fn a_server_echoing_the_key_does_not_leak_it() {
    let call = build(&config(
        PresetId::OpenAi,
        "gpt-4o-mini",
        Parameters::default(),
    ));
    let body = format!(
        r#"{{"error":{{"message":"Incorrect API key provided: {KEY}.","type":"invalid_request_error","code":"invalid_api_key"}}}}"#
    );
    let error = call
        .reader
        .read(&ResponseHead::new(401, vec![]), body.as_bytes(), 0)
        .unwrap_err();
    for text in [
        error.to_string(),
        format!("{error:?}"),
        serde_json::to_string(&error).unwrap(),
    ] {
        assert!(!text.contains(KEY), "leaked: {text}");
    }
    assert_eq!(
        error.provider_message.as_deref(),
        Some("Incorrect API key provided: ***.")
    );
    let network = call
        .reader
        .network_error(&format!("TypeError: failed to fetch with {KEY}"));
    assert!(!network.to_string().contains(KEY), "{network}");
}
