"""A notebook's imports resolve in its kernel's environment (another Python than the server's)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager

from reviewer.integrations.jupyter.content import review_content
from reviewer.integrations.jupyter.kernel_env import interpreter_path, kernel_python_path


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, KernelSpecManager]:
    """A second Python environment with a package only it has, and a kernelspec that runs it."""
    base = tmp_path_factory.mktemp("kernel")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(base / "venv")], check=True)
    python = base / "venv" / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    (Path(site) / "kernel_only_pkg_qz").mkdir(parents=True)
    (Path(site) / "kernel_only_pkg_qz" / "__init__.py").write_text("")
    spec_dir = base / "kernels" / "analysis"
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Analysis", "language": "python"}))
    return python, KernelSpecManager(kernel_dirs=[str(base / "kernels")])


def _notebook(kernel: str) -> dict:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": kernel, "display_name": kernel, "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("import kernel_only_pkg_qz\nimport not_anywhere_pkg_qz\n")]
    return dict(nb)


def test_the_kernels_interpreter_gives_the_import_path(kernel_env: tuple[Path, KernelSpecManager]) -> None:
    python, manager = kernel_env
    paths = kernel_python_path(_notebook("analysis"), manager)
    assert paths and paths == interpreter_path(str(python))
    assert any("venv" in p for p in paths)
    # The server's own Python, an unknown kernel or no kernelspec: nothing extra.
    assert kernel_python_path(_notebook("no-such-kernel"), manager) == ()
    assert kernel_python_path({"metadata": {}}, manager) == ()


def test_a_package_only_the_kernel_has_is_not_hallucinated(kernel_env: tuple[Path, KernelSpecManager],
                                                            tmp_path: Path) -> None:
    _, manager = kernel_env
    notebook = _notebook("analysis")
    flagged = {f.message.split("`")[1] for f in review_content(str(tmp_path), "nb.ipynb", notebook=notebook).findings
               if f.code == "RV303"}
    assert flagged == {"kernel_only_pkg_qz", "not_anywhere_pkg_qz"}
    paths = kernel_python_path(notebook, manager)
    flagged = {f.message.split("`")[1] for f in review_content(str(tmp_path), "nb.ipynb", notebook=notebook,
                                                               python_path=paths).findings if f.code == "RV303"}
    assert flagged == {"not_anywhere_pkg_qz"}
