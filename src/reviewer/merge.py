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

from reviewer.model import CLEARED_SINK, DEPENDS_ON, EXAMINED, Finding, Source

_RICHNESS = {Source.REVIEWER: 0, Source.BANDIT: 1, Source.RUFF: 2, Source.LLM: 3}


def _number(code: str) -> str | None:
    """Ruff's flake8-bandit codes mirror bandit's: S602 ~ B602 (B6xx/B3xx/B1xx/B5xx/B7xx)."""
    if code[:1] == "S" and code[1:].isdigit() and len(code) == 4:
        return code[1:]
    if code[:1] == "B" and code[1:].isdigit() and len(code) == 4:
        return code[1:]
    return None


#: Checks of different tools that report the same thing under unrelated codes.
_SYNONYMS = (frozenset({"PLE2502", "B613"}),)  # bidirectional control characters (trojan source)


def equivalent_codes(a: Finding, b: Finding, equivalents: Mapping[str, frozenset[str]]) -> bool:
    if a.code == b.code:
        return True
    if any(a.code in group and b.code in group for group in _SYNONYMS):
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


def _overlap(a: Finding, b: Finding) -> bool:
    (a_start, a_end), (b_start, b_end) = _span(a), _span(b)
    return a_start <= b_end and b_start <= a_end


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
                if kept.source is finding.source and _overlap(kept, finding):
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


def supersede(
    findings: Iterable[Finding],
    equivalents: Mapping[str, frozenset[str]],
    cwes: Mapping[str, frozenset[int]],
    owners: Mapping[str, frozenset[str]] | None = None,
) -> list[Finding]:
    """Apply our rules' verdicts and ownership, then drop the verdicts and markers.

    A finding is superseded (kept aside with `superseded_by`, not reported) when
    - one of our rules examined its line and judged it safe (model.CLEARED_SINK): a taint rule
      speaks for its CWEs, a pattern rule for the codes it lists as equivalent; or
    - it is a tool code for a concept one of our rules owns (`owners`: tool code -> rule codes,
      from `Rule.SUPERSEDES`), that rule examined the whole unit (model.EXAMINED) and did not
      report on the finding's line.
    A rule that reported on the line after all (another sink or pattern there) has the last word.
    """
    findings = list(findings)
    owners = owners or {}
    verdicts = [f for f in findings if f.name == CLEARED_SINK]
    examined = {f.code for f in findings if f.name == EXAMINED}
    rest = [f for f in findings if f.name not in (CLEARED_SINK, EXAMINED, DEPENDS_ON)]
    if not verdicts and not examined:
        return rest
    reported = {(_line_key(f), f.code) for f in rest}
    cleared: dict[tuple[str, int | None, int], list[Finding]] = defaultdict(list)
    for verdict in verdicts:
        if (_line_key(verdict), verdict.code) not in reported:
            cleared[_line_key(verdict)].append(verdict)
    out: list[Finding] = []
    for finding in rest:
        by = _cleared_by(finding, cleared, equivalents, cwes)
        if by is None and finding.source in (Source.RUFF, Source.BANDIT):
            owning = owners.get(finding.code, frozenset()) & examined
            if owning and not _reported_on(finding, owning, rest):
                by = min(owning)
        out.append(replace(finding, superseded_by=by) if by is not None else finding)
    return out


def _cleared_by(finding: Finding, cleared: Mapping[tuple[str, int | None, int], list[Finding]],
                equivalents: Mapping[str, frozenset[str]], cwes: Mapping[str, frozenset[int]]) -> str | None:
    for verdict in cleared.get(_line_key(finding), ()):
        if finding.code in equivalents.get(verdict.code, ()):
            return verdict.code
        # A CWE in common speaks for a tool's finding; another of our rules (a template built
        # from request data, where the XSS rule cleared the rendered result) keeps its own word.
        if finding.source is not Source.REVIEWER and set(finding.cwe) & cwes.get(verdict.code, frozenset()):
            return verdict.code
    return None


def _reported_on(finding: Finding, codes: frozenset[str], findings: list[Finding]) -> bool:
    """One of `codes` reported on a line the finding spans (tools anchor multi-line calls
    differently, so spans rather than start lines)."""
    start, end = _span(finding)
    return any(
        other.code in codes and other.location.path == finding.location.path
        and other.location.cell == finding.location.cell
        and _span(other)[0] <= end and start <= _span(other)[1]
        for other in findings
    )


def _line_key(finding: Finding) -> tuple[str, int | None, int]:
    return finding.location.path, finding.location.cell, finding.location.line


def _absorb(kept: Finding, other: Finding) -> Finding:
    also = tuple(dict.fromkeys((*kept.also, other.code, *other.also)))
    sources = tuple(dict.fromkeys((*(kept.sources or (kept.source,)), *(other.sources or (other.source,)))))
    # The url stays the survivor's: another rule's documentation would explain the wrong code.
    return replace(kept, also=also, sources=sources, cwe=kept.cwe or other.cwe)
