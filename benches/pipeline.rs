//! Throughput of the near-duplicate and story stages on a fixed generated input: 40 synthetic
//! variants of each seed article (205 documents).
//!
//! `cargo bench --bench pipeline`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use storyclust::corpus::{read_corpus, Document, Origin, ReadOptions, Timestamp};
use storyclust::minhash::{
    candidates, exact_join, id_order, LshParams, MinHashParams, Scheme, ShingleSets, Signatures,
    Signer, EMPTY,
};
use storyclust::synth::{synthesize, SynthOptions};
use storyclust::text::{analyze, AnalysisOptions};
use storyclust::tfidf::{neighbour_graph, TfIdf, TfIdfOptions};

fn corpus() -> Vec<Document> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
    let seeds = read_corpus(&[dir], &ReadOptions::default())
        .expect("seeds/ is readable")
        .documents;
    let origin = Origin::file(std::sync::Arc::new("synth".into()));
    synthesize(&seeds, &{
        let mut o = SynthOptions::default();
        o.copies = 40;
        o
    })
    .expect("the options pass their check")
    .into_iter()
    .map(|a| {
        let mut doc = Document::new(a.id, a.text);
        doc.title = a.title;
        doc.source = Some(a.source);
        doc.date = a.date.as_deref().and_then(Timestamp::parse);
        doc.origin = origin.clone();
        doc
    })
    .collect()
}

fn bench_near_duplicates(c: &mut Criterion) {
    let docs = corpus();
    let analyzed = analyze(&docs, &{
        let mut o = AnalysisOptions::default();
        o.terms = false;
        o
    })
    .expect("the options pass their check");
    let sets = ShingleSets::from_analysis(&analyzed, 3).into_sets();
    let shingles: usize = sets.iter().map(Vec::len).sum();
    let mut group = c.benchmark_group("near-duplicates");
    group.throughput(Throughput::Elements(shingles as u64));
    group.sample_size(20);
    for scheme in [Scheme::Fast, Scheme::Classic] {
        let params = {
            let mut o = MinHashParams::default();
            o.scheme = scheme;
            o
        };
        group.bench_function(format!("minhash {scheme:?} (shingles/s)"), |b| {
            b.iter(|| Signatures::compute(black_box(&sets), params).unwrap().len())
        });
    }
    // The signing kernel alone: no thread pool, one set after another.
    let signer = Signer::new({
        let mut o = MinHashParams::default();
        o.scheme = Scheme::Classic;
        o
    })
    .expect("the default length passes its check");
    group.bench_function("minhash Classic, one thread (shingles/s)", |b| {
        let mut row = vec![EMPTY; 128];
        b.iter(|| {
            for set in black_box(&sets) {
                row.fill(EMPTY);
                signer.sign_into(set, &mut row);
            }
            row[0]
        })
    });
    let signatures = Signatures::compute(&sets, MinHashParams::default()).unwrap();
    let include = vec![true; sets.len()];
    let order = id_order(&docs);
    let lsh = LshParams::optimal(0.8, 128, LshParams::RECALL_WEIGHTS);
    group.bench_function("lsh candidates at 0.8", |b| {
        b.iter(|| {
            candidates(black_box(&signatures), lsh, &include, &order, 1000)
                .unwrap()
                .pairs
                .len()
        })
    });
    group.bench_function("exact join at 0.8", |b| {
        b.iter(|| exact_join(black_box(&sets), 0.8).len())
    });
    group.finish();
}

fn bench_stories(c: &mut Criterion) {
    let docs = corpus();
    let analyzed = analyze(&docs, &{
        let mut o = AnalysisOptions::default();
        o.bigrams = true;
        o
    })
    .expect("the options pass their check");
    let mut group = c.benchmark_group("stories");
    group.throughput(Throughput::Elements(docs.len() as u64));
    group.sample_size(20);
    let options = {
        let mut o = TfIdfOptions::default();
        o.min_df = 2;
        o
    };
    group.bench_function("tfidf (docs/s)", |b| {
        b.iter(|| {
            TfIdf::fit(black_box(&analyzed), &options)
                .expect("the options pass their check")
                .vectors
                .len()
        })
    });
    let model = TfIdf::fit(&analyzed, &options).expect("the options pass their check");
    for (name, keywords) in [
        ("neighbours, 40 keywords", Some(40)),
        ("neighbours, exact", None),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                neighbour_graph(
                    black_box(&model.vectors),
                    model.vocabulary.len(),
                    0.04,
                    keywords,
                    None,
                )
                .edge_count()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_near_duplicates, bench_stories);
criterion_main!(benches);
