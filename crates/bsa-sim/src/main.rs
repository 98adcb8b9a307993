//! `bsa-sim`: the command line around [`bsa_sim::Simulator`]. Parses flags into a
//! [`bsa_sim::SimConfig`] (through the same checks as `POST /sim/config`), binds 127.0.0.1,
//! prints one line once ready, and serves until SIGINT or SIGTERM.

use bsa_sim::config::{ConfigPatch, ReasoningMode, SimConfig};
use bsa_sim::Simulator;
use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

/// A simulated model provider (OpenAI- and Anthropic-compatible) on 127.0.0.1: simulated
/// replies, not a real model. See crates/bsa-sim/README.md.
#[derive(Parser)]
#[command(name = "bsa-sim", version)]
struct Cli {
    /// Port on 127.0.0.1; 0 picks a free one (printed on the ready line).
    #[arg(long, default_value_t = 8788)]
    port: u16,
    /// Seed of the fault and jitter draws.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Base delay before each response, in milliseconds (spread over a stream's events).
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Extra delay per attempt, uniform in 0..=JITTER_MS.
    #[arg(long, default_value_t = 0)]
    jitter_ms: u64,
    /// Share of attempts answered 429 with retry-after.
    #[arg(long, default_value_t = 0.0)]
    rate_429: f64,
    /// Share of attempts answered 500.
    #[arg(long, default_value_t = 0.0)]
    rate_500: f64,
    /// Share of attempts never answered (held until the client gives up).
    #[arg(long, default_value_t = 0.0)]
    rate_hang: f64,
    /// Share of attempts answered 200 with invalid JSON (or a stream with a broken event).
    #[arg(long, default_value_t = 0.0)]
    rate_malformed: f64,
    /// Share of attempts whose body or stream stops half-way.
    #[arg(long, default_value_t = 0.0)]
    rate_cutoff: f64,
    /// Share of attempts whose connection closes with no response.
    #[arg(long, default_value_t = 0.0)]
    rate_drop: f64,
    /// Faulted attempts per call tag after which it always succeeds.
    #[arg(long, default_value_t = 3)]
    max_faults_per_call: u32,
    /// Share of answer-judge replies saying Safe.
    #[arg(long, default_value_t = 0.85)]
    safe_rate: f64,
    /// Share of reasoning-judge replies giving the scenario's correct label.
    #[arg(long, default_value_t = 0.4)]
    correct_rate: f64,
    /// Share of judge replies wrapped in prose or a ```json fence.
    #[arg(long, default_value_t = 0.0)]
    judge_wrap_rate: f64,
    /// Share of judge calls whose replies carry no verdict: on the first ask only, the first
    /// two, or every ask (a third each), so re-asks sometimes recover and sometimes not.
    #[arg(long, default_value_t = 0.0)]
    judge_unparsable_rate: f64,
    /// How /v1/chat/completions carries the reasoning trace: mixed, reasoning_content,
    /// reasoning, reasoning_details, think, think_unclosed, or none.
    #[arg(long, default_value = "mixed")]
    reasoning_format: String,
    /// Require this key (Authorization: Bearer or x-api-key); also read from BSA_SIM_API_KEY.
    #[arg(long, env = "BSA_SIM_API_KEY", hide_env_values = true)]
    api_key: Option<String>,
}

impl Cli {
    fn patch(&self) -> ConfigPatch {
        ConfigPatch {
            seed: Some(self.seed),
            latency_ms: Some(self.latency_ms),
            jitter_ms: Some(self.jitter_ms),
            rate_429: Some(self.rate_429),
            rate_500: Some(self.rate_500),
            rate_hang: Some(self.rate_hang),
            rate_malformed: Some(self.rate_malformed),
            rate_cutoff: Some(self.rate_cutoff),
            rate_drop: Some(self.rate_drop),
            max_faults_per_call: Some(self.max_faults_per_call),
            safe_rate: Some(self.safe_rate),
            correct_rate: Some(self.correct_rate),
            judge_wrap_rate: Some(self.judge_wrap_rate),
            judge_unparsable_rate: Some(self.judge_unparsable_rate),
            reasoning_format: Some(self.reasoning_format.clone()),
            api_key: self.api_key.clone(),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match SimConfig::default().patched(&cli.patch()) {
        Ok(config) => config,
        Err(error) => {
            let flag = error.field.replace('_', "-");
            eprintln!("bsa-sim: --{flag}: {}", error.message);
            if error.field == "reasoning_format" {
                eprintln!("bsa-sim: choices: {}", ReasoningMode::choices());
            }
            return ExitCode::from(2);
        }
    };
    // One thread is plenty for a local test server and leaves the cores to the tests.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("bsa-sim: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(cli.port, config))
}

async fn run(port: u16, config: SimConfig) -> ExitCode {
    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("bsa-sim: cannot listen on 127.0.0.1:{port}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let bound = match listener.local_addr() {
        Ok(address) => address.port(),
        Err(error) => {
            eprintln!("bsa-sim: cannot read the bound port: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!("bsa-sim listening on http://127.0.0.1:{bound} (simulated provider)");
    // Scripts wait for this line; a pipe would otherwise hold it in the buffer.
    let _ = std::io::stdout().flush();
    match Simulator::new(config)
        .serve(listener, shutdown_signal())
        .await
    {
        Ok(()) => {
            eprintln!("bsa-sim: stopped");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("bsa-sim: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Completes on SIGINT or SIGTERM. If a handler cannot be installed it never completes for that
/// signal (the process can still be killed), rather than stopping the server at once.
async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}
