//! Text analysis throughput on a fixed input: the seed articles, repeated.
//!
//! `cargo bench --bench analysis`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use storyclust::corpus::{read_corpus, ReadOptions};
use storyclust::text::{analyze, AnalysisOptions, Normalizer};

fn seeds_text() -> Vec<storyclust::corpus::Document> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
    read_corpus(&[dir], &ReadOptions::default())
        .expect("seeds/ is readable")
        .documents
}

fn bench_normalize(c: &mut Criterion) {
    let text: String = seeds_text()
        .iter()
        .map(|d| d.body.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let normalizer = Normalizer::default();
    let mut out = String::new();
    let mut group = c.benchmark_group("normalize");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("seeds", |b| {
        b.iter(|| {
            normalizer.normalize_into(black_box(&text), &mut out);
            out.len()
        })
    });
    group.finish();
}

fn bench_analyze(c: &mut Criterion) {
    // 100 copies of the five seeds: 500 documents, about 2.7 MB.
    let docs: Vec<_> = (0..100)
        .flat_map(|i| {
            seeds_text().into_iter().map(move |mut d| {
                d.id = format!("{}-{i}", d.id);
                d
            })
        })
        .collect();
    let bytes: usize = docs.iter().map(|d| d.text_len()).sum();
    let mut group = c.benchmark_group("analyze");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    for (name, terms) in [("surface", false), ("surface+terms", true)] {
        let options = {
            let mut o = AnalysisOptions::default();
            o.terms = terms;
            o
        };
        group.bench_function(name, |b| {
            b.iter(|| {
                analyze(black_box(&docs), &options)
                    .expect("the options pass their check")
                    .documents
                    .len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_normalize, bench_analyze);
criterion_main!(benches);
