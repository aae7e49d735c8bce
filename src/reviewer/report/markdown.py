"""GitHub-flavoured Markdown for PR comments and job summaries: counts, per-file tables, errors."""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import groupby

from reviewer.model import Finding, Report, Severity, Source, ToolError
from reviewer.report.text import (
    clean,
    error_where,
    summary_line,
    triage_text,
    usage_line,
)

#: Markdown punctuation to show literally; `_` only where it could start or end emphasis.
_ESCAPE = re.compile(r"([\\`*\[\]<>|]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")


def render(report: Report, *, max_rows: int = 200) -> str:
    """The report as Markdown; finding rows beyond `max_rows` are counted, not listed."""
    out = ["## Code review", "", summary_line(report), ""]
    findings = sorted(report.findings, key=Finding.sort_key)
    if findings:
        out += [*_counts(findings), ""]
    shown = findings[: max(max_rows, 0)]
    for path, group in groupby(shown, key=lambda f: f.location.path):
        out += [f"### {code(clean(path), table=False)}", "", "| Line | Code | Severity | Message |",
                "| --: | :-- | :-- | :-- |", *map(_row, group), ""]
    if len(findings) > len(shown):
        out += [f"_... and {len(findings) - len(shown)} more findings not shown._", ""]
    if report.errors:
        out += [*_errors(report.errors), ""]
    out += [f"- {inline(note)}" for note in report.notes]
    if report.notes:
        out.append("")
    if report.llm:
        out += [inline(usage_line(report)), ""]
    if report.tools:
        out.append("<sub>" + " &middot; ".join(f"{inline(k)} {inline(v)}"
                                               for k, v in report.tools.items()) + "</sub>")
    return "\n".join(out).rstrip("\n") + "\n"


def inline(value: str) -> str:
    """Text for a table cell: one line, `|` escaped, balanced `code spans` kept, the rest literal."""
    parts = " ".join(value.splitlines()).split("`")
    if len(parts) % 2 == 0:  # an unmatched backtick: no code spans at all
        return _ESCAPE.sub(r"\\\1", "`".join(parts))
    return "".join(
        (code(part) if part.strip() else _ESCAPE.sub(r"\\\1", f"`{part}`")) if i % 2
        else _ESCAPE.sub(r"\\\1", part)
        for i, part in enumerate(parts)
    )


def code(value: str, *, table: bool = True) -> str:
    """A code span that survives backticks in `value` (and pipes, inside a table)."""
    value = value.replace("|", "\\|") if table else value
    return f"`` {value} ``" if "`" in value else f"`{value}`"


def _counts(findings: list[Finding]) -> Iterable[str]:
    """Findings per severity (rows) and analyzer (columns); merged ones count for their source."""
    sources = [s for s in Source if any(f.source is s for f in findings)]
    yield "| Severity | " + " | ".join(s.value for s in sources) + " | Total |"
    yield "| :-- | " + " | ".join("--:" for _ in sources) + " | --: |"
    for severity in Severity:
        row = [sum(f.severity is severity and f.source is s for f in findings) for s in sources]
        yield f"| {severity.value} | " + " | ".join(map(str, row)) + f" | {sum(row)} |"
    totals = [sum(f.source is s for f in findings) for s in sources]
    yield "| **Total** | " + " | ".join(map(str, totals)) + f" | **{len(findings)}** |"


def _row(finding: Finding) -> str:
    loc = finding.location
    line = str(loc.line) if loc.cell is None else f"cell {loc.cell + 1}:{loc.line}"
    rule = code(finding.code)
    if finding.url:
        url = finding.url.replace(" ", "%20").replace(")", "%29").replace("|", "%7C")
        rule = f"[{rule}]({url})"
    message = inline(finding.message)
    if finding.triage:
        message += f" <br>_LLM triage: {inline(triage_text(finding))}_"
    return f"| {line} | {rule} | {finding.severity.value} | {message} |"


def _errors(errors: tuple[ToolError, ...]) -> Iterable[str]:
    count = f"{len(errors)} tool error{'' if len(errors) == 1 else 's'}"
    yield "> [!WARNING]"
    yield f"> {count}: part of the code was not reviewed."
    yield ">"
    for error in errors:
        place = error_where(error)
        where = f" {code(place)}" if place else ""
        yield f"> - **{inline(error.tool)}**{where}: {inline(error.message)}"
