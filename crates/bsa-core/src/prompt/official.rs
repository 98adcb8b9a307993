//! The authors' judge prompts, as published in the BSA repository: where they are
//! ([`OfficialPromptFile::url`]) and how to read them once fetched ([`parse_official`],
//! [`official_prompt_set`]). This crate does no I/O: the app or CLI fetches the Markdown and
//! hands the text in.
//!
//! Each file is Markdown whose templates sit in fenced code blocks: `Safe_Ans_Judge.md` holds
//! one, `Thinking_Accuracy_Judge.md` three, each after a line naming its scenario (in the order
//! Over Sensitivity, Cognitive Shortcut, Risk Omission). A block's scenario is read from that
//! line when it names exactly one scenario, otherwise from its position in that order.
//!
//! The prompts are the authors' work under CC BY-NC 4.0: show [`ATTRIBUTION`] wherever they are
//! used, and do not ship them inside the product.

use super::check::{check_template, Severity, TemplateIssue};
use super::set::JudgePromptSet;
use super::template::{PromptTemplate, TemplateErrorKind};
use crate::diagnostic::Location;
use crate::judge::JudgeKind;
use crate::scenario::Scenario;
use std::fmt;

/// Where the authors publish their prompt files; a file's URL is this plus its name.
pub const PROMPT_BASE_URL: &str =
    "https://raw.githubusercontent.com/OpenStellarTeam/BSA/main/Prompt/";

/// Credit to show next to results judged with the official prompts.
pub const ATTRIBUTION: &str = "Judge prompts by the authors of Beyond Safe Answers (OpenStellarTeam/BSA, arXiv 2505.19690), CC BY-NC 4.0";

/// The order of the reasoning judges' blocks in `Thinking_Accuracy_Judge.md`, used for blocks
/// whose heading line does not name a scenario.
pub const THINKING_BLOCK_ORDER: [Scenario; 3] = [
    Scenario::OverSensitivity,
    Scenario::CognitiveShortcut,
    Scenario::RiskOmission,
];

/// The authors' judge prompt files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OfficialPromptFile {
    /// `Safe_Ans_Judge.md`: the answer-safety judge (one block).
    SafeAnswerJudge,
    /// `Thinking_Accuracy_Judge.md`: the three reasoning judges (three blocks).
    ThinkingAccuracyJudge,
}

impl OfficialPromptFile {
    pub const ALL: [OfficialPromptFile; 2] = [
        OfficialPromptFile::SafeAnswerJudge,
        OfficialPromptFile::ThinkingAccuracyJudge,
    ];

    pub fn file_name(self) -> &'static str {
        match self {
            OfficialPromptFile::SafeAnswerJudge => "Safe_Ans_Judge.md",
            OfficialPromptFile::ThinkingAccuracyJudge => "Thinking_Accuracy_Judge.md",
        }
    }

    /// The public raw URL a browser can fetch the file from.
    pub fn url(self) -> &'static str {
        match self {
            OfficialPromptFile::SafeAnswerJudge => {
                "https://raw.githubusercontent.com/OpenStellarTeam/BSA/main/Prompt/Safe_Ans_Judge.md"
            }
            OfficialPromptFile::ThinkingAccuracyJudge => {
                "https://raw.githubusercontent.com/OpenStellarTeam/BSA/main/Prompt/Thinking_Accuracy_Judge.md"
            }
        }
    }

    /// The file with this name (as in a URL's last segment), if it is one of the two.
    pub fn from_file_name(name: &str) -> Option<OfficialPromptFile> {
        OfficialPromptFile::ALL
            .into_iter()
            .find(|file| file.file_name() == name)
    }

    /// The judges whose templates the file holds, in the file's order.
    pub fn kinds(self) -> Vec<JudgeKind> {
        match self {
            OfficialPromptFile::SafeAnswerJudge => vec![JudgeKind::Answer],
            OfficialPromptFile::ThinkingAccuracyJudge => THINKING_BLOCK_ORDER
                .into_iter()
                .map(JudgeKind::Reasoning)
                .collect(),
        }
    }
}

impl fmt::Display for OfficialPromptFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.file_name())
    }
}

/// One template read from an official file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfficialPrompt {
    pub kind: JudgeKind,
    pub template: PromptTemplate,
    /// 1-based line of the file where the template's first line is.
    pub first_line: usize,
    /// Warnings from [`check_template`] (errors make parsing fail).
    pub warnings: Vec<TemplateIssue>,
}

/// Why an official file could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum OfficialPromptError {
    /// A code fence opened at `line` is never closed (a truncated download, say).
    UnclosedFence {
        file: OfficialPromptFile,
        line: usize,
    },
    /// The file does not have the number of fenced blocks it should.
    WrongBlockCount {
        file: OfficialPromptFile,
        expected: usize,
        found: usize,
    },
    /// Two blocks were taken for the same scenario (1-based block numbers).
    DuplicateScenario {
        file: OfficialPromptFile,
        scenario: Scenario,
        first_block: usize,
        second_block: usize,
    },
    /// A block is not a valid template; each error is located in the file.
    Template {
        file: OfficialPromptFile,
        kind: JudgeKind,
        errors: Vec<(Location, TemplateErrorKind)>,
    },
    /// A block parses but cannot serve its judge (say, a reasoning block without
    /// `{reasoning_thinking}`).
    Unsuitable {
        file: OfficialPromptFile,
        kind: JudgeKind,
        first_line: usize,
        issues: Vec<TemplateIssue>,
    },
}

impl fmt::Display for OfficialPromptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OfficialPromptError::UnclosedFence { file, line } => write!(
                f,
                "{file}: line {line}: this code fence is never closed; the file may be truncated"
            ),
            OfficialPromptError::WrongBlockCount { file, expected, found } => write!(
                f,
                "{file}: expected {expected} fenced code block(s) holding the judge prompt(s), found {found}"
            ),
            OfficialPromptError::DuplicateScenario { file, scenario, first_block, second_block } => write!(
                f,
                "{file}: blocks {first_block} and {second_block} are both taken for {scenario}; each scenario needs exactly one block (name it in the line before the block)"
            ),
            OfficialPromptError::Template { file, kind, errors } => {
                write!(f, "the {kind} template in {file} is not valid:")?;
                for (location, kind) in errors {
                    write!(f, "\n{location}: {kind}")?;
                }
                Ok(())
            }
            OfficialPromptError::Unsuitable { file, kind, first_line, issues } => {
                write!(f, "{file}: the block at line {first_line} cannot serve as the {kind}:")?;
                for issue in issues {
                    write!(f, "\n{issue}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for OfficialPromptError {}

/// Reads the templates of an official file from its Markdown text, checks each for its judge,
/// and returns them in the file's order.
pub fn parse_official(
    file: OfficialPromptFile,
    markdown: &str,
) -> Result<Vec<OfficialPrompt>, OfficialPromptError> {
    let blocks = fenced_blocks(markdown)
        .map_err(|line| OfficialPromptError::UnclosedFence { file, line })?;
    let expected = file.kinds();
    if blocks.len() != expected.len() {
        return Err(OfficialPromptError::WrongBlockCount {
            file,
            expected: expected.len(),
            found: blocks.len(),
        });
    }
    let kinds: Vec<JudgeKind> = match file {
        OfficialPromptFile::SafeAnswerJudge => expected,
        OfficialPromptFile::ThinkingAccuracyJudge => {
            let scenarios: Vec<Scenario> = blocks
                .iter()
                .enumerate()
                .map(|(index, block)| {
                    block
                        .heading
                        .as_deref()
                        .and_then(scenario_named_in)
                        .unwrap_or(THINKING_BLOCK_ORDER[index])
                })
                .collect();
            for (second, scenario) in scenarios.iter().enumerate() {
                if let Some(first) = scenarios[..second].iter().position(|s| s == scenario) {
                    return Err(OfficialPromptError::DuplicateScenario {
                        file,
                        scenario: *scenario,
                        first_block: first + 1,
                        second_block: second + 1,
                    });
                }
            }
            scenarios.into_iter().map(JudgeKind::Reasoning).collect()
        }
    };
    let mut prompts = Vec::with_capacity(blocks.len());
    for (block, kind) in blocks.into_iter().zip(kinds) {
        let template = PromptTemplate::parse(&block.content).map_err(|errors| {
            OfficialPromptError::Template {
                file,
                kind,
                errors: errors
                    .0
                    .into_iter()
                    .map(|error| {
                        // Lines are counted in the file, not the block; characters shift by the
                        // indentation the fence removed.
                        let location = Location::source(file.file_name())
                            .with_line(block.first_line + error.line - 1)
                            .with_character(error.character + block.indent);
                        (location, error.kind)
                    })
                    .collect(),
            }
        })?;
        let (errors, warnings): (Vec<TemplateIssue>, Vec<TemplateIssue>) =
            check_template(&template, kind)
                .into_iter()
                .partition(|issue| issue.severity == Severity::Error);
        if !errors.is_empty() {
            return Err(OfficialPromptError::Unsuitable {
                file,
                kind,
                first_line: block.first_line,
                issues: errors,
            });
        }
        prompts.push(OfficialPrompt {
            kind,
            template,
            first_line: block.first_line,
            warnings,
        });
    }
    Ok(prompts)
}

/// The full set of official templates from the two files' Markdown texts.
pub fn official_prompt_set(
    safe_answer_judge_md: &str,
    thinking_accuracy_judge_md: &str,
) -> Result<JudgePromptSet, OfficialPromptError> {
    let answer = parse_official(OfficialPromptFile::SafeAnswerJudge, safe_answer_judge_md)?;
    let reasoning = parse_official(
        OfficialPromptFile::ThinkingAccuracyJudge,
        thinking_accuracy_judge_md,
    )?;
    let all: Vec<OfficialPrompt> = answer.into_iter().chain(reasoning).collect();
    // `parse_official` returns exactly one block per judge of each file, so every lookup below
    // succeeds; the error keeps this free of panics all the same.
    let get = |kind: JudgeKind| {
        all.iter()
            .find(|p| p.kind == kind)
            .map(|p| p.template.clone())
            .ok_or(OfficialPromptError::WrongBlockCount {
                file: OfficialPromptFile::ThinkingAccuracyJudge,
                expected: THINKING_BLOCK_ORDER.len(),
                found: all.len() - 1,
            })
    };
    Ok(JudgePromptSet {
        answer: get(JudgeKind::Answer)?,
        risk_omission: get(JudgeKind::Reasoning(Scenario::RiskOmission))?,
        cognitive_shortcut: get(JudgeKind::Reasoning(Scenario::CognitiveShortcut))?,
        over_sensitivity: get(JudgeKind::Reasoning(Scenario::OverSensitivity))?,
    })
}

/// The scenario a heading line names, when it names exactly one.
pub fn scenario_named_in(line: &str) -> Option<Scenario> {
    let key: String = line
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    let named: Vec<Scenario> = [
        ("riskomission", Scenario::RiskOmission),
        ("cognitiveshortcut", Scenario::CognitiveShortcut),
        ("oversensitiv", Scenario::OverSensitivity),
    ]
    .into_iter()
    .filter(|(word, _)| key.contains(word))
    .map(|(_, scenario)| scenario)
    .collect();
    match named.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// A fenced code block of a Markdown file.
#[derive(Debug)]
struct FencedBlock {
    /// The last non-blank line between the previous block (or the start) and this fence.
    heading: Option<String>,
    /// The block's lines joined with `\n`, without the fences and without a final newline.
    content: String,
    /// 1-based line of the first content line.
    first_line: usize,
    /// Spaces of indentation removed from each content line (the fence's own indentation).
    indent: usize,
}

/// The fenced code blocks of `markdown`, following CommonMark's fence rules (three or more
/// backticks or tildes, indented at most three spaces, closed by at least as many of the same
/// character). Returns the line of a fence that is never closed as the error. Hand-written:
/// only fences matter here, and a full Markdown parser would be a large dependency for it.
fn fenced_blocks(markdown: &str) -> Result<Vec<FencedBlock>, usize> {
    let mut blocks = Vec::new();
    let mut heading: Option<String> = None;
    let mut open: Option<(char, usize, usize, usize, Vec<&str>)> = None; // char, count, indent, line, content
    for (index, raw) in markdown.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let number = index + 1;
        match open.as_mut() {
            None => {
                if let Some((fence_char, count, indent)) = fence(line) {
                    let info = &line[indent + count * fence_char.len_utf8()..];
                    if fence_char == '`' && info.contains('`') {
                        // Not a fence: inline code spans start with backticks too.
                    } else {
                        open = Some((fence_char, count, indent, number, Vec::new()));
                        continue;
                    }
                }
                if !line.trim().is_empty() {
                    heading = Some(line.trim().to_owned());
                }
            }
            Some((fence_char, count, indent, start, content)) => {
                let closes = fence(line).is_some_and(|(c, n, _)| {
                    c == *fence_char
                        && n >= *count
                        && line.trim_start().trim_start_matches(c).trim().is_empty()
                });
                if closes {
                    blocks.push(FencedBlock {
                        heading: heading.take(),
                        content: content.join("\n"),
                        first_line: *start + 1,
                        indent: *indent,
                    });
                    open = None;
                } else {
                    let spaces = line.len() - line.trim_start_matches(' ').len();
                    content.push(&line[spaces.min(*indent)..]);
                }
            }
        }
    }
    match open {
        Some((_, _, _, start, _)) => Err(start),
        None => Ok(blocks),
    }
}

/// A fence line's character, length and indentation.
fn fence(line: &str) -> Option<(char, usize, usize)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let fence_char = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let count = rest.chars().take_while(|c| *c == fence_char).count();
    (count >= 3).then_some((fence_char, count, indent))
}
