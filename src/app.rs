//! The frame of the app: [`Route`]s, the page header with navigation and view toggles, and
//! [`App`], which owns the reducer and provides it to every page.
//!
//! Routes live in the URL's hash (`#/leaderboard`), so the app works from any static host and
//! any sub-path, and the back button and bookmarks work. The router is our own 80 lines rather
//! than yew-router: yew-router's hash history throws when the hash does not start with `/`
//! (a hand-typed `#about`, or a skip link), which would stop the app; here any hash parses to a
//! [`Route`], unknown ones to [`Route::NotFound`].

use crate::components::toggle_button::{toggle_button, ToggleButtonProps};
use crate::hooks::{use_app_state, use_hash_route, use_preferences_sync, use_run_startup};
use crate::pages;
use crate::services::{storage, user_timing};
use crate::state::handover::Handover;
use crate::state::preferences::{Preferences, PreferencesAction};
use crate::state::{Action, AppDispatcher, AppState, State};
use std::rc::Rc;
use yew::prelude::*;

/// A page of the app, as written in the URL hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// `#/` or `#/dataset`: sources, summary and explorer.
    Dataset,
    /// `#/dataset/item/<id>`: one item (the id percent-encoded).
    DatasetItem { id: String },
    /// `#/run`
    Run,
    /// `#/results`
    Results,
    /// `#/compare`
    Compare,
    /// `#/leaderboard`
    Leaderboard,
    /// `#/about`
    About,
    /// Any other hash; the text is shown back to the user.
    NotFound { path: String },
}

impl Route {
    /// The pages of the main navigation, in order.
    pub const NAVIGATION: [Route; 6] = [
        Route::Dataset,
        Route::Run,
        Route::Results,
        Route::Compare,
        Route::Leaderboard,
        Route::About,
    ];

    /// Reads a location hash (`#/dataset`, `/dataset`, `dataset` and `#dataset/` all work).
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#');
        // A query or inner fragment carries nothing for these routes.
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let segments: Vec<&str> = path
            .split('/')
            .filter(|segment| !segment.is_empty())
            .collect();
        match segments.as_slice() {
            [] | ["dataset"] => Route::Dataset,
            ["dataset", "item", id] => match urlencoding::decode(id) {
                Ok(id) if !id.is_empty() => Route::DatasetItem {
                    id: id.into_owned(),
                },
                _ => Route::NotFound {
                    path: path.to_string(),
                },
            },
            ["run"] => Route::Run,
            ["results"] => Route::Results,
            ["compare"] => Route::Compare,
            ["leaderboard"] => Route::Leaderboard,
            ["about"] => Route::About,
            _ => Route::NotFound {
                path: path.to_string(),
            },
        }
    }

    /// The link to this page, e.g. `#/dataset/item/abc`.
    pub fn href(&self) -> String {
        match self {
            Route::Dataset => "#/dataset".to_string(),
            Route::DatasetItem { id } => format!("#/dataset/item/{}", urlencoding::encode(id)),
            Route::Run => "#/run".to_string(),
            Route::Results => "#/results".to_string(),
            Route::Compare => "#/compare".to_string(),
            Route::Leaderboard => "#/leaderboard".to_string(),
            Route::About => "#/about".to_string(),
            Route::NotFound { path } => format!("#/{}", path.trim_start_matches('/')),
        }
    }

    /// The name in the navigation and the window title.
    pub fn title(&self) -> &'static str {
        match self {
            Route::Dataset | Route::DatasetItem { .. } => "Dataset",
            Route::Run => "Run",
            Route::Results => "Results",
            Route::Compare => "Compare",
            Route::Leaderboard => "Leaderboard",
            Route::About => "About",
            Route::NotFound { .. } => "Not found",
        }
    }

    /// Whether the page is the full app's (the app shell loads it to show the page).
    pub fn needs_full_app(&self) -> bool {
        matches!(self, Route::Run | Route::Results | Route::Compare)
    }

    /// The navigation entry this route belongs to (an item belongs to Dataset).
    fn section(&self) -> Route {
        match self {
            Route::DatasetItem { .. } => Route::Dataset,
            other => other.clone(),
        }
    }
}

fn render(route: &Route) -> Html {
    match route {
        Route::Dataset => html! { <pages::dataset::DatasetPage /> },
        Route::DatasetItem { id } => {
            html! { <pages::dataset::DatasetPage item={Some(AttrValue::from(id.clone()))} /> }
        }
        #[cfg(feature = "full")]
        Route::Run => html! { <pages::run::RunPage /> },
        #[cfg(feature = "full")]
        Route::Results => html! { <pages::results::ResultsPage /> },
        #[cfg(feature = "full")]
        Route::Compare => html! { <pages::compare::ComparePage /> },
        // The app shell has not got these pages: it loads the full app, which takes over.
        #[cfg(not(feature = "full"))]
        Route::Run | Route::Results | Route::Compare => {
            html! { <pages::full_app::FullAppLoader title={route.title()} /> }
        }
        Route::Leaderboard => html! { <pages::leaderboard::LeaderboardPage /> },
        Route::About => pages::about::about_page(),
        Route::NotFound { path } => {
            pages::not_found::not_found_page(&pages::not_found::NotFoundProps {
                path: AttrValue::from(path.clone()),
            })
        }
    }
}

/// What [`App`] starts from.
#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// The app shell's state, when the full app takes over from it; a fresh start otherwise.
    #[prop_or_default]
    pub handover: Option<Rc<Handover>>,
}

/// The whole application: state, contexts and the page frame.
#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let handover = props.handover.clone();
    let state = use_reducer(move || {
        let stored = storage::load_preferences();
        let preferences = Preferences::initial(stored, storage::system_prefers_dark());
        match handover {
            None => State::new(preferences),
            Some(handover) => (*handover).clone().into_state(preferences),
        }
    });
    let dispatcher = state.dispatcher();
    html! {
        <ContextProvider<AppState> context={state}>
            <ContextProvider<AppDispatcher> context={dispatcher}>
                <Frame />
            </ContextProvider<AppDispatcher>>
        </ContextProvider<AppState>>
    }
}

/// Header, navigation, the current page and the footer.
#[function_component(Frame)]
fn frame() -> Html {
    let state = use_app_state();
    let route = use_hash_route();
    let preferences = state.preferences;
    use_preferences_sync(preferences);
    use_run_startup(&state.run.form, state.run.form_restored);
    // The first render is done (the sample dataset is in state): a mark for benchmarks.
    use_effect_with((), |_| {
        user_timing::mark(user_timing::READY);
        crate::hooks::warm_up_in_idle_time();
    });
    {
        let title = route.title();
        use_effect_with(title, |title| {
            if let Some(document) = web_sys::window().and_then(|window| window.document()) {
                document.set_title(&format!("{title} · BSA Studio"));
            }
        });
    }

    let main_ref = use_node_ref();
    let skip_to_main = {
        let main_ref = main_ref.clone();
        // The hash holds the route, so an in-page `#main` link would navigate away: focus the
        // main region directly instead.
        Callback::from(move |event: MouseEvent| {
            event.prevent_default();
            if let Some(main) = main_ref.cast::<web_sys::HtmlElement>() {
                let _ = main.focus();
            }
        })
    };
    let toggle_theme = {
        let dispatcher = state.dispatcher();
        let theme = preferences.theme.other();
        Callback::from(move |_| {
            dispatcher.dispatch(Action::Preferences(PreferencesAction::SetTheme { theme }))
        })
    };
    let toggle_large_type = {
        let dispatcher = state.dispatcher();
        let enabled = !preferences.large_type;
        Callback::from(move |_| {
            dispatcher.dispatch(Action::Preferences(PreferencesAction::SetLargeType {
                enabled,
            }))
        })
    };
    let section = route.section();
    let nav_items = Route::NAVIGATION.iter().map(|entry| {
        let current = *entry == section;
        // The shell starts loading the full app as soon as a link to one of its pages is
        // pointed at or focused.
        if !cfg!(feature = "full") && entry.needs_full_app() {
            return html! {
                <li>
                    <a href={entry.href()} aria-current={current.then_some("page")}
                        onpointerenter={|_: PointerEvent| crate::services::full_app::prefetch()}
                        onfocus={|_: FocusEvent| crate::services::full_app::prefetch()}>{ entry.title() }</a>
                </li>
            };
        }
        html! {
            <li>
                <a href={entry.href()} aria-current={current.then_some("page")}>{ entry.title() }</a>
            </li>
        }
    });
    let dark = preferences.theme == crate::state::preferences::Theme::Dark;

    html! {
        // `data-app-ready`: the end-to-end tests wait for it (the frame renders once the sample
        // dataset, read synchronously at start, is in the state).
        <div class={classes!("app", preferences.root_classes())} data-app-ready="true">
            <a class="skip-link" href="#main-content" onclick={skip_to_main}>{ "Skip to content" }</a>
            <header class="site-header">
                <a class="brand" href={Route::Dataset.href()}>
                    <span class="brand-mark" aria-hidden="true">{ "BSA" }</span>
                    <span class="brand-name">{ "BSA Studio" }</span>
                </a>
                <nav class="site-nav" aria-label="Main">
                    <ul>{ for nav_items }</ul>
                </nav>
                <div class="view-controls" role="group" aria-label="Display">
                    { toggle_button(&ToggleButtonProps { label: AttrValue::Static("Dark theme"), pressed: dark, on_toggle: toggle_theme }) }
                    { toggle_button(&ToggleButtonProps { label: AttrValue::Static("Large type"), pressed: preferences.large_type, on_toggle: toggle_large_type }) }
                </div>
            </header>
            <main id="main-content" class="page" tabindex="-1" ref={main_ref}>
                { render(&route) }
            </main>
            <footer class="site-footer">
                <p>
                    { "BSA Studio evaluates models on the Beyond Safe Answers benchmark (arXiv 2505.19690). \
                       Benchmark data © its authors (OpenStellarTeam/BSA), CC BY-NC 4.0. " }
                    { "Nothing leaves your browser except the API calls you start." }
                </p>
            </footer>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_parse_to_routes() {
        assert_eq!(Route::parse(""), Route::Dataset);
        assert_eq!(Route::parse("#/"), Route::Dataset);
        assert_eq!(Route::parse("#/dataset"), Route::Dataset);
        assert_eq!(Route::parse("#/leaderboard"), Route::Leaderboard);
        assert_eq!(Route::parse("#about"), Route::About);
        assert_eq!(Route::parse("#/about/"), Route::About);
        assert_eq!(Route::parse("#/results?x=1"), Route::Results);
        assert_eq!(
            Route::parse("#/nope"),
            Route::NotFound {
                path: "/nope".into()
            }
        );
        assert_eq!(
            Route::parse("#main-content"),
            Route::NotFound {
                path: "main-content".into()
            }
        );
    }

    #[test]
    fn item_ids_round_trip_through_the_hash() {
        for id in ["c1e26c30d0a0c8013d986aeb84b63c4b", "a b/c?d#e%f", "ünï"] {
            let route = Route::DatasetItem { id: id.to_string() };
            let href = route.href();
            // The encoded id has no character that would end the path segment.
            assert!(
                !href["#/dataset/item/".len()..].contains(['/', '?', '#', ' ']),
                "{href}"
            );
            assert_eq!(Route::parse(&href), route);
        }
        // Broken percent-encoding is a not-found page, not a crash.
        assert!(matches!(
            Route::parse("#/dataset/item/%FF"),
            Route::NotFound { .. }
        ));
    }

    #[test]
    fn every_navigation_entry_links_to_itself() {
        for route in Route::NAVIGATION {
            assert_eq!(Route::parse(&route.href()), route);
        }
        assert_eq!(
            Route::DatasetItem { id: "x".into() }.section(),
            Route::Dataset
        );
    }
}
