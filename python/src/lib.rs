//! The native half of the `storyclust` Python package: thin functions over the Rust library.
//! Records arrive as parallel columns (the Python half normalises dicts, pandas and pyarrow),
//! results leave as plain tuples and JSON, and every heavy step runs with the GIL released.

// Options are set field by field on the library's defaults: fields added later keep their
// defaults, and the code still builds once the options become `#[non_exhaustive]`.
#![allow(clippy::field_reassign_with_default)]

mod arrow;

use ahash::AHashMap;
use pyo3::buffer::PyBuffer;
use pyo3::exceptions::PyValueError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyList;
use rayon::prelude::*;
use std::sync::{Arc, Mutex};
use storyclust::corpus::{Document, Timestamp};
use storyclust::minhash::{
    band_key, find_duplicates_taking_tokens, DedupOptions, LshParams, Method, MinHashParams,
    Scheme, Signer, Verify, EMPTY,
};
use storyclust::pipeline::{run_stories, PipelineOptions};
use storyclust::progress::NoObserver;
use storyclust::text::{analyze, shingle_set, token_hash, AnalysisOptions};

type Column = Vec<Option<String>>;
/// Records as columns: ids, texts, titles, dates, sources.
type Records = (Vec<String>, Vec<String>, Column, Column, Column);

pub(crate) fn documents((ids, texts, titles, dates, sources): Records) -> PyResult<Vec<Document>> {
    let n = ids.len();
    if [texts.len(), titles.len(), dates.len(), sources.len()] != [n; 4] {
        return Err(PyValueError::new_err("columns differ in length"));
    }
    let mut seen = std::collections::HashSet::with_capacity(n);
    let mut out = Vec::with_capacity(n);
    for ((((id, text), title), date), source) in ids
        .into_iter()
        .zip(texts)
        .zip(titles)
        .zip(dates)
        .zip(sources)
    {
        // Results are keyed by id, so a repeated id would make them ambiguous.
        if !seen.insert(id.clone()) {
            return Err(PyValueError::new_err(format!("duplicate id {id:?}")));
        }
        let date = match date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            None => None,
            Some(d) => Some(Timestamp::parse(d).ok_or_else(|| {
                PyValueError::new_err(format!("record {id:?}: unreadable date {d:?}"))
            })?),
        };
        let mut doc = Document::new(id, text);
        doc.title = title.filter(|t| !t.is_empty());
        doc.source = source.filter(|s| !s.is_empty());
        doc.date = date;
        out.push(doc);
    }
    Ok(out)
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

fn unit(name: &str, v: f64) -> PyResult<f64> {
    if v > 0.0 && v <= 1.0 {
        Ok(v)
    } else {
        Err(PyValueError::new_err(format!(
            "{name} must be in (0, 1], not {v}"
        )))
    }
}

fn lsh_params(
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

#[allow(clippy::too_many_arguments)]
fn dedup_options(
    threshold: f64,
    ngram: usize,
    num_perm: usize,
    seed: u64,
    scheme_name: &str,
    bands: Option<usize>,
    rows: Option<usize>,
    verify: &str,
    exact: bool,
    bucket_cap: usize,
) -> PyResult<DedupOptions> {
    let threshold = unit("threshold", threshold)?;
    if ngram == 0 || num_perm == 0 {
        return Err(PyValueError::new_err(
            "ngram and num_perm must be at least 1",
        ));
    }
    let mut options = DedupOptions::default();
    options.threshold = threshold;
    options.ngram = ngram;
    let mut minhash = MinHashParams::default();
    minhash.scheme = scheme(scheme_name)?;
    minhash.num_perm = num_perm;
    minhash.seed = seed;
    let lsh = lsh_params(num_perm, bands, rows)?;
    let verify = match verify {
        "exact" => Verify::Exact,
        "estimate" => Verify::Estimate,
        _ => {
            return Err(PyValueError::new_err(format!(
                "verify must be \"exact\" or \"estimate\", not {verify:?}"
            )))
        }
    };
    options.method = if exact {
        Method::ExactJoin
    } else {
        Method::MinHashLsh {
            minhash,
            lsh,
            verify,
            // As the CLI: a cap below 2 would link nothing.
            bucket_cap: bucket_cap.max(2),
        }
    };
    Ok(options)
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
    let options = dedup_options(
        threshold, ngram, num_perm, seed, scheme, bands, rows, verify, exact, bucket_cap,
    )?;
    let docs = documents(records)?;
    Ok(py.allow_threads(|| {
        let mut analyzed = analyze(&docs, &dedup_analysis());
        let found = find_duplicates_taking_tokens(&docs, &mut analyzed, &options, &NoObserver);
        let pairs = found.pairs.iter().map(|p| (p.a, p.b, p.jaccard)).collect();
        let groups = found
            .groups
            .groups
            .iter()
            .map(|g| (g.canonical, g.members.clone()))
            .collect();
        (pairs, groups)
    }))
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
/// document's story and topic id. Call without the GIL.
pub(crate) fn run_cluster(
    docs: &[Document],
    options: &PipelineOptions,
    json: bool,
) -> PyResult<(String, Vec<usize>, Vec<usize>)> {
    let run = run_stories(docs, options, &NoObserver)
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
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
    let docs = documents(records)?;
    let options = cluster_options((
        threshold,
        duplicate_threshold,
        topic_threshold,
        window_days,
        refine,
        label_terms,
        key_sentences,
    ))?;
    py.allow_threads(|| run_cluster(&docs, &options, true))
}

/// The library's shingle sets (sorted hashes) of texts, each analysed as `storyclust dedup`
/// analyses an article (boilerplate, a corpus property, is not removed here).
#[pyfunction]
#[pyo3(signature = (texts, ngram=3))]
fn shingle_sets(py: Python<'_>, texts: Vec<String>, ngram: usize) -> Vec<Vec<u64>> {
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
pub(crate) fn per_text_shingles(docs: &[Document], ngram: usize) -> Vec<Vec<u64>> {
    let mut options = dedup_analysis();
    options.boilerplate.source_min_docs = usize::MAX;
    options.boilerplate.corpus_min_docs = usize::MAX;
    let analyzed = analyze(docs, &options);
    analyzed
        .documents
        .iter()
        .map(|a| shingle_set(&a.tokens, ngram))
        .collect()
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

/// The ints of a list, read by index without a reference count or type dispatch per item
/// (most of a per-record loop's time was spent turning Python ints into u64).
fn list_hashes_into(list: &Bound<'_, PyList>, out: &mut Vec<u64>) -> PyResult<()> {
    out.reserve(list.len());
    // The length is read again each turn: an int subclass's `__index__` (the slow path)
    // may run Python code that changes the list.
    let mut i = 0;
    while i < list.len() {
        // SAFETY: `i` is below the length and the GIL is held; the borrowed item is read
        // before any Python code can run.
        let item = unsafe { ffi::PyList_GET_ITEM(list.as_ptr(), i as ffi::Py_ssize_t) };
        match exact_int(item) {
            Some(v) => out.push(v),
            None => out.push(list.get_item(i)?.extract::<u64>()?),
        }
        i += 1;
    }
    Ok(())
}

/// An exact int in 0..2⁶⁴ read without `PyLong_AsUnsignedLongLong`'s byte-array detour;
/// `None` for anything else (the caller's checked path says what is wrong).
fn exact_int(item: *mut ffi::PyObject) -> Option<u64> {
    // SAFETY: `item` is a live object and the GIL is held; for an exact int these calls
    // run no Python code.
    unsafe {
        if ffi::PyLong_CheckExact(item) == 0 {
            return None;
        }
        let mut overflow = 0;
        let v = ffi::PyLong_AsLongLongAndOverflow(item, &mut overflow);
        match overflow {
            0 if v >= 0 => Some(v as u64),
            // At or above 2⁶³: fits when it has at most 64 bits.
            1 if ffi::_PyLong_NumBits(item) <= 64 => Some(ffi::PyLong_AsUnsignedLongLongMask(item)),
            _ => {
                ffi::PyErr_Clear();
                None
            }
        }
    }
}

/// Signs sets of hashes read from Python: a worker thread signs each chunk while this
/// thread (holding the GIL) reads the next, so reading ints and hashing overlap.
fn sign_python_sets(
    py: Python<'_>,
    sets: &Bound<'_, PyAny>,
    params: MinHashParams,
) -> PyResult<Vec<u32>> {
    const CHUNK: usize = 256;
    let signer = Signer::new(params);
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
                    .for_each(|(row, set)| signer.sign_into(set, row));
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
    num_perm: usize,
    seed: u64,
    scheme: &str,
) -> PyResult<Bound<'py, PyList>> {
    let mut params = MinHashParams::default();
    params.scheme = self::scheme(scheme)?;
    params.num_perm = num_perm.max(1);
    params.seed = seed;
    let flat = sign_python_sets(py, sets, params)?;
    PyList::new(py, flat.chunks_exact(params.num_perm))
}

/// The classic hash functions of (`num_perm`, `seed`), made once per process: a per-record
/// loop makes a `MinHash` per record.
fn classic_signer(num_perm: usize, seed: u64) -> Arc<Signer> {
    static SIGNERS: Mutex<Vec<Arc<Signer>>> = Mutex::new(Vec::new());
    let mut signers = SIGNERS.lock().unwrap_or_else(|e| e.into_inner());
    let mut params = MinHashParams::default();
    params.scheme = Scheme::Classic;
    params.num_perm = num_perm;
    params.seed = seed;
    if let Some(s) = signers.iter().find(|s| s.params() == params) {
        return Arc::clone(s);
    }
    // A few parameter sets are in use at once; the oldest goes first.
    if signers.len() == 8 {
        signers.remove(0);
    }
    let signer = Arc::new(Signer::new(params));
    signers.push(Arc::clone(&signer));
    signer
}

/// A MinHash signature built incrementally: the classic scheme, whose signature of a union
/// is the slot-wise minimum of the parts' signatures.
#[pyclass(module = "storyclust._storyclust")]
#[derive(Clone)]
struct MinHash {
    #[pyo3(get)]
    num_perm: usize,
    #[pyo3(get)]
    seed: u64,
    slots: Vec<u32>,
    signer: Arc<Signer>,
}

impl MinHash {
    fn absorb(&mut self, py: Python<'_>, hashes: &[u64]) {
        if hashes.is_empty() {
            return;
        }
        let (signer, slots) = (&self.signer, &mut self.slots);
        // Small sets cost less than releasing and taking back the GIL.
        if hashes.len() < 64 {
            signer.sign_into(hashes, slots);
        } else {
            py.allow_threads(|| signer.sign_into(hashes, slots));
        }
    }

    fn same_params(&self, other: &MinHash) -> PyResult<()> {
        if (self.num_perm, self.seed) != (other.num_perm, other.seed) {
            return Err(PyValueError::new_err(
                "MinHashes differ in num_perm or seed and cannot be compared",
            ));
        }
        Ok(())
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
    #[pyo3(signature = (num_perm=128, seed=1))]
    fn new(num_perm: usize, seed: u64) -> PyResult<MinHash> {
        if num_perm == 0 {
            return Err(PyValueError::new_err("num_perm must be at least 1"));
        }
        Ok(MinHash {
            num_perm,
            seed,
            slots: vec![EMPTY; num_perm],
            signer: classic_signer(num_perm, seed),
        })
    }

    /// MinHashes of many sets of 64-bit hashes in one call (datasketch's `MinHash.bulk`):
    /// the same values as a `MinHash` per set, signed in parallel.
    #[staticmethod]
    #[pyo3(signature = (sets, num_perm=128, seed=1))]
    fn bulk(
        py: Python<'_>,
        sets: &Bound<'_, PyAny>,
        num_perm: usize,
        seed: u64,
    ) -> PyResult<Vec<MinHash>> {
        let empty = MinHash::new(num_perm, seed)?;
        let flat = sign_python_sets(py, sets, empty.signer.params())?;
        Ok(flat
            .chunks_exact(num_perm)
            .map(|row| MinHash {
                slots: row.to_vec(),
                ..empty.clone()
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
        for (slot, &v) in self.slots.iter_mut().zip(&other.slots) {
            *slot = (*slot).min(v);
        }
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
    fn __getnewargs__(&self) -> (usize, u64) {
        (self.num_perm, self.seed)
    }

    fn __getstate__(&self) -> Vec<u32> {
        self.slots.clone()
    }

    fn __setstate__(&mut self, state: Vec<u32>) -> PyResult<()> {
        if state.len() != self.num_perm {
            return Err(PyValueError::new_err("state does not match num_perm"));
        }
        self.slots = state;
        Ok(())
    }

    fn __eq__(&self, other: &MinHash) -> bool {
        (self.num_perm, self.seed) == (other.num_perm, other.seed) && self.slots == other.slots
    }

    fn __repr__(&self) -> String {
        format!("MinHash(num_perm={}, seed={})", self.num_perm, self.seed)
    }
}

/// The banding index under `storyclust.LSH`: integer handles only; the Python class maps
/// keys to handles.
#[pyclass(module = "storyclust._storyclust")]
struct LshIndex {
    #[pyo3(get)]
    bands: usize,
    #[pyo3(get)]
    rows: usize,
    #[pyo3(get)]
    num_perm: usize,
    /// One table per band: band key → handles, in insertion order.
    tables: Vec<AHashMap<u64, Bucket>>,
    /// Each handle's band keys, for removal.
    keys: AHashMap<u64, Box<[u64]>>,
}

/// The handles of one bucket. Most buckets hold one, kept inline: no allocation per band.
#[derive(Clone)]
enum Bucket {
    One(u64),
    Many(Vec<u64>),
}

impl Bucket {
    fn push(&mut self, handle: u64) {
        match self {
            Bucket::One(first) => *self = Bucket::Many(vec![*first, handle]),
            Bucket::Many(all) => all.push(handle),
        }
    }

    fn handles(&self) -> &[u64] {
        match self {
            Bucket::One(h) => std::slice::from_ref(h),
            Bucket::Many(all) => all,
        }
    }

    /// Removes `handle`; true when nothing is left.
    fn remove(&mut self, handle: u64) -> bool {
        match self {
            Bucket::One(h) => *h == handle,
            Bucket::Many(all) => {
                all.retain(|&h| h != handle);
                if let [only] = all[..] {
                    *self = Bucket::One(only);
                }
                false
            }
        }
    }
}

impl LshIndex {
    fn band_keys(&self, m: &MinHash) -> PyResult<Vec<u64>> {
        if m.num_perm != self.num_perm {
            return Err(PyValueError::new_err(format!(
                "the MinHash has num_perm {}, the index {}",
                m.num_perm, self.num_perm
            )));
        }
        Ok((0..self.bands)
            .map(|b| band_key(&m.slots[b * self.rows..(b + 1) * self.rows]))
            .collect())
    }
}

#[pymethods]
impl LshIndex {
    #[new]
    #[pyo3(signature = (threshold=0.8, num_perm=128, bands=None, rows=None))]
    fn new(
        threshold: f64,
        num_perm: usize,
        bands: Option<usize>,
        rows: Option<usize>,
    ) -> PyResult<LshIndex> {
        let threshold = unit("threshold", threshold)?;
        if num_perm == 0 {
            return Err(PyValueError::new_err("num_perm must be at least 1"));
        }
        // Chosen as the library chooses for `dedup`, so the same threshold bands alike.
        let p = lsh_params(num_perm, bands, rows)?
            .unwrap_or_else(|| LshParams::optimal(threshold, num_perm, LshParams::RECALL_WEIGHTS));
        Ok(LshIndex {
            bands: p.bands,
            rows: p.rows,
            num_perm,
            tables: vec![Default::default(); p.bands],
            keys: Default::default(),
        })
    }

    fn insert(&mut self, handle: u64, minhash: &MinHash) -> PyResult<()> {
        if self.keys.contains_key(&handle) {
            return Err(PyValueError::new_err("the key is in the index already"));
        }
        let keys = self.band_keys(minhash)?;
        for (table, &k) in self.tables.iter_mut().zip(&keys) {
            table
                .entry(k)
                .and_modify(|b| b.push(handle))
                .or_insert(Bucket::One(handle));
        }
        self.keys.insert(handle, keys.into_boxed_slice());
        Ok(())
    }

    /// Handles sharing at least one band with `minhash`, in insertion order of first sight.
    fn query(&self, minhash: &MinHash) -> PyResult<Vec<u64>> {
        if minhash.is_empty() {
            return Ok(Vec::new());
        }
        let keys = self.band_keys(minhash)?;
        let mut found: Vec<u64> = keys
            .iter()
            .zip(&self.tables)
            .filter_map(|(k, table)| table.get(k))
            .flat_map(Bucket::handles)
            .copied()
            .collect();
        // Handles grow with insertion, so sorting them is insertion order.
        found.sort_unstable();
        found.dedup();
        Ok(found)
    }

    fn remove(&mut self, handle: u64) -> PyResult<()> {
        let keys = self
            .keys
            .remove(&handle)
            .ok_or_else(|| PyValueError::new_err("the key is not in the index"))?;
        for (table, k) in self.tables.iter_mut().zip(keys.iter()) {
            if table.get_mut(k).is_some_and(|b| b.remove(handle)) {
                table.remove(k);
            }
        }
        Ok(())
    }

    fn __len__(&self) -> usize {
        self.keys.len()
    }
}

#[pymodule]
fn _storyclust(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(dedup, m)?)?;
    m.add_function(wrap_pyfunction!(cluster, m)?)?;
    m.add_function(wrap_pyfunction!(shingle_sets, m)?)?;
    m.add_function(wrap_pyfunction!(signatures, m)?)?;
    m.add_function(wrap_pyfunction!(arrow::arrow_shingles, m)?)?;
    m.add_function(wrap_pyfunction!(arrow::arrow_signatures, m)?)?;
    m.add_function(wrap_pyfunction!(arrow::arrow_band_keys, m)?)?;
    m.add_function(wrap_pyfunction!(arrow::arrow_verify, m)?)?;
    m.add_function(wrap_pyfunction!(arrow::arrow_cluster, m)?)?;
    m.add_class::<MinHash>()?;
    m.add_class::<LshIndex>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
