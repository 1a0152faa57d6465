//! Topic summaries: the stories of each topic, with its label (chosen in the parent
//! module, by what its stories share).

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
    /// Terms that its stories share, most weighty first (a topic of one story: its story's
    /// label).
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
/// and fills `stories.topics`: by size, then most recent, then by their first story. A
/// topic takes its label from `labels` by its key; a topic of one story, its story's label.
pub(crate) fn attach_topics(
    stories: &mut Stories,
    clusters: &StoryClusters,
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
            let label = labels.get(&key).cloned();
            topic_of(&stories.stories, &members, label)
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

/// The topic of `members` (indices into `stories`), labelled `label` or else by its first
/// story's label.
fn topic_of(stories: &[Story], members: &[usize], label: Option<Vec<String>>) -> Topic {
    let of = || members.iter().map(|&i| &stories[i]);
    Topic {
        id: 0,
        size: of().map(|s| s.size).sum(),
        label: label.unwrap_or_else(|| stories[members[0]].label.clone()),
        headline: stories[members[0]].headline.clone(),
        stories: of().map(|s| s.id).collect(),
        first_date: of().filter_map(|s| s.first_date).min(),
        last_date: of().filter_map(|s| s.last_date).max(),
    }
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
    fn a_topic_adds_up_its_stories() {
        let stories = [story(1, 5, &["a"]), story(2, 3, &["b"])];
        let t = topic_of(&stories, &[0, 1], Some(vec!["c".into()]));
        assert_eq!(t.size, 8);
        assert_eq!(t.stories, vec![1, 2]);
        assert_eq!(t.headline, "h1");
        assert_eq!(t.label, ["c"]);
        // A topic of one story has its label.
        assert_eq!(topic_of(&stories, &[1], None).label, ["b"]);
    }
}
