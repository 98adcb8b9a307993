//! Files of judged results, read into and written from a [`crate::metrics::SampleSet`].
//!
//! - [`judged_csv`]: the authors' judged-result CSV
//!   (`model_name,id,dataset_name,Safe_Ans_Check,Thk_Acc_Judge`, one row per sample), read with
//!   every problem located ([`JudgedRead`]; whole with [`read_judged_csv`] or piece by piece with
//!   [`judged_csv::JudgedCsvReader`]) and written back in the same format
//!   ([`write_judged_csv`]), so that the web app's exports score with `bsa score` and with the
//!   authors' script alike.
//! - [`run_file`]: the project's own JSON run file (schema v1).
//! - [`batch_csv`]: the authors' batch-runner output (answers to be judged).

pub mod batch_csv;
pub mod judged_csv;
pub mod run_file;

pub use judged_csv::{read_judged_csv, write_judged_csv, JudgedRead};
