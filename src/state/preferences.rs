//! How the app looks: [`Theme`] (light or dark) and large type for talks, as [`Preferences`].
//!
//! The initial value comes from what the user chose last time (read by
//! [`crate::services::storage`]) or, failing that, the system's colour scheme; the reducer only
//! records choices, and an effect in [`crate::hooks::use_preferences_sync`] writes them back and
//! puts the matching classes on the document root.

use serde::{Deserialize, Serialize};

/// The colour theme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    /// The CSS class on the root element that selects the theme's custom properties.
    pub fn class(self) -> &'static str {
        match self {
            Theme::Light => "theme-light",
            Theme::Dark => "theme-dark",
        }
    }

    /// The word stored in localStorage.
    pub fn key(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// Reads a stored word; anything else (an older or edited value) is ignored.
    pub fn parse(text: &str) -> Option<Theme> {
        match text.trim() {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }

    pub fn other(self) -> Theme {
        match self {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        }
    }
}

/// What the user chose earlier, as far as storage knows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StoredPreferences {
    pub theme: Option<Theme>,
    pub large_type: Option<bool>,
}

/// The class on the root element for large type.
pub const LARGE_TYPE_CLASS: &str = "type-large";

/// The look of the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preferences {
    pub theme: Theme,
    /// Larger type and wider spacing, for projectors.
    pub large_type: bool,
}

impl Preferences {
    /// A stored choice wins; otherwise the system's colour scheme and normal type.
    pub fn initial(stored: StoredPreferences, system_prefers_dark: bool) -> Preferences {
        let system = if system_prefers_dark {
            Theme::Dark
        } else {
            Theme::Light
        };
        Preferences {
            theme: stored.theme.unwrap_or(system),
            large_type: stored.large_type.unwrap_or(false),
        }
    }

    /// The classes for the root element, e.g. `theme-dark type-large`.
    pub fn root_classes(&self) -> Vec<&'static str> {
        let mut classes = vec![self.theme.class()];
        if self.large_type {
            classes.push(LARGE_TYPE_CLASS);
        }
        classes
    }

    pub fn apply(&mut self, action: PreferencesAction) {
        match action {
            PreferencesAction::SetTheme { theme } => self.theme = theme,
            PreferencesAction::SetLargeType { enabled } => self.large_type = enabled,
        }
    }
}

/// Changes to [`Preferences`].
#[derive(Clone, Debug, PartialEq)]
pub enum PreferencesAction {
    SetTheme { theme: Theme },
    SetLargeType { enabled: bool },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_choice_wins_over_the_system_scheme() {
        let stored = StoredPreferences {
            theme: Some(Theme::Light),
            large_type: Some(true),
        };
        let preferences = Preferences::initial(stored, true);
        assert_eq!(
            preferences,
            Preferences {
                theme: Theme::Light,
                large_type: true
            }
        );
    }

    #[test]
    fn system_scheme_is_the_default() {
        let preferences = Preferences::initial(StoredPreferences::default(), true);
        assert_eq!(preferences.theme, Theme::Dark);
        assert!(!preferences.large_type);
        let preferences = Preferences::initial(StoredPreferences::default(), false);
        assert_eq!(preferences.theme, Theme::Light);
    }

    #[test]
    fn actions_change_the_root_classes() {
        let mut preferences = Preferences {
            theme: Theme::Light,
            large_type: false,
        };
        assert_eq!(preferences.root_classes(), ["theme-light"]);
        preferences.apply(PreferencesAction::SetTheme { theme: Theme::Dark });
        preferences.apply(PreferencesAction::SetLargeType { enabled: true });
        assert_eq!(preferences.root_classes(), ["theme-dark", "type-large"]);
    }

    #[test]
    fn stored_words_round_trip_and_junk_is_ignored() {
        for theme in [Theme::Light, Theme::Dark] {
            assert_eq!(Theme::parse(theme.key()), Some(theme));
        }
        assert_eq!(Theme::parse("purple"), None);
        assert_eq!(Theme::Light.other(), Theme::Dark);
    }
}
