"""Stable finding identity: rule + path/cell + enclosing scope + normalized code + occurrence.

Line numbers are deliberately left out, so adding unrelated lines above a finding keeps its
fingerprint; the enclosing def/class is in, so the same line in two functions differs.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import replace

from reviewer.model import Finding
from reviewer.sources import SourceUnit, project_path
from reviewer.sources.unit import split_lines

_DEF = re.compile(r"(?:async\s+def|def|class)\s+([A-Za-z_]\w*)")  # matched after the indent
_SPACE = re.compile(r"\s+")


def scope_map(text: str) -> list[str]:
    """For each line (index 0 = line 1), the dotted name of the innermost enclosing def/class.

    Indentation-based on purpose: it works for tool findings without a parse, and on code that
    does not parse at all.
    """
    scopes: list[str] = []
    stack: list[tuple[int, str]] = []  # (indent, dotted name of the scope it opens)
    current = ""
    for line in split_lines(text):
        code = line.lstrip()
        if code and code[0] != "#":
            current = _scope_of(stack, len(line) - len(code), code)
        scopes.append(current)  # blank and comment lines stay in the scope above
    return scopes


def _scope_of(stack: list[tuple[int, str]], indent: int, code: str) -> str:
    """Update the open scopes for a line of code at `indent`; return the line's scope."""
    while stack and indent <= stack[-1][0]:
        stack.pop()
    current = stack[-1][1] if stack else ""
    if code[0] in "acd" and (match := _DEF.match(code)):
        current = f"{current}.{match.group(1)}" if current else match.group(1)
        stack.append((indent, current))
    return current


def assign(unit: SourceUnit, findings: list[Finding], root: str = ".") -> list[Finding]:
    """Return `findings` sorted by location, with fingerprints set."""
    if not findings:
        return []
    scopes = scope_map(unit.text)
    path = project_path(unit.path, root)
    seen: Counter[str] = Counter()
    out = []
    for finding in sorted(findings, key=Finding.sort_key):
        line = unit.virtual_line(finding.location)
        code_text = _SPACE.sub(" ", unit.line_text(line).strip())
        scope = scopes[line - 1] if 0 < line <= len(scopes) else ""
        loc = finding.location
        cell = loc.cell_id or ("" if loc.cell is None else str(loc.cell))
        base = "\x1f".join((finding.code, path, cell, scope, code_text))
        seen[base] += 1
        digest = hashlib.sha256(f"{base}\x1f{seen[base]}".encode()).hexdigest()[:20]
        out.append(replace(finding, fingerprint=digest))
    return out
