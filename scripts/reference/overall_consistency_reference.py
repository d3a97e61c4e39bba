#!/usr/bin/env python3
"""Independent reference values for the hierarchy's overall consistency (层次总排序一致性)
and the weight table of `service_quality`.

What it computes
----------------
For two hierarchies, with numpy only:

* every pairwise-judged node: the principal right eigenvector (numpy.linalg.eig, column of
  the eigenvalue with the largest real part, real part taken, normalised to sum 1),
  lambda_max (that eigenvalue's real part), CI = (lambda_max - n) / (n - 1) (0 for n <= 2),
  RI from Saaty's 1980 table and CR = CI / RI (0 for n <= 2);
* every node's global weight (the product of the local weights on its path);
* per depth d with judged nodes: CI_d = sum_j a_j CI_j, RI_d = sum_j a_j RI_j over the
  judged nodes j at depth d, a_j their global weights; CR_d = CI_d / RI_d (0 when RI_d = 0);
  and the cumulative CR, the sum of CR_d from the goal down.

The hierarchies:

* "jiang_travel": the "选择旅游地" (choosing a travel destination) example of
  姜启源, 谢金星, 叶俊《数学模型》(第四版), 高等教育出版社, 2011, §8.1 层次分析模型:
  five criteria (景色 scenery, 费用 cost, 居住 lodging, 饮食 food, 旅途 travel) judged
  by matrix A, and three destinations P1..P3 judged under each criterion by B1..B5. A tree
  has one parent per node, so each criterion gets its own three leaves (`k_p1`..`k_p3`);
  the overall consistency only needs each node's CI and global weight, which this does
  not change. Fractions 1/k are the f64 value of 1.0 / k, as the Rust side builds them from
  the upper triangle.
* "after_sales_model": the bundled examples/data/after_sales_model.json, its `pairs`
  judgements turned into matrices (a_ab = v, a_ba = 1 / v) in the order of the children.

How to run
----------
    python3 -m venv /tmp/venv-ref                       # outside the repository
    /tmp/venv-ref/bin/pip install numpy==2.4.6 threadpoolctl
    OPENBLAS_CORETYPE=Haswell /tmp/venv-ref/bin/python scripts/reference/overall_consistency_reference.py

It writes tests/data/overall_consistency_reference.json, read by tests/weight_table.rs.

Versions used to generate the committed file
--------------------------------------------
Python 3.11.7, numpy 2.4.6 (OpenBLAS, Haswell kernels); the file's metadata records them.
"""

from __future__ import annotations

import json

import numpy as np

from reference_json import CRATE_ROOT, tool_versions, write_reference

# Saaty (1980), n = 1..=15, as in src/model/ahp/consistency.rs
SAATY_1980 = [0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59]


def from_upper(n: int, upper: list[float]) -> np.ndarray:
    a = np.ones((n, n))
    k = 0
    for i in range(n):
        for j in range(i + 1, n):
            a[i, j] = upper[k]
            a[j, i] = 1.0 / upper[k]
            k += 1
    return a


def eigen(a: np.ndarray) -> tuple[list[float], float]:
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    w = np.abs(vectors[:, k].real)
    return (w / w.sum()).tolist(), float(values[k].real)


def evaluate(root: dict) -> dict:
    """Judged nodes, global weights and levels of a model file's root node, whose judgements
    are `{"upper": [...]}` or `{"pairs": [[a, b, v], ...]}`."""
    nodes, globals_, levels = [], {}, {}
    stack = [(root, 1.0, 0)]
    while stack:
        node, weight, depth = stack.pop()
        globals_[node["id"]] = weight
        children = node.get("children", [])
        if not children:
            continue
        n = len(children)
        judgements = node["judgements"]
        if "upper" in judgements:
            a = from_upper(n, judgements["upper"])
        else:
            index = {c["id"]: i for i, c in enumerate(children)}
            a = np.ones((n, n))
            for x, y, v in judgements["pairs"]:
                a[index[x], index[y]] = float(v)
                a[index[y], index[x]] = 1.0 / float(v)
        w, lam = eigen(a)
        ri = SAATY_1980[n - 1]
        ci = 0.0 if n <= 2 else (lam - n) / (n - 1)
        cr = 0.0 if n <= 2 else ci / ri
        nodes.append({"id": node["id"], "depth": depth, "weights": w, "lambda_max": lam,
                      "ci": ci, "ri": ri, "cr": cr, "global_weight": weight})
        level = levels.setdefault(depth, {"depth": depth, "nodes": [], "ci": 0.0, "ri": 0.0})
        level["nodes"].append(node["id"])
        level["ci"] += weight * ci
        level["ri"] += weight * ri
        for child, wc in reversed(list(zip(children, w))):
            stack.append((child, weight * wc, depth + 1))
    out_levels, cumulative = [], 0.0
    for depth in sorted(levels):
        level = levels[depth]
        level["cr"] = level["ci"] / level["ri"] if level["ri"] > 0 else 0.0
        cumulative += level["cr"]
        level["cumulative_cr"] = cumulative
        out_levels.append(level)
    # preorder of the judged nodes (the stack visits children in order)
    return {"nodes": nodes, "global_weights": globals_, "levels": out_levels}


def jiang_travel() -> dict:
    criteria = [("scenery", "景色"), ("cost", "费用"), ("lodging", "居住"), ("food", "饮食"),
                ("travel", "旅途")]
    # A, upper triangle row by row
    a_upper = [1 / 2, 4, 3, 3, 7, 5, 5, 1 / 2, 1 / 3, 1]
    b_upper = [
        [2, 5, 2],              # B1 scenery
        [1 / 3, 1 / 8, 1 / 3],  # B2 cost
        [1, 3, 3],              # B3 lodging
        [3, 4, 1],              # B4 food
        [1, 1 / 4, 1 / 4],      # B5 travel
    ]
    children = []
    for (cid, zh), upper in zip(criteria, b_upper):
        children.append({
            "id": cid, "label": cid, "label_zh": zh,
            "judgements": {"upper": [float(x) for x in upper]},
            "children": [{"id": f"{cid}_p{p}", "label": f"P{p}"} for p in (1, 2, 3)],
        })
    root = {"id": "goal", "label": "Choosing a travel destination", "label_zh": "选择旅游地",
            "judgements": {"upper": [float(x) for x in a_upper]}, "children": children}
    result = evaluate(root)
    # the book's combined weights of the destinations: sum over criteria of P_p's global weight
    result["combined"] = [sum(result["global_weights"][f"{c}_p{p}"] for c, _ in criteria)
                          for p in (1, 2, 3)]
    return {"name": "jiang_travel", "model": {"root": root}, **result}


def after_sales() -> dict:
    path = CRATE_ROOT / "examples" / "data" / "after_sales_model.json"
    model = json.loads(path.read_text(encoding="utf-8"))
    return {"name": "after_sales_model", "model_file": "examples/data/after_sales_model.json",
            **evaluate(model["root"])}


def main() -> None:
    metadata = {
        "generator": "scripts/reference/overall_consistency_reference.py",
        **tool_versions("numpy"),
        "ri_table": "Saaty (1980)",
        "source": "姜启源, 谢金星, 叶俊《数学模型》(第四版), 高等教育出版社, 2011, §8.1 "
                  "(选择旅游地); examples/data/after_sales_model.json",
    }
    path = write_reference("overall_consistency_reference.json", metadata,
                           {"cases": [jiang_travel(), after_sales()]})
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
