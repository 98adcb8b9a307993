//! Browser tests of the web app, run in headless Chromium by wasm-bindgen-test.
//!
//! Each test mounts a fresh [`bsa_studio::App`] into its own element, drives it the way a user
//! would (hash changes, typing, selecting, clicking, giving a file to the file input) and reads
//! the DOM. Waiting is for the browser's own events and promises (a hash change, a file read),
//! polled with a deadline; no test talks to anything outside 127.0.0.1.
#![cfg(target_arch = "wasm32")]

use bsa_studio::services::{fetch, panic, storage};
use bsa_studio::state::dataset::SAMPLE_CSV;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/app.rs"]
mod app;
#[path = "../crates/bsa-core/tests/support/pinned_subset.rs"]
mod pinned_subset;
use app::{document, mount, set_hash, wait_until, Mounted};

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

    fn h1(&self) -> String {
        self.text("main h1")
    }

    /// The button whose text contains `label`.
    fn button(&self, label: &str) -> HtmlElement {
        self.query_all("button")
            .into_iter()
            .find(|button| button.text_content().unwrap_or_default().contains(label))
            .unwrap_or_else(|| panic!("no button labelled {label:?}"))
            .dyn_into()
            .expect("a button is an HTML element")
    }

    fn explorer_rows(&self) -> usize {
        self.query_all(".item-table tbody tr").len()
    }
}

/// Number of items in the shipped sample, counted without the app's reader: every record of
/// data/sample.csv starts a line with its 32-hex id and a comma, and no other line does.
fn sample_records() -> Vec<&'static str> {
    SAMPLE_CSV
        .lines()
        .filter(|line| {
            line.len() > 32
                && line.as_bytes()[32] == b','
                && line[..32].bytes().all(|b| b.is_ascii_hexdigit())
        })
        .collect()
}

fn type_into(input: &HtmlInputElement, text: &str) {
    input.set_value(text);
    let event = web_sys::InputEvent::new("input").expect("an input event");
    input.dispatch_event(&event).expect("dispatch input");
}

fn choose(select: &HtmlSelectElement, value: &str) {
    select.set_value(value);
    let event = web_sys::Event::new("change").expect("a change event");
    select.dispatch_event(&event).expect("dispatch change");
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

#[wasm_bindgen_test]
async fn renders_with_the_sample_dataset() {
    let app = mount("#/dataset").await;
    let records = sample_records().len();
    assert!(records > 0, "the sample has items");
    assert_eq!(app.h1(), "Dataset");
    assert!(
        app.text(".sample-warning").contains("made up"),
        "the sample is marked as made up"
    );
    assert_eq!(app.text(".item-count"), records.to_string());
    // One page of rows: at most 50.
    assert_eq!(app.explorer_rows(), records.min(50));
    assert!(app.text(".licence, .facts").contains("CC BY-NC 4.0"));
}

#[wasm_bindgen_test]
async fn hash_navigation_changes_the_page() {
    let app = mount("#/dataset").await;
    assert_eq!(app.h1(), "Dataset");

    set_hash("#/leaderboard").await;
    wait_until("the leaderboard shows", || app.h1() == "Leaderboard").await;
    assert_eq!(app.query_all(".leaderboard-table tbody tr").len(), 23);
    assert_eq!(app.text("nav a[aria-current=\"page\"]"), "Leaderboard");

    set_hash("#/about").await;
    wait_until("the about page shows", || app.h1() == "About BSA Studio").await;
    assert!(app
        .text("main")
        .contains("Nothing leaves your browser except the API calls you start."));

    set_hash("#/results").await;
    wait_until("the results page shows", || app.h1() == "Results").await;
    assert!(app.text("main").contains("No results loaded"));

    set_hash("#/run").await;
    wait_until("the run page shows", || app.h1() == "Run the benchmark").await;

    // A hash that is no route (not even starting with "/") is a page, not a crash.
    set_hash("#nowhere").await;
    wait_until("the not-found page shows", || app.h1() == "Page not found").await;
    assert!(app.text("main").contains("#nowhere"));
}

#[wasm_bindgen_test]
async fn leaderboard_sorts_by_a_clicked_header() {
    let app = mount("#/leaderboard").await;
    let first_model = |app: &Mounted| app.text(".leaderboard-table tbody tr th");
    // Default: published F-score, best first (Claude-3.7-Sonnet, 68.92, in data/leaderboard.csv).
    assert_eq!(first_model(&app), "Claude-3.7-Sonnet");
    let header = app
        .query_all(".leaderboard-table thead th")
        .into_iter()
        .find(|th| th.text_content().unwrap_or_default().starts_with("Safe@1"))
        .expect("a Safe@1 header");
    assert_eq!(header.get_attribute("aria-sort").as_deref(), Some("none"));
    app.button("Safe@1").click();
    yew::scheduler::flush().await;
    assert_eq!(
        header.get_attribute("aria-sort").as_deref(),
        Some("descending")
    );
    // Highest Safe@1: Claude-3.7-Sonnet again (99.28); ascending puts R1-Distill-Qwen-1.5B
    // (39.96, the lowest in the file) first.
    app.button("Safe@1").click();
    yew::scheduler::flush().await;
    assert_eq!(
        header.get_attribute("aria-sort").as_deref(),
        Some("ascending")
    );
    assert_eq!(first_model(&app), "R1-Distill-Qwen-1.5B");
}

#[wasm_bindgen_test]
async fn filters_narrow_the_explorer_table() {
    let app = mount("#/dataset").await;
    let records = sample_records();
    assert_eq!(app.explorer_rows(), records.len().min(50));

    // Search by the full id of the third item: exactly one row, in any case.
    let id = &records[2][..32];
    let search: HtmlInputElement = app
        .query("#filter-search")
        .expect("a search field")
        .dyn_into()
        .expect("an input");
    type_into(&search, &id.to_uppercase());
    yew::scheduler::flush().await;
    assert_eq!(app.explorer_rows(), 1);
    assert!(app.text(".item-table tbody").contains(&id[..8]));
    assert!(app.text(".result-count").starts_with("1 of "));

    // Clear, then pick a scenario: the rows are the sample's records of that scenario (counted
    // on the raw lines, where the scenario follows the closing quote or comma of risk_summary).
    app.button("Clear filters").click();
    yew::scheduler::flush().await;
    assert_eq!(app.explorer_rows(), records.len().min(50));
    let scenario: HtmlSelectElement = app
        .query("#filter-scenario")
        .expect("a scenario select")
        .dyn_into()
        .expect("a select");
    choose(&scenario, "Over Sensitivity");
    yew::scheduler::flush().await;
    let expected = SAMPLE_CSV.matches(",Over Sensitivity,").count();
    assert!(expected > 0 && expected < records.len());
    assert_eq!(app.explorer_rows(), expected);
    assert!(app
        .query_all(".item-scenario")
        .iter()
        .all(|cell| cell.text_content().unwrap_or_default() == "Over Sensitivity"));
}

#[wasm_bindgen_test]
async fn a_row_opens_the_item_view() {
    let app = mount("#/dataset").await;
    let first: HtmlElement = app
        .query(".item-table tbody tr button")
        .expect("a row")
        .dyn_into()
        .expect("a button");
    first.click();
    wait_until("the item view shows", || app.query(".item-view").is_some()).await;
    // The item the view shows is the sample's first, read by the core reader.
    let read = bsa_core::dataset::read::read_dataset("sample.csv", SAMPLE_CSV.as_bytes());
    let item = &read.dataset.items()[0];
    assert_eq!(app.text(".item-query-text"), item.query);
    assert_eq!(app.text(".item-summary-text"), item.risk_summary);
    assert!(app.text(".item-view h2").contains(&item.id));
    assert_eq!(
        web_sys::window().unwrap().location().hash().unwrap(),
        format!("#/dataset/item/{}", item.id)
    );
    // Back to the list.
    set_hash("#/dataset").await;
    wait_until("the list is back", || app.explorer_rows() > 0).await;
}

#[wasm_bindgen_test]
async fn a_file_with_problems_is_listed_and_the_old_dataset_stays() {
    let app = mount("#/dataset").await;
    let records = sample_records().len();
    let input: HtmlInputElement = app
        .query("#dataset-file")
        .expect("a file input")
        .dyn_into()
        .expect("an input");
    // Row 2 names an unknown scenario; row 1 is valid and carries markup in its query.
    let bad = "id,query,risk_summary,dataset_name,label\n\
               a1,<img src=x onerror=alert(1)> what now?,summary,Risk Omission,Rumors-Rumors\n\
               b2,query,summary,Nonsense,Rumors-Rumors\n";
    pick_file(&input, "broken.csv", bad);
    wait_until("the problem list shows", || {
        app.query(".problem-list li").is_some()
    })
    .await;
    let problem = app.text(".problem-list li");
    assert!(
        problem.contains("broken.csv: row 2"),
        "located problem, got {problem:?}"
    );
    assert!(
        problem.contains("dataset_name"),
        "names the column, got {problem:?}"
    );
    assert_eq!(
        app.text(".item-count"),
        records.to_string(),
        "the sample stays loaded"
    );

    // The valid row can be kept, and says how many were left out.
    app.button("valid items anyway").click();
    yew::scheduler::flush().await;
    assert_eq!(app.text(".item-count"), "1 (1 rows with problems left out)");

    // Its markup is shown as text: no element is created from it.
    let open: HtmlElement = app
        .query(".item-table tbody tr button")
        .expect("a row")
        .dyn_into()
        .expect("a button");
    open.click();
    wait_until("the item view shows", || app.query(".item-view").is_some()).await;
    assert!(app
        .text(".item-query-text")
        .starts_with("<img src=x onerror=alert(1)>"));
    assert!(app.query(".item-view img").is_none());
    set_hash("#/dataset").await;
}

#[wasm_bindgen_test]
async fn a_failed_download_explains_and_keeps_the_dataset() {
    let app = mount("#/dataset").await;
    let records = sample_records().len();
    let url: HtmlInputElement = app
        .query("#dataset-url")
        .expect("a URL field")
        .dyn_into()
        .expect("an input");
    // The test server on 127.0.0.1 has no such file.
    let missing = format!(
        "{}/no-such-dataset.csv",
        web_sys::window().unwrap().location().origin().unwrap()
    );
    type_into(&url, &missing);
    yew::scheduler::flush().await;
    app.button("Load from this URL").click();
    wait_until("the error shows", || app.query(".notice-error").is_some()).await;
    let message = app.text(".notice-error");
    assert!(
        message.contains("HTTP 404"),
        "says the status, got {message:?}"
    );
    assert!(
        message.contains("current dataset is unchanged"),
        "got {message:?}"
    );
    assert_eq!(app.text(".item-count"), records.to_string());
}

#[wasm_bindgen_test]
async fn fetch_errors_say_why() {
    let origin = web_sys::window().unwrap().location().origin().unwrap();
    match fetch::fetch_bytes(&format!("{origin}/no-such-file.csv")).await {
        Err(fetch::FetchError::Http { status: 404, .. }) => {}
        other => panic!("expected HTTP 404, got {other:?}"),
    }
    // Port 9 (discard) on the loopback address: nothing listens, so no response at all.
    match fetch::fetch_bytes("http://127.0.0.1:9/dataset.csv").await {
        Err(error @ fetch::FetchError::Unreachable { .. }) => {
            assert!(
                error.to_string().contains("CORS"),
                "names the likely causes: {error}"
            );
        }
        other => panic!("expected an unreachable server, got {other:?}"),
    }
    match fetch::fetch_bytes("ftp://example.org/dataset.csv").await {
        Err(fetch::FetchError::InvalidUrl { reason, .. }) => assert!(reason.contains("ftp:")),
        other => panic!("expected an invalid URL, got {other:?}"),
    }
}

#[wasm_bindgen_test]
fn panic_hook_shows_a_banner_with_the_message_as_text() {
    let message = "panicked at src/x.rs:1:1: <b>bold</b> & more";
    panic::show_banner(message);
    let banner = document()
        .get_element_by_id(panic::BANNER_ID)
        .expect("a banner");
    assert_eq!(banner.get_attribute("role").as_deref(), Some("alert"));
    let shown = banner
        .query_selector("pre")
        .unwrap()
        .and_then(|pre| pre.text_content());
    assert_eq!(shown.as_deref(), Some(message));
    assert!(
        banner.query_selector("b").unwrap().is_none(),
        "markup in the message is not parsed"
    );
    // A second panic updates the same banner.
    panic::show_banner("second");
    assert_eq!(
        document()
            .query_selector_all(".panic-banner")
            .unwrap()
            .length(),
        1
    );
    banner.remove();
}

#[wasm_bindgen_test]
async fn theme_and_large_type_toggles_change_the_root_class() {
    let app = mount("#/about").await;
    let html = document().document_element().expect("an <html>");
    let app_root = app.query(".app").expect("the app's root element");
    let dark_at_start = html.class_list().contains("theme-dark");
    assert_ne!(
        dark_at_start,
        html.class_list().contains("theme-light"),
        "exactly one theme class"
    );

    app.button("Dark theme").click();
    yew::scheduler::flush().await;
    assert_eq!(html.class_list().contains("theme-dark"), !dark_at_start);
    assert_eq!(app_root.class_list().contains("theme-dark"), !dark_at_start);
    let pressed = app.button("Dark theme").get_attribute("aria-pressed");
    assert_eq!(
        pressed.as_deref(),
        Some(if dark_at_start { "false" } else { "true" })
    );
    assert_eq!(
        storage::load_preferences().theme.map(|t| t.key()),
        Some(if dark_at_start { "light" } else { "dark" })
    );

    assert!(!html.class_list().contains("type-large"));
    app.button("Large type").click();
    yew::scheduler::flush().await;
    assert!(html.class_list().contains("type-large"));
    assert!(app_root.class_list().contains("type-large"));
    app.button("Large type").click();
    yew::scheduler::flush().await;
    assert!(!html.class_list().contains("type-large"));

    // Leave the page as other tests expect it.
    storage::clear_preferences();
    let _ = html.class_list().remove_2("theme-dark", "type-large");
}

/// The stratified sampler gives the WebAssembly build the same items as the native one: the
/// pinned sample of `crates/bsa-core/tests/fixtures/subset/pinned.txt` (checked natively by
/// `crates/bsa-core/tests/dataset_sample.rs`).
#[wasm_bindgen_test]
fn the_pinned_stratified_sample_is_the_same_in_the_browser() {
    let pinned = pinned_subset::pinned_subset();
    let read = bsa_core::dataset::read_dataset("sample.csv", SAMPLE_CSV.as_bytes());
    assert!(read.problems.is_empty());
    let subset =
        bsa_core::dataset::subset::stratified_sample(&read.dataset, pinned.size, pinned.seed);
    assert_eq!(subset.ids, pinned.ids);
}

/// The full app started from the shell's state (as `services::full_app::take_over` does, after
/// the trip through JSON and bytes) shows the shell's dataset and explorer filter.
#[wasm_bindgen_test]
async fn the_full_app_starts_from_the_shell_state() {
    use bsa_studio::app::AppProps;
    use bsa_studio::state::dataset::{read_candidate, DatasetAction, DatasetOrigin, LoadTicket};
    use bsa_studio::state::explorer::{DatasetFilter, ExplorerAction};
    use bsa_studio::state::handover::Handover;
    use bsa_studio::state::preferences::{Preferences, Theme};
    use bsa_studio::state::{Action, State};
    use std::rc::Rc;

    // The shell: the sample's first 12 records as a file, filtered to one scenario.
    let starts: Vec<usize> = SAMPLE_CSV
        .match_indices('\n')
        .map(|(at, _)| at + 1)
        .filter(|&at| {
            let rest = &SAMPLE_CSV[at..];
            rest.len() > 33
                && rest.as_bytes()[32] == b','
                && rest[..32].bytes().all(|b| b.is_ascii_hexdigit())
        })
        .collect();
    let twelve = &SAMPLE_CSV[..starts[12]];
    let mut shell = State::new(Preferences {
        theme: Theme::Light,
        large_type: false,
    });
    let origin = DatasetOrigin::File {
        name: "twelve.csv".to_string(),
    };
    let ticket = LoadTicket(1);
    shell.apply(Action::Dataset(DatasetAction::Started {
        ticket,
        origin: origin.clone(),
    }));
    shell.apply(Action::Dataset(DatasetAction::Read {
        ticket,
        origin: origin.clone(),
        candidate: read_candidate(&origin, twelve.as_bytes()),
        read_millis: None,
    }));
    let scenario = shell
        .dataset
        .current
        .as_ref()
        .expect("twelve read")
        .data
        .dataset
        .items()[0]
        .scenario;
    shell.apply(Action::Explorer(ExplorerAction::SetFilter {
        filter: DatasetFilter {
            scenario: Some(scenario),
            ..DatasetFilter::default()
        },
    }));
    let expected = shell
        .dataset
        .current
        .as_ref()
        .unwrap()
        .data
        .dataset
        .items()
        .iter()
        .filter(|item| item.scenario == scenario)
        .count();

    let (header, bytes) = Handover::of(&shell).to_parts();
    let handover = Handover::from_parts(&header, bytes.to_vec()).expect("the parts read back");
    let app = app::mount_with(
        "#/dataset",
        AppProps {
            handover: Some(Rc::new(handover)),
        },
    )
    .await;
    wait_until("the dataset is shown", || {
        app.query(".item-count").is_some()
    })
    .await;
    assert!(
        app.text(".item-count").starts_with("12 "),
        "{}",
        app.text(".item-count")
    );
    assert!(app
        .root
        .text_content()
        .unwrap_or_default()
        .contains("twelve.csv"));
    assert_eq!(app.text(".result-count"), format!("{expected} of 12 items"));
    assert!(
        expected > 0 && expected < 12,
        "the filter filters: {expected}"
    );
    let select: HtmlSelectElement = app
        .query("#filter-scenario")
        .expect("the scenario filter")
        .dyn_into()
        .unwrap();
    assert!(!select.value().is_empty(), "the scenario filter is set");
}
