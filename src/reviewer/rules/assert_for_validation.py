"""RV311 assert-for-validation: `assert` used to validate a function's arguments in library code."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from reviewer.engine import Invalid, Rule, Valid
from reviewer.engine.imports import dotted_name
from reviewer.analysis.tests_detection import is_test_path
from reviewer.model import Category, Confidence, Severity

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext

#: Functions whose job is to assert (debug helpers, invariant checks): their asserts are meant.
_ASSERTING_FUNCTIONS = ("_check", "_assert", "_debug", "check_", "assert_", "debug_")


class AssertForValidation(Rule):
    """`assert` used to validate arguments.

    ## What it does
    Flags `assert` statements in library code whose condition uses a parameter of the
    enclosing function: `assert isinstance(x, int)`, `assert amount > 0`,
    `assert user is not None`. Not flagged: asserts about a parameter's attributes only
    (`assert route.methods`, `assert node.parent is not None`: the object's own invariant, often
    narrowing an optional attribute's type), test files (`test*.py`, `*_test.py`, `conftest.py`,
    anything under `tests/`), notebooks and stub files, asserts under `if TYPE_CHECKING:`,
    asserts that use no parameter (internal invariants on local state), methods' `self`/`cls`,
    private modules (`_utils.py`) and `setup.py`, private functions (`_helper`, not dunders: their arguments come from the module's own code,
    so an assert there states an invariant, often narrowing a type) and functions whose job is
    to assert (names starting with `check_`, `assert_` or `debug_`). (`assert_never(x)` is a call, not an `assert` statement.)

    ## Why is this bad?
    Python removes `assert` statements when run with `-O` (or `PYTHONOPTIMIZE`), which many
    production images do: the validation silently disappears and bad input flows on. An
    `AssertionError` is also the wrong error for a caller's mistake. Raise `ValueError` or
    `TypeError` instead. AI assistants use `assert` for input checks because it is short.
    """

    CODE = "RV311"
    NAME = "assert-for-validation"
    CATEGORY = Category.AI_HYGIENE
    SEVERITY = Severity.WARNING
    CONFIDENCE = Confidence.MEDIUM
    CWE = (617,)
    MESSAGE = "`assert` validates an argument: `python -O` removes it; raise ValueError/TypeError"
    TRIGGERS = ("assert ",)
    EQUIVALENT = ("S101", "B101")

    VALID: ClassVar[list[Valid]] = [
        Valid(
            "def withdraw(account, amount):\n    if amount <= 0:\n"
            "        raise ValueError('amount must be positive')\n    account.balance -= amount\n"
        ),
        Valid(
            "def merge(parts):\n    result = combine(parts)\n    assert result is not None\n"
            "    return result\n"
        ),
        Valid(
            "def _check_invariants(tree):\n    assert tree.root is not None\n"
            "    assert all(n.parent for n in tree.children)\n"
        ),
        Valid(
            "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    def f(x: int) -> None:\n"
            "        assert x\n"
        ),
        Valid("class Account:\n    def close(self):\n        assert self.open\n"),
        Valid("def _cells(unit):\n    assert unit.cell_map is not None\n    return unit.cell_map\n"),
        Valid("def first_method(route):\n    assert route.methods\n    return sorted(route.methods)[0]\n"),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(
            "def withdraw(account, amount):\n    assert amount > 0, 'amount must be positive'\n"
            "    account.balance -= amount\n",
            line=2,
        ),
        Invalid(
            "def load_config(path):\n    assert isinstance(path, str)\n"
            "    return open(path).read()\n",
            line=2,
        ),
        Invalid(
            "class UserService:\n    def rename(self, user, name):\n"
            "        assert user is not None\n        user.name = name\n\n"
            "    def __init__(self, db):\n        assert db\n",
            line=3,
        ),
        Invalid(
            "def chunk(items, *, size=10):\n    assert size in range(1, 1001)\n"
            "    return [items[i:i + size] for i in range(0, len(items), size)]\n",
            line=2,
        ),
        Invalid(
            "async def send(message: str) -> None:\n    assert message.strip(), 'empty message'\n"
            "    await transport.write(message)\n",
            line=2,
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        path = context.unit.path
        module = PurePosixPath(path.replace("\\", "/")).name
        # A private module (`_validators.py`) is called by its own package, and setup.py by pip:
        # neither validates a caller's input with these asserts.
        self._enabled = not (
            is_test_path(path) or context.unit.is_notebook or path.endswith(".pyi")
            or _is_private(module) or module == "setup.py"
        )

    def visit_Assert(self, node: cst.Assert) -> None:
        if not self._enabled:
            return
        function = self.context.enclosing(cst.FunctionDef)
        if not isinstance(function, cst.FunctionDef):
            return
        name = function.name.value
        if name.startswith(_ASSERTING_FUNCTIONS) or _is_private(name):
            return
        params = _parameters(function)
        used = sorted(params.intersection(_names(node.test)))
        if not used or self._under_type_checking():
            return
        self.report(
            node,
            f"`assert` validates the argument `{used[0]}`: `python -O` removes it, so the check "
            "disappears in optimized runs; raise ValueError or TypeError instead",
        )

    def _under_type_checking(self) -> bool:
        return any(
            isinstance(ancestor, cst.If)
            and (dotted_name(ancestor.test) or "").endswith("TYPE_CHECKING")
            for ancestor in self.context.stack
        )


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _parameters(function: cst.FunctionDef) -> set[str]:
    params = function.params
    every = [*params.posonly_params, *params.params, *params.kwonly_params]
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            every.append(star)
    return {p.name.value for p in every} - {"self", "cls"}


def _names(node: cst.CSTNode) -> set[str]:
    """Names the test reads as values: `x`, `x.strip()`, `len(x)`; not `x` in `x.field`, whose
    assert states the object's own invariant (often narrowing an optional attribute's type)."""
    names: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            names.add(current.value)
        elif isinstance(current, cst.Call) and isinstance(current.func, cst.Attribute):
            stack.append(current.func.value)  # `x.strip()`: the argument's own behaviour
            stack.extend(current.args)
            continue
        elif isinstance(current, cst.Attribute):
            if not isinstance(current.value, cst.Name):
                stack.append(current.value)  # `a.b.c`: only the base can be a parameter
            continue
        elif isinstance(current, cst.Arg):
            stack.append(current.value)  # `f(size=1)`: the keyword is not a name read
            continue
        stack.extend(current.children)
    return names
