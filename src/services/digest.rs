//! SHA-256 of dataset bytes with the browser's WebCrypto (`crypto.subtle.digest`).
//!
//! - [`Sha256Digest`]: a digest under way. [`Sha256Digest::start`] hands the bytes to the
//!   browser and returns at once; [`Sha256Digest::hex`] awaits the lowercase hex text, the same
//!   text as `bsa_core::dataset::read::sha256_hex`.
//!
//! Why not the `sha2` crate, which the core reader uses: compiled to WebAssembly it took 7-11 ms
//! on the 1.6 MB official dataset once V8 had optimised it, and several times that on a page's
//! first load, when V8 still runs its baseline code; that was more than reading the items. The
//! browser's native digest copies the bytes when called and hashes them on a thread of its own,
//! while the reader parses on the page's thread, so the checksum is usually ready before the
//! items are. WebCrypto only exists in secure contexts (https, `localhost`): served from plain
//! http elsewhere, or if the browser refuses, the digest falls back to the `sha2` crate.

use bsa_core::dataset::read::{lower_hex, sha256_hex};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// A SHA-256 digest the browser is computing.
#[must_use = "the digest is only read by awaiting `hex`"]
pub struct Sha256Digest {
    /// `None` when WebCrypto is missing or refused the call: `hex` hashes in WebAssembly then.
    promise: Option<js_sys::Promise>,
}

impl Sha256Digest {
    /// Starts hashing `bytes` with WebCrypto. The browser copies the bytes during this call, so
    /// the caller may go on using (or drop) them.
    pub fn start(bytes: &[u8]) -> Sha256Digest {
        let promise = web_sys::window()
            .and_then(|window| window.crypto().ok())
            .map(|crypto| crypto.subtle())
            // `crypto.subtle` is undefined outside secure contexts.
            .filter(|subtle| !subtle.is_undefined())
            .and_then(|subtle| subtle.digest_with_str_and_u8_array("SHA-256", bytes).ok());
        Sha256Digest { promise }
    }

    /// Whether the browser is computing the digest (otherwise [`hex`](Self::hex) will).
    pub fn is_native(&self) -> bool {
        self.promise.is_some()
    }

    /// The digest as lowercase hex. `bytes` must be the bytes given to [`start`](Self::start):
    /// they are hashed here, with the `sha2` crate, if WebCrypto was unavailable or failed.
    pub async fn hex(self, bytes: &[u8]) -> String {
        if let Some(promise) = self.promise {
            if let Ok(buffer) = JsFuture::from(promise).await {
                if let Ok(buffer) = buffer.dyn_into::<js_sys::ArrayBuffer>() {
                    let digest = js_sys::Uint8Array::new(&buffer).to_vec();
                    // SHA-256 is 32 bytes; anything else is not a digest to trust.
                    if digest.len() == 32 {
                        return lower_hex(&digest);
                    }
                }
            }
        }
        sha256_hex(bytes)
    }
}
