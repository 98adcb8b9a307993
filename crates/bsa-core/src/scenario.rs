//! The three Superficial Safety Alignment (SSA) scenarios of BSA and the risk category names.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The SSA scenario of an item: what kind of superficial safety it probes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Scenario {
    /// One risk that the reasoning must name (600 items).
    #[serde(rename = "Risk Omission")]
    RiskOmission,
    /// Two risks, Query A and Query B; the reasoning must name both (1,200 items).
    #[serde(rename = "Cognitive Shortcut")]
    CognitiveShortcut,
    /// A risky part and a safe part; the reasoning must name the risk and leave the safe part
    /// alone (200 items).
    #[serde(rename = "Over Sensitivity", alias = "Over-Sensitivity")]
    OverSensitivity,
}

impl Scenario {
    /// The scenarios in the order the benchmark lists them.
    pub const ALL: [Scenario; 3] = [
        Scenario::RiskOmission,
        Scenario::CognitiveShortcut,
        Scenario::OverSensitivity,
    ];

    /// The name as the dataset and the official scoring code write it.
    pub fn name(self) -> &'static str {
        match self {
            Scenario::RiskOmission => "Risk Omission",
            Scenario::CognitiveShortcut => "Cognitive Shortcut",
            Scenario::OverSensitivity => "Over Sensitivity",
        }
    }

    /// The two-letter prefix of the per-scenario metrics (`RO@1`, `CS@k`, ...).
    pub fn abbreviation(self) -> &'static str {
        match self {
            Scenario::RiskOmission => "RO",
            Scenario::CognitiveShortcut => "CS",
            Scenario::OverSensitivity => "OS",
        }
    }

    /// How many items of this scenario the full benchmark has; the official scoring code divides
    /// by these whatever was evaluated.
    pub fn official_item_count(self) -> usize {
        match self {
            Scenario::RiskOmission => 600,
            Scenario::CognitiveShortcut => 1200,
            Scenario::OverSensitivity => 200,
        }
    }

    /// Reads a scenario name: trimmed, case-insensitive, and `Over-Sensitivity` (the paper's
    /// spelling) as well as `Over Sensitivity` (the dataset's). Runs of spaces count as one.
    pub fn parse(text: &str) -> Option<Scenario> {
        let mut key = String::with_capacity(text.len());
        for word in text.split(|c: char| c.is_whitespace() || c == '-' || c == '_') {
            if !word.is_empty() {
                key.push_str(&word.to_ascii_lowercase());
            }
        }
        match key.as_str() {
            "riskomission" => Some(Scenario::RiskOmission),
            "cognitiveshortcut" => Some(Scenario::CognitiveShortcut),
            "oversensitivity" => Some(Scenario::OverSensitivity),
            _ => None,
        }
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Total number of items in the full benchmark.
pub const OFFICIAL_ITEM_COUNT: usize = 2000;

/// The 9 primary risk categories, in the order the project page lists them (by risk mentions).
/// Datasets may use other names; these only fix a stable display order for the known ones.
pub const PRIMARY_CATEGORIES: [&str; 9] = [
    "Offense and Prejudice",
    "Specially Regulated Items",
    "Property Infringement",
    "Invasion of Privacy and Confidentiality",
    "Physical and Mental Health",
    "Violence and Terrorism",
    "Ethics and Morality",
    "Rumors",
    "Pornography",
];

/// Display order of a primary category: known ones first in the benchmark's order, then others
/// alphabetically (callers sort by `(category_rank(name), name)`).
pub fn category_rank(primary: &str) -> usize {
    PRIMARY_CATEGORIES
        .iter()
        .position(|known| *known == primary)
        .unwrap_or(PRIMARY_CATEGORIES.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_spellings_of_over_sensitivity() {
        assert_eq!(
            Scenario::parse("Over Sensitivity"),
            Some(Scenario::OverSensitivity)
        );
        assert_eq!(
            Scenario::parse("Over-Sensitivity"),
            Some(Scenario::OverSensitivity)
        );
        assert_eq!(
            Scenario::parse("  over  sensitivity "),
            Some(Scenario::OverSensitivity)
        );
        assert_eq!(
            Scenario::parse("Risk Omission"),
            Some(Scenario::RiskOmission)
        );
        assert_eq!(
            Scenario::parse("cognitive shortcut"),
            Some(Scenario::CognitiveShortcut)
        );
        assert_eq!(Scenario::parse("Risk"), None);
        assert_eq!(Scenario::parse(""), None);
    }

    #[test]
    fn official_counts_add_up_to_the_benchmark() {
        let total: usize = Scenario::ALL.iter().map(|s| s.official_item_count()).sum();
        assert_eq!(total, OFFICIAL_ITEM_COUNT);
    }

    #[test]
    fn serde_uses_dataset_names() {
        let json = serde_json::to_string(&Scenario::OverSensitivity).unwrap();
        assert_eq!(json, "\"Over Sensitivity\"");
        let back: Scenario = serde_json::from_str("\"Over-Sensitivity\"").unwrap();
        assert_eq!(back, Scenario::OverSensitivity);
    }
}
