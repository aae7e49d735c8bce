"""Value-precise taint on Flask handlers: constant conditions, `match`, containers element by
element. Each safe handler has a vulnerable twin that must still be found."""

from __future__ import annotations

import textwrap

from reviewer.config import Config
from reviewer.engine import all_rules, analyze
from reviewer.sources import load_text

HEADER = """
import os
import sqlite3
import subprocess
from flask import Flask, request
app = Flask(__name__)
"""


def _lines(body: str, prefix: str = "RV11") -> list[int]:
    code = textwrap.dedent(HEADER).lstrip() + textwrap.dedent(body)
    rules = [r for r in all_rules() if r.CODE.startswith(prefix)]
    findings, errors = analyze(load_text(code, "app.py"), Config(), rules=rules)
    assert errors == []
    offset = len(textwrap.dedent(HEADER).lstrip().splitlines())
    return sorted(f.location.line - offset for f in findings)


def _handler(setup: str, sink: str = 'sqlite3.connect("d").execute("SELECT * FROM t WHERE n = \'" + bar + "\'")') -> str:
    body = textwrap.indent(textwrap.dedent(setup).strip(), "    ")
    return f'@app.route("/h")\ndef h():\n    param = request.args.get("id")\n{body}\n    {sink}\n    return "ok"\n'


def _flagged(setup: str, **kwargs: str) -> bool:
    return bool(_lines(_handler(setup, **kwargs)))


def test_a_constant_condition_decides_which_branch_carries_data() -> None:
    safe = """
        num = 86
        if 7 * 42 - num > 200:
            bar = "constant"
        else:
            bar = param
    """
    assert not _flagged(safe)
    assert _flagged(safe.replace("> 200", "< 200"))


def test_constant_ternaries_and_membership_in_literals() -> None:
    assert not _flagged('num = 106\nbar = "fixed" if (7 * 18) + num > 200 else param')
    assert _flagged('num = 106\nbar = param if (7 * 18) + num > 200 else "fixed"')
    assert not _flagged('bar = "fixed" if "should" in "This should never happen" else param')
    assert _flagged('bar = param if "should" in "This should never happen" else "fixed"')


def test_match_on_a_constant_subject_runs_only_its_case() -> None:
    safe = """
        guess = "ABC"
        target = guess[1]
        match target:
            case "A":
                bar = param
            case "B":
                bar = "bob"
            case _:
                bar = param
    """
    assert not _flagged(safe)
    assert _flagged(safe.replace('guess[1]', 'guess[0]'))


def test_a_name_rebound_in_a_loop_is_not_a_constant_inside_it() -> None:
    loop = """
        bar = "fixed"
        n = 0
        for _ in range(3):
            if n == 2:
                bar = param
            n += 1
    """
    assert _flagged(loop)


def test_lists_keep_each_element_s_own_taint() -> None:
    safe = """
        values = []
        values.append("safe")
        values.append(param)
        values.append("moresafe")
        values.pop(0)
        bar = values[1]
    """
    assert not _flagged(safe)
    assert _flagged(safe.replace("values[1]", "values[0]"))
    assert _flagged(safe.replace("values[1]", "values[i]"))  # unknown index: any element
    assert not _flagged('items = [param, "localhost"]\nbar = items[-1]')
    assert _flagged('items = [param, "localhost"]\nbar = items[-2]')


def test_dicts_keep_each_key_s_own_taint() -> None:
    safe = """
        m = {}
        m["keyA"] = "a_Value"
        m["keyB"] = param
        bar = m.get("keyA")
    """
    assert not _flagged(safe)
    assert _flagged(safe.replace('m.get("keyA")', 'm.get("keyB")'))
    assert _flagged(safe.replace('m.get("keyA")', 'm.get(k)'))
    assert _flagged(textwrap.dedent(safe) + 'm.update(other)\nbar = m.get("keyA")')


def test_tuple_unpacking_binds_element_by_element() -> None:
    assert not _flagged('bar, other = "localhost", param')
    assert _flagged('other, bar = "localhost", param')
    assert not _flagged('pair = ("x", param)\nbar, other = pair')
    assert _flagged('pair = ("x", param)\nother, bar = pair')
    assert _flagged('a, b = "x", param\na, b = b, a\nbar = a')


def test_a_container_handed_to_other_code_loses_its_element_precision() -> None:
    assert _flagged('values = ["safe"]\nfill(values, param)\nvalues.append(param)\nbar = values[0] + values[1]')
    assert _flagged('values = ["safe", "x"]\nvalues.sort()\nvalues[1] = param\nvalues.sort()\nbar = values[0]')
