//! Read a file the user picked or dropped, as bytes.

use super::js_error_text;
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

/// Reads the whole of `file`.
pub async fn read_file(file: &web_sys::File) -> Result<Vec<u8>, FileError> {
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
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
