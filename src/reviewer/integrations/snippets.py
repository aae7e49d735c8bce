"""Source lines for the text report's snippets, read back from the reviewed files."""

from __future__ import annotations

import json
from functools import cache

from reviewer.model import Location
from reviewer.sources.unit import split_lines


class Snippets:
    """`lines(location)` for report.text: file lines, or the cell's lines for notebooks."""

    def __init__(self, stdin_name: str | None = None, stdin_text: str | None = None) -> None:
        self._stdin = (stdin_name, stdin_text)

    def __call__(self, location: Location) -> str | None:
        lines = self._lines(location.path, location.cell)
        return lines[location.line - 1] if lines and 0 < location.line <= len(lines) else None

    @cache  # noqa: B019 - one instance per CLI run; the cache dies with it
    def _lines(self, path: str, cell: int | None) -> list[str] | None:
        name, text = self._stdin
        try:
            if path == name and text is not None:
                raw = text
            else:
                with open(path, encoding="utf-8", errors="replace") as handle:
                    raw = handle.read()
            if cell is None:
                return split_lines(raw)
            source = json.loads(raw)["cells"][cell]["source"]
            return split_lines("".join(source) if isinstance(source, list) else source)
        except (OSError, ValueError, KeyError, IndexError, TypeError):
            return None
