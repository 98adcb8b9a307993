//! The HTTP side: [`Simulator`] accepts connections on a listener and answers every route.
//!
//! Routes (see the crate README for the shapes): `GET /`, `GET /sim/health`, `GET /v1/models`,
//! `POST /v1/chat/completions`, `POST /v1/messages`, `GET`/`POST /sim/config`,
//! `GET /sim/counts`, `POST /sim/reset`, and `OPTIONS` on any path (CORS preflight).
//!
//! A model call goes: read the body (at most [`MAX_BODY_BYTES`]); check the key; read the call
//! tag and the request; record the attempt in the [`CallLedger`]; draw a [`Fault`]; wait the
//! drawn delay; answer. Faults act below HTTP where real ones do: a dropped connection is the
//! service returning an error (hyper then closes the socket with no response), a cut is a body
//! that fails half-way ([`ScriptedBody`]), a hang is a future that never ends (hyper drops it
//! when the client closes the connection).
//!
//! Every response carries `Access-Control-Allow-Origin: *`, the exposed headers browsers need
//! for retry logic, and `x-bsa-sim`.

use crate::anthropic;
use crate::body::{ScriptedBody, Step};
use crate::call::{CallTag, CALL_HEADER};
use crate::config::{ConfigPatch, SimConfig};
use crate::counts::CallLedger;
use crate::fault::{self, Fault};
use crate::openai;
use crate::reply::{reply_for, MODELS};
use crate::request::{self, Api, ChatRequest, RequestError};
use crate::sse::SseEvent;
use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::header::{self, HeaderMap, HeaderName, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::json;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::task::JoinSet;

/// The line `/` and `/sim/health` show, so nobody mistakes the simulator for a model.
pub const BANNER: &str = "BSA provider simulator: simulated replies, not a real model";

/// Largest request body accepted (8 MiB: judge prompts with long traces stay far below).
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// Headers a cross-origin page may read (`Access-Control-Expose-Headers`).
pub const EXPOSED_HEADERS: &str =
    "retry-after, retry-after-ms, x-ratelimit-reset-requests, x-ratelimit-remaining-requests, x-bsa-sim";

/// Request headers a preflight allows when it does not list its own.
const ALLOWED_HEADERS: &str = "authorization, x-api-key, anthropic-version, \
     anthropic-dangerous-direct-browser-access, x-bsa-call, content-type";

/// Pause before a cut, so hyper flushes what was sent before it closes the connection.
const FLUSH_BEFORE_CUT: Duration = Duration::from_millis(15);

const X_BSA_SIM: HeaderName = HeaderName::from_static("x-bsa-sim");

/// The service error that makes hyper close the connection without a response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConnectionDropped;

impl fmt::Display for ConnectionDropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("simulated dropped connection")
    }
}

impl std::error::Error for ConnectionDropped {}

type SimResponse = Response<ScriptedBody>;

struct SimState {
    config: SimConfig,
    ledger: CallLedger,
}

/// A running simulator's shared state; cheap to clone (all clones share config and counts).
#[derive(Clone)]
pub struct Simulator {
    state: Arc<Mutex<SimState>>,
}

impl fmt::Debug for Simulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // SimConfig's Debug already redacts the key.
        f.debug_struct("Simulator")
            .field("config", &self.lock().config)
            .finish_non_exhaustive()
    }
}

impl Simulator {
    pub fn new(config: SimConfig) -> Simulator {
        Simulator {
            state: Arc::new(Mutex::new(SimState {
                config,
                ledger: CallLedger::default(),
            })),
        }
    }

    /// The state, even if a thread panicked while holding it (every update is a whole
    /// assignment or counter increment, so the data is still consistent).
    fn lock(&self) -> MutexGuard<'_, SimState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn config(&self) -> SimConfig {
        self.lock().config.clone()
    }

    /// Serves connections from `listener` until `shutdown` completes; open connections are
    /// then closed.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()>,
    ) -> std::io::Result<()> {
        let mut connections = JoinSet::new();
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                () = &mut shutdown => break,
                accepted = listener.accept() => match accepted {
                    Ok((stream, _peer)) => {
                        // Stream events should leave as soon as they are written.
                        let _ = stream.set_nodelay(true);
                        let simulator = self.clone();
                        connections.spawn(async move {
                            let service = service_fn(move |request| {
                                let simulator = simulator.clone();
                                async move { simulator.handle(request).await }
                            });
                            // Errors here are the client going away or a simulated fault.
                            let _ = http1::Builder::new()
                                .timer(TokioTimer::new())
                                .serve_connection(TokioIo::new(stream), service)
                                .await;
                        });
                    }
                    // Out of file descriptors and the like: wait a little, keep serving.
                    Err(error) => {
                        eprintln!("bsa-sim: accept failed: {error}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                },
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
            }
        }
        connections.shutdown().await;
        Ok(())
    }

    async fn handle(&self, request: Request<Incoming>) -> Result<SimResponse, ConnectionDropped> {
        let mut response = self.route(request).await?;
        let headers = response.headers_mut();
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
        headers.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static(EXPOSED_HEADERS),
        );
        headers
            .entry(X_BSA_SIM)
            .or_insert(HeaderValue::from_static("simulated"));
        Ok(response)
    }

    async fn route(&self, request: Request<Incoming>) -> Result<SimResponse, ConnectionDropped> {
        let method = request.method().clone();
        let path = request.uri().path().to_owned();
        if method == Method::OPTIONS {
            return Ok(preflight(request.headers()));
        }
        let allowed: &[Method] = match path.as_str() {
            "/" | "/sim/health" | "/v1/models" | "/sim/counts" => &[Method::GET],
            "/sim/config" => &[Method::GET, Method::POST],
            "/sim/reset" | "/v1/chat/completions" | "/v1/messages" => &[Method::POST],
            _ => {
                return Ok(json_response(
                    StatusCode::NOT_FOUND,
                    openai::error_body(
                        "invalid_request_error",
                        Some("not_found"),
                        None,
                        &format!("[simulated] no route {method} {path}; GET / lists the endpoints"),
                    ),
                ))
            }
        };
        if !allowed.contains(&method) {
            let allow: Vec<&str> = allowed.iter().map(Method::as_str).collect();
            let mut response = json_response(
                StatusCode::METHOD_NOT_ALLOWED,
                openai::error_body(
                    "invalid_request_error",
                    Some("method_not_allowed"),
                    None,
                    &format!(
                        "[simulated] {path} takes {}, not {method}",
                        allow.join(" or ")
                    ),
                ),
            );
            if let Ok(value) = HeaderValue::from_str(&allow.join(", ")) {
                response.headers_mut().insert(header::ALLOW, value);
            }
            return Ok(response);
        }
        match (method, path.as_str()) {
            (_, "/") => Ok(text_response(StatusCode::OK, index_text())),
            (_, "/sim/health") => Ok(json_response(
                StatusCode::OK,
                json!({ "status": "ok", "simulated": true, "message": BANNER }).to_string(),
            )),
            (_, "/v1/models") => Ok(json_response(StatusCode::OK, models_json())),
            (_, "/sim/counts") => {
                let body = serde_json::to_string(&self.lock().ledger.view()).unwrap_or_default();
                Ok(json_response(StatusCode::OK, body))
            }
            (_, "/sim/reset") => {
                self.lock().ledger.clear();
                Ok(json_response(
                    StatusCode::OK,
                    json!({ "reset": true }).to_string(),
                ))
            }
            (Method::GET, "/sim/config") => Ok(self.config_view()),
            (_, "/sim/config") => self.update_config(request).await,
            (_, "/v1/chat/completions") => self.model_call(Api::OpenAi, request).await,
            (_, _) => self.model_call(Api::Anthropic, request).await,
        }
    }

    fn config_view(&self) -> SimResponse {
        let body = serde_json::to_string(&self.lock().config.view()).unwrap_or_default();
        json_response(StatusCode::OK, body)
    }

    async fn update_config(
        &self,
        request: Request<Incoming>,
    ) -> Result<SimResponse, ConnectionDropped> {
        let bytes = match read_body(request).await? {
            Ok(bytes) => bytes,
            Err(too_large) => return Ok(too_large_response(Api::OpenAi, too_large)),
        };
        let patch: ConfigPatch = match serde_json::from_slice(&bytes) {
            Ok(patch) => patch,
            Err(error) => {
                return Ok(json_response(
                    StatusCode::BAD_REQUEST,
                    openai::error_body(
                        "invalid_request_error",
                        Some("invalid_config"),
                        None,
                        &format!("[simulated] /sim/config body: {error}"),
                    ),
                ))
            }
        };
        let result = {
            let mut state = self.lock();
            state.config.patched(&patch).map(|next| state.config = next)
        };
        match result {
            Ok(()) => Ok(self.config_view()),
            Err(error) => Ok(json_response(
                StatusCode::BAD_REQUEST,
                openai::error_body(
                    "invalid_request_error",
                    Some("invalid_config"),
                    Some(error.field),
                    &format!("[simulated] {error}"),
                ),
            )),
        }
    }

    async fn model_call(
        &self,
        api: Api,
        request: Request<Incoming>,
    ) -> Result<SimResponse, ConnectionDropped> {
        let headers = request.headers().clone();
        let bytes = match read_body(request).await? {
            Ok(bytes) => bytes,
            Err(too_large) => {
                let tag = header_tag_key(&headers);
                let mut state = self.lock();
                state.ledger.receive(&tag);
                state.ledger.fault(&tag, "413");
                return Ok(too_large_response(api, too_large));
            }
        };
        let parsed = parse_request(api, &bytes);
        let tag = match headers.get(CALL_HEADER) {
            Some(value) => match value.to_str() {
                Ok(text) => CallTag::parse(text).map_err(|error| error.to_string()),
                Err(_) => Err(format!("{CALL_HEADER} header: expected visible ASCII text")),
            },
            None => Ok(match &parsed {
                Ok(chat) => CallTag::derive(&chat.last_user, &chat.prompt),
                Err(_) => CallTag::derive("", ""),
            }),
        };
        let tag_key = match (&tag, &parsed) {
            (Ok(tag), Ok(_)) => tag.to_string(),
            (Ok(tag), Err(_)) if headers.contains_key(CALL_HEADER) => tag.to_string(),
            _ => INVALID_TAG.to_owned(),
        };

        let (config, history) = {
            let mut state = self.lock();
            let history = state.ledger.receive(&tag_key);
            (state.config.clone(), history)
        };
        let refuse = |kind: &str, response: SimResponse| {
            self.lock().ledger.fault(&tag_key, kind);
            Ok(response)
        };
        if let Some(key) = &config.api_key {
            if !presented_keys(&headers)
                .iter()
                .any(|presented| key.matches(presented))
            {
                return refuse("401", unauthorized(api));
            }
        }
        let tag = match tag {
            Ok(tag) => tag,
            Err(message) => {
                let error = RequestError {
                    location: CALL_HEADER.to_owned(),
                    message,
                    code: "invalid_value",
                };
                return refuse("400", bad_request(api, &error));
            }
        };
        let chat = match parsed {
            Ok(chat) => chat,
            Err(error) => return refuse("400", bad_request(api, &error)),
        };

        let fault = fault::choose_fault(&config, &tag_key, history.attempt, history.faults_so_far);
        if let Some(fault) = fault {
            self.lock().ledger.fault(&tag_key, fault.key());
        }
        let delay = fault::delay(&config, &tag_key, history.attempt);
        let sim_header = match fault {
            Some(fault) => format!(
                "simulated; attempt={}; fault={}",
                history.attempt,
                fault.key()
            ),
            None => format!("simulated; attempt={}", history.attempt),
        };
        let reply = reply_for(&tag, &chat, &config);

        let mut response = match fault {
            Some(Fault::Hang) => {
                // Held until the client closes the connection, when hyper drops this future.
                return Ok(std::future::pending::<SimResponse>().await);
            }
            Some(Fault::Drop) => {
                tokio::time::sleep(delay).await;
                return Err(ConnectionDropped);
            }
            Some(Fault::TooManyRequests) => {
                tokio::time::sleep(delay).await;
                rate_limited(
                    api,
                    fault::sends_retry_after_ms(&config, &tag_key, history.attempt),
                )
            }
            Some(Fault::ServerError) => {
                tokio::time::sleep(delay).await;
                server_error(api)
            }
            Some(Fault::Malformed | Fault::Cutoff) | None if chat.stream => {
                let events = match api {
                    Api::OpenAi => openai::completion_events(&reply, &chat),
                    Api::Anthropic => anthropic::message_events(&reply, &chat),
                };
                let gap = delay / (events.len() as u32 + 1);
                tokio::time::sleep(gap).await;
                let body = stream_body(events, gap, fault);
                let body = if fault.is_none() {
                    self.completion(body, &tag_key)
                } else {
                    body
                };
                sse_response(body)
            }
            Some(Fault::Malformed | Fault::Cutoff) | None => {
                tokio::time::sleep(delay).await;
                let json = match api {
                    Api::OpenAi => openai::completion_json(&reply, &chat),
                    Api::Anthropic => anthropic::message_json(&reply, &chat),
                };
                match fault {
                    None => {
                        let body = self.completion(ScriptedBody::full(json), &tag_key);
                        json_with_body(StatusCode::OK, body)
                    }
                    Some(Fault::Malformed) => json_response(
                        StatusCode::OK,
                        malformed_json(&json, reply.draw().then("malformed").index(2)),
                    ),
                    Some(_) => cut_json(json),
                }
            }
        };
        if let Ok(value) = HeaderValue::from_str(&sim_header) {
            response.headers_mut().insert(X_BSA_SIM, value);
        }
        Ok(response)
    }

    /// `body`, counting the call completed once its last byte is handed to the connection.
    fn completion(&self, body: ScriptedBody, tag_key: &str) -> ScriptedBody {
        let simulator = self.clone();
        let tag_key = tag_key.to_owned();
        body.on_complete(move || simulator.lock().ledger.complete(&tag_key))
    }
}

/// The counts key of requests whose tag cannot be known (bad header, or no header and a bad
/// body).
pub const INVALID_TAG: &str = "untagged/invalid";

fn header_tag_key(headers: &HeaderMap) -> String {
    headers
        .get(CALL_HEADER)
        .and_then(|value| value.to_str().ok())
        .and_then(|text| CallTag::parse(text).ok())
        .map(|tag| tag.to_string())
        .unwrap_or_else(|| INVALID_TAG.to_owned())
}

/// Keys a request presents: `Authorization: Bearer <key>` and `x-api-key: <key>`.
fn presented_keys(headers: &HeaderMap) -> Vec<String> {
    let mut keys = Vec::new();
    for value in headers.get_all(header::AUTHORIZATION) {
        if let Ok(text) = value.to_str() {
            let text = text.trim();
            if text.len() > 7 && text[..7].eq_ignore_ascii_case("bearer ") {
                keys.push(text[7..].trim().to_owned());
            }
        }
    }
    for value in headers.get_all("x-api-key") {
        if let Ok(text) = value.to_str() {
            keys.push(text.trim().to_owned());
        }
    }
    keys
}

/// The request body, or the length-limit refusal; a broken connection drops the call.
///
/// An over-long body is still read (and thrown away) up to [`DRAIN_LIMIT_BYTES`] before the 413
/// goes out: a server that answers while the client is still sending makes the client's write
/// fail, and the client would see a broken connection instead of the 413.
async fn read_body(
    request: Request<Incoming>,
) -> Result<Result<Bytes, TooLarge>, ConnectionDropped> {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|text| text.parse::<u64>().ok());
    if declared.is_some_and(|len| len > DRAIN_LIMIT_BYTES) {
        return Ok(Err(TooLarge));
    }
    let mut body = request.into_body();
    let mut kept = Vec::new();
    let mut seen: u64 = 0;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| ConnectionDropped)?;
        if let Ok(data) = frame.into_data() {
            seen += data.len() as u64;
            if seen > DRAIN_LIMIT_BYTES {
                return Ok(Err(TooLarge));
            }
            if seen <= MAX_BODY_BYTES as u64 {
                kept.extend_from_slice(&data);
            }
        }
    }
    if seen > MAX_BODY_BYTES as u64 {
        return Ok(Err(TooLarge));
    }
    Ok(Ok(Bytes::from(kept)))
}

/// How much of an over-long body is read before answering 413 (see [`read_body`]).
const DRAIN_LIMIT_BYTES: u64 = 64 * 1024 * 1024;

/// A body over [`MAX_BODY_BYTES`].
#[derive(Clone, Copy, Debug)]
struct TooLarge;

fn too_large_response(api: Api, _: TooLarge) -> SimResponse {
    let message = format!("[simulated] request body over the limit of {MAX_BODY_BYTES} bytes");
    let body = match api {
        Api::OpenAi => openai::error_body(
            "invalid_request_error",
            Some("request_too_large"),
            None,
            &message,
        ),
        Api::Anthropic => anthropic::error_body("request_too_large", &message),
    };
    json_response(StatusCode::PAYLOAD_TOO_LARGE, body)
}

fn bad_request(api: Api, error: &RequestError) -> SimResponse {
    let message = format!("[simulated] {error}");
    let body = match api {
        Api::OpenAi => openai::error_body(
            "invalid_request_error",
            Some(error.code),
            Some(&error.location),
            &message,
        ),
        Api::Anthropic => anthropic::error_body("invalid_request_error", &message),
    };
    json_response(StatusCode::BAD_REQUEST, body)
}

fn unauthorized(api: Api) -> SimResponse {
    let message = "[simulated] invalid API key";
    let body = match api {
        Api::OpenAi => openai::error_body(
            "invalid_request_error",
            Some("invalid_api_key"),
            None,
            message,
        ),
        Api::Anthropic => anthropic::error_body("authentication_error", message),
    };
    json_response(StatusCode::UNAUTHORIZED, body)
}

fn rate_limited(api: Api, with_ms: bool) -> SimResponse {
    let message = "[simulated] Rate limit reached for requests. Please try again in 1s.";
    let body = match api {
        Api::OpenAi => openai::error_body("requests", Some("rate_limit_exceeded"), None, message),
        Api::Anthropic => anthropic::error_body("rate_limit_error", message),
    };
    let mut response = json_response(StatusCode::TOO_MANY_REQUESTS, body);
    let headers = response.headers_mut();
    headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    if with_ms {
        headers.insert("retry-after-ms", HeaderValue::from_static("1000"));
    }
    headers.insert(
        "x-ratelimit-remaining-requests",
        HeaderValue::from_static("0"),
    );
    headers.insert("x-ratelimit-reset-requests", HeaderValue::from_static("1s"));
    response
}

fn server_error(api: Api) -> SimResponse {
    let message = "[simulated] The server had an error while processing your request.";
    let body = match api {
        Api::OpenAi => openai::error_body("server_error", None, None, message),
        Api::Anthropic => anthropic::error_body("api_error", message),
    };
    json_response(StatusCode::INTERNAL_SERVER_ERROR, body)
}

/// A 200 body that is not valid JSON: the reply cut in half but framed as complete, or an HTML
/// gateway page (as proxies send), by `variant`.
fn malformed_json(json: &str, variant: usize) -> String {
    if variant == 0 {
        let mut cut = json.len() / 2;
        while !json.is_char_boundary(cut) {
            cut -= 1;
        }
        json[..cut].to_owned()
    } else {
        "<html><body><h1>502 Bad Gateway</h1><p>[simulated] upstream sent an invalid response</p></body></html>"
            .to_owned()
    }
}

/// The full `content-length`, half the bytes, then the connection closes.
fn cut_json(json: String) -> SimResponse {
    let full = json.len();
    let half = Bytes::from(json).slice(..full / 2);
    let body = ScriptedBody::from_steps(vec![
        Step::Data(half),
        Step::Wait(FLUSH_BEFORE_CUT),
        Step::Cut,
    ]);
    let mut response = json_with_body(StatusCode::OK, body);
    response
        .headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from(full));
    response
}

/// The events with `gap` between them; a malformed stream breaks its middle data event, a cut
/// one stops after half its events.
fn stream_body(events: Vec<SseEvent>, gap: Duration, fault: Option<Fault>) -> ScriptedBody {
    let data_positions: Vec<usize> = events
        .iter()
        .enumerate()
        .filter(|(_, event)| event.is_data())
        .map(|(i, _)| i)
        .collect();
    let broken = match fault {
        Some(Fault::Malformed) => data_positions.get(data_positions.len() / 2).copied(),
        _ => None,
    };
    let keep = match fault {
        Some(Fault::Cutoff) => (events.len() / 2).max(1),
        _ => events.len(),
    };
    let mut steps = Vec::with_capacity(keep * 2 + 2);
    for (index, event) in events.iter().take(keep).enumerate() {
        if index > 0 && !gap.is_zero() {
            steps.push(Step::Wait(gap));
        }
        let text = match (broken == Some(index), event.render_broken()) {
            (true, Some(broken)) => broken,
            _ => event.render(),
        };
        steps.push(Step::Data(Bytes::from(text)));
    }
    if keep < events.len() {
        steps.push(Step::Wait(FLUSH_BEFORE_CUT));
        steps.push(Step::Cut);
    }
    ScriptedBody::from_steps(steps)
}

fn preflight(request_headers: &HeaderMap) -> SimResponse {
    let mut response = Response::new(ScriptedBody::empty());
    *response.status_mut() = StatusCode::NO_CONTENT;
    let headers = response.headers_mut();
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("POST, GET, OPTIONS"),
    );
    // `*` would not cover `authorization`, so echo what the browser asks for.
    let requested = request_headers
        .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .cloned()
        .unwrap_or(HeaderValue::from_static(ALLOWED_HEADERS));
    headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, requested);
    headers.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    headers.insert(
        header::VARY,
        HeaderValue::from_static("access-control-request-headers"),
    );
    // Chrome's private/local network access asks this of a public page calling 127.0.0.1.
    if request_headers
        .get("access-control-request-private-network")
        .is_some_and(|value| value.as_bytes().eq_ignore_ascii_case(b"true"))
    {
        headers.insert(
            "access-control-allow-private-network",
            HeaderValue::from_static("true"),
        );
    }
    response
}

fn json_with_body(status: StatusCode, body: ScriptedBody) -> SimResponse {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

fn json_response(status: StatusCode, body: String) -> SimResponse {
    json_with_body(status, ScriptedBody::full(body))
}

fn text_response(status: StatusCode, body: String) -> SimResponse {
    let mut response = Response::new(ScriptedBody::full(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

fn sse_response(body: ScriptedBody) -> SimResponse {
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

fn models_json() -> String {
    let data: Vec<serde_json::Value> = MODELS
        .iter()
        .map(|id| {
            // Both providers' list shapes at once: OpenAI reads id/object/owned_by, Anthropic
            // reads type/id/display_name/created_at.
            json!({
                "id": id,
                "object": "model",
                "created": openai::CREATED,
                "owned_by": "bsa-sim",
                "type": "model",
                "display_name": format!("{id} (simulated replies, not a real model)"),
                "created_at": "2026-01-01T00:00:00Z",
            })
        })
        .collect();
    json!({
        "object": "list",
        "data": data,
        "has_more": false,
        "first_id": MODELS.first(),
        "last_id": MODELS.last(),
    })
    .to_string()
}

fn index_text() -> String {
    format!(
        "{BANNER}\n\n\
         POST /v1/chat/completions   OpenAI-compatible (JSON or SSE)\n\
         POST /v1/messages           Anthropic-compatible (JSON or SSE)\n\
         GET  /v1/models             the simulated models\n\
         GET  /sim/health            liveness\n\
         GET  /sim/config            current configuration; POST to change it\n\
         GET  /sim/counts            requests per call tag; POST /sim/reset clears them\n\n\
         Tag calls with the header `{CALL_HEADER}: <run>/<item id>/<sample index>/<stage>`.\n"
    )
}

fn parse_request(api: Api, body: &[u8]) -> Result<ChatRequest, RequestError> {
    match api {
        Api::OpenAi => request::parse_openai(body),
        Api::Anthropic => request::parse_anthropic(body),
    }
}
