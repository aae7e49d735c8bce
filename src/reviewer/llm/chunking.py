"""Chunks: the pieces of a unit the model reviews one at a time.

A .py file is cut at top-level functions and classes (a large class at its methods, anything
still too long into windows); the statements between them form module chunks; import-only and
docstring-only chunks are skipped. Neighbouring small pieces share a chunk (up to PACK_LINES
lines), so ten three-line helpers cost one request, not ten; a function is never split while it
fits in MAX_LINES. Each chunk sees the file's imports as context. A notebook is cut
by cell, with the cells before it as context. Line numbers are the unit's (virtual module) lines,
so a citation maps back to a Location with `SourceUnit.location`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from reviewer.sources import SourceUnit

MAX_LINES = 150  #: longer pieces are split into windows
CONTEXT_LINES = 60  #: at most this many lines of context
PACK_LINES = 60  #: neighbouring pieces are packed into one chunk up to this many lines


@dataclass(frozen=True)
class Chunk:
    path: str
    start: int  #: first line, 1-based (unit lines)
    end: int  #: last line, inclusive
    label: str  #: `function fetch_ticket`, `cell 3`, `module code`
    context: tuple[int, ...] = ()  #: line numbers shown as context (never reviewed)

    def contains(self, line: int) -> bool:
        return self.start <= line <= self.end


def number(lines: list[str], numbers: list[int] | range) -> str:
    """`   12 | code` for each line number (1-based into `lines`)."""
    return "\n".join(f"{n:>5} | {lines[n - 1]}" for n in numbers)


def chunk_unit(unit: SourceUnit, lines: list[str]) -> list[Chunk]:
    """The unit's chunks; `lines` are its (redacted) lines, used to skip blank pieces."""
    if unit.cell_map is not None:
        return _notebook_chunks(unit, lines)
    return _module_chunks(unit, lines)


def _blank(lines: list[str], start: int, end: int) -> bool:
    return all(not lines[i - 1].strip() or lines[i - 1].lstrip().startswith("#")
               for i in range(start, end + 1))


def _windows(path: str, start: int, end: int, label: str, context: tuple[int, ...]) -> list[Chunk]:
    if end - start + 1 <= MAX_LINES:
        return [Chunk(path, start, end, label, context)]
    out = []
    for first in range(start, end + 1, MAX_LINES):
        last = min(first + MAX_LINES - 1, end)
        out.append(Chunk(path, first, last, f"{label}, lines {first}-{last}", context))
    return out


def _notebook_chunks(unit: SourceUnit, lines: list[str]) -> list[Chunk]:
    assert unit.cell_map is not None
    out: list[Chunk] = []
    before: list[int] = []  # code lines of earlier cells
    skipped = set(unit.skipped_cells)
    for span in unit.cell_map.spans:
        if not span.line_count or span.index in skipped:
            continue
        start, end = span.first_line, span.first_line + span.line_count - 1
        if not _blank(lines, start, end):
            context = tuple(before[-CONTEXT_LINES:])
            out += _windows(unit.path, start, end, f"cell {span.index + 1}", context)
        before += [n for n in range(start, end + 1) if lines[n - 1].strip()]
    return out


def _module_chunks(unit: SourceUnit, lines: list[str]) -> list[Chunk]:
    try:
        tree = ast.parse(unit.text)
    except (SyntaxError, ValueError):  # still reviewable, just not by structure
        return [c for c in _windows(unit.path, 1, len(lines), "module code", ())
                if not _blank(lines, c.start, c.end)]
    imports: list[int] = []
    pieces: list[tuple[int, int, str]] = []
    pending: list[ast.stmt] = []

    def flush() -> None:
        if pending and not all(_trivial(s) for s in pending):
            pieces.append((_first(pending[0]), _last(pending[-1]), "module code"))
        pending.clear()

    for stmt in tree.body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            imports += range(stmt.lineno, _last(stmt) + 1)
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            flush()
            kind = "class" if isinstance(stmt, ast.ClassDef) else "function"
            if isinstance(stmt, ast.ClassDef) and _last(stmt) - _first(stmt) + 1 > MAX_LINES:
                pieces += _class_pieces(stmt)
            else:
                pieces.append((_first(stmt), _last(stmt), f"{kind} {stmt.name}"))
        else:
            pending.append(stmt)
    flush()
    context = tuple(imports[:CONTEXT_LINES])
    out: list[Chunk] = []
    for start, end, label in _pack(pieces):
        own = tuple(n for n in context if not start <= n <= end)
        out += _windows(unit.path, start, end, label, own)
    return out


def _pack(pieces: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    packed: list[tuple[int, int, str]] = []
    for start, end, label in pieces:
        if packed and end - packed[-1][0] + 1 <= PACK_LINES:
            first, _, labels = packed[-1]
            packed[-1] = (first, end, f"{labels}; {label}")
        else:
            packed.append((start, end, label))
    return packed


def _class_pieces(cls: ast.ClassDef) -> list[tuple[int, int, str]]:
    pieces: list[tuple[int, int, str]] = []
    head_start = _first(cls)
    for stmt in cls.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if head_start < _first(stmt):
                pieces.append((head_start, _first(stmt) - 1, f"class {cls.name}"))
            pieces.append((_first(stmt), _last(stmt), f"method {cls.name}.{stmt.name}"))
            head_start = _last(stmt) + 1
    if head_start <= _last(cls):
        pieces.append((head_start, _last(cls), f"class {cls.name}"))
    return pieces


def _first(stmt: ast.stmt) -> int:
    decorators = getattr(stmt, "decorator_list", [])
    return min([stmt.lineno, *(d.lineno for d in decorators)])


def _last(stmt: ast.stmt) -> int:
    return stmt.end_lineno or stmt.lineno


def _trivial(stmt: ast.stmt) -> bool:
    """Imports, docstrings, `pass`, `__all__`: nothing for a reviewer to say."""
    if isinstance(stmt, (ast.Import, ast.ImportFrom, ast.Pass)):
        return True
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
        return True
    return isinstance(stmt, ast.Assign) and any(
        isinstance(t, ast.Name) and t.id == "__all__" for t in stmt.targets
    )
