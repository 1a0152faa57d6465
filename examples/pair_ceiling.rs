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

use std::path::Path;
use storyclust::cluster::{cluster_stories, read_pairs, StoryOptions};
use storyclust::corpus::{read_corpus, ReadOptions};
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
        let (same, unrelated) = judged_cosines(dir, name);
        println!(
            "{name}: {} same-story pairs, {} unrelated",
            same.len(),
            unrelated.len()
        );
        let rate =
            |v: &[f32], t: f32| v.iter().filter(|&&s| s >= t).count() as f64 / v.len() as f64;
        let mut cuts: Vec<f32> = same.iter().chain(&unrelated).copied().collect();
        cuts.sort_by(f32::total_cmp);
        cuts.dedup();
        // The most same-story pairs any threshold keeps while unrelated pairs stay in goal,
        // and the fewest unrelated pairs any threshold keeps while same-story pairs do.
        let best_same = cuts
            .iter()
            .filter(|&&t| rate(&unrelated, t) <= unrelated_goal)
            .map(|&t| (rate(&same, t), t))
            .fold((0.0, f32::NAN), |a, b| if b.0 > a.0 { b } else { a });
        let best_unrelated = cuts
            .iter()
            .filter(|&&t| rate(&same, t) >= same_goal)
            .map(|&t| (rate(&unrelated, t), t))
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
            println!(
                "  threshold {t:.2}: same {:.3} / unrelated {:.3}",
                rate(&same, t),
                rate(&unrelated, t)
            );
        }
    }
}

/// Each judged pair's story cosine with the default options (1 inside a near-duplicate
/// group, 0 below the story graph's floor), split into same-story (score ≤ 1.5) and
/// unrelated (≥ 3.5) pairs.
fn judged_cosines(dir: &Path, name: &str) -> (Vec<f32>, Vec<f32>) {
    let docs = read_corpus(
        &[dir.join(format!("{name}.jsonl"))],
        &ReadOptions::default(),
    )
    .expect("corpus")
    .documents;
    let options = PipelineOptions::default();
    let analyzed = analyze(&docs, &options.analysis).expect("default analysis");
    let dedup = find_duplicates(&docs, &analyzed, &DedupOptions::default()).expect("default");
    let clusters =
        cluster_stories(&docs, &analyzed, &dedup, &StoryOptions::default()).expect("default");
    let index: std::collections::HashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let unit = |id: &str| clusters.units.of_document()[index[id]] as usize;
    let cosine = |a: usize, b: usize| -> f32 {
        if a == b {
            return 1.0;
        }
        let edges = clusters.graph.neighbours(a);
        edges
            .iter()
            .find(|e| e.0 as usize == b)
            .map_or(0.0, |e| e.1)
    };
    let (mut same, mut unrelated) = (Vec::new(), Vec::new());
    for p in read_pairs(&dir.join(format!("{name}.pairs.tsv"))).expect("pairs") {
        let s = cosine(unit(&p.a), unit(&p.b));
        if p.score <= 1.5 {
            same.push(s);
        } else if p.score >= 3.5 {
            unrelated.push(s);
        }
    }
    (same, unrelated)
}
