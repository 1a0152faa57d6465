//! Scoring a clustering against pairwise judgements (SemEval-2022 Task 8 style: 1 = same
//! story … 4 = very dissimilar), with the conventions of the project's reference scorer
//! (`../shared/tools/score_pairs.py`): the same figures on the same files.
//!
//! A pair scored at most 1.5 should share a cluster ("same"), one scored at least 3.5
//! should not ("unrelated"); pairs in between are counted but not scored. An id missing from
//! the prediction is its own singleton. Predicted labels are compared as strings, so noise
//! labels (`-1`…) join each other, as in the reference.

use crate::error::{Error, Result};
use ahash::{AHashMap, AHashSet};
use serde::Serialize;
use std::path::Path;

/// One judged pair.
#[derive(Debug, Clone, PartialEq)]
pub struct JudgedPair {
    /// One article's id.
    pub a: String,
    /// The other's.
    pub b: String,
    /// The judgement: 1 = same story … 4 = very dissimilar.
    pub score: f64,
}

/// The figures.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
#[non_exhaustive]
pub struct PairScores {
    /// Share of same-story pairs put in one cluster (higher is better).
    pub same_joined: f64,
    /// Share of unrelated pairs put in one cluster (lower is better).
    pub unrelated_joined: f64,
    /// (same pairs joined + unrelated pairs apart) / (same + unrelated pairs).
    pub pair_accuracy: f64,
    /// Same-story pairs.
    pub n_same: usize,
    /// Unrelated pairs.
    pub n_unrelated: usize,
    /// Pairs in between.
    pub n_middle: usize,
    /// In-between pairs joined.
    pub middle_joined: usize,
    /// Ids of the pairs absent from the prediction.
    pub missing: usize,
}

/// Reads `id_a<TAB>id_b<TAB>score` lines, no header; blank lines are skipped.
pub fn read_pairs(path: &Path) -> Result<Vec<JudgedPair>> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let mut pairs = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let score = fields.get(2).and_then(|s| s.trim().parse::<f64>().ok());
        match (fields.len() >= 3, score) {
            (true, Some(score)) if score.is_finite() => pairs.push(JudgedPair {
                a: fields[0].to_string(),
                b: fields[1].to_string(),
                score,
            }),
            _ => {
                return Err(Error::Format {
                    path: path.to_path_buf(),
                    message: format!(
                    "line {}: expected `id_a<TAB>id_b<TAB>score` (a pairs file), found {line:?}",
                    n + 1
                ),
                })
            }
        }
    }
    Ok(pairs)
}

/// Scores `prediction` (id, label) against the judged pairs. A repeated id keeps its first
/// label, as in [`super::score`].
pub fn score_pairs(pairs: &[JudgedPair], prediction: &[(String, Option<String>)]) -> PairScores {
    let mut label: AHashMap<&str, &str> = AHashMap::new();
    for (id, l) in prediction {
        label.entry(id).or_insert(l.as_deref().unwrap_or(""));
    }
    let (mut same, mut unrelated, mut middle) = ([0usize; 2], [0usize; 2], [0usize; 2]);
    let mut missing: AHashSet<&str> = AHashSet::new();
    for p in pairs {
        let (la, lb) = (label.get(p.a.as_str()), label.get(p.b.as_str()));
        for (id, l) in [(&p.a, la), (&p.b, lb)] {
            if l.is_none() {
                missing.insert(id);
            }
        }
        let joined = matches!((la, lb), (Some(x), Some(y)) if x == y);
        let bucket = if p.score <= 1.5 {
            &mut same
        } else if p.score >= 3.5 {
            &mut unrelated
        } else {
            &mut middle
        };
        bucket[0] += 1;
        bucket[1] += usize::from(joined);
    }
    let share = |b: [usize; 2]| {
        if b[0] > 0 {
            b[1] as f64 / b[0] as f64
        } else {
            0.0
        }
    };
    PairScores {
        same_joined: share(same),
        unrelated_joined: share(unrelated),
        pair_accuracy: (same[1] + unrelated[0] - unrelated[1]) as f64
            / (same[0] + unrelated[0]).max(1) as f64,
        n_same: same[0],
        n_unrelated: unrelated[0],
        n_middle: middle[0],
        middle_joined: middle[1],
        missing: missing.len(),
    }
}

impl PairScores {
    /// The figures as lines of text, as the reference scorer prints them.
    pub fn to_text(&self) -> String {
        let joined = |share: f64, n: usize| (share * n as f64).round() as usize;
        format!(
            "same-story pairs joined  {}/{} ({:.3})   higher is better\n\
             unrelated pairs joined   {}/{} ({:.3})   lower is better\n\
             in-between pairs joined  {}/{}\n\
             pair accuracy            {:.3}\n\
             ids missing from PRED    {}\n",
            joined(self.same_joined, self.n_same),
            self.n_same,
            self.same_joined,
            joined(self.unrelated_joined, self.n_unrelated),
            self.n_unrelated,
            self.unrelated_joined,
            self.middle_joined,
            self.n_middle,
            self.pair_accuracy,
            self.missing
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(a: &str, b: &str, score: f64) -> JudgedPair {
        JudgedPair {
            a: a.into(),
            b: b.into(),
            score,
        }
    }

    fn pred(rows: &[(&str, &str)]) -> Vec<(String, Option<String>)> {
        rows.iter()
            .map(|(i, l)| (i.to_string(), Some(l.to_string())))
            .collect()
    }

    #[test]
    fn buckets_follow_the_reference_cut_points() {
        let pairs = [
            pair("a", "b", 1.0),
            pair("a", "c", 1.5),
            pair("b", "d", 3.5),
            pair("c", "d", 4.0),
            pair("a", "d", 2.5),
            pair("a", "zz", 1.0),
        ];
        let s = score_pairs(
            &pairs,
            &pred(&[("a", "1"), ("b", "1"), ("c", "2"), ("d", "1")]),
        );
        assert_eq!((s.n_same, s.n_unrelated, s.n_middle), (3, 2, 1));
        // Same: a-b joined, a-c apart, a-zz missing (a singleton): 1 of 3.
        assert!((s.same_joined - 1.0 / 3.0).abs() < 1e-12);
        // Unrelated: b-d joined, c-d apart.
        assert!((s.unrelated_joined - 0.5).abs() < 1e-12);
        assert_eq!(s.middle_joined, 1);
        assert_eq!(s.missing, 1);
        // (1 same joined + 1 unrelated apart) / 5.
        assert!((s.pair_accuracy - 0.4).abs() < 1e-12);
    }

    #[test]
    fn a_repeated_id_keeps_its_first_label() {
        let pairs = [pair("a", "b", 1.0)];
        let s = score_pairs(&pairs, &pred(&[("a", "1"), ("b", "1"), ("a", "2")]));
        assert_eq!(s.same_joined, 1.0);
    }

    #[test]
    fn malformed_lines_are_refused_with_their_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.tsv");
        std::fs::write(&path, "a\tb\t1\n\na\tb\tx\n").unwrap();
        let err = read_pairs(&path).unwrap_err().to_string();
        assert!(err.contains("p.tsv: line 3"), "{err}");
        std::fs::write(&path, "a\tb\t1\r\nc\td\t4.0\n").unwrap();
        assert_eq!(read_pairs(&path).unwrap().len(), 2);
    }
}
