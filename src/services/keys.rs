//! API keys, kept apart from everything else.
//!
//! - In memory for this page ([`session_key`], [`set_session_key`]): the keys of the runs
//!   started or resumed here. A reload forgets them.
//! - In localStorage, only when the user ticks "remember key on this device": one entry,
//!   `bsa-studio.api-keys`, a JSON object from key slot (preset and address) to key. Nothing
//!   else is ever written there, and no key is ever written anywhere else (not the remembered
//!   configuration, not IndexedDB, not exports, not the console).
//!
//! Storage can refuse writes (private windows); then the key is simply not remembered and the
//! caller says so.

use crate::state::run::endpoint::{KeyInput, KeySlot};
use bsa_core::provider::ApiKey;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// The localStorage entry of remembered keys.
pub const REMEMBERED_KEYS: &str = "bsa-studio.api-keys";

thread_local! {
    static SESSION: RefCell<BTreeMap<KeySlot, ApiKey>> = const { RefCell::new(BTreeMap::new()) };
}

/// The key given for `slot` in this page, if any.
pub fn session_key(slot: &KeySlot) -> Option<ApiKey> {
    SESSION.with(|keys| keys.borrow().get(slot).cloned())
}

/// Holds (or, with `None`, drops) the key for `slot` for the rest of the page's life.
pub fn set_session_key(slot: &KeySlot, key: Option<ApiKey>) {
    SESSION.with(|keys| {
        let mut keys = keys.borrow_mut();
        match key.filter(|key| !key.is_empty()) {
            Some(key) => {
                keys.insert(slot.clone(), key);
            }
            None => {
                keys.remove(slot);
            }
        }
    });
}

/// The key for `slot` from this page or, failing that, the remembered ones.
pub fn available_key(slot: &KeySlot) -> Option<ApiKey> {
    session_key(slot).or_else(|| remembered(slot).and_then(|key| key.api_key()))
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn read_all() -> BTreeMap<String, String> {
    local_storage()
        .and_then(|storage| storage.get_item(REMEMBERED_KEYS).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn write_all(keys: &BTreeMap<String, String>) -> Result<(), String> {
    let storage = local_storage().ok_or("this browser offers no local storage")?;
    let result = if keys.is_empty() {
        storage.remove_item(REMEMBERED_KEYS)
    } else {
        let text = serde_json::to_string(keys).map_err(|error| error.to_string())?;
        storage.set_item(REMEMBERED_KEYS, &text)
    };
    result.map_err(|_| "the browser refused to store it".to_string())
}

/// The remembered key of `slot`.
pub fn remembered(slot: &KeySlot) -> Option<KeyInput> {
    read_all().remove(&slot.0).map(KeyInput::new)
}

/// Remembers `key` for `slot` on this device.
pub fn remember(slot: &KeySlot, key: &KeyInput) -> Result<(), String> {
    let mut keys = read_all();
    keys.insert(slot.0.clone(), key.expose().to_string());
    write_all(&keys)
}

/// Forgets the remembered key of `slot` (the key typed in this page stays until reload).
pub fn forget(slot: &KeySlot) {
    let mut keys = read_all();
    if keys.remove(&slot.0).is_some() {
        let _ = write_all(&keys);
    }
}
