//! Near-duplicate groups collapsed into units.
//!
//! Copies of one article say nothing new about which story it belongs to, yet on syndicated
//! news they are most of the corpus, and every pair of them would be searched, verified and
//! linked. Story clustering therefore works on units: each near-duplicate group is one unit,
//! represented by its canonical document and weighted by its size; every other document is
//! a unit of weight 1. The copies take their unit's story at the end.

use crate::minhash::DuplicateGroups;

/// Documents grouped into units. The fields are read through methods: they hold together
/// (a weight per representative, each document's unit among them), so only
/// [`Units::new`] makes them.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Units {
    /// Each unit's representative document (a group's canonical one), ascending.
    pub(crate) representatives: Vec<u32>,
    /// Number of documents in each unit.
    pub(crate) weights: Vec<u32>,
    /// Each document's unit.
    pub(crate) of_document: Vec<u32>,
}

impl Units {
    /// Each unit's representative document (a group's canonical one), ascending.
    pub fn representatives(&self) -> &[u32] {
        &self.representatives
    }

    /// Number of documents in each unit.
    pub fn weights(&self) -> &[u32] {
        &self.weights
    }

    /// Each document's unit.
    pub fn of_document(&self) -> &[u32] {
        &self.of_document
    }

    /// One unit per near-duplicate group and per document in none, among `n` documents.
    pub fn new(n: usize, duplicates: &DuplicateGroups) -> Units {
        // A copy points to its canonical document; the rest point to themselves.
        let mut canonical: Vec<u32> = (0..n as u32).collect();
        for g in &duplicates.groups {
            for &(m, _) in &g.members {
                canonical[m as usize] = g.canonical;
            }
        }
        let mut unit_of_representative = vec![u32::MAX; n];
        let mut representatives = Vec::new();
        for d in 0..n {
            if canonical[d] == d as u32 {
                unit_of_representative[d] = representatives.len() as u32;
                representatives.push(d as u32);
            }
        }
        let mut weights = vec![0u32; representatives.len()];
        let of_document: Vec<u32> = canonical
            .iter()
            .map(|&c| {
                let unit = unit_of_representative[c as usize];
                weights[unit as usize] += 1;
                unit
            })
            .collect();
        Units {
            representatives,
            weights,
            of_document,
        }
    }

    /// Every document a unit of its own.
    pub fn singletons(n: usize) -> Units {
        Units::new(n, &DuplicateGroups::default())
    }

    /// Number of units.
    pub fn len(&self) -> usize {
        self.representatives.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.representatives.is_empty()
    }

    /// Each unit's smallest member rank, from each document's `rank`.
    pub fn ranks(&self, rank: &[u32]) -> Vec<u32> {
        let mut out = vec![u32::MAX; self.len()];
        for (d, &u) in self.of_document.iter().enumerate() {
            out[u as usize] = out[u as usize].min(rank[d]);
        }
        out
    }

    /// Each document's value, given each unit's.
    pub fn spread<T: Copy>(&self, per_unit: &[T]) -> Vec<T> {
        self.of_document
            .iter()
            .map(|&u| per_unit[u as usize])
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::minhash::DuplicateGroup;

    #[test]
    fn groups_become_weighted_units() {
        let groups = DuplicateGroups {
            groups: vec![DuplicateGroup {
                canonical: 3,
                members: vec![(1, 0.9), (4, 0.85)],
            }],
        };
        let units = Units::new(5, &groups);
        assert_eq!(units.representatives, [0, 2, 3]);
        assert_eq!(units.weights, [1, 1, 3]);
        assert_eq!(units.of_document, [0, 2, 1, 2, 2]);
        assert_eq!(units.ranks(&[4, 0, 3, 2, 1]), [4, 3, 0]);
        assert_eq!(units.spread(&[10, 20, 30]), [10, 30, 20, 30, 30]);
        assert_eq!(Units::singletons(3).weights, [1, 1, 1]);
    }
}
