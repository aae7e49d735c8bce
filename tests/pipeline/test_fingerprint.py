"""Fingerprints survive unrelated edits and separate identical code in different scopes."""

from __future__ import annotations

from reviewer.config import Config
from reviewer.engine import analyze, find_rule
from reviewer.fingerprint import assign, scope_map
from reviewer.sources import load_text

CODE = """\
def first(items=[]):
    return items


class Store:
    def second(self, items=[]):
        return items
"""


def _fingerprints(text: str) -> list[str]:
    unit = load_text(text, "pkg/mod.py")
    rule = find_rule("RV201")
    assert rule is not None
    findings, errors = analyze(unit, Config(), rules=[rule])
    assert not errors
    return [f.fingerprint for f in assign(unit, findings)]


def test_stable_when_lines_are_added_above() -> None:
    before = _fingerprints(CODE)
    after = _fingerprints("import os\n\n\n# a new comment\nVALUE = 3\n\n" + CODE)
    assert len(before) == 2 and before == after


def test_identical_lines_in_different_functions_differ() -> None:
    twins = "def a(x=[]):\n    return x\n\n\ndef b(x=[]):\n    return x\n"
    first, second = _fingerprints(twins)
    assert first != second


def test_repeated_identical_findings_in_one_scope_differ() -> None:
    text = "def f():\n    def g(x=[]): return x\n    def g(x=[]): return x\n"
    fingerprints = _fingerprints(text)
    assert len(set(fingerprints)) == 2


def test_scope_map_tracks_nesting() -> None:
    scopes = scope_map(CODE)
    assert scopes[1] == "first" and scopes[5] == "Store.second" and scopes[4] == "Store"
