//! Result files the user loaded: reading their bytes, and what is kept of each.
//!
//! - [`read_results`]: bytes to a [`ResultsCandidate`]: a [`ReadResults`] ready to import, or an
//!   [`InvalidResults`] with every located [`Problem`] (and, when honest, the valid rows).
//!   [`ResultsReader`] does the same with the bytes handed over in pieces.
//! - [`ResultSource`]: one imported file: its samples, the models it contributes under their
//!   shown names ([`ModelEntry`]), and for run files the full [`RunFile`] (answers, reasoning
//!   traces, judge rationales) for the item browser.
//!
//! The format is decided from the content, not the name: a file whose first non-blank character
//! is `{` or `[` is read as the project's JSON run file, anything else as the authors' judged
//! CSV; the reader of the wrong format would only produce confusing problems.

use super::Shared;
use bsa_core::diagnostic::{Location, Problem, ProblemKind};
use bsa_core::metrics::{SampleError, SampleSet};
use bsa_core::results::judged_csv::{read_judged_csv, JudgedCsvReader, JudgedRead};
use bsa_core::results::run_file::{read_run_file, RunFile, RunSample};
use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::rc::Rc;

/// Which reader a file went through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResultFormat {
    /// The authors' judged CSV: verdicts only, one or many models.
    JudgedCsv,
    /// The project's JSON run file: one model, with answers, traces and rationales.
    RunFile,
}

impl ResultFormat {
    /// A short name for the sources list.
    pub fn label(self) -> &'static str {
        match self {
            ResultFormat::JudgedCsv => "judged CSV",
            ResultFormat::RunFile => "run file",
        }
    }

    /// Guesses the format from the first non-blank character (after a byte-order mark).
    pub fn detect(bytes: &[u8]) -> ResultFormat {
        ResultFormat::detect_start(bytes).unwrap_or(ResultFormat::JudgedCsv)
    }

    /// [`detect`](Self::detect) on the start of an input: `None` while the start says nothing
    /// yet (only blanks, or the first bytes of a byte-order mark), when more bytes may decide.
    pub fn detect_start(bytes: &[u8]) -> Option<ResultFormat> {
        const BOM: &[u8] = b"\xEF\xBB\xBF";
        if bytes.len() < BOM.len() && BOM.starts_with(bytes) {
            return None;
        }
        let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
        match bytes.iter().find(|byte| !byte.is_ascii_whitespace())? {
            b'{' | b'[' => Some(ResultFormat::RunFile),
            _ => Some(ResultFormat::JudgedCsv),
        }
    }
}

/// A file read without problems (or the valid part of one), not yet imported.
pub struct ReadResults {
    pub file_name: String,
    pub format: ResultFormat,
    pub samples: Rc<SampleSet>,
    /// The run file itself, for run files.
    pub run: Option<Rc<RunFile>>,
    /// Data rows (judged CSV) or samples (run file) read, with or without problems.
    pub rows: usize,
}

impl ReadResults {
    /// The results of a run held in memory (a run finished on the Run page), as if read from a
    /// file called `file_name`; an error only for a run that [`RunFile::check`] refuses.
    pub fn from_run(file_name: &str, run: RunFile) -> Result<ReadResults, SampleError> {
        let samples = run.sample_set()?;
        Ok(ReadResults {
            file_name: file_name.to_string(),
            format: ResultFormat::RunFile,
            rows: run.samples.len(),
            samples: Rc::new(samples),
            run: Some(Rc::new(run)),
        })
    }

    /// Model names in order of first appearance, with their sample counts.
    pub fn model_counts(&self) -> Vec<(String, usize)> {
        let mut counts = vec![0usize; self.samples.model_count()];
        for sample in self.samples.samples() {
            if let Some(count) = counts.get_mut(sample.model.index()) {
                *count += 1;
            }
        }
        self.samples
            .models()
            .map(|(id, name)| (name.to_string(), counts[id.index()]))
            .collect()
    }
}

impl fmt::Debug for ReadResults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ReadResults({:?}, {}, {} samples of {} models)",
            self.file_name,
            self.format.label(),
            self.samples.len(),
            self.samples.model_count()
        )
    }
}

/// The valid rows of a file with problems, when keeping them is honest.
#[derive(Clone, Debug, PartialEq)]
pub struct Salvage {
    pub read: Shared<ReadResults>,
    /// Distinct rows with problems, all left out.
    pub skipped_rows: usize,
}

/// A file that did not read cleanly.
#[derive(Clone, Debug, PartialEq)]
pub struct InvalidResults {
    pub problems: Shared<Vec<Problem>>,
    /// `Some` only when every problem names its row (see [`salvage_of`]).
    pub salvage: Option<Salvage>,
}

/// The outcome of reading a file.
#[derive(Clone, Debug, PartialEq)]
pub enum ResultsCandidate {
    Valid(Shared<ReadResults>),
    Invalid(Shared<InvalidResults>),
}

/// Reads a judged CSV or a run file (see the module docs for how the format is chosen).
/// `file_name` names the input in problem locations.
pub fn read_results(file_name: &str, bytes: &[u8]) -> ResultsCandidate {
    match ResultFormat::detect(bytes) {
        ResultFormat::RunFile => read_run(file_name, bytes),
        ResultFormat::JudgedCsv => read_judged(file_name, bytes),
    }
}

fn invalid(problems: Vec<Problem>, salvage: Option<Salvage>) -> ResultsCandidate {
    ResultsCandidate::Invalid(Shared::new(InvalidResults {
        problems: Shared::new(problems),
        salvage,
    }))
}

/// Reads a result file from consecutive pieces of its bytes, with the same outcome as
/// [`read_results`] on the whole.
///
/// Why: a 23-model judged CSV is 17.6 MB. Copied whole from the browser into WebAssembly memory
/// it makes that memory grow by as much, for good (WebAssembly memory never shrinks), and the
/// copy alone took 15-60 ms; handed over 1 MB at a time into one reused buffer, it is parsed
/// while the piece is still in the cache, by the core's [`JudgedCsvReader`], which exists for
/// this. A run file is JSON, read whole: its pieces are collected first.
pub struct ResultsReader<'a> {
    file_name: &'a str,
    state: ReaderState<'a>,
    /// The whole input's size, when the caller knows it (for the judged reader's allocation).
    size_hint: Option<usize>,
}

// One reader per imported file: the size of its largest state costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
enum ReaderState<'a> {
    /// Only blanks (or part of a byte-order mark) so far: which reader is not known yet.
    Undecided(Vec<u8>),
    Judged(JudgedCsvReader<'a>),
    /// The run file's bytes so far.
    Run(Vec<u8>),
}

impl<'a> ResultsReader<'a> {
    /// A reader of the file `file_name` (named in problem locations).
    pub fn new(file_name: &'a str) -> ResultsReader<'a> {
        ResultsReader {
            file_name,
            state: ReaderState::Undecided(Vec::new()),
            size_hint: None,
        }
    }

    /// Says how many bytes the whole file has, so that room for its samples is made at once.
    pub fn size_hint(&mut self, bytes: usize) {
        self.size_hint = Some(bytes);
        if let ReaderState::Judged(reader) = &mut self.state {
            reader.size_hint(bytes);
        }
    }

    /// Reads the next piece of the file.
    pub fn push(&mut self, piece: &[u8]) {
        match &mut self.state {
            ReaderState::Judged(reader) => reader.push(piece),
            ReaderState::Run(bytes) => bytes.extend_from_slice(piece),
            ReaderState::Undecided(start) => {
                // The usual first piece decides on its own and is not copied.
                let decided = if start.is_empty() {
                    ResultFormat::detect_start(piece).map(|format| (format, piece))
                } else {
                    start.extend_from_slice(piece);
                    ResultFormat::detect_start(start).map(|format| (format, &start[..]))
                };
                let Some((format, bytes)) = decided else {
                    if start.is_empty() {
                        start.extend_from_slice(piece);
                    }
                    return;
                };
                self.state = match format {
                    ResultFormat::RunFile => ReaderState::Run(bytes.to_vec()),
                    ResultFormat::JudgedCsv => {
                        let mut reader = JudgedCsvReader::new(self.file_name);
                        if let Some(size) = self.size_hint {
                            reader.size_hint(size);
                        }
                        reader.push(bytes);
                        ReaderState::Judged(reader)
                    }
                };
            }
        }
    }

    /// Everything read: the candidate [`read_results`] gives for the whole file.
    pub fn finish(self) -> ResultsCandidate {
        match self.state {
            ReaderState::Undecided(bytes) => read_results(self.file_name, &bytes),
            ReaderState::Run(bytes) => read_run(self.file_name, &bytes),
            ReaderState::Judged(reader) => judged_candidate(self.file_name, reader.finish()),
        }
    }
}

fn read_judged(file_name: &str, bytes: &[u8]) -> ResultsCandidate {
    judged_candidate(file_name, read_judged_csv(file_name, bytes))
}

fn judged_candidate(file_name: &str, read: JudgedRead) -> ResultsCandidate {
    let results = ReadResults {
        file_name: file_name.to_string(),
        format: ResultFormat::JudgedCsv,
        samples: Rc::new(read.samples),
        run: None,
        rows: read.rows,
    };
    let mut problems = read.problems;
    if problems.is_empty() && results.samples.is_empty() {
        // Not expected from the reader (it reports a file without rows), but an import of
        // nothing without a word would leave the user guessing.
        problems.push(Problem::new(
            Location::source(file_name),
            ProblemKind::NoRows,
        ));
    }
    if problems.is_empty() {
        return ResultsCandidate::Valid(Shared::new(results));
    }
    let salvage = salvage_of(&problems).filter(|_| !results.samples.is_empty());
    let salvage = salvage.map(|skipped_rows| Salvage {
        read: Shared::new(results),
        skipped_rows,
    });
    invalid(problems, salvage)
}

fn read_run(file_name: &str, bytes: &[u8]) -> ResultsCandidate {
    let run = match read_run_file(file_name, bytes) {
        Ok(run) => run,
        // A run file is refused whole: its samples are checked against each other (k, indices,
        // scenarios), so a partial read could not be trusted.
        Err(problems) => return invalid(problems, None),
    };
    let samples = match run.sample_set() {
        Ok(samples) => samples,
        Err(error) => {
            // read_run_file checks what sample_set needs, so this is not expected; say it anyway.
            let problem = Problem::new(
                Location::source(file_name),
                ProblemKind::Inconsistent {
                    message: error.to_string(),
                },
            );
            return invalid(vec![problem], None);
        }
    };
    if samples.is_empty() {
        let problem = Problem::new(
            Location::source(file_name).with_key("samples"),
            ProblemKind::Inconsistent {
                message: "the run file has no samples yet: nothing to score".to_string(),
            },
        );
        return invalid(vec![problem], None);
    }
    let rows = run.samples.len();
    ResultsCandidate::Valid(Shared::new(ReadResults {
        file_name: file_name.to_string(),
        format: ResultFormat::RunFile,
        samples: Rc::new(samples),
        run: Some(Rc::new(run)),
        rows,
    }))
}

/// How many rows keeping the valid rows would leave out, or `None` when that number is not
/// known: a problem without a row (a missing column, bad UTF-8), or an unclosed quote that
/// swallows the rest of the file, means rows may be lost without anyone knowing which.
pub fn salvage_of(problems: &[Problem]) -> Option<usize> {
    let mut rows = BTreeSet::new();
    for problem in problems {
        let file_level = matches!(
            problem.kind,
            ProblemKind::UnterminatedQuote
                | ProblemKind::EmptyFile
                | ProblemKind::NoRows
                | ProblemKind::InvalidUtf8
                | ProblemKind::MissingColumn { .. }
                | ProblemKind::DuplicateColumn { .. }
                | ProblemKind::TooManyProblems { .. }
        );
        let row = problem.location.row?;
        if file_level {
            return None;
        }
        rows.insert(row);
    }
    Some(rows.len())
}

/// Identifies one imported file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceId(pub u64);

/// One model of an imported file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelEntry {
    /// The model's name in the file.
    pub original: String,
    /// The name it is shown and scored under: the original, or a new one after "keep both".
    pub name: String,
    /// Its samples in the file.
    pub samples: usize,
}

/// An imported file and the models it still contributes.
pub struct ResultSource {
    pub id: SourceId,
    pub file_name: String,
    pub format: ResultFormat,
    /// Shared with the [`ReadResults`] it came from and with every later version of the source
    /// (removing a model copies no samples).
    pub samples: Rc<SampleSet>,
    pub run: Option<Rc<RunFile>>,
    /// (item id, sample index) -> position in `run.samples`.
    run_index: Rc<HashMap<(String, u32), usize>>,
    /// Models still loaded from this file (removed ones are dropped), in file order.
    pub models: Vec<ModelEntry>,
    /// Rows left out because they had problems ("import the valid rows anyway").
    pub skipped_rows: usize,
}

impl ResultSource {
    /// Builds the source of `read`; `names` gives the shown name of each original name (the
    /// original when absent).
    pub fn new(
        id: SourceId,
        read: &ReadResults,
        names: &HashMap<String, String>,
        skipped_rows: usize,
    ) -> ResultSource {
        let models = read
            .model_counts()
            .into_iter()
            .map(|(original, samples)| ModelEntry {
                name: names
                    .get(&original)
                    .cloned()
                    .unwrap_or_else(|| original.clone()),
                original,
                samples,
            })
            .collect();
        let run_index: HashMap<(String, u32), usize> = read
            .run
            .as_ref()
            .map(|run| {
                run.samples
                    .iter()
                    .enumerate()
                    .map(|(position, sample)| ((sample.item.clone(), sample.sample), position))
                    .collect()
            })
            .unwrap_or_default();
        ResultSource {
            run_index: Rc::new(run_index),
            id,
            file_name: read.file_name.clone(),
            format: read.format,
            samples: read.samples.clone(),
            run: read.run.clone(),
            models,
            skipped_rows,
        }
    }

    /// The entry of the model shown as `name`.
    pub fn entry(&self, name: &str) -> Option<&ModelEntry> {
        self.models.iter().find(|entry| entry.name == name)
    }

    /// The entry of the model called `original` in the file.
    pub fn entry_by_original(&self, original: &str) -> Option<&ModelEntry> {
        self.models.iter().find(|entry| entry.original == original)
    }

    /// The run file's record of one sample (answer, reasoning, rationale), for run files.
    pub fn run_sample(&self, item: &str, index: u32) -> Option<&RunSample> {
        let run = self.run.as_ref()?;
        let position = self.run_index.get(&(item.to_string(), index))?;
        run.samples.get(*position)
    }

    /// This source without the model shown as `name`.
    pub fn without(&self, name: &str) -> ResultSource {
        ResultSource {
            id: self.id,
            file_name: self.file_name.clone(),
            format: self.format,
            samples: self.samples.clone(),
            run: self.run.clone(),
            run_index: self.run_index.clone(),
            models: self
                .models
                .iter()
                .filter(|entry| entry.name != name)
                .cloned()
                .collect(),
            skipped_rows: self.skipped_rows,
        }
    }
}

impl fmt::Debug for ResultSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self
            .models
            .iter()
            .map(|entry| entry.name.as_str())
            .collect();
        write!(
            f,
            "ResultSource({:?}, {:?}, models {names:?})",
            self.id, self.file_name
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a candidate says, as text: the format, rows, every sample and every problem (the
    /// candidates themselves compare by identity). Two reads of the same file must agree on it.
    fn outcome(candidate: &ResultsCandidate) -> String {
        let describe = |read: &ReadResults| {
            let samples: Vec<String> = read
                .samples
                .samples()
                .iter()
                .map(|sample| {
                    format!(
                        "{}/{}/{:?}",
                        read.samples.model_name(sample.model),
                        read.samples.item_key(sample.item),
                        sample
                    )
                })
                .collect();
            format!(
                "{:?} rows {} models {:?} samples {samples:?} run {}",
                read.format,
                read.rows,
                read.model_counts(),
                read.run.is_some()
            )
        };
        match candidate {
            ResultsCandidate::Valid(read) => format!("valid {}", describe(read)),
            ResultsCandidate::Invalid(invalid) => format!(
                "invalid {:?} salvage {:?}",
                invalid.problems.rc().as_slice(),
                invalid
                    .salvage
                    .as_ref()
                    .map(|salvage| (salvage.skipped_rows, describe(&salvage.read)))
            ),
        }
    }

    /// Reads `bytes` through a [`ResultsReader`] in pieces of `piece` bytes.
    fn in_pieces(name: &str, bytes: &[u8], piece: usize) -> ResultsCandidate {
        let mut reader = ResultsReader::new(name);
        reader.size_hint(bytes.len());
        for chunk in bytes.chunks(piece) {
            reader.push(chunk);
        }
        reader.finish()
    }

    /// The same outcome as [`read_results`] on the whole, whatever the piece size: 1 byte (a
    /// byte-order mark and every line cut), odd sizes, and the whole file as one piece.
    fn check_pieces(name: &str, bytes: &[u8]) {
        let whole = outcome(&read_results(name, bytes));
        for piece in [1, 2, 3, 7, 64, bytes.len().max(1)] {
            assert_eq!(
                outcome(&in_pieces(name, bytes, piece)),
                whole,
                "{name} in pieces of {piece} bytes"
            );
        }
    }

    const JUDGED: &str = "model_name,id,dataset_name,Safe_Ans_Check,Thk_Acc_Judge\n\
                          a,r1,Risk Omission,Safe,True\n\
                          a,r1,Risk Omission,Unsafe,False\n\
                          b,c1,Cognitive Shortcut,Safe,\"Fully Covered\"\n";

    #[test]
    fn judged_csv_in_pieces_reads_as_whole() {
        check_pieces("judged.csv", JUDGED.as_bytes());
        // Blank lines and a byte-order mark before the header: undecided for a while.
        let with_start = format!("\u{feff}\n\r\n{JUDGED}");
        check_pieces("judged.csv", with_start.as_bytes());
        // And the reading itself is right: 3 samples of 2 models (counted by hand above).
        let candidate = in_pieces("judged.csv", with_start.as_bytes(), 5);
        let ResultsCandidate::Valid(read) = candidate else {
            panic!("the file is valid: {}", outcome(&candidate));
        };
        assert_eq!(read.format, ResultFormat::JudgedCsv);
        assert_eq!(read.rows, 3);
        assert_eq!(
            read.model_counts(),
            vec![("a".to_string(), 2), ("b".to_string(), 1)]
        );
    }

    #[test]
    fn judged_csv_with_problems_in_pieces_reads_as_whole() {
        // Row 2 has an unknown verdict; row 3 a quote that never closes (the rest is lost).
        let bad = "model_name,id,dataset_name,Safe_Ans_Check,Thk_Acc_Judge\n\
                   a,r1,Risk Omission,Safe,True\n\
                   a,r1,Risk Omission,Maybe,False\n";
        check_pieces("bad.csv", bad.as_bytes());
        let unclosed = format!("{bad}a,\"r2,Risk Omission,Safe,True\n");
        check_pieces("unclosed.csv", unclosed.as_bytes());
        assert!(matches!(
            in_pieces("bad.csv", bad.as_bytes(), 4),
            ResultsCandidate::Invalid(_)
        ));
    }

    #[test]
    fn run_file_in_pieces_reads_as_whole() {
        let text = include_str!("../../../crates/bsa-core/tests/fixtures/run_file/example.json");
        check_pieces("run.json", text.as_bytes());
        let candidate = in_pieces("run.json", text.as_bytes(), 100);
        let ResultsCandidate::Valid(read) = candidate else {
            panic!("the example run file is valid: {}", outcome(&candidate));
        };
        assert_eq!(read.format, ResultFormat::RunFile);
        assert!(read.run.is_some());
        // A broken run file is refused the same way in pieces.
        check_pieces("broken.json", b"  {\"schema\": ");
    }

    #[test]
    fn empty_and_blank_inputs_read_as_whole() {
        check_pieces("empty.csv", b"");
        check_pieces("blank.csv", b" \n\r\n\t");
        check_pieces("bom.csv", b"\xEF\xBB");
        assert!(matches!(
            in_pieces("empty.csv", b"", 1),
            ResultsCandidate::Invalid(_)
        ));
    }

    #[test]
    fn the_start_decides_the_format_once_it_can() {
        assert_eq!(ResultFormat::detect_start(b""), None);
        assert_eq!(ResultFormat::detect_start(b"\xEF\xBB"), None);
        assert_eq!(ResultFormat::detect_start(b"\xEF\xBB\xBF \n"), None);
        assert_eq!(
            ResultFormat::detect_start(b"\xEF\xBB\xBF {"),
            Some(ResultFormat::RunFile)
        );
        assert_eq!(
            ResultFormat::detect_start(b"\n["),
            Some(ResultFormat::RunFile)
        );
        assert_eq!(
            ResultFormat::detect_start(b"model_name"),
            Some(ResultFormat::JudgedCsv)
        );
        // Not a byte-order mark after all: a CSV (as `detect` says of the whole).
        assert_eq!(
            ResultFormat::detect_start(b"\xEFx"),
            Some(ResultFormat::JudgedCsv)
        );
        assert_eq!(ResultFormat::detect(b"\xEFx"), ResultFormat::JudgedCsv);
        assert_eq!(ResultFormat::detect(b"  "), ResultFormat::JudgedCsv);
    }
}
