"""RV207 cognitive-complexity: a function whose SonarSource cognitive complexity is too high."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from reviewer.engine import Invalid, Rule, Valid
from reviewer.model import Category, Confidence, Severity

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext

_BRANCHY = (
    "def route(kind, items, strict):\n"
    "    for item in items:\n"  # +1
    "        if item.kind == kind:\n"  # +2
    "            if strict and item.ready:\n"  # +3 +1
    "                send(item)\n"
    "            elif item.retry or item.force:\n"  # +1 +1
    "                queue(item)\n"
    "            else:\n"  # +1
    "                drop(item)\n"
    "        while item.pending:\n"  # +2
    "            try:\n"
    "                item.flush()\n"
    "            except OSError:\n"  # +3
    "                break\n"
    "    return 'ok' if items else 'empty'\n"  # +1 = 16
)


class CognitiveComplexity(Rule):
    """Function is too hard to follow (cognitive complexity).

    ## What it does
    Computes the SonarSource cognitive complexity of each function and flags those above
    `max-complexity` in `[tool.reviewer.thresholds]` (default 15). `if`, ternaries, `for`,
    `while`, `except` and `match` add 1 plus their nesting level; `elif` and `else` add 1; each
    run of like boolean operators, in source order, adds 1 (`a and b and c or d` adds 2). The bodies of
    those structures, of nested functions and of lambdas are one level deeper. Nested functions
    count in the function that contains them and are not reported on their own.

    ## Why is this bad?
    Unlike the cyclomatic count, cognitive complexity grows fastest with nested branching: the
    code that is hardest to read and to test. Flatten it with guard clauses and extract the
    inner branches into named helpers.
    """

    CODE = "RV207"
    NAME = "cognitive-complexity"
    CATEGORY = Category.MAINTAINABILITY
    SEVERITY = Severity.NOTE
    CONFIDENCE = Confidence.HIGH
    MESSAGE = "Function is too complex"
    TRIGGERS = ("def ",)
    EQUIVALENT = ("C901", "PLR0912")

    VALID: ClassVar[list[Valid]] = [
        Valid(_BRANCHY.replace("    return 'ok' if items else 'empty'\n", "    return 'ok'\n")),
        Valid("def f(x):\n" + "    if x == 1:\n        return 1\n" * 15),
        Valid(
            "def f(x):\n    def g(y):\n        return y and x\n"
            "    return [g(i) for i in x if i] or None\n"
        ),
        Valid("if a:\n    if b:\n        if c:\n            if d:\n                if e:\n"
              "                    if f:\n                        pass\n"),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(_BRANCHY, line=1),
        Invalid("def f(x):\n" + "    if x == 1:\n        return 1\n" * 16, line=1),
        Invalid(
            "class A:\n    def m(self, a, b, c, d, e, f, g, h):\n"
            "        return (a and b or c and d or e) and (f or g and h) and (a or b) and (c or d)"
            " and (e or f) and (g or h) and (a or c) and (b or d)\n",
            line=2,
        ),
        Invalid(
            "def outer(rows):\n    def inner(row):\n        for cell in row:\n"
            "            if cell:\n                while cell.next:\n"
            "                    cell = cell.next if cell.ok else None\n"
            "    for row in rows:\n        if row:\n            inner(row)\n",
            line=1,
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._limit = context.config.thresholds.max_complexity
        self._root: cst.FunctionDef | None = None
        self._score = 0
        self._nesting = 0

    # --- functions: nested ones add to the outermost ---
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if self._root is None:
            self._root, self._score, self._nesting = node, 0, 0
        else:
            self._nesting += 1

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node is not self._root:
            self._nesting -= 1
            return
        self._root = None
        if self._score > self._limit:
            self.report(
                node.name,
                f"`{node.name.value}` has cognitive complexity {self._score} (limit "
                f"{self._limit}); flatten it with early returns or extract helpers",
            )

    def visit_Lambda(self, node: cst.Lambda) -> None:
        if self._root is not None:
            self._nesting += 1

    def leave_Lambda(self, node: cst.Lambda) -> None:
        if self._root is not None:
            self._nesting -= 1

    # --- structures that add 1 + nesting and nest their bodies ---
    def _nested(self, node: cst.CSTNode) -> None:
        if self._root is not None:
            self._score += 1 + self._nesting
            self._nesting += 1

    def _unnest(self, node: cst.CSTNode) -> None:
        if self._root is not None:
            self._nesting -= 1

    visit_For = visit_While = visit_IfExp = visit_Match = _nested
    visit_ExceptHandler = visit_ExceptStarHandler = _nested
    leave_For = leave_While = leave_IfExp = leave_Match = _unnest
    leave_ExceptHandler = leave_ExceptStarHandler = _unnest

    def _is_elif(self, node: cst.If) -> bool:
        parent = self.context.parent()
        return isinstance(parent, cst.If) and parent.orelse is node

    def visit_If(self, node: cst.If) -> None:
        if self._root is None:
            return
        if self._is_elif(node):  # the enclosing `if` already nests this body
            self._score += 1
        else:
            self._nested(node)

    def leave_If(self, node: cst.If) -> None:
        if self._root is not None and not self._is_elif(node):
            self._nesting -= 1

    def visit_Else(self, node: cst.Else) -> None:
        if self._root is not None and isinstance(self.context.parent(), cst.If):
            self._score += 1

    def visit_BooleanOperation(self, node: cst.BooleanOperation) -> None:
        if self._root is None or isinstance(self.context.parent(), cst.BooleanOperation):
            return
        operators: list[type] = []
        _operators(node, operators)
        # One increment per run of like operators, in source order.
        self._score += 1 + sum(1 for a, b in itertools.pairwise(operators) if a is not b)


def _operators(node: cst.BaseExpression, into: list[type]) -> None:
    if isinstance(node, cst.BooleanOperation):
        _operators(node.left, into)
        into.append(type(node.operator))
        _operators(node.right, into)

def cognitive_complexity(code: str) -> dict[str, int]:
    """Scores of the outermost functions in `code` (for tests and for tuning the limit)."""
    from reviewer.config import Config, Thresholds
    from reviewer.engine.context import RuleContext
    from reviewer.engine.walker import Walker
    from reviewer.sources import load_text

    unit = load_text(code, "snippet.py")
    module = cst.parse_module(unit.text)
    context = RuleContext(unit, module, Config(thresholds=Thresholds(max_complexity=-1)))
    Walker([CognitiveComplexity(context)], context).walk(module)
    return {
        report.node.value: int(report.message.split("complexity ")[1].split(" ")[0])
        for report in context.reports
        if isinstance(report.node, cst.Name)
    }
