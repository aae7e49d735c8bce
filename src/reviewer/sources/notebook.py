"""Notebooks: join code cells into one virtual module, masking IPython syntax line-for-line.

Masking keeps line numbers identical so every finding maps back to (cell, line) via the CellMap.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import nbformat

from reviewer.sources.unit import CellMap, CellSpan, LoadError, SourceUnit, split_lines

# Cell magics whose body is still Python; any other `%%magic` cell (bash, html, sql...) is skipped.
PYTHON_CELL_MAGICS = frozenset(
    {"time", "timeit", "capture", "prun", "debug", "python", "python3", "memit", "review"}
)
_LINE_MAGIC = re.compile(r"^(\s*)(%|!|\?)")
_ASSIGNED_MAGIC = re.compile(r"^(\s*[\w.\[\], ]+=\s*)(%|!)")
_HELP = re.compile(r"^(\s*)[\w.]+\?{1,2}\s*$")


def mask_line(line: str) -> str:
    """Replace IPython-only syntax on one line with Python of the same line count."""
    if match := _ASSIGNED_MAGIC.match(line):  # files = !ls  /  t = %timeit -o f()
        return f"{match.group(1)}None"
    if match := _LINE_MAGIC.match(line) or _HELP.match(line):
        return f"{match.group(1)}pass"
    return line


def mask_cell(source: str) -> tuple[str, bool]:
    """The cell's Python text and whether the whole cell was masked (non-Python cell magic)."""
    lines = split_lines(source)
    if lines and lines[0].lstrip().startswith("%%"):
        magic = lines[0].lstrip()[2:].split(maxsplit=1)
        name = magic[0] if magic else ""
        if name not in PYTHON_CELL_MAGICS:
            return "\n".join("" for _ in lines), True
        lines = ["pass", *lines[1:]]
    masked = []
    continued = False
    for line in lines:
        # A masked line ending in a backslash continues the magic on the next line.
        masked.append("" if continued else mask_line(line))
        continued = (continued or masked[-1] != line) and line.rstrip().endswith("\\")
    return "\n".join(masked), False


def is_python_notebook(nb: nbformat.NotebookNode) -> bool:
    meta = nb.get("metadata", {})
    language = (meta.get("kernelspec", {}) or {}).get("language") or (
        meta.get("language_info", {}) or {}
    ).get("name")
    return language is None or str(language).lower().startswith("python")


def read_notebook(path: str, raw: str) -> nbformat.NotebookNode:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise LoadError(path, f"invalid notebook: not JSON ({exc.msg} at line {exc.lineno})") from exc
    return notebook_from_dict(path, data)


def notebook_from_dict(path: str, data: object) -> nbformat.NotebookNode:
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise LoadError(path, "invalid notebook: no 'cells' list")
    # Imported here: nbformat pulls in jsonschema's format checkers, whose grammars cost seconds
    # to compile at import time, and most scans contain no notebook at all.
    import nbformat

    try:
        nb = nbformat.from_dict(data)
        if "nbformat" not in nb:  # live models from JupyterLab may omit the version keys
            nb.nbformat, nb.nbformat_minor = 4, 5
    except Exception as exc:  # nbformat raises many types on malformed structures
        raise LoadError(path, f"invalid notebook: {exc}") from exc
    for index, cell in enumerate(nb.cells):
        if not isinstance(cell, dict) or "cell_type" not in cell:
            raise LoadError(path, f"invalid notebook: cell {index + 1} has no cell_type")
    return nb


def unit_from_notebook(path: str, nb: nbformat.NotebookNode) -> SourceUnit:
    """Join code cells into one module; markdown and raw cells contribute no lines."""
    if not is_python_notebook(nb):
        raise LoadError(path, "not a Python notebook (kernel language is not Python); skipped")
    spans: list[CellSpan] = []
    parts: list[str] = []
    skipped: list[int] = []
    line = 1
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(source)
        text, whole = mask_cell(source)
        if whole:
            skipped.append(index)
        count = len(split_lines(source))
        spans.append(CellSpan(index, cell.get("id"), line, count))
        if count:
            parts.append(text + "\n")
        line += count
    return SourceUnit(
        path=path,
        text="".join(parts),
        cell_map=CellMap(tuple(spans)),
        on_disk=False,
        skipped_cells=tuple(skipped),
    )
