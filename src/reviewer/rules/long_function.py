"""RV206 long-function: a function body with more code lines than the configured limit."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from reviewer.engine import Invalid, Rule, Valid
from reviewer.model import Category, Confidence, Severity

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext

_LONG = "def long(items):\n" + "    items.append(1)\n" * 81


def _code_lines(code: str) -> int:
    count = 0
    for line in code.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            count += 1
    return count


class LongFunction(Rule):
    """Function body is too long.

    ## What it does
    Counts the non-blank, non-comment lines of each function body (nested functions count in
    their parent too; the docstring does not count) and flags functions longer than
    `max-function-lines` in `[tool.reviewer.thresholds]` (default 80). Functions with fewer than
    a quarter as many statements as the limit are not measured: a function that is long only
    because of one big literal holds data, not logic.

    ## Why is this bad?
    A long function does several things at once: it is hard to name, to test and to change
    without breaking a distant branch. Generated code tends to grow one function per request;
    extract the steps into helpers with names that say what they do.
    """

    CODE = "RV206"
    NAME = "long-function"
    CATEGORY = Category.MAINTAINABILITY
    SEVERITY = Severity.NOTE
    CONFIDENCE = Confidence.HIGH
    MESSAGE = "Function is too long"
    TRIGGERS = ("def ",)
    EQUIVALENT = ("PLR0915",)

    VALID: ClassVar[list[Valid]] = [
        Valid("def short(items):\n" + "    items.append(1)\n" * 80),
        Valid("def spaced(items):\n" + "    items.append(1)\n\n    # a comment\n" * 60),
        Valid('def documented(items):\n    """Doc.\n\n' + "    more doc\n" * 30 + '    """\n'
              + "    items.append(1)\n" * 60),
        Valid("DATA = {\n" + "    'k': 1,\n" * 200 + "}\n\ndef f():\n    return {\n"
              + "        'k': 1,\n" * 200 + "    }\n"),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(_LONG, line=1),
        Invalid("class A:\n    " + _LONG.replace("\n", "\n    ").rstrip(" "), line=2),
        Invalid("def outer():\n    x = 1\n    " + _LONG.replace("\n", "\n    ").rstrip(" "), line=1),
        Invalid("async def f(items):\n" + "    if items:\n        items.pop()\n" * 41, line=1),
        Invalid("@decorator\ndef g(items):\n" + "    items.append(\n        1,\n    )\n" * 30, line=2),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._limit = context.config.thresholds.max_function_lines
        self._min_statements = max(1, self._limit // 4)
        #: Statements seen so far in each open function, innermost last.
        self._counts: list[int] = []
        #: Functions seen so far: the index of each in `context.function_lines()`.
        self._seen = 0
        self._indexes: list[int] = []

    def _statement(self, node: cst.CSTNode) -> None:
        if self._counts:
            self._counts[-1] += 1

    visit_SimpleStatementLine = visit_SimpleStatementSuite = visit_If = visit_For = _statement
    visit_While = visit_With = visit_Try = visit_TryStar = visit_Match = visit_ClassDef = _statement

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._statement(node)
        self._counts.append(0)
        self._indexes.append(self._seen)
        self._seen += 1

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        count = self._counts.pop()
        index = self._indexes.pop()
        if self._counts:
            self._counts[-1] += count
        if count < self._min_statements:
            return
        # Line ranges from CPython's parser (one cheap pass per file) rather than libcst positions,
        # which cost a code generation of the whole module; positions only as a fallback.
        ranges = self.context.function_lines()
        if ranges is not None and index < len(ranges):
            start, end = ranges[index]
        else:
            start, _, end, _ = self.context.span(node.body)
        lines = _code_lines("\n".join(self.context.unit.lines[start - 1 : end]))
        if lines > self._limit:
            lines -= self._docstring_lines(node)
        if lines > self._limit:
            self.report(
                node.name,
                f"`{node.name.value}` is {lines} lines long (limit {self._limit}); extract the "
                "steps into smaller functions",
            )

    def _docstring_lines(self, node: cst.FunctionDef) -> int:
        body = node.body
        if not isinstance(body, cst.IndentedBlock) or not body.body:
            return 0
        first = body.body[0]
        if (
            isinstance(first, cst.SimpleStatementLine)
            and len(first.body) == 1
            and isinstance(first.body[0], cst.Expr)
            and isinstance(first.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
        ):
            # The literal's own text has the docstring's lines: no positions needed.
            return _code_lines(self.context.code_for(first.body[0].value))
        return 0
