//! Counts of a dataset's items by scenario and risk category: [`DatasetStats`].

use super::Dataset;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How many items a dataset has per scenario, and how many risk mentions per category.
///
/// Categories count risk *mentions*, as the benchmark's own figures do: a Cognitive Shortcut
/// item with two risks counts once in each risk's category, and twice in a category both risks
/// share. So the primary counts of the full benchmark sum to 3,200 (600 + 2 x 1,200 + 200), not
/// 2,000. Names are as written in the dataset (`Over Sensitivity` for the scenario).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatasetStats {
    /// Number of items.
    pub items: usize,
    /// Items per scenario name.
    pub scenarios: BTreeMap<String, usize>,
    /// Risk mentions per primary category.
    pub primary_categories: BTreeMap<String, usize>,
    /// Risk mentions per secondary category.
    pub secondary_categories: BTreeMap<String, usize>,
}

impl DatasetStats {
    pub fn of(dataset: &Dataset) -> DatasetStats {
        let mut stats = DatasetStats {
            items: dataset.len(),
            ..DatasetStats::default()
        };
        for item in dataset.items() {
            count(&mut stats.scenarios, item.scenario.name());
            for risk in &item.risks {
                count(&mut stats.primary_categories, &risk.primary);
                count(&mut stats.secondary_categories, &risk.secondary);
            }
        }
        stats
    }

    /// Total risk mentions (the sum of the primary counts).
    pub fn risk_mentions(&self) -> usize {
        self.primary_categories.values().sum()
    }
}

/// Adds one to `name`'s count. The name is copied only the first time it is seen: a few dozen
/// names against thousands of mentions, so this spares a string allocation per mention.
fn count(counts: &mut BTreeMap<String, usize>, name: &str) {
    match counts.get_mut(name) {
        Some(count) => *count += 1,
        None => {
            counts.insert(name.to_string(), 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{Item, Risk, RiskPart};
    use crate::scenario::Scenario;

    fn item(id: &str, scenario: Scenario, risks: &[(&str, &str)]) -> Item {
        let two = risks.len() == 2;
        Item {
            id: id.into(),
            query: "q".into(),
            risk_summary: "r".into(),
            scenario,
            risks: risks
                .iter()
                .zip([RiskPart::A, RiskPart::B])
                .map(|(&(primary, secondary), part)| Risk {
                    part: two.then_some(part),
                    primary: primary.into(),
                    secondary: secondary.into(),
                })
                .collect(),
        }
    }

    #[test]
    fn counts_risk_mentions_not_items() {
        let dataset = Dataset::from_items(vec![
            item(
                "1",
                Scenario::RiskOmission,
                &[("Rumors", "Rumors with Negative Impact")],
            ),
            // Both risks share a primary category: it counts twice.
            item(
                "2",
                Scenario::CognitiveShortcut,
                &[
                    ("Ethics and Morality", "AI Ethics"),
                    ("Ethics and Morality", "Disturbing or Unhealthy Scenes"),
                ],
            ),
            item(
                "3",
                Scenario::OverSensitivity,
                &[("Rumors", "Rumors with Negative Impact")],
            ),
        ]);
        let stats = DatasetStats::of(&dataset);
        // By hand: 3 items, one per scenario; Rumors 2 (items 1 and 3), Ethics 2 (item 2 twice).
        assert_eq!(stats.items, 3);
        assert_eq!(stats.scenarios.get("Over Sensitivity"), Some(&1));
        assert_eq!(stats.scenarios.values().sum::<usize>(), 3);
        assert_eq!(stats.primary_categories.get("Rumors"), Some(&2));
        assert_eq!(
            stats.primary_categories.get("Ethics and Morality"),
            Some(&2)
        );
        assert_eq!(stats.secondary_categories.len(), 3);
        assert_eq!(stats.risk_mentions(), 4);
    }

    #[test]
    fn serializes_with_the_documented_keys() {
        let stats = DatasetStats::of(&Dataset::default());
        let json = serde_json::to_value(&stats).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"items": 0, "scenarios": {}, "primary_categories": {}, "secondary_categories": {}})
        );
    }
}
