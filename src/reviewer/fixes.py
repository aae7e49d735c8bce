"""Apply a finding's edits to source text (pure; writing files is the CLI's job)."""

from __future__ import annotations

from collections.abc import Iterable

from reviewer.model import Edit


class OverlappingEdits(ValueError):
    """Two edits touch the same text; applying both would corrupt the file."""


def _offset(line_starts: list[int], line: int, column: int) -> int:
    return line_starts[line - 1] + column - 1


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (1-based line/column, exclusive end) from the end backwards."""
    line_starts = [0]
    for index, char in enumerate(text):
        if char == "\n":
            line_starts.append(index + 1)
    spans = sorted(
        (
            (_offset(line_starts, e.line, e.column), _offset(line_starts, e.end_line, e.end_column), e)
            for e in edits
        ),
        key=lambda item: item[0],
    )
    for (_, end, _), (start, _, _) in zip(spans, spans[1:], strict=False):
        if start < end:
            raise OverlappingEdits("edits overlap")
    for start, end, edit in reversed(spans):
        text = text[:start] + edit.content + text[end:]
    return text
