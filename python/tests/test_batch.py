"""The batch scorer over numpy arrays: agreement with the Rust crate's batch results and
with the single evaluation, every input form and dtype, buffers, failures, the GIL."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

import service_quality as sq
from conftest import RUST


@pytest.fixture(scope="module")
def scorer(tree):
    return sq.BatchScorer(sq.Evaluator(tree))


@pytest.fixture(scope="module")
def counts(rust_reference, scorer):
    n = rust_reference["batch_merchants"]
    c = np.array(rust_reference["batch"]["counts"], dtype=np.uint16)
    return c.reshape(n, scorer.n_leaves, scorer.n_grades)


@pytest.mark.parametrize("operator", ["weighted_average", "zadeh_max_min"])
def test_counts_agree_with_rust(tree, counts, rust_reference, operator):
    want = rust_reference["batch"][operator]
    scorer = sq.BatchScorer(sq.Evaluator(tree, operator=operator))
    r = scorer.score_counts(counts)
    assert r.failed == want["failed"] and r.scored == len(counts) - len(want["failed"])
    assert np.allclose(r.scores, want["scores"], rtol=0, atol=RUST)
    assert np.array_equal(r.grades, want["grades"])
    assert r.scores.dtype == np.float64 and r.grades.dtype == np.uint32


def test_dtypes_and_shapes_agree(scorer, counts):
    base = scorer.score_counts(counts)
    small = counts.clip(0, 255)
    want = scorer.score_counts(small.astype(np.uint8))
    for dtype in (np.uint16, np.uint32, np.int64, np.int32, np.uint64):
        r = scorer.score_counts(small.astype(dtype))
        assert np.array_equal(r.scores, want.scores) and np.array_equal(r.grades, want.grades)
    for shaped in (counts.reshape(len(counts), -1), counts.reshape(-1)):
        r = scorer.score_counts(shaped)
        assert np.array_equal(r.scores, base.scores)
    # a view that is not C-contiguous is read through a copy, same result
    view = counts[::2]
    assert not view.flags.c_contiguous
    r = scorer.score_counts(view)
    assert np.array_equal(r.scores, base.scores[::2])


def test_memberships_agree_with_counts_and_single_evaluation(tree, scorer, counts):
    ok = counts.sum(axis=2).min(axis=1) > 0
    c = counts[ok].astype(np.float64)
    x = c / c.sum(axis=2, keepdims=True)
    from_counts = scorer.score_counts(counts[ok])
    r = scorer.score_memberships(x)
    assert r.is_complete
    assert np.allclose(r.scores, from_counts.scores, rtol=0, atol=RUST)
    assert np.array_equal(r.grades, from_counts.grades)
    assert np.array_equal(scorer.score_memberships(x.astype(np.float32)).grades.shape, (len(x),))
    evaluator = sq.Evaluator(tree)
    for i in (0, 17, len(x) - 1):
        data = sq.Memberships()
        for leaf, row, total in zip(scorer.leaf_ids, x[i], c[i].sum(axis=1)):
            data.insert(leaf, row.tolist(), int(total))
        single = evaluator.report(str(i), data)
        assert abs(single.score - r.scores[i]) <= RUST
        assert single.grade == r.grades[i]


def test_answers_agree_with_their_counts(scorer):
    rng = np.random.default_rng(20261129)
    k, m = scorer.n_leaves, scorer.n_grades
    sizes = rng.integers(0, 30, size=200)
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    answers = rng.integers(0, m, size=(offsets[-1], k), dtype=np.uint8)
    answers[rng.random(answers.shape) < 0.1] = 255  # missing
    counts = np.zeros((len(sizes), k, m), dtype=np.uint32)
    for i in range(len(sizes)):
        rows = answers[offsets[i]:offsets[i + 1]]
        for l in range(k):
            a = rows[:, l]
            counts[i, l] = np.bincount(a[a != 255], minlength=m)
    a = scorer.score_answers(answers, offsets)
    b = scorer.score_counts(counts)
    assert a.failed == b.failed and len(a.failed) > 0  # merchants with no respondents
    assert np.allclose(a.scores, b.scores, rtol=0, atol=RUST)
    assert np.array_equal(a.grades, b.grades)
    with pytest.raises(sq.ArgumentError):
        scorer.score_answers(answers.astype(np.int16), offsets)
    with pytest.raises(sq.ArgumentError):
        scorer.score_answers(answers, -offsets)
    with pytest.raises(sq.BatchError):
        scorer.score_answers(answers, offsets[::-1].copy())


def test_out_buffers_and_failures(scorer, counts):
    n = len(counts)
    scores, grades = np.full(n, -1.0), np.zeros(n, dtype=np.uint32)
    r = scorer.score_counts(counts, out=(scores, grades))
    assert r.scores is scores and r.grades is grades
    fresh = scorer.score_counts(counts)
    ok = np.ones(n, dtype=bool)
    ok[r.failed] = False
    assert np.array_equal(scores[ok], fresh.scores[ok])
    # the slots of failed merchants are left as they were (new arrays hold 0 there)
    assert np.all(scores[~ok] == -1.0) and np.all(fresh.scores[~ok] == 0.0)
    index, error = r.failures[0]
    assert index == r.failed[0] == 0
    assert isinstance(error, sq.EvaluationError) and error.node_path == "speed.first_reply"
    assert not r.is_complete and "BatchResult" in repr(r)
    with pytest.raises(sq.ArgumentError):
        scorer.score_counts(counts, out=(scores[:-1], grades[:-1]))
    with pytest.raises(sq.ArgumentError):
        scorer.score_counts(counts, out=(scores.astype(np.float32), grades))


def test_bad_inputs(scorer, counts):
    with pytest.raises(sq.ArgumentError, match="shape"):
        scorer.score_counts(counts.reshape(len(counts), 5, 13))
    with pytest.raises(sq.BatchError):
        scorer.score_counts(counts.reshape(-1)[:-1])
    with pytest.raises(sq.ArgumentError, match="not a count"):
        scorer.score_counts(-counts.astype(np.int64))
    with pytest.raises(sq.ArgumentError):
        scorer.score_counts(counts.astype(np.float64))
    x = np.full((2, scorer.n_leaves, scorer.n_grades), 0.2)
    x[1, 3, 2] = np.nan
    r = scorer.score_memberships(x)
    assert r.failed == [1] and isinstance(r.failures[0][1], sq.EvaluationError)
    assert scorer.score_memberships(np.zeros((0, 13, 5))).scored == 0


def test_parallel_is_bit_identical(tree, counts):
    one = sq.BatchScorer(sq.Evaluator(tree)).score_counts(counts)
    two = sq.BatchScorer(sq.Evaluator(tree), parallel=True).score_counts(counts)
    assert np.array_equal(one.scores, two.scores) and np.array_equal(one.grades, two.grades)


def test_scorer_accessors(scorer, tree):
    assert scorer.leaf_ids == tree.leaf_ids
    assert (scorer.n_leaves, scorer.n_grades, scorer.n_nodes) == (13, 5, 18)
    assert "BatchScorer" in repr(scorer)
    out = (np.zeros(10), np.zeros(10, dtype=np.uint32))
    times = scorer._time_rust_loop(np.ones((10, 13, 5), dtype=np.uint8), 3, out)
    assert len(times) == 3 and all(t >= 0 for t in times)
    assert np.all(out[0] == 75.0)  # one answer per grade: the mean of 95, 85, 75, 65, 55


def test_the_gil_is_released_while_scoring(scorer):
    """Another Python thread runs while a long batch is scored: with the GIL held it could
    not advance at all during the call."""
    x = np.random.default_rng(1).integers(1, 20, size=(2_000_000, 13, 5), dtype=np.uint8)
    ticks = [0]
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            ticks[0] += 1

    t = threading.Thread(target=spin)
    t.start()
    try:
        time.sleep(0.01)
        durations, advanced = [], []
        for _ in range(3):
            before = ticks[0]
            start = time.perf_counter()
            scorer.score_counts(x)
            durations.append(time.perf_counter() - start)
            advanced.append(ticks[0] - before)
    finally:
        stop.set()
        t.join()
    # the spinning thread advanced during the calls (thousands of increments per ms)
    assert max(advanced) > 1000, (advanced, durations)


@pytest.mark.parametrize("operator", ["weighted_average", "zadeh_max_min"])
def test_node_b_is_every_node_s_b_of_the_single_evaluation(tree, counts, operator):
    evaluator = sq.Evaluator(tree, operator=operator)
    scorer = sq.BatchScorer(evaluator)
    assert scorer.node_ids == tree.node_ids
    r = scorer.score_counts(counts, node_b=True)
    n, nodes, m = len(counts), scorer.n_nodes, scorer.n_grades
    assert r.node_b.shape == (n, nodes, m) and r.node_b.dtype == np.float64
    plain = scorer.score_counts(counts)
    assert plain.node_b is None
    # the node-B path composes every node in full: the same scores to 1e-12, the same grades
    assert np.allclose(plain.scores, r.scores, rtol=0, atol=RUST)
    assert np.array_equal(plain.grades, r.grades) and plain.failed == r.failed
    # a failed merchant's block is left at 0
    assert r.failed and not r.node_b[r.failed].any()
    root = scorer.node_ids.index(tree.root_id)
    ok = [i for i in range(n) if i not in set(r.failed)]
    assert np.allclose(r.node_b[ok, root].sum(axis=1), 1.0, rtol=0, atol=RUST)
    for i in ok[:5] + ok[-5:]:
        c = counts[i].astype(np.float64)
        data = sq.Memberships()
        for leaf, row in zip(scorer.leaf_ids, c):
            data.insert(leaf, (row / row.sum()).tolist(), int(row.sum()))
        single = evaluator.evaluate(data)
        for node in single["nodes"]:
            j = scorer.node_ids.index(node["id"])
            assert np.allclose(r.node_b[i, j], node["result"]["normalized"], rtol=0, atol=RUST)


def test_node_b_is_the_same_from_every_input_form(scorer, counts):
    ok = counts.sum(axis=2).min(axis=1) > 0
    c = counts[ok]
    from_counts = scorer.score_counts(c, node_b=True)
    x = c.astype(np.float64) / c.sum(axis=2, keepdims=True)
    from_memberships = scorer.score_memberships(x, node_b=True)
    assert np.allclose(from_memberships.node_b, from_counts.node_b, rtol=0, atol=RUST)
    # answers: each merchant's respondents reproduce its counts
    k, m = scorer.n_leaves, scorer.n_grades
    small = (c[:20] % 4).astype(np.uint8)
    small[:, :, 0] += 1
    rows, offsets = [], [0]
    for block in small:
        depth = int(block.sum(axis=1).max())
        answers = np.full((depth, k), 255, dtype=np.uint8)
        for leaf in range(k):
            codes = np.repeat(np.arange(m), block[leaf])
            answers[: len(codes), leaf] = codes
        rows.append(answers)
        offsets.append(offsets[-1] + depth)
    from_answers = scorer.score_answers(np.vstack(rows), np.array(offsets), node_b=True)
    assert np.allclose(from_answers.node_b, scorer.score_counts(small, node_b=True).node_b, rtol=0, atol=RUST)
