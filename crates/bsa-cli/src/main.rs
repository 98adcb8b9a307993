//! `bsa`: the Beyond Safe Answers benchmark on the command line.
//!
//! A thin shell over `bsa-core`: this file defines the command line, `validate.rs` and `score.rs`
//! read files, call the core and print. Results go to stdout, problems to stderr; the exit code
//! is 0 on success, 1 when the input is invalid, 2 on usage errors (clap's own).

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod score;
mod validate;

#[derive(Parser, Debug)]
#[command(
    name = "bsa",
    version,
    about = "Beyond Safe Answers (BSA) benchmark tools: validate datasets, score judged results"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check a dataset file (CSV or JSONL) and print its statistics, or every problem found.
    Validate(validate::Args),
    /// Compute Safe@1, Safe@k, Think@1, Think@k and F-score from a judged-results file.
    Score(score::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Validate(args) => validate::run(args),
        Command::Score(args) => score::run(args),
    };
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("bsa: {error:#}");
            ExitCode::from(1)
        }
    }
}
