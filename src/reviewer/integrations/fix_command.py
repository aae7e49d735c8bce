"""`reviewer fix`: apply the safe fixes (and with --unsafe-fixes the unsafe ones) in place, or
print them as a diff; then list what changed and what remains."""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from reviewer.autofix import Applied, FixOutcome, fix
from reviewer.config import FAIL_ON_CHOICES, Config
from reviewer.fixes import FixPolicy
from reviewer.integrations.atomic import replace_file
from reviewer.integrations.exit_codes import EXIT_ERROR, EXIT_FINDINGS, exit_code
from reviewer.integrations.snippets import Snippets
from reviewer.model import Report, ToolError
from reviewer.report.text import clean, render
from reviewer.sources.notebook_write import cell_sources


def register(commands: Any, codes: Callable[[str], tuple[str, ...]]) -> None:
    """Add `fix` to the CLI's sub-commands."""
    cmd = commands.add_parser("fix", help="apply fixes in place (safe ones unless --unsafe-fixes)",
                              description=__doc__.split("\n\n")[0] if __doc__ else None)
    cmd.add_argument("paths", nargs="*", default=["."], help="files or directories")
    cmd.add_argument("--unsafe-fixes", action="store_true",
                     help="also apply fixes that may change behaviour (review the result)")
    cmd.add_argument("--diff", action="store_true",
                     help="write nothing: print a unified diff of what would change (exit 1 if any)")
    cmd.add_argument("--select", type=codes, help="only these code prefixes (comma-separated)")
    cmd.add_argument("--ignore", type=codes, help="drop these code prefixes (comma-separated)")
    cmd.add_argument("--fail-on", choices=FAIL_ON_CHOICES,
                     help="lowest severity of a remaining finding that fails (exit 1)")
    cmd.add_argument("--jobs", "-j", type=int, help="worker processes (default: one per core)")
    cmd.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    cmd.add_argument("--quiet", "-q", action="store_true", help="no progress, no list of remaining findings")


def policy(args: argparse.Namespace, config: Config) -> FixPolicy:
    return FixPolicy(
        unsafe=args.unsafe_fixes,
        fixable=tuple(c.upper() for c in config.fixable),
        unfixable=tuple(c.upper() for c in config.unfixable),
        extend_safe=tuple(c.upper() for c in config.extend_safe_fixes),
        extend_unsafe=tuple(c.upper() for c in config.extend_unsafe_fixes),
    )


def run(args: argparse.Namespace, config: Config, progress: Callable[[int, int], None] | None) -> int:
    if "-" in args.paths:
        print("reviewer: error: `reviewer fix` works on files; use `reviewer scan -` for standard input",
              file=sys.stderr)
        return EXIT_ERROR
    outcome = fix(args.paths, config, policy(args, config), progress=progress)
    if args.diff:
        return _show_diff(outcome)
    write_errors = _write(outcome)
    report = outcome.report
    if write_errors:
        report = replace(report, errors=(*report.errors, *write_errors))
    _print_applied(outcome, write_errors)
    if not args.quiet or report.errors:
        sys.stdout.write(render(report, lines=Snippets()))
    print(_summary(outcome, report, written=not write_errors), file=sys.stderr)
    return exit_code(report, config)


def _write(outcome: FixOutcome) -> list[ToolError]:
    errors = []
    for item in outcome.changed():
        try:
            replace_file(Path(item.path), outcome.encoded(item))
        except (OSError, UnicodeEncodeError) as exc:
            errors.append(ToolError("fix", f"could not write the fixed file: {exc}", item.path))
            item.text = item.original  # nothing was written: nothing was fixed there
    return errors


def _where(applied: Applied) -> str:
    cell = f"cell {applied.cell + 1}, " if applied.cell is not None else ""
    return f"{clean(applied.path)}:{cell}{applied.line}"


def _print_applied(outcome: FixOutcome, write_errors: list[ToolError]) -> None:
    failed = {e.path for e in write_errors}
    for applied in outcome.applied:
        if applied.path not in failed:
            print(f"Fixed {_where(applied)}: {applied.code} {clean(applied.description)}")
    for applied, reason in outcome.dropped:
        print(f"Not fixed {_where(applied)}: {applied.code} {clean(applied.description)}: {reason}")


def _summary(outcome: FixOutcome, report: Report, *, written: bool) -> str:
    changed = {a.path for a in outcome.applied}
    fixed = len(outcome.applied) if written else 0
    files = f"{len(changed)} file{'s' if len(changed) != 1 else ''}"
    remaining = len(report.findings)
    return (f"reviewer: fixed {fixed} finding{'s' if fixed != 1 else ''} in {files}; "
            f"{remaining} remaining.")


def diff_text(outcome: FixOutcome) -> str:
    """A unified diff of every changed file (a notebook: of each changed cell's source)."""
    out: list[str] = []
    for item in outcome.changed():
        if not item.unit.is_notebook:
            out += difflib.unified_diff(item.original.splitlines(keepends=True), item.text.splitlines(keepends=True),
                                        f"a/{item.path}", f"b/{item.path}")
            continue
        before, after = cell_sources(item.original), cell_sources(item.text)
        for cell, text in after.items():
            if before.get(cell) != text:
                name = f"{item.path}:cell {cell + 1}"
                out += difflib.unified_diff(_lines(before.get(cell, "")), _lines(text), f"a/{name}", f"b/{name}")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in out)


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _show_diff(outcome: FixOutcome) -> int:
    sys.stdout.write(diff_text(outcome))
    for applied, reason in outcome.dropped:
        print(f"reviewer: would not fix {_where(applied)}: {applied.code}: {reason}", file=sys.stderr)
    count = len(outcome.applied)
    print(f"reviewer: would fix {count} finding{'s' if count != 1 else ''} in "
          f"{len(outcome.changed())} file{'s' if len(outcome.changed()) != 1 else ''}; nothing written.",
          file=sys.stderr)
    if outcome.report.errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if outcome.changed() else 0
