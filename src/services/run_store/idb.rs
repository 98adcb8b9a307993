//! A few lines of glue between IndexedDB's event callbacks and `async`: [`request`] awaits an
//! `IDBRequest`, [`transaction`] awaits an `IDBTransaction`'s end, [`open`] opens a database
//! and creates its stores when needed.
//!
//! Written by hand rather than with `rexie`, `idb` or `indexed_db_futures` because the app uses
//! five IndexedDB operations (open, put, get, getAll over a key range, delete) and the bundle
//! budget is tight; these crates bring their own error and builder layers for the whole API.
//! Each wait uses one callback for both outcomes (`success`/`error`, or
//! `complete`/`error`/`abort`): exactly one of them fires, so the callback frees itself and
//! nothing leaks per request.

use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbOpenDbRequest, IdbRequest, IdbTransaction};

/// The message of an IndexedDB error value (a `DOMException`, usually).
pub fn error_text(value: &JsValue) -> String {
    if let Some(exception) = value.dyn_ref::<web_sys::DomException>() {
        return format!("{}: {}", exception.name(), exception.message());
    }
    super::super::js_error_text(value)
}

/// Waits for `request` to succeed (its result) or fail (its error).
pub async fn request(request: &IdbRequest) -> Result<JsValue, JsValue> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let settled = request.clone();
        let settle = Closure::once_into_js(move |event: web_sys::Event| {
            if event.type_() == "success" {
                let result = settled.result().unwrap_or(JsValue::UNDEFINED);
                let _ = resolve.call1(&JsValue::NULL, &result);
            } else {
                let error = settled
                    .error()
                    .ok()
                    .flatten()
                    .map(JsValue::from)
                    .unwrap_or_else(|| JsValue::from_str("the request failed"));
                let _ = reject.call1(&JsValue::NULL, &error);
            }
        });
        let callback = settle.unchecked_ref::<js_sys::Function>();
        request.set_onsuccess(Some(callback));
        request.set_onerror(Some(callback));
    });
    JsFuture::from(promise).await
}

/// Waits for `transaction` to commit; an error or abort rejects with its reason.
pub async fn transaction(transaction: &IdbTransaction) -> Result<(), JsValue> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let settled = transaction.clone();
        let settle = Closure::once_into_js(move |event: web_sys::Event| {
            if event.type_() == "complete" {
                let _ = resolve.call0(&JsValue::NULL);
            } else {
                let error = settled.error().map(JsValue::from).unwrap_or_else(|| {
                    JsValue::from_str(&format!("the transaction ended with {}", event.type_()))
                });
                let _ = reject.call1(&JsValue::NULL, &error);
            }
        });
        let callback = settle.unchecked_ref::<js_sys::Function>();
        transaction.set_oncomplete(Some(callback));
        transaction.set_onerror(Some(callback));
        transaction.set_onabort(Some(callback));
    });
    JsFuture::from(promise).await.map(|_| ())
}

/// Opens database `name` at `version`; `upgrade` creates or changes the stores when the
/// database is new or older.
pub async fn open(
    name: &str,
    version: u32,
    upgrade: impl Fn(&IdbDatabase) -> Result<(), JsValue> + 'static,
) -> Result<IdbDatabase, JsValue> {
    let factory = web_sys::window()
        .ok_or_else(|| JsValue::from_str("no browser window"))?
        .indexed_db()?
        .ok_or_else(|| JsValue::from_str("this browser offers no IndexedDB"))?;
    let opening: IdbOpenDbRequest = factory.open_with_u32(name, version)?;
    let failure: Rc<RefCell<Option<JsValue>>> = Rc::new(RefCell::new(None));
    let on_upgrade = {
        let opening = opening.clone();
        let failure = failure.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_event: web_sys::Event| {
            let database = opening
                .result()
                .ok()
                .and_then(|value| value.dyn_into::<IdbDatabase>().ok());
            match database {
                Some(database) => {
                    if let Err(error) = upgrade(&database) {
                        *failure.borrow_mut() = Some(error);
                    }
                }
                None => *failure.borrow_mut() = Some(JsValue::from_str("no database to upgrade")),
            }
        })
    };
    opening.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
    let result = request(&opening).await;
    opening.set_onupgradeneeded(None);
    // The upgrade callback is no longer referenced by the request: drop it here.
    drop(on_upgrade);
    if let Some(error) = failure.borrow_mut().take() {
        return Err(error);
    }
    result?.dyn_into::<IdbDatabase>()
}
