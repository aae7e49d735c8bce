"""RuleContext: what a rule can ask about the unit being reviewed, all computed lazily."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import libcst as cst
from libcst.metadata import MetadataWrapper

from reviewer.config import Config
from reviewer.engine.imports import ImportTable
from reviewer.engine.parsing import TooComplex, cpython_tree
from reviewer.engine.positions import Positions, Span
from reviewer.sources import SourceUnit

if TYPE_CHECKING:
    from reviewer.engine.rule import Report


class RuleContext:
    def __init__(self, unit: SourceUnit, module: cst.Module, config: Config) -> None:
        self.unit = unit
        self.module = module
        self.config = config
        self.imports = ImportTable()
        self.imports.scan_module(module)
        #: Ancestors of the node being visited, root first; the node itself is last.
        self.stack: list[cst.CSTNode] = []
        self.reports: list[Report] = []
        #: Other files of the project whose contents the findings depend on (helper summaries).
        self.dependencies: set[str] = set()
        self.positions = Positions(module, self.syntax_tree)
        self._wrapper: MetadataWrapper | None = None
        self._function_lines: list[tuple[int, int]] | None | bool = False
        self._tree: ast.Module | None | bool = False

    def add_report(self, report: Report) -> None:
        if report.path is None and len(self.stack) > 1:
            report = replace(report, path=tuple(self.stack))
        self.reports.append(report)

    def qualified_name(self, node: cst.BaseExpression) -> str | None:
        return self.imports.qualified_name(node)

    def parent(self, depth: int = 1) -> cst.CSTNode | None:
        """The parent of the node being visited (depth=1), grandparent (2)..."""
        index = len(self.stack) - 1 - depth
        return self.stack[index] if index >= 0 else None

    def enclosing(self, *types: type[cst.CSTNode]) -> cst.CSTNode | None:
        """The innermost ancestor of one of `types` (excluding the current node)."""
        for node in reversed(self.stack[:-1]):
            if isinstance(node, types):
                return node
        return None

    def syntax_tree(self) -> ast.Module | None:
        """CPython's own parse of the unit (`ast`: fast, and nothing is executed), once; None if
        it rejects the text (newer syntax than the running Python)."""
        if self._tree is False:
            try:
                self._tree = cpython_tree(self.unit.text)  # the parse that vetted the unit, reused
            except TooComplex:
                self._tree = None
        return self._tree  # type: ignore[return-value]

    def function_lines(self) -> list[tuple[int, int]] | None:
        """(first body line, last line) of every function in source order, from `syntax_tree()`.
        Rules that only need a function's line range use this instead of node positions."""
        if self._function_lines is False:
            tree = self.syntax_tree()
            if tree is None:
                self._function_lines = None
            else:
                defs = list(_functions(tree.body))
                defs.sort(key=lambda n: (n.lineno, n.col_offset))
                self._function_lines = [(n.body[0].lineno, n.end_lineno or n.lineno) for n in defs]
        return self._function_lines  # type: ignore[return-value]

    def span(self, node: cst.CSTNode, path: tuple[cst.CSTNode, ...] | None = None) -> Span:
        """The node's range. During the walk, the ancestors of the node being visited make it
        cheap for that node and the nodes inside its statement."""
        if path is None and len(self.stack) > 1:
            path = tuple(self.stack)
        return self.positions.span(node, path)

    def code_for(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    def metadata(self, provider: Any) -> Any:
        """Resolve a libcst metadata provider (e.g. ScopeProvider) for this module, once.

        Expensive: only rules that need it call this, and only on units that pass their
        TRIGGERS pre-filter.
        """
        if self._wrapper is None:
            self._wrapper = MetadataWrapper(self.module, unsafe_skip_copy=True)
        return self._wrapper.resolve(provider)


def _functions(statements: list[ast.stmt]) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    """Every function definition, searching only statement lists (cheaper than `ast.walk`)."""
    for statement in statements:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield statement
        for field in ("body", "orelse", "finalbody"):
            block = getattr(statement, field, None)
            if isinstance(block, list):
                yield from _functions(block)
        for handler in getattr(statement, "handlers", ()):
            yield from _functions(handler.body)
        for case in getattr(statement, "cases", ()):
            yield from _functions(case.body)
