# %% [markdown]
# # service_quality walk-through
#
# A notebook in plain Python (`# %%` cells: open it in Jupyter with jupytext, VS Code or
# Spyder, or run it as a script from the repository root). It goes through the pipeline of
# the Rust crate `service-quality` from Python: AHP weights with their consistency, the
# indicator tree, survey answers from pandas, the fuzzy comprehensive evaluation and its
# report, expert panels, and batch scoring over numpy arrays.

# %%
import sys
from pathlib import Path

import numpy as np
import pandas as pd

import service_quality as sq

EXAMPLES = Path.cwd() / "python" / "examples"
if not EXAMPLES.exists():  # started from python/examples
    EXAMPLES = Path.cwd()
sys.path.insert(0, str(EXAMPLES))
import after_sales  # noqa: E402  (the example script: its data folder and KPI thresholds)

DATA = after_sales.DATA

# %% [markdown]
# ## 1. One pairwise comparison matrix
#
# Saaty's 1–9 scale, entries above the diagonal row by row. The eigenvector method is the
# default; the row geometric mean (RGMM) and the normalised column average (AN) are there too.
# The consistency report gives lambda_max, CI, RI (from the named table) and CR.

# %%
m = sq.PairwiseMatrix.from_upper_triangle(4, [3, 5, 7, 2, 3, 2])
for method in sq.PRIORITY_METHODS:
    p = m.priorities(method)
    print(f"{method:<26} {np.round(p.weights, 4)}  CR = {p.cr:.4f}")
print(m.consistency())
print("RI tables:", sq.RANDOM_INDEX_TABLES)
print("Saaty 1980, n = 1..10:", sq.random_index_table("saaty1980")[:10])

# %% [markdown]
# ## 2. The indicator tree
#
# The after-sales model: 4 dimensions, 13 indicators, the experts' judgements at every group
# node. The strict build refuses a model with any CR >= 0.10.

# %%
tree = sq.IndicatorTree.from_file(DATA / "after_sales_model.json").require_consistency(0.10)
print(tree)
nodes = tree.to_frame()
nodes[["label", "depth", "local_weight", "global_weight", "cr"]]

# %% [markdown]
# The same model can come from a dict (for example one edited in Python) or start from the
# template, which weights every group equally.

# %%
spec = tree.to_dict()
spec["root"]["judgements"] = {"upper": [1, 1, 1, 1, 1, 1]}  # the four dimensions equal
equal = sq.IndicatorTree.from_dict(spec)
pd.DataFrame({"experts": tree.leaf_weights(), "equal dimensions": equal.leaf_weights()}).round(4)

# %% [markdown]
# ## 3. Survey answers from pandas
#
# One row per respondent; cells are grade labels (English or Chinese) or positions 1..5.

# %%
answers = pd.read_csv(DATA / "survey.csv")
survey = sq.Survey.from_dataframe(
    answers, tree, on_bad_row="skip", ignored_columns=after_sales.IGNORED)
print(survey, "skipped rows:", len(survey.skipped))
survey.memberships("shop-08").to_frame(sq.GradeSet.satisfaction_5()).round(3)

# %% [markdown]
# Response speed is measured (minutes to first reply, resolution, feedback), with thresholds
# per class of case; the KPI memberships join the survey's.

# %%
kpi_model = after_sales.kpi_model()  # the thresholds of examples/after_sales.py
kpi = sq.KpiTally.from_dataframe(pd.read_csv(DATA / "kpi.csv"), kpi_model, on_bad_row="skip")
print("an urgent case answered after 3.5 min:", kpi_model.membership("first_reply", "urgent", 3.5))

# %% [markdown]
# ## 4. Evaluation and reports

# %%
evaluator = sq.Evaluator(tree)
reports = evaluator.report_all(survey, kpi)
ranking = sq.reports_frame(reports).sort_values("score", ascending=False)
ranking.round(2)

# %%
weakest = min(reports, key=lambda r: r.score)
print(weakest.display("zh"))
weakest.indicators_frame().sort_values("shortfall", ascending=False).head(5)

# %% [markdown]
# Other operators: M(∧,∨) at the goal, M(·,+) below; the ranking moves with the operator.

# %%
maxmin = sq.Evaluator(tree, level_operators={0: "zadeh_max_min"}).report_all(survey, kpi)
pd.DataFrame({"M(·,+)": {r.merchant: r.score for r in reports},
              "M(∧,∨) at the goal": {r.merchant: r.score for r in maxmin}}).round(2).head()

# %% [markdown]
# ## 5. An expert panel
#
# Five experts judged the same hierarchy; AIJ aggregates their judgements node by node,
# leaving out experts whose CR is 0.10 or more.

# %%
panel = sq.GroupTree.from_file(DATA / "expert_panel.json")
goal = panel.nodes()["after_sales"]
print("excluded at the goal:", [panel.expert_names[e["expert"]] for e in goal["excluded"]])
print("consensus S* =", round(goal["consensus"]["s_star"], 4))
pd.Series(panel.tree.leaf_weights(), name="panel weight").round(4)

# %% [markdown]
# ## 6. A platform's merchants at once
#
# Counts of answers per (merchant, indicator, grade) in a numpy array are scored in place,
# without the GIL; merchants that cannot be scored are listed with the reason.

# %%
rng = np.random.default_rng(2026)
counts = rng.integers(0, 40, size=(1_000_000, 13, 5), dtype=np.uint8)
counts[::250_000, 0] = 0  # no answer on the first indicator
scorer = sq.BatchScorer(evaluator)
result = scorer.score_counts(counts)
print(result, "first failure:", result.failures[0])
pd.Series(result.grades).value_counts().sort_index().rename(
    index=dict(enumerate(evaluator.grades.labels)))
