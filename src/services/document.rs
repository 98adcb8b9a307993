//! The document root (`<html>`): the theme and type-size classes live there so that the page
//! background, scroll bars and `rem` sizes follow them too, not only the app's own element.

use crate::state::preferences::{Preferences, Theme, LARGE_TYPE_CLASS};

/// Puts the classes of `preferences` on `<html>` and removes the other ones.
pub fn apply_root_classes(preferences: &Preferences) {
    let Some(root) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element())
    else {
        return;
    };
    let classes = root.class_list();
    // Failures here only mean an old browser without classList: the app still works unthemed.
    for theme in [Theme::Light, Theme::Dark] {
        let _ = classes.toggle_with_force(theme.class(), theme == preferences.theme);
    }
    let _ = classes.toggle_with_force(LARGE_TYPE_CLASS, preferences.large_type);
}
