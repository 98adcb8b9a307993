//! The runs kept in this browser: IndexedDB database `bsa-studio` with three stores.
//!
//! | store | key | value (JSON text) |
//! |---|---|---|
//! | `runs` | run id | a [`RunRecord`]: header, lifecycle, scheduling, prices, progress |
//! | `items` | run id | the run's items in plan order, so a run resumes and exports without the dataset it came from |
//! | `calls` | `[run id, call name]` | a [`CallRecord`] per finished call |
//!
//! [`RunStore`] is the one handle; every method returns a typed [`StoreError`]. Values are JSON
//! text rather than structured-clone objects: the core's types already serialize, one encoding
//! serves storage and exports, and a reader can tell a record written by another version.
//!
//! Call records go through a small group commit ([`RunStore::put_call`]): calls that finish in
//! the same turn of the event loop are written in one transaction, and each caller still waits
//! until its own record is committed (the engine's resume guarantee depends on that: it counts a
//! call as finished only then). A new batch does not wait for the previous one to commit:
//! IndexedDB orders the transactions, and waiting would add a commit's time to every call that
//! finishes during one. Records are put in the order `put_call` was called: a flush takes every
//! pending record, in call order, and creates its transaction before its first `await`; flushes
//! run in the order they were scheduled, and IndexedDB runs read-write transactions over the
//! same store in the order they were created (and a transaction's puts in request order). So a
//! record never commits before one put earlier. If an earlier transaction fails, though, a later
//! one may still commit: so the engine does not rely on this order alone, and sends a judge call
//! only once its generation's record is committed. Call writes ask for `relaxed` durability:
//! committed once the data is handed to the operating system, which survives a reload or a
//! crashed tab (what resuming is about) and skips a disk flush per call. A call keeps its place
//! in the concurrency limit until its record is committed, so the write's time (a few
//! milliseconds, see BENCHMARKS.md) is part of every call's.
//!
//! Architecture invariant: nothing here ever sees an API key; the types it stores have no field
//! for one.

mod idb;

use crate::state::run::record::{CallRecord, RunRecord};
use bsa_core::dataset::Item;
use futures_channel::oneshot;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{IdbDatabase, IdbKeyRange, IdbTransactionMode};

/// The database name.
pub const DATABASE: &str = "bsa-studio";
const VERSION: u32 = 1;
const RUNS: &str = "runs";
const ITEMS: &str = "items";
const CALLS: &str = "calls";

/// Why storage failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// IndexedDB cannot be used here (private window, disabled storage, no browser).
    Unavailable { detail: String },
    /// An operation failed (quota exceeded, a broken database).
    Failed {
        action: &'static str,
        detail: String,
    },
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Unavailable { detail } => write!(
                f,
                "this browser does not let the page keep runs ({detail}); runs cannot be saved \
                 or resumed (a private window, or storage turned off for this site?)"
            ),
            StoreError::Failed { action, detail } => {
                write!(f, "could not {action} in the browser's storage: {detail}")
            }
        }
    }
}

impl std::error::Error for StoreError {}

fn failed(action: &'static str) -> impl Fn(JsValue) -> StoreError {
    move |error| StoreError::Failed {
        action,
        detail: idb::error_text(&error),
    }
}

/// Records read back, and the ones that could not be (named, with the reason).
#[derive(Clone, Debug)]
pub struct Read<T> {
    pub records: Vec<T>,
    pub problems: Vec<String>,
}

impl<T> Default for Read<T> {
    fn default() -> Self {
        Read {
            records: Vec::new(),
            problems: Vec::new(),
        }
    }
}

struct Pending {
    key: JsValue,
    value: String,
    done: oneshot::Sender<Result<(), StoreError>>,
}

#[derive(Default)]
struct CallWriter {
    pending: Vec<Pending>,
    /// A flush is scheduled for this turn and has not taken the pending records yet.
    scheduled: bool,
}

struct Inner {
    db: IdbDatabase,
    writer: RefCell<CallWriter>,
}

/// The open database; cheap to clone.
#[derive(Clone)]
pub struct RunStore {
    inner: Rc<Inner>,
}

impl PartialEq for RunStore {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

fn to_json<T: Serialize>(value: &T, action: &'static str) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|error| StoreError::Failed {
        action,
        detail: error.to_string(),
    })
}

fn call_key(run_id: &str, call: &str) -> JsValue {
    js_sys::Array::of2(&JsValue::from_str(run_id), &JsValue::from_str(call)).into()
}

/// Every key `[run_id, <any call name>]`: strings sort before arrays in IndexedDB's key order,
/// so `[run_id, ""]` to `[run_id, []]` spans exactly the run's calls.
fn run_calls_range(run_id: &str) -> Result<IdbKeyRange, JsValue> {
    let lower = call_key(run_id, "");
    let upper: JsValue =
        js_sys::Array::of2(&JsValue::from_str(run_id), &js_sys::Array::new()).into();
    IdbKeyRange::bound(&lower, &upper)
}

impl RunStore {
    /// Opens (and on first use creates) the database.
    pub async fn open() -> Result<RunStore, StoreError> {
        RunStore::open_named(DATABASE).await
    }

    /// Opens a database of another name (browser tests use their own).
    pub async fn open_named(name: &str) -> Result<RunStore, StoreError> {
        let db = idb::open(name, VERSION, |db| {
            let names = db.object_store_names();
            for store in [RUNS, ITEMS, CALLS] {
                if !names.contains(store) {
                    db.create_object_store(store)?;
                }
            }
            Ok(())
        })
        .await
        .map_err(|error| StoreError::Unavailable {
            detail: idb::error_text(&error),
        })?;
        Ok(RunStore {
            inner: Rc::new(Inner {
                db,
                writer: RefCell::new(CallWriter::default()),
            }),
        })
    }

    fn transaction(
        &self,
        stores: &[&str],
        mode: IdbTransactionMode,
        action: &'static str,
    ) -> Result<web_sys::IdbTransaction, StoreError> {
        let names = js_sys::Array::new();
        for store in stores {
            names.push(&JsValue::from_str(store));
        }
        self.inner
            .db
            .transaction_with_str_sequence_and_mode(&names, mode)
            .map_err(failed(action))
    }

    /// A read-write transaction with `relaxed` durability (see the module docs). Through
    /// `Reflect` because web-sys marks the options argument unstable; a browser without it
    /// ignores the extra argument and uses its default durability.
    fn relaxed_transaction(
        &self,
        store: &str,
        action: &'static str,
    ) -> Result<web_sys::IdbTransaction, StoreError> {
        let options = js_sys::Object::new();
        js_sys::Reflect::set(&options, &"durability".into(), &"relaxed".into())
            .map_err(failed(action))?;
        let open =
            js_sys::Reflect::get(&self.inner.db, &"transaction".into()).map_err(failed(action))?;
        let open: js_sys::Function = open.dyn_into().map_err(failed(action))?;
        open.call3(&self.inner.db, &store.into(), &"readwrite".into(), &options)
            .map_err(failed(action))?
            .dyn_into()
            .map_err(failed(action))
    }

    async fn put(
        &self,
        store: &str,
        key: &JsValue,
        value: String,
        action: &'static str,
    ) -> Result<(), StoreError> {
        let transaction = self.transaction(&[store], IdbTransactionMode::Readwrite, action)?;
        transaction
            .object_store(store)
            .and_then(|s| s.put_with_key(&JsValue::from_str(&value), key))
            .map_err(failed(action))?;
        idb::transaction(&transaction).await.map_err(failed(action))
    }

    /// Saves (or replaces) a run's record.
    pub async fn put_run(&self, record: &RunRecord) -> Result<(), StoreError> {
        let value = to_json(record, "save the run")?;
        self.put(RUNS, &JsValue::from_str(record.id()), value, "save the run")
            .await
    }

    /// Saves the items of a run, in plan order.
    pub async fn put_items(&self, run_id: &str, items: &[Item]) -> Result<(), StoreError> {
        let value = to_json(&items, "save the run's items")?;
        self.put(
            ITEMS,
            &JsValue::from_str(run_id),
            value,
            "save the run's items",
        )
        .await
    }

    /// Every stored run; records that do not read are reported by id.
    pub async fn runs(&self) -> Result<Read<RunRecord>, StoreError> {
        let action = "list the runs";
        let transaction = self.transaction(&[RUNS], IdbTransactionMode::Readonly, action)?;
        let store = transaction.object_store(RUNS).map_err(failed(action))?;
        let keys = idb::request(&store.get_all_keys().map_err(failed(action))?)
            .await
            .map_err(failed(action))?;
        let values = idb::request(&store.get_all().map_err(failed(action))?)
            .await
            .map_err(failed(action))?;
        let keys = js_sys::Array::from(&keys);
        let values = js_sys::Array::from(&values);
        let mut read = Read::default();
        for (index, value) in values.iter().enumerate() {
            let key = keys.get(index as u32).as_string().unwrap_or_default();
            decode_into(&mut read, &key, &value);
        }
        Ok(read)
    }

    /// A run's items.
    pub async fn items(&self, run_id: &str) -> Result<Vec<Item>, StoreError> {
        let action = "read the run's items";
        let transaction = self.transaction(&[ITEMS], IdbTransactionMode::Readonly, action)?;
        let request = transaction
            .object_store(ITEMS)
            .and_then(|store| store.get(&JsValue::from_str(run_id)))
            .map_err(failed(action))?;
        let value = idb::request(&request).await.map_err(failed(action))?;
        let text = value.as_string().ok_or_else(|| StoreError::Failed {
            action,
            detail: format!("no items are stored for run {run_id}"),
        })?;
        serde_json::from_str(&text).map_err(|error| StoreError::Failed {
            action,
            detail: format!("the stored items of run {run_id} do not read: {error}"),
        })
    }

    /// Stores one finished call, committed together with any others finishing at the same time
    /// (see the module docs, also for the order of writes). Returns once this record is
    /// committed, or with the error that kept it (and the others of its batch) out.
    pub async fn put_call(
        &self,
        run_id: &str,
        call: &str,
        record: &CallRecord,
    ) -> Result<(), StoreError> {
        let value = to_json(record, "save a call")?;
        let (done, finished) = oneshot::channel();
        let start = {
            let mut writer = self.inner.writer.borrow_mut();
            writer.pending.push(Pending {
                key: call_key(run_id, call),
                value,
                done,
            });
            !std::mem::replace(&mut writer.scheduled, true)
        };
        if start {
            let store = self.clone();
            wasm_bindgen_futures::spawn_local(async move { store.flush_calls().await });
        }
        finished.await.unwrap_or_else(|_| {
            Err(StoreError::Failed {
                action: "save a call",
                detail: "the write was dropped".into(),
            })
        })
    }

    /// Writes the call records pending in this turn as one transaction.
    async fn flush_calls(&self) {
        let batch = {
            let mut writer = self.inner.writer.borrow_mut();
            writer.scheduled = false;
            std::mem::take(&mut writer.pending)
        };
        if batch.is_empty() {
            return;
        }
        let result = self.write_calls(&batch).await;
        for pending in batch {
            let _ = pending.done.send(result.clone());
        }
    }

    async fn write_calls(&self, batch: &[Pending]) -> Result<(), StoreError> {
        let action = "save calls";
        let transaction = self.relaxed_transaction(CALLS, action)?;
        let store = transaction.object_store(CALLS).map_err(failed(action))?;
        for pending in batch {
            store
                .put_with_key(&JsValue::from_str(&pending.value), &pending.key)
                .map_err(failed(action))?;
        }
        idb::transaction(&transaction).await.map_err(failed(action))
    }

    /// Stores many calls in one transaction (an import).
    pub async fn put_calls(
        &self,
        run_id: &str,
        calls: &[(String, CallRecord)],
    ) -> Result<(), StoreError> {
        let action = "save the imported answers";
        let transaction = self.transaction(&[CALLS], IdbTransactionMode::Readwrite, action)?;
        let store = transaction.object_store(CALLS).map_err(failed(action))?;
        for (call, record) in calls {
            let value = to_json(record, action)?;
            store
                .put_with_key(&JsValue::from_str(&value), &call_key(run_id, call))
                .map_err(failed(action))?;
        }
        idb::transaction(&transaction).await.map_err(failed(action))
    }

    /// A run's stored calls (name and record); records that do not read are reported by name.
    pub async fn calls(&self, run_id: &str) -> Result<Read<(String, CallRecord)>, StoreError> {
        let action = "read the run's calls";
        let transaction = self.transaction(&[CALLS], IdbTransactionMode::Readonly, action)?;
        let store = transaction.object_store(CALLS).map_err(failed(action))?;
        let range = run_calls_range(run_id).map_err(failed(action))?;
        let keys = idb::request(
            &store
                .get_all_keys_with_key(&range)
                .map_err(failed(action))?,
        )
        .await
        .map_err(failed(action))?;
        let values = idb::request(&store.get_all_with_key(&range).map_err(failed(action))?)
            .await
            .map_err(failed(action))?;
        let keys = js_sys::Array::from(&keys);
        let values = js_sys::Array::from(&values);
        let mut read = Read::default();
        for (index, value) in values.iter().enumerate() {
            let name = js_sys::Array::from(&keys.get(index as u32))
                .get(1)
                .as_string()
                .unwrap_or_default();
            let mut one: Read<CallRecord> = Read::default();
            decode_into(&mut one, &name, &value);
            read.problems.append(&mut one.problems);
            read.records
                .extend(one.records.into_iter().map(|record| (name.clone(), record)));
        }
        Ok(read)
    }

    /// Deletes a run: its record, items and calls, in one transaction.
    pub async fn delete_run(&self, run_id: &str) -> Result<(), StoreError> {
        let action = "delete the run";
        let transaction =
            self.transaction(&[RUNS, ITEMS, CALLS], IdbTransactionMode::Readwrite, action)?;
        let key = JsValue::from_str(run_id);
        let range = run_calls_range(run_id).map_err(failed(action))?;
        let deleted = (|| -> Result<(), JsValue> {
            transaction.object_store(RUNS)?.delete(&key)?;
            transaction.object_store(ITEMS)?.delete(&key)?;
            transaction.object_store(CALLS)?.delete(&range)?;
            Ok(())
        })();
        deleted.map_err(failed(action))?;
        idb::transaction(&transaction).await.map_err(failed(action))
    }

    /// Closes the connection (a database can only be deleted once every connection is closed).
    pub fn close(&self) {
        self.inner.db.close();
    }

    /// Every stored value of every store, as text, for tests that check what reached the disk.
    pub async fn raw_values(&self) -> Result<Vec<String>, StoreError> {
        let action = "read the stores";
        let mut all = Vec::new();
        for store_name in [RUNS, ITEMS, CALLS] {
            let transaction =
                self.transaction(&[store_name], IdbTransactionMode::Readonly, action)?;
            let store = transaction
                .object_store(store_name)
                .map_err(failed(action))?;
            let values = idb::request(&store.get_all().map_err(failed(action))?)
                .await
                .map_err(failed(action))?;
            let keys = idb::request(&store.get_all_keys().map_err(failed(action))?)
                .await
                .map_err(failed(action))?;
            for value in js_sys::Array::from(&values)
                .iter()
                .chain(js_sys::Array::from(&keys).iter())
            {
                all.push(
                    value
                        .as_string()
                        .or_else(|| {
                            js_sys::JSON::stringify(&value)
                                .ok()
                                .and_then(|s| s.as_string())
                        })
                        .unwrap_or_default(),
                );
            }
        }
        Ok(all)
    }
}

/// Reads one stored JSON value into `read`, or records why it could not be (serde_json's message,
/// with line and column).
///
/// `serde_json::from_str`, as the core's run-file reader uses in the web build: the run header
/// inside a record is then read by the same compiled code as the header of an imported run file.
fn decode_into<T: DeserializeOwned>(read: &mut Read<T>, key: &str, value: &JsValue) {
    let Some(text) = value.as_string() else {
        read.problems
            .push(format!("record {key}: not the text this version stores"));
        return;
    };
    match serde_json::from_str::<T>(&text) {
        Ok(record) => read.records.push(record),
        Err(error) => read
            .problems
            .push(format!("record {key} does not read ({error}): left out")),
    }
}

thread_local! {
    static SHARED: RefCell<Option<RunStore>> = const { RefCell::new(None) };
}

/// The page's one handle on [`DATABASE`], opened on first use.
pub async fn shared() -> Result<RunStore, StoreError> {
    if let Some(store) = SHARED.with(|shared| shared.borrow().clone()) {
        return Ok(store);
    }
    let store = RunStore::open().await?;
    // Two callers may race to open; both handles work, the first kept wins.
    Ok(SHARED.with(|shared| shared.borrow_mut().get_or_insert(store).clone()))
}

/// Closes the page's handle on [`DATABASE`] and forgets it: whoever still holds a clone (a
/// running engine) can no longer write, and the next [`shared`] opens a new connection. Browser
/// tests use it to make an engine's writes fail.
pub fn close_shared() {
    if let Some(store) = SHARED.with(|shared| shared.borrow_mut().take()) {
        store.close();
    }
}

/// Deletes a whole database (browser tests clean up with it). Waits while another connection
/// is open: close it first ([`RunStore::close`]).
pub async fn delete_database(name: &str) -> Result<(), StoreError> {
    let action = "delete the database";
    let factory = web_sys::window()
        .and_then(|window| window.indexed_db().ok().flatten())
        .ok_or(StoreError::Unavailable {
            detail: "no IndexedDB".into(),
        })?;
    let request = factory.delete_database(name).map_err(failed(action))?;
    idb::request(request.unchecked_ref())
        .await
        .map(|_| ())
        .map_err(failed(action))
}
