"""%review / %%review in a real IPython shell, the widget, and the three surfaces agreeing."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from IPython.core.interactiveshell import InteractiveShell

from reviewer.integrations.jupyter.content import review_content
from reviewer.integrations.jupyter.widget import ReportView, show

NOTEBOOK_CELLS = [
    "import yaml",
    "total = add(1, 2)",
    "def add(a, b, seen=[]):\n    seen.append(a)\n    return a + b",
    "def load(path):\n    return yaml.load(open(path))",
]


def _write_notebook(folder: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Demo")] + [nbformat.v4.new_code_cell(c) for c in NOTEBOOK_CELLS]
    path = folder / "demo.ipynb"
    nbformat.write(nb, path)
    (folder / "pyproject.toml").write_text("[project]\nname = 'demo'\nversion = '0'\ndependencies = ['pyyaml']\n")
    return path


@pytest.fixture
def ipython(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.chdir(tmp_path)
    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "reviewer")
    return shell


def _keys(findings: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return sorted((f["code"], f["location"]["cell"], f["location"]["line"], f["location"]["column"],
                   f["message"], f["fingerprint"]) for f in findings)


def test_review_magic_on_a_path_returns_the_widget(ipython: Any, tmp_path: Path) -> None:
    _write_notebook(tmp_path)
    view = ipython.run_line_magic("review", "demo.ipynb")
    assert isinstance(view, ReportView)
    assert {("RV401", 2), ("RV201", 3), ("RV102", 4)} <= {(f["code"], f["location"]["cell"]) for f in view.findings}


def test_review_magic_finds_the_current_notebook(ipython: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_notebook(tmp_path)
    monkeypatch.setenv("JPY_SESSION_NAME", str(tmp_path / "demo.ipynb"))
    view = ipython.run_line_magic("review", "")
    assert any(f["code"] == "RV401" for f in view.findings)


def test_review_magic_without_a_known_notebook_says_how(ipython: Any, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    assert ipython.run_line_magic("review", "") is None
    assert "use %review path/to/notebook.ipynb" in capsys.readouterr().out


def test_cell_magic_reviews_the_cell(ipython: Any) -> None:
    view = ipython.run_cell_magic("review", "", "import subprocess\nsubprocess.run(cmd, shell=True)\n")
    found = [f for f in view.findings if f["code"].startswith("RV")]
    assert [f["code"] for f in found] == ["RV103"]
    # The editor shows `%%review` on line 1: the call is on line 3 of the cell as the user sees it.
    assert found[0]["location"]["line"] == 3
    assert re.fullmatch(r"In\[\d*\s*\]\.py", found[0]["location"]["path"])


def test_widget_filters_and_details(tmp_path: Path) -> None:
    _write_notebook(tmp_path)
    view = show(review_content(str(tmp_path), "demo.ipynb"))
    assert len(view._list.options) == len(view.findings)
    view._severity.value = "error"
    assert all(f["severity"] == "error" for f in view.visible()) and view.visible()
    assert len(view._list.options) == len(view.visible())
    view._list.value = 0
    assert view.visible()[0]["code"] in view._details.value
    view._category.value = "maintainability"
    assert view._list.options == () and "No findings match" in view._details.value


def test_cli_endpoint_and_widget_agree(tmp_path: Path) -> None:
    path = _write_notebook(tmp_path)
    cli = subprocess.run([sys.executable, "-m", "reviewer", "scan", path.name, "--format", "json", "--quiet"],
                         cwd=tmp_path, capture_output=True, text=True, check=False)
    assert cli.returncode in (0, 1), cli.stderr
    from_cli = json.loads(cli.stdout)["findings"]
    # The endpoint gets the live model (what JupyterLab sends), the widget the same report.
    endpoint = review_content(str(tmp_path), "demo.ipynb", notebook=json.loads(path.read_text()))
    view = show(endpoint)
    assert _keys(from_cli) == _keys([f.to_dict() for f in endpoint.findings]) == _keys(view.findings)
    assert len(from_cli) >= 3
