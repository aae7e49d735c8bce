"""examples/ is the demo input and a test input: what reviewer finds there must equal the
`# expect: CODE` annotations exactly (file, cell, line, code); `# ok: CODE` marks look-alikes
that must stay clean."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reviewer.config import load_config
from reviewer.pipeline import review

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
_ANNOTATION = re.compile(r"#\s*(expect|ok):\s*([A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)")

Key = tuple[str, "int | None", int, str]


def _annotations(lines: list[str], path: str, cell: int | None) -> tuple[set[Key], set[Key]]:
    expect: set[Key] = set()
    ok: set[Key] = set()
    for number, line in enumerate(lines, start=1):
        for kind, codes in _ANNOTATION.findall(line):
            for code in re.split(r"\s*,\s*", codes):
                (expect if kind == "expect" else ok).add((path, cell, number, code))
    return expect, ok


def annotated() -> tuple[set[Key], set[Key]]:
    expect: set[Key] = set()
    ok: set[Key] = set()
    for file in sorted(EXAMPLES.rglob("*")):
        rel = file.relative_to(ROOT).as_posix()
        if file.suffix in (".py", ".txt"):  # .txt: requirements files (RV307)
            e, o = _annotations(file.read_text(encoding="utf-8").splitlines(), rel, None)
        elif file.suffix == ".ipynb":
            e, o = set(), set()
            for index, cell in enumerate(json.loads(file.read_text(encoding="utf-8"))["cells"]):
                if cell["cell_type"] == "code":
                    source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
                    ce, co = _annotations(source.splitlines(), rel, index)
                    e, o = e | ce, o | co
        else:
            continue
        expect |= e
        ok |= o
    return expect, ok


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory) -> set[Key]:
    import os

    old = os.getcwd()
    os.chdir(ROOT)
    try:
        config = load_config(EXAMPLES, {"cache": False})
        report = review(["examples"], config)
    finally:
        os.chdir(old)
    assert report.errors == (), report.errors
    return {(f.location.path, f.location.cell, f.location.line, f.code) for f in report.findings}


def test_examples_match_annotations_exactly(found: set[Key]) -> None:
    expect, _ = annotated()
    missing = sorted(expect - found, key=str)
    unexpected = sorted(found - expect, key=str)
    assert (missing, unexpected) == ([], []), f"missing={missing}\nunexpected={unexpected}"


def test_look_alikes_stay_clean(found: set[Key]) -> None:
    _, ok = annotated()
    assert ok, "examples should mark correct look-alikes with # ok: CODE"
    assert sorted(ok & found, key=str) == []


def test_examples_cover_every_engine_rule() -> None:
    from reviewer.engine import all_rules

    from reviewer.engine.packs import PackRule

    expect, ok = annotated()
    codes = {code for *_, code in expect}
    # Pack rules are covered by their packs' fixtures (tests/engine/test_packs.py); the demo
    # shows the taint rules at work on a web handler.
    python_rules = {rule.CODE for rule in all_rules() if not issubclass(rule, PackRule)}
    assert python_rules <= codes
    assert {"RV110", "RV111"} <= codes
    assert any(cell is not None for _, cell, _, _ in expect), "the notebook must carry expectations"
