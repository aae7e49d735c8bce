"""Choose and apply findings' fixes (pure): which fixes a run may apply, which of them fit together
in one pass, and the text they produce. Reading and writing files is the caller's job."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reviewer.model import Applicability, Edit, Finding


class OverlappingEdits(ValueError):
    """Two edits touch the same text; applying both would corrupt the file."""


def _offset(line_starts: list[int], line: int, column: int) -> int:
    return line_starts[line - 1] + column - 1


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for index, char in enumerate(text):
        if char == "\n":
            starts.append(index + 1)
    return starts


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (1-based line/column, exclusive end) from the end backwards."""
    line_starts = _line_starts(text)
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


def _matches(code: str, prefixes: Sequence[str]) -> bool:
    return any(prefix == "ALL" or code.startswith(prefix) for prefix in prefixes)


@dataclass(frozen=True)
class FixPolicy:
    """Which fixes `reviewer fix` applies: Ruff's vocabulary (`fixable`, `unfixable`,
    `extend-safe-fixes`, `extend-unsafe-fixes`, `--unsafe-fixes`), as code prefixes."""

    unsafe: bool = False  #: also apply fixes marked unsafe
    fixable: tuple[str, ...] = ()  #: only these codes may be fixed (empty: all)
    unfixable: tuple[str, ...] = ()  #: never fix these codes
    extend_safe: tuple[str, ...] = ()  #: treat these codes' unsafe fixes as safe
    extend_unsafe: tuple[str, ...] = ()  #: treat these codes' safe fixes as unsafe

    def applicability(self, finding: Finding) -> Applicability | None:
        """The finding's fix applicability after the project's overrides; None without edits."""
        fix = finding.fix
        if fix is None or not fix.edits or fix.applicability is Applicability.DISPLAY:
            return None
        codes = (finding.code, *finding.also)
        if any(_matches(code, self.extend_unsafe) for code in codes):
            return Applicability.UNSAFE
        if any(_matches(code, self.extend_safe) for code in codes):
            return Applicability.SAFE
        return fix.applicability

    def allows(self, finding: Finding) -> bool:
        applicability = self.applicability(finding)
        if applicability is None or (applicability is Applicability.UNSAFE and not self.unsafe):
            return False
        codes = (finding.code, *finding.also)
        if any(_matches(code, self.unfixable) for code in codes):
            return False
        return not self.fixable or any(_matches(code, self.fixable) for code in codes)


def _span(edit: Edit) -> tuple[tuple[int, int], tuple[int, int]]:
    return (edit.line, edit.column), (edit.end_line, edit.end_column)


def _overlap(a: Edit, b: Edit) -> bool:
    (a_start, a_end), (b_start, b_end) = _span(a), _span(b)
    if a_start == b_start:
        return True  # two insertions at one place, or two edits of the same text
    return a_start < b_end and b_start < a_end


def compatible(findings: Iterable[Finding]) -> list[Finding]:
    """The fixes of one cell (or file) that can be applied together in one pass: in order of
    position, each fix whose edits overlap none of an already chosen fix's edits. The others wait
    for the next pass, when they are computed again on the changed code."""
    chosen: list[Finding] = []
    taken: list[Edit] = []
    seen: set[tuple[Edit, ...]] = set()
    for finding in sorted(findings, key=lambda f: min(_span(e)[0] for e in f.fix.edits) if f.fix else (0, 0)):
        edits = finding.fix.edits if finding.fix else ()
        if not edits or edits in seen:
            continue  # the same fix reported by two analyzers applies once
        if any(_overlap(edit, other) for edit in edits for other in taken):
            continue
        if any(_overlap(a, b) for i, a in enumerate(edits) for b in edits[i + 1:]):
            continue  # a malformed fix
        chosen.append(finding)
        taken.extend(edits)
        seen.add(edits)
    return chosen


def parses(text: str) -> bool:
    """Whether Python accepts `text` as a module (never executed)."""
    try:
        compile(text, "<fix>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return False
    return True
