//! Reading Python ints as u64 hashes, the cost that dominated a per-record loop: a list's
//! items are read by index (borrowed), and an exact int's digits are read in place when the
//! interpreter's layout is known (CPython's, checked against the API at import), instead of
//! one or more C-API calls per int.

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyList;
use std::sync::atomic::{AtomicU8, Ordering};

/// How an exact int stores its size, after the object header: CPython ≤ 3.11 keeps
/// `ob_size` (± the number of 30-bit digits), 3.12 and later `lv_tag` (digits << 3 | sign).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
enum Layout {
    /// Unknown or unverified: the C API only.
    Api = 0,
    SignedSize = 1,
    Tagged = 2,
}

static LAYOUT: AtomicU8 = AtomicU8::new(Layout::Api as u8);

fn layout() -> Layout {
    match LAYOUT.load(Ordering::Relaxed) {
        1 => Layout::SignedSize,
        2 => Layout::Tagged,
        _ => Layout::Api,
    }
}

/// Chooses the in-place reader at import when this is CPython with 30-bit digits and the
/// reader agrees with the C API on ints at every digit boundary; the C API otherwise.
pub(crate) fn init(py: Python<'_>) -> PyResult<()> {
    let sys = py.import("sys")?;
    let cpython = sys
        .getattr("implementation")?
        .getattr("name")?
        .extract::<String>()?
        == "cpython";
    let info = sys.getattr("int_info")?;
    let digits_30 = info.getattr("bits_per_digit")?.extract::<u32>()? == 30
        && info.getattr("sizeof_digit")?.extract::<u32>()? == 4;
    let minor = sys.getattr("version_info")?.get_item(1)?.extract::<u32>()?;
    let major = sys.getattr("version_info")?.get_item(0)?.extract::<u32>()?;
    if !(cpython && digits_30 && major == 3) {
        return Ok(());
    }
    let candidate = if minor >= 12 {
        Layout::Tagged
    } else {
        Layout::SignedSize
    };
    if self_test(py, candidate)? {
        LAYOUT.store(candidate as u8, Ordering::Relaxed);
    }
    Ok(())
}

/// Whether the in-place reader gives the C API's answer on ints around each digit boundary,
/// negative ones and ints past 2⁶⁴ (which must be refused).
fn self_test(py: Python<'_>, candidate: Layout) -> PyResult<bool> {
    let mut probes: Vec<Bound<'_, PyAny>> = Vec::new();
    for bits in [0u32, 1, 29, 30, 31, 59, 60, 61, 63, 64] {
        for delta in [-1i128, 0, 1] {
            let v = (1i128 << bits) + delta;
            probes.push(v.into_pyobject(py)?.into_any());
            probes.push((-v).into_pyobject(py)?.into_any());
        }
    }
    probes.push(py.eval(c"2**90 + 5", None, None)?);
    for p in &probes {
        let want = p.extract::<u64>().ok();
        // SAFETY: `p` is a live exact int and the GIL is held.
        let got = unsafe { in_place(p.as_ptr(), candidate) };
        if got != want {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The value of an exact int read from its digits; `None` when negative or 2⁶⁴ or more.
///
/// # Safety
/// `item` must be a live exact int laid out as `layout` says, and the GIL held.
#[inline(always)]
unsafe fn in_place(item: *mut ffi::PyObject, layout: Layout) -> Option<u64> {
    let head = std::mem::size_of::<ffi::PyObject>();
    let base = item as *const u8;
    let word = std::ptr::read(base.add(head) as *const isize);
    let digits = base.add(head + std::mem::size_of::<isize>()) as *const u32;
    let n = match layout {
        Layout::SignedSize if word >= 0 => word as usize,
        Layout::Tagged => match word & 3 {
            0 => (word as usize) >> 3,
            1 => return Some(0),
            _ => return None,
        },
        _ => return None,
    };
    let d = |i: usize| u64::from(std::ptr::read(digits.add(i)));
    match n {
        0 => Some(0),
        1 => Some(d(0)),
        2 => Some(d(0) | d(1) << 30),
        // The third digit holds bits 60..90: at most 4 of them may be set.
        3 if d(2) < 16 => Some(d(0) | d(1) << 30 | d(2) << 60),
        _ => None,
    }
}

/// An exact int in 0..2⁶⁴; `None` for anything else (the caller's checked path says what
/// is wrong).
#[inline]
pub(crate) fn exact_int(item: *mut ffi::PyObject) -> Option<u64> {
    // SAFETY: `item` is a live object and the GIL is held; for an exact int these calls
    // run no Python code.
    unsafe {
        if ffi::PyLong_CheckExact(item) == 0 {
            return None;
        }
        let layout = layout();
        if layout != Layout::Api {
            return in_place(item, layout);
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

/// Calls `each` on the ints of a list in order, in chunks of at most `N`, read by index
/// without a reference count or type dispatch per item. With `prefetch`, the int objects of
/// the chunk after the next are prefetched before `each` runs on a chunk: a list's ints are
/// separate objects, and reading them waits on memory that `each`'s work can hide (when it
/// has work: for a plain copy, the prefetches only compete with the reads).
pub(crate) fn list_chunks<const N: usize>(
    list: &Bound<'_, PyList>,
    prefetch: bool,
    mut each: impl FnMut(&[u64]),
) -> PyResult<()> {
    let mut buf = [0u64; N];
    let mut len = 0;
    let mut push = |next: usize, v: u64, len: &mut usize| {
        buf[*len] = v;
        *len += 1;
        if *len == N {
            if prefetch {
                prefetch_items(list, next + N, N);
            }
            each(&buf);
            *len = 0;
        }
    };
    let mut i = 0;
    loop {
        // The quick run: no Python code runs until an item the quick reader refuses.
        i = quick_run(list, i, |j, v| push(j + 1, v, &mut len));
        // The length is read again after the checked read: an int subclass's `__index__`
        // may run Python code that changes the list.
        if i >= list.len() {
            break;
        }
        push(i + 1, list.get_item(i)?.extract::<u64>()?, &mut len);
        i += 1;
    }
    if len > 0 {
        each(&buf[..len]);
    }
    Ok(())
}

/// Asks the CPU to fetch the int objects of items `start .. start + n` (those there) into
/// cache. Only a hint: nothing is read, and the values come from the checked reads.
#[inline(always)]
fn prefetch_items(list: &Bound<'_, PyList>, start: usize, n: usize) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        let end = list.len().min(start + n);
        for i in start..end {
            // SAFETY: the index is below the length and the GIL is held; a prefetch is a
            // hint and never faults.
            unsafe {
                let item = ffi::PyList_GET_ITEM(list.as_ptr(), i as ffi::Py_ssize_t);
                _mm_prefetch::<_MM_HINT_T0>(item as *const i8);
            }
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (list, start, n);
}

/// Reads the list's items from `start` while they are exact ints in range, passing each to
/// `push`; the index of the first item not read.
#[inline(always)]
fn quick_run(list: &Bound<'_, PyList>, start: usize, mut push: impl FnMut(usize, u64)) -> usize {
    let layout = layout();
    let n = list.len();
    let ptr = list.as_ptr();
    let mut i = start;
    while i < n {
        // SAFETY: the index is below the length and the GIL is held; nothing here runs
        // Python code, so the list cannot change.
        let v = unsafe {
            let item = ffi::PyList_GET_ITEM(ptr, i as ffi::Py_ssize_t);
            if layout != Layout::Api && ffi::PyLong_CheckExact(item) != 0 {
                in_place(item, layout)
            } else {
                exact_int(item)
            }
        };
        match v {
            Some(v) => push(i, v),
            None => return i,
        }
        i += 1;
    }
    i
}

/// The ints of a list appended to `out`.
pub(crate) fn list_hashes_into(list: &Bound<'_, PyList>, out: &mut Vec<u64>) -> PyResult<()> {
    out.reserve(list.len());
    list_chunks::<256>(list, false, |chunk| out.extend_from_slice(chunk))
}

/// Which reader runs (for tests): "in place" or "C API".
#[pyfunction]
pub(crate) fn _int_reader() -> &'static str {
    match layout() {
        Layout::Api => "C API",
        _ => "in place",
    }
}

/// Chooses the reader (for tests of both): "C API", or "in place" where import would.
#[pyfunction]
pub(crate) fn _use_int_reader(py: Python<'_>, name: &str) -> PyResult<&'static str> {
    LAYOUT.store(Layout::Api as u8, Ordering::Relaxed);
    if name == "in place" {
        init(py)?;
    }
    Ok(_int_reader())
}
