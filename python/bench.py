"""storyclust against rensa and datasketch on SaudiNewsNet, with the same shingles.

    pip install rensa datasketch pyarrow
    python python/bench.py [--data /work/shared/data/saudinewsnet.jsonl.gz] [--limit 10000] [--repeat 5]

Every library gets the same shingle sets (storyclust's 3-word shingles of each article, as
64-bit hashes, prepared before timing, each in the type its API takes), num_perm 128 and the
same banding (16 bands × 8 rows). Times are medians over --repeat runs, interleaved.
Optionally (--cli target/release/storyclust) the pairs of storyclust.dedup are compared with
`storyclust dedup --pairs` on the same records.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import storyclust

NUM_PERM, BANDS, ROWS, SEED = 128, 16, 8, 1


def load(path: str, limit: int):
    records = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            records.append({k: r.get(k) for k in ("id", "text", "title", "date", "source")})
            if len(records) == limit:
                break
    return records


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="/work/shared/data/saudinewsnet.jsonl.gz")
    ap.add_argument("--limit", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--partition", type=int, default=1000, help="records in the clustered partition")
    ap.add_argument("--cli", help="storyclust binary: compare dedup pairs with the CLI")
    args = ap.parse_args()

    import datasketch
    import pyarrow as pa
    import rensa

    records = load(args.data, args.limit)
    texts = [r["text"] or "" for r in records]
    sets = storyclust._storyclust.shingle_sets(texts, 3)
    as_bytes = [[h.to_bytes(8, "little") for h in s] for s in sets]
    as_str = [[str(h) for h in s] for s in sets]
    column = pa.array(texts)
    print(f"{len(records)} articles, {sum(map(len, sets))} shingles; num_perm {NUM_PERM}, "
          f"{BANDS} bands x {ROWS} rows; medians of {args.repeat}", file=sys.stderr)

    def per_record(make, inputs, feed):
        out = []
        for item in inputs:
            m = make()
            feed(m, item)
            out.append(m)
        return out

    def datasketch_sigs():
        make = lambda: datasketch.MinHash(num_perm=NUM_PERM, seed=SEED)
        return per_record(make, as_bytes, datasketch.MinHash.update_batch)

    def rensa_sigs():
        return per_record(lambda: rensa.RMinHash(num_perm=NUM_PERM, seed=SEED), as_str, rensa.RMinHash.update)

    def ours_sigs():
        make = lambda: storyclust.MinHash(num_perm=NUM_PERM, seed=SEED)
        return per_record(make, sets, storyclust.MinHash.update_hashes)

    def ours_classic_sigs():
        make = lambda: storyclust.MinHash(num_perm=NUM_PERM, seed=SEED, scheme="classic")
        return per_record(make, sets, storyclust.MinHash.update_hashes)

    def insert_and_query(index, mhs):
        for i, m in enumerate(mhs):
            index.insert(i, m)
        return sum(len(index.query(m)) for m in mhs)

    def datasketch_lsh(mhs):
        return insert_and_query(datasketch.MinHashLSH(num_perm=NUM_PERM, params=(BANDS, ROWS)), mhs)

    def rensa_lsh(mhs):
        return insert_and_query(rensa.RMinHashLSH(threshold=0.8, num_perm=NUM_PERM, num_bands=BANDS), mhs)

    def ours_lsh(mhs):
        return insert_and_query(storyclust.LSH(num_perm=NUM_PERM, bands=BANDS, rows=ROWS), mhs)

    def text_loop():
        make = lambda: storyclust.MinHash(num_perm=NUM_PERM, seed=SEED)
        return per_record(make, texts, lambda m, t: m.update_hashes(storyclust.shingles(t)))

    # Candidate pairs for the verification kernels: rows sharing a band key (prepared
    # untimed, empty texts left out), as a driver would get them from arrow_band_keys.
    set_column = storyclust.arrow_shingles(column)
    buckets = {}
    keys = storyclust.arrow_band_keys(storyclust.arrow_signatures(set_column, scheme="classic"), bands=BANDS, rows=ROWS)
    for row, ks in enumerate(keys.to_pylist()):
        if sets[row]:
            for band, k in enumerate(ks):
                buckets.setdefault((band, k), []).append(row)
    pairs = sorted({(a, b) for rows in buckets.values() for i, a in enumerate(rows) for b in rows[i + 1 :]})
    left, right = [a for a, _ in pairs], [b for _, b in pairs]
    left_arrow, right_arrow = pa.array(left, type=pa.uint32()), pa.array(right, type=pa.uint32())

    def jaccard(x, y):
        return len(x & y) / len(x | y) if x or y else 0.0

    def verify_text_loop():
        # The per-record API: each text's shingles once, then a set Jaccard per pair.
        shingled = {}
        def of(i):
            if i not in shingled:
                shingled[i] = set(storyclust.shingles(texts[i]))
            return shingled[i]
        return [jaccard(of(a), of(b)) for a, b in pairs]

    def verify_sets_loop():
        # The same loop from the prepared shingle sets: each row's set built once.
        as_set = {}
        def of(i):
            if i not in as_set:
                as_set[i] = set(sets[i])
            return as_set[i]
        return [jaccard(of(a), of(b)) for a, b in pairs]

    part = pa.Table.from_pylist(records[: args.partition])

    mh = {"datasketch": datasketch_sigs(), "rensa": rensa_sigs(), "storyclust": ours_sigs()}
    cases = {
        "signatures, per-record loop: datasketch": datasketch_sigs,
        "signatures, per-record loop: rensa": rensa_sigs,
        "signatures, per-record loop: storyclust": ours_sigs,
        "signatures, per-record loop: storyclust, classic scheme": ours_classic_sigs,
        "signatures, per-record loop: storyclust, str tokens as rensa's": lambda: per_record(lambda: storyclust.MinHash(num_perm=NUM_PERM, seed=SEED), as_str, storyclust.MinHash.update),
        "signatures, batch: rensa digest_matrix_from_token_hash_sets": lambda: rensa.RMinHash.digest_matrix_from_token_hash_sets(sets, NUM_PERM, SEED),
        "signatures, batch: storyclust MinHash.bulk": lambda: storyclust.MinHash.bulk(sets, NUM_PERM, SEED),
        "signatures, batch: storyclust MinHash.bulk, classic scheme": lambda: storyclust.MinHash.bulk(sets, NUM_PERM, SEED, "classic"),
        "signatures, batch: storyclust.signatures (classic, lists)": lambda: storyclust.signatures(sets, NUM_PERM, SEED, "classic"),
        "signatures, batch: storyclust.signatures (fast, lists)": lambda: storyclust.signatures(sets, NUM_PERM, SEED, "fast"),
        "LSH insert + query all: datasketch": lambda: datasketch_lsh(mh["datasketch"]),
        "LSH insert + query all: rensa": lambda: rensa_lsh(mh["rensa"]),
        "LSH insert + query all: storyclust": lambda: ours_lsh(mh["storyclust"]),
        "text -> signatures, per-record loop": text_loop,
        "text -> signatures, Arrow: arrow_signatures(texts)": lambda: storyclust.arrow_signatures(column, num_perm=NUM_PERM),
        "shingle sets -> signatures, Arrow: arrow_signatures(sets)": lambda: storyclust.arrow_signatures(set_column, num_perm=NUM_PERM),
        "shingle sets -> signatures, Arrow, classic scheme": lambda: storyclust.arrow_signatures(set_column, num_perm=NUM_PERM, scheme="classic"),
        "verify pairs from texts, per-record loop": verify_text_loop,
        "verify pairs from texts, Arrow: arrow_verify(texts)": lambda: storyclust.arrow_verify(column, left_arrow, right_arrow),
        "verify pairs from shingle sets, per-record loop": verify_sets_loop,
        "verify pairs from shingle sets, Arrow: arrow_verify(sets)": lambda: storyclust.arrow_verify(set_column, left_arrow, right_arrow),
        "cluster a partition: storyclust.cluster(table)": lambda: storyclust.cluster(part),
        "cluster a partition: arrow_cluster(table)": lambda: storyclust.arrow_cluster(part),
    }
    times = {name: [] for name in cases}
    results = {}
    for _ in range(args.repeat):
        for name, fn in cases.items():  # interleaved, so drift hits every case alike
            t, out = timed(fn)
            times[name].append(t)
            results[name] = out
    print(f"{'case':<64} {'median s':>9} {'docs/s':>10}")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"{name:<64} {med:>9.3f} {len(records) / med:>10.0f}")
    lsh = {k: v for k, v in results.items() if k.startswith("LSH")}
    print("candidates (sum of query sizes): " + ", ".join(f"{k.split(': ')[1]} {v}" for k, v in lsh.items()))
    print(f"{len(pairs)} candidate pairs verified; partition of {part.num_rows} records clustered")
    assert results["verify pairs from texts, Arrow: arrow_verify(texts)"].to_pylist() == results["verify pairs from texts, per-record loop"]
    assert results["verify pairs from shingle sets, Arrow: arrow_verify(sets)"].to_pylist() == results["verify pairs from shingle sets, per-record loop"]
    assert [m.digest() for m in results["signatures, batch: storyclust MinHash.bulk"]] == [m.digest() for m in results["signatures, per-record loop: storyclust"]]
    assert [m.digest() for m in results["signatures, batch: storyclust MinHash.bulk, classic scheme"]] == [m.digest() for m in results["signatures, per-record loop: storyclust, classic scheme"]]
    assert [m.digest() for m in results["signatures, per-record loop: storyclust"]] == results["shingle sets -> signatures, Arrow: arrow_signatures(sets)"].to_pylist()
    assert [m.digest() for m in results["signatures, per-record loop: storyclust, classic scheme"]] == results["shingle sets -> signatures, Arrow, classic scheme"].to_pylist()
    med = lambda name: statistics.median(times[name])
    for what, loop, batch in [
        ("signatures from shingle hashes", "signatures, per-record loop: storyclust", "shingle sets -> signatures, Arrow: arrow_signatures(sets)"),
        ("signatures from shingle hashes, classic scheme", "signatures, per-record loop: storyclust, classic scheme", "shingle sets -> signatures, Arrow, classic scheme"),
        ("text -> signatures", "text -> signatures, per-record loop", "text -> signatures, Arrow: arrow_signatures(texts)"),
        ("verify pairs from texts", "verify pairs from texts, per-record loop", "verify pairs from texts, Arrow: arrow_verify(texts)"),
        ("verify pairs from shingle sets", "verify pairs from shingle sets, per-record loop", "verify pairs from shingle sets, Arrow: arrow_verify(sets)"),
        ("cluster a partition (records vs Arrow)", "cluster a partition: storyclust.cluster(table)", "cluster a partition: arrow_cluster(table)"),
    ]:
        print(f"Arrow batch vs per-record loop, {what}: {med(loop) / med(batch):.1f}x")
    print(f"signatures vs rensa (rensa time / storyclust time): per-record loop "
          f"{med('signatures, per-record loop: rensa') / med('signatures, per-record loop: storyclust'):.2f}x (default, fast), "
          f"{med('signatures, per-record loop: rensa') / med('signatures, per-record loop: storyclust, classic scheme'):.2f}x (classic), batch "
          f"{med('signatures, batch: rensa digest_matrix_from_token_hash_sets') / med('signatures, batch: storyclust MinHash.bulk'):.2f}x (default, fast), "
          f"{med('signatures, batch: rensa digest_matrix_from_token_hash_sets') / med('signatures, batch: storyclust MinHash.bulk, classic scheme'):.2f}x (classic)")
    print(f"LSH insert + query all vs rensa (rensa time / storyclust time): "
          f"{med('LSH insert + query all: rensa') / med('LSH insert + query all: storyclust'):.2f}x")

    if args.cli:
        t, found = timed(lambda: storyclust.dedup(records, threshold=0.8))
        ours = {tuple(sorted((p.a, p.b))) for p in found.pairs}
        with tempfile.TemporaryDirectory() as tmp:
            src, pairs = Path(tmp) / "in.jsonl", Path(tmp) / "pairs.tsv"
            src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
            subprocess.run([args.cli, "--quiet", "dedup", str(src), "--pairs", str(pairs)], check=True, stdout=subprocess.DEVNULL)
            lines = pairs.read_text(encoding="utf-8").splitlines()
            # Comment and header lines, as tests/test_dedup.py skips them.
            cli = {tuple(line.split("\t")[:2]) for line in lines if not line.startswith(("#", "id_a\t"))}
        print(f"storyclust.dedup: {len(ours)} pairs in {t:.2f} s; CLI {len(cli)} pairs; identical: {ours == cli}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
