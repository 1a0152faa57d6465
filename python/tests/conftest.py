import pathlib
import random

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def seeds():
    """The five Arabic articles of the repository's seeds/, as records."""
    files = sorted((REPO / "seeds").glob("*.txt"))
    assert len(files) == 5
    return [{"id": p.stem, "text": p.read_text(encoding="utf-8")} for p in files]


def synthetic_corpus(n=150, copies=40, seed=11):
    """Articles of random words; `copies` of them republished with a few words changed
    (and some exact copies), with titles, sources and dates."""
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(3000)]
    records = []
    for i in range(n):
        words = [rng.choice(vocab) for _ in range(rng.randint(60, 160))]
        records.append({
            "id": f"a{i:04d}",
            "title": " ".join(words[:6]),
            "text": " ".join(words),
            "source": f"s{i % 7}",
            "date": f"2024-03-{1 + i % 28:02d}",
        })
    for j in range(copies):
        base = records[rng.randrange(n)]
        words = base["text"].split()
        for _ in range(rng.choice([0, 1, 2, 4, 8, 20])):
            words[rng.randrange(len(words))] = rng.choice(vocab)
        records.append({
            "id": f"c{j:04d}",
            "title": base["title"],
            "text": " ".join(words),
            "source": f"s{(j + 3) % 7}",
            "date": base["date"],
        })
    return records


@pytest.fixture(scope="session")
def corpus():
    return synthetic_corpus()
