//! Read a file the user picked or dropped, as bytes.

use super::js_error_text;
use super::user_timing::{self, Span};
use std::fmt;
use wasm_bindgen_futures::JsFuture;

/// Files larger than this are refused before reading: the full benchmark is 1.6 MB, and a
/// browser tab that reads a stray video file into memory helps no one.
pub const MAX_FILE_BYTES: f64 = 256.0 * 1024.0 * 1024.0;

/// Why a file could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileError {
    TooLarge { name: String, bytes: u64 },
    Unreadable { name: String, detail: String },
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::TooLarge { name, bytes } => write!(
                f,
                "{name} is {:.0} MB, larger than the {:.0} MB this page reads: is it the right file?",
                *bytes as f64 / 1e6,
                MAX_FILE_BYTES / 1e6
            ),
            FileError::Unreadable { name, detail } => {
                write!(f, "the browser could not read {name}: {detail}")
            }
        }
    }
}

/// Reads the whole of `file` into WebAssembly memory.
pub async fn read_file(file: &web_sys::File) -> Result<Vec<u8>, FileError> {
    Ok(read_file_bytes(file).await?.to_vec())
}

/// Reads the whole of `file`, leaving the bytes in the browser's memory for the caller to copy
/// whole ([`FileBytes::to_vec`]) or a piece at a time ([`FileBytes::for_each_piece`]).
pub async fn read_file_bytes(file: &web_sys::File) -> Result<FileBytes, FileError> {
    let name = file.name();
    let size = file.size();
    if size > MAX_FILE_BYTES {
        return Err(FileError::TooLarge {
            name,
            bytes: size as u64,
        });
    }
    let buffer =
        JsFuture::from(file.array_buffer())
            .await
            .map_err(|error| FileError::Unreadable {
                name,
                detail: js_error_text(&error),
            })?;
    Ok(FileBytes {
        array: js_sys::Uint8Array::new(&buffer),
    })
}

/// A file's bytes in the browser's memory (a JavaScript `ArrayBuffer`).
pub struct FileBytes {
    array: js_sys::Uint8Array,
}

impl FileBytes {
    /// How many bytes the file has.
    pub fn len(&self) -> usize {
        self.array.length() as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// All the bytes, copied into WebAssembly memory.
    pub fn to_vec(&self) -> Vec<u8> {
        let span = Span::start(user_timing::FILE_BYTES);
        let bytes = self.array.to_vec();
        let _ = span.finish();
        bytes
    }

    /// Copies the bytes into WebAssembly memory `piece_len` at a time (at least 1), through one
    /// reused buffer, and hands each piece to `sink` in order.
    ///
    /// Why: copied whole, a large file makes WebAssembly memory grow by its size for the rest of
    /// the page's life (it never shrinks) and the copy runs before any parsing; a reader that
    /// takes pieces needs only one piece of room, still in the cache when it reads it.
    pub fn for_each_piece(&self, piece_len: usize, mut sink: impl FnMut(&[u8])) {
        let len = self.len();
        let piece_len = piece_len.max(1);
        let mut buffer = vec![0; piece_len.min(len)];
        let mut start = 0;
        while start < len {
            let end = (start + piece_len).min(len);
            let piece = &mut buffer[..end - start];
            // `len` came from a u32 length, so both offsets fit in u32.
            self.array.subarray(start as u32, end as u32).copy_to(piece);
            sink(piece);
            start = end;
        }
    }
}
