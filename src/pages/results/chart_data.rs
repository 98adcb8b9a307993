//! From scores to chart data: the pure mapping behind every chart of the Results page, tested
//! natively.
//!
//! Ids are chosen so that a click can be read back: category groups have the category name as
//! id, model series the model name, metric series [`SAFE_SERIES`] / [`THINK_SERIES`], grid
//! series the cell keys of [`crate::components::safety_grid::cell_key`], grid groups the
//! scenario names (or [`ALL_SCENARIOS`]).

use crate::components::charts::{Measurement, MeasurementGroup, PointKind, ScatterPoint, Series};
use crate::components::safety_grid::cell_key;
use crate::state::leaderboard::{LeaderboardRow, RowOrigin};
use bsa_core::metrics::{CategoryMetrics, GridCell, HeadlineMetrics, ModelScore, SafetyGrid};
use bsa_core::Scenario;

/// Series id of Safe@1 bars.
pub const SAFE_SERIES: &str = "safe_at_1";
/// Series id of Think@1 bars.
pub const THINK_SERIES: &str = "think_at_1";
/// Group id of the all-scenarios grid.
pub const ALL_SCENARIOS: &str = "all";
/// Scatter ids of the user's models start with this; published ones with [`PUBLISHED_PREFIX`].
pub const LOADED_PREFIX: &str = "yours:";
pub const PUBLISHED_PREFIX: &str = "published:";

/// The @1 metric a per-model chart shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CategoryMetric {
    #[default]
    ThinkAt1,
    SafeAt1,
}

impl CategoryMetric {
    pub fn label(self) -> &'static str {
        match self {
            CategoryMetric::ThinkAt1 => "Think@1",
            CategoryMetric::SafeAt1 => "Safe@1",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            CategoryMetric::ThinkAt1 => THINK_SERIES,
            CategoryMetric::SafeAt1 => SAFE_SERIES,
        }
    }

    pub fn from_key(key: &str) -> CategoryMetric {
        if key == SAFE_SERIES {
            CategoryMetric::SafeAt1
        } else {
            CategoryMetric::ThinkAt1
        }
    }

    pub fn of(self, metrics: &HeadlineMetrics) -> Option<f64> {
        match self {
            CategoryMetric::ThinkAt1 => metrics.think_at_1,
            CategoryMetric::SafeAt1 => metrics.safe_at_1,
        }
    }
}

/// Safe@1 and Think@1 as two series.
pub fn metric_series() -> Vec<Series> {
    Series::with_palette([(SAFE_SERIES, "Safe@1"), (THINK_SERIES, "Think@1")])
}

/// One series per model, coloured by load order (the same colours in every chart).
pub fn model_series(models: &[ModelScore]) -> Vec<Series> {
    Series::with_palette(
        models
            .iter()
            .map(|model| (model.model.clone(), model.model.clone())),
    )
}

/// The primary categories of a model, or none without a category breakdown.
fn primaries(model: &ModelScore) -> &[CategoryMetrics] {
    model
        .categories
        .as_ref()
        .map_or(&[], |breakdown| breakdown.primary.as_slice())
}

/// Primary category names in the breakdowns' order (the benchmark's), across models.
pub fn category_names(models: &[ModelScore]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for model in models {
        for category in primaries(model) {
            if !names.contains(&category.category) {
                names.push(category.category.clone());
            }
        }
    }
    names
}

/// Safe@1 and Think@1 of one model per primary category; n is the items evaluated.
pub fn model_category_groups(model: &ModelScore) -> Vec<MeasurementGroup> {
    primaries(model)
        .iter()
        .map(|category| {
            let n = category.items_evaluated;
            MeasurementGroup::new(
                category.category.clone(),
                category.category.clone(),
                vec![
                    Measurement::new(SAFE_SERIES, category.metrics.safe_at_1, n),
                    Measurement::new(THINK_SERIES, category.metrics.think_at_1, n),
                ],
            )
        })
        .collect()
}

/// One metric of every model per primary category (groups: categories; series: models).
pub fn categories_by_model(models: &[ModelScore], metric: CategoryMetric) -> Vec<MeasurementGroup> {
    category_names(models)
        .into_iter()
        .map(|name| {
            let measurements = models
                .iter()
                .map(|model| {
                    let found = primaries(model).iter().find(|c| c.category == name);
                    Measurement::new(
                        model.model.clone(),
                        found.and_then(|c| metric.of(&c.metrics)),
                        found.map_or(0, |c| c.items_evaluated),
                    )
                })
                .collect();
            MeasurementGroup::new(name.clone(), name, measurements)
        })
        .collect()
}

/// The grid's four cells as series.
pub fn grid_series() -> Vec<Series> {
    // Fixed colours with meaning: truly safe green, superficially safe amber (the headline),
    // aware but unsafe blue, unsafe and unaware vermilion; all from the Okabe-Ito palette.
    vec![
        Series::new(
            cell_key(GridCell::SafeAndAware),
            GridCell::SafeAndAware.label(),
            "#009E73",
        ),
        Series::new(
            cell_key(GridCell::SafeButUnaware),
            GridCell::SafeButUnaware.label(),
            "#E69F00",
        ),
        Series::new(
            cell_key(GridCell::UnsafeButAware),
            GridCell::UnsafeButAware.label(),
            "#56B4E9",
        ),
        Series::new(
            cell_key(GridCell::UnsafeAndUnaware),
            GridCell::UnsafeAndUnaware.label(),
            "#D55E00",
        ),
    ]
}

/// Shares (percent of the samples with both verdicts) of the four cells, per scenario and
/// overall; n is the grid's sample count.
pub fn grid_groups(model: &ModelScore) -> Vec<MeasurementGroup> {
    let group = |id: &str, label: &str, grid: &SafetyGrid| {
        MeasurementGroup::new(
            id,
            label,
            GridCell::ALL
                .iter()
                .map(|cell| Measurement::new(cell_key(*cell), grid.share(*cell), grid.total()))
                .collect(),
        )
    };
    let mut groups: Vec<MeasurementGroup> = Scenario::ALL
        .iter()
        .map(|scenario| {
            group(
                scenario.name(),
                scenario.name(),
                model.grids.scenario(*scenario),
            )
        })
        .collect();
    groups.push(group(ALL_SCENARIOS, "All scenarios", &model.grids.overall));
    groups
}

/// The user's models and the published ones, Safe@1 against Think@1.
pub fn scatter_points(models: &[ModelScore], published: &[LeaderboardRow]) -> Vec<ScatterPoint> {
    let mut points: Vec<ScatterPoint> = published
        .iter()
        .filter(|row| row.origin == RowOrigin::Published)
        .map(|row| ScatterPoint {
            id: format!("{PUBLISHED_PREFIX}{}", row.model),
            label: row.model.clone(),
            x: Some(row.scores.safe_at_1),
            y: Some(row.scores.think_at_1),
            n: None,
            kind: PointKind::Published,
        })
        .collect();
    points.extend(models.iter().map(|model| ScatterPoint {
        id: format!("{LOADED_PREFIX}{}", model.model),
        label: model.model.clone(),
        x: model.headline.safe_at_1,
        y: model.headline.think_at_1,
        n: Some(model.coverage.items_evaluated),
        kind: PointKind::Loaded,
    }));
    points
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::leaderboard::LeaderboardState;
    use bsa_core::dataset::{Dataset, Item, Risk};
    use bsa_core::metrics::{score, Judgement, SampleSetBuilder, ScoreOptions};
    use bsa_core::verdict::{AnswerVerdict, ReasoningVerdict, RiskOmissionVerdict};

    /// Two Risk Omission items, one per category, k = 2. Model "m": item "a" (Rumors) safe and
    /// safe, reasoning covered once; item "b" (Pornography) unsafe twice, reasoning covered twice.
    fn scored() -> Vec<ModelScore> {
        let dataset = Dataset::from_items(
            [("a", "Rumors"), ("b", "Pornography")]
                .into_iter()
                .map(|(id, primary)| Item {
                    id: id.into(),
                    query: "q".into(),
                    risk_summary: "r".into(),
                    scenario: Scenario::RiskOmission,
                    risks: vec![Risk {
                        part: None,
                        primary: primary.into(),
                        secondary: primary.into(),
                    }],
                })
                .collect(),
        );
        let mut builder = SampleSetBuilder::new();
        let model = builder.model("m");
        let covered = ReasoningVerdict::RiskOmission(RiskOmissionVerdict::Covered);
        let missed = ReasoningVerdict::RiskOmission(RiskOmissionVerdict::NotCovered);
        for (key, answer, reasoning) in [
            ("a", AnswerVerdict::Safe, covered),
            ("a", AnswerVerdict::Safe, missed),
            ("b", AnswerVerdict::Unsafe, covered),
            ("b", AnswerVerdict::Unsafe, covered),
        ] {
            let item = builder.item(key, Scenario::RiskOmission).unwrap();
            builder
                .push_next(
                    model,
                    item,
                    Judgement::Verdict(answer),
                    Judgement::Verdict(reasoning),
                )
                .unwrap();
        }
        let set = builder.build();
        let mut options = ScoreOptions::new(2);
        options.bootstrap = None;
        score(&set, Some(&dataset), &options).unwrap().models
    }

    #[test]
    fn category_groups_carry_both_metrics_in_benchmark_order() {
        let models = scored();
        let groups = model_category_groups(&models[0]);
        // PRIMARY_CATEGORIES puts Rumors (8th) before Pornography (9th).
        let ids: Vec<&str> = groups.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids, ["Rumors", "Pornography"]);
        // Rumors: 2 of 2 safe = 100 %, 1 of 2 covered = 50 %; Pornography: 0 % safe, 100 % think.
        assert_eq!(
            groups[0].get(SAFE_SERIES).and_then(|m| m.value),
            Some(100.0)
        );
        assert_eq!(
            groups[0].get(THINK_SERIES).and_then(|m| m.value),
            Some(50.0)
        );
        assert_eq!(groups[1].get(SAFE_SERIES).and_then(|m| m.value), Some(0.0));
        assert_eq!(groups[1].get(THINK_SERIES).map(|m| m.n), Some(1));
        let by_model = categories_by_model(&models, CategoryMetric::ThinkAt1);
        assert_eq!(by_model[1].get("m").and_then(|m| m.value), Some(100.0));
    }

    #[test]
    fn grid_groups_hold_shares_per_scenario_and_overall() {
        let models = scored();
        let groups = grid_groups(&models[0]);
        assert_eq!(groups.len(), 4);
        let all = &groups[3];
        assert_eq!(all.id, ALL_SCENARIOS);
        // 4 samples: safe+aware 1, safe+unaware 1, unsafe+aware 2 -> 25 %, 25 %, 50 %, 0 %.
        let share = |cell| all.get(cell_key(cell)).and_then(|m| m.value);
        assert_eq!(share(GridCell::SafeAndAware), Some(25.0));
        assert_eq!(share(GridCell::SafeButUnaware), Some(25.0));
        assert_eq!(share(GridCell::UnsafeButAware), Some(50.0));
        assert_eq!(share(GridCell::UnsafeAndUnaware), Some(0.0));
        // Cognitive Shortcut has no samples: no share, not 0.
        assert_eq!(
            groups[1]
                .get(cell_key(GridCell::SafeAndAware))
                .and_then(|m| m.value),
            None
        );
    }

    #[test]
    fn scatter_has_the_published_models_and_the_users() {
        let models = scored();
        let published = LeaderboardState::default().published_rows();
        let points = scatter_points(&models, &published);
        assert_eq!(points.len(), 24);
        let mine = points.last().unwrap();
        assert_eq!(
            (mine.kind, mine.id.as_str()),
            (PointKind::Loaded, "yours:m")
        );
        // Safe@1: (1 + 1 + 0 + 0) / 4 = 50 %; Think@1: 3 of 4 = 75 %.
        assert_eq!((mine.x, mine.y), (Some(50.0), Some(75.0)));
    }
}
