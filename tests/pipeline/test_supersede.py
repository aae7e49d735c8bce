"""Superseding: a tool finding one of our rules contradicts leaves the report, is counted and
listed on request; real ruff and bandit run on every case."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewer.config import load_config
from reviewer.integrations.cli import main
from reviewer.merge import supersede
from reviewer.model import CLEARED_SINK, EXAMINED, Category, Finding, Location, Severity, Source
from reviewer.pipeline import review


def _finding(code: str, source: Source, line: int, name: str = "x", cwe: tuple[int, ...] = ()) -> Finding:
    return Finding(code=code, name=name, message="m", location=Location("a.py", line, 1), source=source,
                   category=Category.SECURITY, severity=Severity.WARNING, cwe=cwe, sources=(source,))


def test_ownership_supersedes_only_where_the_owner_looked_and_did_not_report() -> None:
    owners = {"B105": frozenset({"RV101"})}
    tool_1, tool_2 = _finding("B105", Source.BANDIT, 1), _finding("B105", Source.BANDIT, 2)
    ours = _finding("RV101", Source.REVIEWER, 2)
    marker = _finding("RV101", Source.REVIEWER, 1, name=EXAMINED)
    out = supersede([tool_1, tool_2, ours, marker], {}, {}, owners)
    assert [(f.code, f.location.line, f.superseded_by) for f in out] == [
        ("B105", 1, "RV101"), ("B105", 2, None), ("RV101", 2, None)]
    # Without the marker (RV101 deselected, or it never ran on the unit) nothing is superseded.
    assert all(f.superseded_by is None for f in supersede([tool_1, tool_2], {}, {}, owners))


def test_a_verdict_supersedes_related_findings_on_its_line_only() -> None:
    verdict = _finding("RV110", Source.REVIEWER, 3, name=CLEARED_SINK)
    related = _finding("B608", Source.BANDIT, 3, cwe=(89,))
    elsewhere = _finding("B608", Source.BANDIT, 4, cwe=(89,))
    unrelated = _finding("B113", Source.BANDIT, 3, cwe=(400,))
    out = supersede([verdict, related, elsewhere, unrelated], {}, {"RV110": frozenset({89})}, {})
    assert [(f.code, f.location.line, f.superseded_by) for f in out] == [
        ("B608", 3, "RV110"), ("B608", 4, None), ("B113", 3, None)]


CODE = '''import hashlib
import random
import sqlite3

PASSWORD_FIELD = "password"
jitter = random.random()


def count(table):
    sql = "SELECT COUNT(*) FROM %s" % table
    with sqlite3.connect("db") as connection:
        return connection.execute(sql).fetchone()


def report():
    return count("orders"), hashlib.md5(b"cache key").hexdigest()
'''


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.reviewer]\ncache = false\n")
    (tmp_path / "app.py").write_text(CODE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_real_tools_findings_our_rules_contradict_are_superseded(project: Path) -> None:
    report = review(["app.py"], load_config(project))
    superseded = {(f.code, f.location.line, f.superseded_by) for f in report.superseded}
    # A label, not a password; jitter, not a token; a constant table name; a cache key.
    assert {("B105", 5, "RV101"), ("B311", 6, "RV128"), ("B324", 16, "RV133")} <= superseded
    assert ("B608", 10, "RV110") in superseded  # built on line 10, executed (cleared) on 11
    assert not {f.code for f in report.findings} & {"B105", "S105", "B311", "S311", "B608", "S608", "B324"}


def test_show_superseded_lists_them_and_never_changes_the_exit_code(project: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["scan", "app.py", "--format", "json", "--fail-on", "note"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["findings"] == [] and len(report["superseded"]) >= 4
    assert all(f["superseded_by"] for f in report["superseded"])
    code = main(["scan", "app.py", "--show-superseded", "--fail-on", "note"])
    text = capsys.readouterr().out
    assert code == 0
    assert "superseded by RV101" in text and "superseded by our own rules" in text


def test_in_test_files_tool_security_findings_and_deployment_rules_are_quiet(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.reviewer]\ncache = false\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_app.py").write_text(
        "import pickle\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\ndef test_debug():\n"
        "    app.debug = True\n    path = '/tmp/x.txt'\n    assert pickle.loads(pickle.dumps(1)) == 1\n"
        "    password = 'hunter2hunter2'\n    assert path and password\n"
        "\n\ndef test_rules(rule_source):\n    assert eval(rule_source)\n")
    monkeypatch.chdir(tmp_path)
    report = review(["."], load_config(tmp_path))
    codes = {f.code for f in report.findings}
    assert not codes & {"RV123", "RV130", "RV101", "B108", "S108", "B301", "S301", "B105", "S105"}
    assert codes & {"RV104", "B307", "S307"}  # running code from a string matters in tests too


def test_sql_built_on_one_line_and_run_on_the_next_is_one_finding(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.reviewer]\ncache = false\n")
    (tmp_path / "app.py").write_text(
        "import sqlite3\n\nfrom flask import request\n\n\ndef search():\n    q = request.args['q']\n"
        "    sql = \"SELECT * FROM t WHERE name = '%s'\" % q\n"
        "    with sqlite3.connect('x') as connection:\n        return connection.execute(sql).fetchall()\n")
    monkeypatch.chdir(tmp_path)
    report = review(["app.py"], load_config(tmp_path))
    assert [(f.code, f.location.line) for f in report.findings] == [("RV110", 10)]
    assert report.findings[0].message.endswith("built on line 8")
    assert {(f.code, f.superseded_by) for f in report.superseded} >= {("B608", "RV110")}


def test_a_rule_that_counts_only_remote_input_clears_constants_not_the_operators_code(tmp_path: Path) -> None:
    """RV112 counts request, network and LLM data; `sys.argv` is none of these, but not a
    constant either: RV104 stays on `exec(sys.argv[1])` and goes on `exec(code)` of a literal."""
    (tmp_path / "pyproject.toml").write_text("[tool.reviewer]\ncache = false\n")
    (tmp_path / "run.py").write_text(
        "import sys\n\n\ndef main():\n    exec(sys.argv[1])\n    code = 'x = 1'\n    exec(code)\n"
    )
    report = review([str(tmp_path / "run.py")], load_config(tmp_path))
    shown = sorted((f.code, f.location.line) for f in report.findings if f.code in ("RV104", "RV112"))
    hidden = sorted((f.code, f.location.line, f.superseded_by) for f in report.superseded
                    if f.code in ("RV104", "RV112"))
    assert shown == [("RV104", 5)]
    assert hidden == [("RV104", 7, "RV112")]
