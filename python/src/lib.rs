//! The native half of the `storyclust` Python package: thin functions over the Rust library.
//! Records arrive as parallel columns (the Python half normalises dicts, pandas and pyarrow),
//! results leave as plain tuples and JSON, and every heavy step runs with the GIL released.

// Options are set field by field on the library's defaults: fields added later keep their
// defaults, and the code still builds once the options become `#[non_exhaustive]`.
#![allow(clippy::field_reassign_with_default)]

mod arrow;
mod bandtable;
mod lsh;
mod pyints;
mod signals;

use pyints::{list_chunks, list_hashes_into};
use pyo3::buffer::PyBuffer;
use pyo3::exceptions::{PyUserWarning, PyValueError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use rayon::prelude::*;
use signals::Signals;
use std::sync::{Arc, Mutex};
use storyclust::corpus::{decode_html_entities, Document, Timestamp};
use storyclust::minhash::{
    find_duplicates_taking_tokens, DedupOptions, LshParams, Method, MinHashParams, Scheme, Signer,
    Verify, EMPTY,
};
use storyclust::pipeline::{run_stories, PipelineOptions};
use storyclust::text::{analyze, shingle_set, token_hash, AnalysisOptions};

type Column = Vec<Option<String>>;
/// Records as columns: ids, texts, titles, dates, sources, urls.
type Records = (Vec<String>, Vec<String>, Column, Column, Column, Column);

/// Records read as documents, with a warning for each date that could not be read.
pub(crate) struct Read {
    pub(crate) documents: Vec<Document>,
    /// One message per record whose date was unreadable (the record is kept undated).
    pub(crate) bad_dates: Vec<String>,
}

impl Read {
    /// Issues the warnings as Python `UserWarning`s (needs the GIL): shown once the call
    /// returns, at the caller's line.
    pub(crate) fn warn(&self, py: Python<'_>) -> PyResult<()> {
        if self.bad_dates.is_empty() {
            return Ok(());
        }
        let warn = py.import("warnings")?.getattr("warn")?;
        let category = py.get_type::<PyUserWarning>();
        for message in &self.bad_dates {
            // 2: past the package's Python function (the nearest Python frame), to the caller.
            warn.call1((message, &category, 2))?;
        }
        Ok(())
    }
}

pub(crate) fn documents((ids, texts, titles, dates, sources, urls): Records) -> PyResult<Read> {
    let n = ids.len();
    if [
        texts.len(),
        titles.len(),
        dates.len(),
        sources.len(),
        urls.len(),
    ] != [n; 5]
    {
        return Err(PyValueError::new_err("columns differ in length"));
    }
    let mut seen = std::collections::HashSet::with_capacity(n);
    let mut out = Vec::with_capacity(n);
    let mut bad_dates = Vec::new();
    for (((((id, mut text), title), date), source), url) in ids
        .into_iter()
        .zip(texts)
        .zip(titles)
        .zip(dates)
        .zip(sources)
        .zip(urls)
    {
        // Results are keyed by id, so a repeated id would make them ambiguous.
        if !seen.insert(id.clone()) {
            return Err(PyValueError::new_err(format!("duplicate id {id:?}")));
        }
        // As the CLI: an unreadable date is a warning, and the record is kept undated.
        let date = date.as_deref().map(str::trim).filter(|d| !d.is_empty());
        let date = date.and_then(|d| {
            let parsed = Timestamp::parse(d);
            if parsed.is_none() {
                bad_dates.push(format!(
                    "record {id:?}: unreadable date {d:?}; read without a date"
                ));
            }
            parsed
        });
        // As the CLI's readers: HTML entities (`&quot;`) in titles and texts are decoded.
        decode_html_entities(&mut text);
        let title = title.map(|mut t| {
            decode_html_entities(&mut t);
            t
        });
        let mut doc = Document::new(id, text);
        doc.title = title.filter(|t| !t.trim().is_empty());
        doc.source = source.filter(|s| !s.is_empty());
        doc.url = url.filter(|u| !u.trim().is_empty());
        doc.date = date;
        out.push(doc);
    }
    Ok(Read {
        documents: out,
        bad_dates,
    })
}

/// An option refused by the library's checks, as a `ValueError` naming the Python
/// parameter (the library's field name's last part: `dedup.minhash.num_perm` → `num_perm`).
pub(crate) fn option_error(e: storyclust::Error) -> PyErr {
    match e {
        storyclust::Error::InvalidOption { field, why } => {
            let name = match field.rsplit('.').next() {
                Some("lsh") => "bands and rows",
                Some(last) => last,
                None => field,
            };
            PyValueError::new_err(format!("{name}: {why}"))
        }
        other => PyValueError::new_err(other.to_string()),
    }
}

/// `seed` checked: 0 ..= 2⁶⁴ - 1. Read with `from_py_with` (as is `num_perm`), so a bad
/// value is a `ValueError` naming it, and the signature's default stays a literal that
/// Python sees (`seed=1` in `inspect.signature` and the stubs, not `None`).
pub(crate) fn seed(value: &Bound<'_, PyAny>) -> PyResult<u64> {
    int_param(value, "seed", 0, u64::MAX)
}

/// The longest signature accepted (the library's limit).
pub(crate) const MAX_NUM_PERM: usize = MinHashParams::MAX_NUM_PERM;

/// `num_perm` checked: 1 ..= [`MAX_NUM_PERM`] (larger would take memory and time without end).
pub(crate) fn num_perm(value: &Bound<'_, PyAny>) -> PyResult<usize> {
    Ok(int_param(value, "num_perm", 1, MAX_NUM_PERM as u64)? as usize)
}

/// An integer parameter checked against `low ..= high`, read from any Python int (or an
/// object with `__index__`): a `ValueError` naming it when out of range or not an integer.
pub(crate) fn int_param(
    value: &Bound<'_, PyAny>,
    name: &str,
    low: u64,
    high: u64,
) -> PyResult<u64> {
    let bad = || -> PyErr {
        let shown = value
            .repr()
            .map(|r| r.to_string())
            .unwrap_or_else(|_| "?".into());
        PyValueError::new_err(format!(
            "{name} must be an integer from {low} to {high}, not {shown}"
        ))
    };
    if value.is_instance_of::<pyo3::types::PyBool>() {
        return Err(bad());
    }
    match value.extract::<i128>() {
        Ok(v) if v >= i128::from(low) && v <= i128::from(high) => Ok(v as u64),
        _ => Err(bad()),
    }
}

pub(crate) fn scheme(name: &str) -> PyResult<Scheme> {
    match name {
        "fast" => Ok(Scheme::Fast),
        "classic" => Ok(Scheme::Classic),
        _ => Err(PyValueError::new_err(format!(
            "scheme must be \"fast\" or \"classic\", not {name:?}"
        ))),
    }
}

pub(crate) fn unit(name: &str, v: f64) -> PyResult<f64> {
    if v > 0.0 && v <= 1.0 {
        Ok(v)
    } else {
        Err(PyValueError::new_err(format!(
            "{name} must be a number in (0, 1], not {v}"
        )))
    }
}

pub(crate) fn lsh_params(
    num_perm: usize,
    bands: Option<usize>,
    rows: Option<usize>,
) -> PyResult<Option<LshParams>> {
    match (bands, rows) {
        (None, None) => Ok(None),
        (Some(b), Some(r)) if b >= 1 && r >= 1 && b * r <= num_perm => {
            Ok(Some(LshParams::new(b, r)))
        }
        (Some(b), Some(r)) => Err(PyValueError::new_err(format!(
            "bands {b} × rows {r} must be between 1 and num_perm {num_perm}"
        ))),
        _ => Err(PyValueError::new_err(
            "give both bands and rows, or neither",
        )),
    }
}

/// The options of MinHash + LSH as Python passes them.
struct MinHashArgs<'a> {
    num_perm: usize,
    seed: u64,
    scheme: &'a str,
    bands: Option<usize>,
    rows: Option<usize>,
    verify: &'a str,
    bucket_cap: usize,
}

impl MinHashArgs<'_> {
    /// The first of these options given a value other than its default.
    fn first_given(&self) -> Option<&'static str> {
        let defaults = default_minhash();
        [
            ("num_perm", self.num_perm != defaults.num_perm),
            ("seed", self.seed != defaults.seed),
            ("scheme", self.scheme != defaults.scheme.name()),
            ("bands", self.bands.is_some()),
            ("rows", self.rows.is_some()),
            ("verify", self.verify != Method::default().verify().name()),
            ("bucket_cap", self.bucket_cap != default_bucket_cap()),
        ]
        .into_iter()
        .find_map(|(name, given)| given.then_some(name))
    }

    /// The method they describe.
    fn method(&self) -> PyResult<Method> {
        let mut minhash = MinHashParams::default();
        minhash.scheme = scheme(self.scheme)?;
        minhash.num_perm = self.num_perm;
        minhash.seed = self.seed;
        let lsh = lsh_params(self.num_perm, self.bands, self.rows)?;
        let verify = match self.verify {
            "exact" => Verify::Exact,
            "estimate" => Verify::Estimate,
            other => {
                return Err(PyValueError::new_err(format!(
                    "verify must be \"exact\" or \"estimate\", not {other:?}"
                )))
            }
        };
        Ok(Method::MinHashLsh {
            minhash,
            lsh,
            verify,
            bucket_cap: self.bucket_cap,
        })
    }
}

fn dedup_options(
    threshold: f64,
    ngram: usize,
    minhash: &MinHashArgs<'_>,
    exact: bool,
) -> PyResult<DedupOptions> {
    let threshold = unit("threshold", threshold)?;
    if ngram == 0 {
        return Err(PyValueError::new_err("ngram must be at least 1"));
    }
    let mut options = DedupOptions::default();
    options.threshold = threshold;
    options.ngram = ngram;
    options.method = if exact {
        // As the CLI refuses `--exact --bands`: the join would ignore them silently.
        if let Some(name) = minhash.first_given() {
            return Err(PyValueError::new_err(format!(
                "{name} has no effect with exact=True"
            )));
        }
        Method::ExactJoin
    } else {
        minhash.method()?
    };
    options.check().map_err(option_error)?;
    Ok(options)
}

fn default_minhash() -> MinHashParams {
    MinHashParams::default()
}

/// The default method's bucket cap and bands × rows (`None`: chosen for the threshold).
fn default_lsh() -> (usize, Option<LshParams>) {
    match Method::default() {
        Method::MinHashLsh {
            bucket_cap, lsh, ..
        } => (bucket_cap, lsh),
        _ => unreachable!("the default method is MinHash + LSH"),
    }
}

fn default_bucket_cap() -> usize {
    default_lsh().0
}

/// The library's defaults by Python parameter name, for `dedup` (and the MinHash functions,
/// which share its names) and `cluster`: a test ties every Python default to them.
#[pyfunction]
fn _library_defaults(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let dedup = DedupOptions::default();
    let minhash = default_minhash();
    let method = Method::default();
    let d = PyDict::new(py);
    d.set_item("threshold", dedup.threshold)?;
    d.set_item("ngram", dedup.ngram)?;
    d.set_item("num_perm", minhash.num_perm)?;
    d.set_item("seed", minhash.seed)?;
    d.set_item("scheme", minhash.scheme.name())?;
    d.set_item("bands", default_lsh().1.map(|p| p.bands))?;
    d.set_item("rows", default_lsh().1.map(|p| p.rows))?;
    d.set_item("verify", method.verify().name())?;
    d.set_item("exact", matches!(method, Method::ExactJoin))?;
    d.set_item("bucket_cap", default_bucket_cap())?;
    let pipeline = PipelineOptions::default();
    let c = PyDict::new(py);
    c.set_item("threshold", pipeline.stories.threshold)?;
    c.set_item("duplicate_threshold", pipeline.dedup.threshold)?;
    c.set_item("topic_threshold", pipeline.stories.topic_threshold)?;
    // Python's `window_days=0` is the library's `None` (no window).
    c.set_item("window_days", pipeline.stories.window_days.unwrap_or(0))?;
    c.set_item("refine", pipeline.stories.refine_rounds)?;
    c.set_item("label_terms", pipeline.summary.label_terms)?;
    c.set_item("key_sentences", pipeline.summary.key_sentences)?;
    let all = PyDict::new(py);
    all.set_item("dedup", d)?;
    all.set_item("cluster", c)?;
    Ok(all)
}

/// The analysis `storyclust dedup` runs (no terms), so tokens and shingles are the CLI's.
fn dedup_analysis() -> AnalysisOptions {
    let mut options = AnalysisOptions::default();
    options.terms = false;
    options
}

type Pair = (u32, u32, f64);
type Group = (u32, Vec<(u32, f64)>);

/// Near-duplicates of the records: verified pairs and groups, by record index.
#[pyfunction]
#[pyo3(signature = (records, threshold, ngram, num_perm, seed, scheme, bands, rows, verify, exact, bucket_cap))]
#[allow(clippy::too_many_arguments)]
fn dedup(
    py: Python<'_>,
    records: Records,
    threshold: f64,
    ngram: usize,
    num_perm: usize,
    seed: u64,
    scheme: &str,
    bands: Option<usize>,
    rows: Option<usize>,
    verify: &str,
    exact: bool,
    bucket_cap: usize,
) -> PyResult<(Vec<Pair>, Vec<Group>)> {
    let minhash = MinHashArgs {
        num_perm,
        seed,
        scheme,
        bands,
        rows,
        verify,
        bucket_cap,
    };
    let options = dedup_options(threshold, ngram, &minhash, exact)?;
    let read = documents(records)?;
    read.warn(py)?;
    let docs = read.documents;
    let signals = Signals::new();
    let found = py.allow_threads(|| {
        let mut analyzed = analyze(&docs, &dedup_analysis())?;
        signals.stop_here()?;
        find_duplicates_taking_tokens(&docs, &mut analyzed, &options, &signals)
    });
    let found = signals.result(found, option_error)?;
    let pairs = found.pairs.iter().map(|p| (p.a, p.b, p.jaccard)).collect();
    let groups = found
        .groups
        .groups
        .iter()
        .map(|g| (g.canonical, g.members.clone()))
        .collect();
    Ok((pairs, groups))
}

/// `cluster`'s options: threshold, duplicate_threshold, topic_threshold, window_days,
/// refine, label_terms, key_sentences.
pub(crate) type ClusterArgs = (f64, f64, f64, u32, usize, usize, usize);

pub(crate) fn cluster_options(args: ClusterArgs) -> PyResult<PipelineOptions> {
    let (threshold, duplicate_threshold, topic_threshold, window_days, refine, labels, key) = args;
    let mut options = PipelineOptions::default();
    options.dedup.threshold = unit("duplicate_threshold", duplicate_threshold)?;
    options.stories.threshold = unit("threshold", threshold)?;
    options.stories.topic_threshold = unit("topic_threshold", topic_threshold)?;
    options.stories.refine_rounds = refine;
    // As the CLI: a window of 0 days means no window.
    options.stories.window_days = (window_days > 0).then_some(window_days);
    options.summary.label_terms = labels;
    options.summary.key_sentences = key;
    Ok(options)
}

/// Stories of the documents: the JSON the library serialises (when `json`), and each
/// document's story and topic id. Call without the GIL; a Ctrl-C stops it.
pub(crate) fn run_cluster(
    docs: &[Document],
    options: &PipelineOptions,
    json: bool,
    signals: &Signals,
) -> PyResult<(String, Vec<usize>, Vec<usize>)> {
    let run = signals.result(run_stories(docs, options, signals), option_error)?;
    let n = docs.len();
    let json = match json {
        true => {
            serde_json::to_string(&run.stories).map_err(|e| PyValueError::new_err(e.to_string()))?
        }
        false => String::new(),
    };
    Ok((
        json,
        run.stories.assignments(n),
        run.stories.topic_assignments(n),
    ))
}

/// Stories and topics of the records as the JSON the library serialises, with each record's
/// story and topic id.
#[pyfunction]
#[pyo3(signature = (records, threshold, duplicate_threshold, topic_threshold, window_days, refine, label_terms, key_sentences))]
#[allow(clippy::too_many_arguments)]
fn cluster(
    py: Python<'_>,
    records: Records,
    threshold: f64,
    duplicate_threshold: f64,
    topic_threshold: f64,
    window_days: u32,
    refine: usize,
    label_terms: usize,
    key_sentences: usize,
) -> PyResult<(String, Vec<usize>, Vec<usize>)> {
    let read = documents(records)?;
    read.warn(py)?;
    let options = cluster_options((
        threshold,
        duplicate_threshold,
        topic_threshold,
        window_days,
        refine,
        label_terms,
        key_sentences,
    ))?;
    let signals = Signals::new();
    py.allow_threads(|| run_cluster(&read.documents, &options, true, &signals))
}

/// The library's shingle sets (sorted hashes) of texts, each analysed as `storyclust dedup`
/// analyses an article (boilerplate, a corpus property, is not removed here).
#[pyfunction]
#[pyo3(signature = (texts, ngram=3))]
fn shingle_sets(py: Python<'_>, texts: Vec<String>, ngram: usize) -> PyResult<Vec<Vec<u64>>> {
    py.allow_threads(|| {
        let docs: Vec<Document> = texts
            .into_iter()
            .enumerate()
            .map(|(i, t)| Document::new(i.to_string(), t))
            .collect();
        per_text_shingles(&docs, ngram)
    })
}

/// Each text's shingle set with corpus-level boilerplate detection off, so a text's shingles
/// do not depend on the other texts of its batch (the kernels' partitions must not matter).
pub(crate) fn per_text_shingles(docs: &[Document], ngram: usize) -> PyResult<Vec<Vec<u64>>> {
    let mut options = dedup_analysis();
    options.boilerplate.source_min_docs = usize::MAX;
    options.boilerplate.corpus_min_docs = usize::MAX;
    let analyzed = analyze(docs, &options).map_err(option_error)?;
    Ok(analyzed
        .documents
        .iter()
        .map(|a| shingle_set(&a.tokens, ngram))
        .collect())
}

/// 64-bit hashes from a list of ints (read in place, the quick path), a buffer of uint64
/// (numpy, `array('Q')`) or any other iterable of ints, appended to `out`.
fn hashes_into(obj: &Bound<'_, PyAny>, out: &mut Vec<u64>) -> PyResult<()> {
    if let Ok(list) = obj.downcast::<PyList>() {
        return list_hashes_into(list, out);
    }
    if let Ok(buffer) = PyBuffer::<u64>::get(obj) {
        out.extend(buffer.to_vec(obj.py())?);
        return Ok(());
    }
    for item in obj.try_iter()? {
        out.push(item?.extract::<u64>()?);
    }
    Ok(())
}

/// Signs sets of hashes read from Python: a worker thread signs each chunk while this
/// thread (holding the GIL) reads the next, so reading ints and hashing overlap.
/// With `bins`, the fast scheme's rows are left undensified (for `MinHash`).
fn sign_python_sets(
    py: Python<'_>,
    sets: &Bound<'_, PyAny>,
    params: MinHashParams,
    bins: bool,
) -> PyResult<Vec<u32>> {
    const CHUNK: usize = 256;
    let signer = Signer::new(params).map_err(option_error)?;
    let k = signer.params().num_perm;
    let (to_worker, from_reader) = std::sync::mpsc::sync_channel::<(Vec<u64>, Vec<usize>)>(4);
    std::thread::scope(|scope| {
        let worker = scope.spawn(|| {
            let mut out = Vec::new();
            for (flat, ends) in from_reader {
                let start = out.len();
                out.resize(start + ends.len() * k, EMPTY);
                let starts = std::iter::once(0).chain(ends.iter().copied());
                let views: Vec<&[u64]> = starts.zip(&ends).map(|(a, &b)| &flat[a..b]).collect();
                out[start..]
                    .par_chunks_mut(k)
                    .zip(views.par_iter())
                    .for_each(|(row, set)| match bins {
                        true => signer.fast_bins_into(set, row),
                        false => signer.sign_into(set, row),
                    });
            }
            out
        });
        let read = || -> PyResult<()> {
            let (mut flat, mut ends) = (Vec::new(), Vec::new());
            for set in sets.try_iter()? {
                hashes_into(&set?, &mut flat)?;
                ends.push(flat.len());
                if ends.len() == CHUNK {
                    let chunk = (std::mem::take(&mut flat), std::mem::take(&mut ends));
                    // The worker only stops early by panicking, which `join` reports.
                    let _ = to_worker.send(chunk);
                }
            }
            let _ = to_worker.send((flat, ends));
            Ok(())
        };
        let result = read();
        drop(to_worker);
        let out = py
            .allow_threads(|| worker.join())
            .map_err(|_| PyValueError::new_err("the signing thread failed"))?;
        result.map(|()| out)
    })
}

/// Signatures of many sets of 64-bit hashes at once: one list of `num_perm` ints per set.
#[pyfunction]
#[pyo3(signature = (sets, num_perm=128, seed=1, scheme="fast"))]
fn signatures<'py>(
    py: Python<'py>,
    sets: &Bound<'py, PyAny>,
    #[pyo3(from_py_with = crate::num_perm)] num_perm: usize,
    #[pyo3(from_py_with = crate::seed)] seed: u64,
    scheme: &str,
) -> PyResult<Bound<'py, PyList>> {
    let mut params = MinHashParams::default();
    params.scheme = self::scheme(scheme)?;
    params.num_perm = num_perm;
    params.seed = seed;
    let flat = sign_python_sets(py, sets, params, false)?;
    PyList::new(py, flat.chunks_exact(params.num_perm))
}

/// The hash functions of (`num_perm`, `seed`, `scheme`), made once per process: a
/// per-record loop makes a `MinHash` per record.
fn shared_signer(num_perm: usize, seed: u64, scheme: Scheme) -> PyResult<Arc<Signer>> {
    static SIGNERS: Mutex<Vec<Arc<Signer>>> = Mutex::new(Vec::new());
    let mut signers = SIGNERS.lock().unwrap_or_else(|e| e.into_inner());
    let mut params = MinHashParams::default();
    params.scheme = scheme;
    params.num_perm = num_perm;
    params.seed = seed;
    if let Some(s) = signers.iter().find(|s| s.params() == params) {
        return Ok(Arc::clone(s));
    }
    // A few parameter sets are in use at once; the oldest goes first.
    if signers.len() == 8 {
        signers.remove(0);
    }
    let signer = Arc::new(Signer::new(params).map_err(option_error)?);
    signers.push(Arc::clone(&signer));
    Ok(signer)
}

/// A MinHash signature built incrementally. Classic: the signature of a union is the
/// slot-wise minimum of the parts' signatures. Fast (one hash per item): the same holds for
/// the bins, and the signature is the densified bins.
#[pyclass(module = "storyclust._storyclust")]
#[derive(Clone)]
pub(crate) struct MinHash {
    #[pyo3(get)]
    num_perm: usize,
    #[pyo3(get)]
    seed: u64,
    /// The signature.
    slots: Vec<u32>,
    /// Fast scheme: the bins before densification (empty for classic).
    bins: Vec<u32>,
    pub(crate) signer: Arc<Signer>,
}

impl MinHash {
    /// An empty MinHash of checked parameters.
    fn with(num_perm: usize, seed: u64, scheme: &str) -> PyResult<MinHash> {
        let scheme = self::scheme(scheme)?;
        Ok(MinHash {
            num_perm,
            seed,
            slots: vec![EMPTY; num_perm],
            bins: match scheme == Scheme::Fast {
                true => vec![EMPTY; num_perm],
                false => Vec::new(),
            },
            signer: shared_signer(num_perm, seed, scheme)?,
        })
    }

    /// Sets at least this large are signed with the GIL released: below it, releasing and
    /// taking back the GIL costs more than it lets other threads do.
    const GIL_FREE_MIN: usize = 1 << 14;

    fn is_fast(&self) -> bool {
        self.signer.params().scheme == Scheme::Fast
    }

    /// What updates fold into: the bins (fast) or the signature (classic).
    fn state(&self) -> &[u32] {
        if self.is_fast() {
            &self.bins
        } else {
            &self.slots
        }
    }

    /// Folds `set` into the signature (classic) or the bins (fast), chunk by chunk.
    fn sign_part(signer: &Signer, set: &[u64], state: &mut [u32]) {
        if signer.params().scheme == Scheme::Fast {
            signer.fast_bins_into(set, state)
        } else {
            signer.sign_into(set, state)
        }
    }

    /// Splits the borrows: the signer and the state updates fold into.
    fn parts(&mut self) -> (&Signer, &mut Vec<u32>) {
        if self.signer.params().scheme == Scheme::Fast {
            (&self.signer, &mut self.bins)
        } else {
            (&self.signer, &mut self.slots)
        }
    }

    /// After the state changed: the fast scheme's signature is its bins densified.
    fn finish(&mut self) {
        if self.is_fast() {
            self.signer.densify(&self.bins, &mut self.slots);
        }
    }

    fn absorb(&mut self, py: Python<'_>, hashes: &[u64]) {
        let (signer, state) = self.parts();
        if hashes.len() < Self::GIL_FREE_MIN {
            Self::sign_part(signer, hashes, state);
        } else {
            py.allow_threads(|| Self::sign_part(signer, hashes, state));
        }
        self.finish();
    }

    /// Adds the ints of a list. A small list is signed chunk by chunk from a stack buffer as
    /// it is read (the slot-wise minimum of the chunks' signatures is the set's), with no
    /// copy of the list; a large one is read whole and signed without the GIL.
    fn absorb_list(&mut self, py: Python<'_>, list: &Bound<'_, PyList>) -> PyResult<()> {
        // Small chunks: while one is hashed, `list_chunks` prefetches the ints of the one
        // after next, and a chunk's prefetches (some 20 cache lines) must fit the CPU's
        // outstanding misses, or issuing them stalls the hashing they should overlap.
        const CHUNK: usize = 32;
        if list.len() >= Self::GIL_FREE_MIN {
            let mut all = Vec::new();
            list_hashes_into(list, &mut all)?;
            self.absorb(py, &all);
            return Ok(());
        }
        // A bad item after the first chunk must leave the MinHash as it was.
        let before = (list.len() > CHUNK).then(|| self.state().to_vec());
        let (signer, state) = self.parts();
        let read = list_chunks::<CHUNK>(list, true, |chunk| Self::sign_part(signer, chunk, state));
        if let (Err(_), Some(before)) = (&read, before) {
            *state = before;
        }
        self.finish();
        read
    }

    fn same_params(&self, other: &MinHash) -> PyResult<()> {
        if self.signer.params() != other.signer.params() {
            return Err(PyValueError::new_err(
                "MinHashes differ in num_perm, seed or scheme and cannot be compared",
            ));
        }
        Ok(())
    }

    pub(crate) fn scheme_name(&self) -> &'static str {
        if self.is_fast() {
            "fast"
        } else {
            "classic"
        }
    }
}

fn token_hashes(tokens: &Bound<'_, PyAny>) -> PyResult<Vec<u64>> {
    let one = |t: &Bound<'_, PyAny>| -> PyResult<u64> {
        if let Ok(s) = t.extract::<&str>() {
            Ok(token_hash(s))
        } else if let Ok(b) = t.extract::<&[u8]>() {
            Ok(xxhash_rust::xxh3::xxh3_64(b))
        } else {
            Err(PyValueError::new_err(
                "tokens must be str or bytes (use update_hashes for integers)",
            ))
        }
    };
    if tokens.is_instance_of::<pyo3::types::PyString>()
        || tokens.is_instance_of::<pyo3::types::PyBytes>()
    {
        return Ok(vec![one(tokens)?]);
    }
    if let Ok(list) = tokens.downcast::<PyList>() {
        let mut out = Vec::with_capacity(list.len());
        // As in `list_hashes_into`: by index, the length read again each turn.
        let mut i = 0;
        while i < list.len() {
            // SAFETY: `i` is below the length and the GIL is held; the borrowed item is
            // read before any Python code can run.
            let item = unsafe { ffi::PyList_GET_ITEM(list.as_ptr(), i as ffi::Py_ssize_t) };
            match exact_str_hash(item) {
                Some(h) => out.push(h),
                None => out.push(one(&list.get_item(i)?)?),
            }
            i += 1;
        }
        return Ok(out);
    }
    tokens.try_iter()?.map(|t| one(&t?)).collect()
}

/// `token_hash` of an exact str, read through its cached UTF-8 form; `None` for anything
/// else (the checked path handles bytes and reports errors).
fn exact_str_hash(item: *mut ffi::PyObject) -> Option<u64> {
    // SAFETY: `item` is a live object and the GIL is held; for an exact str these calls run
    // no Python code, and the UTF-8 buffer lives as long as the string.
    unsafe {
        if ffi::PyUnicode_CheckExact(item) == 0 {
            return None;
        }
        let mut len: ffi::Py_ssize_t = 0;
        let data = ffi::PyUnicode_AsUTF8AndSize(item, &mut len);
        if data.is_null() {
            ffi::PyErr_Clear();
            return None;
        }
        Some(xxhash_rust::xxh3::xxh3_64(std::slice::from_raw_parts(
            data as *const u8,
            len as usize,
        )))
    }
}

#[pymethods]
impl MinHash {
    #[new]
    #[pyo3(signature = (num_perm=128, seed=1, scheme="fast"))]
    fn new(
        #[pyo3(from_py_with = crate::num_perm)] num_perm: usize,
        #[pyo3(from_py_with = crate::seed)] seed: u64,
        scheme: &str,
    ) -> PyResult<MinHash> {
        MinHash::with(num_perm, seed, scheme)
    }

    /// "classic" or "fast".
    #[getter]
    fn scheme(&self) -> &'static str {
        self.scheme_name()
    }

    /// MinHashes of many sets of 64-bit hashes in one call (datasketch's `MinHash.bulk`):
    /// the same values as a `MinHash` per set, signed in parallel.
    #[staticmethod]
    #[pyo3(signature = (sets, num_perm=128, seed=1, scheme="fast"))]
    fn bulk(
        py: Python<'_>,
        sets: &Bound<'_, PyAny>,
        #[pyo3(from_py_with = crate::num_perm)] num_perm: usize,
        #[pyo3(from_py_with = crate::seed)] seed: u64,
        scheme: &str,
    ) -> PyResult<Vec<MinHash>> {
        let empty = MinHash::with(num_perm, seed, scheme)?;
        let fast = empty.is_fast();
        let flat = sign_python_sets(py, sets, empty.signer.params(), fast)?;
        Ok(flat
            .chunks_exact(num_perm)
            .map(|row| {
                let mut m = empty.clone();
                match fast {
                    true => m.bins.copy_from_slice(row),
                    false => m.slots.copy_from_slice(row),
                }
                m.finish();
                m
            })
            .collect())
    }

    /// Adds one token (str or bytes) or an iterable of tokens.
    fn update(&mut self, py: Python<'_>, tokens: &Bound<'_, PyAny>) -> PyResult<()> {
        let hashes = token_hashes(tokens)?;
        self.absorb(py, &hashes);
        Ok(())
    }

    /// Adds already hashed items (64-bit integers, such as `storyclust.shingles(text)`).
    fn update_hashes(&mut self, py: Python<'_>, hashes: &Bound<'_, PyAny>) -> PyResult<()> {
        if let Ok(list) = hashes.downcast::<PyList>() {
            return self.absorb_list(py, list);
        }
        let mut all = Vec::new();
        hashes_into(hashes, &mut all)?;
        self.absorb(py, &all);
        Ok(())
    }

    /// The estimated Jaccard similarity: the fraction of equal slots (0 when either is empty).
    fn jaccard(&self, other: &MinHash) -> PyResult<f64> {
        self.same_params(other)?;
        if self.is_empty() || other.is_empty() {
            return Ok(0.0);
        }
        let equal = self
            .slots
            .iter()
            .zip(&other.slots)
            .filter(|(a, b)| a == b)
            .count();
        Ok(equal as f64 / self.num_perm as f64)
    }

    /// Merges another MinHash into this one (the signature of the union).
    fn merge(&mut self, other: &MinHash) -> PyResult<()> {
        self.same_params(other)?;
        let theirs = other.state().to_vec();
        let (_, state) = self.parts();
        for (slot, v) in state.iter_mut().zip(theirs) {
            *slot = (*slot).min(v);
        }
        self.finish();
        Ok(())
    }

    /// The signature (32-bit values; 4294967295 in every slot while empty).
    fn digest(&self) -> Vec<u32> {
        self.slots.clone()
    }

    #[getter]
    fn hashvalues(&self) -> Vec<u32> {
        self.slots.clone()
    }

    /// Whether nothing was added.
    fn is_empty(&self) -> bool {
        self.slots.iter().all(|&v| v == EMPTY)
    }

    fn copy(&self) -> MinHash {
        self.clone()
    }

    fn __len__(&self) -> usize {
        self.num_perm
    }

    // Pickling (Ray, Spark and multiprocessing ship MinHashes between processes).
    fn __getnewargs__(&self) -> (usize, u64, &'static str) {
        (self.num_perm, self.seed, self.scheme_name())
    }

    /// The signature (classic) or the bins (fast): what later updates fold into.
    fn __getstate__(&self) -> Vec<u32> {
        self.state().to_vec()
    }

    fn __setstate__(&mut self, state: Vec<u32>) -> PyResult<()> {
        if state.len() != self.num_perm {
            return Err(PyValueError::new_err("state does not match num_perm"));
        }
        *self.parts().1 = state;
        self.finish();
        Ok(())
    }

    fn __eq__(&self, other: &MinHash) -> bool {
        self.signer.params() == other.signer.params() && self.state() == other.state()
    }

    fn __repr__(&self) -> String {
        match self.is_fast() {
            true => format!(
                "MinHash(num_perm={}, seed={}, scheme='fast')",
                self.num_perm, self.seed
            ),
            false => format!("MinHash(num_perm={}, seed={})", self.num_perm, self.seed),
        }
    }
}

#[pymodule]
fn _storyclust(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(dedup, m)?)?;
    m.add_function(wrap_pyfunction!(cluster, m)?)?;
    m.add_function(wrap_pyfunction!(shingle_sets, m)?)?;
    m.add_function(wrap_pyfunction!(_library_defaults, m)?)?;
    m.add_function(wrap_pyfunction!(signatures, m)?)?;
    m.add_function(wrap_pyfunction!(arrow::arrow_shingles, m)?)?;
    m.add_function(wrap_pyfunction!(arrow::arrow_signatures, m)?)?;
    m.add_function(wrap_pyfunction!(arrow::arrow_band_keys, m)?)?;
    m.add_function(wrap_pyfunction!(arrow::arrow_verify, m)?)?;
    m.add_function(wrap_pyfunction!(arrow::arrow_cluster, m)?)?;
    m.add_class::<MinHash>()?;
    m.add_class::<lsh::Lsh>()?;
    m.add_function(wrap_pyfunction!(lsh::_band_key, m)?)?;
    m.add_function(wrap_pyfunction!(pyints::_int_reader, m)?)?;
    m.add_function(wrap_pyfunction!(pyints::_use_int_reader, m)?)?;
    pyints::init(m.py())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
