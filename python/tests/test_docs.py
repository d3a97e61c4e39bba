"""The README's Python section runs and gives the crate's after-sales results."""

from __future__ import annotations

import contextlib
import io
import os
import re

from conftest import REPO, RUST


def test_readme_python_block(rust_reference):
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Python"):]
    block = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    scope: dict = {}
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        with contextlib.redirect_stdout(io.StringIO()) as out:
            exec(compile(block, "README.md", "exec"), scope)  # noqa: S102
    finally:
        os.chdir(cwd)
    assert "shop-23" in out.getvalue()
    got = {r.merchant: r.score for r in scope["reports"]}
    want = {r["merchant"]: r["nodes"][0]["score"] for r in rust_reference["reports"]}
    assert got.keys() == want.keys()
    assert all(abs(got[m] - want[m]) <= RUST for m in want)
