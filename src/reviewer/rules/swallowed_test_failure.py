"""RV308 swallowed-test-failure: an assertion inside a `try` whose handler swallows the failure."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from reviewer.engine import Invalid, Rule, Valid
from reviewer.engine.imports import dotted_name
from reviewer.analysis.tests_detection import is_self, is_test_function, is_test_path
from reviewer.model import Category, Confidence, Severity

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext

#: Exception classes whose handler catches a failed `assert` (AssertionError).
_CATCH_ASSERTION = frozenset({"AssertionError", "Exception", "BaseException"})
#: `pytest.fail` raises `Failed`, a BaseException: only `except BaseException` and bare catch it.
_CATCH_FAILED = frozenset({"BaseException"})
#: Calls in a handler that make the test fail or end deliberately.
_SURFACING_CALLS = frozenset({"pytest.fail", "pytest.skip", "pytest.xfail"})
#: Calls that only report the caught exception (`print(e)`, `logger.warning(e)`).
_LOG_METHODS = frozenset(
    {"print", "debug", "info", "warning", "warn", "error", "exception", "critical", "log"}
)
_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


class SwallowedTestFailure(Rule):
    """Test assertion inside a `try` whose handler swallows the failure.

    ## What it does
    Flags, in test functions (at module level or in a `Test*`/`*Tests` class or a `TestCase`
    subclass, named `test*` in test files: `test*.py`, `*_test.py`, `conftest.py` or anything
    under `tests/`; named `test_*` elsewhere), an `assert`
    statement, a `self.assert*(...)`/`self.fail(...)` call or a `pytest.fail(...)` call in the
    body of a `try` whose first handler able to catch it (`except AssertionError`,
    `except Exception`, `except BaseException`, a bare `except:`, or a tuple naming one of
    them; only `BaseException` and bare for `pytest.fail`, which raises a `BaseException`)
    neither re-raises (`raise`), fails (`pytest.fail`, `self.fail`), skips nor asserts. A handler
    that keeps the exception (`except AssertionError as e: errors.append(e)`, anything beyond
    printing or logging it) is a deliberate soft assertion and is not flagged. One finding per
    `try`, on its first swallowed assertion.

    ## Why is this bad?
    A failed assertion raises `AssertionError`; a handler that catches it and carries on turns
    every failure into a pass. AI assistants write `try: ... assert ... except Exception as e:
    print(e)` to make a test "robust": the test can never fail.
    """

    CODE = "RV308"
    NAME = "swallowed-test-failure"
    CATEGORY = Category.AI_HYGIENE
    SEVERITY = Severity.WARNING
    CONFIDENCE = Confidence.HIGH
    MESSAGE = "Assertion inside a `try` whose handler swallows the failure: the test cannot fail"
    TRIGGERS = ("except",)

    VALID: ClassVar[list[Valid]] = [
        Valid(
            "def test_parse():\n    try:\n        assert parse('1') == 1\n"
            "    except ValueError:\n        pass\n"
        ),
        Valid(
            "import pytest\n\ndef test_load():\n    try:\n        assert load() == {}\n"
            "    except Exception as exc:\n        pytest.fail(f'load failed: {exc}')\n"
        ),
        Valid(
            "def test_many():\n    errors = []\n    for case in CASES:\n        try:\n"
            "            assert solve(case) == case.expected\n"
            "        except AssertionError as error:\n            errors.append(error)\n"
            "    assert not errors\n"
        ),
        Valid(
            "def test_retry():\n    try:\n        assert fetch() == 200\n"
            "    except AssertionError:\n        raise\n    except Exception:\n        pass\n"
        ),
        Valid(
            "import pytest\n\ndef test_check():\n    try:\n        pytest.fail('boom')\n"
            "    except Exception:\n        pass\n"
        ),
        Valid(
            "def helper():\n    try:\n        assert ready()\n    except AssertionError:\n"
            "        return False\n"
        ),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(
            "def test_answer():\n    try:\n        assert answer('hi') == 'hello'\n"
            "    except Exception as e:\n        print(f'Test failed: {e}')\n",
            line=3,
        ),
        Invalid(
            "def test_total():\n    try:\n        result = total([1, 2])\n"
            "        assert result == 3\n    except AssertionError:\n        pass\n",
            line=4,
        ),
        Invalid(
            "import unittest\n\nclass ClientTests(unittest.TestCase):\n"
            "    def test_status(self):\n        try:\n"
            "            self.assertEqual(status(), 'ok')\n        except:\n"
            "            self.skipped = True\n",
            line=6,
        ),
        Invalid(
            "import pytest\n\ndef test_connect():\n    try:\n        if not connect():\n"
            "            pytest.fail('no connection')\n    except BaseException:\n"
            "        pass\n",
            line=6,
        ),
        Invalid(
            "import logging\n\ndef test_score():\n    try:\n        assert score() > 0.9\n"
            "    except (ValueError, AssertionError) as err:\n"
            "        logging.warning('flaky: %s', err)\n",
            line=5,
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._test_file = is_test_path(context.unit.path)
        self._reported: set[int] = set()

    def visit_Try(self, node: cst.Try) -> None:
        if not self._in_test():
            return
        for statement, kind in _assertions(node.body):
            handler = _first_catching(node.handlers, kind)
            if handler is not None and not self._surfaces(handler):
                if id(statement) in self._reported:  # already reported for an inner `try`
                    return
                self._reported.add(id(statement))
                what = "`pytest.fail`" if kind == "fail" else "assertion"
                self.report(
                    statement,
                    f"This {what} is inside a `try` whose `{_describe(handler)}` handler swallows "
                    "the failure: the test can never fail; remove the `try` or re-raise",
                )
                return

    def _in_test(self) -> bool:
        functions = [n for n in self.context.stack if isinstance(n, cst.FunctionDef)]
        if not functions:
            return False
        outer = functions[0]
        index = self.context.stack.index(outer)
        owner = self.context.stack[index - 1] if index > 0 else None
        if isinstance(owner, cst.IndentedBlock):  # class body: ClassDef > IndentedBlock > def
            owner = self.context.stack[index - 2]
        if isinstance(owner, cst.Module):
            owner = None
        return is_test_function(outer, owner, self._test_file)

    def _surfaces(self, handler: cst.ExceptHandler) -> bool:
        """The handler re-raises, fails, skips, asserts, or keeps the exception for later."""
        nodes = list(_walk(handler.body))
        for node in nodes:
            if isinstance(node, (cst.Raise, cst.Assert)):
                return True
            if isinstance(node, cst.Call):
                if (self.context.qualified_name(node.func) or "") in _SURFACING_CALLS:
                    return True
                func = node.func
                if (
                    isinstance(func, cst.Attribute)
                    and is_self(func.value)
                    and func.attr.value in {"fail", "skipTest"}
                ):
                    return True
        bound = handler.name.name if isinstance(handler.name, cst.AsName) else None
        if not isinstance(bound, cst.Name):
            return False
        uses = sum(1 for node in nodes if _is_name(node, bound.value))
        logged = sum(
            1
            for node in nodes
            if isinstance(node, cst.Call)
            and (dotted_name(node.func) or "").split(".")[-1] in _LOG_METHODS
            for inner in _walk(node)
            if _is_name(inner, bound.value)
        )
        # Used beyond printing or logging (`errors.append(e)`): a deliberate soft assertion.
        return uses > logged


def _assertions(body: cst.BaseSuite) -> Iterator[tuple[cst.CSTNode, str]]:
    """(node, kind) for each assertion in a suite, outside nested functions and classes: kind is
    "assert" (raises AssertionError) or "fail" (`pytest.fail` raises a BaseException)."""
    for node in _walk(body):
        if isinstance(node, cst.Assert):
            yield node, "assert"
        elif isinstance(node, cst.Call):
            func = node.func
            if isinstance(func, cst.Attribute) and is_self(func.value):
                if func.attr.value.startswith("assert") or func.attr.value == "fail":
                    yield node, "assert"
            elif dotted_name(func) == "pytest.fail":
                yield node, "fail"


def _walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The nodes under `node` in source order, not entering nested functions, classes, lambdas."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current is not node and isinstance(current, _SCOPES):
            continue
        yield current
        stack.extend(reversed(current.children))


def _is_name(node: cst.CSTNode, name: str) -> bool:
    return isinstance(node, cst.Name) and node.value == name


def _catch_names(handler: cst.ExceptHandler) -> list[str] | None:
    """The class names a handler catches (last dotted part); None for a bare `except:`."""
    if handler.type is None:
        return None
    types = (
        [element.value for element in handler.type.elements]
        if isinstance(handler.type, cst.Tuple)
        else [handler.type]
    )
    return [(dotted_name(t) or "").split(".")[-1] for t in types]


def _first_catching(handlers: Sequence[cst.ExceptHandler], kind: str) -> cst.ExceptHandler | None:
    wanted = _CATCH_FAILED if kind == "fail" else _CATCH_ASSERTION
    for handler in handlers:
        names = _catch_names(handler)
        if names is None or wanted.intersection(names):
            return handler
    return None


def _describe(handler: cst.ExceptHandler) -> str:
    if handler.type is None:
        return "except:"
    return f"except {cst.Module([]).code_for_node(handler.type)}"
