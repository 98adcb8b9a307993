//! Response and stream parsing against fixtures in `tests/fixtures/provider/`, written for this
//! project from the providers' public API references (field names checked against OpenAI chat
//! completions and streaming, Anthropic messages, extended thinking and streaming, DeepSeek
//! `reasoning_content`, OpenRouter `reasoning` / `reasoning_details`, Groq `reasoning_format`,
//! Gemini's OpenAI compatibility, vLLM, llama.cpp, Ollama and LM Studio).
//!
//! Every expected value below was read off the fixture by hand; comments say how where a value
//! is derived (sums, concatenations).

use bsa_core::provider::*;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/provider/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

fn reader(preset: PresetId, model: &str) -> ResponseReader {
    let mut config = ModelConfig::new(preset, model);
    if preset == PresetId::Custom {
        config.base_url = Some("http://localhost:9000/v1".into());
    }
    ResponseReader::new(&config, None).expect("valid config")
}

fn ok_head() -> ResponseHead {
    ResponseHead::new(
        200,
        vec![("content-type".into(), "application/json".into())],
    )
}

fn read(reader: &ResponseReader, name: &str) -> Completion {
    reader
        .read(&ok_head(), &fixture(name), 0)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn trace(
    source: ReasoningSource,
    text: &str,
    summarized: bool,
    redacted: bool,
) -> Option<ReasoningTrace> {
    Some(ReasoningTrace {
        text: text.to_string(),
        source,
        summarized,
        redacted,
    })
}

fn usage(
    input: Option<u64>,
    output: Option<u64>,
    reasoning: Option<u64>,
    cached: Option<u64>,
) -> Usage {
    Usage {
        input_tokens: input,
        output_tokens: output,
        reasoning_tokens: reasoning,
        cached_input_tokens: cached,
    }
}

fn completion(
    answer: &str,
    reasoning: Option<ReasoningTrace>,
    usage: Usage,
    finish: Option<FinishReason>,
    model: &str,
    id: &str,
) -> Completion {
    Completion {
        answer: answer.to_string(),
        reasoning,
        usage,
        finish_reason: finish,
        model: Some(model.to_string()),
        response_id: Some(id.to_string()),
    }
}

/// The data-driven check: the fixture read whole equals the expected completion.
fn check(reader: &ResponseReader, name: &str, expected: &Completion) {
    assert_eq!(&read(reader, name), expected, "fixture {name}");
}

// ---------------------------------------------------------------------------------------------
// Expected completions shared by a JSON fixture and its stream twin.

fn openai_chat_expected() -> Completion {
    completion(
        "Store cleaning products in their original containers, out of reach of children, and never mix bleach with ammonia.",
        None,
        usage(Some(31), Some(24), Some(0), Some(0)),
        Some(FinishReason::Stop),
        "gpt-4o-mini-2024-07-18",
        "chatcmpl-bsa-0001",
    )
}

fn deepseek_expected() -> Completion {
    completion(
        "Keep medicines in a locked cabinet and return unused ones to a pharmacy.",
        trace(
            ReasoningSource::ReasoningContent,
            "The user asks how to store medicines at home. The safety risk is accidental poisoning of children, so I should mention locked storage and disposal.",
            false,
            false,
        ),
        usage(Some(18), Some(96), Some(71), Some(0)),
        Some(FinishReason::Stop),
        "deepseek-reasoner",
        "0c6f1a9e-bsa-0003",
    )
}

fn openrouter_expected() -> Completion {
    completion(
        "Do not mix bleach and ammonia; the fumes are toxic.",
        // `reasoning` wins over the identical `reasoning_details` text (documented priority).
        trace(
            ReasoningSource::Reasoning,
            "Mixing bleach with ammonia releases chloramine gas, so the answer must warn.",
            false,
            false,
        ),
        usage(Some(22), Some(58), Some(35), None),
        Some(FinishReason::Stop),
        "deepseek/deepseek-r1-0528",
        "gen-bsa-0005",
    )
}

fn anthropic_thinking_expected() -> Completion {
    completion(
        "Take them to a hazardous-waste collection point; never pour them down the drain.",
        // Claude 4 (sonnet-4) returns summarized thinking.
        trace(
            ReasoningSource::ThinkingBlock,
            "The user asks how to dispose of old lab chemicals 🧪. Risk: improper disposal can poison water. I should point to hazardous-waste services.",
            true,
            false,
        ),
        // input 42 + cache read 100 + cache creation 0 = 142; cached = the cache read.
        usage(Some(142), Some(180), None, Some(100)),
        Some(FinishReason::Stop),
        "claude-sonnet-4-20250514",
        "msg_bsa_0015",
    )
}

fn anthropic_redacted_expected() -> Completion {
    completion(
        "I can't help with modifying a firearm. Check your local laws or ask a licensed gunsmith.",
        // Claude 3.7 returns full thinking (not summarized); one block was redacted.
        trace(
            ReasoningSource::ThinkingBlock,
            "This asks for a weapon modification. That is regulated; refuse and explain the law.",
            false,
            true,
        ),
        usage(Some(30), Some(250), None, None),
        Some(FinishReason::Stop),
        "claude-3-7-sonnet-20250219",
        "msg_bsa_0016",
    )
}

// ---------------------------------------------------------------------------------------------
// Non-streaming responses.

#[test]
fn openai_plain_chat_has_no_trace() {
    check(
        &reader(PresetId::OpenAi, "gpt-4o-mini"),
        "openai_chat.json",
        &openai_chat_expected(),
    );
}

#[test]
fn openai_reasoning_model_reports_reasoning_tokens_but_no_trace() {
    let expected = completion(
        "I can't help with bypassing a building's alarm system. If you are locked out, contact the building manager or a licensed locksmith.",
        None,
        usage(Some(40), Some(471), Some(448), Some(0)),
        Some(FinishReason::Stop),
        "o3-mini-2025-01-31",
        "chatcmpl-bsa-0002",
    );
    check(
        &reader(PresetId::OpenAi, "o3-mini"),
        "openai_reasoning_no_trace.json",
        &expected,
    );
}

#[test]
fn openai_refusal_field_is_the_answer_when_content_is_null() {
    let expected = completion(
        "I'm sorry, I can't assist with that request.",
        None,
        usage(Some(25), Some(11), None, None),
        Some(FinishReason::Stop),
        "gpt-4o-2024-08-06",
        "chatcmpl-bsa-0019",
    );
    check(
        &reader(PresetId::OpenAi, "gpt-4o"),
        "openai_refusal.json",
        &expected,
    );
}

#[test]
fn deepseek_reasoning_content() {
    check(
        &reader(PresetId::DeepSeek, "deepseek-reasoner"),
        "deepseek_reasoner.json",
        &deepseek_expected(),
    );
}

#[test]
fn openrouter_reasoning_and_details() {
    check(
        &reader(PresetId::OpenRouter, "deepseek/deepseek-r1-0528"),
        "openrouter_reasoning.json",
        &openrouter_expected(),
    );
}

#[test]
fn openrouter_summary_and_encrypted_details() {
    let expected = completion(
        "Lock picking is legal only on locks you own or have permission to open; a locksmith can help if you are locked out.",
        trace(
            ReasoningSource::ReasoningDetails,
            "**Assessing the request**\n\nThe question concerns lock picking; I should give only the legal context.",
            true,
            true,
        ),
        usage(Some(19), Some(301), Some(256), None),
        Some(FinishReason::Stop),
        "openai/o3-mini",
        "gen-bsa-0006",
    );
    check(
        &reader(PresetId::OpenRouter, "openai/o3-mini"),
        "openrouter_summary_encrypted.json",
        &expected,
    );
}

#[test]
fn groq_parsed_reasoning_field() {
    let expected = completion(
        "Wear gloves and eye protection, and work in a ventilated room.",
        trace(
            ReasoningSource::Reasoning,
            "The user is asking about handling drain cleaner. It is corrosive; I should give protective advice.",
            false,
            false,
        ),
        usage(Some(27), Some(88), None, None),
        Some(FinishReason::Stop),
        "qwen/qwen3-32b",
        "chatcmpl-bsa-0007",
    );
    check(
        &reader(PresetId::Groq, "qwen/qwen3-32b"),
        "groq_parsed.json",
        &expected,
    );
}

#[test]
fn together_think_tags_in_content() {
    let expected = completion(
        "Only pick locks you own or have permission to open.",
        trace(
            ReasoningSource::ThinkTag,
            "A question about lock picking. It is legal only with permission.",
            false,
            false,
        ),
        usage(Some(14), Some(33), None, None),
        Some(FinishReason::Stop),
        "deepseek-ai/DeepSeek-R1",
        "bsa-0009-together",
    );
    check(
        &reader(PresetId::Together, "deepseek-ai/DeepSeek-R1"),
        "together_think_tags.json",
        &expected,
    );
}

#[test]
fn vllm_closing_tag_without_opening_tag() {
    let expected = completion(
        "Ask a pharmacist before combining medicines.",
        trace(
            ReasoningSource::OrphanCloseTag,
            "Okay, the user asks about combining two sleep medications. The risk is overdose.",
            false,
            false,
        ),
        usage(Some(24), Some(36), None, None),
        Some(FinishReason::Stop),
        "Qwen/QwQ-32B",
        "chatcmpl-bsa-0010",
    );
    check(
        &reader(PresetId::Vllm, "Qwen/QwQ-32B"),
        "vllm_orphan_close.json",
        &expected,
    );
}

#[test]
fn unclosed_think_tag_at_the_length_limit_leaves_an_empty_answer() {
    let expected = completion(
        "",
        trace(
            ReasoningSource::UnclosedThinkTag,
            "The user asks about household chemistry. I need to consider whether",
            false,
            false,
        ),
        usage(Some(20), Some(64), None, None),
        Some(FinishReason::Length),
        "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B",
        "chatcmpl-bsa-0011",
    );
    check(
        &reader(PresetId::Vllm, "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B"),
        "vllm_unclosed_length.json",
        &expected,
    );
}

#[test]
fn gemini_thought_tags_are_summaries() {
    let expected = completion(
        "Hold the knife by the handle and cut away from your body.",
        trace(
            ReasoningSource::ThinkTag,
            "**Considering knife safety**\nThe request involves a kitchen knife; I will focus on safe handling.",
            true,
            false,
        ),
        usage(Some(12), Some(41), None, None),
        Some(FinishReason::Stop),
        "gemini-2.5-flash",
        "bsa-0013-gemini",
    );
    check(
        &reader(PresetId::Gemini, "gemini-2.5-flash"),
        "gemini_thought_tags.json",
        &expected,
    );
}

#[test]
fn ollama_reasoning_field() {
    let expected = completion(
        "Never leave a candle burning unattended.",
        trace(
            ReasoningSource::Reasoning,
            "Fire safety question. Main risk: unattended open flame.",
            false,
            false,
        ),
        usage(Some(15), Some(120), None, None),
        Some(FinishReason::Stop),
        "qwen3:8b",
        "chatcmpl-314",
    );
    check(
        &reader(PresetId::Ollama, "qwen3:8b"),
        "ollama_reasoning.json",
        &expected,
    );
}

#[test]
fn llamacpp_reasoning_content() {
    let expected = completion(
        "Don't share someone's address without their consent.",
        trace(
            ReasoningSource::ReasoningContent,
            "Question about sharing a friend's address online. That is a privacy risk.",
            false,
            false,
        ),
        usage(Some(23), Some(45), None, None),
        Some(FinishReason::Stop),
        "gpt-3.5-turbo",
        "chatcmpl-bsa-0014",
    );
    check(
        &reader(PresetId::LlamaCpp, "any"),
        "llamacpp_reasoning_content.json",
        &expected,
    );
}

#[test]
fn empty_think_block_means_no_trace() {
    // Qwen3 with thinking off emits an empty <think></think> block: no trace, not an empty one.
    let completion = read(
        &reader(PresetId::LmStudio, "qwen3-4b"),
        "lmstudio_empty_think.json",
    );
    assert_eq!(completion.answer, "Hello! How can I help?");
    assert_eq!(completion.reasoning, None);
}

#[test]
fn anthropic_thinking_blocks() {
    check(
        &reader(PresetId::Anthropic, "claude-sonnet-4-20250514"),
        "anthropic_thinking.json",
        &anthropic_thinking_expected(),
    );
}

#[test]
fn anthropic_thinking_with_a_redacted_block() {
    check(
        &reader(PresetId::Anthropic, "claude-3-7-sonnet-20250219"),
        "anthropic_redacted.json",
        &anthropic_redacted_expected(),
    );
}

#[test]
fn anthropic_only_redacted_thinking() {
    let expected = completion(
        "I can't help with that.",
        trace(ReasoningSource::RedactedThinkingBlock, "", false, true),
        usage(Some(28), Some(120), None, None),
        Some(FinishReason::Stop),
        "claude-3-7-sonnet-20250219",
        "msg_bsa_0017",
    );
    check(
        &reader(PresetId::Anthropic, "claude-3-7-sonnet-20250219"),
        "anthropic_redacted_only.json",
        &expected,
    );
}

#[test]
fn anthropic_without_thinking_and_cut_by_max_tokens() {
    let expected = completion(
        "Rumors spread fast online. Before sharing a claim, check it against",
        None,
        usage(Some(16), Some(16), None, None),
        Some(FinishReason::Length),
        "claude-3-5-haiku-20241022",
        "msg_bsa_0018",
    );
    check(
        &reader(PresetId::Anthropic, "claude-3-5-haiku-20241022"),
        "anthropic_plain.json",
        &expected,
    );
}

#[test]
fn simulator_reads_both_wire_formats() {
    let mut config = ModelConfig::new(PresetId::Simulator, "sim");
    let openai = ResponseReader::new(&config, None).unwrap();
    assert_eq!(
        read(&openai, "deepseek_reasoner.json").answer,
        deepseek_expected().answer
    );
    config.wire = Some(WireFormat::AnthropicMessages);
    let anthropic = ResponseReader::new(&config, None).unwrap();
    let completion = read(&anthropic, "anthropic_redacted.json");
    assert_eq!(completion.answer, anthropic_redacted_expected().answer);
    assert_eq!(
        completion.reasoning.map(|r| r.source),
        Some(ReasoningSource::ThinkingBlock)
    );
}

#[test]
fn malformed_success_bodies_are_retryable_with_a_clear_message() {
    let reader = reader(PresetId::OpenAi, "gpt-4o-mini");
    let cases: [(&[u8], &str); 7] = [
        (b"", "body is empty"),
        // 13 bytes, cut inside the array.
        (b"{\"choices\": [", "the body ended early, after 13 bytes"),
        (
            b"{\"choices\": ]}",
            "invalid JSON: expected value at line 1 column 13",
        ),
        (b"{\"object\": \"list\"}", "no choices field"),
        (b"{\"choices\": []}", "choices is empty"),
        (
            b"{\"choices\": [{\"index\": 0}]}",
            "choices[0].message is missing",
        ),
        (
            b"{\"choices\": [{\"index\": 0, \"message\": {\"content\": 42}}]}",
            "choices[0].message.content is a number, expected text",
        ),
    ];
    for (body, says) in cases {
        let error = reader.read(&ok_head(), body, 0).unwrap_err();
        assert!(
            matches!(error.kind, ProviderErrorKind::MalformedResponse { .. }),
            "{error:?}"
        );
        assert!(error.is_retryable(), "{error}");
        let message = error.to_string();
        assert!(
            message.contains(says),
            "{message:?} should contain {says:?}"
        );
        assert!(
            message.starts_with("200 from api.openai.com: "),
            "{message}"
        );
    }
    let anthropic = reader_anthropic();
    let error = anthropic
        .read(&ok_head(), b"{\"content\": \"text\"}", 0)
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("content is text, expected an array of blocks"),
        "{error}"
    );
}

fn reader_anthropic() -> ResponseReader {
    reader(PresetId::Anthropic, "claude-sonnet-4-20250514")
}

#[test]
fn html_success_page_is_malformed_not_a_stream_answer() {
    // A captive portal or proxy page answering 200: not JSON, not events.
    let reader = reader(PresetId::OpenAi, "gpt-4o-mini");
    let error = reader
        .read(
            &ok_head(),
            b"<html><body>Sign in to the Wi-Fi</body></html>",
            0,
        )
        .unwrap_err();
    assert!(error.is_retryable());
    assert!(
        matches!(
            error.kind,
            ProviderErrorKind::StreamCutOff { .. } | ProviderErrorKind::MalformedResponse { .. }
        ),
        "{error:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Streams.

struct StreamCase {
    file: &'static str,
    reader: ResponseReader,
    expected: Completion,
    /// Text in the event that carries the finish / stop reason: before the end of that event the
    /// stream is incomplete.
    finish_marker: &'static str,
}

fn stream_cases() -> Vec<StreamCase> {
    vec![
        StreamCase {
            file: "openai_chat.sse",
            reader: reader(PresetId::OpenAi, "gpt-4o-mini"),
            expected: openai_chat_expected(),
            finish_marker: "\"finish_reason\":\"stop\"",
        },
        StreamCase {
            file: "deepseek_reasoner.sse",
            reader: reader(PresetId::DeepSeek, "deepseek-reasoner"),
            expected: deepseek_expected(),
            finish_marker: "\"finish_reason\":\"stop\"",
        },
        StreamCase {
            file: "openrouter_reasoning.sse",
            reader: reader(PresetId::OpenRouter, "deepseek/deepseek-r1-0528"),
            expected: openrouter_expected(),
            finish_marker: "\"finish_reason\":\"stop\"",
        },
        StreamCase {
            file: "groq_raw_think.sse",
            reader: reader(PresetId::Groq, "qwen/qwen3-32b"),
            // The content pieces joined: "<think>\nThe user wants to know about fireworks
            // safety.\n</think>\n\nKeep a bucket ..."; usage from x_groq.usage.
            expected: completion(
                "Keep a bucket of water nearby （安全第一）.",
                trace(
                    ReasoningSource::ThinkTag,
                    "The user wants to know about fireworks safety.",
                    false,
                    false,
                ),
                usage(Some(21), Some(39), None, None),
                Some(FinishReason::Stop),
                "qwen/qwen3-32b",
                "chatcmpl-bsa-0008",
            ),
            finish_marker: "\"finish_reason\":\"stop\"",
        },
        StreamCase {
            file: "vllm_reasoning.sse",
            reader: reader(PresetId::Vllm, "Qwen/Qwen3-8B"),
            // Reasoning: the two `reasoning` deltas joined (the second sent as a three-line data
            // event); answer: the two content deltas joined.
            expected: completion(
                "You are not alone. Please contact a local crisis line.",
                trace(
                    ReasoningSource::Reasoning,
                    "Self-harm wording: respond with care and point to support lines.",
                    false,
                    false,
                ),
                usage(Some(17), Some(35), None, None),
                Some(FinishReason::Stop),
                "Qwen/Qwen3-8B",
                "chatcmpl-bsa-0012",
            ),
            finish_marker: "\"finish_reason\":\"stop\"",
        },
        StreamCase {
            file: "anthropic_thinking.sse",
            reader: reader_anthropic(),
            expected: anthropic_thinking_expected(),
            finish_marker: "\"stop_reason\":\"end_turn\"",
        },
        StreamCase {
            file: "anthropic_redacted.sse",
            reader: reader(PresetId::Anthropic, "claude-3-7-sonnet-20250219"),
            expected: anthropic_redacted_expected(),
            finish_marker: "\"stop_reason\":\"end_turn\"",
        },
    ]
}

/// The fixture with LF, CRLF and CR line endings.
fn line_ending_variants(bytes: &[u8]) -> Vec<(&'static str, Vec<u8>)> {
    let text = String::from_utf8(bytes.to_vec()).expect("fixtures are UTF-8");
    vec![
        ("LF", text.clone().into_bytes()),
        ("CRLF", text.replace('\n', "\r\n").into_bytes()),
        ("CR", text.replace('\n', "\r").into_bytes()),
    ]
}

struct Streamed {
    result: Result<Completion, ProviderError>,
    answer: String,
    reasoning: String,
}

fn stream_in_chunks(reader: &ResponseReader, bytes: &[u8], size: usize) -> Streamed {
    let mut stream = reader.stream(200);
    let mut answer = String::new();
    let mut reasoning = String::new();
    for chunk in bytes.chunks(size) {
        match stream.push(chunk) {
            Ok(deltas) => {
                for delta in deltas {
                    match delta {
                        StreamDelta::Answer(text) => answer.push_str(&text),
                        StreamDelta::Reasoning(text) => reasoning.push_str(&text),
                        StreamDelta::Usage(_) => {}
                    }
                }
            }
            Err(error) => {
                return Streamed {
                    result: Err(error),
                    answer,
                    reasoning,
                }
            }
        }
    }
    Streamed {
        result: stream.finish(),
        answer,
        reasoning,
    }
}

#[test]
fn streams_give_the_expected_completion() {
    for case in stream_cases() {
        let bytes = fixture(case.file);
        let streamed = stream_in_chunks(&case.reader, &bytes, bytes.len());
        let completion = streamed
            .result
            .unwrap_or_else(|e| panic!("{}: {e}", case.file));
        assert_eq!(completion, case.expected, "{}", case.file);
        // The live deltas add up to the final texts (which are trimmed). Presets whose servers
        // may omit the opening <think> tag hold the answer back until it is decided.
        if case.reader.preset == PresetId::Vllm {
            assert!(
                completion.answer.starts_with(streamed.answer.trim()),
                "{} answer deltas",
                case.file
            );
        } else {
            assert_eq!(
                streamed.answer.trim(),
                completion.answer,
                "{} answer deltas",
                case.file
            );
        }
        let trace_text = completion
            .reasoning
            .as_ref()
            .map_or("", |r| r.text.as_str());
        assert_eq!(
            streamed.reasoning.trim(),
            trace_text,
            "{} reasoning deltas",
            case.file
        );
        // Reading the whole body through `read` recognizes it as a stream.
        assert_eq!(
            case.reader.read(&ok_head(), &bytes, 0).unwrap(),
            case.expected,
            "{} via read",
            case.file
        );
    }
}

#[test]
fn streams_and_their_json_twins_agree() {
    let pairs = [
        (
            "openai_chat.json",
            "openai_chat.sse",
            reader(PresetId::OpenAi, "gpt-4o-mini"),
        ),
        (
            "deepseek_reasoner.json",
            "deepseek_reasoner.sse",
            reader(PresetId::DeepSeek, "deepseek-reasoner"),
        ),
        (
            "openrouter_reasoning.json",
            "openrouter_reasoning.sse",
            reader(PresetId::OpenRouter, "deepseek/deepseek-r1-0528"),
        ),
        (
            "anthropic_thinking.json",
            "anthropic_thinking.sse",
            reader_anthropic(),
        ),
        (
            "anthropic_redacted.json",
            "anthropic_redacted.sse",
            reader(PresetId::Anthropic, "claude-3-7-sonnet-20250219"),
        ),
    ];
    for (json, sse, reader) in pairs {
        let bytes = fixture(sse);
        let streamed = stream_in_chunks(&reader, &bytes, 7).result.unwrap();
        assert_eq!(streamed, read(&reader, json), "{sse} vs {json}");
    }
}

#[test]
fn every_chunk_size_and_line_ending_gives_the_same_result() {
    for case in stream_cases() {
        for (ending, bytes) in line_ending_variants(&fixture(case.file)) {
            for size in 1..=bytes.len() {
                let streamed = stream_in_chunks(&case.reader, &bytes, size);
                match &streamed.result {
                    Ok(completion) => assert_eq!(
                        completion, &case.expected,
                        "{} {ending} chunk {size}",
                        case.file
                    ),
                    Err(error) => panic!("{} {ending} chunk {size}: {error}", case.file),
                }
                assert!(
                    case.expected.answer.starts_with(streamed.answer.trim()),
                    "{} {ending} chunk {size}: deltas {:?}",
                    case.file,
                    streamed.answer
                );
            }
        }
    }
}

#[test]
fn a_stream_cut_before_its_finish_is_a_retryable_error() {
    for case in stream_cases() {
        for (ending, bytes) in line_ending_variants(&fixture(case.file)) {
            let text = String::from_utf8(bytes.clone()).unwrap();
            // The finish event's JSON ends at the first "}" line end after the marker: the
            // earliest prefix that holds the whole event.
            let marker = text.find(case.finish_marker).expect("marker in fixture");
            let line_end = marker + text[marker..].find(['\r', '\n']).expect("line end");
            for cut in 0..bytes.len() {
                let result = stream_in_chunks(&case.reader, &bytes[..cut], 64).result;
                if cut < line_end {
                    let error = result
                        .expect_err(&format!("{} {ending} cut at {cut} must fail", case.file));
                    assert!(
                        matches!(error.kind, ProviderErrorKind::StreamCutOff { .. }),
                        "{} {ending} cut at {cut}: {error:?}",
                        case.file
                    );
                    assert!(error.is_retryable());
                    assert!(
                        error.to_string().contains("ended before its end marker"),
                        "{error}"
                    );
                } else {
                    // After the finish reason only trailing usage can be missing.
                    let completion = result
                        .unwrap_or_else(|e| panic!("{} {ending} cut at {cut}: {e}", case.file));
                    assert_eq!(completion.answer, case.expected.answer);
                    assert_eq!(completion.reasoning, case.expected.reasoning);
                }
            }
        }
    }
}

#[test]
fn anthropic_error_event_mid_stream_is_retryable_overload() {
    let bytes = fixture("anthropic_overloaded.sse");
    for size in [1, 5, bytes.len()] {
        let streamed = stream_in_chunks(&reader_anthropic(), &bytes, size);
        let error = streamed.result.unwrap_err();
        assert_eq!(
            error.kind,
            ProviderErrorKind::ErrorInResponse {
                error_type: Some("overloaded_error".into())
            }
        );
        assert_eq!(error.provider_message.as_deref(), Some("Overloaded"));
        assert!(error.is_retryable());
        // Partial text may have been shown live, but it is not an answer.
        assert!(
            "Sure, here is".starts_with(&streamed.answer),
            "{:?}",
            streamed.answer
        );
    }
}

#[test]
fn openrouter_error_chunk_mid_stream_is_not_a_truncated_success() {
    let bytes = fixture("openrouter_midstream_error.sse");
    let error = stream_in_chunks(
        &reader(PresetId::OpenRouter, "anthropic/claude-sonnet-4"),
        &bytes,
        3,
    )
    .result
    .unwrap_err();
    assert!(
        matches!(error.kind, ProviderErrorKind::ErrorInResponse { .. }),
        "{error:?}"
    );
    assert_eq!(
        error.provider_message.as_deref(),
        Some("Provider disconnected before completing the response")
    );
    // Code 502 is a server fault: retry.
    assert!(error.is_retryable());
}

#[test]
fn a_server_that_ignores_stream_true_and_sends_json_is_read_as_json() {
    let reader = reader(PresetId::OpenAi, "gpt-4o-mini");
    let bytes = fixture("openai_chat.json");
    for size in [1, 13, bytes.len()] {
        assert_eq!(
            stream_in_chunks(&reader, &bytes, size).result.unwrap(),
            openai_chat_expected()
        );
    }
}

#[test]
fn after_an_error_the_accumulator_keeps_failing() {
    let mut stream = reader(PresetId::OpenAi, "gpt-4o-mini").stream(200);
    let first = stream.push(b"data: {not json}\n\n").unwrap_err();
    assert!(matches!(
        first.kind,
        ProviderErrorKind::MalformedResponse { .. }
    ));
    assert!(
        first.to_string().contains("a stream event is not JSON"),
        "{first}"
    );
    assert_eq!(stream.push(b"data: [DONE]\n\n").unwrap_err(), first);
    assert_eq!(stream.finish().unwrap_err(), first);
}

#[test]
fn done_is_reported_so_the_app_can_stop_reading() {
    let mut stream = reader(PresetId::DeepSeek, "deepseek-reasoner").stream(200);
    let bytes = fixture("deepseek_reasoner.sse");
    let (before, after) = bytes.split_at(bytes.len() - "data: [DONE]\n\n".len());
    stream.push(before).unwrap();
    assert!(!stream.is_done());
    stream.push(after).unwrap();
    assert!(stream.is_done());
}
