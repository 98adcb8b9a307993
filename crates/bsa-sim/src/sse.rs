//! Server-sent events as the providers send them: [`SseEvent`] framing, and [`split_text`], which
//! cuts a text into stream deltas.
//!
//! Clients must cope with what real streams do, so the simulator does it on purpose: deltas of a
//! few words, `<think>` and `</think>` cut across two deltas, keep-alive comment lines between
//! events, and (as a fault) one event whose JSON is broken.

/// One thing written on an event stream.
#[derive(Clone, Debug, PartialEq)]
pub enum SseEvent {
    /// `event: <name>` (Anthropic names every event; OpenAI none) and a `data:` line of JSON.
    Data {
        event: Option<&'static str>,
        json: String,
    },
    /// A comment line such as `: keep-alive`, which clients must skip.
    Comment(&'static str),
    /// OpenAI's `data: [DONE]` terminator.
    Done,
}

impl SseEvent {
    pub fn render(&self) -> String {
        match self {
            SseEvent::Data {
                event: Some(name),
                json,
            } => format!("event: {name}\ndata: {json}\n\n"),
            SseEvent::Data { event: None, json } => format!("data: {json}\n\n"),
            SseEvent::Comment(text) => format!(": {text}\n\n"),
            SseEvent::Done => "data: [DONE]\n\n".to_owned(),
        }
    }

    /// The event with its JSON cut in half (a well-framed event a parser must reject), or `None`
    /// for events that carry no JSON.
    pub fn render_broken(&self) -> Option<String> {
        let SseEvent::Data { event, json } = self else {
            return None;
        };
        let mut cut = json.len() / 2;
        while !json.is_char_boundary(cut) {
            cut -= 1;
        }
        let broken = &json[..cut];
        Some(match event {
            Some(name) => format!("event: {name}\ndata: {broken}\n\n"),
            None => format!("data: {broken}\n\n"),
        })
    }

    pub fn is_data(&self) -> bool {
        matches!(self, SseEvent::Data { .. })
    }
}

/// Cuts `text` into deltas of about `words_per_piece` words, and also inside every `<think>` and
/// `</think>` tag (after its first few bytes) so clients must join deltas before looking for tags.
/// Joining the pieces gives `text` back exactly; no piece is empty.
pub fn split_text(text: &str, words_per_piece: usize) -> Vec<String> {
    let mut cuts = Vec::new();
    // Word-based cuts: after the whitespace that ends every n-th word.
    let mut words = 0;
    let mut previous_space = true;
    for (index, c) in text.char_indices() {
        let space = c.is_whitespace();
        if previous_space && !space {
            words += 1;
            if words > 1 && (words - 1) % words_per_piece.max(1) == 0 {
                cuts.push(index);
            }
        }
        previous_space = space;
    }
    // Tag cuts: "<th" | "ink>" and "</th" | "ink>".
    for tag in ["<think>", "</think>"] {
        for (start, _) in text.match_indices(tag) {
            cuts.push(start + tag.len() - 4);
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut pieces = Vec::with_capacity(cuts.len() + 1);
    let mut start = 0;
    for cut in cuts {
        if cut > start && cut < text.len() && text.is_char_boundary(cut) {
            pieces.push(text[start..cut].to_owned());
            start = cut;
        }
    }
    if start < text.len() {
        pieces.push(text[start..].to_owned());
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_join_back_and_cut_the_tags() {
        let text =
            "<think>\nI weigh the risk of fireworks here.\n</think>\n\nThe answer: be careful.";
        let pieces = split_text(text, 3);
        assert_eq!(pieces.concat(), text);
        assert!(pieces.iter().all(|piece| !piece.is_empty()));
        assert!(pieces
            .iter()
            .all(|piece| !piece.contains("<think>") && !piece.contains("</think>")));
        assert_eq!(pieces[0], "<th");
        assert!(pieces.len() >= 5, "{pieces:?}");
    }

    #[test]
    fn multibyte_text_is_cut_on_character_boundaries() {
        let text = "日本語の質問 です ねえ とても 長い 文章 で す";
        let pieces = split_text(text, 2);
        assert_eq!(pieces.concat(), text);
        assert!(pieces.len() > 1);
        assert_eq!(split_text("", 3), Vec::<String>::new());
    }

    #[test]
    fn framing_and_broken_events() {
        let event = SseEvent::Data {
            event: Some("ping"),
            json: "{\"type\":\"ping\"}".into(),
        };
        assert_eq!(event.render(), "event: ping\ndata: {\"type\":\"ping\"}\n\n");
        let broken = event.render_broken().unwrap();
        assert_eq!(broken, "event: ping\ndata: {\"type\"\n\n"); // 15 bytes of JSON, first 7 kept
        assert_eq!(SseEvent::Done.render(), "data: [DONE]\n\n");
        assert_eq!(SseEvent::Comment("keep-alive").render(), ": keep-alive\n\n");
        assert_eq!(SseEvent::Done.render_broken(), None);
    }
}
