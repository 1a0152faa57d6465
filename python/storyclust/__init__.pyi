from typing import Any, Dict, Hashable, Iterable, Iterator, List, Optional, Sequence, Tuple

from ._storyclust import MinHash as MinHash

__version__: str

class DuplicatePair:
    a: str
    b: str
    jaccard: float
    def __init__(self, a: str, b: str, jaccard: float) -> None: ...
    def to_dict(self) -> Dict[str, Any]: ...

class DuplicateGroup:
    canonical: str
    members: List[Tuple[str, float]]
    def __init__(self, canonical: str, members: List[Tuple[str, float]]) -> None: ...
    @property
    def ids(self) -> List[str]: ...
    def to_dict(self) -> Dict[str, Any]: ...

class Dedup:
    pairs: List[DuplicatePair]
    groups: List[DuplicateGroup]
    def __init__(self, pairs: List[DuplicatePair], groups: List[DuplicateGroup]) -> None: ...
    def __iter__(self) -> Iterator[DuplicateGroup]: ...
    def __len__(self) -> int: ...
    def to_dict(self) -> Dict[str, Any]: ...

class StoryMember:
    id: str
    headline: str
    source: Optional[str]
    date: Optional[str]
    similarity: float
    def to_dict(self) -> Dict[str, Any]: ...

class Story:
    id: int
    size: int
    label: List[str]
    headline: str
    representative: str
    members: List[StoryMember]
    sources: List[Tuple[str, int]]
    first_date: Optional[str]
    last_date: Optional[str]
    key_sentences: List[str]
    duplicate_groups: List[Dict[str, Any]]
    cohesion: float
    lang: str
    topic: int
    @property
    def ids(self) -> List[str]: ...
    def to_dict(self) -> Dict[str, Any]: ...

class Topic:
    id: int
    size: int
    label: List[str]
    headline: str
    stories: List[int]
    first_date: Optional[str]
    last_date: Optional[str]
    def to_dict(self) -> Dict[str, Any]: ...

class Stories:
    stories: List[Story]
    topics: List[Topic]
    story_of: Dict[str, int]
    topic_of: Dict[str, int]
    def __iter__(self) -> Iterator[Story]: ...
    def __len__(self) -> int: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_pandas(self) -> Any: ...

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
) -> Dedup: ...
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
) -> Stories: ...
def stories_frame(stories: Stories) -> Any: ...
def shingles(text: str, ngram: int = 3) -> List[int]: ...
def signatures(sets: Sequence[Iterable[int]], num_perm: int = 128, seed: int = 1, scheme: str = "fast") -> List[List[int]]: ...

class LSH:
    threshold: float
    def __init__(self, threshold: float = 0.8, num_perm: int = 128, bands: Optional[int] = None, rows: Optional[int] = None) -> None: ...
    @property
    def num_perm(self) -> int: ...
    @property
    def bands(self) -> int: ...
    @property
    def rows(self) -> int: ...
    def insert(self, key: Hashable, minhash: MinHash) -> None: ...
    def query(self, minhash: MinHash) -> List[Hashable]: ...
    def remove(self, key: Hashable) -> None: ...
    def __contains__(self, key: Hashable) -> bool: ...
    def __len__(self) -> int: ...
    def keys(self) -> List[Hashable]: ...
def arrow_signatures(column: Any, *, ngram: int = 3, num_perm: int = 128, seed: int = 1, scheme: str = "fast") -> Any: ...
def arrow_band_keys(signatures: Any, *, bands: int, rows: int) -> Any: ...
