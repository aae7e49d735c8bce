"""Exit codes shared by every command: 0 below --fail-on, 1 at or above it, 2 on errors."""

from __future__ import annotations

from reviewer.config import Config
from reviewer.model import Report

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def exit_code(report: Report, config: Config) -> int:
    if report.errors:
        return EXIT_ERROR
    threshold = config.fail_on_severity
    if threshold is not None and any(f.severity.rank >= threshold.rank for f in report.findings):
        return EXIT_FINDINGS
    return EXIT_OK
