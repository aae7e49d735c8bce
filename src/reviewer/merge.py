"""Merge duplicate findings across engines: same line and same concept, one survivor.

Same place: the same start line, or (for codes declared equivalent) overlapping line spans, since
tools anchor multi-line calls differently (bandit B602 points at the `shell=True` line). Same
concept: the codes are declared equivalent (bandit B602 ~ ruff S602 ~ our rule's EQUIVALENT
codes), or, on the same line only, both carry a CWE and share one. The richest finding survives
(ours, then bandit, then ruff), listing the other codes in `also` and every analyzer in `sources`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace

from reviewer.model import CLEARED_SINK, Confidence, Finding, Severity, Source

_RICHNESS = {Source.REVIEWER: 0, Source.BANDIT: 1, Source.RUFF: 2, Source.LLM: 3}


def _number(code: str) -> str | None:
    """Ruff's flake8-bandit codes mirror bandit's: S602 ~ B602 (B6xx/B3xx/B1xx/B5xx/B7xx)."""
    if code[:1] == "S" and code[1:].isdigit() and len(code) == 4:
        return code[1:]
    if code[:1] == "B" and code[1:].isdigit() and len(code) == 4:
        return code[1:]
    return None


def equivalent_codes(a: Finding, b: Finding, equivalents: Mapping[str, frozenset[str]]) -> bool:
    if a.code == b.code:
        return True
    a_codes = {a.code, *a.also, *equivalents.get(a.code, ())}
    b_codes = {b.code, *b.also, *equivalents.get(b.code, ())}
    if a_codes & b_codes:
        return True
    # ruff's S rules and bandit's B rules share numbers (S602 ~ B602); ruff's own B prefix is
    # flake8-bugbear, reported with source ruff, so only a ruff/bandit pair is compared this way.
    return {a.source, b.source} == {Source.RUFF, Source.BANDIT} and (
        _number(a.code) is not None and _number(a.code) == _number(b.code)
    )


def _span(finding: Finding) -> tuple[int, int]:
    loc = finding.location
    return loc.line, max(loc.line, loc.end_line or loc.line)


def same_finding(a: Finding, b: Finding, equivalents: Mapping[str, frozenset[str]]) -> bool:
    if a.location.line == b.location.line:
        if equivalent_codes(a, b, equivalents):
            return True
        return bool(a.cwe and b.cwe and set(a.cwe) & set(b.cwe))
    (a_start, a_end), (b_start, b_end) = _span(a), _span(b)
    overlap = a_start <= b_end and b_start <= a_end
    return overlap and equivalent_codes(a, b, equivalents)


def merge(
    findings: Iterable[Finding], equivalents: Mapping[str, frozenset[str]] | None = None
) -> list[Finding]:
    equivalents = equivalents or {}
    by_place: dict[tuple[str, int | None], list[Finding]] = defaultdict(list)
    for finding in findings:
        by_place[(finding.location.path, finding.location.cell)].append(finding)
    out: list[Finding] = []
    for group in by_place.values():
        group.sort(key=lambda f: (_RICHNESS[f.source], -f.confidence.rank, f.code))
        survivors: list[Finding] = []
        for finding in group:
            for index, kept in enumerate(survivors):
                if kept.source is not finding.source and same_finding(kept, finding, equivalents):
                    survivors[index] = _absorb(kept, finding)
                    break
                if kept.source is finding.source and kept.location.line == finding.location.line:
                    # Two of our rules on one line, one declaring the other equivalent (the taint
                    # rule RV111 and the pattern rule RV103): the declaring, more specific one stays.
                    if kept.code in equivalents.get(finding.code, ()):
                        survivors[index] = _absorb(finding, kept)
                        break
                    if finding.code in equivalents.get(kept.code, ()):
                        survivors[index] = _absorb(kept, finding)
                        break
            else:
                survivors.append(finding)
        out.extend(survivors)
    return out


def settle_by_dataflow(
    findings: Iterable[Finding], equivalents: Mapping[str, frozenset[str]], cwes: Mapping[str, frozenset[int]]
) -> list[Finding]:
    """Apply the pack rules' verdicts (model.CLEARED_SINK) and drop them: a pattern-only finding
    (bandit B608, our RV103...) on a line whose sink the dataflow cleared, or whose code a pattern
    rule's conditions proved harmless, is kept as a low-confidence note, unless the rule reported
    on that same line after all. Taint rules speak for their CWEs; pattern rules for the codes
    they list as equivalent."""
    findings = list(findings)
    verdicts = [f for f in findings if f.name == CLEARED_SINK]
    if not verdicts:
        return findings
    rest = [f for f in findings if f.name != CLEARED_SINK]
    # A rule that reported on the line after all (another sink or pattern there) has the last word.
    reported = {(_line_key(f), f.code) for f in rest}
    cleared: dict[tuple[str, int | None, int], list[Finding]] = defaultdict(list)
    for verdict in verdicts:
        if (_line_key(verdict), verdict.code) not in reported:
            cleared[_line_key(verdict)].append(verdict)
    out: list[Finding] = []
    for finding in rest:
        for verdict in cleared.get(_line_key(finding), ()):
            related = finding.code in equivalents.get(verdict.code, ()) or bool(
                set(finding.cwe) & cwes.get(verdict.code, frozenset())
            )
            if related:
                finding = replace(
                    finding, confidence=Confidence.LOW, severity=Severity.NOTE,
                    message=f"{finding.message} [dataflow: no untrusted data reaches this sink]",
                )
                break
        out.append(finding)
    return out


def _line_key(finding: Finding) -> tuple[str, int | None, int]:
    return finding.location.path, finding.location.cell, finding.location.line


def _absorb(kept: Finding, other: Finding) -> Finding:
    also = tuple(dict.fromkeys((*kept.also, other.code, *other.also)))
    sources = tuple(dict.fromkeys((*(kept.sources or (kept.source,)), *(other.sources or (other.source,)))))
    # The url stays the survivor's: another rule's documentation would explain the wrong code.
    return replace(kept, also=also, sources=sources, cwe=kept.cwe or other.cwe)
