//! Measurements behind the near-duplicate defaults (n-gram size, MinHash scheme).
//!
//! `cargo run --release --example measure_dedup -- ../shared/data/saudinewsnet.jsonl.gz`
//!
//! For n = 2, 3, 5 it prints: exact pairs at Jaccard 0.5 and 0.8; how many pairs of
//! documents with the same title (at least four words, so edited copies of one story) reach
//! each threshold; the Jaccard of random pairs (the noise floor). Then, for 3-word shingles,
//! the estimation error of both MinHash schemes against exact Jaccard on every pair with
//! Jaccard ≥ 0.2: mean and 99th percentile.

use std::collections::HashMap;
use storyclust::corpus::{read_corpus, ReadOptions};
use storyclust::minhash::{exact_join, jaccard, MinHashParams, Scheme, Signatures};
use storyclust::text::{analyze, shingle_set, AnalysisOptions, Normalizer};

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/data/saudinewsnet.jsonl.gz".into());
    let corpus = read_corpus(&[&path], &ReadOptions::default()).expect("readable corpus");
    let options = {
        let mut o = AnalysisOptions::default();
        o.terms = false;
        o
    };
    let analyzed = analyze(&corpus.documents, &options).expect("the options pass their check");
    let docs = &corpus.documents;
    // Same-title pairs from different documents (titles of four words or more).
    let normalizer = Normalizer::default();
    let mut by_title: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        if let Some(t) = &d.title {
            let n = normalizer.normalize(t);
            if n.split(' ').count() >= 4 {
                by_title.entry(n).or_default().push(i);
            }
        }
    }
    let same_title: Vec<(usize, usize)> = by_title
        .values()
        .filter(|v| v.len() <= 20)
        .flat_map(|v| {
            v.iter()
                .enumerate()
                .flat_map(move |(k, &a)| v[k + 1..].iter().map(move |&b| (a, b)))
        })
        .collect();
    println!(
        "documents {}, same-title pairs {}",
        docs.len(),
        same_title.len()
    );
    println!("n\tpairs≥0.5\tpairs≥0.8\tsame-title≥0.5\tsame-title≥0.8\trandom mean\trandom p99.9");
    let mut rng = 12345u64;
    let mut next = |m: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % m as u64) as usize
    };
    let random: Vec<(usize, usize)> = (0..200_000)
        .map(|_| (next(docs.len()), next(docs.len())))
        .filter(|(a, b)| a != b)
        .collect();
    let mut sets3 = Vec::new();
    for n in [2usize, 3, 5] {
        let sets: Vec<Vec<u64>> = analyzed
            .documents
            .iter()
            .map(|a| shingle_set(&a.tokens, n))
            .collect();
        let p5 = exact_join(&sets, 0.5).len();
        let p8 = exact_join(&sets, 0.8).len();
        let js: Vec<f64> = same_title
            .iter()
            .map(|&(a, b)| jaccard(&sets[a], &sets[b]))
            .collect();
        let st5 = js.iter().filter(|&&j| j >= 0.5).count();
        let st8 = js.iter().filter(|&&j| j >= 0.8).count();
        let mut rj: Vec<f64> = random
            .iter()
            .map(|&(a, b)| jaccard(&sets[a], &sets[b]))
            .collect();
        rj.sort_by(f64::total_cmp);
        let mean = rj.iter().sum::<f64>() / rj.len() as f64;
        let p999 = rj[(rj.len() as f64 * 0.999) as usize];
        println!(
            "{n}\t{p5}\t{p8}\t{st5} ({:.1} %)\t{st8} ({:.1} %)\t{mean:.5}\t{p999:.4}",
            100.0 * st5 as f64 / js.len() as f64,
            100.0 * st8 as f64 / js.len() as f64
        );
        if n == 3 {
            sets3 = sets;
        }
    }
    let pairs = exact_join(&sets3, 0.2);
    println!(
        "\nestimation error on the {} pairs with Jaccard ≥ 0.2 (3-word shingles, 128 permutations)",
        pairs.len()
    );
    println!("scheme\tmean abs error\tp99 abs error\tmean signed error");
    for scheme in [Scheme::Classic, Scheme::Fast] {
        let mut errs = Vec::new();
        let mut signed = 0.0;
        for seed in 1..=3u64 {
            let sig = Signatures::compute(&sets3, {
                let mut params = MinHashParams::default();
                params.scheme = scheme;
                params.num_perm = 128;
                params.seed = seed;
                params
            })
            .expect("128 slots pass the check");
            for &(a, b, j) in &pairs {
                let e = sig.estimate(a as usize, b as usize) - j;
                signed += e;
                errs.push(e.abs());
            }
        }
        errs.sort_by(f64::total_cmp);
        let mean = errs.iter().sum::<f64>() / errs.len() as f64;
        println!(
            "{scheme:?}\t{mean:.4}\t{:.4}\t{:+.5}",
            errs[(errs.len() as f64 * 0.99) as usize],
            signed / errs.len() as f64
        );
    }
}
