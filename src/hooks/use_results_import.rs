use super::use_app_dispatcher;
use crate::services::file;
use crate::services::user_timing::{self, Span};
use crate::state::results::source::ResultsReader;
use crate::state::results::{ImportTicket, ResultsAction};
use crate::state::{Action, AppDispatcher};
use std::sync::atomic::{AtomicU64, Ordering};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// Result files are copied into WebAssembly memory and parsed this many bytes at a time (see
/// [`ResultsReader`]): large enough that the per-piece overhead is nothing, small enough to stay
/// in the processor's cache.
const PIECE_BYTES: usize = 1 << 20;

/// Tickets are unique across the page, so a slow read cannot be mistaken for a newer one.
static NEXT_TICKET: AtomicU64 = AtomicU64::new(1);

/// Imports result files: reads the bytes, then dispatches what the reader made of them.
#[derive(Clone, PartialEq)]
pub struct ResultsImporter {
    dispatcher: AppDispatcher,
}

impl ResultsImporter {
    /// Reads a picked or dropped judged CSV or run file.
    pub fn load_file(&self, selected: web_sys::File) {
        let file_name = selected.name();
        let ticket = ImportTicket(NEXT_TICKET.fetch_add(1, Ordering::Relaxed));
        self.dispatcher
            .dispatch(Action::Results(ResultsAction::Started {
                ticket,
                file_name: file_name.clone(),
            }));
        let dispatcher = self.dispatcher.clone();
        spawn_local(async move {
            match file::read_file_bytes(&selected).await {
                Ok(bytes) => {
                    // Reading is timed on its own (from the bytes in the browser's memory to the
                    // samples), so the page can say how long each step took.
                    let span = Span::start(user_timing::RESULTS_READ);
                    let mut reader = ResultsReader::new(&file_name);
                    reader.size_hint(bytes.len());
                    bytes.for_each_piece(PIECE_BYTES, |piece| reader.push(piece));
                    let candidate = reader.finish();
                    let read_millis = span.finish();
                    dispatcher.dispatch(Action::Results(ResultsAction::Read {
                        ticket,
                        candidate,
                        read_millis,
                    }));
                }
                Err(error) => dispatcher.dispatch(Action::Results(ResultsAction::Failed {
                    ticket,
                    file_name,
                    error,
                })),
            }
        });
    }
}

/// A [`ResultsImporter`] for the calling component.
///
/// # Example
/// ```ignore
/// let importer = use_results_import();
/// let on_file = Callback::from(move |file: web_sys::File| importer.load_file(file));
/// ```
#[hook]
pub fn use_results_import() -> ResultsImporter {
    ResultsImporter {
        dispatcher: use_app_dispatcher(),
    }
}
