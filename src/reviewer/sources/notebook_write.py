"""Write new code-cell sources back into a notebook's JSON text, keeping everything else as it was:
outputs, metadata, ids, execution counts, key order, indentation and the trailing newline."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any


class NotebookFormatError(ValueError):
    """The notebook's JSON cannot be rewritten without changing more than the cell sources."""


_INDENT = re.compile(r"\n( +|\t)[\"}\]]")


def _styles(raw: str) -> list[dict[str, Any]]:
    """json.dumps settings that may reproduce `raw` (the file's own style is found first)."""
    match = _INDENT.search(raw)
    indents: list[int | str | None] = [None]
    if match:
        indents.insert(0, match.group(1) if match.group(1) == "\t" else len(match.group(1)))
    return [
        {"indent": indent, "ensure_ascii": ascii_only}
        for indent in indents
        for ascii_only in (False, True)
    ]


def _dump(data: Any, style: Mapping[str, Any], newline: bool) -> str:
    text = json.dumps(data, **style)
    return text + "\n" if newline else text


def cell_source_form(value: object, text: str) -> str | list[str]:
    """`text` in the form the cell had: a list of lines (nbformat's on-disk form) or one string."""
    if isinstance(value, list):
        return text.splitlines(keepends=True)
    return text


def replace_sources(raw: str, sources: Mapping[int, str]) -> str:
    """`raw` (a notebook's JSON text) with the code cells at the given indexes holding new sources.

    The file's formatting is found by writing the unchanged notebook again and comparing: when no
    standard style reproduces it byte for byte, the notebook is refused rather than reformatted."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise NotebookFormatError(f"not valid JSON: {exc}") from exc
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list):
        raise NotebookFormatError("no list of cells (nbformat 3 notebooks are not rewritten)")
    newline = raw.endswith("\n")
    for style in _styles(raw):
        if _dump(data, style, newline) == raw:
            break
    else:
        raise NotebookFormatError("its JSON formatting is not one reviewer can reproduce exactly")
    for index, text in sources.items():
        cell = cells[index] if 0 <= index < len(cells) else None
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            raise NotebookFormatError(f"cell {index + 1} is not a code cell")
        cell["source"] = cell_source_form(cell.get("source"), text)
    return _dump(data, style, newline)


def cell_sources(raw: str) -> dict[int, str]:
    """The source of every code cell of a notebook's JSON text, by cell index."""
    data = json.loads(raw)
    out = {}
    for index, cell in enumerate(data.get("cells", [])):
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get("source", "")
            out[index] = "".join(source) if isinstance(source, list) else str(source)
    return out
