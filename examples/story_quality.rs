//! Story clustering quality against the labelled corpora, over a grid of settings.
//!
//! `cargo run --release --example story_quality -- ../shared/data`

use storyclust::cluster::{refine, relative_average_linkage, score, Units};
use storyclust::corpus::{read_corpus, ReadOptions};
use storyclust::minhash::{find_duplicates, id_order, DedupOptions};
use storyclust::text::{analyze, AnalysisOptions};
use storyclust::tfidf::{neighbour_graph, TfIdf, TfIdfOptions};

/// (floor, cohesion ratio, refinement rounds)
type Setting = (f64, f64, usize);

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/data".into());
    let floors = [0.05, 0.06, 0.07, 0.08, 0.09, 0.10];
    let relatives = [0.55, 0.6, 0.65, 0.7];
    let rounds_grid = [0usize, 1, 2];
    // corpus → setting → B-cubed F1
    let mut results: Vec<Vec<(Setting, f64)>> = Vec::new();
    for name in ["wikiref220", "ecbplus"] {
        let corpus =
            read_corpus(&[format!("{dir}/{name}.jsonl")], &ReadOptions::default()).unwrap();
        let gold =
            storyclust::cluster::read_gold(std::path::Path::new(&format!("{dir}/{name}.gold.tsv")))
                .unwrap();
        let docs = &corpus.documents;
        let analyzed = analyze(
            docs,
            &AnalysisOptions {
                bigrams: true,
                ..AnalysisOptions::default()
            },
        );
        let dedup = find_duplicates(docs, &analyzed, &DedupOptions::default());
        // As the library does: near-duplicate groups are clustered as weighted units.
        let units = Units::new(docs.len(), &dedup.groups);
        let rank = units.ranks(&id_order(docs));
        let model = TfIdf::fit_documents(
            &analyzed,
            &units.representatives,
            &TfIdfOptions {
                min_df: 2,
                ..TfIdfOptions::default()
            },
        );
        let graph_threshold: f32 = std::env::var("GRAPH")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.04);
        // The library's default (40), `KEYWORDS=0` for the exact search.
        let keywords: Option<usize> =
            match std::env::var("KEYWORDS").ok().and_then(|v| v.parse().ok()) {
                Some(0) => None,
                Some(k) => Some(k),
                None => storyclust::cluster::StoryOptions::default().keywords,
            };
        let graph = neighbour_graph(
            &model.vectors,
            model.vocabulary.len(),
            graph_threshold,
            keywords,
            None,
        );
        if keywords.is_some() {
            let exact = neighbour_graph(
                &model.vectors,
                model.vocabulary.len(),
                graph_threshold,
                None,
                None,
            );
            println!(
                "{name}: keyword search found {} of {} pairs (recall {:.4})",
                graph.edge_count(),
                exact.edge_count(),
                graph.edge_count() as f64 / exact.edge_count().max(1) as f64
            );
        }
        let background = model.background_similarity();
        println!("{name}: background similarity {background:.4}");
        let mut scores = Vec::new();
        for &rounds in &rounds_grid {
            for &relative in &relatives {
                let mut line = format!("{name:<10} refine {rounds} α {relative:.2}:");
                for &floor in &floors {
                    // As the library does: the floor is never below the corpus background.
                    let effective = f64::max(floor, background);
                    let mut labels = relative_average_linkage(
                        &graph,
                        &units.weights,
                        effective,
                        relative,
                        &rank,
                    );
                    for _ in 0..rounds {
                        labels = refine(
                            &model.vectors,
                            &graph,
                            &labels,
                            &units.weights,
                            &rank,
                            effective as f32,
                        );
                    }
                    let labels = units.spread(&labels);
                    let pred: Vec<(String, Option<String>)> = docs
                        .iter()
                        .zip(&labels)
                        .map(|(d, l)| (d.id.clone(), Some(l.to_string())))
                        .collect();
                    let s = score(&gold, &pred);
                    line.push_str(&format!(" {floor:.2}→{:.3}", s.bcubed_f1));
                    scores.push(((floor, relative, rounds), s.bcubed_f1));
                }
                println!("{line}");
            }
        }
        results.push(scores);
    }
    let names = ["wikiref220", "ecbplus"];
    for (chosen_on, other) in [(0, 1), (1, 0)] {
        let best = results[chosen_on]
            .iter()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap();
        let transfer = results[other].iter().find(|r| r.0 == best.0).unwrap();
        println!(
            "chosen on {}: floor {} α {} refine {} → {} {:.3}, {} {:.3}",
            names[chosen_on],
            best.0 .0,
            best.0 .1,
            best.0 .2,
            names[chosen_on],
            best.1,
            names[other],
            transfer.1
        );
    }
    let both = (0..results[0].len())
        .max_by(|&a, &b| {
            results[0][a]
                .1
                .min(results[1][a].1)
                .total_cmp(&results[0][b].1.min(results[1][b].1))
        })
        .unwrap();
    println!(
        "best worst-case: floor {} α {} refine {} → wikiref220 {:.3}, ecbplus {:.3}",
        results[0][both].0 .0,
        results[0][both].0 .1,
        results[0][both].0 .2,
        results[0][both].1,
        results[1][both].1
    );
}
