"""The benchmark regression gate's decision rule and reports (used by scripts/bench-regression)."""
