//! Command-line options. The binary only parses options and calls the library.

pub mod outputs;
pub mod stdout;

use clap::{Args, Parser, Subcommand};
use std::ops::{Bound, RangeBounds};
use std::path::PathBuf;
use storyclust::cluster::StoryOptions;
use storyclust::corpus::{FieldNames, InputFormat, ReadOptions};
use storyclust::minhash::{DedupOptions, LshParams, Method, MinHashParams, Scheme, Verify};
use storyclust::pipeline::PipelineOptions;
use storyclust::report::{StoryFormat, UiLang};
use storyclust::summary::{Level, SummaryOptions};
use storyclust::synth::SynthOptions;
use storyclust::text::{AnalysisOptions, ArabicStemmer, Lang};

// Every default below comes from the library's `Default`s: one definition per default
// (`tests::empty_command_lines_give_the_library_defaults` holds the two together).

/// The library's near-duplicate defaults.
fn dedup_default() -> DedupOptions {
    DedupOptions::default()
}

/// The library's default signature.
fn minhash_default() -> MinHashParams {
    MinHashParams::default()
}

/// The library's default MinHash verification and bucket cap.
fn lsh_default() -> (Verify, usize) {
    match Method::default() {
        Method::MinHashLsh {
            verify, bucket_cap, ..
        } => (verify, bucket_cap),
        _ => unreachable!("the default method is MinHash + LSH"),
    }
}

// The parsers below only read numbers; what values can work is the library's to say, in
// each options type's `check` (one home), and `checked` tells a refusal by its option.

/// The command-line option that sets each field the library's checks name.
const FLAGS: &[(&str, &str)] = &[
    ("read.max_text_bytes", "--max-text-bytes"),
    ("read.fields.text", "--text-field"),
    (
        "analysis.boilerplate.source_min_docs",
        "--boilerplate-source-docs",
    ),
    (
        "analysis.boilerplate.corpus_min_docs",
        "--boilerplate-corpus-docs",
    ),
    ("dedup.threshold", "--threshold"),
    ("dedup.ngram", "--ngram"),
    ("dedup.minhash.num_perm", "--num-perm"),
    ("dedup.lsh", "--bands/--rows"),
    ("dedup.bucket_cap", "--bucket-cap"),
    ("stories.threshold", "--threshold"),
    ("stories.cohesion_ratio", "--cohesion-ratio"),
    ("stories.topic_threshold", "--topic-threshold"),
    ("stories.topic_cohesion_ratio", "--topic-cohesion-ratio"),
    ("summary.label_terms", "--label-terms"),
    ("synth.copies", "--copies"),
    ("synth.edit_rate", "--edit-rate"),
];

/// `cluster` sets the near-duplicate threshold with its own option.
const CLUSTER_FLAGS: &[(&str, &str)] = &[("dedup.threshold", "--duplicate-threshold")];

/// The library's verdict on options, a refusal told as a usage error (exit code 2) that
/// names the command-line option (looked up in `own`, then [`FLAGS`]) and the library field.
fn checked(verdict: storyclust::Result<()>, own: &[(&str, &str)]) -> anyhow::Result<()> {
    match verdict {
        Ok(()) => Ok(()),
        Err(storyclust::Error::InvalidOption { field, why }) => {
            let flag = own.iter().chain(FLAGS).find(|(f, _)| *f == field);
            Err(crate::usage(match flag {
                Some((_, flag)) => format!("invalid value for {flag} ({field}): {why}"),
                None => format!("invalid option {field}: {why}"),
            }))
        }
        Err(e) => Err(e.into()),
    }
}

/// Find near-duplicate news articles and group articles into stories (Arabic-aware).
#[derive(Debug, Parser)]
#[command(name = "storyclust", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Worker threads (default: one per core; at most 256).
    #[arg(long, global = true, value_name = "N", value_parser = thread_count, allow_negative_numbers = true)]
    pub threads: Option<usize>,
    /// No progress bars, no warnings on standard error (errors are still printed).
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// The command (default: `cluster seeds`).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Describe a corpus: documents, bytes, tokens, languages, sources, dates, problems,
    /// boilerplate, headlines and top terms.
    Stats(StatsArgs),
    /// Find near-duplicate documents (wire copies, republications): verified pairs and
    /// groups, by MinHash + LSH or by an exact join.
    Dedup(DedupArgs),
    /// Group articles into stories and summarise each one for editors (the main job).
    Cluster(ClusterArgs),
    /// Score a clustering against a gold one (B-cubed, pairwise, ARI, NMI).
    // eval reads only ids: the other field options are refused, so its help leaves them out.
    #[command(
        mut_arg("input_format", |a| a.hide(true)),
        mut_arg("text_field", |a| a.hide(true)),
        mut_arg("title_field", |a| a.hide(true)),
        mut_arg("date_field", |a| a.hide(true)),
        mut_arg("source_field", |a| a.hide(true)),
        mut_arg("url_field", |a| a.hide(true)),
        mut_arg("timezone", |a| a.hide(true))
    )]
    Eval(EvalArgs),
    /// Write a synthetic corpus of syndicated variants of real articles (JSONL), with a gold
    /// file of which variant came from which original.
    Synth(SynthArgs),
    /// Time every stage of the pipeline at several corpus scales and thread counts.
    Bench(BenchArgs),
    /// Print a shell completion script on standard output (e.g. `storyclust completions bash
    /// > ~/.local/share/bash-completion/completions/storyclust`).
    Completions(CompletionsArgs),
    /// Print the man page (roff) on standard output (e.g. `storyclust man | man -l -`).
    Man(ManArgs),
}

/// Options of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Options of `man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// The page of this command (default: the page of `storyclust` itself).
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

/// Options of `bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// The corpus (default: the seeds, at the given scales).
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Corpus scales: k holds the input and k − 1 synthetic variants of each article.
    #[arg(long, value_delimiter = ',', default_value = "1,2,4,8", value_parser = whole::<usize>(0..), allow_negative_numbers = true)]
    pub scale: Vec<usize>,
    /// Thread counts to run with (each at most 256).
    #[arg(long, value_delimiter = ',', default_value = "1,2", value_parser = thread_count, allow_negative_numbers = true)]
    pub threads: Vec<usize>,
    /// Print one JSON array of runs.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub fields: FieldArgs,
}

/// Options of `synth`.
#[derive(Debug, Args)]
pub struct SynthArgs {
    /// The articles to vary: files or directories, read like any INPUT.
    #[arg(long, value_name = "INPUT", required = true, num_args = 1..)]
    pub from: Vec<PathBuf>,
    /// Variants per original (the originals are written too); at most 10000.
    #[arg(long, value_name = "N", default_value_t = SynthOptions::default().copies, value_parser = whole::<usize>(0..), allow_negative_numbers = true)]
    pub copies: usize,
    /// Seed of every random choice.
    #[arg(long, default_value_t = SynthOptions::default().seed, value_parser = whole::<u64>(0..), allow_negative_numbers = true)]
    pub seed: u64,
    /// Fraction of words edited in each variant.
    #[arg(long, value_name = "RATE", default_value_t = SynthOptions::default().edit_rate, value_parser = number, allow_negative_numbers = true)]
    pub edit_rate: f64,
    /// Write the corpus to FILE (JSON Lines) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write a gold file for `eval` to FILE: a header row `id<TAB>cluster`, then each
    /// article's id and its original's id.
    #[arg(long, value_name = "FILE")]
    pub gold: Option<PathBuf>,
    #[command(flatten)]
    pub fields: FieldArgs,
}

impl SynthArgs {
    /// Library options, as the library checks them.
    pub fn options(&self) -> anyhow::Result<SynthOptions> {
        let mut options = SynthOptions::default();
        options.copies = self.copies;
        options.seed = self.seed;
        options.edit_rate = self.edit_rate;
        checked(options.check(), &[])?;
        Ok(options)
    }
}

/// The grain of assignments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LevelArg {
    /// One event or development.
    Story,
    /// Related stories.
    Topic,
}

impl From<LevelArg> for Level {
    fn from(level: LevelArg) -> Self {
        match level {
            LevelArg::Story => Level::Story,
            LevelArg::Topic => Level::Topic,
        }
    }
}

impl LevelArg {
    /// The library's default grain.
    fn library_default() -> LevelArg {
        // A grain added to the library but not yet offered here falls back to the story;
        // `empty_command_lines_give_the_library_defaults` fails if that is not the default.
        match Level::default() {
            Level::Topic => LevelArg::Topic,
            _ => LevelArg::Story,
        }
    }
}

/// Options of `cluster`.
#[derive(Debug, Args)]
pub struct ClusterArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub analysis: AnalysisArgs,
    /// Two groups of articles join only if the mean cosine (TF-IDF) over their pairs of
    /// articles reaches this...
    #[arg(long, default_value_t = StoryOptions::default().threshold, value_parser = number, allow_negative_numbers = true)]
    pub threshold: f64,
    /// ...and reaches this fraction of the looser group's own mean cosine (0: off).
    #[arg(long, default_value_t = StoryOptions::default().cohesion_ratio, value_parser = number, allow_negative_numbers = true)]
    pub cohesion_ratio: f64,
    /// Stories join one topic while the mean cosine over their pairs of articles reaches
    /// this (a looser cut of the same merges).
    #[arg(long, default_value_t = StoryOptions::default().topic_threshold, value_parser = number, allow_negative_numbers = true)]
    pub topic_threshold: f64,
    /// ...and reaches this fraction of the looser topic's own mean cosine (0: off).
    #[arg(long, default_value_t = StoryOptions::default().topic_cohesion_ratio, value_parser = number, allow_negative_numbers = true)]
    pub topic_cohesion_ratio: f64,
    /// The grain that `--assignments` and `--gold` use: `story` (one event) or `topic`
    /// (related stories).
    #[arg(long, value_enum, default_value_t = LevelArg::library_default())]
    pub level: LevelArg,
    /// Rounds of centroid reassignment after merging.
    #[arg(long, value_name = "N", default_value_t = StoryOptions::default().refine_rounds, value_parser = whole::<usize>(0..), allow_negative_numbers = true)]
    pub refine: usize,
    /// Articles more than this many days apart are not linked directly (when both are dated);
    /// 0 turns the window off.
    #[arg(long, value_name = "DAYS", default_value_t = StoryOptions::default().window_days.unwrap_or(0), value_parser = whole::<u32>(0..), allow_negative_numbers = true)]
    pub window: u32,
    /// Near-duplicates at or above this Jaccard always end in the same story.
    #[arg(long, value_name = "J", default_value_t = dedup_default().threshold, value_parser = number, allow_negative_numbers = true)]
    pub duplicate_threshold: f64,
    /// Output format (default: the one the --output file's extension names — .json, .jsonl,
    /// .csv, .md, .html, .txt — else table).
    #[arg(long, value_enum)]
    pub format: Option<StoryFormat>,
    /// The HTML report's interface language; `auto` speaks Arabic when most articles are
    /// Arabic.
    #[arg(long, value_enum, default_value_t = UiLang::default())]
    pub ui_lang: UiLang,
    /// Write the stories to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write `id<TAB>story` for every input document to FILE.
    #[arg(long, value_name = "FILE")]
    pub assignments: Option<PathBuf>,
    /// Score the stories against a gold file (`id<TAB>cluster`) and print the figures on
    /// standard error.
    #[arg(long, value_name = "GOLD.tsv")]
    pub gold: Option<PathBuf>,
    /// Label terms per story and per topic.
    #[arg(long, value_name = "N", default_value_t = SummaryOptions::default().label_terms, value_parser = whole::<usize>(0..), allow_negative_numbers = true)]
    pub label_terms: usize,
    /// Key sentences per story.
    #[arg(long, value_name = "N", default_value_t = SummaryOptions::default().key_sentences, value_parser = whole::<usize>(0..), allow_negative_numbers = true)]
    pub key_sentences: usize,
}

impl ClusterArgs {
    /// The arguments of `storyclust` without a command: `cluster` with every default.
    pub fn parse_from_defaults() -> ClusterArgs {
        #[derive(Parser)]
        struct Wrapper {
            #[command(flatten)]
            args: ClusterArgs,
        }
        Wrapper::parse_from(["storyclust"]).args
    }

    /// Library options of the whole pipeline (the rest at the library's defaults), as the
    /// library checks them.
    pub fn pipeline_options(&self) -> anyhow::Result<PipelineOptions> {
        let mut options = PipelineOptions::default();
        options.analysis = self.analysis.options(true, true)?;
        options.dedup.threshold = self.duplicate_threshold;
        let stories = &mut options.stories;
        stories.threshold = self.threshold;
        stories.cohesion_ratio = self.cohesion_ratio;
        stories.topic_threshold = self.topic_threshold;
        stories.topic_cohesion_ratio = self.topic_cohesion_ratio;
        stories.refine_rounds = self.refine;
        stories.window_days = (self.window > 0).then_some(self.window);
        options.summary.label_terms = self.label_terms;
        options.summary.key_sentences = self.key_sentences;
        checked(options.check(), CLUSTER_FLAGS)?;
        Ok(options)
    }
}

/// Options of `eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The gold clustering: `id<TAB>cluster` lines.
    #[arg(
        long,
        value_name = "GOLD.tsv",
        required_unless_present = "pairs",
        conflicts_with = "pairs"
    )]
    pub gold: Option<PathBuf>,
    /// Pairwise judgements instead of a gold clustering: `id_a<TAB>id_b<TAB>score` lines,
    /// 1 = same story … 4 = very dissimilar (SemEval-2022 Task 8).
    #[arg(long, value_name = "PAIRS.tsv")]
    pub pairs: Option<PathBuf>,
    /// The predicted clustering: TSV `id<TAB>cluster`, or JSON Lines with `id` and
    /// `cluster`/`story`/`cluster_id`/`label`.
    #[arg(value_name = "PRED")]
    pub prediction: PathBuf,
    /// Print only the JSON object.
    #[arg(long)]
    pub json: bool,
    /// `--id-field` names the id of JSON Lines predictions (a dotted path reaches into
    /// nested objects); the other field options (hidden from eval's help) are refused.
    #[command(flatten)]
    pub fields: FieldArgs,
}

/// A parser of whole numbers in `range` that names a number out of it as such: with
/// `allow_negative_numbers`, `--window -1` reaches it (and is told that -1 is below 0)
/// instead of being taken for an unknown option.
fn whole<T: TryFrom<i128>>(
    range: impl RangeBounds<i128> + Clone + Send + Sync + 'static,
) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static {
    move |s| {
        let n: i128 = s
            .trim()
            .parse()
            .map_err(|_| format!("{s:?} is not a whole number"))?;
        if let Bound::Included(&min) = range.start_bound() {
            if n < min {
                return Err(format!("{n} is below the least value, {min}"));
            }
        }
        if let Bound::Included(&max) = range.end_bound() {
            if n > max {
                return Err(format!("{n} is over the greatest value, {max}"));
            }
        }
        T::try_from(n).map_err(|_| format!("{n} is too large"))
    }
}

/// More threads than this only cost memory and start-up time (and 100 000 look like a hang).
const MAX_THREADS: usize = 256;

fn thread_count(s: &str) -> Result<usize, String> {
    let n: usize = whole(0..)(s)?;
    match n {
        0 => Ok(1),
        n if n <= MAX_THREADS => Ok(n),
        n => Err(format!(
            "{n} threads is more than the limit of {MAX_THREADS}"
        )),
    }
}

/// A number; its range is the library's to check.
fn number(s: &str) -> Result<f64, String> {
    s.trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a number"))
}

/// Options of `dedup`.
#[derive(Debug, Args)]
pub struct DedupArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub analysis: AnalysisArgs,
    #[command(flatten)]
    pub near: NearDuplicateArgs,
    /// Write the verified pairs as TSV (`id_a`, `id_b`, `jaccard`).
    #[arg(long, value_name = "FILE")]
    pub pairs: Option<PathBuf>,
    /// Write the groups as JSON Lines.
    #[arg(long, value_name = "FILE")]
    pub groups: Option<PathBuf>,
    /// Write the corpus with one document per group (the canonical one) kept; the format
    /// follows the extension (.jsonl, .csv, .tsv), else the input's.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Explain why two documents match (or do not): estimated and exact Jaccard, LSH bands
    /// in common, longest shared passages.
    #[arg(long, num_args = 2, value_names = ["ID_A", "ID_B"])]
    pub explain: Option<Vec<String>>,
    /// Print the summary as one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// How near-duplicates are found.
#[derive(Debug, Args)]
pub struct NearDuplicateArgs {
    /// Pairs with Jaccard at or above this (over word shingles) are near-duplicates.
    #[arg(long, default_value_t = dedup_default().threshold, value_parser = number, allow_negative_numbers = true)]
    pub threshold: f64,
    /// Words per shingle (1 to 32).
    #[arg(long, value_name = "N", default_value_t = dedup_default().ngram, value_parser = whole::<usize>(0..), allow_negative_numbers = true)]
    pub ngram: usize,
    /// MinHash signature length (1 to 4096).
    #[arg(long, value_name = "N", default_value_t = minhash_default().num_perm, value_parser = whole::<usize>(0..), allow_negative_numbers = true)]
    pub num_perm: usize,
    /// MinHash scheme.
    #[arg(long, value_enum, default_value_t = minhash_default().scheme)]
    pub scheme: Scheme,
    /// Seed of the MinHash hash functions.
    #[arg(long, default_value_t = minhash_default().seed, value_parser = whole::<u64>(0..), allow_negative_numbers = true)]
    pub seed: u64,
    /// LSH bands (with --rows; default: chosen for the threshold).
    #[arg(long, requires = "rows", value_parser = whole::<usize>(0..), allow_negative_numbers = true)]
    pub bands: Option<usize>,
    /// LSH rows per band (with --bands).
    #[arg(long, requires = "bands", value_parser = whole::<usize>(0..), allow_negative_numbers = true)]
    pub rows: Option<usize>,
    /// How candidate pairs are verified.
    #[arg(long, value_enum, default_value_t = lsh_default().0)]
    pub verify: Verify,
    /// Find every pair with an exhaustive exact join instead of MinHash + LSH (refused
    /// together with the MinHash and LSH options, which the join would ignore).
    #[arg(long, conflicts_with_all = ["num_perm", "scheme", "seed", "bands", "rows", "verify", "bucket_cap"])]
    pub exact: bool,
    /// LSH buckets larger than this link each member to the first one only (at least 2).
    #[arg(long, value_name = "N", default_value_t = lsh_default().1, value_parser = whole::<usize>(0..), allow_negative_numbers = true)]
    pub bucket_cap: usize,
}

impl NearDuplicateArgs {
    /// Library options, as the library checks them (bands × rows within the signature…).
    pub fn options(&self) -> anyhow::Result<DedupOptions> {
        let mut options = DedupOptions::default();
        options.threshold = self.threshold;
        options.ngram = self.ngram;
        options.method = if self.exact {
            Method::ExactJoin
        } else {
            let mut minhash = MinHashParams::default();
            minhash.scheme = self.scheme;
            minhash.num_perm = self.num_perm;
            minhash.seed = self.seed;
            Method::MinHashLsh {
                minhash,
                lsh: match (self.bands, self.rows) {
                    (Some(b), Some(r)) => Some(LshParams::new(b, r)),
                    _ => None,
                },
                verify: self.verify,
                bucket_cap: self.bucket_cap,
            }
        };
        checked(options.check(), &[])?;
        Ok(options)
    }
}

/// Options of `stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub analysis: AnalysisArgs,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
    /// List at most this many documents (id, headline, language…).
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = whole::<usize>(0..), allow_negative_numbers = true)]
    pub list: usize,
    /// Show this many top terms.
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = whole::<usize>(0..), allow_negative_numbers = true)]
    pub top_terms: usize,
}

/// Where the documents come from and how to read them.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files or directories to read; `-` reads standard input. gzip, zstd, bzip2 and xz
    /// are decompressed (told by their first bytes). Default: `seeds` (the sample articles
    /// in the source repository).
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub fields: FieldArgs,
    /// Stop at the first bad record instead of skipping it.
    #[arg(long)]
    pub strict: bool,
    /// Titles and texts longer than this are truncated (with a warning); at least 1.
    #[arg(long, value_name = "BYTES", default_value_t = ReadOptions::default().max_text_bytes, value_parser = whole::<usize>(0..), allow_negative_numbers = true)]
    pub max_text_bytes: usize,
    /// Write every warning and skipped record as JSON Lines to FILE.
    #[arg(long, value_name = "FILE")]
    pub errors: Option<PathBuf>,
}

impl InputArgs {
    /// The inputs, `seeds` when none are given.
    pub fn inputs(&self) -> Vec<PathBuf> {
        if self.inputs.is_empty() {
            vec![PathBuf::from("seeds")]
        } else {
            self.inputs.clone()
        }
    }

    /// Reader options, as the library checks them.
    pub fn read_options(&self) -> anyhow::Result<ReadOptions> {
        let mut options = self.fields.read_options();
        options.strict = self.strict;
        options.max_text_bytes = self.max_text_bytes;
        checked(options.check(), &[])?;
        Ok(options)
    }
}

/// How records become documents: the format, the fields of JSON Lines, CSV and TSV records,
/// and the time zone of dates. Shared by every command that reads a corpus (and `eval`).
#[derive(Debug, Clone, Args)]
pub struct FieldArgs {
    /// Record format of the inputs (default: from the extension, else from the content).
    #[arg(long = "input-format", value_enum, default_value_t = ReadOptions::default().format)]
    pub input_format: InputFormat,
    /// Field holding the id. In JSON, a dotted name is also a path into nested objects
    /// (`meta.id`), as for every field option.
    #[arg(long, value_name = "NAME", default_value_t = FieldNames::default().id)]
    pub id_field: String,
    /// Field holding the text. Several (`--text-field title,body` or the option repeated)
    /// are joined in that order with a blank line between them.
    #[arg(
        long,
        value_name = "NAME",
        default_values_t = FieldNames::default().text,
        value_delimiter = ','
    )]
    pub text_field: Vec<String>,
    /// Field holding the title.
    #[arg(long, value_name = "NAME", default_value_t = FieldNames::default().title)]
    pub title_field: String,
    /// Field holding the date: RFC 3339 or ISO 8601 (`2015-07-21`, `2015-07-21 02:51[:32]`,
    /// with or without an offset), RFC 2822 (RSS), or Unix epoch seconds or milliseconds.
    #[arg(long, value_name = "NAME", default_value_t = FieldNames::default().date)]
    pub date_field: String,
    /// Field holding the source (publisher).
    #[arg(long, value_name = "NAME", default_value_t = FieldNames::default().source)]
    pub source_field: String,
    /// Field holding the URL. A field option set to a name that no record has is an
    /// error that lists the fields the records do have.
    #[arg(long, value_name = "NAME", default_value_t = FieldNames::default().url)]
    pub url_field: String,
    /// Time zone of dates written with a time but no offset: an IANA name such as
    /// `Asia/Riyadh`, or a fixed offset such as `+03:00` (default: UTC). Dates without a
    /// time stay that day.
    #[arg(long, value_name = "ZONE", value_parser = time_zone, allow_hyphen_values = true)]
    pub timezone: Option<jiff::tz::TimeZone>,
}

impl FieldArgs {
    /// The field names.
    pub fn names(&self) -> FieldNames {
        let mut names = FieldNames::default();
        names.id = self.id_field.clone();
        names.text = self.text_field.clone();
        names.title = self.title_field.clone();
        names.date = self.date_field.clone();
        names.source = self.source_field.clone();
        names.url = self.url_field.clone();
        names
    }

    /// Reader options with these fields (and the library's defaults otherwise).
    pub fn read_options(&self) -> ReadOptions {
        let mut options = ReadOptions::default();
        options.format = self.input_format;
        options.fields = self.names();
        options.timezone = self.timezone.clone();
        options
    }

    /// The options given that only apply to reading a corpus (all but `--id-field`), for
    /// commands that read only ids.
    pub fn corpus_only(&self) -> Vec<&'static str> {
        let names = self.names();
        let default = FieldNames::default();
        [
            ("--text-field", names.text != default.text),
            ("--title-field", names.title != default.title),
            ("--date-field", names.date != default.date),
            ("--source-field", names.source != default.source),
            ("--url-field", names.url != default.url),
            (
                "--input-format",
                self.input_format != ReadOptions::default().format,
            ),
            ("--timezone", self.timezone.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, given)| given.then_some(name))
        .collect()
    }
}

/// A zone name (`Asia/Riyadh`, `UTC`) or a fixed offset (`+03:00`, `-0500`), as jiff reads them.
fn time_zone(s: &str) -> Result<jiff::tz::TimeZone, String> {
    static PARSER: jiff::fmt::temporal::DateTimeParser = jiff::fmt::temporal::DateTimeParser::new();
    PARSER.parse_time_zone(s.trim()).map_err(|e| {
        format!(
            "{s:?} is neither a time zone name such as Asia/Riyadh or UTC nor a fixed offset \
             such as +03:00 or -0500: {e}"
        )
    })
}

/// How text is analysed.
#[derive(Debug, Args)]
pub struct AnalysisArgs {
    /// Treat every document as this language (an ISO 639-1 code, or `und` for no stop words
    /// and no stemming) instead of identifying it.
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Arabic stemmer for terms.
    #[arg(long, value_enum, default_value_t = AnalysisOptions::default().arabic_stemmer)]
    pub stemmer: ArabicStemmer,
    /// A short line in at least N documents of one source is boilerplate (at least 2).
    #[arg(long, value_name = "N", default_value_t = AnalysisOptions::default().boilerplate.source_min_docs, value_parser = whole::<usize>(0..), allow_negative_numbers = true)]
    pub boilerplate_source_docs: usize,
    /// A short line in at least N documents of the corpus (and 0.5 % of them) is boilerplate
    /// (at least 2).
    #[arg(long, value_name = "N", default_value_t = AnalysisOptions::default().boilerplate.corpus_min_docs, value_parser = whole::<usize>(0..), allow_negative_numbers = true)]
    pub boilerplate_corpus_docs: usize,
}

impl AnalysisArgs {
    /// Analysis options: `terms` for TF-IDF terms, `bigrams` to add adjacent-term pairs; as
    /// the library checks them.
    pub fn options(&self, terms: bool, bigrams: bool) -> anyhow::Result<AnalysisOptions> {
        let mut options = AnalysisOptions::default();
        options.bigrams = terms && bigrams;
        options.lang = self.lang;
        options.arabic_stemmer = self.stemmer;
        options.boilerplate.source_min_docs = self.boilerplate_source_docs;
        options.boilerplate.corpus_min_docs = self.boilerplate_corpus_docs;
        options.terms = terms;
        checked(options.check(), &[])?;
        Ok(options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &[&str]) -> Command {
        let line = std::iter::once("storyclust").chain(line.iter().copied());
        Cli::try_parse_from(line)
            .expect("the command line parses")
            .command
            .expect("a command")
    }

    /// Compared as printed: the options hold floats, and a field added later is compared too.
    fn same<T: std::fmt::Debug>(built: &T, library: &T) {
        assert_eq!(format!("{built:#?}"), format!("{library:#?}"));
    }

    /// The analysis options a command asks for: its `terms` and `bigrams`, the rest default.
    fn analysis(terms: bool, bigrams: bool) -> AnalysisOptions {
        let mut options = AnalysisOptions::default();
        options.terms = terms;
        options.bigrams = bigrams;
        options
    }

    #[test]
    fn empty_command_lines_give_the_library_defaults() {
        let Command::Cluster(args) = parse(&["cluster"]) else {
            panic!("cluster")
        };
        same(
            &args.pipeline_options().unwrap(),
            &PipelineOptions::default(),
        );
        same(&args.input.read_options().unwrap(), &ReadOptions::default());
        assert_eq!(Level::from(args.level), Level::default());
        assert_eq!(args.ui_lang, UiLang::default());
        // `storyclust` alone runs `cluster` with these same arguments.
        same(
            &ClusterArgs::parse_from_defaults()
                .pipeline_options()
                .unwrap(),
            &PipelineOptions::default(),
        );

        let Command::Dedup(args) = parse(&["dedup"]) else {
            panic!("dedup")
        };
        same(&args.near.options().unwrap(), &DedupOptions::default());
        same(&args.input.read_options().unwrap(), &ReadOptions::default());
        same(
            &args.analysis.options(false, false).unwrap(),
            &analysis(false, false),
        );

        let Command::Stats(args) = parse(&["stats"]) else {
            panic!("stats")
        };
        same(&args.input.read_options().unwrap(), &ReadOptions::default());
        same(
            &args.analysis.options(true, false).unwrap(),
            &analysis(true, false),
        );

        let Command::Synth(args) = parse(&["synth", "--from", "seeds"]) else {
            panic!("synth")
        };
        same(&args.options().unwrap(), &SynthOptions::default());
        same(&args.fields.read_options(), &ReadOptions::default());

        let Command::Bench(args) = parse(&["bench"]) else {
            panic!("bench")
        };
        same(&args.fields.read_options(), &ReadOptions::default());

        let Command::Eval(args) = parse(&["eval", "--gold", "gold.tsv", "pred.tsv"]) else {
            panic!("eval")
        };
        same(&args.fields.names(), &FieldNames::default());
        assert!(args.fields.corpus_only().is_empty());
    }

    #[test]
    fn the_command_line_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
