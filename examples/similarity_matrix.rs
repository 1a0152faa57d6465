//! Prints the TF-IDF cosine of every pair of documents of a small corpus, as the story
//! clustering sees them.
//!
//! `cargo run --release --example similarity_matrix -- seeds`

use storyclust::cluster::StoryOptions;
use storyclust::corpus::{read_corpus, ReadOptions};
use storyclust::text::{analyze, AnalysisOptions};
use storyclust::tfidf::TfIdf;

fn main() {
    let input = std::env::args().nth(1).unwrap_or_else(|| "seeds".into());
    let corpus = read_corpus(&[input], &ReadOptions::default()).expect("readable input");
    let analyzed = analyze(&corpus.documents, &{
        let mut o = AnalysisOptions::default();
        o.bigrams = true;
        o
    })
    .expect("the options pass their check");
    let model = TfIdf::fit(&analyzed, &StoryOptions::default().tfidf)
        .expect("the default options pass their check");
    let n = corpus.documents.len().min(30);
    print!("{:>8}", "");
    for b in 0..n {
        print!("{:>8.8}", corpus.documents[b].id);
    }
    println!();
    for a in 0..n {
        print!("{:>8.8}", corpus.documents[a].id);
        for b in 0..n {
            print!("{:>8.3}", model.vectors[a].dot(&model.vectors[b]));
        }
        println!();
    }
    println!("vocabulary: {} terms", model.vocabulary.len());
}
