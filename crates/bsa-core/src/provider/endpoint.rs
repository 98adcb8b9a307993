//! [`Endpoint`]: a base URL checked just enough to build the call URL and name the host in
//! error messages.
//!
//! Written by hand rather than with the `url` crate: we need the scheme, the host and whether a
//! path is present, nothing more, and the browser's `fetch` does the real URL parsing. The `url`
//! crate (with IDNA tables) would add a large share of the app's WebAssembly size for that.

use super::preset::WireFormat;

/// A base URL split into the parts the provider layer uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// `http` or `https`, lower-case.
    pub scheme: String,
    /// `host[:port]` as written (user info removed).
    pub authority: String,
    /// The host alone, for messages ("401 from api.openai.com").
    pub host: String,
    /// The path without a trailing `/` (may be empty), and any query kept verbatim.
    pub path: String,
    pub query: Option<String>,
}

/// Why a base URL was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EndpointProblem {
    Empty,
    /// Not `http://` or `https://`.
    Scheme,
    /// Nothing between `//` and the path.
    NoHost,
    /// Whitespace or control characters inside the URL.
    BadCharacter,
    /// A `#fragment` would be dropped by fetch and is almost surely a paste error.
    Fragment,
    /// A query parameter that looks like a credential (`?key=...`, `?api_key=...`,
    /// `?token=...`): the base URL is kept with runs and exports, a key must not be.
    CredentialInQuery {
        parameter: String,
    },
}

impl EndpointProblem {
    pub fn expected(&self) -> &'static str {
        match self {
            EndpointProblem::Empty => "a base URL such as https://api.openai.com/v1",
            EndpointProblem::Scheme => "a URL starting with http:// or https://",
            EndpointProblem::NoHost => "a host name after http:// or https://",
            EndpointProblem::BadCharacter => "a URL without spaces or control characters",
            EndpointProblem::Fragment => "a URL without a #fragment",
            EndpointProblem::CredentialInQuery { .. } => {
                "a URL without a key in its query: enter the key in the key field (it is sent \
                 as a header and never stored with the run)"
            }
        }
    }
}

impl Endpoint {
    pub fn parse(text: &str) -> Result<Endpoint, EndpointProblem> {
        let text = text.trim();
        if text.is_empty() {
            return Err(EndpointProblem::Empty);
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(EndpointProblem::BadCharacter);
        }
        if text.contains('#') {
            return Err(EndpointProblem::Fragment);
        }
        let (scheme, rest) = text.split_once("://").ok_or(EndpointProblem::Scheme)?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Err(EndpointProblem::Scheme);
        }
        let (before_query, query) = match rest.split_once('?') {
            Some((before, query)) => (before, Some(query.to_string())),
            None => (rest, None),
        };
        if let Some(parameter) = query.as_deref().and_then(credential_parameter) {
            return Err(EndpointProblem::CredentialInQuery { parameter });
        }
        let (authority, path) = match before_query.find('/') {
            Some(slash) => (&before_query[..slash], &before_query[slash..]),
            None => (before_query, ""),
        };
        // Drop user info: `user:pass@host` would put a credential into error messages.
        let authority = authority
            .rsplit_once('@')
            .map_or(authority, |(_, host)| host);
        if authority.is_empty() {
            return Err(EndpointProblem::NoHost);
        }
        let host = if authority.starts_with('[') {
            // IPv6 literal: keep the brackets, drop the port.
            authority
                .split_once(']')
                .map_or(authority.to_string(), |(h, _)| format!("{h}]"))
        } else {
            authority.split(':').next().unwrap_or(authority).to_string()
        };
        if host.is_empty() || host == "[]" {
            return Err(EndpointProblem::NoHost);
        }
        Ok(Endpoint {
            scheme,
            authority: authority.to_string(),
            host,
            path: path.trim_end_matches('/').to_string(),
            query,
        })
    }

    /// The URL of the chat call for `wire`, forgiving the usual ways people write base URLs:
    /// with or without the version segment, with a trailing slash, or as the full endpoint.
    ///
    /// OpenAI format: `{base}/chat/completions`, where a base with no path gets `/v1`
    /// (`http://localhost:11434` works like `http://localhost:11434/v1`).
    /// Anthropic format: `{base}/v1/messages`, or `{base}/messages` when the base already ends
    /// in `/v1`.
    pub fn call_url(&self, wire: WireFormat) -> String {
        let path = match wire {
            WireFormat::OpenAiChat => {
                if self.path.ends_with("/chat/completions") {
                    self.path.clone()
                } else if self.path.is_empty() {
                    "/v1/chat/completions".to_string()
                } else {
                    format!("{}/chat/completions", self.path)
                }
            }
            WireFormat::AnthropicMessages => {
                if self.path.ends_with("/messages") {
                    self.path.clone()
                } else if self.path.ends_with("/v1") {
                    format!("{}/messages", self.path)
                } else {
                    format!("{}/v1/messages", self.path)
                }
            }
        };
        let mut url = format!("{}://{}{}", self.scheme, self.authority, path);
        if let Some(query) = &self.query {
            url.push('?');
            url.push_str(query);
        }
        url
    }
}

/// The first query parameter whose name looks like a credential, if any (compared without
/// case, `-` and `_`: `key`, `api_key`, `X-Api-Key`, `access_token`, `secret`, ...).
fn credential_parameter(query: &str) -> Option<String> {
    const WORDS: [&str; 6] = ["key", "token", "secret", "password", "auth", "signature"];
    query.split('&').find_map(|pair| {
        let name = pair.split('=').next().unwrap_or_default();
        let folded: String = name
            .chars()
            .filter(|c| *c != '-' && *c != '_')
            .flat_map(char::to_lowercase)
            .collect();
        WORDS
            .iter()
            .any(|word| folded.contains(word))
            .then(|| name.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_in_the_query_is_refused_and_named() {
        for (base, parameter) in [
            ("https://gw.example/v1?key=sk-123", "key"),
            ("https://gw.example/v1?tenant=a&api_key=sk-123", "api_key"),
            ("https://gw.example/v1?X-Api-Key=sk-123", "X-Api-Key"),
            ("https://gw.example/v1?access_token=abc", "access_token"),
            ("https://gw.example/v1?client_secret", "client_secret"),
        ] {
            let problem = Endpoint::parse(base).unwrap_err();
            assert_eq!(
                problem,
                EndpointProblem::CredentialInQuery {
                    parameter: parameter.to_string()
                },
                "{base}"
            );
            assert!(problem.expected().contains("key field"));
        }
        // Other parameters stay, verbatim.
        let endpoint = Endpoint::parse("https://gw.example/v1?tenant=a&region=eu").unwrap();
        assert_eq!(endpoint.query.as_deref(), Some("tenant=a&region=eu"));
    }

    fn url(base: &str, wire: WireFormat) -> String {
        Endpoint::parse(base).unwrap().call_url(wire)
    }

    #[test]
    fn openai_style_bases_get_chat_completions() {
        let o = WireFormat::OpenAiChat;
        assert_eq!(
            url("https://api.openai.com/v1", o),
            "https://api.openai.com/v1/chat/completions"
        );
        assert_eq!(
            url("https://api.openai.com/v1/", o),
            "https://api.openai.com/v1/chat/completions"
        );
        assert_eq!(
            url(
                "https://generativelanguage.googleapis.com/v1beta/openai/",
                o
            ),
            "https://generativelanguage.googleapis.com/v1beta/openai/chat/completions"
        );
        assert_eq!(
            url("http://localhost:11434", o),
            "http://localhost:11434/v1/chat/completions"
        );
        assert_eq!(
            url("https://api.deepseek.com", o),
            "https://api.deepseek.com/v1/chat/completions"
        );
        assert_eq!(
            url("http://127.0.0.1:8788/v1/chat/completions", o),
            "http://127.0.0.1:8788/v1/chat/completions"
        );
        assert_eq!(
            url("https://gw.example/v1?tenant=a", o),
            "https://gw.example/v1/chat/completions?tenant=a"
        );
    }

    #[test]
    fn anthropic_style_bases_get_v1_messages_once() {
        let a = WireFormat::AnthropicMessages;
        assert_eq!(
            url("https://api.anthropic.com", a),
            "https://api.anthropic.com/v1/messages"
        );
        assert_eq!(
            url("https://api.anthropic.com/", a),
            "https://api.anthropic.com/v1/messages"
        );
        assert_eq!(
            url("http://127.0.0.1:8788/v1", a),
            "http://127.0.0.1:8788/v1/messages"
        );
        assert_eq!(
            url("http://127.0.0.1:8788/v1/messages", a),
            "http://127.0.0.1:8788/v1/messages"
        );
    }

    #[test]
    fn host_is_named_without_port_or_user_info() {
        let e = Endpoint::parse("https://user:secret@api.example.com:8443/v1").unwrap();
        assert_eq!(e.host, "api.example.com");
        assert_eq!(e.authority, "api.example.com:8443");
        assert!(!e.call_url(WireFormat::OpenAiChat).contains("secret"));
        assert_eq!(
            Endpoint::parse("http://[::1]:8000/v1").unwrap().host,
            "[::1]"
        );
    }

    #[test]
    fn bad_bases_say_what_is_wrong() {
        assert_eq!(Endpoint::parse("  "), Err(EndpointProblem::Empty));
        assert_eq!(
            Endpoint::parse("api.openai.com/v1"),
            Err(EndpointProblem::Scheme)
        );
        assert_eq!(Endpoint::parse("ftp://x/v1"), Err(EndpointProblem::Scheme));
        assert_eq!(Endpoint::parse("https:///v1"), Err(EndpointProblem::NoHost));
        assert_eq!(
            Endpoint::parse("https://a b/v1"),
            Err(EndpointProblem::BadCharacter)
        );
        assert_eq!(
            Endpoint::parse("https://x/v1#top"),
            Err(EndpointProblem::Fragment)
        );
    }
}
