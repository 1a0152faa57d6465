import math
import random

import pytest

import storyclust
from storyclust import LSH, MinHash


def random_pair(rng, shared, only_a, only_b):
    items = rng.sample(range(10**9), shared + only_a + only_b)
    common = items[:shared]
    a = common + items[shared : shared + only_a]
    b = common + items[shared + only_a :]
    return [f"t{x}" for x in a], [f"t{x}" for x in b]


def exact(a, b):
    a, b = set(a), set(b)
    return len(a & b) / len(a | b)


@pytest.mark.parametrize("num_perm", [64, 256])
def test_jaccard_close_to_exact(num_perm):
    rng = random.Random(5)
    errors = []
    for _ in range(60):
        a, b = random_pair(rng, rng.randint(0, 200), rng.randint(1, 100), rng.randint(1, 100))
        ma, mb = MinHash(num_perm=num_perm), MinHash(num_perm=num_perm)
        ma.update(a)
        mb.update(b)
        j = exact(a, b)
        # The estimate is a mean of num_perm Bernoulli(j) draws: allow 4 standard deviations.
        sd = math.sqrt(max(j * (1 - j), 0.01) / num_perm)
        assert abs(ma.jaccard(mb) - j) <= 4 * sd + 1e-9, (j, ma.jaccard(mb))
        errors.append(abs(ma.jaccard(mb) - j))
    assert sum(errors) / len(errors) < 1.5 / math.sqrt(num_perm)


def test_incremental_equals_batch_and_merge_is_union():
    tokens = [f"tok{i}" for i in range(300)]
    whole = MinHash()
    whole.update(tokens)
    pieces = MinHash()
    for t in tokens:
        pieces.update(t)
    assert pieces == whole
    left, right = MinHash(), MinHash()
    left.update(tokens[:100])
    right.update(tokens[80:])
    left.merge(right)
    assert left.digest() == whole.digest()
    # Bytes and str of the same UTF-8 are the same token; order and repeats do not matter.
    other = MinHash()
    other.update([t.encode() for t in reversed(tokens + tokens[:10])])
    assert other == whole
    assert whole.jaccard(whole) == 1.0
    assert len(whole.hashvalues) == whole.num_perm == 128 and whole.seed == 1


def test_matches_library_classic_signatures():
    hashes = storyclust.shingles("one two three four five six seven")
    m = MinHash(num_perm=64, seed=9, scheme="classic")
    m.update_hashes(hashes)
    assert m.digest() == storyclust.signatures([hashes], num_perm=64, seed=9, scheme="classic")[0]


def test_empty_and_mismatched():
    empty = MinHash()
    assert empty.is_empty()
    full = MinHash()
    full.update(["a"])
    assert empty.jaccard(full) == 0.0
    with pytest.raises(ValueError):
        MinHash(num_perm=64).jaccard(full)
    with pytest.raises(ValueError):
        MinHash(seed=2).jaccard(full)
    with pytest.raises(ValueError):
        full.update([1, 2])


def test_lsh_insert_query_remove():
    rng = random.Random(3)
    base = [f"w{rng.randrange(10**6)}" for _ in range(200)]
    near = base[:190] + [f"x{i}" for i in range(10)]  # Jaccard 190/210 ≈ 0.90
    unrelated = [f"u{i}" for i in range(200)]
    sigs = {}
    for key, toks in [("base", base), ("near", near), ("unrelated", unrelated)]:
        m = MinHash()
        m.update(toks)
        sigs[key] = m
    index = LSH(threshold=0.8)
    assert index.bands * index.rows <= index.num_perm
    for key in ("base", "near", "unrelated"):
        index.insert(key, sigs[key])
    assert len(index) == 3 and "near" in index
    assert index.query(sigs["base"]) == ["base", "near"]
    assert index.query(sigs["unrelated"]) == ["unrelated"]
    index.remove("near")
    assert index.query(sigs["base"]) == ["base"]
    index.remove("base")
    assert index.query(sigs["near"]) == []
    with pytest.raises(KeyError):
        index.remove("base")
    with pytest.raises(ValueError):
        index.insert("unrelated", sigs["base"])
    assert index.query(MinHash()) == []


def test_lsh_recall_against_brute_force():
    rng = random.Random(8)
    docs = {}
    for i in range(60):
        toks = [f"t{rng.randrange(10**7)}" for _ in range(rng.randint(50, 150))]
        docs[f"d{i}"] = toks
        for c in range(2):
            copy = list(toks)
            for _ in range(rng.randint(0, 6)):
                copy[rng.randrange(len(copy))] = f"e{rng.randrange(10**7)}"
            docs[f"d{i}c{c}"] = copy
    index = LSH(threshold=0.7, num_perm=128)
    sigs = {}
    for k, toks in docs.items():
        sigs[k] = MinHash()
        sigs[k].update(toks)
        index.insert(k, sigs[k])
    true_pairs = {(a, b) for a in docs for b in docs if a < b and exact(docs[a], docs[b]) >= 0.7}
    found = {(a, b) for a in docs for b in index.query(sigs[a]) if a < b}
    assert len(true_pairs) > 50
    assert len(true_pairs & found) >= 0.97 * len(true_pairs)


def test_explicit_bands_and_rows():
    index = LSH(threshold=0.5, num_perm=64, bands=16, rows=4)
    assert (index.bands, index.rows) == (16, 4)
    with pytest.raises(ValueError):
        LSH(num_perm=64, bands=16, rows=8)
    m = MinHash(num_perm=128)
    m.update(["a"])
    with pytest.raises(ValueError):
        index.insert("k", m)


def test_pickle_round_trip():
    import pickle

    m = MinHash(num_perm=32, seed=4)
    m.update(["a", "b", "c"])
    back = pickle.loads(pickle.dumps(m))
    assert back == m and back.num_perm == 32 and back.seed == 4
    back.update(["d"])
    assert back != m


def _band_keys(m, bands, rows):
    d = m.digest()
    return [storyclust._storyclust._band_key(d[b * rows : (b + 1) * rows]) for b in range(bands)]


def test_lsh_matches_a_brute_force_model_through_inserts_and_removals():
    # Few distinct tokens, so many buckets hold several keys and the table's probe runs
    # and backward shifts on removal are exercised.
    rng = random.Random(11)
    bands, rows = 32, 2
    index = LSH(num_perm=64, bands=bands, rows=rows)
    live = {}
    for step in range(3000):
        if live and rng.random() < 0.3:
            key = rng.choice(sorted(live, key=str))
            index.remove(key)
            del live[key]
        else:
            key = (step, "k") if step % 2 else step
            m = MinHash(num_perm=64)
            m.update([f"t{rng.randrange(12)}" for _ in range(rng.randint(1, 4))])
            index.insert(key, m)
            live[key] = m
        if step % 97 == 0 or step > 2950:
            probe = live[rng.choice(list(live))] if live else MinHash(num_perm=64)
            want_keys = _band_keys(probe, bands, rows)
            order = list(live)  # insertion order, as the index reports
            want = [k for k in order if any(a == b for a, b in zip(want_keys, _band_keys(live[k], bands, rows)))]
            assert index.query(probe) == (want if not probe.is_empty() else [])
    assert len(index) == len(live) and index.keys() == list(live)
    assert all(k in index for k in live)


def test_lsh_errors_and_repr():
    index = LSH(threshold=0.5, num_perm=32)
    m = MinHash(num_perm=32)
    m.update(["a"])
    index.insert(("a", 1), m)
    with pytest.raises(ValueError, match="already"):
        index.insert(("a", 1), m)
    with pytest.raises(TypeError):
        index.insert(["unhashable"], m)
    with pytest.raises(KeyError):
        index.remove("missing")
    with pytest.raises(ValueError):
        index.query(MinHash(num_perm=64))
    assert index.query(m) == [("a", 1)] and len(index) == 1
    assert repr(index).startswith("LSH(threshold=0.5, num_perm=32")


def test_lsh_can_be_subclassed():
    class Tagged(LSH):
        def tagged_query(self, m):
            return [("hit", k) for k in self.query(m)]

    index = Tagged(threshold=0.5, num_perm=32)
    m = MinHash(num_perm=32)
    m.update(["a", "b"])
    index.insert("k", m)
    assert index.tagged_query(m) == [("hit", "k")] and isinstance(index, LSH)
