"""Lazy positions agree with libcst's PositionProvider on every node that has a syntactic range."""

from __future__ import annotations

import ast

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from reviewer.engine.positions import Positions

SOURCES = [
    "from a import *\nfrom b import (c)\nfrom d import (e, f,)\n",
    "def f(x, *, y=[1,\n  2]):\n    return {'k': [i for i in x if i]}\n",
    "class C(Base, metaclass=M):\n    @dec(1)\n    async def m(self):\n        await g(*a, **k)\n",
    "x = f'{a!r:>{w}}' 'b' \\\n    'c'\nif (n := len(x)) > 2: pass\n",
]


@pytest.mark.parametrize("source", SOURCES)
def test_positions_match_libcst(source: str) -> None:
    module = cst.parse_module(source)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    positions = Positions(module)
    for node, rng in expected.items():
        assert positions.span(node) == (rng.start.line, rng.start.column, rng.end.line, rng.end.column), node


@pytest.mark.parametrize("source", [*SOURCES, "# header\n\nimport os  # c\n\n\n@dec\n# between\n@dec2(\n  1)\ndef f():\n    a; b\n\n\n# lead\nx = 1; y = 2\n"])
def test_positions_from_one_statement_match_libcst(source: str) -> None:
    """Generating only the module-level statement that holds a node gives the same range."""
    module = cst.parse_module(source)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    for top in module.body:
        positions = Positions(module, lambda: ast.parse(source))
        for node in _descendants(top):
            if node in expected and node is not top and isinstance(node, _REPORTED):
                rng = expected[node]
                assert positions.span(node, top) == (rng.start.line, rng.start.column, rng.end.line, rng.end.column), node
        assert positions._ranges is None  # the whole module was never generated


#: Node kinds rules report (whitespace and punctuation nodes have no syntactic range of their own).
_REPORTED = (cst.BaseExpression, cst.BaseSmallStatement, cst.BaseCompoundStatement, cst.SimpleStatementLine,
             cst.Arg, cst.Param, cst.Decorator, cst.ImportAlias)


def _descendants(node: cst.CSTNode) -> list[cst.CSTNode]:
    out = [node]
    for child in node.children:
        out.extend(_descendants(child))
    return out
