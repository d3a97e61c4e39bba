#!/usr/bin/env python3
"""Renders SVG charts to PNG, to look at them (the SVGs name a CJK font family; Chinese
labels need one of those fonts installed, e.g. Debian's `fonts-noto-cjk`).

    python3 -m venv /tmp/venv-charts && /tmp/venv-charts/bin/pip install cairosvg==2.7.1
    cargo run --release --features charts --example period_review -- target/period_review --zh
    /tmp/venv-charts/bin/python scripts/render_charts.py target/period_review/charts/*.svg

writes each FILE.svg as FILE.png beside it.
"""
import sys

import cairosvg


def main(paths):
    if not paths:
        sys.exit(__doc__)
    for path in paths:
        out = path[: -len(".svg")] + ".png" if path.endswith(".svg") else path + ".png"
        cairosvg.svg2png(url=path, write_to=out, output_width=None)
        print(out)


if __name__ == "__main__":
    main(sys.argv[1:])
