"""Missing values read as missing, and an unreadable date is a warning (the record kept
undated), as the CLI reads a file."""

import warnings

import pytest

import storyclust
from test_params import DECODED

pd = pytest.importorskip("pandas")
np = pytest.importorskip("numpy")
pa = pytest.importorskip("pyarrow")

TEXT = DECODED  # long enough to pair with itself


def test_nat_in_a_datetime_column_reads_as_missing():
    frame = pd.DataFrame({
        "id": ["a", "b"],
        "text": [TEXT, TEXT],
        "date": pd.to_datetime(["2024-03-01", None]),
    })
    assert frame["date"].isna().tolist() == [False, True]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing date is no warning
        pairs = storyclust.dedup(frame).pairs
        stories = storyclust.cluster(frame)
    assert [(p.a, p.b) for p in pairs] == [("a", "b")]
    dates = {m.id: m.date for s in stories for m in s.members}
    assert dates["b"] is None and dates["a"].startswith("2024-03-01")


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NaT, pd.NA, np.nan, np.datetime64("NaT")])
@pytest.mark.parametrize("field", ["title", "date", "source", "url"])
def test_every_kind_of_missing_value_in_every_optional_field(missing, field):
    records = [{"id": "a", "text": TEXT, field: missing}, {"id": "b", "text": TEXT}]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = storyclust.cluster(records, window_days=0)
    member = next(m for s in result for m in s.members if m.id == "a")
    if field != "title":
        assert getattr(member, field) is None
    else:  # no title: the headline is the text's first sentence, not "nan" or "<NA>"
        assert member.headline and member.headline not in ("nan", "NaT", "<NA>", "None")
    # Required fields are still required, whatever the missing value.
    with pytest.raises(ValueError, match="every record needs a 'text'"):
        storyclust.dedup([{"id": "a", "text": missing}])


def test_pandas_nullable_string_columns():
    frame = pd.DataFrame({"id": ["a", "b"], "text": [TEXT, TEXT],
                          "source": pd.array(["wire", pd.NA], dtype="string")})
    result = storyclust.cluster(frame)
    sources = {m.id: m.source for s in result for m in s.members}
    assert sources == {"a": "wire", "b": None}


def test_an_unreadable_date_warns_and_keeps_the_record_undated():
    records = [
        {"id": "a", "text": TEXT, "date": "2024-03-01"},
        {"id": "b", "text": TEXT, "date": "next Tuesday"},
    ]
    with pytest.warns(UserWarning, match=r'record "b": unreadable date "next Tuesday"; read without a date') as caught:
        result = storyclust.cluster(records)
    assert len(caught) == 1
    # The warning points at the caller's line, not into the package.
    assert caught[0].filename == __file__
    dates = {m.id: m.date for s in result for m in s.members}
    assert dates["b"] is None and dates["a"].startswith("2024-03-01")
    assert result.story_of["a"] == result.story_of["b"]
    with pytest.warns(UserWarning, match='record "b": unreadable date'):
        assert [(p.a, p.b) for p in storyclust.dedup(records).pairs] == [("a", "b")]
    table = pa.Table.from_pylist(records)
    with pytest.warns(UserWarning, match='record "b": unreadable date'):
        story = storyclust.arrow_cluster(table).column("story").to_pylist()
    assert story[0] == story[1]


def test_warnings_can_be_made_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(UserWarning, match="unreadable date"):
            storyclust.dedup([{"id": "a", "text": TEXT, "date": "soon"}])


def test_dates_of_several_types():
    import datetime

    records = [
        {"id": "a", "text": TEXT, "date": datetime.date(2024, 3, 1)},
        {"id": "b", "text": TEXT, "date": pd.Timestamp("2024-03-02T10:00:00")},
        {"id": "c", "text": TEXT, "date": "2024-03-03"},
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = storyclust.cluster(records, window_days=0)
    dates = {m.id: m.date for s in result for m in s.members}
    assert all(dates[i] for i in "abc"), dates
