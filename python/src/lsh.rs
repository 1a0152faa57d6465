//! `storyclust.LSH`: the banding index, with the user's keys kept here (a dict for key →
//! handle, a vector for handle → key) so an insert or a query is one call into Rust and a
//! query's list of keys is built once, with no Python-level mapping per call.

use crate::bandtable::BandTable;
use crate::{lsh_params, unit, MinHash};
use pyo3::exceptions::{PyKeyError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use pyo3::{PyTraverseError, PyVisit};
use storyclust::minhash::{band_key, LshParams, MinHashParams};
use xxhash_rust::xxh3::xxh3_64;

/// The library's band key (xxh3 of the band's slots as little-endian bytes), computed from
/// a stack buffer: `band_key` allocates a vector per band.
pub(crate) fn band_key_of(slots: &[u32]) -> u64 {
    const MAX: usize = 64;
    if slots.len() > MAX {
        return band_key(slots);
    }
    let mut bytes = [0u8; 4 * MAX];
    for (out, v) in bytes.chunks_exact_mut(4).zip(slots) {
        out.copy_from_slice(&v.to_le_bytes());
    }
    xxh3_64(&bytes[..4 * slots.len()])
}

/// The library's `band_key`, for tests to compare `band_key_of` with.
#[pyfunction]
pub(crate) fn _band_key(slots: Vec<u32>) -> u64 {
    band_key(&slots)
}

/// A bucket value with this bit set is the index of a list of handles in
/// [`Buckets::lists`]; without it, the bucket's one handle (most buckets hold one).
const MANY: u32 = 1 << 31;

/// The buckets of all bands: (band, band key) → handles, in insertion order.
struct Buckets {
    table: BandTable,
    lists: Vec<Vec<u32>>,
    /// Indexes of emptied lists, reused first.
    free: Vec<u32>,
}

impl Buckets {
    fn new() -> Buckets {
        Buckets {
            table: BandTable::default(),
            lists: Vec::new(),
            free: Vec::new(),
        }
    }

    /// Adds `handle` to the bucket of each band's key.
    fn insert(&mut self, keys: &[u64], handle: u32) {
        for (b, &k) in keys.iter().enumerate() {
            let Buckets { table, lists, free } = self;
            let value = table.get_or_insert(b as u32, k, handle);
            if value == handle {
                continue;
            }
            if value & MANY != 0 {
                lists[(value & !MANY) as usize].push(handle);
                continue;
            }
            let list = vec![value, handle];
            let index = match free.pop() {
                Some(i) => {
                    lists[i as usize] = list;
                    i
                }
                None => {
                    lists.push(list);
                    (lists.len() - 1) as u32
                }
            };
            table.set(b as u32, k, index | MANY);
        }
    }

    /// The handles in the buckets of each band's key, appended to `out`.
    fn get_into(&self, keys: &[u64], out: &mut Vec<u32>) {
        for (b, &k) in keys.iter().enumerate() {
            match self.table.get(b as u32, k) {
                None => {}
                Some(v) if v & MANY == 0 => out.push(v),
                Some(v) => out.extend_from_slice(&self.lists[(v & !MANY) as usize]),
            }
        }
    }

    fn remove(&mut self, keys: &[u64], handle: u32) {
        for (b, &k) in keys.iter().enumerate() {
            let band = b as u32;
            let Some(v) = self.table.get(band, k) else {
                continue;
            };
            if v & MANY == 0 {
                if v == handle {
                    self.table.remove(band, k);
                }
                continue;
            }
            let list = &mut self.lists[(v & !MANY) as usize];
            list.retain(|&h| h != handle);
            if let [only] = list[..] {
                *list = Vec::new();
                self.free.push(v & !MANY);
                self.table.set(band, k, only);
            }
        }
    }

    fn clear(&mut self) {
        self.table.clear();
        self.lists.clear();
        self.free.clear();
    }
}

/// Calls `f` with the band keys of `m` (`bands` × `rows` slots), kept on the stack for up
/// to 64 bands.
fn with_band_keys<T>(bands: usize, rows: usize, m: &MinHash, f: impl FnOnce(&[u64]) -> T) -> T {
    const STACK: usize = 64;
    let key = |b: usize| band_key_of(&m.slots[b * rows..(b + 1) * rows]);
    if bands <= STACK {
        let mut keys = [0u64; STACK];
        for (b, k) in keys[..bands].iter_mut().enumerate() {
            *k = key(b);
        }
        f(&keys[..bands])
    } else {
        f(&(0..bands).map(key).collect::<Vec<_>>())
    }
}

/// An inserted key; `None` once removed.
type Entry = Option<PyObject>;

/// An LSH index over `MinHash` signatures: `insert(key, minhash)`, `query(minhash)` (keys
/// sharing a band: candidates, in insertion order), `remove(key)`. Bands and rows are chosen
/// for `threshold` unless given.
#[pyclass(module = "storyclust._storyclust", name = "LSH", subclass)]
pub(crate) struct Lsh {
    #[pyo3(get)]
    threshold: f64,
    #[pyo3(get)]
    bands: usize,
    #[pyo3(get)]
    rows: usize,
    #[pyo3(get)]
    num_perm: usize,
    /// Per band: band key → handles, in insertion order.
    buckets: Buckets,
    /// Keys by handle (insertion number).
    entries: Vec<Entry>,
    /// Band keys by handle, `bands` each (for removal).
    band_keys: Vec<u64>,
    /// Key → handle, in insertion order.
    handles: Py<PyDict>,
    /// The signature parameters (num_perm, seed, scheme) of the first MinHash inserted:
    /// signatures of other parameters would share bands only by chance.
    params: Option<MinHashParams>,
}

impl Lsh {
    fn check(&self, m: &MinHash) -> PyResult<()> {
        if m.num_perm != self.num_perm {
            return Err(PyValueError::new_err(format!(
                "the MinHash has num_perm {}, the index {}",
                m.num_perm, self.num_perm
            )));
        }
        if let Some(p) = self.params {
            let theirs = m.signer.params();
            if theirs != p {
                return Err(PyValueError::new_err(format!(
                    "the MinHash has seed {} and scheme {:?}, the index's MinHashes seed {} \
                     and scheme {:?}: signatures of different seeds or schemes do not mix",
                    theirs.seed,
                    m.scheme_name(),
                    p.seed,
                    p.scheme.name(),
                )));
            }
        }
        Ok(())
    }
}

#[pymethods]
impl Lsh {
    #[new]
    #[pyo3(signature = (threshold=0.8, num_perm=128, bands=None, rows=None))]
    fn new(
        py: Python<'_>,
        threshold: f64,
        #[pyo3(from_py_with = crate::num_perm)] num_perm: usize,
        bands: Option<&Bound<'_, PyAny>>,
        rows: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Lsh> {
        unit("threshold", threshold)?;
        let count = |v: Option<&Bound<'_, PyAny>>, name| {
            v.map(|v| crate::int_param(v, name, 1, crate::MAX_NUM_PERM as u64))
                .transpose()
                .map(|v| v.map(|v| v as usize))
        };
        let (bands, rows) = (count(bands, "bands")?, count(rows, "rows")?);
        // Chosen as the library chooses for `dedup`, so the same threshold bands alike.
        let p = lsh_params(num_perm, bands, rows)?
            .unwrap_or_else(|| LshParams::optimal(threshold, num_perm, LshParams::RECALL_WEIGHTS));
        Ok(Lsh {
            threshold,
            bands: p.bands,
            rows: p.rows,
            num_perm,
            buckets: Buckets::new(),
            entries: Vec::new(),
            band_keys: Vec::new(),
            handles: PyDict::new(py).unbind(),
            params: None,
        })
    }

    fn insert(
        &mut self,
        py: Python<'_>,
        key: &Bound<'_, PyAny>,
        minhash: &MinHash,
    ) -> PyResult<()> {
        self.check(minhash)?;
        let handles = self.handles.bind(py);
        if handles.contains(key)? {
            return Err(PyValueError::new_err(format!(
                "key {} is in the index already",
                key.repr()?
            )));
        }
        let handle = self.entries.len() as u32;
        if handle & MANY != 0 {
            return Err(PyValueError::new_err(
                "the index takes 2**31 insertions at most",
            ));
        }
        handles.set_item(key, handle)?;
        let (buckets, band_keys) = (&mut self.buckets, &mut self.band_keys);
        with_band_keys(self.bands, self.rows, minhash, |keys| {
            buckets.insert(keys, handle);
            band_keys.extend_from_slice(keys);
        });
        self.entries.push(Some(key.clone().unbind()));
        self.params.get_or_insert(minhash.signer.params());
        Ok(())
    }

    /// Keys sharing at least one band with `minhash`, in insertion order.
    fn query<'py>(&self, py: Python<'py>, minhash: &MinHash) -> PyResult<Bound<'py, PyList>> {
        self.check(minhash)?;
        if minhash.is_empty() {
            return Ok(PyList::empty(py));
        }
        let mut found: Vec<u32> = Vec::with_capacity(2 * self.bands);
        with_band_keys(self.bands, self.rows, minhash, |keys| {
            self.buckets.get_into(keys, &mut found)
        });
        // Handles grow with insertion, so sorting them is insertion order.
        found.sort_unstable();
        found.dedup();
        let key = |h: &u32| match &self.entries[*h as usize] {
            Some(key) => key.clone_ref(py),
            None => unreachable!("a removed handle left in a bucket"),
        };
        PyList::new(py, found.iter().map(key))
    }

    fn remove(&mut self, py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<()> {
        let handles = self.handles.bind(py);
        let handle: u32 = match handles.get_item(key)? {
            Some(h) => h.extract()?,
            None => return Err(PyKeyError::new_err(key.clone().unbind())),
        };
        handles.del_item(key)?;
        self.entries[handle as usize] = None;
        let start = handle as usize * self.bands;
        let keys = &self.band_keys[start..start + self.bands];
        self.buckets.remove(keys, handle);
        Ok(())
    }

    fn __contains__(&self, py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<bool> {
        self.handles.bind(py).contains(key)
    }

    fn __len__(&self, py: Python<'_>) -> usize {
        self.handles.bind(py).len()
    }

    /// The keys, in insertion order.
    fn keys<'py>(&self, py: Python<'py>) -> Bound<'py, PyList> {
        self.handles.bind(py).keys()
    }

    fn __repr__(&self) -> String {
        format!(
            "LSH(threshold={:?}, num_perm={}, bands={}, rows={})",
            self.threshold, self.num_perm, self.bands, self.rows
        )
    }

    // The keys are Python objects, which may refer back to the index.
    fn __traverse__(&self, visit: PyVisit<'_>) -> Result<(), PyTraverseError> {
        visit.call(&self.handles)?;
        for key in self.entries.iter().flatten() {
            visit.call(key)?;
        }
        Ok(())
    }

    fn __clear__(&mut self) {
        Python::with_gil(|py| self.handles.bind(py).clear());
        self.entries.clear();
        self.band_keys.clear();
        self.buckets.clear();
    }
}
