//! The `storyclust` command.

mod cli;

use anyhow::{Context, Result};
use clap::Parser;
use cli::{BenchArgs, Cli, ClusterArgs, Command, DedupArgs, EvalArgs, InputArgs, SynthArgs};
use std::io::Write;
use std::process::ExitCode;
use storyclust::corpus::{read_corpus, write_atomic, Corpus};

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Ctrl-C: no half-written output may stay behind (targets are only ever renamed into
    // place whole; this removes the temporary files). 130 is the shell's code for SIGINT.
    let _ = ctrlc::set_handler(|| {
        storyclust::corpus::remove_unfinished_outputs();
        eprintln!("interrupted; no output was left half-written");
        std::process::exit(130);
    });
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
        .unwrap_or_else(|| Command::Cluster(ClusterArgs::parse_from_defaults()));
    match command {
        Command::Stats(args) => stats(args, progress, cli.quiet),
        Command::Dedup(args) => dedup(args, progress, cli.quiet),
        Command::Cluster(args) => cluster(args, progress, cli.quiet),
        Command::Eval(args) => eval(args),
        Command::Synth(args) => synth(args, progress),
        Command::Bench(args) => bench(args, progress),
    }
}

impl ClusterArgs {
    fn parse_from_defaults() -> ClusterArgs {
        #[derive(Parser)]
        struct Wrapper {
            #[command(flatten)]
            args: ClusterArgs,
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

fn stats(args: cli::StatsArgs, progress: bool, quiet: bool) -> Result<()> {
    let corpus = read(&args.input, progress, quiet)?;
    let options = args.analysis.options(true, false, progress);
    let analyzed = storyclust::text::analyze(&corpus.documents, &options);
    let stats =
        storyclust::report::corpus_stats(&corpus, &analyzed, &options, args.list, args.top_terms);
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

fn dedup(args: DedupArgs, progress: bool, quiet: bool) -> Result<()> {
    use std::time::Instant;
    use storyclust::report;
    let options = args.near.options().map_err(|e| anyhow::anyhow!(e))?;
    let start = Instant::now();
    let corpus = read(&args.input, progress, quiet)?;
    let read_time = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let analysis_options = args.analysis.options(false, false, progress);
    let mut analyzed = storyclust::text::analyze(&corpus.documents, &analysis_options);
    let analyse_time = start.elapsed().as_secs_f64();
    let found = storyclust::minhash::find_duplicates_taking_tokens(
        &corpus.documents,
        &mut analyzed,
        &options,
    );
    let docs = &corpus.documents;
    let summary = report::dedup_summary(
        docs,
        &found,
        &options,
        &[("read", read_time), ("analyse", analyse_time)],
    );
    let parameters = &summary.parameters;
    if let Some(path) = &args.pairs {
        write_atomic(path, |w| report::write_pairs(w, docs, &found, parameters))?;
    }
    if let Some(path) = &args.groups {
        write_atomic(path, |w| {
            report::write_groups(w, docs, &analyzed, &found, parameters)
        })?;
    }
    if let Some(path) = &args.output {
        let kept: Vec<&storyclust::corpus::Document> = report::kept_documents(docs, &found)
            .into_iter()
            .map(|i| &docs[i])
            .collect();
        let fallback = first_input_format(&args.input);
        let format = storyclust::corpus::output_format(path, fallback);
        let fields = args.input.read_options(false).fields;
        storyclust::corpus::write_documents(path, &kept, &fields, format)?;
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if let Some(ids) = &args.explain {
        let index = |id: &str| {
            docs.iter()
                .position(|d| d.id == id)
                .with_context(|| format!("no document has the id {id:?} (ids are case-sensitive)"))
        };
        let (a, b) = (index(&ids[0])?, index(&ids[1])?);
        let explanation = storyclust::minhash::explain(&found, a, b);
        let normalizer = storyclust::text::Normalizer::new(analysis_options.normalize);
        let passages = report::shared_passages(
            docs,
            &analyzed,
            &found,
            &normalizer,
            options.ngram,
            (a, b),
            3,
        );
        write!(
            out,
            "{}",
            report::explanation_text(
                (&ids[0], &ids[1]),
                &explanation,
                options.threshold,
                &passages
            )
        )?;
    } else if args.json {
        let mut value = serde_json::to_value(&summary)?;
        value["accounting"] = serde_json::to_value(account(&corpus, docs.len(), docs.len()))?;
        serde_json::to_writer_pretty(&mut out, &value)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", summary.to_text())?;
    }
    if !quiet {
        eprintln!("{}", account(&corpus, docs.len(), docs.len()).line());
    }
    std::mem::forget((corpus, analyzed, found));
    Ok(())
}

/// The format of the first input, for outputs written "in the input's format".
fn first_input_format(input: &InputArgs) -> storyclust::corpus::InputFormat {
    use storyclust::corpus::InputFormat;
    match input.input_format {
        InputFormat::Auto => input
            .inputs()
            .first()
            .map(|p| storyclust::corpus::output_format(p, InputFormat::Jsonl))
            .unwrap_or(InputFormat::Jsonl),
        explicit => explicit,
    }
}

fn cluster(args: ClusterArgs, progress: bool, quiet: bool) -> Result<()> {
    use storyclust::cluster::StoryOptions;
    use storyclust::minhash::DedupOptions;
    use storyclust::pipeline::{run_stories, PipelineOptions, StoryRun};
    use storyclust::report::{self, Accounting};
    use storyclust::summary::SummaryOptions;
    let clock = std::time::Instant::now();
    let corpus = read(&args.input, progress, quiet)?;
    let mut seconds: Vec<(&'static str, f64)> = vec![("read", clock.elapsed().as_secs_f64())];
    let docs = &corpus.documents;
    let options = PipelineOptions {
        analysis: args.analysis.options(true, true, progress),
        dedup: DedupOptions {
            threshold: args.duplicate_threshold,
            ..DedupOptions::default()
        },
        stories: StoryOptions {
            threshold: args.threshold,
            cohesion_ratio: args.cohesion_ratio,
            topic_threshold: args.topic_threshold,
            refine_rounds: args.refine,
            window_days: (args.window > 0).then_some(args.window),
            ..StoryOptions::default()
        },
        summary: SummaryOptions {
            label_terms: args.label_terms,
            key_sentences: args.key_sentences,
        },
    };
    let run = run_stories(docs, &options, &mut |name, s| seconds.push((name, s)));
    let StoryRun {
        analyzed,
        duplicates,
        clusters,
        stories,
    } = run;
    let (analysis, dedup_options, story_options, summary_options) = (
        &options.analysis,
        &options.dedup,
        &options.stories,
        &options.summary,
    );
    let accounting = Accounting {
        stories: stories.stories.iter().filter(|s| s.size > 1).count(),
        singletons: stories.stories.iter().filter(|s| s.size == 1).count(),
        ..account(
            &corpus,
            docs.len(),
            stories.stories.iter().map(|s| s.size).sum(),
        )
    };
    let parameters = serde_json::json!({
        "version": env!("CARGO_PKG_VERSION"),
        "stories": story_options,
        "near_duplicates": { "threshold": dedup_options.threshold, "ngram": dedup_options.ngram,
            "scheme": dedup_options.minhash.scheme, "num_perm": dedup_options.minhash.num_perm,
            "seed": dedup_options.minhash.seed },
        "analysis": { "lang": analysis.lang, "arabic_stemmer": analysis.arabic_stemmer, "bigrams": analysis.bigrams },
        "summary": summary_options,
    });
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100);
    let title = args
        .input
        .inputs()
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let write = |w: &mut dyn Write| {
        report::write_stories(
            w,
            &stories,
            args.format,
            &parameters,
            &accounting,
            width,
            &title,
            args.ui_lang,
        )
    };
    match &args.output {
        Some(path) => write_atomic(path, write)?,
        None => write(&mut std::io::stdout().lock())?,
    }
    let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    if let Some(path) = &args.assignments {
        write_atomic(path, |w| {
            report::write_assignments(w, &ids, &stories, args.level.into())
        })?;
    }
    if !quiet {
        eprintln!("{}", accounting.line());
        let stages: Vec<String> = seconds
            .iter()
            .chain(&clusters.seconds)
            .map(|(name, t)| format!("{name} {t:.2}"))
            .collect();
        eprintln!(
            "seconds: {} (stories: {})",
            stages[..5].join(", "),
            stages[5..].join(", ")
        );
    }
    if let Some(gold) = &args.gold {
        let gold = storyclust::cluster::read_gold(gold)?;
        let story = stories.assignments_at(args.level.into(), docs.len());
        let prediction: Vec<(String, Option<String>)> = ids
            .iter()
            .zip(story)
            .map(|(id, s)| (id.to_string(), Some(s.to_string())))
            .collect();
        let scores = storyclust::cluster::score(&gold, &prediction);
        eprint!("{}", scores.to_text());
        eprintln!("{}", serde_json::to_string(&scores)?);
    }
    std::mem::forget((corpus, analyzed, duplicates, clusters, stories));
    Ok(())
}

/// Where every record went: `read`, placed (`clustered`), or skipped with a reason.
fn account(corpus: &Corpus, read: usize, clustered: usize) -> storyclust::report::Accounting {
    storyclust::report::Accounting {
        seen: read + corpus.diagnostics.skipped(),
        read,
        clustered,
        skipped: skipped_by_reason(corpus),
        stories: 0,
        singletons: 0,
    }
}

fn skipped_by_reason(corpus: &Corpus) -> std::collections::BTreeMap<&'static str, usize> {
    let mut map = std::collections::BTreeMap::new();
    for d in &corpus.diagnostics.items {
        if d.severity == storyclust::corpus::Severity::Skipped {
            *map.entry(d.kind.name()).or_insert(0) += 1;
        }
    }
    map
}

fn eval(args: EvalArgs) -> Result<()> {
    use storyclust::cluster::{read_gold, read_pairs, read_prediction, score, score_pairs};
    let prediction = read_prediction(&args.prediction)?;
    let (text, json) = match (&args.gold, &args.pairs) {
        (_, Some(pairs)) => {
            let scores = score_pairs(&read_pairs(pairs)?, &prediction);
            (scores.to_text(), serde_json::to_string(&scores)?)
        }
        (Some(gold), None) => {
            let scores = score(&read_gold(gold)?, &prediction);
            (scores.to_text(), serde_json::to_string(&scores)?)
        }
        (None, None) => unreachable!("clap requires --gold or --pairs"),
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if !args.json {
        write!(out, "{text}")?;
    }
    writeln!(out, "{json}")?;
    Ok(())
}

fn synth(args: SynthArgs, progress: bool) -> Result<()> {
    use storyclust::corpus::{synthesize, ReadOptions, SynthOptions};
    let read_options = ReadOptions {
        progress,
        ..ReadOptions::default()
    };
    let corpus = read_corpus(&args.from, &read_options)?;
    let options = SynthOptions {
        copies: args.copies,
        seed: args.seed,
        edit_rate: args.edit_rate,
    };
    let articles = synthesize(&corpus.documents, &options);
    let write = |w: &mut dyn Write| storyclust::corpus::write_synth_jsonl(w, &articles);
    match &args.output {
        Some(path) => write_atomic(path, write)?,
        None => write(&mut std::io::stdout().lock())?,
    }
    if let Some(path) = &args.gold {
        write_atomic(path, |w| {
            writeln!(w, "id\tcluster")?;
            for a in &articles {
                writeln!(w, "{}\t{}", a.id, a.original)?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

fn bench(args: BenchArgs, progress: bool) -> Result<()> {
    let inputs = if args.inputs.is_empty() {
        vec![std::path::PathBuf::from("seeds")]
    } else {
        args.inputs.clone()
    };
    let corpus = read_corpus(&inputs, &storyclust::corpus::ReadOptions::default())?;
    let mut scales = args.scale.clone();
    scales.retain(|&s| s > 0);
    anyhow::ensure!(
        !scales.is_empty(),
        "--scale needs at least one scale above 0"
    );
    let runs = storyclust::bench::bench(&corpus.documents, &scales, &args.threads, progress)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &runs)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", storyclust::bench::bench_text(&runs))?;
    }
    Ok(())
}
