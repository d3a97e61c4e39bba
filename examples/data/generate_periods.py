#!/usr/bin/env python3
"""Generates the multi-period survey data of the period_review example (Python 3 standard
library only, fixed seed, byte-for-byte reproducible).

    python3 examples/data/generate_periods.py

writes periods/survey_2024-Q1.csv ... periods/survey_2024-Q4.csv next to this script: four
quarters of survey answers about 20 merchants, in the format of survey.csv (a `merchant` and a
`respondent` column, one column per indicator, cells 很满意 / 满意 / 一般 / 不满意 / 很不满意,
about 3 % empty).

The merchants follow planned trajectories over the quarters (offsets on the 1-5 answer scale):

- improving: shop-02 (+0.25 per quarter everywhere), shop-07 (speed +0.45 per quarter: a
  "respond within 1 hour" policy), shop-12 (+0.2 per quarter);
- declining: shop-05 (-0.25 per quarter), shop-11 (attitude -0.45 per quarter: new staff),
  shop-16 (stable, then -1.0 in Q4: a sudden drop);
- shop-19 has only 6-8 respondents per quarter (too few to be tiered);
- shop-20 opens in Q2 (absent from Q1), shop-18 closes after Q3 (absent from Q4);
- every other merchant stays flat: its level plus noise.
"""
import csv
import os
import random

SEED = 20261129
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "periods")

GRADES = ["很满意", "满意", "一般", "不满意", "很不满意"]  # best first (GradeSet::satisfaction_5)
DIMENSIONS = {
    "speed": ["first_reply", "resolution_time", "feedback_time"],
    "attitude": ["courtesy", "proactiveness", "respect"],
    "professionalism": ["knowledge", "tools", "advice"],
}
SATISFACTION = {
    "speed_satisfaction": "speed",
    "attitude_satisfaction": "attitude",
    "professionalism_satisfaction": "professionalism",
    "resolution_satisfaction": None,
}
COLUMNS = [i for d in DIMENSIONS.values() for i in d] + list(SATISFACTION)
PERIODS = ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]
MERCHANTS = [f"shop-{k:02d}" for k in range(1, 21)]
MISSING_RATE = 0.03


def trajectory(name, period):
    """Offsets per dimension for merchant `name` in period index `period`."""
    t = period
    zero = {d: 0.0 for d in DIMENSIONS}
    if name == "shop-02":
        return {d: 0.25 * t for d in DIMENSIONS}
    if name == "shop-07":
        return {**zero, "speed": -0.9 + 0.45 * t}
    if name == "shop-12":
        return {d: 0.2 * t for d in DIMENSIONS}
    if name == "shop-05":
        return {d: -0.25 * t for d in DIMENSIONS}
    if name == "shop-11":
        return {**zero, "attitude": -0.45 * t}
    if name == "shop-16":
        return {d: (-1.0 if t == 3 else 0.0) for d in DIMENSIONS}
    return zero


def present(name, period):
    if name == "shop-20" and period == 0:
        return False
    if name == "shop-18" and period == 3:
        return False
    return True


def answer(rng, mean):
    x = round(rng.gauss(mean, 0.8))
    return GRADES[5 - max(1, min(5, x))]


def main():
    rng = random.Random(SEED)
    levels = {m: rng.gauss(0.0, 0.3) for m in MERCHANTS}
    sizes = {m: (rng.randint(6, 8) if m == "shop-19" else rng.randint(40, 110)) for m in MERCHANTS}
    os.makedirs(OUT, exist_ok=True)
    for p, period in enumerate(PERIODS):
        path = os.path.join(OUT, f"survey_{period}.csv")
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["merchant", "respondent"] + COLUMNS)
            respondent = 0
            for m in MERCHANTS:
                if not present(m, p):
                    continue
                offsets = trajectory(m, p)
                n = sizes[m] + rng.randint(-5, 5) if m != "shop-19" else rng.randint(6, 8)
                for _ in range(n):
                    respondent += 1
                    leniency = rng.gauss(0.0, 0.3)
                    base = 3.9 + levels[m] + leniency
                    row = []
                    for column in COLUMNS:
                        dim = next((d for d, items in DIMENSIONS.items() if column in items), None)
                        if dim is None:
                            dim = SATISFACTION[column]
                        off = offsets[dim] if dim else sum(offsets.values()) / len(offsets)
                        row.append("" if rng.random() < MISSING_RATE else answer(rng, base + off))
                    w.writerow([m, f"r{respondent:05d}"] + row)


if __name__ == "__main__":
    main()
