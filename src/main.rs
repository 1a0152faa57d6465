//! The `storyclust` command.

mod cli;

use anyhow::{Context, Result};
use clap::Parser;
use cli::{Cli, Command, InputArgs, StatsArgs};
use std::io::Write;
use std::process::ExitCode;
use storyclust::corpus::{read_corpus, write_atomic, Corpus};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    if let Some(threads) = cli.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .build_global()
            .context("cannot start the worker threads")?;
    }
    let progress = !cli.quiet;
    let command = cli
        .command
        .unwrap_or_else(|| Command::Stats(StatsArgs::parse_from_defaults()));
    match command {
        Command::Stats(args) => stats(args, progress, cli.quiet),
    }
}

impl StatsArgs {
    fn parse_from_defaults() -> StatsArgs {
        #[derive(Parser)]
        struct Wrapper {
            #[command(flatten)]
            args: StatsArgs,
        }
        Wrapper::parse_from(["storyclust"]).args
    }
}

/// Reads the inputs and reports problems on stderr (and to `--errors`).
fn read(input: &InputArgs, progress: bool, quiet: bool) -> Result<Corpus> {
    let corpus = read_corpus(&input.inputs(), &input.read_options(progress))?;
    report_diagnostics(&corpus, input, quiet)?;
    Ok(corpus)
}

fn report_diagnostics(corpus: &Corpus, input: &InputArgs, quiet: bool) -> Result<()> {
    const SHOWN_PER_KIND: usize = 5;
    let items = &corpus.diagnostics.items;
    if !quiet {
        let mut shown = std::collections::HashMap::new();
        let stderr = std::io::stderr();
        let mut err = stderr.lock();
        for d in items {
            let n = shown.entry(d.kind).or_insert(0usize);
            *n += 1;
            if *n <= SHOWN_PER_KIND {
                writeln!(err, "{d}")?;
            }
        }
        for (kind, n) in corpus.diagnostics.counts() {
            if n > SHOWN_PER_KIND {
                writeln!(
                    err,
                    "… {} more {kind} (all of them: --errors FILE)",
                    n - SHOWN_PER_KIND
                )?;
            }
        }
    }
    if let Some(path) = &input.errors {
        write_atomic(path, |w| {
            for d in items {
                serde_json::to_writer(&mut *w, d)?;
                w.write_all(b"\n")?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

fn stats(args: StatsArgs, progress: bool, quiet: bool) -> Result<()> {
    let corpus = read(&args.input, progress, quiet)?;
    let analyzed =
        storyclust::text::analyze(&corpus.documents, &args.analysis.options(true, progress));
    let stats = storyclust::report::corpus_stats(&corpus, &analyzed, args.list, args.top_terms);
    // Freeing millions of small allocations takes a noticeable part of a run; the process
    // is about to exit, so the memory goes back to the system anyway.
    std::mem::forget((corpus, analyzed));
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &stats)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", stats.to_text())?;
    }
    Ok(())
}
