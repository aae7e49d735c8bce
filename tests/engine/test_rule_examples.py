"""Every VALID and INVALID example of every engine rule, as one parametrized test."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from reviewer.engine.packs import PackRule

from reviewer.config import Config
from reviewer.engine import Invalid, Rule, Valid, all_rules, analyze
from reviewer.engine.rule import dedent
from reviewer.fixes import apply_edits, compatible, parses
from reviewer.model import Applicability, Finding
from reviewer.sources import SourceUnit, load_text
from reviewer.sources.notebook import unit_from_notebook


def _unit(example: Valid | Invalid, tmp_path: Path) -> SourceUnit:
    if example.files:
        for name, text in example.files:
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text(dedent(text))
        (tmp_path / example.path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / example.path).write_text(dedent(example.code))
        return load_text(dedent(example.code), str(tmp_path / example.path))
    if example.cells:
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(dedent(cell)) for cell in example.cells]
        for cell, outputs in zip(nb.cells, example.outputs, strict=False):
            cell.outputs = [nbformat.from_dict(output) for output in outputs]
        for cell, count in zip(nb.cells, example.execution_counts, strict=False):
            cell.execution_count = count
        return unit_from_notebook("example.ipynb", nb)
    return load_text(dedent(example.code), "example.py")


def _cases() -> list[object]:
    cases = []
    for rule in all_rules():
        for index, example in enumerate(rule.VALID):
            cases.append(pytest.param(rule, example, id=f"{rule.CODE}-valid-{index}"))
        for index, example in enumerate(rule.INVALID):
            cases.append(pytest.param(rule, example, id=f"{rule.CODE}-invalid-{index}"))
    return cases


@pytest.mark.parametrize(("rule", "example"), _cases())
def test_rule_example(rule: type[Rule], example: Valid | Invalid, tmp_path: Path) -> None:
    unit = _unit(example, tmp_path)
    findings, errors = analyze(unit, Config(), rules=[rule])
    assert errors == []
    own = [f for f in findings if f.code == rule.CODE]
    if isinstance(example, Valid):
        assert own == [], f"{rule.CODE} flagged valid code: {[f.location for f in own]}"
        return
    assert own, f"{rule.CODE} missed invalid example:\n{unit.text}"
    if example.line is not None:
        assert example.line in {f.location.line for f in own}
    if example.cell is not None:
        assert example.cell in {f.location.cell for f in own}
    if example.fixed is not None:
        _check_fix(rule, example, own, unit)


def _check_fix(rule: type[Rule], example: Invalid, own: list[Finding], unit: SourceUnit) -> None:
    """The rule's fixes (those one pass of `reviewer fix` applies together) give exactly
    `example.fixed` (for a notebook: the fixed cell's source), which parses, and which the rule
    has nothing more to fix in: applying the fixes twice changes nothing."""
    fixes = [f for f in compatible(own) if f.fix and f.fix.applicability is not Applicability.DISPLAY]
    assert fixes, f"{rule.CODE} has an expected fix but proposed no edit"
    edits = [e for f in fixes for e in f.fix.edits]
    if example.cells:
        cell = fixes[0].location.cell
        assert cell is not None and {f.location.cell for f in fixes} == {cell}
        code_cells = [i for i, _ in enumerate(example.cells)]
        fixed = apply_edits(dedent(example.cells[code_cells[cell]]), edits)
    else:
        fixed = apply_edits(unit.text, edits)
    assert fixed == dedent(example.fixed)
    assert parses(fixed), f"{rule.CODE}'s fix does not parse:\n{fixed}"
    if not example.cells and not example.files:
        again, _ = analyze(load_text(fixed, "example.py"), Config(), rules=[rule])
        assert not [f for f in again if f.code == rule.CODE and f.fix and f.fix.edits], f"{rule.CODE} fixes its own fix"


def test_every_rule_documents_itself() -> None:
    for rule in all_rules():
        docs = rule.docs()
        assert "## What it does" in docs and "## Why is this bad?" in docs, rule.CODE
        if issubclass(rule, PackRule):
            assert rule.fixture().is_file(), f"{rule.CODE}: pack {rule.PACK.name} has no fixture"
        else:
            assert rule.VALID and rule.INVALID, f"{rule.CODE} needs VALID and INVALID examples"
        assert rule.NAME == rule.NAME.lower() and " " not in rule.NAME, rule.CODE


def test_examples_are_in_the_lists_not_in_their_annotations() -> None:
    """`VALID: ClassVar[list[Valid]] = [...]`: an example written inside the annotation (which
    `from __future__ import annotations` never evaluates) would silently never be tested."""
    rules_dir = Path(__file__).resolve().parents[2] / "src" / "reviewer" / "rules"
    wrong = []
    for path in sorted(rules_dir.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) \
                    and node.target.id in ("VALID", "INVALID"):
                expected = f"ClassVar[list[{'Valid' if node.target.id == 'VALID' else 'Invalid'}]]"
                if ast.unparse(node.annotation) != expected:
                    wrong.append(f"{path.name}:{node.lineno}")
    assert wrong == []


def test_rules_that_fix_say_how_safely() -> None:
    for rule in all_rules():
        fixes = any(example.fixed is not None for example in rule.INVALID)
        assert rule.FIX in ("", "safe", "unsafe", "safe, unsafe"), rule.CODE
        if fixes:
            assert rule.FIX, f"{rule.CODE} has fixed examples but FIX is empty"
        if rule.FIX:
            assert "## Fix safety" in rule.own_docs(), f"{rule.CODE} fixes code but has no '## Fix safety' section"
        assert "## Fix safety" in rule.docs(), rule.CODE
