//! `storyclust dedup`: the summary, the pairs and groups files, and explanations.

use super::{DedupAccounting, DedupRecord, StageSeconds};
use crate::corpus::{tsv_escape, Document};
use crate::minhash::{check_inputs, Dedup, DedupOptions, Explanation, Method, Scheme, Verify};
use crate::summary::StoryDuplicates;
use crate::text::{content_tokens_with_spans, AnalyzedCorpus, Normalizer, Span};
use ahash::{AHashMap, AHashSet};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::{self, Write};

/// The parameters of a run, recorded in the JSON outputs.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct DedupParameters {
    /// storyclust's version.
    pub version: &'static str,
    /// Jaccard threshold.
    pub threshold: f64,
    /// Words per shingle.
    pub ngram: usize,
    /// Whether every pair was found by the exact join (`--exact`) instead of MinHash + LSH.
    pub exact: bool,
    /// The MinHash scheme (MinHash only).
    pub scheme: Option<Scheme>,
    /// Signature length (MinHash only).
    pub num_perm: Option<usize>,
    /// Bands (MinHash only).
    pub bands: Option<usize>,
    /// Rows per band (MinHash only).
    pub rows: Option<usize>,
    /// Hash seed (MinHash only).
    pub seed: Option<u64>,
    /// The shingle hash.
    pub hash: &'static str,
    /// How candidates were verified (`exact` for the exact join).
    pub verify: Verify,
}

impl DedupParameters {
    /// The parameters of `dedup` run with `options`.
    pub fn new(options: &DedupOptions) -> DedupParameters {
        let minhash = options.method.minhash();
        let lsh = options.lsh_params();
        DedupParameters {
            version: env!("CARGO_PKG_VERSION"),
            threshold: options.threshold,
            ngram: options.ngram,
            exact: matches!(options.method, Method::ExactJoin),
            scheme: minhash.map(|m| m.scheme),
            num_perm: minhash.map(|m| m.num_perm),
            bands: lsh.map(|p| p.bands),
            rows: lsh.map(|p| p.rows),
            seed: minhash.map(|m| m.seed),
            hash: "xxh3-64 tokens, xxh3-64 of token hashes for shingles",
            verify: options.method.verify(),
        }
    }
}

/// Two sources and the near-duplicate pairs between them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct SourcePair {
    /// One source (`""`: documents without one)...
    pub a: String,
    /// ...and the other (`a <= b`).
    pub b: String,
    /// Near-duplicate pairs with one document from each.
    pub pairs: usize,
}

/// What a `dedup` run found, for people and for `--json`.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct DedupSummary {
    /// The version of this output's schema (`schemas/dedup.schema.json`).
    pub schema_version: super::SchemaVersion,
    /// Documents read.
    pub documents: usize,
    /// Documents with no shingle (empty or all boilerplate); they pair with nothing.
    pub without_shingles: usize,
    /// Candidate pairs checked (MinHash only).
    pub candidates: usize,
    /// Verified near-duplicate pairs.
    pub pairs: usize,
    /// Groups of near-duplicates.
    pub groups: usize,
    /// Documents in some group.
    pub documents_in_groups: usize,
    /// Documents `--output` drops (all group members but the canonical ones).
    pub duplicates_removed: usize,
    /// Buckets that were capped.
    pub capped_buckets: usize,
    /// Sources that share near-duplicates most (at most 10).
    pub source_pairs: Vec<SourcePair>,
    /// Parameters of the run.
    pub parameters: DedupParameters,
    /// Seconds per stage.
    pub seconds: Vec<StageSeconds>,
    /// Where every record went.
    pub accounting: DedupAccounting,
}

/// What the outputs of a `dedup` run are made from: the documents, their analysis, what
/// was found, and the run's record. Every `dedup` output is written through it.
#[derive(Clone, Copy)]
pub struct DedupOutputs<'a> {
    documents: &'a [Document],
    analyzed: &'a AnalyzedCorpus,
    found: &'a Dedup,
    record: &'a DedupRecord,
}

impl<'a> DedupOutputs<'a> {
    /// The outputs of `found` over `documents` (analysed as `analyzed`), run as `record` says.
    /// An analysis or near-duplicates of other documents are refused
    /// ([`crate::Error::Mismatch`]), so that no output is written from them.
    pub fn new(
        documents: &'a [Document],
        analyzed: &'a AnalyzedCorpus,
        found: &'a Dedup,
        record: &'a DedupRecord,
    ) -> crate::Result<DedupOutputs<'a>> {
        check_inputs(documents, analyzed, Some(found))?;
        Ok(DedupOutputs {
            documents,
            analyzed,
            found,
            record,
        })
    }

    /// The run's record.
    pub fn record(&self) -> &'a DedupRecord {
        self.record
    }

    /// The documents.
    pub fn documents(&self) -> &'a [Document] {
        self.documents
    }

    /// Their analysis.
    pub fn analyzed(&self) -> &'a AnalyzedCorpus {
        self.analyzed
    }

    /// What was found.
    pub fn found(&self) -> &'a Dedup {
        self.found
    }

    /// Summarises the run, for people and for `--json`.
    pub fn summary(&self) -> DedupSummary {
        let (documents, dedup) = (self.documents, self.found);
        let in_groups = dedup.groups.documents();
        DedupSummary {
            schema_version: super::SchemaVersion,
            documents: documents.len(),
            without_shingles: dedup
                .shingles
                .sets()
                .iter()
                .filter(|s| s.is_empty())
                .count(),
            candidates: dedup.candidates,
            pairs: dedup.pairs.len(),
            groups: dedup.groups.groups.len(),
            documents_in_groups: in_groups,
            duplicates_removed: in_groups - dedup.groups.groups.len(),
            capped_buckets: dedup.capped_buckets,
            source_pairs: source_pairs(documents, dedup, 10),
            parameters: self.record.parameters.clone(),
            seconds: self.record.timings.clone(),
            accounting: self.record.accounting.clone(),
        }
    }
}

/// The `limit` pairs of sources that share the most near-duplicate pairs.
fn source_pairs(documents: &[Document], dedup: &Dedup, limit: usize) -> Vec<SourcePair> {
    let mut by_sources: AHashMap<(&str, &str), usize> = AHashMap::new();
    for p in &dedup.pairs {
        let sa = documents[p.a as usize].source.as_deref().unwrap_or("");
        let sb = documents[p.b as usize].source.as_deref().unwrap_or("");
        let key = if sa <= sb { (sa, sb) } else { (sb, sa) };
        *by_sources.entry(key).or_insert(0) += 1;
    }
    let mut source_pairs: Vec<SourcePair> = by_sources
        .into_iter()
        .map(|((a, b), n)| SourcePair {
            a: a.to_string(),
            b: b.to_string(),
            pairs: n,
        })
        .collect();
    source_pairs.sort_by(|x, y| {
        y.pairs
            .cmp(&x.pairs)
            .then_with(|| (&x.a, &x.b).cmp(&(&y.a, &y.b)))
    });
    source_pairs.truncate(limit);
    source_pairs
}

impl DedupSummary {
    /// A report for a person to read.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let p = &self.parameters;
        let _ = writeln!(s, "documents            {}", self.documents);
        if self.without_shingles > 0 {
            let _ = writeln!(
                s,
                "  without shingles   {} (empty or all boilerplate)",
                self.without_shingles
            );
        }
        let _ = writeln!(
            s,
            "near-duplicate pairs {} (Jaccard ≥ {})",
            self.pairs, p.threshold
        );
        let _ = writeln!(s, "groups               {}", self.groups);
        let _ = writeln!(s, "documents in groups  {}", self.documents_in_groups);
        let _ = writeln!(s, "duplicates removed   {}", self.duplicates_removed);
        self.write_method(&mut s);
        self.write_source_pairs(&mut s);
        let total: f64 = self.seconds.iter().map(|s| s.seconds).sum();
        let stages: Vec<String> = self
            .seconds
            .iter()
            .map(|s| format!("{} {:.2}", s.stage, s.seconds))
            .collect();
        let _ = writeln!(s, "seconds              {total:.2} ({})", stages.join(", "));
        s
    }

    /// How pairs were found: MinHash with its parameters and candidates, or the exact join.
    fn write_method(&self, s: &mut String) {
        let p = &self.parameters;
        match (p.scheme, p.bands, p.rows) {
            (Some(scheme), Some(b), Some(r)) => {
                let _ = writeln!(
                    s,
                    "method               {} MinHash, {} permutations, {b} bands × {r} rows, {}-word shingles, {} verification",
                    scheme.name(), p.num_perm.unwrap_or(0), p.ngram, p.verify.name()
                );
                let _ = writeln!(
                    s,
                    "candidates           {}{}",
                    self.candidates,
                    if self.capped_buckets > 0 {
                        format!(" ({} buckets capped)", self.capped_buckets)
                    } else {
                        String::new()
                    }
                );
            }
            _ => {
                let _ = writeln!(
                    s,
                    "method               exact join, {}-word shingles",
                    p.ngram
                );
            }
        }
    }

    /// The pairs of sources that share near-duplicates, most first.
    fn write_source_pairs(&self, s: &mut String) {
        if !self.source_pairs.is_empty() {
            let _ = writeln!(s, "sources sharing near-duplicates:");
            for SourcePair { a, b, pairs: n } in &self.source_pairs {
                let name = |x: &str| {
                    if x.is_empty() {
                        "(none)".to_string()
                    } else {
                        x.to_string()
                    }
                };
                let _ = writeln!(s, "  {n:>6}  {} – {}", name(a), name(b));
            }
        }
    }
}

impl DedupOutputs<'_> {
    /// Writes the pairs as TSV: the header `id_a<TAB>id_b<TAB>jaccard`, then one pair per line
    /// with `id_a < id_b`, sorted. (The parameters are in the JSON outputs: a `#` line on top
    /// would break TSV readers.)
    pub fn write_pairs(&self, out: &mut dyn Write) -> io::Result<()> {
        let (documents, dedup) = (self.documents, self.found);
        let mut rows: Vec<(&str, &str, f64)> = dedup
            .pairs
            .iter()
            .map(|p| {
                let (a, b) = (
                    documents[p.a as usize].id.as_str(),
                    documents[p.b as usize].id.as_str(),
                );
                if a < b {
                    (a, b, p.jaccard)
                } else {
                    (b, a, p.jaccard)
                }
            })
            .collect();
        rows.sort_by(|x, y| (x.0, x.1).cmp(&(y.0, y.1)));
        writeln!(out, "id_a\tid_b\tjaccard")?;
        for (a, b, j) in rows {
            let j = super::decimal(j);
            writeln!(out, "{}\t{}\t{j}", tsv_escape(a), tsv_escape(b))?;
        }
        Ok(())
    }
}

/// A group of near-duplicates: the canonical document and its copies, each with its
/// headline, time and address, and the group's first publisher (as in `cluster`'s
/// `duplicate_groups`).
#[derive(Serialize, schemars::JsonSchema)]
pub struct GroupLine {
    /// The group.
    #[serde(flatten)]
    pub group: StoryDuplicates,
    /// Documents in the group: the canonical one and its copies.
    pub size: usize,
}

/// The first line of `--groups`: the schema's version and the run's parameters.
#[derive(Serialize, schemars::JsonSchema)]
pub struct GroupsHeader<'a> {
    /// The version of this output's schema (`schemas/dedup-groups-line.schema.json`).
    pub schema_version: super::SchemaVersion,
    /// The parameters of the run.
    pub parameters: &'a DedupParameters,
}

/// A line of `dedup --groups`: the header first, then one group per line.
#[derive(Serialize, schemars::JsonSchema)]
#[serde(untagged)]
#[non_exhaustive]
pub enum GroupsLine<'a> {
    /// The first line.
    Header(GroupsHeader<'a>),
    /// Every other line.
    Group(Box<GroupLine>),
}

impl DedupOutputs<'_> {
    /// Writes the groups as JSON Lines: a first line `{"schema_version": …, "parameters": …}`,
    /// then one group per line: `canonical` with its `source`, `headline`, `date` and `url`,
    /// `copies` with the same and their `jaccard` to the canonical document, the
    /// `first_publisher` (earliest time) and the `size`.
    pub fn write_groups(&self, out: &mut dyn Write) -> io::Result<()> {
        let (documents, analyzed, dedup) = (self.documents, self.analyzed, self.found);
        let header = GroupsLine::Header(GroupsHeader {
            schema_version: super::SchemaVersion,
            parameters: &self.record.parameters,
        });
        serde_json::to_writer(&mut *out, &header)?;
        out.write_all(b"\n")?;
        for g in &dedup.groups.groups {
            let line = GroupsLine::Group(Box::new(GroupLine {
                group: StoryDuplicates::of(g, documents, analyzed),
                size: g.members.len() + 1,
            }));
            serde_json::to_writer(&mut *out, &line)?;
            out.write_all(b"\n")?;
        }
        Ok(())
    }
}

impl DedupOutputs<'_> {
    /// The indices of the documents `--output` keeps: everything but non-canonical members.
    pub fn kept_documents(&self) -> Vec<usize> {
        let (documents, dedup) = (self.documents, self.found);
        let dropped: AHashSet<u32> = dedup
            .groups
            .groups
            .iter()
            .flat_map(|g| g.members.iter().map(|&(m, _)| m))
            .collect();
        (0..documents.len())
            .filter(|i| !dropped.contains(&(*i as u32)))
            .collect()
    }
}

/// The longest passages of `a` whose shingles also occur in `b`, longest first, as raw text
/// of `a`. The analysis and near-duplicates must be those of `documents`
/// ([`crate::Error::Mismatch`]) and still hold their shingle sets (see
/// [`Dedup::shingle_set`]).
pub fn shared_passages(
    documents: &[Document],
    analyzed: &AnalyzedCorpus,
    dedup: &Dedup,
    normalizer: &Normalizer,
    ngram: usize,
    (a, b): (usize, usize),
    limit: usize,
) -> crate::Result<Vec<String>> {
    check_inputs(documents, analyzed, Some(dedup))?;
    let (_, other) = (dedup.shingle_set(a)?, dedup.shingle_set(b)?);
    let tokens: Vec<(u64, Span)> =
        content_tokens_with_spans(&documents[a], &analyzed.documents[a], normalizer);
    let n = ngram.max(1);
    if tokens.len() < n {
        return Ok(Vec::new());
    }
    let hashes: Vec<u64> = tokens.iter().map(|t| t.0).collect();
    let shared: Vec<bool> = hashes
        .windows(n)
        .map(|w| other.binary_search(&crate::text::sequence_hash(w)).is_ok())
        .collect();
    // Runs of consecutive shared shingles cover tokens [start, end + n).
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < shared.len() {
        if shared[i] {
            let start = i;
            while i < shared.len() && shared[i] {
                i += 1;
            }
            runs.push((start, i - 1 + n));
        } else {
            i += 1;
        }
    }
    runs.sort_by(|x, y| (y.1 - y.0).cmp(&(x.1 - x.0)).then(x.0.cmp(&y.0)));
    let body = &documents[a].body;
    Ok(runs
        .into_iter()
        .take(limit)
        .map(|(s, e)| {
            let (from, to) = (tokens[s].1 .0 as usize, tokens[e - 1].1 .1 as usize);
            body[from..to]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect())
}

/// An explanation for a person to read.
pub fn explanation_text(
    ids: (&str, &str),
    e: &Explanation,
    threshold: f64,
    passages: &[String],
) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{} ~ {}", ids.0, ids.1);
    let _ = writeln!(
        s,
        "exact Jaccard        {:.4} ({} shared of {} and {} shingles){}",
        e.exact_jaccard,
        e.shingles.2,
        e.shingles.0,
        e.shingles.1,
        if e.exact_jaccard >= threshold {
            ", a near-duplicate pair"
        } else {
            ", below the threshold"
        }
    );
    if let Some(est) = e.estimated_jaccard {
        let _ = writeln!(s, "estimated Jaccard    {est:.4}");
    }
    if let Some(bands) = &e.shared_bands {
        let _ = writeln!(
            s,
            "LSH bands in common  {}",
            if bands.is_empty() {
                "none (not a candidate)".to_string()
            } else {
                bands
                    .iter()
                    .map(|b| b.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        );
    }
    if passages.is_empty() {
        let _ = writeln!(s, "no shared passage");
    } else {
        let _ = writeln!(s, "longest shared passages (as written in {}):", ids.0);
        for p in passages {
            let _ = writeln!(s, "  “{}”", crate::text::shorten(p, 300));
        }
    }
    s
}
