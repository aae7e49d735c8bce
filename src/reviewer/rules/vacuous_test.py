"""RV304 vacuous-test: a test that asserts nothing, or asserts something that is always true."""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from reviewer.engine import Invalid, Rule, Valid
from reviewer.analysis.bindings import literal
from reviewer.engine.imports import dotted_name
from reviewer.analysis.tests_detection import is_self, is_test_class, is_test_path
from reviewer.model import Category, Confidence, Severity

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext

#: Same-module helpers with these prefixes are assertions by name (`check_response(resp)`).
_HELPER_PREFIXES = ("assert", "check", "verify", "expect", "validate", "ensure")
#: Any call with these prefixes asserts, wherever it is defined (`np.testing.assert_allclose`,
#: `mock.assert_called_once`, `self.assertEqual`, approvaltests' `verify`, `jsonschema.validate`).
_ASSERTING_PREFIXES = ("assert", "verify", "validate")
#: Names that say the test only checks that the code runs: a deliberate smoke test.
_SMOKE_TEST = re.compile(
    r"smoke|import|raise|crash|(?:no|without|doesnt|does_not|never)_(?:errors?|exceptions?|fail)"
)
#: Calls that make a test fail, or that make its outcome deliberate (skip/xfail): never vacuous.
_FAILING_CALLS = frozenset(
    {
        "pytest.raises", "pytest.fail", "pytest.warns", "pytest.deprecated_call", "pytest.skip",
        "pytest.xfail", "pytest.importorskip",
    }
)
#: `self.fail(...)`, `self.skipTest(...)` in unittest classes.
_SELF_FAILING = frozenset({"fail", "skipTest", "subTest"})
#: Decorators that make a `test*` function something else than a plain test: fixtures are not
#: tests, and skipped or expected-to-fail tests are deliberate.
_NOT_TEST_DECORATORS = frozenset({"fixture", "skip", "xfail"})
#: A comparison of an expression with itself is always true with these operators.
_REFLEXIVE_OPS = (cst.Equal, cst.Is, cst.LessThanEqual, cst.GreaterThanEqual)
#: How many levels of same-module helpers are followed from a test.
_HELPER_DEPTH = 2
#: Calls that only show a value: a test that passes its result to these has not checked it.
_PRINTS = frozenset({"print", "pprint", "display", "debug", "info", "warning", "log", "write"})
#: Methods that put something into a container (a test that only collects has not checked).
_COLLECTS = frozenset({"append", "extend", "add", "update", "insert", "setdefault", "put"})


def unchecked_result(source: str, quiet_helpers: frozenset[str] = frozenset()) -> str | None:
    """Why a test without assertions checks nothing, or None when it is a smoke test.

    A statement that calls code and drops the result is a smoke check: the test fails if that
    call raises (`client.get("/")`, `create_model(name)`). What checks nothing: an empty body, a
    result that is only printed or never read, and a container the test (or a mock it installs)
    fills but never reads.
    """
    try:
        function = ast.parse(source).body[0]
    except (SyntaxError, IndexError, ValueError, RecursionError):
        return "asserts nothing"
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return "asserts nothing"
    parents = {child: node for node in ast.walk(function) for child in ast.iter_child_nodes(node)}
    collector = _write_only_collector(function, parents)
    if collector is not None:
        return f"collects `{collector}` but never checks it"
    smoke = False
    for statement in _statements(function.body, parents):
        value = statement.value if isinstance(statement, ast.Expr) else None
        if isinstance(value, ast.Attribute) and value.attr.startswith("assert"):
            return f"reads `{ast.unparse(value)}` without calling it"
        if value is not None and not _quiet(value, quiet_helpers):
            smoke = True
        elif isinstance(statement, (ast.With, ast.AsyncWith)):
            smoke = True
    if smoke:
        return None
    bound = [target.id for node in ast.walk(function) if isinstance(node, (ast.Assign, ast.AnnAssign))
             for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
             if isinstance(target, ast.Name)]
    for name in dict.fromkeys(bound):
        reads = [n for n in ast.walk(function) if isinstance(n, ast.Name) and n.id == name
                 and isinstance(n.ctx, ast.Load)]
        if not reads:
            return f"computes `{name}` but never checks it"
        if all(_inside_quiet_call(read, parents, quiet_helpers) for read in reads):
            return f"only prints `{name}`"
    return "asserts nothing"


def _statements(body: list[ast.stmt], parents: dict[ast.AST, ast.AST]) -> list[ast.stmt]:
    """Statements of a test outside nested functions and outside `try` bodies (a call there may
    raise the very error the handler swallows)."""
    out: list[ast.stmt] = []
    for statement in body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        out.append(statement)
        if isinstance(statement, ast.Try):
            out += _statements(statement.orelse + statement.finalbody, parents)
            continue
        for field_name in ("body", "orelse"):
            nested = getattr(statement, field_name, None)
            if isinstance(nested, list) and not isinstance(statement, (ast.With, ast.AsyncWith)):
                out += _statements(nested, parents)
    return out


def _call_name(node: ast.AST) -> str:
    func = node.func if isinstance(node, ast.Call) else node
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _quiet(value: ast.expr, quiet_helpers: frozenset[str]) -> bool:
    """A string (docstring, note), `...`, or a call that only shows something."""
    if isinstance(value, ast.Constant):
        return True
    return isinstance(value, ast.Call) and (_call_name(value) in _PRINTS or _call_name(value) in quiet_helpers)


def _inside_quiet_call(node: ast.AST, parents: dict[ast.AST, ast.AST], quiet_helpers: frozenset[str]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.Call) and _quiet(node, quiet_helpers):
            return True
        if isinstance(node, ast.stmt):
            return False
    return False


def _write_only_collector(function: ast.AST, parents: dict[ast.AST, ast.AST]) -> str | None:
    """A name bound to an empty container that is only ever stored into (`rv["k"] = v`,
    `calls.append(x)`), by the test or by a function it defines."""
    for node in ast.walk(function):
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
            continue
        value = node.value
        empty = (isinstance(value, (ast.Dict, ast.List, ast.Set)) and not getattr(value, "keys", getattr(value, "elts", None))) or (
            isinstance(value, ast.Call) and _call_name(value) in ("dict", "list", "set") and not value.args)
        if not empty:
            continue
        name = node.targets[0].id
        uses = [n for n in ast.walk(function) if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)]
        if uses and all(_stores_into(use, parents) for use in uses):
            return name
    return None


def _stores_into(use: ast.Name, parents: dict[ast.AST, ast.AST]) -> bool:
    parent = parents.get(use)
    if isinstance(parent, ast.Subscript) and isinstance(parent.ctx, ast.Store):
        return True
    if isinstance(parent, ast.Attribute) and parent.attr in _COLLECTS:
        call = parents.get(parent)
        return isinstance(call, ast.Call) and isinstance(parents.get(call), ast.Expr)
    return False


@dataclass
class _Function:
    node: cst.FunctionDef
    is_test: bool
    can_fail: bool = False  #: has an assert, an assertion call or a raise
    returns_value: bool = False  #: `return x` or `yield`: a utility or a fixture, not a test
    calls: set[tuple[bool, str]] = field(default_factory=set)  #: (is `self.`/`cls.` call, name)


class VacuousTest(Rule):
    """Test that can never fail.

    ## What it does
    Flags test functions (named `test*` in test files, `test_*` elsewhere; at module level or in
    a `Test*`/`*Tests` class or a `TestCase` subclass) that can never fail: no `assert`
    statement, no `raise`, no `pytest.raises`/`fail`/`warns`/`skip`/`xfail` call, no call of
    anything named `assert*`, `verify*` or `validate*` (`self.assertEqual`,
    `mock.assert_called_once_with`, `np.testing.assert_allclose`), no `self.fail`, no
    `expect(...)` or `.should` assertion, no call of a `self.` method inherited from a class
    outside the module, and no call of a helper defined in the same module (followed two levels
    deep) that is named `assert*`/`check*`/`verify*`/`expect*`/`validate*`/`ensure*` or that
    asserts itself, and that also check nothing by running code: an empty body, a result that
    is only printed or never read (`result = f(); print(result)`), a container the test or its
    mock fills but never reads, or `mock.assert_called_once` read without calling it.
    A smoke test is not flagged: a statement that calls code and drops the result
    (`client.get("/")`, `create_model(name)`) fails the test when that call raises.
    Fixtures, `@skip`/`@xfail` tests, benchmark tests, smoke tests named so
    (`test_*_does_not_raise`, `test_smoke_*`) and functions that return or yield a value
    (utilities such as `test_connection()`) are not flagged. Also flags
    assertions inside tests that are always true: `assert True`, `assert 1`, `assert "text"`,
    `assert (x, "message")` and `assert x == x`.

    ## Why is this bad?
    A test without an assertion passes whatever the code returns: it only shows that the code
    does not raise. AI assistants generate such tests (`result = f(); print(result)`) to
    "increase coverage"; they make a suite look green while testing nothing.
    """

    CODE = "RV304"
    NAME = "vacuous-test"
    CATEGORY = Category.AI_HYGIENE
    SEVERITY = Severity.WARNING
    CONFIDENCE = Confidence.HIGH
    MESSAGE = "Test asserts nothing: it passes whatever the code under test returns"
    TRIGGERS = ("def test",)

    VALID: ClassVar[list[Valid]] = [
        Valid("def test_add():\n    assert add(2, 3) == 5\n"),
        Valid(
            "import pytest\n\ndef test_rejects_negative():\n"
            "    with pytest.raises(ValueError):\n        sqrt(-1)\n"
        ),
        Valid(
            "import unittest\n\nclass ParserTests(unittest.TestCase):\n"
            "    def test_empty(self):\n        self.assertEqual(parse(''), [])\n"
        ),
        Valid(
            "def check_response(response, status):\n    assert response.status_code == status\n\n"
            "def test_home(client):\n    check_response(client.get('/'), 200)\n"
        ),
        Valid(
            "import pytest\n\n@pytest.fixture\ndef test_user():\n    return User(name='a')\n\n"
            "def test_connection(host):\n    try:\n        connect(host)\n        return True\n"
            "    except OSError:\n        return False\n"
        ),
        Valid("def test_notify(mocker):\n    send = mocker.patch('app.send')\n    notify()\n"
              "    send.assert_called_once()\n"),
        Valid("def test_home_page_renders(client):\n    response = client.get('/')\n"
              "    response.content.decode('utf-8')\n"),
        Valid("def test_pretrained_weights_load(name):\n    create_model(name, pretrained=True)\n"),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid("def test_add():\n    result = add(2, 3)\n    print(result)\n", line=1),
        Invalid(
            "import pytest\n\n\nclass TestUserService:\n    def test_create_user(self, service):\n"
            "        user = service.create('alice')\n        # verify the user was created\n",
            line=5,
        ),
        Invalid(
            "def test_model_trains():\n    model = train(load_data())\n    assert True\n", line=3
        ),
        Invalid("def test_parse():\n    data = parse('x')\n    assert data == data\n", line=3),
        Invalid("def test_placeholder():\n    pass\n", line=1),
        Invalid(
            "def log_result(value):\n    print(value)\n\n"
            "def test_score():\n    log_result(score([1, 2]))\n",
            line=4,
        ),
        Invalid(
            "def test_total():\n    total = cart_total([1, 2])\n"
            "    assert (total == 3, 'wrong total')\n",
            line=3,
        ),
        Invalid(
            "def test_debug_flag(monkeypatch, app):\n    seen = {}\n\n"
            "    def fake_run(*args, **kwargs):\n        seen['debug'] = kwargs.get('debug')\n\n"
            "    monkeypatch.setattr(server, 'run', fake_run)\n    app.run(debug=True)\n",
            line=1,
        ),
        Invalid("def test_send(mailer):\n    notify(mailer)\n    mailer.send.assert_called_once\n", line=1),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._stack: list[_Function] = []
        self._tests: list[_Function] = []
        self._functions: dict[str, list[_Function]] = {}  #: module-level helpers by name
        self._methods: dict[str, list[_Function]] = {}  #: methods of every class by name
        self._test_file = is_test_path(context.unit.path)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        owner = self.context.enclosing(cst.ClassDef, cst.FunctionDef)
        info = _Function(node, self._is_test(node, owner))
        if owner is None:
            self._functions.setdefault(node.name.value, []).append(info)
        elif isinstance(owner, cst.ClassDef):
            self._methods.setdefault(node.name.value, []).append(info)
        if info.is_test:
            self._tests.append(info)
        self._stack.append(info)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._stack.pop()

    def visit_Assert(self, node: cst.Assert) -> None:
        self._mark_can_fail()
        if any(f.is_test for f in self._stack) and self._is_always_true(node.test):
            self.report(
                node,
                "This assertion can never fail; assert on the behaviour under test instead",
            )

    def visit_Raise(self, node: cst.Raise) -> None:
        self._mark_can_fail()

    def visit_Return(self, node: cst.Return) -> None:
        if self._stack and node.value is not None:
            self._stack[-1].returns_value = True

    def visit_Yield(self, node: cst.Yield) -> None:
        if self._stack:
            self._stack[-1].returns_value = True

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if self._stack and node.attr.value == "should":  # sure / should-dsl: `x.should.equal(1)`
            self._mark_can_fail()

    def visit_Call(self, node: cst.Call) -> None:
        if not self._stack:
            return
        func = node.func
        if isinstance(func, cst.Name):
            name, on_self = func.value, False
        elif isinstance(func, cst.Attribute):
            receiver = func.value
            name = func.attr.value
            on_self = is_self(receiver)
            if on_self and name in _SELF_FAILING:
                self._mark_can_fail()
                return
        else:
            return
        if (
            name.startswith(_ASSERTING_PREFIXES)
            or name == "expect"
            or self.context.qualified_name(func) in _FAILING_CALLS
            or any(is_self(arg.value) for arg in node.args)
        ):
            # Passing the TestCase on (`tree.visit(Checker(self))`) hands its assert methods to
            # code that will call them.
            self._mark_can_fail()
        else:
            self._stack[-1].calls.add((on_self, name))

    def finish(self) -> None:
        for test in self._tests:
            if test.returns_value or self._can_fail(test, _HELPER_DEPTH, set()):
                continue
            name = test.node.name.value
            reason = unchecked_result(self._source(test.node), self._quiet_helpers())
            if reason is not None:
                self.report(test.node.name, f"Test `{name}` {reason}: it passes whatever the code under "
                                            "test returns; assert on the result")

    def _source(self, node: cst.FunctionDef) -> str:
        return textwrap.dedent(self.context.code_for(node.with_changes(decorators=(), leading_lines=())))

    def _quiet_helpers(self) -> frozenset[str]:
        """Same-module functions that can only print or log: calling one checks nothing."""
        quiet = set()
        for name, functions in self._functions.items():
            if all(not f.can_fail and not f.is_test and not f.calls - {(False, n) for n in _PRINTS}
                   for f in functions):
                quiet.add(name)
        return frozenset(quiet)

    def _can_fail(self, function: _Function, depth: int, seen: set[int]) -> bool:
        if function.can_fail:
            return True
        if depth == 0:
            return False
        seen.add(id(function))
        for on_self, name in function.calls:
            helpers = (self._methods if on_self else self._functions).get(name, ())
            if on_self and not helpers:
                return True  # inherited helper (`self.validate_node(...)`): unknown, trust it
            for helper in helpers:
                if id(helper) in seen:
                    continue
                if name.startswith(_HELPER_PREFIXES) or self._can_fail(helper, depth - 1, seen):
                    return True
        return False

    def _mark_can_fail(self) -> None:
        # Nested functions count for the test that defines them (usually they are called there).
        for function in self._stack:
            function.can_fail = True

    def _is_test(self, node: cst.FunctionDef, owner: cst.CSTNode | None) -> bool:
        name = node.name.value
        # pytest collects every `test*` name in test files; elsewhere (scripts, notebooks, code
        # pasted from a chat) only `test_*` reads as a test rather than a `test()` demo function.
        if not name.startswith("test" if self._test_file else "test_") or _SMOKE_TEST.search(name):
            return False
        if isinstance(owner, cst.FunctionDef) or (
            isinstance(owner, cst.ClassDef) and not is_test_class(owner)
        ):
            return False
        for decorator in node.decorators:
            expr = decorator.decorator
            name = dotted_name(expr.func if isinstance(expr, cst.Call) else expr) or ""
            if name.split(".")[-1] in _NOT_TEST_DECORATORS:
                return False
        # pytest-benchmark tests measure speed; their `benchmark(f)` call is the point.
        return not any(param.name.value == "benchmark" for param in node.params.params)

    def _is_always_true(self, test: cst.BaseExpression) -> bool:
        if isinstance(test, cst.Name):
            return test.value == "True"
        if isinstance(test, (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString)):
            return bool(literal(test))
        if isinstance(test, (cst.Tuple, cst.List, cst.Dict, cst.Set)):
            return bool(getattr(test, "elements", ()))  # non-empty display: always truthy
        if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
            target = test.comparisons[0]
            if not isinstance(target.operator, _REFLEXIVE_OPS):
                return False
            left = self.context.code_for(test.left).strip()
            right = self.context.code_for(target.comparator).strip()
            # A call may return something new each time (`rand() == rand()` is flaky, not vacuous).
            return left == right and "(" not in left
        return False

