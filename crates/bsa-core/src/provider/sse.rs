//! An incremental server-sent-events parser: [`SseParser`] turns bytes, in chunks of any size,
//! into [`SseEvent`]s.
//!
//! Follows the WHATWG event-stream rules: lines end in CRLF, LF or CR (a CRLF split across two
//! chunks counts once); `field: value` with one optional space after the colon; `data` lines
//! accumulate with `\n` between them; an empty line dispatches the event; lines starting with
//! `:` are comments (keep-alives); a leading byte-order mark is skipped. Bytes are buffered until
//! a line ends, so a UTF-8 character split across chunks is decoded whole; invalid UTF-8 becomes
//! U+FFFD as the standard says.
//!
//! One deliberate leniency: at the end of the stream a last line without its terminator and an
//! event without its closing empty line are still delivered ([`SseParser::finish`]). Servers
//! often end with `data: [DONE]` and no blank line; a genuinely truncated JSON event still fails
//! to parse downstream, so nothing truncated passes as complete.
//!
//! Hand-written because the crates available either own the transport (`reqwest`-based
//! clients) or need an async runtime; this one is a pure function of the bytes.

/// One dispatched event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` name, if the server sent one (the standard's default is `message`).
    pub event: Option<String>,
    /// The `data:` lines joined with `\n`.
    pub data: String,
    /// The last `id:` seen, if any.
    pub id: Option<String>,
}

/// Incremental parser state.
#[derive(Clone, Debug, Default)]
pub struct SseParser {
    /// Bytes of the current, unfinished line.
    line: Vec<u8>,
    /// The previous chunk ended in CR: a leading LF in the next chunk belongs to it.
    after_cr: bool,
    /// Whether the first bytes have been checked for a byte-order mark.
    started: bool,
    event: Option<String>,
    data: String,
    has_data: bool,
    last_id: Option<String>,
    /// The server's `retry:` reconnection time in milliseconds, if it sent one.
    pub retry_ms: Option<u64>,
    /// Total bytes pushed, for error messages.
    pub bytes_seen: u64,
    /// Comment lines seen (keep-alives), for diagnostics.
    pub comments_seen: u64,
}

impl SseParser {
    pub fn new() -> SseParser {
        SseParser::default()
    }

    /// Feeds a chunk; returns the events it completed.
    pub fn push(&mut self, mut bytes: &[u8]) -> Vec<SseEvent> {
        self.bytes_seen = self.bytes_seen.saturating_add(bytes.len() as u64);
        let mut events = Vec::new();
        if !self.started {
            // The BOM may itself arrive split; wait for 3 bytes (or a non-matching prefix).
            self.line.extend_from_slice(bytes);
            const BOM: &[u8] = b"\xEF\xBB\xBF";
            if self.line.len() < BOM.len() && BOM.starts_with(&self.line) {
                return events;
            }
            self.started = true;
            let pending = std::mem::take(&mut self.line);
            let rest = pending.strip_prefix(BOM).unwrap_or(&pending);
            self.scan(rest, &mut events);
            return events;
        }
        // An empty chunk says nothing about whether the CR's LF follows: keep waiting for it.
        if self.after_cr && !bytes.is_empty() {
            if let Some(b'\n') = bytes.first() {
                bytes = &bytes[1..];
            }
            self.after_cr = false;
        }
        self.scan(bytes, &mut events);
        events
    }

    /// Ends the stream: processes a last unterminated line and dispatches a pending event.
    pub fn finish(&mut self) -> Vec<SseEvent> {
        let mut events = Vec::new();
        if !self.line.is_empty() {
            let line = std::mem::take(&mut self.line);
            self.process_line(&line, &mut events);
        }
        self.dispatch(&mut events);
        events
    }

    /// True when bytes of an unfinished line or an undispatched event are buffered.
    pub fn has_pending(&self) -> bool {
        !self.line.is_empty() || self.has_data
    }

    fn scan(&mut self, bytes: &[u8], events: &mut Vec<SseEvent>) {
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' | b'\r' => {
                    self.line.extend_from_slice(&bytes[start..i]);
                    let line = std::mem::take(&mut self.line);
                    self.process_line(&line, events);
                    self.line = line;
                    self.line.clear();
                    if bytes[i] == b'\r' {
                        if i + 1 < bytes.len() {
                            if bytes[i + 1] == b'\n' {
                                i += 1;
                            }
                        } else {
                            self.after_cr = true;
                        }
                    }
                    i += 1;
                    start = i;
                }
                _ => i += 1,
            }
        }
        self.line.extend_from_slice(&bytes[start..]);
    }

    fn process_line(&mut self, line: &[u8], events: &mut Vec<SseEvent>) {
        if line.is_empty() {
            self.dispatch(events);
            return;
        }
        if line[0] == b':' {
            self.comments_seen += 1;
            return;
        }
        let text = String::from_utf8_lossy(line);
        let (field, value) = match text.find(':') {
            Some(colon) => {
                let value = &text[colon + 1..];
                (&text[..colon], value.strip_prefix(' ').unwrap_or(value))
            }
            None => (&text[..], ""),
        };
        match field {
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
                self.has_data = true;
            }
            "event" => self.event = Some(value.to_string()),
            "id" if !value.contains('\0') => self.last_id = Some(value.to_string()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry_ms = value.parse().ok();
            }
            _ => {}
        }
    }

    fn dispatch(&mut self, events: &mut Vec<SseEvent>) {
        let event = self.event.take();
        if !self.has_data {
            self.data.clear();
            return;
        }
        self.has_data = false;
        let mut data = std::mem::take(&mut self.data);
        if data.ends_with('\n') {
            data.pop();
        }
        events.push(SseEvent {
            event: event.filter(|e| !e.is_empty()),
            data,
            id: self.last_id.clone(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_all(bytes: &[u8]) -> Vec<SseEvent> {
        let mut parser = SseParser::new();
        let mut events = parser.push(bytes);
        events.extend(parser.finish());
        events
    }

    fn ev(event: Option<&str>, data: &str) -> SseEvent {
        SseEvent {
            event: event.map(str::to_string),
            data: data.to_string(),
            id: None,
        }
    }

    #[test]
    fn data_event_comment_and_multiline() {
        let text =
            b": keep-alive\n\nevent: ping\ndata: {}\n\ndata: line one\ndata:line two\n\ndata\n\n";
        let events = parse_all(text);
        assert_eq!(
            events,
            vec![
                ev(Some("ping"), "{}"),
                ev(None, "line one\nline two"),
                ev(None, "")
            ]
        );
    }

    #[test]
    fn every_line_ending_and_every_split_give_the_same_events() {
        let base = "\u{FEFF}: hi\nevent: a\ndata: x ü 漢\n\ndata: [DONE]\n\n";
        let expected = vec![ev(Some("a"), "x ü 漢"), ev(None, "[DONE]")];
        for ending in ["\n", "\r\n", "\r"] {
            let text = base.replace('\n', ending);
            let bytes = text.as_bytes();
            for size in 1..=bytes.len() {
                let mut parser = SseParser::new();
                let mut events = Vec::new();
                for chunk in bytes.chunks(size) {
                    events.extend(parser.push(chunk));
                }
                events.extend(parser.finish());
                assert_eq!(events, expected, "ending {ending:?}, chunk size {size}");
            }
        }
    }

    proptest::proptest! {
        /// Any events, serialized with any line ending and keep-alive comments, come back the
        /// same whatever the chunk boundaries.
        #[test]
        fn events_survive_any_chunking(
            events in proptest::collection::vec(
                (proptest::option::of("[a-z_]{1,12}"), proptest::collection::vec("[ -~éü漢🧪]{0,20}", 1..4)),
                1..6,
            ),
            ending in proptest::sample::select(vec!["\n", "\r\n", "\r"]),
            cuts in proptest::collection::vec(0usize..400, 0..10),
        ) {
            let mut text = String::new();
            let mut expected = Vec::new();
            for (name, lines) in &events {
                text.push_str(&format!(": keep-alive{ending}"));
                if let Some(name) = name {
                    text.push_str(&format!("event: {name}{ending}"));
                }
                for line in lines {
                    text.push_str(&format!("data: {line}{ending}"));
                }
                text.push_str(ending);
                expected.push(SseEvent { event: name.clone(), data: lines.join("\n"), id: None });
            }
            let bytes = text.as_bytes();
            let mut bounds: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
            bounds.sort_unstable();
            let mut parser = SseParser::new();
            let mut got = Vec::new();
            let mut last = 0;
            for b in bounds.into_iter().chain([bytes.len()]) {
                got.extend(parser.push(&bytes[last..b]));
                last = b;
            }
            got.extend(parser.finish());
            proptest::prop_assert_eq!(got, expected);
        }
    }

    #[test]
    fn an_empty_chunk_between_cr_and_lf_does_not_split_the_line_end() {
        // Found by the property test below: the empty chunk used to forget the pending CR, so
        // the LF after it read as an empty line and dispatched the event without its data.
        let mut parser = SseParser::new();
        let mut events = parser.push(b"event: a\r");
        events.extend(parser.push(b""));
        events.extend(parser.push(b"\ndata: x\r\n\r\n"));
        assert_eq!(events, vec![ev(Some("a"), "x")]);
    }

    #[test]
    fn last_event_without_blank_line_is_delivered_at_finish() {
        let mut parser = SseParser::new();
        assert!(parser.push(b"data: [DONE]").is_empty());
        assert!(parser.has_pending());
        assert_eq!(parser.finish(), vec![ev(None, "[DONE]")]);
    }

    #[test]
    fn space_after_colon_is_optional_and_only_one_is_removed() {
        let events = parse_all(b"data:  two spaces\n\n");
        assert_eq!(events[0].data, " two spaces");
    }

    #[test]
    fn retry_and_id_fields_are_kept() {
        let mut parser = SseParser::new();
        let events = parser.push(b"retry: 3000\nid: 7\ndata: x\n\n");
        assert_eq!(parser.retry_ms, Some(3000));
        assert_eq!(events[0].id.as_deref(), Some("7"));
    }

    #[test]
    fn invalid_utf8_becomes_replacement_characters() {
        let events = parse_all(b"data: a\xFFb\n\n");
        assert_eq!(events[0].data, "a\u{FFFD}b");
    }
}
