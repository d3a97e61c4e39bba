"""The data set and the peer of `scripts/parquet-scale`.

    python scripts/parquet_scale.py generate FILE [ANSWERS]   # default 100,000,000
    python scripts/parquet_scale.py polars FILE [THREADS]

`generate` writes a long-format answers file with pyarrow (written in chunks of 1,000,000
rows, one row group each, snappy, string columns dictionary-encoded): respondents of 20,000
merchants ("shop-00000" ...) answering the 13 indicators of the after-sales template in turn,
grades 0..4 (skewed towards the better grades, about 4 % null). Seeded: the same file every
time.

`polars` reads the file and counts answers per merchant x indicator x grade (the tally; no
scoring), reporting rows/s. Needs pyarrow and polars (versions are printed).
"""

from __future__ import annotations

import os
import sys
import time

LEAVES = [
    "first_reply", "resolution_time", "feedback_time", "courtesy", "proactiveness", "respect",
    "knowledge", "tools", "advice", "speed_satisfaction", "attitude_satisfaction",
    "professionalism_satisfaction", "resolution_satisfaction",
]
MERCHANTS = 20_000
CHUNK = 1_000_000


def generate(path: str, answers: int) -> None:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(20261129)
    names = pa.array([f"shop-{i:05d}" for i in range(MERCHANTS)])
    leaves = pa.array(LEAVES)
    skew = np.array([0, 0, 1, 1, 1, 2, 2, 3, 4, 1], dtype=np.uint8)
    k = len(LEAVES)
    schema = pa.schema([
        ("merchant", pa.string()), ("respondent", pa.int64()),
        ("indicator", pa.string()), ("grade", pa.uint8()),
    ])
    written = 0
    with pq.ParquetWriter(path, schema, compression="snappy") as writer:
        while written < answers:
            n = min(CHUNK, answers - written)
            first = written // k
            rows = np.arange(written, written + n)
            respondent = rows // k
            # one merchant per respondent, drawn once per respondent
            shops = rng.integers(0, MERCHANTS, size=respondent[-1] - first + 1)
            merchant = shops[respondent - first]
            u = rng.integers(0, 100, size=n)
            grade = pa.array(skew[u % 10], mask=u < 4)
            table = pa.table({
                "merchant": pa.DictionaryArray.from_arrays(pa.array(merchant.astype(np.int32)), names).cast(pa.string()),
                "respondent": pa.array(respondent.astype(np.int64)),
                "indicator": pa.DictionaryArray.from_arrays(pa.array((rows % k).astype(np.int32)), leaves).cast(pa.string()),
                "grade": grade,
            }, schema=schema)
            writer.write_table(table, row_group_size=CHUNK)
            written += n
    print(f"wrote {path}: {answers} answers, {os.path.getsize(path) / 1e6:.1f} MB "
          f"(pyarrow {pa.__version__}, numpy {np.__version__})")


def polars_tally(path: str, threads: int) -> None:
    os.environ["POLARS_MAX_THREADS"] = str(threads)
    import polars as pl

    started = time.perf_counter()
    counts = (
        pl.scan_parquet(path)
        .select("merchant", "indicator", "grade")
        .group_by("merchant", "indicator", "grade")
        .len()
        .collect()
    )
    seconds = time.perf_counter() - started
    rows = pl.scan_parquet(path).select(pl.len()).collect().item()
    merchants = counts["merchant"].n_unique()
    print(f"polars {pl.__version__} ({threads} thread(s)): {rows} rows, {merchants} merchants "
          f"in {seconds:.3f} s ({rows / seconds / 1e6:.2f} M rows/s)")


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in ("generate", "polars"):
        sys.exit(__doc__)
    if sys.argv[1] == "generate":
        generate(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 100_000_000)
    else:
        polars_tally(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 1)
