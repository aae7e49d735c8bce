"""Golden files: every format's rendering of the sample report, compared byte for byte.

The golden files are the product's face: review their diffs by eye. After an intended change,
regenerate them with

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/report/test_golden.py

and commit the updated files in tests/report/golden/ together with the change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sample import LLM_REPORT, REPORT, lines

from reviewer.report import render

GOLDEN = Path(__file__).resolve().parent / "golden"

CASES = {
    "sample.txt": lambda: render("text", REPORT, lines=lines),
    "sample.color.txt": lambda: render("text", REPORT, color=True, lines=lines),
    "sample.json": lambda: render("json", REPORT),
    "sample.sarif": lambda: render("sarif", REPORT),
    "sample.github": lambda: render("github", REPORT),
    "sample.md": lambda: render("markdown", REPORT),
    # LLM critique on: usage, an LLM finding with evidence, a finding marked by triage.
    "llm.txt": lambda: render("text", LLM_REPORT, lines=lines),
    "llm.json": lambda: render("json", LLM_REPORT),
    "llm.sarif": lambda: render("sarif", LLM_REPORT),
    "llm.github": lambda: render("github", LLM_REPORT),
    "llm.md": lambda: render("markdown", LLM_REPORT),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_golden_file(name: str) -> None:
    output = CASES[name]()
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(output.encode("utf-8"))
    if not path.exists():
        pytest.fail(f"{path} is missing; create it with UPDATE_GOLDEN=1 (see this module's docstring)")
    expected = path.read_bytes().decode("utf-8")
    assert output == expected, f"{name} differs from its golden file; see this module's docstring"


def test_rendering_is_deterministic() -> None:
    for make in CASES.values():
        assert make() == make()
