"""Notebooks: code cells joined, IPython syntax masked line-for-line, lines mapped back to cells."""

from __future__ import annotations

import json

import nbformat
import pytest

from reviewer.sources import LoadError, load_bytes, load_text
from reviewer.sources.notebook import mask_cell, mask_line, read_notebook, unit_from_notebook


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


# --- per-cell facts: execution counts, output summaries, masked magics ---------------------------
def test_cell_facts_are_recorded_without_changing_the_text() -> None:
    nb = _nb(("markdown", "# Title"), ("code", "%pip install openai\nx = 1\nprint(x)"), ("code", "x"))
    nb.cells[1].execution_count = 2
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text=["1", "\n"])]
    nb.cells[2].outputs = [
        nbformat.v4.new_output("execute_result", data={"text/plain": "1", "image/png": "QUJD" * 100},
                               execution_count=3),
        nbformat.v4.new_output("error", ename="E", evalue="v",
                               traceback=["\x1b[0;31mE\x1b[0m", "Traceback: boom"]),
    ]
    unit = unit_from_notebook("n.ipynb", nb)
    assert unit.text == "pass\nx = 1\nprint(x)\nx\n"
    first, second = unit.cell_map.spans
    assert (first.execution_count, second.execution_count) == (2, None)
    assert first.magics == ((1, "%pip install openai"),) and second.magics == ()
    assert [(o.output_type, o.text) for o in first.outputs] == [("stream", "1\n")]
    result, error = second.outputs
    assert (result.text, result.image_bytes, result.image_payload) == ("1", 300, 400)
    assert error.output_type == "error" and error.text == "E\nTraceback: boom"
    assert second.output_bytes > 400 and first.output_bytes > 0
    assert (first.index, first.first_line, second.first_line) == (1, 1, 4)


def test_cell_facts_pickle_and_enter_the_cache_key() -> None:
    import pickle

    nb = _nb(("code", "x = 1"))
    plain = unit_from_notebook("n.ipynb", nb)
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="x" * 5000)]
    with_output = unit_from_notebook("n.ipynb", nb)
    assert pickle.loads(pickle.dumps(with_output)) == with_output
    assert plain.text == with_output.text
    assert plain.cache_content != with_output.cache_content
    assert with_output.cell_map.spans[0].output_bytes > 5000


def test_masked_lines_of_a_skipped_cell_magic_and_continuations() -> None:
    nb = _nb(("code", "%%bash\npip install a\necho done"), ("code", "!pip install \\\n   b\ny = 2"))
    first, second = unit_from_notebook("n.ipynb", nb).cell_map.spans
    assert [n for n, _ in first.magics] == [1, 2, 3]
    assert second.magics == ((1, "!pip install \\"), (2, "   b"))


def test_malformed_outputs_and_counts_are_tolerated() -> None:
    nb = _nb(("code", "x = 1"))
    nb.cells[0]["execution_count"] = True
    nb.cells[0]["outputs"] = ["not a dict", {"output_type": "display_data", "data": None}]
    span = unit_from_notebook("n.ipynb", nb).cell_map.spans[0]
    assert span.execution_count is None
    assert [(o.output_type, o.text) for o in span.outputs] == [("display_data", "")]


def _cell(**fields: object) -> dict[str, object]:
    return {"cell_type": "code", "metadata": {}, "source": "x = 1\n", "outputs": [], "execution_count": None,
            **fields}


@pytest.mark.parametrize(
    ("notebook", "reason"),
    [
        ({"cells": [_cell(source=None)]}, "cell 1's 'source' must be a string or a list of strings, not null"),
        ({"cells": [_cell(), _cell(source=["a", 3])]}, "cell 2's 'source' must be a string"),
        ({"cells": {"a": 1}}, "'cells' is a object, not a list"),
        ({"metadata": {}}, "no 'cells' list"),
        ([1, 2], "the top level is a JSON array"),
        ({"cells": [_cell(cell_type="widget")]}, "unknown cell_type 'widget'"),
        ({"cells": [{"source": "x"}]}, "cell 1 has no cell_type"),
        ({"cells": ["x = 1"]}, "cell 1 is a string, not an object"),
        ({"cells": [_cell(outputs=None)]}, "cell 1's 'outputs' is not a list"),
        ({"cells": [_cell(metadata=[])]}, "cell 1's 'metadata' is not an object"),
        ({"cells": [], "metadata": "x"}, "the notebook's 'metadata' is not an object"),
        ({"cells": [], "nbformat": 5}, "unsupported nbformat version 5"),
    ],
)
def test_malformed_notebooks_are_load_errors_that_say_what_is_wrong(notebook: object, reason: str) -> None:
    with pytest.raises(LoadError) as caught:
        unit_from_notebook("nb.ipynb", read_notebook("nb.ipynb", json.dumps(notebook)))
    assert caught.value.path == "nb.ipynb" and reason in caught.value.message


def test_an_empty_file_and_deep_json_are_load_errors() -> None:
    with pytest.raises(LoadError, match="the file is empty"):
        read_notebook("nb.ipynb", "  \n")
    with pytest.raises(LoadError, match="nested too deeply|not JSON"):
        read_notebook("nb.ipynb", "[" * 100_000 + "]" * 100_000)


def test_an_nbformat_3_notebook_is_upgraded_and_reviewed() -> None:
    v3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {"name": ""}, "worksheets": [{"cells": [
        {"cell_type": "code", "input": "import os\nprint(os.sep)\n", "language": "python", "outputs": [],
         "metadata": {}, "prompt_number": 1}], "metadata": {}}]}
    unit = unit_from_notebook("old.ipynb", read_notebook("old.ipynb", json.dumps(v3)))
    assert "print(os.sep)" in unit.text and unit.cell_map is not None
