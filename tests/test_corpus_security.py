"""tests/corpus/security is the labelled security corpus of benchmarks/security.py: every CWE row
needs enough vulnerable and safe snippets, annotated consistently, and the reviewer must reach
Youden's J >= 0.8 in every row (and beat bandit and ruff overall) through the real pipeline."""

from __future__ import annotations

import ast
import importlib.util
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load_security() -> ModuleType:
    path = ROOT / "benchmarks" / "security.py"
    spec = importlib.util.spec_from_file_location("benchmarks_security", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


security = _load_security()
CORPUS: Path = security.CORPUS
MIN_LABELS = 10


def _files() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*.py") if p.is_file())


def _trees() -> dict[Path, ast.Module]:
    return {p: ast.parse(p.read_text(encoding="utf-8"), filename=str(p), feature_version=(3, 11))
            for p in _files()}


@pytest.fixture(scope="module")
def scans() -> dict[str, object]:
    """One real pipeline run per analyzer over the whole corpus (reviewer, bandit, ruff S)."""
    return security.scan_all(CORPUS)


# -- annotation sanity ------------------------------------------------------------------------


def test_corpus_has_rows_and_its_own_project() -> None:
    assert security.rows(), "no cwe* directories in the security corpus"
    project = (CORPUS / "pyproject.toml").read_text(encoding="utf-8")
    assert 'name = "security-corpus"' in project


def test_every_file_parses_as_python_3_11() -> None:
    for path in _files():
        ast.parse(path.read_text(encoding="utf-8"), filename=str(path), feature_version=(3, 11))


def test_every_row_has_enough_vulnerable_and_safe_labels() -> None:
    truth = security.labels()
    assert set(truth) == set(security.rows())
    small = {row: (len(p), len(n)) for row, (p, n) in truth.items()
             if len(p) < MIN_LABELS or len(n) < MIN_LABELS}
    assert small == {}, f"rows with fewer than {MIN_LABELS} vuln or safe labels: {small}"


def test_every_annotation_names_its_directorys_row() -> None:
    wrong = [(path, line, cwe) for path, _, line, _, cwe in security.annotations()
             if security.row_of(path) != cwe]
    assert wrong == []


def test_annotations_sit_in_files_of_their_polarity() -> None:
    wrong = [(path, line, kind) for path, _, line, kind, _ in security.annotations()
             if not Path(path).name.startswith("vulnerable" if kind == "vuln" else "safe")]
    assert wrong == []


def test_one_annotation_per_line() -> None:
    places = Counter((path, cell, line) for path, cell, line, _, _ in security.annotations())
    assert [place for place, count in places.items() if count > 1] == []


def _header_end(stmt: ast.stmt) -> int:
    """The last line of a statement's header (compound statements) or of the statement."""
    if isinstance(stmt, (ast.With, ast.AsyncWith)):
        return max(item.context_expr.end_lineno or stmt.lineno for item in stmt.items)
    if isinstance(stmt, (ast.For, ast.AsyncFor)):
        return stmt.iter.end_lineno or stmt.lineno
    if isinstance(stmt, (ast.If, ast.While)):
        return stmt.test.end_lineno or stmt.lineno
    if hasattr(stmt, "body"):
        return stmt.lineno
    return stmt.end_lineno or stmt.lineno


def test_annotated_statements_start_and_end_on_their_line() -> None:
    trees = _trees()
    wrong = []
    for path, _, line, _, _ in security.annotations():
        tree = trees[CORPUS / path]
        starting = [s for s in ast.walk(tree) if isinstance(s, ast.stmt) and s.lineno == line]
        if not starting or any(_header_end(s) != line for s in starting):
            wrong.append((path, line))
    assert wrong == [], "annotated statements must be one physical line of their own"


def test_top_level_names_are_unique_per_directory() -> None:
    """Each snippet has its own name; a vulnerable and a safe file share no helper."""
    duplicates = {}
    by_dir: dict[Path, Counter[str]] = {}
    for path, tree in _trees().items():
        names = by_dir.setdefault(path.parent, Counter())
        names.update(node.name for node in tree.body
                     if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)))
    for directory, names in by_dir.items():
        repeated = sorted(name for name, count in names.items() if count > 1)
        if repeated:
            duplicates[directory.name] = repeated
    assert duplicates == {}


# -- the scoring, on synthetic input ----------------------------------------------------------


def test_scores_count_lines_by_row_cwe_and_span() -> None:
    truth = {
        89: ({("cwe89/vulnerable.py", None, 10), ("cwe89/vulnerable.py", None, 20)},
             {("cwe89/safe.py", None, 10), ("cwe89/safe.py", None, 20)}),
        94: ({("cwe94/vulnerable.py", None, 5)}, {("cwe94/safe.py", None, 5)}),
        78: ({("cwe78/v.ipynb", 2, 3)}, {("cwe78/s.ipynb", 2, 3)}),
    }
    flags = {
        ("cwe89/vulnerable.py", None, 10, 10, frozenset({89})),  # TP
        ("cwe89/vulnerable.py", None, 18, 21, frozenset({89})),  # span covering line 20: TP
        ("cwe89/safe.py", None, 10, 10, frozenset({78})),  # wrong CWE: no FP
        ("cwe89/safe.py", None, 20, 20, frozenset({89, 20})),  # FP
        ("cwe94/vulnerable.py", None, 5, 5, frozenset({95})),  # 95 is accepted for row 94
        ("cwe94/safe.py", None, 4, 4, frozenset({94})),  # another line: no FP
        ("cwe78/v.ipynb", 1, 3, 3, frozenset({78})),  # another cell: no TP
        ("cwe78/s.ipynb", 2, 3, 3, frozenset({77})),  # 77 is accepted for row 78: FP
    }
    got = security.scores(flags, truth)
    assert got[89] == security.Score(2, 2, 2, 1)
    assert (got[89].tpr, got[89].fpr, got[89].youden) == (1.0, 0.5, 0.5)
    assert got[94] == security.Score(1, 1, 1, 0) and got[94].youden == 1.0
    assert got[78] == security.Score(1, 1, 0, 1) and got[78].youden == -1.0
    total = security.overall(got)  # micro-average: pooled counts
    assert total == security.Score(4, 4, 3, 2)
    assert (total.tpr, total.fpr, total.youden) == (0.75, 0.5, 0.25)
    missed, false = security.outcomes(flags, truth)[78]
    assert missed == {("cwe78/v.ipynb", 2, 3)} and false == {("cwe78/s.ipynb", 2, 3)}
    assert security.scores(set(), {1004: (set(), set())})[1004] == security.Score(0, 0, 0, 0)


def test_missed_targets_checks_rows_and_the_lead_over_the_tools() -> None:
    good, weak = security.Score(10, 10, 9, 0), security.Score(10, 10, 5, 0)
    assert security.missed_targets({"reviewer": {89: good}, "bandit alone": {89: weak}}) == []
    missed = security.missed_targets({"reviewer": {89: weak, 78: good}, "ruff S alone": {89: good}})
    assert any("CWE-89" in line for line in missed)
    assert any("ruff S alone" in line for line in missed)
    assert not any("CWE-78" in line for line in missed)


def test_accepted_sets_and_ruff_table() -> None:
    assert security.accepted(94) == {94, 95} and security.accepted(643) == {643}
    assert security.accepted(798) == {798, 259, 321}
    assert set(security.RUFF_CWE["S608"]) & security.accepted(89)
    assert set(security.RUFF_CWE["S602"]) & security.accepted(78)
    assert set(security.RUFF_CWE["S307"]) & security.accepted(94)


def test_ruff_table_covers_every_flake8_bandit_rule() -> None:
    from reviewer.tools import ruff

    exe = ruff.binary()
    assert exe is not None
    done = subprocess.run([exe, "rule", "--all", "--output-format", "json"], capture_output=True,
                          text=True, check=True, timeout=120)
    codes = {r["code"] for r in json.loads(done.stdout) if r.get("linter") == "flake8-bandit"}
    assert codes and codes <= set(security.RUFF_CWE), sorted(codes - set(security.RUFF_CWE))


# -- the real pipeline ------------------------------------------------------------------------


def test_scans_report_no_errors(scans: dict[str, object]) -> None:
    errors = {name: scan.errors for name, scan in scans.items() if scan.errors}  # type: ignore[attr-defined]
    assert errors == {}


def _places(lines: set[tuple[str, int | None, int]]) -> str:
    ordered = sorted(lines, key=lambda line: (line[0], -1 if line[1] is None else line[1], line[2]))
    return ", ".join(f"{path}:{line}" if cell is None else f"{path}[{cell}]:{line}"
                     for path, cell, line in ordered) or "-"


def test_reviewer_meets_the_youden_target_in_every_row(scans: dict[str, object]) -> None:
    truth = security.labels()
    flags = scans["reviewer"].flags  # type: ignore[attr-defined]
    per_row = security.scores(flags, truth)
    outcomes = security.outcomes(flags, truth)
    problems = []
    for row, score in sorted(per_row.items()):
        if score.youden >= security.TARGET_YOUDEN:
            continue
        missed, false = outcomes[row]
        problems.append(
            f"CWE-{row}: J={score.youden:.2f} (TPR {score.tpr:.2f}, FPR {score.fpr:.2f})\n"
            f"    missed: {_places(missed)}\n"
            f"    false:  {_places(false)}"
        )
    assert not problems, "reviewer below J >= {}:\n{}".format(security.TARGET_YOUDEN,
                                                             "\n".join(problems))


def test_reviewer_is_ahead_of_bandit_and_ruff_overall(scans: dict[str, object]) -> None:
    truth = security.labels()
    results = {name: security.scores(scan.flags, truth)  # type: ignore[attr-defined]
               for name, scan in scans.items()}
    ours = security.overall(results["reviewer"]).youden
    for name, per_row in results.items():
        assert ours > security.overall(per_row).youden or name == "reviewer", (name, ours)
