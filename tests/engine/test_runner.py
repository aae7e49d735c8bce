"""The runner keeps failures local: per-cell syntax errors, per-rule crashes, qualified names."""

from __future__ import annotations

import libcst as cst
import nbformat

from reviewer.config import Config
from reviewer.engine import Rule, analyze, find_rule
from reviewer.engine.imports import ImportTable
from reviewer.model import Category
from reviewer.sources import load_text
from reviewer.sources.notebook import unit_from_notebook


def test_syntax_error_in_one_cell_keeps_the_other_cells() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("def f(x=[]):\n    return x"),
        nbformat.v4.new_code_cell("for i in range(3)\n    print(i)"),
        nbformat.v4.new_markdown_cell("text"),
        nbformat.v4.new_code_cell("def g(y={}):\n    return y"),
    ]
    unit = unit_from_notebook("nb.ipynb", nb)
    findings, errors = analyze(unit, Config(), rules=[find_rule("RV201")])  # type: ignore[list-item]
    assert [(e.cell, e.line) for e in errors] == [(1, 1)]
    assert "syntax error" in errors[0].message and errors[0].path == "nb.ipynb"
    assert [(f.location.cell, f.location.line) for f in findings] == [(0, 1), (3, 1)]


def test_syntax_error_in_a_file_is_one_error_with_its_line() -> None:
    findings, errors = analyze(load_text("x = 1\ndef (:\n", "bad.py"), Config())
    assert findings == [] and [(e.path, e.line) for e in errors] == [("bad.py", 2)]


class _Exploding(Rule):
    """Crashes on every call.

    ## What it does
    Nothing useful.

    ## Why is this bad?
    It is a test double.
    """

    CODE = "RV999"
    NAME = "exploding"
    CATEGORY = Category.CORRECTNESS
    MESSAGE = "boom"

    def visit_Call(self, node: cst.Call) -> None:
        raise ValueError("kaboom")


def test_a_crashing_rule_is_reported_and_the_others_keep_their_findings() -> None:
    unit = load_text("def f(x=[]):\n    x.append(1)\n    return x\n", "m.py")
    findings, errors = analyze(unit, Config(), rules=[_Exploding, find_rule("RV201")])  # type: ignore[list-item]
    assert [f.code for f in findings] == ["RV201"]
    assert len(errors) == 1 and "RV999" in errors[0].message and "kaboom" in errors[0].message


def test_qualified_names_see_through_aliases() -> None:
    module = cst.parse_module(
        "import subprocess as sp\nfrom os import path as p\nfrom .local import thing\nimport a.b.c\n"
        "def eval(x):\n    return x\n"
    )
    table = ImportTable()
    table.scan_module(module)
    expr = cst.parse_expression
    assert table.qualified_name(expr("sp.run")) == "subprocess.run"
    assert table.qualified_name(expr("p.join")) == "os.path.join"
    assert table.qualified_name(expr("thing")) == ".local.thing"
    assert table.qualified_name(expr("a.b.c.d")) == "a.b.c.d"
    assert table.qualified_name(expr("open")) == "builtins.open"
    assert table.qualified_name(expr("eval")) == "eval"  # rebound by the module's own def
    assert table.qualified_name(expr("f()")) is None


def test_literals_python_rejects_do_not_crash_rules() -> None:
    # A NUL character inside a string literal: libcst parses it, ast.literal_eval refuses it.
    code = 'def test_x():\n    assert "a\x00b"\n\npassword = "x\x00y"\n"""TODO\x00"""\n'
    findings, errors = analyze(load_text(code, "nul.py"), Config())
    assert errors == []
