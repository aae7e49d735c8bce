"""Helpers in other files of the project: a sanitizer or a source two files away is seen, and a
cached result is reviewed again when a helper it used changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.config import load_config
from reviewer.pipeline import review

APP = '''import sqlite3

from flask import Flask, request

from helpers.text import clean, trimmed
from helpers import web

app = Flask(__name__)


@app.route("/escaped")
def escaped():
    return "<p>" + clean(request.args.get("q", "")) + "</p>"


@app.route("/trimmed")
def trimmed_view():
    return "<p>" + trimmed(request.args.get("q", "")) + "</p>"


@app.route("/sourced")
def sourced():
    sqlite3.connect("d").execute("SELECT * FROM t WHERE n = '" + web.param("n") + "'")
    return "ok"


@app.route("/fixed")
def fixed():
    sqlite3.connect("d").execute("SELECT * FROM t WHERE n = '" + web.fixed("n") + "'")
    return "ok"
'''
TEXT = '''import html


def clean(value):
    return html.escape(value)


def trimmed(value):
    return value.strip()
'''
WEB = '''from flask import request


def param(name):
    return request.args.get(name, "")


def fixed(name):
    return "default"
'''


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "shop"\ndependencies = ["flask"]\n')
    (tmp_path / "helpers").mkdir()
    (tmp_path / "helpers" / "__init__.py").write_text("")
    (tmp_path / "helpers" / "text.py").write_text(TEXT)
    (tmp_path / "helpers" / "web.py").write_text(WEB)
    (tmp_path / "app.py").write_text(APP)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _security(project: Path) -> set[tuple[str, int]]:
    report = review(["app.py", "helpers"], load_config(project))
    return {(f.code, f.location.line) for f in report.findings
            if f.location.path.endswith("app.py") and f.code in ("RV110", "RV115", "B608", "S608")}


def test_sanitizers_and_sources_in_other_modules_are_followed(project: Path) -> None:
    assert _security(project) == {("RV115", 18), ("RV110", 23)}


def test_a_cached_result_is_reviewed_again_when_a_helper_it_used_changes(project: Path) -> None:
    assert ("RV115", 13) not in _security(project)
    assert ("RV115", 13) not in _security(project)  # from the cache
    (project / "helpers" / "text.py").write_text(TEXT.replace("html.escape(value)", "value"))
    assert ("RV115", 13) in _security(project)
    (project / "helpers" / "text.py").write_text(TEXT)
    assert ("RV115", 13) not in _security(project)


DB = '''import sqlite3


def run(sql, params=()):
    """Run one statement; the helper an assistant writes once and calls everywhere."""
    return sqlite3.connect("shop.db").execute(sql, params).fetchall()


def find(table, name):
    return run("SELECT * FROM " + table + " WHERE name = ?", (name,))


def count():
    return run("SELECT count(*) FROM t")
'''
VIEWS = '''from flask import Flask, request

from helpers import db
from helpers.db import run

app = Flask(__name__)


@app.route("/search")
def search():
    return str(run("SELECT * FROM t WHERE n = '" + request.args["n"] + "'"))


@app.route("/bound")
def bound():
    return str(run("SELECT * FROM t WHERE n = ?", (request.args["n"],)))


@app.route("/table")
def table():
    return str(db.find(request.args["t"], "x"))


@app.route("/name")
def name():
    return str(db.find("users", request.args["n"]))


@app.route("/count")
def count():
    return str(db.count())
'''


def test_a_helper_that_executes_its_parameter_is_a_sink_at_the_call(project: Path) -> None:
    (project / "helpers" / "db.py").write_text(DB)
    (project / "views.py").write_text(VIEWS)
    report = review(["views.py"], load_config(project))
    found = {(f.code, f.location.line) for f in report.findings if f.code == "RV110"}
    # The query text built from request data (line 11) and the table name passed into the text
    # two helpers down (line 21) are injections; parameters bound by the driver are not.
    assert found == {("RV110", 11), ("RV110", 21)}
    messages = [f.message for f in report.findings if f.code == "RV110"]
    assert any("run() in helpers/db.py, line 6" in m for m in messages), messages
    # The result depends on the helper: when it changes, the cached review is redone.
    (project / "helpers" / "db.py").write_text(DB.replace("execute(sql, params)", "execute('SELECT 1')"))
    report = review(["views.py"], load_config(project))
    assert not [f for f in report.findings if f.code == "RV110"]
