//! Arrow kernels: functions over the buffers of Arrow arrays (read in place through the
//! buffer protocol), returning one buffer each, with no Python object per row. The Python
//! half (`storyclust/__init__.py`) takes the buffers apart and puts the results together.

use crate::lsh::band_key_of;
use crate::signals::Signals;
use crate::{cluster_options, documents, per_text_shingles, run_cluster, scheme, ClusterArgs};
use pyo3::buffer::PyBuffer;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use rayon::prelude::*;
use std::borrow::Cow;
use storyclust::corpus::Document;
use storyclust::minhash::{jaccard, MinHashParams, Signer, EMPTY};

/// A contiguous buffer (Arrow's, through the buffer protocol) read in place.
fn buffer_bytes(buffer: &PyBuffer<u8>) -> PyResult<&[u8]> {
    if !buffer.is_c_contiguous() {
        return Err(PyValueError::new_err("buffer is not contiguous"));
    }
    // SAFETY: the buffer is held (and so kept alive and unmoved) for the slice's lifetime,
    // and Arrow buffers are immutable.
    Ok(unsafe { std::slice::from_raw_parts(buffer.buf_ptr() as *const u8, buffer.len_bytes()) })
}

/// The buffers of an Arrow string or list array as Python passes them: offsets, data (or
/// child values), offset width (4 or 8), the array's offset and length, and the child
/// values' own offset (0 for strings).
pub(crate) type Parts = (PyBuffer<u8>, PyBuffer<u8>, usize, usize, usize, usize);

/// A variable-length Arrow array (strings, or lists of u64) read in place.
struct Varlen<'a> {
    offsets: &'a [u8],
    data: &'a [u8],
    width: usize,
    offset: usize,
    len: usize,
    /// The child array's offset, in items (lists) or bytes (strings).
    child_offset: usize,
}

impl<'a> Varlen<'a> {
    fn new(parts: &'a Parts) -> PyResult<Varlen<'a>> {
        let (offsets, data, width, offset, len, child_offset) = parts;
        if *width != 4 && *width != 8 {
            return Err(PyValueError::new_err("offset width must be 4 or 8"));
        }
        Ok(Varlen {
            offsets: buffer_bytes(offsets)?,
            data: buffer_bytes(data)?,
            width: *width,
            offset: *offset,
            len: *len,
            child_offset: *child_offset,
        })
    }

    fn at(&self, i: usize) -> PyResult<usize> {
        let j = self.offset + i;
        let raw = self
            .offsets
            .get(j * self.width..(j + 1) * self.width)
            .ok_or_else(|| PyValueError::new_err("offsets buffer too short"))?;
        let v = match self.width {
            4 => i32::from_le_bytes(raw.try_into().expect("4 bytes")) as i64,
            _ => i64::from_le_bytes(raw.try_into().expect("8 bytes")),
        };
        usize::try_from(v).map_err(|_| PyValueError::new_err("negative offset"))
    }

    /// Row `i`'s item range in the child (`item` bytes per item).
    fn bytes(&self, i: usize, item: usize) -> PyResult<&'a [u8]> {
        let (start, end) = (self.at(i)?, self.at(i + 1)?);
        let range = (self.child_offset + start) * item..(self.child_offset + end) * item;
        self.data
            .get(range)
            .ok_or_else(|| PyValueError::new_err("data buffer too short"))
    }

    fn string(&self, i: usize) -> PyResult<&'a str> {
        std::str::from_utf8(self.bytes(i, 1)?)
            .map_err(|_| PyValueError::new_err(format!("row {i} is not UTF-8")))
    }

    fn strings(&self) -> PyResult<Vec<&'a str>> {
        (0..self.len).map(|i| self.string(i)).collect()
    }

    /// The given rows' u64 lists, read in place where the buffer allows.
    fn lists(&self, rows: &[usize]) -> PyResult<Vec<Cow<'a, [u64]>>> {
        rows.iter().map(|&i| Ok(u64s(self.bytes(i, 8)?))).collect()
    }

    /// The given rows' u64 lists as sorted sets: in place when already sorted without
    /// repeats (as `arrow_shingles` writes them), else a sorted, deduplicated copy.
    fn sets(&self, rows: &[usize]) -> PyResult<Vec<Cow<'a, [u64]>>> {
        let mut lists = self.lists(rows)?;
        for list in &mut lists {
            if !list.windows(2).all(|w| w[0] < w[1]) {
                let mut set = list.to_vec();
                set.sort_unstable();
                set.dedup();
                *list = Cow::Owned(set);
            }
        }
        Ok(lists)
    }
}

/// Little-endian u64s: the bytes themselves when aligned on a little-endian machine (Arrow
/// aligns its buffers), else a decoded copy.
fn u64s(bytes: &[u8]) -> Cow<'_, [u64]> {
    if cfg!(target_endian = "little") {
        // SAFETY: every bit pattern is a valid u64.
        let (head, body, tail) = unsafe { bytes.align_to::<u64>() };
        if head.is_empty() && tail.is_empty() {
            return Cow::Borrowed(body);
        }
    }
    Cow::Owned(
        bytes
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
            .collect(),
    )
}

/// Values as the little-endian bytes the kernels return: the values' own bytes on a
/// little-endian machine (no conversion pass), else converted.
fn le_bytes_of<T: Copy, const N: usize>(values: &[T], to: fn(T) -> [u8; N]) -> Cow<'_, [u8]> {
    if cfg!(target_endian = "little") && std::mem::size_of::<T>() == N {
        // SAFETY: `T` is a plain integer of `N` bytes, so its memory is `N` initialised bytes
        // per value; the slice borrows `values`.
        let bytes =
            unsafe { std::slice::from_raw_parts(values.as_ptr() as *const u8, values.len() * N) };
        return Cow::Borrowed(bytes);
    }
    Cow::Owned(le_bytes(values, to))
}

/// The given rows of a text column as documents, checked as UTF-8 and copied in parallel
/// (18 MB of SaudiNewsNet text for 5000 rows: the check is not free).
fn text_documents(column: &Varlen<'_>, rows: &[usize]) -> PyResult<Vec<Document>> {
    rows.par_iter()
        .map(|&i| Ok(Document::new(String::new(), column.string(i)?)))
        .collect()
}

/// Shingle sets of the given rows (all when `None`) of a text column, or the sets of a
/// `list<uint64>` column as given.
fn sets_of<'a>(
    parts: &'a Parts,
    is_text: bool,
    ngram: usize,
    rows: Option<&[usize]>,
) -> PyResult<Vec<Cow<'a, [u64]>>> {
    let column = Varlen::new(parts)?;
    let all: Vec<usize>;
    let rows = match rows {
        Some(rows) => rows,
        None => {
            all = (0..column.len).collect();
            &all
        }
    };
    if is_text {
        let sets = per_text_shingles(&text_documents(&column, rows)?, ngram)?;
        Ok(sets.into_iter().map(Cow::Owned).collect())
    } else {
        column.sets(rows)
    }
}

fn le_bytes<T: Copy, const N: usize>(values: &[T], to: fn(T) -> [u8; N]) -> Vec<u8> {
    values.iter().flat_map(|&v| to(v)).collect()
}

/// Shingle sets of a string column: (offsets as little-endian i64, values as little-endian
/// u64), the buffers of a `large_list<uint64>`.
#[pyfunction]
pub(crate) fn arrow_shingles<'py>(
    py: Python<'py>,
    texts: Parts,
    ngram: usize,
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyBytes>)> {
    let (offsets, values) = py.allow_threads(|| -> PyResult<_> {
        let sets = sets_of(&texts, true, ngram.max(1), None)?;
        let mut offsets = Vec::with_capacity(sets.len() + 1);
        offsets.push(0i64);
        for s in &sets {
            offsets.push(offsets[offsets.len() - 1] + s.len() as i64);
        }
        Ok((
            le_bytes(&offsets, i64::to_le_bytes),
            le_bytes(&sets.concat(), u64::to_le_bytes),
        ))
    })?;
    Ok((PyBytes::new(py, &offsets), PyBytes::new(py, &values)))
}

/// Signatures of a string column (its texts' shingles) or of a `list<uint64>` column of
/// shingle sets, row-major little-endian u32 (`length × num_perm`), as one bytes object.
#[pyfunction]
#[pyo3(signature = (column, is_text, ngram, num_perm, seed, scheme))]
pub(crate) fn arrow_signatures<'py>(
    py: Python<'py>,
    column: Parts,
    is_text: bool,
    ngram: usize,
    num_perm: usize,
    seed: u64,
    scheme: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    let mut params = MinHashParams::default();
    params.scheme = self::scheme(scheme)?;
    if num_perm == 0 || num_perm > crate::MAX_NUM_PERM {
        return Err(PyValueError::new_err(format!(
            "num_perm must be an integer from 1 to {}, not {num_perm}",
            crate::MAX_NUM_PERM
        )));
    }
    params.num_perm = num_perm;
    params.seed = seed;
    let out = py.allow_threads(|| -> PyResult<Vec<u32>> {
        // A signature is a minimum over the items: order and repeats do not change it, so
        // shingle sets are signed in place, unsorted.
        let sets = match is_text {
            true => sets_of(&column, true, ngram.max(1), None)?,
            false => {
                let column = Varlen::new(&column)?;
                column.lists(&(0..column.len).collect::<Vec<_>>())?
            }
        };
        sign_rows(&sets, params)
    })?;
    Ok(PyBytes::new(py, &le_bytes_of(&out, u32::to_le_bytes)))
}

/// Row-major signatures of `sets`, signed in parallel by blocks of rows (the output does not
/// depend on the thread count).
fn sign_rows<S: AsRef<[u64]> + Sync>(sets: &[S], params: MinHashParams) -> PyResult<Vec<u32>> {
    const ROWS: usize = 64;
    let signer = Signer::new(params).map_err(crate::option_error)?;
    let k = signer.params().num_perm;
    let mut out = vec![EMPTY; sets.len() * k];
    out.par_chunks_mut(k * ROWS)
        .zip(sets.par_chunks(ROWS))
        .for_each(|(rows, sets)| {
            for (row, set) in rows.chunks_exact_mut(k).zip(sets) {
                signer.sign_into(set.as_ref(), row);
            }
        });
    Ok(out)
}

/// Band keys of row-major little-endian u32 signatures (`num_perm` per row): `bands` u64
/// keys per row, little-endian, as one bytes object.
#[pyfunction]
pub(crate) fn arrow_band_keys<'py>(
    py: Python<'py>,
    signatures: PyBuffer<u8>,
    num_perm: usize,
    bands: usize,
    rows: usize,
) -> PyResult<Bound<'py, PyBytes>> {
    if num_perm == 0 || bands == 0 || rows == 0 || bands * rows > num_perm {
        return Err(PyValueError::new_err("need 1 <= bands × rows <= num_perm"));
    }
    let bytes = buffer_bytes(&signatures)?;
    if bytes.len() % (4 * num_perm) != 0 {
        return Err(PyValueError::new_err(
            "buffer is not a whole number of signatures",
        ));
    }
    let out = py.allow_threads(|| {
        let slots: Vec<u32> = bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes")))
            .collect();
        let keys: Vec<u64> = slots
            .par_chunks_exact(num_perm)
            .flat_map_iter(|row| {
                (0..bands).map(move |b| band_key_of(&row[b * rows..(b + 1) * rows]))
            })
            .collect();
        keys
    });
    Ok(PyBytes::new(py, &le_bytes_of(&out, u64::to_le_bytes)))
}

/// Little-endian u32 row indexes, each checked against the number of rows.
fn indexes(buffer: &PyBuffer<u8>, rows: usize, name: &str) -> PyResult<Vec<usize>> {
    buffer_bytes(buffer)?
        .chunks_exact(4)
        .map(|c| {
            let i = u32::from_le_bytes(c.try_into().expect("4 bytes")) as usize;
            if i < rows {
                Ok(i)
            } else {
                Err(PyValueError::new_err(format!(
                    "{name} index {i} is out of range for {rows} rows"
                )))
            }
        })
        .collect()
}

/// Exact verification of candidate pairs: the shingle Jaccard of rows `left[i]` and
/// `right[i]` of a text or `list<uint64>` column, as little-endian f64.
#[pyfunction]
pub(crate) fn arrow_verify<'py>(
    py: Python<'py>,
    column: Parts,
    is_text: bool,
    ngram: usize,
    left: PyBuffer<u8>,
    right: PyBuffer<u8>,
) -> PyResult<Bound<'py, PyBytes>> {
    let rows = column.4;
    let (left, right) = (
        indexes(&left, rows, "left")?,
        indexes(&right, rows, "right")?,
    );
    if left.len() != right.len() {
        return Err(PyValueError::new_err("left and right differ in length"));
    }
    let out = py.allow_threads(|| -> PyResult<Vec<u8>> {
        // Only the rows some pair names are read and analysed.
        let mut needed: Vec<usize> = left.iter().chain(&right).copied().collect();
        needed.sort_unstable();
        needed.dedup();
        let sets = sets_of(&column, is_text, ngram.max(1), Some(&needed))?;
        let set = |row: usize| &sets[needed.binary_search(&row).expect("a needed row")];
        let score = |(&a, &b): (&usize, &usize)| jaccard(&set(a)[..], &set(b)[..]);
        // Waking the thread pool costs more than a few thousand merges of sorted sets.
        let scores: Vec<f64> = if left.len() < 4096 {
            left.iter().zip(&right).map(score).collect()
        } else {
            left.par_iter().zip(&right).map(score).collect()
        };
        Ok(le_bytes_of(&scores, f64::to_le_bytes).into_owned())
    })?;
    Ok(PyBytes::new(py, &out))
}

/// Optional string columns of a partition: absent, or the parts of a string array whose
/// nulls the Python half made empty.
type OptionalParts = Option<Parts>;

fn optional_strings(parts: &OptionalParts, n: usize) -> PyResult<Vec<Option<String>>> {
    match parts {
        None => Ok(vec![None; n]),
        Some(p) => Ok(Varlen::new(p)?
            .strings()?
            .into_iter()
            .map(|s| (!s.is_empty()).then(|| s.to_owned()))
            .collect()),
    }
}

/// Story clustering of one partition: each row's story and topic id (little-endian u32),
/// as `storyclust.cluster` would give for the same records.
#[pyfunction]
#[pyo3(signature = (ids, texts, titles, dates, sources, urls, args))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn arrow_cluster<'py>(
    py: Python<'py>,
    ids: Parts,
    texts: Parts,
    titles: OptionalParts,
    dates: OptionalParts,
    sources: OptionalParts,
    urls: OptionalParts,
    args: ClusterArgs,
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyBytes>)> {
    let options = cluster_options(args)?;
    let signals = Signals::new();
    let (story, topic, read) = py.allow_threads(|| -> PyResult<_> {
        let owned = |v: Vec<&str>| v.into_iter().map(str::to_owned).collect::<Vec<_>>();
        let ids = owned(Varlen::new(&ids)?.strings()?);
        let n = ids.len();
        let texts = owned(Varlen::new(&texts)?.strings()?);
        let records = (
            ids,
            texts,
            optional_strings(&titles, n)?,
            optional_strings(&dates, n)?,
            optional_strings(&sources, n)?,
            optional_strings(&urls, n)?,
        );
        let mut read = documents(records)?;
        let (_, story, topic) = run_cluster(&read.documents, &options, false, &signals)?;
        read.documents = Vec::new();
        let u32s = |v: Vec<usize>| v.into_iter().map(|x| x as u32).collect::<Vec<u32>>();
        Ok((
            le_bytes(&u32s(story), u32::to_le_bytes),
            le_bytes(&u32s(topic), u32::to_le_bytes),
            read,
        ))
    })?;
    read.warn(py)?;
    Ok((PyBytes::new(py, &story), PyBytes::new(py, &topic)))
}
