import pytest

import storyclust


def test_seed_secret_calls_share_a_story(seeds):
    result = storyclust.cluster(seeds)
    assert result.story_of["001_524dbf3e1fa399e8"] == result.story_of["003_199d0f8a0a181f90"]
    assert sum(s.size for s in result.stories) == 5
    story = next(s for s in result if "001_524dbf3e1fa399e8" in s.ids)
    assert "003_199d0f8a0a181f90" in story.ids and story.headline
    assert {t.id for t in result.topics} == {s.topic for s in result.stories}
    assert sorted(i for t in result.topics for i in t.stories) == sorted(s.id for s in result.stories)
    d = result.to_dict()
    assert d["stories"][0]["members"][0]["id"] == result.stories[0].members[0].id
    assert result.topic_of["000_c9e2560b750a6442"] == next(
        s.topic for s in result if "000_c9e2560b750a6442" in s.ids
    )


def test_deterministic(seeds):
    assert storyclust.cluster(seeds) == storyclust.cluster(list(reversed(seeds)))


def test_dates_titles_sources(corpus):
    result = storyclust.cluster(corpus[:80], window_days=0)
    assert sum(s.size for s in result.stories) == 80
    assert set(result.story_of) == {r["id"] for r in corpus[:80]}
    # As the CLI: a warning, and the record kept undated (tests/test_records.py).
    with pytest.warns(UserWarning, match="unreadable date"):
        storyclust.cluster([{"id": "a", "text": "x", "date": "not a date"}])


def test_pandas_frame(seeds):
    pd = pytest.importorskip("pandas")
    frame = storyclust.cluster(seeds).to_pandas()
    assert len(frame) == 5 and {"story", "topic", "id"} <= set(frame.columns)
    same = frame.set_index("id")["story"]
    assert same["001_524dbf3e1fa399e8"] == same["003_199d0f8a0a181f90"]
    # A DataFrame in, too.
    again = storyclust.cluster(pd.DataFrame(seeds))
    assert again == storyclust.cluster(seeds)


def test_pyarrow_table(seeds):
    pa = pytest.importorskip("pyarrow")
    table = pa.Table.from_pylist(seeds)
    assert storyclust.dedup(table) == storyclust.dedup(seeds)
    assert storyclust.cluster(table) == storyclust.cluster(seeds)
