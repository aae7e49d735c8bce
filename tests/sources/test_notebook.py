"""Notebooks: code cells joined, IPython syntax masked line-for-line, lines mapped back to cells."""

from __future__ import annotations

import json

import nbformat
import pytest

from reviewer.sources import LoadError, load_bytes, load_text
from reviewer.sources.notebook import mask_cell, mask_line, unit_from_notebook


def _nb(*cells: tuple[str, str]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    makers = {"code": nbformat.v4.new_code_cell, "markdown": nbformat.v4.new_markdown_cell,
              "raw": nbformat.v4.new_raw_cell}
    nb.cells = [makers[kind](source) for kind, source in cells]
    return nb


@pytest.mark.parametrize(
    ("line", "masked"),
    [
        ("%matplotlib inline", "pass"),
        ("!pip install requests", "pass"),
        ("    !ls -la", "    pass"),
        ("files = !ls", "files = None"),
        ("t = %timeit -o f()", "t = None"),
        ("df.head?", "pass"),
        ("x = 1  # 100% sure", "x = 1  # 100% sure"),
        ("print('!')", "print('!')"),
    ],
)
def test_mask_line(line: str, masked: str) -> None:
    assert mask_line(line) == masked


def test_non_python_cell_magic_masks_the_whole_cell() -> None:
    text, whole = mask_cell("%%bash\necho hi\nls\n")
    assert whole and text.split("\n") == ["", "", ""]


def test_python_cell_magic_keeps_the_body() -> None:
    text, whole = mask_cell("%%time\nx = eval(s)\n")
    assert not whole and text == "pass\nx = eval(s)"


def test_cells_join_and_map_back() -> None:
    nb = _nb(("markdown", "# Title"), ("code", "import os\n%ls"), ("raw", "raw"),
             ("code", ""), ("code", "x = 1\ny = x\n!echo"))
    unit = unit_from_notebook("nb.ipynb", nb)
    assert unit.text == "import os\npass\nx = 1\ny = x\npass\n"
    loc = unit.location(4, 1, 4, 6)
    assert (loc.cell, loc.line, loc.end_line) == (4, 2, 2)
    assert unit.location(2).cell == 1
    assert unit.location(1).cell_id == nb.cells[1].id


def test_invalid_notebook_json_is_a_load_error() -> None:
    with pytest.raises(LoadError, match="invalid notebook: not JSON"):
        load_text('{"cells": [', "broken.ipynb")


def test_notebook_without_cells_is_a_load_error() -> None:
    with pytest.raises(LoadError, match="no 'cells'"):
        load_text(json.dumps({"metadata": {}}), "empty.ipynb")


def test_non_python_kernel_is_reported() -> None:
    nb = _nb(("code", "x <- 1"))
    nb.metadata["kernelspec"] = {"name": "ir", "language": "R", "display_name": "R"}
    with pytest.raises(LoadError, match="not a Python notebook"):
        load_text(nbformat.writes(nb), "r.ipynb")


def test_binary_and_undecodable_input() -> None:
    with pytest.raises(LoadError, match="binary"):
        load_bytes(b"\x00\x01\x02", "blob.py")
    with pytest.raises(LoadError, match="cannot decode"):
        load_bytes(b"x = '\xff\xfe'\n", "latin.py")


def test_coding_cookie_is_honoured() -> None:
    unit = load_bytes("# -*- coding: latin-1 -*-\nname = 'café'\n".encode("latin-1"), "l.py")
    assert "café" in unit.text


def test_form_feeds_do_not_shift_line_numbers() -> None:
    unit = load_text("x = 1\n\x0c\neval(y)\r\nz = 2\n", "ff.py")
    assert unit.line_text(3) == "eval(y)" and len(unit.lines) == 4
