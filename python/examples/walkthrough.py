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

# %% [markdown]
# Every node's B vector per merchant comes back too when asked for: `(merchants, nodes,
# grades)`, nodes in `scorer.node_ids` order.

# %%
some = scorer.score_counts(counts[1:1001], node_b=True)
dims = [scorer.node_ids.index(d) for d in tree.children(tree.root_id)]
pd.DataFrame(some.node_b[:3, dims, :].reshape(3, -1).round(3))

# %% [markdown]
# ## 7. The questionnaire export as it was downloaded
#
# A Wenjuanxing export (numbered question headers, its metadata columns, 非常满意 and
# (跳过) cells) read with a survey layout; `SurveyCounts` tallies it straight into the batch
# scorer's counts.

# %%
layout = sq.SurveyLayout.from_file(DATA / "wenjuanxing_layout.json")
export = sq.SurveyCounts.read(DATA / "wenjuanxing_export_gbk.csv", tree, layout)
scored = sq.BatchScorer(sq.Evaluator(tree, unanswered="exclude")).score_counts(export.counts)
pd.Series(scored.scores, index=export.merchants, name="score").round(2)

# %% [markdown]
# The paper's tables: the judgement matrices with their consistency, the weights, the
# overall consistency per level, and one merchant's composition, in Chinese or English, as
# text, Markdown, CSV, JSON or DataFrames.

# %%
weights = sq.WeightTable(tree)
print(weights.overall_table().text("zh"))
shop = survey.memberships("shop-08")
shop.merge(kpi.memberships("shop-08"))  # the measured handling times
tables = sq.MerchantTables(evaluator, "shop-08", shop)
tables.summary_table().to_frame("en").head()

# %% [markdown]
# ## 8. Questionnaire statistics
#
# The answers as 0-based grade codes (a DataFrame, NaN for a missing answer): descriptive
# statistics, Cronbach's alpha per dimension, correlations, KMO and Bartlett, principal
# components with varimax, and k-means of the merchants on their dimension scores.

# %%
codes_of = {label: i for i, label in enumerate(sq.GradeSet.satisfaction_5().labels_zh)}
items = [leaf for leaf in tree.leaf_ids if leaf in answers.columns]
codes = answers[items].apply(lambda column: column.map(codes_of)).astype("float64")
print(sq.describe(codes).table(labels=tree).text("zh"))

# %%
dims = sq.reliability_by_dimension(tree, codes)
print(sq.reliability_table(dims, sq.Reliability.of(codes), labels=tree).markdown())
sq.CorrelationMatrix.of(codes, "spearman").to_frame().round(2)

# %%
print(sq.SamplingAdequacy.of(codes).table().text())
fa = sq.FactorAnalysis.of(codes)
print(fa.structure(tree).table(labels=tree).text())

# %%
merchants, scores = sq.merchant_dimension_scores(tree, codes, answers["merchant"].tolist())
clusters = sq.KMeans(3, seed=1).fit(scores)
print(clusters.table(labels=tree).text())
pd.Series(clusters.labels, index=merchants, name="cluster").value_counts()

# %% [markdown]
# ## 9. Judgements that are hesitant, missing or inconsistent
#
# Fuzzy judgements `(l, m, u)` give Buckley's weights; a matrix with missing pairs is
# completed; an inconsistent one is diagnosed and repaired step by step.

# %%
fuzzy = sq.FuzzyPairwiseMatrix.from_saaty_upper(4, [3, 5, 7, 2, 3, 2])
print(np.round(fuzzy.buckley().weights, 4), fuzzy.consistency("graded_mean_buckley"))
gaps = sq.IncompleteMatrix.from_upper_triangle(4, [3, None, 7, 2, None, 2])
print(gaps.complete().filled())
bad = sq.PairwiseMatrix.from_upper_triangle(4, [2, 4, 4, 2, 2, 7])
print(bad.inconsistent_judgements()[0], bad.gci())
repair = bad.repair()
print(repair, repair.steps())

# %% [markdown]
# ## 10. Using the results over four quarters
#
# One scoreboard per quarter (stored as JSON between quarters), the outcome rules of
# `examples/data/outcome_rules.json`: ranking with reward / penalty tiers, the rectification
# list, alerts and the quarter-on-quarter comparison.

# %%
rules = sq.OutcomeRules.from_file(DATA / "outcome_rules.json")
estimator = sq.IntervalEstimator(evaluator, 0.95, "perfect")  # 95 % intervals from counts
boards = []
for period in ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]:
    quarter = sq.Survey.from_csv(DATA / "periods" / f"survey_{period}.csv", tree,
                                 ignored_columns=["respondent"])
    reports_q = [evaluator.report(m, quarter.memberships(m)) for m in quarter.merchant_names]
    std_errors = [estimator.interval([quarter.tally(m)["counts"][leaf] for leaf in quarter.indicators])
                  .std_error for m in quarter.merchant_names]
    board = sq.Scoreboard.from_reports(period, evaluator, reports_q).with_std_errors(std_errors)
    boards.append(sq.Scoreboard.from_json(board.to_json()))  # as stored between quarters
history = sq.History(boards)
latest = history.board(3)
print(rules.rank(latest).table_with_tiers(rules.tiers(latest)).text("zh"))
print(rules.rectify(latest).merchant_table(5).text())
print(rules.alerts_table(history).text("zh"))
rules.compare(history, 2, 3).table().to_frame().head()
