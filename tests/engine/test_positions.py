"""Lazy positions agree with libcst's PositionProvider on every node that has a syntactic range."""

from __future__ import annotations

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
