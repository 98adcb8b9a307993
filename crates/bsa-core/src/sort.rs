//! Stable sorts compiled once.
//!
//! `slice::sort_by` is monomorphised for every element type and comparator, and the standard
//! library's stable sort is large: in the web app's wasm each call site cost about 3.5 KB. These
//! helpers sort a list of indices with the comparator behind `&mut dyn FnMut` (so the sort itself
//! is compiled once for the whole program) and then move the elements into place by swaps.
//! The result is exactly that of `sort_by` / `sort_by_key`: stable, and the comparator sees the
//! same elements. Meant for short or cold lists (UI lists, reports, grouping); hot loops keep the
//! standard sorts.

use std::cmp::Ordering;

/// Sorts `v` stably by `compare`, like `v.sort_by(compare)`.
pub fn sort_by<T>(v: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    let order = sorted_indices(v.len(), &mut |a, b| compare(&v[a], &v[b]));
    apply_order(&order, &mut |a, b| v.swap(a, b));
}

/// Sorts `v` stably by `key`, like `v.sort_by_key(key)`.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` stably in ascending order, like `v.sort()`.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// The indices `0..len` in the order that sorts the elements stably.
#[inline(never)]
fn sorted_indices(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Puts the element that starts at `order[i]` at position `i`, for every `i`, by swaps.
#[inline(never)]
fn apply_order(order: &[usize], swap: &mut dyn FnMut(usize, usize)) {
    for i in 0..order.len() {
        // The element wanted at `i` started at `order[i]`; positions before `i` are final, so
        // if it was moved away by an earlier swap, follow where that swap put it.
        let mut source = order[i];
        while source < i {
            source = order[source];
        }
        if source != i {
            swap(i, source);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn same_as_the_standard_stable_sort(keys in proptest::collection::vec(0u8..6, 0..60)) {
            // Pairs (key, original position): equal keys must keep their order.
            let items: Vec<(u8, usize)> = keys.iter().copied().zip(0..).collect();
            let mut expected = items.clone();
            expected.sort_by_key(|item| item.0);
            let mut actual = items.clone();
            sort_by_key(&mut actual, |item| item.0);
            prop_assert_eq!(&actual, &expected);

            let mut reversed = items.clone();
            sort_by(&mut reversed, |a, b| b.0.cmp(&a.0));
            let mut expected = items;
            expected.sort_by_key(|a| std::cmp::Reverse(a.0));
            prop_assert_eq!(reversed, expected);
        }
    }

    #[test]
    fn sorts_owned_values() {
        let mut words = vec![
            "pear".to_string(),
            "apple".into(),
            "fig".into(),
            "apple".into(),
        ];
        sort(&mut words);
        assert_eq!(words, ["apple", "apple", "fig", "pear"]);
        let mut empty: Vec<String> = Vec::new();
        sort(&mut empty);
        assert!(empty.is_empty());
    }
}
