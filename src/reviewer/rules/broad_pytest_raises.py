"""RV310 broad-pytest-raises: `pytest.raises(Exception)` or `assertRaises(Exception)`."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from reviewer.analysis.tests_detection import is_self
from reviewer.engine import Invalid, Rule, Valid
from reviewer.engine.imports import dotted_name
from reviewer.engine.walker import iter_nodes
from reviewer.model import Category, Confidence, Severity

_BROAD = frozenset({"Exception", "BaseException"})
#: Context managers / calls that expect an exception, and the keyword that narrows them.
_PYTEST_RAISES = "pytest.raises"
_UNITTEST_RAISES = "assertRaises"


class BroadPytestRaises(Rule):
    """Test expects any exception at all.

    ## What it does
    Flags `pytest.raises(Exception)` and `pytest.raises(BaseException)` without `match=`
    (also inside a tuple: `pytest.raises((ValueError, Exception))`), and
    `self.assertRaises(Exception)` / `self.assertRaises(BaseException)` in unittest tests, as
    a context manager or called with the function to run. `assertRaisesRegex` and
    `pytest.raises(..., match=...)` check the message and are not flagged, nor is a block that
    raises that very class itself (a test faking a failure with `raise Exception(...)`).

    ## Why is this bad?
    Expecting `Exception` makes the test pass on any error: a typo in the test (`NameError`), a
    wrong argument (`TypeError`) or a broken fixture all count as "the code raised as it
    should". Expect the specific exception the code documents, or match its message. Ruff's
    PT011/B017 cover part of this; this rule covers unittest as well.
    """

    CODE = "RV310"
    NAME = "broad-pytest-raises"
    CATEGORY = Category.AI_HYGIENE
    SEVERITY = Severity.NOTE
    CONFIDENCE = Confidence.HIGH
    MESSAGE = "Test expects any `Exception`: it passes on any error, including a bug in the test"
    TRIGGERS = ("raises", "Raises")
    EQUIVALENT = ("PT011", "B017")

    VALID: ClassVar[list[Valid]] = [
        Valid(
            "import pytest\n\ndef test_negative():\n    with pytest.raises(ValueError):\n"
            "        sqrt(-1)\n"
        ),
        Valid(
            "import pytest\n\ndef test_bad_config():\n"
            "    with pytest.raises(Exception, match='missing key'):\n        load({})\n"
        ),
        Valid(
            "import unittest\n\nclass ParseTests(unittest.TestCase):\n    def test_empty(self):\n"
            "        with self.assertRaisesRegex(Exception, 'empty'):\n            parse('')\n"
        ),
        Valid(
            "import unittest\n\nclass ParseTests(unittest.TestCase):\n    def test_empty(self):\n"
            "        self.assertRaises(KeyError, lookup, {}, 'k')\n"
        ),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(
            "import pytest\n\ndef test_invalid_input():\n    with pytest.raises(Exception):\n"
            "        process(None)\n",
            line=4,
        ),
        Invalid(
            "from pytest import raises\n\ndef test_timeout():\n"
            "    with raises(BaseException):\n        fetch(timeout=0)\n",
            line=4,
        ),
        Invalid(
            "import unittest\n\nclass UserTests(unittest.TestCase):\n"
            "    def test_duplicate(self):\n        with self.assertRaises(Exception):\n"
            "            create_user('a')\n",
            line=5,
        ),
        Invalid(
            "import pytest\n\ndef test_parse():\n"
            "    with pytest.raises((ValueError, Exception)):\n        parse('?')\n",
            line=4,
        ),
        Invalid(
            "import unittest\n\nclass UserTests(unittest.TestCase):\n"
            "    def test_missing(self):\n        self.assertRaises(Exception, load_user, 42)\n",
            line=5,
        ),
    ]

    def _raises_it_itself(self, broad: str) -> bool:
        """The `with` block the call opens raises that very class (the test fakes a failure)."""
        with_node = self.context.enclosing(cst.With)
        return with_node is not None and broad in _raised_names(with_node.body)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if self.context.qualified_name(func) == _PYTEST_RAISES:
            if any(arg.keyword is not None and arg.keyword.value == "match" for arg in node.args):
                return
            what = "pytest.raises"
        elif (
            isinstance(func, cst.Attribute)
            and is_self(func.value)
            and func.attr.value == _UNITTEST_RAISES
        ):
            what = "self.assertRaises"
        else:
            return
        expected = node.args[0] if node.args and node.args[0].keyword is None else None
        if expected is None:
            return
        broad = _broad_name(expected.value)
        if broad is not None and self._raises_it_itself(broad):
            return  # `with pytest.raises(Exception): raise Exception("x")`: exactly that class
        if broad is not None:
            self.report(
                node,
                f"`{what}({broad})` passes on any error, including a typo or a bug in the test "
                "itself; expect the specific exception"
                + (" or add `match=`" if what == "pytest.raises" else ""),
            )


def _raised_names(block: cst.CSTNode) -> set[str]:
    return {
        dotted_name(n.exc.func if isinstance(n.exc, cst.Call) else n.exc) or ""
        for n in iter_nodes(block) if isinstance(n, cst.Raise) and n.exc is not None
    }


def _broad_name(expr: cst.BaseExpression) -> str | None:
    candidates = (
        [element.value for element in expr.elements] if isinstance(expr, cst.Tuple) else [expr]
    )
    for candidate in candidates:
        name = (dotted_name(candidate) or "").removeprefix("builtins.")
        if name in _BROAD:
            return name
    return None
