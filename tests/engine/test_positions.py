"""Lazy positions agree with libcst's PositionProvider on every node that has a syntactic range."""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

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


NESTED = [
    "# header\n\nimport os  # c\n\n\n@dec\n# between\n@dec2(\n  1)\ndef f():\n    a; b\n\n\n# lead\nx = 1; y = 2\n",
    (
        "class A:\n    '''doc'''\n\n    # about m\n    @property\n    def m(self):\n        if x:\n"
        "            y = [1,\n                 2]  # trailing\n        # dedented comment\n"
        "        elif z: w = 1\n        else:\n            for i in r:\n                pass\n"
        "            else:\n                q = i; r = 2\n        return y\n"
    ),
    (
        "def g():\n\ttry:\n\t\tv = h()\n\texcept (A, B) as e:\n\t\traise C from e\n"
        "\texcept D:\n\t\t# why\n\t\tpass\n\telse:\n\t\twith o() as f, p():\n\t\t\tf.w(v)\n"
        "\tfinally:\n\t\tdone()\n"
    ),
    (
        "async def k():\n    while n:\n        async with s:\n            match cmd:\n"
        "                case [x, *rest] if x:\n                    await go(x)\n"
        "                case {'a': 1, **kw}:\n                    print(kw)\n"
        "                case _:\n                    pass\n    else:\n        n = 0\n"
        "    if a: b = 1; c = 2\n    class Inner(Base):\n        z: int = 0\n"
    ),
]


@pytest.mark.parametrize("source", [*SOURCES, *NESTED, Path(argparse.__file__).read_text()])
def test_positions_from_the_innermost_statement_match_libcst(source: str) -> None:
    """Generating only the innermost statement that holds a node (placed by `ast`) gives the
    same range as libcst's provider, for every node rules report, and never the whole module."""
    module = cst.parse_module(source)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    positions = Positions(module, lambda: ast.parse(source))
    checked = 0
    for node, path in _with_paths(module):
        if node in expected and isinstance(node, _REPORTED):
            rng = expected[node]
            assert positions.span(node, path) == (rng.start.line, rng.start.column, rng.end.line, rng.end.column), node
            checked += 1
    assert checked > 5
    assert positions._ranges is None  # the whole module was never generated


def test_positions_without_a_usable_syntax_tree_fall_back_to_the_module() -> None:
    source = "def f():\n    return 1\n"
    module = cst.parse_module(source)
    positions = Positions(module, lambda: None)  # `ast` rejected the text (newer syntax)
    node, path = [(n, p) for n, p in _with_paths(module) if isinstance(n, cst.Integer)][0]
    assert positions.span(node, path) == (2, 11, 2, 12)
    assert positions._ranges is not None


def _with_paths(root: cst.CSTNode) -> list[tuple[cst.CSTNode, tuple[cst.CSTNode, ...]]]:
    """Every node with its ancestors, root first, ending with the node (as the walker's stack)."""
    out: list[tuple[cst.CSTNode, tuple[cst.CSTNode, ...]]] = []
    todo: list[tuple[cst.CSTNode, tuple[cst.CSTNode, ...]]] = [(root, (root,))]
    while todo:
        node, path = todo.pop()
        out.append((node, path))
        todo.extend((child, (*path, child)) for child in reversed(node.children))
    return out


#: Node kinds rules report (whitespace and punctuation nodes have no syntactic range of their own).
_REPORTED = (cst.BaseExpression, cst.BaseSmallStatement, cst.BaseCompoundStatement, cst.SimpleStatementLine,
             cst.Arg, cst.Param, cst.Decorator, cst.ImportAlias)
