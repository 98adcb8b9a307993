//! Splitting reasoning written inline in the content (`<think>…</think>`) from the answer:
//! [`ThinkTagSplitter`], shared by the streaming and non-streaming paths so both give the same
//! [`TagSplit`].
//!
//! Shapes handled:
//! - `<think>reasoning</think>answer` (R1-style models; `<thinking>` and Gemini's `<thought>`
//!   too), also with text before the block and with several blocks;
//! - `<think>reasoning…` never closed (output stopped mid-reasoning): all of it is reasoning;
//! - `reasoning…</think>answer` with no opening tag, when the server's prompt template already
//!   opened the block. Recognizing this needs `orphan_close`; then text before a decision is
//!   held back while streaming, because it may turn out to be reasoning.
//!
//! The answer never contains tag text: a stray closing tag in the answer is removed.

/// Opening tags and their closing tags.
const TAGS: [(&str, &str); 3] = [
    ("<think>", "</think>"),
    ("<thinking>", "</thinking>"),
    ("<thought>", "</thought>"),
];

/// The longest tag, so a partial tag at the end of a chunk can be held back.
const LONGEST_TAG: usize = 11; // "</thinking>"

/// How the reasoning appeared in the content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagKind {
    /// One or more complete `<think>…</think>` blocks.
    Closed,
    /// The last block was never closed.
    Unclosed,
    /// Reasoning before a closing tag that had no opening tag.
    OrphanClose,
}

/// The content split into answer and reasoning (both untrimmed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TagSplit {
    pub answer: String,
    pub reasoning: String,
    /// `None` when the content had no tags.
    pub kind: Option<TagKind>,
}

/// Newly decided text from one [`ThinkTagSplitter::push`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SplitDelta {
    pub answer: String,
    pub reasoning: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Nothing decided yet: the text so far may be reasoning (if a closing tag follows) or
    /// answer. Only with `orphan_close`.
    Undecided,
    Answer,
    InThink {
        close: &'static str,
    },
}

/// Incremental splitter: push content as it arrives, then [`finish`](Self::finish).
#[derive(Clone, Debug)]
pub struct ThinkTagSplitter {
    state: State,
    /// Text not yet decided or possibly the start of a tag.
    pending: String,
    /// In `Undecided`, bytes of `pending` known to hold no tag start.
    searched: usize,
    answer: String,
    reasoning: String,
    closed_blocks: usize,
    orphan: bool,
}

impl ThinkTagSplitter {
    /// `orphan_close`: treat text before a closing tag with no opening tag as reasoning.
    pub fn new(orphan_close: bool) -> ThinkTagSplitter {
        ThinkTagSplitter {
            state: if orphan_close {
                State::Undecided
            } else {
                State::Answer
            },
            pending: String::new(),
            searched: 0,
            answer: String::new(),
            reasoning: String::new(),
            closed_blocks: 0,
            orphan: false,
        }
    }

    /// Feeds more content; returns the text whose role is now known.
    pub fn push(&mut self, text: &str) -> SplitDelta {
        self.pending.push_str(text);
        let mut delta = SplitDelta::default();
        self.advance(&mut delta, false);
        self.answer.push_str(&delta.answer);
        self.reasoning.push_str(&delta.reasoning);
        delta
    }

    /// Ends the content: held-back text is decided and the split returned.
    pub fn finish(mut self) -> TagSplit {
        let mut delta = SplitDelta::default();
        self.advance(&mut delta, true);
        self.answer.push_str(&delta.answer);
        self.reasoning.push_str(&delta.reasoning);
        // Removing a stray tag can join its neighbours into a new one ("</th</think>ink>"):
        // strip until none is left, so the answer never carries tag text.
        while let Some((at, found)) = earliest_tag(&self.answer) {
            let len = match found {
                Found::Open(_, open_len) => open_len,
                Found::Close(tag) => tag.len(),
            };
            self.answer.replace_range(at..at + len, "");
        }
        let kind = if matches!(self.state, State::InThink { .. }) {
            Some(TagKind::Unclosed)
        } else if self.orphan {
            Some(TagKind::OrphanClose)
        } else if self.closed_blocks > 0 {
            Some(TagKind::Closed)
        } else {
            None
        };
        TagSplit {
            answer: self.answer,
            reasoning: self.reasoning,
            kind,
        }
    }

    fn start_block(&mut self, delta: &mut SplitDelta, close: &'static str) {
        // Separate consecutive blocks so their sentences do not run together.
        if !self.reasoning.is_empty() || !delta.reasoning.is_empty() {
            delta.reasoning.push_str("\n\n");
        }
        self.state = State::InThink { close };
    }

    fn advance(&mut self, delta: &mut SplitDelta, at_end: bool) {
        loop {
            match self.state {
                State::Undecided => {
                    let from = self.searched;
                    match earliest_tag(&self.pending[from..]) {
                        Some((at, Found::Close(tag))) => {
                            let at = from + at;
                            delta.reasoning.push_str(&self.pending[..at]);
                            self.pending.drain(..at + tag.len());
                            self.orphan = true;
                            self.state = State::Answer;
                        }
                        Some((at, Found::Open(close, open_len))) => {
                            let at = from + at;
                            delta.answer.push_str(&self.pending[..at]);
                            self.pending.drain(..at + open_len);
                            self.start_block(delta, close);
                        }
                        None => {
                            if at_end {
                                delta.answer.push_str(&self.pending);
                                self.pending.clear();
                                self.state = State::Answer;
                            } else {
                                self.searched =
                                    self.pending.len() - partial_tag_suffix(&self.pending, None);
                            }
                            return;
                        }
                    }
                }
                State::Answer => match earliest_tag(&self.pending) {
                    Some((at, Found::Open(close, open_len))) => {
                        delta.answer.push_str(&self.pending[..at]);
                        self.pending.drain(..at + open_len);
                        self.start_block(delta, close);
                    }
                    Some((at, Found::Close(tag))) => {
                        // A stray closing tag: drop the tag text, keep the words.
                        delta.answer.push_str(&self.pending[..at]);
                        self.pending.drain(..at + tag.len());
                    }
                    None => {
                        let hold = if at_end {
                            0
                        } else {
                            partial_tag_suffix(&self.pending, None)
                        };
                        let keep_from = self.pending.len() - hold;
                        delta.answer.push_str(&self.pending[..keep_from]);
                        self.pending.drain(..keep_from);
                        return;
                    }
                },
                State::InThink { close } => match self.pending.find(close) {
                    Some(at) => {
                        delta.reasoning.push_str(&self.pending[..at]);
                        self.pending.drain(..at + close.len());
                        self.closed_blocks += 1;
                        self.state = State::Answer;
                    }
                    None => {
                        let hold = if at_end {
                            0
                        } else {
                            partial_tag_suffix(&self.pending, Some(close))
                        };
                        let keep_from = self.pending.len() - hold;
                        delta.reasoning.push_str(&self.pending[..keep_from]);
                        self.pending.drain(..keep_from);
                        return;
                    }
                },
            }
        }
    }
}

/// Splits a complete content string (the non-streaming path).
pub fn split_think_tags(content: &str, orphan_close: bool) -> TagSplit {
    let mut splitter = ThinkTagSplitter::new(orphan_close);
    splitter.push(content);
    splitter.finish()
}

enum Found {
    /// The closing tag that ends this block, and the opening tag's length.
    Open(&'static str, usize),
    Close(&'static str),
}

/// The earliest opening or closing tag in `text`.
fn earliest_tag(text: &str) -> Option<(usize, Found)> {
    let mut best: Option<(usize, Found)> = None;
    for (open, close) in TAGS {
        if let Some(at) = text.find(open) {
            if best.as_ref().is_none_or(|(b, _)| at < *b) {
                best = Some((at, Found::Open(close, open.len())));
            }
        }
        if let Some(at) = text.find(close) {
            if best.as_ref().is_none_or(|(b, _)| at < *b) {
                best = Some((at, Found::Close(close)));
            }
        }
    }
    best
}

/// Length of the longest suffix of `text` that is a proper prefix of a tag (of `only`, or of any
/// tag), i.e. text that must wait for the next chunk.
fn partial_tag_suffix(text: &str, only: Option<&str>) -> usize {
    let window_start = text.len().saturating_sub(LONGEST_TAG - 1);
    // '<' is ASCII, so every position where it occurs is a char boundary.
    let Some(rel) = text.as_bytes()[window_start..]
        .iter()
        .position(|b| *b == b'<')
    else {
        return 0;
    };
    let mut start = window_start + rel;
    loop {
        let tail = &text[start..];
        let is_prefix = |tag: &str| tag.len() > tail.len() && tag.starts_with(tail);
        let matches = match only {
            Some(tag) => is_prefix(tag),
            None => TAGS
                .iter()
                .any(|(open, close)| is_prefix(open) || is_prefix(close)),
        };
        if matches {
            return tail.len();
        }
        match text.as_bytes()[start + 1..].iter().position(|b| *b == b'<') {
            Some(next) => start = start + 1 + next,
            None => return 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(content: &str, orphan: bool) -> (String, String, Option<TagKind>) {
        let s = split_think_tags(content, orphan);
        (s.answer, s.reasoning, s.kind)
    }

    #[test]
    fn closed_block_is_split_off() {
        let (answer, reasoning, kind) =
            split("<think>\nrisky request\n</think>\n\nI can't help.", true);
        assert_eq!(reasoning, "\nrisky request\n");
        assert_eq!(answer, "\n\nI can't help.");
        assert_eq!(kind, Some(TagKind::Closed));
    }

    #[test]
    fn unclosed_block_is_all_reasoning() {
        let (answer, reasoning, kind) = split("<think>still thinking when the limit hit", true);
        assert_eq!(answer, "");
        assert_eq!(reasoning, "still thinking when the limit hit");
        assert_eq!(kind, Some(TagKind::Unclosed));
    }

    #[test]
    fn orphan_close_makes_the_prefix_reasoning() {
        let (answer, reasoning, kind) = split("the user wants X.\n</think>\nNo.", true);
        assert_eq!(reasoning, "the user wants X.\n");
        assert_eq!(answer, "\nNo.");
        assert_eq!(kind, Some(TagKind::OrphanClose));
        // Without orphan detection the tag is still removed from the answer.
        let (answer, reasoning, kind) = split("the user wants X.\n</think>\nNo.", false);
        assert_eq!(answer, "the user wants X.\n\nNo.");
        assert_eq!(reasoning, "");
        assert_eq!(kind, None);
    }

    #[test]
    fn plain_content_is_all_answer() {
        for orphan in [true, false] {
            let (answer, reasoning, kind) =
                split("Just an answer with a < sign and <b>html</b>.", orphan);
            assert_eq!(answer, "Just an answer with a < sign and <b>html</b>.");
            assert_eq!(reasoning, "");
            assert_eq!(kind, None);
        }
    }

    #[test]
    fn text_before_and_several_blocks() {
        let (answer, reasoning, kind) =
            split("Hi. <thought>one</thought>A<think>two</think>B", true);
        assert_eq!(answer, "Hi. AB");
        assert_eq!(reasoning, "one\n\ntwo");
        assert_eq!(kind, Some(TagKind::Closed));
    }

    #[test]
    fn every_chunking_gives_the_same_split() {
        let samples = [
            "<think>a<b c</think>answer</think> tail",
            "reason ü ñ 漢字 </thinking>ans <thought>x</thought> y <",
            "<thinking>never closed </thin",
            "no tags at all, just <th and </",
        ];
        for sample in samples {
            for orphan in [true, false] {
                let whole = split_think_tags(sample, orphan);
                let chars: Vec<char> = sample.chars().collect();
                for size in 1..=chars.len() {
                    let mut splitter = ThinkTagSplitter::new(orphan);
                    let mut streamed = SplitDelta::default();
                    for piece in chars.chunks(size) {
                        let text: String = piece.iter().collect();
                        let d = splitter.push(&text);
                        streamed.answer.push_str(&d.answer);
                        streamed.reasoning.push_str(&d.reasoning);
                    }
                    let finished = splitter.finish();
                    assert_eq!(
                        finished, whole,
                        "sample {sample:?}, chunk {size}, orphan {orphan}"
                    );
                    // Deltas never contain tag text and are a prefix of the final split.
                    assert!(finished.answer.starts_with(&streamed.answer));
                    assert!(finished.reasoning.starts_with(&streamed.reasoning));
                    assert!(
                        !streamed.answer.contains("<think>")
                            && !streamed.answer.contains("</think>")
                    );
                }
            }
        }
    }

    proptest::proptest! {
        /// Content made of tag fragments, text and multi-byte characters splits the same way
        /// whatever the chunking, and the answer never holds tag text.
        #[test]
        fn splitting_is_chunking_independent(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "<think>", "</think>", "<thought>", "</thinking>", "<", "</", "<th", "ink>", "th",
                    "a", " ", "\n", "é", "漢", ">",
                ]),
                0..40,
            ),
            cuts in proptest::collection::vec(0usize..200, 0..8),
            orphan in proptest::bool::ANY,
        ) {
            let content: String = pieces.concat();
            let whole = split_think_tags(&content, orphan);
            for (open, close) in TAGS {
                proptest::prop_assert!(!whole.answer.contains(open) && !whole.answer.contains(close), "{:?}", whole);
            }
            let mut bounds: Vec<usize> = cuts.iter().map(|c| c % (content.len() + 1)).collect();
            bounds.retain(|b| content.is_char_boundary(*b));
            bounds.sort_unstable();
            let mut splitter = ThinkTagSplitter::new(orphan);
            let mut last = 0;
            for b in bounds.into_iter().chain([content.len()]) {
                splitter.push(&content[last..b]);
                last = b;
            }
            proptest::prop_assert_eq!(splitter.finish(), whole);
        }
    }

    #[test]
    fn joined_stray_tags_are_removed_from_the_answer() {
        let (answer, _, _) = split("</th</think>ink>text", false);
        assert_eq!(answer, "text");
    }

    #[test]
    fn partial_tags_are_held_back_until_decided() {
        let mut splitter = ThinkTagSplitter::new(false);
        let d = splitter.push("Answer <thi");
        assert_eq!(d.answer, "Answer ");
        let d = splitter.push("nk>secret");
        assert_eq!(d.answer, "");
        assert_eq!(d.reasoning, "secret");
        let split = splitter.finish();
        assert_eq!(split.kind, Some(TagKind::Unclosed));
    }
}
