import pytest

import storyclust

pa = pytest.importorskip("pyarrow")


def texts(corpus):
    return [r["text"] for r in corpus]


@pytest.mark.parametrize("scheme", ["fast", "classic"])
def test_signatures_equal_the_per_record_path(corpus, scheme):
    column = pa.array(texts(corpus))
    sigs = storyclust.arrow_signatures(column, num_perm=64, seed=3, scheme=scheme)
    assert sigs.type == pa.list_(pa.uint32(), 64) and len(sigs) == len(corpus)
    expected = storyclust.signatures([storyclust.shingles(t) for t in texts(corpus)], num_perm=64, seed=3, scheme=scheme)
    assert sigs.to_pylist() == expected


def test_chunks_slices_large_strings_and_nulls(corpus):
    values = texts(corpus)
    whole = storyclust.arrow_signatures(pa.array(values)).to_pylist()
    chunked = pa.chunked_array([pa.array(values[:50]), pa.array(values[50:])])
    assert storyclust.arrow_signatures(chunked).to_pylist() == whole
    large = pa.array(values, type=pa.large_string())
    assert storyclust.arrow_signatures(large).to_pylist() == whole
    sliced = pa.array(values).slice(10, 30)
    assert storyclust.arrow_signatures(sliced).to_pylist() == whole[10:40]
    with_null = storyclust.arrow_signatures(pa.array([values[0], None]))
    assert with_null.to_pylist()[0] == whole[0]
    assert set(with_null.to_pylist()[1]) == {2**32 - 1}
    with pytest.raises(TypeError):
        storyclust.arrow_signatures(pa.array([1, 2]))


def test_band_keys_find_the_lsh_candidates(corpus):
    sigs = storyclust.arrow_signatures(pa.array(texts(corpus)), num_perm=128, scheme="classic")
    keys = storyclust.arrow_band_keys(sigs, bands=16, rows=8)
    assert keys.type == pa.list_(pa.uint64(), 16)
    index = storyclust.LSH(num_perm=128, bands=16, rows=8)
    minhashes = []
    for i, text in enumerate(texts(corpus)):
        m = storyclust.MinHash(num_perm=128, scheme="classic")
        m.update_hashes(storyclust.shingles(text))
        minhashes.append(m)
        index.insert(i, m)
    rows = keys.to_pylist()
    for i, m in enumerate(minhashes):
        by_keys = [j for j, other in enumerate(rows) if any(a == b for a, b in zip(rows[i], other))]
        assert by_keys == index.query(m)
    # A slice of the signatures gives the slice of the keys.
    assert storyclust.arrow_band_keys(sigs.slice(5, 10), bands=16, rows=8).to_pylist() == rows[5:15]


def _list_column(rows, unaligned=False):
    """A large_list<uint64> column of `rows`; its values one byte off alignment if asked."""
    flat = [v for r in rows for v in r]
    raw = b"".join(v.to_bytes(8, "little") for v in flat)
    buf = pa.py_buffer(b"\0" + raw)[1:] if unaligned else pa.py_buffer(raw)
    values = pa.Array.from_buffers(pa.uint64(), len(flat), [None, buf])
    offsets = [0]
    for r in rows:
        offsets.append(offsets[-1] + len(r))
    return pa.LargeListArray.from_arrays(pa.array(offsets, type=pa.int64()), values)


@pytest.mark.parametrize("unaligned", [False, True])
def test_set_columns_read_in_place_or_copied_give_the_same_results(unaligned):
    # Unsorted rows with repeats: signatures ignore order and repeats; verification sorts
    # a copy. Aligned buffers are read in place, unaligned ones copied.
    import random

    rng = random.Random(9)
    rows = [[rng.getrandbits(64) for _ in range(rng.randint(0, 50))] for _ in range(40)]
    rows = [r + r[: len(r) // 3] for r in rows]
    for r in rows:
        rng.shuffle(r)
    column = _list_column(rows, unaligned)
    sets = [sorted(set(r)) for r in rows]
    for scheme in ("fast", "classic"):
        got = storyclust.arrow_signatures(column, num_perm=32, scheme=scheme).to_pylist()
        assert got == storyclust.signatures(sets, 32, 1, scheme)
    left = pa.array([i for i in range(40) for _ in range(3)], type=pa.uint32())
    right = pa.array([rng.randrange(40) for _ in range(120)], type=pa.uint32())
    scores = storyclust.arrow_verify(column, left, right).to_pylist()
    for a, b, s in zip(left.to_pylist(), right.to_pylist(), scores):
        x, y = set(rows[a]), set(rows[b])
        assert s == (len(x & y) / len(x | y) if x | y else 0.0)
    with pytest.raises(ValueError, match="out of range"):
        storyclust.arrow_verify(column, pa.array([40], type=pa.uint32()), pa.array([0], type=pa.uint32()))


# Issue 15 review: clear errors where pyarrow's own (or an AttributeError) surfaced.
def test_band_keys_name_a_null_signature_row():
    sigs = storyclust.arrow_signatures(pa.array(["one two three four", "five six seven eight"]), num_perm=16)
    with_null = pa.array(sigs.to_pylist()[:1] + [None], type=sigs.type)
    with pytest.raises(ValueError, match="signature row 1 is null"):
        storyclust.arrow_band_keys(with_null, bands=4, rows=4)
    null_slot = [list(sigs.to_pylist()[0]), list(sigs.to_pylist()[1])]
    null_slot[1][5] = None
    with pytest.raises(ValueError, match="signature row 1 holds a null slot"):
        storyclust.arrow_band_keys(pa.array(null_slot, type=sigs.type), bands=4, rows=4)
    # Without nulls the same rows work.
    assert len(storyclust.arrow_band_keys(sigs, bands=4, rows=4)) == 2


def test_band_keys_name_the_type_they_expect():
    variable = pa.array([[1, 2, 3, 4]], type=pa.list_(pa.uint32()))
    with pytest.raises(TypeError, match=r"expects a FixedSizeList<uint32> of signatures .* got list<item: uint32>"):
        storyclust.arrow_band_keys(variable, bands=2, rows=2)
    wrong_values = pa.array([[1, 2, 3, 4]], type=pa.list_(pa.uint64(), 4))
    with pytest.raises(TypeError, match="expects a FixedSizeList<uint32>"):
        storyclust.arrow_band_keys(wrong_values, bands=2, rows=2)


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: storyclust.arrow_shingles(["one two three"]), "arrow_shingles"),
        (lambda: storyclust.arrow_signatures(["one two three"]), "arrow_signatures"),
        (lambda: storyclust.arrow_band_keys([[1, 2]], bands=1, rows=1), "arrow_band_keys"),
        (lambda: storyclust.arrow_verify(["a b c", "a b c"], [0], [1]), "arrow_verify"),
    ],
)
def test_kernels_refuse_python_lists_by_name(call, name):
    with pytest.raises(TypeError, match=f"^{name} expects a pyarrow Array or ChunkedArray, got list$"):
        call()


def test_arrow_cluster_refuses_a_list_of_dicts():
    with pytest.raises(TypeError, match="^arrow_cluster expects a pyarrow Table or RecordBatch, got list$"):
        storyclust.arrow_cluster([{"id": "a", "text": "x"}])


def test_arrow_cluster_and_cluster_agree_on_a_null_text():
    # Both refuse it: `id` and `text` are required (python/README.md).
    records = [{"id": "a", "text": "one two three"}, {"id": "b", "text": None}]
    with pytest.raises(ValueError, match="every record needs a 'text'"):
        storyclust.cluster(records)
    with pytest.raises(ValueError, match="every record needs a 'text'"):
        storyclust.arrow_cluster(pa.Table.from_pylist(records))
    with pytest.raises(ValueError, match="every record needs a 'text'"):
        storyclust.arrow_cluster(pa.RecordBatch.from_pylist(records))
