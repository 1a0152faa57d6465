//! Exact Jaccard of sorted sets.

/// Size of the intersection of two sorted, repeat-free slices.
pub fn overlap<T: Ord + Copy>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    // Without branches on the comparison: with shingle hashes its outcome is a coin toss,
    // and a mispredicted branch per step cost more than the step.
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        n += usize::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    n
}

/// Jaccard of two sorted, repeat-free slices (0 when both are empty).
pub fn jaccard<T: Ord + Copy>(a: &[T], b: &[T]) -> f64 {
    let o = overlap(a, b);
    let union = a.len() + b.len() - o;
    if union == 0 {
        0.0
    } else {
        o as f64 / union as f64
    }
}

/// Whether an overlap `o` of sets of sizes `la` and `lb` reaches Jaccard `t`; the one test
/// used by the exact join and by verification, so that both agree on pairs at the edge.
pub fn passes(o: usize, la: usize, lb: usize, t: f64) -> bool {
    let union = la + lb - o;
    union > 0 && o as f64 / union as f64 >= t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jaccard_of_sorted_sets() {
        assert_eq!(jaccard(&[1, 2, 3, 4], &[3, 4, 5, 6]), 2.0 / 6.0);
        assert_eq!(jaccard::<u64>(&[], &[]), 0.0);
        assert_eq!(jaccard(&[1], &[1]), 1.0);
        assert!(passes(4, 5, 5, 4.0 / 6.0) && !passes(4, 5, 6, 4.0 / 6.0));
    }

    proptest::proptest! {
        #[test]
        fn overlap_equals_a_hash_set_intersection(
            a in proptest::collection::btree_set(0u64..400, 0..200),
            b in proptest::collection::btree_set(0u64..400, 0..200),
        ) {
            let expected = a.intersection(&b).count();
            let (a, b): (Vec<u64>, Vec<u64>) = (a.into_iter().collect(), b.into_iter().collect());
            proptest::prop_assert_eq!(overlap(&a, &b), expected);
            proptest::prop_assert_eq!(overlap(&b, &a), expected);
        }
    }
}
