"""Test-hygiene rules (RV308-RV312): cases beyond the rule examples."""

from __future__ import annotations

from reviewer.config import Config
from reviewer.engine import Rule, analyze
from reviewer.model import Finding
from reviewer.rules.assert_for_validation import AssertForValidation
from reviewer.rules.broad_pytest_raises import BroadPytestRaises
from reviewer.rules.mock_asserted_on_itself import MockAssertedOnItself
from reviewer.rules.swallowed_test_failure import SwallowedTestFailure
from reviewer.rules.todo_in_finished_code import TodoInFinishedCode
from reviewer.sources import load_text


def run(rule: type[Rule], code: str, path: str = "x.py") -> list[Finding]:
    findings, errors = analyze(load_text(code, path), Config(), rules=[rule])
    assert errors == []
    return [f for f in findings if f.code == rule.CODE]


def lines(findings: list[Finding]) -> list[int]:
    return sorted(f.location.line for f in findings)


# --- RV308 swallowed-test-failure ----------------------------------------------------------------


def test_swallowed_failure_only_in_tests_and_once_per_try() -> None:
    code = (
        "def testLoad():\n    try:\n        assert a()\n        assert b()\n"
        "    except:\n        pass\n\n"
        "def load():\n    try:\n        assert a()\n    except Exception:\n        pass\n"
    )
    assert lines(run(SwallowedTestFailure, code, "tests/test_load.py")) == [3]
    assert lines(run(SwallowedTestFailure, code, "app.py")) == []  # testLoad needs test_ here


def test_swallowed_failure_handler_order_and_pytest_fail() -> None:
    code = (
        "import pytest\n\ndef test_a():\n    try:\n        pytest.fail('x')\n"
        "    except Exception:\n        pass\n\n"
        "def test_b():\n    try:\n        assert f()\n    except ValueError:\n        pass\n"
        "    except Exception as e:\n        logger.error('failed: %s', e)\n\n"
        "def test_c():\n    try:\n        assert f()\n    except Exception as e:\n"
        "        self.failures = e\n"
    )
    found = run(SwallowedTestFailure, code, "tests/test_x.py")
    assert lines(found) == [11]
    assert "`except Exception` handler" in found[0].message


def test_swallowed_failure_ignores_nested_functions_and_else() -> None:
    code = (
        "def test_a():\n    try:\n        def check():\n            assert f()\n"
        "        run(check)\n    except Exception:\n        pass\n\n"
        "def test_b():\n    try:\n        x = f()\n    except Exception:\n        x = None\n"
        "    else:\n        assert x\n"
    )
    assert run(SwallowedTestFailure, code, "tests/test_x.py") == []


# --- RV309 mock-asserted-on-itself ---------------------------------------------------------------


def test_mock_passed_anywhere_is_not_flagged() -> None:
    code = (
        "from unittest.mock import Mock, patch\n\n"
        "def test_a(monkeypatch):\n    m = Mock()\n    monkeypatch.setattr(app, 'client', m)\n"
        "    m.return_value = 1\n    assert m() == 1\n\n"
        "def test_b():\n    m = Mock()\n    value = m()\n    out = transform(value)\n"
        "    assert value is m.return_value\n\n"
        "def test_c():\n    m = Mock()\n    for i in range(3):\n        m(i)\n"
        "    assert m.call_count == 3\n"
    )
    assert run(MockAssertedOnItself, code, "tests/test_x.py") == []


def test_mock_flagged_once_per_test_and_rebinding_forgets_it() -> None:
    code = (
        "from unittest.mock import Mock\n\n"
        "def test_a():\n    m = Mock()\n    m.x.return_value = 2\n    m.x()\n"
        "    m.x.assert_called_once()\n    assert len(m.x.call_args_list) == 1\n\n"
        "def test_b():\n    m = Mock()\n    m = real_client()\n    assert m.ping() == 'pong'\n"
    )
    found = run(MockAssertedOnItself, code, "tests/test_x.py")
    assert lines(found) == [7]
    assert "`m`" in found[0].message


# --- RV310 broad-pytest-raises -------------------------------------------------------------------


def test_broad_raises_variants() -> None:
    code = (
        "import pytest\nimport builtins\n\n"
        "def test_a():\n    with pytest.raises(builtins.Exception):\n        f()\n"
        "    with pytest.raises(expected_exception=Exception):\n        f()\n"
        "    with pytest.raises(Exception, match=None):\n        f()\n"
        "    with raises(Exception):\n        f()\n"
    )
    # Keyword-only and unimported `raises` are left alone; an explicit match= is trusted.
    assert lines(run(BroadPytestRaises, code)) == [5]


# --- RV311 assert-for-validation -----------------------------------------------------------------


def test_assert_for_validation_skips_tests_notebook_helpers_and_locals() -> None:
    code = (
        "def f(x):\n    assert x > 0\n\n"
        "def check_input(x):\n    assert x\n\n"
        "def g(x):\n    y = x * 2\n    assert y.ok\n    assert size(key=1)\n"
    )
    assert lines(run(AssertForValidation, code, "pkg/mod.py")) == [2]
    assert run(AssertForValidation, code, "tests/helpers.py") == []
    assert run(AssertForValidation, code, "pkg/conftest.py") == []
    assert run(AssertForValidation, code, "pkg/mod.pyi") == []


def test_assert_for_validation_uses_innermost_function_parameters() -> None:
    code = (
        "def outer(items):\n    def inner(item):\n        assert items\n"
        "        assert item.is_valid()\n    return inner\n"
    )
    found = run(AssertForValidation, code, "pkg/mod.py")
    assert lines(found) == [4]
    assert "`item`" in found[0].message


# --- RV312 todo-in-finished-code -----------------------------------------------------------------


def test_todo_claim_reports_the_marker_line_and_ignores_strings() -> None:
    code = (
        "def a():\n    \"\"\"Handles every edge case.\"\"\"\n    x = '# TODO not a comment'\n"
        "    # FIXME: overflow\n    return x\n\n"
        "def b():\n    \"\"\"This is not fully implemented.\"\"\"\n    # TODO\n    return 1\n\n"
        "def c():\n    \"\"\"Robust.\"\"\"\n    return 1\n# TODO after the function\n"
    )
    found = run(TodoInFinishedCode, code)
    assert lines(found) == [1]
    assert "line 4 has a `FIXME` comment" in found[0].message
