"""Review live content (a notebook model or file text, saved or not) exactly like the CLI would.

Shared by the server endpoint, the `%review` magic and the widget, so all surfaces agree.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from reviewer.config import ConfigError, load_config
from reviewer.llm import LLMRun
from reviewer.model import Report, ToolError
from reviewer.pipeline import llm_stage, review_units
from reviewer.sources import LoadError, load_path, load_text
from reviewer.sources.notebook import notebook_from_dict, unit_from_notebook


class BadRequest(ValueError):
    """The request itself is malformed (HTTP 400); the message says what is wrong."""


def review_content(
    root: str,
    path: str,
    *,
    notebook: dict[str, Any] | None = None,
    content: str | None = None,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    llm: bool = False,
    python_path: tuple[str, ...] = (),
) -> Report:
    """Review `path` (relative to `root`) using the live `notebook`/`content` when given, else the
    file on disk. Findings carry `path` as given; fingerprints match the CLI's. `python_path` is
    the import path of the notebook's kernel when it is another Python than this one."""
    if not isinstance(path, str) or not path or Path(path).is_absolute() or ".." in Path(path).parts:
        raise BadRequest("'path' must be a relative path inside the server root")
    absolute = Path(root, path).resolve()
    if notebook is not None and not isinstance(notebook, dict):
        raise BadRequest("'notebook' must be a notebook JSON object")
    if content is not None and not isinstance(content, str):
        raise BadRequest("'content' must be a string")
    try:
        config = load_config(absolute.parent if absolute.parent.is_dir() else Path(root),
                             {"select": select or None, "ignore": ignore or None})
        if python_path:  # the notebook's kernel runs another Python: its packages count
            config = replace(config, python_path=(*python_path, *config.python_path))
    except ConfigError as exc:
        return Report(errors=(ToolError("config", str(exc)),), files=(path,))
    # Analyze under the absolute path (rules look next to the file for local modules), then
    # report the path the client sent.
    shown = str(absolute)
    try:
        if notebook is not None:
            unit = unit_from_notebook(shown, notebook_from_dict(shown, notebook))
        elif content is not None:
            unit = load_text(content, shown)
        else:
            unit = load_path(absolute, shown, config.max_file_size)
    except LoadError as exc:
        return Report(errors=(ToolError("sources", exc.message, path, exc.line),), files=(path,))
    report = review_units([unit], config, files=[path])
    if llm:  # the sidebar's toggle; model, endpoint and key come from the server's config only
        report = llm_stage(report, [unit], config, LLMRun(requested=bool(config.llm.model), note_when_off=True))
    return relabel(report, shown, path)


def relabel(report: Report, old: str, new: str) -> Report:
    findings = tuple(
        replace(f, location=replace(f.location, path=new)) if f.location.path == old else f
        for f in report.findings
    )
    errors = tuple(replace(e, path=new) if e.path == old else e for e in report.errors)
    return replace(report, findings=findings, errors=errors)


def options(body: dict[str, Any]) -> dict[str, Any]:
    """Validate the optional review settings of a request body."""
    out: dict[str, Any] = {}
    for key in ("select", "ignore"):
        value = body.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise BadRequest(f"'{key}' must be a list of rule code prefixes")
        out[key] = tuple(v.strip().upper() for v in value if v.strip())
    llm = body.get("llm", False)
    if not isinstance(llm, bool):
        raise BadRequest("'llm' must be true or false")
    out["llm"] = llm
    return out


def root_of(server_root: str | os.PathLike[str]) -> str:
    return str(Path(server_root).expanduser().resolve())
