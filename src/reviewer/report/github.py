"""GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation per finding.

Notebook annotations are file-level, with the cell and line in the message: a cell-relative line
would point at the wrong line of the .ipynb JSON.
"""

from __future__ import annotations

from reviewer.model import Finding, Report, Severity, ToolError
from reviewer.report.text import summary_line, triage_text, usage_line

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def render(report: Report) -> str:
    """Annotations for findings, then tool errors, then notes, ending with a summary notice."""
    out = [_finding(f) for f in sorted(report.findings, key=Finding.sort_key)]
    out += [_error(error) for error in report.errors]
    out += [f"::notice::{escape_data(note)}" for note in report.notes]
    if report.llm:
        out.append(f"::notice::{escape_data(usage_line(report))}")
    out.append(f"::notice::{escape_data('reviewer: ' + summary_line(report))}")
    return "\n".join(out) + "\n"


def escape_data(value: str) -> str:
    """Escape a command's message (after `::`) as GitHub's toolkit does."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a property value (`file=`, `title=`): also `:` and `,`."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _finding(finding: Finding) -> str:
    loc = finding.location
    props = [("file", loc.path)]
    message = finding.message
    if finding.triage:
        message += f" (LLM triage: {triage_text(finding)})"
    if loc.cell is not None:
        message += f" (cell {loc.cell + 1}, line {loc.line})"
    else:
        props.append(("line", str(loc.line)))
        single_line = loc.end_line in (None, loc.line)
        if loc.end_line is not None and not single_line:
            props.append(("endLine", str(loc.end_line)))
        if single_line:  # GitHub accepts columns only on single-line annotations
            props.append(("col", str(loc.column)))
            if loc.end_line is not None:
                props.append(("endLine", str(loc.end_line)))
            if loc.end_column is not None:
                props.append(("endColumn", str(loc.end_column)))
    props.append(("title", f"{finding.code} {finding.name}"))
    return _command(_COMMAND[finding.severity], props, message)


def _error(error: ToolError) -> str:
    props: list[tuple[str, str]] = []
    message = f"[{error.tool}] {error.message}"
    if error.path is not None:
        props.append(("file", error.path))
        if error.cell is not None:
            message += f" (cell {error.cell + 1}" + (
                f", line {error.line})" if error.line is not None else ")"
            )
        elif error.line is not None:
            props.append(("line", str(error.line)))
    return _command("error", props, message)


def _command(name: str, props: list[tuple[str, str]], message: str) -> str:
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::{name}{' ' + rendered if rendered else ''}::{escape_data(message)}"
