//! Command-line options. The binary only parses options and calls the library.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use storyclust::corpus::{FieldNames, InputFormat, ReadOptions};
use storyclust::text::{AnalysisOptions, ArabicStemmer, BoilerplateOptions, Lang};

/// Find near-duplicate news articles and group articles into stories (Arabic-aware).
#[derive(Debug, Parser)]
#[command(name = "storyclust", version, about, long_about = None)]
pub struct Cli {
    /// Worker threads (default: one per core).
    #[arg(long, global = true, value_name = "N")]
    pub threads: Option<usize>,
    /// No progress bars, no warnings on standard error (errors are still printed).
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// The command (default: `stats seeds`).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Describe a corpus: documents, bytes, tokens, languages, sources, dates, problems,
    /// boilerplate, headlines and top terms.
    Stats(StatsArgs),
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
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub list: usize,
    /// Show this many top terms.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub top_terms: usize,
}

/// Where the documents come from and how to read them.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files or directories to read; `-` reads standard input. `.gz` and `.zst` are
    /// decompressed. Default: `seeds`.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Record format (default: from the extension, else from the content).
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    pub format: InputFormat,
    /// JSONL/CSV field holding the id.
    #[arg(long, value_name = "NAME", default_value = "id")]
    pub id_field: String,
    /// JSONL/CSV field holding the text.
    #[arg(long, value_name = "NAME", default_value = "text")]
    pub text_field: String,
    /// JSONL/CSV field holding the title.
    #[arg(long, value_name = "NAME", default_value = "title")]
    pub title_field: String,
    /// JSONL/CSV field holding the date (YYYY-MM-DD, YYYY-MM-DD hh:mm:ss or RFC 3339).
    #[arg(long, value_name = "NAME", default_value = "date")]
    pub date_field: String,
    /// JSONL/CSV field holding the source (publisher).
    #[arg(long, value_name = "NAME", default_value = "source")]
    pub source_field: String,
    /// JSONL/CSV field holding the URL.
    #[arg(long, value_name = "NAME", default_value = "url")]
    pub url_field: String,
    /// Stop at the first bad record instead of skipping it.
    #[arg(long)]
    pub strict: bool,
    /// Titles and texts longer than this are truncated (with a warning).
    #[arg(long, value_name = "BYTES", default_value_t = 8 << 20)]
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

    /// Reader options.
    pub fn read_options(&self, progress: bool) -> ReadOptions {
        ReadOptions {
            format: self.format,
            fields: FieldNames {
                id: self.id_field.clone(),
                text: self.text_field.clone(),
                title: self.title_field.clone(),
                date: self.date_field.clone(),
                source: self.source_field.clone(),
                url: self.url_field.clone(),
            },
            strict: self.strict,
            max_text_bytes: self.max_text_bytes,
            progress,
        }
    }
}

/// How text is analysed.
#[derive(Debug, Args)]
pub struct AnalysisArgs {
    /// Treat every document as this language instead of detecting it from its script.
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Arabic stemmer for terms.
    #[arg(long, value_enum, default_value_t = ArabicStemmer::Light10)]
    pub stemmer: ArabicStemmer,
    /// A short line in at least N documents of one source is boilerplate.
    #[arg(long, value_name = "N", default_value_t = BoilerplateOptions::default().source_min_docs)]
    pub boilerplate_source_docs: usize,
    /// A short line in at least N documents of the corpus (and 0.5 % of them) is boilerplate.
    #[arg(long, value_name = "N", default_value_t = BoilerplateOptions::default().corpus_min_docs)]
    pub boilerplate_corpus_docs: usize,
}

impl AnalysisArgs {
    /// Analysis options.
    pub fn options(&self, terms: bool, progress: bool) -> AnalysisOptions {
        AnalysisOptions {
            lang: self.lang,
            arabic_stemmer: self.stemmer,
            boilerplate: BoilerplateOptions {
                source_min_docs: self.boilerplate_source_docs.max(2),
                corpus_min_docs: self.boilerplate_corpus_docs.max(2),
                ..BoilerplateOptions::default()
            },
            terms,
            progress,
            ..AnalysisOptions::default()
        }
    }
}
