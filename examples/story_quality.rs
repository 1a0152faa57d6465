//! Story and topic quality on every labelled dev set, with the default options, then the
//! sensitivity of the figures to each option around its default.
//!
//! `cargo run --release --example story_quality -- ../shared/data`
//!
//! Story level: B-cubed F1 against the event gold (ECB+, its headline-only cut) and the
//! SemEval-2022 pairs (same-story pairs joined / unrelated pairs joined). Topic level:
//! B-cubed F1 against the topic gold (wikiref220, ECB+ topics).

use std::path::Path;
use storyclust::cluster::{
    read_gold, read_pairs, score, score_pairs, JudgedPair, StoryCut, StoryDecision, StoryModel,
    StoryOptions,
};
use storyclust::corpus::{read_corpus, Document, ReadOptions};
use storyclust::minhash::{find_duplicates, Dedup, DedupOptions};
use storyclust::pipeline::PipelineOptions;
use storyclust::text::{analyze, AnalyzedCorpus};

/// What a set is scored against, and at which grain.
enum Truth {
    Gold(&'static str, Vec<(String, String)>),
    Pairs(Vec<JudgedPair>),
}

struct Set {
    name: &'static str,
    docs: Vec<Document>,
    analyzed: AnalyzedCorpus,
    dedup: Dedup,
    stories: Option<Truth>,
    topics: Option<Truth>,
}

fn load(dir: &Path) -> Vec<Set> {
    let gold = |f: &str, grain| Truth::Gold(grain, read_gold(&dir.join(f)).expect("gold"));
    let pairs = |f: &str| Truth::Pairs(read_pairs(&dir.join(f)).expect("pairs"));
    let sets: [(&str, Option<Truth>, Option<Truth>); 5] = [
        (
            "ecbplus",
            Some(gold("ecbplus.gold.tsv", "events")),
            Some(gold("ecbplus.topics.gold.tsv", "topics")),
        ),
        (
            "ecbplus-titles",
            Some(gold("ecbplus.gold.tsv", "events")),
            None,
        ),
        ("semeval22-en", Some(pairs("semeval22-en.pairs.tsv")), None),
        (
            "semeval22-ar-dev",
            Some(pairs("semeval22-ar-dev.pairs.tsv")),
            None,
        ),
        (
            "wikiref220",
            None,
            Some(gold("wikiref220.gold.tsv", "topics")),
        ),
    ];
    let options = PipelineOptions::default();
    sets.into_iter()
        .map(|(name, stories, topics)| {
            let path = dir.join(format!("{name}.jsonl"));
            let docs = read_corpus(&[path], &ReadOptions::default())
                .expect("corpus")
                .documents;
            let analyzed =
                analyze(&docs, &options.analysis).expect("the default options pass their check");
            let dedup = find_duplicates(&docs, &analyzed, &DedupOptions::default())
                .expect("the default options pass their check");
            Set {
                name,
                docs,
                analyzed,
                dedup,
                stories,
                topics,
            }
        })
        .collect()
}

fn figures(set: &Set, truth: &Truth, labels: &[u32]) -> String {
    let prediction: Vec<(String, Option<String>)> = set
        .docs
        .iter()
        .zip(labels)
        .map(|(d, l)| (d.id.clone(), Some(l.to_string())))
        .collect();
    match truth {
        Truth::Gold(grain, gold) => {
            format!("{grain} F1 {:.3}", score(gold, &prediction).bcubed_f1)
        }
        Truth::Pairs(pairs) => {
            let s = score_pairs(pairs, &prediction);
            format!(
                "same {:.3} / unrelated {:.3}",
                s.same_joined, s.unrelated_joined
            )
        }
    }
}

/// One line per set: its figures at both grains, for each cut, from one fit per set.
fn report(sets: &[Set], options: &StoryOptions, cuts: &[(String, StoryCut)]) {
    let models: Vec<StoryModel> = sets
        .iter()
        .map(|set| {
            StoryModel::fit(&set.docs, &set.analyzed, &set.dedup, options)
                .expect("the options pass their check")
        })
        .collect();
    for (name, cut) in cuts {
        println!("== {name}");
        for (set, model) in sets.iter().zip(&models) {
            match model.decide(cut) {
                Ok(decision) => println!("  {}", line(set, &decision)),
                Err(refused) => println!("  {:<17} refused: {refused}", set.name),
            }
        }
    }
}

fn line(set: &Set, decision: &StoryDecision) -> String {
    let mut line = format!("{:<17}", set.name);
    if let Some(t) = &set.stories {
        line.push_str(&format!(" story: {}", figures(set, t, &decision.labels)));
    }
    if let Some(t) = &set.topics {
        line.push_str(&format!("  topic: {}", figures(set, t, &decision.topics)));
    }
    line
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/data".into());
    let sets = load(Path::new(&dir));
    let defaults = StoryOptions::default();
    // The cuts, each option moved on its own, swept over one fit per set.
    let base = defaults.cut();
    let mut cuts = vec![("defaults".to_string(), base.clone())];
    for t in [0.2, 0.225, 0.275, 0.3] {
        cuts.push((format!("threshold {t}"), {
            let mut o = base.clone();
            o.threshold = t;
            o
        }));
    }
    for t in [0.06, 0.1] {
        cuts.push((format!("topic threshold {t}"), {
            let mut o = base.clone();
            o.topic_threshold = t;
            o
        }));
    }
    for r in [0.0, 0.4, 0.6] {
        cuts.push((format!("topic cohesion ratio {r}"), {
            let mut o = base.clone();
            o.topic_cohesion_ratio = r;
            o
        }));
    }
    for r in [0usize, 2] {
        cuts.push((format!("refine {r}"), {
            let mut o = base.clone();
            o.refine_rounds = r;
            o
        }));
    }
    cuts.push(("cohesion ratio 0.65".into(), {
        let mut o = base.clone();
        o.cohesion_ratio = 0.65;
        o
    }));
    report(&sets, &defaults, &cuts);
    // The fitting options, each moved on its own: a new fit each, at the default cut.
    let mut grid: Vec<(String, StoryOptions)> = Vec::new();
    for p in [0.35, 0.65, 1.0] {
        let mut o = defaults.clone();
        o.tfidf.weight_power = p;
        grid.push((format!("weight power {p}"), o));
    }
    for b in [0.5, 1.0] {
        let mut o = defaults.clone();
        o.tfidf.bigram_weight = b;
        grid.push((format!("bigram weight {b}"), o));
    }
    for tw in [1.0, 3.0] {
        let mut o = defaults.clone();
        o.tfidf.title_weight = tw;
        grid.push((format!("title weight {tw}"), o));
    }
    for m in [0.1, 0.25] {
        let mut o = defaults.clone();
        o.tfidf.max_df = m;
        grid.push((format!("max df {m}"), o));
    }
    for t in [0usize, 16, 32] {
        grid.push((format!("short text terms {t}"), {
            let mut o = defaults.clone();
            o.short_text_terms = t;
            o
        }));
    }
    for k in [15, 30, 40] {
        grid.push((format!("keywords {k}"), {
            let mut o = defaults.clone();
            o.keywords = Some(k);
            o
        }));
    }
    for (name, options) in &grid {
        report(&sets, options, &[(name.clone(), options.cut())]);
    }
}
