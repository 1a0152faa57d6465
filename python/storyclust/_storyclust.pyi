# Types of the native module (python/src). Checked against the built module by
# `python -m mypy.stubtest storyclust` (see python/README.md, Tests): PyO3 classes are built
# by `__new__`, their dunder methods take positional-only arguments, and a class without
# `subclass` in its #[pyclass] is `@final` (LSH may be subclassed, and is a
# `@disjoint_base`: a class cannot derive from it and another native base).
from collections.abc import Hashable, Iterable, Sequence
from typing import ClassVar, final

from typing_extensions import Buffer, Self, disjoint_base

__all__ = [
    "dedup",
    "cluster",
    "shingle_sets",
    "signatures",
    "arrow_shingles",
    "arrow_signatures",
    "arrow_band_keys",
    "arrow_verify",
    "arrow_cluster",
    "MinHash",
    "LSH",
    "_band_key",
    "_library_defaults",
    "_int_reader",
    "_use_int_reader",
    "__version__",
]

__version__: str

_Column = Sequence[str | None]
# ids, texts, titles, dates, sources, urls
_Records = tuple[Sequence[str], Sequence[str], _Column, _Column, _Column, _Column]

def dedup(
    records: _Records,
    threshold: float,
    ngram: int,
    num_perm: int,
    seed: int,
    scheme: str,
    bands: int | None,
    rows: int | None,
    verify: str,
    exact: bool,
    bucket_cap: int,
) -> tuple[list[tuple[int, int, float]], list[tuple[int, list[tuple[int, float]]]]]: ...
def cluster(
    records: _Records,
    threshold: float,
    duplicate_threshold: float,
    topic_threshold: float,
    window_days: int,
    refine: int,
    label_terms: int,
    key_sentences: int,
) -> tuple[str, list[int], list[int]]: ...
def shingle_sets(texts: Sequence[str], ngram: int = 3) -> list[list[int]]: ...

# The library's defaults by Python parameter name: {"dedup": {...}, "cluster": {...}}.
def _library_defaults() -> dict[str, dict[str, float | int | str | bool | None]]: ...

# A set of 64-bit hashes: a list or tuple of ints, any iterable of ints, or a buffer of
# uint64 (a numpy array, array('Q')).
_Hashes = Iterable[int] | Buffer

def signatures(sets: Iterable[_Hashes], num_perm: int = 128, seed: int = 1, scheme: str = "fast") -> list[list[int]]: ...

# The buffers of an Arrow string or list<uint64> array: offsets, data (child values),
# offset width (4 or 8), the array's offset and length, the child values' offset.
_Parts = tuple[Buffer, Buffer, int, int, int, int]
# cluster's options: threshold, duplicate_threshold, topic_threshold, window_days, refine,
# label_terms, key_sentences.
_ClusterArgs = tuple[float, float, float, int, int, int, int]

def arrow_shingles(texts: _Parts, ngram: int) -> tuple[bytes, bytes]: ...
def arrow_signatures(column: _Parts, is_text: bool, ngram: int, num_perm: int, seed: int, scheme: str) -> bytes: ...
def arrow_band_keys(signatures: Buffer, num_perm: int, bands: int, rows: int) -> bytes: ...
def arrow_verify(column: _Parts, is_text: bool, ngram: int, left: Buffer, right: Buffer) -> bytes: ...
def arrow_cluster(
    ids: _Parts,
    texts: _Parts,
    titles: _Parts | None,
    dates: _Parts | None,
    sources: _Parts | None,
    urls: _Parts | None,
    args: _ClusterArgs,
) -> tuple[bytes, bytes]: ...
@final
class MinHash:
    """A MinHash signature built incrementally (scheme "classic" or "fast")."""

    # Defines __eq__ and no __hash__: unhashable, as a mutable value should be.
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __new__(cls, num_perm: int = 128, seed: int = 1, scheme: str = "fast") -> MinHash: ...
    @property
    def num_perm(self) -> int: ...
    @property
    def seed(self) -> int: ...
    @property
    def scheme(self) -> str: ...
    @staticmethod
    def bulk(sets: Iterable[_Hashes], num_perm: int = 128, seed: int = 1, scheme: str = "fast") -> list[MinHash]: ...
    def update(self, tokens: str | bytes | Iterable[str | bytes]) -> None: ...
    def update_hashes(self, hashes: _Hashes) -> None: ...
    def jaccard(self, other: MinHash) -> float: ...
    def merge(self, other: MinHash) -> None: ...
    def digest(self) -> list[int]: ...
    @property
    def hashvalues(self) -> list[int]: ...
    def is_empty(self) -> bool: ...
    def copy(self) -> MinHash: ...
    def __len__(self) -> int: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __getnewargs__(self) -> tuple[int, int, str]: ...
    def __getstate__(self) -> list[int]: ...
    def __setstate__(self, state: list[int]) -> None: ...

@disjoint_base
class LSH:
    """An LSH index over MinHash signatures: insert(key, minhash), query(minhash) (keys
    sharing a band: candidates, in insertion order), remove(key). Bands and rows are chosen
    for threshold unless given."""

    def __new__(cls, threshold: float = 0.8, num_perm: int = 128, bands: int | None = None, rows: int | None = None) -> Self: ...
    @property
    def threshold(self) -> float: ...
    @property
    def bands(self) -> int: ...
    @property
    def rows(self) -> int: ...
    @property
    def num_perm(self) -> int: ...
    def insert(self, key: Hashable, minhash: MinHash) -> None: ...
    def query(self, minhash: MinHash) -> list[Hashable]: ...
    def remove(self, key: Hashable) -> None: ...
    def __contains__(self, key: object, /) -> bool: ...
    def __len__(self) -> int: ...
    def keys(self) -> list[Hashable]: ...

def _band_key(slots: Sequence[int]) -> int: ...
def _int_reader() -> str: ...
def _use_int_reader(name: str) -> str: ...
