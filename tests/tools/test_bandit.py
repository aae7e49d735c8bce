"""The bandit adapter against the real bandit: positions, notebooks, shards and per-file errors."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import nbformat
import pytest

from reviewer.config import Config, ToolSettings
from reviewer.model import Category, Confidence, Finding, Severity, Source, ToolError
from reviewer.sources import SourceUnit, load_path, load_text
from reviewer.sources.notebook import unit_from_notebook
from reviewer.tools import Stage, process
from reviewer.tools import bandit as bandit_tool

pytestmark = pytest.mark.skipif(bandit_tool.version() is None, reason="bandit is not installed")

CODE = """\
import pickle
import subprocess


def load(blob, cmd):
    subprocess.call(cmd, shell=True)
    assert blob
    return pickle.loads(blob)
"""
# Syntax the running Python (and so bandit) cannot parse: 3.12's `type` statement on 3.11.
NEWER_SYNTAX = "type Alias = int\n" if sys.version_info < (3, 12) else "x = (\n"


def _run(units: list[SourceUnit], config: Config | None = None) -> tuple[dict[str, list[Finding]], list[ToolError]]:
    stage = Stage(units)
    try:
        return bandit_tool.start(units, config or Config(), stage).collect()
    finally:
        stage.cleanup()


def _file(tmp_path: Path, name: str, text: str) -> SourceUnit:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return load_path(path, str(path), max_size=10**6)


def _positions(findings: list[Finding]) -> list[tuple[str, int, int, int | None, int | None]]:
    return sorted((f.code, f.location.line, f.location.column, f.location.end_line, f.location.end_column)
                  for f in findings)


def _jobs(count: int) -> Config:
    return dataclasses.replace(Config(), jobs=count)


def test_findings_on_a_py_file(tmp_path: Path) -> None:
    unit = _file(tmp_path, "mod.py", CODE)
    found, errors = _run([unit])
    assert errors == []
    findings = found[unit.path]
    # B101 (assert), B403 (import pickle) and B404 (import subprocess) are skipped by default.
    assert _positions(findings) == [
        ("B301", 8, 12, 8, 30),
        ("B602", 6, 5, 6, 37),
    ]
    by_code = {f.code: f for f in findings}
    shell = by_code["B602"]
    assert shell.name == "subprocess-popen-with-shell-equals-true"
    assert (shell.category, shell.severity, shell.confidence, shell.cwe) == (
        Category.SECURITY, Severity.ERROR, Confidence.HIGH, (78,))
    assert shell.source is Source.BANDIT and shell.sources == (Source.BANDIT,)
    assert shell.url and "b602" in shell.url
    # Blacklist checks are all named "blacklist" by bandit; the anchor of their URL names them.
    assert (by_code["B301"].name, by_code["B301"].severity, by_code["B301"].cwe) == (
        "pickle", Severity.WARNING, (502,))


def test_multi_line_call_is_located_at_the_node(tmp_path: Path) -> None:
    unit = _file(tmp_path, "multi.py", "import subprocess\nsubprocess.call(\n    'ls',\n    shell=True,\n)\n")
    found, _ = _run([unit], dataclasses.replace(Config(), bandit=ToolSettings(select=("B602",))))
    # bandit's line_number is the `shell=True` line and its columns belong to the call, which
    # starts on another line: the line is kept, the column falls back to the line's text.
    assert _positions(found[unit.path]) == [("B602", 4, 5, 4, None)]


def test_byte_offsets_become_character_columns(tmp_path: Path) -> None:
    unit = _file(tmp_path, "accents.py", 'café = "é"; eval(café)\n')
    found, _ = _run([unit])
    assert _positions(found[unit.path]) == [("B307", 1, 13, 1, 23)]


def test_notebook_findings_map_to_the_cell(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Load"), nbformat.v4.new_code_cell("import yaml"),
                nbformat.v4.new_code_cell("path = 'c.yml'\n%time x = 1\nconf = yaml.load(open(path))")]
    unit = unit_from_notebook("analysis.ipynb", nb)
    found, errors = _run([unit])
    assert errors == []
    [finding] = found["analysis.ipynb"]
    loc = finding.location
    assert (finding.code, loc.cell, loc.line, loc.column, loc.end_line, loc.cell_id) == (
        "B506", 2, 3, 8, 3, nb.cells[2].id)


def test_units_not_on_disk_are_staged() -> None:
    unit = load_text("import os\nos.system(cmd)\n", "script.py")
    found, errors = _run([unit])
    assert errors == []
    assert _positions(found["script.py"]) == [("B605", 2, 1, 2, 15)]


def test_a_bad_extra_argument_is_one_tool_error(tmp_path: Path) -> None:
    units = [_file(tmp_path, f"m{i}.py", CODE) for i in range(3)]
    config = dataclasses.replace(_jobs(3), bandit=ToolSettings(args=("--definitely-not-an-option",)))
    found, errors = _run(units, config)
    assert found == {}
    [error] = errors  # three shards fail alike: one error, counting every unchecked file
    assert error.tool == "bandit" and error.path is None
    assert "--definitely-not-an-option" in error.message and "3 file(s) not checked" in error.message


def test_unparsable_file_is_a_per_file_error_and_others_still_count(tmp_path: Path) -> None:
    new_syntax = _file(tmp_path, "new.py", NEWER_SYNTAX + "eval(x)\n")
    good = _file(tmp_path, "good.py", CODE)
    found, errors = _run([new_syntax, good], _jobs(1))
    [error] = errors
    assert (error.tool, error.path) == ("bandit", new_syntax.path)
    assert "syntax error" in error.message
    assert new_syntax.path not in found
    assert {f.code for f in found[good.path]} == {"B301", "B602"}


def test_two_shards_find_what_one_shard_finds(tmp_path: Path) -> None:
    units = [_file(tmp_path, f"m{i}.py", CODE * (i + 1)) for i in range(5)]
    one, one_errors = _run(units, _jobs(1))
    two, two_errors = _run(units, _jobs(2))
    assert one_errors == two_errors == []
    assert len(one) == 5
    assert {p: _positions(f) for p, f in two.items()} == {p: _positions(f) for p, f in one.items()}


def test_more_shards_than_workers_run_in_a_window(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    units = [_file(tmp_path, f"m{i}.py", CODE) for i in range(5)]
    one, _ = _run(units, _jobs(1))
    # A tiny command-line budget puts every file in its own shard: 5 shards for 2 workers.
    monkeypatch.setattr(process, "MAX_COMMAND", sum(len(p) + 1 for p in bandit_tool.command(Config())) + 10)
    many, errors = _run(units, _jobs(2))
    assert errors == []
    assert {p: _positions(f) for p, f in many.items()} == {p: _positions(f) for p, f in one.items()}


def test_shards_are_balanced_largest_first() -> None:
    files = [("a", 10), ("b", 7), ("c", 5), ("d", 4), ("e", 1)]
    assert bandit_tool.shards(files, 2) == [["a", "d"], ["b", "c", "e"]]
    assert bandit_tool.shards(files, 9) == [["a"], ["b"], ["c"], ["d"], ["e"]]
    assert bandit_tool.shards([], 4) == []


def test_default_excludes_do_not_drop_explicit_files(tmp_path: Path) -> None:
    unit = _file(tmp_path, ".github/scripts/ci.py", "import os\nos.system(cmd)\n")
    found, errors = _run([unit])
    assert errors == [] and [f.code for f in found[unit.path]] == ["B605"]


def test_select_and_ignore(tmp_path: Path) -> None:
    unit = _file(tmp_path, "mod.py", CODE)
    only = dataclasses.replace(Config(), bandit=ToolSettings(select=("B101", "B602")))
    found, _ = _run([unit], only)
    assert sorted(f.code for f in found[unit.path]) == ["B101", "B602"]
    skip = dataclasses.replace(Config(), bandit=ToolSettings(ignore=("B403", "B404")))
    found, _ = _run([unit], skip)
    assert sorted(f.code for f in found[unit.path]) == ["B101", "B301", "B602"]


def test_missing_bandit_is_a_tool_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bandit_tool, "version", lambda: None)
    found, errors = _run([_file(tmp_path, "a.py", CODE)])
    assert found == {}
    assert [(e.tool, e.message.startswith("bandit is not installed")) for e in errors] == [("bandit", True)]


def test_nothing_runs_when_the_review_selects_no_bandit_code(tmp_path: Path) -> None:
    assert not bandit_tool.can_report(dataclasses.replace(Config(), select=("RV", "S", "BLE")))
    assert bandit_tool.can_report(dataclasses.replace(Config(), select=("RV", "B")))
    assert bandit_tool.can_report(dataclasses.replace(Config(), select=("B6",)))
    # A file bandit cannot parse gives no error when no bandit finding could be reported anyway.
    unit = _file(tmp_path, "new.py", NEWER_SYNTAX)
    assert _run([unit], dataclasses.replace(Config(), select=("RV",))) == ({}, [])
