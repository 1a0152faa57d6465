"""Bad parameters give ValueErrors naming them; records are read as the CLI reads them
(HTML entities decoded, url kept); LSH refuses MinHashes of other parameters."""

import dataclasses
import inspect
import pickle
import re
import subprocess

import pandas as pd
import pyarrow as pa
import pytest

import storyclust
from test_dedup import cli_binary

RECORD = {"id": "a", "text": "one two three four five six seven"}

# Each raised an allocation failure (abort) or hung in LshParams::optimal before.
HUGE = 10**12


@pytest.mark.parametrize("num_perm", [0, -5, 4097, 10**6, HUGE, 2**64, 1.5, "128", True, None])
def test_num_perm_out_of_range_is_a_value_error_naming_it(num_perm):
    calls = [
        lambda: storyclust.MinHash(num_perm=num_perm),
        lambda: storyclust.MinHash.bulk([[1]], num_perm=num_perm),
        lambda: storyclust.signatures([[1]], num_perm=num_perm),
        lambda: storyclust.dedup([RECORD], num_perm=num_perm),
        lambda: storyclust.dedup([RECORD], num_perm=num_perm, exact=True),
        lambda: storyclust.LSH(num_perm=num_perm),
        lambda: storyclust.arrow_signatures(pa.array(["one two three"]), num_perm=num_perm),
    ]
    for call in calls:
        with pytest.raises(ValueError, match="num_perm must be an integer from 1 to 4096"):
            call()


def test_defaults_are_the_clis_and_python_sees_them():
    # Python sees each default (`inspect.signature`, the stubs): no None standing for 128.
    # They are the CLI's, which come from the library's `Default`s.
    help_text = subprocess.run(
        [cli_binary(), "dedup", "--help"], check=True, capture_output=True, text=True
    ).stdout
    cli = {
        name: int(re.search(rf"--{flag} <\w+>\n.*?\[default: (\d+)\]", help_text, re.S).group(1))
        for name, flag in [("num_perm", "num-perm"), ("seed", "seed")]
    }
    assert cli == {"num_perm": 128, "seed": 1}
    scheme = re.search(r"--scheme <\w+>\n.*?\[default: (\w+)\]", help_text, re.S).group(1)
    assert scheme == "fast"
    cli_scheme = {"scheme": scheme}
    entry_points = [
        storyclust.MinHash, storyclust.MinHash.bulk, storyclust.LSH, storyclust.signatures,
        storyclust._storyclust.signatures, storyclust.dedup, storyclust.arrow_signatures,
    ]
    for f in entry_points:
        params = inspect.signature(f).parameters
        for name, value in cli.items():
            if name in params:
                assert params[name].default == value, (f, name)
        if "scheme" in params:
            assert params["scheme"].default == cli_scheme["scheme"], f
    m = storyclust.MinHash()
    assert (m.num_perm, m.seed, m.scheme) == (cli["num_perm"], cli["seed"], scheme)
    assert storyclust.LSH().num_perm == cli["num_perm"]


def test_num_perm_at_the_limits_works():
    for k in (1, 4096):
        m = storyclust.MinHash(num_perm=k)
        m.update_hashes([1, 2, 3])
        assert len(m.digest()) == k
        assert len(storyclust.signatures([[1, 2, 3]], num_perm=k)[0]) == k
        assert storyclust.MinHash.bulk([[1, 2, 3]], num_perm=k)[0] == m
        assert storyclust.LSH(num_perm=k).num_perm == k
    assert storyclust.dedup([RECORD], num_perm=4096).pairs == []


def test_library_check_refuses_num_perm_past_its_limit():
    # The native function is reached with the Python checks skipped: the library's own
    # DedupOptions::check refuses, named by the parameter.
    columns = storyclust._columns([RECORD])
    with pytest.raises(ValueError, match=r"num_perm: 1000000 is not in 1\.\.=4096"):
        storyclust._storyclust.dedup(columns, 0.8, 3, 10**6, 1, "fast", None, None, "exact", False, 1000)


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: storyclust.cluster([RECORD], window_days=-1), "window_days"),
        (lambda: storyclust.cluster([RECORD], refine=-1), "refine"),
        (lambda: storyclust.cluster([RECORD], label_terms=2**70), "label_terms"),
        (lambda: storyclust.cluster([RECORD], key_sentences="3"), "key_sentences"),
        (lambda: storyclust.dedup([RECORD], ngram=0), "ngram"),
        (lambda: storyclust.dedup([RECORD], seed=-1), "seed"),
        (lambda: storyclust.dedup([RECORD], bands=-2, rows=4), "bands"),
        (lambda: storyclust.dedup([RECORD], bucket_cap=-1), "bucket_cap"),
        (lambda: storyclust.MinHash(seed=-1), "seed"),
        (lambda: storyclust.MinHash(seed=2**64), "seed"),
        (lambda: storyclust.MinHash.bulk([[1]], seed=-1), "seed"),
        (lambda: storyclust.signatures([[1]], seed=-1), "seed"),
        (lambda: storyclust.LSH(bands=-1, rows=2), "bands"),
        (lambda: storyclust.shingles("a b c", ngram=-1), "ngram"),
        (lambda: storyclust.arrow_shingles(pa.array(["a"]), ngram=-1), "ngram"),
        (lambda: storyclust.arrow_band_keys(storyclust.arrow_signatures(pa.array(["a"])), bands=-1, rows=8), "bands"),
        (lambda: storyclust.arrow_cluster(pa.table({"id": ["a"], "text": ["x"]}), window_days=-1), "window_days"),
    ],
)
def test_integer_parameters_are_value_errors_naming_them(call, name):
    with pytest.raises(ValueError, match=f"^{name} must be an integer from"):
        call()


@pytest.mark.parametrize("value", [float("nan"), 0.0, -0.5, 1.5, float("inf"), "0.8", None])
def test_thresholds_must_be_numbers_in_the_unit_interval(value):
    calls = {
        "threshold": [
            lambda: storyclust.dedup([RECORD], threshold=value),
            lambda: storyclust.cluster([RECORD], threshold=value),
            lambda: storyclust.LSH(threshold=value),
        ],
        "duplicate_threshold": [lambda: storyclust.cluster([RECORD], duplicate_threshold=value)],
        "topic_threshold": [lambda: storyclust.cluster([RECORD], topic_threshold=value)],
    }
    for name, fs in calls.items():
        for f in fs:
            with pytest.raises((ValueError, TypeError), match=name) as e:
                f()
            # A non-number reaches LSH's float argument: pyo3's TypeError names it.
            if not (isinstance(value, (str, type(None))) and e.type is TypeError):
                assert e.type is ValueError and f"{name} must be a number in (0, 1]" in str(e.value)


def test_shingles_names_its_parameter():
    with pytest.raises(ValueError, match="^text must be a str, not NoneType"):
        storyclust.shingles(None)


def test_missing_fields_are_named_with_their_article():
    with pytest.raises(ValueError, match="every record needs an 'id'"):
        storyclust.dedup([{"text": "x"}])
    with pytest.raises(ValueError, match="every record needs a 'text'"):
        storyclust.cluster([{"id": "x"}])


# Two copies of an article: one as a scraper stored it (HTML entities), one decoded.
WORDS = [f"w{i}" for i in range(40)]
ENCODED = " ".join(f"&#8220;{w}&#8221; &quot;x&quot; it&#39;s" for w in WORDS)
DECODED = " ".join(f"\u201c{w}\u201d \"x\" it's" for w in WORDS)


def _raw_jaccard(a, b):
    sa, sb = set(storyclust.shingles(a)), set(storyclust.shingles(b))
    return len(sa & sb) / len(sa | sb)


def test_html_entities_are_decoded_as_the_cli_reads_records():
    # Undecoded, the two texts are far apart: the test fails if nothing is decoded.
    assert _raw_jaccard(ENCODED, DECODED) < 0.8
    records = [
        {"id": "enc", "title": "Minister &quot;quits&quot; &#8220;today&#8221;", "text": ENCODED},
        {"id": "dec", "title": "Minister \"quits\" \u201ctoday\u201d", "text": DECODED},
    ]
    pairs = storyclust.dedup(records).pairs
    assert [(p.a, p.b) for p in pairs] == [("enc", "dec")]
    assert pairs[0].jaccard == 1.0
    result = storyclust.cluster(records)
    headlines = {m.id: m.headline for s in result for m in s.members}
    assert headlines["enc"] == "Minister \"quits\" \u201ctoday\u201d"
    assert "&quot;" not in result.to_dict().__repr__()
    table = pa.Table.from_pylist(records)
    assert storyclust.arrow_cluster(table).column("story").to_pylist() == [
        result.story_of["enc"], result.story_of["dec"]
    ]


def test_url_and_first_publisher():
    records = [
        {"id": "late", "text": DECODED, "title": "Flood in Ayr", "source": "copier",
         "date": "2024-03-02", "url": "https://example.org/late"},
        {"id": "early", "text": DECODED + " more words here", "title": "Flood in Ayr",
         "source": "wire", "date": "2024-03-01T08:00:00Z", "url": "https://example.org/early"},
        {"id": "nourl", "text": DECODED + " other words", "title": "Flood in Ayr", "date": "2024-03-03"},
    ]
    result = storyclust.cluster(records, window_days=0)
    story = result.stories[0]
    assert sorted(story.ids) == ["early", "late", "nourl"]
    urls = {m.id: m.url for m in story.members}
    assert urls == {"late": "https://example.org/late", "early": "https://example.org/early", "nourl": None}
    assert story.first_publisher["id"] == "early"
    assert story.first_publisher["source"] == "wire"
    assert story.first_publisher["date"].startswith("2024-03-01")
    assert story.first_publisher["url"] == "https://example.org/early"
    d = story.to_dict()
    assert d["first_publisher"]["id"] == "early" and {m["url"] for m in d["members"]} == set(urls.values())
    frame = result.to_pandas()
    assert [None if pd.isna(u) else u for u in frame["url"]] == [urls[i] for i in frame["id"]]
    assert set(frame["first_publisher"]) == {"early"}
    # A story with no dated article has no first publisher.
    undated = storyclust.cluster([{"id": "u", "text": DECODED}])
    assert undated.stories[0].first_publisher is None


def test_lsh_refuses_minhashes_of_another_scheme_or_seed():
    def sketch(**kw):
        m = storyclust.MinHash(**kw)
        m.update(["a", "b", "c"])
        return m

    index = storyclust.LSH(threshold=0.5)
    index.insert("classic", sketch(scheme="classic"))
    for other in (sketch(), sketch(scheme="classic", seed=2), sketch(scheme="classic", num_perm=64)):
        with pytest.raises(ValueError, match="num_perm|seed|scheme"):
            index.insert("other", other)
        with pytest.raises(ValueError, match="num_perm|seed|scheme"):
            index.query(other)
        assert "other" not in index
    index.insert("same", sketch(scheme="classic"))
    assert index.query(sketch(scheme="classic")) == ["classic", "same"]
    # An index of fast MinHashes refuses classic ones.
    fast = storyclust.LSH(threshold=0.5)
    fast.insert(1, sketch(scheme="fast"))
    with pytest.raises(ValueError, match="scheme"):
        fast.insert(2, sketch(scheme="classic"))
    assert fast.query(pickle.loads(pickle.dumps(sketch(scheme="fast")))) == [1]


# Issue 15 review: the exact join uses no signature, so a MinHash-only option given with
# exact=True would be ignored silently; each is refused by name, as the CLI refuses
# `--exact --bands`.
@pytest.mark.parametrize(
    "name, value",
    [("num_perm", 7), ("seed", 2), ("scheme", "classic"), ("bands", 3), ("rows", 2),
     ("verify", "estimate"), ("bucket_cap", 2)],
)
def test_exact_join_refuses_minhash_options(name, value):
    records = [RECORD, dict(RECORD, id="b")]
    kwargs = {name: value}
    if name in ("bands", "rows"):  # given alone, "give both" would answer instead
        kwargs = {"bands": 3, "rows": 2}
    with pytest.raises(ValueError, match=f"^{'bands' if name == 'rows' else name} has no effect with exact=True"):
        storyclust.dedup(records, exact=True, **kwargs)


def test_exact_join_refuses_the_reviewers_call_and_takes_defaults():
    records = [RECORD, dict(RECORD, id="b")]
    with pytest.raises(ValueError, match="has no effect with exact=True"):
        storyclust.dedup(records, exact=True, num_perm=7, scheme="classic", bands=3, rows=2,
                         verify="estimate", bucket_cap=2)
    # Defaults given explicitly are not "set": the same pairs as without them.
    defaults = storyclust._storyclust._library_defaults()["dedup"]
    explicit = {k: defaults[k] for k in ("num_perm", "seed", "scheme", "verify", "bucket_cap")}
    assert storyclust.dedup(records, exact=True, **explicit) == storyclust.dedup(records, exact=True)
    assert [(p.a, p.b) for p in storyclust.dedup(records, exact=True).pairs] == [("a", "b")]


@pytest.mark.parametrize("cap", [0, 1])
def test_bucket_cap_below_two_is_refused_by_the_library(cap):
    # It was clamped to 2 before reaching the library's check.
    with pytest.raises(ValueError, match="^bucket_cap: "):
        storyclust.dedup([RECORD, dict(RECORD, id="b")], bucket_cap=cap)


def _entry_points():
    """Every function and class of the package whose signature has defaults (native ones
    too), with the group of library defaults its parameters come from."""
    native = storyclust._storyclust
    cluster = [storyclust.cluster, storyclust.arrow_cluster]
    dedup = [
        storyclust.dedup, storyclust.shingles, storyclust.signatures, storyclust.arrow_shingles,
        storyclust.arrow_signatures, storyclust.arrow_band_keys, storyclust.arrow_verify,
        storyclust.MinHash, storyclust.MinHash.bulk, storyclust.LSH, native.signatures,
        native.shingle_sets,
    ]
    return [(f, "cluster") for f in cluster] + [(f, "dedup") for f in dedup]


def test_every_python_default_is_the_librarys():
    library = storyclust._storyclust._library_defaults()
    # Every public callable is covered: a new one must be added to _entry_points.
    covered = {getattr(f, "__name__", None) for f, _ in _entry_points()}
    for name in storyclust.__all__:
        obj = getattr(storyclust, name)
        if not callable(obj) or dataclasses.is_dataclass(obj):
            continue
        params = inspect.signature(obj).parameters.values()
        if any(p.default is not inspect.Parameter.empty for p in params):
            assert name in covered, f"{name} has defaults but is not checked"
    checked = 0
    for f, group in _entry_points():
        for p in inspect.signature(f).parameters.values():
            if p.default is inspect.Parameter.empty:
                continue
            assert p.name in library[group], (f, p.name)
            expected = library[group][p.name]
            assert p.default == expected and type(p.default) is type(expected), (f, p.name, p.default, expected)
            checked += 1
    assert checked >= 40
