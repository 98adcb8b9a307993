//! Shared by the integration tests: start the real `bsa-sim` binary on a free port, talk HTTP to
//! it with `ureq`, or with a raw socket where a fault leaves no well-formed response to read.

#![allow(dead_code)] // each test file uses its own part of this

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Duration;

/// A running simulator process, killed when dropped.
pub struct Sim {
    child: Child,
    // Kept open so the process never writes to a closed pipe.
    _stdout: BufReader<ChildStdout>,
    pub port: u16,
    pub ready_line: String,
    agent: ureq::Agent,
}

impl Sim {
    /// Starts `bsa-sim --port 0 <args>` and waits for its ready line.
    pub fn start(args: &[&str]) -> Sim {
        let mut child = Command::new(env!("CARGO_BIN_EXE_bsa-sim"))
            .args(["--port", "0"])
            .args(args)
            .env_remove("BSA_SIM_API_KEY")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn bsa-sim");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut line = String::new();
        stdout.read_line(&mut line).expect("read the ready line");
        let port = line
            .trim()
            .strip_prefix("bsa-sim listening on http://127.0.0.1:")
            .and_then(|rest| rest.strip_suffix(" (simulated provider)"))
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| panic!("unexpected ready line {line:?}"));
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(10)))
            .build()
            .into();
        Sim {
            child,
            _stdout: stdout,
            port,
            ready_line: line,
            agent,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the process to end (after a signal), up to `timeout`.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<std::process::ExitStatus> {
        let deadline = std::time::Instant::now() + timeout;
        while std::time::Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    pub fn get(&self, path: &str) -> Reply {
        let response = self.agent.get(&self.url(path)).call().expect("GET");
        Reply::from(response)
    }

    pub fn post(&self, path: &str, headers: &[(&str, &str)], body: &str) -> Reply {
        let mut request = self
            .agent
            .post(&self.url(path))
            .header("content-type", "application/json");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Reply::from(request.send(body).expect("POST"))
    }

    /// A generation or judge call on the OpenAI-compatible endpoint, tagged `tag`.
    pub fn chat(&self, tag: &str, body: &Value) -> Reply {
        self.post(
            "/v1/chat/completions",
            &[("x-bsa-call", tag)],
            &body.to_string(),
        )
    }

    pub fn messages(&self, tag: &str, body: &Value) -> Reply {
        self.post(
            "/v1/messages",
            &[("x-bsa-call", tag), ("anthropic-version", "2023-06-01")],
            &body.to_string(),
        )
    }

    pub fn config(&self, patch: &Value) -> Reply {
        self.post("/sim/config", &[], &patch.to_string())
    }

    pub fn counts(&self) -> Value {
        self.get("/sim/counts").json()
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A whole response read with ureq.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl From<ureq::http::Response<ureq::Body>> for Reply {
    fn from(mut response: ureq::http::Response<ureq::Body>) -> Reply {
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    value.to_str().unwrap_or("").to_owned(),
                )
            })
            .collect();
        let body = response.body_mut().read_to_string().expect("read body");
        Reply {
            status,
            headers,
            body,
        }
    }
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|error| panic!("{error}: {}", self.body))
    }
}

/// An OpenAI-style request for one query.
pub fn openai_request(query: &str, stream: bool) -> Value {
    serde_json::json!({
        "model": "sim-reasoner",
        "stream": stream,
        "stream_options": if stream { serde_json::json!({ "include_usage": true }) } else { Value::Null },
        "messages": [{ "role": "user", "content": query }],
    })
}

/// An Anthropic-style request for one query, with extended thinking on.
pub fn anthropic_request(query: &str, stream: bool) -> Value {
    serde_json::json!({
        "model": "sim-reasoner",
        "max_tokens": 4096,
        "stream": stream,
        "thinking": { "type": "enabled", "budget_tokens": 2048 },
        "messages": [{ "role": "user", "content": query }],
    })
}

/// `data:` payloads of an SSE text, in order (comments and `event:` lines skipped).
pub fn sse_data(text: &str) -> Vec<String> {
    text.split("\n\n")
        .flat_map(|event| event.lines())
        .filter_map(|line| line.strip_prefix("data: "))
        .map(str::to_owned)
        .collect()
}

/// What came back on a raw socket.
#[derive(Debug)]
pub struct RawOutcome {
    /// Everything read before the server closed the connection (or the read timed out).
    pub bytes: Vec<u8>,
    /// Whether reading stopped because of the timeout rather than a close.
    pub timed_out: bool,
}

impl RawOutcome {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    /// Status code, headers (lower-cased names) and raw body; `None` if no full head arrived.
    pub fn parts(&self) -> Option<RawParts> {
        let end = self.bytes.windows(4).position(|w| w == b"\r\n\r\n")?;
        let head = String::from_utf8_lossy(&self.bytes[..end]).into_owned();
        let mut lines = head.split("\r\n");
        let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
        let headers = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
            .collect();
        Some(RawParts {
            status,
            headers,
            body: self.bytes[end + 4..].to_vec(),
        })
    }
}

/// A raw response split into its parts.
#[derive(Debug)]
pub struct RawParts {
    pub status: u16,
    /// Names lower-cased.
    pub headers: Vec<(String, String)>,
    /// As sent: still chunked if the response was.
    pub body: Vec<u8>,
}

/// Decodes a chunked body; the flag says whether the terminating zero-size chunk arrived.
pub fn dechunk(mut raw: &[u8]) -> (Vec<u8>, bool) {
    let mut out = Vec::new();
    loop {
        let Some(line_end) = raw.windows(2).position(|w| w == b"\r\n") else {
            return (out, false);
        };
        let size_text = String::from_utf8_lossy(&raw[..line_end]).into_owned();
        let Ok(size) = usize::from_str_radix(size_text.trim(), 16) else {
            return (out, false);
        };
        raw = &raw[line_end + 2..];
        if size == 0 {
            return (out, raw.starts_with(b"\r\n"));
        }
        if raw.len() < size {
            out.extend_from_slice(raw);
            return (out, false);
        }
        out.extend_from_slice(&raw[..size]);
        raw = raw.get(size + 2..).unwrap_or(&[]);
    }
}

/// Sends one request on a fresh connection (`Connection: close`) and reads until the server
/// closes it or `timeout` passes with nothing more.
pub fn raw_request(
    port: u16,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
    timeout: Duration,
) -> RawOutcome {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(timeout))
        .expect("read timeout");
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).expect("send");
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 8192];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => {
                return RawOutcome {
                    bytes,
                    timed_out: false,
                }
            }
            Ok(n) => bytes.extend_from_slice(&buffer[..n]),
            Err(error)
                if matches!(
                    error.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return RawOutcome {
                    bytes,
                    timed_out: true,
                }
            }
            // A reset is a close too.
            Err(_) => {
                return RawOutcome {
                    bytes,
                    timed_out: false,
                }
            }
        }
    }
}
