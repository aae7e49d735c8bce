"""`# noqa` semantics and cross-engine duplicate merging."""

from __future__ import annotations

import pytest

from reviewer.merge import merge
from reviewer.model import Category, Finding, Location, Severity, Source
from reviewer.sources import load_text
from reviewer.suppression import is_suppressed, suppress


def _finding(code: str, source: Source = Source.REVIEWER, line: int = 1,
             category: Category = Category.SECURITY, cwe: tuple[int, ...] = ()) -> Finding:
    return Finding(code=code, name=code.lower(), message="m", location=Location("a.py", line, 1),
                   source=source, category=category, severity=Severity.ERROR, cwe=cwe,
                   sources=(source,))


@pytest.mark.parametrize(
    ("comment", "code", "category", "hidden"),
    [
        ("# noqa: RV102", "RV102", Category.SECURITY, True),
        ("# noqa: RV101, RV102", "RV102", Category.SECURITY, True),
        ("# noqa: RV103", "RV102", Category.SECURITY, False),
        ("# noqa", "RV102", Category.SECURITY, False),  # bare noqa never hides security
        ("# noqa", "RV201", Category.CORRECTNESS, True),
        ("# nosec", "RV102", Category.SECURITY, True),
        ("# nosec B506", "B506", Category.SECURITY, True),
        ("# nosec", "RV201", Category.CORRECTNESS, False),
        ("", "RV201", Category.CORRECTNESS, False),
    ],
)
def test_noqa(comment: str, code: str, category: Category, hidden: bool) -> None:
    finding = _finding(code, category=category)
    assert is_suppressed(finding, f"yaml.load(x)  {comment}") is hidden


def test_noqa_matches_merged_codes() -> None:
    merged = merge([_finding("RV102", cwe=(502,)), _finding("B506", Source.BANDIT, cwe=(502,))])
    assert is_suppressed(merged[0], "x  # noqa: B506")


def test_suppress_counts_hidden_findings() -> None:
    unit = load_text("a = 1  # noqa: RV1\nb = 2  # noqa: RV102\n", "a.py")
    kept, hidden = suppress(unit, [_finding("RV102", line=1), _finding("RV102", line=2)])
    assert hidden == 1 and [f.location.line for f in kept] == [1]


def test_same_line_same_concept_merges_into_our_finding() -> None:
    ours = _finding("RV102", cwe=(502,))
    bandit = _finding("B506", Source.BANDIT, cwe=(502,))
    ruff = _finding("S506", Source.RUFF)
    merged = merge([ruff, bandit, ours], {"RV102": frozenset({"B506", "S506"})})
    assert len(merged) == 1
    assert merged[0].code == "RV102" and set(merged[0].also) == {"B506", "S506"}
    assert set(merged[0].sources) == {Source.REVIEWER, Source.BANDIT, Source.RUFF}


def test_ruff_and_bandit_merge_by_number_without_us() -> None:
    merged = merge([_finding("S602", Source.RUFF), _finding("B602", Source.BANDIT, cwe=(78,))])
    assert [(f.code, f.also) for f in merged] == [("B602", ("S602",))]


def test_different_lines_or_concepts_stay_apart() -> None:
    findings = [_finding("RV102", cwe=(502,)), _finding("B506", Source.BANDIT, line=2, cwe=(502,)),
                _finding("B602", Source.BANDIT, cwe=(78,))]
    assert len(merge(findings)) == 3


def test_multi_line_call_merges_across_tools_by_overlapping_span() -> None:
    ours = Finding(code="RV103", name="x", message="m", location=Location("a.py", 2, 1, 5, 2),
                   severity=Severity.ERROR, cwe=(78,), sources=(Source.REVIEWER,))
    bandit = _finding("B602", Source.BANDIT, line=4, cwe=(78,))
    other = _finding("B105", Source.BANDIT, line=3, cwe=(259,))
    merged = merge([bandit, ours, other], {"RV103": frozenset({"B602", "S602"})})
    assert sorted((f.code, f.also) for f in merged) == [("B105", ()), ("RV103", ("B602",))]
