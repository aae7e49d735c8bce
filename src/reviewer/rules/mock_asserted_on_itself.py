"""RV309 mock-asserted-on-itself: a test that asserts on a mock it configured and called itself."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from reviewer.engine import Invalid, Rule, Valid
from reviewer.engine.imports import dotted_name
from reviewer.analysis.tests_detection import is_self, is_test_function, is_test_path
from reviewer.model import Category, Confidence, Severity

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext

_MOCK_CLASSES = ("Mock", "MagicMock", "AsyncMock", "NonCallableMock", "NonCallableMagicMock")
#: Qualified names of the calls that create a mock (`mocker` is pytest-mock's fixture).
_MOCK_CONSTRUCTORS = frozenset(
    f"{module}.{name}" for module in ("unittest.mock", "mock", "mocker") for name in _MOCK_CLASSES
)
#: Builtins that only look at a value: `len(m.call_args_list)` does not hand the mock on.
_HARMLESS_BUILTINS = frozenset(
    {"len", "list", "tuple", "dict", "set", "str", "repr", "int", "float", "bool", "sorted",
     "isinstance", "type", "any", "all"}
)


class MockAssertedOnItself(Rule):
    """Test that asserts on a mock it created, configured and called itself.

    ## What it does
    Flags test functions (as for RV304: `test*` in test files, `test_*` elsewhere) that create a
    mock (`Mock()`, `MagicMock()`, `AsyncMock()`, `mocker.Mock()`...) and assert on it
    (`assert m() == X`, `assert m.return_value == X`, `m.assert_called_once()`,
    `self.assertEqual(m.method(), X)`) while the mock never reaches anything else: it is only
    configured (`m.return_value = X`, `m.method.side_effect = ...`), called directly, read into
    local variables and asserted on. Any other use of the mock or of a value read from it (passing
    it to a function or a class, assigning it to an attribute, `patch(..., m)`, using it in a
    `with`/`for`/`if` header or block, or in a nested function) means the code under test may use
    it, and the test is not flagged. Mocks created with `wraps=` (which call the real object) and
    mocks from `patch(...)` are never flagged. One finding per test, on its first assertion on
    such a mock.

    ## Why is this bad?
    A mock returns what it was told to return and records the calls made to it: asserting on
    that after calling it yourself checks the mock library, not your code. AI assistants write
    such tests when they cannot work out how to wire the mock into the code under test; they
    pass whatever the code does.
    """

    CODE = "RV309"
    NAME = "mock-asserted-on-itself"
    CATEGORY = Category.AI_HYGIENE
    SEVERITY = Severity.WARNING
    CONFIDENCE = Confidence.HIGH
    MESSAGE = "Test asserts on a mock it configured itself: the code under test is never exercised"
    TRIGGERS = ("Mock",)

    VALID: ClassVar[list[Valid]] = [
        Valid(
            "from unittest.mock import Mock\n\ndef test_notify():\n    sender = Mock()\n"
            "    notify(sender, 'hi')\n    sender.send.assert_called_once_with('hi')\n"
        ),
        Valid(
            "from unittest.mock import MagicMock, patch\n\ndef test_fetch():\n"
            "    client = MagicMock()\n    client.get.return_value = {'ok': True}\n"
            "    with patch('app.client', client):\n        assert fetch() is True\n"
        ),
        Valid(
            "from unittest.mock import Mock\n\ndef test_service():\n    repo = Mock()\n"
            "    repo.load.return_value = [1, 2]\n    service = Service(repo)\n"
            "    assert service.total() == 3\n"
        ),
        Valid(
            "def test_send(mocker):\n    send = mocker.patch('app.send')\n    send.return_value = 1\n"
            "    assert send() == 1\n"
        ),
        Valid(
            "from unittest.mock import Mock\n\ndef test_wrapped():\n    real = Parser()\n"
            "    spy = Mock(wraps=real)\n    assert spy.parse('1') == 1\n"
        ),
        Valid(
            "from unittest.mock import Mock\n\ndef test_hook(app):\n    hook = Mock()\n"
            "    app.on_start = hook\n    app.start()\n    hook.assert_called_once()\n"
        ),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(
            "from unittest.mock import Mock\n\ndef test_get_user():\n    api = Mock()\n"
            "    api.get_user.return_value = {'name': 'alice'}\n"
            "    assert api.get_user(1) == {'name': 'alice'}\n",
            line=6,
        ),
        Invalid(
            "from unittest.mock import MagicMock\n\ndef test_callback_called():\n"
            "    callback = MagicMock()\n    callback('done')\n"
            "    callback.assert_called_once_with('done')\n",
            line=6,
        ),
        Invalid(
            "def test_price(mocker):\n    pricing = mocker.Mock()\n"
            "    pricing.return_value = 9.99\n    result = pricing('sku-1')\n"
            "    assert result == 9.99\n",
            line=5,
        ),
        Invalid(
            "import unittest\nfrom unittest import mock\n\nclass CacheTests(unittest.TestCase):\n"
            "    def test_hit(self):\n        cache = mock.Mock()\n"
            "        cache.get.return_value = 'v'\n"
            "        self.assertEqual(cache.get('k'), 'v')\n",
            line=8,
        ),
        Invalid(
            "from unittest.mock import Mock\n\ndef test_model_predicts():\n    model = Mock()\n"
            "    model.predict.return_value = [1]\n    model.predict([[0.5]])\n"
            "    assert model.predict.return_value == [1]\n",
            line=7,
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._test_file = is_test_path(context.unit.path)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        owner = self.context.enclosing(cst.ClassDef, cst.FunctionDef)
        if not is_test_function(node, owner, self._test_file):
            return
        if not isinstance(node.body, cst.IndentedBlock):
            return
        found = _Analysis(self).run(node.body)
        if found is not None:
            statement, name = found
            self.report(
                statement,
                f"This asserts on `{name}`, a mock the test created and configured itself and "
                "never passes to the code under test: it checks the mock, not the code; pass "
                "the mock to the code under test or assert on real results",
            )


class _Analysis:
    """One pass over a test's statements, tracking mocks and the local values read from them."""

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.tracked: dict[str, set[str]] = {}  #: local name -> the mocks it comes from
        self.escaped: set[str] = set()  #: mocks handed to something else
        self.assertions: list[tuple[cst.CSTNode, str]] = []  #: (statement, mock)

    def run(self, body: cst.IndentedBlock) -> tuple[cst.CSTNode, str] | None:
        for statement in body.body:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    self._small(small)
            else:
                self.escaped |= self._mocks_in(statement)
        for statement, mock in self.assertions:
            if mock not in self.escaped:
                return statement, mock
        return None

    def _small(self, small: cst.BaseSmallStatement) -> None:
        if (
            isinstance(small, cst.Assign)
            and len(small.targets) == 1
            and isinstance(small.targets[0].target, cst.Name)
            and self._is_mock_creation(small.value)
        ):
            name = small.targets[0].target.value
            self.tracked[name] = {name}
            return
        if isinstance(small, (cst.Assign, cst.AnnAssign)) and (
            small.value is None or not self._mocks_in(small.value)
        ):
            targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else [
                small.target
            ]
            if all(isinstance(t, cst.Name) for t in targets):
                for target in _assigned_names(small):
                    self.tracked.pop(target, None)  # rebound to something unrelated
                return
        mocks = self._mocks_in(small)
        if not mocks:
            return
        if isinstance(small, cst.Assign):
            targets = [t.target for t in small.targets]
            if self._is_pure(small.value):
                if all(self._root(t) is not None for t in targets):
                    return  # configuration: `m.return_value = X`, `m.get.side_effect = ...`
                if len(targets) == 1 and isinstance(targets[0], cst.Name):
                    self.tracked[targets[0].value] = self._mocks_in(small.value)
                    return  # `result = m(1)`: a value read from the mock
        elif isinstance(small, cst.Assert):
            if self._is_pure(small):
                self.assertions.extend((small, mock) for mock in sorted(mocks))
                return
        elif isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            call = small.value
            func = call.func
            root = self._root(func)
            if root is not None and self._is_pure(call):
                if isinstance(func, cst.Attribute) and func.attr.value.startswith("assert"):
                    self.assertions.append((small, next(iter(sorted(self.tracked[root])))))
                return  # `m()`, `m.method(x)`: calling the mock directly
            if (
                isinstance(func, cst.Attribute)
                and is_self(func.value)
                and func.attr.value.startswith("assert")
                and all(self._is_pure(arg.value) for arg in call.args)
            ):
                self.assertions.extend((small, mock) for mock in sorted(mocks))
                return
        self.escaped |= mocks

    def _is_mock_creation(self, value: cst.BaseExpression) -> bool:
        if not isinstance(value, cst.Call):
            return False
        name = self.rule.context.qualified_name(value.func) or ""
        if name not in _MOCK_CONSTRUCTORS:
            return False
        return not any(arg.keyword is not None and arg.keyword.value == "wraps" for arg in value.args)

    def _root(self, expr: cst.CSTNode) -> str | None:
        """The tracked name an attribute/subscript/call chain starts from (`m.get.return_value`)."""
        while isinstance(expr, (cst.Attribute, cst.Subscript, cst.Call)):
            expr = expr.func if isinstance(expr, cst.Call) else expr.value
        return expr.value if isinstance(expr, cst.Name) and expr.value in self.tracked else None

    def _mocks_in(self, node: cst.CSTNode) -> set[str]:
        mocks: set[str] = set()
        for current in _walk(node):
            if isinstance(current, cst.Name) and current.value in self.tracked:
                mocks |= self.tracked[current.value]
        return mocks

    def _is_pure(self, node: cst.CSTNode) -> bool:
        """No tracked value reaches a call of something else than a mock or a harmless builtin."""
        for current in _walk(node):
            if isinstance(current, (cst.Lambda, cst.Yield)) and self._mocks_in(current):
                return False
            if not isinstance(current, cst.Call) or self._root(current.func) is not None:
                continue
            if (dotted_name(current.func) or "") in _HARMLESS_BUILTINS:
                continue
            if any(self._mocks_in(arg) for arg in current.args):
                return False
        return True


def _assigned_names(small: cst.BaseSmallStatement) -> Iterator[str]:
    targets: list[cst.BaseExpression] = []
    if isinstance(small, cst.Assign):
        targets = [t.target for t in small.targets]
    elif isinstance(small, (cst.AnnAssign, cst.AugAssign)):
        targets = [small.target]
    for target in targets:
        if isinstance(target, cst.Name):
            yield target.value


def _walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(current.children)
