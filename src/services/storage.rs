//! The user's remembered look, in localStorage, and the system colour scheme.
//!
//! Storage can be missing or refuse writes (private windows, disabled cookies): reads then give
//! nothing and writes are skipped with a console warning, as forgetting a theme is harmless.

use crate::state::preferences::{StoredPreferences, Theme};

const THEME_KEY: &str = "bsa-studio.theme";
const LARGE_TYPE_KEY: &str = "bsa-studio.large-type";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// What was stored earlier; unknown values are ignored.
pub fn load_preferences() -> StoredPreferences {
    let Some(storage) = local_storage() else {
        return StoredPreferences::default();
    };
    let read = |key: &str| storage.get_item(key).ok().flatten();
    StoredPreferences {
        theme: read(THEME_KEY).as_deref().and_then(Theme::parse),
        large_type: read(LARGE_TYPE_KEY).map(|value| value == "true"),
    }
}

/// Remembers the theme and the type size.
pub fn save_preferences(theme: Theme, large_type: bool) {
    let Some(storage) = local_storage() else {
        return;
    };
    let theme_saved = storage.set_item(THEME_KEY, theme.key());
    let size_saved = storage.set_item(LARGE_TYPE_KEY, if large_type { "true" } else { "false" });
    if theme_saved.is_err() || size_saved.is_err() {
        web_sys::console::warn_1(
            &"BSA Studio: could not remember the theme (storage refused)".into(),
        );
    }
}

/// Forgets the stored look (browser tests start from the system default with it).
pub fn clear_preferences() {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(THEME_KEY);
        let _ = storage.remove_item(LARGE_TYPE_KEY);
    }
}

/// Whether the system asks for a dark colour scheme.
pub fn system_prefers_dark() -> bool {
    web_sys::window()
        .and_then(|window| {
            window
                .match_media("(prefers-color-scheme: dark)")
                .ok()
                .flatten()
        })
        .is_some_and(|query| query.matches())
}
