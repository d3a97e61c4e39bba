"""The gate's result as a text table (terminal) and as Markdown (a CI step summary)."""

from __future__ import annotations

import math

from . import stats

HEADLINE = {
    stats.PASS: "pass: no gated benchmark is slower beyond the threshold",
    stats.REGRESSION: "REGRESSION: a gated benchmark is slower beyond the threshold",
    stats.INCONCLUSIVE: "inconclusive: the noise is too large to rule a regression in or out "
                        "(not a failure; rerun, or run on a quieter machine)",
}


def fmt_ns(ns: float | None) -> str:
    """A time with a unit that keeps three or four digits."""
    if ns is None or not math.isfinite(ns):
        return "-"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}" if ns / scale < 100 else f"{ns / scale:.0f} {unit}"
    return f"{ns:.3g} ns"


def fmt_change(ratio: float | None) -> str:
    """A ratio head/base as a signed percentage."""
    if ratio is None or not math.isfinite(ratio):
        return "-"
    return f"{100 * (ratio - 1):+.1f} %"


def fmt_interval(c: dict) -> str:
    if c["ci_low"] is None:
        return "-"
    return f"[{fmt_change(c['ci_low'])}, {fmt_change(c['ci_high'])}]"


def fmt_noise(noise: float | None) -> str:
    if noise is None or not math.isfinite(noise):
        return "-"
    return f"±{100 * noise:.1f} %"


def noise_summary(result: dict) -> dict:
    """The median and the largest interval half-width over the gated benchmarks."""
    noises = [c["noise"] for c in result["comparisons"]
              if c["gated"] and c["noise"] is not None and math.isfinite(c["noise"])]
    if not noises:
        return {"median": None, "max": None}
    return {"median": stats.median(noises), "max": max(noises)}


def counts(result: dict) -> dict[str, int]:
    """How many gated benchmarks got each verdict."""
    out: dict[str, int] = {}
    for c in result["comparisons"]:
        if c["gated"]:
            out[c["verdict"]] = out.get(c["verdict"], 0) + 1
    return out


def _settings_line(result: dict) -> str:
    s = result["settings"]
    line = (f"{result['mode']} mode: {s['rounds']} paired rounds, {s['warm_up_ms']} ms warm-up + "
            f"{s['measure_ms']} ms measurement per benchmark ({s['clock']} clock, {s['estimator']} of the samples), threshold {100 * s['threshold']:.0f} %, "
            f"{100 * s['confidence']:.0f} % intervals")
    if s.get("features"):
        line += f", features {s['features']}"
    if s.get("head_slowdown"):
        line += f", head built with the test slowdown {s['head_slowdown']}"
    return line


def _machine_line(result: dict) -> str:
    m = result["machine"]
    return (f"{m['model'] or m['machine']}, {m['cores']} cores, CPU features: "
            f"{' '.join(m['features']) or 'none of the listed'}; load average "
            f"{m['load_average_start']} at the start, {m['load_average_end']} at the end; "
            f"{m['rustc']}")


def label(c: dict) -> str:
    """A benchmark's id, marked when it is timed relative to its baseline."""
    return f"{c['id']} *" if c.get("normalised_by") else c["id"]


def normalised_note(result: dict, mark: str = "*") -> list[str]:
    """The footnote for benchmarks timed relative to their baseline (none when there are
    none)."""
    pairs = sorted({(c["id"], c["normalised_by"]) for c in result["comparisons"]
                    if c.get("normalised_by")})
    if not pairs:
        return []
    return [f"{mark} timed relative to a plain pass over the same bytes in the same process "
            f"(e.g. `{pairs[0][1]}` for `{pairs[0][0]}`), the median over the build's "
            f"processes; shown at the run's median speed of that pass", ""]


def text(result: dict) -> str:
    """A plain table for the terminal."""
    lines = [
        f"base {result['base']['rev']} ({result['base']['commit'][:12]}) vs head "
        f"{result['head']['rev']} ({result['head']['commit']})",
        _settings_line(result),
        _machine_line(result),
        "",
        f"{'benchmark':<52} {'base':>9} {'head':>9} {'change':>8} {'interval':>20} "
        f"{'noise':>8}  verdict",
    ]
    for c in result["comparisons"]:
        verdict = c["verdict"] if c["gated"] else f"({c['verdict']}, reported only)"
        lines.append(
            f"{label(c):<52} {fmt_ns(c['base_median_ns']):>9} {fmt_ns(c['head_median_ns']):>9} "
            f"{fmt_change(c['ratio_median']):>8} {fmt_interval(c):>20} "
            f"{fmt_noise(c['noise']):>8}  {verdict}")
    n = noise_summary(result)
    lines += [""] + normalised_note(result) + [
        f"noise (half-width of the intervals, gated benchmarks): median {fmt_noise(n['median'])}, "
        f"largest {fmt_noise(n['max'])}",
        f"verdicts of the gated benchmarks: "
        + ", ".join(f"{v} {k}" for k, v in sorted(counts(result).items())),
        f"time: build {result['seconds']['build']:.0f} s, measurement "
        f"{result['seconds']['measure']:.0f} s",
        f"VERDICT: {HEADLINE[result['verdict']]} (exit code {result['exit_code']})",
    ]
    return "\n".join(lines)


def markdown(result: dict) -> str:
    """A summary for a CI step summary (GitHub's $GITHUB_STEP_SUMMARY)."""
    icon = {stats.PASS: "✅", stats.REGRESSION: "❌", stats.INCONCLUSIVE: "⚠️"}[result["verdict"]]
    n = noise_summary(result)
    out = [
        f"## Benchmark gate: {icon} {result['verdict']}",
        "",
        f"{HEADLINE[result['verdict']]}.",
        "",
        f"- base `{result['base']['rev']}` ({result['base']['commit'][:12]}), head "
        f"`{result['head']['rev']}` ({result['head']['commit']})",
        f"- {_settings_line(result)}",
        f"- machine: {_machine_line(result)}",
        f"- noise (half-width of the intervals of the gated benchmarks): median "
        f"{fmt_noise(n['median'])}, largest {fmt_noise(n['max'])}",
        f"- verdicts: " + ", ".join(f"{v} {k}" for k, v in sorted(counts(result).items())),
        f"- time: build {result['seconds']['build']:.0f} s, measurement "
        f"{result['seconds']['measure']:.0f} s",
        "",
        "| benchmark | base | head | change (median) | interval | noise | verdict |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for c in result["comparisons"]:
        verdict = f"**{c['verdict']}**" if c["gated"] and c["verdict"] in (
            stats.REGRESSION, stats.INCONCLUSIVE) else c["verdict"]
        if not c["gated"]:
            verdict += " (reported only)"
        out.append(
            f"| `{c['id']}`{' *' if c.get('normalised_by') else ''} | {fmt_ns(c['base_median_ns'])} | {fmt_ns(c['head_median_ns'])} | "
            f"{fmt_change(c['ratio_median'])} | {fmt_interval(c)} | {fmt_noise(c['noise'])} | "
            f"{verdict} |")
    out += [""] + normalised_note(result, "*") + [
        "<details><summary>The rule</summary>",
        "",
        result["rule"],
        "",
        "</details>",
        "",
    ]
    return "\n".join(out)
