"""Notebooks: join code cells into one virtual module, masking IPython syntax line-for-line.

Masking keeps line numbers identical so every finding maps back to (cell, line) via the CellMap.
"""

from __future__ import annotations

import json
import re
from typing import Any

from reviewer.sources.unit import (
    CellMap,
    CellOutput,
    CellSpan,
    LoadError,
    SourceUnit,
    split_lines,
)

# Cell magics whose body is still Python; any other `%%magic` cell (bash, html, sql...) is skipped.
PYTHON_CELL_MAGICS = frozenset(
    {"time", "timeit", "capture", "prun", "debug", "python", "python3", "memit", "review"}
)
_LINE_MAGIC = re.compile(r"^(\s*)(%|!|\?)")
_ASSIGNED_MAGIC = re.compile(r"^(\s*[\w.\[\], ]+=\s*)(%|!)")
_HELP = re.compile(r"^(\s*)[\w.]+\?{1,2}\s*$")
#: Output text kept per output: enough for the notebook rules (secrets in printed configs).
OUTPUT_TEXT_LIMIT = 65_536
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


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


def is_python_notebook(nb: dict[str, Any]) -> bool:
    meta = _mapping(nb.get("metadata"))
    language = _mapping(meta.get("kernelspec")).get("language") or _mapping(meta.get("language_info")).get("name")
    return language is None or str(language).lower().startswith("python")


def _mapping(value: object) -> dict[str, Any]:
    """`value` if it is a JSON object, else an empty one: metadata is free-form, never trusted."""
    return value if isinstance(value, dict) else {}


def read_notebook(path: str, raw: str) -> dict[str, Any]:
    if not raw.strip():
        raise LoadError(path, "invalid notebook: the file is empty")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise LoadError(path, f"invalid notebook: not JSON ({exc.msg} at line {exc.lineno})") from exc
    except RecursionError as exc:
        raise LoadError(path, "invalid notebook: JSON nested too deeply") from exc
    return notebook_from_dict(path, data)


def notebook_from_dict(path: str, data: object) -> dict[str, Any]:
    """Check the shapes the review relies on and return the notebook (nbformat 4 JSON); every
    malformed notebook is a LoadError naming what is wrong, never an exception from deeper in
    the review. nbformat itself is imported only to upgrade a version 3 notebook: importing it
    pulls in jsonschema and its format grammars, about 0.3 s a scan would otherwise pay."""
    if not isinstance(data, dict):
        raise LoadError(path, f"invalid notebook: the top level is a JSON {_json_type(data)}, not an object")
    version = data.get("nbformat")
    if isinstance(version, int) and version < 4 and "worksheets" in data:
        data = _upgraded(path, data)
    problem = _shape_problem(data)
    if problem is not None:
        raise LoadError(path, f"invalid notebook: {problem}")
    notebook = dict(data)
    if "nbformat" not in notebook:  # live models from JupyterLab may omit the version keys
        notebook["nbformat"], notebook["nbformat_minor"] = 4, 5
    return notebook


_CELL_TYPES = frozenset({"code", "markdown", "raw"})


def _shape_problem(data: dict[str, Any]) -> str | None:
    """What makes `data` unusable as an nbformat 4 notebook, in words; None when it is fine."""
    version = data.get("nbformat")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool) or version > 4):
        return f"unsupported nbformat version {version!r} (reviewer reads nbformat 4)"
    cells = data.get("cells")
    if not isinstance(cells, list):
        return "no 'cells' list" if cells is None else f"'cells' is a {_json_type(cells)}, not a list"
    if not isinstance(data.get("metadata", {}), dict):
        return "the notebook's 'metadata' is not an object"
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict):
            return f"cell {number} is a {_json_type(cell)}, not an object"
        kind = cell.get("cell_type")
        if kind is None:
            return f"cell {number} has no cell_type"
        if not isinstance(kind, str) or kind not in _CELL_TYPES:
            return f"cell {number} has an unknown cell_type {kind!r} (expected code, markdown or raw)"
        source = cell.get("source", "")
        if not (isinstance(source, str) or isinstance(source, list) and all(isinstance(s, str) for s in source)):
            return f"cell {number}'s 'source' must be a string or a list of strings, not {_json_type(source)}"
        if not isinstance(cell.get("metadata", {}), dict):
            return f"cell {number}'s 'metadata' is not an object"
        if kind == "code" and not isinstance(cell.get("outputs", []), list):
            return f"cell {number}'s 'outputs' is not a list"
        count = cell.get("execution_count")
        if kind == "code" and count is not None and (not isinstance(count, int) or isinstance(count, bool)):
            return f"cell {number}'s 'execution_count' must be a number or null, not {_json_type(count)}"
        if not isinstance(cell.get("id", ""), str):
            return f"cell {number}'s 'id' must be a string"
    return None


def _upgraded(path: str, data: dict[str, Any]) -> dict[str, Any]:
    """An nbformat 3 notebook (cells inside `worksheets`) converted to version 4 by nbformat."""
    import nbformat

    try:
        converted = nbformat.convert(nbformat.from_dict(data), 4)
    except Exception as exc:  # nbformat's converter raises many types on malformed input
        raise LoadError(path, f"invalid notebook: cannot convert nbformat {data.get('nbformat')} to 4 ({exc})") from exc
    return dict(converted)


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    return {dict: "object", list: "array", str: "string", int: "number", float: "number"}.get(type(value), type(value).__name__)


def unit_from_notebook(path: str, nb: dict[str, Any]) -> SourceUnit:
    """Join code cells into one module; markdown and raw cells contribute no lines."""
    if not is_python_notebook(nb):
        raise LoadError(path, "not a Python notebook (kernel language is not Python); skipped")
    spans: list[CellSpan] = []
    parts: list[str] = []
    skipped: list[int] = []
    line = 1
    for index, cell in enumerate(nb["cells"]):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(source)
        text, whole = mask_cell(source)
        if whole:
            skipped.append(index)
        count = len(split_lines(source))
        spans.append(
            CellSpan(
                index,
                cell.get("id"),
                line,
                count,
                _execution_count(cell.get("execution_count")),
                *_summarize_outputs(cell.get("outputs")),
                _masked_lines(source, text),
            )
        )
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


def _execution_count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _masked_lines(source: str, masked: str) -> tuple[tuple[int, str], ...]:
    """(line in cell, original text) of the lines masking changed: magics and shell escapes."""
    original = split_lines(source)
    changed = split_lines(masked)
    changed += [""] * (len(original) - len(changed))  # a masked cell's trailing empty lines
    return tuple(
        (number, line)
        for number, (line, new) in enumerate(zip(original, changed, strict=False), start=1)
        if line != new and line.strip()
    )


def _joined(value: object) -> str:
    if isinstance(value, list):
        return "".join(str(part) for part in value)
    return value if isinstance(value, str) else ""


def _summarize_outputs(outputs: object) -> tuple[tuple[CellOutput, ...], int]:
    """A summary of each saved output and the total size of all of them (JSON, UTF-8 bytes)."""
    if not isinstance(outputs, list) or not outputs:
        return (), 0
    try:
        size = len(json.dumps(outputs, ensure_ascii=False).encode("utf-8", "replace"))
    except (TypeError, ValueError):
        size = 0
    summaries: list[CellOutput] = []
    for output in outputs:
        if not isinstance(output, dict):
            continue
        kind = str(output.get("output_type", ""))
        image = encoded = 0
        if kind == "stream":
            text = _joined(output.get("text"))
        elif kind == "error":
            traceback = output.get("traceback")
            if isinstance(traceback, list) and traceback:
                text = _ANSI.sub("", "\n".join(str(line) for line in traceback))
            else:
                text = f"{output.get('ename', '')}: {output.get('evalue', '')}"
        else:
            data = output.get("data")
            data = data if isinstance(data, dict) else {}
            text = _joined(data.get("text/plain"))
            for mime, value in data.items():
                if str(mime).startswith("image/"):
                    payload = _joined(value)
                    image = max(image, _image_size(str(mime), payload))
                    encoded += len(payload.encode("utf-8", "replace"))
        summaries.append(CellOutput(kind, text[:OUTPUT_TEXT_LIMIT], image, encoded))
    return tuple(summaries), size


def _image_size(mime: str, value: str) -> int:
    """Decoded size in bytes: SVG is text, other images are base64."""
    if mime == "image/svg+xml":
        return len(value.encode("utf-8", "replace"))
    return len("".join(value.split())) * 3 // 4
