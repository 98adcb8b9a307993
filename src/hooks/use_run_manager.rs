use super::use_app_dispatcher;
use crate::engine::export::{self, ExportFormat};
use crate::engine::import::{import_batch, BatchImport, ImportOutcome};
use crate::engine::start::{attach_stored, resume_stored, start_new, view_stored, NewRun};
use crate::engine::{self, EngineKeys};
use crate::services::{fetch, file, keys, run_store};
use crate::state::dataset::LoadedDataset;
use crate::state::results::browser::ResultFilter;
use crate::state::run::check::FormCheck;
use crate::state::run::endpoint::{EndpointRole, KeyInput, KeySlot};
use crate::state::run::form::{FormEdit, RunForm, TemplateSources};
use crate::state::run::record::RunRecord;
use crate::state::run::{ImportStatus, PromptFetch, RunAction, RunNotice};
use crate::state::{Action, AppDispatcher};
use bsa_core::dataset::Item;
use bsa_core::prompt::official::{official_prompt_set, OfficialPromptFile};
use bsa_core::results::run_file::DatasetReference;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// A task given the run store: what `RunManager` spawns.
type StoreTask = Box<
    dyn FnOnce(
        run_store::RunStore,
        AppDispatcher,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>>>>,
>;

/// The Run page's verbs: each starts the effect (engine, storage, network) and reports through
/// actions. Holds only the dispatcher, so it never re-renders its owner.
#[derive(Clone, PartialEq)]
pub struct RunManager {
    dispatcher: AppDispatcher,
}

fn run_action(dispatcher: &AppDispatcher, action: RunAction) {
    dispatcher.dispatch(Action::Run(action));
}

fn notice(dispatcher: &AppDispatcher, error: bool, text: impl Into<String>) {
    run_action(
        dispatcher,
        RunAction::Notice(Some(RunNotice {
            error,
            text: text.into(),
        })),
    );
}

/// The keys the form holds for the roles of its run, also kept for this page's session (and
/// remembered where the user asked).
fn form_keys(form: &RunForm) -> EngineKeys {
    let mut engine_keys = EngineKeys::default();
    for role in form.roles() {
        let endpoint = form.endpoint(role);
        let slot = KeySlot::of(&endpoint.config().0);
        let key = endpoint.key();
        if let Some(key) = &key {
            keys::set_session_key(&slot, Some(key.clone()));
        }
        if endpoint.remember_key {
            if let Some(input) = &endpoint.key {
                let _ = keys::remember(&slot, input);
            }
        }
        engine_keys.set(role, key);
    }
    engine_keys
}

/// The keys at hand for a stored run's endpoints: typed now (`typed`, by slot), else held for
/// this session, else remembered.
pub fn run_keys(record: &RunRecord, typed: &[(KeySlot, KeyInput)]) -> EngineKeys {
    let mut engine_keys = EngineKeys::default();
    for endpoint in record.endpoints() {
        let typed_key = typed
            .iter()
            .find(|(slot, _)| *slot == endpoint.slot)
            .and_then(|(_, input)| input.api_key());
        if let Some(key) = &typed_key {
            keys::set_session_key(&endpoint.slot, Some(key.clone()));
        }
        engine_keys.set(
            endpoint.role,
            typed_key.or_else(|| keys::available_key(&endpoint.slot)),
        );
    }
    engine_keys
}

/// The slots of a stored run whose required key is nowhere at hand.
#[cfg(feature = "full")]
pub fn missing_keys(record: &RunRecord) -> Vec<KeySlot> {
    record
        .endpoints()
        .into_iter()
        .filter(|endpoint| endpoint.key_required && keys::available_key(&endpoint.slot).is_none())
        .map(|endpoint| endpoint.slot)
        .collect()
}

impl RunManager {
    fn spawn_with_store<F, Fut>(&self, task: F)
    where
        F: FnOnce(run_store::RunStore, AppDispatcher) -> Fut + 'static,
        Fut: Future<Output = Result<(), String>> + 'static,
    {
        // Boxed, so the store-opening future below is compiled once, not once per task.
        self.spawn_boxed(Box::new(move |store, dispatcher| {
            Box::pin(task(store, dispatcher))
        }));
    }

    fn spawn_boxed(&self, task: StoreTask) {
        let dispatcher = self.dispatcher.clone();
        spawn_local(async move {
            match run_store::shared().await {
                Ok(store) => {
                    if let Err(message) = task(store, dispatcher.clone()).await {
                        notice(&dispatcher, true, message);
                    }
                }
                Err(error) => notice(&dispatcher, true, error.to_string()),
            }
        });
    }

    /// Starts a run of the checked form on `dataset`.
    pub fn start(&self, form: &RunForm, check: &FormCheck, dataset: &LoadedDataset) {
        let Some(settings) = check.settings.clone() else {
            notice(
                &self.dispatcher,
                true,
                "the configuration has problems: see the marked fields",
            );
            return;
        };
        let items: Vec<Item> = check
            .item_ids
            .iter()
            .filter_map(|id| dataset.data.dataset.get(id).cloned())
            .collect();
        let new = NewRun {
            settings,
            items,
            dataset: DatasetReference::of(&dataset.data.dataset, dataset.origin.describe()),
            keys: form_keys(form),
        };
        run_action(&self.dispatcher, RunAction::Notice(None));
        self.spawn_with_store(move |store, dispatcher| async move {
            start_new(new, store, dispatcher).await.map(|_| ())
        });
    }

    pub fn pause(&self, run_id: &str) {
        engine::pause(run_id);
    }

    /// Resumes a run with the keys typed for it (others from this session or remembered).
    pub fn resume(&self, record: Rc<RunRecord>, typed: Vec<(KeySlot, KeyInput)>) {
        let engine_keys = run_keys(&record, &typed);
        if engine::resume(record.id(), engine_keys.clone()) {
            return;
        }
        self.spawn_with_store(move |store, dispatcher| async move {
            resume_stored((*record).clone(), engine_keys, store, dispatcher).await
        });
    }

    pub fn cancel(&self, run_id: &str) {
        engine::cancel(run_id);
    }

    /// Sends a run's failed calls again (attaching an engine to a stored run first).
    pub fn retry_failed(&self, record: Rc<RunRecord>) {
        let nothing = "no failed call to send again";
        if engine::engine(record.id()).is_some() {
            if engine::retry_failed(record.id()) == 0 {
                notice(&self.dispatcher, false, nothing);
            }
            return;
        }
        let engine_keys = run_keys(&record, &[]);
        self.spawn_with_store(move |store, dispatcher| async move {
            let engine =
                attach_stored((*record).clone(), engine_keys, store, dispatcher.clone()).await?;
            if engine.retry_failed() == 0 {
                notice(&dispatcher, false, nothing);
            }
            Ok(())
        });
    }

    /// Deletes a run and everything stored for it.
    pub fn delete(&self, run_id: String) {
        engine::close(&run_id);
        self.spawn_with_store(move |store, dispatcher| async move {
            store
                .delete_run(&run_id)
                .await
                .map_err(|error| error.to_string())?;
            run_action(&dispatcher, RunAction::Deleted(run_id));
            Ok(())
        });
    }

    /// Shows a run's details (loading its figures from storage when no engine drives it).
    pub fn open(&self, record: Rc<RunRecord>) {
        run_action(
            &self.dispatcher,
            RunAction::Open(Some(record.id().to_string())),
        );
        if engine::engine(record.id()).is_some() {
            return;
        }
        self.spawn_with_store(move |store, dispatcher| async move {
            view_stored((*record).clone(), store, dispatcher).await
        });
    }

    pub fn close_details(&self) {
        run_action(&self.dispatcher, RunAction::Open(None));
    }

    pub fn export(&self, record: Rc<RunRecord>, format: ExportFormat) {
        self.spawn_with_store(move |store, dispatcher| async move {
            let problems = export::download(&record, &store, format).await?;
            if !problems.is_empty() {
                notice(
                    &dispatcher,
                    true,
                    format!(
                        "exported, but {} stored record(s) could not be read and are not in the file: {}",
                        problems.len(),
                        problems.join("; ")
                    ),
                );
            }
            Ok(())
        });
    }

    /// Loads a run into the Results page and goes there.
    pub fn to_results(&self, record: Rc<RunRecord>) {
        self.to_results_then(record, None);
    }

    /// [`RunManager::to_results`], the run's model then selected and the item browser filtered
    /// by `show` (a category or grid cell clicked on the Run page), also when the model's name
    /// was taken and the user first chooses what to do.
    pub fn to_results_then(&self, record: Rc<RunRecord>, show: Option<ResultFilter>) {
        self.spawn_with_store(move |store, dispatcher| async move {
            export::to_results(&record, &store, &dispatcher, show).await?;
            super::navigate(&crate::app::Route::Results);
            Ok(())
        });
    }

    pub fn dismiss_notice(&self) {
        run_action(&self.dispatcher, RunAction::Notice(None));
    }

    pub fn edit(&self, edit: FormEdit) {
        run_action(&self.dispatcher, RunAction::Form(edit));
    }

    /// A key typed for `role`; remembered at once if the user asked for that.
    pub fn set_key(&self, form: &RunForm, role: EndpointRole, text: String) {
        let endpoint = form.endpoint(role);
        let input = (!text.is_empty()).then(|| KeyInput::new(text));
        if endpoint.remember_key {
            let slot = KeySlot::of(&endpoint.config().0);
            match &input {
                Some(input) => {
                    if let Err(why) = keys::remember(&slot, input) {
                        notice(
                            &self.dispatcher,
                            true,
                            format!("the key is not remembered: {why}"),
                        );
                    }
                }
                None => keys::forget(&slot),
            }
        }
        self.edit(FormEdit::Key(role, input));
    }

    /// Ticks or unticks "remember key on this device".
    pub fn remember_key(&self, form: &RunForm, role: EndpointRole, on: bool) {
        let endpoint = form.endpoint(role);
        let slot = KeySlot::of(&endpoint.config().0);
        if on {
            if let Some(input) = &endpoint.key {
                if let Err(why) = keys::remember(&slot, input) {
                    notice(
                        &self.dispatcher,
                        true,
                        format!("the key is not remembered: {why}"),
                    );
                    return;
                }
            }
        } else {
            keys::forget(&slot);
        }
        self.edit(FormEdit::RememberKey(role, on));
    }

    /// Forgets the remembered key of `role`'s address (the key typed stays for this page).
    pub fn forget_key(&self, form: &RunForm, role: EndpointRole) {
        keys::forget(&KeySlot::of(&form.endpoint(role).config().0));
        self.edit(FormEdit::RememberKey(role, false));
        notice(
            &self.dispatcher,
            false,
            "the remembered key was removed from this browser",
        );
    }

    /// Downloads the authors' prompt files and puts their templates in the form.
    pub fn load_official_prompts(&self) {
        let dispatcher = self.dispatcher.clone();
        run_action(&dispatcher, RunAction::Prompts(PromptFetch::Loading));
        spawn_local(async move {
            let answer = fetch::fetch_bytes(OfficialPromptFile::SafeAnswerJudge.url()).await;
            let thinking = match answer {
                Ok(_) => {
                    Some(fetch::fetch_bytes(OfficialPromptFile::ThinkingAccuracyJudge.url()).await)
                }
                Err(_) => None,
            };
            let result = match (answer, thinking) {
                (Ok(answer), Some(Ok(thinking))) => official_prompt_set(
                    &String::from_utf8_lossy(&answer),
                    &String::from_utf8_lossy(&thinking),
                )
                .map_err(|error| {
                    format!("the files were downloaded but could not be read: {error}")
                }),
                (Err(error), _) | (_, Some(Err(error))) => Err(format!(
                    "the official prompts could not be downloaded: {error}. If you are offline or \
                     the host refuses this page (CORS), paste the templates into the fields instead"
                )),
                (Ok(_), None) => Err("the official prompts could not be downloaded".into()),
            };
            match result {
                Ok(set) => {
                    run_action(
                        &dispatcher,
                        RunAction::Form(FormEdit::Templates(TemplateSources::of(&set))),
                    );
                    run_action(&dispatcher, RunAction::Prompts(PromptFetch::Loaded));
                }
                Err(message) => run_action(
                    &dispatcher,
                    RunAction::Prompts(PromptFetch::Failed(message)),
                ),
            }
        });
    }

    /// Imports batch-runner files (in pass order) as a run judged with the form's judges.
    pub fn import(
        &self,
        files: Vec<web_sys::File>,
        label: String,
        form: &RunForm,
        check: &FormCheck,
        dataset: &LoadedDataset,
    ) {
        let Some(settings) = check.settings.clone() else {
            run_action(
                &self.dispatcher,
                RunAction::Import(ImportStatus::Failed(
                    "the judge configuration has problems: see the marked fields".into(),
                )),
            );
            return;
        };
        let engine_keys = form_keys(form);
        let dataset_reference =
            DatasetReference::of(&dataset.data.dataset, dataset.origin.describe());
        let data = Rc::new(dataset.data.dataset.clone());
        run_action(&self.dispatcher, RunAction::Import(ImportStatus::Reading));
        self.spawn_with_store(move |store, dispatcher| async move {
            let mut read = Vec::with_capacity(files.len());
            for selected in &files {
                match file::read_file(selected).await {
                    Ok(bytes) => read.push((selected.name(), bytes)),
                    Err(error) => {
                        run_action(
                            &dispatcher,
                            RunAction::Import(ImportStatus::Failed(error.to_string())),
                        );
                        return Ok(());
                    }
                }
            }
            let label = match label.trim() {
                "" => read
                    .first()
                    .map(|(name, _)| name.trim_end_matches(".csv").to_string())
                    .unwrap_or_else(|| "imported".into()),
                label => label.to_string(),
            };
            let import = BatchImport {
                files: read,
                dataset: data,
                dataset_reference,
                settings,
                label,
                keys: engine_keys,
            };
            let status = match import_batch(import, store, dispatcher.clone()).await {
                Ok(ImportOutcome::Problems(problems)) => ImportStatus::Problems(Rc::new(problems)),
                Ok(ImportOutcome::Imported { run_id, samples }) => {
                    ImportStatus::Imported { run_id, samples }
                }
                Err(message) => ImportStatus::Failed(message),
            };
            run_action(&dispatcher, RunAction::Import(status));
            Ok(())
        });
    }
}

/// A [`RunManager`] for the calling component.
///
/// # Example
/// ```ignore
/// let runs = use_run_manager();
/// let onclick = Callback::from(move |_| runs.pause("run-1"));
/// ```
#[hook]
pub fn use_run_manager() -> RunManager {
    RunManager {
        dispatcher: use_app_dispatcher(),
    }
}
