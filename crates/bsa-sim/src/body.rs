//! [`ScriptedBody`]: a response body played from a list of [`Step`]s (data, waits, a cut), so
//! latency can be spread over a stream and a fault can end it half-way.
//!
//! A [`Step::Cut`] makes the body fail, which makes hyper close the connection without the end
//! of the body (no final chunk, or fewer bytes than `content-length`): what a client sees when a
//! provider's connection breaks. A short wait before the cut lets hyper flush what was sent.
//! The completion callback runs when the last data frame is handed to hyper, and never for a
//! body that is cut: that is what `completed` in `/sim/counts` counts.

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::Sleep;

/// One step of a scripted body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Data(Bytes),
    Wait(Duration),
    /// End the body with an error: the connection closes mid-response.
    Cut,
}

/// The error a cut body reports to hyper.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamCut;

impl fmt::Display for StreamCut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("simulated connection cut")
    }
}

impl std::error::Error for StreamCut {}

type Callback = Box<dyn FnOnce() + Send>;

/// See the module docs.
pub struct ScriptedBody {
    steps: VecDeque<Step>,
    sleep: Option<Pin<Box<Sleep>>>,
    exact_len: Option<u64>,
    on_complete: Option<Callback>,
}

impl fmt::Debug for ScriptedBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScriptedBody")
            .field("steps", &self.steps)
            .finish_non_exhaustive()
    }
}

impl ScriptedBody {
    pub fn empty() -> ScriptedBody {
        ScriptedBody::from_steps(Vec::new())
    }

    /// A whole body sent at once, with its length known (so `content-length` is set).
    pub fn full(bytes: impl Into<Bytes>) -> ScriptedBody {
        let bytes = bytes.into();
        let len = bytes.len() as u64;
        let mut body = ScriptedBody::from_steps(vec![Step::Data(bytes)]);
        body.exact_len = Some(len);
        body
    }

    /// A body played step by step, sent chunked unless the response sets `content-length`.
    pub fn from_steps(steps: Vec<Step>) -> ScriptedBody {
        let steps: VecDeque<Step> = steps
            .into_iter()
            .filter(|step| !matches!(step, Step::Data(bytes) if bytes.is_empty()))
            .collect();
        ScriptedBody {
            steps,
            sleep: None,
            exact_len: None,
            on_complete: None,
        }
    }

    /// Runs `callback` once the last data frame has been handed over (never if the body is cut).
    pub fn on_complete(mut self, callback: impl FnOnce() + Send + 'static) -> ScriptedBody {
        self.on_complete = Some(Box::new(callback));
        self
    }

    fn finish(&mut self) {
        if let Some(callback) = self.on_complete.take() {
            callback();
        }
    }
}

impl Body for ScriptedBody {
    type Data = Bytes;
    type Error = StreamCut;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, StreamCut>>> {
        let this = self.get_mut();
        loop {
            if let Some(sleep) = this.sleep.as_mut() {
                if sleep.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                this.sleep = None;
            }
            match this.steps.pop_front() {
                None => {
                    this.finish();
                    return Poll::Ready(None);
                }
                Some(Step::Wait(duration)) => {
                    this.sleep = Some(Box::pin(tokio::time::sleep(duration)))
                }
                Some(Step::Data(bytes)) => {
                    if this.steps.is_empty() {
                        this.finish();
                    }
                    return Poll::Ready(Some(Ok(Frame::data(bytes))));
                }
                Some(Step::Cut) => {
                    this.steps.clear();
                    this.on_complete = None;
                    return Poll::Ready(Some(Err(StreamCut)));
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.steps.is_empty() && self.sleep.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        match self.exact_len {
            Some(len) => SizeHint::with_exact(len),
            None => SizeHint::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    fn counter() -> (Arc<AtomicUsize>, impl FnOnce() + Send + 'static) {
        let count = Arc::new(AtomicUsize::new(0));
        let inner = count.clone();
        (count, move || {
            inner.fetch_add(1, Ordering::SeqCst);
        })
    }

    #[tokio::test]
    async fn plays_data_and_waits_then_completes_once() {
        let (count, callback) = counter();
        let body = ScriptedBody::from_steps(vec![
            Step::Data(Bytes::from_static(b"ab")),
            Step::Wait(Duration::from_millis(5)),
            Step::Data(Bytes::from_static(b"cd")),
        ])
        .on_complete(callback);
        let collected = body.collect().await.unwrap().to_bytes();
        assert_eq!(&collected[..], b"abcd");
        assert_eq!(count.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_cut_body_fails_and_never_completes() {
        let (count, callback) = counter();
        let mut body = ScriptedBody::from_steps(vec![
            Step::Data(Bytes::from_static(b"ab")),
            Step::Cut,
            Step::Data(Bytes::from_static(b"never")),
        ])
        .on_complete(callback);
        let first = body.frame().await.unwrap().unwrap().into_data().unwrap();
        assert_eq!(&first[..], b"ab");
        assert_eq!(body.frame().await.unwrap().unwrap_err(), StreamCut);
        assert!(body.frame().await.is_none());
        assert_eq!(count.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn full_bodies_know_their_length() {
        assert_eq!(ScriptedBody::full("hello").size_hint().exact(), Some(5));
        assert_eq!(ScriptedBody::from_steps(vec![]).size_hint().exact(), None);
        assert!(ScriptedBody::empty().is_end_stream());
    }
}
