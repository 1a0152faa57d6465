//! Topic summaries: the stories of each topic, with a label drawn from their labels.

use super::{Stories, Story};
use crate::cluster::StoryClusters;
use crate::corpus::Timestamp;
use ahash::AHashMap;
use serde::Serialize;

/// A topic: related stories (Trump–Putin relations, say, holding the secret calls and the
/// Riyadh summit).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Topic {
    /// 1-based, in the order topics are listed.
    pub id: usize,
    /// Number of articles.
    pub size: usize,
    /// Terms shared by its stories' labels, most weighty first.
    pub label: Vec<String>,
    /// The headline of its largest story.
    pub headline: String,
    /// Its stories' ids, in the order stories are listed (largest first).
    pub stories: Vec<usize>,
    /// Earliest date.
    pub first_date: Option<Timestamp>,
    /// Latest date.
    pub last_date: Option<Timestamp>,
}

/// Groups the stories into topics by the clustering's topic keys, sets each story's `topic`
/// and fills `stories.topics`: by size, then most recent, then by their first story. Each
/// topic's label is drawn from its stories' labels.
pub fn attach_topics(stories: &mut Stories, clusters: &StoryClusters, label_terms: usize) {
    attach_topics_labelled(stories, clusters, label_terms, &AHashMap::new());
}

/// [`attach_topics`], with the labels of some topics given by topic key.
pub(crate) fn attach_topics_labelled(
    stories: &mut Stories,
    clusters: &StoryClusters,
    label_terms: usize,
    labels: &AHashMap<u32, Vec<String>>,
) {
    let mut by_key: AHashMap<u32, Vec<usize>> = AHashMap::new();
    for (i, s) in stories.stories.iter().enumerate() {
        let first = s.members.first().map_or(0, |m| m.index as usize);
        by_key.entry(clusters.topics[first]).or_default().push(i);
    }
    // Stories are listed in their order already, so each list is too.
    let mut topics: Vec<Topic> = by_key
        .into_iter()
        .map(|(key, members)| {
            let mut topic = topic_of(&stories.stories, &members, label_terms);
            if let Some(label) = labels.get(&key) {
                topic.label = label.clone();
            }
            topic
        })
        .collect();
    topics.sort_by(|a, b| {
        b.size
            .cmp(&a.size)
            .then_with(|| b.last_date.cmp(&a.last_date))
            .then_with(|| a.stories[0].cmp(&b.stories[0]))
    });
    for (i, t) in topics.iter_mut().enumerate() {
        t.id = i + 1;
        for &s in &t.stories {
            stories.stories[s - 1].topic = t.id;
        }
    }
    stories.topics = topics;
}

fn topic_of(stories: &[Story], members: &[usize], label_terms: usize) -> Topic {
    let of = || members.iter().map(|&i| &stories[i]);
    Topic {
        id: 0,
        size: of().map(|s| s.size).sum(),
        label: shared_label(of(), label_terms),
        headline: stories[members[0]].headline.clone(),
        stories: of().map(|s| s.id).collect(),
        first_date: of().filter_map(|s| s.first_date).min(),
        last_date: of().filter_map(|s| s.last_date).max(),
    }
}

/// The label terms of the stories, each weighed by the articles of the stories that carry
/// it and by its place in their labels; a term that shares a word with a weightier one is
/// left out, so the label names different things.
fn shared_label<'a>(stories: impl Iterator<Item = &'a Story>, k: usize) -> Vec<String> {
    let mut weight: Vec<(&'a str, f64, usize)> = Vec::new();
    let mut index: AHashMap<&'a str, usize> = AHashMap::new();
    for (order, s) in stories.enumerate() {
        for (place, term) in s.label.iter().enumerate() {
            let w = s.size as f64 / (1.0 + place as f64);
            let i = *index.entry(term).or_insert_with(|| {
                weight.push((term, 0.0, order * 64 + place));
                weight.len() - 1
            });
            weight[i].1 += w;
        }
    }
    weight.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.2.cmp(&b.2)));
    let mut chosen: Vec<String> = Vec::new();
    for (term, _, _) in weight {
        let shares_a_word = chosen
            .iter()
            .any(|c| c.split(' ').any(|w| term.split(' ').any(|v| v == w)));
        if !shares_a_word {
            chosen.push(term.to_string());
        }
        if chosen.len() == k {
            break;
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story(id: usize, size: usize, label: &[&str]) -> Story {
        Story {
            id,
            size,
            label: label.iter().map(|s| s.to_string()).collect(),
            headline: format!("h{id}"),
            representative: String::new(),
            members: Vec::new(),
            sources: Vec::new(),
            first_date: None,
            last_date: None,
            first_publisher: None,
            key_sentences: Vec::new(),
            duplicate_groups: Vec::new(),
            cohesion: 1.0,
            lang: "en",
            topic: 0,
        }
    }

    #[test]
    fn labels_favour_terms_of_many_and_large_stories_and_skip_shared_words() {
        let stories = [
            story(1, 5, &["trump", "putin", "secret calls"]),
            story(2, 3, &["putin", "riyadh summit", "trump"]),
            story(3, 1, &["calls", "kremlin"]),
        ];
        let label = shared_label(stories.iter(), 4);
        assert_eq!(label[0], "trump");
        assert_eq!(label[1], "putin");
        // "calls" shares a word with "secret calls", which weighs more.
        assert!(label.contains(&"secret calls".to_string()));
        assert!(!label.contains(&"calls".to_string()));
        assert_eq!(label.len(), 4);
    }

    #[test]
    fn a_topic_adds_up_its_stories() {
        let stories = [story(1, 5, &["a"]), story(2, 3, &["b"])];
        let t = topic_of(&stories, &[0, 1], 5);
        assert_eq!(t.size, 8);
        assert_eq!(t.stories, vec![1, 2]);
        assert_eq!(t.headline, "h1");
    }
}
