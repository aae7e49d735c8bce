"""Detection benchmark: per-family precision, recall and false-positive rate on tests/corpus/ai.

Usage: python benchmarks/detection.py [--corpus DIR]

Ground truth is the per-line annotations of the corpus: `# expect: RVxxx` makes the line a
positive of that code's family, `# ok: RVxxx` a negative (a look-alike that must stay clean).
Notebook cells are annotated the same way; a label is (path, cell, line, family).

Four analyzers, all in one run and all through `reviewer.pipeline.review` (so notebooks reach
ruff and bandit as the same virtual modules, with cell/line mapping):

- reviewer:     the default configuration (engine + ruff + bandit, merged). A line counts as
                detected / falsely flagged only by a finding whose code belongs to the family.
- bandit alone: engine and ruff off (`ignore = ["RV"]`, `ruff = false`), every bandit test on
                (none of the reviewer's default skips). Any finding on the line counts.
- ruff alone:   engine and bandit off, ruff `--select ALL` (S101/S404/S603/S607 included).
                Any finding on the line counts.
- bandit+ruff:  the union of the two runs above.

The scan runs with the corpus directory as the working directory: the corpus is a project of
its own (its pyproject.toml declares the dependencies RV303 checks against), and its paths must
not start with `tests/`, which would make every file a test file for the path-aware rules.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from reviewer.config import Config, ToolSettings, load_config
from reviewer.pipeline import review

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus" / "ai"

#: The one place that maps rule codes to families (tests/test_corpus_ai.py imports it).
FAMILIES: dict[str, tuple[str, ...]] = {
    "hallucinated-dependencies": ("RV303", "RV315"),
    "hallucinated-apis": ("RV313",),
    "removed-apis": ("RV305",),
    "placeholders": ("RV301", "RV302", "RV314"),
    "debug-leftovers": ("RV306",),
    "vacuous-tests": ("RV304",),
    "error-handling": ("RV202", "RV208", "RV209", "RV105"),
    "hardcoded-secrets": ("RV101",),
    "notebooks": ("RV401", "RV402", "RV403", "RV404", "RV405", "RV406"),
    "maintainability": ("RV201", "RV203", "RV204", "RV205", "RV206", "RV207", "RV210"),
}
FAMILY_OF = {code: family for family, codes in FAMILIES.items() for code in codes}
TARGET_RECALL = 0.9
TARGET_FPR = 0.05
TARGET_F1 = 0.9

_ANNOTATION = re.compile(r"#\s*(expect|ok):\s*([A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)")

Line = tuple[str, "int | None", int]  # (path relative to the corpus, notebook cell, line)
Annotation = tuple[str, "int | None", int, str, str]  # Line + (kind, code)
Finding = tuple[str, "int | None", int, str]  # Line + code


@dataclass(frozen=True)
class Score:
    positives: int
    negatives: int
    tp: int
    fp: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.positives if self.positives else 0.0

    @property
    def fpr(self) -> float:
        return self.fp / self.negatives if self.negatives else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.positives + other.positives, self.negatives + other.negatives,
                     self.tp + other.tp, self.fp + other.fp)


def _cells(file: Path) -> Iterator[tuple[int | None, list[str]]]:
    if file.suffix == ".py":
        yield None, file.read_text(encoding="utf-8").splitlines()
        return
    for index, cell in enumerate(json.loads(file.read_text(encoding="utf-8"))["cells"]):
        if cell["cell_type"] == "code":
            source = cell["source"]
            yield index, ("".join(source) if isinstance(source, list) else source).splitlines()


def annotations(corpus: Path = CORPUS) -> set[Annotation]:
    """Every `# expect:` / `# ok:` annotation of the corpus."""
    found: set[Annotation] = set()
    for file in sorted(corpus.rglob("*")):
        if file.suffix not in (".py", ".ipynb"):
            continue
        rel = file.relative_to(corpus).as_posix()
        for cell, lines in _cells(file):
            for number, text in enumerate(lines, start=1):
                for kind, codes in _ANNOTATION.findall(text):
                    for code in re.split(r"\s*,\s*", codes):
                        found.add((rel, cell, number, kind, code))
    return found


def labels(corpus: Path = CORPUS) -> dict[str, tuple[set[Line], set[Line]]]:
    """family -> (positive lines, negative lines)."""
    out: dict[str, tuple[set[Line], set[Line]]] = {family: (set(), set()) for family in FAMILIES}
    for path, cell, line, kind, code in annotations(corpus):
        positives, negatives = out[FAMILY_OF[code]]
        (positives if kind == "expect" else negatives).add((path, cell, line))
    return out


@contextlib.contextmanager
def _cwd(path: Path) -> Iterator[None]:
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def scan(corpus: Path, configure: object = None) -> set[Finding]:
    """Findings of `review` on the corpus, run from inside it; `configure(config)` adjusts the
    project's configuration (None: the reviewer as configured)."""
    with _cwd(corpus):
        config = load_config(Path("."), {"cache": False})
        if callable(configure):
            config = configure(config)
        report = review(["."], config)
    if report.errors:
        raise RuntimeError(f"scan of {corpus} reported errors: {report.errors}")
    return {(f.location.path, f.location.cell, f.location.line, f.code) for f in report.findings}


def bandit_only(config: Config) -> Config:
    # A skip list naming no real test replaces the reviewer's default skips (B101, B404, ...).
    return replace(config, select=(), ignore=("RV",), ruff=ToolSettings(enabled=False),
                   bandit=ToolSettings(ignore=("B000",)))


def ruff_only(config: Config) -> Config:
    return replace(config, select=(), ignore=("RV",), bandit=ToolSettings(enabled=False),
                   ruff=ToolSettings(select=("ALL", "S101", "S404", "S603", "S607")))


def score(findings: set[Finding], truth: dict[str, tuple[set[Line], set[Line]]],
          family_codes: bool) -> dict[str, Score]:
    """Per-family scores. With `family_codes`, only findings whose code belongs to the family
    count (the reviewer); otherwise any finding on the line counts (bandit, ruff)."""
    lines_by_family: dict[str, set[Line]] = {family: set() for family in FAMILIES}
    any_line: set[Line] = set()
    for path, cell, line, code in findings:
        any_line.add((path, cell, line))
        if code in FAMILY_OF:
            lines_by_family[FAMILY_OF[code]].add((path, cell, line))
    out: dict[str, Score] = {}
    for family, (positives, negatives) in truth.items():
        flagged = lines_by_family[family] if family_codes else any_line
        out[family] = Score(len(positives), len(negatives), len(positives & flagged),
                            len(negatives & flagged))
    return out


def overall(scores: dict[str, Score]) -> Score:
    total = Score(0, 0, 0, 0)
    for s in scores.values():
        total = total + s
    return total


def run_all(corpus: Path = CORPUS) -> dict[str, dict[str, Score]]:
    truth = labels(corpus)
    reviewer_found = scan(corpus)
    bandit_found = scan(corpus, bandit_only)
    ruff_found = scan(corpus, ruff_only)
    return {
        "reviewer": score(reviewer_found, truth, family_codes=True),
        "bandit alone": score(bandit_found, truth, family_codes=False),
        "ruff ALL alone": score(ruff_found, truth, family_codes=False),
        "bandit+ruff": score(bandit_found | ruff_found, truth, family_codes=False),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    start = time.perf_counter()
    results = run_all(corpus)
    elapsed = time.perf_counter() - start
    truth = labels(corpus)
    files = sum(1 for f in corpus.rglob("*") if f.suffix in (".py", ".ipynb"))
    print(f"corpus: {corpus.relative_to(ROOT) if corpus.is_relative_to(ROOT) else corpus}: {files} files, "
          f"{sum(len(p) for p, _ in truth.values())} positive and "
          f"{sum(len(n) for _, n in truth.values())} negative labelled lines")
    header = f"{'family':<27}{'analyzer':<16}{'pos':>5}{'neg':>5}{'TP':>5}{'FP':>5}" \
             f"{'prec':>7}{'recall':>8}{'FPR':>7}{'F1':>7}"
    print("\n" + header + "\n" + "-" * len(header))
    for family in [*FAMILIES, "overall"]:
        for name, scores in results.items():
            s = overall(scores) if family == "overall" else scores[family]
            print(f"{family if name == 'reviewer' else '':<27}{name:<16}{s.positives:>5}{s.negatives:>5}"
                  f"{s.tp:>5}{s.fp:>5}{s.precision:>7.2f}{s.recall:>8.2f}{s.fpr:>7.2f}{s.f1:>7.2f}")
        print()
    ours, tools = overall(results["reviewer"]), overall(results["bandit+ruff"])
    below = [f for f, s in results["reviewer"].items() if s.recall < TARGET_RECALL or s.fpr > TARGET_FPR]
    print("targets (reviewer):")
    print(f"  recall >= {TARGET_RECALL} and FPR <= {TARGET_FPR} in every family: "
          f"{'met' if not below else 'NOT met: ' + ', '.join(below)}")
    print(f"  overall F1 >= {TARGET_F1}: {ours.f1:.3f} ({'met' if ours.f1 >= TARGET_F1 else 'NOT met'})")
    print(f"  ahead of bandit+ruff: {ours.f1:.3f} vs {tools.f1:.3f} "
          f"({'met' if ours.f1 > tools.f1 else 'NOT met'})")
    print(f"\n{elapsed:.1f} s for the four analyzers (three scans)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
