"""The pattern matcher and the taint engine, on small programs (through the real engine)."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from reviewer.config import Config
from reviewer.engine import all_rules, analyze
from reviewer.engine.imports import ImportTable
from reviewer.engine.patterns import Matcher, PatternError, compile_pattern
from reviewer.model import CLEARED_SINK, EXAMINED
from reviewer.sources import load_text


def _matches(pattern: str, code: str) -> list[str]:
    module = cst.parse_module(textwrap.dedent(code))
    table = ImportTable()
    table.scan_module(module)
    matcher = Matcher(table.qualified_name, module.code_for_node)
    compiled = compile_pattern(pattern)
    found: list[str] = []

    class Visit(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            if isinstance(node, compiled.dispatch) and matcher.match(compiled, node) is not None:
                found.append(module.code_for_node(node).strip())
            return True

    module.visit(Visit())
    return found


def test_dotted_names_match_through_import_aliases() -> None:
    code = """
        import subprocess as sp
        from subprocess import call as c
        import os
        sp.run(cmd, shell=True)
        c(cmd, cwd="/", shell=True)
        sp.run(["ls"])
        os.system(cmd)
    """
    assert _matches("subprocess.$F(..., shell=True, ...)", code) == [
        "sp.run(cmd, shell=True)", 'c(cmd, cwd="/", shell=True)',
    ]


def test_repeated_metavariable_string_wildcard_and_bad_syntax() -> None:
    assert _matches("$X == $X", "a == a\na == b\n") == ["a == a"]
    assert _matches('open("...", $MODE)', 'open("f", "w")\nopen(name, "w")\n') == ['open("f", "w")']
    with pytest.raises(PatternError, match="not Python syntax"):
        compile_pattern("foo(((")


def _findings(code: str, prefix: str = "RV11") -> list[tuple[int, str]]:
    rules = [r for r in all_rules() if r.CODE.startswith(prefix)]
    findings, errors = analyze(load_text(textwrap.dedent(code).lstrip(), "app.py"), Config(), rules=rules)
    assert errors == []
    return sorted((f.location.line, f.code) for f in findings)


def test_taint_follows_a_handler_through_two_helpers() -> None:
    code = """
        import sqlite3
        from flask import Flask, request
        app = Flask(__name__)

        def build(name):
            return "SELECT * FROM t WHERE name = '%s'" % name

        def run(sql):
            return sqlite3.connect("db").execute(sql)

        @app.route("/q")
        def handler():
            return run(build(request.args["name"]))

        def internal():
            return run(build("constant"))
    """
    assert _findings(code) == [(9, "RV110")]


def test_constants_sanitizers_and_guards_clear_the_value() -> None:
    code = """
        import os
        import shlex
        import sys
        from flask import abort, request

        ALLOWED = {"a", "b"}
        MODES = {"fast": "-f", "slow": "-s"}

        def cli():
            arg = sys.argv[1]
            os.system("run " + shlex.quote(arg))
            os.system("run " + MODES.get(arg, "-f"))
            parts = {"flag": "-q", "name": arg}
            os.system("run " + parts["flag"])
            os.system("run " + parts["name"])
            if 1 == 2:
                os.system(arg)
            if arg not in ALLOWED:
                sys.exit(1)
            os.system("run " + arg)
            arg = "fixed"
            os.system(arg)

        def web():
            items = []
            items.append(request.args["x"])
            os.system(" ".join(items))
            os.system(f"echo {int(request.args['n'])}")
    """
    assert _findings(code) == [(15, "RV111"), (27, "RV111")]


def test_closures_llm_responses_and_handler_parameters() -> None:
    code = """
        import subprocess
        from fastapi import FastAPI
        from openai import OpenAI

        api = FastAPI()
        client = OpenAI()

        def agent():
            reply = client.chat.completions.create(model="m", messages=[]).choices[0].message.content
            subprocess.run(reply, shell=True)

        def outer(path):
            command = input()

            def inner():
                subprocess.run(command, shell=True)
            return inner

        @api.get("/run")
        def run(cmd: str):
            subprocess.run(f"echo {cmd}", shell=True)
    """
    assert _findings(code) == [(10, "RV111"), (16, "RV111"), (21, "RV111")]


def test_a_view_parameter_shadows_an_imported_request() -> None:
    code = """
        from django.db import connection
        from flask import request

        def view(request):
            with connection.cursor() as cur:
                cur.execute("SELECT %s" % request.GET["q"])
                request.session["plan"] = request.GET["plan"]
    """
    assert _findings(code) == [(6, "RV110"), (7, "RV119")]


def test_checking_one_attribute_of_the_request_does_not_clear_the_rest() -> None:
    """`if request.method == "POST":` guards nothing: the data read inside is still untrusted
    (found by scoring the public SecurityEval set; a local variable checked the same way is)."""
    code = """
        import os
        from flask import request

        def run():
            if request.method == "POST":
                os.system(request.args.get("action"))
            action = request.args.get("action")
            if action == "status":
                os.system(action)
    """
    assert _findings(code) == [(6, "RV111")]


def test_a_parameter_of_a_function_nobody_here_calls_is_not_proven_safe() -> None:
    """Such a sink gets no verdict, so a pattern-only tool finding there (bandit's B608) keeps
    its severity; a helper this module calls only with constants is proven safe."""
    code = textwrap.dedent("""
        import sqlite3

        def delete_user(username):
            sqlite3.connect("db").execute("DELETE FROM users WHERE name = '%s'" % username)

        def count(table):
            return sqlite3.connect("db").execute("SELECT COUNT(*) FROM %s" % table)

        def report():
            return count("users")
    """).lstrip()
    rules = [r for r in all_rules() if r.CODE == "RV110"]
    findings, errors = analyze(load_text(code, "app.py"), Config(), rules=rules, verdicts=True)
    assert errors == []
    assert [(f.location.line, f.name) for f in findings if f.name != EXAMINED] == [(7, CLEARED_SINK)]


def test_recursion_terminates_and_newer_syntax_is_reviewed() -> None:
    code = """
        import os
        import sys

        def loop(n):
            if n:
                return loop(n - 1)
            os.system(n)

        type Alias = list[int]
        print(f"{"nested"}")
        loop(sys.argv[1])
    """
    assert _findings(code) == [(7, "RV111")]
