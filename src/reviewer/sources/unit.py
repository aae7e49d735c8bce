"""SourceUnit: one reviewable module (a .py file, or a notebook's code cells joined) and its CellMap."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property

from reviewer.model import Location


def split_lines(text: str) -> list[str]:
    """Lines as Python and libcst count them: only \\n and \\r\\n end a line (str.splitlines
    would also split on form feeds and other separators the stdlib is full of)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


class LoadError(Exception):
    """A file that cannot be reviewed (binary, too large, undecodable, invalid notebook)."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message
        self.line = line


@dataclass(frozen=True, slots=True)
class CellOutput:
    """A summary of one saved output of a code cell. Outputs are never part of `SourceUnit.text`
    (they are not code) and are never sent anywhere; notebook rules read them from here."""

    output_type: str  #: stream, execute_result, display_data, error
    text: str = ""  #: stream text, `text/plain`, or the error traceback joined (truncated)
    image_bytes: int = 0  #: decoded size of the largest embedded image in this output
    image_payload: int = 0  #: bytes all embedded images take in the file (base64 or SVG text)


@dataclass(frozen=True, slots=True)
class CellSpan:
    index: int  #: 0-based index into the notebook's cells (all cell types)
    cell_id: str | None
    first_line: int  #: 1-based line of the virtual module where this cell starts
    line_count: int
    execution_count: int | None = None
    outputs: tuple[CellOutput, ...] = ()
    output_bytes: int = 0  #: total size of the cell's saved outputs (as JSON, UTF-8)
    #: Lines masked out of `SourceUnit.text` (magics, shell escapes): (line in cell, original).
    magics: tuple[tuple[int, str], ...] = ()

    @property
    def facts(self) -> tuple[object, ...]:
        """What notebook rules read beyond the code (part of the results cache key)."""
        return (self.execution_count, self.outputs, self.output_bytes, self.magics)


@dataclass(frozen=True)
class CellMap:
    """Maps lines of a notebook's virtual module back to (cell, line in cell)."""

    spans: tuple[CellSpan, ...]
    _starts: tuple[int, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(s.first_line for s in self.spans))

    def locate(self, line: int) -> tuple[CellSpan, int] | None:
        """The cell holding virtual `line` and the 1-based line within it."""
        pos = bisect.bisect_right(self._starts, line) - 1
        while pos >= 0:
            span = self.spans[pos]
            if span.line_count and line < span.first_line + span.line_count:
                return span, line - span.first_line + 1
            if span.line_count:
                return None
            pos -= 1  # empty cells share a start line with the next one
        return None

    def cell_of(self, index: int) -> CellSpan | None:
        for span in self.spans:
            if span.index == index:
                return span
        return None


@dataclass(frozen=True)
class SourceUnit:
    path: str  #: display path (as given, posix separators); "<stdin>" for standard input
    text: str  #: Python source; for notebooks the joined, magic-masked code cells
    cell_map: CellMap | None = None  #: set for notebooks
    on_disk: bool = True  #: `text` is exactly the file at `path` (tools may read the file)
    skipped_cells: tuple[int, ...] = ()  #: notebook cells masked out (non-Python cell magics)

    @property
    def is_notebook(self) -> bool:
        return self.cell_map is not None

    @property
    def cache_content(self) -> str:
        """`text` plus, for notebooks, the per-cell facts rules read (outputs, execution counts,
        masked magics): what the results cache must key on."""
        if self.cell_map is None:
            return self.text
        return self.text + "\0" + repr([span.facts for span in self.cell_map.spans])

    @cached_property
    def lines(self) -> list[str]:
        return split_lines(self.text)

    def line_text(self, line: int) -> str:
        lines = self.lines
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def virtual_line(self, location: Location) -> int:
        """The inverse of `location()`: a Location's line in this unit's text."""
        if self.cell_map is None or location.cell is None:
            return location.line
        span = self.cell_map.cell_of(location.cell)
        return span.first_line + location.line - 1 if span else location.line

    def virtual_end(self, location: Location) -> int:
        return self.virtual_line(location) + max(0, (location.end_line or location.line) - location.line)

    def location(
        self, line: int, column: int = 1, end_line: int | None = None, end_column: int | None = None
    ) -> Location:
        """A Location from virtual-module coordinates (1-based), made cell-relative for notebooks."""
        if self.cell_map is None:
            return Location(self.path, line, column, end_line, end_column)
        found = self.cell_map.locate(line)
        if found is None:  # past the last cell: clamp to the end of the module
            return Location(self.path, line, column, end_line, end_column)
        span, cell_line = found
        end = self.cell_map.locate(end_line) if end_line is not None else None
        if end is not None and end[0].index == span.index:
            cell_end_line, cell_end_column = end[1], end_column
        else:  # a range crossing cells is cut at the end of the first cell
            cell_end_line, cell_end_column = span.line_count, None
        return Location(
            self.path, cell_line, column, cell_end_line, cell_end_column, span.index, span.cell_id
        )


#: A comment near the top that says a tool wrote the file.
_GENERATED = re.compile(r"(?i)(?:generated|do not edit|autogenerated|@generated)")


def is_generated(text: str) -> bool:
    """A file whose first comment lines say a tool generated it (code generators repeat
    themselves by design, and nobody edits their output by hand)."""
    head = [line for line in text[:2000].splitlines()[:15] if line.lstrip().startswith("#")]
    return any(_GENERATED.search(line) for line in head)


#: A percent-format cell marker (Jupytext, VS Code, Spyder, sphinx-gallery `# %%`), or
#: sphinx-gallery's older separator, a comment line of at least 20 `#`.
CELL_MARKER = re.compile(r"^\s*#\s*%%|^#{20,}\s*$")


def ends_cell(unit: SourceUnit, last_line: int) -> bool:
    """Whether a module-level statement ending on virtual line `last_line` is the last code of
    its cell, which notebooks and `# %%` scripts display: followed by nothing but blank lines
    and comments up to the end of its notebook cell, or up to the next `# %%` marker (or the end)
    in a file that uses such markers."""
    lines = unit.text.splitlines()
    end = len(lines)
    if unit.cell_map is not None:
        found = unit.cell_map.locate(last_line)
        if found is None:
            return False
        end = found[0].first_line + found[0].line_count - 1
    elif not any(CELL_MARKER.match(line) for line in lines):
        return False
    for text in lines[last_line:end]:
        if unit.cell_map is None and CELL_MARKER.match(text):
            return True
        if text.strip() and not text.lstrip().startswith("#"):
            return False
    return True
