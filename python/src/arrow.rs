//! Arrow kernels: functions over the buffers of Arrow arrays (read in place through the
//! buffer protocol), returning one buffer each, with no Python object per row. The Python
//! half (`storyclust/__init__.py`) takes the buffers apart and puts the results together.

use crate::{cluster_options, documents, per_text_shingles, run_cluster, scheme, ClusterArgs};
use pyo3::buffer::PyBuffer;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use rayon::prelude::*;
use storyclust::corpus::Document;
use storyclust::minhash::{band_key, jaccard, MinHashParams, Signatures};

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

    /// The given rows' u64 lists as sorted sets (sorted and deduplicated only when not).
    fn sets(&self, rows: &[usize]) -> PyResult<Vec<Vec<u64>>> {
        let rows: Vec<&[u8]> = rows
            .iter()
            .map(|&i| self.bytes(i, 8))
            .collect::<PyResult<_>>()?;
        // A copy and an order check per row: quicker in one thread than waking the pool.
        Ok(rows
            .iter()
            .map(|raw| {
                let mut set: Vec<u64> = raw
                    .chunks_exact(8)
                    .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
                    .collect();
                if !set.windows(2).all(|w| w[0] < w[1]) {
                    set.sort_unstable();
                    set.dedup();
                }
                set
            })
            .collect())
    }
}

fn text_documents(texts: &[&str]) -> Vec<Document> {
    texts
        .iter()
        .map(|t| Document::new(String::new(), *t))
        .collect()
}

/// Shingle sets of the given rows (all when `None`) of a text column, or the sets of a
/// `list<uint64>` column as given.
fn sets_of(
    parts: &Parts,
    is_text: bool,
    ngram: usize,
    rows: Option<&[usize]>,
) -> PyResult<Vec<Vec<u64>>> {
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
        let texts: Vec<&str> = rows
            .iter()
            .map(|&i| column.string(i))
            .collect::<PyResult<_>>()?;
        Ok(per_text_shingles(&text_documents(&texts), ngram))
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
    params.num_perm = num_perm.max(1);
    params.seed = seed;
    let out = py.allow_threads(|| -> PyResult<Vec<u8>> {
        let sets = sets_of(&column, is_text, ngram.max(1), None)?;
        let signatures = Signatures::compute(&sets, params);
        Ok(le_bytes(
            signatures.matrix().as_slice().expect("standard layout"),
            u32::to_le_bytes,
        ))
    })?;
    Ok(PyBytes::new(py, &out))
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
            .flat_map_iter(|row| (0..bands).map(move |b| band_key(&row[b * rows..(b + 1) * rows])))
            .collect();
        le_bytes(&keys, u64::to_le_bytes)
    });
    Ok(PyBytes::new(py, &out))
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
        let score = |(&a, &b): (&usize, &usize)| jaccard(set(a), set(b));
        // Waking the thread pool costs more than a few thousand merges of sorted sets.
        let scores: Vec<f64> = if left.len() < 4096 {
            left.iter().zip(&right).map(score).collect()
        } else {
            left.par_iter().zip(&right).map(score).collect()
        };
        Ok(le_bytes(&scores, f64::to_le_bytes))
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
#[pyo3(signature = (ids, texts, titles, dates, sources, args))]
pub(crate) fn arrow_cluster<'py>(
    py: Python<'py>,
    ids: Parts,
    texts: Parts,
    titles: OptionalParts,
    dates: OptionalParts,
    sources: OptionalParts,
    args: ClusterArgs,
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyBytes>)> {
    let options = cluster_options(args)?;
    let (story, topic) = py.allow_threads(|| -> PyResult<_> {
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
        );
        let (_, story, topic) = run_cluster(&documents(records)?, &options, false)?;
        let u32s = |v: Vec<usize>| v.into_iter().map(|x| x as u32).collect::<Vec<u32>>();
        Ok((
            le_bytes(&u32s(story), u32::to_le_bytes),
            le_bytes(&u32s(topic), u32::to_le_bytes),
        ))
    })?;
    Ok((PyBytes::new(py, &story), PyBytes::new(py, &topic)))
}
