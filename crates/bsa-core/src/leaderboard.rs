//! The published BSA leaderboard: 23 models, 11 metrics each, and why their F-scores disagree.
//!
//! - [`Leaderboard`]: the rows of a leaderboard file, parsed by [`Leaderboard::parse`] with every
//!   problem located (row, line, column).
//! - [`LeaderboardEntry`]: one model's published figures: name, [`Access`] and [`Scores`].
//! - [`Metric`]: the 11 columns (Safe@1, Safe@k, Think@1, Think@k, F-score, and @1/@k per
//!   scenario), with their display labels.
//! - [`f_score`] and [`fitted_alpha`]: the F-score formula and its inverse.
//!
//! The project keeps its own transcription of the published figures in `data/leaderboard.csv`
//! (columns `model,access,safe_1,safe_k,think_1,think_k,f_score,ro_1,ro_k,cs_1,cs_k,os_1,os_k`,
//! percentages); the reader looks columns up by name, so their order does not matter.
//!
//! Why [`fitted_alpha`] exists: the published F-scores were not all computed with one alpha.
//! The official scoring code uses [`OFFICIAL_ALPHA`] (0.7639...), yet 20 of the 23 published
//! rows are reproduced only with alpha = 0.610; three rows (GLM-Z1-AirX, Kimi-K1.5,
//! Qwen3-235B-A22B) fit 0.7639. Solving `F = T^a * S^(1-a)` for `a` makes that visible per row.

use crate::csv::{self, Reader, Record};
use crate::diagnostic::{Location, Problem, ProblemKind};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The F-score exponent of the official scoring code: `F = Think@1^a * Safe@1^(1-a)`.
pub const OFFICIAL_ALPHA: f64 = crate::metrics::DEFAULT_ALPHA;

/// The exponent that reproduces 20 of the 23 published F-scores (to 3 decimals).
pub const PUBLISHED_MAJORITY_ALPHA: f64 = 0.610;

/// The name shown for the input in problems when the caller gives none.
const DEFAULT_SOURCE: &str = "leaderboard.csv";

/// Whether a model's weights are published.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Access {
    Open,
    Closed,
}

impl Access {
    /// `open` / `closed`, as the leaderboard file writes them.
    pub fn label(self) -> &'static str {
        match self {
            Access::Open => "open",
            Access::Closed => "closed",
        }
    }

    /// Reads `open` / `closed` in any case, surrounding spaces ignored.
    pub fn parse(text: &str) -> Option<Access> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("open") {
            Some(Access::Open)
        } else if text.eq_ignore_ascii_case("closed") {
            Some(Access::Closed)
        } else {
            None
        }
    }
}

impl fmt::Display for Access {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One of the 11 published metrics, all percentages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Metric {
    SafeAt1,
    SafeAtK,
    ThinkAt1,
    ThinkAtK,
    FScore,
    RiskOmissionAt1,
    RiskOmissionAtK,
    CognitiveShortcutAt1,
    CognitiveShortcutAtK,
    OverSensitivityAt1,
    OverSensitivityAtK,
}

impl Metric {
    /// The metrics in display order: the pooled ones, then per scenario in benchmark order.
    pub const ALL: [Metric; 11] = [
        Metric::SafeAt1,
        Metric::SafeAtK,
        Metric::ThinkAt1,
        Metric::ThinkAtK,
        Metric::FScore,
        Metric::RiskOmissionAt1,
        Metric::RiskOmissionAtK,
        Metric::CognitiveShortcutAt1,
        Metric::CognitiveShortcutAtK,
        Metric::OverSensitivityAt1,
        Metric::OverSensitivityAtK,
    ];

    /// The label the paper and the project page use (`Safe@1`, `RO@k`, ...).
    pub fn label(self) -> &'static str {
        match self {
            Metric::SafeAt1 => "Safe@1",
            Metric::SafeAtK => "Safe@k",
            Metric::ThinkAt1 => "Think@1",
            Metric::ThinkAtK => "Think@k",
            Metric::FScore => "F-score",
            Metric::RiskOmissionAt1 => "RO@1",
            Metric::RiskOmissionAtK => "RO@k",
            Metric::CognitiveShortcutAt1 => "CS@1",
            Metric::CognitiveShortcutAtK => "CS@k",
            Metric::OverSensitivityAt1 => "OS@1",
            Metric::OverSensitivityAtK => "OS@k",
        }
    }

    /// A one-line explanation, for table header tooltips and screen readers.
    pub fn description(self) -> &'static str {
        match self {
            Metric::SafeAt1 => "share of answers judged safe, averaged over queries",
            Metric::SafeAtK => "share of queries whose k answers were all judged safe",
            Metric::ThinkAt1 => "share of reasoning traces that named the annotated risks",
            Metric::ThinkAtK => "share of queries whose k reasoning traces all named the risks",
            Metric::FScore => "published F-score: Think@1^alpha x Safe@1^(1-alpha)",
            Metric::RiskOmissionAt1 => "Think@1 on Risk Omission items",
            Metric::RiskOmissionAtK => "Think@k on Risk Omission items",
            Metric::CognitiveShortcutAt1 => "Think@1 on Cognitive Shortcut items",
            Metric::CognitiveShortcutAtK => "Think@k on Cognitive Shortcut items",
            Metric::OverSensitivityAt1 => "Think@1 on Over Sensitivity items",
            Metric::OverSensitivityAtK => "Think@k on Over Sensitivity items",
        }
    }

    /// The column name in `data/leaderboard.csv`.
    pub fn column(self) -> &'static str {
        match self {
            Metric::SafeAt1 => "safe_1",
            Metric::SafeAtK => "safe_k",
            Metric::ThinkAt1 => "think_1",
            Metric::ThinkAtK => "think_k",
            Metric::FScore => "f_score",
            Metric::RiskOmissionAt1 => "ro_1",
            Metric::RiskOmissionAtK => "ro_k",
            Metric::CognitiveShortcutAt1 => "cs_1",
            Metric::CognitiveShortcutAtK => "cs_k",
            Metric::OverSensitivityAt1 => "os_1",
            Metric::OverSensitivityAtK => "os_k",
        }
    }
}

/// A model's 11 metrics, in percent (0 to 100).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    pub safe_at_1: f64,
    pub safe_at_k: f64,
    pub think_at_1: f64,
    pub think_at_k: f64,
    pub f_score: f64,
    pub risk_omission_at_1: f64,
    pub risk_omission_at_k: f64,
    pub cognitive_shortcut_at_1: f64,
    pub cognitive_shortcut_at_k: f64,
    pub over_sensitivity_at_1: f64,
    pub over_sensitivity_at_k: f64,
}

impl Scores {
    pub fn get(&self, metric: Metric) -> f64 {
        match metric {
            Metric::SafeAt1 => self.safe_at_1,
            Metric::SafeAtK => self.safe_at_k,
            Metric::ThinkAt1 => self.think_at_1,
            Metric::ThinkAtK => self.think_at_k,
            Metric::FScore => self.f_score,
            Metric::RiskOmissionAt1 => self.risk_omission_at_1,
            Metric::RiskOmissionAtK => self.risk_omission_at_k,
            Metric::CognitiveShortcutAt1 => self.cognitive_shortcut_at_1,
            Metric::CognitiveShortcutAtK => self.cognitive_shortcut_at_k,
            Metric::OverSensitivityAt1 => self.over_sensitivity_at_1,
            Metric::OverSensitivityAtK => self.over_sensitivity_at_k,
        }
    }

    fn slot(&mut self, metric: Metric) -> &mut f64 {
        match metric {
            Metric::SafeAt1 => &mut self.safe_at_1,
            Metric::SafeAtK => &mut self.safe_at_k,
            Metric::ThinkAt1 => &mut self.think_at_1,
            Metric::ThinkAtK => &mut self.think_at_k,
            Metric::FScore => &mut self.f_score,
            Metric::RiskOmissionAt1 => &mut self.risk_omission_at_1,
            Metric::RiskOmissionAtK => &mut self.risk_omission_at_k,
            Metric::CognitiveShortcutAt1 => &mut self.cognitive_shortcut_at_1,
            Metric::CognitiveShortcutAtK => &mut self.cognitive_shortcut_at_k,
            Metric::OverSensitivityAt1 => &mut self.over_sensitivity_at_1,
            Metric::OverSensitivityAtK => &mut self.over_sensitivity_at_k,
        }
    }

    /// The F-score recomputed from this row's Think@1 and Safe@1 with exponent `alpha`.
    pub fn f_score_with(&self, alpha: f64) -> f64 {
        f_score(self.think_at_1, self.safe_at_1, alpha)
    }

    /// The alpha that turns this row's Think@1 and Safe@1 into its published F-score.
    pub fn published_alpha(&self) -> Option<f64> {
        fitted_alpha(self.f_score, self.think_at_1, self.safe_at_1)
    }
}

/// One published row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeaderboardEntry {
    pub model: String,
    pub access: Access,
    pub scores: Scores,
}

/// The published results, in file order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Leaderboard {
    pub entries: Vec<LeaderboardEntry>,
}

/// The columns besides the metrics.
const MODEL_COLUMN: &str = "model";
const ACCESS_COLUMN: &str = "access";

impl Leaderboard {
    /// Parses a leaderboard CSV (see the module docs for the columns); problems name
    /// `leaderboard.csv`. Stops at the first problem: this file ships with the app, so any problem
    /// is a build mistake and one located message is enough to fix it.
    // A `Problem` is large, but this runs once per start on a 23-row file: boxing it would only
    // make callers' matching clumsier.
    #[allow(clippy::result_large_err)]
    pub fn parse(text: &str) -> Result<Leaderboard, Problem> {
        Leaderboard::parse_named(DEFAULT_SOURCE, text)
    }

    /// [`Leaderboard::parse`] with the input's name for problem locations.
    #[allow(clippy::result_large_err)]
    pub fn parse_named(source: &str, text: &str) -> Result<Leaderboard, Problem> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Err(Problem::new(
                Location::source(source),
                ProblemKind::EmptyFile,
            ));
        }
        let mut reader = Reader::new(text);
        let mut header = Record::default();
        match reader.read(&mut header) {
            Some(Ok(())) => {}
            Some(Err(error)) => return Err(error.into_problem(source)),
            None => {
                return Err(Problem::new(
                    Location::source(source),
                    ProblemKind::EmptyFile,
                ))
            }
        }
        let header_at = Location::source(source).with_line(header.line());
        if let Some(name) = csv::duplicate_columns(&header).into_iter().next() {
            return Err(Problem::new(
                header_at,
                ProblemKind::DuplicateColumn { name },
            ));
        }
        let mut wanted: Vec<&str> = vec![MODEL_COLUMN, ACCESS_COLUMN];
        wanted.extend(Metric::ALL.iter().map(|metric| metric.column()));
        let positions = csv::column_positions(&header, &wanted);
        let mut columns = Vec::with_capacity(wanted.len());
        for (name, position) in wanted.iter().zip(&positions) {
            match position {
                Some(index) => columns.push(*index),
                None => {
                    return Err(Problem::new(
                        header_at,
                        ProblemKind::MissingColumn {
                            name: (*name).to_string(),
                        },
                    ))
                }
            }
        }
        let width = header.len();
        let column_name = |index: usize| header.get(index).unwrap_or_default().trim().to_string();

        let mut entries: Vec<LeaderboardEntry> = Vec::new();
        let mut first_rows: Vec<(String, usize)> = Vec::new();
        let mut record = Record::default();
        let mut row = 0;
        while let Some(result) = reader.read(&mut record) {
            result.map_err(|error| error.into_problem(source))?;
            row += 1;
            let at = Location::source(source)
                .with_row(row)
                .with_line(record.line());
            if record.len() != width {
                return Err(Problem::new(
                    at,
                    ProblemKind::RaggedRow {
                        expected: width,
                        found: record.len(),
                    },
                ));
            }
            let field = |slot: usize| record.get(columns[slot]).unwrap_or_default().trim();
            let in_column = |slot: usize| at.clone().with_column(column_name(columns[slot]));

            let model = field(0);
            if model.is_empty() {
                return Err(Problem::new(in_column(0), ProblemKind::EmptyValue));
            }
            if let Some((_, first)) = first_rows.iter().find(|(name, _)| name == model) {
                return Err(Problem::new(
                    in_column(0),
                    ProblemKind::DuplicateId {
                        id: model.to_string(),
                        first: format!("row {first}"),
                    },
                ));
            }
            let access = Access::parse(field(1)).ok_or_else(|| {
                Problem::new(
                    in_column(1),
                    ProblemKind::UnknownLabel {
                        value: field(1).to_string(),
                        expected: vec!["open".to_string(), "closed".to_string()],
                    },
                )
            })?;
            let mut scores = Scores::default();
            for (offset, metric) in Metric::ALL.iter().enumerate() {
                let slot = offset + 2;
                let value = parse_percentage(field(slot))
                    .ok_or_else(|| Problem::new(in_column(slot), bad_percentage(field(slot))))?;
                *scores.slot(*metric) = value;
            }
            first_rows.push((model.to_string(), row));
            entries.push(LeaderboardEntry {
                model: model.to_string(),
                access,
                scores,
            });
        }
        if entries.is_empty() {
            return Err(Problem::new(Location::source(source), ProblemKind::NoRows));
        }
        Ok(Leaderboard { entries })
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get(&self, model: &str) -> Option<&LeaderboardEntry> {
        self.entries.iter().find(|entry| entry.model == model)
    }
}

fn parse_percentage(text: &str) -> Option<f64> {
    let value: f64 = text.parse().ok()?;
    (value.is_finite() && (0.0..=100.0).contains(&value)).then_some(value)
}

fn bad_percentage(text: &str) -> ProblemKind {
    ProblemKind::BadNumber {
        value: text.to_string(),
        expected: "a percentage between 0 and 100".to_string(),
    }
}

/// `Think@1^alpha * Safe@1^(1-alpha)`, on percentages (the result is a percentage too).
///
/// Unrounded, unlike [`crate::metrics::f_score`] (which rounds as the official script does):
/// [`fitted_alpha`] inverts this exact formula, and the table rounds only for display.
pub fn f_score(think_at_1: f64, safe_at_1: f64, alpha: f64) -> f64 {
    think_at_1.powf(alpha) * safe_at_1.powf(1.0 - alpha)
}

/// The alpha with `f_score(think, safe, alpha) == f`: `ln(F/S) / ln(T/S)`.
///
/// `None` when it is not determined: a value that is not positive (logarithm undefined), or
/// `T == S` (every alpha gives the same F).
pub fn fitted_alpha(f: f64, think_at_1: f64, safe_at_1: f64) -> Option<f64> {
    if !(f > 0.0 && think_at_1 > 0.0 && safe_at_1 > 0.0) {
        return None;
    }
    let denominator = (think_at_1 / safe_at_1).ln();
    if denominator.abs() < 1e-12 {
        return None;
    }
    let alpha = (f / safe_at_1).ln() / denominator;
    alpha.is_finite().then_some(alpha)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIPPED: &str = include_str!("../../../data/leaderboard.csv");

    fn shipped() -> Leaderboard {
        Leaderboard::parse(SHIPPED).expect("the shipped leaderboard parses")
    }

    #[test]
    fn shipped_file_has_the_23_published_models() {
        let board = shipped();
        assert_eq!(board.len(), 23);
        // Open/closed counts from the project page: 7 closed models, 16 open ones.
        let closed = board
            .entries
            .iter()
            .filter(|entry| entry.access == Access::Closed)
            .count();
        assert_eq!(closed, 7);
        let claude = board
            .get("Claude-3.7-Sonnet")
            .expect("Claude-3.7-Sonnet is listed");
        assert_eq!(claude.scores.get(Metric::SafeAt1), 99.28);
        assert_eq!(claude.scores.get(Metric::RiskOmissionAt1), 84.0);
    }

    /// The pooled Think@1 is the item-weighted mean of the per-scenario ones (README section 4):
    /// an independent check that no per-scenario figure was mistyped.
    #[test]
    fn pooled_think_at_1_matches_the_scenario_figures() {
        for entry in shipped().entries {
            let s = entry.scores;
            let pooled = (s.risk_omission_at_1 * 600.0
                + s.cognitive_shortcut_at_1 * 1200.0
                + s.over_sensitivity_at_1 * 200.0)
                / 2000.0;
            assert!(
                (pooled - s.think_at_1).abs() <= 0.006,
                "{}: pooled {pooled:.3} vs Think@1 {}",
                entry.model,
                s.think_at_1
            );
        }
    }

    /// README section 5: 20 rows fit alpha = 0.610 to 3 decimals, the other three fit 0.7639.
    #[test]
    fn published_f_scores_fit_two_alphas() {
        let board = shipped();
        let mut majority = 0;
        let mut official: Vec<&str> = Vec::new();
        for entry in &board.entries {
            let alpha = entry.scores.published_alpha().expect("alpha is determined");
            if (alpha - PUBLISHED_MAJORITY_ALPHA).abs() < 0.0005 {
                majority += 1;
            } else if (alpha - OFFICIAL_ALPHA).abs() < 0.0005 {
                official.push(&entry.model);
            } else {
                panic!("{} fits neither alpha: {alpha}", entry.model);
            }
        }
        assert_eq!(majority, 20);
        assert_eq!(official, ["GLM-Z1-AirX", "Kimi-K1.5", "Qwen3-235B-A22B"]);
    }

    #[test]
    fn f_score_and_fitted_alpha_are_inverse() {
        // By hand: T = 25, S = 100, alpha = 0.5 gives sqrt(25 * 100) = 50.
        assert!((f_score(25.0, 100.0, 0.5) - 50.0).abs() < 1e-12);
        assert!((fitted_alpha(50.0, 25.0, 100.0).unwrap() - 0.5).abs() < 1e-12);
        // alpha = 1 gives Think@1 itself, alpha = 0 gives Safe@1.
        assert!((f_score(30.0, 90.0, 1.0) - 30.0).abs() < 1e-12);
        assert!((f_score(30.0, 90.0, 0.0) - 90.0).abs() < 1e-12);
        assert_eq!(fitted_alpha(40.0, 40.0, 40.0), None);
        assert_eq!(fitted_alpha(0.0, 10.0, 50.0), None);
        assert_eq!(fitted_alpha(10.0, 0.0, 50.0), None);
    }

    /// Compares the project's transcription with the reference copy of the published figures,
    /// read by its own column names with a plain split (an independent reader).
    #[test]
    fn transcription_matches_the_reference_file() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/bsa/leaderboard.csv"
        );
        let Ok(reference) = std::fs::read_to_string(path) else {
            println!("skipped: reference leaderboard not found at {path}");
            return;
        };
        let board = shipped();
        let mut lines = reference.lines();
        let header: Vec<&str> = lines.next().expect("reference header").split(',').collect();
        let names = [
            ("safe_at_1", Metric::SafeAt1),
            ("safe_at_k", Metric::SafeAtK),
            ("think_at_1", Metric::ThinkAt1),
            ("think_at_k", Metric::ThinkAtK),
            ("f_score", Metric::FScore),
            ("ro_at_1", Metric::RiskOmissionAt1),
            ("ro_at_k", Metric::RiskOmissionAtK),
            ("cs_at_1", Metric::CognitiveShortcutAt1),
            ("cs_at_k", Metric::CognitiveShortcutAtK),
            ("os_at_1", Metric::OverSensitivityAt1),
            ("os_at_k", Metric::OverSensitivityAtK),
        ];
        let column = |name: &str| {
            header
                .iter()
                .position(|h| *h == name)
                .expect("reference column")
        };
        let mut seen = 0;
        for line in lines.filter(|line| !line.trim().is_empty()) {
            let fields: Vec<&str> = line.split(',').collect();
            let entry = board
                .get(fields[column("model")])
                .expect("model transcribed");
            assert_eq!(entry.access.label(), fields[column("access")]);
            for (name, metric) in names {
                let published: f64 = fields[column(name)].parse().expect("reference number");
                assert_eq!(
                    entry.scores.get(metric),
                    published,
                    "{} {name}",
                    entry.model
                );
            }
            seen += 1;
        }
        assert_eq!(seen, board.len());
    }

    fn header() -> String {
        let mut columns = vec!["model", "access"];
        columns.extend(Metric::ALL.iter().map(|metric| metric.column()));
        columns.join(",")
    }

    fn row(model: &str, access: &str, value: &str) -> String {
        let mut fields = vec![model.to_string(), access.to_string()];
        fields.extend(std::iter::repeat_n(value.to_string(), Metric::ALL.len()));
        fields.join(",")
    }

    #[test]
    fn columns_are_found_by_name_in_any_order() {
        // The header reversed: the reader must still put every value in its metric.
        let mut columns: Vec<&str> = vec!["model", "access"];
        columns.extend(Metric::ALL.iter().map(|metric| metric.column()));
        // Column i holds i (metrics start at 2), except the model name and access.
        let mut values: Vec<String> = (0..columns.len()).map(|i| i.to_string()).collect();
        values[0] = "M".to_string();
        values[1] = "open".to_string();
        let mut pairs: Vec<(&str, String)> = columns.iter().copied().zip(values).collect();
        pairs.reverse();
        let text = format!(
            "{}\n{}\n",
            pairs
                .iter()
                .map(|(name, _)| *name)
                .collect::<Vec<_>>()
                .join(","),
            pairs
                .iter()
                .map(|(_, value)| value.as_str())
                .collect::<Vec<_>>()
                .join(",")
        );
        let board = Leaderboard::parse(&text).unwrap();
        // Metric number i (in ALL order) was given the value i + 2.
        for (index, metric) in Metric::ALL.iter().enumerate() {
            assert_eq!(board.entries[0].scores.get(*metric), (index + 2) as f64);
        }
    }

    #[test]
    fn problems_are_located() {
        let text = format!(
            "{}\n{}\n{}\n",
            header(),
            row("A", "open", "50"),
            row("B", "public", "50")
        );
        let problem = Leaderboard::parse(&text).unwrap_err();
        assert_eq!(
            problem.to_string(),
            "leaderboard.csv: row 2 (line 3), column \"access\": unknown label \"public\", expected one of \"open\", \"closed\""
        );

        let text = format!("{}\n{}\n", header(), row("A", "open", "101"));
        let problem = Leaderboard::parse(&text).unwrap_err();
        assert_eq!(problem.location.row, Some(1));
        assert_eq!(
            problem.location.field,
            Some(crate::diagnostic::Field::Column("safe_1".into()))
        );
        assert!(matches!(problem.kind, ProblemKind::BadNumber { .. }));

        let text = format!(
            "{}\n{}\n{}\n",
            header(),
            row("A", "open", "5"),
            row("A", "closed", "6")
        );
        let problem = Leaderboard::parse(&text).unwrap_err();
        assert_eq!(
            problem.kind,
            ProblemKind::DuplicateId {
                id: "A".into(),
                first: "row 1".into()
            }
        );

        let problem = Leaderboard::parse("model,access\nA,open\n").unwrap_err();
        assert_eq!(
            problem.kind,
            ProblemKind::MissingColumn {
                name: "safe_1".into()
            }
        );

        assert_eq!(
            Leaderboard::parse(" \n").unwrap_err().kind,
            ProblemKind::EmptyFile
        );
        assert_eq!(
            Leaderboard::parse(&header()).unwrap_err().kind,
            ProblemKind::NoRows
        );

        let text = format!("{}\nA,open,1\n", header());
        let problem = Leaderboard::parse(&text).unwrap_err();
        assert_eq!(
            problem.kind,
            ProblemKind::RaggedRow {
                expected: 13,
                found: 3
            }
        );
        for bad in ["NaN", "inf", "-1", "", "12,5"] {
            assert!(parse_percentage(bad).is_none(), "{bad:?} must be rejected");
        }
    }
}
