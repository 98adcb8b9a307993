//! Every loaded model in one [`SampleSet`]: what the metrics, the comparisons and the item
//! browser read.
//!
//! Each file keeps its own sample set; [`combine`] copies the samples of the models still loaded
//! into one set under their shown names. Done once per change of the loaded files (not per
//! change of scoring options), it costs one pass over the samples. The builder's invariants hold
//! across files: an item keeps one scenario, which is how a file whose items contradict the
//! loaded ones is refused at import.

use super::source::{ResultSource, SourceId};
use super::Shared;
use bsa_core::metrics::{ItemId, ModelId, Sample, SampleError, SampleSet, SampleSetBuilder};
use std::rc::Rc;

/// Where a model of the combined set comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelOrigin {
    /// The shown name (the name in the combined set).
    pub name: String,
    pub source: SourceId,
    /// Its name in the file.
    pub original: String,
}

/// The combined sample set and the origin of each of its models (by [`ModelId`] index).
#[derive(Debug, Default)]
pub struct CombinedResults {
    pub samples: Rc<SampleSet>,
    pub origins: Vec<ModelOrigin>,
}

impl CombinedResults {
    /// Model names in order (files in import order, models in file order).
    pub fn model_names(&self) -> Vec<String> {
        self.origins
            .iter()
            .map(|origin| origin.name.clone())
            .collect()
    }

    pub fn origin(&self, name: &str) -> Option<&ModelOrigin> {
        self.origins.iter().find(|origin| origin.name == name)
    }

    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }
}

/// At most this many conflicts are collected: the first few say what is wrong.
const MAX_ERRORS: usize = 50;

/// The samples of every loaded model in one set; the conflicts (an item with two scenarios, a
/// sample twice) if there are any.
pub fn combine(sources: &[Shared<ResultSource>]) -> Result<CombinedResults, Vec<SampleError>> {
    // One file with all its models under their own names: its set is the combined set.
    if let [only] = sources {
        let untouched = only.models.len() == only.samples.model_count()
            && only
                .samples
                .models()
                .zip(&only.models)
                .all(|((_, name), entry)| entry.original == name && entry.name == name);
        if untouched {
            return Ok(CombinedResults {
                samples: only.samples.clone(),
                origins: origins_of(only),
            });
        }
    }
    let total = sources.iter().map(|source| source.samples.len()).sum();
    let mut builder = SampleSetBuilder::with_capacity(total);
    let mut origins = Vec::new();
    let mut errors = Vec::new();
    for source in sources {
        let set = &source.samples;
        // Combined ids of the file's models (None: removed) and, as they are met, items.
        let models: Vec<Option<ModelId>> = set
            .models()
            .map(|(_, original)| {
                let entry = source.entry_by_original(original)?;
                let id = builder.model(&entry.name);
                if id.index() == origins.len() {
                    origins.push(ModelOrigin {
                        name: entry.name.clone(),
                        source: source.id,
                        original: entry.original.clone(),
                    });
                }
                Some(id)
            })
            .collect();
        let mut items: Vec<Option<Option<ItemId>>> = vec![None; set.item_count()];
        for sample in set.samples() {
            let Some(model) = models.get(sample.model.index()).copied().flatten() else {
                continue;
            };
            let slot = sample.item.index();
            let item = match items.get(slot).copied().flatten() {
                Some(known) => known,
                None => {
                    let added =
                        builder.item(set.item_key(sample.item), set.item_scenario(sample.item));
                    let id = match added {
                        Ok(id) => Some(id),
                        Err(error) => {
                            if errors.len() < MAX_ERRORS {
                                errors.push(error);
                            }
                            None
                        }
                    };
                    if let Some(entry) = items.get_mut(slot) {
                        *entry = Some(id);
                    }
                    id
                }
            };
            let Some(item) = item else {
                continue;
            };
            if let Err(error) = builder.push(Sample {
                model,
                item,
                ..*sample
            }) {
                if errors.len() < MAX_ERRORS {
                    errors.push(error);
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(CombinedResults {
            samples: Rc::new(builder.build()),
            origins,
        })
    } else {
        Err(errors)
    }
}

fn origins_of(source: &ResultSource) -> Vec<ModelOrigin> {
    source
        .models
        .iter()
        .map(|entry| ModelOrigin {
            name: entry.name.clone(),
            source: source.id,
            original: entry.original.clone(),
        })
        .collect()
}
