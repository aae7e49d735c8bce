"""JSON: `Report.to_dict()` plus a `summary` of counts. The contract for every surface."""

from __future__ import annotations

import json

from reviewer.model import Report


def file_count(report: Report) -> int:
    """Files reviewed or attempted (a finding's path counts even if `files` omits it)."""
    return len(set(report.files) | {f.location.path for f in report.findings})


def summary(report: Report) -> dict[str, int]:
    """Headline counts: files, findings, findings per severity (error/warning/note), tool errors."""
    return {
        "files": file_count(report),
        "findings": len(report.findings),
        **report.counts(),
        "errors": len(report.errors),
    }


def render(report: Report) -> str:
    """Indented, key-sorted JSON; drop `summary` and `Report.from_dict` gives the report back."""
    data = {**report.to_dict(), "summary": summary(report)}
    return json.dumps(data, indent=2, sort_keys=True) + "\n"
