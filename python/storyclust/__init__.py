"""storyclust: near-duplicate news articles and stories inside topics, from Python.

The work runs in the Rust library with the GIL released; this module turns Python records
(dicts, a pandas DataFrame or a pyarrow Table) into columns and results into Python objects.
"""

from __future__ import annotations

import json
import operator
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, TypeVar

from . import _storyclust
from ._storyclust import LSH, MinHash, __version__

if TYPE_CHECKING:  # names of the stub only (lists or buffers of hashes; Arrow buffers)
    from ._storyclust import _ClusterArgs, _Hashes, _Parts

__all__ = [
    "DuplicateGroup",
    "DuplicatePair",
    "Dedup",
    "LSH",
    "MinHash",
    "Stories",
    "Story",
    "StoryMember",
    "Topic",
    "cluster",
    "dedup",
    "shingles",
    "signatures",
    "arrow_signatures",
    "arrow_band_keys",
    "arrow_cluster",
    "arrow_shingles",
    "arrow_verify",
    "stories_frame",
    "__version__",
]

_FIELDS = ("id", "text", "title", "date", "source", "url")

_U32 = 2**32 - 1
_U64 = 2**64 - 1
_MAX_NUM_PERM = 4096  # the library's MinHashParams::MAX_NUM_PERM


def _int(name: str, value: Any, low: int, high: int) -> int:
    """An integer parameter in ``low..=high``, else a ValueError naming it."""
    try:
        v = operator.index(value) if not isinstance(value, bool) else None
    except TypeError:
        v = None
    if v is None or not low <= v <= high:
        raise ValueError(f"{name} must be an integer from {low} to {high}, not {value!r}")
    return v


def _unit(name: str, value: Any) -> float:
    """A number in (0, 1], else a ValueError naming it."""
    try:
        v = float(value) if not isinstance(value, (bool, str, bytes)) else float("nan")
    except (TypeError, ValueError):
        v = float("nan")
    if not 0.0 < v <= 1.0:
        raise ValueError(f"{name} must be a number in (0, 1], not {value!r}")
    return v


def _missing(value: Any) -> bool:
    """None, NaN, NaT (pandas or numpy) or pd.NA: what pandas and pyarrow give for a missing
    cell (checked without importing either)."""
    if value is None or type(value).__name__ == "NAType":
        return True
    try:
        # NaN and NaT are the values unequal to themselves.
        return bool(value != value)
    except (TypeError, ValueError):
        return False


def _optional(value: Any) -> Optional[str]:
    # Dates may be date objects (datetime, pandas Timestamp): read in ISO form.
    if _missing(value):
        return None
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


_Columns = Tuple[List[str], List[str], List[Optional[str]], List[Optional[str]], List[Optional[str]], List[Optional[str]]]


def _columns(records: Any) -> _Columns:
    """Columns id, text, title, date, source, url from dicts, a pandas DataFrame or a pyarrow
    Table / RecordBatch (neither library is imported unless the records are one of them)."""
    columns: Dict[str, List[Any]]
    if hasattr(records, "column_names") and hasattr(records, "to_pydict"):
        data = records.to_pydict()  # pyarrow Table or RecordBatch
        columns = {k: data[k] for k in _FIELDS if k in data}
        n = records.num_rows
    elif hasattr(records, "columns") and hasattr(records, "to_dict") and hasattr(records, "iloc"):
        columns = {k: records[k].tolist() for k in _FIELDS if k in records.columns}
        n = len(records)
    else:
        rows = list(records)
        n = len(rows)
        columns = {k: [] for k in _FIELDS}
        for i, row in enumerate(rows):
            if not isinstance(row, dict):
                raise TypeError(f"record {i} is a {type(row).__name__}, not a dict")
            for k in _FIELDS:
                columns[k].append(row.get(k))
    for required in ("id", "text"):
        values = columns.get(required)
        if values is None or any(_optional(v) is None for v in values):
            raise ValueError(f"every record needs {_article(required)} {required!r}")
    missing = [None] * n
    return (
        [str(v) for v in columns["id"]],
        [str(v) for v in columns["text"]],
        [_optional(v) for v in columns.get("title", missing)],
        [_optional(v) for v in columns.get("date", missing)],
        [_optional(v) for v in columns.get("source", missing)],
        [_optional(v) for v in columns.get("url", missing)],
    )


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


@dataclass(frozen=True)
class DuplicatePair:
    """Two near-duplicate records (``a < b`` by input position) and their Jaccard."""

    a: str
    b: str
    jaccard: float

    def to_dict(self) -> Dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class DuplicateGroup:
    """Near-duplicates: the canonical record (earliest date, then longest text, then
    smallest id) and the others with their Jaccard to it."""

    canonical: str
    copies: List[Tuple[str, float]]

    @property
    def ids(self) -> List[str]:
        return [self.canonical] + [m for m, _ in self.copies]

    def to_dict(self) -> Dict[str, Any]:
        # The names of `storyclust dedup --groups`.
        return {"canonical": self.canonical, "copies": [{"id": m, "jaccard": j} for m, j in self.copies]}


@dataclass(frozen=True)
class Dedup:
    """What :func:`dedup` found: verified pairs (sorted by input position) and groups."""

    pairs: List[DuplicatePair]
    groups: List[DuplicateGroup]

    def __iter__(self) -> Iterator[DuplicateGroup]:
        return iter(self.groups)

    def __len__(self) -> int:
        return len(self.groups)

    def to_dict(self) -> Dict[str, Any]:
        return {"pairs": [p.to_dict() for p in self.pairs], "groups": [g.to_dict() for g in self.groups]}


def dedup(
    records: Any,
    threshold: float = 0.8,
    *,
    ngram: int = 3,
    num_perm: int = 128,
    seed: int = 1,
    scheme: str = "fast",
    bands: Optional[int] = None,
    rows: Optional[int] = None,
    verify: str = "exact",
    exact: bool = False,
    bucket_cap: int = 1000,
) -> Dedup:
    """Near-duplicate records: shingle Jaccard at or above ``threshold``, found by MinHash
    and LSH and verified exactly (or by an exact join with ``exact=True``). The defaults are
    ``storyclust dedup``'s, so the pairs are the CLI's. Each record's title and text are
    shingled together, with HTML entities decoded, as the CLI reads them. The exact join
    uses no signature: with ``exact=True``, giving ``num_perm``, ``seed``, ``scheme``,
    ``bands``, ``rows``, ``verify`` or ``bucket_cap`` a value other than its default raises
    a ValueError naming it. A date that cannot be read is a warning, and the record is kept
    undated (as the CLI reads a file)."""
    threshold = _unit("threshold", threshold)
    ngram = _int("ngram", ngram, 1, _U32)
    num_perm = _int("num_perm", num_perm, 1, _MAX_NUM_PERM)
    seed = _int("seed", seed, 0, _U64)
    bands = None if bands is None else _int("bands", bands, 1, _MAX_NUM_PERM)
    rows = None if rows is None else _int("rows", rows, 1, _MAX_NUM_PERM)
    bucket_cap = _int("bucket_cap", bucket_cap, 0, _U32)
    columns = _columns(records)
    ids = columns[0]
    pairs, groups = _storyclust.dedup(
        columns, threshold, ngram, num_perm, seed, scheme,
        bands, rows, verify, exact, bucket_cap,
    )
    return Dedup(
        pairs=[DuplicatePair(ids[a], ids[b], j) for a, b, j in pairs],
        groups=[DuplicateGroup(ids[c], [(ids[m], j) for m, j in members]) for c, members in groups],
    )


@dataclass(frozen=True)
class StoryMember:
    id: str
    headline: str
    source: Optional[str]
    date: Optional[str]
    url: Optional[str]
    similarity: float

    def to_dict(self) -> Dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Story:
    """One story: its articles (most central first), label, headline and topic."""

    id: int
    size: int
    label: List[str]
    headline: str
    representative: str
    members: List[StoryMember]
    sources: List[Dict[str, Any]]  # {"name": ..., "count": ...}, most articles first
    first_date: Optional[str]
    last_date: Optional[str]
    key_sentences: List[str]
    duplicate_groups: List[Dict[str, Any]]
    cohesion: float
    lang: str
    topic: int
    # The earliest-dated article, as the CLI writes it: {"id", "source", "date", "headline",
    # "url"}; None when no article is dated.
    first_publisher: Optional[Dict[str, Any]] = None

    @property
    def ids(self) -> List[str]:
        return [m.id for m in self.members]

    def to_dict(self) -> Dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Topic:
    """Related stories (by story id, largest first)."""

    id: int
    size: int
    label: List[str]
    headline: str
    stories: List[int]
    first_date: Optional[str]
    last_date: Optional[str]

    def to_dict(self) -> Dict[str, Any]:
        return asdict(self)


_T = TypeVar("_T")


def _build(cls: Callable[..., _T], data: Dict[str, Any], **nested: Any) -> _T:
    # Only the fields the class declares: the library may add fields without breaking this.
    names = getattr(cls, "__dataclass_fields__")
    values = {k: v for k, v in data.items() if k in names}
    values.update(nested)
    for name in names:
        values.setdefault(name, None)
    return cls(**values)


@dataclass(frozen=True)
class Stories:
    """What :func:`cluster` found: stories (by size, singletons last), topics, and each
    record's story and topic id by record id."""

    stories: List[Story]
    topics: List[Topic]
    story_of: Dict[str, int] = field(repr=False)
    topic_of: Dict[str, int] = field(repr=False)

    def __iter__(self) -> Iterator[Story]:
        return iter(self.stories)

    def __len__(self) -> int:
        return len(self.stories)

    def to_dict(self) -> Dict[str, Any]:
        return {"stories": [s.to_dict() for s in self.stories], "topics": [t.to_dict() for t in self.topics]}

    def to_pandas(self) -> Any:
        """One row per article: story, topic, article id, headline, source, date, url,
        similarity, and the story's size, label, headline and first publisher's id. Needs
        pandas."""
        return stories_frame(self)


def cluster(
    records: Any,
    *,
    threshold: float = 0.25,
    duplicate_threshold: float = 0.8,
    topic_threshold: float = 0.08,
    window_days: int = 3,
    refine: int = 1,
    label_terms: int = 5,
    key_sentences: int = 3,
) -> Stories:
    """Groups records into stories inside topics (``storyclust cluster``'s defaults;
    ``window_days=0`` for no date window). Titles and texts are read as :func:`dedup`
    reads them (HTML entities decoded)."""
    args = _cluster_args(threshold, duplicate_threshold, topic_threshold, window_days, refine, label_terms, key_sentences)
    columns = _columns(records)
    ids = columns[0]
    raw, story_ids, topic_ids = _storyclust.cluster(columns, *args)
    data = json.loads(raw)
    stories = [
        _build(
            Story,
            s,
            members=[_build(StoryMember, m) for m in s.get("members", [])],
            sources=list(s.get("sources", [])),
        )
        for s in data.get("stories", [])
    ]
    topics = [_build(Topic, t) for t in data.get("topics", [])]
    return Stories(
        stories=stories,
        topics=topics,
        story_of=dict(zip(ids, story_ids)),
        topic_of=dict(zip(ids, topic_ids)),
    )


def _cluster_args(
    threshold: Any, duplicate_threshold: Any, topic_threshold: Any, window_days: Any, refine: Any, label_terms: Any,
    key_sentences: Any,
) -> _ClusterArgs:
    return (
        _unit("threshold", threshold),
        _unit("duplicate_threshold", duplicate_threshold),
        _unit("topic_threshold", topic_threshold),
        _int("window_days", window_days, 0, _U32),
        _int("refine", refine, 0, _U32),
        _int("label_terms", label_terms, 0, _U32),
        _int("key_sentences", key_sentences, 0, _U32),
    )


def stories_frame(stories: Stories) -> Any:
    """A pandas DataFrame with one row per article of ``stories``."""
    try:
        import pandas as pd
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("stories_frame needs pandas: pip install pandas") from e
    rows = [
        {
            "story": s.id,
            "topic": s.topic,
            "id": m.id,
            "headline": m.headline,
            "source": m.source,
            "date": m.date,
            "url": m.url,
            "similarity": m.similarity,
            "story_size": s.size,
            "story_label": " ".join(s.label),
            "story_headline": s.headline,
            "first_publisher": (s.first_publisher or {}).get("id"),
        }
        for s in stories.stories
        for m in s.members
    ]
    columns = [
        "story", "topic", "id", "headline", "source", "date", "url", "similarity",
        "story_size", "story_label", "story_headline", "first_publisher",
    ]
    return pd.DataFrame(rows, columns=columns)


def shingles(text: str, ngram: int = 3) -> List[int]:
    """The shingle hashes (sorted, no repeats) the library uses for one article's text (as
    given: no HTML entities decoded, no title added; see :func:`dedup`)."""
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, not {type(text).__name__}")
    return _storyclust.shingle_sets([text], _int("ngram", ngram, 1, _U32))[0]


def signatures(sets: Iterable[_Hashes], num_perm: int = 128, seed: int = 1, scheme: str = "fast") -> List[List[int]]:
    """Signatures of many sets of 64-bit hashes in one call (in parallel, GIL released). A
    set may be a list or tuple of ints, a uint64 buffer (numpy array) or any iterable."""
    return _storyclust.signatures(sets, num_perm, seed, scheme)


def _bytes(buffer: Any) -> memoryview:
    # Arrow buffers export signed bytes ("b"); the kernels read unsigned ones, in place.
    return memoryview(buffer if buffer is not None else b"").cast("B")


def _arrow_column(column: Any, caller: str) -> None:
    """A TypeError unless ``column`` is a pyarrow Array or ChunkedArray."""
    import pyarrow as pa

    if not isinstance(column, (pa.Array, pa.ChunkedArray)):
        raise TypeError(f"{caller} expects a pyarrow Array or ChunkedArray, got {type(column).__name__}")


def _chunks(column: Any, caller: str) -> List[Any]:
    """The chunks of a pyarrow Array or ChunkedArray."""
    import pyarrow as pa

    _arrow_column(column, caller)
    return list(column.chunks) if isinstance(column, pa.ChunkedArray) else [column]


def _one_array(column: Any, caller: str) -> Any:
    """A pyarrow Array or ChunkedArray as one Array (chunks joined in Arrow, no Python
    object per row)."""
    import pyarrow as pa

    _arrow_column(column, caller)
    if isinstance(column, pa.ChunkedArray):
        if column.num_chunks == 0:
            return pa.array([], type=column.type)
        return column.combine_chunks() if column.num_chunks > 1 else column.chunk(0)
    return column


def _parts(chunk: Any) -> Tuple[_Parts, bool]:
    """The buffers of a string or list<uint64> array for the kernels, and whether it holds
    texts. Null texts are empty; null shingle sets are refused."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = chunk.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        if chunk.null_count:
            chunk = pc.fill_null(chunk, "")
        _, offsets, data = chunk.buffers()
        width = 4 if pa.types.is_string(kind) else 8
        return (_bytes(offsets), _bytes(data), width, chunk.offset, len(chunk), 0), True
    if (pa.types.is_list(kind) or pa.types.is_large_list(kind)) and kind.value_type == pa.uint64():
        if chunk.null_count:
            raise ValueError("shingle sets must not be null (use an empty list)")
        values = chunk.values
        if values.null_count:
            raise ValueError("shingle sets must not hold nulls")
        width = 4 if pa.types.is_list(kind) else 8
        offsets, data = chunk.buffers()[1], values.buffers()[1]
        return (_bytes(offsets), _bytes(data), width, chunk.offset, len(chunk), values.offset), False
    raise TypeError(f"need a string column or a list<uint64> column of shingle sets, not {kind}")


def arrow_shingles(column: Any, *, ngram: int = 3) -> Any:
    """Shingle sets of a pyarrow string column as a ``LargeListArray<uint64>`` (each row's
    hashes sorted, no repeats: :func:`shingles` per row, no Python object per row). Pass it
    to :func:`arrow_signatures` and :func:`arrow_verify` to analyse each text once."""
    import pyarrow as pa

    ngram = _int("ngram", ngram, 1, _U32)
    parts = []
    for chunk in _chunks(column, "arrow_shingles"):
        spec, is_text = _parts(chunk)
        if not is_text:
            raise TypeError(f"need a string column, not {chunk.type}")
        offsets, values = _storyclust.arrow_shingles(spec, ngram)
        values = pa.Array.from_buffers(pa.uint64(), len(values) // 8, [None, pa.py_buffer(values)])
        offsets = pa.Array.from_buffers(pa.int64(), len(chunk) + 1, [None, pa.py_buffer(offsets)])
        parts.append(pa.LargeListArray.from_arrays(offsets, values))
    if not parts:
        return pa.array([], type=pa.large_list(pa.uint64()))
    return parts[0] if len(parts) == 1 else pa.concat_arrays(parts)


def arrow_signatures(column: Any, *, ngram: int = 3, num_perm: int = 128, seed: int = 1, scheme: str = "fast") -> Any:
    """Signatures of a pyarrow string column (one text per row) or of a ``list<uint64>``
    column of shingle sets (:func:`arrow_shingles`) as a
    ``FixedSizeListArray<uint32>[num_perm]``: Arrow buffers in, Arrow buffers out, no Python
    object per row. A text's shingles are those of :func:`shingles` (no corpus-level
    boilerplate), so a row's signature does not depend on its batch."""
    import pyarrow as pa

    k = _int("num_perm", num_perm, 1, _MAX_NUM_PERM)
    ngram = _int("ngram", ngram, 1, _U32)
    seed = _int("seed", seed, 0, _U64)
    parts = []
    for chunk in _chunks(column, "arrow_signatures"):
        spec, is_text = _parts(chunk)
        raw = _storyclust.arrow_signatures(spec, is_text, ngram, k, seed, scheme)
        values = pa.Array.from_buffers(pa.uint32(), len(chunk) * k, [None, pa.py_buffer(raw)])
        parts.append(pa.FixedSizeListArray.from_arrays(values, k))
    if not parts:
        return pa.array([], type=pa.list_(pa.uint32(), k))
    return parts[0] if len(parts) == 1 else pa.concat_arrays(parts)


def arrow_band_keys(signatures: Any, *, bands: int, rows: int) -> Any:
    """LSH band keys of a ``FixedSizeListArray<uint32>`` of signatures as a
    ``FixedSizeListArray<uint64>[bands]``: rows sharing a key in some band are candidates
    (the keys :func:`dedup` and :class:`LSH` bucket by)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    bands = _int("bands", bands, 1, _MAX_NUM_PERM)
    rows = _int("rows", rows, 1, _MAX_NUM_PERM)
    signatures = _one_array(signatures, "arrow_band_keys")
    kind = signatures.type
    if not pa.types.is_fixed_size_list(kind) or kind.value_type != pa.uint32():
        raise TypeError(
            f"arrow_band_keys expects a FixedSizeList<uint32> of signatures (as arrow_signatures "
            f"gives), got {kind}"
        )
    k = kind.list_size
    # flatten() drops null rows, so they are looked for first.
    if signatures.null_count:
        row = pc.index(signatures.is_null(), True).as_py()
        raise ValueError(f"signature row {row} is null (every row needs a signature)")
    flat = signatures.flatten()
    if flat.null_count:
        row = pc.index(flat.is_null(), True).as_py() // k
        raise ValueError(f"signature row {row} holds a null slot")
    values = flat.buffers()[1][flat.offset * 4 : (flat.offset + len(flat)) * 4]
    raw = _storyclust.arrow_band_keys(_bytes(values), k, bands, rows)
    values = pa.Array.from_buffers(pa.uint64(), len(signatures) * bands, [None, pa.py_buffer(raw)])
    return pa.FixedSizeListArray.from_arrays(values, bands)


def _row_indexes(values: Any, name: str) -> memoryview:
    """Row indexes (an integer pyarrow array, numpy array or sequence) as a uint32 buffer."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = _one_array(values, name) if isinstance(values, (pa.Array, pa.ChunkedArray)) else pa.array(values)
    if len(array) == 0:
        return memoryview(b"")
    if array.type == pa.uint32() and not array.null_count:
        # Already the kernels' type: the range is checked against the rows in Rust.
        return _bytes(array.buffers()[1])[array.offset * 4 : (array.offset + len(array)) * 4]
    if not pa.types.is_integer(array.type):
        raise TypeError(f"{name} must hold integer row indexes, not {array.type}")
    if array.null_count:
        raise ValueError(f"{name} must not hold nulls")
    if pc.min(array).as_py() < 0:
        raise ValueError(f"{name} holds a negative row index")
    if pc.max(array).as_py() >= 2**32:
        raise ValueError(f"{name} holds a row index beyond 2**32")
    array = array.cast(pa.uint32())
    return _bytes(array.buffers()[1])[array.offset * 4 : (array.offset + len(array)) * 4]


def arrow_verify(column: Any, left: Any, right: Any, *, ngram: int = 3) -> Any:
    """Exact verification of candidate pairs: the shingle Jaccard of rows ``left[i]`` and
    ``right[i]`` of ``column`` (texts, or shingle sets from :func:`arrow_shingles`), as a
    ``DoubleArray``: the score :func:`dedup` verifies with. Keep the pairs at or above a
    threshold with ``pyarrow.compute.greater_equal``."""
    import pyarrow as pa

    ngram = _int("ngram", ngram, 1, _U32)
    spec, is_text = _parts(_one_array(column, "arrow_verify"))
    raw = _storyclust.arrow_verify(spec, is_text, ngram, _row_indexes(left, "left"), _row_indexes(right, "right"))
    return pa.Array.from_buffers(pa.float64(), len(raw) // 8, [None, pa.py_buffer(raw)])


def arrow_cluster(
    partition: Any,
    *,
    threshold: float = 0.25,
    duplicate_threshold: float = 0.8,
    topic_threshold: float = 0.08,
    window_days: int = 3,
    refine: int = 1,
    label_terms: int = 5,
    key_sentences: int = 3,
) -> Any:
    """Story clustering of one partition (a pyarrow Table or RecordBatch with columns id,
    text and optionally title, date, source, url): a Table of each row's ``story`` and ``topic``
    id (uint32), the ids :func:`cluster` gives for the same records, read from the Arrow
    buffers with no Python object per row. Options as :func:`cluster`; as there, a null id or
    text is refused, and nulls elsewhere are missing values."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not isinstance(partition, (pa.Table, pa.RecordBatch)):
        raise TypeError(f"arrow_cluster expects a pyarrow Table or RecordBatch, got {type(partition).__name__}")
    args = _cluster_args(threshold, duplicate_threshold, topic_threshold, window_days, refine, label_terms, key_sentences)
    names = set(partition.column_names)
    if not {"id", "text"} <= names:
        raise ValueError("the partition needs columns 'id' and 'text'")

    def strings(name: str, required: bool = False) -> _Parts:
        column = _one_array(partition.column(name), "arrow_cluster")
        if required and column.null_count:
            raise ValueError(f"every record needs {_article(name)} {name!r}")
        if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
            column = pc.cast(column, pa.string())
        return _parts(column)[0]

    def optional(name: str) -> Optional[_Parts]:
        return strings(name) if name in names else None

    story, topic = _storyclust.arrow_cluster(
        strings("id", True), strings("text", True), optional("title"), optional("date"), optional("source"),
        optional("url"), args,
    )
    n = partition.num_rows

    def ids(raw: bytes) -> Any:
        return pa.Array.from_buffers(pa.uint32(), n, [None, pa.py_buffer(raw)])

    return pa.table({"story": ids(story), "topic": ids(topic)})
