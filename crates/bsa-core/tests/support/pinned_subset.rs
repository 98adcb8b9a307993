//! The pinned stratified sample (`fixtures/subset/pinned.txt`): seed, size and the chosen ids.
//! Included with `#[path]` by `tests/dataset_sample.rs` (native) and the app's `tests/web.rs`
//! (WebAssembly), so both builds are checked against the same file.

pub struct PinnedSubset {
    pub seed: u64,
    pub size: usize,
    pub ids: Vec<&'static str>,
}

pub fn pinned_subset() -> PinnedSubset {
    let text = include_str!("../fixtures/subset/pinned.txt");
    let mut seed = None;
    let mut size = None;
    let mut ids = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        match line.split_once(' ') {
            Some(("seed", value)) => seed = value.parse::<u64>().ok(),
            Some(("size", value)) => size = value.parse::<usize>().ok(),
            _ => ids.push(line),
        }
    }
    let subset = PinnedSubset {
        seed: seed.expect("pinned.txt has a seed line"),
        size: size.expect("pinned.txt has a size line"),
        ids,
    };
    assert_eq!(subset.ids.len(), subset.size, "pinned.txt lists `size` ids");
    subset
}
