"""Notebook latency: a one-notebook CLI scan (a new process, no cache) and a 200-cell notebook
reviewed the way the JupyterLab sidebar asks for it (the server endpoint's `review_content`, in a
warm process, unsaved notebook JSON in the request).

Usage: python benchmarks/notebook.py [--runs N]
Targets on the 2-core development machine: CLI scan under 1 s, sidebar review under 0.5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: As in speed.py: tools start from their cached bytecode, as they do when installed.
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
CELL = """import pandas as pd

def summarize_{i}(frame, columns=[]):
    columns.append("total")
    try:
        return frame[columns].describe()
    except:
        pass
"""


def notebook(cells: int) -> dict[str, object]:
    return {
        "cells": [{"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {}, "outputs": [],
                   "source": CELL.format(i=i)} for i in range(cells)],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5,
    }


def cli_scan(path: Path, runs: int) -> list[float]:
    reviewer = str(Path(sys.executable).parent / "reviewer")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([reviewer, "scan", str(path), "--no-cache", "--quiet", "--format", "json", "-o", os.devnull],
                       cwd=path.parent, env=_ENV, check=False)
        times.append(time.perf_counter() - start)
    return times


def sidebar_review(root: Path, data: dict[str, object], runs: int) -> tuple[float, list[float]]:
    from reviewer.integrations.jupyter.content import review_content

    start = time.perf_counter()
    review_content(str(root), "big.ipynb", notebook=data)  # the server's first review: imports, rule loading
    first = time.perf_counter() - start
    times = []
    for run in range(runs):
        changed = json.loads(json.dumps(data))
        changed["cells"][0]["source"] += f"\nx = {run}\n"  # an edit: nothing cached applies
        start = time.perf_counter()
        review_content(str(root), "big.ipynb", notebook=changed)
        times.append(time.perf_counter() - start)
    return first, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "pyproject.toml").write_text('[project]\nname = "bench"\ndependencies = ["pandas"]\n'
                                            "[tool.reviewer]\ncache = false\n")
        one = root / "one.ipynb"
        one.write_text(json.dumps(notebook(10)))
        cli = cli_scan(one, args.runs)
        first, warm = sidebar_review(root, notebook(200), args.runs)
    print(f"one-notebook CLI scan (10 cells, new process, no cache): median {statistics.median(cli):.2f} s "
          f"(min {min(cli):.2f}, max {max(cli):.2f}) [target < 1 s]")
    print(f"200-cell notebook, sidebar review (warm server): median {statistics.median(warm):.2f} s "
          f"(min {min(warm):.2f}, max {max(warm):.2f}) [target < 0.5 s]; the server's first review {first:.2f} s")


if __name__ == "__main__":
    main()
