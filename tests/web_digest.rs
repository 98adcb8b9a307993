//! Browser tests of the dataset checksum computed with WebCrypto (`services::digest`), and of the
//! load path that uses it: the checksum a loaded file shows must be the SHA-256 the core's `sha2`
//! computes of the same bytes, and the `performance.measure` entries the benchmarks read must be
//! recorded; and the idle wait that the dataset reader's warm-up uses (`services::idle`). Run in
//! headless Chromium by wasm-bindgen-test, on 127.0.0.1 (a secure context, so
//! WebCrypto is there).
#![cfg(target_arch = "wasm32")]

use bsa_core::dataset::read::sha256_hex;
use bsa_studio::services::digest::Sha256Digest;
use bsa_studio::services::{idle, user_timing};
use bsa_studio::state::dataset::SAMPLE_CSV;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlInputElement;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/app.rs"]
mod app;
use app::{mount, wait_until, Mounted};

#[wasm_bindgen_test]
async fn webcrypto_gives_the_sha2_digest() {
    let cases: [&[u8]; 3] = [b"", b"abc", SAMPLE_CSV.as_bytes()];
    for bytes in cases {
        let digest = Sha256Digest::start(bytes);
        assert!(digest.is_native(), "WebCrypto is available on 127.0.0.1");
        assert_eq!(digest.hex(bytes).await, sha256_hex(bytes));
    }
    // And the text is the published form of known digests (FIPS 180-2 B.1; the empty input).
    let abc = Sha256Digest::start(b"abc").hex(b"abc").await;
    assert_eq!(
        abc,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    let empty = Sha256Digest::start(b"").hex(b"").await;
    assert_eq!(
        empty,
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

#[wasm_bindgen_test]
async fn the_bytes_may_change_once_the_digest_has_started() {
    // The browser copies the bytes when the digest starts (they live in WebAssembly memory,
    // which the reader may reuse meanwhile): overwriting them must not change the result.
    let mut bytes = b"the dataset as it was read".to_vec();
    let expected = sha256_hex(&bytes);
    let digest = Sha256Digest::start(&bytes);
    bytes.fill(b'x');
    assert_eq!(
        digest.hex(b"never hashed: WebCrypto has it").await,
        expected
    );
}

impl Mounted {
    fn text(&self, selector: &str) -> String {
        self.root
            .query_selector(selector)
            .expect("a valid selector")
            .and_then(|element| element.text_content())
            .unwrap_or_default()
    }
}

fn measure_count(name: &str) -> u32 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map(|performance| performance.get_entries_by_name(name).length())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn a_loaded_file_shows_its_checksum_and_is_timed() {
    let app = mount("#/dataset").await;
    // Three made-up rows, one of each scenario.
    let text = "id,query,risk_summary,dataset_name,label\n\
                d1,q one,r one,Risk Omission,Rumors-Rumors with Negative Impact\n\
                d2,q two,\"Query A: r\nQuery B: r\",Cognitive Shortcut,\"Query A: Rumors-Rumors with Negative Impact\nQuery B: Ethics and Morality-AI Ethics\"\n\
                d3,q three,r three,Over Sensitivity,Pornography-Child Pornography\n";
    let reads_before = measure_count(user_timing::DATASET_READ);
    let input: HtmlInputElement = app
        .root
        .query_selector("#dataset-file")
        .expect("a valid selector")
        .expect("a file input")
        .dyn_into()
        .expect("an input");
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let file = web_sys::File::new_with_str_sequence(&parts, "three.csv").expect("a file");
    let transfer = web_sys::DataTransfer::new().expect("a DataTransfer");
    transfer.items().add_with_file(&file).expect("add the file");
    input.set_files(transfer.files().as_ref());
    input
        .dispatch_event(&web_sys::Event::new("change").expect("a change event"))
        .expect("dispatch change");

    // "3 (the full benchmark has 2000)".
    wait_until("the file is loaded", || {
        app.text(".item-count").starts_with("3 ")
    })
    .await;
    // The checksum of exactly these bytes (the file holds the text as UTF-8), computed here by
    // the sha2 crate, not by WebCrypto.
    assert_eq!(app.text(".checksum"), sha256_hex(text.as_bytes()));
    assert!(app.text(".overview").contains("not the official file"));
    // One whole-read measure and one of each step.
    assert_eq!(measure_count(user_timing::DATASET_READ), reads_before + 1);
    for step in [
        user_timing::DATASET_PARSE,
        user_timing::DATASET_CHECKSUM_WAIT,
        user_timing::DATASET_INDEX,
    ] {
        assert!(measure_count(step) >= 1, "{step} is measured");
    }
}

#[wasm_bindgen_test]
async fn the_first_render_is_marked() {
    let _app = mount("#/dataset").await;
    assert!(
        measure_count(user_timing::READY) >= 1,
        "bsa-ready is marked"
    );
}

#[wasm_bindgen_test]
async fn an_idle_period_tells_how_much_of_it_is_left() {
    let period = idle::idle().await;
    // Chromium has `requestIdleCallback`: the period is known, and never longer than 50 ms.
    assert!(period.has_left(0.0), "the deadline reached the caller");
    assert!(!period.has_left(1_000.0));
    // A round of the warm-up reads the whole sample, as the load at start does.
    let sample = bsa_studio::state::dataset::read_candidate(
        &bsa_studio::state::dataset::DatasetOrigin::Sample,
        SAMPLE_CSV.as_bytes(),
    );
    let bsa_studio::state::dataset::DatasetCandidate::Valid(data) = sample else {
        panic!("the sample reads cleanly");
    };
    assert_eq!(
        bsa_studio::state::dataset::warm_up_round(),
        data.dataset.len()
    );
}
