//! One HTTP exchange of a call: send the prepared request, read the answer (streamed through
//! the core's `StreamAccumulator` when the request asked for a stream, else whole), and hand
//! back the core's `Completion` or `ProviderError`.
//!
//! The deadline is enforced by the caller aborting the request ([`CallAbort`]); an abort for the
//! deadline comes back as the provider layer's time-out error, an abort by the user as
//! [`ExchangeError::Aborted`] (which the scheduler does not count as an attempt).

use super::clock;
use crate::services::provider_http::{self, AbortReason, CallAbort, TransportError};
use bsa_core::provider::{Completion, PreparedCall, ProviderError, StreamDelta};

/// Why an exchange gave no completion.
#[derive(Debug)]
pub enum ExchangeError {
    Provider(ProviderError),
    /// Pause, cancel or delete: not the provider's doing.
    Aborted,
    /// The browser would not send the request at all.
    Refused(String),
}

fn transport(call: &PreparedCall, error: TransportError, timeout_ms: u64) -> ExchangeError {
    match error {
        TransportError::Aborted(AbortReason::User) => ExchangeError::Aborted,
        TransportError::Aborted(AbortReason::Timeout) => {
            ExchangeError::Provider(call.reader.timeout(timeout_ms))
        }
        TransportError::Network { detail } => {
            ExchangeError::Provider(call.reader.network_error(&detail))
        }
        TransportError::Refused { detail } => ExchangeError::Refused(detail),
    }
}

/// Sends `call` and reads its answer; see the module docs.
/// `on_deltas` sees the text of a streamed answer as it arrives (never called for whole bodies).
pub async fn exchange(
    call: &PreparedCall,
    abort: &CallAbort,
    timeout_ms: u64,
    on_deltas: &mut dyn FnMut(&[StreamDelta]),
) -> Result<Completion, ExchangeError> {
    let response = provider_http::send(&call.request, abort)
        .await
        .map_err(|error| transport(call, error, timeout_ms))?;
    let head = response.head.clone();
    if !head.is_success() {
        // Error bodies are JSON (or text), never events: read them whole.
        let body = response
            .body(abort)
            .await
            .map_err(|error| transport(call, error, timeout_ms))?;
        return Err(
            match call.reader.error_for(&head, &body, clock::unix_ms()) {
                Some(error) => ExchangeError::Provider(error),
                None => {
                    ExchangeError::Refused(format!("status {} was read as an error", head.status))
                }
            },
        );
    }
    if call.reader.streaming {
        let mut accumulator = call.reader.stream(head.status);
        let streamed = response
            .stream(abort, |chunk| match accumulator.push(chunk) {
                Ok(deltas) => {
                    if !deltas.is_empty() {
                        on_deltas(&deltas);
                    }
                    !accumulator.is_done()
                }
                // The accumulator keeps the error; `finish` returns it.
                Err(_) => false,
            })
            .await;
        match streamed {
            Err(TransportError::Aborted(reason)) => {
                Err(transport(call, TransportError::Aborted(reason), timeout_ms))
            }
            // A stream that broke off mid-way is judged by what arrived: the accumulator
            // reports it as cut off unless the answer was already complete.
            Ok(()) | Err(_) => accumulator.finish().map_err(ExchangeError::Provider),
        }
    } else {
        let body = response
            .body(abort)
            .await
            .map_err(|error| transport(call, error, timeout_ms))?;
        call.reader
            .read(&head, &body, clock::unix_ms())
            .map_err(ExchangeError::Provider)
    }
}
