"""The Arrow kernels for exact verification and story clustering, the shingle-set column
they share, and the batch signature calls, against brute-force Python references, the
per-record API and the CLI."""

import array
import itertools
import json
import random
import subprocess

import pytest

import storyclust
from test_dedup import cli_binary, exact_jaccard

pa = pytest.importorskip("pyarrow")


def texts(corpus):
    return [r["text"] for r in corpus]


def splitmix64(x):
    m = 2**64 - 1
    x = (x + 0x9E3779B97F4A7C15) & m
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & m
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & m
    return x ^ (x >> 31)


def classic_reference(hashes, num_perm, seed):
    """The classic scheme from its definition: slot i's hash is the top 32 bits of
    (a_i·x + b_i) mod 2⁶⁴, a_i odd, both drawn from SplitMix64 of the seed."""
    state, slots = seed, []
    for _ in range(num_perm):
        state = (state + 0x9E3779B97F4A7C15) % 2**64
        a = splitmix64(state) | 1
        state = (state + 0x9E3779B97F4A7C15) % 2**64
        b = splitmix64(state)
        slots.append(min((((a * x + b) % 2**64) >> 32 for x in hashes), default=2**32 - 1))
    return slots


def test_batch_and_per_record_signatures_equal_the_reference():
    rng = random.Random(5)
    sets = [[rng.getrandbits(64) for _ in range(rng.randint(0, 60))] for _ in range(40)]
    for num_perm, seed in [(128, 1), (37, 9)]:
        expected = [classic_reference(s, num_perm, seed) for s in sets]
        assert storyclust.signatures(sets, num_perm, seed, "classic") == expected
        bulk = storyclust.MinHash.bulk(sets, num_perm=num_perm, seed=seed, scheme="classic")
        assert [m.digest() for m in bulk] == expected
        for s, want in zip(sets, expected):
            m = storyclust.MinHash(num_perm=num_perm, seed=seed, scheme="classic")
            m.update_hashes(s)
            assert m.digest() == want
    # Any shape of input gives the same values: tuples, uint64 buffers, generators.
    same = [tuple(s) for s in sets[:5]] + [array.array("Q", s) for s in sets[5:10]] + [iter(s) for s in sets[10:]]
    assert storyclust.signatures(same, 128, 1, "classic") == storyclust.signatures(sets, 128, 1, "classic")


def test_hashes_out_of_range_are_refused():
    for bad in ([1, -1], [2**64], [1, "x"], [1.5]):
        with pytest.raises((OverflowError, TypeError)):
            storyclust.signatures([bad])
        with pytest.raises((OverflowError, TypeError)):
            storyclust.MinHash().update_hashes(bad)
        with pytest.raises((OverflowError, TypeError)):
            storyclust.MinHash.bulk([[1, 2], bad])
    # The edges of the range are hashes like any other.
    edge = [0, 2**63 - 1, 2**63, 2**64 - 1]
    assert storyclust.signatures([edge], 16, 1, "classic")[0] == classic_reference(edge, 16, 1)


def test_shingle_column_equals_the_per_record_shingles(corpus):
    values = texts(corpus)
    sets = storyclust.arrow_shingles(pa.array(values))
    assert sets.type == pa.large_list(pa.uint64())
    assert sets.to_pylist() == [storyclust.shingles(t) for t in values]
    chunked = pa.chunked_array([pa.array(values[:70]), pa.array(values[70:], type=pa.string())])
    assert storyclust.arrow_shingles(chunked).to_pylist() == sets.to_pylist()
    assert storyclust.arrow_shingles(pa.array(values).slice(3, 9)).to_pylist() == sets.to_pylist()[3:12]


@pytest.mark.parametrize("scheme", ["fast", "classic"])
def test_signatures_of_shingle_sets_equal_those_of_texts(corpus, scheme):
    column = pa.array(texts(corpus))
    from_texts = storyclust.arrow_signatures(column, scheme=scheme).to_pylist()
    sets = storyclust.arrow_shingles(column)
    assert storyclust.arrow_signatures(sets, scheme=scheme).to_pylist() == from_texts
    # list<uint64> (32-bit offsets), a slice, and sets unsorted with repeats.
    small = pa.array(sets.to_pylist(), type=pa.list_(pa.uint64()))
    assert storyclust.arrow_signatures(small, scheme=scheme).to_pylist() == from_texts
    assert storyclust.arrow_signatures(small.slice(7, 20), scheme=scheme).to_pylist() == from_texts[7:27]
    shuffled = [list(reversed(s)) + s[:3] for s in sets.to_pylist()]
    assert storyclust.arrow_signatures(pa.array(shuffled, type=pa.list_(pa.uint64())), scheme=scheme).to_pylist() == from_texts
    with pytest.raises(ValueError):
        storyclust.arrow_signatures(pa.array([[1], None], type=pa.list_(pa.uint64())))
    with pytest.raises(TypeError):
        storyclust.arrow_signatures(pa.array([[1]], type=pa.list_(pa.int64())))


def test_verify_equals_brute_force_jaccard(corpus):
    values = texts(corpus)
    rng = random.Random(3)
    n = len(values)
    left = [rng.randrange(n) for _ in range(300)] + [0, n - 1]
    right = [rng.randrange(n) for _ in range(300)] + [0, 0]
    shingles = [storyclust.shingles(t) for t in values]
    expected = [exact_jaccard(shingles[a], shingles[b]) for a, b in zip(left, right)]
    column = pa.array(values)
    by_text = storyclust.arrow_verify(column, pa.array(left), pa.array(right))
    assert by_text.type == pa.float64()
    assert by_text.to_pylist() == pytest.approx(expected, abs=0)
    sets = storyclust.arrow_shingles(column)
    assert storyclust.arrow_verify(sets, left, right).to_pylist() == by_text.to_pylist()
    # Index arrays of any integer type, chunked; a chunked column.
    idx = pa.chunked_array([pa.array(left[:100], type=pa.int16()), pa.array(left[100:], type=pa.int16())])
    chunked = pa.chunked_array([column.slice(0, 50), column.slice(50)])
    assert storyclust.arrow_verify(chunked, idx, pa.array(right, type=pa.uint64())).to_pylist() == by_text.to_pylist()
    assert storyclust.arrow_verify(column, [], []).to_pylist() == []


def test_verify_refuses_bad_pairs(corpus):
    column = pa.array(texts(corpus))
    n = len(column)
    with pytest.raises(ValueError, match="out of range"):
        storyclust.arrow_verify(column, [0, n], [1, 2])
    with pytest.raises(ValueError, match="negative"):
        storyclust.arrow_verify(column, [-1], [1])
    with pytest.raises(ValueError, match="differ in length"):
        storyclust.arrow_verify(column, [0, 1], [1])
    with pytest.raises(ValueError, match="nulls"):
        storyclust.arrow_verify(column, pa.array([0, None]), [1, 2])
    with pytest.raises(TypeError):
        storyclust.arrow_verify(column, pa.array(["0"]), [1])


def test_band_keys_then_verify_give_the_exact_pairs(corpus):
    # The kernels a driver chains: shingles, signatures, band keys, candidates by shared
    # key (here in Python), verification. The pairs at the cut are the brute-force ones
    # that LSH found, and LSH finds nearly all of them.
    column = pa.array(texts(corpus))
    sets = storyclust.arrow_shingles(column)
    keys = storyclust.arrow_band_keys(storyclust.arrow_signatures(sets, scheme="classic"), bands=16, rows=8)
    buckets = {}
    for row, ks in enumerate(keys.to_pylist()):
        for band, k in enumerate(ks):
            buckets.setdefault((band, k), []).append(row)
    candidates = sorted({p for rows in buckets.values() for p in itertools.combinations(rows, 2)})
    left, right = zip(*candidates)
    scores = storyclust.arrow_verify(sets, left, right).to_pylist()
    found = {p for p, j in zip(candidates, scores) if j >= 0.7}
    shingles = sets.to_pylist()
    truth = {(a, b) for a, b in itertools.combinations(range(len(shingles)), 2) if exact_jaccard(shingles[a], shingles[b]) >= 0.7}
    assert len(truth) >= 20 and found <= truth and len(found) >= 0.95 * len(truth)


def test_verify_scores_the_cli_pairs_alike(corpus, tmp_path):
    # Without titles, a record's shingles are those of its text alone, as in the kernels.
    records = [{k: v for k, v in r.items() if k != "title"} for r in corpus]
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    pairs_file = tmp_path / "pairs.tsv"
    subprocess.run(
        [cli_binary(), "--quiet", "dedup", str(path), "--threshold", "0.5", "--pairs", str(pairs_file)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    row = {r["id"]: i for i, r in enumerate(records)}
    cli = [
        line.split("\t")
        for line in pairs_file.read_text(encoding="utf-8").splitlines()
        if not (line.startswith("#") or line.startswith("id_a\t"))
    ]
    assert cli, "the CLI found no pairs"
    scores = storyclust.arrow_verify(pa.array(texts(records)), [row[a] for a, _, _ in cli], [row[b] for _, b, _ in cli])
    assert scores.to_pylist() == pytest.approx([float(j) for _, _, j in cli], abs=1e-6)


def same_partition(stories_a, stories_b):
    """Whether two story assignments group the rows alike (ids may be numbered apart)."""
    groups = lambda s: {frozenset(i for i, x in enumerate(s) if x == v) for v in set(s)}
    return groups(stories_a) == groups(stories_b)


def test_cluster_kernel_equals_cluster(corpus, seeds):
    for records, options in [(corpus, {"window_days": 0}), (corpus, {}), (seeds, {})]:
        table = pa.Table.from_pylist(records)
        out = storyclust.arrow_cluster(table, **options)
        assert out.column_names == ["story", "topic"] and out.num_rows == len(records)
        assert out.schema.field("story").type == pa.uint32()
        expected = storyclust.cluster(records, **options)
        assert out.column("story").to_pylist() == [expected.story_of[r["id"]] for r in records]
        assert out.column("topic").to_pylist() == [expected.topic_of[r["id"]] for r in records]
    # A RecordBatch, only id and text, dates as date32, and a chunked table.
    batch = pa.RecordBatch.from_pylist([{"id": r["id"], "text": r["text"]} for r in corpus])
    bare = storyclust.cluster([{"id": r["id"], "text": r["text"]} for r in corpus])
    assert storyclust.arrow_cluster(batch).column("story").to_pylist() == [bare.story_of[r["id"]] for r in corpus]
    dated = pa.Table.from_pylist(corpus).set_column(
        4, "date", pa.array([r["date"] for r in corpus]).cast(pa.date32())
    )
    chunked = pa.concat_tables([dated.slice(0, 60), dated.slice(60)])
    assert storyclust.arrow_cluster(chunked).column("story").to_pylist() == [
        storyclust.cluster(corpus).story_of[r["id"]] for r in corpus
    ]


def test_cluster_kernel_is_deterministic_and_checks_input(corpus):
    table = pa.Table.from_pylist(corpus)
    stories = storyclust.arrow_cluster(table).column("story").to_pylist()
    reversed_stories = storyclust.arrow_cluster(table.take(list(range(len(corpus) - 1, -1, -1)))).column("story").to_pylist()
    assert same_partition(stories, list(reversed(reversed_stories)))
    with pytest.raises(ValueError, match="columns 'id' and 'text'"):
        storyclust.arrow_cluster(table.drop_columns(["id"]))
    with pytest.raises(ValueError, match="needs an 'id'"):
        storyclust.arrow_cluster(pa.table({"id": ["a", None], "text": ["x", "y"]}))
    with pytest.raises(ValueError, match="duplicate id"):
        storyclust.arrow_cluster(pa.table({"id": ["a", "a"], "text": ["x", "y"]}))
    # As the CLI: a warning, and the record kept undated (tests/test_records.py).
    with pytest.warns(UserWarning, match="unreadable date"):
        storyclust.arrow_cluster(pa.table({"id": ["a"], "text": ["x"], "date": ["soon"]}))


@pytest.fixture(params=["in place", "C API"])
def int_reader(request):
    native = storyclust._storyclust._int_reader()
    chosen = storyclust._storyclust._use_int_reader(request.param)
    if chosen != request.param:
        pytest.skip(f"this interpreter reads ints through the {chosen}")
    yield chosen
    storyclust._storyclust._use_int_reader(native)


def test_ints_read_in_place_equal_the_c_api(int_reader):
    # Lists take the chosen reader, tuples pyo3's checked conversion: every bit length,
    # each digit boundary and the edges of the range give the same signature, and
    # anything else is refused the same way.
    rng = random.Random(3)
    values = [0, 1, 2**30 - 1, 2**30, 2**60 - 1, 2**60, 2**63, 2**64 - 1]
    values += [rng.getrandbits(bits) for bits in range(1, 65) for _ in range(20)]
    for start in range(0, len(values), 16):
        part = values[start : start + 16]
        by_list, by_tuple = storyclust.MinHash(num_perm=64, scheme="classic"), storyclust.MinHash(num_perm=64, scheme="classic")
        by_list.update_hashes(part)
        by_tuple.update_hashes(tuple(part))
        assert by_list.digest() == by_tuple.digest() == classic_reference(part, 64, 1)
    for bad in ([1, -1], [2**64], [2**90], [-(2**70)], [1, "x"], [1.5]):
        with pytest.raises((OverflowError, TypeError)):
            storyclust.MinHash().update_hashes(bad)
    m = storyclust.MinHash(num_perm=16, scheme="classic")
    m.update_hashes([_Index(5), 7, True, 2**64 - 1])
    assert m.digest() == classic_reference([5, 7, 1, 2**64 - 1], 16, 1)


class _Index(int):
    """An int subclass: read through the checked path."""


def test_chunked_and_gil_free_paths_give_the_same_signature():
    rng = random.Random(4)
    # Below one chunk (32 ints), at its edges, several chunks (each prefetching the ints two
    # chunks on, past the end for the last ones), and above the size signed without the GIL.
    for n in (20, 31, 32, 33, 64, 65, 100, 513, 5000, 20000):
        hashes = [rng.getrandbits(64) for _ in range(n)]
        whole = storyclust.MinHash(num_perm=32, seed=2, scheme="classic")
        whole.update_hashes(hashes)
        assert whole.digest() == storyclust.signatures([array.array("Q", hashes)], 32, 2, "classic")[0]
        parts = storyclust.MinHash(num_perm=32, seed=2, scheme="classic")
        for i in range(0, n, 700):
            parts.update_hashes(hashes[i : i + 700])
        assert parts == whole
    mixed = [_Index(5), 7, True, 2**64 - 1]
    m = storyclust.MinHash(num_perm=16, scheme="classic")
    m.update_hashes(mixed)
    assert m.digest() == classic_reference([5, 7, 1, 2**64 - 1], 16, 1)


def test_a_bad_hash_leaves_the_minhash_unchanged():
    for n in (10, 31, 32, 600, 20000):  # one chunk, its edge, several chunks, the GIL-free path
        m = storyclust.MinHash(num_perm=16)
        m.update_hashes([1, 2, 3])
        before = m.digest()
        with pytest.raises((OverflowError, TypeError)):
            m.update_hashes(list(range(n)) + [-1])
        assert m.digest() == before


def test_band_keys_are_the_library_band_keys(corpus):
    sigs = storyclust.arrow_signatures(pa.array([r["text"] for r in corpus][:20]), num_perm=64, scheme="classic")
    keys = storyclust.arrow_band_keys(sigs, bands=8, rows=8).to_pylist()
    for sig, row in zip(sigs.to_pylist(), keys):
        assert row == [storyclust._storyclust._band_key(sig[b * 8 : (b + 1) * 8]) for b in range(8)]


def test_fast_minhash_equals_the_fast_signatures():
    # The fast scheme per record: bins folded update by update, densified on the way out,
    # so parts, merges, bulk and pickles all give the batch signature of the whole set.
    import pickle

    rng = random.Random(6)
    sets = [[rng.getrandbits(64) for _ in range(rng.randint(0, 400))] for _ in range(30)] + [[7], list(range(1000))]
    for num_perm, seed in [(128, 1), (37, 9)]:
        expected = storyclust.signatures(sets, num_perm, seed, "fast")
        bulk = storyclust.MinHash.bulk(sets, num_perm=num_perm, seed=seed, scheme="fast")
        assert [m.digest() for m in bulk] == expected
        for s, want, b in zip(sets, expected, bulk):
            m = storyclust.MinHash(num_perm=num_perm, seed=seed, scheme="fast")
            m.update_hashes(s)
            assert m.digest() == want and m == b and m.scheme == "fast"
            half, rest = storyclust.MinHash(num_perm, seed, "fast"), storyclust.MinHash(num_perm, seed, "fast")
            half.update_hashes(s[: len(s) // 2])
            rest.update_hashes(tuple(s[len(s) // 2 :]))
            half.merge(rest)
            assert half.digest() == want
            back = pickle.loads(pickle.dumps(half))
            assert back == half and back.digest() == want and back.scheme == "fast"
            assert m.is_empty() == (not s)
    with pytest.raises(ValueError):
        storyclust.MinHash(scheme="fast").jaccard(storyclust.MinHash(scheme="classic"))
    with pytest.raises(ValueError):
        storyclust.MinHash(scheme="other")


def test_fast_minhash_in_lsh_finds_the_arrow_band_keys(corpus):
    values = texts(corpus)
    sigs = storyclust.arrow_signatures(pa.array(values), num_perm=128)  # the fast scheme
    keys = storyclust.arrow_band_keys(sigs, bands=16, rows=8).to_pylist()
    index = storyclust.LSH(num_perm=128, bands=16, rows=8)
    minhashes = []
    for i, text in enumerate(values):
        m = storyclust.MinHash(num_perm=128, scheme="fast")
        m.update_hashes(storyclust.shingles(text))
        assert m.digest() == sigs[i].as_py()
        minhashes.append(m)
        index.insert(i, m)
    for i, m in enumerate(minhashes):
        if not m.is_empty():
            assert index.query(m) == [j for j, other in enumerate(keys) if any(a == b for a, b in zip(keys[i], other))]


def test_str_tokens_above_the_gil_threshold_equal_the_parts():
    tokens = [f"w{i}" for i in range(20000)]  # above the size signed without the GIL
    for scheme in ("classic", "fast"):
        whole, parts = storyclust.MinHash(num_perm=32, scheme=scheme), storyclust.MinHash(num_perm=32, scheme=scheme)
        whole.update(tokens)
        for i in range(0, len(tokens), 1000):
            parts.update(tokens[i : i + 1000])
        assert whole == parts and whole.digest() == parts.digest()
