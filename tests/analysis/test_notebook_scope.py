"""The cross-cell screen that lets RV401 skip libcst's scope analysis: conservative by design."""

from __future__ import annotations

import ast

import pytest

from reviewer.analysis.notebook_scope import may_read_later_binding


def _screen(cells: list[str]) -> bool:
    lines: list[int] = []
    for index, cell in enumerate(cells):
        lines += [index] * len(cell.splitlines())
    tree = ast.parse("\n".join(cells))
    return may_read_later_binding(tree, lambda line: lines[line - 1] if 0 < line <= len(lines) else None)


@pytest.mark.parametrize(("cells", "expected"), [
    (["import pandas as pd", "df = pd.read_csv(p)", "df.head()"], False),
    (["total = add(1, 2)", "def add(a, b):\n    return a + b"], True),  # read before the defining cell
    (["epoch += 1", "epoch = 0"], True),  # an augmented assignment reads first
    (["def f():\n    return later", "later = 1"], True),  # reads in function bodies count too
    (["def f():\n    global g\n    g = 1", "f()"], True),  # `global`: the screen gives up
    (["x = 1", "x = x + 1", "print(x)"], False),
])
def test_screen(cells: list[str], expected: bool) -> None:
    assert _screen(cells) is expected
