//! Topics: the stories merged further, as a looser cut of the same average-linkage tree.
//!
//! Each story becomes one node, weighted by its documents, and two stories are linked by
//! the sum of the similarities over their pairs of nodes. Average linkage then goes on from
//! the stories with a lower threshold: the mean over all pairs of documents, as within a
//! story, so a topic is what the story merges would have become had they gone on.

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
