"""RV205 deep-nesting: a statement nested more blocks deep inside a function than the limit."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from reviewer.engine import Invalid, Rule, Valid
from reviewer.model import Category, Confidence, Severity

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext


class _Function:
    __slots__ = ("depth", "name", "reported")

    def __init__(self, name: str) -> None:
        self.name = name
        self.depth = 0
        self.reported = False


class DeepNesting(Rule):
    """Statement nested too deeply inside a function.

    ## What it does
    Counts the blocks around each statement of a function: `if`, `for`, `while`, `with`, `try`
    and `match` each open one level (an `elif`/`else` chain stays at the level of its `if`; the
    `except`/`else`/`finally` clauses at the level of their `try`; `match` is one level for all
    its cases). Reports the first statement nested deeper than `max-nesting` in
    `[tool.reviewer.thresholds]` (default 4), once per function. A nested `def` starts counting
    again.

    ## Why is this bad?
    Every level of nesting is one more condition the reader must keep in mind. Deep nesting is
    how generated code handles every case inline; guard clauses (`if not x: return`),
    `continue` and small helper functions make the same logic flat.
    """

    CODE = "RV205"
    NAME = "deep-nesting"
    CATEGORY = Category.MAINTAINABILITY
    SEVERITY = Severity.NOTE
    CONFIDENCE = Confidence.HIGH
    MESSAGE = "Statement nested too deeply"
    TRIGGERS = ("def ",)
    EQUIVALENT = ("PLR1702",)

    VALID: ClassVar[list[Valid]] = [
        Valid(
            "def f(rows):\n    for row in rows:\n        if row:\n            with lock:\n"
            "                try:\n                    save(row)\n                except E:\n"
            "                    pass\n"
        ),
        Valid(
            "def f(x):\n    if x == 1:\n        a()\n    elif x == 2:\n        b()\n    elif x == 3:\n"
            "        for i in x:\n            while i:\n                if i:\n                    c()\n"
            "    else:\n        d()\n"
        ),
        Valid(
            "for a in b:\n    for c in a:\n        for d in c:\n            for e in d:\n"
            "                for f in e:\n                    print(f)\n"
        ),
        Valid(
            "def outer(rows):\n    for row in rows:\n        if row:\n            def inner(x):\n"
            "                if x:\n                    for y in x:\n                        return y\n"
            "            inner(row)\n"
        ),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(
            "def f(rows):\n    for row in rows:\n        if row:\n            with lock:\n"
            "                try:\n                    if row.ok:\n                        save(row)\n"
            "                finally:\n                    pass\n",
            line=7,
        ),
        Invalid(
            "def f(x):\n    while x:\n        if x:\n            pass\n        elif y:\n"
            "            for a in x:\n                match a:\n                    case 1:\n"
            "                        if a: return 1\n",
            line=9,
        ),
        Invalid(
            "class A:\n    def m(self):\n        for a in b:\n            for c in a:\n"
            "                for d in c:\n                    for e in d:\n"
            "                        for f in e:\n                            print(f)\n"
            "                            print(e)\n",
            line=8,
        ),
        Invalid(
            "async def f():\n    async with s:\n        async for a in s:\n            try:\n"
            "                pass\n            except E:\n                if a:\n"
            "                    while a:\n                        a = await g()\n",
            line=9,
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._limit = context.config.thresholds.max_nesting
        self._functions: list[_Function] = []

    def _statement(self, node: cst.CSTNode) -> None:
        if not self._functions:
            return
        function = self._functions[-1]
        if function.depth > self._limit and not function.reported:
            function.reported = True
            self.report(
                node,
                f"Statement nested {function.depth} blocks deep in `{function.name}` "
                f"(limit {self._limit}); return early, use `continue` or extract a helper",
            )

    def _open(self, node: cst.CSTNode) -> None:
        self._statement(node)
        if self._functions:
            self._functions[-1].depth += 1

    def _close(self, node: cst.CSTNode) -> None:
        if self._functions:
            self._functions[-1].depth -= 1

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._statement(node)
        self._functions.append(_Function(node.name.value))

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._functions.pop()

    def visit_If(self, node: cst.If) -> None:
        parent = self.context.parent()
        if isinstance(parent, cst.If) and parent.orelse is node:  # elif: same level as its if
            return
        self._open(node)

    def leave_If(self, node: cst.If) -> None:
        parent = self.context.parent()
        if isinstance(parent, cst.If) and parent.orelse is node:
            return
        self._close(node)

    visit_For = visit_While = visit_With = visit_Try = visit_TryStar = visit_Match = _open
    leave_For = leave_While = leave_With = leave_Try = leave_TryStar = leave_Match = _close
    visit_SimpleStatementLine = visit_SimpleStatementSuite = visit_ClassDef = _statement
