//! How far the story similarity itself separates judged pairs, before any clustering: for
//! each SemEval-2022 set, every judged pair's story cosine (the similarity stories are
//! merged on), and the best a single threshold on it does for pairs taken one by one.
//!
//! `cargo run --release --example pair_ceiling -- ../shared/data`
//!
//! A pair counts as joined here when its own cosine reaches the threshold. Clustering moves
//! the rates both ways (a weak pair joins through other articles; a strong one can end in
//! two stories that merged elsewhere first), so these show how far the similarity itself
//! separates the pairs, not a bound. Goals are issue 12's: same-story pairs joined ≥ 0.93
//! (Arabic) or 0.95 (English), unrelated pairs joined ≤ 0.12 or 0.05.
//!
//! It also counts the judged pairs whose two articles come from one site, and checks on
//! ECB+ whether close articles of one site are one event: what a discount on pairs from
//! one site would rest on.

use std::collections::HashMap;
use std::path::Path;
use storyclust::cluster::{cluster_stories, read_gold, read_pairs, StoryClusters, StoryOptions};
use storyclust::corpus::{read_corpus, Document, ReadOptions};
use storyclust::minhash::{find_duplicates, DedupOptions};
use storyclust::pipeline::PipelineOptions;
use storyclust::text::analyze;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/data".into());
    let dir = Path::new(&dir);
    for (name, same_goal, unrelated_goal) in [
        ("semeval22-ar-dev", 0.93, 0.12),
        ("semeval22-en", 0.95, 0.05),
    ] {
        report(name, &judged_cosines(dir, name), same_goal, unrelated_goal);
    }
    same_site_events(dir);
}

/// The share of `v` at or above `t`.
fn rate(v: &[f32], t: f32) -> f64 {
    v.iter().filter(|&&s| s >= t).count() as f64 / v.len().max(1) as f64
}

fn report(name: &str, judged: &Judged, same_goal: f64, unrelated_goal: f64) {
    let (same, unrelated) = (&judged.same, &judged.unrelated);
    println!(
        "{name}: {} same-story pairs, {} unrelated",
        same.len(),
        unrelated.len()
    );
    if judged.unknown_ids > 0 {
        println!(
            "  ({} judged pairs name an id the corpus lacks: left out)",
            judged.unknown_ids
        );
    }
    println!(
        "  from one site: {} of the same-story pairs, {} of the unrelated",
        judged.same_site.0, judged.same_site.1
    );
    let mut cuts: Vec<f32> = same.iter().chain(unrelated).copied().collect();
    cuts.sort_by(f32::total_cmp);
    cuts.dedup();
    // The most same-story pairs any threshold keeps while unrelated pairs stay in goal, and
    // the fewest unrelated pairs any threshold keeps while same-story pairs do.
    let best_same = cuts
        .iter()
        .filter(|&&t| rate(unrelated, t) <= unrelated_goal)
        .map(|&t| (rate(same, t), t))
        .fold((0.0, f32::NAN), |a, b| if b.0 > a.0 { b } else { a });
    let best_unrelated = cuts
        .iter()
        .filter(|&&t| rate(same, t) >= same_goal)
        .map(|&t| (rate(unrelated, t), t))
        .fold((1.0, f32::NAN), |a, b| if b.0 < a.0 { b } else { a });
    println!(
        "  unrelated ≤ {unrelated_goal}: at best {:.3} of same-story pairs (threshold {:.3})",
        best_same.0, best_same.1
    );
    println!(
        "  same-story ≥ {same_goal}: at best {:.3} of unrelated pairs (threshold {:.3})",
        best_unrelated.0, best_unrelated.1
    );
    for t in [0.2f32, 0.25, 0.3, 0.35, 0.4] {
        let (s, u) = (rate(same, t), rate(unrelated, t));
        println!("  threshold {t:.2}: same {s:.3} / unrelated {u:.3}");
    }
}

/// A corpus clustered with the default options.
fn clustered(path: &Path) -> (Vec<Document>, StoryClusters) {
    let docs = read_corpus(&[path.to_path_buf()], &ReadOptions::default())
        .expect("corpus")
        .documents;
    let options = PipelineOptions::default();
    let analyzed = analyze(&docs, &options.analysis).expect("default analysis");
    let dedup = find_duplicates(&docs, &analyzed, &DedupOptions::default()).expect("default");
    let clusters =
        cluster_stories(&docs, &analyzed, &dedup, &StoryOptions::default()).expect("default");
    (docs, clusters)
}

/// The story cosine of documents `a` and `b`: 1 inside a near-duplicate group, and 0 where
/// the story graph has no edge (below its floor, more than the time window apart, or not
/// found by the keyword search).
fn story_cosine(clusters: &StoryClusters, a: usize, b: usize) -> f32 {
    let unit = |d: usize| clusters.units.of_document()[d] as usize;
    let (a, b) = (unit(a), unit(b));
    if a == b {
        return 1.0;
    }
    let edges = clusters.graph.neighbours(a);
    edges
        .iter()
        .find(|e| e.0 as usize == b)
        .map_or(0.0, |e| e.1)
}

/// The judged pairs' story cosines, split into same-story (score ≤ 1.5) and unrelated
/// (≥ 3.5) pairs; how many of each come from one site; and how many pairs name an id the
/// corpus lacks.
struct Judged {
    same: Vec<f32>,
    unrelated: Vec<f32>,
    same_site: (usize, usize),
    unknown_ids: usize,
}

fn judged_cosines(dir: &Path, name: &str) -> Judged {
    let (docs, clusters) = clustered(&dir.join(format!("{name}.jsonl")));
    let index: HashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let mut judged = Judged {
        same: Vec::new(),
        unrelated: Vec::new(),
        same_site: (0, 0),
        unknown_ids: 0,
    };
    for p in read_pairs(&dir.join(format!("{name}.pairs.tsv"))).expect("pairs") {
        let (Some(&a), Some(&b)) = (index.get(p.a.as_str()), index.get(p.b.as_str())) else {
            judged.unknown_ids += 1;
            continue;
        };
        let s = story_cosine(&clusters, a, b);
        let site = docs[a].source.is_some() && docs[a].source == docs[b].source;
        if p.score <= 1.5 {
            judged.same.push(s);
            judged.same_site.0 += usize::from(site);
        } else if p.score >= 3.5 {
            judged.unrelated.push(s);
            judged.same_site.1 += usize::from(site);
        }
    }
    judged
}

/// ECB+: pairs of articles from one site (its placeholder source `ecb+` left out) whose
/// story cosine reaches 0.25, and how many of them are one event by the gold.
fn same_site_events(dir: &Path) {
    let (docs, clusters) = clustered(&dir.join("ecbplus.jsonl"));
    let gold: HashMap<String, String> = read_gold(&dir.join("ecbplus.gold.tsv"))
        .expect("gold")
        .into_iter()
        .collect();
    let site = |d: &Document| d.source.clone().filter(|s| !s.is_empty() && s != "ecb+");
    let (mut close, mut one_event) = (0, 0);
    for a in 0..docs.len() {
        for b in a + 1..docs.len() {
            let same_site = site(&docs[a]).is_some() && site(&docs[a]) == site(&docs[b]);
            if same_site && story_cosine(&clusters, a, b) >= 0.25 {
                close += 1;
                one_event += usize::from(gold.get(&docs[a].id) == gold.get(&docs[b].id));
            }
        }
    }
    println!(
        "ecbplus: pairs of articles from one site with a story cosine ≥ 0.25: {close}, of which one event: {one_event}"
    );
}
