"""Human-readable terminal report: findings grouped by file, snippets, tool errors, a summary."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import groupby

from reviewer.fixes import FixPolicy
from reviewer.model import Applicability, Finding, Location, Report, Severity, ToolError
from reviewer.report.json import file_count

_SEVERITY_COLOR = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.NOTE: "34"}
_BOLD, _DIM = "1", "2"
_SEVERITY_WIDTH = max(len(s.value) for s in Severity)
_MAX_SNIPPET = 120  #: longer source lines are cut to a window around the finding
#: Control characters (ESC above all) from reviewed files must not reach the terminal.
#: What `reviewer fix` applies without project settings (the report does not know them).
_DEFAULT_POLICY = FixPolicy()
_UNSAFE = {c: "?" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0)) if c != 0x09}


def render(
    report: Report, *, color: bool = False, lines: Callable[[Location], str | None] | None = None
) -> str:
    """The report as text; `color` adds ANSI colours, `lines(location)` supplies snippet lines."""
    out: list[str] = []
    findings = sorted(report.findings, key=Finding.sort_key)
    for path, group in groupby(findings, key=lambda f: f.location.path):
        out += [_paint(clean(path), _DIM, color), *_group(list(group), color, lines), ""]
    out += [_error_line(error, color) for error in report.errors]
    if report.errors:
        out.append("")
    out.append(summary_line(report))
    fixable = fixable_line(report)
    if fixable:
        out.append(fixable)
    usage = usage_line(report)
    if usage:
        out.append(usage)
    out += [clean(note) for note in report.notes]
    return "\n".join(out) + "\n"


def summary_line(report: Report) -> str:
    """`Found 3 findings (1 error, 2 warnings) in 5 files; 2 suppressed. 1 tool error.`"""
    files = _plural(file_count(report), "file")
    if report.findings:
        counts = ", ".join(_plural(n, sev) for sev, n in report.counts().items() if n)
        line = f"Found {_plural(len(report.findings), 'finding')} ({counts}) in {files}"
    else:
        line = f"No findings in {files}"
    hidden = [
        f"{report.suppressed} suppressed" if report.suppressed else "",
        f"{report.baselined} baselined" if report.baselined else "",
        f"{report.out_of_scope} outside the diff" if report.out_of_scope else "",
        f"{len(report.superseded)} superseded by our own rules" if report.superseded else "",
    ]
    line += "; " + ", ".join(h for h in hidden if h) + "." if any(hidden) else "."
    if report.errors:
        line += f" {_plural(len(report.errors), 'tool error')}."
    return line


def fixable(finding: Finding) -> Applicability | None:
    """SAFE or UNSAFE for a fix `reviewer fix` can apply (with `--unsafe-fixes` for UNSAFE)."""
    return _DEFAULT_POLICY.applicability(finding)


def fixable_line(report: Report) -> str:
    """`[*] 3 fixable with `reviewer fix` (1 more with `--unsafe-fixes`).` or ''."""
    kinds = [fixable(f) for f in report.findings]
    safe, unsafe = kinds.count(Applicability.SAFE), kinds.count(Applicability.UNSAFE)
    if not safe and not unsafe:
        return ""
    more = f" ({unsafe} more with `reviewer fix --unsafe-fixes`)" if unsafe else ""
    if not safe:
        return f"No fixes are safe to apply unreviewed; {unsafe} with `reviewer fix --unsafe-fixes`."
    return f"[*] {safe} fixable with `reviewer fix`{more}."


def usage_line(report: Report) -> str:
    """`LLM critique (model m): 4 requests, 1,200 tokens in, 300 out, 2 cache hits, ...` or ''."""
    usage = report.llm
    if not usage:
        return ""
    parts = [
        _plural(usage.get("requests", 0), "request"),
        f"{usage.get('tokens_in', 0):,} tokens in, {usage.get('tokens_out', 0):,} out",
        _plural(usage.get("cache_hits", 0), "cache hit"),
    ]
    if "cost" in usage:
        parts.append(f"est. cost ${usage['cost']:.4f}")
    line = f"LLM critique (model {clean(str(usage.get('model', '?')))}): {', '.join(parts)}"
    dropped = sum(usage.get("dropped", {}).values())
    extra = [
        f"{_plural(usage.get('findings', 0), 'finding')} kept",
        f"{dropped} dropped by grounding" if dropped else "",
        f"{_plural(usage['rejected'], 'reply', 'replies')} rejected" if usage.get("rejected") else "",
        f"{_plural(usage['skipped'], 'request')} not sent" if usage.get("skipped") else "",
    ]
    if usage.get("triaged"):
        extra.append(f"{usage['triaged']} triaged")
    return f"{line}; {', '.join(e for e in extra if e)}."


def triage_text(finding: Finding) -> str:
    """`likely false: <reason>` for a triaged finding, else ''."""
    if not finding.triage:
        return ""
    verdict = finding.triage.replace("-", " ")
    return f"{verdict}: {clean(finding.triage_reason)}" if finding.triage_reason else verdict


def where(location: Location) -> str:
    """`12:5`, or `cell 3, 4:1` in notebooks (cells numbered from 1 for people)."""
    position = f"{location.line}:{location.column}"
    return position if location.cell is None else f"cell {location.cell + 1}, {position}"


def error_where(error: ToolError) -> str:
    """`path:line`, `path:cell 3:2` (ruff's notebook style), `path`, or '' for global errors."""
    if error.path is None:
        return ""
    place = clean(error.path)
    if error.cell is not None:
        place += f":cell {error.cell + 1}"
    return place + (f":{error.line}" if error.line is not None else "")


def clean(value: str) -> str:
    """One line, with no control characters: safe to print from untrusted files."""
    return " ".join(value.splitlines()).translate(_UNSAFE)


def _group(
    findings: list[Finding], color: bool, lines: Callable[[Location], str | None] | None
) -> Iterable[str]:
    where_width = max(len(where(f.location)) for f in findings)
    code_width = max(len(_code(f)) for f in findings)
    indent = " " * (2 + where_width + 2)
    for f in findings:
        sev = _pad(_paint(f.severity.value, _SEVERITY_COLOR[f.severity], color),
                   _SEVERITY_WIDTH - len(f.severity.value))
        mark = _code(f)[len(f.code):]
        code = _pad(_paint(f.code, _BOLD, color) + mark, code_width - len(_code(f)))
        yield (f"  {where(f.location).ljust(where_width)}  {code}  {sev}  "
               f"{clean(f.message)}  [{_origin(f)}]")
        source = lines(f.location) if lines is not None else None
        if source is not None:
            snippet, pad, carets = _snippet(source, f.location)
            yield f"{indent}| {snippet}".rstrip()
            yield f"{indent}| {pad}{_paint(carets, _SEVERITY_COLOR[f.severity], color)}"
        if f.fix is not None:
            yield f"{indent}fix: {clean(f.fix.description)}{_fix_mark(f)}"
        if f.triage:
            yield f"{indent}LLM triage: {triage_text(f)}"


def _code(finding: Finding) -> str:
    """The code, marked `[*]` (as Ruff does) when `reviewer fix` repairs it by default."""
    return f"{finding.code} [*]" if fixable(finding) is Applicability.SAFE else finding.code


def _origin(finding: Finding) -> str:
    sources = ", ".join(s.value for s in dict.fromkeys(finding.sources or (finding.source,)))
    also = f"; also {', '.join(finding.also)}" if finding.also else ""
    superseded = f"; superseded by {finding.superseded_by}" if finding.superseded_by else ""
    return sources + also + superseded


def _fix_mark(finding: Finding) -> str:
    kind = fixable(finding)
    return "" if kind is None else " (safe fix)" if kind is Applicability.SAFE else " (unsafe fix)"


def _snippet(source: str, loc: Location) -> tuple[str, str, str]:
    """The source line (cut around the finding when long), the carets' indent, the carets."""
    text = clean(source.rstrip("\r\n")).rstrip()
    start = max(loc.column - 1, 0)
    if loc.end_line in (None, loc.line) and loc.end_column is not None:
        width = loc.end_column - loc.column
    elif loc.end_line is not None and loc.end_line > loc.line:
        width = len(text) - start
    else:
        width = 1
    if len(text) > _MAX_SNIPPET:
        left = max(0, min(start - 20, len(text) - _MAX_SNIPPET))
        cut = text[left : left + _MAX_SNIPPET]
        head, tail = ("..." if left else ""), ("..." if left + _MAX_SNIPPET < len(text) else "")
        text, start = head + cut + tail, start - left + len(head)
        width = min(width, len(head) + len(cut) - start)
    pad = "".join("\t" if ch == "\t" else " " for ch in text[:start]) + " " * (start - len(text))
    return text, pad, "^" * max(width, 1)


def _error_line(error: ToolError, color: bool) -> str:
    place = error_where(error)
    place = f"{_paint(place, _DIM, color)}: " if place else ""
    label = _paint("error", f"{_BOLD};{_SEVERITY_COLOR[Severity.ERROR]}", color)
    return f"{label}: [{error.tool}] {place}{clean(error.message)}"


def _plural(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def _pad(value: str, spaces: int) -> str:
    return value + " " * spaces


def _paint(value: str, style: str, color: bool) -> str:
    return f"\x1b[{style}m{value}\x1b[0m" if color else value
