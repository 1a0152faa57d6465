"""The package as a typed user writes it. `mypy --strict tests/test_typed.py` (run by
.ci/run) checks it against the stubs; pytest runs it against the module. Each
`# type: ignore[code]` below is a misuse the stubs must reject (`--strict` reports an
ignore that is no longer needed) and the test checks that the runtime rejects it too."""

from __future__ import annotations

import pickle
import sys
from array import array
from collections.abc import Hashable

import numpy as np
import pytest

import storyclust
from storyclust import LSH, Dedup, MinHash, Stories

if sys.version_info >= (3, 11):
    from typing import assert_type
else:  # mypy checks as 3.11+; at run time assert_type is a no-op anyway

    def assert_type(value: object, kind: object) -> object:
        return value

FLOOD = ("The river burst its banks overnight and flooded the old town of Ayr. "
         "Rescue teams moved two hundred families to the school on the hill.")


def test_minhash_types_and_values() -> None:
    m = MinHash()
    assert (m.num_perm, m.seed, m.scheme) == (128, 1, "fast")
    hashes = storyclust.shingles(FLOOD)
    assert_type(hashes, list[int])
    m.update_hashes(hashes)
    # A uint64 buffer (numpy, array('Q')) is a set of hashes as well.
    from_numpy, from_array = MinHash(), MinHash()
    from_numpy.update_hashes(np.array(hashes, dtype=np.uint64))
    from_array.update_hashes(array("Q", hashes))
    assert m == from_numpy == from_array
    digest = m.digest()
    assert_type(digest, list[int])
    assert digest == m.hashvalues and len(digest) == len(m) == 128
    other = MinHash(num_perm=128, seed=1)
    other.update(["a token", b"bytes too"])
    other.update("one more")
    j = m.jaccard(other)
    assert_type(j, float)
    assert 0.0 <= j < 1.0
    copy = m.copy()
    copy.merge(other)
    assert copy != m and not copy.is_empty()
    assert pickle.loads(pickle.dumps(copy)) == copy


def test_bulk_and_signatures_take_lists_and_buffers() -> None:
    sets = [storyclust.shingles(t) for t in (FLOOD, FLOOD + " More words here.")]
    many = MinHash.bulk(sets)
    assert_type(many, list[MinHash])
    arrays = [np.array(s, dtype=np.uint64) for s in sets]
    assert MinHash.bulk(arrays) == many
    sigs = storyclust.signatures(arrays, num_perm=64, scheme="classic")
    assert_type(sigs, list[list[int]])
    assert sigs == storyclust.signatures(sets, num_perm=64, scheme="classic")
    assert sigs[0] == MinHash.bulk(sets, num_perm=64, scheme="classic")[0].digest()


def test_lsh_types() -> None:
    index = LSH(threshold=0.5, num_perm=128)
    assert (index.threshold, index.num_perm) == (0.5, 128)
    assert index.bands * index.rows <= index.num_perm
    m = MinHash()
    m.update_hashes(storyclust.shingles(FLOOD))
    index.insert("doc-1", m)
    index.insert(("a", 2), m)
    found = index.query(m)
    assert_type(found, list[Hashable])
    assert found == ["doc-1", ("a", 2)] == index.keys()
    assert "doc-1" in index and len(index) == 2
    index.remove("doc-1")
    assert index.query(m) == [("a", 2)]


def test_high_level_results_are_typed() -> None:
    records = [
        {"id": "a1", "text": FLOOD, "title": "Floods in Ayr", "date": "2024-03-01"},
        {"id": "a2", "text": FLOOD + " Reporting by our staff.", "title": "Floods in Ayr", "date": "2024-03-02"},
    ]
    dups = storyclust.dedup(records, threshold=0.8)
    assert_type(dups, Dedup)
    assert [(p.a, p.b) for p in dups.pairs] == [("a1", "a2")]
    assert [g.ids for g in dups] == [["a1", "a2"]]
    stories = storyclust.cluster(records)
    assert_type(stories, Stories)
    assert [sorted(s.ids) for s in stories] == [["a1", "a2"]]
    assert stories.story_of["a1"] == stories.story_of["a2"]


def test_misuse_the_stubs_reject_fails_at_run_time() -> None:
    m = MinHash()
    with pytest.raises(AttributeError):
        m.num_perm = 64  # type: ignore[misc]
    with pytest.raises(TypeError):

        class Sub(MinHash):  # type: ignore[misc]
            pass

    with pytest.raises(TypeError):
        m.jaccard([1, 2, 3])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="num_perm"):
        MinHash(num_perm=None)  # type: ignore[arg-type]
