use crate::services::{document, storage};
use crate::state::preferences::Preferences;
use yew::prelude::*;

/// Keeps the document root's classes in line with `preferences`, and remembers choices.
///
/// # Arguments
/// * `preferences`: the current look, from app state.
///
/// The first run only applies the classes: storing the initial look would turn the system's
/// colour scheme of today into a remembered choice.
#[hook]
pub fn use_preferences_sync(preferences: Preferences) {
    let first_run = use_mut_ref(|| true);
    use_effect_with(preferences, move |preferences| {
        document::apply_root_classes(preferences);
        let mut first = first_run.borrow_mut();
        if *first {
            *first = false;
        } else {
            storage::save_preferences(preferences.theme, preferences.large_type);
        }
    });
}
