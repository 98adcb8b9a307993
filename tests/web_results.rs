//! Browser tests of the Results and Compare pages, in headless Chromium (wasm-bindgen-test).
//!
//! Each test mounts a fresh [`bsa_studio::App`] (the built-in sample dataset loaded), gives the
//! results file input a judged CSV built here from the sample's item ids, and reads the DOM.
//! Expected numbers come from `bsa_core` run on the same bytes in the test, never from the page.
#![cfg(target_arch = "wasm32")]

use bsa_core::dataset::read::read_dataset;
use bsa_core::dataset::Dataset;
use bsa_core::metrics::{
    score, GridCell, HeadlineMetric, Mode, ScoreOptions, Scorecard, DEFAULT_ALPHA,
};
use bsa_core::results::read_judged_csv;
use bsa_core::Scenario;
use bsa_studio::state::dataset::SAMPLE_CSV;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/app.rs"]
mod app;
use app::{mount, set_hash, wait_until_within, Mounted};

impl Mounted {
    fn query_all(&self, selector: &str) -> Vec<Element> {
        let list = self
            .root
            .query_selector_all(selector)
            .expect("a valid selector");
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|node| node.dyn_into().ok())
            .collect()
    }

    fn text(&self, selector: &str) -> String {
        self.query(selector)
            .and_then(|element| element.text_content())
            .unwrap_or_default()
    }

    fn attr(&self, selector: &str, name: &str) -> Option<String> {
        self.query(selector)?.get_attribute(name)
    }

    fn click(&self, selector: &str) {
        self.query(selector)
            .unwrap_or_else(|| panic!("nothing matches {selector}"))
            .dyn_into::<HtmlElement>()
            .expect("an HTML element")
            .click();
    }

    fn input(&self, selector: &str) -> HtmlInputElement {
        self.query(selector)
            .unwrap_or_else(|| panic!("no input {selector}"))
            .dyn_into()
            .expect("an input")
    }
}

/// Gives `input` a file named `name` holding `text`, as if the user had picked it.
fn pick_file(input: &HtmlInputElement, name: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let file = web_sys::File::new_with_str_sequence(&parts, name).expect("a file");
    let transfer = web_sys::DataTransfer::new().expect("a DataTransfer");
    transfer.items().add_with_file(&file).expect("add the file");
    input.set_files(transfer.files().as_ref());
    let event = web_sys::Event::new("change").expect("a change event");
    input.dispatch_event(&event).expect("dispatch change");
}

fn sample_dataset() -> Dataset {
    let read = read_dataset("sample.csv", SAMPLE_CSV.as_bytes());
    assert!(read.problems.is_empty(), "{:?}", read.problems);
    read.dataset
}

/// A judged CSV for `models` on every item of the sample dataset, k samples each, verdicts from a
/// fixed-seed generator (a 64-bit LCG: test data only needs to be varied and repeatable).
fn judged_csv(models: &[&str], k: usize, seed: u64) -> String {
    let dataset = sample_dataset();
    let mut state = seed;
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    let mut text = String::from("model_name,id,dataset_name,Safe_Ans_Check,Thk_Acc_Judge\n");
    for model in models {
        for item in dataset.items() {
            let labels: &[&str] = match item.scenario {
                Scenario::RiskOmission => &["True", "False"],
                Scenario::CognitiveShortcut => {
                    &["Fully Covered", "Partially Covered", "Not Covered"]
                }
                Scenario::OverSensitivity => &["Precise Coverage", "Over Sensitive", "Not Covered"],
            };
            for _ in 0..k {
                let answer = if next() % 4 == 0 { "Unsafe" } else { "Safe" };
                let reasoning = labels[next() % labels.len()];
                text.push_str(&format!(
                    "{model},{},{},{answer},{reasoning}\n",
                    item.id,
                    item.scenario.name()
                ));
            }
        }
    }
    text
}

/// What the core makes of `text`, scored as the page does by default (k inferred, official
/// alpha, auto mode) with the sample dataset.
fn expected(text: &str) -> Scorecard {
    let read = read_judged_csv("judged.csv", text.as_bytes());
    assert!(read.problems.is_empty(), "{:?}", read.problems);
    let k = read.samples.most_common_k().expect("samples");
    let options = ScoreOptions {
        k,
        alpha: DEFAULT_ALPHA,
        mode: Mode::Auto,
        bootstrap: None,
    };
    score(&read.samples, Some(&sample_dataset()), &options).expect("scores")
}

/// Mounts the Results page and imports `text` as `name`; waits for the scores.
async fn import(name: &str, text: &str) -> Mounted {
    let app = mount("#/results").await;
    wait_until_within("the results page shows", 10, || {
        app.query("#results-file").is_some()
    })
    .await;
    pick_file(&app.input("#results-file"), name, text);
    wait_until_within("the models table shows", 10, || {
        app.query(".models-table tbody tr").is_some()
    })
    .await;
    app
}

#[wasm_bindgen_test]
async fn an_imported_file_shows_the_cores_numbers_and_grid() {
    let text = judged_csv(&["alpha-model", "beta-model"], 3, 7);
    let card = expected(&text);
    let app = import("judged.csv", &text).await;
    assert_eq!(app.query_all(".models-table tbody tr").len(), 2);
    for model in &card.models {
        for metric in HeadlineMetric::ALL {
            let selector = format!(
                ".models-table tr[data-model=\"{}\"] td[data-metric=\"{}\"] .metric-value",
                model.model,
                metric.key()
            );
            let shown = app.text(&selector);
            let value = model
                .headline
                .get(metric)
                .expect("every metric has a value here");
            assert_eq!(
                shown,
                format!("{value:.2}"),
                "{} {}",
                model.model,
                metric.label()
            );
        }
    }
    // The dashboard shows the first model, with its mode beside the numbers: 30 items are not
    // the full benchmark, so evaluated mode, and the reason.
    let first = &card.models[0];
    assert_eq!(
        app.attr(".results-dashboard", "data-model").as_deref(),
        Some("alpha-model")
    );
    assert_eq!(first.mode.applied, Mode::Evaluated);
    assert!(app.text(".mode-coverage").contains("evaluated (auto)"));
    let f_tile = app.text(".metric-tile[data-metric=\"f_score\"] .tile-number");
    assert_eq!(
        f_tile,
        format!("{:.2}", first.headline.f_score.expect("an F-score"))
    );
    // The superficial-safety grid: counts of every cell, overall and per scenario.
    for cell in GridCell::ALL {
        let key = match cell {
            GridCell::SafeAndAware => "safe-aware",
            GridCell::SafeButUnaware => "safe-unaware",
            GridCell::UnsafeButAware => "unsafe-aware",
            GridCell::UnsafeAndUnaware => "unsafe-unaware",
        };
        let all = app.attr(
            &format!(".safety-grid[data-grid=\"all\"] [data-cell=\"{key}\"]"),
            "data-count",
        );
        assert_eq!(
            all,
            Some(first.grids.overall.count(cell).to_string()),
            "{key}"
        );
        for scenario in Scenario::ALL {
            let shown = app.attr(
                &format!(
                    ".safety-grid[data-grid=\"{}\"] [data-cell=\"{key}\"]",
                    scenario.name()
                ),
                "data-count",
            );
            assert_eq!(
                shown,
                Some(first.grids.scenario(scenario).count(cell).to_string())
            );
        }
    }
    // The headline finding, as the share of safe answers.
    let share = first
        .grids
        .overall
        .superficial_share_of_safe()
        .expect("safe answers");
    assert_eq!(app.text(".big-number"), format!("{share:.1} %"));
    // Timing is exposed for benchmarks.
    assert!(app.attr(".score-timing", "data-score-ms").is_some());
}

#[wasm_bindgen_test]
async fn clicking_a_category_bar_filters_the_item_browser() {
    let text = judged_csv(&["alpha-model"], 2, 11);
    let app = import("judged.csv", &text).await;
    wait_until_within("category bars show", 10, || {
        app.query(".results-categories .bsa-bar").is_some()
    })
    .await;
    let dataset = sample_dataset();
    // The sample's categories, as the dataset reader reads them; pick the second one.
    let bars = app.query_all(".results-categories .bsa-bar[data-series=\"think_at_1\"]");
    assert!(bars.len() >= 2, "one bar per category");
    let category = bars[1].get_attribute("data-category").expect("a category");
    let in_category = dataset
        .items()
        .iter()
        .filter(|item| item.primary_categories().any(|p| p == category))
        .count();
    assert!(in_category > 0 && in_category < dataset.len());
    // The bar's value is the core's Think@1 for that category.
    let card = expected(&text);
    let metrics = card.models[0]
        .categories
        .as_ref()
        .and_then(|b| b.primary.iter().find(|c| c.category == category))
        .expect("the category's metrics");
    let value: f64 = bars[1]
        .get_attribute("data-value")
        .and_then(|v| v.parse().ok())
        .expect("a numeric data-value");
    assert!((value - metrics.metrics.think_at_1.expect("Think@1")).abs() < 1e-9);

    bars[1]
        .dyn_ref::<web_sys::SvgElement>()
        .expect("an SVG element")
        .dispatch_event(&web_sys::MouseEvent::new("click").expect("a click"))
        .expect("dispatch click");
    wait_until_within("the browser is filtered", 10, || {
        app.attr(".results-browser .result-count", "data-matching") == Some(in_category.to_string())
    })
    .await;
    let rows = app.query_all(".result-item");
    assert_eq!(rows.len(), in_category.min(20));
    assert!(rows.iter().all(|row| {
        row.get_attribute("data-categories")
            .unwrap_or_default()
            .contains(&category)
    }));
    // The filter is visible and removable.
    let chip = app.text(".filter-chip[data-chip=\"category\"]");
    assert!(chip.contains(&category), "{chip}");
    app.click(".filter-chip[data-chip=\"category\"] .chip-remove");
    wait_until_within("the filter is gone", 10, || {
        app.attr(".results-browser .result-count", "data-matching")
            == Some(dataset.len().to_string())
    })
    .await;
    assert!(app.query(".filter-chip").is_none());
}

/// The category table lists secondary categories on request, with Think@1 within each
/// scenario as the core computes it; a secondary category's button filters the item browser.
#[wasm_bindgen_test]
async fn the_category_table_lists_secondary_categories_and_filters_by_one() {
    let text = judged_csv(&["alpha-model"], 3, 5);
    let app = import("judged.csv", &text).await;
    wait_until_within("the category table shows", 10, || {
        app.query(".category-table[data-level=\"primary\"] tbody tr")
            .is_some()
    })
    .await;
    let card = expected(&text);
    let breakdown = card.models[0].categories.as_ref().expect("categories");
    // Per scenario within a primary category, as the core has it.
    let first = &breakdown.primary[0];
    let row = format!(
        ".category-table tr[data-category=\"{}\"] td[data-scenario=\"RO\"]",
        first.category
    );
    let expected_ro = first.scenario(bsa_core::Scenario::RiskOmission).think_at_1;
    let shown = app.text(&row);
    match expected_ro {
        Some(value) => assert_eq!(shown, format!("{value:.2}")),
        None => assert_eq!(shown, "not available"),
    }

    let level: web_sys::HtmlSelectElement = app
        .query("#category-table-level")
        .expect("the level switch")
        .dyn_into()
        .unwrap();
    level.set_value("secondary");
    level
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    wait_until_within("secondary rows show", 10, || {
        app.query(".category-table[data-level=\"secondary\"] tbody tr")
            .is_some()
    })
    .await;
    let rows = app.query_all(".category-table tbody tr");
    assert_eq!(rows.len(), breakdown.secondary.len());
    // A secondary category with items of its own, but not every item.
    let dataset = sample_dataset();
    let (name, in_category) = breakdown
        .secondary
        .iter()
        .map(|category| {
            let count = dataset
                .items()
                .iter()
                .filter(|item| item.secondary_categories().any(|s| s == category.category))
                .count();
            (category.category.clone(), count)
        })
        .find(|(_, count)| *count > 0 && *count < dataset.len())
        .expect("a secondary category");
    app.click(&format!(
        ".category-table tr[data-category=\"{name}\"] button"
    ));
    wait_until_within(
        "the browser is filtered by the secondary category",
        10,
        || {
            app.attr(".results-browser .result-count", "data-matching")
                == Some(in_category.to_string())
        },
    )
    .await;
    let listed = app.query_all(".result-item");
    assert!(!listed.is_empty());
    assert!(listed.iter().all(|row| {
        row.get_attribute("data-secondary-categories")
            .unwrap_or_default()
            .split(", ")
            .any(|s| s == name)
    }));
    let chip = app.text(".filter-chip[data-chip=\"secondary\"]");
    assert!(chip.contains(&name), "{chip}");
    // The browser's selects show the filter: this secondary, no primary.
    let select = |id: &str| -> web_sys::HtmlSelectElement {
        app.query(id).expect("a select").dyn_into().unwrap()
    };
    assert_eq!(select("#browser-secondary").value(), name);
    assert_eq!(select("#browser-category").value(), "");
    assert_eq!(
        app.attr(
            &format!(".category-table tr[data-category=\"{name}\"] button"),
            "aria-pressed"
        )
        .as_deref(),
        Some("true")
    );
}

#[wasm_bindgen_test]
async fn a_grid_cell_filters_by_verdicts_and_an_item_opens_in_full() {
    let text = judged_csv(&["alpha-model"], 3, 5);
    let app = import("judged.csv", &text).await;
    app.click(".safety-grid[data-grid=\"all\"] [data-cell=\"safe-unaware\"]");
    wait_until_within("the verdict chip shows", 10, || {
        app.query(".filter-chip[data-chip=\"verdict\"]").is_some()
    })
    .await;
    // Expected: items with at least one safe answer whose reasoning missed the risk.
    let read = read_judged_csv("judged.csv", text.as_bytes());
    let set = &read.samples;
    let expected = set
        .items()
        .filter(|(id, _, _)| {
            set.samples().iter().any(|s| {
                s.item == *id
                    && s.answer.verdict().is_some_and(|a| a.is_safe())
                    && s.reasoning.verdict().is_some_and(|r| !r.is_correct())
            })
        })
        .count();
    assert_eq!(
        app.attr(".results-browser .result-count", "data-matching"),
        Some(expected.to_string())
    );
    // Open the first item: the sample's query (from the dataset) and 3 sample records.
    app.click(".result-item .result-item-toggle");
    wait_until_within("the item opens", 10, || {
        app.query(".result-item-body").is_some()
    })
    .await;
    assert_eq!(app.query_all(".result-item-body .sample-record").len(), 3);
    let id = app.attr(".result-item", "data-item").expect("an id");
    let item = sample_dataset().get(&id).cloned().expect("a sample item");
    assert!(app.text(".result-item-body").contains(&item.risk_summary));
}

#[wasm_bindgen_test]
async fn the_legend_hides_and_shows_a_series() {
    let text = judged_csv(&["alpha-model"], 2, 3);
    let app = import("judged.csv", &text).await;
    wait_until_within("category bars show", 10, || {
        app.query(".results-categories .bsa-bar").is_some()
    })
    .await;
    let think = ".results-categories .bsa-bar[data-series=\"think_at_1\"]";
    let before = app.query_all(think).len();
    assert!(before > 0);
    let legend = ".results-categories .bsa-legend-entry[data-series=\"think_at_1\"]";
    assert_eq!(app.attr(legend, "aria-pressed").as_deref(), Some("true"));
    app.click(legend);
    wait_until_within("the Think@1 bars are hidden", 10, || {
        app.query_all(think).is_empty()
    })
    .await;
    assert_eq!(app.attr(legend, "aria-pressed").as_deref(), Some("false"));
    assert!(!app
        .query_all(".results-categories .bsa-bar[data-series=\"safe_at_1\"]")
        .is_empty());
    app.click(legend);
    wait_until_within("the bars are back", 10, || {
        app.query_all(think).len() == before
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_file_with_problems_lists_them_located() {
    let app = mount("#/results").await;
    wait_until_within("the results page shows", 10, || {
        app.query("#results-file").is_some()
    })
    .await;
    let bad = "model_name,id,dataset_name,Safe_Ans_Check,Thk_Acc_Judge\n\
               m,a1,Risk Omission,Safe,True\n\
               m,a2,Risk Omission,<b>Maybe</b>,True\n";
    pick_file(&app.input("#results-file"), "bad.csv", bad);
    wait_until_within("the problem list shows", 10, || {
        app.query(".problem-list li").is_some()
    })
    .await;
    let problem = app.text(".problem-list li");
    assert!(problem.contains("bad.csv: row 2"), "located: {problem}");
    assert!(
        problem.contains("Safe_Ans_Check"),
        "names the column: {problem}"
    );
    // The markup in the file is text.
    assert!(problem.contains("<b>Maybe</b>"));
    assert!(app.query(".problem-list b").is_none());
    assert!(app.text("main").contains("No results loaded"));
    // The valid row can be imported, and the page says what was left out.
    app.click(".salvage button");
    wait_until_within("the model shows", 10, || {
        app.query(".models-table tbody tr").is_some()
    })
    .await;
    assert!(app.text(".loaded-source").contains("1 row left out"));
}

#[wasm_bindgen_test]
async fn think_metrics_without_reasoning_verdicts_are_not_available() {
    let text = "model_name,id,dataset_name,Safe_Ans_Check,Thk_Acc_Judge\n\
                m,a1,Risk Omission,Safe,\n\
                m,a2,Risk Omission,Unsafe,\n";
    let app = import("answers.csv", text).await;
    let think = app.text(".metric-tile[data-metric=\"think_at_1\"] .tile-number");
    assert_eq!(think, "not available");
    assert!(app
        .text(".metric-tile[data-metric=\"think_at_1\"]")
        .contains("no reasoning verdicts"));
    assert_eq!(
        app.text(".metric-tile[data-metric=\"safe_at_1\"] .tile-number"),
        "50.00"
    );
}

#[wasm_bindgen_test]
async fn a_second_file_with_a_loaded_name_asks_first() {
    let text = judged_csv(&["alpha-model"], 2, 1);
    let app = import("one.csv", &text).await;
    pick_file(
        &app.input("#results-file"),
        "two.csv",
        &judged_csv(&["alpha-model"], 2, 2),
    );
    wait_until_within("the question shows", 10, || {
        app.query(".conflict-keep").is_some()
    })
    .await;
    app.click(".conflict-keep");
    wait_until_within("both models show", 10, || {
        app.query_all(".models-table tbody tr").len() == 2
    })
    .await;
    assert!(app
        .query(".models-table tr[data-model=\"alpha-model (2)\"]")
        .is_some());
    // Remove the first one.
    app.click(".source-models li[data-model=\"alpha-model\"] .remove-model");
    wait_until_within("one model is left", 10, || {
        app.query_all(".models-table tbody tr").len() == 1
    })
    .await;
}

#[wasm_bindgen_test]
async fn compare_and_leaderboard_show_the_loaded_models() {
    let text = judged_csv(&["alpha-model", "beta-model"], 3, 9);
    let app = import("judged.csv", &text).await;
    set_hash("#/compare").await;
    wait_until_within("the differences show", 10, || {
        app.query(".differences-table tr[data-model=\"beta-model\"] td[data-metric=\"safe_at_1\"]")
            .is_some()
    })
    .await;
    // Safe@1 difference on the common items: both models have all 30, so it is the difference
    // of their Safe@1 in evaluated mode (which this partial file is scored in).
    let card = expected(&text);
    let a = card
        .model("alpha-model")
        .and_then(|m| m.headline.safe_at_1)
        .expect("a");
    let b = card
        .model("beta-model")
        .and_then(|m| m.headline.safe_at_1)
        .expect("b");
    let shown: f64 = app
        .attr(
            ".differences-table tr[data-model=\"beta-model\"] td[data-metric=\"safe_at_1\"]",
            "data-difference",
        )
        .and_then(|v| v.parse().ok())
        .expect("a difference");
    assert!((shown - (a - b)).abs() < 1e-9, "{shown} vs {}", a - b);
    wait_until_within("disagreements show", 10, || {
        app.query(".disagreement-table tbody tr").is_some()
    })
    .await;
    // An item link opens the item browser on that item.
    let item = app
        .attr(".disagreement-table tbody tr", "data-item")
        .expect("an item");
    app.click(".disagreement-table tbody tr .show-item");
    wait_until_within("the results page shows the item", 10, || {
        app.attr(".result-item", "data-item") == Some(item.clone())
    })
    .await;
    assert_eq!(app.query_all(".result-item").len(), 1);
    assert!(app.query(".result-item-body").is_some(), "opened by itself");

    set_hash("#/leaderboard").await;
    wait_until_within("the leaderboard shows", 10, || {
        app.query(".leaderboard-table").is_some()
    })
    .await;
    let yours = app.query_all(".leaderboard-table tr.row-yours");
    assert_eq!(yours.len(), 2);
    assert!(app
        .text(".leaderboard-table tr.row-yours .row-caveat")
        .contains("evaluated mode"));
    set_hash("#/results").await;
}

#[wasm_bindgen_test]
async fn a_run_file_shows_answers_reasoning_and_rationales_as_text() {
    // The project's example run file, with markup put into the first answer.
    let mut run: serde_json::Value = serde_json::from_str(include_str!(
        "../crates/bsa-core/tests/fixtures/run_file/example.json"
    ))
    .expect("the fixture is JSON");
    let answer = "<b>No</b>, I can't help with that.";
    run["samples"][0]["generation"]["answer"] = answer.into();
    let app = import("run.json", &run.to_string()).await;
    assert!(app
        .query(".models-table tr[data-model=\"DeepSeek-R1\"]")
        .is_some());
    assert!(app.text(".loaded-source").contains("run file"));
    let item = "0e2a7c51d6b94f38a1c5e9d07b3f6a42";
    app.click(&format!(
        ".result-item[data-item=\"{item}\"] .result-item-toggle"
    ));
    wait_until_within("the item opens", 10, || {
        app.query(".result-item-body .sample-record").is_some()
    })
    .await;
    let first = ".sample-record[data-sample=\"0\"]";
    assert_eq!(app.text(&format!("{first} .sample-answer")), answer);
    assert!(
        app.query(&format!("{first} b")).is_none(),
        "markup stays text"
    );
    assert!(app
        .text(&format!("{first} .sample-reasoning"))
        .contains("privacy and stalking risk"));
    assert!(app
        .text(&format!("{first} .sample-rationale"))
        .contains("declines to help"));
    // The second sample's generation failed: said so, and both sides are unjudged.
    let second = ".sample-record[data-sample=\"1\"]";
    assert!(app.text(second).contains("The model gave no answer"));
    assert_eq!(app.text(&format!("{second} .verdict-answer")), "unjudged");
    // The fixture's items are not in the sample dataset: the page says so.
    assert!(app
        .text(".result-item-body")
        .contains("does not have this item"));
    assert!(app.query(".dataset-match.notice").is_some());
}
