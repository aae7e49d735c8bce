"""ML benchmark: recall, false-positive rate and F1 per class on tests/corpus/ml, for reviewer,
bandit alone and ruff's pandas/NumPy rules alone, in one run.

Usage: python benchmarks/ml.py [--corpus DIR]

Ground truth is per line: `# bug: CLASS` marks a line with the bug, `# fine: CLASS` a correct
look-alike. A line counts as flagged for a class when a finding with one of the class's codes
(CODES) starts on it or spans it.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import detection  # noqa: E402  (benchmarks/detection.py: bandit-only config, chdir helper)

from reviewer.config import Config, ToolSettings, load_config  # noqa: E402
from reviewer.pipeline import review  # noqa: E402

CORPUS = ROOT / "tests" / "corpus" / "ml"
_LABEL = re.compile(r"#\s*(bug|fine):\s*([a-z-]+)")
#: Class -> the codes (ours and the tools') that report it.
CODES: dict[str, frozenset[str]] = {
    "loading": frozenset({"RV130", "RV502", "B301", "S301", "B614", "S614", "B302", "S302"}),
    "pinning": frozenset({"RV501", "RV502", "B615"}),
    "training": frozenset({"RV507", "RV508", "RV511", "RV512"}),
    "leakage": frozenset({"RV509"}),
    "pandas": frozenset({"RV503", "RV504", "RV505", "RV506", "RV513", "PD002", "PD008", "PD009", "PD010", "PD011",
                         "PD012", "PD013", "PD015", "PD101", "PD901", "NPY002", "NPY003", "NPY201", "PLW0177"}),
    #: NPY002 (ruff: legacy `np.random` API) is there to compare: it is not about seeding.
    "reproducibility": frozenset({"RV510", "NPY002"}),
}


def labels(corpus: Path) -> dict[tuple[str, int], tuple[str, str]]:
    """(file, line) -> (bug|fine, class)."""
    out = {}
    for path in sorted(corpus.rglob("*.py")):
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = _LABEL.search(text)
            if match:
                out[(path.relative_to(corpus).as_posix(), number)] = (match.group(1), match.group(2))
    return out


def ruff_ml_only(config: Config) -> Config:
    return replace(config, select=(), ignore=("RV",), bandit=ToolSettings(enabled=False),
                   ruff=ToolSettings(select=("PD", "NPY", "PLW0177")))


ANALYZERS = {"reviewer": None, "bandit alone": detection.bandit_only, "ruff PD/NPY alone": ruff_ml_only}


def flags(corpus: Path, configure: object) -> set[tuple[str, int, str]]:
    """(file, line, code) for every line a finding covers."""
    with detection._cwd(corpus):
        config = load_config(Path("."), {"cache": False})
        if callable(configure):
            config = configure(config)
        report = review(["."], config)
    out = set()
    for finding in report.findings:
        loc = finding.location
        last = loc.end_line if loc.end_line is not None and loc.end_line >= loc.line else loc.line
        for line in range(loc.line, last + 1):
            out.add((loc.path.removeprefix("./"), line, finding.code))
    return out


def score(truth: dict[tuple[str, int], tuple[str, str]], found: set[tuple[str, int, str]], cls: str) -> dict[str, float]:
    hit = {(path, line) for path, line, code in found if code in CODES[cls]}
    tp = sum(1 for key, (kind, c) in truth.items() if c == cls and kind == "bug" and key in hit)
    fn = sum(1 for key, (kind, c) in truth.items() if c == cls and kind == "bug" and key not in hit)
    fp = sum(1 for key, (kind, c) in truth.items() if c == cls and kind == "fine" and key in hit)
    tn = sum(1 for key, (kind, c) in truth.items() if c == cls and kind == "fine" and key not in hit)
    recall = tp / (tp + fn) if tp + fn else 0.0
    precision = tp / (tp + fp) if tp + fp else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"pos": tp + fn, "neg": fp + tn, "recall": recall, "fpr": fp / (fp + tn) if fp + tn else 0.0, "f1": f1}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    truth = labels(args.corpus)
    results = {name: flags(args.corpus, configure) for name, configure in ANALYZERS.items()}
    print(f"corpus: {args.corpus}: {sum(1 for k in truth.values() if k[0] == 'bug')} bug lines, "
          f"{sum(1 for k in truth.values() if k[0] == 'fine')} look-alikes\n")
    width = max(len(cls) for cls in CODES) + 1
    header = "".join(f"| {name:^22} " for name in ANALYZERS)
    print(f"{'class':<{width}}{'pos':>5}{'neg':>5} {header}")
    print(f"{'':<{width + 10}} " + "| recall  FPR    F1     " * len(ANALYZERS))
    for cls in CODES:
        row = [score(truth, found, cls) for found in results.values()]
        cells = "".join(f"| {r['recall']:5.2f}  {r['fpr']:5.2f}  {r['f1']:5.2f}  " for r in row)
        print(f"{cls:<{width}}{row[0]['pos']:>5}{row[0]['neg']:>5} {cells}")


if __name__ == "__main__":
    main()
