//! # bsa-sim: a simulated model provider for BSA Studio's tests and offline demos
//!
//! A real HTTP/1.1 server on 127.0.0.1 that answers like an OpenAI-compatible
//! (`/v1/chat/completions`) and an Anthropic-compatible (`/v1/messages`) provider, JSON or
//! streamed, including the ways real providers fail. Everything it says is labelled simulated:
//! texts start with `[simulated]`, model names with `sim-`.
//!
//! The main types, in the order a request meets them:
//!
//! - [`server::Simulator`]: the shared state (configuration and counts) and the accept loop.
//! - [`call::CallTag`]: which run, item, sample and [`call::Stage`] a call is (`x-bsa-call`).
//! - [`request::ChatRequest`]: the parts of a request body the simulator reads.
//! - [`fault::Fault`]: the failure (if any) drawn for this attempt; [`counts::CallLedger`]
//!   records attempts, completions and faults per tag.
//! - [`reply::Reply`]: what the simulated model or judge says, fixed by item and sample.
//! - [`openai`] and [`anthropic`]: the reply on the wire, as one body or as [`sse::SseEvent`]s,
//!   played by a [`body::ScriptedBody`] that can pause between events or cut the connection.
//! - [`config::SimConfig`]: latency, fault rates, judge rates, reasoning format, optional key.
//!
//! Implementation rules the code cannot show:
//!
//! - Every choice is a hash of what identifies it ([`draw::Draw`]): replies of (item, sample,
//!   stage), faults and jitter of (seed, tag, attempt). There is no shared random generator, so
//!   concurrency never changes what a call gets.
//! - A fault hits an attempt, never a call, and a tag stops being faulted after
//!   `max_faults_per_call` faults: retrying clients always finish.
//! - The API key is never printed: not in `Debug`, not in `/sim/config`, not in errors.

pub mod anthropic;
pub mod body;
pub mod call;
pub mod config;
pub mod counts;
pub mod draw;
pub mod fault;
pub mod openai;
pub mod reply;
pub mod request;
pub mod server;
pub mod sse;

pub use config::SimConfig;
pub use server::Simulator;
