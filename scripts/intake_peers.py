#!/usr/bin/env python3
"""pandas and polars on the intake bench's file: read it and count answers per merchant x
indicator x grade, the work `SurveyCounts::read` does (scoring is left out: it is a tiny
part of the crate's time).

Usage (the file is written by the bench; `scripts/intake-bench` runs both in one go):

    INTAKE_BENCH_FILE=target/intake-bench/survey_1e6.csv cargo bench --bench intake --features parallel
    python3 scripts/intake_peers.py target/intake-bench/survey_1e6.csv

Versions used for the figures in the README and docs/PERFORMANCE.md: Python 3.11, pandas 2.2.3,
polars 1.17.1 (`pip install pandas==2.2.3 polars==1.17.1`). polars is timed on one thread
(POLARS_MAX_THREADS=1, set before it is imported) and on all threads. Each figure is the best
of three runs, rows per second = 1e6 / seconds.
"""
import os
import subprocess
import sys
import time


def best_of(n, fn):
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def pandas_counts(path):
    import pandas as pd

    df = pd.read_csv(path, dtype="category", keep_default_na=False, engine="c")
    # one group-by per indicator column (a melt to long form is several times slower)
    return [
        df.groupby(["merchant", col], sort=False, observed=True).size()
        for col in df.columns
        if col != "merchant"
    ]


def polars_counts(path):
    import polars as pl

    df = pl.read_csv(path, infer_schema=False)
    # one group-by per indicator column (an unpivot to long form is several times slower)
    return [df.group_by(["merchant", col]).len() for col in df.columns if col != "merchant"]


def main():
    if len(sys.argv) == 3:
        # a child run: one tool, printed as "seconds"
        tool, path = sys.argv[1], sys.argv[2]
        fn = {"pandas": pandas_counts, "polars": polars_counts}[tool]
        print(best_of(3, lambda: fn(path)))
        return
    path = sys.argv[1]
    rows = sum(1 for _ in open(path, "rb")) - 1
    for tool, env in [
        ("pandas", {}),
        ("polars", {"POLARS_MAX_THREADS": "1"}),
        ("polars", {}),
    ]:
        out = subprocess.run(
            [sys.executable, __file__, tool, path],
            env={**os.environ, **env},
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        seconds = float(out.strip().splitlines()[-1])
        threads = env.get("POLARS_MAX_THREADS", str(os.cpu_count())) if tool == "polars" else "1"
        print(f"{tool:<7} threads={threads:<3} {seconds:7.3f} s  {rows / seconds / 1e6:5.2f} M rows/s")


if __name__ == "__main__":
    main()
