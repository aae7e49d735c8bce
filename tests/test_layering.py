"""Dependencies point one way: model <- config <- sources <- engine/analysis/tools <- rules <- pipeline
<- report <- integrations. And `import reviewer` works without Jupyter installed."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "reviewer"

LAYERS = {
    "model": 0,
    "config": 1,
    "credentials": 1,
    "fixes": 1,
    "sources": 2,
    "engine": 3,
    # Analyses and the engine machinery share a layer: taint rules from packs run in the engine's
    # walk (engine -> analysis), and analyses read nodes through the engine's patterns and walker.
    "analysis": 3,
    "tools": 3,
    "project": 3,
    "llm": 3,
    "rules": 4,
    "fingerprint": 5,
    "suppression": 5,
    "merge": 5,
    "cache": 5,
    "baseline": 5,
    "pipeline": 6,
    "autofix": 6,  # review, fix, review again: built on the pipeline
    "report": 7,
    "integrations": 8,
    "__main__": 9,
    "__init__": 0,
}


def _layer(module: str) -> int:
    return LAYERS[module.split(".")[0]]


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    if path == SRC / "__init__.py":
        # The package root hosts Jupyter/IPython entry points (`load_ipython_extension`, `show`),
        # which must import integrations lazily; only its module-level imports are checked.
        tree = ast.Module(body=[n for n in tree.body if not isinstance(n, ast.FunctionDef)], type_ignores=[])
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
    return [name.removeprefix("reviewer.") for name in found if name.startswith("reviewer.")]


def test_dependencies_point_one_way() -> None:
    violations = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).with_suffix("")
        own = ".".join(rel.parts)
        if own.split(".")[0] not in LAYERS:
            violations.append(f"{own}: not assigned to a layer in this test")
            continue
        for target in _imports(path):
            if _layer(target) > _layer(own):
                violations.append(f"{own} imports {target}")
    assert violations == []


def test_import_without_jupyter() -> None:
    blocker = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in {'jupyter_server', 'ipywidgets', 'notebook', 'jupyterlab'}:\n"
        "            raise ImportError('blocked ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "import reviewer, reviewer.pipeline, reviewer.integrations.cli\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", blocker], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_cli_start_up_stays_light() -> None:
    # nbformat pulls in jsonschema's format checkers (seconds of grammar compilation when the
    # Jupyter extras are installed); a scan without notebooks must not pay for it.
    code = ("import sys, reviewer.integrations.cli\n"
            "print(sorted(m for m in ('nbformat', 'openai', 'jupyter_server', 'ipywidgets') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_notebook_scan_does_not_import_nbformat(tmp_path: Path) -> None:
    # nbformat -> jsonschema -> format grammars cost 0.3-3 s at import; an nbformat 4 notebook is
    # checked and read without it (only a version 3 notebook is upgraded by nbformat).
    notebook = tmp_path / "nb.ipynb"
    notebook.write_text('{"cells": [{"cell_type": "code", "execution_count": null, "id": "a", "metadata": {},'
                        ' "outputs": [], "source": "x = eval(s)\\n"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    code = ("import json, sys\nfrom reviewer.integrations.cli import main\n"
            f"main(['scan', {str(notebook)!r}, '--no-cache', '--quiet', '--format', 'json', '-o', {str(tmp_path / 'r.json')!r}])\n"
            f"print('nbformat' in sys.modules, [f['code'] for f in json.load(open({str(tmp_path / 'r.json')!r}))['findings']])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith("False [") and "RV104" in done.stdout
