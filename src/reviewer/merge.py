"""Merge duplicate findings across engines: same line and same concept, one survivor.

Concept equality: the codes are declared equivalent (bandit B602 ~ ruff S602 ~ our rule's
EQUIVALENT codes), or both carry a CWE and share one. The richest finding survives (ours, then
bandit, then ruff), listing the other codes in `also` and every analyzer in `sources`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace

from reviewer.model import Finding, Source

_RICHNESS = {Source.REVIEWER: 0, Source.BANDIT: 1, Source.RUFF: 2, Source.LLM: 3}


def _number(code: str) -> str | None:
    """Ruff's flake8-bandit codes mirror bandit's: S602 ~ B602 (B6xx/B3xx/B1xx/B5xx/B7xx)."""
    if code[:1] == "S" and code[1:].isdigit() and len(code) == 4:
        return code[1:]
    if code[:1] == "B" and code[1:].isdigit() and len(code) == 4:
        return code[1:]
    return None


def same_concept(a: Finding, b: Finding, equivalents: Mapping[str, frozenset[str]]) -> bool:
    if a.code == b.code:
        return True
    a_codes = {a.code, *a.also, *equivalents.get(a.code, ())}
    b_codes = {b.code, *b.also, *equivalents.get(b.code, ())}
    if a_codes & b_codes:
        return True
    if {a.source, b.source} == {Source.RUFF, Source.BANDIT}:
        # ruff's S rules and bandit's B rules share numbers; bandit's B1xx-B7xx only (ruff's B
        # prefix is flake8-bugbear, which ruff reports with source ruff, so no clash here).
        if _number(a.code) is not None and _number(a.code) == _number(b.code):
            return True
    return bool(a.cwe and b.cwe and set(a.cwe) & set(b.cwe))


def merge(
    findings: Iterable[Finding], equivalents: Mapping[str, frozenset[str]] | None = None
) -> list[Finding]:
    equivalents = equivalents or {}
    by_line: dict[tuple[str, int | None, int], list[Finding]] = defaultdict(list)
    for finding in findings:
        loc = finding.location
        by_line[(loc.path, loc.cell, loc.line)].append(finding)
    out: list[Finding] = []
    for group in by_line.values():
        group.sort(key=lambda f: (_RICHNESS[f.source], -f.confidence.rank, f.code))
        survivors: list[Finding] = []
        for finding in group:
            for index, kept in enumerate(survivors):
                if kept.source is not finding.source and same_concept(kept, finding, equivalents):
                    survivors[index] = _absorb(kept, finding)
                    break
            else:
                survivors.append(finding)
        out.extend(survivors)
    return out


def _absorb(kept: Finding, other: Finding) -> Finding:
    also = tuple(dict.fromkeys((*kept.also, other.code, *other.also)))
    sources = tuple(dict.fromkeys((*(kept.sources or (kept.source,)), *(other.sources or (other.source,)))))
    return replace(kept, also=also, sources=sources, cwe=kept.cwe or other.cwe, url=kept.url or other.url)
