//! The `storyclust` command.

// Messages for a person go to stderr. A closed stderr (`2>&1 | head -0`) must not end the run
// in a panic as std's `eprintln!` does: the message is dropped, the run goes on.
macro_rules! eprintln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}
macro_rules! eprint {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

mod cli;

use anyhow::{Context, Result};
use clap::Parser;
use cli::{BenchArgs, Cli, ClusterArgs, Command, DedupArgs, EvalArgs, InputArgs, SynthArgs};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicI32, Ordering};
use storyclust::corpus::{read_corpus_observed, write_atomic, Corpus, InputFormat};
use storyclust::progress::{PipelineObserver, TerminalProgress, Timings};

fn main() -> ExitCode {
    handle_signals();
    let cli = Cli::parse();
    #[cfg(target_os = "linux")]
    let closed_stdout = cli::stdout::ClosedStdout::watch();
    let result = run(cli);
    #[cfg(target_os = "linux")]
    let result = result.and_then(|()| closed_stdout.map_or(Ok(()), |c| c.check()));
    match result {
        // A signal came after the last check: the run is reported as interrupted all the same.
        _ if STOP_SIGNAL.load(Ordering::SeqCst) != 0 => {
            exit_interrupted(STOP_SIGNAL.load(Ordering::SeqCst))
        }
        Ok(()) => ExitCode::SUCCESS,
        // `| head`: the reader has all it wants; stop quietly, as Unix tools do.
        Err(e) if is_broken_pipe(&e) => {
            storyclust::corpus::remove_unfinished_outputs();
            ExitCode::SUCCESS
        }
        Err(e) => {
            let message = format!("error: {}", cli::stdout::error_message(&e));
            eprintln!("{}", storyclust::corpus::terminal_safe(&message));
            ExitCode::from(if is_usage_error(&e) { 2 } else { 1 })
        }
    }
}

/// An option or combination of options that cannot work: exit code 2, as for clap's own.
#[derive(Debug)]
struct Usage(String);

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

fn usage(message: impl Into<String>) -> anyhow::Error {
    Usage(message.into()).into()
}

fn is_usage_error(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.is::<Usage>()
            || matches!(
                c.downcast_ref::<storyclust::Error>(),
                Some(storyclust::Error::InvalidOption { .. })
            )
    })
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(is_broken_pipe_cause)
}

/// A broken pipe as an I/O error, or inside the JSON or CSV writer's error (which an I/O
/// error may carry in turn).
fn is_broken_pipe_cause(c: &(dyn std::error::Error + 'static)) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    if let Some(io) = c.downcast_ref::<std::io::Error>() {
        return io.kind() == BrokenPipe
            || io
                .get_ref()
                .is_some_and(|inner| is_broken_pipe_cause(inner));
    }
    if let Some(json) = c.downcast_ref::<serde_json::Error>() {
        return json.io_error_kind() == Some(BrokenPipe);
    }
    if let Some(csv) = c.downcast_ref::<csv::Error>() {
        return matches!(csv.kind(), csv::ErrorKind::Io(io) if io.kind() == BrokenPipe);
    }
    false
}

/// The signal that asked the run to stop (0: none yet).
static STOP_SIGNAL: AtomicI32 = AtomicI32::new(0);

/// How long a stopping run has to reach a stage boundary before it is ended where it is.
const GRACE: std::time::Duration = std::time::Duration::from_millis(500);

/// The library sees the signal through [`Interruption`] and stops at its next check with
/// `Error::Interrupted`. A run that is writing an output, or that does not reach a check
/// within [`GRACE`], is ended here at once. Either way no half-written output stays behind
/// (targets are only ever renamed into place whole; the clean-up removes the temporary
/// files), and the exit code is the shell's 128 + the signal's number.
fn stop(signal: i32) {
    use storyclust::corpus::outputs_in_progress;
    STOP_SIGNAL.store(signal, Ordering::SeqCst);
    let asked = std::time::Instant::now();
    while asked.elapsed() < GRACE && !outputs_in_progress() {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    exit_interrupted(signal);
}

fn exit_interrupted(signal: i32) -> ! {
    storyclust::corpus::remove_unfinished_outputs();
    eprintln!(
        "interrupted ({}); no output was left half-written",
        signal_name(signal)
    );
    std::process::exit(128 + signal);
}

/// SIGINT, SIGTERM and SIGHUP are blocked in every thread and taken by one that waits for
/// them, so the clean-up runs outside any signal handler.
#[cfg(unix)]
fn handle_signals() {
    use nix::sys::signal::{SigSet, Signal};
    let mut set = SigSet::empty();
    for signal in [Signal::SIGINT, Signal::SIGTERM, Signal::SIGHUP] {
        set.add(signal);
    }
    if set.thread_block().is_err() {
        return;
    }
    std::thread::spawn(move || {
        if let Ok(signal) = set.wait() {
            stop(signal as i32);
        }
    });
}

#[cfg(unix)]
fn signal_name(signal: i32) -> String {
    nix::sys::signal::Signal::try_from(signal)
        .map_or_else(|_| signal.to_string(), |s| s.to_string())
}

#[cfg(not(unix))]
fn handle_signals() {
    let _ = ctrlc::set_handler(|| {
        std::thread::spawn(|| stop(2));
    });
}

#[cfg(not(unix))]
fn signal_name(_signal: i32) -> String {
    "Ctrl-C".to_string()
}

/// Asks the library to stop once a signal came.
struct Interruption;

impl PipelineObserver for Interruption {
    fn should_stop(&self) -> bool {
        STOP_SIGNAL.load(Ordering::SeqCst) != 0
    }
}

/// What every command's library calls see: bars (unless `-q` or not on a terminal) and
/// the signals.
type Observer = (TerminalProgress, Interruption);

fn run(cli: Cli) -> Result<()> {
    if let Some(threads) = cli.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global()
            .context("cannot start the worker threads")?;
    }
    let observer: Observer = (TerminalProgress::new(!cli.quiet), Interruption);
    let o = &observer;
    let command = cli
        .command
        .unwrap_or_else(|| Command::Cluster(ClusterArgs::parse_from_defaults()));
    match command {
        Command::Stats(args) => stats(args, o, cli.quiet),
        Command::Dedup(args) => dedup(args, o, cli.quiet),
        Command::Cluster(args) => cluster(args, o, cli.quiet),
        Command::Eval(args) => eval(args),
        Command::Synth(args) => synth(args, o, cli.quiet),
        Command::Bench(args) => bench(args, o),
        Command::Completions(args) => completions(args),
        Command::Man(args) => man(args),
    }
}

/// Writes `bytes` to standard output (a closed pipe ends the run quietly, as elsewhere).
fn print(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(())
}

fn completions(args: cli::CompletionsArgs) -> Result<()> {
    use clap::CommandFactory;
    // Generated into memory: the generator panics on a failed write.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "storyclust", &mut script);
    print(&script)
}

fn man(args: cli::ManArgs) -> Result<()> {
    use clap::CommandFactory;
    let mut command = Cli::command();
    command.build();
    let page = match &args.command {
        None => command,
        Some(name) => command.find_subcommand(name).cloned().ok_or_else(|| {
            usage(format!(
                "there is no command {name:?}; `storyclust --help` lists them"
            ))
        })?,
    };
    let mut roff = Vec::new();
    clap_mangen::Man::new(page).render(&mut roff)?;
    print(&roff)
}

/// The inputs, or the sample `seeds` folder when none are given; outside the source
/// repository there is none, and the message says what to give instead.
fn inputs_or_seeds(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    if !inputs.is_empty() {
        return Ok(inputs.to_vec());
    }
    let seeds = PathBuf::from("seeds");
    if seeds.is_dir() {
        return Ok(vec![seeds]);
    }
    Err(usage(
        "no input given (and no `seeds` folder of sample articles here to fall back on): \
         give the articles to read, e.g. `storyclust cluster articles.jsonl` (JSON Lines with \
         `text` and optionally `id`, `title`, `date`, `source`, `url`), a CSV/TSV file, a \
         folder of .txt files, or `-` for standard input; `storyclust --help` lists the commands",
    ))
}

/// What a path names, to tell whether two paths are one file.
#[derive(PartialEq)]
enum Identity {
    /// An existing file (device and inode on Unix, else the canonical path).
    File(u64, u64, Option<PathBuf>),
    /// Not yet there: the canonical folder and the name.
    New(PathBuf),
    /// A device, pipe or folder: written in place or refused elsewhere, never clobbered.
    Special,
}

fn identity(path: &Path) -> Identity {
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => Identity::Special,
        #[cfg(unix)]
        Ok(meta) => {
            use std::os::unix::fs::MetadataExt;
            Identity::File(meta.dev(), meta.ino(), None)
        }
        #[cfg(not(unix))]
        Ok(_) => Identity::File(0, 0, std::fs::canonicalize(path).ok()),
        Err(_) => {
            let parent = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            let folder = std::fs::canonicalize(parent).unwrap_or_else(|_| parent.to_path_buf());
            Identity::New(folder.join(path.file_name().unwrap_or_default()))
        }
    }
}

/// Whether writing `output` would overwrite a file that `input` reads, or be read by the
/// next run: the same file, or a file that the walk of an input folder reads.
fn overwrites_input(output: &Path, input: &Path, format: InputFormat) -> bool {
    if input.is_dir() {
        return storyclust::corpus::folder_reads(input, output, format);
    }
    identity(output) == identity(input)
}

/// Whether `path` is `-`, standard output.
fn is_stdout(path: Option<&PathBuf>) -> bool {
    path.is_some_and(|p| p.as_os_str() == "-")
}

/// Refuses two outputs on standard output (`-`): their lines would interleave. `stdout` names
/// what the command prints there anyway (its report), if anything.
fn check_stdout(outputs: &[(&str, Option<&PathBuf>)], stdout: Option<&str>) -> Result<()> {
    let mut users: Vec<&str> = outputs
        .iter()
        .filter(|(_, path)| is_stdout(*path))
        .map(|&(flag, _)| flag)
        .collect();
    users.extend(stdout);
    if let [first, second, ..] = users[..] {
        return Err(usage(format!(
            "{first} and {second} both write to standard output; send one of them to a file"
        )));
    }
    Ok(())
}

/// Refuses, before any work, outputs that would destroy an input or one another.
fn check_outputs(
    inputs: &[PathBuf],
    outputs: &[(&str, Option<&PathBuf>)],
    format: InputFormat,
) -> Result<()> {
    let outputs: Vec<(&str, &PathBuf)> = outputs
        .iter()
        .filter_map(|&(flag, path)| Some((flag, path?)))
        .filter(|(_, path)| path.as_os_str() != "-")
        .collect();
    let stdin_read = inputs.iter().any(|p| p.as_os_str() == "-");
    for (i, &(flag, path)) in outputs.iter().enumerate() {
        if let Some(problem) = cli::outputs::output_problem(flag, path, stdin_read) {
            return Err(usage(problem));
        }
        let target = identity(path);
        if target == Identity::Special {
            continue;
        }
        if let Some((other, _)) = outputs[..i].iter().find(|(_, p)| identity(p) == target) {
            return Err(usage(format!(
                "{other} and {flag} both name {}: each output needs a file of its own",
                path.display()
            )));
        }
        let inputs = inputs.iter().filter(|p| p.as_os_str() != "-");
        if let Some(input) = inputs
            .into_iter()
            .find(|input| overwrites_input(path, input, format))
        {
            if !path.exists() {
                return Err(usage(format!(
                    "{flag} {} is inside the input folder {}, where the next run would read \
                     it as input; write the output outside the folder",
                    path.display(),
                    input.display()
                )));
            }
            return Err(usage(format!(
                "{flag} {} would overwrite the input {}; write the output elsewhere",
                path.display(),
                input.display()
            )));
        }
    }
    Ok(())
}

/// Reads the inputs and reports problems on stderr (and to `--errors`).
fn read(input: &InputArgs, observer: &dyn PipelineObserver, quiet: bool) -> Result<Corpus> {
    read_with(input, input.read_options()?, observer, quiet)
}

fn read_with(
    input: &InputArgs,
    options: storyclust::corpus::ReadOptions,
    observer: &dyn PipelineObserver,
    quiet: bool,
) -> Result<Corpus> {
    let corpus = read_corpus_observed(&inputs_or_seeds(&input.inputs)?, &options, observer)?;
    report_diagnostics(&corpus, input.errors.as_deref(), quiet)?;
    ensure_documents(&corpus)?;
    check_named_fields(&corpus, &options.fields)?;
    Ok(corpus)
}

/// A field option set to a name no record has is an error: the text field always (it is
/// needed), the others when set away from their default (a corpus may lack a `date` field,
/// but not one the user named).
fn check_named_fields(corpus: &Corpus, fields: &storyclust::corpus::FieldNames) -> Result<()> {
    use storyclust::corpus::{check_fields, Field, FieldNames};
    let default = FieldNames::default();
    let named: Vec<Field> = [
        (Field::Text, true),
        (Field::Id, fields.id != default.id),
        (Field::Title, fields.title != default.title),
        (Field::Date, fields.date != default.date),
        (Field::Source, fields.source != default.source),
        (Field::Url, fields.url != default.url),
    ]
    .into_iter()
    .filter_map(|(field, named)| named.then_some(field))
    .collect();
    check_fields(corpus, fields, &named)?;
    Ok(())
}

/// A run that read nothing fails before it writes anything: an empty output would replace
/// a good one, and the cause is most often a misspelt field name, which the message shows.
fn ensure_documents(corpus: &Corpus) -> Result<()> {
    if !corpus.documents.is_empty() {
        return Ok(());
    }
    let skipped = corpus.diagnostics.skipped();
    let first = corpus
        .diagnostics
        .items
        .iter()
        .find(|d| d.severity == storyclust::corpus::Severity::Skipped);
    match first {
        Some(d) => anyhow::bail!(
            "no document was read: all {skipped} records were skipped; the first: {d}"
        ),
        None => anyhow::bail!("no document was read: the inputs hold no records"),
    }
}

fn report_diagnostics(corpus: &Corpus, errors: Option<&Path>, quiet: bool) -> Result<()> {
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
    if let Some(path) = errors {
        write_atomic(path, |w| {
            for diagnostic in items {
                let record = storyclust::report::ErrorRecord {
                    schema_version: storyclust::report::SchemaVersion,
                    diagnostic,
                };
                serde_json::to_writer(&mut *w, &record)?;
                w.write_all(b"\n")?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

fn stats(args: cli::StatsArgs, observer: &Observer, quiet: bool) -> Result<()> {
    let options = args.analysis.options(true, false)?;
    let outputs = [("--errors", args.input.errors.as_ref())];
    check_stdout(&outputs, Some("the statistics"))?;
    check_outputs(
        &args.input.inputs(),
        &outputs,
        args.input.fields.input_format,
    )?;
    let corpus = read(&args.input, observer, quiet)?;
    let analyzed = storyclust::text::analyze_observed(&corpus.documents, &options, observer)?;
    let stats =
        storyclust::report::corpus_stats(&corpus, &analyzed, &options, args.list, args.top_terms)?;
    // Freeing millions of small allocations takes a noticeable part of a run; the process
    // is about to exit, so the memory goes back to the system anyway.
    std::mem::forget((corpus, analyzed));
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &stats)?;
        writeln!(out)?;
    } else {
        write!(
            out,
            "{}",
            storyclust::corpus::terminal_safe(&stats.to_text())
        )?;
    }
    Ok(())
}

fn dedup(args: DedupArgs, observer: &Observer, quiet: bool) -> Result<()> {
    use storyclust::report::{DedupOutputs, DedupRecord};
    let options = args.near.options()?;
    let analysis_options = args.analysis.options(false, false)?;
    let mut read_options = args.input.read_options()?;
    let machine_on_stdout = check_dedup_outputs(&args)?;
    let timings = Timings::new();
    let observer = (observer, &timings);
    // Records kept as read are written back unchanged by `-o` (JSON Lines, CSV, TSV).
    let output_format = args
        .output
        .as_ref()
        .map(|path| storyclust::corpus::output_format(path, first_input_format(&args.input)));
    read_options.keep_raw = output_format.is_some();
    let corpus = read_with(&args.input, read_options, &observer, quiet)?;
    let mut analyzed =
        storyclust::text::analyze_observed(&corpus.documents, &analysis_options, &observer)?;
    let found = storyclust::minhash::find_duplicates_taking_tokens(
        &corpus.documents,
        &mut analyzed,
        &options,
        &observer,
    )?;
    let record = DedupRecord::of_dedup(&corpus, &options, &timings);
    let outputs = DedupOutputs::new(&corpus.documents, &analyzed, &found, &record)?;
    write_dedup_files(&args, &outputs, output_format)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if let Some(ids) = &args.explain {
        let text = explain_pair(&outputs, (&ids[0], &ids[1]), &analysis_options, &options)?;
        write!(out, "{}", storyclust::corpus::terminal_safe(&text))?;
    } else if args.json {
        serde_json::to_writer_pretty(&mut out, &outputs.summary())?;
        writeln!(out)?;
    } else if !machine_on_stdout {
        let text = outputs.summary().to_text();
        write!(out, "{}", storyclust::corpus::terminal_safe(&text))?;
    } else if !quiet {
        let text = outputs.summary().to_text();
        eprint!("{}", storyclust::corpus::terminal_safe(&text));
    }
    if !quiet {
        eprintln!("{}", record.accounting.line());
    }
    std::mem::forget((corpus, analyzed, found));
    Ok(())
}

/// Refuses outputs that clash (see [`check_stdout`] and [`check_outputs`]); whether a
/// machine output goes to standard output, where the summary for people then is not printed.
fn check_dedup_outputs(args: &DedupArgs) -> Result<bool> {
    let outputs = [
        ("--pairs", args.pairs.as_ref()),
        ("--groups", args.groups.as_ref()),
        ("--output", args.output.as_ref()),
        ("--errors", args.input.errors.as_ref()),
    ];
    let printed = match (&args.explain, args.json) {
        (Some(_), _) => Some("--explain"),
        (None, true) => Some("--json"),
        (None, false) => None,
    };
    check_stdout(&outputs, printed)?;
    check_outputs(
        &args.input.inputs(),
        &outputs,
        args.input.fields.input_format,
    )?;
    if let Some(path) = &args.output {
        check_document_extension(path)?;
    }
    Ok(outputs.iter().any(|(_, p)| is_stdout(*p)))
}

/// `--pairs`, `--groups` and `--output` (in `format`), each written whole or not at all.
fn write_dedup_files(
    args: &DedupArgs,
    outputs: &storyclust::report::DedupOutputs,
    format: Option<storyclust::corpus::InputFormat>,
) -> Result<()> {
    if let Some(path) = &args.pairs {
        write_atomic(path, |w| outputs.write_pairs(w))?;
    }
    if let Some(path) = &args.groups {
        write_atomic(path, |w| outputs.write_groups(w))?;
    }
    if let (Some(path), Some(format)) = (&args.output, format) {
        let docs = outputs.documents();
        let kept: Vec<&storyclust::corpus::Document> = outputs
            .kept_documents()
            .into_iter()
            .map(|i| &docs[i])
            .collect();
        let fields = args.input.fields.names();
        storyclust::corpus::write_documents(path, &kept, &fields, format)?;
    }
    Ok(())
}

/// `--explain A B`: why two documents match or do not, for a person to read.
fn explain_pair(
    outputs: &storyclust::report::DedupOutputs,
    ids: (&str, &str),
    analysis: &storyclust::text::AnalysisOptions,
    options: &storyclust::minhash::DedupOptions,
) -> Result<String> {
    use storyclust::report;
    let docs = outputs.documents();
    let index = |id: &str| {
        docs.iter()
            .position(|d| d.id == id)
            .with_context(|| format!("no document has the id {id:?} (ids are case-sensitive)"))
    };
    let (a, b) = (index(ids.0)?, index(ids.1)?);
    let found = outputs.found();
    let explanation = storyclust::minhash::explain(found, a, b)?;
    let normalizer = storyclust::text::Normalizer::new(analysis.normalize);
    let passages = report::shared_passages(
        docs,
        outputs.analyzed(),
        found,
        &normalizer,
        options.ngram,
        (a, b),
        3,
    )?;
    Ok(report::explanation_text(
        ids,
        &explanation,
        options.threshold,
        &passages,
    ))
}

/// The format of the first input, for outputs written "in the input's format".
fn first_input_format(input: &InputArgs) -> storyclust::corpus::InputFormat {
    use storyclust::corpus::InputFormat;
    match input.fields.input_format {
        InputFormat::Auto => input
            .inputs()
            .first()
            .map(|p| {
                // `x.csv.gz` is read as CSV: its format is under the compression's suffix.
                let compressed = ["gz", "zst"]
                    .map(Some)
                    .contains(&p.extension().and_then(|e| e.to_str()));
                let p = if compressed {
                    p.with_extension("")
                } else {
                    p.clone()
                };
                storyclust::corpus::output_format(&p, InputFormat::Jsonl)
            })
            .unwrap_or(InputFormat::Jsonl),
        explicit => explicit,
    }
}

fn cluster(args: ClusterArgs, observer: &Observer, quiet: bool) -> Result<()> {
    let options = args.pipeline_options()?;
    check_cluster_outputs(&args)?;
    // The gold file is checked before the work it would score.
    let gold = args
        .gold
        .as_deref()
        .map(storyclust::cluster::read_gold)
        .transpose()?;
    let timings = Timings::new();
    let observer = (observer, &timings);
    let corpus = read(&args.input, &observer, quiet)?;
    let run = storyclust::pipeline::run_stories(&corpus.documents, &options, &observer)?;
    let record = run.record(&corpus, &timings);
    write_cluster_outputs(&args, &corpus, &run.stories, &record)?;
    if !quiet {
        eprintln!("{}", record.accounting.line());
        eprintln!("seconds: {}", record.timings_line());
    }
    if let Some(gold) = gold {
        score_stories(&gold, &corpus, &run.stories, args.level.into())?;
    }
    std::mem::forget((corpus, run));
    Ok(())
}

/// Refuses outputs that clash with one another, with an input or with the stories printed.
fn check_cluster_outputs(args: &ClusterArgs) -> Result<()> {
    let mut inputs = args.input.inputs();
    inputs.extend(args.gold.clone());
    let outputs = [
        ("--output", args.output.as_ref()),
        ("--assignments", args.assignments.as_ref()),
        ("--errors", args.input.errors.as_ref()),
    ];
    let printed = args.output.is_none().then_some("the stories (no --output)");
    check_stdout(&outputs, printed)?;
    check_outputs(&inputs, &outputs, args.input.fields.input_format)?;
    match (&args.output, args.format) {
        (Some(path), None) => check_story_extension(path),
        _ => Ok(()),
    }
}

/// Refuses an `--output` extension that names no story format (`.gz`, `.tsv`, `.xml`):
/// the table written there instead would be a surprise. No extension and `.txt` are the table.
fn check_story_extension(path: &Path) -> Result<()> {
    use storyclust::report::StoryFormat;
    let Some(extension) = storyclust::corpus::output_extension(path) else {
        return Ok(());
    };
    if StoryFormat::from_path(path).is_some() {
        return Ok(());
    }
    let named: Vec<String> = [
        "json", "jsonl", "ndjson", "csv", "md", "markdown", "html", "htm", "txt",
    ]
    .into_iter()
    .filter(|e| StoryFormat::from_path(Path::new(&format!("x.{e}"))).is_some())
    .map(|e| format!(".{e}"))
    .collect();
    Err(usage(format!(
        "--output {}: the extension .{extension} names no format the stories are written in \
         (compressed output is not written); the extensions that do are {} (.txt or none: the \
         terminal table); --format json|jsonl|csv|md|html|table overrides the extension",
        path.display(),
        named.join(", ")
    )))
}

/// Refuses a `dedup --output` extension that names no format of documents we write.
fn check_document_extension(path: &Path) -> Result<()> {
    use storyclust::corpus::{extension_format, output_extension, DOCUMENT_EXTENSIONS};
    let Some(extension) = output_extension(path) else {
        return Ok(());
    };
    if extension_format(path).is_some() {
        return Ok(());
    }
    let named: Vec<String> = DOCUMENT_EXTENSIONS
        .iter()
        .map(|e| format!(".{e}"))
        .collect();
    Err(usage(format!(
        "--output {}: the extension .{extension} names no format the documents are written \
         in (compressed output is not written); name the file {} (JSON Lines, CSV, TSV), or \
         give it no extension to write the input's format",
        path.display(),
        named.join(", ")
    )))
}

/// The stories' layout: an explicit --format wins, else the output's extension
/// (`-o stories.json`) names it; the table fits `COLUMNS`; the inputs title the page.
fn story_layout(args: &ClusterArgs) -> storyclust::report::StoryLayout {
    use storyclust::report::{StoryFormat, StoryLayout};
    let format = args
        .format
        .or_else(|| args.output.as_deref().and_then(StoryFormat::from_path))
        .unwrap_or(StoryFormat::Table);
    let mut layout = StoryLayout::new(format);
    if let Some(width) = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()) {
        layout.width = width;
    }
    let inputs: Vec<String> = args
        .input
        .inputs()
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    layout.title = inputs.join(", ");
    layout.ui_lang = args.ui_lang;
    layout
}

/// The stories (to `--output` or standard output) and `--assignments`.
fn write_cluster_outputs(
    args: &ClusterArgs,
    corpus: &Corpus,
    stories: &storyclust::summary::Stories,
    record: &storyclust::report::ClusterRecord,
) -> Result<()> {
    use storyclust::report;
    let layout = story_layout(args);
    let write = |w: &mut dyn Write| report::write_stories(w, stories, record, &layout);
    match &args.output {
        Some(path) => write_atomic(path, write)?,
        None => write(&mut std::io::stdout().lock())?,
    }
    if let Some(path) = &args.assignments {
        let ids: Vec<&str> = corpus.documents.iter().map(|d| d.id.as_str()).collect();
        write_atomic(path, |w| {
            report::write_assignments(w, &ids, stories, args.level.into())
        })?;
    }
    Ok(())
}

/// `--gold`: the stories at `level` scored against the gold clustering, on stderr.
fn score_stories(
    gold: &[(String, String)],
    corpus: &Corpus,
    stories: &storyclust::summary::Stories,
    level: storyclust::summary::Level,
) -> Result<()> {
    use storyclust::report::{EvalReport, EvalScores};
    let docs = &corpus.documents;
    let story = stories.assignments_at(level, docs.len());
    let prediction: Vec<(String, Option<String>)> = docs
        .iter()
        .zip(story)
        .map(|(d, s)| (d.id.clone(), Some(s.to_string())))
        .collect();
    let scores = storyclust::cluster::score(gold, &prediction);
    eprint!("{}", scores.to_text());
    let report = EvalReport::new(EvalScores::Clustering(scores));
    eprintln!("{}", serde_json::to_string(&report)?);
    Ok(())
}

fn eval(args: EvalArgs) -> Result<()> {
    use storyclust::cluster::{read_gold, read_pairs, read_prediction_with, score, score_pairs};
    use storyclust::report::{EvalReport, EvalScores};
    let unused = args.fields.corpus_only();
    if !unused.is_empty() {
        let (verb, it) = if unused.len() == 1 {
            ("applies", "it")
        } else {
            ("apply", "them")
        };
        return Err(usage(format!(
            "eval reads only ids (--id-field): {} {verb} only to the commands that read a \
             corpus; leave {it} out",
            unused.join(", ")
        )));
    }
    let prediction = read_prediction_with(&args.prediction, &args.fields.id_field)?;
    let (text, json) = match (&args.gold, &args.pairs) {
        (_, Some(pairs)) => {
            let scores = score_pairs(&read_pairs(pairs)?, &prediction);
            (scores.to_text(), EvalScores::Pairs(scores))
        }
        (Some(gold), None) => {
            let scores = score(&read_gold(gold)?, &prediction);
            (scores.to_text(), EvalScores::Clustering(scores))
        }
        (None, None) => unreachable!("clap requires --gold or --pairs"),
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if !args.json {
        write!(out, "{}", storyclust::corpus::terminal_safe(&text))?;
    }
    serde_json::to_writer(&mut out, &EvalReport::new(json))?;
    writeln!(out)?;
    Ok(())
}

fn synth(args: SynthArgs, observer: &Observer, quiet: bool) -> Result<()> {
    use storyclust::corpus::tsv_escape;
    use storyclust::synth::{synth_ids, synthesize_each_observed};
    let options = args.options()?;
    let outputs = [
        ("--output", args.output.as_ref()),
        ("--gold", args.gold.as_ref()),
    ];
    check_stdout(
        &outputs,
        args.output.is_none().then_some("the corpus (no --output)"),
    )?;
    check_outputs(&args.from, &outputs, args.fields.input_format)?;
    let read_options = args.fields.read_options();
    let corpus = read_corpus_observed(&args.from, &read_options, observer)?;
    report_diagnostics(&corpus, None, quiet)?;
    ensure_documents(&corpus)?;
    check_named_fields(&corpus, &read_options.fields)?;
    // Streamed: the corpus may be far larger than memory.
    let write = |w: &mut dyn Write| {
        synthesize_each_observed(&corpus.documents, &options, observer, |a| {
            storyclust::synth::write_synth_jsonl(w, std::slice::from_ref(&a))
        })
    };
    match &args.output {
        Some(path) => write_atomic(path, write)?,
        None => write(&mut std::io::stdout().lock())?,
    }
    if let Some(path) = &args.gold {
        write_atomic(path, |w| {
            writeln!(w, "id\tcluster")?;
            for (id, original) in synth_ids(&corpus.documents, args.copies) {
                writeln!(w, "{}\t{}", tsv_escape(&id), tsv_escape(original))?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

fn bench(args: BenchArgs, observer: &Observer) -> Result<()> {
    let inputs = inputs_or_seeds(&args.inputs)?;
    let mut scales = args.scale.clone();
    scales.retain(|&s| s > 0);
    if scales.is_empty() {
        return Err(usage("--scale needs at least one scale above 0"));
    }
    let read_options = args.fields.read_options();
    let corpus = read_corpus_observed(&inputs, &read_options, &Interruption)?;
    ensure_documents(&corpus)?;
    check_named_fields(&corpus, &read_options.fields)?;
    // Every scale is a corpus held in memory: refuse before allocating what cannot be.
    const MAX_ARTICLES: usize = 20_000_000;
    let largest = scales.iter().max().copied().unwrap_or(1);
    let articles = corpus.documents.len().saturating_mul(largest);
    if articles > MAX_ARTICLES {
        return Err(usage(format!(
            "--scale {largest} makes {articles} articles from {} documents; at most {MAX_ARTICLES} are allowed",
            corpus.documents.len()
        )));
    }
    let runs = storyclust::bench::bench(&corpus.documents, &scales, &args.threads, observer)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        let report = storyclust::bench::BenchReport::new(runs);
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", storyclust::bench::bench_text(&runs))?;
    }
    Ok(())
}
