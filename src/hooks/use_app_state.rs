use crate::state::{AppDispatcher, AppState};
use yew::prelude::*;

/// The app state, re-rendering the caller when it changes.
///
/// # Example
/// ```ignore
/// let state = use_app_state();
/// let items = state.dataset.current.as_ref().map_or(0, |loaded| loaded.data.dataset.len());
/// ```
///
/// Must be called below [`crate::App`], which provides the context: anywhere else is a
/// programming error, reported as such.
#[hook]
pub fn use_app_state() -> AppState {
    use_context::<AppState>().expect("use_app_state called outside App's state provider")
}

/// A dispatcher that does not re-render the caller on state changes, for components that only
/// send actions.
#[hook]
pub fn use_app_dispatcher() -> AppDispatcher {
    use_context::<AppDispatcher>().expect("use_app_dispatcher called outside App's state provider")
}
