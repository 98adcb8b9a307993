use crate::state::run::form::RunForm;
use yew::prelude::*;
#[cfg(feature = "full")]
use {
    super::use_app_dispatcher,
    super::use_run_manager::{missing_keys, run_keys},
    crate::engine::start::resume_stored,
    crate::services::{keys, run_settings_store, run_store},
    crate::state::run::endpoint::{EndpointRole, KeySlot},
    crate::state::run::record::Lifecycle,
    crate::state::run::{EngineAttachment, RunAction, RunNotice},
    crate::state::Action,
    wasm_bindgen_futures::spawn_local,
};

/// What the app does about runs when the page loads, wherever it opens: reads the remembered
/// configuration (with the remembered keys of its endpoints), lists the stored runs, and
/// resumes the runs that were going when the page closed if every key they need is at hand
/// (otherwise they wait, "interrupted: enter the key to resume"). Afterwards it remembers the
/// configuration (never its keys) whenever it changes.
///
/// # Arguments
/// * `form`: the current run form, from app state.
/// * `restored`: whether the remembered form was applied (nothing is saved before that, so the
///   defaults never overwrite the user's configuration).
///
/// # Example
/// ```ignore
/// let state = use_app_state();
/// use_run_startup(&state.run.form, state.run.form_restored);
/// ```
#[cfg(feature = "full")]
#[hook]
pub fn use_run_startup(form: &RunForm, restored: bool) {
    let dispatcher = use_app_dispatcher();
    {
        let dispatcher = dispatcher.clone();
        use_effect_with((), move |_| {
            let stored = run_settings_store::load().map(|mut form| {
                for role in EndpointRole::ALL {
                    let slot = KeySlot::of(&form.endpoint(role).config().0);
                    if let Some(key) = keys::remembered(&slot) {
                        let endpoint = match role {
                            EndpointRole::Model => &mut form.model,
                            EndpointRole::Judge => &mut form.judge,
                            EndpointRole::SecondJudge => &mut form.second_judge,
                        };
                        endpoint.key = Some(key);
                        endpoint.remember_key = true;
                    }
                }
                Box::new(form)
            });
            dispatcher.dispatch(Action::Run(RunAction::FormRestored(stored)));
            spawn_local(async move {
                let store = match run_store::shared().await {
                    Ok(store) => store,
                    Err(error) => {
                        dispatcher
                            .dispatch(Action::Run(RunAction::StoreUnavailable(error.to_string())));
                        return;
                    }
                };
                let read = match store.runs().await {
                    Ok(read) => read,
                    Err(error) => {
                        dispatcher
                            .dispatch(Action::Run(RunAction::StoreUnavailable(error.to_string())));
                        return;
                    }
                };
                if !read.problems.is_empty() {
                    dispatcher.dispatch(Action::Run(RunAction::Notice(Some(RunNotice {
                        error: true,
                        text: format!(
                            "{} stored run(s) could not be read (written by another version?): {}",
                            read.problems.len(),
                            read.problems.join("; ")
                        ),
                    }))));
                }
                let interrupted: Vec<_> = read
                    .records
                    .iter()
                    .filter(|record| record.lifecycle == Lifecycle::Running)
                    .cloned()
                    .collect();
                dispatcher.dispatch(Action::Run(RunAction::Listed(read.records)));
                for record in interrupted {
                    let missing = missing_keys(&record);
                    if !missing.is_empty() {
                        dispatcher.dispatch(Action::Run(RunAction::Engine {
                            run_id: record.id().to_string(),
                            engine: EngineAttachment::NeedsKeys(missing),
                        }));
                        continue;
                    }
                    let engine_keys = run_keys(&record, &[]);
                    if let Err(message) =
                        resume_stored(record, engine_keys, store.clone(), dispatcher.clone()).await
                    {
                        dispatcher.dispatch(Action::Run(RunAction::Notice(Some(RunNotice {
                            error: true,
                            text: message,
                        }))));
                    }
                }
            });
        });
    }
    use_effect_with((form.clone(), restored), |(form, restored)| {
        if *restored {
            run_settings_store::save(form);
        }
    });
}

/// The app shell has no Run page: nothing to restore (the full app does it when it takes over).
#[cfg(not(feature = "full"))]
#[hook]
pub fn use_run_startup(_form: &RunForm, _restored: bool) {}
