//! storyclust's side of the peer comparison (`benches/peers/run.sh`): writes the prepared text
//! that the Python tools start from, and times storyclust's own stages on the same data.
//!
//! `cargo run --release --example peer_stages -- INPUT OUTDIR [--time-only]`
//!
//! With `--time-only`, each stage is timed once and only `stages.json` is written (the peers
//! script calls it once per round, interleaved with the other tools).
//! Writes to OUTDIR:
//! - `prepared.jsonl`: per document `id`, `tokens` (the normalised words, boilerplate out,
//!   that storyclust's 3-word shingles are made of) and `terms` (stop words out, stemmed:
//!   what TF-IDF counts), so that every tool gets the same normalisation and shingles;
//! - `vectors.*.bin`: storyclust's TF-IDF vectors as CSR arrays (little-endian u64 indptr,
//!   u32 indices, f32 data), for the scipy product on the very same vectors;
//! - `cosine.tsv`: storyclust's pairs with cosine ≥ 0.3 (the keyword search `cluster` uses);
//! - `stages.json`: medians of 3 runs of each timed stage.

use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;
use storyclust::cluster::StoryOptions;
use storyclust::corpus::{read_corpus, Document, ReadOptions};
use storyclust::minhash::{MinHashParams, ShingleSets, Signatures};
use storyclust::pipeline::PipelineOptions;
use storyclust::text::{analyze, AnalyzedDocument, Analyzer, Lang, Normalizer, Scratch};
use storyclust::tfidf::{neighbour_pairs, TfIdf};

const COSINE: f32 = 0.3;

fn median(runs: usize, mut f: impl FnMut() -> f64) -> f64 {
    let mut times: Vec<f64> = (0..runs).map(|_| f()).collect();
    times.sort_by(f64::total_cmp);
    times[runs / 2]
}

fn seconds(f: impl FnOnce()) -> f64 {
    let t = Instant::now();
    f();
    let s = t.elapsed().as_secs_f64();
    eprintln!("  {s:.3} s");
    s
}

fn write_prepared(
    path: &Path,
    docs: &[Document],
    analyzed: &[AnalyzedDocument],
    options: &PipelineOptions,
) {
    let normalizer = Normalizer::new(options.analysis.normalize);
    let analyzers: Vec<(Lang, Analyzer)> = [Lang::Arabic, Lang::English, Lang::Undetermined]
        .into_iter()
        .map(|l| {
            (
                l,
                Analyzer::terms(normalizer, l, options.analysis.arabic_stemmer),
            )
        })
        .collect();
    let lines: Vec<String> = docs
        .par_iter()
        .zip(analyzed)
        .map(|(doc, a)| {
            let analyzer = &analyzers.iter().find(|(l, _)| *l == a.lang).unwrap().1;
            let (mut tokens, mut terms) = (Vec::new(), Vec::new());
            let mut scratch = Scratch::default();
            let mut buf = String::new();
            for text in a.texts(doc) {
                normalizer.normalize_into(text, &mut buf);
                tokens.extend(buf.split(' ').filter(|w| !w.is_empty()).map(String::from));
                analyzer.for_each_token(text, &mut scratch, |t| terms.push(t.to_string()));
            }
            serde_json::json!({"id": doc.id, "tokens": tokens.join(" "), "terms": terms.join(" ")})
                .to_string()
        })
        .collect();
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for line in lines {
        writeln!(out, "{line}").unwrap();
    }
}

fn write_pairs_and_vectors(
    out: &Path,
    docs: &[Document],
    pairs: &[(u32, u32, f32)],
    model: &TfIdf,
) {
    let mut tsv = std::io::BufWriter::new(std::fs::File::create(out.join("cosine.tsv")).unwrap());
    for &(a, b, c) in pairs {
        writeln!(tsv, "{}\t{}\t{c}", docs[a as usize].id, docs[b as usize].id).unwrap();
    }
    let (mut indptr, mut indices, mut data) = (vec![0u64], Vec::new(), Vec::new());
    for v in &model.vectors {
        indices.extend(v.ids().iter().flat_map(|i| i.to_le_bytes()));
        data.extend(v.weights().iter().flat_map(|w| w.to_le_bytes()));
        indptr.push(indptr.last().unwrap() + v.ids().len() as u64);
    }
    let indptr: Vec<u8> = indptr.iter().flat_map(|i| i.to_le_bytes()).collect();
    std::fs::write(out.join("vectors.indptr.bin"), indptr).unwrap();
    std::fs::write(out.join("vectors.indices.bin"), indices).unwrap();
    std::fs::write(out.join("vectors.data.bin"), data).unwrap();
}

fn main() {
    let mut args = std::env::args().skip(1);
    let input = args.next().expect("usage: peer_stages INPUT OUTDIR");
    let out = PathBuf::from(args.next().expect("usage: peer_stages INPUT OUTDIR"));
    let time_only = args.next().as_deref() == Some("--time-only");
    let runs = if time_only { 1 } else { 3 };
    std::fs::create_dir_all(&out).unwrap();
    let corpus = read_corpus(&[&input], &ReadOptions::default()).expect("a readable corpus");
    let docs = &corpus.documents;
    let options = PipelineOptions::default();
    let analyzed = analyze(docs, &options.analysis).expect("the default options pass their check");
    if !time_only {
        write_prepared(
            &out.join("prepared.jsonl"),
            docs,
            &analyzed.documents,
            &options,
        );
    }

    // (a) MinHash signatures from prepared shingles, one thread.
    let shingles = ShingleSets::from_analysis(&analyzed, options.dedup.ngram);
    let shingle_count: usize = shingles.sets().iter().map(Vec::len).sum();
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let minhash = median(runs, || {
        one.install(|| {
            seconds(|| {
                drop(Signatures::compute(
                    shingles.sets(),
                    MinHashParams::default(),
                ))
            })
        })
    });

    // (c) TF-IDF vectorisation, (d) the cosine ≥ 0.3 graph: all threads.
    let tfidf_options = StoryOptions::default().tfidf;
    let tfidf = median(runs, || {
        seconds(|| drop(TfIdf::fit(&analyzed, &tfidf_options)))
    });
    let model =
        TfIdf::fit(&analyzed, &tfidf_options).expect("the default options pass their check");
    let vocabulary = model.vocabulary.len();

    // The keyword search, as `cluster` runs it (the exact search is far slower on this
    // corpus: see the README); its recall is measured against scipy's exact product.
    let keywords = StoryOptions::default().keywords;
    let search = median(runs, || {
        seconds(|| {
            drop(neighbour_pairs(
                &model.vectors,
                vocabulary,
                COSINE,
                keywords,
                None,
            ))
        })
    });
    let pairs = neighbour_pairs(&model.vectors, vocabulary, COSINE, keywords, None);
    if !time_only {
        write_pairs_and_vectors(&out, docs, &pairs, &model);
    }
    let stages = serde_json::json!({
        "documents": docs.len(),
        "shingles": shingle_count,
        "vocabulary": vocabulary,
        "threads": rayon::current_num_threads(),
        "minhash_1_thread_seconds": minhash,
        "tfidf_seconds": tfidf,
        "cosine_threshold": COSINE,
        "cosine_pairs": pairs.len(),
        "cosine_keyword_seconds": search,
    });
    std::fs::write(out.join("stages.json"), format!("{stages:#}\n")).unwrap();
    println!("{stages:#}");
}
