"""`# noqa` handling: `# noqa: RV101,B506` hides those codes; a bare `# noqa` hides everything
except security findings; `# nosec` (bandit's comment) hides security findings, `# nosec B602`
only that code."""

from __future__ import annotations

import re

from reviewer.model import Category, Finding
from reviewer.sources import SourceUnit

_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)
_NOSEC = re.compile(r"#\s*nosec\b(?:\s*:?\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)


def _codes(raw: str | None) -> frozenset[str] | None:
    return None if raw is None else frozenset(c.upper() for c in re.split(r"[\s,]+", raw) if c)


def is_suppressed(finding: Finding, line_text: str) -> bool:
    if "#" not in line_text:
        return False
    codes = {finding.code, *finding.also}
    for match in _NOQA.finditer(line_text):
        listed = _codes(match.group("codes"))
        if listed is None:
            if finding.category is not Category.SECURITY:
                return True
        elif codes & listed:
            return True
    for match in _NOSEC.finditer(line_text):
        listed = _codes(match.group("codes"))
        if listed is None:
            if finding.category is Category.SECURITY:
                return True
        elif codes & listed:
            return True
    return False


def suppress(unit: SourceUnit, findings: list[Finding]) -> tuple[list[Finding], int]:
    """(kept findings, number suppressed); the comment may sit on the first or last line."""
    kept = []
    hidden = 0
    for finding in findings:
        first, last = unit.virtual_line(finding.location), unit.virtual_end(finding.location)
        lines = {unit.line_text(first), unit.line_text(last)}
        if any(is_suppressed(finding, text) for text in lines):
            hidden += 1
        else:
            kept.append(finding)
    return kept, hidden
