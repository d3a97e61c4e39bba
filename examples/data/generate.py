#!/usr/bin/env python3
"""Generates the bundled example data deterministically (Python 3 standard library only).

    python3 examples/data/generate.py

writes survey.csv and kpi.csv next to this script. See README.md in this folder.
"""
import csv
import math
import os
import random

SEED = 20261126
HERE = os.path.dirname(os.path.abspath(__file__))

GRADES = ["很满意", "满意", "一般", "不满意", "很不满意"]  # best first, as GradeSet::satisfaction_5
DIMENSIONS = {
    "speed": ["first_reply", "resolution_time", "feedback_time"],
    "attitude": ["courtesy", "proactiveness", "respect"],
    "professionalism": ["knowledge", "tools", "advice"],
    "satisfaction": [
        "speed_satisfaction",
        "attitude_satisfaction",
        "professionalism_satisfaction",
        "resolution_satisfaction",
    ],
}
# the satisfaction questions follow the dimension they ask about
SATISFACTION_OF = {
    "speed_satisfaction": "speed",
    "attitude_satisfaction": "attitude",
    "professionalism_satisfaction": "professionalism",
    "resolution_satisfaction": None,
}
# merchants that stand out in one dimension: (offset on the 1..5 scale, KPI time factor)
STANDOUTS = {
    "shop-04": ("speed", -1.3),  # slow: replies and resolutions take far longer
    "shop-09": ("attitude", -1.4),  # rude or indifferent service staff
    "shop-13": ("professionalism", +0.9),  # expert staff, good advice
    "shop-17": ("speed", +0.9),  # 7x24 online service, replies within seconds
    "shop-21": ("professionalism", -1.2),  # staff cannot use the after-sales tools
}
N_MERCHANTS = 24
MISSING_RATE = 0.04


def clamp(x, lo, hi):
    return max(lo, min(hi, x))


def merchant_profiles(rng):
    profiles = []
    for k in range(1, N_MERCHANTS + 1):
        name = f"shop-{k:02d}"
        base = rng.gauss(0.0, 0.35)
        offsets = {d: rng.gauss(0.0, 0.2) for d in DIMENSIONS}
        if name in STANDOUTS:
            dim, off = STANDOUTS[name]
            offsets[dim] += off
        profiles.append((name, base, offsets))
    return profiles


def likert(rng, mean):
    """A 5..1 answer around `mean` (5 = very satisfied), as a grade label."""
    x = round(rng.gauss(mean, 0.85))
    return GRADES[5 - clamp(x, 1, 5)]


def write_survey(rng, profiles):
    indicators = [i for leaves in DIMENSIONS.values() for i in leaves]
    path = os.path.join(HERE, "survey.csv")
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["merchant", "respondent"] + indicators)
        rid = 0
        for name, base, offsets in profiles:
            for _ in range(rng.randint(30, 200)):
                rid += 1
                mood = rng.gauss(0.0, 0.3)  # a respondent's general leniency
                row = [name, f"r{rid:05d}"]
                for dim, leaves in DIMENSIONS.items():
                    for leaf in leaves:
                        if rng.random() < MISSING_RATE:
                            row.append("")
                            continue
                        if dim == "satisfaction":
                            about = SATISFACTION_OF[leaf]
                            off = (
                                offsets[about]
                                if about
                                else sum(offsets.values()) / len(offsets)
                            )
                        else:
                            off = offsets[dim]
                        row.append(likert(rng, 3.9 + base + off + mood))
                w.writerow(row)
    return rid


def minutes(rng, median, spread=0.6):
    return round(median * math.exp(rng.gauss(0.0, spread)), 1)


def write_kpi(rng, profiles):
    path = os.path.join(HERE, "kpi.csv")
    cases = 0
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(
            ["merchant", "case", "class", "first_reply", "resolution_time", "feedback_time"]
        )
        for name, base, offsets in profiles:
            # faster service -> shorter times; 1 point on the answer scale ~ a factor e
            factor = math.exp(-(base + offsets["speed"]))
            for _ in range(rng.randint(20, 60)):
                cases += 1
                urgent = rng.random() < 0.25
                if urgent:
                    reply = minutes(rng, 1.5 * factor)
                    solve = minutes(rng, 70 * factor)
                else:
                    reply = minutes(rng, 12 * factor)
                    solve = minutes(rng, 600 * factor)
                feedback = round(solve + minutes(rng, (30 if urgent else 120) * factor), 1)
                if rng.random() < 0.05:  # still open: not resolved, no feedback yet
                    solve, feedback = "", ""
                w.writerow(
                    [name, f"c{cases:05d}", "urgent" if urgent else "ordinary", reply, solve, feedback]
                )
    return cases


def main():
    rng = random.Random(SEED)
    profiles = merchant_profiles(rng)
    respondents = write_survey(rng, profiles)
    cases = write_kpi(rng, profiles)
    print(f"survey.csv: {respondents} respondents; kpi.csv: {cases} cases; {len(profiles)} merchants")


if __name__ == "__main__":
    main()
