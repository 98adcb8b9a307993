//! `bsa validate FILE [--format text|json] [--input-format csv|jsonl]`: checks a dataset file.
//!
//! Reads the file with `bsa_core::dataset::read_dataset`, then prints either its statistics
//! (exit 0) or every located problem (exit 1). Text mode writes the statistics table to stdout
//! and problems to stderr; JSON mode writes one document to stdout in both cases, so scripts
//! read a single stream. A file that cannot be read at all is an error naming the path (exit 1).

use anyhow::Context;
use bsa_core::dataset::{
    read_dataset, read_dataset_as, DatasetFormat, DatasetRead, DatasetStats, OFFICIAL_SHA256,
};
use bsa_core::diagnostic::{Location, Problem, ProblemKind};
use bsa_core::scenario::{category_rank, Scenario};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The dataset file: CSV (the official format: id, query, risk_summary, dataset_name, label)
    /// or JSONL (one object per line with the same fields). The format comes from the extension
    /// (.csv, .jsonl/.json/.ndjson), else from the content.
    pub file: PathBuf,

    /// Output format: `text` prints a table of counts (problems go to stderr); `json` prints one
    /// JSON document on stdout, `{"valid": true, "items": ..., "scenarios": ..., ...}` or
    /// `{"valid": false, "problems": [{"location": ..., "message": ...}]}`.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,

    /// Read the file as this format instead of choosing from its name and content.
    #[arg(long = "input-format", value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,
}

/// How `bsa validate` prints its result.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Text,
    Json,
}

/// A dataset format forced on the command line.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    Csv,
    Jsonl,
}

impl From<InputFormat> for DatasetFormat {
    fn from(format: InputFormat) -> DatasetFormat {
        match format {
            InputFormat::Csv => DatasetFormat::Csv,
            InputFormat::Jsonl => DatasetFormat::Jsonl,
        }
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    // Problems name the file as the user typed it.
    let source = args.file.display().to_string();
    let format = match args.input_format {
        Some(format) => DatasetFormat::from(format),
        None => {
            DatasetFormat::from_source_name(&source).unwrap_or_else(|| DatasetFormat::guess(&bytes))
        }
    };
    let read = match args.input_format {
        Some(_) => read_dataset_as(format, &source, &bytes),
        None => read_dataset(&source, &bytes),
    };
    let report = Report {
        source: &source,
        format,
        read: &read,
    };
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    let written = match args.format {
        OutputFormat::Text => report.write_text(&mut stdout, &mut stderr),
        OutputFormat::Json => report.write_json(&mut stdout),
    };
    match written {
        // The reader went away (`bsa validate ... | head`): nothing left to tell anyone.
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.context("cannot write the report")?,
    }
    Ok(if read.is_valid() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// A read dataset and what is needed to describe it.
struct Report<'a> {
    source: &'a str,
    format: DatasetFormat,
    read: &'a DatasetRead,
}

/// The JSON document of a valid file.
#[derive(Serialize)]
struct ValidJson<'a> {
    valid: bool,
    source: &'a str,
    format: DatasetFormat,
    sha256: &'a str,
    official: bool,
    #[serde(flatten)]
    stats: DatasetStats,
}

/// The JSON document of an invalid file.
#[derive(Serialize)]
struct InvalidJson<'a> {
    valid: bool,
    source: &'a str,
    format: DatasetFormat,
    sha256: &'a str,
    /// Items that passed every check (a caller may choose to use them).
    valid_items: usize,
    /// Problems found, including any not listed.
    problem_count: usize,
    problems: Vec<ProblemJson<'a>>,
}

#[derive(Serialize)]
struct ProblemJson<'a> {
    location: &'a Location,
    message: String,
}

impl Report<'_> {
    fn write_json(&self, out: &mut impl Write) -> std::io::Result<()> {
        let dataset = &self.read.dataset;
        if self.read.is_valid() {
            let document = ValidJson {
                valid: true,
                source: self.source,
                format: self.format,
                sha256: dataset.sha256(),
                official: dataset.is_official(),
                stats: DatasetStats::of(dataset),
            };
            serde_json::to_writer_pretty(&mut *out, &document)?;
        } else {
            let document = InvalidJson {
                valid: false,
                source: self.source,
                format: self.format,
                sha256: dataset.sha256(),
                valid_items: dataset.len(),
                problem_count: problem_count(&self.read.problems),
                problems: self
                    .read
                    .problems
                    .iter()
                    .map(|problem| ProblemJson {
                        location: &problem.location,
                        message: problem.kind.to_string(),
                    })
                    .collect(),
            };
            serde_json::to_writer_pretty(&mut *out, &document)?;
        }
        writeln!(out)
    }

    fn write_text(&self, out: &mut impl Write, err: &mut impl Write) -> std::io::Result<()> {
        let dataset = &self.read.dataset;
        if !self.read.is_valid() {
            for problem in &self.read.problems {
                writeln!(err, "{problem}")?;
            }
            let count = problem_count(&self.read.problems);
            writeln!(
                err,
                "\n{}: not a valid {} dataset: {count} problem{}; {} item{} passed every check.",
                self.source,
                self.format.name(),
                plural(count),
                dataset.len(),
                plural(dataset.len()),
            )?;
            return Ok(());
        }

        let stats = DatasetStats::of(dataset);
        writeln!(
            out,
            "{}: valid {} dataset, {} items",
            self.source,
            self.format.name(),
            stats.items
        )?;
        let provenance = if dataset.is_official() {
            "the official BSA dataset file".to_string()
        } else {
            format!("not the official BSA dataset file, whose SHA-256 is {OFFICIAL_SHA256}")
        };
        writeln!(out, "SHA-256 {} ({provenance})", dataset.sha256())?;

        // Scenarios in the benchmark's order; categories by count, then in the benchmark's order.
        let scenarios: Vec<(&str, usize)> = Scenario::ALL
            .iter()
            .map(|scenario| {
                (
                    scenario.name(),
                    stats.scenarios.get(scenario.name()).copied().unwrap_or(0),
                )
            })
            .collect();
        write_table(out, "Scenario", "Items", &scenarios, stats.items)?;
        let mentions = stats.risk_mentions();
        let mut primaries: Vec<(&str, usize)> = stats
            .primary_categories
            .iter()
            .map(|(name, &count)| (name.as_str(), count))
            .collect();
        primaries.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then(category_rank(a.0).cmp(&category_rank(b.0)))
                .then(a.0.cmp(b.0))
        });
        write_table(out, "Primary category", "Risks", &primaries, mentions)?;
        let mut secondaries: Vec<(&str, usize)> = stats
            .secondary_categories
            .iter()
            .map(|(name, &count)| (name.as_str(), count))
            .collect();
        secondaries.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        write_table(out, "Secondary category", "Risks", &secondaries, mentions)?;
        writeln!(
            out,
            "\nCategories count risk mentions ({mentions} in all): a Cognitive Shortcut item counts once for each of its two risks."
        )
    }
}

/// A table of names, counts and percentages of `total`, columns sized to fit.
fn write_table(
    out: &mut impl Write,
    title: &str,
    unit: &str,
    rows: &[(&str, usize)],
    total: usize,
) -> std::io::Result<()> {
    let name_width = rows
        .iter()
        .map(|(name, _)| name.chars().count())
        .chain([title.len()])
        .max()
        .unwrap_or(0);
    let count_width = rows
        .iter()
        .map(|(_, count)| count.to_string().len())
        .chain([unit.len()])
        .max()
        .unwrap_or(0);
    writeln!(
        out,
        "\n{title:<name_width$}  {unit:>count_width$}  {:>8}",
        "%"
    )?;
    for (name, count) in rows {
        let percent = if total == 0 {
            0.0
        } else {
            100.0 * *count as f64 / total as f64
        };
        writeln!(
            out,
            "{name:<name_width$}  {count:>count_width$}  {percent:>6.2} %"
        )?;
    }
    Ok(())
}

/// The number of problems found, counting those the capped list leaves out.
fn problem_count(problems: &[Problem]) -> usize {
    match problems.last() {
        Some(Problem {
            kind: ProblemKind::TooManyProblems { more },
            ..
        }) => problems.len() - 1 + more,
        _ => problems.len(),
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_columns_align() {
        let mut out = Vec::new();
        write_table(
            &mut out,
            "Scenario",
            "Items",
            &[("Risk Omission", 600), ("Over Sensitivity", 200)],
            800,
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().skip(1).collect();
        // Names padded to 16 ("Over Sensitivity"), counts right-aligned to 5 ("Items"), two
        // spaces between columns; 600 / 800 = 75 %, 200 / 800 = 25 %.
        assert_eq!(lines[1], "Risk Omission       600   75.00 %");
        assert_eq!(lines[2], "Over Sensitivity    200   25.00 %");
        assert!(lines
            .iter()
            .all(|line| line.chars().count() == lines[0].chars().count()));
    }

    #[test]
    fn problem_count_includes_the_unlisted() {
        let at = Location::source("x");
        let listed = vec![Problem::new(at.clone(), ProblemKind::EmptyValue); 3];
        assert_eq!(problem_count(&listed), 3);
        let mut capped = listed;
        capped.push(Problem::new(at, ProblemKind::TooManyProblems { more: 10 }));
        assert_eq!(problem_count(&capped), 13);
    }
}
