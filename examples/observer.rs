//! The README's observer and run-record snippets ("### Progress and the library's
//! observer"), compiled with the examples so that they cannot rot:
//! `tests/readme_example.rs` checks that the README shows this file's code.
//! Run from a folder holding `articles.jsonl`: `cargo run --release --example observer`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // README observer begins
    // TerminalProgress needs the default `cli` feature; with default-features = false, use
    // NoObserver or an observer of your own in its place.
    use storyclust::corpus::{read_corpus_observed, ReadOptions};
    use storyclust::pipeline::{run_stories, PipelineOptions};
    use storyclust::progress::{Stage, TerminalProgress, Timings};

    let timings = Timings::new();
    let observer = (TerminalProgress::new(true), &timings);
    let corpus = read_corpus_observed(&["articles.jsonl"], &ReadOptions::default(), &observer)?;
    let run = run_stories(&corpus.documents, &PipelineOptions::default(), &observer)?;
    // `seconds` is None for a stage that did not run.
    let neighbours = timings.seconds(Stage::Neighbours).unwrap_or_default();
    println!(
        "{} stories; neighbours took {neighbours:.3} s",
        run.stories.stories.len()
    );
    // README observer ends
    // README record begins
    use storyclust::report::{write_stories, StoryFormat, StoryLayout};

    let record = run.record(&corpus, &timings); // the options are those the run ran with
    let mut layout = StoryLayout::new(StoryFormat::Json); // or Html, Csv, Md, Jsonl, Table
    layout.title = "articles.jsonl".into();
    write_stories(&mut std::io::stdout(), &run.stories, &record, &layout)?;
    eprintln!("{}", record.accounting.line()); // read N, clustered N, skipped K
                                               // README record ends
    Ok(())
}
