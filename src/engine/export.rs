//! A stored run as files: [`run_file`] assembles the project's run file from IndexedDB;
//! [`download`] saves it as JSON (`write_run_file`) or as the authors' judged CSV
//! (`to_judged_csv`); [`to_results`] hands it to the Results page.
//!
//! The run file is built from the stored records only, which hold no key: an export cannot
//! carry one.

use crate::components::charts::export::download_blob;
use crate::services::run_store::RunStore;
use crate::state::results::browser::ResultFilter;
use crate::state::results::source::{ReadResults, ResultFormat};
use crate::state::results::{ResultsAction, Shared};
use crate::state::run::assemble::{assemble_run_file, keyed_calls, plan_of};
use crate::state::run::record::RunRecord;
use crate::state::{Action, AppDispatcher};
use bsa_core::results::run_file::{write_run_file, RunFile, Tool};
use std::rc::Rc;

/// The two export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// The project's JSON run file (schema v1).
    RunFile,
    /// The authors' judged CSV (`model_name,id,dataset_name,Safe_Ans_Check,Thk_Acc_Judge`).
    JudgedCsv,
}

/// The tool that writes run files here.
pub fn tool() -> Tool {
    Tool::new("BSA Studio", env!("CARGO_PKG_VERSION"))
}

/// The run file of a stored run, with the problems met reading it back (records that do not
/// fit: named, not dropped silently).
pub async fn run_file(
    record: &RunRecord,
    store: &RunStore,
) -> Result<(RunFile, Vec<String>), String> {
    let items = store
        .items(record.id())
        .await
        .map_err(|error| error.to_string())?;
    let plan = plan_of(record, &items).map_err(|error| error.to_string())?;
    let read = store
        .calls(record.id())
        .await
        .map_err(|error| error.to_string())?;
    let (calls, mut problems) = keyed_calls(&plan, read.records);
    problems.extend(read.problems);
    Ok((
        assemble_run_file(record, &plan, &items, &calls, tool()),
        problems,
    ))
}

/// A file name from the run's label and id: letters, digits, `-`, `_` and `.` only.
pub fn file_stem(record: &RunRecord) -> String {
    let clean = |text: &str| -> String {
        text.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                    c
                } else {
                    '-'
                }
            })
            .collect()
    };
    format!("{}-{}", clean(&record.header.label), clean(record.id()))
}

/// The text and file name of an export.
pub fn export_text(
    file: &RunFile,
    record: &RunRecord,
    format: ExportFormat,
) -> Result<(String, String), String> {
    match format {
        ExportFormat::RunFile => write_run_file(file)
            .map(|text| (text, format!("{}.json", file_stem(record))))
            .map_err(|error| error.to_string()),
        ExportFormat::JudgedCsv => file
            .to_judged_csv()
            .map(|text| (text, format!("{}-judged.csv", file_stem(record))))
            .map_err(|error| error.to_string()),
    }
}

/// Offers a stored run for download.
pub async fn download(
    record: &RunRecord,
    store: &RunStore,
    format: ExportFormat,
) -> Result<Vec<String>, String> {
    let (file, problems) = run_file(record, store).await?;
    let (text, name) = export_text(&file, record, format)?;
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(match format {
        ExportFormat::RunFile => "application/json",
        ExportFormat::JudgedCsv => "text/csv;charset=utf-8",
    });
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&text));
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|error| crate::services::js_error_text(&error))?;
    download_blob(&blob, &name).map_err(|error| error.to_string())?;
    Ok(problems)
}

/// Loads a stored run into the Results page.
pub async fn to_results(
    record: &RunRecord,
    store: &RunStore,
    dispatcher: &AppDispatcher,
    show: Option<ResultFilter>,
) -> Result<(), String> {
    let (file, _) = run_file(record, store).await?;
    let samples = file.sample_set().map_err(|error| error.to_string())?;
    let rows = file.samples.len();
    dispatcher.dispatch(Action::Results(ResultsAction::Import {
        read: Shared::new(ReadResults {
            file_name: format!("{}.json", file_stem(record)),
            format: ResultFormat::RunFile,
            samples: Rc::new(samples),
            run: Some(Rc::new(file)),
            rows,
        }),
        read_millis: None,
        show,
    }));
    Ok(())
}
