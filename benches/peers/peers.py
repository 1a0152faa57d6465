"""storyclust against datasketch, rensa, gaoya and scikit-learn/scipy on one corpus.

Run through run.sh, which builds storyclust, prepares the corpus and sets up the virtualenv.
Every tool starts from storyclust's normalisation (prepared.jsonl: normalised words and
stemmed terms), so the shingles (3 words) and terms are the same for all. Rounds are
interleaved (each round runs every tool once) and the table shows medians.
"""

import argparse
import json
import statistics
import subprocess
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp

NUM_PERM = 128
THRESHOLD = 0.8
BANDS = 16  # storyclust's choice at 0.8 (16 bands x 8 rows), given to every LSH
COSINE = 0.3


def load_prepared(work):
    ids, tokens, terms = [], [], []
    with open(work / "prepared.jsonl", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            ids.append(d["id"])
            tokens.append(d["tokens"])
            terms.append(d["terms"])
    return ids, tokens, terms


def shingles_of(text, n=3):
    words = text.split()
    return list({" ".join(words[i : i + n]) for i in range(len(words) - n + 1)})


def read_pairs(path):
    pairs = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("id_a\t"):
                continue
            a, b, _ = line.rstrip("\n").split("\t")
            pairs.add((min(a, b), max(a, b)))
    return pairs


def quality(found, truth):
    hit = len(found & truth)
    recall = hit / len(truth) if truth else 1.0
    precision = hit / len(found) if found else 1.0
    return recall, precision


def pairs_from_lsh(ids, query):
    found = set()
    for i, key in enumerate(ids):
        for j in query(i):
            if j != i:
                a, b = ids[i], ids[j]
                found.add((min(a, b), max(a, b)))
    return found


# --- (a) signatures from prepared shingles, one thread -------------------------------------


def sig_rensa(shingle_lists):
    from rensa import RMinHash

    t = time.perf_counter()
    for s in shingle_lists:
        m = RMinHash(num_perm=NUM_PERM, seed=1)
        m.update(s)
        m.digest()
    return time.perf_counter() - t


def sig_datasketch(shingle_bytes):
    from datasketch import MinHash

    t = time.perf_counter()
    for s in shingle_bytes:
        m = MinHash(num_perm=NUM_PERM, seed=1)
        m.update_batch(s)
    return time.perf_counter() - t


# --- (b) near-duplicates end to end at 0.8 ---------------------------------------------------


def dedup_rensa(work):
    from rensa import RMinHash, RMinHashLSH

    t = time.perf_counter()
    ids, tokens, _ = load_prepared(work)
    lsh = RMinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, num_bands=BANDS)
    hashes = []
    for i, text in enumerate(tokens):
        m = RMinHash(num_perm=NUM_PERM, seed=1)
        m.update(shingles_of(text))
        hashes.append(m)
        lsh.insert(i, m)
    found = pairs_from_lsh(ids, lambda i: lsh.query(hashes[i]))
    return time.perf_counter() - t, found


def dedup_datasketch(work):
    from datasketch import MinHash, MinHashLSH

    t = time.perf_counter()
    ids, tokens, _ = load_prepared(work)
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, params=(BANDS, NUM_PERM // BANDS))
    hashes = []
    for i, text in enumerate(tokens):
        m = MinHash(num_perm=NUM_PERM, seed=1)
        m.update_batch([s.encode("utf-8") for s in shingles_of(text)])
        hashes.append(m)
        lsh.insert(i, m)
    found = pairs_from_lsh(ids, lambda i: lsh.query(hashes[i]))
    return time.perf_counter() - t, found


def dedup_gaoya(work):
    from gaoya.minhash import MinHashStringIndex

    t = time.perf_counter()
    ids, tokens, _ = load_prepared(work)
    index = MinHashStringIndex(
        hash_size=32,
        jaccard_threshold=THRESHOLD,
        num_bands=BANDS,
        band_size=NUM_PERM // BANDS,
        analyzer="word",
        lowercase=False,
        ngram_range=(3, 3),
        id_container="vec",
    )
    index.par_bulk_insert_docs(list(range(len(ids))), tokens)
    results = index.par_bulk_query(tokens)
    found = pairs_from_lsh(ids, lambda i: results[i])
    return time.perf_counter() - t, found


def dedup_storyclust(binary, corpus, work):
    out = work / "lsh-pairs.tsv"
    t = time.perf_counter()
    subprocess.run([binary, "dedup", str(corpus), "--pairs", str(out), "-q"], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t, read_pairs(out)


# --- (c) TF-IDF, (d) cosine graph --------------------------------------------------------------


def tfidf_sklearn(terms):
    from sklearn.feature_extraction.text import TfidfVectorizer

    t = time.perf_counter()
    vectorizer = TfidfVectorizer(
        tokenizer=str.split,
        token_pattern=None,
        lowercase=False,
        ngram_range=(1, 2),
        sublinear_tf=True,
        min_df=2,
        max_df=0.5,
        dtype=np.float32,
    )
    matrix = vectorizer.fit_transform(terms)
    return time.perf_counter() - t, matrix.shape


def storyclust_vectors(work):
    indptr = np.fromfile(work / "vectors.indptr.bin", dtype="<u8").astype(np.int64)
    indices = np.fromfile(work / "vectors.indices.bin", dtype="<u4").astype(np.int32)
    data = np.fromfile(work / "vectors.data.bin", dtype="<f4")
    columns = int(indices.max()) + 1 if len(indices) else 1
    return sp.csr_matrix((data, indices, indptr), shape=(len(indptr) - 1, columns))


def graph_scipy(matrix):
    t = time.perf_counter()
    product = sp.triu(matrix @ matrix.T, k=1).tocoo()
    keep = product.data >= COSINE
    rows, cols = product.row[keep], product.col[keep]
    return time.perf_counter() - t, rows, cols


def storyclust_stages(example, corpus, work):
    subprocess.run([example, str(corpus), str(work / "round"), "--time-only"], check=True, stdout=subprocess.DEVNULL)
    return json.loads((work / "round" / "stages.json").read_text())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--storyclust", required=True)
    parser.add_argument("--example", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    work = Path(args.work)

    ids, tokens, terms = load_prepared(work)
    shingle_lists = [shingles_of(t) for t in tokens]
    shingle_bytes = [[s.encode("utf-8") for s in lst] for lst in shingle_lists]
    n_shingles = sum(len(s) for s in shingle_lists)
    exact = read_pairs(work / "exact-pairs.tsv")
    vectors = storyclust_vectors(work)
    ours_cosine = set()
    index_of = {d: i for i, d in enumerate(ids)}
    with open(work / "cosine.tsv", encoding="utf-8") as f:
        for line in f:
            a, b, _ = line.split("\t")
            i, j = index_of[a], index_of[b]
            ours_cosine.add((min(i, j), max(i, j)))

    times = {}
    quality_of = {}

    def note(key, seconds):
        times.setdefault(key, []).append(seconds)

    for r in range(args.rounds):
        print(f"round {r + 1} of {args.rounds}", flush=True)
        stages = storyclust_stages(args.example, args.corpus, work)
        note(("a", "storyclust"), stages["minhash_1_thread_seconds"])
        note(("c", "storyclust"), stages["tfidf_seconds"])
        note(("d", "storyclust"), stages["cosine_keyword_seconds"])
        note(("a", "rensa"), sig_rensa(shingle_lists))
        note(("a", "datasketch"), sig_datasketch(shingle_bytes))
        for name, run in [
            ("storyclust", lambda: dedup_storyclust(args.storyclust, args.corpus, work)),
            ("rensa", lambda: dedup_rensa(work)),
            ("gaoya", lambda: dedup_gaoya(work)),
            ("datasketch", lambda: dedup_datasketch(work)),
        ]:
            seconds, found = run()
            note(("b", name), seconds)
            quality_of[("b", name)] = quality(found, exact)
        seconds, shape = tfidf_sklearn(terms)
        note(("c", "scikit-learn"), seconds)
        seconds, rows, cols = graph_scipy(vectors)
        note(("d", "scipy"), seconds)
        theirs = set(zip(rows.tolist(), cols.tolist()))
        quality_of[("d", "storyclust")] = quality(ours_cosine, theirs)

    titles = {
        "a": f"(a) MinHash signatures, {NUM_PERM} permutations, one thread, from prepared shingles ({len(ids)} documents, {n_shingles} shingles)",
        "b": f"(b) near-duplicates end to end at Jaccard {THRESHOLD}: recall / precision against storyclust's exact join ({len(exact)} pairs)",
        "c": "(c) TF-IDF vectorisation (unigrams + bigrams, sublinear tf, min_df 2, max_df 0.5)",
        "d": f"(d) cosine >= {COSINE} neighbour graph on storyclust's TF-IDF vectors: recall / precision against scipy's exact product",
    }
    rows = []
    for task in "abcd":
        print(f"\n{titles[task]}")
        print(f"  {'tool':24} {'median s':>10} {'x storyclust':>14} {'quality':>18}")
        entries = {tool: statistics.median(v) for (t, tool), v in times.items() if t == task}
        ours = min(v for tool, v in entries.items() if tool.startswith("storyclust"))
        for tool, seconds in sorted(entries.items(), key=lambda e: e[1]):
            q = quality_of.get((task, tool))
            qs = f"{q[0]:.4f} / {q[1]:.4f}" if q else ""
            print(f"  {tool:24} {seconds:10.3f} {seconds / ours:14.1f} {qs:>18}")
            rows.append({"task": task, "tool": tool, "median_seconds": seconds, "ratio_to_storyclust": seconds / ours, "recall_precision": q})
    (work / "peers.json").write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
