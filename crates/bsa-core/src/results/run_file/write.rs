//! [`write_run_file`]: a [`RunFile`] as pretty JSON, fields in a fixed order.

use super::schema::{RunFile, RunSample};
use super::wire::SampleWire;
use super::{RUN_FILE_FORMAT, RUN_FILE_VERSION};
use serde::ser::{Serialize, SerializeStruct, Serializer};

impl Serialize for RunFile {
    /// `format`, `version`, `tool`, `run`, `samples`: the format and version first, so a reader
    /// (or a person) knows what the file is before anything else.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("RunFile", 5)?;
        state.serialize_field("format", RUN_FILE_FORMAT)?;
        state.serialize_field("version", &RUN_FILE_VERSION)?;
        state.serialize_field("tool", &self.tool)?;
        state.serialize_field("run", &self.run)?;
        state.serialize_field("samples", &Samples(&self.samples))?;
        state.end()
    }
}

/// The samples, each written through its borrowed wire form (nothing is copied).
struct Samples<'a>(&'a [RunSample]);

impl Serialize for Samples<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(SampleWire::from))
    }
}

/// The run file as pretty-printed JSON (two-space indent, a final line break).
///
/// Errors cannot happen with the run file's own types (map keys are strings, non-finite floats
/// are written as `null`); the `Result` is serde_json's, passed on rather than hidden.
pub fn write_run_file(run: &RunFile) -> Result<String, serde_json::Error> {
    let mut out = Vec::with_capacity(size_hint(run));
    write_run_file_to(run, &mut out)?;
    // serde_json writes UTF-8 only; the conversion checks that without copying.
    String::from_utf8(out).map_err(|error| serde::ser::Error::custom(error.to_string()))
}

/// [`write_run_file`] into any writer (a file in the CLI), without building the text first.
pub fn write_run_file_to<W: std::io::Write>(
    run: &RunFile,
    mut writer: W,
) -> Result<(), serde_json::Error> {
    serde_json::to_writer_pretty(&mut writer, run)?;
    writer.write_all(b"\n").map_err(serde_json::Error::io)
}

/// Bytes to reserve: the texts plus about 1.5 KB of structure and indentation per sample, so a
/// 30 MB file is not built by repeated doubling.
fn size_hint(run: &RunFile) -> usize {
    let texts: usize = run
        .samples
        .iter()
        .map(|sample| {
            let generation = match &sample.generation {
                super::Generation::Completed(answer) => {
                    answer.answer.len()
                        + answer
                            .reasoning
                            .as_ref()
                            .map_or(0, |trace| trace.text.len())
                }
                super::Generation::Failed(failure) => failure.message.len(),
            };
            generation + 1536
        })
        .sum();
    texts.saturating_add(16 * 1024)
}
