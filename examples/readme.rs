//! The README's Rust example ("## Rust library"), compiled with the examples so that it
//! cannot rot: `tests/readme_example.rs` checks that the README shows this file's code.
//! Run: `cargo run --release --example readme -- articles.jsonl`.
// README example begins
use storyclust::corpus::{read_corpus, ReadOptions};
use storyclust::pipeline::{run_stories, PipelineOptions};
use storyclust::progress::NoObserver;

fn main() -> storyclust::Result<()> {
    let inputs: Vec<String> = std::env::args().skip(1).collect(); // files or folders
    let corpus = read_corpus(&inputs, &ReadOptions::default())?;
    let mut options = PipelineOptions::default();
    options.stories.threshold = 0.3; // checked: a bad value is Error::InvalidOption
    let run = run_stories(&corpus.documents, &options, &NoObserver)?;
    for s in &run.stories.stories {
        println!("{} · {} articles · {}", s.id, s.size, s.headline);
    }
    Ok(())
}
// README example ends
