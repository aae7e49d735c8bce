"""RuleContext: what a rule can ask about the unit being reviewed, all computed lazily."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import libcst as cst
from libcst.metadata import MetadataWrapper

from reviewer.config import Config
from reviewer.engine.imports import ImportTable
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
        self.positions = Positions(module)
        self._wrapper: MetadataWrapper | None = None
        self._function_lines: list[tuple[int, int]] | None | bool = False

    def add_report(self, report: Report) -> None:
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

    def function_lines(self) -> list[tuple[int, int]] | None:
        """(first body line, last line) of every function in source order, from CPython's own
        parser (`ast`, fast and nothing executed); None if it rejects the text. Rules that only
        need a function's line range use this instead of computing every node's position."""
        if self._function_lines is False:
            import ast

            try:
                tree = ast.parse(self.unit.text)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                self._function_lines = None
            else:
                defs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
                defs.sort(key=lambda n: (n.lineno, n.col_offset))
                self._function_lines = [(n.body[0].lineno, n.end_lineno or n.lineno) for n in defs]
        return self._function_lines  # type: ignore[return-value]

    def span(self, node: cst.CSTNode) -> Span:
        return self.positions.span(node)

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
