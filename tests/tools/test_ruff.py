"""The ruff adapter against the real ruff: exact positions, notebooks, fixes and failures."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import nbformat
import pytest

from reviewer.config import Config, ToolSettings
from reviewer.model import (
    Applicability,
    Category,
    Confidence,
    Edit,
    Finding,
    Severity,
    Source,
    ToolError,
)
from reviewer.sources import SourceUnit, load_path, load_text
from reviewer.sources.notebook import unit_from_notebook
from reviewer.tools import Stage, process
from reviewer.tools import ruff as ruff_tool

pytestmark = pytest.mark.skipif(ruff_tool.binary() is None, reason="ruff is not installed")

CODE = """\
import os
import subprocess


def run(cmd):
    subprocess.call(cmd, shell=True)
    assert cmd
    return undefined_name
"""


def _run(units: list[SourceUnit], config: Config | None = None) -> tuple[dict[str, list[Finding]], list[ToolError]]:
    stage = Stage(units)
    try:
        return ruff_tool.start(units, config or Config(), stage).collect()
    finally:
        stage.cleanup()


def _file(tmp_path: Path, name: str, text: str) -> SourceUnit:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_path(path, str(path), max_size=10**6)


def _positions(findings: list[Finding]) -> list[tuple[str, int, int, int | None, int | None]]:
    return sorted((f.code, f.location.line, f.location.column, f.location.end_line, f.location.end_column)
                  for f in findings)


def _notebook(*cells: tuple[str, str]) -> SourceUnit:
    nb = nbformat.v4.new_notebook()
    makers = {"code": nbformat.v4.new_code_cell, "markdown": nbformat.v4.new_markdown_cell}
    nb.cells = [makers[kind](source) for kind, source in cells]
    return unit_from_notebook("analysis.ipynb", nb)


def test_version_is_reported() -> None:
    version = ruff_tool.version()
    assert version and version[0].isdigit()


def test_findings_on_a_py_file(tmp_path: Path) -> None:
    unit = _file(tmp_path, "mod.py", CODE)
    found, errors = _run([unit])
    assert errors == []
    findings = found[unit.path]
    # S101 (assert) is ignored by default, like bandit's B101.
    assert _positions(findings) == [
        ("F401", 1, 8, 1, 10),
        ("F821", 8, 12, 8, 26),
        ("S602", 6, 5, 6, 20),
    ]
    by_code = {f.code: f for f in findings}
    shell = by_code["S602"]
    assert shell.name == "subprocess-popen-with-shell-equals-true"
    assert (shell.category, shell.severity, shell.confidence, shell.cwe) == (
        Category.SECURITY, Severity.WARNING, Confidence.MEDIUM, (78,))
    assert shell.source is Source.RUFF and shell.sources == (Source.RUFF,)
    assert shell.url and shell.url.endswith("/subprocess-popen-with-shell-equals-true")
    assert shell.location.path == unit.path and shell.location.cell is None
    assert (by_code["F821"].severity, by_code["F821"].category) == (Severity.ERROR, Category.CORRECTNESS)
    assert (by_code["F401"].severity, by_code["F401"].confidence) == (Severity.NOTE, Confidence.HIGH)


def test_unused_import_carries_the_fix(tmp_path: Path) -> None:
    unit = _file(tmp_path, "mod.py", CODE)
    found, _ = _run([unit])
    [unused] = [f for f in found[unit.path] if f.code == "F401"]
    assert unused.fix is not None
    assert unused.fix.applicability is Applicability.SAFE
    assert unused.fix.description == "Remove unused import: `os`"
    assert unused.fix.edits == (Edit(1, 1, 2, 1, ""),)


def test_selecting_s101_reports_assert(tmp_path: Path) -> None:
    unit = _file(tmp_path, "mod.py", CODE)
    config = dataclasses.replace(Config(), ruff=ToolSettings(select=("S101",)))
    found, errors = _run([unit], config)
    assert errors == [] and _positions(found[unit.path]) == [("S101", 7, 5, 7, 11)]


def test_only_bandit_style_s_codes_are_security(tmp_path: Path) -> None:
    unit = _file(tmp_path, "nested.py", "def f(a, b):\n    if a:\n        if b:\n            return 1\n")
    found, _ = _run([unit], dataclasses.replace(Config(), ruff=ToolSettings(select=("SIM102",))))
    [nested] = found[unit.path]
    assert (nested.code, nested.category, nested.severity) == ("SIM102", Category.CORRECTNESS, Severity.WARNING)


def test_notebook_findings_map_to_the_cell(tmp_path: Path) -> None:
    unit = _notebook(("markdown", "# Title"), ("code", "%matplotlib inline\nimport json"),
                     ("code", "x = 1\ny = eval(x)\n"))
    found, errors = _run([unit])
    assert errors == []
    located = sorted((f.code, f.location.cell, f.location.line, f.location.column, f.location.end_line,
                      f.location.end_column) for f in found["analysis.ipynb"])
    assert located == [("F401", 1, 2, 8, 2, 12), ("S307", 2, 2, 5, 2, 12)]
    [unused] = [f for f in found["analysis.ipynb"] if f.code == "F401"]
    assert unused.location.cell_id is not None
    # The edit ends where the next cell starts in the joined module: it is kept inside cell 1.
    assert unused.fix is not None and unused.fix.edits == (Edit(2, 1, 2, 12, ""),)


def test_notebook_idioms_are_not_flagged(tmp_path: Path) -> None:
    unit = _notebook(
        ("code", "import pandas as pd\ndf = pd.DataFrame()\ndf.shape\ndf.columns\n# look"),
        ("code", "data = await pd.read_async()\ndisplay(data)\nget_ipython()"),
        ("code", "def sync():\n    await pd.read_async()\n"),
    )
    found, errors = _run([unit])
    assert errors == []
    located = sorted((f.code, f.location.cell, f.location.line) for f in found["analysis.ipynb"])
    # df.shape is a useless expression; df.columns is displayed (last expression of the cell);
    # top-level await and IPython's display/get_ipython are valid; await in a sync def is not.
    assert located == [("B018", 0, 3), ("PLE1142", 2, 2)]


def test_notebook_messages_name_cells_not_lines_of_the_joined_module(tmp_path: Path) -> None:
    unit = _notebook(("markdown", "# t"), ("code", "x = 1\n\ndef score(v):\n    return v\n"),
                     ("code", "def score(v):\n    return 2 * v\n"))
    found, errors = _run([unit])
    assert errors == []
    [redefined] = [f for f in found["analysis.ipynb"] if f.code == "F811"]
    assert redefined.location.cell == 2 and "from cell 2, line 3" in redefined.message


def test_repeats_are_collapsed_and_re_exports_are_not_unused(tmp_path: Path) -> None:
    star = _file(tmp_path, "app.py", "from os.path import *\nx = join('a', 'b')\ny = join(exists('c'), 'd')\n"
                                    "print(nope, nope)\n")
    package = tmp_path / "pkg"
    package.mkdir()
    init = _file(package, "__init__.py", "from .core import run\nfrom .util import *\n")
    found, errors = _run([star, init])
    assert errors == []
    codes = sorted((f.code, f.location.line) for f in found.get(star.path, []))
    assert codes == [("F403", 1), ("F405", 2)]  # one F405 for every name of the star import
    [names] = [f for f in found[star.path] if f.code == "F405"]
    assert "`join`, `exists`, `nope`" in names.message and "(5 uses)" in names.message
    assert found.get(init.path, []) == []


def test_units_not_on_disk_are_staged(tmp_path: Path) -> None:
    unit = load_text("import yaml\nyaml.load(open('c.yml'))\n", "<stdin>")
    found, errors = _run([unit])
    assert errors == []
    [finding] = found["<stdin>"]
    assert (finding.code, finding.location.line, finding.location.column, finding.cwe) == ("S506", 2, 1, (502,))


def test_a_bad_extra_argument_is_one_tool_error(tmp_path: Path) -> None:
    units = [_file(tmp_path, "a.py", CODE), _file(tmp_path, "b.py", CODE)]
    config = dataclasses.replace(Config(), ruff=ToolSettings(args=("--definitely-not-an-option",)))
    found, errors = _run(units, config)
    assert found == {}
    [error] = errors
    assert error.tool == "ruff" and error.path is None
    assert "--definitely-not-an-option" in error.message and "2 file(s) not checked" in error.message


def test_chunked_command_lines_give_the_same_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    units = [_file(tmp_path, f"m{i}.py", CODE) for i in range(3)]
    whole, _ = _run(units)
    command = ruff_tool.command(ruff_tool.binary() or "ruff", Config())
    monkeypatch.setattr(process, "MAX_COMMAND", sum(len(p) + 1 for p in command) + 10)
    chunked, errors = _run(units)
    assert errors == [] and len(whole) == 3
    assert {p: _positions(f) for p, f in chunked.items()} == {p: _positions(f) for p, f in whole.items()}


def test_chunks_respect_the_budget() -> None:
    limit = len("ruff") + 1 + 6
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(process, "MAX_COMMAND", limit)
        assert process.chunks(["aaaa", "bb", "cc", "d"], ["ruff"]) == [["aaaa"], ["bb", "cc"], ["d"]]


def test_syntax_errors_are_left_to_the_engine(tmp_path: Path) -> None:
    unit = _file(tmp_path, "broken.py", "x = (\n")
    found, errors = _run([unit])
    assert found == {} and errors == []


def test_unreadable_encoding_is_a_per_file_error(tmp_path: Path) -> None:
    path = tmp_path / "latin.py"
    path.write_bytes(b'# -*- coding: latin-1 -*-\nname = "\xe9"\n')
    unit = load_path(path, str(path), max_size=10**6)
    found, errors = _run([unit])
    assert found == {}
    [error] = errors
    assert error.tool == "ruff" and error.path == unit.path and "UTF-8" in error.message


def test_missing_ruff_is_a_tool_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ruff_tool, "binary", lambda: None)
    found, errors = _run([_file(tmp_path, "a.py", CODE)])
    assert found == {}
    assert [(e.tool, e.message.startswith("ruff is not installed")) for e in errors] == [("ruff", True)]


def test_nothing_runs_when_the_review_selects_no_ruff_code(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    assert not ruff_tool.can_report(dataclasses.replace(Config(), select=("RV", "AI")))
    assert ruff_tool.can_report(dataclasses.replace(Config(), select=("RV", "S6")))
    assert ruff_tool.can_report(dataclasses.replace(Config(), select=("PL",)))
    monkeypatch.setattr(ruff_tool, "binary", lambda: None)  # an error if ruff were started
    assert _run([_file(tmp_path, "a.py", CODE)], dataclasses.replace(Config(), select=("RV",))) == ({}, [])
