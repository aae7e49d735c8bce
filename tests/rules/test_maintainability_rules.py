"""RV203-RV207: shadowed builtins, and the maintainability limits from [tool.reviewer.thresholds]."""

from __future__ import annotations

from dataclasses import replace

import pytest

from reviewer.config import Config, Thresholds
from reviewer.engine import analyze, find_rule
from reviewer.rules.cognitive_complexity import cognitive_complexity
from reviewer.sources import load_text


def _lines(code: str, code_name: str, **limits: int) -> list[int]:
    config = replace(Config(), thresholds=replace(Thresholds(), **limits))
    findings, errors = analyze(load_text(code, "demo.py"), config, rules=[find_rule(code_name)])
    assert errors == []
    return sorted(f.location.line for f in findings if f.code == code_name)


def test_shadowed_builtin_reported_once_per_scope() -> None:
    code = (
        "list = []\nlist = [1]\n\n"
        "def f(id):\n    id = id or 0\n    for id in range(3):\n        pass\n    return id\n\n"
        "def g():\n    id = 1\n    return id\n"
    )
    assert _lines(code, "RV203") == [1, 4, 11]


def test_shadowed_builtin_skips_class_bodies_and_attributes() -> None:
    code = "class Row:\n    id = 0\n    def type(self):\n        self.format = None\n        return dict(id=1)\n"
    assert _lines(code, "RV203") == []


def test_parameter_limit_from_config() -> None:
    code = "def f(self, a, b, c, *args, d, **kwargs):\n    pass\n"
    assert _lines(code, "RV204") == []
    assert _lines(code, "RV204", max_parameters=3) == [1]
    assert _lines(code, "RV204", max_parameters=4) == []


def test_nesting_limit_from_config() -> None:
    code = "def f(x):\n    if x:\n        for y in x:\n            if y:\n                return y\n    return None\n"
    assert _lines(code, "RV205") == []
    assert _lines(code, "RV205", max_nesting=2) == [5]
    assert _lines(code, "RV205", max_nesting=1) == [4]


def test_nesting_reported_once_per_function() -> None:
    code = "def f(x):\n    if x:\n        if x:\n            a()\n            b()\n    if x:\n        if x:\n            c()\n"
    assert _lines(code, "RV205", max_nesting=1) == [4]


def test_function_length_from_config() -> None:
    code = "def f(items):\n" + "    items.append(1)\n\n    # note\n" * 12
    assert _lines(code, "RV206") == []
    assert _lines(code, "RV206", max_function_lines=11) == [1]
    assert _lines(code, "RV206", max_function_lines=12) == []


def test_nested_function_lines_count_in_the_parent() -> None:
    code = "def outer():\n    def inner():\n" + "        step()\n" * 8 + "    return inner\n"
    assert _lines(code, "RV206", max_function_lines=9) == [1]


@pytest.mark.parametrize(
    ("code", "score"),
    [
        ("def f(x):\n    return x\n", 0),
        # SonarSource's sumOfPrimes, without the labelled continue Python lacks.
        (
            ("def sum_of_primes(limit):\n    total = 0\n    for i in range(1, limit):\n"
            "        for j in range(2, i):\n            if i % j == 0:\n                break\n"
            "        total += i\n    return total\n"),
            6,
        ),
        # SonarSource's getWords: a switch is +1 however many cases.
        (
            ("def get_words(number):\n    match number:\n        case 1:\n            return 'one'\n"
            "        case 2:\n            return 'a couple'\n        case _:\n            return 'lots'\n"),
            1,
        ),
        (("def f(a, b, c, d):\n    if a and b and c or d:\n        return 1\n    elif a:\n        return 2\n"
         "    else:\n        return 3\n"), 5),
        ("def f(x):\n    try:\n        g()\n    except ValueError:\n        if x:\n            raise\n", 3),
        ("def f(xs):\n    return sorted(xs, key=lambda x: x if x else 0)\n", 2),
        ("def outer(xs):\n    def inner(x):\n        if x:\n            return x\n    return inner\n", 2),
    ],
)
def test_cognitive_complexity_scores(code: str, score: int) -> None:
    assert cognitive_complexity(code) == {code.split("(")[0][4:]: score}


def test_complexity_limit_from_config() -> None:
    code = "def f(a, b):\n    if a:\n        for x in b:\n            if x:\n                return x\n"
    assert _lines(code, "RV207") == []  # score 6
    assert _lines(code, "RV207", max_complexity=5) == [1]
    assert _lines(code, "RV207", max_complexity=6) == []
