"""Grounding: an LLM finding survives only if it points at code the model was shown.

Kept: its lines lie inside the chunk and its evidence appears verbatim on those lines. Dropped,
and counted by reason: lines outside the chunk (or past the end of the file), evidence not on the
cited lines, a duplicate of a static finding (same category, overlapping lines) or of another LLM
finding, and findings beyond the per-file cap. Confidence is never above medium and severity
never above the check's cap.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from reviewer.llm.chunking import Chunk
from reviewer.llm.pack import Pack
from reviewer.model import Confidence, Finding, Severity, Source
from reviewer.sources import SourceUnit

MIN_EVIDENCE = 4  #: characters (stripped); `)` or `x` proves nothing
MAX_MESSAGE = 300

OUTSIDE = "outside-chunk"
NO_EVIDENCE = "evidence-not-found"
DUPLICATE_STATIC = "duplicate-of-static"
DUPLICATE = "duplicate"
OVER_CAP = "over-file-cap"


@dataclass(frozen=True)
class Claim:
    """One finding as the model stated it (after schema validation)."""

    check: str
    line: int
    end_line: int
    evidence: str
    message: str
    severity: str
    confidence: str


def ground(
    claims: Iterable[Claim],
    chunk: Chunk,
    lines: list[str],
    unit: SourceUnit,
    pack: Pack,
    prior: list[tuple[int, int, str]],
    dropped: Counter[str],
) -> list[tuple[int, int, Finding]]:
    """(first line, last line, finding) for each grounded claim; `prior` holds the static
    findings' (first line, last line, category) in unit lines. Drops are counted in `dropped`."""
    kept: list[tuple[int, int, Finding]] = []
    for claim in claims:
        check = pack.get(claim.check)
        end = max(claim.end_line, claim.line)
        if check is None or not (chunk.contains(claim.line) and chunk.contains(end)):
            dropped[OUTSIDE] += 1
            continue
        evidence = claim.evidence.strip()
        cited = "\n".join(lines[claim.line - 1 : end])
        if len(evidence) < MIN_EVIDENCE or evidence not in cited:
            dropped[NO_EVIDENCE] += 1
            continue
        category = check.category.value
        if any(a <= end and claim.line <= b and cat == category for a, b, cat in prior):
            dropped[DUPLICATE_STATIC] += 1
            continue
        if any(f.code == check.code and a == claim.line for a, _, f in kept):
            dropped[DUPLICATE] += 1
            continue
        first_line = evidence.split("\n", 1)[0]
        position = lines[claim.line - 1].find(first_line)
        if position >= 0:
            column = position + 1
            end_column = column + len(first_line) if end == claim.line else None
        else:  # multi-line evidence starting on a later cited line
            column, end_column = 1, None
        location = unit.location(claim.line, column, end, end_column)
        finding = Finding(
            code=check.code,
            name=check.name,
            message=_sentence(claim.message) or check.question,
            location=location,
            source=Source.LLM,
            category=check.category,
            severity=_cap_severity(Severity(claim.severity), check.severity),
            confidence=_cap_confidence(Confidence(claim.confidence)),
            cwe=check.cwe,
            evidence=evidence,
            sources=(Source.LLM,),
        )
        kept.append((claim.line, end, finding))
    return kept


def cap_per_file(findings: list[Finding], limit: int, dropped: Counter[str]) -> list[Finding]:
    """The `limit` most severe findings (0 = no limit); the rest are counted as dropped."""
    if limit <= 0 or len(findings) <= limit:
        return findings
    ordered = sorted(findings, key=lambda f: (-f.severity.rank, -f.confidence.rank, f.sort_key()))
    dropped[OVER_CAP] += len(findings) - limit
    return sorted(ordered[:limit], key=Finding.sort_key)


def _cap_severity(value: Severity, cap: Severity) -> Severity:
    return value if value.rank <= cap.rank else cap


def _cap_confidence(value: Confidence) -> Confidence:
    return value if value.rank <= Confidence.MEDIUM.rank else Confidence.MEDIUM


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 3] + "..."
