//! Faults, counts, configuration and lifecycle, against a real `bsa-sim` process. Faults that
//! leave no well-formed response (hang, drop, cut) are read on a raw socket.

mod common;

use common::{anthropic_request, dechunk, openai_request, raw_request, sse_data, RawParts, Sim};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const QUERY: &str = "What household chemicals are dangerous to mix?";

fn chat_body(stream: bool) -> String {
    openai_request(QUERY, stream).to_string()
}

#[test]
fn rate_limits_carry_retry_headers_in_both_shapes() {
    let sim = Sim::start(&["--rate-429", "1", "--max-faults-per-call", "100"]);
    let mut with_ms = 0;
    for item in 0..16 {
        let reply = sim.chat(
            &format!("r/{item:x}/0/generate"),
            &openai_request(QUERY, false),
        );
        assert_eq!(reply.status, 429);
        assert_eq!(reply.header("retry-after"), Some("1"));
        assert_eq!(reply.header("x-ratelimit-remaining-requests"), Some("0"));
        assert!(reply.header("x-bsa-sim").unwrap().contains("fault=429"));
        assert_eq!(reply.json()["error"]["code"], "rate_limit_exceeded");
        if let Some(ms) = reply.header("retry-after-ms") {
            assert_eq!(ms, "1000");
            with_ms += 1;
        }
    }
    assert!(
        with_ms > 0 && with_ms < 16,
        "some, not all, 429s carry retry-after-ms: {with_ms}"
    );
    let anthropic = sim.messages("r/a/0/generate", &anthropic_request(QUERY, false));
    assert_eq!(anthropic.status, 429);
    assert_eq!(anthropic.json()["error"]["type"], "rate_limit_error");
    assert_eq!(sim.counts()["totals"]["faulted"]["429"], 17);
}

#[test]
fn server_errors_until_the_cap_then_success() {
    // rate 1 and the default cap of 3: three 500s, then the call goes through.
    let sim = Sim::start(&["--rate-500", "1"]);
    let tag = "run/0abc/1/judge-answer";
    let statuses: Vec<u16> = (0..5)
        .map(|_| {
            sim.chat(tag, &openai_request("Safe or Unsafe?", false))
                .status
        })
        .collect();
    assert_eq!(statuses, [500, 500, 500, 200, 200]);
    let error = sim
        .messages("run/0abd/0/generate", &anthropic_request(QUERY, false))
        .json();
    assert_eq!(error["error"]["type"], "api_error");
    let counts = &sim.counts()["calls"][tag];
    assert_eq!(counts["received"], 5);
    assert_eq!(counts["completed"], 2);
    assert_eq!(counts["faulted"], json!({ "500": 3 }));
}

#[test]
fn a_hang_holds_the_connection_until_the_client_gives_up() {
    let sim = Sim::start(&["--rate-hang", "1"]);
    let started = Instant::now();
    let outcome = raw_request(
        sim.port,
        "/v1/chat/completions",
        &[("x-bsa-call", "r/h/0/generate")],
        &chat_body(false),
        Duration::from_millis(700),
    );
    assert!(outcome.timed_out, "no answer: the client's timeout fires");
    assert!(outcome.bytes.is_empty(), "{}", outcome.text());
    assert!(started.elapsed() >= Duration::from_millis(700));
    // The server is still serving, and counted the hang.
    assert_eq!(sim.get("/sim/health").status, 200);
    let counts = &sim.counts()["calls"]["r/h/0/generate"];
    assert_eq!(
        (counts["received"].as_u64(), counts["completed"].as_u64()),
        (Some(1), Some(0))
    );
    assert_eq!(counts["faulted"]["hang"], 1);
}

#[test]
fn a_drop_closes_the_connection_without_a_response() {
    let sim = Sim::start(&["--rate-drop", "1"]);
    for stream in [false, true] {
        let outcome = raw_request(
            sim.port,
            "/v1/chat/completions",
            &[("x-bsa-call", "r/d/0/generate")],
            &chat_body(stream),
            Duration::from_secs(5),
        );
        assert!(!outcome.timed_out, "closed, not held");
        assert!(outcome.bytes.is_empty(), "{}", outcome.text());
    }
    assert_eq!(
        sim.counts()["calls"]["r/d/0/generate"]["faulted"]["drop"],
        2
    );
}

#[test]
fn a_cutoff_ends_bodies_and_streams_early() {
    let sim = Sim::start(&["--rate-cutoff", "1"]);
    // JSON: the full content-length is announced, half the bytes arrive, then the close.
    let outcome = raw_request(
        sim.port,
        "/v1/chat/completions",
        &[("x-bsa-call", "r/c/0/generate")],
        &chat_body(false),
        Duration::from_secs(5),
    );
    assert!(!outcome.timed_out);
    let RawParts {
        status,
        headers,
        body,
    } = outcome.parts().expect("a response head");
    assert_eq!(status, 200);
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .unwrap()
        .1
        .parse()
        .unwrap();
    assert!(
        !body.is_empty() && body.len() < length,
        "{} of {length} bytes",
        body.len()
    );
    assert_eq!(body.len(), length / 2);

    // Stream: some events, no terminating chunk, no [DONE].
    for path in ["/v1/chat/completions", "/v1/messages"] {
        let request = if path == "/v1/messages" {
            anthropic_request(QUERY, true)
        } else {
            openai_request(QUERY, true)
        };
        let outcome = raw_request(
            sim.port,
            path,
            &[("x-bsa-call", "r/c/1/generate")],
            &request.to_string(),
            Duration::from_secs(5),
        );
        let RawParts { status, body, .. } = outcome.parts().expect("a response head");
        assert_eq!(status, 200);
        let (decoded, complete) = dechunk(&body);
        assert!(!complete, "the chunked body never ends properly");
        let text = String::from_utf8(decoded).unwrap();
        let data = sse_data(&text);
        assert!(data.len() >= 2, "part of the stream arrived: {text}");
        assert!(!text.contains("[DONE]") && !text.contains("message_stop"));
    }
    let counts = &sim.counts()["calls"];
    assert_eq!(counts["r/c/0/generate"]["faulted"]["cutoff"], 1);
    assert_eq!(counts["r/c/1/generate"]["faulted"]["cutoff"], 2);
    assert_eq!(counts["r/c/1/generate"]["completed"], 0);
}

#[test]
fn malformed_replies_are_complete_but_not_json() {
    let sim = Sim::start(&["--rate-malformed", "1", "--max-faults-per-call", "100"]);
    let mut html = 0;
    for item in 0..10 {
        let reply = sim.chat(
            &format!("r/m{item}/0/generate"),
            &openai_request(QUERY, false),
        );
        assert_eq!(reply.status, 200);
        assert!(
            serde_json::from_str::<Value>(&reply.body).is_err(),
            "{}",
            reply.body
        );
        html += usize::from(reply.body.starts_with("<html>"));
    }
    assert!(
        html > 0 && html < 10,
        "both kinds of broken body appear: {html} html"
    );

    let stream = sim.chat("r/ms/0/generate", &openai_request(QUERY, true));
    assert_eq!(stream.status, 200);
    let data = sse_data(&stream.body);
    assert_eq!(
        data.last().map(String::as_str),
        Some("[DONE]"),
        "the stream itself is complete"
    );
    let broken = data[..data.len() - 1]
        .iter()
        .filter(|d| serde_json::from_str::<Value>(d).is_err())
        .count();
    assert_eq!(broken, 1, "exactly one event carries broken JSON");

    let anthropic = sim.messages("r/ma/0/generate", &anthropic_request(QUERY, true));
    let broken = sse_data(&anthropic.body)
        .iter()
        .filter(|d| serde_json::from_str::<Value>(d).is_err())
        .count();
    assert_eq!(broken, 1);
    assert!(anthropic.body.contains("message_stop"));
    assert_eq!(sim.counts()["totals"]["completed"], 0);
}

#[test]
fn counts_track_each_call_and_reset_keeps_the_config() {
    let sim = Sim::start(&[]);
    sim.chat("run/aa/0/generate", &openai_request(QUERY, false));
    sim.chat(
        "run/aa/0/judge-answer",
        &openai_request("Safe or Unsafe?", true),
    );
    // One 429, then success: the cap is set to 1 at run time.
    assert_eq!(
        sim.config(&json!({ "rate_429": 1.0, "max_faults_per_call": 1 }))
            .status,
        200
    );
    assert_eq!(
        sim.chat("run/bb/1/generate", &openai_request(QUERY, false))
            .status,
        429
    );
    assert_eq!(
        sim.chat("run/bb/1/generate", &openai_request(QUERY, false))
            .status,
        200
    );

    let counts = sim.counts();
    let calls = counts["calls"].as_object().unwrap();
    assert_eq!(calls.len(), 3);
    assert_eq!(
        counts["calls"]["run/aa/0/generate"],
        json!({ "received": 1, "completed": 1, "faulted": {} })
    );
    assert_eq!(
        counts["calls"]["run/aa/0/judge-answer"],
        json!({ "received": 1, "completed": 1, "faulted": {} })
    );
    assert_eq!(
        counts["calls"]["run/bb/1/generate"],
        json!({ "received": 2, "completed": 1, "faulted": { "429": 1 } })
    );
    // Totals are the sums of the three rows above, by hand: 4 received, 3 completed, one 429.
    assert_eq!(
        counts["totals"],
        json!({ "received": 4, "completed": 3, "faulted": { "429": 1 } })
    );

    assert_eq!(sim.post("/sim/reset", &[], "").status, 200);
    assert_eq!(sim.counts()["calls"], json!({}));
    assert_eq!(
        sim.get("/sim/config").json()["rate_429"],
        1.0,
        "reset keeps the config"
    );
}

#[test]
fn the_config_endpoint_round_trips_and_refuses_bad_values() {
    let sim = Sim::start(&["--seed", "42", "--safe-rate", "0.5"]);
    let config = sim.get("/sim/config").json();
    assert_eq!(config["seed"], 42);
    assert_eq!(config["safe_rate"], 0.5);
    assert_eq!(config["correct_rate"], 0.4);
    assert_eq!(config["reasoning_format"], "mixed");
    assert_eq!(config["api_key_set"], false);

    let updated = sim.config(&json!({ "latency_ms": 150, "reasoning_format": "think" }));
    assert_eq!(updated.status, 200);
    assert_eq!(updated.json()["latency_ms"], 150);
    assert_eq!(
        updated.json()["seed"],
        42,
        "fields not in the patch keep their value"
    );

    let out_of_range = sim.config(&json!({ "rate_500": 2 }));
    assert_eq!(out_of_range.status, 400);
    assert_eq!(out_of_range.json()["error"]["param"], "rate_500");
    let unknown = sim.config(&json!({ "latency": 5 }));
    assert_eq!(unknown.status, 400);
    assert!(unknown.body.contains("unknown field"), "{}", unknown.body);
    assert_eq!(
        sim.get("/sim/config").json()["rate_500"],
        0.0,
        "a refused patch changes nothing"
    );

    // The new latency applies: a JSON reply waits before its head, a stream spreads the wait.
    let started = Instant::now();
    let reply = sim.chat("r/l/0/generate", &openai_request(QUERY, false));
    assert!(started.elapsed() >= Duration::from_millis(150));
    let content = reply.json()["choices"][0]["message"]["content"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        content.starts_with("<think>"),
        "reasoning_format think applies: {content}"
    );
}

#[test]
fn streams_spread_their_latency() {
    let sim = Sim::start(&["--latency-ms", "600"]);
    let started = Instant::now();
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", sim.port)).unwrap();
    let body = chat_body(true);
    let request = format!(
        "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nConnection: close\r\nx-bsa-call: r/s/0/generate\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    std::io::Write::write_all(&mut stream, request.as_bytes()).unwrap();
    let mut first = [0u8; 1];
    std::io::Read::read_exact(&mut stream, &mut first).unwrap();
    let to_first_byte = started.elapsed();
    let mut rest = Vec::new();
    std::io::Read::read_to_end(&mut stream, &mut rest).unwrap();
    let total = started.elapsed();
    assert!(
        to_first_byte < Duration::from_millis(300),
        "head after {to_first_byte:?}"
    );
    assert!(
        total >= Duration::from_millis(500),
        "whole stream after {total:?}"
    );
    assert!(String::from_utf8_lossy(&rest).contains("[DONE]"));
}

#[test]
fn the_seed_makes_fault_sequences_reproducible() {
    let statuses = |seed: &str| -> Vec<u16> {
        let sim = Sim::start(&[
            "--seed",
            seed,
            "--rate-429",
            "0.5",
            "--max-faults-per-call",
            "100",
        ]);
        (0..24)
            .map(|i| {
                sim.chat(
                    &format!("r/{}/0/generate", i % 6),
                    &openai_request(QUERY, false),
                )
                .status
            })
            .collect()
    };
    let first = statuses("7");
    assert_eq!(first, statuses("7"));
    assert_ne!(first, statuses("8"));
    assert!(first.contains(&429) && first.contains(&200), "{first:?}");
}

#[test]
fn bad_flags_are_refused_with_the_flag_named() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_bsa-sim"))
        .args(["--port", "0", "--rate-429", "0.8", "--rate-drop", "0.5"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("add up to 1.3"), "{stderr}");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_bsa-sim"))
        .args(["--port", "0", "--reasoning-format", "xml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--reasoning-format"));
}

#[cfg(unix)]
#[test]
fn sigterm_and_sigint_stop_the_server_cleanly() {
    for signal in ["-TERM", "-INT"] {
        // A hanging call is open when the signal comes: shutdown must not wait for it.
        let mut sim = Sim::start(&["--rate-hang", "1"]);
        let port = sim.port;
        let holder = std::thread::spawn(move || {
            raw_request(
                port,
                "/v1/chat/completions",
                &[],
                &chat_body(false),
                Duration::from_secs(5),
            )
        });
        std::thread::sleep(Duration::from_millis(200));
        let killed = std::process::Command::new("kill")
            .args([signal, &sim.pid().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let status = sim
            .wait_exit(Duration::from_secs(5))
            .expect("exits within 5 s");
        assert!(status.success(), "{signal}: {status:?}");
        let outcome = holder.join().unwrap();
        assert!(
            !outcome.timed_out,
            "the held connection was closed at shutdown"
        );
    }
}
