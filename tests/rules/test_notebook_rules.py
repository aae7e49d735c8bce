"""RV402-RV405: notebook rules that read the saved cell facts (execution counts, outputs, magics)."""

from __future__ import annotations

import nbformat

from reviewer.config import Config
from reviewer.engine import analyze
from reviewer.model import Finding
from reviewer.rules.huge_notebook_output import HugeNotebookOutput
from reviewer.rules.notebook_execution_order import NotebookExecutionOrder
from reviewer.rules.secret_in_notebook_output import SecretInNotebookOutput, secret_in_text
from reviewer.rules.unpinned_pip_install import UnpinnedPipInstall, unpinned_packages
from reviewer.sources import load_text
from reviewer.sources.notebook import unit_from_notebook

_AWS = "AKIA" + "Q3ZT7HXW5NPL2RB6"


def _run(rule: type, *cells: nbformat.NotebookNode) -> list[Finding]:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Notes"), *cells]
    findings, errors = analyze(unit_from_notebook("n.ipynb", nb), Config(), rules=[rule])
    assert errors == []
    return findings


def _code(source: str, count: int | None = None, outputs: list[dict] | None = None) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source, execution_count=count)
    cell.outputs = [nbformat.from_dict(o) for o in outputs or []]
    return cell


def _stream(text: str) -> dict:
    return {"output_type": "stream", "name": "stdout", "text": text}


def test_rules_never_run_on_python_files() -> None:
    unit = load_text('print("' + _AWS + '")\n', "a.py")
    rules = [NotebookExecutionOrder, UnpinnedPipInstall, SecretInNotebookOutput, HugeNotebookOutput]
    assert analyze(unit, Config(), rules=rules) == ([], [])


def test_execution_order_reports_once_with_the_counts() -> None:
    found = _run(NotebookExecutionOrder, _code("a = 1", 5), _code("b = 2", 1), _code("c = 3", 2))
    assert len(found) == 1
    location = found[0].location
    assert (location.cell, location.line) == (2, 1)  # the markdown cell is cell 0
    assert "[5, 1, 2]" in found[0].message and "cell 3 ran as [1]" in found[0].message


def test_execution_order_never_run_cell_above() -> None:
    found = _run(NotebookExecutionOrder, _code("a = 1"), _code("b = a", 1))
    assert "never ran" in found[0].message and found[0].location.cell == 2


def test_unpinned_packages_parsing() -> None:
    assert unpinned_packages(" -q openai==1.2 pandas") == ["pandas"]
    assert unpinned_packages(" -r requirements.txt -c constraints.txt") == []
    assert unpinned_packages(" 'torch>=2' \"numpy~=1.26\"  # comment") == ["torch>=2"]
    assert unpinned_packages(" ./wheels/x.whl git+https://github.com/o/r.git $pkg") == []
    assert unpinned_packages(" --index-url https://x/simple pkg[extra]") == ["pkg[extra]"]


def test_unpinned_install_line_and_continuation() -> None:
    found = _run(UnpinnedPipInstall, _code("import os\n%pip install -q \\\n    langchain openai==1.0"))
    assert [(f.location.cell, f.location.line) for f in found] == [(1, 2)]
    assert "`langchain`" in found[0].message and "openai" not in found[0].message


def test_secret_kinds_and_the_message_never_echoes_it() -> None:
    assert secret_in_text(f"key={_AWS}") == "AWS access key id"
    assert secret_in_text("DB_PASSWORD: s3cretPass") == "password"
    assert secret_in_text("password=changeme token=None") is None
    assert secret_in_text("max_tokens=4096 total_tokens: 1234") is None
    found = _run(SecretInNotebookOutput, _code("x = 1", 1, [_stream("ok\n"), _stream(f"id {_AWS}\n")]))
    assert len(found) == 1 and found[0].location.line == 1
    assert _AWS not in found[0].message and "AKIA" not in found[0].message
    assert "AWS access key id" in found[0].message


def test_huge_output_counts_text_but_not_images_against_the_total() -> None:
    image = {"output_type": "display_data", "metadata": {}, "data": {"image/png": "QUJD" * 200_000}}
    assert _run(HugeNotebookOutput, _code("plot()", 1, [image])) == []
    found = _run(HugeNotebookOutput, _code("log()", 1, [_stream("x" * 120_000)]))
    assert "117 KB" in found[0].message
    big = {"output_type": "display_data", "metadata": {}, "data": {"image/png": "QUJD" * 400_000}}
    found = _run(HugeNotebookOutput, _code("plot()", 1, [big]))
    assert "image of 1.1 MB" in found[0].message
