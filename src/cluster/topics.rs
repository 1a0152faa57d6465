//! Topics: the stories merged further by average linkage, with a looser threshold and a
//! cohesion condition of their own.
//!
//! Each story becomes one node, weighted by its documents, and two stories are linked by
//! the sum of the similarities over their pairs of nodes. Average linkage then goes on from
//! the stories with a lower threshold: the mean over all pairs of documents, as within a
//! story. Without the cohesion ratio a topic is what the story merges would have become had
//! they gone on; with it, two topics also stay apart when they are much less close to each
//! other than the looser one's stories are to each other.

use super::agglomerative::relative_average_linkage_reporting;
use crate::tfidf::NeighbourGraph;
use ahash::AHashMap;
use rayon::prelude::*;

const SCALE: f64 = (1u64 << 32) as f64;

/// Groups stories into topics. `graph` and `weights` are those the stories were clustered
/// on, and `stories` each node's story key (unique per story, and ordering the stories
/// for ties). Two topics merge while the mean similarity over their pairs of documents
/// reaches `threshold` and `relative` times the looser topic's cohesion, the mean over its
/// pairs of documents from different stories (a single story sets no bound; see
/// [`super::relative_average_linkage`]). Returns each node's topic key: the smallest story
/// key in its topic.
pub fn topic_linkage(
    graph: &NeighbourGraph,
    weights: &[u32],
    stories: &[u32],
    threshold: f64,
    relative: f64,
) -> Vec<u32> {
    topic_linkage_reporting(graph, weights, stories, threshold, relative, &|_| {})
}

/// [`topic_linkage`], calling `merged(1)` at each merge of two topics.
pub(crate) fn topic_linkage_reporting(
    graph: &NeighbourGraph,
    weights: &[u32],
    stories: &[u32],
    threshold: f64,
    relative: f64,
    merged: &dyn Fn(u64),
) -> Vec<u32> {
    // Stories in key order; a story's key is its smallest member rank, so it ranks it too.
    let mut keys: Vec<u32> = stories.to_vec();
    keys.sort_unstable();
    keys.dedup();
    let index = |key: u32| keys.binary_search(&key).expect("every story has a key") as u32;
    let story_of: Vec<u32> = stories.iter().map(|&key| index(key)).collect();
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); keys.len()];
    for (node, &s) in story_of.iter().enumerate() {
        members[s as usize].push(node as u32);
    }
    let story_weight: Vec<u32> = members
        .iter()
        .map(|m| m.iter().map(|&u| weights[u as usize]).sum())
        .collect();
    let pairs = story_pairs(graph, weights, &members, &story_of, &story_weight);
    let story_graph = NeighbourGraph::from_pairs(keys.len(), 0.0, &pairs);
    let topic_of_story = relative_average_linkage_reporting(
        &story_graph,
        &story_weight,
        threshold,
        relative,
        &keys,
        merged,
    );
    stories
        .iter()
        .map(|&key| topic_of_story[index(key) as usize])
        .collect()
}

/// The mean similarity of each pair of linked stories, over their pairs of documents. Each
/// story sums its pairs with the stories after it; sums are fixed-point integers, as in the
/// linkage, so they do not depend on the order of the edges.
fn story_pairs(
    graph: &NeighbourGraph,
    weights: &[u32],
    members: &[Vec<u32>],
    story_of: &[u32],
    story_weight: &[u32],
) -> Vec<(u32, u32, f32)> {
    (0..members.len() as u32)
        .into_par_iter()
        .flat_map_iter(|sa| {
            let mut sums: AHashMap<u32, u128> = AHashMap::new();
            for &a in &members[sa as usize] {
                for &(b, s) in graph.neighbours(a as usize) {
                    let sb = story_of[b as usize];
                    if sb > sa {
                        *sums.entry(sb).or_insert(0) += (f64::from(s) * SCALE).round() as u128
                            * u128::from(weights[a as usize])
                            * u128::from(weights[b as usize]);
                    }
                }
            }
            let wa = f64::from(story_weight[sa as usize]);
            let mut out: Vec<(u32, u32, f32)> = sums
                .into_iter()
                .map(|(sb, sum)| {
                    let pairs = wa * f64::from(story_weight[sb as usize]);
                    (sa, sb, (sum as f64 / SCALE / pairs) as f32)
                })
                .collect();
            out.sort_unstable_by_key(|p| p.1);
            out
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::average_linkage;

    /// A small graph: two tight pairs (0,1) and (2,3) loosely linked, and a loner 4.
    fn graph() -> NeighbourGraph {
        NeighbourGraph::from_pairs(
            5,
            0.0,
            &[
                (0, 1, 0.9),
                (2, 3, 0.8),
                (0, 2, 0.3),
                (1, 3, 0.2),
                (1, 2, 0.1),
                (3, 4, 0.05),
            ],
        )
    }

    #[test]
    fn topics_are_a_looser_cut_of_the_same_tree() {
        let g = graph();
        let w = vec![1u32; 5];
        let rank: Vec<u32> = (0..5).collect();
        // Brute force: average linkage from singletons at the lower threshold.
        for (story_t, topic_t) in [(0.5, 0.1), (0.5, 0.2), (0.5, 0.01), (0.85, 0.1)] {
            let stories = average_linkage(&g, &w, story_t, &rank);
            let topics = topic_linkage(&g, &w, &stories, topic_t, 0.0);
            let direct = average_linkage(&g, &w, topic_t, &rank);
            assert_eq!(topics, direct, "stories at {story_t}, topics at {topic_t}");
        }
    }

    #[test]
    fn a_loose_topic_takes_a_loose_story_and_two_tight_topics_stay_apart() {
        // {0,1} and {2,3}: tight (0.9), linked at a mean of 0.15. {4,5,6}: loose (0.2), and
        // 7 is linked to each of them at 0.12. Each article is its own story.
        let g = NeighbourGraph::from_pairs(
            8,
            0.0,
            &[
                (0, 1, 0.9),
                (2, 3, 0.9),
                (0, 2, 0.3),
                (1, 3, 0.3),
                (4, 5, 0.2),
                (4, 6, 0.2),
                (5, 6, 0.2),
                (4, 7, 0.12),
                (5, 7, 0.12),
                (6, 7, 0.12),
            ],
        );
        let w = vec![1u32; 8];
        let stories: Vec<u32> = (0..8).collect();
        let plain = topic_linkage(&g, &w, &stories, 0.1, 0.0);
        assert_eq!(
            plain[0], plain[2],
            "without the ratio the tight topics merge"
        );
        let relative = topic_linkage(&g, &w, &stories, 0.1, 0.5);
        assert_ne!(relative[0], relative[2], "0.15 < 0.5 × 0.9");
        assert_eq!(relative[0], relative[1]);
        assert_eq!(relative[4], relative[7], "0.12 ≥ 0.5 × 0.2");
    }

    #[test]
    fn from_single_article_stories_topics_are_the_relative_linkage() {
        let g = graph();
        let w = vec![1u32, 2, 1, 1, 3];
        let rank: Vec<u32> = (0..5).collect();
        for (t, r) in [(0.1, 0.5), (0.05, 0.9), (0.2, 0.3), (0.01, 0.0)] {
            assert_eq!(
                topic_linkage(&g, &w, &rank, t, r),
                crate::cluster::relative_average_linkage(&g, &w, t, r, &rank),
                "threshold {t}, ratio {r}"
            );
        }
    }

    /// Brute force of topic linkage with a cohesion ratio, every document of weight 1: from
    /// the stories, merge the pair of topics with the highest mean similarity over their
    /// pairs of documents, among those reaching `threshold` and not refused; a pair is
    /// refused below `relative` times the looser cohesion, a topic's cohesion being the mean
    /// over its pairs of documents from different stories (none inside a single story).
    fn brute_topics(s: &[Vec<f64>], stories: &[u32], threshold: f64, relative: f64) -> Vec<u32> {
        let mut topics: Vec<Vec<usize>> = Vec::new();
        for key in stories
            .iter()
            .copied()
            .collect::<std::collections::BTreeSet<u32>>()
        {
            topics.push((0..s.len()).filter(|&d| stories[d] == key).collect());
        }
        let mean = |a: &[usize], b: &[usize]| {
            let sum: f64 = a
                .iter()
                .flat_map(|&x| b.iter().map(move |&y| s[x][y]))
                .sum();
            sum / (a.len() * b.len()) as f64
        };
        let cohesion = |t: &[usize]| {
            let pairs: Vec<f64> = t
                .iter()
                .flat_map(|&x| t.iter().filter(move |&&y| y > x).map(move |&y| (x, y)))
                .filter(|&(x, y)| stories[x] != stories[y])
                .map(|(x, y)| s[x][y])
                .collect();
            (!pairs.is_empty()).then(|| pairs.iter().sum::<f64>() / pairs.len() as f64)
        };
        loop {
            let mut best: Option<(f64, usize, usize)> = None;
            for i in 0..topics.len() {
                for j in i + 1..topics.len() {
                    let m = mean(&topics[i], &topics[j]);
                    let looser = match (cohesion(&topics[i]), cohesion(&topics[j])) {
                        (Some(x), Some(y)) => Some(x.min(y)),
                        (x, y) => x.or(y),
                    };
                    let refused = relative > 0.0 && looser.is_some_and(|c| m < relative * c);
                    if m >= threshold && !refused && best.is_none_or(|b| m > b.0) {
                        best = Some((m, i, j));
                    }
                }
            }
            let Some((_, i, j)) = best else { break };
            let merged = topics.remove(j);
            topics[i].extend(merged);
        }
        let mut out = vec![0u32; s.len()];
        for t in &topics {
            let key = t.iter().map(|&d| stories[d]).min().unwrap();
            for &d in t {
                out[d] = key;
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn topics_of_several_article_stories_equal_brute_force(
            story_of in proptest::collection::vec(0u32..4, 2..8),
            raw in proptest::collection::vec(0u32..1000, 28),
            threshold in proptest::sample::select(vec![0.0713, 0.1519, 0.2731]),
            relative in proptest::sample::select(vec![0.0, 0.3, 0.5, 0.8]),
        ) {
            let n = story_of.len();
            // A story's key: its first document.
            let stories: Vec<u32> = story_of
                .iter()
                .map(|&g| story_of.iter().position(|&h| h == g).unwrap() as u32)
                .collect();
            let mut pairs = Vec::new();
            let mut k = 0;
            for a in 0..n {
                for b in a + 1..n {
                    // Distinct similarities, a third of them absent.
                    let v = raw[k];
                    k += 1;
                    if v % 3 != 0 {
                        let c = (v as f32 + (a * 8 + b) as f32 * 1e-3) / 1000.0;
                        pairs.push((a as u32, b as u32, c));
                    }
                }
            }
            let mut s = vec![vec![0f64; n]; n];
            for &(a, b, c) in &pairs {
                s[a as usize][b as usize] = f64::from(c);
                s[b as usize][a as usize] = f64::from(c);
            }
            let g = NeighbourGraph::from_pairs(n, 0.0, &pairs);
            let w = vec![1u32; n];
            let got = topic_linkage(&g, &w, &stories, threshold, relative);
            proptest::prop_assert_eq!(got, brute_topics(&s, &stories, threshold, relative));
        }
    }

    #[test]
    fn every_story_lies_in_one_topic() {
        let g = graph();
        let w = vec![2u32, 1, 1, 3, 1];
        let rank: Vec<u32> = (0..5).collect();
        let stories = average_linkage(&g, &w, 0.5, &rank);
        let topics = topic_linkage(&g, &w, &stories, 0.1, 0.0);
        for a in 0..5 {
            for b in 0..5 {
                if stories[a] == stories[b] {
                    assert_eq!(topics[a], topics[b]);
                }
            }
        }
        assert_eq!(topics[0], topics[2]);
        assert_ne!(topics[0], topics[4]);
    }
}
