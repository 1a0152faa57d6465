import itertools
import json
import os
import pathlib
import subprocess

import pytest

import storyclust
from conftest import REPO


def exact_jaccard(a, b):
    a, b = set(a), set(b)
    return len(a & b) / len(a | b) if a | b else 0.0


def brute_force_pairs(records, threshold, ngram=3):
    sets = {r["id"]: storyclust.shingles(r["text"], ngram) for r in records}
    out = {}
    for x, y in itertools.combinations(sorted(sets), 2):
        j = exact_jaccard(sets[x], sets[y])
        if j >= threshold:
            out[(x, y)] = j
    return out


def found_pairs(result):
    return {tuple(sorted((p.a, p.b))): p.jaccard for p in result.pairs}


def test_finds_known_duplicates(seeds):
    copy = dict(seeds[1], id="copy-of-001")
    edited = dict(seeds[3], id="edited-003", text=seeds[3]["text"].replace("ترامب", "ترمب", 1))
    result = storyclust.dedup(seeds + [copy, edited], threshold=0.8)
    pairs = found_pairs(result)
    assert ("001_524dbf3e1fa399e8", "copy-of-001") in pairs
    assert pairs[("001_524dbf3e1fa399e8", "copy-of-001")] == 1.0
    assert any("edited-003" in p for p in pairs)
    groups = {frozenset(g.ids) for g in result.groups}
    assert frozenset({"001_524dbf3e1fa399e8", "copy-of-001"}) in groups
    assert result.to_dict()["groups"]


def test_pairs_equal_brute_force_and_exact_join(corpus):
    # Without titles, a record's shingles are those of its text alone.
    corpus = [{k: v for k, v in r.items() if k != "title"} for r in corpus]
    truth = brute_force_pairs(corpus, 0.7)
    assert len(truth) >= 20
    lsh = found_pairs(storyclust.dedup(corpus, threshold=0.7))
    join = found_pairs(storyclust.dedup(corpus, threshold=0.7, exact=True))
    assert join.keys() == truth.keys()
    for k, j in truth.items():
        assert join[k] == pytest.approx(j)
    # LSH is approximate in recall only: every pair it reports is a true one.
    assert lsh.keys() <= truth.keys()
    assert len(lsh) >= 0.95 * len(truth)


def test_deterministic_and_input_order_independent(corpus):
    a = storyclust.dedup(corpus, threshold=0.6)
    b = storyclust.dedup(list(reversed(corpus)), threshold=0.6)
    assert found_pairs(a) == found_pairs(b)
    assert {frozenset(g.ids) for g in a.groups} == {frozenset(g.ids) for g in b.groups}
    assert a == storyclust.dedup(corpus, threshold=0.6)


def test_rejects_bad_input(corpus):
    with pytest.raises(ValueError):
        storyclust.dedup(corpus, threshold=1.5)
    with pytest.raises(ValueError):
        storyclust.dedup(corpus, bands=40, rows=4)
    with pytest.raises(ValueError):
        storyclust.dedup([{"id": "x", "text": "a"}, {"id": "x", "text": "b"}])
    with pytest.raises(ValueError):
        storyclust.dedup([{"id": "x"}])


def cli_binary():
    path = os.environ.get("STORYCLUST_BIN")
    if path:
        assert pathlib.Path(path).exists(), f"STORYCLUST_BIN={path} does not exist"
        return path
    default = REPO / "target" / "release" / "storyclust"
    if not default.exists():
        pytest.skip("no storyclust binary (build with cargo build --release or set STORYCLUST_BIN)")
    return str(default)


@pytest.mark.parametrize("threshold", [0.5, 0.8])
def test_same_pairs_as_the_cli(corpus, tmp_path, threshold):
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in corpus), encoding="utf-8")
    pairs_file = tmp_path / "pairs.tsv"
    subprocess.run(
        [cli_binary(), "--quiet", "dedup", str(path), "--threshold", str(threshold), "--pairs", str(pairs_file)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    cli = {}
    for line in pairs_file.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("id_a\t"):
            continue
        a, b, j = line.split("\t")
        cli[(a, b)] = float(j)
    ours = found_pairs(storyclust.dedup(corpus, threshold=threshold))
    assert cli, "the CLI found no pairs"
    assert ours.keys() == cli.keys()
    for k in cli:
        assert ours[k] == pytest.approx(cli[k], abs=1e-6)
