//! The last run configuration, in localStorage under `bsa-studio.run-form`: the run form as
//! typed, without any key (the form's key fields are not serialized), so the page opens with
//! what the user set last time.

use crate::state::run::form::RunForm;

const RUN_FORM: &str = "bsa-studio.run-form";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The remembered form; `None` when there is none or it does not read (an older version's
/// fields are filled with defaults; anything unreadable is ignored, as a lost form is harmless).
pub fn load() -> Option<RunForm> {
    let text = local_storage()?.get_item(RUN_FORM).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

/// Remembers `form` (its keys are never part of the JSON).
pub fn save(form: &RunForm) {
    let Some(storage) = local_storage() else {
        return;
    };
    let Ok(text) = serde_json::to_string(form) else {
        return;
    };
    if storage.set_item(RUN_FORM, &text).is_err() {
        web_sys::console::warn_1(
            &"BSA Studio: could not remember the run configuration (storage refused)".into(),
        );
    }
}

/// Forgets it (browser tests start from the defaults).
pub fn clear() {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(RUN_FORM);
    }
}
