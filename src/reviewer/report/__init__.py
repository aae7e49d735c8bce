"""Output formats: pure functions from a Report to a string (no I/O, no clock, no environment).

`render(fmt, report)` picks a format; each module's own `render(report, **options)` may be called
directly for format-specific options (e.g. `markdown.render(report, max_rows=50)`). JSON is the
contract every surface reads; the others are views of the same Report.
"""

from __future__ import annotations

from collections.abc import Callable

from reviewer.model import Location, Report
from reviewer.report import github, markdown, sarif, text
from reviewer.report import json as json_format

FORMATS = ("text", "json", "sarif", "github", "markdown")

_PLAIN: dict[str, Callable[[Report], str]] = {
    "json": json_format.render,
    "sarif": sarif.render,
    "github": github.render,
    "markdown": markdown.render,
}


def render(
    fmt: str,
    report: Report,
    *,
    color: bool = False,
    lines: Callable[[Location], str | None] | None = None,
) -> str:
    """Render `report` as `fmt`; `color` and `lines` (source snippets) apply to text only."""
    if fmt == "text":
        return text.render(report, color=color, lines=lines)
    if fmt not in _PLAIN:
        raise ValueError(f"unknown report format {fmt!r}; valid formats: {', '.join(FORMATS)}")
    return _PLAIN[fmt](report)
