//! Browser tests of the Run page and its storage, in headless Chromium with real IndexedDB and
//! localStorage.
//!
//! The run store is exercised directly (write, read back, group commit, delete); the engine
//! through the page, against addresses where nothing listens (`127.0.0.1:9`): every call fails
//! at once with a network error, which is enough to drive a run to its end, to see what reaches
//! the disk, and to restore a run from IndexedDB in a freshly mounted app (the "reload").
#![cfg(target_arch = "wasm32")]

use bsa_core::dataset::{Dataset, Item, Risk, SubsetSpec};
use bsa_core::prompt::{JudgePromptSet, SystemPrompt};
use bsa_core::provider::{ModelConfig, ParameterReport, PresetId, ReasoningSource, ReasoningTrace};
use bsa_core::results::run_file::{DatasetReference, JudgeSetup, ModelSetup, RunHeader, RunState};
use bsa_core::run::{RateMemory, SchedulerConfig, Spend, StagePrices, StoredOutcome, StoredResult};
use bsa_core::scenario::Scenario;
use bsa_studio::services::run_store::{self, RunStore};
use bsa_studio::services::{keys, run_settings_store};
use bsa_studio::state::run::endpoint::{KeyInput, KeySlot};
use bsa_studio::state::run::form::RunForm;
use bsa_studio::state::run::record::{
    CallPayload, CallRecord, Lifecycle, RecordProgress, RunRecord, StatsRecord,
};
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/app.rs"]
mod app;
use app::{document, mount, wait_until_within, Mounted};

/// Where nothing answers: every call fails at once (connection refused or an unsafe port).
const NOWHERE: &str = "http://127.0.0.1:9";

impl Mounted {
    fn attr(&self, selector: &str, name: &str) -> Option<String> {
        self.query(selector)
            .and_then(|element| element.get_attribute(name))
    }

    fn input(&self, id: &str) -> HtmlInputElement {
        self.query(&format!("#{id}"))
            .unwrap_or_else(|| panic!("no #{id}"))
            .dyn_into()
            .expect("an input")
    }

    fn type_into(&self, id: &str, text: &str) {
        let input = self.input(id);
        input.set_value(text);
        let event = web_sys::InputEvent::new("input").expect("an input event");
        input.dispatch_event(&event).expect("dispatch input");
    }

    fn choose(&self, id: &str, value: &str) {
        let select: HtmlSelectElement = self
            .query(&format!("#{id}"))
            .unwrap_or_else(|| panic!("no #{id}"))
            .dyn_into()
            .expect("a select");
        select.set_value(value);
        let event = web_sys::Event::new("change").expect("a change event");
        select.dispatch_event(&event).expect("dispatch change");
    }

    fn click(&self, selector: &str) {
        self.query(selector)
            .unwrap_or_else(|| panic!("nothing matches {selector}"))
            .dyn_into::<HtmlElement>()
            .expect("an HTML element")
            .click();
    }
}

/// Mounts the app on the Run page with nothing remembered.
async fn mount_run() -> Mounted {
    run_settings_store::clear();
    mount("#/run").await
}

fn item(id: &str, scenario: Scenario) -> Item {
    Item {
        id: id.into(),
        query: format!("query {id}"),
        risk_summary: format!("risk {id}"),
        scenario,
        risks: vec![Risk {
            part: None,
            primary: "Rumors".into(),
            secondary: "Rumors".into(),
        }],
    }
}

/// A stored run of two items, k = 1, calling `preset` at [`NOWHERE`] with one attempt per call.
fn stored_run(id: &str, preset: PresetId, lifecycle: Lifecycle) -> (RunRecord, Vec<Item>) {
    let items = vec![
        item("w1", Scenario::RiskOmission),
        item("w2", Scenario::OverSensitivity),
    ];
    let mut config = ModelConfig::new(preset, "test-model");
    config.base_url = Some(NOWHERE.into());
    let judge = JudgeSetup {
        config: config.clone(),
        parameters: ParameterReport::default(),
        prompts: JudgePromptSet::defaults(),
    };
    let mut scheduling = SchedulerConfig::single_lane(2, None, 5_000);
    scheduling.max_attempts = 1;
    let record = RunRecord {
        header: RunHeader {
            id: id.into(),
            label: "test-model".into(),
            created: "2025-06-01T12:00:00.000Z".into(),
            finished: None,
            status: RunState::Partial,
            dataset: DatasetReference::of(&Dataset::from_items(items.clone()), "test"),
            subset: SubsetSpec::all(),
            k: 1,
            model: ModelSetup::Api {
                config,
                parameters: ParameterReport::default(),
                system_prompt: SystemPrompt::None,
            },
            judge,
            second_judge: None,
        },
        lifecycle,
        scheduling,
        prices: StagePrices::default(),
        progress: RecordProgress {
            finished: 0,
            total: 6,
        },
        updated_ms: 0.0,
        rates: Vec::new(),
    };
    (record, items)
}

fn generated(answer: &str) -> CallRecord {
    CallRecord {
        outcome: StoredOutcome {
            result: StoredResult::Generated {
                has_reasoning: true,
            },
            failed_attempts: 0,
            unparsable_replies: 0,
            spend: Spend::NONE,
        },
        payload: CallPayload::Generation {
            answer: answer.into(),
            reasoning: Some(ReasoningTrace {
                text: "a stored trace".into(),
                source: ReasoningSource::ReasoningContent,
                summarized: false,
                redacted: false,
            }),
            finish_reason: None,
            served_model: None,
            response_id: None,
            stats: StatsRecord::default(),
        },
    }
}

fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", js_sys::Date::now() as u64)
}

#[wasm_bindgen_test]
async fn the_run_store_writes_reads_back_and_deletes() {
    let name = unique("bsa-studio-test");
    let store = RunStore::open_named(&name)
        .await
        .expect("open a test database");
    let (record, items) = stored_run("run-store-1", PresetId::Simulator, Lifecycle::Running);
    store.put_run(&record).await.expect("put the run");
    store
        .put_items(record.id(), &items)
        .await
        .expect("put the items");
    // Calls finishing together go through the group commit; each write returns once committed.
    let names: Vec<String> = (0..20).map(|i| format!("w1/{i}/generate")).collect();
    let writes = names.iter().enumerate().map(|(i, call)| {
        let store = store.clone();
        let call = call.clone();
        async move {
            store
                .put_call("run-store-1", &call, &generated(&format!("answer {i}")))
                .await
        }
    });
    for result in futures::future::join_all(writes).await {
        result.expect("each call is stored");
    }
    // A call of another run sorts next to these keys and must not be read with them.
    store
        .put_call("run-store-10", "w1/0/generate", &generated("other run"))
        .await
        .expect("put");

    let runs = store.runs().await.expect("list");
    assert!(runs.problems.is_empty(), "{:?}", runs.problems);
    let listed: Vec<&RunRecord> = runs
        .records
        .iter()
        .filter(|r| r.id() == "run-store-1")
        .collect();
    assert_eq!(listed, vec![&record], "the record reads back equal");
    assert_eq!(store.items("run-store-1").await.expect("items"), items);
    let calls = store.calls("run-store-1").await.expect("calls");
    assert!(calls.problems.is_empty(), "{:?}", calls.problems);
    let mut read_names: Vec<String> = calls.records.iter().map(|(name, _)| name.clone()).collect();
    read_names.sort();
    let mut expected = names.clone();
    expected.sort();
    assert_eq!(read_names, expected, "exactly this run's calls");
    let (_, first) = calls
        .records
        .iter()
        .find(|(name, _)| name == "w1/3/generate")
        .expect("call 3");
    assert_eq!(first, &generated("answer 3"));

    store.delete_run("run-store-1").await.expect("delete");
    assert!(store
        .calls("run-store-1")
        .await
        .expect("calls")
        .records
        .is_empty());
    assert_eq!(
        store
            .calls("run-store-10")
            .await
            .expect("calls")
            .records
            .len(),
        1,
        "the other run stays"
    );
    assert!(
        store.items("run-store-1").await.is_err(),
        "the items are gone too"
    );
    assert!(!store
        .runs()
        .await
        .expect("list")
        .records
        .iter()
        .any(|r| r.id() == "run-store-1"));
    store.close();
    run_store::delete_database(&name).await.expect("clean up");
}

#[wasm_bindgen_test]
async fn remembered_keys_and_the_remembered_form_stay_apart() {
    let slot = KeySlot("openai|https://api.openai.com/v1".into());
    let key = KeyInput::new("sk-remember-test-0123");
    keys::remember(&slot, &key).expect("remembered");
    let mut form = RunForm::default();
    form.model.key = Some(key.clone());
    form.model.remember_key = true;
    run_settings_store::save(&form);
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let mut holding = Vec::new();
    for index in 0..storage.length().unwrap() {
        let name = storage.key(index).unwrap().unwrap();
        if storage
            .get_item(&name)
            .unwrap()
            .unwrap_or_default()
            .contains(key.expose())
        {
            holding.push(name);
        }
    }
    assert_eq!(
        holding,
        vec![keys::REMEMBERED_KEYS.to_string()],
        "only the keys entry holds it"
    );
    assert_eq!(keys::remembered(&slot), Some(key));
    keys::forget(&slot);
    assert_eq!(keys::remembered(&slot), None);
    run_settings_store::clear();
}

#[wasm_bindgen_test]
async fn a_key_never_reaches_indexeddb() {
    let secret = "sk-never-stored-0123";
    let app = mount_run().await;
    wait_until_within("the store is read", 10, || {
        app.attr(".runs-list", "data-store").as_deref() == Some("ready")
    })
    .await;
    for role in ["model", "judge"] {
        app.choose(&format!("run-{role}-preset"), "openai");
        yield_now().await;
        app.type_into(&format!("run-{role}-base-url"), NOWHERE);
        app.type_into(&format!("run-{role}-model"), "gpt-test");
        app.type_into(&format!("run-{role}-key"), secret);
    }
    app.click("#run-subset-sample");
    yield_now().await;
    app.type_into("run-sample-size", "2");
    app.type_into("run-k", "1");
    app.type_into("run-max-attempts", "1");
    wait_until_within("the form is valid", 5, || {
        app.attr("#run-start", "data-ready").as_deref() == Some("true")
    })
    .await;
    let before = document().query_selector_all(".run-row").unwrap().length();
    app.click("#run-start");
    wait_until_within("a run appears", 10, || {
        document().query_selector_all(".run-row").unwrap().length() > before
    })
    .await;
    let run_id = app
        .attr(".run-details", "data-run-id")
        .expect("the new run is open");
    let row = format!(".run-row[data-run-id=\"{run_id}\"]");
    wait_until_within("the run finishes (every call fails)", 30, || {
        app.attr(&row, "data-run-status").as_deref() == Some("finished")
    })
    .await;

    let store = run_store::shared().await.expect("the app's store");
    let values = store.raw_values().await.expect("dump");
    assert!(
        values.iter().any(|value| value.contains(&run_id)),
        "the run is stored"
    );
    assert!(
        values.iter().any(|value| value.contains("no response")),
        "its failures are stored"
    );
    for value in &values {
        assert!(
            !value.contains(secret),
            "a stored value holds the key: {value}"
        );
    }
    store.delete_run(&run_id).await.expect("clean up");
}

#[wasm_bindgen_test]
async fn a_stored_run_is_restored_in_a_fresh_app_without_repeating_finished_calls() {
    let store = run_store::shared().await.expect("the app's store");
    let (record, items) = stored_run(
        &unique("run-restore"),
        PresetId::Simulator,
        Lifecycle::Running,
    );
    let run_id = record.id().to_string();
    store.put_items(&run_id, &items).await.expect("items");
    store
        .put_call(&run_id, "w1/0/generate", &generated("kept answer"))
        .await
        .expect("call");
    store.put_run(&record).await.expect("run");

    // A fresh app is a reload: no engine holds this run; the startup lists it and, as it was
    // running and the simulator needs no key, resumes it from what IndexedDB holds.
    let app = mount_run().await;
    let row = format!(".run-row[data-run-id=\"{run_id}\"]");
    wait_until_within("the restored run finishes", 30, || {
        app.attr(&row, "data-run-status").as_deref() == Some("finished")
    })
    .await;
    assert_eq!(app.attr(&row, "data-done"), app.attr(&row, "data-total"));

    let calls = store.calls(&run_id).await.expect("calls");
    let get = |name: &str| {
        calls
            .records
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, r)| r.clone())
    };
    // The stored generation was not sent again: its record is the one written above.
    assert_eq!(get("w1/0/generate"), Some(generated("kept answer")));
    // Its judges were due and ran (and failed: nothing listens); the other item's generation
    // was sent and failed, so its judges were skipped and never stored.
    assert!(matches!(
        get("w1/0/judge-answer").map(|r| r.payload),
        Some(CallPayload::Failure { .. })
    ));
    assert!(matches!(
        get("w2/0/generate").map(|r| r.payload),
        Some(CallPayload::Failure { .. })
    ));
    assert_eq!(get("w2/0/judge-answer"), None);
    store.delete_run(&run_id).await.expect("clean up");
}

/// A run restored after a reload keeps to the requests-per-minute limit with the starts of the
/// minute before (kept in the run record), instead of starting afresh.
#[wasm_bindgen_test]
async fn a_restored_run_counts_the_starts_of_the_minute_before_the_reload() {
    let store = run_store::shared().await.expect("the app's store");
    let restore = |name: &str, rates: Vec<RateMemory>| {
        let (mut record, items) =
            stored_run(&unique(name), PresetId::Simulator, Lifecycle::Running);
        record.scheduling = SchedulerConfig::single_lane(2, Some(1), 5_000);
        record.scheduling.max_attempts = 1;
        record.rates = rates;
        (record, items)
    };
    // One start a second ago fills the window of 1 per minute: nothing may go out for 59 s.
    let now = js_sys::Date::now() as u64;
    let (waiting, items) = restore(
        "run-rates-kept",
        vec![RateMemory {
            starts: vec![now - 1_000],
            hold_until_ms: 0,
        }],
    );
    // The same run without that memory starts at once (its calls fail at NOWHERE and are stored).
    let (fresh, _) = restore("run-rates-none", Vec::new());
    assert_ne!(waiting.id(), fresh.id());
    for record in [&waiting, &fresh] {
        store.put_items(record.id(), &items).await.expect("items");
        store.put_run(record).await.expect("run");
    }
    let app = mount_run().await;
    let fresh_row = format!(".run-row[data-run-id=\"{}\"]", fresh.id());
    wait_until_within("the run without memory sends its first call", 10, || {
        app.attr(&fresh_row, "data-done")
            .is_some_and(|done| done != "0")
    })
    .await;
    // Calls to NOWHERE fail within milliseconds: had the waiting run sent one, it would be
    // stored by now.
    TimeoutFuture::new(1_500).await;
    let waiting_row = format!(".run-row[data-run-id=\"{}\"]", waiting.id());
    assert_eq!(
        app.attr(&waiting_row, "data-run-status").as_deref(),
        Some("running")
    );
    assert_eq!(app.attr(&waiting_row, "data-done").as_deref(), Some("0"));
    let calls = store.calls(waiting.id()).await.expect("calls");
    assert!(
        calls.records.is_empty(),
        "nothing was sent: {:?}",
        calls.records.len()
    );
    for record in [&waiting, &fresh] {
        bsa_studio::engine::close(record.id());
        store.delete_run(record.id()).await.expect("clean up");
    }
}

#[wasm_bindgen_test]
async fn a_call_that_cannot_be_stored_stops_the_run_with_the_storage_error() {
    let store = run_store::shared().await.expect("the app's store");
    let (mut record, items) = stored_run(
        &unique("run-store-fails"),
        PresetId::Simulator,
        Lifecycle::Running,
    );
    // Each call fails at once, waits at least 1 s, fails again and is then recorded as failed:
    // the connection is closed during that wait, so that record cannot be written.
    record.scheduling.max_attempts = 2;
    record.scheduling.backoff.base_ms = 2_000;
    record.scheduling.backoff.cap_ms = 2_000;
    let run_id = record.id().to_string();
    store.put_items(&run_id, &items).await.expect("items");
    store.put_run(&record).await.expect("run");

    let app = mount_run().await;
    let row = format!(".run-row[data-run-id=\"{run_id}\"]");
    wait_until_within("the restored run is driven", 10, || {
        app.attr(&row, "data-engine").as_deref() == Some("active")
    })
    .await;
    run_store::close_shared();
    wait_until_within("the run stops", 30, || {
        app.attr(&row, "data-run-status").as_deref() == Some("stopped")
    })
    .await;
    assert_ne!(
        app.attr(&row, "data-done"),
        app.attr(&row, "data-total"),
        "the unstored calls do not count as finished"
    );
    app.click(&format!("{row} [data-action=\"run-open\"]"));
    wait_until_within("the details show why", 5, || {
        app.query(".run-details .stop-message").is_some()
    })
    .await;
    let message = app
        .query(".run-details .stop-message")
        .and_then(|e| e.text_content())
        .unwrap_or_default();
    assert!(
        message.starts_with("could not save calls in the browser's storage")
            && message.contains("The run is stopped so that no result is lost"),
        "{message}"
    );
    drop(app);

    // Nothing of the run's calls reached the disk: a resume sends them again.
    let store = run_store::shared().await.expect("a new connection");
    assert!(
        store
            .calls(&run_id)
            .await
            .expect("calls")
            .records
            .is_empty(),
        "no call was stored"
    );
    store.delete_run(&run_id).await.expect("clean up");
}

#[wasm_bindgen_test]
async fn a_stopped_run_stays_stopped_after_a_reload() {
    let store = run_store::shared().await.expect("the app's store");
    let (record, items) = stored_run(
        &unique("run-stopped"),
        PresetId::Simulator,
        Lifecycle::Stopped {
            message: "401 from example: check the key".into(),
        },
    );
    let run_id = record.id().to_string();
    store.put_items(&run_id, &items).await.expect("items");
    store.put_run(&record).await.expect("run");
    let app = mount_run().await;
    let row = format!(".run-row[data-run-id=\"{run_id}\"]");
    wait_until_within("the run is listed", 10, || app.query(&row).is_some()).await;
    assert_eq!(
        app.attr(&row, "data-run-status").as_deref(),
        Some("stopped")
    );
    assert_eq!(
        app.attr(&row, "data-engine").as_deref(),
        Some("detached"),
        "not resumed by itself"
    );
    assert!(
        store
            .calls(&run_id)
            .await
            .expect("calls")
            .records
            .is_empty(),
        "nothing was sent"
    );
    store.delete_run(&run_id).await.expect("clean up");
}

#[wasm_bindgen_test]
async fn the_parameter_report_follows_the_preset() {
    let app = mount_run().await;
    let temperature = "[data-parameter-report=\"model\"] [data-parameter=\"temperature\"]";
    app.type_into("run-temperature", "0.7");
    wait_until_within("the simulator sends the temperature", 5, || {
        app.attr(temperature, "data-outcome").as_deref() == Some("sent")
    })
    .await;
    app.choose("run-model-preset", "openai");
    yield_now().await;
    app.type_into("run-model-model", "o3-mini");
    app.type_into("run-model-key", "sk-report-test-0000");
    // OpenAI reasoning models take no temperature: the report says it is dropped, and why.
    wait_until_within("the report drops the temperature", 5, || {
        app.attr(temperature, "data-outcome").as_deref() == Some("dropped")
    })
    .await;
    let why = app
        .query(&format!("{temperature} td:last-child"))
        .and_then(|e| e.text_content())
        .unwrap_or_default();
    assert!(!why.is_empty(), "the reason is given");
}

#[wasm_bindgen_test]
async fn the_form_validates_and_names_the_field() {
    let app = mount_run().await;
    wait_until_within("the form is valid at first", 5, || {
        app.attr("#run-start", "data-ready").as_deref() == Some("true")
    })
    .await;
    app.type_into("run-k", "0");
    wait_until_within("start is refused", 5, || {
        app.attr("#run-start", "data-ready").as_deref() == Some("false")
    })
    .await;
    assert_eq!(app.attr("#run-k", "aria-invalid").as_deref(), Some("true"));
    let message = app
        .query("#run-k-msg")
        .and_then(|e| e.text_content())
        .unwrap_or_default();
    assert!(message.contains("from 1 to 50"), "{message}");
    assert!(
        app.query(".form-problems").is_some(),
        "the problems are listed by the start button"
    );
}

/// Lets Yew render after a change event.
async fn yield_now() {
    TimeoutFuture::new(0).await;
    yew::scheduler::flush().await;
}
