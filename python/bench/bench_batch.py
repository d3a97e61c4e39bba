"""Batch scoring from numpy: the Python call against the crate's own loop on the same
buffers, and against numpy's fastest formulation of the same weighted average.

For N merchants of the after-sales model (13 indicators x 5 grades, M(·,+)) it times, in one
run and interleaved (best of R rounds, one thread each):

- ``rust``: the crate's ``BatchScorer`` on the array's buffer into the same output arrays,
  timed inside Rust (``BatchScorer._time_rust_loop``, no Python in the loop);
- ``python``: ``scorer.score_counts(x, out=(scores, grades))`` / ``score_memberships``
  from Python, timed with ``time.perf_counter`` around the call (argument checks, the GIL
  released and taken back, the result object);
- ``numpy``: the same scores from the flattened f64 memberships ``X`` (N x 65), the fastest of
  ``(X @ W) @ v`` (BLAS GEMM then GEMV: W holds the global leaf weights per grade, v the grade
  values), ``X @ (W @ v)`` (GEMV) and ``np.einsum``; rows are normalised beforehand, so the
  formulations compute only the weighted average (no checks, no grades) and the memberships
  are given to numpy precomputed, which favours numpy;
- ``memory``: plain passes over the same f64 array ``X`` with nothing to compute, the
  ceiling of any method that reads it: ``X.sum()`` (one read) and ``np.copyto(Y, X)`` (one
  read, one write).

Every contender is also given as its effective read bandwidth: the bytes of its input
(``X``: 520 bytes per merchant; u8 counts: 65) over its time, in GB/s. A method that reads
``X`` cannot be faster than the ``X.sum()`` pass, so ``sum bandwidth / GEMV bandwidth`` bounds
how much faster than numpy's GEMV any scorer of f64 memberships can be on this machine.

BLAS runs on one thread (``OPENBLAS_NUM_THREADS=1`` etc. set before numpy is imported). Run
from the repository root: ``python python/bench/bench_batch.py [N] [R]`` (default 100,000
merchants, 201 rounds: calls of a few milliseconds, shorter than a scheduler time slice, so
that on a shared, loaded machine the best round is one that ran undisturbed); it prints a
Markdown table and the machine's load.
"""

from __future__ import annotations

import os

for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

import service_quality as sq  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "examples" / "data"


def best(f, rounds):
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return min(times)


def main(n: int = 100_000, rounds: int = 201) -> dict:
    tree = sq.IndicatorTree.from_file(DATA / "after_sales_model.json")
    evaluator = sq.Evaluator(tree)
    scorer = sq.BatchScorer(evaluator)
    k, m = scorer.n_leaves, scorer.n_grades
    rng = np.random.default_rng(20261129)
    counts = rng.integers(1, 40, size=(n, k, m), dtype=np.uint8)
    x = counts / counts.sum(axis=2, keepdims=True)  # f64 memberships, rows sum to 1
    flat = np.ascontiguousarray(x.reshape(n, k * m))
    scores, grades = np.empty(n), np.empty(n, dtype=np.uint32)

    g = np.array([tree.global_weight(leaf) for leaf in scorer.leaf_ids])
    values = np.array(evaluator.grades.values)
    w_gemm = np.zeros((k * m, m))
    for leaf in range(k):
        w_gemm[leaf * m:(leaf + 1) * m] = g[leaf] * np.eye(m)
    w_gemv = w_gemm @ values
    numpy_forms = {
        "GEMM (X @ W) @ v": lambda: (flat @ w_gemm) @ values,
        "GEMV X @ (W @ v)": lambda: flat @ w_gemv,
        "einsum": lambda: np.einsum("nlj,l,j->n", x, g, values, optimize=True),
    }
    # the formulations agree with the crate
    want = scorer.score_memberships(x).scores
    for name, f in numpy_forms.items():
        assert np.allclose(f(), want, rtol=0, atol=1e-9), name
    copy = np.empty_like(flat)
    memory_forms = {
        "X.sum()": lambda: flat.sum(),
        "np.copyto(Y, X)": lambda: np.copyto(copy, flat),
    }
    assert abs(flat.sum() - n * k) <= 1e-6 * n * k  # rows sum to 1

    calls = {
        "u8 counts": (counts, lambda: scorer.score_counts(counts, out=(scores, grades))),
        "f64 memberships": (x, lambda: scorer.score_memberships(x, out=(scores, grades))),
    }
    rust_t = {label: [] for label in calls}
    py_t = {label: [] for label in calls}
    numpy_t = {name: [] for name in numpy_forms}
    memory_t = {name: [] for name in memory_forms}
    for r in range(rounds):  # interleaved, so that every contender sees the same machine
        for label, (data, call) in calls.items():
            rust_t[label].append(min(scorer._time_rust_loop(data, 1, (scores, grades))))
            py_t[label].append(best(call, 1))
        for name, f in numpy_forms.items():
            if name != "einsum" or r < 3:  # einsum is 10x slower than the rest: 3 rounds
                numpy_t[name].append(best(f, 1))
        for name, f in memory_forms.items():
            memory_t[name].append(best(f, 1))
    results = {label: (min(rust_t[label]), min(py_t[label])) for label in calls}
    numpy_t = {name: min(t) for name, t in numpy_t.items()}
    memory_t = {name: min(t) for name, t in memory_t.items()}
    fastest = min(numpy_t, key=numpy_t.get)

    mps = lambda t: n / t / 1e6  # noqa: E731
    print(f"N = {n:,} merchants, 13 indicators x 5 grades, M(·,+), best of {rounds} rounds, "
          f"one thread; Python {platform.python_version()}, numpy {np.__version__}, "
          f"service_quality {sq.__version__}")
    try:
        load = os.getloadavg()
        print(f"machine: {os.cpu_count()} cores, load average {load[0]:.1f} / {load[1]:.1f} / "
              f"{load[2]:.1f} (1 / 5 / 15 min)")
    except OSError:
        pass
    try:
        from threadpoolctl import threadpool_info

        blas = [(i.get("internal_api"), i.get("architecture"), i.get("num_threads"))
                for i in threadpool_info()]
        print(f"BLAS (api, kernels, threads): {blas}")
    except ImportError:
        pass
    print()
    gemm = numpy_t["GEMM (X @ W) @ v"]
    print("| input | Rust loop | Python call | Python / Rust | Python / numpy GEMM | "
          "Python / numpy fastest |")
    print("|---|---|---|---|---|---|")
    ratios = {}
    for label, (rt, pt) in results.items():
        ratios[label] = (rt / pt, gemm / pt, numpy_t[fastest] / pt)
        print(f"| {label} | {mps(rt):.1f} M/s | {mps(pt):.1f} M/s | {100 * rt / pt:.0f} % | "
              f"{gemm / pt:.1f}x | {numpy_t[fastest] / pt:.1f}x ({fastest}) |")
    print()
    print("numpy formulations (f64 memberships given): " + ", ".join(
        f"{name} {mps(t):.1f} M/s" for name, t in numpy_t.items()) + f"; fastest: {fastest}")

    # effective read bandwidth: the bytes of each contender's input over its time
    x_bytes, u8_bytes = flat.nbytes, counts.nbytes
    gbs = lambda nbytes, t: nbytes / t / 1e9  # noqa: E731
    rows = [("memory", name, x_bytes, t) for name, t in memory_t.items()]
    rows += [("numpy", name, x_bytes, t) for name, t in numpy_t.items()]
    for label, (rt, pt) in results.items():
        nbytes = u8_bytes if label.startswith("u8") else x_bytes
        rows += [("Rust loop", label, nbytes, rt), ("Python call", label, nbytes, pt)]
    ceiling = gbs(x_bytes, memory_t["X.sum()"])
    print()
    print(f"X: {n:,} x {k * m} float64 = {x_bytes / 1e6:.1f} MB; u8 counts {u8_bytes / 1e6:.1f} MB "
          "(bandwidths above the last-level cache's size are the memory's)")
    print(f"| contender | input | bytes / merchant | merchants / s | read GB/s | "
          f"share of the X.sum() pass |")
    print("|---|---|---|---|---|---|")
    bandwidth = {}
    for who, name, nbytes, t in rows:
        bw = gbs(nbytes, t)
        bandwidth[f"{who}: {name}"] = bw
        print(f"| {who} | {name} | {nbytes // n} | {mps(t):.1f} M | {bw:.1f} | "
              f"{100 * bw / ceiling:.0f} % |")
    gemv = gbs(x_bytes, numpy_t["GEMV X @ (W @ v)"])
    print()
    print(f"ceiling for f64 memberships: X.sum() reads {ceiling:.1f} GB/s, numpy's GEMV "
          f"{gemv:.1f} GB/s ({100 * gemv / ceiling:.0f} % of it): no scorer that reads X can be "
          f"more than {ceiling / gemv:.1f}x faster than the GEMV here "
          f"({'4x is out of reach' if ceiling / gemv < 4 else '4x is possible'}).")
    return {"results": results, "numpy": numpy_t, "ratios": ratios, "memory": memory_t,
            "bandwidth": bandwidth}


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*args)
