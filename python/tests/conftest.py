"""Shared fixtures: the repository's bundled data and the Rust crate's own results on it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import service_quality as sq

#: the Rust crate's tolerance for results that agree with it (`tests/common/tol.rs`,
#: CLOSED_FORM); the bindings must give the crate's numbers to this
RUST = 1e-12
#: `tests/common/tol.rs` EIGEN: eigenvector weights against numpy/LAPACK
EIGEN = 1e-10

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "examples" / "data"
TEST_DATA = REPO / "tests" / "data"

sys.path.insert(0, str(REPO / "python" / "examples"))
#: the example script reproducing `examples/after_sales.rs`: its KPI thresholds and the survey
#: columns it ignores are the tests' too
import after_sales  # noqa: E402

IGNORED = after_sales.IGNORED


@pytest.fixture(scope="session")
def tree() -> sq.IndicatorTree:
    return sq.IndicatorTree.from_file(DATA / "after_sales_model.json").require_consistency(0.1)


@pytest.fixture(scope="session")
def kpi_model() -> sq.KpiModel:
    return after_sales.kpi_model()


@pytest.fixture(scope="session")
def rust_reference() -> dict:
    """The output of `cargo run -p service-quality-python-reference` (python/reference): the
    crate's weights, reports and batch scores on the bundled data. Skipped (with the reason
    printed under `pytest -rs`) where there is no Rust toolchain or no repository."""
    cargo = shutil.which("cargo")
    if cargo is None:
        pytest.skip("no `cargo` on PATH: the Rust reference results cannot be computed here")
    if not (REPO / "Cargo.toml").exists():
        pytest.skip(f"not in the repository ({REPO}): the Rust reference cannot be built")
    run = subprocess.run(
        [cargo, "run", "--release", "--quiet", "-p", "service-quality-python-reference"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)
