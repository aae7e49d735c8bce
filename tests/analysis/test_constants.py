"""The constant evaluator: what it computes, what it refuses (unknown stays unknown), and the
bounds that keep crafted expressions cheap."""

from __future__ import annotations

import libcst as cst
import pytest

from reviewer.analysis.constants import UNKNOWN, constant_truth, constant_value


@pytest.mark.parametrize(("source", "names", "expected"), [
    ("7 * 42 - num > 200", {"num": 86}, True),
    ("(7 * 18) + num > 200", {"num": 106}, True),
    ("7 * 42 - num > 200", {"num": 94}, False),
    ('"should" in "This should never happen"', {}, True),
    ('"b" not in "abc"', {}, False),
    ("guess[1]", {"guess": "ABC"}, "B"),
    ("guess[-1]", {"guess": "ABC"}, "C"),
    ("guess[0:2]", {"guess": "ABC"}, "AB"),
    ('"yes" if n > 3 else "no"', {"n": 5}, "yes"),
    ('f"{a}-{b}"', {"a": "x", "b": 2}, "x-2"),
    ('"%s/%s" % ("a", "b")', {}, "a/b"),
    ('"a,b".split(",")[1]', {}, "b"),
    ('"AbC".lower() == "abc"', {}, True),
    ('len("abc") == 3', {}, True),
    ("1 < 2 < 3", {}, True),
    ("1 < 3 < 2", {}, False),
    ("x", {}, UNKNOWN),
    ("x + 1", {}, UNKNOWN),
    ("f(1)", {}, UNKNOWN),
    ("items[0]", {}, UNKNOWN),
    ("1 / 0", {}, UNKNOWN),
    ('"abc"[7]', {}, UNKNOWN),
])
def test_values(source: str, names: dict[str, object], expected: object) -> None:
    assert constant_value(cst.parse_expression(source), names) == expected or (
        expected is UNKNOWN and constant_value(cst.parse_expression(source), names) is UNKNOWN
    )


@pytest.mark.parametrize("source", [
    '"x" * 10**9',
    "2 ** 100000",
    "((2 ** 64) ** 64) * ((2 ** 64) ** 64)",
    '"%999999999s" % "a"',
    '"{:999999999}".format(1)',
    '"a".zfill(10 ** 9)',
    '"abc"[::0]',
])
def test_crafted_expressions_stay_cheap_and_unknown(source: str) -> None:
    assert constant_value(cst.parse_expression(source)) is UNKNOWN


def test_truth_of_unknown_is_none_and_literal_names_are_not_shadowed_by_accident() -> None:
    assert constant_truth(cst.parse_expression("flag")) is None
    assert constant_truth(cst.parse_expression("flag"), {"flag": 0}) is False
    assert constant_truth(cst.parse_expression("True and not False")) is True
